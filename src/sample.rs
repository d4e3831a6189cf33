//! Embedded sample plans: the apartment case of `docs/model.md`, ready to evaluate.
//!
//! Used by `examples/quickstart.rs` and by the documentation, so every example starts from the
//! same, realistic plan.

use crate::curves::{Exponential, Hill};
use crate::error::Error;
use crate::{BudgetRule, Channel, ModuleSpec, Money, Offer, Plan, Segment, ValueProposition};

/// A one-month plan for a residential developer: three buyer segments (families with children,
/// investors, first-time buyers) plus two more family regions for replication, three value
/// propositions, three flat offers, three channels, six modules and a 60 000 budget.
///
/// The module `investors/yield/1-room/outdoor` is deliberately weak: outdoor needs a threshold
/// spend (an S-shaped Hill curve) that its share of the budget never reaches.
///
/// # Errors
/// None in practice; the signature keeps `?` usable.
///
/// # Example
/// ```
/// let plan = offergraph::sample::apartments()?;
/// assert_eq!(plan.module_count(), 6);
/// assert_eq!(plan.budget().get(), 60_000.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apartments() -> Result<Plan, Error> {
    let mut plan = Plan::new("apartments-june", Money::constant(60_000.0));
    plan.add_part(Segment::new("families", 40_000.0, 0.14)?.with_tag("region", "north"))?;
    plan.add_part(Segment::new("investors", 15_000.0, 0.08)?.with_tag("region", "north"))?;
    plan.add_part(Segment::new("first-time", 30_000.0, 0.10)?.with_tag("region", "north"))?;
    plan.add_part(Segment::new("families-south", 35_000.0, 0.12)?.with_tag("region", "south"))?;
    plan.add_part(Segment::new("families-west", 25_000.0, 0.13)?.with_tag("region", "west"))?;
    plan.add_part(ValueProposition::new(
        "playground",
        1.2,
        ["families", "families-south", "families-west"],
    )?)?;
    plan.add_part(ValueProposition::new("yield", 1.0, ["investors"])?)?;
    plan.add_part(ValueProposition::new("mortgage", 1.1, ["first-time", "families"])?)?;
    plan.add_part(Offer::new("1-room", 60_000.0, 0.18, 1.0)?.with_tag("category", "1-room"))?;
    plan.add_part(Offer::new("2-room", 95_000.0, 0.2, 1.0)?.with_tag("category", "2-room"))?;
    plan.add_part(Offer::new("3-room", 140_000.0, 0.2, 0.9)?.with_tag("category", "3-room"))?;
    plan.add_part(Channel::new("search", Exponential::new(40.0, 25_000.0)?.into(), 40_000.0)?)?;
    plan.add_part(Channel::new("social", Hill::new(60.0, 30_000.0, 0.8)?.into(), 40_000.0)?)?;
    plan.add_part(Channel::new("outdoor", Hill::new(30.0, 40_000.0, 2.0)?.into(), 40_000.0)?)?;
    let modules = [
        (["families", "playground", "2-room", "search"], 3.0),
        (["families", "playground", "3-room", "social"], 2.0),
        (["investors", "yield", "1-room", "search"], 2.0),
        (["investors", "yield", "1-room", "outdoor"], 1.0),
        (["first-time", "mortgage", "1-room", "search"], 2.0),
        (["families", "mortgage", "2-room", "social"], 2.0),
    ];
    for ([s, v, o, c], w) in modules {
        plan.add_module(ModuleSpec::new(s, v, o, c).with_budget(BudgetRule::weight(w)))?;
    }
    Ok(plan)
}

/// A deterministic synthetic plan with `modules` modules, for benchmarks and load tests.
///
/// Segments come in groups of ten modules (so switching one segment touches ten modules), with a
/// region and an industry tag each; ten offers; a value proposition per hundred segments; three
/// channels with concave, saturating and S-shaped curves. Every module is weighted; the budget is
/// 1 000 per module. The same `modules` always gives the same plan, ids included.
///
/// # Errors
/// None in practice; the signature keeps `?` usable.
///
/// # Example
/// ```
/// let plan = offergraph::sample::synthetic(1_000)?;
/// assert_eq!(plan.module_count(), 1_000);
/// let eval = plan.evaluate()?;
/// assert!((eval.total().spend - 1_000_000.0).abs() < 1e-3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn synthetic(modules: usize) -> Result<Plan, Error> {
    let segments = modules.div_ceil(10).max(1);
    let mut plan = Plan::new(
        "synthetic",
        Money::new(1_000.0 * modules as f64).map_err(crate::error::ModelError::from_money)?,
    );
    let regions = ["north", "south", "east", "west", "center"];
    let industries = ["retail", "logistics", "manufacturing", "services"];
    for s in 0..segments {
        let seg = Segment::new(
            format!("seg-{s}"),
            5_000.0 + (s % 7) as f64 * 1_000.0,
            0.05 + (s % 5) as f64 * 0.02,
        )?
        .with_tag("region", regions[s % regions.len()])
        .with_tag("industry", industries[s % industries.len()]);
        plan.add_part(seg)?;
    }
    let props = segments.div_ceil(100);
    for p in 0..props {
        let audience = (p * 100..((p + 1) * 100).min(segments)).map(|s| format!("seg-{s}"));
        plan.add_part(ValueProposition::new(format!("vp-{p}"), 0.9 + (p % 3) as f64 * 0.1, audience)?)?;
    }
    for o in 0..10 {
        plan.add_part(Offer::new(format!("offer-{o}"), 2_000.0 + 500.0 * o as f64, 0.3, 1.0)?)?;
    }
    plan.add_part(Channel::new("search", Hill::new(40.0, 800.0, 0.8)?.into(), 6_000.0)?)?;
    plan.add_part(Channel::new("social", Exponential::new(30.0, 1_000.0)?.into(), 6_000.0)?)?;
    plan.add_part(Channel::new("video", Hill::new(60.0, 1_500.0, 2.2)?.into(), 6_000.0)?)?;
    let channels = ["search", "social", "video"];
    for m in 0..modules {
        let s = m / 10;
        let spec = ModuleSpec::new(
            format!("seg-{s}"),
            format!("vp-{}", s / 100),
            format!("offer-{}", m % 10),
            channels[m % 3],
        )
        .with_key(format!("m-{m}"))
        .with_budget(BudgetRule::weight(1.0 + (m % 4) as f64));
        plan.add_module(spec)?;
    }
    Ok(plan)
}
