//! Solve a standalone `allocation-problem/v1` file and print the answer as one JSON object.
//!
//! Shows the path tools that bring their own curves take: parse and validate the file, solve
//! with the global solver (exact on concave curves, branch and bound on S-curves), and report
//! the objective with its certified upper bound.
//!
//! ```text
//! cargo run --release --example solve -- PROBLEM.json
//! ```
//! prints `{"id", "status", "objective", "upper_bound", "spend", "leads", "solve_seconds"}`;
//! `solve_seconds` times the solve alone. Malformed files print an error and exit with status 1.

use std::process::ExitCode;
use std::time::Instant;

use offergraph::optimize::{ProblemFile, SolveOptions};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: solve PROBLEM.json");
        return ExitCode::from(2);
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
    let secs = t0.elapsed().as_secs_f64();
    match result {
        Ok(s) => {
            let out = serde_json::json!({
                "id": file.id(),
                "status": s.status.name(),
                "objective": s.objective,
                "upper_bound": s.upper_bound,
                "spend": s.spend,
                "leads": s.leads,
                "solve_seconds": secs,
            });
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}
