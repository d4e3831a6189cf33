//! Time: plans over weeks or flights, sales capacity and over-sale, lead→deal lag, full-cycle
//! ROMI, lead routing and optimisation over periods.
//!
//! A [`TimeModel`] adds to a [`Plan`](crate::Plan) a [`Horizon`] of periods, [`Flights`] that
//! split the budget into them, [`Seasonality`] multipliers on the response curves, [`SalesTeam`]s
//! with their capacity and an [`Overflow`] policy, and [`Lag`]s per offer or module. Evaluating
//! it gives a [`TimeEvaluation`]: per module × period spend, leads, processing and deals
//! closing, each team's lead flow, the [`CohortTable`], and the ROMI views — naive per period,
//! cumulative, full cycle. [`TimeModel::optimize`] allocates a budget across modules and periods
//! within capacity; [`Routing`] compares ways to distribute leads among reps. Plan files carry
//! all of it as a [`TimeModelFile`](crate::file::TimeModelFile). See `docs/time.md` for the model.
//!
//! # Example
//! ```
//! use offergraph::time::{Horizon, Lag, SalesTeam, TimeModel};
//! let plan = offergraph::sample::apartments()?;
//! let model = TimeModel::new(Horizon::weeks(8)?)
//!     .with_team(SalesTeam::new("desk", 2.0, 3.0, 5.0)?.with_channel("search"))
//!     .with_offer_lag("2-room", Lag::gamma(3.0, 1.5)?);
//! let eval = model.evaluate(&plan)?;
//! let desk = eval.team("desk")?;
//! assert!(desk.processed.iter().zip(&desk.capacity).all(|(p, c)| p <= c));
//! assert!(eval.full_cycle().deals >= eval.in_horizon().deals);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod capacity;
mod defaults;
mod diff;
mod evaluate;
mod figures;
pub(crate) mod file;
mod horizon;
pub(crate) mod json;
mod lag;
mod model;
mod optimize;
mod prices;
mod routing;
mod schedule;
mod seasonality;
mod views;

pub use capacity::{Overflow, SalesTeam};
// The actuals layer replays the sales queue on the leads that really arrived.
pub(crate) use capacity::{Cell, simulate};
pub use diff::{PeriodDiff, TimeDiff};
pub(crate) use evaluate::Drawn;
pub use evaluate::TimeEvaluation;
pub use figures::{CohortTable, ModuleSeries, PeriodFigures, TeamFlow};
pub use horizon::{Flights, Horizon};
pub use lag::{Lag, LagShape};
pub(crate) use model::NO_TEAM;
pub use model::{TimeModel, TimeRepair};
pub use optimize::{TimeOptimizeOptions, TimeOptimum};
pub use prices::{TimeConstraint, TimeShadowPrice};
pub use routing::{Rep, Routing, RoutingOutcome, RoutingPolicy};
pub use schedule::Schedule;
pub use seasonality::Seasonality;
