//! JSON Schemas (draft 2020-12) of the file formats and of the command line's `--json`
//! outputs, for tools in other languages: generate or validate plan files, actuals, allocation
//! problems, and read the answers (feature `schema`).
//!
//! The schemas are derived from the same types that read and write the files, so they cannot
//! drift from the code; the committed copies under `docs/schema/` are checked against them by a
//! test (`UPDATE_SCHEMAS=1 cargo test --features cli --test cli schema` rewrites them).
//! A schema checks the shape (field names, types, required fields, unknown fields); the value
//! ranges (`offergraph::ranges`) and the references between parts are checked when the file is
//! loaded.
//!
//! ```
//! use offergraph::schema;
//! assert_eq!(schema::NAMES[0], "plan");
//! let plan = schema::schema("plan").expect("a known name");
//! assert_eq!(plan["title"], "PlanFile");
//! assert!(plan["properties"]["schema_version"].is_object());
//! assert!(schema::schema("nope").is_none());
//! ```

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::{Value, json};

/// The schemas' names, inputs first: `plan` (a plan file, schema version 3, with its `time` and
/// `uncertainty` sections), `actuals` (a JSON actuals table), `problem` (an
/// `allocation-problem/v2` file), then the `--json` output of each command
/// (`evaluate-output`, … `risk-output`, `risk-optimize-output`).
///
/// ```
/// let names = offergraph::schema::NAMES;
/// assert_eq!(&names[..3], ["plan", "actuals", "problem"]);
/// assert!(names.iter().all(|n| offergraph::schema::schema(n).is_some()));
/// ```
pub const NAMES: [&str; 12] = [
    "plan",
    "actuals",
    "problem",
    "evaluate-output",
    "optimize-output",
    "optimize-over-time-output",
    "diff-output",
    "time-output",
    "solve-output",
    "diagnose-output",
    "risk-output",
    "risk-optimize-output",
];

/// What a schema describes, in one line (for `offergraph schema` without a name).
///
/// ```
/// assert_eq!(offergraph::schema::describe("actuals"), Some("an actuals table as JSON: an array of rows"));
/// ```
pub fn describe(name: &str) -> Option<&'static str> {
    Some(match name {
        "plan" => "a plan file (schema_version 3, with optional time and uncertainty sections)",
        "actuals" => "an actuals table as JSON: an array of rows",
        "problem" => "an allocation-problem/v2 file",
        "evaluate-output" => "evaluate, toggle and replicate --json: the plan's evaluation",
        "optimize-output" => "optimize --json: the certified optimum and its figures",
        "optimize-over-time-output" => "optimize --over-time --json: the optimum over the time model",
        "diff-output" => "diff --json: two scenarios compared, module by module and period by period",
        "time-output" => "time --json: the evaluation over time",
        "solve-output" => "solve --json: an allocation problem's solution",
        "diagnose-output" => "diagnose --json: verdicts per module against actuals",
        "risk-output" => "risk --json: the Monte Carlo outcome in total and per module",
        "risk-optimize-output" => "risk --optimize --json: the risk-aware optimum, spend before and after",
        _ => return None,
    })
}

fn input<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12().for_deserialize().into_generator().into_root_schema_for::<T>()
}

fn output<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12().for_serialize().into_generator().into_root_schema_for::<T>()
}

/// The actuals table's JSON form, written by hand: it is read field by field
/// ([`Actuals::from_json`](crate::actuals::Actuals::from_json)), not through a serde type.
fn actuals() -> Value {
    let number = |d: &str| json!({"type": "number", "description": d});
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Actuals",
        "description": "An actuals table: one row per module and period (CSV files have the same columns).",
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "period": {"type": "integer", "minimum": 0, "description": "0-based period index"},
                "module": {"type": "string", "description": "the module's key"},
                "spend": number("money spent in the period"),
                "leads": number("leads (consultations) received"),
                "deals": number("deals closed"),
                "revenue": number("revenue of the deals"),
                "processed": number("leads the sales team processed (optional)"),
                "gross_profit": number("gross profit of the deals (optional)")
            },
            "required": ["period", "module", "spend", "leads", "deals", "revenue"],
            "additionalProperties": false
        }
    })
}

/// The schema named `name` (one of [`NAMES`]) as a JSON value; `None` for another name.
///
/// ```
/// let out = offergraph::schema::schema("evaluate-output").unwrap();
/// assert_eq!(out["title"], "EvaluationReport");
/// assert_eq!(out["required"], serde_json::json!(["plan", "modules", "total"]));
/// ```
pub fn schema(name: &str) -> Option<Value> {
    use crate::{file, results, uncertainty};
    let schema = match name {
        "plan" => input::<file::PlanFile>(),
        "actuals" => return Some(actuals()),
        "problem" => crate::optimize::problem_file::v2_schema(),
        "evaluate-output" => output::<results::EvaluationReport>(),
        "optimize-output" => output::<results::OptimumReport>(),
        "optimize-over-time-output" => output::<results::TimeOptimumReport>(),
        "diff-output" => output::<crate::Comparison>(),
        "time-output" => output::<results::TimeEvaluationReport>(),
        "solve-output" => output::<results::SolveReport>(),
        "diagnose-output" => output::<crate::actuals::Report>(),
        "risk-output" => output::<uncertainty::RiskReport>(),
        "risk-optimize-output" => output::<uncertainty::RiskOptimumReport>(),
        _ => return None,
    };
    let mut value = schema.to_value();
    trim_descriptions(&mut value);
    Some(value)
}

/// Keeps the prose of each description (the type's or field's doc), dropping its Rust
/// sections (`# Example`, `# Design`, code blocks), which mean nothing to other languages.
fn trim_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(d)) = map.get_mut("description") {
                let cut = [d.find("\n# "), d.find("```")].into_iter().flatten().min();
                if let Some(at) = cut {
                    d.truncate(at);
                    d.truncate(d.trim_end().len());
                }
            }
            map.values_mut().for_each(trim_descriptions);
        }
        Value::Array(items) => items.iter_mut().for_each(trim_descriptions),
        _ => {}
    }
}

/// The schema named `name` as the text committed under `docs/schema/NAME.json` and printed by
/// `offergraph schema NAME`: pretty-printed, with a final newline.
///
/// ```
/// let text = offergraph::schema::text("problem").unwrap();
/// assert!(text.contains("allocation-problem/v2") && text.ends_with("}\n"));
/// ```
pub fn text(name: &str) -> Option<String> {
    let value = schema(name)?;
    let mut s = serde_json::to_string_pretty(&value).ok()?;
    s.push('\n');
    Some(s)
}
