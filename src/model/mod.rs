//! The module graph: parts, modules, the plan that holds them, toggles and recombination.

pub(crate) mod ids;
pub(crate) mod module;
pub(crate) mod parts;
pub(crate) mod plan;
pub(crate) mod policy;
mod recombine;
pub(crate) mod rule;
pub(crate) mod select;
mod table;
mod toggle;
pub mod units;

pub use recombine::Variant;
pub use toggle::OffReason;
