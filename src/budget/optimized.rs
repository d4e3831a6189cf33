//! The optimizing budget policy: the optimizer run on a plan's modules.
//!
//! The problem is built over **all** of the plan's modules in plan order, with inactive ones
//! disabled, so module indices survive toggles and the previous solution warm-starts the next
//! solve. Each module brings its composed curve, value per lead `v = c·p·m` and conversion (for
//! deal targets and capacities); a fixed budget rule locks its spend, a weighted one gives its
//! minimum and maximum as bounds (the weight itself does not matter to an optimizer).

use crate::Plan;
use crate::budget::{Allocation, Share};
use crate::error::{BudgetError, ModelError};
use crate::model::parts::{Channel, Offer, PartKind, Segment, ValueProposition};
use crate::optimize::{
    Budget, BudgetKind, Capacity, Group, Limit, Measure, Objective, Problem, Solution, SolveOptions,
};
use crate::report::GroupBy;

/// Which modules a group rule or capacity applies to: those whose part (or tag) has this value.
///
/// ```
/// use offergraph::{GroupBy, PartKind, Selector};
/// let search = Selector::new(GroupBy::Part(PartKind::Channel), "search");
/// assert_eq!(search.to_string(), "channel \"search\"");
/// let north = Selector::new(GroupBy::Tag("region".into()), "north");
/// assert_eq!(north.to_string(), "tag region = \"north\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub(crate) by: GroupBy,
    pub(crate) value: String,
}

impl Selector {
    /// Modules whose part of a kind has key `value`, or whose effective tag has value `value`.
    ///
    /// ```
    /// use offergraph::{GroupBy, PartKind, Selector};
    /// assert_eq!(Selector::new(GroupBy::Part(PartKind::Segment), "smb").value(), "smb");
    /// ```
    pub fn new(by: GroupBy, value: impl Into<String>) -> Selector {
        Selector { by, value: value.into() }
    }

    /// What the selector groups by.
    ///
    /// ```
    /// use offergraph::{GroupBy, PartKind, Selector};
    /// let s = Selector::new(GroupBy::Part(PartKind::Offer), "o");
    /// assert_eq!(s.by(), &GroupBy::Part(PartKind::Offer));
    /// ```
    pub fn by(&self) -> &GroupBy {
        &self.by
    }

    /// The part key or tag value.
    ///
    /// ```
    /// use offergraph::{GroupBy, Selector};
    /// assert_eq!(Selector::new(GroupBy::Tag("tier".into()), "premium").value(), "premium");
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Plan positions of the modules it selects.
    fn members(&self, plan: &Plan) -> Result<Vec<usize>, ModelError> {
        if let GroupBy::Part(kind) = &self.by {
            let exists = match kind {
                PartKind::Segment => plan.part_id::<Segment>(&self.value).is_ok(),
                PartKind::Proposition => plan.part_id::<ValueProposition>(&self.value).is_ok(),
                PartKind::Offer => plan.part_id::<Offer>(&self.value).is_ok(),
                PartKind::Channel => plan.part_id::<Channel>(&self.value).is_ok(),
            };
            if !exists {
                return Err(ModelError::Unknown {
                    entity: kind.name(),
                    key: self.value.clone(),
                    referrer: "budget policy".to_owned(),
                });
            }
        }
        Ok(plan
            .modules()
            .enumerate()
            .filter(|(_, m)| match &self.by {
                GroupBy::Part(kind) => plan.part_key_of(*kind, m.data) == self.value,
                GroupBy::Tag(name) => plan
                    .tag_sources(m.data)
                    .iter()
                    .find_map(|t| t.get(name))
                    .is_some_and(|v| *v == self.value),
            })
            .map(|(i, _)| i)
            .collect())
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.by {
            GroupBy::Part(kind) => write!(f, "{kind} \"{}\"", self.value),
            GroupBy::Tag(name) => write!(f, "tag {name} = \"{}\"", self.value),
        }
    }
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
///     .cap(Selector::new(GroupBy::Part(PartKind::Channel), "search"), Limit::Share(0.4));
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
    /// let p = OptimizePolicy::new(Objective::MaxProfit).budget_kind(BudgetKind::Exactly);
    /// assert_eq!(p.get_budget_kind(), BudgetKind::Exactly);
    /// ```
    #[must_use]
    pub fn budget_kind(mut self, kind: BudgetKind) -> OptimizePolicy {
        self.budget_kind = Some(kind);
        self
    }

    /// The budget kind in force (explicit, or the objective's default).
    ///
    /// ```
    /// use offergraph::{optimize::{BudgetKind, Measure, Objective}, OptimizePolicy};
    /// let p = OptimizePolicy::new(Objective::MaxValueFixedBudget { measure: Measure::Leads });
    /// assert_eq!(p.get_budget_kind(), BudgetKind::Exactly);
    /// ```
    pub fn get_budget_kind(&self) -> BudgetKind {
        self.budget_kind.unwrap_or(match self.objective {
            Objective::MaxValueFixedBudget { .. } => BudgetKind::Exactly,
            _ => BudgetKind::AtMost,
        })
    }

    /// Caps the total spend of the selected modules.
    ///
    /// ```
    /// use offergraph::{optimize::{Limit, Objective}, GroupBy, OptimizePolicy, Selector};
    /// let p = OptimizePolicy::new(Objective::MaxProfit).cap(Selector::new(GroupBy::Tag("region".into()), "north"), Limit::Money(1e4));
    /// assert_ne!(p, OptimizePolicy::new(Objective::MaxProfit));
    /// ```
    #[must_use]
    pub fn cap(mut self, selector: Selector, cap: Limit) -> OptimizePolicy {
        self.groups.push(GroupRule { selector, cap: Some(cap), floor: None });
        self
    }

    /// Puts a floor under the total spend of the selected modules.
    ///
    /// ```
    /// use offergraph::{optimize::{Limit, Objective}, GroupBy, OptimizePolicy, Selector};
    /// let p = OptimizePolicy::new(Objective::MaxProfit).floor(Selector::new(GroupBy::Tag("region".into()), "north"), Limit::Money(1e4));
    /// assert_ne!(p, OptimizePolicy::new(Objective::MaxProfit));
    /// ```
    #[must_use]
    pub fn floor(mut self, selector: Selector, floor: Limit) -> OptimizePolicy {
        self.groups.push(GroupRule { selector, cap: None, floor: Some(floor) });
        self
    }

    /// Limits the leads (or deals) the selected modules (all when `None`) may bring: a sales
    /// team's capacity for the period.
    ///
    /// ```
    /// use offergraph::{optimize::{Measure, Objective}, OptimizePolicy};
    /// let p = OptimizePolicy::new(Objective::MaxProfit).capacity("sales", None, Measure::Leads, 60.0);
    /// assert_ne!(p, OptimizePolicy::new(Objective::MaxProfit));
    /// ```
    #[must_use]
    pub fn capacity(
        mut self,
        name: impl Into<String>,
        selector: Option<Selector>,
        measure: Measure,
        limit: f64,
    ) -> OptimizePolicy {
        self.capacities.push(CapacityRule { name: name.into(), selector, measure, limit });
        self
    }

    /// Solver options (tolerance, node and time limits).
    ///
    /// ```
    /// use offergraph::{optimize::{Objective, SolveOptions}, OptimizePolicy};
    /// let p = OptimizePolicy::new(Objective::MaxProfit).options(SolveOptions::new().max_nodes(100));
    /// assert_ne!(p, OptimizePolicy::new(Objective::MaxProfit));
    /// ```
    #[must_use]
    pub fn options(mut self, options: SolveOptions) -> OptimizePolicy {
        self.options = options;
        self
    }

    /// The optimizer problem for `plan`: every module in plan order, inactive ones disabled.
    ///
    /// # Errors
    /// [`BudgetError::Policy`] for a selector naming a missing part;
    /// [`BudgetError::Optimize`] for invalid values.
    ///
    /// ```
    /// use offergraph::{optimize::Objective, OptimizePolicy};
    /// # let plan = offergraph::sample::apartments()?;
    /// let problem = OptimizePolicy::new(Objective::MaxProfit).problem(&plan)?;
    /// assert_eq!(problem.len(), plan.module_count());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn problem(&self, plan: &Plan) -> Result<Problem, BudgetError> {
        let mut p = Problem::new(self.objective);
        p.set_budget(Budget { amount: plan.budget().get(), kind: self.get_budget_kind() })?;
        p.reserve(plan.module_count());
        for m in plan.modules() {
            let e = m.economics();
            let rule = m.budget_rule();
            let (bounds, locked) = match rule.share() {
                Share::Fixed(a) => ((a, a), true),
                _ => ((rule.min(), rule.max().unwrap_or(f64::INFINITY)), false),
            };
            p.push_module(
                m.key(),
                &e.curve,
                e.value_per_lead(),
                e.conversion,
                bounds,
                locked,
                m.is_active(),
            )?;
        }
        for g in &self.groups {
            let mut group = Group::new(g.selector.to_string(), g.selector.members(plan)?);
            group.cap = g.cap;
            group.floor = g.floor;
            p.add_group(group)?;
        }
        for c in &self.capacities {
            let members = match &c.selector {
                Some(s) => s.members(plan)?,
                None => (0..plan.module_count()).collect(),
            };
            p.add_capacity(Capacity::new(c.name.clone(), members, c.measure, c.limit))?;
        }
        Ok(p)
    }
}

/// The optimum of a plan under an [`OptimizePolicy`]: the allocation and its certificate.
///
/// ```
/// use offergraph::{optimize::Objective, OptimizePolicy};
/// # let plan = offergraph::sample::apartments()?;
/// let best = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit))?;
/// let s = best.solution();
/// assert!(s.objective <= s.upper_bound);
/// assert!(best.allocation().total() <= 60_000.0 * (1.0 + 1e-9));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptimum {
    allocation: Allocation,
    solution: Solution,
}

impl PlanOptimum {
    /// Spend per module in plan order (zero for inactive modules).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let best = plan.optimize(&offergraph::OptimizePolicy::new(offergraph::optimize::Objective::MaxProfit))?;
    /// assert_eq!(best.allocation().spend().len(), plan.module_count());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allocation(&self) -> &Allocation {
        &self.allocation
    }

    /// The solver's answer: objective, upper bound, multipliers, status, marginal ROMI.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// # let best = plan.optimize(&offergraph::OptimizePolicy::new(offergraph::optimize::Objective::MaxProfit))?;
    /// assert!(best.solution().status.is_optimal());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn solution(&self) -> &Solution {
        &self.solution
    }
}

impl Plan {
    /// Optimal allocation of the plan's budget among its active modules under `policy`.
    ///
    /// # Errors
    /// [`BudgetError::Optimize`] when the problem is infeasible (the message says which
    /// constraints conflict and by how much) or invalid; [`BudgetError::Policy`] for a selector
    /// naming a missing part.
    ///
    /// # Example
    /// ```
    /// use offergraph::{optimize::Objective, OptimizePolicy};
    /// let plan = offergraph::sample::apartments()?;
    /// let by_rules = plan.evaluate()?;
    /// let best = plan.optimize(&OptimizePolicy::new(Objective::MaxProfit))?;
    /// let optimal = plan.evaluate_allocation(best.allocation())?;
    /// assert!(optimal.total().profit() >= by_rules.total().profit());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn optimize(&self, policy: &OptimizePolicy) -> Result<PlanOptimum, BudgetError> {
        self.optimize_from(policy, None)
    }

    /// Re-optimizes after toggles or edits, warm-started from a previous optimum of this plan
    /// (used only when the plan's set of modules is unchanged).
    ///
    /// # Errors
    /// As [`Plan::optimize`].
    ///
    /// ```
    /// use offergraph::{optimize::Objective, OptimizePolicy};
    /// let mut plan = offergraph::sample::apartments()?;
    /// let policy = OptimizePolicy::new(Objective::MaxProfit);
    /// let first = plan.optimize(&policy)?;
    /// plan.set_module_enabled("families/mortgage/2-room/social", false)?;
    /// let second = plan.reoptimize(&policy, &first)?;
    /// assert!(second.solution().objective <= first.solution().objective + 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reoptimize(
        &self,
        policy: &OptimizePolicy,
        previous: &PlanOptimum,
    ) -> Result<PlanOptimum, BudgetError> {
        let usable = previous.allocation.check(self).is_ok();
        self.optimize_from(policy, usable.then_some(&previous.solution))
    }

    fn optimize_from(
        &self,
        policy: &OptimizePolicy,
        previous: Option<&Solution>,
    ) -> Result<PlanOptimum, BudgetError> {
        let problem = policy.problem(self)?;
        let solution = match previous {
            Some(prev) => problem.resolve(policy.options, prev)?,
            None => problem.solve(policy.options)?,
        };
        let spend =
            self.modules().zip(&solution.spend).map(|(m, &s)| if m.is_active() { s } else { 0.0 }).collect();
        Ok(PlanOptimum { allocation: Allocation::from_parts(self, spend), solution })
    }
}
