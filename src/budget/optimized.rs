//! The optimizing budget policy: the optimizer run on a plan's modules.
//!
//! The problem is built over **all** of the plan's modules in plan order, with inactive ones
//! disabled, so module indices survive toggles and the previous solution warm-starts the next
//! solve. Each module brings its composed curve, value per lead `v = c·p·m` and conversion (for
//! deal targets and capacities); a fixed budget rule locks its spend, a weighted one gives its
//! minimum and maximum as bounds (the weight itself does not matter to an optimizer).

use crate::Plan;
use crate::budget::Allocation;
use crate::error::BudgetError;
use crate::model::policy::OptimizePolicy;
use crate::model::rule::Share;
use crate::optimize::{Budget, Capacity, Group, Problem, ShadowPrice, Solution};

impl OptimizePolicy {
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
        p.set_budget(Budget { amount: plan.budget().get(), kind: self.budget_kind() })?;
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
            let owner = match (g.cap, g.floor) {
                (Some(_), Some(_)) => "group cap and floor",
                (None, Some(_)) => "group floor",
                _ => "group cap",
            };
            let mut group = Group::new(g.selector.to_string(), g.selector.members(plan, owner)?);
            group.cap = g.cap;
            group.floor = g.floor;
            p.add_group(group)?;
        }
        for c in &self.capacities {
            let members = match &c.selector {
                Some(s) => s.members(plan, &format!("capacity \"{}\"", c.name))?,
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
    shadow_prices: Vec<ShadowPrice>,
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

    /// Every multiplier with its constraint: the budget, each capacity of the policy by its
    /// name, each group cap or floor by its selector (`channel "search"`), in the policy's order.
    ///
    /// ```
    /// use offergraph::optimize::{Constraint, Measure, Objective};
    /// use offergraph::OptimizePolicy;
    /// # let plan = offergraph::sample::apartments()?;
    /// let policy = OptimizePolicy::new(Objective::MaxProfit).with_capacity("desk", None, Measure::Leads, 30.0);
    /// let best = plan.optimize(&policy)?;
    /// let desk = &best.shadow_prices()[1];
    /// assert_eq!(desk.constraint, Constraint::Capacity { name: "desk".into() });
    /// assert!(desk.value > 0.0); // 30 leads bind: one more is worth something
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shadow_prices(&self) -> &[ShadowPrice] {
        &self.shadow_prices
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
        let shadow_prices = solution.shadow_prices(&problem)?;
        Ok(PlanOptimum { allocation: Allocation::from_parts(self, spend), solution, shadow_prices })
    }
}
