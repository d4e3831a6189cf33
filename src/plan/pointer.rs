//! Where in a plan file an error is: the JSON pointer (RFC 6901) of the field a load error names.

use serde_json::Value;

use crate::error::{ModelError, PlanError, TimeError, UncertaintyError};

/// The array of a plan file that holds an entity kind, as messages name it.
fn array_of(entity: &str) -> Option<&'static str> {
    match entity {
        "segment" => Some("segments"),
        "value proposition" | "proposition" => Some("propositions"),
        "offer" => Some("offers"),
        "channel" => Some("channels"),
        "module" => Some("modules"),
        _ => None,
    }
}

/// A module's key as the file gives it, or as it is derived from its parts.
fn module_key(m: &Value) -> Option<String> {
    if let Some(k) = m.get("key").and_then(Value::as_str) {
        return Some(k.to_owned());
    }
    let part = |f: &str| m.get(f).and_then(Value::as_str);
    Some(format!("{}/{}/{}/{}", part("segment")?, part("proposition")?, part("offer")?, part("channel")?))
}

/// Escapes a reference token (`~` → `~0`, `/` → `~1`).
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// `/array/i` of the `nth` (0-based) entity of this kind with this key.
fn find<'a>(file: &'a Value, entity: &str, key: &str, nth: usize) -> Option<(String, &'a Value)> {
    let array = array_of(entity)?;
    let items = file.get(array)?.as_array()?;
    let matches = |v: &Value| match array {
        "modules" => module_key(v).as_deref() == Some(key),
        _ => v.get("key").and_then(Value::as_str) == Some(key),
    };
    let (i, v) = items.iter().enumerate().filter(|(_, v)| matches(v)).nth(nth)?;
    Some((format!("/{array}/{i}"), v))
}

/// The pointer of `field` under the object at `at`: directly, or in its `overrides` or `budget`.
fn field_of(at: String, object: &Value, field: &str) -> String {
    for holder in ["", "overrides", "budget"] {
        let inner = if holder.is_empty() { Some(object) } else { object.get(holder) };
        if inner.and_then(|o| o.get(field)).is_some() {
            let mid = if holder.is_empty() { String::new() } else { format!("/{holder}") };
            return format!("{at}{mid}/{}", token(field));
        }
    }
    at
}

/// `kind "key"` → `(kind, key)`.
fn named(referrer: &str) -> Option<(&str, &str)> {
    let (kind, rest) = referrer.split_once(" \"")?;
    Some((kind, rest.strip_suffix('"')?))
}

fn model_pointer(file: &Value, e: &ModelError) -> Option<String> {
    match e {
        ModelError::InvalidValue { entity: "plan", field, .. } => Some(format!("/{}", token(field))),
        ModelError::InvalidValue { entity, key, field, .. } => {
            find(file, entity, key, 0).map(|(at, v)| field_of(at, v, field))
        }
        ModelError::InvalidCurve { entity, key, .. } => {
            find(file, entity, key, 0).map(|(at, v)| field_of(at, v, "curve"))
        }
        ModelError::DuplicateKey { entity, key } => {
            find(file, entity, key, 1).map(|(at, v)| field_of(at, v, "key"))
        }
        ModelError::EmptyKey { entity } => {
            let array = array_of(entity)?;
            let items = file.get(array)?.as_array()?;
            let i = items
                .iter()
                .position(|v| v.get("key").and_then(Value::as_str).is_some_and(|k| k.trim().is_empty()))?;
            Some(format!("/{array}/{i}/key"))
        }
        ModelError::Unknown { entity, key, referrer } => {
            let (kind, owner) = named(referrer)?;
            let (at, v) = find(file, kind, owner, 0)?;
            let field = if kind == "module" { entity.replace("value ", "") } else { "segments".to_owned() };
            let Some(Value::Array(list)) = v.get(&field) else { return Some(field_of(at, v, &field)) };
            let i = list.iter().position(|x| x.as_str() == Some(key.as_str()));
            Some(i.map_or_else(|| format!("{at}/{field}"), |i| format!("{at}/{field}/{i}")))
        }
        ModelError::Incompatible { module, .. } => {
            find(file, "module", module, 0).map(|(at, v)| field_of(at, v, "proposition"))
        }
        ModelError::ConversionAboveOne { module, .. } => find(file, "module", module, 0).map(|(at, _)| at),
        ModelError::InvalidBudgetRule { module, .. } => {
            find(file, "module", module, 0).map(|(at, v)| field_of(at, v, "budget"))
        }
        ModelError::InvalidPolicy { .. } => file.get("budget_policy").map(|_| "/budget_policy".to_owned()),
        _ => None,
    }
}

/// The `uncertainty` section's map of an entity kind.
fn uncertainty_pointer(file: &Value, e: &UncertaintyError) -> Option<String> {
    let (entity, key, field) = match e {
        UncertaintyError::Entry { entity, key, field, .. } => (*entity, key, Some(*field)),
        UncertaintyError::UnknownKey { entity, key } => (*entity, key, None),
        _ => return None,
    };
    let map = array_of(entity)?;
    let at = format!("/uncertainty/{map}/{}", token(key));
    file.get("uncertainty")?.get(map)?.get(key)?;
    Some(field.map_or_else(|| at.clone(), |f| format!("{at}/{f}")))
}

/// The team a time error names (`team "desk" reps`, referrer `team "desk"`).
fn team<'a>(file: &'a Value, key: &str, nth: usize) -> Option<(String, &'a Value)> {
    let teams = file.get("time")?.get("teams")?.as_array()?;
    let (i, t) = teams
        .iter()
        .enumerate()
        .filter(|(_, t)| t.get("key").and_then(Value::as_str) == Some(key))
        .nth(nth)?;
    Some((format!("/time/teams/{i}"), t))
}

fn time_pointer(file: &Value, e: &TimeError) -> Option<String> {
    match e {
        TimeError::InvalidValue { what, .. } => {
            let (kind, rest) = what.split_once(" \"")?;
            let (key, field) = rest.split_once("\" ")?;
            if kind != "team" || field.contains(' ') {
                return None;
            }
            let (at, t) = team(file, key, 0)?;
            Some(field_of(at, t, field))
        }
        TimeError::UnknownKey { referrer, key, .. } => {
            let (kind, owner) = named(referrer)?;
            if kind != "team" {
                return None;
            }
            let (at, t) = team(file, owner, 0)?;
            ["modules", "segments", "channels"].iter().find_map(|list| {
                let i = t.get(*list)?.as_array()?.iter().position(|k| k.as_str() == Some(key.as_str()))?;
                Some(format!("{at}/{list}/{i}"))
            })
        }
        TimeError::Duplicate { entity: "team", key } => team(file, key, 1).map(|(at, _)| format!("{at}/key")),
        _ => None,
    }
}

impl PlanError {
    /// The JSON pointer (RFC 6901) of the field this error names in the plan file `text`, when
    /// it names one: a value out of range (`/segments/0/base_conversion`), an invalid curve, a
    /// duplicate or empty key, a reference to a missing part (`/modules/2/channel`), a module
    /// whose proposition does not speak to its segment, a contradictory budget rule or policy, a
    /// team's number or reference in the `time` section (`/time/teams/0/reps`), an entry of the
    /// `uncertainty` section (`/uncertainty/channels/search/lead_scale`).
    /// `None` for syntax errors (they carry their line and column), for errors without a field
    /// and when `text` is not JSON.
    ///
    /// ```
    /// let text = r#"{"schema_version": 3, "name": "p", "budget": 100,
    ///   "segments": [{"key": "a", "audience": 10, "base_conversion": 0.1},
    ///                {"key": "b", "audience": 10, "base_conversion": 1.5}]}"#;
    /// let err = offergraph::Plan::from_json(text).unwrap_err();
    /// assert_eq!(err.pointer(text).as_deref(), Some("/segments/1/base_conversion"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pointer(&self, text: &str) -> Option<String> {
        match self {
            PlanError::InFile { source, .. } => source.pointer(text),
            PlanError::Model(e) => model_pointer(&serde_json::from_str(text).ok()?, e),
            PlanError::Budget(crate::error::BudgetError::Policy(e)) => {
                model_pointer(&serde_json::from_str(text).ok()?, e)
            }
            PlanError::Time(e) => time_pointer(&serde_json::from_str(text).ok()?, e),
            PlanError::Uncertainty(e) => uncertainty_pointer(&serde_json::from_str(text).ok()?, e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Scenario;

    fn pointer(text: &str) -> Option<String> {
        Scenario::from_json(text).unwrap_err().pointer(text)
    }

    const PARTS: &str = r#""segments": [{"key": "s", "audience": 10, "base_conversion": 0.1}],
        "propositions": [{"key": "p", "relevance": 1, "segments": ["s"]}],
        "offers": [{"key": "o", "deal_value": 100, "margin": 0.5}],
        "channels": [{"key": "c", "curve": {"type": "linear", "cpl": 10}, "reference_audience": 10}]"#;

    #[test]
    fn errors_point_at_their_field() {
        let plan =
            |rest: &str| format!(r#"{{"schema_version": 3, "name": "x", "budget": 100, {PARTS}, {rest}}}"#);
        let cases = [
            (
                r#""modules": [{"segment": "s", "proposition": "p", "offer": "o", "channel": "tv"}]"#,
                "/modules/0/channel",
            ),
            (
                r#""modules": [{"segment": "s", "proposition": "p", "offer": "o", "channel": "c"},
                   {"segment": "s", "proposition": "p", "offer": "o", "channel": "c"}]"#,
                "/modules/1",
            ),
            (
                r#""modules": [{"key": "m", "segment": "s", "proposition": "p", "offer": "o", "channel": "c", "overrides": {"margin": 2}}]"#,
                "/modules/0/overrides/margin",
            ),
        ];
        for (rest, want) in cases {
            let text = plan(rest);
            assert_eq!(pointer(&text).as_deref(), Some(want), "{text}");
        }
        let neg = r#"{"schema_version": 3, "name": "x", "budget": 100, "offers": [{"key": "o~/", "deal_value": 100, "margin": 1.5}]}"#;
        assert_eq!(pointer(neg).as_deref(), Some("/offers/0/margin"));
        assert_eq!(pointer("{").as_deref(), None);
        let team = |t: &str| plan(&format!(r#""modules": [], "time": {{"periods": 2, "teams": [{t}]}}"#));
        let desk =
            r#"{"key": "d", "reps": 1, "leads_per_rep_per_day": 1, "working_days": 5, "channels": ["c"]}"#;
        assert_eq!(
            pointer(&team(&desk.replace(r#""reps": 1"#, r#""reps": -1"#))).as_deref(),
            Some("/time/teams/0/reps")
        );
        assert_eq!(
            pointer(&team(&desk.replace(r#"["c"]"#, r#"["c", "tv"]"#))).as_deref(),
            Some("/time/teams/0/channels/1")
        );
        assert_eq!(pointer(&team(&format!("{desk}, {desk}"))).as_deref(), Some("/time/teams/1/key"));
        let risk = |u: &str| plan(&format!(r#""modules": [], "uncertainty": {u}"#));
        let entry = r#"{"lead_scale": {"type": "log_normal", "median": 1, "sigma": -1}}"#;
        assert_eq!(
            pointer(&risk(&format!(r#"{{"channels": {{"c": {entry}}}}}"#))).as_deref(),
            Some("/uncertainty/channels/c/lead_scale")
        );
        assert_eq!(
            pointer(&risk(r#"{"modules": {"a/b": {"lead_scale": {"type": "fixed", "value": 1}}}}"#))
                .as_deref(),
            Some("/uncertainty/modules/a~1b")
        );
    }
}
