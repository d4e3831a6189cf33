//! Exponential saturation: `L·(1−e^(−s/k))`.

use super::{Curve, clamp_spend, inverse, param, spend_at_slope};
use crate::error::CurveError;
use crate::numerics::ranges;

const CURVE: &str = "exponential";

numeric_family! {
    /// Exponential saturation curve `r(s) = L·(1−e^(−s/k))`.
    ///
    /// # Arguments
    /// * `L` — saturation level, in [`ranges::COUNT_SCALE`](crate::ranges::COUNT_SCALE).
    /// * `k` — spend scale (`r(k) = L·(1−1/e)`), in [`ranges::SPEND_SCALE`](crate::ranges::SPEND_SCALE).
    ///
    /// # Returns
    /// Leads in `[0, L)`. Always concave.
    ///
    /// # Complexity
    /// `O(1)` per evaluation (one `exp`), no allocation.
    ///
    /// # Example
    /// ```
    /// use offergraph::{curves::{Curve, Exponential}, tol};
    /// let c = Exponential::new(100.0, 10.0)?;
    /// assert!(tol::approx_eq(c.leads(10.0), 100.0 * (1.0 - (-1.0f64).exp()), tol::BUDGET_REL));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Reference
    /// The negative-exponential (diminishing returns) response model of advertising, e.g. Hanssens,
    /// Parsons & Schultz, *Market Response Models* (2001).
    Exponential from ExponentialRaw { l as "L" in COUNT_SCALE: "Saturation level `L`.", k as "k" in SPEND_SCALE: "Spend scale `k`." }
    /// Builds an exponential curve with saturation `l` (`L` in plan files) and spend scale `k`.
    ///
    /// # Errors
    /// [`CurveError::InvalidParameter`] when `l` or `k` is outside its accepted range ([`ranges`](crate::ranges)).
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, Exponential};
    /// let c = Exponential::new(100.0, 10.0)?;
    /// assert_eq!(c.derivative(0.0), 10.0); // L/k
    /// assert!(Exponential::new(100.0, -1.0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    new
}

impl Curve for Exponential {
    /// `−L·expm1(−s/k)`: `exp_m1` keeps full relative accuracy for small spend.
    #[inline]
    fn leads(&self, spend: f64) -> f64 {
        -self.l * (-clamp_spend(spend) / self.k).exp_m1()
    }

    /// `(L/k)·e^(−s/k)`.
    #[inline]
    fn derivative(&self, spend: f64) -> f64 {
        self.l / self.k * (-clamp_spend(spend) / self.k).exp()
    }

    concave_saturation!(l);

    /// `−k·ln(1−ℓ/L)` via `ln_1p`; `None` for `ℓ ≥ L` and NaN.
    fn spend_for_leads(&self, leads: f64) -> Option<f64> {
        inverse(leads, self.l, |l| -self.k * (-l / self.l).ln_1p())
    }

    /// `k·ln(L/(k·slope))`, clamped at `0`; `∞` for `slope ≤ 0`, `0` for NaN. Logs are taken
    /// separately so `L/(k·slope)` cannot overflow.
    fn spend_for_slope(&self, slope: f64) -> f64 {
        spend_at_slope(slope, |slope| self.k * (self.l.ln() - self.k.ln() - slope.ln()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;

    fn exponential(l: f64, k: f64) -> Exponential {
        Exponential::new(l, k).expect("valid test parameters")
    }

    #[test]
    #[allow(clippy::float_cmp)] // only exact values (infinities) are compared with ==
    fn known_answers() {
        let c = exponential(1000.0, 200.0);
        let e_inv = (-1.0f64).exp();
        assert!(tol::approx_eq(c.leads(200.0), 1000.0 * (1.0 - e_inv), tol::INVERSION_REL));
        assert!(tol::approx_eq(c.derivative(0.0), 5.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.derivative(200.0), 5.0 * e_inv, tol::INVERSION_REL));
        // Small spend keeps relative accuracy: r(s) ≈ L·s/k.
        assert!(tol::approx_eq(c.leads(1e-12) / 5e-12, 1.0, tol::BUDGET_REL));
        let s = c.spend_for_leads(1000.0 * (1.0 - e_inv)).expect("reachable");
        assert!(tol::approx_eq(s, 200.0, tol::BUDGET_REL));
        assert!(tol::approx_eq(c.spend_for_slope(5.0 * e_inv), 200.0, tol::BUDGET_REL));
        assert!(tol::approx_eq(c.spend_for_slope(10.0), 0.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_slope(0.0), f64::INFINITY);
        assert_eq!(c.spend_for_leads(1000.0), None);
        assert_eq!(c.spend_for_leads(-1.0), Some(0.0));
        assert_eq!(c.spend_for_leads(f64::NAN), None);
        assert!(tol::approx_eq(c.leads(f64::INFINITY), 1000.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(-3.0), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(f64::NAN), 0.0, tol::INVERSION_REL));
        assert!(c.is_concave());
        assert!(tol::approx_eq(c.scaled(2.0).l(), 2000.0, tol::INVERSION_REL));
    }
}
