//! Plan files: JSON with a `schema_version`, validated in full on load. A file holds a
//! [`Scenario`]: the plan and, optionally, its time model; a bare [`Plan`] reads and writes files
//! without a `time` section.

mod apply;
pub(crate) mod file;
mod pointer;
pub(crate) mod policy;
mod scenario;
mod warnings;

pub use apply::Comparison;
pub use scenario::Scenario;
pub use warnings::Warning;

use crate::Plan;
use crate::error::PlanError;
use crate::error::json::locate;
use file::{PlanFile, SCHEMA_VERSION, SUPPORTED_SCHEMA_VERSIONS};

/// Reads only the version, ignoring everything else, so a newer file gets a version error rather
/// than an unknown-field error.
#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct VersionProbe {
    schema_version: Option<u32>,
}

fn json_error(json: &str, e: &serde_json::Error) -> PlanError {
    let (message, line, column) = locate(json, e);
    PlanError::Json { message, line, column }
}

/// The plan-file methods of a type a plan file holds (`Plan`, `Scenario`): `from_json` and `load`
/// read through `parse`, `to_json` and `save` write its `PlanFile`. The docs of each come with
/// the invocation.
macro_rules! plan_file_io {
    (
        $ty:ident {
            $(#[$from_json:meta])* from_json;
            $(#[$to_json:meta])* to_json;
            $(#[$load:meta])* load;
            $(#[$save:meta])* save;
        }
    ) => {
        impl $ty {
            $(#[$from_json])*
            pub fn from_json(json: &str) -> Result<$ty, PlanError> {
                parse(json)
            }

            $(#[$to_json])*
            pub fn to_json(&self) -> String {
                write_json(&PlanFile::from(self))
            }

            $(#[$load])*
            pub fn load(path: impl AsRef<std::path::Path>) -> Result<$ty, PlanError> {
                read(path.as_ref())
            }

            $(#[$save])*
            pub fn save(&self, path: impl AsRef<std::path::Path>) -> Result<(), PlanError> {
                write(path.as_ref(), &self.to_json())
            }
        }
    };
}

plan_file_io! {
    Plan {
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
        /// assert_eq!(err.to_string(), "unsupported schema_version 9; this version of offergraph reads schema_version 1 to 3");
        /// let err = Plan::from_json(r#"{"schema_version": 1, "name": "x", "budget": -1}"#).unwrap_err();
        /// assert_eq!(err.to_string(), "plan \"x\" field `budget` must be 0 or a number in [1e-6, 1e15], found -1");
        /// ```
        from_json;
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
        to_json;
        /// Loads a plan file.
        ///
        /// # Errors
        /// [`PlanError::Io`] when the file cannot be read, then as [`Plan::from_json`], with the path.
        ///
        /// ```
        /// let err = offergraph::Plan::load("/no/such/plan.json").unwrap_err();
        /// assert!(err.to_string().starts_with("cannot access plan file /no/such/plan.json"));
        /// ```
        load;
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
        save;
    }
}

plan_file_io! {
    Scenario {
        /// Parses and validates a scenario (a plan file, with or without a `time` section).
        ///
        /// # Errors
        /// As [`Plan::from_json`]; [`PlanError::Time`] when the time section is invalid for the plan.
        ///
        /// ```
        /// let json = offergraph::sample::apartments()?.to_json();
        /// let s = offergraph::Scenario::from_json(&json)?;
        /// assert!(s.time().is_none());
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        from_json;
        /// Writes the scenario as pretty JSON: the plan, and the time model as its `time` section.
        ///
        /// ```
        /// use offergraph::time::{Horizon, TimeModel};
        /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?).with_time(TimeModel::new(Horizon::weeks(4)?))?;
        /// assert!(s.to_json().contains("\"time\""));
        /// assert_eq!(offergraph::Scenario::from_json(&s.to_json())?.to_json(), s.to_json());
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        to_json;
        /// Loads a plan file as a scenario.
        ///
        /// # Errors
        /// [`PlanError::Io`] when the file cannot be read, then as [`Scenario::from_json`], with the
        /// path.
        ///
        /// ```
        /// let err = offergraph::Scenario::load("/no/such/plan.json").unwrap_err();
        /// assert!(err.to_string().starts_with("cannot access plan file /no/such/plan.json"));
        /// ```
        load;
        /// Saves the scenario as pretty JSON.
        ///
        /// # Errors
        /// [`PlanError::Io`] when the file cannot be written.
        ///
        /// ```
        /// let s = offergraph::Scenario::new(offergraph::sample::apartments()?);
        /// let path = std::env::temp_dir().join("offergraph-doc-scenario.json");
        /// s.save(&path)?;
        /// assert_eq!(offergraph::Scenario::load(&path)?.to_json(), s.to_json());
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        save;
    }
}

impl std::fmt::Debug for Plan {
    /// The plan file, so that a plan in a failing assertion or a property's counterexample reads
    /// as data and loads again with [`Plan::from_json`] (its graph and hot arrays are internal).
    ///
    /// ```
    /// let plan = offergraph::sample::apartments()?;
    /// let shown = format!("{plan:?}");
    /// assert_eq!(offergraph::Plan::from_json(&shown)?.to_json(), plan.to_json());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// Checks the version first (so a newer file gets a version error rather than an unknown-field
/// error), then reads and validates the whole file.
fn parse<T: TryFrom<PlanFile, Error = PlanError>>(json: &str) -> Result<T, PlanError> {
    let probe: VersionProbe = serde_json::from_str(json).map_err(|e| json_error(json, &e))?;
    match probe.schema_version {
        None => return Err(PlanError::MissingSchemaVersion),
        Some(v) if !SUPPORTED_SCHEMA_VERSIONS.contains(&v) => {
            return Err(PlanError::UnsupportedSchema { found: v, supported: SCHEMA_VERSION });
        }
        Some(_) => {}
    }
    let file: PlanFile = serde_json::from_str(json).map_err(|e| json_error(json, &e))?;
    T::try_from(file)
}

fn write_json(file: &PlanFile) -> String {
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string_pretty(file).unwrap_or_default()
}

fn read<T: TryFrom<PlanFile, Error = PlanError>>(path: &std::path::Path) -> Result<T, PlanError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| PlanError::Io { path: path.display().to_string(), message: e.to_string() })?;
    parse(&text).map_err(|e| PlanError::InFile { path: path.display().to_string(), source: Box::new(e) })
}

fn write(path: &std::path::Path, text: &str) -> Result<(), PlanError> {
    std::fs::write(path, text)
        .map_err(|e| PlanError::Io { path: path.display().to_string(), message: e.to_string() })
}
