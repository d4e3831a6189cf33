//! Rising cost per lead: `CPL(ℓ) = base·(1+ℓ/l0)^β`, leads obtained by inverting the spend.

use serde::Serialize;

use super::{Curve, clamp_spend, inverse, param};
use crate::error::CurveError;
use crate::numerics::ranges;
use crate::numerics::special::softplus_sigmoid;
use crate::numerics::tol;

const CURVE: &str = "rising_cpl";

/// Response curve defined by a cost per lead that rises with volume.
///
/// Buying `ℓ` leads costs `spend(ℓ) = ℓ·base·(1+ℓ/l0)^β`; the response `r(s)` is the inverse of
/// that strictly increasing, convex function, so `r` is concave and unbounded.
///
/// # Arguments
/// * `base` — cost per lead at low volume, in [`ranges::SPEND_SCALE`].
/// * `l0` — volume scale at which the CPL has risen by the factor `2^β`, in [`ranges::COUNT_SCALE`].
/// * `beta` — elasticity of the CPL with respect to volume, in [`ranges::ELASTICITY`] (`0` is linear).
///
/// # Returns
/// Leads in `[0, ∞)`.
///
/// # Complexity
/// `leads`/`derivative`: a few Newton steps in log space (monotone convergence from a closed-form
/// upper bound) plus an exact ulp-level polish, about 10 transcendental calls, no allocation.
///
/// # Example
/// ```
/// use offergraph::curves::{Curve, RisingCpl};
/// let c = RisingCpl::new(10.0, 100.0, 1.0)?;
/// assert_eq!(c.leads(2000.0), 100.0); // spend(100) = 100·10·(1+1) = 2000
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Reference
/// The isoelastic supply curve of paid media: auction platforms price marginal volume higher.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RisingCpl {
    base: f64,
    l0: f64,
    beta: f64,
    /// `ln(base) + ln(l0)`, cached for the hot path; derived, so not serialized.
    #[serde(skip)]
    ln_unit: f64,
}

file_shape!(RisingCpl from RisingCplRaw { base: f64, l0: f64, beta: f64, } via RisingCpl::new);

getters!(RisingCpl {
    base: "Cost per lead at low volume.",
    l0: "Volume scale of the CPL increase.",
    beta: "Elasticity `β` of the CPL with respect to volume."
});

impl RisingCpl {
    /// Builds a rising-CPL curve with low-volume cost per lead `base`, volume scale `l0` and
    /// elasticity `beta`.
    ///
    /// # Errors
    /// [`CurveError::InvalidParameter`] when `base`, `l0` or `beta` is outside its accepted range
    /// ([`ranges`]).
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, RisingCpl};
    /// let c = RisingCpl::new(10.0, 100.0, 0.0)?; // β = 0: constant CPL of 10
    /// assert_eq!(c.leads(500.0), 50.0);
    /// assert!(RisingCpl::new(10.0, 100.0, -0.5).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(base: f64, l0: f64, beta: f64) -> Result<Self, CurveError> {
        let base = param(CURVE, "base", base, ranges::SPEND_SCALE)?;
        let l0 = param(CURVE, "l0", l0, ranges::COUNT_SCALE)?;
        let beta = param(CURVE, "beta", beta, ranges::ELASTICITY)?;
        Ok(Self::from_parts(base, l0, beta))
    }

    fn from_parts(base: f64, l0: f64, beta: f64) -> Self {
        RisingCpl { base, l0, beta, ln_unit: base.ln() + l0.ln() }
    }

    /// `spend(ℓ) = ℓ·base·(1+ℓ/l0)^β`. Every operation is monotone in `ℓ`, so the computed value
    /// is non-decreasing in `ℓ` too; `leads` relies on that.
    #[inline]
    fn spend_of(&self, leads: f64) -> f64 {
        leads * self.base * (1.0 + leads / self.l0).powf(self.beta)
    }

    /// `spend'(ℓ) = base·(1+u)^(β−1)·(1+(1+β)u)` with `u = ℓ/l0`.
    #[inline]
    fn marginal_cost(&self, leads: f64) -> f64 {
        let u = leads / self.l0;
        if u.is_infinite() {
            // (1+u)^(β−1) would be 0 for β < 1 and 0·∞ is NaN; the true limit is ∞.
            return f64::INFINITY;
        }
        self.base * (1.0 + u).powf(self.beta - 1.0) * (1.0 + (1.0 + self.beta) * u)
    }

    /// Newton estimate of `r(s)` for finite `s > 0`.
    ///
    /// With `u = ℓ/l0`, `σ = s/(base·l0)` and `v = ln u`, solve
    /// `f(v) = v + β·ln(1+e^v) − ln σ = 0`. `f` is increasing and convex with `f' ∈ [1, 1+β]`,
    /// and `v₀ = min(ln σ, ln σ/(1+β))` is an upper bound of the root, so Newton iterates decrease
    /// monotonically to it: no overshoot, no overflow (log space), few steps.
    #[inline]
    fn newton_estimate(&self, s: f64) -> f64 {
        let ln_sigma = s.ln() - self.ln_unit;
        let mut v = if ln_sigma <= 0.0 { ln_sigma } else { ln_sigma / (1.0 + self.beta) };
        for _ in 0..tol::MAX_SCALAR_ITERS {
            let (softplus, sigmoid) = softplus_sigmoid(v);
            let step = (v + self.beta * softplus - ln_sigma) / (1.0 + self.beta * sigmoid);
            // In exact arithmetic step ≥ 0 always; a non-positive step means rounding noise.
            if step.is_nan() || step <= 0.0 {
                break;
            }
            v -= step;
            // A step in v is a relative step in u = e^v.
            if step <= tol::INVERSION_REL {
                break;
            }
        }
        self.l0 * v.exp()
    }

    /// The largest `ℓ` (as an `f64`) with `spend(ℓ) ≤ s`, searched on the bit patterns of
    /// non-negative floats (ordered like the values) around `estimate`: galloping to a bracket,
    /// then integer bisection. Because `spend_of` is monotone, the result is exactly monotone in
    /// `s` and deterministic, whatever the Newton estimate was. Needs `s` finite, `s ≥ 0`.
    ///
    /// Each phase takes at most 64 steps (the width of the bit pattern); NaN when no bracket is
    /// found, which the validated parameter ranges rule out and the callers report as an error.
    #[inline]
    fn polish(&self, s: f64, estimate: f64) -> f64 {
        const INF_BITS: u64 = 0x7ff0_0000_0000_0000;
        const STEPS: usize = 66;
        let fits = |bits: u64| self.spend_of(f64::from_bits(bits)) <= s;
        let start = if estimate >= 0.0 { estimate.min(f64::INFINITY).to_bits() } else { 0 };
        // Invariant: fits(lo) (spend(0) = 0 ≤ s) and !fits(hi) (spend(∞) = ∞ > s).
        let mut bracket = None;
        let mut step: u64 = 1;
        if fits(start) {
            let mut lo = start;
            for _ in 0..STEPS {
                let cand = lo.saturating_add(step).min(INF_BITS);
                if !fits(cand) {
                    bracket = Some((lo, cand));
                    break;
                }
                lo = cand;
                step = step.saturating_mul(2);
            }
        } else {
            let mut hi = start;
            for _ in 0..STEPS {
                let cand = hi.saturating_sub(step);
                if fits(cand) {
                    bracket = Some((cand, hi));
                    break;
                }
                hi = cand;
                step = step.saturating_mul(2);
            }
        }
        let Some((mut lo, mut hi)) = bracket else { return f64::NAN };
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        f64::from_bits(lo)
    }
}

impl Curve for RisingCpl {
    /// Inverse of `spend(ℓ)`: Newton estimate, then exact polish (see the type docs). Negative or
    /// NaN spend counts as zero; infinite spend gives infinite leads.
    #[inline]
    fn leads(&self, spend: f64) -> f64 {
        let s = clamp_spend(spend);
        if s <= 0.0 {
            return 0.0;
        }
        if s.is_infinite() {
            return f64::INFINITY;
        }
        self.polish(s, self.newton_estimate(s))
    }

    /// Implicit differentiation: `r'(s) = 1/spend'(r(s))`.
    #[inline]
    fn derivative(&self, spend: f64) -> f64 {
        1.0 / self.marginal_cost(self.leads(spend))
    }

    /// `base → base/f`, `l0 → f·l0`: then `spend_f(f·ℓ) = spend(ℓ)`, i.e. `r_f = f·r`.
    fn scaled(&self, factor: f64) -> Self {
        Self::from_parts(self.base / factor, self.l0 * factor, self.beta)
    }

    fn is_concave(&self) -> bool {
        true
    }

    fn max_leads(&self) -> f64 {
        f64::INFINITY
    }

    fn inflection(&self) -> f64 {
        0.0
    }

    /// Closed form `spend(ℓ)`; `None` when that overflows, for infinite leads and NaN.
    fn spend_for_leads(&self, leads: f64) -> Option<f64> {
        inverse(leads, f64::INFINITY, |l| self.spend_of(l))
    }

    /// Solves `spend'(ℓ) = 1/slope` for `u = ℓ/l0` in log form
    /// `(β−1)·ln(1+u) + ln(1+(1+β)u) = −ln(slope·base)` (left side increasing because `spend` is
    /// convex) by geometric bisection, then returns `spend(ℓ)`. `0` when `slope ≥ 1/base` or NaN;
    /// `∞` when `slope ≤ 0` or `β = 0` (constant derivative `1/base`).
    fn spend_for_slope(&self, slope: f64) -> f64 {
        if slope.is_nan() || slope >= 1.0 / self.base {
            return 0.0;
        }
        if slope <= 0.0 || self.beta <= 0.0 {
            return f64::INFINITY;
        }
        let target = -(slope.ln() + self.base.ln());
        let g = |u: f64| (self.beta - 1.0) * u.ln_1p() + ((1.0 + self.beta) * u).ln_1p();
        let (mut lo, mut hi) = (f64::MIN_POSITIVE, f64::MAX);
        if g(lo) >= target {
            return self.spend_of(self.l0 * lo);
        }
        if g(hi) < target {
            return f64::INFINITY;
        }
        for _ in 0..tol::MAX_SCALAR_ITERS {
            if hi - lo <= tol::INVERSION_REL * hi {
                break;
            }
            let mid = lo.sqrt() * hi.sqrt();
            if !(mid > lo && mid < hi) {
                break;
            }
            if g(mid) >= target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        self.spend_of(self.l0 * hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rising(base: f64, l0: f64, beta: f64) -> RisingCpl {
        RisingCpl::new(base, l0, beta).expect("valid test parameters")
    }

    /// Known points of `base = 10`, `l0 = 100`: `spend(ℓ) = ℓ·10·(1+ℓ/100)^β`, so at `β = 1`
    /// spend(100) = 100·10·2 = 2000, spend(300) = 300·10·4 = 12000, spend(50) = 50·10·1.5 = 750,
    /// and `spend'(ℓ) = 10·(1 + 2ℓ/100) = 30` at ℓ = 100; `β = 0` is linear at CPL 10.
    #[test]
    #[allow(clippy::float_cmp)] // only exact values (infinities) are compared with ==
    fn known_answers() {
        for (beta, spend, leads) in
            [(1.0, 2000.0, 100.0), (1.0, 12000.0, 300.0), (1.0, 750.0, 50.0), (0.0, 12345.0, 1234.5)]
        {
            let c = rising(10.0, 100.0, beta);
            assert!(tol::approx_eq(c.leads(spend), leads, tol::INVERSION_REL), "β {beta}, {spend}");
        }
        for (beta, spend, slope) in [(1.0, 2000.0, 1.0 / 30.0), (1.0, 0.0, 0.1), (0.0, 12345.0, 0.1)] {
            let c = rising(10.0, 100.0, beta);
            assert!(tol::approx_eq(c.derivative(spend), slope, tol::INVERSION_REL), "β {beta}, {spend}");
        }
        let c = rising(10.0, 100.0, 1.0);
        assert_eq!(c.spend_for_leads(100.0), Some(2000.0));
        assert!(tol::approx_eq(c.spend_for_slope(1.0 / 30.0), 2000.0, tol::BUDGET_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.5), 0.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_slope(0.0), f64::INFINITY);
        assert_eq!(c.spend_for_leads(f64::INFINITY), None);
        assert_eq!(c.spend_for_leads(f64::NAN), None);
        assert_eq!(c.spend_for_leads(-1.0), Some(0.0));
        assert_eq!(c.max_leads(), f64::INFINITY);
        // Linear: the slope is the same everywhere, so a lower one is never reached.
        let linear = rising(10.0, 100.0, 0.0);
        assert_eq!(linear.spend_for_slope(0.05), f64::INFINITY);
        assert!(tol::approx_eq(linear.spend_for_slope(0.1), 0.0, tol::INVERSION_REL));
    }

    #[test]
    #[allow(clippy::float_cmp)] // only exact values (infinities) are compared with ==
    fn extreme_inputs() {
        // The corners of the accepted ranges, scaled as a module scales them.
        let corners = [(10.0, 100.0), (1e-6, 1e-6), (1e15, 1e12), (1e-6, 1e12), (1e15, 1e-6)];
        for beta in [0.0, 0.5, 1.0, 3.0, 10.0] {
            for ((base, l0), factor) in corners.into_iter().flat_map(|c| [(c, 1e-24), (c, 1.0), (c, 1e24)]) {
                let c = rising(base, l0, beta).scaled(factor);
                for s in [1e-6, 1.0, 1e15] {
                    assert!(c.leads(s).is_finite() && c.derivative(s).is_finite(), "{c:?} at {s}");
                }
                assert!(tol::approx_eq(c.leads(-1.0), 0.0, tol::INVERSION_REL));
                assert!(tol::approx_eq(c.leads(f64::NAN), 0.0, tol::INVERSION_REL));
                assert_eq!(c.leads(f64::INFINITY), f64::INFINITY);
                for s in [f64::MIN_POSITIVE, 1e-300, 1e-9, 1.0, 1e9, 1e300, f64::MAX] {
                    let l = c.leads(s);
                    assert!(l >= 0.0, "leads({s}) = {l}");
                    assert!(c.spend_of(l) <= s, "spend(leads({s})) = {} > s", c.spend_of(l));
                    assert!(!c.derivative(s).is_nan());
                }
                for slope in [f64::MIN_POSITIVE, 1e-300, 1e-9, 1.0, 1e300] {
                    assert!(!c.spend_for_slope(slope).is_nan());
                }
            }
        }
    }

    #[test]
    fn monotone_at_the_ulp_level() {
        let c = rising(10.0, 100.0, 1.7);
        let mut s = 2000.0_f64;
        let mut prev = c.leads(s);
        for _ in 0..2000 {
            s = f64::from_bits(s.to_bits() + 1);
            let l = c.leads(s);
            assert!(l >= prev);
            prev = l;
        }
    }

    #[test]
    fn scaled_changes_base_and_scale() {
        let c = rising(10.0, 100.0, 1.0).scaled(2.0);
        assert!(tol::approx_eq(c.base(), 5.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.l0(), 200.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(2000.0), 200.0, tol::INVERSION_REL));
    }

    fn any_rising() -> impl Strategy<Value = RisingCpl> {
        (0.01..1e4f64, 1.0..1e6f64, 0.0..5.0f64).prop_map(|(b, l0, beta)| rising(b, l0, beta))
    }

    /// Spend spanning tiny to deep-in-the-rising-regime, relative to the curve's own scale.
    fn spend_for(c: &RisingCpl, m: f64) -> f64 {
        c.base() * c.l0() * m
    }

    proptest! {
        #[test]
        fn inverts_spend(c in any_rising(), m in 1e-6..1e4f64) {
            let s = spend_for(&c, m);
            let l = c.leads(s);
            prop_assert!(tol::approx_eq(c.spend_of(l), s, tol::BUDGET_REL));
            prop_assert!(c.spend_of(l) <= s);
        }

    }
}
