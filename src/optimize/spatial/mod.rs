//! The global optimum under capacities: spatial branch and bound over the modules' spend
//! intervals with LP relaxations ([`lp`]).
//!
//! A capacity caps leads, and leads are concave in spend, so with an exact budget, a floor or
//! a fixed-budget objective the feasible set is not convex and a Lagrangian dual can leave a
//! gap or miss every feasible point. Here each node's outer LP (chords under the curves for the
//! capacities, lines over the envelopes for the value) bounds the node from above, and its
//! infeasibility proves the node empty; splitting the interval of the module whose curve lies
//! furthest from its lines tightens both, so the bound closes and an infeasible problem is
//! proven infeasible by a finite tree. Incumbents come from the outer LP's answer repaired to
//! exact feasibility and from the inner LP (lines *over* the curves in the capacities, so
//! every answer is feasible); the best is polished by Newton's method on its binding
//! constraints ([`polish`](crate::optimize::polish)), which also gives the multipliers.
//!
//! This file is the entry: whether a problem takes the method, and the search's outcome as the
//! optimizer's ([`solve`]). The tree is [`search`](mod@search); a proven-infeasible problem is
//! explained by [`conflict`](mod@conflict).

mod conflict;
mod lines;
mod lp;
mod pseudocost;
mod search;
mod second;
mod simplex;

use std::time::Instant;

use self::conflict::infeasible_set;
use self::lp::Frame;
use self::search::{Limits, search};
use crate::curves::Curve;
use crate::error::OptimizeError;
use crate::numerics::tol;
use crate::optimize::compile::nonconvex;
use crate::optimize::concave::Priced;
use crate::optimize::envelope::Env;
use crate::optimize::general::RowKind;
use crate::optimize::options::SolveOptions;
use crate::optimize::polish::polish;
use crate::optimize::relax::{BbOut, Relaxation};
use crate::optimize::solution::Status;

/// `true` when the problem takes this method: capacities that make it non-convex, at most
/// [`tol::SPATIAL_MAX_MODULES`] modules ([`solve`] declines a box it cannot bound).
pub(crate) fn applies(rx: &Relaxation, root: &[Env]) -> bool {
    let core = &rx.core;
    let Some(set) = &rx.general else { return false };
    !set.caps.is_empty()
        && core.n() <= tol::SPATIAL_MAX_MODULES
        && nonconvex(
            core.budget.is_some_and(|b| b.1),
            set.rows.iter().any(|r| r.kind == RowKind::Floor),
            || core.curves.iter().any(|c| !c.is_concave()),
        )
        && Frame::new(core, set, root).is_some()
}

/// Solves the problem by spatial branch and bound (see the module docs).
/// `None` when the LP solver cannot answer at the root (then nothing is proven and the caller
/// takes the general dual instead).
///
/// `seed` is an allocation to start from (a warm start or the answer of a related problem):
/// the first incumbent when it is feasible. `max_nodes` caps the search below the options'
/// limit (the general dual's rescue of a large problem runs a few nodes only).
pub(crate) fn solve(
    rx: &Relaxation,
    root: &[Env],
    opts: &SolveOptions,
    start: Instant,
    seed: Option<&[f64]>,
    max_nodes: usize,
) -> Option<Result<BbOut, OptimizeError>> {
    let core = &rx.core;
    let set = rx.general.as_ref()?;
    let frame = Frame::new(core, set, root)?;
    let deadline = opts.time_limit().map(|t| start + t);
    let mask = vec![true; frame.rows()];
    let limits = Limits {
        nodes: opts.max_nodes().min(max_nodes),
        deadline,
        tolerance: opts.tolerance(),
        first: false,
    };
    let seed = seed.filter(|x| x.len() == core.n() && set.feasible(core, root, x)).map(|x| {
        let mut x = x.to_vec();
        polish(core, set, root, &mut x);
        (core.value(&x), x)
    });
    let s = search(&frame, &mask, &limits, seed);
    if s.root_failed {
        return None;
    }
    let Some((_, mut x)) = s.best else {
        return Some(Err(if s.exhausted {
            infeasible_set(&frame, deadline, s.nodes)
        } else {
            OptimizeError::NoFeasibleFound { nodes: s.nodes, stopped: s.status.name() }
        }));
    };
    let y = polish(core, set, root, &mut x);
    let value = core.value(&x);
    let bound = s.bound.max(value);
    let mut status = s.status;
    if status == Status::Optimal && bound - value > opts.tolerance() * value.abs().max(1.0) {
        status = Status::GapLimit;
    }
    let (lam, gm, _) = set.split(&y);
    let p = core.c + lam;
    let at = Priced { gp: gm.iter().map(|g| p + g).collect(), y, ..Priced::at_price(x, p, 0.0, f64::NAN) };
    Some(Ok(BbOut { at, value, bound, status, nodes: s.nodes, exact_gap: None }))
}
