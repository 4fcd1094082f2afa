//! The demo's competence needs per unit and its wave comparison, computed
//! by [`crate::aggregate`] — the demo writes no aggregation rule of its own.
//!
//! Pipeline ([`DemoOrganisation::needs`]):
//!
//! 1. the unit tree becomes an [`OrgTree`], and the demo's role profiles
//!    (every profile of the set is a role, in set order) a [`Layout`]
//!    ([`DemoOrganisation::aggregate_layout`]);
//! 2. each assessment of the wave is reconciled with the caller's policy
//!    ([`crate::reconcile`]; the demo uses [`super::DEMO_POLICY`]) into one
//!    level per competence, `-1` where nothing is left
//!    ([`DemoOrganisation::wave_matrix`]);
//! 3. one [`Batch`] goes into an [`AggregateState`], which is finished and
//!    published with `min_group` [`DEMO_MIN_GROUP`] and secondary
//!    suppression (the `unit` table per competence, no role or area
//!    tables), ranking the top needs of every unit;
//! 4. the published rows are audited once more with [`audit_rows`], the
//!    independent adversary of the aggregate module.
//!
//! [`DemoOrganisation::wave_change`] compares two waves with
//! [`compare_waves`] and [`publish_waves`] on the same reconciled levels.
//!
//! ```
//! use kompetens::demo::{DemoOrganisation, DEMO_POLICY};
//! let org = DemoOrganisation::generate()?;
//! let policy = DEMO_POLICY.parse()?;
//! let needs = org.needs("2026", &policy, 3)?;
//! assert_eq!(needs.units[0].unit, "kf");
//! assert!(needs.audit.clean && needs.audit.findings.is_empty());
//! # Ok::<(), kompetens::Error>(())
//! ```

use std::sync::Arc;

use ndarray::{Array1, Array2};
use serde::Serialize;

use super::DemoOrganisation;
use crate::aggregate::{
    audit_rows, compare_waves, publish, publish_waves, AggregateState, AuditReport, Batch, Layout,
    OrgTree, Publication, PublishOptions, Reason, Scope, Suppression, Table, TopNeed, UnitSpec,
    Wave as ChangeWave, WavePublication,
};
use crate::assessment::{reconcile, Policy, Ratings};
use crate::error::{Error, Result};

/// The smallest group the demo publishes.
pub const DEMO_MIN_GROUP: u64 = 5;

/// One wave's reconciled levels as matrices in the layout's order.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveMatrix {
    /// Person ids, in the wave's (person-id) order.
    pub ids: Vec<String>,
    /// Levels, people × competences (framework order), `-1` = missing.
    pub levels: Array2<i8>,
    /// Unit index per person (the layout's tree).
    pub units: Array1<u32>,
    /// Role index per person (the layout's roles).
    pub roles: Array1<u32>,
}

/// A withheld cell of a unit's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithheldCell {
    /// Competence id.
    pub competence: String,
    /// `primary` (fewer than `min_group` people) or `secondary` (withheld
    /// so that a primary cell cannot be recovered by differencing).
    pub reason: Reason,
}

/// One unit's competence needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitNeeds {
    /// Unit id.
    pub unit: String,
    /// Depth in the tree (root 0).
    pub depth: usize,
    /// `rollup` for units with sub-units; `own` for units without, whose
    /// own people are their whole subtree (staff sit in leaf units only,
    /// so own = rolled-up there).
    pub scope: Scope,
    /// The unit's top needs (rolled-up cells, published only), most
    /// pressing first, as ranked by [`publish`].
    pub top: Vec<TopNeed>,
    /// The unit's withheld competence cells, in framework order.
    pub withheld: Vec<WithheldCell>,
}

/// The demo's competence needs of one wave; see the [module docs](self).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoNeeds {
    /// Wave id.
    pub wave: String,
    /// Smallest group published.
    pub min_group: u64,
    /// Protection applied.
    pub suppression: Suppression,
    /// One entry per unit, in tree order.
    pub units: Vec<UnitNeeds>,
    /// [`audit_rows`] on the published rows.
    pub audit: AuditReport,
    /// The full publication (long table, top needs, publish's own audit).
    #[serde(skip)]
    pub publication: Publication,
}

/// Change of one unit between two waves, over all competences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitChange {
    /// Unit id.
    pub unit: String,
    /// Depth in the tree (root 0).
    pub depth: usize,
    /// Published competence cells summed (rolled-up scope).
    pub competences: usize,
    /// Person × competence pairs rated in both waves, over those cells.
    pub paired: u64,
    /// Of these, improved.
    pub improved: u64,
    /// Unchanged.
    pub unchanged: u64,
    /// Declined.
    pub declined: u64,
    /// People only in the later wave (`None` when withheld).
    pub joined: Option<u64>,
    /// People only in the earlier wave (`None` when withheld).
    pub left: Option<u64>,
}

impl UnitChange {
    /// `improved / paired`.
    pub fn share_improved(&self) -> Option<f64> {
        self.share(self.improved)
    }
    /// `unchanged / paired`.
    pub fn share_unchanged(&self) -> Option<f64> {
        self.share(self.unchanged)
    }
    /// `declined / paired`.
    pub fn share_declined(&self) -> Option<f64> {
        self.share(self.declined)
    }
    fn share(&self, x: u64) -> Option<f64> {
        (self.paired > 0).then(|| x as f64 / self.paired as f64)
    }
}

/// One competence's change over the whole department (rolled-up root cell).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompetenceChange {
    /// Competence id.
    pub competence: String,
    /// People rated on it in both waves.
    pub paired: u64,
    /// Mean change (after − before).
    pub mean_change: f64,
    /// Two-sided p of the Wilcoxon signed-rank test (from [`publish_waves`]).
    pub wilcoxon_pvalue: Option<f64>,
    /// `d_z` = mean change / sd of the changes.
    pub d_z: Option<f64>,
}

/// The comparison of two demo waves; see [`DemoOrganisation::wave_change`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoWaveChange {
    /// Earlier wave id.
    pub before: String,
    /// Later wave id.
    pub after: String,
    /// Smallest group published.
    pub min_group: u64,
    /// People on both rosters.
    pub people_in_both: usize,
    /// The root and the units one level below it (rolled up), in tree
    /// order; sums over the published cells of [`publish_waves`].
    pub units: Vec<UnitChange>,
    /// The three competences with the largest mean gain over the
    /// department (published root cells; ties in framework order).
    pub largest_gains: Vec<CompetenceChange>,
    /// Withheld cells that can still be determined (0).
    pub determined: usize,
    /// The full published comparison.
    #[serde(skip)]
    pub publication: WavePublication,
}

impl DemoOrganisation {
    /// The unit tree as an [`OrgTree`] (units in tree order).
    pub fn org_tree(&self) -> Result<OrgTree> {
        OrgTree::new(
            self.units
                .iter()
                .map(|u| UnitSpec {
                    id: u.id.clone(),
                    parent: u.parent.clone(),
                })
                .collect(),
        )
    }

    /// The aggregation layout: the unit tree, DigComp 2.2's competences and
    /// areas, and every profile of the demo set as a role (in set order)
    /// with its resolved requirements.
    pub fn aggregate_layout(&self) -> Result<Arc<Layout>> {
        let roles: Vec<String> = self.profiles.ids().into_iter().map(String::from).collect();
        Ok(Arc::new(Layout::from_profiles(
            self.org_tree()?,
            &self.profiles,
            &roles,
        )?))
    }

    /// One wave's levels reconciled with `policy`, as matrices for
    /// `layout` (from [`Self::aggregate_layout`]).
    pub fn wave_matrix(&self, wave: &str, policy: &Policy, layout: &Layout) -> Result<WaveMatrix> {
        let w = self.wave(wave).ok_or_else(|| Error::UnknownReference {
            location: "wave".into(),
            kind: "wave".into(),
            id: wave.to_string(),
        })?;
        let n = w.assessments.len();
        let n_c = layout.competences.len();
        let mut levels = Array2::<i8>::from_elem((n, n_c), -1);
        let mut units = Array1::<u32>::zeros(n);
        let mut roles = Array1::<u32>::zeros(n);
        let mut ids = Vec::with_capacity(n);
        for (p, a) in w.assessments.iter().enumerate() {
            let unit = a.unit.as_deref().unwrap_or("");
            units[p] = layout
                .tree
                .index_of(unit)
                .ok_or_else(|| Error::UnknownReference {
                    location: format!("assessments[{p}].unit"),
                    kind: "unit".into(),
                    id: unit.to_string(),
                })? as u32;
            let role = a.role.as_deref().unwrap_or("all-staff");
            roles[p] = layout.roles.iter().position(|r| r == role).ok_or_else(|| {
                Error::UnknownProfile {
                    location: format!("assessments[{p}].role"),
                    id: role.to_string(),
                }
            })? as u32;
            let chosen = reconcile(
                &self.framework,
                &Ratings::List(a.ratings.clone()),
                Some(policy),
            )?;
            for (c, id) in layout.competences.iter().enumerate() {
                if let Some(level) = chosen.get(id) {
                    levels[(p, c)] = i8::try_from(level.level).map_err(|_| {
                        Error::invalid(format!("assessments[{p}].ratings"), "level out of range")
                    })?;
                }
            }
            ids.push(a.person.clone());
        }
        Ok(WaveMatrix {
            ids,
            levels,
            units,
            roles,
        })
    }

    /// Every unit's competence needs in one wave, with small groups
    /// protected; the `top` largest needs per unit. See the
    /// [module docs](self).
    pub fn needs(&self, wave: &str, policy: &Policy, top: usize) -> Result<DemoNeeds> {
        let layout = self.aggregate_layout()?;
        let m = self.wave_matrix(wave, policy, &layout)?;
        let mut state = AggregateState::new(Arc::clone(&layout));
        state.update(&Batch {
            levels: m.levels.view(),
            units: m.units.view(),
            roles: Some(m.roles.view()),
            required: None,
        })?;
        let opts = PublishOptions {
            min_group: DEMO_MIN_GROUP,
            suppression: Suppression::Secondary,
            role_table: Some(false),
            role_unit_table: false,
            areas: Some(false),
            top,
        };
        let publication = publish(&state.finish(), &opts)?;
        let audit = audit_rows(&layout.tree, &publication.rows, opts.min_group)?;
        let tree = &layout.tree;
        let units = tree
            .preorder()
            .iter()
            .map(|&u| {
                let u = u as usize;
                let id = tree.id(u);
                let withheld = publication
                    .rows
                    .iter()
                    .filter(|r| {
                        r.table == Table::Unit
                            && r.scope == Some(Scope::Rollup)
                            && r.unit.as_deref() == Some(id)
                    })
                    .filter_map(|r| match (&r.competence, r.suppressed) {
                        (Some(c), Some(reason)) => Some(WithheldCell {
                            competence: c.clone(),
                            reason,
                        }),
                        _ => None,
                    })
                    .collect();
                UnitNeeds {
                    unit: id.to_string(),
                    depth: tree.depth(u),
                    scope: if tree.children(u).is_empty() {
                        Scope::Own
                    } else {
                        Scope::Rollup
                    },
                    top: publication
                        .top_needs
                        .iter()
                        .filter(|t| t.unit == id)
                        .cloned()
                        .collect(),
                    withheld,
                }
            })
            .collect();
        Ok(DemoNeeds {
            wave: wave.to_string(),
            min_group: opts.min_group,
            suppression: opts.suppression,
            units,
            audit,
            publication,
        })
    }

    /// Compare two waves (levels reconciled with `policy`), with small
    /// groups protected (`min_group` [`DEMO_MIN_GROUP`], secondary
    /// suppression).
    pub fn wave_change(
        &self,
        before: &str,
        after: &str,
        policy: &Policy,
    ) -> Result<DemoWaveChange> {
        let layout = self.aggregate_layout()?;
        let b = self.wave_matrix(before, policy, &layout)?;
        let a = self.wave_matrix(after, policy, &layout)?;
        let cmp = compare_waves(
            &layout,
            &ChangeWave {
                ids: &b.ids,
                levels: b.levels.view(),
                units: b.units.view(),
            },
            &ChangeWave {
                ids: &a.ids,
                levels: a.levels.view(),
                units: a.units.view(),
            },
        )?;
        let publication = publish_waves(&cmp, DEMO_MIN_GROUP, Suppression::Secondary)?;
        let tree = &layout.tree;
        let units = tree
            .preorder()
            .iter()
            .map(|&u| u as usize)
            .filter(|&u| tree.depth(u) <= 1)
            .map(|u| {
                let id = tree.id(u);
                let mut change = UnitChange {
                    unit: id.to_string(),
                    depth: tree.depth(u),
                    competences: 0,
                    paired: 0,
                    improved: 0,
                    unchanged: 0,
                    declined: 0,
                    joined: None,
                    left: None,
                };
                for r in publication
                    .rows
                    .iter()
                    .filter(|r| r.unit == id && r.scope == Scope::Rollup)
                {
                    if let (Some(p), Some(i), Some(s), Some(d)) =
                        (r.paired, r.improved, r.unchanged, r.declined)
                    {
                        change.competences += 1;
                        change.paired += p;
                        change.improved += i;
                        change.unchanged += s;
                        change.declined += d;
                    }
                }
                if let Some(m) = publication
                    .movements
                    .iter()
                    .find(|m| m.unit == id && m.scope == Scope::Rollup)
                {
                    change.joined = m.joined;
                    change.left = m.left;
                }
                change
            })
            .collect();
        let mut largest_gains: Vec<CompetenceChange> = tree
            .roots()
            .first()
            .map(|&r| tree.id(r as usize))
            .into_iter()
            .flat_map(|root| {
                publication
                    .rows
                    .iter()
                    .filter(move |r| r.unit == root && r.scope == Scope::Rollup)
            })
            .filter_map(|r| {
                Some(CompetenceChange {
                    competence: r.competence.clone(),
                    paired: r.paired?,
                    mean_change: r.mean_change?,
                    wilcoxon_pvalue: r.wilcoxon_pvalue,
                    d_z: r.d_z,
                })
            })
            .collect();
        // stable sort: ties keep framework order
        largest_gains.sort_by(|x, y| y.mean_change.total_cmp(&x.mean_change));
        largest_gains.truncate(3);
        let in_after: std::collections::HashSet<&str> = a.ids.iter().map(String::as_str).collect();
        Ok(DemoWaveChange {
            before: before.to_string(),
            after: after.to_string(),
            min_group: DEMO_MIN_GROUP,
            people_in_both: b
                .ids
                .iter()
                .filter(|id| in_after.contains(id.as_str()))
                .count(),
            units,
            largest_gains,
            determined: publication.determined,
            publication,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{Item, RoleSel};
    use crate::demo::DEMO_POLICY;

    fn org() -> DemoOrganisation {
        DemoOrganisation::generate().unwrap()
    }

    #[test]
    fn root_people_equal_an_independent_count() {
        // Independent count: straight from the assessments, without the
        // aggregate module. Per competence, a person counts when their
        // resolved role profile requires it (level > 0) and the policy
        // leaves a rating (it lists every source, so any rating will do).
        let org = org();
        let policy: Policy = DEMO_POLICY.parse().unwrap();
        let layout = org.aggregate_layout().unwrap();
        let m = org.wave_matrix("2026", &policy, &layout).unwrap();
        let mut state = AggregateState::new(Arc::clone(&layout));
        state
            .update(&Batch {
                levels: m.levels.view(),
                units: m.units.view(),
                roles: Some(m.roles.view()),
                required: None,
            })
            .unwrap();
        let agg = state.finish();
        let root = layout.tree.index_of("kf").unwrap();
        let record = agg.record(root, Scope::Rollup, RoleSel::All);
        let needs = org.needs("2026", &policy, 3).unwrap();
        let wave = org.wave("2026").unwrap();
        let mut published = 0;
        for (c, id) in org.framework.competence_ids().into_iter().enumerate() {
            let (mut expected, mut missing) = (0u64, 0u64);
            for a in &wave.assessments {
                let profile = org.profiles.resolve(a.role.as_deref().unwrap()).unwrap();
                if profile.requirement(id).is_some_and(|r| r.level > 0) {
                    if a.ratings.iter().any(|r| r.competence == id) {
                        expected += 1;
                    } else {
                        missing += 1;
                    }
                }
            }
            let s = agg.stats(record, Item::Competence(c)).unwrap();
            assert_eq!(s.people, expected, "competence {id}");
            assert_eq!(s.missing, missing, "competence {id}");
            // The published row, where it is published, says the same.
            let row = needs
                .publication
                .rows
                .iter()
                .find(|r| {
                    r.unit.as_deref() == Some("kf")
                        && r.scope == Some(Scope::Rollup)
                        && r.competence.as_deref() == Some(id)
                })
                .unwrap();
            if row.suppressed.is_none() {
                assert_eq!(row.people, Some(expected), "competence {id}");
                published += 1;
            }
        }
        assert!(published >= 15, "{published}");
    }

    #[test]
    fn root_weighted_need_equals_summed_gap_reports() {
        // Independent path: each person's gap report (the per-person rule),
        // summed over the department.
        let org = org();
        let policy: Policy = DEMO_POLICY.parse().unwrap();
        let needs = org.needs("2026", &policy, 21).unwrap();
        let wave = org.wave("2026").unwrap();
        let mut sum: std::collections::BTreeMap<String, f64> = Default::default();
        for a in &wave.assessments {
            let profile = org.profiles.resolve(a.role.as_deref().unwrap()).unwrap();
            let report = crate::gap_report(
                &org.framework,
                &profile,
                &Ratings::List(a.ratings.clone()),
                Some(&policy),
            )
            .unwrap();
            for g in report.gaps {
                *sum.entry(g.competence).or_default() += g.weighted_gap.unwrap_or(0.0);
            }
        }
        let root = &needs.units[0];
        assert_eq!(root.unit, "kf");
        assert!(!root.top.is_empty());
        for t in &root.top {
            assert!((t.weighted_need - sum[&t.competence]).abs() < 1e-9, "{t:?}");
        }
    }

    #[test]
    fn protected_audited_and_deterministic() {
        let org = org();
        let policy: Policy = DEMO_POLICY.parse().unwrap();
        let a = org.needs("2026", &policy, 3).unwrap();
        assert!(a.audit.clean, "{:?}", a.audit.findings);
        assert!(a.publication.audit.clean);
        assert!(a.audit.primary > 0 && a.audit.withheld >= a.audit.primary);
        // every withheld cell of a shown row is marked
        let marked: usize = a.units.iter().map(|u| u.withheld.len()).sum();
        assert!(marked > 0);
        for u in &a.units {
            assert!(u.top.len() <= 3);
            assert!(u
                .top
                .iter()
                .all(|t| !u.withheld.iter().any(|w| w.competence == t.competence)));
        }
        assert_eq!(a, org.needs("2026", &policy, 3).unwrap());
        assert!(org.needs("1999", &policy, 3).is_err());
    }

    #[test]
    fn wave_change_counts_joiners_and_leavers() {
        let org = org();
        let policy: Policy = DEMO_POLICY.parse().unwrap();
        let ch = org.wave_change("2025", "2026", &policy).unwrap();
        let root = &ch.units[0];
        assert_eq!(root.unit, "kf");
        // Independent: the rosters.
        let joiners = org.people.iter().filter(|p| p.waves == ["2026"]).count() as u64;
        let leavers = org.people.iter().filter(|p| p.waves == ["2025"]).count() as u64;
        let both = org.people.iter().filter(|p| p.waves.len() == 2).count();
        assert_eq!(root.joined, Some(joiners));
        assert_eq!(root.left, Some(leavers));
        assert_eq!(ch.people_in_both, both);
        assert_eq!(root.competences, 21);
        assert_eq!(root.improved + root.unchanged + root.declined, root.paired);
        assert!(root.share_improved().unwrap() > root.share_declined().unwrap());
        assert_eq!(ch.determined, 0);
        assert_eq!(ch.units.iter().filter(|u| u.depth == 1).count(), 4);
        assert_eq!(ch.largest_gains.len(), 3);
        assert!(ch
            .largest_gains
            .windows(2)
            .all(|w| w[0].mean_change >= w[1].mean_change));
        assert!(ch.largest_gains[0].mean_change > 0.0);
    }
}
