//! Optimisation over time: a budget across modules **and** periods, within each period's sales
//! capacity, per-period budget caps and seasonality, solved by [`crate::optimize`].
//!
//! Each active module × period with a positive seasonal multiplier is one variable of an
//! optimizer [`Problem`]. Its curve is the seasonal one, `σ_it · r_i`, in plan-rate units
//! `x = K·s` (so that `σ·r(K·s)/K` leads cost `s`; every amount of money, target, cap and
//! capacity is scaled by `K` on the way in and back on the way out). Its value per lead is the
//! module's full-cycle value `c·p·m` (or only the share of deals that close within the horizon,
//! on request). Per-period caps are disjoint groups; each team's capacity in each period is one
//! lead-capacity constraint over the team's modules in that period — unless over-sale is
//! allowed. The optimizer's guarantees carry over unchanged: status, certified upper bound,
//! errors for infeasible or invalid problems.

use crate::Plan;
use crate::error::TimeError;
use crate::optimize::{
    Activity, Budget, BudgetKind, Capacity, Constraint, Group, Limit, Measure, Objective, Problem,
    ShadowPrice, Solution, SolveOptions, Status,
};
use crate::time::evaluate::TimeEvaluation;
use crate::time::model::{NO_TEAM, TimeModel};
use crate::time::prices::{TimeConstraint, TimeShadowPrice};
use crate::time::schedule::Schedule;

/// Period caps: none, from the flights (each period at most its flight's share of the budget),
/// or explicit amounts.
#[derive(Debug, Clone, PartialEq, Default)]
enum Caps {
    #[default]
    None,
    Flights,
    Amounts(Vec<f64>),
}

/// Options of [`TimeModel::optimize`] (by-value builder).
///
/// Defaults: maximise full-cycle profit `Σ GP − Σ s` with the plan's budget as an upper limit,
/// no period caps, no over-sale, the optimizer's default [`SolveOptions`].
///
/// # Example
/// ```
/// use offergraph::optimize::{Measure, Objective};
/// use offergraph::time::TimeOptimizeOptions;
/// let o = TimeOptimizeOptions::new()
///     .with_objective(Objective::MaxValueFixedBudget { measure: Measure::GrossProfit })
///     .with_budget(50_000.0)
///     .with_period_caps(vec![10_000.0; 8]);
/// assert_eq!(o.budget(), Some(50_000.0));
/// assert!(!o.allows_oversale());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TimeOptimizeOptions {
    objective: Objective,
    budget: Option<f64>,
    /// `None`: the objective's own default ([`Objective::default_budget_kind`]).
    budget_kind: Option<BudgetKind>,
    caps: Caps,
    allow_oversale: bool,
    after_horizon: bool,
    solve: SolveOptions,
}

impl Default for TimeOptimizeOptions {
    fn default() -> Self {
        TimeOptimizeOptions::new()
    }
}

impl From<SolveOptions> for TimeOptimizeOptions {
    fn from(solve: SolveOptions) -> Self {
        TimeOptimizeOptions::new().with_solve_options(solve)
    }
}

impl TimeOptimizeOptions {
    /// The defaults.
    ///
    /// ```
    /// use offergraph::optimize::Objective;
    /// assert_eq!(offergraph::time::TimeOptimizeOptions::new().objective(), Objective::MaxProfit);
    /// ```
    pub fn new() -> TimeOptimizeOptions {
        TimeOptimizeOptions {
            objective: Objective::MaxProfit,
            budget: None,
            budget_kind: None,
            caps: Caps::None,
            allow_oversale: false,
            after_horizon: true,
            solve: SolveOptions::new(),
        }
    }

    /// What to optimise (any optimizer [`Objective`]; targets count real leads, deals or money).
    ///
    /// ```
    /// use offergraph::optimize::Objective;
    /// let o = offergraph::time::TimeOptimizeOptions::new().with_objective(Objective::TargetMarginalRomi(0.5));
    /// assert_eq!(o.objective(), Objective::TargetMarginalRomi(0.5));
    /// ```
    #[must_use]
    pub fn with_objective(mut self, objective: Objective) -> TimeOptimizeOptions {
        self.objective = objective;
        self
    }

    /// The total budget over the horizon (default: the plan's budget).
    ///
    /// ```
    /// assert_eq!(offergraph::time::TimeOptimizeOptions::new().with_budget(5.0).budget(), Some(5.0));
    /// ```
    #[must_use]
    pub fn with_budget(mut self, amount: f64) -> TimeOptimizeOptions {
        self.budget = Some(amount);
        self
    }

    /// Whether the budget must be spent exactly or is an upper limit. Without this call the
    /// objective decides, as everywhere in the crate ([`Objective::default_budget_kind`]): a
    /// fixed budget is spent exactly, other objectives spend at most the budget.
    ///
    /// ```
    /// use offergraph::optimize::{BudgetKind, Measure, Objective};
    /// use offergraph::time::TimeOptimizeOptions;
    /// let fixed = TimeOptimizeOptions::new().with_objective(Objective::MaxValueFixedBudget { measure: Measure::Deals });
    /// assert_eq!(fixed.budget_kind(), BudgetKind::Exactly);
    /// assert_eq!(fixed.with_budget_kind(BudgetKind::AtMost).budget_kind(), BudgetKind::AtMost);
    /// ```
    #[must_use]
    pub fn with_budget_kind(mut self, kind: BudgetKind) -> TimeOptimizeOptions {
        self.budget_kind = Some(kind);
        self
    }

    /// Caps each period's spend at its flight's share of the budget.
    ///
    /// ```
    /// let o = offergraph::time::TimeOptimizeOptions::new().with_flight_caps();
    /// assert_ne!(o, offergraph::time::TimeOptimizeOptions::new());
    /// ```
    #[must_use]
    pub fn with_flight_caps(mut self) -> TimeOptimizeOptions {
        self.caps = Caps::Flights;
        self
    }

    /// Caps each period's spend at an explicit amount (one per period).
    ///
    /// ```
    /// let o = offergraph::time::TimeOptimizeOptions::new().with_period_caps(vec![1.0, 2.0]);
    /// assert_ne!(o, offergraph::time::TimeOptimizeOptions::new());
    /// ```
    #[must_use]
    pub fn with_period_caps(mut self, caps: Vec<f64>) -> TimeOptimizeOptions {
        self.caps = Caps::Amounts(caps);
        self
    }

    /// Drops the capacity constraints: the plan may create over-sale (the evaluation then shows
    /// the leads lost or backlogged).
    ///
    /// ```
    /// assert!(offergraph::time::TimeOptimizeOptions::new().with_oversale(true).allows_oversale());
    /// ```
    #[must_use]
    pub fn with_oversale(mut self, allow: bool) -> TimeOptimizeOptions {
        self.allow_oversale = allow;
        self
    }

    /// Values only the deals that close within the horizon (default: the full cycle).
    ///
    /// ```
    /// let o = offergraph::time::TimeOptimizeOptions::new().with_horizon_only();
    /// assert_ne!(o, offergraph::time::TimeOptimizeOptions::new());
    /// ```
    #[must_use]
    pub fn with_horizon_only(mut self) -> TimeOptimizeOptions {
        self.after_horizon = false;
        self
    }

    /// The solver's options (gap, node and time limits).
    ///
    /// ```
    /// use offergraph::optimize::SolveOptions;
    /// let o = offergraph::time::TimeOptimizeOptions::new().with_solve_options(SolveOptions::new().with_tolerance(1e-6));
    /// assert_eq!(o.solve_options().tolerance(), 1e-6);
    /// ```
    #[must_use]
    pub fn with_solve_options(mut self, solve: SolveOptions) -> TimeOptimizeOptions {
        self.solve = solve;
        self
    }

    /// The objective.
    ///
    /// ```
    /// use offergraph::optimize::Objective;
    /// assert_eq!(offergraph::time::TimeOptimizeOptions::new().objective(), Objective::MaxProfit);
    /// ```
    pub fn objective(&self) -> Objective {
        self.objective
    }

    /// The budget, if set.
    ///
    /// ```
    /// assert_eq!(offergraph::time::TimeOptimizeOptions::new().budget(), None);
    /// ```
    pub fn budget(&self) -> Option<f64> {
        self.budget
    }

    /// The budget kind: the one set, else the objective's default.
    ///
    /// ```
    /// use offergraph::optimize::BudgetKind;
    /// assert_eq!(offergraph::time::TimeOptimizeOptions::new().budget_kind(), BudgetKind::AtMost);
    /// ```
    pub fn budget_kind(&self) -> BudgetKind {
        self.budget_kind.unwrap_or_else(|| self.objective.default_budget_kind())
    }

    /// Whether over-sale is allowed.
    ///
    /// ```
    /// assert!(!offergraph::time::TimeOptimizeOptions::new().allows_oversale());
    /// ```
    pub fn allows_oversale(&self) -> bool {
        self.allow_oversale
    }

    /// The solver's options.
    ///
    /// ```
    /// use offergraph::optimize::SolveOptions;
    /// assert_eq!(offergraph::time::TimeOptimizeOptions::new().solve_options(), SolveOptions::new());
    /// ```
    pub fn solve_options(&self) -> SolveOptions {
        self.solve
    }
}

/// The result of [`TimeModel::optimize`]: the schedule, its evaluation over time and the
/// optimizer's certificate.
///
/// # Example
/// ```
/// use offergraph::time::{Horizon, SalesTeam, TimeModel};
/// let plan = offergraph::sample::apartments()?;
/// let model = TimeModel::new(Horizon::weeks(4)?).with_team(SalesTeam::new("desk", 1.0, 4.0, 5.0)?.with_channel("search"));
/// let best = model.optimize(&plan, offergraph::optimize::SolveOptions::new())?;
/// assert!(best.status().is_optimal());
/// assert!(!best.evaluation().is_oversold());
/// assert!(best.upper_bound() - best.objective() <= 1e-6 * best.objective().abs().max(1.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TimeOptimum {
    schedule: Schedule,
    evaluation: TimeEvaluation,
    solution: Solution,
    /// `(module, period)` of each optimizer variable.
    cells: Vec<(usize, usize)>,
    k: f64,
    shadow_prices: Vec<TimeShadowPrice>,
}

impl TimeOptimum {
    /// The optimal spend per module and period.
    ///
    /// ```
    /// # use offergraph::time::{Horizon, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let best = TimeModel::new(Horizon::weeks(2)?).optimize(&plan, offergraph::time::TimeOptimizeOptions::new())?;
    /// assert!(best.schedule().total() <= plan.budget().get() * (1.0 + 1e-9));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The schedule evaluated over time (capacity, lags, cohort, ROMI views).
    ///
    /// ```
    /// # use offergraph::time::{Horizon, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let best = TimeModel::new(Horizon::weeks(2)?).optimize(&plan, offergraph::time::TimeOptimizeOptions::new())?;
    /// assert!(best.evaluation().full_cycle_romi().unwrap() > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluation(&self) -> &TimeEvaluation {
        &self.evaluation
    }

    /// Value of the objective, in the plan's units (money, leads or deals).
    ///
    /// ```
    /// # use offergraph::time::{Horizon, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let best = TimeModel::new(Horizon::weeks(2)?).optimize(&plan, offergraph::time::TimeOptimizeOptions::new())?;
    /// let f = best.evaluation().full_cycle();
    /// assert!((best.objective() - (f.gross_profit - f.spend)).abs() < 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn objective(&self) -> f64 {
        self.solution.objective / self.k
    }

    /// Proven upper bound on the optimal objective, in the same units.
    ///
    /// ```
    /// # use offergraph::time::{Horizon, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let best = TimeModel::new(Horizon::weeks(2)?).optimize(&plan, offergraph::time::TimeOptimizeOptions::new())?;
    /// assert!(best.upper_bound() >= best.objective());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn upper_bound(&self) -> f64 {
        self.solution.upper_bound / self.k
    }

    /// How the solve ended.
    ///
    /// ```
    /// # use offergraph::time::{Horizon, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let best = TimeModel::new(Horizon::weeks(2)?).optimize(&plan, offergraph::time::TimeOptimizeOptions::new())?;
    /// assert!(best.status().is_optimal());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status(&self) -> Status {
        self.solution.status
    }

    /// The optimizer's raw solution. Its variables are the `(module, period)` pairs of
    /// [`TimeOptimum::cells`], in plan-rate units: spend × `K` and leads × `K`.
    ///
    /// ```
    /// # use offergraph::time::{Horizon, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let best = TimeModel::new(Horizon::weeks(2)?).optimize(&plan, offergraph::time::TimeOptimizeOptions::new())?;
    /// assert_eq!(best.solution().spend.len(), best.cells().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn solution(&self) -> &Solution {
        &self.solution
    }

    /// `(module index in plan order, period)` of each optimizer variable.
    ///
    /// ```
    /// # use offergraph::time::{Horizon, TimeModel};
    /// # let plan = offergraph::sample::apartments()?;
    /// let best = TimeModel::new(Horizon::weeks(2)?).optimize(&plan, offergraph::time::TimeOptimizeOptions::new())?;
    /// assert_eq!(best.cells()[1], (0, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cells(&self) -> &[(usize, usize)] {
        &self.cells
    }

    /// Every multiplier with its constraint: the budget, then each team's capacity in each
    /// period it limits, then each period's spending cap (when the options set caps). A
    /// capacity's price is what one more lead of capacity in that period is worth (0 where the
    /// team has slack); multipliers are invariant under the optimizer's internal scaling.
    ///
    /// ```
    /// use offergraph::time::{Horizon, SalesTeam, TimeConstraint, TimeModel, TimeOptimizeOptions};
    /// let plan = offergraph::sample::apartments()?;
    /// let model = TimeModel::new(Horizon::weeks(2)?).with_team(SalesTeam::new("desk", 1.0, 1.0, 5.0)?.with_channel("search"));
    /// let best = model.optimize(&plan, TimeOptimizeOptions::new())?;
    /// let week0 = &best.shadow_prices()[1];
    /// assert_eq!(week0.constraint, TimeConstraint::Capacity { team: "desk".into(), period: 0 });
    /// assert!(week0.value > 0.0); // five leads a week bind
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shadow_prices(&self) -> &[TimeShadowPrice] {
        &self.shadow_prices
    }
}

impl TimeModel {
    /// Allocates a budget across modules and periods: see the module docs of `time::optimize`
    /// and `docs/time.md`.
    ///
    /// # Arguments
    /// The plan (modules, curves, economics, active switches) and [`TimeOptimizeOptions`]
    /// (objective, budget, period caps, over-sale, solver limits; a [`SolveOptions`] converts).
    ///
    /// # Returns
    /// A [`TimeOptimum`]: the schedule, its evaluation (no over-sale unless allowed), the
    /// objective with a certified upper bound, and the status.
    ///
    /// # Errors
    /// As [`TimeModel::check`]; [`TimeError::WrongLength`] or [`TimeError::InvalidValue`] for bad
    /// period caps; the optimizer's errors ([`TimeError::Optimize`]) for an invalid, infeasible or
    /// unbounded problem.
    ///
    /// # Complexity
    /// One optimizer solve over `N·T` variables with `T` groups and one capacity per team and
    /// period.
    ///
    /// # Example
    /// ```
    /// use offergraph::time::{Horizon, Seasonality, TimeModel, TimeOptimizeOptions};
    /// let plan = offergraph::sample::apartments()?;
    /// // Week 2 is twice as responsive: the optimum spends more there.
    /// let model = TimeModel::new(Horizon::weeks(3)?).with_seasonality(Seasonality::new().with_base(vec![1.0, 2.0, 1.0])?);
    /// let best = model.optimize(&plan, TimeOptimizeOptions::new())?;
    /// assert!(best.schedule().period_total(1) > best.schedule().period_total(0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Reference
    /// The solver: [`BranchAndBound`](crate::optimize::BranchAndBound) and `docs/optimize.md`.
    pub fn optimize(
        &self,
        plan: &Plan,
        options: impl Into<TimeOptimizeOptions>,
    ) -> Result<TimeOptimum, TimeError> {
        let o: TimeOptimizeOptions = options.into();
        let r = self.resolve(plan)?;
        let (t_n, k) = (r.periods, r.k);
        let budget = o.budget.unwrap_or(plan.budget().get());
        let caps: Option<Vec<f64>> = match &o.caps {
            Caps::None => None,
            Caps::Flights => Some(self.flights.shares(t_n)?.into_iter().map(|w| w * budget).collect()),
            Caps::Amounts(v) => {
                if v.len() != t_n {
                    return Err(TimeError::WrongLength {
                        what: "period caps".into(),
                        found: v.len(),
                        periods: t_n,
                    });
                }
                crate::time::horizon::check_series("period cap", v, crate::numerics::ranges::MONEY)?;
                Some(v.clone())
            }
        };
        let objective = match o.objective {
            Objective::MinSpendForTarget { measure, target } => {
                Objective::MinSpendForTarget { measure, target: target * k }
            }
            other => other,
        };
        let mut problem = Problem::new(objective);
        problem.set_budget(Budget { amount: budget * k, kind: o.budget_kind() })?;
        let mut cells = Vec::new();
        let mut by_period: Vec<Vec<usize>> = vec![Vec::new(); t_n];
        let mut by_team_period: Vec<Vec<usize>> = vec![Vec::new(); self.teams.len() * t_n];
        for (i, (data, hot)) in plan.module_data().zip(plan.hot()).enumerate() {
            if !hot.active {
                continue;
            }
            let e = &hot.economics;
            let lag = &r.lags[r.lag_of[i]];
            for t in 0..t_n {
                let sigma = r.season[i * t_n + t];
                if sigma <= 0.0 {
                    continue;
                }
                let closes = if o.after_horizon { 1.0 } else { lag[..lag.len().min(t_n - t)].iter().sum() };
                let curve = e.curve.scaled_by(sigma).map_err(|_| TimeError::InvalidValue {
                    what: format!("seasonal multiplier of module \"{}\" in period {t}", data.key),
                    found: sigma,
                    expected: crate::numerics::ranges::LEAD_SCALE.expected(),
                })?;
                let spec = Activity::new(format!("{}@{t}", data.key), curve, e.value_per_lead() * closes)?
                    .with_deal_rate(e.conversion)?;
                let at = problem.add_module(spec)?;
                cells.push((i, t));
                by_period[t].push(at);
                if r.team_of[i] != NO_TEAM {
                    by_team_period[r.team_of[i] * t_n + t].push(at);
                }
            }
        }
        if let Some(caps) = &caps {
            for (t, members) in by_period.into_iter().enumerate() {
                problem.add_group(
                    Group::new(format!("period {t}"), members).with_cap(Limit::Money(caps[t] * k)),
                )?;
            }
        }
        // The constraint behind each capacity multiplier, in the order they are added.
        let mut owners = Vec::new();
        if !o.allow_oversale {
            for (kt, members) in by_team_period.into_iter().enumerate() {
                let (team, t) = (kt / t_n, kt % t_n);
                if members.is_empty() {
                    continue;
                }
                owners.push(TimeConstraint::Capacity { team: self.teams[team].key.clone(), period: t });
                problem.add_capacity(Capacity::new(
                    format!("team \"{}\" in period {t}", self.teams[team].key),
                    members,
                    Measure::Leads,
                    r.capacity[kt] * k,
                ))?;
            }
        }
        let solution = problem.solve(o.solve)?;
        let mut spend = vec![0.0; plan.module_count() * t_n];
        for (&(i, t), &x) in cells.iter().zip(&solution.spend) {
            spend[i * t_n + t] = x / k;
        }
        let schedule = Schedule::from_checked(plan, t_n, spend);
        let evaluation = self.evaluate_schedule(plan, &schedule)?;
        let shadow_prices = labelled(solution.shadow_prices(&problem)?, owners);
        Ok(TimeOptimum { schedule, evaluation, solution, cells, k, shadow_prices })
    }
}

/// The solution's multipliers (read against the problem, which checks their counts) with the
/// time model's constraints: the budget, the capacities (`owners`, in the order they were added)
/// and the period caps (one group per period, in order).
fn labelled(prices: Vec<ShadowPrice>, owners: Vec<TimeConstraint>) -> Vec<TimeShadowPrice> {
    let mut owners = owners.into_iter();
    let mut period = 0..;
    prices
        .into_iter()
        .filter_map(|p| {
            let constraint = match p.constraint {
                Constraint::Budget => TimeConstraint::Budget,
                Constraint::Capacity { .. } => owners.next()?,
                Constraint::Group { .. } => TimeConstraint::PeriodCap { period: period.next()? },
            };
            Some(TimeShadowPrice::new(constraint, p.value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::tol;
    use crate::time::{Horizon, SalesTeam};

    #[test]
    fn capacity_binds_and_is_honoured() {
        let plan = crate::sample::apartments().expect("sample");
        let tight = SalesTeam::new("desk", 1.0, 1.0, 5.0).expect("valid").with_segment("families");
        let model = TimeModel::new(Horizon::weeks(3).expect("valid")).with_team(tight);
        let free = model.optimize(&plan, TimeOptimizeOptions::new().with_oversale(true)).expect("solves");
        assert!(free.evaluation().is_oversold());
        let best = model.optimize(&plan, TimeOptimizeOptions::new()).expect("solves");
        assert!(best.status().is_optimal());
        assert!(!best.evaluation().is_oversold());
        let desk = best.evaluation().team("desk").expect("team");
        for t in 0..3 {
            assert!(desk.arrivals[t] <= desk.capacity[t] * (1.0 + tol::CAPACITY_REL));
        }
        // The optimum's value is what the evaluation finds.
        let f = best.evaluation().full_cycle();
        assert!(tol::approx_eq(best.objective(), f.gross_profit - f.spend, 1e-9));
    }
}
