//! Writing what the actuals taught back into the plan: calibrated values with P10/P50/P90, the
//! medians as measured overrides, and the posteriors as the uncertainty section's entries.

use crate::actuals::diagnose::{Diagnosis, ModuleDiagnosis};
use crate::actuals::posterior::{Posterior, Quantiles, Z90};
use crate::error::ActualsError;
use crate::numerics::ranges;
use crate::uncertainty::{Distribution, Entry, Uncertainty};
use crate::{Overrides, Plan};

/// A module's calibrated values, each with P10/P50/P90.
///
/// ```
/// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
/// # let plan = offergraph::sample::apartments()?;
/// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,18000,8,1,95000\n";
/// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new())?;
/// let c = d.modules()[0].calibrated();
/// assert!(c.lead_scale.p10 < c.lead_scale.p50 && c.lead_scale.p50 < c.lead_scale.p90);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Calibrated {
    /// Multiplier on the module's curve.
    pub lead_scale: Quantiles,
    /// Lead→deal conversion.
    pub conversion: Quantiles,
    /// Mean revenue per deal.
    pub deal_value: Quantiles,
}

impl ModuleDiagnosis {
    /// The calibrated values with P10/P50/P90 (the posteriors' quantiles; their distributions
    /// are [`lead_scale`](ModuleDiagnosis::lead_scale), [`conversion`](ModuleDiagnosis::conversion)
    /// and [`deal_value`](ModuleDiagnosis::deal_value)).
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,18000,8,1,95000\n";
    /// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new())?;
    /// let m = &d.modules()[0];
    /// assert_eq!(m.calibrated().conversion.p50, m.conversion.quantile(0.5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn calibrated(&self) -> Calibrated {
        Calibrated {
            lead_scale: self.lead_scale.quantiles(),
            conversion: self.conversion.quantiles(),
            deal_value: self.deal_value.quantiles(),
        }
    }
}

impl Diagnosis {
    /// Writes the calibrated medians into the plan as measured overrides of every module with
    /// data: its curve scaled by the lead scale's P50, and the P50 conversion and deal value
    /// (margin and any override the actuals do not inform stay). Modules without data are left
    /// alone. The plan saves and loads as usual; diagnosing it again centres the priors on what
    /// was learned.
    ///
    /// # Errors
    /// [`ActualsError::Stale`] when the plan changed since the diagnosis;
    /// [`ActualsError::CalibratedCurve`] when a module's lead scale would take its curve out of
    /// the range a plan file accepts (the plan is then left as it was); model errors (never for
    /// values within the accepted ranges, to which the medians are clamped).
    ///
    /// ```
    /// use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// let mut plan = offergraph::sample::apartments()?;
    /// let key = "families/playground/2-room/search";
    /// let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},18000,8,0,0\n");
    /// let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", &csv, &plan, None)?, DiagnoseOptions::new())?;
    /// let conversion = d.module(&plan, key)?.conversion.quantile(0.5);
    /// d.calibrate(&mut plan)?;
    /// assert_eq!(plan.module(key)?.overrides().conversion, Some(conversion));
    /// assert!(plan.module("investors/yield/1-room/outdoor")?.overrides().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn calibrate(&self, plan: &mut Plan) -> Result<(), ActualsError> {
        if plan.revision() != self.revision {
            return Err(ActualsError::Stale);
        }
        // Every module's overrides are made before any is written, so a refusal leaves the
        // plan as it was.
        let mut calibrated = Vec::new();
        for m in self.modules.iter().filter(|m| m.periods > 0) {
            let module = plan.module(&m.key)?;
            let scale = applied_scale(&m.lead_scale);
            let curve =
                module.economics().curve.scaled_by(scale).and_then(|c| c.checked()).map_err(|source| {
                    ActualsError::CalibratedCurve { module: m.key.clone(), scale, source }
                })?;
            let overrides = Overrides {
                curve: Some(curve),
                conversion: Some(in_range(m.conversion.quantile(0.5), ranges::RATE)),
                deal_value: Some(in_range(m.deal_value.quantile(0.5), ranges::MONEY)),
                ..module.overrides().clone()
            };
            calibrated.push((&m.key, overrides));
        }
        for (key, overrides) in calibrated {
            plan.set_overrides(key, overrides)?;
        }
        // Edits of overrides keep the set and order of modules, hence the revision; the
        // diagnosis stays valid for the plan.
        Ok(())
    }

    /// Writes the posteriors into an uncertainty section, for the plan as [`Diagnosis::calibrate`]
    /// leaves it: every module with data gets its own entry (its other fields, such as a margin,
    /// stay; modules without data and part entries are left alone), see
    /// [`ModuleDiagnosis::calibrated_entry`]. The lead scale is relative to the calibrated curve,
    /// which already carries its median: give the section to the calibrated plan, never to the
    /// plan as it was. [`Scenario::calibrate`](crate::Scenario::calibrate) does both at once.
    ///
    /// # Errors
    /// [`ActualsError::Stale`] when the plan's modules changed since the diagnosis.
    ///
    /// ```
    /// use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// use offergraph::uncertainty::{Distribution, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let key = "families/playground/2-room/search";
    /// let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},18000,8,1,95000\n");
    /// let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", &csv, &plan, None)?, DiagnoseOptions::new())?;
    /// let mut section = Uncertainty::new();
    /// d.calibrate_uncertainty(&plan, &mut section)?;
    /// assert_eq!(section.modules().count(), 1); // the one module with data
    /// let entry = section.module(key).unwrap();
    /// assert_eq!(entry.conversion, Some(d.module(&plan, key)?.calibrated_entry().conversion.unwrap()));
    /// assert!(matches!(entry.lead_scale, Some(Distribution::LogNormal { median: 1.0, .. })));
    /// section.check(&plan)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn calibrate_uncertainty(&self, plan: &Plan, section: &mut Uncertainty) -> Result<(), ActualsError> {
        if plan.revision() != self.revision {
            return Err(ActualsError::Stale);
        }
        for m in self.modules.iter().filter(|m| m.periods > 0) {
            let learned = m.calibrated_entry();
            let mut entry = section.module(&m.key).cloned().unwrap_or_default();
            entry.lead_scale = learned.lead_scale;
            entry.conversion = learned.conversion;
            entry.deal_value = learned.deal_value;
            *section = std::mem::take(section).with_module(m.key.clone(), entry);
        }
        Ok(())
    }
}

impl ModuleDiagnosis {
    /// The module's entry in a calibrated uncertainty section: its posteriors as the
    /// distributions a Monte Carlo draws (see `docs/actuals.md`, "The calibrated uncertainty
    /// section").
    ///
    /// - `lead_scale`: log-normal **relative to the calibrated curve**, which
    ///   [`Diagnosis::calibrate`] already scaled by the posterior's median `θ₅₀`: median
    ///   `θ₅₀ / θ₅₀ = 1`, and `sigma = ln(θ₉₀ / θ₁₀) / (2·z₀.₉)`, so the curve times a draw has
    ///   the posterior's median and the spread of its P10–P90 (a quantile match of the Gamma);
    /// - `conversion`: the posterior's own Beta (shapes above `1e6` are scaled down together,
    ///   keeping the mean);
    /// - `deal_value`: the posterior's own log-normal (an absolute value, as in the section).
    ///
    /// Parameters outside the section's ranges are clamped into them (a sigma into `[0, 5]`, a
    /// median into the field's range), so the entry always passes
    /// [`Uncertainty::check`](crate::uncertainty::Uncertainty::check).
    ///
    /// ```
    /// use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis, Posterior};
    /// use offergraph::uncertainty::Distribution;
    /// let plan = offergraph::sample::apartments()?;
    /// let key = "families/playground/2-room/search";
    /// let csv = format!("period,module,spend,leads,deals,revenue\n0,{key},18000,8,1,95000\n");
    /// let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", &csv, &plan, None)?, DiagnoseOptions::new())?;
    /// let m = d.module(&plan, key)?;
    /// let e = m.calibrated_entry();
    /// let Posterior::Beta { alpha, beta } = m.conversion else { unreachable!() };
    /// assert_eq!(e.conversion, Some(Distribution::Beta { alpha, beta }));
    /// let q = m.calibrated().lead_scale;
    /// let sigma = (q.p90 / q.p10).ln() / (2.0 * 1.2815515655446004);
    /// assert_eq!(e.lead_scale, Some(Distribution::log_normal(1.0, sigma)?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn calibrated_entry(&self) -> Entry {
        Entry::new()
            .with_lead_scale(relative_scale(&self.lead_scale))
            .with_conversion(rate(&self.conversion))
            .with_deal_value(money(&self.deal_value))
    }
}

/// The lead scale a calibrated curve carries: the posterior's median, within the accepted range.
fn applied_scale(lead_scale: &Posterior) -> f64 {
    lead_scale.quantile(0.5).clamp(ranges::LEAD_SCALE.min(), ranges::LEAD_SCALE.max())
}

/// The lead scale as a log-normal relative to the calibrated curve (median `θ₅₀ / applied`, 1
/// unless the median had to be clamped), with the P10–P90 spread of the posterior.
fn relative_scale(lead_scale: &Posterior) -> Distribution {
    let q = lead_scale.quantiles();
    let median = positive_in(q.p50 / applied_scale(lead_scale), ranges::LEAD_MULTIPLIER);
    let sigma = log_sigma((q.p90 / q.p10).ln() / (2.0 * Z90));
    Distribution::LogNormal { median, sigma }
}

/// A rate's posterior as a Beta: its own, with shapes scaled into `BETA_SHAPE` (the mean kept);
/// a posterior of another family, or a degenerate one, as its median, fixed.
fn rate(conversion: &Posterior) -> Distribution {
    match *conversion {
        Posterior::Beta { alpha, beta }
            if alpha > 0.0 && beta > 0.0 && alpha.is_finite() && beta.is_finite() =>
        {
            let shape = ranges::BETA_SHAPE;
            let down = (shape.max() / alpha.max(beta)).min(1.0);
            let inside = |x: f64| (x * down).clamp(shape.min(), shape.max());
            Distribution::Beta { alpha: inside(alpha), beta: inside(beta) }
        }
        _ => Distribution::Fixed { value: in_range(conversion.quantile(0.5), ranges::RATE) },
    }
}

/// A deal value's posterior as a log-normal: its own, or (another family) the log-normal with
/// its log-moments; the median within `MONEY`, the sigma within `LOG_SIGMA`.
fn money(deal_value: &Posterior) -> Distribution {
    let (median, sigma) = match *deal_value {
        Posterior::LogNormal { median, sigma } => (median, sigma),
        _ => deal_value.as_log_normal(),
    };
    Distribution::LogNormal { median: positive_in(median, ranges::MONEY), sigma: log_sigma(sigma) }
}

/// `x` within a range's positive part (its minimum for anything below, NaN included).
fn positive_in(x: f64, range: ranges::Range) -> f64 {
    if x >= range.min() { x.min(range.max()) } else { range.min() }
}

/// A standard deviation of a log within `LOG_SIGMA`: 0 stays 0, a tiny one is its minimum, an
/// infinite or unknown one (NaN) its maximum (the widest the section allows).
fn log_sigma(sigma: f64) -> f64 {
    let range = ranges::LOG_SIGMA;
    if sigma.is_nan() {
        range.max()
    } else if sigma <= 0.0 {
        0.0
    } else {
        sigma.clamp(range.min(), range.max())
    }
}

fn in_range(x: f64, range: ranges::Range) -> f64 {
    if range.contains(x) {
        x
    } else if x < range.min() {
        if range.allows_zero() { 0.0 } else { range.min() }
    } else {
        range.max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::special::normal_cdf;
    use proptest::prelude::*;

    /// The entry the helpers make from three posteriors.
    fn entry(lead_scale: Posterior, conversion: Posterior, deal_value: Posterior) -> Entry {
        Entry::new()
            .with_lead_scale(relative_scale(&lead_scale))
            .with_conversion(rate(&conversion))
            .with_deal_value(money(&deal_value))
    }

    fn passes(e: Entry) -> Result<(), String> {
        let plan = crate::sample::apartments().map_err(|e| e.to_string())?;
        Uncertainty::new()
            .with_module("families/playground/2-room/search", e)
            .check(&plan)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn extreme_posteriors_give_entries_the_section_accepts() {
        let cases = [
            // Almost no evidence: a Gamma whose P10 underflows to 0.
            (Posterior::Gamma { shape: 1e-300, rate: 1.0 }, Posterior::Beta { alpha: 1e-3, beta: 1e-3 }),
            // Millions of leads: shapes beyond the section's range.
            (Posterior::Gamma { shape: 1e12, rate: 1e12 }, Posterior::Beta { alpha: 2e9, beta: 8e9 }),
            (Posterior::Gamma { shape: f64::NAN, rate: 1.0 }, Posterior::Beta { alpha: f64::NAN, beta: 1.0 }),
        ];
        let values = [
            Posterior::LogNormal { median: 1e-30, sigma: 1e-9 },
            Posterior::LogNormal { median: 1e30, sigma: 40.0 },
            Posterior::LogNormal { median: f64::NAN, sigma: f64::NAN },
        ];
        for ((l, c), v) in cases.into_iter().zip(values) {
            assert_eq!(passes(entry(l, c, v)), Ok(()), "{l:?} {c:?} {v:?}");
        }
        // The mean of a Beta scaled into range is kept.
        let Distribution::Beta { alpha, beta } = rate(&Posterior::Beta { alpha: 2e9, beta: 8e9 }) else {
            panic!("beta")
        };
        assert_eq!((alpha, beta), (2.5e5, 1e6));
        // A median far below what a curve may carry (1e-24): the rest goes to the section's
        // median, clamped to its smallest, and the spread is the widest allowed.
        assert_eq!(
            relative_scale(&Posterior::Gamma { shape: 1e-300, rate: 1.0 }),
            Distribution::LogNormal { median: 1e-6, sigma: 5.0 }
        );
    }

    #[test]
    fn the_quantile_match_is_within_its_stated_bound() {
        // P(section draw below the Gamma's P10 or P90) against 0.1 and 0.9: within 0.065/√shape
        // (docs/actuals.md; 0.0616/√k at k = ½, 0.0497/√k at 30, 0.0480/√k from 10⁴ up), and
        // the bound is not loose by orders of magnitude.
        for shape in [0.5, 1.0, 3.0, 10.0, 30.0, 100.0, 1_000.0, 1e4, 1e6] {
            let g = Posterior::Gamma { shape, rate: shape };
            let Distribution::LogNormal { sigma, .. } = relative_scale(&g) else { panic!("log-normal") };
            let median = g.quantile(0.5);
            let cdf = |x: f64| normal_cdf((x / median).ln() / sigma);
            let worst = (cdf(g.quantile(0.1)) - 0.1).abs().max((cdf(g.quantile(0.9)) - 0.9).abs());
            assert!(worst <= 0.065 / shape.sqrt(), "shape {shape}: {worst}");
            assert!(worst >= 0.045 / shape.sqrt(), "shape {shape}: {worst}");
        }
    }

    proptest! {
        #[test]
        fn every_posterior_gives_an_entry_the_section_accepts(
            shape in 1e-6f64..1e9, rate_ in 1e-6f64..1e9,
            alpha in 1e-3f64..1e9, beta in 1e-3f64..1e9,
            median in 1e-9f64..1e18, sigma in 0.0f64..10.0,
        ) {
            let e = entry(
                Posterior::Gamma { shape, rate: rate_ },
                Posterior::Beta { alpha, beta },
                Posterior::LogNormal { median, sigma },
            );
            prop_assert_eq!(passes(e.clone()), Ok(()));
            // The relative lead scale is centred on the calibrated curve's median.
            let applied = applied_scale(&Posterior::Gamma { shape, rate: rate_ });
            if let Some(Distribution::LogNormal { median, .. }) = e.lead_scale {
                let m = Posterior::Gamma { shape, rate: rate_ }.quantile(0.5);
                if ranges::LEAD_MULTIPLIER.contains(m / applied) {
                    prop_assert!((median - 1.0).abs() <= 1e-12);
                }
            }
        }
    }
}
