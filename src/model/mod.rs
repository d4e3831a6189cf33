//! The module graph: parts, modules, the plan that holds them, toggles and recombination.

pub(crate) mod ids;
pub(crate) mod module;
pub(crate) mod parts;
pub(crate) mod plan;
mod recombine;
mod table;
mod toggle;
pub mod units;

pub use recombine::Variant;
pub use toggle::OffReason;
