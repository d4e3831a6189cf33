//! Benchmarks of the time layer.
//!
//! - `time/evaluate/1k_modules_52_weeks`: split the synthetic 1 000-module plan into 52 weekly
//!   flights with seasonality, five sales teams with a decaying backlog and gamma lags per offer,
//!   and evaluate it (target ≤ 50 ms);
//! - `time/optimize/1k_modules_12_weeks`: allocate the budget over 1 000 modules × 12 weeks within
//!   each team's weekly capacity (target ≤ 1 s).
//!
//! Run: `cargo bench --bench time`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use offergraph::optimize::SolveOptions;
use offergraph::sample::synthetic;
use offergraph::time::{Lag, TimeModel, TimeOptimizeOptions};

#[path = "../tests/common.rs"]
mod common;

/// Five teams, each taking every fifth segment; gamma lags per offer; seasonal weeks.
fn model(periods: usize, segments: usize, reps: f64) -> TimeModel {
    common::seasonal_teams(periods, segments, reps, |o| Lag::gamma(4.0 + o as f64, 2.0).expect("valid"))
}

fn evaluate(c: &mut Criterion) {
    let plan = synthetic(1_000).expect("synthetic plan");
    let budget = plan.budget().get();
    let model = model(52, 100, 2.0);
    c.bench_function("time/evaluate/1k_modules_52_weeks", |b| {
        b.iter(|| {
            let eval = model.evaluate(black_box(&plan)).expect("valid model");
            assert!((eval.in_horizon().spend - budget).abs() <= 1e-9 * budget);
            eval
        })
    });
}

fn optimize(c: &mut Criterion) {
    let plan = synthetic(1_000).expect("synthetic plan");
    let model = model(12, 100, 1.0);
    let mut group = c.benchmark_group("time/optimize");
    group.sample_size(10);
    group.bench_function("1k_modules_12_weeks", |b| {
        b.iter(|| {
            let options =
                TimeOptimizeOptions::new().with_solve_options(SolveOptions::new().with_tolerance(1e-6));
            let best = model.optimize(black_box(&plan), options).expect("solves");
            assert!(!best.evaluation().is_oversold());
            best
        })
    });
    group.finish();
}

criterion_group!(benches, evaluate, optimize);
criterion_main!(benches);
