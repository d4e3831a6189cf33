//! Helpers shared by the integration tests (and, through `#[path]`, by the benches).

#![allow(dead_code)] // each includer uses its own subset

/// What a test returns: `?` on any error fails it with the error's message.
pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A log-normal of median `median` and log-sd `sigma` (valid by construction in the tests).
pub fn ln(median: f64, sigma: f64) -> offergraph::uncertainty::Distribution {
    offergraph::uncertainty::Distribution::log_normal(median, sigma).expect("valid")
}

/// `a` and `b` agree to `rel`, relative to the larger magnitude (absolutely below 1).
pub fn close_to(a: f64, b: f64, rel: f64) -> bool {
    offergraph::tol::approx_eq(a, b, rel)
}

/// Asserts that `a` and `b` agree to `rel` ([`close_to`]), naming both when they do not.
#[track_caller]
pub fn assert_close_to(a: f64, b: f64, rel: f64) {
    assert!(close_to(a, b, rel), "{a} vs {b} (relative tolerance {rel})");
}

/// `a` and `b` agree to 1e-12: the figures of a known answer worked by hand.
pub fn close(a: f64, b: f64) -> bool {
    close_to(a, b, 1e-12)
}

/// A seeded linear congruential generator (Knuth's MMIX constants). Fixtures of the tests and
/// the benches come from it so that they are the same problems in every version of the crate,
/// and benchmark figures stay comparable across versions.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number, uniform in `[0, 1)`.
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The next number, uniform in `[a, b)`.
    pub fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.next()
    }
}

/// The benches' seasonal time model over `periods` weeks: five sales teams of `reps` reps, each
/// taking every fifth of `segments` segments, a decaying backlog, and `lag(o)` for each of the
/// ten offers.
pub fn seasonal_teams(
    periods: usize,
    segments: usize,
    reps: f64,
    lag: impl Fn(usize) -> offergraph::time::Lag,
) -> offergraph::time::TimeModel {
    use offergraph::time::{Horizon, Overflow, SalesTeam, Seasonality, TimeModel};
    let season: Vec<f64> =
        (0..periods).map(|t| 1.0 + 0.3 * (t as f64 * std::f64::consts::TAU / 52.0).sin()).collect();
    let mut m = TimeModel::new(Horizon::weeks(periods).expect("periods > 0"))
        .with_seasonality(Seasonality::new().with_base(season).expect("valid"))
        .with_overflow(Overflow::backlog(0.1).expect("valid"));
    for k in 0..5 {
        let mut team = SalesTeam::new(format!("team-{k}"), reps, 8.0, 5.0).expect("valid");
        for s in (k..segments).step_by(5) {
            team = team.with_segment(format!("seg-{s}"));
        }
        m = m.with_team(team);
    }
    for o in 0..10 {
        m = m.with_offer_lag(format!("offer-{o}"), lag(o));
    }
    m
}

/// An uncertainty section whose one entry is a log-normal lead scale of median `median` and
/// log-sd `sigma` on channel `channel`: the simplest surprise, shared by many known answers.
pub fn channel_lead_scale(channel: &str, median: f64, sigma: f64) -> offergraph::uncertainty::Uncertainty {
    use offergraph::uncertainty::{Entry, Uncertainty};
    Uncertainty::new().with_part(
        offergraph::PartKind::Channel,
        channel,
        Entry::new().with_lead_scale(ln(median, sigma)),
    )
}

/// `change` fails on `scenario` with the error `message` and leaves the scenario's file as it
/// was: a refused change never half-applies.
pub fn refused_unchanged<T: std::fmt::Debug, E: std::fmt::Display>(
    scenario: &mut offergraph::Scenario,
    change: impl FnOnce(&mut offergraph::Scenario) -> Result<T, E>,
    message: &str,
) {
    let before = scenario.to_json();
    let err = change(scenario).unwrap_err();
    assert_eq!(err.to_string(), message);
    assert_eq!(scenario.to_json(), before);
}
