//! Per-period changes between two evaluations over the same horizon.

use crate::report::Figures;
use crate::report::write_table;
use crate::time::figures::PeriodFigures;

/// Per-period changes between two evaluations of the same horizon (for scenario diffs).
///
/// # Example
/// ```
/// use offergraph::time::{Flights, Horizon, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let even = TimeModel::new(Horizon::weeks(4)?).evaluate(&plan)?;
/// let front = TimeModel::new(Horizon::weeks(4)?).with_flights(Flights::front_loaded()).evaluate(&plan)?;
/// let diff = even.diff(&front)?;
/// assert!((diff.periods[0].delta().spend - (0.4 - 0.25) * 60_000.0).abs() < 1e-6);
/// assert!(diff.full_cycle_delta().spend.abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TimeDiff {
    /// One entry per period.
    pub periods: Vec<PeriodDiff>,
    /// Full-cycle totals before.
    pub before: Figures,
    /// Full-cycle totals after.
    pub after: Figures,
}

/// One period of a [`TimeDiff`].
///
/// ```
/// use offergraph::time::{Flights, Horizon, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let even = TimeModel::new(Horizon::weeks(4)?).evaluate(&plan)?;
/// let front = TimeModel::new(Horizon::weeks(4)?).with_flights(Flights::front_loaded()).evaluate(&plan)?;
/// let first = even.diff(&front)?.periods[0];
/// assert_eq!((first.period, first.before.spend), (0, 15_000.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PeriodDiff {
    /// Zero-based period.
    pub period: usize,
    /// Figures of the first evaluation.
    pub before: PeriodFigures,
    /// Figures of the second evaluation.
    pub after: PeriodFigures,
}

impl PeriodDiff {
    /// `after − before`.
    ///
    /// ```
    /// use offergraph::time::{Flights, Horizon, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let even = TimeModel::new(Horizon::weeks(4)?).evaluate(&plan)?;
    /// let front = TimeModel::new(Horizon::weeks(4)?).with_flights(Flights::front_loaded()).evaluate(&plan)?;
    /// let first = even.diff(&front)?.periods[0];
    /// // Front-loading puts 40% of 60 000 in week 1 instead of 25%.
    /// assert!((first.delta().spend - 0.15 * 60_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delta(&self) -> PeriodFigures {
        self.after - self.before
    }
}

impl std::fmt::Display for TimeDiff {
    /// One row per period with the changes in spend, leads, deals and gross profit.
    ///
    /// ```
    /// use offergraph::time::{Flights, Horizon, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let even = TimeModel::new(Horizon::weeks(2)?).evaluate(&plan)?;
    /// let front = TimeModel::new(Horizon::weeks(2)?).with_flights(Flights::front_loaded()).evaluate(&plan)?;
    /// let table = even.diff(&front)?.to_string();
    /// assert!(table.starts_with("period"));
    /// assert_eq!(table.lines().count(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let periods = self.periods.iter().map(|p| {
            let d = p.delta();
            let (spend, leads) = (format!("{:.0}", d.spend), format!("{:.1}", d.leads));
            let (deals, gross) = (format!("{:.2}", d.deals), format!("{:.0}", d.gross_profit));
            [(p.period + 1).to_string(), spend, leads, deals, gross]
        });
        let header = ["period", "Δ spend", "Δ leads", "Δ deals", "Δ gross"];
        write_table(f, header, periods)
    }
}

impl TimeDiff {
    /// Change of the full-cycle totals, `after − before`.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.diff(&e)?.full_cycle_delta().gross_profit, 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_cycle_delta(&self) -> Figures {
        self.after - self.before
    }
}
