//! [`Report`]: the diagnosis as the `diagnose` example prints it, fields in the documented order.

use crate::actuals::diagnose::Diagnosis;
use crate::actuals::posterior::Quantiles;

/// The diagnosis as one JSON object: `as_of_period` and the modules in plan order.
///
/// Serialise it with `serde_json`; the fields come out in the order listed here.
///
/// # Example
/// ```
/// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
/// # let plan = offergraph::sample::apartments()?;
/// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,18000,8,1,95000\n";
/// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new())?;
/// let json = serde_json::to_string(&d.to_report())?;
/// assert!(json.starts_with(r#"{"as_of_period":0,"modules":[{"key":"families/playground/2-room/search","verdict":"wait","weak_link":"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Report {
    /// The last period with data.
    pub as_of_period: usize,
    /// One entry per module, in plan order.
    pub modules: Vec<ReportModule>,
}

/// One module of a [`Report`].
///
/// ```
/// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
/// # let plan = offergraph::sample::apartments()?;
/// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,18000,8,1,95000\n";
/// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new())?;
/// let report = d.to_report();
/// // No data for the second module: its prior, no weak link, no spend to judge.
/// let second = &report.modules[1];
/// assert_eq!((second.weak_link, second.verdict, second.full_cycle_romi), ("none", "wait", None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ReportModule {
    /// The module's key.
    pub key: String,
    /// `keep`, `scale_up`, `scale_down`, `switch_off`, `replicate` or `wait`.
    pub verdict: &'static str,
    /// `none`, `delivery`, `cost`, `capacity`, `conversion` or `deal_value`.
    pub weak_link: &'static str,
    /// That the weak link is worse than plan by more than the shortfall option; for `none`, the
    /// largest such probability among the links.
    pub probability: f64,
    /// One line naming the link and the numbers.
    pub reason: String,
    /// Whether lead volume and cost per lead are stable.
    pub stable: bool,
    /// The lead scale, the multiplier on the curve.
    pub lead_scale: Quantiles,
    /// The conversion.
    pub conversion: Quantiles,
    /// Full-cycle ROMI as a fraction (1.3 = 130%); `None` (`null`) without spend.
    pub full_cycle_romi: Option<Quantiles>,
}

impl Diagnosis {
    /// The diagnosis as the `diagnose` example prints it (see [`Report`]).
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,18000,8,1,95000\n";
    /// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new())?;
    /// let report = d.to_report();
    /// assert_eq!(report.as_of_period, 0);
    /// assert_eq!(report.modules.len(), plan.module_count());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_report(&self) -> Report {
        let modules = self
            .modules
            .iter()
            .map(|m| ReportModule {
                key: m.key.clone(),
                verdict: m.verdict.name(),
                weak_link: m.weak_link.map_or("none", |l| l.name()),
                probability: m.probability,
                reason: m.reason.clone(),
                stable: m.stability.stable,
                lead_scale: m.lead_scale.quantiles(),
                conversion: m.conversion.quantiles(),
                full_cycle_romi: m.full_cycle_romi,
            })
            .collect();
        Report { as_of_period: self.as_of, modules }
    }
}

impl std::fmt::Display for Report {
    /// One row per module: verdict, weak link and its probability, stability, the lead scale's
    /// and the conversion's medians and full-cycle ROMI as P10/P50/P90; then each module's reason.
    ///
    /// ```
    /// # use offergraph::actuals::{Actuals, DiagnoseOptions, Diagnosis};
    /// # let plan = offergraph::sample::apartments()?;
    /// # let csv = "period,module,spend,leads,deals,revenue\n0,families/playground/2-room/search,18000,8,1,95000\n";
    /// # let d = Diagnosis::new(&plan, None, &Actuals::from_csv("w.csv", csv, &plan, None)?, DiagnoseOptions::new())?;
    /// let table = d.to_report().to_string();
    /// assert!(table.starts_with("as of period 0\nmodule"));
    /// let row = table.lines().find(|l| l.starts_with("families/playground/2-room/search ")).unwrap();
    /// assert_eq!(row.split_whitespace().nth(1), Some("wait"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::report::pct;
        writeln!(f, "as of period {}", self.as_of_period)?;
        let rows = self.modules.iter().map(|m| {
            let romi = m.full_cycle_romi.map_or_else(
                || "-".to_owned(),
                |q| format!("{} / {} / {}", pct(Some(q.p10)), pct(Some(q.p50)), pct(Some(q.p90))),
            );
            [
                m.key.clone(),
                m.verdict.to_owned(),
                m.weak_link.to_owned(),
                format!("{:.2}", m.probability),
                if m.stable { "yes" } else { "no" }.to_owned(),
                format!("{:.2}", m.lead_scale.p50),
                pct(Some(m.conversion.p50)),
                romi,
            ]
        });
        let header = [
            "module",
            "verdict",
            "weak link",
            "P",
            "stable",
            "lead scale",
            "conversion",
            "cycle ROMI P10/P50/P90",
        ];
        crate::report::write_table(f, header, rows)?;
        for m in &self.modules {
            writeln!(f, "{}: {}", m.key, m.reason)?;
        }
        Ok(())
    }
}
