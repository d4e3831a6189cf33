//! Michaelis–Menten saturation: `V·s/(K+s)`.

use super::{Curve, clamp_spend, inverse, param, spend_at_slope};
use crate::error::CurveError;
use crate::numerics::ranges;

numeric_family! {
    /// Michaelis–Menten curve `r(s) = V·s/(K+s)` (a Hill curve with `a = 1`).
    ///
    /// # Arguments
    /// * `V` — saturation level, in [`ranges::COUNT_SCALE`].
    /// * `K` — half-saturation spend (`r(K) = V/2`), in [`ranges::SPEND_SCALE`].
    ///
    /// # Returns
    /// Leads in `[0, V)`. Always concave.
    ///
    /// # Complexity
    /// `O(1)` per evaluation, no allocation.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, MichaelisMenten};
    /// let c = MichaelisMenten::new(300.0, 100.0)?;
    /// assert_eq!(c.leads(200.0), 200.0); // 300·200/300
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Reference
    /// L. Michaelis & M. Menten (1913), enzyme kinetics; the same hyperbola is a standard
    /// diminishing-returns response in marketing.
    MichaelisMenten as "michaelis_menten" from MichaelisMentenRaw { v as "V" in COUNT_SCALE: "Saturation level `V`.", k as "K" in SPEND_SCALE: "Half-saturation spend `K`." }
    /// Builds a Michaelis–Menten curve with saturation `v` (`V`) and half-saturation spend `k`
    /// (`K`).
    ///
    /// # Errors
    /// [`CurveError::InvalidParameter`] when `v` or `k` is outside its accepted range ([`ranges`]).
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, MichaelisMenten};
    /// let c = MichaelisMenten::new(300.0, 100.0)?;
    /// assert_eq!(c.derivative(0.0), 3.0); // V/K
    /// assert!(MichaelisMenten::new(0.0, 100.0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    new
}

concave_saturation! {
    MichaelisMenten at v;
    /// `V·s/(K+s)` below `K`, `V/(1+K/s)` above it, so `s = ∞` gives `V` instead of `∞/∞`.
    leads: |c, s| if s <= c.k { c.v * s / (c.k + s) } else { c.v / (1.0 + c.k / s) };
    /// `V·K/(K+s)²`, written as `(V/K)/(1+s/K)²`.
    derivative: |c, s| {
        let d = 1.0 + s / c.k;
        c.v / c.k / (d * d)
    };
    /// `K·ℓ/(V−ℓ)`; `None` for `ℓ ≥ V` and NaN.
    spend_for_leads: |c, l| c.k * (l / (c.v - l));
    /// `√(V·K/slope) − K`, clamped at `0`; `∞` for `slope ≤ 0`, `0` for NaN. `√(V/slope)·√K`:
    /// the product `V·K/slope` could overflow before the root.
    spend_for_slope: |c, slope| (c.v / slope).sqrt() * c.k.sqrt() - c.k;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;

    #[test]
    fn known_answers() {
        let c = MichaelisMenten::new(300.0, 100.0).expect("valid test parameters");
        assert!(tol::approx_eq(c.leads(100.0), 150.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(200.0), 200.0, tol::INVERSION_REL));
        // V·K/(K+s)² = 30000/40000 at s = 100.
        assert!(tol::approx_eq(c.derivative(100.0), 0.75, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.75), 100.0, tol::BUDGET_REL));
        assert!(tol::approx_eq(c.spend_for_slope(5.0), 0.0, tol::INVERSION_REL));
        let s = c.spend_for_leads(200.0).expect("reachable");
        assert!(tol::approx_eq(s, 200.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.scaled(0.5).v(), 150.0, tol::INVERSION_REL));
    }
}
