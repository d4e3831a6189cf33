//! Disjoint capacities: each module feeds at most one capacity, there are no groups, and the
//! budget (if any) is an upper limit on money that costs something (`c > 0`).
//!
//! This is the shape of a plan over weeks: one capacity per sales team and week. The general
//! dual ([`super::general`]) would couple every capacity in one Newton system; here the dual
//! separates. For a budget price `p` each capacity `k` alone gets its multiplier `μ_k` by a
//! safeguarded Newton search on its usage (only its members are evaluated), and the total spend
//! `T(p)` (with every `μ_k` following `p`) is non-increasing, so the budget price is one more
//! outer search. A pass over all modules costs `O(n)`, independent of the number of capacities.
//!
//! Every price stays `≥ c > 0`: a module whose weight `w − μ·d` the multiplier makes negative
//! then simply stays at its minimum (its Lagrangian term is convex but falls with spend), so on
//! concave curves the dual has no gap; on S-curves the branch and bound closes it as usual.
//! The dual value at the final prices is the node's upper bound; the allocation, shrunk into any
//! capacity that rounding left a hair over, is the lower bound.

use super::concave::{Core, Priced, Relax};
use super::envelope::{Env, oracle};
use super::general::{CapRow, shrink_capacity};
use super::price::{find_price, newton_start};
use crate::curves::Curve;
use crate::numerics::{bisect, tol};

/// Capacities with disjoint members, and the modules in none of them.
#[derive(Debug, Clone)]
pub(crate) struct Blocks {
    pub caps: Vec<CapRow>,
    pub free: Vec<usize>,
    /// Per module: `(capacity, weight)`, `(usize::MAX, 0)` outside every capacity.
    pub of: Vec<(usize, f64)>,
}

/// The allocation being built and a scratch allocation (the other end of a jump).
#[derive(Debug, Clone)]
struct Work {
    x: Vec<f64>,
    scratch: Vec<f64>,
}

/// One capacity's members at a price and a multiplier.
#[derive(Debug, Clone, Copy, Default)]
struct BlockEval {
    /// Usage `Σ d·env(s)`.
    usage: f64,
    /// `∂usage/∂μ` and `∂usage/∂p`.
    du_dmu: f64,
    du_dp: f64,
    /// Spend `Σ s`, `∂spend/∂p` and `∂spend/∂μ`.
    spend: f64,
    ds_dp: f64,
    ds_dmu: f64,
    /// `Σ (w − μ·d)·env(s) − p·s`: the members' share of the dual.
    dual: f64,
}

impl Blocks {
    /// Whether the problem's shape allows this path: capacities with disjoint members (module
    /// indices with a positive weight), and money at a positive cost within an upper limit.
    pub(crate) fn applies(caps: &[CapRow], n: usize, c: f64, exact_budget: bool) -> bool {
        if caps.is_empty() || c <= 0.0 || c.is_nan() || exact_budget {
            return false;
        }
        let mut seen = vec![false; n];
        for cap in caps {
            for &(i, _) in &cap.members {
                if seen[i] {
                    return false;
                }
                seen[i] = true;
            }
        }
        true
    }

    /// The capacities and the modules outside them.
    pub(crate) fn new(caps: Vec<CapRow>, n: usize) -> Blocks {
        let mut of = vec![(usize::MAX, 0.0); n];
        for (k, cap) in caps.iter().enumerate() {
            for &(i, d) in &cap.members {
                of[i] = (k, d);
            }
        }
        let free = (0..n).filter(|&i| of[i].0 == usize::MAX).collect();
        Blocks { caps, free, of }
    }

    fn eval_block(
        core: &Core,
        env: &[Env],
        cap: &CapRow,
        p: f64,
        mu: f64,
        warm: &mut [f64],
        x: &mut [f64],
    ) -> BlockEval {
        let mut e = BlockEval::default();
        for &(i, d) in &cap.members {
            let a = core.w[i] - mu * d;
            let (s, dsdp) = oracle(core.curves[i], core.fast[i], &env[i], a, p, &mut warm[i]);
            x[i] = s;
            let v = env[i].value(core.curves[i], s);
            e.usage += d * v;
            e.spend += s;
            e.dual += a * v - p * s;
            if dsdp != 0.0 && a > 0.0 {
                // interior: a·r'(s) = p, and s depends on p/a only
                let slope = p / a;
                let dsdmu = d * slope * dsdp;
                e.ds_dp += dsdp;
                e.ds_dmu += dsdmu;
                e.du_dp += d * slope * dsdp;
                e.du_dmu += d * slope * dsdmu;
            }
        }
        e
    }

    /// The multiplier of capacity `k` at price `p` (from `hint`), with its members' allocation.
    fn solve_block(
        core: &Core,
        env: &[Env],
        cap: &CapRow,
        p: f64,
        hint: f64,
        warm: &mut [f64],
        work: &mut Work,
    ) -> (f64, BlockEval) {
        let Work { x, scratch: xa } = work;
        if hint > 0.0 {
            let mut e = Self::eval_block(core, env, cap, p, hint, warm, x);
            if (e.usage - cap.limit).abs() <= tol::SUM_REL * cap.limit.max(tol::POSITIVE_FLOOR) {
                return (hint, e);
            }
            if e.usage < cap.limit {
                // the hint may already sit just above a jump (a parent node's answer): then the
                // bracket is known and only the fill is left
                let below = hint * (1.0 - tol::JUMP_REL);
                let ea = Self::eval_block(core, env, cap, p, below, warm, xa);
                if ea.usage > cap.limit {
                    Self::fill(core, env, cap, x, xa, &mut e);
                    return (hint, e);
                }
            }
        }
        let e0 = Self::eval_block(core, env, cap, p, 0.0, warm, x);
        if e0.usage <= cap.limit {
            return (0.0, e0);
        }
        let start = if hint > 0.0 {
            hint
        } else if e0.du_dmu < 0.0 {
            // a Newton step from μ = 0 (usage is convex and falling in μ there, so the step
            // stays below the root and the search continues in ln μ)
            (e0.usage - cap.limit) / -e0.du_dmu
        } else {
            tol::BLOCK_MU_START
                * cap.members.iter().map(|&(i, d)| core.w[i] / d).fold(tol::POSITIVE_FLOOR, f64::max)
        };
        let mut last = BlockEval::default();
        let br = find_price(
            |mu| {
                let e = Self::eval_block(core, env, cap, p, mu, warm, x);
                last = e;
                (e.usage, e.du_dmu)
            },
            cap.limit,
            start,
            Some(0.0),
            0.0,
            0.0,
        );
        // the feasible end of the bracket when the search did not meet the limit exactly (an
        // exact hit was the search's last evaluation, still in `x`)
        let mu = br.below_target();
        let mut e = if br.exact.is_some() { last } else { Self::eval_block(core, env, cap, p, mu, warm, x) };
        if br.exact.is_none() && br.pa.is_finite() && br.pb.is_finite() {
            // a jump in the usage (S-curves leaving their linear parts): fill towards the other
            // end one module at a time, so at most one module stays inside a linear part
            Self::eval_block(core, env, cap, p, br.pa, warm, xa);
            Self::fill(core, env, cap, x, xa, &mut e);
        }
        (mu, e)
    }

    /// Moves modules from `x` towards `xa` in index order within `room` of budget and each
    /// capacity's remaining usage (on the envelopes); a module that does not fit goes as far as
    /// it can, so few modules end inside a linear part.
    fn fill_budget(&self, core: &Core, env: &[Env], x: &mut [f64], xa: &[f64], mut room: f64) {
        let mut left: Vec<f64> = self
            .caps
            .iter()
            .map(|cap| {
                let used: f64 =
                    cap.members.iter().map(|&(i, d)| d * env[i].value(core.curves[i], x[i])).sum();
                (cap.limit - used).max(0.0)
            })
            .collect();
        for i in 0..core.n() {
            if room <= 0.0 {
                break;
            }
            if xa[i] <= x[i] {
                continue;
            }
            let (k, d) = self.of[i];
            let cap_room = if k == usize::MAX { f64::INFINITY } else { left[k] };
            let (to, used) = advance(core, env, i, d, x[i], xa[i], room, cap_room);
            room -= to - x[i];
            if k != usize::MAX {
                left[k] -= used;
            }
            x[i] = to;
        }
    }

    /// Takes a rounding-level excess of usage off the interior member with the steepest slope
    /// (Newton steps on its spend), so that modules at their bounds stay there. `false` when no
    /// interior member can absorb it.
    fn trim(core: &Core, env: &[Env], x: &mut [f64], cap: &CapRow, used: f64) -> bool {
        let steep = cap
            .members
            .iter()
            .filter(|&&(i, _)| x[i] > env[i].l && x[i] < env[i].u)
            .map(|&(i, d)| (i, d, d * core.curves[i].derivative(x[i])))
            .filter(|t| t.2 > 0.0 && t.2.is_finite())
            .max_by(|a, b| a.2.total_cmp(&b.2));
        let Some((i, d, _)) = steep else { return false };
        let others = used - d * core.curves[i].leads(x[i]);
        let (lo, mut s) = (env[i].l, x[i]);
        for _ in 0..tol::TRIM_NEWTON_STEPS {
            let over = others + d * core.curves[i].leads(s) - cap.limit;
            if over <= 0.0 {
                x[i] = s;
                return true;
            }
            let slope = d * core.curves[i].derivative(s);
            // a step a hair longer than Newton's, so rounding lands inside
            let next = (s - over / slope * (1.0 + tol::REPAIR_OVERSHOOT)).max(lo);
            if next >= s || next.is_nan() {
                return false;
            }
            s = next;
        }
        false
    }

    /// Moves members from `x` towards `xa` in index order while the usage stays within the
    /// limit; the first one that does not fit goes as far as it can (bisection on its spend).
    fn fill(core: &Core, env: &[Env], cap: &CapRow, x: &mut [f64], xa: &[f64], e: &mut BlockEval) {
        let mut room = cap.limit - e.usage;
        for &(i, d) in &cap.members {
            if xa[i] <= x[i] || room <= 0.0 {
                continue;
            }
            let (to, used) = advance(core, env, i, d, x[i], xa[i], f64::INFINITY, room);
            e.spend += to - x[i];
            e.usage += used;
            room -= used;
            x[i] = to;
            if to < xa[i] {
                break;
            }
        }
    }

    /// Every capacity at price `p`: total spend, its derivative in `p` (with the multipliers
    /// following), and the dual value without the budget term.
    fn at_price(
        &self,
        core: &Core,
        env: &[Env],
        p: f64,
        mu: &mut [f64],
        warm: &mut [f64],
        work: &mut Work,
    ) -> (f64, f64, f64) {
        let (mut t, mut dt, mut dual) = (0.0, 0.0, 0.0);
        for &i in &self.free {
            let (s, d) = oracle(core.curves[i], core.fast[i], &env[i], core.w[i], p, &mut warm[i]);
            work.x[i] = s;
            t += s;
            dt += d;
            dual += core.w[i] * env[i].value(core.curves[i], s) - p * s;
        }
        for (k, cap) in self.caps.iter().enumerate() {
            let (m, e) = Self::solve_block(core, env, cap, p, mu[k], warm, work);
            mu[k] = m;
            t += e.spend;
            dt += e.ds_dp;
            if m > 0.0 && e.du_dmu < 0.0 {
                // the usage stays at the limit: dμ/dp = −(∂u/∂p)/(∂u/∂μ)
                dt += e.ds_dmu * (-e.du_dp / e.du_dmu);
            }
            dual += e.dual + m * cap.limit;
        }
        (t, dt, dual)
    }

    /// The relaxation on the node's envelopes, from a budget price and capacity multipliers.
    pub(crate) fn relax(
        &self,
        core: &Core,
        env: &[Env],
        hint_p: f64,
        hint_mu: &[f64],
        warm: &mut [f64],
    ) -> Relax {
        let n = core.n();
        let c = core.c;
        // a node whose raised minima break the budget or a capacity holds no allocation
        let low: Vec<f64> = env.iter().map(|e| e.l).collect();
        let over_budget =
            core.budget.is_some_and(|(b, _)| low.iter().sum::<f64>() > b * (1.0 + tol::BUDGET_REL));
        let over_cap = self.caps.iter().any(|cap| {
            let used: f64 = cap.members.iter().map(|&(i, d)| d * env[i].rl).sum();
            used > cap.limit * (1.0 + tol::BUDGET_REL)
        });
        if over_budget || over_cap {
            let at = Priced { y: vec![0.0; self.caps.len()], ..Priced::at_price(low, c, 0.0, f64::NAN) };
            return Relax { at, bound: f64::NEG_INFINITY, feasible: false, infeasible: None };
        }
        let mut work = Work { x: vec![0.0; n], scratch: vec![0.0; n] };
        let mut mu: Vec<f64> =
            if hint_mu.len() == self.caps.len() { hint_mu.to_vec() } else { vec![0.0; self.caps.len()] };
        let mut p = c;
        let (t, dt, mut dual) = self.at_price(core, env, c, &mut mu, warm, &mut work);
        if let Some((b, _)) = core.budget
            && t > b
        {
            let start = if hint_p.is_finite() && hint_p > c {
                hint_p
            } else if c > 0.0 && dt < 0.0 {
                newton_start(c, t, dt, b)
            } else {
                2.0 * c
            };
            let br = find_price(
                |q| {
                    let r = self.at_price(core, env, q, &mut mu, warm, &mut work);
                    (r.0, r.1)
                },
                b,
                start,
                Some(c),
                c,
                0.0,
            );
            p = br.below_target();
            let (spent, _, d) = self.at_price(core, env, p, &mut mu, warm, &mut work);
            dual = d;
            if br.exact.is_none() && br.pa.is_finite() && br.pb.is_finite() {
                // a jump in the total spend: fill the budget towards the other end
                let mut other = Work { x: work.x.clone(), scratch: vec![0.0; n] };
                self.at_price(core, env, br.pa, &mut mu.clone(), warm, &mut other);
                self.fill_budget(core, env, &mut work.x, &other.x, b - spent);
            }
        }
        let mut x = work.x;
        let bound = dual + core.budget.map_or(0.0, |(b, _)| (p - c) * b);
        // a search that ended above the budget (minima within rounding of it; a rounding-level
        // excess is left to the solver's final placement, which keeps bounds exact): every module
        // moves towards its minimum by the same share, which lowers every capacity's usage too
        if let Some((b, _)) = core.budget {
            let (spent, least) = (x.iter().sum::<f64>(), low.iter().sum::<f64>());
            if spent > b * (1.0 + tol::BUDGET_REL) && spent > least {
                let theta = ((b - least) / (spent - least)).clamp(0.0, 1.0);
                for (v, l) in x.iter_mut().zip(&low) {
                    *v = l + theta * (*v - l);
                }
            }
        }
        // rounding may leave a capacity a hair over its limit: shrink its members into it
        for cap in &self.caps {
            let used: f64 = cap.members.iter().map(|&(i, d)| d * core.curves[i].leads(x[i])).sum();
            if used > cap.limit && !Self::trim(core, env, &mut x, cap, used) {
                shrink_capacity(core, env, &mut x, cap);
            }
        }
        Relax::feasible(Priced { y: mu, ..Priced::at_price(x, p, 0.0, f64::NAN) }, bound)
    }
}

/// How far module `i` (capacity weight `d`) moves from `from` towards `to` within `money` of
/// spend and `usage` of capacity (on its envelope): all the way when it fits, else the furthest
/// point that fits (bisection). Returns the new spend and the usage it adds.
#[allow(clippy::too_many_arguments)]
fn advance(
    core: &Core,
    env: &[Env],
    i: usize,
    d: f64,
    from: f64,
    to: f64,
    money: f64,
    usage: f64,
) -> (f64, f64) {
    let (cv, ei) = (core.curves[i], &env[i]);
    let base = ei.value(cv, from);
    let fits = |s: f64| s - from <= money && d * (ei.value(cv, s) - base) <= usage;
    let end = if fits(to) { to } else { bisect(from, to, fits).0 };
    (end, d * (ei.value(cv, end) - base))
}
