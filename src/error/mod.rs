//! Error types, one enum per layer; this folder mirrors `src/`.
//!
//! Messages are lowercase, name the field or key, the value found and what was expected.

mod budget;
mod curve;
mod model;
mod optimize;
mod plan;
mod report;
mod time;
mod units;

pub use budget::BudgetError;
pub use curve::CurveError;
pub use model::ModelError;
pub use optimize::OptimizeError;
pub use plan::PlanError;
pub use report::ReportError;
pub use time::TimeError;
pub use units::{MoneyError, RateError};

/// Any offergraph error.
///
/// # Design
/// Each layer has its own enum so a caller can match on exactly what a call can return; this
/// wrapper is for callers that just want `?` across layers.
///
/// # Example
/// ```
/// fn run() -> Result<f64, offergraph::Error> {
///     let plan = offergraph::sample::apartments()?;
///     Ok(plan.evaluate()?.total().spend)
/// }
/// assert!(run().is_ok());
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
}
