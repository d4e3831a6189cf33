//! The result of a solve.

/// How a solve ended. Every status is a usable, feasible allocation.
///
/// ```
/// use offergraph::optimize::Status;
/// assert!(Status::Optimal.is_optimal());
/// assert!(!Status::TimeLimit.is_optimal());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Lowercase name (`"optimal"`, `"gap_limit"`, `"node_limit"`, `"time_limit"`).
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
#[derive(Debug, Clone, PartialEq)]
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
