//! [`Distribution`]: what an uncertain number may be, and how one draw of it is taken.

use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution as _, StandardNormal};

use crate::error::UncertaintyError;
use crate::numerics::ranges::{self, Range};

/// The distribution of one uncertain number of a module: its lead scale, conversion, deal value
/// or margin.
///
/// - `LogNormal { median, sigma }`: `median · e^(sigma·Z)` with `Z` standard normal; positive,
///   skewed to the right (half the draws below the median, the mean `median·e^(sigma²/2)` above
///   it). For multipliers and amounts: lead scales, deal values.
/// - `Beta { alpha, beta }`: in `[0, 1]`, mean `alpha / (alpha + beta)`; `alpha` and `beta`
///   read as successes and failures seen. For rates: conversion, margin.
/// - `Fixed { value }`: always `value` (a known number, or a test's constant).
///
/// # Example
/// ```
/// use offergraph::uncertainty::Distribution;
/// let d = Distribution::beta(20.0, 80.0)?;
/// assert!((d.mean() - 0.2).abs() < 1e-12);
/// assert_eq!(Distribution::log_normal(2.0, 0.0)?.mean(), 2.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In a plan file a distribution is an object tagged by `type`: `{"type": "log_normal", "median":
/// 1, "sigma": 0.3}`, `{"type": "beta", "alpha": 14, "beta": 86}`, `{"type": "fixed", "value":
/// 0.2}`; its numbers are checked when the section is built
/// ([`Uncertainty::from_file`](crate::uncertainty::Uncertainty::from_file)).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Distribution {
    /// `median · e^(sigma·Z)`.
    LogNormal {
        /// The median (positive).
        median: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// Beta on `[0, 1]`.
    Beta {
        /// First shape (successes).
        alpha: f64,
        /// Second shape (failures).
        beta: f64,
    },
    /// A constant.
    Fixed {
        /// The value.
        value: f64,
    },
}

fn checked(what: &str, value: f64, range: Range) -> Result<f64, UncertaintyError> {
    range.check(value).map_err(|expected| UncertaintyError::InvalidValue {
        what: what.to_owned(),
        found: value,
        expected,
    })
}

impl Distribution {
    /// A log-normal distribution with its median and the standard deviation of its logarithm.
    /// The median's range depends on the field it is given for and is checked with the entry.
    ///
    /// # Errors
    /// [`UncertaintyError::InvalidValue`] when `median` is not a positive finite number or
    /// `sigma` is outside [`ranges::LOG_SIGMA`].
    ///
    /// ```
    /// use offergraph::uncertainty::Distribution;
    /// assert_eq!(Distribution::log_normal(0.0, 0.2).unwrap_err().to_string(),
    ///     "log-normal median must be a positive finite number, found 0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn log_normal(median: f64, sigma: f64) -> Result<Distribution, UncertaintyError> {
        if !(median.is_finite() && median > 0.0) {
            return Err(UncertaintyError::InvalidValue {
                what: "log-normal median".to_owned(),
                found: median,
                expected: "a positive finite number",
            });
        }
        let sigma = checked("log-normal sigma", sigma, ranges::LOG_SIGMA)?;
        Ok(Distribution::LogNormal { median, sigma })
    }

    /// A beta distribution with shapes `alpha` and `beta`.
    ///
    /// # Errors
    /// [`UncertaintyError::InvalidValue`] when a shape is outside [`ranges::BETA_SHAPE`].
    ///
    /// ```
    /// use offergraph::uncertainty::Distribution;
    /// assert_eq!(Distribution::beta(2.0, 0.0).unwrap_err().to_string(),
    ///     "beta shape `beta` must be a number in [0.001, 1e6], found 0");
    /// ```
    pub fn beta(alpha: f64, beta: f64) -> Result<Distribution, UncertaintyError> {
        let alpha = checked("beta shape `alpha`", alpha, ranges::BETA_SHAPE)?;
        let beta = checked("beta shape `beta`", beta, ranges::BETA_SHAPE)?;
        Ok(Distribution::Beta { alpha, beta })
    }

    /// A constant. Its range depends on the field it is given for and is checked with the entry.
    ///
    /// # Errors
    /// [`UncertaintyError::InvalidValue`] when `value` is NaN or infinite.
    ///
    /// ```
    /// use offergraph::uncertainty::Distribution;
    /// assert_eq!(Distribution::fixed(0.2)?.mean(), 0.2);
    /// assert!(Distribution::fixed(f64::NAN).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fixed(value: f64) -> Result<Distribution, UncertaintyError> {
        if value.is_finite() {
            Ok(Distribution::Fixed { value: value + 0.0 })
        } else {
            Err(UncertaintyError::InvalidValue {
                what: "fixed value".to_owned(),
                found: value,
                expected: "a finite number",
            })
        }
    }

    /// The mean.
    ///
    /// ```
    /// use offergraph::uncertainty::Distribution;
    /// let d = Distribution::log_normal(1.0, 0.5)?;
    /// assert!((d.mean() - (0.125f64).exp()).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mean(&self) -> f64 {
        match *self {
            Distribution::LogNormal { median, sigma } => median * (0.5 * sigma * sigma).exp(),
            Distribution::Beta { alpha, beta } => alpha / (alpha + beta),
            Distribution::Fixed { value } => value,
        }
    }

    /// The distribution made again through its constructor, so that its numbers are checked (a
    /// file's distribution is read without them).
    pub(crate) fn validated(self) -> Result<Distribution, UncertaintyError> {
        match self {
            Distribution::LogNormal { median, sigma } => Distribution::log_normal(median, sigma),
            Distribution::Beta { alpha, beta } => Distribution::beta(alpha, beta),
            Distribution::Fixed { value } => Distribution::fixed(value),
        }
    }

    /// The sampler of this distribution, prepared once for all its draws.
    pub(crate) fn sampler(&self) -> Sampler {
        match *self {
            Distribution::LogNormal { median, sigma } => Sampler::LogNormal { median, sigma },
            // The shapes were checked against `BETA_SHAPE`, which `Beta::new` accepts; a failure
            // would be a broken invariant, and a point at the mean keeps the run finite.
            Distribution::Beta { alpha, beta } => match Beta::new(alpha, beta) {
                Ok(b) => Sampler::Beta(b),
                Err(_) => Sampler::Fixed(self.mean()),
            },
            Distribution::Fixed { value } => Sampler::Fixed(value),
        }
    }
}

/// A distribution ready to draw from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sampler {
    LogNormal { median: f64, sigma: f64 },
    Beta(Beta<f64>),
    Fixed(f64),
}

impl Sampler {
    /// One draw. A fixed value takes nothing from the stream, so adding a constant leaves the
    /// other numbers of a draw as they were.
    #[inline]
    pub(crate) fn sample(&self, rng: &mut ChaCha8Rng) -> f64 {
        match *self {
            Sampler::LogNormal { median, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                median * (sigma * z).exp()
            }
            // Clamped so that rounding inside the sampler can never leave `[0, 1]`.
            Sampler::Beta(b) => b.sample(rng).clamp(0.0, 1.0),
            Sampler::Fixed(v) => v,
        }
    }
}
