//! The optimizer's terms as files spell them (plan files' budget policies and allocation-problem
//! files alike): objectives, measures, budget kinds and limits, with their conversions.

use serde::{Deserialize, Serialize};

use super::problem::{BudgetKind, Limit, Measure, Objective};

/// An objective in a plan file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum ObjectiveFile {
    /// Maximise gross profit minus spend.
    MaxProfit,
    /// Maximise a measure for the budget.
    MaxValueFixedBudget { measure: MeasureFile },
    /// Minimise spend to reach a target.
    MinSpendForTarget { measure: MeasureFile, target: f64 },
    /// Spend until marginal ROMI falls to the target.
    TargetMarginalRomi { target: f64 },
    /// The largest budget whose ROMI meets the target.
    TargetAverageRomi { target: f64 },
}

/// What a target, capacity or fixed-budget objective counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum MeasureFile {
    Leads,
    Deals,
    GrossProfit,
}

/// How the budget binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BudgetKindFile {
    /// Spend exactly the budget.
    Eq,
    /// Spend at most the budget.
    Le,
}

/// A money amount or a share of the budget: `{"money": 1000}` or `{"share": 0.4}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum LimitFile {
    Money(f64),
    Share(f64),
}

impl From<MeasureFile> for Measure {
    fn from(m: MeasureFile) -> Measure {
        match m {
            MeasureFile::Leads => Measure::Leads,
            MeasureFile::Deals => Measure::Deals,
            MeasureFile::GrossProfit => Measure::GrossProfit,
        }
    }
}

impl From<Measure> for MeasureFile {
    fn from(m: Measure) -> MeasureFile {
        match m {
            Measure::Deals => MeasureFile::Deals,
            Measure::GrossProfit => MeasureFile::GrossProfit,
            _ => MeasureFile::Leads,
        }
    }
}

impl From<LimitFile> for Limit {
    fn from(l: LimitFile) -> Limit {
        match l {
            LimitFile::Money(m) => Limit::Money(m),
            LimitFile::Share(s) => Limit::Share(s),
        }
    }
}

impl From<Limit> for LimitFile {
    fn from(l: Limit) -> LimitFile {
        match l {
            Limit::Share(s) => LimitFile::Share(s),
            Limit::Money(m) => LimitFile::Money(m),
        }
    }
}

impl From<BudgetKindFile> for BudgetKind {
    fn from(k: BudgetKindFile) -> BudgetKind {
        match k {
            BudgetKindFile::Eq => BudgetKind::Exactly,
            BudgetKindFile::Le => BudgetKind::AtMost,
        }
    }
}

impl From<BudgetKind> for BudgetKindFile {
    fn from(k: BudgetKind) -> BudgetKindFile {
        match k {
            BudgetKind::Exactly => BudgetKindFile::Eq,
            _ => BudgetKindFile::Le,
        }
    }
}

impl From<ObjectiveFile> for Objective {
    fn from(o: ObjectiveFile) -> Objective {
        match o {
            ObjectiveFile::MaxProfit => Objective::MaxProfit,
            ObjectiveFile::MaxValueFixedBudget { measure } => {
                Objective::MaxValueFixedBudget { measure: measure.into() }
            }
            ObjectiveFile::MinSpendForTarget { measure, target } => {
                Objective::MinSpendForTarget { measure: measure.into(), target }
            }
            ObjectiveFile::TargetMarginalRomi { target } => Objective::TargetMarginalRomi(target),
            ObjectiveFile::TargetAverageRomi { target } => Objective::TargetAverageRomi(target),
        }
    }
}

impl From<Objective> for ObjectiveFile {
    fn from(o: Objective) -> ObjectiveFile {
        match o {
            Objective::MaxValueFixedBudget { measure } => {
                ObjectiveFile::MaxValueFixedBudget { measure: measure.into() }
            }
            Objective::MinSpendForTarget { measure, target } => {
                ObjectiveFile::MinSpendForTarget { measure: measure.into(), target }
            }
            Objective::TargetMarginalRomi(target) => ObjectiveFile::TargetMarginalRomi { target },
            Objective::TargetAverageRomi(target) => ObjectiveFile::TargetAverageRomi { target },
            _ => ObjectiveFile::MaxProfit,
        }
    }
}
