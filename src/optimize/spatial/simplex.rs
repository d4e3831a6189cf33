//! A dense dual simplex with warm starts, for the node LPs of the spatial search.
//!
//! A child node's LP is its parent's with tighter column bounds and a few more rows (the lines
//! of the split module's narrower interval, the cuts found at the parent). The parent's optimal
//! tableau stays dual feasible under both edits, so the dual simplex reaches the child's optimum
//! in a few pivots where a solve from the slack basis takes dozens; microlp, a general sparse
//! solver, has no cheap way to change a bound or add a row to a solved LP (each costs a fresh
//! factorization), and its cold solves stay the fallback.
//!
//! Nothing the search proves rests on this code alone: a bound is recomputed from the tableau's
//! row prices on the LP's own data (weak duality, valid for any prices of the right signs), and
//! "infeasible" from a row's multipliers checked on the same data (a Farkas certificate, which
//! must miss by a margin; else microlp decides).

use crate::numerics::tol;

/// A row's sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sense {
    /// `a·x ≤ b`.
    Le,
    /// `a·x ≥ b`.
    Ge,
    /// `a·x = b`.
    Eq,
}

/// A row's coefficients `(column, value)`: most rows are a line over or under a curve, with
/// two, which stay inline (a node builds and copies a few hundred rows).
pub(crate) type Coefs = smallvec::SmallVec<[(usize, f64); 2]>;

/// One row of an LP: sparse coefficients on the structural columns, sense, right-hand side.
#[derive(Debug, Clone)]
pub(crate) struct RowData {
    pub coefs: Coefs,
    pub sense: Sense,
    pub rhs: f64,
}

impl RowData {
    /// `true` when the structural values `x` break the row by more than
    /// [`tol::LP_FEASIBILITY`].
    pub(crate) fn broken_at(&self, x: &[f64]) -> bool {
        let act: f64 = self.coefs.iter().map(|&(j, a)| a * x[j]).sum();
        let feas = tol::LP_FEASIBILITY;
        match self.sense {
            Sense::Le => act > self.rhs + feas,
            Sense::Ge => act < self.rhs - feas,
            Sense::Eq => (act - self.rhs).abs() > feas,
        }
    }
}

/// Where a column stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Basic,
    Lower,
    Upper,
}

/// How a solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    Optimal,
    /// Row `r` is one no column can repair: the LP looks infeasible (proven only when
    /// [`Tableau::proves_infeasible`] says so on the row).
    Infeasible(usize),
    /// The pivot limit, a bad pivot or a non-finite value: nothing is known.
    Failed,
}

/// `max c·x` subject to rows and column bounds, as an explicit tableau `B⁻¹·[A | I]`, row by
/// row in one flat buffer (a child's copy is one `memcpy`) with room for a few more columns.
#[derive(Debug, Clone)]
pub(crate) struct Tableau {
    /// Structural columns (the slacks follow, one per row).
    n: usize,
    /// Row `r` is `t[r·stride ..][.. width]`.
    t: Vec<f64>,
    stride: usize,
    basis: Vec<usize>,
    xb: Vec<f64>,
    /// Reduced costs `c_j − c_B·B⁻¹·A_j` (≤ 0 at a lower bound, ≥ 0 at an upper one).
    d: Vec<f64>,
    at: Vec<At>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    c: Vec<f64>,
    rows: Vec<RowData>,
}

/// Spare columns a tableau keeps per row for rows added later.
const ROOM: usize = 32;

/// The entries of `v` whose flag in `keep` is set.
fn kept<T: Copy>(v: &[T], keep: &[bool]) -> Vec<T> {
    v.iter().zip(keep).filter(|(_, k)| **k).map(|(x, _)| *x).collect()
}

impl Tableau {
    /// The slack basis, each structural column at the bound its objective prefers (so the
    /// start is dual feasible); `None` when that bound is not finite.
    pub(crate) fn new(c: &[f64], lo: &[f64], hi: &[f64], rows: Vec<RowData>) -> Option<Tableau> {
        let n = c.len();
        let mut at = Vec::with_capacity(n + rows.len());
        for j in 0..n {
            let side = if c[j] > 0.0 { At::Upper } else { At::Lower };
            let v = if side == At::Upper { hi[j] } else { lo[j] };
            if !v.is_finite() || lo[j] > hi[j] {
                return None;
            }
            at.push(side);
        }
        let mut tab = Tableau {
            n,
            t: Vec::new(),
            stride: n + rows.len() + ROOM,
            basis: Vec::with_capacity(rows.len()),
            xb: Vec::with_capacity(rows.len()),
            d: c.to_vec(),
            at,
            lo: lo.to_vec(),
            hi: hi.to_vec(),
            c: c.to_vec(),
            rows: Vec::with_capacity(rows.len()),
        };
        tab.add_rows(rows);
        Some(tab)
    }

    /// Rows held.
    #[cfg(test)]
    pub(crate) fn rows(&self) -> usize {
        self.rows.len()
    }

    /// The numbers the tableau holds (its memory in units of `f64`).
    pub(crate) fn entries(&self) -> usize {
        self.t.len()
    }

    /// The pivots a solve may take: [`tol::SIMPLEX_PIVOTS_PER_ROW`] per row and structural
    /// column.
    pub(crate) fn pivot_limit(&self) -> usize {
        tol::SIMPLEX_PIVOTS_PER_ROW * (self.rows.len() + self.n)
    }

    fn width(&self) -> usize {
        self.n + self.rows.len()
    }

    fn row(&self, r: usize) -> &[f64] {
        let w = self.width();
        &self.t[r * self.stride..r * self.stride + w]
    }

    /// Copies the rows into a buffer of a wider stride (room for more columns).
    fn widen(&mut self, stride: usize) {
        let width = self.width();
        let mut t = vec![0.0; self.basis.len() * stride];
        for r in 0..self.basis.len() {
            t[r * stride..r * stride + width].copy_from_slice(self.row(r));
        }
        self.t = t;
        self.stride = stride;
    }

    /// Adds rows, each with its slack basic (the tableau stays dual feasible).
    pub(crate) fn add_rows(&mut self, rows: Vec<RowData>) {
        if rows.is_empty() {
            return;
        }
        let first = self.width();
        let width = first + rows.len();
        if width > self.stride {
            self.widen(width + ROOM);
        }
        let x = self.values();
        let stride = self.stride;
        let more = rows.len();
        self.t.reserve(more * stride);
        for v in [&mut self.xb, &mut self.d, &mut self.lo, &mut self.hi, &mut self.c] {
            v.reserve(more);
        }
        self.basis.reserve(more);
        self.at.reserve(more);
        self.rows.reserve(more);
        // one scratch row for all (a node adds dozens)
        let mut new = vec![0.0; stride];
        for (k, row) in rows.into_iter().enumerate() {
            new.fill(0.0);
            for &(j, a) in &row.coefs {
                new[j] += a;
            }
            new[first + k] = 1.0;
            // in the non-basic columns: subtract the rows of the basic columns it touches (a
            // row of the tableau is zero in every other basic column, so no fill comes back)
            for &(j, _) in &row.coefs {
                let f = new[j];
                if f == 0.0 || self.at[j] != At::Basic {
                    continue;
                }
                if let Some(p) = self.basis.iter().position(|&b| b == j) {
                    for (v, y) in new.iter_mut().zip(self.row(p)) {
                        *v -= f * y;
                    }
                    new[j] = 0.0;
                }
            }
            let value = row.rhs - row.coefs.iter().map(|&(j, a)| a * x[j]).sum::<f64>();
            let (l, u) = match row.sense {
                Sense::Le => (0.0, f64::INFINITY),
                Sense::Ge => (f64::NEG_INFINITY, 0.0),
                Sense::Eq => (0.0, 0.0),
            };
            self.t.extend_from_slice(&new);
            self.basis.push(first + k);
            self.xb.push(value);
            self.d.push(0.0);
            self.at.push(At::Basic);
            self.lo.push(l);
            self.hi.push(u);
            self.c.push(0.0);
            self.rows.push(row);
        }
    }

    /// Drops the rows `keep` rejects whose slacks are basic (non-binding rows leave without a
    /// pivot: their tableau row and slack column go, and the rest is the smaller LP's tableau);
    /// a binding row stays. Returns which rows stayed.
    pub(crate) fn drop_rows(&mut self, keep: impl Fn(usize) -> bool) -> Vec<bool> {
        let n = self.n;
        let m = self.rows.len();
        let stays: Vec<bool> = (0..m).map(|i| keep(i) || self.at[n + i] != At::Basic).collect();
        if stays.iter().all(|&s| s) {
            return stays;
        }
        let cols: Vec<bool> = (0..n + m).map(|j| j < n || stays[j - n]).collect();
        let mut index = vec![usize::MAX; n + m];
        let mut next = 0;
        for (j, _) in cols.iter().enumerate().filter(|(_, c)| **c) {
            index[j] = next;
            next += 1;
        }
        // the tableau rows of the dropped slacks go first, then their columns
        let kept_rows: Vec<usize> = (0..self.basis.len()).filter(|&r| cols[self.basis[r]]).collect();
        let (old_stride, old_width) = (self.stride, n + m);
        let stride = next + ROOM;
        let mut t = vec![0.0; kept_rows.len() * stride];
        for (k, &r) in kept_rows.iter().enumerate() {
            let src = &self.t[r * old_stride..r * old_stride + old_width];
            let dst = &mut t[k * stride..k * stride + next];
            for (d, (v, _)) in dst.iter_mut().zip(src.iter().zip(&cols).filter(|(_, c)| **c)) {
                *d = *v;
            }
        }
        self.t = t;
        self.stride = stride;
        self.xb = kept_rows.iter().map(|&r| self.xb[r]).collect();
        self.basis = kept_rows.iter().map(|&r| index[self.basis[r]]).collect();
        let rows = std::mem::take(&mut self.rows);
        self.rows = rows.into_iter().zip(&stays).filter(|(_, s)| **s).map(|(r, _)| r).collect();
        self.d = kept(&self.d, &cols);
        self.lo = kept(&self.lo, &cols);
        self.hi = kept(&self.hi, &cols);
        self.c = kept(&self.c, &cols);
        self.at = kept(&self.at, &cols);
        stays
    }

    /// Drops the rows whose slack is basic and more than `margin` inside its bound: the rows
    /// the answer does not touch (see [`Tableau::drop_rows`]).
    pub(crate) fn drop_loose_rows(&mut self, margin: f64) -> Vec<bool> {
        let n = self.n;
        let mut loose = vec![false; self.rows.len()];
        for (k, &b) in self.basis.iter().enumerate() {
            if b >= n {
                let s = self.xb[k];
                loose[b - n] = (s - self.lo[b]).min(self.hi[b] - s) > margin;
            }
        }
        self.drop_rows(|i| !loose[i])
    }

    /// New bounds for structural column `j` (a non-basic column keeps its side).
    pub(crate) fn set_bounds(&mut self, j: usize, l: f64, u: f64) {
        if self.at[j] == At::Basic {
            self.lo[j] = l;
            self.hi[j] = u;
            return;
        }
        let old = self.value_of(j);
        self.lo[j] = l;
        self.hi[j] = u;
        let delta = self.value_of(j) - old;
        if delta != 0.0 {
            for k in 0..self.xb.len() {
                self.xb[k] -= self.t[k * self.stride + j] * delta;
            }
        }
    }

    /// A non-basic column's value.
    fn value_of(&self, j: usize) -> f64 {
        if self.at[j] == At::Upper { self.hi[j] } else { self.lo[j] }
    }

    /// The structural columns' values.
    pub(crate) fn values(&self) -> Vec<f64> {
        let mut x: Vec<f64> = (0..self.n).map(|j| self.value_of(j)).collect();
        for (k, &b) in self.basis.iter().enumerate() {
            if b < self.n {
                x[b] = self.xb[k];
            }
        }
        x
    }

    /// Dual simplex pivots until the basis is primal feasible (within
    /// [`tol::LP_FEASIBILITY`]), at most `limit` of them; the answer is then recomputed from
    /// the tableau (against drift) and confirmed.
    pub(crate) fn solve(&mut self, limit: usize) -> Ended {
        self.pivots(limit, true)
    }

    /// [`Tableau::solve`] without the last recomputation: for an answer that only says which
    /// rows to add next (a `solve` confirms the last).
    pub(crate) fn solve_rough(&mut self, limit: usize) -> Ended {
        self.pivots(limit, false)
    }

    fn pivots(&mut self, limit: usize, exact: bool) -> Ended {
        let feas = tol::LP_FEASIBILITY;
        let mut scratch = vec![0.0; self.width()];
        for pivots in 0..=limit {
            if pivots > 0 && pivots % tol::SIMPLEX_REFRESH == 0 {
                self.refresh();
            }
            // the leaving row: the largest violation of its basic column's bounds
            let mut leave: Option<(usize, f64)> = None;
            for (r, &x) in self.xb.iter().enumerate() {
                let b = self.basis[r];
                let v = if x < self.lo[b] - feas {
                    self.lo[b] - x
                } else if x > self.hi[b] + feas {
                    x - self.hi[b]
                } else {
                    continue;
                };
                if !v.is_finite() {
                    return Ended::Failed;
                }
                if leave.is_none_or(|(_, w)| v > w) {
                    leave = Some((r, v));
                }
            }
            let Some((r, _)) = leave else {
                if !exact {
                    return Ended::Optimal;
                }
                self.refresh();
                return if self.primal_feasible() { Ended::Optimal } else { Ended::Failed };
            };
            if pivots == limit {
                break;
            }
            let b = self.basis[r];
            let up = self.xb[r] < self.lo[b];
            let Some(q) = self.entering(r, up) else {
                return Ended::Infeasible(r);
            };
            self.pivot(r, q, if up { self.lo[b] } else { self.hi[b] }, up, &mut scratch);
        }
        Ended::Failed
    }

    /// The entering column for row `r` (whose basic column must rise when `up`): Harris's
    /// two passes, the largest pivot among the near-smallest ratios.
    fn entering(&self, r: usize, up: bool) -> Option<usize> {
        let row = self.row(r);
        let eligible = |j: usize| -> Option<f64> {
            let a = row[j];
            // a fixed column (`l = u`, an equality's slack) never moves
            if a.abs() < tol::SIMPLEX_PIVOT || self.hi[j] <= self.lo[j] {
                return None;
            }
            let ok = match self.at[j] {
                At::Basic => false,
                At::Lower => (a < 0.0) == up,
                At::Upper => (a > 0.0) == up,
            };
            ok.then_some(a)
        };
        let mut bound = f64::INFINITY;
        for j in 0..row.len() {
            if let Some(a) = eligible(j) {
                bound = bound.min((self.d[j].abs() + tol::SIMPLEX_DUAL) / a.abs());
            }
        }
        let mut best: Option<(usize, f64)> = None;
        for j in 0..row.len() {
            if let Some(a) = eligible(j)
                && self.d[j].abs() / a.abs() <= bound
                && best.is_none_or(|(_, m)| a.abs() > m)
            {
                best = Some((j, a.abs()));
            }
        }
        best.map(|(j, _)| j)
    }

    fn pivot(&mut self, r: usize, q: usize, target: f64, up: bool, scratch: &mut [f64]) {
        let (stride, width) = (self.stride, self.width());
        let p = self.t[r * stride + q];
        let delta = (self.xb[r] - target) / p;
        let entering_value = self.value_of(q) + delta;
        for k in 0..self.xb.len() {
            self.xb[k] -= self.t[k * stride + q] * delta;
        }
        let leaving = self.basis[r];
        self.xb[r] = entering_value;
        for (s, v) in scratch.iter_mut().zip(&self.t[r * stride..r * stride + width]) {
            *s = v / p;
        }
        scratch[q] = 1.0;
        for k in 0..self.basis.len() {
            let row = &mut self.t[k * stride..k * stride + width];
            if k == r {
                row.copy_from_slice(scratch);
                continue;
            }
            let f = row[q];
            if f != 0.0 {
                for (x, y) in row.iter_mut().zip(scratch.iter()) {
                    *x -= f * y;
                }
                row[q] = 0.0;
            }
        }
        let dq = self.d[q];
        for (x, y) in self.d.iter_mut().zip(scratch.iter()) {
            *x -= dq * y;
        }
        self.d[q] = 0.0;
        self.basis[r] = q;
        self.at[q] = At::Basic;
        self.at[leaving] = if up { At::Lower } else { At::Upper };
    }

    /// Recomputes the basic values and reduced costs from the tableau (against drift).
    fn refresh(&mut self) {
        let (n, width, stride) = (self.n, self.width(), self.stride);
        let x_n: Vec<f64> =
            (0..width).map(|j| if self.at[j] == At::Basic { 0.0 } else { self.value_of(j) }).collect();
        let rhs: Vec<f64> = self.rows.iter().map(|r| r.rhs).collect();
        let mut d = self.c.clone();
        for k in 0..self.basis.len() {
            let row = &self.t[k * stride..k * stride + width];
            let beta: f64 = row[n..].iter().zip(&rhs).map(|(a, b)| a * b).sum();
            let non: f64 = row.iter().zip(&x_n).map(|(a, x)| a * x).sum();
            self.xb[k] = beta - non;
            let cb = self.c[self.basis[k]];
            if cb != 0.0 {
                for (dj, a) in d.iter_mut().zip(row) {
                    *dj -= cb * a;
                }
            }
        }
        for (j, dj) in d.iter_mut().enumerate() {
            if self.at[j] == At::Basic {
                *dj = 0.0;
            }
        }
        self.d = d;
    }

    fn primal_feasible(&self) -> bool {
        let feas = tol::LP_FEASIBILITY;
        self.xb.iter().enumerate().all(|(k, &x)| {
            let b = self.basis[k];
            x.is_finite() && x >= self.lo[b] - feas && x <= self.hi[b] + feas
        })
    }

    /// `c·x` at the current values.
    pub(crate) fn objective(&self) -> f64 {
        self.values().iter().zip(&self.c).map(|(x, c)| x * c).sum()
    }

    /// An upper bound on the LP's optimum from the rows' prices `π = −d_slack` (each moved to
    /// its row's sign), on the LP's own data: `π·b + Σ_j max over [l_j, u_j] of (c − Aᵀπ)_j·x_j`,
    /// valid whatever the tableau's rounding and equal to the optimum at an exact optimal basis;
    /// with the structural columns' reduced costs `(c − Aᵀπ)_j` at the same prices
    /// (restricting column `j` to part of its interval lowers the bound by `|(c − Aᵀπ)_j|` times
    /// the distance its bound term moves).
    pub(crate) fn priced_bound(&self) -> (f64, Vec<f64>) {
        let n = self.n;
        let mut reduced = self.c[..n].to_vec();
        let mut total = 0.0;
        for (i, row) in self.rows.iter().enumerate() {
            let raw = -self.d[n + i];
            let pi = match row.sense {
                Sense::Le => raw.max(0.0),
                Sense::Ge => raw.min(0.0),
                Sense::Eq => raw,
            };
            if pi == 0.0 {
                continue;
            }
            total += pi * row.rhs;
            for &(j, a) in &row.coefs {
                reduced[j] -= pi * a;
            }
        }
        for ((r, l), u) in reduced.iter().zip(&self.lo).zip(&self.hi) {
            total += (r * l).max(r * u);
        }
        (if total.is_finite() { total } else { f64::INFINITY }, reduced)
    }

    /// `true` when tableau row `r`'s multipliers (`y = e_rᵀB⁻¹`, its slack columns) prove the
    /// LP infeasible on its own data: no structural values and slacks within their bounds can
    /// meet the rows' combination `Σ_i y_i·(a_i·x + s_i) = y·b`, by more than
    /// [`tol::LP_FARKAS_MARGIN_REL`] of its terms (a Farkas certificate, valid whatever the
    /// tableau's rounding, as [`Tableau::priced_bound`] is for a bound). A row whose multiplier
    /// leaves the combination unbounded on the side a proof needs is left out of it.
    pub(crate) fn proves_infeasible(&self, r: usize) -> bool {
        let n = self.n;
        let y = &self.row(r)[n..];
        // above: `y·b` beyond the combination's largest value; below: short of its least
        [1.0, -1.0].into_iter().any(|side: f64| {
            let mut yb = 0.0;
            let mut scale = 0.0;
            // the combination's extreme on this side: `side·max(side·(Σ y_i·s_i + (yᵀA)·x))`
            let mut extreme = 0.0;
            let mut ya = vec![0.0; n];
            for (i, row) in self.rows.iter().enumerate() {
                let yi = y[i];
                let (sl, su) = (self.lo[n + i], self.hi[n + i]);
                let s = if side * yi > 0.0 { su } else { sl };
                if yi == 0.0 || !s.is_finite() {
                    continue;
                }
                yb += yi * row.rhs;
                scale += (yi * row.rhs).abs();
                extreme += yi * s;
                for &(j, a) in &row.coefs {
                    ya[j] += yi * a;
                }
            }
            for (j, &a) in ya.iter().enumerate() {
                if a == 0.0 {
                    continue;
                }
                let x = if side * a > 0.0 { self.hi[j] } else { self.lo[j] };
                extreme += a * x;
                scale += (a * x).abs();
            }
            let gap = side * (yb - extreme);
            gap.is_finite() && gap > tol::LP_FARKAS_MARGIN_REL * scale.max(1.0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(coefs: &[(usize, f64)], rhs: f64) -> RowData {
        RowData { coefs: Coefs::from_slice(coefs), sense: Sense::Le, rhs }
    }

    /// max 3x + 2y, x + y ≤ 4, x + 3y ≤ 6, x ≤ 3: the optimum (3, 1) is worth 11.
    #[test]
    fn a_small_lp_solves_and_its_bound_is_tight() {
        let mut t = Tableau::new(
            &[3.0, 2.0],
            &[0.0, 0.0],
            &[3.0, 10.0],
            vec![le(&[(0, 1.0), (1, 1.0)], 4.0), le(&[(0, 1.0), (1, 3.0)], 6.0)],
        )
        .unwrap();
        assert_eq!(t.solve(50), Ended::Optimal);
        let x = t.values();
        assert!((x[0] - 3.0).abs() < 1e-12 && (x[1] - 1.0).abs() < 1e-12, "{x:?}");
        assert!((t.objective() - 11.0).abs() < 1e-12);
        assert!((t.priced_bound().0 - 11.0).abs() < 1e-12);
    }

    /// A warm start: after the optimum, a new row and a tighter bound re-solve from the old
    /// basis to the new optimum.
    #[test]
    fn rows_and_bounds_added_later_re_solve_warm() {
        let mut t =
            Tableau::new(&[3.0, 2.0], &[0.0, 0.0], &[3.0, 10.0], vec![le(&[(0, 1.0), (1, 1.0)], 4.0)])
                .unwrap();
        assert_eq!(t.solve(50), Ended::Optimal);
        assert!((t.objective() - 11.0).abs() < 1e-12);
        t.add_rows(vec![le(&[(0, 1.0), (1, 3.0)], 6.0)]);
        t.set_bounds(0, 0.0, 2.0);
        assert_eq!(t.solve(50), Ended::Optimal);
        // x = 2, y = 4/3: 6 + 8/3
        assert!((t.objective() - (6.0 + 8.0 / 3.0)).abs() < 1e-12, "{}", t.objective());
        assert!((t.priced_bound().0 - t.objective()).abs() < 1e-12);
    }

    /// The optimum (3, 1) of the small LP with a third row `x + 2y ≤ 9` that it does not touch
    /// (slack 4): that row leaves, the binding ones stay, and the answer and its bound do not
    /// change; the row is broken at (3, 4) and not at (3, 1).
    #[test]
    fn loose_rows_leave_and_the_bound_stays() {
        let loose = le(&[(0, 1.0), (1, 2.0)], 9.0);
        assert!(!loose.broken_at(&[3.0, 1.0]) && loose.broken_at(&[3.0, 4.0]));
        let mut t = Tableau::new(
            &[3.0, 2.0],
            &[0.0, 0.0],
            &[3.0, 10.0],
            vec![le(&[(0, 1.0), (1, 1.0)], 4.0), loose, le(&[(0, 1.0), (1, 3.0)], 6.0)],
        )
        .unwrap();
        assert_eq!(t.solve(50), Ended::Optimal);
        assert_eq!(t.drop_loose_rows(1e-9), vec![true, false, true]);
        assert_eq!(t.rows(), 2);
        assert!((t.objective() - 11.0).abs() < 1e-12 && (t.priced_bound().0 - 11.0).abs() < 1e-12);
        assert_eq!(t.solve(50), Ended::Optimal);
        let x = t.values();
        assert!((x[0] - 3.0).abs() < 1e-12 && (x[1] - 1.0).abs() < 1e-12, "{x:?}");
    }

    /// x + y ≥ 5 with x, y ≤ 2 has no answer.
    #[test]
    fn an_infeasible_row_is_reported() {
        let mut t = Tableau::new(
            &[1.0, 1.0],
            &[0.0, 0.0],
            &[2.0, 2.0],
            vec![RowData { coefs: Coefs::from_slice(&[(0, 1.0), (1, 1.0)]), sense: Sense::Ge, rhs: 5.0 }],
        )
        .unwrap();
        let Ended::Infeasible(r) = t.solve(50) else { panic!("not infeasible") };
        assert!(t.proves_infeasible(r));
    }

    /// An equality row and a negative cost: max −x + y, x − y = 1, x, y ∈ [0, 5]: −1 at any
    /// point of the row.
    #[test]
    fn equalities_hold() {
        let mut t = Tableau::new(
            &[-1.0, 1.0],
            &[0.0, 0.0],
            &[5.0, 5.0],
            vec![RowData { coefs: Coefs::from_slice(&[(0, 1.0), (1, -1.0)]), sense: Sense::Eq, rhs: 1.0 }],
        )
        .unwrap();
        assert_eq!(t.solve(50), Ended::Optimal);
        let x = t.values();
        assert!((x[0] - x[1] - 1.0).abs() < 1e-12);
        assert!((t.objective() + 1.0).abs() < 1e-12 && (t.priced_bound().0 + 1.0).abs() < 1e-12);
    }

    use microlp::{ComparisonOp, OptimizationDirection, Problem};
    use proptest::prelude::*;

    /// microlp's optimum of the same LP (`None` when it finds none).
    fn reference(c: &[f64], hi: &[f64], rows: &[RowData]) -> Option<f64> {
        let mut lp = Problem::new(OptimizationDirection::Maximize);
        let v: Vec<_> = c.iter().zip(hi).map(|(&c, &u)| lp.add_var(c, (0.0, u))).collect();
        for r in rows {
            let op = match r.sense {
                Sense::Le => ComparisonOp::Le,
                Sense::Ge => ComparisonOp::Ge,
                Sense::Eq => ComparisonOp::Eq,
            };
            lp.add_constraint(r.coefs.iter().map(|&(j, a)| (v[j], a)).collect::<Vec<_>>(), op, r.rhs);
        }
        lp.solve().ok()?.into_solution().ok().map(|s| s.objective())
    }

    fn lp() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<RowData>)> {
        (2usize..6).prop_flat_map(|n| {
            let entry = prop_oneof![Just(None), (-2.0..2.0f64).prop_map(Some)];
            let row = (proptest::collection::vec(entry, n), 0..3u8, -2.0..6.0f64).prop_map(|(a, s, rhs)| {
                let mut coefs: Vec<(usize, f64)> =
                    a.iter().enumerate().filter_map(|(j, a)| a.map(|a| (j, a))).collect();
                if coefs.is_empty() {
                    coefs.push((0, 1.0));
                }
                RowData {
                    coefs: Coefs::from_vec(coefs),
                    sense: [Sense::Le, Sense::Ge, Sense::Eq][s as usize],
                    rhs,
                }
            });
            (
                proptest::collection::vec(-3.0..3.0f64, n),
                proptest::collection::vec(0.5..4.0f64, n),
                proptest::collection::vec(row, 1..7),
            )
        })
    }

    proptest! {
        /// Cold, and warm (half the rows first, then the rest and a tighter bound): the same
        /// optimum as microlp, a bound that proves it, and "infeasible" only where microlp
        /// finds no answer either.
        #[test]
        fn the_dense_solver_agrees_with_microlp((c, hi, rows) in lp()) {
            let lo = vec![0.0; c.len()];
            let want = reference(&c, &hi, &rows);
            let mut cold = Tableau::new(&c, &lo, &hi, rows.clone()).unwrap();
            let ended = cold.solve(500);
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * (1.0 + b.abs());
            match (ended, want) {
                (Ended::Optimal, Some(v)) => {
                    prop_assert!(close(cold.objective(), v), "{} vs {v}", cold.objective());
                    prop_assert!(close(cold.priced_bound().0, v), "bound {} vs {v}", cold.priced_bound().0);
                }
                (Ended::Optimal, None) => prop_assert!(false, "optimal where microlp finds nothing"),
                (Ended::Infeasible(_), Some(v)) => prop_assert!(false, "infeasible where microlp finds {v}"),
                // the row it stopped at is the proof
                (Ended::Infeasible(r), None) => prop_assert!(cold.proves_infeasible(r)),
                _ => {}
            }
            let half = rows.len() / 2;
            let mut hi2 = hi.clone();
            hi2[0] *= 0.5;
            let mut warm = Tableau::new(&c, &lo, &hi, rows[..half].to_vec()).unwrap();
            if warm.solve(500) == Ended::Optimal {
                warm.set_bounds(0, 0.0, hi2[0]);
                warm.add_rows(rows[half..].to_vec());
                let want = reference(&c, &hi2, &rows);
                match (warm.solve(500), want) {
                    (Ended::Optimal, Some(v)) => {
                        prop_assert!(close(warm.objective(), v), "warm {} vs {v}", warm.objective());
                        prop_assert!(close(warm.priced_bound().0, v));
                    }
                    (Ended::Optimal, None) => prop_assert!(false, "warm optimal where microlp finds nothing"),
                    (Ended::Infeasible(_), Some(v)) => prop_assert!(false, "warm infeasible where microlp finds {v}"),
                    (Ended::Infeasible(r), None) => prop_assert!(warm.proves_infeasible(r)),
                    _ => {}
                }
            }
        }

        /// Lazy rows, as the spatial search holds them: no row at first, then each round the
        /// rows the answer breaks (rounds solved roughly, without the recomputation); once no
        /// row is broken the answer, confirmed, is the whole LP's optimum, and dropping the
        /// loose rows leaves its bound as it was.
        #[test]
        fn rows_added_when_broken_reach_the_whole_lps_optimum((c, hi, rows) in lp()) {
            let lo = vec![0.0; c.len()];
            let want = reference(&c, &hi, &rows);
            let mut tab = Tableau::new(&c, &lo, &hi, Vec::new()).unwrap();
            let mut held = vec![false; rows.len()];
            let mut settled = None;
            for _ in 0..=rows.len() {
                // as the search does: rough rounds, the last confirmed
                if tab.solve_rough(500) != Ended::Optimal {
                    break;
                }
                let x = tab.values();
                let broken: Vec<usize> = (0..rows.len()).filter(|&i| !held[i] && rows[i].broken_at(&x)).collect();
                if broken.is_empty() {
                    if tab.solve(500) == Ended::Optimal {
                        settled = Some(tab.objective());
                    }
                    break;
                }
                for &i in &broken {
                    held[i] = true;
                }
                tab.add_rows(broken.iter().map(|&i| rows[i].clone()).collect());
            }
            if let (Some(got), Some(v)) = (settled, want) {
                prop_assert!((got - v).abs() <= 1e-6 * (1.0 + v.abs()), "{got} vs {v}");
                prop_assert!((tab.priced_bound().0 - v).abs() <= 1e-6 * (1.0 + v.abs()));
                let before = tab.objective();
                tab.drop_loose_rows(1e-9);
                prop_assert!((tab.priced_bound().0 - before).abs() <= 1e-6 * (1.0 + v.abs()));
            }
            if settled.is_some() {
                prop_assert!(want.is_some(), "settled where microlp finds nothing");
            }
        }
    }
}
