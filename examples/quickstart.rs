//! Quickstart: the apartment case, end to end.
//!
//! A developer sells flats to families with children, investors and first-time buyers through
//! search, social and outdoor advertising. This example:
//! 1. prints the plan's table (spend, leads, CPL, deals, revenue, gross profit, ROMI, marginal ROMI);
//! 2. switches the least effective module off (its budget flows to the others);
//! 3. recombines: connects the investors' proposition to a better channel;
//! 4. replicates the best family module into two more regions;
//! 5. prints ROMI before and after, the diff, and a rollup by region;
//! 6. recomputes the split optimally (maximum gross profit for the same budget, search capped at
//!    40%) and prints the certified optimum next to the rule-based split.
//!
//! Run: `cargo run --release --example quickstart`

use offergraph::optimize::{Limit, Measure, Objective};
use offergraph::{GroupBy, ModuleSpec, OptimizePolicy, PartKind, ScenarioDiff, Selector, Variant};

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{:.1}%", v * 100.0))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut plan = offergraph::sample::apartments()?;
    let before_plan = plan.clone();
    let before = plan.evaluate()?;
    println!("== {} — budget {:.0}\n", plan.name(), plan.budget().get());
    println!("{}", before.table(&plan)?);

    // 2. Switch off the module with the lowest ROMI.
    let worst = plan
        .modules()
        .zip(before.modules())
        .filter(|(_, f)| f.active)
        .min_by(|a, b| {
            let (ra, rb) = (a.1.figures.romi().unwrap_or(f64::MIN), b.1.figures.romi().unwrap_or(f64::MIN));
            ra.total_cmp(&rb)
        })
        .map(|(m, f)| (m.key().to_owned(), f.figures.romi()))
        .ok_or("the plan has no active module")?;
    println!("switching off {} (ROMI {})", worst.0, pct(worst.1));
    plan.set_module_enabled(&worst.0, false)?;

    // 3. Recombine: the investors' yield proposition through social instead of outdoor.
    let recombined = plan.add_module(ModuleSpec::new("investors", "yield", "1-room", "social"))?;
    println!("recombined: added module {recombined}");

    // 4. Replicate the strongest family module into two more regions.
    let ids = plan.replicate(
        "families/playground/2-room/search",
        &[
            Variant::new("south").with_part(PartKind::Segment, "families-south"),
            Variant::new("west").with_part(PartKind::Segment, "families-west"),
        ],
    )?;
    println!("replicated into {} regions\n", ids.len());

    let after = plan.evaluate()?;
    println!("{}", after.table(&plan)?);
    println!(
        "ROMI before: {}   after: {}   (spend {:.0} -> {:.0})\n",
        pct(before.total().romi()),
        pct(after.total().romi()),
        before.total().spend,
        after.total().spend
    );
    let diff = ScenarioDiff::new((&before_plan, &before), (&plan, &after))?;
    println!("{diff}");

    println!("by region:");
    for (region, f) in after.rollup(&plan, &GroupBy::Tag("region".into()))? {
        println!(
            "  {region:<8} spend {:>8.0}  gross profit {:>10.0}  ROMI {}",
            f.spend,
            f.gross_profit,
            pct(f.romi())
        );
    }

    // 6. The optimal split of the same budget.
    let policy = OptimizePolicy::new(Objective::MaxValueFixedBudget { measure: Measure::GrossProfit })
        .with_cap(Selector::new(GroupBy::Part(PartKind::Channel), "search"), Limit::Share(0.4));
    let best = plan.optimize(&policy)?;
    let optimal = plan.evaluate_allocation(best.allocation())?;
    println!("\noptimal split (max gross profit, search <= 40% of budget):\n");
    println!("{}", optimal.table(&plan)?);
    let s = best.solution();
    println!(
        "gross profit {:.0} (rules: {:.0}); ROMI {} (rules: {}); certified gap {:.2e}; one more unit of budget is worth {:.3}",
        optimal.total().gross_profit,
        after.total().gross_profit,
        pct(optimal.total().romi()),
        pct(after.total().romi()),
        s.upper_bound - s.objective,
        s.budget_multiplier
    );
    Ok(())
}
