//! Proptest strategies and invariant checkers, for your own test suites and ours.
//!
//! Strategies build only valid values (ranges are mapped, not filtered), and plans stay small so
//! shrinking is fast. Checkers return a typed [`Violation`] naming the module and the numbers.
//!
//! A failing property prints its counterexample readably: a plan prints as its plan file (load
//! it with `Plan::from_json` to replay), and an [`Op`] as what it does (`switch off channel
//! "c1"`). A [`Violation`] is an error, so `?` turns it into proptest's `TestCaseError` (through
//! proptest's `From` for every error type, with the violation's message). The kit is built
//! with the proptest it re-exports ([`proptest`](mod@proptest)), so your strategies and ours
//! always agree on the version.
//!
//! # Example
//! ```
//! use offergraph::testing::proptest::prelude::*;
//! use offergraph::testing::proptest::test_runner::TestRunner;
//! use offergraph::testing::{check_allocation, check_evaluation, plans};
//!
//! let mut runner = TestRunner::deterministic();
//! runner.run(&plans(6), |plan| {
//!     if let Ok(alloc) = plan.allocate() {
//!         check_allocation(&plan, &alloc)?;
//!         let eval = plan.evaluate_allocation(&alloc).map_err(|e| TestCaseError::fail(e.to_string()))?;
//!         check_evaluation(&plan, &eval)?;
//!     }
//!     Ok(())
//! })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod ops;
mod optimum;
mod strategies;

pub use ops::{Op, ops, plans_with_ops};
pub use optimum::{check_optimum, check_solution};
/// The proptest this kit is built with: use it for your own strategies so the versions agree.
pub use proptest;
pub use strategies::{budget_rules, lags, policies, teams, time_models};

use proptest::prelude::*;

use crate::curves::{
    Curve, Exponential, Hill, Linear, Logistic, MichaelisMenten, PiecewiseLinear, ResponseCurve, RisingCpl,
};
use crate::numerics::tol;
use crate::{
    Allocation, BudgetRule, Channel, Evaluation, ModuleSpec, Money, Offer, Plan, Segment, Share,
    ValueProposition,
};

/// A broken invariant.
///
/// ```
/// let v = offergraph::testing::Violation::BudgetNotConserved { spent: 90.0, budget: 100.0 };
/// assert_eq!(v.to_string(), "allocation spends 90, the budget is 100");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// The allocation does not spend the budget.
    #[error("allocation spends {spent}, the budget is {budget}")]
    BudgetNotConserved {
        /// Total spend.
        spent: f64,
        /// The budget.
        budget: f64,
    },
    /// A module's spend breaks its rule.
    #[error("module \"{module}\" spends {spend}, its rule allows [{min}, {max}]")]
    OutOfBounds {
        /// Module key.
        module: String,
        /// Its spend.
        spend: f64,
        /// Lower bound (the fixed amount for fixed modules).
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// An inactive module got money.
    #[error("inactive module \"{module}\" spends {spend}")]
    SpendOnInactive {
        /// Module key.
        module: String,
        /// Its spend.
        spend: f64,
    },
    /// The allocation or evaluation does not line up with the plan.
    #[error("allocation or evaluation does not line up with the plan's modules")]
    Misaligned,
    /// A module's figure disagrees with its formula (`docs/model.md`, "Figures").
    #[error("module \"{module}\" {figure} is {found}, the formula gives {expected}")]
    Formula {
        /// Module key.
        module: String,
        /// Figure name.
        figure: &'static str,
        /// Value found.
        found: f64,
        /// Value by the formula.
        expected: f64,
    },
    /// A total is not the sum of the modules.
    #[error("total {figure} is {found}, the modules add up to {expected}")]
    Total {
        /// Figure name.
        figure: &'static str,
        /// Total found.
        found: f64,
        /// Sum of modules.
        expected: f64,
    },
    /// An optimum breaks the budget's kind: spends other than the budget when it must be spent
    /// exactly, or more than it when it is an upper limit.
    #[error("the optimum spends {spent}, the budget of {budget} is {kind}")]
    BudgetKind {
        /// Total spend.
        spent: f64,
        /// The budget.
        budget: f64,
        /// `"to be spent exactly"` or `"an upper limit"`.
        kind: &'static str,
    },
    /// A group's total spend is above its cap or below its floor.
    #[error("group {group} spends {spent}, its {bound} is {limit}")]
    Group {
        /// The group's name.
        group: String,
        /// Its members' total spend.
        spent: f64,
        /// `"cap"` or `"floor"`.
        bound: &'static str,
        /// The limit in money.
        limit: f64,
    },
    /// A capacity's measure is above its limit.
    #[error("capacity \"{capacity}\" takes {used}, its limit is {limit}")]
    Capacity {
        /// The capacity's name.
        capacity: String,
        /// Leads or deals of its members.
        used: f64,
        /// Its limit.
        limit: f64,
    },
    /// The certificate does not hold: the bound is below the objective, or an optimal answer's
    /// gap is above the tolerance.
    #[error(
        "certificate: objective {objective}, upper bound {upper_bound}, status {status}, tolerance {tolerance}"
    )]
    Certificate {
        /// The objective.
        objective: f64,
        /// The bound.
        upper_bound: f64,
        /// The status's name.
        status: &'static str,
        /// The relative gap allowed for `optimal`.
        tolerance: f64,
    },
}

/// Checks an allocation made under [`BudgetPolicy::Rules`](crate::BudgetPolicy::Rules): aligned
/// with the plan, nothing on inactive modules, fixed amounts exact, weighted spends within bounds,
/// and the whole budget spent (to [`tol::BUDGET_REL`]).
///
/// # Errors
/// The first [`Violation`] found.
///
/// ```
/// # let plan = offergraph::sample::apartments()?;
/// let alloc = plan.allocate()?;
/// assert_eq!(offergraph::testing::check_allocation(&plan, &alloc), Ok(()));
/// let bad = offergraph::Allocation::from_spend(&plan, vec![1.0; 6])?;
/// assert!(offergraph::testing::check_allocation(&plan, &bad).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_allocation(plan: &Plan, alloc: &Allocation) -> Result<(), Violation> {
    alloc.check(plan).map_err(|_| Violation::Misaligned)?;
    let mut spent = 0.0;
    for (m, &s) in plan.modules().zip(alloc.spend()) {
        spent += s;
        if !m.is_active() {
            if s != 0.0 {
                return Err(Violation::SpendOnInactive { module: m.key().to_owned(), spend: s });
            }
            continue;
        }
        let rule = m.budget_rule();
        let (lo, hi) = match rule.share() {
            Share::Fixed(a) => (a, a),
            _ => (rule.min(), rule.max().unwrap_or(f64::INFINITY)),
        };
        if !(s.is_finite() && lo <= s && s <= hi) {
            return Err(Violation::OutOfBounds { module: m.key().to_owned(), spend: s, min: lo, max: hi });
        }
    }
    let budget = plan.budget().get();
    if !tol::approx_eq(spent, budget, tol::BUDGET_REL) {
        return Err(Violation::BudgetNotConserved { spent, budget });
    }
    Ok(())
}

/// Checks every module's figures against the formulas (`leads = r(s)`, `deals = leads·c`,
/// `revenue = deals·p`, `GP = revenue·m`, `r'(s)`, `v = c·p·m`) and that totals are the sums.
///
/// # Errors
/// The first [`Violation`] found.
///
/// ```
/// # let plan = offergraph::sample::apartments()?;
/// let eval = plan.evaluate()?;
/// assert_eq!(offergraph::testing::check_evaluation(&plan, &eval), Ok(()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_evaluation(plan: &Plan, eval: &Evaluation) -> Result<(), Violation> {
    eval.check(plan).map_err(|_| Violation::Misaligned)?;
    let mut sum = crate::Figures::default();
    for (m, f) in plan.modules().zip(eval.modules()) {
        let e = m.economics();
        let s = f.figures.spend;
        let leads = e.curve.leads(s);
        let deals = leads * e.conversion;
        let revenue = deals * e.deal_value;
        let checks = [
            ("leads", f.figures.leads, leads),
            ("deals", f.figures.deals, deals),
            ("revenue", f.figures.revenue, revenue),
            ("gross_profit", f.figures.gross_profit, revenue * e.margin),
            // An unbounded slope is reported as None; compare it as ∞.
            ("marginal_leads", f.marginal_leads().unwrap_or(f64::INFINITY), e.curve.derivative(s)),
            ("value_per_lead", f.value_per_lead, e.value_per_lead()),
        ];
        for (figure, found, expected) in checks {
            // Bitwise first: infinite derivatives (Hill with a < 1 at zero spend) must match too.
            let same =
                found.to_bits() == expected.to_bits() || tol::approx_eq(found, expected, tol::BUDGET_REL);
            if !same {
                return Err(Violation::Formula { module: m.key().to_owned(), figure, found, expected });
            }
        }
        sum += f.figures;
    }
    let t = eval.total();
    for (figure, found, expected) in [
        ("spend", t.spend, sum.spend),
        ("leads", t.leads, sum.leads),
        ("deals", t.deals, sum.deals),
        ("revenue", t.revenue, sum.revenue),
        ("gross_profit", t.gross_profit, sum.gross_profit),
    ] {
        if !tol::approx_eq(found, expected, tol::BUDGET_REL) {
            return Err(Violation::Total { figure, found, expected });
        }
    }
    Ok(())
}

/// Any valid response curve: every family, concave and S-shaped, with realistic scales
/// (saturation from 1 to 10 000 leads, half-saturation spend from 100 to 100 000).
///
/// ```
/// use offergraph::curves::Curve;
/// use proptest::strategy::{Strategy, ValueTree};
/// let mut runner = proptest::test_runner::TestRunner::deterministic();
/// let curve = offergraph::testing::curves().new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// assert_eq!(curve.leads(0.0), 0.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn curves() -> impl Strategy<Value = ResponseCurve> {
    let scale = 1.0..10_000.0f64;
    let half = 100.0..100_000.0f64;
    prop_oneof![
        (1.0..1_000.0f64, proptest::option::of(1.0..10_000.0f64))
            .prop_filter_map("valid", |(c, cap)| Linear::new(c, cap).ok().map(Into::into)),
        (scale.clone(), half.clone(), 0.3..4.0f64)
            .prop_filter_map("valid", |(l, k, a)| Hill::new(l, k, a).ok().map(Into::into)),
        (scale.clone(), half.clone())
            .prop_filter_map("valid", |(l, k)| Exponential::new(l, k).ok().map(Into::into)),
        (scale.clone(), half.clone())
            .prop_filter_map("valid", |(l, k)| Logistic::new(l, 1.0 / k).ok().map(Into::into)),
        (scale, half).prop_filter_map("valid", |(v, k)| MichaelisMenten::new(v, k).ok().map(Into::into)),
        (1.0..500.0f64, 1.0..1_000.0f64, 0.0..2.0f64)
            .prop_filter_map("valid", |(b, l0, beta)| RisingCpl::new(b, l0, beta).ok().map(Into::into)),
        proptest::collection::vec((1.0..10_000.0f64, 0.0..100.0f64), 1..5).prop_filter_map(
            "valid",
            |steps| {
                // Cumulative sums give increasing spend and non-decreasing leads.
                let (mut s, mut l) = (0.0, 0.0);
                let points = steps
                    .into_iter()
                    .map(|(ds, dl)| {
                        s += ds;
                        l += dl;
                        (s, l)
                    })
                    .collect();
                PiecewiseLinear::new(points).ok().map(Into::into)
            }
        ),
    ]
}

/// A random valid plan with up to `max_modules` modules (at least one), three segments (one
/// tagged per region), two propositions speaking to every segment, two offers, up to three
/// channels, and a budget up to one million. Modules are keyed `m0`, `m1`, … so the same parts may
/// be combined twice.
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// let mut runner = proptest::test_runner::TestRunner::deterministic();
/// let plan = offergraph::testing::plans(5).new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// assert!((1..=5).contains(&plan.module_count()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plans(max_modules: usize) -> impl Strategy<Value = Plan> {
    let max_modules = max_modules.max(1);
    (1_000.0..1_000_000.0f64, 1..=max_modules, proptest::collection::vec(curves(), 1..=3)).prop_flat_map(
        move |(budget, n, channels)| {
            let module =
                (0..3usize, 0..2usize, 0..2usize, 0..channels.len(), budget_rules(budget, n), any::<bool>());
            (
                Just(budget),
                Just(channels),
                proptest::collection::vec(module, n),
                // Rates below `ranges::RATE.min()` are refused, so draw from above it (or zero).
                proptest::collection::vec((prop_oneof![Just(0.0), 1e-3..0.5f64], 1e-3..2.0f64), 3),
            )
                .prop_map(|(budget, channels, modules, conv)| build(budget, &channels, &modules, &conv))
        },
    )
}

type ModuleDraw = (usize, usize, usize, usize, BudgetRule, bool);

fn build(budget: f64, channels: &[ResponseCurve], modules: &[ModuleDraw], conv: &[(f64, f64)]) -> Plan {
    let mut plan = Plan::new("random", Money::from_checked(budget));
    let segs = ["s0", "s1", "s2"];
    let regions = ["north", "south", "north"];
    // The generated values are valid by construction, so the `expect`s below cannot fire.
    for (i, key) in segs.iter().enumerate() {
        let seg = Segment::new(*key, 1_000.0 * (i + 1) as f64, conv[i].0).expect("valid segment");
        plan.add_part(seg.with_tag("region", regions[i])).expect("new key");
    }
    for (i, key) in ["v0", "v1"].iter().enumerate() {
        plan.add_part(ValueProposition::new(*key, 0.8 + 0.4 * i as f64, segs).expect("valid"))
            .expect("new key");
    }
    for (i, key) in ["o0", "o1"].iter().enumerate() {
        let factor = conv[i].1.min(1.0);
        plan.add_part(Offer::new(*key, 1_000.0 * (i + 1) as f64, 0.3, factor).expect("valid"))
            .expect("new key");
    }
    for (i, c) in channels.iter().enumerate() {
        plan.add_part(Channel::new(format!("c{i}"), c.clone(), 2_000.0).expect("valid")).expect("new key");
    }
    for (i, &(s, v, o, c, rule, on)) in modules.iter().enumerate() {
        let spec = ModuleSpec::new(segs[s], ["v0", "v1"][v], ["o0", "o1"][o], format!("c{c}"))
            .with_key(format!("m{i}"))
            .with_budget(rule)
            .with_enabled(on || i == 0);
        plan.add_module(spec).expect("valid module");
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, TestError, TestRunner};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Budget conservation and formulas hold after any sequence of toggles.
        #[test]
        fn toggles_conserve_budget((plan, edits) in plans_with_ops(8, 6)) {
            let mut plan = plan;
            for op in &edits {
                op.apply(&mut plan)?;
                if let Ok(alloc) = plan.allocate() {
                    check_allocation(&plan, &alloc)?;
                    let eval = plan.evaluate_allocation(&alloc).expect("aligned");
                    check_evaluation(&plan, &eval)?;
                    prop_assert!(eval.total().spend <= plan.budget().get() * (1.0 + tol::BUDGET_REL));
                }
            }
        }

        /// Every optimum of a random plan under a random policy passes the optimum checker.
        #[test]
        fn optima_pass_their_checker((plan, policy) in plans(5).prop_flat_map(|p| { let s = policies(&p); (Just(p), s) })) {
            // A policy may be infeasible for the plan (a capacity below fixed spends): that is
            // an error, not an answer to check.
            if let Ok(best) = plan.optimize(&policy) {
                check_optimum(&plan, &policy, &best)?;
            }
        }

        /// Generated time models are valid for their plan and evaluate.
        #[test]
        fn time_models_are_valid((plan, model) in plans(5).prop_flat_map(|p| { let m = time_models(&p, 6); (Just(p), m) })) {
            prop_assert_eq!(model.check(&plan), Ok(()));
            if plan.allocate().is_ok() {
                let eval = model.evaluate(&plan).expect("a valid model evaluates");
                prop_assert!(eval.periods() <= 6);
            }
        }
    }

    #[test]
    fn checkers_catch_broken_allocations() {
        let plan = crate::sample::apartments().expect("sample");
        let mut spend = plan.allocate().expect("feasible").spend().to_vec();
        spend[0] += 1.0;
        let alloc = Allocation::from_spend(&plan, spend).expect("valid spends");
        assert_eq!(
            check_allocation(&plan, &alloc),
            Err(Violation::BudgetNotConserved { spent: 60_001.0, budget: 60_000.0 })
        );
    }

    /// A counterexample prints as a plan file and its ops as keys (issue 12: it printed the
    /// plan's internals and ops as raw indices).
    #[test]
    fn counterexamples_print_as_a_plan_file_and_ops_as_keys() {
        let mut runner =
            TestRunner::new(Config { cases: 16, failure_persistence: None, ..Config::default() });
        let result = runner.run(&plans_with_ops(3, 3), |(_, ops)| {
            prop_assert!(ops.is_empty());
            Ok(())
        });
        let Err(TestError::Fail(_, (plan, ops))) = result else { panic!("the property fails: {result:?}") };
        let shown = format!("{:?}", (&plan, &ops));
        assert!(shown.contains("\"schema_version\": 3"), "{shown}");
        assert!(!shown.contains("hot") && !shown.contains("NodeIndex"), "{shown}");
        // Every op prints as what it does, naming a key of the plan.
        assert!(!ops.is_empty());
        for op in &ops {
            let shown = format!("{op:?}");
            let (what, key, on) = match op {
                Op::Module { key, on } => ("module", key, on),
                Op::Part { kind, key, on } => (kind.name(), key, on),
            };
            let state = if *on { "on" } else { "off" };
            assert_eq!(shown, format!("switch {state} {what} \"{key}\""));
            op.apply(&mut plan.clone()).expect("a key of the plan");
        }
        assert_eq!(crate::Plan::from_json(&format!("{plan:?}")).expect("loads").to_json(), plan.to_json());
    }

    /// The optimum checker catches what the allocation checker cannot judge.
    #[test]
    fn the_optimum_checker_catches_broken_capacities_and_budgets() {
        use crate::OptimizePolicy;
        use crate::optimize::{Measure, Objective};
        let plan = crate::sample::apartments().expect("sample");
        let policy =
            OptimizePolicy::new(Objective::MaxProfit).with_capacity("desk", None, Measure::Leads, 30.0);
        let best = plan.optimize(&policy).expect("solves");
        assert_eq!(check_optimum(&plan, &policy, &best), Ok(()));
        // A max-profit optimum under a capacity leaves budget unspent: not a broken rule here.
        assert!(best.allocation().total() < plan.budget().get());
        let problem = policy.problem(&plan).expect("builds");
        let mut greedy = best.solution().clone();
        greedy.spend = plan.allocate().expect("rules").spend().to_vec();
        let Err(Violation::Capacity { capacity, used, limit }) = check_solution(&problem, &greedy, 1e-6)
        else {
            panic!("the rule split oversells the desk")
        };
        assert_eq!((capacity.as_str(), limit), ("desk", 30.0));
        assert!(used > 30.0);
        let mut over = best.solution().clone();
        over.spend[0] += plan.budget().get();
        assert!(matches!(
            check_solution(&problem, &over, 1e-6),
            Err(Violation::BudgetKind { .. } | Violation::OutOfBounds { .. } | Violation::Capacity { .. })
        ));
        let mut loose = best.solution().clone();
        loose.upper_bound = loose.objective * 1.1;
        assert!(matches!(check_solution(&problem, &loose, 1e-6), Err(Violation::Certificate { .. })));
    }
}
