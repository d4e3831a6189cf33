//! Splitting the period's budget among the active modules.
//!
//! The plan's [`BudgetPolicy`](crate::BudgetPolicy) says how: by each module's
//! [`BudgetRule`](crate::BudgetRule) (fixed amounts, then weights with minimum and maximum), or by
//! the optimum of an [`OptimizePolicy`](crate::OptimizePolicy). The policies are data of the
//! model; the algorithms that apply them live here, and callers keep calling
//! [`Plan::allocate`](crate::Plan::allocate).

mod allocate;
mod json;
mod optimized;

pub use allocate::Allocation;
pub use json::{AllocationReport, OptimumModuleReport, OptimumReport, SpendReport};
pub use optimized::PlanOptimum;
