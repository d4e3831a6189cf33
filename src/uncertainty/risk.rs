//! Risk-aware allocation: the spend that maximises the CVaR (or the mean) of the plan's profit
//! over the Monte Carlo draws, under every constraint of the plan's optimizing policy, with a
//! certified gap.
//!
//! Per draw `d` the profit is `P_d(s) = Σ_i w_id·r_i(s_i) − Σ_i s_i`, with `w_id` the draw's lead
//! scale times its value per lead. `CVaR_α(s) = min_{λ∈Λ} Σ_d λ_d·P_d(s)` over the risk envelope
//! `Λ = {0 ≤ λ_d ≤ 1/(αD), Σ λ_d = 1}`. Any feasible `s` bounds the optimum from below; any
//! `λ ∈ Λ` bounds it from above by `φ(λ) = max_s Σ_d λ_d·P_d(s)`, the plan's max-profit problem
//! with value per lead `W_i = Σ_d λ_d·w_id`, which the optimizer solves with a certified bound.
//!
//! The method is column generation on that saddle point (Dantzig–Wolfe on the allocations,
//! Kelley's cutting planes on `λ`): the columns are allocations `s_k` with their profit vectors
//! `P_k`; the master `max_{μ∈Δ} CVaR_α(Σ_k μ_k·P_k)` is a matrix game between the columns and the
//! vertices of `Λ` (row generation adds the vertex of the worst draws of the master's mixture
//! until the game's value is the master's), solved by two small LPs. Its row strategy is a `λ̄`
//! of `Λ`, where the oracle is called next (a new column and an upper bound); its column
//! strategy aggregates the columns into `s̄ = Σ_k μ_k·s_k`, which is feasible when the
//! constraints are convex and, on concave curves, at least as good as the master
//! (`P(s̄) ≥ Σ_k μ_k·P_k` draw by draw): it is kept as a column too, and its CVaR, recomputed from
//! the draws, is the lower bound. See `docs/uncertainty.md`.

use std::rc::Rc;
use std::time::Instant;

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::Plan;
use crate::budget::Allocation;
use crate::curves::Curve;
use crate::error::{BudgetError, OptimizeError, UncertaintyError};
use crate::model::policy::{BudgetPolicy, OptimizePolicy};
use crate::numerics::tol;
use crate::optimize::game;
use crate::optimize::{Objective, Problem, Solution, SolveOptions, Status};
use crate::uncertainty::draws::Draws;
use crate::uncertainty::options::MonteCarlo;
use crate::uncertainty::section::Uncertainty;

/// Draws a profit task sums at once (any value gives the same sums: each draw sums its modules
/// in plan order).
const BLOCK: usize = 512;

/// What a risk-aware allocation maximises.
///
/// ```
/// use offergraph::uncertainty::RiskObjective;
/// assert_eq!(RiskObjective::default(), RiskObjective::Mean);
/// assert_eq!(RiskObjective::cvar(0.1)?.alpha(), 0.1);
/// assert_eq!(RiskObjective::Mean.alpha(), 1.0);
/// assert_eq!(
///     RiskObjective::cvar(0.0).unwrap_err().to_string(),
///     "CVaR alpha must be a number in (0, 1], found 0"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub enum RiskObjective {
    /// The mean profit over the draws (the CVaR at `α = 1`).
    #[default]
    Mean,
    /// The conditional value at risk at level `alpha`: the mean profit of the worst `alpha`
    /// share of the draws (`alpha` in `(0, 1]`; checked by [`RiskObjective::cvar`] and again
    /// when the optimization starts).
    Cvar {
        /// The share of worst draws averaged, in `(0, 1]`.
        alpha: f64,
    },
}

impl RiskObjective {
    /// The CVaR at level `alpha`.
    ///
    /// # Errors
    /// [`UncertaintyError::InvalidValue`] (`CVaR alpha`) when `alpha` is NaN or outside `(0, 1]`.
    ///
    /// ```
    /// use offergraph::uncertainty::RiskObjective;
    /// assert_eq!(RiskObjective::cvar(0.05)?, RiskObjective::Cvar { alpha: 0.05 });
    /// assert!(RiskObjective::cvar(f64::NAN).is_err() && RiskObjective::cvar(1.5).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cvar(alpha: f64) -> Result<RiskObjective, UncertaintyError> {
        check_alpha(alpha)?;
        Ok(RiskObjective::Cvar { alpha })
    }

    /// The level whose CVaR is maximised: `alpha`, or 1 for the mean.
    ///
    /// ```
    /// assert_eq!(offergraph::uncertainty::RiskObjective::Cvar { alpha: 0.2 }.alpha(), 0.2);
    /// ```
    pub fn alpha(&self) -> f64 {
        match *self {
            RiskObjective::Mean => 1.0,
            RiskObjective::Cvar { alpha } => alpha,
        }
    }

    /// The objective's name (`"mean"`, `"cvar"`).
    ///
    /// ```
    /// assert_eq!(offergraph::uncertainty::RiskObjective::Mean.name(), "mean");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            RiskObjective::Mean => "mean",
            RiskObjective::Cvar { .. } => "cvar",
        }
    }
}

fn check_alpha(alpha: f64) -> Result<(), UncertaintyError> {
    if alpha > 0.0 && alpha <= 1.0 {
        Ok(())
    } else {
        Err(UncertaintyError::InvalidValue {
            what: "CVaR alpha".to_owned(),
            found: alpha,
            expected: "a number in (0, 1]",
        })
    }
}

/// The risk-aware optimum of a plan: the allocation, its CVaR and mean profit over the draws,
/// and a certified upper bound on the best CVaR any feasible allocation can reach.
///
/// `upper_bound − cvar` ([`RiskOptimum::gap`]) is proven: no allocation meeting the plan's
/// constraints has a CVaR (at the objective's level, on these draws) above `upper_bound`.
/// [`Status::Optimal`] means the gap is within the tolerance of the plan's solve options on the
/// scale of the profits: [`RiskOptimum::relative_gap`], the gap over `max(|cvar|, |mean|, 1)`,
/// is at most the tolerance. (A CVaR can sit near zero while every draw's profit is large; a
/// gap relative to the CVaR alone would then ask for a precision no input has.)
///
/// ```
/// use offergraph::PartKind;
/// use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, RiskObjective, Uncertainty};
/// let plan = offergraph::sample::apartments()?;
/// let u = Uncertainty::new()
///     .with_part(PartKind::Channel, "social", Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.6)?));
/// let best = u.optimize(&plan, MonteCarlo::new().with_draws(2_000), RiskObjective::cvar(0.1)?)?;
/// assert!(best.status.is_optimal());
/// assert!(best.relative_gap() <= 1e-6);
/// assert!(best.cvar <= best.mean);
/// assert_eq!(best.spend.len(), plan.module_count());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RiskOptimum {
    /// What was maximised.
    pub objective: RiskObjective,
    /// Spend per module by key, in plan order (0 for switched-off modules).
    pub spend: IndexMap<String, f64>,
    /// The CVaR of total profit at the objective's level (the mean for [`RiskObjective::Mean`]).
    pub cvar: f64,
    /// The mean total profit over the draws.
    pub mean: f64,
    /// Proven upper bound on the CVaR (or mean) of every feasible allocation.
    pub upper_bound: f64,
    /// How the optimization ended (the optimizer's vocabulary: `optimal`; `node_limit` or
    /// `time_limit` when the branch and bound over spend boxes stopped early, `gap_limit` when
    /// a box could be neither closed nor split, `iteration_limit` when column generation did
    /// not converge and no split was found; the gap is certified in every case).
    pub status: Status,
    /// Outer iterations (calls of the max-profit oracle).
    pub iterations: usize,
    /// Branch-and-bound nodes the oracle calls explored in all.
    pub nodes: usize,
    /// Spend boxes the risk-aware branch and bound solved (1 when column generation alone
    /// closed the gap).
    pub boxes: usize,
    allocation: Allocation,
    /// The Monte Carlo options whose draws were optimised over.
    options: MonteCarlo,
}

impl RiskOptimum {
    /// The certified gap `upper_bound − cvar` (never negative).
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, RiskObjective, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let best = Uncertainty::new().optimize(&plan, MonteCarlo::new().with_draws(10), RiskObjective::Mean)?;
    /// assert!(best.gap() <= 1e-6 * best.mean.abs());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn gap(&self) -> f64 {
        (self.upper_bound - self.cvar).max(0.0)
    }

    /// The certified gap on the scale of the profits: [`RiskOptimum::gap`] over
    /// `max(|cvar|, |mean|, 1)`. [`Status::Optimal`] means it is at most the solve options'
    /// tolerance.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, RiskObjective, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let best = Uncertainty::new().optimize(&plan, MonteCarlo::new().with_draws(10), RiskObjective::cvar(0.2)?)?;
    /// assert!(best.status.is_optimal());
    /// assert_eq!(best.relative_gap(), best.gap() / best.cvar.abs().max(best.mean.abs()).max(1.0));
    /// assert!(best.relative_gap() <= 1e-6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn relative_gap(&self) -> f64 {
        self.gap() / scale(self.cvar, self.mean)
    }

    /// The optimum as an [`Allocation`] of the plan (plan order), to evaluate or simulate.
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, RiskObjective, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let best = Uncertainty::new().optimize(&plan, MonteCarlo::new().with_draws(10), RiskObjective::Mean)?;
    /// let eval = plan.evaluate_allocation(best.allocation())?;
    /// assert!((eval.total().profit() - best.mean).abs() <= 1e-6 * best.mean.abs());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allocation(&self) -> &Allocation {
        &self.allocation
    }

    /// The Monte Carlo options whose draws the optimum is over (draws and seed).
    ///
    /// ```
    /// use offergraph::uncertainty::{MonteCarlo, RiskObjective, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let mc = MonteCarlo::new().with_draws(10).with_seed(5);
    /// let best = Uncertainty::new().optimize(&plan, mc, RiskObjective::Mean)?;
    /// assert_eq!((best.options().draws(), best.options().seed()), (10, 5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn options(&self) -> &MonteCarlo {
        &self.options
    }
}

impl Uncertainty {
    /// The allocation of the plan's budget that maximises the CVaR at level `α` (or the mean)
    /// of total profit over the Monte Carlo draws, under every constraint of the plan's
    /// budget policy: with [`BudgetPolicy::Optimize`] its budget kind (at most or exactly),
    /// module bounds and locks, group caps and floors, capacities and solve options; with
    /// [`BudgetPolicy::Rules`] the budget as an upper limit and each module's rule (a fixed
    /// amount locks the module, a weighted one gives its minimum and maximum). The policy's own
    /// objective is replaced by the risk objective.
    ///
    /// # Arguments
    /// The plan, the Monte Carlo options (draws and seed: the same draws as
    /// [`Uncertainty::simulate`] with these options), the [`RiskObjective`].
    ///
    /// # Returns
    /// A [`RiskOptimum`]: spend per module, CVaR and mean, a certified upper bound, the status
    /// and the work done. On concave curves without capacities the problem is convex and the
    /// gap closes to the solve options' tolerance (default `1e-6` relative) by column
    /// generation alone; with S-curves or capacities a duality gap may remain, and a best-first
    /// branch and bound over the modules' spend intervals closes it (bounded by the solve
    /// options' node limit, at most `tol::RISK_MAX_NODES` boxes, and time limit; stopping early
    /// is a status, never `optimal`).
    ///
    /// # Errors
    /// As [`Uncertainty::simulate`] for the section and the options;
    /// [`UncertaintyError::InvalidValue`] for `α` outside `(0, 1]`;
    /// [`UncertaintyError::Budget`] when the plan's constraints are infeasible (the message says
    /// which), a policy's selector names a missing part, or a capacity counts gross profit.
    ///
    /// # Complexity
    /// Each iteration: one max-profit solve on the plan's modules, `O(N·D)` to weigh the draws
    /// and to evaluate the new allocations on them, and two LPs of the size of the master (its
    /// columns and vertices); iterations are bounded by `tol::RISK_MAX_ITERS` and the time
    /// limit of the solve options. Deterministic: the same answer bit for bit for a seed,
    /// whatever the thread count.
    ///
    /// # Example
    /// ```
    /// use offergraph::PartKind;
    /// use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, RiskObjective, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let u = Uncertainty::new()
    ///     .with_part(PartKind::Channel, "outdoor", Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.9)?));
    /// let mc = MonteCarlo::new().with_draws(2_000).with_seed(4);
    /// let safe = u.optimize(&plan, mc, RiskObjective::cvar(0.05)?)?;
    /// let mean = u.optimize(&plan, mc, RiskObjective::Mean)?;
    /// // The risk-averse allocation gives up some mean for a better worst 5%.
    /// assert!(mean.mean >= safe.mean - 1e-6 * mean.mean.abs());
    /// assert!(safe.cvar <= safe.mean);
    /// // For the mean objective, `cvar` is the CVaR at α = 1: the mean.
    /// assert!((mean.cvar - mean.mean).abs() <= 1e-12 * mean.mean.abs());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn optimize(
        &self,
        plan: &Plan,
        options: MonteCarlo,
        objective: RiskObjective,
    ) -> Result<RiskOptimum, UncertaintyError> {
        let alpha = objective.alpha();
        check_alpha(alpha)?;
        let draws = Draws::sample(self, plan, options.draws(), options.seed(), None)?;
        let default_policy;
        let policy = match plan.budget_policy() {
            BudgetPolicy::Optimize(p) => p.as_ref(),
            _ => {
                default_policy = OptimizePolicy::new(Objective::MaxProfit);
                &default_policy
            }
        };
        let mut problem = policy.problem(plan)?;
        problem.set_objective(Objective::MaxProfit).map_err(BudgetError::from)?;
        let weights = Weights::of(&draws);
        let found = solve(&mut problem, &weights, alpha, policy.options).map_err(BudgetError::from)?;
        let Incumbent { spend, cvar, mean } = found.best;
        let keyed = plan.modules().zip(&spend).map(|(m, &s)| (m.key().to_owned(), s)).collect();
        Ok(RiskOptimum {
            objective,
            spend: keyed,
            cvar,
            mean,
            upper_bound: found.upper_bound.max(cvar),
            status: found.status,
            iterations: found.iterations,
            nodes: found.nodes,
            boxes: found.boxes,
            allocation: Allocation::from_parts(plan, spend),
            options,
        })
    }
}

/// Every module's weight `w_id = L_id·v_id` in every draw, module-major (`w[i·D + d]`).
#[derive(Debug, Clone)]
pub(crate) struct Weights {
    n: usize,
    d: usize,
    w: Vec<f64>,
}

impl Weights {
    pub(crate) fn of(draws: &Draws) -> Weights {
        let (n, d) = (draws.modules(), draws.count());
        let mut w = vec![0.0; n * d];
        w.par_chunks_mut(d.max(1)).enumerate().for_each(|(i, row)| {
            let mut value = vec![0.0; d];
            let mut scratch = vec![0.0; d];
            draws.lead_scale_into(i, 0, row);
            draws.value_per_lead_into(i, 0, &mut value, &mut scratch);
            row.iter_mut().zip(&value).for_each(|(x, v)| *x *= v);
        });
        Weights { n, d, w }
    }

    /// A module-major matrix given directly (tests and benches of the method).
    #[cfg(test)]
    pub(crate) fn from_matrix(n: usize, d: usize, w: Vec<f64>) -> Weights {
        assert_eq!(w.len(), n * d);
        Weights { n, d, w }
    }

    /// `out[d] = Σ_i w_id·leads_i − total`: the profit of every draw, the modules summed in plan
    /// order within each draw.
    fn profits(&self, leads: &[f64], total: f64) -> Vec<f64> {
        let mut out = vec![0.0; self.d];
        out.par_chunks_mut(BLOCK).enumerate().for_each(|(b, acc)| {
            let from = b * BLOCK;
            for (i, &l) in leads.iter().enumerate().take(self.n) {
                if l != 0.0 {
                    let row = &self.w[i * self.d + from..i * self.d + from + acc.len()];
                    acc.iter_mut().zip(row).for_each(|(a, w)| *a += w * l);
                }
            }
            acc.iter_mut().for_each(|a| *a -= total);
        });
        out
    }

    /// `W_i = Σ_d λ_d·w_id`, each module's sum in draw order.
    fn weighted(&self, lambda: &[f64]) -> Vec<f64> {
        (0..self.n)
            .into_par_iter()
            .map(|i| self.w[i * self.d..(i + 1) * self.d].iter().zip(lambda).map(|(w, l)| w * l).sum())
            .collect()
    }
}

/// A vertex of the risk envelope: weight `1/(αD)` on the worst `⌊αD⌋` draws of some profit
/// vector and the remainder on the next; stored sparse, worst first.
#[derive(Debug, Clone)]
struct Vertex {
    at: Vec<usize>,
    weight: Vec<f64>,
}

impl Vertex {
    /// The vertex minimising `Σ λ_d·q_d` (ties broken by draw index) and that minimum, the
    /// CVaR of `q` at `alpha`.
    fn worst(q: &[f64], alpha: f64) -> (Vertex, f64) {
        let d = q.len();
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_unstable_by(|&a, &b| q[a].total_cmp(&q[b]).then(a.cmp(&b)));
        let share = alpha * d as f64;
        let m = (share.floor() as usize).min(d);
        let full = 1.0 / share;
        let rest = if m < d { (share - m as f64) * full } else { 0.0 };
        let mut at: Vec<usize> = order[..m].to_vec();
        let mut weight = vec![full; m];
        if rest > 0.0 {
            at.push(order[m]);
            weight.push(rest);
        }
        let v = Vertex { at, weight };
        let value = v.dot(q);
        (v, value)
    }

    fn dot(&self, q: &[f64]) -> f64 {
        self.at.iter().zip(&self.weight).map(|(&d, &w)| w * q[d]).sum()
    }
}

/// An allocation the master may mix: its spend and its profit in every draw.
#[derive(Clone)]
struct Column {
    spend: Vec<f64>,
    profit: Vec<f64>,
}

/// An allocation (spend per module) with its CVaR and mean profit on the draws.
pub(crate) struct Incumbent {
    pub spend: Vec<f64>,
    pub cvar: f64,
    pub mean: f64,
}

/// The answer of [`solve`], and of one box's column generation inside it: the best allocation
/// found, the bound over every allocation searched, how the search ended and the work done.
pub(crate) struct Found {
    pub best: Incumbent,
    pub upper_bound: f64,
    pub status: Status,
    pub iterations: usize,
    pub nodes: usize,
    pub boxes: usize,
}

/// The master: columns, vertices and the game matrix between them (`a[j][k] = λ_j·P_k`).
struct Master {
    alpha: f64,
    cols: Vec<Column>,
    rows: Vec<Vertex>,
    a: Vec<Vec<f64>>,
    /// The column of the largest CVaR: its index, CVaR and mean profit.
    best: Option<(usize, f64, f64)>,
}

impl Master {
    fn add_row(&mut self, v: Vertex) {
        self.a.push(self.cols.iter().map(|c| v.dot(&c.profit)).collect());
        self.rows.push(v);
    }

    /// Adds a column and the vertex of its own worst draws, and keeps it as the best when its
    /// CVaR is the largest so far.
    fn add_column(&mut self, c: Column) {
        for (row, v) in self.a.iter_mut().zip(&self.rows) {
            row.push(v.dot(&c.profit));
        }
        let (v, cvar) = Vertex::worst(&c.profit, self.alpha);
        if self.best.is_none_or(|(_, best, _)| cvar > best) {
            let mean = c.profit.iter().sum::<f64>() / c.profit.len() as f64;
            self.best = Some((self.cols.len(), cvar, mean));
        }
        self.cols.push(c);
        self.add_row(v);
    }

    /// Solves `max_{μ∈Δ} CVaR(Σ_k μ_k·P_k)` by row generation: the matrix game over the
    /// vertices so far, then the vertex of the mixture's worst draws, until the game's value and
    /// the mixture's CVaR agree to `tol` (relative to the profits' scale, `mean` the
    /// incumbent's mean profit). Returns the game (its column strategy is
    /// `μ`, its row strategy a `λ̄` over `rows`) and the master's value (the mixture's CVaR), or
    /// `None` when the LP solver fails.
    fn solve(&mut self, tol: f64, mean: f64) -> Option<(game::Game, f64)> {
        loop {
            let (j, k) = (self.rows.len(), self.cols.len());
            let flat: Vec<f64> = self.a.iter().flatten().copied().collect();
            let g = game::solve(&flat, j, k)?;
            let d = self.cols[0].profit.len();
            let mut mix = vec![0.0; d];
            for (c, &mu) in self.cols.iter().zip(&g.cols) {
                if mu > 0.0 {
                    mix.iter_mut().zip(&c.profit).for_each(|(m, p)| *m += mu * p);
                }
            }
            let (v, value) = Vertex::worst(&mix, self.alpha);
            // A vertex the game already has cuts nothing off (the LP's rounding): stop there.
            let known = self.rows.iter().any(|r| r.at == v.at && r.weight == v.weight);
            if closed(g.value, value, mean, tol) || known || self.rows.len() >= tol::RISK_MAX_ROWS {
                return Some((g, value));
            }
            self.add_row(v);
        }
    }
}

/// One column-generation run on a box (the problem's bounds): its answer over the box (one box
/// solved), and where to split the box when a duality gap remains.
struct Dual {
    found: Found,
    /// The module whose spend the master's mixture spreads most and the mixture's mean spend
    /// on it, strictly inside the box (`None` when no column is mixed or the spread is nil).
    split: Option<(usize, f64)>,
    /// Where the run ended, to start the runs on the box's halves from.
    warm: Rc<Warm>,
}

/// A column generation's last state: the draws' weights `λ` and the columns. A sub-box starts
/// from them: the columns inside it are feasible there, and `λ` is the parent's best guess, so
/// the first oracle call already gives a tight bound.
struct Warm {
    lambda: Vec<f64>,
    cols: Vec<Column>,
}

/// Maximises the CVaR at `alpha` of `Σ_i w_id·r_i(s_i) − Σ s_i` over the draws of `weights` on
/// the feasible set of `problem` (a max-profit problem; its values per lead are overwritten):
/// column generation, then, when a duality gap remains (S-curves, capacities), best-first branch
/// and bound over the modules' spend intervals, each node a column generation on its box.
pub(crate) fn solve(
    problem: &mut Problem,
    weights: &Weights,
    alpha: f64,
    options: SolveOptions,
) -> Result<Found, OptimizeError> {
    let deadline = options.time_limit().map(|t| Instant::now() + t);
    let tolerance = options.tolerance();
    let root = dual(problem, weights, alpha, options, deadline, tol::RISK_MAX_ITERS, None, None)?;
    let split = match root.split {
        // A duality gap, or a dual that did not converge in its iterations: split the box.
        Some(split) if matches!(root.found.status, Status::GapLimit | Status::IterationLimit) => split,
        _ => return Ok(root.found),
    };
    let Found { mut best, upper_bound, mut iterations, mut nodes, .. } = root.found;
    let bounds: Vec<(f64, f64)> = problem.modules.iter().map(|m| (m.lo(), m.hi())).collect();
    let mut open = vec![Node { upper: upper_bound, bounds, split, id: 0, warm: root.warm }];
    // The largest bound of a box closed without being solved to the tolerance, or pruned.
    let mut closed_upper = f64::NEG_INFINITY;
    let (mut count, max_nodes) = (1usize, options.max_nodes().min(tol::RISK_MAX_NODES));
    let status = loop {
        // The open box of the largest bound, unless every open box is within the tolerance.
        let Some(k) = (0..open.len())
            .max_by(|&a, &b| open[a].upper.total_cmp(&open[b].upper).then(open[b].id.cmp(&open[a].id)))
            .filter(|&k| !closed(open[k].upper, best.cvar, best.mean, tolerance))
        else {
            break if closed(closed_upper, best.cvar, best.mean, tolerance) {
                Status::Optimal
            } else {
                Status::GapLimit
            };
        };
        if count >= max_nodes {
            break Status::NodeLimit;
        }
        if deadline.is_some_and(|end| Instant::now() >= end) {
            break Status::TimeLimit;
        }
        let node = open.swap_remove(k);
        let (i, at) = node.split;
        for half in [(node.bounds[i].0, at), (at, node.bounds[i].1)] {
            count += 1;
            let mut child = problem.clone();
            let mut bounds = node.bounds.clone();
            bounds[i] = half;
            let boxed = child
                .modules
                .iter_mut()
                .zip(&bounds)
                .try_for_each(|(m, &(lo, hi))| m.clone().with_bounds(lo, hi).map(|b| *m = b));
            if boxed.is_err() {
                closed_upper = closed_upper.max(node.upper);
                continue;
            }
            let iters = tol::RISK_NODE_ITERS;
            let Dual { found, split, warm } = match dual(
                &mut child,
                weights,
                alpha,
                options,
                deadline,
                iters,
                Some(&best),
                Some(&node.warm),
            ) {
                Ok(dual) => dual,
                // No allocation in this half: nothing to keep.
                Err(e) if proves_infeasible(&e) => continue,
                Err(OptimizeError::NoFeasibleFound { .. }) => {
                    closed_upper = closed_upper.max(node.upper);
                    continue;
                }
                Err(e) => return Err(e),
            };
            iterations += found.iterations;
            nodes += found.nodes;
            let upper = found.upper_bound.min(node.upper);
            if found.best.cvar > best.cvar {
                best = found.best;
            }
            match split {
                Some(split) if !closed(upper, best.cvar, best.mean, tolerance) => {
                    open.push(Node { upper, bounds, split, id: count, warm });
                }
                _ => closed_upper = closed_upper.max(upper),
            }
        }
    };
    let upper_bound = open.iter().map(|n| n.upper).fold(closed_upper, f64::max).max(best.cvar);
    Ok(Found { best, upper_bound, status, iterations, nodes, boxes: count })
}

/// An open box of the branch and bound: each module's spend interval, the bound over it, where
/// to split it, and its creation number (ties go to the older).
struct Node {
    upper: f64,
    bounds: Vec<(f64, f64)>,
    split: (usize, f64),
    id: usize,
    warm: Rc<Warm>,
}

/// `true` for the optimizer's errors that prove no allocation meets the constraints.
fn proves_infeasible(e: &OptimizeError) -> bool {
    matches!(
        e,
        OptimizeError::MinimaExceedBudget { .. }
            | OptimizeError::MaximaBelowBudget { .. }
            | OptimizeError::GroupFloorUnreachable { .. }
            | OptimizeError::GroupCapBelowMinima { .. }
            | OptimizeError::FloorsExceedBudget { .. }
            | OptimizeError::ConflictingConstraints { .. }
            | OptimizeError::NoFeasibleAllocation { .. }
            | OptimizeError::Infeasible { .. }
            | OptimizeError::CapacityBelowMinima { .. }
    )
}

/// Column generation on the problem's box, for at most `max_iters` oracle calls; stops early
/// once its bound is within the tolerance of `floor` (the best allocation found elsewhere),
/// starting from `warm` (the parent box's run) when given.
#[allow(clippy::too_many_arguments)]
fn dual(
    problem: &mut Problem,
    weights: &Weights,
    alpha: f64,
    options: SolveOptions,
    deadline: Option<Instant>,
    max_iters: usize,
    floor: Option<&Incumbent>,
    warm: Option<&Warm>,
) -> Result<Dual, OptimizeError> {
    let d = weights.d;
    let tolerance = options.tolerance();
    let mut master = Master { alpha, cols: Vec::new(), rows: Vec::new(), a: Vec::new(), best: None };
    let mut lambda = warm.map_or_else(|| vec![1.0 / d as f64; d], |w| w.lambda.clone());
    let mut upper = f64::INFINITY;
    for c in warm.iter().flat_map(|w| &w.cols).filter(|c| inside(problem, &c.spend)) {
        master.add_column(c.clone());
    }
    let floor = floor.map_or((f64::NEG_INFINITY, 0.0), |b| (b.cvar, b.mean));
    // The CVaR and mean profit the gap is measured against: this box's best column or `floor`.
    let lead = |m: &Master| match m.best {
        Some((_, cvar, mean)) if cvar > floor.0 => (cvar, mean),
        _ => floor,
    };
    let (mut iterations, mut nodes) = (0, 0);
    let mut previous: Option<Solution> = None;
    let mut split = None;
    // The master's last mixture over its columns (empty before its first solve).
    let mut mixed: Vec<f64> = Vec::new();
    let status = loop {
        iterations += 1;
        let w = weights.weighted(&lambda);
        for (m, wi) in problem.modules.iter_mut().zip(&w) {
            m.value_per_lead = *wi;
        }
        let mut oracle_options = options;
        if let Some(end) = deadline {
            oracle_options = oracle_options.with_time_limit(end.saturating_duration_since(Instant::now()));
        }
        let sol = match &previous {
            Some(p) => problem.resolve(oracle_options, p)?,
            None => problem.solve(oracle_options)?,
        };
        nodes += sol.nodes;
        upper = upper.min(sol.upper_bound);
        let total: f64 = sol.spend.iter().sum();
        let profit = weights.profits(&sol.leads, total);
        master.add_column(Column { spend: sol.spend.clone(), profit });
        previous = Some(sol);
        let (lower, mean) = lead(&master);
        if closed(upper, lower, mean, tolerance) {
            break Status::Optimal;
        }
        let Some((g, value)) = master.solve(tolerance * tol::RISK_GAME_SHARE, mean) else {
            break Status::GapLimit;
        };
        split = spread(problem, &master.cols, &g.cols);
        mixed.clone_from(&g.cols);
        // The aggregated allocation meets the budget, bounds, caps and floors (linear rows); a
        // capacity it may break, and then it is not used. On concave curves it is at least as
        // good as the master's mixture.
        let spend = aggregate(problem, &master.cols, &g.cols);
        let leads: Vec<f64> = problem.modules.iter().zip(&spend).map(|(m, &s)| m.curve.leads(s)).collect();
        if meets_capacities(problem, &leads) {
            let total: f64 = spend.iter().sum();
            let profit = weights.profits(&leads, total);
            master.add_column(Column { spend, profit });
            let (lower, mean) = lead(&master);
            if closed(upper, lower, mean, tolerance) {
                break Status::Optimal;
            }
        }
        // The master's value bounds the dual's optimum from below: once the best bound meets
        // it, no λ can do better and what remains is a duality gap (non-convex problems).
        if closed(upper, value, lead(&master).1, tolerance * tol::RISK_GAME_SHARE) {
            break Status::GapLimit;
        }
        if iterations >= max_iters {
            break Status::IterationLimit;
        }
        if deadline.is_some_and(|end| Instant::now() >= end) {
            break Status::TimeLimit;
        }
        lambda.fill(0.0);
        for (v, &nu) in master.rows.iter().zip(&g.rows) {
            if nu > 0.0 {
                for (&at, &wt) in v.at.iter().zip(&v.weight) {
                    lambda[at] += nu * wt;
                }
            }
        }
    };
    // Every pass adds the oracle's column before it can stop, so the master has a best one.
    let (best_at, cvar, mean) = master.best.unwrap_or((0, f64::NEG_INFINITY, 0.0));
    if split.is_none() && status != Status::Optimal {
        // The mixed columns agree (or sit at a bound) yet a gap is left: halve the widest
        // interval, so the branch and bound still has a box to shrink.
        split = widest(problem);
    }
    let best = Incumbent { spend: master.cols[best_at].spend.clone(), cvar, mean };
    // The halves inherit the mixed columns and the best one: the rest are unlikely to mix again.
    let cols = (master.cols.into_iter().enumerate())
        .filter(|&(k, _)| k == best_at || mixed.get(k).is_some_and(|&mu| mu > 0.0))
        .map(|(_, c)| c)
        .collect();
    let warm = Rc::new(Warm { lambda, cols });
    let found = Found { best, upper_bound: upper, status, iterations, nodes, boxes: 1 };
    Ok(Dual { found, split, warm })
}

/// The module whose spend the mixed columns (weight `mu > 0`) spread over most, and their
/// weighted mean spend on it, when that lies strictly inside the module's box.
fn spread(problem: &Problem, cols: &[Column], mu: &[f64]) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64, f64)> = None;
    for (i, m) in problem.modules.iter().enumerate() {
        let (lo, hi) = m.effective_bounds();
        let (mut min, mut max, mut mean) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
        for (c, &w) in cols.iter().zip(mu) {
            if w > 0.0 {
                min = min.min(c.spend[i]);
                max = max.max(c.spend[i]);
                mean += w * c.spend[i];
            }
        }
        let width = max - min;
        if width > tol::RISK_SPLIT_REL * max.max(1.0)
            && mean > lo
            && mean < hi
            && best.is_none_or(|(_, w, _)| width > w)
        {
            best = Some((i, width, mean));
        }
    }
    best.map(|(i, _, at)| (i, at))
}

/// The module with the widest spend interval and its middle, when that interval is wider
/// than [`tol::RISK_SPLIT_REL`] of its upper end.
fn widest(problem: &Problem) -> Option<(usize, f64)> {
    problem
        .modules
        .iter()
        .map(|m| m.effective_bounds())
        .enumerate()
        .filter(|(_, (lo, hi))| hi - lo > tol::RISK_SPLIT_REL * hi.max(1.0))
        .max_by(|(a, (la, ha)), (b, (lb, hb))| (ha - la).total_cmp(&(hb - lb)).then(b.cmp(a)))
        .map(|(i, (lo, hi))| (i, 0.5 * (lo + hi)))
}

/// `spend` lies in every module's box (a locked module at its amount).
fn inside(problem: &Problem, spend: &[f64]) -> bool {
    problem.modules.iter().zip(spend).all(|(m, &s)| {
        let (lo, hi) = m.effective_bounds();
        s >= lo && s <= hi.max(lo)
    })
}

/// Every capacity holds at `leads` (to the rounding [`tol::CAPACITY_REL`] allows).
fn meets_capacities(problem: &Problem, leads: &[f64]) -> bool {
    problem.capacities.iter().all(|c| {
        let used: f64 = c.members.iter().map(|&i| problem.modules[i].weight(c.measure) * leads[i]).sum();
        used <= c.limit * (1.0 + tol::CAPACITY_REL)
    })
}

/// `upper − lower ≤ tol·max(|lower|, |mean|, 1)`: the gap is measured on the scale of the
/// profits (`mean`, the incumbent's mean profit), not only of the CVaR, which can sit near zero
/// while every draw's profit is large.
fn closed(upper: f64, lower: f64, mean: f64, tol: f64) -> bool {
    upper - lower <= tol * scale(lower, mean)
}

/// The money scale a gap is relative to: `max(|cvar|, |mean|, 1)`.
fn scale(cvar: f64, mean: f64) -> f64 {
    cvar.abs().max(mean.abs()).max(1.0)
}

/// `Σ_k μ_k·s_k`, kept within each module's bounds (a locked module keeps its amount exactly).
fn aggregate(problem: &Problem, cols: &[Column], mu: &[f64]) -> Vec<f64> {
    let mut s = vec![0.0; problem.modules.len()];
    for (c, &m) in cols.iter().zip(mu) {
        if m > 0.0 {
            s.iter_mut().zip(&c.spend).for_each(|(x, y)| *x += m * y);
        }
    }
    for (x, m) in s.iter_mut().zip(&problem.modules) {
        let (lo, hi) = m.effective_bounds();
        *x = if lo >= hi { lo } else { x.clamp(lo, hi) };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gap_is_measured_on_the_profits_scale() {
        // A CVaR of 75 with a mean profit of 446: 4e-4 is within 1e-6 of 446, not of 75.
        assert!(closed(75.0 + 4e-4, 75.0, 446.0, 1e-6));
        assert!(!closed(75.0 + 4e-4, 75.0, 75.0, 1e-6));
        // Near zero both ways, the scale is 1.
        assert!(closed(0.5e-6, 0.0, 0.0, 1e-6) && !closed(2e-6, 0.0, 0.0, 1e-6));
        assert_eq!(scale(-300.0, 100.0).to_bits(), 300.0f64.to_bits());
    }

    #[test]
    fn cvar_vertex_weighs_the_worst_share_and_a_remainder() {
        // D = 4, α = 0.3: αD = 1.2, weight 1/1.2 on the worst draw and 0.2/1.2 on the next.
        let (v, cvar) = Vertex::worst(&[5.0, 1.0, 3.0, 2.0], 0.3);
        assert_eq!(v.at, vec![1, 3]);
        assert!((cvar - (1.0 + 0.2 * 2.0) / 1.2).abs() < 1e-12);
        // α below one draw's share: the worst draw alone.
        let (_, worst) = Vertex::worst(&[5.0, 1.0, 3.0, 2.0], 0.01);
        assert!((worst - 1.0).abs() < 1e-12);
        // α = 1: the mean.
        let (_, mean) = Vertex::worst(&[5.0, 1.0, 3.0, 2.0], 1.0);
        assert!((mean - 2.75).abs() < 1e-12);
    }

    #[test]
    fn cvar_of_one_exponential_module_is_found_by_hand() {
        use crate::curves::Exponential;
        use crate::optimize::{Activity, Budget};
        // One exponential module r(s) = 100(1 − e^{−s/50}), draws with weights 3 and 1, α = 0.5:
        // the CVaR is the worst draw's profit, 1·r(s) − s, maximal at r'(s) = 1: 2e^{−s/50} = 1,
        // s = 50·ln 2 — as long as the other draw stays better (it does: weight 3 > 1).
        let mut p = Problem::new(Objective::MaxProfit);
        p.set_budget(Budget::at_most(1_000.0)).expect("valid");
        p.add_module(
            Activity::new("a", Exponential::new(100.0, 50.0).expect("valid").into(), 1.0).expect("valid"),
        )
        .expect("valid");
        let w = Weights::from_matrix(1, 2, vec![3.0, 1.0]);
        let found = solve(&mut p, &w, 0.5, SolveOptions::new()).expect("solves");
        let s = 50.0 * 2f64.ln();
        assert!(found.status.is_optimal(), "{:?}", found.status);
        assert!((found.best.spend[0] - s).abs() < 1e-6 * s, "{}", found.best.spend[0]);
        let cvar = 100.0 * (1.0 - (-s / 50.0f64).exp()) - s;
        assert!((found.best.cvar - cvar).abs() < 1e-9 * cvar);
    }
}
