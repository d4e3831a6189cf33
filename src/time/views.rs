//! What a [`TimeEvaluation`] answers: per-team and per-module series, the ROMI views (naive per
//! period, cumulative, full cycle), totals in and after the horizon, and diffs.

use crate::Plan;
use crate::error::TimeError;
use crate::report::Figures;
use crate::time::diff::{PeriodDiff, TimeDiff};
use crate::time::evaluate::TimeEvaluation;
use crate::time::figures::{CohortTable, ModuleSeries, PeriodFigures, TeamFlow, ratio};

impl TimeEvaluation {
    /// Number of periods.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.periods(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// What a period is called (`"week"`).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.unit(), "week");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// Plan-wide figures per period.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(4)?).evaluate(&plan)?;
    /// assert!((e.totals()[0].spend - 15_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn totals(&self) -> &[PeriodFigures] {
        &self.totals
    }

    /// The lead flow of every sales team, in model order.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!(e.teams().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn teams(&self) -> &[TeamFlow] {
        &self.teams
    }

    /// The lead flow of one team.
    ///
    /// # Errors
    /// [`TimeError::NotFound`] for an unknown team.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.team("desk").unwrap_err().to_string(), "there is no team \"desk\" in this evaluation");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn team(&self, key: &str) -> Result<&TeamFlow, TimeError> {
        self.teams.iter().find(|t| t.key == key).ok_or_else(|| TimeError::NotFound {
            entity: "team",
            key: key.to_owned(),
            place: "evaluation",
        })
    }

    /// The cohort table (lead period × close period).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.cohort().periods(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cohort(&self) -> &CohortTable {
        &self.cohort
    }

    /// The modules no sales team claims, by key, when the model has teams: their leads are not
    /// capacity-limited (processed at once), so neither the evaluation nor the optimum over time
    /// holds them to any desk. Empty when the model has no team (capacity is not modelled).
    ///
    /// # Errors
    /// [`TimeError::Stale`] when the plan's modules changed since the evaluation.
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let desk = SalesTeam::new("desk", 1.0, 8.0, 5.0)?.with_channel("search").with_channel("social");
    /// let e = TimeModel::new(Horizon::weeks(2)?).with_team(desk).evaluate(&plan)?;
    /// // Only the outdoor module is left to nobody.
    /// assert_eq!(e.unclaimed_modules(&plan)?, ["investors/yield/1-room/outdoor"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unclaimed_modules<'p>(&self, plan: &'p Plan) -> Result<Vec<&'p str>, TimeError> {
        if plan.revision() != self.revision {
            return Err(TimeError::Stale { what: "time evaluation" });
        }
        Ok(self.unclaimed.iter().map(|&i| plan.key_at(i)).collect())
    }

    /// Keys of the offers (in plan order) some module of which had no lag in this evaluation:
    /// their deals closed in the period the leads were processed (see
    /// [`TimeModel::with_default_lag`](crate::time::TimeModel::with_default_lag)).
    ///
    /// ```
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let e = TimeModel::new(Horizon::weeks(2)?).with_offer_lag("1-room", Lag::geometric(1.0)?).evaluate(&plan)?;
    /// assert_eq!(e.offers_without_lag(), ["2-room", "3-room"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn offers_without_lag(&self) -> &[String] {
        &self.offers_without_lag
    }

    /// One module's series, by key.
    ///
    /// # Errors
    /// [`TimeError::Stale`] when the plan's modules changed since the evaluation;
    /// [`TimeError::NotFound`] for an unknown module.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!(e.module(&plan, "nope").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, plan: &Plan, key: &str) -> Result<ModuleSeries<'_>, TimeError> {
        if plan.revision() != self.revision || plan.module_count() * self.periods != self.spend.len() {
            return Err(TimeError::Stale { what: "time evaluation" });
        }
        let i = plan.index_of(key).map_err(|_| TimeError::NotFound {
            entity: "module",
            key: key.to_owned(),
            place: "evaluation",
        })?;
        Ok(self.series(i))
    }

    /// Module `i` (plan order).
    pub(crate) fn series(&self, i: usize) -> ModuleSeries<'_> {
        let r = i * self.periods..(i + 1) * self.periods;
        ModuleSeries {
            spend: &self.spend[r.clone()],
            leads: &self.leads[r.clone()],
            processed: &self.processed[r.clone()],
            deals: &self.deals[r],
            deals_after_horizon: self.deals_after[i],
            deal_value: self.value[i].0,
            margin: self.value[i].1,
        }
    }

    /// ROMI per period as a naive dashboard computes it: the period's closed gross profit over
    /// its spend ([`PeriodFigures::naive_romi`]).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.naive_romi().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn naive_romi(&self) -> Vec<Option<f64>> {
        self.totals.iter().map(PeriodFigures::naive_romi).collect()
    }

    /// Cumulative ROMI: gross profit closed up to and including each period over spend up to it.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let last = e.cumulative_romi()[1].unwrap();
    /// assert!((last - e.in_horizon().romi().unwrap()).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cumulative_romi(&self) -> Vec<Option<f64>> {
        let (mut s, mut g) = (0.0, 0.0);
        self.totals
            .iter()
            .map(|p| {
                s += p.spend;
                g += p.gross_profit;
                ratio(g - s, s)
            })
            .collect()
    }

    /// Full-cycle ROMI of each period's spend: every deal its leads eventually bring
    /// ([`PeriodFigures::full_cycle_romi`]).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!(e.full_cycle_romi_by_period()[0].is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_cycle_romi_by_period(&self) -> Vec<Option<f64>> {
        self.totals.iter().map(PeriodFigures::full_cycle_romi).collect()
    }

    /// Full-cycle ROMI of the whole horizon's spend.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!((e.full_cycle_romi().unwrap() - plan.evaluate()?.total().romi().unwrap()).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_cycle_romi(&self) -> Option<f64> {
        self.full_cycle().romi()
    }

    /// Totals over the horizon: spend and leads, and the deals that close within it.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!((e.in_horizon().spend - 60_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn in_horizon(&self) -> Figures {
        self.totals.iter().map(PeriodFigures::closing).sum()
    }

    /// What is still expected after the horizon: deals, revenue and gross profit from leads
    /// processed within it that close later (spend and leads are 0).
    ///
    /// ```
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = TimeModel::new(Horizon::weeks(2)?).with_offer_lag("2-room", Lag::from_weights(vec![0.0, 0.0, 1.0])?).evaluate(&plan)?;
    /// assert!(e.after_horizon().deals > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn after_horizon(&self) -> Figures {
        let t = self.periods;
        (0..t)
            .map(|a| {
                Figures::closing(
                    self.cohort.deals(a, t),
                    self.cohort.revenue(a, t),
                    self.cohort.gross_profit(a, t),
                )
            })
            .sum()
    }

    /// Full-cycle totals: the horizon's spend and leads and every deal they bring.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let f = e.full_cycle();
    /// assert!((f.deals - e.in_horizon().deals - e.after_horizon().deals).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_cycle(&self) -> Figures {
        self.in_horizon() + self.after_horizon()
    }

    /// Max sustainable cost per lead over the full cycle for a target ROMI: full-cycle gross
    /// profit per lead `/ (1 + target)`; `None` without leads. Leads lost to over-sale or decayed
    /// in the backlog lower it.
    ///
    /// # Errors
    /// [`TimeError::Report`] unless `target_romi` lies in [`TARGET_ROMI`](crate::ranges::TARGET_ROMI).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let at_break_even = e.max_sustainable_cpl(0.0)?.unwrap();
    /// assert!((e.max_sustainable_cpl(1.0)?.unwrap() - at_break_even / 2.0).abs() < 1e-9);
    /// assert_eq!(e.max_sustainable_cpl(-1.0).unwrap_err().to_string(),
    ///     "target ROMI must be a number in [-0.999999, 1e6], found -1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_sustainable_cpl(&self, target_romi: f64) -> Result<Option<f64>, TimeError> {
        Ok(self.full_cycle().max_sustainable_cpl(target_romi)?)
    }

    /// `true` when some team loses leads or leaves them waiting in some period (over-sale).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!(!e.is_oversold());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_oversold(&self) -> bool {
        self.teams.iter().any(|t| !t.oversold_periods().is_empty())
    }

    /// Per-period changes from `self` (before) to `other` (after): two evaluations of one plan,
    /// before and after an edit, or of two versions of it.
    ///
    /// # Errors
    /// [`TimeError::PeriodsDiffer`] when the horizons differ in length;
    /// [`TimeError::Unrelated`] when the two plans have no module in common (ids are derived
    /// from keys, so two versions of a plan share the modules they both have).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let a = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let b = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(3)?).evaluate(&plan)?;
    /// assert_eq!(a.diff(&b).unwrap_err().to_string(), "cannot compare an evaluation over 2 periods with one over 3 periods");
    /// let other = offergraph::sample::synthetic(10)?;
    /// let c = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&other)?;
    /// assert_eq!(a.diff(&c).unwrap_err().to_string(), format!("cannot compare an evaluation of plan \"apartments-june\" with one of plan \"{}\": they have no module in common", other.name()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn diff(&self, other: &TimeEvaluation) -> Result<TimeDiff, TimeError> {
        if self.periods != other.periods {
            return Err(TimeError::PeriodsDiffer { first: self.periods, second: other.periods });
        }
        let mine: std::collections::HashSet<_> = self.ids.iter().collect();
        let empty = self.ids.is_empty() || other.ids.is_empty();
        if !empty && !other.ids.iter().any(|id| mine.contains(id)) {
            return Err(TimeError::Unrelated { first: self.plan.clone(), second: other.plan.clone() });
        }
        Ok(TimeDiff {
            periods: (0..self.periods)
                .map(|t| PeriodDiff { period: t, before: self.totals[t], after: other.totals[t] })
                .collect(),
            before: self.full_cycle(),
            after: other.full_cycle(),
        })
    }
}
