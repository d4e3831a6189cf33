//! The inputs of the report on the B2B case, shared by `examples/report.rs`, the report's tests
//! and its bench: `tests/cases/b2b-12-weeks.json` (24 modules, 12 weeks, a sales desk, a 6-week
//! lag) with an uncertainty section (each channel's lead volume log-normal around the plan, each
//! offer's deal value log-normal) and eight weeks of simulated actuals (seeded): the plan's own
//! weekly leads and deals with Poisson noise, except that one module's conversion halved and one
//! module's leads cost 30% more.

use offergraph::actuals::{ActualRow, Actuals, Observation};
use offergraph::uncertainty::{Distribution, Entry, Uncertainty};
use offergraph::{Channel, Offer, PartKind, Scenario};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_distr::{Distribution as _, LogNormal, Poisson};

/// The module whose conversion halved, and the one whose leads cost 30% more.
pub const SALES_PROBLEM: &str = "guangdong-manufacturing/manufacturing-uptime/standard/search";
pub const COST_PROBLEM: &str = "jiangsu-medicine/medicine-compliance/premium/feed";
/// Weeks of actuals.
pub const WEEKS_SEEN: usize = 8;

/// The B2B case as a scenario with its time model and an uncertainty section.
pub fn scenario() -> Result<Scenario, Box<dyn std::error::Error>> {
    let path = format!("{}/tests/cases/b2b-12-weeks.json", env!("CARGO_MANIFEST_DIR"));
    let scenario = Scenario::load(&path)?;
    let plan = scenario.plan();
    let mut u = Uncertainty::new();
    for c in plan.parts::<Channel>() {
        u = u.with_part(
            PartKind::Channel,
            c.key(),
            Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.25)?),
        );
    }
    for o in plan.parts::<Offer>() {
        let value = Distribution::log_normal(o.deal_value(), 0.2)?;
        u = u.with_part(PartKind::Offer, o.key(), Entry::new().with_deal_value(value));
    }
    Ok(scenario.with_uncertainty(u)?)
}

/// Eight weeks of actuals of `scenario` (made by [`scenario`]), simulated with seed 14.
pub fn actuals(scenario: &Scenario) -> Result<Actuals, Box<dyn std::error::Error>> {
    let (plan, time) = (scenario.plan(), scenario.time().ok_or("the case has a time model")?);
    let eval = time.evaluate(plan)?;
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let noise = LogNormal::new(-0.02, 0.2)?; // mean 1
    let mut rows = Vec::new();
    for m in plan.modules() {
        let s = eval.module(plan, m.key())?;
        let lead_scale = if m.key() == COST_PROBLEM { 1.0 / 1.3 } else { 1.0 };
        let deal_scale = lead_scale * if m.key() == SALES_PROBLEM { 0.5 } else { 1.0 };
        for t in 0..WEEKS_SEEN {
            let leads = Poisson::new((s.leads[t] * lead_scale).max(1e-9))?.sample(&mut rng);
            let deals = Poisson::new((s.deals[t] * deal_scale).max(1e-9))?.sample(&mut rng);
            let revenue = deals * s.deal_value * noise.sample(&mut rng);
            rows.push(ActualRow::new(t, m.key(), Observation::new(s.spend[t], leads, deals, revenue)));
        }
    }
    Ok(Actuals::from_rows("simulated", rows, plan, Some(time))?)
}
