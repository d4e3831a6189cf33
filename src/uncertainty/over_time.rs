//! The Monte Carlo over time: each draw evaluates the time model (seasonality, capacity, lags)
//! with the draw's numbers, and keeps every module's full-cycle figures.

use rayon::prelude::*;

use crate::Plan;
use crate::error::{TimeError, UncertaintyError};
use crate::time::{Drawn, TimeModel};
use crate::uncertainty::draws::Draws;
use crate::uncertainty::options::MonteCarlo;
use crate::uncertainty::progress::advance;
use crate::uncertainty::section::Uncertainty;
use crate::uncertainty::simulate::{Simulation, Source, check_target};

impl Uncertainty {
    /// Runs the Monte Carlo over time: the budget is split into periods once (the time model's
    /// schedule), and each draw evaluates it with the draw's lead scales (on every period's
    /// leads), conversions, deal values and margins, through sales capacity and lags. Every
    /// figure is full-cycle: the horizon's spend and leads and every deal they bring, so ROMI is
    /// full-cycle ROMI.
    ///
    /// # Errors
    /// As [`Uncertainty::simulate`]; [`UncertaintyError::Time`] when the time model does not fit
    /// the plan.
    ///
    /// # Complexity
    /// One evaluation over time per draw (`O(N·T·L)` each), parallel over draws.
    ///
    /// ```
    /// use offergraph::PartKind;
    /// use offergraph::time::{Horizon, Lag, TimeModel};
    /// use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let time = TimeModel::new(Horizon::weeks(8)?).with_offer_lag("2-room", Lag::geometric(2.0)?);
    /// let u = Uncertainty::new().with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.4)?));
    /// let sim = u.simulate_over_time(&plan, &time, MonteCarlo::new().with_draws(500))?;
    /// assert!(sim.is_over_time());
    /// let romi = sim.total().romi.unwrap();
    /// assert!(romi.p10 < romi.p50 && romi.p50 < romi.p90);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn simulate_over_time(
        &self,
        plan: &Plan,
        time: &TimeModel,
        options: MonteCarlo,
    ) -> Result<Simulation, UncertaintyError> {
        check_target(options.target_romi())?;
        let draws = Draws::sample(self, plan, options.draws(), options.seed(), None)?;
        let schedule = time.schedule(plan)?;
        let n = plan.module_count();
        let d_n = draws.count();
        let spend: Vec<f64> =
            schedule.as_slice().chunks(schedule.periods().max(1)).map(|row| row.iter().sum()).collect();
        let mut figures: [Vec<f64>; 4] = std::array::from_fn(|_| vec![0.0; n * d_n]);
        let [leads, deals, revenue, gp] = &mut figures;
        let width = n.max(1);
        let failures: Vec<Option<TimeError>> = leads
            .par_chunks_mut(width)
            .zip(deals.par_chunks_mut(width))
            .zip(revenue.par_chunks_mut(width).zip(gp.par_chunks_mut(width)))
            .enumerate()
            .map(|(d, ((leads, deals), (revenue, gp)))| {
                let numbers = drawn(&draws, d);
                let eval = match time.evaluate_drawn(plan, &schedule, Some(&numbers)) {
                    Ok(e) => e,
                    Err(e) => return Some(e),
                };
                for i in 0..n {
                    let s = eval.series(i);
                    leads[i] = s.leads.iter().sum();
                    deals[i] = s.deals.iter().sum::<f64>() + s.deals_after_horizon;
                    revenue[i] = deals[i] * s.deal_value;
                    gp[i] = revenue[i] * s.margin;
                }
                advance(options.progress(), 1);
                None
            })
            .collect();
        // The first failure in draw order, so the error does not depend on the thread count.
        if let Some(e) = failures.into_iter().flatten().next() {
            return Err(e.into());
        }
        let source = Source::Time { draws: d_n, spend, figures };
        Simulation::new(plan, options, true, source)
    }
}

/// Every module's numbers in draw `d`.
fn drawn(draws: &Draws, d: usize) -> Vec<Drawn> {
    let mut one = [0.0; 4];
    (0..draws.modules())
        .map(|i| {
            draws.lead_scale_into(i, d, &mut one[..1]);
            let lead_scale = one[0];
            let [c, p, m] = [0, 1, 2].map(|f| {
                draws.value_into(i, f, d, &mut one[..1]);
                one[0]
            });
            Drawn { lead_scale, conversion: c, deal_value: p, margin: m }
        })
        .collect()
}
