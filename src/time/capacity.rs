//! Sales capacity: teams that process leads, and what happens to leads above capacity.
//!
//! Each period a team can process `reps × leads per rep per working day × (working days −
//! holidays)` leads. Leads are processed in this order: the backlog first, oldest leads first,
//! then the period's new leads. Leads that do not fit are **lost** (they go stale and bring
//! nothing) or wait in a **backlog**; a lead that waited `w` periods converts at `c·(1 − decay)^w`.
//! Within one arrival period, every module's leads are processed in the same proportion.

use indexmap::IndexMap;

use crate::error::TimeError;
use crate::numerics::ranges::{self, Range};

/// A sales team: its size, throughput, working days, holidays, and the modules that feed it.
///
/// A module feeds the team that names it directly; failing that, the team that names its
/// segment; failing that, the team that names its channel. Modules no team claims are not
/// capacity-limited.
///
/// # Example
/// ```
/// use offergraph::time::SalesTeam;
/// // 3 reps × 8 leads a day × 5 days = 120 leads a week; one day off in period 2 (periods
/// // count from 0, so the third week).
/// let team = SalesTeam::new("desk", 3.0, 8.0, 5.0)?.with_holidays(2, 1.0)?.with_segment("north");
/// assert_eq!(team.capacity(0), 120.0);
/// assert_eq!(team.capacity(2), 96.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SalesTeam {
    pub(crate) key: String,
    pub(crate) reps: f64,
    pub(crate) leads_per_rep_day: f64,
    pub(crate) working_days: f64,
    pub(crate) holidays: IndexMap<usize, f64>,
    pub(crate) modules: Vec<String>,
    pub(crate) segments: Vec<String>,
    pub(crate) channels: Vec<String>,
}

fn within(what: String, v: f64, range: Range) -> Result<f64, TimeError> {
    range.check(v).map_err(|expected| TimeError::InvalidValue { what, found: v, expected })
}

impl SalesTeam {
    /// A team of `reps` people (fractions allowed: part-time), each handling
    /// `leads_per_rep_per_day` leads a working day, with `working_days` working days a period.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] for a number outside its range:
    /// [`ranges::HEADCOUNT`],
    /// [`ranges::LEADS_PER_DAY`], [`ranges::DAYS`].
    ///
    /// ```
    /// let err = offergraph::time::SalesTeam::new("desk", -1.0, 8.0, 5.0).unwrap_err();
    /// assert_eq!(err.to_string(), "team \"desk\" reps must be 0 or a number in [0.001, 1e6], found -1");
    /// ```
    pub fn new(
        key: impl Into<String>,
        reps: f64,
        leads_per_rep_per_day: f64,
        working_days: f64,
    ) -> Result<SalesTeam, TimeError> {
        let key = key.into();
        Ok(SalesTeam {
            reps: within(format!("team \"{key}\" reps"), reps, ranges::HEADCOUNT)?,
            leads_per_rep_day: within(
                format!("team \"{key}\" leads_per_rep_per_day"),
                leads_per_rep_per_day,
                ranges::LEADS_PER_DAY,
            )?,
            working_days: within(format!("team \"{key}\" working_days"), working_days, ranges::DAYS)?,
            key,
            holidays: IndexMap::new(),
            modules: Vec::new(),
            segments: Vec::new(),
            channels: Vec::new(),
        })
    }

    /// Adds `days` holidays in period `period`, counted from 0 like every period index (they add
    /// up when given twice).
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] for a NaN, infinite or negative number of days;
    /// [`TimeError::TooManyHolidays`] when the period's holidays exceed the working days.
    ///
    /// ```
    /// use offergraph::time::SalesTeam;
    /// let err = SalesTeam::new("desk", 2.0, 8.0, 5.0)?.with_holidays(1, 6.0).unwrap_err();
    /// assert_eq!(err.to_string(), "team \"desk\" has 6 holidays in period 1, more than its 5 working days");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_holidays(mut self, period: usize, days: f64) -> Result<SalesTeam, TimeError> {
        let days = within(format!("team \"{}\" holidays", self.key), days, ranges::DAYS)?;
        let total = self.holidays.get(&period).copied().unwrap_or(0.0) + days;
        if total > self.working_days {
            return Err(TimeError::TooManyHolidays {
                team: self.key,
                period,
                holidays: total,
                working_days: self.working_days,
            });
        }
        self.holidays.insert(period, total);
        Ok(self)
    }

    /// Routes one module (by key) to this team.
    ///
    /// ```
    /// let t = offergraph::time::SalesTeam::new("desk", 1.0, 1.0, 1.0)?.with_module("m-1");
    /// assert_eq!(t.modules(), ["m-1"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_module(mut self, key: impl Into<String>) -> SalesTeam {
        self.modules.push(key.into());
        self
    }

    /// Routes every module of a segment (by key) to this team.
    ///
    /// ```
    /// let t = offergraph::time::SalesTeam::new("desk", 1.0, 1.0, 1.0)?.with_segment("north");
    /// assert_eq!(t.segments(), ["north"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_segment(mut self, key: impl Into<String>) -> SalesTeam {
        self.segments.push(key.into());
        self
    }

    /// Routes every module of a channel (by key) to this team.
    ///
    /// ```
    /// let t = offergraph::time::SalesTeam::new("desk", 1.0, 1.0, 1.0)?.with_channel("search");
    /// assert_eq!(t.channels(), ["search"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_channel(mut self, key: impl Into<String>) -> SalesTeam {
        self.channels.push(key.into());
        self
    }

    /// The team's key.
    ///
    /// ```
    /// assert_eq!(offergraph::time::SalesTeam::new("desk", 1.0, 1.0, 1.0)?.key(), "desk");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Number of reps.
    ///
    /// ```
    /// assert_eq!(offergraph::time::SalesTeam::new("d", 4.0, 1.0, 1.0)?.reps(), 4.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reps(&self) -> f64 {
        self.reps
    }

    /// Leads one rep handles per working day.
    ///
    /// ```
    /// assert_eq!(offergraph::time::SalesTeam::new("d", 1.0, 8.0, 1.0)?.leads_per_rep_per_day(), 8.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn leads_per_rep_per_day(&self) -> f64 {
        self.leads_per_rep_day
    }

    /// Working days per period.
    ///
    /// ```
    /// assert_eq!(offergraph::time::SalesTeam::new("d", 1.0, 1.0, 5.0)?.working_days(), 5.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn working_days(&self) -> f64 {
        self.working_days
    }

    /// Holidays in period `period`.
    ///
    /// ```
    /// let t = offergraph::time::SalesTeam::new("d", 1.0, 1.0, 5.0)?.with_holidays(3, 2.0)?;
    /// assert_eq!((t.holidays(3), t.holidays(0)), (2.0, 0.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holidays(&self, period: usize) -> f64 {
        self.holidays.get(&period).copied().unwrap_or(0.0)
    }

    /// Module keys routed here.
    ///
    /// ```
    /// assert!(offergraph::time::SalesTeam::new("d", 1.0, 1.0, 5.0)?.modules().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modules(&self) -> &[String] {
        &self.modules
    }

    /// Segment keys routed here.
    ///
    /// ```
    /// assert!(offergraph::time::SalesTeam::new("d", 1.0, 1.0, 5.0)?.segments().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// Channel keys routed here.
    ///
    /// ```
    /// assert!(offergraph::time::SalesTeam::new("d", 1.0, 1.0, 5.0)?.channels().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn channels(&self) -> &[String] {
        &self.channels
    }

    /// Leads the team can process in period `period`.
    ///
    /// ```
    /// let t = offergraph::time::SalesTeam::new("d", 2.0, 10.0, 5.0)?;
    /// assert_eq!(t.capacity(0), 100.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn capacity(&self, period: usize) -> f64 {
        self.reps * self.leads_per_rep_day * (self.working_days - self.holidays(period)).max(0.0)
    }

    /// Re-checks the numbers (a team may have been built field by field inside the crate).
    pub(crate) fn check(&self, periods: usize) -> Result<(), TimeError> {
        for (&period, &days) in &self.holidays {
            if period >= periods {
                return Err(TimeError::PeriodOutOfRange {
                    what: format!("holidays of team \"{}\"", self.key),
                    period,
                    periods,
                });
            }
            if days > self.working_days {
                return Err(TimeError::TooManyHolidays {
                    team: self.key.clone(),
                    period,
                    holidays: days,
                    working_days: self.working_days,
                });
            }
        }
        Ok(())
    }
}

/// What happens to leads a team cannot process in the period they arrive.
///
/// # Example
/// ```
/// use offergraph::time::Overflow;
/// assert_eq!(Overflow::default(), Overflow::Lost);
/// assert_eq!(Overflow::backlog(0.2)?, Overflow::Backlog { decay: 0.2 });
/// let err = Overflow::backlog(1.5).unwrap_err();
/// assert_eq!(err.to_string(), "backlog decay must be 0 or a number in [1e-9, 1], found 1.5");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub enum Overflow {
    /// Leads above capacity go stale and are lost.
    #[default]
    Lost,
    /// Leads above capacity wait; after waiting `w` periods they convert at `c·(1 − decay)^w`.
    Backlog {
        /// Share of conversion lost per period waited, in `[0, 1]`.
        decay: f64,
    },
}

impl Overflow {
    /// A backlog whose conversion decays by `decay` per period waited.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] unless `decay` is in [`ranges::RATE`].
    ///
    /// ```
    /// assert!(offergraph::time::Overflow::backlog(f64::NAN).is_err());
    /// ```
    pub fn backlog(decay: f64) -> Result<Overflow, TimeError> {
        Ok(Overflow::Backlog { decay: within("backlog decay".into(), decay, ranges::RATE)? })
    }

    pub(crate) fn check(self) -> Result<(), TimeError> {
        match self {
            Overflow::Lost => Ok(()),
            Overflow::Backlog { decay } => Overflow::backlog(decay).map(|_| ()),
        }
    }
}

/// Leads of arrival period `from` processed in period `at`: `share` of that period's arrivals,
/// converting at `factor` times the module's rate (the backlog decay).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cell {
    pub from: usize,
    pub at: usize,
    pub share: f64,
    pub factor: f64,
}

/// One team's flow of leads over the horizon.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Flow {
    pub arrivals: Vec<f64>,
    pub processed: Vec<f64>,
    pub backlog: Vec<f64>,
    pub lost: Vec<f64>,
    pub cells: Vec<Cell>,
}

/// Runs the queue: backlog first (oldest first), then new leads; overflow lost or kept.
pub(crate) fn simulate(capacity: &[f64], arrivals: Vec<f64>, overflow: Overflow) -> Flow {
    let n = arrivals.len();
    let mut flow = Flow {
        processed: vec![0.0; n],
        backlog: vec![0.0; n],
        lost: vec![0.0; n],
        cells: Vec::with_capacity(n),
        arrivals,
    };
    let mut waiting = vec![0.0f64; n];
    let mut oldest = 0;
    for t in 0..n {
        let mut left = capacity[t];
        if let Overflow::Backlog { decay } = overflow {
            for (a, waits) in waiting.iter_mut().enumerate().take(t).skip(oldest) {
                if left <= 0.0 {
                    break;
                }
                let x = waits.min(left);
                if x > 0.0 {
                    flow.cells.push(Cell {
                        from: a,
                        at: t,
                        share: x / flow.arrivals[a],
                        factor: (1.0 - decay).powi((t - a) as i32),
                    });
                    *waits -= x;
                    left -= x;
                    flow.processed[t] += x;
                }
            }
            while oldest < t && waiting[oldest] <= 0.0 {
                oldest += 1;
            }
        }
        let new = flow.arrivals[t];
        let x = new.min(left.max(0.0));
        if x > 0.0 {
            flow.cells.push(Cell { from: t, at: t, share: x / new, factor: 1.0 });
            flow.processed[t] += x;
        }
        let rest = new - x;
        match overflow {
            Overflow::Lost => flow.lost[t] = rest,
            Overflow::Backlog { .. } => waiting[t] = rest,
        }
        flow.backlog[t] = waiting[oldest..=t].iter().sum();
    }
    flow
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;
    use proptest::prelude::*;

    #[test]
    fn lost_and_backlog_by_hand() {
        // Capacity 100 a period; 150, 50, 120 leads arrive.
        let cap = [100.0; 3];
        let lost = simulate(&cap, vec![150.0, 50.0, 120.0], Overflow::Lost);
        assert_eq!(lost.processed, [100.0, 50.0, 100.0]);
        assert_eq!(lost.lost, [50.0, 0.0, 20.0]);
        assert_eq!(lost.backlog, [0.0; 3]);
        let kept = simulate(&cap, vec![150.0, 50.0, 120.0], Overflow::Backlog { decay: 0.5 });
        // Period 1: the 50 waiting go first, then the 50 new. Period 2: 100 of 120 new, 20 wait.
        assert_eq!(kept.processed, [100.0, 100.0, 100.0]);
        assert_eq!(kept.backlog, [50.0, 0.0, 20.0]);
        assert_eq!(kept.lost, [0.0; 3]);
        let late = kept.cells.iter().find(|c| c.from == 0 && c.at == 1).expect("backlog processed");
        assert!(tol::approx_eq(late.share, 1.0 / 3.0, tol::BUDGET_REL));
        assert!(tol::approx_eq(late.factor, 0.5, tol::BUDGET_REL));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn processed_never_exceeds_capacity(
            pairs in proptest::collection::vec((0.0..200.0f64, 0.0..200.0f64), 1..30),
            decay in 0.0..1.0f64,
            backlog in any::<bool>(),
        ) {
            let cap: Vec<f64> = pairs.iter().map(|p| p.0).collect();
            let arrivals: Vec<f64> = pairs.iter().map(|p| p.1).collect();
            let total: f64 = arrivals.iter().sum();
            let overflow = if backlog { Overflow::Backlog { decay } } else { Overflow::Lost };
            let f = simulate(&cap, arrivals, overflow);
            for (p, c) in f.processed.iter().zip(&cap) {
                prop_assert!(*p <= c * (1.0 + 1e-12));
            }
            // Conservation: processed + lost + still waiting = arrived.
            let done: f64 = f.processed.iter().sum::<f64>() + f.lost.iter().sum::<f64>() + f.backlog[cap.len() - 1];
            prop_assert!(tol::approx_eq(done, total, 1e-9));
        }
    }
}
