//! The funnel replayed one module at a time: the sales queues are run once for every team (they
//! mix the modules they serve), then each module's worlds are computed into reusable rows, so
//! a diagnosis of a large plan streams through it without a table per figure.

use crate::Plan;
use crate::actuals::table::Actuals;
use crate::curves::{Curve, ResponseCurve};
use crate::error::ActualsError;
use crate::time::{Cell, NO_TEAM, Schedule, TimeModel, simulate};

/// Worlds 0–5 of the module docs of `funnel`.
pub(crate) const WORLDS: usize = 6;

/// What every module's replay shares: the resolved time model, the plan's schedule and the
/// cells of the sales queues (the plan's, and the one the actual leads met).
pub(crate) struct Replay {
    /// Periods up to the last with data.
    pub window: usize,
    /// Periods of the horizon.
    pub periods: usize,
    /// Periods the plan's curves describe.
    pub k: f64,
    season: Vec<f64>,
    team_of: Vec<usize>,
    lag_of: Vec<usize>,
    lags: Vec<Vec<f64>>,
    schedule: Schedule,
    planned: Vec<Vec<Cell>>,
    actual: Vec<Vec<Cell>>,
    direct: Vec<Cell>,
}

/// One module's funnel over the window, indexed by period.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rows {
    pub spend0: Vec<f64>,
    pub leads0: Vec<f64>,
    /// Spend as made (the plan's where no data) and the leads the curve promises at it.
    pub spend1: Vec<f64>,
    pub leads1: Vec<f64>,
    /// Leads as arrived (world 1's where no data).
    pub leads2: Vec<f64>,
    pub season: Vec<f64>,
    /// World 3's processed leads weighted by backlog decay, by processing period.
    pub processed3: Vec<f64>,
    /// World 3's matured exposure `Σ_j P(t−j)·w_j` (deals = conversion × exposure).
    pub exposure3: Vec<f64>,
    /// Gross profit closing per world.
    pub gp: Vec<[f64; WORLDS]>,
    pub observed: Vec<bool>,
    /// Deals recorded.
    pub deals: Vec<f64>,
    p: Vec<f64>,
    raw: Vec<f64>,
    p4: Vec<[f64; 4]>,
    m4: Vec<[f64; 4]>,
}

impl Replay {
    pub(crate) fn new(
        plan: &Plan,
        time: Option<&TimeModel>,
        actuals: &Actuals,
    ) -> Result<Replay, ActualsError> {
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
        let spend0 = schedule.as_slice();
        let w_n = actuals.as_of + 1;
        // The queues mix the modules of a team: sum their arrivals first.
        let teams_n = time.teams().len();
        let (mut planned_in, mut actual_in) = (vec![0.0; teams_n * w_n], vec![0.0; teams_n * w_n]);
        for (i, hot) in plan.hot().iter().enumerate() {
            let k = r.team_of[i];
            if k == NO_TEAM {
                continue;
            }
            let mut run = Run::default();
            for t in 0..w_n {
                let src = i * t_n + t;
                let planned = run.leads(&hot.economics.curve, r.k, spend0[src]) * r.season[src];
                planned_in[k * w_n + t] += planned;
                actual_in[k * w_n + t] += actuals.cells[src].map_or(planned, |o| o.leads);
            }
        }
        let queue = |arrivals: &[f64], k: usize| {
            let cap = &r.capacity[k * t_n..k * t_n + w_n];
            simulate(cap, arrivals[k * w_n..(k + 1) * w_n].to_vec(), time.overflow()).cells
        };
        Ok(Replay {
            window: w_n,
            periods: t_n,
            k: r.k,
            planned: (0..teams_n).map(|k| queue(&planned_in, k)).collect(),
            actual: (0..teams_n).map(|k| queue(&actual_in, k)).collect(),
            direct: (0..w_n).map(|t| Cell { from: t, at: t, share: 1.0, factor: 1.0 }).collect(),
            season: r.season,
            team_of: r.team_of,
            lag_of: r.lag_of,
            lags: r.lags,
            schedule,
        })
    }

    /// Replays module `i` into `rows`.
    pub(crate) fn rows(&self, plan: &Plan, actuals: &Actuals, i: usize, rows: &mut Rows) {
        let (w_n, t_n) = (self.window, self.periods);
        rows.resize(w_n);
        let e = &plan.hot()[i].economics;
        let curve = &e.curve;
        let mut run = Run::default();
        for t in 0..w_n {
            let src = i * t_n + t;
            let sigma = self.season[src];
            let s0 = self.schedule.as_slice()[src];
            rows.season[t] = sigma;
            rows.spend0[t] = s0;
            rows.leads0[t] = run.leads(curve, self.k, s0) * sigma;
            let cell = actuals.cells[src];
            rows.observed[t] = cell.is_some();
            match cell {
                Some(o) => {
                    rows.spend1[t] = o.spend;
                    rows.leads1[t] = if o.spend > 0.0 && sigma > 0.0 {
                        sigma * curve.leads(self.k * o.spend) / self.k
                    } else {
                        0.0
                    };
                    rows.leads2[t] = o.leads;
                    rows.deals[t] = o.deals;
                }
                None => {
                    rows.spend1[t] = s0;
                    rows.leads1[t] = rows.leads0[t];
                    rows.leads2[t] = rows.leads0[t];
                    rows.deals[t] = 0.0;
                }
            }
        }
        let (plan_cells, real_cells) = match self.team_of[i] {
            NO_TEAM => (&self.direct, &self.direct),
            k => (&self.planned[k], &self.actual[k]),
        };
        for world in 0..3 {
            let leads = match world {
                0 => &rows.leads0,
                1 => &rows.leads1,
                _ => &rows.leads2,
            };
            weighted(plan_cells, leads, &mut rows.p, &mut rows.raw);
            for (x, y) in rows.p4.iter_mut().zip(&rows.p) {
                x[world] = *y;
            }
        }
        weighted(real_cells, &rows.leads2, &mut rows.p, &mut rows.raw);
        for t in 0..w_n {
            // A recorded `processed` replaces the queue's, keeping its backlog decay.
            if let Some(done) = actuals.cells[i * t_n + t].and_then(|o| o.processed) {
                rows.p[t] = if rows.raw[t] > 0.0 { done * rows.p[t] / rows.raw[t] } else { done };
            }
            rows.p4[t][3] = rows.p[t];
        }
        mature(&rows.p4, &self.lags[self.lag_of[i]], &mut rows.m4);
        let value = e.conversion * e.deal_value * e.margin;
        for t in 0..w_n {
            rows.processed3[t] = rows.p[t];
            rows.exposure3[t] = rows.m4[t][3];
            let g = &mut rows.gp[t];
            for (gw, mw) in g.iter_mut().zip(rows.m4[t]) {
                *gw = value * mw;
            }
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
}

impl Rows {
    fn resize(&mut self, n: usize) {
        for v in [
            &mut self.spend0,
            &mut self.leads0,
            &mut self.spend1,
            &mut self.leads1,
            &mut self.leads2,
            &mut self.season,
            &mut self.processed3,
            &mut self.exposure3,
            &mut self.deals,
            &mut self.p,
            &mut self.raw,
        ] {
            v.resize(n, 0.0);
        }
        self.gp.resize(n, [0.0; WORLDS]);
        self.observed.resize(n, false);
        self.p4.resize(n, [0.0; 4]);
        self.m4.resize(n, [0.0; 4]);
    }
}

/// The plan's leads per period at spend `s`, `r(K·s)/K` before seasonality; flights repeat the
/// same spend for many periods, so the curve is evaluated once per run of equal spends.
#[derive(Default)]
struct Run {
    spend: Option<u64>,
    leads: f64,
}

impl Run {
    fn leads(&mut self, curve: &ResponseCurve, k: f64, s: f64) -> f64 {
        if self.spend != Some(s.to_bits()) {
            self.spend = Some(s.to_bits());
            self.leads = if s > 0.0 { curve.leads(k * s) / k } else { 0.0 };
        }
        self.leads
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

/// `m[t] = Σ_j p[t−j]·w_j` for the four worlds at once: the processed leads whose deals close
/// in each period (scattered forward, so the inner loop runs over contiguous memory).
fn mature(p: &[[f64; 4]], w: &[f64], m: &mut [[f64; 4]]) {
    m.fill([0.0; 4]);
    let n = p.len();
    for (a, pa) in p.iter().enumerate() {
        let span = w.len().min(n - a);
        for (mj, wj) in m[a..a + span].iter_mut().zip(&w[..span]) {
            for (x, y) in mj.iter_mut().zip(pa) {
                *x += y * wj;
            }
        }
    }
}
