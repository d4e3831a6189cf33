//! `offergraph replicate PLAN MODULE --variant … -o OUT`: copy a working module into variants.

use std::path::PathBuf;

use offergraph::Variant;

use crate::output::{Failure, Out, scenario};

/// Replicate a module across categories, stores, price tiers or regions: one copy per variant
/// (VARIANT, see below), keyed MODULE@LABEL; write the plan to OUT and print its evaluation.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan file (JSON).
    plan: PathBuf,
    /// Key of the module to copy.
    module: String,
    /// A copy: LABEL[=ITEM,...], e.g. south=segment:families-south,tag:region=south.
    #[arg(long, value_name = "VARIANT", required = true, value_parser = clap::value_parser!(Variant))]
    variant: Vec<Variant>,
    /// Where to write the edited plan.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let mut s = scenario(&args.plan)?;
    s.edit(|plan| plan.replicate(&args.module, &args.variant)).map_err(Failure::input)?;
    crate::evaluate::print_edited(&s, &args.output, out)
}
