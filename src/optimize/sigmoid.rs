//! Global optimum for S-shaped curves: concave-envelope relaxation and branch and bound
//! (Udell & Boyd, "Maximizing a sum of sigmoids", 2013).
//!
//! Each node replaces every curve by its concave envelope on the node's spend interval and
//! solves the relaxation with the dual solver of [`super::concave`]; the dual value is an upper
//! bound for the node. The relaxed allocation is feasible for the true problem, so its true value
//! is a lower bound. At most one module per coupling constraint sits strictly inside the linear
//! part of its envelope (ties are filled greedily); the node branches on the module whose
//! envelope gap is largest, splitting its interval at the relaxed spend.

use std::collections::BinaryHeap;
use std::time::Instant;

use super::concave::{Core, Priced};
use super::envelope::Env;
use super::open::Open;
use super::options::SolveOptions;
use super::relax::{BbOut, Relaxation};
use super::solution::Status;
use crate::curves::Curve;
use crate::error::OptimizeError;
use crate::numerics::{same, tol};

/// What a waiting node of the envelope branch and bound carries: its intervals and the
/// multipliers to warm-start from.
struct Node {
    overrides: Vec<(usize, f64, f64)>,
    p: f64,
    mu: f64,
    y: Vec<f64>,
}

/// The module to branch on and where: the largest `w·(env(s) − r(s))` strictly inside a linear
/// part, split at `s`.
fn branch_candidate(core: &Core, env: &[Env], x: &[f64]) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for i in 0..core.n() {
        if env[i].in_linear_part(x[i]) {
            let g = core.w[i].abs() * (env[i].value(core.curves[i], x[i]) - core.curves[i].leads(x[i]));
            if g > 0.0 && best.is_none_or(|(_, b)| g > b) {
                best = Some((i, g));
            }
        }
    }
    if let Some((i, _)) = best {
        return Some((i, x[i]));
    }
    // none inside a linear part, yet a gap (ties among several binding constraints leave the
    // relaxation's answer at the ends of the linear parts): halve the interval whose envelope
    // lies furthest above its curve, so the envelopes tighten
    for (i, e) in env.iter().enumerate() {
        if e.tau <= e.l {
            continue;
        }
        let mid = 0.5 * (e.l + e.tau);
        let g = core.w[i].abs() * (e.value(core.curves[i], mid) - core.curves[i].leads(mid));
        if g > 0.0 && mid > e.l && mid < e.tau && best.is_none_or(|(_, b)| g > b) {
            best = Some((i, g));
        }
    }
    best.map(|(i, _)| (i, 0.5 * (env[i].l + env[i].tau)))
}

pub(crate) fn branch_and_bound(
    rx: &Relaxation,
    root: &[Env],
    opts: &SolveOptions,
    hint_p: f64,
    hint_mu: f64,
    hint_y: &[f64],
    warm: &mut [f64],
) -> Result<BbOut, OptimizeError> {
    let start = Instant::now();
    // the warm start (a previous answer, or a related problem's) is a candidate incumbent
    let seed = warm.to_vec();
    if super::spatial::applies(rx, root)
        && let Some(out) = super::spatial::solve(rx, root, opts, start, Some(&seed), usize::MAX)
    {
        return out;
    }
    let core = &rx.core;
    let mut r = rx.relax(root, hint_p, hint_mu, hint_y, warm);
    if let Some(e) = r.infeasible.take() {
        return Err(e);
    }
    if !r.feasible {
        // the dual's repair found no feasible point: a few nodes of the spatial search decide
        // (a feasible point, a proof that none exists, or an honest "not found")
        if let Some(out) = super::spatial::solve(rx, root, opts, start, Some(&seed), tol::RESCUE_NODES) {
            return out;
        }
        return Err(OptimizeError::NoFeasibleFound { nodes: 1, stopped: Status::GapLimit.name() });
    }
    if r.bound.is_nan()
        && core.capacity.is_none()
        && (0..core.n()).all(|i| !root[i].in_linear_part(r.at.x[i]))
    {
        // no module inside a linear part: there the envelope is the curve, so the relaxation's
        // Lagrangian exceeds the true value only by the budget's complementary slackness
        // `(p − c)·(B − Σx)`; the caller's pass of leads gives the value
        let slack = core.budget.map_or(0.0, |(b, _)| (r.at.p - core.c) * (b - r.at.x.iter().sum::<f64>()));
        return Ok(BbOut {
            at: r.at,
            value: f64::NAN,
            bound: f64::NAN,
            status: Status::Optimal,
            nodes: 1,
            exact_gap: Some(slack.max(0.0)),
        });
    }
    let value = core.value(&r.at.x);
    if r.bound.is_nan() {
        r.bound = core.lagrangian(value, &r);
    }
    // the root's slope data is its own: the incumbent's is left unknown
    let mut inc = BbOut {
        at: Priced { dtdp: f64::NAN, ..r.at.clone() },
        value,
        bound: r.bound.max(value),
        status: Status::Optimal,
        nodes: 1,
        exact_gap: None,
    };
    if let Some(set) = &rx.general
        && seed.len() == core.n()
        && set.feasible(core, root, &seed)
        && core.value(&seed) > inc.value
    {
        // polished, with the multipliers of its own binding constraints (the root's belong to
        // the relaxation's answer)
        let mut x = seed;
        inc.at.y = super::polish::polish(core, set, root, &mut x);
        inc.value = core.value(&x);
        inc.at.x = x;
        let (lam, gm, _) = set.split(&inc.at.y);
        inc.at.p = core.c + lam;
        inc.at.gp = gm.iter().map(|g| inc.at.p + g).collect();
    }
    let tol_abs = |v: f64| opts.tolerance() * v.abs().max(1.0);
    let mut heap = BinaryHeap::new();
    let mut stuck = f64::NEG_INFINITY;
    let mut next_id = 1usize;
    // a node's children inherit its answer's prices as their relaxations' starting points
    let push_children = |env: &[Env],
                         at: &Priced,
                         over: &[(usize, f64, f64)],
                         bound: f64,
                         heap: &mut BinaryHeap<Open<Node>>,
                         stuck: &mut f64,
                         next_id: &mut usize| {
        let (p, mu, y) = (at.p, at.mu, &at.y);
        match branch_candidate(core, env, &at.x) {
            Some((j, at)) => {
                let e = env[j];
                for (l, u) in [(e.l, at), (at, e.u)] {
                    let mut o: Vec<(usize, f64, f64)> = over.iter().copied().filter(|t| t.0 != j).collect();
                    o.push((j, l, u));
                    heap.push(Open {
                        bound,
                        id: *next_id,
                        node: Node { overrides: o, p, mu, y: y.to_vec() },
                    });
                    *next_id += 1;
                }
            }
            None => *stuck = stuck.max(bound),
        }
    };
    if r.bound - value > tol_abs(value) {
        push_children(root, &r.at, &[], r.bound, &mut heap, &mut stuck, &mut next_id);
    } else {
        stuck = r.bound;
    }
    let mut env = root.to_vec();
    while let Some(node) = heap.pop() {
        if node.bound - inc.value <= tol_abs(inc.value) {
            heap.push(node);
            break;
        }
        if inc.nodes >= opts.max_nodes() {
            inc.status = Status::NodeLimit;
            heap.push(node);
            break;
        }
        if opts.time_limit().is_some_and(|t| start.elapsed() >= t) {
            inc.status = Status::TimeLimit;
            heap.push(node);
            break;
        }
        env.copy_from_slice(root);
        for &(i, l, u) in &node.node.overrides {
            env[i] = Env::new(core.curves[i], core.fast[i], l, u);
            if same(u, root[i].u) {
                env[i] = env[i].with_reach(root[i].reach);
            }
        }
        let mut r = rx.relax(&env, node.node.p, node.node.mu, &node.node.y, warm);
        inc.nodes += 1;
        let v = core.value(&r.at.x);
        if r.bound.is_nan() {
            r.bound = core.lagrangian(v, &r);
        }
        let bound = r.bound.min(node.bound);
        if !r.feasible {
            // no feasible point found here: keep the node's bound, do not branch on it
            stuck = stuck.max(bound);
            continue;
        }
        if v > inc.value {
            inc.value = v;
            inc.at = Priced { dtdp: f64::NAN, ..r.at.clone() };
        }
        if bound - inc.value > tol_abs(inc.value) {
            push_children(&env, &r.at, &node.node.overrides, bound, &mut heap, &mut stuck, &mut next_id);
        } else {
            stuck = stuck.max(bound);
        }
    }
    let open = heap.iter().map(|n| n.bound).fold(f64::NEG_INFINITY, f64::max);
    inc.bound = open.max(stuck).max(inc.value);
    if inc.status == Status::Optimal && inc.bound - inc.value > tol_abs(inc.value) {
        inc.status = Status::GapLimit;
    }
    Ok(inc)
}
