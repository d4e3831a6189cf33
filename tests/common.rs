//! Helpers shared by the integration tests (and, through `#[path]`, by the benches).

#![allow(dead_code)] // each includer uses its own subset

/// `a` and `b` agree to `rel`, relative to the larger magnitude (absolutely below 1).
pub fn close_to(a: f64, b: f64, rel: f64) -> bool {
    offergraph::tol::approx_eq(a, b, rel)
}

/// `a` and `b` agree to 1e-12: the figures of a known answer worked by hand.
pub fn close(a: f64, b: f64) -> bool {
    close_to(a, b, 1e-12)
}

/// A seeded linear congruential generator (Knuth's MMIX constants). Fixtures of the tests and
/// the benches come from it so that they are the same problems in every version of the crate,
/// and benchmark figures stay comparable across versions.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number, uniform in `[0, 1)`.
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The next number, uniform in `[a, b)`.
    pub fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.next()
    }
}
