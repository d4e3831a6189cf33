//! `offergraph risk PLAN`: Monte Carlo over the plan's uncertainty section.

use std::path::PathBuf;

use offergraph::uncertainty::MonteCarlo;

use crate::output::{Failure, Out, in_file, scenario, with_spinner};

/// How sure is the plan? Profit and ROMI as mean and P10/P50/P90 with the probability of a loss,
/// in total and per module, from a seeded Monte Carlo over the `uncertainty` section.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan file (JSON), usually with an `uncertainty` section.
    plan: PathBuf,
    /// Number of draws.
    #[arg(long, default_value_t = 10_000)]
    draws: usize,
    /// Seed of the generator (the same seed gives the same answer on any machine).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Run over the time model (full-cycle figures) instead of the plan as allocated.
    #[arg(long)]
    over_time: bool,
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let s = scenario(&args.plan)?;
    if s.uncertainty().is_empty() {
        eprintln!("{}: no uncertainty section; every draw is the plan itself", args.plan.display());
    }
    let options = MonteCarlo::new().with_draws(args.draws).with_seed(args.seed);
    let sim = with_spinner("simulating", || {
        if args.over_time { s.simulate_over_time(options) } else { Some(s.simulate(options)) }
    })
    .ok_or_else(|| in_file(&args.plan, "--over-time needs a `time` section in the plan file"))?
    .map_err(|e| in_file(&args.plan, e))?;
    let report = sim.report(s.plan()).map_err(Failure::input)?;
    out.print(&report, || report.to_string())
}
