//! `offergraph schema [NAME]`: the JSON Schemas of the files and of the `--json` outputs.

use crate::output::{Failure, Out};

/// Print the JSON Schema NAME (draft 2020-12); without NAME, list the schemas.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// plan, actuals, problem, or COMMAND-output (evaluate-output, …, risk-output).
    name: Option<String>,
}

pub fn run(args: Args, _out: &Out) -> Result<(), Failure> {
    use offergraph::schema;
    let Some(name) = args.name else {
        for name in schema::NAMES {
            println!("{name:<16} {}", schema::describe(name).unwrap_or_default());
        }
        return Ok(());
    };
    let text = schema::text(&name).ok_or_else(|| {
        Failure::usage(format!("no schema \"{name}\"; the schemas are {}", schema::NAMES.join(", ")))
    })?;
    print!("{text}");
    Ok(())
}
