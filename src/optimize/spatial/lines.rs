//! Supporting lines of a module's curve on a spend interval `[l, u]`, the pieces of an LP
//! relaxation: lines above the concave envelope bound the leads a module can bring (its
//! value), lines below the convex envelope bound the leads it must at least send to a sales
//! team (its use of a capacity).
//!
//! A line that supports an envelope on `[l, u]` supports it on every sub-interval too (the
//! envelope of a smaller interval lies between the curve and the larger one's), so a
//! branch-and-bound child keeps its parent's lines.

use crate::curves::{Curve, ResponseCurve};
use crate::numerics::{bisect, tol};
use crate::optimize::envelope::Env;

/// `leads = a + b·s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    pub a: f64,
    pub b: f64,
}

impl Line {
    /// The tangent of `curve` at `s`; `None` where the slope is not finite.
    pub(crate) fn tangent(curve: &ResponseCurve, s: f64) -> Option<Line> {
        let b = curve.derivative(s);
        let a = curve.leads(s) - b * s;
        (a.is_finite() && b.is_finite()).then_some(Line { a, b })
    }

    /// The line through `(s0, r0)` and `(s1, r1)` (`s0 < s1`).
    pub(crate) fn through(s0: f64, r0: f64, s1: f64, r1: f64) -> Line {
        let b = (r1 - r0) / (s1 - s0);
        Line { a: r0 - b * s0, b }
    }

    /// The line's value at `s`.
    #[inline]
    pub(crate) fn at(&self, s: f64) -> f64 {
        self.a + self.b * s
    }
}

/// The lines of `lines` that shape their lower envelope (`upper == false`: their upper one) on
/// `[l, u]`: a line that is nowhere on `[l, u]` the lowest (highest) bounds nothing an LP row
/// of it could, and only slows the LP. Of lines equal on the whole interval the first stays.
pub(crate) fn shaping(lines: &[Line], l: f64, u: f64, upper: bool) -> Vec<Line> {
    let sign = if upper { -1.0 } else { 1.0 };
    let mut kept = Vec::with_capacity(lines.len());
    'line: for (j, lj) in lines.iter().enumerate() {
        // where lj ≤ lk for every other k (in the sign's sense): an interval
        let (mut lo, mut hi) = (l, u);
        for (k, lk) in lines.iter().enumerate() {
            if k == j {
                continue;
            }
            // sign·(lj − lk)(s) = da + db·s ≤ 0
            let (da, db) = (sign * (lj.a - lk.a), sign * (lj.b - lk.b));
            if db == 0.0 {
                if da > 0.0 || (da == 0.0 && k < j) {
                    continue 'line;
                }
            } else if db > 0.0 {
                hi = hi.min(-da / db);
            } else {
                lo = lo.max(-da / db);
            }
            if lo > hi {
                continue 'line;
            }
        }
        kept.push(*lj);
    }
    kept
}

/// The line supporting the concave envelope `env` at `s` (from above): the envelope's linear
/// part there, else the curve's tangent.
pub(crate) fn above(curve: &ResponseCurve, env: &Env, s: f64) -> Option<Line> {
    if env.tau > env.l && s <= env.tau {
        return Some(Line { a: env.rl - env.sigma * env.l, b: env.sigma });
    }
    Line::tangent(curve, s)
}

/// Lines above the concave envelope to start a node with: its linear part and tangents spread
/// over the concave part.
pub(crate) fn initial_above(curve: &ResponseCurve, env: &Env) -> Vec<Line> {
    let mut lines = Vec::with_capacity(tol::LP_START_LINES + 1);
    if env.tau > env.l {
        lines.extend(above(curve, env, env.l));
    }
    if env.tau >= env.u && env.u > env.l {
        // the envelope is the chord: a tangent at `u` would cut under the convex part
        return lines;
    }
    let from = env.tau.max(env.l);
    for k in 0..tol::LP_START_LINES {
        let s = from + (env.u - from) * k as f64 / (tol::LP_START_LINES - 1) as f64;
        lines.extend(Line::tangent(curve, s));
    }
    lines
}

/// The convex envelope of a curve on `[l, u]`: the curve itself up to `t`, then the chord from
/// `t` to `u` (`t == l` when the curve is concave on `[l, u]`: the chord alone).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Vex {
    pub l: f64,
    pub u: f64,
    pub t: f64,
    chord: Line,
}

impl Vex {
    /// The convex envelope on `[l, u]`; `infl` is the curve's inflection point (0 when concave).
    pub(crate) fn new(curve: &ResponseCurve, infl: f64, l: f64, u: f64) -> Vex {
        let ru = curve.leads(u);
        // a locked module (`u == l`) uses exactly r(u)
        let chord_from = |t: f64| {
            if u > t { Line::through(t, curve.leads(t), u, ru) } else { Line { a: ru, b: 0.0 } }
        };
        if curve.is_concave() || l >= infl || u <= l {
            return Vex { l, u, t: l, chord: chord_from(l) };
        }
        // h(t) = r(t) + r'(t)·(u − t) − r(u) grows on the convex part and is ≥ 0 at the
        // inflection: the tangent point of the line through (u, r(u)) is its root
        let h = |t: f64| curve.leads(t) + curve.derivative(t) * (u - t) - ru;
        let top = infl.min(u);
        if h(l) >= 0.0 {
            return Vex { l, u, t: l, chord: chord_from(l) };
        }
        if u <= infl {
            // convex on the whole box: the envelope is the curve; its tangent at `u` (or the
            // level at `l`) stands in for the chord
            let chord = Line::tangent(curve, u).unwrap_or(Line { a: curve.leads(l), b: 0.0 });
            return Vex { l, u, t: u, chord };
        }
        let (_, t) = bisect(l, top, |t| h(t) < 0.0);
        Vex { l, u, t, chord: chord_from(t) }
    }

    /// The envelope's value at `s`.
    pub(crate) fn value(&self, curve: &ResponseCurve, s: f64) -> f64 {
        if s <= self.t { curve.leads(s) } else { self.chord.at(s) }
    }

    /// The line supporting the envelope at `s` (from below); `None` where the curve's slope is
    /// not finite.
    pub(crate) fn below(&self, curve: &ResponseCurve, s: f64) -> Option<Line> {
        if s >= self.t && self.u > self.t { Some(self.chord) } else { Line::tangent(curve, s) }
    }

    /// Lines below the convex envelope to start a node with: the chord and tangents spread over
    /// the convex part.
    pub(crate) fn initial(&self, curve: &ResponseCurve) -> Vec<Line> {
        let mut lines = vec![self.chord];
        if self.t > self.l {
            for k in 0..tol::LP_START_LINES {
                let s = self.l + (self.t - self.l) * k as f64 / (tol::LP_START_LINES - 1) as f64;
                lines.extend(Line::tangent(curve, s));
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::{Exponential, Hill};
    use crate::optimize::slope::Fast;

    fn grid(l: f64, u: f64) -> impl Iterator<Item = f64> {
        (0..=200).map(move |k| l + (u - l) * k as f64 / 200.0)
    }

    #[test]
    fn lines_above_never_fall_below_the_curve() {
        for c in [
            ResponseCurve::from(Exponential::new(100.0, 50.0).expect("valid")),
            Hill::new(1000.0, 100.0, 3.0).expect("valid").into(),
        ] {
            // the second box ends on the convex part: its envelope is one chord
            for (l, u) in [(20.0, 400.0), (10.0, 60.0)] {
                let env = Env::new(&c, Fast::of(&c), l, u);
                for line in initial_above(&c, &env) {
                    for s in grid(l, u) {
                        assert!(line.at(s) >= c.leads(s) - 1e-9 * c.leads(s).max(1.0), "{line:?} at {s}");
                    }
                }
            }
        }
    }

    #[test]
    fn lines_below_never_rise_above_the_curve() {
        // Hill a = 3, k = 100: convex below 100·(2/4)^(1/3) ≈ 79.4, concave above.
        let c: ResponseCurve = Hill::new(1000.0, 100.0, 3.0).expect("valid").into();
        for (l, u) in [(0.0, 400.0), (0.0, 50.0), (90.0, 400.0), (10.0, 120.0), (10.0, 60.0)] {
            let vex = Vex::new(&c, c.inflection(), l, u);
            assert!(vex.t >= l && vex.t <= u);
            let mut lines = vex.initial(&c);
            lines.extend(grid(l, u).filter_map(|s| vex.below(&c, s)));
            for line in lines {
                for s in grid(l, u) {
                    assert!(
                        line.at(s) <= c.leads(s) + 1e-9 * c.leads(s).max(1.0),
                        "[{l}, {u}] {line:?} at {s}"
                    );
                }
            }
            // the envelope meets the curve at both ends
            assert!((vex.value(&c, u) - c.leads(u)).abs() <= 1e-9 * c.leads(u));
        }
    }

    #[test]
    fn only_the_lines_that_shape_an_envelope_on_the_interval_stay() {
        // on [0, 10]: y = s is lowest on [0, 5], y = 5 on [5, 10]; y = 20 − s never is
        let lines = [Line { a: 0.0, b: 1.0 }, Line { a: 5.0, b: 0.0 }, Line { a: 20.0, b: -1.0 }];
        assert_eq!(shaping(&lines, 0.0, 10.0, false), lines[..2].to_vec());
        // highest on [0, 12]: 20 − s up to 10, then s; y = 5 never
        assert_eq!(shaping(&lines, 0.0, 12.0, true), vec![lines[0], lines[2]]);
        assert_eq!(shaping(&lines, 0.0, 8.0, true), vec![lines[2]]);
        // on [0, 4] only y = s is lowest; a copy of a line does not stay twice
        let dup = [lines[0], lines[0], lines[1]];
        assert_eq!(shaping(&dup, 0.0, 4.0, false), vec![lines[0]]);
    }

    #[test]
    fn a_concave_curves_convex_envelope_is_its_chord() {
        // r = 100·(1 − e^(−s/50)) on [0, 50]: the chord has slope r(50)/50 = 2·(1 − 1/e)
        let c: ResponseCurve = Exponential::new(100.0, 50.0).expect("valid").into();
        let vex = Vex::new(&c, 0.0, 0.0, 50.0);
        let line = vex.below(&c, 25.0).expect("finite");
        assert!((line.b - 2.0 * (1.0 - (-1f64).exp())).abs() < 1e-12);
        assert!(line.a.abs() < 1e-12);
    }
}
