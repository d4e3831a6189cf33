//! Small dense linear solves (a few dozen unknowns at most: the general dual's Newton step and
//! the polish's Newton and least-squares systems), row-major `n × n` matrices in a slice.

/// Solves `A·z = b` in place (`b` becomes `z`) by Gaussian elimination with partial pivoting
/// (`a` is overwritten); `false` when `A` is singular to working precision or the answer is
/// not finite.
pub(crate) fn solve(a: &mut [f64], b: &mut [f64], n: usize) -> bool {
    let norm = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for col in 0..n {
        let piv = (col..n).max_by(|&r, &s| a[r * n + col].abs().total_cmp(&a[s * n + col].abs()));
        let Some(piv) = piv else { return false };
        let pivot = a[piv * n + col].abs();
        if pivot.is_nan() || pivot <= f64::EPSILON * norm * n as f64 {
            return false;
        }
        if piv != col {
            for k in 0..n {
                a.swap(piv * n + k, col * n + k);
            }
            b.swap(piv, col);
        }
        for r in col + 1..n {
            let f = a[r * n + col] / a[col * n + col];
            if f != 0.0 {
                for k in col..n {
                    a[r * n + k] -= f * a[col * n + k];
                }
                b[r] -= f * b[col];
            }
        }
    }
    back_substitute(b, |r, c| a[r * n + c]);
    b.iter().all(|v| v.is_finite())
}

/// Solves `A·z = b` in place (`b` becomes `z`) for a symmetric `A` by Cholesky, `A = L·Lᵀ`;
/// `false` when `A` is not positive definite or the answer is not finite.
pub(crate) fn solve_spd(a: &[f64], b: &mut [f64], n: usize) -> bool {
    let mut l = vec![0.0; n * n];
    for r in 0..n {
        for c in 0..=r {
            let mut s = a[r * n + c];
            for k in 0..c {
                s -= l[r * n + k] * l[c * n + k];
            }
            if r == c {
                if s.is_nan() || s <= 0.0 || !s.is_finite() {
                    return false;
                }
                l[r * n + r] = s.sqrt();
            } else {
                l[r * n + c] = s / l[c * n + c];
            }
        }
    }
    for r in 0..n {
        let mut s = b[r];
        for k in 0..r {
            s -= l[r * n + k] * b[k];
        }
        b[r] = s / l[r * n + r];
    }
    // Lᵀ is the upper triangle
    back_substitute(b, |r, c| l[c * n + r]);
    b.iter().all(|v| v.is_finite())
}

/// Solves `U·z = b` in place for the upper-triangular `U` whose entry `(r, c)` is `upper(r, c)`.
fn back_substitute(b: &mut [f64], upper: impl Fn(usize, usize) -> f64) {
    let n = b.len();
    for r in (0..n).rev() {
        let mut s = b[r];
        for (c, &z) in b.iter().enumerate().skip(r + 1) {
            s -= upper(r, c) * z;
        }
        b[r] = s / upper(r, r);
    }
}

#[cfg(test)]
mod tests {
    use super::{solve, solve_spd};

    #[test]
    fn elimination_pivots() {
        // [[0, 1], [2, 3]]·z = [1, 8] ⇒ z = [2.5, 1]
        let mut a = vec![0.0, 1.0, 2.0, 3.0];
        let mut b = vec![1.0, 8.0];
        assert!(solve(&mut a, &mut b, 2));
        assert!((b[0] - 2.5).abs() < 1e-15 && (b[1] - 1.0).abs() < 1e-15);
        let mut singular = vec![1.0, 2.0, 2.0, 4.0];
        assert!(!solve(&mut singular, &mut [1.0, 2.0], 2));
    }

    #[test]
    fn cholesky_solves_and_refuses_an_indefinite_matrix() {
        // [[4, 2, 0], [2, 5, 1], [0, 1, 3]]·[1, 2, 3] = [8, 15, 11]
        let a = [4.0, 2.0, 0.0, 2.0, 5.0, 1.0, 0.0, 1.0, 3.0];
        let z = [1.0, 2.0, 3.0];
        let mut b: Vec<f64> = (0..3).map(|r| (0..3).map(|c| a[r * 3 + c] * z[c]).sum()).collect();
        assert_eq!(b, [8.0, 15.0, 11.0]);
        assert!(solve_spd(&a, &mut b, 3));
        for (got, want) in b.iter().zip(z) {
            assert!((got - want).abs() < 1e-14, "{got} against {want}");
        }
        assert!(!solve_spd(&[1.0, 2.0, 2.0, 1.0], &mut [1.0, 1.0], 2));
        assert!(!solve_spd(&[f64::NAN], &mut [1.0], 1));
    }
}
