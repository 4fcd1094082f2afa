//! Level strategies: from a score on [0, 1] to a proficiency level.
//!
//! Selectable by name (JSON `"digcompsat"`, `"floor8"`) or written out
//! (`{"kind": "thresholds", "bands": [...]}`):
//!
//! - **`digcompsat`** — the DigCompSAT bands Low 0–29 %, Foundation 30–47 %,
//!   Intermediate 48–80 %, Advanced 81–100 %, read as lower bounds on the
//!   unrounded score: Low `< 0.30 ≤` Foundation `< 0.48 ≤` Intermediate
//!   `< 0.81 ≤` Advanced. So 29.9 % is Low, 47.5 % Foundation, 80.9 %
//!   Intermediate. Each band carries a DigComp level for ratings
//!   (**assumption**, the lowest level of the matching DigComp 2.2 group):
//!   Low → 0 (level 1 not reached), Foundation → 1, Intermediate → 3,
//!   Advanced → 5. Use `thresholds` to choose other levels.
//! - **`floor8`** — level `⌊8 · score⌋` clamped to 1..8 (score 0.25 → 2,
//!   0 → 1, 1 → 8).
//! - **`thresholds`** — an ordered list of bands `{min, level, label?}`: the
//!   level of the last band whose `min` the score reaches. The first band
//!   must start at 0; `min` strictly increasing within [0, 1].
//!
//! Comparisons allow 1e-9 for floating noise: a score computed as
//! 0.29999999999999998 reaches the 0.30 band, and `8 · score` is floored as
//! `⌊8 · score + 1e-9⌋`.

use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::framework::LevelValue;

/// Tolerance for band boundaries.
pub const BOUNDARY_TOLERANCE: f64 = 1e-9;

/// One band of a threshold strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lowest score (on [0, 1], inclusive) of the band.
    pub min: f64,
    /// Level given to scores in the band.
    pub level: LevelValue,
    /// Short label, e.g. `foundation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// How scores become levels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum LevelStrategy {
    /// DigCompSAT bands (see the module docs).
    #[default]
    #[serde(rename = "digcompsat")]
    DigCompSat,
    /// `⌊8 · score⌋` clamped to 1..8.
    #[serde(rename = "floor8")]
    Floor8,
    /// Custom ordered bands.
    Thresholds {
        /// Bands in increasing order of `min`, the first at 0.
        bands: Vec<Band>,
    },
}

/// The object form of a [`LevelStrategy`] as read from JSON.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StrategyObject {
    kind: StrategyKind,
    #[serde(default)]
    bands: Option<Vec<Band>>,
}

#[derive(Deserialize)]
enum StrategyKind {
    #[serde(rename = "digcompsat")]
    DigCompSat,
    #[serde(rename = "floor8")]
    Floor8,
    #[serde(rename = "thresholds")]
    Thresholds,
}

// Hand-written rather than derived: serde's untagged and internally
// tagged enums buffer their input (≈ 10 KB of code in the WebAssembly form
// build) and lose the path of an error inside; this reads by JSON type.
impl<'de> Deserialize<'de> for LevelStrategy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let o = StrategyObject::deserialize(d)?;
        match (o.kind, o.bands) {
            (StrategyKind::Thresholds, Some(bands)) => Ok(LevelStrategy::Thresholds { bands }),
            (StrategyKind::Thresholds, None) => Err(D::Error::missing_field("bands")),
            (_, Some(_)) => Err(D::Error::unknown_field("bands", &[])),
            (StrategyKind::DigCompSat, None) => Ok(LevelStrategy::DigCompSat),
            (StrategyKind::Floor8, None) => Ok(LevelStrategy::Floor8),
        }
    }
}

/// The JSON forms accepted for a strategy: a name or an object.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum StrategySpec {
    /// `"digcompsat"` or `"floor8"`.
    Name(String),
    /// `{"kind": ...}`.
    Object(LevelStrategy),
}

// Hand-written rather than derived: serde's untagged and internally
// tagged enums buffer their input (≈ 10 KB of code in the WebAssembly form
// build) and lose the path of an error inside; this reads by JSON type.
impl<'de> Deserialize<'de> for StrategySpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de;
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = StrategySpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a strategy name or a strategy object")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<StrategySpec, E> {
                Ok(StrategySpec::Name(s.to_owned()))
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<StrategySpec, A::Error> {
                LevelStrategy::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(StrategySpec::Object)
            }
        }
        d.deserialize_any(V)
    }
}

impl FromStr for LevelStrategy {
    type Err = Error;
    fn from_str(s: &str) -> Result<LevelStrategy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "digcompsat" | "digcomp-sat" | "digcomp_sat" => Ok(LevelStrategy::DigCompSat),
            "floor8" => Ok(LevelStrategy::Floor8),
            other => Err(Error::invalid(
                "strategy",
                format!("unknown level strategy {other:?} (expected digcompsat, floor8 or a thresholds object)"),
            )),
        }
    }
}

impl StrategySpec {
    /// The strategy, checked.
    pub fn into_strategy(self) -> Result<LevelStrategy> {
        let s = match self {
            StrategySpec::Name(n) => n.parse()?,
            StrategySpec::Object(s) => s,
        };
        s.validate()?;
        Ok(s)
    }
}

/// The level (and its label) of one score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Classified {
    /// The level.
    pub level: LevelValue,
    /// The band label, if the strategy has labels.
    pub label: Option<String>,
}

impl LevelStrategy {
    /// The DigCompSAT bands as thresholds (see the module docs).
    pub fn digcompsat_bands() -> Vec<Band> {
        let band = |min: f64, level: LevelValue, label: &str| Band {
            min,
            level,
            label: Some(label.to_string()),
        };
        vec![
            band(0.0, 0, "low"),
            band(0.30, 1, "foundation"),
            band(0.48, 3, "intermediate"),
            band(0.81, 5, "advanced"),
        ]
    }

    /// Check a thresholds strategy: non-empty, first `min` 0, strictly
    /// increasing within [0, 1].
    pub fn validate(&self) -> Result<()> {
        if let LevelStrategy::Thresholds { bands } = self {
            if bands.is_empty() {
                return Err(Error::Empty {
                    location: "strategy.bands".into(),
                });
            }
            for (i, b) in bands.iter().enumerate() {
                let loc = format!("strategy.bands[{i}].min");
                if !(b.min.is_finite() && (0.0..=1.0).contains(&b.min)) {
                    return Err(Error::InvalidScale {
                        location: loc,
                        message: format!("{} must lie in [0, 1]", b.min),
                    });
                }
                if i == 0 && b.min != 0.0 {
                    return Err(Error::InvalidScale {
                        location: loc,
                        message: "the first band must start at 0".into(),
                    });
                }
                if i > 0 && b.min <= bands[i - 1].min {
                    return Err(Error::InvalidScale {
                        location: loc,
                        message: format!(
                            "bands must be strictly increasing, but {} follows {}",
                            b.min,
                            bands[i - 1].min
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// The JSON name of the strategy kind.
    pub fn name(&self) -> &'static str {
        match self {
            LevelStrategy::DigCompSat => "digcompsat",
            LevelStrategy::Floor8 => "floor8",
            LevelStrategy::Thresholds { .. } => "thresholds",
        }
    }

    fn band_of(bands: &[Band], score: f64) -> Option<&Band> {
        bands
            .iter()
            .rev()
            .find(|b| score >= b.min - BOUNDARY_TOLERANCE)
            .or_else(|| bands.first())
    }

    /// The level of a score on [0, 1] (`None` for a missing score, `NaN`).
    pub fn level(&self, score: f64) -> Option<LevelValue> {
        if score.is_nan() {
            return None;
        }
        match self {
            LevelStrategy::DigCompSat => {
                let s = score;
                Some(if s >= 0.81 - BOUNDARY_TOLERANCE {
                    5
                } else if s >= 0.48 - BOUNDARY_TOLERANCE {
                    3
                } else if s >= 0.30 - BOUNDARY_TOLERANCE {
                    1
                } else {
                    0
                })
            }
            LevelStrategy::Floor8 => {
                let l = (8.0 * score + BOUNDARY_TOLERANCE).floor();
                Some(l.clamp(1.0, 8.0) as LevelValue)
            }
            LevelStrategy::Thresholds { bands } => Self::band_of(bands, score).map(|b| b.level),
        }
    }

    /// The level and label of a score (`None` for a missing score).
    pub fn classify(&self, score: f64) -> Option<Classified> {
        if score.is_nan() {
            return None;
        }
        match self {
            LevelStrategy::DigCompSat => {
                let level = self.level(score)?;
                let label = match level {
                    0 => "low",
                    1 => "foundation",
                    3 => "intermediate",
                    _ => "advanced",
                };
                Some(Classified {
                    level,
                    label: Some(label.to_string()),
                })
            }
            LevelStrategy::Floor8 => Some(Classified {
                level: self.level(score)?,
                label: None,
            }),
            LevelStrategy::Thresholds { bands } => {
                Self::band_of(bands, score).map(|b| Classified {
                    level: b.level,
                    label: b.label.clone(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digcompsat_boundaries() {
        let s = LevelStrategy::DigCompSat;
        // 29 % → low, 29.9 % → low, 30 % → foundation, 47.99 % → foundation,
        // 48 % → intermediate, 80.9 % → intermediate, 81 % → advanced.
        for (score, level) in [
            (0.0, 0),
            (0.29, 0),
            (0.299, 0),
            (0.30, 1),
            (0.1 + 0.2, 1),
            (0.4799, 1),
            (0.48, 3),
            (0.809, 3),
            (0.81, 5),
            (1.0, 5),
        ] {
            assert_eq!(s.level(score), Some(level), "{score}");
        }
        // 0.29999999999999998 (from 0.9/3) counts as 30 %.
        assert_eq!(s.level(0.9 / 3.0), Some(1));
    }

    #[test]
    fn floor8() {
        let s = LevelStrategy::Floor8;
        for (score, level) in [
            (0.0, 1),
            (0.124, 1),
            (0.125, 1),
            (0.25, 2),
            (0.99, 7),
            (1.0, 8),
        ] {
            assert_eq!(s.level(score), Some(level), "{score}");
        }
        // 3/8 computed with floating noise still gives 3.
        assert_eq!(s.level(0.375 - 1e-15), Some(3));
    }

    #[test]
    fn thresholds_validate() {
        let bad = LevelStrategy::Thresholds {
            bands: vec![
                Band {
                    min: 0.0,
                    level: 1,
                    label: None,
                },
                Band {
                    min: 0.0,
                    level: 2,
                    label: None,
                },
            ],
        };
        assert_eq!(
            bad.validate().unwrap_err().location(),
            "strategy.bands[1].min"
        );
    }
}
