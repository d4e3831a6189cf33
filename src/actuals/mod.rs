//! Actuals: what a plan's modules really did, compared with the plan link by link, with
//! confidence instead of reactions, recalibration and verdicts.
//!
//! The loop of the B2B method: read the [`Actuals`] (spend, leads, deals, revenue per module
//! and period); replay the funnel at the actual values and split the gross-profit gap into
//! links ([`Review`], [`LinkGap`]); update conjugate models of each link with a prior centred on
//! the plan ([`Posterior`]); judge stability before return ([`Stability`]); name the weak link
//! and give a verdict with its probability ([`Diagnosis`], [`Verdict`]); write the calibrated
//! values back into the plan ([`Diagnosis::calibrate`]) and the posteriors into its uncertainty
//! section ([`Diagnosis::calibrate_uncertainty`]; both at once: [`Scenario::calibrate`](crate::Scenario::calibrate)).
//! See `docs/actuals.md` for the models.
//!
//! # Example
//! ```
//! use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis, Review};
//! use offergraph::time::{Horizon, TimeModel};
//! let mut plan = offergraph::sample::apartments()?;
//! let time = TimeModel::new(Horizon::weeks(4)?);
//! let key = "families/playground/2-room/search";
//! let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},4500,20,3,285000\n1,{key},4500,22,3,285000\n");
//! let actuals = Actuals::from_csv("w.csv", &csv, &plan, Some(&time))?;
//! let diagnosis = Diagnosis::new(&plan, Some(&time), &actuals, DiagnoseOptions::new())?;
//! let gap = Review::new(&plan, Some(&time), &actuals)?.module(&plan, key)?.to_date;
//! assert!(gap.total().is_finite());
//! diagnosis.calibrate(&mut plan)?;
//! assert!(plan.module(key)?.overrides().curve.is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod calibrate;
mod diagnose;
mod funnel;
mod options;
mod posterior;
mod read;
mod replay;
mod report;
mod stability;
mod table;
mod verdict;

pub use calibrate::Calibrated;
pub use diagnose::{Diagnosis, LinkCheck, ModuleDiagnosis};
pub use funnel::{Expected, LinkGap, ModuleReview, PeriodCheck, Review};
pub use options::DiagnoseOptions;
pub use posterior::{Posterior, Quantiles};
pub use report::{Report, ReportModule};
pub use stability::Stability;
pub use table::{ActualRow, Actuals, Observation};
pub use verdict::{Link, Verdict};
