//! `offergraph toggle PLAN --off KEY… [--on KEY…] -o OUT`: switch modules or parts off and on.

use std::path::PathBuf;

use offergraph::{GroupBy, Plan, Selector};

use crate::output::{Failure, Out, scenario};

/// Switch modules or whole parts off (their budget flows to the others) and on, write the plan
/// to OUT and print its evaluation. KEY is a module key or KIND:KEY for a part.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan file (JSON).
    plan: PathBuf,
    /// Modules or parts to switch off.
    #[arg(long, value_name = "KEY", num_args = 1..)]
    off: Vec<String>,
    /// Modules or parts to switch on.
    #[arg(long, value_name = "KEY", num_args = 1..)]
    on: Vec<String>,
    /// Where to write the edited plan.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
}

/// Switches a module (`families/playground/2-room/search`) or a part (`channel:outdoor`).
fn set(plan: &mut Plan, key: &str, on: bool) -> Result<(), Failure> {
    if !key.contains(':') {
        return plan.set_module_enabled(key, on).map_err(Failure::input);
    }
    let selector: Selector = key.parse().map_err(Failure::usage)?;
    match selector.by() {
        GroupBy::Part(kind) => plan.set_part_enabled(*kind, selector.value(), on).map_err(Failure::input),
        _ => {
            Err(Failure::usage(format!("cannot switch \"{key}\": give a module key or KIND:KEY for a part")))
        }
    }
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    if args.off.is_empty() && args.on.is_empty() {
        return Err(Failure::usage("give at least one --off KEY or --on KEY"));
    }
    let mut s = scenario(&args.plan)?;
    s.edit(|plan| {
        args.off.iter().try_for_each(|k| set(plan, k, false))?;
        args.on.iter().try_for_each(|k| set(plan, k, true))
    })?;
    crate::evaluate::print_edited(&s, &args.output, out)
}
