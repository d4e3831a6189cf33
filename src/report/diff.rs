//! Scenario diffs: what changed between two evaluated plans.

use serde::Serialize;

use crate::Plan;
use crate::error::ReportError;
use crate::model::ids::ModuleId;
use crate::report::evaluate::Evaluation;
use crate::report::figures::Figures;

/// What happened to a module between two scenarios.
///
/// ```
/// assert_ne!(offergraph::Change::Added, offergraph::Change::Removed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Only in the second scenario.
    Added,
    /// Only in the first scenario.
    Removed,
    /// Inactive before, active after.
    SwitchedOn,
    /// Active before, inactive after.
    SwitchedOff,
    /// Present in both with the same active state (its figures may still differ).
    Kept,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::SwitchedOn => "switched on",
            Change::SwitchedOff => "switched off",
            Change::Kept => "kept",
        })
    }
}

/// One module's before/after figures.
///
/// ```
/// # let before = offergraph::sample::apartments()?;
/// # let mut after = before.clone();
/// # after.set_module_enabled("investors/yield/1-room/outdoor", false)?;
/// let diff = offergraph::ScenarioDiff::new((&before, &before.evaluate()?), (&after, &after.evaluate()?))?;
/// let m = diff.modules.iter().find(|m| m.key == "investors/yield/1-room/outdoor").unwrap();
/// assert_eq!(m.change, offergraph::Change::SwitchedOff);
/// assert_eq!(m.after.spend, 0.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ModuleDiff {
    /// Module id.
    pub id: ModuleId,
    /// Module key.
    pub key: String,
    /// What happened.
    pub change: Change,
    /// Figures before (zero when added).
    pub before: Figures,
    /// Figures after (zero when removed).
    pub after: Figures,
}

impl ModuleDiff {
    /// `after − before`, field by field.
    ///
    /// ```
    /// # let before = offergraph::sample::apartments()?;
    /// # let mut after = before.clone();
    /// # after.set_module_enabled("investors/yield/1-room/outdoor", false)?;
    /// # let diff = offergraph::ScenarioDiff::new((&before, &before.evaluate()?), (&after, &after.evaluate()?))?;
    /// let m = &diff.modules[0];
    /// assert_eq!(m.delta().spend, m.after.spend - m.before.spend);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delta(&self) -> Figures {
        self.after - self.before
    }
}

/// Per-module and total differences between two scenarios (before a toggle and after, plan A and
/// plan B). Modules are matched by id: first those of the second scenario in its order, then
/// those only the first one had.
///
/// # Example
/// ```
/// use offergraph::{PartKind, ScenarioDiff};
/// let before = offergraph::sample::apartments()?;
/// let mut after = before.clone();
/// after.set_part_enabled(PartKind::Channel, "outdoor", false)?;
/// let diff = ScenarioDiff::new((&before, &before.evaluate()?), (&after, &after.evaluate()?))?;
/// assert!(diff.total_delta().spend.abs() < 1e-6); // the budget moved, it did not vanish
/// assert_eq!(diff.switched_off().count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScenarioDiff {
    /// Per-module changes.
    pub modules: Vec<ModuleDiff>,
    /// Totals before.
    pub total_before: Figures,
    /// Totals after.
    pub total_after: Figures,
    /// Budget before.
    pub budget_before: f64,
    /// Budget after.
    pub budget_after: f64,
}

impl ScenarioDiff {
    /// Compares two evaluated plans.
    ///
    /// # Errors
    /// [`ReportError::Stale`] when an evaluation does not belong to its plan.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let eval = plan.evaluate()?;
    /// let diff = offergraph::ScenarioDiff::new((&plan, &eval), (&plan, &eval))?;
    /// assert!(diff.modules.iter().all(|m| m.change == offergraph::Change::Kept));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        before: (&Plan, &Evaluation),
        after: (&Plan, &Evaluation),
    ) -> Result<ScenarioDiff, ReportError> {
        let ((pa, ea), (pb, eb)) = (before, after);
        ea.check(pa)?;
        eb.check(pb)?;
        let mut modules = Vec::with_capacity(pb.module_count());
        for (m, f) in pb.modules().zip(eb.modules()) {
            let old = pa.position_of(m.id()).map(|i| &ea.modules()[i]);
            let (change, before) = match old {
                None => (Change::Added, Figures::default()),
                Some(o) => {
                    let change = match (o.active, f.active) {
                        (false, true) => Change::SwitchedOn,
                        (true, false) => Change::SwitchedOff,
                        _ => Change::Kept,
                    };
                    (change, o.figures)
                }
            };
            modules.push(ModuleDiff {
                id: m.id(),
                key: m.key().to_owned(),
                change,
                before,
                after: f.figures,
            });
        }
        for (m, f) in pa.modules().zip(ea.modules()) {
            if pb.position_of(m.id()).is_none() {
                modules.push(ModuleDiff {
                    id: m.id(),
                    key: m.key().to_owned(),
                    change: Change::Removed,
                    before: f.figures,
                    after: Figures::default(),
                });
            }
        }
        Ok(ScenarioDiff {
            modules,
            total_before: *ea.total(),
            total_after: *eb.total(),
            budget_before: pa.budget().get(),
            budget_after: pb.budget().get(),
        })
    }

    /// Total `after − before`.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = plan.evaluate()?;
    /// let diff = offergraph::ScenarioDiff::new((&plan, &eval), (&plan, &eval))?;
    /// assert_eq!(diff.total_delta(), offergraph::Figures::default());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn total_delta(&self) -> Figures {
        self.total_after - self.total_before
    }

    /// Modules with a given change.
    fn with(&self, change: Change) -> impl Iterator<Item = &ModuleDiff> {
        self.modules.iter().filter(move |m| m.change == change)
    }

    /// Modules added.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = plan.evaluate()?;
    /// assert_eq!(offergraph::ScenarioDiff::new((&plan, &eval), (&plan, &eval))?.added().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn added(&self) -> impl Iterator<Item = &ModuleDiff> {
        self.with(Change::Added)
    }

    /// Modules removed.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = plan.evaluate()?;
    /// assert_eq!(offergraph::ScenarioDiff::new((&plan, &eval), (&plan, &eval))?.removed().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn removed(&self) -> impl Iterator<Item = &ModuleDiff> {
        self.with(Change::Removed)
    }

    /// Modules switched off.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = plan.evaluate()?;
    /// assert_eq!(offergraph::ScenarioDiff::new((&plan, &eval), (&plan, &eval))?.switched_off().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn switched_off(&self) -> impl Iterator<Item = &ModuleDiff> {
        self.with(Change::SwitchedOff)
    }

    /// Modules switched on.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let eval = plan.evaluate()?;
    /// assert_eq!(offergraph::ScenarioDiff::new((&plan, &eval), (&plan, &eval))?.switched_on().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn switched_on(&self) -> impl Iterator<Item = &ModuleDiff> {
        self.with(Change::SwitchedOn)
    }
}
