//! Zero-sum matrix games solved as two small LPs: the master of the risk-aware allocation
//! (`uncertainty/risk.rs`), where the columns are allocations and the rows vertices of the CVaR
//! risk envelope.

use microlp::{ComparisonOp, OptimizationDirection, Problem as Lp};

use crate::numerics::tol;

/// A game's optimal mixed strategies: `cols` (the maximiser's, over columns) and `rows` (the
/// minimiser's, over rows), each non-negative and summing to 1, and the game's value
/// `max_μ min_j (Aμ)_j` in the matrix's own units.
#[derive(Debug, Clone)]
pub(crate) struct Game {
    pub value: f64,
    pub cols: Vec<f64>,
    pub rows: Vec<f64>,
}

/// Solves the game of the row-major matrix `a` (`rows × cols`, `a[j·cols + k]`): the column
/// player maximises, the row player minimises. `None` when the LP solver fails (numerics).
///
/// Entries are scaled to `[0, 1]` first (a game's strategies do not change under an affine map
/// of its entries with a positive factor), so the LP sees numbers near 1 whatever the money.
///
/// # Complexity
/// Two LPs of `rows + 1` and `cols + 1` rows over `cols + 1` and `rows + 1` variables.
pub(crate) fn solve(a: &[f64], rows: usize, cols: usize) -> Option<Game> {
    if rows == 0 || cols == 0 || a.len() != rows * cols {
        return None;
    }
    let (lo, hi) = a.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| (l.min(x), h.max(x)));
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    let range = hi - lo;
    if range <= 0.0 {
        return Some(Game {
            value: lo,
            cols: vec![1.0 / cols as f64; cols],
            rows: vec![1.0 / rows as f64; rows],
        });
    }
    let scaled: Vec<f64> = a.iter().map(|x| (x - lo) / range).collect();
    let (v, mu) = side(&scaled, rows, cols, true)?;
    let (_, nu) = side(&scaled, rows, cols, false)?;
    Some(Game { value: lo + range * v, cols: mu, rows: nu })
}

/// One player's LP: the maximiser's `max t, t ≤ Σ_k a_jk·μ_k ∀j`, or the minimiser's
/// `min t, t ≥ Σ_j a_jk·ν_j ∀k`, over a simplex. Returns the value and the strategy, clipped
/// to be non-negative and normalised.
fn side(a: &[f64], rows: usize, cols: usize, maximiser: bool) -> Option<(f64, Vec<f64>)> {
    let (dir, n, m, op) = if maximiser {
        (OptimizationDirection::Maximize, cols, rows, ComparisonOp::Ge)
    } else {
        (OptimizationDirection::Minimize, rows, cols, ComparisonOp::Le)
    };
    let mut lp = Lp::new(dir);
    let x: Vec<_> = (0..n).map(|_| lp.add_var(0.0, (0.0, 1.0))).collect();
    // Entries lie in [0, 1], so the value does too; a margin keeps the bound inactive.
    let t = lp.add_var(1.0, (-1.0, 2.0));
    for j in 0..m {
        let mut expr: Vec<_> = (0..n)
            .map(|k| {
                let coef = if maximiser { a[j * cols + k] } else { a[k * cols + j] };
                (x[k], coef)
            })
            .collect();
        expr.push((t, -1.0));
        lp.add_constraint(expr.as_slice(), op, 0.0);
    }
    let ones: Vec<_> = x.iter().map(|&v| (v, 1.0)).collect();
    lp.add_constraint(ones.as_slice(), ComparisonOp::Eq, 1.0);
    let mut options = microlp::SolveOptions::default();
    options.presolve = false;
    options.tolerances.feasibility = tol::GAME_FEASIBILITY;
    let solution = lp.solve_with(options).ok()?.into_solution().ok()?;
    let mut strategy: Vec<f64> = x.iter().map(|&v| solution.var_value(v).max(0.0)).collect();
    let sum: f64 = strategy.iter().sum();
    if !(sum > 0.0 && sum.is_finite()) {
        return None;
    }
    strategy.iter_mut().for_each(|s| *s /= sum);
    Some((solution.var_value(t), strategy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_pennies_is_even() {
        // [[1, 0], [0, 1]]: both players mix half and half, value 1/2.
        let g = solve(&[1.0, 0.0, 0.0, 1.0], 2, 2).expect("solves");
        assert!((g.value - 0.5).abs() < 1e-9);
        assert!(g.cols.iter().chain(&g.rows).all(|&p| (p - 0.5).abs() < 1e-9));
    }

    #[test]
    fn a_dominant_column_is_played_alone() {
        // Column 1 beats column 0 on every row; the row player then picks the row where column 1
        // is worst (row 1, value 3).
        let g = solve(&[1.0, 5.0, 2.0, 3.0], 2, 2).expect("solves");
        assert!((g.value - 3.0).abs() < 1e-9);
        assert!((g.cols[1] - 1.0).abs() < 1e-9 && (g.rows[1] - 1.0).abs() < 1e-9);
    }
}
