//! The four kinds of parts a module is made of: segment, value proposition, offer, channel.
//!
//! Parts are plain validated values. Constructors check every number and name the field on error;
//! setters check again, so a part held by a [`Plan`](crate::Plan) is always valid.

use indexmap::{IndexMap, IndexSet};
use serde::{Deserialize, Serialize};

use crate::curves::ResponseCurve;
use crate::error::ModelError;
use crate::numerics::ranges::{self, Range};

/// The kind of a part.
///
/// ```
/// use offergraph::PartKind;
/// assert_eq!(PartKind::Proposition.to_string(), "value proposition");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    /// An audience segment.
    Segment,
    /// A value proposition.
    Proposition,
    /// An offer.
    Offer,
    /// A channel.
    Channel,
}

impl PartKind {
    /// All kinds, in the order modules list their parts.
    ///
    /// ```
    /// assert_eq!(offergraph::PartKind::ALL.len(), 4);
    /// ```
    pub const ALL: [PartKind; 4] =
        [PartKind::Segment, PartKind::Proposition, PartKind::Offer, PartKind::Channel];

    /// Name used in messages.
    ///
    /// ```
    /// assert_eq!(offergraph::PartKind::Channel.name(), "channel");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            PartKind::Segment => "segment",
            PartKind::Proposition => "value proposition",
            PartKind::Offer => "offer",
            PartKind::Channel => "channel",
        }
    }
}

impl std::fmt::Display for PartKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Free-form labels (`region = "north"`, `industry = "retail"`) used for rollups.
pub type Tags = IndexMap<String, String>;

pub(crate) fn check_key(entity: &'static str, key: &str) -> Result<(), ModelError> {
    if key.trim().is_empty() { Err(ModelError::EmptyKey { entity }) } else { Ok(()) }
}

/// Checks one number of an entity and names it on failure.
pub(crate) struct Field<'a> {
    pub entity: &'static str,
    pub key: &'a str,
}

impl Field<'_> {
    fn err(&self, field: &'static str, found: f64, expected: &'static str) -> ModelError {
        ModelError::InvalidValue { entity: self.entity, key: self.key.to_owned(), field, found, expected }
    }
    /// `v` when it lies in `range`, else an error naming the field, the value and the range.
    pub fn check(&self, field: &'static str, v: f64, range: Range) -> Result<f64, ModelError> {
        range.check(v).map_err(|expected| self.err(field, v, expected))
    }
}

/// What every part has: `with_tag`, `key` and `tags`, their examples on `$example`, a part with
/// the key `"k"` and no tags.
macro_rules! keyed_and_tagged {
    ($part:ident, $example:literal) => {
        impl $part {
            /// Adds or replaces a tag.
            ///
            /// ```
            #[doc = concat!("let part = ", $example, ".with_tag(\"tier\", \"premium\");")]
            /// assert_eq!(part.tags()["tier"], "premium");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[must_use]
            pub fn with_tag(mut self, name: impl Into<String>, value: impl Into<String>) -> $part {
                self.tags.insert(name.into(), value.into());
                self
            }

            /// Human key.
            ///
            /// ```
            #[doc = concat!("assert_eq!(", $example, ".key(), \"k\");")]
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn key(&self) -> &str {
                &self.key
            }

            /// Tags.
            ///
            /// ```
            #[doc = concat!("assert!(", $example, ".tags().is_empty());")]
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn tags(&self) -> &Tags {
                &self.tags
            }
        }
    };
}

keyed_and_tagged!(Segment, "offergraph::Segment::new(\"k\", 10.0, 0.25)?");
keyed_and_tagged!(ValueProposition, "offergraph::ValueProposition::new(\"k\", 1.0, [\"a\"])?");
keyed_and_tagged!(Offer, "offergraph::Offer::new(\"k\", 1.0, 0.5, 1.0)?");
keyed_and_tagged!(
    Channel,
    "offergraph::Channel::new(\"k\", offergraph::curves::Linear::new(100.0, None)?.into(), 1.0)?"
);

/// A part's numeric fields: for each, a getter and a setter that checks the new value against the
/// field's range, as `new` does, and names the field on error. The docs of both come with the
/// invocation.
macro_rules! checked_fields {
    ($part:ident, $entity:literal { $($(#[$get:meta])* $field:ident, $(#[$set:meta])* $setter:ident in $range:ident;)+ }) => {
        impl $part {
            $(
                $(#[$get])*
                pub fn $field(&self) -> f64 {
                    self.$field
                }

                $(#[$set])*
                pub fn $setter(&mut self, $field: f64) -> Result<(), ModelError> {
                    self.$field = Field { entity: $entity, key: &self.key }.check(stringify!($field), $field, ranges::$range)?;
                    Ok(())
                }
            )+
        }
    };
}

/// A part whose `new` takes its key and its fields in order: declares the struct (key, fields,
/// tags) and `new`, which checks the key, then every field given a range (`=> RANGE`) against it,
/// in order, naming the field on error. The docs of the struct and of `new` come with the
/// invocation.
macro_rules! part {
    (
        $(#[$meta:meta])*
        $part:ident, $entity:literal { $($field:ident: $ty:ty $(=> $range:ident)?),+ $(,)? }
        $(#[$new_meta:meta])*
        new
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $part {
            pub(crate) key: String,
            $(pub(crate) $field: $ty,)+
            pub(crate) tags: Tags,
        }

        impl $part {
            $(#[$new_meta])*
            pub fn new(key: impl Into<String>, $($field: $ty),+) -> Result<$part, ModelError> {
                let key = key.into();
                check_key($entity, &key)?;
                let f = Field { entity: $entity, key: &key };
                $($(let $field = f.check(stringify!($field), $field, ranges::$range)?;)?)+
                Ok($part { key, $($field,)+ tags: Tags::new() })
            }
        }
    };
}

part! {
    /// An audience segment: who is addressed.
    ///
    /// A segment brings its audience size and the base lead→deal conversion rate of its people, plus
    /// tags (region, industry, income band…) used to roll figures up.
    ///
    /// # Example
    /// ```
    /// use offergraph::Segment;
    /// let s = Segment::new("families-with-kids", 40_000.0, 0.14)?.with_tag("region", "north");
    /// assert_eq!(s.base_conversion(), 0.14);
    /// assert_eq!(s.tags()["region"], "north");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Segment, "segment" { audience: f64 => COUNT_SCALE, base_conversion: f64 => RATE }
    /// A segment of `audience` people whose leads convert at `base_conversion`.
    ///
    /// # Errors
    /// [`ModelError::EmptyKey`]; [`ModelError::InvalidValue`] when `audience` is not finite and
    /// `> 0` or `base_conversion` is outside `[0, 1]`.
    ///
    /// ```
    /// use offergraph::Segment;
    /// let err = Segment::new("investors", f64::NAN, 0.1).unwrap_err();
    /// assert_eq!(err.to_string(), "segment \"investors\" field `audience` must be a number in [1e-6, 1e12], found NaN");
    /// ```
    new
}

checked_fields!(Segment, "segment" {
    /// Audience size (people or companies).
    ///
    /// ```
    /// assert_eq!(offergraph::Segment::new("a", 10.0, 0.5)?.audience(), 10.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    audience,
    /// Changes the audience size.
    ///
    /// # Errors
    /// [`ModelError::InvalidValue`] unless finite and `> 0`.
    ///
    /// ```
    /// let mut s = offergraph::Segment::new("a", 10.0, 0.14)?;
    /// assert!(s.set_audience(-1.0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    set_audience in COUNT_SCALE;
    /// Base lead→deal conversion rate.
    ///
    /// ```
    /// assert_eq!(offergraph::Segment::new("a", 10.0, 0.25)?.base_conversion(), 0.25);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    base_conversion,
    /// Changes the base conversion rate.
    ///
    /// # Errors
    /// [`ModelError::InvalidValue`] outside `[0, 1]`.
    ///
    /// ```
    /// let mut s = offergraph::Segment::new("a", 10.0, 0.14)?;
    /// s.set_base_conversion(0.27)?;
    /// assert_eq!(s.base_conversion(), 0.27);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    set_base_conversion in RATE;
});

/// A value proposition: what is promised, and to which segments it speaks.
///
/// Its `relevance` multiplies the leads a channel brings (1 = as measured for the channel; 1.3 =
/// this promise draws 30% more responses).
///
/// # Example
/// ```
/// use offergraph::ValueProposition;
/// let vp = ValueProposition::new("playground-and-kindergarten", 1.2, ["families-with-kids"])?;
/// assert!(vp.speaks_to("families-with-kids"));
/// assert!(!vp.speaks_to("investors"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ValueProposition {
    pub(crate) key: String,
    pub(crate) relevance: f64,
    pub(crate) segments: IndexSet<String>,
    pub(crate) tags: Tags,
}

impl ValueProposition {
    /// A proposition with a relevance factor that speaks to the listed segment keys.
    ///
    /// # Errors
    /// [`ModelError::EmptyKey`]; [`ModelError::InvalidValue`] unless `relevance` is finite and
    /// `> 0`; [`ModelError::DuplicateKey`] when a segment is listed twice.
    ///
    /// ```
    /// use offergraph::ValueProposition;
    /// let err = ValueProposition::new("yield", 1.0, ["investors", "investors"]).unwrap_err();
    /// assert_eq!(err.to_string(), "duplicate segment key \"investors\"");
    /// ```
    pub fn new<I, S>(
        key: impl Into<String>,
        relevance: f64,
        segments: I,
    ) -> Result<ValueProposition, ModelError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let key = key.into();
        check_key("value proposition", &key)?;
        let relevance = Field { entity: "value proposition", key: &key }.check(
            "relevance",
            relevance,
            ranges::RELEVANCE,
        )?;
        Ok(ValueProposition { key, relevance, segments: audience(segments)?, tags: Tags::new() })
    }

    /// Keys of the segments it speaks to, in declaration order.
    ///
    /// ```
    /// let vp = offergraph::ValueProposition::new("v", 1.0, ["a", "b"])?;
    /// assert_eq!(vp.segments().collect::<Vec<_>>(), ["a", "b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().map(String::as_str)
    }

    /// Whether it speaks to `segment`.
    ///
    /// ```
    /// assert!(offergraph::ValueProposition::new("v", 1.0, ["a"])?.speaks_to("a"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn speaks_to(&self, segment: &str) -> bool {
        self.segments.contains(segment)
    }

    /// Adds a segment to its audience (at the end); `false` when it already speaks to it.
    ///
    /// Inside [`Plan::edit_part`](crate::Plan::edit_part) the plan checks that the segment exists.
    ///
    /// ```
    /// let mut vp = offergraph::ValueProposition::new("v", 1.0, ["a"])?;
    /// assert!(vp.add_segment("b"));
    /// assert!(!vp.add_segment("a"));
    /// assert_eq!(vp.segments().collect::<Vec<_>>(), ["a", "b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_segment(&mut self, segment: impl Into<String>) -> bool {
        self.segments.insert(segment.into())
    }

    /// Removes a segment from its audience, keeping the order of the others; `false` when it did
    /// not speak to it.
    ///
    /// Inside [`Plan::edit_part`](crate::Plan::edit_part) the plan refuses the edit while a module
    /// addresses that segment with this proposition.
    ///
    /// ```
    /// let mut vp = offergraph::ValueProposition::new("v", 1.0, ["a", "b", "c"])?;
    /// assert!(vp.remove_segment("a"));
    /// assert!(!vp.remove_segment("a"));
    /// assert_eq!(vp.segments().collect::<Vec<_>>(), ["b", "c"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_segment(&mut self, segment: &str) -> bool {
        self.segments.shift_remove(segment)
    }

    /// Replaces its audience.
    ///
    /// # Errors
    /// [`ModelError::DuplicateKey`] when a segment is listed twice (the audience is unchanged).
    ///
    /// ```
    /// let mut vp = offergraph::ValueProposition::new("v", 1.0, ["a"])?;
    /// vp.set_segments(["b", "c"])?;
    /// assert_eq!(vp.segments().collect::<Vec<_>>(), ["b", "c"]);
    /// assert_eq!(vp.set_segments(["d", "d"]).unwrap_err().to_string(), "duplicate segment key \"d\"");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_segments<I, S>(&mut self, segments: I) -> Result<(), ModelError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.segments = audience(segments)?;
        Ok(())
    }
}

/// A set of segment keys; a key listed twice is an error naming it.
fn audience<I, S>(segments: I) -> Result<IndexSet<String>, ModelError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut set = IndexSet::new();
    for s in segments {
        let s = s.into();
        if !set.insert(s.clone()) {
            return Err(ModelError::DuplicateKey { entity: "segment", key: s });
        }
    }
    Ok(set)
}

checked_fields!(ValueProposition, "value proposition" {
    /// Relevance factor applied to leads.
    ///
    /// ```
    /// assert_eq!(offergraph::ValueProposition::new("v", 1.5, ["s"])?.relevance(), 1.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    relevance,
    /// Changes the relevance factor.
    ///
    /// # Errors
    /// [`ModelError::InvalidValue`] unless finite and `> 0`.
    ///
    /// ```
    /// let mut vp = offergraph::ValueProposition::new("v", 1.0, ["a"])?;
    /// vp.set_relevance(1.4)?;
    /// assert_eq!(vp.relevance(), 1.4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    set_relevance in RELEVANCE;
});

part! {
    /// An offer: the concrete deal (product, price tier, store, bonus) a module sells.
    ///
    /// It brings the deal value (average check or lifetime value), the gross margin share, and a
    /// conversion factor that multiplies the segment's base conversion (a mortgage-rate bonus may
    /// convert 1.3× better).
    ///
    /// # Example
    /// ```
    /// use offergraph::Offer;
    /// let o = Offer::new("2-room-flat", 95_000.0, 0.2, 1.0)?.with_tag("category", "2-room");
    /// assert_eq!(o.deal_value(), 95_000.0);
    /// assert_eq!(o.margin(), 0.2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Offer, "offer" {
        deal_value: f64 => MONEY,
        margin: f64 => RATE,
        conversion_factor: f64 => CONVERSION_FACTOR,
    }
    /// An offer worth `deal_value` per deal at gross `margin`, converting `conversion_factor`×
    /// the segment's base rate.
    ///
    /// # Errors
    /// [`ModelError::EmptyKey`]; [`ModelError::InvalidValue`] for negative or non-finite money,
    /// a margin outside `[0, 1]`, or a conversion factor that is not finite and `≥ 0`.
    ///
    /// ```
    /// let err = offergraph::Offer::new("x", -5.0, 0.2, 1.0).unwrap_err();
    /// assert_eq!(err.to_string(), "offer \"x\" field `deal_value` must be 0 or a number in [1e-6, 1e15], found -5");
    /// ```
    new
}

checked_fields!(Offer, "offer" {
    /// Revenue per deal.
    ///
    /// ```
    /// assert_eq!(offergraph::Offer::new("o", 7.0, 0.5, 1.0)?.deal_value(), 7.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    deal_value,
    /// Changes the deal value.
    ///
    /// # Errors
    /// [`ModelError::InvalidValue`] for negative or non-finite money.
    ///
    /// ```
    /// let mut o = offergraph::Offer::new("o", 7.0, 0.5, 1.0)?;
    /// o.set_deal_value(9.0)?;
    /// assert_eq!(o.deal_value(), 9.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    set_deal_value in MONEY;
    /// Gross-margin share of revenue.
    ///
    /// ```
    /// assert_eq!(offergraph::Offer::new("o", 7.0, 0.5, 1.0)?.margin(), 0.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    margin,
    /// Changes the margin.
    ///
    /// # Errors
    /// [`ModelError::InvalidValue`] outside `[0, 1]`.
    ///
    /// ```
    /// let mut o = offergraph::Offer::new("o", 7.0, 0.5, 1.0)?;
    /// assert!(o.set_margin(2.0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    set_margin in RATE;
    /// Multiplier on the segment's base conversion.
    ///
    /// ```
    /// assert_eq!(offergraph::Offer::new("o", 7.0, 0.5, 1.5)?.conversion_factor(), 1.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    conversion_factor,
    /// Changes the conversion factor.
    ///
    /// # Errors
    /// [`ModelError::InvalidValue`] unless finite and `≥ 0`.
    ///
    /// ```
    /// let mut o = offergraph::Offer::new("o", 7.0, 0.5, 1.0)?;
    /// o.set_conversion_factor(1.2)?;
    /// assert_eq!(o.conversion_factor(), 1.2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    set_conversion_factor in CONVERSION_FACTOR;
});

part! {
    /// A channel: how spend turns into leads.
    ///
    /// Its response curve was measured (or assumed) for an audience of `reference_audience` people;
    /// a module scales it to its segment's size (see [`Economics`](crate::Economics)).
    ///
    /// # Example
    /// ```
    /// use offergraph::{curves::{Exponential, ResponseCurve}, Channel};
    /// let c = Channel::new("search", Exponential::new(800.0, 20_000.0)?.into(), 50_000.0)?;
    /// assert_eq!(c.reference_audience(), 50_000.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Channel, "channel" { curve: ResponseCurve, reference_audience: f64 => COUNT_SCALE }
    /// A channel whose `curve` holds for an audience of `reference_audience`.
    ///
    /// # Errors
    /// [`ModelError::EmptyKey`]; [`ModelError::InvalidValue`] unless `reference_audience` is
    /// finite and `> 0`.
    ///
    /// ```
    /// use offergraph::{curves::Linear, Channel};
    /// let err = Channel::new("tv", Linear::new(100.0, None)?.into(), 0.0).unwrap_err();
    /// assert_eq!(err.to_string(), "channel \"tv\" field `reference_audience` must be a number in [1e-6, 1e12], found 0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    new
}

impl Channel {
    /// The channel's response curve at its reference audience.
    ///
    /// ```
    /// use offergraph::{curves::{Curve, Linear}, Channel};
    /// let c = Channel::new("tv", Linear::new(100.0, None)?.into(), 1.0)?;
    /// assert_eq!(c.curve().leads(1000.0), 10.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn curve(&self) -> &ResponseCurve {
        &self.curve
    }

    /// Audience size the curve was measured for.
    ///
    /// ```
    /// use offergraph::{curves::Linear, Channel};
    /// assert_eq!(Channel::new("tv", Linear::new(100.0, None)?.into(), 5.0)?.reference_audience(), 5.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reference_audience(&self) -> f64 {
        self.reference_audience
    }

    /// Replaces the response curve (for example after a new measurement).
    ///
    /// ```
    /// use offergraph::{curves::{Curve, Linear}, Channel};
    /// let mut c = Channel::new("tv", Linear::new(100.0, None)?.into(), 1.0)?;
    /// c.set_curve(Linear::new(50.0, None)?.into());
    /// assert_eq!(c.curve().leads(100.0), 2.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_curve(&mut self, curve: ResponseCurve) {
        self.curve = curve;
    }
}
