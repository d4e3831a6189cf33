//! Allocation solver: known answers and messages, brute-force checks, properties, the general
//! constraints (overlapping groups, several capacities) and disjoint capacities.

mod brute_force;
mod disjoint;
mod files;
mod general;
mod known_answers;
mod properties;

use crate::common::{Lcg, close_to};
use offergraph::curves::{Exponential, Hill, ResponseCurve};
use offergraph::file::ProblemFile;
use offergraph::optimize::{
    Activity, Budget, Capacity, Group, Limit, Measure, Objective, Problem, Solution, SolveOptions,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

pub(super) fn exp(l: f64, k: f64) -> ResponseCurve {
    Exponential::new(l, k).unwrap().into()
}
pub(super) fn hill(l: f64, k: f64, a: f64) -> ResponseCurve {
    Hill::new(l, k, a).unwrap().into()
}
pub(super) fn module(c: ResponseCurve, v: f64) -> Activity {
    Activity::new("m", c, v).unwrap()
}

pub(super) fn any_concave() -> impl Strategy<Value = ResponseCurve> {
    prop_oneof![
        (10.0..1000.0f64, 10.0..1000.0f64).prop_map(|(l, k)| exp(l, k)),
        (10.0..1000.0f64, 10.0..1000.0f64, 0.3..1.0f64).prop_map(|(l, k, a)| hill(l, k, a)),
    ]
}

pub(super) fn any_s_curve() -> impl Strategy<Value = ResponseCurve> {
    prop_oneof![
        (10.0..1000.0f64, 10.0..1000.0f64).prop_map(|(l, k)| exp(l, k)),
        (10.0..1000.0f64, 10.0..1000.0f64, 1.2..4.0f64).prop_map(|(l, k, a)| hill(l, k, a)),
    ]
}

/// Modules `(curve, v, lo, hi)` with `lo ≤ hi` by construction.
pub(super) fn modules(
    curve: impl Strategy<Value = ResponseCurve>,
) -> impl Strategy<Value = Vec<(ResponseCurve, f64, f64, f64)>> {
    prop::collection::vec(
        (curve, 0.5..20.0f64, 0.0..1.0f64, 0.05..1.0f64, 200.0..3000.0f64).prop_map(
            |(c, v, lo_share, hi_share, scale)| {
                let hi = hi_share * scale;
                (c, v, lo_share * 0.2 * hi, hi)
            },
        ),
        2..8,
    )
}

/// A problem under `objective`, with `budget` when given, and these modules in order.
pub(super) fn problem(
    objective: Objective,
    budget: Option<Budget>,
    modules: impl IntoIterator<Item = Activity>,
) -> Problem {
    let mut p = Problem::new(objective);
    if let Some(b) = budget {
        p.set_budget(b).unwrap();
    }
    for m in modules {
        p.add_module(m).unwrap();
    }
    p
}

/// Two identical modules `r = 100·(1 − e^(−s/50))`, `v = 3`, for max profit with at most
/// `budget` to spend.
pub(super) fn twins(budget: f64) -> Problem {
    let twin = || module(exp(100.0, 50.0), 3.0);
    problem(Objective::MaxProfit, Some(Budget::at_most(budget)), [twin(), twin()])
}

pub(super) fn build(
    mods: &[(ResponseCurve, f64, f64, f64)],
    objective: Objective,
    budget: Option<Budget>,
) -> Problem {
    problem(
        objective,
        budget,
        mods.iter().map(|(c, v, lo, hi)| module(c.clone(), *v).with_bounds(*lo, *hi).unwrap()),
    )
}

pub(super) fn feasible_budget(mods: &[(ResponseCurve, f64, f64, f64)], share: f64) -> f64 {
    let lo: f64 = mods.iter().map(|m| m.2).sum();
    let hi: f64 = mods.iter().map(|m| m.3).sum();
    lo + share * (hi - lo)
}

/// The solution spends all of the budget `b` when `exact` (to 1e-9), else at most `b` (to
/// `slack`), and keeps every module within its bounds.
pub(super) fn spends_within(
    s: &Solution,
    mods: &[(ResponseCurve, f64, f64, f64)],
    b: f64,
    exact: bool,
    slack: f64,
) -> Result<(), TestCaseError> {
    let total = s.total_spend();
    if exact {
        prop_assert!(close_to(total, b, 1e-9), "total {total} budget {b}");
    } else {
        prop_assert!(total <= b * (1.0 + slack), "total {total} budget {b}");
    }
    for (x, m) in s.spend.iter().zip(mods) {
        prop_assert!(*x >= m.2 && *x <= m.3, "{x} outside [{}, {}]", m.2, m.3);
    }
    Ok(())
}

/// Objective value recomputed from the allocation.
pub(super) fn value_of(p: &Problem, x: &[f64], cost: f64, w: impl Fn(&Activity) -> f64) -> f64 {
    use offergraph::curves::Curve;
    p.modules().iter().zip(x).map(|(m, &s)| w(m) * m.curve().leads(s) - cost * s).sum()
}

pub(super) fn err(p: &Problem) -> String {
    p.solve(SolveOptions::new()).unwrap_err().to_string()
}
