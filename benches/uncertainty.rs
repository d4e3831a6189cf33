//! Benchmarks of the uncertainty layer.
//!
//! - `uncertainty/evaluate/1k_modules_10k_draws`: the synthetic 1 000-module plan with an
//!   uncertain lead scale per channel and per module, a beta conversion per segment and a
//!   log-normal deal value per offer (1 113 random sources), 10 000 draws: sampling, every
//!   module's and the total's mean, P10/P50/P90 and loss probability (target ≤ 500 ms on two
//!   cores).
//!
//! Run: `cargo bench --bench uncertainty`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use offergraph::sample::synthetic;
use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, Uncertainty};
use offergraph::{PartKind, Plan, Segment};

/// Channels ±30% (log-normal), each module ±15% on top, segments' conversion a beta of strength
/// 200 around their own, offers' deal value ±10%.
fn uncertainty(plan: &Plan) -> Uncertainty {
    let ln = |median: f64, sigma: f64| Distribution::log_normal(median, sigma).expect("valid");
    let mut u = Uncertainty::new();
    for c in ["search", "social", "video"] {
        u = u.with_part(PartKind::Channel, c, Entry::new().with_lead_scale(ln(1.0, 0.3)));
    }
    for s in plan.parts::<Segment>() {
        let c = s.base_conversion();
        let beta = Distribution::beta(200.0 * c, 200.0 * (1.0 - c)).expect("valid");
        u = u.with_part(PartKind::Segment, s.key(), Entry::new().with_conversion(beta));
    }
    for o in 0..10 {
        let p = 2_000.0 + 500.0 * o as f64;
        u = u.with_part(PartKind::Offer, format!("offer-{o}"), Entry::new().with_deal_value(ln(p, 0.1)));
    }
    for m in plan.modules() {
        u = u.with_module(m.key(), Entry::new().with_lead_scale(ln(1.0, 0.15)));
    }
    u
}

fn evaluate(c: &mut Criterion) {
    let plan = synthetic(1_000).expect("synthetic plan");
    let budget = plan.budget().get();
    let u = uncertainty(&plan);
    let mut group = c.benchmark_group("uncertainty/evaluate");
    group.sample_size(10);
    group.bench_function("1k_modules_10k_draws", |b| {
        b.iter(|| {
            let sim = u.simulate(black_box(&plan), MonteCarlo::new().with_draws(10_000)).expect("runs");
            let t = sim.total();
            assert!((t.spend - budget).abs() <= 1e-9 * budget);
            assert!(t.profit.p10 < t.profit.p50 && t.profit.p50 < t.profit.p90);
            sim
        })
    });
    group.finish();
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
