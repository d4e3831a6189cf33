//! How sure is the plan, and what allocation would be safer? The Monte Carlo over a plan file's
//! `uncertainty` section: profit and ROMI of the plan as allocated, in total and per module, as
//! mean and P10/P50/P90, with the probability of a loss; with `--optimize`, of the allocation that
//! maximises the CVaR (the mean of the worst `alpha` share of draws) or the mean of total profit
//! on the same draws, under the plan's constraints.
//!
//! ```text
//! cargo run --release --example risk -- tests/cases/apartments-risk.json [--draws N] [--seed S]
//!     [--optimize cvar --alpha A | --optimize mean]
//! ```
//!
//! Prints one JSON object: `draws`, `seed`, `total` (`profit` and `romi` as
//! `{mean, p10, p50, p90}`, and `p_loss`, the probability that total ROMI < 0) and `modules` (in
//! plan order, each with `key` and the same fields). ROMI is a fraction (1.3 = 130%) of the plan as
//! allocated (not over time); a module without spend has `"romi": null`. With `--optimize`, the
//! figures are those of the optimised allocation, and the object also has `spend` (per module, in
//! plan order, `{key, spend}`), `cvar` (of total profit at `alpha`; the mean for `mean`), `alpha`,
//! `upper_bound` (a certified bound on the best CVaR), `gap` and `status`. Errors go to stderr with
//! exit code 2 (usage) or 1 (the plan or the run).

use offergraph::Scenario;
use offergraph::uncertainty::{MonteCarlo, Outcome, RiskObjective, Stats};
use serde::Serialize;

const USAGE: &str =
    "usage: risk PLAN.json [--draws N] [--seed S] [--optimize cvar --alpha A | --optimize mean]

Monte Carlo over the plan file's `uncertainty` section (10000 draws, seed 0 by default):
prints profit and ROMI of the plan as allocated, in total and per module, as mean and
P10/P50/P90, with the probability of a loss, as one JSON object. With --optimize, the
allocation is the one that maximises the CVaR at level A in (0, 1] (the mean profit of the
worst A share of draws) or the mean of total profit on the same draws, under the plan's
constraints; the output adds its spend per module and its CVaR.";

struct Args {
    path: String,
    draws: usize,
    seed: u64,
    optimize: Option<RiskObjective>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let (mut path, mut draws, mut seed, mut optimize, mut alpha) = (None, 10_000, 0, None, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--draws" => draws = number(&arg, args.next())?,
            "--seed" => seed = number(&arg, args.next())?,
            "--optimize" => optimize = Some(args.next().ok_or("--optimize needs a value: cvar or mean")?),
            "--alpha" => {
                let value = args.next().ok_or("--alpha needs a value")?;
                alpha = Some(
                    value
                        .parse::<f64>()
                        .map_err(|_| format!("--alpha must be a number in (0, 1], found {value}"))?,
                );
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ if path.is_some() => return Err(format!("unexpected argument {arg}")),
            _ => path = Some(arg),
        }
    }
    let path = path.ok_or("missing PLAN.json")?;
    let optimize = match (optimize.as_deref(), alpha) {
        (None, None) => None,
        (None, Some(_)) => return Err("--alpha needs --optimize cvar".into()),
        (Some("mean"), None) => Some(RiskObjective::Mean),
        (Some("mean"), Some(_)) => return Err("--alpha goes with --optimize cvar, not mean".into()),
        (Some("cvar"), None) => return Err("--optimize cvar needs --alpha A".into()),
        (Some("cvar"), Some(a)) => Some(RiskObjective::cvar(a).map_err(|e| e.to_string())?),
        (Some(other), _) => return Err(format!("--optimize must be cvar or mean, found {other}")),
    };
    Ok(Some(Args { path, draws, seed, optimize }))
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value.parse().map_err(|_| format!("{flag} must be a non-negative integer, found {value}"))
}

/// The figures the report gives of the plan and of each module, in this order.
#[derive(Serialize)]
struct Figures {
    profit: Stats,
    romi: Option<Stats>,
    p_loss: f64,
}

impl Figures {
    fn of(o: &Outcome) -> Figures {
        Figures { profit: o.profit, romi: o.romi, p_loss: o.p_loss }
    }
}

#[derive(Serialize)]
struct ModuleReport<'a> {
    key: &'a str,
    #[serde(flatten)]
    figures: Figures,
}

#[derive(Serialize)]
struct Spend<'a> {
    key: &'a str,
    spend: f64,
}

#[derive(Serialize)]
struct Report<'a> {
    draws: usize,
    seed: u64,
    total: Figures,
    modules: Vec<ModuleReport<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    optimum: Option<Optimum<'a>>,
}

/// What `--optimize` adds.
#[derive(Serialize)]
struct Optimum<'a> {
    objective: &'static str,
    alpha: f64,
    spend: Vec<Spend<'a>>,
    cvar: f64,
    upper_bound: f64,
    gap: f64,
    status: &'static str,
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let scenario = Scenario::load(&args.path)?;
    if scenario.uncertainty().is_empty() {
        eprintln!("{}: no uncertainty section; every draw is the plan itself", args.path);
    }
    let options = MonteCarlo::new().with_draws(args.draws).with_seed(args.seed);
    let plan = scenario.plan();
    let (sim, optimum) = match args.optimize {
        None => (scenario.simulate(options)?, None),
        Some(objective) => {
            let best = scenario.uncertainty().optimize(plan, options, objective)?;
            let sim = scenario.uncertainty().simulate_allocation(plan, best.allocation(), options)?;
            let spend = plan
                .modules()
                .zip(best.spend.values())
                .map(|(m, &spend)| Spend { key: m.key(), spend })
                .collect();
            let optimum = Optimum {
                objective: objective.name(),
                alpha: objective.alpha(),
                spend,
                cvar: best.cvar,
                upper_bound: best.upper_bound,
                gap: best.gap(),
                status: best.status.name(),
            };
            (sim, Some(optimum))
        }
    };
    let modules = plan
        .modules()
        .zip(sim.modules())
        .map(|(m, o)| ModuleReport { key: m.key(), figures: Figures::of(o) })
        .collect();
    let report =
        Report { draws: args.draws, seed: args.seed, total: Figures::of(sim.total()), modules, optimum };
    Ok(serde_json::to_string_pretty(&report)?)
}

fn main() -> std::process::ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return std::process::ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("risk: {e}\n\n{USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("risk: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
