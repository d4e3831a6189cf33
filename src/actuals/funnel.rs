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
use crate::actuals::table::Actuals;
use crate::curves::Curve;
use crate::error::ActualsError;
use crate::time::{Cell, TimeModel, simulate};

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

    fn add(&mut self, other: &LinkGap) {
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
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
    pub(crate) modules: Vec<ModuleReview>,
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
        let funnel = Funnel::new(plan, time, actuals)?;
        let modules = funnel.reviews(plan, actuals);
        Ok(Review { revision: plan.revision(), modules, funnel })
    }

    /// Every module's review, in plan order.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, Review};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// # let review = Review::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?)?;
    /// assert_eq!(review.modules().len(), 6);
    /// assert!(review.modules()[5].periods.is_empty()); // no data for it
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modules(&self) -> &[ModuleReview] {
        &self.modules
    }

    /// One module's review.
    ///
    /// # Errors
    /// [`ActualsError::Stale`] when the plan changed since; [`ActualsError::UnknownModule`]
    /// (row 0) when it has no such module.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, Review};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,1,1,0,0\n";
    /// # let review = Review::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?)?;
    /// assert_eq!(review.module(&plan, "families/playground/2-room/search")?.periods.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, plan: &Plan, key: &str) -> Result<&ModuleReview, ActualsError> {
        if plan.revision() != self.revision {
            return Err(ActualsError::Stale);
        }
        let i = plan.index_of(key).map_err(|_| ActualsError::UnknownModule {
            at: crate::error::Cell::new("review", 0, "module"),
            key: key.to_owned(),
        })?;
        Ok(&self.modules[i])
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
        for m in &self.modules {
            total.add(&m.to_date);
        }
        total
    }
}

/// Worlds 0–5 of the module docs.
const WORLDS: usize = 6;

/// The funnel of every module over the window `0..=as_of`, flat `[module * window + t]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Funnel {
    pub window: usize,
    /// Periods the plan's curves describe.
    pub k: f64,
    /// Plan spend and leads.
    pub spend0: Vec<f64>,
    pub leads0: Vec<f64>,
    /// Spend as made (the plan's where no data) and leads the curve promises at it.
    pub spend1: Vec<f64>,
    pub leads1: Vec<f64>,
    /// Leads as arrived (world 1's where no data).
    pub leads2: Vec<f64>,
    /// World 3's processed leads weighted by decay, by processing period.
    pub processed3: Vec<f64>,
    /// World 3's matured exposure: processed leads whose deals should have closed by each
    /// period, `Σ_j P(t−j)·w_j` (deals = conversion × exposure).
    pub exposure3: Vec<f64>,
    /// Gross profit closing per world.
    pub gp: Vec<[f64; WORLDS]>,
    /// Seasonal multiplier.
    pub season: Vec<f64>,
    /// Lag weights per module.
    pub lag_of: Vec<usize>,
    pub lags: Vec<Vec<f64>>,
}

impl Funnel {
    pub(crate) fn new(
        plan: &Plan,
        time: Option<&TimeModel>,
        actuals: &Actuals,
    ) -> Result<Funnel, ActualsError> {
        actuals.check(plan)?;
        let one;
        let time = match time {
            Some(t) => t,
            None => {
                one = TimeModel::new(crate::time::Horizon::weeks(1)?);
                &one
            }
        };
        let t_n = time.horizon().periods();
        if t_n != actuals.periods {
            return Err(ActualsError::PeriodsDiffer { found: actuals.periods, periods: t_n });
        }
        let r = time.resolve(plan)?;
        let schedule = time.schedule(plan)?;
        let s0 = schedule.as_slice();
        let n = plan.module_count();
        let w_n = actuals.as_of + 1;
        let len = n * w_n;
        let (mut spend0, mut leads0, mut spend1, mut leads1, mut leads2) =
            (vec![0.0; len], vec![0.0; len], vec![0.0; len], vec![0.0; len], vec![0.0; len]);
        let mut season = vec![0.0; len];
        for (i, hot) in plan.hot().iter().enumerate() {
            let curve = &hot.economics.curve;
            let leads_at = |s: f64, sigma: f64| {
                if s > 0.0 && sigma > 0.0 { sigma * curve.leads(r.k * s) / r.k } else { 0.0 }
            };
            for t in 0..w_n {
                let (at, src) = (i * w_n + t, i * t_n + t);
                let sigma = r.season[src];
                season[at] = sigma;
                spend0[at] = s0[src];
                leads0[at] = leads_at(s0[src], sigma);
                match actuals.cells[src] {
                    Some(o) => {
                        spend1[at] = o.spend;
                        leads1[at] = leads_at(o.spend, sigma);
                        leads2[at] = o.leads;
                    }
                    None => {
                        spend1[at] = s0[src];
                        leads1[at] = leads0[at];
                        leads2[at] = leads0[at];
                    }
                }
            }
        }
        // The sales queues: the plan's (its shares apply to worlds 0–2) and the one the actual
        // leads met (world 3).
        let teams_n = time.teams().len();
        let queue = |leads: &[f64]| {
            let mut arrivals = vec![0.0; teams_n * w_n];
            for (i, &k) in r.team_of.iter().enumerate() {
                if k != crate::time::NO_TEAM {
                    for t in 0..w_n {
                        arrivals[k * w_n + t] += leads[i * w_n + t];
                    }
                }
            }
            (0..teams_n)
                .map(|k| {
                    let cap = &r.capacity[k * t_n..k * t_n + w_n];
                    simulate(cap, arrivals[k * w_n..(k + 1) * w_n].to_vec(), time.overflow()).cells
                })
                .collect::<Vec<_>>()
        };
        let planned_cells = queue(&leads0);
        let actual_cells = queue(&leads2);
        let direct: Vec<Cell> = (0..w_n).map(|t| Cell { from: t, at: t, share: 1.0, factor: 1.0 }).collect();
        let mut gp = vec![[0.0; WORLDS]; len];
        let mut processed3 = vec![0.0; len];
        let mut exposure3 = vec![0.0; len];
        let (mut p, mut raw) = (vec![0.0; w_n], vec![0.0; w_n]);
        for (i, hot) in plan.hot().iter().enumerate() {
            let e = &hot.economics;
            let value = e.conversion * e.deal_value * e.margin;
            let (plan_cells, real_cells) = match r.team_of[i] {
                crate::time::NO_TEAM => (&direct, &direct),
                k => (&planned_cells[k], &actual_cells[k]),
            };
            let w = &r.lags[r.lag_of[i]];
            let row = i * w_n..(i + 1) * w_n;
            for (world, leads) in [(0, &leads0), (1, &leads1), (2, &leads2)] {
                weighted(plan_cells, &leads[row.clone()], &mut p, &mut raw);
                for t in 0..w_n {
                    gp[i * w_n + t][world] = value * matured(&p, w, t);
                }
            }
            weighted(real_cells, &leads2[row.clone()], &mut p, &mut raw);
            for t in 0..w_n {
                // A recorded `processed` replaces the queue's, keeping its backlog decay.
                if let Some(done) = actuals.cells[i * t_n + t].and_then(|o| o.processed) {
                    p[t] = if raw[t] > 0.0 { done * p[t] / raw[t] } else { done };
                }
            }
            for t in 0..w_n {
                let at = i * w_n + t;
                processed3[at] = p[t];
                exposure3[at] = matured(&p, w, t);
                let g = &mut gp[at];
                g[3] = value * exposure3[at];
                match actuals.cells[i * t_n + t] {
                    Some(o) => {
                        g[4] = o.deals * e.deal_value * e.margin;
                        g[5] = o.gross_profit.unwrap_or(o.revenue * e.margin);
                    }
                    None => {
                        g[4] = g[3];
                        g[5] = g[3];
                    }
                }
            }
        }
        Ok(Funnel {
            window: w_n,
            k: r.k,
            spend0,
            leads0,
            spend1,
            leads1,
            leads2,
            processed3,
            exposure3,
            gp,
            season,
            lag_of: r.lag_of,
            lags: r.lags,
        })
    }

    fn reviews(&self, plan: &Plan, actuals: &Actuals) -> Vec<ModuleReview> {
        let (w_n, t_n) = (self.window, actuals.periods);
        plan.module_data()
            .zip(plan.hot())
            .enumerate()
            .map(|(i, (data, hot))| {
                let e = &hot.economics;
                let per_deal = e.deal_value * e.margin;
                let mut periods = Vec::new();
                let mut to_date = LinkGap::default();
                for t in 0..w_n {
                    let Some(o) = actuals.cells[i * t_n + t] else { continue };
                    let at = i * w_n + t;
                    let g = self.gp[at];
                    let gap = LinkGap {
                        delivery: g[1] - g[0],
                        cost: g[2] - g[1],
                        capacity: g[3] - g[2],
                        conversion: g[4] - g[3],
                        deal_value: g[5] - g[4],
                    };
                    to_date.add(&gap);
                    let deals_of = |gp: f64| if per_deal > 0.0 { gp / per_deal } else { 0.0 };
                    periods.push(PeriodCheck {
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
                            deals: e.conversion * self.exposure3[at],
                            gross_profit: g[3],
                        },
                        actual: Expected {
                            spend: o.spend,
                            leads: o.leads,
                            deals: o.deals,
                            gross_profit: g[5],
                        },
                        actual_gross_profit: g[5],
                        gap,
                    });
                }
                ModuleReview { key: data.key.clone(), periods, to_date }
            })
            .collect()
    }
}

/// Leads processed per period through `cells`, weighted by their decay factor (`p`) and not
/// (`raw`).
fn weighted(cells: &[Cell], leads: &[f64], p: &mut [f64], raw: &mut [f64]) {
    p.fill(0.0);
    raw.fill(0.0);
    for c in cells {
        if c.at < p.len() {
            let x = leads[c.from] * c.share;
            p[c.at] += x * c.factor;
            raw[c.at] += x;
        }
    }
}

/// `Σ_j P(t−j)·w_j`: processed leads whose deals close in period `t`.
fn matured(p: &[f64], w: &[f64], t: usize) -> f64 {
    w.iter().take(t + 1).enumerate().map(|(j, wj)| p[t - j] * wj).sum()
}
