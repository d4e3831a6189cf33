//! The result of a solve.

use serde::{Deserialize, Serialize};

use super::problem::Problem;
use crate::error::OptimizeError;

/// How a solve ended. Every status is a usable, feasible allocation.
///
/// ```
/// use offergraph::optimize::Status;
/// assert!(Status::Optimal.is_optimal());
/// assert!(!Status::TimeLimit.is_optimal());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// The gap is within the requested tolerance.
    Optimal,
    /// Branch and bound ended above the tolerance without reaching a limit: the nodes left
    /// open cannot be split further (the LP solver's precision, a box the relaxation cannot
    /// tighten, or the few nodes of a large problem's rescue). The gap is still certified.
    GapLimit,
    /// The node limit was reached; the gap is certified but above the tolerance.
    NodeLimit,
    /// The time limit was reached; the gap is certified but above the tolerance.
    TimeLimit,
    /// An iterative method other than branch and bound (the risk-aware allocation's outer
    /// iterations) reached its iteration bound; the gap is certified but above the tolerance.
    IterationLimit,
}

impl Status {
    /// `true` for [`Status::Optimal`].
    ///
    /// ```
    /// assert!(!offergraph::optimize::Status::NodeLimit.is_optimal());
    /// ```
    pub fn is_optimal(self) -> bool {
        self == Status::Optimal
    }
    /// Lowercase name (`"optimal"`, `"gap_limit"`, `"node_limit"`, `"time_limit"`,
    /// `"iteration_limit"`).
    ///
    /// ```
    /// assert_eq!(offergraph::optimize::Status::TimeLimit.name(), "time_limit");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::GapLimit => "gap_limit",
            Status::NodeLimit => "node_limit",
            Status::TimeLimit => "time_limit",
            Status::IterationLimit => "iteration_limit",
        }
    }
}

/// An allocation with its certificate.
///
/// `upper_bound − objective ≥ 0` is a proven bound on how far the allocation can be from the
/// optimum (Lagrangian dual value of the concave-envelope relaxation). Multipliers are shadow
/// prices of the internal maximisation: `budget_multiplier` is what one more unit of budget is
/// worth, `capacity_multipliers[k]` what one more unit of capacity `k` is worth,
/// `group_multipliers[g]` is positive when group `g`'s cap binds and negative when its floor
/// binds (per unit of money).
///
/// # Example
/// ```
/// use offergraph::curves::Exponential;
/// use offergraph::optimize::{Budget, Activity, Objective, Problem, SolveOptions};
/// let mut p = Problem::new(Objective::MaxProfit);
/// p.set_budget(Budget::at_most(50.0))?;
/// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
/// let s = p.solve(SolveOptions::new())?;
/// assert!(s.upper_bound - s.objective <= 1e-9 * s.objective.abs().max(1.0));
/// assert!((s.spend[0] - 50.0).abs() < 1e-9);
/// // the budget binds: price p = v·r'(50) = 6/e, and s(p) = 50·ln(6/p) gives dλ/dB = −p/50
/// let p = 6.0 * (-1f64).exp();
/// assert!((s.budget_multiplier - (p - 1.0)).abs() < 1e-9);
/// assert!((s.budget_multiplier_slope.unwrap() + p / 50.0).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Solution {
    /// How the solve ended.
    pub status: Status,
    /// Value of the objective at `spend` (see [`Objective`](super::Objective)).
    pub objective: f64,
    /// Proven upper bound on the optimal objective.
    pub upper_bound: f64,
    /// Spend per module, in module order.
    pub spend: Vec<f64>,
    /// Leads per module at `spend`.
    pub leads: Vec<f64>,
    /// Shadow price of the budget (0 when it does not bind).
    pub budget_multiplier: f64,
    /// How fast the budget's shadow price moves as the budget grows, `dλ/dB` (≤ 0), when the
    /// budget alone binds and every module is on the concave part of its curve; `None`
    /// otherwise. One more unit of budget is worth about `λ + ½·dλ/dB`, and a re-solve after
    /// a toggle starts from `λ + ΔB·dλ/dB` (one pass over the modules instead of two).
    pub budget_multiplier_slope: Option<f64>,
    /// Shadow price of each capacity constraint.
    pub capacity_multipliers: Vec<f64>,
    /// Shadow price of each group (cap > 0, floor < 0).
    pub group_multipliers: Vec<f64>,
    /// Marginal ROMI `v·r'(s) − 1` per module at `spend`; `None` where the slope is unbounded
    /// (zero spend on a Hill curve with `a < 1`) and the value per lead positive.
    pub marginal_romi: Vec<Option<f64>>,
    /// Largest violation of the KKT stationarity conditions (relative to the price), for the
    /// modules on the concave part of their curve. It certifies concave problems (≤ 1e-9). With
    /// S-curves under overlapping groups or capacities the answer comes from a branch-and-bound
    /// node and may have been repaired to exact feasibility, so the residual against that node's
    /// multipliers can be large while the gap is closed: there the gap is the certificate.
    pub kkt_residual: f64,
    /// Branch-and-bound nodes explored (1 for a concave problem).
    pub nodes: usize,
}

impl Solution {
    /// The certified gap `upper_bound − objective` (never negative).
    ///
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Budget, Activity, Objective, Problem, SolveOptions};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
    /// assert!(p.solve(SolveOptions::new())?.gap() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn gap(&self) -> f64 {
        (self.upper_bound - self.objective).max(0.0)
    }
    /// Total spend.
    ///
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Budget, Activity, Objective, Problem, SolveOptions};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.set_budget(Budget::exactly(20.0))?;
    /// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
    /// assert!((p.solve(SolveOptions::new())?.total_spend() - 20.0).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn total_spend(&self) -> f64 {
        self.spend.iter().sum()
    }
}

/// The constraint a [`ShadowPrice`] belongs to.
///
/// ```
/// use offergraph::optimize::Constraint;
/// assert_eq!(Constraint::Capacity { name: "desk".into() }.to_string(), "capacity \"desk\"");
/// assert_eq!(Constraint::Group { name: "channel \"search\"".into() }.to_string(), "group channel \"search\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Constraint {
    /// The budget.
    Budget,
    /// A capacity, by its name.
    Capacity {
        /// The capacity's name.
        name: String,
    },
    /// A group's cap or floor, by the group's name.
    Group {
        /// The group's name.
        name: String,
    },
}

impl std::fmt::Display for Constraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Constraint::Budget => f.write_str("budget"),
            Constraint::Capacity { name } => write!(f, "capacity \"{name}\""),
            Constraint::Group { name } => write!(f, "group {name}"),
        }
    }
}

/// A constraint's shadow price: what one more unit of its limit is worth to the objective (per
/// unit of money for the budget and groups, per lead or deal for a capacity). A group's is
/// positive when its cap binds and negative when its floor binds. The constraint is a
/// [`Constraint`] of a [`Problem`]; the time layer labels its own with
/// [`TimeConstraint`](crate::time::TimeConstraint) (which team, which period).
///
/// ```
/// use offergraph::optimize::{Constraint, ShadowPrice};
/// let p = ShadowPrice::new(Constraint::Budget, 0.25);
/// assert_eq!(p.to_string(), "budget: 0.25");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ShadowPrice<C = Constraint> {
    /// Which constraint.
    pub constraint: C,
    /// Its multiplier.
    pub value: f64,
}

impl<C> ShadowPrice<C> {
    /// A constraint's price.
    ///
    /// ```
    /// use offergraph::optimize::{Constraint, ShadowPrice};
    /// assert_eq!(ShadowPrice::new(Constraint::Budget, 1.5).value, 1.5);
    /// ```
    pub fn new(constraint: C, value: f64) -> ShadowPrice<C> {
        ShadowPrice { constraint, value }
    }
}

impl<C: std::fmt::Display> std::fmt::Display for ShadowPrice<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.constraint, self.value)
    }
}

impl Solution {
    /// Every multiplier with its constraint, read against the problem this solution solves: the
    /// budget (when the problem has one), then each capacity, then each group, in the problem's
    /// order.
    ///
    /// # Errors
    /// [`OptimizeError::SolutionMismatch`] when the solution has another number of capacity or
    /// group multipliers than the problem has capacities or groups.
    ///
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Activity, Budget, Capacity, Constraint, Measure, Objective, Problem, SolveOptions};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.set_budget(Budget::at_most(1_000.0))?;
    /// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
    /// p.add_capacity(Capacity::new("desk", vec![0], Measure::Leads, 40.0))?;
    /// let s = p.solve(SolveOptions::new())?;
    /// let prices = s.shadow_prices(&p)?;
    /// assert_eq!(prices[0].constraint, Constraint::Budget);
    /// assert_eq!(prices[1].constraint, Constraint::Capacity { name: "desk".into() });
    /// assert_eq!(prices[1].value, s.capacity_multipliers[0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shadow_prices(&self, problem: &Problem) -> Result<Vec<ShadowPrice>, OptimizeError> {
        let (caps, groups) = (&problem.capacities, &problem.groups);
        let count = |what, expected: usize, found: usize| {
            if expected == found {
                Ok(())
            } else {
                Err(OptimizeError::SolutionMismatch { what, expected, found })
            }
        };
        count("capacity multipliers", caps.len(), self.capacity_multipliers.len())?;
        // A problem without groups may leave the group multipliers empty.
        if !(groups.is_empty() && self.group_multipliers.is_empty()) {
            count("group multipliers", groups.len(), self.group_multipliers.len())?;
        }
        let budget = problem.budget.map(|_| ShadowPrice::new(Constraint::Budget, self.budget_multiplier));
        let caps = caps
            .iter()
            .zip(&self.capacity_multipliers)
            .map(|(c, &v)| ShadowPrice::new(Constraint::Capacity { name: c.name.clone() }, v));
        let groups = groups
            .iter()
            .zip(&self.group_multipliers)
            .map(|(g, &v)| ShadowPrice::new(Constraint::Group { name: g.name.clone() }, v));
        Ok(budget.into_iter().chain(caps).chain(groups).collect())
    }
}
