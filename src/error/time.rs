//! Errors raised by the time layer: horizons, flights, seasonality, sales capacity, lags,
//! schedules, evaluation over periods and optimisation over time.

use crate::error::{BudgetError, OptimizeError, ReportError};

/// Why a time model, a schedule or a time evaluation cannot be built.
///
/// # Design
/// The time layer is validated once, when a [`TimeModel`](crate::time::TimeModel) is checked
/// against a plan (directly or through
/// [`TimeModel::from_file`](crate::time::TimeModel::from_file)). Every variant names what is
/// wrong by key (team, offer, module, channel, segment) and carries the value found, so a
/// message points at the line of the script or plan file to fix. Errors of the layers below
/// (allocation, optimisation) pass through unchanged.
///
/// # Example
/// ```
/// use offergraph::time::Lag;
/// let err = Lag::geometric(-1.0).unwrap_err();
/// assert_eq!(err.to_string(), "geometric lag mean must be 0 or a number in [0.01, 520], found -1");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// A number is NaN, infinite or outside its range.
    #[error("{what} must be {expected}, found {}", crate::numerics::Shown(*found))]
    InvalidValue {
        /// What the number is, with its owner's key (`team "desk" reps`).
        what: String,
        /// The value found.
        found: f64,
        /// What was expected.
        expected: &'static str,
    },
    /// A module's figure in one period came out NaN or infinite (an iteration ran out or a value
    /// overflowed). Never happens for numbers within their accepted ranges; reported, never
    /// returned.
    #[error("module \"{module}\": its {figure} in period {period} is not a finite number (found {}); its parts' numbers lie outside what can be computed, see the accepted ranges in docs/model.md", crate::numerics::Shown(*found))]
    NotFinite {
        /// The module's key.
        module: String,
        /// Which figure (`leads`, `deals`…).
        figure: &'static str,
        /// Zero-based period (the horizon's length for the deals closing after it).
        period: usize,
        /// The value computed.
        found: f64,
    },
    /// A per-period series does not have one value per period.
    #[error("{what} has {found} values, but the horizon has {periods} periods; give one value per period")]
    WrongLength {
        /// Which series.
        what: String,
        /// Number of values found.
        found: usize,
        /// Number of periods of the horizon.
        periods: usize,
    },
    /// Weights that must be normalised are all zero.
    #[error("{what} are all zero; give at least one positive weight")]
    AllZero {
        /// Which weights.
        what: String,
    },
    /// Weights that must sum to one do not.
    #[error("{what} add up to {sum}, not 1; make them sum to 1")]
    NotNormalised {
        /// Which weights.
        what: String,
        /// Their sum.
        sum: f64,
    },
    /// A key does not name a part or module of the plan.
    #[error("{referrer} refers to {entity} \"{key}\", which the plan does not have")]
    UnknownKey {
        /// Who refers to it (`team "desk"`, `lags`).
        referrer: String,
        /// `"module"`, `"segment"`, `"offer"`, `"channel"`.
        entity: &'static str,
        /// The key found.
        key: String,
    },
    /// A team or an entry appears twice.
    #[error("duplicate {entity} \"{key}\" in the time model")]
    Duplicate {
        /// What is repeated (`"team"`, `"offer lag"`).
        entity: &'static str,
        /// The repeated key.
        key: String,
    },
    /// A team has more holidays in a period than working days.
    #[error(
        "team \"{team}\" has {holidays} holidays in period {period}, more than its {working_days} working days"
    )]
    TooManyHolidays {
        /// Team key.
        team: String,
        /// Zero-based period.
        period: usize,
        /// Holidays given.
        holidays: f64,
        /// Working days per period.
        working_days: f64,
    },
    /// A period index is outside the horizon.
    #[error("{what} refers to period {period}, but the horizon has {periods} periods (numbered from 0)")]
    PeriodOutOfRange {
        /// Who refers to it.
        what: String,
        /// The period found.
        period: usize,
        /// Number of periods.
        periods: usize,
    },
    /// Two teams claim the same module at the same level of assignment.
    #[error(
        "module \"{module}\" feeds both team \"{first}\" and team \"{second}\" (by {by}); assign it to one team"
    )]
    TeamConflict {
        /// Module key.
        module: String,
        /// The first team.
        first: String,
        /// The second team.
        second: String,
        /// `"module"`, `"segment"` or `"channel"`.
        by: &'static str,
    },
    /// A schedule does not have one spend per module and period.
    #[error("the schedule has {found} spends, but {modules} modules × {periods} periods need {}", modules * periods)]
    ScheduleShape {
        /// Cells found.
        found: usize,
        /// Modules of the plan.
        modules: usize,
        /// Periods of the horizon.
        periods: usize,
    },
    /// A schedule spends money on a module that is switched off.
    #[error(
        "module \"{module}\" is switched off, but the schedule spends {spend} on it in period {period}; \
         set that spend to 0 or switch the module on"
    )]
    SpendOnInactive {
        /// Module key.
        module: String,
        /// Zero-based period.
        period: usize,
        /// The spend found.
        spend: f64,
    },
    /// The plan's modules changed after the schedule or evaluation was made.
    #[error(
        "the {what} was made for another set of modules than the plan has now; make it again after changing the plan"
    )]
    Stale {
        /// What is stale: `"schedule"` or `"time evaluation"`.
        what: &'static str,
    },
    /// Two evaluations over different horizons cannot be compared period by period.
    #[error("cannot compare an evaluation over {first} periods with one over {second} periods")]
    PeriodsDiffer {
        /// Periods of the first evaluation.
        first: usize,
        /// Periods of the second.
        second: usize,
    },
    /// Two evaluations of plans without a module in common cannot be compared.
    #[error(
        "cannot compare an evaluation of plan \"{first}\" with one of plan \"{second}\": they have no module in common"
    )]
    Unrelated {
        /// The first plan's name.
        first: String,
        /// The second plan's name.
        second: String,
    },
    /// A name asked of an evaluation or a routing comparison is not there.
    #[error("there is no {entity} \"{key}\" in this {place}")]
    NotFound {
        /// `"team"`, `"module"`, `"policy"`.
        entity: &'static str,
        /// The key asked for.
        key: String,
        /// `"evaluation"`, `"comparison"`.
        place: &'static str,
    },
    /// The plan's budget could not be allocated.
    #[error(transparent)]
    Budget(#[from] BudgetError),
    /// A report-level check failed (for example an invalid target ROMI).
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The optimisation over time failed (invalid, infeasible or unbounded problem).
    #[error(transparent)]
    Optimize(#[from] OptimizeError),
}
