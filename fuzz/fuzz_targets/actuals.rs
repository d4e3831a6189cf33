//! Actuals tables: any text `Actuals::from_csv` or `Actuals::from_json` accepts against a fixed
//! small plan with a time section (`offergraph_fuzz::actuals_scenario`: three modules, six weeks,
//! a lag and a sales desk) must review, diagnose and calibrate without panicking; every figure
//! of the review, the diagnosis (posteriors, quantiles, probabilities, ROMI, CPL), the calibrated
//! plan's evaluations and a short Monte Carlo of the calibrated scenario must be finite, and the
//! calibrated scenario file must load back. Errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use offergraph::Scenario;
use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis, Quantiles, Review};
use offergraph::uncertainty::MonteCarlo;
use offergraph_fuzz as check;

fn quantiles(what: &str, q: Quantiles) {
    for (name, x) in [("p10", q.p10), ("p50", q.p50), ("p90", q.p90)] {
        check::finite(&format!("{what}.{name}"), x);
    }
    assert!(q.p10 <= q.p50 && q.p50 <= q.p90, "{what}: quantiles out of order {q:?}");
}

fn probability(what: &str, p: f64) {
    assert!((0.0..=1.0).contains(&p), "{what} is not a probability: {p}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let scenario = check::actuals_scenario();
    let (plan, time) = (scenario.plan(), scenario.time());
    for table in
        [Actuals::from_csv("fuzz.csv", text, plan, time), Actuals::from_json("fuzz.json", text, plan, time)]
    {
        let Ok(actuals) = table else { continue };
        if let Ok(review) = Review::new(plan, time, &actuals) {
            for m in review.modules() {
                for p in &m.periods {
                    for (name, e) in
                        [("planned", &p.planned), ("expected", &p.expected), ("actual", &p.actual)]
                    {
                        for (field, x) in [
                            ("spend", e.spend),
                            ("leads", e.leads),
                            ("deals", e.deals),
                            ("gross_profit", e.gross_profit),
                        ] {
                            check::finite(&format!("review.{}[{}].{name}.{field}", m.key, p.period), x);
                        }
                    }
                    for (link, x) in p.gap.links() {
                        check::finite(&format!("review.{}[{}].gap.{link}", m.key, p.period), x);
                    }
                }
                for (link, x) in m.to_date.links() {
                    check::finite(&format!("review.{}.to_date.{link}", m.key), x);
                }
            }
        }
        let Ok(d) = Diagnosis::new(plan, time, &actuals, DiagnoseOptions::new()) else { continue };
        for m in d.modules() {
            let what = format!("diagnosis.{}", m.key);
            probability(&format!("{what}.probability"), m.probability);
            probability(&format!("{what}.verdict_probability"), m.verdict_probability);
            for l in &m.links {
                probability(&format!("{what}.{}.probability", l.link.name()), l.probability);
                check::finite(&format!("{what}.{}.expected_shortfall", l.link.name()), l.expected_shortfall);
            }
            let c = m.calibrated();
            quantiles(&format!("{what}.lead_scale"), c.lead_scale);
            quantiles(&format!("{what}.conversion"), c.conversion);
            quantiles(&format!("{what}.deal_value"), c.deal_value);
            for (name, q) in [("full_cycle_romi", m.full_cycle_romi), ("marginal_romi", m.marginal_romi)] {
                if let Some(q) = q {
                    quantiles(&format!("{what}.{name}"), q);
                }
            }
            quantiles(&format!("{what}.max_sustainable_cpl"), m.max_sustainable_cpl);
            check::finite_opt(&format!("{what}.cpl"), m.cpl);
            for (name, x) in [
                ("stability.dispersion", m.stability.dispersion),
                ("stability.dispersion_p", m.stability.dispersion_p),
                ("stability.shift_p", m.stability.shift_p),
            ] {
                check::finite(&format!("{what}.{name}"), x);
            }
        }
        serde_json::to_string(&d.to_report()).expect("the report serialises");
        let mut calibrated = scenario.clone();
        if calibrated.calibrate(&d).is_err() {
            continue;
        }
        // A calibrated scenario is a plan file that loads again (fuzz/findings: a lead scale
        // of ~1e9 once scaled a curve out of the range a file accepts).
        let again = Scenario::from_json(&calibrated.to_json()).expect("a calibrated scenario loads back");
        if let Ok(e) = again.plan().evaluate() {
            check::evaluation("calibrated.evaluate", &e);
        }
        if let Some(Ok(e)) = again.evaluate_time() {
            check::time_evaluation("calibrated.time", &e);
        }
        if let Ok(sim) = again.simulate(MonteCarlo::new().with_draws(16)) {
            check::simulation("calibrated.simulate", &sim);
        }
        if let Some(Ok(sim)) = again.simulate_over_time(MonteCarlo::new().with_draws(8)) {
            check::simulation("calibrated.simulate_over_time", &sim);
        }
    }
});
