//! The "how": the [`Solver`] trait and the global solver.

use super::blocks::Blocks;
use super::concave::{Core, GroupC};
use super::envelope::Env;
use super::general::{CapRow, Gen, Row, RowKind, label};
use super::options::SolveOptions;
use super::problem::{BudgetKind, Measure, Objective, Problem, validate_objective};
use super::relax::Relaxation;
use super::sigmoid::{BbOut, branch_and_bound};
use super::slope::leads_and_slope;
use super::solution::Solution;
use crate::curves::Curve;
use crate::error::OptimizeError;
use crate::numerics::tol;

/// A method that turns a [`Problem`] into a [`Solution`].
///
/// One required method, [`Solver::solve_from`], which may use a previous solution of the same
/// (possibly edited) problem as a warm start; [`Solver::solve`] is the cold-start shorthand.
///
/// # Example
/// ```
/// use offergraph::curves::Exponential;
/// use offergraph::optimize::{BranchAndBound, Budget, Activity, Objective, Problem, SolveOptions, Solver};
/// let mut p = Problem::new(Objective::MaxProfit);
/// p.set_budget(Budget::at_most(100.0))?;
/// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
/// let s = BranchAndBound.solve(&p, SolveOptions::new())?;
/// assert!(s.status.is_optimal());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Solver {
    /// Solves `problem`, starting from `previous` when given.
    ///
    /// # Errors
    /// [`OptimizeError`] when the problem is invalid, infeasible or unbounded.
    fn solve_from(
        &self,
        problem: &Problem,
        options: SolveOptions,
        previous: Option<&Solution>,
    ) -> Result<Solution, OptimizeError>;

    /// Solves `problem` from scratch.
    ///
    /// # Errors
    /// As [`Solver::solve_from`].
    fn solve(&self, problem: &Problem, options: SolveOptions) -> Result<Solution, OptimizeError> {
        self.solve_from(problem, options, None)
    }
}

/// The global solver: exact KKT on concave curves, branch and bound on S-shaped ones.
///
/// # Arguments
/// A [`Problem`] and [`SolveOptions`] (gap tolerance, node and time limits); optionally the
/// previous [`Solution`] of the same problem (after a toggle or an edit) as a warm start.
///
/// # Returns
/// A [`Solution`] whose `upper_bound` certifies the gap, with multipliers, per-module marginal
/// ROMI and the status ([`Status::Optimal`](super::Status::Optimal) when the gap is within the tolerance).
///
/// # Complexity
/// Concave curves: `O(N · k)` for `k` price iterations (safeguarded Newton, typically 5–15),
/// each module step in closed form or by a monotone Newton iteration. S-shaped curves: the same
/// per branch-and-bound node; the number of nodes is small because at most one module per
/// constraint is fractional in a relaxation.
///
/// # Example
/// ```
/// use offergraph::curves::Hill;
/// use offergraph::optimize::{BranchAndBound, Budget, Activity, Objective, Problem, SolveOptions, Solver};
/// let mut p = Problem::new(Objective::MaxProfit);
/// p.set_budget(Budget::exactly(300.0))?;
/// for k in [100.0, 150.0] {
///     p.add_module(Activity::new("m", Hill::new(100.0, k, 3.0)?.into(), 5.0)?)?;
/// }
/// let s = BranchAndBound.solve(&p, SolveOptions::new())?;
/// assert!(s.gap() <= 1e-9 * s.objective.abs().max(1.0));
/// assert!((s.total_spend() - 300.0).abs() <= 1e-9 * 300.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Reference
/// M. Udell and S. Boyd, "Maximizing a sum of sigmoids", Optimization and Engineering (2013);
/// the concave case is the classical resource-allocation dual (Ibaraki & Katoh, 1988).
#[derive(Debug, Clone, Copy, Default)]
pub struct BranchAndBound;

/// The relaxation only: exact on concave problems; on S-shaped curves it returns the rounded
/// relaxation with its certified bound and status [`Status::NodeLimit`](super::Status::NodeLimit) when the gap is open.
///
/// # Arguments / Returns
/// As [`BranchAndBound`], with a node limit of 1.
///
/// # Complexity
/// `O(N · k)` for `k` price iterations.
///
/// # Example
/// ```
/// use offergraph::curves::Exponential;
/// use offergraph::optimize::{Budget, Kkt, Activity, Objective, Problem, SolveOptions, Solver};
/// let mut p = Problem::new(Objective::MaxProfit);
/// p.set_budget(Budget::at_most(100.0))?;
/// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
/// assert!(Kkt.solve(&p, SolveOptions::new())?.kkt_residual <= 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Reference
/// Ibaraki & Katoh, "Resource Allocation Problems", MIT Press (1988).
#[derive(Debug, Clone, Copy, Default)]
pub struct Kkt;

impl Solver for Kkt {
    fn solve_from(
        &self,
        problem: &Problem,
        options: SolveOptions,
        previous: Option<&Solution>,
    ) -> Result<Solution, OptimizeError> {
        BranchAndBound.solve_from(problem, options.with_max_nodes(1), previous)
    }
}

impl Solver for BranchAndBound {
    fn solve_from(
        &self,
        problem: &Problem,
        options: SolveOptions,
        previous: Option<&Solution>,
    ) -> Result<Solution, OptimizeError> {
        validate_objective(&problem.objective)?;
        let solution = match problem.objective {
            Objective::MaxProfit => {
                solve_max(problem, Measure::GrossProfit, 1.0, problem.budget, options, previous)
            }
            Objective::TargetMarginalRomi(t) => {
                solve_max(problem, Measure::GrossProfit, 1.0 + t, problem.budget, options, previous)
            }
            Objective::MaxValueFixedBudget { measure } => {
                if problem.budget.is_none() {
                    return Err(OptimizeError::MissingBudget { objective: problem.objective.name() });
                }
                solve_max(problem, measure, 0.0, problem.budget, options, previous)
            }
            Objective::MinSpendForTarget { measure, target } => {
                min_spend(problem, measure, target, options, previous)
            }
            Objective::TargetAverageRomi(t) => average_romi(problem, t, options, previous),
        }?;
        check_finite(problem, &solution)?;
        Ok(solution)
    }
}

/// The first figure of `s` that is NaN or infinite, as an error naming it (and its module).
fn check_finite(problem: &Problem, s: &Solution) -> Result<(), OptimizeError> {
    let not_finite = |what: String, found| Err(OptimizeError::NotFinite { what, found });
    let scalars = [
        ("objective", s.objective),
        ("upper bound", s.upper_bound),
        ("budget multiplier", s.budget_multiplier),
        ("budget multiplier slope", s.budget_multiplier_slope.unwrap_or(0.0)),
        ("KKT residual", s.kkt_residual),
    ];
    if let Some((what, found)) = scalars.into_iter().find(|(_, x)| !x.is_finite()) {
        return not_finite(what.to_owned(), found);
    }
    let per_module = s.spend.iter().zip(&s.leads).zip(&s.marginal_romi);
    for (m, ((&spend, &leads), romi)) in problem.modules.iter().zip(per_module) {
        for (what, x) in [("spend", spend), ("leads", leads), ("marginal ROMI", romi.unwrap_or(0.0))] {
            if !x.is_finite() {
                return not_finite(format!("{what} of module {:?}", m.name()), x);
            }
        }
    }
    let prices = s.capacity_multipliers.iter().chain(&s.group_multipliers);
    match prices.copied().find(|x| !x.is_finite()) {
        Some(x) => not_finite("a constraint's shadow price".to_owned(), x),
        None => Ok(()),
    }
}

impl Problem {
    /// Solves with [`BranchAndBound`].
    ///
    /// # Errors
    /// As [`Solver::solve_from`].
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Activity, Objective, Problem, SolveOptions};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
    /// // r'(s) = 2·e^(−s/50), v = 3: profit peaks where 6·e^(−s/50) = 1.
    /// let s = p.solve(SolveOptions::new())?;
    /// assert!((s.spend[0] - 50.0 * 6f64.ln()).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn solve(&self, options: impl Into<SolveOptions>) -> Result<Solution, OptimizeError> {
        BranchAndBound.solve_from(self, options.into(), None)
    }

    /// Re-solves after an edit or a toggle, warm-started from `previous`.
    ///
    /// # Errors
    /// As [`Solver::solve_from`].
    ///
    /// # Example
    /// ```
    /// use offergraph::curves::Exponential;
    /// use offergraph::optimize::{Budget, Activity, Objective, Problem, SolveOptions};
    /// let mut p = Problem::new(Objective::MaxProfit);
    /// p.set_budget(Budget::at_most(100.0))?;
    /// for _ in 0..3 {
    ///     p.add_module(Activity::new("a", Exponential::new(100.0, 50.0)?.into(), 3.0)?)?;
    /// }
    /// let s = p.solve(SolveOptions::new())?;
    /// p.set_enabled(1, false)?;
    /// let t = p.resolve(SolveOptions::new(), &s)?;
    /// assert_eq!(t.spend[1], 0.0);
    /// assert!(t.objective <= s.objective);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(
        &self,
        options: impl Into<SolveOptions>,
        previous: &Solution,
    ) -> Result<Solution, OptimizeError> {
        BranchAndBound.solve_from(self, options.into(), Some(previous))
    }
}

/// Flattens the problem for a maximisation of `Σ w·r − c·Σ s` within `budget`.
///
/// Disjoint groups and at most one capacity take the fast paths of [`Core`]; disjoint capacities
/// the separable dual ([`Blocks`]); overlapping groups or several capacities the general dual
/// ([`Gen`]).
fn build<'a>(
    problem: &'a Problem,
    measure: Measure,
    c: f64,
    budget: Option<(f64, bool)>,
    gap_tol: f64,
) -> Result<(Relaxation<'a>, Vec<Env>), OptimizeError> {
    let n = problem.modules.len();
    let mods = &problem.modules;
    let bamt = budget.map(|b| b.0);
    // members as sets; overlapping groups or several capacities need the general dual
    let members: Vec<Vec<usize>> = problem
        .groups
        .iter()
        .map(|g| {
            let mut m = g.members.clone();
            m.sort_unstable();
            m.dedup();
            m
        })
        .collect();
    let mut count = vec![0u32; n];
    for m in &members {
        for &i in m {
            count[i] += 1;
        }
    }
    // several capacities with disjoint members and no groups separate ([`Blocks`])
    let weighted = |cap: &super::problem::Capacity| -> Vec<(usize, f64)> {
        let mut m: Vec<(usize, f64)> =
            cap.members.iter().map(|&i| (i, mods[i].weight(cap.measure))).filter(|t| t.1 > 0.0).collect();
        m.sort_unstable_by_key(|t| t.0);
        m.dedup_by_key(|t| t.0);
        m
    };
    let block_rows: Vec<CapRow> =
        problem.capacities.iter().map(|c| CapRow { members: weighted(c), limit: c.limit }).collect();
    let blocks = problem.groups.is_empty() && Blocks::applies(&block_rows, n, c, budget.is_some_and(|b| b.1));
    let general = !blocks && (count.iter().any(|&k| k > 1) || problem.capacities.len() > 1);
    let mut groups = Vec::with_capacity(problem.groups.len());
    let mut limits = Vec::with_capacity(problem.groups.len());
    let mut group_of = vec![usize::MAX; n];
    for (gi, g) in problem.groups.iter().enumerate() {
        let floor = g.floor.map_or(0.0, |l| l.resolve(bamt));
        let cap = g.cap.map_or(f64::INFINITY, |l| l.resolve(bamt));
        if floor > cap {
            return Err(OptimizeError::GroupFloorAboveCap { group: g.name.clone(), floor, cap });
        }
        let lo: f64 = members[gi].iter().map(|&i| mods[i].effective_bounds().0).sum();
        let hi: f64 = members[gi].iter().map(|&i| mods[i].effective_bounds().1).sum();
        if lo > cap {
            return Err(OptimizeError::GroupCapBelowMinima {
                group: g.name.clone(),
                cap,
                minima: lo,
                over: lo - cap,
            });
        }
        let reach = hi.min(bamt.unwrap_or(f64::INFINITY));
        if floor > reach {
            return Err(OptimizeError::GroupFloorUnreachable {
                group: g.name.clone(),
                floor,
                reachable: reach,
                short: floor - reach,
            });
        }
        limits.push((floor, cap));
        if !general {
            for &i in &members[gi] {
                group_of[i] = gi;
            }
            groups.push(GroupC { members: members[gi].clone(), floor, cap });
        }
    }
    let mut env = Vec::with_capacity(n);
    let mut fast = Vec::with_capacity(n);
    let mut curves = Vec::with_capacity(n);
    let (mut w, mut v) = (Vec::with_capacity(n), Vec::with_capacity(n));
    // the general dual tightens each module's maximum by the caps of its groups
    let mut group_caps = Vec::new();
    if general {
        group_caps = vec![f64::INFINITY; n];
        for (gi, m) in members.iter().enumerate() {
            for &i in m {
                group_caps[i] = group_caps[i].min(limits[gi].1);
            }
        }
    }
    let (mut min_total, mut max_total, mut min_plain) = (0.0, 0.0, 0.0);
    // one pass over the modules (they are large; each pass is a trip through memory)
    for (i, m) in mods.iter().enumerate() {
        let (l, hi) = m.effective_bounds();
        let hi = if general { hi.min(group_caps[i]) } else { hi };
        let mut u = hi.max(l);
        if let Some(b) = bamt {
            u = u.min(b.max(l));
        }
        if group_of[i] < groups.len() {
            u = u.min(groups[group_of[i]].cap.max(l));
        } else {
            min_plain += l;
            max_total += u;
        }
        min_total += l;
        let f = m.fast;
        env.push(Env::new(&m.curve, f, l, u));
        fast.push(f);
        curves.push(&m.curve);
        w.push(m.weight(measure));
        v.push(m.value_per_lead);
    }
    let mut floors_total = min_plain;
    let mut floor_binds = false;
    for g in &groups {
        let lo: f64 = g.members.iter().map(|&i| env[i].l).sum();
        let hi: f64 = g.members.iter().map(|&i| env[i].u).sum();
        floor_binds |= g.floor > lo;
        floors_total += g.floor.max(lo);
        max_total += hi.min(g.cap);
    }
    if general {
        floors_total = min_total;
        floor_binds = false;
    }
    if let Some((b, exact)) = budget {
        if floors_total > b * (1.0 + tol::BUDGET_REL) {
            return Err(if floor_binds {
                OptimizeError::FloorsExceedBudget { floors: floors_total, budget: b, short: floors_total - b }
            } else {
                OptimizeError::MinimaExceedBudget { minima: min_total, budget: b, short: min_total - b }
            });
        }
        if exact && max_total < b * (1.0 - tol::BUDGET_REL) {
            return Err(OptimizeError::MaximaBelowBudget {
                maxima: max_total,
                budget: b,
                short: b - max_total,
            });
        }
    }
    let mut capacity = None;
    let mut cap_rows = Vec::new();
    for cap in &problem.capacities {
        let mut d = vec![0.0; n];
        for &i in &cap.members {
            d[i] = mods[i].weight(cap.measure);
        }
        let minimum: f64 = (0..n).map(|i| d[i] * mods[i].curve.leads(env[i].l)).sum();
        if minimum > cap.limit * (1.0 + tol::BUDGET_REL) {
            return Err(OptimizeError::CapacityBelowMinima {
                capacity: cap.name.clone(),
                measure: cap.measure.name(),
                limit: cap.limit,
                minimum,
                over: minimum - cap.limit,
            });
        }
        if general {
            let m: Vec<(usize, f64)> = (0..n).filter(|&i| d[i] > 0.0).map(|i| (i, d[i])).collect();
            cap_rows.push(CapRow { members: m, limit: cap.limit });
        } else if !blocks {
            capacity = Some((d, cap.limit));
        }
    }
    let gdual = if general {
        let rows = general_rows(problem, &members, &limits, &env, budget)?;
        Some(Gen::new(rows, cap_rows, problem.groups.len(), n))
    } else {
        None
    };
    let core = Core { curves, fast, w, c, v, groups, group_of, budget, capacity, gap_tol };
    let blocks = if blocks { Some(Blocks::new(block_rows, n)) } else { None };
    Ok((Relaxation { core, general: gdual, blocks }, env))
}

/// The linear rows of the general dual (binding-capable ones only), after the pairwise checks
/// that explain the usual conflicts: a floor against an overlapping cap, a floor against the
/// budget, a cap against a budget that must be spent exactly.
fn general_rows(
    problem: &Problem,
    members: &[Vec<usize>],
    limits: &[(f64, f64)],
    env: &[Env],
    budget: Option<(f64, bool)>,
) -> Result<Vec<Row>, OptimizeError> {
    let n = env.len();
    let sum_l = |m: &[usize]| -> f64 { m.iter().map(|&i| env[i].l).sum() };
    let sum_u = |m: &[usize]| -> f64 { m.iter().map(|&i| env[i].u).sum() };
    let all_l: f64 = env.iter().map(|e| e.l).sum();
    let all_u: f64 = env.iter().map(|e| e.u).sum();
    let name = |g: usize| label(&problem.groups[g].name);
    let cap_label = |g: usize| format!("group cap {} ({})", name(g), limits[g].1);
    let floor_label = |g: usize| format!("group floor {} ({})", name(g), limits[g].0);
    let budget_label = |b: f64, exact: bool| {
        if exact { format!("the budget ({b}, spent exactly)") } else { format!("the budget ({b})") }
    };
    let slack = |x: f64| tol::BUDGET_REL * x.abs().max(1.0);
    let mut mark = vec![false; n];
    for (f, fm) in members.iter().enumerate() {
        let floor = limits[f].0;
        if floor <= sum_l(fm) {
            continue;
        }
        for &i in fm {
            mark[i] = true;
        }
        for (cg, cm) in members.iter().enumerate() {
            let cap = limits[cg].1;
            if cg == f || !cap.is_finite() || !cm.iter().any(|&i| mark[i]) {
                continue;
            }
            let (mut both_u, mut other_l) = (0.0, 0.0);
            for &i in cm {
                if mark[i] {
                    both_u += env[i].u;
                } else {
                    other_l += env[i].l;
                }
            }
            let rest_u = sum_u(fm) - both_u;
            let both = both_u.min(cap - other_l);
            let short = floor - rest_u - both;
            if short > slack(floor) {
                return Err(OptimizeError::ConflictingConstraints {
                    constraints: vec![floor_label(f), cap_label(cg)],
                    detail: format!(
                        "the modules in both groups can spend at most {both} under the cap and the other \
                         members of {} at most {rest_u}",
                        name(f)
                    ),
                    short,
                });
            }
        }
        if let Some((b, exact)) = budget {
            let outside_l = all_l - sum_l(fm);
            let short = floor + outside_l - b;
            if short > slack(b) {
                return Err(OptimizeError::ConflictingConstraints {
                    constraints: vec![floor_label(f), budget_label(b, exact)],
                    detail: format!("the other modules' minima take {outside_l} of the budget"),
                    short,
                });
            }
        }
        for &i in fm {
            mark[i] = false;
        }
    }
    if let Some((b, true)) = budget {
        for (cg, cm) in members.iter().enumerate() {
            let cap = limits[cg].1;
            let outside_u = all_u - sum_u(cm);
            let short = b - cap - outside_u;
            if cap.is_finite() && short > slack(b) {
                return Err(OptimizeError::ConflictingConstraints {
                    constraints: vec![cap_label(cg), budget_label(b, true)],
                    detail: format!("the other modules can spend at most {outside_u}"),
                    short,
                });
            }
        }
    }
    let mut rows = Vec::new();
    if let Some((b, exact)) = budget {
        rows.push(Row {
            kind: RowKind::Budget,
            group: 0,
            sign: 1.0,
            rhs: b,
            free: exact,
            members: (0..n).collect(),
            label: budget_label(b, exact),
        });
    }
    for (g, m) in members.iter().enumerate() {
        let (floor, cap) = limits[g];
        if cap < sum_u(m) {
            let label = cap_label(g);
            rows.push(Row {
                kind: RowKind::Cap,
                group: g,
                sign: 1.0,
                rhs: cap,
                free: false,
                members: m.clone(),
                label,
            });
        }
        if floor > sum_l(m) {
            let label = floor_label(g);
            rows.push(Row {
                kind: RowKind::Floor,
                group: g,
                sign: -1.0,
                rhs: -floor,
                free: false,
                members: m.clone(),
                label,
            });
        }
    }
    Ok(rows)
}

/// Raw result of one maximisation.
struct MaxOut {
    bb: BbOut,
    kkt: f64,
    leads: Vec<f64>,
    deriv: Vec<f64>,
}

fn run_max<'a>(
    problem: &'a Problem,
    measure: Measure,
    c: f64,
    budget: Option<(f64, bool)>,
    options: SolveOptions,
    previous: Option<&Solution>,
) -> Result<(MaxOut, Relaxation<'a>), OptimizeError> {
    let (rx, env) = build(problem, measure, c, budget, options.tolerance() * 0.1)?;
    let core = &rx.core;
    let n = core.n();
    if budget.is_none() {
        for (i, e) in env.iter().enumerate() {
            if e.u.is_infinite() && core.w[i] > 0.0 {
                let mut w = 0.0;
                let (s, _) = super::envelope::oracle(core.curves[i], core.fast[i], e, core.w[i], c, &mut w);
                if s.is_infinite() {
                    return Err(OptimizeError::Unbounded { index: i, name: problem.modules[i].name.clone() });
                }
            }
        }
    }
    let mut warm: Vec<f64> = match previous {
        Some(s) if s.spend.len() == n => s.spend.clone(),
        _ => vec![0.0; n],
    };
    let (mut hp, hm) = match previous {
        Some(s) => (s.budget_multiplier + c, s.capacity_multipliers.first().copied().unwrap_or(0.0)),
        None => (f64::NAN, 0.0),
    };
    // A toggle or an edit changes the total spend at the old price; the old slope `dλ/dB`
    // predicts the price that restores the budget, so the first pass lands within the polish
    // tolerance (the error is second order in the change).
    if let (Some(slope), Some((b, _))) = (previous.and_then(|s| s.budget_multiplier_slope), budget) {
        let at_old_price: f64 = warm.iter().zip(&env).map(|(x, e)| x.clamp(e.l, e.u)).sum();
        let predicted = hp + (b - at_old_price) * slope;
        if predicted.is_finite() {
            hp = predicted;
        }
    }
    let hy = match (previous, &rx.general, &rx.blocks) {
        (Some(s), Some(g), _) => {
            g.multipliers_of(s.budget_multiplier, &s.group_multipliers, &s.capacity_multipliers)
        }
        (Some(s), None, Some(b)) if s.capacity_multipliers.len() == b.caps.len() => {
            s.capacity_multipliers.clone()
        }
        _ => Vec::new(),
    };
    let mut bb = branch_and_bound(&rx, &env, &options, hp, hm, &hy, &mut warm)?;
    // exact bounds: clamp, then place any rounding remainder of the budget on interior modules
    for (x, e) in bb.x.iter_mut().zip(&env) {
        *x = x.clamp(e.l, e.u);
    }
    if let Some((b, exact)) = budget
        && rx.general.is_none()
    {
        let total: f64 = bb.x.iter().sum();
        let rem = if exact || total > b { b - total } else { 0.0 };
        if rem != 0.0 {
            place_remainder(&mut bb.x, &env, rem);
        }
    }
    // one pass of leads and marginals: objective, KKT residual, marginal ROMI
    let ng = core.groups.len();
    let mut leads = vec![0.0; n];
    let mut deriv = vec![0.0; n];
    let mut value = 0.0;
    let mut kkt: f64 = 0.0;
    for i in 0..n {
        let e = &env[i];
        let x = bb.x[i];
        let curve = core.curves[i];
        (leads[i], deriv[i]) = leads_and_slope(curve, x);
        value += core.w[i] * leads[i] - core.c * x;
        if e.u <= e.l || e.in_linear_part(x) {
            continue;
        }
        let g = core.group_of[i];
        let (p, wi) = match (&rx.general, &core.capacity) {
            (Some(gd), _) => gd.price_weight(core, &bb.y, i),
            (None, None) if rx.blocks.is_some() => (bb.p, core.w[i] - blocks_weight(&rx, &bb.y, i)),
            (None, Some((d, _))) => (if g < ng { bb.gp[g] } else { bb.p }, core.w[i] - bb.mu * d[i]),
            (None, None) => (if g < ng { bb.gp[g] } else { bb.p }, core.w[i]),
        };
        // below `SPEND_TINY` a spend counts as zero; the marginal is taken where it is reliable
        let gross = if x < tol::SPEND_TINY { curve.derivative(tol::SPEND_TINY) } else { deriv[i] };
        let m = wi * gross;
        // relative to the largest term of the stationarity condition `w·r' − c − Σ multipliers = 0`
        // (the gross marginal value and the cost, not only the net price, which vanishes when the
        // budget multiplier cancels the cost)
        let scale =
            p.abs().max(m.abs()).max(core.c.abs()).max((core.w[i] * gross).abs()).max(tol::POSITIVE_FLOOR);
        let res = if x <= e.l || x < tol::SPEND_TINY {
            (m - p).max(0.0)
        } else if x >= e.u {
            (p - m).max(0.0)
        } else if x < e.tau.max(e.infl) {
            0.0
        } else {
            (m - p).abs()
        };
        kkt = kkt.max(res / scale);
    }
    bb.value = value;
    bb.bound = match bb.exact_gap {
        Some(gap) => {
            if gap > options.tolerance() * value.abs().max(1.0) {
                bb.status = super::solution::Status::GapLimit;
            }
            value + gap
        }
        None => bb.bound.max(value),
    };
    Ok((MaxOut { bb, kkt, leads, deriv }, rx))
}

/// `μ_k·d_i` of the capacity that module `i` feeds (0 outside every capacity).
fn blocks_weight(rx: &Relaxation, mu: &[f64], i: usize) -> f64 {
    let Some(b) = &rx.blocks else { return 0.0 };
    let (k, d) = b.of[i];
    mu.get(k).map_or(0.0, |m| m * d)
}

/// Places a rounding remainder `rem` of the budget on the modules strictly inside their bounds,
/// in proportion to their room, so no module's marginal moves by more than rounding.
fn place_remainder(x: &mut [f64], env: &[Env], mut rem: f64) {
    // below this the remainder is rounding of the total; spreading it again cannot reduce it
    let ulps = 4.0 * f64::EPSILON * x.iter().sum::<f64>().abs();
    for _ in 0..4 {
        if rem.abs() <= ulps {
            break;
        }
        let room: f64 = x
            .iter()
            .zip(env)
            .filter(|(x, e)| **x > e.l && **x < e.u)
            .map(|(x, e)| if rem > 0.0 { (e.u - x).min(x - e.l) } else { x - e.l })
            .sum();
        if room.is_nan() || room <= 0.0 || rem == 0.0 {
            break;
        }
        let share = (rem / room).clamp(-1.0, 1.0);
        for (xi, e) in x.iter_mut().zip(env) {
            if *xi > e.l && *xi < e.u {
                let r = if rem > 0.0 { (e.u - *xi).min(*xi - e.l) } else { *xi - e.l };
                let nx = (*xi + share * r).clamp(e.l, e.u);
                rem -= nx - *xi;
                *xi = nx;
            }
        }
    }
    // what rounding leaves goes to the largest interior module, then to any module with room
    let big =
        (0..x.len()).filter(|&i| x[i] > env[i].l && x[i] < env[i].u).max_by(|&i, &j| x[i].total_cmp(&x[j]));
    if let Some(i) = big {
        // what it cannot absorb is below its ulp, so below the resolution of the total
        x[i] = (x[i] + rem).clamp(env[i].l, env[i].u);
        return;
    }
    for (xi, e) in x.iter_mut().zip(env) {
        if rem == 0.0 {
            break;
        }
        let nx = (*xi + rem).clamp(e.l, e.u);
        rem -= nx - *xi;
        *xi = nx;
    }
}

fn to_solution(problem: &Problem, rx: &Relaxation, out: &MaxOut, objective: f64, upper: f64) -> Solution {
    let core = &rx.core;
    let n = core.n();
    let x = out.bb.x.clone();
    let leads = out.leads.clone();
    // A worthless module returns nothing at any slope; otherwise an unbounded slope has no ROMI.
    let marginal_romi = (0..n)
        .map(|i| match core.v[i] {
            0.0 => Some(-1.0),
            v => Some(v * out.deriv[i] - 1.0).filter(|r| r.is_finite()),
        })
        .collect();
    Solution {
        status: out.bb.status,
        objective,
        upper_bound: upper.max(objective),
        spend: x,
        leads,
        budget_multiplier: if core.budget.is_some() { out.bb.p - core.c } else { 0.0 },
        budget_multiplier_slope: None,
        capacity_multipliers: match &rx.general {
            Some(g) => g.split(&out.bb.y).2,
            None if rx.blocks.is_some() => out.bb.y.clone(),
            None if problem.capacities.is_empty() => vec![],
            None => vec![out.bb.mu],
        },
        group_multipliers: out.bb.gp.iter().map(|g| g - out.bb.p).collect(),
        marginal_romi,
        kkt_residual: out.kkt,
        nodes: out.bb.nodes,
    }
}

fn budget_of(b: Option<super::problem::Budget>) -> Option<(f64, bool)> {
    b.map(|b| (b.amount, b.kind == BudgetKind::Exactly))
}

fn solve_max(
    problem: &Problem,
    measure: Measure,
    c: f64,
    budget: Option<super::problem::Budget>,
    options: SolveOptions,
    previous: Option<&Solution>,
) -> Result<Solution, OptimizeError> {
    let (out, rx) = run_max(problem, measure, c, budget_of(budget), options, previous)?;
    let mut s = to_solution(problem, &rx, &out, out.bb.value, out.bb.bound);
    // the slope only means something where the budget binds: a price above the cost, or an
    // exact budget
    let binds = rx.core.budget.is_some_and(|(_, exact)| exact || out.bb.p > rx.core.c);
    if binds && out.bb.dtdp < 0.0 && out.bb.dtdp.is_finite() {
        s.budget_multiplier_slope = Some(1.0 / out.bb.dtdp);
    }
    Ok(s)
}

/// Smallest budget whose best value reaches the target, by bisection on the budget.
fn min_spend(
    problem: &Problem,
    measure: Measure,
    target: f64,
    options: SolveOptions,
    previous: Option<&Solution>,
) -> Result<Solution, OptimizeError> {
    let lo0: f64 = problem.modules.iter().map(|m| m.effective_bounds().0).sum();
    let mut hi: f64 = problem.modules.iter().map(|m| m.effective_bounds().1).sum();
    if let Some(b) = problem.budget {
        hi = hi.min(b.amount);
    }
    let solve_at = |b: f64, prev: Option<&Solution>| -> Result<(MaxOut, f64), OptimizeError> {
        let (out, _) = run_max(problem, measure, 0.0, Some((b, false)), options, prev)?;
        let v = out.bb.value;
        Ok((out, v))
    };
    if hi.is_infinite() {
        hi = lo0.max(1.0);
        for _ in 0..200 {
            let (_, v) = solve_at(hi, previous)?;
            if v >= target {
                break;
            }
            hi *= 2.0;
        }
    }
    let (mut best, vhi) = solve_at(hi, previous)?;
    if vhi < target {
        return Err(OptimizeError::TargetUnreachable { measure: measure.name(), target, reachable: vhi });
    }
    let mut lo = lo0;
    let mut lower_bound = lo0;
    let (o0, v0) = solve_at(lo, previous)?;
    if v0 >= target {
        best = o0;
        hi = lo;
    } else if o0.bb.bound < target {
        lower_bound = lo;
    }
    for _ in 0..tol::MAX_SCALAR_ITERS {
        if hi - lo <= tol::BUDGET_REL * 1e-3 * hi.max(1.0) {
            break;
        }
        let mid = 0.5 * (lo + hi);
        let (o, v) = solve_at(mid, None)?;
        if v >= target {
            hi = mid;
            best = o;
        } else {
            if o.bb.bound < target {
                lower_bound = lower_bound.max(mid);
            }
            lo = mid;
        }
    }
    let (_, rx) = run_max(problem, measure, 0.0, Some((hi, false)), options, None)?;
    let spend: f64 = best.bb.x.iter().sum();
    Ok(to_solution(problem, &rx, &best, -spend, -lower_bound))
}

/// Largest budget whose overall ROMI meets the target (bisection on the budget).
fn average_romi(
    problem: &Problem,
    t: f64,
    options: SolveOptions,
    previous: Option<&Solution>,
) -> Result<Solution, OptimizeError> {
    let cap = problem.budget.map(|b| b.amount);
    let (peak, _) =
        run_max(problem, Measure::GrossProfit, 1.0 + t, cap.map(|b| (b, false)), options, previous)?;
    let b_peak: f64 = peak.bb.x.iter().sum();
    let gp_of = |x: &[f64]| -> f64 {
        problem.modules.iter().zip(x).map(|(m, &s)| m.value_per_lead * m.curve.leads(s)).sum()
    };
    let romi = |gp: f64, b: f64| if b > 0.0 { gp / b - 1.0 } else { f64::INFINITY };
    let gp_peak = gp_of(&peak.bb.x);
    if b_peak <= 0.0 || romi(gp_peak, b_peak) < t {
        // With every minimum at 0, overall ROMI is at most the best single module's
        // `v·sup r(s)/s − 1` (a ratio of sums is at most the largest ratio), and a small spend on
        // that module alone attains it: `r'(0)` for a concave curve, the chord to the tangent
        // point for an S-curve.
        let free = problem.modules.iter().all(|m| m.effective_bounds().0 <= 0.0);
        let best = if free {
            problem
                .modules
                .iter()
                .filter(|m| m.effective_bounds().1 > 0.0)
                .map(|m| {
                    let u = m.effective_bounds().1;
                    let e = Env::new(&m.curve, m.fast, 0.0, u);
                    let ratio = if e.tau > e.l { e.sigma } else { m.curve.derivative(0.0) };
                    m.value_per_lead * ratio - 1.0
                })
                .fold(-1.0, f64::max)
        } else if b_peak > 0.0 {
            romi(gp_peak, b_peak)
        } else {
            -1.0
        };
        return Err(OptimizeError::RomiUnreachable { target: t, best });
    }
    let mut bmax: f64 = problem.modules.iter().map(|m| m.effective_bounds().1).sum();
    if let Some(b) = cap {
        bmax = bmax.min(b);
    }
    let solve_at = |b: f64| run_max(problem, Measure::GrossProfit, 0.0, Some((b, true)), options, None);
    let finish = |out: MaxOut, rx: Relaxation, b: f64| {
        let gp = gp_of(&out.bb.x);
        let ub = out.bb.bound - b;
        to_solution(problem, &rx, &out, gp - b, ub)
    };
    if bmax.is_finite() {
        let (o, rx) = solve_at(bmax)?;
        if romi(gp_of(&o.bb.x), bmax) >= t {
            return Ok(finish(o, rx, bmax));
        }
    }
    let mut lo = b_peak;
    let mut hi = if bmax.is_finite() { bmax } else { b_peak.max(1.0) * 2.0 };
    if !bmax.is_finite() {
        for _ in 0..200 {
            let (o, _) = solve_at(hi)?;
            if romi(gp_of(&o.bb.x), hi) < t {
                break;
            }
            lo = hi;
            hi *= 2.0;
        }
    }
    for _ in 0..tol::MAX_SCALAR_ITERS {
        if hi - lo <= tol::BUDGET_REL * 1e-3 * hi {
            break;
        }
        let mid = 0.5 * (lo + hi);
        let (o, _) = solve_at(mid)?;
        if romi(gp_of(&o.bb.x), mid) >= t {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let (o, rx) = solve_at(lo)?;
    Ok(finish(o, rx, lo))
}
