//! `offergraph report PLAN [ACTUALS] -o OUT.html`: the plan as one self-contained HTML page.

use std::path::{Path, PathBuf};

use offergraph::actuals::{Actuals, DiagnoseOptions};
use offergraph::page::{DEFAULT_DRAWS, Page};
use serde::Serialize;

use crate::output::{Failure, Out, emit, in_file, scenario, with_draws_bar, with_spinner};

/// Write the plan's report as one HTML page (inline SVG charts, no script, no network): the plan
/// table, response curves, the optimum, rollups; weekly figures with a time section, the
/// diagnosis with ACTUALS, P10-P90 bands with an uncertainty section.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan file (JSON).
    plan: PathBuf,
    /// Actuals to diagnose (CSV, or JSON when the name ends in .json), as for `diagnose`.
    actuals: Option<PathBuf>,
    /// Where to write the page; `-` for stdout.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// Monte Carlo draws of the uncertainty bands.
    #[arg(long, default_value_t = DEFAULT_DRAWS)]
    draws: usize,
    /// Seed of the Monte Carlo (the same seed gives the same page).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Target full-cycle ROMI of the diagnosis, as a fraction (0.3 = 30%).
    #[arg(long, value_name = "R", default_value_t = 0.0, requires = "actuals")]
    target_romi: f64,
}

/// What `--json` prints: the file written and its size.
#[derive(Debug, Serialize)]
struct Written<'a> {
    written: &'a str,
    bytes: usize,
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let to_stdout = args.output == Path::new("-");
    if to_stdout && out.is_json() {
        return Err(Failure::usage("-o - writes the page on stdout, where --json would write too"));
    }
    let s = scenario(&args.plan)?;
    let actuals = match &args.actuals {
        Some(path) => Some(Actuals::load(path, s.plan(), s.time()).map_err(Failure::input)?),
        None => None,
    };
    let mut page = Page::new(&s)
        .with_draws(args.draws)
        .with_seed(args.seed)
        .with_diagnose_options(DiagnoseOptions::new().with_target_romi(args.target_romi));
    if let Some(a) = &actuals {
        page = page.with_actuals(a);
    }
    let html = if s.uncertainty().is_empty() {
        with_spinner("writing the report", || page.render())
    } else {
        let options = *page.monte_carlo();
        with_draws_bar("writing the report", options, |options| page.with_monte_carlo(options).render())
    }
    .map_err(|e| {
        // The diagnosis is what reads the actuals: its errors are about them.
        let file = match (&e, &args.actuals) {
            (offergraph::Error::Actuals(_), Some(path)) => path,
            _ => &args.plan,
        };
        in_file(file, e)
    })?;
    if to_stdout {
        return emit(&html);
    }
    std::fs::write(&args.output, &html)
        .map_err(|e| Failure::input(format!("cannot write {}: {e}", args.output.display())))?;
    let path = args.output.to_string_lossy();
    let written = Written { written: &path, bytes: html.len() };
    out.print(&written, || format!("wrote {path} ({} bytes)\n", html.len()))
}
