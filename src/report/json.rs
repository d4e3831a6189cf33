//! Results as data: figures written with their ratios, and an evaluation written with its
//! modules' keys and ids ([`EvaluationReport`]), so a JSON reader needs nothing else.

use serde::{Deserialize, Serialize};

use crate::Plan;
use crate::error::ReportError;
use crate::model::ids::ModuleId;
use crate::report::evaluate::Evaluation;
use crate::report::figures::{Figures, ModuleFigures};

/// How [`Figures`] are written: the stored sums and the ratios computed from them (`null` where a
/// ratio is undefined). Reading takes the sums and recomputes the ratios.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct FiguresJson {
    spend: f64,
    leads: f64,
    deals: f64,
    revenue: f64,
    gross_profit: f64,
    #[serde(default, skip_deserializing)]
    profit: f64,
    #[serde(default, skip_deserializing)]
    cpl: Option<f64>,
    #[serde(default, skip_deserializing)]
    romi: Option<f64>,
    #[serde(default, skip_deserializing)]
    roas: Option<f64>,
}

impl From<Figures> for FiguresJson {
    fn from(f: Figures) -> FiguresJson {
        FiguresJson {
            spend: f.spend,
            leads: f.leads,
            deals: f.deals,
            revenue: f.revenue,
            gross_profit: f.gross_profit,
            profit: f.profit(),
            cpl: f.cpl(),
            romi: f.romi(),
            roas: f.roas(),
        }
    }
}

impl From<FiguresJson> for Figures {
    fn from(f: FiguresJson) -> Figures {
        Figures {
            spend: f.spend,
            leads: f.leads,
            deals: f.deals,
            revenue: f.revenue,
            gross_profit: f.gross_profit,
        }
    }
}

/// How [`ModuleFigures`] are written: the module's figures, the slope (`null` where unbounded)
/// and the marginal CPL and ROMI computed from it.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct ModuleFiguresJson {
    active: bool,
    figures: Figures,
    marginal_leads: Option<f64>,
    #[serde(default, skip_deserializing)]
    marginal_cpl: Option<f64>,
    #[serde(default, skip_deserializing)]
    marginal_romi: Option<f64>,
    value_per_lead: f64,
}

impl From<ModuleFigures> for ModuleFiguresJson {
    fn from(m: ModuleFigures) -> ModuleFiguresJson {
        ModuleFiguresJson {
            active: m.active,
            figures: m.figures,
            marginal_leads: m.marginal_leads(),
            marginal_cpl: m.marginal_cpl(),
            marginal_romi: m.marginal_romi(),
            value_per_lead: m.value_per_lead,
        }
    }
}

impl From<ModuleFiguresJson> for ModuleFigures {
    fn from(m: ModuleFiguresJson) -> ModuleFigures {
        // `null` is written only for an unbounded slope.
        let slope = m.marginal_leads.unwrap_or(f64::INFINITY);
        ModuleFigures { active: m.active, figures: m.figures, slope, value_per_lead: m.value_per_lead }
    }
}

/// An [`Evaluation`] as data: the plan's name, every module with its key, id and figures (CPL,
/// ROMI, ROAS, marginal CPL and ROMI included), and the total. Made by [`Evaluation::report`];
/// reads back from its JSON to an equal value.
///
/// ```
/// let plan = offergraph::sample::apartments()?;
/// let report = plan.evaluate()?.report(&plan)?;
/// let json = serde_json::to_value(&report)?;
/// assert_eq!(json["modules"][0]["key"], "families/playground/2-room/search");
/// assert!(json["modules"][0]["marginal_romi"].as_f64().unwrap() > 0.0);
/// assert!(json["total"]["romi"].as_f64().unwrap() > 0.0);
/// let back: offergraph::results::EvaluationReport = serde_json::from_value(json)?;
/// assert_eq!(back, report);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EvaluationReport {
    /// The plan's name.
    pub plan: String,
    /// Every module in plan order.
    pub modules: Vec<ModuleReport>,
    /// Totals over all modules.
    pub total: Figures,
}

/// One module of an [`EvaluationReport`].
///
/// ```
/// let plan = offergraph::sample::apartments()?;
/// let m = &plan.evaluate()?.report(&plan)?.modules[0];
/// assert_eq!(m.id, offergraph::ids::ModuleId::from_key(&m.key));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ModuleReport {
    /// The module's key.
    pub key: String,
    /// The module's id.
    pub id: ModuleId,
    /// Its figures (written flat beside the key).
    #[serde(flatten)]
    pub figures: ModuleFigures,
}

impl Evaluation {
    /// This evaluation as data, with the keys and ids of `plan`'s modules.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when the evaluation was not made for `plan` as it is.
    ///
    /// ```
    /// let mut plan = offergraph::sample::apartments()?;
    /// let eval = plan.evaluate()?;
    /// plan.remove_module("investors/yield/1-room/outdoor")?;
    /// assert_eq!(eval.report(&plan).unwrap_err().to_string(), "the evaluation was made for another set of modules than the plan has now; make it again after changing the plan");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, plan: &Plan) -> Result<EvaluationReport, ReportError> {
        let modules = self
            .iter(plan)?
            .map(|(m, f)| ModuleReport { key: m.key().to_owned(), id: m.id(), figures: *f })
            .collect();
        Ok(EvaluationReport { plan: plan.name().to_owned(), modules, total: *self.total() })
    }
}
