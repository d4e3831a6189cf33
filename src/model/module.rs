//! Modules: segment + value proposition + offer + channel, and the economics composed from them.

use uuid::Uuid;

use crate::curves::ResponseCurve;
use crate::error::ModelError;
use crate::model::ids::{ChannelId, ModuleId, OfferId, PropositionId, SegmentId};
use crate::model::parts::{Channel, Field, Offer, Segment, Tags, ValueProposition};
use crate::model::rule::BudgetRule;
use crate::numerics::ranges;

/// Measured values that replace a module's composed ones.
///
/// A brand-new combination of parts gets composed economics at once; once a module has run, its
/// measured curve, conversion, deal value or margin take over field by field.
///
/// # Example
/// ```
/// use offergraph::Overrides;
/// let o = Overrides { conversion: Some(0.27), ..Overrides::default() };
/// assert_eq!(o.conversion, Some(0.27));
/// assert!(o.curve.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Measured response curve of this very module (not scaled by audience or relevance).
    pub curve: Option<ResponseCurve>,
    /// Measured lead→deal conversion rate.
    pub conversion: Option<f64>,
    /// Measured revenue per deal.
    pub deal_value: Option<f64>,
    /// Measured gross margin.
    pub margin: Option<f64>,
}

impl Overrides {
    fn validate(&self, key: &str) -> Result<(), ModelError> {
        let f = Field { entity: "module", key };
        if let Some(curve) = &self.curve {
            // an override is saved with the plan, so it must be a curve a file can hold
            curve.checked().map_err(|source| ModelError::InvalidCurve {
                entity: "module",
                key: key.to_owned(),
                source,
            })?;
        }
        if let Some(c) = self.conversion {
            f.check("conversion", c, ranges::RATE)?;
        }
        if let Some(v) = self.deal_value {
            f.check("deal_value", v, ranges::MONEY)?;
        }
        if let Some(m) = self.margin {
            f.check("margin", m, ranges::RATE)?;
        }
        Ok(())
    }

    /// `true` when nothing is overridden.
    ///
    /// ```
    /// assert!(offergraph::Overrides::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.curve.is_none()
            && self.conversion.is_none()
            && self.deal_value.is_none()
            && self.margin.is_none()
    }
}

/// A module's economics, composed from its parts (see `docs/model.md`):
///
/// - leads `r(s)` = the channel's curve × relevance(value proposition) × audience(segment) /
///   reference audience(channel), unless the module overrides the curve;
/// - conversion `c` = base conversion(segment) × conversion factor(offer), at most 1;
/// - deal value `p` and margin `m` from the offer;
/// - value per lead `v = c·p·m`.
///
/// # Example
/// ```
/// use offergraph::{curves::Linear, Economics};
/// let e = Economics::new(Linear::new(100.0, None)?.into(), 0.14, 100_000.0, 0.2);
/// assert!((e.value_per_lead() - 2_800.0).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Economics {
    /// Leads as a function of spend.
    pub curve: ResponseCurve,
    /// Lead→deal conversion rate.
    pub conversion: f64,
    /// Revenue per deal.
    pub deal_value: f64,
    /// Gross-margin share of revenue.
    pub margin: f64,
}

impl Economics {
    /// Bundles already-validated economics.
    ///
    /// ```
    /// use offergraph::{curves::Linear, Economics};
    /// let e = Economics::new(Linear::new(10.0, None)?.into(), 0.5, 100.0, 0.5);
    /// assert_eq!(e.conversion, 0.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(curve: ResponseCurve, conversion: f64, deal_value: f64, margin: f64) -> Economics {
        Economics { curve, conversion, deal_value, margin }
    }

    /// Gross profit one lead brings: `c·p·m`.
    ///
    /// ```
    /// use offergraph::{curves::Linear, Economics};
    /// let e = Economics::new(Linear::new(10.0, None)?.into(), 0.5, 100.0, 0.5);
    /// assert_eq!(e.value_per_lead(), 25.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn value_per_lead(&self) -> f64 {
        self.conversion * self.deal_value * self.margin
    }

    /// Composes a module's economics from its parts and overrides.
    pub(crate) fn compose(
        module: &str,
        segment: &Segment,
        proposition: &ValueProposition,
        offer: &Offer,
        channel: &Channel,
        overrides: &Overrides,
    ) -> Result<Economics, ModelError> {
        let curve = match &overrides.curve {
            Some(c) => c.clone(),
            None => {
                let scale = proposition.relevance * segment.audience / channel.reference_audience;
                channel.curve.scaled_by(scale).map_err(|source| ModelError::InvalidCurve {
                    entity: "module",
                    key: module.to_owned(),
                    source,
                })?
            }
        };
        let conversion = match overrides.conversion {
            Some(c) => c,
            None => {
                let c = segment.base_conversion * offer.conversion_factor;
                if c > 1.0 {
                    return Err(ModelError::ConversionAboveOne {
                        module: module.to_owned(),
                        base: segment.base_conversion,
                        factor: offer.conversion_factor,
                        found: c,
                    });
                }
                c
            }
        };
        Ok(Economics {
            curve,
            conversion,
            deal_value: overrides.deal_value.unwrap_or(offer.deal_value),
            margin: overrides.margin.unwrap_or(offer.margin),
        })
    }
}

/// What a caller hands to [`Plan::add_module`](crate::Plan::add_module): the four part keys plus
/// optional key, overrides, budget rule, tags and enabled state.
///
/// The default module key is `segment/proposition/offer/channel`.
///
/// # Example
/// ```
/// use offergraph::{BudgetRule, ModuleSpec};
/// let spec = ModuleSpec::new("families", "playground", "2-room", "search")
///     .with_budget(BudgetRule::weight(2.0))
///     .with_conversion(0.2);
/// assert_eq!(spec.module_key(), "families/playground/2-room/search");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleSpec {
    pub(crate) key: Option<String>,
    pub(crate) id: Option<Uuid>,
    pub(crate) segment: String,
    pub(crate) proposition: String,
    pub(crate) offer: String,
    pub(crate) channel: String,
    pub(crate) overrides: Overrides,
    pub(crate) rule: BudgetRule,
    pub(crate) tags: Tags,
    pub(crate) enabled: bool,
}

impl ModuleSpec {
    /// A module made of the parts with these keys.
    ///
    /// ```
    /// let spec = offergraph::ModuleSpec::new("s", "v", "o", "c");
    /// assert_eq!(spec.module_key(), "s/v/o/c");
    /// ```
    pub fn new(
        segment: impl Into<String>,
        proposition: impl Into<String>,
        offer: impl Into<String>,
        channel: impl Into<String>,
    ) -> ModuleSpec {
        ModuleSpec {
            key: None,
            id: None,
            segment: segment.into(),
            proposition: proposition.into(),
            offer: offer.into(),
            channel: channel.into(),
            overrides: Overrides::default(),
            rule: BudgetRule::default(),
            tags: Tags::new(),
            enabled: true,
        }
    }

    /// Sets the module key (instead of the default `segment/proposition/offer/channel`).
    ///
    /// ```
    /// assert_eq!(offergraph::ModuleSpec::new("s", "v", "o", "c").with_key("m1").module_key(), "m1");
    /// ```
    #[must_use]
    pub fn with_key(mut self, key: impl Into<String>) -> ModuleSpec {
        self.key = Some(key.into());
        self
    }

    /// Uses an explicit id instead of the key-derived one (plan files carry ids).
    ///
    /// ```
    /// let id = uuid::Uuid::nil();
    /// let spec = offergraph::ModuleSpec::new("s", "v", "o", "c").with_id(id);
    /// assert_eq!(spec, spec.clone());
    /// ```
    #[must_use]
    pub fn with_id(mut self, id: Uuid) -> ModuleSpec {
        self.id = Some(id);
        self
    }

    /// The key the module will get.
    ///
    /// ```
    /// assert_eq!(offergraph::ModuleSpec::new("a", "b", "c", "d").module_key(), "a/b/c/d");
    /// ```
    pub fn module_key(&self) -> String {
        match &self.key {
            Some(k) => k.clone(),
            None => format!("{}/{}/{}/{}", self.segment, self.proposition, self.offer, self.channel),
        }
    }

    /// Overrides the conversion rate with a measured one.
    ///
    /// ```
    /// let spec = offergraph::ModuleSpec::new("s", "v", "o", "c").with_conversion(0.3);
    /// assert_ne!(spec, offergraph::ModuleSpec::new("s", "v", "o", "c"));
    /// ```
    #[must_use]
    pub fn with_conversion(mut self, rate: f64) -> ModuleSpec {
        self.overrides.conversion = Some(rate);
        self
    }

    /// Overrides the response curve with a measured one.
    ///
    /// ```
    /// use offergraph::{curves::Linear, ModuleSpec};
    /// let spec = ModuleSpec::new("s", "v", "o", "c").with_curve(Linear::new(50.0, None)?.into());
    /// assert_ne!(spec, ModuleSpec::new("s", "v", "o", "c"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_curve(mut self, curve: ResponseCurve) -> ModuleSpec {
        self.overrides.curve = Some(curve);
        self
    }

    /// Adds a tag to the module itself (it wins over its parts' tags of the same name).
    ///
    /// ```
    /// let spec = offergraph::ModuleSpec::new("s", "v", "o", "c").with_tag("flight", "spring");
    /// assert_ne!(spec, offergraph::ModuleSpec::new("s", "v", "o", "c"));
    /// ```
    #[must_use]
    pub fn with_tag(mut self, name: impl Into<String>, value: impl Into<String>) -> ModuleSpec {
        self.tags.insert(name.into(), value.into());
        self
    }

    pub(crate) fn validate(&self, key: &str) -> Result<(), ModelError> {
        crate::model::parts::check_key("module", key)?;
        self.overrides.validate(key)?;
        self.rule.validate(key)
    }
}

setters!(ModuleSpec {
    /// Sets the budget rule.
    ///
    /// ```
    /// use offergraph::{BudgetRule, ModuleSpec};
    /// let spec = ModuleSpec::new("s", "v", "o", "c").with_budget(BudgetRule::fixed(10.0));
    /// assert_ne!(spec, ModuleSpec::new("s", "v", "o", "c"));
    /// ```
    with_budget(rule: BudgetRule) sets rule;
    /// Overrides the composed values with measured ones.
    ///
    /// ```
    /// use offergraph::{ModuleSpec, Overrides};
    /// let spec = ModuleSpec::new("s", "v", "o", "c").with_overrides(Overrides { margin: Some(0.3), ..Default::default() });
    /// assert_ne!(spec, ModuleSpec::new("s", "v", "o", "c"));
    /// ```
    with_overrides(overrides: Overrides) sets overrides;
    /// Starts the module switched off (or on).
    ///
    /// ```
    /// let spec = offergraph::ModuleSpec::new("s", "v", "o", "c").with_enabled(false);
    /// assert_ne!(spec, offergraph::ModuleSpec::new("s", "v", "o", "c"));
    /// ```
    with_enabled(on: bool) sets enabled;
});

/// A module's stored settings (the cold part: read when editing, not when evaluating).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ModuleData {
    pub id: ModuleId,
    pub key: String,
    pub segment: SegmentId,
    pub proposition: PropositionId,
    pub offer: OfferId,
    pub channel: ChannelId,
    pub overrides: Overrides,
    pub tags: Tags,
    pub switched_on: bool,
    pub node: petgraph::stable_graph::NodeIndex,
}

/// What allocation and evaluation read for every module, kept in one compact array in plan order
/// so that a million-module scan streams through memory instead of striding over cold fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hot {
    pub economics: Economics,
    pub rule: BudgetRule,
    /// Switched on, and so are all four parts; kept current by every toggle.
    pub active: bool,
}

/// A module held by a [`Plan`](crate::Plan): its parts, settings and composed economics.
///
/// A cheap, copyable view borrowed from the plan.
///
/// # Example
/// ```
/// # let plan = offergraph::sample::apartments()?;
/// let m = plan.module("families/playground/2-room/search")?;
/// assert_eq!(m.key(), "families/playground/2-room/search");
/// assert!(m.is_switched_on());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Module<'a> {
    pub(crate) data: &'a ModuleData,
    pub(crate) hot: &'a Hot,
}

impl<'a> Module<'a> {
    /// The module's id.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let m = plan.module("families/playground/2-room/search")?;
    /// assert_eq!(m.id(), offergraph::ids::ModuleId::from_key("families/playground/2-room/search"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> ModuleId {
        self.data.id
    }

    /// Human key.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert_eq!(plan.modules().next().map(|m| m.key()), Some("families/playground/2-room/search"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn key(&self) -> &'a str {
        &self.data.key
    }

    /// Its segment's id.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let m = plan.module("families/playground/2-room/search")?;
    /// assert_eq!(m.segment(), offergraph::ids::SegmentId::from_key("families"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn segment(&self) -> SegmentId {
        self.data.segment
    }

    /// Its value proposition's id.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let m = plan.module("families/playground/2-room/search")?;
    /// assert_eq!(m.proposition(), offergraph::ids::PropositionId::from_key("playground"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn proposition(&self) -> PropositionId {
        self.data.proposition
    }

    /// Its offer's id.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let m = plan.module("families/playground/2-room/search")?;
    /// assert_eq!(m.offer(), offergraph::ids::OfferId::from_key("2-room"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn offer(&self) -> OfferId {
        self.data.offer
    }

    /// Its channel's id.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let m = plan.module("families/playground/2-room/search")?;
    /// assert_eq!(m.channel(), offergraph::ids::ChannelId::from_key("search"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn channel(&self) -> ChannelId {
        self.data.channel
    }

    /// Measured overrides.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert!(plan.module("families/playground/2-room/search")?.overrides().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overrides(&self) -> &'a Overrides {
        &self.data.overrides
    }

    /// Budget rule.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let rule = plan.module("families/playground/2-room/search")?.budget_rule();
    /// assert_eq!(rule.share(), offergraph::Share::Weight(3.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn budget_rule(&self) -> &'a BudgetRule {
        &self.hot.rule
    }

    /// The module's own tags (not including its parts').
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert!(plan.module("families/playground/2-room/search")?.tags().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tags(&self) -> &'a Tags {
        &self.data.tags
    }

    /// Whether the module itself is switched on (its parts may still switch it off; see
    /// [`Plan::why_off`](crate::Plan::why_off)).
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// assert!(plan.module("families/playground/2-room/search")?.is_switched_on());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_switched_on(&self) -> bool {
        self.data.switched_on
    }

    /// Composed (or overridden) economics.
    ///
    /// ```
    /// # let plan = offergraph::sample::apartments()?;
    /// let e = plan.module("families/playground/2-room/search")?.economics();
    /// assert!((e.conversion - 0.14).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn economics(&self) -> &'a Economics {
        &self.hot.economics
    }

    /// Whether the module takes part in the plan now: it and all four parts are switched on.
    ///
    /// ```
    /// # let mut plan = offergraph::sample::apartments()?;
    /// plan.set_part_enabled(offergraph::PartKind::Channel, "search", false)?;
    /// assert!(!plan.module("families/playground/2-room/search")?.is_active());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_active(&self) -> bool {
        self.hot.active
    }
}
