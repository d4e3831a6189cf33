//! The spatial branch and bound's tree: batches of open nodes, each solved by its outer LP
//! ([`super::lp`]), split on the module whose curve lies furthest from its lines
//! ([`super::pseudocost`]), with incumbents from the repaired LP answer and the inner LP.

use std::thread;
use std::time::Instant;

use super::lp::{Frame, NodeBox, Outer, RowMask};
use super::pseudocost::{PseudoCosts, Split};
use super::second::Second;
use crate::curves::Curve;
use crate::numerics::tol;
use crate::optimize::open::{Open, Pool};
use crate::optimize::polish::polish;
use crate::optimize::solution::Status;

/// A feasible allocation with its value.
type Candidate = (f64, Vec<f64>);

/// How one search ended.
pub(super) struct Search {
    pub(super) best: Option<(f64, Vec<f64>)>,
    pub(super) bound: f64,
    pub(super) status: Status,
    pub(super) nodes: usize,
    /// Every node was either pruned by bound or proven empty (nothing unresolved, no limit).
    pub(super) exhausted: bool,
    /// The LP solver could not answer at the root.
    pub(super) root_failed: bool,
}

/// Limits of one search.
pub(super) struct Limits {
    pub(super) nodes: usize,
    pub(super) deadline: Option<Instant>,
    pub(super) tolerance: f64,
    /// Stop at the first feasible point (the infeasibility filter only asks "is there one?").
    pub(super) first: bool,
}

/// An open node with the incumbent's value when its batch was taken.
struct Job {
    node: Open<(NodeBox, Option<Split>)>,
    best: Option<f64>,
}

/// What solving a node gives: its LP's outcome and, maybe, a feasible candidate.
type Worked = (Outer, Option<Candidate>);

/// The branch and bound on `frame` with the rows of `mask`, from the incumbent `seed`.
///
/// Each batch's second node goes to a second thread ([`Second`]) when rayon's pool has more
/// than one and the search does not itself run on the pool (a Monte Carlo's solves in
/// parallel keep its threads busy already).
pub(super) fn search(frame: &Frame, mask: RowMask, limits: &Limits, seed: Option<(f64, Vec<f64>)>) -> Search {
    let work = |job: &mut Job| solve_node(frame, mask, limits, job);
    if rayon::current_num_threads() < 2 || rayon::current_thread_index().is_some() {
        return run(frame, limits, seed, &work, None);
    }
    let second = Second::new();
    thread::scope(|s| {
        // without a thread (the system refused one) the search runs on this one alone
        let helper = thread::Builder::new().spawn_scoped(s, || second.serve(&work)).ok();
        // ends the helper however `run` returns, a panic included
        let _stop = second.stopper();
        run(frame, limits, seed, &work, helper.as_ref().map(|_| &second))
    })
}

/// A node's outer LP and, when its answer may beat the incumbent, a candidate near it.
fn solve_node(frame: &Frame, mask: RowMask, limits: &Limits, job: &mut Job) -> Worked {
    let best = job.best;
    let b = &mut job.node.node.0;
    let out = frame.outer(b, mask, limits.deadline, best.filter(|_| !limits.first));
    let cand = match &out {
        // a repair moves the LP's answer onto the true capacities, which costs value: an
        // answer worth no more than the incumbent on the true curves rarely repairs into a
        // better one
        Outer::Bound { x, bound, .. } if best.is_none_or(|v| frame.core.value(x) > v) => {
            let near = best.is_some_and(|v| *bound - v <= tol::INNER_LP_GAP * v.abs());
            incumbent(frame, b, x, mask, limits.deadline, near)
        }
        _ => None,
    };
    (out, cand)
}

fn run(
    frame: &Frame,
    limits: &Limits,
    seed: Option<(f64, Vec<f64>)>,
    work: &(impl Fn(&mut Job) -> Worked + Sync),
    second: Option<&Second<Job, Worked>>,
) -> Search {
    let mut best = seed;
    let tol_abs = |v: f64| limits.tolerance * v.abs().max(1.0);
    let mut pool = Pool::new();
    pool.push(f64::INFINITY, (frame.root_box(), None));
    let mut costs = PseudoCosts::new(frame.core.n());
    let mut nodes = 0usize;
    let mut closed = f64::NEG_INFINITY;
    let mut unresolved = false;
    let mut root_failed = false;
    let mut status = Status::Optimal;
    let mut stop = false;
    while !stop {
        // the best open nodes, up to a batch: their LPs and candidates are computed in
        // parallel, then taken in order, so the answer never depends on the thread count.
        // Until a feasible point is known, every other node is the newest one: a dive down one
        // branch, whose boxes soon make the relaxation exact (best-first alone can spend its
        // whole node budget on wide boxes when the feasible set is a thin sliver)
        let mut batch: Vec<Open<(NodeBox, Option<Split>)>> = Vec::with_capacity(tol::SPATIAL_BATCH);
        while batch.len() < tol::SPATIAL_BATCH {
            let Some(top) = pool.peek_best() else {
                stop = batch.is_empty();
                break;
            };
            let reason = if best.as_ref().is_some_and(|(v, _)| top - v <= tol_abs(*v)) {
                Some(Status::Optimal)
            } else if nodes >= limits.nodes {
                Some(Status::NodeLimit)
            } else if limits.deadline.is_some_and(|d| Instant::now() >= d) {
                Some(Status::TimeLimit)
            } else {
                None
            };
            if let Some(why) = reason {
                // the batch taken so far is still solved, and its children may bound above the
                // incumbent: "optimal" holds only once nothing is left to solve
                if why != Status::Optimal || batch.is_empty() {
                    status = why;
                    stop = true;
                }
                break;
            }
            let dive = best.is_none() && batch.len() % 2 == 1;
            let Some(node) = (if dive { pool.pop_newest() } else { pool.pop_best() }) else { break };
            nodes += 1;
            batch.push(node);
        }
        let best_value = best.as_ref().map(|b| b.0);
        let mut jobs: Vec<Job> = batch.into_iter().map(|node| Job { node, best: best_value }).collect();
        // the batch's last node to the second thread, when there is one and a node for here
        let handed = match second {
            Some(second) if jobs.len() > 1 => jobs.pop().map(|last| (second, last)),
            _ => None,
        };
        let worked: Vec<Worked> = match handed {
            Some((second, last)) => {
                let (mut worked, last, its) =
                    second.both(work, || jobs.iter_mut().map(work).collect::<Vec<_>>(), last);
                jobs.push(last);
                worked.push(its);
                worked
            }
            None => jobs.iter_mut().map(work).collect(),
        };
        for (Job { node, .. }, (out, cand)) in jobs.into_iter().zip(worked) {
            let (bound, x, off) = match out {
                Outer::Infeasible => continue,
                Outer::Failed => {
                    // nothing proven: the node's inherited bound stays open
                    root_failed |= node.id == 0;
                    unresolved = true;
                    closed = closed.max(node.bound);
                    continue;
                }
                Outer::Bound { bound, x, off } => (bound.min(node.bound), x, off),
            };
            if let Some(split) = node.node.1 {
                // the fall from the parent's bound is what this split bought
                costs.learn(split, node.bound - bound);
            }
            if let Some(mut cand) = cand
                && best.as_ref().is_none_or(|(v, _)| cand.0 > *v)
            {
                if !limits.first {
                    // Newton on the binding constraints makes the incumbent exact, so the gap
                    // closes as soon as the bounds are tight
                    polish(frame.core, frame.set, frame.root, &mut cand.1);
                    cand.0 = frame.core.value(&cand.1);
                }
                best = Some(cand);
            }
            if best.as_ref().is_some_and(|(v, _)| bound - v <= tol_abs(*v)) {
                closed = closed.max(bound);
                continue;
            }
            let b = &node.node.0;
            match branch(frame, b, &x, &off, &costs) {
                Some((i, at, score)) => {
                    for (side, (l, u)) in [(b.lo[i], at), (at, b.hi[i])].into_iter().enumerate() {
                        let split = Split { module: i, upper: side == 1, score };
                        let mut child = frame.child(b, i, l, u);
                        if pool.len() >= tol::SIMPLEX_WARM_OPEN {
                            // a tableau per waiting node bounds the search's memory: past this
                            // many, children start cold
                            child.warm = None;
                        }
                        pool.push(bound, (child, Some(split)));
                    }
                }
                None => {
                    unresolved = true;
                    closed = closed.max(bound);
                }
            }
        }
        stop |= limits.first && best.is_some();
    }
    let open = pool.max_bound();
    let exhausted = pool.len() == 0 && !unresolved && status == Status::Optimal;
    let bound = open.max(closed).max(best.as_ref().map_or(f64::NEG_INFINITY, |b| b.0));
    Search { best, bound, status, nodes, exhausted, root_failed }
}

/// A feasible allocation from the outer LP's answer `x`: repaired to exact feasibility when it
/// is close (no capacity overrun by more than [`tol::REPAIR_MAX_OVERRUN`]), else the inner LP's
/// answer near it (repaired for the LP's rounding), unless the incumbent is `near` the node's
/// bound (within [`tol::INNER_LP_GAP`]).
fn incumbent(
    frame: &Frame,
    b: &NodeBox,
    x: &[f64],
    mask: RowMask,
    deadline: Option<Instant>,
    near: bool,
) -> Option<(f64, Vec<f64>)> {
    let (core, set, root) = (frame.core, frame.set, frame.root);
    let full = mask.iter().all(|&m| m);
    let widths: Vec<f64> = root.iter().map(|e| (e.u - e.l).max(tol::POSITIVE_FLOOR)).collect();
    let mut try_point = |mut p: Vec<f64>| -> Option<(f64, Vec<f64>)> {
        if !full {
            // the infeasibility filter: the inner LP's answer meets the kept rows
            return Some((core.value(&p), p));
        }
        if set.repair(core, root, &mut p, &widths, tol::SPATIAL_REPAIR_SWEEPS, true)
            && set.feasible(core, root, &p)
        {
            Some((core.value(&p), p))
        } else {
            None
        }
    };
    // an answer far over a capacity repairs into a poor point: the inner LP's is nearer
    let direct =
        if full && set.overrun(core, x) <= tol::REPAIR_MAX_OVERRUN { try_point(x.to_vec()) } else { None };
    // the repaired answer is as near the LP's as the inner LP's would be, for one LP less;
    // and the inner LP's answer lies on lines over the curves, below the node's optimum: an
    // incumbent near that rarely loses to it
    if direct.is_some() || (full && near) {
        return direct;
    }
    frame.inner(b, x, mask, deadline).and_then(&mut try_point)
}

/// The module to split, where, and its score: the largest weighted distance between the LP's
/// leads and the curve at `x` (value above, capacity use below), weighed by the module's
/// pseudo-cost rate; split at `x` unless that is within a twentieth of an end; then where the
/// curve brings the LP's leads, or at the middle, so every split shrinks the box.
fn branch(
    frame: &Frame,
    b: &NodeBox,
    x: &[f64],
    off: &[(f64, f64)],
    costs: &PseudoCosts,
) -> Option<(usize, f64, f64)> {
    let core = frame.core;
    let set = frame.set;
    let price = core.w.iter().fold(0.0f64, |m, w| m.max(*w)).max(tol::POSITIVE_FLOOR);
    let mut per_use = vec![0.0; x.len()];
    for c in &set.caps {
        for &(i, d) in &c.members {
            per_use[i] += d;
        }
    }
    let least = frame.resolution();
    let wide = |i: usize| {
        let w = b.hi[i] - b.lo[i];
        w > least && w > tol::LP_CUT_REL * (frame.root[i].u - frame.root[i].l)
    };
    let mut best: Option<(usize, f64, f64)> = None;
    for i in (0..x.len()).filter(|&i| wide(i)) {
        let score = core.w[i] * off[i].0 + price * per_use[i] * off[i].1;
        let rank = score * costs.rate(i);
        if score > 0.0 && best.is_none_or(|(_, _, r)| rank > r) {
            best = Some((i, score, rank));
        }
    }
    let best = best.map(|(i, s, _)| (i, s));
    // the lines meet every curve at `x` yet the node is open (rounding of the LP, or no
    // feasible point found near `x`): halve the widest interval of a capacity's member
    let (i, score) = best.or_else(|| {
        (0..x.len())
            .filter(|&i| per_use[i] > 0.0 && wide(i))
            .map(|i| (i, (b.hi[i] - b.lo[i]) / (frame.root[i].u - frame.root[i].l)))
            .max_by(|a, c| a.1.total_cmp(&c.1))
            .map(|(i, _)| (i, 0.0))
    })?;
    let (l, u) = (b.lo[i], b.hi[i]);
    let margin = (u - l) / 20.0;
    let inside = |s: f64| s > l + margin && s < u - margin;
    if !inside(x[i]) {
        // the LP's answer sits at an end of the box: split where the curve brings the leads the
        // LP counted there (a curve that is steep at its low end promises leads the LP places
        // at 0 spend; halving would take a split per factor of two to reach them)
        let q = core.curves[i].leads(x[i]) + off[i].0 - off[i].1;
        if let Some(s) = core.curves[i].spend_for_leads(q).filter(|&s| inside(s)) {
            return Some((i, s, score));
        }
    }
    let at = if inside(x[i]) { x[i] } else { 0.5 * (l + u) };
    Some((i, at, score))
}
