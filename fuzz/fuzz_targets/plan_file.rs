//! Plan files: any text `Scenario::from_json` accepts (a plan, with or without a `time`
//! section) must evaluate, evaluate and optimize over time (when it has a time model) and
//! optimize for maximum profit without panicking, and every figure of every `Ok` answer must be
//! finite. Errors are fine; each solve is bounded (see `offergraph_fuzz::solve_options`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use offergraph::optimize::Objective;
use offergraph::time::TimeOptimizeOptions;
use offergraph::{OptimizePolicy, Scenario};
use offergraph_fuzz as check;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(scenario) = Scenario::from_json(text) else { return };
    let plan = scenario.plan();
    if let Ok(e) = plan.evaluate() {
        check::evaluation("evaluate", &e);
    }
    if let Some(time) = scenario.time() {
        if let Ok(e) = time.evaluate(plan) {
            check::time_evaluation("time.evaluate", &e);
        }
        let options = TimeOptimizeOptions::new().with_solve_options(check::solve_options());
        if let Ok(o) = time.optimize(plan, options) {
            check::time_optimum("time.optimize", &o);
        }
    }
    let policy = OptimizePolicy::new(Objective::MaxProfit).with_options(check::solve_options());
    if let Ok(best) = plan.optimize(&policy) {
        check::allocation("optimize.allocation", best.allocation());
        check::solution("optimize.solution", best.solution());
    }
});
