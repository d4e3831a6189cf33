//! Evaluation: figures per module and in total for an allocation.

use crate::Plan;
use crate::budget::Allocation;
use crate::curves::Curve;
use crate::error::{Error, ReportError};
use crate::report::figures::{Figures, ModuleFigures};

/// Figures of every module (in plan order) and their total.
///
/// # Example
/// ```
/// # let plan = offergraph::sample::apartments()?;
/// let eval = plan.evaluate()?;
/// let sum: f64 = eval.modules().iter().map(|m| m.figures.gross_profit).sum();
/// assert!((sum - eval.total().gross_profit).abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The plan revision it was made for.
    revision: u64,
    modules: Vec<ModuleFigures>,
    total: Figures,
}

impl Evaluation {
    /// Per-module figures in plan order (inactive modules included, with zero spend).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(plan.evaluate()?.modules().len(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modules(&self) -> &[ModuleFigures] {
        &self.modules
    }

    /// Totals over all modules.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert!((plan.evaluate()?.total().spend - 60_000.0).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn total(&self) -> &Figures {
        &self.total
    }

    /// Figures of one module by key.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when the plan has changed since the evaluation;
    /// [`ModelError::Unknown`](crate::error::ModelError::Unknown) for a missing module.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let eval = plan.evaluate()?;
    /// assert!(eval.module(&plan, "investors/yield/1-room/search")?.figures.leads > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, plan: &Plan, key: &str) -> Result<&ModuleFigures, Error> {
        self.check(plan)?;
        Ok(&self.modules[plan.index_of(key)?])
    }

    /// Each module of the plan with its figures, in plan order.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when the plan's modules changed since the evaluation.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let eval = plan.evaluate()?;
    /// let (best, _) = eval
    ///     .iter(&plan)?
    ///     .max_by(|a, b| a.1.figures.gross_profit.total_cmp(&b.1.figures.gross_profit))
    ///     .unwrap();
    /// assert_eq!(best.key(), "families/playground/3-room/social");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter<'a>(
        &'a self,
        plan: &'a Plan,
    ) -> Result<impl ExactSizeIterator<Item = (crate::Module<'a>, &'a ModuleFigures)>, ReportError> {
        self.check(plan)?;
        Ok(plan.modules().zip(&self.modules))
    }

    /// Checks that the evaluation still lines up with the plan's modules.
    pub(crate) fn check(&self, plan: &Plan) -> Result<(), ReportError> {
        if self.revision == plan.revision() && self.modules.len() == plan.module_count() {
            Ok(())
        } else {
            Err(ReportError::Stale { what: "evaluation" })
        }
    }
}

impl Plan {
    /// Allocates the budget by the plan's policy and evaluates the result.
    ///
    /// # Errors
    /// Any [`BudgetError`](crate::error::BudgetError) of [`Plan::allocate`].
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let eval = plan.evaluate()?;
    /// assert!(eval.total().romi().unwrap() > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(&self) -> Result<Evaluation, Error> {
        let alloc = self.allocate()?;
        Ok(self.evaluate_allocation(&alloc)?)
    }

    /// Evaluates a given allocation: per module `leads = r(s)`, `deals = leads·c`,
    /// `revenue = deals·p`, `GP = revenue·m`, and the marginal `r'(s)`.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when the allocation was made for another set of modules;
    /// [`ReportError::NotFinite`] naming the module whose figures cannot be computed (never for
    /// numbers within their accepted ranges).
    ///
    /// Complexity: `O(n)`, one curve value and derivative per module, no allocation besides the
    /// output.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let alloc = offergraph::Allocation::from_spend(&plan, vec![0.0; 6])?;
    /// assert_eq!(plan.evaluate_allocation(&alloc)?.total().leads, 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate_allocation(&self, alloc: &Allocation) -> Result<Evaluation, ReportError> {
        alloc.check(self)?;
        let mut total = Figures::default();
        let mut nan_slope = false;
        // Reads only the compact hot array: one linear scan, no hashing, no allocation but the
        // output.
        let modules: Vec<ModuleFigures> = self
            .hot()
            .iter()
            .zip(alloc.spend())
            .map(|(h, &spend)| {
                let e = &h.economics;
                let spend = if h.active { spend } else { 0.0 };
                let leads = e.curve.leads(spend);
                let figures = Figures::from_deals(spend, leads, leads * e.conversion, e.deal_value, e.margin);
                let slope = e.curve.derivative(spend);
                nan_slope |= slope.is_nan();
                total += figures;
                ModuleFigures {
                    active: h.active,
                    figures,
                    // An unbounded slope is a fact of the curve at zero spend (Hill, a < 1).
                    slope,
                    value_per_lead: e.value_per_lead(),
                }
            })
            .collect();
        // The figures are non-negative, so their sums are finite exactly when every term is: one
        // check for all, and the search for the culprit only when it fails.
        if nan_slope || total.first_not_finite().is_some() {
            return Err(self.first_not_finite(&modules));
        }
        Ok(Evaluation { revision: self.revision(), modules, total })
    }

    /// The module whose figures or slope are not finite, as an error naming it.
    fn first_not_finite(&self, modules: &[ModuleFigures]) -> ReportError {
        for (i, (m, h)) in modules.iter().zip(self.hot()).enumerate() {
            let slope = h.economics.curve.derivative(m.figures.spend);
            let bad =
                m.figures.first_not_finite().or_else(|| slope.is_nan().then_some(("marginal_leads", slope)));
            if let Some((figure, found)) = bad {
                return ReportError::NotFinite { module: self.key_at(i).to_owned(), figure, found };
            }
        }
        ReportError::NotFinite { module: "(total)".to_owned(), figure: "sum", found: f64::NAN }
    }
}
