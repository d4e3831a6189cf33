//! One maximisation from start to answer: the relaxation and branch and bound, the budget's
//! remainder placed, the KKT residual and multipliers, and the [`Solution`] with its certificate.

use super::compile::build;
use super::envelope::Env;
use super::options::SolveOptions;
use super::problem::{Measure, Problem};
use super::relax::BbOut;
use super::relax::Relaxation;
use super::sigmoid::branch_and_bound;
use super::slope::leads_and_slope;
use super::solution::Solution;
use crate::curves::Curve;
use crate::error::OptimizeError;
use crate::numerics::tol;

/// Raw result of one maximisation.
pub(super) struct MaxOut {
    pub(super) bb: BbOut,
    pub(super) kkt: f64,
    pub(super) leads: Vec<f64>,
    pub(super) deriv: Vec<f64>,
}

pub(super) fn run_max<'a>(
    problem: &'a Problem,
    measure: Measure,
    c: f64,
    budget: Option<(f64, bool)>,
    options: SolveOptions,
    previous: Option<&Solution>,
) -> Result<(MaxOut, Relaxation<'a>), OptimizeError> {
    let (rx, env) = build(problem, measure, c, budget, options.tolerance() * tol::RELAX_GAP_SHARE)?;
    let core = &rx.core;
    let n = core.n();
    if budget.is_none() {
        for (i, e) in env.iter().enumerate() {
            if e.u.is_infinite() && core.w[i] > 0.0 {
                let mut w = 0.0;
                let (s, _) = super::envelope::oracle(core.curves[i], core.fast[i], e, core.w[i], c, &mut w);
                if s.is_infinite() {
                    return Err(OptimizeError::Unbounded { index: i, name: problem.modules[i].name.clone() });
                }
            }
        }
    }
    let mut warm: Vec<f64> = match previous {
        Some(s) if s.spend.len() == n => s.spend.clone(),
        _ => vec![0.0; n],
    };
    let (mut hp, hm) = match previous {
        Some(s) => (s.budget_multiplier + c, s.capacity_multipliers.first().copied().unwrap_or(0.0)),
        None => (f64::NAN, 0.0),
    };
    // A toggle or an edit changes the total spend at the old price; the old slope `dλ/dB`
    // predicts the price that restores the budget, so the first pass lands within the polish
    // tolerance (the error is second order in the change).
    if let (Some(slope), Some((b, _))) = (previous.and_then(|s| s.budget_multiplier_slope), budget) {
        let at_old_price: f64 = warm.iter().zip(&env).map(|(x, e)| x.clamp(e.l, e.u)).sum();
        let predicted = hp + (b - at_old_price) * slope;
        if predicted.is_finite() {
            hp = predicted;
        }
    }
    let hy = match (previous, &rx.general, &rx.blocks) {
        (Some(s), Some(g), _) => {
            g.multipliers_of(s.budget_multiplier, &s.group_multipliers, &s.capacity_multipliers)
        }
        (Some(s), None, Some(b)) if s.capacity_multipliers.len() == b.caps.len() => {
            s.capacity_multipliers.clone()
        }
        _ => Vec::new(),
    };
    let mut bb = branch_and_bound(&rx, &env, &options, hp, hm, &hy, &mut warm)?;
    // exact bounds: clamp, then place any rounding remainder of the budget on interior modules
    for (x, e) in bb.at.x.iter_mut().zip(&env) {
        *x = x.clamp(e.l, e.u);
    }
    if let Some((b, exact)) = budget
        && rx.general.is_none()
    {
        let total: f64 = bb.at.x.iter().sum();
        let rem = if exact || total > b { b - total } else { 0.0 };
        if rem != 0.0 {
            place_remainder(&mut bb.at.x, &env, rem);
        }
    }
    // one pass of leads and marginals: objective, KKT residual, marginal ROMI
    let ng = core.groups.len();
    let mut leads = vec![0.0; n];
    let mut deriv = vec![0.0; n];
    let mut value = 0.0;
    let mut kkt: f64 = 0.0;
    for i in 0..n {
        let e = &env[i];
        let x = bb.at.x[i];
        let curve = core.curves[i];
        (leads[i], deriv[i]) = leads_and_slope(curve, x);
        value += core.w[i] * leads[i] - core.c * x;
        if e.u <= e.l || e.in_linear_part(x) {
            continue;
        }
        let g = core.group_of[i];
        let (p, wi) = match (&rx.general, &core.capacity) {
            (Some(gd), _) => gd.price_weight(core, &bb.at.y, i),
            (None, None) if rx.blocks.is_some() => (bb.at.p, core.w[i] - blocks_weight(&rx, &bb.at.y, i)),
            (None, Some((d, _))) => (if g < ng { bb.at.gp[g] } else { bb.at.p }, core.w[i] - bb.at.mu * d[i]),
            (None, None) => (if g < ng { bb.at.gp[g] } else { bb.at.p }, core.w[i]),
        };
        // below `SPEND_TINY` a spend counts as zero; the marginal is taken where it is reliable
        let gross = if x < tol::SPEND_TINY { curve.derivative(tol::SPEND_TINY) } else { deriv[i] };
        let m = wi * gross;
        // relative to the largest term of the stationarity condition `w·r' − c − Σ multipliers = 0`
        // (the gross marginal value and the cost, not only the net price, which vanishes when the
        // budget multiplier cancels the cost)
        let scale =
            p.abs().max(m.abs()).max(core.c.abs()).max((core.w[i] * gross).abs()).max(tol::POSITIVE_FLOOR);
        let res = if x <= e.l || x < tol::SPEND_TINY {
            (m - p).max(0.0)
        } else if x >= e.u {
            (p - m).max(0.0)
        } else if x < e.tau.max(e.infl) {
            0.0
        } else {
            (m - p).abs()
        };
        kkt = kkt.max(res / scale);
    }
    bb.value = value;
    bb.bound = match bb.exact_gap {
        Some(gap) => {
            if gap > options.tolerance() * value.abs().max(1.0) {
                bb.status = super::solution::Status::GapLimit;
            }
            value + gap
        }
        None => bb.bound.max(value),
    };
    Ok((MaxOut { bb, kkt, leads, deriv }, rx))
}

/// `μ_k·d_i` of the capacity that module `i` feeds (0 outside every capacity).
fn blocks_weight(rx: &Relaxation, mu: &[f64], i: usize) -> f64 {
    let Some(b) = &rx.blocks else { return 0.0 };
    let (k, d) = b.of[i];
    mu.get(k).map_or(0.0, |m| m * d)
}

/// Places a rounding remainder `rem` of the budget on the modules strictly inside their bounds,
/// in proportion to their room, so no module's marginal moves by more than rounding.
fn place_remainder(x: &mut [f64], env: &[Env], mut rem: f64) {
    // below this the remainder is rounding of the total; spreading it again cannot reduce it
    let ulps = 4.0 * f64::EPSILON * x.iter().sum::<f64>().abs();
    for _ in 0..tol::REMAINDER_ROUNDS {
        if rem.abs() <= ulps {
            break;
        }
        let room: f64 = x
            .iter()
            .zip(env)
            .filter(|(x, e)| **x > e.l && **x < e.u)
            .map(|(x, e)| if rem > 0.0 { (e.u - x).min(x - e.l) } else { x - e.l })
            .sum();
        if room.is_nan() || room <= 0.0 || rem == 0.0 {
            break;
        }
        let share = (rem / room).clamp(-1.0, 1.0);
        for (xi, e) in x.iter_mut().zip(env) {
            if *xi > e.l && *xi < e.u {
                let r = if rem > 0.0 { (e.u - *xi).min(*xi - e.l) } else { *xi - e.l };
                let nx = (*xi + share * r).clamp(e.l, e.u);
                rem -= nx - *xi;
                *xi = nx;
            }
        }
    }
    // what rounding leaves goes to the largest interior module, then to any module with room
    let big =
        (0..x.len()).filter(|&i| x[i] > env[i].l && x[i] < env[i].u).max_by(|&i, &j| x[i].total_cmp(&x[j]));
    if let Some(i) = big {
        // what it cannot absorb is below its ulp, so below the resolution of the total
        x[i] = (x[i] + rem).clamp(env[i].l, env[i].u);
        return;
    }
    for (xi, e) in x.iter_mut().zip(env) {
        if rem == 0.0 {
            break;
        }
        let nx = (*xi + rem).clamp(e.l, e.u);
        rem -= nx - *xi;
        *xi = nx;
    }
}

pub(super) fn to_solution(
    problem: &Problem,
    rx: &Relaxation,
    out: &MaxOut,
    objective: f64,
    upper: f64,
) -> Solution {
    let core = &rx.core;
    let n = core.n();
    let x = out.bb.at.x.clone();
    let leads = out.leads.clone();
    // A worthless module returns nothing at any slope; otherwise an unbounded slope has no ROMI.
    let marginal_romi = (0..n)
        .map(|i| match core.v[i] {
            0.0 => Some(-1.0),
            v => Some(v * out.deriv[i] - 1.0).filter(|r| r.is_finite()),
        })
        .collect();
    Solution {
        status: out.bb.status,
        objective,
        upper_bound: upper.max(objective),
        spend: x,
        leads,
        budget_multiplier: if core.budget.is_some() { out.bb.at.p - core.c } else { 0.0 },
        budget_multiplier_slope: None,
        capacity_multipliers: match &rx.general {
            Some(g) => g.split(&out.bb.at.y).2,
            None if rx.blocks.is_some() => out.bb.at.y.clone(),
            None if problem.capacities.is_empty() => vec![],
            None => vec![out.bb.at.mu],
        },
        group_multipliers: out.bb.at.gp.iter().map(|g| g - out.bb.at.p).collect(),
        marginal_romi,
        kkt_residual: out.kkt,
        nodes: out.bb.nodes,
    }
}
