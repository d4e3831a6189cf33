//! The last step of the spatial branch and bound: Newton's method on the KKT system of the
//! constraints that bind at the incumbent. Branch and bound locates the optimum's region to the
//! gap tolerance; on that region the problem is smooth, so a few Newton steps make the answer
//! exact to rounding and give the shadow prices (multipliers) that hold it there.
//!
//! Unknowns: the spends of the modules strictly inside their bounds, and one multiplier per
//! binding row or capacity. Equations: stationarity `w_i·r_i' − c = Σ_a ν_a·∂g_a/∂s_i` per free
//! module and `g_a(s) = rhs_a` per binding constraint. The active set changes until Newton's
//! answer is a KKT point: a constraint it breaks joins, one whose multiplier has the wrong sign
//! leaves, a module held at a bound that its marginal pulls away is freed. The answer is kept
//! only when it is feasible and no worse; otherwise the incumbent stays and its multipliers
//! come from least squares on the stationarity equations.
//!
//! The polish also serves each new incumbent of the search, not only the last: an incumbent
//! with the optimum's modules on and off is polished to the optimum at once, and the search
//! prunes with it from then on.

use super::concave::Core;
use super::envelope::Env;
use super::general::{Gen, RowKind};
use crate::curves::{Curve, ResponseCurve};
use crate::numerics::{dense, tol};

/// The binding constraints and free modules at `x`.
struct Active {
    /// Indices into `Gen`'s multipliers: linear rows, then `rows.len() + k` for capacities.
    cons: Vec<usize>,
    free: Vec<usize>,
}

/// Polishes `x` in place when Newton's answer is better; returns the multipliers in the layout
/// of [`Gen`] (linear rows, then capacities).
///
/// Beyond [`tol::SPATIAL_MAX_MODULES`] modules Newton's dense KKT system would dominate the
/// solve: there `x` stays and the multipliers come from least squares.
pub(crate) fn polish(core: &Core, set: &Gen, env: &[Env], x: &mut Vec<f64>) -> Vec<f64> {
    if core.n() > tol::SPATIAL_MAX_MODULES {
        return multipliers(core, set, env, x);
    }
    // a repair may leave a constraint that binds at the optimum a little slack: when the
    // constraints that bind to rounding lead Newton nowhere better, those nearly binding join.
    // Both attempts share one budget of Newton steps: a polish that finds its KKT point mostly
    // does so within a few dozen, and one that does not would use every step it is given.
    let mut steps = tol::POLISH_STEP_BUDGET;
    if let Some(y) = attempt(core, set, env, x, tol::ACTIVE_REL, &mut steps)
        .or_else(|| attempt(core, set, env, x, tol::POLISH_NEARLY_ACTIVE, &mut steps))
    {
        return y;
    }
    // Newton found nothing better: the multipliers that explain `x` itself, from the constraints
    // that bind at `x` (not those the attempts above added)
    multipliers(core, set, env, x)
}

/// One polish from the active set at `x` with the constraints within `near` of their limits:
/// the multipliers when Newton's answer is feasible and no worse (then in `x`), else `None`.
fn attempt(
    core: &Core,
    set: &Gen,
    env: &[Env],
    x: &mut Vec<f64>,
    near: f64,
    steps: &mut usize,
) -> Option<Vec<f64>> {
    let act = near_bounds(env, x, active(core, set, env, x, near));
    let before = core.value(x);
    // the modules held at a bound sit exactly on it
    let mut start = x.clone();
    for (i, xi) in start.iter_mut().enumerate() {
        if act.free.binary_search(&i).is_err() {
            let e = &env[i];
            *xi = if *xi - e.l <= e.u - *xi { e.l } else { e.u };
        }
    }
    let (start0, free0) = (start.clone(), act.free.clone());
    let mut act = independent(core, set, &start, act);
    // a primal active set: a module Newton drives out of its box is held at that bound; a
    // constraint its answer breaks joins the binding ones (and the modules are freed again); a
    // constraint whose multiplier has the wrong sign leaves them, and a held module whose
    // marginal says it wants to move is freed, from Newton's answer (which meets every
    // constraint)
    // (`newton` fails at once when the step budget is spent)
    for _ in 0..2 * (x.len() + set.m()) {
        let nw = newton(core, set, env, &start, &act, steps);
        match nw {
            Ok((nx, nu)) => {
                let mut y = vec![0.0; set.m()];
                for (a, &j) in act.cons.iter().enumerate() {
                    y[j] = nu[a];
                }
                // a constraint left out of the active set is broken there: add it and retry
                let broken: Vec<usize> = (0..set.m())
                    .filter(|a| !act.cons.contains(a) && !satisfied(core, set, *a, &nx))
                    .collect();
                if !broken.is_empty() {
                    // the broken ones first, so a dependent older one gives way
                    let mut cons = broken;
                    cons.extend(act.cons.iter().copied());
                    start.clone_from(&start0);
                    act = independent(core, set, &start, Active { cons, free: free0.clone() });
                    continue;
                }
                let wrong = act
                    .cons
                    .iter()
                    .filter(|&&j| !free_row(set, j) && y[j] < 0.0)
                    .min_by(|&&a, &&b| y[a].total_cmp(&y[b]))
                    .copied();
                if let Some(j) = wrong {
                    let cons = act.cons.iter().copied().filter(|&a| a != j).collect();
                    start = nx;
                    act = Active { cons, free: act.free };
                    continue;
                }
                if let Some(i) = unheld(core, set, env, &nx, &y, &act) {
                    let mut free = act.free.clone();
                    free.push(i);
                    free.sort_unstable();
                    start = nx;
                    act = independent(core, set, &start, Active { cons: act.cons, free });
                    continue;
                }
                let after = core.value(&nx);
                if set.feasible(core, env, &nx)
                    && after >= before - tol::BOUND_MARGIN_REL * before.abs().max(1.0)
                {
                    *x = nx;
                    return Some(y);
                }
                break;
            }
            Err(Stuck::Blocked(i, end)) => {
                start[i] = end;
                let free = act.free.iter().copied().filter(|&j| j != i).collect();
                act = independent(core, set, &start, Active { cons: act.cons.clone(), free });
            }
            Err(Stuck::Failed) => break,
        }
    }
    None
}

/// `act` without the free modules within [`tol::POLISH_NEAR_BOUND`] of their box's width from
/// a bound: they start held there, and Newton's multipliers free those whose marginal pulls
/// them away ([`unheld`]). (A repair's proportional steps leave a module a hair inside the
/// bound it belongs at; Newton would creep there by fractions of its steps, and a free module
/// it cannot place can lead it to a far, worse stationary point.)
fn near_bounds(env: &[Env], x: &[f64], act: Active) -> Active {
    let free = act
        .free
        .iter()
        .copied()
        .filter(|&i| {
            let e = &env[i];
            let near = tol::POLISH_NEAR_BOUND * (e.u - e.l);
            e.u - x[i] > near && x[i] - e.l > near
        })
        .collect();
    Active { cons: act.cons, free }
}

/// The multipliers that best explain `x` (least squares on its binding constraints), without
/// moving it: for problems too large for Newton's dense KKT system.
fn multipliers(core: &Core, set: &Gen, env: &[Env], x: &[f64]) -> Vec<f64> {
    let act = independent(core, set, x, active(core, set, env, x, tol::ACTIVE_REL));
    least_squares(core, set, env, x, &act)
}

fn free_row(set: &Gen, j: usize) -> bool {
    j < set.rows.len() && set.rows[j].free
}

fn active(core: &Core, set: &Gen, env: &[Env], x: &[f64], near: f64) -> Active {
    let mut cons = Vec::new();
    for (j, r) in set.rows.iter().enumerate() {
        let sum: f64 = r.members.iter().map(|&i| r.sign * x[i]).sum();
        if r.free || r.rhs - sum <= near * r.rhs.abs().max(1.0) {
            cons.push(j);
        }
    }
    for (k, c) in set.caps.iter().enumerate() {
        let used: f64 = c.members.iter().map(|&(i, d)| d * core.curves[i].leads(x[i])).sum();
        if c.limit - used <= near * c.limit.max(1.0) {
            cons.push(set.rows.len() + k);
        }
    }
    let free = (0..x.len())
        .filter(|&i| {
            let e = &env[i];
            let room = tol::ACTIVE_REL * (e.u - e.l);
            e.u > e.l && x[i] - e.l > room && e.u - x[i] > room
        })
        .collect();
    Active { cons, free }
}

/// The active set without constraints whose gradients on the free modules depend on those
/// kept before them (a group cap that equals the budget on the same free modules): their
/// multipliers are then 0, and the KKT matrix is regular. Equalities are kept first.
fn independent(core: &Core, set: &Gen, x: &[f64], act: Active) -> Active {
    let mut order = act.cons.clone();
    order.sort_by_key(|&a| !free_row(set, a));
    let mut basis: Vec<Vec<f64>> = Vec::new();
    let mut cons = Vec::new();
    for a in order {
        let mut v: Vec<f64> =
            act.free.iter().map(|&i| partial(set, a, i, core.curves[i].derivative(x[i]))).collect();
        let norm = v.iter().map(|c| c * c).sum::<f64>().sqrt();
        for q in &basis {
            let dot: f64 = v.iter().zip(q).map(|(a, b)| a * b).sum();
            for (c, b) in v.iter_mut().zip(q) {
                *c -= dot * b;
            }
        }
        let rest = v.iter().map(|c| c * c).sum::<f64>().sqrt();
        if rest > tol::ACTIVE_REL * norm && rest.is_finite() {
            basis.push(v.iter().map(|c| c / rest).collect());
            cons.push(a);
        }
    }
    cons.sort_unstable();
    Active { cons, free: act.free }
}

/// `∂g_a/∂s_i` (`r'` is the module's slope).
fn partial(set: &Gen, a: usize, i: usize, slope: f64) -> f64 {
    let ml = set.rows.len();
    if a < ml {
        let r = &set.rows[a];
        if r.kind == RowKind::Budget || r.members.contains(&i) { r.sign } else { 0.0 }
    } else {
        set.caps[a - ml].members.iter().find(|m| m.0 == i).map_or(0.0, |m| m.1 * slope)
    }
}

/// `g_a(x) − rhs_a`.
fn residual(core: &Core, set: &Gen, a: usize, x: &[f64]) -> f64 {
    let ml = set.rows.len();
    if a < ml {
        let r = &set.rows[a];
        r.members.iter().map(|&i| r.sign * x[i]).sum::<f64>() - r.rhs
    } else {
        let c = &set.caps[a - ml];
        c.members.iter().map(|&(i, d)| d * core.curves[i].leads(x[i])).sum::<f64>() - c.limit
    }
}

/// A curve's second derivative by a central difference inside `[l, u]`.
fn second(curve: &ResponseCurve, s: f64, e: &Env) -> f64 {
    let h = (s.abs() * tol::FD_STEP_REL).max(tol::FD_STEP_MIN);
    let (a, b) = ((s - h).max(e.l), (s + h).min(e.u));
    if b > a { (curve.derivative(b) - curve.derivative(a)) / (b - a) } else { 0.0 }
}

/// How Newton's method ended without an answer.
enum Stuck {
    /// Module `i` keeps running into its bound `at`: hold it there and try again.
    Blocked(usize, f64),
    /// Singular, no progress, or out of steps.
    Failed,
}

fn newton(
    core: &Core,
    set: &Gen,
    env: &[Env],
    x0: &[f64],
    act: &Active,
    steps: &mut usize,
) -> Result<(Vec<f64>, Vec<f64>), Stuck> {
    let (nf, na) = (act.free.len(), act.cons.len());
    let dim = nf + na;
    if nf == 0 {
        return Err(Stuck::Failed);
    }
    if *steps == 0 {
        return Err(Stuck::Failed);
    }
    let mut x = x0.to_vec();
    // multipliers from least squares at the start, so the first step's curvature is right
    let y0 = least_squares(core, set, env, x0, act);
    let mut nu: Vec<f64> = act.cons.iter().map(|&a| y0[a]).collect();
    let mut mat = vec![0.0; dim * dim];
    let mut rhs = vec![0.0; dim];
    for _ in 0..tol::MAX_POLISH_STEPS {
        if *steps == 0 {
            return Err(Stuck::Failed);
        }
        *steps -= 1;
        mat.fill(0.0);
        let mut scale: f64 = core.c.abs().max(tol::POSITIVE_FLOOR);
        for (p, &i) in act.free.iter().enumerate() {
            let curve = core.curves[i];
            let slope = curve.derivative(x[i]);
            let curv = second(curve, x[i], &env[i]);
            let mut g = core.w[i] * slope - core.c;
            let mut h = core.w[i] * curv;
            scale = scale.max((core.w[i] * slope).abs());
            for (q, &a) in act.cons.iter().enumerate() {
                let da = partial(set, a, i, slope);
                g -= nu[q] * da;
                if a >= set.rows.len() {
                    h -= nu[q] * partial(set, a, i, curv);
                }
                mat[p * dim + nf + q] = -da;
                mat[(nf + q) * dim + p] = da;
            }
            mat[p * dim + p] = h;
            rhs[p] = -g;
        }
        for (q, &a) in act.cons.iter().enumerate() {
            rhs[nf + q] = -residual(core, set, a, &x);
        }
        let small = rhs[..nf].iter().all(|g| g.abs() <= tol::DUAL_RESIDUAL_REL * scale)
            && act
                .cons
                .iter()
                .enumerate()
                .all(|(q, &a)| rhs[nf + q].abs() <= tol::REPAIR_REL * constraint_scale(set, a));
        if small {
            return Ok((x, nu));
        }
        if !dense::solve(&mut mat, &mut rhs, dim) {
            return Err(Stuck::Failed);
        }
        // the longest step (at most the full one) that keeps every free module inside its box
        let mut alpha: f64 = 1.0;
        let mut blocking = None;
        for (p, &i) in act.free.iter().enumerate() {
            let d = rhs[p];
            let end = if x[i] + d > env[i].u {
                env[i].u
            } else if x[i] + d < env[i].l {
                env[i].l
            } else {
                continue;
            };
            let a = (end - x[i]) / d;
            if a < alpha {
                alpha = a;
                blocking = Some((i, end));
            }
        }
        if let Some((i, end)) = blocking {
            // the step leaves the box from a module already at its bound: it belongs there
            let room = tol::ACTIVE_REL * (env[i].u - env[i].l);
            if (x[i] - end).abs() <= room {
                return Err(Stuck::Blocked(i, end));
            }
            // else stop most of the way to the bound (the step's start may be far from the
            // answer, and a module pushed past its bound by a long step may not belong there)
            alpha *= tol::POLISH_TO_BOUNDARY;
        }
        for (p, &i) in act.free.iter().enumerate() {
            x[i] = (x[i] + alpha * rhs[p]).clamp(env[i].l, env[i].u);
        }
        for q in 0..na {
            nu[q] += alpha * rhs[nf + q];
        }
    }
    Err(Stuck::Failed)
}

/// Row or capacity `a` holds at `x` (to the repair's precision).
fn satisfied(core: &Core, set: &Gen, a: usize, x: &[f64]) -> bool {
    let r = residual(core, set, a, x);
    let slack = tol::REPAIR_REL * constraint_scale(set, a);
    if free_row(set, a) { r.abs() <= slack } else { r <= slack }
}

fn constraint_scale(set: &Gen, a: usize) -> f64 {
    let ml = set.rows.len();
    if a < ml { set.rows[a].rhs.abs().max(1.0) } else { set.caps[a - ml].limit.max(1.0) }
}

/// A module held at a bound whose marginal is on the wrong side of its price (one at its
/// minimum that earns more than it costs, one at its maximum that earns less): the one to
/// free, or `None` when every held module belongs where it is.
fn unheld(core: &Core, set: &Gen, env: &[Env], x: &[f64], y: &[f64], act: &Active) -> Option<usize> {
    (0..x.len()).filter(|i| act.free.binary_search(i).is_err()).find(|&i| {
        let e = &env[i];
        if e.u <= e.l || e.in_linear_part(x[i]) {
            return false;
        }
        let (p, a) = set.price_weight(core, y, i);
        let m = a * core.curves[i].derivative(x[i].max(tol::SPEND_TINY));
        let slack = tol::ACTIVE_REL * p.abs().max(m.abs()).max(core.c).max(tol::POSITIVE_FLOOR);
        if x[i] <= e.l { m > p + slack } else { x[i] >= e.u && m < p - slack }
    })
}

/// Multipliers that best explain `x` by least squares on the free modules' stationarity,
/// with the inequality ones kept `≥ 0`.
fn least_squares(core: &Core, set: &Gen, env: &[Env], x: &[f64], act: &Active) -> Vec<f64> {
    let na = act.cons.len();
    let mut y = vec![0.0; set.m()];
    if na == 0 {
        return y;
    }
    let mut normal = vec![0.0; na * na];
    let mut rhs = vec![0.0; na];
    for &i in &act.free {
        if env[i].in_linear_part(x[i]) {
            continue;
        }
        let slope = core.curves[i].derivative(x[i]);
        let g = core.w[i] * slope - core.c;
        let col: Vec<f64> = act.cons.iter().map(|&a| partial(set, a, i, slope)).collect();
        for p in 0..na {
            rhs[p] += col[p] * g;
            for q in 0..na {
                normal[p * na + q] += col[p] * col[q];
            }
        }
    }
    let trace: f64 = (0..na).map(|p| normal[p * na + p]).sum::<f64>().max(tol::POSITIVE_FLOOR);
    for p in 0..na {
        normal[p * na + p] += tol::HESSIAN_REG_REL * trace;
    }
    if dense::solve(&mut normal, &mut rhs, na) {
        for (q, &a) in act.cons.iter().enumerate() {
            let v = rhs[q];
            y[a] = if free_row(set, a) { v } else { v.max(0.0) };
            if !y[a].is_finite() {
                y[a] = 0.0;
            }
        }
    }
    y
}
