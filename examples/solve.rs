//! Solve a standalone `allocation-problem/v1` file and print the answer as one JSON object.
//!
//! Shows the path tools that bring their own curves take: parse and validate the file, solve
//! with the global solver (exact on concave curves, branch and bound on S-curves), and report
//! the objective with its certified upper bound.
//!
//! ```text
//! cargo run --release --example solve -- PROBLEM.json [--repeat K]
//! ```
//! prints `{"id", "status", "objective", "upper_bound", "spend", "leads", "solve_seconds"}`;
//! `solve_seconds` times the solve alone (not reading or parsing the file). With `--repeat K`
//! the same solve runs K times from scratch and `solve_seconds` is the median, the way a
//! benchmark harness measures (the first solve in a fresh process also pays for page faults
//! and cold caches; `first_solve_seconds` reports it). Malformed files or arguments print an
//! error and exit with a non-zero status.

use std::process::ExitCode;
use std::time::Instant;

use offergraph::file::ProblemFile;
use offergraph::optimize::SolveOptions;

fn main() -> ExitCode {
    const USAGE: &str = "usage: solve PROBLEM.json [--repeat K]";
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (path, repeat) = match args.as_slice() {
        [path] => (path.clone(), None),
        [path, flag, k] if flag == "--repeat" => match k.parse::<usize>() {
            Ok(k) if k >= 1 => (path.clone(), Some(k)),
            _ => {
                eprintln!("error: --repeat takes a whole number ≥ 1, found {k:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let problem = match ProblemFile::from_json(&text).and_then(|f| Ok((f.to_problem()?, f))) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (problem, file) = problem;
    let t0 = Instant::now();
    let result = problem.solve(SolveOptions::new());
    let first = t0.elapsed().as_secs_f64();
    let mut secs = first;
    if let (Some(k), Ok(_)) = (repeat, &result) {
        let mut times: Vec<f64> = (0..k)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(problem.solve(SolveOptions::new()).ok());
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        secs = times[k / 2];
    }
    match result {
        Ok(s) => {
            let mut out = serde_json::json!({
                "id": file.id(),
                "status": s.status.name(),
                "objective": s.objective,
                "upper_bound": s.upper_bound,
                "spend": s.spend,
                "leads": s.leads,
                "solve_seconds": secs,
            });
            if repeat.is_some() {
                out["first_solve_seconds"] = first.into();
            }
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}
