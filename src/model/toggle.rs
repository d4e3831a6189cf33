//! Switching modules and parts off and on, and asking why a module is off.
//!
//! A module is active when it and its four parts are switched on. Switching a part touches only
//! the modules attached to it in the graph, so a toggle costs time in proportion to the modules it
//! affects, not to the plan.

use serde::Serialize;

use crate::error::ModelError;
use crate::model::parts::PartKind;
use crate::model::plan::{Plan, unknown};
use crate::model::table::Entry;

/// Why a module is not active.
///
/// ```
/// use offergraph::{OffReason, PartKind};
/// let r = OffReason::Part { kind: PartKind::Channel, key: "search".into() };
/// assert_eq!(r.to_string(), "channel \"search\" is switched off");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum OffReason {
    /// The module itself is switched off.
    Module,
    /// One of its parts is switched off.
    Part {
        /// Kind of the part.
        kind: PartKind,
        /// Key of the part.
        key: String,
    },
}

impl std::fmt::Display for OffReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OffReason::Module => f.write_str("the module is switched off"),
            OffReason::Part { kind, key } => write!(f, "{kind} \"{key}\" is switched off"),
        }
    }
}

impl Plan {
    /// Switches a module on or off.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such module.
    ///
    /// ```
    /// # let mut plan = offergraph::sample::apartments()?;
    /// plan.set_module_enabled("investors/yield/1-room/outdoor", false)?;
    /// assert!(!plan.module("investors/yield/1-room/outdoor")?.is_active());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_module_enabled(&mut self, key: &str, on: bool) -> Result<(), ModelError> {
        let i = self.index_of(key)?;
        self.modules.items[i].switched_on = on;
        self.hot[i].active = on && self.parts_on(&self.modules.items[i]);
        Ok(())
    }

    /// Switches a part on or off; every module through it follows.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such part.
    ///
    /// ```
    /// use offergraph::PartKind;
    /// # let mut plan = offergraph::sample::apartments()?;
    /// plan.set_part_enabled(PartKind::Segment, "investors", false)?;
    /// let active = plan.modules().filter(|m| m.is_active()).count();
    /// assert_eq!(active, 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_part_enabled(&mut self, kind: PartKind, key: &str, on: bool) -> Result<(), ModelError> {
        fn flip<I: Copy + Eq + std::hash::Hash + Into<uuid::Uuid>, T>(
            t: &mut crate::model::table::Table<I, Entry<T>>,
            key: &str,
            on: bool,
        ) -> Result<petgraph::stable_graph::NodeIndex, ModelError> {
            let entity = t.entity;
            let e = t.get_mut(key).ok_or_else(|| unknown(entity, key))?;
            e.switched_on = on;
            Ok(e.node)
        }
        let node = match kind {
            PartKind::Segment => flip(&mut self.segments, key, on)?,
            PartKind::Proposition => flip(&mut self.propositions, key, on)?,
            PartKind::Offer => flip(&mut self.offers, key, on)?,
            PartKind::Channel => flip(&mut self.channels, key, on)?,
        };
        let users: Vec<usize> =
            self.modules_at(node).filter_map(|id| self.modules.items.get_index_of(&id)).collect();
        for i in users {
            let m = &self.modules.items[i];
            self.hot[i].active = m.switched_on && self.parts_on(m);
        }
        Ok(())
    }

    /// Whether a part is switched on.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such part.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert!(plan.is_part_enabled(offergraph::PartKind::Offer, "2-room")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_part_enabled(&self, kind: PartKind, key: &str) -> Result<bool, ModelError> {
        Ok(self.part_node(kind, key)?.1)
    }

    /// Why a module is off: empty when it is active, otherwise every reason in the order module,
    /// segment, value proposition, offer, channel.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such module.
    ///
    /// ```
    /// use offergraph::{OffReason, PartKind};
    /// # let mut plan = offergraph::sample::apartments()?;
    /// plan.set_part_enabled(PartKind::Channel, "search", false)?;
    /// let why = plan.why_off("families/playground/2-room/search")?;
    /// assert_eq!(why, [OffReason::Part { kind: PartKind::Channel, key: "search".into() }]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn why_off(&self, module: &str) -> Result<Vec<OffReason>, ModelError> {
        let m = self.module(module)?.data;
        let mut why = Vec::new();
        if !m.switched_on {
            why.push(OffReason::Module);
        }
        for kind in PartKind::ALL {
            let key = self.part_key_of(kind, m);
            if !self.part_node(kind, key)?.1 {
                why.push(OffReason::Part { kind, key: key.to_owned() });
            }
        }
        Ok(why)
    }

    fn parts_on(&self, m: &crate::model::module::ModuleData) -> bool {
        self.segments.items[&m.segment].switched_on
            && self.propositions.items[&m.proposition].switched_on
            && self.offers.items[&m.offer].switched_on
            && self.channels.items[&m.channel].switched_on
    }
}
