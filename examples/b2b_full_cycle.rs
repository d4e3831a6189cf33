//! A B2B plan over a 16-week quarter-and-a-bit, with a 6–10 week decision cycle.
//!
//! Segments are regions × industries (extreme segmentation: one region, one industry per
//! module), each reached by search and by LinkedIn. Buyers take about eight weeks to decide
//! (a discretised gamma lag, mean 8 weeks, sd 1.5). The example shows:
//!
//! 1. the naive weekly ROMI a dashboard computes swings wildly, while the full-cycle ROMI of every
//!    week's spend is steady — do not steer on weekly ROI;
//! 2. the maximum sustainable cost per consultation for a 50% target ROMI;
//! 3. a budget boost that would create over-sale (regional sales desks cannot call every lead,
//!    leads go stale, the value per lead falls);
//! 4. the capacity-aware optimised plan that spends the boosted budget where the desks can still
//!    follow up, with no over-sale.
//!
//! Run: `cargo run --example b2b_full_cycle`

use offergraph::curves::{Exponential, Hill};
use offergraph::optimize::SolveOptions;
use offergraph::time::{Horizon, Lag, SalesTeam, TimeEvaluation, TimeModel, TimeOptimizeOptions};
use offergraph::{Channel, ModuleSpec, Money, Offer, Plan, Segment, ValueProposition};

const REGIONS: [&str; 3] = ["north", "center", "south"];
const INDUSTRIES: [&str; 3] = ["retail", "logistics", "manufacturing"];
const WEEKS: usize = 16;

fn plan(budget: f64) -> Result<Plan, Box<dyn std::error::Error>> {
    let mut plan = Plan::new("b2b-q3", Money::new(budget)?);
    for industry in INDUSTRIES {
        let segments: Vec<String> = REGIONS.iter().map(|r| format!("{r}-{industry}")).collect();
        for (r, key) in REGIONS.iter().zip(&segments) {
            plan.add_part(
                Segment::new(key.as_str(), 8_000.0, 0.12)?
                    .with_tag("region", *r)
                    .with_tag("industry", industry),
            )?;
        }
        plan.add_part(ValueProposition::new(format!("{industry}-savings"), 1.0, segments)?)?;
    }
    // A consultation that converts brings a 12 000 contract at 30% margin: v = 0.12·12 000·0.3.
    plan.add_part(Offer::new("consultation", 12_000.0, 0.3, 1.0)?)?;
    plan.add_part(Channel::new("search", Exponential::new(400.0, 60_000.0)?.into(), 8_000.0)?)?;
    plan.add_part(Channel::new("linkedin", Hill::new(300.0, 50_000.0, 0.9)?.into(), 8_000.0)?)?;
    for region in REGIONS {
        for industry in INDUSTRIES {
            for channel in ["search", "linkedin"] {
                plan.add_module(ModuleSpec::new(
                    format!("{region}-{industry}"),
                    format!("{industry}-savings"),
                    "consultation",
                    channel,
                ))?;
            }
        }
    }
    Ok(plan)
}

fn model() -> Result<TimeModel, offergraph::Error> {
    let mut model =
        TimeModel::new(Horizon::weeks(WEEKS)?).with_offer_lag("consultation", Lag::gamma(8.0, 1.5)?);
    // One desk per region: 4 reps × 4 consultations a day × 5 days = 80 a week.
    for region in REGIONS {
        let mut desk = SalesTeam::new(format!("{region}-desk"), 4.0, 4.0, 5.0)?;
        for industry in INDUSTRIES {
            desk = desk.with_segment(format!("{region}-{industry}"));
        }
        model = model.with_team(desk);
    }
    Ok(model)
}

fn spread(v: &[f64]) -> f64 {
    v.iter().cloned().fold(f64::MIN, f64::max) - v.iter().cloned().fold(f64::MAX, f64::min)
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{:+.0}%", 100.0 * x))
}

fn summary(name: &str, eval: &TimeEvaluation) {
    let f = eval.full_cycle();
    let lost: f64 = eval.totals().iter().map(|p| p.lost).sum();
    println!(
        "{name:<28} spend {:>9.0}  leads {:>6.0}  lost {:>5.0}  full-cycle ROMI {:>6}  still expected after week {WEEKS}: {:.0} GP",
        f.spend,
        f.leads,
        lost,
        pct(eval.full_cycle_romi()),
        eval.after_horizon().gross_profit,
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = plan(540_000.0)?;
    let model = model()?;
    let eval = model.evaluate(&base)?;

    println!("week  spend     closed GP   naive ROMI   full-cycle ROMI");
    for (t, p) in eval.totals().iter().enumerate() {
        println!(
            "{:>4}  {:>8.0}  {:>10.0}  {:>10}   {:>10}",
            t + 1,
            p.spend,
            p.gross_profit,
            pct(p.naive_romi()),
            pct(p.full_cycle_romi())
        );
    }
    let naive: Vec<f64> = eval.naive_romi().into_iter().flatten().collect();
    let full: Vec<f64> = eval.full_cycle_romi_by_period().into_iter().flatten().collect();
    println!(
        "naive weekly ROMI ranges over {:.0} points; full-cycle ROMI over {:.2} points",
        100.0 * spread(&naive),
        100.0 * spread(&full)
    );
    assert!(spread(&naive) > 1.0, "the dashboard view should swing");
    assert!(spread(&full) < 1e-9, "every week's spend has the same full-cycle ROMI");

    let target = 0.5;
    let max_cpl = eval.max_sustainable_cpl(target)?.expect("leads");
    let cpl = eval.full_cycle().cpl().expect("leads");
    println!(
        "cost per consultation now {cpl:.0}; max sustainable at {:.0}% ROMI: {max_cpl:.0}",
        100.0 * target
    );
    assert!(cpl < max_cpl);
    assert!(!eval.is_oversold());
    summary("plan", &eval);

    // Boost the budget 2.5× with the same rules: the desks cannot call everyone.
    let mut boosted = base.clone();
    boosted.set_budget(Money::new(1_350_000.0)?);
    let naive_boost = model.evaluate(&boosted)?;
    summary("boost by the rules", &naive_boost);
    assert!(naive_boost.is_oversold(), "the boost should create over-sale");
    for desk in naive_boost.teams() {
        println!(
            "  {:<12} capacity {:>3.0}/week, arrivals {:>5.1}/week, utilisation {:.0}%, lost {:.0}",
            desk.key,
            desk.capacity[0],
            desk.arrivals[0],
            100.0 * desk.utilisation(0).unwrap_or(0.0),
            desk.lost.iter().sum::<f64>()
        );
    }
    let lower = naive_boost.max_sustainable_cpl(target)?.expect("leads");
    println!("  lost leads lower the max sustainable cost per consultation to {lower:.0}");

    // The capacity-aware plan: the same boosted budget, allocated across modules and weeks.
    let best = model.optimize(
        &boosted,
        TimeOptimizeOptions::new().with_solve_options(SolveOptions::new().with_tolerance(1e-7)),
    )?;
    summary("capacity-aware optimum", best.evaluation());
    println!(
        "  status {}, certified gap {:.2e}, spends {:.0} of the {:.0} available",
        best.status().name(),
        best.upper_bound() - best.objective(),
        best.schedule().total(),
        boosted.budget().get()
    );
    assert!(!best.evaluation().is_oversold(), "the optimum must not create over-sale");
    assert!(best.evaluation().full_cycle().profit() > naive_boost.full_cycle().profit());
    Ok(())
}
