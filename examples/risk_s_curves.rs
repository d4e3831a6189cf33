//! The risk-aware allocation where the branch and bound over spend boxes has work to do: S-curves
//! (the synthetic plans' video channel), with or without a lead capacity or an exact budget. For
//! each case it prints the status, the relative gap (`RiskOptimum::relative_gap`), the boxes and
//! the time; the last line sums them up.
//!
//! ```text
//! cargo run --release --example risk_s_curves
//! ```
//!
//! The cases: the three small-CVaR seeds a random run of the S-curve property test found (12
//! modules, 400 draws), then a grid of 12, 30 and 60 modules × no constraint, a lead capacity
//! of 12.5 leads per module, or the budget spent exactly × α 5%, 20% and 41%, 1 000 draws of
//! seed 7. Every case is expected `optimal`; the exit code is 1 when one is not.

use std::process::ExitCode;
use std::time::Instant;

use offergraph::optimize::{BudgetKind, Measure, Objective};
use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, RiskObjective, Uncertainty};
use offergraph::{BudgetPolicy, OptimizePolicy, PartKind, Plan};

/// A case: modules, the policy's variant, α, draws and seed.
type Case = (usize, &'static str, f64, usize, u64);

fn main() -> ExitCode {
    let seeds: [Case; 3] = [
        (12, "none", 0.0318, 400, 1_347_895_299_912_148_591),
        (12, "none", 0.0559, 400, 15_271_109_083_844_013_135),
        (12, "none", 0.1034, 400, 8_328_571_737_210_017_458),
    ];
    let mut cases = seeds.to_vec();
    for n in [12, 30, 60] {
        for variant in ["none", "capacity", "exact"] {
            for alpha in [0.05, 0.2, 0.41] {
                cases.push((n, variant, alpha, 1_000, 7));
            }
        }
    }
    let (mut optimal, mut worst_gap, mut slowest) = (0, 0.0f64, 0.0f64);
    for &(n, variant, alpha, draws, seed) in &cases {
        match run(n, variant, alpha, draws, seed) {
            Ok((line, is_optimal, gap, seconds)) => {
                println!("{line}");
                optimal += usize::from(is_optimal);
                worst_gap = worst_gap.max(gap);
                slowest = slowest.max(seconds);
            }
            Err(e) => {
                eprintln!("error: {n} modules, {variant}, alpha {alpha}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{optimal}/{} optimal, worst relative gap {worst_gap:.1e}, slowest {slowest:.2} s", cases.len());
    if optimal == cases.len() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// One case: its line, whether it is optimal, its relative gap and its time in seconds.
fn run(
    n: usize,
    variant: &str,
    alpha: f64,
    draws: usize,
    seed: u64,
) -> Result<(String, bool, f64, f64), Box<dyn std::error::Error>> {
    let mut plan = offergraph::sample::synthetic(n)?;
    let policy = OptimizePolicy::new(Objective::MaxProfit);
    match variant {
        "capacity" => plan.set_budget_policy(BudgetPolicy::Optimize(Box::new(policy.with_capacity(
            "desk",
            None,
            Measure::Leads,
            12.5 * n as f64,
        )))),
        "exact" => plan.set_budget_policy(BudgetPolicy::Optimize(Box::new(
            policy.with_budget_kind(BudgetKind::Exactly),
        ))),
        _ => {}
    }
    let u = risks(&plan)?;
    let mc = MonteCarlo::new().with_draws(draws).with_seed(seed);
    let start = Instant::now();
    let best = u.optimize(&plan, mc, RiskObjective::cvar(alpha)?)?;
    let seconds = start.elapsed().as_secs_f64();
    let line = format!(
        "{n:>2} modules {variant:<8} alpha {alpha:<6} draws {draws:>5} seed {seed:>20}: {} relative gap {:.1e}, {} boxes, {seconds:.3} s",
        best.status.name(),
        best.relative_gap(),
        best.boxes
    );
    Ok((line, best.status.is_optimal(), best.relative_gap(), seconds))
}

/// The video (S-curves) and search channels' lead volumes, and every module's deal value.
fn risks(plan: &Plan) -> Result<Uncertainty, Box<dyn std::error::Error>> {
    let u = Uncertainty::new()
        .with_part(
            PartKind::Channel,
            "video",
            Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.6)?),
        )
        .with_part(
            PartKind::Channel,
            "search",
            Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.3)?),
        );
    let deal_value = Distribution::log_normal(3_000.0, 0.4)?;
    Ok(plan.modules().fold(u, |u, m| u.with_module(m.key(), Entry::new().with_deal_value(deal_value))))
}
