//! General constraints: overlapping groups and any number of capacities, by projected Newton on
//! the Lagrangian dual.
//!
//! Multipliers: `λ` for the budget (free when it must be spent exactly, `≥ 0` otherwise), `α_g ≥ 0`
//! per group cap, `β_g ≥ 0` per group floor and `μ_k ≥ 0` per capacity. For given multipliers each
//! module maximises `a_i·env_i(s) − p_i·s` on its interval with `a_i = w_i − Σ_k μ_k·d_ki` and
//! `p_i = c + λ + Σ_{g∋i} (α_g − β_g)` (the per-module oracle of [`super::concave`]). The dual
//! `D(y) = max_s L(s, y)` is convex; its gradient is the vector of constraint slacks and its
//! Hessian `Σ_i h_i·g_i·g_iᵀ` (with `h_i = −ds_i/dp_i` and `g_i` the module's column: `±1` per
//! linear row, `q_i·d_ki` per capacity, `q_i = p_i/a_i`). `D` is minimised by projected Newton
//! with an active set and an Armijo search along the projected arc (scaled projected gradient when
//! the Newton step fails). On concave-envelope relaxations a module jumps from the start of its
//! envelope's linear part to its end at one price, which leaves `D` with kinks that stall Newton;
//! the jump is smoothed (`relu` → `eps·softplus`) and `eps` shrinks by continuation until its
//! bias is far below the gap tolerance, while the bound always comes from the unsmoothed `D`.
//! Every evaluated `D` is an upper bound (weak duality). The oracle's
//! answer is then repaired to exact feasibility (capacities by shrinking their members towards
//! their minima, linear rows by shifting money in proportion to `h_i` while each capacity's room
//! caps how much its members may grow, cyclically), and its value is the lower bound.

use super::concave::Core;
use super::envelope::{Env, oracle};
use crate::curves::Curve;
use crate::error::OptimizeError;
use crate::numerics::special::softplus;
use crate::numerics::{bisect, dense, tol};

/// What a linear row constrains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    Budget,
    Cap,
    Floor,
}

/// One linear row `sign·Σ_{members} s ≤ rhs` (an exact budget is a free row: `Σ s = rhs`).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub kind: RowKind,
    /// Index of the group in the problem (caps and floors).
    pub group: usize,
    /// `+1` for the budget and caps, `−1` for floors.
    pub sign: f64,
    /// `B`, `cap` or `−floor`.
    pub rhs: f64,
    /// Equality (the multiplier is free).
    pub free: bool,
    pub members: Vec<usize>,
    /// Name for messages.
    pub label: String,
}

/// One capacity `Σ d_i·r_i(s_i) ≤ limit`.
#[derive(Debug, Clone)]
pub(crate) struct CapRow {
    pub members: Vec<(usize, f64)>,
    pub limit: f64,
    /// Name for messages: `capacity "desk" (420 leads)`.
    pub label: String,
}

impl CapRow {
    /// The capacity's use when module `i` brings `q[i]` leads.
    fn used(&self, q: &[f64]) -> f64 {
        self.members.iter().map(|&(i, d)| d * q[i]).sum()
    }
}

/// The flattened general constraint set.
#[derive(Debug, Clone)]
pub(crate) struct Gen {
    pub rows: Vec<Row>,
    pub caps: Vec<CapRow>,
    pub ngroups: usize,
    /// Per module: `(variable, coefficient)`, linear rows (`±1`) first, then capacities (`d`).
    start: Vec<usize>,
    ent: Vec<(usize, f64)>,
}

/// Buffers of one dual evaluation.
#[derive(Debug, Clone, Default)]
struct Eval {
    s: Vec<f64>,
    h: Vec<f64>,
    q: Vec<f64>,
    g: Vec<f64>,
    /// The smoothed dual value (the function the search minimises; equal to `d_true` when
    /// `eps = 0` or no envelope has a linear part).
    d: f64,
    /// The dual value itself: an upper bound on the relaxation's optimum.
    d_true: f64,
    pmax: f64,
}

/// Result of the general relaxation.
#[derive(Debug, Clone)]
pub(crate) struct GenOut {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub bound: f64,
    pub feasible: bool,
    /// Certified infeasibility (the dual fell below every feasible value).
    pub infeasible: Option<OptimizeError>,
}

/// `"name"` for plain names, the name itself when it already carries quotes (`channel "search"`).
pub(crate) fn label(name: &str) -> String {
    if name.contains('"') { name.to_string() } else { format!("{name:?}") }
}

impl Gen {
    pub(crate) fn new(rows: Vec<Row>, caps: Vec<CapRow>, ngroups: usize, n: usize) -> Gen {
        let mut per: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for (j, r) in rows.iter().enumerate() {
            for &i in &r.members {
                per[i].push((j, r.sign));
            }
        }
        let ml = rows.len();
        for (k, c) in caps.iter().enumerate() {
            for &(i, d) in &c.members {
                per[i].push((ml + k, d));
            }
        }
        let mut start = Vec::with_capacity(n + 1);
        let mut ent = Vec::new();
        start.push(0);
        for p in per {
            ent.extend(p);
            start.push(ent.len());
        }
        Gen { rows, caps, ngroups, start, ent }
    }

    pub(crate) fn m(&self) -> usize {
        self.rows.len() + self.caps.len()
    }

    #[inline]
    fn entries(&self, i: usize) -> &[(usize, f64)] {
        &self.ent[self.start[i]..self.start[i + 1]]
    }

    /// Price and weight of module `i` at multipliers `y`.
    #[inline]
    pub(crate) fn price_weight(&self, core: &Core, y: &[f64], i: usize) -> (f64, f64) {
        let ml = self.rows.len();
        let (mut p, mut a) = (core.c, core.w[i]);
        if y.len() == self.m() {
            for &(j, coef) in self.entries(i) {
                if j < ml {
                    p += coef * y[j];
                } else {
                    a -= coef * y[j];
                }
            }
        }
        (p, a)
    }

    /// Budget multiplier, group multipliers (cap − floor) and capacity multipliers.
    pub(crate) fn split(&self, y: &[f64]) -> (f64, Vec<f64>, Vec<f64>) {
        let mut lam = 0.0;
        let mut gm = vec![0.0; self.ngroups];
        let ml = self.rows.len();
        if y.len() != self.m() {
            return (0.0, gm, vec![0.0; self.caps.len()]);
        }
        for (j, r) in self.rows.iter().enumerate() {
            match r.kind {
                RowKind::Budget => lam = y[j],
                RowKind::Cap => gm[r.group] += y[j],
                RowKind::Floor => gm[r.group] -= y[j],
            }
        }
        (lam, gm, y[ml..].to_vec())
    }

    /// Multipliers from a previous solution's shadow prices.
    pub(crate) fn multipliers_of(&self, lam: f64, gm: &[f64], cm: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; self.m()];
        for (j, r) in self.rows.iter().enumerate() {
            let v = match r.kind {
                RowKind::Budget => lam,
                RowKind::Cap => gm.get(r.group).copied().unwrap_or(0.0).max(0.0),
                RowKind::Floor => (-gm.get(r.group).copied().unwrap_or(0.0)).max(0.0),
            };
            y[j] = if r.free { v } else { v.max(0.0) };
        }
        for (k, v) in cm.iter().enumerate().take(self.caps.len()) {
            y[self.rows.len() + k] = v.max(0.0);
        }
        y
    }

    fn project(&self, y: &mut [f64]) {
        let ml = self.rows.len();
        for (j, v) in y.iter_mut().enumerate() {
            let free = j < ml && self.rows[j].free;
            if !free && *v < 0.0 {
                *v = 0.0;
            }
        }
    }

    /// Evaluates the dual at `y`. With `eps > 0` the jump of a module at the end of its
    /// envelope's linear part is smoothed: its Lagrangian holds `relu(z)` with
    /// `z = (a·σ − p)·(τ − l)`, replaced here by `eps·softplus(z/eps)` (at most `eps·ln 2` above),
    /// so the smoothed dual has a Hessian where the true one has a kink; `d_true` stays exact.
    fn eval(&self, core: &Core, env: &[Env], y: &[f64], eps: f64, warm: &mut [f64], ev: &mut Eval) {
        let n = core.n();
        let ml = self.rows.len();
        let m = self.m();
        ev.s.resize(n, 0.0);
        ev.h.resize(n, 0.0);
        ev.q.resize(n, 0.0);
        ev.g.clear();
        ev.g.resize(m, 0.0);
        ev.pmax = core.c.abs();
        let mut total = 0.0;
        let mut smooth_extra = 0.0;
        let mut bound_extra = 0.0;
        for i in 0..n {
            let (p, a) = self.price_weight(core, y, i);
            let e = &env[i];
            let (mut s, mut dsdp) = oracle(core.curves[i], core.fast[i], e, a, p, &mut warm[i]);
            if !s.is_finite() {
                ev.d = f64::INFINITY;
                ev.d_true = f64::INFINITY;
                return;
            }
            let mut v = e.value(core.curves[i], s);
            total += a * v - p * s;
            if a < 0.0 && p < 0.0 && e.infl > e.l && e.u.is_finite() {
                // leads cost and spend pays: on the curve's convex part `a·r − p·s` is concave
                // and may peak inside the box, above both ends the oracle compares; the bound
                // takes each term at its best instead (fewest leads, most spend)
                bound_extra += (a * e.rl - p * e.u) - (a * v - p * s);
            }
            if eps > 0.0 && e.tau > e.l && a > 0.0 {
                // the linear part contributes relu(z); its smoothed value, spend and slope
                let width = e.tau - e.l;
                let z = (a * e.sigma - p) * width;
                let t = z / eps;
                let theta = if t >= 0.0 { 1.0 / (1.0 + (-t).exp()) } else { t.exp() / (1.0 + t.exp()) };
                smooth_extra += eps * softplus(t) - z.max(0.0);
                // beyond the linear part (z > 0) the module sits on its curve at `s ≥ τ`
                let (beyond, dbeyond, vbeyond) =
                    if z > 0.0 { (s - e.tau, dsdp, v - e.rl - e.sigma * width) } else { (0.0, 0.0, 0.0) };
                s = e.l + theta * width + beyond;
                dsdp = -width * width * theta * (1.0 - theta) / eps + dbeyond;
                v = e.rl + theta * e.sigma * width + vbeyond;
            }
            ev.s[i] = s;
            ev.h[i] = if dsdp < 0.0 { -dsdp } else { 0.0 };
            ev.q[i] = if a > 0.0 { p / a } else { 0.0 };
            if ev.h[i] > 0.0 {
                ev.pmax = ev.pmax.max(p.abs());
            }
            for &(j, coef) in self.entries(i) {
                ev.g[j] += if j < ml { coef * s } else { coef * v };
            }
        }
        for (j, r) in self.rows.iter().enumerate() {
            total += y[j] * r.rhs;
            ev.g[j] = r.rhs - ev.g[j];
        }
        for (k, c) in self.caps.iter().enumerate() {
            total += y[ml + k] * c.limit;
            ev.g[ml + k] = c.limit - ev.g[ml + k];
        }
        ev.d_true = total + bound_extra;
        ev.d = total + smooth_extra;
    }

    /// Projected Newton on the dual from `y0`, then primal repair.
    pub(crate) fn solve(&self, core: &Core, env: &[Env], y0: &[f64], warm: &mut [f64]) -> GenOut {
        let n = core.n();
        let m = self.m();
        let ml = self.rows.len();
        let mut y = if y0.len() == m { y0.to_vec() } else { vec![0.0; m] };
        self.project(&mut y);
        // Modules with a linear part in their envelope make the dual kinked; it is smoothed (see
        // `eval`) with a width that starts at a thousandth of the dual value over those modules
        // and shrinks `SMOOTH_NARROW`-fold once the Newton decrement (or a failed line search)
        // says the width is solved, down to a bias of 1% of the gap tolerance.
        let linear = env.iter().filter(|e| e.tau > e.l).count();
        let mut ev = Eval::default();
        self.eval(core, env, &y, 0.0, warm, &mut ev);
        let scale = ev.d_true.abs().max(1.0);
        let bias = |eps: f64| linear as f64 * eps * std::f64::consts::LN_2;
        let eps_min =
            tol::SMOOTH_BIAS_SHARE * core.gap_tol * scale / (linear.max(1) as f64 * std::f64::consts::LN_2);
        // (no smoothing from an unbounded start: there is no scale to set it by)
        let mut eps =
            if linear > 0 && scale.is_finite() { tol::SMOOTH_START * scale / linear as f64 } else { 0.0 };
        if eps > 0.0 {
            self.eval(core, env, &y, eps, warm, &mut ev);
        }
        let mut trial = Eval::default();
        let mut best = ev.d_true;
        let mut x = vec![0.0; n];
        let mut hess = vec![0.0; m * m];
        let mut dir = vec![0.0; m];
        let mut yt = vec![0.0; m];
        let low = self.box_lower_bound(core, env);
        let mut feasible = false;
        let mut last_gap = f64::INFINITY;
        let mut stalls = 0usize;
        let mut x_best: Option<(f64, Vec<f64>)> = None;
        for _ in 0..tol::MAX_DUAL_ITERS {
            if ev.d_true < low {
                break;
            }
            // repair when the residuals are small; stop at a certified gap
            if self.small_residuals(&ev) {
                x.copy_from_slice(&ev.s);
                if self.repair(core, env, &mut x, &ev.h, tol::MAX_REPAIR_SWEEPS, false) {
                    feasible = true;
                    let v = env_value(core, env, &x);
                    if x_best.as_ref().is_none_or(|(b, _)| v > *b) {
                        x_best = Some((v, x.clone()));
                    }
                    let gap = best - x_best.as_ref().map_or(v, |b| b.0);
                    // a certified gap, and residuals at rounding level (so the allocation, not
                    // only its value, is converged) or no more progress
                    let done = gap <= core.gap_tol * v.abs().max(1.0)
                        && (self.residual(&ev, &y) <= tol::DUAL_RESIDUAL_REL || stalls >= tol::DUAL_STALLS);
                    if done {
                        break;
                    }
                    stalls = if gap >= last_gap { stalls + 1 } else { 0 };
                    last_gap = gap;
                }
            }
            // Newton direction on the free set
            let free: Vec<bool> =
                (0..m).map(|j| (j < ml && self.rows[j].free) || y[j] > 0.0 || ev.g[j] < 0.0).collect();
            self.hessian(&ev, &mut hess);
            let scale = |j: usize, ev: &Eval| -> f64 {
                let pi = if j < ml {
                    ev.pmax.max(tol::POSITIVE_FLOOR)
                } else {
                    let c = &self.caps[j - ml];
                    c.members.iter().map(|&(i, _)| core.w[i]).fold(tol::POSITIVE_FLOOR, f64::max)
                };
                y[j].abs().max(0.5 * pi)
            };
            for j in 0..m {
                let hjj = hess[j * m + j];
                let fallback = ev.g[j].abs() / scale(j, &ev);
                hess[j * m + j] = hjj * (1.0 + tol::HESSIAN_REG_REL)
                    + if hjj > 0.0 { 0.0 } else { fallback.max(tol::POSITIVE_FLOOR) };
            }
            let newton = solve_free(&hess, &ev.g, &free, m, &mut dir);
            // the Newton decrement `−g·d` predicts what is left to gain at this smoothing width;
            // below a tenth of the width's bias, narrow the smoothing
            if eps > eps_min && newton {
                let decrement: f64 = -(0..m).map(|j| ev.g[j] * dir[j]).sum::<f64>();
                if decrement <= tol::SMOOTH_DECREMENT_SHARE * bias(eps) {
                    eps = (eps / tol::SMOOTH_NARROW).max(eps_min);
                    self.eval(core, env, &y, eps, warm, &mut ev);
                    best = best.min(ev.d_true);
                    continue;
                }
            }
            let mut moved = false;
            for attempt in 0..2 {
                if attempt == 1 || !newton {
                    for j in 0..m {
                        dir[j] = if free[j] { -ev.g[j] / hess[j * m + j] } else { 0.0 };
                    }
                }
                // cap each step to a trust region in the price scale
                let mut t = 1.0f64;
                for (j, dj) in dir.iter().enumerate() {
                    let lim = tol::DUAL_TRUST * scale(j, &ev);
                    if dj.abs() > lim {
                        t = t.min(lim / dj.abs());
                    }
                }
                for _ in 0..tol::MAX_LINE_SEARCH {
                    for j in 0..m {
                        yt[j] = y[j] + t * dir[j];
                    }
                    self.project(&mut yt);
                    let dec: f64 = (0..m).map(|j| ev.g[j] * (yt[j] - y[j])).sum();
                    if dec >= 0.0 {
                        t *= 0.5;
                        continue;
                    }
                    self.eval(core, env, &yt, eps, warm, &mut trial);
                    if trial.d <= ev.d + tol::ARMIJO * dec + tol::ARMIJO_ROUNDING * ev.d.abs() {
                        moved = yt != y;
                        break;
                    }
                    t *= 0.5;
                }
                if moved {
                    break;
                }
            }
            if moved {
                std::mem::swap(&mut ev, &mut trial);
                y.copy_from_slice(&yt);
                best = best.min(ev.d_true);
            } else if eps > eps_min {
                // no progress at this width: narrow it
                eps = (eps / tol::SMOOTH_NARROW).max(eps_min);
                self.eval(core, env, &y, eps, warm, &mut ev);
                best = best.min(ev.d_true);
            } else {
                break;
            }
        }
        let cert = if ev.d_true < low { Some(self.certificate(core, env, &y)) } else { None };
        // only a combination that misses by a positive amount is a certificate
        if let Some(OptimizeError::ConflictingConstraints { short, .. }) = &cert
            && *short > tol::BUDGET_REL * low.abs().max(1.0)
        {
            return GenOut {
                x: ev.s.clone(),
                y: y.clone(),
                bound: ev.d_true,
                feasible: false,
                infeasible: cert,
            };
        }
        if !feasible || x_best.is_none() {
            x.copy_from_slice(&ev.s);
            feasible = self.repair(core, env, &mut x, &ev.h, tol::MAX_REPAIR_SWEEPS, false);
            if !feasible {
                // from the minima (within every capacity), filling by room
                for (xi, e) in x.iter_mut().zip(env) {
                    *xi = e.l;
                }
                feasible = self.repair(core, env, &mut x, &vec![0.0; n], tol::MAX_REPAIR_SWEEPS, false);
            }
            if feasible {
                x_best = Some((env_value(core, env, &x), x.clone()));
            }
        }
        let x = x_best.map_or(x, |b| b.1);
        GenOut { x, y, bound: best, feasible, infeasible: None }
    }

    /// Largest relative violation of the optimality conditions: slack of a row whose multiplier
    /// is positive, or violation of a row.
    fn residual(&self, ev: &Eval, y: &[f64]) -> f64 {
        let ml = self.rows.len();
        let mut r: f64 = 0.0;
        for (j, &g) in ev.g.iter().enumerate() {
            let rhs = if j < ml { self.rows[j].rhs } else { self.caps[j - ml].limit };
            let free = j < ml && self.rows[j].free;
            let v = if free || y[j] > 0.0 { g.abs() } else { (-g).max(0.0) };
            r = r.max(v / rhs.abs().max(1.0));
        }
        r
    }

    fn small_residuals(&self, ev: &Eval) -> bool {
        let ml = self.rows.len();
        ev.g.iter().enumerate().all(|(j, &g)| {
            let rhs = if j < ml { self.rows[j].rhs } else { self.caps[j - ml].limit };
            let free = j < ml && self.rows[j].free;
            // a slack row (g > 0) is fine unless its multiplier is positive (checked by the gap)
            let r = if free { g.abs() } else { (-g).max(0.0) };
            r <= tol::ROW_RESIDUAL_REL * rhs.abs().max(1.0)
        })
    }

    fn hessian(&self, ev: &Eval, hess: &mut [f64]) {
        let m = self.m();
        let ml = self.rows.len();
        hess.fill(0.0);
        for i in 0..ev.s.len() {
            let h = ev.h[i];
            if h <= 0.0 {
                continue;
            }
            let e = self.entries(i);
            for &(ja, ca) in e {
                let ca = if ja < ml { ca } else { ca * ev.q[i] };
                for &(jb, cb) in e {
                    let cb = if jb < ml { cb } else { cb * ev.q[i] };
                    hess[ja * m + jb] += h * ca * cb;
                }
            }
        }
    }

    /// Lower bound of the objective over the bounds alone (`−∞` when a bound is infinite).
    fn box_lower_bound(&self, core: &Core, env: &[Env]) -> f64 {
        let mut t = 0.0;
        for (i, e) in env.iter().enumerate() {
            if !e.u.is_finite() {
                return f64::NEG_INFINITY;
            }
            let lo = core.curves[i].leads(e.l);
            let hi = core.curves[i].leads(e.u);
            t += (core.w[i] * lo).min(core.w[i] * hi) - core.c * e.u.max(e.l);
        }
        // below every feasible value by more than rounding
        t - tol::BOUND_MARGIN_REL * t.abs().max(1.0)
    }

    /// Restores exact feasibility of `x` (bounds, capacities, linear rows). `false` when the
    /// cyclic repair does not settle within `sweeps`, or, with `stall`, when it stops shrinking
    /// its violation ([`tol::REPAIR_STALL`]) twice: after the first stall, spend also moves
    /// within full capacities ([`Gen::exchange`]); after the second it gives up. The spatial
    /// search repairs a candidate per node and has the inner LP when a repair fails; the dual's
    /// repairs, one per solve, run their sweeps out.
    pub(crate) fn repair(
        &self,
        core: &Core,
        env: &[Env],
        x: &mut [f64],
        h: &[f64],
        sweeps: usize,
        stall: bool,
    ) -> bool {
        let n = x.len();
        for i in 0..n {
            x[i] = x[i].clamp(env[i].l, env[i].u);
        }
        let mut ceiling = vec![f64::INFINITY; n];
        // each module's steepest slope above its spend, with the spend it holds for (a sweep
        // asks for the ceilings once per row that needs money, and most spends have not moved)
        let mut steepest = vec![(f64::NAN, f64::NAN); n];
        // each module's leads at `x`, refreshed wherever a step may move it (the curves are
        // the repair's main cost: a module sits in several capacities and rows)
        let leads = |i: usize, x: &[f64]| core.curves[i].leads(x[i]);
        let mut q: Vec<f64> = (0..n).map(|i| leads(i, x)).collect();
        // the violation of the last few sweeps (relative, summed over capacities and rows)
        let mut trail = [f64::INFINITY; tol::REPAIR_STALL_SWEEPS];
        // spend moves between a capacity's members only once the plain repair has stalled
        let mut exchanging = false;
        for sweep in 0..sweeps {
            let mut violation = 0.0;
            let mut ok = true;
            for c in &self.caps {
                let lim = c.limit;
                let used = c.used(&q);
                if used > lim * (1.0 + tol::REPAIR_REL) {
                    violation += (used - lim) / lim.abs().max(1.0);
                    ok = false;
                    shrink_capacity(core, env, x, c);
                    for &(i, _) in &c.members {
                        q[i] = leads(i, x);
                    }
                }
            }
            for r in &self.rows {
                let sum: f64 = r.members.iter().map(|&i| x[i]).sum();
                let tol_r = tol::REPAIR_REL * r.rhs.abs().max(1.0);
                // amount to add to the members' total
                let need = match r.kind {
                    RowKind::Budget if r.free => r.rhs - sum,
                    RowKind::Budget | RowKind::Cap => (r.rhs - sum).min(0.0),
                    RowKind::Floor => (-r.rhs - sum).max(0.0),
                };
                if need.abs() > tol_r {
                    violation += need.abs() / r.rhs.abs().max(1.0);
                    ok = false;
                    if need > 0.0 {
                        self.ceilings(core, env, x, &q, &mut steepest, &mut ceiling);
                    }
                    shift(x, env, &r.members, need, h, &ceiling);
                    for &i in &r.members {
                        q[i] = leads(i, x);
                    }
                    if exchanging && need > 0.0 {
                        // what the capacities' ceilings kept out of the shift
                        let short = need - (r.members.iter().map(|&i| x[i]).sum::<f64>() - sum);
                        if short > tol_r {
                            self.exchange(core, env, x, &mut q, &r.members, short);
                        }
                    }
                }
            }
            if ok {
                return true;
            }
            let past = &mut trail[sweep % tol::REPAIR_STALL_SWEEPS];
            if stall && (violation >= tol::REPAIR_STALL * *past || too_slow(violation, *past, sweeps - sweep))
            {
                if exchanging {
                    return false;
                }
                exchanging = true;
                trail = [f64::INFINITY; tol::REPAIR_STALL_SWEEPS];
                continue;
            }
            *past = violation;
        }
        false
    }

    /// Adds up to `short` to the spend of `members` where full capacities keep the shift out:
    /// in each such capacity, spend moves from its member with the steepest leads per unit of
    /// money to the flattest of `members`, in the ratio that keeps its leads (to first order).
    /// A floor and a capacity over the same modules otherwise hold each other still: the
    /// capacity's members cannot grow, and shrinking them breaks the floor again.
    fn exchange(
        &self,
        core: &Core,
        env: &[Env],
        x: &mut [f64],
        q: &mut [f64],
        members: &[usize],
        short: f64,
    ) {
        let mut short = short;
        for c in &self.caps {
            if short <= 0.0 {
                break;
            }
            if c.used(q) < c.limit * (1.0 - tol::CAPACITY_MARGIN_REL) {
                continue;
            }
            let rate = |i: usize, d: f64| d * core.curves[i].derivative(x[i]);
            let grow = c
                .members
                .iter()
                .filter(|&&(i, d)| d > 0.0 && x[i] < env[i].u && members.contains(&i))
                .map(|&(i, d)| (i, rate(i, d)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let shrink = c
                .members
                .iter()
                .filter(|&&(i, d)| d > 0.0 && x[i] > env[i].l)
                .map(|&(i, d)| (i, rate(i, d)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let (Some((a, ra)), Some((b, rb))) = (grow, shrink) else { continue };
            // (written so that a NaN slope moves nothing)
            let steeper = ra < rb && rb > 0.0;
            if a == b || !steeper {
                continue;
            }
            // `b` gives up `ratio` of what `a` gains; the members' total gains the rest when
            // `b` is one of them
            let ratio = ra / rb;
            let net = if members.contains(&b) { 1.0 - ratio } else { 1.0 };
            let up = (short / net).min(env[a].u - x[a]).min((x[b] - env[b].l) / ratio);
            let movable = up > 0.0 && up.is_finite();
            if !movable {
                continue;
            }
            x[a] += up;
            x[b] = (x[b] - ratio * up).max(env[b].l);
            q[a] = core.curves[a].leads(x[a]);
            q[b] = core.curves[b].leads(x[b]);
            short -= net * up;
        }
    }

    /// The largest relative overrun of a capacity at `x`: `(used − limit) / limit` (negative
    /// when every capacity has room; `−∞` without capacities). A limit of 0 counts as
    /// [`tol::POSITIVE_FLOOR`], so the answer is never NaN.
    pub(crate) fn overrun(&self, core: &Core, x: &[f64]) -> f64 {
        let q: Vec<f64> = x.iter().zip(&core.curves).map(|(&s, c)| c.leads(s)).collect();
        let over = |c: &CapRow| (c.used(&q) - c.limit) / c.limit.max(tol::POSITIVE_FLOOR);
        self.caps.iter().map(over).fold(f64::NEG_INFINITY, f64::max)
    }

    /// `true` when `x` meets its bounds exactly and every row and capacity to the repair's
    /// precision.
    pub(crate) fn feasible(&self, core: &Core, env: &[Env], x: &[f64]) -> bool {
        let bounds = x.iter().zip(env).all(|(x, e)| *x >= e.l && *x <= e.u);
        let rows = self.rows.iter().all(|r| {
            let sum: f64 = r.members.iter().map(|&i| r.sign * x[i]).sum();
            let slack = tol::REPAIR_REL * r.rhs.abs().max(1.0);
            if r.free { (sum - r.rhs).abs() <= slack } else { sum <= r.rhs + slack }
        });
        let caps = self.caps.iter().all(|c| {
            let used: f64 = c.members.iter().map(|&(i, d)| d * core.curves[i].leads(x[i])).sum();
            used <= c.limit * (1.0 + tol::REPAIR_REL)
        });
        bounds && rows && caps
    }

    /// How far each module may grow without breaking a capacity: its maximum, lowered for a
    /// capacity's members by their share of its room, converted to money at the steepest slope
    /// the member's curve reaches above its spend (so the usage stays within the limit).
    /// `q` holds each module's leads at `x`; `steepest` each module's steepest slope above a
    /// spend, kept for the next call (computed again where `x` has moved).
    fn ceilings(
        &self,
        core: &Core,
        env: &[Env],
        x: &[f64],
        q: &[f64],
        steepest: &mut [(f64, f64)],
        ceiling: &mut [f64],
    ) {
        for (c, e) in ceiling.iter_mut().zip(env) {
            *c = e.u;
        }
        for c in &self.caps {
            let room = c.limit * (1.0 - tol::CAPACITY_MARGIN_REL) - c.used(q);
            let growing = c.members.iter().filter(|&&(i, d)| d > 0.0 && x[i] < env[i].u).count();
            for &(i, d) in &c.members {
                if d <= 0.0 {
                    continue;
                }
                if room <= 0.0 || growing == 0 {
                    ceiling[i] = ceiling[i].min(x[i]);
                    continue;
                }
                // (a NaN spend never matches, so a slope is never kept for one)
                let (at, kept) = steepest[i];
                let slope = if crate::numerics::same(at, x[i]) {
                    kept
                } else {
                    let curve = core.curves[i];
                    let slope =
                        curve.derivative(x[i]).max(curve.derivative(x[i].max(env[i].infl).min(env[i].u)));
                    steepest[i] = (x[i], slope);
                    slope
                };
                let money = if slope > 0.0 { room / (growing as f64 * d * slope) } else { f64::INFINITY };
                ceiling[i] = ceiling[i].min(x[i] + money);
            }
        }
    }

    /// Names the linear rows whose multipliers grew without bound, with the amount they miss by.
    fn certificate(&self, core: &Core, env: &[Env], y: &[f64]) -> OptimizeError {
        let ml = self.rows.len();
        let top = y[..ml].iter().fold(0.0f64, |a, v| a.max(v.abs()));
        let short_of = |w: &[f64]| -> f64 {
            // min over the bounds of Σ_j w_j·(A_j s − b_j)
            let mut coef = vec![0.0; core.n()];
            let mut t = 0.0;
            for (j, r) in self.rows.iter().enumerate() {
                if w[j] == 0.0 {
                    continue;
                }
                t -= w[j] * r.rhs;
                for &i in &r.members {
                    coef[i] += w[j] * r.sign;
                }
            }
            for i in 0..core.n() {
                if coef[i] > 0.0 {
                    t += coef[i] * env[i].l;
                } else if coef[i] < 0.0 {
                    t += coef[i] * env[i].u;
                }
            }
            t
        };
        // weights relative to the smallest significant one, then rounded to whole numbers: the
        // usual certificate (0/1 rows) is then exact and its amount is in money
        let least = y[..ml]
            .iter()
            .map(|v| v.abs())
            .filter(|&v| v >= tol::CERTIFICATE_SIGNIFICANT * top)
            .fold(top, f64::min);
        let w: Vec<f64> = y[..ml]
            .iter()
            .map(|v| {
                if v.abs() >= tol::CERTIFICATE_SIGNIFICANT * top {
                    v / least.max(tol::POSITIVE_FLOOR)
                } else {
                    0.0
                }
            })
            .collect();
        let rounded: Vec<f64> = w.iter().map(|v| v.round()).collect();
        let (w, short) = {
            let s = short_of(&rounded);
            if s > 0.0 { (rounded, s) } else { (w.clone(), short_of(&w)) }
        };
        let names: Vec<String> =
            self.rows.iter().zip(&w).filter(|(_, v)| **v != 0.0).map(|(r, _)| r.label.clone()).collect();
        OptimizeError::ConflictingConstraints {
            constraints: names,
            detail: "the modules' bounds cannot meet them together".to_string(),
            short: short.max(0.0),
        }
    }
}

/// `Σ w·env(x) − c·Σ x`.
fn env_value(core: &Core, env: &[Env], x: &[f64]) -> f64 {
    (0..core.n()).map(|i| core.w[i] * env[i].value(core.curves[i], x[i]) - core.c * x[i]).sum()
}

/// Moves `amount` (signed) into the members' total, in proportion to `h` where it is positive
/// (the first-order-optimal direction), else to the room; module `i` grows up to `ceiling[i]`
/// at most (see `Gen::ceilings`).
fn shift(x: &mut [f64], env: &[Env], members: &[usize], mut amount: f64, h: &[f64], ceiling: &[f64]) {
    let up = amount > 0.0;
    let room = |i: usize, x: &[f64]| if up { ceiling[i] - x[i] } else { x[i] - env[i].l };
    for _ in 0..tol::SHIFT_ROUNDS {
        if amount == 0.0 {
            break;
        }
        let (mut hs, mut rs, mut cnt) = (0.0, 0.0, 0usize);
        for &i in members {
            let r = room(i, x);
            if r > 0.0 {
                hs += h[i];
                rs += r;
                cnt += 1;
            }
        }
        if cnt == 0 {
            break;
        }
        let use_h = hs > 0.0 && hs.is_finite();
        let use_r = !use_h && rs.is_finite();
        let total = if use_h {
            hs
        } else if use_r {
            rs
        } else {
            cnt as f64
        };
        let want = amount.abs();
        let mut moved = 0.0;
        for &i in members {
            let r = room(i, x);
            if r.is_nan() || r <= 0.0 {
                continue;
            }
            let wgt = if use_h {
                h[i]
            } else if use_r {
                r
            } else {
                1.0
            };
            let d = (want * wgt / total).min(r);
            let old = x[i];
            x[i] = if up { (old + d).min(env[i].u) } else { (old - d).max(env[i].l) };
            moved += (x[i] - old).abs();
        }
        if moved == 0.0 {
            break;
        }
        amount = if up { amount - moved } else { amount + moved };
        if (up && amount < 0.0) || (!up && amount > 0.0) {
            break;
        }
    }
}

/// Shrinks the members of a violated capacity towards their minima, `x = l + θ·(x − l)`, with the
/// largest `θ` that meets the limit (a Newton step in `θ`, exact for concave curves, then
/// bisection).
pub(crate) fn shrink_capacity(core: &Core, env: &[Env], x: &mut [f64], c: &CapRow) {
    let base: Vec<f64> = c.members.iter().map(|&(i, _)| x[i]).collect();
    let used = |t: f64| -> f64 {
        c.members
            .iter()
            .zip(&base)
            .map(|(&(i, d), &b)| d * core.curves[i].leads(env[i].l + t * (b - env[i].l)))
            .sum()
    };
    let target = c.limit;
    let f1 = used(1.0) - target;
    let df: f64 = c
        .members
        .iter()
        .zip(&base)
        .filter(|(m, b)| **b > env[m.0].l)
        .map(|(&(i, d), &b)| d * core.curves[i].derivative(b) * (b - env[i].l))
        .sum();
    // without a usable slope, bisection on the whole of [0, 1]
    let mut t = if df > 0.0 && df.is_finite() { (1.0 - f1 / df).clamp(0.0, 1.0) } else { 1.0 };
    if used(t) > target {
        t = bisect(0.0, t, |t| used(t) <= target).0;
    }
    for (&(i, _), &b) in c.members.iter().zip(&base) {
        x[i] = (env[i].l + t * (b - env[i].l)).clamp(env[i].l, b);
    }
}

/// `true` when a repair whose violation fell from `past` to `now` over the last
/// [`tol::REPAIR_STALL_SWEEPS`] sweeps would, at that rate, still miss [`tol::REPAIR_REL`]
/// after the `left` sweeps it has: it is stalled as surely as one that stopped falling (most
/// repairs that settle do so within a few sweeps; the rest crawl towards a constant).
fn too_slow(now: f64, past: f64, left: usize) -> bool {
    let rate = now / past;
    // (written so that an infinite `past`, the first sweeps, is never too slow)
    let falling = rate < 1.0 && rate > 0.0;
    falling && tol::REPAIR_STALL_SWEEPS as f64 * (tol::REPAIR_REL / now).ln() / rate.ln() > left as f64
}

/// Solves `H_FF·d_F = −g_F` by Cholesky (`d = 0` off the free set). `false` when `H_FF` is not
/// positive definite.
fn solve_free(hess: &[f64], g: &[f64], free: &[bool], m: usize, dir: &mut [f64]) -> bool {
    let idx: Vec<usize> = (0..m).filter(|&j| free[j]).collect();
    dir.fill(0.0);
    if idx.is_empty() {
        return false;
    }
    let h_ff: Vec<f64> = idx.iter().flat_map(|&a| idx.iter().map(move |&b| hess[a * m + b])).collect();
    let mut z: Vec<f64> = idx.iter().map(|&j| -g[j]).collect();
    let solved = dense::solve_spd(&h_ff, &mut z, idx.len());
    if solved {
        for (&j, &v) in idx.iter().zip(&z) {
            dir[j] = v;
        }
    }
    solved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{Exponential, Hill};
    use crate::optimize::compile::build;
    use crate::optimize::{Activity, Budget, Capacity, Group, Limit, Measure, Objective, Problem};

    #[test]
    fn the_dual_value_bounds_the_lagrangian_for_any_multipliers() {
        // An S-curve (Hill L = 100, k = 50, a = 3) and an exponential in a floor group and two
        // capacities (the general dual). With the floor's multiplier at 1.5 the price is
        // p = 1 − 1.5 = −0.5, with the capacity's at 2 the weight is a = 1 − 2 = −1: the S-curve's
        // term −r(s) + 0.5·s peaks inside its box (r'(s) = 0.5 near s = 15, where it is about
        // 4.9), above both ends (0 and −r(200) + 100 ≈ 1.5).
        let mut p = Problem::new(Objective::MaxProfit);
        let hill = Hill::new(100.0, 50.0, 3.0).unwrap();
        p.add_module(Activity::new("s", hill.into(), 1.0).unwrap().with_bounds(0.0, 200.0).unwrap()).unwrap();
        let exp = Exponential::new(100.0, 50.0).unwrap();
        p.add_module(Activity::new("e", exp.into(), 1.0).unwrap().with_bounds(0.0, 200.0).unwrap()).unwrap();
        p.set_budget(Budget::at_most(400.0)).unwrap();
        p.add_group(Group::new("both", vec![0, 1]).with_floor(Limit::Money(10.0))).unwrap();
        p.add_capacity(Capacity::new("desk", vec![0, 1], Measure::Leads, 50.0)).unwrap();
        p.add_capacity(Capacity::new("side", vec![1], Measure::Leads, 80.0)).unwrap();
        let (rx, env) = build(&p, Measure::Leads, 1.0, Some((400.0, false)), 1e-9).unwrap();
        let (core, set) = (&rx.core, rx.general.as_ref().expect("general dual"));
        let ml = set.rows.len();
        let mut y = vec![0.0; set.m()];
        for (j, r) in set.rows.iter().enumerate() {
            if r.kind == RowKind::Floor {
                y[j] = 1.5;
            }
        }
        y[ml] = 2.0;
        let mut ev = Eval::default();
        set.eval(core, &env, &y, 0.0, &mut [0.0; 2], &mut ev);
        // the Lagrangian's maximum over a fine grid of the box
        let lagrangian = |s: [f64; 2]| {
            let mut t: f64 = (0..2).map(|i| core.w[i] * core.curves[i].leads(s[i]) - core.c * s[i]).sum();
            for (j, r) in set.rows.iter().enumerate() {
                t += y[j] * (r.rhs - r.sign * r.members.iter().map(|&i| s[i]).sum::<f64>());
            }
            for (k, c) in set.caps.iter().enumerate() {
                let used: f64 = c.members.iter().map(|&(i, d)| d * core.curves[i].leads(s[i])).sum();
                t += y[ml + k] * (c.limit - used);
            }
            t
        };
        let grid = (0..=400).map(|k| k as f64 * 0.5);
        let most = grid
            .clone()
            .flat_map(|a| grid.clone().map(move |b| [a, b]))
            .map(lagrangian)
            .fold(f64::MIN, f64::max);
        assert!(ev.d_true >= most - 1e-9, "dual {} below the Lagrangian's maximum {most}", ev.d_true);
    }

    #[test]
    fn a_repair_is_too_slow_only_when_its_rate_misses_the_tolerance_within_the_sweeps_left() {
        use super::too_slow;
        // halving every five sweeps from 1e-2 needs about 180 sweeps to reach 1e-13
        assert!(too_slow(1e-2, 2e-2, 35));
        // a hundredfold every five sweeps needs about 28
        assert!(!too_slow(1e-2, 1.0, 35));
        assert!(too_slow(1e-2, 1.0, 20));
        // the first sweeps have nothing to compare with; a violation that grows is the plain
        // stall's business
        assert!(!too_slow(1e-2, f64::INFINITY, 35));
        assert!(!too_slow(2e-2, 1e-2, 35));
    }

    #[test]
    fn the_overrun_is_the_fullest_capacitys_excess_over_its_limit() {
        // Exponential L = 100, k = 50: 100·(1 − e^(−1)) ≈ 63.21 leads at 50, 86.47 at 100.
        let mut p = Problem::new(Objective::MaxProfit);
        for name in ["a", "b"] {
            let exp = Exponential::new(100.0, 50.0).unwrap();
            p.add_module(Activity::new(name, exp.into(), 1.0).unwrap().with_bounds(0.0, 200.0).unwrap())
                .unwrap();
        }
        p.set_budget(Budget::at_most(400.0)).unwrap();
        p.add_capacity(Capacity::new("both", vec![0, 1], Measure::Leads, 120.0)).unwrap();
        p.add_capacity(Capacity::new("b", vec![1], Measure::Leads, 80.0)).unwrap();
        let (rx, _) = build(&p, Measure::Leads, 1.0, Some((400.0, false)), 1e-9).unwrap();
        let (core, set) = (&rx.core, rx.general.as_ref().expect("general dual"));
        let e1 = 1.0 - (-1.0f64).exp();
        let e2 = 1.0 - (-2.0f64).exp();
        // both at 50: 126.4 leads over 120, b's 63.2 under 80
        let both = (200.0 * e1) / 120.0 - 1.0;
        assert!((set.overrun(core, &[50.0, 50.0]) - both).abs() < 1e-12);
        // b at 100: its own capacity is the fuller (86.5 / 80), the shared one at 86.5 / 120
        assert!((set.overrun(core, &[0.0, 100.0]) - (100.0 * e2 / 80.0 - 1.0)).abs() < 1e-12);
        // room everywhere: negative
        assert!((set.overrun(core, &[0.0, 0.0]) + 1.0).abs() < 1e-15);
    }
}
