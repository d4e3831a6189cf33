//! Shared checks for the fuzz targets: bounded solver options and "every figure is finite"
//! assertions (the library promises no NaN or ∞ in any output).

use std::time::Duration;

use offergraph::optimize::{Solution, SolveOptions};
use offergraph::time::{PeriodFigures, TimeEvaluation, TimeOptimum};
use offergraph::{Allocation, Evaluation, Figures};

/// Bounded work per solve, so one execution stays fast: 200 nodes, 500 ms.
pub fn solve_options() -> SolveOptions {
    SolveOptions::new().with_max_nodes(200).with_time_limit(Duration::from_millis(500))
}

/// Asserts `x` is finite.
#[track_caller]
pub fn finite(what: &str, x: f64) {
    assert!(x.is_finite(), "{what} is not finite: {x}");
}

/// A figure that is always defined (`f64`) or may be undefined (`Option<f64>`, e.g. a ratio
/// without a denominator, or a slope that is unbounded).
pub trait Figure: Copy {
    /// The value, if defined.
    fn value(self) -> Option<f64>;
}
impl Figure for f64 {
    fn value(self) -> Option<f64> {
        Some(self)
    }
}
impl Figure for Option<f64> {
    fn value(self) -> Option<f64> {
        self
    }
}

/// Asserts a figure is finite when defined.
#[track_caller]
pub fn finite_opt(what: &str, x: impl Figure) {
    if let Some(x) = x.value() {
        finite(what, x);
    }
}

/// The additive figures and the ratios derived from them.
#[track_caller]
pub fn figures(what: &str, f: &Figures) {
    for (name, x) in [
        ("spend", f.spend),
        ("leads", f.leads),
        ("deals", f.deals),
        ("revenue", f.revenue),
        ("gross_profit", f.gross_profit),
        ("profit", f.profit()),
    ] {
        finite(&format!("{what}.{name}"), x);
    }
    for (name, x) in
        [("cpl", f.cpl()), ("romi", f.romi()), ("roas", f.roas()), ("value_per_lead", f.value_per_lead())]
    {
        finite_opt(&format!("{what}.{name}"), x);
    }
}

/// The total and every module's figures of a plan evaluation.
#[track_caller]
pub fn evaluation(what: &str, e: &Evaluation) {
    figures(&format!("{what}.total"), e.total());
    for (i, m) in e.modules().iter().enumerate() {
        let what = format!("{what}.module[{i}]");
        figures(&what, &m.figures);
        finite_opt(&format!("{what}.marginal_leads()"), m.marginal_leads());
        finite(&format!("{what}.value_per_lead"), m.value_per_lead);
        finite_opt(&format!("{what}.marginal_romi"), m.marginal_romi());
        finite_opt(&format!("{what}.marginal_cpl"), m.marginal_cpl());
    }
}

/// Objective, bound, spends, leads, multipliers and residual of a solve.
#[track_caller]
pub fn solution(what: &str, s: &Solution) {
    finite(&format!("{what}.objective"), s.objective);
    finite(&format!("{what}.upper_bound"), s.upper_bound);
    finite(&format!("{what}.budget_multiplier"), s.budget_multiplier);
    finite_opt(&format!("{what}.budget_multiplier_slope"), s.budget_multiplier_slope);
    finite(&format!("{what}.kkt_residual"), s.kkt_residual);
    for (name, v) in [
        ("spend", &s.spend),
        ("leads", &s.leads),
        ("capacity_multipliers", &s.capacity_multipliers),
        ("group_multipliers", &s.group_multipliers),
    ] {
        for (i, &x) in v.iter().enumerate() {
            finite(&format!("{what}.{name}[{i}]"), x);
        }
    }
    for (i, &x) in s.marginal_romi.iter().enumerate() {
        finite_opt(&format!("{what}.marginal_romi[{i}]"), x);
    }
}

/// Every module's spend of an allocation.
#[track_caller]
pub fn allocation(what: &str, a: &Allocation) {
    for (i, &x) in a.spend().iter().enumerate() {
        finite(&format!("{what}.spend[{i}]"), x);
    }
}

/// A period: its closing figures (the deals closing in it), its full-cycle figures (every deal its
/// leads bring), both checked as [`Figures`], and its lead flows.
fn period(what: &str, p: &PeriodFigures) {
    let PeriodFigures { spend, leads, deals, revenue, gross_profit, .. } = *p;
    figures(&format!("{what}.closing"), &Figures { spend, leads, deals, revenue, gross_profit });
    let (deals, revenue, gross_profit) = (p.cohort_deals, p.cohort_revenue, p.cohort_gross_profit);
    figures(&format!("{what}.full_cycle"), &Figures { spend, leads, deals, revenue, gross_profit });
    for (name, x) in [("processed", p.processed), ("lost", p.lost), ("backlog", p.backlog)] {
        finite(&format!("{what}.{name}"), x);
    }
    finite_opt(&format!("{what}.naive_romi"), p.naive_romi());
    finite_opt(&format!("{what}.full_cycle_romi"), p.full_cycle_romi());
    finite_opt(&format!("{what}.cpl"), p.cpl());
}

/// Period totals, team flows, in-horizon / after-horizon / full-cycle figures and ROMI views.
#[track_caller]
pub fn time_evaluation(what: &str, e: &TimeEvaluation) {
    for (t, p) in e.totals().iter().enumerate() {
        period(&format!("{what}.totals[{t}]"), p);
    }
    for team in e.teams() {
        for (name, v) in [
            ("capacity", &team.capacity),
            ("arrivals", &team.arrivals),
            ("processed", &team.processed),
            ("backlog", &team.backlog),
            ("lost", &team.lost),
        ] {
            for (t, &x) in v.iter().enumerate() {
                finite(&format!("{what}.team[{}].{name}[{t}]", team.key), x);
            }
        }
    }
    figures(&format!("{what}.in_horizon"), &e.in_horizon());
    figures(&format!("{what}.after_horizon"), &e.after_horizon());
    figures(&format!("{what}.full_cycle"), &e.full_cycle());
    finite_opt(&format!("{what}.full_cycle_romi"), e.full_cycle_romi());
    for (name, v) in [
        ("naive_romi", e.naive_romi()),
        ("cumulative_romi", e.cumulative_romi()),
        ("full_cycle_romi_by_period", e.full_cycle_romi_by_period()),
    ] {
        for (t, x) in v.into_iter().enumerate() {
            finite_opt(&format!("{what}.{name}[{t}]"), x);
        }
    }
}

/// A time optimum: objective, bound, schedule, solution and evaluation.
#[track_caller]
pub fn time_optimum(what: &str, o: &TimeOptimum) {
    finite(&format!("{what}.objective"), o.objective());
    finite(&format!("{what}.upper_bound"), o.upper_bound());
    for (i, &x) in o.schedule().as_slice().iter().enumerate() {
        finite(&format!("{what}.schedule[{i}]"), x);
    }
    solution(&format!("{what}.solution"), o.solution());
    time_evaluation(&format!("{what}.evaluation"), o.evaluation());
}

/// The fixed plan the `actuals` target reads tables against: three modules `m0`, `m1`, `m2`
/// (two on an exponential search curve served by a one-rep sales desk, one on a linear feed),
/// six weeks, a two-week lag. Built once.
pub fn actuals_scenario() -> &'static offergraph::Scenario {
    use offergraph::curves::{Exponential, Linear};
    use offergraph::time::{Horizon, Lag, SalesTeam, TimeModel};
    use offergraph::{Channel, ModuleSpec, Money, Offer, Plan, Scenario, Segment, ValueProposition};
    static SCENARIO: std::sync::OnceLock<Scenario> = std::sync::OnceLock::new();
    SCENARIO.get_or_init(|| {
        let build = || -> Result<Scenario, offergraph::Error> {
            let mut plan = Plan::new("fuzz-actuals", Money::new(36_000.0)?);
            for s in ["north", "south"] {
                plan.add_part(Segment::new(s, 10_000.0, 0.2)?)?;
            }
            plan.add_part(ValueProposition::new("fast", 1.0, ["north", "south"])?)?;
            plan.add_part(Offer::new("audit", 1_000.0, 0.5, 1.0)?)?;
            plan.add_part(Channel::new("search", Exponential::new(400.0, 20_000.0)?.into(), 10_000.0)?)?;
            plan.add_part(Channel::new("feed", Linear::new(100.0, None)?.into(), 10_000.0)?)?;
            plan.add_module(ModuleSpec::new("north", "fast", "audit", "search").with_key("m0"))?;
            plan.add_module(ModuleSpec::new("south", "fast", "audit", "search").with_key("m1"))?;
            plan.add_module(ModuleSpec::new("north", "fast", "audit", "feed").with_key("m2"))?;
            let time = TimeModel::new(Horizon::weeks(6)?)
                .with_offer_lag("audit", Lag::from_weights(vec![0.5, 0.3, 0.2])?)
                .with_team(SalesTeam::new("desk", 1.0, 4.0, 5.0)?.with_channel("search"));
            Ok(Scenario::new(plan).with_time(time)?)
        };
        build().expect("the fixed plan is valid")
    })
}

/// Every figure of a Monte Carlo run: per module, the total, and `p_loss` / `p_below_target`
/// within `[0, 1]`.
#[track_caller]
pub fn simulation(what: &str, sim: &offergraph::uncertainty::Simulation) {
    let outcome = |what: String, o: &offergraph::uncertainty::Outcome| {
        finite(&format!("{what}.spend"), o.spend);
        for (name, s) in [
            ("leads", Some(o.leads)),
            ("deals", Some(o.deals)),
            ("gross_profit", Some(o.gross_profit)),
            ("profit", Some(o.profit)),
            ("romi", o.romi),
        ] {
            if let Some(s) = s {
                for (stat, x) in [("mean", s.mean), ("p10", s.p10), ("p50", s.p50), ("p90", s.p90)] {
                    finite(&format!("{what}.{name}.{stat}"), x);
                }
                assert!(s.p10 <= s.p50 && s.p50 <= s.p90, "{what}.{name}: percentiles out of order {s:?}");
            }
        }
        for (name, p) in [("p_loss", o.p_loss), ("p_below_target", o.p_below_target)] {
            assert!((0.0..=1.0).contains(&p), "{what}.{name} is not a probability: {p}");
        }
    };
    outcome(format!("{what}.total"), sim.total());
    for (i, o) in sim.modules().iter().enumerate() {
        outcome(format!("{what}.module[{i}]"), o);
    }
}
