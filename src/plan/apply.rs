//! Applying an optimum over time back to a scenario, and comparing two scenarios in one call.

use crate::error::Error;
use crate::model::rule::BudgetRule;
use crate::numerics::ranges;
use crate::plan::Scenario;
use crate::report::ScenarioDiff;
use crate::time::{Flights, TimeDiff, TimeOptimum};
use crate::{BudgetPolicy, Money};

/// Two scenarios compared by [`Scenario::compare`]: module by module for the plan, and period by
/// period when both are laid out over time.
///
/// ```
/// let s = offergraph::Scenario::new(offergraph::sample::apartments()?);
/// let same = s.compare(&s)?;
/// assert_eq!(same.plan.total_delta(), offergraph::Figures::default());
/// assert!(same.time.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Comparison {
    /// The plans' evaluations, module by module.
    pub plan: ScenarioDiff,
    /// The evaluations over time, period by period (when both scenarios have a time model).
    pub time: Option<TimeDiff>,
}

impl Scenario {
    /// Applies an optimum over time of this scenario as fixed budget rules: each module gets its
    /// spend over the horizon as a fixed amount, the plan's budget becomes the optimum's total
    /// and its policy [`BudgetPolicy::Rules`], and the time model's flights become the optimum's
    /// spend per period. Module totals and period totals are then the optimum's exactly; within
    /// a period every module follows the plan-wide split, so evaluate over time again (or use
    /// [`TimeOptimum::schedule`] with [`TimeModel::evaluate_schedule`](crate::time::TimeModel::evaluate_schedule)
    /// for the optimum's own split). Amounts under `ranges::MONEY`'s smallest positive amount
    /// (a millionth), the optimizer's rounding of zero, become 0.
    ///
    /// # Errors
    /// [`TimeError::Stale`](crate::error::TimeError::Stale) when the optimum was not made for this scenario's plan as it is; the
    /// scenario is unchanged then.
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel, TimeOptimizeOptions};
    /// use offergraph::Scenario;
    /// let model = TimeModel::new(Horizon::weeks(4)?).with_team(SalesTeam::new("desk", 1.0, 2.0, 5.0)?.with_channel("search"));
    /// let mut scenario = Scenario::new(offergraph::sample::apartments()?).with_time(model)?;
    /// let best = scenario.time().unwrap().optimize(scenario.plan(), TimeOptimizeOptions::new())?;
    /// let before = scenario.clone();
    /// scenario.apply_optimum(&best)?;
    /// let diff = before.compare(&scenario)?;
    /// assert!((diff.plan.total_after.spend - best.schedule().total()).abs() < 1e-6);
    /// assert_eq!(diff.time.unwrap().periods.len(), 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_optimum(&mut self, optimum: &TimeOptimum) -> Result<(), Error> {
        let schedule = optimum.schedule();
        let t_n = schedule.periods();
        // A schedule of this plan as it is (its own horizon: the scenario's may have changed).
        schedule.check(self.plan(), t_n).map_err(Error::from)?;
        let money = |x: f64| if x < ranges::MONEY.min() { 0.0 } else { x };
        let totals: Vec<f64> = (0..self.plan().module_count())
            .map(|i| money((0..t_n).map(|t| schedule.spend(i, t)).sum()))
            .collect();
        let periods: Vec<f64> = (0..t_n).map(|t| money(schedule.period_total(t))).collect();
        let budget = Money::new(totals.iter().sum())?;
        let flights = if periods.iter().any(|&p| p > 0.0) { Some(Flights::custom(periods)?) } else { None };
        let keys: Vec<String> = self.plan().modules().map(|m| m.key().to_owned()).collect();
        let mut plan = self.plan().clone();
        for (key, &total) in keys.iter().zip(&totals) {
            plan.set_budget_rule(key, BudgetRule::fixed(total))?;
        }
        plan.set_budget(budget);
        plan.set_budget_policy(BudgetPolicy::Rules);
        let time = self.time().cloned().map(|t| match flights {
            Some(f) if t.horizon().periods() == t_n => t.with_flights(f),
            _ => t,
        });
        let scenario = match time {
            Some(t) => Scenario::new(plan).with_time(t).map_err(Error::from)?,
            None => Scenario::new(plan),
        };
        // The same modules and parts: the uncertainty section still fits and is kept.
        *self = scenario.with_uncertainty(self.uncertainty().clone()).map_err(Error::from)?;
        Ok(())
    }

    /// Compares this scenario (before) with `after`: the plans' evaluations module by module
    /// ([`ScenarioDiff`]) and, when both have a time model, their evaluations over time period
    /// by period ([`TimeDiff`]).
    ///
    /// # Errors
    /// Either plan's evaluation errors; [`TimeError::PeriodsDiffer`](crate::error::TimeError::PeriodsDiffer) or
    /// [`TimeError::Unrelated`](crate::error::TimeError::Unrelated) for evaluations over time that cannot be compared.
    ///
    /// ```
    /// let before = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// let mut after = before.clone();
    /// after.edit(|p| p.set_module_enabled("investors/yield/1-room/outdoor", false))?;
    /// let diff = before.compare(&after)?;
    /// assert_eq!(diff.plan.switched_off().count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compare(&self, after: &Scenario) -> Result<Comparison, Error> {
        let (a, b) = (self.plan().evaluate()?, after.plan().evaluate()?);
        let plan = ScenarioDiff::new((self.plan(), &a), (after.plan(), &b))?;
        let time = match (self.evaluate_time(), after.evaluate_time()) {
            (Some(a), Some(b)) => Some(a?.diff(&b?)?),
            _ => None,
        };
        Ok(Comparison { plan, time })
    }
}
