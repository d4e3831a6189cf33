//! What an evaluation over time reports: plan-wide figures per period, each team's lead flow,
//! the cohort table (deals by lead period × close period) and one module's series.

use crate::error::TimeError;
use crate::report::{Figures, additive};

/// Plan-wide figures of one period.
///
/// `deals`, `revenue` and `gross_profit` are what **closes** in the period (what a dashboard
/// sees); the `cohort_*` fields are everything the period's **leads** eventually bring, inside
/// the horizon or after it (the full cycle).
///
/// # Example
/// ```
/// use offergraph::time::PeriodFigures;
/// let p = PeriodFigures { spend: 100.0, gross_profit: 50.0, cohort_gross_profit: 250.0, ..Default::default() };
/// assert_eq!(p.naive_romi(), Some(-0.5));
/// assert_eq!(p.full_cycle_romi(), Some(1.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodFigures {
    /// Money spent in the period.
    pub spend: f64,
    /// Leads arriving in the period.
    pub leads: f64,
    /// Leads processed by sales in the period (new and from the backlog).
    pub processed: f64,
    /// Leads lost in the period (above capacity, with the lost policy).
    pub lost: f64,
    /// Leads waiting in the backlog at the end of the period.
    pub backlog: f64,
    /// Deals closing in the period.
    pub deals: f64,
    /// Revenue of the deals closing in the period.
    pub revenue: f64,
    /// Gross profit of the deals closing in the period.
    pub gross_profit: f64,
    /// Deals the period's leads bring over the full cycle.
    pub cohort_deals: f64,
    /// Revenue the period's leads bring over the full cycle.
    pub cohort_revenue: f64,
    /// Gross profit the period's leads bring over the full cycle.
    pub cohort_gross_profit: f64,
}

additive!(PeriodFigures {
    spend,
    leads,
    processed,
    lost,
    backlog,
    deals,
    revenue,
    gross_profit,
    cohort_deals,
    cohort_revenue,
    cohort_gross_profit,
});

pub(super) fn ratio(a: f64, b: f64) -> Option<f64> {
    if b > 0.0 { Some(a / b) } else { None }
}

impl PeriodFigures {
    /// ROMI as a naive dashboard computes it: `(GP closing now − spend now) / spend now`;
    /// `None` without spend.
    ///
    /// ```
    /// let p = offergraph::time::PeriodFigures { spend: 10.0, gross_profit: 30.0, ..Default::default() };
    /// assert_eq!(p.naive_romi(), Some(2.0));
    /// ```
    pub fn naive_romi(&self) -> Option<f64> {
        ratio(self.gross_profit - self.spend, self.spend)
    }

    /// Full-cycle ROMI of the period's spend: `(GP its leads ever bring − spend) / spend`.
    ///
    /// ```
    /// let p = offergraph::time::PeriodFigures { spend: 10.0, cohort_gross_profit: 25.0, ..Default::default() };
    /// assert_eq!(p.full_cycle_romi(), Some(1.5));
    /// ```
    pub fn full_cycle_romi(&self) -> Option<f64> {
        ratio(self.cohort_gross_profit - self.spend, self.spend)
    }

    /// Cost per lead of the period; `None` without leads.
    ///
    /// ```
    /// let p = offergraph::time::PeriodFigures { spend: 10.0, leads: 4.0, ..Default::default() };
    /// assert_eq!(p.cpl(), Some(2.5));
    /// ```
    pub fn cpl(&self) -> Option<f64> {
        ratio(self.spend, self.leads)
    }

    /// The period's closing figures: its spend and leads, and the deals closing in it.
    pub(super) fn closing(&self) -> Figures {
        let PeriodFigures { spend, leads, deals, revenue, gross_profit, .. } = *self;
        Figures { spend, leads, deals, revenue, gross_profit }
    }
}

/// One sales team's lead flow per period.
///
/// # Example
/// ```
/// use offergraph::time::{Horizon, SalesTeam, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let model = TimeModel::new(Horizon::weeks(4)?).with_team(SalesTeam::new("desk", 1.0, 2.0, 5.0)?.with_channel("search"));
/// let eval = model.evaluate(&plan)?;
/// let desk = eval.team("desk")?;
/// assert_eq!(desk.capacity[0], 10.0);
/// assert!(desk.processed.iter().zip(&desk.capacity).all(|(p, c)| p <= c));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TeamFlow {
    /// The team's key.
    pub key: String,
    /// Leads it can process, per period.
    pub capacity: Vec<f64>,
    /// Leads arriving, per period.
    pub arrivals: Vec<f64>,
    /// Leads processed, per period.
    pub processed: Vec<f64>,
    /// Leads waiting at the end of each period.
    pub backlog: Vec<f64>,
    /// Leads lost, per period.
    pub lost: Vec<f64>,
}

impl TeamFlow {
    /// Share of capacity used in period `t`; `None` without capacity or outside the horizon.
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let desk = SalesTeam::new("desk", 2.0, 10.0, 5.0)?.with_channel("search"); // 100 leads a week
    /// let eval = TimeModel::new(Horizon::weeks(2)?).with_team(desk).evaluate(&plan)?;
    /// let flow = eval.team("desk")?;
    /// assert_eq!(flow.utilisation(0), Some(flow.processed[0] / 100.0));
    /// assert_eq!(flow.utilisation(2), None); // outside the horizon
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn utilisation(&self, t: usize) -> Option<f64> {
        let cap = *self.capacity.get(t)?;
        ratio(self.processed[t], cap)
    }

    /// Periods with over-sale: leads lost or left waiting at the end of the period.
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let tiny = SalesTeam::new("desk", 1.0, 0.1, 5.0)?.with_channel("search"); // half a lead a week
    /// let eval = TimeModel::new(Horizon::weeks(2)?).with_team(tiny).evaluate(&plan)?;
    /// assert_eq!(eval.team("desk")?.oversold_periods(), [0, 1]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn oversold_periods(&self) -> Vec<usize> {
        (0..self.capacity.len())
            .filter(|&t| {
                let tiny = crate::numerics::tol::CAPACITY_REL * self.arrivals[t].max(1.0);
                self.lost[t] > tiny || self.backlog[t] > tiny
            })
            .collect()
    }
}

/// Deals (and their revenue and gross profit) by lead period × close period.
///
/// Row `a` is the period the leads arrived; column `τ < periods` the period the deals close;
/// column `periods` is "after the horizon".
///
/// # Example
/// ```
/// use offergraph::time::{Horizon, Lag, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let eval = TimeModel::new(Horizon::weeks(3)?).with_offer_lag("2-room", Lag::from_weights(vec![0.0, 1.0])?).evaluate(&plan)?;
/// let c = eval.cohort();
/// // Everything a week's leads bring is in its row; no deal closes before its lead arrives.
/// assert_eq!(c.deals(1, 0), 0.0);
/// assert!((c.row_deals(0) - eval.totals()[0].cohort_deals).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CohortTable {
    pub(super) periods: usize,
    pub(super) deals: Vec<f64>,
    pub(super) revenue: Vec<f64>,
    pub(super) gross_profit: Vec<f64>,
}

impl CohortTable {
    fn at(&self, lead: usize, close: usize) -> Option<usize> {
        (lead < self.periods && close <= self.periods).then(|| lead * (self.periods + 1) + close)
    }

    /// Number of lead periods (rows); there are `periods + 1` columns.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(3)?).evaluate(&plan)?;
    /// assert_eq!(eval.cohort().periods(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// Deals from leads of period `lead` closing in period `close` (`close == periods`: after
    /// the horizon); 0 outside the table.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(3)?).evaluate(&plan)?;
    /// // Without a lag every deal closes in its lead's period.
    /// assert_eq!(eval.cohort().deals(0, 1), 0.0);
    /// assert!(eval.cohort().deals(0, 0) > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deals(&self, lead: usize, close: usize) -> f64 {
        self.at(lead, close).map_or(0.0, |i| self.deals[i])
    }

    /// Revenue from leads of period `lead` closing in period `close`.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(3)?).evaluate(&plan)?;
    /// assert!(eval.cohort().revenue(0, 0) > eval.cohort().gross_profit(0, 0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn revenue(&self, lead: usize, close: usize) -> f64 {
        self.at(lead, close).map_or(0.0, |i| self.revenue[i])
    }

    /// Gross profit from leads of period `lead` closing in period `close`.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(3)?).evaluate(&plan)?;
    /// assert!(eval.cohort().gross_profit(2, 2) > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn gross_profit(&self, lead: usize, close: usize) -> f64 {
        self.at(lead, close).map_or(0.0, |i| self.gross_profit[i])
    }

    /// All deals from leads of period `lead` (the row total, after the horizon included).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(3)?).evaluate(&plan)?;
    /// assert!((eval.cohort().row_deals(1) - eval.cohort().deals(1, 1)).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn row_deals(&self, lead: usize) -> f64 {
        (0..=self.periods).map(|c| self.deals(lead, c)).sum()
    }
}

/// One module's figures per period, borrowed from a [`TimeEvaluation`](crate::time::TimeEvaluation).
///
/// # Example
/// ```
/// use offergraph::time::{Horizon, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let eval = TimeModel::new(Horizon::weeks(4)?).evaluate(&plan)?;
/// let m = eval.module(&plan, "families/playground/2-room/search")?;
/// assert_eq!(m.spend.len(), 4);
/// assert!((m.full_cycle().deals - m.deals.iter().sum::<f64>()).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct ModuleSeries<'a> {
    /// Spend per period.
    pub spend: &'a [f64],
    /// Leads arriving per period.
    pub leads: &'a [f64],
    /// Leads processed per period.
    pub processed: &'a [f64],
    /// Deals closing per period.
    pub deals: &'a [f64],
    /// Deals still expected after the horizon.
    pub deals_after_horizon: f64,
    /// Revenue per deal.
    pub deal_value: f64,
    /// Gross margin.
    pub margin: f64,
}

impl ModuleSeries<'_> {
    /// Full-cycle figures: spend and leads over the horizon, every deal they bring (after the
    /// horizon included).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let f = eval.module(&plan, "families/playground/2-room/search")?.full_cycle();
    /// assert!(f.romi().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_cycle(&self) -> Figures {
        let deals = self.deals.iter().sum::<f64>() + self.deals_after_horizon;
        Figures::from_deals(
            self.spend.iter().sum(),
            self.leads.iter().sum(),
            deals,
            self.deal_value,
            self.margin,
        )
    }

    /// Max sustainable cost per lead over the full cycle: full-cycle gross profit per lead
    /// `/ (1 + target)` (lost and decayed leads lower it); `None` without leads.
    ///
    /// # Errors
    /// [`TimeError::Report`] unless `target_romi` lies in [`TARGET_ROMI`](crate::ranges::TARGET_ROMI).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let m = eval.module(&plan, "families/playground/2-room/search")?;
    /// // No capacity limit: every lead is worth v = c·p·m = 0.14 · 95 000 · 0.2.
    /// assert!((m.max_sustainable_cpl(0.0)?.unwrap() - 2_660.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_sustainable_cpl(&self, target_romi: f64) -> Result<Option<f64>, TimeError> {
        Ok(self.full_cycle().max_sustainable_cpl(target_romi)?)
    }
}
