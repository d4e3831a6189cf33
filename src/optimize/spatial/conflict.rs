//! What a proven-infeasible problem is told: an irreducible set of conflicting constraints
//! (a deletion filter), and for each of them a limit at which the others can all hold.
//!
//! Loosening a constraint only adds allocations, so "the set holds with this limit" is
//! monotone in the limit: bisection between a limit proven too tight and one with a feasible
//! point brackets the least change. The reported limit is the feasible end, rounded outward to
//! four significant digits (still feasible, by monotonicity).

use std::time::Instant;

use super::lp::{Frame, RowMask};
use super::search::{Limits, search};
use crate::curves::Curve;
use crate::error::OptimizeError;
use crate::numerics::tol;
use crate::optimize::general::Gen;

/// The error for a proven-infeasible problem: a deletion filter drops every constraint
/// without which the rest is still proven infeasible, leaving an irreducible set; then each
/// member's limit is moved until the set holds.
pub(super) fn infeasible_set(frame: &Frame, deadline: Option<Instant>, nodes: usize) -> OptimizeError {
    let set = frame.set;
    let rows = frame.rows();
    let mut mask = vec![true; rows];
    for j in 0..rows {
        mask[j] = false;
        if decide(frame, &mask, tol::IIS_NODES, deadline) != Some(false) {
            mask[j] = true;
        }
    }
    let ml = set.rows.len();
    let kept: Vec<usize> = (0..rows).filter(|&j| mask[j]).collect();
    let constraints = kept
        .iter()
        .map(|&j| if j < ml { set.rows[j].label.clone() } else { set.caps[j - ml].label.clone() })
        .collect();
    let feasible_at = kept.iter().map(|&j| feasible_limit(frame, &mask, j, deadline)).collect();
    OptimizeError::Infeasible { constraints, feasible_at, nodes }
}

/// `Some(true)` when a search of the rows in `mask` finds a feasible point, `Some(false)` when
/// it proves there is none, `None` when its limits stop it first.
fn decide(frame: &Frame, mask: RowMask, nodes: usize, deadline: Option<Instant>) -> Option<bool> {
    let limits = Limits { nodes, deadline, tolerance: tol::GAP_REL, first: true };
    let s = search(frame, mask, &limits, None);
    if s.best.is_some() {
        Some(true)
    } else if s.exhausted {
        Some(false)
    } else {
        None
    }
}

/// The limit of row `j` (in the caller's terms: a floor's amount, a cap's, a capacity's, the
/// budget) at which the rows of `mask` hold together, or `None` when the searches' limits
/// stop first. An exact budget may have to move either way: the nearer feasible side wins.
fn feasible_limit(frame: &Frame, mask: RowMask, j: usize, deadline: Option<Instant>) -> Option<f64> {
    let set = frame.set;
    let ml = set.rows.len();
    // the move of `rhs` at which the row no longer binds anything in the root box
    let (now, widest): (f64, Vec<f64>) = if j < ml {
        let r = &set.rows[j];
        let most: f64 = r.members.iter().map(|&i| frame.root[i].u).sum();
        let least: f64 = r.members.iter().map(|&i| frame.root[i].l).sum();
        let (up, down) =
            if r.sign > 0.0 { (most - r.rhs, least - r.rhs) } else { (-least - r.rhs, -most - r.rhs) };
        (r.rhs, if r.free { vec![up, down] } else { vec![up] })
    } else {
        let c = &set.caps[j - ml];
        let most: f64 = c.members.iter().map(|&(i, d)| d * frame.core.curves[i].leads(frame.root[i].u)).sum();
        (c.limit, vec![most - c.limit])
    };
    let moved = |delta: f64| -> Option<bool> {
        let mut s: Gen = set.clone();
        if j < ml {
            s.rows[j].rhs = now + delta;
        } else {
            s.caps[j - ml].limit = now + delta;
        }
        let f = Frame::new(frame.core, &s, frame.root)?;
        decide(&f, mask, tol::IIS_AMOUNT_NODES, deadline)
    };
    let best = widest
        .into_iter()
        .filter(|d| d.is_finite() && *d != 0.0)
        .filter_map(|far| bisect(&moved, far))
        .min_by(|a, b| a.abs().total_cmp(&b.abs()))?;
    let limit = now + best;
    // back in the caller's terms: a floor's row holds `−floor`
    let floor = j < ml && set.rows[j].sign < 0.0;
    let user = if floor { -limit } else { limit };
    // an exact budget's feasible values need not reach beyond the one found: no rounding
    let exact = j < ml && set.rows[j].free;
    Some(if exact { user } else { round_out(user, !floor) })
}

/// The least move towards `far` (feasible there) found feasible, by bisection on its size:
/// first its binary order of magnitude, then within it.
fn bisect(moved: &impl Fn(f64) -> Option<bool>, far: f64) -> Option<f64> {
    if moved(far) != Some(true) {
        return None;
    }
    // sizes as shares of `far`: `lo` not shown feasible, `hi` feasible
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let mut steps = 0;
    // halve while still feasible, to find the order of magnitude
    while steps < tol::IIS_AMOUNT_STEPS / 2 {
        steps += 1;
        if moved(0.5 * hi * far) == Some(true) {
            hi *= 0.5;
        } else {
            lo = 0.5 * hi;
            break;
        }
    }
    while steps < tol::IIS_AMOUNT_STEPS {
        steps += 1;
        let mid = 0.5 * (lo + hi);
        if moved(mid * far) == Some(true) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi * far)
}

/// `v` rounded to four significant digits, up or down.
fn round_out(v: f64, up: bool) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let e = v.abs().log10().floor() as i32 - 3;
    // dividing by an exact power of ten rounds once (4327 / 10 is 432.7; 4327 · 0.1 is not)
    let (q, back): (f64, fn(f64, f64) -> f64) =
        if e < 0 { (v * 10f64.powi(-e), |d, p| d / p) } else { (v / 10f64.powi(e), |d, p| d * p) };
    let r = back(if up { q.ceil() } else { q.floor() }, 10f64.powi(e.abs()));
    if r.is_finite() { r } else { v }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::float_cmp)] // exact: these are the numbers the message prints
    fn limits_round_outward_to_four_digits() {
        assert_eq!(round_out(432.61, true), 432.7);
        assert_eq!(round_out(432.61, false), 432.6);
        assert_eq!(round_out(-1234.5, false), -1235.0);
        assert_eq!(round_out(0.0, true), 0.0);
    }

    #[test]
    fn bisection_brackets_a_threshold_from_the_feasible_side() {
        // feasible from a move of 3 on; starting far at 100
        let moved = |d: f64| Some(d >= 3.0);
        let d = bisect(&moved, 100.0).expect("feasible at 100");
        assert!((3.0..3.0 * 1.01).contains(&d), "{d}");
        // the other direction: feasible from −7 down
        let moved = |d: f64| Some(d <= -7.0);
        let d = bisect(&moved, -50.0).expect("feasible at -50");
        assert!((-7.0 * 1.01..=-7.0).contains(&d), "{d}");
        // never feasible: no answer
        assert_eq!(bisect(&|_| Some(false), 10.0), None);
    }
}
