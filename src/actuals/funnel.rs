//! The funnel replayed at the actual values, step by step, and the gross-profit gap split into
//! links.
//!
//! Per module and period `t` up to the last period with data, five worlds, each the one before
//! with one more step of the funnel at its actual value (a period without data keeps the plan's
//! values in every world):
//!
//! 0. **plan**: the plan's spend, leads `σ·r(K·s)/K`, processing and deals;
//! 1. the **actual spend**, leads from the curve at it;
//! 2. the **actual leads**; steps 0–2 keep the plan's processing shares (what share of a
//!    period's leads is processed when, and at what backlog decay);
//! 3. the **actual processing**: the sales queue replayed on the leads that arrived (and, where
//!    a row records `processed`, that amount);
//! 4. the **actual deals**, at the plan's gross profit per deal;
//! 5. the **actual gross profit** (the row's, or revenue × the plan's margin).
//!
//! Deals close with the module's lag, so world 3's deals in period `t` are
//! `c · Σ_j P(t−j)·w_j` where `P` is the processed leads weighted by their backlog decay: a lead
//! of the last period counts only for the share of its deals that close at once. Each link's
//! contribution is the difference of two neighbouring worlds' gross profit; they add up to the
//! gap exactly.

use crate::Plan;
use crate::actuals::replay::{Replay, Rows, WORLDS};
use crate::actuals::table::{Actuals, position};
use crate::error::ActualsError;
use crate::time::TimeModel;

/// How much of the gross-profit gap (actual − plan) each link of the funnel explains, in money;
/// negative is a shortfall. The five add up to the gap.
///
/// Links are taken in the funnel's order, each at the actual values of the ones before it:
/// `delivery` (spend below plan), `cost` (fewer leads than the curve promises at the spend
/// made), `capacity` (leads lost or delayed by the sales queue, or fewer processed than
/// recorded), `conversion` (fewer deals than the processed leads should have brought by now,
/// lag-aware), `deal_value` (less gross profit per deal).
///
/// # Example
/// ```
/// use offergraph::actuals::LinkGap;
/// let gap = LinkGap { delivery: -10.0, cost: -5.0, capacity: 0.0, conversion: -20.0, deal_value: 3.0 };
/// assert_eq!(gap.total(), -32.0);
/// assert_eq!(gap.largest_shortfall(), Some(("conversion", -20.0)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LinkGap {
    /// Spend below (or above) plan.
    pub delivery: f64,
    /// Leads below (or above) what the curve promises at the spend made.
    pub cost: f64,
    /// Leads lost or delayed by sales capacity.
    pub capacity: f64,
    /// Deals below what the processed leads should have brought by now.
    pub conversion: f64,
    /// Gross profit per deal below plan.
    pub deal_value: f64,
}

impl LinkGap {
    /// The gap in gross profit: the sum of the links.
    ///
    /// ```
    /// let g = offergraph::actuals::LinkGap { cost: -2.0, conversion: 1.0, ..Default::default() };
    /// assert_eq!(g.total(), -1.0);
    /// ```
    pub fn total(&self) -> f64 {
        self.delivery + self.cost + self.capacity + self.conversion + self.deal_value
    }

    /// The links with their names, in the funnel's order.
    ///
    /// ```
    /// let g = offergraph::actuals::LinkGap::default();
    /// assert_eq!(g.links().map(|(name, _)| name), ["delivery", "cost", "capacity", "conversion", "deal_value"]);
    /// ```
    pub fn links(&self) -> [(&'static str, f64); 5] {
        [
            ("delivery", self.delivery),
            ("cost", self.cost),
            ("capacity", self.capacity),
            ("conversion", self.conversion),
            ("deal_value", self.deal_value),
        ]
    }

    /// The link with the largest shortfall (most negative contribution), if any is negative.
    ///
    /// ```
    /// let g = offergraph::actuals::LinkGap { cost: 2.0, ..Default::default() };
    /// assert_eq!(g.largest_shortfall(), None);
    /// ```
    pub fn largest_shortfall(&self) -> Option<(&'static str, f64)> {
        self.links().into_iter().filter(|(_, v)| *v < 0.0).min_by(|a, b| a.1.total_cmp(&b.1))
    }

    pub(crate) fn add(&mut self, other: &LinkGap) {
        self.delivery += other.delivery;
        self.cost += other.cost;
        self.capacity += other.capacity;
        self.conversion += other.conversion;
        self.deal_value += other.deal_value;
    }
}

/// Expected figures of one module in one period.
///
/// ```
/// let e = offergraph::actuals::Expected { spend: 100.0, leads: 4.0, deals: 1.0, gross_profit: 50.0 };
/// assert_eq!(e.cpl(), Some(25.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Expected {
    /// Spend.
    pub spend: f64,
    /// Leads arriving.
    pub leads: f64,
    /// Deals closing in the period (lag-aware).
    pub deals: f64,
    /// Gross profit of the deals closing in the period.
    pub gross_profit: f64,
}

impl Expected {
    /// Cost per lead; `None` without leads.
    ///
    /// ```
    /// assert_eq!(offergraph::actuals::Expected::default().cpl(), None);
    /// ```
    pub fn cpl(&self) -> Option<f64> {
        (self.leads > 0.0).then(|| self.spend / self.leads)
    }
}

/// One module in one period with data: the plan, what the plan expects at the actual spend and
/// actual processing, what happened, and the gap by link.
///
/// ```
/// # use offergraph::actuals::{Actuals, Review};
/// # let plan = offergraph::sample::apartments()?;
/// # let key = "families/playground/2-room/search";
/// # let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},20000,8,1,95000\n");
/// let actuals = Actuals::from_csv("w.csv", &csv, &plan, None)?;
/// let review = Review::new(&plan, None, &actuals)?;
/// let week = &review.module(&plan, key)?.periods[0];
/// assert!((week.actual_gross_profit - week.planned.gross_profit - week.gap.total()).abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PeriodCheck {
    /// The period.
    pub period: usize,
    /// The plan: its spend, the leads its curve gives, the deals and gross profit closing.
    pub planned: Expected,
    /// At the actual spend: the leads the curve promises; the deals (and their gross profit)
    /// the leads actually processed should have closed in the period at the plan's conversion.
    pub expected: Expected,
    /// What was recorded: spend, leads, deals closing and their gross profit.
    pub actual: Expected,
    /// The actual gross profit (`actual.gross_profit`, repeated for clarity of the sum).
    pub actual_gross_profit: f64,
    /// The gap by link; `gap.total() = actual_gross_profit − planned.gross_profit`.
    pub gap: LinkGap,
}

/// One module's plan-vs-actual: the periods with data, and the gap to date by link.
///
/// ```
/// # use offergraph::actuals::{Actuals, Review};
/// # let plan = offergraph::sample::apartments()?;
/// let key = "families/playground/2-room/search";
/// let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},9000,4,1,95000\n");
/// let m = Review::new(&plan, None, &Actuals::from_csv("w.csv", &csv, &plan, None)?)?.module(&plan, key)?;
/// let summed: f64 = m.periods.iter().map(|p| p.gap.total()).sum();
/// assert!((m.to_date.total() - summed).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ModuleReview {
    /// The module's key.
    pub key: String,
    /// The periods with data, in order.
    pub periods: Vec<PeriodCheck>,
    /// The gap summed over the periods with data.
    pub to_date: LinkGap,
}

/// Plan vs actual for every module: the funnel replayed at the actual values (see the module
/// docs of [`actuals`](crate::actuals)).
///
/// # Example
/// ```
/// use offergraph::actuals::{Actuals, Review};
/// let plan = offergraph::sample::apartments()?;
/// let key = "families/playground/2-room/search";
/// // Spend on plan, half the leads the curve promises.
/// let planned = plan.evaluate()?.module(&plan, key)?.figures;
/// let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},{},{},0,0\n", planned.spend, planned.leads / 2.0);
/// let review = Review::new(&plan, None, &Actuals::from_csv("w.csv", &csv, &plan, None)?)?;
/// let m = review.module(&plan, key)?;
/// assert!(m.to_date.cost < 0.0 && m.to_date.delivery.abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub(crate) revision: u64,
    /// Keys and gaps to date in plan order; the per-period checks are built when asked for
    /// (a year of a large plan's weeks would be a hundred bytes per cell).
    pub(crate) keys: Vec<String>,
    pub(crate) to_date: Vec<LinkGap>,
    pub(crate) funnel: Funnel,
}

impl Review {
    /// Replays the funnel of every module at its actual values. `time` is the plan's time model
    /// (the actuals must have been read with it); without one the plan is one period.
    ///
    /// # Errors
    /// [`ActualsError::Stale`] when the plan changed since the actuals were read,
    /// [`ActualsError::PeriodsDiffer`] when they were read for another horizon, and the time
    /// layer's errors (the plan's schedule, its time model).
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, Review};
    /// let mut plan = offergraph::sample::apartments()?;
    /// let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// let actuals = Actuals::from_csv("w.csv", csv, &plan, None)?;
    /// plan.remove_module("investors/yield/1-room/outdoor")?;
    /// assert_eq!(Review::new(&plan, None, &actuals).unwrap_err().to_string(),
    ///     "the actuals were read for another version of the plan; read them again for this plan");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(plan: &Plan, time: Option<&TimeModel>, actuals: &Actuals) -> Result<Review, ActualsError> {
        let funnel = Funnel::new(plan, &Replay::new(plan, time, actuals)?, actuals);
        let to_date = (0..plan.module_count()).map(|i| funnel.to_date(i)).collect();
        let keys = plan.module_data().map(|d| d.key.clone()).collect();
        Ok(Review { revision: plan.revision(), keys, to_date, funnel })
    }

    /// Every module's review, in plan order.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, Review};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// # let review = Review::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?)?;
    /// assert_eq!(review.modules().count(), 6);
    /// assert!(review.modules().nth(5).unwrap().periods.is_empty()); // no data for it
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modules(&self) -> impl ExactSizeIterator<Item = ModuleReview> + '_ {
        (0..self.keys.len()).map(|i| self.review(i))
    }

    /// One module's review.
    ///
    /// # Errors
    /// [`ActualsError::Stale`] when the plan changed since; [`ActualsError::Model`] when it has
    /// no such module.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, Review};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// # let review = Review::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?)?;
    /// assert_eq!(review.module(&plan, "families/playground/2-room/search")?.periods.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, plan: &Plan, key: &str) -> Result<ModuleReview, ActualsError> {
        Ok(self.review(position(plan, self.revision, key)?))
    }

    fn review(&self, i: usize) -> ModuleReview {
        ModuleReview { key: self.keys[i].clone(), periods: self.funnel.checks(i), to_date: self.to_date[i] }
    }

    /// The gap to date summed over every module.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, Review};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// # let review = Review::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?)?;
    /// assert!(review.total().delivery < 0.0); // 1 spent where the plan spends thousands
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn total(&self) -> LinkGap {
        let mut total = LinkGap::default();
        for gap in &self.to_date {
            total.add(gap);
        }
        total
    }
}

/// The funnel of every module over the window `0..=as_of`, flat `[module * window + t]`: what
/// the per-period checks of a [`Review`] read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Funnel {
    window: usize,
    spend0: Vec<f64>,
    leads0: Vec<f64>,
    spend1: Vec<f64>,
    leads1: Vec<f64>,
    leads2: Vec<f64>,
    exposure3: Vec<f64>,
    gp: Vec<[f64; WORLDS]>,
    observed: Vec<bool>,
    deals: Vec<f64>,
    /// Gross profit per deal and conversion at plan, per module.
    per_deal: Vec<f64>,
    conversion: Vec<f64>,
}

impl Funnel {
    /// The funnel of every module, from the replay of `actuals` against `plan`.
    pub(crate) fn new(plan: &Plan, replay: &Replay, actuals: &Actuals) -> Funnel {
        let n = plan.module_count();
        let w_n = replay.window;
        let mut f = Funnel {
            window: w_n,
            spend0: Vec::with_capacity(n * w_n),
            leads0: Vec::with_capacity(n * w_n),
            spend1: Vec::with_capacity(n * w_n),
            leads1: Vec::with_capacity(n * w_n),
            leads2: Vec::with_capacity(n * w_n),
            exposure3: Vec::with_capacity(n * w_n),
            gp: Vec::with_capacity(n * w_n),
            observed: Vec::with_capacity(n * w_n),
            deals: Vec::with_capacity(n * w_n),
            per_deal: Vec::with_capacity(n),
            conversion: Vec::with_capacity(n),
        };
        let mut rows = Rows::default();
        for (i, hot) in plan.hot().iter().enumerate() {
            replay.rows(plan, actuals, i, &mut rows);
            f.spend0.extend_from_slice(&rows.spend0);
            f.leads0.extend_from_slice(&rows.leads0);
            f.spend1.extend_from_slice(&rows.spend1);
            f.leads1.extend_from_slice(&rows.leads1);
            f.leads2.extend_from_slice(&rows.leads2);
            f.exposure3.extend_from_slice(&rows.exposure3);
            f.gp.extend_from_slice(&rows.gp);
            f.observed.extend_from_slice(&rows.observed);
            f.deals.extend_from_slice(&rows.deals);
            let e = &hot.economics;
            f.per_deal.push(e.deal_value * e.margin);
            f.conversion.push(e.conversion);
        }
        f
    }

    /// The gap of one cell by link (worlds' neighbouring differences).
    fn gap(&self, at: usize) -> LinkGap {
        let g = self.gp[at];
        LinkGap {
            delivery: g[1] - g[0],
            cost: g[2] - g[1],
            capacity: g[3] - g[2],
            conversion: g[4] - g[3],
            deal_value: g[5] - g[4],
        }
    }

    /// Module `i`'s gap summed over its periods with data.
    fn to_date(&self, i: usize) -> LinkGap {
        let mut total = LinkGap::default();
        for at in i * self.window..(i + 1) * self.window {
            if self.observed[at] {
                total.add(&self.gap(at));
            }
        }
        total
    }

    /// Module `i`'s periods with data.
    fn checks(&self, i: usize) -> Vec<PeriodCheck> {
        let per_deal = self.per_deal[i];
        let deals_of = |gp: f64| if per_deal > 0.0 { gp / per_deal } else { 0.0 };
        (0..self.window)
            .filter(|&t| self.observed[i * self.window + t])
            .map(|t| {
                let at = i * self.window + t;
                let g = self.gp[at];
                PeriodCheck {
                    period: t,
                    planned: Expected {
                        spend: self.spend0[at],
                        leads: self.leads0[at],
                        deals: deals_of(g[0]),
                        gross_profit: g[0],
                    },
                    expected: Expected {
                        spend: self.spend1[at],
                        leads: self.leads1[at],
                        deals: self.conversion[i] * self.exposure3[at],
                        gross_profit: g[3],
                    },
                    actual: Expected {
                        spend: self.spend1[at],
                        leads: self.leads2[at],
                        deals: self.deals[at],
                        gross_profit: g[5],
                    },
                    actual_gross_profit: g[5],
                    gap: self.gap(at),
                }
            })
            .collect()
    }
}
