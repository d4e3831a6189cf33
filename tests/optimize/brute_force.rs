//! Brute force: a dynamic program on a fine spend grid for small S-shaped mixes.

use super::*;

/// Best `Σ w·r(s)` (or profit with `cost`) over allocations on the grid `{0, h, 2h, …}` with
/// total exactly `units·h` (`exact`) or at most that; module bounds `[0, hi]`.
fn grid_optimum(curves: &[(ResponseCurve, f64, f64)], h: f64, units: usize, cost: f64, exact: bool) -> f64 {
    use offergraph::curves::Curve;
    let mut best = vec![f64::NEG_INFINITY; units + 1];
    best[0] = 0.0;
    for (c, w, hi) in curves {
        let cap = ((hi / h).floor() as usize).min(units);
        let vals: Vec<f64> = (0..=cap).map(|j| w * c.leads(j as f64 * h) - cost * j as f64 * h).collect();
        let mut next = vec![f64::NEG_INFINITY; units + 1];
        for (t, &b) in best.iter().enumerate() {
            if b == f64::NEG_INFINITY {
                continue;
            }
            for (j, &v) in vals.iter().enumerate().take(units - t + 1) {
                if b + v > next[t + j] {
                    next[t + j] = b + v;
                }
            }
        }
        best = next;
    }
    if exact { best[units] } else { best.iter().cloned().fold(f64::NEG_INFINITY, f64::max) }
}

/// Largest `w·r'(s)` on `[0, hi]` (sampled finely), for the grid's resolution bound.
fn max_slope(c: &ResponseCurve, w: f64, hi: f64) -> f64 {
    use offergraph::curves::Curve;
    (0..=4000).map(|j| w * c.derivative(hi * j as f64 / 4000.0)).fold(0.0, f64::max)
}

#[test]
fn s_shaped_mixes_match_a_brute_force_grid() {
    for n in 3..=6 {
        for seed in 0..6u64 {
            let mut g = Lcg(seed * 31 + n as u64);
            let mut mods = Vec::new();
            for _ in 0..n {
                let k = g.range(50.0, 200.0);
                let c = if g.next() < 0.7 {
                    hill(g.range(50.0, 200.0), k, g.range(1.5, 4.0))
                } else {
                    exp(g.range(50.0, 200.0), k)
                };
                mods.push((c, g.range(1.0, 5.0), g.range(1.5, 4.0) * k));
            }
            let budget = 0.4 * mods.iter().map(|m| m.2).sum::<f64>();
            let units = 1200;
            let h = budget / units as f64;
            let slack: f64 = mods.iter().map(|(c, w, hi)| max_slope(c, *w, *hi) * h).sum();
            for (profit, exact) in [(false, true), (true, false)] {
                let obj = if profit {
                    Objective::MaxProfit
                } else {
                    Objective::MaxValueFixedBudget { measure: Measure::GrossProfit }
                };
                let mut p = Problem::new(obj);
                p.set_budget(if exact { Budget::exactly(budget) } else { Budget::at_most(budget) }).unwrap();
                for (c, w, hi) in &mods {
                    p.add_module(module(c.clone(), *w).with_bounds(0.0, *hi).unwrap()).unwrap();
                }
                let s = p.solve(SolveOptions::new()).unwrap();
                let cost = if profit { 1.0 } else { 0.0 };
                let dp = grid_optimum(&mods, h, units, cost, exact);
                let ours = s.objective;
                assert!(s.status.is_optimal(), "n {n} seed {seed}: {:?}", s.status);
                // the grid optimum is feasible, so never above ours; ours is within the grid's
                // resolution (each module off its grid point by < h) of the grid optimum
                assert!(dp <= ours + 1e-9 * ours.abs().max(1.0), "n {n} seed {seed}: dp {dp} > ours {ours}");
                assert!(ours <= dp + slack, "n {n} seed {seed}: ours {ours} > dp {dp} + {slack}");
                assert!(ours <= s.upper_bound);
            }
        }
    }
}
