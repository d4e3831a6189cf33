//! The open nodes of a best-first branch and bound: a max-heap on the bound, the older node
//! first on ties (so the order, and the answer, never depend on the heap's internals).

use std::cmp::Ordering;

/// A node waiting in the heap with the bound it inherited.
#[derive(Debug, Clone)]
pub(crate) struct Open<T> {
    pub bound: f64,
    pub id: usize,
    pub node: T,
}

impl<T> PartialEq for Open<T> {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl<T> Eq for Open<T> {}
impl<T> PartialOrd for Open<T> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<T> Ord for Open<T> {
    fn cmp(&self, o: &Self) -> Ordering {
        self.bound.total_cmp(&o.bound).then(o.id.cmp(&self.id))
    }
}

#[cfg(test)]
mod tests {
    use super::Open;
    use std::collections::BinaryHeap;

    #[test]
    fn the_best_bound_first_then_the_oldest() {
        let mut heap = BinaryHeap::new();
        for (bound, id) in [(1.0, 0), (3.0, 1), (3.0, 2), (2.0, 3)] {
            heap.push(Open { bound, id, node: () });
        }
        let order: Vec<usize> = std::iter::from_fn(|| heap.pop().map(|o| o.id)).collect();
        assert_eq!(order, [1, 2, 3, 0]);
    }
}
