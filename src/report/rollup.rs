//! Rollups: the same figures summed by part or by tag.

use indexmap::IndexMap;

use crate::Plan;
use crate::error::ReportError;
use crate::model::select::GroupBy;
use crate::report::evaluate::Evaluation;
use crate::report::figures::Figures;

impl Evaluation {
    /// Sums figures by group, in order of first appearance. Every module falls in exactly one
    /// group, so the groups add up to the total.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when the plan has changed since the evaluation.
    ///
    /// ```
    /// use offergraph::{GroupBy, PartKind};
    /// # let plan = offergraph::sample::apartments()?;
    /// let eval = plan.evaluate()?;
    /// let by_channel = eval.rollup(&plan, &GroupBy::Part(PartKind::Channel))?;
    /// assert_eq!(by_channel.keys().collect::<Vec<_>>(), ["search", "social", "outdoor"]);
    /// let spend: f64 = by_channel.values().map(|f| f.spend).sum();
    /// assert!((spend - eval.total().spend).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rollup(&self, plan: &Plan, by: &GroupBy) -> Result<IndexMap<String, Figures>, ReportError> {
        self.check(plan)?;
        let mut groups: IndexMap<String, Figures> = IndexMap::new();
        for (m, f) in plan.modules().zip(self.modules()) {
            let key = by.key_of(plan, m.data);
            match groups.get_mut(key) {
                Some(g) => *g += f.figures,
                None => {
                    groups.insert(key.to_owned(), f.figures);
                }
            }
        }
        Ok(groups)
    }
}
