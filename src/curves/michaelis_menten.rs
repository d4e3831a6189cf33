//! Michaelis–Menten saturation: `V·s/(K+s)`.

use super::{Curve, clamp_spend, inverse, param, spend_at_slope};
use crate::error::CurveError;
use crate::numerics::ranges;

const CURVE: &str = "michaelis_menten";

numeric_family! {
    /// Michaelis–Menten curve `r(s) = V·s/(K+s)` (a Hill curve with `a = 1`).
    ///
    /// # Arguments
    /// * `V` — saturation level, in [`ranges::COUNT_SCALE`](crate::ranges::COUNT_SCALE).
    /// * `K` — half-saturation spend (`r(K) = V/2`), in [`ranges::SPEND_SCALE`](crate::ranges::SPEND_SCALE).
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
    MichaelisMenten from MichaelisMentenRaw { v as "V" in COUNT_SCALE: "Saturation level `V`.", k as "K" in SPEND_SCALE: "Half-saturation spend `K`." }
    /// Builds a Michaelis–Menten curve with saturation `v` (`V`) and half-saturation spend `k`
    /// (`K`).
    ///
    /// # Errors
    /// [`CurveError::InvalidParameter`] when `v` or `k` is outside its accepted range ([`ranges`](crate::ranges)).
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

impl Curve for MichaelisMenten {
    /// `V·s/(K+s)` below `K`, `V/(1+K/s)` above it, so `s = ∞` gives `V` instead of `∞/∞`.
    #[inline]
    fn leads(&self, spend: f64) -> f64 {
        let s = clamp_spend(spend);
        if s <= self.k { self.v * s / (self.k + s) } else { self.v / (1.0 + self.k / s) }
    }

    /// `V·K/(K+s)²`, written as `(V/K)/(1+s/K)²`.
    #[inline]
    fn derivative(&self, spend: f64) -> f64 {
        let d = 1.0 + clamp_spend(spend) / self.k;
        self.v / self.k / (d * d)
    }

    concave_saturation!(v);

    /// `K·ℓ/(V−ℓ)`; `None` for `ℓ ≥ V` and NaN.
    fn spend_for_leads(&self, leads: f64) -> Option<f64> {
        inverse(leads, self.v, |l| self.k * (l / (self.v - l)))
    }

    /// `√(V·K/slope) − K`, clamped at `0`; `∞` for `slope ≤ 0`, `0` for NaN.
    fn spend_for_slope(&self, slope: f64) -> f64 {
        // √(V/slope)·√K: the product V·K/slope could overflow before the root.
        spend_at_slope(slope, |slope| (self.v / slope).sqrt() * self.k.sqrt() - self.k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;

    fn mm(v: f64, k: f64) -> MichaelisMenten {
        MichaelisMenten::new(v, k).expect("valid test parameters")
    }

    #[test]
    #[allow(clippy::float_cmp)] // only exact values (infinities) are compared with ==
    fn known_answers() {
        let c = mm(300.0, 100.0);
        assert!(tol::approx_eq(c.leads(100.0), 150.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(200.0), 200.0, tol::INVERSION_REL));
        // V·K/(K+s)² = 30000/40000 at s = 100.
        assert!(tol::approx_eq(c.derivative(100.0), 0.75, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.75), 100.0, tol::BUDGET_REL));
        assert!(tol::approx_eq(c.spend_for_slope(5.0), 0.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_slope(0.0), f64::INFINITY);
        let s = c.spend_for_leads(200.0).expect("reachable");
        assert!(tol::approx_eq(s, 200.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_leads(300.0), None);
        assert_eq!(c.spend_for_leads(0.0), Some(0.0));
        assert_eq!(c.spend_for_leads(f64::NAN), None);
        assert!(tol::approx_eq(c.leads(f64::INFINITY), 300.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(f64::MAX), 300.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.derivative(f64::INFINITY), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(-1.0), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.scaled(0.5).v(), 150.0, tol::INVERSION_REL));
        assert!(c.is_concave());
    }
}
