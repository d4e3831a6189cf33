//! An allocation and a plan optimum as data, with the keys and ids of the plan's modules.

use serde::{Deserialize, Serialize};

use crate::Plan;
use crate::budget::{Allocation, PlanOptimum};
use crate::error::ReportError;
use crate::model::ids::ModuleId;
use crate::optimize::{ShadowPrice, Status};

/// An [`Allocation`] as data: each module's key, id and spend, and the total. Made by
/// [`Allocation::report`]; reads back from its JSON to an equal value.
///
/// ```
/// let plan = offergraph::sample::apartments()?;
/// let report = plan.allocate()?.report(&plan)?;
/// let json = serde_json::to_string(&report)?;
/// assert!(json.starts_with(r#"{"plan":"apartments-june","modules":[{"key":"families/playground/2-room/search","id":"#));
/// assert_eq!(serde_json::from_str::<offergraph::results::AllocationReport>(&json)?, report);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AllocationReport {
    /// The plan's name.
    pub plan: String,
    /// Every module in plan order.
    pub modules: Vec<SpendReport>,
    /// Total spend.
    pub total: f64,
}

/// One module's spend in an [`AllocationReport`].
///
/// ```
/// let plan = offergraph::sample::apartments()?;
/// let m = &plan.allocate()?.report(&plan)?.modules[0];
/// assert_eq!(m.spend, plan.allocate()?.spend()[0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SpendReport {
    /// The module's key.
    pub key: String,
    /// The module's id.
    pub id: ModuleId,
    /// Its spend.
    pub spend: f64,
}

impl Allocation {
    /// This allocation as data, with the keys and ids of `plan`'s modules.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when the allocation was not made for `plan` as it is.
    ///
    /// ```
    /// let plan = offergraph::sample::apartments()?;
    /// assert_eq!(plan.allocate()?.report(&plan)?.modules.len(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, plan: &Plan) -> Result<AllocationReport, ReportError> {
        self.check(plan)?;
        let modules = plan
            .modules()
            .zip(self.spend())
            .map(|(m, &spend)| SpendReport { key: m.key().to_owned(), id: m.id(), spend })
            .collect();
        Ok(AllocationReport { plan: plan.name().to_owned(), modules, total: self.total() })
    }
}

/// A [`PlanOptimum`] as data: the status, the objective and its certified bound, each module's
/// spend, leads and marginal ROMI by key, and every shadow price with its constraint. Made by
/// [`PlanOptimum::report`]; reads back from its JSON to an equal value.
///
/// ```
/// use offergraph::{optimize::Objective, OptimizePolicy};
/// let plan = offergraph::sample::apartments()?;
/// let report = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit))?.report(&plan)?;
/// let json = serde_json::to_value(&report)?;
/// assert_eq!(json["status"], "optimal");
/// assert_eq!(json["shadow_prices"][0]["constraint"]["kind"], "budget");
/// assert_eq!(serde_json::from_value::<offergraph::results::OptimumReport>(json)?, report);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OptimumReport {
    /// The plan's name.
    pub plan: String,
    /// How the solve ended.
    pub status: Status,
    /// The objective's value.
    pub objective: f64,
    /// Its proven upper bound.
    pub upper_bound: f64,
    /// Branch-and-bound nodes explored.
    pub nodes: usize,
    /// Every module in plan order.
    pub modules: Vec<OptimumModuleReport>,
    /// Total spend.
    pub total_spend: f64,
    /// Every multiplier with its constraint.
    pub shadow_prices: Vec<ShadowPrice>,
}

/// One module of an [`OptimumReport`].
///
/// ```
/// use offergraph::{optimize::Objective, OptimizePolicy};
/// let plan = offergraph::sample::apartments()?;
/// let report = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit))?.report(&plan)?;
/// // At the optimum every funded module's next unit returns the same: the budget's price.
/// let price = report.shadow_prices[0].value;
/// assert!(report.modules.iter().filter(|m| m.spend > 0.0).all(|m| (m.marginal_romi.unwrap() - price).abs() < 1e-6));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OptimumModuleReport {
    /// The module's key.
    pub key: String,
    /// The module's id.
    pub id: ModuleId,
    /// Its spend.
    pub spend: f64,
    /// Its leads at that spend.
    pub leads: f64,
    /// Its marginal ROMI (`None` where the slope is unbounded).
    pub marginal_romi: Option<f64>,
}

impl PlanOptimum {
    /// This optimum as data, with the keys and ids of `plan`'s modules.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when the optimum was not made for `plan` as it is.
    ///
    /// ```
    /// use offergraph::{optimize::Objective, OptimizePolicy};
    /// let plan = offergraph::sample::apartments()?;
    /// let best = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit))?;
    /// assert_eq!(best.report(&plan)?.objective, best.solution().objective);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, plan: &Plan) -> Result<OptimumReport, ReportError> {
        let s = self.solution();
        let spend = self.allocation().report(plan)?;
        let modules = spend
            .modules
            .into_iter()
            .enumerate()
            .map(|(i, m)| OptimumModuleReport {
                key: m.key,
                id: m.id,
                spend: m.spend,
                leads: s.leads[i],
                marginal_romi: s.marginal_romi[i],
            })
            .collect();
        Ok(OptimumReport {
            plan: spend.plan,
            status: s.status,
            objective: s.objective,
            upper_bound: s.upper_bound,
            nodes: s.nodes,
            modules,
            total_spend: spend.total,
            shadow_prices: self.shadow_prices().to_vec(),
        })
    }
}
