//! Budget policies as data: split by rules, or by the optimum of an objective under group caps
//! and floors and capacities. The algorithms live in `budget/`.

use crate::model::select::Selector;
use crate::optimize::{BudgetKind, Limit, Measure, Objective, SolveOptions};

/// How a plan's budget is split among its active modules.
///
/// ```
/// assert_eq!(offergraph::BudgetPolicy::default(), offergraph::BudgetPolicy::Rules);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum BudgetPolicy {
    /// Each module's [`BudgetRule`](crate::BudgetRule): fixed amounts first, the rest by weight within bounds.
    #[default]
    Rules,
    /// The optimum under an [`OptimizePolicy`] (objective, group caps and floors, capacities).
    Optimize(Box<OptimizePolicy>),
}

/// Builds a group rule (for the plan-file reader).
pub(crate) fn optimized_group(selector: Selector, cap: Option<Limit>, floor: Option<Limit>) -> GroupRule {
    GroupRule { selector, cap, floor }
}

/// A cap or floor on the total spend of a group of modules.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GroupRule {
    pub(crate) selector: Selector,
    pub(crate) cap: Option<Limit>,
    pub(crate) floor: Option<Limit>,
}

/// A capacity on the leads (or deals) of a group of modules (all modules when no selector).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CapacityRule {
    pub(crate) name: String,
    pub(crate) selector: Option<Selector>,
    pub(crate) measure: Measure,
    pub(crate) limit: f64,
}

/// An optimizing budget policy: an [`Objective`], how the plan's budget binds, group caps and
/// floors by part or tag, and sales capacities.
///
/// By default the plan's budget must be spent exactly for
/// [`Objective::MaxValueFixedBudget`] and is an upper limit for every other objective.
///
/// # Example
/// ```
/// use offergraph::optimize::{Limit, Objective};
/// use offergraph::{GroupBy, OptimizePolicy, PartKind, Selector};
/// let policy = OptimizePolicy::new(Objective::MaxProfit)
///     .with_cap(Selector::new(GroupBy::Part(PartKind::Channel), "search"), Limit::Share(0.4));
/// # let plan = offergraph::sample::apartments()?;
/// let best = plan.optimize(&policy)?;
/// let search: f64 = plan.modules().zip(best.allocation().spend())
///     .filter(|(m, _)| plan.module_parts(m.key()).map(|p| p[3] == "search").unwrap_or(false))
///     .map(|(_, s)| s)
///     .sum();
/// assert!(search <= 0.4 * 60_000.0 * (1.0 + 1e-9));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizePolicy {
    pub(crate) objective: Objective,
    pub(crate) budget_kind: Option<BudgetKind>,
    pub(crate) groups: Vec<GroupRule>,
    pub(crate) capacities: Vec<CapacityRule>,
    pub(crate) options: SolveOptions,
}

impl OptimizePolicy {
    /// A policy with an objective and no extra constraint.
    ///
    /// ```
    /// use offergraph::{optimize::Objective, OptimizePolicy};
    /// assert_eq!(OptimizePolicy::new(Objective::MaxProfit).objective(), Objective::MaxProfit);
    /// ```
    pub fn new(objective: Objective) -> OptimizePolicy {
        OptimizePolicy {
            objective,
            budget_kind: None,
            groups: Vec::new(),
            capacities: Vec::new(),
            options: SolveOptions::new(),
        }
    }

    /// The objective.
    ///
    /// ```
    /// use offergraph::{optimize::Objective, OptimizePolicy};
    /// let p = OptimizePolicy::new(Objective::TargetMarginalRomi(0.5));
    /// assert_eq!(p.objective(), Objective::TargetMarginalRomi(0.5));
    /// ```
    pub fn objective(&self) -> Objective {
        self.objective
    }

    /// Whether the plan's budget must be spent exactly or is an upper limit.
    ///
    /// ```
    /// use offergraph::{optimize::{BudgetKind, Objective}, OptimizePolicy};
    /// let p = OptimizePolicy::new(Objective::MaxProfit).with_budget_kind(BudgetKind::Exactly);
    /// assert_eq!(p.budget_kind(), BudgetKind::Exactly);
    /// ```
    #[must_use]
    pub fn with_budget_kind(mut self, kind: BudgetKind) -> OptimizePolicy {
        self.budget_kind = Some(kind);
        self
    }

    /// The budget kind in force (explicit, or the objective's default).
    ///
    /// ```
    /// use offergraph::{optimize::{BudgetKind, Measure, Objective}, OptimizePolicy};
    /// let p = OptimizePolicy::new(Objective::MaxValueFixedBudget { measure: Measure::Leads });
    /// assert_eq!(p.budget_kind(), BudgetKind::Exactly);
    /// ```
    pub fn budget_kind(&self) -> BudgetKind {
        self.budget_kind.unwrap_or(self.objective.default_budget_kind())
    }

    /// Caps the total spend of the selected modules.
    ///
    /// ```
    /// use offergraph::{optimize::{Limit, Objective}, GroupBy, OptimizePolicy, Selector};
    /// let p = OptimizePolicy::new(Objective::MaxProfit).with_cap(Selector::new(GroupBy::Tag("region".into()), "north"), Limit::Money(1e4));
    /// assert_ne!(p, OptimizePolicy::new(Objective::MaxProfit));
    /// ```
    #[must_use]
    pub fn with_cap(mut self, selector: Selector, cap: Limit) -> OptimizePolicy {
        self.groups.push(GroupRule { selector, cap: Some(cap), floor: None });
        self
    }

    /// Puts a floor under the total spend of the selected modules.
    ///
    /// ```
    /// use offergraph::{optimize::{Limit, Objective}, GroupBy, OptimizePolicy, Selector};
    /// let p = OptimizePolicy::new(Objective::MaxProfit).with_floor(Selector::new(GroupBy::Tag("region".into()), "north"), Limit::Money(1e4));
    /// assert_ne!(p, OptimizePolicy::new(Objective::MaxProfit));
    /// ```
    #[must_use]
    pub fn with_floor(mut self, selector: Selector, floor: Limit) -> OptimizePolicy {
        self.groups.push(GroupRule { selector, cap: None, floor: Some(floor) });
        self
    }

    /// Limits the leads (or deals) the selected modules (all when `None`) may bring: a sales
    /// team's capacity for the period.
    ///
    /// ```
    /// use offergraph::{optimize::{Measure, Objective}, OptimizePolicy};
    /// let p = OptimizePolicy::new(Objective::MaxProfit).with_capacity("sales", None, Measure::Leads, 60.0);
    /// assert_ne!(p, OptimizePolicy::new(Objective::MaxProfit));
    /// ```
    #[must_use]
    pub fn with_capacity(
        mut self,
        name: impl Into<String>,
        selector: Option<Selector>,
        measure: Measure,
        limit: f64,
    ) -> OptimizePolicy {
        self.capacities.push(CapacityRule { name: name.into(), selector, measure, limit });
        self
    }
}

setters!(OptimizePolicy {
    /// Solver options (tolerance, node and time limits).
    ///
    /// ```
    /// use offergraph::{optimize::{Objective, SolveOptions}, OptimizePolicy};
    /// let p = OptimizePolicy::new(Objective::MaxProfit).with_options(SolveOptions::new().with_max_nodes(100));
    /// assert_ne!(p, OptimizePolicy::new(Objective::MaxProfit));
    /// ```
    with_options(options: SolveOptions) sets options;
});

impl BudgetPolicy {
    /// The policy to optimize under when none is given: this one when it optimizes, else the
    /// most gross profit for the plan's budget ([`Objective::MaxValueFixedBudget`] of
    /// [`Measure::GrossProfit`], the budget spent exactly). What `offergraph optimize` without
    /// `--objective` and the HTML report optimize.
    ///
    /// ```
    /// use offergraph::optimize::{Measure, Objective};
    /// use offergraph::{BudgetPolicy, OptimizePolicy};
    /// let most = Objective::MaxValueFixedBudget { measure: Measure::GrossProfit };
    /// assert_eq!(BudgetPolicy::Rules.optimizing(), OptimizePolicy::new(most));
    /// let own = OptimizePolicy::new(Objective::MaxProfit);
    /// assert_eq!(BudgetPolicy::Optimize(Box::new(own.clone())).optimizing(), own);
    /// ```
    pub fn optimizing(&self) -> OptimizePolicy {
        match self {
            BudgetPolicy::Optimize(p) => (**p).clone(),
            BudgetPolicy::Rules => {
                OptimizePolicy::new(Objective::MaxValueFixedBudget { measure: Measure::GrossProfit })
            }
        }
    }

    /// The first rule that selects modules by the part `kind` with key `key` (`capacity "desk"`,
    /// `group cap on channel "search"`), if any: such a part cannot leave the plan while the
    /// policy names it.
    pub(crate) fn rule_naming(&self, kind: crate::PartKind, key: &str) -> Option<String> {
        let BudgetPolicy::Optimize(policy) = self else { return None };
        let names = |s: &Selector| s.by == crate::GroupBy::Part(kind) && s.value == key;
        if let Some(g) = policy.groups.iter().find(|g| names(&g.selector)) {
            let what = if g.cap.is_some() { "group cap" } else { "group floor" };
            return Some(format!("{what} on {}", g.selector));
        }
        policy
            .capacities
            .iter()
            .find(|c| c.selector.as_ref().is_some_and(names))
            .map(|c| format!("capacity \"{}\"", c.name))
    }
}
