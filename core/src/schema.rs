//! JSON Schemas of every configuration shape, generated from the Rust types.
//!
//! The committed copies live in `core/schemas/`; a test fails when they
//! differ from what the types generate (regenerate with
//! `KOMPETENS_UPDATE_SCHEMAS=1 cargo test -p kompetens schema`).

use serde_json::Value;

#[cfg(feature = "aggregate")]
use crate::aggregate::codec::StateJson;
#[cfg(feature = "aggregate")]
use crate::aggregate::demand::{Activity, DemandLine};
#[cfg(feature = "aggregate")]
use crate::aggregate::publish::{AuditReport, Publication, PublishOptions};
#[cfg(feature = "aggregate")]
use crate::aggregate::tree::TreeSpec;
#[cfg(feature = "aggregate")]
use crate::aggregate::waves::WavePublication;
use crate::assessment::{Assessment, Policy, Ratings};
use crate::framework::Framework;
use crate::gap::GapReport;
#[cfg(feature = "maturity")]
use crate::maturity::{
    Answer, Benchmark, Comparison, DmaResult, DmaSettings, Instrument, MaturityModel,
    MaturitySettings, MeasurementResult, OverallFromDimensions, Peer, ResponseTable, ResultSummary,
    Unit,
};
use crate::profile::{EffectiveProfile, ProfileSetFile, RoleProfile};
#[cfg(feature = "stats")]
use crate::stats::Reliability;
#[cfg(feature = "dsi")]
use crate::survey::dsi::DsiThresholds;

/// `(file stem, schema)` for every configuration shape.
pub fn schemas() -> Vec<(&'static str, Value)> {
    #[allow(unused_mut)]
    let mut out = vec![
        ("framework", to_value(schemars::schema_for!(Framework))),
        ("role-profile", to_value(schemars::schema_for!(RoleProfile))),
        (
            "profile-set",
            to_value(schemars::schema_for!(ProfileSetFile)),
        ),
        (
            "effective-profile",
            to_value(schemars::schema_for!(EffectiveProfile)),
        ),
        ("assessment", to_value(schemars::schema_for!(Assessment))),
        (
            "assessments",
            to_value(schemars::schema_for!(Vec<Assessment>)),
        ),
        ("ratings", to_value(schemars::schema_for!(Ratings))),
        ("policy", to_value(schemars::schema_for!(Policy))),
        ("gap-report", to_value(schemars::schema_for!(GapReport))),
        (
            "survey-instrument",
            to_value(schemars::schema_for!(crate::survey::Instrument)),
        ),
        (
            "survey-responses",
            to_value(schemars::schema_for!(crate::survey::ResponseTable)),
        ),
        (
            "survey-scoring-options",
            to_value(schemars::schema_for!(crate::survey::ScoringOptions)),
        ),
        (
            "survey-level-strategy",
            to_value(schemars::schema_for!(crate::survey::StrategySpec)),
        ),
        (
            "survey-score-report",
            to_value(schemars::schema_for!(crate::survey::ScoreReport)),
        ),
        (
            "chart-options",
            to_value(schemars::schema_for!(crate::chart::ChartOptions)),
        ),
        (
            "chart-radar",
            to_value(schemars::schema_for!(crate::chart::RadarSpec)),
        ),
        (
            "chart-heatmap",
            to_value(schemars::schema_for!(crate::chart::HeatmapSpec)),
        ),
        (
            "chart-quadrant",
            to_value(schemars::schema_for!(crate::chart::QuadrantSpec)),
        ),
        (
            "chart-spider",
            to_value(schemars::schema_for!(crate::chart::SpiderSpec)),
        ),
        (
            "chart-change",
            to_value(schemars::schema_for!(crate::chart::ChangeSpec)),
        ),
    ];
    #[cfg(feature = "dsi")]
    out.push((
        "dsi-thresholds",
        to_value(schemars::schema_for!(DsiThresholds)),
    ));
    #[cfg(feature = "stats")]
    out.push(("reliability", to_value(schemars::schema_for!(Reliability))));
    #[cfg(feature = "maturity")]
    out.extend(maturity_schemas());
    #[cfg(feature = "aggregate")]
    out.extend(aggregate_schemas());
    out
}

fn to_value(s: schemars::Schema) -> Value {
    s.to_value()
}

/// The schemas of gap aggregation (crate feature `aggregate`).
#[cfg(feature = "aggregate")]
fn aggregate_schemas() -> Vec<(&'static str, Value)> {
    vec![
        ("org-tree", to_value(schemars::schema_for!(TreeSpec))),
        (
            "aggregate-options",
            to_value(schemars::schema_for!(PublishOptions)),
        ),
        (
            "aggregate-publication",
            to_value(schemars::schema_for!(Publication)),
        ),
        (
            "aggregate-audit",
            to_value(schemars::schema_for!(AuditReport)),
        ),
        (
            "aggregate-state",
            to_value(schemars::schema_for!(StateJson)),
        ),
        (
            "aggregate-waves",
            to_value(schemars::schema_for!(WavePublication)),
        ),
        (
            "learning-catalogue",
            to_value(schemars::schema_for!(Vec<Activity>)),
        ),
        (
            "training-demand",
            to_value(schemars::schema_for!(Vec<DemandLine>)),
        ),
    ]
}

/// The schemas of the maturity engine (crate feature `maturity`).
#[cfg(feature = "maturity")]
fn maturity_schemas() -> Vec<(&'static str, Value)> {
    vec![
        (
            "maturity-model",
            to_value(schemars::schema_for!(MaturityModel)),
        ),
        (
            "maturity-instrument",
            to_value(schemars::schema_for!(Instrument)),
        ),
        (
            "maturity-settings",
            to_value(schemars::schema_for!(MaturitySettings)),
        ),
        (
            "maturity-responses",
            to_value(schemars::schema_for!(ResponseTable)),
        ),
        ("maturity-tree", to_value(schemars::schema_for!(Vec<Unit>))),
        (
            "maturity-result",
            to_value(schemars::schema_for!(MeasurementResult)),
        ),
        (
            "maturity-result-summary",
            to_value(schemars::schema_for!(ResultSummary)),
        ),
        (
            "maturity-overall-from-dimensions",
            to_value(schemars::schema_for!(OverallFromDimensions)),
        ),
        (
            "maturity-comparison",
            to_value(schemars::schema_for!(Comparison)),
        ),
        ("maturity-peers", to_value(schemars::schema_for!(Vec<Peer>))),
        (
            "maturity-benchmark",
            to_value(schemars::schema_for!(Benchmark)),
        ),
        ("dma-answers", to_value(schemars::schema_for!(Vec<Answer>))),
        ("dma-settings", to_value(schemars::schema_for!(DmaSettings))),
        ("dma-result", to_value(schemars::schema_for!(DmaResult))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schemas_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let update = std::env::var_os("KOMPETENS_UPDATE_SCHEMAS").is_some();
        for (name, schema) in schemas() {
            let path = dir.join(format!("{name}.schema.json"));
            let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
            if update {
                std::fs::write(&path, &text).unwrap();
            } else {
                let committed = std::fs::read_to_string(&path)
                    .unwrap_or_else(|_| panic!("missing {}", path.display()));
                assert_eq!(committed, text, "{} is stale; regenerate", path.display());
            }
        }
    }
}
