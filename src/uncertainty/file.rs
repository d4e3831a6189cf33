//! [`UncertaintyFile`]: the plan-file form of an [`Uncertainty`] (plain serde data, owners by
//! key), and its validated conversion both ways.

use indexmap::IndexMap;

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
        pub modules: IndexMap<String, Entry> = default,
        /// Entries by segment key, shared by the segment's modules.
        pub segments: IndexMap<String, Entry> = default,
        /// Entries by value proposition key.
        pub propositions: IndexMap<String, Entry> = default,
        /// Entries by offer key.
        pub offers: IndexMap<String, Entry> = default,
        /// Entries by channel key.
        pub channels: IndexMap<String, Entry> = default,
    }
}

impl Entry {
    /// The entry with every distribution checked (a file's are read without checks), or the
    /// first invalid one as an error naming its owner and field.
    fn validated(&self, entity: &'static str, key: &str) -> Result<Entry, UncertaintyError> {
        let mut out = self.clone();
        for (field, d) in self.fields() {
            let checked =
                d.map(Distribution::validated).transpose().map_err(|e| UncertaintyError::Entry {
                    entity,
                    key: key.to_owned(),
                    field: field.name(),
                    problem: e.to_string(),
                })?;
            match field {
                Field::LeadScale => out.lead_scale = checked,
                Field::Conversion => out.conversion = checked,
                Field::DealValue => out.deal_value = checked,
                Field::Margin => out.margin = checked,
            }
        }
        Ok(out)
    }
}

impl UncertaintyFile {
    /// The part entries of `kind`.
    fn parts(&self, kind: PartKind) -> &IndexMap<String, Entry> {
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
                u.parts[kind_index(kind)].insert(key.clone(), e.validated(kind.name(), key)?);
            }
        }
        for (key, e) in &file.modules {
            u.modules.insert(key.clone(), e.validated("module", key)?);
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
        let [segments, propositions, offers, channels] = self.parts.clone();
        UncertaintyFile { modules: self.modules.clone(), segments, propositions, offers, channels }
    }
}
