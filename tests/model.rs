//! Known-answer tests of the module graph: composition rules, figures, toggles, recombination,
//! reproducible ids, rollups and scenario diffs.
//!
//! Plans here use linear and exponential curves so every figure has a closed form; each expected
//! value is worked out by hand from the formulas of `docs/model.md` in a comment next to it.

use offergraph::curves::{Curve, Exponential, Linear, ResponseCurve};
use offergraph::ids::ModuleId;
use offergraph::{
    BudgetRule, Change, Channel, Figures, GroupBy, ModuleSpec, Money, OffReason, Offer, Overrides, PartKind,
    Plan, ScenarioDiff, Segment, ValueProposition, Variant,
};

const TOL: f64 = 1e-9;

/// Relative comparison (absolute below 1).
fn close(a: f64, b: f64) -> bool {
    crate::common::close_to(a, b, TOL)
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(close(a, b), "{} = {a}, expected {b}", stringify!($a));
    }};
    ($a:expr, $b:expr, $tol:expr) => {{
        let (a, b, t): (f64, f64, f64) = ($a, $b, $tol);
        assert!((a - b).abs() <= t, "{} = {a}, expected {b} (±{t})", stringify!($a));
    }};
}

fn linear(cpl: f64) -> ResponseCurve {
    Linear::new(cpl, None).unwrap().into()
}

fn exponential(l: f64, k: f64) -> ResponseCurve {
    Exponential::new(l, k).unwrap().into()
}

const M1: &str = "smb/fast/starter/search";
const M2: &str = "corp/premium/pro/email";
const M3: &str = "corp/fast/starter/email";

/// Three modules, budget 6000 split by weights 1:2:3 → spends 1000, 2000, 3000.
///
/// | part | values |
/// | --- | --- |
/// | segment smb | audience 5000, base conversion 0.2, region north |
/// | segment corp | audience 2000, base conversion 0.1, region south |
/// | proposition fast | relevance 1.5, speaks to smb and corp |
/// | proposition premium | relevance 1.0, speaks to corp |
/// | offer starter | p = 3000, m = 0.4, factor 1 |
/// | offer pro | p = 10000, m = 0.5, factor 2, tier pro |
/// | channel search | linear CPL 50, reference audience 10000 |
/// | channel email | exponential L = 100, k = 2000, reference audience 4000 |
///
/// M3 carries its own tag region = east, which wins over its segment's.
fn mini() -> Plan {
    let mut plan = Plan::new("mini", Money::new(6000.0).unwrap());
    plan.add_part(Segment::new("smb", 5000.0, 0.2).unwrap().with_tag("region", "north")).unwrap();
    plan.add_part(Segment::new("corp", 2000.0, 0.1).unwrap().with_tag("region", "south")).unwrap();
    plan.add_part(ValueProposition::new("fast", 1.5, ["smb", "corp"]).unwrap()).unwrap();
    plan.add_part(ValueProposition::new("premium", 1.0, ["corp"]).unwrap()).unwrap();
    plan.add_part(Offer::new("starter", 3000.0, 0.4, 1.0).unwrap()).unwrap();
    plan.add_part(Offer::new("pro", 10_000.0, 0.5, 2.0).unwrap().with_tag("tier", "pro")).unwrap();
    plan.add_part(Channel::new("search", linear(50.0), 10_000.0).unwrap()).unwrap();
    plan.add_part(Channel::new("email", exponential(100.0, 2000.0), 4000.0).unwrap()).unwrap();
    plan.add_module(ModuleSpec::new("smb", "fast", "starter", "search").with_budget(BudgetRule::weight(1.0)))
        .unwrap();
    plan.add_module(ModuleSpec::new("corp", "premium", "pro", "email").with_budget(BudgetRule::weight(2.0)))
        .unwrap();
    plan.add_module(
        ModuleSpec::new("corp", "fast", "starter", "email")
            .with_budget(BudgetRule::weight(3.0))
            .with_tag("region", "east"),
    )
    .unwrap();
    plan
}

// ---------------------------------------------------------------------------------------------
// Composition rules

#[test]
fn leads_are_scaled_by_relevance_times_audience_over_reference() {
    let plan = mini();
    // M1: scale = 1.5 · 5000 / 10000 = 0.75 → linear CPL 50 / 0.75; r(1000) = 1000 · 0.75 / 50 = 15.
    let e = plan.module(M1).unwrap().economics();
    assert_close!(e.curve.leads(1000.0), 15.0);
    assert_close!(e.curve.derivative(1000.0), 0.015);
    // M2: scale = 1.0 · 2000 / 4000 = 0.5 → exponential L = 50, k = 2000 (k is not scaled).
    let e = plan.module(M2).unwrap().economics();
    assert_close!(e.curve.max_leads(), 50.0);
    assert_close!(e.curve.leads(2000.0), 50.0 * (1.0 - (-1.0f64).exp()));
    // M3: scale = 1.5 · 2000 / 4000 = 0.75 → L = 75.
    let e = plan.module(M3).unwrap().economics();
    assert_close!(e.curve.max_leads(), 75.0);
    // r'(0) = L/k = 75/2000
    assert_close!(e.curve.derivative(0.0), 0.0375);
}

#[test]
fn conversion_is_base_times_factor_and_value_per_lead_is_cpm() {
    let plan = mini();
    // M1: c = 0.2 · 1 = 0.2, p = 3000, m = 0.4 → v = 240.
    let e = plan.module(M1).unwrap().economics();
    assert_close!(e.conversion, 0.2);
    assert_close!(e.deal_value, 3000.0);
    assert_close!(e.margin, 0.4);
    assert_close!(e.value_per_lead(), 240.0);
    // M2: c = 0.1 · 2 = 0.2, p = 10000, m = 0.5 → v = 1000.
    let e = plan.module(M2).unwrap().economics();
    assert_close!(e.conversion, 0.2);
    assert_close!(e.value_per_lead(), 1000.0);
    // M3: c = 0.1 · 1 = 0.1, p = 3000, m = 0.4 → v = 120.
    assert_close!(plan.module(M3).unwrap().economics().value_per_lead(), 120.0);
}

#[test]
fn editing_a_part_recomposes_every_module_using_it() {
    let mut plan = mini();
    // corp audience 2000 → 4000 doubles the scale of M2 (0.5 → 1.0, L = 100) and M3 (0.75 → 1.5, L = 150).
    plan.edit_part::<Segment, _>("corp", |s| s.set_audience(4000.0)).unwrap();
    assert_close!(plan.module(M2).unwrap().economics().curve.max_leads(), 100.0);
    assert_close!(plan.module(M3).unwrap().economics().curve.max_leads(), 150.0);
    // M1 (smb) is untouched: still 15 leads at 1000.
    assert_close!(plan.module(M1).unwrap().economics().curve.leads(1000.0), 15.0);
    // relevance of fast 1.5 → 3: M1 scale 1.5 → r(1000) = 30.
    plan.edit_part::<ValueProposition, _>("fast", |v| v.set_relevance(3.0)).unwrap();
    assert_close!(plan.module(M1).unwrap().economics().curve.leads(1000.0), 30.0);
}

#[test]
fn overrides_replace_composed_values_field_by_field() {
    let mut plan = mini();
    // Only conversion: c = 0.3, p and m still from the offer → v = 0.3 · 3000 · 0.4 = 360.
    plan.set_overrides(M1, Overrides { conversion: Some(0.3), ..Overrides::default() }).unwrap();
    let e = plan.module(M1).unwrap().economics().clone();
    assert_close!(e.conversion, 0.3);
    assert_close!(e.deal_value, 3000.0);
    assert_close!(e.margin, 0.4);
    assert_close!(e.value_per_lead(), 360.0);
    assert_close!(e.curve.leads(1000.0), 15.0); // curve still composed

    // Curve only: the measured curve is the module's own and is NOT scaled (0.75 is not applied):
    // linear CPL 40 → r(1000) = 25. Conversion returns to the composed 0.2 (overrides are replaced whole).
    plan.set_overrides(M1, Overrides { curve: Some(linear(40.0)), ..Overrides::default() }).unwrap();
    let e = plan.module(M1).unwrap().economics().clone();
    assert_close!(e.curve.leads(1000.0), 25.0);
    assert_close!(e.conversion, 0.2);

    // Deal value and margin: v = 0.2 · 5000 · 0.5 = 500.
    plan.set_overrides(M1, Overrides { deal_value: Some(5000.0), margin: Some(0.5), ..Overrides::default() })
        .unwrap();
    let e = plan.module(M1).unwrap().economics().clone();
    assert_close!(e.value_per_lead(), 500.0);
    assert_close!(e.curve.leads(1000.0), 15.0);

    // Clearing them restores the composition: v = 240.
    plan.set_overrides(M1, Overrides::default()).unwrap();
    assert_close!(plan.module(M1).unwrap().economics().value_per_lead(), 240.0);
    assert!(plan.module(M1).unwrap().overrides().is_empty());
}

#[test]
fn conversion_override_allows_a_combination_whose_composed_conversion_exceeds_one() {
    let mut plan = mini();
    // smb base 0.6 would be fine for starter (0.6) but not for pro: 0.6 · 2 = 1.2 > 1.
    plan.add_part(Segment::new("hot", 1000.0, 0.6).unwrap()).unwrap();
    plan.add_part(ValueProposition::new("hot-vp", 1.0, ["hot"]).unwrap()).unwrap();
    let err = plan.add_module(ModuleSpec::new("hot", "hot-vp", "pro", "search")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "module \"hot/hot-vp/pro/search\": composed conversion 0.6 × 2 = 1.2 is above 1; lower the offer's \
         conversion factor or override the module's conversion"
    );
    // With a measured conversion the composed one is not used.
    plan.add_module(ModuleSpec::new("hot", "hot-vp", "pro", "search").with_conversion(0.9)).unwrap();
    // v = 0.9 · 10000 · 0.5 = 4500
    assert_close!(plan.module("hot/hot-vp/pro/search").unwrap().economics().value_per_lead(), 4500.0);
}

// ---------------------------------------------------------------------------------------------
// Figures

/// Figures of `spend` bringing `leads`, each lead worth `per_lead` deals, revenue and gross
/// profit; ROMI is `(GP − spend)/spend`.
fn assert_per_lead(f: &Figures, spend: f64, leads: f64, [deals, revenue, gross_profit]: [f64; 3]) {
    assert_close!(f.spend, spend);
    assert_close!(f.leads, leads);
    assert_close!(f.deals, deals * leads);
    assert_close!(f.revenue, revenue * leads);
    assert_close!(f.gross_profit, gross_profit * leads);
    assert_close!(f.romi().unwrap(), (gross_profit * leads - spend) / spend);
}

#[test]
fn every_figure_per_module_and_total() {
    let plan = mini();
    let eval = plan.evaluate().unwrap();
    let e1 = (-1.0f64).exp(); // 0.36787944117144233
    let e15 = (-1.5f64).exp(); // 0.22313016014842982

    // ---- M1: s = 6000·1/6 = 1000, r(s) = 0.015 s = 15, r' = 0.015, c = 0.2, p = 3000, m = 0.4, v = 240
    let f = eval.module(&plan, M1).unwrap();
    assert!(f.active);
    assert_close!(f.figures.spend, 1000.0);
    assert_close!(f.figures.leads, 15.0);
    assert_close!(f.figures.cpl().unwrap(), 1000.0 / 15.0); // 66.67
    assert_close!(f.marginal_cpl().unwrap(), 1.0 / 0.015); // 66.67: linear, marginal = average
    assert_close!(f.figures.deals, 3.0); // 15 · 0.2
    assert_close!(f.figures.revenue, 9000.0); // 3 · 3000
    assert_close!(f.figures.gross_profit, 3600.0); // 9000 · 0.4 = 15 · 240
    assert_close!(f.figures.romi().unwrap(), 2.6); // (3600 − 1000)/1000
    assert_close!(f.figures.roas().unwrap(), 9.0); // 9000/1000
    assert_close!(f.marginal_romi().unwrap(), 2.6); // 240 · 0.015 − 1
    assert_close!(f.value_per_lead, 240.0);
    assert_close!(f.max_sustainable_cpl(0.0).unwrap(), 240.0); // break-even CPL = v
    assert_close!(f.max_sustainable_cpl(1.0).unwrap(), 120.0); // 240 / (1 + 100%)
    assert_close!(f.max_sustainable_cpl(2.0).unwrap(), 80.0); // 240 / 3

    // ---- M2: s = 2000, exponential L = 50, k = 2000: r = 50(1 − e⁻¹) ≈ 31.606028,
    //      r' = (50/2000)e⁻¹ ≈ 0.0091970, c = 0.2, p = 10000, m = 0.5, v = 1000
    let f = eval.module(&plan, M2).unwrap();
    let leads = 50.0 * (1.0 - e1);
    assert_close!(f.figures.leads, 31.606_027_941_427_88, 1e-9);
    // deals ≈ 6.3212, revenue = deals · 10000 ≈ 63212.06, GP ≈ 31606.03, ROMI ≈ 14.803
    assert_per_lead(&f.figures, 2000.0, leads, [0.2, 2000.0, 1000.0]);
    assert_close!(f.figures.cpl().unwrap(), 2000.0 / leads); // ≈ 63.279
    assert_close!(f.marginal_leads().unwrap(), 0.025 * e1);
    assert_close!(f.marginal_cpl().unwrap(), 40.0 / e1); // ≈ 108.731
    assert_close!(f.figures.romi().unwrap(), 14.803_013_970_713_94, 1e-9);
    assert_close!(f.figures.roas().unwrap(), leads); // 2000·leads / 2000
    assert_close!(f.marginal_romi().unwrap(), 25.0 * e1 - 1.0); // 1000 · 0.025e⁻¹ − 1 ≈ 8.196986
    assert_close!(f.max_sustainable_cpl(0.25).unwrap(), 800.0); // 1000 / 1.25

    // ---- M3: s = 3000, L = 75, k = 2000: r = 75(1 − e^−1.5) ≈ 58.265238, v = 120
    let f = eval.module(&plan, M3).unwrap();
    let leads3 = 75.0 * (1.0 - e15);
    assert_close!(f.figures.leads, 58.265_237_988_867_76, 1e-9);
    // GP ≈ 6991.83, ROMI ≈ 1.3306
    assert_per_lead(&f.figures, 3000.0, leads3, [0.1, 300.0, 120.0]);
    // marginal ROMI = 120 · (75/2000) e^−1.5 − 1 = 4.5 e^−1.5 − 1 ≈ 0.0040857: the next unit barely pays back
    assert_close!(f.marginal_romi().unwrap(), 4.5 * e15 - 1.0);
    assert_close!(f.marginal_romi().unwrap(), 0.004_085_720_667_934_2, 1e-12);

    // ---- Totals are sums; ratios are of the sums.
    let t = eval.total();
    let gp = 3600.0 + 1000.0 * leads + 120.0 * leads3;
    let revenue = 9000.0 + 2000.0 * leads + 300.0 * leads3;
    assert_close!(t.spend, 6000.0);
    assert_close!(t.leads, 15.0 + leads + leads3);
    assert_close!(t.deals, 3.0 + 0.2 * leads + 0.1 * leads3);
    assert_close!(t.revenue, revenue);
    assert_close!(t.gross_profit, gp);
    assert_close!(t.cpl().unwrap(), 6000.0 / (15.0 + leads + leads3));
    assert_close!(t.romi().unwrap(), (gp - 6000.0) / 6000.0);
    assert_close!(t.roas().unwrap(), revenue / 6000.0);
    assert_close!(t.profit(), gp - 6000.0);
    // Max sustainable CPL of the total uses the average value per lead GP/leads.
    assert_close!(t.max_sustainable_cpl(0.5).unwrap().unwrap(), gp / (15.0 + leads + leads3) / 1.5);
}

#[test]
fn figures_without_spend_or_leads_have_no_ratios() {
    let f = Figures::default();
    assert_eq!(f.cpl(), None);
    assert_eq!(f.romi(), None);
    assert_eq!(f.roas(), None);
    assert_eq!(f.max_sustainable_cpl(0.0).unwrap(), None);
}

#[test]
fn domain_worked_case_romi_is_k_times_c_minus_one() {
    // One module, linear curve: r(s) = s / CPL, so ROMI = (s/CPL)·c·p·m / s − 1 = k·c − 1 with k = p·m/CPL.
    // Choose p = 23000, m = 0.1, CPL = 140: k = 2300/140 = 16.428571…
    // At c = 14%: ROMI = 16.428571 · 0.14 − 1 = 2.3 − 1 = 130%.
    // At c = 27%: ROMI = 16.428571 · 0.27 − 1 = 4.435714 − 1 = 343.57% (≈ 344%).
    let mut plan = Plan::new("case", Money::new(10_000.0).unwrap());
    plan.add_part(Segment::new("buyers", 1000.0, 0.14).unwrap()).unwrap();
    plan.add_part(ValueProposition::new("vp", 1.0, ["buyers"]).unwrap()).unwrap();
    plan.add_part(Offer::new("flat", 23_000.0, 0.1, 1.0).unwrap()).unwrap();
    plan.add_part(Channel::new("ads", linear(140.0), 1000.0).unwrap()).unwrap();
    plan.add_module(ModuleSpec::new("buyers", "vp", "flat", "ads")).unwrap();
    let before = plan.evaluate().unwrap().total().romi().unwrap();
    assert_close!(before, 1.3);

    // Replacing the sales staff: conversion 14% → 27%; spend, leads, p and m unchanged.
    plan.edit_part::<Segment, _>("buyers", |s| s.set_base_conversion(0.27)).unwrap();
    let after = plan.evaluate().unwrap();
    let romi = after.total().romi().unwrap();
    let k = 2300.0 / 140.0;
    assert_close!(romi, k * 0.27 - 1.0);
    assert_close!(romi, 3.435_714_285_714_286, 1e-9);
    assert!((romi - 3.44).abs() < 0.005, "≈ 344%, got {romi}");
    // The leads did not move (sales changed, not advertising): 10000 / 140 ≈ 71.43.
    assert_close!(after.total().leads, 10_000.0 / 140.0);
}

// ---------------------------------------------------------------------------------------------
// Switching off and on

fn active_keys(plan: &Plan) -> Vec<String> {
    plan.modules().filter(|m| m.is_active()).map(|m| m.key().to_owned()).collect()
}

#[test]
fn switching_a_part_off_deactivates_exactly_the_modules_through_it() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let all: Vec<String> = plan.modules().map(|m| m.key().to_owned()).collect();
    assert_eq!(active_keys(&plan), all);

    plan.set_part_enabled(PartKind::Channel, "search", false).unwrap();
    assert!(!plan.is_part_enabled(PartKind::Channel, "search").unwrap());
    assert_eq!(
        active_keys(&plan),
        [
            "families/playground/3-room/social",
            "investors/yield/1-room/outdoor",
            "families/mortgage/2-room/social"
        ]
    );
    assert_eq!(
        plan.modules_using(PartKind::Channel, "search").unwrap(),
        [
            "families/playground/2-room/search",
            "investors/yield/1-room/search",
            "first-time/mortgage/1-room/search"
        ]
    );
    // Modules through it report why; the others stay switched on themselves.
    for key in plan.modules_using(PartKind::Channel, "search").unwrap() {
        assert_eq!(
            plan.why_off(key).unwrap(),
            [OffReason::Part { kind: PartKind::Channel, key: "search".into() }]
        );
        assert!(plan.module(key).unwrap().is_switched_on());
    }
    assert!(plan.why_off("families/mortgage/2-room/social").unwrap().is_empty());

    // Segment "families" has three modules; one of them also goes through search.
    plan.set_part_enabled(PartKind::Segment, "families", false).unwrap();
    assert_eq!(active_keys(&plan), ["investors/yield/1-room/outdoor"]);
    assert_eq!(
        plan.why_off("families/playground/2-room/search").unwrap(),
        [
            OffReason::Part { kind: PartKind::Segment, key: "families".into() },
            OffReason::Part { kind: PartKind::Channel, key: "search".into() },
        ]
    );

    // Back on, in the opposite order: everything is active again.
    plan.set_part_enabled(PartKind::Channel, "search", true).unwrap();
    assert_eq!(active_keys(&plan).len(), 3);
    plan.set_part_enabled(PartKind::Segment, "families", true).unwrap();
    assert_eq!(active_keys(&plan), all);
}

#[test]
fn why_off_lists_module_then_parts_in_order() {
    let mut plan = mini();
    plan.set_module_enabled(M2, false).unwrap();
    plan.set_part_enabled(PartKind::Channel, "email", false).unwrap();
    plan.set_part_enabled(PartKind::Offer, "pro", false).unwrap();
    plan.set_part_enabled(PartKind::Proposition, "premium", false).unwrap();
    plan.set_part_enabled(PartKind::Segment, "corp", false).unwrap();
    let why = plan.why_off(M2).unwrap();
    assert_eq!(
        why,
        [
            OffReason::Module,
            OffReason::Part { kind: PartKind::Segment, key: "corp".into() },
            OffReason::Part { kind: PartKind::Proposition, key: "premium".into() },
            OffReason::Part { kind: PartKind::Offer, key: "pro".into() },
            OffReason::Part { kind: PartKind::Channel, key: "email".into() },
        ]
    );
    let text: Vec<String> = why.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "the module is switched off",
            "segment \"corp\" is switched off",
            "value proposition \"premium\" is switched off",
            "offer \"pro\" is switched off",
            "channel \"email\" is switched off",
        ]
    );
    // Switching the parts back on leaves only the module's own switch.
    for (kind, key) in [
        (PartKind::Segment, "corp"),
        (PartKind::Proposition, "premium"),
        (PartKind::Offer, "pro"),
        (PartKind::Channel, "email"),
    ] {
        plan.set_part_enabled(kind, key, true).unwrap();
    }
    assert_eq!(plan.why_off(M2).unwrap(), [OffReason::Module]);
    assert!(!plan.module(M2).unwrap().is_active());
    plan.set_module_enabled(M2, true).unwrap();
    assert!(plan.why_off(M2).unwrap().is_empty());
    assert!(plan.module(M2).unwrap().is_active());
}

#[test]
fn module_switched_off_while_its_part_is_off_stays_off_when_the_part_returns() {
    let mut plan = mini();
    plan.set_part_enabled(PartKind::Channel, "email", false).unwrap();
    plan.set_module_enabled(M3, false).unwrap();
    plan.set_part_enabled(PartKind::Channel, "email", true).unwrap();
    assert!(plan.module(M2).unwrap().is_active());
    assert!(!plan.module(M3).unwrap().is_active());
    assert_eq!(plan.why_off(M3).unwrap(), [OffReason::Module]);
}

#[test]
fn switching_off_redistributes_and_switching_back_restores_the_same_figures() {
    let mut plan = mini();
    let before = plan.evaluate().unwrap();
    // Channel email off → M2 and M3 inactive; M1 (the only active weighted module) gets all 6000.
    plan.set_part_enabled(PartKind::Channel, "email", false).unwrap();
    let off = plan.evaluate().unwrap();
    let spends: Vec<f64> = off.modules().iter().map(|m| m.figures.spend).collect();
    assert_close!(spends[0], 6000.0);
    assert_close!(spends[1], 0.0);
    assert_close!(spends[2], 0.0);
    // r(6000) = 0.015 · 6000 = 90 leads, GP = 90 · 240 = 21600.
    assert_close!(off.total().leads, 90.0);
    assert_close!(off.total().gross_profit, 21_600.0);
    assert!(!off.modules()[1].active);
    plan.set_part_enabled(PartKind::Channel, "email", true).unwrap();
    assert_eq!(plan.evaluate().unwrap(), before);
}

// ---------------------------------------------------------------------------------------------
// Recombination

#[test]
fn replace_part_keeps_position_rule_tags_switch_and_drops_overrides_by_the_rule() {
    // New channel: the curve override goes; conversion, deal value and margin stay.
    let mut plan = mini();
    let rule = BudgetRule::weight(2.0).with_min(100.0).with_max(5000.0);
    let full = Overrides {
        curve: Some(linear(10.0)),
        conversion: Some(0.25),
        deal_value: Some(4000.0),
        margin: Some(0.3),
    };
    plan.set_overrides(M2, full.clone()).unwrap();
    plan.set_budget_rule(M2, rule).unwrap();
    plan.set_module_enabled(M2, false).unwrap();
    let id = plan.replace_part(M2, PartKind::Channel, "search").unwrap();
    let new_key = "corp/premium/pro/search";
    assert_eq!(id, ModuleId::from_key(new_key));
    assert!(plan.module(M2).is_err());
    let keys: Vec<&str> = plan.modules().map(|m| m.key()).collect();
    assert_eq!(keys, [M1, new_key, M3]);
    let m = plan.module(new_key).unwrap();
    assert_eq!(m.budget_rule(), &rule);
    assert!(!m.is_switched_on());
    assert_eq!(m.overrides(), &Overrides { curve: None, ..full.clone() });
    // The curve is composed again from search: scale 1.0 · 2000 / 10000 = 0.2 → r(1000) = 1000·0.2/50 = 4.
    assert_close!(m.economics().curve.leads(1000.0), 4.0);
    // v = 0.25 · 4000 · 0.3 = 300 (overrides kept)
    assert_close!(m.economics().value_per_lead(), 300.0);

    // New offer: conversion, deal value and margin go; the measured curve stays.
    let mut plan = mini();
    plan.set_overrides(M3, full.clone()).unwrap();
    plan.replace_part(M3, PartKind::Offer, "pro").unwrap();
    let m = plan.module("corp/fast/pro/email").unwrap();
    assert_eq!(m.overrides(), &Overrides { curve: Some(linear(10.0)), ..Overrides::default() });
    assert_eq!(m.tags()["region"], "east"); // module tag kept
    // v composed again: c = 0.1 · 2 = 0.2, p = 10000, m = 0.5 → 1000; curve still linear CPL 10: r(100) = 10.
    assert_close!(m.economics().value_per_lead(), 1000.0);
    assert_close!(m.economics().curve.leads(100.0), 10.0);

    // New segment: curve and conversion go; deal value and margin stay.
    let mut plan = mini();
    plan.set_overrides(M3, full.clone()).unwrap();
    plan.replace_part(M3, PartKind::Segment, "smb").unwrap();
    let m = plan.module("smb/fast/starter/email").unwrap();
    assert_eq!(
        m.overrides(),
        &Overrides { deal_value: Some(4000.0), margin: Some(0.3), ..Overrides::default() }
    );
    // c = 0.2 (smb) · 1 → v = 0.2 · 4000 · 0.3 = 240; curve: scale 1.5 · 5000/4000 = 1.875 → L = 187.5
    assert_close!(m.economics().value_per_lead(), 240.0);
    assert_close!(m.economics().curve.max_leads(), 187.5);

    // New proposition: only the curve goes.
    let mut plan = mini();
    plan.set_overrides(M3, full.clone()).unwrap();
    plan.replace_part(M3, PartKind::Proposition, "premium").unwrap();
    let m = plan.module("corp/premium/starter/email").unwrap();
    assert_eq!(m.overrides(), &Overrides { curve: None, ..full });
    assert_eq!(plan.modules().nth(2).unwrap().key(), "corp/premium/starter/email");
}

#[test]
fn replace_part_on_a_custom_key_appends_the_part_key() {
    let mut plan = mini();
    plan.add_module(ModuleSpec::new("smb", "fast", "pro", "search").with_key("upsell")).unwrap();
    let id = plan.replace_part("upsell", PartKind::Channel, "email").unwrap();
    assert_eq!(id, ModuleId::from_key("upsell~email"));
    assert_eq!(plan.modules().last().unwrap().key(), "upsell~email");
    assert_eq!(plan.module_parts("upsell~email").unwrap(), ["smb", "fast", "pro", "email"]);
}

#[test]
fn replace_part_failure_leaves_the_plan_unchanged() {
    let mut plan = mini();
    let json = plan.to_json();
    // premium does not speak to smb.
    let err = plan.replace_part(M1, PartKind::Proposition, "premium").unwrap_err();
    assert_eq!(
        err.to_string(),
        "value proposition \"premium\" does not speak to segment \"smb\" (module \"smb/premium/starter/search\"); \
         add the segment to its audience or pick another proposition"
    );
    assert_eq!(plan.to_json(), json);
    // Unknown part.
    let err = plan.replace_part(M1, PartKind::Channel, "tv").unwrap_err();
    assert_eq!(
        err.to_string(),
        "module \"smb/fast/starter/tv\" refers to channel \"tv\", which the plan does not have"
    );
    assert_eq!(plan.to_json(), json);
    // Unknown module.
    let err = plan.replace_part("nope", PartKind::Channel, "email").unwrap_err();
    assert_eq!(err.to_string(), "call refers to module \"nope\", which the plan does not have");
    assert_eq!(plan.to_json(), json);

    // Replacing into an existing combination is a duplicate: first turn M3 into corp/fast/pro/email,
    // then M2 (corp/premium/pro/email) with proposition fast would be the same module.
    plan.replace_part(M3, PartKind::Offer, "pro").unwrap();
    let json = plan.to_json();
    let err = plan.replace_part(M2, PartKind::Proposition, "fast").unwrap_err();
    assert_eq!(err.to_string(), "duplicate module key \"corp/fast/pro/email\"");
    assert_eq!(plan.to_json(), json);
    assert!(plan.module(M2).is_ok());
}

#[test]
fn replicate_creates_label_keyed_modules_with_reproducible_ids() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let base = "families/playground/2-room/search";
    let ids = plan
        .replicate(
            base,
            &[
                Variant::new("south").with_part(PartKind::Segment, "families-south"),
                Variant::new("premium").with_part(PartKind::Offer, "3-room").with_tag("tier", "premium"),
                Variant::new("west")
                    .with_part(PartKind::Segment, "families-west")
                    .with_budget(BudgetRule::weight(0.5)),
            ],
        )
        .unwrap();
    assert_eq!(
        ids,
        [
            ModuleId::from_key("families/playground/2-room/search@south"),
            ModuleId::from_key("families/playground/2-room/search@premium"),
            ModuleId::from_key("families/playground/2-room/search@west"),
        ]
    );
    assert_eq!(plan.module_count(), 9);
    // Appended in variant order.
    let last: Vec<&str> = plan.modules().skip(6).map(|m| m.key()).collect();
    assert_eq!(
        last,
        [
            "families/playground/2-room/search@south",
            "families/playground/2-room/search@premium",
            "families/playground/2-room/search@west"
        ]
    );
    let south = plan.module("families/playground/2-room/search@south").unwrap();
    assert_eq!(south.segment(), offergraph::ids::SegmentId::from_key("families-south"));
    // Inherited rule weight 3; the west variant has its own.
    assert_eq!(south.budget_rule(), &BudgetRule::weight(3.0));
    assert_eq!(
        plan.module("families/playground/2-room/search@west").unwrap().budget_rule(),
        &BudgetRule::weight(0.5)
    );
    // families-south: audience 35000, relevance 1.2, search L = 40 at 40000 → L = 40 · 1.2 · 35000/40000 = 42.
    assert_close!(south.economics().curve.max_leads(), 42.0);
    // c = 0.12 · 1 = 0.12, v = 0.12 · 95000 · 0.2 = 2280.
    assert_close!(south.economics().value_per_lead(), 2280.0);
    let tags = plan.effective_tags("families/playground/2-room/search@premium").unwrap();
    assert_eq!(tags["tier"], "premium");
    assert_eq!(tags["category"], "3-room");
    assert_eq!(tags["region"], "north");
    // 3-room: c = 0.14 · 0.9 = 0.126, v = 0.126 · 140000 · 0.2 = 3528.
    assert_close!(
        plan.module("families/playground/2-room/search@premium").unwrap().economics().value_per_lead(),
        3528.0
    );
}

#[test]
fn replicate_is_all_or_nothing() {
    let mut plan = offergraph::sample::apartments().unwrap();
    let base = "families/playground/2-room/search";
    let json = plan.to_json();
    // The second variant is incompatible (playground does not speak to investors).
    let err = plan
        .replicate(
            base,
            &[
                Variant::new("south").with_part(PartKind::Segment, "families-south"),
                Variant::new("inv").with_part(PartKind::Segment, "investors"),
            ],
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "value proposition \"playground\" does not speak to segment \"investors\" (module \
         \"families/playground/2-room/search@inv\"); add the segment to its audience or pick another proposition"
    );
    assert_eq!(plan.to_json(), json);
    assert_eq!(plan.module_count(), 6);

    // Two variants with one label.
    let err = plan.replicate(base, &[Variant::new("x"), Variant::new("x")]).unwrap_err();
    assert_eq!(err.to_string(), "duplicate module key \"families/playground/2-room/search@x\"");
    assert_eq!(plan.to_json(), json);

    // A missing part in the last variant.
    let err = plan
        .replicate(base, &[Variant::new("a"), Variant::new("b").with_part(PartKind::Offer, "penthouse")])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "module \"families/playground/2-room/search@b\" refers to offer \"penthouse\", which the plan does not have"
    );
    assert_eq!(plan.to_json(), json);

    // A label already used by an earlier replicate call.
    plan.replicate(base, &[Variant::new("a")]).unwrap();
    let json = plan.to_json();
    let err = plan.replicate(base, &[Variant::new("c"), Variant::new("a")]).unwrap_err();
    assert_eq!(err.to_string(), "duplicate module key \"families/playground/2-room/search@a\"");
    assert_eq!(plan.to_json(), json);

    // Invalid variant overrides.
    let err = plan
        .replicate(
            base,
            &[Variant::new("d").with_overrides(Overrides { margin: Some(1.5), ..Overrides::default() })],
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "module \"families/playground/2-room/search@d\" field `margin` must be 0 or a number in [1e-9, 1], found 1.5"
    );
    assert_eq!(plan.to_json(), json);
}

#[test]
fn replicate_variant_overrides_apply_on_top_of_inherited_ones() {
    let mut plan = mini();
    plan.set_overrides(M1, Overrides { conversion: Some(0.3), margin: Some(0.5), ..Overrides::default() })
        .unwrap();
    plan.replicate(
        M1,
        &[
            // Same offer: inherited conversion and margin stay, deal value is added.
            Variant::new("v1").with_overrides(Overrides { deal_value: Some(2000.0), ..Overrides::default() }),
            // New offer: inherited conversion and margin are dropped first.
            Variant::new("v2").with_part(PartKind::Offer, "pro"),
        ],
    )
    .unwrap();
    // v1: 0.3 · 2000 · 0.5 = 300
    assert_close!(plan.module(&format!("{M1}@v1")).unwrap().economics().value_per_lead(), 300.0);
    // v2: composed c = 0.2 · 2 = 0.4, p = 10000, m = 0.5 → 2000
    let v2 = plan.module(&format!("{M1}@v2")).unwrap();
    assert!(v2.overrides().is_empty());
    assert_close!(v2.economics().value_per_lead(), 2000.0);
}

#[test]
fn same_script_gives_identical_ids_and_json() {
    let a = mini();
    let b = mini();
    let ids_a: Vec<ModuleId> = a.modules().map(|m| m.id()).collect();
    let ids_b: Vec<ModuleId> = b.modules().map(|m| m.id()).collect();
    assert_eq!(ids_a, ids_b);
    assert_eq!(ids_a, [ModuleId::from_key(M1), ModuleId::from_key(M2), ModuleId::from_key(M3)]);
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(a.part_id::<Segment>("smb").unwrap(), offergraph::ids::SegmentId::from_key("smb"));
    assert_eq!(a.part_id::<Channel>("email").unwrap(), offergraph::ids::ChannelId::from_key("email"));
    // UUID v5 (name-based), and kinds do not collide.
    assert_eq!(ModuleId::from_key(M1).uuid().get_version_num(), 5);
    assert_ne!(ModuleId::from_key("smb").uuid(), offergraph::ids::SegmentId::from_key("smb").uuid());
    // Recombination is reproducible too.
    let mut a = a;
    let mut b = b;
    a.replace_part(M1, PartKind::Offer, "pro").unwrap();
    b.replace_part(M1, PartKind::Offer, "pro").unwrap();
    a.replicate(M3, &[Variant::new("x").with_part(PartKind::Offer, "pro")]).unwrap();
    b.replicate(M3, &[Variant::new("x").with_part(PartKind::Offer, "pro")]).unwrap();
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(a.module(&format!("{M3}@x")).unwrap().id(), ModuleId::from_key(&format!("{M3}@x")));
}

// ---------------------------------------------------------------------------------------------
// Rollups

fn assert_groups_add_up(plan: &Plan, by: &GroupBy) {
    let eval = plan.evaluate().unwrap();
    let groups = eval.rollup(plan, by).unwrap();
    let mut sum = Figures::default();
    for f in groups.values() {
        sum += *f;
    }
    let t = eval.total();
    for (a, b) in [
        (sum.spend, t.spend),
        (sum.leads, t.leads),
        (sum.deals, t.deals),
        (sum.revenue, t.revenue),
        (sum.gross_profit, t.gross_profit),
    ] {
        assert_close!(a, b);
    }
}

#[test]
fn rollups_by_part_give_known_groups_that_add_up() {
    let plan = mini();
    let eval = plan.evaluate().unwrap();
    let e1 = (-1.0f64).exp();
    let e15 = (-1.5f64).exp();
    let (l1, l2, l3) = (15.0, 50.0 * (1.0 - e1), 75.0 * (1.0 - e15));

    // By segment: smb = M1; corp = M2 + M3.
    let g = eval.rollup(&plan, &GroupBy::Part(PartKind::Segment)).unwrap();
    assert_eq!(g.keys().collect::<Vec<_>>(), ["smb", "corp"]);
    assert_close!(g["smb"].spend, 1000.0);
    assert_close!(g["corp"].spend, 5000.0);
    assert_close!(g["corp"].leads, l2 + l3);
    assert_close!(g["corp"].gross_profit, 1000.0 * l2 + 120.0 * l3);
    // Group ROMI is the ROMI of the group's money, not an average of ROMIs.
    assert_close!(g["corp"].romi().unwrap(), (1000.0 * l2 + 120.0 * l3 - 5000.0) / 5000.0);

    // By proposition: fast = M1 + M3; premium = M2.
    let g = eval.rollup(&plan, &GroupBy::Part(PartKind::Proposition)).unwrap();
    assert_eq!(g.keys().collect::<Vec<_>>(), ["fast", "premium"]);
    assert_close!(g["fast"].spend, 4000.0);
    assert_close!(g["fast"].deals, 0.2 * l1 + 0.1 * l3);
    assert_close!(g["premium"].revenue, 2000.0 * l2);

    // By offer: starter = M1 + M3; pro = M2.
    let g = eval.rollup(&plan, &GroupBy::Part(PartKind::Offer)).unwrap();
    assert_eq!(g.keys().collect::<Vec<_>>(), ["starter", "pro"]);
    assert_close!(g["starter"].revenue, 9000.0 + 300.0 * l3);

    // By channel: search = M1; email = M2 + M3.
    let g = eval.rollup(&plan, &GroupBy::Part(PartKind::Channel)).unwrap();
    assert_eq!(g.keys().collect::<Vec<_>>(), ["search", "email"]);
    assert_close!(g["search"].leads, 15.0);
    assert_close!(g["email"].leads, l2 + l3);

    for kind in PartKind::ALL {
        assert_groups_add_up(&plan, &GroupBy::Part(kind));
    }
}

#[test]
fn rollups_by_tag_use_module_tag_first_and_untagged_for_the_rest() {
    let plan = mini();
    let eval = plan.evaluate().unwrap();
    // region: M1 from smb → north; M2 from corp → south; M3's own tag east wins over corp's south.
    let g = eval.rollup(&plan, &GroupBy::Tag("region".into())).unwrap();
    assert_eq!(g.keys().collect::<Vec<_>>(), ["north", "south", "east"]);
    assert_close!(g["north"].spend, 1000.0);
    assert_close!(g["south"].spend, 2000.0);
    assert_close!(g["east"].spend, 3000.0);
    assert_eq!(plan.effective_tags(M3).unwrap()["region"], "east");

    // tier: only the pro offer carries it; M1 and M3 go to GroupBy::UNTAGGED.
    let g = eval.rollup(&plan, &GroupBy::Tag("tier".into())).unwrap();
    assert_eq!(g.keys().collect::<Vec<_>>(), [GroupBy::UNTAGGED, "pro"]);
    assert_close!(g[GroupBy::UNTAGGED].spend, 4000.0);
    assert_close!(g["pro"].spend, 2000.0);

    // A tag nobody has: one group with everything.
    let g = eval.rollup(&plan, &GroupBy::Tag("nope".into())).unwrap();
    assert_eq!(g.len(), 1);
    assert_close!(g[GroupBy::UNTAGGED].spend, 6000.0);

    for name in ["region", "tier", "nope"] {
        assert_groups_add_up(&plan, &GroupBy::Tag(name.into()));
    }
}

#[test]
fn rollups_of_the_sample_add_up_with_inactive_modules() {
    let mut plan = offergraph::sample::apartments().unwrap();
    plan.set_part_enabled(PartKind::Segment, "investors", false).unwrap();
    for by in [
        GroupBy::Part(PartKind::Segment),
        GroupBy::Part(PartKind::Proposition),
        GroupBy::Part(PartKind::Offer),
        GroupBy::Part(PartKind::Channel),
        GroupBy::Tag("region".into()),
        GroupBy::Tag("category".into()),
    ] {
        assert_groups_add_up(&plan, &by);
    }
    let eval = plan.evaluate().unwrap();
    let g = eval.rollup(&plan, &GroupBy::Part(PartKind::Segment)).unwrap();
    assert_close!(g["investors"].spend, 0.0);
    assert_close!(g["investors"].leads, 0.0);
}

#[test]
fn rollup_of_a_stale_evaluation_is_an_error() {
    let mut plan = mini();
    let eval = plan.evaluate().unwrap();
    plan.remove_module(M2).unwrap();
    assert_eq!(
        eval.rollup(&plan, &GroupBy::Part(PartKind::Segment)).unwrap_err().to_string(),
        "the evaluation was made for another set of modules than the plan has now; make it again after changing the plan"
    );
}

// ---------------------------------------------------------------------------------------------
// Scenario diffs

/// Each module of a diff with how it changed, in the diff's order.
fn changes(diff: &ScenarioDiff) -> Vec<(&str, Change)> {
    diff.modules.iter().map(|m| (m.key.as_str(), m.change)).collect()
}

#[test]
fn scenario_diff_reports_added_removed_switched_and_deltas() {
    let before = mini();
    let mut after = before.clone();
    after.remove_module(M1).unwrap();
    after.set_module_enabled(M2, false).unwrap();
    let m4 = "smb/fast/pro/search";
    after.add_module(ModuleSpec::new("smb", "fast", "pro", "search")).unwrap();
    // after: active M3 (w3) and M4 (w1) → 4500 and 1500.
    let (eb, ea) = (before.evaluate().unwrap(), after.evaluate().unwrap());
    let diff = ScenarioDiff::new((&before, &eb), (&after, &ea)).unwrap();

    // Order: the second scenario's modules in its order, then the removed ones.
    assert_eq!(
        changes(&diff),
        [(M2, Change::SwitchedOff), (M3, Change::Kept), (m4, Change::Added), (M1, Change::Removed)]
    );
    assert_eq!(diff.added().count(), 1);
    assert_eq!(diff.removed().count(), 1);
    assert_eq!(diff.switched_off().count(), 1);
    assert_eq!(diff.switched_on().count(), 0);
    assert_eq!(diff.modules[0].id, ModuleId::from_key(M2));

    let e1 = (-1.0f64).exp();
    let e15 = (-1.5f64).exp();
    let e225 = (-2.25f64).exp();
    // M2 switched off: 2000 → 0; GP 1000 · 50(1 − e⁻¹) → 0.
    let d = diff.modules[0].delta();
    assert_close!(d.spend, -2000.0);
    assert_close!(d.gross_profit, -50_000.0 * (1.0 - e1));
    assert_close!(diff.modules[0].after.spend, 0.0);
    // M3 kept: 3000 → 4500; leads 75(1 − e^−1.5) → 75(1 − e^−2.25).
    let d = diff.modules[1].delta();
    assert_close!(d.spend, 1500.0);
    assert_close!(d.leads, 75.0 * (e15 - e225));
    // M4 added: before is zero; after s = 1500, r = 0.015 · 1500 = 22.5, v = 0.4 · 10000 · 0.5 = 2000 → GP 45000.
    assert_eq!(diff.modules[2].before, Figures::default());
    assert_close!(diff.modules[2].after.spend, 1500.0);
    assert_close!(diff.modules[2].after.leads, 22.5);
    assert_close!(diff.modules[2].after.gross_profit, 45_000.0);
    // M1 removed: after is zero; before GP 3600.
    assert_eq!(diff.modules[3].after, Figures::default());
    assert_close!(diff.modules[3].delta().gross_profit, -3600.0);

    // Totals and budgets.
    assert_close!(diff.budget_before, 6000.0);
    assert_close!(diff.budget_after, 6000.0);
    assert_close!(diff.total_delta().spend, 0.0, 1e-6);
    let gp_before = 3600.0 + 50_000.0 * (1.0 - e1) + 120.0 * 75.0 * (1.0 - e15);
    let gp_after = 120.0 * 75.0 * (1.0 - e225) + 45_000.0;
    assert_close!(diff.total_before.gross_profit, gp_before);
    assert_close!(diff.total_after.gross_profit, gp_after);
    assert_close!(diff.total_delta().gross_profit, gp_after - gp_before);

    // The other direction: M2 switched on, M4 removed, M1 added.
    let back = ScenarioDiff::new((&after, &ea), (&before, &eb)).unwrap();
    assert_eq!(
        changes(&back),
        [(M1, Change::Added), (M2, Change::SwitchedOn), (M3, Change::Kept), (m4, Change::Removed)]
    );
    assert_eq!(back.switched_on().count(), 1);
    assert_close!(back.total_delta().gross_profit, gp_before - gp_after);

    // The text form names the changes.
    let text = diff.to_string();
    assert!(text.contains("switched off"), "{text}");
    assert!(text.contains("added"), "{text}");
    assert!(text.contains("removed"), "{text}");
}

#[test]
fn scenario_diff_reports_budget_change() {
    let before = mini();
    let mut after = before.clone();
    after.set_budget(Money::new(12_000.0).unwrap());
    let diff =
        ScenarioDiff::new((&before, &before.evaluate().unwrap()), (&after, &after.evaluate().unwrap()))
            .unwrap();
    assert_close!(diff.budget_before, 6000.0);
    assert_close!(diff.budget_after, 12_000.0);
    assert!(diff.modules.iter().all(|m| m.change == Change::Kept));
    // M1 doubles: 1000 → 2000 and, linear, its leads double: 15 → 30.
    assert_close!(diff.modules[0].delta().spend, 1000.0);
    assert_close!(diff.modules[0].delta().leads, 15.0);
    assert_close!(diff.total_delta().spend, 6000.0);
}

#[test]
fn scenario_diff_with_a_stale_evaluation_is_an_error() {
    let before = mini();
    let eval = before.evaluate().unwrap();
    let mut after = before.clone();
    after.remove_module(M3).unwrap();
    let err = ScenarioDiff::new((&before, &eval), (&after, &eval)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the evaluation was made for another set of modules than the plan has now; make it again after changing the plan"
    );
}

#[test]
fn module_accessors_describe_the_graph() {
    let plan = mini();
    assert_eq!(plan.module_parts(M3).unwrap(), ["corp", "fast", "starter", "email"]);
    assert_eq!(plan.modules_using(PartKind::Segment, "corp").unwrap(), [M2, M3]);
    assert_eq!(plan.modules_using(PartKind::Proposition, "fast").unwrap(), [M1, M3]);
    assert!(plan.modules_using(PartKind::Offer, "pro").unwrap() == [M2]);
    let m = plan.module(M2).unwrap();
    assert_eq!(m.segment(), offergraph::ids::SegmentId::from_key("corp"));
    assert_eq!(m.proposition(), offergraph::ids::PropositionId::from_key("premium"));
    assert_eq!(m.offer(), offergraph::ids::OfferId::from_key("pro"));
    assert_eq!(m.channel(), offergraph::ids::ChannelId::from_key("email"));
    assert_eq!(plan.parts::<Offer>().map(Offer::key).collect::<Vec<_>>(), ["starter", "pro"]);
    // Removing a module detaches it from its parts.
    let mut plan = plan;
    assert_eq!(plan.remove_module(M2).unwrap(), 1);
    assert_eq!(plan.modules_using(PartKind::Offer, "pro").unwrap(), Vec::<&str>::new());
    assert_eq!(plan.modules_using(PartKind::Segment, "corp").unwrap(), [M3]);
}
