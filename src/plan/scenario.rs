//! [`Scenario`]: a plan with its time model, the document a plan file holds.

use crate::Plan;
use crate::error::TimeError;
use crate::time::{TimeEvaluation, TimeModel, TimeRepair};

/// A plan and, when it is laid out over time, its [`TimeModel`]: what a plan file holds.
///
/// The plan knows nothing of time; the scenario keeps the two consistent. Its time model always
/// refers only to parts and modules the plan has: [`Scenario::with_time`] and
/// [`Scenario::set_time`] check it, and every edit through [`Scenario::edit`] drops the
/// references the edit made dangling and says which ([`TimeRepair`]). So a scenario saved with
/// [`Scenario::save`] always loads again.
///
/// # Example
/// ```
/// use offergraph::Scenario;
/// use offergraph::time::{Horizon, Lag, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let key = "investors/yield/1-room/outdoor";
/// let time = TimeModel::new(Horizon::weeks(4)?).with_module_lag(key, Lag::geometric(1.0)?);
/// let mut scenario = Scenario::new(plan).with_time(time)?;
/// let (_, dropped) = scenario.edit(|plan| plan.remove_module(key))?;
/// assert_eq!(dropped.len(), 1); // the lag of the removed module
/// let again = Scenario::from_json(&scenario.to_json())?;
/// assert_eq!(again.to_json(), scenario.to_json());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scenario {
    plan: Plan,
    time: Option<TimeModel>,
}

impl Scenario {
    /// A scenario of one period: the plan alone.
    ///
    /// ```
    /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// assert!(s.time().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(plan: Plan) -> Scenario {
        Scenario { plan, time: None }
    }

    /// The scenario laid out over time by `time`.
    ///
    /// # Errors
    /// As [`TimeModel::check`]: the model refers to parts or modules the plan does not have, or
    /// is otherwise invalid for it.
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let time = TimeModel::new(Horizon::weeks(4)?).with_team(SalesTeam::new("desk", 1.0, 5.0, 5.0)?.with_channel("radio"));
    /// let err = offergraph::Scenario::new(plan).with_time(time).unwrap_err();
    /// assert_eq!(err.to_string(), "team \"desk\" refers to channel \"radio\", which the plan does not have");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_time(mut self, time: TimeModel) -> Result<Scenario, TimeError> {
        self.set_time(time)?;
        Ok(self)
    }

    /// The plan.
    ///
    /// ```
    /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// assert_eq!(s.plan().module_count(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The time model, if the scenario is laid out over time.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?).with_time(TimeModel::new(Horizon::weeks(4)?))?;
    /// assert_eq!(s.time().map(|t| t.horizon().periods()), Some(4));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn time(&self) -> Option<&TimeModel> {
        self.time.as_ref()
    }

    /// Lays the scenario out over time (replacing any time model it had).
    ///
    /// # Errors
    /// As [`Scenario::with_time`]; the scenario is unchanged then.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// let mut s = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// s.set_time(TimeModel::new(Horizon::weeks(8)?))?;
    /// assert_eq!(s.time().unwrap().horizon().periods(), 8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_time(&mut self, time: TimeModel) -> Result<(), TimeError> {
        time.check(&self.plan)?;
        self.time = Some(time);
        Ok(())
    }

    /// Removes the time model (the scenario is one period again) and returns it.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// let mut s = offergraph::Scenario::new(offergraph::sample::apartments()?).with_time(TimeModel::new(Horizon::weeks(4)?))?;
    /// assert!(s.clear_time().is_some() && s.time().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn clear_time(&mut self) -> Option<TimeModel> {
        self.time.take()
    }

    /// Edits the plan with `edit`, then drops from the time model every reference the edit
    /// left dangling (a removed module's lag or team, a removed part's seasonality), and returns
    /// `edit`'s value with what was dropped.
    ///
    /// # Errors
    /// `edit`'s error. The plan keeps whatever `edit` changed before failing (as with direct plan
    /// edits) and the time model is still made valid for it.
    ///
    /// ```
    /// use offergraph::{PartKind, Scenario};
    /// use offergraph::time::{Horizon, Seasonality, TimeModel};
    /// let time = TimeModel::new(Horizon::weeks(2)?)
    ///     .with_seasonality(Seasonality::new().with_channel("outdoor", vec![1.0, 0.5])?);
    /// let mut s = Scenario::new(offergraph::sample::apartments()?).with_time(time)?;
    /// // Switching a part off keeps it in the plan: nothing to drop.
    /// let ((), dropped) = s.edit(|p| p.set_part_enabled(PartKind::Channel, "outdoor", false))?;
    /// assert!(dropped.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn edit<R, E>(
        &mut self,
        edit: impl FnOnce(&mut Plan) -> Result<R, E>,
    ) -> Result<(R, Vec<TimeRepair>), E> {
        let result = edit(&mut self.plan);
        let dropped = match &mut self.time {
            Some(time) => time.prune(&self.plan),
            None => Vec::new(),
        };
        result.map(|value| (value, dropped))
    }

    /// Evaluates the scenario over time, or `None` when it has no time model.
    ///
    /// # Errors
    /// As [`TimeModel::evaluate`].
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?).with_time(TimeModel::new(Horizon::weeks(4)?))?;
    /// assert_eq!(s.evaluate_time().transpose()?.map(|e| e.periods()), Some(4));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate_time(&self) -> Option<Result<TimeEvaluation, TimeError>> {
        self.time.as_ref().map(|t| t.evaluate(&self.plan))
    }

    /// The plan and its time model.
    ///
    /// ```
    /// let (plan, time) = offergraph::Scenario::new(offergraph::sample::apartments()?).into_parts();
    /// assert!(plan.module_count() == 6 && time.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_parts(self) -> (Plan, Option<TimeModel>) {
        (self.plan, self.time)
    }
}
