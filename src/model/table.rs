//! A keyed, ordered table of one kind of entity, tied to a node of the plan's graph.

use std::collections::HashMap;
use std::hash::Hash;

use indexmap::IndexMap;
use petgraph::stable_graph::NodeIndex;

use crate::error::ModelError;

/// One stored entity with its switch and graph node.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<T> {
    pub item: T,
    pub switched_on: bool,
    pub node: NodeIndex,
}

/// Entities of one kind in insertion order, looked up by id or key.
///
/// The `HashMap` is only used for lookups, never iterated, so output order stays deterministic.
#[derive(Debug, Clone)]
pub struct Table<Id, T> {
    pub entity: &'static str,
    pub items: IndexMap<Id, T>,
    by_key: HashMap<String, Id>,
}

impl<Id: Copy + Eq + Hash + Into<uuid::Uuid>, T> Table<Id, T> {
    pub fn new(entity: &'static str) -> Self {
        Table { entity, items: IndexMap::new(), by_key: HashMap::new() }
    }

    /// Checks that `id` and `key` are both free.
    pub fn check_free(&self, id: Id, key: &str) -> Result<(), ModelError> {
        if self.by_key.contains_key(key) {
            return Err(ModelError::DuplicateKey { entity: self.entity, key: key.to_owned() });
        }
        if self.items.contains_key(&id) {
            return Err(ModelError::DuplicateId { entity: self.entity, id: id.into(), key: key.to_owned() });
        }
        Ok(())
    }

    /// Inserts at the end (or at `at`); the caller has checked [`Table::check_free`].
    pub fn insert(&mut self, id: Id, key: String, item: T, at: Option<usize>) {
        self.by_key.insert(key, id);
        match at {
            Some(i) => {
                self.items.shift_insert(i, id, item);
            }
            None => {
                self.items.insert(id, item);
            }
        }
    }

    /// Removes by key, returning the position and item.
    pub fn remove(&mut self, key: &str) -> Option<(usize, Id, T)> {
        let id = self.by_key.remove(key)?;
        self.items.shift_remove_full(&id)
    }

    /// Drops `key` from the lookup; the caller removes its item from `items` itself.
    pub fn forget_key(&mut self, key: &str) {
        self.by_key.remove(key);
    }

    pub fn id(&self, key: &str) -> Option<Id> {
        self.by_key.get(key).copied()
    }

    /// Id of `key`, or an error naming who asked.
    pub fn resolve(&self, key: &str, referrer: impl FnOnce() -> String) -> Result<Id, ModelError> {
        self.id(key).ok_or_else(|| ModelError::Unknown {
            entity: self.entity,
            key: key.to_owned(),
            referrer: referrer(),
        })
    }

    pub fn get(&self, key: &str) -> Option<&T> {
        self.id(key).and_then(|id| self.items.get(&id))
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut T> {
        let id = self.id(key)?;
        self.items.get_mut(&id)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}
