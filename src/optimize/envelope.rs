//! The concave envelope of a module's curve on its bounds, and the per-module oracle of the dual:
//! the spend that maximises `w·env(s) − p·s`.

use crate::curves::{Curve, ResponseCurve};
use crate::numerics::{bisect, tol};

use super::slope::{Fast, slope_solve};

/// Concave envelope of a module's curve on `[l, u]`: linear with slope `sigma` from `l` to
/// `tau`, then the curve itself. `tau == l` means the curve is concave on `[l, u]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Env {
    pub l: f64,
    pub u: f64,
    pub tau: f64,
    pub sigma: f64,
    pub rl: f64,
    /// The curve's inflection point (0 for concave curves).
    pub infl: f64,
    /// How far the oracle may spend: `u` itself, or the module's own bound when `u` only comes
    /// from the budget or a group cap (see [`Env::with_reach`]).
    pub reach: f64,
}

impl Env {
    pub(crate) fn new(curve: &ResponseCurve, fast: Fast, l: f64, u: f64) -> Env {
        // every curve starts at r(0) = 0; most modules have no minimum, so skip the evaluation
        let rl = if l > 0.0 { curve.leads(l) } else { 0.0 };
        // a Hill curve's inflection from its slope data (an exp, not a power)
        let infl = match fast {
            Fast::Hill { k, a, u_infl, .. } if a > 1.0 => k * u_infl.exp(),
            _ => curve.inflection(),
        };
        if curve.is_concave() || l >= infl || u <= l {
            return Env { l, u, tau: l, sigma: f64::NAN, rl, infl, reach: u };
        }
        let h = |t: f64| curve.leads(t) - rl - curve.derivative(t) * (t - l);
        let chord = |t: f64| (curve.leads(t) - rl) / (t - l);
        if let (Fast::Hill { k, a, .. }, ResponseCurve::Hill(hill)) = (fast, curve)
            && l == 0.0
        {
            // the tangent from the origin touches where (s/k)^a = a − 1, so r(τ)/τ = L·(a−1)/(a·τ)
            // in closed form; below τ the envelope of [0, u] is the chord to u
            let tau = k * (a - 1.0).powf(1.0 / a);
            if u <= tau {
                return Env { l, u, tau: u, sigma: chord(u), rl, infl, reach: u };
            }
            return Env { l, u, tau, sigma: hill.l() * (a - 1.0) / (a * tau), rl, infl, reach: u };
        }
        if u.is_finite() && h(u) <= 0.0 {
            return Env { l, u, tau: u, sigma: chord(u), rl, infl, reach: u };
        }
        // the tangent point by bisection on h (≤ 0 left of it), doubling first when u is open
        let mut lo = infl.max(l);
        let mut hi = if u.is_finite() { u } else { (2.0 * lo).max(1.0) };
        let mut n = 0;
        while !u.is_finite() && h(hi) <= 0.0 && n < tol::MAX_DOUBLINGS {
            lo = hi;
            hi *= 2.0;
            n += 1;
        }
        let (_, hi) = bisect(lo, hi, |t| h(t) <= 0.0);
        let tau = hi.min(u);
        Env { l, u, tau, sigma: chord(tau), rl, infl, reach: u }
    }

    /// The same envelope, with the oracle free to spend up to `reach` (`≥ u`): for a module
    /// whose `u` comes from the budget or a group cap, not from its own bounds. Such a bound is
    /// a constraint with a price of its own; were it a module bound as well, the module holding
    /// the whole budget would sit at it at every price, and the budget's shadow price would read
    /// 0 instead of the module's marginal value. Beyond `u` the envelope must be the curve
    /// itself (its concave part reaches `u`), else the reach stays `u`.
    pub(crate) fn with_reach(self, reach: f64) -> Env {
        if reach > self.u && self.tau < self.u { Env { reach, ..self } } else { self }
    }

    /// The envelope's value at `s`.
    #[inline]
    pub(crate) fn value(&self, curve: &ResponseCurve, s: f64) -> f64 {
        if self.tau > self.l && s < self.tau { self.rl + self.sigma * (s - self.l) } else { curve.leads(s) }
    }

    /// `true` when `s` lies strictly inside the linear part (where the envelope is above the curve).
    #[inline]
    pub(crate) fn in_linear_part(&self, s: f64) -> bool {
        self.tau > self.l && s > self.l && s < self.tau
    }
}

/// `argmax_{s ∈ [l, u]} w·env(s) − p·s` (the low end on ties) and its derivative in `p`;
/// NaN when `w` or `p` is not finite (a dual trial point that went astray: its caller rejects
/// it at once, where a slope search on a NaN price would run to its iteration cap).
#[inline]
pub(crate) fn oracle(
    curve: &ResponseCurve,
    fast: Fast,
    e: &Env,
    w: f64,
    p: f64,
    warm: &mut f64,
) -> (f64, f64) {
    if !(w.is_finite() && p.is_finite()) {
        return (f64::NAN, 0.0);
    }
    if e.u <= e.l {
        return (e.l, 0.0);
    }
    if w <= 0.0 {
        // `w·env − p·s` is convex: the larger end (the low end on ties)
        if p >= 0.0 {
            return (e.l, 0.0);
        }
        if w == 0.0 || !e.u.is_finite() {
            return (e.u, 0.0);
        }
        let gain = w * (e.value(curve, e.u) - e.rl) - p * (e.u - e.l);
        return if gain > 0.0 { (e.u, 0.0) } else { (e.l, 0.0) };
    }
    if p <= 0.0 {
        return (e.u, 0.0);
    }
    let q = p / w;
    let start = if e.tau > e.l {
        if q >= e.sigma {
            return (e.l, 0.0);
        }
        if e.tau >= e.u {
            return (e.u, 0.0);
        }
        e.tau
    } else {
        e.l
    };
    let (s, dsdq) = slope_solve(curve, fast, q, warm);
    if s <= start {
        (start, 0.0)
    } else if s.is_nan() {
        (s, 0.0)
    } else if s >= e.reach {
        (if e.reach.is_finite() { e.reach } else { e.u }, 0.0)
    } else {
        (s, dsdq / w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{Exponential, Hill};

    fn env(curve: &ResponseCurve, l: f64, u: f64) -> Env {
        Env::new(curve, Fast::of(curve), l, u)
    }

    #[test]
    fn a_price_or_weight_that_is_not_finite_answers_nan() {
        let c: ResponseCurve = Hill::new(100.0, 50.0, 2.2).expect("valid").into();
        let e = env(&c, 0.0, 500.0);
        for (w, p) in [(f64::NAN, 1.0), (1.0, f64::NAN), (f64::INFINITY, 1.0), (1.0, f64::NEG_INFINITY)] {
            let (s, dsdp) = oracle(&c, Fast::of(&c), &e, w, p, &mut 0.0);
            assert!(s.is_nan() && dsdp == 0.0, "w {w} p {p}: {s}");
        }
    }

    #[test]
    fn a_concave_curve_is_its_own_envelope() {
        let c: ResponseCurve = Exponential::new(100.0, 50.0).expect("valid").into();
        let e = env(&c, 10.0, 500.0);
        assert!(e.tau <= e.l && !e.in_linear_part(20.0));
        assert_eq!(e.value(&c, 123.0).to_bits(), c.leads(123.0).to_bits());
    }

    #[test]
    fn an_s_curve_from_zero_gets_the_tangent_from_the_origin() {
        // Hill a = 2, k = 100: the tangent from 0 touches where (s/k)² = a − 1, i.e. s = 100,
        // with slope r(100)/100 = (L/2)/100.
        let c: ResponseCurve = Hill::new(1000.0, 100.0, 2.0).expect("valid").into();
        let e = env(&c, 0.0, 1e4);
        assert!(tol::approx_eq(e.tau, 100.0, 1e-12));
        assert!(tol::approx_eq(e.sigma, 5.0, 1e-12));
        assert!(tol::approx_eq(c.derivative(e.tau), e.sigma, 1e-12)); // tangent
        assert!(e.value(&c, 50.0) > c.leads(50.0) && e.in_linear_part(50.0));
        // Below the tangent point the envelope of [0, u] is the chord to u.
        let short = env(&c, 0.0, 60.0);
        assert!(
            tol::approx_eq(short.sigma, c.leads(60.0) / 60.0, 1e-12)
                && short.tau.to_bits() == 60f64.to_bits()
        );
    }

    #[test]
    fn the_tangent_from_a_minimum_is_found_by_bisection() {
        let c: ResponseCurve = Hill::new(1000.0, 100.0, 3.0).expect("valid").into();
        let e = env(&c, 10.0, f64::INFINITY);
        let chord = (c.leads(e.tau) - c.leads(10.0)) / (e.tau - 10.0);
        assert!(tol::approx_eq(chord, e.sigma, 1e-12));
        assert!(tol::approx_eq(c.derivative(e.tau), e.sigma, 1e-6), "{} vs {}", c.derivative(e.tau), e.sigma);
    }

    #[test]
    fn the_oracle_maximises_value_minus_cost() {
        // max 3·(1−e^(−s))·10 − p·s with L = 10, k = 1: 30·e^(−s) = p ⇔ s = ln(30/p).
        let c: ResponseCurve = Exponential::new(10.0, 1.0).expect("valid").into();
        let e = env(&c, 0.0, 100.0);
        let (s, dsdp) = oracle(&c, Fast::of(&c), &e, 3.0, 2.0, &mut 0.0);
        assert!(tol::approx_eq(s, 15f64.ln(), 1e-14));
        assert!(tol::approx_eq(dsdp, -1.0 / 2.0, 1e-12)); // ds/dp = −1/p
        // A price above the start slope: nothing; a price of zero: the upper bound.
        assert_eq!(oracle(&c, Fast::of(&c), &e, 3.0, 31.0, &mut 0.0), (0.0, 0.0));
        assert_eq!(oracle(&c, Fast::of(&c), &e, 3.0, 0.0, &mut 0.0), (100.0, 0.0));
    }
}
