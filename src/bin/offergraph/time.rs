//! `offergraph time PLAN`: the plan over its time model.

use std::path::PathBuf;

use crate::output::{Failure, Out, in_file, scenario};

/// Evaluate a plan over its time section: period by period (spend, leads, processing under
/// sales capacity, deals closing, naive and full-cycle ROMI) and over the full cycle.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan file (JSON) with a `time` section.
    plan: PathBuf,
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let s = scenario(&args.plan)?;
    let eval = s.evaluate_time().ok_or_else(|| in_file(&args.plan, "the plan file has no `time` section"))?;
    let report = eval.and_then(|e| e.report(s.plan())).map_err(|e| in_file(&args.plan, e))?;
    out.print(&report, || report.to_string())
}
