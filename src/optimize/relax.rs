//! The relaxation at a branch-and-bound node, by the method its constraints call for: the fast
//! dual of [`super::concave`] (the budget, disjoint groups, at most one capacity), the separable
//! dual of [`super::blocks`] (disjoint capacities) or the general dual of [`super::general`]
//! (overlapping groups, several capacities). [`crate::optimize::solver`] picks the method once
//! per problem; branch and bound calls [`Relaxation::relax`] at every node.

use super::blocks::Blocks;
use super::concave::{Core, Priced, Relax};
use super::envelope::Env;
use super::general::Gen;
use super::solution::Status;

/// A flattened problem with the method that solves its relaxations.
#[derive(Debug, Clone)]
pub(crate) struct Relaxation<'a> {
    pub core: Core<'a>,
    /// Overlapping groups or several capacities (then `core.groups` is empty and
    /// `core.capacity` is `None`).
    pub general: Option<Gen>,
    /// Disjoint capacities (then `core.capacity` is `None`).
    pub blocks: Option<Blocks>,
}

impl Relaxation<'_> {
    /// Solves the relaxation on the node's envelopes, from hints of the budget price, the
    /// capacity multiplier (fast path) and the multipliers (general and separable duals).
    pub(crate) fn relax(
        &self,
        env: &[Env],
        hint_p: f64,
        hint_mu: f64,
        hint_y: &[f64],
        warm: &mut [f64],
    ) -> Relax {
        let core = &self.core;
        if let Some(b) = &self.blocks {
            return b.relax(core, env, hint_p, hint_y, warm);
        }
        let Some(gd) = &self.general else {
            return core.relax_fast(env, hint_p, hint_mu, warm);
        };
        let y0 = if hint_y.len() == gd.m() {
            hint_y.to_vec()
        } else {
            // start from the budget's own price
            let r = core.relax_plain(env, &core.w, 0.0, hint_p, warm);
            gd.multipliers_of(if core.budget.is_some() { r.at.p - core.c } else { 0.0 }, &[], &[])
        };
        let out = gd.solve(core, env, &y0, warm);
        let (lam, gm, _) = gd.split(&out.y);
        let p = core.c + lam;
        let at = Priced {
            gp: gm.iter().map(|g| p + g).collect(),
            y: out.y,
            ..Priced::at_price(out.x, p, 0.0, f64::NAN)
        };
        Relax { at, bound: out.bound, feasible: out.feasible, infeasible: out.infeasible }
    }
}

/// What a branch and bound (the envelopes' of [`super::sigmoid`] or the spatial one of
/// [`super::spatial`]) makes of a problem.
#[derive(Debug, Clone)]
pub(crate) struct BbOut {
    /// The best allocation and its prices.
    pub at: Priced,
    pub value: f64,
    pub bound: f64,
    pub status: Status,
    pub nodes: usize,
    /// `Some(bound − value)` when the root relaxation's answer lies outside every linear part
    /// of the envelopes (there the relaxation is the problem) and `value`/`bound` are left to
    /// the caller's final pass of leads: the gap then comes from complementary slackness alone.
    pub exact_gap: Option<f64>,
}
