//! `offergraph optimize PLAN`: the certified optimal split of the plan's budget.

use std::path::PathBuf;

use offergraph::optimize::{Limit, Measure, Objective};
use offergraph::time::TimeOptimizeOptions;
use offergraph::{BudgetPolicy, OptimizePolicy, Selector};

use crate::output::{Failure, Out, in_file, save, scenario, with_spinner};

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
    /// Optimize over the plan's time section (capacity per period, lags; full-cycle figures)
    /// within the plan's budget; caps and floors do not apply.
    #[arg(long, conflicts_with_all = ["cap", "floor"])]
    over_time: bool,
    /// Write the plan to OUT: with this optimizing policy, or (--over-time) with the optimum
    /// applied as fixed budgets and flights.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// `SELECTOR=LIMIT`, split at the last `=` (a tag selector has one of its own).
fn group(s: &str) -> Result<(Selector, Limit), String> {
    let (sel, limit) = s.rsplit_once('=').ok_or_else(|| format!("expected SELECTOR=LIMIT, found \"{s}\""))?;
    Ok((sel.parse().map_err(|e| format!("{e}"))?, limit.parse().map_err(|e| format!("{e}"))?))
}

pub fn run(args: Args, out: &Out) -> Result<(), Failure> {
    if args.over_time {
        return over_time(args, out);
    }
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
    let best = with_spinner("optimizing", || plan.optimize(&policy)).map_err(|e| in_file(&args.plan, e))?;
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

/// `--over-time`: the optimum of the time model, certified, with its shadow prices.
fn over_time(args: Args, out: &Out) -> Result<(), Failure> {
    let mut s = scenario(&args.plan)?;
    let model = s.time().cloned().ok_or_else(|| in_file(&args.plan, "--over-time needs a `time` section"))?;
    let mut options = TimeOptimizeOptions::new();
    if let Some(objective) = args.objective {
        options = options.with_objective(objective);
    }
    let objective = options.objective();
    let best = with_spinner("optimizing over time", || model.optimize(s.plan(), options))
        .map_err(|e| in_file(&args.plan, e))?;
    let report = best.report(s.plan()).map_err(Failure::input)?;
    let mut table = report.evaluation.to_string();
    table.push_str(&format!(
        "{} over time: {}, objective {:.0} (upper bound {:.0})\n",
        objective.name(),
        best.status().name(),
        best.objective(),
        best.upper_bound()
    ));
    for p in best.shadow_prices().iter().filter(|p| p.value.abs() > 0.0) {
        table.push_str(&format!("shadow price of {}: {:.4}\n", p.constraint, p.value));
    }
    if let Some(path) = &args.output {
        s.apply_optimum(&best).map_err(|e| in_file(&args.plan, e))?;
        save(&s, path)?;
    }
    out.print(&report, || table)
}
