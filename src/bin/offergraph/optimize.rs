//! `offergraph optimize PLAN`: the certified optimal split of the plan's budget.

use std::path::PathBuf;

use offergraph::optimize::{Limit, Measure, Objective};
use offergraph::{BudgetPolicy, OptimizePolicy, Selector};

use crate::output::{Failure, Out, save, scenario, with_spinner};

/// Optimize a plan's budget split (certified: the answer carries an upper bound). Without
/// --objective, the plan's own optimizing policy, else max_gross_profit for the plan's budget.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan file (JSON).
    plan: PathBuf,
    /// What to optimize (OBJECTIVE, see below).
    #[arg(long, value_parser = clap::value_parser!(Objective))]
    objective: Option<Objective>,
    /// Cap a group's spend: SELECTOR=LIMIT, e.g. channel:search=40% or tag:region=north=25000.
    #[arg(long, value_name = "SELECTOR=LIMIT", value_parser = group)]
    cap: Vec<(Selector, Limit)>,
    /// Floor under a group's spend: SELECTOR=LIMIT.
    #[arg(long, value_name = "SELECTOR=LIMIT", value_parser = group)]
    floor: Vec<(Selector, Limit)>,
    /// Write the plan with this optimizing policy (its constraints kept) to OUT.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// `SELECTOR=LIMIT`, split at the last `=` (a tag selector has one of its own).
fn group(s: &str) -> Result<(Selector, Limit), String> {
    let (sel, limit) = s.rsplit_once('=').ok_or_else(|| format!("expected SELECTOR=LIMIT, found \"{s}\""))?;
    Ok((sel.parse().map_err(|e| format!("{e}"))?, limit.parse().map_err(|e| format!("{e}"))?))
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    let mut s = scenario(&args.plan)?;
    let default = Objective::MaxValueFixedBudget { measure: Measure::GrossProfit };
    let mut policy = match (args.objective, s.plan().budget_policy()) {
        (Some(o), _) => OptimizePolicy::new(o),
        (None, BudgetPolicy::Optimize(p)) => (**p).clone(),
        (None, _) => OptimizePolicy::new(default),
    };
    for (sel, limit) in args.cap {
        policy = policy.with_cap(sel, limit);
    }
    for (sel, limit) in args.floor {
        policy = policy.with_floor(sel, limit);
    }
    let plan = s.plan();
    let best = with_spinner("optimizing", || plan.optimize(&policy)).map_err(Failure::input)?;
    let report = best.report(plan).map_err(Failure::input)?;
    let eval = plan.evaluate_allocation(best.allocation()).map_err(Failure::input)?;
    let table = eval.table(plan).map_err(Failure::input)?;
    let sol = best.solution();
    let summary = format!(
        "{}: {}, objective {:.0} (upper bound {:.0}); one more unit of budget is worth {:.3}\n",
        policy.objective().name(),
        sol.status.name(),
        sol.objective,
        sol.upper_bound,
        sol.budget_multiplier
    );
    if let Some(path) = &args.output {
        s.edit(|p| {
            p.set_budget_policy(BudgetPolicy::Optimize(Box::new(policy)));
            Ok::<(), Failure>(())
        })?;
        save(&s, path)?;
    }
    out.print(&report, || format!("{table}{summary}"))
}
