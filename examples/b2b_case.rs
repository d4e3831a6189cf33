//! The B2B case plan a new user tried (`tests/cases/b2b-12-weeks.json`: 24 modules, 12 weeks,
//! one sales desk of 40 leads a week, a 6-week gamma lag), optimised over time for three
//! objectives: what issue 11 measured.
//!
//! - Max profit.
//! - The most gross profit for a budget of at most 600 000 (starts from the max-profit answer,
//!   which meets every constraint).
//! - The same budget spent exactly: the desk caps leads while the money must go somewhere, a
//!   non-convex problem; the answer is feasible, with its certified gap.
//! - The static plan (one period, the plan's own budget) under one capacity of 480 leads, for
//!   max profit and for the most gross profit (the budget spent exactly, the policy's default).
//!
//! Run: `cargo run --release --example b2b_case`

use std::time::Instant;

use offergraph::optimize::{BudgetKind, Measure, Objective, SolveOptions};
use offergraph::time::TimeOptimizeOptions;
use offergraph::{OptimizePolicy, Scenario};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = format!("{}/tests/cases/b2b-12-weeks.json", env!("CARGO_MANIFEST_DIR"));
    let scenario = Scenario::load(&path)?;
    let model = scenario.time().ok_or("the case plan has a time section")?;
    let fixed = Objective::MaxValueFixedBudget { measure: Measure::GrossProfit };
    let runs = [
        ("max profit", Objective::MaxProfit, BudgetKind::AtMost),
        ("gross profit, budget at most", fixed, BudgetKind::AtMost),
        ("gross profit, budget exactly", fixed, BudgetKind::Exactly),
    ];
    for (name, objective, kind) in runs {
        let options = TimeOptimizeOptions::new()
            .with_objective(objective)
            .with_budget(600_000.0)
            .with_budget_kind(kind)
            .with_solve_options(SolveOptions::new());
        let start = Instant::now();
        let best = model.optimize(scenario.plan(), options)?;
        println!(
            "{name:<30} {:<10} objective {:>12.0}  bound {:>12.0}  nodes {:>4}  {:.3} s",
            best.status().name(),
            best.objective(),
            best.upper_bound(),
            best.solution().nodes,
            start.elapsed().as_secs_f64()
        );
        assert!(best.objective() <= best.upper_bound());
    }
    // the static plan (one period) under one capacity of 480 leads, the desk's 12 weeks
    for (name, objective) in [("static, max profit", Objective::MaxProfit), ("static, gross profit", fixed)] {
        let policy = OptimizePolicy::new(objective).with_capacity("desk", None, Measure::Leads, 480.0);
        let start = Instant::now();
        let best = scenario.plan().optimize(&policy)?;
        let s = best.solution();
        println!(
            "{name:<30} {:<10} objective {:>12.0}  bound {:>12.0}  nodes {:>4}  {:.3} s",
            s.status.name(),
            s.objective,
            s.upper_bound,
            s.nodes,
            start.elapsed().as_secs_f64()
        );
        assert!(s.objective <= s.upper_bound);
    }
    Ok(())
}
