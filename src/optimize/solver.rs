//! The "how": the [`Solver`] trait and the global solver.

use super::objectives::{average_romi, min_spend, solve_max};
use super::options::SolveOptions;
use super::problem::{Measure, Objective, Problem, validate_objective};
use super::solution::Solution;
use crate::error::OptimizeError;

/// A method that turns a [`Problem`] into a [`Solution`].
///
/// One required method, [`Solver::solve_from`], which may use a previous solution of the same
/// (possibly edited) problem as a warm start; [`Solver::solve`] is the cold-start shorthand.
///
/// # Example
/// ```
/// use offergraph::curves::Exponential;
/// use offergraph::optimize::{BranchAndBound, Budget, Activity, Objective, Problem, SolveOptions, Solver};
/// let mut p = Problem::new(Objective::MaxProfit);
/// p.set_budget(Budget::at_most(100.0))?;
/// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
/// let s = BranchAndBound.solve(&p, SolveOptions::new())?;
/// assert!(s.status.is_optimal());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Solver {
    /// Solves `problem`, starting from `previous` when given.
    ///
    /// # Errors
    /// [`OptimizeError`] when the problem is invalid, infeasible or unbounded.
    fn solve_from(
        &self,
        problem: &Problem,
        options: SolveOptions,
        previous: Option<&Solution>,
    ) -> Result<Solution, OptimizeError>;

    /// Solves `problem` from scratch.
    ///
    /// # Errors
    /// As [`Solver::solve_from`].
    fn solve(&self, problem: &Problem, options: SolveOptions) -> Result<Solution, OptimizeError> {
        self.solve_from(problem, options, None)
    }
}

/// The global solver: exact KKT on concave curves, branch and bound on S-shaped ones.
///
/// # Arguments
/// A [`Problem`] and [`SolveOptions`] (gap tolerance, node and time limits); optionally the
/// previous [`Solution`] of the same problem (after a toggle or an edit) as a warm start.
///
/// # Returns
/// A [`Solution`] whose `upper_bound` certifies the gap, with multipliers, per-module marginal
/// ROMI and the status ([`Status::Optimal`](super::Status::Optimal) when the gap is within the tolerance).
///
/// # Complexity
/// Concave curves: `O(N · k)` for `k` price iterations (safeguarded Newton, typically 5–15),
/// each module step in closed form or by a monotone Newton iteration. S-shaped curves: the same
/// per branch-and-bound node; the number of nodes is small because at most one module per
/// constraint is fractional in a relaxation.
///
/// # Example
/// ```
/// use offergraph::curves::Hill;
/// use offergraph::optimize::{BranchAndBound, Budget, Activity, Objective, Problem, SolveOptions, Solver};
/// let mut p = Problem::new(Objective::MaxProfit);
/// p.set_budget(Budget::exactly(300.0))?;
/// for k in [100.0, 150.0] {
///     p.add_module(Activity::new("m", Hill::new(100.0, k, 3.0)?.into(), 5.0)?)?;
/// }
/// let s = BranchAndBound.solve(&p, SolveOptions::new())?;
/// assert!(s.gap() <= 1e-9 * s.objective.abs().max(1.0));
/// assert!((s.total_spend() - 300.0).abs() <= 1e-9 * 300.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Reference
/// M. Udell and S. Boyd, "Maximizing a sum of sigmoids", Optimization and Engineering (2013);
/// the concave case is the classical resource-allocation dual (Ibaraki & Katoh, 1988).
#[derive(Debug, Clone, Copy, Default)]
pub struct BranchAndBound;

/// The relaxation only: exact on concave problems; on S-shaped curves it returns the rounded
/// relaxation with its certified bound and status [`Status::NodeLimit`](super::Status::NodeLimit) when the gap is open.
///
/// # Arguments / Returns
/// As [`BranchAndBound`], with a node limit of 1.
///
/// # Complexity
/// `O(N · k)` for `k` price iterations.
///
/// # Example
/// ```
/// use offergraph::curves::Exponential;
/// use offergraph::optimize::{Budget, Kkt, Activity, Objective, Problem, SolveOptions, Solver};
/// let mut p = Problem::new(Objective::MaxProfit);
/// p.set_budget(Budget::at_most(100.0))?;
/// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
/// assert!(Kkt.solve(&p, SolveOptions::new())?.kkt_residual <= 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Reference
/// Ibaraki & Katoh, "Resource Allocation Problems", MIT Press (1988).
#[derive(Debug, Clone, Copy, Default)]
pub struct Kkt;

impl Solver for Kkt {
    fn solve_from(
        &self,
        problem: &Problem,
        options: SolveOptions,
        previous: Option<&Solution>,
    ) -> Result<Solution, OptimizeError> {
        // the caller's options are checked as given, before the node limit is replaced
        options.validate()?;
        BranchAndBound.solve_from(problem, options.with_max_nodes(1), previous)
    }
}

impl Solver for BranchAndBound {
    fn solve_from(
        &self,
        problem: &Problem,
        options: SolveOptions,
        previous: Option<&Solution>,
    ) -> Result<Solution, OptimizeError> {
        options.validate()?;
        validate_objective(&problem.objective)?;
        let solution = match problem.objective {
            Objective::MaxProfit => {
                solve_max(problem, Measure::GrossProfit, 1.0, problem.budget, options, previous)
            }
            Objective::TargetMarginalRomi(t) => {
                solve_max(problem, Measure::GrossProfit, 1.0 + t, problem.budget, options, previous)
            }
            Objective::MaxValueFixedBudget { measure } => {
                if problem.budget.is_none() {
                    return Err(OptimizeError::MissingBudget { objective: problem.objective.name() });
                }
                solve_max(problem, measure, 0.0, problem.budget, options, previous)
            }
            Objective::MinSpendForTarget { measure, target } => {
                min_spend(problem, measure, target, options, previous)
            }
            Objective::TargetAverageRomi(t) => average_romi(problem, t, options, previous),
        }?;
        check_finite(problem, &solution)?;
        Ok(solution)
    }
}

/// The first figure of `s` that is NaN or infinite, as an error naming it (and its module).
fn check_finite(problem: &Problem, s: &Solution) -> Result<(), OptimizeError> {
    let not_finite = |what: String, found| Err(OptimizeError::NotFinite { what, found });
    let scalars = [
        ("objective", s.objective),
        ("upper bound", s.upper_bound),
        ("budget multiplier", s.budget_multiplier),
        ("budget multiplier slope", s.budget_multiplier_slope.unwrap_or(0.0)),
        ("KKT residual", s.kkt_residual),
    ];
    if let Some((what, found)) = scalars.into_iter().find(|(_, x)| !x.is_finite()) {
        return not_finite(what.to_owned(), found);
    }
    let per_module = s.spend.iter().zip(&s.leads).zip(&s.marginal_romi);
    for (m, ((&spend, &leads), romi)) in problem.modules.iter().zip(per_module) {
        for (what, x) in [("spend", spend), ("leads", leads), ("marginal ROMI", romi.unwrap_or(0.0))] {
            if !x.is_finite() {
                return not_finite(format!("{what} of module {:?}", m.name()), x);
            }
        }
    }
    let prices = s.capacity_multipliers.iter().chain(&s.group_multipliers);
    match prices.copied().find(|x| !x.is_finite()) {
        Some(x) => not_finite("a constraint's shadow price".to_owned(), x),
        None => Ok(()),
    }
}

impl Problem {
    /// Solves with [`BranchAndBound`].
    ///
    /// # Errors
    /// As [`Solver::solve_from`].
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Activity, Objective, Problem, SolveOptions};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
    /// // r'(s) = 2·e^(−s/50), v = 3: profit peaks where 6·e^(−s/50) = 1.
    /// let s = p.solve(SolveOptions::new())?;
    /// assert!((s.spend[0] - 50.0 * 6f64.ln()).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn solve(&self, options: impl Into<SolveOptions>) -> Result<Solution, OptimizeError> {
        BranchAndBound.solve_from(self, options.into(), None)
    }

    /// Re-solves after an edit or a toggle, warm-started from `previous`.
    ///
    /// # Errors
    /// As [`Solver::solve_from`].
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Budget, Activity, Objective, Problem, SolveOptions};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.set_budget(Budget::at_most(100.0))?;
    /// for _ in 0..3 {
    ///     p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
    /// }
    /// let s = p.solve(SolveOptions::new())?;
    /// p.set_enabled(1, false)?;
    /// let t = p.resolve(SolveOptions::new(), &s)?;
    /// assert_eq!(t.spend[1], 0.0);
    /// assert!(t.objective <= s.objective);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(
        &self,
        options: impl Into<SolveOptions>,
        previous: &Solution,
    ) -> Result<Solution, OptimizeError> {
        BranchAndBound.solve_from(self, options.into(), Some(previous))
    }
}
