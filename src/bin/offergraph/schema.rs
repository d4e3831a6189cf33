//! `offergraph schema [NAME]`: the JSON Schemas of the files and of the `--json` outputs.

use crate::output::{Failure, Out, emit};

/// Print the JSON Schema NAME (draft 2020-12); without NAME, list the schemas (with --json, as
/// an array of {name, description}).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// plan, actuals, problem, or COMMAND-output (evaluate-output, …, risk-output).
    name: Option<String>,
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    use offergraph::schema;
    let Some(name) = args.name else {
        let list: Vec<_> = schema::NAMES
            .iter()
            .map(|n| serde_json::json!({"name": n, "description": schema::describe(n)}))
            .collect();
        let lines = schema::NAMES.map(|n| format!("{n:<16} {}\n", schema::describe(n).unwrap_or_default()));
        return out.print(&list, || lines.concat());
    };
    let text = schema::text(&name).ok_or_else(|| {
        Failure::usage(format!("no schema \"{name}\"; the schemas are {}", schema::NAMES.join(", ")))
    })?;
    emit(&text)
}
