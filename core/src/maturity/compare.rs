//! Change between two measurements and the peer benchmark.
//!
//! Both read results through [`ResultSummary`], which takes only `model`,
//! `overall` and the `id`/`percentage` of dimensions, categories and
//! capabilities, and ignores every other field: a full
//! [`MeasurementResult`] and a
//! hand-written summary are equally accepted.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::maturity::score::MeasurementResult;

/// The percentage of one dimension, category or capability (other fields
/// are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Percentage {
    /// Id.
    pub id: String,
    /// Percentage 0–100, `null` if unknown.
    #[serde(default)]
    pub percentage: Option<f64>,
}

/// The parts of a result that comparisons read (other fields are ignored).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResultSummary {
    /// Model id (checked when both sides give one).
    #[serde(default)]
    pub model: Option<String>,
    /// Overall percentage.
    #[serde(default)]
    pub overall: Option<f64>,
    /// Dimension percentages.
    #[serde(default)]
    pub dimensions: Vec<Percentage>,
    /// Category percentages.
    #[serde(default)]
    pub categories: Vec<Percentage>,
    /// Capability percentages.
    #[serde(default)]
    pub capabilities: Vec<Percentage>,
}

impl From<&MeasurementResult> for ResultSummary {
    fn from(r: &MeasurementResult) -> Self {
        let conv = |v: &[crate::maturity::score::LevelResult]| {
            v.iter()
                .map(|x| Percentage {
                    id: x.id.clone(),
                    percentage: x.percentage,
                })
                .collect()
        };
        ResultSummary {
            model: Some(r.model.clone()),
            overall: r.overall,
            dimensions: conv(&r.dimensions),
            categories: conv(&r.categories),
            capabilities: conv(&r.capabilities),
        }
    }
}

/// Change of the overall figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverallChange {
    /// Current percentage.
    pub current: Option<f64>,
    /// Previous percentage.
    pub previous: Option<f64>,
    /// `current − previous` in percentage points; `null` if either is.
    pub change: Option<f64>,
}

/// Change of one dimension, category or capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// Id.
    pub id: String,
    /// Current percentage.
    pub current: Option<f64>,
    /// Previous percentage.
    pub previous: Option<f64>,
    /// `current − previous` in percentage points; `null` if either is.
    pub change: Option<f64>,
}

/// Change between two measurements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    /// Model id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Overall change.
    pub overall: OverallChange,
    /// Per dimension: the current result's order, then ids found only in
    /// the previous one.
    pub dimensions: Vec<Change>,
    /// Per category, same order rule.
    pub categories: Vec<Change>,
    /// Per capability, same order rule.
    pub capabilities: Vec<Change>,
}

fn diff(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? - b?)
}

fn changes(current: &[Percentage], previous: &[Percentage]) -> Vec<Change> {
    let mut out: Vec<Change> = current
        .iter()
        .map(|c| {
            let prev = previous
                .iter()
                .find(|p| p.id == c.id)
                .and_then(|p| p.percentage);
            Change {
                id: c.id.clone(),
                current: c.percentage,
                previous: prev,
                change: diff(c.percentage, prev),
            }
        })
        .collect();
    for p in previous {
        if !current.iter().any(|c| c.id == p.id) {
            out.push(Change {
                id: p.id.clone(),
                current: None,
                previous: p.percentage,
                change: None,
            });
        }
    }
    out
}

fn check_unique(list: &[Percentage], location: &str) -> Result<()> {
    let mut seen = BTreeSet::new();
    for (i, p) in list.iter().enumerate() {
        if !seen.insert(p.id.as_str()) {
            return Err(Error::DuplicateId {
                location: format!("{location}[{i}].id"),
                id: p.id.clone(),
            });
        }
    }
    Ok(())
}

fn check_summary(s: &ResultSummary, location: &str) -> Result<()> {
    check_unique(&s.dimensions, &format!("{location}.dimensions"))?;
    check_unique(&s.categories, &format!("{location}.categories"))?;
    check_unique(&s.capabilities, &format!("{location}.capabilities"))
}

/// Change from `previous` to `current`, in percentage points. Errors when
/// both name a model and the models differ (`invalid_value` at
/// `previous.model`) or an id repeats.
pub fn compare(current: &ResultSummary, previous: &ResultSummary) -> Result<Comparison> {
    check_summary(current, "current")?;
    check_summary(previous, "previous")?;
    if let (Some(a), Some(b)) = (&current.model, &previous.model) {
        if a != b {
            return Err(Error::invalid(
                "previous.model",
                format!("cannot compare model {b:?} with {a:?}"),
            ));
        }
    }
    Ok(Comparison {
        model: current.model.clone().or_else(|| previous.model.clone()),
        overall: OverallChange {
            current: current.overall,
            previous: previous.overall,
            change: diff(current.overall, previous.overall),
        },
        dimensions: changes(&current.dimensions, &previous.dimensions),
        categories: changes(&current.categories, &previous.categories),
        capabilities: changes(&current.capabilities, &previous.capabilities),
    })
}

/// Another organisation's result for the benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Peer {
    /// Organisation id.
    pub id: String,
    /// Organisation type (`municipality`, `region`, `agency`, …).
    #[serde(rename = "type")]
    pub organisation_type: String,
    /// Its result (a full result or a summary).
    pub result: ResultSummary,
}

/// The own value against the peers for one figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkLine {
    /// Id (`overall` for the overall figure).
    pub id: String,
    /// Own percentage.
    pub own: Option<f64>,
    /// Mean of the peers of the same type that have this figure.
    pub peer_mean: Option<f64>,
    /// Number of those peers.
    pub n_peers: usize,
    /// `own − peer_mean` in percentage points.
    pub difference: Option<f64>,
    /// `100 · (peers strictly below + ½ · peers equal) / n_peers`; values
    /// within 1e-9 are equal.
    pub percentile_rank: Option<f64>,
}

/// Peer benchmark of one organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    /// Organisation type compared within.
    #[serde(rename = "type")]
    pub organisation_type: String,
    /// Peers of that type (excluding the organisation itself).
    pub n_peers: usize,
    /// Overall figure.
    pub overall: BenchmarkLine,
    /// Per dimension, in the own result's order.
    pub dimensions: Vec<BenchmarkLine>,
    /// Per category, in the own result's order.
    pub categories: Vec<BenchmarkLine>,
}

fn line(id: &str, own: Option<f64>, peer_values: Vec<f64>) -> BenchmarkLine {
    let n = peer_values.len();
    let peer_mean = (n > 0).then(|| peer_values.iter().sum::<f64>() / n as f64);
    let percentile_rank = match own {
        Some(o) if n > 0 => {
            let below = peer_values.iter().filter(|v| **v < o - 1e-9).count();
            let equal = peer_values
                .iter()
                .filter(|v| (**v - o).abs() <= 1e-9)
                .count();
            Some(100.0 * (below as f64 + 0.5 * equal as f64) / n as f64)
        }
        _ => None,
    };
    BenchmarkLine {
        id: id.to_string(),
        own,
        peer_mean,
        n_peers: n,
        difference: diff(own, peer_mean),
        percentile_rank,
    }
}

/// Benchmark `own` against the peers of type `organisation_type`. A peer
/// whose id equals `organisation` (the own id) is left out. Errors:
/// duplicate peer ids, a peer of another model.
pub fn benchmark(
    own: &ResultSummary,
    organisation_type: &str,
    peers: &[Peer],
    organisation: Option<&str>,
) -> Result<Benchmark> {
    check_summary(own, "result")?;
    let mut ids = BTreeSet::new();
    for (i, p) in peers.iter().enumerate() {
        if !ids.insert(p.id.as_str()) {
            return Err(Error::DuplicateId {
                location: format!("peers[{i}].id"),
                id: p.id.clone(),
            });
        }
        check_summary(&p.result, &format!("peers[{i}].result"))?;
        if let (Some(a), Some(b)) = (&own.model, &p.result.model) {
            if a != b {
                return Err(Error::invalid(
                    format!("peers[{i}].result.model"),
                    format!("peer result of model {b:?}, own result of {a:?}"),
                ));
            }
        }
    }
    let same: Vec<&Peer> = peers
        .iter()
        .filter(|p| p.organisation_type == organisation_type && Some(p.id.as_str()) != organisation)
        .collect();
    let lines = |own_list: &[Percentage], pick: fn(&ResultSummary) -> &[Percentage]| {
        own_list
            .iter()
            .map(|o| {
                let values = same
                    .iter()
                    .filter_map(|p| {
                        pick(&p.result)
                            .iter()
                            .find(|x| x.id == o.id)
                            .and_then(|x| x.percentage)
                    })
                    .collect();
                line(&o.id, o.percentage, values)
            })
            .collect::<Vec<_>>()
    };
    Ok(Benchmark {
        organisation_type: organisation_type.to_string(),
        n_peers: same.len(),
        overall: line(
            "overall",
            own.overall,
            same.iter().filter_map(|p| p.result.overall).collect(),
        ),
        dimensions: lines(&own.dimensions, |s| &s.dimensions),
        categories: lines(&own.categories, |s| &s.categories),
    })
}
