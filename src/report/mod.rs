//! Reports: evaluation of an allocation, rollups, scenario diffs and text tables.

mod diff;
mod evaluate;
mod figures;
pub(crate) mod json;
mod rollup;
pub(crate) mod table;

pub use diff::{Change, ModuleDiff, ScenarioDiff};
pub use evaluate::Evaluation;
pub(crate) use figures::additive;
pub use figures::{Figures, ModuleFigures};
pub use json::{EvaluationReport, ModuleReport};
pub(crate) use table::{pct, write_table};
