//! Diagnose a running plan against its actuals and print one JSON object.
//!
//! Shows the learning loop of the B2B method: read the plan file (with its time section: the
//! horizon, sales teams and lags) and the actuals table (CSV, or JSON when the name ends in
//! `.json`), replay the funnel at the actual values, update each link's conjugate model, judge
//! stability, name the weak link and give each module a verdict that rests on full-cycle ROMI
//! and the max sustainable cost per lead, never on one week's ROMI.
//!
//! ```text
//! cargo run --release --example diagnose -- PLAN.json ACTUALS.csv [--write-calibrated OUT.json] [--target-romi R]
//! ```
//! prints `{"as_of_period", "modules": [{"key", "verdict", "weak_link", "probability", "reason",
//! "stable", "lead_scale", "conversion", "full_cycle_romi"}]}` (the last three as
//! `{p10, p50, p90}`; ROMI as a fraction, 1.3 = 130%). `--write-calibrated` saves the calibrated
//! scenario (`Scenario::calibrate`): the plan with the calibrated medians as measured overrides,
//! its time section, and an uncertainty section with each module's posteriors (a lead scale of
//! median 1 on the calibrated curve, the conversion's Beta, the deal value's log-normal), so the
//! file loads like any plan file and `examples/risk.rs` reads its risk; `--target-romi`
//! sets the target full-cycle ROMI (default 0). Unreadable or invalid files print an error to
//! stderr and exit with 1, malformed arguments with 2; `--help` prints the usage.

use std::process::ExitCode;

use offergraph::Scenario;
use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};

const USAGE: &str = "usage: diagnose PLAN.json ACTUALS.csv [--write-calibrated OUT.json] [--target-romi R]\n\
    diagnoses a plan against its actuals (CSV, or JSON when the name ends in .json) and prints one\n\
    JSON object: as_of_period and, per module, key, verdict, weak_link, probability, reason,\n\
    stable, lead_scale, conversion and full_cycle_romi ({p10, p50, p90}; ROMI as a fraction);\n\
    --write-calibrated writes the calibrated scenario (overrides and uncertainty section)";

fn main() -> ExitCode {
    let usage_error = |message: String| {
        eprintln!("error: {message}\n{USAGE}");
        ExitCode::from(2)
    };
    let mut args = std::env::args().skip(1);
    let (mut files, mut out, mut target) = (Vec::new(), None, 0.0);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--help" | "-h" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--write-calibrated" => match args.next() {
                Some(path) => out = Some(path),
                None => return usage_error("--write-calibrated needs a file name".into()),
            },
            "--target-romi" => match args.next().map(|r| r.parse::<f64>()) {
                Some(Ok(r)) => target = r,
                Some(Err(_)) | None => return usage_error("--target-romi needs a number (0.3 = 30%)".into()),
            },
            flag if flag.starts_with("--") => return usage_error(format!("unknown option {flag}")),
            _ => files.push(arg),
        }
    }
    let [plan_path, actuals_path] = files.as_slice() else {
        return usage_error(format!(
            "expected a plan file and an actuals file, found {} file(s)",
            files.len()
        ));
    };
    match run(plan_path, actuals_path, out.as_deref(), target) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(
    plan: &str,
    actuals: &str,
    out: Option<&str>,
    target: f64,
) -> Result<String, Box<dyn std::error::Error>> {
    let mut scenario = Scenario::load(plan)?;
    let table = Actuals::load(actuals, scenario.plan(), scenario.time())?;
    let options = DiagnoseOptions::new().with_target_romi(target);
    let diagnosis = Diagnosis::new(scenario.plan(), scenario.time(), &table, options)?;
    let report = serde_json::to_string(&diagnosis.to_report())?;
    if let Some(path) = out {
        scenario.calibrate(&diagnosis)?;
        scenario.save(path)?;
    }
    Ok(report)
}
