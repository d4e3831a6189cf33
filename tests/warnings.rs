//! Static warnings (issue 12): a scenario's static figures say when a time model lies behind
//! them and flag over-sale; unclaimed modules and offers without a lag are named; a plan-wide
//! default team and default lag (schema version 3).

use offergraph::error::PlanError;
use offergraph::time::{Horizon, Lag, TimeModel, TimeOptimizeOptions};
use offergraph::{Channel, ModuleSpec, Scenario, Warning};

fn b2b_json() -> String {
    std::fs::read_to_string(format!("{}/tests/cases/b2b-12-weeks.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_case_plans_static_table_says_it_is_oversold_with_the_full_cycle_figures() {
    let scenario = Scenario::from_json(&b2b_json()).unwrap();
    let warnings = scenario.warnings().unwrap();
    let Warning::TimeModel { periods, static_romi, full_cycle_romi, lost_share } = &warnings[0] else {
        panic!("{warnings:?}")
    };
    // The figures of issue 12: +492% on the static table, +139% over the full cycle, 60% lost.
    assert_eq!(*periods, 12);
    assert!((static_romi.unwrap() - 4.919).abs() < 1e-3, "{static_romi:?}");
    assert!((full_cycle_romi.unwrap() - 1.392).abs() < 1e-3, "{full_cycle_romi:?}");
    assert!((lost_share - 0.596).abs() < 1e-3, "{lost_share}");
    let Warning::Oversold { team, lost, arrivals, periods } = &warnings[1] else { panic!("{warnings:?}") };
    assert_eq!((team.as_str(), periods.len()), ("sales", 12));
    assert!((lost / arrivals - lost_share).abs() < 1e-9);
    assert_eq!(warnings.len(), 2, "every module is claimed and every offer has a lag");
    let table = scenario.table().unwrap();
    let tail: Vec<&str> = table.lines().rev().take(2).collect();
    assert_eq!(
        tail[1],
        "warning: static figures ignore the time model (12 periods: capacity, lags, seasonality): ROMI +492% here, +139% over the full cycle, 60% of leads lost to capacity"
    );
    assert_eq!(
        tail[0],
        "warning: oversold: team \"sales\" gets more leads than it can process in 12 of its periods; 708 of 1188 leads lost"
    );
}

#[test]
fn a_module_that_escaped_the_desk_is_named_and_a_default_team_limits_it() {
    let mut scenario = Scenario::from_json(&b2b_json()).unwrap();
    scenario
        .edit(|p| {
            let feed = p.part::<Channel>("feed")?.clone();
            p.add_part(Channel::new("events", feed.curve().clone(), feed.reference_audience())?)?;
            p.add_module(ModuleSpec::new("jiangsu-medicine", "medicine-compliance", "standard", "events"))
        })
        .unwrap();
    let key = "jiangsu-medicine/medicine-compliance/standard/events";
    let warnings = scenario.warnings().unwrap();
    assert!(warnings.contains(&Warning::Unclaimed { modules: vec![key.into()] }), "{warnings:?}");
    let model = scenario.time().unwrap().clone();
    let options = TimeOptimizeOptions::new();
    let free = model.optimize(scenario.plan(), options.clone()).unwrap();
    let events: f64 = free.evaluation().module(scenario.plan(), key).unwrap().leads.iter().sum();
    assert!(events > 1.0, "unclaimed, the new module is planned beyond the desk: {events}");
    let limited = model.with_default_team("sales");
    scenario.set_time(limited.clone()).unwrap();
    assert!(!scenario.warnings().unwrap().iter().any(|w| matches!(w, Warning::Unclaimed { .. })));
    let best = limited.optimize(scenario.plan(), options).unwrap();
    let sales = best.evaluation().team("sales").unwrap();
    for t in 0..12 {
        assert!(sales.arrivals[t] <= sales.capacity[t] * (1.0 + 1e-9), "period {t}");
    }
    assert!(best.evaluation().unclaimed_modules(scenario.plan()).unwrap().is_empty());
}

#[test]
fn offers_without_a_lag_are_named_and_a_default_lag_closes_them_later() {
    let plan = offergraph::sample::apartments().unwrap();
    let model =
        TimeModel::new(Horizon::weeks(4).unwrap()).with_offer_lag("2-room", Lag::gamma(2.0, 1.0).unwrap());
    let eval = model.evaluate(&plan).unwrap();
    assert_eq!(eval.offers_without_lag(), ["3-room", "1-room"]);
    assert_eq!(
        serde_json::to_value(eval.report(&plan).unwrap()).unwrap()["offers_without_lag"],
        serde_json::json!(["3-room", "1-room"])
    );
    let lagged = model.with_default_lag(Lag::gamma(2.0, 1.0).unwrap()).evaluate(&plan).unwrap();
    assert!(lagged.offers_without_lag().is_empty());
    // Deals now close two weeks after their leads: less closes within the horizon, the full cycle is the same.
    assert!(lagged.in_horizon().deals < eval.in_horizon().deals * 0.9);
    assert!((lagged.full_cycle().deals - eval.full_cycle().deals).abs() < 1e-9 * eval.full_cycle().deals);
}

#[test]
fn defaults_are_schema_version_3_and_older_files_keep_loading() {
    let old = b2b_json();
    let scenario = Scenario::from_json(&old).unwrap();
    assert!(scenario.to_json().contains("\"schema_version\": 3"));
    let model = scenario
        .time()
        .unwrap()
        .clone()
        .with_default_lag(Lag::geometric(3.0).unwrap())
        .with_default_team("sales");
    let scenario = scenario.with_time(model).unwrap();
    let json = scenario.to_json();
    assert!(json.contains("\"default_team\": \"sales\""), "{json}");
    let back = Scenario::from_json(&json).unwrap();
    assert_eq!(back.time().unwrap().default_team(), Some("sales"));
    assert_eq!(back.time().unwrap().default_lag(), Some(&Lag::geometric(3.0).unwrap()));
    assert_eq!(back.to_json(), json);
    let as_v2 = json.replace("\"schema_version\": 3", "\"schema_version\": 2");
    let err = Scenario::from_json(&as_v2).unwrap_err();
    assert!(
        matches!(err, PlanError::FieldNeedsVersion { field: "default_lag", needs: 3, found: 2 }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "`default_lag` needs schema_version 3, found schema_version 2; write \"schema_version\": 3"
    );
    let unknown = json.replace("\"default_team\": \"sales\"", "\"default_team\": \"desk\"");
    assert_eq!(
        Scenario::from_json(&unknown).unwrap_err().to_string(),
        "there is no default team \"desk\" in this time model"
    );
}
