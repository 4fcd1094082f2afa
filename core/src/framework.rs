//! Competence frameworks: areas, competences and the proficiency scale.
//!
//! Two frameworks are built in, as JSON data files embedded in the crate:
//! DigComp 2.2 (`"digcomp-2.2"`) and DigComp 3.0 (`"digcomp-3.0"`). Custom
//! frameworks load from JSON ([`Framework::from_json`]) or TOML
//! ([`Framework::from_toml`]); both validate and report the path of the bad
//! field.
//!
//! ```
//! use kompetens::Framework;
//! let fw = Framework::builtin("digcomp-2.2")?;
//! assert_eq!(fw.competence_ids().len(), 21);
//! assert_eq!(fw.competence("2.4").map(|c| c.name.get("en")),
//!            Some("Collaborating through digital technologies"));
//! assert_eq!((fw.min_level(), fw.max_level()), (0, 8));
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::collections::{BTreeSet, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::{from_json_str, from_toml_str, Text};

/// A proficiency level number (DigComp: 0–8).
pub type LevelValue = i32;

/// A competence framework such as DigComp 2.2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Stable id, e.g. `digcomp-2.2`.
    pub id: String,
    /// Version string, e.g. `2.2`.
    pub version: String,
    /// Name per language.
    pub name: Text,
    /// Longer description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// Where the framework comes from (publication, URL-free citation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Status of each language's texts (e.g. Swedish: unofficial translation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<Translation>,
    /// The proficiency scale shared by all competences.
    pub scale: ProficiencyScale,
    /// Competence areas, in order.
    pub areas: Vec<Area>,
}

/// Whether the texts of one language are official.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// Language tag, e.g. `sv`.
    pub lang: String,
    /// True for the publisher's own texts; false for our translations.
    pub official: bool,
    /// Free note, e.g. who translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An ordered proficiency scale with optional groups of levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProficiencyScale {
    /// Groups of levels (DigComp 2.2: Foundation, Intermediate, Advanced,
    /// Highly specialised).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<LevelGroup>,
    /// Levels in strictly increasing order of `level`.
    pub levels: Vec<Level>,
}

/// A named group of levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelGroup {
    /// Group id, e.g. `foundation`.
    pub id: String,
    /// Name per language.
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
}

/// One proficiency level and its descriptors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The level number.
    pub level: LevelValue,
    /// Label per language.
    pub name: Text,
    /// Id of the group this level belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Sub-level within the group (`lower`/`upper` in DigComp 3.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sublevel: Option<String>,
    /// Complexity of tasks at this level.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub complexity: Text,
    /// Autonomy at this level.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub autonomy: Text,
    /// Cognitive domain at this level.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub cognitive_domain: Text,
    /// Free descriptor.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub descriptor: Text,
}

/// A competence area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Area id, e.g. `1`.
    pub id: String,
    /// Name per language.
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// The area's competences, in order; never empty.
    pub competences: Vec<Competence>,
}

/// A competence, with an id that is stable across framework versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Competence {
    /// Stable id, e.g. `2.4`.
    pub id: String,
    /// Name per language.
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
}

/// A competence together with the id of its area, as yielded by
/// [`Framework::competences`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompetenceRef<'a> {
    /// The area id.
    pub area: &'a str,
    /// Position of the competence in framework order.
    pub index: usize,
    /// The competence.
    pub competence: &'a Competence,
}

const DIGCOMP_22: &str = include_str!("../data/digcomp-2.2.json");
#[cfg(feature = "digcomp3")]
const DIGCOMP_30: &str = include_str!("../data/digcomp-3.0.json");

/// Names of the built-in frameworks.
#[cfg(feature = "digcomp3")]
pub const BUILTIN_FRAMEWORKS: &[&str] = &["digcomp-2.2", "digcomp-3.0"];
/// Names of the built-in frameworks (DigComp 3.0 needs the crate feature
/// `digcomp3`).
#[cfg(not(feature = "digcomp3"))]
pub const BUILTIN_FRAMEWORKS: &[&str] = &["digcomp-2.2"];

impl Framework {
    /// A built-in framework: `"digcomp-2.2"` or `"digcomp-3.0"` (crate
    /// feature `digcomp3`, on by default).
    pub fn builtin(name: &str) -> Result<Framework> {
        let text = match name {
            "digcomp-2.2" | "digcomp22" | "DigComp 2.2" => DIGCOMP_22,
            #[cfg(feature = "digcomp3")]
            "digcomp-3.0" | "digcomp30" | "DigComp 3.0" => DIGCOMP_30,
            _ => {
                return Err(Error::UnknownBuiltin {
                    kind: "framework".into(),
                    name: name.into(),
                    available: BUILTIN_FRAMEWORKS.join(", "),
                })
            }
        };
        Framework::from_json(text)
    }

    /// Load and validate a framework from JSON.
    pub fn from_json(text: &str) -> Result<Framework> {
        let fw: Framework = from_json_str(text)?;
        fw.validate()?;
        Ok(fw)
    }

    /// Load and validate a framework from TOML.
    /// Needs the crate feature `toml` (default); without it this returns
    /// [`Error::UnsupportedFormat`](crate::Error::UnsupportedFormat).
    pub fn from_toml(text: &str) -> Result<Framework> {
        let fw: Framework = from_toml_str(text)?;
        fw.validate()?;
        Ok(fw)
    }

    /// Serialise to pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::invalid("$", e.to_string()))
    }

    /// Check every structural rule; the error names the path of the bad field.
    ///
    /// Rules: non-empty id; at least one area; every area has at least one
    /// competence; area ids unique; competence ids unique across the
    /// framework; at least one level; levels strictly increasing; group ids
    /// unique, and every level's group exists; the levels of a group are
    /// contiguous.
    pub fn validate(&self) -> Result<()> {
        if self.id.trim().is_empty() {
            return Err(Error::MissingValue {
                location: "id".into(),
                what: "framework id".into(),
            });
        }
        // scale
        if self.scale.levels.is_empty() {
            return Err(Error::Empty {
                location: "scale.levels".into(),
            });
        }
        let mut group_ids = BTreeSet::new();
        for (g, group) in self.scale.groups.iter().enumerate() {
            if group.id.trim().is_empty() {
                return Err(Error::MissingValue {
                    location: format!("scale.groups[{g}].id"),
                    what: "group id".into(),
                });
            }
            if !group_ids.insert(group.id.as_str()) {
                return Err(Error::DuplicateId {
                    location: format!("scale.groups[{g}].id"),
                    id: group.id.clone(),
                });
            }
        }
        let mut closed_groups: BTreeSet<&str> = BTreeSet::new();
        let mut current_group: Option<&str> = None;
        for (i, level) in self.scale.levels.iter().enumerate() {
            if i > 0 {
                let prev = self.scale.levels[i - 1].level;
                if level.level <= prev {
                    return Err(Error::InvalidScale {
                        location: format!("scale.levels[{i}].level"),
                        message: format!(
                            "levels must be strictly increasing, but {} follows {}",
                            level.level, prev
                        ),
                    });
                }
            }
            if let Some(group) = level.group.as_deref() {
                if !group_ids.contains(group) {
                    return Err(Error::UnknownReference {
                        location: format!("scale.levels[{i}].group"),
                        kind: "level group".into(),
                        id: group.to_string(),
                    });
                }
                if current_group != Some(group) {
                    if closed_groups.contains(group) {
                        return Err(Error::InvalidScale {
                            location: format!("scale.levels[{i}].group"),
                            message: format!("the levels of group {group:?} are not contiguous"),
                        });
                    }
                    if let Some(prev) = current_group {
                        closed_groups.insert(prev);
                    }
                    current_group = Some(group);
                }
            } else if let Some(prev) = current_group.take() {
                closed_groups.insert(prev);
            }
        }
        // areas and competences
        if self.areas.is_empty() {
            return Err(Error::Empty {
                location: "areas".into(),
            });
        }
        let mut area_ids = BTreeSet::new();
        let mut competence_ids = BTreeSet::new();
        for (a, area) in self.areas.iter().enumerate() {
            if area.id.trim().is_empty() {
                return Err(Error::MissingValue {
                    location: format!("areas[{a}].id"),
                    what: "area id".into(),
                });
            }
            if !area_ids.insert(area.id.as_str()) {
                return Err(Error::DuplicateId {
                    location: format!("areas[{a}].id"),
                    id: area.id.clone(),
                });
            }
            if area.competences.is_empty() {
                return Err(Error::Empty {
                    location: format!("areas[{a}].competences"),
                });
            }
            for (c, comp) in area.competences.iter().enumerate() {
                if comp.id.trim().is_empty() {
                    return Err(Error::MissingValue {
                        location: format!("areas[{a}].competences[{c}].id"),
                        what: "competence id".into(),
                    });
                }
                if !competence_ids.insert(comp.id.as_str()) {
                    return Err(Error::DuplicateId {
                        location: format!("areas[{a}].competences[{c}].id"),
                        id: comp.id.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Every competence in framework order, with its area id.
    pub fn competences(&self) -> impl Iterator<Item = CompetenceRef<'_>> {
        self.areas
            .iter()
            .flat_map(|a| a.competences.iter().map(move |c| (a.id.as_str(), c)))
            .enumerate()
            .map(|(index, (area, competence))| CompetenceRef {
                area,
                index,
                competence,
            })
    }

    /// Competence ids in framework order.
    pub fn competence_ids(&self) -> Vec<&str> {
        self.competences()
            .map(|c| c.competence.id.as_str())
            .collect()
    }

    /// A map from competence id to its position in framework order.
    pub fn competence_index(&self) -> HashMap<&str, usize> {
        self.competences()
            .map(|c| (c.competence.id.as_str(), c.index))
            .collect()
    }

    /// Look a competence up by id.
    pub fn competence(&self, id: &str) -> Option<&Competence> {
        self.competences()
            .find(|c| c.competence.id == id)
            .map(|c| c.competence)
    }

    /// The area id of a competence.
    pub fn area_of(&self, competence_id: &str) -> Option<&str> {
        self.competences()
            .find(|c| c.competence.id == competence_id)
            .map(|c| c.area)
    }

    /// Lowest level of the scale.
    pub fn min_level(&self) -> LevelValue {
        self.scale.levels.first().map(|l| l.level).unwrap_or(0)
    }

    /// Highest level of the scale.
    pub fn max_level(&self) -> LevelValue {
        self.scale.levels.last().map(|l| l.level).unwrap_or(0)
    }

    /// Look a level up by number.
    pub fn level(&self, level: LevelValue) -> Option<&Level> {
        self.scale.levels.iter().find(|l| l.level == level)
    }

    /// Check that `level` lies on the scale; `location` names the field.
    pub fn check_level(&self, level: LevelValue, location: &str) -> Result<()> {
        if self.level(level).is_none() {
            return Err(Error::LevelOutOfScale {
                location: location.to_string(),
                level: i64::from(level),
                min: i64::from(self.min_level()),
                max: i64::from(self.max_level()),
            });
        }
        Ok(())
    }

    /// Check that a competence id exists; `location` names the field.
    pub fn check_competence(&self, id: &str, location: &str) -> Result<usize> {
        self.competences()
            .find(|c| c.competence.id == id)
            .map(|c| c.index)
            .ok_or_else(|| Error::UnknownCompetence {
                location: location.to_string(),
                id: id.to_string(),
                framework: self.id.clone(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load() {
        for name in BUILTIN_FRAMEWORKS {
            let fw = Framework::builtin(name).unwrap();
            assert_eq!(fw.areas.len(), 5, "{name}");
            assert_eq!(fw.competence_ids().len(), 21, "{name}");
        }
    }

    #[test]
    fn unknown_builtin() {
        let err = Framework::builtin("digcomp-9").unwrap_err();
        assert_eq!(err.code(), "unknown_builtin");
    }
}
