//! Errors raised when a budget cannot be split as asked.

/// Why the budget cannot be allocated.
///
/// # Design
/// Allocation never leaves money unspent silently and never breaks a bound: when the rules
/// cannot be met, the error says which rules conflict and by how much.
///
/// # Example
/// ```
/// use offergraph::{BudgetRule, Money};
/// # let mut plan = offergraph::sample::apartments()?;
/// plan.set_budget_rule("families/playground/2-room/search", BudgetRule::fixed(90_000.0))?;
/// let err = plan.allocate().unwrap_err();
/// assert_eq!(err.to_string(), "fixed amounts of active modules add up to 90000, more than the budget 60000 (over by 30000); lower them or raise the budget");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BudgetError {
    /// Fixed amounts alone exceed the budget.
    #[error("fixed amounts of active modules add up to {fixed}, more than the budget {budget} (over by {}); lower them or raise the budget", fixed - budget)]
    FixedExceedBudget {
        /// Sum of fixed amounts.
        fixed: f64,
        /// The budget.
        budget: f64,
    },
    /// Minima of weighted modules exceed what fixed amounts leave.
    #[error("minimum spends of active weighted modules add up to {minima}, more than the {available} left after fixed amounts (over by {}); lower the minima or raise the budget", minima - available)]
    MinimaExceed {
        /// Sum of minima.
        minima: f64,
        /// Budget left after fixed amounts.
        available: f64,
    },
    /// Maxima of weighted modules cannot absorb what must be spent.
    #[error("active weighted modules can absorb at most {capacity} within their maxima, but {available} must be spent (short by {}); raise maxima, switch modules on or lower the budget", available - capacity)]
    CannotAbsorb {
        /// Sum of maxima (minima for weight-0 modules).
        capacity: f64,
        /// Budget left after fixed amounts.
        available: f64,
    },
    /// An explicit allocation has the wrong number of entries.
    #[error("allocation has {found} entries, the plan has {expected} modules")]
    LengthMismatch {
        /// Entries given.
        found: usize,
        /// Modules in the plan.
        expected: usize,
    },
    /// An explicit spend is negative or not finite.
    #[error("spend for module \"{module}\" must be {}, found {}", crate::ranges::MONEY.expected(), crate::numerics::Shown(*found))]
    InvalidSpend {
        /// Module key.
        module: String,
        /// The value found.
        found: f64,
    },
    /// The optimizing policy's problem is infeasible or invalid.
    #[error(transparent)]
    Optimize(#[from] crate::error::OptimizeError),
    /// The optimizing policy names a part the plan does not have.
    #[error(transparent)]
    Policy(#[from] crate::error::ModelError),
}
