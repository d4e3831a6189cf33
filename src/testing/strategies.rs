//! Strategies for the rest of a scenario: budget rules, optimizing policies, lags, sales teams and
//! time models. Like [`plans`](crate::testing::plans), they build only valid values (ranges are
//! mapped, not filtered); those that name parts draw them from the plan they are given.

use proptest::prelude::*;

use crate::optimize::{BudgetKind, Limit, Measure, Objective};
use crate::time::{Flights, Horizon, Lag, Overflow, SalesTeam, TimeModel};
use crate::{BudgetRule, Channel, GroupBy, Offer, OptimizePolicy, PartKind, Plan, Segment, Selector};

/// One budget rule for a plan of `n` modules and budget `budget`: mostly weights, sometimes
/// bounded, sometimes a small fixed amount (fixed amounts together stay within half the budget,
/// and maxima leave room for the rest).
///
/// ```
/// use offergraph::testing::proptest::strategy::{Strategy, ValueTree};
/// let mut runner = offergraph::testing::proptest::test_runner::TestRunner::deterministic();
/// let rule = offergraph::testing::budget_rules(1_000.0, 4).new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// assert!(rule.min() >= 0.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn budget_rules(budget: f64, n: usize) -> impl Strategy<Value = BudgetRule> {
    let small = budget / (2.0 * n.max(1) as f64);
    prop_oneof![
        4 => (0.1..10.0f64).prop_map(BudgetRule::weight),
        2 => (0.1..10.0f64, prop_oneof![Just(0.0), 0.01..1.0f64], 1.0..4.0f64)
            .prop_map(move |(w, lo, hi)| BudgetRule::weight(w).with_min(lo * small).with_max(hi * small * 2.0 + budget)),
        1 => prop_oneof![Just(0.0), 0.01..1.0f64].prop_map(move |f| BudgetRule::fixed(f * small)),
    ]
}

/// Keys of the plan's parts of one kind that some module uses.
fn used<P: crate::Part>(plan: &Plan) -> Vec<String> {
    plan.parts::<P>()
        .map(|p| p.part_key().to_owned())
        .filter(|k| plan.modules_using(P::KIND, k).is_ok_and(|m| !m.is_empty()))
        .collect()
}

/// An optimizing policy for `plan`: max profit, or the most gross profit or leads for the budget
/// (spent exactly or at most); sometimes a cap on a channel's share of the budget; sometimes a
/// lead capacity on a segment's modules. Selectors name parts that modules of `plan` use, so
/// they always select something; a plan without modules gets no selectors.
///
/// ```
/// use offergraph::testing::proptest::strategy::{Strategy, ValueTree};
/// let plan = offergraph::sample::apartments()?;
/// let mut runner = offergraph::testing::proptest::test_runner::TestRunner::deterministic();
/// let policy = offergraph::testing::policies(&plan).new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// assert!(policy.problem(&plan).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn policies(plan: &Plan) -> impl Strategy<Value = OptimizePolicy> + use<> {
    let objective = prop_oneof![
        Just(Objective::MaxProfit),
        Just(Objective::MaxValueFixedBudget { measure: Measure::GrossProfit }),
        Just(Objective::MaxValueFixedBudget { measure: Measure::Leads }),
    ];
    let kind = prop_oneof![Just(None), Just(Some(BudgetKind::AtMost)), Just(Some(BudgetKind::Exactly))];
    let (channels, segments) = (used::<Channel>(plan), used::<Segment>(plan));
    // `select` needs a choice; with none the rule is never drawn (`weight 0` below).
    let pick = |keys: &Vec<String>| {
        proptest::sample::select(if keys.is_empty() { vec![String::new()] } else { keys.clone() })
    };
    let cap = proptest::option::weighted(
        if channels.is_empty() { 0.0 } else { 0.5 },
        (pick(&channels), 0.2..0.9f64),
    );
    let capacity = proptest::option::weighted(
        if segments.is_empty() { 0.0 } else { 0.5 },
        (pick(&segments), 1.0..200.0f64),
    );
    (objective, kind, cap, capacity).prop_map(|(objective, kind, cap, capacity)| {
        let mut policy = OptimizePolicy::new(objective);
        if let Some(kind) = kind {
            policy = policy.with_budget_kind(kind);
        }
        if let Some((channel, share)) = cap {
            policy = policy
                .with_cap(Selector::new(GroupBy::Part(PartKind::Channel), channel), Limit::Share(share));
        }
        if let Some((segment, limit)) = capacity {
            let selector = Selector::new(GroupBy::Part(PartKind::Segment), segment);
            policy = policy.with_capacity("desk", Some(selector), Measure::Leads, limit);
        }
        policy
    })
}

/// A lead→deal lag: none, weights over up to four periods, or geometric, gamma or log-normal
/// with a mean of up to eight periods.
///
/// ```
/// use offergraph::testing::proptest::strategy::{Strategy, ValueTree};
/// let mut runner = offergraph::testing::proptest::test_runner::TestRunner::deterministic();
/// let lag = offergraph::testing::lags().new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// assert!((lag.weights().iter().sum::<f64>() - 1.0).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lags() -> impl Strategy<Value = Lag> {
    // The values drawn lie inside every shape's accepted range, so the constructors accept them.
    let valid = |lag: Result<Lag, crate::error::TimeError>| lag.ok();
    prop_oneof![
        Just(Lag::none()),
        proptest::collection::vec(0.1..1.0f64, 1..=4).prop_filter_map("valid weights", move |w| {
            let sum: f64 = w.iter().sum();
            valid(Lag::from_weights(w.into_iter().map(|x| x / sum).collect()))
        }),
        (0.1..8.0f64).prop_filter_map("valid", move |m| valid(Lag::geometric(m))),
        (0.5..8.0f64, 0.1..1.0f64).prop_filter_map("valid", move |(m, s)| valid(Lag::gamma(m, s * m))),
        (0.5..8.0f64, 0.1..1.0f64).prop_filter_map("valid", move |(m, s)| valid(Lag::log_normal(m, s * m))),
    ]
}

/// A sales team `key` of one to five reps taking 1–20 leads a day over five working days, that
/// claims one channel `plan`'s modules use (none when there is none), sometimes with a holiday in
/// one of the first `periods` periods.
///
/// ```
/// use offergraph::testing::proptest::strategy::{Strategy, ValueTree};
/// let plan = offergraph::sample::apartments()?;
/// let mut runner = offergraph::testing::proptest::test_runner::TestRunner::deterministic();
/// let team = offergraph::testing::teams(&plan, "desk", 4).new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// assert_eq!(team.key(), "desk");
/// assert!(team.capacity(0) > 0.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn teams(plan: &Plan, key: &str, periods: usize) -> impl Strategy<Value = SalesTeam> + use<> {
    let channels = used::<Channel>(plan);
    let channel = proptest::sample::select(if channels.is_empty() {
        vec![None]
    } else {
        channels.into_iter().map(Some).collect()
    });
    let key = key.to_owned();
    let holiday = proptest::option::of((0..periods.max(1), 0.5..2.0f64));
    (1.0..5.0f64, 1.0..20.0f64, channel, holiday).prop_filter_map(
        "valid team",
        move |(reps, per_day, channel, holiday)| {
            let mut team = SalesTeam::new(key.clone(), reps.round(), per_day, 5.0).ok()?;
            if let Some((period, days)) = holiday {
                team = team.with_holidays(period, days).ok()?;
            }
            Some(match channel {
                Some(c) => team.with_channel(c),
                None => team,
            })
        },
    )
}

/// A time model for `plan` over one to `max_periods` weeks: even or front-loaded flights, up to
/// two sales teams (keys `t0`, `t1`) on channels its modules use, lost or decaying-backlog
/// overflow, a lag for some of its offers, and sometimes a default lag. It passes
/// [`TimeModel::check`] for `plan`.
///
/// ```
/// use offergraph::testing::proptest::strategy::{Strategy, ValueTree};
/// let plan = offergraph::sample::apartments()?;
/// let mut runner = offergraph::testing::proptest::test_runner::TestRunner::deterministic();
/// let model = offergraph::testing::time_models(&plan, 6).new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// model.check(&plan)?;
/// assert!(model.evaluate(&plan)?.periods() <= 6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn time_models(plan: &Plan, max_periods: usize) -> impl Strategy<Value = TimeModel> + use<> {
    let offers: Vec<String> = used::<Offer>(plan);
    let plan = plan.clone();
    (1..=max_periods.max(1)).prop_flat_map(move |periods| {
        let team_list = proptest::collection::vec(0..2usize, 0..=2);
        let offer_lags = proptest::collection::vec(proptest::option::of(lags()), offers.len());
        let overflow = prop_oneof![Just(None), (0.0..0.5f64).prop_map(Some)];
        let (t0, t1) = (teams(&plan, "t0", periods), teams(&plan, "t1", periods));
        let offers = offers.clone();
        (Just(periods), any::<bool>(), team_list, t0, t1, overflow, offer_lags, proptest::option::of(lags()))
            .prop_filter_map(
                "valid model",
                move |(periods, front, picks, t0, t1, overflow, offer_lags, default)| {
                    let flights = if front { Flights::front_loaded() } else { Flights::even() };
                    let mut model = TimeModel::new(Horizon::weeks(periods).ok()?).with_flights(flights);
                    // Two teams claiming the same channel conflict, and keys are unique: keep the first.
                    for team in picks.into_iter().map(|p| if p == 0 { t0.clone() } else { t1.clone() }) {
                        let clash = model.teams().iter().any(|t| {
                            t.key() == team.key() || t.channels().iter().any(|c| team.channels().contains(c))
                        });
                        if !clash {
                            model = model.with_team(team);
                        }
                    }
                    if let Some(decay) = overflow {
                        model = model.with_overflow(Overflow::backlog(decay).ok()?);
                    }
                    for (offer, lag) in offers.iter().zip(offer_lags) {
                        if let Some(lag) = lag {
                            model = model.with_offer_lag(offer.clone(), lag);
                        }
                    }
                    if let Some(lag) = default {
                        model = model.with_default_lag(lag);
                    }
                    Some(model)
                },
            )
    })
}
