//! The umbrella error for callers that want `?` across layers.

use crate::error::{
    BudgetError, CurveError, ModelError, MoneyError, OptimizeError, PlanError, RateError, ReportError,
    TimeError,
};

/// Any offergraph error.
///
/// # Design
/// Each layer has its own enum so a caller can match on exactly what a call can return; this
/// wrapper is for callers that just want `?` across layers.
///
/// # Example
/// ```
/// use offergraph::optimize::{Objective, Problem, SolveOptions};
/// fn run() -> Result<f64, offergraph::Error> {
///     let plan = offergraph::sample::apartments()?;
///     let budget = offergraph::Money::new(plan.budget().get())?;
///     let solved = Problem::new(Objective::MaxProfit).solve(SolveOptions::new())?;
///     Ok(plan.evaluate()?.total().spend - budget.get() + solved.objective)
/// }
/// assert_eq!(run()?, 0.0);
/// # Ok::<(), offergraph::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A curve error.
    #[error(transparent)]
    Curve(#[from] CurveError),
    /// A model error.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A budget error.
    #[error(transparent)]
    Budget(#[from] BudgetError),
    /// A report error.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A plan-file error.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A time-layer error.
    #[error(transparent)]
    Time(#[from] TimeError),
    /// An optimizer error (a [`Problem`](crate::optimize::Problem) or its solve).
    #[error(transparent)]
    Optimize(#[from] OptimizeError),
    /// An invalid amount of money.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// An invalid rate.
    #[error(transparent)]
    Rate(#[from] RateError),
}
