//! Summaries of a figure over the draws: [`Stats`] (mean, P10, P50, P90) and [`Outcome`] (the
//! figures of a module, a group or the plan, with the probabilities of a loss and of missing the
//! target).

use serde::Serialize;

/// The mean and the 10th, 50th and 90th percentiles of a figure over the draws.
///
/// Percentiles interpolate linearly between order statistics (type 7 of Hyndman and Fan, the
/// default of R, NumPy and spreadsheets): with the `n` draws sorted as `x₀ ≤ … ≤ xₙ₋₁`, the
/// `p`-quantile is `x_k + f·(x_{k+1} − x_k)` where `k + f = (n − 1)·p`. So P10 is a value 10% of
/// the draws fall below; with one draw every percentile is that draw.
///
/// # Example
/// ```
/// # use offergraph::PartKind;
/// # use offergraph::uncertainty::{Distribution, Entry, MonteCarlo, Uncertainty};
/// let plan = offergraph::sample::apartments()?;
/// let u = Uncertainty::new().with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.3)?));
/// let total = u.simulate(&plan, MonteCarlo::new().with_draws(2_000))?.total().gross_profit;
/// assert!(total.p10 <= total.p50 && total.p50 <= total.p90);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Stats {
    /// Mean over the draws.
    pub mean: f64,
    /// 10th percentile: one draw in ten is below it.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile: one draw in ten is above it.
    pub p90: f64,
}

impl Stats {
    /// The summary of `values` (never empty, never NaN), with `keys` as scratch.
    pub(crate) fn of(values: &[f64], keys: &mut Vec<u64>) -> Stats {
        let x0 = values[0];
        // A figure no draw moves (no uncertainty reaches it) needs no selection.
        if values.iter().all(|x| x.to_bits() == x0.to_bits()) {
            return Stats { mean: x0, p10: x0, p50: x0, p90: x0 };
        }
        let mean = mean(values);
        // Order statistics are selected on integer keys of the same order: integer comparisons
        // are the cheapest, and this is where a run spends most of its time.
        keys.clear();
        keys.extend(values.iter().map(|&x| key(x)));
        let n = keys.len();
        // P50 first over all draws, then P10 left of it and P90 right of it: about two passes.
        let h50 = (n - 1) as f64 * 0.5;
        let k50 = h50 as usize;
        let (left, mid, right) = keys.select_nth_unstable(k50);
        let mid = *mid;
        let p50 = interpolate(mid, right, h50);
        let h10 = (n - 1) as f64 * 0.1;
        let k10 = h10 as usize;
        let p10 = if k10 < left.len() {
            let (_, x, rest) = left.select_nth_unstable(k10);
            // The next order statistic is the least of what follows in `left`, or `mid`.
            let next = rest.iter().copied().fold(mid, u64::min);
            between(*x, next, h10)
        } else {
            interpolate(mid, right, h10)
        };
        let h90 = (n - 1) as f64 * 0.9;
        let k90 = h90 as usize;
        let p90 = if k90 > k50 {
            let (_, x, rest) = right.select_nth_unstable(k90 - k50 - 1);
            interpolate(*x, rest, h90)
        } else {
            interpolate(mid, right, h90)
        };
        Stats { mean, p10, p50, p90 }
    }

    /// Every number through `f`, an increasing map (the percentiles of `f(X)` are `f` of those
    /// of `X` when `f` is increasing and affine, as profit and ROMI are of gross profit).
    pub(crate) fn map(self, f: impl Fn(f64) -> f64) -> Stats {
        Stats { mean: f(self.mean), p10: f(self.p10), p50: f(self.p50), p90: f(self.p90) }
    }
}

/// An integer whose order is the total order of `f64` (`f64::total_cmp`).
fn key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 0 { b | 1 << 63 } else { !b }
}

/// The number of a [`key`].
fn value(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// `x_k + f·(x_{k+1} − x_k)` for the keys of `x_k` and `x_{k+1}` (`h = k + f`).
fn between(at: u64, next: u64, h: f64) -> f64 {
    let (x, frac) = (value(at), h - h.floor());
    if frac == 0.0 { x } else { x + frac * (value(next) - x) }
}

/// [`between`] where `x_{k+1}` is the least of `right` (`x_k` itself when `right` is empty).
fn interpolate(at: u64, right: &[u64], h: f64) -> f64 {
    between(at, right.iter().copied().min().unwrap_or(at), h)
}

/// The mean, shifted by the first value: exact when every value is equal (so the mean of a
/// constant is the constant) and free of the cancellation of large equal terms.
fn mean(values: &[f64]) -> f64 {
    let x0 = values[0];
    let sum: f64 = values.iter().map(|x| x - x0).sum();
    x0 + sum / values.len() as f64
}

/// The figures of a module, a group of modules or the plan over the draws.
///
/// Spend is the same in every draw (the allocation does not depend on the draw), so profit
/// `GP − s` and ROMI `(GP − s)/s` are increasing maps of gross profit: their percentiles are
/// gross profit's mapped. ROMI is `None` without spend.
///
/// # Example
/// ```
/// # use offergraph::uncertainty::{MonteCarlo, Uncertainty};
/// let plan = offergraph::sample::apartments()?;
/// // No uncertainty: every draw is the plan's evaluation.
/// let sim = Uncertainty::new().simulate(&plan, MonteCarlo::new().with_draws(10))?;
/// let eval = plan.evaluate()?;
/// assert!((sim.total().profit.mean - eval.total().profit()).abs() < 1e-6);
/// assert_eq!(sim.total().p_loss, 0.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Outcome {
    /// Spend (the same in every draw).
    pub spend: f64,
    /// Leads.
    pub leads: Stats,
    /// Deals.
    pub deals: Stats,
    /// Gross profit.
    pub gross_profit: Stats,
    /// Profit after marketing `GP − s`.
    pub profit: Stats,
    /// ROMI `(GP − s)/s`, as a fraction (1.3 = 130%); `None` without spend (or where the
    /// quotient overflows, as [`Figures::romi`](crate::Figures::romi)).
    pub romi: Option<Stats>,
    /// Share of draws with a loss (`GP < s`, that is ROMI < 0); 0 without spend.
    pub p_loss: f64,
    /// Share of draws with ROMI below the run's target; 0 without spend.
    pub p_below_target: f64,
}

impl Outcome {
    /// The outcome of draws of leads, deals and gross profit at `spend`, with `keys` as scratch.
    pub(crate) fn of(
        spend: f64,
        [leads, deals, gp]: [&[f64]; 3],
        target: f64,
        keys: &mut Vec<u64>,
    ) -> Outcome {
        let n = gp.len() as f64;
        let share = |count: usize| if spend > 0.0 { count as f64 / n } else { 0.0 };
        let p_loss = share(gp.iter().filter(|&&g| g < spend).count());
        let p_below_target = share(gp.iter().filter(|&&g| g - spend < target * spend).count());
        let gross_profit = Stats::of(gp, keys);
        // As `Figures::romi`: none without spend, nor where the quotient overflows.
        let romi = Some(gross_profit.map(|g| (g - spend) / spend))
            .filter(|r| spend > 0.0 && [r.mean, r.p10, r.p50, r.p90].iter().all(|x| x.is_finite()));
        Outcome {
            spend,
            leads: Stats::of(leads, keys),
            deals: Stats::of(deals, keys),
            gross_profit,
            profit: gross_profit.map(|g| g - spend),
            romi,
            p_loss,
            p_below_target,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Type 7 by sorting, the definition itself.
    fn by_sorting(values: &[f64], p: f64) -> f64 {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let h = (v.len() - 1) as f64 * p;
        let k = h as usize;
        if k + 1 < v.len() { v[k] + (h - k as f64) * (v[k + 1] - v[k]) } else { v[k] }
    }

    #[test]
    fn percentiles_match_the_definition_for_every_length() {
        for n in 1..60 {
            // A fixed scrambled sequence with ties.
            let values: Vec<f64> = (0..n).map(|i| ((i * 37 + 11) % 17) as f64 * 0.5).collect();
            let s = Stats::of(&values, &mut Vec::new());
            for (got, p) in [(s.p10, 0.1), (s.p50, 0.5), (s.p90, 0.9)] {
                let want = by_sorting(&values, p);
                assert!((got - want).abs() <= 1e-12, "n = {n}, p = {p}: {got} vs {want}");
            }
            assert!(s.p10 <= s.p50 && s.p50 <= s.p90);
        }
    }

    #[test]
    fn keys_keep_the_order_and_the_value() {
        let xs = [f64::NEG_INFINITY, -2.5, -0.0, 0.0, 5e-324, 1.0, 1e300, f64::INFINITY];
        for w in xs.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{} < {}", w[0], w[1]);
        }
        for x in xs {
            assert_eq!(value(key(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn known_percentiles_and_mean() {
        // 1..=11: (n−1)p = 1, 5, 9 exactly.
        let v: Vec<f64> = (1..=11).rev().map(f64::from).collect();
        let s = Stats::of(&v, &mut Vec::new());
        assert_eq!((s.mean, s.p10, s.p50, s.p90), (6.0, 2.0, 6.0, 10.0));
        // 1..=4: (n−1)p = 0.3, 1.5, 2.7.
        let s = Stats::of(&[4.0, 1.0, 3.0, 2.0], &mut Vec::new());
        assert!((s.p10 - 1.3).abs() < 1e-15 && (s.p50 - 2.5).abs() < 1e-15 && (s.p90 - 3.7).abs() < 1e-15);
        assert_eq!(Stats::of(&[0.1], &mut Vec::new()), Stats { mean: 0.1, p10: 0.1, p50: 0.1, p90: 0.1 });
    }

    #[test]
    fn a_constant_is_its_own_mean_and_percentiles() {
        let s = Stats::of(&[0.1; 1_000], &mut Vec::new());
        assert_eq!(s, Stats { mean: 0.1, p10: 0.1, p50: 0.1, p90: 0.1 });
    }

    #[test]
    fn zero_spend_has_no_romi_and_no_loss() {
        let o = Outcome::of(0.0, [&[0.0; 3], &[0.0; 3], &[0.0; 3]], 0.5, &mut Vec::new());
        assert_eq!((o.romi, o.p_loss, o.p_below_target), (None, 0.0, 0.0));
        let o =
            Outcome::of(100.0, [&[1.0; 4], &[1.0; 4], &[50.0, 150.0, 100.0, 300.0]], 0.5, &mut Vec::new());
        // Losses: 50 only (100 is break-even). Below ROMI 0.5 (GP < 150): 50 and 100.
        assert_eq!((o.p_loss, o.p_below_target), (0.25, 0.5));
        assert_eq!(o.profit.p50.to_bits(), (o.gross_profit.p50 - 100.0).to_bits());
        // A quotient that overflows has no ROMI, as `Figures::romi`.
        let o = Outcome::of(1e-6, [&[1.0], &[1.0], &[1e303]], 0.0, &mut Vec::new());
        assert_eq!(o.romi, None);
    }
}
