//! Properties of concave and S-shaped problems, warm starts and the budget multiplier.

use super::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn concave_answers_satisfy_every_invariant(
        mods in modules(any_concave()),
        share in 0.05..0.95f64,
        exact in any::<bool>(),
        profit in any::<bool>(),
    ) {
        let b = feasible_budget(&mods, share);
        let budget = if exact { Budget::exactly(b) } else { Budget::at_most(b) };
        let obj = if profit { Objective::MaxProfit } else { Objective::MaxValueFixedBudget { measure: Measure::GrossProfit } };
        let p = build(&mods, obj, Some(budget));
        let s = p.solve(SolveOptions::new()).unwrap();
        // budget conservation (eq) or limit (le), bounds; then KKT, certificate
        spends_within(&s, &mods, b, exact, 1e-9)?;
        prop_assert!(s.status.is_optimal());
        prop_assert!(s.kkt_residual <= 1e-9, "kkt {}", s.kkt_residual);
        prop_assert!(s.objective <= s.upper_bound);
        let cost = if profit { 1.0 } else { 0.0 };
        let val = value_of(&p, &s.spend, cost, |m| m.value_per_lead());
        prop_assert!(close_to(val, s.objective, 1e-9));
        // no pairwise transfer of spend improves the objective
        for i in 0..mods.len() {
            for j in 0..mods.len() {
                if i == j {
                    continue;
                }
                let d = (1e-3 * (mods[i].3 - mods[i].2)).min(s.spend[i] - mods[i].2).min(mods[j].3 - s.spend[j]);
                if d <= 0.0 {
                    continue;
                }
                let mut y = s.spend.clone();
                y[i] -= d;
                y[j] += d;
                let v2 = value_of(&p, &y, cost, |m| m.value_per_lead());
                prop_assert!(v2 <= s.objective + 1e-9 * s.objective.abs().max(1.0), "transfer {i}->{j} of {d}: {v2} > {}", s.objective);
            }
        }
        // identical input, identical (bit for bit) answer
        prop_assert_eq!(&p.solve(SolveOptions::new()).unwrap(), &s);
    }

    #[test]
    fn more_budget_never_lowers_profit_and_switching_off_never_raises_it(
        mods in modules(any_concave()),
        share in 0.05..0.9f64,
        off in 0usize..8,
    ) {
        let b = feasible_budget(&mods, share);
        let p = build(&mods, Objective::MaxProfit, Some(Budget::at_most(b)));
        let s = p.solve(SolveOptions::new()).unwrap();
        let q = build(&mods, Objective::MaxProfit, Some(Budget::at_most(b * 1.5)));
        let t = q.solve(SolveOptions::new()).unwrap();
        prop_assert!(t.objective >= s.objective - 1e-9 * s.objective.abs().max(1.0));
        let mut r = p.clone();
        let off = off % mods.len();
        if mods[off].2 == 0.0 {
            r.set_enabled(off, false).unwrap();
            let u = r.resolve(SolveOptions::new(), &s).unwrap();
            prop_assert_eq!(u.spend[off], 0.0);
            prop_assert!(u.objective <= s.objective + 1e-9 * s.objective.abs().max(1.0));
            // warm start changes nothing but the speed
            let cold = r.solve(SolveOptions::new()).unwrap();
            prop_assert!(close_to(u.objective, cold.objective, 1e-9));
        }
    }

    /// The reported `dλ/dB` is the derivative of the budget's shadow price (central difference).
    #[test]
    fn budget_multiplier_slope_matches_a_finite_difference(
        mods in modules(any_concave()),
        share in 0.05..0.9f64,
    ) {
        let b = feasible_budget(&mods, share);
        let s = build(&mods, Objective::MaxProfit, Some(Budget::at_most(b))).solve(SolveOptions::new()).unwrap();
        if let Some(slope) = s.budget_multiplier_slope {
            prop_assert!(slope <= 0.0 && s.budget_multiplier > 0.0);
            let d = 1e-6 * b;
            let at = |x: f64| {
                build(&mods, Objective::MaxProfit, Some(Budget::at_most(x))).solve(SolveOptions::new()).unwrap().budget_multiplier
            };
            let fd = (at(b + d) - at(b - d)) / (2.0 * d);
            prop_assert!((fd - slope).abs() <= 1e-3 * slope.abs() + 1e-12 * s.budget_multiplier / d, "fd {fd} slope {slope}");
        } else {
            prop_assert!(s.budget_multiplier == 0.0, "binding budget {} without a slope", s.budget_multiplier);
        }
    }

    #[test]
    fn capacity_is_honoured(
        mods in modules(any_concave()),
        share in 0.05..0.9f64,
        cap_share in 0.1..1.0f64,
    ) {
        use offergraph::curves::Curve;
        let b = feasible_budget(&mods, share);
        let mut p = build(&mods, Objective::MaxProfit, Some(Budget::at_most(b)));
        let minimum: f64 = mods.iter().map(|m| m.0.leads(m.2)).sum();
        let most: f64 = mods.iter().map(|m| m.0.leads(m.3)).sum();
        let limit = minimum + cap_share * (most - minimum);
        p.add_capacity(Capacity::new("team", (0..mods.len()).collect(), Measure::Leads, limit)).unwrap();
        let s = p.solve(SolveOptions::new()).unwrap();
        let used: f64 = s.leads.iter().sum();
        prop_assert!(used <= limit * (1.0 + 1e-9), "used {used} limit {limit}");
        prop_assert!(s.total_spend() <= b * (1.0 + 1e-9));
        prop_assert!(s.objective <= s.upper_bound);
        prop_assert!(s.gap() <= 1e-9 * s.objective.abs().max(1.0), "gap {}", s.gap());
    }

    #[test]
    fn s_shaped_answers_are_feasible_and_certified(
        mods in modules(any_s_curve()),
        share in 0.05..0.95f64,
        exact in any::<bool>(),
    ) {
        let b = feasible_budget(&mods, share);
        let budget = if exact { Budget::exactly(b) } else { Budget::at_most(b) };
        let p = build(&mods, Objective::MaxProfit, Some(budget));
        let s = p.solve(SolveOptions::new()).unwrap();
        spends_within(&s, &mods, b, exact, 1e-9)?;
        prop_assert!(s.objective <= s.upper_bound);
        prop_assert!(s.status.is_optimal(), "{:?} gap {}", s.status, s.gap());
        prop_assert_eq!(&p.solve(SolveOptions::new()).unwrap(), &s);
    }
}

#[test]
fn budget_multiplier_slope_known_answer() {
    // two modules r = 100·(1 − e^(−s/50)), v = 3, budget 40 binds: s = 20 each, price
    // p = v·r'(20) = 6·e^(−0.4); with B split evenly p(B) = 6·e^(−B/100), so dλ/dB = −p/100
    let mut p = twins(40.0);
    let s = p.solve(SolveOptions::new()).unwrap();
    let price = 6.0 * (-0.4f64).exp();
    assert!(close_to(s.budget_multiplier, price - 1.0, 1e-12), "{}", s.budget_multiplier);
    let slope = s.budget_multiplier_slope.expect("the budget binds");
    assert!(close_to(slope, -price / 100.0, 1e-12), "{slope}");
    // a budget that does not bind has no slope
    p.set_budget(Budget::at_most(1e6)).unwrap();
    assert_eq!(p.solve(SolveOptions::new()).unwrap().budget_multiplier_slope, None);
}

#[test]
fn resolve_after_toggle_is_deterministic_and_matches_cold_solve() {
    let mut g = Lcg(99);
    let mut p = Problem::new(Objective::MaxProfit);
    for _ in 0..200 {
        let k = g.range(100.0, 2000.0);
        let c = if g.next() < 0.5 {
            exp(g.range(100.0, 900.0), k)
        } else {
            hill(g.range(100.0, 900.0), k, g.range(0.5, 1.0))
        };
        p.add_module(module(c, g.range(2.0, 30.0)).with_bounds(0.0, 3.0 * k).unwrap()).unwrap();
    }
    p.set_budget(Budget::at_most(50_000.0)).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    p.set_enabled(17, false).unwrap();
    let a = p.resolve(SolveOptions::new(), &s).unwrap();
    let b = p.resolve(SolveOptions::new(), &s).unwrap();
    assert_eq!(a, b);
    let cold = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(a.objective, cold.objective, 1e-12));
    assert!(a.kkt_residual <= 1e-9 && cold.kkt_residual <= 1e-9);
    assert_eq!(a.spend[17], 0.0);
    // switching it back on from the toggled answer returns to the first optimum
    p.set_enabled(17, true).unwrap();
    let back = p.resolve(SolveOptions::new(), &a).unwrap();
    assert!(close_to(back.objective, s.objective, 1e-12));
    assert!(back.kkt_residual <= 1e-9);
    // an edit the warm start cannot predict (a much stronger module) still lands on the optimum
    let strong = module(exp(50_000.0, 3_000.0), 40.0).with_bounds(0.0, 40_000.0).unwrap();
    p.replace_module(3, strong).unwrap();
    let edited = p.resolve(SolveOptions::new(), &back).unwrap();
    let cold = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(edited.objective, cold.objective, 1e-12));
    assert!(edited.kkt_residual <= 1e-9 && edited.spend[3] > s.spend[3]);
}
