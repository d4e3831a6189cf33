//! Benchmarks of the actuals layer.
//!
//! - `actuals/diagnose/10k_modules_52_weeks`: diagnose the synthetic 10 000-module plan over 52
//!   weekly flights (seasonality, five sales teams with a decaying backlog, gamma lags per
//!   offer) against a full year of actuals — the funnel replayed at the actual values, the gap
//!   split into links, the conjugate updates, stability, weak links, ROMI quantiles and verdicts
//!   (target ≤ 200 ms). Reading the table is not timed: it is built once, outside the loop.
//!
//! Run: `cargo bench --bench actuals -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use offergraph::actuals::{ActualRow, Actuals, DiagnoseOptions, Diagnosis, Observation};
use offergraph::sample::synthetic;
use offergraph::time::{Lag, TimeModel};

#[path = "../tests/common.rs"]
mod common;

const WEEKS: usize = 52;

/// Five teams, each taking every fifth segment; gamma lags per offer; seasonal weeks.
fn model(segments: usize) -> TimeModel {
    common::seasonal_teams(WEEKS, segments, 20.0, |o| Lag::gamma(2.0 + o as f64 / 3.0, 1.0).expect("valid"))
}

/// A year of actuals: the plan's expected figures with seeded noise (spend ±10%, leads ±20%,
/// deals −30%…+10%), revenue at the module's deal value.
fn actuals(plan: &offergraph::Plan, time: &TimeModel) -> Actuals {
    let eval = time.evaluate(plan).expect("evaluates");
    let mut rng = common::Lcg(7);
    let mut rows = Vec::with_capacity(plan.module_count() * WEEKS);
    for m in plan.modules() {
        let s = eval.module(plan, m.key()).expect("module");
        for t in 0..WEEKS {
            let deals = (s.deals[t] * rng.range(0.7, 1.1)).round();
            let o = Observation::new(
                s.spend[t] * rng.range(0.9, 1.1),
                (s.leads[t] * rng.range(0.8, 1.2)).round().max(deals),
                deals,
                deals * s.deal_value,
            );
            rows.push(ActualRow::new(t, m.key(), o));
        }
    }
    Actuals::from_rows("bench", rows, plan, Some(time)).expect("valid actuals")
}

fn diagnose(c: &mut Criterion) {
    let plan = synthetic(10_000).expect("synthetic plan");
    let time = model(1_000);
    let table = actuals(&plan, &time);
    let mut group = c.benchmark_group("actuals/diagnose");
    group.sample_size(10);
    group.bench_function("10k_modules_52_weeks", |b| {
        b.iter(|| {
            let d = Diagnosis::new(black_box(&plan), Some(&time), &table, DiagnoseOptions::new())
                .expect("diagnoses");
            assert_eq!(d.as_of_period(), WEEKS - 1);
            assert!(d.modules().iter().all(|m| m.periods == WEEKS));
            d
        })
    });
    group.finish();
}

criterion_group!(benches, diagnose);
criterion_main!(benches);
