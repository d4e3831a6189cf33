//! Editing and removing parts: every module a part's change reaches is recomposed (or removed)
//! and named, so a caller knows which figures the edit moved.

use std::any::Any;

use petgraph::stable_graph::NodeIndex;

use crate::error::ModelError;
use crate::model::parts::{PartKind, ValueProposition};
use crate::model::plan::{Part, Plan, fresh_revision, unknown};

/// What [`Plan::remove_part`] does with the modules built on the part.
///
/// ```
/// assert_eq!(offergraph::Removal::default(), offergraph::Removal::IfUnused);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Removal {
    /// Refuse while any module uses the part ([`ModelError::PartInUse`] names them).
    #[default]
    IfUnused,
    /// Remove the modules that use the part together with it.
    WithModules,
}

/// What [`Plan::remove_part`] removed besides the part.
///
/// ```
/// use offergraph::{Channel, Removal};
/// let mut plan = offergraph::sample::apartments()?;
/// let removed = plan.remove_part::<Channel>("outdoor", Removal::WithModules)?;
/// assert_eq!(removed.modules, ["investors/yield/1-room/outdoor"]);
/// assert!(removed.audiences.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Removed {
    /// Keys of the modules removed with the part, in their former plan order.
    pub modules: Vec<String>,
    /// For a segment: keys of the value propositions whose audience listed it (it was taken out).
    pub audiences: Vec<String>,
}

impl Plan {
    /// Edits a part in place and recomposes every module that uses it; returns the keys of those
    /// modules in plan order (the modules whose figures the edit may move). All or nothing: if
    /// the edit fails, or leaves a module invalid, the plan is unchanged.
    ///
    /// A value proposition's audience can be edited too
    /// ([`ValueProposition::add_segment`], [`remove_segment`](ValueProposition::remove_segment),
    /// [`set_segments`](ValueProposition::set_segments)): every segment it lists must exist, and
    /// it must keep every segment a module addresses with it.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] (the part, or a segment a proposition's audience lists), the
    /// closure's error, [`ModelError::AudienceInUse`], or a composition error such as
    /// [`ModelError::ConversionAboveOne`].
    ///
    /// ```
    /// use offergraph::{Segment, ValueProposition};
    /// # let mut plan = offergraph::sample::apartments()?;
    /// let affected = plan.edit_part::<Segment, _>("families", |s| s.set_base_conversion(0.27))?;
    /// assert_eq!(affected, ["families/playground/2-room/search", "families/playground/3-room/social", "families/mortgage/2-room/social"]);
    /// let c = plan.module("families/playground/2-room/search")?.economics().conversion;
    /// assert!((c - 0.27).abs() < 1e-12);
    /// // The playground proposition now speaks to investors too.
    /// plan.edit_part::<ValueProposition, _>("playground", |v| Ok(_ = v.add_segment("investors")))?;
    /// assert!(plan.part::<ValueProposition>("playground")?.speaks_to("investors"));
    /// let err = plan.edit_part::<ValueProposition, _>("playground", |v| Ok(_ = v.remove_segment("families"))).unwrap_err();
    /// assert_eq!(err.to_string(), "value proposition \"playground\" must keep segment \"families\" in its audience: module(s) \"families/playground/2-room/search\", \"families/playground/3-room/social\" address it; remove or re-point them first");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn edit_part<P: Part, F>(&mut self, key: &str, edit: F) -> Result<Vec<String>, ModelError>
    where
        F: FnOnce(&mut P) -> Result<(), ModelError>,
    {
        let entry = P::table(self).get(key).ok_or_else(|| unknown(P::table(self).entity, key))?;
        let node = entry.node;
        let mut part = entry.item.clone();
        // Setters never touch the key, so the part stays filed under `key`.
        edit(&mut part)?;
        let users = self.users_of(node);
        if let Some(vp) = (&part as &dyn Any).downcast_ref::<ValueProposition>() {
            self.check_audience(vp, &users)?;
        }
        let old = std::mem::replace(&mut self.entry_mut::<P>(key).item, part);
        let mut fresh = Vec::with_capacity(users.len());
        for &i in &users {
            match self.compose(&self.modules.items[i]) {
                Ok(e) => fresh.push(e),
                Err(err) => {
                    self.entry_mut::<P>(key).item = old;
                    return Err(err);
                }
            }
        }
        for (&i, e) in users.iter().zip(fresh) {
            self.hot[i].economics = e;
        }
        Ok(users.iter().map(|&i| self.modules.items[i].key.clone()).collect())
    }

    /// Removes a part. With [`Removal::IfUnused`] it refuses while modules use it; with
    /// [`Removal::WithModules`] it removes them too. A removed segment is also taken out of every
    /// value proposition's audience. Says what went with it.
    ///
    /// Through [`Scenario::edit`](crate::Scenario::edit) the time model drops its references to
    /// the part and its modules (a team's channel, a lag) and says which.
    ///
    /// # Errors
    /// [`ModelError::Unknown`]; [`ModelError::PartInUse`] naming the modules;
    /// [`ModelError::NamedByPolicy`] while the budget policy selects modules by this part. The
    /// plan is unchanged on error.
    ///
    /// ```
    /// use offergraph::{Channel, Removal};
    /// # let mut plan = offergraph::sample::apartments()?;
    /// let err = plan.remove_part::<Channel>("outdoor", Removal::IfUnused).unwrap_err();
    /// assert_eq!(err.to_string(), "channel \"outdoor\" is used by module(s) \"investors/yield/1-room/outdoor\"; remove or re-point them first, or remove them with it (Removal::WithModules)");
    /// let removed = plan.remove_part::<Channel>("outdoor", Removal::WithModules)?;
    /// assert_eq!(removed.modules, ["investors/yield/1-room/outdoor"]);
    /// assert_eq!(plan.module_count(), 5);
    /// assert!(plan.part::<Channel>("outdoor").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_part<P: Part>(&mut self, key: &str, removal: Removal) -> Result<Removed, ModelError> {
        let entity = P::table(self).entity;
        let node = P::table(self).get(key).ok_or_else(|| unknown(entity, key))?.node;
        if let Some(rule) = self.policy.rule_naming(P::KIND, key) {
            return Err(ModelError::NamedByPolicy { entity, key: key.to_owned(), rule });
        }
        let users = self.users_of(node);
        let modules: Vec<String> = users.iter().map(|&i| self.modules.items[i].key.clone()).collect();
        if removal == Removal::IfUnused && !modules.is_empty() {
            return Err(ModelError::PartInUse { entity, key: key.to_owned(), modules });
        }
        self.remove_positions(&users);
        let mut audiences = Vec::new();
        if P::KIND == PartKind::Segment {
            for e in self.propositions.items.values_mut() {
                if e.item.remove_segment(key) {
                    audiences.push(e.item.key.clone());
                }
            }
        }
        P::table_mut(self).remove(key);
        self.graph.remove_node(node);
        Ok(Removed { modules, audiences })
    }

    /// Plan positions of the modules attached to a part's node, in plan order.
    fn users_of(&self, node: NodeIndex) -> Vec<usize> {
        let mut users: Vec<usize> =
            self.modules_at(node).filter_map(|id| self.modules.items.get_index_of(&id)).collect();
        users.sort_unstable();
        users
    }

    fn entry_mut<P: Part>(&mut self, key: &str) -> &mut crate::model::table::Entry<P> {
        P::table_mut(self).get_mut(key).expect("the caller looked the key up")
    }

    /// Every segment `vp` lists exists, and every module among `users` (the proposition's
    /// modules) addresses a segment it still lists.
    fn check_audience(&self, vp: &ValueProposition, users: &[usize]) -> Result<(), ModelError> {
        for s in vp.segments() {
            self.segments.resolve(s, || format!("value proposition \"{}\"", vp.key))?;
        }
        let segment_of = |i: usize| self.segments.items[&self.modules.items[i].segment].item.key.as_str();
        let Some(lost) = users.iter().map(|&i| segment_of(i)).find(|s| !vp.speaks_to(s)) else {
            return Ok(());
        };
        let modules = users
            .iter()
            .filter(|&&i| segment_of(i) == lost)
            .map(|&i| self.modules.items[i].key.clone())
            .collect();
        Err(ModelError::AudienceInUse { proposition: vp.key.clone(), segment: lost.to_owned(), modules })
    }

    /// Removes the modules at sorted plan positions in one pass (removing them one by one would
    /// shift the hot array once per module).
    fn remove_positions(&mut self, positions: &[usize]) {
        if positions.is_empty() {
            return;
        }
        for &i in positions {
            let m = &self.modules.items[i];
            self.graph.remove_node(m.node);
        }
        let keys: Vec<String> = positions.iter().map(|&i| self.modules.items[i].key.clone()).collect();
        for key in &keys {
            self.modules.forget_key(key);
        }
        let doomed = |i: usize| positions.binary_search(&i).is_ok();
        let mut i = 0;
        self.modules.items.retain(|_, _| {
            i += 1;
            !doomed(i - 1)
        });
        let mut i = 0;
        self.hot.retain(|_| {
            i += 1;
            !doomed(i - 1)
        });
        self.revision = fresh_revision();
    }
}
