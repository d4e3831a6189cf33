//! Text for the page: HTML escaping, numbers as a strategist reads them, and axis ranges that
//! every chart can draw. Nothing here prints `NaN` or `inf`: a number that is not finite is
//! written as a dash, and charts receive only finite, clamped values.

use crate::numerics::tol;

/// The largest magnitude a chart is given: far beyond any accepted plan number, small enough
/// that the difference of two of them is still finite.
const CHART_MAX: f64 = 1e300;

/// Written where a number is missing or not finite.
pub(crate) const DASH: &str = "—";

/// `s` with `&`, `<`, `>`, `"` and `'` escaped, safe in text and in quoted attributes.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A module key, escaped, with a line-break opportunity after each `/` so long keys wrap at
/// their parts.
pub(crate) fn key(s: &str) -> String {
    escape(s).replace('/', "/<wbr>")
}

/// Digits grouped by threes with a narrow no-break space: `1 234 567`.
fn grouped(digits: &str) -> String {
    let (sign, digits) = digits.strip_prefix('-').map_or(("", digits), |d| ("-", d));
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// An amount (money, leads, deals): whole units grouped by threes from 100 up, two decimals
/// below, scientific from 10¹⁵ up; a dash when not finite.
pub(crate) fn amount(x: f64) -> String {
    if !x.is_finite() {
        return DASH.to_owned();
    }
    let a = x.abs();
    if a >= 1e15 {
        format!("{x:.3e}")
    } else if a >= 100.0 || a == 0.0 {
        grouped(&format!("{x:.0}"))
    } else {
        format!("{x:.2}")
    }
}

/// A ratio as a signed percentage (`0.35` → `+35%`); a dash when missing or not finite.
pub(crate) fn percent(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => {
            let p = 100.0 * x;
            if p.abs() >= 1e6 {
                format!("{p:+.2e}%")
            } else if p.abs() < 10.0 && p != 0.0 {
                format!("{p:+.1}%")
            } else {
                format!("{p:+.0}%")
            }
        }
        _ => DASH.to_owned(),
    }
}

/// A probability in `[0, 1]` as a percentage without sign (`0.93` → `93%`).
pub(crate) fn probability(p: f64) -> String {
    if p.is_finite() { format!("{:.0}%", 100.0 * p.clamp(0.0, 1.0)) } else { DASH.to_owned() }
}

/// An axis label: short, with a k/M/B/T suffix (`12 500` → `12.5k`).
pub(crate) fn compact(x: f64) -> String {
    if !x.is_finite() {
        return DASH.to_owned();
    }
    let a = x.abs();
    let (value, suffix) = match a {
        a if a >= 1e15 => return format!("{x:.1e}"),
        a if a >= 1e12 => (x / 1e12, "T"),
        a if a >= 1e9 => (x / 1e9, "B"),
        a if a >= 1e6 => (x / 1e6, "M"),
        a if a >= 1e3 => (x / 1e3, "k"),
        a if a >= 1.0 || a == 0.0 => (x, ""),
        a if a >= 1e-3 => return format!("{x:.3}").trim_end_matches('0').to_owned(),
        _ => return format!("{x:.1e}"),
    };
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text}{suffix}")
}

/// An axis label for a ratio shown in percent.
pub(crate) fn compact_percent(x: f64) -> String {
    if !x.is_finite() {
        return DASH.to_owned();
    }
    format!("{}%", compact(100.0 * x))
}

/// `x` made drawable: NaN becomes 0, infinities and huge values are clamped to ±10³⁰⁰.
pub(crate) fn drawable(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(-CHART_MAX, CHART_MAX) }
}

/// An axis range holding every finite value of `values` (and `include`, such as 0), padded by
/// 5% on the sides that are not pinned at `include`, and never narrower than what the drawing
/// library can divide into ticks (a millionth of its magnitude, at least 10⁻⁹).
pub(crate) fn axis(values: impl IntoIterator<Item = f64>, include: Option<f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().chain(include).filter(|v| v.is_finite()).map(drawable) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return (0.0, 1.0);
    }
    let min_width = (tol::CHART_MIN_WIDTH_REL * lo.abs().max(hi.abs())).max(tol::CHART_MIN_WIDTH);
    if hi - lo < min_width {
        let half = (0.1 * lo.abs().max(hi.abs())).max(0.5).max(min_width);
        return if include.is_some_and(|i| i >= hi) {
            (drawable(hi - 2.0 * half), hi)
        } else if include.is_some_and(|i| i <= lo) {
            (lo, drawable(lo + 2.0 * half))
        } else {
            (drawable(lo - half), drawable(hi + half))
        };
    }
    let pad = 0.05 * (hi - lo);
    // `include` is among the values, so it pins a side exactly when it is that side's end.
    let lo = if include.is_some_and(|i| i <= lo) { lo } else { drawable(lo - pad) };
    let hi = if include.is_some_and(|i| i >= hi) { hi } else { drawable(hi + pad) };
    (lo, hi)
}

/// `s` cut to `max` characters with an ellipsis.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_strategist_reads_them() {
        assert_eq!(amount(1_234_567.4), "1\u{202f}234\u{202f}567");
        assert_eq!(amount(-4_500.0), "-4\u{202f}500");
        assert_eq!(amount(12.345), "12.35");
        assert_eq!(amount(0.0), "0");
        assert_eq!(amount(2e15), "2.000e15");
        assert_eq!(amount(f64::NAN), DASH);
        assert_eq!(percent(Some(0.35)), "+35%");
        assert_eq!(percent(Some(-0.042)), "-4.2%");
        assert_eq!(percent(Some(1e9)), "+1.00e11%");
        assert_eq!(percent(Some(f64::INFINITY)), DASH);
        assert_eq!(percent(None), DASH);
        assert_eq!(probability(0.934), "93%");
        assert_eq!(compact(12_500.0), "12.5k");
        assert_eq!(compact(3_000_000.0), "3M");
        assert_eq!(compact(0.25), "0.25");
        assert_eq!(compact(1e-7), "1.0e-7");
        assert_eq!(compact_percent(1.3), "130%");
        assert_eq!(escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(key("a/<b>"), "a/<wbr>&lt;b&gt;");
    }

    #[test]
    fn axes_are_finite_and_wide_enough_whatever_the_values() {
        let cases: [(&[f64], Option<f64>); 8] = [
            (&[], Some(0.0)),
            (&[0.0, 0.0], Some(0.0)),
            (&[1e-300], Some(0.0)),
            (&[1e15, 1e15 + 1e-3], None),
            (&[f64::NAN, f64::INFINITY, -f64::INFINITY], None),
            (&[f64::MAX, -f64::MAX], Some(0.0)),
            (&[-0.5], Some(0.0)),
            (&[3.0, 7.0], Some(0.0)),
        ];
        for (values, include) in cases {
            let (lo, hi) = axis(values.iter().copied(), include);
            assert!(lo.is_finite() && hi.is_finite() && hi - lo > 0.0, "{values:?}: {lo} {hi}");
            assert!((hi - lo).is_finite());
            assert!(hi - lo >= 1e-6 * lo.abs().max(hi.abs()), "{values:?}: {lo} {hi}");
            for v in values.iter().filter(|v| v.is_finite()) {
                assert!(lo <= drawable(*v) && drawable(*v) <= hi, "{values:?}: {lo} {hi}");
            }
        }
        let (lo, hi) = axis([3.0, 7.0], Some(0.0));
        assert!(lo.abs() < 1e-12 && (hi - 7.35).abs() < 1e-12, "{lo} {hi}");
    }
}
