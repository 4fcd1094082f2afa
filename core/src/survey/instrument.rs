//! Survey instruments as data: items, response scales, reverse keying and
//! weights. Load from JSON or TOML (schema `core/schemas/survey-instrument.schema.json`).
//!
//! ```
//! use kompetens::survey::Instrument;
//! let inst = Instrument::from_json(r#"{
//!   "id": "mini",
//!   "scales": [{"id": "agree5", "min": 1, "max": 5}],
//!   "items": [
//!     {"id": "q1", "text": {"en": "I find information online", "sv": "Jag hittar information på nätet"},
//!      "target": "1.1", "scale": "agree5", "kind": "skill"},
//!     {"id": "q2", "text": {"en": "Searching is hard for me"}, "target": "1.1",
//!      "scale": "agree5", "reverse": true}
//!   ]
//! }"#)?;
//! assert_eq!(inst.items.len(), 2);
//! assert_eq!(inst.item_scale(1)?.reverse_keyed(2.0), 4.0); // 1 + 5 − 2
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::collections::{BTreeSet, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::{from_json_str, from_toml_str, Text};

/// A survey instrument (questionnaire).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Stable id, e.g. `digcompsat-2024-sv`.
    pub id: String,
    /// Name per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    /// Version string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// True for an example instrument (e.g. statements in our own words),
    /// not a published or validated questionnaire.
    #[serde(default, skip_serializing_if = "is_false")]
    pub example: bool,
    /// Note per language (origin of the statements, licence, status).
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub note: Text,
    /// Id of the competence framework the targets refer to (e.g.
    /// `digcomp-2.2`), used when scoring is not given a framework.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// Named response scales that items refer to by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scales: Vec<ResponseScale>,
    /// Default scale of items that name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ScaleRef>,
    /// The items, in questionnaire order (= column order of responses).
    pub items: Vec<Item>,
}

/// What an item measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// Knowledge ("I know that …").
    Knowledge,
    /// Skill ("I can …").
    Skill,
    /// Attitude ("I am careful to …").
    Attitude,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Item id, unique within the instrument.
    pub id: String,
    /// Question text per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub text: Text,
    /// What the item scores: a competence id (`2.4`) or a maturity
    /// capability id.
    pub target: String,
    /// Response scale: the id of one of the instrument's `scales`, or an
    /// inline scale; defaults to the instrument's `scale`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ScaleRef>,
    /// Reverse keyed: the answer `x` counts as `min + max − x`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reverse: bool,
    /// Weight in the target's score (positive; default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Knowledge, skill or attitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ItemKind>,
}

fn is_false(b: &bool) -> bool {
    !*b
}
fn one() -> f64 {
    1.0
}
fn is_one(x: &f64) -> bool {
    *x == 1.0
}

/// A scale given by reference or inline.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ScaleRef {
    /// Id of a scale in the instrument's `scales`.
    Named(String),
    /// A scale written out.
    Inline(ResponseScale),
}

// Hand-written rather than derived: serde's untagged and internally
// tagged enums buffer their input (≈ 10 KB of code in the WebAssembly form
// build) and lose the path of an error inside; this reads by JSON type.
impl<'de> Deserialize<'de> for ScaleRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de;
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = ScaleRef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the id of a scale or a scale object")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<ScaleRef, E> {
                Ok(ScaleRef::Named(s.to_owned()))
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<ScaleRef, A::Error> {
                ResponseScale::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(ScaleRef::Inline)
            }
        }
        d.deserialize_any(V)
    }
}

/// A response scale: answers are numbers from `min` to `max` (nominal ends,
/// which also define reverse keying and rescaling to [0, 1]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseScale {
    /// Scale id (required in the instrument's `scales` list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Lowest answer value.
    pub min: f64,
    /// Highest answer value.
    pub max: f64,
    /// Ordered labels, one per whole value `min..=max` (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Text>,
}

impl ResponseScale {
    /// A scale without labels.
    pub fn new(min: f64, max: f64) -> ResponseScale {
        ResponseScale {
            id: None,
            min,
            max,
            labels: Vec::new(),
        }
    }

    /// `min + max − x`: reverse keying on the nominal scale ends.
    pub fn reverse_keyed(&self, x: f64) -> f64 {
        self.min + self.max - x
    }

    /// `(x − min) / (max − min)`: the answer on [0, 1].
    pub fn rescaled(&self, x: f64) -> f64 {
        (x - self.min) / (self.max - self.min)
    }

    /// Whether `x` lies on the scale.
    pub fn contains(&self, x: f64) -> bool {
        x >= self.min && x <= self.max
    }

    /// Check `min < max`, both finite; labels, when given, one per whole
    /// value.
    pub fn validate(&self, location: &str) -> Result<()> {
        if !(self.min.is_finite() && self.max.is_finite() && self.min < self.max) {
            return Err(Error::InvalidScale {
                location: location.to_string(),
                message: format!(
                    "min ({}) must be less than max ({}), both finite",
                    self.min, self.max
                ),
            });
        }
        if !self.labels.is_empty() {
            let whole = self.min.fract() == 0.0 && self.max.fract() == 0.0;
            let steps = self.max - self.min + 1.0;
            if !whole || steps != self.labels.len() as f64 {
                return Err(Error::InvalidScale {
                    location: format!("{location}.labels"),
                    message: format!(
                        "{} labels given for the scale {}..={}; expected one per whole value",
                        self.labels.len(),
                        self.min,
                        self.max
                    ),
                });
            }
        }
        Ok(())
    }
}

impl Instrument {
    /// Load and validate an instrument from JSON.
    pub fn from_json(text: &str) -> Result<Instrument> {
        let inst: Instrument = from_json_str(text)?;
        inst.validate()?;
        Ok(inst)
    }

    /// Load and validate an instrument from TOML.
    /// Needs the crate feature `toml` (default); without it this returns
    /// [`Error::UnsupportedFormat`](crate::Error::UnsupportedFormat).
    pub fn from_toml(text: &str) -> Result<Instrument> {
        let inst: Instrument = from_toml_str(text)?;
        inst.validate()?;
        Ok(inst)
    }

    /// Check every structural rule; the error names the bad field's path.
    ///
    /// Rules: non-empty id; at least one item; item ids unique and
    /// non-empty; non-empty targets; every item has a scale (its own or the
    /// instrument's) and named scales exist; scales valid (`min < max`;
    /// labels one per whole value); weights positive and finite; scale ids
    /// unique.
    pub fn validate(&self) -> Result<()> {
        if self.id.trim().is_empty() {
            return Err(Error::MissingValue {
                location: "id".into(),
                what: "instrument id".into(),
            });
        }
        let mut scale_ids = BTreeSet::new();
        for (s, scale) in self.scales.iter().enumerate() {
            let loc = format!("scales[{s}]");
            match scale.id.as_deref() {
                Some(id) if !id.trim().is_empty() => {
                    if !scale_ids.insert(id) {
                        return Err(Error::DuplicateId {
                            location: format!("{loc}.id"),
                            id: id.to_string(),
                        });
                    }
                }
                _ => {
                    return Err(Error::MissingValue {
                        location: format!("{loc}.id"),
                        what: "scale id".into(),
                    })
                }
            }
            scale.validate(&loc)?;
        }
        if let Some(s) = &self.scale {
            self.resolve(s, "scale")?;
        }
        if self.items.is_empty() {
            return Err(Error::Empty {
                location: "items".into(),
            });
        }
        let mut ids = BTreeSet::new();
        for i in 0..self.items.len() {
            let item = &self.items[i];
            let loc = format!("items[{i}]");
            if item.id.trim().is_empty() {
                return Err(Error::MissingValue {
                    location: format!("{loc}.id"),
                    what: "item id".into(),
                });
            }
            if !ids.insert(item.id.as_str()) {
                return Err(Error::DuplicateId {
                    location: format!("{loc}.id"),
                    id: item.id.clone(),
                });
            }
            if item.target.trim().is_empty() {
                return Err(Error::MissingValue {
                    location: format!("{loc}.target"),
                    what: "target".into(),
                });
            }
            if !(item.weight.is_finite() && item.weight > 0.0) {
                return Err(Error::InvalidWeight {
                    location: format!("{loc}.weight"),
                    message: format!("{} is not a positive finite number", item.weight),
                });
            }
            self.item_scale(i)?;
        }
        Ok(())
    }

    fn resolve<'a>(&'a self, scale: &'a ScaleRef, location: &str) -> Result<&'a ResponseScale> {
        match scale {
            ScaleRef::Inline(s) => {
                s.validate(location)?;
                Ok(s)
            }
            ScaleRef::Named(name) => self
                .scales
                .iter()
                .find(|s| s.id.as_deref() == Some(name.as_str()))
                .ok_or_else(|| Error::UnknownReference {
                    location: location.to_string(),
                    kind: "scale".into(),
                    id: name.clone(),
                }),
        }
    }

    /// The response scale of item `index` (its own, else the instrument's).
    pub fn item_scale(&self, index: usize) -> Result<&ResponseScale> {
        let loc = format!("items[{index}].scale");
        let item = self
            .items
            .get(index)
            .ok_or_else(|| Error::UnknownReference {
                location: format!("items[{index}]"),
                kind: "item".into(),
                id: index.to_string(),
            })?;
        match (&item.scale, &self.scale) {
            (Some(s), _) => self.resolve(s, &loc),
            (None, Some(s)) => self.resolve(s, "scale"),
            (None, None) => Err(Error::MissingValue {
                location: loc,
                what: "response scale (the item has none and the instrument has no default)".into(),
            }),
        }
    }

    /// Item ids in questionnaire order.
    pub fn item_ids(&self) -> Vec<&str> {
        self.items.iter().map(|i| i.id.as_str()).collect()
    }

    /// A map from item id to its position.
    pub fn item_index(&self) -> HashMap<&str, usize> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.id.as_str(), i))
            .collect()
    }

    /// Serialise to pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::invalid("$", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(items: &str) -> String {
        format!(r#"{{"id": "t", "scales": [{{"id": "s", "min": 1, "max": 4}}], "items": {items}}}"#)
    }

    #[test]
    fn validation_paths() {
        let e = Instrument::from_json(&inst(
            r#"[{"id": "a", "target": "1.1", "scale": "s"},
                {"id": "b", "target": "1.1", "scale": "s"},
                {"id": "c", "target": "1.1", "scale": "s"},
                {"id": "d", "target": "1.1", "scale": {"min": 3, "max": 3}}]"#,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "invalid_scale");
        assert_eq!(e.location(), "items[3].scale");
        let e = Instrument::from_json(&inst(r#"[{"id": "a", "target": "1.1", "scale": "x"}]"#))
            .unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("unknown_reference", "items[0].scale")
        );
        let e = Instrument::from_json(&inst(
            r#"[{"id": "a", "target": "1.1", "scale": "s", "weight": 0}]"#,
        ))
        .unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("invalid_weight", "items[0].weight")
        );
        let e = Instrument::from_json(&inst(
            r#"[{"id": "a", "target": "1.1", "scale": "s"}, {"id": "a", "target": "1.2", "scale": "s"}]"#,
        ))
        .unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("duplicate_id", "items[1].id")
        );
        let e = Instrument::from_json(&inst(
            r#"[{"id": "a", "target": "1.1", "scale": {"min": 1, "max": 3, "labels": [{"en": "x"}]}}]"#,
        ))
        .unwrap_err();
        assert_eq!(e.location(), "items[0].scale.labels");
    }

    #[test]
    #[cfg(feature = "toml")]
    fn toml_loads() {
        let toml = r#"
id = "t"
scale = { min = 0, max = 3 }
[[items]]
id = "a"
target = "1.1"
text = { en = "I can search", sv = "Jag kan söka" }
kind = "skill"
"#;
        let i = Instrument::from_toml(toml).unwrap();
        assert_eq!(i.item_scale(0).unwrap().max, 3.0);
        assert_eq!(i.items[0].kind, Some(ItemKind::Skill));
    }
}
