//! Posterior distributions of the three links a module's actuals inform: the lead scale
//! (Gamma), the conversion (Beta) and the deal value (log-normal), kept as data so they can be
//! written out, and their quantiles, tail probabilities and expected shortfalls.

use statrs::distribution::{Beta, ContinuousCDF, Gamma, Normal};
use statrs::function::gamma::digamma;

use crate::numerics::special::{beta_quantile, gamma_quantile, normal_cdf, trigamma};

/// P10, P50 and P90 of a quantity.
///
/// ```
/// use offergraph::actuals::Posterior;
/// let q = Posterior::LogNormal { median: 100.0, sigma: 0.0 }.quantiles();
/// assert_eq!((q.p10, q.p50, q.p90), (100.0, 100.0, 100.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Quantiles {
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl Quantiles {
    /// Whether `x` lies in `[p10, p90]`, the central 80% interval.
    ///
    /// ```
    /// let q = offergraph::actuals::Quantiles { p10: 1.0, p50: 2.0, p90: 3.0 };
    /// assert!(q.contains(2.5) && !q.contains(3.5));
    /// ```
    pub fn contains(&self, x: f64) -> bool {
        (self.p10..=self.p90).contains(&x)
    }
}

/// A posterior distribution of one link, as data (the conjugate family and its parameters).
///
/// # Example
/// ```
/// use offergraph::actuals::Posterior;
/// // 30 leads expected a week at the spend made; 60 arrived over 2 weeks, prior worth 2 weeks.
/// let lead_scale = Posterior::Gamma { shape: 60.0 + 60.0, rate: 60.0 + 60.0 };
/// assert_eq!(lead_scale.mean(), 1.0);
/// assert!((lead_scale.quantile(0.5) - 0.997).abs() < 1e-3);
/// assert!(lead_scale.prob_below(0.9) < 0.15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Posterior {
    /// Gamma with shape and rate (mean `shape / rate`): the lead scale.
    Gamma {
        /// Shape.
        shape: f64,
        /// Rate.
        rate: f64,
    },
    /// Beta (mean `alpha / (alpha + beta)`): the conversion.
    Beta {
        /// First shape.
        alpha: f64,
        /// Second shape.
        beta: f64,
    },
    /// Log-normal with the given median and standard deviation of the log: the deal value.
    LogNormal {
        /// Median.
        median: f64,
        /// Standard deviation of the log.
        sigma: f64,
    },
}

impl Posterior {
    /// The mean.
    ///
    /// ```
    /// assert_eq!(offergraph::actuals::Posterior::Beta { alpha: 1.0, beta: 3.0 }.mean(), 0.25);
    /// ```
    pub fn mean(&self) -> f64 {
        match *self {
            Posterior::Gamma { shape, rate } => shape / rate,
            Posterior::Beta { alpha, beta } => alpha / (alpha + beta),
            Posterior::LogNormal { median, sigma } => median * (sigma * sigma / 2.0).exp(),
        }
    }

    /// The `p`-quantile (`p` is clamped to `[0, 1]`, NaN read as ½; the 0- and 1-quantiles are
    /// the ends of the support, `∞` for the Gamma and log-normal).
    ///
    /// ```
    /// let b = offergraph::actuals::Posterior::Beta { alpha: 2.0, beta: 2.0 };
    /// assert!((b.quantile(0.5) - 0.5).abs() < 1e-9);
    /// ```
    pub fn quantile(&self, p: f64) -> f64 {
        let p = if p.is_nan() { 0.5 } else { p.clamp(0.0, 1.0) };
        match *self {
            // statrs' Gamma inverse CDF can step outside `(0, ∞)` for large shapes and panic; the
            // search of `numerics` never does.
            Posterior::Gamma { shape, rate } => match Gamma::new(shape, rate) {
                Ok(_) if p == 0.0 => 0.0,
                Ok(_) if p >= 1.0 => f64::INFINITY,
                Ok(_) => gamma_quantile(shape, p) / rate,
                Err(_) => self.mean(),
            },
            // statrs' Beta inverse CDF loops forever for shapes like (0.5, 1.8e8).
            Posterior::Beta { alpha, beta } => match Beta::new(alpha, beta) {
                Ok(_) if p == 0.0 => 0.0,
                Ok(_) if p >= 1.0 => 1.0,
                Ok(_) => beta_quantile(alpha, beta, p),
                Err(_) => self.mean(),
            },
            Posterior::LogNormal { median, sigma } => median * (sigma * z(p)).exp(),
        }
    }

    /// P10, P50 and P90.
    ///
    /// ```
    /// let q = offergraph::actuals::Posterior::Gamma { shape: 100.0, rate: 100.0 }.quantiles();
    /// assert!(q.p10 < 1.0 && q.p90 > 1.0 && q.p10 < q.p50 && q.p50 < q.p90);
    /// ```
    pub fn quantiles(&self) -> Quantiles {
        Quantiles { p10: self.quantile(0.1), p50: self.quantile(0.5), p90: self.quantile(0.9) }
    }

    /// `P(X < x)`.
    ///
    /// ```
    /// let b = offergraph::actuals::Posterior::Beta { alpha: 1.0, beta: 1.0 };
    /// assert!((b.prob_below(0.3) - 0.3).abs() < 1e-12);
    /// ```
    pub fn prob_below(&self, x: f64) -> f64 {
        match *self {
            Posterior::Gamma { shape, rate } => Gamma::new(shape, rate).map_or(0.0, |d| d.cdf(x)),
            Posterior::Beta { alpha, beta } => Beta::new(alpha, beta).map_or(0.0, |d| d.cdf(x)),
            Posterior::LogNormal { median, sigma } => log_normal_cdf(x, median.ln(), sigma),
        }
    }

    /// `E[max(0, x − X)]`: the expected amount by which `X` falls short of `x`.
    ///
    /// ```
    /// let point = offergraph::actuals::Posterior::LogNormal { median: 0.8, sigma: 0.0 };
    /// assert!((point.expected_shortfall(1.0) - 0.2).abs() < 1e-12);
    /// ```
    pub fn expected_shortfall(&self, x: f64) -> f64 {
        // E[X; X < x] through the size-biased distribution: for a Gamma(a, b),
        // X·f_a(X) = (a/b)·f_{a+1}(X); for a Beta(α, β), X·f = α/(α+β)·f_{α+1, β}; for a
        // log-normal, E[X; X < x] = e^{μ+σ²/2}·Φ(d − σ).
        let shortfall = match *self {
            Posterior::Gamma { shape, rate } => {
                let up = Posterior::Gamma { shape: shape + 1.0, rate };
                x * self.prob_below(x) - self.mean() * up.prob_below(x)
            }
            Posterior::Beta { alpha, beta } => {
                let up = Posterior::Beta { alpha: alpha + 1.0, beta };
                x * self.prob_below(x) - self.mean() * up.prob_below(x)
            }
            Posterior::LogNormal { median, sigma } => {
                if sigma <= 0.0 {
                    return (x - median).max(0.0);
                }
                let d = (x.ln() - median.ln()) / sigma;
                x * normal_cdf(d) - self.mean() * normal_cdf(d - sigma)
            }
        };
        shortfall.max(0.0)
    }

    /// Mean and variance of `ln X` (exact for each family), for the log-normal approximation of
    /// a product of independent links.
    ///
    /// ```
    /// let (m, v) = offergraph::actuals::Posterior::LogNormal { median: 1.0, sigma: 0.5 }.log_moments();
    /// assert_eq!((m, v), (0.0, 0.25));
    /// ```
    pub fn log_moments(&self) -> (f64, f64) {
        match *self {
            Posterior::Gamma { shape, rate } => (digamma(shape) - rate.ln(), trigamma(shape)),
            Posterior::Beta { alpha, beta } => {
                (digamma(alpha) - digamma(alpha + beta), trigamma(alpha) - trigamma(alpha + beta))
            }
            Posterior::LogNormal { median, sigma } => (median.ln(), sigma * sigma),
        }
    }

    /// The log-normal with the same mean and variance of the log, as `(median, sigma)`: the
    /// form an uncertainty section of a plan file takes for any link.
    ///
    /// ```
    /// let (median, sigma) = offergraph::actuals::Posterior::Gamma { shape: 400.0, rate: 400.0 }.as_log_normal();
    /// assert!((median - 1.0).abs() < 2e-3 && (sigma - 0.05).abs() < 1e-3);
    /// ```
    pub fn as_log_normal(&self) -> (f64, f64) {
        let (m, v) = self.log_moments();
        (m.exp(), v.max(0.0).sqrt())
    }
}

/// The standard normal's 10% and 90% points, `∓Φ⁻¹(0.9)`.
pub(crate) const Z90: f64 = 1.281_551_565_544_600_4;

/// The standard normal quantile (`p` already in `[0, 1]`).
pub(crate) fn z(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// P10, P50, P90 of `exp(mean + sd·Z)·factor − shift` for a standard normal `Z`.
pub(crate) fn log_normal_quantiles(mean: f64, sd: f64, factor: f64, shift: f64) -> Quantiles {
    let at = |z: f64| (mean + sd * z).exp() * factor - shift;
    Quantiles { p10: at(-Z90), p50: at(0.0), p90: at(Z90) }
}

/// `P(X < x)` for `ln X ~ N(mu, sigma²)`.
pub(crate) fn log_normal_cdf(x: f64, mu: f64, sigma: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if sigma <= 0.0 {
        return if x.ln() > mu { 1.0 } else { 0.0 };
    }
    normal_cdf((x.ln() - mu) / sigma)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ninety_percent_point_is_the_normal_quantile() {
        assert!((z(0.9) - Z90).abs() < 1e-9);
    }

    #[test]
    fn quantiles_never_panic_on_odd_probabilities() {
        let g = Posterior::Gamma { shape: 2.0, rate: 1.0 };
        assert!((g.quantile(f64::NAN) - g.quantile(0.5)).abs() < 1e-12);
        assert!(g.quantile(-1.0) <= 0.0 && g.quantile(2.0).is_infinite());
        // Parameters no posterior has fall back to the mean's formula instead of panicking.
        let bad = Posterior::Beta { alpha: -1.0, beta: 1.0 };
        assert!(!bad.quantile(0.5).is_nan() && !bad.prob_below(0.5).is_nan());
    }

    #[test]
    fn gamma_and_beta_quantiles_match_known_values() {
        // Exponential(1) = Gamma(1, 1): the median is ln 2.
        let g = Posterior::Gamma { shape: 1.0, rate: 1.0 };
        assert!((g.quantile(0.5) - 2f64.ln()).abs() < 1e-9);
        // Beta(1, 1) is uniform.
        let b = Posterior::Beta { alpha: 1.0, beta: 1.0 };
        assert!((b.quantile(0.9) - 0.9).abs() < 1e-9);
        // A log-normal's P90 is median · e^{1.2816 σ}.
        let l = Posterior::LogNormal { median: 10.0, sigma: 0.5 };
        assert!((l.quantile(0.9) - 10.0 * (0.5f64 * 1.281_551_565_5).exp()).abs() < 1e-6);
    }

    #[test]
    fn expected_shortfall_matches_a_sum_by_hand() {
        // Beta(1, 1) below 0.5: ∫₀^½ (½ − x) dx = 1/8.
        let b = Posterior::Beta { alpha: 1.0, beta: 1.0 };
        assert!((b.expected_shortfall(0.5) - 0.125).abs() < 1e-12);
        // Exponential(1) below 1: ∫₀¹ (1 − x) e^{−x} dx = e^{−1}.
        let g = Posterior::Gamma { shape: 1.0, rate: 1.0 };
        assert!((g.expected_shortfall(1.0) - (-1f64).exp()).abs() < 1e-9);
    }
}
