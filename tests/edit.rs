//! Editing and removing parts through the plan (issue 12): every invariant kept, the modules an
//! edit reaches named, and the time model kept valid through `Scenario::edit`.

use offergraph::error::ModelError;
use offergraph::optimize::{Measure, Objective};
use offergraph::{
    BudgetPolicy, Channel, GroupBy, ModuleSpec, Offer, OptimizePolicy, PartKind, Plan, Removal, Removed,
    Scenario, Segment, Selector, ValueProposition, Variant,
};

fn b2b() -> Scenario {
    let path = format!("{}/tests/cases/b2b-12-weeks.json", env!("CARGO_MANIFEST_DIR"));
    Scenario::load(path).unwrap()
}

fn keys(plan: &Plan) -> Vec<String> {
    plan.modules().map(|m| m.key().to_owned()).collect()
}

#[test]
fn an_audience_edit_lets_a_module_into_a_new_segment() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let spec = ModuleSpec::new("investors", "playground", "2-room", "search");
    assert!(matches!(plan.add_module(spec.clone()), Err(ModelError::Incompatible { .. })));
    let before = plan.evaluate().unwrap();
    let affected =
        plan.edit_part::<ValueProposition, _>("playground", |v| Ok(_ = v.add_segment("investors"))).unwrap();
    // The proposition's modules are named; their figures do not move (the audience only decides
    // which modules may exist).
    assert_eq!(affected, ["families/playground/2-room/search", "families/playground/3-room/social"]);
    assert_eq!(plan.evaluate().unwrap().total(), before.total());
    plan.add_module(spec).unwrap();
    assert_eq!(plan.module_count(), 7);
}

#[test]
fn an_audience_naming_a_missing_segment_is_refused_and_changes_nothing() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let err = plan.edit_part::<ValueProposition, _>("yield", |v| v.set_segments(["investors", "pensioners"]));
    assert_eq!(
        err.unwrap_err().to_string(),
        "value proposition \"yield\" refers to segment \"pensioners\", which the plan does not have"
    );
    let vp = plan.part::<ValueProposition>("yield").unwrap();
    assert_eq!(vp.segments().collect::<Vec<_>>(), ["investors"]);
}

#[test]
fn dropping_a_segment_that_modules_address_is_refused_naming_them() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let err =
        plan.edit_part::<ValueProposition, _>("mortgage", |v| v.set_segments(["families"])).unwrap_err();
    assert_eq!(
        err,
        ModelError::AudienceInUse {
            proposition: "mortgage".into(),
            segment: "first-time".into(),
            modules: vec!["first-time/mortgage/1-room/search".into()],
        }
    );
    assert!(plan.part::<ValueProposition>("mortgage").unwrap().speaks_to("first-time"));
    // A segment no module addresses may go.
    let affected = plan
        .edit_part::<ValueProposition, _>("playground", |v| Ok(_ = v.remove_segment("families-west")))
        .unwrap();
    assert_eq!(affected.len(), 2);
    assert!(!plan.part::<ValueProposition>("playground").unwrap().speaks_to("families-west"));
}

#[test]
fn an_offer_edit_names_and_recomposes_exactly_its_modules() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let before = plan.evaluate().unwrap();
    let affected = plan.edit_part::<Offer, _>("1-room", |o| o.set_deal_value(120_000.0)).unwrap();
    assert_eq!(
        affected,
        [
            "investors/yield/1-room/search",
            "investors/yield/1-room/outdoor",
            "first-time/mortgage/1-room/search"
        ]
    );
    let after = plan.evaluate().unwrap();
    for (i, m) in plan.modules().enumerate() {
        let (b, a) = (before.modules()[i].figures.revenue, after.modules()[i].figures.revenue);
        if affected.iter().any(|k| k == m.key()) {
            assert!((a - 2.0 * b).abs() <= 1e-9 * a, "{}: {b} → {a}", m.key());
        } else {
            assert_eq!(a.to_bits(), b.to_bits(), "{}", m.key());
        }
    }
}

#[test]
fn removing_a_used_part_is_refused_naming_every_module() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let err = plan.remove_part::<Offer>("1-room", Removal::IfUnused).unwrap_err();
    assert_eq!(
        err.to_string(),
        "offer \"1-room\" is used by module(s) \"investors/yield/1-room/search\", \"investors/yield/1-room/outdoor\", \"first-time/mortgage/1-room/search\"; remove or re-point them first, or remove them with it (Removal::WithModules)"
    );
    assert_eq!(plan.module_count(), 6);
    assert!(plan.part::<Offer>("1-room").is_ok());
    // An unused part goes without a word.
    assert_eq!(
        plan.remove_part::<Segment>("families-west", Removal::IfUnused).unwrap().modules,
        Vec::<String>::new()
    );
}

#[test]
fn removing_a_part_with_its_modules_keeps_the_plan_consistent() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let stale = plan.allocate().unwrap();
    let removed = plan.remove_part::<Offer>("1-room", Removal::WithModules).unwrap();
    assert_eq!(removed.modules.len(), 3);
    assert_eq!(
        keys(&plan),
        [
            "families/playground/2-room/search",
            "families/playground/3-room/social",
            "families/mortgage/2-room/social"
        ]
    );
    assert!(plan.evaluate_allocation(&stale).is_err(), "an allocation of the old plan is stale");
    assert!((plan.evaluate().unwrap().total().spend - 60_000.0).abs() < 1e-6);
    assert!(plan.modules_using(PartKind::Offer, "1-room").is_err());
    // The key is free again, and the plan file round-trips.
    plan.add_part(Offer::new("1-room", 50_000.0, 0.2, 1.0).unwrap()).unwrap();
    let again = Plan::from_json(&plan.to_json()).unwrap();
    assert_eq!(again.to_json(), plan.to_json());
}

#[test]
fn removing_a_segment_takes_it_out_of_every_audience() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let removed = plan.remove_part::<Segment>("families", Removal::WithModules).unwrap();
    assert_eq!(removed.audiences, ["playground", "mortgage"]);
    assert_eq!(removed.modules.len(), 3);
    let vp = plan.part::<ValueProposition>("mortgage").unwrap();
    assert_eq!(vp.segments().collect::<Vec<_>>(), ["first-time"]);
    Plan::from_json(&plan.to_json()).unwrap();
}

#[test]
fn removing_a_part_the_budget_policy_names_is_refused() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let search = Selector::new(GroupBy::Part(PartKind::Channel), "outdoor");
    let policy =
        OptimizePolicy::new(Objective::MaxProfit).with_capacity("desk", Some(search), Measure::Leads, 50.0);
    plan.set_budget_policy(BudgetPolicy::Optimize(Box::new(policy)));
    let err = plan.remove_part::<Channel>("outdoor", Removal::WithModules).unwrap_err();
    assert_eq!(
        err.to_string(),
        "channel \"outdoor\" is named by the budget policy's capacity \"desk\"; change the policy first"
    );
    assert_eq!(plan.module_count(), 6);
}

#[test]
fn removing_a_channel_through_the_scenario_repairs_the_time_model() {
    let mut scenario = b2b();
    let (removed, dropped): (Removed, _) =
        scenario.edit(|p| p.remove_part::<Channel>("feed", Removal::WithModules)).unwrap();
    assert_eq!(removed.modules.len(), 12);
    assert_eq!(dropped.len(), 1);
    assert_eq!(
        dropped[0].to_string(),
        "team \"sales\" referred to channel \"feed\", which the plan no longer has; dropped"
    );
    let again = Scenario::from_json(&scenario.to_json()).unwrap();
    assert_eq!(again.to_json(), scenario.to_json());
    assert_eq!(scenario.evaluate_time().unwrap().unwrap().periods(), 12);
}

#[test]
fn replicate_extends_the_audience_into_a_new_region_only_when_asked() {
    let mut plan = b2b().into_parts().0;
    plan.add_part(Segment::new("shandong-medicine", 900.0, 0.12).unwrap().with_tag("region", "shandong"))
        .unwrap();
    let base = "jiangsu-medicine/medicine-compliance/standard/search";
    let variant = Variant::new("shandong").with_part(PartKind::Segment, "shandong-medicine");
    let err = plan.replicate(base, std::slice::from_ref(&variant)).unwrap_err();
    assert!(matches!(err, ModelError::Incompatible { .. }), "{err}");
    // All or nothing: a failing second variant leaves the audience as it was.
    let bad = Variant::new("nowhere").with_part(PartKind::Offer, "platinum");
    let err = plan.replicate(base, &[variant.clone().with_extended_audience(), bad]).unwrap_err();
    assert!(matches!(err, ModelError::Unknown { .. }), "{err}");
    assert!(!plan.part::<ValueProposition>("medicine-compliance").unwrap().speaks_to("shandong-medicine"));
    assert_eq!(plan.module_count(), 24);
    plan.replicate(base, &[variant.with_extended_audience()]).unwrap();
    assert!(plan.part::<ValueProposition>("medicine-compliance").unwrap().speaks_to("shandong-medicine"));
    assert_eq!(plan.module_parts(&format!("{base}@shandong")).unwrap()[0], "shandong-medicine");
}

/// An override is saved with the plan: a curve a file could not hold (here a linear curve
/// scaled to a CPL of 1e-7, below the accepted 1e-6) is refused, and the plan keeps its module
/// as it was, so the plan always saves and loads.
#[test]
fn a_curve_override_a_file_could_not_hold_is_refused() {
    use offergraph::curves::{Linear, ResponseCurve};
    let mut plan = offergraph::sample::apartments().unwrap();
    let key = "families/playground/2-room/search";
    let before = plan.module(key).unwrap().overrides().clone();
    let steep = ResponseCurve::from(Linear::new(100.0, None).unwrap()).scaled_by(1e9).unwrap();
    let overrides = offergraph::Overrides { curve: Some(steep), ..Default::default() };
    let err = plan.set_overrides(key, overrides).unwrap_err();
    assert!(matches!(err, ModelError::InvalidCurve { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "module \"{key}\" field `curve`: linear parameter `cpl` must be a number in [1e-6, 1e15], found 1e-7"
        )
    );
    assert_eq!(plan.module(key).unwrap().overrides(), &before);
}
