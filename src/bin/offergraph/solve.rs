//! `offergraph solve PROBLEM`: a standalone allocation problem.

use std::path::PathBuf;
use std::time::Duration;

use offergraph::file::ProblemFile;
use offergraph::optimize::SolveOptions;

use crate::output::{Failure, Out, in_file, read, with_spinner};

/// Solve an allocation-problem file (v2, or v1): the objective with its certified upper bound,
/// the spend and leads per module.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The problem file (JSON).
    problem: PathBuf,
    /// Bound the solve's wall clock (seconds); the answer then carries status time_limit.
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    time_limit: Option<Duration>,
}

fn seconds(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t < 1e9 => Ok(Duration::from_secs_f64(t)),
        _ => Err(format!("expected a number of seconds > 0, found \"{s}\"")),
    }
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let text = read(&args.problem)?;
    let file = ProblemFile::from_json(&text).map_err(|e| in_file(&args.problem, e))?;
    let problem = file.to_problem().map_err(|e| {
        let pointer = e.pointer(&text);
        in_file(&args.problem, e).at(pointer)
    })?;
    let mut options = SolveOptions::new();
    if let Some(t) = args.time_limit {
        options = options.with_time_limit(t);
    }
    let solution =
        with_spinner("solving", || problem.solve(options)).map_err(|e| in_file(&args.problem, e))?;
    let report = file.report(&solution);
    out.print(&report, || report.to_string())
}
