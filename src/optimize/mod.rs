//! Optimal budget allocation: exact on concave curves, global on S-curves, with a certificate.
//!
//! A [`Problem`] says what to optimise (modules with response curves, an [`Objective`], a
//! [`Budget`], [`Group`] caps and floors, a sales [`Capacity`]); a [`Solver`] says how
//! ([`BranchAndBound`], the default, or [`Kkt`], the relaxation alone). Every [`Solution`] carries
//! the objective, a proven upper bound, the multipliers (shadow prices), the status and the
//! marginal ROMI of each module. Standalone `allocation-problem/v1` files load through
//! [`ProblemFile`](crate::file::ProblemFile).
//!
//! # Example
//! ```
//! use offergraph::curves::{Exponential, Hill};
//! use offergraph::optimize::{Budget, Activity, Objective, Problem, SolveOptions};
//! let mut p = Problem::new(Objective::MaxProfit);
//! p.set_budget(Budget::at_most(10_000.0))?;
//! p.add_module(Activity::new("search", Exponential::new(800.0, 3000.0)?.into(), 20.0)?)?;
//! p.add_module(Activity::new("video", Hill::new(900.0, 4000.0, 2.5)?.into(), 20.0)?)?;
//! let s = p.solve(SolveOptions::new())?;
//! assert!(s.status.is_optimal());
//! assert!(s.total_spend() <= 10_000.0 * (1.0 + 1e-9));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod blocks;
mod compile;
mod concave;
mod envelope;
pub(crate) mod file_terms;
pub(crate) mod game;
mod general;
mod objectives;
mod open;
mod options;
mod polish;
mod price;
mod problem;
pub(crate) mod problem_file;
mod relax;
mod run;
mod sigmoid;
mod slope;
mod solution;
mod solver;
mod spatial;

pub use options::SolveOptions;
pub use problem::{Activity, Budget, BudgetKind, Capacity, Group, Limit, Measure, Objective, Problem};
pub use solution::{Constraint, ShadowPrice, Solution, Status};
pub use solver::{BranchAndBound, Kkt, Solver};
