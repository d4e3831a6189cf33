//! The HTML report (feature `report`): its sections on the B2B case with a time model, actuals
//! and uncertainty, the reasons it gives for sections left out, escaping, determinism, no panic
//! and no `NaN` or `inf` on degenerate plans, its errors, and (ignored, run by `.ci/run`) the
//! page in headless Chromium.

mod browser;

use offergraph::curves::Linear;
use offergraph::page::Page;
use offergraph::{Channel, ModuleSpec, Money, Offer, PartKind, Plan, Scenario, Segment, ValueProposition};

use crate::report_case;

const SECTIONS: [&str; 9] =
    ["summary", "plan", "curves", "allocation", "rollups", "weekly", "cohorts", "diagnosis", "risk"];

/// No number on the page is `NaN` or infinite: neither word appears as text or in an attribute.
fn assert_finite(html: &str) {
    for bad in ["NaN", ">inf", "\"inf", " inf", "-inf", "∞", "e308"] {
        assert!(!html.contains(bad), "the page contains {bad:?}");
    }
}

/// The page needs no network and no script.
fn assert_self_contained(html: &str) {
    for bad in ["<script", "src=\"", "src='", "<link", "<img", "url(", "@import", "href=\"http"] {
        assert!(!html.contains(bad), "the page contains {bad:?}");
    }
}

fn b2b_page() -> String {
    let scenario = report_case::scenario().expect("the case loads");
    let actuals = report_case::actuals(&scenario).expect("actuals simulate");
    Page::new(&scenario).with_actuals(&actuals).render().expect("renders")
}

#[test]
fn the_b2b_case_shows_every_section() {
    let html = b2b_page();
    for id in SECTIONS {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "section {id}");
    }
    assert!(!html.contains("Left out"), "nothing is left out");
    // One response curve per module, the allocation and one bar chart per rollup (channel and
    // the tags region, industry and tier), the weekly lines and two band charts.
    assert_eq!(html.matches("<figure>").count(), 24);
    for title in ["by channel", "by tag “region”", "by tag “industry”", "by tag “tier”"] {
        assert!(html.contains(&format!("<h3>{title}</h3>")), "{title}");
    }
    assert_eq!(html.matches("<svg").count(), 24 + 1 + 4 + 1 + 2);
    assert!(html.contains("Weak link") && html.contains("P10–P90"));
    assert!(html.contains("static figures ignore the time model"), "the scenario's warnings");
    // The cohort heat map has a row per week.
    assert_eq!(html.matches("<table class=\"heat\">").count(), 1);
    assert_finite(&html);
    assert_self_contained(&html);
}

#[test]
fn sections_that_do_not_apply_say_why() -> Result<(), Box<dyn std::error::Error>> {
    let html = Page::new(&Scenario::new(offergraph::sample::apartments()?)).render()?;
    for id in SECTIONS {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "section {id}");
    }
    for why in [
        "<p class=\"absent\">Left out: the scenario has no time model.</p></section>\n<section id=\"cohorts\">",
        "<p class=\"absent\">Left out: the scenario has no time model.</p></section>\n<section id=\"diagnosis\">",
        "<p class=\"absent\">Left out: no actuals were given.</p>",
        "<p class=\"absent\">Left out: the scenario has no uncertainty section.</p>",
    ] {
        assert!(html.contains(why), "{why}");
    }
    assert_eq!(html.matches("Left out").count(), 4);
    assert_finite(&html);
    assert_self_contained(&html);
    Ok(())
}

#[test]
fn the_same_inputs_give_the_same_bytes() -> Result<(), Box<dyn std::error::Error>> {
    let scenario = report_case::scenario()?;
    let actuals = report_case::actuals(&scenario)?;
    let page = Page::new(&scenario).with_actuals(&actuals).with_draws(500).with_seed(3);
    let once = page.render()?;
    assert_eq!(once, page.render()?);
    // A scenario read back from its file gives the same page.
    let again = Scenario::from_json(&scenario.to_json())?;
    let actuals = report_case::actuals(&again)?; // actuals are read for one plan
    assert_eq!(once, Page::new(&again).with_actuals(&actuals).with_draws(500).with_seed(3).render()?);
    // Another seed moves the bands.
    assert_ne!(once, page.clone().with_seed(4).render()?);
    Ok(())
}

/// A plan whose keys, tags and name are markup.
fn hostile() -> Result<Plan, Box<dyn std::error::Error>> {
    let mut plan = Plan::new("<title>x</title>&", Money::new(1_000.0)?);
    let seg = "<script>alert('s')</script>";
    plan.add_part(Segment::new(seg, 1_000.0, 0.1)?.with_tag("\"><img src=x>", "a&b"))?;
    plan.add_part(ValueProposition::new("v'\"", 1.0, [seg])?)?;
    plan.add_part(Offer::new("<o>", 100.0, 0.5, 1.0)?)?;
    plan.add_part(Channel::new("c&amp;", Linear::new(10.0, None)?.into(), 1_000.0)?)?;
    plan.add_module(ModuleSpec::new(seg, "v'\"", "<o>", "c&amp;"))?;
    Ok(plan)
}

#[test]
fn user_strings_are_escaped() -> Result<(), Box<dyn std::error::Error>> {
    let html = Page::new(&Scenario::new(hostile()?)).render()?;
    assert_self_contained(&html);
    assert!(!html.contains("<title>x</title>&"));
    assert!(html.contains("<title>&lt;title&gt;x&lt;/title&gt;&amp; — offergraph report</title>"));
    assert!(
        html.contains("&lt;script&gt;alert(&apos;s&apos;)&lt;/script&gt;"),
        "a chart's label (plotters escapes)"
    );
    assert!(
        html.contains("&lt;script&gt;alert(&#39;s&#39;)&lt;/<wbr>script&gt;"),
        "a module key, wrapping at `/`"
    );
    assert!(html.contains("by tag “&quot;&gt;&lt;img src=x&gt;”"));
    assert!(html.contains("c&amp;amp;"));
    assert!(!html.contains("<o>") && !html.contains("v'\""));
    Ok(())
}

/// Plans at the edges: no module, no money, every module off, huge and tiny numbers.
fn edge_plans() -> Result<Vec<(&'static str, Plan)>, Box<dyn std::error::Error>> {
    let empty = Plan::new("empty", Money::new(1_000.0)?);
    let mut broke = offergraph::sample::apartments()?;
    broke.set_budget(Money::new(0.0)?);
    let mut off = offergraph::sample::apartments()?;
    for c in ["search", "social", "outdoor"] {
        off.set_part_enabled(PartKind::Channel, c, false)?;
    }
    let build = |name: &'static str,
                 budget: f64,
                 audience: f64,
                 value: f64,
                 cpl: f64|
     -> Result<Plan, Box<dyn std::error::Error>> {
        let mut plan = Plan::new(name, Money::new(budget)?);
        plan.add_part(Segment::new("s", audience, 1.0)?)?;
        plan.add_part(ValueProposition::new("v", 1.0, ["s"])?)?;
        plan.add_part(Offer::new("o", value, 1.0, 1.0)?)?;
        plan.add_part(Channel::new("c", Linear::new(cpl, None)?.into(), audience)?)?;
        plan.add_part(Channel::new("d", Linear::new(cpl * 2.0, None)?.into(), audience)?)?;
        plan.add_module(ModuleSpec::new("s", "v", "o", "c"))?;
        plan.add_module(ModuleSpec::new("s", "v", "o", "d"))?;
        Ok(plan)
    };
    Ok(vec![
        ("no module", empty),
        ("zero budget", broke),
        ("all off", off),
        ("huge", build("huge", 1e15, 1e12, 1e15, 1e-6)?),
        ("tiny", build("tiny", 1e-6, 1e-6, 1e-6, 1e6)?),
    ])
}

#[test]
fn degenerate_plans_render_without_panic_nan_or_inf() -> Result<(), Box<dyn std::error::Error>> {
    use offergraph::time::{Horizon, TimeModel};
    use offergraph::uncertainty::{Distribution, Entry, Uncertainty};
    for (name, plan) in edge_plans()? {
        let mut scenario = Scenario::new(plan).with_time(TimeModel::new(Horizon::weeks(3)?))?;
        if scenario.plan().module_count() > 0 {
            let key = scenario.plan().modules().next().map(|m| m.key().to_owned()).unwrap_or_default();
            let entry = Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.5)?);
            scenario.set_uncertainty(Uncertainty::new().with_module(key, entry))?;
        }
        let html = Page::new(&scenario).with_draws(200).render().map_err(|e| format!("{name}: {e}"))?;
        assert_finite(&html);
        assert_self_contained(&html);
        assert!(html.ends_with("</html>\n"), "{name}");
    }
    Ok(())
}

#[test]
fn left_out_reasons_name_the_degenerate_case() -> Result<(), Box<dyn std::error::Error>> {
    let plans = edge_plans()?;
    let reason = |i: usize| -> Result<String, Box<dyn std::error::Error>> {
        Ok(Page::new(&Scenario::new(plans[i].1.clone())).render()?)
    };
    let empty = reason(0)?;
    assert!(empty.contains("Left out: the plan has no module."));
    assert!(empty.contains("the budget cannot be allocated: active weighted modules can absorb at most 0"));
    let off = reason(2)?;
    assert!(off.contains("Left out: no module is active."));
    assert!(off.contains("figures are at zero spend"));
    Ok(())
}

#[test]
fn errors_name_the_value_and_the_range() -> Result<(), Box<dyn std::error::Error>> {
    let scenario = report_case::scenario()?;
    let err = Page::new(&scenario).with_draws(0).render().unwrap_err();
    assert_eq!(err.to_string(), "draws must be an integer in [1, 1000000], found 0");
    // Actuals read for another plan are refused by the diagnosis.
    let other = Scenario::new(offergraph::sample::apartments()?);
    let actuals = report_case::actuals(&scenario)?;
    let err = Page::new(&other).with_actuals(&actuals).render().unwrap_err();
    assert_eq!(
        err.to_string(),
        "the actuals were read for another version of the plan; read them again for this plan"
    );
    Ok(())
}

/// Random plans and time models from `offergraph::testing` (feature `testing`): every page renders,
/// with no `NaN`, no `inf` and nothing to fetch, or fails with an error — never a panic.
#[cfg(feature = "testing")]
mod properties {
    use offergraph::Scenario;
    use offergraph::page::Page;
    use offergraph::testing::{plans, time_models};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn every_random_scenario_renders_a_finite_page(
            (plan, model) in plans(5).prop_flat_map(|p| { let m = time_models(&p, 6); (Just(p), m) })
        ) {
            let scenario = Scenario::new(plan).with_time(model).expect("the strategy builds valid models");
            match Page::new(&scenario).render() {
                Ok(html) => {
                    super::assert_finite(&html);
                    super::assert_self_contained(&html);
                    prop_assert!(html.ends_with("</html>\n"));
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}
