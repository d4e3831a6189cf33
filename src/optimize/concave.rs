//! Dual (KKT) solver for separable concave problems and for concave-envelope relaxations.
//!
//! For a price `p` (the budget multiplier plus the cost per unit of money) each module solves
//! `max w·env(s) − p·s` on `[l, u]` in closed form or by a monotone Newton iteration; the total
//! spend is non-increasing in `p`, and a safeguarded Newton/bisection search finds the price at
//! which it meets the budget. Disjoint groups clamp their members' total and, when they bind,
//! get their own price from the same search; one capacity constraint adds an outer search on
//! its multiplier `μ` (each module's weight becomes `w − μ·d`).

use crate::curves::{Curve, ResponseCurve};
use crate::error::OptimizeError;
use crate::numerics::tol;

use super::envelope::{Env, oracle};
use super::price::{find_price, newton_start};
use super::slope::Fast;

/// A disjoint group with limits in money.
#[derive(Debug, Clone)]
pub(crate) struct GroupC {
    pub members: Vec<usize>,
    pub floor: f64,
    pub cap: f64,
}

/// Everything the dual solver needs, flattened from a `Problem`.
#[derive(Debug, Clone)]
pub(crate) struct Core<'a> {
    pub curves: Vec<&'a ResponseCurve>,
    pub fast: Vec<Fast>,
    /// Weight of each module in the maximised measure.
    pub w: Vec<f64>,
    /// Cost per unit of money in the objective (1 for profit, 0 for a fixed budget).
    pub c: f64,
    /// Value per lead (for marginal ROMI).
    pub v: Vec<f64>,
    pub groups: Vec<GroupC>,
    pub group_of: Vec<usize>,
    /// `(amount, exactly)`.
    pub budget: Option<(f64, bool)>,
    /// `(capacity weight per module, limit)`.
    pub capacity: Option<(Vec<f64>, f64)>,
    /// Relative gap at which the general dual search stops.
    pub gap_tol: f64,
}

/// An allocation with the prices that hold it: what a relaxation answers, and what branch and
/// bound keeps of its best node.
#[derive(Debug, Clone)]
pub(crate) struct Priced {
    pub x: Vec<f64>,
    /// Price of the budget (cost + budget multiplier).
    pub p: f64,
    /// Price of each group (equal to `p` unless the group binds).
    pub gp: Vec<f64>,
    /// Multiplier of the capacity (fast path).
    pub mu: f64,
    /// Multipliers of the general dual (empty on the fast paths).
    pub y: Vec<f64>,
    /// `d(total spend)/d(price)` at the answer when the budget alone set the price (NaN
    /// otherwise): its inverse is how fast the budget's shadow price moves with the budget.
    pub dtdp: f64,
}

impl Priced {
    /// The budget price `p` and capacity multiplier `mu` alone (no group binds, no general
    /// multipliers).
    pub(crate) fn at_price(x: Vec<f64>, p: f64, mu: f64, dtdp: f64) -> Priced {
        Priced { x, p, gp: Vec::new(), mu, y: Vec::new(), dtdp }
    }
}

/// Relaxation result at one node.
#[derive(Debug, Clone)]
pub(crate) struct Relax {
    pub at: Priced,
    /// Lagrangian dual value: an upper bound on the node's optimum.
    pub bound: f64,
    /// `false` when no feasible allocation was found (general dual only).
    pub feasible: bool,
    /// A certified infeasibility found by the general dual.
    pub infeasible: Option<OptimizeError>,
}

impl Relax {
    /// A feasible answer with its bound.
    pub(crate) fn feasible(at: Priced, bound: f64) -> Relax {
        Relax { at, bound, feasible: true, infeasible: None }
    }

    /// The oracle's answer at one budget price (and capacity multiplier `mu`): feasible, with its
    /// bound left to the Lagrangian at that answer ([`Core::lagrangian`]).
    fn at_price(x: Vec<f64>, p: f64, mu: f64, dtdp: f64) -> Relax {
        Relax::feasible(Priced::at_price(x, p, mu, dtdp), f64::NAN)
    }
}

impl Core<'_> {
    pub(crate) fn n(&self) -> usize {
        self.curves.len()
    }

    fn weights(&self, mu: f64) -> Vec<f64> {
        match &self.capacity {
            Some((d, _)) if mu > 0.0 => self.w.iter().zip(d).map(|(w, d)| w - mu * d).collect(),
            _ => self.w.clone(),
        }
    }

    /// A starting price for a budget `b`: the geometric mean of the modules' marginal values
    /// at an equal split of `b` (one pass of derivatives, no slope solves).
    fn price_estimate(&self, w: &[f64], env: &[Env], b: f64) -> f64 {
        let share = b / self.n().max(1) as f64;
        let (mut sum, mut cnt) = (0.0, 0usize);
        for i in 0..self.n() {
            let m = w[i] * self.curves[i].derivative(share.clamp(env[i].l, env[i].u).max(env[i].tau));
            if m > 0.0 && m.is_finite() {
                sum += m.ln();
                cnt += 1;
            }
        }
        if cnt == 0 { 1.0 } else { (sum / cnt as f64).exp() }
    }

    /// Spend per module at price `p`, with group totals clamped; returns `(total, d total/dp)`.
    fn eval_all(
        &self,
        w: &[f64],
        env: &[Env],
        p: f64,
        warm: &mut [f64],
        x: &mut [f64],
        gsum: &mut [(f64, f64)],
    ) -> (f64, f64) {
        let (mut t, mut dt) = (0.0, 0.0);
        for g in gsum.iter_mut() {
            *g = (0.0, 0.0);
        }
        let ng = self.groups.len();
        for i in 0..self.n() {
            let (s, d) = oracle(self.curves[i], self.fast[i], &env[i], w[i], p, &mut warm[i]);
            x[i] = s;
            let g = self.group_of[i];
            if g < ng {
                gsum[g].0 += s;
                gsum[g].1 += d;
            } else {
                t += s;
                dt += d;
            }
        }
        for (g, &(s, d)) in self.groups.iter().zip(gsum.iter()) {
            if s > g.cap {
                t += g.cap;
            } else if s < g.floor {
                t += g.floor;
            } else {
                t += s;
                dt += d;
            }
        }
        (t, dt)
    }

    /// Solves the relaxation on the node's envelopes when the constraints are the budget,
    /// disjoint groups and at most one capacity. `hint_p`, `hint_mu` are prices to start from.
    pub(crate) fn relax_fast(&self, env: &[Env], hint_p: f64, hint_mu: f64, warm: &mut [f64]) -> Relax {
        let Some((d, cap)) = &self.capacity else {
            return self.relax_mu(env, 0.0, hint_p, warm);
        };
        let usage = |r: &Relax| -> f64 {
            r.at.x
                .iter()
                .enumerate()
                .map(|(i, &s)| if d[i] > 0.0 { d[i] * env[i].value(self.curves[i], s) } else { 0.0 })
                .sum()
        };
        let r0 = self.relax_mu(env, 0.0, hint_p, warm);
        if usage(&r0) <= *cap * (1.0 + tol::SUM_REL) {
            return r0;
        }
        let mut last_p = r0.at.p;
        let start = if hint_mu > 0.0 {
            hint_mu
        } else {
            tol::MU_START * self.w.iter().cloned().fold(0.0, f64::max).max(tol::POSITIVE_FLOOR)
        };
        let br = find_price(
            |mu| {
                let r = self.relax_mu(env, mu, last_p, warm);
                last_p = r.at.p;
                (usage(&r), 0.0)
            },
            *cap,
            start,
            Some(0.0),
            0.0,
            0.0,
        );
        let mu = match br.exact {
            Some(m) => m,
            None if br.pb.is_finite() => br.pb,
            None => br.pa,
        };
        self.relax_mu(env, mu, last_p, warm)
    }

    /// Budget only (no groups): one price search, finished by a linear Newton step.
    pub(crate) fn relax_plain(
        &self,
        env: &[Env],
        w: &[f64],
        mu: f64,
        hint_p: f64,
        warm: &mut [f64],
    ) -> Relax {
        let n = self.n();
        let c = self.c;
        let mut x = vec![0.0; n];
        let mut dx = vec![0.0; n];
        let eval = |p: f64, warm: &mut [f64], x: &mut [f64], dx: &mut [f64]| -> (f64, f64) {
            let (mut t, mut dt) = (0.0, 0.0);
            for i in 0..n {
                let (s, d) = oracle(self.curves[i], self.fast[i], &env[i], w[i], p, &mut warm[i]);
                x[i] = s;
                dx[i] = d;
                t += s;
                dt += d;
            }
            (t, dt)
        };
        let lagrangian = |x: Vec<f64>, p: f64, dtdp: f64| Relax::at_price(x, p, mu, dtdp);
        let Some((b, exact)) = self.budget else {
            eval(c, warm, &mut x, &mut dx);
            return lagrangian(x, c, f64::NAN);
        };
        let hinted = hint_p.is_finite() && (exact || hint_p > c);
        let start = if hinted {
            hint_p
        } else {
            let (t, dt) = eval(c, warm, &mut x, &mut dx);
            if !exact && t <= b {
                return lagrangian(x, c, f64::NAN);
            }
            if c > 0.0 && dt < 0.0 { newton_start(c, t, dt, b) } else { self.price_estimate(w, env, b) }
        };
        let mut last_dt = f64::NAN;
        let br = find_price(
            |p| {
                let (t, dt) = eval(p, warm, &mut x, &mut dx);
                last_dt = dt;
                (t, dt)
            },
            b,
            start,
            if exact { None } else { Some(c) },
            if exact { f64::NEG_INFINITY } else { c },
            tol::SUM_POLISH_REL,
        );
        if let Some(p) = br.exact {
            // the search's last evaluation was at `p`
            return lagrangian(x, p, last_dt);
        }
        if let Some((p, t, dt)) = br.close {
            let dp = (b - t) / dt;
            if exact || p + dp > c {
                for i in 0..n {
                    if dx[i] != 0.0 {
                        x[i] = (x[i] + dx[i] * dp).clamp(env[i].tau.max(env[i].l), env[i].u);
                    }
                }
                return lagrangian(x, p + dp, dt);
            }
            eval(c, warm, &mut x, &mut dx);
            return lagrangian(x, c, f64::NAN);
        }
        // a jump in the total (an S-curve's linear part): fill between the bracket ends
        let mut xa: Vec<f64> = env.iter().map(|e| e.u).collect();
        if br.pa.is_finite() {
            eval(br.pa, warm, &mut xa, &mut dx);
        }
        let p = if br.pb.is_finite() { br.pb } else { br.pa };
        eval(p, warm, &mut x, &mut dx);
        let mut rem = b - x.iter().sum::<f64>();
        for i in 0..n {
            if rem <= 0.0 {
                break;
            }
            let add = (xa[i] - x[i]).max(0.0).min(rem);
            x[i] += add;
            rem -= add;
        }
        let bound = self.dual_bound(env, w, p, &[], mu, warm);
        Relax::feasible(Priced::at_price(x, p, mu, f64::NAN), bound)
    }

    fn relax_mu(&self, env: &[Env], mu: f64, hint_p: f64, warm: &mut [f64]) -> Relax {
        let n = self.n();
        let w = self.weights(mu);
        if self.groups.is_empty() {
            return self.relax_plain(env, &w, mu, hint_p, warm);
        }
        let ng = self.groups.len();
        let mut gsum = vec![(0.0, 0.0); ng];
        let mut xa: Vec<f64> = env.iter().map(|e| e.u).collect();
        let mut xb: Vec<f64> = env.iter().map(|e| e.l).collect();
        let mut scratch = vec![0.0; n];
        let c = self.c;
        let (pa, pb, target) = match self.budget {
            None => {
                self.eval_all(&w, env, c, warm, &mut xb, &mut gsum);
                xa.copy_from_slice(&xb);
                (c, c, None)
            }
            Some((b, exact)) => {
                let (t, dt) = self.eval_all(&w, env, c, warm, &mut scratch, &mut gsum);
                if !exact && t <= b {
                    xb.copy_from_slice(&scratch);
                    xa.copy_from_slice(&scratch);
                    (c, c, None)
                } else {
                    let start = if hint_p.is_finite() && hint_p > 0.0 {
                        hint_p
                    } else if c > 0.0 && dt < 0.0 {
                        newton_start(c, t, dt, b)
                    } else {
                        self.price_estimate(&w, env, b)
                    };
                    let br = find_price(
                        |p| self.eval_all(&w, env, p, warm, &mut scratch, &mut gsum),
                        b,
                        start,
                        if exact { None } else { Some(c) },
                        if exact { f64::NEG_INFINITY } else { c },
                        0.0,
                    );
                    if let Some(p) = br.exact {
                        // the search's last evaluation was at `p`
                        xb.copy_from_slice(&scratch);
                        (p, p, Some(b))
                    } else {
                        if br.pa.is_finite() {
                            self.eval_all(&w, env, br.pa, warm, &mut xa, &mut gsum);
                        }
                        if br.pb.is_finite() {
                            self.eval_all(&w, env, br.pb, warm, &mut xb, &mut gsum);
                        }
                        let p = if br.pb.is_finite() { br.pb } else { br.pa };
                        (br.pa, p, Some(b))
                    }
                }
            }
        };
        let _ = pa;
        let p = pb;
        // Group totals at both ends; the top-level remainder goes to units in index order.
        let clampg = |g: &GroupC, s: f64| s.clamp(g.floor, g.cap);
        let mut ga = vec![0.0; ng];
        let mut gb = vec![0.0; ng];
        let mut raw_b = vec![0.0; ng];
        for i in 0..n {
            let g = self.group_of[i];
            if g < ng {
                ga[g] += xa[i];
                raw_b[g] += xb[i];
            }
        }
        for g in 0..ng {
            ga[g] = clampg(&self.groups[g], ga[g]);
            gb[g] = clampg(&self.groups[g], raw_b[g]);
        }
        let mut gt = gb.clone();
        let mut x = xb.clone();
        if let Some(b) = target {
            let base: f64 = (0..n).filter(|&i| self.group_of[i] >= ng).map(|i| xb[i]).sum::<f64>()
                + gb.iter().sum::<f64>();
            let mut rem = b - base;
            let mut seen = vec![false; ng];
            for i in 0..n {
                if rem <= 0.0 {
                    break;
                }
                let g = self.group_of[i];
                if g >= ng {
                    let room = (xa[i] - xb[i]).max(0.0);
                    let add = room.min(rem);
                    x[i] += add;
                    rem -= add;
                } else if !seen[g] {
                    seen[g] = true;
                    let room = (ga[g] - gb[g]).max(0.0);
                    let add = room.min(rem);
                    gt[g] += add;
                    rem -= add;
                }
            }
            if rem < 0.0 {
                // overshoot (tiny): take it back from the first units with slack above their lows
                let mut take = -rem;
                for i in 0..n {
                    if take <= 0.0 {
                        break;
                    }
                    if self.group_of[i] >= ng {
                        let room = (x[i] - env[i].l).max(0.0);
                        let sub = room.min(take);
                        x[i] -= sub;
                        take -= sub;
                    }
                }
            }
        }
        // Each group: unclamped → fill between the ends; clamped → its own price.
        let mut gp = vec![p; ng];
        for (g, grp) in self.groups.iter().enumerate() {
            let clamped_b = raw_b[g] < grp.floor || raw_b[g] > grp.cap;
            let tg = gt[g];
            if !clamped_b && (tg - raw_b[g]).abs() <= tol::SUM_REL * tg.abs().max(1.0) * 16.0 {
                continue;
            }
            if !clamped_b && ga[g] <= grp.cap && ga[g] >= grp.floor {
                let mut rem = tg - raw_b[g];
                for &i in &grp.members {
                    if rem <= 0.0 {
                        break;
                    }
                    let add = (xa[i] - xb[i]).max(0.0).min(rem);
                    x[i] += add;
                    rem -= add;
                }
                continue;
            }
            // inner price search on the members
            let mut xs = vec![0.0; grp.members.len()];
            let evalg = |q: f64, warm: &mut [f64], xs: &mut [f64]| -> (f64, f64) {
                let (mut t, mut dt) = (0.0, 0.0);
                for (k, &i) in grp.members.iter().enumerate() {
                    let (s, d) = oracle(self.curves[i], self.fast[i], &env[i], w[i], q, &mut warm[i]);
                    xs[k] = s;
                    t += s;
                    dt += d;
                }
                (t, dt)
            };
            let br = find_price(|q| evalg(q, warm, &mut xs), tg, p, None, f64::NEG_INFINITY, 0.0);
            let mut xga: Vec<f64> = grp.members.iter().map(|&i| env[i].u).collect();
            let mut xgb: Vec<f64> = grp.members.iter().map(|&i| env[i].l).collect();
            if let Some(q) = br.exact {
                evalg(q, warm, &mut xgb);
            } else {
                if br.pa.is_finite() {
                    evalg(br.pa, warm, &mut xga);
                }
                if br.pb.is_finite() {
                    evalg(br.pb, warm, &mut xgb);
                }
            }
            let mut rem = tg - xgb.iter().sum::<f64>();
            for (k, &i) in grp.members.iter().enumerate() {
                x[i] = xgb[k];
                if rem > 0.0 {
                    let add = (xga[k] - xgb[k]).max(0.0).min(rem);
                    x[i] += add;
                    rem -= add;
                }
            }
            gp[g] = match br.exact {
                Some(q) => q,
                None if br.pb.is_finite() => br.pb,
                None => br.pa,
            };
        }
        let bound = self.dual_bound(env, &w, p, &gp, mu, warm);
        Relax::feasible(Priced { gp, ..Priced::at_price(x, p, mu, f64::NAN) }, bound)
    }

    /// Lagrangian dual value at the given prices: a valid upper bound on the node's optimum.
    fn dual_bound(&self, env: &[Env], w: &[f64], p: f64, gp: &[f64], mu: f64, warm: &mut [f64]) -> f64 {
        let ng = self.groups.len();
        let mut pu = gp.to_vec();
        let mut total = 0.0;
        for (g, grp) in self.groups.iter().enumerate() {
            if pu[g] > p {
                if grp.cap.is_finite() {
                    total += (pu[g] - p) * grp.cap;
                } else {
                    pu[g] = p;
                }
            } else if pu[g] < p {
                total += (pu[g] - p) * grp.floor;
            }
        }
        for i in 0..self.n() {
            let g = self.group_of[i];
            let q = if g < ng { pu[g] } else { p };
            let (s, _) = oracle(self.curves[i], self.fast[i], &env[i], w[i], q, &mut warm[i]);
            let val = w[i] * env[i].value(self.curves[i], s) - q * s;
            total += val;
        }
        if let Some((b, _)) = self.budget {
            total += (p - self.c) * b;
        }
        if let Some((_, cap)) = &self.capacity {
            total += mu * cap;
        }
        total
    }

    /// The Lagrangian `Σ w·env(x) − p·Σ x + (p − c)·B + μ·cap` at an allocation `x` that is the
    /// oracle's answer at price `p` (so it is the dual value there), given `value = Σ w·r(x) −
    /// c·Σ x` (equal to `Σ w·env(x) − c·Σ x` because such an `x` is never inside a linear part).
    pub(crate) fn lagrangian(&self, value: f64, r: &Relax) -> f64 {
        let sx: f64 = r.at.x.iter().sum();
        let mut total = value - (r.at.p - self.c) * sx;
        if let Some((b, _)) = self.budget {
            total += (r.at.p - self.c) * b;
        }
        if let Some((d, cap)) = &self.capacity {
            // `value` counts w·r; the Lagrangian counts (w − μ·d)·r and adds μ·cap
            let used: f64 =
                (0..self.n()).filter(|&i| d[i] > 0.0).map(|i| d[i] * self.curves[i].leads(r.at.x[i])).sum();
            total += r.at.mu * (cap - used);
        }
        total
    }

    /// True objective `Σ w·r(s) − c·Σ s`.
    pub(crate) fn value(&self, x: &[f64]) -> f64 {
        let mut t = 0.0;
        for (i, &s) in x.iter().enumerate() {
            t += self.w[i] * self.curves[i].leads(s) - self.c * s;
        }
        t
    }
}
