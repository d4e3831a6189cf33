//! Plan files: JSON with a `schema_version`, validated in full on load.

mod file;
mod policy;

pub use file::{
    BudgetFile, ChannelFile, ModuleFile, OfferFile, OverridesFile, PlanFile, PropositionFile, SCHEMA_VERSION,
    SUPPORTED_SCHEMA_VERSIONS, SegmentFile,
};
pub use policy::{
    BudgetKindFile, BudgetPolicyFile, CapacityFile, GroupFile, LimitFile, MeasureFile, ObjectiveFile,
};

use crate::Plan;
use crate::error::PlanError;

/// Reads only the version, ignoring everything else, so a newer file gets a version error rather
/// than an unknown-field error.
#[derive(serde::Deserialize)]
struct VersionProbe {
    schema_version: Option<u32>,
}

fn json_error(e: &serde_json::Error) -> PlanError {
    // serde_json's message ends with its own " at line L column C"; the position is kept in
    // fields and printed once by `PlanError::Json`.
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    PlanError::Json { message, line: e.line(), column: e.column() }
}

impl Plan {
    /// Parses and validates a plan from JSON.
    ///
    /// # Errors
    /// [`PlanError::Json`] for malformed JSON, unknown fields or wrong types (with line and
    /// column); [`PlanError::MissingSchemaVersion`]; [`PlanError::UnsupportedSchema`];
    /// [`PlanError::Model`] for invalid values and references.
    ///
    /// ```
    /// use offergraph::Plan;
    /// let err = Plan::from_json(r#"{"schema_version": 9, "name": "x", "budget": 1}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "unsupported schema_version 9; this version of offergraph reads schema_version 1 to 2");
    /// let err = Plan::from_json(r#"{"schema_version": 1, "name": "x", "budget": -1}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "plan \"x\" field `budget` must be 0 or a number in [1e-6, 1e15], found -1");
    /// ```
    pub fn from_json(json: &str) -> Result<Plan, PlanError> {
        let probe: VersionProbe = serde_json::from_str(json).map_err(|e| json_error(&e))?;
        match probe.schema_version {
            None => return Err(PlanError::MissingSchemaVersion),
            Some(v) if !SUPPORTED_SCHEMA_VERSIONS.contains(&v) => {
                return Err(PlanError::UnsupportedSchema { found: v, supported: SCHEMA_VERSION });
            }
            Some(_) => {}
        }
        let file: PlanFile = serde_json::from_str(json).map_err(|e| json_error(&e))?;
        Plan::try_from(file)
    }

    /// Writes the plan as pretty JSON; [`Plan::from_json`] gives back an identical plan (ids and
    /// order included).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let json = plan.to_json();
    /// let again = offergraph::Plan::from_json(&json)?;
    /// assert_eq!(again.to_json(), json);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(&PlanFile::from(self)).unwrap_or_default()
    }

    /// Loads a plan file.
    ///
    /// # Errors
    /// [`PlanError::Io`] when the file cannot be read, then as [`Plan::from_json`], with the path.
    ///
    /// ```
    /// let err = offergraph::Plan::load("/no/such/plan.json").unwrap_err();
    /// assert!(err.to_string().starts_with("cannot access plan file /no/such/plan.json"));
    /// ```
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<Plan, PlanError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| PlanError::Io { path: path.display().to_string(), message: e.to_string() })?;
        Plan::from_json(&text)
            .map_err(|e| PlanError::InFile { path: path.display().to_string(), source: Box::new(e) })
    }

    /// Saves the plan as pretty JSON.
    ///
    /// # Errors
    /// [`PlanError::Io`] when the file cannot be written.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let path = std::env::temp_dir().join("offergraph-doc-save.json");
    /// plan.save(&path)?;
    /// assert_eq!(offergraph::Plan::load(&path)?.to_json(), plan.to_json());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> Result<(), PlanError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json())
            .map_err(|e| PlanError::Io { path: path.display().to_string(), message: e.to_string() })
    }
}
