//! `offergraph diff A B`: two plan files compared.

use std::path::PathBuf;

use crate::output::{Failure, Out, scenario};

/// Compare two plan files module by module (added, removed, switched off or on, spend and gross
/// profit deltas) and, when both have a time model, period by period.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan before (JSON).
    before: PathBuf,
    /// The plan after (JSON).
    after: PathBuf,
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let (a, b) = (scenario(&args.before)?, scenario(&args.after)?);
    let diff = a.compare(&b).map_err(Failure::input)?;
    let table = match &diff.time {
        Some(t) => format!("{}\nperiod by period (after − before):\n{t}", diff.plan),
        None => diff.plan.to_string(),
    };
    out.print(&diff, || table)
}
