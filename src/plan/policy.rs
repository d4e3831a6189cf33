//! The budget policy in plan files: `{"type": "rules"}` or `{"type": "optimize", …}`.
//!
//! Solver options (tolerance, limits) are run-time settings and are not stored.

use serde::{Deserialize, Serialize};

use crate::model::parts::PartKind;
use crate::model::policy::{BudgetPolicy, OptimizePolicy};
use crate::model::select::GroupBy;
use crate::model::select::Selector;
use crate::optimize::file_terms::{BudgetKindFile, LimitFile, MeasureFile, ObjectiveFile};
use crate::optimize::{BudgetKind, Limit, Measure, Objective};
use crate::time::file::file_struct;

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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

file_struct! {
    /// A group cap or floor: modules whose `part` has key `value`, or whose `tag` has value `value`.
    pub struct GroupFile {
        /// Part kind to select by (or use `tag`).
        pub part: Option<PartKind> = default,
        /// Tag name to select by (or use `part`).
        pub tag: Option<String> = default,
        /// Part key or tag value.
        pub value: String,
        /// Cap on the group's spend.
        pub cap: Option<LimitFile> = default,
        /// Floor under the group's spend.
        pub floor: Option<LimitFile> = default,
    }
}

file_struct! {
    /// A capacity on leads or deals of the selected modules (all when neither `part` nor `tag`).
    pub struct CapacityFile {
        /// Name used in messages and multipliers.
        pub name: String,
        /// Part kind to select by.
        pub part: Option<PartKind> = default,
        /// Tag name to select by.
        pub tag: Option<String> = default,
        /// Part key or tag value (required with `part` or `tag`).
        pub value: Option<String> = default,
        /// Leads or deals.
        pub measure: MeasureFile,
        /// The capacity.
        pub limit: f64,
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
        let mut policy = OptimizePolicy::new(Objective::from(*objective));
        if let Some(kind) = budget {
            policy = policy.with_budget_kind(BudgetKind::from(*kind));
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
                g.cap.map(Limit::from),
                g.floor.map(Limit::from),
            ));
        }
        for c in capacities {
            let sel =
                selector(c.part, c.tag.as_ref(), c.value.as_ref(), &format!("capacity \"{}\"", c.name))?;
            policy = policy.with_capacity(c.name.clone(), sel, Measure::from(c.measure), c.limit);
        }
        Ok(BudgetPolicy::Optimize(Box::new(policy)))
    }

    /// Converts from the in-memory policy.
    pub(crate) fn from_policy(policy: &BudgetPolicy) -> BudgetPolicyFile {
        let BudgetPolicy::Optimize(p) = policy else {
            return BudgetPolicyFile::Rules;
        };
        let objective = ObjectiveFile::from(p.objective);
        let split = |s: &Selector| match &s.by {
            GroupBy::Part(k) => (Some(*k), None),
            GroupBy::Tag(t) => (None, Some(t.clone())),
        };
        BudgetPolicyFile::Optimize {
            objective,
            budget: p.budget_kind.map(BudgetKindFile::from),
            groups: p
                .groups
                .iter()
                .map(|g| {
                    let (part, tag) = split(&g.selector);
                    GroupFile {
                        part,
                        tag,
                        value: g.selector.value.clone(),
                        cap: g.cap.map(LimitFile::from),
                        floor: g.floor.map(LimitFile::from),
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
                        measure: MeasureFile::from(c.measure),
                        limit: c.limit,
                    }
                })
                .collect(),
        }
    }
}
