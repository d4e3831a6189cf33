//! Seasonality: multipliers per period, overall and per channel or segment, that scale the
//! response curves.

use indexmap::IndexMap;

use crate::error::TimeError;
use crate::numerics::ranges;
use crate::time::horizon::check_series;

/// Seasonal multipliers on leads, per period.
///
/// A module's multiplier in period `t` is `base[t] × channel[t] × segment[t]` (each `1` when not
/// given): its curve in that period is `σ·r(·)`. A multiplier of 0 means the module brings no
/// leads that period (a holiday shutdown, an off-season).
///
/// # Example
/// ```
/// use offergraph::time::Seasonality;
/// let s = Seasonality::new()
///     .with_base(vec![1.0, 1.2, 0.8])?
///     .with_channel("search", vec![1.0, 1.0, 0.5])?;
/// assert_eq!(s.factor(2, "search", "north"), 0.8 * 0.5);
/// assert_eq!(s.factor(1, "social", "north"), 1.2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Seasonality {
    pub(crate) base: Option<Vec<f64>>,
    pub(crate) channels: IndexMap<String, Vec<f64>>,
    pub(crate) segments: IndexMap<String, Vec<f64>>,
}

impl Seasonality {
    /// No seasonality: every multiplier is 1.
    ///
    /// ```
    /// assert_eq!(offergraph::time::Seasonality::new().factor(3, "search", "north"), 1.0);
    /// ```
    pub fn new() -> Seasonality {
        Seasonality::default()
    }

    /// Sets the multipliers that apply to every module.
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] for a NaN, infinite or negative multiplier.
    ///
    /// ```
    /// let err = offergraph::time::Seasonality::new().with_base(vec![1.0, -0.5]).unwrap_err();
    /// assert_eq!(err.to_string(), "seasonal multiplier must be 0 or a number in [1e-6, 1000], found -0.5");
    /// ```
    pub fn with_base(mut self, multipliers: Vec<f64>) -> Result<Seasonality, TimeError> {
        check_series("seasonal multiplier", &multipliers, ranges::SEASONALITY)?;
        self.base = Some(multipliers);
        Ok(self)
    }

    /// Sets the multipliers of one channel (by key).
    ///
    /// # Errors
    /// [`TimeError::InvalidValue`] for a bad multiplier; [`TimeError::Duplicate`] when the channel
    /// already has multipliers.
    ///
    /// ```
    /// use offergraph::time::Seasonality;
    /// let s = Seasonality::new().with_channel("search", vec![2.0])?;
    /// let err = s.with_channel("search", vec![1.0]).unwrap_err();
    /// assert_eq!(err.to_string(), "duplicate channel seasonality \"search\" in the time model");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_channel(self, channel: impl Into<String>, multipliers: Vec<f64>) -> Result<Self, TimeError> {
        self.with_keyed(|s| &mut s.channels, "channel seasonality", channel.into(), multipliers)
    }

    /// Sets the multipliers of one segment (by key).
    ///
    /// # Errors
    /// As [`Seasonality::with_channel`].
    ///
    /// ```
    /// use offergraph::time::Seasonality;
    /// let s = Seasonality::new().with_segment("retail", vec![1.0, 0.0])?;
    /// assert_eq!(s.factor(1, "search", "retail"), 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_segment(self, segment: impl Into<String>, multipliers: Vec<f64>) -> Result<Self, TimeError> {
        self.with_keyed(|s| &mut s.segments, "segment seasonality", segment.into(), multipliers)
    }

    /// Adds the multipliers of one key to the map `series` picks (channels or segments), checked,
    /// refusing a key it already has.
    fn with_keyed(
        mut self,
        series: fn(&mut Self) -> &mut IndexMap<String, Vec<f64>>,
        entity: &'static str,
        key: String,
        multipliers: Vec<f64>,
    ) -> Result<Self, TimeError> {
        check_series("seasonal multiplier", &multipliers, ranges::SEASONALITY)?;
        let map = series(&mut self);
        if map.contains_key(&key) {
            return Err(TimeError::Duplicate { entity, key });
        }
        map.insert(key, multipliers);
        Ok(self)
    }

    /// The multiplier of a module on `channel` for `segment` in period `t` (1 for anything not
    /// given, including periods past the end of a series).
    ///
    /// ```
    /// let s = offergraph::time::Seasonality::new().with_base(vec![0.5])?;
    /// assert_eq!(s.factor(0, "c", "s"), 0.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn factor(&self, t: usize, channel: &str, segment: &str) -> f64 {
        let at = |v: Option<&Vec<f64>>| v.and_then(|v| v.get(t)).copied().unwrap_or(1.0);
        at(self.base.as_ref()) * at(self.channels.get(channel)) * at(self.segments.get(segment))
    }

    /// `true` when no multiplier is set.
    ///
    /// ```
    /// assert!(offergraph::time::Seasonality::new().is_flat());
    /// ```
    pub fn is_flat(&self) -> bool {
        self.base.is_none() && self.channels.is_empty() && self.segments.is_empty()
    }

    /// Checks lengths against the horizon and numbers (for values built by hand).
    pub(crate) fn check(&self, periods: usize) -> Result<(), TimeError> {
        let len = |what: String, v: &Vec<f64>| -> Result<(), TimeError> {
            check_series("seasonal multiplier", v, ranges::SEASONALITY)?;
            if v.len() == periods {
                Ok(())
            } else {
                Err(TimeError::WrongLength { what, found: v.len(), periods })
            }
        };
        if let Some(b) = &self.base {
            len("base seasonality".into(), b)?;
        }
        for (k, v) in &self.channels {
            len(format!("seasonality of channel \"{k}\""), v)?;
        }
        for (k, v) in &self.segments {
            len(format!("seasonality of segment \"{k}\""), v)?;
        }
        Ok(())
    }
}
