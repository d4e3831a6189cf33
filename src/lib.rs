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
//! - reports: [`Evaluation`], [`Figures`], [`ModuleFigures`], [`GroupBy`], [`ScenarioDiff`].
//! - plan files: [`PlanFile`], [`Plan::from_json`], [`Plan::to_json`].
//! - [`optimize`]: optimal allocation.
//! - `testing` (feature `testing`): proptest strategies and invariant checkers for your own test
//!   suites.
//! - [`tol`]: every numeric tolerance.
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
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![deny(clippy::float_cmp)]

mod budget;
pub mod curves;
mod error;
mod model;
mod numerics;
pub mod optimize;
mod plan;
mod report;
pub mod sample;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
pub mod time;

pub use budget::{Allocation, BudgetPolicy, BudgetRule, OptimizePolicy, PlanOptimum, Selector, Share};
pub use error::{
    BudgetError, CurveError, Error, ModelError, MoneyError, OptimizeError, PlanError, RateError, ReportError,
};
pub use model::ids::{ChannelId, ModuleId, OfferId, PropositionId, SegmentId};
pub use model::module::{Economics, Module, ModuleSpec, Overrides};
pub use model::parts::{Channel, Offer, PartKind, Segment, Tags, ValueProposition};
pub use model::plan::{Part, Plan};
pub use model::units::{Money, Rate};
pub use model::{OffReason, Variant};
pub use numerics::{ranges, tol};
pub use plan::{
    BudgetFile, BudgetKindFile, BudgetPolicyFile, CapacityFile, ChannelFile, GroupFile, LimitFile,
    MeasureFile, ModuleFile, ObjectiveFile, OfferFile, OverridesFile, PlanFile, PropositionFile,
    SCHEMA_VERSION, SUPPORTED_SCHEMA_VERSIONS, SegmentFile,
};
pub use report::{Change, Evaluation, Figures, GroupBy, ModuleDiff, ModuleFigures, ScenarioDiff, UNTAGGED};
pub use time::{Horizon, Lag, SalesTeam, Schedule, TimeError, TimeEvaluation, TimeModel, TimeModelFile};

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
}

/// The README's code sample, compiled and run as a doc test.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
