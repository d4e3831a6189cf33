//! Logistic saturation anchored at zero: `L·(1−e^(−λs))/(1+e^(−λs)) = L·tanh(λs/2)`.

use super::{Curve, clamp_spend, inverse, param, spend_at_slope};
use crate::error::CurveError;
use crate::numerics::ranges;

numeric_family! {
    /// Zero-anchored logistic curve `r(s) = L·(1−e^(−λs))/(1+e^(−λs))`, i.e. `L·tanh(λs/2)`.
    ///
    /// # Arguments
    /// * `L` — saturation level, in [`ranges::COUNT_SCALE`].
    /// * `lambda` — steepness `λ` (per unit of money), in [`ranges::PER_MONEY`].
    ///
    /// # Returns
    /// Leads in `[0, L)`. Always concave (it is the concave half of a logistic centred at zero).
    ///
    /// # Complexity
    /// `O(1)` per evaluation, no allocation.
    ///
    /// # Example
    /// ```
    /// use offergraph::{curves::{Curve, Logistic}, tol};
    /// let c = Logistic::new(100.0, 0.5)?;
    /// // λs = ln 3 ⇒ e^(−λs) = 1/3 ⇒ leads = 100·(2/3)/(4/3) = 50.
    /// assert!(tol::approx_eq(c.leads(2.0 * 3f64.ln()), 50.0, tol::BUDGET_REL));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Reference
    /// Verhulst's logistic function, shifted so that `r(0) = 0`.
    Logistic as "logistic" from LogisticRaw { l as "L" in COUNT_SCALE: "Saturation level `L`.", lambda as "lambda" in PER_MONEY: "Steepness `λ`." }
    /// Builds a logistic curve with saturation `l` (`L` in plan files) and steepness `lambda`.
    ///
    /// # Errors
    /// [`CurveError::InvalidParameter`] when `l` or `lambda` is outside its accepted range ([`ranges`]).
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, Logistic};
    /// let c = Logistic::new(100.0, 0.5)?;
    /// assert_eq!(c.derivative(0.0), 25.0); // L·λ/2
    /// assert!(Logistic::new(100.0, f64::INFINITY).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    new
}

concave_saturation! {
    Logistic at l;
    /// `L·tanh(λs/2)`: `tanh` is accurate at both ends (small `s` and saturation).
    leads: |c, s| c.l * (0.5 * c.lambda * s).tanh();
    /// `2Lλ·E/(1+E)²` with `E = e^(−λs)`: equal to `(Lλ/2)·(1−tanh²)` but without the
    /// cancellation that would round the tail to zero early.
    derivative: |c, s| {
        let e = (-c.lambda * s).exp();
        let d = 1.0 + e;
        2.0 * c.l * c.lambda * e / (d * d)
    };
    /// `(2/λ)·atanh(ℓ/L)`; `None` for `ℓ ≥ L` and NaN.
    spend_for_leads: |c, l| 2.0 / c.lambda * (l / c.l).atanh();
    /// Solves `E/(1+E)² = c` with `c = slope/(2Lλ)` for the root `E ≤ 1`, written as
    /// `E = 2c/((1−2c)+√(1−4c))` to avoid cancellation for small `c`; then `s = −ln(E)/λ`.
    /// `0` when `slope ≥ Lλ/2` (or NaN), `∞` when `slope ≤ 0`.
    spend_for_slope: |curve, slope| {
        let c = slope / (2.0 * curve.l * curve.lambda);
        if c >= 0.25 {
            return 0.0;
        }
        let e = 2.0 * c / ((1.0 - 2.0 * c) + (1.0 - 4.0 * c).sqrt());
        -e.ln() / curve.lambda
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;

    #[test]
    fn known_answers() {
        let c = Logistic::new(100.0, 0.5).expect("valid test parameters");
        let s = 2.0 * 3f64.ln(); // e^(−λs) = 1/3
        assert!(tol::approx_eq(c.leads(s), 50.0, tol::INVERSION_REL));
        // 2Lλ·E/(1+E)² = 100·(1/3)/(16/9) = 18.75.
        assert!(tol::approx_eq(c.derivative(s), 18.75, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.derivative(0.0), 25.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(18.75), s, tol::BUDGET_REL));
        assert!(tol::approx_eq(c.spend_for_slope(25.0), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(30.0), 0.0, tol::INVERSION_REL));
        let back = c.spend_for_leads(50.0).expect("reachable");
        assert!(tol::approx_eq(back, s, tol::BUDGET_REL));
        // Far tail: still a positive derivative, not rounded to zero by 1 − tanh².
        assert!(c.derivative(100.0) > 0.0);
        assert!(tol::approx_eq(c.scaled(4.0).l(), 400.0, tol::INVERSION_REL));
    }
}
