//! Hill response: `L·s^a/(s^a+k^a)`, concave for `a ≤ 1` and S-shaped for `a > 1`.

use super::{Curve, clamp_spend, inverse, param};
use crate::error::CurveError;
use crate::numerics::ranges;
use crate::numerics::special::softplus_sigmoid;
use crate::numerics::tol;

numeric_family! {
    /// Hill (saturating power) response curve `r(s) = L·s^a/(s^a+k^a)`.
    ///
    /// # Arguments
    /// * `L` — saturation level (leads as spend grows without bound), in [`ranges::COUNT_SCALE`].
    /// * `k` — half-saturation spend (`r(k) = L/2`), in [`ranges::SPEND_SCALE`].
    /// * `a` — shape, in [`ranges::HILL_SHAPE`]: concave for `a ≤ 1`, S-shaped for `a > 1` with inflection at
    ///   `k·((a−1)/(a+1))^(1/a)`.
    ///
    /// # Returns
    /// Leads in `[0, L)`.
    ///
    /// # Complexity
    /// `O(1)` per `leads`/`derivative` (one `powf`); `spend_for_slope` is a bisection of at most
    /// `MAX_SCALAR_ITERS` steps.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, Hill};
    /// let c = Hill::new(1000.0, 5000.0, 1.0)?;
    /// assert_eq!(c.leads(5000.0), 500.0); // half saturation at s = k
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Reference
    /// A. V. Hill (1910); used as the media saturation curve in marketing-mix models
    /// (Jin et al., "Bayesian Methods for Media Mix Modeling with Carryover and Shape Effects", 2017).
    Hill as "hill" from HillRaw { l as "L" in COUNT_SCALE: "Saturation level `L`.", k as "k" in SPEND_SCALE: "Half-saturation spend `k`.", a as "a" in HILL_SHAPE: "Shape exponent `a`." }
    /// Builds a Hill curve with saturation `l` (`L` in plan files), half-saturation spend `k` and
    /// shape `a`.
    ///
    /// # Errors
    /// [`CurveError::InvalidParameter`] when any parameter is outside its accepted range ([`ranges`]).
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, Hill};
    /// let c = Hill::new(1000.0, 100.0, 2.0)?;
    /// assert_eq!(c.leads(200.0), 800.0); // 1000·4/(4+1)
    /// assert!(Hill::new(1000.0, 100.0, f64::NAN).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    new
}

/// Where a spend falls in the overflow-free split `leads` and `derivative` share: below `k`
/// through `t = s/k` and `x = t^a`, above it through `y = (k/s)^a`.
#[derive(Clone, Copy)]
enum Side {
    Below { t: f64, x: f64 },
    Above { s: f64, y: f64 },
}

impl Hill {
    /// The side of `k` that `spend` (negative or NaN counts as zero) falls on.
    #[inline]
    fn side(&self, spend: f64) -> Side {
        let s = clamp_spend(spend);
        let t = s / self.k;
        if t <= 1.0 {
            Side::Below { t, x: t.powf(self.a) }
        } else {
            Side::Above { s, y: (self.k / s).powf(self.a) }
        }
    }

    /// Leads on `side` (see [`Curve::leads`]).
    #[inline]
    fn leads_on(&self, side: Side) -> f64 {
        match side {
            Side::Below { x, .. } => self.l * x / (1.0 + x),
            Side::Above { y, .. } => self.l / (1.0 + y),
        }
    }

    /// The slope on `side` (see [`Curve::derivative`]).
    #[inline]
    fn slope_on(&self, side: Side) -> f64 {
        match side {
            Side::Below { t, x } => {
                // t^(a−1) = x/t saves a second powf; at t = 0 take the limit by hand.
                let t_am1 = if t > 0.0 {
                    x / t
                } else if self.a < 1.0 {
                    f64::INFINITY
                } else if self.a > 1.0 {
                    0.0
                } else {
                    1.0
                };
                let d = 1.0 + x;
                self.l * self.a / self.k * t_am1 / (d * d)
            }
            Side::Above { s, y } => {
                let d = 1.0 + y;
                self.l * self.a / s * y / (d * d)
            }
        }
    }

    /// `(r(s), r'(s))` with one power evaluation instead of two, bit for bit [`Curve::leads`]
    /// and [`Curve::derivative`] (the optimizer's inner loops want both at once).
    #[inline]
    pub(crate) fn leads_and_derivative(&self, spend: f64) -> (f64, f64) {
        let side = self.side(spend);
        (self.leads_on(side), self.slope_on(side))
    }
}

impl Curve for Hill {
    /// Evaluated via `x = (s/k)^a` below `k` and `y = (k/s)^a` above, so neither overflows:
    /// `s = ∞` gives exactly `L`. Negative or NaN spend counts as zero.
    #[inline]
    fn leads(&self, spend: f64) -> f64 {
        self.leads_on(self.side(spend))
    }

    /// `L·a·k^a·s^(a−1)/(s^a+k^a)²`, written as `(L·a/k)·t^(a−1)/(1+x)²` below `k` and
    /// `(L·a/s)·y/(1+y)²` above it (same overflow-free split as `leads`). At `s = 0`: `∞` for
    /// `a < 1`, `L/k` for `a = 1`, `0` for `a > 1`.
    #[inline]
    fn derivative(&self, spend: f64) -> f64 {
        self.slope_on(self.side(spend))
    }

    fn scaled(&self, factor: f64) -> Self {
        Hill { l: self.l * factor, ..self.clone() }
    }

    fn is_concave(&self) -> bool {
        self.a <= 1.0
    }

    fn max_leads(&self) -> f64 {
        self.l
    }

    fn inflection(&self) -> f64 {
        if self.a <= 1.0 { 0.0 } else { self.k * ((self.a - 1.0) / (self.a + 1.0)).powf(1.0 / self.a) }
    }

    /// Closed form `k·(ℓ/(L−ℓ))^(1/a)`; `None` for `ℓ ≥ L` (never reached) and NaN.
    fn spend_for_leads(&self, leads: f64) -> Option<f64> {
        inverse(leads, self.l, |l| self.k * (l / (self.l - l)).powf(1.0 / self.a))
    }

    /// No closed form for general `a`. With `x = (s/k)^a` and `w = ln x`,
    /// `ln r' = ln(L·a/k) + (1−1/a)·w − 2·ln(1+e^w) =: g(w)`, which is concave in `w` and
    /// decreasing past the inflection. Newton on a concave decreasing function started right of
    /// the root stays right of it and converges monotonically; the start comes from the bound
    /// `r'(s) ≤ L·a·k^a·s^(−a−1)`, so no bracket search is needed. Stops at
    /// `INVERSION_REL` relative change of `s` or `MAX_SCALAR_ITERS`.
    /// NaN slope gives `inflection()`, `slope ≤ 0` gives `∞`.
    fn spend_for_slope(&self, slope: f64) -> f64 {
        let infl = self.inflection();
        if slope.is_nan() || self.derivative(infl) <= slope {
            return infl;
        }
        // r' > 0 for every finite spend (it only underflows numerically).
        if slope <= 0.0 {
            return f64::INFINITY;
        }
        let a = self.a;
        // ln(L·a/k) − ln(slope), as separate logs so nothing overflows.
        let c = self.l.ln() + a.ln() - self.k.ln() - slope.ln();
        let mut w = a / (a + 1.0) * c;
        for _ in 0..tol::MAX_SCALAR_ITERS {
            let (softplus, sigmoid) = softplus_sigmoid(w);
            let slope_w = (1.0 - 1.0 / a) - 2.0 * sigmoid;
            let h = (1.0 - 1.0 / a) * w - 2.0 * softplus + c;
            let step = h / slope_w;
            // Exact arithmetic gives h ≤ 0 and slope_w < 0, so step ≥ 0 moves w down to the root;
            // anything else is rounding noise at the root.
            if step.is_nan() || step <= 0.0 {
                break;
            }
            w -= step;
            // s = k·e^(w/a): a step in w is a relative step of size step/a in s.
            if step <= a * tol::INVERSION_REL {
                break;
            }
        }
        (self.k * (w / a).exp()).max(infl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hill(l: f64, k: f64, a: f64) -> Hill {
        Hill::new(l, k, a).expect("valid test parameters")
    }

    #[test]
    fn half_saturation_at_k() {
        let c = hill(1000.0, 5000.0, 1.0);
        assert!(tol::approx_eq(c.leads(5000.0), 500.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(15000.0), 750.0, tol::INVERSION_REL));
        // r'(s) = L·k/(s+k)² = 1000·5000/1e8.
        assert!(tol::approx_eq(c.derivative(5000.0), 0.05, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.derivative(0.0), 0.2, tol::INVERSION_REL));
    }

    #[test]
    #[allow(clippy::float_cmp)] // only exact values (infinities) are compared with ==
    fn derivative_at_zero_depends_on_shape() {
        assert_eq!(hill(1.0, 1.0, 0.5).derivative(0.0), f64::INFINITY);
        assert!(tol::approx_eq(hill(10.0, 4.0, 1.0).derivative(0.0), 2.5, tol::INVERSION_REL));
        assert!(tol::approx_eq(hill(10.0, 4.0, 3.0).derivative(0.0), 0.0, tol::INVERSION_REL));
    }

    #[test]
    fn inflection_of_s_shape() {
        let c = hill(1000.0, 300.0, 2.0);
        let s_star = 300.0 / 3f64.sqrt(); // k·((2−1)/(2+1))^(1/2)
        assert!(tol::approx_eq(c.inflection(), s_star, tol::INVERSION_REL));
        assert!(!c.is_concave());
        // The derivative peaks at the inflection.
        assert!(c.derivative(s_star) > c.derivative(s_star * 0.99));
        assert!(c.derivative(s_star) > c.derivative(s_star * 1.01));
        assert!(tol::approx_eq(hill(1.0, 1.0, 1.0).inflection(), 0.0, tol::INVERSION_REL));
        assert!(hill(1.0, 1.0, 1.0).is_concave());
        assert!(hill(1.0, 1.0, 0.3).is_concave());
    }

    #[test]
    #[allow(clippy::float_cmp)] // only exact values (infinities) are compared with ==
    fn inverses_known_answers() {
        let c = hill(1000.0, 5000.0, 1.0);
        let s = c.spend_for_leads(500.0).expect("reachable");
        assert!(tol::approx_eq(s, 5000.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_leads(1000.0), None);
        assert_eq!(c.spend_for_leads(2000.0), None);
        assert_eq!(c.spend_for_leads(f64::NAN), None);
        assert_eq!(c.spend_for_leads(-3.0), Some(0.0));
        // Closed form for a = 1: √(L·k/slope) − k = √(1e8) − 5000.
        assert!(tol::approx_eq(c.spend_for_slope(0.05), 5000.0, tol::BUDGET_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.3), 0.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_slope(0.0), f64::INFINITY);
        assert_eq!(c.spend_for_slope(-1.0), f64::INFINITY);
        assert!(tol::approx_eq(c.spend_for_slope(f64::NAN), 0.0, tol::INVERSION_REL));
        // S-shape: slopes above the peak answer with the inflection.
        let s_shape = hill(1000.0, 300.0, 2.0);
        let peak = s_shape.derivative(s_shape.inflection());
        assert!(tol::approx_eq(
            s_shape.spend_for_slope(peak * 2.0),
            s_shape.inflection(),
            tol::INVERSION_REL
        ));
    }

    #[test]
    fn extreme_inputs_do_not_panic_or_overflow() {
        for a in [0.1, 1.0, 7.0, 10.0] {
            let c = hill(1000.0, 5000.0, a);
            assert!(tol::approx_eq(c.leads(f64::INFINITY), 1000.0, tol::INVERSION_REL));
            assert!(tol::approx_eq(c.leads(f64::MAX), 1000.0, tol::INVERSION_REL));
            assert!(tol::approx_eq(c.derivative(f64::INFINITY), 0.0, tol::INVERSION_REL));
            assert!(tol::approx_eq(c.leads(-5.0), 0.0, tol::INVERSION_REL));
            assert!(tol::approx_eq(c.leads(f64::NAN), 0.0, tol::INVERSION_REL));
            assert!(!c.derivative(f64::NAN).is_nan());
            for slope in [f64::MIN_POSITIVE, 1e-300, 1e-9, 1.0, 1e300, f64::MAX] {
                assert!(!c.spend_for_slope(slope).is_nan());
            }
        }
    }

    #[test]
    fn scaled_multiplies_saturation() {
        let c = hill(1000.0, 5000.0, 2.0).scaled(3.0);
        assert!(tol::approx_eq(c.l(), 3000.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(5000.0), 1500.0, tol::INVERSION_REL));
    }

    proptest! {
        #[test]
        fn concave_when_a_at_most_one(l in 1.0..1e6f64, k in 1.0..1e6f64, a in 0.1..1.0f64,
                                       x in 0.0..30.0f64, y in 0.0..30.0f64) {
            let c = hill(l, k, a);
            prop_assert!(c.is_concave());
            let (x, y) = (x * k, y * k);
            let mid = c.leads(0.5 * (x + y));
            prop_assert!(mid >= 0.5 * (c.leads(x) + c.leads(y)) - tol::BUDGET_REL * l);
        }

    }
}
