//! [`TimeModelFile`]: the plan-file form of a [`TimeModel`] (plain serde data, references by
//! key), and its validated conversion both ways.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::Plan;
use crate::error::TimeError;
use crate::time::capacity::{Overflow, SalesTeam};
use crate::time::horizon::{FlightKind, Flights, Horizon};
use crate::time::lag::{Lag, LagShape};
use crate::time::model::TimeModel;
use crate::time::seasonality::Seasonality;

/// A struct of a plan file (this time section, and the plan's own structs in `plan/`): plain data
/// that serde reads and writes, rejecting unknown fields, `#[non_exhaustive]`. A field written
/// `= default` may be left out of a file (it takes its default) and is not written while it holds
/// its default (`None`, `[]`, `{}`). The docs of the struct and its fields come with the invocation.
macro_rules! file_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($(#[$field_meta:meta])* pub $field:ident: $ty:ty $(= $default:ident)?,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$field_meta])*
                $(#[serde($default, skip_serializing_if = "crate::time::file::is_default")])?
                pub $field: $ty,
            )+
        }
    };
}
pub(crate) use file_struct;

/// Whether a file field holds its default, so that it is left out when written.
pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn week() -> String {
    "week".into()
}

fn is_week(s: &str) -> bool {
    s == "week"
}

file_struct! {
    /// The `time` section of a plan file.
    ///
    /// Every struct rejects unknown fields; every number goes through the same validation as the
    /// Rust API when [`TimeModel::from_file`] builds the model; parts and modules are referred to by
    /// key and checked against the plan.
    ///
    /// # Example
    /// ```
    /// use offergraph::{file::TimeModelFile, time::TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let file: TimeModelFile = serde_json::from_str(r#"{
    ///   "periods": 8,
    ///   "flights": {"type": "front_loaded"},
    ///   "seasonality": {"base": [1, 1, 1.2, 1.2, 1, 1, 0.8, 0.8]},
    ///   "teams": [{"key": "desk", "reps": 2, "leads_per_rep_per_day": 6, "working_days": 5,
    ///              "holidays": [{"period": 3, "days": 1}], "channels": ["search"]}],
    ///   "overflow": {"type": "backlog", "decay": 0.15},
    ///   "lags": {"offers": {"2-room": {"type": "gamma", "mean": 3, "sd": 1.5}}}
    /// }"#)?;
    /// let model = TimeModel::from_file(&file, &plan)?;
    /// assert_eq!(model.teams()[0].capacity(3), 48.0);
    /// assert_eq!(model.to_file(), file);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct TimeModelFile {
        /// Number of periods.
        pub periods: usize,
        /// What a period is called (default `"week"`).
        #[serde(default = "week", skip_serializing_if = "is_week")]
        pub unit: String,
        /// Periods the plan's budget and curves describe (default: all of them).
        pub plan_periods: Option<usize> = default,
        /// How the budget is split into periods (default even).
        #[serde(default)]
        pub flights: FlightsFile,
        /// Seasonal multipliers.
        pub seasonality: SeasonalityFile = default,
        /// Sales teams.
        pub teams: Vec<TeamFile> = default,
        /// What happens to leads above capacity (default lost).
        #[serde(default)]
        pub overflow: OverflowFile,
        /// Lead→deal lags by offer and by module.
        pub lags: LagsFile = default,
        /// The lag of every module with neither its own nor its offer's (schema version 3).
        pub default_lag: Option<LagFile> = default,
        /// The team (by key) of every module no team claims (schema version 3).
        pub default_team: Option<String> = default,
    }
}

/// Flights in a file: `{"type": "even"}`, `{"type": "front_loaded"}` or
/// `{"type": "custom", "weights": [...]}`.
///
/// ```
/// let f: offergraph::file::FlightsFile = serde_json::from_str(r#"{"type": "custom", "weights": [1, 0, 1]}"#)?;
/// assert_eq!(f, offergraph::file::FlightsFile::Custom { weights: vec![1.0, 0.0, 1.0] });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum FlightsFile {
    /// The same amount every period.
    #[default]
    Even,
    /// Linearly declining weights.
    FrontLoaded,
    /// One weight per period.
    Custom {
        /// The weights.
        weights: Vec<f64>,
    },
}

file_struct! {
    /// Seasonality in a file: optional base multipliers and multipliers by channel and segment key.
    ///
    /// ```
    /// let s: offergraph::file::SeasonalityFile = serde_json::from_str(r#"{"channels": {"search": [1, 2]}}"#)?;
    /// assert_eq!(s.channels["search"], [1.0, 2.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Default)]
    pub struct SeasonalityFile {
        /// Multipliers for every module.
        pub base: Option<Vec<f64>> = default,
        /// Multipliers by channel key.
        pub channels: IndexMap<String, Vec<f64>> = default,
        /// Multipliers by segment key.
        pub segments: IndexMap<String, Vec<f64>> = default,
    }
}

impl SeasonalityFile {
    /// `true` when nothing is set.
    ///
    /// ```
    /// assert!(offergraph::file::SeasonalityFile::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.base.is_none() && self.channels.is_empty() && self.segments.is_empty()
    }
}

file_struct! {
    /// A sales team in a file.
    ///
    /// ```
    /// let t: offergraph::file::TeamFile = serde_json::from_str(
    ///     r#"{"key": "desk", "reps": 3, "leads_per_rep_per_day": 8, "working_days": 5, "segments": ["north"]}"#)?;
    /// assert_eq!(t.segments, ["north"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct TeamFile {
        /// Team key.
        pub key: String,
        /// Number of reps.
        pub reps: f64,
        /// Leads one rep handles per working day.
        pub leads_per_rep_per_day: f64,
        /// Working days per period.
        pub working_days: f64,
        /// Holidays by period.
        pub holidays: Vec<HolidayFile> = default,
        /// Module keys routed to the team.
        pub modules: Vec<String> = default,
        /// Segment keys routed to the team.
        pub segments: Vec<String> = default,
        /// Channel keys routed to the team.
        pub channels: Vec<String> = default,
    }
}

file_struct! {
    /// Holidays of a team in one period.
    ///
    /// ```
    /// let h: offergraph::file::HolidayFile = serde_json::from_str(r#"{"period": 2, "days": 1}"#)?;
    /// assert_eq!((h.period, h.days), (2, 1.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct HolidayFile {
        /// Zero-based period.
        pub period: usize,
        /// Days off.
        pub days: f64,
    }
}

/// Overflow in a file: `{"type": "lost"}` or `{"type": "backlog", "decay": 0.2}`.
///
/// ```
/// let o: offergraph::file::OverflowFile = serde_json::from_str(r#"{"type": "backlog", "decay": 0.2}"#)?;
/// assert_eq!(o, offergraph::file::OverflowFile::Backlog { decay: 0.2 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum OverflowFile {
    /// Leads above capacity are lost.
    #[default]
    Lost,
    /// Leads above capacity wait, converting less per period waited.
    Backlog {
        /// Conversion lost per period waited.
        decay: f64,
    },
}

file_struct! {
    /// Lags in a file, by offer key and by module key (a module's own lag wins).
    ///
    /// ```
    /// let l: offergraph::file::LagsFile = serde_json::from_str(r#"{"modules": {"m-1": {"type": "none"}}}"#)?;
    /// assert_eq!(l.modules.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Default)]
    pub struct LagsFile {
        /// Lags by offer key.
        pub offers: IndexMap<String, LagFile> = default,
        /// Lags by module key.
        pub modules: IndexMap<String, LagFile> = default,
    }
}

impl LagsFile {
    /// `true` when no lag is set.
    ///
    /// ```
    /// assert!(offergraph::file::LagsFile::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.offers.is_empty() && self.modules.is_empty()
    }
}

/// One lag in a file: `none`, `weights`, `geometric` (mean), `gamma` or `log_normal` (mean, sd),
/// the parametric ones with an optional `max_periods` cut.
///
/// ```
/// let l: offergraph::file::LagFile = serde_json::from_str(r#"{"type": "gamma", "mean": 8, "sd": 3}"#)?;
/// assert_eq!(l, offergraph::file::LagFile::Gamma { mean: 8.0, sd: 3.0, max_periods: None });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum LagFile {
    /// No lag.
    None,
    /// Explicit weights summing to 1.
    Weights {
        /// `w_0, w_1, …`
        weights: Vec<f64>,
    },
    /// Geometric.
    Geometric {
        /// Mean lag in periods.
        mean: f64,
        /// Cut after this many periods.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_periods: Option<usize>,
    },
    /// Discretised gamma.
    Gamma {
        /// Mean lag in periods.
        mean: f64,
        /// Standard deviation in periods.
        sd: f64,
        /// Cut after this many periods.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_periods: Option<usize>,
    },
    /// Discretised log-normal.
    LogNormal {
        /// Mean lag in periods.
        mean: f64,
        /// Standard deviation in periods.
        sd: f64,
        /// Cut after this many periods.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_periods: Option<usize>,
    },
}

/// Prefixes the subject of a value error with its owner (`offer "x" lag`).
fn within(err: TimeError, owner: &str) -> TimeError {
    match err {
        TimeError::InvalidValue { what, found, expected } => {
            TimeError::InvalidValue { what: format!("{owner}: {what}"), found, expected }
        }
        TimeError::AllZero { what } => TimeError::AllZero { what: format!("{owner}: {what}") },
        TimeError::NotNormalised { what, sum } => {
            TimeError::NotNormalised { what: format!("{owner}: {what}"), sum }
        }
        other => other,
    }
}

fn lag_from(file: &LagFile, owner: &str) -> Result<Lag, TimeError> {
    let cut = |lag: Lag, max: Option<usize>| match max {
        Some(m) => lag.with_max_periods(m),
        None => Ok(lag),
    };
    let build = || -> Result<Lag, TimeError> {
        match file {
            LagFile::None => Ok(Lag::none()),
            LagFile::Weights { weights } => Lag::from_weights(weights.clone()),
            LagFile::Geometric { mean, max_periods } => cut(Lag::geometric(*mean)?, *max_periods),
            LagFile::Gamma { mean, sd, max_periods } => cut(Lag::gamma(*mean, *sd)?, *max_periods),
            LagFile::LogNormal { mean, sd, max_periods } => cut(Lag::log_normal(*mean, *sd)?, *max_periods),
        }
    };
    build().map_err(|e| within(e, owner))
}

fn lag_to(lag: &Lag) -> LagFile {
    let max_periods = lag.max_periods();
    match lag.shape() {
        LagShape::None => LagFile::None,
        LagShape::Weights => LagFile::Weights { weights: lag.weights().to_vec() },
        LagShape::Geometric { mean } => LagFile::Geometric { mean, max_periods },
        LagShape::Gamma { mean, sd } => LagFile::Gamma { mean, sd, max_periods },
        LagShape::LogNormal { mean, sd } => LagFile::LogNormal { mean, sd, max_periods },
    }
}

impl TimeModel {
    /// Builds a model from its file form and checks it against the plan.
    ///
    /// # Errors
    /// Every number is validated as by the Rust constructors ([`TimeError::InvalidValue`],
    /// [`TimeError::AllZero`], [`TimeError::NotNormalised`], [`TimeError::TooManyHolidays`]), then
    /// everything [`TimeModel::check`] reports (lengths, unknown keys, duplicates, conflicts).
    ///
    /// ```
    /// use offergraph::{file::TimeModelFile, time::TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let file: TimeModelFile = serde_json::from_str(
    ///     r#"{"periods": 4, "lags": {"offers": {"3-room": {"type": "gamma", "mean": 8, "sd": 0}}}}"#)?;
    /// assert_eq!(TimeModel::from_file(&file, &plan).unwrap_err().to_string(),
    ///     "offer \"3-room\" lag: gamma lag sd must be a number in [0.01, 520], found 0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_file(file: &TimeModelFile, plan: &Plan) -> Result<TimeModel, TimeError> {
        let mut horizon = Horizon::new(file.periods)?.with_unit(file.unit.clone());
        if let Some(k) = file.plan_periods {
            horizon = horizon.with_plan_periods(k)?;
        }
        let flights = match &file.flights {
            FlightsFile::Even => Flights::even(),
            FlightsFile::FrontLoaded => Flights::front_loaded(),
            FlightsFile::Custom { weights } => Flights::custom(weights.clone())?,
        };
        let mut seasonality = Seasonality::new();
        if let Some(b) = &file.seasonality.base {
            seasonality = seasonality.with_base(b.clone())?;
        }
        for (k, v) in &file.seasonality.channels {
            seasonality = seasonality
                .with_channel(k.clone(), v.clone())
                .map_err(|e| within(e, &format!("channel \"{k}\"")))?;
        }
        for (k, v) in &file.seasonality.segments {
            seasonality = seasonality
                .with_segment(k.clone(), v.clone())
                .map_err(|e| within(e, &format!("segment \"{k}\"")))?;
        }
        let mut model = TimeModel::new(horizon).with_flights(flights).with_seasonality(seasonality);
        for t in &file.teams {
            let mut team = SalesTeam::new(t.key.clone(), t.reps, t.leads_per_rep_per_day, t.working_days)?;
            for h in &t.holidays {
                team = team.with_holidays(h.period, h.days)?;
            }
            team.modules = t.modules.clone();
            team.segments = t.segments.clone();
            team.channels = t.channels.clone();
            model = model.with_team(team);
        }
        model = model.with_overflow(match file.overflow {
            OverflowFile::Lost => Overflow::Lost,
            OverflowFile::Backlog { decay } => Overflow::backlog(decay)?,
        });
        for (k, l) in &file.lags.offers {
            model = model.with_offer_lag(k.clone(), lag_from(l, &format!("offer \"{k}\" lag"))?);
        }
        for (k, l) in &file.lags.modules {
            model = model.with_module_lag(k.clone(), lag_from(l, &format!("module \"{k}\" lag"))?);
        }
        if let Some(l) = &file.default_lag {
            model = model.with_default_lag(lag_from(l, "default lag")?);
        }
        if let Some(team) = &file.default_team {
            model = model.with_default_team(team.clone());
        }
        model.check(plan)?;
        Ok(model)
    }

    /// The file form of the model (keys, shapes and parameters as given).
    ///
    /// ```
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// let m = TimeModel::new(Horizon::weeks(4)?).with_offer_lag("2-room", Lag::geometric(2.0)?);
    /// let json = serde_json::to_string(&m.to_file())?;
    /// assert_eq!(json, r#"{"periods":4,"flights":{"type":"even"},"overflow":{"type":"lost"},"lags":{"offers":{"2-room":{"type":"geometric","mean":2.0}}}}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_file(&self) -> TimeModelFile {
        let h = &self.horizon;
        TimeModelFile {
            periods: h.periods(),
            unit: h.unit().to_owned(),
            plan_periods: (h.plan_periods() != h.periods()).then_some(h.plan_periods()),
            flights: match &self.flights.kind {
                FlightKind::Even => FlightsFile::Even,
                FlightKind::FrontLoaded => FlightsFile::FrontLoaded,
                FlightKind::Custom(w) => FlightsFile::Custom { weights: w.clone() },
            },
            seasonality: SeasonalityFile {
                base: self.seasonality.base.clone(),
                channels: self.seasonality.channels.clone(),
                segments: self.seasonality.segments.clone(),
            },
            teams: self
                .teams
                .iter()
                .map(|t| TeamFile {
                    key: t.key.clone(),
                    reps: t.reps,
                    leads_per_rep_per_day: t.leads_per_rep_day,
                    working_days: t.working_days,
                    holidays: t
                        .holidays
                        .iter()
                        .map(|(&period, &days)| HolidayFile { period, days })
                        .collect(),
                    modules: t.modules.clone(),
                    segments: t.segments.clone(),
                    channels: t.channels.clone(),
                })
                .collect(),
            overflow: match self.overflow {
                Overflow::Lost => OverflowFile::Lost,
                Overflow::Backlog { decay } => OverflowFile::Backlog { decay },
            },
            lags: LagsFile {
                offers: self.offer_lags.iter().map(|(k, l)| (k.clone(), lag_to(l))).collect(),
                modules: self.module_lags.iter().map(|(k, l)| (k.clone(), lag_to(l))).collect(),
            },
            default_lag: self.default_lag.as_ref().map(lag_to),
            default_team: self.default_team.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn time_files_survive_a_round_trip(
            periods in 1..12usize,
            decay in 0.0..1.0f64,
            mean in 0.5..10.0f64,
            reps in prop_oneof![Just(0.0), 0.001..10.0f64],
            backlog in any::<bool>(),
        ) {
            let plan = crate::sample::apartments().expect("sample");
            let file = TimeModelFile {
                periods,
                unit: "week".into(),
                plan_periods: None,
                flights: FlightsFile::FrontLoaded,
                seasonality: SeasonalityFile { base: Some(vec![1.0; periods]), ..SeasonalityFile::default() },
                teams: vec![TeamFile {
                    key: "desk".into(), reps, leads_per_rep_per_day: 5.0, working_days: 5.0,
                    holidays: vec![HolidayFile { period: periods - 1, days: 1.0 }],
                    modules: vec![], segments: vec!["families".into()], channels: vec![],
                }],
                overflow: if backlog { OverflowFile::Backlog { decay } } else { OverflowFile::Lost },
                lags: LagsFile {
                    offers: [("2-room".to_string(), LagFile::Gamma { mean, sd: mean / 2.0, max_periods: None })].into_iter().collect(),
                    modules: IndexMap::new(),
                },
                default_lag: backlog.then_some(LagFile::Geometric { mean, max_periods: None }),
                default_team: backlog.then(|| "desk".to_owned()),
            };
            let model = TimeModel::from_file(&file, &plan).expect("valid");
            prop_assert_eq!(&model.to_file(), &file);
            let json = serde_json::to_string(&file).expect("serializes");
            let back: TimeModelFile = serde_json::from_str(&json).expect("parses");
            prop_assert_eq!(back, file);
        }
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = serde_json::from_str::<TimeModelFile>(r#"{"periods": 2, "horizon": 3}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `horizon`"), "{err}");
        let err = serde_json::from_str::<TimeModelFile>(
            r#"{"periods": 2, "overflow": {"type": "backlog", "decay": 0.1, "x": 1}}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field `x`"), "{err}");
    }
}
