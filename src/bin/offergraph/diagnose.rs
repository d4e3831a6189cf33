//! `offergraph diagnose PLAN ACTUALS`: a running plan against what really happened.

use std::path::PathBuf;

use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};

use crate::output::{Failure, Out, in_file, save, scenario};

/// Diagnose a plan against its actuals (CSV, or JSON when the name ends in .json): the weak link
/// of each module with its probability, stability, and a verdict on full-cycle ROMI.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan file (JSON).
    plan: PathBuf,
    /// The actuals table: period, module, spend, leads, deals, revenue[, processed, gross_profit].
    actuals: PathBuf,
    /// Target full-cycle ROMI as a fraction (0.3 = 30%).
    #[arg(long, value_name = "R", default_value_t = 0.0)]
    target_romi: f64,
    /// Write the plan with the calibrated medians as measured overrides to OUT.
    #[arg(long, value_name = "OUT")]
    write_calibrated: Option<PathBuf>,
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let mut s = scenario(&args.plan)?;
    let table = Actuals::load(&args.actuals, s.plan(), s.time()).map_err(Failure::input)?;
    let options = DiagnoseOptions::new().with_target_romi(args.target_romi);
    let diagnosis =
        Diagnosis::new(s.plan(), s.time(), &table, options).map_err(|e| in_file(&args.actuals, e))?;
    let report = diagnosis.to_report();
    if let Some(path) = &args.write_calibrated {
        s.edit(|p| diagnosis.calibrate(p)).map_err(|e| in_file(&args.plan, e))?;
        save(&s, path)?;
    }
    out.print(&report, || report.to_string())
}
