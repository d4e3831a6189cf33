//! Splitting the period's budget among the active modules.
//!
//! The plan's [`BudgetPolicy`] says how: today by each module's [`BudgetRule`] (fixed amounts,
//! then weights with minimum and maximum). The optimizing policies plug in here as further
//! variants, so callers keep calling [`Plan::allocate`](crate::Plan::allocate).

mod allocate;
mod optimized;
mod rule;

pub use allocate::Allocation;
pub(crate) use optimized::optimized_group;
pub use optimized::{OptimizePolicy, PlanOptimum, Selector};
pub use rule::{BudgetRule, Share};

/// How a plan's budget is split among its active modules.
///
/// ```
/// assert_eq!(offergraph::BudgetPolicy::default(), offergraph::BudgetPolicy::Rules);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum BudgetPolicy {
    /// Each module's [`BudgetRule`]: fixed amounts first, the rest by weight within bounds.
    #[default]
    Rules,
    /// The optimum under an [`OptimizePolicy`] (objective, group caps and floors, capacities).
    Optimize(Box<OptimizePolicy>),
}
