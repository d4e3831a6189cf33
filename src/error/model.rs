//! Errors raised when a plan's module graph is built or edited.

use crate::error::CurveError;

/// Why a part or module cannot be added, edited or composed.
///
/// # Design
/// Every variant names the entity kind and its human key, so a message points at the line of the
/// script or plan file to fix. Values found are carried as numbers, expectations as text.
///
/// # Example
/// ```
/// use offergraph::Offer;
/// let err = Offer::new("2-room", 90_000.0, 1.2, 1.0).unwrap_err();
/// assert_eq!(err.to_string(), "offer \"2-room\" field `margin` must be 0 or a number in [1e-9, 1], found 1.2");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A number is NaN, infinite or outside its range.
    #[error("{entity} \"{key}\" field `{field}` must be {expected}, found {}", crate::numerics::Shown(*found))]
    InvalidValue {
        /// `"segment"`, `"offer"`, …
        entity: &'static str,
        /// Key of the entity.
        key: String,
        /// Field name as in plan files.
        field: &'static str,
        /// The value found.
        found: f64,
        /// What was expected.
        expected: &'static str,
    },
    /// A response curve is invalid.
    #[error("{entity} \"{key}\" field `curve`: {source}")]
    InvalidCurve {
        /// `"channel"` or `"module"`.
        entity: &'static str,
        /// Key of the entity.
        key: String,
        /// The curve's own error.
        source: CurveError,
    },
    /// A key is empty or only whitespace.
    #[error("{entity} key must not be empty")]
    EmptyKey {
        /// Entity kind.
        entity: &'static str,
    },
    /// Two entities of one kind share a key.
    #[error("duplicate {entity} key \"{key}\"")]
    DuplicateKey {
        /// Entity kind.
        entity: &'static str,
        /// The repeated key.
        key: String,
    },
    /// Two entities of one kind share an id.
    #[error("duplicate {entity} id {id} (key \"{key}\")")]
    DuplicateId {
        /// Entity kind.
        entity: &'static str,
        /// The repeated id.
        id: uuid::Uuid,
        /// Key of the second entity carrying it.
        key: String,
    },
    /// A reference to a part or module that does not exist.
    #[error("{referrer} refers to {entity} \"{key}\", which the plan does not have")]
    Unknown {
        /// Entity kind looked for.
        entity: &'static str,
        /// The key looked for.
        key: String,
        /// Who refers to it (`module "x"`, `value proposition "y"`, `call`).
        referrer: String,
    },
    /// The value proposition does not speak to the module's segment.
    #[error(
        "value proposition \"{proposition}\" does not speak to segment \"{segment}\" (module \"{module}\"); add the segment to its audience or pick another proposition"
    )]
    Incompatible {
        /// Module key.
        module: String,
        /// Proposition key.
        proposition: String,
        /// Segment key.
        segment: String,
    },
    /// Segment base conversion × offer conversion factor is above 1.
    #[error(
        "module \"{module}\": composed conversion {base} × {factor} = {found} is above 1; lower the offer's conversion factor or override the module's conversion"
    )]
    ConversionAboveOne {
        /// Module key.
        module: String,
        /// Segment's base conversion.
        base: f64,
        /// Offer's conversion factor.
        factor: f64,
        /// Their product.
        found: f64,
    },
    /// A part cannot be removed while modules use it (unless the removal takes them along, see
    /// [`Removal::WithModules`](crate::Removal::WithModules)).
    #[error(
        "{entity} \"{key}\" is used by module(s) {}; remove or re-point them first, or remove them with it (Removal::WithModules)",
        Quoted(modules)
    )]
    PartInUse {
        /// Entity kind.
        entity: &'static str,
        /// Part key.
        key: String,
        /// Keys of the modules using it, in plan order.
        modules: Vec<String>,
    },
    /// An edit would take a segment out of a value proposition's audience while modules address
    /// that segment with it.
    #[error(
        "value proposition \"{proposition}\" must keep segment \"{segment}\" in its audience: module(s) {} address it; remove or re-point them first",
        Quoted(modules)
    )]
    AudienceInUse {
        /// Proposition key.
        proposition: String,
        /// Segment key.
        segment: String,
        /// Keys of the modules built on both, in plan order.
        modules: Vec<String>,
    },
    /// A part cannot be removed while the plan's budget policy names it.
    #[error("{entity} \"{key}\" is named by the budget policy's {rule}; change the policy first")]
    NamedByPolicy {
        /// Entity kind.
        entity: &'static str,
        /// Part key.
        key: String,
        /// The rule naming it (`capacity "desk"`, `group cap on channel "search"`).
        rule: String,
    },
    /// A budget policy in a plan file is contradictory.
    #[error("budget policy {what}: {problem}")]
    InvalidPolicy {
        /// Which rule (`group 0`, `capacity "sales"`).
        what: String,
        /// What is wrong.
        problem: String,
    },
    /// A budget rule is contradictory.
    #[error("module \"{module}\" budget: {problem}")]
    InvalidBudgetRule {
        /// Module key.
        module: String,
        /// What is wrong.
        problem: String,
    },
}

/// Keys in quotes, separated by commas: `"a", "b"`.
struct Quoted<'a>(&'a [String]);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, k) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "\"{k}\"")?;
        }
        Ok(())
    }
}

impl ModelError {
    /// Names a plan budget that is not valid money.
    pub(crate) fn from_money(e: crate::error::MoneyError) -> ModelError {
        let found = match e {
            crate::error::MoneyError::NotFinite { found }
            | crate::error::MoneyError::Negative { found }
            | crate::error::MoneyError::OutOfRange { found } => found,
        };
        ModelError::InvalidValue {
            entity: "plan",
            key: "budget".to_owned(),
            field: "budget",
            found,
            expected: "a finite, non-negative amount of money",
        }
    }
}
