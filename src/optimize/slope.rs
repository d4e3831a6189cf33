//! Per-module slope equations `r'(s) = q` on the concave part of a curve, with `ds/dq`: closed
//! forms for exponential and Hill `a = 1` curves, a bracketed Halley iteration in `ln s` for
//! other Hill curves, the curve's own inversion otherwise.

use crate::curves::{Curve, ResponseCurve};
use crate::numerics::special::softplus;
use crate::numerics::tol;

/// Fast per-family data for the slope equation `r'(s) = q`, precomputed once per module.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Fast {
    /// Hill with `a ≠ 1`, solved in `u = ln(s/k)`: `g(u) = (a−1)·u − 2·softplus(a·u) = ln Q`
    /// with `Q = q·k/(L·a)`. `lnc = ln(k/(L·a))`, `g_infl = g(u_infl)` (S-curves).
    Hill {
        k: f64,
        a: f64,
        u_infl: f64,
        lnc: f64,
        g_infl: f64,
    },
    /// Hill with `a = 1`: `s = k·(1/√Q − 1)` with `Q = q·k/L`.
    HillOne {
        l: f64,
        k: f64,
    },
    /// Exponential: `s = k·ln(L/(k·q))`.
    Exp {
        l: f64,
        k: f64,
    },
    Generic,
}

impl Fast {
    pub(crate) fn of(c: &ResponseCurve) -> Fast {
        match c {
            ResponseCurve::Hill(h) => {
                let (l, k, a) = (h.l(), h.k(), h.a());
                #[allow(clippy::float_cmp)] // a = 1 exactly has a closed form; any other a takes Newton
                if a == 1.0 {
                    return Fast::HillOne { l, k };
                }
                let u_infl = if a > 1.0 { ((a - 1.0) / (a + 1.0)).ln() / a } else { f64::NEG_INFINITY };
                let g_infl =
                    if a > 1.0 { (a - 1.0) * u_infl - 2.0 * softplus(a * u_infl) } else { f64::NEG_INFINITY };
                Fast::Hill { k, a, u_infl, lnc: (k / (l * a)).ln(), g_infl }
            }
            ResponseCurve::Exponential(e) => Fast::Exp { l: e.l(), k: e.k() },
            _ => Fast::Generic,
        }
    }
}

/// Spend on the concave part where `r'(s) = q` (`q > 0`), with `ds/dq` (0 at the inflection).
/// `warm` is the previous answer for this module (a Newton starting point) and is updated.
///
/// Spends whose `f64` representation would be subnormal are returned as 0: below
/// `f64::MIN_POSITIVE` the spend has lost its precision, and so would the marginal computed from
/// it (a Hill curve with `a` just below 1 has its root there for prices above its start slope).
#[inline]
pub(crate) fn slope_solve(curve: &ResponseCurve, fast: Fast, q: f64, warm: &mut f64) -> (f64, f64) {
    match fast {
        Fast::Exp { l, k } => {
            let r = l / (k * q);
            if r <= 1.0 { (0.0, 0.0) } else { (k * r.ln(), -k / q) }
        }
        Fast::HillOne { l, k } => {
            let big_q = q * k / l;
            if big_q >= 1.0 {
                return (0.0, 0.0);
            }
            let rs = big_q.sqrt();
            let t = 1.0 / rs - 1.0;
            // dt/dQ = −½ Q^(−3/2); dQ/dq = k/L
            (k * t, k * (-0.5 / (big_q * rs)) * (k / l))
        }
        Fast::Hill { k, a, u_infl, lnc, g_infl } => {
            let lnq = q.ln() + lnc;
            // a price no slope meets (over- or underflow in `p / w`): the ends, at once; the
            // iteration below would run to its cap on an infinite or NaN `lnq`
            if lnq.is_nan() {
                return (f64::NAN, 0.0);
            }
            if lnq == f64::INFINITY {
                *warm = 0.0;
                return (0.0, 0.0);
            }
            if lnq == f64::NEG_INFINITY {
                return (f64::INFINITY, 0.0);
            }
            if a > 1.0 && g_infl <= lnq {
                return (k * u_infl.exp(), 0.0);
            }
            // An upper bound on the root: φ(t) ≤ t^(−a−1) and, for a < 1, φ(t) ≤ t^(a−1).
            let mut u_up = -lnq / (a + 1.0);
            if a < 1.0 {
                u_up = u_up.min(lnq / (a - 1.0));
            }
            let mut u = u_up;
            if *warm > 0.0 && warm.is_finite() {
                let uw = (*warm / k).ln();
                if uw > u_infl && uw < u_up {
                    u = uw;
                }
            }
            // g is concave and decreasing right of the inflection. Halley steps (g'' comes free
            // with g') converge cubically; a Halley step that leaves the bracket of the root
            // (right end: g < 0, left end: g > 0 or the inflection) is replaced by the Newton
            // step, which from either side lands right of the root because g is concave. Once a
            // step is below `SLOPE_HALLEY_STEP` the error left is below rounding.
            let mut d = -1.0;
            let (mut lo, mut hi) = (u_infl, u_up);
            for _ in 0..tol::MAX_SCALAR_ITERS {
                let z = a * u;
                let e = (-z.abs()).exp();
                // ln(1 + e) rather than ln_1p(e): half the cost, and for e below rounding the
                // absolute error (≤ e) is far below the other terms of g, whose root moves by it
                // over |g'| only where the marginal is flat in u
                let sp = z.max(0.0) + (1.0 + e).ln();
                let sg = if z >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
                let g = (a - 1.0) * u - 2.0 * sp - lnq;
                d = (a - 1.0) - 2.0 * a * sg;
                if d >= 0.0 {
                    break;
                }
                if g < 0.0 {
                    hi = hi.min(u);
                } else {
                    lo = lo.max(u);
                }
                let d2 = -2.0 * a * a * sg * (1.0 - sg);
                let newton = u - g / d;
                let halley = u - 2.0 * g * d / (2.0 * d * d - g * d2);
                let nu = if halley > lo && halley < hi { halley } else { newton.min(hi) };
                let step = (nu - u).abs();
                u = nu;
                if step <= tol::SLOPE_HALLEY_STEP * u.abs().max(1.0) {
                    break;
                }
            }
            if a > 1.0 && u < u_infl {
                u = u_infl;
            }
            let s = k * u.exp();
            if s < f64::MIN_POSITIVE {
                *warm = 0.0;
                return (0.0, 0.0);
            }
            *warm = s;
            let dsdq = if d < 0.0 { s / (q * d) } else { 0.0 };
            (s, dsdq)
        }
        Fast::Generic => {
            let s = curve.spend_for_slope(q);
            *warm = s;
            if !s.is_finite() {
                return (s, 0.0);
            }
            let h = (s.abs() * tol::FD_STEP_REL).max(tol::FD_STEP_MIN);
            let lo = (s - h).max(curve.inflection());
            let r2 = (curve.derivative(s + h) - curve.derivative(lo)) / (s + h - lo);
            let dsdq = if r2 < 0.0 && r2.is_finite() { 1.0 / r2 } else { 0.0 };
            (s, dsdq)
        }
    }
}

/// `(r(s), r'(s))`, with one power evaluation for Hill curves
/// ([`Hill::leads_and_derivative`](crate::curves::Hill::leads_and_derivative));
/// other families call both methods.
#[inline]
pub(crate) fn leads_and_slope(curve: &ResponseCurve, s: f64) -> (f64, f64) {
    match curve {
        ResponseCurve::Hill(h) => h.leads_and_derivative(s),
        _ => (curve.leads(s), curve.derivative(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{Exponential, Hill, MichaelisMenten};

    /// Solves `r'(s) = q` and checks the slope there and `ds/dq` against a difference quotient.
    fn check(curve: ResponseCurve, q: f64) -> f64 {
        let fast = Fast::of(&curve);
        let (s, dsdq) = slope_solve(&curve, fast, q, &mut 0.0);
        assert!(tol::approx_eq(curve.derivative(s), q, 1e-10), "{curve:?}: r'({s}) vs {q}");
        let dq = q * 1e-6;
        let (s2, _) = slope_solve(&curve, fast, q + dq, &mut 0.0);
        assert!(tol::approx_eq((s2 - s) / dq, dsdq, 1e-4), "{curve:?}: ds/dq {dsdq} vs {}", (s2 - s) / dq);
        s
    }

    #[test]
    fn a_price_no_slope_meets_gives_an_end_or_nan_at_once() {
        // Hill a < 1 is infinitely steep at 0: an infinite price is met there, a zero price
        // only at infinity; a NaN price (a dual trial point gone astray) answers NaN
        let curve: ResponseCurve = Hill::new(100.0, 25.0, 0.6).expect("valid").into();
        let fast = Fast::of(&curve);
        assert_eq!(slope_solve(&curve, fast, f64::INFINITY, &mut 7.0).0.to_bits(), 0f64.to_bits());
        assert_eq!(slope_solve(&curve, fast, 0.0, &mut 7.0).0.to_bits(), f64::INFINITY.to_bits());
        assert!(slope_solve(&curve, fast, f64::NAN, &mut 7.0).0.is_nan());
    }

    #[test]
    fn exponential_in_closed_form() {
        // r'(s) = (L/k)·e^(−s/k) = q ⇔ s = k·ln(L/(k·q)): L = 100, k = 50, q = 0.5 → 50·ln 4.
        let s = check(Exponential::new(100.0, 50.0).expect("valid").into(), 0.5);
        assert!(tol::approx_eq(s, 50.0 * 4f64.ln(), 1e-14));
    }

    #[test]
    fn hill_with_a_one_in_closed_form() {
        // r'(s) = L·k/(s+k)² = q ⇔ s = √(L·k/q) − k: L = 100, k = 25, q = 1 → 25.
        let s = check(Hill::new(100.0, 25.0, 1.0).expect("valid").into(), 1.0);
        assert!(tol::approx_eq(s, 25.0, 1e-14));
    }

    #[test]
    fn hill_by_halley_on_both_shapes() {
        for a in [0.5, 0.9, 1.7, 3.0] {
            let c: ResponseCurve = Hill::new(1000.0, 400.0, a).expect("valid").into();
            for m in [0.5, 2.0, 8.0] {
                let s = c.inflection().max(1.0) * m + 400.0;
                let s_back = check(c.clone(), c.derivative(s));
                assert!(tol::approx_eq(s_back, s, 1e-9), "a = {a}: {s_back} vs {s}");
            }
        }
    }

    #[test]
    fn above_the_start_slope_the_answer_is_zero_or_the_inflection() {
        let exp: ResponseCurve = Exponential::new(100.0, 50.0).expect("valid").into();
        assert_eq!(slope_solve(&exp, Fast::of(&exp), 3.0, &mut 0.0), (0.0, 0.0)); // r'(0) = 2
        let s_curve: ResponseCurve = Hill::new(100.0, 50.0, 2.0).expect("valid").into();
        let (s, dsdq) = slope_solve(&s_curve, Fast::of(&s_curve), 100.0, &mut 0.0);
        assert!(tol::approx_eq(s, s_curve.inflection(), 1e-12) && dsdq == 0.0);
    }

    #[test]
    fn other_families_use_the_curves_own_inversion() {
        let s = check(MichaelisMenten::new(300.0, 100.0).expect("valid").into(), 0.75);
        // V·K/(K+s)² = 0.75 ⇔ (100+s)² = 40 000 ⇔ s = 100.
        assert!(tol::approx_eq(s, 100.0, 1e-12));
    }

    #[test]
    fn leads_and_slope_agree_with_the_curve_bit_for_bit() {
        for c in [
            ResponseCurve::from(Hill::new(1000.0, 400.0, 2.5).expect("valid")),
            Hill::new(1000.0, 400.0, 0.7).expect("valid").into(),
            Exponential::new(10.0, 3.0).expect("valid").into(),
        ] {
            for s in [0.0, 1.0, 399.0, 400.0, 401.0, 1e5] {
                let (r, d) = leads_and_slope(&c, s);
                assert_eq!(
                    (r.to_bits(), d.to_bits()),
                    (c.leads(s).to_bits(), c.derivative(s).to_bits()),
                    "{c:?} at {s}"
                );
            }
        }
    }
}
