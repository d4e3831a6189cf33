//! Known-answer tests of rule-based allocation: weights, fixed amounts, minima and maxima
//! (water-filling), weight-0 modules, redistribution on toggles, and the exact error messages.

use crate::common::close;
use offergraph::curves::Linear;
use offergraph::{
    Allocation, BudgetRule, Channel, ModuleSpec, Money, Offer, PartKind, Plan, Segment, ValueProposition,
};

#[track_caller]
fn assert_spend(alloc: &Allocation, expected: &[f64]) {
    let got = alloc.spend();
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for (g, e) in got.iter().zip(expected) {
        assert!(close(*g, *e), "spend {got:?}, expected {expected:?}");
    }
}

#[track_caller]
fn assert_conserved(alloc: &Allocation, budget: f64) {
    let total = alloc.total();
    assert!(
        (total - budget).abs() <= offergraph::tol::BUDGET_REL * budget.max(1.0),
        "total {total} vs budget {budget}"
    );
}

/// A plan whose modules `m1`, `m2`, … all use the same four parts (through two channels, so a
/// channel can be switched off) with the given rules. Modules at odd positions (m2, m4, …) use
/// channel `b`, the others channel `a`.
fn plan_with(budget: f64, rules: &[BudgetRule]) -> Plan {
    let mut plan = Plan::new("budget", Money::new(budget).unwrap());
    plan.add_part(Segment::new("s", 1000.0, 0.1).unwrap()).unwrap();
    plan.add_part(ValueProposition::new("v", 1.0, ["s"]).unwrap()).unwrap();
    plan.add_part(Offer::new("o", 100.0, 0.5, 1.0).unwrap()).unwrap();
    plan.add_part(Channel::new("a", Linear::new(10.0, None).unwrap().into(), 1000.0).unwrap()).unwrap();
    plan.add_part(Channel::new("b", Linear::new(10.0, None).unwrap().into(), 1000.0).unwrap()).unwrap();
    for (i, rule) in rules.iter().enumerate() {
        let channel = if i % 2 == 0 { "a" } else { "b" };
        plan.add_module(
            ModuleSpec::new("s", "v", "o", channel).with_key(format!("m{}", i + 1)).with_budget(*rule),
        )
        .unwrap();
    }
    plan
}

fn w(x: f64) -> BudgetRule {
    BudgetRule::weight(x)
}

#[test]
fn weights_split_the_budget_proportionally() {
    // 600 · (1, 2, 3) / 6 = 100, 200, 300
    let plan = plan_with(600.0, &[w(1.0), w(2.0), w(3.0)]);
    let alloc = plan.allocate().unwrap();
    assert_spend(&alloc, &[100.0, 200.0, 300.0]);
    assert_conserved(&alloc, 600.0);
    assert!(close(alloc.spend_of(&plan, "m3").unwrap(), 300.0));
    assert_eq!(
        alloc.spend_of(&plan, "m9").unwrap_err().to_string(),
        "call refers to module \"m9\", which the plan does not have"
    );
}

#[test]
fn default_rule_is_equal_weights() {
    let mut plan = plan_with(900.0, &[]);
    for k in ["x", "y", "z"] {
        plan.add_module(ModuleSpec::new("s", "v", "o", "a").with_key(k)).unwrap();
    }
    // 900 / 3
    assert_spend(&plan.allocate().unwrap(), &[300.0, 300.0, 300.0]);
}

#[test]
fn fixed_amounts_come_off_the_top_and_weights_share_the_rest() {
    // 1000 − 400 fixed = 600 for weights 1 : 2 → 200, 400
    let plan = plan_with(1000.0, &[BudgetRule::fixed(400.0), w(1.0), w(2.0)]);
    let alloc = plan.allocate().unwrap();
    assert_spend(&alloc, &[400.0, 200.0, 400.0]);
    assert_conserved(&alloc, 1000.0);
}

#[test]
fn two_maxima_bind_and_the_rest_is_redistributed() {
    // Budget 1000, weights 1, 1, 2, 4; m3 max 150, m4 max 300.
    // Unconstrained level λ = 1000/8 = 125 would give m3 = 250 > 150 and m4 = 500 > 300, so both bind.
    // The rest 1000 − 150 − 300 = 550 goes to m1 and m2 at weights 1 : 1 → λ = 275 each.
    // Check: clamp(275·2, 0, 150) = 150, clamp(275·4, 0, 300) = 300; 275 + 275 + 150 + 300 = 1000.
    let plan = plan_with(1000.0, &[w(1.0), w(1.0), w(2.0).with_max(150.0), w(4.0).with_max(300.0)]);
    let alloc = plan.allocate().unwrap();
    assert_spend(&alloc, &[275.0, 275.0, 150.0, 300.0]);
    assert_conserved(&alloc, 1000.0);
}

#[test]
fn a_maximum_that_binds_only_after_another_one_binds() {
    // Budget 1000, weights 1, 2, 3; m3 max 300, m2 max 400.
    // λ = 1000/6 ≈ 166.7: m3 = 500 > 300 binds; m2 = 333.3 ≤ 400 does not (yet).
    // With m3 at 300, 700 for weights 1 : 2 → λ = 233.3: m2 = 466.7 > 400 now binds too.
    // With m2 = 400 and m3 = 300, m1 takes the remaining 300 (λ = 300, m2: 600 → 400, m3: 900 → 300).
    let plan = plan_with(1000.0, &[w(1.0), w(2.0).with_max(400.0), w(3.0).with_max(300.0)]);
    let alloc = plan.allocate().unwrap();
    assert_spend(&alloc, &[300.0, 400.0, 300.0]);
}

#[test]
fn a_binding_minimum_takes_from_the_others() {
    // Budget 1000, weights 1 and 9, m1 min 300.
    // λ = 100 would give m1 = 100 < 300, so m1 = 300 and m2 takes 700 (λ = 700/9, m1: 77.8 → 300).
    let plan = plan_with(1000.0, &[w(1.0).with_min(300.0), w(9.0)]);
    let alloc = plan.allocate().unwrap();
    assert_spend(&alloc, &[300.0, 700.0]);
    assert_conserved(&alloc, 1000.0);
}

#[test]
fn minimum_and_maximum_binding_together() {
    // Budget 1200; m1 w1 min 500; m2 w1; m3 w2 max 200.
    // λ = 300: m1 300 < 500 (binds at 500), m3 600 > 200 (binds at 200) → m2 takes 1200 − 700 = 500.
    // Check with λ = 500: m1 = clamp(500, 500, ∞) = 500, m2 = 500, m3 = clamp(1000, 0, 200) = 200.
    let plan = plan_with(1200.0, &[w(1.0).with_min(500.0), w(1.0), w(2.0).with_max(200.0)]);
    assert_spend(&plan.allocate().unwrap(), &[500.0, 500.0, 200.0]);
}

#[test]
fn non_binding_bounds_change_nothing() {
    // 600 · (1, 2, 3)/6 = 100, 200, 300, all inside [50, 150], [0, 250], [300, 300].
    let plan = plan_with(
        600.0,
        &[
            w(1.0).with_min(50.0).with_max(150.0),
            w(2.0).with_max(250.0),
            w(3.0).with_min(300.0).with_max(300.0),
        ],
    );
    assert_spend(&plan.allocate().unwrap(), &[100.0, 200.0, 300.0]);
}

#[test]
fn weight_zero_modules_get_their_minimum() {
    // Budget 1050: m1 weight 0 min 50 gets exactly 50; m2, m3 (weight 1 each) share 1000 → 500, 500.
    let plan = plan_with(1050.0, &[w(0.0).with_min(50.0), w(1.0), w(1.0)]);
    let alloc = plan.allocate().unwrap();
    assert_spend(&alloc, &[50.0, 500.0, 500.0]);
    assert_conserved(&alloc, 1050.0);
    // Without a minimum a weight-0 module gets nothing.
    let plan = plan_with(1000.0, &[w(0.0), w(1.0), w(3.0)]);
    assert_spend(&plan.allocate().unwrap(), &[0.0, 250.0, 750.0]);
}

#[test]
fn weight_zero_module_alone_cannot_absorb_above_its_minimum() {
    // Only weight-0 modules: they can absorb exactly their minima (50 + 0), not 1000.
    let plan = plan_with(1000.0, &[w(0.0).with_min(50.0), w(0.0)]);
    assert_eq!(
        plan.allocate().unwrap_err().to_string(),
        "active weighted modules can absorb at most 50 within their maxima, but 1000 must be spent (short by 950); \
         raise maxima, switch modules on or lower the budget"
    );
}

#[test]
fn switching_a_module_off_redistributes_its_share() {
    let mut plan = plan_with(600.0, &[w(1.0), w(2.0), w(3.0)]);
    plan.set_module_enabled("m3", false).unwrap();
    // 600 · (1, 2)/3 = 200, 400; m3 gets nothing.
    let alloc = plan.allocate().unwrap();
    assert_spend(&alloc, &[200.0, 400.0, 0.0]);
    assert_conserved(&alloc, 600.0);
    plan.set_module_enabled("m3", true).unwrap();
    assert_spend(&plan.allocate().unwrap(), &[100.0, 200.0, 300.0]);
}

#[test]
fn switching_a_part_off_redistributes_to_the_modules_left() {
    // m1, m3, m5 use channel a; m2, m4 use b. Weights 1..5, budget 1500.
    let mut plan = plan_with(1500.0, &[w(1.0), w(2.0), w(3.0), w(4.0), w(5.0)]);
    // All on: λ = 1500/15 = 100.
    assert_spend(&plan.allocate().unwrap(), &[100.0, 200.0, 300.0, 400.0, 500.0]);
    plan.set_part_enabled(PartKind::Channel, "b", false).unwrap();
    // Only 1, 3, 5 left: λ = 1500/9 → 166.67, 500, 833.33.
    let alloc = plan.allocate().unwrap();
    assert_spend(&alloc, &[1500.0 / 9.0, 0.0, 500.0, 0.0, 7500.0 / 9.0]);
    assert_conserved(&alloc, 1500.0);
}

#[test]
fn a_fixed_module_switched_off_releases_its_amount() {
    // 1000: fixed 400 + weights 1 : 1 on 600 → 300, 300; with the fixed one off, 500 each.
    let mut plan = plan_with(1000.0, &[BudgetRule::fixed(400.0), w(1.0), w(1.0)]);
    assert_spend(&plan.allocate().unwrap(), &[400.0, 300.0, 300.0]);
    plan.set_module_enabled("m1", false).unwrap();
    assert_spend(&plan.allocate().unwrap(), &[0.0, 500.0, 500.0]);
}

#[test]
fn redistribution_conserves_awkward_budgets_to_1e9_relative() {
    // Weights that do not divide the budget evenly, with bounds, across several toggles.
    let rules =
        [w(0.3), w(1.7).with_max(20_000.0), w(2.9).with_min(1_234.5), w(0.1), w(7.0).with_max(31_415.9)];
    let budget = 99_999.99;
    let mut plan = plan_with(budget, &rules);
    assert_conserved(&plan.allocate().unwrap(), budget);
    for (key, on) in [("m1", false), ("m4", false), ("m1", true), ("m3", false), ("m4", true)] {
        plan.set_module_enabled(key, on).unwrap();
        let alloc = plan.allocate().unwrap();
        assert_conserved(&alloc, budget);
        for (m, s) in plan.modules().zip(alloc.spend()) {
            let r = m.budget_rule();
            if m.is_active() {
                assert!(*s >= r.min() && *s <= r.max().unwrap_or(f64::INFINITY), "{} = {s}", m.key());
            } else {
                assert!(*s == 0.0, "{} is off but spends {s}", m.key());
            }
        }
    }
}

#[test]
fn sample_plan_allocation_known_answer() {
    // Weights 3, 2, 2, 1, 2, 2 (sum 12) on 60 000 → λ = 5000.
    let plan = offergraph::sample::apartments().unwrap();
    let alloc = plan.allocate().unwrap();
    assert_spend(&alloc, &[15_000.0, 10_000.0, 10_000.0, 5_000.0, 10_000.0, 10_000.0]);
}

// ---- errors, with exact messages

#[test]
fn fixed_amounts_above_the_budget() {
    let plan = plan_with(1000.0, &[BudgetRule::fixed(700.0), BudgetRule::fixed(500.0), w(1.0)]);
    assert_eq!(
        plan.allocate().unwrap_err().to_string(),
        "fixed amounts of active modules add up to 1200, more than the budget 1000 (over by 200); \
         lower them or raise the budget"
    );
    // Switching one of them off resolves it: 700 fixed, 300 to m3.
    let mut plan = plan;
    plan.set_module_enabled("m2", false).unwrap();
    assert_spend(&plan.allocate().unwrap(), &[700.0, 0.0, 300.0]);
}

#[test]
fn minima_above_what_fixed_amounts_leave() {
    // 1000 − 400 = 600 left, minima 400 + 300 = 700.
    let plan = plan_with(1000.0, &[BudgetRule::fixed(400.0), w(1.0).with_min(400.0), w(1.0).with_min(300.0)]);
    assert_eq!(
        plan.allocate().unwrap_err().to_string(),
        "minimum spends of active weighted modules add up to 700, more than the 600 left after fixed amounts \
         (over by 100); lower the minima or raise the budget"
    );
}

#[test]
fn maxima_cannot_absorb_the_budget() {
    let plan = plan_with(1000.0, &[w(1.0).with_max(200.0), w(1.0).with_max(300.0)]);
    assert_eq!(
        plan.allocate().unwrap_err().to_string(),
        "active weighted modules can absorb at most 500 within their maxima, but 1000 must be spent \
         (short by 500); raise maxima, switch modules on or lower the budget"
    );
}

#[test]
fn no_active_module_cannot_absorb_a_positive_budget() {
    let mut plan = plan_with(1000.0, &[w(1.0), w(1.0)]);
    plan.set_part_enabled(PartKind::Segment, "s", false).unwrap();
    assert_eq!(
        plan.allocate().unwrap_err().to_string(),
        "active weighted modules can absorb at most 0 within their maxima, but 1000 must be spent \
         (short by 1000); raise maxima, switch modules on or lower the budget"
    );
    // A zero budget needs nobody.
    plan.set_budget(Money::ZERO);
    assert_spend(&plan.allocate().unwrap(), &[0.0, 0.0]);
}

#[test]
fn only_fixed_modules_must_add_up_to_the_budget() {
    // Fixed 300 + 300 = 600 < 1000 and no weighted module to take the rest of 400.
    let plan = plan_with(1000.0, &[BudgetRule::fixed(300.0), BudgetRule::fixed(300.0)]);
    assert_eq!(
        plan.allocate().unwrap_err().to_string(),
        "active weighted modules can absorb at most 0 within their maxima, but 400 must be spent \
         (short by 400); raise maxima, switch modules on or lower the budget"
    );
    // Exactly the budget is fine.
    let plan = plan_with(600.0, &[BudgetRule::fixed(300.0), BudgetRule::fixed(300.0)]);
    assert_spend(&plan.allocate().unwrap(), &[300.0, 300.0]);
}

#[test]
fn explicit_allocations_are_checked() {
    let plan = plan_with(600.0, &[w(1.0), w(2.0)]);
    assert_eq!(
        Allocation::from_spend(&plan, vec![1.0]).unwrap_err().to_string(),
        "allocation has 1 entries, the plan has 2 modules"
    );
    assert_eq!(
        Allocation::from_spend(&plan, vec![1.0, -2.0]).unwrap_err().to_string(),
        "spend for module \"m2\" must be 0 or a number in [1e-6, 1e15], found -2"
    );
    assert_eq!(
        Allocation::from_spend(&plan, vec![f64::NAN, 1.0]).unwrap_err().to_string(),
        "spend for module \"m1\" must be 0 or a number in [1e-6, 1e15], found NaN"
    );
    // A valid explicit allocation is evaluated as given: linear CPL 10 at scale 1 → 10 and 50 leads.
    let alloc = Allocation::from_spend(&plan, vec![100.0, 500.0]).unwrap();
    let eval = plan.evaluate_allocation(&alloc).unwrap();
    assert!(close(eval.modules()[0].figures.leads, 10.0));
    assert!(close(eval.total().leads, 60.0));
    // A stale allocation (the plan lost a module) is refused.
    let mut smaller = plan.clone();
    smaller.remove_module("m2").unwrap();
    assert_eq!(
        smaller.evaluate_allocation(&alloc).unwrap_err().to_string(),
        "the allocation was made for another set of modules than the plan has now; make it again after changing the plan"
    );
}

#[test]
fn explicit_spend_on_an_inactive_module_counts_as_zero() {
    let mut plan = plan_with(600.0, &[w(1.0), w(2.0)]);
    plan.set_module_enabled("m2", false).unwrap();
    let alloc = Allocation::from_spend(&plan, vec![100.0, 500.0]).unwrap();
    let eval = plan.evaluate_allocation(&alloc).unwrap();
    assert!(close(eval.total().spend, 100.0));
    assert!(close(eval.modules()[1].figures.leads, 0.0));
}
