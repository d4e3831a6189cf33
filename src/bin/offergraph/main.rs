//! `offergraph`: the library's jobs from a shell, for people (tables) and tools (`--json`).
//!
//! A thin layer: every command reads its files, calls the library's public API and prints the
//! library's table or its serialized result. One file per command; `output.rs` holds the shared
//! loading, printing and error code. Exit codes: 0 success, 1 invalid input or infeasible,
//! 2 usage.
#![forbid(unsafe_code)]

mod diagnose;
mod diff;
mod evaluate;
mod optimize;
mod output;
mod replicate;
mod report;
mod risk;
mod schema;
mod solve;
mod time;
mod toggle;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

const GRAMMAR: &str = "\
Arguments:
  SELECTOR  KIND:KEY | tag:NAME=VALUE          KIND: segment, proposition, offer, channel
  LIMIT     NUMBER (money) | NUMBER% (share of the budget)
  OBJECTIVE max_profit | max_leads | max_deals | max_gross_profit
            | min_spend:MEASURE=TARGET | target_marginal_romi=R | target_average_romi=R
  VARIANT   LABEL[=ITEM,...]   ITEM: KIND:KEY | tag:NAME=VALUE | extend_audience
  KEY       a module key (segment/proposition/offer/channel) or KIND:KEY for a part
  OUT       a file to write; for report, - writes the page on stdout

Exit codes: 0 success, 1 invalid input or infeasible, 2 usage.";

/// Marketing budget plans from the command line: evaluate, optimize, edit, compare, diagnose,
/// weigh the risk, write an HTML report.
#[derive(Debug, Parser)]
#[command(name = "offergraph", version, after_help = GRAMMAR)]
struct Cli {
    /// Print one JSON document on stdout instead of a table (shapes: `offergraph schema`).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Evaluate(evaluate::Args),
    Optimize(optimize::Args),
    Toggle(toggle::Args),
    Replicate(replicate::Args),
    Diff(diff::Args),
    Time(time::Args),
    Solve(solve::Args),
    Diagnose(diagnose::Args),
    Risk(risk::Args),
    Report(report::Args),
    Schema(schema::Args),
}

fn main() -> ExitCode {
    // clap prints its usage errors and exits with 2 (help and version with 0).
    let cli = Cli::parse();
    let out = output::Out::new(cli.json);
    let result = match cli.command {
        Command::Evaluate(a) => evaluate::run(a, &out),
        Command::Optimize(a) => optimize::run(a, &out),
        Command::Toggle(a) => toggle::run(a, &out),
        Command::Replicate(a) => replicate::run(a, &out),
        Command::Diff(a) => diff::run(a, &out),
        Command::Time(a) => time::run(a, &out),
        Command::Solve(a) => solve::run(a, &out),
        Command::Diagnose(a) => diagnose::run(a, &out),
        Command::Risk(a) => risk::run(a, &out),
        Command::Report(a) => report::run(a, &out),
        Command::Schema(a) => schema::run(a, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.exit(),
    }
}
