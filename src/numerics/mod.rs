//! Numeric helpers shared by every layer: the one place tolerances and accepted ranges live.

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
    use super::Shown;

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
