//! [`TimeModel`]: everything the time layer adds to a plan — horizon, flights, seasonality,
//! sales teams, overflow policy and lags — and its resolution against a plan's modules.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::error::TimeError;
use crate::model::parts::PartKind;
use crate::model::setters;
use crate::time::capacity::{Overflow, SalesTeam};
use crate::time::horizon::{Flights, Horizon, put_remainder};
use crate::time::lag::Lag;
use crate::time::schedule::Schedule;
use crate::time::seasonality::Seasonality;
use crate::{Channel, Offer, Plan, Segment};

/// A plan's time model: the horizon, how the budget is split into periods, seasonality, sales
/// teams and their overflow policy, and lead→deal lags per offer (or per module).
///
/// Parts and modules are referred to by key; [`TimeModel::check`] (and every evaluation)
/// resolves them against the plan, so the model survives edits of the plan that keep its keys.
///
/// # Example
/// ```
/// use offergraph::time::{Flights, Horizon, Lag, Overflow, SalesTeam, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let model = TimeModel::new(Horizon::weeks(8)?)
///     .with_flights(Flights::front_loaded())
///     .with_team(SalesTeam::new("desk", 2.0, 6.0, 5.0)?.with_channel("search"))
///     .with_overflow(Overflow::backlog(0.1)?)
///     .with_offer_lag("2-room", Lag::geometric(2.0)?);
/// model.check(&plan)?;
/// let eval = model.evaluate(&plan)?;
/// assert_eq!(eval.periods(), 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TimeModel {
    pub(crate) horizon: Horizon,
    pub(crate) flights: Flights,
    pub(crate) seasonality: Seasonality,
    pub(crate) teams: Vec<SalesTeam>,
    pub(crate) overflow: Overflow,
    pub(crate) offer_lags: IndexMap<String, Lag>,
    pub(crate) module_lags: IndexMap<String, Lag>,
    /// The lag of every module with neither its own nor its offer's.
    pub(crate) default_lag: Option<Lag>,
    /// The team (by key) of every module no team claims.
    pub(crate) default_team: Option<String>,
}

/// A reference of a time model that [`TimeModel::prune`] dropped because the plan no longer has
/// what it named.
///
/// ```
/// # use offergraph::time::{Horizon, SalesTeam, TimeModel};
/// # let plan = offergraph::sample::apartments()?;
/// let mut model = TimeModel::new(Horizon::weeks(2)?).with_team(SalesTeam::new("desk", 1.0, 5.0, 5.0)?.with_channel("radio"));
/// let dropped = model.prune(&plan);
/// assert_eq!((dropped[0].referrer(), dropped[0].entity(), dropped[0].key()), ("team \"desk\"", "channel", "radio"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRepair {
    referrer: String,
    entity: &'static str,
    key: String,
}

impl TimeRepair {
    /// A dropped reference (the scenario's other sections report theirs the same way).
    pub(crate) fn new(referrer: &str, entity: &'static str, key: &str) -> TimeRepair {
        TimeRepair { referrer: referrer.to_owned(), entity, key: key.to_owned() }
    }

    /// What held the reference (`team "desk"`, `lags`, `seasonality`).
    ///
    /// ```
    /// # use offergraph::time::{Horizon, Lag, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let mut model = TimeModel::new(Horizon::weeks(2)?).with_offer_lag("villa", Lag::geometric(1.0)?);
    /// assert_eq!(model.prune(&plan)[0].referrer(), "lags");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn referrer(&self) -> &str {
        &self.referrer
    }

    /// The kind of thing it named (`module`, `offer`, `segment`, `channel`).
    ///
    /// ```
    /// # use offergraph::time::{Horizon, Lag, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let mut model = TimeModel::new(Horizon::weeks(2)?).with_offer_lag("villa", Lag::geometric(1.0)?);
    /// assert_eq!(model.prune(&plan)[0].entity(), "offer");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entity(&self) -> &'static str {
        self.entity
    }

    /// The key the plan no longer has.
    ///
    /// ```
    /// # use offergraph::time::{Horizon, Lag, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let mut model = TimeModel::new(Horizon::weeks(2)?).with_offer_lag("villa", Lag::geometric(1.0)?);
    /// assert_eq!(model.prune(&plan)[0].key(), "villa");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl std::fmt::Display for TimeRepair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} referred to {} \"{}\", which the plan no longer has; dropped",
            self.referrer, self.entity, self.key
        )
    }
}

/// A time model resolved against one plan: flat per-module arrays in plan order.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub periods: usize,
    /// `K`: periods the plan's curves describe.
    pub k: f64,
    /// Seasonal multiplier, `[module * periods + t]`.
    pub season: Vec<f64>,
    /// Team index per module (`NO_TEAM` when not capacity-limited).
    pub team_of: Vec<usize>,
    /// Capacity, `[team * periods + t]`.
    pub capacity: Vec<f64>,
    /// Lag index per module, into `lags` (0 is "no lag").
    pub lag_of: Vec<usize>,
    pub lags: Vec<Vec<f64>>,
}

pub(crate) const NO_TEAM: usize = usize::MAX;

impl TimeModel {
    /// A model over `horizon` with even flights, no seasonality, no sales teams (unlimited
    /// capacity), lost overflow and no lag.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// let m = TimeModel::new(Horizon::weeks(4)?);
    /// assert_eq!(m.horizon().periods(), 4);
    /// assert!(m.teams().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(horizon: Horizon) -> TimeModel {
        TimeModel {
            horizon,
            flights: Flights::default(),
            seasonality: Seasonality::default(),
            teams: Vec::new(),
            overflow: Overflow::default(),
            offer_lags: IndexMap::new(),
            module_lags: IndexMap::new(),
            default_lag: None,
            default_team: None,
        }
    }

    /// Adds a sales team.
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel};
    /// let m = TimeModel::new(Horizon::weeks(2)?).with_team(SalesTeam::new("desk", 1.0, 5.0, 5.0)?);
    /// assert_eq!(m.teams()[0].key(), "desk");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_team(mut self, team: SalesTeam) -> TimeModel {
        self.teams.push(team);
        self
    }

    /// Sets the lag of every module with this offer (replacing an earlier one).
    ///
    /// ```
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// let m = TimeModel::new(Horizon::weeks(2)?).with_offer_lag("2-room", Lag::geometric(1.0)?);
    /// assert_eq!(m.offer_lag("2-room"), Some(&Lag::geometric(1.0)?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_offer_lag(mut self, offer: impl Into<String>, lag: Lag) -> TimeModel {
        self.offer_lags.insert(offer.into(), lag);
        self
    }

    /// Sets the lag of one module, overriding its offer's (replacing an earlier one).
    ///
    /// ```
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// let m = TimeModel::new(Horizon::weeks(2)?).with_module_lag("m-1", Lag::none());
    /// assert_eq!(m.module_lag("m-1"), Some(&Lag::none()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_module_lag(mut self, module: impl Into<String>, lag: Lag) -> TimeModel {
        self.module_lags.insert(module.into(), lag);
        self
    }

    /// The horizon.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// assert_eq!(TimeModel::new(Horizon::weeks(3)?).horizon().unit(), "week");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn horizon(&self) -> &Horizon {
        &self.horizon
    }

    /// The flights.
    ///
    /// ```
    /// use offergraph::time::{Flights, Horizon, TimeModel};
    /// assert_eq!(TimeModel::new(Horizon::weeks(3)?).flights(), &Flights::even());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn flights(&self) -> &Flights {
        &self.flights
    }

    /// The seasonality.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// assert!(TimeModel::new(Horizon::weeks(3)?).seasonality().is_flat());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn seasonality(&self) -> &Seasonality {
        &self.seasonality
    }

    /// The sales teams.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// assert!(TimeModel::new(Horizon::weeks(3)?).teams().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn teams(&self) -> &[SalesTeam] {
        &self.teams
    }

    /// The overflow policy.
    ///
    /// ```
    /// use offergraph::time::{Horizon, Overflow, TimeModel};
    /// assert_eq!(TimeModel::new(Horizon::weeks(3)?).overflow(), Overflow::Lost);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overflow(&self) -> Overflow {
        self.overflow
    }

    /// The lag set for an offer, if any.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// assert_eq!(TimeModel::new(Horizon::weeks(3)?).offer_lag("x"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn offer_lag(&self, offer: &str) -> Option<&Lag> {
        self.offer_lags.get(offer)
    }

    /// The lag set for a module, if any.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// assert_eq!(TimeModel::new(Horizon::weeks(3)?).module_lag("x"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module_lag(&self, module: &str) -> Option<&Lag> {
        self.module_lags.get(module)
    }

    /// Checks the model against a plan: every series has one value per period, every number is
    /// valid, every key names a part or module of the plan, no module feeds two teams at the
    /// same level, teams are not repeated.
    ///
    /// # Errors
    /// [`TimeError::WrongLength`], [`TimeError::InvalidValue`], [`TimeError::UnknownKey`],
    /// [`TimeError::Duplicate`], [`TimeError::TeamConflict`], [`TimeError::PeriodOutOfRange`],
    /// [`TimeError::TooManyHolidays`].
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let m = TimeModel::new(Horizon::weeks(4)?).with_team(SalesTeam::new("desk", 1.0, 5.0, 5.0)?.with_segment("pensioners"));
    /// assert_eq!(m.check(&plan).unwrap_err().to_string(),
    ///     "team \"desk\" refers to segment \"pensioners\", which the plan does not have");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, plan: &Plan) -> Result<(), TimeError> {
        self.resolve(plan).map(|_| ())
    }

    /// Splits the plan's allocation into periods by the flights: module `i` spends
    /// `s_i · share_t` in period `t` (each module's row sums to its allocation).
    ///
    /// # Errors
    /// The plan's [`BudgetError`](crate::error::BudgetError) (as [`TimeError::Budget`]) and
    /// [`Flights::shares`]'s errors.
    ///
    /// ```
    /// use offergraph::time::{Flights, Horizon, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let s = TimeModel::new(Horizon::weeks(4)?).with_flights(Flights::front_loaded()).schedule(&plan)?;
    /// assert!((s.period_total(0) - 0.4 * 60_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn schedule(&self, plan: &Plan) -> Result<Schedule, TimeError> {
        let alloc = plan.allocate()?;
        let periods = self.horizon.periods();
        let shares = self.flights.shares(periods)?;
        let mut spend = Vec::with_capacity(alloc.spend().len() * periods);
        for &s in alloc.spend() {
            let at = spend.len();
            spend.extend(shares.iter().map(|w| w * s));
            put_remainder(&mut spend[at..], s);
        }
        Ok(Schedule::from_checked(plan, periods, spend))
    }

    /// Drops every reference to a part or module the plan no longer has (a team's modules,
    /// segments and channels, lags by offer or module, seasonality by channel or segment), so
    /// the model is valid for the plan again after an edit removed something. Says what it
    /// dropped, in the model's order.
    ///
    /// ```
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// let mut plan = offergraph::sample::apartments()?;
    /// let key = "investors/yield/1-room/outdoor";
    /// let mut model = TimeModel::new(Horizon::weeks(4)?).with_module_lag(key, Lag::geometric(1.0)?);
    /// plan.remove_module(key)?;
    /// assert!(model.check(&plan).is_err());
    /// let dropped = model.prune(&plan);
    /// assert_eq!(dropped[0].to_string(), format!("lags referred to module \"{key}\", which the plan no longer has; dropped"));
    /// assert_eq!(model.check(&plan), Ok(()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn prune(&mut self, plan: &Plan) -> Vec<TimeRepair> {
        let mut dropped = Vec::new();
        let mut keep = |referrer: &str, entity: &'static str, key: &str, exists: bool| {
            if !exists {
                dropped.push(TimeRepair { referrer: referrer.to_owned(), entity, key: key.to_owned() });
            }
            exists
        };
        self.seasonality
            .channels
            .retain(|k, _| keep("seasonality", "channel", k, plan.part::<Channel>(k).is_ok()));
        self.seasonality
            .segments
            .retain(|k, _| keep("seasonality", "segment", k, plan.part::<Segment>(k).is_ok()));
        for team in &mut self.teams {
            let referrer = format!("team \"{}\"", team.key);
            team.modules.retain(|k| keep(&referrer, "module", k, plan.module(k).is_ok()));
            team.segments.retain(|k| keep(&referrer, "segment", k, plan.part::<Segment>(k).is_ok()));
            team.channels.retain(|k| keep(&referrer, "channel", k, plan.part::<Channel>(k).is_ok()));
        }
        self.offer_lags.retain(|k, _| keep("lags", "offer", k, plan.part::<Offer>(k).is_ok()));
        self.module_lags.retain(|k, _| keep("lags", "module", k, plan.module(k).is_ok()));
        dropped
    }

    /// Resolves keys and series against the plan.
    pub(crate) fn resolve(&self, plan: &Plan) -> Result<Resolved, TimeError> {
        let periods = self.horizon.periods();
        self.flights.shares(periods)?;
        self.seasonality.check(periods)?;
        self.overflow.check()?;
        for key in self.seasonality.channels.keys() {
            known::<Channel>(plan, "seasonality", "channel", key)?;
        }
        for key in self.seasonality.segments.keys() {
            known::<Segment>(plan, "seasonality", "segment", key)?;
        }
        // Teams: one entry per key at each level; a second claim is kept to report a conflict.
        let mut by_module: Claims = HashMap::new();
        let mut by_segment: Claims = HashMap::new();
        let mut by_channel: Claims = HashMap::new();
        let mut capacity = Vec::with_capacity(self.teams.len() * periods);
        for (k, team) in self.teams.iter().enumerate() {
            if self.teams[..k].iter().any(|t| t.key == team.key) {
                return Err(TimeError::Duplicate { entity: "team", key: team.key.clone() });
            }
            team.check(periods)?;
            let referrer = || format!("team \"{}\"", team.key);
            for m in &team.modules {
                plan.module(m).map_err(|_| TimeError::UnknownKey {
                    referrer: referrer(),
                    entity: "module",
                    key: m.clone(),
                })?;
                claim(&mut by_module, m.as_str(), k);
            }
            for s in &team.segments {
                known::<Segment>(plan, &referrer(), "segment", s)?;
                claim(&mut by_segment, s.as_str(), k);
            }
            for c in &team.channels {
                known::<Channel>(plan, &referrer(), "channel", c)?;
                claim(&mut by_channel, c.as_str(), k);
            }
            capacity.extend((0..periods).map(|t| team.capacity(t)));
        }
        let mut lags = vec![vec![1.0]];
        let mut offer_lag = HashMap::new();
        for (key, lag) in &self.offer_lags {
            known::<Offer>(plan, "lags", "offer", key)?;
            offer_lag.insert(key.as_str(), lags.len());
            lags.push(lag.weights().to_vec());
        }
        let mut module_lag = HashMap::new();
        for (key, lag) in &self.module_lags {
            plan.module(key).map_err(|_| TimeError::UnknownKey {
                referrer: "lags".into(),
                entity: "module",
                key: key.clone(),
            })?;
            module_lag.insert(key.as_str(), lags.len());
            lags.push(lag.weights().to_vec());
        }
        let default_lag = self.default_lag.as_ref().map_or(0, |lag| {
            lags.push(lag.weights().to_vec());
            lags.len() - 1
        });
        let default_team = match &self.default_team {
            None => NO_TEAM,
            Some(key) => self.teams.iter().position(|t| &t.key == key).ok_or_else(|| {
                TimeError::NotFound { entity: "default team", key: key.clone(), place: "time model" }
            })?,
        };
        let n = plan.module_count();
        let mut season = Vec::with_capacity(n * periods);
        let mut team_of = Vec::with_capacity(n);
        let mut lag_of = Vec::with_capacity(n);
        let base = self.seasonality.base.as_deref();
        for data in plan.module_data() {
            let seg = plan.part_key_of(PartKind::Segment, data);
            let ch = plan.part_key_of(PartKind::Channel, data);
            let offer = plan.part_key_of(PartKind::Offer, data);
            let cs = self.seasonality.channels.get(ch);
            let ss = self.seasonality.segments.get(seg);
            season.extend(
                (0..periods).map(|t| {
                    base.map_or(1.0, |b| b[t]) * cs.map_or(1.0, |v| v[t]) * ss.map_or(1.0, |v| v[t])
                }),
            );
            let mut team = default_team;
            for (map, key, by) in [
                (&by_module, data.key.as_str(), "module"),
                (&by_segment, seg, "segment"),
                (&by_channel, ch, "channel"),
            ] {
                if let Some(&(first, second)) = map.get(key) {
                    if let Some(second) = second {
                        return Err(TimeError::TeamConflict {
                            module: data.key.clone(),
                            first: self.teams[first].key.clone(),
                            second: self.teams[second].key.clone(),
                            by,
                        });
                    }
                    team = first;
                    break;
                }
            }
            team_of.push(team);
            lag_of.push(
                module_lag
                    .get(data.key.as_str())
                    .or_else(|| offer_lag.get(offer))
                    .copied()
                    .unwrap_or(default_lag),
            );
        }
        Ok(Resolved {
            periods,
            k: self.horizon.plan_periods() as f64,
            season,
            team_of,
            capacity,
            lag_of,
            lags,
        })
    }
}

setters!(TimeModel {
    /// Sets how the plan's budget is split into periods.
    ///
    /// ```
    /// use offergraph::time::{Flights, Horizon, TimeModel};
    /// let m = TimeModel::new(Horizon::weeks(4)?).with_flights(Flights::front_loaded());
    /// assert_eq!(m.flights(), &Flights::front_loaded());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    with_flights(flights: Flights) sets flights;
    /// Sets the seasonal multipliers.
    ///
    /// ```
    /// use offergraph::time::{Horizon, Seasonality, TimeModel};
    /// let s = Seasonality::new().with_base(vec![1.0, 2.0])?;
    /// let m = TimeModel::new(Horizon::weeks(2)?).with_seasonality(s.clone());
    /// assert_eq!(m.seasonality(), &s);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    with_seasonality(seasonality: Seasonality) sets seasonality;
    /// Sets what happens to leads above capacity.
    ///
    /// ```
    /// use offergraph::time::{Horizon, Overflow, TimeModel};
    /// let m = TimeModel::new(Horizon::weeks(2)?).with_overflow(Overflow::backlog(0.3)?);
    /// assert_eq!(m.overflow(), Overflow::Backlog { decay: 0.3 });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    with_overflow(overflow: Overflow) sets overflow;
});

/// Who claims a key: the first team, and a second one if any (a conflict).
type Claims<'a> = HashMap<&'a str, (usize, Option<usize>)>;

fn claim<'a>(map: &mut Claims<'a>, key: &'a str, k: usize) {
    match map.get_mut(key) {
        Some(e) => {
            if e.0 != k && e.1.is_none() {
                e.1 = Some(k);
            }
        }
        None => {
            map.insert(key, (k, None));
        }
    }
}

fn known<P: crate::Part>(
    plan: &Plan,
    referrer: &str,
    entity: &'static str,
    key: &str,
) -> Result<(), TimeError> {
    plan.part::<P>(key).map(|_| ()).map_err(|_| TimeError::UnknownKey {
        referrer: referrer.to_owned(),
        entity,
        key: key.to_owned(),
    })
}
