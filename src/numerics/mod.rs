//! Numeric helpers shared by every layer: the one place tolerances and accepted ranges live.

pub(crate) mod dense;
pub mod ranges;
pub(crate) mod special;
pub mod tol;

/// `a` and `b` are the same number, exactly: a copy, not a computation (`0.0` and `-0.0` are
/// the same: the sign of a zero depends on how the compiler ordered a `max` or `min`, and a
/// search must not take another path for it).
#[allow(clippy::float_cmp)] // exactness is the point
pub(crate) fn same(a: f64, b: f64) -> bool {
    a == b
}

/// Bisection of `[lo, hi]` on a predicate that holds left of a point and fails right of it:
/// halves the bracket until its midpoint is no longer strictly inside (adjacent numbers: the
/// resolution of `f64`) or after [`tol::MAX_SCALAR_ITERS`] halvings, and returns the bracket,
/// `pred` holding at its left end and failing at its right (as far as the ends given did).
/// A bracket with a NaN end comes back as it went in.
pub(crate) fn bisect(mut lo: f64, mut hi: f64, pred: impl Fn(f64) -> bool) -> (f64, f64) {
    for _ in 0..tol::MAX_SCALAR_ITERS {
        let mid = 0.5 * (lo + hi);
        if !(mid > lo && mid < hi) {
            break;
        }
        if pred(mid) { lo = mid } else { hi = mid }
    }
    (lo, hi)
}

/// A number as error messages show it: as written for everyday magnitudes, in scientific
/// notation (`1e308`, `5e-324`) for extreme ones, so a message never holds 300 digits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shown(pub f64);

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        if x.is_finite() && x != 0.0 && !(1e-6..1e16).contains(&x.abs()) {
            write!(f, "{x:e}")
        } else {
            write!(f, "{x}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Shown, bisect, same};

    #[test]
    fn bisection_ends_on_adjacent_numbers() {
        let (lo, hi) = bisect(1.0, 2.0, |x| x * x <= 2.0);
        assert!(lo * lo <= 2.0 && hi * hi > 2.0);
        assert_eq!(hi.to_bits(), lo.to_bits() + 1);
        // a predicate that holds everywhere walks to the right end; one that never holds, to the left
        assert!(same(bisect(0.0, 1.0, |_| true).1, 1.0));
        assert!(same(bisect(0.0, 1.0, |_| false).0, 0.0));
        let (lo, hi) = bisect(f64::NAN, 1.0, |_| true);
        assert!(lo.is_nan() && same(hi, 1.0));
    }

    #[test]
    fn extreme_numbers_are_shown_short() {
        let shown = |x: f64| Shown(x).to_string();
        assert_eq!(shown(1e308), "1e308");
        assert_eq!(shown(5e-324), "5e-324");
        assert_eq!(shown(-2.5e-9), "-2.5e-9");
        assert_eq!(shown(1500.0), "1500");
        assert_eq!(shown(-1.0), "-1");
        assert_eq!(shown(0.05), "0.05");
        assert_eq!(shown(f64::NAN), "NaN");
        assert_eq!(shown(f64::NEG_INFINITY), "-inf");
    }
}
