//! Allocation benches: `optimize/<objective>/<mix>/<N>`, fixtures from a seeded LCG.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use offergraph::optimize::{Measure, Objective, Problem, SolveOptions};

#[path = "../tests/common.rs"]
mod common;
#[path = "support/fixtures.rs"]
mod fixtures;
use fixtures::{fixture, with_capacities, with_groups, with_lead_capacity};

fn bench(c: &mut Criterion) {
    let fixed = Objective::MaxValueFixedBudget { measure: Measure::GrossProfit };
    for (name, obj) in [("max_profit", Objective::MaxProfit), ("fixed_budget", fixed)] {
        for (n, tag) in [(1_000, "1k"), (100_000, "100k")] {
            let p = fixture(n, false, obj, 7);
            c.bench_function(&format!("optimize/{name}/concave/{tag}"), |b| {
                b.iter(|| {
                    let s = p.solve(SolveOptions::new()).unwrap();
                    assert!(
                        s.status.is_optimal() && s.kkt_residual <= 1e-9,
                        "{:?} kkt {} gap {} nodes {}",
                        s.status,
                        s.kkt_residual,
                        s.gap(),
                        s.nodes
                    );
                    black_box(s)
                })
            });
        }
        let p = fixture(1_000, true, obj, 11);
        let opts = SolveOptions::new().with_tolerance(1e-4);
        c.bench_function(&format!("optimize/{name}/sshape/1k"), |b| {
            b.iter(|| {
                let s = p.solve(opts).unwrap();
                assert!(s.gap() <= 1e-4 * s.objective.abs());
                black_box(s)
            })
        });
    }
    // the size of the SLSQP comparison's headline row
    let p = fixture(100, false, Objective::MaxProfit, 7);
    c.bench_function("optimize/max_profit/concave/100", |b| {
        b.iter(|| black_box(p.solve(SolveOptions::new()).unwrap()))
    });
    // lead capacity (the third objective of allocation-problem/v1); overlapping groups (the
    // general dual)
    let constrained = [
        (
            "max_profit_lead_capacity/concave",
            with_lead_capacity(fixture(1_000, false, Objective::MaxProfit, 17)),
        ),
        (
            "max_profit_lead_capacity/sshape",
            with_lead_capacity(fixture(1_000, true, Objective::MaxProfit, 17)),
        ),
        ("max_profit/concave_groups", with_groups(fixture(1_000, false, Objective::MaxProfit, 21))),
        ("max_profit/sshape_groups", with_groups(fixture(1_000, true, Objective::MaxProfit, 21))),
    ];
    for (name, p) in &constrained {
        let opts = SolveOptions::new().with_tolerance(1e-4);
        c.bench_function(&format!("optimize/{name}/1k"), |b| {
            b.iter(|| {
                let s = p.solve(opts).unwrap();
                assert!(s.status.is_optimal(), "{:?} gap {}", s.status, s.gap());
                black_box(s)
            })
        });
    }
    // overlapping caps and floors with five overlapping capacities on S-curves: the spatial
    // branch and bound (20 modules, default gap 1e-6) and the general dual (1 000, gap 1e-4)
    for (n, tag, tolerance) in [(20, "20", SolveOptions::DEFAULT_TOLERANCE), (1_000, "1k", 1e-4)] {
        let p = with_capacities(with_groups(fixture(n, true, Objective::MaxProfit, 23)));
        let opts = SolveOptions::new().with_tolerance(tolerance);
        c.bench_function(&format!("optimize/max_profit/sshape_groups_capacities/{tag}"), |b| {
            b.iter(|| {
                let s = p.solve(opts).unwrap();
                assert!(s.status.is_optimal(), "{:?} gap {} nodes {}", s.status, s.gap(), s.nodes);
                black_box(s)
            })
        });
    }
    // fifteen 20-module problems of the same kind (seeds 1–14 and 23): the spatial search's
    // typical cost, where the single instance above is its hardest
    let sample: Vec<Problem> = [23, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
        .map(|s| with_capacities(with_groups(fixture(20, true, Objective::MaxProfit, s))))
        .into();
    c.bench_function("optimize/max_profit/sshape_groups_capacities/20x15", |b| {
        b.iter(|| {
            for p in &sample {
                let s = p.solve(SolveOptions::new()).unwrap();
                assert!(s.status.is_optimal(), "{:?} gap {} nodes {}", s.status, s.gap(), s.nodes);
                black_box(s);
            }
        })
    });
    let mut p = fixture(10_000, false, Objective::MaxProfit, 13);
    let base = p.solve(SolveOptions::new()).unwrap();
    p.set_enabled(1234, false).unwrap();
    c.bench_function("optimize/reoptimize/toggle/10k", |b| {
        b.iter(|| {
            let s = p.resolve(SolveOptions::new(), &base).unwrap();
            assert!(s.spend[1234] == 0.0 && s.objective <= base.objective + 1e-9 * base.objective.abs());
            black_box(s)
        })
    });
}

/// The same toggle through a plan: `Plan::reoptimize` rebuilds the `Problem` from the plan
/// (economics, bounds, groups) before the warm-started solve. The synthetic plan has concave,
/// saturating and S-shaped channels.
fn plan_toggle(c: &mut Criterion) {
    use offergraph::OptimizePolicy;
    let mut plan = offergraph::sample::synthetic(10_000).unwrap();
    let policy = OptimizePolicy::new(Objective::MaxProfit);
    let first = plan.optimize(&policy).unwrap();
    let key = plan.modules().nth(1234).unwrap().key().to_string();
    plan.set_module_enabled(&key, false).unwrap();
    c.bench_function("optimize/reoptimize/plan_toggle/10k", |b| {
        b.iter(|| {
            let next = plan.reoptimize(&policy, &first).unwrap();
            assert!(next.solution().spend[1234] == 0.0 && next.solution().status.is_optimal());
            black_box(next)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(300)).measurement_time(std::time::Duration::from_secs(2));
    targets = bench, plan_toggle
}
criterion_main!(benches);
