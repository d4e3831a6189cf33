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
use offergraph::time::{Horizon, Lag, Overflow, SalesTeam, Seasonality, TimeModel, TimeOptimizeOptions};

/// Five teams, each taking every fifth segment; gamma lags per offer; seasonal weeks.
fn model(periods: usize, segments: usize, reps: f64) -> TimeModel {
    let season: Vec<f64> =
        (0..periods).map(|t| 1.0 + 0.3 * (t as f64 * std::f64::consts::TAU / 52.0).sin()).collect();
    let mut m = TimeModel::new(Horizon::weeks(periods).expect("periods > 0"))
        .with_seasonality(Seasonality::new().with_base(season).expect("valid"))
        .with_overflow(Overflow::backlog(0.1).expect("valid"));
    for k in 0..5 {
        let mut team = SalesTeam::new(format!("team-{k}"), reps, 8.0, 5.0).expect("valid");
        for s in (k..segments).step_by(5) {
            team = team.with_segment(format!("seg-{s}"));
        }
        m = m.with_team(team);
    }
    for o in 0..10 {
        m = m.with_offer_lag(format!("offer-{o}"), Lag::gamma(4.0 + o as f64, 2.0).expect("valid"));
    }
    m
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
