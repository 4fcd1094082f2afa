//! A person's gaps against their role profile, readiness and development plan.
//!
//! Definitions (per requirement of the effective profile, level > 0):
//!
//! - `gap = max(0, required − current)`, `weighted_gap = gap × weight`,
//!   `met = current ≥ required`;
//! - a requirement without a rating is **missing**: `current`, `gap`,
//!   `weighted_gap` and `met` are `null`, and it is listed in `missing`. It is
//!   never treated as level 0;
//! - `readiness = Σ weight(met) / Σ weight(rated)`, over rated requirements
//!   only; `null` when nothing is rated;
//! - the development `plan` lists the unmet requirements ordered by weighted
//!   gap (largest first), then weight (largest first), then framework order
//!   of the competence (which is id order for DigComp).
//!
//! ```
//! use std::collections::BTreeMap;
//! use kompetens::{gap_report, EffectiveProfile, Framework, RoleProfile, Ratings};
//! let fw = Framework::builtin("digcomp-2.2")?;
//! let profile: RoleProfile = serde_json::from_str(r#"{"id": "librarian", "requirements": [
//!     {"competence": "1.1", "level": 4, "weight": "critical"},
//!     {"competence": "2.1", "level": 3, "weight": "important"},
//!     {"competence": "3.3", "level": 3}]}"#).unwrap(); // ok: doc example
//! let profile = EffectiveProfile::standalone(profile, &fw)?;
//! let ratings = Ratings::Levels(BTreeMap::from([("1.1".to_string(), 2), ("2.1".to_string(), 3)]));
//! let report = gap_report(&fw, &profile, &ratings, None)?;
//! assert_eq!(report.readiness, Some(0.4)); // 2 / (3 + 2)
//! assert_eq!(report.missing, vec!["3.3"]);
//! assert_eq!(report.plan, vec!["1.1"]);
//! # Ok::<(), kompetens::Error>(())
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::assessment::{reconcile, Policy, Ratings, Source};
use crate::error::{Error, Result};
use crate::framework::{Framework, LevelValue};
use crate::profile::EffectiveProfile;

/// One requirement compared with the current level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// Competence id.
    pub competence: String,
    /// Area id.
    pub area: String,
    /// Required level.
    pub required: LevelValue,
    /// Current level, `null` when missing.
    pub current: Option<LevelValue>,
    /// Source of the current level, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// `max(0, required − current)`, `null` when missing.
    pub gap: Option<LevelValue>,
    /// Weight of the requirement.
    pub weight: f64,
    /// `gap × weight`, `null` when missing.
    pub weighted_gap: Option<f64>,
    /// `current ≥ required`, `null` when missing.
    pub met: Option<bool>,
}

/// A person's gap report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GapReport {
    /// Role profile id.
    pub role: String,
    /// Framework id.
    pub framework: String,
    /// Weighted share of rated requirements that are met; `null` if none rated.
    pub readiness: Option<f64>,
    /// One entry per requirement, in framework order.
    pub gaps: Vec<Gap>,
    /// Competences required but not rated.
    pub missing: Vec<String>,
    /// Unmet requirements, most pressing first.
    pub plan: Vec<String>,
    /// Number of requirements.
    pub requirements: usize,
    /// Number of rated requirements.
    pub rated: usize,
    /// Number of requirements met.
    pub met: usize,
    /// Sum of weighted gaps over rated requirements.
    pub total_weighted_gap: f64,
}

/// Compare ratings with an effective profile.
///
/// Ratings of competences outside the profile are checked against the
/// framework but otherwise ignored. See the module docs for the definitions.
pub fn gap_report(
    framework: &Framework,
    profile: &EffectiveProfile,
    ratings: &Ratings,
    policy: Option<&Policy>,
) -> Result<GapReport> {
    if profile.framework != framework.id {
        return Err(Error::invalid(
            "profile.framework",
            format!(
                "profile {:?} was resolved against framework {:?}, not {:?}",
                profile.id, profile.framework, framework.id
            ),
        ));
    }
    let chosen = reconcile(framework, ratings, policy)?;
    let mut gaps = Vec::with_capacity(profile.requirements.len());
    let mut missing = Vec::new();
    let (mut weight_rated, mut weight_met) = (0.0_f64, 0.0_f64);
    let (mut rated, mut met_count) = (0usize, 0usize);
    let mut total_weighted_gap = 0.0;
    for req in &profile.requirements {
        let current = chosen.get(&req.competence);
        let gap = match current {
            Some(c) => {
                let gap = (req.level - c.level).max(0);
                let met = c.level >= req.level;
                let weighted = f64::from(gap) * req.weight;
                rated += 1;
                weight_rated += req.weight;
                total_weighted_gap += weighted;
                if met {
                    met_count += 1;
                    weight_met += req.weight;
                }
                Gap {
                    competence: req.competence.clone(),
                    area: req.area.clone(),
                    required: req.level,
                    current: Some(c.level),
                    source: c.source,
                    gap: Some(gap),
                    weight: req.weight,
                    weighted_gap: Some(weighted),
                    met: Some(met),
                }
            }
            None => {
                missing.push(req.competence.clone());
                Gap {
                    competence: req.competence.clone(),
                    area: req.area.clone(),
                    required: req.level,
                    current: None,
                    source: None,
                    gap: None,
                    weight: req.weight,
                    weighted_gap: None,
                    met: None,
                }
            }
        };
        gaps.push(gap);
    }
    let mut unmet: Vec<(usize, &Gap)> = gaps
        .iter()
        .enumerate()
        .filter(|(_, g)| g.met == Some(false))
        .collect();
    unmet.sort_by(|(ia, a), (ib, b)| {
        let wa = a.weighted_gap.unwrap_or(0.0);
        let wb = b.weighted_gap.unwrap_or(0.0);
        wb.total_cmp(&wa)
            .then(b.weight.total_cmp(&a.weight))
            .then(ia.cmp(ib))
    });
    let plan = unmet.iter().map(|(_, g)| g.competence.clone()).collect();
    Ok(GapReport {
        role: profile.id.clone(),
        framework: framework.id.clone(),
        readiness: (weight_rated > 0.0).then(|| weight_met / weight_rated),
        gaps,
        missing,
        plan,
        requirements: profile.requirements.len(),
        rated,
        met: met_count,
        total_weighted_gap,
    })
}
