//! Accepted ranges: the plan files that crashed or froze the library (found by fuzzing, kept
//! under `tests/cases/fuzz/`) load with a clear error, and plans built from numbers anywhere in
//! their accepted ranges — the corners included — evaluate, evaluate over time and optimize to
//! finite figures.

use offergraph::curves::{Exponential, Hill, Linear, Logistic, MichaelisMenten, PiecewiseLinear, RisingCpl};
use offergraph::optimize::{Objective, SolveOptions};
use offergraph::time::{Horizon, Lag, SalesTeam, TimeModel};
use offergraph::{
    Channel, ModuleSpec, Money, Offer, OptimizePolicy, Plan, Scenario, Segment, ValueProposition, ranges,
};
use proptest::prelude::*;

fn case(name: &str) -> String {
    let path = format!("{}/tests/cases/fuzz/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn fuzz_cases_are_refused_with_the_field_the_value_and_the_range() {
    let cases = [
        (
            "panic-lag-sd-subnormal.json",
            "offer \"premium\" lag: gamma lag sd must be a number in [0.01, 520], found 5e-324",
        ),
        ("panic-periods-huge.json", "horizon periods must be an integer in [1, 3660], found 1e19"),
        (
            "hang-rising-cpl-tiny-audience.json",
            "segment \"s3\" field `audience` must be a number in [1e-6, 1e12], found 1e-308",
        ),
        (
            "infinite-leads-cpl-subnormal.json",
            "plan \"time-known\" field `budget` must be 0 or a number in [1e-6, 1e15], found 1e308",
        ),
    ];
    for (file, message) in cases {
        let err = Scenario::from_json(&case(file)).expect_err(file).to_string();
        assert!(err.ends_with(message), "{file}: {err}");
    }
}

#[test]
fn the_other_extremes_of_the_fuzz_cases_are_refused_too() {
    // The hang reproduced with `base` 1e308 or `l0` 5e-324 instead of the audience; the infinite
    // figures with a subnormal CPL or lead rate.
    let hang =
        case("hang-rising-cpl-tiny-audience.json").replace("\"audience\": 1e-308", "\"audience\": 1000");
    for (from, to, message) in [
        (
            "\"base\": 31.4100034002466",
            "\"base\": 1e308",
            "parameter `base` must be a number in [1e-6, 1e15], found 1e308",
        ),
        (
            "\"l0\": 172.91087830151264",
            "\"l0\": 5e-324",
            "parameter `l0` must be a number in [1e-6, 1e12], found 5e-324",
        ),
    ] {
        assert!(hang.contains(from), "{from}");
        let err = Scenario::from_json(&hang.replace(from, to)).expect_err(to).to_string();
        assert!(err.ends_with(message), "{err}");
    }
    let infinite =
        case("infinite-leads-cpl-subnormal.json").replace("\"budget\": 1e+308", "\"budget\": 3000");
    for (from, to, message) in [
        ("\"cpl\": 100", "\"cpl\": 5e-324", "parameter `cpl` must be a number in [1e-6, 1e15], found 5e-324"),
        (
            "\"leads_per_rep_per_day\": 1e-308",
            "\"leads_per_rep_per_day\": 1e-308",
            "team \"desk\" leads_per_rep_per_day must be 0 or a number in [1e-6, 1e6], found 1e-308",
        ),
    ] {
        let err = Scenario::from_json(&infinite.replace(from, to)).expect_err(to).to_string();
        assert!(err.ends_with(message), "{err}");
    }
    // With every number in range, the same plan evaluates to finite figures.
    let fixed = infinite.replace("1e-308", "8");
    let scenario = Scenario::from_json(&fixed).expect("valid");
    let eval = scenario.evaluate_time().expect("time section").expect("evaluates");
    let f = eval.full_cycle();
    assert!([f.spend, f.leads, f.deals, f.revenue, f.gross_profit].iter().all(|x| x.is_finite()));
    assert_eq!(f.spend, 3000.0);
}

/// A value anywhere in `r`: log-uniform between its bounds, its bounds themselves, or zero.
fn within(r: ranges::Range) -> impl Strategy<Value = f64> + Clone {
    let (lo, hi) = (r.min().max(1e-300), r.max());
    let zero = if r.allows_zero() { 0.0 } else { r.min() };
    prop_oneof![
        Just(r.min()),
        Just(r.max()),
        Just(zero),
        (lo.ln()..hi.ln()).prop_map(move |x| x.exp().clamp(lo, hi)),
    ]
}

fn positive(r: ranges::Range) -> impl Strategy<Value = f64> + Clone {
    within(r).prop_map(move |x| if x == 0.0 { r.min() } else { x })
}

fn edge_curve() -> impl Strategy<Value = offergraph::curves::ResponseCurve> {
    let (count, spend) = (positive(ranges::COUNT_SCALE), positive(ranges::SPEND_SCALE));
    prop_oneof![
        (spend.clone(), proptest::option::of(count.clone()))
            .prop_map(|(c, cap)| Linear::new(c, cap).expect("in range").into()),
        (count.clone(), spend.clone(), positive(ranges::HILL_SHAPE))
            .prop_map(|(l, k, a)| Hill::new(l, k, a).expect("in range").into()),
        (count.clone(), spend.clone()).prop_map(|(l, k)| Exponential::new(l, k).expect("in range").into()),
        (count.clone(), positive(ranges::PER_MONEY))
            .prop_map(|(l, lambda)| Logistic::new(l, lambda).expect("in range").into()),
        (count.clone(), spend.clone())
            .prop_map(|(v, k)| MichaelisMenten::new(v, k).expect("in range").into()),
        (spend.clone(), count.clone(), within(ranges::ELASTICITY)).prop_map(|(b, l0, beta)| RisingCpl::new(
            b, l0, beta
        )
        .expect("in range")
        .into()),
        (spend, within(ranges::COUNT))
            .prop_map(|(s, l)| PiecewiseLinear::new(vec![(s, l)]).expect("in range").into()),
    ]
}

prop_compose! {
    fn edge_plan()(
        budget in within(ranges::MONEY),
        audience in positive(ranges::COUNT_SCALE),
        conversion in within(ranges::RATE),
        relevance in positive(ranges::RELEVANCE),
        deal_value in within(ranges::MONEY),
        margin in within(ranges::RATE),
        reference in positive(ranges::COUNT_SCALE),
        curves in proptest::collection::vec(edge_curve(), 2),
    ) -> Plan {
        let mut plan = Plan::new("edges", Money::new(budget).expect("in range"));
        plan.add_part(Segment::new("s", audience, conversion).expect("in range")).expect("new");
        plan.add_part(ValueProposition::new("v", relevance, ["s"]).expect("in range")).expect("new");
        plan.add_part(Offer::new("o", deal_value, margin, 1.0).expect("in range")).expect("new");
        for (i, curve) in curves.into_iter().enumerate() {
            plan.add_part(Channel::new(format!("c{i}"), curve, reference).expect("in range")).expect("new");
            plan.add_module(ModuleSpec::new("s", "v", "o", format!("c{i}"))).expect("compatible");
        }
        plan
    }
}

fn all_finite(xs: &[f64]) -> bool {
    xs.iter().all(|x| x.is_finite())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Numbers anywhere in their ranges give finite figures everywhere, or a typed error — never
    /// NaN, ∞, a panic or a hang.
    #[test]
    fn plans_at_the_edges_of_every_range_give_finite_figures(
        plan in edge_plan(),
        mean in positive(ranges::LAG_PERIODS),
        sd in positive(ranges::LAG_PERIODS),
        reps in within(ranges::HEADCOUNT),
        per_day in within(ranges::LEADS_PER_DAY),
        days in within(ranges::DAYS),
    ) {
        let eval = plan.evaluate().expect("the rule policy allocates any valid budget");
        for m in eval.modules() {
            let f = m.figures;
            prop_assert!(all_finite(&[f.spend, f.leads, f.deals, f.revenue, f.gross_profit, m.value_per_lead]), "{m:?}");
            prop_assert!(m.marginal_leads().is_none_or(f64::is_finite));
            prop_assert!(m.marginal_romi().is_none_or(f64::is_finite));
        }
        let lag = Lag::gamma(mean, sd.max(mean / ranges::LAG_SHARPNESS)).expect("in range");
        let team = SalesTeam::new("desk", reps, per_day, days).expect("in range").with_channel("c0");
        let model = TimeModel::new(Horizon::weeks(4).expect("in range")).with_team(team).with_offer_lag("o", lag);
        let time = model.evaluate(&plan).expect("evaluates over time");
        let full = time.full_cycle();
        prop_assert!(all_finite(&[full.spend, full.leads, full.deals, full.revenue, full.gross_profit]));
        for p in time.totals() {
            prop_assert!(all_finite(&[p.spend, p.leads, p.processed, p.deals, p.lost, p.backlog, p.gross_profit]));
        }
        let policy = OptimizePolicy::new(Objective::MaxProfit).with_options(SolveOptions::new().with_max_nodes(50));
        if let Ok(best) = plan.optimize(&policy) {
            let s = best.solution();
            prop_assert!(all_finite(&[s.objective, s.upper_bound]) && all_finite(&s.spend) && all_finite(&s.leads));
        }
    }
}

#[test]
fn the_b2b_case_plan_loads_and_evaluates_to_finite_figures() {
    // The plan a new user tried (`tests/cases/b2b-12-weeks.json`): 24 modules, 12 weeks, one
    // sales desk, a gamma lag. Issues 11 and 12 name what it still shows; here it must load,
    // evaluate and evaluate over time with every figure finite and the budget spent.
    let path = format!("{}/tests/cases/b2b-12-weeks.json", env!("CARGO_MANIFEST_DIR"));
    let scenario = Scenario::load(&path).expect("loads");
    assert_eq!(scenario.plan().module_count(), 24);
    let total = *scenario.plan().evaluate().expect("evaluates").total();
    assert!(offergraph::tol::approx_eq(total.spend, 600_000.0, offergraph::tol::BUDGET_REL));
    assert!(all_finite(&[total.leads, total.deals, total.revenue, total.gross_profit]));
    let time = scenario.evaluate_time().expect("has a time section").expect("evaluates over time");
    assert_eq!(time.periods(), 12);
    let full = time.full_cycle();
    assert!(all_finite(&[full.spend, full.leads, full.deals, full.revenue, full.gross_profit]));
    assert!(offergraph::tol::approx_eq(full.spend, total.spend, offergraph::tol::BUDGET_REL));
    // The desk cannot take every lead: the time layer says so.
    assert!(time.is_oversold());
    // The desk claims both channels, so every module is capacity-limited…
    assert!(time.unclaimed_modules(scenario.plan()).expect("fresh").is_empty());
    // …until a module on a channel the desk does not name is added: then it is reported.
    let mut scenario = scenario;
    let (_, dropped) = scenario
        .edit(|plan| {
            plan.add_part(Channel::new("radio", Linear::new(50.0, None).expect("valid").into(), 1_000.0)?)?;
            let first = plan.modules().next().expect("a module").key().to_owned();
            let parts = plan.module_parts(&first)?.map(str::to_owned);
            plan.add_module(ModuleSpec::new(&*parts[0], &*parts[1], &*parts[2], "radio"))
        })
        .expect("added");
    assert!(dropped.is_empty());
    let time = scenario.evaluate_time().expect("has a time section").expect("evaluates");
    let unclaimed = time.unclaimed_modules(scenario.plan()).expect("fresh");
    assert_eq!(unclaimed.len(), 1);
    assert!(unclaimed[0].ends_with("/radio"), "{unclaimed:?}");
}
