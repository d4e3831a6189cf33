//! A Monte Carlo run as data: [`RiskReport`], what `offergraph risk --json` prints.

use serde::Serialize;

use crate::Plan;
use crate::error::UncertaintyError;
use crate::uncertainty::simulate::Simulation;
use crate::uncertainty::stats::Outcome;

/// A [`Simulation`] with the keys of the plan's modules: the run's settings, the total and each
/// module's [`Outcome`] (spend, then leads, deals, gross profit, profit and ROMI as
/// `{mean, p10, p50, p90}`, `p_loss` and `p_below_target`), in plan order. Made by
/// [`Simulation::report`].
///
/// ```
/// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
/// let plan = offergraph::sample::apartments()?;
/// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(4).with_seed(7))?;
/// let json = serde_json::to_value(sim.report(&plan)?)?;
/// assert_eq!((json["draws"].as_u64(), json["seed"].as_u64()), (Some(4), Some(7)));
/// assert_eq!(json["modules"][0]["key"], "families/playground/2-room/search");
/// assert_eq!(json["total"]["p_loss"], 0.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RiskReport {
    /// Number of draws.
    pub draws: usize,
    /// The seed.
    pub seed: u64,
    /// The target ROMI `p_below_target` counts against (a fraction).
    pub target_romi: f64,
    /// Whether the run is over the time model (full-cycle figures) or of the plan as allocated.
    pub over_time: bool,
    /// The plan's total.
    pub total: Outcome,
    /// Every module, in plan order.
    pub modules: Vec<RiskModuleReport>,
}

/// One module of a [`RiskReport`]: its key and its outcome, written flat.
///
/// ```
/// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
/// let plan = offergraph::sample::apartments()?;
/// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(2))?;
/// let m = &sim.report(&plan)?.modules[1];
/// assert_eq!(m.outcome, *sim.module(&plan, &m.key)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RiskModuleReport {
    /// The module's key.
    pub key: String,
    /// Its outcome.
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Simulation {
    /// This run as data, with the keys of `plan`'s modules.
    ///
    /// # Errors
    /// [`UncertaintyError::Stale`] when the plan's modules changed since the run.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let mut plan = offergraph::sample::apartments()?;
    /// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(2))?;
    /// assert_eq!(sim.report(&plan)?.modules.len(), plan.modules().count());
    /// plan.remove_module("investors/yield/1-room/outdoor")?;
    /// assert!(sim.report(&plan).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, plan: &Plan) -> Result<RiskReport, UncertaintyError> {
        self.check(plan)?;
        let modules = plan
            .modules()
            .zip(self.modules())
            .map(|(m, o)| RiskModuleReport { key: m.key().to_owned(), outcome: *o })
            .collect();
        let options = self.options();
        Ok(RiskReport {
            draws: options.draws(),
            seed: options.seed(),
            target_romi: options.target_romi(),
            over_time: self.is_over_time(),
            total: *self.total(),
            modules,
        })
    }
}

impl std::fmt::Display for RiskReport {
    /// One row per module and a total row: spend, profit's mean and P10/P50/P90, ROMI's P50 and
    /// the probability of a loss.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(3))?;
    /// let table = sim.report(&plan)?.to_string();
    /// assert!(table.starts_with("3 draws, seed 0\nmodule"));
    /// assert_eq!(table.lines().count(), 2 + 6 + 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::report::pct;
        let over_time = if self.over_time { ", full cycle over the time model" } else { "" };
        writeln!(f, "{} draws, seed {}{over_time}", self.draws, self.seed)?;
        let row = |key: &str, o: &Outcome| {
            let p = &o.profit;
            [
                key.to_owned(),
                format!("{:.0}", o.spend),
                format!("{:.0}", p.mean),
                format!("{:.0}", p.p10),
                format!("{:.0}", p.p50),
                format!("{:.0}", p.p90),
                pct(o.romi.map(|r| r.p50)),
                format!("{:.1}%", o.p_loss * 100.0),
            ]
        };
        let rows = self.modules.iter().map(|m| row(&m.key, &m.outcome)).chain([row("TOTAL", &self.total)]);
        let header = ["module", "spend", "profit mean", "P10", "P50", "P90", "ROMI P50", "P(loss)"];
        crate::report::write_table(f, header, rows)
    }
}
