//! Errors of the text forms of selectors, limits, objectives and variants (the command line's
//! arguments, see `FromStr` on [`Selector`](crate::Selector)).

/// Why a text cannot be read as a selector, a limit, an objective or a variant.
///
/// # Design
/// One type for every small grammar: each names what was being read, the text found and the
/// forms accepted, so a command line can print it as is.
///
/// # Example
/// ```
/// let err = "search".parse::<offergraph::Selector>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid selector \"search\": expected KIND:KEY (segment, proposition, offer or channel) or tag:NAME=VALUE"
/// );
/// assert_eq!(err.found(), "search");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} \"{found}\": expected {expected}")]
pub struct SyntaxError {
    what: &'static str,
    found: String,
    expected: &'static str,
}

impl SyntaxError {
    pub(crate) fn new(what: &'static str, found: &str, expected: &'static str) -> SyntaxError {
        SyntaxError { what, found: found.to_owned(), expected }
    }

    /// What was being read: `"selector"`, `"limit"`, `"objective"`, `"variant"`.
    ///
    /// ```
    /// assert_eq!("x".parse::<offergraph::optimize::Limit>().unwrap_err().what(), "limit");
    /// ```
    pub fn what(&self) -> &str {
        self.what
    }

    /// The text found.
    ///
    /// ```
    /// assert_eq!("x".parse::<offergraph::optimize::Limit>().unwrap_err().found(), "x");
    /// ```
    pub fn found(&self) -> &str {
        &self.found
    }

    /// The forms accepted.
    ///
    /// ```
    /// let err = "x".parse::<offergraph::optimize::Limit>().unwrap_err();
    /// assert_eq!(err.expected(), "an amount of money (25000) or a share of the budget (40%)");
    /// ```
    pub fn expected(&self) -> &str {
        self.expected
    }
}
