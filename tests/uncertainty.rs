//! The uncertainty layer: known answers worked by hand (a closed-form probability of loss),
//! sharing and precedence of entries, bit-identical runs on any number of threads, the run over
//! time against the static run, and properties of the summaries.

use offergraph::curves::Linear;
use offergraph::time::{Horizon, TimeModel};
use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, Simulation, Uncertainty};
use offergraph::{Channel, GroupBy, ModuleSpec, Money, Offer, PartKind, Plan, Segment, ValueProposition};
use proptest::prelude::*;

use crate::common::{TestResult, channel_lead_scale, close, ln};

fn fixed(v: f64) -> Distribution {
    Distribution::fixed(v).expect("valid")
}

/// One module: spend 1000 on a linear curve of cost per lead `e^(−1/2)`, so `r(1000) = 1000·e^(1/2)`
/// leads, each worth `v = 0.5 · 4 · 0.5 = 1`: profit `a·X − 1000` with `a = 1000·e^(1/2)`.
fn linear_plan() -> Result<Plan, Box<dyn std::error::Error>> {
    let mut plan = Plan::new("kat", Money::new(1_000.0)?);
    plan.add_part(Segment::new("s", 1_000.0, 0.5)?)?;
    plan.add_part(ValueProposition::new("v", 1.0, ["s"])?)?;
    plan.add_part(Offer::new("o", 4.0, 0.5, 1.0)?)?;
    plan.add_part(Channel::new("c", Linear::new((-0.5f64).exp(), None)?.into(), 1_000.0)?)?;
    plan.add_module(ModuleSpec::new("s", "v", "o", "c"))?;
    Ok(plan)
}

#[test]
fn the_probability_of_loss_of_a_linear_curve_with_a_log_normal_scale_is_closed_form() -> TestResult {
    let plan = linear_plan()?;
    let a = 1_000.0 * 0.5f64.exp();
    let (median, sigma, draws) = (1.0, 0.5, 100_000);
    let u = channel_lead_scale("c", median, sigma);
    let sim = u.simulate(&plan, MonteCarlo::new().with_draws(draws).with_seed(11))?;
    let t = sim.total();
    // P(loss) = P(a·X < 1000) = Φ((ln(1000/a) − ln 1)/0.5) = Φ(−1) = 0.158655 (normal table).
    let p = 0.158_655_253_931_457_07;
    let se = (p * (1.0 - p) / draws as f64).sqrt();
    assert!((t.p_loss - p).abs() < 4.0 * se, "P(loss) {} vs {p}", t.p_loss);
    // Mean profit a·e^(σ²/2) − 1000; sd of a·X is a·√((e^(σ²) − 1)·e^(σ²)).
    let mean = a * (sigma * sigma / 2.0f64).exp() - 1_000.0;
    let sd = a * (((sigma * sigma).exp() - 1.0) * (sigma * sigma).exp()).sqrt();
    assert!((t.profit.mean - mean).abs() < 4.0 * sd / (draws as f64).sqrt(), "{} vs {mean}", t.profit.mean);
    // P10 of profit a·e^(σ·z₀.₁) − 1000 with z₀.₁ = −1.2815516; its standard error is
    // √(0.1·0.9/n) over the density of a·X there, φ(z)/(x·σ)/a.
    let z10 = -1.281_551_565_544_600_5;
    let x10 = (sigma * z10).exp();
    let density = (-z10 * z10 / 2.0f64).exp() / (2.0 * std::f64::consts::PI).sqrt() / (x10 * sigma) / a;
    let se10 = (0.1 * 0.9 / draws as f64).sqrt() / density;
    assert!((t.profit.p10 - (a * x10 - 1_000.0)).abs() < 4.0 * se10, "{}", t.profit.p10);
    // The median: X's median is 1.
    assert!((t.profit.p50 - (a - 1_000.0)).abs() < 10.0, "{}", t.profit.p50);
    // ROMI is profit over the spend, draw by draw.
    let romi = t.romi.expect("a spend");
    assert!(close(romi.p10, t.profit.p10 / 1_000.0) && close(romi.mean, t.profit.mean / 1_000.0));
    // A target of 0.5 is missed when a·X < 1500: Φ((ln(1500/a))/0.5) = Φ(−0.189070) = 0.425019.
    let sim = u.simulate(&plan, MonteCarlo::new().with_draws(draws).with_seed(11).with_target_romi(0.5))?;
    let p = 0.425_019;
    assert!((sim.total().p_below_target - p).abs() < 4.0 * (p * (1.0 - p) / draws as f64).sqrt());
    assert_eq!(sim.total().p_loss, t.p_loss);
    Ok(())
}

#[test]
fn modules_of_one_channel_move_together() -> TestResult {
    let plan = offergraph::sample::apartments()?;
    let u = channel_lead_scale("search", 1.0, 0.4);
    let sim = u.simulate(&plan, MonteCarlo::new().with_draws(2_000).with_seed(5))?;
    let [a, b] =
        leads_of(&sim, &plan, ["families/playground/2-room/search", "investors/yield/1-room/search"])?;
    assert!((correlation(&a, &b) - 1.0).abs() < 1e-12);
    // The same multiplier in every draw: the ratio of their leads never moves.
    let ratio = a[0] / b[0];
    assert!(a.iter().zip(&b).all(|(x, y)| close(x / y, ratio)));
    // A module of another channel does not move at all.
    let social = sim.module(&plan, "families/playground/3-room/social")?;
    assert_eq!(social.leads.p10.to_bits(), social.leads.p90.to_bits());
    // Module entries are drawn for each module alone: two modules, two streams of numbers.
    let u = Uncertainty::new()
        .with_module("families/playground/2-room/search", Entry::new().with_lead_scale(ln(1.0, 0.4)))
        .with_module("investors/yield/1-room/search", Entry::new().with_lead_scale(ln(1.0, 0.4)));
    let sim = u.simulate(&plan, MonteCarlo::new().with_draws(2_000).with_seed(5))?;
    let [a, b] =
        leads_of(&sim, &plan, ["families/playground/2-room/search", "investors/yield/1-room/search"])?;
    assert!(correlation(&a, &b).abs() < 0.1);
    Ok(())
}

/// The leads of two modules in every draw.
fn leads_of(
    sim: &Simulation,
    plan: &Plan,
    keys: [&str; 2],
) -> Result<[Vec<f64>; 2], offergraph::error::UncertaintyError> {
    let [a, b] =
        keys.map(|k| sim.module_draws(plan, k).map(|d| d.iter().map(|f| f.leads).collect::<Vec<_>>()));
    Ok([a?, b?])
}

fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    let vy: f64 = y.iter().map(|b| (b - my) * (b - my)).sum();
    cov / (vx * vy).sqrt()
}

#[test]
fn a_module_entry_wins_over_its_parts_and_parts_combine_by_the_stated_rule() -> TestResult {
    let plan = offergraph::sample::apartments()?;
    let eval = plan.evaluate()?;
    let own = "families/playground/2-room/search";
    let sibling = "families/playground/3-room/social";
    let u = Uncertainty::new()
        .with_part(
            PartKind::Segment,
            "families",
            Entry::new().with_lead_scale(fixed(1.5)).with_conversion(fixed(0.3)),
        )
        .with_part(
            PartKind::Offer,
            "3-room",
            Entry::new().with_conversion(fixed(0.2)).with_margin(fixed(0.5)),
        )
        .with_part(PartKind::Channel, "social", Entry::new().with_lead_scale(fixed(2.0)))
        .with_module(own, Entry::new().with_lead_scale(fixed(0.5)).with_conversion(fixed(0.1)));
    let sim = u.simulate(&plan, MonteCarlo::new().with_draws(3))?;
    let before = |key: &str| eval.module(&plan, key).map(|m| m.figures);
    // The module's own entry: leads × 0.5 (not × 1.5), conversion 0.1 (not 0.3).
    let (m, f) = (sim.module(&plan, own)?, before(own)?);
    assert!(close(m.leads.mean, 0.5 * f.leads));
    assert!(close(m.deals.mean, 0.5 * f.leads * 0.1));
    // Deal value and margin untouched: the offer 2-room gives none.
    assert!(close(m.gross_profit.mean, 0.5 * f.leads * 0.1 * 95_000.0 * 0.2));
    // The sibling: lead scales of its segment and channel multiply (1.5 · 2); the segment's
    // conversion comes before the offer's (0.3, not 0.2); the offer's margin applies (0.5).
    let (m, f) = (sim.module(&plan, sibling)?, before(sibling)?);
    let deal_value = plan.module(sibling)?.economics().deal_value;
    assert!(close(m.leads.mean, 3.0 * f.leads));
    assert!(close(m.deals.mean, 3.0 * f.leads * 0.3));
    assert!(close(m.gross_profit.mean, 3.0 * f.leads * 0.3 * deal_value * 0.5));
    Ok(())
}

fn run_on(threads: usize, u: &Uncertainty, plan: &Plan) -> Result<Simulation, Box<dyn std::error::Error>> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    Ok(pool.install(|| u.simulate(plan, MonteCarlo::new().with_draws(3_000).with_seed(42)))?)
}

/// A lead scale per channel, a conversion per segment, a deal value per offer and a margin per
/// module: every kind of source.
fn every_kind_of_source() -> Result<Uncertainty, offergraph::error::UncertaintyError> {
    Ok(Uncertainty::new()
        .with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(ln(1.0, 0.3)))
        .with_part(PartKind::Channel, "social", Entry::new().with_lead_scale(ln(0.9, 0.5)))
        .with_part(
            PartKind::Segment,
            "investors",
            Entry::new().with_conversion(Distribution::beta(8.0, 92.0)?),
        )
        .with_part(PartKind::Offer, "2-room", Entry::new().with_deal_value(ln(95_000.0, 0.2)))
        .with_module(
            "investors/yield/1-room/outdoor",
            Entry::new().with_margin(Distribution::beta(2.0, 6.0)?),
        ))
}

#[test]
fn one_and_two_threads_give_the_same_bits() -> TestResult {
    let plan = offergraph::sample::apartments()?;
    let u = every_kind_of_source()?;
    let (one, two) = (run_on(1, &u, &plan)?, run_on(2, &u, &plan)?);
    // serde_json writes each f64 as its shortest exact form: equal text is equal bits.
    assert_eq!(serde_json::to_string(one.modules())?, serde_json::to_string(two.modules())?);
    assert_eq!(serde_json::to_string(one.total())?, serde_json::to_string(two.total())?);
    let by = GroupBy::Tag("region".into());
    assert_eq!(
        serde_json::to_string(&one.rollup(&plan, &by)?)?,
        serde_json::to_string(&two.rollup(&plan, &by)?)?
    );
    assert_eq!(one.total_draws(), two.total_draws());
    // Over time too: each draw is its own evaluation.
    let time =
        TimeModel::new(Horizon::weeks(3)?).with_offer_lag("2-room", offergraph::time::Lag::geometric(1.0)?);
    let over = |threads| -> Result<String, Box<dyn std::error::Error>> {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
        let sim = pool.install(|| u.simulate_over_time(&plan, &time, MonteCarlo::new().with_draws(300)))?;
        Ok(serde_json::to_string(&(sim.modules(), sim.total()))?)
    };
    assert_eq!(over(1)?, over(2)?);
    // Another seed, other numbers.
    let other = u.simulate(&plan, MonteCarlo::new().with_draws(3_000).with_seed(43))?;
    assert_ne!(serde_json::to_string(other.total())?, serde_json::to_string(one.total())?);
    Ok(())
}

#[test]
fn over_time_without_lag_or_capacity_matches_the_static_run_draw_by_draw() -> TestResult {
    let plan = offergraph::sample::apartments()?;
    let u = every_kind_of_source()?;
    let options = MonteCarlo::new().with_draws(400).with_seed(3);
    let flat = u.simulate(&plan, options)?;
    let time = TimeModel::new(Horizon::weeks(1)?);
    let over = u.simulate_over_time(&plan, &time, options)?;
    let (a, b) = (flat.total_draws(), over.total_draws());
    assert!(a.iter().zip(&b).all(|(x, y)| (x.gross_profit - y.gross_profit).abs() <= 1e-9 * x.gross_profit));
    let (ra, rb) = (flat.total().romi.expect("spend"), over.total().romi.expect("spend"));
    assert!((ra.p10 - rb.p10).abs() < 1e-9 && (ra.p90 - rb.p90).abs() < 1e-9);
    // No uncertainty: every draw's full-cycle ROMI is the time evaluation's.
    let time =
        TimeModel::new(Horizon::weeks(6)?).with_offer_lag("2-room", offergraph::time::Lag::geometric(3.0)?);
    let certain = Uncertainty::new().simulate_over_time(&plan, &time, MonteCarlo::new().with_draws(2))?;
    let full = time.evaluate(&plan)?.full_cycle_romi().expect("spend");
    assert!((certain.total().romi.expect("spend").p50 - full).abs() < 1e-9);
    Ok(())
}

#[test]
fn runs_refuse_bad_options_and_stale_plans() -> TestResult {
    let mut plan = offergraph::sample::apartments()?;
    let u = Uncertainty::new();
    let err = u.simulate(&plan, MonteCarlo::new().with_draws(0)).unwrap_err();
    assert_eq!(err.to_string(), "draws must be an integer in [1, 1000000], found 0");
    let err = u.simulate(&plan, MonteCarlo::new().with_target_romi(-1.0)).unwrap_err();
    assert_eq!(err.to_string(), "target ROMI must be a number in [-0.999999, 1e6], found -1");
    let sim = u.simulate(&plan, MonteCarlo::new().with_draws(2))?;
    plan.remove_module("investors/yield/1-room/outdoor")?;
    assert_eq!(
        sim.rollup(&plan, &GroupBy::Part(PartKind::Channel)).unwrap_err().to_string(),
        "the simulation was made for another set of modules than the plan has now; run it again after changing the plan"
    );
    let many = offergraph::sample::synthetic(100)?;
    let per_module = many
        .modules()
        .fold(Uncertainty::new(), |u, m| u.with_module(m.key(), Entry::new().with_lead_scale(ln(1.0, 0.1))));
    let err = per_module.simulate(&many, MonteCarlo::new().with_draws(1_000_000)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "1000000 draws of 100 random sources or modules are 100000000 numbers, more than 30000000; \
         lower the draws or give uncertainty per part rather than per module"
    );
    Ok(())
}

#[test]
fn entries_are_checked_against_their_field() -> TestResult {
    let plan = offergraph::sample::apartments()?;
    let check = |kind, key: &str, entry: Entry| {
        Uncertainty::new().with_part(kind, key, entry).check(&plan).map_err(|e| e.to_string())
    };
    assert_eq!(
        check(PartKind::Offer, "2-room", Entry::new().with_deal_value(Distribution::beta(2.0, 2.0)?)),
        Err("uncertainty of offer \"2-room\" field `deal_value`: a beta draw lies in [0, 1], which is not a deal value; use a log-normal or a fixed value".into())
    );
    assert_eq!(
        check(PartKind::Offer, "2-room", Entry::new().with_margin(fixed(1.5))),
        Err("uncertainty of offer \"2-room\" field `margin`: the fixed value must be 0 or a number in [1e-9, 1], found 1.5".into())
    );
    assert_eq!(
        check(PartKind::Channel, "search", Entry::new().with_lead_scale(ln(1e7, 0.1))),
        Err("uncertainty of channel \"search\" field `lead_scale`: the log-normal median must be a number in [1e-6, 1e6], found 10000000".into())
    );
    assert_eq!(
        check(PartKind::Proposition, "yield", Entry::new().with_margin(ln(0.2, 0.1))),
        Err("uncertainty of value proposition \"yield\" field `margin`: a log-normal draw has no upper bound, but a rate must lie in [0, 1]; use a beta or a fixed value".into())
    );
    assert_eq!(
        Uncertainty::new().with_module("nope", Entry::new()).check(&plan).map_err(|e| e.to_string()),
        Err("uncertainty refers to module \"nope\", which the plan does not have".into())
    );
    assert_eq!(
        Distribution::beta(f64::NAN, 1.0).map_err(|e| e.to_string()),
        Err("beta shape `alpha` must be a number in [0.001, 1e6], found NaN".into())
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Percentiles are ordered for every module, group and the total, whatever the seed and the
    /// spread; ROMI is finite or absent.
    #[test]
    fn percentiles_are_ordered(seed in any::<u64>(), sigma in 0.0f64..2.0, strength in 1.0f64..500.0, draws in 1usize..300) {
        let plan = offergraph::sample::apartments().expect("sample");
        let u = Uncertainty::new()
            .with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(ln(1.0, sigma)))
            .with_part(PartKind::Segment, "families", Entry::new().with_conversion(Distribution::beta(0.14 * strength, 0.86 * strength).expect("valid")))
            .with_module("investors/yield/1-room/outdoor", Entry::new().with_deal_value(ln(80_000.0, sigma)));
        let sim = u.simulate(&plan, MonteCarlo::new().with_draws(draws).with_seed(seed)).expect("runs");
        let groups = sim.rollup(&plan, &GroupBy::Part(PartKind::Offer)).expect("fresh");
        for o in sim.modules().iter().chain([sim.total()]).chain(groups.values()) {
            for s in [o.leads, o.deals, o.gross_profit, o.profit].into_iter().chain(o.romi) {
                prop_assert!(s.p10 <= s.p50 && s.p50 <= s.p90, "{s:?}");
                prop_assert!(s.mean.is_finite() && s.p10.is_finite() && s.p90.is_finite());
            }
            prop_assert!((0.0..=1.0).contains(&o.p_loss));
        }
    }

    /// Constant distributions equal to each module's own numbers give the deterministic
    /// evaluation as mean and as every percentile.
    #[test]
    fn a_constant_distribution_gives_the_deterministic_evaluation(seed in any::<u64>(), draws in 1usize..50) {
        let plan = offergraph::sample::apartments().expect("sample");
        let u = plan.modules().fold(Uncertainty::new(), |u, m| {
            let e = m.economics();
            u.with_module(m.key(), Entry::new().with_lead_scale(fixed(1.0)).with_conversion(fixed(e.conversion))
                .with_deal_value(fixed(e.deal_value)).with_margin(fixed(e.margin)))
        });
        let sim = u.simulate(&plan, MonteCarlo::new().with_draws(draws).with_seed(seed)).expect("runs");
        let eval = plan.evaluate().expect("evaluates");
        let outcomes = sim.modules().iter().chain([sim.total()]);
        let figures = eval.modules().iter().map(|m| m.figures).chain([*eval.total()]);
        for (o, f) in outcomes.zip(figures) {
            for (s, want) in [(o.leads, f.leads), (o.deals, f.deals), (o.gross_profit, f.gross_profit), (o.profit, f.profit())] {
                for got in [s.mean, s.p10, s.p50, s.p90] {
                    prop_assert!(close(got, want), "{got} vs {want}");
                }
            }
            prop_assert_eq!(o.romi.map(|r| r.p50), f.romi());
        }
    }
}
