//! Stability of a module's weekly lead volume and cost per lead: the B2B method's first
//! question, asked before any question of return.
//!
//! Over the periods with data (and spend), leads `L_t` are compared with `θ̂·μ_t`, where `μ_t`
//! is what the curve promises at the spend made (so a change of spend is no instability, and
//! cost per lead is covered) and `θ̂ = ΣL/Σμ` the module's own level:
//!
//! - **overdispersion**: Pearson's `X² = Σ (L_t − θ̂μ_t)² / θ̂μ_t` against χ² with `n − 1`
//!   degrees of freedom (Poisson noise gives `X² ≈ n − 1`);
//! - **sustained shift**: the CUSUM of the standardised residuals, `max_k |Σ_{t≤k} e_t| / √Σ θ̂μ_t`,
//!   against the Kolmogorov distribution (the supremum of a Brownian bridge): a level that moved
//!   part-way through the window pushes the partial sums away from zero.
//!
//! Each test has the false-alarm rate `STABILITY_ALPHA` on Poisson data with a constant level,
//! so a stable module is called unstable with probability at most twice that. With fewer than
//! `STABILITY_MIN_PERIODS` periods a module is not yet stable: stability cannot be judged.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::numerics::special::kolmogorov_sf;
use crate::numerics::tol;

/// The stability tests of one module.
///
/// ```
/// use offergraph::actuals::Stability;
/// let flat = Stability::of(&[30.0, 28.0, 33.0, 29.0, 31.0, 30.0], &[30.0; 6]);
/// assert!(flat.stable);
/// let shifted = Stability::of(&[30.0, 31.0, 29.0, 30.0, 12.0, 11.0, 13.0, 12.0], &[30.0; 8]);
/// assert!(!shifted.stable && shifted.shift_p < 0.01);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Stability {
    /// Whether the module counts as stable: enough periods, and neither test rejects.
    pub stable: bool,
    /// Periods tested.
    pub periods: usize,
    /// `X² / (n − 1)`: about 1 for Poisson noise, above for overdispersed volume.
    pub dispersion: f64,
    /// p-value of the overdispersion test (1 when not tested).
    pub dispersion_p: f64,
    /// p-value of the sustained-shift (CUSUM) test (1 when not tested).
    pub shift_p: f64,
}

impl Stability {
    /// Tests leads `leads[t]` against expected leads `expected[t]` (the curve at the spend made);
    /// periods with no expected leads, or with a negative or non-finite value, are left out.
    ///
    /// ```
    /// let s = offergraph::actuals::Stability::of(&[30.0, 31.0], &[30.0, 30.0]);
    /// assert!(!s.stable && s.periods == 2); // too few periods to judge
    /// ```
    pub fn of(leads: &[f64], expected: &[f64]) -> Stability {
        let pairs: Vec<(f64, f64)> = leads
            .iter()
            .zip(expected)
            .filter(|(l, m)| **m > 0.0 && m.is_finite() && **l >= 0.0 && l.is_finite())
            .map(|(l, m)| (*l, *m))
            .collect();
        let n = pairs.len();
        let (sum_l, sum_m): (f64, f64) = pairs.iter().fold((0.0, 0.0), |(a, b), (l, m)| (a + l, b + m));
        let untested =
            Stability { stable: false, periods: n, dispersion: 1.0, dispersion_p: 1.0, shift_p: 1.0 };
        if n < tol::STABILITY_MIN_PERIODS {
            return untested;
        }
        if sum_l <= 0.0 {
            // No lead at all in enough periods: steadily nothing.
            return Stability { stable: true, ..untested };
        }
        let level = sum_l / sum_m;
        let (mut x2, mut partial, mut worst, mut var) = (0.0, 0.0, 0.0f64, 0.0);
        for &(l, m) in &pairs {
            let mean = level * m;
            let e = l - mean;
            x2 += e * e / mean;
            var += mean;
            partial += e;
            worst = worst.max(partial.abs());
        }
        let df = (n - 1) as f64;
        let dispersion_p = ChiSquared::new(df).map_or(1.0, |d| d.sf(x2));
        let shift_p = kolmogorov_sf(worst / var.sqrt());
        Stability {
            stable: dispersion_p >= tol::STABILITY_ALPHA && shift_p >= tol::STABILITY_ALPHA,
            periods: n,
            dispersion: x2 / df,
            dispersion_p,
            shift_p,
        }
    }
}
