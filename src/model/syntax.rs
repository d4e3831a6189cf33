//! The text forms of selectors, limits, objectives and variants: what a command line or a
//! spreadsheet cell writes where a script builds values. One grammar, parsed here
//! (`str::parse`), documented in the README and in `offergraph --help`:
//!
//! ```text
//! SELECTOR  := KIND ":" KEY | "tag:" NAME "=" VALUE      KIND := segment | proposition | offer | channel
//! LIMIT     := NUMBER | NUMBER "%"                        money, or a share of the budget
//! OBJECTIVE := max_profit | max_leads | max_deals | max_gross_profit
//!            | min_spend:MEASURE=TARGET | target_marginal_romi=R | target_average_romi=R
//! VARIANT   := LABEL [ "=" ITEM { "," ITEM } ]            ITEM := KIND ":" KEY | "tag:" NAME "=" VALUE | extend_audience
//! ```
//!
//! Dashes may stand for underscores in objective names (`max-profit`).

use std::str::FromStr;

use crate::error::SyntaxError;
use crate::model::parts::PartKind;
use crate::model::recombine::Variant;
use crate::model::select::{GroupBy, Selector};
use crate::optimize::{Limit, Measure, Objective};

const SELECTOR: &str = "KIND:KEY (segment, proposition, offer or channel) or tag:NAME=VALUE";
const LIMIT: &str = "an amount of money (25000) or a share of the budget (40%)";
const OBJECTIVE: &str = "max_profit, max_leads, max_deals, max_gross_profit, min_spend:MEASURE=TARGET (MEASURE: leads, deals or gross_profit), target_marginal_romi=R or target_average_romi=R";
const VARIANT: &str = "LABEL=ITEM,… with ITEM one of KIND:KEY, tag:NAME=VALUE or extend_audience";

fn part_kind(name: &str) -> Option<PartKind> {
    match name {
        "segment" => Some(PartKind::Segment),
        "proposition" => Some(PartKind::Proposition),
        "offer" => Some(PartKind::Offer),
        "channel" => Some(PartKind::Channel),
        _ => None,
    }
}

/// `KIND:KEY` or `tag:NAME=VALUE`, each side non-empty.
fn selector(s: &str) -> Option<Selector> {
    let (head, rest) = s.split_once(':')?;
    let head = head.trim();
    if head == "tag" {
        let (name, value) = rest.split_once('=')?;
        let (name, value) = (name.trim(), value.trim());
        (!name.is_empty() && !value.is_empty()).then(|| Selector::new(GroupBy::Tag(name.into()), value))
    } else {
        let key = rest.trim();
        (!key.is_empty()).then_some(())?;
        Some(Selector::new(GroupBy::Part(part_kind(head)?), key))
    }
}

impl FromStr for Selector {
    type Err = SyntaxError;

    /// Reads `KIND:KEY` (`channel:search`) or `tag:NAME=VALUE` (`tag:region=north`).
    ///
    /// # Errors
    /// [`SyntaxError`] for any other form, or an empty key, name or value.
    ///
    /// ```
    /// use offergraph::{GroupBy, PartKind, Selector};
    /// let s: Selector = "channel:search".parse()?;
    /// assert_eq!(s, Selector::new(GroupBy::Part(PartKind::Channel), "search"));
    /// let t: Selector = "tag:region=north".parse()?;
    /// assert_eq!(t.to_string(), "tag region = \"north\"");
    /// assert!("tag:region".parse::<Selector>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from_str(s: &str) -> Result<Selector, SyntaxError> {
        selector(s).ok_or_else(|| SyntaxError::new("selector", s, SELECTOR))
    }
}

impl FromStr for Limit {
    type Err = SyntaxError;

    /// Reads an amount of money (`25000`) or a share of the budget in percent (`40%`). The
    /// value's range is checked where the limit is used (a share must lie in `[0, 1]`).
    ///
    /// # Errors
    /// [`SyntaxError`] when the text is not a finite number, with or without `%`.
    ///
    /// ```
    /// use offergraph::optimize::Limit;
    /// assert_eq!("40%".parse::<Limit>()?, Limit::Share(0.4));
    /// assert_eq!("25000".parse::<Limit>()?, Limit::Money(25_000.0));
    /// assert!("NaN".parse::<Limit>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from_str(s: &str) -> Result<Limit, SyntaxError> {
        let bad = || SyntaxError::new("limit", s, LIMIT);
        let t = s.trim();
        let number = |x: &str| x.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        match t.strip_suffix('%') {
            Some(p) => number(p).map(|v| Limit::Share(v / 100.0)).ok_or_else(bad),
            None => number(t).map(Limit::Money).ok_or_else(bad),
        }
    }
}

fn measure(name: &str) -> Option<Measure> {
    match name {
        "leads" => Some(Measure::Leads),
        "deals" => Some(Measure::Deals),
        "gross_profit" => Some(Measure::GrossProfit),
        _ => None,
    }
}

fn objective(s: &str) -> Option<Objective> {
    let s = s.trim().replace('-', "_");
    let finite = |x: &str| x.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    let fixed = |m| Some(Objective::MaxValueFixedBudget { measure: m });
    match s.as_str() {
        "max_profit" => return Some(Objective::MaxProfit),
        "max_leads" => return fixed(Measure::Leads),
        "max_deals" => return fixed(Measure::Deals),
        "max_gross_profit" => return fixed(Measure::GrossProfit),
        _ => {}
    }
    if let Some(rest) = s.strip_prefix("min_spend:") {
        let (m, target) = rest.split_once('=')?;
        return Some(Objective::MinSpendForTarget { measure: measure(m.trim())?, target: finite(target)? });
    }
    let (name, value) = s.split_once('=')?;
    match name.trim() {
        "target_marginal_romi" => Some(Objective::TargetMarginalRomi(finite(value)?)),
        "target_average_romi" => Some(Objective::TargetAverageRomi(finite(value)?)),
        _ => None,
    }
}

impl FromStr for Objective {
    type Err = SyntaxError;

    /// Reads `max_profit`, `max_leads`, `max_deals`, `max_gross_profit` (the most of a measure
    /// for the budget), `min_spend:MEASURE=TARGET` or `target_marginal_romi=R` /
    /// `target_average_romi=R` (ROMI as a fraction, 0.3 = 30%); dashes may stand for
    /// underscores.
    ///
    /// # Errors
    /// [`SyntaxError`] for any other form or a number that is not finite.
    ///
    /// ```
    /// use offergraph::optimize::{Measure, Objective};
    /// assert_eq!("max-profit".parse::<Objective>()?, Objective::MaxProfit);
    /// assert_eq!(
    ///     "min_spend:deals=40".parse::<Objective>()?,
    ///     Objective::MinSpendForTarget { measure: Measure::Deals, target: 40.0 }
    /// );
    /// assert_eq!("target_marginal_romi=0.3".parse::<Objective>()?, Objective::TargetMarginalRomi(0.3));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from_str(s: &str) -> Result<Objective, SyntaxError> {
        objective(s).ok_or_else(|| SyntaxError::new("objective", s, OBJECTIVE))
    }
}

fn variant(s: &str) -> Option<Variant> {
    let (label, items) = match s.split_once('=') {
        Some((label, items)) => (label.trim(), items),
        None => (s.trim(), ""),
    };
    if label.is_empty() {
        return None;
    }
    let mut v = Variant::new(label);
    for item in items.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        if item == "extend_audience" || item == "extend-audience" {
            v = v.with_extended_audience();
            continue;
        }
        let sel = selector(item)?;
        v = match sel.by {
            GroupBy::Part(kind) => v.with_part(kind, sel.value),
            GroupBy::Tag(name) => v.with_tag(name, sel.value),
        };
    }
    Some(v)
}

impl FromStr for Variant {
    type Err = SyntaxError;

    /// Reads `LABEL=ITEM,…`: the label, then what the copy changes, each item a part to swap in
    /// (`segment:families-south`), a tag to set (`tag:region=south`) or `extend_audience`
    /// (see [`Variant::with_extended_audience`]). A bare `LABEL` changes nothing but the key.
    ///
    /// # Errors
    /// [`SyntaxError`] for an empty label or an item of another form.
    ///
    /// ```
    /// use offergraph::{PartKind, Variant};
    /// let v: Variant = "south=segment:families-south,tag:region=south".parse()?;
    /// let built = Variant::new("south").with_part(PartKind::Segment, "families-south").with_tag("region", "south");
    /// assert_eq!(v, built);
    /// assert!("south=region:x".parse::<Variant>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from_str(s: &str) -> Result<Variant, SyntaxError> {
        variant(s).ok_or_else(|| SyntaxError::new("variant", s, VARIANT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_form_and_the_text() {
        let cases: [(&str, String); 4] = [
            ("selector", "channel:".parse::<Selector>().unwrap_err().to_string()),
            ("limit", "40 %%".parse::<Limit>().unwrap_err().to_string()),
            ("objective", "max_fun".parse::<Objective>().unwrap_err().to_string()),
            ("variant", "=segment:x".parse::<Variant>().unwrap_err().to_string()),
        ];
        assert_eq!(cases[0].1, format!("invalid selector \"channel:\": expected {SELECTOR}"));
        assert_eq!(cases[1].1, format!("invalid limit \"40 %%\": expected {LIMIT}"));
        assert_eq!(cases[2].1, format!("invalid objective \"max_fun\": expected {OBJECTIVE}"));
        assert_eq!(cases[3].1, format!("invalid variant \"=segment:x\": expected {VARIANT}"));
        for (what, msg) in cases {
            assert!(msg.starts_with(&format!("invalid {what} ")), "{msg}");
        }
    }

    #[test]
    fn every_form_reads() {
        for (text, kind) in [
            ("segment:a", PartKind::Segment),
            ("proposition:a", PartKind::Proposition),
            ("offer:a", PartKind::Offer),
            ("channel: a ", PartKind::Channel),
        ] {
            assert_eq!(text.parse::<Selector>(), Ok(Selector::new(GroupBy::Part(kind), "a")));
        }
        assert_eq!("tag:region=north=x".parse::<Selector>().map(|s| s.value).as_deref(), Ok("north=x"));
        assert_eq!("12.5%".parse::<Limit>(), Ok(Limit::Share(0.125)));
        assert!("inf".parse::<Limit>().is_err() && "%".parse::<Limit>().is_err());
        assert_eq!(
            "max_gross_profit".parse::<Objective>(),
            Ok(Objective::MaxValueFixedBudget { measure: Measure::GrossProfit })
        );
        assert_eq!("target_average_romi=1".parse::<Objective>(), Ok(Objective::TargetAverageRomi(1.0)));
        assert!("min_spend:clicks=3".parse::<Objective>().is_err());
        assert_eq!("x=extend_audience".parse::<Variant>(), Ok(Variant::new("x").with_extended_audience()));
        assert_eq!("tier".parse::<Variant>(), Ok(Variant::new("tier")));
    }
}
