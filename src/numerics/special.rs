//! Special functions shared by the layers: softplus and the logistic sigmoid (curve inversions,
//! the smoothed dual), `ln Γ`, the regularised incomplete gamma and the normal CDF (lag
//! discretisation). Each loop has an iteration cap from `tol`.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::beta::checked_beta_reg;
use statrs::function::gamma::digamma;

use crate::numerics::tol;

/// `ln(1 + e^z)` without overflow.
#[inline]
pub(crate) fn softplus(z: f64) -> f64 {
    if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() }
}

/// `(softplus(z), sigmoid(z))` from one `exp` of `−|z|` (never overflows): the value and the
/// derivative a Newton step on `softplus` needs.
#[inline]
pub(crate) fn softplus_sigmoid(z: f64) -> (f64, f64) {
    let e = (-z.abs()).exp();
    if z > 0.0 { (z + e.ln_1p(), 1.0 / (1.0 + e)) } else { (e.ln_1p(), e / (1.0 + e)) }
}

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, n = 9; relative error about 1e-15).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularised lower incomplete gamma `P(a, x)` (series below `a + 1`, continued fraction
/// above; Numerical Recipes §6.2).
pub(crate) fn gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let front = (-x + a * x.ln() - ln_gamma(a)).exp();
    if x < a + 1.0 {
        let (mut sum, mut del, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..tol::MAX_SCALAR_ITERS * 10 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
            if del.abs() < sum.abs() * tol::SERIES_REL {
                break;
            }
        }
        (sum * front).min(1.0)
    } else {
        let tiny = f64::MIN_POSITIVE / f64::EPSILON;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..tol::MAX_SCALAR_ITERS * 10 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < tol::SERIES_REL {
                break;
            }
        }
        (1.0 - front * h).clamp(0.0, 1.0)
    }
}

/// Standard normal CDF through `erf(x) = P(½, x²)`.
pub(crate) fn normal_cdf(z: f64) -> f64 {
    if z.is_nan() {
        return 0.0;
    }
    let x = z / std::f64::consts::SQRT_2;
    let p = gamma_p(0.5, x * x);
    if x >= 0.0 { 0.5 * (1.0 + p) } else { 0.5 * (1.0 - p) }
}

/// The `p`-quantile of a Gamma of shape `shape` and rate 1, for `p` in `(0, 1)` (NaN for a
/// shape that is not positive and finite, or `p` outside `(0, 1)`).
///
/// From a shape of [`tol::GAMMA_WILSON_HILFERTY_SHAPE`] up, the Wilson–Hilferty cube-root
/// normal approximation `k·(1 − c + z·√c)³`, `c = 1/(9k)` (its error in `z` is of order `1/k`).
/// Below, a search on the CDF ([`gamma_p`]; statrs' inverse can step outside `(0, ∞)` and panic
/// for large shapes, and its CDF reads any `x` below 1e-15 as 0): the root is bracketed by
/// doubling and halving, then Newton steps that stay inside the bracket, bisection (geometric
/// while the bracket spans more than a factor 2) otherwise, to a relative width of
/// [`tol::QUANTILE_REL`]. A quantile below the smallest positive `f64` comes out as 0 or a
/// number of that order.
pub(crate) fn gamma_quantile(shape: f64, p: f64) -> f64 {
    if !(shape > 0.0 && shape.is_finite() && p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    if shape >= tol::GAMMA_WILSON_HILFERTY_SHAPE {
        let z = Normal::standard().inverse_cdf(p);
        let c = 1.0 / (9.0 * shape);
        return shape * (1.0 - c + z * c.sqrt()).max(0.0).powi(3);
    }
    let cdf = |x: f64| gamma_p(shape, x);
    let (mut lo, mut hi) = (0.0, shape.max(1.0));
    for _ in 0..tol::MAX_DOUBLINGS {
        if cdf(hi) >= p || !hi.is_finite() {
            break;
        }
        lo = hi;
        hi *= 2.0;
    }
    if lo == 0.0 {
        lo = hi / 2.0;
        for _ in 0..tol::MAX_DOUBLINGS {
            if lo == 0.0 || cdf(lo) <= p {
                break;
            }
            hi = lo;
            lo /= 2.0;
        }
    }
    let ln_norm = ln_gamma(shape);
    let pdf = |x: f64| ((shape - 1.0) * x.ln() - x - ln_norm).exp();
    let start = if lo > 0.0 { (lo * hi).sqrt() } else { hi / 2.0 };
    bracketed_newton(cdf, pdf, p, (lo, hi), start)
}

/// The root of `cdf(x) = p` in the bracket `(lo, hi)`, for an increasing `cdf` with density
/// `pdf`, starting from `x` inside the bracket: each step evaluates `cdf(x) − p`, moves the
/// bracket's end on that side to `x`, then takes the Newton step when it stays inside the
/// bracket, else bisects (geometrically while the bracket spans more than a factor 2). Stops at
/// an exact root, a relative bracket width of [`tol::QUANTILE_REL`] (the midpoint), a Newton step
/// shorter than that (relative to `x`), or after [`tol::MAX_SCALAR_ITERS`] steps (the last
/// point). The quantile searches of [`gamma_quantile`] and [`beta_quantile`].
fn bracketed_newton(
    cdf: impl Fn(f64) -> f64,
    pdf: impl Fn(f64) -> f64,
    p: f64,
    (mut lo, mut hi): (f64, f64),
    mut x: f64,
) -> f64 {
    for _ in 0..tol::MAX_SCALAR_ITERS {
        let f = cdf(x) - p;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        if hi - lo <= tol::QUANTILE_REL * hi {
            return 0.5 * (lo + hi);
        }
        let newton = x - f / pdf(x);
        if newton > lo && newton < hi {
            if (newton - x).abs() <= tol::QUANTILE_REL * x {
                return newton;
            }
            x = newton;
        } else if lo > 0.0 && hi > 2.0 * lo {
            x = (lo * hi).sqrt();
        } else {
            x = 0.5 * (lo + hi);
        }
    }
    x
}

/// The `p`-quantile of a Beta with shapes `alpha` and `beta`, for `p` in `(0, 1)` (NaN for
/// shapes that are not positive and finite, or `p` outside `(0, 1)`).
///
/// Up to `alpha + beta = `[`tol::BETA_SEARCH_MAX_SUM`], a search on the CDF (statrs'
/// regularised incomplete beta, whose continued fraction converges there within its 140 terms):
/// Newton steps inside a bracket of `[0, 1]`, bisection otherwise, to a relative width of
/// [`tol::QUANTILE_REL`]. statrs' own inverse loops forever for shapes like `(0.5, 1.8e8)`.
/// Above that sum, an approximation whose error shrinks with the shapes: with the smaller shape
/// below [`tol::BETA_LOGIT_MIN_SHAPE`], `B = G/(G + b)` with `G` the smaller shape's Gamma and
/// the larger one's Gamma at its mean `b` (the variance of `ln B` is off by a share
/// `small/(a + b)`, at most 1%); otherwise the logit of `B` is normal with its exact mean
/// `ψ(α) − ψ(β)` and variance `ψ'(α) + ψ'(β)` (skewness below 0.1).
pub(crate) fn beta_quantile(alpha: f64, beta: f64, p: f64) -> f64 {
    if !(alpha > 0.0 && beta > 0.0 && alpha.is_finite() && beta.is_finite() && p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    if alpha + beta > tol::BETA_SEARCH_MAX_SUM {
        if alpha.min(beta) < tol::BETA_LOGIT_MIN_SHAPE {
            return if alpha <= beta {
                let g = gamma_quantile(alpha, p);
                g / (g + beta)
            } else {
                let g = gamma_quantile(beta, 1.0 - p);
                alpha / (g + alpha)
            };
        }
        let mean = digamma(alpha) - digamma(beta);
        let sd = (trigamma(alpha) + trigamma(beta)).sqrt();
        let y = mean + sd * Normal::standard().inverse_cdf(p);
        return 1.0 / (1.0 + (-y).exp());
    }
    let cdf = |x: f64| checked_beta_reg(alpha, beta, x).unwrap_or(if x <= 0.0 { 0.0 } else { 1.0 });
    let ln_norm = ln_gamma(alpha + beta) - ln_gamma(alpha) - ln_gamma(beta);
    let pdf = |x: f64| (ln_norm + (alpha - 1.0) * x.ln() + (beta - 1.0) * (-x).ln_1p()).exp();
    bracketed_newton(cdf, pdf, p, (0.0, 1.0), alpha / (alpha + beta))
}

/// The trigamma function `ψ'(x)` for `x > 0`: the variance of `ln X` for a Gamma(x) variable.
/// Shifts `x` up to 20 with `ψ'(x) = ψ'(x + 1) + 1/x²`, then the asymptotic series (relative
/// error below 1e-14).
pub(crate) fn trigamma(x: f64) -> f64 {
    let (mut x, mut acc) = (x, 0.0);
    for _ in 0..20 {
        if x >= 20.0 {
            break;
        }
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    acc + inv
        + inv2 / 2.0
        + inv * inv2 * (1.0 / 6.0 - inv2 * (1.0 / 30.0 - inv2 * (1.0 / 42.0 - inv2 / 30.0)))
}

/// `P(sup |B(u)| > b)` for a Brownian bridge `B` on `[0, 1]` (the Kolmogorov distribution's
/// survival function): the false-alarm probability of a CUSUM change-point test whose
/// standardised maximum is `b`. `2 Σ_{j≥1} (−1)^{j−1} e^{−2j²b²}`, summed until a term is
/// negligible; 1 for `b` below 0.2, where the series converges slowly and the value is 1 to
/// within 1e-15.
pub(crate) fn kolmogorov_sf(b: f64) -> f64 {
    if b < 0.2 {
        return 1.0;
    }
    let mut sum = 0.0;
    for j in 1..=tol::MAX_SCALAR_ITERS {
        let x = j as f64;
        let term = (-2.0 * x * x * b * b).exp();
        sum += if j % 2 == 1 { term } else { -term };
        if term < tol::SERIES_REL * sum.abs() {
            break;
        }
    }
    (2.0 * sum).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn gamma_quantiles_match_closed_forms_and_never_panic() {
        // Gamma(1) is the exponential: the p-quantile is −ln(1 − p).
        for p in [1e-9, 0.1, 0.5, 0.9, 1.0 - 1e-9] {
            let q = gamma_quantile(1.0, p);
            // Near p = 1 the CDF's absolute rounding (1e-16) over its density limits the answer.
            assert!((q / -(-p).ln_1p() - 1.0).abs() < 1e-8, "p {p}: {q}");
        }
        // Gamma(½) is half a χ²(1): the 0.9-quantile is z₀.₉₅²/2 = 1.6448536…²/2.
        assert!((gamma_quantile(0.5, 0.9) - 1.644_853_626_951_472_2f64.powi(2) / 2.0).abs() < 1e-12);
        // Large and extreme shapes: the CDF at the quantile is p, on both sides of the switch to
        // Wilson–Hilferty, and nothing panics (statrs' own inverse does for these).
        for shape in [1e-300, 1e-3, 3.0, 740.0, 9.9e3, 1e4, 1.67e8, 1e12, 1e300] {
            for p in [0.1, 0.5, 0.9] {
                let q = gamma_quantile(shape, p);
                assert!(q.is_finite() && q >= 0.0, "shape {shape}, p {p}: {q}");
                if q < 1e-300 {
                    // Below the smallest f64: Gamma(0.001)'s P10 is 0.1^1000.
                    assert!(shape <= 1e-3, "shape {shape}, p {p}: {q}");
                } else if shape <= 1e4 {
                    let f = gamma_p(shape, q);
                    assert!((f - p).abs() < 1e-6, "shape {shape}, p {p}: F = {f}");
                }
            }
        }
        assert!(gamma_quantile(0.0, 0.5).is_nan() && gamma_quantile(2.0, 1.0).is_nan());
    }

    #[test]
    fn beta_quantiles_match_closed_forms_and_always_return() {
        // Beta(1, b) has CDF 1 − (1 − x)^b: the p-quantile is 1 − (1 − p)^{1/b}. The search
        // (b = 3), then the Gamma approximation (b = 5e4, error of order 1/b).
        for (b, rel) in [(3.0, 1e-12), (5e4, 1e-4)] {
            for p in [0.1f64, 0.5, 0.9] {
                let exact = -((-p).ln_1p() / b).exp_m1();
                let q = beta_quantile(1.0, b, p);
                assert!((q / exact - 1.0).abs() < rel, "b {b}, p {p}: {q} vs {exact}");
                // Mirrored shapes give the mirrored quantile.
                assert!((beta_quantile(b, 1.0, 1.0 - p) - (1.0 - exact)).abs() < rel, "mirror b {b}, p {p}");
            }
        }
        // Beta(2, 2) is symmetric: median ½; Beta(½, ½) is the arcsine law, P10 = sin²(0.05π).
        assert!((beta_quantile(2.0, 2.0, 0.5) - 0.5).abs() < 1e-12);
        assert!((beta_quantile(0.5, 0.5, 0.1) - (0.05 * std::f64::consts::PI).sin().powi(2)).abs() < 1e-12);
        // The logit-normal regime: 2e8 leads at 20%, the median within 1e-6 of 0.2.
        assert!((beta_quantile(4e7, 1.6e8, 0.5) - 0.2).abs() < 1e-6);
        // Shapes on which statrs' inverse loops forever return, and in order.
        let (lo, mid, hi) = (
            beta_quantile(0.5, 1.77e8, 0.1),
            beta_quantile(0.5, 1.77e8, 0.5),
            beta_quantile(0.5, 1.77e8, 0.9),
        );
        assert!(0.0 < lo && lo < mid && mid < hi && hi < 1e-7, "{lo} {mid} {hi}");
        // Continuity where the search hands over to the approximations (sum 1e4).
        let (a, b) = (99.0, 9_900.0);
        let near = beta_quantile(a, b, 0.5);
        let far = beta_quantile(a * 1.0002, b * 1.0002, 0.5);
        assert!((near / far - 1.0).abs() < 1e-3, "{near} {far}");
        assert!(beta_quantile(0.0, 1.0, 0.5).is_nan() && beta_quantile(1.0, 1.0, 0.0).is_nan());
    }

    use super::*;

    #[test]
    fn trigamma_known_values() {
        // ψ'(1) = π²/6, ψ'(1/2) = π²/2, ψ'(x) ≈ 1/x for large x.
        let pi2 = std::f64::consts::PI * std::f64::consts::PI;
        assert!(tol::approx_eq(trigamma(1.0), pi2 / 6.0, 1e-12));
        assert!(tol::approx_eq(trigamma(0.5), pi2 / 2.0, 1e-12));
        assert!(tol::approx_eq(trigamma(1e6), 1e-6 + 0.5e-12, 1e-9));
    }

    #[test]
    fn kolmogorov_critical_values() {
        // The tabulated 5% and 1% points of the Kolmogorov distribution.
        assert!((kolmogorov_sf(1.358_1) - 0.05).abs() < 1e-4);
        assert!((kolmogorov_sf(1.627_6) - 0.01).abs() < 1e-4);
        assert!(kolmogorov_sf(0.1) >= 1.0);
        assert!(kolmogorov_sf(10.0) < 1e-80);
    }

    #[test]
    fn softplus_known_values() {
        assert!(tol::approx_eq(softplus(0.0), 2f64.ln(), 1e-15));
        assert!(tol::approx_eq(softplus(800.0), 800.0, 1e-15)); // no overflow
        assert!(softplus(-800.0) >= 0.0);
        for z in [-30.0, -1.0, 0.0, 2.5, 40.0] {
            let (s, g) = softplus_sigmoid(z);
            assert!(tol::approx_eq(s, softplus(z), 1e-15), "{z}");
            assert!(tol::approx_eq(g, 1.0 / (1.0 + (-z).exp()), 1e-15), "{z}");
        }
    }

    #[test]
    fn special_functions_known_values() {
        assert!(tol::approx_eq(ln_gamma(5.0), 24f64.ln(), 1e-13));
        assert!(tol::approx_eq(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-13));
        // P(1, x) = 1 − e^(−x)
        for x in [0.1f64, 1.0, 3.0, 20.0] {
            assert!(tol::approx_eq(gamma_p(1.0, x), 1.0 - (-x).exp(), 1e-13), "{x}");
        }
        assert!(tol::approx_eq(normal_cdf(0.0), 0.5, 1e-14));
        assert!(tol::approx_eq(normal_cdf(1.959_963_984_540_054), 0.975, 1e-12));
        assert!(tol::approx_eq(normal_cdf(-1.0), 0.158_655_253_931_457_05, 1e-12));
    }
}
