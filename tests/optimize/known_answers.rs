//! Known answers worked by hand, and the exact messages of invalid and infeasible problems.

use super::*;

#[test]
fn two_exponentials_fixed_budget_known_answer() {
    // equal k: s1 − s2 = k·ln(L1/L2), s1 + s2 = B
    let p = problem(
        Objective::MaxValueFixedBudget { measure: Measure::Leads },
        Some(Budget::exactly(1000.0)),
        [module(exp(300.0, 400.0), 1.0), module(exp(100.0, 400.0), 1.0)],
    );
    let s = p.solve(SolveOptions::new()).unwrap();
    let s1 = (1000.0 + 400.0 * 3f64.ln()) / 2.0;
    assert!(close_to(s.spend[0], s1, 1e-9), "{:?}", s.spend);
    assert!(close_to(s.spend[0] + s.spend[1], 1000.0, 1e-12));
    assert!(s.kkt_residual <= 1e-9);
    assert!(s.status.is_optimal());
    // the budget multiplier is the common marginal leads per unit of money
    assert!(close_to(s.budget_multiplier, 300.0 / 400.0 * (-s1 / 400.0).exp(), 1e-9));
}

#[test]
fn max_profit_single_exponential_and_bounds() {
    let mut p = Problem::new(Objective::MaxProfit);
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 20.0).unwrap()).unwrap();
    p.add_module(module(exp(100.0, 50.0), 0.3)).unwrap(); // never pays back: r'(0)·v = 0.6 < 1
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(s.spend[0], 50.0 * 6f64.ln(), 1e-12));
    assert_eq!(s.spend[1], 20.0);
    assert_eq!(s.spend[2], 0.0);
    assert!(s.marginal_romi[0].expect("finite").abs() < 1e-9);
    assert_eq!(s.budget_multiplier, 0.0);
}

#[test]
fn hill_a1_identical_split_equally_and_locked_module() {
    let mut p = Problem::new(Objective::MaxValueFixedBudget { measure: Measure::Leads });
    p.set_budget(Budget::exactly(900.0)).unwrap();
    for _ in 0..2 {
        p.add_module(module(hill(100.0, 200.0, 1.0), 1.0)).unwrap();
    }
    p.add_module(module(hill(100.0, 200.0, 1.0), 1.0).locked(100.0).unwrap()).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(s.spend[0], 400.0, 1e-9) && close_to(s.spend[1], 400.0, 1e-9));
    assert_eq!(s.spend[2], 100.0);
}

#[test]
fn target_marginal_romi_known_answer() {
    // v·r'(s) − 1 = t  ⇒  3·2·e^(−s/50) = 1.5 ⇒ s = 50·ln 4
    let mut p = Problem::new(Objective::TargetMarginalRomi(0.5));
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(s.spend[0], 50.0 * 4f64.ln(), 1e-12));
    assert!(close_to(s.marginal_romi[0].expect("finite"), 0.5, 1e-9));
}

#[test]
fn min_spend_for_target_known_answer() {
    // 100·(1 − e^(−s/50)) = 50 ⇒ s = 50·ln 2
    let mut p = Problem::new(Objective::MinSpendForTarget { measure: Measure::Leads, target: 50.0 });
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 1000.0).unwrap()).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(s.spend[0], 50.0 * 2f64.ln(), 1e-9), "{:?}", s.spend);
    assert!(close_to(-s.objective, s.spend[0], 1e-12));
    assert!(s.objective <= s.upper_bound);
}

#[test]
fn target_average_romi_known_answer() {
    // one module: GP(s) = 3·100·(1 − e^(−s/50)); ROMI(s) = GP/s − 1 = 1 at the largest s
    let mut p = Problem::new(Objective::TargetAverageRomi(1.0));
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 10_000.0).unwrap()).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    let x = s.spend[0];
    let gp = 300.0 * (1.0 - (-x / 50.0).exp());
    assert!(close_to(gp / x - 1.0, 1.0, 1e-9), "spend {x}, romi {}", gp / x - 1.0);
}

#[test]
fn capacity_known_answer() {
    // two identical modules, lead capacity binds: each brings half the capacity
    let mut p = twins(10_000.0);
    p.add_capacity(Capacity::new("team", vec![0, 1], Measure::Leads, 60.0)).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(s.leads[0], 30.0, 1e-9) && close_to(s.leads[1], 30.0, 1e-9), "{:?}", s.leads);
    // r(s) = 100·(1 − e^(−s/50)) = 30 at e^(−s/50) = 0.7, so r'(s) = 2·0.7 = 1.4; stationarity
    // (3 − μ)·r'(s) = 1 gives the capacity's shadow price μ = 3 − 1/1.4
    assert!(close_to(s.spend[0], -50.0 * 0.7f64.ln(), 1e-9), "{:?}", s.spend);
    assert!(close_to(s.capacity_multipliers[0], 3.0 - 1.0 / 1.4, 1e-9), "{:?}", s.capacity_multipliers);
    assert_eq!(s.budget_multiplier, 0.0);
    assert!(s.gap() <= 1e-9 * s.objective.abs().max(1.0));
}

#[test]
fn group_cap_known_answer() {
    // group {0,1} capped at 100 of a 1000 exact budget; module 2 takes the rest
    let mut p = Problem::new(Objective::MaxValueFixedBudget { measure: Measure::Leads });
    p.set_budget(Budget::exactly(1000.0)).unwrap();
    for _ in 0..3 {
        p.add_module(module(exp(1000.0, 400.0), 1.0)).unwrap();
    }
    p.add_group(Group::new("search", vec![0, 1]).with_cap(Limit::Share(0.1))).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(s.spend[0], 50.0, 1e-9) && close_to(s.spend[1], 50.0, 1e-9), "{:?}", s.spend);
    assert!(close_to(s.spend[2], 900.0, 1e-9));
    assert!(s.group_multipliers[0] > 0.0);
}

#[test]
fn a_budget_or_group_cap_held_by_one_module_carries_its_shadow_price() {
    // r(s) = 100·(1 − e^(−s/50)), 3 per lead, cost 1: alone the module would spend
    // 50·ln 6 ≈ 89.6, so a cap of 50 binds and is worth the marginal profit there,
    // 3·r'(50) − 1 = 6/e − 1. The cap is a constraint, not a bound of the module: before, the
    // module sat at a bound derived from it and the shadow price read 0.
    let mut p = Problem::new(Objective::MaxProfit);
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    p.add_module(module(exp(100.0, 50.0), 0.5)).unwrap(); // never pays back: 0.5·2 = 1
    p.add_group(Group::new("search", vec![0]).with_cap(Limit::Money(50.0))).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(s.spend[0], 50.0, 1e-12) && s.spend[1] == 0.0, "{:?}", s.spend);
    let marginal = 6.0 * (-1f64).exp() - 1.0;
    assert!(close_to(s.group_multipliers[0], marginal, 1e-9), "{:?}", s.group_multipliers);
    // the same module with a budget of 50 in place of the cap: the budget carries it
    let mut p = Problem::new(Objective::MaxProfit);
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 500.0).unwrap()).unwrap();
    p.set_budget(Budget::at_most(50.0)).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(s.budget_multiplier, marginal, 1e-9), "{}", s.budget_multiplier);
    assert!(s.kkt_residual <= 1e-9, "{}", s.kkt_residual);
}

#[test]
fn group_floor_known_answer() {
    let mut p = problem(
        Objective::MaxValueFixedBudget { measure: Measure::Leads },
        Some(Budget::exactly(1000.0)),
        [module(exp(1000.0, 400.0), 1.0), module(exp(10.0, 400.0), 1.0)],
    );
    p.add_group(Group::new("north", vec![1]).with_floor(Limit::Money(300.0))).unwrap();
    let s = p.solve(SolveOptions::new()).unwrap();
    assert!(close_to(s.spend[1], 300.0, 1e-9) && close_to(s.spend[0], 700.0, 1e-9), "{:?}", s.spend);
    assert!(s.group_multipliers[0] < 0.0);
}

#[test]
fn infeasibility_messages() {
    let p = problem(
        Objective::MaxProfit,
        Some(Budget::at_most(10_000.0)),
        [
            module(exp(100.0, 50.0), 3.0).with_bounds(7000.0, 9000.0).unwrap(),
            module(exp(100.0, 50.0), 3.0).with_bounds(5000.0, 9000.0).unwrap(),
        ],
    );
    assert_eq!(err(&p), "module minima add up to 12000, more than the budget 10000 (short by 2000)");

    let p = problem(
        Objective::MaxValueFixedBudget { measure: Measure::Leads },
        Some(Budget::exactly(10_000.0)),
        [
            module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 5000.0).unwrap(),
            module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 3000.0).unwrap(),
        ],
    );
    assert_eq!(
        err(&p),
        "module maxima add up to 8000, less than the budget 10000 that must be spent exactly (short by 2000)"
    );

    let mut p = Problem::new(Objective::MinSpendForTarget { measure: Measure::Leads, target: 5000.0 });
    p.add_module(module(exp(4000.0, 50.0), 3.0).with_bounds(0.0, 1e6).unwrap()).unwrap();
    p.add_module(module(exp(200.0, 50.0), 3.0).with_bounds(0.0, 1e6).unwrap()).unwrap();
    assert_eq!(
        err(&p),
        "target of 5000 leads is unreachable: the most the modules can bring within their maxima is 4200"
    );

    let mut p = problem(
        Objective::MaxProfit,
        Some(Budget::at_most(10_000.0)),
        [module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 800.0).unwrap(), module(exp(100.0, 50.0), 3.0)],
    );
    p.add_group(Group::new("search", vec![0]).with_floor(Limit::Money(1000.0))).unwrap();
    assert_eq!(err(&p), "group \"search\": floor 1000 is above the most it can spend, 800 (short by 200)");

    let mut p = Problem::new(Objective::MaxProfit);
    p.set_budget(Budget::at_most(10_000.0)).unwrap();
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    p.add_group(
        Group::new("search", vec![0]).with_floor(Limit::Money(5000.0)).with_cap(Limit::Money(4000.0)),
    )
    .unwrap();
    assert_eq!(err(&p), "group \"search\": floor 5000 is above cap 4000; lower the floor or raise the cap");

    let mut p = Problem::new(Objective::MaxProfit);
    p.set_budget(Budget::at_most(10_000.0)).unwrap();
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(5000.0, 6000.0).unwrap()).unwrap();
    p.add_group(Group::new("search", vec![0]).with_cap(Limit::Share(0.4))).unwrap();
    assert_eq!(err(&p), "group \"search\": cap 4000 is below its members' minima 5000 (over by 1000)");

    let mut p = twins(1000.0);
    p.add_group(Group::new("north", vec![0]).with_floor(Limit::Money(700.0))).unwrap();
    p.add_group(Group::new("south", vec![1]).with_floor(Limit::Money(600.0))).unwrap();
    assert_eq!(err(&p), "group floors add up to 1300, more than the budget 1000 (short by 300)");

    let mut p = Problem::new(Objective::MaxProfit);
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(100.0, 200.0).unwrap()).unwrap();
    p.add_capacity(Capacity::new("team", vec![0], Measure::Leads, 50.0)).unwrap();
    let e = err(&p);
    assert!(e.starts_with("capacity \"team\": the module minima already bring 86.46"), "{e}");
    assert!(e.ends_with("leads, more than the limit 50 (over by 36.46647167633873)"), "{e}");

    let mut p = Problem::new(Objective::MaxValueFixedBudget { measure: Measure::Leads });
    p.add_module(module(exp(100.0, 50.0), 3.0)).unwrap();
    assert_eq!(err(&p), "objective max_value_fixed_budget needs a budget; set one with Problem::set_budget");

    let mut p = Problem::new(Objective::MaxProfit);
    let lin = offergraph::curves::Linear::new(2.0, None).unwrap().into();
    p.add_module(Activity::new("tv", lin, 3.0).unwrap()).unwrap();
    assert_eq!(
        err(&p),
        "profit is unbounded: module 0 (\"tv\") returns more than it costs at any spend; set a budget or a maximum spend"
    );

    let mut p = Problem::new(Objective::TargetAverageRomi(6.0));
    p.add_module(module(exp(100.0, 50.0), 3.0).with_bounds(0.0, 1000.0).unwrap()).unwrap();
    assert_eq!(
        err(&p),
        "average romi target 6 is unreachable: the best overall romi any budget reaches is 5"
    );
}

#[test]
fn invalid_input_messages() {
    let e = Activity::new("search", exp(1.0, 1.0), f64::NAN).unwrap_err();
    assert_eq!(
        e.to_string(),
        "module \"search\": value_per_lead must be 0 or a number in [1e-6, 1e15], found NaN"
    );
    let e = module(exp(1.0, 1.0), 1.0).with_bounds(-1.0, 5.0).unwrap_err();
    assert_eq!(e.to_string(), "module \"m\": lo must be 0 or a number in [1e-6, 1e15], found -1");
    let e = module(exp(1.0, 1.0), 1.0).with_bounds(6.0, 5.0).unwrap_err();
    assert_eq!(e.to_string(), "module \"m\": minimum spend 6 is above maximum 5; set lo <= hi");
    let e = module(exp(1.0, 1.0), 1.0).with_deal_rate(1.5).unwrap_err();
    assert_eq!(e.to_string(), "module \"m\": deal_rate must be 0 or a number in [1e-9, 1], found 1.5");
    let mut p = Problem::new(Objective::MaxProfit);
    p.add_module(module(exp(1.0, 1.0), 1.0)).unwrap();
    p.add_module(module(exp(1.0, 1.0), 1.0)).unwrap();
    p.add_group(Group::new("a", vec![0, 1])).unwrap();
    // overlapping groups and several capacities are accepted
    p.add_group(Group::new("b", vec![1])).unwrap();
    p.add_capacity(Capacity::new("t", vec![0], Measure::Leads, 1.0)).unwrap();
    p.add_capacity(Capacity::new("u", vec![0], Measure::Leads, 1.0)).unwrap();
    let e = p.set_objective(Objective::TargetMarginalRomi(-2.0)).unwrap_err();
    assert_eq!(e.to_string(), "romi target must be a number in [-0.999999, 1e6], found -2");
}

/// Solve options out of range are refused by every solve, never changed behind the caller's
/// back (a tolerance of 0 was raised to 1e-12, a node limit of 0 to 1).
#[test]
fn solve_options_out_of_range_are_refused() {
    let p = problem(Objective::MaxProfit, Some(Budget::at_most(100.0)), [module(exp(100.0, 50.0), 2.0)]);
    for (options, message) in [
        (SolveOptions::new().with_tolerance(0.0), "tolerance must be a number in [1e-12, 1], found 0"),
        (SolveOptions::new().with_tolerance(f64::NAN), "tolerance must be a number in [1e-12, 1], found NaN"),
        (SolveOptions::new().with_tolerance(2.0), "tolerance must be a number in [1e-12, 1], found 2"),
        (SolveOptions::new().with_max_nodes(0), "max_nodes must be a whole number of at least 1, found 0"),
    ] {
        assert_eq!(p.solve(options).unwrap_err().to_string(), message);
        let kkt = offergraph::optimize::Solver::solve_from(&offergraph::optimize::Kkt, &p, options, None);
        assert_eq!(kkt.unwrap_err().to_string(), message);
    }
    // The extremes of the range are accepted.
    for options in
        [SolveOptions::new().with_tolerance(1e-12), SolveOptions::new().with_tolerance(1.0).with_max_nodes(1)]
    {
        assert!(p.solve(options).is_ok());
    }
}

#[test]
fn problem_file_errors() {
    let e = ProblemFile::from_json("{").unwrap_err();
    assert_eq!(e.to_string(), "invalid problem file at line 1, column 1: EOF while parsing an object");
    // A bad curve tag, as a plan file's errors give it: line 3 is `"curve": {"type": "cubic", …`
    // (the string's continuation drops the indent) and column 25 ends the tag.
    let e = ProblemFile::from_json(
        "{\"format\": \"allocation-problem/v2\", \"id\": \"x\", \"objective\": {\"kind\": \"max_profit\"},\n\
         \"modules\": [{\"name\": \"a\", \"value_per_lead\": 1.0,\n\
         \"curve\": {\"type\": \"cubic\", \"L\": 1.0}}]}",
    )
    .unwrap_err();
    let offergraph::error::OptimizeError::FileJson { line, column, message } = &e else { panic!("{e:?}") };
    assert_eq!((*line, *column), (3, 25), "{e}");
    assert!(message.starts_with("unknown variant `cubic`"), "{message}");
    let e = ProblemFile::from_json(
        r#"{"format": "v2", "id": "x", "objective": "max_profit",
        "constraints": {"budget": 1.0, "budget_type": "le"}, "modules": []}"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "problem file: unsupported format \"v2\", expected \"allocation-problem/v2\" or \"allocation-problem/v1\""
    );
    let f = ProblemFile::from_json(r#"{"format": "allocation-problem/v1", "id": "x", "objective": "max_profit",
        "constraints": {"budget": 1.0, "budget_type": "le"},
        "modules": [{"name": "a", "curve": {"type": "hill", "L": -1, "k": 1, "a": 2}, "value_per_lead": 1, "lo": 0, "hi": 1}]}"#)
    .unwrap();
    assert_eq!(
        f.to_problem().unwrap_err().to_string(),
        "problem file, module 0 (\"a\"): hill parameter `L` must be a number in [1e-6, 1e12], found -1"
    );
}

#[test]
fn an_infeasible_set_names_the_limits_at_which_it_holds() {
    // r(s) = 100·(1 − e^(−s/500)) per module, s ≤ 1000, the budget of 1000 spent exactly: the
    // fewest leads it can bring is all of it on one module, r(1000) = 100·(1 − e^(−2)) ≈ 86.47,
    // above the desk's 80. The desk holds from 86.47 on; the budget from r(B) = 80, that is
    // B = 500·ln 5 ≈ 804.72, down (a larger budget brings more leads).
    let m =
        |name: &str| Activity::new(name, exp(100.0, 500.0), 10.0).unwrap().with_bounds(0.0, 1000.0).unwrap();
    let mut p = Problem::new(Objective::MaxProfit);
    p.add_module(m("a")).unwrap();
    p.add_module(m("b")).unwrap();
    p.set_budget(Budget::exactly(1000.0)).unwrap();
    p.add_capacity(Capacity::new("desk", vec![0, 1], Measure::Leads, 80.0)).unwrap();
    let e = p.solve(SolveOptions::new()).unwrap_err();
    let offergraph::error::OptimizeError::Infeasible { constraints, feasible_at, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(constraints, &["the budget (1000, spent exactly)", "capacity \"desk\" (80 leads)"]);
    let budget = feasible_at[0].expect("found");
    assert!(budget <= 500.0 * 5f64.ln() && budget >= 500.0 * 5f64.ln() * (1.0 - 1e-3), "{budget}");
    // 86.466… rounded up to four digits
    assert_eq!(feasible_at[1], Some(86.47));
    let msg = e.to_string();
    assert!(
        msg.starts_with("the budget (1000, spent exactly) and capacity \"desk\" (80 leads) cannot both hold"),
        "{msg}"
    );
    assert!(
        msg.contains(
            "any one of these changes would let the others hold: the budget (1000, spent exactly) at 804."
        ),
        "{msg}"
    );
    assert!(msg.ends_with(", capacity \"desk\" (80 leads) at 86.47"), "{msg}");
}
