//! Properties over random plans (from `offergraph::testing`) and random toggle sequences.

use offergraph::curves::Linear;
use offergraph::error::BudgetError;
use offergraph::testing::{Op, check_allocation, check_evaluation, plans, plans_with_ops};
use offergraph::tol::{self, approx_eq};
use offergraph::{
    BudgetRule, Channel, Evaluation, GroupBy, ModuleSpec, Money, Offer, PartKind, Plan, Segment, Share,
    ValueProposition,
};
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Active modules with a weight rule (every generated weight is > 0).
fn active_weighted(plan: &Plan) -> usize {
    plan.modules().filter(|m| m.is_active() && matches!(m.budget_rule().share(), Share::Weight(_))).count()
}

/// Every figure of an evaluation as raw bits.
fn bits(eval: &Evaluation) -> Vec<u64> {
    let mut out = Vec::new();
    for m in eval.modules() {
        let f = m.figures;
        out.push(u64::from(m.active));
        for x in [
            f.spend,
            f.leads,
            f.deals,
            f.revenue,
            f.gross_profit,
            m.marginal_leads().unwrap_or(f64::INFINITY),
            m.value_per_lead,
        ] {
            out.push(x.to_bits());
        }
    }
    let t = eval.total();
    for x in [t.spend, t.leads, t.deals, t.revenue, t.gross_profit] {
        out.push(x.to_bits());
    }
    out
}

/// `plan` after every edit, in order (the edits name its own keys, so each applies).
fn edited(mut plan: Plan, edits: &[Op]) -> Plan {
    for op in edits {
        op.apply(&mut plan).expect("an op of this plan");
    }
    plan
}

fn group_bys() -> Vec<GroupBy> {
    let mut all: Vec<GroupBy> = PartKind::ALL.iter().map(|k| GroupBy::Part(*k)).collect();
    all.push(GroupBy::Tag("region".into()));
    all.push(GroupBy::Tag("no-such-tag".into()));
    all
}

proptest! {
    #![proptest_config(config(128))]

    /// After every toggle of any sequence, the allocation spends the budget (to 1e-9 relative),
    /// respects every rule and gives nothing to inactive modules; and it fails only when no active
    /// weighted module is left to take the money (the generated maxima are all ≥ the budget).
    #[test]
    fn toggles_conserve_the_budget((plan, edits) in plans_with_ops(8, 8)) {
        let mut plan = plan;
        let budget = plan.budget().get();
        for op in &edits {
            op.apply(&mut plan)?;
            match plan.allocate() {
                Ok(alloc) => {
                    prop_assert_eq!(check_allocation(&plan, &alloc), Ok(()));
                    prop_assert!((alloc.total() - budget).abs() <= tol::BUDGET_REL * budget, "{} vs {}", alloc.total(), budget);
                    for (m, s) in plan.modules().zip(alloc.spend()) {
                        if !m.is_active() {
                            prop_assert!(*s == 0.0, "{} is off and spends {}", m.key(), s);
                        }
                    }
                }
                Err(e) => {
                    prop_assert_eq!(active_weighted(&plan), 0, "{}", e);
                    let is_cannot_absorb = matches!(e, BudgetError::CannotAbsorb { .. });
                    prop_assert!(is_cannot_absorb, "{}", e);
                }
            }
        }
    }

    /// Switching modules or parts off never makes the plan spend more than its budget, and
    /// switching everything back on returns the original figures bit for bit.
    #[test]
    fn switching_off_never_overspends((plan, edits) in plans_with_ops(8, 8)) {
        let original = plan.evaluate().ok().map(|e| bits(&e));
        let mut plan = plan;
        let budget = plan.budget().get();
        for op in &edits {
            op.clone().with_on(false).apply(&mut plan)?;
            if let Ok(eval) = plan.evaluate() {
                prop_assert!(eval.total().spend <= budget * (1.0 + tol::BUDGET_REL), "{} > {}", eval.total().spend, budget);
                for m in eval.modules().iter().filter(|m| !m.active) {
                    prop_assert!(m.figures.spend == 0.0 && m.figures.gross_profit == 0.0);
                }
            }
        }
        for op in &edits {
            op.clone().with_on(true).apply(&mut plan)?;
        }
        // Modules generated switched off stay off unless an op switched them on, so compare only
        // when no module op was involved.
        if edits.iter().all(|op| matches!(op, Op::Part { .. })) {
            prop_assert_eq!(plan.evaluate().ok().map(|e| bits(&e)), original);
        }
    }

    /// For every GroupBy, the groups add up to the total, every module is in exactly one group,
    /// and group ratios are ratios of sums.
    #[test]
    fn rollups_add_up_to_totals((plan, edits) in plans_with_ops(8, 4)) {
        let plan = edited(plan, &edits);
        if let Ok(eval) = plan.evaluate() {
            let t = *eval.total();
            for by in group_bys() {
                let groups = eval.rollup(&plan, &by).unwrap();
                prop_assert!(!groups.is_empty());
                let mut sum = offergraph::Figures::default();
                for g in groups.values() {
                    sum += *g;
                    if let Some(r) = g.romi() {
                        prop_assert!(approx_eq(r, (g.gross_profit - g.spend) / g.spend, 1e-12));
                    }
                }
                for (a, b) in [(sum.spend, t.spend), (sum.leads, t.leads), (sum.deals, t.deals),
                               (sum.revenue, t.revenue), (sum.gross_profit, t.gross_profit)] {
                    prop_assert!(approx_eq(a, b, 1e-9), "{:?}: {} vs {}", by, a, b);
                }
            }
        }
    }

    /// Save → load gives back an identical plan: same JSON, ids, order, switches, rules,
    /// overrides and bit-identical figures.
    #[test]
    fn save_load_identity((plan, edits) in plans_with_ops(8, 6)) {
        let plan = edited(plan, &edits);
        let json = plan.to_json();
        let back = Plan::from_json(&json).unwrap();
        prop_assert_eq!(back.to_json(), json);
        let snap = |p: &Plan| p.modules().map(|m| (m.id(), m.key().to_owned(), m.is_switched_on(), m.is_active(), *m.budget_rule(), m.overrides().clone(), m.economics().clone())).collect::<Vec<_>>();
        prop_assert_eq!(snap(&back), snap(&plan));
        for kind in PartKind::ALL {
            for key in ["s0", "s1", "s2", "v0", "v1", "o0", "o1", "c0", "c1", "c2"] {
                if let Ok(on) = plan.is_part_enabled(kind, key) {
                    prop_assert_eq!(back.is_part_enabled(kind, key).unwrap(), on);
                }
            }
        }
        match (plan.evaluate(), back.evaluate()) {
            (Ok(a), Ok(b)) => prop_assert_eq!(bits(&a), bits(&b)),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.map(|_| ()), b.map(|_| ())),
        }
    }

    /// The same input gives the same figures bit for bit: twice on one plan, on a clone, and on
    /// a plan rebuilt from the same JSON.
    #[test]
    fn evaluation_is_deterministic(plan in plans(8)) {
        if let Ok(a) = plan.evaluate() {
            let b = plan.evaluate().unwrap();
            prop_assert_eq!(bits(&a), bits(&b));
            prop_assert_eq!(bits(&plan.clone().evaluate().unwrap()), bits(&a));
            let rebuilt = Plan::from_json(&plan.to_json()).unwrap();
            prop_assert_eq!(bits(&rebuilt.evaluate().unwrap()), bits(&a));
        }
    }

    /// Per module: gross profit = leads·c·p·m = leads·v, deals = leads·c, revenue = deals·p, and the
    /// library's own checker agrees.
    #[test]
    fn gross_profit_is_leads_times_value_per_lead((plan, edits) in plans_with_ops(8, 4)) {
        let plan = edited(plan, &edits);
        if let Ok(eval) = plan.evaluate() {
            prop_assert_eq!(check_evaluation(&plan, &eval), Ok(()));
            for (m, f) in plan.modules().zip(eval.modules()) {
                let e = m.economics();
                let x = f.figures;
                prop_assert!(approx_eq(x.gross_profit, x.leads * e.conversion * e.deal_value * e.margin, 1e-12),
                    "{}: {} vs {}", m.key(), x.gross_profit, x.leads * e.value_per_lead());
                prop_assert!(approx_eq(x.deals, x.leads * e.conversion, 1e-12));
                prop_assert!(approx_eq(x.revenue, x.deals * e.deal_value, 1e-12));
                prop_assert!(approx_eq(f.value_per_lead, e.conversion * e.deal_value * e.margin, 1e-12));
                if let Some(r) = x.romi() {
                    prop_assert!(approx_eq(r, (x.gross_profit - x.spend) / x.spend, 1e-12));
                }
                match (f.marginal_romi(), f.marginal_leads()) {
                    (Some(r), Some(slope)) => prop_assert!(approx_eq(r, f.value_per_lead * slope - 1.0, 1e-12)),
                    (None, None) => {}
                    other => prop_assert!(false, "marginal ROMI and slope disagree: {other:?}"),
                }
            }
        }
    }
}

// ---- water-filling against its definition, on plans built here

/// (weight, min share, max share or None) per module; shares are of `budget / n`.
type Draw = (f64, f64, Option<f64>);

fn draws() -> impl Strategy<Value = (f64, Vec<Draw>)> {
    (
        100.0..1e6f64,
        proptest::collection::vec((0.01..10.0f64, 0.0..0.9f64, proptest::option::of(0.0..3.0f64)), 1..10),
    )
}

/// A plan whose modules share one set of parts, with the drawn rules. The last module is always
/// unbounded so the budget can be absorbed; minima add up to at most 0.9 of the budget.
fn waterfill_plan(budget: f64, draws: &[Draw]) -> Plan {
    let n = draws.len() as f64;
    let unit = budget / n;
    let mut plan = Plan::new("wf", Money::new(budget).unwrap());
    plan.add_part(Segment::new("s", 1000.0, 0.1).unwrap()).unwrap();
    plan.add_part(ValueProposition::new("v", 1.0, ["s"]).unwrap()).unwrap();
    plan.add_part(Offer::new("o", 100.0, 0.5, 1.0).unwrap()).unwrap();
    plan.add_part(Channel::new("c", Linear::new(10.0, None).unwrap().into(), 1000.0).unwrap()).unwrap();
    for (i, &(w, lo, hi)) in draws.iter().enumerate() {
        let min = lo * unit;
        let mut rule = BudgetRule::weight(w).with_min(min);
        if let Some(h) = hi
            && i + 1 < draws.len()
        {
            rule = rule.with_max(min + h * unit);
        }
        plan.add_module(ModuleSpec::new("s", "v", "o", "c").with_key(format!("m{i}")).with_budget(rule))
            .unwrap();
    }
    plan
}

proptest! {
    #![proptest_config(config(256))]

    /// `sᵢ = clamp(λ·wᵢ, minᵢ, maxᵢ)` for one common level λ: modules strictly inside their bounds
    /// share one ratio `sᵢ/wᵢ = λ`; modules at their maximum would want more (`maxᵢ ≤ λ·wᵢ`);
    /// modules at their minimum would want less (`minᵢ ≥ λ·wᵢ`). And the budget is spent.
    #[test]
    fn water_filling_matches_its_definition((budget, draws) in draws()) {
        let plan = waterfill_plan(budget, &draws);
        let alloc = plan.allocate().unwrap();
        prop_assert_eq!(check_allocation(&plan, &alloc), Ok(()));
        prop_assert!((alloc.total() - budget).abs() <= tol::BUDGET_REL * budget);
        let rules: Vec<BudgetRule> = plan.modules().map(|m| *m.budget_rule()).collect();
        let w = |r: &BudgetRule| match r.share() { Share::Weight(w) => w, _ => unreachable!() };
        let eps = 1e-9 * budget;
        // The last module is unbounded above; if it is above its minimum it sets λ.
        let interior: Vec<f64> = rules.iter().zip(alloc.spend())
            .filter(|(r, s)| **s > r.min() + eps && r.max().is_none_or(|m| **s < m - eps))
            .map(|(r, s)| s / w(r))
            .collect();
        if let Some(&level) = interior.first() {
            for l in &interior {
                prop_assert!(approx_eq(*l, level, 1e-7), "levels {:?}", interior);
            }
            for (r, s) in rules.iter().zip(alloc.spend()) {
                let want = level * w(r);
                let at_max = r.max().is_some_and(|m| (*s - m).abs() <= eps);
                let at_min = (*s - r.min()).abs() <= eps;
                if at_max && at_min {
                    continue; // min = max: pinned whatever the level
                }
                if at_max {
                    prop_assert!(want >= *s - eps * 10.0, "at max {} but λ·w = {}", s, want);
                }
                if at_min && *s > 0.0 {
                    prop_assert!(want <= *s + eps * 10.0, "at min {} but λ·w = {}", s, want);
                }
            }
        }
    }
}
