//! The safeguarded search for the price at which a non-increasing total meets its target.

use crate::numerics::tol;

/// Bracket on a price: `f(pa) ≥ target ≥ f(pb)`, with the allocations at both ends.
pub(crate) struct Bracket {
    pub pa: f64,
    pub pb: f64,
    /// A price at which `f` meets the target within `SUM_REL`.
    pub exact: Option<f64>,
    /// `(p, f(p), f'(p))` of the last evaluation when it met the target within the polish
    /// tolerance: one more Newton step, applied linearly to the allocation, finishes the search.
    pub close: Option<(f64, f64, f64)>,
}

impl Bracket {
    /// The price that met the target, else the end of the bracket below the target.
    pub(crate) fn below_target(&self) -> f64 {
        self.exact.unwrap_or(if self.pb.is_finite() { self.pb } else { self.pa })
    }
}

/// A first price for [`find_price`]: one Newton step in `ln p` from the price `c` (the cost,
/// `c > 0`) at which the total is `t` with slope `dt < 0`, towards `target`, by a factor of at
/// most `e^`[`tol::PRICE_START_LOG_STEP`] either way.
pub(crate) fn newton_start(c: f64, t: f64, dt: f64, target: f64) -> f64 {
    c * ((target - t) / (c * dt)).clamp(-tol::PRICE_START_LOG_STEP, tol::PRICE_START_LOG_STEP).exp()
}

/// Safeguarded Newton search for the price at which a non-increasing `f` meets `target`.
///
/// `f` returns `(value, derivative)` (the derivative may be 0 when unknown). Newton steps are
/// taken in `ln p` while `p > 0` (exact in one step when every module is exponential, and
/// well-scaled for the power-law tails of Hill curves); a step that leaves the bracket, or a
/// bracket that does not halve, falls back to regula falsi or bisection (geometric for positive
/// brackets).
pub(crate) fn find_price(
    mut f: impl FnMut(f64) -> (f64, f64),
    target: f64,
    start: f64,
    known_above: Option<f64>,
    floor_p: f64,
    polish: f64,
) -> Bracket {
    let (mut pa, mut ta) = (f64::NEG_INFINITY, f64::NAN);
    let (mut pb, mut tb) = (f64::INFINITY, f64::NAN);
    if let Some(k) = known_above {
        pa = k;
    }
    let tol_t = tol::SUM_REL * target.abs().max(tol::POSITIVE_FLOOR);
    let mut p = start.max(floor_p);
    if let Some(k) = known_above
        && p <= k
    {
        p = if k > 0.0 { k * 2.0 } else { k + 1.0 };
    }
    let mut use_newton = true;
    let mut prev_res = f64::INFINITY;
    for _ in 0..(4 * tol::MAX_SCALAR_ITERS) {
        let (t, dt) = f(p);
        let res = (t - target).abs();
        if res <= tol_t {
            return Bracket { pa: p, pb: p, exact: Some(p), close: None };
        }
        if dt < 0.0 && res <= polish * target.abs() {
            return Bracket { pa: p, pb: p, exact: None, close: Some((p, t, dt)) };
        }
        if t >= target {
            pa = p;
            ta = t;
        } else {
            pb = p;
            tb = t;
        }
        let both = pa.is_finite() && pb.is_finite();
        if both {
            let nw = pb - pa;
            if nw <= tol::PRICE_REL * pa.abs().max(pb.abs()) || nw <= tol::POSITIVE_FLOOR {
                break;
            }
        }
        // Newton while it at least halves the residual; one safeguarded step otherwise.
        let good = res <= 0.5 * prev_res;
        prev_res = res;
        use_newton = !use_newton || good;
        let newton = if dt < 0.0 {
            let dp = -(t - target) / dt;
            // an open bracket moves by at most a factor 64 per step
            let lim = if both { 700.0 } else { 64f64.ln() };
            if p > 0.0 { p * (dp / p).clamp(-lim, lim).exp() } else { p + dp }
        } else {
            f64::NAN
        };
        let inside = |c: f64| c > pa && c < pb;
        p = if use_newton && inside(newton) {
            newton
        } else if both {
            let falsi = if ta.is_finite() && tb.is_finite() && ta > tb {
                pa + (ta - target) / (ta - tb) * (pb - pa)
            } else {
                f64::NAN
            };
            let mid = if pa > 0.0 && pb > 4.0 * pa { (pa * pb).sqrt() } else { 0.5 * (pa + pb) };
            use_newton = false;
            // regula falsi only while Newton is working (a jump in the total stalls it)
            if inside(falsi) && good { falsi } else { mid }
        } else if pb.is_infinite() {
            // go up
            if p > 0.0 { p * 8.0 } else { p.abs().max(1.0) }
        } else {
            // go down
            let g = if p > tol::PRICE_TINY {
                p / 8.0
            } else if p > 0.0 {
                0.0
            } else {
                -(8.0 * p.abs()).max(1.0)
            };
            g.max(floor_p)
        };
    }
    Bracket { pa, pb, exact: None, close: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_is_one_newton_step_in_log_price_and_bounded() {
        // at price 2 the total is 100 with slope −50: ln p must grow by (50 − 100)/(2·−50) = ½
        assert!(tol::approx_eq(newton_start(2.0, 100.0, -50.0, 50.0), 2.0 * 0.5f64.exp(), 1e-15));
        // a flat slope would jump by e^(1e11); the step stops at e^4 either way
        assert!(tol::approx_eq(newton_start(1.0, 100.0, -1e-9, 0.0), 4f64.exp(), 1e-15));
        assert!(tol::approx_eq(newton_start(1.0, 0.0, -1e-9, 100.0), (-4f64).exp(), 1e-15));
    }

    #[test]
    fn finds_the_price_of_an_exponential_total_in_few_steps() {
        // Σ k·ln(L/(k·p)) for two modules is the total spend at price p; it is 100 at
        // p = exp((ln(4) + ln(2) − 100/50)/2) for (L/k, k) = (4, 50) and (2, 50).
        let f = |p: f64| {
            let t = 50.0 * (4.0 / p).ln().max(0.0) + 50.0 * (2.0 / p).ln().max(0.0);
            (t, -100.0 / p)
        };
        let mut calls = 0;
        let br = find_price(
            |p| {
                calls += 1;
                f(p)
            },
            100.0,
            1.0,
            None,
            0.0,
            0.0,
        );
        let p = br.exact.expect("met");
        assert!(tol::approx_eq(p, ((8f64).ln() / 2.0 - 1.0).exp(), 1e-12));
        assert!(calls <= 6, "{calls} evaluations");
    }

    #[test]
    fn a_step_total_is_bracketed() {
        // A total that jumps from 10 to 0 at p = 3 never meets 5: the bracket closes on the jump.
        let br = find_price(|p| (if p < 3.0 { 10.0 } else { 0.0 }, 0.0), 5.0, 1.0, None, 0.0, 0.0);
        assert!(br.exact.is_none());
        assert!(br.pa < 3.0 && br.pb >= 3.0 && br.pb - br.pa <= 1e-12);
        assert_eq!(br.below_target().to_bits(), br.pb.to_bits());
    }
}
