//! How sure is the plan? The Monte Carlo over a plan file's `uncertainty` section: profit and ROMI
//! of the plan as allocated, in total and per module, as mean and P10/P50/P90, with the
//! probability of a loss.
//!
//! ```text
//! cargo run --release --example risk -- tests/cases/apartments-risk.json [--draws N] [--seed S]
//! ```
//!
//! Prints one JSON object: `draws`, `seed`, `total` (`profit` and `romi` as
//! `{mean, p10, p50, p90}`, and `p_loss`, the probability that total ROMI < 0) and `modules` (in
//! plan order, each with `key` and the same fields). ROMI is a fraction (1.3 = 130%) of the plan as
//! allocated (not over time); a module without spend has `"romi": null`. Errors go to stderr with
//! exit code 2 (usage) or 1 (the plan or the run).

use offergraph::Scenario;
use offergraph::uncertainty::{MonteCarlo, Outcome, Stats};
use serde::Serialize;

const USAGE: &str = "usage: risk PLAN.json [--draws N] [--seed S]

Monte Carlo over the plan file's `uncertainty` section (10000 draws, seed 0 by default):
prints profit and ROMI of the plan as allocated, in total and per module, as mean and
P10/P50/P90, with the probability of a loss, as one JSON object.";

struct Args {
    path: String,
    draws: usize,
    seed: u64,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let (mut path, mut draws, mut seed) = (None, 10_000, 0);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--draws" => draws = number(&arg, args.next())?,
            "--seed" => seed = number(&arg, args.next())?,
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ if path.is_some() => return Err(format!("unexpected argument {arg}")),
            _ => path = Some(arg),
        }
    }
    let path = path.ok_or("missing PLAN.json")?;
    Ok(Some(Args { path, draws, seed }))
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
struct Report<'a> {
    draws: usize,
    seed: u64,
    total: Figures,
    modules: Vec<ModuleReport<'a>>,
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let scenario = Scenario::load(&args.path)?;
    if scenario.uncertainty().is_empty() {
        eprintln!("{}: no uncertainty section; every draw is the plan itself", args.path);
    }
    let sim = scenario.simulate(MonteCarlo::new().with_draws(args.draws).with_seed(args.seed))?;
    let modules = scenario
        .plan()
        .modules()
        .zip(sim.modules())
        .map(|(m, o)| ModuleReport { key: m.key(), figures: Figures::of(o) })
        .collect();
    let report = Report { draws: args.draws, seed: args.seed, total: Figures::of(sim.total()), modules };
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
