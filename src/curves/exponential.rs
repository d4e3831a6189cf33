//! Exponential saturation: `L·(1−e^(−s/k))`.

use super::{Curve, clamp_spend, inverse, param, spend_at_slope};
use crate::error::CurveError;
use crate::numerics::ranges;

numeric_family! {
    /// Exponential saturation curve `r(s) = L·(1−e^(−s/k))`.
    ///
    /// # Arguments
    /// * `L` — saturation level, in [`ranges::COUNT_SCALE`].
    /// * `k` — spend scale (`r(k) = L·(1−1/e)`), in [`ranges::SPEND_SCALE`].
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
    Exponential as "exponential" from ExponentialRaw { l as "L" in COUNT_SCALE: "Saturation level `L`.", k as "k" in SPEND_SCALE: "Spend scale `k`." }
    /// Builds an exponential curve with saturation `l` (`L` in plan files) and spend scale `k`.
    ///
    /// # Errors
    /// [`CurveError::InvalidParameter`] when `l` or `k` is outside its accepted range ([`ranges`]).
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

concave_saturation! {
    Exponential at l;
    /// `−L·expm1(−s/k)`: `exp_m1` keeps full relative accuracy for small spend.
    leads: |c, s| -c.l * (-s / c.k).exp_m1();
    /// `(L/k)·e^(−s/k)`.
    derivative: |c, s| c.l / c.k * (-s / c.k).exp();
    /// `−k·ln(1−ℓ/L)` via `ln_1p`; `None` for `ℓ ≥ L` and NaN.
    spend_for_leads: |c, l| -c.k * (-l / c.l).ln_1p();
    /// `k·ln(L/(k·slope))`, clamped at `0`; `∞` for `slope ≤ 0`, `0` for NaN. Logs are taken
    /// separately so `L/(k·slope)` cannot overflow.
    spend_for_slope: |c, slope| c.k * (c.l.ln() - c.k.ln() - slope.ln());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;

    #[test]
    fn known_answers() {
        let c = Exponential::new(1000.0, 200.0).expect("valid test parameters");
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
        assert!(tol::approx_eq(c.scaled(2.0).l(), 2000.0, tol::INVERSION_REL));
    }
}
