//! Checkers for optimizer results: what every answer must satisfy whatever the objective —
//! bounds, groups, capacities, the budget's kind and the certificate.

use crate::curves::Curve;
use crate::numerics::tol;
use crate::optimize::{BudgetKind, Problem, Solution, Status};
use crate::testing::Violation;
use crate::{OptimizePolicy, Plan, PlanOptimum};

/// `x ≤ limit`, up to `rel` of the limit's magnitude (at least 1).
fn within(x: f64, limit: f64, rel: f64) -> bool {
    x <= limit + rel * limit.abs().max(1.0)
}

/// Checks a solution against the problem it solves: one spend per module, each within its
/// bounds (0 when switched off); each group's total within its cap and floor; each capacity's
/// leads or deals within its limit; the budget spent exactly or not exceeded, by its kind; and
/// the certificate — the upper bound is not below the objective, and an `optimal` answer is
/// within the tolerance `rel` of it. Feasibility is checked to
/// [`tol::BUDGET_REL`] relative (money and capacities alike).
///
/// # Errors
/// The first [`Violation`] found.
///
/// ```
/// use offergraph::curves::Exponential;
/// use offergraph::optimize::{Activity, Budget, Capacity, Measure, Objective, Problem, SolveOptions};
/// use offergraph::testing::check_solution;
/// let mut p = Problem::new(Objective::MaxProfit);
/// p.set_budget(Budget::at_most(1_000.0))?;
/// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
/// p.add_capacity(Capacity::new("desk", vec![0], Measure::Leads, 40.0))?;
/// let s = p.solve(SolveOptions::new())?;
/// assert_eq!(check_solution(&p, &s, SolveOptions::DEFAULT_TOLERANCE), Ok(()));
/// let mut greedy = s.clone();
/// greedy.spend[0] = 900.0; // 100 leads: the desk takes 40
/// assert!(check_solution(&p, &greedy, SolveOptions::DEFAULT_TOLERANCE).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_solution(problem: &Problem, solution: &Solution, rel: f64) -> Result<(), Violation> {
    let x = &solution.spend;
    if x.len() != problem.modules.len() {
        return Err(Violation::Misaligned);
    }
    for (m, &s) in problem.modules.iter().zip(x) {
        let (lo, hi) = m.effective_bounds();
        if !(s.is_finite() && within(lo, s, tol::BUDGET_REL) && within(s, hi, tol::BUDGET_REL)) {
            return Err(Violation::OutOfBounds { module: m.name().to_owned(), spend: s, min: lo, max: hi });
        }
    }
    let spent: f64 = x.iter().sum();
    let budget = problem.budget.map(|b| b.amount);
    if let Some(b) = problem.budget {
        let ok = match b.kind {
            BudgetKind::Exactly => tol::approx_eq(spent, b.amount, tol::BUDGET_REL),
            _ => within(spent, b.amount, tol::BUDGET_REL),
        };
        if !ok {
            let kind = if b.kind == BudgetKind::Exactly { "to be spent exactly" } else { "an upper limit" };
            return Err(Violation::BudgetKind { spent, budget: b.amount, kind });
        }
    }
    for g in &problem.groups {
        let total: f64 = g.members.iter().map(|&i| x[i]).sum();
        if let Some(cap) = g.cap.map(|c| c.resolve(budget)).filter(|&c| !within(total, c, tol::BUDGET_REL)) {
            return Err(Violation::Group { group: g.name.clone(), spent: total, bound: "cap", limit: cap });
        }
        if let Some(floor) =
            g.floor.map(|f| f.resolve(budget)).filter(|&f| !within(f, total, tol::BUDGET_REL))
        {
            return Err(Violation::Group {
                group: g.name.clone(),
                spent: total,
                bound: "floor",
                limit: floor,
            });
        }
    }
    for c in &problem.capacities {
        let used: f64 = c
            .members
            .iter()
            .map(|&i| problem.modules[i].weight(c.measure) * problem.modules[i].curve().leads(x[i]))
            .sum();
        if !within(used, c.limit, tol::BUDGET_REL) {
            return Err(Violation::Capacity { capacity: c.name.clone(), used, limit: c.limit });
        }
    }
    let scale = solution.objective.abs().max(1.0);
    let bound_holds = solution.upper_bound >= solution.objective - tol::BUDGET_REL * scale;
    let closed =
        solution.status != Status::Optimal || solution.gap() <= rel * scale * (1.0 + tol::BUDGET_REL);
    if !(bound_holds && closed) {
        return Err(Violation::Certificate {
            objective: solution.objective,
            upper_bound: solution.upper_bound,
            status: solution.status.name(),
            tolerance: rel,
        });
    }
    Ok(())
}

/// Checks a plan's optimum under `policy` ([`check_solution`] on the policy's problem, with its
/// solver tolerance) and that its allocation is the solution's spend on active modules and
/// nothing on the others. Unlike [`check_allocation`](crate::testing::check_allocation), it
/// accepts an optimum that leaves budget unspent when the policy's budget is an upper limit.
///
/// # Errors
/// The first [`Violation`] found; [`Violation::Misaligned`] when the policy no longer builds a
/// problem for the plan or the optimum is of another version of it.
///
/// ```
/// use offergraph::optimize::{Limit, Measure, Objective};
/// use offergraph::testing::check_optimum;
/// use offergraph::{GroupBy, OptimizePolicy, PartKind, Selector};
/// let plan = offergraph::sample::apartments()?;
/// let policy = OptimizePolicy::new(Objective::MaxProfit)
///     .with_capacity("desk", None, Measure::Leads, 30.0)
///     .with_cap(Selector::new(GroupBy::Part(PartKind::Channel), "search"), Limit::Share(0.3));
/// let best = plan.optimize(&policy)?;
/// assert_eq!(check_optimum(&plan, &policy, &best), Ok(()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_optimum(plan: &Plan, policy: &OptimizePolicy, optimum: &PlanOptimum) -> Result<(), Violation> {
    let problem = policy.problem(plan).map_err(|_| Violation::Misaligned)?;
    optimum.allocation().check(plan).map_err(|_| Violation::Misaligned)?;
    check_solution(&problem, optimum.solution(), policy.options.tolerance())?;
    for ((m, &a), &s) in plan.modules().zip(optimum.allocation().spend()).zip(&optimum.solution().spend) {
        let expected = if m.is_active() { s } else { 0.0 };
        if a.to_bits() != expected.to_bits() {
            return Err(Violation::Formula {
                module: m.key().to_owned(),
                figure: "spend",
                found: a,
                expected,
            });
        }
    }
    Ok(())
}
