//! Response curves: expected leads as a function of spend.
//!
//! One file per family; [`ResponseCurve`] is the closed set a plan can hold. Every family is
//! validated at construction, satisfies `r(0) = 0`, is non-decreasing, and gives its derivative in
//! closed form (or by implicit differentiation for the rising-CPL family).

/// The plan-file shape of a curve family: a struct with exactly the family's fields (unknown
/// ones rejected) whose deserialization goes through the validating constructor, so a file can
/// build only what `new` accepts.
macro_rules! file_shape {
    ($family:ident from $raw:ident { $($(#[$attr:meta])* $field:ident: $ty:ty),+ $(,)? } via $new:path) => {
        #[derive(serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields)]
        struct $raw {
            $($(#[$attr])* $field: $ty),+
        }

        impl<'de> serde::Deserialize<'de> for $family {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <$raw as serde::Deserialize>::deserialize(deserializer)?;
                $new($(raw.$field),+).map_err(serde::de::Error::custom)
            }
        }

        impl $family {
            /// The same curve, built again through the validating constructor: parameters
            /// computed from valid ones (a scaled curve) must be what a file could hold, or a
            /// plan that saves them would not load.
            pub(crate) fn rebuilt(&self) -> Result<Self, CurveError> {
                $new($(self.$field.clone()),+)
            }
        }
    };
}

/// Read-only accessors for a family's numeric parameters, each with its one-line doc.
macro_rules! getters {
    ($family:ident { $($field:ident: $doc:literal),+ $(,)? }) => {
        impl $family {
            $(
                #[doc = $doc]
                pub fn $field(&self) -> f64 {
                    self.$field
                }
            )+
        }
    };
}

/// A family whose parameters are plain numbers, each named in plan files as in messages and
/// checked against its range: declares the struct (serialized under those names), its
/// [`file_shape!`], its [`getters!`] and `new`, which checks every parameter in order with
/// [`param`], naming the family as `$curve` in messages. The docs of the struct and of `new` come
/// with the invocation.
macro_rules! numeric_family {
    (
        $(#[$meta:meta])*
        $family:ident as $curve:literal from $raw:ident { $($field:ident as $name:literal in $range:ident: $doc:literal),+ $(,)? }
        $(#[$new_meta:meta])*
        new
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub struct $family {
            $(#[doc = $doc] #[serde(rename = $name)] $field: f64),+
        }

        file_shape!($family from $raw { $(#[serde(rename = $name)] $field: f64),+ } via $family::new);

        getters!($family { $($field: $doc),+ });

        impl $family {
            $(#[$new_meta])*
            pub fn new($($field: f64),+) -> Result<Self, CurveError> {
                Ok($family { $($field: param($curve, $name, $field, ranges::$range)?),+ })
            }
        }
    };
}

/// The [`Curve`] of a family that is concave everywhere and saturates at its parameter `$level`,
/// from its four formulas, each `|curve, x| …` and documented with the invocation: `leads` and
/// `derivative` at a spend `s ≥ 0`, `spend_for_leads` at leads strictly between `0` and the level,
/// `spend_for_slope` at a positive slope. The frame around them is the same for every such family:
/// negative and NaN spend count as zero ([`clamp_spend`]), the inverses' edge cases come from
/// [`inverse`] and [`spend_at_slope`], `scaled` multiplies the level, which is also `max_leads`,
/// and `inflection` is `0`.
macro_rules! concave_saturation {
    (
        $family:ident at $level:ident;
        $(#[$leads_doc:meta])* leads: $leads:expr;
        $(#[$derivative_doc:meta])* derivative: $derivative:expr;
        $(#[$inverse_doc:meta])* spend_for_leads: $inverse:expr;
        $(#[$slope_doc:meta])* spend_for_slope: $slope:expr $(;)?
    ) => {
        impl Curve for $family {
            $(#[$leads_doc])*
            #[inline]
            fn leads(&self, spend: f64) -> f64 {
                let leads: fn(&Self, f64) -> f64 = $leads;
                leads(self, clamp_spend(spend))
            }

            $(#[$derivative_doc])*
            #[inline]
            fn derivative(&self, spend: f64) -> f64 {
                let derivative: fn(&Self, f64) -> f64 = $derivative;
                derivative(self, clamp_spend(spend))
            }

            fn scaled(&self, factor: f64) -> Self {
                Self { $level: self.$level * factor, ..self.clone() }
            }

            fn is_concave(&self) -> bool {
                true
            }

            fn max_leads(&self) -> f64 {
                self.$level
            }

            fn inflection(&self) -> f64 {
                0.0
            }

            $(#[$inverse_doc])*
            fn spend_for_leads(&self, leads: f64) -> Option<f64> {
                let spend: fn(&Self, f64) -> f64 = $inverse;
                inverse(leads, self.$level, |l| spend(self, l))
            }

            $(#[$slope_doc])*
            fn spend_for_slope(&self, slope: f64) -> f64 {
                let spend: fn(&Self, f64) -> f64 = $slope;
                spend_at_slope(slope, |slope| spend(self, slope))
            }
        }
    };
}

mod exponential;
mod hill;
#[cfg(test)]
mod laws;
mod linear;
mod logistic;
mod michaelis_menten;
mod piecewise;
mod rising_cpl;

pub use exponential::Exponential;
pub use hill::Hill;
pub use linear::Linear;
pub use logistic::Logistic;
pub use michaelis_menten::MichaelisMenten;
pub use piecewise::PiecewiseLinear;
pub use rising_cpl::RisingCpl;

use serde::{Deserialize, Serialize};

use crate::error::CurveError;
use crate::numerics::ranges::Range;

/// Negative and NaN spend are treated as zero spend, so no input can panic or poison a sum.
#[inline]
pub(crate) fn clamp_spend(spend: f64) -> f64 {
    if spend > 0.0 { spend } else { 0.0 }
}

/// The common frame of `spend_for_leads`: `None` for NaN, `Some(0)` for no leads, `None` from
/// `ceiling` on (a saturation the curve never reaches), else `spend(leads)` when it is finite.
#[inline]
pub(crate) fn inverse(leads: f64, ceiling: f64, spend: impl FnOnce(f64) -> f64) -> Option<f64> {
    if leads.is_nan() || leads >= ceiling {
        return None;
    }
    if leads <= 0.0 {
        return Some(0.0);
    }
    let s = spend(leads);
    s.is_finite().then_some(s)
}

/// The common frame of `spend_for_slope` on a family concave from zero: `0` for NaN, `∞` for
/// `slope ≤ 0` (the derivative never falls that far), else `spend(slope)` clamped at `0`.
#[inline]
pub(crate) fn spend_at_slope(slope: f64, spend: impl FnOnce(f64) -> f64) -> f64 {
    if slope.is_nan() {
        return 0.0;
    }
    if slope <= 0.0 {
        return f64::INFINITY;
    }
    spend(slope).max(0.0)
}

/// Checks one parameter of a curve family against its accepted range (see `ranges`).
pub(crate) fn param(
    curve: &'static str,
    parameter: &'static str,
    value: f64,
    range: Range,
) -> Result<f64, CurveError> {
    range.check(value).map_err(|expected| CurveError::InvalidParameter {
        curve,
        parameter,
        found: value,
        expected,
    })
}

/// What every response-curve family provides.
///
/// All methods take spend in money units and return leads (or leads per unit of money). They never
/// panic: inputs outside the domain (negative spend) are treated as zero spend.
pub trait Curve {
    /// Expected leads `r(s)` for spend `s`.
    fn leads(&self, spend: f64) -> f64;
    /// The derivative `r'(s)`: leads bought by the next unit of money.
    fn derivative(&self, spend: f64) -> f64;
    /// The same curve with every lead count multiplied by `factor` (`factor > 0`, finite; the
    /// caller validates it). Concavity, monotonicity and `r(0) = 0` are preserved.
    fn scaled(&self, factor: f64) -> Self
    where
        Self: Sized;
    /// `true` when the curve is concave on `[0, ∞)`.
    fn is_concave(&self) -> bool;
    /// Supremum of `r` over `[0, ∞)`; `f64::INFINITY` for unbounded families.
    fn max_leads(&self) -> f64;
    /// Spend at which an S-shaped curve turns from convex to concave; `0` for concave curves.
    fn inflection(&self) -> f64;
    /// Smallest spend `s ≥ 0` with `r(s) ≥ leads`, or `None` when the curve never gets there.
    fn spend_for_leads(&self, leads: f64) -> Option<f64>;
    /// On the concave part (`s ≥ inflection()`), the spend where `r'(s) = slope`; `inflection()`
    /// when the derivative there is already below `slope`, `f64::INFINITY` when the derivative never
    /// falls to `slope` (for example `slope = 0` on an unbounded curve).
    fn spend_for_slope(&self, slope: f64) -> f64;
}

/// A validated response curve of any supported family.
///
/// # Example
/// ```
/// use offergraph::curves::{Curve, Hill, ResponseCurve};
/// let r = ResponseCurve::Hill(Hill::new(1000.0, 5000.0, 1.0)?);
/// assert_eq!(r.leads(5000.0), 500.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = closed_branches))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ResponseCurve {
    /// Constant cost per lead, optional cap on leads.
    Linear(Linear),
    /// `L·s^a/(s^a+k^a)`: concave for `a ≤ 1`, S-shaped for `a > 1`.
    Hill(Hill),
    /// `L·(1−e^(−s/k))`.
    Exponential(Exponential),
    /// `L·(1−e^(−λs))/(1+e^(−λs))`.
    Logistic(Logistic),
    /// `V·s/(K+s)`.
    MichaelisMenten(MichaelisMenten),
    /// Cost per lead rising with volume: `CPL(l) = base·(1+l/l0)^β`, inverted numerically.
    RisingCpl(RisingCpl),
    /// Straight lines through observed `(spend, leads)` points.
    PiecewiseLinear(PiecewiseLinear),
}

macro_rules! dispatch {
    ($self:ident, $c:ident => $e:expr) => {
        match $self {
            ResponseCurve::Linear($c) => $e,
            ResponseCurve::Hill($c) => $e,
            ResponseCurve::Exponential($c) => $e,
            ResponseCurve::Logistic($c) => $e,
            ResponseCurve::MichaelisMenten($c) => $e,
            ResponseCurve::RisingCpl($c) => $e,
            ResponseCurve::PiecewiseLinear($c) => $e,
        }
    };
}

impl ResponseCurve {
    /// The curve with leads multiplied by `factor`. Its parameters may leave the ranges a plan
    /// file accepts (a module's effective curve is its channel's scaled by audience and
    /// relevance, and is never saved); a scaled curve that goes into a file, such as an override,
    /// is checked first.
    ///
    /// # Errors
    /// [`CurveError::InvalidParameter`] when `factor` is outside [`ranges::LEAD_SCALE`](crate::ranges::LEAD_SCALE).
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::{Curve, Linear, ResponseCurve};
    /// let r = ResponseCurve::Linear(Linear::new(50.0, None)?);
    /// assert_eq!(r.scaled_by(2.0)?.leads(100.0), 4.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scaled_by(&self, factor: f64) -> Result<ResponseCurve, CurveError> {
        param("scale", "factor", factor, crate::numerics::ranges::LEAD_SCALE)?;
        Ok(dispatch!(self, c => c.scaled(factor).into()))
    }

    /// The curve as a plan file could hold it: every parameter within its family's accepted
    /// range (a curve computed from valid ones, a scaled one say, may not be).
    pub(crate) fn checked(&self) -> Result<ResponseCurve, CurveError> {
        Ok(dispatch!(self, c => c.rebuilt()?.into()))
    }

    /// The family's name as written in plan files (`"hill"`, `"linear"`, …).
    ///
    /// ```
    /// use offergraph::curves::{Exponential, ResponseCurve};
    /// let r = ResponseCurve::Exponential(Exponential::new(10.0, 1.0)?);
    /// assert_eq!(r.family(), "exponential");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn family(&self) -> &'static str {
        match self {
            ResponseCurve::Linear(_) => "linear",
            ResponseCurve::Hill(_) => "hill",
            ResponseCurve::Exponential(_) => "exponential",
            ResponseCurve::Logistic(_) => "logistic",
            ResponseCurve::MichaelisMenten(_) => "michaelis_menten",
            ResponseCurve::RisingCpl(_) => "rising_cpl",
            ResponseCurve::PiecewiseLinear(_) => "piecewise_linear",
        }
    }
}

impl Curve for ResponseCurve {
    #[inline]
    fn leads(&self, spend: f64) -> f64 {
        dispatch!(self, c => c.leads(spend))
    }
    #[inline]
    fn derivative(&self, spend: f64) -> f64 {
        dispatch!(self, c => c.derivative(spend))
    }
    fn scaled(&self, factor: f64) -> Self {
        dispatch!(self, c => c.scaled(factor).into())
    }
    fn is_concave(&self) -> bool {
        dispatch!(self, c => c.is_concave())
    }
    fn max_leads(&self) -> f64 {
        dispatch!(self, c => c.max_leads())
    }
    fn inflection(&self) -> f64 {
        dispatch!(self, c => c.inflection())
    }
    fn spend_for_leads(&self, leads: f64) -> Option<f64> {
        dispatch!(self, c => c.spend_for_leads(leads))
    }
    fn spend_for_slope(&self, slope: f64) -> f64 {
        dispatch!(self, c => c.spend_for_slope(slope))
    }
}

macro_rules! from_family {
    ($($t:ident),*) => {$(
        impl From<$t> for ResponseCurve {
            fn from(c: $t) -> Self {
                ResponseCurve::$t(c)
            }
        }
    )*};
}
from_family!(Linear, Hill, Exponential, Logistic, MichaelisMenten, RisingCpl, PiecewiseLinear);

/// The derived schema of [`ResponseCurve`] is too loose: each family's struct holds only its
/// parameters (the `type` tag is the enum's), so it cannot say "no other field", while reading
/// a file rejects unknown fields (the families' `file_shape!`). Each branch of the `oneOf` is
/// closed with `unevaluatedProperties: false`, which sees the family's fields through its `$ref`
/// and the tag beside it (JSON Schema 2020-12); the CLI's schema tests check that a curve with
/// an unknown field is rejected.
#[cfg(feature = "schema")]
fn closed_branches(schema: &mut schemars::Schema) {
    if let Some(serde_json::Value::Array(branches)) = schema.get_mut("oneOf") {
        for branch in branches.iter_mut().filter_map(serde_json::Value::as_object_mut) {
            branch.insert("unevaluatedProperties".to_owned(), false.into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;

    #[test]
    fn internally_tagged_hill_deserializes() {
        let r: ResponseCurve =
            serde_json::from_str(r#"{"type":"hill","L":1000,"k":5000,"a":2}"#).expect("valid");
        assert_eq!(r, ResponseCurve::Hill(Hill::new(1000.0, 5000.0, 2.0).expect("valid")));
        assert_eq!(r.family(), "hill");
        assert!(tol::approx_eq(r.leads(5000.0), 500.0, tol::INVERSION_REL));
    }

    #[test]
    fn unknown_field_is_rejected_through_the_tag() {
        let err =
            serde_json::from_str::<ResponseCurve>(r#"{"type":"hill","L":1,"k":1,"a":1,"x":0}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `x`"), "{err}");
    }

    #[test]
    fn invalid_parameter_is_rejected_through_the_tag() {
        let err = serde_json::from_str::<ResponseCurve>(r#"{"type":"hill","L":-1,"k":1,"a":1}"#).unwrap_err();
        assert!(
            err.to_string().contains("hill parameter `L` must be a number in [1e-6, 1e12], found -1"),
            "{err}"
        );
        assert!(serde_json::from_str::<ResponseCurve>(r#"{"type":"spline","L":1}"#).is_err());
        assert!(serde_json::from_str::<ResponseCurve>(r#"{"L":1,"k":1,"a":1}"#).is_err());
    }

    #[test]
    fn every_family_round_trips_with_its_tag() {
        let curves: Vec<ResponseCurve> = vec![
            Linear::new(50.0, Some(10.0)).expect("valid").into(),
            Linear::new(50.0, None).expect("valid").into(),
            Hill::new(1000.0, 5000.0, 2.0).expect("valid").into(),
            Exponential::new(100.0, 10.0).expect("valid").into(),
            Logistic::new(100.0, 0.5).expect("valid").into(),
            MichaelisMenten::new(300.0, 100.0).expect("valid").into(),
            RisingCpl::new(10.0, 100.0, 1.0).expect("valid").into(),
            PiecewiseLinear::new(vec![(100.0, 10.0), (300.0, 20.0)]).expect("valid").into(),
        ];
        for c in curves {
            let json = serde_json::to_string(&c).expect("serializes");
            assert!(json.contains(&format!(r#""type":"{}""#, c.family())), "{json}");
            let back: ResponseCurve = serde_json::from_str(&json).expect("deserializes");
            assert_eq!(back, c);
            // Unknown fields are rejected for every family, not only Hill.
            let extra = format!("{},\"zzz\":1}}", json.trim_end_matches('}'));
            assert!(serde_json::from_str::<ResponseCurve>(&extra).is_err(), "{extra}");
        }
    }

    #[test]
    #[allow(clippy::float_cmp)] // only exact values (infinities) are compared with ==
    fn plan_file_field_names() {
        let parse = |s: &str| serde_json::from_str::<ResponseCurve>(s).expect(s);
        assert_eq!(parse(r#"{"type":"linear","cpl":50}"#).max_leads(), f64::INFINITY);
        parse(r#"{"type":"linear","cpl":50,"cap":10}"#);
        parse(r#"{"type":"exponential","L":100,"k":10}"#);
        parse(r#"{"type":"logistic","L":100,"lambda":0.5}"#);
        parse(r#"{"type":"michaelis_menten","V":300,"K":100}"#);
        parse(r#"{"type":"rising_cpl","base":10,"l0":100,"beta":1}"#);
        parse(r#"{"type":"piecewise_linear","points":[[100,10],[300,20]]}"#);
    }

    #[test]
    fn scaled_by_validates_factor() {
        let r = ResponseCurve::from(Hill::new(1000.0, 5000.0, 1.0).expect("valid"));
        assert!(tol::approx_eq(
            r.scaled_by(2.0).expect("valid factor").leads(5000.0),
            1000.0,
            tol::INVERSION_REL
        ));
        assert_eq!(
            r.scaled_by(f64::NAN).unwrap_err().to_string(),
            "scale parameter `factor` must be a number in [1e-24, 1e24], found NaN"
        );
    }

    #[test]
    fn a_scaled_curve_stays_within_what_a_file_accepts() {
        // The fuzzing finding: 9e9 leads at no spend scaled a CPL of 100 to 2.2e-7.
        let r = ResponseCurve::from(Linear::new(100.0, None).expect("valid"));
        let out = r.scaled_by(4.5e8).expect("a valid factor");
        assert_eq!(
            out.checked().unwrap_err().to_string(),
            "linear parameter `cpl` must be a number in [1e-6, 1e15], found 2.2222222222222222e-7"
        );
        let scaled = r.scaled_by(1e8).and_then(|c| c.checked()).expect("CPL 1e-6 is accepted");
        let json = serde_json::to_string(&scaled).expect("serializes");
        assert_eq!(serde_json::from_str::<ResponseCurve>(&json).expect("loads back"), scaled);
    }
}
