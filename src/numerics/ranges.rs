//! The accepted range of every number a caller gives, in one place.
//!
//! Each range is wide enough for any real plan (budgets in any currency, audiences up to the
//! world's population, horizons of ten years of days) and narrow enough that every computation
//! on values inside them stays finite and every iteration ends: no subnormal divisor, no
//! product that overflows `f64`. Constructors and plan files check values against these ranges
//! and answer a typed error that names the field, the value and the range (`expected`). The
//! table is in `docs/model.md`.

/// A closed range `[min, max]` of accepted values, optionally with `0` allowed besides.
///
/// # Example
/// ```
/// use offergraph::ranges;
/// assert!(ranges::MONEY.contains(0.0));
/// assert!(ranges::MONEY.contains(1_500.0));
/// assert!(!ranges::MONEY.contains(5e-324)); // a subnormal amount is no amount
/// assert!(!ranges::MONEY.contains(1e308));
/// assert_eq!(ranges::MONEY.expected(), "0 or a number in [1e-6, 1e15]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    min: f64,
    max: f64,
    zero: bool,
    expected: &'static str,
}

impl Range {
    const fn new(min: f64, max: f64, zero: bool, expected: &'static str) -> Range {
        Range { min, max, zero, expected }
    }

    /// Smallest accepted value other than zero.
    ///
    /// ```
    /// assert_eq!(offergraph::ranges::RATE.min(), 1e-9);
    /// ```
    pub const fn min(&self) -> f64 {
        self.min
    }

    /// Largest accepted value.
    ///
    /// ```
    /// assert_eq!(offergraph::ranges::RATE.max(), 1.0);
    /// ```
    pub const fn max(&self) -> f64 {
        self.max
    }

    /// Whether `0` is accepted besides `[min, max]`.
    ///
    /// ```
    /// assert!(offergraph::ranges::MONEY.allows_zero());
    /// assert!(!offergraph::ranges::SPEND_SCALE.allows_zero());
    /// ```
    pub const fn allows_zero(&self) -> bool {
        self.zero
    }

    /// The range as error messages state it.
    ///
    /// ```
    /// assert_eq!(offergraph::ranges::RELEVANCE.expected(), "a number in [1e-6, 1000]");
    /// ```
    pub const fn expected(&self) -> &'static str {
        self.expected
    }

    /// `true` when `value` is accepted (NaN and infinities never are).
    ///
    /// ```
    /// assert!(!offergraph::ranges::COUNT.contains(f64::NAN));
    /// ```
    pub fn contains(&self, value: f64) -> bool {
        (self.zero && value == 0.0) || (self.min..=self.max).contains(&value)
    }

    /// `value` (with `-0.0` made `0.0`) when accepted, else the range's text for the error.
    pub(crate) fn check(&self, value: f64) -> Result<f64, &'static str> {
        if self.contains(value) { Ok(value + 0.0) } else { Err(self.expected) }
    }
}

/// Amounts of money that may be zero: budgets, deal values, spends, fixed amounts, minima and
/// maxima. A million-th of a currency unit is below any price; `1e15` holds the largest
/// marketing budgets even in currencies of tens of thousands of units per dollar.
///
/// ```
/// assert!(offergraph::ranges::MONEY.contains(2.5e14));
/// ```
pub const MONEY: Range = Range::new(1e-6, 1e15, true, "0 or a number in [1e-6, 1e15]");

/// Money scales of response curves, never zero: cost per lead, the spend scale `k`/`K` of
/// saturating curves, the spend of a curve's observed point.
///
/// ```
/// assert!(!offergraph::ranges::SPEND_SCALE.contains(0.0));
/// ```
pub const SPEND_SCALE: Range = Range::new(1e-6, 1e15, false, "a number in [1e-6, 1e15]");

/// Inverse money scales (the logistic's `λ`, per unit of money): the reciprocal of
/// [`SPEND_SCALE`].
///
/// ```
/// assert!(offergraph::ranges::PER_MONEY.contains(1e-3));
/// ```
pub const PER_MONEY: Range = Range::new(1e-15, 1e6, false, "a number in [1e-15, 1e6]");

/// Counts of people or leads that set a scale, never zero: audiences, reference audiences,
/// saturation levels `L`/`V`, caps on leads, the rising-CPL volume scale `l0`.
///
/// ```
/// assert!(!offergraph::ranges::COUNT_SCALE.contains(1e-308));
/// ```
pub const COUNT_SCALE: Range = Range::new(1e-6, 1e12, false, "a number in [1e-6, 1e12]");

/// Counts that may be zero: observed leads of a curve point, lead capacities and limits.
///
/// ```
/// assert!(offergraph::ranges::COUNT.contains(0.0));
/// ```
pub const COUNT: Range = Range::new(1e-6, 1e12, true, "0 or a number in [1e-6, 1e12]");

/// Rates and shares in `[0, 1]`: conversion, margin, decay, shares of a budget. Below `1e-9`
/// a rate is noise (and a divisor that overflows).
///
/// ```
/// assert!(offergraph::ranges::RATE.contains(1.0) && !offergraph::ranges::RATE.contains(1.2));
/// ```
pub const RATE: Range = Range::new(1e-9, 1.0, true, "0 or a number in [1e-9, 1]");

/// A value proposition's relevance: a multiplier on leads.
///
/// ```
/// assert!(offergraph::ranges::RELEVANCE.contains(1.2));
/// ```
pub const RELEVANCE: Range = Range::new(1e-6, 1e3, false, "a number in [1e-6, 1000]");

/// An offer's conversion factor: a multiplier on the segment's base conversion (the product
/// must still be at most 1).
///
/// ```
/// assert!(offergraph::ranges::CONVERSION_FACTOR.contains(0.0));
/// ```
pub const CONVERSION_FACTOR: Range = Range::new(1e-9, 1e9, true, "0 or a number in [1e-9, 1e9]");

/// Relative weights (budget weights, flight weights, lag weights, seasonality multipliers).
///
/// ```
/// assert!(offergraph::ranges::WEIGHT.contains(3.0));
/// ```
pub const WEIGHT: Range = Range::new(1e-12, 1e12, true, "0 or a number in [1e-12, 1e12]");

/// The factor a module's leads are scaled by (relevance × audience / reference audience): the
/// product of the ranges of its three factors.
///
/// ```
/// assert!(offergraph::ranges::LEAD_SCALE.contains(1.2 * 40_000.0 / 35_000.0));
/// ```
pub const LEAD_SCALE: Range = Range::new(1e-24, 1e24, false, "a number in [1e-24, 1e24]");

/// Seasonal multipliers on leads (a period's, a channel's, a segment's): a module's product of
/// three stays within `[1e-18, 1e9]`.
///
/// ```
/// assert!(offergraph::ranges::SEASONALITY.contains(1.4) && !offergraph::ranges::SEASONALITY.contains(1e6));
/// ```
pub const SEASONALITY: Range = Range::new(1e-6, 1e3, true, "0 or a number in [1e-6, 1000]");

/// The Hill curve's shape `a` (fitted values lie in `[0.3, 5]`; beyond `10` the curve is a
/// step and powers of the spend overflow).
///
/// ```
/// assert!(offergraph::ranges::HILL_SHAPE.contains(2.0));
/// ```
pub const HILL_SHAPE: Range = Range::new(0.01, 10.0, false, "a number in [0.01, 10]");

/// The rising-CPL elasticity `β` (0 is a constant cost per lead).
///
/// ```
/// assert!(offergraph::ranges::ELASTICITY.contains(0.0));
/// ```
pub const ELASTICITY: Range = Range::new(1e-6, 10.0, true, "0 or a number in [1e-6, 10]");

/// Lengths of time in periods: a lag's mean and standard deviation.
///
/// ```
/// assert!(offergraph::ranges::LAG_PERIODS.contains(6.0));
/// ```
pub const LAG_PERIODS: Range = Range::new(0.01, 520.0, false, "a number in [0.01, 520]");

/// Largest ratio of a gamma or log-normal lag's mean to its standard deviation: sharper lags
/// are given as weights (the discretisation of a near-point mass needs more terms than the
/// series allows).
///
/// ```
/// assert!(offergraph::ranges::LAG_SHARPNESS >= 10.0);
/// ```
pub const LAG_SHARPNESS: f64 = 100.0;

/// [`LAG_SHARPNESS`] as error messages state it.
pub(crate) const LAG_SD_EXPECTED: &str = "at least mean / 100 (sharper lags are given as weights)";

/// [`LAG_PERIODS`] with 0 allowed (a geometric lag's mean), as error messages state it.
pub(crate) const LAG_MEAN_OR_ZERO_EXPECTED: &str = "0 or a number in [0.01, 520]";

/// People in a sales team (fractions are part-time).
///
/// ```
/// assert!(offergraph::ranges::HEADCOUNT.contains(2.5));
/// ```
pub const HEADCOUNT: Range = Range::new(1e-3, 1e6, true, "0 or a number in [0.001, 1e6]");

/// Leads one rep handles in a working day.
///
/// ```
/// assert!(offergraph::ranges::LEADS_PER_DAY.contains(8.0));
/// ```
pub const LEADS_PER_DAY: Range = Range::new(1e-6, 1e6, true, "0 or a number in [1e-6, 1e6]");

/// Days in a period (working days, holidays): a period is at most a year.
///
/// ```
/// assert!(offergraph::ranges::DAYS.contains(5.0) && !offergraph::ranges::DAYS.contains(400.0));
/// ```
pub const DAYS: Range = Range::new(1e-3, 366.0, true, "0 or a number in [0.001, 366]");

/// Most periods in a horizon (ten years of days; a lag's explicit weights are held to the same
/// length). Every time-layer array is sized by it, so it bounds the memory one module takes.
///
/// ```
/// assert!(offergraph::ranges::MAX_PERIODS >= 520);
/// ```
pub const MAX_PERIODS: usize = 3_660;

/// [`MAX_PERIODS`] as error messages state it.
pub(crate) const PERIODS_EXPECTED: &str = "an integer in [1, 3660]";

/// A target ROMI (`−1` would make every cost per lead sustainable).
///
/// ```
/// assert!(offergraph::ranges::TARGET_ROMI.contains(-0.5) && !offergraph::ranges::TARGET_ROMI.contains(-1.0));
/// ```
pub const TARGET_ROMI: Range = Range::new(-0.999_999, 1e6, false, "a number in [-0.999999, 1e6]");

/// A log-normal distribution's `sigma` (the standard deviation of the logarithm): `0` is a point
/// mass; at `5` the 90th percentile is already 600 times the median, beyond any spread a plan can
/// claim, and larger values make draws overflow.
///
/// ```
/// assert!(offergraph::ranges::LOG_SIGMA.contains(0.3) && !offergraph::ranges::LOG_SIGMA.contains(6.0));
/// ```
pub const LOG_SIGMA: Range = Range::new(1e-6, 5.0, true, "0 or a number in [1e-6, 5]");

/// A beta distribution's shapes `alpha` and `beta` (pseudo-counts of successes and failures):
/// below `0.001` the mass sits on 0 and 1 alone; above `1e6` it is a point.
///
/// ```
/// assert!(offergraph::ranges::BETA_SHAPE.contains(2.0) && !offergraph::ranges::BETA_SHAPE.contains(0.0));
/// ```
pub const BETA_SHAPE: Range = Range::new(1e-3, 1e6, false, "a number in [0.001, 1e6]");

/// An uncertain lead scale (a multiplier on a module's curve): its log-normal median or its fixed
/// value. A curve a million times off is a wrong curve, not an uncertain one.
///
/// ```
/// assert!(offergraph::ranges::LEAD_MULTIPLIER.contains(1.0) && !offergraph::ranges::LEAD_MULTIPLIER.contains(0.0));
/// ```
pub const LEAD_MULTIPLIER: Range = Range::new(1e-6, 1e6, false, "a number in [1e-6, 1e6]");

/// Monte Carlo draws: at least one, at most a million (the standard error of a probability is
/// then below 0.0005; more buys nothing a plan can tell apart).
///
/// ```
/// assert!(offergraph::ranges::MAX_DRAWS >= 10_000);
/// ```
pub const MAX_DRAWS: usize = 1_000_000;

/// [`MAX_DRAWS`] as error messages state it.
pub(crate) const DRAWS_EXPECTED: &str = "an integer in [1, 1000000]";

/// Most numbers one Monte Carlo run holds: draws × the larger of its random sources and its
/// modules (8 bytes each, so at most 240 MB an array). It bounds the memory and the work of a
/// run whatever the plan's size.
///
/// ```
/// assert!(offergraph::ranges::MAX_DRAW_CELLS >= 1_000 * 10_000);
/// ```
pub const MAX_DRAW_CELLS: usize = 30_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Range; 21] = [
        LOG_SIGMA,
        BETA_SHAPE,
        LEAD_MULTIPLIER,
        SEASONALITY,
        LEAD_SCALE,
        MONEY,
        SPEND_SCALE,
        PER_MONEY,
        COUNT_SCALE,
        COUNT,
        RATE,
        RELEVANCE,
        CONVERSION_FACTOR,
        WEIGHT,
        HILL_SHAPE,
        ELASTICITY,
        LAG_PERIODS,
        HEADCOUNT,
        LEADS_PER_DAY,
        DAYS,
        TARGET_ROMI,
    ];

    /// Large and small magnitudes as `1e15`, `1e-6`; the rest as written.
    fn short(x: f64) -> String {
        if x.abs() >= 1e4 || x.abs() < 1e-3 { format!("{x:e}") } else { format!("{x}") }
    }

    #[test]
    fn the_text_states_the_numbers() {
        for r in ALL {
            let bounds = format!("[{}, {}]", short(r.min), short(r.max));
            let expected =
                if r.zero { format!("0 or a number in {bounds}") } else { format!("a number in {bounds}") };
            assert_eq!(r.expected, expected);
            assert!(r.min < r.max && r.min.is_normal());
            if r.min > 0.0 {
                assert!(!r.contains(f64::MIN_POSITIVE / 4.0), "a subnormal passes {}", r.expected);
            }
        }
    }

    #[test]
    fn the_periods_text_states_the_number() {
        assert_eq!(PERIODS_EXPECTED, format!("an integer in [1, {MAX_PERIODS}]"));
        assert!(LAG_SD_EXPECTED.starts_with(&format!("at least mean / {LAG_SHARPNESS} ")));
        assert_eq!(LAG_MEAN_OR_ZERO_EXPECTED, format!("0 or {}", LAG_PERIODS.expected()));
        assert_eq!(DRAWS_EXPECTED, format!("an integer in [1, {MAX_DRAWS}]"));
    }

    #[test]
    fn bounds_are_inclusive_and_nothing_else_passes() {
        for r in ALL {
            assert!(r.contains(r.min) && r.contains(r.max));
            assert_eq!(r.check(-0.0).is_ok(), r.zero || r.min <= 0.0);
            for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, r.max * 2.0 + 1.0, r.min - 1.0] {
                assert!(!r.contains(bad) || (bad == 0.0 && r.zero), "{bad} in {}", r.expected);
            }
        }
    }
}
