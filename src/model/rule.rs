//! Per-module budget rules: how a module claims its share of the period's budget.

use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::numerics::ranges;

/// How a module claims budget.
///
/// ```
/// use offergraph::Share;
/// assert_eq!(Share::Weight(2.0), Share::Weight(2.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Share {
    /// Exactly this amount, taken off the top of the budget.
    Fixed(f64),
    /// A share of what is left after fixed amounts, proportional to this weight.
    Weight(f64),
}

/// A module's budget rule: a [`Share`] plus optional minimum and maximum spend.
///
/// Rules are checked when the module is added to a plan (the plan knows the module's key and can
/// name it in the error): weights and amounts must be finite and non-negative, `min ≤ max`, and a
/// fixed amount must lie within `[min, max]`.
///
/// # Example
/// ```
/// use offergraph::{BudgetRule, Share};
/// let rule = BudgetRule::weight(2.0).with_min(1_000.0).with_max(20_000.0);
/// assert_eq!(rule.share(), Share::Weight(2.0));
/// assert_eq!(rule.min(), 1_000.0);
/// assert_eq!(rule.max(), Some(20_000.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BudgetRule {
    share: Share,
    min: f64,
    max: Option<f64>,
}

impl Default for BudgetRule {
    /// Weight 1, no bounds: modules share the budget equally.
    fn default() -> Self {
        BudgetRule::weight(1.0)
    }
}

impl BudgetRule {
    /// A proportional share with weight `w`.
    ///
    /// ```
    /// assert_eq!(offergraph::BudgetRule::weight(3.0).share(), offergraph::Share::Weight(3.0));
    /// ```
    pub fn weight(w: f64) -> BudgetRule {
        BudgetRule { share: Share::Weight(w), min: 0.0, max: None }
    }

    /// A fixed amount.
    ///
    /// ```
    /// assert_eq!(offergraph::BudgetRule::fixed(500.0).share(), offergraph::Share::Fixed(500.0));
    /// ```
    pub fn fixed(amount: f64) -> BudgetRule {
        BudgetRule { share: Share::Fixed(amount), min: 0.0, max: None }
    }

    /// Sets the maximum spend.
    ///
    /// ```
    /// assert_eq!(offergraph::BudgetRule::weight(1.0).with_max(10.0).max(), Some(10.0));
    /// ```
    #[must_use]
    pub fn with_max(mut self, max: f64) -> BudgetRule {
        self.max = Some(max);
        self
    }

    /// The share.
    ///
    /// ```
    /// assert_eq!(offergraph::BudgetRule::default().share(), offergraph::Share::Weight(1.0));
    /// ```
    pub fn share(&self) -> Share {
        self.share
    }

    /// Minimum spend (0 when unset).
    ///
    /// ```
    /// assert_eq!(offergraph::BudgetRule::default().min(), 0.0);
    /// ```
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Maximum spend, if any.
    ///
    /// ```
    /// assert_eq!(offergraph::BudgetRule::default().max(), None);
    /// ```
    pub fn max(&self) -> Option<f64> {
        self.max
    }

    /// Upper bound as a number (`∞` when unset).
    pub(crate) fn upper(&self) -> f64 {
        self.max.unwrap_or(f64::INFINITY)
    }

    /// Checks the rule for the module `key`.
    pub(crate) fn validate(&self, key: &str) -> Result<(), ModelError> {
        let f = crate::model::parts::Field { entity: "module", key };
        match self.share {
            Share::Fixed(a) => f.check("fixed", a, ranges::MONEY).map(drop)?,
            Share::Weight(w) => f.check("weight", w, ranges::WEIGHT).map(drop)?,
        }
        f.check("min", self.min, ranges::MONEY)?;
        if let Some(max) = self.max {
            f.check("max", max, ranges::MONEY)?;
            if self.min > max {
                return Err(ModelError::InvalidBudgetRule {
                    module: key.to_owned(),
                    problem: format!("minimum {} is above maximum {}", self.min, max),
                });
            }
        }
        if let Share::Fixed(a) = self.share
            && (a < self.min || a > self.upper())
        {
            return Err(ModelError::InvalidBudgetRule {
                module: key.to_owned(),
                problem: match self.max {
                    Some(max) => format!("fixed amount {a} is outside its bounds [{}, {max}]", self.min),
                    None => format!("fixed amount {a} is below its minimum {}", self.min),
                },
            });
        }
        Ok(())
    }
}

setters!(BudgetRule {
    /// Sets the minimum spend.
    ///
    /// ```
    /// assert_eq!(offergraph::BudgetRule::weight(1.0).with_min(10.0).min(), 10.0);
    /// ```
    with_min(min: f64) sets min;
});
