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
use crate::time::capacity::{Cell, simulate};
use crate::time::figures::{CohortTable, PeriodFigures, TeamFlow};
use crate::time::model::{NO_TEAM, TimeModel};
use crate::time::schedule::Schedule;

/// A module's numbers in one Monte Carlo draw: a multiplier on its leads, and the conversion,
/// deal value and margin that replace its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Drawn {
    pub lead_scale: f64,
    pub conversion: f64,
    pub deal_value: f64,
    pub margin: f64,
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
    pub(super) revision: u64,
    /// The plan's name and its modules' ids, so a diff can refuse an unrelated plan.
    pub(super) plan: String,
    pub(super) ids: Vec<crate::ids::ModuleId>,
    /// Offers some module of which has no lag (deals close the period leads are processed).
    pub(super) offers_without_lag: Vec<String>,
    pub(super) periods: usize,
    pub(super) unit: String,
    pub(super) spend: Vec<f64>,
    pub(super) leads: Vec<f64>,
    pub(super) processed: Vec<f64>,
    pub(super) deals: Vec<f64>,
    pub(super) deals_after: Vec<f64>,
    pub(super) value: Vec<(f64, f64)>,
    pub(super) teams: Vec<TeamFlow>,
    pub(super) cohort: CohortTable,
    pub(super) totals: Vec<PeriodFigures>,
    /// Positions of the modules no team claims, when the model has teams (empty otherwise).
    pub(super) unclaimed: Vec<usize>,
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
        self.evaluate_drawn(plan, schedule, None)
    }

    /// [`TimeModel::evaluate_schedule`] with each module's numbers of one Monte Carlo draw (plan
    /// order) in place of its own, or its own with `None`.
    pub(crate) fn evaluate_drawn(
        &self,
        plan: &Plan,
        schedule: &Schedule,
        drawn: Option<&[Drawn]>,
    ) -> Result<TimeEvaluation, TimeError> {
        let r = self.resolve(plan)?;
        let t_n = r.periods;
        schedule.check(plan, t_n)?;
        let n = plan.module_count();
        let spend = schedule.as_slice().to_vec();
        let mut leads = vec![0.0; n * t_n];
        for (i, hot) in plan.hot().iter().enumerate() {
            let curve = &hot.economics.curve;
            let scale = drawn.map_or(1.0, |d| d[i].lead_scale);
            for t in 0..t_n {
                let at = i * t_n + t;
                let (s, sigma) = (spend[at], r.season[at]);
                if s > 0.0 && sigma > 0.0 {
                    leads[at] = sigma * curve.leads(r.k * s) / r.k * scale;
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
            let (c, p, m) = match drawn {
                Some(d) => (d[i].conversion, d[i].deal_value, d[i].margin),
                None => (e.conversion, e.deal_value, e.margin),
            };
            value.push((p, m));
            let (pv, gv) = (p, p * m);
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
            plan: plan.name().to_owned(),
            ids: plan.modules().map(|m| m.id()).collect(),
            offers_without_lag: self.offers_without_lag(plan).into_iter().map(str::to_owned).collect(),
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
            unclaimed: if teams_n == 0 {
                Vec::new()
            } else {
                (0..n).filter(|&i| r.team_of[i] == NO_TEAM).collect()
            },
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
