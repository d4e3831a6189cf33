//! Recombination: swap one part of a module, or replicate a module across variants.
//!
//! Both build new modules through the same path as [`Plan::add_module`], so they are validated the
//! same way, and both are all-or-nothing.
//!
//! Measured overrides describe one exact combination of parts, so swapping a part drops the
//! overrides it invalidates: a new segment drops the curve and conversion, a new value proposition
//! the curve, a new offer the conversion, deal value and margin, a new channel the curve.

use crate::error::ModelError;
use crate::model::ids::ModuleId;
use crate::model::module::{ModuleSpec, Overrides};
use crate::model::parts::{PartKind, Tags};
use crate::model::plan::Plan;
use crate::model::rule::BudgetRule;

/// One variant of a module for [`Plan::replicate`]: which parts to swap, plus optional overrides,
/// tags and budget rule. The new module's key is `<module key>@<label>`.
///
/// # Example
/// ```
/// use offergraph::{PartKind, Variant};
/// let south = Variant::new("south").with_part(PartKind::Segment, "families-south");
/// assert_eq!(south.label(), "south");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Variant {
    label: String,
    swaps: Vec<(PartKind, String)>,
    overrides: Overrides,
    tags: Tags,
    rule: Option<BudgetRule>,
    extend_audience: bool,
}

impl Variant {
    /// A variant with a label (region, store, price tier…).
    ///
    /// ```
    /// assert_eq!(offergraph::Variant::new("premium").label(), "premium");
    /// ```
    pub fn new(label: impl Into<String>) -> Variant {
        Variant { label: label.into(), ..Variant::default() }
    }

    /// Uses another part of `kind` (the last swap of a kind wins).
    ///
    /// ```
    /// use offergraph::{PartKind, Variant};
    /// let v = Variant::new("3-room").with_part(PartKind::Offer, "3-room");
    /// assert_ne!(v, Variant::new("3-room"));
    /// ```
    #[must_use]
    pub fn with_part(mut self, kind: PartKind, key: impl Into<String>) -> Variant {
        self.swaps.push((kind, key.into()));
        self
    }

    /// Measured values for the new module (applied after inherited ones are filtered).
    ///
    /// ```
    /// use offergraph::{Overrides, Variant};
    /// let v = Variant::new("premium").with_overrides(Overrides { deal_value: Some(150_000.0), ..Default::default() });
    /// assert_ne!(v, Variant::new("premium"));
    /// ```
    #[must_use]
    pub fn with_overrides(mut self, overrides: Overrides) -> Variant {
        self.overrides = overrides;
        self
    }

    /// A tag on the new module.
    ///
    /// ```
    /// let v = offergraph::Variant::new("s1").with_tag("store", "s1");
    /// assert_ne!(v, offergraph::Variant::new("s1"));
    /// ```
    #[must_use]
    pub fn with_tag(mut self, name: impl Into<String>, value: impl Into<String>) -> Variant {
        self.tags.insert(name.into(), value.into());
        self
    }

    /// A budget rule for the new module (otherwise it inherits the original's).
    ///
    /// ```
    /// let v = offergraph::Variant::new("s1").with_budget(offergraph::BudgetRule::weight(0.5));
    /// assert_ne!(v, offergraph::Variant::new("s1"));
    /// ```
    #[must_use]
    pub fn with_budget(mut self, rule: BudgetRule) -> Variant {
        self.rule = Some(rule);
        self
    }

    /// Lets [`Plan::replicate`] add the variant's segment to the value proposition's audience
    /// when the proposition does not speak to it yet (replicating a working module into a new
    /// region). Without it such a variant is refused ([`ModelError::Incompatible`]).
    ///
    /// ```
    /// use offergraph::{PartKind, Variant};
    /// let v = Variant::new("south").with_part(PartKind::Segment, "families-south").with_extended_audience();
    /// assert!(v.extends_audience());
    /// ```
    #[must_use]
    pub fn with_extended_audience(mut self) -> Variant {
        self.extend_audience = true;
        self
    }

    /// Whether [`Plan::replicate`] may extend the proposition's audience to the variant's segment.
    ///
    /// ```
    /// assert!(!offergraph::Variant::new("x").extends_audience());
    /// ```
    pub fn extends_audience(&self) -> bool {
        self.extend_audience
    }

    /// The label.
    ///
    /// ```
    /// assert_eq!(offergraph::Variant::new("x").label(), "x");
    /// ```
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// Drops the overrides that a swap of `kind` makes meaningless.
fn keep_valid(o: &mut Overrides, kind: PartKind) {
    match kind {
        PartKind::Segment => {
            o.curve = None;
            o.conversion = None;
        }
        PartKind::Proposition | PartKind::Channel => o.curve = None,
        PartKind::Offer => {
            o.conversion = None;
            o.deal_value = None;
            o.margin = None;
        }
    }
}

impl Plan {
    /// The spec that would rebuild module `key` as it is.
    pub(crate) fn spec_of(&self, key: &str) -> Result<ModuleSpec, ModelError> {
        let m = self.module(key)?;
        let [s, v, o, c] = self.module_parts(key)?;
        Ok(ModuleSpec::new(s, v, o, c)
            .with_key(m.key())
            .with_overrides(m.overrides().clone())
            .with_budget(*m.budget_rule())
            .with_enabled(m.is_switched_on())
            .tags_from(m.tags()))
    }

    /// Replaces one part of a module — for example an audience–channel connection that does not
    /// work — and returns the new module's id. The new module takes the old one's place in the
    /// plan order, its budget rule, tags and switch, and the overrides the swap leaves valid.
    ///
    /// Its key is the default `segment/proposition/offer/channel` key when the old module had the
    /// default key, and `<old key>~<part key>` otherwise.
    ///
    /// # Errors
    /// [`ModelError::Unknown`], [`ModelError::Incompatible`], duplicates and composition errors;
    /// the plan is unchanged on error.
    ///
    /// ```
    /// use offergraph::PartKind;
    /// # let mut plan = offergraph::sample::apartments()?;
    /// let id = plan.replace_part("investors/yield/1-room/outdoor", PartKind::Channel, "social")?;
    /// assert_eq!(id, offergraph::ids::ModuleId::from_key("investors/yield/1-room/social"));
    /// assert!(plan.module("investors/yield/1-room/outdoor").is_err());
    /// assert_eq!(plan.modules().nth(3).map(|m| m.key()), Some("investors/yield/1-room/social"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replace_part(&mut self, module: &str, kind: PartKind, part: &str) -> Result<ModuleId, ModelError> {
        let old = self.spec_of(module)?;
        let was_default = old.key.as_deref() == Some(&ModuleSpec { key: None, ..old.clone() }.module_key());
        let mut spec = old.with_swapped(kind, part);
        spec.key = if was_default { None } else { Some(format!("{module}~{part}")) };
        spec.id = None;
        // Validate against the plan without the old module (the new one may reuse nothing of it).
        let prepared = self.prepare(&spec)?;
        let at = self.remove_module(module)?;
        Ok(self.insert(prepared, Some(at)))
    }

    /// Replicates a working module across variants — other offers or categories, stores, price
    /// tiers, regions — in one call. Each variant gives a new module `<key>@<label>` appended to the
    /// plan, with a new reproducible id. All or nothing.
    ///
    /// A variant made [`with_extended_audience`](Variant::with_extended_audience) adds its
    /// segment to the value proposition's audience when the proposition does not speak to it
    /// (no existing module's figures change: the audience only decides which modules may exist).
    ///
    /// # Errors
    /// [`ModelError::Unknown`], [`ModelError::Incompatible`], [`ModelError::DuplicateKey`] (also
    /// for two variants with one label) and composition errors; the plan (audiences included) is
    /// unchanged on error.
    ///
    /// ```
    /// use offergraph::{PartKind, Variant};
    /// # let mut plan = offergraph::sample::apartments()?;
    /// let ids = plan.replicate(
    ///     "families/playground/2-room/search",
    ///     &[Variant::new("3-room").with_part(PartKind::Offer, "3-room")],
    /// )?;
    /// assert_eq!(ids.len(), 1);
    /// assert!(plan.module("families/playground/2-room/search@3-room").is_ok());
    /// // Into another segment: refused unless the proposition's audience may grow.
    /// let investors = Variant::new("investors").with_part(PartKind::Segment, "investors");
    /// assert!(plan.replicate("families/playground/2-room/search", &[investors.clone()]).is_err());
    /// plan.replicate("families/playground/2-room/search", &[investors.with_extended_audience()])?;
    /// assert!(plan.part::<offergraph::ValueProposition>("playground")?.speaks_to("investors"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replicate(&mut self, module: &str, variants: &[Variant]) -> Result<Vec<ModuleId>, ModelError> {
        let mut extended = Vec::new();
        let result = self.replicate_extending(module, variants, &mut extended);
        if result.is_err() {
            // Undo the audiences extended before the failure, newest first.
            for (vp, segment) in extended.into_iter().rev() {
                if let Some(e) = self.propositions.get_mut(&vp) {
                    e.item.remove_segment(&segment);
                }
            }
        }
        result
    }

    /// [`Plan::replicate`], recording in `extended` each (proposition, segment) it added to an
    /// audience so the caller can undo them on error.
    fn replicate_extending(
        &mut self,
        module: &str,
        variants: &[Variant],
        extended: &mut Vec<(String, String)>,
    ) -> Result<Vec<ModuleId>, ModelError> {
        let base = self.spec_of(module)?;
        let mut prepared = Vec::with_capacity(variants.len());
        let mut labels = std::collections::HashSet::new();
        for v in variants {
            let key = format!("{module}@{}", v.label);
            if !labels.insert(v.label.as_str()) {
                return Err(ModelError::DuplicateKey { entity: "module", key });
            }
            let mut spec = base.clone();
            for (kind, part) in &v.swaps {
                spec = spec.with_swapped(*kind, part);
            }
            let o = &v.overrides;
            spec.overrides.curve = o.curve.clone().or(spec.overrides.curve);
            spec.overrides.conversion = o.conversion.or(spec.overrides.conversion);
            spec.overrides.deal_value = o.deal_value.or(spec.overrides.deal_value);
            spec.overrides.margin = o.margin.or(spec.overrides.margin);
            spec.tags.extend(v.tags.iter().map(|(k, v)| (k.clone(), v.clone())));
            if let Some(rule) = v.rule {
                spec.rule = rule;
            }
            spec.key = Some(key);
            spec.id = None;
            if v.extend_audience
                && self.segments.id(&spec.segment).is_some()
                && let Some(e) = self.propositions.get_mut(&spec.proposition)
                && e.item.add_segment(spec.segment.clone())
            {
                extended.push((spec.proposition.clone(), spec.segment.clone()));
            }
            prepared.push(self.prepare(&spec)?);
        }
        Ok(prepared.into_iter().map(|p| self.insert(p, None)).collect())
    }
}

impl ModuleSpec {
    /// This spec with the part of `kind` replaced and invalidated overrides dropped.
    fn with_swapped(mut self, kind: PartKind, part: &str) -> ModuleSpec {
        let slot = match kind {
            PartKind::Segment => &mut self.segment,
            PartKind::Proposition => &mut self.proposition,
            PartKind::Offer => &mut self.offer,
            PartKind::Channel => &mut self.channel,
        };
        if slot != part {
            *slot = part.to_owned();
            keep_valid(&mut self.overrides, kind);
        }
        self
    }

    fn tags_from(mut self, tags: &Tags) -> ModuleSpec {
        self.tags = tags.clone();
        self
    }
}
