//! A synthetic, seeded organisation for demonstrations, examples and tests.
//!
//! [`DemoOrganisation::generate`] builds a city culture department
//! (kulturförvaltning) of about 1,100 employees: libraries (a main library,
//! branch libraries and a mobile library), three museums (each with
//! education, collections and visitor sub-units), an arts school (kulturskola:
//! music, dance, visual arts and an office) and the administration (HR,
//! finance, communication, IT). The unit tree and the staffing per role are
//! data (`core/data/demo/units.json`); the role profiles (yrkesroller) are a
//! DigComp 2.2 profile set (`core/data/demo/profiles.json`) in which every
//! role extends `all-staff`.
//!
//! Two measurement waves, `2025` and `2026`, hold one [`Assessment`] per
//! employee on that wave's roster: self-ratings of most competences, manager
//! ratings (medarbetarsamtal) of the role's required competences for about
//! 60 % of the staff, and no ratings at all for about 5 %. Self-ratings are
//! on average about half a level above manager ratings. Between the waves
//! about 6 % of the staff leave, most of them are replaced, a few posts are
//! added, and levels improve modestly.
//!
//! The department also has a DiMiOS digital-maturity measurement in the same
//! two years: about 60 respondents (managers, strategists, developers) over
//! the unit tree answer the built-in example instrument
//! ([`DemoOrganisation::dimios_measurement`],
//! [`DemoOrganisation::score_dimios`], [`DemoOrganisation::dimios_summary`];
//! see [`dimios`]).
//!
//! # Determinism
//!
//! Everything random comes from [`SplitMix64`], a tiny hand-written
//! generator, seeded with the fixed [`SEED`]. We do not use the `rand` crate:
//! its generators and distributions may change their output streams between
//! versions, and it would be one more dependency for a demo. SplitMix64 uses
//! only 64-bit integer arithmetic, and the normal deviates are sums of twelve
//! uniforms (Irwin–Hall) rather than Box–Muller, because `ln`/`cos` may round
//! differently on different platforms while additions of doubles do not. So
//! the same organisation comes out on every platform — x86-64, ARM, wasm32 —
//! and in every version of this crate until the data files are changed on
//! purpose. Each person, unit and wave draws from its own stream (derived
//! from the seed and a key), so adding a unit does not reshuffle everyone
//! else.
//!
//! ```
//! use kompetens::demo::DemoOrganisation;
//! let org = DemoOrganisation::generate()?;
//! let latest = org.latest_wave().map(|w| w.id.as_str());
//! assert_eq!(latest, Some("2026"));
//! assert!(org.units.iter().any(|u| u.id == "lib-central"));
//! assert!(org.wave("2025").map_or(0, |w| w.assessments.len()) > 1000);
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::assessment::{Assessment, Policy, Rating, Ratings, Source};
use crate::error::{Error, Result};
use crate::framework::{Framework, LevelValue};
use crate::gap::gap_report;
use crate::profile::{EffectiveProfile, ProfileSet};
use crate::text::{from_json_str, Text};

/// The fixed seed of the demo organisation (the ASCII bytes of `kompeten`).
pub const SEED: u64 = 0x6B6F_6D70_6574_656E;

/// The reconciliation policy the demo summary uses.
pub const DEMO_POLICY: &str = "prefer:manager,test,activity,self";

/// The framework of the demo profiles.
pub const DEMO_FRAMEWORK: &str = "digcomp-2.2";

#[cfg(feature = "maturity")]
pub mod dimios;

#[cfg(feature = "maturity")]
pub use dimios::{
    DimiosFigure, DimiosMeasurement, DimiosRespondent, DimiosRole, DimiosSummary, DimiosUnit,
};

const UNITS_JSON: &str = include_str!("../data/demo/units.json");
const PROFILES_JSON: &str = include_str!("../data/demo/profiles.json");

/// `(wave id, assessment date)` of the two waves, oldest first.
const WAVES: [(&str, &str); 2] = [("2025", "2025-03-31"), ("2026", "2026-03-31")];

/// The SplitMix64 generator of Steele, Lea and Flood (2014), in Vigna's
/// public-domain reference form (`splitmix64.c`).
///
/// Integer arithmetic only, so its streams are identical on every platform.
///
/// ```
/// use kompetens::demo::SplitMix64;
/// let mut rng = SplitMix64::new(1234567);
/// assert_eq!(rng.next_u64(), 6457827717110365317);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator with the given state.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// An independent stream for `key`, derived from `seed` and the FNV-1a
    /// hash of `tag`.
    pub fn stream(seed: u64, tag: &str, key: u64) -> SplitMix64 {
        let mut base = SplitMix64::new(seed ^ fnv1a64(tag));
        let a = base.next_u64();
        let mut keyed = SplitMix64::new(a ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        SplitMix64::new(keyed.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)` with 53 random bits (exact in `f64`).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An approximately standard normal deviate: the sum of twelve uniforms
    /// minus 6 (Irwin–Hall; mean 0, variance 1, range −6..6). Additions only,
    /// so the result is bit-identical on every platform.
    pub fn normal(&mut self) -> f64 {
        let mut sum = 0.0;
        for _ in 0..12 {
            sum += self.uniform();
        }
        sum - 6.0
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// A uniform integer in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift; the tiny bias is irrelevant for a demo.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// The 64-bit FNV-1a hash of a string.
pub fn fnv1a64(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// An organisational unit (enhet) in the demo's unit tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Stable id, e.g. `lib-central`.
    pub id: String,
    /// Id of the parent unit; `None` for the root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Name in Swedish and English.
    pub name: Text,
}

/// An employee of the demo organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Pseudonymous id, e.g. `p0042`.
    pub id: String,
    /// Id of the (leaf) unit the person works in.
    pub unit: String,
    /// Role profile id (yrkesroll).
    pub role: String,
    /// Waves in which the person is employed.
    pub waves: Vec<String>,
}

/// One measurement wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    /// Wave id, e.g. `2026`.
    pub id: String,
    /// Date of the assessments (ISO 8601).
    pub date: String,
    /// One assessment per employee on this wave's roster, in person-id
    /// order; `ratings` is empty for people who were not rated at all.
    pub assessments: Vec<Assessment>,
}

/// The synthetic culture department; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct DemoOrganisation {
    /// Name of the organisation.
    pub name: Text,
    /// The framework of the profiles and ratings (DigComp 2.2).
    pub framework: Framework,
    /// The role profiles.
    pub profiles: ProfileSet,
    /// The unit tree, parents before children (depth-first order).
    pub units: Vec<Unit>,
    /// Everyone employed in any wave, in id order.
    pub people: Vec<Person>,
    /// The waves, oldest first.
    pub waves: Vec<Wave>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    #[allow(dead_code)]
    id: String,
    name: Text,
    #[allow(dead_code)]
    note: String,
    units: Vec<UnitRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitRow {
    id: String,
    #[serde(default)]
    parent: Option<String>,
    name: Text,
    #[serde(default)]
    staff: BTreeMap<String, u32>,
}

/// Per-competence offset of the latent level (in levels), so that some
/// competences are typically weaker than others: copyright (3.3),
/// programming (3.4), data protection (4.2), identifying needs and solutions
/// (5.2) and one's own gaps (5.4) lag; interacting (2.1) and netiquette
/// (2.5) are strong. In framework order 1.1 … 5.4.
const COMPETENCE_OFFSET: [f64; 21] = [
    0.3, -0.1, -0.2, // 1.1–1.3
    0.5, 0.2, 0.0, 0.1, 0.4, -0.1, // 2.1–2.6
    -0.2, -0.3, -0.8, -0.6, // 3.1–3.4
    0.1, -0.3, 0.0, 0.1, // 4.1–4.4
    0.0, -0.5, 0.0, -0.5, // 5.1–5.4
];

/// Latent level of a competence the role does not require.
const UNREQUIRED_MEAN: f64 = 2.6;
/// How far below the required level people sit on average.
const REQUIRED_SHORTFALL: f64 = 0.5;
const P_LEAVE: f64 = 0.06;
const P_REPLACED: f64 = 0.85;
const P_NEW_POST: f64 = 0.4;
const P_UNRATED: f64 = 0.05;
const P_MANAGER: f64 = 0.6;
const P_NO_SELF: f64 = 0.03;

/// Latent traits of one person, drawn once.
struct Traits {
    latent: Vec<f64>,
    self_bias: f64,
    growth: f64,
}

fn draw_traits(rng: &mut SplitMix64, required: &[LevelValue], unit_effect: f64) -> Traits {
    let ability = 0.8 * rng.normal();
    let self_bias = 0.5 + 0.45 * rng.normal();
    let growth = 0.2 + 0.15 * rng.normal();
    let latent = required
        .iter()
        .zip(COMPETENCE_OFFSET)
        .map(|(&req, offset)| {
            let base = if req > 0 {
                f64::from(req) - REQUIRED_SHORTFALL
            } else {
                UNREQUIRED_MEAN
            };
            base + ability + unit_effect + offset + 0.9 * rng.normal()
        })
        .collect();
    Traits {
        latent,
        self_bias,
        growth,
    }
}

fn to_level(x: f64, min: LevelValue, max: LevelValue) -> LevelValue {
    // f64::round and the clamp are exact; the cast cannot overflow.
    x.round().clamp(f64::from(min), f64::from(max)) as LevelValue
}

impl DemoOrganisation {
    /// Build the demo organisation. Deterministic: every call returns the
    /// same organisation, on every platform.
    pub fn generate() -> Result<DemoOrganisation> {
        let framework = Framework::builtin(DEMO_FRAMEWORK)?;
        let profiles = ProfileSet::from_json(PROFILES_JSON, &framework)?;
        let file: UnitsFile = from_json_str(UNITS_JSON)?;
        let units = order_units(&file.units)?;
        let comp_ids: Vec<String> = framework
            .competence_ids()
            .into_iter()
            .map(str::to_string)
            .collect();
        if comp_ids.len() != COMPETENCE_OFFSET.len() {
            return Err(Error::ShapeMismatch {
                location: "demo".into(),
                message: "the demo expects the 21 competences of DigComp 2.2".into(),
            });
        }
        let (min, max) = (framework.min_level(), framework.max_level());

        // Required level per role and competence (framework order).
        let mut required: HashMap<String, Vec<LevelValue>> = HashMap::new();
        for row in &file.units {
            for role in row.staff.keys() {
                if required.contains_key(role) {
                    continue;
                }
                let profile = profiles.resolve(role).map_err(|e| {
                    Error::invalid(format!("units.{}.staff", row.id), e.to_string())
                })?;
                required.insert(role.clone(), required_levels(&profile, &comp_ids));
            }
        }
        let unit_index: HashMap<&str, u64> = file
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.as_str(), i as u64))
            .collect();
        let unit_effect = |unit: &str| {
            let key = unit_index.get(unit).copied().unwrap_or(0);
            0.35 * SplitMix64::stream(SEED, "unit", key).normal()
        };

        // Wave 2025 roster, then leavers and joiners for 2026.
        struct Member {
            no: u64,
            unit: String,
            role: String,
            in_waves: [bool; 2],
        }
        let mut members: Vec<Member> = Vec::new();
        for row in &file.units {
            for (role, &count) in &row.staff {
                for _ in 0..count {
                    let no = members.len() as u64 + 1;
                    members.push(Member {
                        no,
                        unit: row.id.clone(),
                        role: role.clone(),
                        in_waves: [true, true],
                    });
                }
            }
        }
        let first_wave = members.len();
        let mut joiners = Vec::new();
        for m in members.iter_mut() {
            let mut rng = SplitMix64::stream(SEED, "turnover", m.no);
            if rng.chance(P_LEAVE) {
                m.in_waves[1] = false;
                if rng.chance(P_REPLACED) {
                    joiners.push((m.unit.clone(), m.role.clone()));
                }
            }
        }
        for (i, row) in file.units.iter().enumerate() {
            let total: u32 = row.staff.values().sum();
            let mut rng = SplitMix64::stream(SEED, "new-post", i as u64);
            if total == 0 || !rng.chance(P_NEW_POST) {
                continue;
            }
            let mut pick = rng.below(u64::from(total));
            for (role, &count) in &row.staff {
                if pick < u64::from(count) {
                    joiners.push((row.id.clone(), role.clone()));
                    break;
                }
                pick -= u64::from(count);
            }
        }
        for (unit, role) in joiners {
            let no = members.len() as u64 + 1;
            members.push(Member {
                no,
                unit,
                role,
                in_waves: [false, true],
            });
        }
        let digits = members.len().to_string().len().max(4);

        let mut people = Vec::with_capacity(members.len());
        let mut waves: Vec<Wave> = WAVES
            .iter()
            .map(|(id, date)| Wave {
                id: id.to_string(),
                date: date.to_string(),
                assessments: Vec::with_capacity(first_wave),
            })
            .collect();
        for m in &members {
            let id = format!("p{:0digits$}", m.no);
            let req = required.get(&m.role).ok_or_else(|| Error::UnknownProfile {
                location: format!("units.{}.staff", m.unit),
                id: m.role.clone(),
            })?;
            let mut rng = SplitMix64::stream(SEED, "person", m.no);
            let traits = draw_traits(&mut rng, req, unit_effect(&m.unit));
            let mut in_waves = Vec::new();
            for (w, wave) in waves.iter_mut().enumerate() {
                if !m.in_waves.get(w).copied().unwrap_or(false) {
                    continue;
                }
                in_waves.push(wave.id.clone());
                let mut rng = SplitMix64::stream(SEED, &format!("wave-{}", wave.id), m.no);
                let ratings = draw_ratings(&mut rng, &traits, req, &comp_ids, w, (min, max));
                wave.assessments.push(Assessment {
                    person: id.clone(),
                    role: Some(m.role.clone()),
                    unit: Some(m.unit.clone()),
                    wave: Some(wave.id.clone()),
                    date: Some(wave.date.clone()),
                    ratings,
                });
            }
            people.push(Person {
                id,
                unit: m.unit.clone(),
                role: m.role.clone(),
                waves: in_waves,
            });
        }
        Ok(DemoOrganisation {
            name: file.name,
            framework,
            profiles,
            units,
            people,
            waves,
        })
    }

    /// The raw JSON text of the demo's role profiles.
    pub fn profiles_json() -> &'static str {
        PROFILES_JSON
    }

    /// A unit by id.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }

    /// The direct children of a unit, in tree order.
    pub fn children(&self, id: &str) -> Vec<&Unit> {
        self.units
            .iter()
            .filter(|u| u.parent.as_deref() == Some(id))
            .collect()
    }

    /// The unit and its ancestors up to the root, nearest first.
    pub fn ancestors(&self, id: &str) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut current = self.unit(id);
        while let Some(u) = current {
            if out.iter().any(|x: &&Unit| x.id == u.id) {
                break; // defensive: the tree is checked to be acyclic
            }
            out.push(u);
            current = u.parent.as_deref().and_then(|p| self.unit(p));
        }
        out
    }

    /// Depth of a unit (the root has depth 0).
    pub fn depth(&self, id: &str) -> usize {
        self.ancestors(id).len().saturating_sub(1)
    }

    /// A wave by id.
    pub fn wave(&self, id: &str) -> Option<&Wave> {
        self.waves.iter().find(|w| w.id == id)
    }

    /// The latest wave.
    pub fn latest_wave(&self) -> Option<&Wave> {
        self.waves.last()
    }

    /// Per-unit summary of one wave: people, people without ratings, mean
    /// readiness and the `top` largest needs, for every unit with everyone
    /// in its subtree (rolled up).
    ///
    /// Readiness is each person's [`gap_report`] readiness under `policy`;
    /// the unit's mean is over the people who have one. A need is a
    /// competence's summed weighted gap over the unit's people (missing
    /// ratings add nothing); ties go to framework order.
    pub fn summary(&self, wave: &str, policy: &Policy, top: usize) -> Result<Summary> {
        let w = self.wave(wave).ok_or_else(|| Error::UnknownReference {
            location: "wave".into(),
            kind: "wave".into(),
            id: wave.to_string(),
        })?;
        let n_comp = self.framework.competence_ids().len();
        let index = self.framework.competence_index();
        struct Acc {
            people: usize,
            without: usize,
            rated: usize,
            readiness_sum: f64,
            need: Vec<f64>,
            need_people: Vec<usize>,
        }
        let mut acc: Vec<Acc> = self
            .units
            .iter()
            .map(|_| Acc {
                people: 0,
                without: 0,
                rated: 0,
                readiness_sum: 0.0,
                need: vec![0.0; n_comp],
                need_people: vec![0; n_comp],
            })
            .collect();
        let pos: HashMap<&str, usize> = self
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.as_str(), i))
            .collect();
        let mut resolved: HashMap<String, EffectiveProfile> = HashMap::new();
        for (a, assessment) in w.assessments.iter().enumerate() {
            let role = assessment.role.as_deref().unwrap_or("all-staff");
            if !resolved.contains_key(role) {
                resolved.insert(role.to_string(), self.profiles.resolve(role)?);
            }
            let profile = resolved.get(role).ok_or_else(|| Error::UnknownProfile {
                location: format!("assessments[{a}].role"),
                id: role.to_string(),
            })?;
            let report = gap_report(
                &self.framework,
                profile,
                &Ratings::List(assessment.ratings.clone()),
                Some(policy),
            )?;
            let unit = assessment.unit.as_deref().unwrap_or("");
            let chain = self.ancestors(unit);
            if chain.is_empty() {
                return Err(Error::UnknownReference {
                    location: format!("assessments[{a}].unit"),
                    kind: "unit".into(),
                    id: unit.to_string(),
                });
            }
            for u in chain {
                let Some(acc) = pos.get(u.id.as_str()).and_then(|&i| acc.get_mut(i)) else {
                    continue;
                };
                acc.people += 1;
                if assessment.ratings.is_empty() {
                    acc.without += 1;
                }
                if let Some(r) = report.readiness {
                    acc.rated += 1;
                    acc.readiness_sum += r;
                }
                for g in &report.gaps {
                    if let (Some(wg), Some(&c)) = (g.weighted_gap, index.get(g.competence.as_str()))
                    {
                        if wg > 0.0 {
                            if let (Some(n), Some(p)) =
                                (acc.need.get_mut(c), acc.need_people.get_mut(c))
                            {
                                *n += wg;
                                *p += 1;
                            }
                        }
                    }
                }
            }
        }
        let ids = self.framework.competence_ids();
        let units = self
            .units
            .iter()
            .zip(acc)
            .map(|(u, a)| {
                let mut order: Vec<usize> = (0..n_comp).filter(|&c| a.need[c] > 0.0).collect();
                order.sort_by(|&x, &y| a.need[y].total_cmp(&a.need[x]).then(x.cmp(&y)));
                UnitSummary {
                    unit: u.id.clone(),
                    depth: self.depth(&u.id),
                    people: a.people,
                    without_ratings: a.without,
                    with_readiness: a.rated,
                    mean_readiness: (a.rated > 0).then(|| a.readiness_sum / a.rated as f64),
                    needs: order
                        .into_iter()
                        .take(top)
                        .map(|c| Need {
                            competence: ids.get(c).copied().unwrap_or_default().to_string(),
                            weighted_gap: a.need[c],
                            people: a.need_people[c],
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(Summary {
            wave: w.id.clone(),
            policy: policy.clone(),
            people: w.assessments.len(),
            without_ratings: w
                .assessments
                .iter()
                .filter(|a| a.ratings.is_empty())
                .count(),
            units,
        })
    }
}

/// The demo summary of one wave; see [`DemoOrganisation::summary`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Wave id.
    pub wave: String,
    /// The policy used to reconcile self and manager ratings.
    pub policy: Policy,
    /// People on the wave's roster.
    pub people: usize,
    /// People without any rating.
    pub without_ratings: usize,
    /// One row per unit, in tree order, each rolled up over its subtree.
    pub units: Vec<UnitSummary>,
}

/// One unit's row in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSummary {
    /// Unit id.
    pub unit: String,
    /// Depth in the tree (root 0).
    pub depth: usize,
    /// People in the unit and its sub-units.
    pub people: usize,
    /// Of these, people without any rating.
    pub without_ratings: usize,
    /// Of these, people with a readiness (at least one rated requirement).
    pub with_readiness: usize,
    /// Mean readiness over `with_readiness` people; `None` if there are none.
    pub mean_readiness: Option<f64>,
    /// The largest needs, largest first.
    pub needs: Vec<Need>,
}

/// A competence need of a unit: summed weighted gap over its people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Need {
    /// Competence id.
    pub competence: String,
    /// Σ (gap × weight) over the unit's people.
    pub weighted_gap: f64,
    /// Number of people with a gap in this competence.
    pub people: usize,
}

fn required_levels(profile: &EffectiveProfile, comp_ids: &[String]) -> Vec<LevelValue> {
    comp_ids
        .iter()
        .map(|c| profile.requirement(c).map_or(0, |r| r.level))
        .collect()
}

/// Check the unit rows (unique ids, one root, known parents, no cycles,
/// staff only in leaves) and return them depth-first, children in file
/// order.
fn order_units(rows: &[UnitRow]) -> Result<Vec<Unit>> {
    let mut seen = HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        if !seen.insert(r.id.as_str()) {
            return Err(Error::DuplicateId {
                location: format!("units[{i}].id"),
                id: r.id.clone(),
            });
        }
    }
    for (i, r) in rows.iter().enumerate() {
        if let Some(p) = &r.parent {
            if !seen.contains(p.as_str()) {
                return Err(Error::UnknownReference {
                    location: format!("units[{i}].parent"),
                    kind: "unit".into(),
                    id: p.clone(),
                });
            }
        }
        let has_children = rows.iter().any(|c| c.parent.as_ref() == Some(&r.id));
        if has_children && !r.staff.is_empty() {
            return Err(Error::invalid(
                format!("units[{i}].staff"),
                "staff are listed in leaf units only",
            ));
        }
    }
    let roots: Vec<&UnitRow> = rows.iter().filter(|r| r.parent.is_none()).collect();
    let [root] = roots.as_slice() else {
        return Err(Error::invalid(
            "units",
            "the unit tree needs exactly one root",
        ));
    };
    let mut out = Vec::with_capacity(rows.len());
    let mut stack = vec![*root];
    while let Some(r) = stack.pop() {
        out.push(Unit {
            id: r.id.clone(),
            parent: r.parent.clone(),
            name: r.name.clone(),
        });
        let children: Vec<&UnitRow> = rows
            .iter()
            .filter(|c| c.parent.as_ref() == Some(&r.id))
            .collect();
        stack.extend(children.into_iter().rev());
    }
    if out.len() != rows.len() {
        return Err(Error::invalid(
            "units",
            "some units are not reachable from the root (a parent cycle)",
        ));
    }
    Ok(out)
}

fn draw_ratings(
    rng: &mut SplitMix64,
    traits: &Traits,
    required: &[LevelValue],
    comp_ids: &[String],
    wave: usize,
    (min, max): (LevelValue, LevelValue),
) -> Vec<Rating> {
    if rng.chance(P_UNRATED) {
        return Vec::new();
    }
    let has_manager = rng.chance(P_MANAGER);
    let has_self = !(has_manager && rng.chance(P_NO_SELF));
    let mut selfs = Vec::new();
    let mut managers = Vec::new();
    for ((&latent, &req), id) in traits.latent.iter().zip(required).zip(comp_ids) {
        let growth = if wave > 0 {
            traits.growth + 0.25 * rng.normal()
        } else {
            0.0
        };
        let level = latent + growth;
        let self_noise = 0.7 * rng.normal();
        let manager_noise = 0.5 * rng.normal();
        let p_self = if req > 0 { 0.96 } else { 0.88 };
        if has_self && rng.chance(p_self) {
            selfs.push(Rating::new(
                id,
                to_level(level + traits.self_bias + self_noise, min, max),
                Source::SelfAssessed,
            ));
        }
        if has_manager && req > 0 && rng.chance(0.93) {
            managers.push(Rating::new(
                id,
                to_level(level + manager_noise, min, max),
                Source::Manager,
            ));
        }
    }
    selfs.extend(managers);
    selfs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_reference_values() {
        // Rosetta Code, "Pseudo-random numbers/Splitmix64": the first five
        // outputs of Vigna's splitmix64.c seeded with 1234567.
        let mut rng = SplitMix64::new(1234567);
        let expected: [u64; 5] = [
            6457827717110365317,
            3203168211198807973,
            9817491932198370423,
            4593380528125082431,
            16408922859458223821,
        ];
        for e in expected {
            assert_eq!(rng.next_u64(), e);
        }
    }

    #[test]
    fn fnv1a_reference_values() {
        // The FNV reference test values (Fowler/Noll/Vo, FNV-1a 64-bit).
        assert_eq!(fnv1a64(""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64("foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn normal_has_mean_zero_and_unit_variance() {
        let mut rng = SplitMix64::new(7);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        // Standard errors: mean 1/sqrt(n) ≈ 0.007; variance ≈ sqrt(2/n) ≈ 0.01.
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((var - 1.0).abs() < 0.05, "{var}");
    }

    fn org() -> DemoOrganisation {
        DemoOrganisation::generate().unwrap()
    }

    #[test]
    fn about_1100_people_and_two_waves() {
        let org = org();
        let ids: Vec<&str> = org.waves.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, ["2025", "2026"]);
        let first = org.wave("2025").unwrap().assessments.len();
        let latest = org.latest_wave().unwrap().assessments.len();
        assert_eq!(first, 1100, "the unit file staffs 1,100 posts in 2025");
        assert!((1050..=1150).contains(&latest), "{latest}");
        let leavers = org.people.iter().filter(|p| p.waves == ["2025"]).count();
        let joiners = org.people.iter().filter(|p| p.waves == ["2026"]).count();
        assert!((30..=110).contains(&leavers), "{leavers}");
        assert!((30..=110).contains(&joiners), "{joiners}");
        assert_eq!(first - leavers + joiners, latest);
    }

    #[test]
    fn deterministic() {
        let (a, b) = (org(), org());
        assert_eq!(a.people, b.people);
        assert_eq!(a.waves, b.waves);
    }

    #[test]
    fn unit_tree_is_sound_and_every_unit_has_people() {
        let org = org();
        for top in ["lib", "mus", "ks", "adm"] {
            assert_eq!(org.unit(top).unwrap().parent.as_deref(), Some("kf"));
            assert!(!org.children(top).is_empty(), "{top} has sub-units");
        }
        for name in ["Stadsbiblioteket", "Konstmuseet", "Kulturskolan", "HR"] {
            assert!(org.units.iter().any(|u| u.name.get("sv") == name), "{name}");
        }
        // parents come before children
        for (i, u) in org.units.iter().enumerate() {
            if let Some(p) = &u.parent {
                assert!(org.units[..i].iter().any(|x| &x.id == p), "{}", u.id);
            }
        }
        for wave in &org.waves {
            for u in &org.units {
                let n = wave
                    .assessments
                    .iter()
                    .filter(|a| {
                        org.ancestors(a.unit.as_deref().unwrap())
                            .iter()
                            .any(|x| x.id == u.id)
                    })
                    .count();
                assert!(n > 0, "unit {} has nobody in wave {}", u.id, wave.id);
            }
            // people sit in leaf units only
            for a in &wave.assessments {
                assert!(org.children(a.unit.as_deref().unwrap()).is_empty());
            }
        }
    }

    #[test]
    fn assessments_validate_against_digcomp() {
        let org = org();
        let fw = Framework::builtin("digcomp-2.2").unwrap();
        let policy: Policy = DEMO_POLICY.parse().unwrap();
        for wave in &org.waves {
            for a in &wave.assessments {
                let ratings = Ratings::List(a.ratings.clone());
                // Validates every competence id and level; at most one
                // rating per source and competence.
                crate::reconcile(&fw, &ratings, Some(&policy)).unwrap();
                let role = a.role.as_deref().unwrap();
                org.profiles.resolve(role).unwrap();
                assert_eq!(a.wave.as_deref(), Some(wave.id.as_str()));
            }
            // JSON round trip of the assessments
            let json = serde_json::to_string(&wave.assessments).unwrap();
            let back: Vec<Assessment> = serde_json::from_str(&json).unwrap();
            assert_eq!(back, wave.assessments);
        }
    }

    #[test]
    fn realistic_shares_and_means() {
        let org = org();
        for wave in &org.waves {
            let n = wave.assessments.len() as f64;
            let unrated = wave
                .assessments
                .iter()
                .filter(|a| a.ratings.is_empty())
                .count() as f64;
            let share = unrated / n;
            assert!((0.03..=0.07).contains(&share), "unrated share {share}");
            let with_manager = wave
                .assessments
                .iter()
                .filter(|a| a.ratings.iter().any(|r| r.source == Source::Manager))
                .count() as f64;
            let m = with_manager / n;
            assert!((0.52..=0.64).contains(&m), "manager share {m}");
            let mean = |s: Source| {
                let v: Vec<f64> = wave
                    .assessments
                    .iter()
                    .flat_map(|a| a.ratings.iter())
                    .filter(|r| r.source == s)
                    .map(|r| f64::from(r.level))
                    .collect();
                v.iter().sum::<f64>() / v.len() as f64
            };
            let (s, mgr) = (mean(Source::SelfAssessed), mean(Source::Manager));
            // Manager ratings cover only required competences, whose levels
            // are higher, so compare on the same (person, competence) pairs.
            let mut diff = Vec::new();
            for a in &wave.assessments {
                for r in a.ratings.iter().filter(|r| r.source == Source::Manager) {
                    if let Some(x) = a
                        .ratings
                        .iter()
                        .find(|x| x.source == Source::SelfAssessed && x.competence == r.competence)
                    {
                        diff.push(f64::from(x.level - r.level));
                    }
                }
            }
            let d = diff.iter().sum::<f64>() / diff.len() as f64;
            assert!(
                d > 0.2 && d < 0.9,
                "self − manager {d} (self {s}, manager {mgr})"
            );
            // some individual competences are missing
            let partial = wave
                .assessments
                .iter()
                .filter(|a| {
                    let selfs = a
                        .ratings
                        .iter()
                        .filter(|r| r.source == Source::SelfAssessed)
                        .count();
                    selfs > 0 && selfs < 21
                })
                .count();
            assert!(partial > 100, "{partial}");
        }
    }

    #[test]
    fn second_wave_improves_modestly() {
        let org = org();
        let policy: Policy = DEMO_POLICY.parse().unwrap();
        let r = |w: &str| {
            org.summary(w, &policy, 3).unwrap().units[0]
                .mean_readiness
                .unwrap()
        };
        let (a, b) = (r("2025"), r("2026"));
        assert!(b > a && b - a < 0.15, "{a} -> {b}");
        assert!(a > 0.3 && b < 0.85, "{a} -> {b}");
    }

    #[test]
    fn summary_rolls_up() {
        let org = org();
        let policy: Policy = DEMO_POLICY.parse().unwrap();
        let s = org.summary("2026", &policy, 3).unwrap();
        assert_eq!(s.units.len(), org.units.len());
        assert_eq!(s.units[0].unit, "kf");
        assert_eq!(s.units[0].people, s.people);
        assert_eq!(s.units[0].without_ratings, s.without_ratings);
        for u in &s.units {
            let children: Vec<&UnitSummary> = s
                .units
                .iter()
                .filter(|c| org.unit(&c.unit).unwrap().parent.as_deref() == Some(u.unit.as_str()))
                .collect();
            if !children.is_empty() {
                assert_eq!(u.people, children.iter().map(|c| c.people).sum::<usize>());
                assert_eq!(
                    u.without_ratings,
                    children.iter().map(|c| c.without_ratings).sum::<usize>()
                );
            }
            assert!(u.needs.len() <= 3);
            assert!(u
                .needs
                .windows(2)
                .all(|w| w[0].weighted_gap >= w[1].weighted_gap));
        }
        assert!(org.summary("1999", &policy, 3).is_err());
    }
}
