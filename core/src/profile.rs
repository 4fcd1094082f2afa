//! Role profiles (yrkesroll): the required level and weight per competence.
//!
//! A profile may extend another (`all-staff` → `librarian`); the child's
//! requirements override the parent's competence by competence, and a
//! requirement of level 0 removes an inherited requirement. Profiles are
//! loaded as a [`ProfileSet`] so that `extends` can be resolved.
//!
//! Named weights: `critical` = 3.0, `important` = 2.0, `useful` = 1.0
//! ([`NamedWeight::value`]); an omitted weight is `useful` (1.0). A numeric
//! weight must be finite and greater than 0.
//!
//! ```
//! use kompetens::{Framework, ProfileSet};
//! let fw = Framework::builtin("digcomp-2.2")?;
//! let set = ProfileSet::from_json(r#"[
//!   {"id": "all-staff", "requirements": [{"competence": "4.2", "level": 3, "weight": "critical"}]},
//!   {"id": "librarian", "extends": "all-staff",
//!    "requirements": [{"competence": "1.1", "level": 5, "weight": 2.5}]}
//! ]"#, &fw)?;
//! let lib = set.resolve("librarian")?;
//! assert_eq!(lib.requirements.len(), 2);
//! assert_eq!(lib.chain, vec!["all-staff", "librarian"]);
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::framework::{Framework, LevelValue};
use crate::text::{from_json_str, from_json_value, from_toml_str, Text};

/// A role profile as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleProfile {
    /// Stable id, e.g. `librarian`.
    pub id: String,
    /// Name per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// Id of the profile this one extends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Id of the framework the levels refer to (checked when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// Requirements, at most one per competence.
    #[serde(default)]
    pub requirements: Vec<Requirement>,
}

/// One requirement of a role profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Competence id.
    pub competence: String,
    /// Required level; 0 removes an inherited requirement.
    pub level: LevelValue,
    /// Weight: a name or a positive number; default `useful` (1.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
}

/// A weight: a named one or a positive number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Weight {
    /// `critical`, `important` or `useful`.
    Named(NamedWeight),
    /// Any finite number greater than 0.
    Value(f64),
}

/// Named weights and their documented values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NamedWeight {
    /// 3.0 — the role cannot be done without it.
    Critical,
    /// 2.0 — needed for most of the role's tasks.
    Important,
    /// 1.0 — helps; also the default.
    Useful,
}

impl NamedWeight {
    /// Numeric value: critical 3, important 2, useful 1.
    pub fn value(self) -> f64 {
        match self {
            NamedWeight::Critical => 3.0,
            NamedWeight::Important => 2.0,
            NamedWeight::Useful => 1.0,
        }
    }
}

// Hand-written rather than derived: serde's untagged and internally
// tagged enums buffer their input (≈ 10 KB of code in the WebAssembly form
// build) and lose the path of an error inside; this reads by JSON type.
impl<'de> Deserialize<'de> for Weight {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::{self, IntoDeserializer};
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Weight;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("critical, important, useful or a number greater than 0")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Weight, E> {
                NamedWeight::deserialize(s.into_deserializer()).map(Weight::Named)
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> std::result::Result<Weight, E> {
                Ok(Weight::Value(x))
            }
            fn visit_u64<E: de::Error>(self, x: u64) -> std::result::Result<Weight, E> {
                Ok(Weight::Value(x as f64))
            }
            fn visit_i64<E: de::Error>(self, x: i64) -> std::result::Result<Weight, E> {
                Ok(Weight::Value(x as f64))
            }
        }
        d.deserialize_any(V)
    }
}

impl Weight {
    /// The numeric value, checked: finite and greater than 0.
    pub fn value(&self, location: &str) -> Result<f64> {
        match *self {
            Weight::Named(n) => Ok(n.value()),
            Weight::Value(v) if v.is_finite() && v > 0.0 => Ok(v),
            Weight::Value(v) => Err(Error::InvalidWeight {
                location: location.to_string(),
                message: format!("{v} is not a finite number greater than 0"),
            }),
        }
    }
}

/// A requirement after inheritance is resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectiveRequirement {
    /// Competence id.
    pub competence: String,
    /// Area id of the competence.
    pub area: String,
    /// Required level (> 0).
    pub level: LevelValue,
    /// Numeric weight.
    pub weight: f64,
    /// Id of the profile that set this requirement.
    pub from: String,
}

/// A role profile with inheritance resolved, requirements in framework order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectiveProfile {
    /// Profile id.
    pub id: String,
    /// Name per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    /// Framework id.
    pub framework: String,
    /// Profile ids from the root ancestor to this profile.
    pub chain: Vec<String>,
    /// Requirements with level > 0, in framework order.
    pub requirements: Vec<EffectiveRequirement>,
}

/// A set of role profiles, validated against a framework.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileSet {
    framework: Framework,
    profiles: Vec<RoleProfile>,
    index: HashMap<String, usize>,
}

/// Accepted file shapes for a profile set: a list, or `{"profiles": [...]}`
/// (the TOML form is `[[profiles]]`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ProfileSetFile {
    /// `[{...}, {...}]`
    List(Vec<RoleProfile>),
    /// `{"profiles": [...]}`
    Wrapped(ProfilesWrapper),
}

/// `{"profiles": [...]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilesWrapper {
    /// The profiles.
    pub profiles: Vec<RoleProfile>,
}

impl ProfileSetFile {
    fn into_vec(self) -> Vec<RoleProfile> {
        match self {
            ProfileSetFile::List(v) => v,
            ProfileSetFile::Wrapped(w) => w.profiles,
        }
    }
}

fn parse_profiles_value(value: serde_json::Value) -> Result<Vec<RoleProfile>> {
    // Decide the shape first so that errors carry the precise path.
    match value {
        serde_json::Value::Array(_) => {
            from_json_value::<Vec<RoleProfile>>(value).map_err(|e| e.within("profiles"))
        }
        serde_json::Value::Object(ref map) if map.contains_key("profiles") => {
            Ok(from_json_value::<ProfilesWrapper>(value)?.profiles)
        }
        serde_json::Value::Object(_) => Ok(vec![
            from_json_value::<RoleProfile>(value).map_err(|e| e.within("profiles[0]"))?
        ]),
        _ => Err(Error::Parse {
            format: "json".into(),
            location: "$".into(),
            message: "expected a list of role profiles or {\"profiles\": [...]}".into(),
        }),
    }
}

impl ProfileSet {
    /// Validate profiles against `framework`.
    ///
    /// Errors: duplicate profile ids, duplicate competences within a profile,
    /// unknown competences, levels outside the scale, bad weights, unknown
    /// parents, inheritance cycles, a `framework` field naming another
    /// framework.
    pub fn new(profiles: Vec<RoleProfile>, framework: &Framework) -> Result<ProfileSet> {
        let mut index = HashMap::new();
        for (p, profile) in profiles.iter().enumerate() {
            let base = format!("profiles[{p}]");
            if profile.id.trim().is_empty() {
                return Err(Error::MissingValue {
                    location: format!("{base}.id"),
                    what: "profile id".into(),
                });
            }
            if index.insert(profile.id.clone(), p).is_some() {
                return Err(Error::DuplicateId {
                    location: format!("{base}.id"),
                    id: profile.id.clone(),
                });
            }
            if let Some(fw) = &profile.framework {
                if fw != &framework.id {
                    return Err(Error::invalid(
                        format!("{base}.framework"),
                        format!(
                            "profile {:?} is written for framework {fw:?}, not {:?}",
                            profile.id, framework.id
                        ),
                    ));
                }
            }
            let mut seen = BTreeMap::new();
            for (r, req) in profile.requirements.iter().enumerate() {
                let loc = format!("{base}.requirements[{r}]");
                framework.check_competence(&req.competence, &format!("{loc}.competence"))?;
                if seen.insert(req.competence.as_str(), r).is_some() {
                    return Err(Error::DuplicateId {
                        location: format!("{loc}.competence"),
                        id: req.competence.clone(),
                    });
                }
                if req.level != 0 {
                    framework.check_level(req.level, &format!("{loc}.level"))?;
                }
                if let Some(w) = &req.weight {
                    w.value(&format!("{loc}.weight"))?;
                }
            }
        }
        for (p, profile) in profiles.iter().enumerate() {
            if let Some(parent) = &profile.extends {
                if !index.contains_key(parent) {
                    return Err(Error::UnknownProfile {
                        location: format!("profiles[{p}].extends"),
                        id: parent.clone(),
                    });
                }
            }
        }
        let set = ProfileSet {
            framework: framework.clone(),
            profiles,
            index,
        };
        for profile in &set.profiles {
            set.chain(&profile.id)?;
        }
        Ok(set)
    }

    /// Load a profile set from JSON: a list, `{"profiles": [...]}`, or one
    /// profile object.
    pub fn from_json(text: &str, framework: &Framework) -> Result<ProfileSet> {
        let value: serde_json::Value = from_json_str(text)?;
        ProfileSet::new(parse_profiles_value(value)?, framework)
    }

    /// Load a profile set from a JSON value (same shapes as [`Self::from_json`]).
    pub fn from_value(value: serde_json::Value, framework: &Framework) -> Result<ProfileSet> {
        ProfileSet::new(parse_profiles_value(value)?, framework)
    }

    /// Load a profile set from TOML (`[[profiles]]` tables).
    /// Needs the crate feature `toml` (default); without it this returns
    /// [`Error::UnsupportedFormat`](crate::Error::UnsupportedFormat).
    pub fn from_toml(text: &str, framework: &Framework) -> Result<ProfileSet> {
        let file: ProfileSetFile = from_toml_str(text)?;
        ProfileSet::new(file.into_vec(), framework)
    }

    /// The profiles as given.
    pub fn profiles(&self) -> &[RoleProfile] {
        &self.profiles
    }

    /// The framework the set was validated against.
    pub fn framework(&self) -> &Framework {
        &self.framework
    }

    /// Profile ids in input order.
    pub fn ids(&self) -> Vec<&str> {
        self.profiles.iter().map(|p| p.id.as_str()).collect()
    }

    fn get(&self, id: &str, location: &str) -> Result<&RoleProfile> {
        self.index
            .get(id)
            .and_then(|&i| self.profiles.get(i))
            .ok_or_else(|| Error::UnknownProfile {
                location: location.to_string(),
                id: id.to_string(),
            })
    }

    /// Profile ids from the root ancestor down to `id`.
    pub fn chain(&self, id: &str) -> Result<Vec<String>> {
        let mut chain = vec![id.to_string()];
        let mut current = self.get(id, "role")?;
        while let Some(parent) = &current.extends {
            if let Some(pos) = chain.iter().position(|c| c == parent) {
                let mut cycle: Vec<String> = chain[pos..].to_vec();
                cycle.push(parent.clone());
                return Err(Error::InheritanceCycle {
                    location: cycle.join(" -> "),
                });
            }
            chain.push(parent.clone());
            current = self.get(parent, &format!("profiles.{}.extends", current.id))?;
        }
        chain.reverse();
        Ok(chain)
    }

    /// The effective profile of `id`: inherited requirements overridden by
    /// the child, level-0 requirements removed, in framework order.
    pub fn resolve(&self, id: &str) -> Result<EffectiveProfile> {
        let chain = self.chain(id)?;
        let mut merged: BTreeMap<usize, EffectiveRequirement> = BTreeMap::new();
        let order = self.framework.competence_index();
        for pid in &chain {
            let profile = self.get(pid, "role")?;
            for (r, req) in profile.requirements.iter().enumerate() {
                let loc = format!("profiles.{pid}.requirements[{r}]");
                let idx = order.get(req.competence.as_str()).copied().ok_or_else(|| {
                    Error::UnknownCompetence {
                        location: format!("{loc}.competence"),
                        id: req.competence.clone(),
                        framework: self.framework.id.clone(),
                    }
                })?;
                if req.level == 0 {
                    merged.remove(&idx);
                    continue;
                }
                let weight = match &req.weight {
                    Some(w) => w.value(&format!("{loc}.weight"))?,
                    None => NamedWeight::Useful.value(),
                };
                let area = self
                    .framework
                    .area_of(&req.competence)
                    .unwrap_or_default()
                    .to_string();
                merged.insert(
                    idx,
                    EffectiveRequirement {
                        competence: req.competence.clone(),
                        area,
                        level: req.level,
                        weight,
                        from: pid.clone(),
                    },
                );
            }
        }
        let profile = self.get(id, "role")?;
        Ok(EffectiveProfile {
            id: profile.id.clone(),
            name: profile.name.clone(),
            framework: self.framework.id.clone(),
            chain,
            requirements: merged.into_values().collect(),
        })
    }
}

impl EffectiveProfile {
    /// Resolve a single profile that extends nothing.
    pub fn standalone(profile: RoleProfile, framework: &Framework) -> Result<EffectiveProfile> {
        if let Some(parent) = &profile.extends {
            return Err(Error::UnknownProfile {
                location: "extends".into(),
                id: parent.clone(),
            });
        }
        let id = profile.id.clone();
        ProfileSet::new(vec![profile], framework)
            .and_then(|set| set.resolve(&id))
            .map_err(|e| {
                e.relocate("profiles[0]", "")
                    .relocate(&format!("profiles.{id}"), "")
            })
    }

    /// The requirement on a competence, if any.
    pub fn requirement(&self, competence: &str) -> Option<&EffectiveRequirement> {
        self.requirements
            .iter()
            .find(|r| r.competence == competence)
    }
}
