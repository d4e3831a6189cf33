//! The `uncertainty` section of plan files: the example plan, round trips, versions, errors, and
//! how a scenario keeps the section valid through edits.

use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, Uncertainty};
use offergraph::{PartKind, Plan, Scenario};
use proptest::prelude::*;

use crate::common::TestResult;

const CASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/apartments-risk.json");

#[test]
fn the_example_plan_loads_runs_and_survives_a_round_trip() -> TestResult {
    let scenario = Scenario::load(CASE)?;
    let u = scenario.uncertainty();
    assert_eq!(u.parts(PartKind::Channel).count(), 2);
    assert_eq!(
        u.module("investors/yield/1-room/outdoor").and_then(|e| e.lead_scale),
        Some(Distribution::log_normal(0.8, 0.6)?)
    );
    // Save → load gives the same scenario, uncertainty included.
    let path = std::env::temp_dir().join("offergraph-test-apartments-risk.json");
    scenario.save(&path)?;
    let again = Scenario::load(&path)?;
    assert_eq!(again.uncertainty(), u);
    assert_eq!(again.to_json(), scenario.to_json());
    // The plan is the sample's: the same deterministic figures.
    let eval = scenario.plan().evaluate()?;
    assert!(
        (eval.total().gross_profit - offergraph::sample::apartments()?.evaluate()?.total().gross_profit)
            .abs()
            < 1e-6
    );
    // families/playground/2-room/search: lead scale log-normal(1, 0.2) of search and conversion
    // beta(14, 86) of families, independent: mean gross profit = GP · e^(0.02) · (0.14 / 0.14).
    let key = "families/playground/2-room/search";
    let draws = 20_000;
    let sim = scenario.simulate(MonteCarlo::new().with_draws(draws))?;
    let gp = eval.module(scenario.plan(), key)?.figures.gross_profit;
    let want = gp * 0.02f64.exp();
    // sd of L·c/0.14: √(E[L²]E[c²]/0.14² − e^0.04); E[L²] = e^0.08, E[c²] = 0.14·15/101.
    let sd = gp * ((0.08f64.exp() * 0.14 * 15.0 / 101.0 / (0.14 * 0.14)) - 0.04f64.exp()).sqrt();
    let got = sim.module(scenario.plan(), key)?.gross_profit.mean;
    assert!((got - want).abs() < 4.0 * sd / (draws as f64).sqrt(), "{got} vs {want}");
    Ok(())
}

#[test]
fn versions_and_owners_of_the_section_are_checked() -> TestResult {
    let json = std::fs::read_to_string(CASE)?;
    assert_eq!(
        Plan::from_json(&json).unwrap_err().to_string(),
        "the plan file has an `uncertainty` section; load it as a Scenario (Scenario::from_json or Scenario::load) to keep it"
    );
    // Each edit of the example plan, and the error it gives.
    for (from, to, error) in [
        (
            r#""schema_version": 3"#,
            r#""schema_version": 2"#,
            r#"`uncertainty` needs schema_version 3, found schema_version 2; write "schema_version": 3"#,
        ),
        (
            r#""social": {"lead_scale""#,
            r#""radio": {"lead_scale""#,
            r#"uncertainty refers to channel "radio", which the plan does not have"#,
        ),
        (
            r#""conversion": {"type": "beta", "alpha": 14"#,
            r#""convresion": {"type": "beta", "alpha": 14"#,
            "unknown field `convresion`, expected one of `lead_scale`, `conversion`, `deal_value`, `margin`",
        ),
        (
            r#""sigma": 0.6"#,
            r#""sigma": 6"#,
            r#"uncertainty of module "investors/yield/1-room/outdoor" field `lead_scale`: log-normal sigma must be 0 or a number in [1e-6, 5], found 6"#,
        ),
        (
            r#"{"type": "beta", "alpha": 4, "beta": 46}"#,
            r#"{"type": "log_normal", "median": 0.08, "sigma": 0.2}"#,
            r#"uncertainty of segment "investors" field `conversion`: a log-normal draw has no upper bound, but a rate must lie in [0, 1]; use a beta or a fixed value"#,
        ),
    ] {
        let err = Scenario::from_json(&json.replacen(from, to, 1)).unwrap_err().to_string();
        assert!(err.contains(error), "{err}");
    }
    // Version 1 and 2 files without the section load as before, and are written as version 3.
    let plain = offergraph::sample::apartments()?.to_json().replacen(
        "\"schema_version\": 3",
        "\"schema_version\": 2",
        1,
    );
    let s = Scenario::from_json(&plain)?;
    assert!(s.uncertainty().is_empty() && !s.to_json().contains("uncertainty"));
    Ok(())
}

#[test]
fn applying_an_optimum_over_time_keeps_the_section() -> TestResult {
    use offergraph::time::{Horizon, TimeModel, TimeOptimizeOptions};
    let scenario = Scenario::load(CASE)?;
    let mut s = scenario.with_time(TimeModel::new(Horizon::weeks(4)?))?;
    let best = s.time().expect("a time model").optimize(s.plan(), TimeOptimizeOptions::new())?;
    let before = s.uncertainty().clone();
    s.apply_optimum(&best)?;
    assert_eq!(*s.uncertainty(), before);
    Ok(())
}

#[test]
fn edits_drop_the_entries_they_leave_dangling() -> TestResult {
    let key = "investors/yield/1-room/outdoor";
    let u = Uncertainty::new()
        .with_module(key, Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.3)?))
        .with_part(PartKind::Channel, "outdoor", Entry::new().with_lead_scale(Distribution::fixed(0.5)?));
    let mut s = Scenario::new(offergraph::sample::apartments()?).with_uncertainty(u)?;
    let (_, dropped) = s.edit(|plan| plan.remove_module(key))?;
    assert_eq!(
        dropped.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [format!("uncertainty referred to module \"{key}\", which the plan no longer has; dropped")]
    );
    assert!(s.uncertainty().module(key).is_none());
    // The channel's entry stays: the plan still has the channel.
    assert!(s.uncertainty().part(PartKind::Channel, "outdoor").is_some());
    assert_eq!(Scenario::from_json(&s.to_json())?.uncertainty(), s.uncertainty());
    Ok(())
}

/// A distribution that suits `field` (0 lead scale, 1 conversion, 2 deal value, 3 margin).
fn distribution(field: usize) -> impl Strategy<Value = Distribution> {
    let (lo, hi) = [(0.01, 100.0), (1e-9, 1.0), (1.0, 1e9), (1e-9, 1.0)][field];
    let median = lo..hi;
    let log_normal =
        (median.clone(), 0.0f64..5.0).prop_map(|(m, s)| Distribution::log_normal(m, s).expect("in range"));
    let beta = (1e-3f64..1e4, 1e-3f64..1e4).prop_map(|(a, b)| Distribution::beta(a, b).expect("in range"));
    let fixed = median.prop_map(|v| Distribution::fixed(v).expect("finite"));
    match field {
        0 => prop_oneof![log_normal, beta, fixed].boxed(),
        2 => prop_oneof![log_normal, fixed].boxed(),
        _ => prop_oneof![beta, fixed].boxed(),
    }
}

fn entry() -> impl Strategy<Value = Entry> {
    [0, 1, 2, 3].map(|f| proptest::option::of(distribution(f))).prop_map(|[l, c, p, m]| {
        let mut e = Entry::new();
        (e.lead_scale, e.conversion, e.deal_value, e.margin) = (l, c, p, m);
        e
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Any valid section of the sample plan survives save and load unchanged.
    #[test]
    fn sections_survive_a_round_trip(entries in proptest::collection::vec((0usize..5, 0usize..3, entry()), 0..8)) {
        let plan = offergraph::sample::apartments().expect("sample");
        let owners: [(Option<PartKind>, [&str; 3]); 5] = [
            (Some(PartKind::Segment), ["families", "investors", "first-time"]),
            (Some(PartKind::Proposition), ["playground", "yield", "mortgage"]),
            (Some(PartKind::Offer), ["1-room", "2-room", "3-room"]),
            (Some(PartKind::Channel), ["search", "social", "outdoor"]),
            (None, ["families/playground/2-room/search", "investors/yield/1-room/outdoor", "families/mortgage/2-room/social"]),
        ];
        let u = entries.into_iter().fold(Uncertainty::new(), |u, (o, k, e)| match owners[o] {
            (Some(kind), keys) => u.with_part(kind, keys[k], e),
            (None, keys) => u.with_module(keys[k], e),
        });
        let s = Scenario::new(plan).with_uncertainty(u).expect("valid");
        let again = Scenario::from_json(&s.to_json()).expect("loads");
        prop_assert_eq!(again.uncertainty(), s.uncertainty());
        prop_assert_eq!(again.to_json(), s.to_json());
    }
}
