//! Proptest strategies and invariant checkers, for your own test suites and ours.
//!
//! Strategies build only valid values (ranges are mapped, not filtered), and plans stay small so
//! shrinking is fast. Checkers return a typed [`Violation`] naming the module and the numbers.
//!
//! # Example
//! ```
//! use offergraph::testing::{check_allocation, check_evaluation, plans};
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! runner.run(&plans(6), |plan| {
//!     if let Ok(alloc) = plan.allocate() {
//!         check_allocation(&plan, &alloc).map_err(|v| TestCaseError::fail(v.to_string()))?;
//!         let eval = plan.evaluate_allocation(&alloc).map_err(|e| TestCaseError::fail(e.to_string()))?;
//!         check_evaluation(&plan, &eval).map_err(|v| TestCaseError::fail(v.to_string()))?;
//!     }
//!     Ok(())
//! })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use proptest::prelude::*;

use crate::curves::{
    Curve, Exponential, Hill, Linear, Logistic, MichaelisMenten, PiecewiseLinear, ResponseCurve, RisingCpl,
};
use crate::numerics::tol;
use crate::{
    Allocation, BudgetRule, Channel, Evaluation, ModuleSpec, Money, Offer, PartKind, Plan, Segment, Share,
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

/// One budget rule: mostly weights, sometimes bounded, sometimes a small fixed amount.
fn rules(budget: f64, n: usize) -> impl Strategy<Value = BudgetRule> {
    let small = budget / (2.0 * n as f64);
    prop_oneof![
        4 => (0.1..10.0f64).prop_map(BudgetRule::weight),
        2 => (0.1..10.0f64, prop_oneof![Just(0.0), 0.01..1.0f64], 1.0..4.0f64)
            .prop_map(move |(w, lo, hi)| BudgetRule::weight(w).with_min(lo * small).with_max(hi * small * 2.0 + budget)),
        1 => prop_oneof![Just(0.0), 0.01..1.0f64].prop_map(move |f| BudgetRule::fixed(f * small)),
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
                (0..3usize, 0..2usize, 0..2usize, 0..channels.len(), rules(budget, n), any::<bool>());
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

/// One edit of a plan's switches, for toggle-sequence properties.
///
/// ```
/// use offergraph::testing::Op;
/// # let mut plan = offergraph::sample::apartments()?;
/// Op::Module { index: 3, on: false }.apply(&mut plan);
/// assert!(!plan.module("investors/yield/1-room/outdoor")?.is_active());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    /// Switch the module at `index % module_count` on or off.
    Module {
        /// Position (taken modulo the number of modules).
        index: usize,
        /// New state.
        on: bool,
    },
    /// Switch the part of `kind` at `index % count` on or off.
    Part {
        /// Kind of part.
        kind: PartKind,
        /// Position (taken modulo the number of parts of that kind).
        index: usize,
        /// New state.
        on: bool,
    },
}

impl Op {
    /// Applies the edit; does nothing on an empty plan.
    ///
    /// ```
    /// use offergraph::{testing::Op, PartKind};
    /// # let mut plan = offergraph::sample::apartments()?;
    /// Op::Part { kind: PartKind::Channel, index: 0, on: false }.apply(&mut plan);
    /// assert!(!plan.is_part_enabled(PartKind::Channel, "search")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&self, plan: &mut Plan) {
        match *self {
            Op::Module { index, on } => {
                let key = plan.modules().nth(index % plan.module_count().max(1)).map(|m| m.key().to_owned());
                if let Some(k) = key {
                    // The key was just read from the plan, so it exists.
                    let _ = plan.set_module_enabled(&k, on);
                }
            }
            Op::Part { kind, index, on } => {
                let keys: Vec<String> = match kind {
                    PartKind::Segment => plan.parts::<Segment>().map(|p| p.key().to_owned()).collect(),
                    PartKind::Proposition => {
                        plan.parts::<ValueProposition>().map(|p| p.key().to_owned()).collect()
                    }
                    PartKind::Offer => plan.parts::<Offer>().map(|p| p.key().to_owned()).collect(),
                    PartKind::Channel => plan.parts::<Channel>().map(|p| p.key().to_owned()).collect(),
                };
                if !keys.is_empty() {
                    let _ = plan.set_part_enabled(kind, &keys[index % keys.len()], on);
                }
            }
        }
    }
}

/// A sequence of up to `len` switch edits.
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// let mut runner = proptest::test_runner::TestRunner::deterministic();
/// let ops = offergraph::testing::ops(4).new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// assert!(ops.len() <= 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ops(len: usize) -> impl Strategy<Value = Vec<Op>> {
    let kind = prop_oneof![
        Just(PartKind::Segment),
        Just(PartKind::Proposition),
        Just(PartKind::Offer),
        Just(PartKind::Channel)
    ];
    let op = prop_oneof![
        (any::<usize>(), any::<bool>()).prop_map(|(index, on)| Op::Module { index, on }),
        (kind, any::<usize>(), any::<bool>()).prop_map(|(kind, index, on)| Op::Part { kind, index, on }),
    ];
    proptest::collection::vec(op, 0..=len)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Budget conservation and formulas hold after any sequence of toggles.
        #[test]
        fn toggles_conserve_budget((plan, edits) in (plans(8), ops(6))) {
            let mut plan = plan;
            for op in &edits {
                op.apply(&mut plan);
                if let Ok(alloc) = plan.allocate() {
                    prop_assert_eq!(check_allocation(&plan, &alloc), Ok(()));
                    let eval = plan.evaluate_allocation(&alloc).expect("aligned");
                    prop_assert_eq!(check_evaluation(&plan, &eval), Ok(()));
                    prop_assert!(eval.total().spend <= plan.budget().get() * (1.0 + tol::BUDGET_REL));
                }
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
}
