//! The laws every response-curve family obeys, checked once for all of them: `r(0) = 0`,
//! non-decreasing, concave beyond the inflection, `scaled` multiplies leads, the derivative
//! matches a central difference, the inverses invert, and plan files round-trip and refuse
//! out-of-range parameters. The plan-file fields and the parameter messages of every family are
//! checked here in one table each; each family's own file keeps its known answers and its quirks.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::{
    Curve, Exponential, Hill, Linear, Logistic, MichaelisMenten, PiecewiseLinear, ResponseCurve, RisingCpl,
};
use crate::error::CurveError;
use crate::numerics::tol;

/// A curve with the spend scale its laws are probed at.
#[derive(Debug, Clone)]
struct Case {
    curve: ResponseCurve,
    /// Spend that is "one unit" for this curve (`k`, `1/λ`, the cap's spend…).
    scale: f64,
    /// How many units of `scale` the probes range over.
    span: f64,
    /// No kink: the central difference applies everywhere.
    smooth: bool,
    /// Strictly concave beyond the inflection: a slope names one spend.
    strict: bool,
}

fn case(curve: impl Into<ResponseCurve>, scale: f64, span: f64, smooth: bool, strict: bool) -> Case {
    Case { curve: curve.into(), scale, span, smooth, strict }
}

fn cases() -> impl Strategy<Value = Case> {
    let big = 1.0..1e6f64;
    prop_oneof![
        (0.01..1e4f64, proptest::option::of(1.0..1e6f64)).prop_map(|(cpl, cap)| {
            let c = Linear::new(cpl, cap).expect("in range");
            case(c, cpl * cap.unwrap_or(1e4), 3.0, cap.is_none(), false)
        }),
        (big.clone(), big.clone(), 0.2..6.0f64).prop_map(|(l, k, a)| case(
            Hill::new(l, k, a).expect("in range"),
            k,
            20.0,
            true,
            true
        )),
        (big.clone(), big.clone()).prop_map(|(l, k)| case(
            Exponential::new(l, k).expect("in range"),
            k,
            20.0,
            true,
            true
        )),
        (big.clone(), 1e-6..1.0f64).prop_map(|(l, lambda)| case(
            Logistic::new(l, lambda).expect("in range"),
            1.0 / lambda,
            10.0,
            true,
            true
        )),
        (big.clone(), big).prop_map(|(v, k)| case(
            MichaelisMenten::new(v, k).expect("in range"),
            k,
            100.0,
            true,
            true
        )),
        (0.01..1e4f64, 1.0..1e6f64, 0.0..5.0f64).prop_map(|(b, l0, beta)| {
            // Linear when β = 0: the slope is constant, so it names no single spend.
            case(RisingCpl::new(b, l0, beta).expect("in range"), b * l0, 1e4, true, beta > 1e-3)
        }),
        proptest::collection::vec((1.0..1e4f64, 0.0..1e3f64), 1..8).prop_map(|steps| {
            let (mut s, mut l, mut points) = (0.0, 0.0, Vec::new());
            for (ds, dl) in steps {
                (s, l) = (s + ds, l + dl);
                points.push((s, l));
            }
            case(PiecewiseLinear::new(points).expect("in range"), s, 1.5, false, false)
        }),
    ]
}

/// Leads agree to the budget tolerance, or absolutely when both are tiny.
fn same_leads(a: f64, b: f64) -> bool {
    tol::approx_eq(a, b, tol::BUDGET_REL)
}

fn monotone_from_zero(c: &ResponseCurve, lo: f64, hi: f64) -> Result<(), TestCaseError> {
    prop_assert!(tol::approx_eq(c.leads(0.0), 0.0, tol::INVERSION_REL));
    prop_assert!(c.leads(lo) <= c.leads(hi), "r({lo}) > r({hi})");
    prop_assert!(c.derivative(lo) >= 0.0);
    Ok(())
}

fn concave_beyond_inflection(c: &ResponseCurve, x: f64, y: f64) -> Result<(), TestCaseError> {
    let (x, y) = (c.inflection() + x, c.inflection() + y);
    let mid = c.leads(0.5 * (x + y));
    let chord = 0.5 * (c.leads(x) + c.leads(y));
    prop_assert!(mid >= chord - tol::BUDGET_REL * chord.max(1.0), "r(mid) {mid} below the chord {chord}");
    Ok(())
}

fn central_difference(c: &ResponseCurve, s: f64) -> Result<(), TestCaseError> {
    let h = s * 1e-5;
    let fd = (c.leads(s + h) - c.leads(s - h)) / (2.0 * h);
    let d = c.derivative(s);
    // Truncation is below √BUDGET_REL of the slope for these steps; rounding of the two leads
    // values is amplified by 1/(2h).
    let rounding = 4.0 * f64::EPSILON * c.leads(s + h) / h;
    prop_assert!((fd - d).abs() <= tol::BUDGET_REL.sqrt() * d + rounding, "fd {fd} vs derivative {d} at {s}");
    Ok(())
}

fn inverses(c: &ResponseCurve, s: f64, strict: bool) -> Result<(), TestCaseError> {
    let l = c.leads(s);
    if let Some(back) = c.spend_for_leads(l) {
        prop_assert!(same_leads(c.leads(back), l), "spend_for_leads({l}) = {back} gives {}", c.leads(back));
    }
    let beyond = c.inflection() + s;
    let d = c.derivative(beyond);
    if strict && d > 0.0 {
        let back = c.spend_for_slope(d);
        prop_assert!(back >= c.inflection());
        let r = c.derivative(back);
        prop_assert!((r - d).abs() <= tol::BUDGET_REL * d, "slope {d} gave spend {back} with slope {r}");
    }
    Ok(())
}

fn file_round_trip(c: &ResponseCurve) -> Result<(), TestCaseError> {
    let json = serde_json::to_value(c).expect("serializes");
    let back: ResponseCurve = serde_json::from_value(json.clone()).expect("deserializes");
    prop_assert_eq!(&back, c);
    // Every numeric parameter set to a negative number is refused.
    let serde_json::Value::Object(fields) = json else { return Err(TestCaseError::fail("not an object")) };
    for (name, value) in &fields {
        if value.is_number() {
            let mut bad = fields.clone();
            bad.insert(name.clone(), serde_json::json!(-1.0));
            prop_assert!(
                serde_json::from_value::<ResponseCurve>(bad.into()).is_err(),
                "{name} = -1 accepted"
            );
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn every_family_obeys_the_laws(
        c in cases(),
        x in 0.0..1.0f64,
        y in 0.0..1.0f64,
        m in 0.001..1.0f64,
        f in 0.01..100.0f64,
    ) {
        let (x, y, m) = (x * c.span * c.scale, y * c.span * c.scale, m * c.span * c.scale);
        let curve = &c.curve;
        monotone_from_zero(curve, x.min(y), x.max(y))?;
        concave_beyond_inflection(curve, x, y)?;
        prop_assert!(same_leads(curve.scaled(f).leads(x), f * curve.leads(x)));
        if c.smooth {
            central_difference(curve, m)?;
        }
        inverses(curve, x, c.strict)?;
        file_round_trip(curve)?;
    }
}

/// What `concave_saturation!` gives every family it builds, at the edges of the inputs: spend
/// below zero or NaN brings nothing, infinite spend reaches the level with a flat slope, the level
/// itself is never reached, and a zero slope is never reached either.
#[test]
#[allow(clippy::float_cmp)] // only exact values (infinities, zero) are compared with ==
fn every_saturating_family_meets_its_edges() {
    for (c, level) in [
        (ResponseCurve::from(Exponential::new(1000.0, 200.0).expect("valid")), 1000.0),
        (Logistic::new(100.0, 0.5).expect("valid").into(), 100.0),
        (MichaelisMenten::new(300.0, 100.0).expect("valid").into(), 300.0),
    ] {
        assert!(c.is_concave(), "{c:?}");
        assert_eq!(c.max_leads(), level);
        assert_eq!(c.inflection(), 0.0);
        for s in [-3.0, -1.0, f64::NAN] {
            assert!(tol::approx_eq(c.leads(s), 0.0, tol::INVERSION_REL), "{c:?} at {s}");
        }
        for s in [f64::MAX, f64::INFINITY] {
            assert!(tol::approx_eq(c.leads(s), level, tol::INVERSION_REL), "{c:?} at {s}");
        }
        assert!(tol::approx_eq(c.derivative(f64::INFINITY), 0.0, tol::INVERSION_REL), "{c:?}");
        assert_eq!(c.spend_for_slope(0.0), f64::INFINITY);
        assert_eq!(c.spend_for_leads(level), None);
        assert_eq!(c.spend_for_leads(f64::NAN), None);
        assert_eq!(c.spend_for_leads(0.0), Some(0.0));
        assert_eq!(c.spend_for_leads(-1.0), Some(0.0));
    }
}

/// The message of a constructor's error.
fn message<C: std::fmt::Debug>(made: Result<C, CurveError>) -> String {
    made.unwrap_err().to_string()
}

#[test]
fn every_family_names_the_parameter_and_the_value() {
    for (found, expected) in [
        (message(Linear::new(0.0, None)), "linear parameter `cpl` must be a number in [1e-6, 1e15], found 0"),
        (
            message(Linear::new(f64::NAN, None)),
            "linear parameter `cpl` must be a number in [1e-6, 1e15], found NaN",
        ),
        (
            message(Linear::new(1.0, Some(f64::INFINITY))),
            "linear parameter `cap` must be a number in [1e-6, 1e12], found inf",
        ),
        (
            message(Linear::new(1.0, Some(-4.0))),
            "linear parameter `cap` must be a number in [1e-6, 1e12], found -4",
        ),
        (
            message(Hill::new(-1.0, 10.0, 1.0)),
            "hill parameter `L` must be a number in [1e-6, 1e12], found -1",
        ),
        (
            message(Hill::new(1.0, f64::NAN, 1.0)),
            "hill parameter `k` must be a number in [1e-6, 1e15], found NaN",
        ),
        (
            message(Hill::new(1.0, 1.0, f64::INFINITY)),
            "hill parameter `a` must be a number in [0.01, 10], found inf",
        ),
        (message(Hill::new(1.0, 1.0, 0.0)), "hill parameter `a` must be a number in [0.01, 10], found 0"),
        (
            message(Exponential::new(f64::NAN, 1.0)),
            "exponential parameter `L` must be a number in [1e-6, 1e12], found NaN",
        ),
        (
            message(Exponential::new(1.0, f64::INFINITY)),
            "exponential parameter `k` must be a number in [1e-6, 1e15], found inf",
        ),
        (
            message(Exponential::new(1.0, -2.5)),
            "exponential parameter `k` must be a number in [1e-6, 1e15], found -2.5",
        ),
        (
            message(Logistic::new(-1.0, 1.0)),
            "logistic parameter `L` must be a number in [1e-6, 1e12], found -1",
        ),
        (
            message(Logistic::new(1.0, f64::NAN)),
            "logistic parameter `lambda` must be a number in [1e-15, 1e6], found NaN",
        ),
        (
            message(Logistic::new(1.0, f64::INFINITY)),
            "logistic parameter `lambda` must be a number in [1e-15, 1e6], found inf",
        ),
        (
            message(MichaelisMenten::new(0.0, 1.0)),
            "michaelis_menten parameter `V` must be a number in [1e-6, 1e12], found 0",
        ),
        (
            message(MichaelisMenten::new(1.0, f64::NAN)),
            "michaelis_menten parameter `K` must be a number in [1e-6, 1e15], found NaN",
        ),
        (
            message(MichaelisMenten::new(f64::INFINITY, 1.0)),
            "michaelis_menten parameter `V` must be a number in [1e-6, 1e12], found inf",
        ),
        (
            message(RisingCpl::new(0.0, 1.0, 1.0)),
            "rising_cpl parameter `base` must be a number in [1e-6, 1e15], found 0",
        ),
        (
            message(RisingCpl::new(1.0, f64::NEG_INFINITY, 1.0)),
            "rising_cpl parameter `l0` must be a number in [1e-6, 1e12], found -inf",
        ),
        (
            message(RisingCpl::new(1.0, 1.0, -0.5)),
            "rising_cpl parameter `beta` must be 0 or a number in [1e-6, 10], found -0.5",
        ),
        (
            message(RisingCpl::new(1.0, 1.0, f64::NAN)),
            "rising_cpl parameter `beta` must be 0 or a number in [1e-6, 10], found NaN",
        ),
    ] {
        assert_eq!(found, expected);
    }
}

/// `fields` with the family's tag in front: the curve as a plan file holds it.
fn tagged(family: &str, fields: &str) -> String {
    format!(r#"{{"type":"{family}",{}"#, &fields[1..])
}

#[test]
fn every_family_reads_and_writes_its_plan_file_fields() {
    for (fields, expected, written, refused) in [
        (r#"{"cpl":50}"#, Linear::new(50.0, None).map(ResponseCurve::from), r#"{"cpl":50.0}"#, &[][..]),
        (
            r#"{"cpl":50,"cap":10}"#,
            Linear::new(50.0, Some(10.0)).map(ResponseCurve::from),
            r#"{"cpl":50.0,"cap":10.0}"#,
            &[r#"{"cpl":50,"limit":10}"#, r#"{"cpl":50,"cap":0}"#],
        ),
        (
            r#"{"L":1000,"k":5000,"a":2}"#,
            Hill::new(1000.0, 5000.0, 2.0).map(ResponseCurve::from),
            r#"{"L":1000.0,"k":5000.0,"a":2.0}"#,
            &[r#"{"L":1,"k":1,"a":1,"x":0}"#, r#"{"L":1,"k":1}"#, r#"{"L":-1,"k":5000,"a":2}"#],
        ),
        (
            r#"{"L":100,"k":10}"#,
            Exponential::new(100.0, 10.0).map(ResponseCurve::from),
            r#"{"L":100.0,"k":10.0}"#,
            &[r#"{"L":100,"k":10,"a":1}"#, r#"{"l":100,"k":10}"#],
        ),
        (
            r#"{"L":100,"lambda":0.5}"#,
            Logistic::new(100.0, 0.5).map(ResponseCurve::from),
            r#"{"L":100.0,"lambda":0.5}"#,
            &[r#"{"L":100,"lambda":0.5,"k":1}"#, r#"{"L":100,"lambda":0}"#],
        ),
        (
            r#"{"V":300,"K":100}"#,
            MichaelisMenten::new(300.0, 100.0).map(ResponseCurve::from),
            r#"{"V":300.0,"K":100.0}"#,
            &[r#"{"V":300,"K":100,"L":1}"#, r#"{"v":300,"k":100}"#],
        ),
        (
            r#"{"base":10,"l0":100,"beta":1}"#,
            RisingCpl::new(10.0, 100.0, 1.0).map(ResponseCurve::from),
            r#"{"base":10.0,"l0":100.0,"beta":1.0}"#,
            &[r#"{"base":10,"l0":100,"beta":1,"x":0}"#, r#"{"base":10,"l0":100,"beta":-1}"#],
        ),
    ] {
        let expected = expected.expect("valid");
        let family = expected.family();
        let c: ResponseCurve = serde_json::from_str(&tagged(family, fields)).expect(fields);
        assert_eq!(c, expected);
        assert_eq!(serde_json::to_string(&c).expect("serializes"), tagged(family, written));
        for bad in refused {
            assert!(serde_json::from_str::<ResponseCurve>(&tagged(family, bad)).is_err(), "{bad} accepted");
        }
    }
}
