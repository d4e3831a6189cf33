//! Errors of the value types [`Money`](crate::Money) and [`Rate`](crate::Rate).

/// Why a number is not a valid amount of money.
///
/// # Example
/// ```
/// use offergraph::{Money, MoneyError};
/// assert!(matches!(Money::new(-5.0), Err(MoneyError::Negative { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// NaN or infinity.
    #[error("amount must be a finite number, found {found}")]
    NotFinite {
        /// The value found.
        found: f64,
    },
    /// Below zero.
    #[error("amount must be non-negative, found {found}")]
    Negative {
        /// The value found.
        found: f64,
    },
}

/// Why a number is not a valid rate.
///
/// # Example
/// ```
/// use offergraph::{Rate, RateError};
/// assert!(matches!(Rate::new(f64::INFINITY), Err(RateError::NotFinite { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RateError {
    /// NaN or infinity.
    #[error("rate must be a finite number, found {found}")]
    NotFinite {
        /// The value found.
        found: f64,
    },
    /// Outside `[0, 1]`.
    #[error("rate must be in [0, 1], found {found}")]
    OutOfRange {
        /// The value found.
        found: f64,
    },
}
