//! A B2B equipment seller (the case plan `tests/cases/b2b-12-weeks.json`: three regions, two
//! industries, two channels, two price tiers, a 6-week sales cycle, one sales desk of 40 leads a
//! week, 12 weeks) opens a fourth region, then re-plans under the desk.
//!
//! 1. Replicate the Jiangsu medicine modules into Shandong: the proposition's audience grows to
//!    the new segment (`Variant::with_extended_audience`).
//! 2. Look at the static table: it warns that the plan is oversold under the desk.
//! 3. Re-plan over the 12 weeks for the most profit within the desk's capacity, with a certified
//!    bound, and apply the optimum back to the scenario.
//! 4. Compare before and after, and read what one more lead a week of desk capacity is worth.
//!
//! Run: `cargo run --release --example b2b_regions`

use offergraph::time::{TimeConstraint, TimeOptimizeOptions};
use offergraph::{PartKind, Scenario, Segment, Variant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = format!("{}/tests/cases/b2b-12-weeks.json", env!("CARGO_MANIFEST_DIR"));
    let mut scenario = Scenario::load(&path)?;

    // 1. A new region: one segment, and the Jiangsu medicine modules replicated into it.
    let shandong =
        Variant::new("shandong").with_part(PartKind::Segment, "shandong-medicine").with_extended_audience();
    let (added, repairs) = scenario.edit(|plan| {
        let segment = Segment::new("shandong-medicine", 3_500.0, 0.12)?
            .with_tag("region", "shandong")
            .with_tag("industry", "medicine");
        plan.add_part(segment)?;
        let sources: Vec<String> = plan
            .modules_using(PartKind::Segment, "jiangsu-medicine")?
            .into_iter()
            .map(str::to_owned)
            .collect();
        let mut added = Vec::new();
        for key in &sources {
            plan.replicate(key, std::slice::from_ref(&shandong))?;
            added.push(format!("{key}@shandong"));
        }
        Ok::<_, offergraph::Error>(added)
    })?;
    assert!(repairs.is_empty(), "adding modules leaves the time model valid");
    println!("Replicated into Shandong: {} modules, e.g. {}", added.len(), added[0]);
    let before = scenario.clone();

    // 2. The static table ends with what it leaves out: the desk cannot take these leads.
    println!("\nBefore (budget split by rules):\n{}", scenario.table()?);

    // 3. The most profit over the 12 weeks within the desk (the default objective, with the
    //    plan's budget as an upper limit), certified by its upper bound.
    let model = scenario.time().ok_or("the case plan has a time section")?.clone();
    let best = model.optimize(scenario.plan(), TimeOptimizeOptions::new())?;
    let (profit, bound) = (best.objective(), best.upper_bound());
    let gap = (bound - profit) / profit.abs().max(1.0);
    let status = best.status().name();
    println!("Optimum over time: {status}, profit {profit:.0} ≤ {bound:.0} (gap {gap:.1e})");
    assert!(!best.evaluation().is_oversold(), "the optimum plans no over-sale");
    scenario.apply_optimum(&best)?;

    // 4. Before and after, in one call.
    let diff = before.compare(&scenario)?;
    let time = diff.time.as_ref().ok_or("both scenarios are laid out over time")?;
    println!("\nWeek by week (after − before):\n{time}");
    let lost = |s: &Scenario| -> Result<f64, Box<dyn std::error::Error>> {
        let eval = s.evaluate_time().ok_or("time model")??;
        Ok(eval.teams().iter().flat_map(|t| &t.lost).sum())
    };
    let pct = |r: Option<f64>| r.map_or("-".to_owned(), |r| format!("{:+.0}%", 100.0 * r));
    println!(
        "Full cycle: spend {:.0} -> {:.0}, profit {:.0} -> {:.0}, ROMI {} -> {}, leads lost {:.0} -> {:.0}",
        time.before.spend,
        time.after.spend,
        time.before.profit(),
        time.after.profit(),
        pct(time.before.romi()),
        pct(time.after.romi()),
        lost(&before)?,
        lost(&scenario)?
    );
    println!("\nShadow prices (what one more unit is worth):");
    for p in best.shadow_prices() {
        match &p.constraint {
            TimeConstraint::Capacity { team, period } => {
                println!("  one more lead for team \"{team}\" in week {}: {:>8.0}", period + 1, p.value)
            }
            other => println!("  {other}: {:.4}", p.value),
        }
    }
    println!("\nAfter (the optimum as fixed budgets):\n{}", scenario.table()?);
    Ok(())
}
