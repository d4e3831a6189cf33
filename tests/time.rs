//! The time layer: known answers worked by hand (one module over three weeks with a lag; a sales
//! team over capacity, lost and backlog; flight splits), exact error messages, and property tests
//! (deals never exceed leads × conversion; the full cycle equals the no-lag total; processed ≤
//! capacity; flights sum to the total; the optimizer never plans over-sale).

use crate::common::close;
use offergraph::curves::Linear;
use offergraph::file::TimeModelFile;
use offergraph::optimize::SolveOptions;
use offergraph::time::{
    Flights, Horizon, Lag, Overflow, SalesTeam, Schedule, Seasonality, TimeModel, TimeOptimizeOptions,
};
use offergraph::{Channel, ModuleSpec, Money, Offer, Plan, Segment, ValueProposition};
#[cfg(feature = "testing")]
use proptest::prelude::*;

#[track_caller]
fn assert_all(got: &[f64], expected: &[f64]) {
    assert_eq!(got.len(), expected.len(), "{got:?} vs {expected:?}");
    for (g, e) in got.iter().zip(expected) {
        assert!(close(*g, *e), "{got:?} vs {expected:?}");
    }
}

/// One module: CPL 100 (linear), conversion 0.2, deal value 1000, margin 0.5; budget 3000.
/// Even weeks spend 1000 and bring 10 leads, 2 deals, GP 500 per deal.
fn one_module() -> Plan {
    let mut plan = Plan::new("one", Money::constant(3_000.0));
    plan.add_part(Segment::new("smb", 1_000.0, 0.2).expect("valid")).expect("new");
    plan.add_part(ValueProposition::new("fast", 1.0, ["smb"]).expect("valid")).expect("new");
    plan.add_part(Offer::new("install", 1_000.0, 0.5, 1.0).expect("valid")).expect("new");
    let curve = Linear::new(100.0, None).expect("valid").into();
    plan.add_part(Channel::new("search", curve, 1_000.0).expect("valid")).expect("new");
    plan.add_module(ModuleSpec::new("smb", "fast", "install", "search").with_key("m")).expect("new");
    plan
}

#[test]
fn one_module_three_weeks_with_a_lag() {
    let plan = one_module();
    let model = TimeModel::new(Horizon::weeks(3).expect("valid"))
        .with_offer_lag("install", Lag::from_weights(vec![0.5, 0.3, 0.2]).expect("valid"));
    let eval = model.evaluate(&plan).expect("evaluates");
    let m = eval.module(&plan, "m").expect("module");
    assert_all(m.spend, &[1_000.0; 3]);
    assert_all(m.leads, &[10.0; 3]);
    // Each week brings 2 deals: 50% close at once, 30% a week later, 20% two weeks later.
    assert_all(m.deals, &[1.0, 1.6, 2.0]);
    assert!(close(m.deals_after_horizon, 0.4 + 1.0));
    let gp: Vec<f64> = eval.totals().iter().map(|p| p.gross_profit).collect();
    assert_all(&gp, &[500.0, 800.0, 1_000.0]);
    let naive: Vec<f64> = eval.naive_romi().into_iter().map(|r| r.expect("spend")).collect();
    assert_all(&naive, &[-0.5, -0.2, 0.0]);
    let cumulative: Vec<f64> = eval.cumulative_romi().into_iter().map(|r| r.expect("spend")).collect();
    assert_all(&cumulative, &[-0.5, -0.35, -0.7 / 3.0]);
    // Every week's spend eventually returns exactly what it cost.
    let full: Vec<f64> = eval.full_cycle_romi_by_period().into_iter().map(|r| r.expect("spend")).collect();
    assert_all(&full, &[0.0; 3]);
    assert!(close(eval.full_cycle_romi().expect("spend"), 0.0));
    let c = eval.cohort();
    assert_all(&(0..=3).map(|j| c.deals(0, j)).collect::<Vec<_>>(), &[1.0, 0.6, 0.4, 0.0]);
    assert_all(&(0..=3).map(|j| c.deals(1, j)).collect::<Vec<_>>(), &[0.0, 1.0, 0.6, 0.4]);
    assert_all(&(0..=3).map(|j| c.deals(2, j)).collect::<Vec<_>>(), &[0.0, 0.0, 1.0, 1.0]);
    assert!(close(c.gross_profit(2, 3), 500.0));
    let after = eval.after_horizon();
    assert!(close(after.deals, 1.4) && close(after.gross_profit, 700.0) && close(after.revenue, 1_400.0));
    // v = 0.2 · 1000 · 0.5 = 100 per lead.
    assert!(close(eval.max_sustainable_cpl(0.0).expect("valid").expect("leads"), 100.0));
    assert!(close(eval.max_sustainable_cpl(1.0).expect("valid").expect("leads"), 50.0));
}

fn capacity_model(overflow: Overflow) -> TimeModel {
    // 1 rep × 2 leads a day × 4 days = 8 leads a week; 10 arrive every week.
    TimeModel::new(Horizon::weeks(3).expect("valid"))
        .with_team(SalesTeam::new("desk", 1.0, 2.0, 4.0).expect("valid").with_module("m"))
        .with_overflow(overflow)
}

#[test]
fn capacity_lost_by_hand() {
    let plan = one_module();
    let eval = capacity_model(Overflow::Lost).evaluate(&plan).expect("evaluates");
    let desk = eval.team("desk").expect("team");
    assert_all(&desk.capacity, &[8.0; 3]);
    assert_all(&desk.arrivals, &[10.0; 3]);
    assert_all(&desk.processed, &[8.0; 3]);
    assert_all(&desk.lost, &[2.0; 3]);
    assert_all(&desk.backlog, &[0.0; 3]);
    assert_eq!(desk.utilisation(0), Some(1.0));
    assert_eq!(desk.oversold_periods(), [0, 1, 2]);
    assert_all(eval.module(&plan, "m").expect("module").deals, &[1.6; 3]);
    // Lost leads lower the value per lead: 8 of 10 convert, so the break-even CPL is 80.
    assert!(close(eval.max_sustainable_cpl(0.0).expect("valid").expect("leads"), 80.0));
    assert!(eval.is_oversold());
}

#[test]
fn capacity_backlog_by_hand() {
    let plan = one_module();
    let eval = capacity_model(Overflow::backlog(0.5).expect("valid")).evaluate(&plan).expect("evaluates");
    let desk = eval.team("desk").expect("team");
    assert_all(&desk.processed, &[8.0; 3]);
    assert_all(&desk.backlog, &[2.0, 4.0, 6.0]);
    assert_all(&desk.lost, &[0.0; 3]);
    // Week 1: 2 waiting leads at half conversion, then 6 new; week 2: 4 waiting, then 4 new.
    let deals = eval.module(&plan, "m").expect("module").deals;
    assert_all(deals, &[1.6, 2.0 * 0.2 * 0.5 + 6.0 * 0.2, 4.0 * 0.2 * 0.5 + 4.0 * 0.2]);
    let totals: Vec<f64> = eval.totals().iter().map(|p| p.backlog).collect();
    assert_all(&totals, &[2.0, 4.0, 6.0]);
}

#[test]
fn holidays_lower_capacity() {
    let plan = one_module();
    let team = SalesTeam::new("desk", 1.0, 2.0, 4.0).expect("valid").with_holidays(1, 2.0).expect("valid");
    let eval = TimeModel::new(Horizon::weeks(3).expect("valid"))
        .with_team(team.with_segment("smb"))
        .evaluate(&plan)
        .expect("evaluates");
    assert_all(&eval.team("desk").expect("team").capacity, &[8.0, 4.0, 8.0]);
    assert_all(&eval.team("desk").expect("team").lost, &[2.0, 6.0, 2.0]);
}

#[test]
fn flight_splits_sum_exactly() {
    assert_all(&Flights::even().split(10_000.0, 4).expect("valid"), &[2_500.0; 4]);
    assert_all(
        &Flights::front_loaded().split(10_000.0, 4).expect("valid"),
        &[4_000.0, 3_000.0, 2_000.0, 1_000.0],
    );
    let flights = Flights::custom(vec![2.0, 2.0, 0.0, 0.0, 1.0]).expect("valid");
    assert_all(&flights.split(1_000.0, 5).expect("valid"), &[400.0, 400.0, 0.0, 0.0, 200.0]);
    let thirds = Flights::even().split(100.0, 3).expect("valid");
    assert!(offergraph::tol::approx_eq(thirds.iter().sum::<f64>(), 100.0, offergraph::tol::BUDGET_REL));
    // The schedule splits each module's allocation the same way.
    let plan = offergraph::sample::apartments().expect("sample");
    let s = TimeModel::new(Horizon::weeks(4).expect("valid"))
        .with_flights(Flights::front_loaded())
        .schedule(&plan)
        .expect("schedule");
    let alloc = plan.allocate().expect("allocates");
    for (i, m) in plan.modules().enumerate() {
        let row: f64 = s.module(&plan, m.key()).expect("module").iter().sum();
        assert!(offergraph::tol::approx_eq(row, alloc.spend()[i], offergraph::tol::BUDGET_REL));
    }
}

#[test]
fn seasonality_scales_leads() {
    let plan = one_module();
    let model = TimeModel::new(Horizon::weeks(3).expect("valid")).with_seasonality(
        Seasonality::new()
            .with_base(vec![1.0, 2.0, 1.0])
            .expect("valid")
            .with_channel("search", vec![1.0, 1.0, 0.0])
            .expect("valid"),
    );
    let eval = model.evaluate(&plan).expect("evaluates");
    assert_all(eval.module(&plan, "m").expect("module").leads, &[10.0, 20.0, 0.0]);
}

#[test]
fn error_messages() {
    let plan = one_module();
    let h = || Horizon::weeks(3).expect("valid");
    let msg = |m: TimeModel| m.check(&plan).unwrap_err().to_string();
    assert_eq!(
        msg(TimeModel::new(h())
            .with_team(SalesTeam::new("desk", 1.0, 1.0, 5.0).expect("valid").with_module("x"))),
        "team \"desk\" refers to module \"x\", which the plan does not have"
    );
    assert_eq!(
        msg(TimeModel::new(h())
            .with_team(SalesTeam::new("a", 1.0, 1.0, 5.0).expect("valid").with_segment("smb"))
            .with_team(SalesTeam::new("b", 1.0, 1.0, 5.0).expect("valid").with_segment("smb"))),
        "module \"m\" feeds both team \"a\" and team \"b\" (by segment); assign it to one team"
    );
    assert_eq!(
        msg(TimeModel::new(h())
            .with_team(SalesTeam::new("a", 1.0, 1.0, 5.0).expect("valid"))
            .with_team(SalesTeam::new("a", 1.0, 1.0, 5.0).expect("valid"))),
        "duplicate team \"a\" in the time model"
    );
    assert_eq!(
        msg(TimeModel::new(h()).with_seasonality(Seasonality::new().with_base(vec![1.0]).expect("valid"))),
        "base seasonality has 1 values, but the horizon has 3 periods; give one value per period"
    );
    assert_eq!(
        msg(TimeModel::new(h()).with_offer_lag("premium", Lag::none())),
        "lags refers to offer \"premium\", which the plan does not have"
    );
    assert_eq!(
        msg(TimeModel::new(h()).with_team(
            SalesTeam::new("a", 1.0, 1.0, 5.0).expect("valid").with_holidays(7, 1.0).expect("valid")
        )),
        "holidays of team \"a\" refers to period 7, but the horizon has 3 periods (numbered from 0)"
    );
    assert_eq!(
        msg(TimeModel::new(h()).with_flights(Flights::custom(vec![1.0, 1.0]).expect("valid"))),
        "flight weights has 2 values, but the horizon has 3 periods; give one value per period"
    );
    assert_eq!(
        Lag::gamma(f64::NAN, 1.0).unwrap_err().to_string(),
        "gamma lag mean must be a number in [0.01, 520], found NaN"
    );
    let mut off = one_module();
    off.set_module_enabled("m", false).expect("known");
    assert_eq!(
        Schedule::new(&off, 1, vec![5.0]).unwrap_err().to_string(),
        "module \"m\" is switched off, but the schedule spends 5 on it in period 0; set that spend to 0 or switch the module on"
    );
    let s = Schedule::new(&plan, 3, vec![1.0; 3]).expect("valid");
    assert_eq!(
        TimeModel::new(Horizon::weeks(2).expect("valid"))
            .evaluate_schedule(&plan, &s)
            .unwrap_err()
            .to_string(),
        "cannot compare an evaluation over 3 periods with one over 2 periods"
    );
    let mut edited = plan.clone();
    edited.remove_module("m").expect("known");
    assert_eq!(
        TimeModel::new(h()).evaluate_schedule(&edited, &s).unwrap_err().to_string(),
        "the schedule was made for another set of modules than the plan has now; make it again after changing the plan"
    );
    let file: TimeModelFile =
        serde_json::from_str(r#"{"periods": 3, "teams": [{"key": "d", "reps": 1, "leads_per_rep_per_day": -2, "working_days": 5}]}"#)
            .expect("parses");
    assert_eq!(
        TimeModel::from_file(&file, &plan).unwrap_err().to_string(),
        "team \"d\" leads_per_rep_per_day must be 0 or a number in [1e-6, 1e6], found -2"
    );
    let err: offergraph::Error = TimeModel::from_file(&file, &plan).unwrap_err().into();
    assert!(matches!(err, offergraph::Error::Time(_)));
}

#[test]
fn optimizer_avoids_oversale_and_caps_periods() {
    let plan = offergraph::sample::apartments().expect("sample");
    let model = TimeModel::new(Horizon::weeks(4).expect("valid"))
        .with_team(SalesTeam::new("desk", 1.0, 1.0, 5.0).expect("valid").with_channel("search"));
    let caps = vec![10_000.0, 20_000.0, 20_000.0, 10_000.0];
    let best = model
        .optimize(
            &plan,
            TimeOptimizeOptions::new().with_period_caps(caps.clone()).with_solve_options(SolveOptions::new()),
        )
        .expect("solves");
    assert!(best.status().is_optimal());
    assert!(!best.evaluation().is_oversold());
    for (t, cap) in caps.iter().enumerate() {
        assert!(best.schedule().period_total(t) <= cap * (1.0 + 1e-9));
    }
    assert!(best.upper_bound() - best.objective() <= 1e-6 * best.objective().abs().max(1.0));
    let err = model.optimize(&plan, TimeOptimizeOptions::new().with_period_caps(vec![1.0])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "period caps has 1 values, but the horizon has 4 periods; give one value per period"
    );
}

#[cfg(feature = "testing")]
fn lag_from(draw: &[f64]) -> Lag {
    let sum: f64 = draw.iter().sum();
    Lag::from_weights(draw.iter().map(|w| w / sum).collect()).expect("normalised")
}

// Random plans come from `offergraph::testing`: these run with `--features testing`.
#[cfg(feature = "testing")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn deals_never_exceed_leads_times_conversion(
        plan in offergraph::testing::plans(4),
        periods in 1..8usize,
        per_day in 0.0..5.0f64,
        decay in 0.0..1.0f64,
        backlog in any::<bool>(),
        lag in proptest::collection::vec(0.01..1.0f64, 1..5),
    ) {
        // Random rules may not be satisfiable; the allocation's own errors are tested elsewhere.
        if plan.allocate().is_err() {
            return Ok(());
        }
        let overflow = if backlog { Overflow::Backlog { decay } } else { Overflow::Lost };
        let model = TimeModel::new(Horizon::weeks(periods).expect("valid"))
            .with_team(SalesTeam::new("desk", 1.0, per_day, 5.0).expect("valid").with_segment("s0"))
            .with_overflow(overflow)
            .with_offer_lag("o0", lag_from(&lag));
        let eval = model.evaluate(&plan).expect("evaluates");
        for m in plan.modules() {
            let s = eval.module(&plan, m.key()).expect("module");
            let most: f64 = s.leads.iter().sum::<f64>() * m.economics().conversion;
            prop_assert!(s.full_cycle().deals <= most * (1.0 + 1e-9) + 1e-12);
            for t in 0..periods {
                prop_assert!(s.processed[t] <= s.leads[..=t].iter().sum::<f64>() * (1.0 + 1e-9) + 1e-12);
            }
        }
        for team in eval.teams() {
            for t in 0..periods {
                prop_assert!(team.processed[t] <= team.capacity[t] * (1.0 + 1e-12));
            }
        }
    }

    #[test]
    fn the_full_cycle_equals_the_no_lag_total(
        plan in offergraph::testing::plans(4),
        periods in 1..8usize,
        weights in proptest::collection::vec(0.1..1.0f64, 8),
        lag in proptest::collection::vec(0.01..1.0f64, 1..12),
    ) {
        if plan.allocate().is_err() {
            return Ok(());
        }
        let flights = Flights::custom(weights[..periods].to_vec()).expect("positive");
        let base = TimeModel::new(Horizon::weeks(periods).expect("valid")).with_flights(flights);
        let lagged = base.clone().with_offer_lag("o0", lag_from(&lag)).with_offer_lag("o1", Lag::geometric(2.0).expect("valid"));
        let (a, b) = (base.evaluate(&plan).expect("evaluates"), lagged.evaluate(&plan).expect("evaluates"));
        let (fa, fb) = (a.full_cycle(), b.full_cycle());
        prop_assert!(offergraph::tol::approx_eq(fa.deals, fb.deals, 1e-9));
        prop_assert!(offergraph::tol::approx_eq(fa.gross_profit, fb.gross_profit, 1e-9));
        prop_assert!(b.in_horizon().deals <= fb.deals * (1.0 + 1e-12));
        // Without capacity, lag or seasonality, and with even flights over K periods, the time
        // view gives the plan's own figures.
        let even = TimeModel::new(Horizon::weeks(periods).expect("valid")).evaluate(&plan).expect("evaluates");
        let single = plan.evaluate().expect("evaluates");
        prop_assert!(offergraph::tol::approx_eq(even.full_cycle().deals, single.total().deals, 1e-9));
    }

    #[test]
    fn the_optimum_never_creates_oversale(
        per_day in 0.1..3.0f64,
        periods in 1..5usize,
    ) {
        let plan = offergraph::sample::apartments().expect("sample");
        let model = TimeModel::new(Horizon::weeks(periods).expect("valid"))
            .with_team(SalesTeam::new("desk", 1.0, per_day, 5.0).expect("valid").with_segment("families"))
            .with_team(SalesTeam::new("invest", 1.0, per_day, 5.0).expect("valid").with_segment("investors"));
        let best = model.optimize(&plan, TimeOptimizeOptions::new()).expect("solves");
        prop_assert!(!best.evaluation().is_oversold());
        prop_assert!(best.schedule().total() <= plan.budget().get() * (1.0 + 1e-9));
    }
}
