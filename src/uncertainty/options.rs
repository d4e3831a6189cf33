//! [`MonteCarlo`]: the options of a run (draws, seed, target ROMI, an observer of its progress).

use crate::uncertainty::progress::Progress;

/// How a Monte Carlo run is made: the number of draws, the seed and the target ROMI whose
/// shortfall probability it reports. Defaults: 10 000 draws, seed 0, target 0 (so the shortfall
/// probability is the probability of a loss), no [`Progress`] observer.
///
/// Two options are equal when their draws, seed and target ROMI are: an observer changes no
/// number of a run, so it is left out of the comparison (and shown only as present or not by
/// `Debug`).
///
/// # Example
/// ```
/// use offergraph::uncertainty::MonteCarlo;
/// let options = MonteCarlo::new().with_draws(2_000).with_seed(7).with_target_romi(0.3);
/// assert_eq!((options.draws(), options.seed(), options.target_romi()), (2_000, 7, 0.3));
/// assert_eq!(MonteCarlo::default().draws(), 10_000);
/// ```
#[derive(Clone, Copy)]
pub struct MonteCarlo {
    draws: usize,
    seed: u64,
    target_romi: f64,
    progress: Option<&'static dyn Progress>,
}

impl Default for MonteCarlo {
    fn default() -> MonteCarlo {
        MonteCarlo { draws: 10_000, seed: 0, target_romi: 0.0, progress: None }
    }
}

impl PartialEq for MonteCarlo {
    fn eq(&self, other: &MonteCarlo) -> bool {
        (self.draws, self.seed, self.target_romi) == (other.draws, other.seed, other.target_romi)
    }
}

impl std::fmt::Debug for MonteCarlo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MonteCarlo")
            .field("draws", &self.draws)
            .field("seed", &self.seed)
            .field("target_romi", &self.target_romi)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

crate::model::setters! {
    MonteCarlo {
        /// The options with `draws` draws (checked when the run starts: an integer in
        /// `[1, MAX_DRAWS]`).
        ///
        /// ```
        /// assert_eq!(offergraph::uncertainty::MonteCarlo::new().with_draws(500).draws(), 500);
        /// ```
        with_draws(draws: usize) sets draws;
        /// The options with seed `seed`: the same seed gives the same draws, bit for bit.
        ///
        /// ```
        /// assert_eq!(offergraph::uncertainty::MonteCarlo::new().with_seed(42).seed(), 42);
        /// ```
        with_seed(seed: u64) sets seed;
        /// The options with target ROMI `target` (a fraction, 0.3 = 30%; checked when the run
        /// starts against [`TARGET_ROMI`](crate::ranges::TARGET_ROMI)).
        ///
        /// ```
        /// assert_eq!(offergraph::uncertainty::MonteCarlo::new().with_target_romi(1.0).target_romi(), 1.0);
        /// ```
        with_target_romi(target: f64) sets target_romi;
    }
}

impl MonteCarlo {
    /// The defaults: 10 000 draws, seed 0, target ROMI 0.
    ///
    /// ```
    /// assert_eq!(offergraph::uncertainty::MonteCarlo::new().seed(), 0);
    /// ```
    pub fn new() -> MonteCarlo {
        MonteCarlo::default()
    }

    /// Number of draws.
    ///
    /// ```
    /// assert_eq!(offergraph::uncertainty::MonteCarlo::new().draws(), 10_000);
    /// ```
    pub fn draws(&self) -> usize {
        self.draws
    }

    /// The seed.
    ///
    /// ```
    /// assert_eq!(offergraph::uncertainty::MonteCarlo::new().seed(), 0);
    /// ```
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The target ROMI.
    ///
    /// ```
    /// assert_eq!(offergraph::uncertainty::MonteCarlo::new().target_romi(), 0.0);
    /// ```
    pub fn target_romi(&self) -> f64 {
        self.target_romi
    }

    /// The options with `progress` told of the draws as they are done (see [`Progress`]): a
    /// progress bar for a long run. The observer is borrowed for the program's life so that the
    /// options stay `Copy`: a `static`, a function, or a leaked box. It changes no number of the
    /// run. [`Uncertainty::optimize`](crate::uncertainty::Uncertainty::optimize) does not report.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use offergraph::uncertainty::{MonteCarlo, Uncertainty};
    /// static CALLS: AtomicUsize = AtomicUsize::new(0);
    /// fn tick(_draws: usize) {
    ///     CALLS.fetch_add(1, Ordering::Relaxed);
    /// }
    /// let plan = offergraph::sample::apartments()?;
    /// let plain = MonteCarlo::new().with_draws(600);
    /// let watched = plain.with_progress(&tick);
    /// assert!(watched.progress().is_some() && plain.progress().is_none());
    /// assert_eq!(watched, plain); // the observer is not part of the options' value
    /// let sim = Uncertainty::new().simulate(&plan, watched)?;
    /// assert!(CALLS.load(Ordering::Relaxed) >= 1);
    /// assert_eq!(sim.total().profit, Uncertainty::new().simulate(&plan, plain)?.total().profit);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_progress(mut self, progress: &'static dyn Progress) -> MonteCarlo {
        self.progress = Some(progress);
        self
    }

    /// The observer of the run's progress, if any.
    ///
    /// ```
    /// assert!(offergraph::uncertainty::MonteCarlo::new().progress().is_none());
    /// ```
    pub fn progress(&self) -> Option<&'static dyn Progress> {
        self.progress
    }
}
