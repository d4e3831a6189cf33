//! Evaluation over time: spend, leads, processing, deals closing by period, the cohort table and
//! the ROMI views (naive per period, cumulative, full cycle).
//!
//! For module `i` in period `t` with spend `s`:
//!
//! 1. leads arrive: `σ_it · r_i(K·s) / K` (seasonality `σ`, `K` = periods the plan describes);
//! 2. the module's sales team processes them (backlog first, oldest first, then new leads; the
//!    rest lost or kept in the backlog); modules without a team process every lead at once;
//! 3. a lead processed after waiting `w` periods brings `c·(1 − decay)^w` deals;
//! 4. those deals close over the following periods by the module's lag; revenue `p` and gross
//!    profit `p·m` per deal land when deals close. What closes after the horizon is reported as
//!    still expected.

use crate::Plan;
use crate::curves::Curve;
use crate::error::TimeError;
use crate::report::{Figures, additive};
use crate::time::capacity::{Cell, simulate};
use crate::time::model::{NO_TEAM, TimeModel};
use crate::time::schedule::Schedule;

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
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
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

fn ratio(a: f64, b: f64) -> Option<f64> {
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
    fn closing(&self) -> Figures {
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
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CohortTable {
    periods: usize,
    deals: Vec<f64>,
    revenue: Vec<f64>,
    gross_profit: Vec<f64>,
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

/// One module's figures per period, borrowed from a [`TimeEvaluation`].
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
    /// [`TimeError::Report`] unless `target_romi` is finite and `> −1`.
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

/// A plan evaluated over time: per module × period spend, leads, processing and deals closing,
/// per-team lead flows, the cohort table, per-period totals and the ROMI views.
///
/// # Example
/// ```
/// use offergraph::time::{Horizon, Lag, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let model = TimeModel::new(Horizon::weeks(6)?)
///     .with_offer_lag("1-room", Lag::gamma(3.0, 1.0)?)
///     .with_offer_lag("2-room", Lag::gamma(3.0, 1.0)?)
///     .with_offer_lag("3-room", Lag::gamma(3.0, 1.0)?);
/// let eval = model.evaluate(&plan)?;
/// // Early weeks look terrible on a dashboard: their deals have not closed yet…
/// assert!(eval.naive_romi()[0].unwrap() < 0.0);
/// // …but every week's spend brings the same full-cycle ROMI.
/// let full = eval.full_cycle_romi_by_period();
/// assert!((full[0].unwrap() - full[5].unwrap()).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TimeEvaluation {
    revision: u64,
    periods: usize,
    unit: String,
    spend: Vec<f64>,
    leads: Vec<f64>,
    processed: Vec<f64>,
    deals: Vec<f64>,
    deals_after: Vec<f64>,
    value: Vec<(f64, f64)>,
    teams: Vec<TeamFlow>,
    cohort: CohortTable,
    totals: Vec<PeriodFigures>,
}

impl TimeModel {
    /// Evaluates the plan over time with its allocation split by the flights
    /// ([`TimeModel::schedule`]).
    ///
    /// # Errors
    /// As [`TimeModel::check`] and [`TimeModel::schedule`].
    ///
    /// ```
    /// use offergraph::time::{Horizon, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let eval = TimeModel::new(Horizon::weeks(4)?).evaluate(&plan)?;
    /// // Even flights, no seasonality, no lag, no capacity: the plan's own figures.
    /// let total = eval.full_cycle();
    /// assert!((total.gross_profit - plan.evaluate()?.total().gross_profit).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(&self, plan: &Plan) -> Result<TimeEvaluation, TimeError> {
        let schedule = self.schedule(plan)?;
        self.evaluate_schedule(plan, &schedule)
    }

    /// Evaluates a given schedule (for example an optimised one).
    ///
    /// # Errors
    /// As [`TimeModel::check`]; [`TimeError::Stale`] when the plan's modules changed after the
    /// schedule was made; [`TimeError::PeriodsDiffer`] when it has another number of periods.
    ///
    /// # Complexity
    /// `O(N·T·L)` for `N` modules, `T` periods and lags of `L` periods (plus the backlog cells).
    ///
    /// ```
    /// use offergraph::time::{Horizon, Schedule, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let model = TimeModel::new(Horizon::weeks(2)?);
    /// let s = Schedule::new(&plan, 2, [1_000.0, 0.0].repeat(6))?;
    /// let eval = model.evaluate_schedule(&plan, &s)?;
    /// assert_eq!(eval.totals()[1].leads, 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate_schedule(&self, plan: &Plan, schedule: &Schedule) -> Result<TimeEvaluation, TimeError> {
        let r = self.resolve(plan)?;
        let t_n = r.periods;
        schedule.check(plan, t_n)?;
        let n = plan.module_count();
        let spend = schedule.as_slice().to_vec();
        let mut leads = vec![0.0; n * t_n];
        for (i, hot) in plan.hot().iter().enumerate() {
            let curve = &hot.economics.curve;
            for t in 0..t_n {
                let at = i * t_n + t;
                let (s, sigma) = (spend[at], r.season[at]);
                if s > 0.0 && sigma > 0.0 {
                    leads[at] = sigma * curve.leads(r.k * s) / r.k;
                }
            }
        }
        // Team flows.
        let teams_n = self.teams.len();
        let mut arrivals = vec![0.0; teams_n * t_n];
        for (i, &k) in r.team_of.iter().enumerate() {
            if k != NO_TEAM {
                for t in 0..t_n {
                    arrivals[k * t_n + t] += leads[i * t_n + t];
                }
            }
        }
        let flows: Vec<_> = (0..teams_n)
            .map(|k| {
                let range = k * t_n..(k + 1) * t_n;
                simulate(&r.capacity[range.clone()], arrivals[range].to_vec(), self.overflow)
            })
            .collect();
        let direct: Vec<Cell> = (0..t_n).map(|t| Cell { from: t, at: t, share: 1.0, factor: 1.0 }).collect();
        // Lag tails: tails[l][j] = Σ_{j' ≥ j} w_j'.
        let tails: Vec<Vec<f64>> = r
            .lags
            .iter()
            .map(|w| {
                let mut tail = vec![0.0; w.len() + 1];
                for j in (0..w.len()).rev() {
                    tail[j] = tail[j + 1] + w[j];
                }
                tail
            })
            .collect();
        let mut processed = vec![0.0; n * t_n];
        let mut deals = vec![0.0; n * t_n];
        let mut deals_after = vec![0.0; n];
        let width = t_n + 1;
        let mut c_deals = vec![0.0; t_n * width];
        let mut c_revenue = vec![0.0; t_n * width];
        let mut c_gp = vec![0.0; t_n * width];
        let mut value = Vec::with_capacity(n);
        for (i, hot) in plan.hot().iter().enumerate() {
            let e = &hot.economics;
            value.push((e.deal_value, e.margin));
            let (c, pv, gv) = (e.conversion, e.deal_value, e.deal_value * e.margin);
            let cells = match r.team_of[i] {
                NO_TEAM => &direct,
                k => &flows[k].cells,
            };
            let w = &r.lags[r.lag_of[i]];
            let tail = &tails[r.lag_of[i]];
            let row_of = i * t_n;
            for cell in cells {
                let x = leads[row_of + cell.from] * cell.share;
                if x <= 0.0 {
                    continue;
                }
                processed[row_of + cell.at] += x;
                let d = x * c * cell.factor;
                if d <= 0.0 {
                    continue;
                }
                let crow = cell.from * width;
                let inside = (t_n - cell.at).min(w.len());
                for (j, &wj) in w[..inside].iter().enumerate() {
                    let dd = d * wj;
                    let tau = cell.at + j;
                    deals[row_of + tau] += dd;
                    c_deals[crow + tau] += dd;
                    c_revenue[crow + tau] += dd * pv;
                    c_gp[crow + tau] += dd * gv;
                }
                let after = d * tail[inside];
                if after > 0.0 {
                    deals_after[i] += after;
                    c_deals[crow + t_n] += after;
                    c_revenue[crow + t_n] += after * pv;
                    c_gp[crow + t_n] += after * gv;
                }
            }
        }
        let mut totals = vec![PeriodFigures::default(); t_n];
        for (i, &(p, m)) in value.iter().enumerate() {
            for (t, tot) in totals.iter_mut().enumerate() {
                let at = i * t_n + t;
                tot.spend += spend[at];
                tot.leads += leads[at];
                tot.processed += processed[at];
                tot.deals += deals[at];
                tot.revenue += deals[at] * p;
                tot.gross_profit += deals[at] * p * m;
            }
        }
        for (a, tot) in totals.iter_mut().enumerate() {
            let row = a * width..(a + 1) * width;
            tot.cohort_deals = c_deals[row.clone()].iter().sum();
            tot.cohort_revenue = c_revenue[row.clone()].iter().sum();
            tot.cohort_gross_profit = c_gp[row].iter().sum();
        }
        check_finite(
            plan,
            t_n,
            &[("leads", &leads), ("processed", &processed), ("deals", &deals)],
            &deals_after,
        )?;
        let teams: Vec<TeamFlow> = flows
            .into_iter()
            .enumerate()
            .map(|(k, f)| {
                for (t, tot) in totals.iter_mut().enumerate() {
                    tot.lost += f.lost[t];
                    tot.backlog += f.backlog[t];
                }
                TeamFlow {
                    key: self.teams[k].key.clone(),
                    capacity: r.capacity[k * t_n..(k + 1) * t_n].to_vec(),
                    arrivals: f.arrivals,
                    processed: f.processed,
                    backlog: f.backlog,
                    lost: f.lost,
                }
            })
            .collect();
        Ok(TimeEvaluation {
            revision: plan.revision(),
            periods: t_n,
            unit: self.horizon.unit().to_owned(),
            spend,
            leads,
            processed,
            deals,
            deals_after,
            value,
            teams,
            cohort: CohortTable { periods: t_n, deals: c_deals, revenue: c_revenue, gross_profit: c_gp },
            totals,
        })
    }
}

/// The first module × period cell of `series` (row-major, `t_n` periods a module) or of the deals
/// after the horizon that is NaN or infinite, as an error naming the module. Totals are sums of
/// these cells times validated money, so they are finite when the cells are.
fn check_finite(
    plan: &Plan,
    t_n: usize,
    series: &[(&'static str, &[f64])],
    deals_after: &[f64],
) -> Result<(), TimeError> {
    let not_finite = |figure, at: usize, period, found| TimeError::NotFinite {
        module: plan.key_at(at).to_owned(),
        figure,
        period,
        found,
    };
    for &(figure, values) in series {
        if let Some(at) = values.iter().position(|x| !x.is_finite()) {
            return Err(not_finite(figure, at / t_n, at % t_n, values[at]));
        }
    }
    match deals_after.iter().position(|x| !x.is_finite()) {
        Some(i) => Err(not_finite("deals", i, t_n, deals_after[i])),
        None => Ok(()),
    }
}

/// Per-period changes between two evaluations of the same horizon (for scenario diffs).
///
/// # Example
/// ```
/// use offergraph::time::{Flights, Horizon, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let even = TimeModel::new(Horizon::weeks(4)?).evaluate(&plan)?;
/// let front = TimeModel::new(Horizon::weeks(4)?).with_flights(Flights::front_loaded()).evaluate(&plan)?;
/// let diff = even.diff(&front)?;
/// assert!((diff.periods[0].delta().spend - (0.4 - 0.25) * 60_000.0).abs() < 1e-6);
/// assert!(diff.full_cycle_delta().spend.abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct TimeDiff {
    /// One entry per period.
    pub periods: Vec<PeriodDiff>,
    /// Full-cycle totals before.
    pub before: Figures,
    /// Full-cycle totals after.
    pub after: Figures,
}

/// One period of a [`TimeDiff`].
///
/// ```
/// use offergraph::time::{Flights, Horizon, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let even = TimeModel::new(Horizon::weeks(4)?).evaluate(&plan)?;
/// let front = TimeModel::new(Horizon::weeks(4)?).with_flights(Flights::front_loaded()).evaluate(&plan)?;
/// let first = even.diff(&front)?.periods[0];
/// assert_eq!((first.period, first.before.spend), (0, 15_000.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct PeriodDiff {
    /// Zero-based period.
    pub period: usize,
    /// Figures of the first evaluation.
    pub before: PeriodFigures,
    /// Figures of the second evaluation.
    pub after: PeriodFigures,
}

impl PeriodDiff {
    /// `after − before`.
    ///
    /// ```
    /// use offergraph::time::{Flights, Horizon, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let even = TimeModel::new(Horizon::weeks(4)?).evaluate(&plan)?;
    /// let front = TimeModel::new(Horizon::weeks(4)?).with_flights(Flights::front_loaded()).evaluate(&plan)?;
    /// let first = even.diff(&front)?.periods[0];
    /// // Front-loading puts 40% of 60 000 in week 1 instead of 25%.
    /// assert!((first.delta().spend - 0.15 * 60_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delta(&self) -> PeriodFigures {
        self.after - self.before
    }
}

impl std::fmt::Display for TimeDiff {
    /// One row per period with the changes in spend, leads, deals and gross profit.
    ///
    /// ```
    /// use offergraph::time::{Flights, Horizon, TimeModel};
    /// let plan = offergraph::sample::apartments()?;
    /// let even = TimeModel::new(Horizon::weeks(2)?).evaluate(&plan)?;
    /// let front = TimeModel::new(Horizon::weeks(2)?).with_flights(Flights::front_loaded()).evaluate(&plan)?;
    /// let table = even.diff(&front)?.to_string();
    /// assert!(table.starts_with("period"));
    /// assert_eq!(table.lines().count(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<10} {:>12} {:>12} {:>12} {:>12}",
            "period", "Δ spend", "Δ leads", "Δ deals", "Δ gross"
        )?;
        for p in &self.periods {
            let d = p.delta();
            writeln!(
                f,
                "{:<10} {:>12.0} {:>12.1} {:>12.2} {:>12.0}",
                p.period + 1,
                d.spend,
                d.leads,
                d.deals,
                d.gross_profit
            )?;
        }
        Ok(())
    }
}

impl TimeDiff {
    /// Change of the full-cycle totals, `after − before`.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.diff(&e)?.full_cycle_delta().gross_profit, 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_cycle_delta(&self) -> Figures {
        self.after - self.before
    }
}

impl TimeEvaluation {
    /// Number of periods.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.periods(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// What a period is called (`"week"`).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.unit(), "week");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// Plan-wide figures per period.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(4)?).evaluate(&plan)?;
    /// assert!((e.totals()[0].spend - 15_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn totals(&self) -> &[PeriodFigures] {
        &self.totals
    }

    /// The lead flow of every sales team, in model order.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!(e.teams().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn teams(&self) -> &[TeamFlow] {
        &self.teams
    }

    /// The lead flow of one team.
    ///
    /// # Errors
    /// [`TimeError::NotFound`] for an unknown team.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.team("desk").unwrap_err().to_string(), "there is no team \"desk\" in this evaluation");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn team(&self, key: &str) -> Result<&TeamFlow, TimeError> {
        self.teams.iter().find(|t| t.key == key).ok_or_else(|| TimeError::NotFound {
            entity: "team",
            key: key.to_owned(),
            place: "evaluation",
        })
    }

    /// The cohort table (lead period × close period).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.cohort().periods(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cohort(&self) -> &CohortTable {
        &self.cohort
    }

    /// One module's series, by key.
    ///
    /// # Errors
    /// [`TimeError::Stale`] when the plan's modules changed since the evaluation;
    /// [`TimeError::NotFound`] for an unknown module.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!(e.module(&plan, "nope").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, plan: &Plan, key: &str) -> Result<ModuleSeries<'_>, TimeError> {
        if plan.revision() != self.revision || plan.module_count() * self.periods != self.spend.len() {
            return Err(TimeError::Stale { what: "time evaluation" });
        }
        let i = plan.index_of(key).map_err(|_| TimeError::NotFound {
            entity: "module",
            key: key.to_owned(),
            place: "evaluation",
        })?;
        Ok(self.series(i))
    }

    /// Module `i` (plan order).
    pub(crate) fn series(&self, i: usize) -> ModuleSeries<'_> {
        let r = i * self.periods..(i + 1) * self.periods;
        ModuleSeries {
            spend: &self.spend[r.clone()],
            leads: &self.leads[r.clone()],
            processed: &self.processed[r.clone()],
            deals: &self.deals[r],
            deals_after_horizon: self.deals_after[i],
            deal_value: self.value[i].0,
            margin: self.value[i].1,
        }
    }

    /// ROMI per period as a naive dashboard computes it: the period's closed gross profit over
    /// its spend ([`PeriodFigures::naive_romi`]).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert_eq!(e.naive_romi().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn naive_romi(&self) -> Vec<Option<f64>> {
        self.totals.iter().map(PeriodFigures::naive_romi).collect()
    }

    /// Cumulative ROMI: gross profit closed up to and including each period over spend up to it.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let last = e.cumulative_romi()[1].unwrap();
    /// assert!((last - e.in_horizon().romi().unwrap()).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cumulative_romi(&self) -> Vec<Option<f64>> {
        let (mut s, mut g) = (0.0, 0.0);
        self.totals
            .iter()
            .map(|p| {
                s += p.spend;
                g += p.gross_profit;
                ratio(g - s, s)
            })
            .collect()
    }

    /// Full-cycle ROMI of each period's spend: every deal its leads eventually bring
    /// ([`PeriodFigures::full_cycle_romi`]).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!(e.full_cycle_romi_by_period()[0].is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_cycle_romi_by_period(&self) -> Vec<Option<f64>> {
        self.totals.iter().map(PeriodFigures::full_cycle_romi).collect()
    }

    /// Full-cycle ROMI of the whole horizon's spend.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!((e.full_cycle_romi().unwrap() - plan.evaluate()?.total().romi().unwrap()).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_cycle_romi(&self) -> Option<f64> {
        self.full_cycle().romi()
    }

    /// Totals over the horizon: spend and leads, and the deals that close within it.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!((e.in_horizon().spend - 60_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn in_horizon(&self) -> Figures {
        self.totals.iter().map(PeriodFigures::closing).sum()
    }

    /// What is still expected after the horizon: deals, revenue and gross profit from leads
    /// processed within it that close later (spend and leads are 0).
    ///
    /// ```
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = TimeModel::new(Horizon::weeks(2)?).with_offer_lag("2-room", Lag::from_weights(vec![0.0, 0.0, 1.0])?).evaluate(&plan)?;
    /// assert!(e.after_horizon().deals > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn after_horizon(&self) -> Figures {
        let t = self.periods;
        (0..t)
            .map(|a| {
                Figures::closing(
                    self.cohort.deals(a, t),
                    self.cohort.revenue(a, t),
                    self.cohort.gross_profit(a, t),
                )
            })
            .sum()
    }

    /// Full-cycle totals: the horizon's spend and leads and every deal they bring.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let f = e.full_cycle();
    /// assert!((f.deals - e.in_horizon().deals - e.after_horizon().deals).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_cycle(&self) -> Figures {
        self.in_horizon() + self.after_horizon()
    }

    /// Max sustainable cost per lead over the full cycle for a target ROMI: full-cycle gross
    /// profit per lead `/ (1 + target)`; `None` without leads. Leads lost to over-sale or decayed
    /// in the backlog lower it.
    ///
    /// # Errors
    /// [`TimeError::Report`] unless `target_romi` is finite and `> −1`.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let at_break_even = e.max_sustainable_cpl(0.0)?.unwrap();
    /// assert!((e.max_sustainable_cpl(1.0)?.unwrap() - at_break_even / 2.0).abs() < 1e-9);
    /// assert_eq!(e.max_sustainable_cpl(-1.0).unwrap_err().to_string(),
    ///     "target ROMI must be a finite number > -1 (that is, above -100%), found -1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_sustainable_cpl(&self, target_romi: f64) -> Result<Option<f64>, TimeError> {
        Ok(self.full_cycle().max_sustainable_cpl(target_romi)?)
    }

    /// `true` when some team loses leads or leaves them waiting in some period (over-sale).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// assert!(!e.is_oversold());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_oversold(&self) -> bool {
        self.teams.iter().any(|t| !t.oversold_periods().is_empty())
    }

    /// Per-period changes from `self` (before) to `other` (after).
    ///
    /// # Errors
    /// [`TimeError::PeriodsDiffer`] when the horizons differ in length.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let a = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(2)?).evaluate(&plan)?;
    /// let b = offergraph::time::TimeModel::new(offergraph::time::Horizon::weeks(3)?).evaluate(&plan)?;
    /// assert_eq!(a.diff(&b).unwrap_err().to_string(), "cannot compare an evaluation over 2 periods with one over 3 periods");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn diff(&self, other: &TimeEvaluation) -> Result<TimeDiff, TimeError> {
        if self.periods != other.periods {
            return Err(TimeError::PeriodsDiffer { first: self.periods, second: other.periods });
        }
        Ok(TimeDiff {
            periods: (0..self.periods)
                .map(|t| PeriodDiff { period: t, before: self.totals[t], after: other.totals[t] })
                .collect(),
            before: self.full_cycle(),
            after: other.full_cycle(),
        })
    }
}
