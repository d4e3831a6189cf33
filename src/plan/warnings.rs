//! What a scenario's static figures do not show: the time model behind them, over-sale, modules
//! no team limits and offers without a lag. Shown with every table of figures a scenario prints.

use crate::error::Error;
use crate::plan::Scenario;

/// Something the static figures of a scenario leave out, from [`Scenario::warnings`].
///
/// ```
/// use offergraph::Warning;
/// let w = Warning::Unclaimed { modules: vec!["a/b/c/d".into()] };
/// assert_eq!(w.to_string(), "not capacity-limited (no sales team claims them): \"a/b/c/d\"; claim them or set a default team");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Warning {
    /// The scenario has a time model: the static figures ignore its capacity, lags and
    /// seasonality; here are the full-cycle figures over time.
    TimeModel {
        /// Periods of the horizon.
        periods: usize,
        /// ROMI of the static evaluation.
        static_romi: Option<f64>,
        /// Full-cycle ROMI over time.
        full_cycle_romi: Option<f64>,
        /// Share of the leads lost to capacity over the horizon.
        lost_share: f64,
    },
    /// A team gets more leads than it can process (over-sale): leads lost or left waiting.
    Oversold {
        /// The team's key.
        team: String,
        /// Leads lost over the horizon.
        lost: f64,
        /// Leads arriving over the horizon.
        arrivals: f64,
        /// Periods over capacity (counted from 0).
        periods: Vec<usize>,
    },
    /// Modules no sales team claims: their leads are not capacity-limited.
    Unclaimed {
        /// Their keys, in plan order.
        modules: Vec<String>,
    },
    /// Offers some module of which has no lag: those deals close in the period of their leads.
    NoLag {
        /// Their keys, in plan order.
        offers: Vec<String>,
    },
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{:+.0}%", v * 100.0))
}

fn quoted(keys: &[String]) -> String {
    keys.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ")
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::TimeModel { periods, static_romi, full_cycle_romi, lost_share } => write!(
                f,
                "static figures ignore the time model ({periods} periods: capacity, lags, seasonality): ROMI {} here, {} over the full cycle, {:.0}% of leads lost to capacity",
                pct(*static_romi),
                pct(*full_cycle_romi),
                lost_share * 100.0
            ),
            Warning::Oversold { team, lost, arrivals, periods } => write!(
                f,
                "oversold: team \"{team}\" gets more leads than it can process in {} of its periods; {lost:.0} of {arrivals:.0} leads lost",
                periods.len()
            ),
            Warning::Unclaimed { modules } => write!(
                f,
                "not capacity-limited (no sales team claims them): {}; claim them or set a default team",
                quoted(modules)
            ),
            Warning::NoLag { offers } => write!(
                f,
                "no lag for offer(s) {}: their deals close in the period of their leads; give them a lag or set a default lag",
                quoted(offers)
            ),
        }
    }
}

impl Scenario {
    /// What the static figures leave out, when the scenario has a time model (none otherwise):
    /// that they ignore it (with the full-cycle ROMI and the share of leads lost), each oversold
    /// team, the modules no team claims and the offers without a lag.
    ///
    /// # Errors
    /// The plan's evaluation and the evaluation over time.
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel};
    /// use offergraph::{Scenario, Warning};
    /// let desk = SalesTeam::new("desk", 1.0, 1.0, 5.0)?.with_channel("search").with_channel("social");
    /// let s = Scenario::new(offergraph::sample::apartments()?).with_time(TimeModel::new(Horizon::weeks(2)?).with_team(desk))?;
    /// let warnings = s.warnings()?;
    /// assert!(matches!(&warnings[1], Warning::Oversold { team, .. } if team == "desk"));
    /// assert_eq!(warnings[2], Warning::Unclaimed { modules: vec!["investors/yield/1-room/outdoor".into()] });
    /// assert!(Scenario::new(offergraph::sample::apartments()?).warnings()?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn warnings(&self) -> Result<Vec<Warning>, Error> {
        let Some(time) = self.evaluate_time().transpose()? else { return Ok(Vec::new()) };
        let plan = self.plan();
        let lost: f64 = time.teams().iter().flat_map(|t| &t.lost).sum();
        let leads = time.full_cycle().leads;
        let mut out = vec![Warning::TimeModel {
            periods: time.periods(),
            static_romi: plan.evaluate()?.total().romi(),
            full_cycle_romi: time.full_cycle_romi(),
            lost_share: if leads > 0.0 { lost / leads } else { 0.0 },
        }];
        for team in time.teams() {
            let periods = team.oversold_periods();
            if !periods.is_empty() {
                out.push(Warning::Oversold {
                    team: team.key.clone(),
                    lost: team.lost.iter().sum(),
                    arrivals: team.arrivals.iter().sum(),
                    periods,
                });
            }
        }
        let unclaimed = time.unclaimed_modules(plan)?;
        if !unclaimed.is_empty() {
            out.push(Warning::Unclaimed { modules: unclaimed.into_iter().map(str::to_owned).collect() });
        }
        if !time.offers_without_lag().is_empty() {
            out.push(Warning::NoLag { offers: time.offers_without_lag().to_vec() });
        }
        Ok(out)
    }

    /// The plan's static table ([`Evaluation::table`](crate::Evaluation::table)) followed by
    /// one `warning:` line per [`Warning`], so the figures are never shown without what they
    /// leave out.
    ///
    /// # Errors
    /// As [`Scenario::warnings`].
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel};
    /// let desk = SalesTeam::new("desk", 1.0, 1.0, 5.0)?.with_channel("search");
    /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?).with_time(TimeModel::new(Horizon::weeks(2)?).with_team(desk))?;
    /// let table = s.table()?;
    /// assert!(table.contains("\nwarning: static figures ignore the time model (2 periods"));
    /// assert!(table.contains("\nwarning: oversold: team \"desk\""));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn table(&self) -> Result<String, Error> {
        let mut out = self.plan().evaluate()?.table(self.plan())?;
        for w in self.warnings()? {
            out.push_str(&format!("warning: {w}\n"));
        }
        Ok(out)
    }
}
