//! [`Scenario`]: a plan with its time model and its uncertainty, the document a plan file holds.

use crate::Plan;
use crate::actuals::Diagnosis;
use crate::error::{ActualsError, TimeError, UncertaintyError};
use crate::time::{TimeEvaluation, TimeModel, TimeRepair};
use crate::uncertainty::{MonteCarlo, Simulation, Uncertainty};

/// A plan and, when it is laid out over time, its [`TimeModel`], and the [`Uncertainty`] of its
/// numbers: what a plan file holds.
///
/// The plan knows nothing of time or uncertainty; the scenario keeps the three consistent. Its
/// time model and its uncertainty always refer only to parts and modules the plan has:
/// [`Scenario::with_time`], [`Scenario::set_time`], [`Scenario::with_uncertainty`] and
/// [`Scenario::set_uncertainty`] check them, and every edit through [`Scenario::edit`] drops the
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
    uncertainty: Uncertainty,
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
        Scenario { plan, time: None, uncertainty: Uncertainty::new() }
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

    /// Edits the plan with `edit`, then drops from the time model and the uncertainty every
    /// reference the edit left dangling (a removed module's lag, team or entry, a removed part's
    /// seasonality or entry), and returns `edit`'s value with what was dropped (the uncertainty's
    /// with referrer `uncertainty`).
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
        let mut dropped = match &mut self.time {
            Some(time) => time.prune(&self.plan),
            None => Vec::new(),
        };
        dropped.extend(self.uncertainty.prune(&self.plan));
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

    /// The scenario with `uncertainty` (replacing the section it had).
    ///
    /// # Errors
    /// As [`Uncertainty::check`]: an entry names a part or module the plan does not have, or a
    /// distribution does not suit its field.
    ///
    /// ```
    /// use offergraph::uncertainty::{Entry, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let err = offergraph::Scenario::new(plan).with_uncertainty(Uncertainty::new().with_module("nope", Entry::new())).unwrap_err();
    /// assert_eq!(err.to_string(), "uncertainty refers to module \"nope\", which the plan does not have");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_uncertainty(mut self, uncertainty: Uncertainty) -> Result<Scenario, UncertaintyError> {
        self.set_uncertainty(uncertainty)?;
        Ok(self)
    }

    /// The uncertainty section (empty when the scenario has none: every draw is the plan).
    ///
    /// ```
    /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// assert!(s.uncertainty().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn uncertainty(&self) -> &Uncertainty {
        &self.uncertainty
    }

    /// Replaces the uncertainty section.
    ///
    /// # Errors
    /// As [`Scenario::with_uncertainty`]; the scenario is unchanged then.
    ///
    /// ```
    /// use offergraph::PartKind;
    /// use offergraph::uncertainty::{Distribution, Entry, Uncertainty};
    /// let mut s = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// s.set_uncertainty(Uncertainty::new().with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.2)?)))?;
    /// assert!(s.to_json().contains("\"uncertainty\""));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_uncertainty(&mut self, uncertainty: Uncertainty) -> Result<(), UncertaintyError> {
        uncertainty.check(&self.plan)?;
        self.uncertainty = uncertainty;
        Ok(())
    }

    /// The Monte Carlo over the plan as allocated (see [`Uncertainty::simulate`]).
    ///
    /// # Errors
    /// As [`Uncertainty::simulate`].
    ///
    /// ```
    /// use offergraph::uncertainty::MonteCarlo;
    /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// // No uncertainty: no draw loses money, as the plan does not.
    /// assert_eq!(s.simulate(MonteCarlo::new().with_draws(10))?.total().p_loss, 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn simulate(&self, options: MonteCarlo) -> Result<Simulation, UncertaintyError> {
        self.uncertainty.simulate(&self.plan, options)
    }

    /// The Monte Carlo over the time model, full cycle (see
    /// [`Uncertainty::simulate_over_time`]), or `None` when the scenario has no time model.
    ///
    /// # Errors
    /// As [`Uncertainty::simulate_over_time`].
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// use offergraph::uncertainty::MonteCarlo;
    /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?).with_time(TimeModel::new(Horizon::weeks(4)?))?;
    /// let sim = s.simulate_over_time(MonteCarlo::new().with_draws(5)).transpose()?;
    /// assert!(sim.is_some_and(|sim| sim.is_over_time()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn simulate_over_time(&self, options: MonteCarlo) -> Option<Result<Simulation, UncertaintyError>> {
        self.time.as_ref().map(|t| self.uncertainty.simulate_over_time(&self.plan, t, options))
    }

    /// Writes what a diagnosis learned into the scenario: the calibrated medians as measured
    /// overrides of every module with data ([`Diagnosis::calibrate`]) and the posteriors as
    /// those modules' entries of the uncertainty section
    /// ([`Diagnosis::calibrate_uncertainty`]). The lead scale's entry is relative to the
    /// calibrated curve (median 1), so the scale is applied once; conversion and deal value are
    /// absolute. The time model, part entries and modules without data are unchanged. Saved,
    /// the scenario is a calibrated plan file that re-optimising and the Monte Carlo read.
    ///
    /// # Errors
    /// [`ActualsError::Stale`] when the plan's modules changed since the diagnosis; as
    /// [`Diagnosis::calibrate`]. The scenario is unchanged on error.
    ///
    /// ```
    /// use offergraph::Scenario;
    /// use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// use offergraph::uncertainty::MonteCarlo;
    /// let mut s = Scenario::new(offergraph::sample::apartments()?);
    /// let key = "families/playground/2-room/search";
    /// let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},18000,8,1,95000\n");
    /// let actuals = Actuals::from_csv("w.csv", &csv, s.plan(), None)?;
    /// let d = Diagnosis::new(s.plan(), None, &actuals, DiagnoseOptions::new())?;
    /// s.calibrate(&d)?;
    /// assert_eq!(s.plan().module(key)?.economics().conversion, d.module(s.plan(), key)?.calibrated().conversion.p50);
    /// assert!(s.uncertainty().module(key).is_some_and(|e| e.lead_scale.is_some()));
    /// // The file holds both; it loads back equal, and its Monte Carlo is uncertain.
    /// let again = Scenario::from_json(&s.to_json())?;
    /// assert_eq!(again.uncertainty(), s.uncertainty());
    /// let sim = again.simulate(MonteCarlo::new().with_draws(200))?;
    /// let leads = sim.module(again.plan(), key)?.leads;
    /// assert!(leads.p10 < leads.p90);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn calibrate(&mut self, diagnosis: &Diagnosis) -> Result<(), ActualsError> {
        let mut plan = self.plan.clone();
        diagnosis.calibrate(&mut plan)?;
        let mut uncertainty = self.uncertainty.clone();
        diagnosis.calibrate_uncertainty(&plan, &mut uncertainty)?;
        // Overrides keep the modules and parts: the time model and the section stay valid.
        self.plan = plan;
        self.uncertainty = uncertainty;
        Ok(())
    }

    /// The plan and its time model (the uncertainty section is dropped; read it first with
    /// [`Scenario::uncertainty`]).
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
