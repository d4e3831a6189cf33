//! Every command on the example plan files: exit 0, and the values the library gives.

use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
use offergraph::file::ProblemFile;
use offergraph::optimize::{Limit, Measure, Objective, SolveOptions};
use offergraph::page::Page;
use offergraph::uncertainty::{MonteCarlo, RiskObjective};
use offergraph::{GroupBy, OptimizePolicy, PartKind, Scenario, Selector};

use crate::{close, json, line, ok, root, scratch};

const APARTMENTS: &str = "examples/plans/apartments.json";
const RISK: &str = "examples/plans/apartments-risk.json";
const B2B: &str = "examples/plans/b2b-12-weeks.json";
const ACTUALS: &str = "examples/plans/b2b-actuals.csv";
const PROBLEM: &str = "examples/plans/allocation-problem.json";

fn load(path: &str) -> Scenario {
    Scenario::load(root().join(path)).expect("example plan loads")
}

#[test]
fn evaluate_prints_the_librarys_figures() {
    let out = json(&["evaluate", APARTMENTS]);
    let plan = offergraph::sample::apartments().expect("sample");
    let eval = plan.evaluate().expect("evaluates");
    // The example file is the embedded apartment plan.
    assert_eq!(load(APARTMENTS).plan().evaluate().expect("evaluates").total(), eval.total());
    assert!(close(out["total"]["romi"].as_f64().expect("romi"), eval.total().romi().expect("spend")));
    assert!(close(out["total"]["spend"].as_f64().expect("spend"), 60_000.0));
    assert_eq!(out["modules"].as_array().map(Vec::len), Some(plan.module_count()));
    assert_eq!(out["modules"][0]["key"], "families/playground/2-room/search");
    let table = ok(&["evaluate", APARTMENTS]);
    assert!(table.starts_with("module"), "{table}");
    assert!(table.contains("\nTOTAL "), "{table}");
    // The B2B plan's table ends with what its static figures leave out.
    assert!(ok(&["evaluate", B2B]).contains("\nwarning: static figures ignore the time model (12 periods"));
}

#[test]
fn optimize_gives_the_certified_optimum_under_caps() {
    let out =
        json(&["optimize", APARTMENTS, "--objective", "max_gross_profit", "--cap", "channel:search=40%"]);
    let plan = load(APARTMENTS).plan().clone();
    let policy = OptimizePolicy::new(Objective::MaxValueFixedBudget { measure: Measure::GrossProfit })
        .with_cap(Selector::new(GroupBy::Part(PartKind::Channel), "search"), Limit::Share(0.4));
    let best = plan.optimize(&policy).expect("optimizes");
    assert!(close(out["objective"].as_f64().expect("objective"), best.solution().objective));
    assert!(out["objective"].as_f64() <= out["upper_bound"].as_f64());
    let search: f64 = plan
        .modules()
        .zip(best.allocation().spend())
        .filter(|(m, _)| m.key().ends_with("/search"))
        .map(|(_, s)| *s)
        .sum();
    assert!(search <= 0.4 * 60_000.0 + 1e-6, "{search}");
    // Tag selectors and floors parse; writing the policy gives a plan that loads with it.
    let dir = scratch("optimize");
    let saved = dir.join("optimized.json");
    let floor = "--floor tag:region=north=1000";
    let table =
        ok(&line(&format!("optimize {APARTMENTS} --objective max-profit {floor} -o {}", saved.display())));
    assert!(table.contains("max_profit: optimal, objective "), "{table}");
    let back = Scenario::load(&saved).expect("written plan loads");
    assert!(matches!(back.plan().budget_policy(), offergraph::BudgetPolicy::Optimize(_)));
}

#[test]
fn optimize_over_time_respects_the_sales_desk() {
    let dir = scratch("over-time");
    let applied = dir.join("applied.json");
    let out = json(&line(&format!("optimize {B2B} --over-time -o {}", applied.display())));
    let s = load(B2B);
    let model = s.time().expect("time model");
    let best = model.optimize(s.plan(), offergraph::time::TimeOptimizeOptions::new()).expect("optimizes");
    assert!(close(out["objective"].as_f64().expect("objective"), best.objective()));
    assert_eq!(out["evaluation"]["oversold"], false);
    // The optimum applied to the plan: the desk is no longer oversold.
    let after = Scenario::load(&applied).expect("loads");
    assert!(!after.evaluate_time().expect("time").expect("evaluates").is_oversold());
    let table = ok(&["optimize", B2B, "--over-time", "--objective", "max_profit"]);
    assert!(table.contains("\nmax_profit over time: "), "{table}");
    assert!(table.contains("shadow price of team \"sales\" capacity in period "), "{table}");
    crate::fails(2, &["optimize", B2B, "--over-time", "--cap", "channel:feed=10%"]);
}

#[test]
fn toggle_and_replicate_write_plans_that_load() {
    let dir = scratch("edit");
    let toggled = dir.join("toggled.json");
    let switch = "--off investors/yield/1-room/outdoor channel:social --on channel:social";
    let out = json(&line(&format!("toggle {APARTMENTS} {switch} -o {}", toggled.display())));
    let mut plan = load(APARTMENTS).plan().clone();
    plan.set_module_enabled("investors/yield/1-room/outdoor", false).expect("module");
    let after = plan.evaluate().expect("evaluates");
    assert!(close(out["total"]["gross_profit"].as_f64().expect("gp"), after.total().gross_profit));
    let back = Scenario::load(&toggled).expect("loads");
    assert!(!back.plan().module("investors/yield/1-room/outdoor").expect("kept").is_switched_on());

    let replicated = dir.join("replicated.json");
    let variants = "--variant south=tag:region=south --variant west=tag:region=west";
    let module = "families/playground/2-room/search";
    let table = ok(&line(&format!("replicate {APARTMENTS} {module} {variants} -o {}", replicated.display())));
    assert!(table.contains("families/playground/2-room/search@west"), "{table}");
    let back = Scenario::load(&replicated).expect("loads");
    assert_eq!(back.plan().module_count(), 8);
    // diff of the two edits: the toggle switched one module off.
    let diff = json(&line(&format!("diff {APARTMENTS} {}", toggled.display())));
    let changes: Vec<&str> = diff["plan"]["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .filter_map(|m| m["change"].as_str())
        .collect();
    assert_eq!(changes.iter().filter(|c| **c == "switched_off").count(), 1, "{changes:?}");
    assert!(diff["time"].is_null());
    assert!(ok(&line(&format!("diff {APARTMENTS} {}", replicated.display()))).contains("added"));
}

#[test]
fn time_and_diff_over_time() {
    let out = json(&["time", B2B]);
    let s = load(B2B);
    let eval = s.evaluate_time().expect("time model").expect("evaluates");
    assert_eq!(out["periods"], 12);
    assert!(close(out["full_cycle"]["gross_profit"].as_f64().expect("gp"), eval.full_cycle().gross_profit));
    assert_eq!(out["oversold"], true);
    let table = ok(&["time", B2B]);
    assert!(table.starts_with("week "), "{table}");
    assert!(table.contains("team \"sales\" over capacity"), "{table}");
    let same = json(&["diff", B2B, B2B]);
    assert_eq!(same["time"]["periods"].as_array().map(Vec::len), Some(12));
}

#[test]
fn solve_matches_the_library() {
    let out = json(&["solve", PROBLEM]);
    let text = std::fs::read_to_string(root().join(PROBLEM)).expect("problem");
    let s = ProblemFile::from_json(&text)
        .expect("parses")
        .to_problem()
        .expect("valid")
        .solve(SolveOptions::new());
    let s = s.expect("solves");
    assert_eq!(out["id"], "q3-channels");
    assert_eq!(out["status"], "optimal");
    assert!(close(out["objective"].as_f64().expect("objective"), s.objective));
    assert_eq!(out["modules"][3], "outdoor");
    assert!(ok(&["solve", PROBLEM, "--time-limit", "5"]).starts_with("q3-channels: optimal"));
}

#[test]
fn diagnose_matches_the_library_and_writes_a_calibrated_plan() {
    let dir = scratch("diagnose");
    let calibrated = dir.join("calibrated.json");
    let out = json(&line(&format!(
        "diagnose {B2B} {ACTUALS} --target-romi 0.3 --write-calibrated {}",
        calibrated.display()
    )));
    let s = load(B2B);
    let table = Actuals::load(root().join(ACTUALS), s.plan(), s.time()).expect("actuals");
    let d = Diagnosis::new(s.plan(), s.time(), &table, DiagnoseOptions::new().with_target_romi(0.3));
    let report = serde_json::to_value(d.expect("diagnoses").to_report()).expect("json");
    assert_eq!(out, report);
    assert_eq!(out["as_of_period"], 7);
    // The feed modules delivered 60% of the leads planned: the cost link, for some of them.
    assert!(out["modules"].as_array().expect("modules").iter().any(|m| m["weak_link"] == "cost"));
    assert_eq!(Scenario::load(&calibrated).expect("loads").plan().module_count(), 24);
    assert!(ok(&["diagnose", B2B, ACTUALS]).starts_with("as of period 7\nmodule"));
}

#[test]
fn risk_is_the_seeded_monte_carlo() {
    let out = json(&["risk", RISK, "--draws", "2000", "--seed", "3"]);
    let s = load(RISK);
    let sim = s.simulate(MonteCarlo::new().with_draws(2000).with_seed(3)).expect("runs");
    assert_eq!((out["draws"].as_u64(), out["seed"].as_u64()), (Some(2000), Some(3)));
    assert!(close(out["total"]["profit"]["mean"].as_f64().expect("mean"), sim.total().profit.mean));
    assert!(close(out["total"]["p_loss"].as_f64().expect("p_loss"), sim.total().p_loss));
    assert_eq!(out, json(&["risk", RISK, "--draws", "2000", "--seed", "3"]), "same seed, same answer");
    assert!(ok(&["risk", RISK, "--draws", "100"]).starts_with("100 draws, seed 0\nmodule"));
    let over_time = json(&["risk", B2B, "--draws", "50", "--over-time"]);
    assert_eq!(over_time["over_time"], true);
}

#[test]
fn risk_optimize_gives_the_certified_risk_aware_optimum() {
    let out = json(&line(&format!("risk {RISK} --optimize cvar --alpha 0.1 --draws 2000 --seed 3")));
    let s = load(RISK);
    let mc = MonteCarlo::new().with_draws(2000).with_seed(3);
    let best =
        s.uncertainty().optimize(s.plan(), mc, RiskObjective::cvar(0.1).expect("alpha")).expect("optimizes");
    assert_eq!(out, serde_json::to_value(best.report(s.plan()).expect("report")).expect("json"));
    assert_eq!((out["status"].as_str(), out["objective"].as_str()), (Some("optimal"), Some("cvar")));
    let [cvar, mean, bound] = ["cvar", "mean", "upper_bound"].map(|k| out[k].as_f64().expect("a number"));
    assert!(cvar <= bound && cvar <= mean, "{out}");
    assert!(out["gap"].as_f64().expect("gap") <= 1e-6 * cvar.abs().max(1.0), "{out}");
    // Before: the plan's own allocation, spending the whole budget; after: within it.
    let modules = out["modules"].as_array().expect("modules");
    assert_eq!(modules.len(), s.plan().module_count());
    let before: f64 = modules.iter().map(|m| m["before"].as_f64().expect("before")).sum();
    assert!(close(before, 60_000.0) && close(out["total_before"].as_f64().expect("total"), before));
    assert!(out["total_after"].as_f64().expect("total") <= 60_000.0 * (1.0 + 1e-9));
    // The mean: its CVaR at alpha 1 is the mean.
    let mean = json(&line(&format!("risk {RISK} --optimize mean --draws 500")));
    assert_eq!((mean["objective"].as_str(), mean["alpha"].as_f64()), (Some("mean"), Some(1.0)));
    assert!(close(mean["cvar"].as_f64().expect("cvar"), mean["mean"].as_f64().expect("mean")));
    let table = ok(&line(&format!("risk {RISK} --optimize cvar --alpha 0.1 --draws 2000 --seed 3")));
    assert!(table.starts_with("cvar at alpha 0.1 over 2000 draws, seed 3: optimal\ncvar "), "{table}");
    assert!(table.contains("\nmodule ") && table.contains("\nTOTAL "), "{table}");
}

#[test]
fn report_writes_the_librarys_page() {
    let dir = scratch("report");
    let page = dir.join("b2b.html");
    let out = json(&line(&format!("report {B2B} {ACTUALS} --target-romi 0.3 -o {}", page.display())));
    let html = std::fs::read_to_string(&page).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"), "{}", &html[..200]);
    assert_eq!(out["written"], page.display().to_string());
    assert_eq!(out["bytes"].as_u64(), Some(html.len() as u64));
    let s = load(B2B);
    let actuals = Actuals::load(ACTUALS, s.plan(), s.time()).expect("actuals");
    let diagnose = DiagnoseOptions::new().with_target_romi(0.3);
    let expected =
        Page::new(&s).with_actuals(&actuals).with_diagnose_options(diagnose).render().expect("renders");
    assert_eq!(html, expected);
    // The uncertainty bands with the draws and seed asked for; on stdout with `-o -`.
    let risk = ok(&line(&format!("report {RISK} --draws 300 --seed 5 -o -")));
    let expected = Page::new(&load(RISK)).with_draws(300).with_seed(5).render().expect("renders");
    assert_eq!(risk, expected);
    assert_ne!(risk, ok(&line(&format!("report {RISK} --draws 300 --seed 6 -o -"))), "the seed is used");
    let table = ok(&line(&format!("report {APARTMENTS} -o {}", dir.join("a.html").display())));
    assert!(table.starts_with(&format!("wrote {} (", dir.join("a.html").display())), "{table}");
}

#[test]
fn schema_lists_and_prints_the_committed_schemas() {
    let list = ok(&["schema"]);
    assert_eq!(list.lines().count(), offergraph::schema::NAMES.len());
    assert!(list.starts_with("plan "), "{list}");
    let listed = json(&["schema"]);
    assert_eq!(listed[1]["name"], "actuals");
    assert_eq!(listed.as_array().map(Vec::len), Some(offergraph::schema::NAMES.len()));
    let plan = ok(&["schema", "plan"]);
    // The committed copy is checked by `schema::committed_schemas_match_the_code`.
    assert_eq!(Some(plan), offergraph::schema::text("plan"));
}

#[test]
fn help_gives_the_grammar_and_the_exit_codes() {
    let help = ok(&["--help"]);
    for needle in
        ["SELECTOR  KIND:KEY | tag:NAME=VALUE", "VARIANT   LABEL[=ITEM,...]", "Exit codes: 0 success"]
    {
        assert!(help.contains(needle), "{needle}: {help}");
    }
    assert!(ok(&["optimize", "--help"]).contains("--cap <SELECTOR=LIMIT>"));
    assert!(help.contains("report ") && help.contains("OUT       a file to write"), "{help}");
    let risk = ok(&["risk", "--help"]);
    assert!(risk.contains("--optimize <OBJECTIVE>") && risk.contains("--alpha <A>"), "{risk}");
}

/// `examples/plans/june.json` is the plan of the README's "A taste", whose `--json` output the
/// README shows.
#[test]
fn the_readmes_plan_file_is_its_taste() -> Result<(), Box<dyn std::error::Error>> {
    use offergraph::curves::{Exponential, Hill};
    use offergraph::{BudgetRule, Channel, ModuleSpec, Money, Offer, Plan, Segment, ValueProposition};
    let mut plan = Plan::new("june", Money::new(40_000.0)?);
    plan.add_part(Segment::new("families", 40_000.0, 0.14)?.with_tag("region", "north"))?;
    plan.add_part(ValueProposition::new("playground", 1.2, ["families"])?)?;
    plan.add_part(Offer::new("2-room", 95_000.0, 0.2, 1.0)?)?;
    plan.add_part(Channel::new("search", Exponential::new(40.0, 25_000.0)?.into(), 40_000.0)?)?;
    plan.add_part(Channel::new("outdoor", Hill::new(30.0, 40_000.0, 2.0)?.into(), 40_000.0)?)?;
    plan.add_module(
        ModuleSpec::new("families", "playground", "2-room", "search").with_budget(BudgetRule::weight(3.0)),
    )?;
    plan.add_module(ModuleSpec::new("families", "playground", "2-room", "outdoor"))?;
    let out = json(&["evaluate", "examples/plans/june.json"]);
    assert_eq!(out, serde_json::to_value(plan.evaluate()?.report(&plan)?)?);
    Ok(())
}
