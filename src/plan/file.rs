//! The plan-file schema, kept apart from the domain model.
//!
//! [`PlanFile`] is a plain data-transfer type that serde reads and writes. Turning it into a
//! [`Plan`] goes through the same validating builders a script uses, so a file cannot build
//! anything a script could not. Every struct denies unknown fields.

use uuid::Uuid;

use crate::curves::ResponseCurve;
use crate::error::{ModelError, PlanError};
use crate::model::module::{ModuleSpec, Overrides};
use crate::model::parts::{Channel, Field, Offer, PartKind, Segment, Tags, ValueProposition};
use crate::model::policy::BudgetPolicy;
use crate::model::rule::{BudgetRule, Share};
use crate::numerics::ranges;
use crate::plan::policy::BudgetPolicyFile;
use crate::plan::scenario::Scenario;
use crate::time::TimeModel;
use crate::time::file::{TimeModelFile, file_struct};
use crate::{Money, Part, Plan};

/// The schema version this crate writes. Version 2 added the optional `time` section.
///
/// ```
/// assert_eq!(offergraph::file::SCHEMA_VERSION, 2);
/// ```
pub const SCHEMA_VERSION: u32 = 2;

/// Every schema version this crate reads: version 1 files load unchanged.
///
/// ```
/// assert_eq!(offergraph::file::SUPPORTED_SCHEMA_VERSIONS, [1, 2]);
/// ```
pub const SUPPORTED_SCHEMA_VERSIONS: [u32; 2] = [1, 2];

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}

file_struct! {
    /// A plan file (`schema_version` 1 or 2). See `docs/model.md` and `docs/time.md` for examples.
    ///
    /// ```
    /// let file: offergraph::file::PlanFile = serde_json::from_str(r#"{"schema_version": 1, "name": "empty", "budget": 0}"#)?;
    /// let plan = offergraph::Plan::try_from(file)?;
    /// assert_eq!(plan.name(), "empty");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct PlanFile {
        /// One of [`SUPPORTED_SCHEMA_VERSIONS`]; files are written with [`SCHEMA_VERSION`].
        pub schema_version: u32,
        /// Plan name.
        pub name: String,
        /// The period's total budget.
        pub budget: f64,
        /// How the budget is split (default: each module's rule).
        pub budget_policy: BudgetPolicyFile = default,
        /// Audience segments.
        #[serde(default)]
        pub segments: Vec<SegmentFile>,
        /// Value propositions.
        #[serde(default)]
        pub propositions: Vec<PropositionFile>,
        /// Offers.
        #[serde(default)]
        pub offers: Vec<OfferFile>,
        /// Channels.
        #[serde(default)]
        pub channels: Vec<ChannelFile>,
        /// Modules.
        #[serde(default)]
        pub modules: Vec<ModuleFile>,
        /// Periods, flights, seasonality, sales teams and lags (schema version 2).
        pub time: Option<TimeModelFile> = default,
    }
}

file_struct! {
    /// A segment in a plan file.
    pub struct SegmentFile {
        /// Id; derived from the key when absent.
        pub id: Option<Uuid> = default,
        /// Unique key.
        pub key: String,
        /// Audience size.
        pub audience: f64,
        /// Base lead→deal conversion.
        pub base_conversion: f64,
        /// Tags.
        pub tags: Tags = default,
        /// Switched on.
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        pub enabled: bool,
    }
}

file_struct! {
    /// A value proposition in a plan file.
    pub struct PropositionFile {
        /// Id; derived from the key when absent.
        pub id: Option<Uuid> = default,
        /// Unique key.
        pub key: String,
        /// Relevance factor on leads.
        pub relevance: f64,
        /// Keys of the segments it speaks to.
        pub segments: Vec<String>,
        /// Tags.
        pub tags: Tags = default,
        /// Switched on.
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        pub enabled: bool,
    }
}

file_struct! {
    /// An offer in a plan file.
    pub struct OfferFile {
        /// Id; derived from the key when absent.
        pub id: Option<Uuid> = default,
        /// Unique key.
        pub key: String,
        /// Revenue per deal.
        pub deal_value: f64,
        /// Gross margin.
        pub margin: f64,
        /// Multiplier on the segment's conversion (default 1).
        #[serde(default = "one")]
        pub conversion_factor: f64,
        /// Tags.
        pub tags: Tags = default,
        /// Switched on.
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        pub enabled: bool,
    }
}

fn one() -> f64 {
    1.0
}

file_struct! {
    /// A channel in a plan file.
    pub struct ChannelFile {
        /// Id; derived from the key when absent.
        pub id: Option<Uuid> = default,
        /// Unique key.
        pub key: String,
        /// Response curve at the reference audience.
        pub curve: ResponseCurve,
        /// Audience the curve holds for.
        pub reference_audience: f64,
        /// Tags.
        pub tags: Tags = default,
        /// Switched on.
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        pub enabled: bool,
    }
}

file_struct! {
    /// A module's budget rule in a plan file: `weight` or `fixed` (not both; weight 1 when neither),
    /// with optional `min` and `max`.
    #[derive(Default)]
    pub struct BudgetFile {
        /// Proportional weight.
        pub weight: Option<f64> = default,
        /// Fixed amount.
        pub fixed: Option<f64> = default,
        /// Minimum spend.
        pub min: Option<f64> = default,
        /// Maximum spend.
        pub max: Option<f64> = default,
    }
}

file_struct! {
    /// Measured overrides in a plan file.
    #[derive(Default)]
    pub struct OverridesFile {
        /// Measured response curve.
        pub curve: Option<ResponseCurve> = default,
        /// Measured conversion.
        pub conversion: Option<f64> = default,
        /// Measured deal value.
        pub deal_value: Option<f64> = default,
        /// Measured margin.
        pub margin: Option<f64> = default,
    }
}

file_struct! {
    /// A module in a plan file.
    pub struct ModuleFile {
        /// Id; derived from the key when absent.
        pub id: Option<Uuid> = default,
        /// Unique key; `segment/proposition/offer/channel` when absent.
        pub key: Option<String> = default,
        /// Segment key.
        pub segment: String,
        /// Value proposition key.
        pub proposition: String,
        /// Offer key.
        pub offer: String,
        /// Channel key.
        pub channel: String,
        /// Budget rule.
        #[serde(default)]
        pub budget: BudgetFile,
        /// Measured overrides.
        pub overrides: OverridesFile = default,
        /// Tags.
        pub tags: Tags = default,
        /// Switched on.
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        pub enabled: bool,
    }
}

impl BudgetFile {
    fn to_rule(&self, module: &str) -> Result<BudgetRule, ModelError> {
        let mut rule = match (self.weight, self.fixed) {
            (Some(_), Some(_)) => {
                return Err(ModelError::InvalidBudgetRule {
                    module: module.to_owned(),
                    problem: "give either `weight` or `fixed`, not both".to_owned(),
                });
            }
            (None, Some(a)) => BudgetRule::fixed(a),
            (w, None) => BudgetRule::weight(w.unwrap_or(1.0)),
        };
        if let Some(m) = self.min {
            rule = rule.with_min(m);
        }
        if let Some(m) = self.max {
            rule = rule.with_max(m);
        }
        Ok(rule)
    }

    fn from_rule(rule: &BudgetRule) -> BudgetFile {
        let (weight, fixed) = match rule.share() {
            Share::Fixed(a) => (None, Some(a)),
            Share::Weight(w) => (Some(w), None),
        };
        BudgetFile { weight, fixed, min: (rule.min() > 0.0).then_some(rule.min()), max: rule.max() }
    }
}

impl TryFrom<PlanFile> for Plan {
    type Error = PlanError;

    /// Validates a plan file without a `time` section and builds the plan.
    fn try_from(f: PlanFile) -> Result<Plan, PlanError> {
        match build(f)? {
            (plan, None) => Ok(plan),
            (_, Some(_)) => Err(PlanError::TimeNeedsScenario),
        }
    }
}

impl TryFrom<PlanFile> for Scenario {
    type Error = PlanError;

    /// Validates a plan file and builds the plan, then its time model against it.
    fn try_from(f: PlanFile) -> Result<Scenario, PlanError> {
        let (plan, time) = build(f)?;
        let scenario = Scenario::new(plan);
        match time {
            None => Ok(scenario),
            Some(t) => {
                let model = TimeModel::from_file(&t, scenario.plan())?;
                Ok(scenario.with_time(model)?)
            }
        }
    }
}

/// Adds one part read from a file with its id (from the file, or derived from its key), and
/// remembers it when it is switched off: switches are applied once every part exists.
fn add_part<P: Part>(
    plan: &mut Plan,
    part: P,
    id: Option<Uuid>,
    enabled: bool,
    off: &mut Vec<(PartKind, String)>,
) -> Result<(), PlanError> {
    let key = part.part_key().to_owned();
    let id = id.map_or_else(|| P::id_for_key(&key), P::id_for_uuid);
    if !enabled {
        off.push((P::KIND, key));
    }
    plan.add_part_with_id(part, id)?;
    Ok(())
}

/// Builds the plan of a file, parts first, then modules, in file order; hands back its time
/// section unread.
fn build(f: PlanFile) -> Result<(Plan, Option<TimeModelFile>), PlanError> {
    if !SUPPORTED_SCHEMA_VERSIONS.contains(&f.schema_version) {
        return Err(PlanError::UnsupportedSchema { found: f.schema_version, supported: SCHEMA_VERSION });
    }
    if f.schema_version < 2 && f.time.is_some() {
        return Err(PlanError::TimeNeedsV2 { found: f.schema_version });
    }
    let budget = Field { entity: "plan", key: &f.name }.check("budget", f.budget, ranges::MONEY)?;
    let mut plan = Plan::new(f.name, Money::from_checked(budget));
    plan.set_budget_policy(f.budget_policy.to_policy()?);
    let mut off: Vec<(PartKind, String)> = Vec::new();
    for s in f.segments {
        let mut part = Segment::new(s.key, s.audience, s.base_conversion)?;
        part.tags = s.tags;
        add_part(&mut plan, part, s.id, s.enabled, &mut off)?;
    }
    for p in f.propositions {
        let mut part = ValueProposition::new(p.key, p.relevance, p.segments)?;
        part.tags = p.tags;
        add_part(&mut plan, part, p.id, p.enabled, &mut off)?;
    }
    for o in f.offers {
        let mut part = Offer::new(o.key, o.deal_value, o.margin, o.conversion_factor)?;
        part.tags = o.tags;
        add_part(&mut plan, part, o.id, o.enabled, &mut off)?;
    }
    for c in f.channels {
        let mut part = Channel::new(c.key, c.curve, c.reference_audience)?;
        part.tags = c.tags;
        add_part(&mut plan, part, c.id, c.enabled, &mut off)?;
    }
    for (kind, key) in off {
        plan.set_part_enabled(kind, &key, false)?;
    }
    for m in f.modules {
        let mut spec = ModuleSpec::new(m.segment, m.proposition, m.offer, m.channel);
        if let Some(k) = m.key {
            spec = spec.with_key(k);
        }
        if let Some(id) = m.id {
            spec = spec.with_id(id);
        }
        let rule = m.budget.to_rule(&spec.module_key())?;
        let o = m.overrides;
        spec = spec
            .with_budget(rule)
            .with_overrides(Overrides {
                curve: o.curve,
                conversion: o.conversion,
                deal_value: o.deal_value,
                margin: o.margin,
            })
            .with_enabled(m.enabled);
        spec.tags = m.tags;
        plan.add_module(spec)?;
    }
    // An optimizing policy is checked against the plan now, not at the first evaluation: a
    // selector that names a missing part, or selects nothing, is the file's error.
    if let BudgetPolicy::Optimize(policy) = plan.budget_policy() {
        policy.problem(&plan)?;
    }
    Ok((plan, f.time))
}

impl From<&Plan> for PlanFile {
    /// Writes every id, key, value, switch and tag in plan order.
    fn from(p: &Plan) -> PlanFile {
        PlanFile {
            schema_version: SCHEMA_VERSION,
            name: p.name().to_owned(),
            budget: p.budget().get(),
            budget_policy: BudgetPolicyFile::from_policy(p.budget_policy()),
            segments: p
                .part_entries::<Segment>()
                .map(|(id, item, switched_on)| SegmentFile {
                    id: Some(id.uuid()),
                    key: item.key.clone(),
                    audience: item.audience,
                    base_conversion: item.base_conversion,
                    tags: item.tags.clone(),
                    enabled: switched_on,
                })
                .collect(),
            propositions: p
                .part_entries::<ValueProposition>()
                .map(|(id, item, switched_on)| PropositionFile {
                    id: Some(id.uuid()),
                    key: item.key.clone(),
                    relevance: item.relevance,
                    segments: item.segments.iter().cloned().collect(),
                    tags: item.tags.clone(),
                    enabled: switched_on,
                })
                .collect(),
            offers: p
                .part_entries::<Offer>()
                .map(|(id, item, switched_on)| OfferFile {
                    id: Some(id.uuid()),
                    key: item.key.clone(),
                    deal_value: item.deal_value,
                    margin: item.margin,
                    conversion_factor: item.conversion_factor,
                    tags: item.tags.clone(),
                    enabled: switched_on,
                })
                .collect(),
            channels: p
                .part_entries::<Channel>()
                .map(|(id, item, switched_on)| ChannelFile {
                    id: Some(id.uuid()),
                    key: item.key.clone(),
                    curve: item.curve.clone(),
                    reference_audience: item.reference_audience,
                    tags: item.tags.clone(),
                    enabled: switched_on,
                })
                .collect(),
            modules: p
                .modules()
                .map(|m| {
                    let [s, v, o, c] = PartKind::ALL.map(|k| p.part_key_of(k, m.data).to_owned());
                    let o_ = m.overrides();
                    ModuleFile {
                        id: Some(m.id().uuid()),
                        key: Some(m.key().to_owned()),
                        segment: s,
                        proposition: v,
                        offer: o,
                        channel: c,
                        budget: BudgetFile::from_rule(m.budget_rule()),
                        overrides: OverridesFile {
                            curve: o_.curve.clone(),
                            conversion: o_.conversion,
                            deal_value: o_.deal_value,
                            margin: o_.margin,
                        },
                        tags: m.tags().clone(),
                        enabled: m.is_switched_on(),
                    }
                })
                .collect(),
            time: None,
        }
    }
}

impl From<&Scenario> for PlanFile {
    fn from(s: &Scenario) -> PlanFile {
        PlanFile { time: s.time().map(TimeModel::to_file), ..PlanFile::from(s.plan()) }
    }
}
