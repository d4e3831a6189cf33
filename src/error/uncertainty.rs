//! Errors raised by the uncertainty layer: distributions, the `uncertainty` section and Monte
//! Carlo runs.

use crate::error::{BudgetError, ReportError, TimeError};

/// Why a distribution, an uncertainty section or a Monte Carlo run is invalid.
///
/// # Design
/// A distribution checks its own parameters when it is made; whether it suits the field it is
/// given for (a rate must stay in `[0, 1]`, a deal value must be money) and whether its owner
/// exists are checked against the plan by
/// [`Uncertainty::check`](crate::uncertainty::Uncertainty::check), which every run and every plan
/// file goes through. Messages name the owner (`channel "search"`), the field and the value found.
/// Errors of the layers below (allocation, evaluation, time) pass through unchanged.
///
/// # Example
/// ```
/// use offergraph::uncertainty::Distribution;
/// let err = Distribution::log_normal(1.0, -0.5).unwrap_err();
/// assert_eq!(err.to_string(), "log-normal sigma must be 0 or a number in [1e-6, 5], found -0.5");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum UncertaintyError {
    /// A number is NaN, infinite or outside its range.
    #[error("{what} must be {expected}, found {}", crate::numerics::Shown(*found))]
    InvalidValue {
        /// What the number is (`log-normal sigma`).
        what: String,
        /// The value found.
        found: f64,
        /// What was expected.
        expected: &'static str,
    },
    /// An entry's distribution does not suit its field, or its parameters do not.
    #[error("uncertainty of {entity} \"{key}\" field `{field}`: {problem}")]
    Entry {
        /// `"module"`, `"segment"`, `"proposition"`, `"offer"` or `"channel"`.
        entity: &'static str,
        /// The owner's key.
        key: String,
        /// `lead_scale`, `conversion`, `deal_value` or `margin`.
        field: &'static str,
        /// What is wrong and what to do.
        problem: String,
    },
    /// A key does not name a part or module of the plan.
    #[error("uncertainty refers to {entity} \"{key}\", which the plan does not have")]
    UnknownKey {
        /// `"module"`, `"segment"`, `"proposition"`, `"offer"` or `"channel"`.
        entity: &'static str,
        /// The key found.
        key: String,
    },
    /// The plan's budget cannot be allocated.
    #[error(transparent)]
    Budget(#[from] BudgetError),
    /// A number of draws outside its range.
    #[error("draws must be {}, found {found}", crate::numerics::ranges::DRAWS_EXPECTED)]
    Draws {
        /// The number found.
        found: usize,
    },
    /// The plan cannot be evaluated.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A run would hold more numbers than a run may.
    #[error(
        "{draws} draws of {width} random sources or modules are {cells} numbers, more than {max}; lower the draws or give uncertainty per part rather than per module"
    )]
    TooLarge {
        /// Draws asked for.
        draws: usize,
        /// The larger of the random sources and the modules.
        width: usize,
        /// `draws × width`.
        cells: u128,
        /// [`MAX_DRAW_CELLS`](crate::ranges::MAX_DRAW_CELLS).
        max: usize,
    },
    /// A module's figure in some draw came out NaN or infinite. Never happens for numbers within
    /// their accepted ranges; reported, never returned.
    #[error("module \"{module}\": its {figure} in draw {draw} is not a finite number (found {}); its numbers lie outside what can be computed, see the accepted ranges in docs/model.md", crate::numerics::Shown(*found))]
    NotFinite {
        /// The module's key, or the group's whose sum overflows (`(total)` for the plan).
        module: String,
        /// Which figure (`leads`, `gross_profit`…).
        figure: &'static str,
        /// Zero-based draw.
        draw: usize,
        /// The value computed.
        found: f64,
    },
    /// The plan's modules changed after the simulation was made.
    #[error(
        "the simulation was made for another set of modules than the plan has now; run it again after changing the plan"
    )]
    Stale,
    /// The time model cannot be evaluated (boxed: a time error is large, and every result of
    /// the crate carries the largest error's size).
    #[error(transparent)]
    Time(Box<TimeError>),
}

impl From<TimeError> for UncertaintyError {
    fn from(e: TimeError) -> UncertaintyError {
        UncertaintyError::Time(Box::new(e))
    }
}
