//! Writing what the actuals taught back into the plan: calibrated values with P10/P50/P90 and
//! the medians as measured overrides.

use crate::actuals::diagnose::{Diagnosis, ModuleDiagnosis};
use crate::actuals::posterior::Quantiles;
use crate::error::ActualsError;
use crate::numerics::ranges;
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
    /// [`ActualsError::Stale`] when the plan changed since the diagnosis; curve and model errors
    /// (never for values within the accepted ranges, to which the medians are clamped).
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
        for m in &self.modules {
            if m.periods == 0 {
                continue;
            }
            let module = plan.module(&m.key)?;
            let theta = m.lead_scale.quantile(0.5).clamp(ranges::LEAD_SCALE.min(), ranges::LEAD_SCALE.max());
            let overrides = Overrides {
                curve: Some(module.economics().curve.scaled_by(theta)?),
                conversion: Some(in_range(m.conversion.quantile(0.5), ranges::RATE)),
                deal_value: Some(in_range(m.deal_value.quantile(0.5), ranges::MONEY)),
                ..module.overrides().clone()
            };
            plan.set_overrides(&m.key, overrides)?;
        }
        // Edits of overrides keep the set and order of modules, hence the revision; the
        // diagnosis stays valid for the plan.
        Ok(())
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
