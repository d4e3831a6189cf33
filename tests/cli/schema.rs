//! The JSON Schemas: the committed copies equal the code's, every example and case file
//! validates against its schema, every `--json` output against its command's, and broken files
//! are rejected. `UPDATE_SCHEMAS=1 cargo test --features cli --test cli schema` rewrites
//! `docs/schema/`.

use serde_json::Value;

use crate::{json, root};

fn schema(name: &str) -> jsonschema::Validator {
    let value = offergraph::schema::schema(name).expect("a known schema");
    jsonschema::validator_for(&value).expect("a valid JSON Schema")
}

fn assert_valid(name: &str, what: &str, instance: &Value) {
    let v = schema(name);
    let errors: Vec<String> =
        v.iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} against {name}: {errors:#?}");
}

#[test]
fn committed_schemas_match_the_code() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let dir = root().join("docs/schema");
    let mut stale = Vec::new();
    for name in offergraph::schema::NAMES {
        let path = dir.join(format!("{name}.json"));
        let text = offergraph::schema::text(name).expect("a known schema");
        if update {
            std::fs::write(&path, &text).expect("written");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    let committed = std::fs::read_dir(&dir).expect("docs/schema").count();
    assert_eq!(committed, offergraph::schema::NAMES.len(), "a schema file no name gives");
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run UPDATE_SCHEMAS=1 cargo test --features cli --test cli schema and commit docs/schema"
    );
}

/// Plan and problem files under `examples/plans/` and `tests/cases/`, by their schema.
#[test]
fn example_and_case_files_validate() {
    let mut seen = 0;
    for dir in ["examples/plans", "tests/cases"] {
        for entry in std::fs::read_dir(root().join(dir)).expect("dir") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path);
            let Some(ext) = path.extension() else { continue };
            let Ok(text) = text else { continue };
            if ext == "json" {
                let value: Value = serde_json::from_str(&text).expect("JSON");
                let name = if value.get("format").is_some() { "problem" } else { "plan" };
                if name == "problem" && value["format"] != offergraph::file::PROBLEM_FORMAT {
                    continue; // v1 files still load; the schema is v2's
                }
                assert_valid(name, &path.display().to_string(), &value);
                seen += 1;
            } else if ext == "csv" {
                assert_valid("actuals", &path.display().to_string(), &csv_rows(&text));
                seen += 1;
            }
        }
    }
    assert!(seen >= 7, "{seen}");
}

/// A CSV actuals table as its JSON form.
fn csv_rows(text: &str) -> Value {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let rows = lines.map(|line| {
        let row = header.iter().zip(line.split(',')).map(|(h, cell)| {
            let v = match *h {
                "module" => Value::from(cell),
                "period" => Value::from(cell.parse::<u64>().expect("period")),
                _ => Value::from(cell.parse::<f64>().expect("number")),
            };
            ((*h).to_owned(), v)
        });
        Value::Object(row.collect())
    });
    Value::Array(rows.collect())
}

#[test]
fn every_json_output_validates_against_its_schema() {
    let b2b = "examples/plans/b2b-12-weeks.json";
    let apartments = "examples/plans/apartments.json";
    let cases: [(&str, &[&str]); 9] = [
        ("evaluate-output", &["evaluate", b2b]),
        (
            "optimize-output",
            &["optimize", apartments, "--objective", "max_profit", "--cap", "tag:region=north=50%"],
        ),
        ("optimize-over-time-output", &["optimize", b2b, "--over-time"]),
        ("diff-output", &["diff", b2b, b2b]),
        ("time-output", &["time", b2b]),
        ("solve-output", &["solve", "examples/plans/allocation-problem.json"]),
        ("diagnose-output", &["diagnose", b2b, "examples/plans/b2b-actuals.csv"]),
        ("risk-output", &["risk", "examples/plans/apartments-risk.json", "--draws", "200"]),
        (
            "risk-optimize-output",
            &[
                "risk",
                "examples/plans/apartments-risk.json",
                "--draws",
                "200",
                "--optimize",
                "cvar",
                "--alpha",
                "0.2",
            ],
        ),
    ];
    for (name, args) in cases {
        assert_valid(name, &args.join(" "), &json(args));
    }
}

#[test]
fn schemas_reject_broken_files() {
    let plan: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/plans/apartments.json")).expect("plan"),
    )
    .expect("JSON");
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut p = plan.clone();
        edit(&mut p);
        p
    };
    let plan_schema = schema("plan");
    assert!(plan_schema.is_valid(&plan));
    for bad in [
        broken(&|p| p["colour"] = "blue".into()),
        broken(&|p| p["budget"] = "a lot".into()),
        broken(&|p| p["segments"][0]["audience"] = Value::Null),
        broken(&|p| p["channels"][0]["curve"] = serde_json::json!({"type": "sigmoid", "L": 1})),
        broken(&|p| p["channels"][0]["curve"]["extra"] = 1.into()),
        broken(&|p| p.as_object_mut().expect("object").remove("schema_version").map(drop).unwrap_or(())),
    ] {
        assert!(!plan_schema.is_valid(&bad), "accepted: {bad}");
    }
    let problem = serde_json::json!({"format": "allocation-problem/v1", "objective": {"kind": "max_profit"}, "modules": []});
    assert!(!schema("problem").is_valid(&problem));
    let actuals =
        serde_json::json!([{"period": -1, "module": "m", "spend": 1, "leads": 1, "deals": 0, "revenue": 0}]);
    assert!(!schema("actuals").is_valid(&actuals));
}
