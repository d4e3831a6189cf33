//! Risk-aware allocation (`Uncertainty::optimize`): known answers worked by hand, the mean as the
//! max-profit optimum, α = 1 as the mean, constraints, certificates, properties against random
//! feasible allocations, determinism on any number of threads, and the errors.

use offergraph::curves::Exponential;
use offergraph::optimize::{BudgetKind, Limit, Measure, Objective};
use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, RiskObjective, RiskOptimum, Uncertainty};
use offergraph::{
    Allocation, BudgetPolicy, Channel, GroupBy, ModuleSpec, Money, Offer, OptimizePolicy, PartKind, Plan,
    Segment, Selector, ValueProposition,
};
use proptest::prelude::*;

use crate::common::{TestResult, assert_close_to, channel_lead_scale, close_to, ln};

/// The CVaR at `alpha` of `profits`, by the definition: the worst `⌊αD⌋` draws in full, the
/// next one for the remainder, over `αD`.
fn cvar_of(profits: &[f64], alpha: f64) -> f64 {
    let mut q = profits.to_vec();
    q.sort_by(f64::total_cmp);
    let share = alpha * q.len() as f64;
    let m = (share.floor() as usize).min(q.len());
    let head: f64 = q[..m].iter().sum();
    let rest = if m < q.len() { (share - m as f64) * q[m] } else { 0.0 };
    (head + rest) / share
}

/// Total profit of `alloc` in every draw of `u` under `mc`.
fn profits(u: &Uncertainty, plan: &Plan, alloc: &Allocation, mc: MonteCarlo) -> Vec<f64> {
    let sim = u.simulate_allocation(plan, alloc, mc).expect("runs");
    sim.total_draws().iter().map(|f| f.profit()).collect()
}

/// One module on an exponential curve `r(s) = 100·(1 − e^(−s/50))`, value per lead
/// `0.5 · 4 · 0.5 = 1`, budget 1 000.
fn one_module() -> Result<Plan, Box<dyn std::error::Error>> {
    let mut plan = Plan::new("kat", Money::new(1_000.0)?);
    plan.add_part(Segment::new("s", 1_000.0, 0.5)?)?;
    plan.add_part(ValueProposition::new("v", 1.0, ["s"])?)?;
    plan.add_part(Offer::new("o", 4.0, 0.5, 1.0)?)?;
    plan.add_part(Channel::new("c", Exponential::new(100.0, 50.0)?.into(), 1_000.0)?)?;
    plan.add_module(ModuleSpec::new("s", "v", "o", "c"))?;
    Ok(plan)
}

/// The apartments plan with channel-wide and module-level surprises.
fn apartments_risk() -> Uncertainty {
    Uncertainty::new()
        .with_part(PartKind::Channel, "social", Entry::new().with_lead_scale(ln(1.0, 0.5)))
        .with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(ln(1.0, 0.2)))
        .with_part(
            PartKind::Segment,
            "investors",
            Entry::new().with_conversion(Distribution::beta(8.0, 92.0).expect("valid")),
        )
        .with_module("investors/yield/1-room/outdoor", Entry::new().with_lead_scale(ln(0.9, 0.8)))
}

/// The apartments plan, its risks ([`apartments_risk`]) and `draws` draws of seed `seed`.
fn apartments_case(
    draws: usize,
    seed: u64,
) -> Result<(Plan, Uncertainty, MonteCarlo), Box<dyn std::error::Error>> {
    let plan = offergraph::sample::apartments()?;
    Ok((plan, apartments_risk(), MonteCarlo::new().with_draws(draws).with_seed(seed)))
}

/// The apartments plan under `policy` and its CVaR(0.1) optimum over `draws` draws of its risks.
fn cvar_optimum_under(
    policy: OptimizePolicy,
    draws: usize,
) -> Result<(Plan, RiskOptimum), Box<dyn std::error::Error>> {
    let mut plan = offergraph::sample::apartments()?;
    plan.set_budget_policy(BudgetPolicy::Optimize(Box::new(policy)));
    let best =
        apartments_risk().optimize(&plan, MonteCarlo::new().with_draws(draws), RiskObjective::cvar(0.1)?)?;
    Ok((plan, best))
}

fn channel(name: &str) -> Selector {
    Selector::new(GroupBy::Part(PartKind::Channel), name)
}

#[test]
fn one_module_cvar_is_found_by_hand() -> TestResult {
    // Profit in draw d is w_d·r(s) − s with r ≥ 0: the order of the draws does not depend on s,
    // so CVaR_α(s) = C·r(s) − s with C = CVaR_α(w), maximal where C·r'(s) = 1:
    // 2·C·e^(−s/50) = 1, s = 50·ln(2C) (when that lies in [0, 1000]).
    let plan = one_module()?;
    let u = channel_lead_scale("c", 1.0, 0.4);
    let (alpha, mc) = (0.2, MonteCarlo::new().with_draws(3).with_seed(11));
    let sim = u.simulate(&plan, mc)?;
    let planned = plan.evaluate()?.total().leads;
    let w: Vec<f64> = sim.total_draws().iter().map(|f| f.gross_profit / planned).collect();
    let c = cvar_of(&w, alpha); // αD = 0.6: the worst draw alone
    let s = 50.0 * (2.0 * c).ln();
    assert!(s > 0.0 && s < 1_000.0);
    let best = u.optimize(&plan, mc, RiskObjective::cvar(alpha)?)?;
    assert!(best.status.is_optimal());
    assert_close_to(best.spend["s/v/o/c"], s, 1e-6);
    let want = c * 100.0 * (1.0 - (-s / 50.0f64).exp()) - s;
    assert_close_to(best.cvar, want, 1e-9);
    // The mean objective is the same with the mean weight.
    let mean_w = w.iter().sum::<f64>() / 3.0;
    let mean = u.optimize(&plan, mc, RiskObjective::Mean)?;
    assert!(close_to(mean.spend["s/v/o/c"], 50.0 * (2.0 * mean_w).ln(), 1e-6));
    Ok(())
}

#[test]
fn without_uncertainty_the_risk_optimum_is_the_max_profit_optimum() -> TestResult {
    let plan = offergraph::sample::apartments()?;
    let best = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit))?;
    let mc = MonteCarlo::new().with_draws(7);
    for objective in [RiskObjective::Mean, RiskObjective::cvar(0.1)?] {
        let risk = Uncertainty::new().optimize(&plan, mc, objective)?;
        assert!(risk.status.is_optimal());
        assert_close_to(risk.cvar, best.solution().objective, 1e-9);
        assert!(close_to(risk.mean, risk.cvar, 1e-12));
        for (got, want) in risk.spend.values().zip(best.allocation().spend()) {
            assert_close_to(*got, *want, 1e-6);
        }
    }
    Ok(())
}

#[test]
fn the_mean_objective_is_the_max_profit_optimum_at_mean_weights() -> TestResult {
    // Only one channel's lead scale is uncertain, and each module's weight is linear in it: the
    // mean objective is the max-profit problem with that channel's curves scaled by the mean
    // scale, which a plan with the channel's curve scaled says directly.
    let plan = offergraph::sample::apartments()?;
    let u = channel_lead_scale("social", 1.0, 0.5);
    let mc = MonteCarlo::new().with_draws(500).with_seed(3);
    let sim = u.simulate(&plan, mc)?;
    let key = "families/mortgage/2-room/social";
    let planned = plan.evaluate()?.module(&plan, key)?.figures.leads;
    let scale = sim.module_draws(&plan, key)?.iter().map(|f| f.leads / planned).sum::<f64>() / 500.0;
    let mut scaled = plan.clone();
    let curve = scaled.part::<Channel>("social")?.curve().scaled_by(scale)?;
    scaled.edit_part::<Channel, _>("social", |c| {
        c.set_curve(curve);
        Ok(())
    })?;
    let want = scaled.optimize(&OptimizePolicy::new(Objective::MaxProfit))?;
    let got = u.optimize(&plan, mc, RiskObjective::Mean)?;
    assert!(got.status.is_optimal());
    assert_close_to(got.mean, want.solution().objective, 1e-8);
    Ok(())
}

#[test]
fn alpha_one_is_the_mean() -> TestResult {
    let (plan, u, mc) = apartments_case(1_000, 5)?;
    let one = u.optimize(&plan, mc, RiskObjective::cvar(1.0)?)?;
    let mean = u.optimize(&plan, mc, RiskObjective::Mean)?;
    assert_eq!(one.cvar.to_bits(), mean.cvar.to_bits());
    assert_eq!(one.spend, mean.spend);
    assert!(close_to(one.cvar, one.mean, 1e-12));
    Ok(())
}

#[test]
fn the_reported_cvar_is_the_cvar_of_the_draws_and_beats_the_plans_own_allocation() -> TestResult {
    let (plan, u, mc) = apartments_case(2_000, 9)?;
    for alpha in [0.01, 0.05, 0.25] {
        let best = u.optimize(&plan, mc, RiskObjective::cvar(alpha)?)?;
        assert!(best.status.is_optimal(), "{:?}", best.status);
        assert!(best.relative_gap() <= 1e-6, "{}", best.relative_gap());
        let p = profits(&u, &plan, best.allocation(), mc);
        assert!(close_to(cvar_of(&p, alpha), best.cvar, 1e-9));
        assert!(close_to(p.iter().sum::<f64>() / p.len() as f64, best.mean, 1e-9));
        let own = cvar_of(&profits(&u, &plan, &plan.allocate()?, mc), alpha);
        assert!(best.cvar >= own, "{} < {own}", best.cvar);
    }
    Ok(())
}

#[test]
fn every_constraint_of_the_policy_holds() -> TestResult {
    let policy = OptimizePolicy::new(Objective::MaxProfit)
        .with_budget_kind(BudgetKind::Exactly)
        .with_cap(channel("social"), Limit::Share(0.2))
        .with_floor(channel("outdoor"), Limit::Money(5_000.0));
    let (_, best) = cvar_optimum_under(policy, 1_000)?;
    assert!(best.status.is_optimal());
    let total: f64 = best.spend.values().sum();
    assert!(close_to(total, 60_000.0, 1e-9), "{total}");
    let in_channel = |c: &str| -> f64 {
        best.spend.iter().filter(|(k, _)| k.ends_with(&format!("/{c}"))).map(|(_, s)| s).sum()
    };
    assert!(in_channel("social") <= 0.2 * 60_000.0 * (1.0 + 1e-9));
    assert!(in_channel("outdoor") >= 5_000.0 * (1.0 - 1e-9));
    Ok(())
}

#[test]
fn a_capacity_is_met_and_the_gap_is_certified() -> TestResult {
    let policy = OptimizePolicy::new(Objective::MaxProfit).with_capacity("desk", None, Measure::Leads, 150.0);
    let (plan, best) = cvar_optimum_under(policy, 500)?;
    let leads = plan.evaluate_allocation(best.allocation())?.total().leads;
    assert!(leads <= 150.0 * (1.0 + 1e-9), "{leads}");
    assert!(best.upper_bound >= best.cvar);
    // Optimal only with a gap within the tolerance; otherwise the status says why it stopped.
    if best.status.is_optimal() {
        assert!(best.relative_gap() <= 1e-6, "{}", best.relative_gap());
    }
    Ok(())
}

#[test]
fn errors_name_the_field_and_the_value() -> TestResult {
    let plan = offergraph::sample::apartments()?;
    let mc = MonteCarlo::new().with_draws(10);
    for alpha in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY] {
        let err = Uncertainty::new().optimize(&plan, mc, RiskObjective::Cvar { alpha }).unwrap_err();
        assert!(err.to_string().starts_with("CVaR alpha must be a number in (0, 1], found "), "{err}");
    }
    assert_eq!(
        RiskObjective::cvar(2.0).unwrap_err().to_string(),
        "CVaR alpha must be a number in (0, 1], found 2"
    );
    let err = Uncertainty::new().optimize(&plan, mc.with_draws(0), RiskObjective::Mean).unwrap_err();
    assert!(err.to_string().starts_with("draws must be"), "{err}");
    let mut gp = plan.clone();
    let policy =
        OptimizePolicy::new(Objective::MaxProfit).with_capacity("margin", None, Measure::GrossProfit, 1e5);
    gp.set_budget_policy(BudgetPolicy::Optimize(Box::new(policy)));
    assert_eq!(
        Uncertainty::new().optimize(&gp, mc, RiskObjective::Mean).unwrap_err().to_string(),
        "capacity \"margin\" must count leads or deals, found gross profit"
    );
    Ok(())
}

#[test]
fn a_plan_without_modules_spends_nothing() -> TestResult {
    let plan = Plan::new("empty", Money::new(1_000.0)?);
    let best =
        Uncertainty::new().optimize(&plan, MonteCarlo::new().with_draws(5), RiskObjective::cvar(0.5)?)?;
    assert!(best.spend.is_empty() && best.status.is_optimal());
    assert_eq!((best.cvar, best.mean), (0.0, 0.0));
    Ok(())
}

fn on_threads(threads: usize, u: &Uncertainty, plan: &Plan, mc: MonteCarlo) -> RiskOptimum {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool");
    pool.install(|| u.optimize(plan, mc, RiskObjective::cvar(0.05).expect("valid"))).expect("solves")
}

#[test]
fn one_and_two_threads_give_the_same_bits() {
    let plan = offergraph::sample::synthetic(40).expect("synthetic");
    let u = Uncertainty::new()
        .with_part(PartKind::Channel, "social", Entry::new().with_lead_scale(ln(1.0, 0.4)))
        .with_part(PartKind::Offer, "offer-3", Entry::new().with_deal_value(ln(3_500.0, 0.3)));
    let u = plan.modules().fold(u, |u, m| u.with_module(m.key(), Entry::new().with_lead_scale(ln(1.0, 0.2))));
    let mc = MonteCarlo::new().with_draws(1_500).with_seed(2);
    let (one, two) = (on_threads(1, &u, &plan, mc), on_threads(2, &u, &plan, mc));
    assert_eq!(one.cvar.to_bits(), two.cvar.to_bits());
    assert_eq!(one.upper_bound.to_bits(), two.upper_bound.to_bits());
    assert_eq!(one.iterations, two.iterations);
    for (a, b) in one.spend.values().zip(two.spend.values()) {
        assert_eq!(a.to_bits(), b.to_bits());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Any α is answered, never a panic: an optimum for α in (0, 1], an error naming it otherwise.
    #[test]
    fn any_alpha_is_an_answer_or_an_error(alpha in proptest::num::f64::ANY) {
        let plan = offergraph::sample::apartments().expect("sample");
        let got = apartments_risk().optimize(&plan, MonteCarlo::new().with_draws(20), RiskObjective::Cvar { alpha });
        prop_assert_eq!(got.is_ok(), alpha > 0.0 && alpha <= 1.0);
    }

    /// The optimum's CVaR is at least that of random feasible allocations and of the plan's
    /// own; the bound is at least the value; the budget and the module bounds hold; an exact
    /// budget is spent.
    #[test]
    fn the_optimum_beats_random_feasible_allocations(
        seed in any::<u64>(),
        alpha in 0.01f64..=1.0,
        sigma in 0.05f64..1.2,
        shares in proptest::collection::vec(0.0f64..1.0, 6),
        spent in 0.1f64..=1.0,
        exact in any::<bool>(),
    ) {
        let mut plan = offergraph::sample::apartments().expect("sample");
        let kind = if exact { BudgetKind::Exactly } else { BudgetKind::AtMost };
        plan.set_budget_policy(BudgetPolicy::Optimize(Box::new(OptimizePolicy::new(Objective::MaxProfit).with_budget_kind(kind))));
        let u = Uncertainty::new()
            .with_part(PartKind::Channel, "social", Entry::new().with_lead_scale(ln(1.0, sigma)))
            .with_part(PartKind::Channel, "outdoor", Entry::new().with_lead_scale(ln(0.9, sigma)))
            .with_part(PartKind::Segment, "families", Entry::new().with_conversion(Distribution::beta(14.0, 86.0).expect("valid")));
        let mc = MonteCarlo::new().with_draws(300).with_seed(seed);
        let best = u.optimize(&plan, mc, RiskObjective::cvar(alpha).expect("valid")).expect("solves");
        prop_assert!(best.upper_bound >= best.cvar);
        prop_assert!(best.status.is_optimal(), "{:?}", best.status);
        let budget = plan.budget().get();
        let total: f64 = best.spend.values().sum();
        prop_assert!(best.spend.values().all(|&s| s >= 0.0));
        if exact {
            prop_assert!(close_to(total, budget, 1e-9), "{total}");
        } else {
            prop_assert!(total <= budget * (1.0 + 1e-9), "{total}");
        }
        // Optimal means a gap within 1e-6 of the profits' scale (`RiskOptimum::relative_gap`).
        let slack = 1e-6 * best.cvar.abs().max(best.mean.abs()).max(1.0);
        let sum: f64 = shares.iter().sum::<f64>().max(1e-9);
        let scale = if exact { 1.0 } else { spent };
        let random = Allocation::from_spend(&plan, shares.iter().map(|s| s / sum * budget * scale).collect()).expect("valid");
        let theirs = cvar_of(&profits(&u, &plan, &random, mc), alpha);
        prop_assert!(best.cvar >= theirs - slack, "{} < {theirs}", best.cvar);
        prop_assert!(theirs <= best.upper_bound, "{theirs} above the bound {}", best.upper_bound);
        let own = cvar_of(&profits(&u, &plan, &plan.allocate().expect("allocates"), mc), alpha);
        prop_assert!(best.cvar >= own - slack, "{} < {own}", best.cvar);
    }
}

proptest! {
    // Each case is a branch and bound of column generations: a few cases suffice.
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// On S-curves (the synthetic plan's video channel) and a capacity, where the column
    /// generation alone often leaves a duality gap, the branch and bound closes it: optimal with
    /// a certified gap, the bound above the value, the optimum at least the plan's own.
    #[test]
    fn s_curves_and_capacities_are_optimal_only_with_a_closed_gap(seed in any::<u64>(), alpha in 0.02f64..0.5, capacity in any::<bool>()) {
        let mut plan = offergraph::sample::synthetic(12).expect("synthetic");
        if capacity {
            let policy = OptimizePolicy::new(Objective::MaxProfit).with_capacity("desk", None, Measure::Leads, 150.0);
            plan.set_budget_policy(BudgetPolicy::Optimize(Box::new(policy)));
        }
        let u = s_curve_risk(&plan);
        let mc = MonteCarlo::new().with_draws(400).with_seed(seed);
        let best = u.optimize(&plan, mc, RiskObjective::cvar(alpha).expect("valid")).expect("solves");
        prop_assert!(best.upper_bound >= best.cvar);
        // The branch and bound over spend boxes closes the duality gap.
        prop_assert!(best.status.is_optimal(), "{:?} gap {}", best.status, best.gap());
        prop_assert!(best.relative_gap() <= 1e-6, "relative gap {}", best.relative_gap());
        let p = profits(&u, &plan, best.allocation(), mc);
        prop_assert!(close_to(cvar_of(&p, alpha), best.cvar, 1e-9));
        if !capacity {
            let own = cvar_of(&profits(&u, &plan, &plan.allocate().expect("allocates"), mc), alpha);
            let slack = 1e-6 * best.cvar.abs().max(best.mean.abs()).max(1.0);
            prop_assert!(best.cvar >= own - slack, "{} < {own}", best.cvar);
            prop_assert!(own <= best.upper_bound, "{own} above the bound {}", best.upper_bound);
        }
    }
}

/// The synthetic plan's risks for the S-curve cases: its video (S-curves) and search channels'
/// lead volumes and every module's deal value.
fn s_curve_risk(plan: &Plan) -> Uncertainty {
    let u = Uncertainty::new()
        .with_part(PartKind::Channel, "video", Entry::new().with_lead_scale(ln(1.0, 0.6)))
        .with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(ln(1.0, 0.3)));
    plan.modules().fold(u, |u, m| u.with_module(m.key(), Entry::new().with_deal_value(ln(3_000.0, 0.4))))
}

/// A small CVaR (75) against a mean profit of 446: measured against the CVaR alone, the last
/// 4e-4 of the gap took the 400 boxes and ended at `node_limit` (30 s); on the profits' scale,
/// with the halves starting from their parent's columns, it closes in a few dozen boxes.
#[test]
fn a_cvar_near_zero_closes_on_the_profits_scale() -> TestResult {
    let plan = offergraph::sample::synthetic(12)?;
    let mc = MonteCarlo::new().with_draws(400).with_seed(1_347_895_299_912_148_591);
    let best = s_curve_risk(&plan).optimize(&plan, mc, RiskObjective::cvar(0.0318)?)?;
    assert!(best.status.is_optimal(), "{:?} after {} boxes, gap {}", best.status, best.boxes, best.gap());
    assert!(best.relative_gap() <= 1e-6, "{}", best.relative_gap());
    assert!(best.boxes < 100, "{} boxes", best.boxes);
    assert!(
        (75.0..76.0).contains(&best.cvar) && (440.0..450.0).contains(&best.mean),
        "{} {}",
        best.cvar,
        best.mean
    );
    Ok(())
}
