//! Errors raised when a plan file is read or written.

use crate::error::ModelError;

/// Why a plan file cannot be loaded or saved.
///
/// # Design
/// serde_json's error type is not exposed; its message, line and column are kept, so the public
/// API does not depend on the parser's version.
///
/// # Example
/// ```
/// let err = offergraph::Plan::from_json(r#"{"name": "x"}"#).unwrap_err();
/// assert_eq!(err.to_string(), "plan file has no `schema_version`; add \"schema_version\": 3");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Malformed JSON, an unknown field, a wrong type.
    #[error("invalid plan file at line {line}, column {column}: {message}")]
    Json {
        /// The parser's message.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// No `schema_version` field.
    #[error("plan file has no `schema_version`; add \"schema_version\": 3")]
    MissingSchemaVersion,
    /// A version this crate does not read.
    #[error(
        "unsupported schema_version {found}; this version of offergraph reads schema_version 1 to {supported}"
    )]
    UnsupportedSchema {
        /// Version found.
        found: u32,
        /// Version supported.
        supported: u32,
    },
    /// A version-1 file carries a `time` section.
    #[error("the `time` section needs schema_version 2, found schema_version {found}")]
    TimeNeedsV2 {
        /// Version found.
        found: u32,
    },
    /// A field of a later schema version appears in an older file.
    #[error(
        "`{field}` needs schema_version {needs}, found schema_version {found}; write \"schema_version\": {needs}"
    )]
    FieldNeedsVersion {
        /// The field (`default_lag`, `default_team`, `uncertainty`).
        field: &'static str,
        /// The version that introduced it.
        needs: u32,
        /// Version found.
        found: u32,
    },
    /// A file with an `uncertainty` section was loaded as a bare [`Plan`](crate::Plan), which
    /// would drop it.
    #[error(
        "the plan file has an `uncertainty` section; load it as a Scenario (Scenario::from_json or Scenario::load) to keep it"
    )]
    UncertaintyNeedsScenario,
    /// A file with a `time` section was loaded as a bare [`Plan`](crate::Plan), which would drop it.
    #[error(
        "the plan file has a `time` section; load it as a Scenario (Scenario::from_json or Scenario::load) to keep it"
    )]
    TimeNeedsScenario,
    /// The optimizing budget policy does not fit the plan (a selector naming a missing part or
    /// selecting no module, an invalid limit), found when the file is loaded.
    #[error(transparent)]
    Budget(#[from] crate::error::BudgetError),
    /// The `time` section is invalid for the plan.
    #[error(transparent)]
    Time(#[from] crate::error::TimeError),
    /// The `uncertainty` section is invalid for the plan.
    #[error(transparent)]
    Uncertainty(Box<crate::error::UncertaintyError>),
    /// A value or reference is invalid.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The file cannot be read or written.
    #[error("cannot access plan file {path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The system's message.
        message: String,
    },
    /// An error inside a named file.
    #[error("{path}: {source}")]
    InFile {
        /// The path.
        path: String,
        /// The error.
        source: Box<PlanError>,
    },
}

impl From<crate::error::UncertaintyError> for PlanError {
    /// Boxed: every result of the crate carries the size of its largest error.
    fn from(e: crate::error::UncertaintyError) -> PlanError {
        PlanError::Uncertainty(Box::new(e))
    }
}
