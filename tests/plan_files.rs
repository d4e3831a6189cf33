//! Plan files: save → load identity, a hand-written file with defaults, and files on disk.

use crate::common::close;
use offergraph::curves::{
    Curve, Exponential, Hill, Linear, Logistic, MichaelisMenten, PiecewiseLinear, ResponseCurve, RisingCpl,
};
use offergraph::file::{PlanFile, SCHEMA_VERSION};
use offergraph::ids::{ChannelId, ModuleId, OfferId, PropositionId, SegmentId};
use offergraph::{
    BudgetRule, Channel, ModuleSpec, Offer, Overrides, PartKind, Plan, Scenario, Segment, ValueProposition,
};

/// Every curve family, with parameters that are not short decimals (so the round trip is exercised
/// on full 17-digit numbers too).
fn every_family() -> Vec<ResponseCurve> {
    vec![
        Linear::new(50.0, None).unwrap().into(),
        Linear::new(1.0 / 3.0, Some(123.456_789_012_345_67)).unwrap().into(),
        Hill::new(60.0, 30_000.0, 0.8).unwrap().into(),
        Hill::new(30.1, 40_000.7, 2.3).unwrap().into(),
        Exponential::new(0.1 + 0.2, 25_000.0).unwrap().into(),
        Logistic::new(80.0, 1.0 / 7_000.0).unwrap().into(),
        MichaelisMenten::new(100.0, 8_000.000_000_001).unwrap().into(),
        RisingCpl::new(12.5, 40.0, 0.7).unwrap().into(),
        PiecewiseLinear::new(vec![(1000.0, 10.0), (3000.0, 24.5), (9000.0, 40.0 / 3.0 + 30.0)])
            .unwrap()
            .into(),
    ]
}

/// The sample plan enriched with every feature a file must carry: a channel per curve family,
/// modules with measured overrides of every kind (curves of every family), fixed and bounded rules,
/// module tags, custom keys and ids, parts and modules switched off.
fn rich_plan() -> Plan {
    let mut plan = offergraph::sample::apartments().unwrap();
    for (i, curve) in every_family().into_iter().enumerate() {
        let key = format!("ch-{i}-{}", curve.family());
        let channel = Channel::new(key.clone(), curve.clone(), 30_000.0 + i as f64)
            .unwrap()
            .with_tag("family", curve.family());
        plan.add_part(channel).unwrap();
        let mut spec = ModuleSpec::new("first-time", "mortgage", "2-room", key.as_str())
            .with_budget(BudgetRule::weight(0.5 + i as f64 / 3.0).with_max(20_000.0 + i as f64))
            .with_tag("flight", format!("wave-{}", i % 3));
        if i % 2 == 0 {
            // A measured curve of the same family on the module itself.
            spec = spec.with_curve(curve);
        }
        plan.add_module(spec).unwrap();
    }
    plan.add_part(Offer::new("studio", 45_000.5, 0.17, 1.1).unwrap().with_tag("category", "studio")).unwrap();
    plan.add_part_with_id(
        Segment::new("retirees", 12_345.0, 0.055).unwrap().with_tag("region", "east").with_tag("age", "65+"),
        SegmentId::from_uuid(uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0)),
    )
    .unwrap();
    plan.add_part(
        ValueProposition::new("quiet", 0.9, ["retirees", "investors"]).unwrap().with_tag("theme", "calm"),
    )
    .unwrap();
    plan.add_module(
        ModuleSpec::new("retirees", "quiet", "studio", "search")
            .with_key("retirees-search")
            .with_id(uuid::Uuid::from_u128(42))
            .with_budget(BudgetRule::fixed(1_500.0).with_min(1_000.0).with_max(2_000.0))
            .with_overrides(Overrides {
                curve: Some(Exponential::new(9.0, 3_000.0).unwrap().into()),
                conversion: Some(0.07),
                deal_value: Some(44_000.0),
                margin: Some(0.15),
            })
            .with_tag("flight", "spring")
            .with_enabled(false),
    )
    .unwrap();
    plan.add_module(
        ModuleSpec::new("investors", "quiet", "studio", "social")
            .with_budget(BudgetRule::weight(0.0).with_min(250.0))
            .with_conversion(0.2),
    )
    .unwrap();
    plan.set_part_enabled(PartKind::Offer, "3-room", false).unwrap();
    plan.set_part_enabled(PartKind::Channel, "ch-3-hill", false).unwrap();
    plan.set_module_enabled("investors/yield/1-room/outdoor", false).unwrap();
    plan
}

fn module_snapshot(plan: &Plan) -> Vec<(ModuleId, String, bool, bool, Overrides, BudgetRule, String)> {
    plan.modules()
        .map(|m| {
            (
                m.id(),
                m.key().to_owned(),
                m.is_switched_on(),
                m.is_active(),
                m.overrides().clone(),
                *m.budget_rule(),
                format!("{:?}", plan.effective_tags(m.key()).unwrap()),
            )
        })
        .collect()
}

#[test]
fn save_then_load_gives_an_identical_plan() {
    let plan = rich_plan();
    let json = plan.to_json();
    let back = Plan::from_json(&json).unwrap();
    assert_eq!(back.to_json(), json);
    assert_eq!(back.name(), "apartments-june");
    assert!(close(back.budget().get(), 60_000.0));
    assert_eq!(back.module_count(), plan.module_count());
    // Module ids, keys (in order), switches, active states, overrides, rules, tags.
    assert_eq!(module_snapshot(&back), module_snapshot(&plan));
    assert_eq!(back.module("retirees-search").unwrap().id(), ModuleId::from_uuid(uuid::Uuid::from_u128(42)));
    // Parts: ids, order, values, tags and switches.
    let seg = |p: &Plan| {
        p.parts::<Segment>().map(|s| (p.part_id::<Segment>(s.key()).unwrap(), s.clone())).collect::<Vec<_>>()
    };
    assert_eq!(seg(&back), seg(&plan));
    let vps = |p: &Plan| {
        p.parts::<ValueProposition>()
            .map(|s| (p.part_id::<ValueProposition>(s.key()).unwrap(), s.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(vps(&back), vps(&plan));
    let offers = |p: &Plan| {
        p.parts::<Offer>().map(|s| (p.part_id::<Offer>(s.key()).unwrap(), s.clone())).collect::<Vec<_>>()
    };
    assert_eq!(offers(&back), offers(&plan));
    let channels = |p: &Plan| {
        p.parts::<Channel>().map(|s| (p.part_id::<Channel>(s.key()).unwrap(), s.clone())).collect::<Vec<_>>()
    };
    assert_eq!(channels(&back), channels(&plan));
    assert_eq!(
        back.part_id::<Segment>("retirees").unwrap(),
        SegmentId::from_uuid(uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0))
    );
    for kind in PartKind::ALL {
        for key in ["families", "quiet", "3-room", "studio", "ch-3-hill", "search"] {
            if let Ok(on) = plan.is_part_enabled(kind, key) {
                assert_eq!(back.is_part_enabled(kind, key).unwrap(), on, "{kind} {key}");
            }
        }
    }
    assert!(!back.is_part_enabled(PartKind::Offer, "3-room").unwrap());
    // Every curve family came back equal, through its channel and through module overrides.
    let curves: Vec<ResponseCurve> = back.parts::<Channel>().skip(3).map(|c| c.curve().clone()).collect();
    assert_eq!(curves, every_family());
    // And the evaluations agree bit for bit.
    let (a, b) = (back.evaluate().unwrap(), plan.evaluate().unwrap());
    assert_eq!(a.modules(), b.modules());
    assert_eq!(a.total(), b.total());
}

#[test]
fn saved_json_names_the_schema_ids_and_keys() {
    let plan = rich_plan();
    let value: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    assert_eq!(value["schema_version"], 3);
    assert_eq!(value["name"], "apartments-june");
    assert_eq!(value["segments"][0]["key"], "families");
    assert_eq!(value["segments"][0]["id"], SegmentId::from_key("families").to_string());
    assert_eq!(
        value["modules"][0]["id"],
        ModuleId::from_key("families/playground/2-room/search").to_string()
    );
    assert_eq!(value["modules"][0]["segment"], "families");
    assert_eq!(value["modules"][0]["budget"]["weight"], 3.0);
    assert_eq!(value["channels"][0]["curve"]["type"], "exponential");
    assert_eq!(value["offers"][2]["enabled"], false);
    // Switched-on things do not write `enabled`.
    assert!(value["offers"][0].get("enabled").is_none());
    let file = PlanFile::from(&plan);
    assert_eq!(file.schema_version, SCHEMA_VERSION);
    assert_eq!(file.modules.len(), plan.module_count());
    assert_eq!(Plan::try_from(file).unwrap().to_json(), plan.to_json());
}

#[test]
fn a_second_round_trip_changes_nothing_and_order_is_kept() {
    let mut plan = rich_plan();
    // Move a module to the front by replacing a part (the new module keeps the old position).
    plan.replace_part("families/playground/2-room/search", PartKind::Offer, "1-room").unwrap();
    let once = Plan::from_json(&plan.to_json()).unwrap();
    let twice = Plan::from_json(&once.to_json()).unwrap();
    assert_eq!(twice.to_json(), plan.to_json());
    let keys = |p: &Plan| p.modules().map(|m| m.key().to_owned()).collect::<Vec<_>>();
    assert_eq!(keys(&twice), keys(&plan));
    assert_eq!(keys(&twice)[0], "families/playground/1-room/search");
}

#[test]
fn a_hand_written_file_loads_with_defaults_and_known_figures() {
    // Budget 9000 split 1 : 2 → 3000 and 6000; the third module is switched off.
    let json = r#"{
      "schema_version": 1,
      "name": "b2b-q3",
      "budget": 9000,
      "segments": [
        {"key": "retail-north", "audience": 5000, "base_conversion": 0.2, "tags": {"industry": "retail", "region": "north"}},
        {"key": "logistics-south", "audience": 2500, "base_conversion": 0.25, "enabled": true}
      ],
      "propositions": [
        {"key": "fast-delivery", "relevance": 1.2, "segments": ["retail-north", "logistics-south"]}
      ],
      "offers": [
        {"key": "starter", "deal_value": 3000, "margin": 0.4},
        {"key": "fleet", "deal_value": 12000, "margin": 0.3, "conversion_factor": 0.5, "tags": {"tier": "large"}}
      ],
      "channels": [
        {"key": "search", "curve": {"type": "linear", "cpl": 60}, "reference_audience": 6000},
        {"key": "events", "curve": {"type": "exponential", "L": 40, "k": 4000}, "reference_audience": 2500}
      ],
      "modules": [
        {"segment": "retail-north", "proposition": "fast-delivery", "offer": "starter", "channel": "search"},
        {"key": "fleet-events", "segment": "logistics-south", "proposition": "fast-delivery", "offer": "fleet",
         "channel": "events", "budget": {"weight": 2, "max": 8000}, "tags": {"flight": "autumn"}},
        {"segment": "logistics-south", "proposition": "fast-delivery", "offer": "starter", "channel": "search",
         "enabled": false, "overrides": {"conversion": 0.3}}
      ]
    }"#;
    let plan = Plan::from_json(json).unwrap();
    assert_eq!(plan.name(), "b2b-q3");
    assert_eq!(plan.module_count(), 3);
    // Ids derived from keys; default module key segment/proposition/offer/channel.
    let m1 = "retail-north/fast-delivery/starter/search";
    assert_eq!(plan.modules().next().unwrap().id(), ModuleId::from_key(m1));
    assert_eq!(plan.part_id::<Segment>("retail-north").unwrap(), SegmentId::from_key("retail-north"));
    assert_eq!(
        plan.part_id::<ValueProposition>("fast-delivery").unwrap(),
        PropositionId::from_key("fast-delivery")
    );
    assert_eq!(plan.part_id::<Offer>("fleet").unwrap(), OfferId::from_key("fleet"));
    assert_eq!(plan.part_id::<Channel>("events").unwrap(), ChannelId::from_key("events"));
    assert_eq!(plan.module("fleet-events").unwrap().id(), ModuleId::from_key("fleet-events"));
    // Defaults: conversion factor 1, weight 1, enabled.
    assert!(close(plan.part::<Offer>("starter").unwrap().conversion_factor(), 1.0));
    assert_eq!(plan.module(m1).unwrap().budget_rule(), &BudgetRule::weight(1.0));
    assert_eq!(plan.module("fleet-events").unwrap().budget_rule(), &BudgetRule::weight(2.0).with_max(8000.0));
    let m3 = "logistics-south/fast-delivery/starter/search";
    assert!(!plan.module(m3).unwrap().is_active());
    assert_eq!(plan.module(m3).unwrap().overrides().conversion, Some(0.3));
    assert_eq!(plan.effective_tags("fleet-events").unwrap()["tier"], "large");
    assert_eq!(plan.effective_tags("fleet-events").unwrap()["flight"], "autumn");

    let eval = plan.evaluate().unwrap();
    // m1: s = 3000; scale 1.2·5000/6000 = 1 → r = 3000/60 = 50 leads; v = 0.2·3000·0.4 = 240 → GP 12000.
    let f = eval.module(&plan, m1).unwrap();
    assert!(close(f.figures.spend, 3000.0));
    assert!(close(f.figures.leads, 50.0));
    assert!(close(f.figures.gross_profit, 12_000.0));
    // fleet-events: s = 6000 (≤ max 8000); scale 1.2·2500/2500 = 1.2 → L = 48, k = 4000:
    // r = 48(1 − e^−1.5) ≈ 37.289; c = 0.25·0.5 = 0.125, v = 0.125·12000·0.3 = 450.
    let f = eval.module(&plan, "fleet-events").unwrap();
    let leads = 48.0 * (1.0 - (-1.5f64).exp());
    assert!(close(f.figures.spend, 6000.0));
    assert!(close(f.figures.leads, leads));
    assert!(close(f.figures.deals, 0.125 * leads));
    assert!(close(f.figures.gross_profit, 450.0 * leads));
    assert!(close(eval.total().gross_profit, 12_000.0 + 450.0 * leads));
    assert!(close(eval.module(&plan, m3).unwrap().figures.spend, 0.0));

    // Re-saving writes everything explicitly and loads back identically.
    let again = Plan::from_json(&plan.to_json()).unwrap();
    assert_eq!(again.to_json(), plan.to_json());
}

#[test]
fn parts_switched_off_in_a_file_deactivate_their_modules() {
    let json = r#"{
      "schema_version": 1, "name": "off", "budget": 100,
      "segments": [{"key": "s", "audience": 10, "base_conversion": 0.1}],
      "propositions": [{"key": "v", "relevance": 1, "segments": ["s"]}],
      "offers": [{"key": "o", "deal_value": 10, "margin": 0.5}],
      "channels": [{"key": "a", "curve": {"type": "linear", "cpl": 1}, "reference_audience": 10},
                   {"key": "b", "curve": {"type": "linear", "cpl": 2}, "reference_audience": 10, "enabled": false}],
      "modules": [{"segment": "s", "proposition": "v", "offer": "o", "channel": "a"},
                  {"segment": "s", "proposition": "v", "offer": "o", "channel": "b"}]
    }"#;
    let plan = Plan::from_json(json).unwrap();
    assert!(plan.module("s/v/o/a").unwrap().is_active());
    let b = plan.module("s/v/o/b").unwrap();
    assert!(b.is_switched_on());
    assert!(!b.is_active());
    assert_eq!(
        plan.why_off("s/v/o/b").unwrap(),
        [offergraph::OffReason::Part { kind: PartKind::Channel, key: "b".into() }]
    );
    // All 100 go to the active module: r = 100/1 = 100 leads.
    assert!(close(plan.evaluate().unwrap().total().leads, 100.0));
}

#[test]
fn save_and_load_through_a_temporary_file() {
    let plan = rich_plan();
    let path = std::env::temp_dir().join(format!("offergraph-it-plan-{}.json", std::process::id()));
    plan.save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, plan.to_json());
    let back = Plan::load(&path).unwrap();
    assert_eq!(back.to_json(), plan.to_json());
    assert_eq!(module_snapshot(&back), module_snapshot(&plan));

    // An invalid file names its path before the problem.
    std::fs::write(&path, r#"{"schema_version": 1, "name": "x", "budget": -5}"#).unwrap();
    let err = Plan::load(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: plan \"x\" field `budget` must be 0 or a number in [1e-6, 1e15], found -5",
            path.display()
        )
    );
    std::fs::remove_file(&path).unwrap();

    // A missing file is an I/O error naming the path.
    let err = Plan::load(&path).unwrap_err();
    assert!(err.to_string().starts_with(&format!("cannot access plan file {}: ", path.display())), "{err}");
    // Saving into a directory that does not exist is an I/O error too.
    let bad = std::env::temp_dir().join("offergraph-no-such-dir-xyz").join("p.json");
    let err = plan.save(&bad).unwrap_err();
    assert!(err.to_string().starts_with(&format!("cannot access plan file {}: ", bad.display())), "{err}");
}

#[test]
fn a_loaded_curve_behaves_like_the_built_one() {
    let json = r#"{"schema_version": 1, "name": "c", "budget": 1000,
      "segments": [{"key": "s", "audience": 100, "base_conversion": 0.5}],
      "propositions": [{"key": "v", "relevance": 1, "segments": ["s"]}],
      "offers": [{"key": "o", "deal_value": 100, "margin": 0.5}],
      "channels": [{"key": "c", "curve": {"type": "piecewise_linear", "points": [[500, 10], [1500, 20]]},
                    "reference_audience": 100}],
      "modules": [{"segment": "s", "proposition": "v", "offer": "o", "channel": "c"}]}"#;
    let plan = Plan::from_json(json).unwrap();
    // Through (0,0), (500,10), (1500,20): r(1000) = 10 + (500/1000)·10 = 15; r' = 10/1000 = 0.01.
    let f = plan.evaluate().unwrap().modules()[0];
    assert!(close(f.figures.leads, 15.0));
    assert!(close(f.marginal_leads().unwrap(), 0.01));
    let c = plan.part::<Channel>("c").unwrap().curve();
    assert!(close(c.leads(1000.0), 15.0));
}

#[test]
fn version_1_files_load_and_are_written_as_version_3() {
    let v1 = r#"{"schema_version": 1, "name": "old", "budget": 10}"#;
    let scenario = Scenario::from_json(v1).unwrap();
    assert!(scenario.time().is_none());
    assert!(scenario.to_json().contains("\"schema_version\": 3"));
}

#[test]
fn time_section_round_trips_and_needs_version_2() {
    use offergraph::time::{Flights, Horizon, Lag, SalesTeam, TimeModel};
    let plan = offergraph::sample::apartments().unwrap();
    let model = TimeModel::new(Horizon::weeks(6).unwrap())
        .with_flights(Flights::front_loaded())
        .with_team(SalesTeam::new("desk", 2.0, 3.0, 5.0).unwrap().with_channel("search"))
        .with_offer_lag("2-room", Lag::gamma(3.0, 1.5).unwrap());
    let scenario = Scenario::new(plan).with_time(model).unwrap();
    let json = scenario.to_json();
    let again = Scenario::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);
    let before = scenario.evaluate_time().unwrap().unwrap();
    let after = again.evaluate_time().unwrap().unwrap();
    assert_eq!(before.full_cycle(), after.full_cycle());

    let v1 = json.replacen("\"schema_version\": 3", "\"schema_version\": 1", 1);
    assert_eq!(
        Scenario::from_json(&v1).unwrap_err().to_string(),
        "the `time` section needs schema_version 2, found schema_version 1"
    );
    // A bare plan refuses the file rather than drop its time section.
    assert_eq!(
        Plan::from_json(&json).unwrap_err().to_string(),
        "the plan file has a `time` section; load it as a Scenario (Scenario::from_json or Scenario::load) to keep it"
    );
}

#[test]
fn a_saved_scenario_loads_again_after_a_module_with_a_lag_is_removed() {
    use offergraph::time::{Horizon, Lag, SalesTeam, TimeModel};
    let key = "investors/yield/1-room/outdoor";
    let model = TimeModel::new(Horizon::weeks(4).unwrap())
        .with_module_lag(key, Lag::geometric(2.0).unwrap())
        .with_team(SalesTeam::new("desk", 1.0, 5.0, 5.0).unwrap().with_module(key).with_channel("search"));
    let mut scenario = Scenario::new(offergraph::sample::apartments().unwrap()).with_time(model).unwrap();
    let (_, dropped) = scenario.edit(|plan| plan.remove_module(key)).unwrap();
    let said: Vec<String> = dropped.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            format!("team \"desk\" referred to module \"{key}\", which the plan no longer has; dropped"),
            format!("lags referred to module \"{key}\", which the plan no longer has; dropped"),
        ]
    );
    let path = std::env::temp_dir().join(format!("offergraph-it-scenario-{}.json", std::process::id()));
    scenario.save(&path).unwrap();
    let again = Scenario::load(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(again.to_json(), scenario.to_json());
    let team = &again.time().unwrap().teams()[0];
    assert!(team.modules().is_empty() && team.channels() == ["search"]);
    assert!(again.time().unwrap().module_lag(key).is_none());
}

#[test]
fn time_section_is_validated_against_the_plan() {
    let mut file: serde_json::Value =
        serde_json::from_str(&offergraph::sample::apartments().unwrap().to_json()).unwrap();
    file["time"] = serde_json::json!({
        "periods": 4,
        "teams": [{"key": "desk", "reps": 1, "leads_per_rep_per_day": 5, "working_days": 5, "segments": ["pensioners"]}]
    });
    let err = Scenario::from_json(&file.to_string()).unwrap_err().to_string();
    assert!(err.contains("pensioners"), "{err}");
}
