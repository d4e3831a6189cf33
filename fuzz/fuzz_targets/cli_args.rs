//! The command line's text arguments: the input is read as up to 16 lines, each one argument
//! written as on the command line, `--objective O`, `--cap SELECTOR=LIMIT`,
//! `--floor SELECTOR=LIMIT`, `--off KEY`, `--on KEY`, `--variant VARIANT` (a space or `=` after
//! the flag), or a bare `MODULE` (the module `replicate` copies; the plan's first module by
//! default). Each value is parsed with the library's `FromStr` (`Selector`, `Limit`,
//! `Objective`, `Variant`; every other line with all four) and what parses is applied to the
//! embedded apartments plan the way `offergraph toggle`, `replicate` and `optimize` do: the
//! toggles by key, then `Plan::replicate` with the variants, then `Plan::optimize` under the
//! objective (else the plan's own policy, else the most gross profit) with the caps and floors
//! (bounded solves). No panic; an edit that fails leaves the plan as it was; every figure of
//! every `Ok` answer is finite. Errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use offergraph::optimize::{Limit, Objective};
use offergraph::{GroupBy, OptimizePolicy, Plan, Selector, Variant};
use offergraph_fuzz as check;

/// Most argument lines read from one input.
const MAX_ARGS: usize = 16;

/// What the lines ask for, parsed.
#[derive(Default)]
struct Args {
    objective: Option<Objective>,
    caps: Vec<(Selector, Limit)>,
    floors: Vec<(Selector, Limit)>,
    toggles: Vec<(String, bool)>,
    variants: Vec<Variant>,
    module: Option<String>,
}

/// `SELECTOR=LIMIT`, split at the last `=` (a tag selector has one of its own), as the command
/// line's `--cap` and `--floor` read it.
fn group(s: &str) -> Option<(Selector, Limit)> {
    let (sel, limit) = s.rsplit_once('=')?;
    let parsed = (sel.parse::<Selector>(), limit.parse::<Limit>());
    // The errors' messages are part of the interface: building them must not panic either.
    let _ = (parsed.0.as_ref().map_err(ToString::to_string), parsed.1.as_ref().map_err(ToString::to_string));
    Some((parsed.0.ok()?, parsed.1.ok()?))
}

fn parse(text: &str) -> Args {
    let mut args = Args::default();
    for line in text.lines().take(MAX_ARGS) {
        let (flag, value) = match line.strip_prefix("--") {
            Some(rest) => rest.split_once([' ', '=']).unwrap_or((rest, "")),
            None => ("", line),
        };
        match flag {
            "objective" => args.objective = value.parse().ok().or(args.objective),
            "cap" => args.caps.extend(group(value)),
            "floor" => args.floors.extend(group(value)),
            "off" => args.toggles.push((value.to_owned(), false)),
            "on" => args.toggles.push((value.to_owned(), true)),
            "variant" => args.variants.extend(value.parse::<Variant>().ok()),
            "" => args.module = Some(value.to_owned()),
            _ => {
                // Any other text through every parser (and its error message).
                let _ = value.parse::<Selector>().map_err(|e| e.to_string());
                let _ = value.parse::<Limit>().map_err(|e| e.to_string());
                let _ = value.parse::<Objective>().map_err(|e| e.to_string());
                let _ = value.parse::<Variant>().map_err(|e| e.to_string());
            }
        }
    }
    args
}

/// Switches a module (a key without `:`) or a part (`KIND:KEY`), as `offergraph toggle` does.
fn toggle(plan: &mut Plan, key: &str, on: bool) -> bool {
    if !key.contains(':') {
        return plan.set_module_enabled(key, on).is_ok();
    }
    let Ok(selector) = key.parse::<Selector>() else { return false };
    match selector.by() {
        GroupBy::Part(kind) => plan.set_part_enabled(*kind, selector.value(), on).is_ok(),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let args = parse(text);
    static PLAN: std::sync::OnceLock<Plan> = std::sync::OnceLock::new();
    let mut plan =
        PLAN.get_or_init(|| offergraph::sample::apartments().expect("the sample plan is valid")).clone();

    for (key, on) in &args.toggles {
        let before = plan.to_json();
        if !toggle(&mut plan, key, *on) {
            assert_eq!(plan.to_json(), before, "a toggle of {key:?} that failed changed the plan");
        }
    }
    if !args.variants.is_empty() {
        let module = args
            .module
            .clone()
            .unwrap_or_else(|| plan.modules().next().map(|m| m.key().to_owned()).unwrap_or_default());
        let before = plan.to_json();
        if plan.replicate(&module, &args.variants).is_err() {
            assert_eq!(plan.to_json(), before, "a replicate of {module:?} that failed changed the plan");
        }
    }
    if let Ok(e) = plan.evaluate() {
        check::evaluation("evaluate", &e);
        let _ = e.report(&plan);
    }

    let mut policy = args.objective.map_or_else(|| plan.budget_policy().optimizing(), OptimizePolicy::new);
    for (sel, limit) in args.caps {
        policy = policy.with_cap(sel, limit);
    }
    for (sel, limit) in args.floors {
        policy = policy.with_floor(sel, limit);
    }
    policy = policy.with_options(check::solve_options());
    if let Ok(best) = plan.optimize(&policy) {
        check::allocation("optimize.allocation", best.allocation());
        check::solution("optimize.solution", best.solution());
        if let Ok(e) = plan.evaluate_allocation(best.allocation()) {
            check::evaluation("optimize.evaluation", &e);
        }
        let _ = best.report(&plan);
    }
});
