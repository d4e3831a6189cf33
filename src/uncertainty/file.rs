//! [`UncertaintyFile`]: the plan-file form of an [`Uncertainty`] (plain serde data, owners by
//! key), and its validated conversion both ways.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::Plan;
use crate::error::UncertaintyError;
use crate::model::parts::PartKind;
use crate::time::file::file_struct;
use crate::uncertainty::distribution::Distribution;
use crate::uncertainty::section::{Entry, Field, Uncertainty, kind_index};

file_struct! {
    /// The `uncertainty` section of a plan file (schema version 3): entries by module key and by
    /// part key. Every struct rejects unknown fields; every number goes through the same checks
    /// as the Rust API when [`Uncertainty::from_file`] builds the section against the plan.
    ///
    /// # Example
    /// ```
    /// use offergraph::{file::UncertaintyFile, uncertainty::Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let file: UncertaintyFile = serde_json::from_str(r#"{
    ///   "channels": {"search": {"lead_scale": {"type": "log_normal", "median": 1, "sigma": 0.3}}},
    ///   "segments": {"families": {"conversion": {"type": "beta", "alpha": 14, "beta": 86}}},
    ///   "modules": {"investors/yield/1-room/outdoor": {"margin": {"type": "fixed", "value": 0.15}}}
    /// }"#)?;
    /// let u = Uncertainty::from_file(&file, &plan)?;
    /// assert!(u.part(offergraph::PartKind::Channel, "search").is_some());
    /// assert_eq!(u.to_file(), file);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Default)]
    pub struct UncertaintyFile {
        /// Entries by module key: drawn for each module alone; they win over the parts'.
        pub modules: IndexMap<String, EntryFile> = default,
        /// Entries by segment key, shared by the segment's modules.
        pub segments: IndexMap<String, EntryFile> = default,
        /// Entries by value proposition key.
        pub propositions: IndexMap<String, EntryFile> = default,
        /// Entries by offer key.
        pub offers: IndexMap<String, EntryFile> = default,
        /// Entries by channel key.
        pub channels: IndexMap<String, EntryFile> = default,
    }
}

file_struct! {
    /// One entry of the `uncertainty` section: any of the four fields.
    #[derive(Default)]
    pub struct EntryFile {
        /// A multiplier on the curve.
        pub lead_scale: Option<DistributionFile> = default,
        /// Conversion (replaces the module's).
        pub conversion: Option<DistributionFile> = default,
        /// Deal value (replaces the module's).
        pub deal_value: Option<DistributionFile> = default,
        /// Margin (replaces the module's).
        pub margin: Option<DistributionFile> = default,
    }
}

/// A distribution in a file: `log_normal` (median, sigma), `beta` (alpha, beta) or `fixed`
/// (value).
///
/// ```
/// let d: offergraph::file::DistributionFile = serde_json::from_str(r#"{"type": "beta", "alpha": 2, "beta": 8}"#)?;
/// assert_eq!(d, offergraph::file::DistributionFile::Beta { alpha: 2.0, beta: 8.0 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum DistributionFile {
    /// `median · e^(sigma·Z)`.
    LogNormal {
        /// The median.
        median: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// Beta on `[0, 1]`.
    Beta {
        /// First shape.
        alpha: f64,
        /// Second shape.
        beta: f64,
    },
    /// A constant.
    Fixed {
        /// The value.
        value: f64,
    },
}

impl DistributionFile {
    fn to_distribution(self) -> Result<Distribution, UncertaintyError> {
        match self {
            DistributionFile::LogNormal { median, sigma } => Distribution::log_normal(median, sigma),
            DistributionFile::Beta { alpha, beta } => Distribution::beta(alpha, beta),
            DistributionFile::Fixed { value } => Distribution::fixed(value),
        }
    }

    fn from_distribution(d: Distribution) -> DistributionFile {
        match d {
            Distribution::LogNormal { median, sigma } => DistributionFile::LogNormal { median, sigma },
            Distribution::Beta { alpha, beta } => DistributionFile::Beta { alpha, beta },
            Distribution::Fixed(value) => DistributionFile::Fixed { value },
        }
    }
}

impl EntryFile {
    fn to_entry(&self, entity: &'static str, key: &str) -> Result<Entry, UncertaintyError> {
        let read = |field: Field, d: Option<DistributionFile>| {
            d.map(DistributionFile::to_distribution).transpose().map_err(|e| UncertaintyError::Entry {
                entity,
                key: key.to_owned(),
                field: field.name(),
                problem: e.to_string(),
            })
        };
        let mut entry = Entry::new();
        entry.lead_scale = read(Field::LeadScale, self.lead_scale)?;
        entry.conversion = read(Field::Conversion, self.conversion)?;
        entry.deal_value = read(Field::DealValue, self.deal_value)?;
        entry.margin = read(Field::Margin, self.margin)?;
        Ok(entry)
    }

    fn from_entry(e: &Entry) -> EntryFile {
        let w = |d: Option<Distribution>| d.map(DistributionFile::from_distribution);
        EntryFile {
            lead_scale: w(e.lead_scale),
            conversion: w(e.conversion),
            deal_value: w(e.deal_value),
            margin: w(e.margin),
        }
    }
}

impl UncertaintyFile {
    /// The part entries of `kind`.
    fn parts(&self, kind: PartKind) -> &IndexMap<String, EntryFile> {
        match kind {
            PartKind::Segment => &self.segments,
            PartKind::Proposition => &self.propositions,
            PartKind::Offer => &self.offers,
            PartKind::Channel => &self.channels,
        }
    }
}

impl Uncertainty {
    /// Builds the section of a plan file and checks it against the plan.
    ///
    /// # Errors
    /// [`UncertaintyError::Entry`] naming the owner and field for an invalid distribution; as
    /// [`Uncertainty::check`].
    ///
    /// ```
    /// use offergraph::{file::UncertaintyFile, uncertainty::Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let file: UncertaintyFile = serde_json::from_str(r#"{"channels": {"search": {"lead_scale": {"type": "log_normal", "median": 1, "sigma": 7}}}}"#)?;
    /// assert_eq!(Uncertainty::from_file(&file, &plan).unwrap_err().to_string(),
    ///     "uncertainty of channel \"search\" field `lead_scale`: log-normal sigma must be 0 or a number in [1e-6, 5], found 7");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_file(file: &UncertaintyFile, plan: &Plan) -> Result<Uncertainty, UncertaintyError> {
        let mut u = Uncertainty::new();
        for kind in PartKind::ALL {
            for (key, e) in file.parts(kind) {
                u.parts[kind_index(kind)].insert(key.clone(), e.to_entry(kind.name(), key)?);
            }
        }
        for (key, e) in &file.modules {
            u.modules.insert(key.clone(), e.to_entry("module", key)?);
        }
        u.check(plan)?;
        Ok(u)
    }

    /// The section as a plan file writes it; [`Uncertainty::from_file`] reads it back equal.
    ///
    /// ```
    /// use offergraph::uncertainty::{Distribution, Entry, Uncertainty};
    /// let plan = offergraph::sample::apartments()?;
    /// let u = Uncertainty::new().with_module("investors/yield/1-room/outdoor", Entry::new().with_conversion(Distribution::beta(3.0, 40.0)?));
    /// assert_eq!(Uncertainty::from_file(&u.to_file(), &plan)?, u);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_file(&self) -> UncertaintyFile {
        let write = |m: &IndexMap<String, Entry>| -> IndexMap<String, EntryFile> {
            m.iter().map(|(k, e)| (k.clone(), EntryFile::from_entry(e))).collect()
        };
        UncertaintyFile {
            modules: write(&self.modules),
            segments: write(&self.parts[kind_index(PartKind::Segment)]),
            propositions: write(&self.parts[kind_index(PartKind::Proposition)]),
            offers: write(&self.parts[kind_index(PartKind::Offer)]),
            channels: write(&self.parts[kind_index(PartKind::Channel)]),
        }
    }
}
