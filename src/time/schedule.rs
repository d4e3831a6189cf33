//! [`Schedule`]: spend per module and period.

use crate::Plan;
use crate::error::TimeError;
use crate::numerics::ranges;

/// Spend per module and period, for one plan (modules in plan order).
///
/// Made by [`TimeModel::schedule`](crate::time::TimeModel::schedule) (the plan's allocation split
/// by the flights), by the optimisation over time, or by hand with [`Schedule::new`].
///
/// # Example
/// ```
/// use offergraph::time::Schedule;
/// let plan = offergraph::sample::apartments()?;
/// // 6 modules × 2 periods, row by row: module 0 spends 1000 then 0, …
/// let s = Schedule::new(&plan, 2, [1000.0, 0.0].repeat(6))?;
/// assert_eq!(s.spend(0, 0), 1000.0);
/// assert_eq!(s.period_total(0), 6000.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    revision: u64,
    periods: usize,
    spend: Vec<f64>,
}

impl Schedule {
    /// A schedule from spends laid out `[module * periods + t]`.
    ///
    /// # Errors
    /// [`TimeError::ScheduleShape`] when there is not one spend per module and period;
    /// [`TimeError::InvalidValue`] for a NaN, infinite or negative spend;
    /// [`TimeError::SpendOnInactive`] for money on a module that is not active.
    ///
    /// ```
    /// let plan = offergraph::sample::apartments()?;
    /// let err = offergraph::time::Schedule::new(&plan, 2, vec![1.0; 3]).unwrap_err();
    /// assert_eq!(err.to_string(), "the schedule has 3 spends, but 6 modules × 2 periods need 12");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(plan: &Plan, periods: usize, spend: Vec<f64>) -> Result<Schedule, TimeError> {
        let n = plan.module_count();
        if periods == 0 || spend.len() != n * periods {
            return Err(TimeError::ScheduleShape { found: spend.len(), modules: n, periods });
        }
        for (i, m) in plan.modules().enumerate() {
            for t in 0..periods {
                let s = spend[i * periods + t];
                if let Err(expected) = ranges::MONEY.check(s) {
                    return Err(TimeError::InvalidValue {
                        what: format!("spend of module \"{}\" in period {t}", m.key()),
                        found: s,
                        expected,
                    });
                }
                if s > 0.0 && !m.is_active() {
                    return Err(TimeError::SpendOnInactive {
                        module: m.key().to_owned(),
                        period: t,
                        spend: s,
                    });
                }
            }
        }
        Ok(Schedule::from_checked(plan, periods, spend))
    }

    /// A schedule the crate computed itself (spends already valid).
    pub(crate) fn from_checked(plan: &Plan, periods: usize, spend: Vec<f64>) -> Schedule {
        Schedule { revision: plan.revision(), periods, spend }
    }

    /// Checks that the schedule still lines up with the plan and the horizon.
    pub(crate) fn check(&self, plan: &Plan, periods: usize) -> Result<(), TimeError> {
        if self.revision != plan.revision() || self.spend.len() != plan.module_count() * self.periods {
            return Err(TimeError::Stale { what: "schedule" });
        }
        if self.periods != periods {
            return Err(TimeError::PeriodsDiffer { first: self.periods, second: periods });
        }
        Ok(())
    }

    /// Number of periods.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(offergraph::time::Schedule::new(&plan, 3, vec![0.0; 18])?.periods(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// Spend of module `module` (plan order) in period `t`; 0 outside the schedule.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let s = offergraph::time::Schedule::new(&plan, 1, vec![5.0; 6])?;
    /// assert_eq!((s.spend(5, 0), s.spend(6, 0)), (5.0, 0.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spend(&self, module: usize, t: usize) -> f64 {
        if t >= self.periods {
            return 0.0;
        }
        self.spend.get(module * self.periods + t).copied().unwrap_or(0.0)
    }

    /// One module's spends over the periods, by key.
    ///
    /// # Errors
    /// [`TimeError::Stale`] when the plan's modules changed; [`TimeError::NotFound`] for an
    /// unknown module.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let s = offergraph::time::Schedule::new(&plan, 2, [3.0, 4.0].repeat(6))?;
    /// assert_eq!(s.module(&plan, "families/playground/2-room/search")?, [3.0, 4.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, plan: &Plan, key: &str) -> Result<&[f64], TimeError> {
        self.check(plan, self.periods)?;
        let i = plan.index_of(key).map_err(|_| TimeError::NotFound {
            entity: "module",
            key: key.to_owned(),
            place: "schedule",
        })?;
        Ok(&self.spend[i * self.periods..(i + 1) * self.periods])
    }

    /// All spends, `[module * periods + t]`.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(offergraph::time::Schedule::new(&plan, 1, vec![1.0; 6])?.as_slice().len(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_slice(&self) -> &[f64] {
        &self.spend
    }

    /// Total spend of period `t` over all modules.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(offergraph::time::Schedule::new(&plan, 1, vec![1.0; 6])?.period_total(0), 6.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn period_total(&self, t: usize) -> f64 {
        if t >= self.periods {
            return 0.0;
        }
        self.spend.iter().skip(t).step_by(self.periods).sum()
    }

    /// Total spend over the horizon.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(offergraph::time::Schedule::new(&plan, 2, vec![1.0; 12])?.total(), 12.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn total(&self) -> f64 {
        self.spend.iter().sum()
    }
}
