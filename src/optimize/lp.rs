//! The linear programs of the spatial branch and bound: on a node's box, an *outer* LP (lines
//! above each concave envelope for the value, lines below each convex envelope for a
//! capacity's use) whose optimum bounds every allocation in the box from above and whose
//! infeasibility proves the box holds none; and an *inner* LP (each capacity's use bounded from
//! above by a line over the curve) whose every answer meets the true capacities.
//!
//! Variables are scaled so the LP sees numbers near 1: spend `s_i = l_i + M·t_i` with `M` the
//! widest root interval, leads in units of the module's most leads at its root maximum,
//! capacity rows divided by their limit.

use std::time::Instant;

use microlp::{ComparisonOp, OptimizationDirection, Problem as Lp, Solution as LpSolution, Variable};

use super::concave::Core;
use super::envelope::Env;
use super::general::Gen;
use super::lines::{Line, Vex, above, initial_above, shaping};
use crate::curves::Curve;
use crate::numerics::tol;

/// The problem as the LPs see it.
pub(crate) struct Frame<'a> {
    pub core: &'a Core<'a>,
    pub set: &'a Gen,
    pub root: &'a [Env],
    /// Scale of money: the widest root interval.
    money: f64,
    /// Scale of each module's leads: its leads at its root maximum.
    scale: Vec<f64>,
    /// Module `i` feeds some capacity.
    in_cap: Vec<bool>,
}

/// A node's box (`lo[i] ≤ s_i ≤ hi[i]`), its envelopes and the lines its LPs hold.
#[derive(Debug, Clone)]
pub(crate) struct NodeBox {
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
    pub env: Vec<Env>,
    pub vex: Vec<Vex>,
    pub above: Vec<Vec<Line>>,
    pub below: Vec<Vec<Line>>,
}

/// What the outer LP says of a box.
#[derive(Debug, Clone)]
pub(crate) enum Outer {
    /// No allocation better than `bound` lies in the box; `x` is the LP's spend and `off[i]`
    /// how far the LP's leads of module `i` lie from its curve at `x`: above it for the value,
    /// below it for a capacity's use (what branching on the module can take away).
    Bound { bound: f64, x: Vec<f64>, off: Vec<(f64, f64)> },
    /// No allocation in the box meets the constraints.
    Infeasible,
    /// The LP solver could not answer (numerics or its time limit): nothing is proven.
    Failed,
}

/// Which rows an LP holds: linear rows (budget, caps, floors) then capacities, in `Gen` order.
pub(crate) type RowMask<'m> = &'m [bool];

/// The capacity rows of an LP.
enum Usage<'b> {
    /// Lines below the convex envelopes (a relaxation).
    Below,
    /// One line above each member's curve; `None` pins the module at its minimum.
    Above(&'b [Option<Line>]),
}

struct Built {
    lp: Lp,
    t: Vec<Variable>,
    z: Vec<Option<Variable>>,
    y: Vec<Option<Variable>>,
    constant: f64,
}

impl<'a> Frame<'a> {
    /// The frame of a problem, or `None` when the LPs cannot hold it (an unbounded interval or
    /// a negative weight).
    pub(crate) fn new(core: &'a Core<'a>, set: &'a Gen, root: &'a [Env]) -> Option<Frame<'a>> {
        if root.iter().any(|e| !e.u.is_finite()) || core.w.iter().any(|&w| w < 0.0) || core.c < 0.0 {
            return None;
        }
        let money = root.iter().map(|e| e.u - e.l).fold(0.0, f64::max).max(tol::POSITIVE_FLOOR);
        let scale = (0..core.n())
            .map(|i| {
                let r = core.curves[i].leads(root[i].u);
                if r > 0.0 && r.is_finite() { r } else { 1.0 }
            })
            .collect();
        let mut in_cap = vec![false; core.n()];
        for c in &set.caps {
            for &(i, _) in &c.members {
                in_cap[i] = true;
            }
        }
        Some(Frame { core, set, root, money, scale, in_cap })
    }

    /// The narrowest interval worth splitting: below [`tol::LP_SPEND_RESOLUTION`] of the money
    /// scale the LP solver's own tolerance on a module's spend is wider than the interval, so
    /// its answer no longer sees the split.
    pub(crate) fn resolution(&self) -> f64 {
        tol::LP_SPEND_RESOLUTION * self.money
    }

    /// The number of rows a mask covers.
    pub(crate) fn rows(&self) -> usize {
        self.set.rows.len() + self.set.caps.len()
    }

    /// The root box with its starting lines.
    pub(crate) fn root_box(&self) -> NodeBox {
        let lo: Vec<f64> = self.root.iter().map(|e| e.l).collect();
        let hi: Vec<f64> = self.root.iter().map(|e| e.u).collect();
        let n = lo.len();
        self.with_box(lo, hi, vec![Vec::new(); n], vec![Vec::new(); n])
    }

    /// A child of `parent` with module `i` on `[l, u]`; it keeps the parent's lines, and the
    /// envelopes of every other module (their intervals are the parent's).
    pub(crate) fn child(&self, parent: &NodeBox, i: usize, l: f64, u: f64) -> NodeBox {
        let mut b = parent.clone();
        for (k, (ak, bk)) in b.above.iter_mut().zip(b.below.iter_mut()).enumerate() {
            if k != i {
                // the parent's starting and cut lines stay valid; keep the newest
                trim(ak);
                trim(bk);
            }
        }
        self.narrow(&mut b, i, l, u);
        b
    }

    /// Module `i` of `b` on `[l, u]` (inside its interval), with its envelopes and starting
    /// lines for that interval.
    fn narrow(&self, b: &mut NodeBox, i: usize, l: f64, u: f64) {
        b.lo[i] = l;
        b.hi[i] = u;
        b.above[i].clear();
        b.below[i].clear();
        let (e, v) = self.module_box(i, l, u, &mut b.above[i], &mut b.below[i]);
        b.env[i] = e;
        b.vex[i] = v;
    }

    fn with_box(
        &self,
        lo: Vec<f64>,
        hi: Vec<f64>,
        mut above_lines: Vec<Vec<Line>>,
        mut below_lines: Vec<Vec<Line>>,
    ) -> NodeBox {
        let n = lo.len();
        let mut env = Vec::with_capacity(n);
        let mut vex = Vec::with_capacity(n);
        for i in 0..n {
            let (e, v) = self.module_box(i, lo[i], hi[i], &mut above_lines[i], &mut below_lines[i]);
            env.push(e);
            vex.push(v);
        }
        NodeBox { lo, hi, env, vex, above: above_lines, below: below_lines }
    }

    /// Module `i` on `[l, u]`: its envelopes, and its starting lines where it has none.
    fn module_box(
        &self,
        i: usize,
        l: f64,
        u: f64,
        above_lines: &mut Vec<Line>,
        below_lines: &mut Vec<Line>,
    ) -> (Env, Vex) {
        let core = self.core;
        let curve = core.curves[i];
        // the root's own envelope when the box is the root's (bit for bit: a copy, not a
        // computation)
        let e = if l.to_bits() == self.root[i].l.to_bits() && u.to_bits() == self.root[i].u.to_bits() {
            self.root[i]
        } else {
            Env::new(curve, core.fast[i], l, u)
        };
        let v = Vex::new(curve, self.root[i].infl, l, u);
        if above_lines.is_empty() && (core.w[i] > 0.0 || self.in_cap[i]) {
            *above_lines = initial_above(curve, &e);
        }
        if below_lines.is_empty() && self.in_cap[i] {
            *below_lines = v.initial(curve);
        }
        (e, v)
    }

    /// Builds an LP on the box: value lines always, capacity rows as `usage` says.
    fn build(&self, b: &NodeBox, usage: Usage, mask: RowMask) -> Built {
        let core = self.core;
        let n = core.n();
        let m = self.money;
        let mut lp = Lp::new(OptimizationDirection::Maximize);
        let mut pinned = vec![false; n];
        if let Usage::Above(lines) = usage {
            for i in 0..n {
                pinned[i] = self.in_cap[i] && lines[i].is_none();
            }
        }
        let mut constant = 0.0;
        let mut t = Vec::with_capacity(n);
        let mut z = Vec::with_capacity(n);
        let mut y = Vec::with_capacity(n);
        for (i, &pin) in pinned.iter().enumerate() {
            let (l, u) = (b.lo[i], b.hi[i]);
            constant -= core.c * l;
            let width = if pin { 0.0 } else { (u - l) / m };
            let ti = lp.add_var(-core.c * m, (0.0, width));
            t.push(ti);
            let ls = self.scale[i];
            // one variable for the module's leads, between the lines under its convex envelope
            // and over its concave one (the convex hull of the curve's graph on the box), used
            // by the value and the capacities alike
            let outer_use = self.in_cap[i] && matches!(usage, Usage::Below);
            let qi = (core.w[i] > 0.0 || outer_use).then(|| {
                let curve = core.curves[i];
                let top = curve.leads(if pin { l } else { u }) / ls;
                let floor = if outer_use { curve.leads(l) / ls } else { 0.0 };
                let qi = lp.add_var(core.w[i] * ls, (floor.min(top), top));
                for line in shaping(&b.above[i], l, u, false) {
                    add_line(&mut lp, qi, ti, line, l, (m, ls, width), ComparisonOp::Le);
                }
                if outer_use {
                    for line in shaping(&b.below[i], l, u, true) {
                        add_line(&mut lp, qi, ti, line, l, (m, ls, width), ComparisonOp::Ge);
                    }
                }
                qi
            });
            z.push(qi.filter(|_| core.w[i] > 0.0));
            y.push(qi.filter(|_| outer_use));
        }
        let ml = self.set.rows.len();
        for (j, r) in self.set.rows.iter().enumerate() {
            if !mask[j] {
                continue;
            }
            let fixed: f64 = r.members.iter().map(|&i| r.sign * b.lo[i]).sum();
            let expr: Vec<(Variable, f64)> = r.members.iter().map(|&i| (t[i], r.sign)).collect();
            let op = if r.free { ComparisonOp::Eq } else { ComparisonOp::Le };
            lp.add_constraint(expr, op, (r.rhs - fixed) / m);
        }
        for (k, c) in self.set.caps.iter().enumerate() {
            if !mask[ml + k] {
                continue;
            }
            let unit = c.limit.max(tol::POSITIVE_FLOOR);
            match usage {
                Usage::Below => {
                    let expr: Vec<(Variable, f64)> = c
                        .members
                        .iter()
                        .filter_map(|&(i, d)| y[i].map(|yi| (yi, d * self.scale[i] / unit)))
                        .collect();
                    lp.add_constraint(expr, ComparisonOp::Le, c.limit / unit);
                }
                Usage::Above(lines) => {
                    let mut rhs = c.limit * (1.0 - tol::LP_INNER_MARGIN_REL);
                    let mut expr = Vec::with_capacity(c.members.len());
                    for &(i, d) in &c.members {
                        let l = b.lo[i];
                        match lines[i] {
                            Some(line) => {
                                rhs -= d * line.at(l);
                                expr.push((t[i], d * line.b * m));
                            }
                            None => rhs -= d * core.curves[i].leads(l),
                        }
                    }
                    let expr: Vec<(Variable, f64)> = expr.into_iter().map(|(v, a)| (v, a / unit)).collect();
                    lp.add_constraint(expr, ComparisonOp::Le, rhs / unit);
                }
            }
        }
        Built { lp, t, z, y, constant }
    }

    fn spend(&self, b: &NodeBox, built: &Built, sol: &LpSolution) -> Vec<f64> {
        (0..b.lo.len())
            .map(|i| (b.lo[i] + self.money * sol.var_value(built.t[i])).clamp(b.lo[i], b.hi[i]))
            .collect()
    }

    /// The outer LP on the box, tightened by rounds of tangent cuts where its answer lies off
    /// an envelope (each round rebuilds the LP with the new lines: a few dozen rows, cheaper
    /// than one re-solve per cut); the cuts stay in `b` for the node's children.
    pub(crate) fn outer(&self, b: &mut NodeBox, mask: RowMask, deadline: Option<Instant>) -> Outer {
        let core = self.core;
        let mut last = None;
        for _ in 0..tol::LP_CUT_ROUNDS {
            let built = self.build(b, Usage::Below, mask);
            let sol = match solved(built.lp.solve_with(lp_options(deadline))) {
                Ok(s) => s,
                Err(e) => return e,
            };
            let x = self.spend(b, &built, &sol);
            let off: Vec<(f64, f64)> = (0..x.len())
                .map(|i| {
                    let (ls, r) = (self.scale[i], core.curves[i].leads(x[i]));
                    let over = built.z[i].map_or(0.0, |zi| (ls * sol.var_value(zi) - r).max(0.0));
                    let under = built.y[i].map_or(0.0, |yi| (r - ls * sol.var_value(yi)).max(0.0));
                    (over, under)
                })
                .collect();
            let mut cut = false;
            for (i, &xi) in x.iter().enumerate() {
                let curve = core.curves[i];
                let ls = self.scale[i];
                let eps = tol::LP_CUT_REL * ls;
                if let Some(zi) = built.z[i].or(built.y[i])
                    && ls * sol.var_value(zi) > b.env[i].value(curve, xi) + eps
                    && let Some(line) = above(curve, &b.env[i], xi)
                {
                    b.above[i].push(line);
                    cut = true;
                }
                if let Some(yi) = built.y[i]
                    && ls * sol.var_value(yi) < b.vex[i].value(curve, xi) - eps
                    && let Some(line) = b.vex[i].below(curve, xi)
                {
                    b.below[i].push(line);
                    cut = true;
                }
            }
            last = Some((sol.objective() + built.constant, x, off));
            if !cut {
                break;
            }
        }
        match last {
            Some((value, x, off)) if value.is_finite() => {
                Outer::Bound { bound: value + tol::LP_BOUND_MARGIN_REL * value.abs().max(1.0), x, off }
            }
            _ => Outer::Failed,
        }
    }

    /// An allocation in the box that meets every capacity, near `at`: the LP with each
    /// capacity's use bounded by the line over its members' curves at `at`. `None` when that
    /// LP has no answer.
    pub(crate) fn inner(
        &self,
        b: &NodeBox,
        at: &[f64],
        mask: RowMask,
        deadline: Option<Instant>,
    ) -> Option<Vec<f64>> {
        let core = self.core;
        let lines: Vec<Option<Line>> = (0..at.len())
            .map(|i| {
                if !self.in_cap[i] {
                    return None;
                }
                let line = above(core.curves[i], &b.env[i], at[i])?;
                (line.b * self.money <= tol::LP_COEF_MAX * self.scale[i]).then_some(line)
            })
            .collect();
        let built = self.build(b, Usage::Above(&lines), mask);
        let sol = built.lp.solve_with(lp_options(deadline)).ok()?.into_solution().ok()?;
        Some(self.spend(b, &built, &sol))
    }
}

/// `v ≤ (or ≥) line` in the scaled variables: `v − (b·M/ls)·t {op} (a + b·l)/ls`; `None` when a
/// coefficient is too steep for the LP solver (leaving a line out keeps a relaxation valid).
///
/// A slope too small for the LP solver's range becomes a constant that still bounds the line
/// on the box (`width` is the box's width in `t`): its top for a line above, its value at the
/// low end for a line below.
fn line_row(
    v: Variable,
    t: Variable,
    line: Line,
    l: f64,
    (m, ls, width): (f64, f64, f64),
    op: ComparisonOp,
) -> Option<(Vec<(Variable, f64)>, f64)> {
    let coef = line.b * m / ls;
    let rhs = line.at(l) / ls;
    if !(coef.is_finite() && rhs.is_finite() && coef.abs() <= tol::LP_COEF_MAX) {
        return None;
    }
    if coef.abs() < 1.0 / tol::LP_COEF_MAX {
        let top = if matches!(op, ComparisonOp::Le) {
            (rhs + coef * width).max(rhs)
        } else {
            (rhs + coef * width).min(rhs)
        };
        return Some((vec![(v, 1.0)], top));
    }
    Some((vec![(v, 1.0), (t, -coef)], rhs))
}

fn add_line(
    lp: &mut Lp,
    v: Variable,
    t: Variable,
    line: Line,
    l: f64,
    scales: (f64, f64, f64),
    op: ComparisonOp,
) {
    if let Some((expr, rhs)) = line_row(v, t, line, l, scales, op) {
        lp.add_constraint(expr, op, rhs);
    }
}

/// The LP solver's options: no presolve (these LPs are small and dense in useful rows, so it
/// costs more than it saves), a feasibility tolerance of [`tol::LP_FEASIBILITY`], the time that
/// remains.
fn lp_options(deadline: Option<Instant>) -> microlp::SolveOptions {
    let mut o = microlp::SolveOptions::default();
    o.presolve = false;
    o.tolerances.feasibility = tol::LP_FEASIBILITY;
    o.time_limit = deadline.map(|d| d.saturating_duration_since(Instant::now()));
    o
}

/// The LP's solution, or what its failure proves.
fn solved(r: Result<microlp::SolveOutcome, microlp::Error>) -> Result<LpSolution, Outer> {
    match r {
        // interrupted by the time limit, numerics: nothing proven
        Ok(outcome) => outcome.into_solution().map_err(|_| Outer::Failed),
        Err(microlp::Error::Infeasible) => Err(Outer::Infeasible),
        Err(_) => Err(Outer::Failed),
    }
}

/// Keeps a module's starting lines and its newest cuts.
fn trim(lines: &mut Vec<Line>) {
    let keep = tol::LP_START_LINES + 1;
    if lines.len() > tol::LP_MAX_LINES {
        lines.drain(keep..lines.len() + keep - tol::LP_MAX_LINES);
    }
}
