//! Limits and tolerances for a solve.

use std::time::Duration;

use crate::error::OptimizeError;
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
    /// tolerance · max(|objective|, 1)`. It must lie in `[MIN_TOLERANCE, 1]`: a solve with any
    /// other value (or NaN) is refused with [`OptimizeError::InvalidParameter`] naming
    /// `tolerance` ([`SolveOptions::validate`]), never silently changed.
    ///
    /// ```
    /// use offergraph::optimize::SolveOptions;
    /// assert_eq!(SolveOptions::new().with_tolerance(1e-4).tolerance(), 1e-4);
    /// let err = SolveOptions::new().with_tolerance(0.0).validate().unwrap_err();
    /// assert_eq!(err.to_string(), "tolerance must be a number in [1e-12, 1], found 0");
    /// ```
    pub fn with_tolerance(mut self, rel: f64) -> SolveOptions {
        self.tolerance = rel;
        self
    }
    /// Most branch-and-bound nodes to explore; at least 1 (a solve with 0 is refused, as for
    /// the tolerance). A problem of more than 60 modules with capacities whose dual finds no
    /// feasible point is decided by a spatial search of a few nodes (8); a `node_limit` status
    /// there names that search's limit (`docs/optimize.md`).
    ///
    /// ```
    /// use offergraph::optimize::SolveOptions;
    /// assert_eq!(SolveOptions::new().with_max_nodes(50).max_nodes(), 50);
    /// let err = SolveOptions::new().with_max_nodes(0).validate().unwrap_err();
    /// assert_eq!(err.to_string(), "max_nodes must be a whole number of at least 1, found 0");
    /// ```
    pub fn with_max_nodes(mut self, n: usize) -> SolveOptions {
        self.max_nodes = n;
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
    /// Checks the options as every solve does first: the tolerance in `[MIN_TOLERANCE, 1]` and
    /// at least one node.
    ///
    /// # Errors
    /// [`OptimizeError::InvalidParameter`] naming `tolerance` or `max_nodes`, with the value
    /// found and the range expected.
    ///
    /// ```
    /// use offergraph::optimize::SolveOptions;
    /// assert!(SolveOptions::new().validate().is_ok());
    /// let err = SolveOptions::new().with_tolerance(f64::NAN).validate().unwrap_err();
    /// assert_eq!(err.to_string(), "tolerance must be a number in [1e-12, 1], found NaN");
    /// ```
    pub fn validate(&self) -> Result<(), OptimizeError> {
        if !(self.tolerance >= tol::GAP_REL_MIN && self.tolerance <= 1.0) {
            return Err(OptimizeError::InvalidParameter {
                what: "tolerance",
                found: self.tolerance,
                expected: "a number in [1e-12, 1]",
            });
        }
        if self.max_nodes == 0 {
            return Err(OptimizeError::InvalidParameter {
                what: "max_nodes",
                found: 0.0,
                expected: "a whole number of at least 1",
            });
        }
        Ok(())
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
