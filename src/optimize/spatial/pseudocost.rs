//! Pseudo-costs of the spatial branch and bound: what splitting each module has bought so far.
//!
//! The branching score (how far the LP's leads lie from a module's curve, weighed by what a
//! lead is worth) says where the relaxation is loose, not whether tightening it moves the
//! bound: a module far from its lines but off every binding constraint gains nothing when
//! split. Each split's children report how far the bound fell per unit of score; a module
//! is ranked by its score times its rate relative to the mean rate, held within
//! [`tol::PSEUDO_COST_SPREAD`] of it either way, so history reorders the candidates without
//! ever shutting a module out (an early split that bought nothing must not stop its module
//! from being split once the search has moved elsewhere).

use crate::numerics::tol;

/// How a node was made: `module` split, the node its `upper` half or not, at a branching
/// score of `score`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Split {
    pub module: usize,
    pub upper: bool,
    pub score: f64,
}

/// Per module and side (lower, upper half), the sum and count of the bound's falls per unit of
/// score; and the same over every module.
#[derive(Debug, Clone)]
pub(super) struct PseudoCosts {
    sum: Vec<[f64; 2]>,
    count: Vec<[u32; 2]>,
    total: [f64; 2],
    total_count: [u32; 2],
}

impl PseudoCosts {
    pub(super) fn new(n: usize) -> PseudoCosts {
        PseudoCosts { sum: vec![[0.0; 2]; n], count: vec![[0; 2]; n], total: [0.0; 2], total_count: [0; 2] }
    }

    /// Records that the node `split` made has a bound `fall` below its parent's.
    pub(super) fn learn(&mut self, split: Split, fall: f64) {
        if !(split.score > 0.0 && fall.is_finite()) {
            return;
        }
        let rate = fall.max(0.0) / split.score;
        let k = usize::from(split.upper);
        self.sum[split.module][k] += rate;
        self.count[split.module][k] += 1;
        self.total[k] += rate;
        self.total_count[k] += 1;
    }

    /// The factor module `i`'s score is ranked by: the geometric mean of its two sides' mean
    /// rates over that of every module's (a side without history counts as the mean), within
    /// [`tol::PSEUDO_COST_SPREAD`] of 1 either way; 1 before any history.
    pub(super) fn rate(&self, i: usize) -> f64 {
        let mean = |s: f64, c: u32| (c > 0).then(|| s / f64::from(c));
        let all = |k: usize| mean(self.total[k], self.total_count[k]).unwrap_or(1.0);
        let own = |k: usize| mean(self.sum[i][k], self.count[i][k]).unwrap_or_else(|| all(k));
        let geo =
            |f: &dyn Fn(usize) -> f64| (f(0).max(tol::POSITIVE_FLOOR) * f(1).max(tol::POSITIVE_FLOOR)).sqrt();
        let spread = tol::PSEUDO_COST_SPREAD;
        (geo(&own) / geo(&all)).clamp(1.0 / spread, spread)
    }
}

#[cfg(test)]
mod tests {
    use super::{PseudoCosts, Split};
    use crate::numerics::tol;

    fn split(module: usize, upper: bool, score: f64) -> Split {
        Split { module, upper, score }
    }

    #[test]
    fn without_history_every_module_ranks_by_its_score_alone() {
        let c = PseudoCosts::new(3);
        assert_eq!((0..3).map(|i| c.rate(i)).collect::<Vec<_>>(), [1.0; 3]);
    }

    #[test]
    fn a_module_whose_splits_moved_the_bound_ranks_above_one_whose_did_not() {
        let mut c = PseudoCosts::new(3);
        // module 0: falls of 8 per unit of score on both sides; module 1: 2 on both
        for (m, fall) in [(0, 16.0), (1, 4.0)] {
            c.learn(split(m, false, 2.0), fall);
            c.learn(split(m, true, 2.0), fall);
        }
        // the mean rate is 5 on each side: module 0 at 8/5, module 1 at 2/5, module 2 (no
        // history) at the mean
        assert!((c.rate(0) - 1.6).abs() < 1e-12);
        assert!((c.rate(1) - 0.4).abs() < 1e-12);
        assert!((c.rate(2) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn history_never_shuts_a_module_out_or_in() {
        // module 0's splits moved the bound by 1e9 a unit of score, the other five's not at
        // all: 6 and 0 times the mean, held at 4 and 1/4
        let mut c = PseudoCosts::new(6);
        for m in 0..6 {
            let fall = if m == 0 { 1e9 } else { 0.0 };
            c.learn(split(m, false, 1.0), fall);
            c.learn(split(m, true, 1.0), fall);
        }
        assert_eq!(c.rate(0).to_bits(), tol::PSEUDO_COST_SPREAD.to_bits());
        assert_eq!(c.rate(1).to_bits(), (1.0 / tol::PSEUDO_COST_SPREAD).to_bits());
    }

    #[test]
    fn a_rising_bound_or_a_split_without_score_teaches_nothing_harmful() {
        let mut c = PseudoCosts::new(1);
        c.learn(split(0, false, 0.0), 5.0);
        c.learn(split(0, true, 1.0), f64::NAN);
        assert_eq!(c.rate(0).to_bits(), 1f64.to_bits());
        // a child bound above its parent's (rounding) counts as no fall
        c.learn(split(0, false, 1.0), -3.0);
        assert!(c.rate(0).is_finite());
    }
}
