//! `offergraph evaluate PLAN`: the plan's figures per module and in total.

use std::path::PathBuf;

use crate::output::{Failure, Out, scenario};

/// Evaluate a plan file: spend, leads, CPL, deals, revenue, gross profit, ROMI and marginal ROMI
/// per module and in total, with warnings on what the static figures leave out.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan file (JSON).
    plan: PathBuf,
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let s = scenario(&args.plan)?;
    let report = s.plan().evaluate().and_then(|e| Ok(e.report(s.plan())?)).map_err(Failure::input)?;
    let table = s.table().map_err(Failure::input)?;
    out.print(&report, || table)
}

/// Saves an edited scenario to `path` and prints its evaluation (`toggle`, `replicate`).
pub fn print_edited(s: &offergraph::Scenario, path: &std::path::Path, out: &Out) -> Result<(), Failure> {
    crate::output::save(s, path)?;
    let report = s.plan().evaluate().and_then(|e| Ok(e.report(s.plan())?)).map_err(Failure::input)?;
    let table = s.table().map_err(Failure::input)?;
    out.print(&report, || format!("{table}wrote {}\n", path.display()))
}
