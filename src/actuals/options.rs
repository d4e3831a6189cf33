//! [`DiagnoseOptions`]: the prior's strength, the discount of older periods, what counts as
//! worse than plan and how sure a call must be, and the target ROMI.

use crate::error::ActualsError;
use crate::numerics::{ranges, tol};

/// Options of [`Diagnosis::new`](crate::actuals::Diagnosis::new); every default is in
/// `docs/actuals.md`.
///
/// # Example
/// ```
/// use offergraph::actuals::DiagnoseOptions;
/// let o = DiagnoseOptions::new().with_target_romi(0.3).with_discount(0.9);
/// assert_eq!((o.target_romi(), o.discount(), o.shortfall()), (0.3, 0.9, 0.1));
/// assert_eq!(o.prior_periods(), 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiagnoseOptions {
    prior_periods: f64,
    discount: f64,
    shortfall: f64,
    probability: f64,
    target_romi: f64,
    deal_value_sigma: f64,
}

impl Default for DiagnoseOptions {
    fn default() -> Self {
        DiagnoseOptions::new()
    }
}

macro_rules! option {
    ($(#[$doc:meta])* $with:ident, $get:ident, $field:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $with(mut self, value: f64) -> DiagnoseOptions {
            self.$field = value;
            self
        }

        #[doc = concat!("The `", stringify!($field), "` option.")]
        ///
        /// ```
        /// let o = offergraph::actuals::DiagnoseOptions::new();
        #[doc = concat!("assert!(o.", stringify!($get), "().is_finite());")]
        /// ```
        pub fn $get(&self) -> f64 {
            self.$field
        }
    };
}

impl DiagnoseOptions {
    /// The defaults: a prior worth `ACTUALS_PRIOR_PERIODS` (1) period of the plan's volume, no discount, worse than
    /// plan by more than 10%, sure at probability 0.9, target ROMI 0, deal values spread by a
    /// log-sd of 0.5.
    ///
    /// ```
    /// let o = offergraph::actuals::DiagnoseOptions::new();
    /// assert_eq!((o.probability(), o.target_romi(), o.deal_value_sigma()), (0.9, 0.0, 0.5));
    /// ```
    pub fn new() -> DiagnoseOptions {
        DiagnoseOptions {
            prior_periods: tol::ACTUALS_PRIOR_PERIODS,
            discount: 1.0,
            shortfall: tol::WEAK_LINK_SHORTFALL,
            probability: tol::WEAK_LINK_PROBABILITY,
            target_romi: 0.0,
            deal_value_sigma: tol::DEAL_VALUE_SIGMA,
        }
    }

    option!(
        /// Sets the prior's strength in periods of the plan's own evidence (in `(0, 1000]`).
        ///
        /// ```
        /// assert_eq!(offergraph::actuals::DiagnoseOptions::new().with_prior_periods(4.0).prior_periods(), 4.0);
        /// ```
        with_prior_periods, prior_periods, prior_periods
    );
    option!(
        /// Sets the weight of a period's evidence per period of age (in `(0, 1]`; 1: no discount,
        /// 0.8: last week's data weighs 0.8 of this week's).
        ///
        /// ```
        /// assert_eq!(offergraph::actuals::DiagnoseOptions::new().with_discount(0.8).discount(), 0.8);
        /// ```
        with_discount, discount, discount
    );
    option!(
        /// Sets the shortfall beyond which a link counts as worse than plan (in `(0, 1)`; 0.1:
        /// 10% worse).
        ///
        /// ```
        /// assert_eq!(offergraph::actuals::DiagnoseOptions::new().with_shortfall(0.2).shortfall(), 0.2);
        /// ```
        with_shortfall, shortfall, shortfall
    );
    option!(
        /// Sets the probability at which a link is named weak and a verdict counts as sure (in
        /// `(0.5, 1)`).
        ///
        /// ```
        /// assert_eq!(offergraph::actuals::DiagnoseOptions::new().with_probability(0.95).probability(), 0.95);
        /// ```
        with_probability, probability, probability
    );
    option!(
        /// Sets the target full-cycle ROMI (a fraction: 0.3 = 30%; see
        /// [`ranges::TARGET_ROMI`]).
        ///
        /// ```
        /// assert_eq!(offergraph::actuals::DiagnoseOptions::new().with_target_romi(1.3).target_romi(), 1.3);
        /// ```
        with_target_romi, target_romi, target_romi
    );
    option!(
        /// Sets the spread of one deal's value, the standard deviation of its log (in `(0, 5]`).
        ///
        /// ```
        /// assert_eq!(offergraph::actuals::DiagnoseOptions::new().with_deal_value_sigma(1.0).deal_value_sigma(), 1.0);
        /// ```
        with_deal_value_sigma, deal_value_sigma, deal_value_sigma
    );

    /// Checks every option against its range.
    ///
    /// # Errors
    /// [`ActualsError::InvalidOption`] naming the first option out of range.
    ///
    /// ```
    /// let err = offergraph::actuals::DiagnoseOptions::new().with_discount(0.0).check().unwrap_err();
    /// assert_eq!(err.to_string(), "diagnosis option discount must be a number in (0, 1], found 0");
    /// ```
    pub fn check(&self) -> Result<(), ActualsError> {
        let open = |x: f64, lo: f64, hi: f64| x > lo && x < hi;
        let half = |x: f64, lo: f64, hi: f64| x > lo && x <= hi;
        let checks: [(&'static str, f64, bool, &'static str); 6] = [
            (
                "prior_periods",
                self.prior_periods,
                half(self.prior_periods, 0.0, 1e3),
                "a number in (0, 1000]",
            ),
            ("discount", self.discount, half(self.discount, 0.0, 1.0), "a number in (0, 1]"),
            ("shortfall", self.shortfall, open(self.shortfall, 0.0, 1.0), "a number in (0, 1)"),
            ("probability", self.probability, open(self.probability, 0.5, 1.0), "a number in (0.5, 1)"),
            (
                "target_romi",
                self.target_romi,
                ranges::TARGET_ROMI.contains(self.target_romi),
                ranges::TARGET_ROMI.expected(),
            ),
            (
                "deal_value_sigma",
                self.deal_value_sigma,
                half(self.deal_value_sigma, 0.0, 5.0),
                "a number in (0, 5]",
            ),
        ];
        match checks.into_iter().find(|c| !c.2) {
            Some((option, found, _, expected)) => {
                Err(ActualsError::InvalidOption { option, found, expected })
            }
            None => Ok(()),
        }
    }
}
