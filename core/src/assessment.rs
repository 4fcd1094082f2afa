//! Assessments: ratings per person and competence, each with its evidence
//! source, and the explicit policies that reconcile several sources into one
//! current level.
//!
//! Self-assessed, manager-assessed (medarbetarsamtal), test-based and
//! activity-based ratings are different evidence. They are never averaged:
//! the caller picks a [`Policy`]. When a competence has more than one rating
//! and no policy is given, [`reconcile`] fails with `ambiguous_ratings`.
//!
//! ```
//! use kompetens::{Framework, Policy, Rating, Ratings, Source, reconcile};
//! let fw = Framework::builtin("digcomp-2.2")?;
//! let ratings = Ratings::List(vec![
//!     Rating::new("1.1", 3, Source::SelfAssessed),
//!     Rating::new("1.1", 2, Source::Manager),
//! ]);
//! let policy: Policy = "prefer:manager,test,self".parse()?;
//! let levels = reconcile(&fw, &ratings, Some(&policy))?;
//! assert_eq!(levels.get("1.1").map(|r| r.level), Some(2));
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::framework::{Framework, LevelValue};

/// Where a rating comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The person's own assessment (`self`).
    #[serde(rename = "self")]
    SelfAssessed,
    /// The manager's assessment, typically in the employee review
    /// (medarbetarsamtal).
    Manager,
    /// A test result.
    Test,
    /// Evidence from activity (completed courses, observed use).
    Activity,
}

impl Source {
    /// All sources, in declaration order.
    pub const ALL: [Source; 4] = [
        Source::SelfAssessed,
        Source::Manager,
        Source::Test,
        Source::Activity,
    ];

    /// The JSON name: `self`, `manager`, `test`, `activity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::SelfAssessed => "self",
            Source::Manager => "manager",
            Source::Test => "test",
            Source::Activity => "activity",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Source {
    type Err = Error;
    fn from_str(s: &str) -> Result<Source> {
        match s.trim().to_ascii_lowercase().as_str() {
            "self" => Ok(Source::SelfAssessed),
            "manager" => Ok(Source::Manager),
            "test" => Ok(Source::Test),
            "activity" => Ok(Source::Activity),
            other => Err(Error::invalid(
                "source",
                format!("unknown source {other:?} (expected self, manager, test or activity)"),
            )),
        }
    }
}

/// One rating of one competence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// Competence id.
    pub competence: String,
    /// Level on the framework's scale.
    pub level: LevelValue,
    /// Evidence source.
    pub source: Source,
    /// Date of the rating (ISO 8601 `YYYY-MM-DD`), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Rating {
    /// A rating without a date.
    pub fn new(competence: &str, level: LevelValue, source: Source) -> Rating {
        Rating {
            competence: competence.to_string(),
            level,
            source,
            date: None,
        }
    }
}

/// A person's assessment in one wave (or on one date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Person id (pseudonymous).
    pub person: String,
    /// Role profile id (yrkesroll).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Organisational unit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Measurement wave, e.g. `2026-spring`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave: Option<String>,
    /// Date of the assessment (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The ratings.
    #[serde(default)]
    pub ratings: Vec<Rating>,
}

/// Ratings as given to a gap report: either one level per competence
/// (`{"1.1": 3}`, no source) or a list of sourced ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Ratings {
    /// `{competence_id: level}`.
    Levels(BTreeMap<String, LevelValue>),
    /// `[{"competence": …, "level": …, "source": …}]`.
    List(Vec<Rating>),
}

impl Ratings {
    /// Read ratings from JSON, choosing the shape first (object → levels,
    /// array → list) so that errors name the exact bad field
    /// (`[2].source`) instead of "did not match any variant".
    pub fn from_value(value: serde_json::Value) -> Result<Ratings> {
        use crate::text::from_json_value;
        match value {
            serde_json::Value::Object(_) => from_json_value(value).map(Ratings::Levels),
            serde_json::Value::Array(_) => from_json_value(value).map(Ratings::List),
            _ => Err(Error::Parse {
                format: "json".into(),
                location: "$".into(),
                message: "ratings must be an object {competence: level} or a list of ratings"
                    .into(),
            }),
        }
    }
}

/// The level chosen for one competence, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChosenLevel {
    /// The level.
    pub level: LevelValue,
    /// Its source (`None` for unsourced `{id: level}` input).
    pub source: Option<Source>,
}

/// How to reconcile several ratings of one competence into one level.
///
/// JSON: `{"kind": "prefer", "order": ["manager", "test", "self"]}`,
/// `{"kind": "max"}`, `{"kind": "min"}`, `{"kind": "only", "source": "manager"}`.
/// String form (CLI, Python): `prefer:manager,test,self`, `max`, `min`,
/// `only:manager`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Policy {
    /// The rating of the first source in `order` that has one; sources not
    /// listed are ignored.
    Prefer {
        /// Sources, most trusted first.
        order: Vec<Source>,
    },
    /// The highest rating of any source.
    Max,
    /// The lowest rating of any source.
    Min,
    /// Only ratings of this source; others are ignored.
    Only {
        /// The source to use.
        source: Source,
    },
}

impl FromStr for Policy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Policy> {
        let s = s.trim();
        let bad = |m: String| Error::InvalidPolicy {
            location: "policy".into(),
            message: m,
        };
        let (kind, rest) = match s.split_once(':') {
            Some((k, r)) => (k.trim(), Some(r)),
            None => (s, None),
        };
        let sources = |r: &str| -> Result<Vec<Source>> {
            r.split(',')
                .map(|x| x.parse::<Source>().map_err(|e| bad(e.to_string())))
                .collect()
        };
        match (kind, rest) {
            ("max", None) => Ok(Policy::Max),
            ("min", None) => Ok(Policy::Min),
            ("prefer", Some(r)) => {
                let order = sources(r)?;
                Policy::Prefer { order }.checked()
            }
            ("only", Some(r)) => Ok(Policy::Only {
                source: r.parse().map_err(|e: Error| bad(e.to_string()))?,
            }),
            _ => Err(bad(format!(
                "{s:?}: expected prefer:SOURCE,…, max, min or only:SOURCE"
            ))),
        }
    }
}

/// The object form of a [`Policy`] as read from JSON: a plain struct, not
/// the internally tagged enum itself (serde buffers the input of a tagged
/// enum, which costs ≈ 15 KB of code in the WebAssembly form build).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyObject {
    kind: PolicyKind,
    #[serde(default)]
    order: Option<Vec<Source>>,
    #[serde(default)]
    source: Option<Source>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PolicyKind {
    Prefer,
    Max,
    Min,
    Only,
}

impl Policy {
    /// Read the object form (`{"kind": "prefer", "order": [...]}`, see
    /// [`Policy`]) from JSON, not yet [checked](Policy::checked). Error
    /// locations are relative to the object (`order[2]`, `kind`); a field
    /// that the kind does not take (`{"kind": "max", "order": [...]}`) is an
    /// unknown field, a field it needs a missing one, as with serde.
    pub(crate) fn from_object(value: serde_json::Value) -> Result<Policy> {
        let o: PolicyObject = crate::text::from_json_value(value)?;
        let parse = |location: &str, message: String| Error::Parse {
            format: "json".into(),
            location: location.into(),
            message,
        };
        let (name, takes) = match o.kind {
            PolicyKind::Prefer => ("prefer", "order"),
            PolicyKind::Only => ("only", "source"),
            PolicyKind::Max => ("max", ""),
            PolicyKind::Min => ("min", ""),
        };
        for (field, given) in [("order", o.order.is_some()), ("source", o.source.is_some())] {
            if given && field != takes {
                return Err(parse(
                    field,
                    format!("unknown field `{field}`: policy kind {name} does not take it"),
                ));
            }
        }
        let missing = || parse("", format!("missing field `{takes}`"));
        match o.kind {
            PolicyKind::Prefer => Ok(Policy::Prefer {
                order: o.order.ok_or_else(missing)?,
            }),
            PolicyKind::Only => Ok(Policy::Only {
                source: o.source.ok_or_else(missing)?,
            }),
            PolicyKind::Max => Ok(Policy::Max),
            PolicyKind::Min => Ok(Policy::Min),
        }
    }

    /// Check the policy: a `prefer` order must be non-empty without repeats.
    pub fn checked(self) -> Result<Policy> {
        if let Policy::Prefer { order } = &self {
            if order.is_empty() {
                return Err(Error::InvalidPolicy {
                    location: "policy.order".into(),
                    message: "the preference order is empty".into(),
                });
            }
            for (i, s) in order.iter().enumerate() {
                if order[..i].contains(s) {
                    return Err(Error::InvalidPolicy {
                        location: format!("policy.order[{i}]"),
                        message: format!("source {s} is listed twice"),
                    });
                }
            }
        }
        Ok(self)
    }

    fn choose(&self, ratings: &[(usize, &Rating)], location: &str) -> Result<Option<ChosenLevel>> {
        let pick = |r: &Rating| ChosenLevel {
            level: r.level,
            source: Some(r.source),
        };
        let single = |source: Source| -> Result<Option<ChosenLevel>> {
            let of: Vec<&(usize, &Rating)> =
                ratings.iter().filter(|(_, r)| r.source == source).collect();
            match of.as_slice() {
                [] => Ok(None),
                [(_, r)] => Ok(Some(pick(r))),
                [(_, r), ..] => Err(Error::AmbiguousRatings {
                    location: location.to_string(),
                    competence: r.competence.clone(),
                    count: of.len(),
                }),
            }
        };
        match self {
            Policy::Prefer { order } => {
                for source in order {
                    if let Some(level) = single(*source)? {
                        return Ok(Some(level));
                    }
                }
                Ok(None)
            }
            Policy::Only { source } => single(*source),
            Policy::Max => Ok(ratings
                .iter()
                .max_by(|a, b| a.1.level.cmp(&b.1.level).then(b.0.cmp(&a.0)))
                .map(|(_, r)| pick(r))),
            Policy::Min => Ok(ratings
                .iter()
                .min_by(|a, b| a.1.level.cmp(&b.1.level).then(a.0.cmp(&b.0)))
                .map(|(_, r)| pick(r))),
        }
    }
}

/// Reconcile ratings into one level per competence.
///
/// Every competence id and level is checked against the framework (errors
/// name `ratings[i].level` or `ratings.<id>`). With `policy = None`, a
/// competence with more than one rating is an `ambiguous_ratings` error.
pub fn reconcile(
    framework: &Framework,
    ratings: &Ratings,
    policy: Option<&Policy>,
) -> Result<BTreeMap<String, ChosenLevel>> {
    let mut out = BTreeMap::new();
    match ratings {
        Ratings::Levels(map) => {
            for (id, &level) in map {
                let loc = format!("ratings.{id}");
                framework.check_competence(id, &loc)?;
                framework.check_level(level, &loc)?;
                out.insert(
                    id.clone(),
                    ChosenLevel {
                        level,
                        source: None,
                    },
                );
            }
        }
        Ratings::List(list) => {
            let mut by_comp: BTreeMap<&str, Vec<(usize, &Rating)>> = BTreeMap::new();
            for (i, r) in list.iter().enumerate() {
                framework.check_competence(&r.competence, &format!("ratings[{i}].competence"))?;
                framework.check_level(r.level, &format!("ratings[{i}].level"))?;
                by_comp
                    .entry(r.competence.as_str())
                    .or_default()
                    .push((i, r));
            }
            for (id, rs) in by_comp {
                let loc = format!("ratings[{}]", rs.first().map(|x| x.0).unwrap_or(0));
                let chosen = match policy {
                    Some(p) => p.choose(&rs, &loc)?,
                    None => match rs.as_slice() {
                        [(_, r)] => Some(ChosenLevel {
                            level: r.level,
                            source: Some(r.source),
                        }),
                        _ => {
                            return Err(Error::AmbiguousRatings {
                                location: loc,
                                competence: id.to_string(),
                                count: rs.len(),
                            })
                        }
                    },
                };
                if let Some(c) = chosen {
                    out.insert(id.to_string(), c);
                }
            }
        }
    }
    Ok(out)
}

/// How self and manager ratings of one competence differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompetenceCalibration {
    /// Competence id.
    pub competence: String,
    /// Number of assessments with both a self and a manager rating.
    pub pairs: usize,
    /// Mean of (self − manager); `null` without pairs.
    pub mean_difference: Option<f64>,
    /// Share of pairs where self > manager.
    pub share_self_above: Option<f64>,
    /// Share of pairs where self = manager.
    pub share_equal: Option<f64>,
    /// Share of pairs where self < manager.
    pub share_self_below: Option<f64>,
}

/// Calibration report: per competence (framework order), how self-ratings
/// compare with manager ratings of the same person in the same assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CalibrationReport {
    /// Framework id.
    pub framework: String,
    /// One entry per competence of the framework.
    pub competences: Vec<CompetenceCalibration>,
}

/// Compare self and manager ratings per competence.
///
/// A pair is one assessment with exactly one self and one manager rating of
/// the competence; an assessment with two ratings of the same source for a
/// competence is an `ambiguous_ratings` error.
pub fn calibration(framework: &Framework, assessments: &[Assessment]) -> Result<CalibrationReport> {
    let index = framework.competence_index();
    let n = index.len();
    let mut diffs: Vec<Vec<i64>> = vec![Vec::new(); n];
    for (a, assessment) in assessments.iter().enumerate() {
        let mut selfs: BTreeMap<usize, (usize, LevelValue)> = BTreeMap::new();
        let mut managers: BTreeMap<usize, (usize, LevelValue)> = BTreeMap::new();
        for (i, r) in assessment.ratings.iter().enumerate() {
            let loc = format!("assessments[{a}].ratings[{i}]");
            let c = framework.check_competence(&r.competence, &format!("{loc}.competence"))?;
            framework.check_level(r.level, &format!("{loc}.level"))?;
            let target = match r.source {
                Source::SelfAssessed => &mut selfs,
                Source::Manager => &mut managers,
                _ => continue,
            };
            if target.insert(c, (i, r.level)).is_some() {
                return Err(Error::AmbiguousRatings {
                    location: loc,
                    competence: r.competence.clone(),
                    count: 2,
                });
            }
        }
        for (c, (_, s)) in &selfs {
            if let (Some((_, m)), Some(d)) = (managers.get(c), diffs.get_mut(*c)) {
                d.push(i64::from(*s) - i64::from(*m));
            }
        }
    }
    let competences = framework
        .competences()
        .map(|c| {
            let d = diffs.get(c.index).map(Vec::as_slice).unwrap_or(&[]);
            let pairs = d.len();
            let share = |f: &dyn Fn(i64) -> bool| {
                (pairs > 0).then(|| d.iter().filter(|&&x| f(x)).count() as f64 / pairs as f64)
            };
            CompetenceCalibration {
                competence: c.competence.id.clone(),
                pairs,
                mean_difference: (pairs > 0).then(|| d.iter().sum::<i64>() as f64 / pairs as f64),
                share_self_above: share(&|x| x > 0),
                share_equal: share(&|x| x == 0),
                share_self_below: share(&|x| x < 0),
            }
        })
        .collect();
    Ok(CalibrationReport {
        framework: framework.id.clone(),
        competences,
    })
}
