//! The optimizing budget policy on plans: known answers worked by hand, constraints by part and
//! tag, warm starts, and plan files carrying the policy.

use crate::common::close_to;
use offergraph::curves::Exponential;
use offergraph::optimize::{BudgetKind, Limit, Measure, Objective};
use offergraph::{
    BudgetPolicy, BudgetRule, Channel, GroupBy, ModuleSpec, Money, Offer, OptimizePolicy, PartKind, Plan,
    Segment, Selector, ValueProposition,
};

/// Two identical modules: r(s) = 100·(1 − e^(−s/50)) leads (audience = reference audience,
/// relevance 1), v = c·p·m = 1·3·1 = 3 per lead.
fn twins(budget: f64) -> Plan {
    let mut plan = Plan::new("twins", Money::new(budget).unwrap());
    plan.add_part(Segment::new("north", 1_000.0, 1.0).unwrap().with_tag("region", "north")).unwrap();
    plan.add_part(Segment::new("south", 1_000.0, 1.0).unwrap().with_tag("region", "south")).unwrap();
    plan.add_part(ValueProposition::new("vp", 1.0, ["north", "south"]).unwrap()).unwrap();
    plan.add_part(Offer::new("offer", 3.0, 1.0, 1.0).unwrap()).unwrap();
    let curve = Exponential::new(100.0, 50.0).unwrap();
    plan.add_part(Channel::new("search", curve.clone().into(), 1_000.0).unwrap()).unwrap();
    plan.add_part(Channel::new("social", curve.into(), 1_000.0).unwrap()).unwrap();
    plan.add_module(ModuleSpec::new("north", "vp", "offer", "search").with_key("a")).unwrap();
    plan.add_module(ModuleSpec::new("south", "vp", "offer", "social").with_key("b")).unwrap();
    plan
}

#[test]
fn max_profit_stops_where_marginal_romi_is_zero() {
    // v·r'(s) = 3·2·e^(−s/50) = 1  ⇒  s* = 50·ln 6 = 89.5880… per module; budget 1 000 is slack.
    let plan = twins(1_000.0);
    let best = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit)).unwrap();
    let s = best.allocation().spend();
    let expected = 50.0 * 6f64.ln();
    assert!(close_to(s[0], expected, 1e-9), "{s:?}");
    assert!(close_to(s[1], expected, 1e-9), "{s:?}");
    // Profit per module: 3·100·(1 − 1/6) − s* = 250 − 89.588…
    assert!(close_to(best.solution().objective, 2.0 * (250.0 - expected), 1e-9));
    assert!(best.solution().objective <= best.solution().upper_bound);
}

#[test]
fn binding_budget_splits_evenly_and_prices_the_next_unit() {
    // Budget 100 < 2·89.59 binds: by symmetry 50 each; the budget's shadow price is the marginal
    // profit v·r'(50) − 1 = 6·e^(−1) − 1 = 1.2073…
    let plan = twins(100.0);
    let best = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit)).unwrap();
    let s = best.allocation().spend();
    assert!(close_to(s[0], 50.0, 1e-9) && close_to(s[1], 50.0, 1e-9), "{s:?}");
    assert!(close_to(best.solution().budget_multiplier, 6.0 * (-1.0f64).exp() - 1.0, 1e-6));
}

#[test]
fn group_cap_by_channel_moves_money_to_the_other_channel() {
    // Fixed budget 100 with search capped at 30% ⇒ search 30, social 70.
    let plan = twins(100.0);
    let policy = OptimizePolicy::new(Objective::MaxValueFixedBudget { measure: Measure::GrossProfit })
        .with_cap(Selector::new(GroupBy::Part(PartKind::Channel), "search"), Limit::Share(0.3));
    let best = plan.optimize(&policy).unwrap();
    let s = best.allocation().spend();
    assert!(close_to(s[0], 30.0, 1e-9) && close_to(s[1], 70.0, 1e-9), "{s:?}");
    assert!(close_to(best.allocation().total(), 100.0, 1e-9));
}

#[test]
fn group_floor_by_tag_is_honoured() {
    // Region "south" must get at least 80 of an exact budget of 100 ⇒ 20 / 80.
    let plan = twins(100.0);
    let policy = OptimizePolicy::new(Objective::MaxValueFixedBudget { measure: Measure::GrossProfit })
        .with_floor(Selector::new(GroupBy::Tag("region".into()), "south"), Limit::Money(80.0));
    let s = plan.optimize(&policy).unwrap().allocation().spend().to_vec();
    assert!(close_to(s[0], 20.0, 1e-9) && close_to(s[1], 80.0, 1e-9), "{s:?}");
}

#[test]
fn lead_capacity_caps_the_leads() {
    // Unconstrained each module brings 100·(1 − 1/6) = 83.33 leads; a team that handles 100
    // leads forces 50 leads each: s = −50·ln(1 − 0.5) = 34.657… per module.
    let plan = twins(1_000.0);
    let policy =
        OptimizePolicy::new(Objective::MaxProfit).with_capacity("sales", None, Measure::Leads, 100.0);
    let best = plan.optimize(&policy).unwrap();
    let s = best.allocation().spend();
    let expected = 50.0 * 2f64.ln();
    assert!(close_to(s[0], expected, 1e-6) && close_to(s[1], expected, 1e-6), "{s:?}");
    let leads = plan.evaluate_allocation(best.allocation()).unwrap().total().leads;
    assert!(leads <= 100.0 * (1.0 + 1e-9), "{leads}");
}

#[test]
fn inactive_and_fixed_modules_are_respected() {
    let mut plan = twins(1_000.0);
    plan.set_budget_rule("b", BudgetRule::fixed(10.0)).unwrap();
    let best = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit)).unwrap();
    assert!(close_to(best.allocation().spend()[1], 10.0, 1e-12));
    plan.set_module_enabled("a", false).unwrap();
    let best = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit)).unwrap();
    assert_eq!(best.allocation().spend()[0], 0.0);
}

#[test]
fn warm_start_after_a_toggle_matches_a_cold_solve() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let policy = OptimizePolicy::new(Objective::MaxProfit);
    let first = plan.optimize(&policy).unwrap();
    plan.set_part_enabled(PartKind::Channel, "social", false).unwrap();
    let warm = plan.reoptimize(&policy, &first).unwrap();
    let cold = plan.optimize(&policy).unwrap();
    assert!(close_to(warm.solution().objective, cold.solution().objective, 1e-9));
    // Switching modules off never raises the optimum.
    assert!(warm.solution().objective <= first.solution().objective * (1.0 + 1e-12));
}

#[test]
fn the_plan_policy_drives_allocate() {
    let mut plan = twins(1_000.0);
    let policy = OptimizePolicy::new(Objective::MaxProfit);
    let direct = plan.optimize(&policy).unwrap().allocation().clone();
    plan.set_budget_policy(BudgetPolicy::Optimize(Box::new(policy)));
    assert_eq!(plan.allocate().unwrap(), direct);
}

#[test]
fn optimum_beats_the_rule_split_on_the_sample_plan() {
    let plan = offergraph::sample::apartments().unwrap();
    let rules = plan.evaluate().unwrap();
    let policy = OptimizePolicy::new(Objective::MaxValueFixedBudget { measure: Measure::GrossProfit });
    let best = plan.optimize(&policy).unwrap();
    let eval = plan.evaluate_allocation(best.allocation()).unwrap();
    assert!(close_to(eval.total().spend, 60_000.0, 1e-9));
    assert!(eval.total().gross_profit > rules.total().gross_profit);
}

#[test]
fn policy_errors_name_the_problem() {
    let plan = twins(100.0);
    let policy = OptimizePolicy::new(Objective::MaxProfit)
        .with_cap(Selector::new(GroupBy::Part(PartKind::Channel), "tv"), Limit::Share(0.3));
    assert_eq!(
        plan.optimize(&policy).unwrap_err().to_string(),
        "group cap refers to channel \"tv\", which the plan does not have"
    );
    // A misspelt tag name or value selects nothing: an error, never a cap that silently vanishes.
    let typo = OptimizePolicy::new(Objective::MaxProfit)
        .with_floor(Selector::new(GroupBy::Tag("regoin".into()), "north"), Limit::Money(10.0));
    assert_eq!(
        plan.optimize(&typo).unwrap_err().to_string(),
        "budget policy group floor: no module has a tag `regoin`; check its spelling"
    );
    let typo = OptimizePolicy::new(Objective::MaxProfit).with_capacity(
        "sales",
        Some(Selector::new(GroupBy::Tag("region".into()), "nort")),
        Measure::Leads,
        5.0,
    );
    assert_eq!(
        plan.optimize(&typo).unwrap_err().to_string(),
        "budget policy capacity \"sales\": no module has tag region = \"nort\"; the modules' values of `region` are north, south"
    );
    let mut plan = twins(100.0);
    plan.set_budget_rule("a", BudgetRule::weight(1.0).with_min(80.0)).unwrap();
    plan.set_budget_rule("b", BudgetRule::weight(1.0).with_min(80.0)).unwrap();
    let err = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit)).unwrap_err();
    assert_eq!(err.to_string(), "module minima add up to 160, more than the budget 100 (short by 60)");
}

#[test]
fn plan_files_carry_the_policy() {
    let mut plan = twins(100.0);
    let policy = OptimizePolicy::new(Objective::MaxValueFixedBudget { measure: Measure::Leads })
        .with_budget_kind(BudgetKind::Exactly)
        .with_cap(Selector::new(GroupBy::Part(PartKind::Channel), "search"), Limit::Share(0.3))
        .with_floor(Selector::new(GroupBy::Tag("region".into()), "south"), Limit::Money(10.0))
        .with_capacity(
            "sales",
            Some(Selector::new(GroupBy::Tag("region".into()), "north")),
            Measure::Deals,
            40.0,
        );
    plan.set_budget_policy(BudgetPolicy::Optimize(Box::new(policy)));
    let json = plan.to_json();
    let again = Plan::from_json(&json).unwrap();
    assert_eq!(again.budget_policy(), plan.budget_policy());
    assert_eq!(again.to_json(), json);
    assert!(json.contains("\"type\": \"optimize\""), "{json}");
}

#[test]
fn plan_file_policy_errors() {
    let base = twins(100.0).to_json();
    let with = |policy: &str| {
        base.replacen("\"budget\": 100.0,", &format!("\"budget\": 100.0, \"budget_policy\": {policy},"), 1)
    };
    let err = Plan::from_json(&with(r#"{"type": "optimize", "objective": {"kind": "max_profit"}, "groups": [{"part": "channel", "tag": "region", "value": "x"}]}"#)).unwrap_err();
    assert_eq!(err.to_string(), "budget policy group 0: give either `part` or `tag`, not both");
    // A policy that does not fit the plan is the file's error, found at load, naming the rule.
    let err = Plan::from_json(&with(r#"{"type": "optimize", "objective": {"kind": "max_profit"}, "capacities": [{"name": "desk", "part": "channel", "value": "tv", "measure": "leads", "limit": 5}]}"#)).unwrap_err();
    assert_eq!(err.to_string(), "capacity \"desk\" refers to channel \"tv\", which the plan does not have");
    let err = Plan::from_json(&with(r#"{"type": "optimize", "objective": {"kind": "max_profit"}, "groups": [{"tag": "region", "value": "jiangsu", "cap": {"share": 0.5}}]}"#)).unwrap_err();
    assert!(
        err.to_string().starts_with("budget policy group cap: no module has tag region = \"jiangsu\""),
        "{err}"
    );
    let err = Plan::from_json(&with(r#"{"type": "optimise"}"#)).unwrap_err();
    assert!(err.to_string().starts_with("invalid plan file at line"), "{err}");
    assert!(err.to_string().contains("unknown variant `optimise`"), "{err}");
}
