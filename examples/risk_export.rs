//! The risk-aware allocation on synthetic plans, exported for the SLSQP comparison
//! (`benches/slsqp/cvar.py`): for each size, the synthetic plan of `N` modules (concave,
//! saturating and S-shaped channels) under channel-wide and per-module lead-scale surprises,
//! uncertain conversions and deal values, `D` draws, the budget spent exactly; maximises the CVaR
//! at 10% of total profit and writes one JSON file with the modules' curves, the budget, every
//! module's weight in every draw (`w[i][d]`, lead scale × value per lead: the draw's profit is
//! `Σ_i w[i][d]·r_i(s_i) − Σ s_i`), and our answer with its solve time (median of `--repeat`
//! solves in this warm process).
//!
//! ```text
//! cargo run --release --example risk_export -- OUT_DIR [--repeat K]
//! ```
//!
//! Writes `OUT_DIR/cvar-N-D.json` for (N, D) in (10, 1 000), (50, 2 000), (100, 2 000),
//! (200, 2 000) and prints one line per file. Errors go to stderr with exit code 2 (usage) or 1.

use std::time::Instant;

use offergraph::optimize::{BudgetKind, Objective};
use offergraph::sample::synthetic;
use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, RiskObjective, Uncertainty};
use offergraph::{BudgetPolicy, OptimizePolicy, PartKind, Plan, Segment};
use serde_json::json;

const USAGE: &str = "usage: risk_export OUT_DIR [--repeat K]

Writes the CVaR problems of the SLSQP comparison (synthetic plans, 10% CVaR of total profit,
budget spent exactly) with our answers to OUT_DIR/cvar-N-D.json.";

const SIZES: [(usize, usize); 4] = [(10, 1_000), (50, 2_000), (100, 2_000), (200, 2_000)];
const ALPHA: f64 = 0.1;

/// Channels ±30% (log-normal), each module ±15% on top, segments' conversion a beta of strength
/// 200 around their own, offers' deal value ±10% (the uncertainty of the benches).
fn uncertainty(plan: &Plan) -> Result<Uncertainty, Box<dyn std::error::Error>> {
    let mut u = Uncertainty::new();
    for c in ["search", "social", "video"] {
        u = u.with_part(
            PartKind::Channel,
            c,
            Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.3)?),
        );
    }
    for s in plan.parts::<Segment>() {
        let c = s.base_conversion();
        let beta = Distribution::beta(200.0 * c, 200.0 * (1.0 - c))?;
        u = u.with_part(PartKind::Segment, s.key(), Entry::new().with_conversion(beta));
    }
    for o in 0..10 {
        let p = 2_000.0 + 500.0 * o as f64;
        u = u.with_part(
            PartKind::Offer,
            format!("offer-{o}"),
            Entry::new().with_deal_value(Distribution::log_normal(p, 0.1)?),
        );
    }
    for m in plan.modules() {
        u = u.with_module(m.key(), Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.15)?));
    }
    Ok(u)
}

fn export(dir: &str, n: usize, d: usize, repeat: usize) -> Result<String, Box<dyn std::error::Error>> {
    let mut plan = synthetic(n)?;
    let u = uncertainty(&plan)?;
    let mc = MonteCarlo::new().with_draws(d).with_seed(1);
    // Weights from the draws at the plan's allocation by its rules: every module gets spend, so
    // w = gross profit / expected leads (the lead scale times the value per lead).
    let sim = u.simulate(&plan, mc)?;
    let eval = plan.evaluate()?;
    let mut w = Vec::with_capacity(n);
    let mut modules = Vec::with_capacity(n);
    for (m, f) in plan.modules().zip(eval.modules()) {
        let leads = f.figures.leads;
        let draws = sim.module_draws(&plan, m.key())?;
        w.push(draws.iter().map(|x| x.gross_profit / leads).collect::<Vec<f64>>());
        modules.push(json!({"key": m.key(), "curve": m.economics().curve}));
    }
    // Now the budget spent exactly, as PyMC-Marketing's optimizer spends it.
    let policy = OptimizePolicy::new(Objective::MaxProfit).with_budget_kind(BudgetKind::Exactly);
    plan.set_budget_policy(BudgetPolicy::Optimize(Box::new(policy)));
    let objective = RiskObjective::cvar(ALPHA)?;
    let mut times = Vec::with_capacity(repeat);
    let mut best = None;
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let found = u.optimize(&plan, mc, objective)?;
        times.push(start.elapsed().as_secs_f64());
        best = Some(found);
    }
    let best = best.ok_or("no solve")?;
    times.sort_by(f64::total_cmp);
    let seconds = times[times.len() / 2];
    let spend: Vec<f64> = best.spend.values().copied().collect();
    let out = json!({
        "n": n, "draws": d, "alpha": ALPHA, "budget": plan.budget().get(),
        "modules": modules, "w": w,
        "ours": {"spend": spend, "cvar": best.cvar, "upper_bound": best.upper_bound,
                 "status": best.status.name(), "iterations": best.iterations, "seconds": seconds},
    });
    let path = format!("{dir}/cvar-{n}-{d}.json");
    std::fs::write(&path, serde_json::to_string(&out)?)?;
    Ok(format!(
        "{path}: cvar {:.6} gap {:.3e} {} in {} iterations, {:.4} s",
        best.cvar,
        best.gap(),
        best.status.name(),
        best.iterations,
        seconds
    ))
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut repeat) = (None, 11);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return std::process::ExitCode::SUCCESS;
            }
            "--repeat" => match args.next().and_then(|v| v.parse().ok()) {
                Some(k) => repeat = k,
                None => {
                    eprintln!("risk_export: --repeat needs a positive integer\n\n{USAGE}");
                    return std::process::ExitCode::from(2);
                }
            },
            _ if dir.is_none() && !arg.starts_with('-') => dir = Some(arg),
            _ => {
                eprintln!("risk_export: unexpected argument {arg}\n\n{USAGE}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("risk_export: missing OUT_DIR\n\n{USAGE}");
        return std::process::ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("risk_export: {dir}: {e}");
        return std::process::ExitCode::from(1);
    }
    for (n, d) in SIZES {
        match export(&dir, n, d, repeat) {
            Ok(line) => println!("{line}"),
            Err(e) => {
                eprintln!("risk_export: {e}");
                return std::process::ExitCode::from(1);
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
