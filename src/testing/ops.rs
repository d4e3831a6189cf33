//! Switch edits named by key, so a failing sequence reads as what it does.

use proptest::prelude::*;

use crate::error::ModelError;
use crate::testing::plans;
use crate::{Channel, Offer, PartKind, Plan, Segment, ValueProposition};

/// One edit of a plan's switches, by key, for toggle-sequence properties. It prints as what it
/// does (`switch off channel "c1"`), in `Debug` too, so a shrunk counterexample reads as a
/// script.
///
/// ```
/// use offergraph::testing::Op;
/// # let mut plan = offergraph::sample::apartments()?;
/// let op = Op::Module { key: "investors/yield/1-room/outdoor".into(), on: false };
/// assert_eq!(format!("{op:?}"), "switch off module \"investors/yield/1-room/outdoor\"");
/// op.apply(&mut plan)?;
/// assert!(!plan.module("investors/yield/1-room/outdoor")?.is_active());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Op {
    /// Switch a module on or off.
    Module {
        /// The module's key.
        key: String,
        /// New state.
        on: bool,
    },
    /// Switch a part on or off.
    Part {
        /// Kind of part.
        kind: PartKind,
        /// The part's key.
        key: String,
        /// New state.
        on: bool,
    },
}

impl Op {
    /// Applies the edit.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when the plan has no such module or part.
    ///
    /// ```
    /// use offergraph::{testing::Op, PartKind};
    /// # let mut plan = offergraph::sample::apartments()?;
    /// Op::Part { kind: PartKind::Channel, key: "search".into(), on: false }.apply(&mut plan)?;
    /// assert!(!plan.is_part_enabled(PartKind::Channel, "search")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&self, plan: &mut Plan) -> Result<(), ModelError> {
        match self {
            Op::Module { key, on } => plan.set_module_enabled(key, *on),
            Op::Part { kind, key, on } => plan.set_part_enabled(*kind, key, *on),
        }
    }

    /// The same edit switching to `on`.
    ///
    /// ```
    /// use offergraph::testing::Op;
    /// let off = Op::Module { key: "m0".into(), on: true }.with_on(false);
    /// assert_eq!(off.to_string(), "switch off module \"m0\"");
    /// ```
    #[must_use]
    pub fn with_on(mut self, state: bool) -> Op {
        match &mut self {
            Op::Module { on, .. } | Op::Part { on, .. } => *on = state,
        }
        self
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, key, on) = match self {
            Op::Module { key, on } => ("module", key, on),
            Op::Part { kind, key, on } => (kind.name(), key, on),
        };
        write!(f, "switch {} {what} \"{key}\"", if *on { "on" } else { "off" })
    }
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// Up to `len` switch edits of `plan`'s modules and parts, by key.
///
/// ```
/// use offergraph::testing::proptest::strategy::{Strategy, ValueTree};
/// let plan = offergraph::sample::apartments()?;
/// let mut runner = offergraph::testing::proptest::test_runner::TestRunner::deterministic();
/// let ops = offergraph::testing::ops(&plan, 4).new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// assert!(ops.len() <= 4);
/// for op in &ops {
///     op.apply(&mut plan.clone())?; // every key is the plan's
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ops(plan: &Plan, len: usize) -> impl Strategy<Value = Vec<Op>> + use<> {
    let mut targets: Vec<(Option<PartKind>, String)> =
        plan.modules().map(|m| (None, m.key().to_owned())).collect();
    let kinds = [
        (PartKind::Segment, plan.parts::<Segment>().map(|p| p.key().to_owned()).collect::<Vec<_>>()),
        (PartKind::Proposition, plan.parts::<ValueProposition>().map(|p| p.key().to_owned()).collect()),
        (PartKind::Offer, plan.parts::<Offer>().map(|p| p.key().to_owned()).collect()),
        (PartKind::Channel, plan.parts::<Channel>().map(|p| p.key().to_owned()).collect()),
    ];
    for (kind, keys) in kinds {
        targets.extend(keys.into_iter().map(|k| (Some(kind), k)));
    }
    let len = if targets.is_empty() { 0 } else { len };
    // `select` needs at least one choice; an empty plan gets no ops.
    let targets = if targets.is_empty() { vec![(None, String::new())] } else { targets };
    let op = (proptest::sample::select(targets), any::<bool>()).prop_map(|((kind, key), on)| match kind {
        None => Op::Module { key, on },
        Some(kind) => Op::Part { kind, key, on },
    });
    proptest::collection::vec(op, 0..=len)
}

/// A random plan ([`plans`]) with up to `len` switch edits of its own modules and parts.
///
/// ```
/// use offergraph::testing::proptest::strategy::{Strategy, ValueTree};
/// let mut runner = offergraph::testing::proptest::test_runner::TestRunner::deterministic();
/// let (mut plan, ops) = offergraph::testing::plans_with_ops(5, 3).new_tree(&mut runner).map_err(|r| r.to_string())?.current();
/// for op in &ops {
///     op.apply(&mut plan)?;
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plans_with_ops(max_modules: usize, len: usize) -> impl Strategy<Value = (Plan, Vec<Op>)> {
    plans(max_modules).prop_flat_map(move |plan| {
        let edits = ops(&plan, len);
        (Just(plan), edits)
    })
}
