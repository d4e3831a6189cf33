//! The budget policy in plan files: `{"type": "rules"}` or `{"type": "optimize", …}`.
//!
//! Solver options (tolerance, limits) are run-time settings and are not stored.

use serde::{Deserialize, Serialize};

use crate::model::parts::PartKind;
use crate::model::policy::{BudgetPolicy, OptimizePolicy};
use crate::model::select::GroupBy;
use crate::model::select::Selector;
use crate::optimize::{BudgetKind, Limit, Measure, Objective};

/// A budget policy in a plan file.
///
/// ```
/// let json = r#"{"type": "optimize", "objective": {"kind": "max_profit"},
///                "groups": [{"part": "channel", "value": "search", "cap": {"share": 0.4}}]}"#;
/// let policy: offergraph::file::BudgetPolicyFile = serde_json::from_str(json)?;
/// assert!(matches!(policy, offergraph::file::BudgetPolicyFile::Optimize { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum BudgetPolicyFile {
    /// Each module's budget rule.
    #[default]
    Rules,
    /// The optimum under an objective and constraints.
    Optimize {
        /// What to optimise.
        objective: ObjectiveFile,
        /// `"eq"` (spend the budget exactly) or `"le"`; the objective's default when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        budget: Option<BudgetKindFile>,
        /// Group caps and floors.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        groups: Vec<GroupFile>,
        /// Sales capacities.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        capacities: Vec<CapacityFile>,
    },
}

/// An objective in a plan file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum LimitFile {
    Money(f64),
    Share(f64),
}

/// A group cap or floor: modules whose `part` has key `value`, or whose `tag` has value `value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct GroupFile {
    /// Part kind to select by (or use `tag`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<PartKind>,
    /// Tag name to select by (or use `part`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Part key or tag value.
    pub value: String,
    /// Cap on the group's spend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<LimitFile>,
    /// Floor under the group's spend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<LimitFile>,
}

/// A capacity on leads or deals of the selected modules (all when neither `part` nor `tag`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CapacityFile {
    /// Name used in messages and multipliers.
    pub name: String,
    /// Part kind to select by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<PartKind>,
    /// Tag name to select by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Part key or tag value (required with `part` or `tag`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Leads or deals.
    pub measure: MeasureFile,
    /// The capacity.
    pub limit: f64,
}

fn measure(m: MeasureFile) -> Measure {
    match m {
        MeasureFile::Leads => Measure::Leads,
        MeasureFile::Deals => Measure::Deals,
        MeasureFile::GrossProfit => Measure::GrossProfit,
    }
}

fn measure_file(m: Measure) -> MeasureFile {
    match m {
        Measure::Deals => MeasureFile::Deals,
        Measure::GrossProfit => MeasureFile::GrossProfit,
        _ => MeasureFile::Leads,
    }
}

fn limit(l: LimitFile) -> Limit {
    match l {
        LimitFile::Money(m) => Limit::Money(m),
        LimitFile::Share(s) => Limit::Share(s),
    }
}

fn limit_file(l: Limit) -> LimitFile {
    match l {
        Limit::Share(s) => LimitFile::Share(s),
        Limit::Money(m) => LimitFile::Money(m),
    }
}

/// `part`/`tag` + `value` → a selector; exactly one of `part` and `tag` must be given.
fn selector(
    part: Option<PartKind>,
    tag: Option<&String>,
    value: Option<&String>,
    what: &str,
) -> Result<Option<Selector>, crate::error::ModelError> {
    let bad = |problem: &str| crate::error::ModelError::InvalidPolicy {
        what: what.to_owned(),
        problem: problem.to_owned(),
    };
    match (part, tag, value) {
        (None, None, None) => Ok(None),
        (Some(_), Some(_), _) => Err(bad("give either `part` or `tag`, not both")),
        (Some(kind), None, Some(v)) => Ok(Some(Selector::new(GroupBy::Part(kind), v.clone()))),
        (None, Some(t), Some(v)) => Ok(Some(Selector::new(GroupBy::Tag(t.clone()), v.clone()))),
        (_, _, None) => Err(bad("`value` is required with `part` or `tag`")),
        (None, None, Some(_)) => Err(bad("`value` needs `part` or `tag`")),
    }
}

impl BudgetPolicyFile {
    /// Converts to the in-memory policy.
    pub(crate) fn to_policy(&self) -> Result<BudgetPolicy, crate::error::ModelError> {
        let BudgetPolicyFile::Optimize { objective, budget, groups, capacities } = self else {
            return Ok(BudgetPolicy::Rules);
        };
        let objective = match *objective {
            ObjectiveFile::MaxProfit => Objective::MaxProfit,
            ObjectiveFile::MaxValueFixedBudget { measure: m } => {
                Objective::MaxValueFixedBudget { measure: measure(m) }
            }
            ObjectiveFile::MinSpendForTarget { measure: m, target } => {
                Objective::MinSpendForTarget { measure: measure(m), target }
            }
            ObjectiveFile::TargetMarginalRomi { target } => Objective::TargetMarginalRomi(target),
            ObjectiveFile::TargetAverageRomi { target } => Objective::TargetAverageRomi(target),
        };
        let mut policy = OptimizePolicy::new(objective);
        if let Some(kind) = budget {
            policy = policy.with_budget_kind(match kind {
                BudgetKindFile::Eq => BudgetKind::Exactly,
                BudgetKindFile::Le => BudgetKind::AtMost,
            });
        }
        for (i, g) in groups.iter().enumerate() {
            let what = format!("group {i}");
            let sel = selector(g.part, g.tag.as_ref(), Some(&g.value), &what)?.ok_or_else(|| {
                crate::error::ModelError::InvalidPolicy {
                    what: what.clone(),
                    problem: "`part` or `tag` is required".to_owned(),
                }
            })?;
            policy.groups.push(crate::model::policy::optimized_group(
                sel,
                g.cap.map(limit),
                g.floor.map(limit),
            ));
        }
        for c in capacities {
            let sel =
                selector(c.part, c.tag.as_ref(), c.value.as_ref(), &format!("capacity \"{}\"", c.name))?;
            policy = policy.with_capacity(c.name.clone(), sel, measure(c.measure), c.limit);
        }
        Ok(BudgetPolicy::Optimize(Box::new(policy)))
    }

    /// Converts from the in-memory policy.
    pub(crate) fn from_policy(policy: &BudgetPolicy) -> BudgetPolicyFile {
        let BudgetPolicy::Optimize(p) = policy else {
            return BudgetPolicyFile::Rules;
        };
        let objective = match p.objective {
            Objective::MaxValueFixedBudget { measure: m } => {
                ObjectiveFile::MaxValueFixedBudget { measure: measure_file(m) }
            }
            Objective::MinSpendForTarget { measure: m, target } => {
                ObjectiveFile::MinSpendForTarget { measure: measure_file(m), target }
            }
            Objective::TargetMarginalRomi(target) => ObjectiveFile::TargetMarginalRomi { target },
            Objective::TargetAverageRomi(target) => ObjectiveFile::TargetAverageRomi { target },
            _ => ObjectiveFile::MaxProfit,
        };
        let split = |s: &Selector| match &s.by {
            GroupBy::Part(k) => (Some(*k), None),
            GroupBy::Tag(t) => (None, Some(t.clone())),
        };
        BudgetPolicyFile::Optimize {
            objective,
            budget: p.budget_kind.map(|k| match k {
                BudgetKind::Exactly => BudgetKindFile::Eq,
                _ => BudgetKindFile::Le,
            }),
            groups: p
                .groups
                .iter()
                .map(|g| {
                    let (part, tag) = split(&g.selector);
                    GroupFile {
                        part,
                        tag,
                        value: g.selector.value.clone(),
                        cap: g.cap.map(limit_file),
                        floor: g.floor.map(limit_file),
                    }
                })
                .collect(),
            capacities: p
                .capacities
                .iter()
                .map(|c| {
                    let (part, tag) = c.selector.as_ref().map_or((None, None), split);
                    CapacityFile {
                        name: c.name.clone(),
                        part,
                        tag,
                        value: c.selector.as_ref().map(|s| s.value.clone()),
                        measure: measure_file(c.measure),
                        limit: c.limit,
                    }
                })
                .collect(),
        }
    }

    /// `true` for the default policy (not written to files).
    pub(crate) fn is_rules(&self) -> bool {
        matches!(self, BudgetPolicyFile::Rules)
    }
}
