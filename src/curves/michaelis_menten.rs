//! Michaelis–Menten saturation: `V·s/(K+s)`.

use serde::{Deserialize, Serialize};

use super::{Curve, clamp_spend, inverse, param};
use crate::error::CurveError;
use crate::numerics::ranges;

const CURVE: &str = "michaelis_menten";

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "MichaelisMentenRaw")]
pub struct MichaelisMenten {
    #[serde(rename = "V")]
    v: f64,
    #[serde(rename = "K")]
    k: f64,
}

file_shape!(MichaelisMenten from MichaelisMentenRaw { #[serde(rename = "V")] v: f64, #[serde(rename = "K")] k: f64, } via MichaelisMenten::new);

getters!(MichaelisMenten { v: "Saturation level `V`.", k: "Half-saturation spend `K`." });

impl MichaelisMenten {
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
    pub fn new(v: f64, k: f64) -> Result<Self, CurveError> {
        Ok(MichaelisMenten {
            v: param(CURVE, "V", v, ranges::COUNT_SCALE)?,
            k: param(CURVE, "K", k, ranges::SPEND_SCALE)?,
        })
    }
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

    fn scaled(&self, factor: f64) -> Self {
        MichaelisMenten { v: self.v * factor, k: self.k }
    }

    fn is_concave(&self) -> bool {
        true
    }

    fn max_leads(&self) -> f64 {
        self.v
    }

    fn inflection(&self) -> f64 {
        0.0
    }

    /// `K·ℓ/(V−ℓ)`; `None` for `ℓ ≥ V` and NaN.
    fn spend_for_leads(&self, leads: f64) -> Option<f64> {
        inverse(leads, self.v, |l| self.k * (l / (self.v - l)))
    }

    /// `√(V·K/slope) − K`, clamped at `0`; `∞` for `slope ≤ 0`, `0` for NaN.
    fn spend_for_slope(&self, slope: f64) -> f64 {
        if slope.is_nan() {
            return 0.0;
        }
        if slope <= 0.0 {
            return f64::INFINITY;
        }
        // √(V/slope)·√K: the product V·K/slope could overflow before the root.
        ((self.v / slope).sqrt() * self.k.sqrt() - self.k).max(0.0)
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

    #[test]
    fn errors_name_parameter_and_value() {
        let msg = |r: Result<MichaelisMenten, CurveError>| r.unwrap_err().to_string();
        assert_eq!(
            msg(MichaelisMenten::new(0.0, 1.0)),
            "michaelis_menten parameter `V` must be a number in [1e-6, 1e12], found 0"
        );
        assert_eq!(
            msg(MichaelisMenten::new(1.0, f64::NAN)),
            "michaelis_menten parameter `K` must be a number in [1e-6, 1e15], found NaN"
        );
        assert_eq!(
            msg(MichaelisMenten::new(f64::INFINITY, 1.0)),
            "michaelis_menten parameter `V` must be a number in [1e-6, 1e12], found inf"
        );
    }

    #[test]
    fn serde_fields() {
        let c: MichaelisMenten = serde_json::from_str(r#"{"V":300,"K":100}"#).expect("valid");
        assert_eq!(c, mm(300.0, 100.0));
        assert_eq!(serde_json::to_string(&c).expect("serializes"), r#"{"V":300.0,"K":100.0}"#);
        assert!(serde_json::from_str::<MichaelisMenten>(r#"{"V":300,"K":100,"L":1}"#).is_err());
        assert!(serde_json::from_str::<MichaelisMenten>(r#"{"v":300,"k":100}"#).is_err());
    }
}
