//! The report as one self-contained HTML page (feature `report`): the plan table, each module's
//! response curve with its current and optimal spend, the allocation before and after
//! optimisation, rollups by channel and by every tag, and — when the scenario has them — the
//! weekly naive and full-cycle ROMI with the cohort heat map (time model), the diagnosis of
//! actuals with each module's weak link, and the P10–P90 bands of a seeded Monte Carlo
//! (uncertainty section). Sections that do not apply are left out with one line saying why.
//!
//! The page needs no network and no script: charts are inline SVG drawn by plotters, styles are
//! inline, every user string (keys, names, tags) is escaped. The same inputs give the same bytes.
//! [`Page`] is the single entry point; `docs/report.md` describes each section and its formulas.
//!
//! # Example
//! ```
//! use offergraph::Scenario;
//! use offergraph::page::Page;
//! let scenario = Scenario::new(offergraph::sample::apartments()?);
//! let html = Page::new(&scenario).render()?;
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! assert!(html.contains("<svg") && !html.contains("<script"));
//! // No time model: the weekly section says why it is left out.
//! assert!(html.contains("Left out: the scenario has no time model"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod charts;
mod format;
mod sections;

use crate::Scenario;
use crate::actuals::{Actuals, DiagnoseOptions};
use crate::error::Error;
use crate::model::policy::OptimizePolicy;
use crate::uncertainty::MonteCarlo;

/// Monte Carlo draws the page runs unless told otherwise: enough for stable P10 and P90 bands,
/// few enough that the page renders in well under a second.
///
/// ```
/// assert_eq!(offergraph::page::DEFAULT_DRAWS, 2_000);
/// ```
pub const DEFAULT_DRAWS: usize = 2_000;

/// The HTML report of a [`Scenario`], with optional actuals: a by-value builder, then
/// [`Page::render`].
///
/// What it computes:
/// - the plan as allocated by its own policy ([`Plan::evaluate`](crate::Plan::evaluate));
/// - the optimum of [`Page::with_policy`]'s policy, by default the plan's own optimizing policy
///   or else the most gross profit for the plan's budget spent exactly
///   ([`Plan::optimize`](crate::Plan::optimize));
/// - with a time model, the evaluation over time ([`Scenario::evaluate_time`]);
/// - with actuals, the [`Diagnosis`](crate::actuals::Diagnosis) under [`Page::with_diagnose_options`];
/// - with an uncertainty section, the Monte Carlo of [`Page::with_monte_carlo`] (default
///   [`DEFAULT_DRAWS`] draws, seed 0), full cycle over the time model when there is one.
///
/// # Example
/// ```
/// use offergraph::Scenario;
/// use offergraph::page::Page;
/// use offergraph::time::{Horizon, TimeModel};
/// let scenario = Scenario::new(offergraph::sample::apartments()?).with_time(TimeModel::new(Horizon::weeks(4)?))?;
/// let page = Page::new(&scenario).with_draws(500).with_seed(7);
/// let html = page.render()?;
/// assert!(html.contains("id=\"weekly\"") && html.contains("Cohorts"));
/// assert_eq!(html, page.render()?); // deterministic
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Page<'a> {
    scenario: &'a Scenario,
    actuals: Option<&'a Actuals>,
    diagnose: DiagnoseOptions,
    policy: Option<OptimizePolicy>,
    monte_carlo: MonteCarlo,
}

impl<'a> Page<'a> {
    /// The page of `scenario`, without actuals, with the default options.
    ///
    /// ```
    /// let scenario = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// let html = offergraph::page::Page::new(&scenario).render()?;
    /// assert!(html.contains("apartments"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(scenario: &'a Scenario) -> Page<'a> {
        Page {
            scenario,
            actuals: None,
            diagnose: DiagnoseOptions::new(),
            policy: None,
            monte_carlo: MonteCarlo::new().with_draws(DEFAULT_DRAWS),
        }
    }

    /// The Monte Carlo's number of draws (default [`DEFAULT_DRAWS`]).
    ///
    /// ```
    /// let scenario = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// assert_eq!(offergraph::page::Page::new(&scenario).with_draws(300).monte_carlo().draws(), 300);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_draws(mut self, draws: usize) -> Page<'a> {
        self.monte_carlo = self.monte_carlo.with_draws(draws);
        self
    }

    /// The Monte Carlo's seed (default 0): the same seed gives the same page.
    ///
    /// ```
    /// let scenario = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// assert_eq!(offergraph::page::Page::new(&scenario).with_seed(42).monte_carlo().seed(), 42);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Page<'a> {
        self.monte_carlo = self.monte_carlo.with_seed(seed);
        self
    }

    /// The Monte Carlo's options in force.
    ///
    /// ```
    /// let scenario = offergraph::Scenario::new(offergraph::sample::apartments()?);
    /// assert_eq!(offergraph::page::Page::new(&scenario).monte_carlo().seed(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn monte_carlo(&self) -> &MonteCarlo {
        &self.monte_carlo
    }

    /// Renders the page: one HTML document, UTF-8, with inline styles and SVG.
    ///
    /// # Errors
    /// The errors of what the page computes, in the variant of the layer that raised them:
    /// the plan's allocation or evaluation ([`Error::Budget`], [`Error::Report`]…), the time
    /// model's evaluation ([`Error::Time`]), the diagnosis ([`Error::Actuals`], for example
    /// actuals read for another plan, or an option out of range) and the Monte Carlo
    /// ([`Error::Uncertainty`], for example a number of draws out of range, naming the value and
    /// the range). A failed optimisation is not an error: the page says why it has no optimum.
    /// [`Error::Page`] when a chart cannot be drawn.
    ///
    /// ```
    /// let scenario = offergraph::Scenario::new(offergraph::sample::apartments()?)
    ///     .with_uncertainty(offergraph::uncertainty::Uncertainty::new().with_module(
    ///         "families/playground/2-room/search",
    ///         offergraph::uncertainty::Entry::new().with_lead_scale(offergraph::uncertainty::Distribution::log_normal(1.0, 0.2)?),
    ///     ))?;
    /// let err = offergraph::page::Page::new(&scenario).with_draws(0).render().unwrap_err();
    /// assert_eq!(err.to_string(), "draws must be an integer in [1, 1000000], found 0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render(&self) -> Result<String, Error> {
        let facts = sections::Facts::new(
            self.scenario,
            self.actuals,
            self.diagnose,
            self.policy.as_ref(),
            self.monte_carlo,
        )?;
        Ok(facts.write()?)
    }
}

crate::model::setters! {
    Page<'a> {
        /// Adds the diagnosis of `actuals` (read for this scenario's plan and time model).
        ///
        /// ```
        /// use offergraph::actuals::Actuals;
        /// let scenario = offergraph::Scenario::new(offergraph::sample::apartments()?);
        /// let key = "families/playground/2-room/search";
        /// let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},4500,20,3,285000\n");
        /// let actuals = Actuals::from_csv("w.csv", &csv, scenario.plan(), None)?;
        /// let html = offergraph::page::Page::new(&scenario).with_actuals(&actuals).render()?;
        /// assert!(html.contains("Weak link"));
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        with_actuals(actuals: &'a Actuals) sets Some(actuals);
        /// The policy whose optimum the page compares with the plan (see [`Page`] for the default).
        ///
        /// ```
        /// use offergraph::OptimizePolicy;
        /// use offergraph::optimize::Objective;
        /// let scenario = offergraph::Scenario::new(offergraph::sample::apartments()?);
        /// let html = offergraph::page::Page::new(&scenario).with_policy(OptimizePolicy::new(Objective::MaxProfit)).render()?;
        /// assert!(html.contains("max profit"));
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        with_policy(policy: OptimizePolicy) sets Some(policy);
    }
}

crate::model::setters! {
    Page<'a> {
        /// The options of the diagnosis (target ROMI, priors, thresholds).
        ///
        /// ```
        /// use offergraph::actuals::DiagnoseOptions;
        /// let scenario = offergraph::Scenario::new(offergraph::sample::apartments()?);
        /// let page = offergraph::page::Page::new(&scenario).with_diagnose_options(DiagnoseOptions::new().with_target_romi(0.5));
        /// assert!(page.render().is_ok());
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        with_diagnose_options(options: DiagnoseOptions) sets diagnose;
        /// The Monte Carlo's options (draws, seed, target ROMI), used when the scenario has an
        /// uncertainty section.
        ///
        /// ```
        /// use offergraph::uncertainty::MonteCarlo;
        /// let scenario = offergraph::Scenario::new(offergraph::sample::apartments()?);
        /// let page = offergraph::page::Page::new(&scenario).with_monte_carlo(MonteCarlo::new().with_draws(100).with_seed(1));
        /// assert_eq!(page.monte_carlo().draws(), 100);
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        with_monte_carlo(options: MonteCarlo) sets monte_carlo;
    }
}
