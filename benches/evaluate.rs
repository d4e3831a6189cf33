//! Benchmarks of plan evaluation and toggles.
//!
//! - `evaluate/plan/{1k,100k,1m}_modules`: allocate the budget by the rules and evaluate every
//!   module (target: 1M modules in ≤ 100 ms on one core);
//! - `toggle/part/10k_modules`: switch one segment (ten modules) off and on again in a 10 000-module
//!   plan — the cost follows the modules touched, not the plan.
//!
//! Run: `cargo bench --bench evaluate`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use offergraph::PartKind;
use offergraph::sample::synthetic;

fn evaluate(c: &mut Criterion) {
    let mut group = c.benchmark_group("evaluate/plan");
    group.sample_size(20);
    for (name, n) in [("1k_modules", 1_000), ("100k_modules", 100_000), ("1m_modules", 1_000_000)] {
        let plan = synthetic(n).expect("synthetic plan");
        let budget = plan.budget().get();
        group.bench_function(name, |b| {
            b.iter(|| {
                let eval = black_box(&plan).evaluate().expect("feasible");
                assert!((eval.total().spend - budget).abs() <= 1e-9 * budget);
                eval
            })
        });
    }
    group.finish();
}

fn toggle(c: &mut Criterion) {
    let mut plan = synthetic(10_000).expect("synthetic plan");
    c.bench_function("toggle/part/10k_modules", |b| {
        b.iter(|| {
            plan.set_part_enabled(PartKind::Segment, black_box("seg-500"), false).expect("known segment");
            assert!(!plan.module("m-5000").expect("known module").is_active());
            plan.set_part_enabled(PartKind::Segment, black_box("seg-500"), true).expect("known segment");
        })
    });
}

criterion_group!(benches, evaluate, toggle);
criterion_main!(benches);
