//! Verdicts on noise-free actuals that follow the plan exactly, so the posterior sits on the plan
//! and each verdict follows from the plan's own returns, worked by hand. The plan: one module,
//! conversion 0.2, deal value 1000, margin 0.5 (100 of gross profit per lead), 12 weeks.
//!
//! On an exponential curve `L·(1 − e^{−x/k})` spent at `x = k`, a lead costs on average
//! `k / (0.632·L)` and at the margin `k / (0.368·L)`: full-cycle ROMI `63.2·L/k − 1`, marginal
//! ROMI `36.8·L/k − 1`.

use super::fixtures::{b2b, with_curve};
use offergraph::Plan;
use offergraph::actuals::{
    ActualRow, Actuals, DiagnoseOptions, Diagnosis, ModuleDiagnosis, Observation, Verdict,
};
use offergraph::curves::Exponential;
use offergraph::time::{Horizon, TimeModel};

const BUDGET: f64 = 36_000.0;

/// Diagnoses `weeks` of actuals equal to the plan's expected figures, times `leads[t]` for the
/// leads (and so the deals).
fn diagnose(plan: &Plan, leads: &[f64], target: f64) -> ModuleDiagnosis {
    let time = TimeModel::new(Horizon::weeks(12).expect("valid"));
    let eval = time.evaluate(plan).expect("evaluates");
    let m = eval.module(plan, "m0").expect("module");
    let rows = leads
        .iter()
        .enumerate()
        .map(|(t, f)| {
            let deals = m.deals[t] * f;
            ActualRow::new(t, "m0", Observation::new(m.spend[t], m.leads[t] * f, deals, deals * 1_000.0))
        })
        .collect();
    let actuals = Actuals::from_rows("t", rows, plan, Some(&time)).expect("valid");
    let options = DiagnoseOptions::new().with_target_romi(target);
    let d = Diagnosis::new(plan, Some(&time), &actuals, options).expect("diagnoses");
    d.modules()[0].clone()
}

fn exponential(l_over_k: f64) -> Plan {
    with_curve(1, Exponential::new(l_over_k * BUDGET, BUDGET).expect("valid").into(), BUDGET)
}

#[test]
fn a_cheap_stable_linear_module_scales_up() {
    // CPL 50: ROMI 100% on average and at the margin.
    let m = diagnose(&b2b(1, 50.0, BUDGET), &[1.0; 12], 0.0);
    assert_eq!(m.verdict, Verdict::ScaleUp, "{}", m.reason);
    assert!(m.verdict_probability > 0.99);
    assert!(m.stability.stable && m.weak_link.is_none());
    let romi = m.full_cycle_romi.expect("spend");
    assert!((romi.p50 - 1.0).abs() < 0.05, "{romi:?}");
    let head = format!(
        "full-cycle ROMI {:.0}% (P10 {:.0}%, P90 {:.0}%) vs target 0%, stable; the next unit of spend still beats the target with P = 1.00",
        100.0 * romi.p50,
        100.0 * romi.p10,
        100.0 * romi.p90
    );
    assert_eq!(m.reason, head);
}

#[test]
fn an_expensive_linear_module_is_switched_off() {
    // CPL 200: ROMI −50% at any spend.
    let m = diagnose(&b2b(1, 200.0, BUDGET), &[1.0; 12], 0.0);
    assert_eq!(m.verdict, Verdict::SwitchOff, "{}", m.reason);
    assert!(m.reason.contains("below it at any spend with P = 1.00"), "{}", m.reason);
    // The max sustainable CPL is the value of a lead, about 100.
    let max = m.max_sustainable_cpl.p50;
    assert!((max - 100.0).abs() < 5.0, "{max}");
    assert!(m.reason.ends_with(&format!("; CPL 200.00 vs max sustainable {max:.2}")), "{}", m.reason);
}

#[test]
fn at_break_even_the_evidence_cannot_decide() {
    // CPL 100: ROMI 0, the target: above or below with probability about one half.
    let m = diagnose(&b2b(1, 100.0, BUDGET), &[1.0; 12], 0.0);
    assert_eq!(m.verdict, Verdict::Wait, "{}", m.reason);
    assert!(m.reason.contains("not enough evidence"), "{}", m.reason);
}

#[test]
fn a_good_module_whose_volume_dropped_is_not_called_good() {
    // CPL 50, but leads fall to 60% from week 6: still above target, not stable.
    let leads: Vec<f64> = (0..12).map(|t| if t < 6 { 1.0 } else { 0.6 }).collect();
    let m = diagnose(&b2b(1, 50.0, BUDGET), &leads, 0.0);
    assert!(!m.stability.stable && m.stability.shift_p < 0.01);
    assert_eq!(m.verdict, Verdict::Wait, "{}", m.reason);
    assert!(m.reason.contains("not stable yet over 12 period(s)"), "{}", m.reason);
}

#[test]
fn saturating_curves_replicate_keep_or_scale_down() {
    // L/k = 0.035: ROMI 121%, marginal 29%; target 50%: replicate.
    let m = diagnose(&exponential(0.035), &[1.0; 12], 0.5);
    assert_eq!(m.verdict, Verdict::Replicate, "{}", m.reason);
    let marginal = m.marginal_romi.expect("spend");
    assert!((marginal.p50 - 0.288).abs() < 0.03, "{marginal:?}");
    // L/k = 0.0272: marginal ROMI about 0; target 30%: keep.
    let m = diagnose(&exponential(0.0272), &[1.0; 12], 0.3);
    assert_eq!(m.verdict, Verdict::Keep, "{}", m.reason);
    // L/k = 0.02: ROMI 26%, marginal −26%; target 0: overspent, scale down.
    let m = diagnose(&exponential(0.02), &[1.0; 12], 0.0);
    assert_eq!(m.verdict, Verdict::ScaleDown, "{}", m.reason);
    assert!(m.reason.contains("the next unit of spend loses money"), "{}", m.reason);
    // Same module, target 50%: below it at the spend made, above it at a lower spend (the first
    // unit returns 100%).
    let m = diagnose(&exponential(0.02), &[1.0; 12], 0.5);
    assert_eq!(m.verdict, Verdict::ScaleDown, "{}", m.reason);
    assert!(m.reason.contains("above it at a lower spend"), "{}", m.reason);
}

#[test]
fn verdicts_print_as_the_report_names_them() {
    let names: Vec<&str> = [
        Verdict::Keep,
        Verdict::ScaleUp,
        Verdict::ScaleDown,
        Verdict::SwitchOff,
        Verdict::Replicate,
        Verdict::Wait,
    ]
    .iter()
    .map(|v| v.name())
    .collect();
    assert_eq!(names, ["keep", "scale_up", "scale_down", "switch_off", "replicate", "wait"]);
}
