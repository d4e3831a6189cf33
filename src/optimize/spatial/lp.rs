//! The linear programs of the spatial branch and bound: on a node's box, an *outer* LP (lines
//! above each concave envelope for the value, lines below each convex envelope for a
//! capacity's use) whose optimum bounds every allocation in the box from above and whose
//! infeasibility proves the box holds none; and an *inner* LP (each capacity's use bounded from
//! above by a line over the curve) whose every answer meets the true capacities.
//!
//! Variables are scaled so the LP sees numbers near 1: spend `s_i = l_i + M·t_i` with `M` the
//! widest root interval, leads in units of the module's most leads at its root maximum,
//! capacity rows divided by their limit.

use std::sync::Arc;
use std::time::Instant;

use microlp::{ComparisonOp, OptimizationDirection, Problem as Lp, Solution as LpSolution, Variable};

use super::lines::{Line, Vex, above, initial_above, shaping};
use super::simplex::{Coefs, Ended, RowData, Sense, Tableau};
use crate::curves::Curve;
use crate::numerics::{same, tol};
use crate::optimize::concave::Core;
use crate::optimize::envelope::Env;
use crate::optimize::general::{CapRow, Gen};

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
    /// The parent's solved tableau, for a warm start.
    pub warm: Option<Arc<Warm>>,
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

/// An LP as both solvers take it: columns (objective, bounds) and rows.
#[derive(Debug, Clone, Default)]
struct Model {
    c: Vec<f64>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    rows: Vec<RowData>,
}

impl Model {
    /// An empty LP with room for `cols` columns and `rows` rows (a node's LP is built anew
    /// for each node: growing its vectors was a share of the node's time).
    fn with_capacity(cols: usize, rows: usize) -> Model {
        Model {
            c: Vec::with_capacity(cols),
            lo: Vec::with_capacity(cols),
            hi: Vec::with_capacity(cols),
            rows: Vec::with_capacity(rows),
        }
    }

    fn var(&mut self, c: f64, (l, u): (f64, f64)) -> usize {
        self.c.push(c);
        self.lo.push(l);
        self.hi.push(u);
        self.c.len() - 1
    }

    fn row(&mut self, coefs: Coefs, sense: Sense, rhs: f64) {
        self.rows.push(RowData { coefs, sense, rhs });
    }

    /// The LP's column values by microlp (a cold, sparse solve), or what its failure proves.
    fn solve_sparse(&self, deadline: Option<Instant>) -> Result<Vec<f64>, Outer> {
        let mut lp = Lp::new(OptimizationDirection::Maximize);
        let vars: Vec<Variable> =
            (0..self.c.len()).map(|j| lp.add_var(self.c[j], (self.lo[j], self.hi[j]))).collect();
        for r in &self.rows {
            let op = match r.sense {
                Sense::Le => ComparisonOp::Le,
                Sense::Ge => ComparisonOp::Ge,
                Sense::Eq => ComparisonOp::Eq,
            };
            lp.add_constraint(r.coefs.iter().map(|&(j, a)| (vars[j], a)).collect::<Vec<_>>(), op, r.rhs);
        }
        let sol = solved(lp.solve_with(lp_options(deadline)))?;
        Ok(vars.iter().map(|&v| sol.var_value(v)).collect())
    }

    /// A fingerprint of each row, so a child's LP adds to its parent's tableau only the rows
    /// the tableau lacks (two rows that collided would leave the child one valid row short: a
    /// looser bound, never a wrong one).
    fn keys(&self) -> Vec<u64> {
        self.rows.iter().map(row_key).collect()
    }
}

fn row_key(r: &RowData) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    // foldhash with a fixed seed: the same on every run, and a fraction of SipHash's cost
    // (every row of every node is keyed)
    let mut h = foldhash::fast::FixedState::with_seed(0).build_hasher();
    (r.sense as u8).hash(&mut h);
    // `+ 0.0` makes a zero positive: the sign of a zero depends on how the compiler ordered a
    // `max` or `min`, and a key must not
    (r.rhs + 0.0).to_bits().hash(&mut h);
    for &(j, a) in &r.coefs {
        j.hash(&mut h);
        (a + 0.0).to_bits().hash(&mut h);
    }
    h.finish()
}

/// The dense solver's bound on an LP and the reduced costs `(c − Aᵀπ)_j` of its structural
/// columns at the prices that prove it.
struct Proof {
    bound: f64,
    reduced: Vec<f64>,
}

/// A node's solved tableau, kept for its children's warm starts.
#[derive(Debug)]
pub(crate) struct Warm {
    tab: Tableau,
    /// The fingerprints of the rows it holds, in its order.
    keys: Vec<u64>,
    /// The rows of the mask it was solved under.
    mask: Vec<bool>,
    /// Each module's spend column.
    t: Vec<usize>,
}

impl Warm {
    /// The tableau of a child whose LP is `model` (rows fingerprinted by `keys`): the parent's,
    /// without its rows the child lacks that do not bind, with the child's column bounds; the
    /// child's rows it lacks join as its answers break them ([`settle`]). The second child
    /// takes the tableau its sibling copied.
    fn child(parent: Arc<Warm>, model: &Model, keys: &[u64]) -> (Tableau, Vec<u64>) {
        let w = Arc::try_unwrap(parent).unwrap_or_else(|w| Warm {
            tab: w.tab.clone(),
            keys: w.keys.clone(),
            mask: w.mask.clone(),
            t: w.t.clone(),
        });
        let mut tab = w.tab;
        let mut wanted = keys.to_vec();
        wanted.sort_unstable();
        // a binding row of the parent stays (it is valid in the child's box: every line above
        // or below a curve on an interval is so on a part of it); the others go, so the LP is
        // the child's own and its answer, which the incumbent search starts from, is too
        let stays = tab.drop_rows(|i| wanted.binary_search(&w.keys[i]).is_ok());
        let held = w.keys.iter().zip(&stays).filter(|(_, s)| **s).map(|(k, _)| *k).collect();
        for j in 0..model.c.len() {
            tab.set_bounds(j, model.lo[j], model.hi[j]);
        }
        (tab, held)
    }
}

/// Solves `tab` (holding the rows fingerprinted by `held`) for `model`'s LP: the model's rows
/// it lacks join when its answer breaks them, all of them after [`tol::LP_LAZY_ROUNDS`]
/// rounds, so the answer is the whole LP's. Most of a node's lines do not bind; a tableau
/// without them pivots on a fraction of the rows. Nothing is known when the dense solver does
/// not finish or the tableau grows past [`tol::SIMPLEX_MAX_ENTRIES`].
fn settle(tab: &mut Tableau, held: &mut Vec<u64>, model: &Model, keys: &[u64]) -> Settled {
    // the rows held are some of the LP's: none of their points, none of its own
    let settled = |e: Ended, tab: &Tableau| match e {
        Ended::Optimal => Settled::Optimal,
        Ended::Infeasible(r) if tab.proves_infeasible(r) => Settled::Infeasible,
        _ => Settled::Unknown,
    };
    // the round after every row joined finds none missing
    for round in 0..=tol::LP_LAZY_ROUNDS + 1 {
        // a round's answer only says which rows join: the last is recomputed and confirmed
        match settled(tab.solve_rough(tab.pivot_limit()), tab) {
            Settled::Optimal => {}
            other => return other,
        }
        let x = tab.values();
        let mut have = held.clone();
        have.sort_unstable();
        let every = round >= tol::LP_LAZY_ROUNDS;
        let mut new = Vec::new();
        for (r, key) in model.rows.iter().zip(keys) {
            if have.binary_search(key).is_err() && (every || r.broken_at(&x)) {
                new.push(r.clone());
                held.push(*key);
            }
        }
        if new.is_empty() {
            return settled(tab.solve(tab.pivot_limit()), tab);
        }
        tab.add_rows(new);
        if tab.entries() > tol::SIMPLEX_MAX_ENTRIES {
            return Settled::Unknown;
        }
    }
    Settled::Unknown
}

/// How [`settle`] ended.
enum Settled {
    /// The tableau holds the whole LP's optimum.
    Optimal,
    /// A row of the tableau proves the LP infeasible ([`Tableau::proves_infeasible`]).
    Infeasible,
    /// The dense solver did not finish, or its tableau grew too large: nothing is known.
    Unknown,
}

struct Built {
    model: Model,
    t: Vec<usize>,
    z: Vec<Option<usize>>,
    y: Vec<Option<usize>>,
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
        NodeBox { lo, hi, env, vex, above: above_lines, below: below_lines, warm: None }
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
        let e = if same(l, self.root[i].l) && same(u, self.root[i].u) {
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
    ///
    /// Spend is `s_i = l⁰_i + M·t_i` with `l⁰_i` the module's *root* minimum, whatever the box:
    /// a box only bounds `t_i`, and the rows a parent and its children share are the same rows
    /// (which is what lets a child start from its parent's tableau).
    fn build(&self, b: &NodeBox, usage: Usage, mask: RowMask) -> Built {
        let core = self.core;
        let n = core.n();
        let m = self.money;
        // at most a spend and a leads column per module, and a row per line and constraint
        let lines: usize = b.above.iter().chain(&b.below).map(Vec::len).sum();
        let mut lp = Model::with_capacity(2 * n, lines + self.set.rows.len() + self.set.caps.len());
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
            let origin = self.root[i].l;
            constant -= core.c * origin;
            let (tl, tu) = self.spend_column(b, i, pin);
            let ti = lp.var(-core.c * m, (tl, tu));
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
                let qi = lp.var(core.w[i] * ls, (floor.min(top), top));
                let frame = (origin, m, ls, tl, tu);
                for line in shaping(&b.above[i], l, u, false) {
                    add_line(&mut lp, qi, ti, line, frame, Sense::Le);
                }
                if outer_use {
                    for line in shaping(&b.below[i], l, u, true) {
                        add_line(&mut lp, qi, ti, line, frame, Sense::Ge);
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
            let fixed: f64 = r.members.iter().map(|&i| r.sign * self.root[i].l).sum();
            let expr: Coefs = r.members.iter().map(|&i| (t[i], r.sign)).collect();
            let sense = if r.free { Sense::Eq } else { Sense::Le };
            lp.row(expr, sense, (r.rhs - fixed) / m);
        }
        for (k, c) in self.set.caps.iter().enumerate() {
            if !mask[ml + k] {
                continue;
            }
            let unit = c.limit.max(tol::POSITIVE_FLOOR);
            match usage {
                Usage::Below => {
                    let expr: Coefs = c
                        .members
                        .iter()
                        .filter_map(|&(i, d)| y[i].map(|yi| (yi, d * self.scale[i] / unit)))
                        .collect();
                    lp.row(expr, Sense::Le, c.limit / unit);
                }
                Usage::Above(lines) => {
                    let (expr, rhs) = self.inner_row(b, c, lines, &t);
                    lp.row(expr, Sense::Le, rhs);
                }
            }
        }
        Built { model: lp, t, z, y, constant }
    }

    /// A capacity's row in the inner LP (in units of its limit): each member's use bounded by
    /// its line over the curve, a module without one held at its minimum; `t` are the spend
    /// columns.
    fn inner_row(&self, b: &NodeBox, c: &CapRow, lines: &[Option<Line>], t: &[usize]) -> (Coefs, f64) {
        let unit = c.limit.max(tol::POSITIVE_FLOOR);
        let mut rhs = c.limit * (1.0 - tol::LP_INNER_MARGIN_REL);
        let mut expr = Coefs::with_capacity(c.members.len());
        for &(i, d) in &c.members {
            match lines[i] {
                Some(line) => {
                    rhs -= d * line.at(self.root[i].l);
                    expr.push((t[i], d * line.b * self.money / unit));
                }
                None => rhs -= d * self.core.curves[i].leads(b.lo[i]),
            }
        }
        (expr, rhs / unit)
    }

    /// The range of module `i`'s spend column `t_i` on the box (`s_i = l⁰_i + M·t_i`); a
    /// pinned module stays at its minimum.
    fn spend_column(&self, b: &NodeBox, i: usize, pin: bool) -> (f64, f64) {
        let origin = self.root[i].l;
        let tl = (b.lo[i] - origin) / self.money;
        (tl, if pin { tl } else { (b.hi[i] - origin) / self.money })
    }

    /// The spends of an LP answer `x` whose spend columns are `t`, inside the box.
    fn spend(&self, b: &NodeBox, t: &[usize], x: &[f64]) -> Vec<f64> {
        (0..b.lo.len()).map(|i| (self.root[i].l + self.money * x[t[i]]).clamp(b.lo[i], b.hi[i])).collect()
    }

    /// The outer LP's column values, with its bound and the structural columns' reduced costs
    /// when the dense solver answered: warm from the parent's tableau when the box holds one
    /// (the box then keeps its own for its children), else cold. "Infeasible" is said by the
    /// dense solver only with a certificate ([`Tableau::proves_infeasible`]); microlp answers
    /// where the dense solver cannot, where the LP is too large for a dense tableau, and where
    /// the dense solver's infeasibility is not proven.
    fn solve_outer(
        &self,
        b: &mut NodeBox,
        built: &Built,
        mask: RowMask,
        deadline: Option<Instant>,
    ) -> Result<(Vec<f64>, Option<Proof>), Outer> {
        let model = &built.model;
        let parent = b.warm.take();
        let keys = model.keys();
        let start = match parent.filter(|w| w.mask == mask) {
            Some(w) => Some(Warm::child(w, model, &keys)),
            // a cold start holds no row: they join as its answers break them (most never do)
            None => Tableau::new(&model.c, &model.lo, &model.hi, Vec::new()).map(|t| (t, Vec::new())),
        };
        let settled = start.map(|(mut tab, mut held)| (settle(&mut tab, &mut held, model, &keys), tab, held));
        if let Some((Settled::Infeasible, ..)) = settled {
            return Err(Outer::Infeasible);
        }
        if let Some((Settled::Optimal, mut tab, held)) = settled {
            let x = tab.values();
            let value = tab.objective();
            let (bound, reduced) = tab.priced_bound();
            // the prices must prove what the tableau claims: else rounding has gone
            // astray and the sparse solver decides
            if bound - value <= tol::LP_BOUND_MARGIN_REL * value.abs().max(1.0) {
                // the rows the answer does not touch leave (price 0: the bound is the same)
                let stays = tab.drop_loose_rows(tol::LP_LOOSE_ROW);
                if tab.entries() <= tol::SIMPLEX_WARM_ENTRIES {
                    let keys = held.iter().zip(&stays).filter(|(_, s)| **s).map(|(k, _)| *k).collect();
                    b.warm = Some(Arc::new(Warm { tab, keys, mask: mask.to_vec(), t: built.t.clone() }));
                }
                return Ok((x, Some(Proof { bound, reduced })));
            }
        }
        model.solve_sparse(deadline).map(|x| (x, None))
    }

    /// The outer LP on the box, tightened by rounds of tangent cuts where its answer lies off
    /// an envelope; the cuts stay in `b` for the node's children.
    pub(crate) fn outer(
        &self,
        b: &mut NodeBox,
        mask: RowMask,
        deadline: Option<Instant>,
        incumbent: Option<f64>,
    ) -> Outer {
        let core = self.core;
        let mut last = None;
        for _ in 0..tol::LP_CUT_ROUNDS {
            let built = self.build(b, Usage::Below, mask);
            let (sol, proof) = match self.solve_outer(b, &built, mask, deadline) {
                Ok(s) => s,
                Err(e) => return e,
            };
            let x = self.spend(b, &built.t, &sol);
            let off: Vec<(f64, f64)> = (0..x.len())
                .map(|i| {
                    let (ls, r) = (self.scale[i], core.curves[i].leads(x[i]));
                    let over = built.z[i].map_or(0.0, |zi| (ls * sol[zi] - r).max(0.0));
                    let under = built.y[i].map_or(0.0, |yi| (r - ls * sol[yi]).max(0.0));
                    (over, under)
                })
                .collect();
            let mut cut = false;
            for (i, &xi) in x.iter().enumerate() {
                let curve = core.curves[i];
                let ls = self.scale[i];
                let eps = tol::LP_CUT_REL * ls;
                if let Some(zi) = built.z[i].or(built.y[i])
                    && ls * sol[zi] > b.env[i].value(curve, xi) + eps
                    && let Some(line) = above(curve, &b.env[i], xi)
                {
                    b.above[i].push(line);
                    cut = true;
                }
                if let Some(yi) = built.y[i]
                    && ls * sol[yi] < b.vex[i].value(curve, xi) - eps
                    && let Some(line) = b.vex[i].below(curve, xi)
                {
                    b.below[i].push(line);
                    cut = true;
                }
            }
            if let (Some(proof), Some(low)) = (&proof, incumbent) {
                // the node's own answer stays in the box: only what cannot beat `low` goes
                self.tighten(b, &built, proof.bound + built.constant, &proof.reduced, low);
            }
            let objective = proof
                .map(|p| p.bound)
                .unwrap_or_else(|| sol.iter().zip(&built.model.c).map(|(x, c)| x * c).sum());
            last = Some((objective + built.constant, x, off));
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

    /// Reduced-cost range reduction: with the LP's bound `bound` at prices whose reduced cost on
    /// module `i`'s spend column is `r`, restricting that column to `t ≤ v` (when `r > 0`)
    /// lowers the bound by `r·(t_u − v)`, so no spend below `t_u − (bound − incumbent)/r` can
    /// beat the incumbent (and symmetrically for `r < 0`). The box keeps what is left.
    fn tighten(&self, b: &mut NodeBox, built: &Built, bound: f64, reduced: &[f64], incumbent: f64) {
        // the bound's own rounding margin widens the slack: a reduction never cuts too much
        let slack = bound + tol::LP_BOUND_MARGIN_REL * bound.abs().max(1.0) - incumbent;
        if !(slack.is_finite() && slack > 0.0) {
            return;
        }
        for i in 0..b.lo.len() {
            let (tl, tu) = (built.model.lo[built.t[i]], built.model.hi[built.t[i]]);
            let r = reduced[built.t[i]];
            if tu <= tl || r == 0.0 || !r.is_finite() {
                continue;
            }
            let (mut nl, mut nu) = (tl, tu);
            if r > 0.0 {
                nl = nl.max(tu - slack / r);
            } else {
                nu = nu.min(tl + slack / -r);
            }
            if nu - nl < (1.0 - tol::REDUCE_MIN_CUT) * (tu - tl) {
                let origin = self.root[i].l;
                let l = (origin + self.money * nl).clamp(b.lo[i], b.hi[i]);
                let u = (origin + self.money * nu).clamp(b.lo[i], b.hi[i]);
                if l <= u {
                    self.shrink(b, i, l, u);
                }
            }
        }
    }

    /// Module `i` of `b` on `[l, u]` inside its interval, keeping the lines it holds (a line
    /// above or below the curve on an interval is so on any part of it): a range reduction.
    fn shrink(&self, b: &mut NodeBox, i: usize, l: f64, u: f64) {
        let mut above_lines = std::mem::take(&mut b.above[i]);
        let mut below_lines = std::mem::take(&mut b.below[i]);
        self.narrow(b, i, l, u);
        b.above[i].append(&mut above_lines);
        b.below[i].append(&mut below_lines);
        trim(&mut b.above[i]);
        trim(&mut b.below[i]);
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
        if let Some(answer) = self.inner_warm(b, &lines, mask) {
            return answer;
        }
        let built = self.build(b, Usage::Above(&lines), mask);
        let sol = built.model.solve_sparse(deadline).ok()?;
        Some(self.spend(b, &built.t, &sol))
    }

    /// The inner LP from the node's own solved outer tableau: the outer LP's rows stay (an
    /// allocation that meets the inner capacity rows meets them all with its true leads), its
    /// spends take the box and the inner capacity rows join. A few dual pivots instead of a
    /// cold solve. `Some(None)` when the LP has no answer; `None` when the node holds no
    /// tableau or the dense solver did not finish.
    fn inner_warm(&self, b: &NodeBox, lines: &[Option<Line>], mask: RowMask) -> Option<Option<Vec<f64>>> {
        let w = b.warm.as_ref().filter(|w| w.mask == mask)?;
        let mut tab = w.tab.clone();
        for (i, line) in lines.iter().enumerate() {
            let (tl, tu) = self.spend_column(b, i, self.in_cap[i] && line.is_none());
            tab.set_bounds(w.t[i], tl, tu);
        }
        let ml = self.set.rows.len();
        let rows = self
            .set
            .caps
            .iter()
            .enumerate()
            .filter(|(k, _)| mask[ml + k])
            .map(|(_, c)| {
                let (coefs, rhs) = self.inner_row(b, c, lines, &w.t);
                RowData { coefs, sense: Sense::Le, rhs }
            })
            .collect();
        tab.add_rows(rows);
        match tab.solve(tab.pivot_limit()) {
            Ended::Optimal => Some(Some(self.spend(b, &w.t, &tab.values()))),
            // a heuristic: no answer is no candidate, nothing to prove
            Ended::Infeasible(_) => Some(None),
            Ended::Failed => None,
        }
    }
}

/// `v ≤ (or ≥) line` in the scaled variables: `v − (b·M/ls)·t {op} line(l⁰)/ls`, `l⁰` the
/// spend at `t = 0`; `None` when a coefficient is too steep for the LP solvers (leaving a line
/// out keeps a relaxation valid).
///
/// A slope too small for the solvers' range becomes a constant that still bounds the line on
/// the box (`t ∈ [tl, tu]`): its top for a line above, its bottom for a line below.
fn line_row(
    v: usize,
    t: usize,
    line: Line,
    (origin, m, ls, tl, tu): (f64, f64, f64, f64, f64),
    sense: Sense,
) -> Option<(Coefs, f64)> {
    let coef = line.b * m / ls;
    let rhs = line.at(origin) / ls;
    if !(coef.is_finite() && rhs.is_finite() && coef.abs() <= tol::LP_COEF_MAX) {
        return None;
    }
    if coef.abs() < 1.0 / tol::LP_COEF_MAX {
        let (a, c) = (rhs + coef * tl, rhs + coef * tu);
        let level = if sense == Sense::Le { a.max(c) } else { a.min(c) };
        return Some((Coefs::from_slice(&[(v, 1.0)]), level));
    }
    Some((Coefs::from_slice(&[(v, 1.0), (t, -coef)]), rhs))
}

fn add_line(lp: &mut Model, v: usize, t: usize, line: Line, frame: (f64, f64, f64, f64, f64), sense: Sense) {
    if let Some((expr, rhs)) = line_row(v, t, line, frame, sense) {
        lp.row(expr, sense, rhs);
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

#[cfg(test)]
mod tests {
    use super::{Coefs, RowData, Sense, row_key};

    /// A row's fingerprint does not see the sign of a zero (which depends on how the compiler
    /// ordered a `max`): two builds of the crate once took different search trees for it.
    #[test]
    fn a_rows_key_is_the_same_for_both_zeros() {
        let row = |a: f64, rhs: f64| RowData {
            coefs: Coefs::from_slice(&[(0, 1.0), (1, a)]),
            sense: Sense::Le,
            rhs,
        };
        assert_eq!(row_key(&row(-0.0, -0.0)), row_key(&row(0.0, 0.0)));
        assert_ne!(row_key(&row(0.0, 1.0)), row_key(&row(0.0, 0.0)));
    }
}
