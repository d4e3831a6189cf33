//! Shadow prices of the optimum over time, each labelled with its constraint: which team in
//! which period, which period's spending cap, or the budget.

use serde::{Deserialize, Serialize};

/// The constraint a [`TimeShadowPrice`] belongs to.
///
/// ```
/// use offergraph::time::TimeConstraint;
/// let c = TimeConstraint::Capacity { team: "sales".into(), period: 3 };
/// assert_eq!(c.to_string(), "team \"sales\" capacity in period 3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimeConstraint {
    /// The budget over the horizon.
    Budget,
    /// A sales team's capacity (leads) in one period (counted from 0).
    Capacity {
        /// The team's key.
        team: String,
        /// The period.
        period: usize,
    },
    /// The cap on one period's spend (from the flights or given amounts).
    PeriodCap {
        /// The period.
        period: usize,
    },
}

impl std::fmt::Display for TimeConstraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimeConstraint::Budget => f.write_str("budget"),
            TimeConstraint::Capacity { team, period } => {
                write!(f, "team \"{team}\" capacity in period {period}")
            }
            TimeConstraint::PeriodCap { period } => write!(f, "spending cap of period {period}"),
        }
    }
}

/// One multiplier of a [`TimeOptimum`](crate::time::TimeOptimum), labelled with its
/// [`TimeConstraint`]: what one more unit of the constraint's limit is worth to the objective —
/// per lead for a team's capacity, per unit of money for the budget and a period's cap.
///
/// ```
/// use offergraph::time::{TimeConstraint, TimeShadowPrice};
/// let p = TimeShadowPrice::new(TimeConstraint::Capacity { team: "sales".into(), period: 0 }, 3607.0);
/// assert_eq!(p.to_string(), "team \"sales\" capacity in period 0: 3607");
/// ```
pub type TimeShadowPrice = crate::optimize::ShadowPrice<TimeConstraint>;
