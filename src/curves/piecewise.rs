//! Piecewise-linear response through observed `(spend, leads)` points.

use serde::Serialize;

use super::{Curve, clamp_spend};
use crate::error::CurveError;
use crate::numerics::{Shown, ranges};

/// Piecewise-linear response curve through observed `(spend, leads)` points.
///
/// The curve starts at an implicit `(0, 0)`, joins the points with straight lines and stays flat
/// after the last point. Flat, not extrapolated: nothing was observed beyond the last point, and
/// assuming saturation there is the conservative choice — an optimizer is never told that money
/// buys leads nobody has measured.
///
/// # Arguments
/// * `points` — `[spend, leads]` pairs: spend finite, `> 0` and strictly increasing; leads finite,
///   `≥ 0` and non-decreasing. At least one point.
///
/// # Returns
/// Leads in `[0, last leads]`.
///
/// # Complexity
/// `leads`/`derivative`: `O(log n)` binary search, no allocation. Shape queries are `O(n)`.
///
/// # Example
/// ```
/// use offergraph::curves::{Curve, PiecewiseLinear};
/// let c = PiecewiseLinear::new(vec![(100.0, 10.0), (300.0, 20.0)])?;
/// assert_eq!(c.leads(50.0), 5.0);
/// assert_eq!(c.leads(200.0), 15.0);
/// assert_eq!(c.leads(1_000.0), 20.0); // flat beyond the last point
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Reference
/// Linear interpolation of an empirical response table (spend tests, historical weeks).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PiecewiseLinear {
    points: Vec<(f64, f64)>,
}

file_shape!(PiecewiseLinear from PiecewiseLinearRaw { points: Vec<(f64, f64)>, } via PiecewiseLinear::new);

impl PiecewiseLinear {
    /// Builds a piecewise-linear curve through `points` (`(spend, leads)` pairs), starting at an
    /// implicit `(0, 0)`.
    ///
    /// # Errors
    /// [`CurveError::InvalidPoint`] naming the first offending point when there are no points, a
    /// spend is outside [`ranges::SPEND_SCALE`] or does not increase, or leads are outside [`ranges::COUNT`] or
    /// decrease.
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, PiecewiseLinear};
    /// let c = PiecewiseLinear::new(vec![(200.0, 8.0), (400.0, 12.0)])?;
    /// assert_eq!(c.derivative(300.0), 0.02); // (12−8)/(400−200)
    /// let err = PiecewiseLinear::new(vec![(200.0, 8.0), (100.0, 9.0)]).unwrap_err();
    /// assert_eq!(err.to_string(), "piecewise_linear point 1: spend must increase: 100 follows 200");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(points: Vec<(f64, f64)>) -> Result<Self, CurveError> {
        let bad = |index: usize, problem: String| CurveError::InvalidPoint { index, problem };
        if points.is_empty() {
            return Err(bad(0, "at least one point is required".to_owned()));
        }
        let mut prev = (0.0_f64, 0.0_f64);
        for (index, &(spend, leads)) in points.iter().enumerate() {
            if let Err(expected) = ranges::SPEND_SCALE.check(spend) {
                return Err(bad(index, format!("spend must be {expected}, found {}", Shown(spend))));
            }
            if let Err(expected) = ranges::COUNT.check(leads) {
                return Err(bad(index, format!("leads must be {expected}, found {}", Shown(leads))));
            }
            if index > 0 && spend <= prev.0 {
                return Err(bad(index, format!("spend must increase: {spend} follows {}", prev.0)));
            }
            if leads < prev.1 {
                return Err(bad(index, format!("leads must not decrease: {leads} follows {}", prev.1)));
            }
            prev = (spend, leads);
        }
        Ok(PiecewiseLinear { points })
    }

    /// The observed `(spend, leads)` points, without the implicit origin.
    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    /// Start of segment `i` (which ends at `points[i]`): the previous point or the origin.
    #[inline]
    fn start(&self, i: usize) -> (f64, f64) {
        match i.checked_sub(1).and_then(|j| self.points.get(j)) {
            Some(&p) => p,
            None => (0.0, 0.0),
        }
    }

    /// Slope of segment `i`; `0` for the flat tail (`i ≥ len`).
    #[inline]
    fn slope(&self, i: usize) -> f64 {
        match self.points.get(i) {
            Some(&(s1, l1)) => {
                let (s0, l0) = self.start(i);
                (l1 - l0) / (s1 - s0)
            }
            None => 0.0,
        }
    }

    fn last(&self) -> (f64, f64) {
        self.points.last().copied().unwrap_or((0.0, 0.0))
    }

    /// First segment of the concave tail: slopes from here on are non-increasing.
    fn concave_from(&self) -> usize {
        let mut j = self.points.len().saturating_sub(1);
        while j > 0 && self.slope(j - 1) >= self.slope(j) {
            j -= 1;
        }
        j
    }
}

impl Curve for PiecewiseLinear {
    /// Interpolates on the segment containing `s`; clamped to the segment's end value so rounding
    /// cannot make the curve step down at a kink. Negative or NaN spend counts as zero.
    #[inline]
    fn leads(&self, spend: f64) -> f64 {
        let s = clamp_spend(spend);
        let i = self.points.partition_point(|p| p.0 < s);
        match self.points.get(i) {
            Some(&(s1, l1)) => {
                let (s0, l0) = self.start(i);
                let t = (s - s0) / (s1 - s0);
                (l0 + (l1 - l0) * t).min(l1)
            }
            None => self.last().1,
        }
    }

    /// Slope of the segment containing `s`; the right derivative at a kink (the next unit of
    /// money is bought at the next segment's price), `0` from the last point on.
    #[inline]
    fn derivative(&self, spend: f64) -> f64 {
        let s = clamp_spend(spend);
        self.slope(self.points.partition_point(|p| p.0 <= s))
    }

    fn scaled(&self, factor: f64) -> Self {
        PiecewiseLinear { points: self.points.iter().map(|&(s, l)| (s, l * factor)).collect() }
    }

    /// Slopes (from the origin) non-increasing, compared exactly: collinear points whose slopes
    /// differ by rounding may be reported non-concave, which only costs a safer code path.
    fn is_concave(&self) -> bool {
        self.concave_from() == 0
    }

    fn max_leads(&self) -> f64 {
        self.last().1
    }

    /// `0` for concave data. Otherwise the spend of the kink after which slopes never increase
    /// again: from there on the curve is concave, which is what `spend_for_slope` needs.
    fn inflection(&self) -> f64 {
        self.start(self.concave_from()).0
    }

    /// Smallest spend reaching `leads` (the first point of a flat stretch); `None` above the last
    /// observed leads and for NaN.
    fn spend_for_leads(&self, leads: f64) -> Option<f64> {
        if leads.is_nan() {
            return None;
        }
        if leads <= 0.0 {
            return Some(0.0);
        }
        let i = self.points.partition_point(|p| p.1 < leads);
        let &(s1, l1) = self.points.get(i)?;
        // l0 < leads ≤ l1, so the segment is not flat and the division is safe.
        let (s0, l0) = self.start(i);
        Some((s0 + (leads - l0) / (l1 - l0) * (s1 - s0)).min(s1))
    }

    /// Start of the first concave-tail segment whose slope is `≤ slope`; the last point's spend
    /// when only the flat tail qualifies (`0 ≤ slope`), `∞` for negative slope, `inflection()` for
    /// NaN.
    fn spend_for_slope(&self, slope: f64) -> f64 {
        let j = self.concave_from();
        if slope.is_nan() {
            return self.start(j).0;
        }
        for i in j..self.points.len() {
            if self.slope(i) <= slope {
                return self.start(i).0;
            }
        }
        if slope >= 0.0 { self.last().0 } else { f64::INFINITY }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;
    use proptest::prelude::*;

    fn pw(points: &[(f64, f64)]) -> PiecewiseLinear {
        PiecewiseLinear::new(points.to_vec()).expect("valid test points")
    }

    fn problem(points: &[(f64, f64)]) -> String {
        PiecewiseLinear::new(points.to_vec()).unwrap_err().to_string()
    }

    #[test]
    #[allow(clippy::float_cmp)] // only exact values (infinities) are compared with ==
    fn known_answers() {
        let c = pw(&[(100.0, 10.0), (300.0, 20.0)]);
        assert!(tol::approx_eq(c.leads(50.0), 5.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(100.0), 10.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(200.0), 15.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(1000.0), 20.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(f64::INFINITY), 20.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(-5.0), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.leads(f64::NAN), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.derivative(0.0), 0.1, tol::INVERSION_REL));
        // Right derivative at the kinks.
        assert!(tol::approx_eq(c.derivative(100.0), 0.05, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.derivative(300.0), 0.0, tol::INVERSION_REL));
        assert!(c.is_concave());
        assert!(tol::approx_eq(c.inflection(), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.max_leads(), 20.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_leads(15.0), Some(200.0));
        assert_eq!(c.spend_for_leads(20.0), Some(300.0));
        assert_eq!(c.spend_for_leads(20.5), None);
        assert_eq!(c.spend_for_leads(0.0), Some(0.0));
        assert_eq!(c.spend_for_leads(f64::NAN), None);
        assert!(tol::approx_eq(c.spend_for_slope(0.2), 0.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.07), 100.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.0), 300.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_slope(-1.0), f64::INFINITY);
        let scaled = c.scaled(2.0);
        assert!(tol::approx_eq(scaled.leads(200.0), 30.0, tol::INVERSION_REL));
    }

    #[test]
    fn s_shaped_data() {
        // Slopes 0.05, 0.2, 0.05: convex start, concave from the kink at 100.
        let c = pw(&[(100.0, 5.0), (200.0, 25.0), (300.0, 30.0)]);
        assert!(!c.is_concave());
        assert!(tol::approx_eq(c.inflection(), 100.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.3), 100.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(0.1), 200.0, tol::INVERSION_REL));
        assert!(tol::approx_eq(c.spend_for_slope(f64::NAN), 100.0, tol::INVERSION_REL));
        assert_eq!(c.spend_for_leads(15.0), Some(150.0));
    }

    #[test]
    fn flat_stretch_answers_with_its_first_point() {
        let c = pw(&[(100.0, 10.0), (200.0, 10.0), (300.0, 20.0)]);
        assert_eq!(c.spend_for_leads(10.0), Some(100.0));
        assert!(tol::approx_eq(c.derivative(150.0), 0.0, tol::INVERSION_REL));
        assert!(!c.is_concave());
        assert!(tol::approx_eq(c.inflection(), 200.0, tol::INVERSION_REL));
    }

    #[test]
    fn errors_name_point_and_problem() {
        assert_eq!(problem(&[]), "piecewise_linear point 0: at least one point is required");
        assert_eq!(
            problem(&[(-3.0, 1.0)]),
            "piecewise_linear point 0: spend must be a number in [1e-6, 1e15], found -3"
        );
        assert_eq!(
            problem(&[(1.0, 1.0), (f64::INFINITY, 2.0)]),
            "piecewise_linear point 1: spend must be a number in [1e-6, 1e15], found inf"
        );
        assert_eq!(
            problem(&[(0.0, 0.0)]),
            "piecewise_linear point 0: spend must be a number in [1e-6, 1e15], found 0"
        );
        assert_eq!(
            problem(&[(200.0, 1.0), (100.0, 2.0)]),
            "piecewise_linear point 1: spend must increase: 100 follows 200"
        );
        assert_eq!(
            problem(&[(100.0, 1.0), (100.0, 2.0)]),
            "piecewise_linear point 1: spend must increase: 100 follows 100"
        );
        assert_eq!(
            problem(&[(100.0, 8.0), (200.0, 5.0)]),
            "piecewise_linear point 1: leads must not decrease: 5 follows 8"
        );
        assert_eq!(
            problem(&[(100.0, 1.0), (200.0, f64::NAN)]),
            "piecewise_linear point 1: leads must be 0 or a number in [1e-6, 1e12], found NaN"
        );
        assert_eq!(
            problem(&[(100.0, -1.0)]),
            "piecewise_linear point 0: leads must be 0 or a number in [1e-6, 1e12], found -1"
        );
    }

    #[test]
    fn serde_fields() {
        let c: PiecewiseLinear = serde_json::from_str(r#"{"points":[[100,10],[300,20]]}"#).expect("valid");
        assert_eq!(c, pw(&[(100.0, 10.0), (300.0, 20.0)]));
        assert_eq!(
            serde_json::to_string(&c).expect("serializes"),
            r#"{"points":[[100.0,10.0],[300.0,20.0]]}"#
        );
        assert!(serde_json::from_str::<PiecewiseLinear>(r#"{"points":[]}"#).is_err());
        assert!(serde_json::from_str::<PiecewiseLinear>(r#"{"points":[[1,1]],"x":0}"#).is_err());
        let err = serde_json::from_str::<PiecewiseLinear>(r#"{"points":[[200,1],[100,2]]}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("spend must increase: 100 follows 200"), "{err}");
    }

    /// Cumulative sums of positive spend steps and non-negative lead steps: always valid.
    fn build(steps: &[(f64, f64)]) -> PiecewiseLinear {
        let (mut s, mut l) = (0.0, 0.0);
        let points = steps
            .iter()
            .map(|&(ds, dl)| {
                s += ds;
                l += dl;
                (s, l)
            })
            .collect();
        PiecewiseLinear::new(points).expect("valid by construction")
    }

    fn any_pw() -> impl Strategy<Value = PiecewiseLinear> {
        proptest::collection::vec((1.0..1e4f64, 0.0..1e3f64), 1..8).prop_map(|v| build(&v))
    }

    /// Concave data: slopes sorted in decreasing order. Dyadic values keep every product and
    /// sum exact, so recomputed slopes keep their order (no rounding-induced false kinks).
    fn concave_pw() -> impl Strategy<Value = PiecewiseLinear> {
        proptest::collection::vec((1u32..10_000, 0u32..640), 1..8).prop_map(|mut v| {
            v.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
            let steps: Vec<_> =
                v.iter().map(|&(ds, n)| (f64::from(ds), f64::from(ds) * f64::from(n) / 64.0)).collect();
            build(&steps)
        })
    }

    /// Integer points: exact through JSON.
    fn nice_pw() -> impl Strategy<Value = PiecewiseLinear> {
        proptest::collection::vec((1u32..10_000, 0u32..1_000), 1..8).prop_map(|v| {
            let steps: Vec<_> = v.iter().map(|&(ds, dl)| (f64::from(ds), f64::from(dl))).collect();
            build(&steps)
        })
    }

    /// A spend at fraction `t` of the whole observed range (and up to 50% beyond it).
    fn spend_at(c: &PiecewiseLinear, t: f64) -> f64 {
        t * c.last().0
    }

    proptest! {
        #[test]
        fn passes_through_the_points(c in any_pw()) {
            for &(s, l) in c.points() {
                prop_assert!(tol::approx_eq(c.leads(s), l, tol::INVERSION_REL));
            }
        }

        #[test]
        fn derivative_matches_central_difference(c in any_pw(), i in 0usize..8, t in 0.1..0.9f64) {
            // Interior of segment i, with the difference step kept inside the segment.
            let i = i % c.points().len();
            let (s0, _) = c.start(i);
            let (s1, _) = c.points()[i];
            let s = s0 + t * (s1 - s0);
            let h = 0.05 * (s1 - s0);
            let fd = (c.leads(s + h) - c.leads(s - h)) / (2.0 * h);
            let d = c.derivative(s);
            prop_assert!((fd - d).abs() <= tol::BUDGET_REL * d.max(1.0), "fd {fd} vs derivative {d}");
        }

        #[test]
        fn concave_data_is_concave(c in concave_pw(), x in 0.0..1.5f64, y in 0.0..1.5f64) {
            prop_assert!(c.is_concave());
            let (x, y) = (spend_at(&c, x), spend_at(&c, y));
            let mid = c.leads(0.5 * (x + y));
            let chord = 0.5 * (c.leads(x) + c.leads(y));
            prop_assert!(mid >= chord - tol::BUDGET_REL * chord.max(1.0));
        }

        #[test]
        fn derivative_non_increasing_after_inflection(c in any_pw(), x in 0.0..1.5f64, y in 0.0..1.5f64) {
            let i = c.inflection();
            let span = c.last().0 - i;
            let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
            prop_assert!(c.derivative(i + lo * span) >= c.derivative(i + hi * span));
        }

        #[test]
        fn serde_rejects_invalid(c in nice_pw(), bad in -1e6..=0.0f64, which in 0usize..8, leads in proptest::bool::ANY) {
            let mut points = c.points().to_vec();
            let which = which % points.len();
            if leads { points[which].1 = bad - 1.0 } else { points[which].0 = bad }
            let json = serde_json::to_string(&serde_json::json!({ "points": points })).expect("json");
            prop_assert!(serde_json::from_str::<PiecewiseLinear>(&json).is_err());
        }

        #[test]
        fn spend_for_slope_inverts_derivative(c in concave_pw(), t in 0.0..1.5f64) {
            let s = spend_at(&c, t);
            let d = c.derivative(s);
            let back = c.spend_for_slope(d);
            // The first spend from which the marginal return is no better than d…
            prop_assert!(back <= s);
            prop_assert!(c.derivative(back) <= d);
            // …and just before it the margin was strictly better.
            if back > 0.0 {
                prop_assert!(c.derivative(back * (1.0 - tol::BUDGET_REL)) > d);
            }
        }
    }
}
