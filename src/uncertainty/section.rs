//! [`Uncertainty`]: the distributions of a plan's uncertain numbers, per module and per part, and
//! their check against the plan.

use indexmap::IndexMap;

use crate::Plan;
use crate::error::UncertaintyError;
use crate::model::parts::PartKind;
use crate::numerics::ranges::{self, Range};
use crate::time::TimeRepair;
use crate::uncertainty::distribution::Distribution;

/// The uncertain numbers of one module or part: any of the lead scale (a multiplier on the
/// module's curve) and the conversion, deal value and margin (absolute values that replace the
/// module's own).
///
/// # Example
/// ```
/// use offergraph::uncertainty::{Distribution, Entry};
/// let e = Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.3)?);
/// assert!(e.lead_scale.is_some() && e.conversion.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In a plan file an entry is an object with any of the four names (and no other), each a
/// [`Distribution`].
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Entry {
    /// A multiplier on the curve (leads at every spend).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_scale: Option<Distribution>,
    /// Lead→deal conversion, in `[0, 1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversion: Option<Distribution>,
    /// Revenue per deal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal_value: Option<Distribution>,
    /// Gross margin, in `[0, 1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<Distribution>,
}

impl Entry {
    /// An entry with nothing uncertain.
    ///
    /// ```
    /// assert!(offergraph::uncertainty::Entry::new().is_empty());
    /// ```
    pub fn new() -> Entry {
        Entry::default()
    }

    /// `true` when the entry gives no distribution.
    ///
    /// ```
    /// use offergraph::uncertainty::{Distribution, Entry};
    /// assert!(!Entry::new().with_margin(Distribution::beta(3.0, 7.0)?).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, d)| d.is_none())
    }

    /// The fields with their names, in the order a draw takes them.
    pub(crate) fn fields(&self) -> [(Field, Option<Distribution>); 4] {
        [
            (Field::LeadScale, self.lead_scale),
            (Field::Conversion, self.conversion),
            (Field::DealValue, self.deal_value),
            (Field::Margin, self.margin),
        ]
    }
}

/// Builders of [`Entry`], one per field.
macro_rules! entry_builders {
    ($($(#[$meta:meta])* $name:ident sets $field:ident;)+) => {
        impl Entry {
            $(
                $(#[$meta])*
                #[must_use]
                pub fn $name(mut self, distribution: Distribution) -> Entry {
                    self.$field = Some(distribution);
                    self
                }
            )+
        }
    };
}

entry_builders! {
    /// The entry with an uncertain lead scale (a multiplier on the curve).
    ///
    /// ```
    /// use offergraph::uncertainty::{Distribution, Entry};
    /// let e = Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.2)?);
    /// assert_eq!(e.lead_scale, Some(Distribution::log_normal(1.0, 0.2)?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    with_lead_scale sets lead_scale;
    /// The entry with an uncertain conversion.
    ///
    /// ```
    /// use offergraph::uncertainty::{Distribution, Entry};
    /// let e = Entry::new().with_conversion(Distribution::beta(14.0, 86.0)?);
    /// assert!((e.conversion.unwrap().mean() - 0.14).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    with_conversion sets conversion;
    /// The entry with an uncertain deal value.
    ///
    /// ```
    /// use offergraph::uncertainty::{Distribution, Entry};
    /// let e = Entry::new().with_deal_value(Distribution::log_normal(95_000.0, 0.1)?);
    /// assert!(e.deal_value.is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    with_deal_value sets deal_value;
    /// The entry with an uncertain margin.
    ///
    /// ```
    /// use offergraph::uncertainty::{Distribution, Entry};
    /// let e = Entry::new().with_margin(Distribution::fixed(0.2)?);
    /// assert_eq!(e.margin, Some(Distribution::Fixed { value: 0.2 }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    with_margin sets margin;
}

/// One uncertain field of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    LeadScale,
    Conversion,
    DealValue,
    Margin,
}

impl Field {
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Field::LeadScale => "lead_scale",
            Field::Conversion => "conversion",
            Field::DealValue => "deal_value",
            Field::Margin => "margin",
        }
    }

    /// Whether `d` suits the field; the problem otherwise.
    fn check(self, d: &Distribution) -> Result<(), String> {
        let range = |what: &str, v: f64, r: Range| {
            r.check(v)
                .map(|_| ())
                .map_err(|expected| format!("{what} must be {expected}, found {}", crate::numerics::Shown(v)))
        };
        match (self, *d) {
            (Field::LeadScale, Distribution::LogNormal { median, .. }) => {
                range("the log-normal median", median, ranges::LEAD_MULTIPLIER)
            }
            (Field::LeadScale, Distribution::Fixed { value }) => {
                range("the fixed value", value, ranges::LEAD_MULTIPLIER)
            },
            (Field::Conversion | Field::Margin, Distribution::LogNormal { .. }) => Err(
                "a log-normal draw has no upper bound, but a rate must lie in [0, 1]; use a beta or a fixed value"
                    .to_owned(),
            ),
            (Field::Conversion | Field::Margin, Distribution::Fixed { value }) => {
                range("the fixed value", value, ranges::RATE)
            }
            (Field::DealValue, Distribution::LogNormal { median, .. }) => {
                range("the log-normal median", median, ranges::MONEY)
            }
            (Field::DealValue, Distribution::Fixed { value }) => range("the fixed value", value, ranges::MONEY),
            (Field::DealValue, Distribution::Beta { .. }) => Err(
                "a beta draw lies in [0, 1], which is not a deal value; use a log-normal or a fixed value".to_owned(),
            ),
            (Field::LeadScale | Field::Conversion | Field::Margin, Distribution::Beta { .. }) => Ok(()),
        }
    }
}

/// The `uncertainty` section of a scenario: distributions of a plan's uncertain numbers per
/// module key and per part key.
///
/// **Sharing.** A part's entry is drawn once per draw and shared by every module that uses the
/// part, so modules of one channel move together; a module's own entry is drawn for it alone.
/// **Precedence.** For each field a module takes its own entry if it has one; otherwise, for the
/// lead scale, the product of its parts' lead scales (the curve is composed as a product of its
/// parts' factors, so are their uncertainties); for conversion, deal value and margin, the first
/// of its segment's, proposition's, offer's and channel's entries that gives the field (the
/// precedence of effective tags). A field no entry gives keeps the module's value.
///
/// # Example
/// ```
/// use offergraph::PartKind;
/// use offergraph::uncertainty::{Distribution, Entry, Uncertainty};
/// let plan = offergraph::sample::apartments()?;
/// let u = Uncertainty::new()
///     .with_part(PartKind::Channel, "search", Entry::new().with_lead_scale(Distribution::log_normal(1.0, 0.3)?))
///     .with_module("families/playground/2-room/search", Entry::new().with_conversion(Distribution::beta(14.0, 86.0)?));
/// u.check(&plan)?;
/// let err = Uncertainty::new().with_part(PartKind::Channel, "radio", Entry::new()).check(&plan).unwrap_err();
/// assert_eq!(err.to_string(), "uncertainty refers to channel \"radio\", which the plan does not have");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Uncertainty {
    pub(crate) modules: IndexMap<String, Entry>,
    /// By part kind, in the order of [`PartKind::ALL`].
    pub(crate) parts: [IndexMap<String, Entry>; 4],
}

/// Position of a kind in [`PartKind::ALL`].
pub(crate) const fn kind_index(kind: PartKind) -> usize {
    match kind {
        PartKind::Segment => 0,
        PartKind::Proposition => 1,
        PartKind::Offer => 2,
        PartKind::Channel => 3,
    }
}

impl Uncertainty {
    /// A section with no entry: every draw is the plan itself.
    ///
    /// ```
    /// assert!(offergraph::uncertainty::Uncertainty::new().is_empty());
    /// ```
    pub fn new() -> Uncertainty {
        Uncertainty::default()
    }

    /// The section with `entry` for the module `key` (replacing any it had).
    ///
    /// ```
    /// use offergraph::uncertainty::{Distribution, Entry, Uncertainty};
    /// let u = Uncertainty::new().with_module("m", Entry::new().with_margin(Distribution::fixed(0.3)?));
    /// assert_eq!(u.module("m").and_then(|e| e.margin), Some(Distribution::Fixed { value: 0.3 }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_module(mut self, key: impl Into<String>, entry: Entry) -> Uncertainty {
        self.modules.insert(key.into(), entry);
        self
    }

    /// The section with `entry` for the part `key` of `kind` (replacing any it had).
    ///
    /// ```
    /// use offergraph::PartKind;
    /// use offergraph::uncertainty::{Distribution, Entry, Uncertainty};
    /// let u = Uncertainty::new().with_part(PartKind::Offer, "2-room", Entry::new().with_deal_value(Distribution::log_normal(95_000.0, 0.1)?));
    /// assert!(u.part(PartKind::Offer, "2-room").is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_part(mut self, kind: PartKind, key: impl Into<String>, entry: Entry) -> Uncertainty {
        self.parts[kind_index(kind)].insert(key.into(), entry);
        self
    }

    /// The entry of module `key`, if any.
    ///
    /// ```
    /// assert!(offergraph::uncertainty::Uncertainty::new().module("m").is_none());
    /// ```
    pub fn module(&self, key: &str) -> Option<&Entry> {
        self.modules.get(key)
    }

    /// The entry of the part `key` of `kind`, if any.
    ///
    /// ```
    /// use offergraph::PartKind;
    /// assert!(offergraph::uncertainty::Uncertainty::new().part(PartKind::Channel, "search").is_none());
    /// ```
    pub fn part(&self, kind: PartKind, key: &str) -> Option<&Entry> {
        self.parts[kind_index(kind)].get(key)
    }

    /// The module entries, in the section's order.
    ///
    /// ```
    /// use offergraph::uncertainty::{Entry, Uncertainty};
    /// let u = Uncertainty::new().with_module("b", Entry::new()).with_module("a", Entry::new());
    /// assert_eq!(u.modules().map(|(k, _)| k).collect::<Vec<_>>(), ["b", "a"]);
    /// ```
    pub fn modules(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.modules.iter().map(|(k, e)| (k.as_str(), e))
    }

    /// The entries of the parts of `kind`, in the section's order.
    ///
    /// ```
    /// use offergraph::PartKind;
    /// use offergraph::uncertainty::{Entry, Uncertainty};
    /// let u = Uncertainty::new().with_part(PartKind::Segment, "families", Entry::new());
    /// assert_eq!(u.parts(PartKind::Segment).count(), 1);
    /// ```
    pub fn parts(&self, kind: PartKind) -> impl Iterator<Item = (&str, &Entry)> {
        self.parts[kind_index(kind)].iter().map(|(k, e)| (k.as_str(), e))
    }

    /// `true` when no entry gives a distribution.
    ///
    /// ```
    /// use offergraph::uncertainty::{Entry, Uncertainty};
    /// assert!(Uncertainty::new().with_module("m", Entry::new()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries().all(|(_, _, e)| e.is_empty())
    }

    /// Every entry with its owner's kind (`"module"` or the part kind's name) and key: parts by
    /// kind, then modules, each in the section's order. Draws take their numbers in this order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&'static str, &str, &Entry)> {
        let parts = PartKind::ALL.into_iter().flat_map(move |kind| {
            self.parts[kind_index(kind)].iter().map(move |(k, e)| (kind.name(), k.as_str(), e))
        });
        parts.chain(self.modules.iter().map(|(k, e)| ("module", k.as_str(), e)))
    }

    /// Checks every key against the plan and every distribution against its field.
    ///
    /// # Errors
    /// [`UncertaintyError::UnknownKey`] for a module or part the plan does not have;
    /// [`UncertaintyError::Entry`] for a distribution that does not suit its field (a log-normal
    /// conversion or margin could exceed 1; a beta deal value lies in `[0, 1]`) or whose median or
    /// value is outside the field's range.
    ///
    /// ```
    /// use offergraph::PartKind;
    /// use offergraph::uncertainty::{Distribution, Entry, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let u = Uncertainty::new().with_part(PartKind::Segment, "families", Entry::new().with_conversion(Distribution::log_normal(0.14, 0.2)?));
    /// assert_eq!(u.check(&plan).unwrap_err().to_string(), "uncertainty of segment \"families\" field `conversion`: \
    ///     a log-normal draw has no upper bound, but a rate must lie in [0, 1]; use a beta or a fixed value");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, plan: &Plan) -> Result<(), UncertaintyError> {
        for kind in PartKind::ALL {
            for key in self.parts[kind_index(kind)].keys() {
                if plan.modules_using(kind, key).is_err() {
                    return Err(UncertaintyError::UnknownKey { entity: kind.name(), key: key.clone() });
                }
            }
        }
        for key in self.modules.keys() {
            if plan.module(key).is_err() {
                return Err(UncertaintyError::UnknownKey { entity: "module", key: key.clone() });
            }
        }
        for (entity, key, entry) in self.entries() {
            for (field, d) in entry.fields() {
                if let Some(problem) = d.and_then(|d| field.check(&d).err()) {
                    return Err(UncertaintyError::Entry {
                        entity,
                        key: key.to_owned(),
                        field: field.name(),
                        problem,
                    });
                }
            }
        }
        Ok(())
    }

    /// Drops the entries of modules and parts the plan no longer has, and says which.
    ///
    /// ```
    /// use offergraph::uncertainty::{Entry, Uncertainty};
    /// let mut plan = offergraph::sample::apartments()?;
    /// let key = "investors/yield/1-room/outdoor";
    /// let mut u = Uncertainty::new().with_module(key, Entry::new());
    /// plan.remove_module(key)?;
    /// let dropped = u.prune(&plan);
    /// assert_eq!(dropped[0].to_string(), format!("uncertainty referred to module \"{key}\", which the plan no longer has; dropped"));
    /// assert!(u.module(key).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn prune(&mut self, plan: &Plan) -> Vec<TimeRepair> {
        let mut dropped = Vec::new();
        for kind in PartKind::ALL {
            self.parts[kind_index(kind)].retain(|key, _| {
                let exists = plan.modules_using(kind, key).is_ok();
                if !exists {
                    dropped.push(TimeRepair::new("uncertainty", kind.name(), key));
                }
                exists
            });
        }
        self.modules.retain(|key, _| {
            let exists = plan.module(key).is_ok();
            if !exists {
                dropped.push(TimeRepair::new("uncertainty", "module", key));
            }
            exists
        });
        dropped
    }
}
