//! The HTML report of the B2B case: `tests/cases/b2b-12-weeks.json` (24 modules, 12 weeks, one
//! sales desk, a 6-week lag) with an uncertainty section and eight weeks of simulated actuals in
//! which one module's conversion halved and one module's leads cost 30% more (the inputs are
//! built by `tests/report_case.rs`, shared with the report's tests and bench).
//!
//! The page shows the plan table, every module's response curve with its current and optimal
//! spend, the allocation before and after, rollups by channel and by every tag, weekly naive vs
//! full-cycle ROMI, the cohort heat map, the diagnosis with each weak link and the P10–P90 bands
//! of a seeded Monte Carlo. Open the file in any browser; it needs no network.
//!
//! Run: `cargo run --release --features report --example report -- report.html`
//! (default output `report.html`; `--draws N` and `--seed S` set the Monte Carlo).

use std::time::Instant;

use offergraph::page::{DEFAULT_DRAWS, Page};

#[path = "../tests/report_case.rs"]
mod report_case;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut out, mut draws, mut seed) = ("report.html".to_owned(), DEFAULT_DRAWS, 0u64);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--draws" => draws = args.next().ok_or("--draws needs a number")?.parse()?,
            "--seed" => seed = args.next().ok_or("--seed needs a number")?.parse()?,
            path => out = path.to_owned(),
        }
    }
    let scenario = report_case::scenario()?;
    let actuals = report_case::actuals(&scenario)?;
    let start = Instant::now();
    let html = Page::new(&scenario).with_actuals(&actuals).with_draws(draws).with_seed(seed).render()?;
    let took = start.elapsed();
    std::fs::write(&out, &html)?;
    println!("wrote {out}: {} KB in {:.0} ms", html.len() / 1024, took.as_secs_f64() * 1e3);
    Ok(())
}
