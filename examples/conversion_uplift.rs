//! Conversion uplift: the check that sales is part of the funnel (docs/model.md).
//!
//! A case from practice: replacing the sales staff raised application→sale conversion from 14%
//! to 27%. With spend, leads, deal value and margin unchanged, ROMI is `k·c − 1` for a fixed `k`,
//! so a plan at ROMI 130% with c = 14% reaches ROMI ≈ 344% at c = 27%.
//!
//! The plan is built so that ROMI is exactly 130% at 14%: the channel's cost per lead is the max
//! sustainable CPL for a 130% target. The example asserts both ROMIs.
//!
//! Run: `cargo run --release --example conversion_uplift`

use offergraph::curves::Linear;
use offergraph::{Channel, ModuleSpec, Money, Offer, Plan, Segment, ValueProposition};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (conversion, deal_value, margin) = (0.14, 100_000.0, 0.2);
    // v = c·p·m; CPL at which ROMI is 130%: v / (1 + 1.3).
    let cpl = conversion * deal_value * margin / (1.0 + 1.3);

    let mut plan = Plan::new("uplift", Money::new(50_000.0)?);
    plan.add_part(Segment::new("buyers", 10_000.0, conversion)?)?;
    plan.add_part(ValueProposition::new("quality", 1.0, ["buyers"])?)?;
    plan.add_part(Offer::new("flat", deal_value, margin, 1.0)?)?;
    plan.add_part(Channel::new("search", Linear::new(cpl, None)?.into(), 10_000.0)?)?;
    plan.add_module(ModuleSpec::new("buyers", "quality", "flat", "search"))?;

    let before = plan.evaluate()?.total().romi().ok_or("no spend")?;
    plan.edit_part::<Segment, _>("buyers", |s| s.set_base_conversion(0.27))?;
    let after = plan.evaluate()?.total().romi().ok_or("no spend")?;

    println!("conversion 14% -> 27%: ROMI {:.1}% -> {:.1}%", before * 100.0, after * 100.0);
    let k = (1.0 + before) / 0.14;
    println!("k = (1 + ROMI) / c = {k:.2}; predicted ROMI at 27%: {:.1}%", (k * 0.27 - 1.0) * 100.0);
    assert!((before - 1.3).abs() < 1e-12, "ROMI at 14% should be 130%, got {before}");
    assert!((after - (0.27 / 0.14 * 2.3 - 1.0)).abs() < 1e-12, "ROMI at 27% should be k·c − 1");
    assert!((after - 3.44).abs() < 0.01, "ROMI at 27% should be ≈ 344%, got {after}");
    Ok(())
}
