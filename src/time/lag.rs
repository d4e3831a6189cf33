//! Lead→deal lag: over how many periods the deals from one period's leads close.
//!
//! A lag is a discrete distribution over `0, 1, 2, …` periods after a lead is processed: weight
//! `w_j` of its deals close `j` periods later. It is given as weights, or as a parametric shape
//! by its mean and spread in periods:
//!
//! - **geometric**: `w_j = p(1−p)^j`, `p = 1/(1 + mean)`;
//! - **gamma** and **log-normal**: the continuous delay discretised to the nearest period,
//!   `w_0 = F(½)`, `w_j = F(j+½) − F(j−½)`.
//!
//! Parametric shapes are cut where the tail beyond is below `LAG_TAIL` (or at
//! `LAG_MAX_PERIODS`, or at a length the caller sets) and renormalised; the tail mass
//! that was cut is reported by [`Lag::truncated_mass`].

use crate::error::TimeError;
use crate::numerics::special::{gamma_p, normal_cdf};
use crate::numerics::{ranges, tol};

/// The shape a lag was given as (kept so it can be written back to a file).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum LagShape {
    /// Every deal closes in the period its lead is processed.
    None,
    /// Explicit weights.
    Weights,
    /// Geometric with the given mean (periods).
    Geometric {
        /// Mean lag in periods.
        mean: f64,
    },
    /// Gamma with the given mean and standard deviation (periods).
    Gamma {
        /// Mean lag in periods.
        mean: f64,
        /// Standard deviation in periods.
        sd: f64,
    },
    /// Log-normal with the given mean and standard deviation of the delay (periods).
    LogNormal {
        /// Mean lag in periods.
        mean: f64,
        /// Standard deviation in periods.
        sd: f64,
    },
}

/// A normalised lead→deal lag distribution over periods.
///
/// # Example
/// ```
/// use offergraph::time::Lag;
/// let lag = Lag::from_weights(vec![0.5, 0.3, 0.2])?;
/// assert_eq!(lag.weights(), [0.5, 0.3, 0.2]);
/// assert!((lag.mean() - 0.7).abs() < 1e-12);
/// // A discretised gamma with mean 8 weeks and sd 3 weeks.
/// let b2b = Lag::gamma(8.0, 3.0)?;
/// assert!((b2b.mean() - 8.0).abs() < 0.05);
/// assert!(b2b.truncated_mass() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lag {
    shape: LagShape,
    max_periods: Option<usize>,
    weights: Vec<f64>,
    truncated: f64,
}

impl Default for Lag {
    fn default() -> Self {
        Lag::none()
    }
}

fn invalid(what: &str, found: f64, expected: &'static str) -> TimeError {
    TimeError::InvalidValue { what: what.to_owned(), found, expected }
}

impl Lag {
    /// No lag: deals close in the period the lead is processed.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Lag::none().weights(), [1.0]);
    /// ```
    pub fn none() -> Lag {
        Lag { shape: LagShape::None, max_periods: None, weights: vec![1.0], truncated: 0.0 }
    }

    /// Explicit weights `w_0, w_1, …`; they must sum to 1 (to `LAG_SUM`) and are then
    /// normalised exactly.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] for a NaN, infinite or negative weight; [`TimeError::AllZero`]
    /// when all are zero; [`TimeError::NotNormalised`] when they do not sum to 1.
    ///
    /// ```
    /// use offergraph::time::Lag;
    /// let err = Lag::from_weights(vec![0.5, 0.3]).unwrap_err();
    /// assert_eq!(err.to_string(), "lag weights add up to 0.8, not 1; make them sum to 1");
    /// ```
    pub fn from_weights(weights: Vec<f64>) -> Result<Lag, TimeError> {
        crate::time::horizon::check_series("lag weight", &weights, ranges::WEIGHT)?;
        let sum: f64 = weights.iter().sum();
        if sum <= 0.0 {
            return Err(TimeError::AllZero { what: "lag weights".into() });
        }
        if (sum - 1.0).abs() > tol::LAG_SUM {
            return Err(TimeError::NotNormalised { what: "lag weights".into(), sum });
        }
        let mut w: Vec<f64> = weights.into_iter().map(|x| x / sum).collect();
        while w.len() > 1 && w.last() == Some(&0.0) {
            w.pop();
        }
        Ok(Lag { shape: LagShape::Weights, max_periods: None, weights: w, truncated: 0.0 })
    }

    /// Geometric lag with mean `mean` periods: each period a waiting lead closes with probability
    /// `p = 1/(1 + mean)`.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] unless `mean` is 0 or in
    /// [`ranges::LAG_PERIODS`].
    ///
    /// ```
    /// let lag = offergraph::time::Lag::geometric(1.0)?;
    /// assert!((lag.weights()[0] - 0.5).abs() < 1e-12 && (lag.weights()[1] - 0.25).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn geometric(mean: f64) -> Result<Lag, TimeError> {
        if mean != 0.0 {
            let expected = ranges::LAG_MEAN_OR_ZERO_EXPECTED;
            ranges::LAG_PERIODS.check(mean).map_err(|_| invalid("geometric lag mean", mean, expected))?;
        }
        Lag::discretise(LagShape::Geometric { mean: mean + 0.0 }, None)
    }

    /// Gamma-distributed delay with mean `mean` and standard deviation `sd` (periods),
    /// discretised to the nearest period.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] unless both are in
    /// [`ranges::LAG_PERIODS`] and the mean is at most
    /// [`ranges::LAG_SHARPNESS`] times the sd (give sharper lags
    /// as weights).
    ///
    /// ```
    /// use offergraph::time::Lag;
    /// let err = Lag::gamma(8.0, 0.0).unwrap_err();
    /// assert_eq!(err.to_string(), "gamma lag sd must be a number in [0.01, 520], found 0");
    /// let err = Lag::gamma(8.0, 0.05).unwrap_err();
    /// assert_eq!(err.to_string(), "gamma lag sd must be at least mean / 100 (sharper lags are given as weights), found 0.05");
    /// ```
    pub fn gamma(mean: f64, sd: f64) -> Result<Lag, TimeError> {
        check_mean_sd("gamma", mean, sd)?;
        Lag::discretise(LagShape::Gamma { mean, sd }, None)
    }

    /// Log-normal delay with mean `mean` and standard deviation `sd` (periods), discretised to
    /// the nearest period.
    ///
    /// # Errors
    /// As [`Lag::gamma`].
    ///
    /// ```
    /// let lag = offergraph::time::Lag::log_normal(6.0, 2.0)?;
    /// assert!((lag.mean() - 6.0).abs() < 0.05);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn log_normal(mean: f64, sd: f64) -> Result<Lag, TimeError> {
        check_mean_sd("log-normal", mean, sd)?;
        Lag::discretise(LagShape::LogNormal { mean, sd }, None)
    }

    /// Cuts a parametric lag after `max_periods` periods (weights `0..max_periods`), renormalises,
    /// and reports the mass cut in [`Lag::truncated_mass`]. No effect on weights or no lag.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] when `max_periods` is 0 or above
    /// [`ranges::MAX_PERIODS`], or keeps less than a millionth of the
    /// lag's mass.
    ///
    /// ```
    /// let lag = offergraph::time::Lag::geometric(1.0)?.with_max_periods(2)?;
    /// assert_eq!(lag.weights().len(), 2);
    /// assert!((lag.truncated_mass() - 0.25).abs() < 1e-12);
    /// assert!((lag.weights()[0] - 2.0 / 3.0).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_max_periods(self, max_periods: usize) -> Result<Lag, TimeError> {
        crate::time::horizon::check_periods("lag max_periods", max_periods)?;
        match self.shape {
            LagShape::None | LagShape::Weights => Ok(self),
            shape => Lag::discretise(shape, Some(max_periods)),
        }
    }

    /// The shape the lag was given as.
    ///
    /// ```
    /// use offergraph::time::{Lag, LagShape};
    /// assert_eq!(Lag::geometric(2.0)?.shape(), LagShape::Geometric { mean: 2.0 });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shape(&self) -> LagShape {
        self.shape
    }

    /// The cut set by [`Lag::with_max_periods`], if any.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Lag::gamma(3.0, 1.0)?.max_periods(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_periods(&self) -> Option<usize> {
        self.max_periods
    }

    /// The normalised weights `w_0, w_1, …` (they sum to 1).
    ///
    /// ```
    /// let w = offergraph::time::Lag::gamma(4.0, 1.5)?;
    /// assert!((w.weights().iter().sum::<f64>() - 1.0).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Probability mass of the continuous shape beyond the last weight, before renormalising.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Lag::none().truncated_mass(), 0.0);
    /// ```
    pub fn truncated_mass(&self) -> f64 {
        self.truncated
    }

    /// Mean lag of the discrete weights, in periods.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Lag::from_weights(vec![0.0, 1.0])?.mean(), 1.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mean(&self) -> f64 {
        self.weights.iter().enumerate().map(|(j, w)| j as f64 * w).sum()
    }

    /// Share of deals that close within `periods` periods of the lead being processed
    /// (`Σ_{j < periods} w_j`).
    ///
    /// ```
    /// let lag = offergraph::time::Lag::from_weights(vec![0.5, 0.3, 0.2])?;
    /// assert!((lag.closed_within(2) - 0.8).abs() < 1e-12);
    /// assert_eq!(lag.closed_within(0), 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn closed_within(&self, periods: usize) -> f64 {
        if periods >= self.weights.len() { 1.0 } else { self.weights[..periods].iter().sum() }
    }

    /// Discretises a parametric shape to the nearest period and cuts its tail.
    ///
    /// Bounded: at most `max_periods` (or `LAG_MAX_PERIODS`) evaluations of the CDF. A CDF
    /// value that is not a number (never, for parameters in their ranges) adds no mass.
    pub(crate) fn discretise(shape: LagShape, max_periods: Option<usize>) -> Result<Lag, TimeError> {
        let cdf = |x: f64| -> f64 {
            match shape {
                LagShape::None | LagShape::Weights => 1.0,
                LagShape::Geometric { mean } => {
                    // P(lag <= floor(x - 1/2)) for the geometric on 0, 1, 2, …
                    let p = 1.0 / (1.0 + mean);
                    let k = (x - 0.5).floor();
                    if k < 0.0 { 0.0 } else { 1.0 - (1.0 - p).powf(k + 1.0) }
                }
                LagShape::Gamma { mean, sd } => {
                    let k = (mean / sd).powi(2);
                    let theta = sd * sd / mean;
                    gamma_p(k, x / theta)
                }
                LagShape::LogNormal { mean, sd } => {
                    let s2 = (1.0 + (sd / mean).powi(2)).ln();
                    let mu = mean.ln() - s2 / 2.0;
                    normal_cdf((x.ln() - mu) / s2.sqrt())
                }
            }
        };
        let cap = max_periods.unwrap_or(tol::LAG_MAX_PERIODS).max(1);
        let mut weights = Vec::new();
        let mut prev = 0.0;
        let mut tail = 1.0;
        for j in 0..cap {
            let f = cdf(j as f64 + 0.5).max(prev).min(1.0);
            weights.push(f - prev);
            prev = f;
            tail = 1.0 - f;
            if max_periods.is_none() && tail <= tol::LAG_TAIL {
                break;
            }
        }
        let kept = 1.0 - tail;
        if kept.is_nan() || kept < tol::LAG_KEPT_MIN {
            return Err(invalid(
                "lag max_periods",
                cap as f64,
                "enough periods to keep a millionth of the lag's mass",
            ));
        }
        for w in &mut weights {
            *w /= kept;
        }
        while weights.len() > 1 && weights.last() == Some(&0.0) {
            weights.pop();
        }
        Ok(Lag { shape, max_periods, weights, truncated: tail.max(0.0) })
    }
}

fn check_mean_sd(family: &str, mean: f64, sd: f64) -> Result<(), TimeError> {
    let range = ranges::LAG_PERIODS;
    range.check(mean).map_err(|expected| invalid(&format!("{family} lag mean"), mean, expected))?;
    range.check(sd).map_err(|expected| invalid(&format!("{family} lag sd"), sd, expected))?;
    if sd < mean / ranges::LAG_SHARPNESS {
        return Err(invalid(&format!("{family} lag sd"), sd, ranges::LAG_SD_EXPECTED));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn geometric_matches_closed_form() {
        let lag = Lag::geometric(3.0).expect("valid");
        let p: f64 = 0.25;
        for (j, w) in lag.weights().iter().enumerate().take(10) {
            assert!(tol::approx_eq(*w, p * (1.0 - p).powi(j as i32), 1e-12), "{j}");
        }
        assert!(tol::approx_eq(lag.mean(), 3.0, 1e-8));
        assert!(tol::approx_eq(Lag::geometric(0.0).expect("valid").mean(), 0.0, 1e-15));
    }

    #[test]
    fn explicit_weights_errors() {
        assert_eq!(
            Lag::from_weights(vec![0.0, 0.0]).unwrap_err().to_string(),
            "lag weights are all zero; give at least one positive weight"
        );
        assert_eq!(
            Lag::from_weights(vec![1.0, -0.1]).unwrap_err().to_string(),
            "lag weight must be 0 or a number in [1e-12, 1e12], found -0.1"
        );
        assert_eq!(
            Lag::log_normal(f64::INFINITY, 1.0).unwrap_err().to_string(),
            "log-normal lag mean must be a number in [0.01, 520], found inf"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn parametric_lags_are_normalised_with_the_right_mean(
            mean in 0.5..20.0f64,
            cv in 0.1..1.0f64,
            family in 0..3u8,
        ) {
            let sd = mean * cv;
            let lag = match family {
                0 => Lag::geometric(mean),
                1 => Lag::gamma(mean, sd),
                _ => Lag::log_normal(mean, sd),
            }.expect("valid");
            prop_assert!(lag.weights().iter().all(|&w| w >= 0.0));
            prop_assert!(tol::approx_eq(lag.weights().iter().sum::<f64>(), 1.0, 1e-12));
            // Cut where the tail is negligible, unless the longest support is reached first.
            prop_assert!(lag.truncated_mass() <= tol::LAG_TAIL || lag.weights().len() == tol::LAG_MAX_PERIODS);
            prop_assert!(lag.truncated_mass() < 1e-6);
            // Rounding to the nearest period moves each bit of mass by at most half a period (a
            // narrow gamma around 0.59 lands almost wholly on period 1).
            prop_assert!((lag.mean() - mean).abs() <= 0.5 + 0.05 * mean, "{} vs {}", lag.mean(), mean);
        }
    }
}
