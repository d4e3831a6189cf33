//! A schedule, an evaluation over time and an optimum over time as data, with the keys and ids
//! of the plan's modules.

use serde::{Deserialize, Serialize};

use crate::Plan;
use crate::error::TimeError;
use crate::model::ids::ModuleId;
use crate::optimize::Status;
use crate::report::Figures;
use crate::time::evaluate::TimeEvaluation;
use crate::time::figures::{CohortTable, PeriodFigures, TeamFlow};
use crate::time::optimize::TimeOptimum;
use crate::time::prices::TimeShadowPrice;
use crate::time::schedule::Schedule;

/// A [`Schedule`] as data: each module's key, id and spend per period, and the period totals.
/// Made by [`Schedule::report`]; reads back from its JSON to an equal value.
///
/// ```
/// use offergraph::time::{Horizon, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let report = TimeModel::new(Horizon::weeks(2)?).schedule(&plan)?.report(&plan)?;
/// let json = serde_json::to_value(&report)?;
/// assert_eq!(json["modules"][0]["spend"].as_array().unwrap().len(), 2);
/// assert_eq!(serde_json::from_value::<offergraph::results::ScheduleReport>(json)?, report);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ScheduleReport {
    /// The plan's name.
    pub plan: String,
    /// Number of periods.
    pub periods: usize,
    /// Spend over the horizon.
    pub total: f64,
    /// Spend per period over all modules.
    pub period_totals: Vec<f64>,
    /// Every module in plan order.
    pub modules: Vec<SeriesReport>,
}

/// One module's spend per period in a [`ScheduleReport`].
///
/// ```
/// # let plan = offergraph::sample::apartments()?;
/// let spend = [100.0, 0.0, 50.0].repeat(plan.module_count());
/// let first = offergraph::time::Schedule::new(&plan, 3, spend)?.report(&plan)?.modules.remove(0);
/// assert_eq!((first.key.as_str(), first.spend), ("families/playground/2-room/search", vec![100.0, 0.0, 50.0]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SeriesReport {
    /// The module's key.
    pub key: String,
    /// The module's id.
    pub id: ModuleId,
    /// Spend per period.
    pub spend: Vec<f64>,
}

impl Schedule {
    /// This schedule as data, with the keys and ids of `plan`'s modules.
    ///
    /// # Errors
    /// [`TimeError::Stale`] when the schedule was not made for `plan` as it is.
    ///
    /// ```
    /// use offergraph::time::Schedule;
    /// let plan = offergraph::sample::apartments()?;
    /// let report = Schedule::new(&plan, 1, vec![10.0; 6])?.report(&plan)?;
    /// assert_eq!((report.total, report.period_totals[0]), (60.0, 60.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, plan: &Plan) -> Result<ScheduleReport, TimeError> {
        self.check(plan, self.periods())?;
        let t_n = self.periods();
        let modules = plan
            .modules()
            .enumerate()
            .map(|(i, m)| SeriesReport {
                key: m.key().to_owned(),
                id: m.id(),
                spend: self.as_slice()[i * t_n..(i + 1) * t_n].to_vec(),
            })
            .collect();
        Ok(ScheduleReport {
            plan: plan.name().to_owned(),
            periods: t_n,
            total: self.total(),
            period_totals: (0..t_n).map(|t| self.period_total(t)).collect(),
            modules,
        })
    }
}

/// A [`TimeEvaluation`] as data: every module's series and full-cycle figures by key, the
/// per-period totals, each team's lead flow, the unclaimed modules, whether the plan is oversold,
/// the cohort table and the ROMI views. Made by [`TimeEvaluation::report`]; reads back from its
/// JSON to an equal value.
///
/// ```
/// use offergraph::time::{Horizon, SalesTeam, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let desk = SalesTeam::new("desk", 1.0, 2.0, 5.0)?.with_channel("search");
/// let eval = TimeModel::new(Horizon::weeks(2)?).with_team(desk).evaluate(&plan)?;
/// let json = serde_json::to_value(&eval.report(&plan)?)?;
/// assert_eq!(json["oversold"], true);
/// assert_eq!(json["teams"][0]["key"], "desk");
/// assert_eq!(json["unclaimed_modules"].as_array().unwrap().len(), 3);
/// assert_eq!(serde_json::from_value::<offergraph::results::TimeEvaluationReport>(json)?, eval.report(&plan)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TimeEvaluationReport {
    /// The plan's name.
    pub plan: String,
    /// Number of periods.
    pub periods: usize,
    /// The period's unit (`week`).
    pub unit: String,
    /// The full cycle: every deal the horizon's leads bring.
    pub full_cycle: Figures,
    /// What closes within the horizon.
    pub in_horizon: Figures,
    /// What the horizon's leads still bring after it.
    pub after_horizon: Figures,
    /// Whether any team is over capacity in any period.
    pub oversold: bool,
    /// Keys of the modules no team claims (not capacity-limited), when the model has teams.
    pub unclaimed_modules: Vec<String>,
    /// Offers some module of which has no lag (their deals close the period leads are processed).
    pub offers_without_lag: Vec<String>,
    /// Full-cycle ROMI of each period's spend.
    pub full_cycle_romi_by_period: Vec<Option<f64>>,
    /// Naive ROMI per period (gross profit closing in it over its spend).
    pub naive_romi: Vec<Option<f64>>,
    /// Cumulative ROMI up to each period.
    pub cumulative_romi: Vec<Option<f64>>,
    /// Totals per period.
    pub totals: Vec<PeriodFigures>,
    /// Each team's lead flow.
    pub teams: Vec<TeamFlow>,
    /// Every module in plan order.
    pub modules: Vec<TimeModuleReport>,
    /// Deals, revenue and gross profit by lead period and close period.
    pub cohort: CohortTable,
}

/// One module of a [`TimeEvaluationReport`].
///
/// ```
/// use offergraph::time::{Horizon, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let eval = TimeModel::new(Horizon::weeks(2)?).evaluate(&plan)?;
/// let m = &eval.report(&plan)?.modules[0];
/// assert_eq!(m.periods.len(), 2);
/// assert!(m.full_cycle.romi().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TimeModuleReport {
    /// The module's key.
    pub key: String,
    /// The module's id.
    pub id: ModuleId,
    /// Full-cycle figures.
    pub full_cycle: Figures,
    /// Deals still expected after the horizon.
    pub deals_after_horizon: f64,
    /// Spend, leads, processing and deals closing, period by period.
    pub periods: Vec<ModulePeriodReport>,
}

/// One period of a module in a [`TimeEvaluationReport`].
///
/// ```
/// use offergraph::time::{Horizon, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let eval = TimeModel::new(Horizon::weeks(2)?).evaluate(&plan)?;
/// let week = &eval.report(&plan)?.modules[0].periods[1];
/// assert_eq!(week.spend, 7_500.0); // 3 of 12 weight units of 60 000, split over 2 weeks
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ModulePeriodReport {
    /// Spend.
    pub spend: f64,
    /// Leads arriving.
    pub leads: f64,
    /// Leads processed.
    pub processed: f64,
    /// Deals closing.
    pub deals: f64,
}

impl TimeEvaluation {
    /// This evaluation as data, with the keys and ids of `plan`'s modules.
    ///
    /// # Errors
    /// [`TimeError::Stale`] when the evaluation was not made for `plan` as it is.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// let mut plan = offergraph::sample::apartments()?;
    /// let eval = TimeModel::new(Horizon::weeks(2)?).evaluate(&plan)?;
    /// plan.remove_module("investors/yield/1-room/outdoor")?;
    /// assert!(eval.report(&plan).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, plan: &Plan) -> Result<TimeEvaluationReport, TimeError> {
        let unclaimed_modules = self.unclaimed_modules(plan)?.into_iter().map(str::to_owned).collect();
        let mut modules = Vec::with_capacity(plan.module_count());
        for m in plan.modules() {
            let s = self.module(plan, m.key())?;
            let periods = (0..s.spend.len())
                .map(|t| ModulePeriodReport {
                    spend: s.spend[t],
                    leads: s.leads[t],
                    processed: s.processed[t],
                    deals: s.deals[t],
                })
                .collect();
            modules.push(TimeModuleReport {
                key: m.key().to_owned(),
                id: m.id(),
                full_cycle: s.full_cycle(),
                deals_after_horizon: s.deals_after_horizon,
                periods,
            });
        }
        Ok(TimeEvaluationReport {
            plan: plan.name().to_owned(),
            periods: self.periods(),
            unit: self.unit().to_owned(),
            full_cycle: self.full_cycle(),
            in_horizon: self.in_horizon(),
            after_horizon: self.after_horizon(),
            oversold: self.is_oversold(),
            unclaimed_modules,
            offers_without_lag: self.offers_without_lag().to_vec(),
            full_cycle_romi_by_period: self.full_cycle_romi_by_period(),
            naive_romi: self.naive_romi(),
            cumulative_romi: self.cumulative_romi(),
            totals: self.totals().to_vec(),
            teams: self.teams().to_vec(),
            modules,
            cohort: self.cohort().clone(),
        })
    }
}

/// A [`TimeOptimum`] as data: the status, the objective and its certified bound (in the plan's
/// units), the schedule, its evaluation and every shadow price with its constraint. Made by
/// [`TimeOptimum::report`]; reads back from its JSON to an equal value.
///
/// ```
/// use offergraph::time::{Horizon, SalesTeam, TimeModel, TimeOptimizeOptions};
/// let plan = offergraph::sample::apartments()?;
/// let model = TimeModel::new(Horizon::weeks(2)?).with_team(SalesTeam::new("desk", 1.0, 1.0, 5.0)?.with_channel("search"));
/// let best = model.optimize(&plan, TimeOptimizeOptions::new())?;
/// let json = serde_json::to_value(&best.report(&plan)?)?;
/// assert_eq!(json["shadow_prices"][1]["constraint"], serde_json::json!({"kind": "capacity", "team": "desk", "period": 0}));
/// assert_eq!(serde_json::from_value::<offergraph::results::TimeOptimumReport>(json)?, best.report(&plan)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TimeOptimumReport {
    /// How the solve ended.
    pub status: Status,
    /// The objective's value.
    pub objective: f64,
    /// Its proven upper bound.
    pub upper_bound: f64,
    /// The optimal spend per module and period.
    pub schedule: ScheduleReport,
    /// That schedule evaluated over time.
    pub evaluation: TimeEvaluationReport,
    /// Every multiplier with its constraint.
    pub shadow_prices: Vec<TimeShadowPrice>,
}

impl TimeOptimum {
    /// This optimum as data, with the keys and ids of `plan`'s modules.
    ///
    /// # Errors
    /// [`TimeError::Stale`] when the optimum was not made for `plan` as it is.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel, TimeOptimizeOptions};
    /// let plan = offergraph::sample::apartments()?;
    /// let best = TimeModel::new(Horizon::weeks(2)?).optimize(&plan, TimeOptimizeOptions::new())?;
    /// assert_eq!(best.report(&plan)?.objective, best.objective());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, plan: &Plan) -> Result<TimeOptimumReport, TimeError> {
        Ok(TimeOptimumReport {
            status: self.status(),
            objective: self.objective(),
            upper_bound: self.upper_bound(),
            schedule: self.schedule().report(plan)?,
            evaluation: self.evaluation().report(plan)?,
            shadow_prices: self.shadow_prices().to_vec(),
        })
    }
}

impl std::fmt::Display for TimeEvaluationReport {
    /// One row per period (spend, leads arriving, processed and lost, deals and gross profit
    /// closing, naive, cumulative and full-cycle ROMI), then the full cycle, the horizon's share of
    /// it and a line per team over capacity.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let report = TimeModel::new(Horizon::weeks(4)?).evaluate(&plan)?.report(&plan)?;
    /// let table = report.to_string();
    /// assert!(table.starts_with("week"));
    /// assert_eq!(table.lines().filter(|l| l.starts_with(char::is_numeric)).count(), 4);
    /// assert!(table.contains("\nfull cycle: spend 60000"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::report::pct;
        let rows = self.totals.iter().enumerate().map(|(t, p)| {
            let at = |v: &[Option<f64>]| pct(v.get(t).copied().flatten());
            [
                (t + 1).to_string(),
                format!("{:.0}", p.spend),
                format!("{:.1}", p.leads),
                format!("{:.1}", p.processed),
                format!("{:.1}", p.lost),
                format!("{:.2}", p.deals),
                format!("{:.0}", p.gross_profit),
                at(&self.naive_romi),
                at(&self.cumulative_romi),
                at(&self.full_cycle_romi_by_period),
            ]
        });
        let header = [
            self.unit.as_str(),
            "spend",
            "leads",
            "processed",
            "lost",
            "deals",
            "gross",
            "ROMI",
            "cum ROMI",
            "cycle ROMI",
        ];
        crate::report::write_table(f, header, rows)?;
        let (c, h) = (&self.full_cycle, &self.in_horizon);
        writeln!(
            f,
            "full cycle: spend {:.0}, deals {:.2}, gross profit {:.0}, ROMI {}; within the horizon: deals {:.2}, gross profit {:.0}, ROMI {}",
            c.spend,
            c.deals,
            c.gross_profit,
            pct(c.romi()),
            h.deals,
            h.gross_profit,
            pct(h.romi())
        )?;
        for team in &self.teams {
            let lost: f64 = team.lost.iter().sum();
            if lost > 0.0 {
                writeln!(f, "team \"{}\" over capacity: {lost:.1} leads lost", team.key)?;
            }
        }
        Ok(())
    }
}
