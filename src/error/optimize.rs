//! Errors raised when an allocation problem is built, loaded or solved.

use crate::error::CurveError;

/// `A cannot hold`, `A and B cannot both hold`, `A, B and C cannot all hold`.
fn conflict_list(c: &[String]) -> String {
    match c {
        [] => "the constraints cannot all hold".to_string(),
        [a] => format!("{a} cannot hold"),
        [a, b] => format!("{a} and {b} cannot both hold"),
        [rest @ .., last] => format!("{} and {last} cannot all hold", rest.join(", ")),
    }
}

/// "loosen one of them", with the limit at which each one would let the others hold.
fn loosen_list(c: &[String], at: &[Option<f64>]) -> String {
    let known: Vec<String> = c.iter().zip(at).filter_map(|(c, a)| a.map(|a| format!("{c} at {a}"))).collect();
    if known.is_empty() {
        "loosen one of them".to_string()
    } else {
        format!("any one of these changes would let the others hold: {}", known.join(", "))
    }
}

/// Why an allocation problem cannot be built or has no solution.
///
/// # Design
/// Stopping early (node or time limit) is not an error: the solver returns a
/// [`Solution`](crate::optimize::Solution) whose status says so. This enum covers inputs that are
/// invalid and problems that are infeasible or unbounded. Each infeasibility variant names the
/// constraints that conflict and carries the amounts, so the message can say by how much.
///
/// # Example
/// ```
/// use offergraph::optimize::{Budget, Objective, Problem};
/// let mut p = Problem::new(Objective::MaxProfit);
/// let err = p.set_budget(Budget::exactly(f64::NAN)).unwrap_err();
/// assert_eq!(err.to_string(), "budget must be 0 or a number in [1e-6, 1e15], found NaN");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OptimizeError {
    /// A number of a module is NaN, infinite or out of range.
    #[error("module \"{name}\": {field} must be {expected}, found {}", crate::numerics::Shown(*found))]
    InvalidModule {
        /// The module's name.
        name: String,
        /// Which field (`"lo"`, `"hi"`, `"value_per_lead"`, `"deal_rate"`).
        field: &'static str,
        /// The value found.
        found: f64,
        /// What was expected.
        expected: &'static str,
    },
    /// A figure of the answer came out NaN or infinite (an iteration ran out or a value
    /// overflowed). Never happens for numbers within their accepted ranges; reported, never
    /// returned.
    #[error("{what} of the solution is not a finite number (found {}); the problem's numbers lie outside what can be computed, see the accepted ranges in docs/model.md", crate::numerics::Shown(*found))]
    NotFinite {
        /// Which figure (`objective`, `spend of module "a"`…).
        what: String,
        /// The value computed.
        found: f64,
    },
    /// A module's minimum is above its maximum.
    #[error("module \"{name}\": minimum spend {lo} is above maximum {hi}; set lo <= hi")]
    BoundsReversed {
        /// The module's name.
        name: String,
        /// Minimum spend.
        lo: f64,
        /// Maximum spend.
        hi: f64,
    },
    /// A problem-level number is NaN, infinite or out of range.
    #[error("{what} must be {expected}, found {}", crate::numerics::Shown(*found))]
    InvalidParameter {
        /// What the number is (`"budget"`, `"target"`).
        what: &'static str,
        /// The value found.
        found: f64,
        /// What was expected.
        expected: &'static str,
    },
    /// A module index is out of range.
    #[error("{constraint} refers to module {index}, but the problem has {modules} modules")]
    UnknownModule {
        /// The constraint or call that names the module.
        constraint: String,
        /// The index found.
        index: usize,
        /// Number of modules in the problem.
        modules: usize,
    },
    /// The objective needs a budget and none was set.
    #[error("objective {objective} needs a budget; set one with Problem::set_budget")]
    MissingBudget {
        /// The objective's name.
        objective: &'static str,
    },
    /// The module minima cannot all be paid from the budget.
    #[error("module minima add up to {minima}, more than the budget {budget} (short by {short})")]
    MinimaExceedBudget {
        /// Sum of the minimum spends (locked modules included).
        minima: f64,
        /// The budget.
        budget: f64,
        /// `minima − budget`.
        short: f64,
    },
    /// The budget must be spent exactly but the module maxima are too small.
    #[error(
        "module maxima add up to {maxima}, less than the budget {budget} that must be spent \
         exactly (short by {short})"
    )]
    MaximaBelowBudget {
        /// Sum of the maximum spends (within group caps).
        maxima: f64,
        /// The budget.
        budget: f64,
        /// `budget − maxima`.
        short: f64,
    },
    /// A group's floor is above its own cap.
    #[error("group \"{group}\": floor {floor} is above cap {cap}; lower the floor or raise the cap")]
    GroupFloorAboveCap {
        /// Group name.
        group: String,
        /// Floor in money.
        floor: f64,
        /// Cap in money.
        cap: f64,
    },
    /// A group's floor cannot be reached within its members' maxima or the budget.
    #[error(
        "group \"{group}\": floor {floor} is above the most it can spend, {reachable} (short by {short})"
    )]
    GroupFloorUnreachable {
        /// Group name.
        group: String,
        /// Floor in money.
        floor: f64,
        /// The members' maxima (or the budget, when smaller).
        reachable: f64,
        /// `floor − reachable`.
        short: f64,
    },
    /// A group's cap is below what its members must spend anyway.
    #[error("group \"{group}\": cap {cap} is below its members' minima {minima} (over by {over})")]
    GroupCapBelowMinima {
        /// Group name.
        group: String,
        /// Cap in money.
        cap: f64,
        /// Sum of the members' minimum spends.
        minima: f64,
        /// `minima − cap`.
        over: f64,
    },
    /// The group floors together need more than the budget.
    #[error("group floors add up to {floors}, more than the budget {budget} (short by {short})")]
    FloorsExceedBudget {
        /// Sum of the floors (with the minima of ungrouped modules).
        floors: f64,
        /// The budget.
        budget: f64,
        /// `floors − budget`.
        short: f64,
    },
    /// Linear spend constraints (budget, group caps and floors) that no allocation within the
    /// modules' bounds can meet together. `constraints` names them (as `group floor "north"
    /// (100000)`, `group cap channel "search" (24000)`, `the budget (60000)`), `detail` says why.
    #[error("{}: {detail} (short by {short})", conflict_list(.constraints))]
    ConflictingConstraints {
        /// The conflicting constraints, each with its amount.
        constraints: Vec<String>,
        /// Why they conflict.
        detail: String,
        /// By how much money the best allocation misses them.
        short: f64,
    },
    /// Not returned any more: a proven infeasibility is [`OptimizeError::Infeasible`], a search
    /// stopped by its limits [`OptimizeError::NoFeasibleFound`]; kept for source compatibility.
    #[error(
        "no allocation meets every constraint; the last one violated was {constraint} (check it \
         against the group floors and module minima)"
    )]
    NoFeasibleAllocation {
        /// The constraint the repair could not meet.
        constraint: String,
    },
    /// Constraints, capacities among them, that no allocation within the modules' bounds meets
    /// together, proven by branch and bound over lines under the curves (each capacity's use
    /// is at least its chord's): without any one of them the rest is no longer proven
    /// infeasible.
    #[error(
        "{}: no allocation within the modules' bounds meets them together (proven over {nodes} \
         branch-and-bound nodes); {}",
        conflict_list(.constraints),
        loosen_list(.constraints, .feasible_at)
    )]
    Infeasible {
        /// The conflicting constraints, each with its amount (`capacity "desk" (420 leads)`).
        constraints: Vec<String>,
        /// For each constraint, in the same order: a limit for it (a cap's, a floor's, a
        /// capacity's or the budget's amount) at which the others can all hold, within about
        /// 0.1% of the least change and rounded outward to four significant digits; `None`
        /// when the solver's limits stopped the search for it first.
        feasible_at: Vec<Option<f64>>,
        /// Branch-and-bound nodes of the proof.
        nodes: usize,
    },
    /// The solver stopped at its limits before finding any allocation that meets every
    /// constraint, and could not prove that none exists: the problem may well be feasible.
    /// Raise the node or time limit ([`SolveOptions`](crate::optimize::SolveOptions)).
    #[error(
        "no allocation meeting every constraint was found within the solver's limits ({stopped} \
         after {nodes} nodes), and none was proven impossible; raise the node or time limit"
    )]
    NoFeasibleFound {
        /// Branch-and-bound nodes explored.
        nodes: usize,
        /// Which limit stopped the search (`"node_limit"`, `"time_limit"`, `"gap_limit"` when
        /// the LP solver could not decide a node).
        stopped: &'static str,
    },
    /// Not returned any more (overlapping groups are supported); kept for source compatibility.
    #[error(
        "groups \"{first}\" and \"{second}\" share module {module}; use groups that do not overlap \
         (one tag per constraint set)"
    )]
    OverlappingGroups {
        /// First group's name.
        first: String,
        /// Second group's name.
        second: String,
        /// The shared module index.
        module: usize,
    },
    /// Not returned any more (any number of capacities is supported); kept for source
    /// compatibility.
    #[error("at most one capacity constraint is supported, found {found}; merge them into one")]
    TooManyCapacities {
        /// Number of capacity constraints.
        found: usize,
    },
    /// The module minima alone exceed a capacity.
    #[error(
        "capacity \"{capacity}\": the module minima already bring {minimum} {measure}, more than the \
         limit {limit} (over by {over})"
    )]
    CapacityBelowMinima {
        /// Capacity name.
        capacity: String,
        /// `"leads"` or `"deals"`.
        measure: &'static str,
        /// The limit.
        limit: f64,
        /// What the minima bring.
        minimum: f64,
        /// `minimum − limit`.
        over: f64,
    },
    /// A target cannot be reached within the modules' maxima (and budget).
    #[error(
        "target of {target} {measure} is unreachable: the most the modules can bring within their \
         maxima is {reachable}"
    )]
    TargetUnreachable {
        /// `"leads"`, `"deals"` or `"gross profit"`.
        measure: &'static str,
        /// The target.
        target: f64,
        /// The most that can be reached.
        reachable: f64,
    },
    /// No budget reaches the average-ROMI target.
    #[error(
        "average romi target {target} is unreachable: the best overall romi any budget reaches is \
         {best}"
    )]
    RomiUnreachable {
        /// The target ROMI.
        target: f64,
        /// The best overall ROMI found.
        best: f64,
    },
    /// Profit grows without limit.
    #[error(
        "profit is unbounded: module {index} (\"{name}\") returns more than it costs at any spend; \
         set a budget or a maximum spend"
    )]
    Unbounded {
        /// Zero-based module index.
        index: usize,
        /// The module's name.
        name: String,
    },
    /// A capacity measures something other than leads or deals.
    #[error("capacity \"{capacity}\" must count leads or deals, found gross profit")]
    CapacityMeasure {
        /// Capacity name.
        capacity: String,
    },
    /// Malformed JSON, an unknown field or a wrong type in a problem file, where the parser
    /// stopped (at an internally tagged value, such as a curve, the object that holds it).
    ///
    /// ```
    /// let err = offergraph::file::ProblemFile::from_json("{\n  \"format\": 3\n}").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid problem file at line 2, column 13: invalid type: integer `3`, expected a string"
    /// );
    /// ```
    #[error("invalid problem file at line {line}, column {column}: {message}")]
    FileJson {
        /// The parser's message.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A problem file could not be read.
    #[error("problem file: {message}")]
    File {
        /// What is wrong, with the location in the file when known.
        message: String,
    },
    /// A module's curve in a problem file is invalid.
    #[error("problem file, module {index} (\"{name}\"): {source}")]
    FileCurve {
        /// Zero-based module index.
        index: usize,
        /// The module's name.
        name: String,
        /// The curve error.
        source: CurveError,
    },
    /// A solution does not belong to the problem it is read against.
    #[error(
        "the solution has {found} {what}, but the problem has {expected}; read a solution against the problem it solves"
    )]
    SolutionMismatch {
        /// What was counted (`capacity multipliers`, `group multipliers`).
        what: &'static str,
        /// How many the problem has.
        expected: usize,
        /// How many the solution has.
        found: usize,
    },
}
