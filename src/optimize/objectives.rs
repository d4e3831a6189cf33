//! Every objective reduced to maximisations: maximum profit and target marginal ROMI directly,
//! maximum value for a budget, minimum spend for a target (a search on the budget), target
//! average ROMI (a search on the budget for the ROMI).

use super::envelope::Env;
use super::options::SolveOptions;
use super::problem::{BudgetKind, Measure, Problem};
use super::relax::Relaxation;
use super::run::{MaxOut, run_max, to_solution};
use super::solution::Solution;
use crate::curves::Curve;
use crate::error::OptimizeError;
use crate::numerics::tol;

fn budget_of(b: Option<super::problem::Budget>) -> Option<(f64, bool)> {
    b.map(|b| (b.amount, b.kind == BudgetKind::Exactly))
}

pub(super) fn solve_max(
    problem: &Problem,
    measure: Measure,
    c: f64,
    budget: Option<super::problem::Budget>,
    options: SolveOptions,
    previous: Option<&Solution>,
) -> Result<Solution, OptimizeError> {
    // with capacities, a fixed budget that may be underspent starts from the max-profit answer:
    // it meets every constraint, and where the bound cannot be closed the answer is at least
    // as good as it
    let seeded;
    let previous = match (previous, budget) {
        (None, Some(b)) if c == 0.0 && b.kind == BudgetKind::AtMost && !problem.capacities.is_empty() => {
            seeded = run_max(problem, Measure::GrossProfit, 1.0, budget_of(budget), options, None)
                .map(|(out, rx)| to_solution(problem, &rx, &out, out.bb.value, out.bb.bound))
                .ok();
            seeded.as_ref()
        }
        _ => previous,
    };
    let (out, rx) = run_max(problem, measure, c, budget_of(budget), options, previous)?;
    let mut s = to_solution(problem, &rx, &out, out.bb.value, out.bb.bound);
    // the slope only means something where the budget binds: a price above the cost, or an
    // exact budget
    let binds = rx.core.budget.is_some_and(|(_, exact)| exact || out.bb.at.p > rx.core.c);
    if binds && out.bb.at.dtdp < 0.0 && out.bb.at.dtdp.is_finite() {
        s.budget_multiplier_slope = Some(1.0 / out.bb.at.dtdp);
    }
    Ok(s)
}

/// Smallest budget whose best value reaches the target, by bisection on the budget.
pub(super) fn min_spend(
    problem: &Problem,
    measure: Measure,
    target: f64,
    options: SolveOptions,
    previous: Option<&Solution>,
) -> Result<Solution, OptimizeError> {
    let lo0: f64 = problem.modules.iter().map(|m| m.effective_bounds().0).sum();
    let mut hi: f64 = problem.modules.iter().map(|m| m.effective_bounds().1).sum();
    if let Some(b) = problem.budget {
        hi = hi.min(b.amount);
    }
    let solve_at = |b: f64, prev: Option<&Solution>| -> Result<(MaxOut, f64), OptimizeError> {
        let (out, _) = run_max(problem, measure, 0.0, Some((b, false)), options, prev)?;
        let v = out.bb.value;
        Ok((out, v))
    };
    if hi.is_infinite() {
        hi = lo0.max(1.0);
        for _ in 0..tol::BUDGET_DOUBLINGS {
            let (_, v) = solve_at(hi, previous)?;
            if v >= target {
                break;
            }
            hi *= 2.0;
        }
    }
    let (mut best, vhi) = solve_at(hi, previous)?;
    if vhi < target {
        return Err(OptimizeError::TargetUnreachable { measure: measure.name(), target, reachable: vhi });
    }
    let mut lo = lo0;
    let mut lower_bound = lo0;
    let (o0, v0) = solve_at(lo, previous)?;
    if v0 >= target {
        best = o0;
        hi = lo;
    } else if o0.bb.bound < target {
        lower_bound = lo;
    }
    for _ in 0..tol::MAX_SCALAR_ITERS {
        if hi - lo <= tol::BUDGET_REL * tol::BUDGET_SEARCH_REL * hi.max(1.0) {
            break;
        }
        let mid = 0.5 * (lo + hi);
        let (o, v) = solve_at(mid, None)?;
        if v >= target {
            hi = mid;
            best = o;
        } else {
            if o.bb.bound < target {
                lower_bound = lower_bound.max(mid);
            }
            lo = mid;
        }
    }
    let (_, rx) = run_max(problem, measure, 0.0, Some((hi, false)), options, None)?;
    let spend: f64 = best.bb.at.x.iter().sum();
    Ok(to_solution(problem, &rx, &best, -spend, -lower_bound))
}

/// Largest budget whose overall ROMI meets the target (bisection on the budget).
pub(super) fn average_romi(
    problem: &Problem,
    t: f64,
    options: SolveOptions,
    previous: Option<&Solution>,
) -> Result<Solution, OptimizeError> {
    let cap = problem.budget.map(|b| b.amount);
    let (peak, _) =
        run_max(problem, Measure::GrossProfit, 1.0 + t, cap.map(|b| (b, false)), options, previous)?;
    let b_peak: f64 = peak.bb.at.x.iter().sum();
    let gp_of = |x: &[f64]| -> f64 {
        problem.modules.iter().zip(x).map(|(m, &s)| m.value_per_lead * m.curve.leads(s)).sum()
    };
    let romi = |gp: f64, b: f64| if b > 0.0 { gp / b - 1.0 } else { f64::INFINITY };
    let gp_peak = gp_of(&peak.bb.at.x);
    if b_peak <= 0.0 || romi(gp_peak, b_peak) < t {
        // With every minimum at 0, overall ROMI is at most the best single module's
        // `v·sup r(s)/s − 1` (a ratio of sums is at most the largest ratio), and a small spend on
        // that module alone attains it: `r'(0)` for a concave curve, the chord to the tangent
        // point for an S-curve.
        let free = problem.modules.iter().all(|m| m.effective_bounds().0 <= 0.0);
        let best = if free {
            problem
                .modules
                .iter()
                .filter(|m| m.effective_bounds().1 > 0.0)
                .map(|m| {
                    let u = m.effective_bounds().1;
                    let e = Env::new(&m.curve, m.fast, 0.0, u);
                    let ratio = if e.tau > e.l { e.sigma } else { m.curve.derivative(0.0) };
                    m.value_per_lead * ratio - 1.0
                })
                .fold(-1.0, f64::max)
        } else if b_peak > 0.0 {
            romi(gp_peak, b_peak)
        } else {
            -1.0
        };
        return Err(OptimizeError::RomiUnreachable { target: t, best });
    }
    let mut bmax: f64 = problem.modules.iter().map(|m| m.effective_bounds().1).sum();
    if let Some(b) = cap {
        bmax = bmax.min(b);
    }
    let solve_at = |b: f64| run_max(problem, Measure::GrossProfit, 0.0, Some((b, true)), options, None);
    let finish = |out: MaxOut, rx: Relaxation, b: f64| {
        let gp = gp_of(&out.bb.at.x);
        let ub = out.bb.bound - b;
        to_solution(problem, &rx, &out, gp - b, ub)
    };
    if bmax.is_finite() {
        let (o, rx) = solve_at(bmax)?;
        if romi(gp_of(&o.bb.at.x), bmax) >= t {
            return Ok(finish(o, rx, bmax));
        }
    }
    let mut lo = b_peak;
    let mut hi = if bmax.is_finite() { bmax } else { b_peak.max(1.0) * 2.0 };
    if !bmax.is_finite() {
        for _ in 0..tol::BUDGET_DOUBLINGS {
            let (o, _) = solve_at(hi)?;
            if romi(gp_of(&o.bb.at.x), hi) < t {
                break;
            }
            lo = hi;
            hi *= 2.0;
        }
    }
    for _ in 0..tol::MAX_SCALAR_ITERS {
        if hi - lo <= tol::BUDGET_REL * tol::BUDGET_SEARCH_REL * hi {
            break;
        }
        let mid = 0.5 * (lo + hi);
        let (o, _) = solve_at(mid)?;
        if romi(gp_of(&o.bb.at.x), mid) >= t {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let (o, rx) = solve_at(lo)?;
    Ok(finish(o, rx, lo))
}
