//! General constraints: overlapping groups, several capacities.

use super::*;

#[test]
fn overlapping_cap_and_floor_known_answer() {
    // Four identical curves r = 1000·(1 − e^(−s/400)), so r'(s) = 2.5·x with x = e^(−s/400).
    // search = {0, 1} (cap), north = {1, 2} (floor), exact budget. Prices: p0 = λ + α,
    // p1 = λ + α − β, p2 = λ − β, p3 = λ, so KKT needs x0 + x2 = x1 + x3. Pick x = (0.6, 0.3,
    // 0.2, 0.5): λ = 1.25, α = 0.25, β = 0.75, and the constraints that make it optimal are
    // cap = 400·ln(1/0.18), floor = 400·ln(1/0.06), budget = 400·ln(1/0.018).
    let xs = [0.6f64, 0.3, 0.2, 0.5];
    let spend: Vec<f64> = xs.iter().map(|x| -400.0 * x.ln()).collect();
    let mut p = Problem::new(Objective::MaxValueFixedBudget { measure: Measure::Leads });
    p.set_budget(Budget::exactly(400.0 * (1.0f64 / 0.018).ln())).unwrap();
    for _ in 0..4 {
        p.add_module(module(exp(1000.0, 400.0), 1.0)).unwrap();
    }
    p.add_group(Group::new("search", vec![0, 1]).with_cap(Limit::Money(400.0 * (1.0f64 / 0.18).ln())))
        .unwrap();
    p.add_group(Group::new("north", vec![1, 2]).with_floor(Limit::Money(400.0 * (1.0f64 / 0.06).ln())))
        .unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    for i in 0..4 {
        assert!(close_to(s.spend[i], spend[i], 1e-9), "{:?} vs {spend:?}", s.spend);
    }
    assert!(s.status.is_optimal(), "{:?} gap {}", s.status, s.gap());
    assert!(close_to(s.budget_multiplier, 1.25, 1e-9), "{}", s.budget_multiplier);
    assert!(close_to(s.group_multipliers[0], 0.25, 1e-9), "{:?}", s.group_multipliers);
    assert!(close_to(s.group_multipliers[1], -0.75, 1e-9), "{:?}", s.group_multipliers);
    assert!(s.kkt_residual <= 1e-9, "{}", s.kkt_residual);
}

#[test]
fn two_disjoint_capacities_known_answer() {
    // r = 100·(1 − e^(−s/50)), v = 3, so r' = (100 − r)/50. Team a {0, 1} ≤ 60 leads: 30 each,
    // (3 − μ)·70/50 = 1 ⇒ μ = 3 − 5/7. Team b {2, 3} ≤ 100: 50 each, (3 − μ)·1 = 1 ⇒ μ = 2.
    let mut p = Problem::new(Objective::MaxProfit);
    p.set_budget(Budget::at_most(10_000.0)).unwrap();
    for _ in 0..4 {
        p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    }
    p.add_capacity(Capacity::new("a", vec![0, 1], Measure::Leads, 60.0)).unwrap();
    p.add_capacity(Capacity::new("b", vec![2, 3], Measure::Leads, 100.0)).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    for (i, want) in [30.0, 30.0, 50.0, 50.0].into_iter().enumerate() {
        assert!(close_to(s.leads[i], want, 1e-9), "{:?}", s.leads);
    }
    assert!(close_to(s.capacity_multipliers[0], 3.0 - 5.0 / 7.0, 1e-9), "{:?}", s.capacity_multipliers);
    assert!(close_to(s.capacity_multipliers[1], 2.0, 1e-9), "{:?}", s.capacity_multipliers);
    assert!(s.status.is_optimal() && s.gap() <= 1e-9 * s.objective.abs());
}

#[test]
fn two_overlapping_capacities_known_answer() {
    // Same curves; a = {0, 1} ≤ 60 and b = {1, 2} ≤ 60. Module 1 uses both teams: with r1 = 0,
    // r0 = r2 = 60 and (3 − μ)·40/50 = 1 ⇒ μ = 1.75 for both; module 1's weight 3 − 2μ < 0.
    let mut p = Problem::new(Objective::MaxProfit);
    for _ in 0..3 {
        p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    }
    p.add_capacity(Capacity::new("a", vec![0, 1], Measure::Leads, 60.0)).unwrap();
    p.add_capacity(Capacity::new("b", vec![1, 2], Measure::Leads, 60.0)).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    assert_eq!(s.spend[1], 0.0);
    assert!(close_to(s.spend[0], 50.0 * 2.5f64.ln(), 1e-9) && close_to(s.spend[2], 50.0 * 2.5f64.ln(), 1e-9));
    assert!(close_to(s.capacity_multipliers[0], 1.75, 1e-9), "{:?}", s.capacity_multipliers);
    assert!(close_to(s.capacity_multipliers[1], 1.75, 1e-9), "{:?}", s.capacity_multipliers);
    assert!(s.status.is_optimal() && s.gap() <= 1e-9 * s.objective.abs());
}

#[test]
fn general_constraint_infeasibility_messages() {
    let mut p = Problem::new(Objective::MaxProfit);
    p.set_budget(Budget::at_most(200_000.0)).unwrap();
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap(); // search, north
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap(); // search, south
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap(); // video, south
    p.add_group(Group::new("channel \"search\"", vec![0, 1]).with_cap(Limit::Money(24_000.0))).unwrap();
    p.add_group(Group::new("tag region = \"north\"", vec![0]).with_floor(Limit::Money(100_000.0))).unwrap();
    assert_eq!(
        err(&p),
        "group floor tag region = \"north\" (100000) and group cap channel \"search\" (24000) cannot both \
         hold: the modules in both groups can spend at most 24000 under the cap and the other members of \
         tag region = \"north\" at most 0 (short by 76000)"
    );

    let mut p = Problem::new(Objective::MaxProfit);
    p.set_budget(Budget::at_most(1000.0)).unwrap();
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(300.0, 1000.0).unwrap()).unwrap();
    p.add_group(Group::new("north", vec![0]).with_floor(Limit::Money(800.0))).unwrap();
    p.add_group(Group::new("all", vec![0, 1])).unwrap();
    p.add_group(Group::new("first", vec![0, 1]).with_cap(Limit::Money(5000.0))).unwrap();
    assert_eq!(
        err(&p),
        "group floor \"north\" (800) and the budget (1000) cannot both hold: the other modules' minima \
         take 300 of the budget (short by 100)"
    );

    let mut p = Problem::new(Objective::MaxValueFixedBudget { measure: Measure::Leads });
    p.set_budget(Budget::exactly(1000.0)).unwrap();
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 300.0).unwrap()).unwrap();
    p.add_group(Group::new("search", vec![0]).with_cap(Limit::Money(500.0))).unwrap();
    p.add_group(Group::new("both", vec![0, 1]).with_floor(Limit::Money(10.0))).unwrap();
    assert_eq!(
        err(&p),
        "module maxima add up to 800, less than the budget 1000 that must be spent exactly (short by 200)"
    );

    // Three constraints: two overlapping floors and the budget (no pair conflicts on its own).
    let mut p = Problem::new(Objective::MaxProfit);
    p.set_budget(Budget::at_most(1000.0)).unwrap();
    for _ in 0..3 {
        p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 1000.0).unwrap()).unwrap();
    }
    p.add_group(Group::new("a", vec![0, 1]).with_floor(Limit::Money(700.0))).unwrap();
    p.add_group(Group::new("b", vec![1, 2]).with_floor(Limit::Money(700.0))).unwrap();
    p.add_group(Group::new("c", vec![0, 2]).with_floor(Limit::Money(700.0))).unwrap();
    // twice the budget against the three floors: 2100 − 2·1000
    assert_eq!(
        err(&p),
        "the budget (1000), group floor \"a\" (700), group floor \"b\" (700) and group floor \"c\" (700) \
         cannot all hold: the modules' bounds cannot meet them together (short by 100)"
    );

    // Capacities: minima above one of several capacities.
    let mut p = Problem::new(Objective::MaxProfit);
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(100.0, 200.0).unwrap()).unwrap();
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    p.add_capacity(Capacity::new("team a", vec![1], Measure::Leads, 50.0)).unwrap();
    p.add_capacity(Capacity::new("team b", vec![0], Measure::Leads, 50.0)).unwrap();
    let e = err(&p);
    assert!(e.starts_with("capacity \"team b\": the module minima already bring 86.46"), "{e}");
}

/// Members, floor and cap of a group.
pub(super) type GroupSpec = (Vec<usize>, f64, f64);
/// Members and limit of a capacity.
pub(super) type CapSpec = (Vec<usize>, f64);

/// Modules, tags, capacities and share, as [`crossing`] draws them.
pub(super) type Crossing = (Vec<(ResponseCurve, f64, f64, f64)>, Vec<(usize, usize)>, Vec<(u8, f64)>, f64);

/// What [`general_problem`] draws besides `exact` and `slack`: modules on `curve`, their channel and
/// region tags, `capacities` capacities (member mask, tightness) and where the reference
/// allocation sits between the bounds.
pub(super) fn crossing(
    curve: impl Strategy<Value = ResponseCurve>,
    capacities: std::ops::Range<usize>,
) -> impl Strategy<Value = Crossing> {
    (
        modules(curve),
        prop::collection::vec((0usize..2, 0usize..2), 8),
        prop::collection::vec((1u8..=255, 0.0..0.5f64), capacities),
        0.05..0.95f64,
    )
}

/// A problem with two crossing group families (channel × region) and 1–3 capacities, all built
/// around a reference allocation so that it is feasible by construction.
pub(super) fn general_problem(
    mods: &[(ResponseCurve, f64, f64, f64)],
    tags: &[(usize, usize)],
    caps: &[(u8, f64)],
    share: f64,
    exact: bool,
    slack: f64,
) -> (Problem, Vec<GroupSpec>, Vec<CapSpec>) {
    use offergraph::curves::Curve;
    let n = mods.len();
    let x: Vec<f64> = mods.iter().map(|m| m.2 + share * (m.3 - m.2)).collect();
    let total: f64 = x.iter().sum();
    let mut p = build(
        mods,
        Objective::MaxProfit,
        Some(if exact { Budget::exactly(total) } else { Budget::at_most(total) }),
    );
    let mut groups = Vec::new();
    for (family, name) in [(0usize, "channel"), (1, "region")] {
        for v in 0..2 {
            let members: Vec<usize> = (0..n)
                .filter(|&i| if family == 0 { tags[i].0 % 2 == v } else { tags[i].1 % 2 == v })
                .collect();
            let sum: f64 = members.iter().map(|&i| x[i]).sum();
            // channel groups get caps, region groups floors (tight around the reference point)
            let g = Group::new(format!("{name} {v}"), members.clone());
            let (g, cap, floor) = if family == 0 {
                (g.with_cap(Limit::Money(sum * (1.0 + slack))), sum * (1.0 + slack), 0.0)
            } else {
                (g.with_floor(Limit::Money(sum * (1.0 - slack))), f64::INFINITY, sum * (1.0 - slack))
            };
            p.add_group(g).unwrap();
            groups.push((members, floor, cap));
        }
    }
    let mut capacities = Vec::new();
    for (k, &(mask, tight)) in caps.iter().enumerate() {
        let members: Vec<usize> = (0..n).filter(|&i| (mask >> (i % 8)) & 1 == 1).collect();
        let used: f64 = members.iter().map(|&i| mods[i].0.leads(x[i])).sum();
        // a limit is 0 or at least 1e-6 leads (`ranges`): curves far below their scale bring less
        let limit = (used * (1.0 + tight)).max(1e-6);
        p.add_capacity(Capacity::new(format!("team {k}"), members.clone(), Measure::Leads, limit)).unwrap();
        capacities.push((members, limit));
    }
    (p, groups, capacities)
}

/// A deterministic sample of the problems of the property tests below (channel caps and region
/// floors that overlap, one to three capacities, limits tight around a feasible reference split).
fn general_sample(g: &mut Lcg, s_curves: bool) -> (Problem, Vec<GroupSpec>, Vec<CapSpec>, bool) {
    let pick = |g: &mut Lcg, n: usize| ((g.next() * n as f64) as usize).min(n - 1);
    let n = 2 + pick(g, 6);
    let mods: Vec<(ResponseCurve, f64, f64, f64)> = (0..n)
        .map(|_| {
            let c = if s_curves {
                hill(g.range(10.0, 1000.0), g.range(10.0, 1000.0), g.range(1.2, 4.0))
            } else if g.next() < 0.5 {
                exp(g.range(10.0, 1000.0), g.range(10.0, 1000.0))
            } else {
                hill(g.range(10.0, 1000.0), g.range(10.0, 1000.0), g.range(0.3, 1.0))
            };
            let hi = g.range(0.05, 1.0) * g.range(200.0, 3000.0);
            (c, g.range(0.5, 20.0), g.range(0.0, 0.2) * hi, hi)
        })
        .collect();
    let tags: Vec<(usize, usize)> = (0..8).map(|_| (pick(g, 2), pick(g, 2))).collect();
    let caps: Vec<(u8, f64)> = (0..1 + pick(g, if s_curves { 2 } else { 3 }))
        .map(|_| (1 + pick(g, 255) as u8, g.range(0.0, 0.5)))
        .collect();
    let (share, exact, slack) = (g.range(0.05, 0.95), !s_curves && g.next() < 0.5, g.range(0.0, 0.3));
    let (p, groups, capacities) = general_problem(&mods, &tags, &caps, share, exact, slack);
    (p, groups, capacities, exact)
}

/// Overlapping groups with several capacities, on a fixed sample: every problem (each has a
/// feasible reference split) is solved to optimality with the default options; every answer
/// honours every constraint, meets the KKT conditions and complementary slackness.
#[test]
fn general_constraints_on_a_fixed_sample() {
    use offergraph::curves::Curve;
    let mut g = Lcg(2026);
    let cases = 400;
    for _ in 0..cases {
        let (p, groups, capacities, exact) = general_sample(&mut g, false);
        let s = p.solve(SolveOptions::new()).unwrap_or_else(|e| panic!("{e}"));
        let b = p.budget().unwrap().amount;
        let total = s.total_spend();
        assert!(
            if exact { close_to(total, b, 1e-9) } else { total <= b * (1.0 + 1e-12) },
            "total {total} budget {b}"
        );
        for (x, m) in s.spend.iter().zip(p.modules()) {
            assert!(*x >= m.lo() && *x <= m.hi());
        }
        for (members, floor, cap) in &groups {
            let sum: f64 = members.iter().map(|&i| s.spend[i]).sum();
            assert!(
                sum <= cap * (1.0 + 1e-12) && sum >= floor * (1.0 - 1e-12),
                "{sum} not in [{floor}, {cap}]"
            );
        }
        for (k, (members, limit)) in capacities.iter().enumerate() {
            let used: f64 = members.iter().map(|&i| p.modules()[i].curve().leads(s.spend[i])).sum();
            assert!(used <= limit * (1.0 + 1e-12), "capacity {k}: {used} > {limit}");
            let mu = s.capacity_multipliers[k];
            if s.status.is_optimal() && mu > 1e-7 {
                assert!(close_to(used, *limit, 1e-7), "capacity {k} multiplier {mu} but {used} < {limit}");
            }
        }
        assert!(s.objective <= s.upper_bound);
        assert!(s.status.is_optimal(), "{:?} gap {} of {}", s.status, s.gap(), s.objective);
        assert!(s.gap() <= SolveOptions::DEFAULT_TOLERANCE * s.objective.abs().max(1.0));
        assert!(s.kkt_residual <= 1e-7, "kkt {}", s.kkt_residual);
    }
}

/// The same on S-curves: every problem solved to optimality with the default options.
#[test]
fn general_s_curves_on_a_fixed_sample() {
    use offergraph::curves::Curve;
    let mut g = Lcg(7);
    for _ in 0..60 {
        let (p, groups, capacities, _) = general_sample(&mut g, true);
        let s = p.solve(SolveOptions::new()).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.total_spend() <= p.budget().unwrap().amount * (1.0 + 1e-12));
        for (members, floor, cap) in &groups {
            let sum: f64 = members.iter().map(|&i| s.spend[i]).sum();
            assert!(sum <= cap * (1.0 + 1e-12) && sum >= floor * (1.0 - 1e-12));
        }
        for (members, limit) in &capacities {
            let used: f64 = members.iter().map(|&i| p.modules()[i].curve().leads(s.spend[i])).sum();
            assert!(used <= limit * (1.0 + 1e-12));
        }
        assert!(s.objective <= s.upper_bound);
        assert!(s.status.is_optimal(), "{:?} gap {} of {}", s.status, s.gap(), s.objective);
        assert!(s.gap() <= SolveOptions::DEFAULT_TOLERANCE * s.objective.abs().max(1.0));
    }
}

proptest! {
    // 1 000 cases keep CI within its time (3 000 pass with the seed CI uses)
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn general_constraints_are_honoured_and_certified(
        (mods, tags, caps, share) in crossing(any_concave(), 1..4),
        exact in any::<bool>(),
        slack in 0.0..0.3f64,
    ) {
        use offergraph::curves::Curve;
        let (p, groups, capacities) = general_problem(&mods, &tags, &caps, share, exact, slack);
        let s = p.solve(SolveOptions::new()).unwrap();
        let b = p.budget().unwrap().amount;
        spends_within(&s, &mods, b, exact, 1e-12)?;
        let total = s.total_spend();
        // optimal; where profit nearly cancels (revenue ≈ spend) the gap is measured against the
        // money involved, which a node limit may leave it within
        let terms: f64 = s.leads.iter().zip(&mods).map(|(l, m)| l * m.1).sum::<f64>() + total;
        prop_assert!(
            s.status.is_optimal() || s.gap() <= SolveOptions::DEFAULT_TOLERANCE * terms,
            "{:?} gap {} of {} (terms {terms})", s.status, s.gap(), s.objective
        );
        // complementary slackness where the multipliers are exact (see `kkt_residual` below); a
        // limit binds to within what the gap tolerance leaves of the spends (1e-6 of the value)
        let exact = s.kkt_residual <= 1e-7;
        let binds = |x: f64, limit: f64| close_to(x, limit, 1e-5);
        for (g, (members, floor, cap)) in groups.iter().enumerate() {
            let sum: f64 = members.iter().map(|&i| s.spend[i]).sum();
            prop_assert!(sum <= cap * (1.0 + 1e-12) && sum >= floor * (1.0 - 1e-12), "group {g}: {sum} not in [{floor}, {cap}]");
            if !exact {
                continue;
            }
            // complementary slackness: a multiplier only where its limit binds
            let m = s.group_multipliers[g];
            let scale = m.abs().max(1.0);
            if m > 1e-7 * scale {
                prop_assert!(binds(sum, *cap), "group {g} multiplier {m} but {sum} < cap {cap}");
            } else if m < -1e-7 * scale {
                prop_assert!(binds(sum, *floor), "group {g} multiplier {m} but {sum} > floor {floor}");
            }
        }
        for (k, (members, limit)) in capacities.iter().enumerate() {
            let used: f64 = members.iter().map(|&i| mods[i].0.leads(s.spend[i])).sum();
            prop_assert!(used <= limit * (1.0 + 1e-12), "capacity {k}: {used} > {limit}");
            let mu = s.capacity_multipliers[k];
            prop_assert!(mu >= 0.0);
            if exact && mu > 1e-7 {
                prop_assert!(binds(used, *limit), "capacity {k} multiplier {mu} but {used} < {limit}; {:?} obj {} ub {} spend {:?} caps {:?}", s.status, s.objective, s.upper_bound, s.spend, capacities);
            }
        }
        prop_assert!(s.objective <= s.upper_bound);
        // the multipliers come from Newton's method on the binding constraints, or from least
        // squares where that set is degenerate: `kkt_residual` then says how well they fit
        // (the fixed sample above asserts them); the gap is the certificate
        let val = value_of(&p, &s.spend, 1.0, |m| m.value_per_lead());
        prop_assert!(close_to(val, s.objective, 1e-9));
        prop_assert_eq!(&p.solve(SolveOptions::new()).unwrap(), &s);
    }

    #[test]
    fn general_constraints_on_s_curves_are_feasible_and_bounded(
        (mods, tags, caps, share) in crossing(any_s_curve(), 1..3),
        slack in 0.0..0.3f64,
    ) {
        use offergraph::curves::Curve;
        let (p, groups, capacities) = general_problem(&mods, &tags, &caps, share, false, slack);
        let s = p.solve(SolveOptions::new().with_max_nodes(500)).unwrap();
        prop_assert!(s.total_spend() <= p.budget().unwrap().amount * (1.0 + 1e-12));
        for (members, floor, cap) in &groups {
            let sum: f64 = members.iter().map(|&i| s.spend[i]).sum();
            prop_assert!(sum <= cap * (1.0 + 1e-12) && sum >= floor * (1.0 - 1e-12));
        }
        for (members, limit) in &capacities {
            let used: f64 = members.iter().map(|&i| mods[i].0.leads(s.spend[i])).sum();
            prop_assert!(used <= limit * (1.0 + 1e-12));
        }
        prop_assert!(s.objective <= s.upper_bound);
        // never infeasible (each problem has a feasible reference split); `optimal` exactly when
        // the gap is within the tolerance (a rare S-curve case stops at the node limit)
        let gap_ok = s.gap() <= SolveOptions::DEFAULT_TOLERANCE * s.objective.abs().max(1.0);
        prop_assert_eq!(gap_ok, s.status.is_optimal(), "{:?} gap {}", s.status, s.gap());
    }
}

/// Modules on Hill curves, one per row: `[L, k, a, value per lead, min, max]`.
fn hills(rows: &[[f64; 6]]) -> Vec<(ResponseCurve, f64, f64, f64)> {
    rows.iter().map(|&[l, k, a, v, lo, hi]| (hill(l, k, a), v, lo, hi)).collect()
}

#[test]
fn a_large_capacity_price_does_not_stall_the_bound_on_the_lp_tolerance() {
    // found by the stress property: three concave Hill curves with a < 1, region floors and one
    // tight capacity. Its shadow price is so large that an LP answer 1e-7 (scaled) over the
    // capacity was worth 0.04 of profit: the bound stalled 4e-6 above the optimum and the search
    // split spends into pieces narrower than the LP could see until its node limit.
    let mods = hills(&[
        [56.11134452970357, 16.18403408124123, 0.8165923291123607, 0.5, 8.66979193391696, 401.73668094314206],
        [
            950.2491244661758,
            426.24176259336554,
            0.4868235905170443,
            0.5,
            19.051800530024387,
            1099.204528836899,
        ],
        [
            994.1732624589179,
            157.20009389808354,
            0.7129142425342452,
            10.395672370905688,
            65.24930507678921,
            361.6068674912634,
        ],
    ]);
    let tags = [(0, 0), (0, 1), (0, 0)];
    let caps = [(167, 0.007234550325523829)];
    let (p, _, _) = general_problem(&mods, &tags, &caps, 0.16365217319835873, false, 0.15623722958287406);
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(s.status.is_optimal(), "{:?} gap {} after {} nodes", s.status, s.gap(), s.nodes);
    assert!(close_to(s.objective, 4928.710434932699, 1e-9), "{}", s.objective);
    // the region floors and the capacity bind
    assert!(
        close_to(s.spend[1], 165.22658919881047, 1e-12)
            && close_to(s.spend[0] + s.spend[2], 157.56839987415475, 1e-12)
    );
    assert!(close_to(s.leads.iter().sum(), 875.9566513807596, 1e-12));
}

#[test]
fn a_thin_feasible_sliver_is_found_before_the_node_limit() {
    // found by the S-curve stress property: floors that nearly spend the budget, channel caps
    // and a tight desk shared by two S-curves leave a sliver of feasible points. Best-first
    // search spent its 500 nodes on wide boxes with no feasible point; a dive finds one early.
    let mods = hills(&[
        [
            562.1616652340335,
            679.5508557018591,
            1.5854504167472683,
            15.237254722976367,
            2.6450064368764687,
            359.6670239192893,
        ],
        [
            630.1221494032565,
            578.7943223105694,
            1.3219376420080167,
            17.527093794329346,
            24.016006488293247,
            332.0804698544969,
        ],
        [
            120.86948293268762,
            519.2821957657756,
            3.273358272609696,
            9.716523731618022,
            7.277604494359674,
            463.655171530566,
        ],
        [
            682.0759119503999,
            477.6796401212451,
            3.184930545907071,
            7.7065321655444565,
            15.513793383325126,
            134.15906749196455,
        ],
    ]);
    let tags = [(0, 0), (0, 1), (1, 1), (1, 1), (1, 0), (0, 1), (0, 1), (0, 1)];
    let caps = [(124, 0.42520881315673725), (249, 0.15588876710189659)];
    let (p, _, _) = general_problem(&mods, &tags, &caps, 0.41030108606870724, false, 0.009643738074813472);
    // the whole search takes 127 nodes (821 before the dense solver proved its empty nodes
    // itself): a feasible point is known long before
    let early = p.solve(SolveOptions::new().with_max_nodes(60)).expect("a feasible point within 60 nodes");
    assert_eq!(early.status, offergraph::optimize::Status::NodeLimit);
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(s.status.is_optimal(), "{:?} gap {} after {} nodes", s.status, s.gap(), s.nodes);
    assert!(s.nodes <= 200, "{} nodes", s.nodes);
    assert!(close_to(s.objective, 1870.7292890663232, 1e-9), "{}", s.objective);
    assert!(early.objective <= s.objective && early.upper_bound >= s.objective);
    // module 0 at its region floor, the two S-curves' desk full
    assert!(close_to(s.spend[0], 147.6933425660051, 1e-9), "{:?}", s.spend);
}
