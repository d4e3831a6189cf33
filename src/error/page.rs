//! Errors raised while rendering the HTML report (feature `report`).

/// Why the HTML report cannot be rendered.
///
/// # Design
/// The page reads evaluations, optima, Monte Carlo runs and diagnoses that report their own
/// errors (they reach callers through [`Error`](crate::Error) in the variant of the layer that
/// raised them); this enum holds only what the page adds: its charts. A chart
/// error carries the drawing library's message as text, so no dependency type leaks.
///
/// # Example
/// ```
/// use offergraph::error::PageError;
/// let err = PageError::Chart { chart: "allocation".into(), message: "the drawing area is too small".into() };
/// assert_eq!(err.to_string(), "report chart \"allocation\" could not be drawn: the drawing area is too small");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PageError {
    /// A chart could not be drawn (the drawing library's message).
    #[error("report chart \"{chart}\" could not be drawn: {message}")]
    Chart {
        /// The chart's title.
        chart: String,
        /// What the drawing library said.
        message: String,
    },
}
