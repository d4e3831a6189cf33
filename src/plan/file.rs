//! The plan-file schema, kept apart from the domain model.
//!
//! [`PlanFile`] is a plain data-transfer type that serde reads and writes. Turning it into a
//! [`Plan`] goes through the same validating builders a script uses, so a file cannot build
//! anything a script could not. Every struct denies unknown fields.

use indexmap::IndexSet;
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
use crate::uncertainty::Uncertainty;
use crate::uncertainty::file::UncertaintyFile;
use crate::{Money, Part, Plan};

/// The schema version this crate writes. Version 2 added the optional `time` section, version 3
/// its plan-wide `default_lag` and `default_team` and the optional `uncertainty` section.
///
/// ```
/// assert_eq!(offergraph::file::SCHEMA_VERSION, 3);
/// ```
pub const SCHEMA_VERSION: u32 = 3;

/// Every schema version this crate reads: version 1 and 2 files load unchanged.
///
/// ```
/// assert_eq!(offergraph::file::SUPPORTED_SCHEMA_VERSIONS, [1, 2, 3]);
/// ```
pub const SUPPORTED_SCHEMA_VERSIONS: [u32; 3] = [1, 2, 3];

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}

file_struct! {
    /// A plan file (`schema_version` 1, 2 or 3). See `docs/model.md` and `docs/time.md` for examples.
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
        /// Distributions of uncertain numbers per module and part (schema version 3).
        pub uncertainty: Option<UncertaintyFile> = default,
    }
}

/// A part as a plan file holds it: read through the part's validating `new`, written back field
/// by field (see `part_file!` below).
trait PartFile: Sized {
    type Part: Part;
    /// The part, with its id and switch as the file gives them.
    fn into_part(self) -> Result<(Self::Part, Option<Uuid>, bool), ModelError>;
    /// The part as a file writes it, from its id, the part and its switch.
    fn from_entry(entry: (<Self::Part as Part>::Id, &Self::Part, bool)) -> Self;
}

/// A part's field as its file writes it: the value itself, or a set of keys as a list.
trait Written<T> {
    fn written(&self) -> T;
}

impl<T: Clone> Written<T> for T {
    fn written(&self) -> T {
        self.clone()
    }
}

impl Written<Vec<String>> for IndexSet<String> {
    fn written(&self) -> Vec<String> {
        self.iter().cloned().collect()
    }
}

/// The file struct of a part: its id (derived from the key when absent), its key, the part's own
/// fields in the order its `new` takes them, its tags and its switch; and its [`PartFile`] impl.
/// The docs of the struct and of the part's fields come with the invocation.
macro_rules! part_file {
    (
        $(#[$meta:meta])*
        $file:ident for $part:ident { $($(#[$field_meta:meta])* $field:ident: $ty:ty,)+ }
    ) => {
        file_struct! {
            $(#[$meta])*
            pub struct $file {
                /// Id; derived from the key when absent.
                pub id: Option<Uuid> = default,
                /// Unique key.
                pub key: String,
                $($(#[$field_meta])* pub $field: $ty,)+
                /// Tags.
                pub tags: Tags = default,
                /// Switched on.
                #[serde(default = "yes", skip_serializing_if = "is_true")]
                pub enabled: bool,
            }
        }

        impl PartFile for $file {
            type Part = $part;

            fn into_part(self) -> Result<($part, Option<Uuid>, bool), ModelError> {
                let mut part = $part::new(self.key, $(self.$field),+)?;
                part.tags = self.tags;
                Ok((part, self.id, self.enabled))
            }

            fn from_entry((id, part, enabled): (<$part as Part>::Id, &$part, bool)) -> $file {
                $file {
                    id: Some(id.into()),
                    key: part.key.clone(),
                    $($field: part.$field.written(),)+
                    tags: part.tags.clone(),
                    enabled,
                }
            }
        }
    };
}

part_file! {
    /// A segment in a plan file.
    SegmentFile for Segment {
        /// Audience size.
        audience: f64,
        /// Base lead→deal conversion.
        base_conversion: f64,
    }
}

part_file! {
    /// A value proposition in a plan file.
    PropositionFile for ValueProposition {
        /// Relevance factor on leads.
        relevance: f64,
        /// Keys of the segments it speaks to.
        segments: Vec<String>,
    }
}

part_file! {
    /// An offer in a plan file.
    OfferFile for Offer {
        /// Revenue per deal.
        deal_value: f64,
        /// Gross margin.
        margin: f64,
        /// Multiplier on the segment's conversion (default 1).
        #[serde(default = "one")]
        conversion_factor: f64,
    }
}

fn one() -> f64 {
    1.0
}

part_file! {
    /// A channel in a plan file.
    ChannelFile for Channel {
        /// Response curve at the reference audience.
        curve: ResponseCurve,
        /// Audience the curve holds for.
        reference_audience: f64,
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

    /// Validates a plan file without a `time` or `uncertainty` section and builds the plan.
    fn try_from(f: PlanFile) -> Result<Plan, PlanError> {
        if f.uncertainty.is_some() {
            return Err(PlanError::UncertaintyNeedsScenario);
        }
        match build(f)? {
            (plan, None) => Ok(plan),
            (_, Some(_)) => Err(PlanError::TimeNeedsScenario),
        }
    }
}

impl TryFrom<PlanFile> for Scenario {
    type Error = PlanError;

    /// Validates a plan file and builds the plan, then its time model and its uncertainty
    /// against it.
    fn try_from(mut f: PlanFile) -> Result<Scenario, PlanError> {
        let uncertainty = f.uncertainty.take();
        if uncertainty.is_some() && f.schema_version < 3 {
            return Err(PlanError::FieldNeedsVersion {
                field: "uncertainty",
                needs: 3,
                found: f.schema_version,
            });
        }
        let (plan, time) = build(f)?;
        let mut scenario = Scenario::new(plan);
        if let Some(t) = time {
            let model = TimeModel::from_file(&t, scenario.plan())?;
            scenario = scenario.with_time(model)?;
        }
        match uncertainty {
            None => Ok(scenario),
            Some(u) => {
                let u = Uncertainty::from_file(&u, scenario.plan())?;
                Ok(scenario.with_uncertainty(u)?)
            }
        }
    }
}

/// Adds the parts of one kind read from a file, in file order, each with its id (from the file,
/// or derived from its key), and remembers those switched off: switches are applied once every
/// part exists.
fn add_parts<F: PartFile>(
    plan: &mut Plan,
    files: Vec<F>,
    off: &mut Vec<(PartKind, String)>,
) -> Result<(), PlanError> {
    for file in files {
        let (part, id, enabled) = file.into_part()?;
        let key = part.part_key().to_owned();
        let id = id.map_or_else(|| F::Part::id_for_key(&key), F::Part::id_for_uuid);
        if !enabled {
            off.push((F::Part::KIND, key));
        }
        plan.add_part_with_id(part, id)?;
    }
    Ok(())
}

/// Every part of one kind as a file writes it, in plan order.
fn written_parts<F: PartFile>(plan: &Plan) -> Vec<F> {
    plan.part_entries::<F::Part>().map(F::from_entry).collect()
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
    if let Some(t) = f.time.as_ref().filter(|_| f.schema_version < 3) {
        let v3 = [("default_lag", t.default_lag.is_some()), ("default_team", t.default_team.is_some())];
        if let Some((field, _)) = v3.into_iter().find(|(_, set)| *set) {
            return Err(PlanError::FieldNeedsVersion { field, needs: 3, found: f.schema_version });
        }
    }
    let budget = Field { entity: "plan", key: &f.name }.check("budget", f.budget, ranges::MONEY)?;
    let mut plan = Plan::new(f.name, Money::from_checked(budget));
    plan.set_budget_policy(f.budget_policy.to_policy()?);
    let mut off: Vec<(PartKind, String)> = Vec::new();
    add_parts(&mut plan, f.segments, &mut off)?;
    add_parts(&mut plan, f.propositions, &mut off)?;
    add_parts(&mut plan, f.offers, &mut off)?;
    add_parts(&mut plan, f.channels, &mut off)?;
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
            segments: written_parts(p),
            propositions: written_parts(p),
            offers: written_parts(p),
            channels: written_parts(p),
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
            uncertainty: None,
        }
    }
}

impl From<&Scenario> for PlanFile {
    fn from(s: &Scenario) -> PlanFile {
        let uncertainty = (*s.uncertainty() != Uncertainty::new()).then(|| s.uncertainty().to_file());
        PlanFile { time: s.time().map(TimeModel::to_file), uncertainty, ..PlanFile::from(s.plan()) }
    }
}
