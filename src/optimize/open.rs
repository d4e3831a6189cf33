//! The open nodes of a best-first branch and bound: a max-heap on the bound, the older node
//! first on ties (so the order, and the answer, never depend on the heap's internals).
//! [`Pool`] adds a second order, the newest node first, for dives towards a first feasible point.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

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

/// Open nodes taken either best-first or newest-first (a dive: the children of the last split,
/// so a dive goes down one branch until its box is small enough for the relaxation to be exact).
/// Both orders are fixed by the bounds and ids, never by the containers' internals.
#[derive(Debug)]
pub(crate) struct Pool<T> {
    /// `(bound, id)` of every open node, best first; entries of taken nodes are skipped.
    best: BinaryHeap<Open<()>>,
    /// Ids in the order they came, newest last; entries of taken nodes are skipped.
    newest: Vec<usize>,
    /// The open nodes by id (ids count up from 0).
    slots: Vec<Option<(f64, T)>>,
    open: usize,
}

impl<T> Pool<T> {
    /// An empty pool.
    pub(crate) fn new() -> Pool<T> {
        Pool { best: BinaryHeap::new(), newest: Vec::new(), slots: Vec::new(), open: 0 }
    }

    /// Adds a node with the bound it inherits; returns its id.
    pub(crate) fn push(&mut self, bound: f64, node: T) -> usize {
        let id = self.slots.len();
        self.slots.push(Some((bound, node)));
        self.best.push(Open { bound, id, node: () });
        self.newest.push(id);
        self.open += 1;
        id
    }

    /// The open node with the best bound (the oldest on ties), without taking it.
    pub(crate) fn peek_best(&mut self) -> Option<f64> {
        while let Some(top) = self.best.peek() {
            if self.slots[top.id].is_some() {
                return Some(top.bound);
            }
            self.best.pop();
        }
        None
    }

    /// Takes the open node with the best bound (the oldest on ties).
    pub(crate) fn pop_best(&mut self) -> Option<Open<T>> {
        while let Some(top) = self.best.pop() {
            if let Some(open) = self.take(top.id) {
                return Some(open);
            }
        }
        None
    }

    /// Takes the newest open node.
    pub(crate) fn pop_newest(&mut self) -> Option<Open<T>> {
        while let Some(id) = self.newest.pop() {
            if let Some(open) = self.take(id) {
                return Some(open);
            }
        }
        None
    }

    fn take(&mut self, id: usize) -> Option<Open<T>> {
        let (bound, node) = self.slots[id].take()?;
        self.open -= 1;
        Some(Open { bound, id, node })
    }

    /// The number of open nodes.
    pub(crate) fn len(&self) -> usize {
        self.open
    }

    /// The largest bound of the open nodes (−∞ when none is open).
    pub(crate) fn max_bound(&self) -> f64 {
        self.slots.iter().flatten().map(|(b, _)| *b).fold(f64::NEG_INFINITY, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::{Open, Pool};
    use std::collections::BinaryHeap;

    #[test]
    fn a_pool_gives_the_best_or_the_newest_and_each_node_once() {
        let mut pool = Pool::new();
        for (bound, name) in [(1.0, "a"), (3.0, "b"), (3.0, "c"), (2.0, "d")] {
            pool.push(bound, name);
        }
        assert_eq!(pool.pop_best().map(|o| o.node), Some("b"));
        assert_eq!(pool.pop_newest().map(|o| o.node), Some("d"));
        assert_eq!(pool.peek_best(), Some(3.0));
        assert_eq!(pool.pop_newest().map(|o| o.node), Some("c"));
        assert_eq!(pool.max_bound().to_bits(), 1.0f64.to_bits());
        assert_eq!(pool.pop_best().map(|o| (o.id, o.node)), Some((0, "a")));
        assert_eq!(pool.len(), 0);
        assert!(pool.pop_best().is_none() && pool.pop_newest().is_none());
    }

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
