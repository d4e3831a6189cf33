//! Plan-wide defaults of a time model: the lag of every module without one, and the team of every
//! module no team claims — and which offers are left without a lag.

use indexmap::IndexSet;

use crate::Plan;
use crate::model::parts::PartKind;
use crate::time::lag::Lag;
use crate::time::model::TimeModel;

impl TimeModel {
    /// Sets the lag of every module that has neither its own lag nor its offer's (without it,
    /// such a module closes its deals in the period its leads are processed).
    ///
    /// ```
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let model = TimeModel::new(Horizon::weeks(4)?).with_default_lag(Lag::geometric(2.0)?);
    /// assert_eq!(model.default_lag(), Some(&Lag::geometric(2.0)?));
    /// assert!(model.offers_without_lag(&plan).is_empty());
    /// // Deals now close after the leads: the first week closes less than it spends for.
    /// assert!(model.evaluate(&plan)?.naive_romi()[0].unwrap() < plan.evaluate()?.total().romi().unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_default_lag(mut self, lag: Lag) -> TimeModel {
        self.default_lag = Some(lag);
        self
    }

    /// The plan-wide default lag, if any.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// assert_eq!(TimeModel::new(Horizon::weeks(2)?).default_lag(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn default_lag(&self) -> Option<&Lag> {
        self.default_lag.as_ref()
    }

    /// Makes the team `key` process the leads of every module no team claims, so no module
    /// escapes capacity (a module replicated into a new segment, for example). The team must be
    /// one of the model's ([`TimeError::NotFound`](crate::error::TimeError::NotFound) otherwise,
    /// from [`TimeModel::check`] and every evaluation).
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let desk = SalesTeam::new("desk", 1.0, 8.0, 5.0)?.with_channel("search");
    /// let model = TimeModel::new(Horizon::weeks(2)?).with_team(desk).with_default_team("desk");
    /// assert!(model.evaluate(&plan)?.unclaimed_modules(&plan)?.is_empty());
    /// let wrong = TimeModel::new(Horizon::weeks(2)?).with_default_team("desk");
    /// assert_eq!(wrong.check(&plan).unwrap_err().to_string(), "there is no default team \"desk\" in this time model");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_default_team(mut self, key: impl Into<String>) -> TimeModel {
        self.default_team = Some(key.into());
        self
    }

    /// The key of the default team, if any.
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// assert_eq!(TimeModel::new(Horizon::weeks(2)?).with_default_team("desk").default_team(), Some("desk"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn default_team(&self) -> Option<&str> {
        self.default_team.as_deref()
    }

    /// Keys of the offers (in plan order) some module of which has no lag — neither its own, nor
    /// its offer's, nor the default: those modules close their deals in the period their leads
    /// are processed.
    ///
    /// ```
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let model = TimeModel::new(Horizon::weeks(2)?).with_offer_lag("2-room", Lag::geometric(1.0)?);
    /// assert_eq!(model.offers_without_lag(&plan), ["3-room", "1-room"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn offers_without_lag<'p>(&self, plan: &'p Plan) -> Vec<&'p str> {
        if self.default_lag.is_some() {
            return Vec::new();
        }
        let offers: IndexSet<&str> = plan
            .module_data()
            .filter(|m| !self.module_lags.contains_key(&m.key))
            .map(|m| plan.part_key_of(PartKind::Offer, m))
            .filter(|o| !self.offer_lags.contains_key(*o))
            .collect();
        offers.into_iter().collect()
    }
}
