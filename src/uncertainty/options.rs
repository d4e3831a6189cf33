//! [`MonteCarlo`]: the options of a run (draws, seed, target ROMI).

/// How a Monte Carlo run is made: the number of draws, the seed and the target ROMI whose
/// shortfall probability it reports. Defaults: 10 000 draws, seed 0, target 0 (so the shortfall
/// probability is the probability of a loss).
///
/// # Example
/// ```
/// use offergraph::uncertainty::MonteCarlo;
/// let options = MonteCarlo::new().with_draws(2_000).with_seed(7).with_target_romi(0.3);
/// assert_eq!((options.draws(), options.seed(), options.target_romi()), (2_000, 7, 0.3));
/// assert_eq!(MonteCarlo::default().draws(), 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarlo {
    draws: usize,
    seed: u64,
    target_romi: f64,
}

impl Default for MonteCarlo {
    fn default() -> MonteCarlo {
        MonteCarlo { draws: 10_000, seed: 0, target_romi: 0.0 }
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
}
