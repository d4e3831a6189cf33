//! The standalone `allocation-problem/v1` file format, for tools that bring their own curves.
//!
//! ```json
//! { "format": "allocation-problem/v1", "id": "any string",
//!   "objective": "max_response_fixed_budget" | "max_profit" | "max_profit_lead_capacity",
//!   "constraints": { "budget": 1000.0, "budget_type": "eq" | "le", "lead_capacity": 50.0 | null },
//!   "modules": [ { "name": "a", "curve": { "type": "hill", "L": 1.0, "k": 1.0, "a": 2.0 },
//!                  "value_per_lead": 3.0, "lo": 0.0, "hi": 100.0 } ] }
//! ```
//! Unknown extra fields are ignored in this format only.

use serde::Deserialize;

use super::problem::{Activity, Budget, Capacity, Measure, Objective, Problem};
use crate::curves::{Exponential, Hill, ResponseCurve};
use crate::error::{CurveError, OptimizeError};

/// The format tag this loader reads.
///
/// ```
/// assert_eq!(offergraph::file::PROBLEM_FORMAT, "allocation-problem/v1");
/// ```
pub const FORMAT: &str = "allocation-problem/v1";

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::enum_variant_names)] // the names mirror the file format's objective strings
enum FileObjective {
    MaxResponseFixedBudget,
    MaxProfit,
    MaxProfitLeadCapacity,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
enum FileBudgetType {
    Eq,
    Le,
}

#[derive(Debug, Clone, Deserialize)]
struct FileConstraints {
    budget: f64,
    budget_type: FileBudgetType,
    #[serde(default)]
    lead_capacity: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum FileCurve {
    Hill {
        #[serde(rename = "L")]
        l: f64,
        k: f64,
        a: f64,
    },
    Exponential {
        #[serde(rename = "L")]
        l: f64,
        k: f64,
    },
}

#[derive(Debug, Clone, Deserialize)]
struct FileModule {
    name: String,
    curve: FileCurve,
    value_per_lead: f64,
    lo: f64,
    hi: f64,
}

/// A parsed `allocation-problem/v1` file (the data-transfer type; convert it with
/// [`ProblemFile::to_problem`]).
///
/// # Example
/// ```
/// use offergraph::{file::ProblemFile, optimize::SolveOptions};
/// let json = r#"{"format": "allocation-problem/v1", "id": "demo", "objective": "max_profit",
///   "constraints": {"budget": 100.0, "budget_type": "le", "lead_capacity": null},
///   "modules": [{"name": "a", "curve": {"type": "exponential", "L": 100.0, "k": 50.0},
///                "value_per_lead": 3.0, "lo": 0.0, "hi": 1000.0, "notes": "ignored"}],
///   "meta": {"seed": 1}}"#;
/// let file = ProblemFile::from_json(json)?;
/// assert_eq!(file.id(), "demo");
/// let s = file.to_problem()?.solve(SolveOptions::new())?;
/// assert!((s.spend[0] - 50.0 * 6f64.ln()).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct ProblemFile {
    format: String,
    id: String,
    objective: FileObjective,
    constraints: FileConstraints,
    modules: Vec<FileModule>,
}

impl ProblemFile {
    /// Parses a file's text.
    ///
    /// # Errors
    /// [`OptimizeError::File`] for malformed JSON, a missing field or a wrong format tag.
    ///
    /// # Example
    /// ```
    /// use offergraph::file::ProblemFile;
    /// let err = ProblemFile::from_json(r#"{"format": "x"}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("problem file: "));
    /// ```
    pub fn from_json(text: &str) -> Result<ProblemFile, OptimizeError> {
        let f: ProblemFile =
            serde_json::from_str(text).map_err(|e| OptimizeError::File { message: e.to_string() })?;
        if f.format != FORMAT {
            return Err(OptimizeError::File {
                message: format!("unsupported format {:?}, expected {FORMAT:?}", f.format),
            });
        }
        Ok(f)
    }

    /// The file's `id`.
    ///
    /// ```
    /// # let json = r#"{"format": "allocation-problem/v1", "id": "x", "objective": "max_profit",
    /// #   "constraints": {"budget": 1.0, "budget_type": "le"}, "modules": []}"#;
    /// let f = offergraph::file::ProblemFile::from_json(json)?;
    /// assert_eq!(f.id(), "x");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Converts to a validated [`Problem`].
    ///
    /// # Errors
    /// [`OptimizeError::FileCurve`] for invalid curve parameters, [`OptimizeError::InvalidModule`]
    /// and [`OptimizeError::BoundsReversed`] for bad module numbers,
    /// [`OptimizeError::InvalidParameter`] for a bad budget or capacity, [`OptimizeError::File`]
    /// when `max_profit_lead_capacity` has no `lead_capacity`.
    ///
    /// # Example
    /// ```
    /// # let json = r#"{"format": "allocation-problem/v1", "id": "x", "objective": "max_profit",
    /// #   "constraints": {"budget": 1.0, "budget_type": "le"}, "modules": []}"#;
    /// let p = offergraph::file::ProblemFile::from_json(json)?.to_problem()?;
    /// assert!(p.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_problem(&self) -> Result<Problem, OptimizeError> {
        let objective = match self.objective {
            FileObjective::MaxResponseFixedBudget => {
                Objective::MaxValueFixedBudget { measure: Measure::GrossProfit }
            }
            FileObjective::MaxProfit | FileObjective::MaxProfitLeadCapacity => Objective::MaxProfit,
        };
        let mut p = Problem::new(objective);
        let c = &self.constraints;
        p.set_budget(match c.budget_type {
            FileBudgetType::Eq => Budget::exactly(c.budget),
            FileBudgetType::Le => Budget::at_most(c.budget),
        })?;
        for (index, m) in self.modules.iter().enumerate() {
            let curve: Result<ResponseCurve, CurveError> = match m.curve {
                FileCurve::Hill { l, k, a } => Hill::new(l, k, a).map(Into::into),
                FileCurve::Exponential { l, k } => Exponential::new(l, k).map(Into::into),
            };
            let curve =
                curve.map_err(|source| OptimizeError::FileCurve { index, name: m.name.clone(), source })?;
            p.add_module(Activity::new(m.name.clone(), curve, m.value_per_lead)?.with_bounds(m.lo, m.hi)?)?;
        }
        if let FileObjective::MaxProfitLeadCapacity = self.objective {
            let Some(cap) = c.lead_capacity else {
                return Err(OptimizeError::File {
                    message: "objective max_profit_lead_capacity needs constraints.lead_capacity".into(),
                });
            };
            p.add_capacity(Capacity::new(
                "lead_capacity",
                (0..self.modules.len()).collect(),
                Measure::Leads,
                cap,
            ))?;
        }
        Ok(p)
    }
}
