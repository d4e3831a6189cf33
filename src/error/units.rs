//! Errors of the value types [`Money`](crate::Money) and [`Rate`](crate::Rate).

/// Why a number is not a valid amount of money.
///
/// # Example
/// ```
/// use offergraph::Money;
/// use offergraph::error::MoneyError;
/// assert!(matches!(Money::new(-5.0), Err(MoneyError::Negative { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// NaN or infinity.
    #[error("amount must be a finite number, found {}", crate::numerics::Shown(*found))]
    NotFinite {
        /// The value found.
        found: f64,
    },
    /// Below zero.
    #[error("amount must be non-negative, found {}", crate::numerics::Shown(*found))]
    Negative {
        /// The value found.
        found: f64,
    },
    /// Positive but outside [`ranges::MONEY`](crate::ranges::MONEY): too small to be money, or
    /// too large for any plan.
    #[error("amount must be {}, found {}", crate::ranges::MONEY.expected(), crate::numerics::Shown(*found))]
    OutOfRange {
        /// The value found.
        found: f64,
    },
}

/// Why a number is not a valid rate.
///
/// # Example
/// ```
/// use offergraph::Rate;
/// use offergraph::error::RateError;
/// assert!(matches!(Rate::new(f64::INFINITY), Err(RateError::NotFinite { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RateError {
    /// NaN or infinity.
    #[error("rate must be a finite number, found {}", crate::numerics::Shown(*found))]
    NotFinite {
        /// The value found.
        found: f64,
    },
    /// Outside [`ranges::RATE`](crate::ranges::RATE): below 0, above 1, or a positive value
    /// too small to be a rate.
    #[error("rate must be {}, found {}", crate::ranges::RATE.expected(), crate::numerics::Shown(*found))]
    OutOfRange {
        /// The value found.
        found: f64,
    },
}
