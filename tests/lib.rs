//! Integration tests, compiled as one binary: known answers worked by hand from docs/model.md,
//! exact error messages, and property tests of the plan-level invariants.

mod budget;
mod common;
mod edit;
mod errors;
mod layers;
mod model;
mod optimize;
#[cfg(feature = "report")]
mod page;
mod plan_files;
mod plan_optimize;
mod prices;
// Built on `offergraph::testing`: runs with `--features testing` (or `--all-features`).
mod actuals;
#[cfg(feature = "testing")]
mod properties;
mod ranges;
#[cfg(feature = "report")]
mod report_case;
mod results;
mod tables;
mod time;
mod uncertainty;
mod uncertainty_files;
mod uncertainty_risk;
mod warnings;
