//! Selecting modules: by a part's key or by a tag's value, for rollups, group rules and
//! capacities.

use crate::Plan;
use crate::error::ModelError;
use crate::model::parts::{Channel, Offer, PartKind, Segment, ValueProposition};

/// What to group modules by.
///
/// ```
/// use offergraph::{GroupBy, PartKind};
/// assert_ne!(GroupBy::Part(PartKind::Channel), GroupBy::Tag("region".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupBy {
    /// By the key of the module's part of this kind.
    Part(PartKind),
    /// By the value of a tag (see [`Plan::effective_tags`]); modules without it go to
    /// [`GroupBy::UNTAGGED`].
    Tag(String),
}

impl GroupBy {
    /// Group key used for modules that do not carry the tag being rolled up.
    ///
    /// ```
    /// assert_eq!(offergraph::GroupBy::UNTAGGED, "(untagged)");
    /// ```
    pub const UNTAGGED: &'static str = "(untagged)";

    /// The group a module falls in: its part's key, or its effective tag's value
    /// ([`GroupBy::UNTAGGED`] without one). Every rollup groups by it.
    pub(crate) fn key_of<'a>(&self, plan: &'a Plan, m: &'a crate::model::module::ModuleData) -> &'a str {
        match self {
            GroupBy::Part(kind) => plan.part_key_of(*kind, m),
            GroupBy::Tag(name) => {
                plan.tag_sources(m).iter().find_map(|t| t.get(name)).map_or(GroupBy::UNTAGGED, String::as_str)
            }
        }
    }
}

/// Which modules a group rule or capacity applies to: those whose part (or tag) has this value.
///
/// ```
/// use offergraph::{GroupBy, PartKind, Selector};
/// let search = Selector::new(GroupBy::Part(PartKind::Channel), "search");
/// assert_eq!(search.to_string(), "channel \"search\"");
/// let north = Selector::new(GroupBy::Tag("region".into()), "north");
/// assert_eq!(north.to_string(), "tag region = \"north\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub(crate) by: GroupBy,
    pub(crate) value: String,
}

impl Selector {
    /// Modules whose part of a kind has key `value`, or whose effective tag has value `value`.
    ///
    /// ```
    /// use offergraph::{GroupBy, PartKind, Selector};
    /// assert_eq!(Selector::new(GroupBy::Part(PartKind::Segment), "smb").value(), "smb");
    /// ```
    pub fn new(by: GroupBy, value: impl Into<String>) -> Selector {
        Selector { by, value: value.into() }
    }

    /// What the selector groups by.
    ///
    /// ```
    /// use offergraph::{GroupBy, PartKind, Selector};
    /// let s = Selector::new(GroupBy::Part(PartKind::Offer), "o");
    /// assert_eq!(s.by(), &GroupBy::Part(PartKind::Offer));
    /// ```
    pub fn by(&self) -> &GroupBy {
        &self.by
    }

    /// The part key or tag value.
    ///
    /// ```
    /// use offergraph::{GroupBy, Selector};
    /// assert_eq!(Selector::new(GroupBy::Tag("tier".into()), "premium").value(), "premium");
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Plan positions of the modules it selects.
    ///
    /// A selector that selects nothing is an error naming `owner` (`capacity "sales"`): a
    /// misspelt tag would otherwise make a cap or floor silently disappear.
    pub(crate) fn members(&self, plan: &Plan, owner: &str) -> Result<Vec<usize>, ModelError> {
        if let GroupBy::Part(kind) = &self.by {
            let exists = match kind {
                PartKind::Segment => plan.part_id::<Segment>(&self.value).is_ok(),
                PartKind::Proposition => plan.part_id::<ValueProposition>(&self.value).is_ok(),
                PartKind::Offer => plan.part_id::<Offer>(&self.value).is_ok(),
                PartKind::Channel => plan.part_id::<Channel>(&self.value).is_ok(),
            };
            if !exists {
                return Err(ModelError::Unknown {
                    entity: kind.name(),
                    key: self.value.clone(),
                    referrer: owner.to_owned(),
                });
            }
        }
        let tag_of = |m: &crate::Module<'_>, name: &str| -> Option<String> {
            plan.tag_sources(m.data).iter().find_map(|t| t.get(name)).cloned()
        };
        let members: Vec<usize> = plan
            .modules()
            .enumerate()
            .filter(|(_, m)| match &self.by {
                GroupBy::Part(kind) => plan.part_key_of(*kind, m.data) == self.value,
                GroupBy::Tag(name) => tag_of(m, name).is_some_and(|v| v == self.value),
            })
            .map(|(i, _)| i)
            .collect();
        if !members.is_empty() {
            return Ok(members);
        }
        let problem = match &self.by {
            GroupBy::Part(_) => format!("{self} has no modules"),
            GroupBy::Tag(name) => {
                let mut values: Vec<String> = plan.modules().filter_map(|m| tag_of(&m, name)).collect();
                values.sort();
                values.dedup();
                if values.is_empty() {
                    format!("no module has a tag `{name}`; check its spelling")
                } else {
                    format!("no module has {self}; the modules' values of `{name}` are {}", values.join(", "))
                }
            }
        };
        Err(ModelError::InvalidPolicy { what: owner.to_owned(), problem })
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.by {
            GroupBy::Part(kind) => write!(f, "{kind} \"{}\"", self.value),
            GroupBy::Tag(name) => write!(f, "tag {name} = \"{}\"", self.value),
        }
    }
}
