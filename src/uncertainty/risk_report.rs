//! A risk-aware optimum as data: [`RiskOptimumReport`], what `offergraph risk --optimize --json`
//! prints.

use serde::Serialize;

use crate::Plan;
use crate::error::UncertaintyError;
use crate::optimize::Status;
use crate::uncertainty::risk::RiskOptimum;

/// A [`RiskOptimum`] with the plan's allocation beside it: the objective (`"cvar"` or `"mean"`)
/// and its level `alpha`, the draws and seed optimised over, the CVaR and mean of total profit
/// at the optimum, the certified `upper_bound` and `gap`, the status and the work done, and
/// every module's spend before (the plan's own allocation) and after, in plan order. Made by
/// [`RiskOptimum::report`].
///
/// ```
/// use offergraph::uncertainty::{MonteCarlo, RiskObjective, Uncertainty};
/// let plan = offergraph::sample::apartments()?;
/// let best = Uncertainty::new().optimize(&plan, MonteCarlo::new().with_draws(20).with_seed(2), RiskObjective::cvar(0.5)?)?;
/// let json = serde_json::to_value(best.report(&plan)?)?;
/// assert_eq!((json["objective"].as_str(), json["alpha"].as_f64()), (Some("cvar"), Some(0.5)));
/// assert_eq!((json["draws"].as_u64(), json["seed"].as_u64()), (Some(20), Some(2)));
/// assert_eq!(json["status"], "optimal");
/// assert_eq!(json["modules"][0]["key"], "families/playground/2-room/search");
/// assert!(json["cvar"].as_f64() <= json["upper_bound"].as_f64());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RiskOptimumReport {
    /// What was maximised: `"cvar"` or `"mean"`.
    pub objective: String,
    /// The share of worst draws the CVaR averages, in `(0, 1]` (1 for the mean).
    pub alpha: f64,
    /// Number of draws optimised over.
    pub draws: usize,
    /// The seed of the draws.
    pub seed: u64,
    /// The CVaR of total profit at `alpha` at the optimum (the mean for the mean objective).
    pub cvar: f64,
    /// The mean total profit over the draws at the optimum.
    pub mean: f64,
    /// Proven upper bound on the CVaR (or mean) of every feasible allocation.
    pub upper_bound: f64,
    /// The certified gap `upper_bound - cvar` (never negative).
    pub gap: f64,
    /// How the optimisation ended.
    pub status: Status,
    /// Outer iterations (calls of the max-profit oracle).
    pub iterations: usize,
    /// Branch-and-bound nodes the oracle calls explored in all.
    pub nodes: usize,
    /// Spend boxes the risk-aware branch and bound solved.
    pub boxes: usize,
    /// Every module, in plan order.
    pub modules: Vec<RiskOptimumModule>,
    /// Total spend of the plan's own allocation.
    pub total_before: f64,
    /// Total spend at the optimum.
    pub total_after: f64,
}

/// One module of a [`RiskOptimumReport`]: its key, its spend in the plan's own allocation and
/// at the risk-aware optimum.
///
/// ```
/// use offergraph::uncertainty::{MonteCarlo, RiskObjective, Uncertainty};
/// let plan = offergraph::sample::apartments()?;
/// let best = Uncertainty::new().optimize(&plan, MonteCarlo::new().with_draws(10), RiskObjective::Mean)?;
/// let m = &best.report(&plan)?.modules[2];
/// assert_eq!(m.after.to_bits(), best.spend[&m.key].to_bits());
/// assert_eq!(m.before.to_bits(), plan.allocate()?.spend()[2].to_bits());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RiskOptimumModule {
    /// The module's key.
    pub key: String,
    /// Its spend in the plan's own allocation (its budget policy).
    pub before: f64,
    /// Its spend at the optimum.
    pub after: f64,
}

impl RiskOptimum {
    /// This optimum as data, beside `plan`'s own allocation (made by its budget policy: an
    /// optimizing policy runs its optimizer).
    ///
    /// # Errors
    /// [`UncertaintyError::Stale`] when the plan's modules are not those the optimum was made
    /// for; [`UncertaintyError::Budget`] when the plan's budget cannot be allocated.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, RiskObjective, Uncertainty};
    /// let mut plan = offergraph::sample::apartments()?;
    /// let best = Uncertainty::new().optimize(&plan, MonteCarlo::new().with_draws(10), RiskObjective::Mean)?;
    /// let report = best.report(&plan)?;
    /// assert_eq!(report.modules.len(), plan.module_count());
    /// assert!((report.total_before - 60_000.0).abs() < 1e-6);
    /// plan.remove_module("investors/yield/1-room/outdoor")?;
    /// assert!(best.report(&plan).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, plan: &Plan) -> Result<RiskOptimumReport, UncertaintyError> {
        let same = plan.module_count() == self.spend.len()
            && plan.modules().zip(self.spend.keys()).all(|(m, k)| m.key() == k);
        if !same {
            return Err(UncertaintyError::Stale);
        }
        let before = plan.allocate()?;
        let modules: Vec<RiskOptimumModule> = self
            .spend
            .iter()
            .zip(before.spend())
            .map(|((key, &after), &before)| RiskOptimumModule { key: key.clone(), before, after })
            .collect();
        Ok(RiskOptimumReport {
            objective: self.objective.name().to_owned(),
            alpha: self.objective.alpha(),
            draws: self.options().draws(),
            seed: self.options().seed(),
            cvar: self.cvar,
            mean: self.mean,
            upper_bound: self.upper_bound,
            gap: self.gap(),
            status: self.status,
            iterations: self.iterations,
            nodes: self.nodes,
            boxes: self.boxes,
            total_before: modules.iter().map(|m| m.before).sum(),
            total_after: modules.iter().map(|m| m.after).sum(),
            modules,
        })
    }
}

impl std::fmt::Display for RiskOptimumReport {
    /// A summary (objective, level, draws; CVaR, mean, upper bound, gap; status and work) then
    /// one row per module and a total row: spend before, after, and the change.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, RiskObjective, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let best = Uncertainty::new().optimize(&plan, MonteCarlo::new().with_draws(10), RiskObjective::cvar(0.2)?)?;
    /// let table = best.report(&plan)?.to_string();
    /// assert!(table.starts_with("cvar at alpha 0.2 over 10 draws, seed 0: optimal\n"), "{table}");
    /// assert_eq!(table.lines().count(), 3 + 1 + 6 + 1);
    /// assert!(table.lines().last().unwrap().starts_with("TOTAL"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} at alpha {} over {} draws, seed {}: {}",
            self.objective,
            self.alpha,
            self.draws,
            self.seed,
            self.status.name()
        )?;
        writeln!(
            f,
            "cvar {:.0}, mean {:.0}, upper bound {:.0}, gap {:.2}",
            self.cvar, self.mean, self.upper_bound, self.gap
        )?;
        writeln!(f, "{} iterations, {} nodes, {} boxes", self.iterations, self.nodes, self.boxes)?;
        let row = |key: &str, before: f64, after: f64| {
            [key.to_owned(), format!("{before:.0}"), format!("{after:.0}"), format!("{:+.0}", after - before)]
        };
        let rows = self.modules.iter().map(|m| row(&m.key, m.before, m.after)).chain([row(
            "TOTAL",
            self.total_before,
            self.total_after,
        )]);
        crate::report::write_table(f, ["module", "before", "after", "change"], rows)
    }
}
