//! The planning horizon (how many periods, of what length) and flights (how a budget is split
//! over the periods).

use crate::error::TimeError;
use crate::numerics::ranges::{self, Range};
use crate::numerics::tol;

/// The periods a time plan covers: how many, what one period is called, and how many of them the
/// plan's budget and response curves describe.
///
/// The plan's budget is the total for the horizon. Its response curves describe spending over
/// `plan_periods` periods (by default the whole horizon): a period with spend `s` brings
/// `σ · r(K·s) / K` leads, `K = plan_periods`, `σ` its seasonal multiplier. So a flat, even,
/// unseasonal schedule over `K` periods brings exactly the plan's leads `r(budget)`.
///
/// # Example
/// ```
/// use offergraph::time::Horizon;
/// let h = Horizon::weeks(12)?.with_plan_periods(4)?;
/// assert_eq!((h.periods(), h.unit(), h.plan_periods()), (12, "week", 4));
/// assert_eq!(Horizon::new(0).unwrap_err().to_string(), "horizon periods must be an integer in [1, 3660], found 0");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Horizon {
    periods: usize,
    unit: String,
    plan_periods: usize,
}

impl Horizon {
    /// A horizon of `periods` weeks whose plan describes all of them.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] when `periods` is 0 or above
    /// [`ranges::MAX_PERIODS`].
    ///
    /// ```
    /// use offergraph::time::Horizon;
    /// assert_eq!(Horizon::new(8)?.plan_periods(), 8);
    /// let err = Horizon::new(1_000_000).unwrap_err();
    /// assert_eq!(err.to_string(), "horizon periods must be an integer in [1, 3660], found 1000000");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(periods: usize) -> Result<Horizon, TimeError> {
        check_periods("horizon periods", periods)?;
        Ok(Horizon { periods, unit: "week".into(), plan_periods: periods })
    }

    /// Same as [`Horizon::new`]: periods are weeks by default.
    ///
    /// # Errors
    /// As [`Horizon::new`].
    ///
    /// ```
    /// assert_eq!(offergraph::time::Horizon::weeks(4)?.unit(), "week");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn weeks(periods: usize) -> Result<Horizon, TimeError> {
        Horizon::new(periods)
    }

    /// Names the period (`"week"`, `"flight"`, `"month"`); only used in reports.
    ///
    /// ```
    /// let h = offergraph::time::Horizon::new(3)?.with_unit("month");
    /// assert_eq!(h.unit(), "month");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_unit(mut self, unit: impl Into<String>) -> Horizon {
        self.unit = unit.into();
        self
    }

    /// Sets how many periods the plan's budget and curves describe (`K` above).
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] when `k` is 0 or above
    /// [`ranges::MAX_PERIODS`].
    ///
    /// ```
    /// let h = offergraph::time::Horizon::new(12)?.with_plan_periods(4)?;
    /// assert_eq!(h.plan_periods(), 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_plan_periods(mut self, k: usize) -> Result<Horizon, TimeError> {
        check_periods("horizon plan_periods", k)?;
        self.plan_periods = k;
        Ok(self)
    }

    /// Number of periods.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Horizon::new(5)?.periods(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// What one period is called.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Horizon::new(5)?.unit(), "week");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// How many periods the plan's budget and curves describe.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Horizon::new(5)?.plan_periods(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn plan_periods(&self) -> usize {
        self.plan_periods
    }
}

/// How a budget is spread over the periods: evenly, front-loaded, or by custom weights (zeros
/// are pauses between flights).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum FlightKind {
    #[default]
    Even,
    FrontLoaded,
    Custom(Vec<f64>),
}

/// How a budget is split into periods (weeks or flights).
///
/// - **even**: the same amount every period;
/// - **front-loaded**: linearly declining weights `N, N−1, …, 1` (4 weeks: 40%, 30%, 20%, 10%);
/// - **custom**: any non-negative weights, one per period, normalised; a zero is a pause, so
///   `[1, 1, 0, 0, 1, 1]` is two flights.
///
/// Splits sum to the total to within [`tol::BUDGET_REL`]: the rounding remainder goes to the
/// largest period.
///
/// # Example
/// ```
/// use offergraph::time::Flights;
/// let weeks = Flights::front_loaded().split(10_000.0, 4)?;
/// assert_eq!(weeks, [4_000.0, 3_000.0, 2_000.0, 1_000.0]);
/// let pulses = Flights::custom(vec![1.0, 0.0, 1.0, 0.0])?.split(10_000.0, 4)?;
/// assert_eq!(pulses, [5_000.0, 0.0, 5_000.0, 0.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flights {
    pub(crate) kind: FlightKind,
}

impl Flights {
    /// The same amount every period.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Flights::even().split(9.0, 3)?, [3.0, 3.0, 3.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn even() -> Flights {
        Flights { kind: FlightKind::Even }
    }

    /// Linearly declining weights `N, N−1, …, 1`.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Flights::front_loaded().split(6.0, 3)?, [3.0, 2.0, 1.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn front_loaded() -> Flights {
        Flights { kind: FlightKind::FrontLoaded }
    }

    /// Custom weights, one per period (normalised when splitting).
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] for a NaN, infinite or negative weight;
    /// [`TimeError::AllZero`] when every weight is zero (or there are none).
    ///
    /// ```
    /// use offergraph::time::Flights;
    /// let err = Flights::custom(vec![0.0, 0.0]).unwrap_err();
    /// assert_eq!(err.to_string(), "flight weights are all zero; give at least one positive weight");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn custom(weights: Vec<f64>) -> Result<Flights, TimeError> {
        check_series("flight weight", &weights, ranges::WEIGHT)?;
        if weights.iter().all(|&w| w <= 0.0) {
            return Err(TimeError::AllZero { what: "flight weights".into() });
        }
        Ok(Flights { kind: FlightKind::Custom(weights) })
    }

    /// The custom weights, if any.
    ///
    /// ```
    /// use offergraph::time::Flights;
    /// assert_eq!(Flights::custom(vec![1.0, 2.0])?.custom_weights(), Some(&[1.0, 2.0][..]));
    /// assert_eq!(Flights::even().custom_weights(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn custom_weights(&self) -> Option<&[f64]> {
        match &self.kind {
            FlightKind::Custom(w) => Some(w),
            _ => None,
        }
    }

    /// Each period's share of the budget (non-negative, summing to 1).
    ///
    /// # Errors
    /// [`TimeError::WrongLength`] when custom weights do not have one weight per period;
    /// [`TimeError::InvalidValue`] when `periods` is 0.
    ///
    /// ```
    /// let shares = offergraph::time::Flights::even().shares(4)?;
    /// assert_eq!(shares, [0.25; 4]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shares(&self, periods: usize) -> Result<Vec<f64>, TimeError> {
        check_periods("horizon periods", periods)?;
        let raw: Vec<f64> = match &self.kind {
            FlightKind::Even => vec![1.0; periods],
            FlightKind::FrontLoaded => (0..periods).map(|t| (periods - t) as f64).collect(),
            FlightKind::Custom(w) => {
                if w.len() != periods {
                    return Err(TimeError::WrongLength {
                        what: "flight weights".into(),
                        found: w.len(),
                        periods,
                    });
                }
                w.clone()
            }
        };
        let sum: f64 = raw.iter().sum();
        Ok(raw.into_iter().map(|w| w / sum).collect())
    }

    /// Splits `total` over `periods` periods; the parts sum to `total` (to
    /// [`tol::BUDGET_REL`]).
    ///
    /// # Errors
    /// As [`Flights::shares`]; [`TimeError::InvalidValue`] when `total` is NaN, infinite or
    /// negative.
    ///
    /// ```
    /// use offergraph::{time::Flights, tol};
    /// let weeks = Flights::even().split(1_000.0, 3)?;
    /// assert!(tol::approx_eq(weeks.iter().sum::<f64>(), 1_000.0, tol::BUDGET_REL));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn split(&self, total: f64, periods: usize) -> Result<Vec<f64>, TimeError> {
        if let Err(expected) = ranges::MONEY.check(total) {
            return Err(TimeError::InvalidValue { what: "budget to split".into(), found: total, expected });
        }
        let mut parts: Vec<f64> = self.shares(periods)?.into_iter().map(|w| w * total).collect();
        put_remainder(&mut parts, total);
        Ok(parts)
    }
}

/// Adds `total − Σ parts` to the largest part, so the parts sum to `total` to rounding.
pub(crate) fn put_remainder(parts: &mut [f64], total: f64) {
    let rest = total - parts.iter().sum::<f64>();
    if rest != 0.0
        && let Some(big) = parts.iter_mut().max_by(|a, b| a.total_cmp(b))
    {
        *big = (*big + rest).max(0.0);
    }
    debug_assert!(tol::approx_eq(parts.iter().sum::<f64>(), total, tol::BUDGET_REL));
}

/// Every value in `range`, and at most [`ranges::MAX_PERIODS`] of them.
pub(crate) fn check_series(what: &str, values: &[f64], range: Range) -> Result<(), TimeError> {
    if values.len() > ranges::MAX_PERIODS {
        return Err(TimeError::InvalidValue {
            what: format!("number of {what}s"),
            found: values.len() as f64,
            expected: ranges::PERIODS_EXPECTED,
        });
    }
    for &w in values {
        range.check(w).map_err(|expected| TimeError::InvalidValue {
            what: what.to_owned(),
            found: w,
            expected,
        })?;
    }
    Ok(())
}

/// A number of periods in `[1, ranges::MAX_PERIODS]`.
pub(crate) fn check_periods(what: &str, periods: usize) -> Result<(), TimeError> {
    if (1..=ranges::MAX_PERIODS).contains(&periods) {
        Ok(())
    } else {
        Err(TimeError::InvalidValue {
            what: what.to_owned(),
            found: periods as f64,
            expected: ranges::PERIODS_EXPECTED,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn flights_sum_to_the_total(
            total in 0.0..1e9f64,
            weights in proptest::collection::vec(0.0..10.0f64, 1..60),
            kind in 0..3u8,
        ) {
            let n = weights.len();
            let f = match kind {
                0 => Flights::even(),
                1 => Flights::front_loaded(),
                _ => Flights::custom(weights.iter().map(|w| w + 0.001).collect()).expect("positive"),
            };
            let parts = f.split(total, n).expect("valid");
            prop_assert_eq!(parts.len(), n);
            prop_assert!(parts.iter().all(|&p| p >= 0.0));
            prop_assert!(tol::approx_eq(parts.iter().sum::<f64>(), total, tol::BUDGET_REL));
        }
    }

    #[test]
    fn custom_weights_must_match_the_horizon() {
        let err = Flights::custom(vec![1.0, 2.0]).expect("valid").shares(3).unwrap_err();
        assert_eq!(
            err.to_string(),
            "flight weights has 2 values, but the horizon has 3 periods; give one value per period"
        );
        let err = Flights::custom(vec![1.0, f64::NAN]).unwrap_err();
        assert_eq!(err.to_string(), "flight weight must be 0 or a number in [1e-12, 1e12], found NaN");
    }
}
