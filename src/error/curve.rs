//! Errors raised when a response curve is built or loaded.

/// Why a response curve cannot be built.
///
/// # Design
/// Each variant names the family and the parameter, so a plan loader can add the module or
/// channel key and the user sees exactly which number to fix.
///
/// # Example
/// ```
/// use offergraph::curves::Hill;
/// let err = Hill::new(-1.0, 10.0, 1.0).unwrap_err();
/// assert_eq!(err.to_string(), "hill parameter `L` must be a number in [1e-6, 1e12], found -1");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CurveError {
    /// A scalar parameter is NaN, infinite or out of its range.
    #[error("{curve} parameter `{parameter}` must be {expected}, found {}", crate::numerics::Shown(*found))]
    InvalidParameter {
        /// Curve family (`"hill"`).
        curve: &'static str,
        /// Parameter name as in plan files (`"L"`).
        parameter: &'static str,
        /// The value found.
        found: f64,
        /// What was expected.
        expected: &'static str,
    },
    /// Observed points of a piecewise-linear curve are not usable.
    #[error("piecewise_linear point {index}: {problem}")]
    InvalidPoint {
        /// Zero-based index of the offending point.
        index: usize,
        /// What is wrong with it.
        problem: String,
    },
}
