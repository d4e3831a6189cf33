//! Broken files and malformed arguments: exit 1 with the file, line and column or the field's
//! JSON pointer on stderr; exit 2 for usage.

use crate::{fails, scratch};

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path.to_str().expect("utf-8").to_owned()
}

#[test]
fn syntax_errors_name_the_file_line_and_column() {
    let dir = scratch("syntax");
    let bad = write(&dir, "bad.json", "{\"schema_version\": 3,\n  \"name\": \"x\"\n  \"budget\": 10}\n");
    let err = fails(1, &["evaluate", &bad]);
    assert!(err.starts_with(&format!("error: {bad}: invalid plan file at line 3, column 3: ")), "{err}");
    let problem = write(&dir, "p.json", "{\"format\": \"allocation-problem/v2\",\n \"modules\": [}");
    let err = fails(1, &["solve", &problem]);
    assert!(err.contains("p.json: invalid problem file at line 2, column 14: "), "{err}");
}

#[test]
fn invalid_values_name_the_fields_json_pointer() {
    let dir = scratch("values");
    let cases = [
        (
            "unknown-channel.json",
            "module \"s/p/o/tv\" refers to channel \"tv\", which the plan does not have",
            "/modules/0/channel",
        ),
        (
            "conversion-above-one.json",
            "module \"m\" field `conversion` must be",
            "/modules/0/overrides/conversion",
        ),
    ];
    for (file, message, pointer) in cases {
        let path = format!("tests/cases/broken/{file}");
        let err = fails(1, &["evaluate", &path]);
        assert!(err.starts_with(&format!("error: {path}: {message}")), "{err}");
        assert!(err.contains(&format!("\n  at field {pointer}\n")), "{err}");
    }
    let problem = write(
        &dir,
        "problem.json",
        r#"{"format": "allocation-problem/v2", "objective": {"kind": "max_profit"}, "budget": 10,
  "modules": [{"name": "a", "curve": {"type": "linear", "cpl": 10}, "value_per_lead": 20},
              {"name": "b", "curve": {"type": "linear", "cpl": 10}, "value_per_lead": 20, "lo": 5, "hi": 1}]}"#,
    );
    let err = fails(1, &["solve", &problem]);
    assert!(
        err.starts_with(&format!("error: {problem}: module \"b\": minimum spend 5 is above maximum 1")),
        "{err}"
    );
    assert!(err.ends_with("\n  at field /modules/1/lo\n"), "{err}");
    let missing = fails(1, &["evaluate", "no/such/plan.json"]);
    assert!(missing.starts_with("error: cannot read no/such/plan.json: "), "{missing}");
}

#[test]
fn bad_inputs_and_infeasible_problems_exit_with_1() {
    let apartments = "examples/plans/apartments.json";
    let err = fails(1, &["optimize", apartments, "--floor", "channel:search=70000"]);
    assert!(err.starts_with("error: "), "{err}");
    let err = fails(1, &["optimize", apartments, "--cap", "channel:radio=10%"]);
    assert!(err.contains("\"radio\""), "{err}");
    let err = fails(1, &["toggle", apartments, "--off", "nope/x/y/z", "-o", "/dev/null"]);
    assert!(err.contains("\"nope/x/y/z\""), "{err}");
    let err = fails(1, &["replicate", apartments, "families/x", "--variant", "south", "-o", "/dev/null"]);
    assert!(err.contains("\"families/x\""), "{err}");
    let err = fails(1, &["time", apartments]);
    assert_eq!(err, "error: examples/plans/apartments.json: the plan file has no `time` section\n");
    let err = fails(1, &["risk", apartments, "--draws", "10", "--over-time"]);
    assert!(err.contains("--over-time needs a `time` section"), "{err}");
    let dir = scratch("actuals");
    let csv = write(&dir, "a.csv", "period,module,spend,leads,deals,revenue\n0,nowhere,1,1,0,0\n");
    let err = fails(1, &["diagnose", "examples/plans/b2b-12-weeks.json", &csv]);
    assert!(err.contains("a.csv, row 1, column \"module\": the plan has no module \"nowhere\""), "{err}");
    // The report reads actuals as diagnose does, and names the file it cannot write.
    let page = dir.join("page.html");
    let page = page.to_str().expect("utf-8");
    let err = fails(1, &["report", "examples/plans/b2b-12-weeks.json", &csv, "-o", page]);
    assert!(err.contains("a.csv, row 1, column \"module\": the plan has no module \"nowhere\""), "{err}");
    assert!(!dir.join("page.html").exists(), "a failed report writes nothing");
    let err = fails(1, &["report", apartments, "-o", "no/such/dir/page.html"]);
    assert!(err.starts_with("error: cannot write no/such/dir/page.html: "), "{err}");
    let err = fails(1, &["report", "examples/plans/apartments-risk.json", "--draws", "0", "-o", page]);
    assert!(err.contains("draws must be an integer in [1, 1000000], found 0"), "{err}");
    let err = fails(1, &["report", "tests/cases/broken/unknown-channel.json", "-o", page]);
    assert!(err.ends_with("\n  at field /modules/0/channel\n"), "{err}");
}

#[test]
fn a_cvar_level_outside_0_1_is_an_error_naming_alpha() {
    let risk = "examples/plans/apartments-risk.json";
    for alpha in ["0", "-0.5", "1.5", "NaN"] {
        let err = fails(1, &["risk", risk, "--draws", "10", "--optimize", "cvar", "--alpha", alpha]);
        assert!(err.starts_with("error: CVaR alpha must be a number in (0, 1], found "), "{alpha}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // The level 1 is the mean: allowed.
    crate::ok(&["risk", risk, "--draws", "10", "--optimize", "cvar", "--alpha", "1"]);
    let err = fails(1, &["risk", risk, "--draws", "0", "--optimize", "mean"]);
    assert!(err.contains("draws must be an integer in [1, 1000000], found 0"), "{err}");
}

#[test]
fn usage_errors_exit_with_2() {
    let apartments = "examples/plans/apartments.json";
    for args in [
        &[][..],
        &["evaluate"],
        &["evaluate", apartments, "--nope"],
        &["frobnicate"],
        &["optimize", apartments, "--cap", "search=40%"],
        &["optimize", apartments, "--cap", "channel:search"],
        &["optimize", apartments, "--objective", "max_fun"],
        &["replicate", apartments, "families/playground/2-room/search", "--variant", "=x", "-o", "o.json"],
        &["toggle", apartments, "-o", "o.json"],
        &["toggle", apartments, "--off", "tag:region=north", "-o", "o.json"],
        &["risk", apartments, "--draws", "-3"],
        &["solve", "examples/plans/allocation-problem.json", "--time-limit", "0"],
        &["schema", "nope"],
        &["report", apartments],
        &["report", apartments, "-o", "-", "--target-romi", "0.3"],
        &["--json", "report", apartments, "-o", "-"],
        &["risk", apartments, "--optimize", "cvar"],
        &["risk", apartments, "--optimize", "var", "--alpha", "0.1"],
        &["risk", apartments, "--alpha", "0.1"],
        &["risk", apartments, "--optimize", "mean", "--alpha", "0.1"],
        &["risk", apartments, "--optimize", "cvar", "--alpha", "low"],
        &["risk", apartments, "--optimize", "mean", "--over-time"],
    ] {
        fails(2, args);
    }
    let err = fails(2, &["optimize", apartments, "--cap", "search=40%"]);
    assert!(err.contains("invalid selector \"search\": expected KIND:KEY"), "{err}");
    let err = fails(2, &["risk", apartments, "--optimize", "cvar"]);
    assert!(err.contains("--optimize cvar needs --alpha A"), "{err}");
    let err = fails(2, &["--json", "report", apartments, "-o", "-"]);
    assert!(err.contains("-o - writes the page on stdout"), "{err}");
}

#[test]
fn a_reader_that_goes_away_is_not_a_panic() {
    use std::process::{Command, Stdio};
    // More than a pipe's buffer, and the reader closes its end at once (`| head -1`).
    let mut child = Command::new(env!("CARGO_BIN_EXE_offergraph"))
        .args(["--json", "time", "examples/plans/b2b-12-weeks.json"])
        .current_dir(crate::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
