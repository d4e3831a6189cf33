//! Validated value types: [`Money`] and [`Rate`].
//!
//! Constructors reject NaN, infinity and out-of-range values, and deserialization goes through the
//! same constructors, so no plan file can build a negative amount or a rate above one.

use serde::{Deserialize, Serialize};

use crate::error::{MoneyError, RateError};
use crate::numerics::ranges;

/// A validated `f64` in `ranges::$range`: declares the struct, serialized as a plain number and
/// read through `new`; `new`, which refuses NaN and infinity (`NotFinite`), a negative value with
/// its own variant where the type has one, and anything else outside the range (`OutOfRange`);
/// `constant`, the same range checked at compile time, panicking with `$panic`; `get`; and the
/// `f64` conversions serde goes through. The docs of the struct, `new`, `constant` and `get` come
/// with the invocation.
macro_rules! validated_f64 {
    (
        $(#[$meta:meta])*
        $value:ident in $range:ident, else $error:ident $(, $negative:ident below zero)?;
        $(#[$new_meta:meta])*
        new;
        $(#[$constant_meta:meta])*
        constant, panicking with $panic:literal;
        $(#[$get_meta:meta])*
        get;
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(try_from = "f64", into = "f64")]
        pub struct $value(f64);

        impl $value {
            $(#[$new_meta])*
            pub fn new(value: f64) -> Result<$value, $error> {
                if !value.is_finite() {
                    Err($error::NotFinite { found: value })
                } $(else if value < 0.0 {
                    Err($error::$negative { found: value })
                })? else if !ranges::$range.contains(value) {
                    Err($error::OutOfRange { found: value })
                } else {
                    // Normalise -0.0 so equal values are bit-identical.
                    Ok($value(value + 0.0))
                }
            }

            $(#[$constant_meta])*
            pub const fn constant(value: f64) -> $value {
                assert!(
                    value == 0.0 || (value >= ranges::$range.min() && value <= ranges::$range.max()),
                    $panic
                );
                $value(value)
            }

            $(#[$get_meta])*
            pub const fn get(self) -> f64 {
                self.0
            }
        }

        impl TryFrom<f64> for $value {
            type Error = $error;
            fn try_from(value: f64) -> Result<Self, Self::Error> {
                $value::new(value)
            }
        }

        impl From<$value> for f64 {
            fn from(v: $value) -> f64 {
                v.0
            }
        }
    };
}

validated_f64! {
    /// A non-negative, finite amount of money (spend, budget, deal value).
    ///
    /// # Example
    /// ```
    /// use offergraph::Money;
    /// let m = Money::new(1500.0)?;
    /// assert_eq!(m.get(), 1500.0);
    /// assert!(Money::new(-1.0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Money in MONEY, else MoneyError, Negative below zero;
    /// Validates `value` as an amount of money.
    ///
    /// # Errors
    /// [`MoneyError::NotFinite`] for NaN or infinity, [`MoneyError::Negative`] below zero,
    /// [`MoneyError::OutOfRange`] outside [`ranges::MONEY`].
    ///
    /// # Example
    /// ```
    /// use offergraph::Money;
    /// assert_eq!(Money::new(f64::NAN).unwrap_err().to_string(), "amount must be a finite number, found NaN");
    /// ```
    new;
    /// A literal amount, checked at compile time when used in a `const`.
    ///
    /// # Panics
    /// When `value` is outside [`ranges::MONEY`].
    ///
    /// ```
    /// const BUDGET: offergraph::Money = offergraph::Money::constant(10_000.0);
    /// assert_eq!(BUDGET.get(), 10_000.0);
    /// ```
    constant, panicking with "money must be 0 or a number in [1e-6, 1e15]";
    /// The amount as `f64`.
    ///
    /// ```
    /// assert_eq!(offergraph::Money::constant(2.5).get(), 2.5);
    /// ```
    get;
}

impl Money {
    /// Zero money.
    ///
    /// ```
    /// assert_eq!(offergraph::Money::ZERO.get(), 0.0);
    /// ```
    pub const ZERO: Money = Money(0.0);

    /// Wraps a value the caller has already validated as finite and non-negative.
    pub(crate) fn from_checked(value: f64) -> Money {
        Money(value)
    }
}

validated_f64! {
    /// A share in `[0, 1]`: conversion rate, gross margin.
    ///
    /// # Example
    /// ```
    /// use offergraph::Rate;
    /// let c = Rate::new(0.14)?;
    /// assert_eq!(c.get(), 0.14);
    /// assert_eq!(Rate::new(1.2).unwrap_err().to_string(), "rate must be 0 or a number in [1e-9, 1], found 1.2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Rate in RATE, else RateError;
    /// Validates `value` as a rate.
    ///
    /// # Errors
    /// [`RateError::NotFinite`] for NaN or infinity, [`RateError::OutOfRange`] outside
    /// [`ranges::RATE`].
    ///
    /// ```
    /// assert!(offergraph::Rate::new(-0.1).is_err());
    /// ```
    new;
    /// A literal rate.
    ///
    /// # Panics
    /// When `value` is outside [`ranges::RATE`].
    ///
    /// ```
    /// const C: offergraph::Rate = offergraph::Rate::constant(0.27);
    /// assert_eq!(C.get(), 0.27);
    /// ```
    constant, panicking with "rate must be 0 or a number in [1e-9, 1]";
    /// The rate as `f64`.
    ///
    /// ```
    /// assert_eq!(offergraph::Rate::constant(0.5).get(), 0.5);
    /// ```
    get;
}

impl Rate {
    /// A rate of one (100%).
    ///
    /// ```
    /// assert_eq!(offergraph::Rate::ONE.get(), 1.0);
    /// ```
    pub const ONE: Rate = Rate(1.0);
}
