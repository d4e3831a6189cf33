//! Limits and tolerances for a solve.

use std::time::Duration;

use crate::numerics::tol;

/// Options for a solve: gap tolerance, node limit and time limit (by-value builder).
///
/// # Example
/// ```
/// use std::time::Duration;
/// use offergraph::optimize::SolveOptions;
/// let o = SolveOptions::new().with_tolerance(1e-4).with_max_nodes(500).with_time_limit(Duration::from_millis(50));
/// assert_eq!(o.tolerance(), 1e-4);
/// assert_eq!(o.max_nodes(), 500);
/// assert_eq!(o.time_limit(), Some(Duration::from_millis(50)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveOptions {
    tolerance: f64,
    max_nodes: usize,
    time_limit: Option<Duration>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions::new()
    }
}

impl SolveOptions {
    /// The default relative optimality gap, one part in a million: below what a plan's inputs
    /// can tell apart. Concave problems are solved exactly whatever the tolerance; S-curves and
    /// capacities stop as soon as the certified gap is this small.
    ///
    /// ```
    /// assert_eq!(offergraph::optimize::SolveOptions::DEFAULT_TOLERANCE, 1e-6);
    /// ```
    pub const DEFAULT_TOLERANCE: f64 = tol::GAP_REL;

    /// The smallest relative gap accepted (below it rounding dominates).
    ///
    /// ```
    /// use offergraph::optimize::SolveOptions;
    /// assert!(SolveOptions::MIN_TOLERANCE < SolveOptions::DEFAULT_TOLERANCE);
    /// ```
    pub const MIN_TOLERANCE: f64 = tol::GAP_REL_MIN;

    /// The default node limit of branch and bound.
    ///
    /// ```
    /// assert!(offergraph::optimize::SolveOptions::DEFAULT_MAX_NODES >= 1_000);
    /// ```
    pub const DEFAULT_MAX_NODES: usize = tol::MAX_NODES;

    /// Defaults: relative gap [`SolveOptions::DEFAULT_TOLERANCE`],
    /// [`SolveOptions::DEFAULT_MAX_NODES`] branch-and-bound nodes, no time limit.
    ///
    /// ```
    /// use offergraph::optimize::SolveOptions;
    /// assert_eq!(SolveOptions::new().tolerance(), SolveOptions::DEFAULT_TOLERANCE);
    /// ```
    pub fn new() -> SolveOptions {
        SolveOptions { tolerance: tol::GAP_REL, max_nodes: tol::MAX_NODES, time_limit: None }
    }
    /// Relative optimality gap at which branch and bound stops: `upper_bound − objective ≤
    /// tolerance · max(|objective|, 1)`. Values below [`SolveOptions::MIN_TOLERANCE`] (or NaN) are
    /// raised to it.
    ///
    /// ```
    /// use offergraph::optimize::SolveOptions;
    /// assert_eq!(SolveOptions::new().with_tolerance(0.0).tolerance(), SolveOptions::MIN_TOLERANCE);
    /// ```
    pub fn with_tolerance(mut self, rel: f64) -> SolveOptions {
        self.tolerance = if rel >= tol::GAP_REL_MIN { rel } else { tol::GAP_REL_MIN };
        self
    }
    /// Most branch-and-bound nodes to explore (at least 1). A problem of more than 60 modules
    /// with capacities whose dual finds no feasible point is decided by a spatial search of a
    /// few nodes (8); a `node_limit` status there names that search's limit (`docs/optimize.md`).
    ///
    /// ```
    /// assert_eq!(offergraph::optimize::SolveOptions::new().with_max_nodes(0).max_nodes(), 1);
    /// ```
    pub fn with_max_nodes(mut self, n: usize) -> SolveOptions {
        self.max_nodes = n.max(1);
        self
    }
    /// Wall-clock limit for the whole solve: branch and bound stops at it, and each LP of the
    /// spatial branch and bound is given what remains (the root relaxation always completes).
    /// The node limit is the deterministic bound on the work; this one makes the answer depend
    /// on the machine when it is reached (the status says so).
    ///
    /// ```
    /// use std::time::Duration;
    /// let o = offergraph::optimize::SolveOptions::new().with_time_limit(Duration::from_secs(1));
    /// assert_eq!(o.time_limit(), Some(Duration::from_secs(1)));
    /// ```
    pub fn with_time_limit(mut self, limit: Duration) -> SolveOptions {
        self.time_limit = Some(limit);
        self
    }
    /// The relative gap tolerance.
    ///
    /// ```
    /// assert!(offergraph::optimize::SolveOptions::new().tolerance() > 0.0);
    /// ```
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }
    /// The node limit.
    ///
    /// ```
    /// assert!(offergraph::optimize::SolveOptions::new().max_nodes() > 1);
    /// ```
    pub fn max_nodes(&self) -> usize {
        self.max_nodes
    }
    /// The time limit, if any.
    ///
    /// ```
    /// assert_eq!(offergraph::optimize::SolveOptions::new().time_limit(), None);
    /// ```
    pub fn time_limit(&self) -> Option<Duration> {
        self.time_limit
    }
}
