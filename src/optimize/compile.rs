//! Compiling a [`Problem`] for one maximisation: the flat relaxation (fast dual, separable dual
//! or general dual, chosen once), the modules' envelopes, and the messages that explain the usual
//! conflicts between floors, caps and the budget.

use super::blocks::Blocks;
use super::concave::{Core, GroupC};
use super::envelope::Env;
use super::general::{CapRow, Gen, Row, RowKind, label};
use super::problem::{Measure, Problem};
use super::relax::Relaxation;
use crate::curves::Curve;
use crate::error::OptimizeError;
use crate::numerics::tol;

/// Flattens the problem for a maximisation of `Σ w·r − c·Σ s` within `budget`.
///
/// Disjoint groups and at most one capacity take the fast paths of [`Core`]; disjoint capacities
/// the separable dual ([`Blocks`]); overlapping groups or several capacities the general dual
/// ([`Gen`]).
pub(super) fn build<'a>(
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
    let cap_label = |c: &super::problem::Capacity| {
        format!("capacity {} ({} {})", label(&c.name), c.limit, c.measure.name())
    };
    let block_rows: Vec<CapRow> = problem
        .capacities
        .iter()
        .map(|c| CapRow { members: weighted(c), limit: c.limit, label: cap_label(c) })
        .collect();
    let blocks = problem.groups.is_empty() && Blocks::applies(&block_rows, n, c, budget.is_some_and(|b| b.1));
    // capacities with an exact budget, a floor or an S-curve make the problem non-convex: the
    // spatial branch and bound takes it when it is small, over the general constraint set
    let spatial = !problem.capacities.is_empty()
        && n <= tol::SPATIAL_MAX_MODULES
        && nonconvex(budget.is_some_and(|b| b.1), problem.groups.iter().any(|g| g.floor.is_some()), || {
            mods.iter().any(|m| !m.curve.is_concave())
        });
    let general = !blocks && (count.iter().any(|&k| k > 1) || problem.capacities.len() > 1 || spatial);
    let mut groups = Vec::with_capacity(problem.groups.len());
    let mut limits = Vec::with_capacity(problem.groups.len());
    let mut group_of = vec![usize::MAX; n];
    for (gi, g) in problem.groups.iter().enumerate() {
        let floor = g.floor.map_or(0.0, |l| l.resolve(bamt));
        let cap = g.cap.map_or(f64::INFINITY, |l| l.resolve(bamt));
        let group = || g.name.clone();
        if floor > cap {
            return Err(OptimizeError::GroupFloorAboveCap { group: group(), floor, cap });
        }
        let minima: f64 = members[gi].iter().map(|&i| mods[i].effective_bounds().0).sum();
        let hi: f64 = members[gi].iter().map(|&i| mods[i].effective_bounds().1).sum();
        if minima > cap {
            let over = minima - cap;
            return Err(OptimizeError::GroupCapBelowMinima { group: group(), cap, minima, over });
        }
        let reachable = hi.min(bamt.unwrap_or(f64::INFINITY));
        if floor > reachable {
            let short = floor - reachable;
            return Err(OptimizeError::GroupFloorUnreachable { group: group(), floor, reachable, short });
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
        // the budget's and a group cap's share of `u` are constraints with prices, not bounds
        // the oracle may stop at (on the price searches; the general dual keeps the tighter
        // box, whose Lagrangian bound it needs: on the wider one it stalled far above the
        // optimum)
        let e = Env::new(&m.curve, f, l, u);
        env.push(if general { e } else { e.with_reach(m.effective_bounds().1) });
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
            cap_rows.push(CapRow { members: m, limit: cap.limit, label: cap_label(cap) });
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

/// Whether constraints that cap leads make the problem non-convex in the spends: an exact
/// budget or a floor forces money where a capacity caps leads, and an S-curve is not concave.
pub(crate) fn nonconvex(exact: bool, floors: bool, s_curves: impl FnOnce() -> bool) -> bool {
    exact || floors || s_curves()
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
