//! Linear response: a constant cost per lead, optionally capped at a number of leads.

use serde::Serialize;

use super::{Curve, clamp_spend, inverse, param};
use crate::error::CurveError;
use crate::numerics::ranges;

const CURVE: &str = "linear";

/// Linear response curve `r(s) = min(s/cpl, cap)`.
///
/// # Arguments
/// * `cpl` — cost per lead (money per lead), in [`ranges::SPEND_SCALE`].
/// * `cap` — optional ceiling on leads (inventory, audience size), in [`ranges::COUNT_SCALE`] if present.
///
/// # Returns
/// Leads proportional to spend until the cap is reached, then flat. Always concave.
///
/// # Complexity
/// `O(1)` per evaluation, no allocation.
///
/// # Example
/// ```
/// use offergraph::curves::{Curve, Linear};
/// let c = Linear::new(50.0, Some(10.0))?;
/// assert_eq!(c.leads(100.0), 2.0); // 100 / 50
/// assert_eq!(c.leads(1_000.0), 10.0); // capped
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Reference
/// The constant-CPL model of performance-marketing media buying.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Linear {
    cpl: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    cap: Option<f64>,
}

file_shape!(Linear from LinearRaw { cpl: f64, #[serde(default)] cap: Option<f64>, } via Linear::new);

impl Linear {
    /// Builds a linear curve with cost per lead `cpl` and an optional cap on leads.
    ///
    /// # Errors
    /// [`CurveError::InvalidParameter`] when `cpl` or a present `cap` is outside its
    /// accepted range ([`ranges`]).
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, Linear};
    /// let c = Linear::new(25.0, None)?;
    /// assert_eq!(c.leads(100.0), 4.0);
    /// assert!(Linear::new(0.0, None).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(cpl: f64, cap: Option<f64>) -> Result<Self, CurveError> {
        let cpl = param(CURVE, "cpl", cpl, ranges::SPEND_SCALE)?;
        let cap = cap.map(|c| param(CURVE, "cap", c, ranges::COUNT_SCALE)).transpose()?;
        Ok(Linear { cpl, cap })
    }

    /// Cost per lead.
    pub fn cpl(&self) -> f64 {
        self.cpl
    }

    /// Ceiling on leads, if any.
    pub fn cap(&self) -> Option<f64> {
        self.cap
    }

    /// Spend at which the cap is reached, `∞` when uncapped.
    fn kink(&self) -> f64 {
        self.cap.map_or(f64::INFINITY, |c| c * self.cpl)
    }
}

impl Curve for Linear {
    /// `min(s/cpl, cap)`; negative or NaN spend counts as zero.
    #[inline]
    fn leads(&self, spend: f64) -> f64 {
        let l = clamp_spend(spend) / self.cpl;
        match self.cap {
            Some(c) => l.min(c),
            None => l,
        }
    }

    /// `1/cpl` below the cap, `0` from the cap on. At the kink itself the right derivative (`0`)
    /// is returned: the next unit of money buys nothing there, which is what an allocator needs.
    #[inline]
    fn derivative(&self, spend: f64) -> f64 {
        // Compared against the kink spend `cap·cpl` itself, the value `spend_for_leads(cap)` and
        // `spend_for_slope` return, so the derivative there is exactly 0.
        match self.cap {
            Some(c) if clamp_spend(spend) >= c * self.cpl => 0.0,
            _ => 1.0 / self.cpl,
        }
    }

    fn scaled(&self, factor: f64) -> Self {
        Linear { cpl: self.cpl / factor, cap: self.cap.map(|c| c * factor) }
    }

    fn is_concave(&self) -> bool {
        true
    }

    fn max_leads(&self) -> f64 {
        self.cap.unwrap_or(f64::INFINITY)
    }

    fn inflection(&self) -> f64 {
        0.0
    }

    /// `leads·cpl`; `None` above the cap, for infinite leads, and for NaN.
    fn spend_for_leads(&self, leads: f64) -> Option<f64> {
        // At the cap exactly the kink, so that `derivative` agrees the cap has been reached.
        let at_cap = |l: f64| self.cap.is_some_and(|c| l >= c);
        inverse(leads, self.cap.map_or(f64::INFINITY, f64::next_up), |l| {
            if at_cap(l) { self.kink() } else { l * self.cpl }
        })
    }

    /// Smallest spend whose derivative is `≤ slope`: `0` when `slope ≥ 1/cpl`, the cap point for
    /// `0 ≤ slope < 1/cpl`, `∞` when uncapped (or `slope < 0`). NaN slope gives `0`.
    fn spend_for_slope(&self, slope: f64) -> f64 {
        if slope.is_nan() || slope >= 1.0 / self.cpl {
            0.0
        } else if slope >= 0.0 {
            self.kink()
        } else {
            f64::INFINITY
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;
    use proptest::prelude::*;

    fn linear(cpl: f64, cap: Option<f64>) -> Linear {
        Linear::new(cpl, cap).expect("valid test parameters")
    }

    #[test]
    #[allow(clippy::float_cmp)] // only exact values (infinities) are compared with ==
    fn known_answers() {
        let c = linear(50.0, Some(10.0));
        assert!(tol::approx_eq(c.leads(100.0), 2.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(500.0), 10.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(1e9), 10.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.derivative(100.0), 0.02, tol::INVERSION_REL));
        // At the kink the right derivative (0) is used.
        assert!(tol::approx_eq(c.derivative(500.0), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.derivative(600.0), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.max_leads(), 10.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_leads(4.0), Some(200.0));
        assert_eq!(c.spend_for_leads(10.0), Some(500.0));
        assert_eq!(c.spend_for_leads(10.5), None);
        assert_eq!(c.spend_for_leads(-1.0), Some(0.0));
        assert_eq!(c.spend_for_leads(f64::NAN), None);
        assert!(tol::approx_eq(c.spend_for_slope(0.01), 500.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.0), 500.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.02), 0.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_slope(-1.0), f64::INFINITY);
        let open = linear(50.0, None);
        assert_eq!(open.max_leads(), f64::INFINITY);
        assert_eq!(open.spend_for_slope(0.01), f64::INFINITY);
        assert_eq!(open.spend_for_leads(f64::INFINITY), None);
        assert!(tol::approx_eq(open.leads(-10.0), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(open.leads(f64::NAN), 0.0, tol::INVERSION_REL));
        assert_eq!(open.leads(f64::INFINITY), f64::INFINITY);
        assert!(tol::approx_eq(open.derivative(f64::INFINITY), 0.02, tol::INVERSION_REL));
    }

    #[test]
    fn scaled_divides_cpl_and_multiplies_cap() {
        let c = linear(50.0, Some(10.0)).scaled(2.0);
        assert!(tol::approx_eq(c.cpl(), 25.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.cap().unwrap_or(0.0), 20.0, tol::INVERSION_REL));
    }

    fn any_linear() -> impl Strategy<Value = Linear> {
        (0.01..1e4f64, proptest::option::of(1.0..1e6f64)).prop_map(|(cpl, cap)| linear(cpl, cap))
    }

    proptest! {
        #[test]
        fn spend_for_slope_is_where_the_derivative_drops(c in any_linear(), f in 0.0..2.0f64) {
            let slope = f / c.cpl();
            let back = c.spend_for_slope(slope);
            // Every spend before the answer still earns more than `slope` at the margin…
            if back > 0.0 {
                prop_assert!(c.derivative(0.5 * back.min(f64::MAX)) > slope);
            }
            // …and from the answer on it does not.
            if back.is_finite() {
                prop_assert!(c.derivative(back) <= slope);
            }
        }
    }
}
