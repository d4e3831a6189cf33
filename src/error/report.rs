//! Errors raised by reports.

/// Why a report cannot be produced.
///
/// # Design
/// Evaluations are plain vectors aligned with the plan's modules (that keeps a million-module
/// evaluation fast); the price is a check that the plan has not changed in between.
///
/// # Example
/// ```
/// # let mut plan = offergraph::sample::apartments()?;
/// let eval = plan.evaluate()?;
/// plan.remove_module("investors/yield/1-room/outdoor")?;
/// assert_eq!(eval.table(&plan).unwrap_err().to_string(), "the evaluation was made for another set of modules than the plan has now; make it again after changing the plan");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The plan's modules changed after the evaluation or allocation was made.
    #[error(
        "the {what} was made for another set of modules than the plan has now; make it again after changing the plan"
    )]
    Stale {
        /// What is stale: `"evaluation"` or `"allocation"`.
        what: &'static str,
    },
    /// A module's figure came out NaN or infinite (an iteration ran out or a value overflowed).
    /// Never happens for numbers within their accepted ranges; reported, never returned.
    #[error("module \"{module}\": its {figure} is not a finite number (found {}); its parts' numbers lie outside what can be computed, see the accepted ranges in docs/model.md", crate::numerics::Shown(*found))]
    NotFinite {
        /// The module's key.
        module: String,
        /// Which figure (`leads`, `gross_profit`…).
        figure: &'static str,
        /// The value computed.
        found: f64,
    },
    /// A target ROMI outside [`TARGET_ROMI`](crate::ranges::TARGET_ROMI), the range every layer
    /// accepts.
    #[error("target ROMI must be {}, found {}", crate::ranges::TARGET_ROMI.expected(), crate::numerics::Shown(*found))]
    InvalidTargetRomi {
        /// The value found.
        found: f64,
    },
}
