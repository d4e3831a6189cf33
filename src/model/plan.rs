//! [`Plan`]: the module graph with its parts, modules and period budget.
//!
//! The plan wraps a petgraph `StableGraph` whose nodes are parts and modules and whose edges say
//! "this module uses this part". It keeps its invariants itself: keys and ids are unique per kind,
//! every module's parts exist and are compatible, and each module's economics and active state are
//! current. Every mutator either succeeds whole or returns an error and changes nothing.

use petgraph::stable_graph::{NodeIndex, StableGraph};

use crate::Money;
use crate::error::ModelError;
use crate::model::ids::{ChannelId, ModuleId, OfferId, PropositionId, SegmentId};
use crate::model::module::{Economics, Hot, Module, ModuleData, ModuleSpec, Overrides};
use crate::model::parts::{Channel, Offer, PartKind, Segment, Tags, ValueProposition};
use crate::model::policy::BudgetPolicy;
use crate::model::rule::BudgetRule;
use crate::model::table::{Entry, Table};

/// A node of the plan's graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Node {
    Part(PartKind),
    Module(ModuleId),
}

/// A marketing plan for one period: parts, modules built from them, and the period's budget.
///
/// # Example
/// ```
/// use offergraph::{curves::Exponential, Channel, ModuleSpec, Money, Offer, Plan, Segment, ValueProposition};
/// let mut plan = Plan::new("q3", Money::new(30_000.0)?);
/// plan.add_part(Segment::new("families", 40_000.0, 0.14)?)?;
/// plan.add_part(ValueProposition::new("playground", 1.0, ["families"])?)?;
/// plan.add_part(Offer::new("2-room", 100_000.0, 0.2, 1.0)?)?;
/// plan.add_part(Channel::new("search", Exponential::new(600.0, 25_000.0)?.into(), 40_000.0)?)?;
/// plan.add_module(ModuleSpec::new("families", "playground", "2-room", "search"))?;
/// let eval = plan.evaluate()?;
/// assert_eq!(eval.total().spend, 30_000.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// `Debug` prints the plan file (see `Plan::to_json`), so a plan in a failing assertion or
/// property test can be loaded again.
#[derive(Clone)]
pub struct Plan {
    pub(in crate::model) name: String,
    pub(in crate::model) budget: Money,
    pub(in crate::model) policy: BudgetPolicy,
    pub(in crate::model) segments: Table<SegmentId, Entry<Segment>>,
    pub(in crate::model) propositions: Table<PropositionId, Entry<ValueProposition>>,
    pub(in crate::model) offers: Table<OfferId, Entry<Offer>>,
    pub(in crate::model) channels: Table<ChannelId, Entry<Channel>>,
    pub(in crate::model) modules: Table<ModuleId, ModuleData>,
    /// Hot per-module data, aligned with `modules` (same index, same order).
    pub(in crate::model) hot: Vec<Hot>,
    /// Changes whenever modules are added or removed; allocations and evaluations carry the
    /// revision they were made for, so a stale one is detected without comparing ids.
    pub(in crate::model) revision: u64,
    pub(in crate::model) graph: StableGraph<Node, ()>,
}

/// A revision number no plan has used yet (unique across all plans in the process, so two
/// clones edited differently never share one).
pub(crate) fn fresh_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A part kind a [`Plan`] can hold: [`Segment`], [`ValueProposition`], [`Offer`] or [`Channel`].
///
/// Sealed: implemented by the four part types only. It lets one generic method serve all four
/// (`plan.add_part(segment)`, `plan.part::<Offer>("2-room")`).
pub trait Part: Clone + 'static + sealed::Sealed {
    /// The typed id of this kind.
    type Id: Copy + Eq + std::hash::Hash + Into<uuid::Uuid> + std::fmt::Debug;
    /// The kind.
    const KIND: PartKind;
    /// Human key.
    fn part_key(&self) -> &str;
    /// Tags.
    fn part_tags(&self) -> &Tags;
    /// The reproducible id for a key.
    fn id_for_key(key: &str) -> Self::Id;
    /// An id from a uuid.
    fn id_for_uuid(id: uuid::Uuid) -> Self::Id;
    #[doc(hidden)]
    fn table(plan: &Plan) -> &Table<Self::Id, Entry<Self>>;
    #[doc(hidden)]
    fn table_mut(plan: &mut Plan) -> &mut Table<Self::Id, Entry<Self>>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Segment {}
    impl Sealed for super::ValueProposition {}
    impl Sealed for super::Offer {}
    impl Sealed for super::Channel {}
}

macro_rules! part_impl {
    ($t:ty, $id:ty, $kind:expr, $field:ident) => {
        impl Part for $t {
            type Id = $id;
            const KIND: PartKind = $kind;
            fn part_key(&self) -> &str {
                &self.key
            }
            fn part_tags(&self) -> &Tags {
                &self.tags
            }
            fn id_for_key(key: &str) -> $id {
                <$id>::from_key(key)
            }
            fn id_for_uuid(id: uuid::Uuid) -> $id {
                <$id>::from_uuid(id)
            }
            fn table(plan: &Plan) -> &Table<$id, Entry<$t>> {
                &plan.$field
            }
            fn table_mut(plan: &mut Plan) -> &mut Table<$id, Entry<$t>> {
                &mut plan.$field
            }
        }
    };
}
part_impl!(Segment, SegmentId, PartKind::Segment, segments);
part_impl!(ValueProposition, PropositionId, PartKind::Proposition, propositions);
part_impl!(Offer, OfferId, PartKind::Offer, offers);
part_impl!(Channel, ChannelId, PartKind::Channel, channels);

/// A module ready to insert: resolved, validated and composed, not yet in the plan.
pub(crate) struct Prepared {
    pub data: ModuleData,
    pub hot: Hot,
    pub parts: [NodeIndex; 4],
}

impl Plan {
    /// An empty plan with a budget for the period.
    ///
    /// ```
    /// let plan = offergraph::Plan::new("q3", offergraph::Money::new(1e5)?);
    /// assert_eq!(plan.budget().get(), 1e5);
    /// assert_eq!(plan.modules().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(name: impl Into<String>, budget: Money) -> Plan {
        Plan {
            name: name.into(),
            budget,
            policy: BudgetPolicy::default(),
            segments: Table::new("segment"),
            propositions: Table::new("value proposition"),
            offers: Table::new("offer"),
            channels: Table::new("channel"),
            modules: Table::new("module"),
            hot: Vec::new(),
            revision: fresh_revision(),
            graph: StableGraph::new(),
        }
    }

    /// The plan's name.
    ///
    /// ```
    /// assert_eq!(offergraph::Plan::new("q3", offergraph::Money::ZERO).name(), "q3");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The period's total budget.
    ///
    /// ```
    /// assert_eq!(offergraph::Plan::new("q", offergraph::Money::constant(5.0)).budget().get(), 5.0);
    /// ```
    pub fn budget(&self) -> Money {
        self.budget
    }

    /// Changes the period's total budget.
    ///
    /// ```
    /// let mut plan = offergraph::Plan::new("q", offergraph::Money::ZERO);
    /// plan.set_budget(offergraph::Money::new(10.0)?);
    /// assert_eq!(plan.budget().get(), 10.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_budget(&mut self, budget: Money) {
        self.budget = budget;
    }

    /// How the budget is split among modules.
    ///
    /// ```
    /// let plan = offergraph::Plan::new("q", offergraph::Money::ZERO);
    /// assert_eq!(plan.budget_policy(), &offergraph::BudgetPolicy::Rules);
    /// ```
    pub fn budget_policy(&self) -> &BudgetPolicy {
        &self.policy
    }

    /// Sets how the budget is split among modules.
    ///
    /// ```
    /// let mut plan = offergraph::Plan::new("q", offergraph::Money::ZERO);
    /// plan.set_budget_policy(offergraph::BudgetPolicy::Rules);
    /// assert_eq!(plan.budget_policy(), &offergraph::BudgetPolicy::Rules);
    /// ```
    pub fn set_budget_policy(&mut self, policy: BudgetPolicy) {
        self.policy = policy;
    }

    /// Adds a part; its id is derived from its key.
    ///
    /// # Errors
    /// [`ModelError::DuplicateKey`] or [`ModelError::DuplicateId`]; for a value proposition,
    /// [`ModelError::Unknown`] when it lists a segment the plan does not have.
    ///
    /// ```
    /// use offergraph::{Plan, Money, Segment, ValueProposition};
    /// let mut plan = Plan::new("q", Money::ZERO);
    /// plan.add_part(Segment::new("families", 100.0, 0.1)?)?;
    /// let err = plan.add_part(Segment::new("families", 50.0, 0.1)?).unwrap_err();
    /// assert_eq!(err.to_string(), "duplicate segment key \"families\"");
    /// let err = plan.add_part(ValueProposition::new("yield", 1.0, ["investors"])?).unwrap_err();
    /// assert_eq!(err.to_string(), "value proposition \"yield\" refers to segment \"investors\", which the plan does not have");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_part<P: Part>(&mut self, part: P) -> Result<P::Id, ModelError> {
        let id = P::id_for_key(part.part_key());
        self.add_part_with_id(part, id)
    }

    /// Adds a part under an explicit id (plan files carry ids).
    ///
    /// # Errors
    /// As [`Plan::add_part`].
    ///
    /// ```
    /// use offergraph::{Plan, Money, Segment};
    /// use offergraph::ids::SegmentId;
    /// let mut plan = Plan::new("q", Money::ZERO);
    /// let id = SegmentId::from_uuid(uuid::Uuid::from_u128(7));
    /// assert_eq!(plan.add_part_with_id(Segment::new("a", 1.0, 0.1)?, id)?, id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_part_with_id<P: Part>(&mut self, part: P, id: P::Id) -> Result<P::Id, ModelError> {
        P::table(self).check_free(id, part.part_key())?;
        if let Some(vp) = (&part as &dyn std::any::Any).downcast_ref::<ValueProposition>() {
            for s in vp.segments() {
                self.segments.resolve(s, || format!("value proposition \"{}\"", vp.key))?;
            }
        }
        let node = self.graph.add_node(Node::Part(P::KIND));
        let key = part.part_key().to_owned();
        P::table_mut(self).insert(id, key, Entry { item: part, switched_on: true, node }, None);
        Ok(id)
    }

    /// A part by key.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such part.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let offer = plan.part::<offergraph::Offer>("2-room")?;
    /// assert_eq!(offer.deal_value(), 95_000.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn part<P: Part>(&self, key: &str) -> Result<&P, ModelError> {
        let t = P::table(self);
        t.get(key).map(|e| &e.item).ok_or_else(|| unknown(t.entity, key))
    }

    /// All parts of one kind, in declaration order.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let keys: Vec<_> = plan.parts::<offergraph::Channel>().map(|c| c.key()).collect();
    /// assert_eq!(keys, ["search", "social", "outdoor"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parts<P: Part>(&self) -> impl Iterator<Item = &P> {
        P::table(self).items.values().map(|e| &e.item)
    }

    /// All parts of one kind with their ids and own switches, in declaration order (for files).
    pub(crate) fn part_entries<P: Part>(&self) -> impl Iterator<Item = (P::Id, &P, bool)> {
        P::table(self).items.iter().map(|(id, e)| (*id, &e.item, e.switched_on))
    }

    /// The id of a part by key.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such part.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(plan.part_id::<offergraph::Channel>("search")?, offergraph::ids::ChannelId::from_key("search"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn part_id<P: Part>(&self, key: &str) -> Result<P::Id, ModelError> {
        let t = P::table(self);
        t.id(key).ok_or_else(|| unknown(t.entity, key))
    }

    /// Ids of the modules attached to a graph node (the modules using a part).
    pub(crate) fn modules_at(&self, node: NodeIndex) -> impl Iterator<Item = ModuleId> + '_ {
        self.graph.neighbors(node).filter_map(|n| match self.graph[n] {
            Node::Module(id) => Some(id),
            Node::Part(_) => None,
        })
    }

    /// Keys of the modules that use a part, in plan order.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such part.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let users = plan.modules_using(offergraph::PartKind::Channel, "outdoor")?;
    /// assert_eq!(users, ["investors/yield/1-room/outdoor"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modules_using(&self, kind: PartKind, key: &str) -> Result<Vec<&str>, ModelError> {
        let node = self.part_node(kind, key)?.0;
        let mut found: Vec<(usize, &str)> = self
            .modules_at(node)
            .filter_map(|id| self.modules.items.get_full(&id).map(|(i, _, m)| (i, m.key.as_str())))
            .collect();
        found.sort_unstable_by_key(|&(i, _)| i);
        Ok(found.into_iter().map(|(_, k)| k).collect())
    }

    /// Graph node and switch of any part, by kind and key.
    pub(crate) fn part_node(&self, kind: PartKind, key: &str) -> Result<(NodeIndex, bool), ModelError> {
        fn look<I: Copy + Eq + std::hash::Hash + Into<uuid::Uuid>, T>(
            t: &Table<I, Entry<T>>,
            key: &str,
        ) -> Result<(NodeIndex, bool), ModelError> {
            t.get(key).map(|e| (e.node, e.switched_on)).ok_or_else(|| unknown(t.entity, key))
        }
        match kind {
            PartKind::Segment => look(&self.segments, key),
            PartKind::Proposition => look(&self.propositions, key),
            PartKind::Offer => look(&self.offers, key),
            PartKind::Channel => look(&self.channels, key),
        }
    }

    /// Adds a module built from existing parts and returns its id (derived from its key unless
    /// the spec carries one).
    ///
    /// # Errors
    /// [`ModelError::Unknown`] for a missing part, [`ModelError::Incompatible`] when the value
    /// proposition does not speak to the segment, duplicates, invalid overrides or budget rule,
    /// and composition errors.
    ///
    /// ```
    /// use offergraph::ModuleSpec;
    /// # let mut plan = offergraph::sample::apartments()?;
    /// let err = plan.add_module(ModuleSpec::new("investors", "playground", "2-room", "search")).unwrap_err();
    /// assert_eq!(err.to_string(), "value proposition \"playground\" does not speak to segment \"investors\" (module \"investors/playground/2-room/search\"); add the segment to its audience or pick another proposition");
    /// let id = plan.add_module(ModuleSpec::new("first-time", "mortgage", "1-room", "social"))?;
    /// assert_eq!(id, offergraph::ids::ModuleId::from_key("first-time/mortgage/1-room/social"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_module(&mut self, spec: ModuleSpec) -> Result<ModuleId, ModelError> {
        let prepared = self.prepare(&spec)?;
        Ok(self.insert(prepared, None))
    }

    /// Resolves, validates and composes a module without inserting it.
    pub(crate) fn prepare(&self, spec: &ModuleSpec) -> Result<Prepared, ModelError> {
        let key = spec.module_key();
        spec.validate(&key)?;
        let id = spec.id.map_or_else(|| ModuleId::from_key(&key), ModuleId::from_uuid);
        self.modules.check_free(id, &key)?;
        let who = || format!("module \"{key}\"");
        let segment = self.segments.resolve(&spec.segment, who)?;
        let proposition = self.propositions.resolve(&spec.proposition, who)?;
        let offer = self.offers.resolve(&spec.offer, who)?;
        let channel = self.channels.resolve(&spec.channel, who)?;
        let vp = &self.propositions.items[&proposition];
        if !vp.item.speaks_to(&spec.segment) {
            return Err(ModelError::Incompatible {
                module: key,
                proposition: spec.proposition.clone(),
                segment: spec.segment.clone(),
            });
        }
        let (s, o, c) =
            (&self.segments.items[&segment], &self.offers.items[&offer], &self.channels.items[&channel]);
        let economics = Economics::compose(&key, &s.item, &vp.item, &o.item, &c.item, &spec.overrides)?;
        let active = spec.enabled && s.switched_on && vp.switched_on && o.switched_on && c.switched_on;
        Ok(Prepared {
            parts: [s.node, vp.node, o.node, c.node],
            data: ModuleData {
                id,
                key,
                segment,
                proposition,
                offer,
                channel,
                overrides: spec.overrides.clone(),
                tags: spec.tags.clone(),
                switched_on: spec.enabled,
                node: NodeIndex::end(),
            },
            hot: Hot { economics, rule: spec.rule, active },
        })
    }

    /// Inserts a prepared module (at the end, or at position `at`).
    pub(crate) fn insert(&mut self, prepared: Prepared, at: Option<usize>) -> ModuleId {
        let Prepared { mut data, hot, parts } = prepared;
        let id = data.id;
        let node = self.graph.add_node(Node::Module(id));
        for p in parts {
            self.graph.add_edge(p, node, ());
        }
        data.node = node;
        let key = data.key.clone();
        self.modules.insert(id, key, data, at);
        match at {
            Some(i) => self.hot.insert(i, hot),
            None => self.hot.push(hot),
        }
        self.revision = fresh_revision();
        id
    }

    /// Removes a module and returns its position in the plan's order.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such module.
    ///
    /// ```
    /// # let mut plan = offergraph::sample::apartments()?;
    /// assert_eq!(plan.remove_module("families/playground/2-room/search")?, 0);
    /// assert!(plan.module("families/playground/2-room/search").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_module(&mut self, key: &str) -> Result<usize, ModelError> {
        let (at, _, module) = self.modules.remove(key).ok_or_else(|| unknown("module", key))?;
        self.hot.remove(at);
        self.graph.remove_node(module.node);
        self.revision = fresh_revision();
        Ok(at)
    }

    /// A module by key.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such module.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(plan.module("nope").unwrap_err().to_string(), "call refers to module \"nope\", which the plan does not have");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module(&self, key: &str) -> Result<Module<'_>, ModelError> {
        let i = self.index_of(key)?;
        Ok(Module { data: &self.modules.items[i], hot: &self.hot[i] })
    }

    /// The hot per-module data (economics, budget rule, active flag), in plan order.
    pub(crate) fn hot(&self) -> &[Hot] {
        &self.hot
    }

    /// The cold per-module data (keys, part ids, overrides, tags), in plan order.
    pub(crate) fn module_data(&self) -> impl ExactSizeIterator<Item = &ModuleData> {
        self.modules.items.values()
    }

    /// The revision of the set and order of modules (see `Allocation`).
    pub(crate) fn revision(&self) -> u64 {
        self.revision
    }

    /// Position of a module in plan order, by id.
    pub(crate) fn position_of(&self, id: ModuleId) -> Option<usize> {
        self.modules.items.get_index_of(&id)
    }

    /// Key of the module at position `i` in plan order (`""` past the end).
    pub(crate) fn key_at(&self, i: usize) -> &str {
        self.modules.items.get_index(i).map_or("", |(_, m)| m.key.as_str())
    }

    /// Position of a module in plan order.
    pub(crate) fn index_of(&self, key: &str) -> Result<usize, ModelError> {
        self.modules
            .id(key)
            .and_then(|id| self.modules.items.get_index_of(&id))
            .ok_or_else(|| unknown("module", key))
    }

    /// All modules in plan order (switched off ones included).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(plan.modules().count(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn modules(&self) -> impl ExactSizeIterator<Item = Module<'_>> {
        self.modules.items.values().zip(&self.hot).map(|(data, hot)| Module { data, hot })
    }

    /// Number of modules.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(plan.module_count(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module_count(&self) -> usize {
        self.modules.len()
    }

    /// Changes a module's budget rule.
    ///
    /// # Errors
    /// [`ModelError::Unknown`]; an invalid rule.
    ///
    /// ```
    /// use offergraph::BudgetRule;
    /// # let mut plan = offergraph::sample::apartments()?;
    /// let err = plan.set_budget_rule("investors/yield/1-room/search", BudgetRule::weight(1.0).with_min(5.0).with_max(1.0)).unwrap_err();
    /// assert_eq!(err.to_string(), "module \"investors/yield/1-room/search\" budget: minimum 5 is above maximum 1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_budget_rule(&mut self, module: &str, rule: BudgetRule) -> Result<(), ModelError> {
        rule.validate(module)?;
        let i = self.index_of(module)?;
        self.hot[i].rule = rule;
        Ok(())
    }

    /// Replaces a module's measured overrides and recomposes its economics.
    ///
    /// # Errors
    /// [`ModelError::Unknown`]; invalid overrides or composition errors (the plan is unchanged).
    ///
    /// ```
    /// use offergraph::Overrides;
    /// # let mut plan = offergraph::sample::apartments()?;
    /// plan.set_overrides("investors/yield/1-room/search", Overrides { conversion: Some(0.3), ..Default::default() })?;
    /// assert_eq!(plan.module("investors/yield/1-room/search")?.economics().conversion, 0.3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_overrides(&mut self, module: &str, overrides: Overrides) -> Result<(), ModelError> {
        let i = self.index_of(module)?;
        let spec = ModuleSpec::new("", "", "", "").with_key(module).with_overrides(overrides.clone());
        spec.validate(module)?;
        let mut data = self.modules.items[i].clone();
        data.overrides = overrides;
        let e = self.compose(&data)?;
        self.modules.items[i] = data;
        self.hot[i].economics = e;
        Ok(())
    }

    /// Composes a stored module's economics from its current parts.
    pub(crate) fn compose(&self, m: &ModuleData) -> Result<Economics, ModelError> {
        Economics::compose(
            &m.key,
            &self.segments.items[&m.segment].item,
            &self.propositions.items[&m.proposition].item,
            &self.offers.items[&m.offer].item,
            &self.channels.items[&m.channel].item,
            &m.overrides,
        )
    }

    /// A module's effective tags: its own, then its segment's, value proposition's, offer's and
    /// channel's (the first one to define a tag name wins).
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such module.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let tags = plan.effective_tags("families/playground/2-room/search")?;
    /// assert_eq!(tags["region"], "north");
    /// assert_eq!(tags["category"], "2-room");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn effective_tags(&self, module: &str) -> Result<Tags, ModelError> {
        let m = self.module(module)?;
        let mut tags = Tags::new();
        for source in self.tag_sources(m.data) {
            for (k, v) in source {
                tags.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        Ok(tags)
    }

    /// The tag maps a module inherits from, in precedence order.
    pub(crate) fn tag_sources<'a>(&'a self, m: &'a ModuleData) -> [&'a Tags; 5] {
        [
            &m.tags,
            &self.segments.items[&m.segment].item.tags,
            &self.propositions.items[&m.proposition].item.tags,
            &self.offers.items[&m.offer].item.tags,
            &self.channels.items[&m.channel].item.tags,
        ]
    }

    /// Key of a part by id (ids held by modules always resolve).
    pub(crate) fn part_key_of(&self, kind: PartKind, m: &ModuleData) -> &str {
        match kind {
            PartKind::Segment => &self.segments.items[&m.segment].item.key,
            PartKind::Proposition => &self.propositions.items[&m.proposition].item.key,
            PartKind::Offer => &self.offers.items[&m.offer].item.key,
            PartKind::Channel => &self.channels.items[&m.channel].item.key,
        }
    }

    /// The keys of a module's four parts: segment, proposition, offer, channel.
    ///
    /// # Errors
    /// [`ModelError::Unknown`] when there is no such module.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let parts = plan.module_parts("families/playground/2-room/search")?;
    /// assert_eq!(parts, ["families", "playground", "2-room", "search"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn module_parts(&self, module: &str) -> Result<[&str; 4], ModelError> {
        let m = self.module(module)?;
        Ok(PartKind::ALL.map(|k| self.part_key_of(k, m.data)))
    }
}

pub(crate) fn unknown(entity: &'static str, key: &str) -> ModelError {
    ModelError::Unknown { entity, key: key.to_owned(), referrer: "call".to_owned() }
}
