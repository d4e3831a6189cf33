//! Error types, one enum per layer; this folder mirrors `src/`. The umbrella
//! [`crate::Error`], for callers that just want `?` across layers, is at the crate root.
//!
//! Messages are lowercase, name the field or key, the value found and what was expected.

mod actuals;
mod budget;
mod curve;
pub(crate) mod json;
mod model;
mod optimize;
#[cfg(feature = "report")]
mod page;
mod plan;
mod report;
mod syntax;
mod time;
pub(crate) mod umbrella;
mod uncertainty;
mod units;

pub use actuals::{ActualsError, Cell};
pub use budget::BudgetError;
pub use curve::CurveError;
pub use model::ModelError;
pub use optimize::OptimizeError;
#[cfg(feature = "report")]
#[cfg_attr(docsrs, doc(cfg(feature = "report")))]
pub use page::PageError;
pub use plan::PlanError;
pub use report::ReportError;
pub use syntax::SyntaxError;
pub use time::TimeError;
pub(crate) use umbrella::Error;
pub use uncertainty::UncertaintyError;
pub use units::{MoneyError, RateError};
