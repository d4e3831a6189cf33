//! Known answers worked by hand: the gap decomposition (with a lag, with a sales team) and the
//! conjugate updates; calibration written back and loaded again.

use super::fixtures::{b2b, one_module};
use crate::common::close;
use offergraph::actuals::{
    ActualRow, Actuals, DiagnoseOptions, Diagnosis, Link, Observation, Posterior, Review,
};
use offergraph::time::{Horizon, Lag, SalesTeam, TimeModel};
use offergraph::{Plan, Scenario};

fn rows(items: &[(usize, Observation)]) -> Vec<ActualRow> {
    items.iter().map(|(t, o)| ActualRow::new(*t, "m0", *o)).collect()
}

/// Diagnoses `plan` with default options against `weeks` periods of `week` on module m0.
fn diagnose_m0(plan: &Plan, time: Option<&TimeModel>, weeks: usize, week: Observation) -> Diagnosis {
    let data = (0..weeks).map(|t| ActualRow::new(t, "m0", week)).collect();
    let actuals = Actuals::from_rows("t", data, plan, time).expect("valid");
    Diagnosis::new(plan, time, &actuals, DiagnoseOptions::new()).expect("diagnoses")
}

#[test]
fn the_gap_splits_into_links_that_add_up_with_a_lag() {
    // Half the deals close in the lead's week, half the week after. Plan: 10 leads a week.
    let plan = one_module(2);
    let time = TimeModel::new(Horizon::weeks(2).expect("valid"))
        .with_offer_lag("install", Lag::from_weights(vec![0.5, 0.5]).expect("valid"));
    let data = rows(&[
        (0, Observation::new(800.0, 6.0, 1.0, 900.0)),
        (1, Observation::new(1_000.0, 12.0, 2.0, 2_000.0)),
    ]);
    let actuals = Actuals::from_rows("t", data, &plan, Some(&time)).expect("valid");
    let review = Review::new(&plan, Some(&time), &actuals).expect("reviews");
    let m = review.module(&plan, "m0").expect("module");
    // Week 0. Plan GP: 0.5 · 10 leads · 0.2 · 500 = 500. At 800 spent the curve gives 8 leads
    // (400); 6 arrived (300); all processed (300); 1 deal closed (500); revenue 900 · 0.5 = 450.
    let w0 = &m.periods[0];
    assert!(close(w0.planned.gross_profit, 500.0));
    assert!(close(w0.gap.delivery, -100.0));
    assert!(close(w0.gap.cost, -100.0));
    assert!(close(w0.gap.capacity, 0.0));
    assert!(close(w0.gap.conversion, 200.0));
    assert!(close(w0.gap.deal_value, -50.0));
    assert!(close(w0.gap.total(), 450.0 - 500.0));
    // Week 1: deals due are half of each week's: plan (5 + 5)·0.2·500 = 1000; at the spend made
    // (4 + 5)·100 = 900; with the leads that came (3 + 6)·100 = 900; 2 deals = 1000; GP 1000.
    let w1 = &m.periods[1];
    assert!(close(w1.planned.gross_profit, 1_000.0));
    assert!(close(w1.expected.deals, 1.8));
    assert!(close(w1.gap.delivery, -100.0));
    assert!(close(w1.gap.cost, 0.0));
    assert!(close(w1.gap.conversion, 100.0));
    assert!(close(w1.gap.deal_value, 0.0));
    assert!(close(m.to_date.total(), -50.0));
    assert!(close(review.total().delivery, -200.0));
}

#[test]
fn capacity_takes_the_leads_the_team_did_not_process() {
    // A desk of one rep calling one lead a day, five days: 5 leads a week; lost above that.
    let plan = one_module(1);
    let time = TimeModel::new(Horizon::weeks(1).expect("valid"))
        .with_team(SalesTeam::new("desk", 1.0, 1.0, 5.0).expect("valid").with_module("m0"));
    let data = rows(&[(0, Observation::new(1_000.0, 10.0, 1.0, 1_000.0).with_processed(4.0))]);
    let actuals = Actuals::from_rows("t", data, &plan, Some(&time)).expect("valid");
    let review = Review::new(&plan, Some(&time), &actuals).expect("reviews");
    let w = &review.module(&plan, "m0").expect("module").periods[0];
    // Plan: 5 of 10 leads processed, 1 deal, GP 500. 4 processed: 400 expected; 1 deal: 500.
    assert!(close(w.planned.gross_profit, 500.0));
    assert!(close(w.gap.delivery, 0.0) && close(w.gap.cost, 0.0));
    assert!(close(w.gap.capacity, -100.0));
    assert!(close(w.gap.conversion, 100.0));
    assert!(close(w.gap.deal_value, 0.0));
}

#[test]
fn conjugate_updates_match_the_formulas_by_hand() {
    // Three weeks of 30 planned leads; a prior worth 2 weeks: Gamma(60, 60), Beta(12, 48).
    let plan = b2b(1, 100.0, 9_000.0);
    let time = TimeModel::new(Horizon::weeks(3).expect("valid"));
    let data = [(28.0, 5.0), (32.0, 7.0), (30.0, 6.0)]
        .iter()
        .enumerate()
        .map(|(t, &(l, d))| ActualRow::new(t, "m0", Observation::new(3_000.0, l, d, d * 1_000.0)))
        .collect();
    let actuals = Actuals::from_rows("t", data, &plan, Some(&time)).expect("valid");
    let two = DiagnoseOptions::new().with_prior_periods(2.0);
    let d = Diagnosis::new(&plan, Some(&time), &actuals, two).expect("diagnoses");
    let m = &d.modules()[0];
    // Leads: 60 + 90 arrived over 60 + 90 expected.
    assert_eq!(m.lead_scale, Posterior::Gamma { shape: 150.0, rate: 150.0 });
    // Deals: 12 + 18, and 48 + (90 − 18).
    assert_eq!(m.conversion, Posterior::Beta { alpha: 30.0, beta: 120.0 });
    // Deal value: every deal at 1000, the plan's; prior worth 12 deals. The log of an average
    // of d deals has variance v(d) = ln(1 + (e^0.25 − 1)/d) and mean ln 1000 − v(d)/2.
    let v = |d: f64| (1.0 + (0.25f64.exp() - 1.0) / d).ln();
    let precision = 1.0 / v(12.0) + 1.0 / v(5.0) + 1.0 / v(7.0) + 1.0 / v(6.0);
    let mean = (1_000f64.ln() / v(12.0)
        + (1_000f64.ln() + v(5.0) / 2.0) / v(5.0)
        + (1_000f64.ln() + v(7.0) / 2.0) / v(7.0)
        + (1_000f64.ln() + v(6.0) / 2.0) / v(6.0))
        / precision;
    let Posterior::LogNormal { median, sigma } = m.deal_value else { panic!("log-normal") };
    assert!((median.ln() - mean).abs() < 1e-12 && (sigma - precision.recip().sqrt()).abs() < 1e-12);
    assert_eq!(m.weak_link, None);
    // A discount of 0.5 weighs week 1 by a half and week 0 by a quarter.
    let half = Diagnosis::new(&plan, Some(&time), &actuals, two.with_discount(0.5)).expect("diagnoses");
    let shape = 60.0 + 0.25 * 28.0 + 0.5 * 32.0 + 30.0;
    let rate = 60.0 + 0.25 * 30.0 + 0.5 * 30.0 + 30.0;
    assert_eq!(half.modules()[0].lead_scale, Posterior::Gamma { shape, rate });
}

#[test]
fn a_channel_that_spends_half_its_budget_is_a_delivery_problem() {
    let plan = b2b(1, 100.0, 36_000.0);
    let time = TimeModel::new(Horizon::weeks(12).expect("valid"));
    let d = diagnose_m0(&plan, Some(&time), 6, Observation::new(1_500.0, 15.0, 3.0, 3_000.0));
    let m = &d.modules()[0];
    assert_eq!(m.weak_link, Some(Link::Delivery));
    assert_eq!(m.probability, 1.0);
    assert!(m.reason.contains("delivery: spent 9000 vs plan 18000"), "{}", m.reason);
}

#[test]
fn the_calibrated_plan_saves_loads_and_keeps_what_was_learned() {
    let plan = b2b(2, 100.0, 72_000.0);
    let time = TimeModel::new(Horizon::weeks(12).expect("valid"))
        .with_offer_lag("install", Lag::from_weights(vec![0.5, 0.5]).expect("valid"));
    let mut scenario = Scenario::new(plan).with_time(time).expect("valid");
    // m0 brings 20% fewer leads and half the conversion; m1 has no data.
    let d = diagnose_m0(scenario.plan(), scenario.time(), 8, Observation::new(3_000.0, 24.0, 2.4, 2_400.0));
    let m0 = d.modules()[0].calibrated();
    assert!(m0.lead_scale.p50 < 0.9 && m0.conversion.p50 < 0.15);
    scenario.edit(|plan| d.calibrate(plan)).expect("calibrates");
    let json = scenario.to_json();
    let again = Scenario::from_json(&json).expect("loads");
    assert_eq!(again.to_json(), json);
    let m = again.plan().module("m0").expect("module");
    assert_eq!(m.economics().conversion, m0.conversion.p50);
    // The curve is the plan's scaled by the lead scale's median: 3000 buys 30 · θ leads.
    use offergraph::curves::Curve;
    assert!((m.economics().curve.leads(3_000.0) - 30.0 * m0.lead_scale.p50).abs() < 1e-9);
    assert!(again.plan().module("m1").expect("module").overrides().is_empty());
}

#[test]
fn the_report_has_exactly_the_fields_the_diagnose_example_prints() {
    let plan = b2b(2, 100.0, 24_000.0);
    let time = TimeModel::new(Horizon::weeks(12).expect("valid"));
    let d = diagnose_m0(&plan, Some(&time), 3, Observation::new(1_000.0, 10.0, 2.0, 2_000.0));
    let report = serde_json::to_value(d.to_report()).expect("serialises");
    let top: Vec<&String> = report.as_object().expect("object").keys().collect();
    assert_eq!(top, ["as_of_period", "modules"]);
    assert_eq!(report["as_of_period"], 2);
    let m0 = report["modules"][0].as_object().expect("object");
    let mut keys: Vec<&str> = m0.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "conversion",
            "full_cycle_romi",
            "key",
            "lead_scale",
            "probability",
            "reason",
            "stable",
            "verdict",
            "weak_link"
        ]
    );
    assert_eq!(report["modules"][0]["key"], "m0");
    assert_eq!(report["modules"][1]["key"], "m1");
    for field in ["lead_scale", "conversion", "full_cycle_romi"] {
        let q = &report["modules"][0][field];
        let (p10, p50, p90) = (q["p10"].as_f64(), q["p50"].as_f64(), q["p90"].as_f64());
        assert!(p10 < p50 && p50 < p90, "{field}: {q}");
    }
    // Three weeks are too few to judge stability: wait, whatever the returns.
    assert_eq!(report["modules"][0]["stable"], false);
    assert_eq!(report["modules"][0]["verdict"], "wait");
    // No data for m1: its prior, no spend to judge.
    assert_eq!(report["modules"][1]["full_cycle_romi"], serde_json::Value::Null);
    assert_eq!(report["modules"][1]["reason"], "no data yet");
}
