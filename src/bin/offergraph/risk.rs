//! `offergraph risk PLAN`: Monte Carlo over the plan's uncertainty section, or (`--optimize`) the
//! allocation that maximises the CVaR or the mean of profit over the same draws.

use std::path::PathBuf;

use offergraph::uncertainty::{MonteCarlo, RiskObjective};

use crate::output::{Failure, Out, in_file, scenario, with_draws_bar, with_spinner};

/// How sure is the plan? Profit and ROMI as mean and P10/P50/P90 with the probability of a loss,
/// in total and per module, from a seeded Monte Carlo over the `uncertainty` section. With
/// --optimize, the allocation that maximises the CVaR at --alpha (the mean profit of the worst
/// A share of draws) or the mean profit on the same draws, under the plan's constraints, with a
/// certified upper bound and each module's spend before and after.
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
    #[arg(long, conflicts_with = "optimize")]
    over_time: bool,
    /// Optimise the allocation for the CVaR (with --alpha) or the mean of total profit.
    #[arg(long, value_name = "OBJECTIVE")]
    optimize: Option<Goal>,
    /// The CVaR's level A in (0, 1]: the share of worst draws averaged (with --optimize cvar).
    #[arg(long, value_name = "A", requires = "optimize", allow_negative_numbers = true)]
    alpha: Option<f64>,
}

/// What `--optimize` maximises.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Goal {
    /// The CVaR of total profit at --alpha.
    Cvar,
    /// The mean of total profit.
    Mean,
}

/// The risk objective of `--optimize` and `--alpha`: a usage error for a missing or extra
/// `--alpha`, the library's error (exit 1, naming alpha) for a value outside (0, 1].
fn objective(goal: Goal, alpha: Option<f64>) -> Result<RiskObjective, Failure> {
    match (goal, alpha) {
        (Goal::Cvar, Some(a)) => RiskObjective::cvar(a).map_err(Failure::input),
        (Goal::Cvar, None) => Err(Failure::usage("--optimize cvar needs --alpha A, A in (0, 1]")),
        (Goal::Mean, None) => Ok(RiskObjective::Mean),
        (Goal::Mean, Some(_)) => Err(Failure::usage("--alpha goes with --optimize cvar, not mean")),
    }
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let goal = args.optimize.map(|g| objective(g, args.alpha)).transpose()?;
    let s = scenario(&args.plan)?;
    if s.uncertainty().is_empty() {
        eprintln!("{}: no uncertainty section; every draw is the plan itself", args.plan.display());
    }
    let options = MonteCarlo::new().with_draws(args.draws).with_seed(args.seed);
    if let Some(goal) = goal {
        // The report allocates the plan by its own policy (the "before"), which may optimise too.
        let report = with_spinner("optimizing", || {
            s.uncertainty().optimize(s.plan(), options, goal).and_then(|best| best.report(s.plan()))
        })
        .map_err(|e| in_file(&args.plan, e))?;
        return out.print(&report, || report.to_string());
    }
    let sim = with_draws_bar("simulating", options, |options| {
        if args.over_time { s.simulate_over_time(options) } else { Some(s.simulate(options)) }
    })
    .ok_or_else(|| in_file(&args.plan, "--over-time needs a `time` section in the plan file"))?
    .map_err(|e| in_file(&args.plan, e))?;
    let report = sim.report(s.plan()).map_err(Failure::input)?;
    out.print(&report, || report.to_string())
}
