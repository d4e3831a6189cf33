//! The standalone allocation-problem files, for tools that bring their own curves.
//!
//! Version 2 (`allocation-problem/v2`) holds every constraint the library supports, spelled as
//! plan files spell the same things; unknown fields are rejected:
//!
//! ```json
//! { "format": "allocation-problem/v2", "id": "any string",
//!   "objective": {"kind": "max_profit"} | {"kind": "max_value_fixed_budget", "measure": "leads"} | …,
//!   "budget": 1000.0, "budget_kind": "eq" | "le",
//!   "modules": [ { "name": "a", "curve": { "type": "hill", "L": 1.0, "k": 1.0, "a": 2.0 },
//!                  "value_per_lead": 3.0, "deal_rate": 0.2, "lo": 0.0, "hi": 100.0,
//!                  "locked": 50.0, "enabled": true } ],
//!   "groups": [ { "name": "g", "members": ["a"], "cap": {"money": 80.0}, "floor": {"share": 0.1} } ],
//!   "capacities": [ { "name": "desk", "members": ["a"], "measure": "leads", "limit": 40.0 } ] }
//! ```
//!
//! Version 1 (`allocation-problem/v1`) keeps loading:
//!
//! ```json
//! { "format": "allocation-problem/v1", "id": "any string",
//!   "objective": "max_response_fixed_budget" | "max_profit" | "max_profit_lead_capacity",
//!   "constraints": { "budget": 1000.0, "budget_type": "eq" | "le", "lead_capacity": 50.0 | null },
//!   "modules": [ { "name": "a", "curve": { "type": "hill", "L": 1.0, "k": 1.0, "a": 2.0 },
//!                  "value_per_lead": 3.0, "lo": 0.0, "hi": 100.0 } ] }
//! ```
//! Unknown extra fields are ignored in this format only.

use serde::{Deserialize, Serialize};

use super::file_terms::{BudgetKindFile, LimitFile, MeasureFile, ObjectiveFile};
use super::problem::{Activity, Budget, BudgetKind, Capacity, Group, Measure, Objective, Problem};
use super::solution::Solution;
use crate::curves::{Exponential, Hill, ResponseCurve};
use crate::error::json::locate;
use crate::error::{CurveError, OptimizeError};

/// The format tag this crate writes and reads; [`FORMAT_V1`] files keep loading.
///
/// ```
/// assert_eq!(offergraph::file::PROBLEM_FORMAT, "allocation-problem/v2");
/// ```
pub const FORMAT: &str = "allocation-problem/v2";

/// The first format, which still loads.
///
/// ```
/// assert_eq!(offergraph::file::PROBLEM_FORMAT_V1, "allocation-problem/v1");
/// ```
pub const FORMAT_V1: &str = "allocation-problem/v1";

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[allow(clippy::enum_variant_names)] // the names mirror the file format's objective strings
enum FileObjective {
    MaxResponseFixedBudget,
    MaxProfit,
    MaxProfitLeadCapacity,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum FileBudgetType {
    Eq,
    Le,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct FileConstraints {
    budget: f64,
    budget_type: FileBudgetType,
    #[serde(default)]
    lead_capacity: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct FileModule {
    name: String,
    curve: FileCurve,
    value_per_lead: f64,
    lo: f64,
    hi: f64,
}

/// Version 1: unknown extra fields are ignored.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct V1 {
    id: String,
    objective: FileObjective,
    constraints: FileConstraints,
    modules: Vec<FileModule>,
}

/// Version 2: every constraint, unknown fields rejected.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct V2 {
    /// The format tag.
    #[allow(dead_code)] // checked by the format probe
    format: String,
    /// A name for the problem, repeated in the answer.
    #[serde(default)]
    id: String,
    /// What to optimise.
    objective: ObjectiveFile,
    /// The total budget (none: unbounded, for objectives that allow it).
    #[serde(default)]
    budget: Option<f64>,
    /// `eq` (spend it exactly) or `le`; the objective's default when absent.
    #[serde(default)]
    budget_kind: Option<BudgetKindFile>,
    /// The modules, by name.
    modules: Vec<V2Module>,
    /// Caps and floors on the spend of groups of modules.
    #[serde(default)]
    groups: Vec<V2Group>,
    /// Capacities on the leads or deals of groups of modules.
    #[serde(default)]
    capacities: Vec<V2Capacity>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct V2Module {
    /// Unique name, used by groups, capacities and in messages.
    name: String,
    /// Expected leads as a function of spend.
    curve: ResponseCurve,
    /// Gross profit per lead `v = c·p·m`.
    value_per_lead: f64,
    /// Deals per lead, for deal targets and deal capacities.
    #[serde(default)]
    deal_rate: Option<f64>,
    /// Minimum spend.
    #[serde(default)]
    lo: Option<f64>,
    /// Maximum spend.
    #[serde(default)]
    hi: Option<f64>,
    /// A spend fixed in advance.
    #[serde(default)]
    locked: Option<f64>,
    /// A switched-off module spends nothing.
    #[serde(default = "yes")]
    enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct V2Group {
    /// Name used in messages and shadow prices.
    name: String,
    /// Names of the member modules.
    members: Vec<String>,
    /// Cap on the group's spend.
    #[serde(default)]
    cap: Option<LimitFile>,
    /// Floor under the group's spend.
    #[serde(default)]
    floor: Option<LimitFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct V2Capacity {
    /// Name used in messages and shadow prices.
    name: String,
    /// Names of the member modules.
    members: Vec<String>,
    /// `leads` or `deals`.
    measure: MeasureFile,
    /// The most the members may bring.
    limit: f64,
}

#[derive(Debug, Clone)]
enum Body {
    V1(V1),
    V2(V2),
}

/// Reads only the format tag, so that each version is then read with its own rules.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct FormatProbe {
    format: String,
}

/// A parsed allocation-problem file, version 2 or 1 (the data-transfer type; convert it with
/// [`ProblemFile::to_problem`]).
///
/// # Example
/// ```
/// use offergraph::{file::ProblemFile, optimize::SolveOptions};
/// let v2 = r#"{"format": "allocation-problem/v2", "id": "demo", "objective": {"kind": "max_profit"},
///   "budget": 100.0, "budget_kind": "le",
///   "modules": [{"name": "a", "curve": {"type": "exponential", "L": 100.0, "k": 50.0}, "value_per_lead": 3.0},
///               {"name": "b", "curve": {"type": "linear", "cpl": 10.0}, "value_per_lead": 1.0, "enabled": false}],
///   "groups": [{"name": "g", "members": ["a", "b"], "cap": {"money": 40.0}}]}"#;
/// let file = ProblemFile::from_json(v2)?;
/// assert_eq!(file.id(), "demo");
/// let s = file.to_problem()?.solve(SolveOptions::new())?;
/// // Unconstrained, a would spend 50·ln 6 ≈ 89.6; the group caps it at 40.
/// assert!((s.spend[0] - 40.0).abs() < 1e-9 && s.spend[1] == 0.0);
///
/// let v1 = r#"{"format": "allocation-problem/v1", "id": "old", "objective": "max_profit",
///   "constraints": {"budget": 100.0, "budget_type": "le", "lead_capacity": null},
///   "modules": [{"name": "a", "curve": {"type": "exponential", "L": 100.0, "k": 50.0},
///                "value_per_lead": 3.0, "lo": 0.0, "hi": 1000.0, "notes": "ignored"}],
///   "meta": {"seed": 1}}"#;
/// let s = ProblemFile::from_json(v1)?.to_problem()?.solve(SolveOptions::new())?;
/// assert!((s.spend[0] - 50.0 * 6f64.ln()).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProblemFile {
    body: Body,
}

impl ProblemFile {
    /// Parses a file's text.
    ///
    /// # Errors
    /// [`OptimizeError::FileJson`] for malformed JSON, a missing field or a wrong type, with the
    /// line and column (as a plan file's errors give them); [`OptimizeError::File`] for a
    /// format tag this version does not read.
    ///
    /// # Example
    /// ```
    /// use offergraph::file::ProblemFile;
    /// let err = ProblemFile::from_json(r#"{"format": "x"}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("problem file: unsupported format \"x\""));
    /// let err = ProblemFile::from_json(r#"{"format": "#).unwrap_err();
    /// assert!(err.to_string().starts_with("invalid problem file at line 1, column 11: "));
    /// ```
    pub fn from_json(text: &str) -> Result<ProblemFile, OptimizeError> {
        let bad = |e: serde_json::Error| {
            let (message, line, column) = locate(text, &e);
            OptimizeError::FileJson { message, line, column }
        };
        let probe: FormatProbe = serde_json::from_str(text).map_err(bad)?;
        let body = match probe.format.as_str() {
            FORMAT => Body::V2(serde_json::from_str(text).map_err(bad)?),
            FORMAT_V1 => Body::V1(serde_json::from_str(text).map_err(bad)?),
            other => {
                return Err(OptimizeError::File {
                    message: format!(
                        "unsupported format \"{other}\", expected \"{FORMAT}\" or \"{FORMAT_V1}\""
                    ),
                });
            }
        };
        Ok(ProblemFile { body })
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
        match &self.body {
            Body::V1(f) => &f.id,
            Body::V2(f) => &f.id,
        }
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
        match &self.body {
            Body::V1(f) => v1_problem(f),
            Body::V2(f) => v2_problem(f),
        }
    }
}

/// An allocation problem's answer as data: the file's `id` and the [`Solution`] written flat
/// (`status`, `objective`, `upper_bound`, `spend` and `leads` per module in file order, the
/// multipliers, marginal ROMI, KKT residual and nodes). Made by [`ProblemFile::report`]; what
/// `offergraph solve --json` prints.
///
/// ```
/// use offergraph::{file::ProblemFile, optimize::SolveOptions};
/// let f = ProblemFile::from_json(r#"{"format": "allocation-problem/v2", "id": "p",
///   "objective": {"kind": "max_profit"}, "budget": 100,
///   "modules": [{"name": "a", "curve": {"type": "linear", "cpl": 10.0}, "value_per_lead": 20.0}]}"#)?;
/// let s = f.to_problem()?.solve(SolveOptions::new())?;
/// let json = serde_json::to_value(f.report(&s))?;
/// assert_eq!((json["id"].as_str(), json["status"].as_str()), (Some("p"), Some("optimal")));
/// assert!((json["spend"][0].as_f64().unwrap() - 100.0).abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SolveReport {
    /// The problem file's `id`.
    pub id: String,
    /// The modules' names, in file order (the order of `spend` and `leads`).
    pub modules: Vec<String>,
    /// The solution.
    #[serde(flatten)]
    pub solution: Solution,
}

impl ProblemFile {
    /// The answer `solution` to this file's problem as data, with the file's `id`.
    ///
    /// ```
    /// # let json = r#"{"format": "allocation-problem/v2", "id": "x", "objective": {"kind": "max_profit"}, "modules": []}"#;
    /// let f = offergraph::file::ProblemFile::from_json(json)?;
    /// let s = f.to_problem()?.solve(offergraph::optimize::SolveOptions::new())?;
    /// assert_eq!(f.report(&s).id, "x");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, solution: &Solution) -> SolveReport {
        let modules = match &self.body {
            Body::V1(f) => f.modules.iter().map(|m| m.name.clone()).collect(),
            Body::V2(f) => f.modules.iter().map(|m| m.name.clone()).collect(),
        };
        SolveReport { id: self.id().to_owned(), modules, solution: solution.clone() }
    }
}

impl std::fmt::Display for SolveReport {
    /// The status, the objective with its certified bound and one line per module with its
    /// spend, leads and marginal ROMI.
    ///
    /// ```
    /// use offergraph::{file::ProblemFile, optimize::SolveOptions};
    /// let f = ProblemFile::from_json(r#"{"format": "allocation-problem/v2", "id": "p",
    ///   "objective": {"kind": "max_profit"}, "budget": 100,
    ///   "modules": [{"name": "a", "curve": {"type": "linear", "cpl": 10.0}, "value_per_lead": 20.0}]}"#)?;
    /// let text = f.report(&f.to_problem()?.solve(SolveOptions::new())?).to_string();
    /// assert!(text.starts_with("p: optimal, objective 100 (upper bound 100)\nmodule"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.solution;
        writeln!(
            f,
            "{}: {}, objective {:.0} (upper bound {:.0})",
            self.id,
            s.status.name(),
            s.objective,
            s.upper_bound
        )?;
        let width = self.modules.iter().map(|m| m.chars().count()).chain([6]).max().unwrap_or(6);
        writeln!(f, "{:<width$} {:>12} {:>10} {:>8}", "module", "spend", "leads", "mROMI")?;
        for (i, name) in self.modules.iter().enumerate() {
            let at = |v: &[f64]| v.get(i).copied().unwrap_or(0.0);
            let mromi = s.marginal_romi.get(i).copied().flatten();
            let mromi = mromi.map_or_else(|| "-".to_owned(), |r| format!("{:.1}%", r * 100.0));
            writeln!(f, "{name:<width$} {:>12.0} {:>10.1} {mromi:>8}", at(&s.spend), at(&s.leads))?;
        }
        Ok(())
    }
}

impl OptimizeError {
    /// The JSON pointer (RFC 6901) of the field this error names in the problem file `text`,
    /// when it names one: a module's number out of range (`/modules/2/value_per_lead`), reversed
    /// bounds (`/modules/2/lo`), an invalid curve (`/modules/2/curve`), the budget (`/budget`).
    /// `None` for syntax errors
    /// (their message carries the line and column), errors of the whole problem and text that is
    /// not JSON.
    ///
    /// ```
    /// use offergraph::file::ProblemFile;
    /// let text = r#"{"format": "allocation-problem/v2", "objective": {"kind": "max_profit"},
    ///   "modules": [{"name": "a", "curve": {"type": "linear", "cpl": 10.0}, "value_per_lead": -5}]}"#;
    /// let err = ProblemFile::from_json(text)?.to_problem().unwrap_err();
    /// assert_eq!(err.pointer(text).as_deref(), Some("/modules/0/value_per_lead"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pointer(&self, text: &str) -> Option<String> {
        let file: serde_json::Value = serde_json::from_str(text).ok()?;
        if let OptimizeError::InvalidParameter { what, .. } = self {
            return file.get(*what).map(|_| format!("/{what}"));
        }
        let modules = file.get("modules")?.as_array()?;
        let index =
            |name: &str| modules.iter().position(|m| m.get("name").and_then(|n| n.as_str()) == Some(name));
        match self {
            OptimizeError::InvalidModule { name, field, .. } => {
                Some(format!("/modules/{}/{field}", index(name)?))
            }
            OptimizeError::BoundsReversed { name, .. } => Some(format!("/modules/{}/lo", index(name)?)),
            OptimizeError::FileCurve { index, .. } => {
                modules.get(*index).map(|_| format!("/modules/{index}/curve"))
            }
            _ => None,
        }
    }
}

/// The JSON Schema of an `allocation-problem/v2` file (its `format` a constant).
#[cfg(feature = "schema")]
pub(crate) fn v2_schema() -> schemars::Schema {
    let mut schema = schemars::schema_for!(V2);
    if let Some(format) = schema.get_mut("properties").and_then(|p| p.get_mut("format")) {
        *format = serde_json::json!({"description": "The format tag.", "const": FORMAT});
    }
    schema
}

fn v1_problem(f: &V1) -> Result<Problem, OptimizeError> {
    let objective = match f.objective {
        FileObjective::MaxResponseFixedBudget => {
            Objective::MaxValueFixedBudget { measure: Measure::GrossProfit }
        }
        FileObjective::MaxProfit | FileObjective::MaxProfitLeadCapacity => Objective::MaxProfit,
    };
    let mut p = Problem::new(objective);
    let c = &f.constraints;
    p.set_budget(match c.budget_type {
        FileBudgetType::Eq => Budget::exactly(c.budget),
        FileBudgetType::Le => Budget::at_most(c.budget),
    })?;
    for (index, m) in f.modules.iter().enumerate() {
        let curve: Result<ResponseCurve, CurveError> = match m.curve {
            FileCurve::Hill { l, k, a } => Hill::new(l, k, a).map(Into::into),
            FileCurve::Exponential { l, k } => Exponential::new(l, k).map(Into::into),
        };
        let curve =
            curve.map_err(|source| OptimizeError::FileCurve { index, name: m.name.clone(), source })?;
        p.add_module(Activity::new(m.name.clone(), curve, m.value_per_lead)?.with_bounds(m.lo, m.hi)?)?;
    }
    if let FileObjective::MaxProfitLeadCapacity = f.objective {
        let Some(cap) = c.lead_capacity else {
            return Err(OptimizeError::File {
                message: "objective max_profit_lead_capacity needs constraints.lead_capacity".into(),
            });
        };
        p.add_capacity(Capacity::new("lead_capacity", (0..f.modules.len()).collect(), Measure::Leads, cap))?;
    }
    Ok(p)
}

/// Module positions by name; a name given twice is an error.
fn positions(modules: &[V2Module]) -> Result<std::collections::HashMap<&str, usize>, OptimizeError> {
    let mut at = std::collections::HashMap::with_capacity(modules.len());
    for (i, m) in modules.iter().enumerate() {
        if at.insert(m.name.as_str(), i).is_some() {
            return Err(OptimizeError::File { message: format!("module \"{}\" is listed twice", m.name) });
        }
    }
    Ok(at)
}

/// The positions of a group's or a capacity's members, each named once and known.
fn members(
    at: &std::collections::HashMap<&str, usize>,
    owner: &str,
    names: &[String],
) -> Result<Vec<usize>, OptimizeError> {
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        let &i = at.get(n.as_str()).ok_or_else(|| OptimizeError::File {
            message: format!("{owner} refers to module \"{n}\", which the problem does not have"),
        })?;
        if out.contains(&i) {
            return Err(OptimizeError::File { message: format!("{owner} lists module \"{n}\" twice") });
        }
        out.push(i);
    }
    Ok(out)
}

fn v2_problem(f: &V2) -> Result<Problem, OptimizeError> {
    let objective = Objective::from(f.objective);
    let mut p = Problem::new(objective);
    if let Some(amount) = f.budget {
        let kind = f.budget_kind.map_or(objective.default_budget_kind(), BudgetKind::from);
        p.set_budget(Budget { amount, kind })?;
    } else if f.budget_kind.is_some() {
        return Err(OptimizeError::File { message: "`budget_kind` needs a `budget`".into() });
    }
    let at = positions(&f.modules)?;
    for m in &f.modules {
        let mut a = Activity::new(m.name.clone(), m.curve.clone(), m.value_per_lead)?;
        if let Some(rate) = m.deal_rate {
            a = a.with_deal_rate(rate)?;
        }
        if m.lo.is_some() || m.hi.is_some() {
            a = a.with_bounds(m.lo.unwrap_or(0.0), m.hi.unwrap_or(f64::INFINITY))?;
        }
        if let Some(spend) = m.locked {
            a = a.locked(spend)?;
        }
        let i = p.add_module(a)?;
        if !m.enabled {
            p.set_enabled(i, false)?;
        }
    }
    for g in &f.groups {
        let mut group =
            Group::new(g.name.clone(), members(&at, &format!("group \"{}\"", g.name), &g.members)?);
        if let Some(cap) = g.cap {
            group = group.with_cap(cap.into());
        }
        if let Some(floor) = g.floor {
            group = group.with_floor(floor.into());
        }
        p.add_group(group)?;
    }
    for c in &f.capacities {
        let members = members(&at, &format!("capacity \"{}\"", c.name), &c.members)?;
        p.add_capacity(Capacity::new(c.name.clone(), members, Measure::from(c.measure), c.limit))?;
    }
    Ok(p)
}
