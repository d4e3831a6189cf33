//! Uncertainty and risk: distributions of a plan's uncertain numbers (the `uncertainty` section of
//! a scenario) and seeded Monte Carlo over them, statically and over time.
//!
//! An [`Uncertainty`] gives, per module key or per part key, an [`Entry`] of [`Distribution`]s
//! for the lead scale (a multiplier on the curve) and for conversion, deal value and margin
//! (absolute values that replace the module's own). A part's entry is drawn once per draw and
//! shared by every module that uses it; a module's own entry wins over its parts'.
//! [`Uncertainty::simulate`] runs the Monte Carlo over the plan as allocated,
//! [`Uncertainty::simulate_over_time`] over a time model (full-cycle figures); both give a
//! [`Simulation`]: per module, per group and in total the mean and P10/P50/P90 of leads, deals,
//! gross profit, profit and ROMI ([`Outcome`], [`Stats`]), the probability of a loss and of a
//! ROMI below target. Runs are bit-identical for a given seed whatever the thread count.
//! [`Uncertainty::optimize`] chooses the allocation that maximises the CVaR (the mean of the
//! worst draws, [`RiskObjective`]) or the mean of total profit on the same draws under the plan's
//! constraints, with a certified gap ([`RiskOptimum`]). See `docs/uncertainty.md` for the model.
//!
//! # Example
//! ```
//! use offergraph::PartKind;
//! use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, Uncertainty};
//! let plan = offergraph::sample::apartments()?;
//! let u = Uncertainty::new()
//!     .with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(Distribution::log_normal(0.9, 0.3)?))
//!     .with_part(PartKind::Segment, "investors", Entry::new().with_conversion(Distribution::beta(8.0, 92.0)?));
//! let sim = u.simulate(&plan, MonteCarlo::new().with_draws(5_000).with_seed(3))?;
//! let total = sim.total();
//! assert!(total.profit.p10 < total.profit.p50 && total.profit.p50 < total.profit.p90);
//! assert!((0.0..=1.0).contains(&total.p_loss));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod distribution;
mod draws;
pub(crate) mod file;
mod json;
mod options;
mod over_time;
mod progress;
mod risk;
mod risk_report;
mod section;
mod simulate;
mod stats;

pub use distribution::Distribution;
pub use json::{RiskModuleReport, RiskReport};
pub use options::MonteCarlo;
pub use progress::Progress;
pub use risk::{RiskObjective, RiskOptimum};
pub use risk_report::{RiskOptimumModule, RiskOptimumReport};
pub use section::{Entry, Uncertainty};
pub use simulate::Simulation;
pub use stats::{Outcome, Stats};
