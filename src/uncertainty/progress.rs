//! [`Progress`]: an observer of a Monte Carlo run's draws, for a progress bar.

/// Told how many draws of a Monte Carlo run are done, as they are done: statically
/// ([`Uncertainty::simulate`](crate::uncertainty::Uncertainty::simulate),
/// [`simulate_allocation`](crate::uncertainty::Uncertainty::simulate_allocation)) as they are
/// drawn, over time ([`simulate_over_time`](crate::uncertainty::Uncertainty::simulate_over_time))
/// as they are evaluated. Each call says how many *more* draws are done; over a run that
/// succeeds the calls add up to its number of draws exactly. Calls come from the worker threads,
/// in no particular order. An observer only observes: a run gives the same numbers, bit for bit,
/// with or without one. Given to a run by [`MonteCarlo::with_progress`](crate::uncertainty::MonteCarlo::with_progress);
/// any `Fn(usize) + Sync` is one.
///
/// # Example
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use offergraph::uncertainty::{MonteCarlo, Progress};
/// static DONE: AtomicUsize = AtomicUsize::new(0);
/// struct Count;
/// impl Progress for Count {
///     fn advance(&self, draws: usize) {
///         DONE.fetch_add(draws, Ordering::Relaxed);
///     }
/// }
/// let plan = offergraph::sample::apartments()?;
/// let options = MonteCarlo::new().with_draws(1_000).with_progress(&Count);
/// offergraph::uncertainty::Uncertainty::new().simulate(&plan, options)?;
/// assert_eq!(DONE.load(Ordering::Relaxed), 1_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Progress: Sync {
    /// `draws` more draws are done.
    ///
    /// ```
    /// use offergraph::uncertainty::Progress;
    /// let seen = std::sync::Mutex::new(Vec::new());
    /// let observer = |draws: usize| seen.lock().unwrap().push(draws);
    /// observer.advance(256);
    /// assert_eq!(*seen.lock().unwrap(), [256]);
    /// ```
    fn advance(&self, draws: usize);
}

impl<F: Fn(usize) + Sync> Progress for F {
    fn advance(&self, draws: usize) {
        self(draws);
    }
}

/// Tells `progress`, when there is one, that `draws` more draws are done.
pub(crate) fn advance(progress: Option<&dyn Progress>, draws: usize) {
    if let Some(p) = progress {
        p.advance(draws);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::Progress;
    use crate::PartKind;
    use crate::time::{Horizon, Lag, TimeModel};
    use crate::uncertainty::{Distribution, Entry, MonteCarlo, Simulation, Uncertainty};

    /// A counter of its own for each run, for the program's life (a test's leak).
    fn counter() -> (&'static AtomicUsize, &'static dyn Progress) {
        let done: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
        let calls = Box::leak(Box::new(move |draws: usize| {
            done.fetch_add(draws, Ordering::Relaxed);
        }));
        (done, calls)
    }

    fn section() -> Uncertainty {
        let ln = |m, s| Distribution::log_normal(m, s).expect("valid");
        Uncertainty::new()
            .with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(ln(0.9, 0.3)))
            .with_part(PartKind::Offer, "2-room", Entry::new().with_deal_value(ln(90_000.0, 0.2)))
    }

    /// Every module's and the total's draws, as bits.
    fn bits(sim: &Simulation, plan: &crate::Plan) -> Vec<u64> {
        let mut all: Vec<u64> = sim
            .total_draws()
            .iter()
            .flat_map(|f| [f.spend, f.leads, f.deals, f.revenue, f.gross_profit])
            .map(f64::to_bits)
            .collect();
        for m in plan.modules() {
            let draws = sim.module_draws(plan, m.key()).expect("a module");
            all.extend(draws.iter().flat_map(|f| [f.leads, f.deals, f.gross_profit]).map(f64::to_bits));
        }
        all
    }

    #[test]
    fn the_observer_sees_every_draw_and_changes_no_number() {
        let plan = crate::sample::apartments().expect("sample");
        let time = TimeModel::new(Horizon::weeks(6).expect("weeks"))
            .with_default_lag(Lag::geometric(2.0).expect("lag"));
        // Not a multiple of the sampling blocks, so the last block is short.
        let plain = MonteCarlo::new().with_draws(1_537).with_seed(11);
        for u in [section(), Uncertainty::new()] {
            let (done, observer) = counter();
            let watched = u.simulate(&plan, plain.with_progress(observer)).expect("runs");
            assert_eq!(done.load(Ordering::Relaxed), 1_537);
            let alone = u.simulate(&plan, plain).expect("runs");
            assert_eq!(bits(&watched, &plan), bits(&alone, &plan));
            assert_eq!(watched.report(&plan).expect("report"), alone.report(&plan).expect("report"));

            let (done, observer) = counter();
            let watched = u.simulate_over_time(&plan, &time, plain.with_progress(observer)).expect("runs");
            assert_eq!(done.load(Ordering::Relaxed), 1_537);
            let alone = u.simulate_over_time(&plan, &time, plain).expect("runs");
            assert_eq!(bits(&watched, &plan), bits(&alone, &plan));
        }
    }

    #[test]
    fn a_run_that_fails_at_the_start_tells_nothing() {
        let plan = crate::sample::apartments().expect("sample");
        let (done, observer) = counter();
        let options = MonteCarlo::new().with_draws(0).with_progress(observer);
        assert!(section().simulate(&plan, options).is_err());
        assert_eq!(done.load(Ordering::Relaxed), 0);
    }
}
