//! The JSON-level façade: one function per operation, JSON value in, JSON
//! value out. The Python and JavaScript bindings and the shared test vectors
//! go through it, so every language runs the same code with the same input
//! checks (unknown keys are rejected, errors carry stable codes).
//!
//! Operations ([`call`]):
//!
//! | op | input | output |
//! |---|---|---|
//! | `framework.builtin` | `{name}` | framework |
//! | `framework.load` | `{framework}` (object or built-in name) or `{text, format}` (`json`/`toml`) | framework, validated |
//! | `profiles.resolve` | `{framework, profiles, role}` | effective profile |
//! | `policy.parse` | `{policy}` (string or object) | policy object |
//! | `reconcile` | `{framework, ratings, policy?}` | `[{competence, level, source}]` |
//! | `gap_report` | `{framework, ratings, policy?, profile}` or `{…, profiles, role}` | gap report |
//! | `calibration` | `{framework, assessments}` | calibration report |
//! | `assessments.from_csv` | `{framework, text, form, source?}` | `[assessment]` |
//! | `aggregate.gaps` | data (below) + `{min_group?, suppression?, role_table?, role_unit_table?, areas?, top?}` | `{min_group, suppression, rows, top_needs, audit}` |
//! | `aggregate.state` | data | aggregation state (JSON form) |
//! | `aggregate.merge` | `{states: [state, …]}` | merged state |
//! | `aggregate.finish` | `{state, min_group?, suppression?, …}` | as `aggregate.gaps` |
//! | `aggregate.audit` | `{tree, rows, min_group?}` | audit report |
//! | `aggregate.training_demand` | data + `{min_group?, catalogue?: [{id, competences, level_from, level_to, capacity?, format?}], max_per_person?}` | `{min_group, demand, recommendations?, plan?, uncovered_weighted_need?}` |
//! | `aggregate.waves` | `{framework? or competences, tree, before: [{id, unit, levels}], after: […], min_group?, suppression?, per_person?}` | `{min_group, rows, movements, determined, changes?}` |
//!
//! Aggregate data: `{framework?, profiles?, tree, people: [{id?, unit, role?, levels: {competence: level|null}, required?: {competence: level}}]}`
//! or matrices `{competences?, levels: [[level|null|-1]], units: [unit], roles?: [role], required?: [[level]], weights?: {competence: weight}, role_ids?, level_min?, level_max?}`;
//! see [`crate::aggregate::json`].
//!
//! Wherever `framework` is expected, a built-in name (`"digcomp-2.2"`) or a
//! framework object is accepted.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::assessment::{calibration, reconcile, Assessment, Policy, Ratings, Source};
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::gap::gap_report;
use crate::import::import_csv;
use crate::profile::{EffectiveProfile, ProfileSet, RoleProfile};
use crate::text::{from_json_value, from_toml_str, to_json_value};

/// Names of all operations accepted by [`call`].
pub const OPERATIONS: &[&str] = &[
    "framework.builtin",
    "framework.load",
    "profiles.resolve",
    "policy.parse",
    "reconcile",
    "gap_report",
    "calibration",
    "assessments.from_csv",
    "aggregate.gaps",
    "aggregate.state",
    "aggregate.merge",
    "aggregate.finish",
    "aggregate.audit",
    "aggregate.waves",
    "aggregate.training_demand",
];

/// Run one operation on a JSON input.
pub fn call(op: &str, input: Value) -> Result<Value> {
    let mut input = Input::new(input)?;
    if let Some(out) = aggregate_op(op, &mut input) {
        return out;
    }
    let out = match op {
        "framework.builtin" => {
            let name: String = input.take("name")?;
            to_json_value(&Framework::builtin(&name)?)
        }
        "framework.load" => {
            let fw = if input.has("text") {
                let text: String = input.take("text")?;
                let format: Option<String> = input.take_opt("format")?;
                match format.as_deref().unwrap_or("json") {
                    "json" => Framework::from_json(&text)?,
                    "toml" => Framework::from_toml(&text)?,
                    other => {
                        return Err(Error::invalid(
                            "format",
                            format!("unknown format {other:?}"),
                        ))
                    }
                }
            } else {
                input.framework()?
            };
            to_json_value(&fw)
        }
        "profiles.resolve" => {
            let fw = input.framework()?;
            let profiles = input.raw("profiles")?;
            let role: String = input.take("role")?;
            let set = ProfileSet::from_value(profiles, &fw)?;
            to_json_value(&set.resolve(&role)?)
        }
        "policy.parse" => to_json_value(&input.policy()?.ok_or_else(|| Error::MissingValue {
            location: "policy".into(),
            what: "policy".into(),
        })?),
        "reconcile" => {
            let fw = input.framework()?;
            let ratings: Ratings = input.take("ratings")?;
            let policy = input.policy()?;
            let chosen = reconcile(&fw, &ratings, policy.as_ref())?;
            let list: Vec<Value> = fw
                .competence_ids()
                .into_iter()
                .filter_map(|id| {
                    chosen
                        .get(id)
                        .map(|c| json!({"competence": id, "level": c.level, "source": c.source}))
                })
                .collect();
            Ok(Value::Array(list))
        }
        "gap_report" => {
            let fw = input.framework()?;
            let profile = input.profile(&fw)?;
            let ratings: Ratings = input.take("ratings")?;
            let policy = input.policy()?;
            to_json_value(&gap_report(&fw, &profile, &ratings, policy.as_ref())?)
        }
        "calibration" => {
            let fw = input.framework()?;
            let assessments: Vec<Assessment> = input.take("assessments")?;
            to_json_value(&calibration(&fw, &assessments)?)
        }
        "assessments.from_csv" => {
            let fw = input.framework()?;
            let text: String = input.take("text")?;
            let form: String = input.take("form")?;
            let source: Option<Source> = input.take_opt("source")?;
            to_json_value(&import_csv(&text, form.parse()?, source, &fw)?)
        }
        other => {
            return Err(Error::UnknownOperation {
                name: other.to_string(),
            })
        }
    }?;
    input.finish()?;
    Ok(out)
}

/// The `aggregate.*` operations; `None` when `op` is not one of them.
fn aggregate_op(op: &str, input: &mut Input) -> Option<Result<Value>> {
    use crate::aggregate::json;
    let f: fn(serde_json::Map<String, Value>) -> Result<Value> = match op {
        "aggregate.gaps" => json::gaps,
        "aggregate.state" => json::state,
        "aggregate.merge" => json::merge,
        "aggregate.finish" => json::finish,
        "aggregate.audit" => json::audit,
        "aggregate.waves" => json::waves,
        "aggregate.training_demand" => json::training_demand,
        _ => return None,
    };
    Some(f(std::mem::take(&mut input.map)))
}

/// Helper that takes fields out of an input object and rejects leftovers.
struct Input {
    map: serde_json::Map<String, Value>,
}

impl Input {
    fn new(value: Value) -> Result<Input> {
        match value {
            Value::Object(map) => Ok(Input { map }),
            Value::Null => Ok(Input {
                map: serde_json::Map::new(),
            }),
            _ => Err(Error::Parse {
                format: "json".into(),
                location: "$".into(),
                message: "the input must be an object".into(),
            }),
        }
    }

    fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    fn raw(&mut self, key: &str) -> Result<Value> {
        match self.map.remove(key) {
            Some(v) if !v.is_null() => Ok(v),
            _ => Err(Error::MissingValue {
                location: key.to_string(),
                what: format!("field {key:?}"),
            }),
        }
    }

    fn take<T: for<'de> Deserialize<'de>>(&mut self, key: &str) -> Result<T> {
        let v = self.raw(key)?;
        from_json_value(v).map_err(|e| prefix(e, key))
    }

    fn take_opt<T: for<'de> Deserialize<'de>>(&mut self, key: &str) -> Result<Option<T>> {
        match self.map.remove(key) {
            Some(v) if !v.is_null() => from_json_value(v).map(Some).map_err(|e| prefix(e, key)),
            _ => Ok(None),
        }
    }

    fn framework(&mut self) -> Result<Framework> {
        let v = self.raw("framework")?;
        framework_from_value(v).map_err(|e| prefix(e, "framework"))
    }

    fn policy(&mut self) -> Result<Option<Policy>> {
        match self.map.remove("policy") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.parse()?)),
            Some(v) => {
                let p: Policy = from_json_value(v).map_err(|e| prefix(e, "policy"))?;
                Ok(Some(p.checked()?))
            }
        }
    }

    fn profile(&mut self, fw: &Framework) -> Result<EffectiveProfile> {
        if self.has("profiles") {
            let profiles = self.raw("profiles")?;
            let role: String = self.take("role")?;
            return ProfileSet::from_value(profiles, fw)?.resolve(&role);
        }
        let v = self.raw("profile")?;
        effective_profile_from_value(v, fw).map_err(|e| prefix(e, "profile"))
    }

    fn finish(self) -> Result<()> {
        match self.map.keys().next() {
            Some(k) => Err(Error::Parse {
                format: "json".into(),
                location: k.clone(),
                message: format!("unknown field {k:?}"),
            }),
            None => Ok(()),
        }
    }
}

fn prefix(err: Error, key: &str) -> Error {
    let loc = err.location();
    let joined = if loc == "$" || loc.is_empty() {
        key.to_string()
    } else if loc.starts_with(key) {
        loc
    } else if loc.starts_with('[') {
        format!("{key}{loc}")
    } else {
        format!("{key}.{loc}")
    };
    match err {
        Error::Parse {
            format, message, ..
        } => Error::Parse {
            format,
            location: joined,
            message,
        },
        other => other,
    }
}

/// A framework from a built-in name or a framework object (validated).
pub fn framework_from_value(value: Value) -> Result<Framework> {
    match value {
        Value::String(name) => Framework::builtin(&name),
        other => {
            let fw: Framework = from_json_value(other)?;
            fw.validate()?;
            Ok(fw)
        }
    }
}

/// A profile object: an effective profile (has `chain`) is checked against
/// the framework; a role profile is resolved on its own (it must not extend
/// another profile).
pub fn effective_profile_from_value(value: Value, fw: &Framework) -> Result<EffectiveProfile> {
    if value.get("chain").is_some() {
        let p: EffectiveProfile = from_json_value(value)?;
        for (i, r) in p.requirements.iter().enumerate() {
            fw.check_competence(&r.competence, &format!("requirements[{i}].competence"))?;
            fw.check_level(r.level, &format!("requirements[{i}].level"))?;
        }
        Ok(p)
    } else {
        let p: RoleProfile = from_json_value(value)?;
        EffectiveProfile::standalone(p, fw)
    }
}

/// Parse TOML text into a JSON value (for bindings that accept TOML).
pub fn toml_to_value(text: &str) -> Result<Value> {
    from_toml_str(text)
}
