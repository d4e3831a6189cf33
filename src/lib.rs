//! # offergraph
//!
//! A constructor for marketing plans built from **modules**: an audience segment, a value
//! proposition, an offer and a channel. Switch modules or whole parts off, recombine parts,
//! replicate a working module across regions, stores or price tiers, and get the budget and the
//! expected ROMI recomputed.
//!
//! The flow runs one way: plan file or script → validated [`Plan`] → [`Plan::allocate`] /
//! [`Plan::evaluate`] → reports ([`Evaluation`], rollups, [`ScenarioDiff`], tables).
//!
//! ```
//! use offergraph::{PartKind, ScenarioDiff};
//! let mut plan = offergraph::sample::apartments()?;
//! let before = plan.evaluate()?;
//! plan.set_module_enabled("investors/yield/1-room/outdoor", false)?;
//! let after = plan.evaluate()?;
//! // The weak module's budget went to the others: same spend, more gross profit.
//! assert!((after.total().spend - before.total().spend).abs() < 1e-6);
//! assert!(after.total().gross_profit > before.total().gross_profit);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Where things are
//! - [`curves`]: response curves, spend → expected leads.
//! - the model: [`Segment`], [`ValueProposition`], [`Offer`], [`Channel`], [`Module`], [`Plan`].
//! - the budget: [`BudgetRule`], [`BudgetPolicy`], [`Allocation`].
//! - reports: [`Evaluation`], [`Figures`], [`ModuleFigures`], [`GroupBy`], [`ScenarioDiff`];
//!   results as self-describing JSON in [`results`] (`report(&plan)` on each result).
//! - plan files: [`Scenario`] (a plan and its time model, what a file holds),
//!   [`Scenario::from_json`], [`Plan::from_json`], [`Plan::to_json`]; the formats in [`file`](mod@file).
//!   A scenario's [`Warning`]s say what its static figures leave out (the time model, over-sale);
//!   [`Scenario::apply_optimum`] and [`Scenario::compare`] ([`Comparison`]) close the re-planning
//!   loop.
//! - [`optimize`]: optimal allocation. [`time`]: plans over periods, capacity and lags.
//! - [`actuals`]: what really happened, plan vs actual link by link, confidence, recalibration
//!   and verdicts.
//! - [`uncertainty`]: distributions of uncertain numbers and seeded Monte Carlo (risk of loss).
//! - `page` (feature `report`): the plan as one self-contained HTML page with charts
//!   (`offergraph::page::Page`).
//! - [`error`]: one error enum per layer; [`Error`] wraps them all.
//! - [`ids`]: typed ids. [`ranges`]: the accepted range of every number.
//! - `schema` (feature `schema`): JSON Schemas of the file formats and the command line's outputs.
//! - `testing` (feature `testing`): proptest strategies and invariant checkers for your own test
//!   suites.
//!
//! The documents under `docs/` are part of these docs: [`_documentation`].
//!
//! ## Features
//!
//! No feature is on by default.
//!
//! - `testing`: the `offergraph::testing` module, proptest strategies and invariant checkers for
//!   your own test suites. It adds the `proptest` dependency, so enable it in
//!   `[dev-dependencies]`: `offergraph = { version = "0.1", features = ["testing"] }`.
//! - `schema`: the `offergraph::schema` module, JSON Schemas of plan files, actuals, allocation
//!   problems and the command line's `--json` outputs (adds `schemars`, and the derives on the
//!   file and result types).
//! - `cli`: the `offergraph` command line (`src/bin/offergraph/`; adds `clap` and `indicatif`,
//!   and `schema`): `cargo install --path . --features cli`, or
//!   `cargo run --release --features cli --bin offergraph -- --help`.
//! - `report`: the `offergraph::page` module, the HTML report (`Page::new(&scenario).render()`):
//!   tables and SVG charts in one self-contained page. It adds the `plotters` dependency, built
//!   with its SVG backend only (no fonts, no bitmap, no system library).
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![deny(clippy::float_cmp)]

pub mod actuals;
mod budget;
pub mod curves;
pub mod error;
mod model;
mod numerics;
pub mod optimize;
#[cfg(feature = "report")]
#[cfg_attr(docsrs, doc(cfg(feature = "report")))]
pub mod page;
mod plan;
mod report;
pub mod sample;
#[cfg(feature = "schema")]
#[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
pub mod schema;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
pub mod time;
pub mod uncertainty;

pub use budget::{Allocation, PlanOptimum};
pub use error::umbrella::Error;
pub use model::module::{Economics, Module, ModuleSpec, Overrides};
pub use model::parts::{Channel, Offer, PartKind, Segment, Tags, ValueProposition};
pub use model::plan::{Part, Plan};
pub use model::policy::{BudgetPolicy, OptimizePolicy};
pub use model::rule::{BudgetRule, Share};
pub use model::select::{GroupBy, Selector};
pub use model::units::{Money, Rate};
pub use model::{OffReason, Removal, Removed, Variant};
pub use numerics::ranges;

/// The tolerance offergraph promises callers: allocations spend the budget to [`tol::BUDGET_REL`]
/// (relative), checked with [`tol::approx_eq`]. The solver's gap and limits are set through
/// [`SolveOptions`](optimize::SolveOptions); every other tolerance is internal.
pub mod tol {
    pub use crate::numerics::tol::{BUDGET_REL, approx_eq};
}
pub use plan::{Comparison, Scenario, Warning};
pub use report::{Change, Evaluation, Figures, ModuleDiff, ModuleFigures, ScenarioDiff};

/// Results as data: documents that write an evaluation, an allocation, a schedule or an optimum
/// with the keys and ids of the plan's modules and every figure, and read back to equal values
/// (`serde`). Made by `report(&plan)` on each result (an allocation problem's answer by
/// [`ProblemFile::report`](crate::file::ProblemFile::report); a Monte Carlo run's is
/// [`uncertainty::RiskReport`]).
pub mod results {
    pub use crate::budget::{AllocationReport, OptimumModuleReport, OptimumReport, SpendReport};
    pub use crate::optimize::problem_file::SolveReport;
    pub use crate::report::{EvaluationReport, ModuleReport};
    pub use crate::time::json::{
        ModulePeriodReport, ScheduleReport, SeriesReport, TimeEvaluationReport, TimeModuleReport,
        TimeOptimumReport,
    };
}

/// Typed ids of parts and modules (UUID v5 of the kind and key, so the same script always gives
/// the same ids).
pub mod ids {
    pub use crate::model::ids::{ChannelId, ModuleId, OfferId, PropositionId, SegmentId};
}

/// The file formats: plan files (a [`Scenario`] with its optional `time` and `uncertainty`
/// sections) and standalone allocation problems, as plain serde data. Reading a file goes through
/// the same validating builders a script calls.
pub mod file {
    pub use crate::optimize::file_terms::{BudgetKindFile, LimitFile, MeasureFile, ObjectiveFile};
    pub use crate::optimize::problem_file::{
        FORMAT as PROBLEM_FORMAT, FORMAT_V1 as PROBLEM_FORMAT_V1, ProblemFile,
    };
    pub use crate::plan::file::{
        BudgetFile, ChannelFile, ModuleFile, OfferFile, OverridesFile, PlanFile, PropositionFile,
        SCHEMA_VERSION, SUPPORTED_SCHEMA_VERSIONS, SegmentFile,
    };
    pub use crate::plan::policy::{BudgetPolicyFile, CapacityFile, GroupFile};
    pub use crate::time::file::{
        FlightsFile, HolidayFile, LagFile, LagsFile, OverflowFile, SeasonalityFile, TeamFile, TimeModelFile,
    };
    pub use crate::uncertainty::file::UncertaintyFile;
}

/// The design documents, built into the API docs so their examples are tested.
pub mod _documentation {
    #[doc = include_str!("../docs/model.md")]
    pub mod model {}
    #[doc = include_str!("../docs/architecture.md")]
    pub mod architecture {}
    #[doc = include_str!("../docs/optimize.md")]
    pub mod optimize {}
    #[doc = include_str!("../docs/time.md")]
    pub mod time {}
    #[doc = include_str!("../docs/actuals.md")]
    pub mod actuals {}
    #[doc = include_str!("../docs/uncertainty.md")]
    pub mod uncertainty {}
    #[cfg(feature = "report")]
    #[cfg_attr(docsrs, doc(cfg(feature = "report")))]
    #[doc = include_str!("../docs/report.md")]
    pub mod report {}
}

/// The README's code sample, compiled and run as a doc test.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
