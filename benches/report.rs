//! Benchmark of the HTML report.
//!
//! - `report/render/b2b_case`: the page of the B2B case (24 modules, 12 weeks) with its time
//!   model, eight weeks of actuals (diagnosis) and an uncertainty section (2 000 draws, full
//!   cycle): every evaluation, the optimum, the Monte Carlo and every chart (target well under
//!   a second).
//!
//! Run: `cargo bench --features report --bench report`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use offergraph::page::Page;

#[path = "../tests/report_case.rs"]
mod report_case;

fn render(c: &mut Criterion) {
    let scenario = report_case::scenario().expect("the case loads");
    let actuals = report_case::actuals(&scenario).expect("the actuals simulate");
    let mut group = c.benchmark_group("report/render");
    group.sample_size(10);
    group.bench_function("b2b_case", |b| {
        b.iter(|| {
            let html = Page::new(black_box(&scenario)).with_actuals(&actuals).render().expect("renders");
            assert!(html.contains("id=\"risk\"") && !html.contains("Left out"));
            html.len()
        })
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
