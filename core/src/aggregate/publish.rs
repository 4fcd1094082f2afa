//! Published tables with small-group protection.
//!
//! Tables (rows of one long table, told apart by `table`):
//!
//! - `unit`: every unit × scope (`own`, `rollup`) × competence (and area);
//! - `role`: every role's total over the whole organisation;
//! - `role_unit`: unit × scope × role, for groups that have people.
//!
//! The additive relations an adversary can use, per competence (and, with
//! areas, per area with its competences, since an area cell is the sum of
//! its competence cells):
//!
//! - tree: `rollup(u) = own(u) + Σ rollup(child)` for all roles together
//!   and, with `role_unit`, for each role;
//! - margins (with `role_unit`): `cell(u, s, all) = Σ_r cell(u, s, r)`;
//! - roles: `total(r) = Σ_roots rollup(root, r)` with `role_unit`, else
//!   `Σ_r total(r) = Σ_roots rollup(root)`;
//! - areas: `area(g) = Σ_{c ∈ area} competence(g, c)` for every group.
//!
//! Protection (`suppression`):
//!
//! - `none`: everything published (for people entitled to see individuals);
//! - `primary`: cells with fewer than `min_group` people are withheld
//!   (cells with nobody counted are published as zeros: they show only
//!   `missing`);
//! - `secondary` (default): primary, then greedy secondary suppression
//!   ([`super::disclosure::protect`]) until the audit finds no withheld cell
//!   that can be determined;
//! - under `primary`, `secondary` and `rollup`, an **area row** is withheld
//!   exactly when one of its competence rows is (`primary` when one of
//!   them is primary, else `secondary`), and its head count (`people`) is
//!   not published: a published area row is then the sum of published
//!   competence rows, and a withheld one's reason follows from theirs, so
//!   it adds nothing an adversary could use (see `withhold_areas`);
//! - `rollup`: small units are rolled into their parent first: bottom-up, a
//!   unit whose rolled-up headcount (people rated on at least one
//!   requirement) is below `min_group` is absorbed with its whole subtree
//!   into its parent's `own` row (which then stands for the parent's own
//!   people plus the absorbed units); when a parent's resulting `own` group
//!   is non-empty but still small, its smallest kept child is absorbed too,
//!   until it is large enough or nothing is left. Absorbed units' rows are
//!   marked `rolled_up`. Remaining small cells (a competence few people
//!   are required to have) get primary and secondary suppression as above.
//!
//! Ranking of top needs per unit (rolled-up scope, all roles, published
//! cells only): weighted need (largest first), then mean shortfall (largest
//! first), then framework order of the competence; cells without need are
//! left out.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::cells::{numbers, numbers_one, Aggregates, Item, Numbers, RoleSel, Scope};
use super::disclosure::{
    audit_cell, protect, Analysis, AuditCell, Auditor, Method, ProtectCell, Reason, Status,
};
use super::layout::Layout;
use super::tree::OrgTree;
use crate::error::{Error, Result};

/// Which protection to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Suppression {
    /// No protection.
    None,
    /// Only primary suppression.
    Primary,
    /// Primary and secondary suppression (default).
    #[default]
    Secondary,
    /// Roll small units into their parent, then primary and secondary.
    Rollup,
}

/// The table a row belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// Units × scope.
    Unit,
    /// Units × scope × role.
    RoleUnit,
    /// Role totals over the organisation.
    Role,
}

/// Options of [`publish`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishOptions {
    /// Smallest group published (default 5).
    #[serde(default = "default_min_group")]
    pub min_group: u64,
    /// Protection (default `secondary`).
    #[serde(default)]
    pub suppression: Suppression,
    /// Publish role totals (default: when the layout has roles).
    #[serde(default)]
    pub role_table: Option<bool>,
    /// Publish the role × unit table (default false).
    #[serde(default)]
    pub role_unit_table: bool,
    /// Publish area rows (default: when the layout has areas).
    #[serde(default)]
    pub areas: Option<bool>,
    /// Length of each unit's top-needs list (default 5).
    #[serde(default = "default_top")]
    pub top: usize,
}

fn default_min_group() -> u64 {
    5
}
fn default_top() -> usize {
    5
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            min_group: 5,
            suppression: Suppression::Secondary,
            role_table: None,
            role_unit_table: false,
            areas: None,
            top: 5,
        }
    }
}

/// One row of the long table. Withheld rows keep their keys and have every
/// number `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// `unit`, `role_unit` or `role`.
    pub table: Table,
    /// Unit id (`null` in the role table).
    pub unit: Option<String>,
    /// `own` or `rollup` (`null` in the role table).
    pub scope: Option<Scope>,
    /// Role id (`null` = all roles).
    pub role: Option<String>,
    /// Area id (`null` when the layout has no areas).
    pub area: Option<String>,
    /// Competence id (`null` on an area row).
    pub competence: Option<String>,
    /// People counted; `None` when withheld, and on an area row under
    /// suppression (see [`TableColumns::people_shown`]).
    pub people: Option<u64>,
    /// Rated person–requirement pairs.
    pub rated: Option<u64>,
    /// Required but not rated.
    pub missing: Option<u64>,
    /// Rated at or above the requirement.
    pub meeting: Option<u64>,
    /// `meeting / rated`.
    pub coverage: Option<f64>,
    /// Σ shortfall / rated.
    pub mean_shortfall: Option<f64>,
    /// Σ shortfall / rated below the requirement.
    pub mean_shortfall_below: Option<f64>,
    /// Σ weight · shortfall.
    pub weighted_need: Option<f64>,
    /// Interpolated median level.
    pub median_level: Option<f64>,
    /// Mean level.
    pub mean_level: Option<f64>,
    /// Rated people per level of the scale.
    pub distribution: Option<Vec<u64>>,
    /// `null`, `primary`, `secondary` or `rolled_up`.
    pub suppressed: Option<Reason>,
}

/// One entry of a unit's ranked top needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopNeed {
    /// Unit id.
    pub unit: String,
    /// 1 = most pressing.
    pub rank: usize,
    /// Competence id.
    pub competence: String,
    /// Weighted need of the unit's rolled-up cell.
    pub weighted_need: f64,
    /// Mean shortfall.
    pub mean_shortfall: Option<f64>,
    /// Coverage.
    pub coverage: Option<f64>,
    /// People counted.
    pub people: u64,
}

/// A [`TopNeed`] with its unit and competence as indices (into the
/// layout's tree and competences): what [`ColumnarPublication`] holds, with
/// no text per entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexedTopNeed {
    /// Unit index in the layout's tree.
    pub unit: u32,
    /// 1 = most pressing.
    pub rank: u32,
    /// Competence index in the layout.
    pub competence: u32,
    /// Weighted need of the unit's rolled-up cell.
    pub weighted_need: f64,
    /// Mean shortfall.
    pub mean_shortfall: Option<f64>,
    /// Coverage.
    pub coverage: Option<f64>,
    /// People counted.
    pub people: u64,
}

impl IndexedTopNeed {
    /// The entry with the ids of a layout.
    pub fn named(&self, layout: &Layout) -> TopNeed {
        TopNeed {
            unit: layout.tree.id(self.unit as usize).to_string(),
            rank: self.rank as usize,
            competence: layout
                .competences
                .get(self.competence as usize)
                .cloned()
                .unwrap_or_default(),
            weighted_need: self.weighted_need,
            mean_shortfall: self.mean_shortfall,
            coverage: self.coverage,
            people: self.people,
        }
    }
}

/// A withheld cell the audit found determined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditFinding {
    /// Table of the cell.
    pub table: Table,
    /// Unit id.
    pub unit: Option<String>,
    /// Scope.
    pub scope: Option<Scope>,
    /// Role id.
    pub role: Option<String>,
    /// Area id.
    pub area: Option<String>,
    /// Competence id (`null` for an area cell).
    pub competence: Option<String>,
    /// Why the cell was withheld.
    pub suppressed: Option<Reason>,
    /// How the adversary determines it.
    pub method: Method,
    /// The rated count the adversary recovers.
    pub value: Option<f64>,
}

/// Summary of an audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditReport {
    /// No withheld cell's statistics can be recovered (no linear finding).
    pub clean: bool,
    /// No withheld cell's count can be pinned either (no size finding).
    pub sizes_clean: bool,
    /// Every component was decided completely (see the disclosure docs).
    pub complete: bool,
    /// The published values satisfy the relations.
    pub consistent: bool,
    /// Cells in the audited tables.
    pub cells: usize,
    /// Withheld cells.
    pub withheld: usize,
    /// Withheld as primary.
    pub primary: usize,
    /// Withheld as secondary.
    pub secondary: usize,
    /// Rolled up into a parent.
    pub rolled_up: usize,
    /// Additive relations used.
    pub relations: usize,
    /// Withheld cells whose statistics the relations determine (linear).
    pub findings: Vec<AuditFinding>,
    /// Withheld cells whose count (people rated) is pinned by bounds or
    /// integer reasoning; their levels stay hidden.
    pub size_findings: Vec<AuditFinding>,
}

/// The published tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// Smallest group published.
    pub min_group: u64,
    /// Protection applied.
    pub suppression: Suppression,
    /// The long table.
    pub rows: Vec<Row>,
    /// Ranked top needs per unit.
    pub top_needs: Vec<TopNeed>,
    /// Audit of the rows.
    pub audit: AuditReport,
}

/// A group of people: a row key without the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct GroupKey {
    pub table: Table,
    pub unit: Option<u32>,
    pub scope: Option<Scope>,
    pub role: Option<u32>,
}

impl GroupKey {
    fn unit(u: usize, s: Scope) -> Self {
        GroupKey {
            table: Table::Unit,
            unit: Some(u as u32),
            scope: Some(s),
            role: None,
        }
    }
    fn role_unit(u: usize, s: Scope, r: usize) -> Self {
        GroupKey {
            table: Table::RoleUnit,
            unit: Some(u as u32),
            scope: Some(s),
            role: Some(r as u32),
        }
    }
    fn role(r: usize) -> Self {
        GroupKey {
            table: Table::Role,
            unit: None,
            scope: None,
            role: Some(r as u32),
        }
    }
}

/// Group numbers by key: `get` gives the number of a group (`None` when
/// there is no such group), `len` how many groups there are.
pub(crate) trait GroupLookup {
    fn get(&self, key: GroupKey) -> Option<usize>;
    fn len(&self) -> usize;
}

impl GroupLookup for HashMap<GroupKey, usize> {
    fn get(&self, key: GroupKey) -> Option<usize> {
        HashMap::get(self, &key).copied()
    }
    fn len(&self) -> usize {
        HashMap::len(self)
    }
}

/// Group numbers by index arithmetic instead of hashing: one slot per
/// unit × scope of the `unit` table, per unit × scope × role of the
/// `role_unit` table and per role of the `role` table.
pub(crate) struct GroupIndex {
    n_units: usize,
    n_roles: usize,
    /// `(unit · 2 + scope)` → group (`NO_GROUP` = none).
    unit: Vec<u32>,
    /// `((unit · 2 + scope) · n_roles + role)` → group.
    role_unit: Vec<u32>,
    /// role → group.
    role: Vec<u32>,
    len: usize,
}

const NO_GROUP: u32 = u32::MAX;

impl GroupIndex {
    /// Number the groups `keys` (distinct, units below `n_units`, roles
    /// below `n_roles`) in order; a key that fits none of the three tables
    /// (or is out of range) is left out.
    pub fn new(keys: &[GroupKey], n_units: usize, n_roles: usize) -> GroupIndex {
        let mut ix = GroupIndex {
            n_units,
            n_roles,
            unit: vec![NO_GROUP; 2 * n_units],
            role_unit: Vec::new(),
            role: vec![NO_GROUP; n_roles],
            len: 0,
        };
        if keys.iter().any(|k| k.table == Table::RoleUnit) {
            ix.role_unit = vec![NO_GROUP; 2 * n_units * n_roles];
        }
        for (g, &k) in keys.iter().enumerate() {
            if let Some(at) = ix.slot(k) {
                *at = g as u32;
                ix.len += 1;
            }
        }
        ix
    }

    fn at(&self, k: GroupKey) -> Option<(usize, usize)> {
        let scope = |s: Option<Scope>| match s {
            Some(Scope::Own) => Some(0),
            Some(Scope::Rollup) => Some(1),
            None => None,
        };
        match (k.table, k.unit, k.scope, k.role) {
            (Table::Unit, Some(u), s, None) if (u as usize) < self.n_units => {
                Some((0, u as usize * 2 + scope(s)?))
            }
            (Table::RoleUnit, Some(u), s, Some(r))
                if (u as usize) < self.n_units && (r as usize) < self.n_roles =>
            {
                Some((1, (u as usize * 2 + scope(s)?) * self.n_roles + r as usize))
            }
            (Table::Role, None, None, Some(r)) if (r as usize) < self.n_roles => {
                Some((2, r as usize))
            }
            _ => None,
        }
    }

    fn slot(&mut self, k: GroupKey) -> Option<&mut u32> {
        let (t, i) = self.at(k)?;
        match t {
            0 => self.unit.get_mut(i),
            1 => self.role_unit.get_mut(i),
            _ => self.role.get_mut(i),
        }
    }
}

impl GroupLookup for GroupIndex {
    fn get(&self, key: GroupKey) -> Option<usize> {
        let (t, i) = self.at(key)?;
        let g = match t {
            0 => self.unit.get(i),
            1 => self.role_unit.get(i),
            _ => self.role.get(i),
        };
        g.copied().filter(|&g| g != NO_GROUP).map(|g| g as usize)
    }
    fn len(&self) -> usize {
        self.len
    }
}

/// What the relation builder needs to know about the published groups.
pub(crate) struct RelContext<'a> {
    pub tree: &'a OrgTree,
    pub kept: &'a [bool],
    pub groups: &'a dyn GroupLookup,
    pub n_roles: usize,
    pub role_unit: bool,
    pub role_table: bool,
}

type Rel = Vec<(u32, i8)>;

/// An additive relation between groups, `Σ plus − Σ minus = 0`, that holds
/// for every item (competence or area) of the groups.
#[derive(Clone, Copy)]
pub(crate) struct GroupRel<'a> {
    plus: &'a [usize],
    minus: &'a [usize],
}

/// Group relations, stored flat: relation `r`'s groups are
/// `groups[at[r]..at[r + 1]]`, the first `n_plus[r]` of them its plus side.
pub(crate) struct GroupRels {
    groups: Vec<usize>,
    at: Vec<u32>,
    n_plus: Vec<u32>,
}

impl GroupRels {
    fn new() -> GroupRels {
        GroupRels {
            groups: Vec::new(),
            at: vec![0],
            n_plus: Vec::new(),
        }
    }

    /// Number of relations.
    fn len(&self) -> usize {
        self.n_plus.len()
    }

    /// Relation `r` (empty when out of range).
    fn get(&self, r: usize) -> GroupRel<'_> {
        let (a, b) = match (self.at.get(r), self.at.get(r + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        };
        let all = self.groups.get(a..b).unwrap_or(&[]);
        let n_plus = self.n_plus.get(r).map_or(0, |&n| n as usize);
        let (plus, minus) = all.split_at(n_plus.min(all.len()));
        GroupRel { plus, minus }
    }

    /// The relations in order.
    fn iter(&self) -> impl Iterator<Item = GroupRel<'_>> {
        (0..self.len()).map(|r| self.get(r))
    }

    /// Append the relation `Σ plus − Σ minus = 0`.
    fn push(
        &mut self,
        plus: impl IntoIterator<Item = usize>,
        minus: impl IntoIterator<Item = usize>,
    ) {
        let start = self.groups.len();
        self.groups.extend(plus);
        let n_plus = self.groups.len() - start;
        self.groups.extend(minus);
        self.at.push(self.groups.len() as u32);
        self.n_plus.push(n_plus as u32);
    }
}

/// The group relations of the published tables (tree, margins, role
/// totals), in the order [`relations`] expands them.
pub(crate) fn group_relations(ctx: &RelContext<'_>) -> GroupRels {
    let get = |k: GroupKey| ctx.groups.get(k);
    let mut out = GroupRels::new();
    let kept = |c: &usize| ctx.kept.get(*c).copied().unwrap_or(false);
    let roots: Vec<usize> = ctx
        .tree
        .roots()
        .iter()
        .map(|&r| r as usize)
        .filter(kept)
        .collect();
    let tree_rel = |out: &mut GroupRels, key: &dyn Fn(usize, Scope) -> GroupKey| {
        for u in 0..ctx.tree.len() {
            if !ctx.kept[u] {
                continue;
            }
            let Some(total) = get(key(u, Scope::Rollup)) else {
                continue;
            };
            let own = get(key(u, Scope::Own));
            let children = ctx.tree.children(u).iter().map(|&c| c as usize);
            let parts = children
                .filter(kept)
                .filter_map(|c| get(key(c, Scope::Rollup)));
            out.push([total], own.into_iter().chain(parts));
        }
    };
    tree_rel(&mut out, &|u, s| GroupKey::unit(u, s));
    if ctx.role_unit {
        for r in 0..ctx.n_roles {
            tree_rel(&mut out, &|u, s| GroupKey::role_unit(u, s, r));
        }
        for u in 0..ctx.tree.len() {
            if !ctx.kept[u] {
                continue;
            }
            for s in [Scope::Own, Scope::Rollup] {
                let Some(total) = get(GroupKey::unit(u, s)) else {
                    continue;
                };
                let parts = (0..ctx.n_roles).filter_map(|r| get(GroupKey::role_unit(u, s, r)));
                out.push([total], parts);
            }
        }
    }
    if ctx.role_table {
        if ctx.role_unit {
            for r in 0..ctx.n_roles {
                let Some(total) = get(GroupKey::role(r)) else {
                    continue;
                };
                let parts = roots
                    .iter()
                    .filter_map(|&root| get(GroupKey::role_unit(root, Scope::Rollup, r)));
                out.push([total], parts);
            }
        } else {
            let totals = (0..ctx.n_roles).filter_map(|r| get(GroupKey::role(r)));
            let parts = roots
                .iter()
                .filter_map(|&root| get(GroupKey::unit(root, Scope::Rollup)));
            out.push(totals, parts);
        }
    }
    out
}

/// Number of relations [`expand`] makes.
fn count_relations(
    group_rels: &GroupRels,
    n_groups: usize,
    comp_items: &[usize],
    area_item: Option<usize>,
) -> usize {
    group_rels.len() * (comp_items.len() + usize::from(area_item.is_some()))
        + if area_item.is_some() { n_groups } else { 0 }
}

/// The cell relations of one system: every group relation for every item
/// (`items` items per group; `comp_items` are the competence items,
/// `area_item` the area item, if any), then `area = Σ competences` for
/// every group.
fn expand(
    group_rels: &GroupRels,
    n_groups: usize,
    n_items: usize,
    comp_items: &[usize],
    area_item: Option<usize>,
) -> Vec<Rel> {
    let cell = |g: usize, i: usize| (g * n_items + i) as u32;
    let all_items: Vec<usize> = comp_items.iter().copied().chain(area_item).collect();
    let mut out: Vec<Rel> =
        Vec::with_capacity(count_relations(group_rels, n_groups, comp_items, area_item));
    for gr in group_rels.iter() {
        for &i in &all_items {
            let mut rel: Rel = gr.plus.iter().map(|&g| (cell(g, i), 1)).collect();
            rel.extend(gr.minus.iter().map(|&g| (cell(g, i), -1)));
            out.push(rel);
        }
    }
    if let Some(a) = area_item {
        for g in 0..n_groups {
            let mut rel = vec![(cell(g, a), 1)];
            rel.extend(comp_items.iter().map(|&i| (cell(g, i), -1)));
            out.push(rel);
        }
    }
    out
}

/// The relations of [`expand`] that touch a cell of `touched` (cells
/// numbered `group · n_items + item`), in [`expand`]'s order: what the
/// audit of a table without secondary suppression needs (a relation
/// without an unknown cell joins no component of unknown cells and takes
/// no part in the analysis). `rels_of_group` lists, per group, the group
/// relations it appears in.
fn expand_touching(
    group_rels: &GroupRels,
    rels_of_group: &RelsOfGroup,
    n_items: usize,
    comp_items: &[usize],
    area_item: Option<usize>,
    touched: &[u32],
) -> Vec<Rel> {
    let cell = |g: usize, i: usize| (g * n_items + i) as u32;
    let all_items: Vec<usize> = comp_items.iter().copied().chain(area_item).collect();
    let n_all = all_items.len();
    let area_base = group_rels.len() * n_all;
    // Relation numbers as in `expand`.
    let mut wanted: Vec<usize> = Vec::new();
    for &c in touched {
        let (g, i) = (c as usize / n_items, c as usize % n_items);
        if let Some(p) = all_items.iter().position(|&x| x == i) {
            if let Some(list) = rels_of_group.get(g) {
                wanted.extend(list.iter().map(|&gr| gr as usize * n_all + p));
            }
        }
        if area_item.is_some() && (area_item == Some(i) || comp_items.contains(&i)) {
            wanted.push(area_base + g);
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    wanted
        .into_iter()
        .map(|r| {
            if r < area_base {
                let (gr, i) = (group_rels.get(r / n_all), all_items[r % n_all]);
                let mut rel: Rel = Vec::with_capacity(gr.plus.len() + gr.minus.len());
                rel.extend(gr.plus.iter().map(|&g| (cell(g, i), 1)));
                rel.extend(gr.minus.iter().map(|&g| (cell(g, i), -1)));
                rel
            } else {
                let g = r - area_base;
                let mut rel = vec![(cell(g, area_item.unwrap_or(0)), 1)];
                rel.extend(comp_items.iter().map(|&i| (cell(g, i), -1)));
                rel
            }
        })
        .collect()
}

/// The cells of one system as [`audit_primary`] reads them.
struct PrimaryCells<'a> {
    /// Items per group.
    n_items: usize,
    /// Cells of the system (`groups · n_items`).
    n_cells: usize,
    /// The audited value (rated pairs) of a cell.
    value: &'a (dyn Fn(usize) -> i64 + Sync),
    /// Most pairs per person of an item (1 for a competence, `m` for an
    /// area of `m`).
    multiplicity: &'a (dyn Fn(usize) -> i64 + Sync),
}

/// The audit of one system under primary suppression only: what
/// [`protect`] without secondary suppression returns as its audit, given
/// the withheld (small) cells `small` (ascending, not empty).
///
/// Only the relations touching a small cell take part (see
/// [`expand_touching`]), so the auditor is built on the small cells and
/// the cells of those relations alone, renumbered in ascending order: the
/// analysis depends on the cell numbers only through their order, so the
/// findings are the same, mapped back to the system's numbering.
fn audit_primary(
    cells: &PrimaryCells<'_>,
    small: &[u32],
    group_rels: &GroupRels,
    rels_of_group: &RelsOfGroup,
    comp_items: &[usize],
    area_item: Option<usize>,
    min: u64,
) -> Analysis {
    let rels = expand_touching(
        group_rels,
        rels_of_group,
        cells.n_items,
        comp_items,
        area_item,
        small,
    );
    // The cells taking part, ascending; `new[c]` is cell c's new number.
    const ABSENT: u32 = u32::MAX;
    let mut new = vec![ABSENT; cells.n_cells];
    for &c in small.iter().chain(rels.iter().flatten().map(|t| &t.0)) {
        if let Some(x) = new.get_mut(c as usize) {
            *x = 0;
        }
    }
    let mut ids: Vec<usize> = Vec::new();
    for (c, x) in new.iter_mut().enumerate() {
        if *x != ABSENT {
            *x = ids.len() as u32;
            ids.push(c);
        }
    }
    let rels: Vec<Rel> = rels
        .into_iter()
        .map(|mut rel| {
            for t in &mut rel {
                t.0 = new.get(t.0 as usize).copied().unwrap_or(ABSENT);
            }
            rel
        })
        .collect();
    let mut is_small = small.iter().peekable();
    let audit_cells: Vec<AuditCell> = ids
        .iter()
        .map(|&c| {
            let status = if is_small.next_if(|&&s| s as usize == c).is_some() {
                Status::Withheld(Reason::Primary)
            } else {
                Status::Published((cells.value)(c))
            };
            audit_cell(status, min, (cells.multiplicity)(c % cells.n_items))
        })
        .collect();
    let mut analysis = Auditor::new(audit_cells, rels).audit();
    for f in &mut analysis.findings {
        f.cell = ids.get(f.cell).copied().unwrap_or(f.cell);
    }
    analysis
}

/// Per group, the numbers of the group relations it appears in (each
/// once, ascending).
fn rels_of_group(group_rels: &GroupRels, n_groups: usize) -> RelsOfGroup {
    // Counted first, then filled (two flat vectors instead of a vector
    // per group); a relation naming a group twice lists it once.
    let mut at = vec![0u32; n_groups + 1];
    let mut last = vec![u32::MAX; n_groups];
    for (r, gr) in group_rels.iter().enumerate() {
        for &g in gr.plus.iter().chain(gr.minus) {
            if let (Some(l), Some(n)) = (last.get_mut(g), at.get_mut(g + 1)) {
                if *l != r as u32 {
                    *l = r as u32;
                    *n += 1;
                }
            }
        }
    }
    for g in 0..n_groups {
        at[g + 1] += at[g];
    }
    let mut rels = vec![0u32; at[n_groups] as usize];
    let mut fill: Vec<u32> = at[..n_groups].to_vec();
    last.iter_mut().for_each(|l| *l = u32::MAX);
    for (r, gr) in group_rels.iter().enumerate() {
        for &g in gr.plus.iter().chain(gr.minus) {
            if let (Some(l), Some(f)) = (last.get_mut(g), fill.get_mut(g)) {
                if *l != r as u32 {
                    *l = r as u32;
                    if let Some(x) = rels.get_mut(*f as usize) {
                        *x = r as u32;
                    }
                    *f += 1;
                }
            }
        }
    }
    RelsOfGroup { at, rels }
}

/// Per group, the numbers of the group relations it appears in (each
/// once, ascending): group `g`'s are `rels[at[g]..at[g + 1]]`.
struct RelsOfGroup {
    at: Vec<u32>,
    rels: Vec<u32>,
}

impl RelsOfGroup {
    /// The relations of group `g` (none for a group out of range).
    fn get(&self, g: usize) -> Option<&[u32]> {
        let (a, b) = (*self.at.get(g)?, *self.at.get(g + 1)?);
        self.rels.get(a as usize..b as usize)
    }
}

/// Relations of one system: `items` items per group; `comp_items` are the
/// competence items; `area_item` the area item, if any. The groups of
/// `ctx.groups` are numbered `0..len`.
pub(crate) fn relations(
    ctx: &RelContext<'_>,
    n_items: usize,
    comp_items: &[usize],
    area_item: Option<usize>,
) -> Vec<Rel> {
    expand(
        &group_relations(ctx),
        ctx.groups.len(),
        n_items,
        comp_items,
        area_item,
    )
}

/// The systems of a layout: (competence indices, with area index).
pub(crate) fn systems(layout: &Layout, areas: bool) -> Vec<(Vec<usize>, Option<usize>)> {
    if areas && !layout.areas.is_empty() {
        (0..layout.areas.len())
            .map(|a| (layout.area_members(a), Some(a)))
            .filter(|(m, _)| !m.is_empty())
            .collect()
    } else {
        (0..layout.competences.len())
            .map(|c| (vec![c], None))
            .collect()
    }
}

/// Rolled-up structure: which units are kept, and the residual `own`
/// records of kept units (overrides) per role key.
struct Structure {
    kept: Vec<bool>,
    residual: HashMap<(usize, RoleSel), Vec<u64>>,
}

fn headcount(agg: &Aggregates, rec: &[u64]) -> u64 {
    rec[agg.record_layout().persons_rated()]
}

fn rollup_structure(agg: &Aggregates, k: u64) -> Structure {
    let layout = agg.layout();
    let tree = &layout.tree;
    let n = tree.len();
    let mut kept = vec![true; n];
    let mut absorbed_children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mark_subtree = |kept: &mut Vec<bool>, u: usize| {
        let mut stack = vec![u];
        while let Some(x) = stack.pop() {
            kept[x] = false;
            stack.extend(tree.children(x).iter().map(|&c| c as usize));
        }
    };
    for &u in tree.preorder().iter().rev() {
        let u = u as usize;
        let hc = |x: usize, s: Scope| headcount(agg, agg.record(x, s, RoleSel::All));
        let mut residual = hc(u, Scope::Own);
        for &c in tree.children(u) {
            let c = c as usize;
            if hc(c, Scope::Rollup) < k {
                if kept[c] {
                    mark_subtree(&mut kept, c);
                }
                absorbed_children[u].push(c);
                residual += hc(c, Scope::Rollup);
            }
        }
        while residual > 0 && residual < k {
            let smallest = tree
                .children(u)
                .iter()
                .map(|&c| c as usize)
                .filter(|&c| kept[c])
                .min_by_key(|&c| (hc(c, Scope::Rollup), c));
            match smallest {
                Some(c) => {
                    mark_subtree(&mut kept, c);
                    absorbed_children[u].push(c);
                    residual += hc(c, Scope::Rollup);
                }
                None => break,
            }
        }
    }
    let mut residual = HashMap::new();
    let n_roles = layout.roles.len();
    let roles: Vec<RoleSel> = (0..n_roles)
        .map(RoleSel::Role)
        .chain([RoleSel::All])
        .collect();
    for u in 0..n {
        if !kept[u] || absorbed_children[u].is_empty() {
            continue;
        }
        for &r in &roles {
            let mut rec = agg.record(u, Scope::Own, r).to_vec();
            let mut any = agg.has(u, Scope::Own, r);
            for &c in &absorbed_children[u] {
                if agg.has(c, Scope::Rollup, r) {
                    any = true;
                    for (a, b) in rec.iter_mut().zip(agg.record(c, Scope::Rollup, r)) {
                        *a += b;
                    }
                }
            }
            if any {
                residual.insert((u, r), rec);
            }
        }
    }
    Structure { kept, residual }
}

/// The long table column by column: the same rows, in the same order, as
/// [`Publication::rows`], with keys as indices (into the layout's tree,
/// roles, competences and areas) and numbers as plain vectors. On a
/// withheld row the counts and the distribution are 0 and the statistics
/// `NaN`; a statistic that is undefined (no one rated) is `NaN` too.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableColumns {
    /// Table of each row.
    pub table: Vec<Table>,
    /// Unit index in the layout's tree (`None` in the role table).
    pub unit: Vec<Option<u32>>,
    /// Scope (`None` in the role table).
    pub scope: Vec<Option<Scope>>,
    /// Role index (`None` = all roles).
    pub role: Vec<Option<u32>>,
    /// Competence or area of each row.
    pub item: Vec<Item>,
    /// People counted; 0 on an area row, whose head count is not
    /// published (see [`TableColumns::people_shown`]).
    pub people: Vec<u64>,
    /// Rated person–requirement pairs.
    pub rated: Vec<u64>,
    /// Required but not rated.
    pub missing: Vec<u64>,
    /// Rated at or above the requirement.
    pub meeting: Vec<u64>,
    /// `meeting / rated`.
    pub coverage: Vec<f64>,
    /// Σ shortfall / rated.
    pub mean_shortfall: Vec<f64>,
    /// Σ shortfall / rated below the requirement.
    pub mean_shortfall_below: Vec<f64>,
    /// Σ weight · shortfall.
    pub weighted_need: Vec<f64>,
    /// Interpolated median level.
    pub median_level: Vec<f64>,
    /// Mean level.
    pub mean_level: Vec<f64>,
    /// Rated people per level, rows × levels of the scale.
    pub distribution: Vec<u64>,
    /// Levels per row of `distribution`.
    pub n_levels: usize,
    /// Why a row is withheld (`None` = published).
    pub suppressed: Vec<Option<Reason>>,
    /// Whether area rows publish their head count: only without
    /// suppression (see [`TableColumns::people_shown`]).
    pub area_people_shown: bool,
}

impl TableColumns {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Columns for `n` rows: the key columns empty (set whole, see
    /// [`KeyColumns`]), the numbers zero (every row's numbers are written
    /// once: computed, or blanked by [`Self::withhold`]).
    /// Large tables have their memory zeroed on two threads (the counts
    /// and the distribution on the second).
    fn with_rows(n: usize, n_levels: usize) -> TableColumns {
        let counts = || ([(); 4].map(|_| vec![0u64; n]), vec![0u64; n * n_levels]);
        let (([people, rated, missing, meeting], distribution), floats) =
            both(n >= FILL_PARALLEL_MIN, counts, || TableColumns::floats(n));
        TableColumns {
            people,
            rated,
            missing,
            meeting,
            distribution,
            n_levels,
            ..floats
        }
    }

    /// Columns for `n` rows with the statistics zero and the counts empty.
    fn floats(n: usize) -> TableColumns {
        TableColumns {
            table: Vec::new(),
            unit: Vec::new(),
            scope: Vec::new(),
            role: Vec::new(),
            item: Vec::new(),
            people: Vec::new(),
            rated: Vec::new(),
            missing: Vec::new(),
            meeting: Vec::new(),
            coverage: vec![0.0; n],
            mean_shortfall: vec![0.0; n],
            mean_shortfall_below: vec![0.0; n],
            weighted_need: vec![0.0; n],
            median_level: vec![0.0; n],
            mean_level: vec![0.0; n],
            distribution: Vec::new(),
            n_levels: 0,
            suppressed: vec![None; n],
            area_people_shown: false,
        }
    }

    /// Whether row `i` publishes its head count (`people`): not when the
    /// row is withheld, and never on an area row under suppression. An
    /// area row's head count (distinct people rated on at least one of its
    /// competences) adds up over the tree and bounds every competence
    /// count of its group (`max_c F_c ≤ people ≤ Σ_c F_c`), so published
    /// it would let withheld cells be recovered: one unit of 3 people,
    /// `min_group = 3`, `c0` withheld (secondary), `c2` (primary) and an
    /// area `{c0, c2}` showing 3 people and 5 pairs give `c0 = 3`,
    /// `c2 = 2`. (The area row's own suppression follows its competence
    /// rows, not its head count: see `withhold_areas`.)
    /// Without suppression (`Suppression::None`, for readers entitled to
    /// see individuals) every row shows it.
    pub fn people_shown(&self, i: usize) -> bool {
        self.suppressed.get(i).is_some_and(Option::is_none)
            && (self.area_people_shown || matches!(self.item.get(i), Some(Item::Competence(_))))
    }

    /// The area rows' head counts blanked (not published).
    fn hide_area_people(&mut self) {
        if self.area_people_shown {
            return;
        }
        for (p, it) in self.people.iter_mut().zip(&self.item) {
            if matches!(it, Item::Area(_)) {
                *p = 0;
            }
        }
    }

    /// Withhold row `i`: numbers blanked, the reason recorded.
    fn withhold(&mut self, i: usize, reason: Reason) {
        self.people[i] = 0;
        self.rated[i] = 0;
        self.missing[i] = 0;
        self.meeting[i] = 0;
        for col in [
            &mut self.coverage,
            &mut self.mean_shortfall,
            &mut self.mean_shortfall_below,
            &mut self.weighted_need,
            &mut self.median_level,
            &mut self.mean_level,
        ] {
            col[i] = f64::NAN;
        }
        let l = self.n_levels;
        self.distribution[i * l..(i + 1) * l]
            .iter_mut()
            .for_each(|x| *x = 0);
        self.suppressed[i] = Some(reason);
    }

    /// The rows ([`Row`]s with their text ids) of a layout.
    pub fn rows(&self, layout: &Layout) -> Vec<Row> {
        let l = self.n_levels;
        let some = |x: f64| (!x.is_nan()).then_some(x);
        (0..self.len())
            .map(|i| {
                let key = GroupKey {
                    table: self.table[i],
                    unit: self.unit[i],
                    scope: self.scope[i],
                    role: self.role[i],
                };
                let (table, unit, scope, role, area, competence) =
                    describe(layout, &key, self.item[i]);
                let reason = self.suppressed[i];
                let show = reason.is_none();
                let v = |x: u64| show.then_some(x);
                let f = |x: f64| if show { some(x) } else { None };
                Row {
                    table,
                    unit,
                    scope,
                    role,
                    area,
                    competence,
                    people: self.people_shown(i).then_some(self.people[i]),
                    rated: v(self.rated[i]),
                    missing: v(self.missing[i]),
                    meeting: v(self.meeting[i]),
                    coverage: f(self.coverage[i]),
                    mean_shortfall: f(self.mean_shortfall[i]),
                    mean_shortfall_below: f(self.mean_shortfall_below[i]),
                    weighted_need: show.then_some(self.weighted_need[i]),
                    median_level: f(self.median_level[i]),
                    mean_level: f(self.mean_level[i]),
                    distribution: show.then(|| self.distribution[i * l..(i + 1) * l].to_vec()),
                    suppressed: reason,
                }
            })
            .collect()
    }
}

/// The key columns of a [`TableColumns`], built apart.
struct KeyColumns {
    table: Vec<Table>,
    unit: Vec<Option<u32>>,
    scope: Vec<Option<Scope>>,
    role: Vec<Option<u32>>,
    item: Vec<Item>,
}

impl KeyColumns {
    /// Empty columns with room for `n` rows.
    fn with_capacity(n: usize) -> KeyColumns {
        KeyColumns {
            table: Vec::with_capacity(n),
            unit: Vec::with_capacity(n),
            scope: Vec::with_capacity(n),
            role: Vec::with_capacity(n),
            item: Vec::with_capacity(n),
        }
    }

    /// Set them as the key columns of `cols`.
    fn into(self, cols: &mut TableColumns) {
        cols.table = self.table;
        cols.unit = self.unit;
        cols.scope = self.scope;
        cols.role = self.role;
        cols.item = self.item;
    }
}

/// The published tables as [`TableColumns`] (what [`publish`] returns as rows).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnarPublication {
    /// Smallest group published.
    pub min_group: u64,
    /// Protection applied.
    pub suppression: Suppression,
    /// The long table.
    pub columns: TableColumns,
    /// Ranked top needs per unit (by index: see [`Self::named_top_needs`]).
    pub top_needs: Vec<IndexedTopNeed>,
    /// Audit of the rows.
    pub audit: AuditReport,
}

impl ColumnarPublication {
    /// The top needs with the ids of a layout (what [`Publication`] lists).
    pub fn named_top_needs(&self, layout: &Layout) -> Vec<TopNeed> {
        named_top_needs(&self.top_needs, layout)
    }

    /// The row form.
    pub fn into_publication(self, layout: &Layout) -> Publication {
        Publication {
            min_group: self.min_group,
            suppression: self.suppression,
            rows: self.columns.rows(layout),
            top_needs: named_top_needs(&self.top_needs, layout),
            audit: self.audit,
        }
    }
}

/// Top needs with the ids of a layout.
pub fn named_top_needs(needs: &[IndexedTopNeed], layout: &Layout) -> Vec<TopNeed> {
    needs.iter().map(|t| t.named(layout)).collect()
}

/// Publish the aggregates as protected tables.
pub fn publish(agg: &Aggregates, opts: &PublishOptions) -> Result<Publication> {
    Ok(publish_columns(agg, opts)?.into_publication(agg.layout()))
}

/// Publish the aggregates as protected tables, column by column (the same
/// table as [`publish`], without a `String` per key).
pub fn publish_columns(agg: &Aggregates, opts: &PublishOptions) -> Result<ColumnarPublication> {
    if opts.min_group == 0 {
        return Err(Error::invalid("min_group", "must be at least 1"));
    }
    let layout = agg.layout().clone();
    let tree = &layout.tree;
    let n_units = tree.len();
    let n_roles = layout.roles.len();
    let role_table = opts.role_table.unwrap_or(n_roles > 0) && n_roles > 0;
    let role_unit = opts.role_unit_table && n_roles > 0;
    let areas = opts.areas.unwrap_or(true) && !layout.areas.is_empty();
    let k = match opts.suppression {
        Suppression::None => 0,
        _ => opts.min_group,
    };
    let structure = if opts.suppression == Suppression::Rollup {
        rollup_structure(agg, opts.min_group)
    } else {
        Structure {
            kept: vec![true; n_units],
            residual: HashMap::new(),
        }
    };
    // Group list and records.
    let own_rec = |u: usize, r: RoleSel| -> (&[u64], bool) {
        match structure.residual.get(&(u, r)) {
            Some(v) => (v.as_slice(), true),
            None => (agg.record(u, Scope::Own, r), agg.has(u, Scope::Own, r)),
        }
    };
    let mut keys: Vec<GroupKey> = Vec::new();
    let mut recs: Vec<&[u64]> = Vec::new();
    for &u in tree.preorder() {
        let u = u as usize;
        if !structure.kept[u] {
            continue;
        }
        keys.push(GroupKey::unit(u, Scope::Own));
        recs.push(own_rec(u, RoleSel::All).0);
        keys.push(GroupKey::unit(u, Scope::Rollup));
        recs.push(agg.record(u, Scope::Rollup, RoleSel::All));
        if role_unit {
            for r in 0..n_roles {
                let (rec, has) = own_rec(u, RoleSel::Role(r));
                if has {
                    keys.push(GroupKey::role_unit(u, Scope::Own, r));
                    recs.push(rec);
                }
                if agg.has(u, Scope::Rollup, RoleSel::Role(r)) {
                    keys.push(GroupKey::role_unit(u, Scope::Rollup, r));
                    recs.push(agg.record(u, Scope::Rollup, RoleSel::Role(r)));
                }
            }
        }
    }
    if role_table {
        for r in 0..n_roles {
            keys.push(GroupKey::role(r));
            recs.push(agg.total(RoleSel::Role(r)));
        }
    }
    let groups = GroupIndex::new(&keys, n_units, n_roles);
    let ctx = RelContext {
        tree,
        kept: &structure.kept,
        groups: &groups,
        n_roles,
        // The role × unit relations only when the table has a group (not
        // in an organisation without people, where each would read
        // "unit = 0"; `audit_rows`, which sees the rows, does the same).
        role_unit: role_unit && keys.iter().any(|k| k.table == Table::RoleUnit),
        role_table,
    };
    let group_rels = group_relations(&ctx);
    let rec = agg.record_layout();
    let n_comps = layout.competences.len();
    // Row order: table, unit (preorder), scope, role, item. Every group
    // (and every rolled-up unit × scope) has a row per item, so a row's
    // position is its group's first row + its item's rank.
    let pre_pos: Vec<usize> = {
        let mut v = vec![0; n_units];
        for (i, &u) in tree.preorder().iter().enumerate() {
            v[u as usize] = i;
        }
        v
    };
    let mut all_groups: Vec<(SortKey, GroupKey)> = keys
        .iter()
        .map(|k| {
            (
                SortKey {
                    table: match k.table {
                        Table::Unit => 0,
                        Table::RoleUnit => 1,
                        Table::Role => 2,
                    },
                    pos: k.unit.map_or(0, |u| pre_pos[u as usize]),
                    scope: match k.scope {
                        Some(Scope::Own) => 0,
                        Some(Scope::Rollup) => 1,
                        None => 2,
                    },
                    role: k.role.map_or(0, |r| r as usize),
                    item: 0,
                },
                *k,
            )
        })
        .collect();
    if opts.suppression == Suppression::Rollup {
        for (pos, &u) in tree.preorder().iter().enumerate() {
            if structure.kept[u as usize] {
                continue;
            }
            for (si, s) in [Scope::Own, Scope::Rollup].into_iter().enumerate() {
                all_groups.push((
                    SortKey {
                        table: 0,
                        pos,
                        scope: si as u8,
                        role: 0,
                        item: 0,
                    },
                    GroupKey::unit(u as usize, s),
                ));
            }
        }
    }
    let n_groups_all = all_groups.len();
    let mut by_order: Vec<usize> = (0..n_groups_all).collect();
    by_order.sort_unstable_by_key(|&g| all_groups[g].0);
    // Protection runs per competence; an area row follows its competence
    // rows (see `withhold_areas`).
    let sys = systems(&layout, false);
    let area_rows: Vec<(usize, Vec<usize>)> = systems(&layout, areas)
        .into_iter()
        .filter_map(|(members, a)| a.map(|a| (a, members)))
        .collect();
    // Items of a group, in row order: competences, then areas with members
    // (a rolled-up unit has a row for every area).
    let mut row_items: Vec<Item> = (0..n_comps).map(Item::Competence).collect();
    row_items.extend(area_rows.iter().map(|(a, _)| Item::Area(*a)));
    row_items.sort_unstable_by_key(|it| match *it {
        Item::Competence(c) => c,
        Item::Area(a) => n_comps + a,
    });
    let mut rolled_items: Vec<Item> = (0..n_comps).map(Item::Competence).collect();
    if areas {
        rolled_items.extend((0..layout.areas.len()).map(Item::Area));
    }
    let items_of = |g: usize| -> &[Item] {
        if g < keys.len() {
            &row_items
        } else {
            &rolled_items
        }
    };
    let item_rank = |it: Item| -> usize { row_items.iter().position(|x| *x == it).unwrap_or(0) };
    // First row of each group.
    let mut first = vec![0usize; n_groups_all];
    let mut n_rows = 0;
    for &g in &by_order {
        first[g] = n_rows;
        n_rows += items_of(g).len();
    }
    let n_levels = rec.levels;
    let mut cols = TableColumns::with_rows(n_rows, n_levels);
    // The key columns, in row order (built while the numbers are filled).
    let key_columns = || {
        let mut k = KeyColumns::with_capacity(n_rows);
        for &g in &by_order {
            let key = all_groups[g].1;
            let items = items_of(g);
            let n = items.len();
            k.table.extend(std::iter::repeat_n(key.table, n));
            k.unit.extend(std::iter::repeat_n(key.unit, n));
            k.scope.extend(std::iter::repeat_n(key.scope, n));
            k.role.extend(std::iter::repeat_n(key.role, n));
            k.item.extend_from_slice(items);
        }
        k
    };
    let mut report = AuditReport {
        clean: true,
        complete: true,
        consistent: true,
        cells: 0,
        withheld: 0,
        primary: 0,
        secondary: 0,
        rolled_up: 0,
        relations: 0,
        findings: Vec::new(),
        size_findings: Vec::new(),
        sizes_clean: true,
    };
    // Every cell's numbers, group by group in row order (each record is
    // read once), on up to two threads over halves of the rows.
    let item_comps: Vec<Vec<usize>> = row_items
        .iter()
        .map(|&it| match it {
            Item::Competence(c) => vec![c],
            Item::Area(a) => layout.area_members(a),
        })
        .collect();
    // Without secondary suppression, a cell is withheld exactly when it is
    // small (primary) or never (none): the small cells and the top needs
    // are then found while filling, on the fill's threads.
    let comp_rank: Vec<usize> = (0..n_comps)
        .map(|c| item_rank(Item::Competence(c)))
        .collect();
    let top = opts.top.min(n_comps);
    let early_plan = matches!(opts.suppression, Suppression::None | Suppression::Primary);
    let early = early_plan.then(|| {
        let mut in_system = vec![false; row_items.len()];
        for (comps, area) in &sys {
            let items = comps.iter().map(|&c| Item::Competence(c));
            for it in items.chain(area.map(Item::Area)) {
                if let Some(x) = in_system.get_mut(item_rank(it)) {
                    *x = true;
                }
            }
        }
        let mut top_unit = vec![NO_GROUP; keys.len()];
        if top > 0 {
            for &u in tree.preorder() {
                if let Some(g) = groups.get(GroupKey::unit(u as usize, Scope::Rollup)) {
                    if let Some(x) = top_unit.get_mut(g) {
                        *x = u;
                    }
                }
            }
        }
        EarlyPlan {
            small_min: if opts.suppression == Suppression::Primary {
                k.max(1)
            } else {
                0
            },
            in_system,
            top_unit,
            comp_rank: comp_rank.clone(),
            top,
        }
    });
    let mut filled = {
        let groups: Vec<usize> = by_order
            .iter()
            .copied()
            .filter(|&g| g < keys.len())
            .collect();
        let fill = FillPlan {
            layout: &layout,
            rec,
            recs: &recs,
            first: &first,
            items: &row_items,
            item_comps: &item_comps,
            early: early.as_ref(),
        };
        let (filled, keys) = fill.run(NumCols::of(&mut cols), &groups, key_columns);
        keys.into(&mut cols);
        filled
    };

    // The protection cells of each system.
    struct System {
        comps: Vec<usize>,
        items: Vec<Item>,
        ranks: Vec<usize>,
        area: Option<usize>,
    }
    let systems_: Vec<System> = sys
        .into_iter()
        .map(|(comps, area)| {
            let items: Vec<Item> = comps
                .iter()
                .map(|&c| Item::Competence(c))
                .chain(area.map(Item::Area))
                .collect();
            let ranks: Vec<usize> = items.iter().map(|&it| item_rank(it)).collect();
            System {
                comps,
                items,
                ranks,
                area,
            }
        })
        .collect();
    let min = k.max(1);
    let secondary = matches!(
        opts.suppression,
        Suppression::Secondary | Suppression::Rollup
    );
    let clean = || Analysis {
        complete: true,
        consistent: true,
        ..Analysis::default()
    };
    // Per system: its withheld cells (cell number `group · items + item`,
    // ascending, with the reason) and the audit.
    let outcomes: Vec<(Vec<(usize, Reason)>, Analysis)> = if secondary {
        // Group by group (its rows are together), the cells of every system.
        let mut pcells: Vec<Vec<ProtectCell>> = systems_
            .iter()
            .map(|sy| Vec::with_capacity(keys.len() * sy.items.len()))
            .collect();
        for &f in &first[..keys.len()] {
            for (sy, pc) in systems_.iter().zip(&mut pcells) {
                let m = sy.comps.len() as i64;
                for (&item, &rank) in sy.items.iter().zip(&sy.ranks) {
                    let i = f + rank;
                    pc.push(ProtectCell {
                        n: cols.people[i],
                        value: i64::try_from(cols.rated[i]).unwrap_or(i64::MAX),
                        empty: cols.people[i] == 0,
                        multiplicity: match item {
                            Item::Competence(_) => 1,
                            Item::Area(_) => m,
                        },
                        locked: None,
                    });
                }
            }
        }
        let work: Vec<(&System, Vec<ProtectCell>)> = systems_.iter().zip(pcells).collect();
        // Protection and audit of each system (independent of each other:
        // on up to two threads, merged below in system order).
        let protect_system = |(sy, pcells): &(&System, Vec<ProtectCell>)| {
            // Without a small cell nothing is withheld: every cell is
            // published and the audit has no unknown cell (clean,
            // complete, consistent), exactly what `protect` would find,
            // without building its system.
            if !pcells.iter().any(|c| c.n > 0 && c.n < min) {
                return (Vec::new(), clean());
            }
            let comp_items: Vec<usize> = (0..sy.comps.len()).collect();
            let area_item = sy.area.map(|_| sy.comps.len());
            let rels = expand(
                &group_rels,
                keys.len(),
                sy.items.len(),
                &comp_items,
                area_item,
            );
            let protection = protect(pcells, rels, min, true);
            let withheld: Vec<(usize, Reason)> = protection
                .status
                .iter()
                .enumerate()
                .filter_map(|(c, s)| match s {
                    Status::Withheld(r) => Some((c, *r)),
                    _ => None,
                })
                .collect();
            (withheld, protection.audit)
        };
        map_in_parallel(&work, &protect_system)
    } else {
        // Primary (or none): a cell is withheld when it is small; the
        // audit is that of `protect` without secondary suppression, on the
        // small cells and the cells of the relations touching them (see
        // `audit_primary`).
        let mut small: Vec<Vec<u32>> = vec![Vec::new(); systems_.len()];
        if opts.suppression == Suppression::Primary {
            // Row rank → (system, item) of the cells it is in.
            let mut at_rank: Vec<Vec<(usize, usize)>> = vec![Vec::new(); row_items.len()];
            for (s, sy) in systems_.iter().enumerate() {
                for (j, &r) in sy.ranks.iter().enumerate() {
                    if let Some(x) = at_rank.get_mut(r) {
                        x.push((s, j));
                    }
                }
            }
            // The small cells, found while filling.
            for &(g, r) in &filled.small {
                let (g, r) = (g as usize, r as usize);
                for &(s, j) in at_rank.get(r).map_or(&[][..], |x| x.as_slice()) {
                    small[s].push((g * systems_[s].items.len() + j) as u32);
                }
            }
            for list in &mut small {
                list.sort_unstable();
            }
        }
        let index = small
            .iter()
            .any(|s| !s.is_empty())
            .then(|| rels_of_group(&group_rels, keys.len()));
        let work: Vec<(&System, Vec<u32>)> = systems_.iter().zip(small).collect();
        let audit_system = |(sy, small): &(&System, Vec<u32>)| {
            let Some(index) = index.as_ref().filter(|_| !small.is_empty()) else {
                return (Vec::new(), clean());
            };
            let comp_items: Vec<usize> = (0..sy.comps.len()).collect();
            let area_item = sy.area.map(|_| sy.comps.len());
            let m = sy.comps.len() as i64;
            let cells = PrimaryCells {
                n_items: sy.items.len(),
                n_cells: keys.len() * sy.items.len(),
                value: &|c: usize| {
                    let (g, j) = (c / sy.items.len(), c % sy.items.len());
                    i64::try_from(cols.rated[first[g] + sy.ranks[j]]).unwrap_or(i64::MAX)
                },
                multiplicity: &|j: usize| match sy.items[j] {
                    Item::Competence(_) => 1,
                    Item::Area(_) => m,
                },
            };
            let audit = audit_primary(
                &cells,
                small,
                &group_rels,
                index,
                &comp_items,
                area_item,
                min,
            );
            let withheld = small
                .iter()
                .map(|&c| (c as usize, Reason::Primary))
                .collect();
            (withheld, audit)
        };
        map_in_parallel(&work, &audit_system)
    };
    // Determined competence cells by row (for the area rows below).
    let mut determined: FastMap<usize, (Method, Option<f64>)> = FastMap::default();
    for (sy, (withheld, audit)) in systems_.iter().zip(outcomes) {
        let n_items = sy.items.len();
        if !area_rows.is_empty() {
            for f in &audit.findings {
                let row = first[f.cell / n_items] + sy.ranks[f.cell % n_items];
                determined.insert(row, (f.method, f.value));
            }
        }
        let comp_items: Vec<usize> = (0..sy.comps.len()).collect();
        let area_item = sy.area.map(|_| sy.comps.len());
        report.relations += count_relations(&group_rels, keys.len(), &comp_items, area_item);
        let reason_of = |cell: usize| {
            withheld
                .binary_search_by_key(&cell, |x| x.0)
                .ok()
                .map(|k| withheld[k].1)
        };
        merge_audit(
            &mut report,
            &audit,
            withheld.iter().map(|x| x.1),
            |cell, f| {
                let g = cell / n_items;
                let (table, unit, scope, role, area_id, comp) =
                    describe(&layout, &keys[g], sy.items[cell % n_items]);
                AuditFinding {
                    table,
                    unit,
                    scope,
                    role,
                    area: area_id,
                    competence: comp,
                    suppressed: reason_of(cell),
                    method: f.method,
                    value: f.value,
                }
            },
        );
        for &(cell, r) in &withheld {
            let g = cell / n_items;
            let j = cell % n_items;
            cols.withhold(first[g] + sy.ranks[j], r);
        }
        report.cells += keys.len() * n_items;
    }
    // Area rows: withheld exactly when one of their competence rows is.
    if !area_rows.is_empty() {
        let areas_ranked: Vec<(usize, Vec<usize>)> = area_rows
            .iter()
            .map(|(a, members)| {
                let comps = members
                    .iter()
                    .map(|&c| item_rank(Item::Competence(c)))
                    .collect();
                (item_rank(Item::Area(*a)), comps)
            })
            .collect();
        let withheld = withhold_areas(&mut cols, &first[..keys.len()], &areas_ranked);
        count_withheld(&mut report, withheld.iter().map(|x| x.2));
        // A withheld area row is determined exactly when each of its
        // withheld competence rows is (their systems are independent):
        // by differencing when each of them is, else only its count.
        for &(g, k, reason) in &withheld {
            let (_, comps) = &areas_ranked[k];
            let mut method = Method::Linear;
            let mut value = Some(0.0);
            let mut all = true;
            for &c in comps {
                let row = first[g] + c;
                match (cols.suppressed[row], determined.get(&row)) {
                    (None, _) => value = value.map(|v| v + cols.rated[row] as f64),
                    (Some(_), Some(&(m, x))) => {
                        method = method.max(m);
                        value = value.zip(x).map(|(v, x)| v + x);
                    }
                    (Some(_), None) => all = false,
                }
            }
            if !all {
                continue;
            }
            let (table, unit, scope, role, area, competence) =
                describe(&layout, &keys[g], Item::Area(area_rows[k].0));
            let finding = AuditFinding {
                table,
                unit,
                scope,
                role,
                area,
                competence,
                suppressed: Some(reason),
                method,
                value,
            };
            add_finding(&mut report, finding);
        }
        report.cells += keys.len() * areas_ranked.len();
        // the relations an adversary has on area rows: each area's tree
        // (and margin, role) relations, and area = Σ competences per group
        report.relations +=
            areas_ranked.len() * count_relations(&group_rels, keys.len(), &[], Some(0));
    }
    // Rolled-up units' rows.
    for &f in &first[keys.len()..] {
        for j in 0..rolled_items.len() {
            cols.withhold(f + j, Reason::RolledUp);
            report.rolled_up += 1;
            report.withheld += 1;
        }
    }
    // Top needs: the published competence cells of each kept unit's
    // rolled-up group (all roles), read from the columns.
    let mut ranker = TopRanker::new(comp_rank, top);
    let mut top_needs = if early_plan {
        std::mem::take(&mut filled.top_needs)
    } else {
        Vec::with_capacity(n_units * top)
    };
    for &u in tree.preorder() {
        if top == 0 || early_plan {
            break;
        }
        let Some(g) = groups.get(GroupKey::unit(u as usize, Scope::Rollup)) else {
            continue;
        };
        let need = NeedCols {
            weighted_need: &cols.weighted_need,
            mean_shortfall: &cols.mean_shortfall,
            coverage: &cols.coverage,
            people: &cols.people,
        };
        ranker.rank(
            u,
            first[g],
            need,
            |i| cols.suppressed[i].is_some(),
            &mut top_needs,
        );
    }
    cols.area_people_shown = opts.suppression == Suppression::None;
    cols.hide_area_people();
    Ok(ColumnarPublication {
        min_group: opts.min_group,
        suppression: opts.suppression,
        columns: cols,
        top_needs,
        audit: report,
    })
}

/// The number columns of a run of rows of a [`TableColumns`], mutably.
struct NumCols<'a> {
    n_levels: usize,
    people: &'a mut [u64],
    rated: &'a mut [u64],
    missing: &'a mut [u64],
    meeting: &'a mut [u64],
    coverage: &'a mut [f64],
    mean_shortfall: &'a mut [f64],
    mean_shortfall_below: &'a mut [f64],
    weighted_need: &'a mut [f64],
    median_level: &'a mut [f64],
    mean_level: &'a mut [f64],
    distribution: &'a mut [u64],
}

impl<'a> NumCols<'a> {
    fn of(c: &'a mut TableColumns) -> NumCols<'a> {
        NumCols {
            n_levels: c.n_levels,
            people: &mut c.people,
            rated: &mut c.rated,
            missing: &mut c.missing,
            meeting: &mut c.meeting,
            coverage: &mut c.coverage,
            mean_shortfall: &mut c.mean_shortfall,
            mean_shortfall_below: &mut c.mean_shortfall_below,
            weighted_need: &mut c.weighted_need,
            median_level: &mut c.median_level,
            mean_level: &mut c.mean_level,
            distribution: &mut c.distribution,
        }
    }

    /// Rows `[0, row)` and `[row, len)`.
    #[cfg(not(target_family = "wasm"))]
    fn split_at(self, row: usize) -> (NumCols<'a>, NumCols<'a>) {
        let (p0, p1) = self.people.split_at_mut(row);
        let (r0, r1) = self.rated.split_at_mut(row);
        let (mi0, mi1) = self.missing.split_at_mut(row);
        let (me0, me1) = self.meeting.split_at_mut(row);
        let (c0, c1) = self.coverage.split_at_mut(row);
        let (s0, s1) = self.mean_shortfall.split_at_mut(row);
        let (b0, b1) = self.mean_shortfall_below.split_at_mut(row);
        let (w0, w1) = self.weighted_need.split_at_mut(row);
        let (md0, md1) = self.median_level.split_at_mut(row);
        let (ml0, ml1) = self.mean_level.split_at_mut(row);
        let (d0, d1) = self.distribution.split_at_mut(row * self.n_levels);
        let n_levels = self.n_levels;
        (
            NumCols {
                n_levels,
                people: p0,
                rated: r0,
                missing: mi0,
                meeting: me0,
                coverage: c0,
                mean_shortfall: s0,
                mean_shortfall_below: b0,
                weighted_need: w0,
                median_level: md0,
                mean_level: ml0,
                distribution: d0,
            },
            NumCols {
                n_levels,
                people: p1,
                rated: r1,
                missing: mi1,
                meeting: me1,
                coverage: c1,
                mean_shortfall: s1,
                mean_shortfall_below: b1,
                weighted_need: w1,
                median_level: md1,
                mean_level: ml1,
                distribution: d1,
            },
        )
    }

    /// Copy the numbers of rows `[from, from + n)` to rows `[to, to + n)`.
    fn copy_rows(&mut self, from: usize, to: usize, n: usize) {
        let src = from..from + n;
        self.people.copy_within(src.clone(), to);
        self.rated.copy_within(src.clone(), to);
        self.missing.copy_within(src.clone(), to);
        self.meeting.copy_within(src.clone(), to);
        self.coverage.copy_within(src.clone(), to);
        self.mean_shortfall.copy_within(src.clone(), to);
        self.mean_shortfall_below.copy_within(src.clone(), to);
        self.weighted_need.copy_within(src.clone(), to);
        self.median_level.copy_within(src.clone(), to);
        self.mean_level.copy_within(src, to);
        let l = self.n_levels;
        self.distribution
            .copy_within(from * l..(from + n) * l, to * l);
    }

    /// Write a cell's numbers into row `i` (its distribution is already
    /// there); statistics that are undefined become `NaN`.
    fn set(&mut self, i: usize, n: &Numbers) {
        let nan = |x: Option<f64>| x.unwrap_or(f64::NAN);
        self.people[i] = n.people;
        self.rated[i] = n.rated;
        self.missing[i] = n.missing;
        self.meeting[i] = n.meeting;
        self.coverage[i] = nan(n.coverage);
        self.mean_shortfall[i] = nan(n.mean_shortfall);
        self.mean_shortfall_below[i] = nan(n.mean_shortfall_below);
        self.weighted_need[i] = n.weighted_need;
        self.median_level[i] = nan(n.median_level);
        self.mean_level[i] = nan(n.mean_level);
    }
}

/// What filling the number columns needs.
struct FillPlan<'a> {
    layout: &'a Layout,
    rec: super::state::RecordLayout,
    /// Record of each group.
    recs: &'a [&'a [u64]],
    /// First row of each group.
    first: &'a [usize],
    /// Items of a group's rows, in row order.
    items: &'a [Item],
    /// Competences of each item.
    item_comps: &'a [Vec<usize>],
    /// The small cells and top needs to find while filling, if any.
    early: Option<&'a EarlyPlan>,
}

/// What the fill finds besides the numbers when no cell is withheld but
/// the small ones (see [`FillPlan::early`]).
struct EarlyPlan {
    /// A row is small when its people are in `1..small_min` (0: never)
    /// and its item (by rank) is in a protection system (`in_system`).
    small_min: u64,
    in_system: Vec<bool>,
    /// Per group: the unit whose top needs its rows give (`NO_GROUP`: none).
    top_unit: Vec<u32>,
    /// Row rank of each competence.
    comp_rank: Vec<usize>,
    /// Length of each unit's list.
    top: usize,
}

/// What the fill found (see [`EarlyPlan`]): the small cells as (group,
/// row rank), and the top needs, each in row order.
#[derive(Default)]
struct Filled {
    small: Vec<(u32, u32)>,
    top_needs: Vec<IndexedTopNeed>,
}

/// Rows from which the columns are zeroed and filled on two threads.
const FILL_PARALLEL_MIN: usize = 20_000;

/// Runs of groups the two threads take in turn.
#[cfg(not(target_family = "wasm"))]
const FILL_RUNS: usize = 96;

impl FillPlan<'_> {
    /// Fill the rows of `groups` (in row order) into `cols` (all rows),
    /// and run `side` (work independent of the fill) meanwhile. Each cell
    /// is computed by one thread, so the result does not depend on the
    /// number of threads: where threads exist, two take runs of groups
    /// from a queue (this one after `side`), and the runs' findings are
    /// joined in row order.
    fn run<T>(&self, cols: NumCols<'_>, groups: &[usize], side: impl FnOnce() -> T) -> (Filled, T) {
        #[cfg(not(target_family = "wasm"))]
        if groups.len() * self.items.len() >= FILL_PARALLEL_MIN
            && groups.len() >= 2
            && std::thread::available_parallelism().map_or(1, |t| t.get()) > 1
        {
            let per = groups.len().div_ceil(FILL_RUNS).max(1);
            let mut runs = Vec::with_capacity(FILL_RUNS);
            let (mut rest, mut row0) = (cols, 0);
            for (k, gs) in groups.chunks(per).enumerate() {
                // This run's rows end where the next run's begin.
                let end = groups
                    .get((k + 1) * per)
                    .map_or(rest.people.len() + row0, |&g| self.first[g]);
                let (mine, after) = rest.split_at(end - row0);
                runs.push((mine, row0, gs));
                (rest, row0) = (after, end);
            }
            let fill = |(c, row0, gs): (NumCols<'_>, usize, &[usize])| {
                self.fill(c, row0, gs, &mut self.ranker())
            };
            let (done, t) = super::state::binned::par_queue_side(runs, 2, fill, side);
            let mut out = Filled::default();
            for f in done {
                out.small.extend(f.small);
                out.top_needs.extend(f.top_needs);
            }
            return (out, t);
        }
        let t = side();
        (self.fill(cols, 0, groups, &mut self.ranker()), t)
    }

    /// A ranker of top needs, if the fill ranks them.
    fn ranker(&self) -> Option<TopRanker> {
        self.early
            .map(|e| TopRanker::new(e.comp_rank.clone(), e.top))
    }

    /// Fill the rows of `groups` into `cols`, whose first row is `row0`.
    fn fill(
        &self,
        mut cols: NumCols<'_>,
        row0: usize,
        groups: &[usize],
        ranker: &mut Option<TopRanker>,
    ) -> Filled {
        let n_items = self.items.len();
        let mut out = Filled::default();
        // The previous group's record and first row: a group whose record
        // is the same record (a leaf's roll-up is its own record) has the
        // same numbers, copied instead of recomputed.
        let mut prev: Option<(&[u64], usize)> = None;
        for &g in groups {
            let r = self.recs[g];
            let f = self.first[g] - row0;
            let same = prev.is_some_and(|(pr, _)| std::ptr::eq(pr, r));
            if let (true, Some((_, pf))) = (same, prev) {
                cols.copy_rows(pf, f, n_items);
            } else {
                prev = Some((r, f));
                self.fill_group(&mut cols, r, f);
            }
            if let (Some(e), Some(ranker)) = (self.early, ranker.as_mut()) {
                e.found(g, f, &cols, ranker, &mut out);
            }
        }
        out
    }

    /// Compute the rows of a group whose record is `r` and whose first
    /// row (in `cols`) is `f`.
    fn fill_group(&self, cols: &mut NumCols<'_>, r: &[u64], f: usize) {
        let l = cols.n_levels;
        {
            // Touch every cache line of the record first: the loads are
            // independent, so the memory system fetches many lines at once
            // (the cells below then read from the cache).
            std::hint::black_box(r.iter().step_by(8).fold(0u64, |a, &x| a ^ x));
            for (j, (&item, comps)) in self.items.iter().zip(self.item_comps).enumerate() {
                let i = f + j;
                let hist = &mut cols.distribution[i * l..(i + 1) * l];
                let s = match item {
                    Item::Competence(c) => numbers_one(self.layout, self.rec, r, c, hist),
                    Item::Area(_) => None,
                };
                let s = s.unwrap_or_else(|| numbers(self.layout, self.rec, r, comps, item, hist));
                cols.set(i, &s);
            }
        }
    }
}

impl EarlyPlan {
    /// Note the small cells of group `g`, whose rows start at row `f` of
    /// `cols`, and rank its unit's top needs if it gives them.
    fn found(
        &self,
        g: usize,
        f: usize,
        cols: &NumCols<'_>,
        ranker: &mut TopRanker,
        out: &mut Filled,
    ) {
        let people: &[u64] = cols.people;
        let small = |n: u64| n > 0 && n < self.small_min;
        if self.small_min > 1 {
            let rows = people.get(f..f + self.in_system.len()).unwrap_or(&[]);
            for (r, (&n, &sys)) in rows.iter().zip(&self.in_system).enumerate() {
                if sys && small(n) {
                    out.small.push((g as u32, r as u32));
                }
            }
        }
        if let Some(&u) = self.top_unit.get(g).filter(|&&u| u != NO_GROUP) {
            let need = NeedCols {
                weighted_need: cols.weighted_need,
                mean_shortfall: cols.mean_shortfall,
                coverage: cols.coverage,
                people,
            };
            let withheld = |i: usize| {
                let sys = self.in_system.get(i.wrapping_sub(f)).copied();
                sys.unwrap_or(false) && small(people.get(i).copied().unwrap_or(0))
            };
            ranker.rank(u, f, need, withheld, &mut out.top_needs);
        }
    }
}

/// The columns the top-needs ranking reads.
struct NeedCols<'a> {
    weighted_need: &'a [f64],
    mean_shortfall: &'a [f64],
    coverage: &'a [f64],
    people: &'a [u64],
}

/// Ranks a unit's top needs (see the module docs).
struct TopRanker {
    /// Row rank of each competence.
    comp_rank: Vec<usize>,
    /// Length of each unit's list.
    top: usize,
    /// Per competence of the unit being ranked: the [`rank_key`] of its
    /// weighted need and mean shortfall (0 when undefined), or 0 when it
    /// is no candidate.
    keys: Vec<u128>,
    /// The unit's list: competences, best first.
    list: Vec<u32>,
}

/// A `u64` whose order is [`f64::total_cmp`]'s order of `x`.
#[inline(always)]
fn order_key(x: f64) -> u64 {
    let b = x.to_bits() as i64;
    ((b ^ (((b >> 63) as u64) >> 1) as i64) as u64) ^ (1 << 63)
}

/// The ranking key of a need: its weighted need, then its mean
/// shortfall, each in [`f64::total_cmp`]'s order (larger first).
#[inline(always)]
fn rank_key(weighted_need: f64, mean_shortfall: f64) -> u128 {
    (u128::from(order_key(weighted_need)) << 64) | u128::from(order_key(mean_shortfall))
}

/// `x`, or 0 when it is `NaN`.
#[inline(always)]
fn mean_or_zero(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x
    }
}

impl TopRanker {
    /// Rank the candidates of the rolled-up group whose rows start at
    /// row `f` into `self.list` (at most `top`). The order:
    /// weighted need (largest first), then mean shortfall (largest
    /// first), then the competence. The first `top` are taken one at a
    /// time, each the first of the rest by its key (a scan over the
    /// competences in order that keeps the first of equal keys; without
    /// branches: a binary search and an insertion into a sorted list
    /// mispredicted many of their branches on real needs and took about
    /// 1.4 times as long, by `perf` samples on the bench).
    #[inline(always)]
    fn candidates(&mut self, f: usize, cols: &NeedCols<'_>, withheld: &impl Fn(usize) -> bool) {
        let keys = &mut self.keys;
        keys.clear();
        let mut n = 0;
        for &rank in &self.comp_rank {
            let i = f + rank;
            // Withheld, or no need (`NaN` counts as none).
            let w = cols.weighted_need[i];
            if w.is_nan() || w <= 0.0 || withheld(i) {
                keys.push(0);
                continue;
            }
            n += 1;
            // (> 0: the weighted need is)
            keys.push(rank_key(w, mean_or_zero(cols.mean_shortfall[i])));
        }
        self.list.clear();
        for _ in 0..self.top.min(n) {
            let (mut best, mut key) = (0, keys.first().copied().unwrap_or(0));
            for (j, &k) in keys.iter().enumerate().skip(1) {
                let later = k > key;
                key = if later { k } else { key };
                best = if later { j } else { best };
            }
            self.list.push(best as u32);
            if let Some(k) = keys.get_mut(best) {
                *k = 0;
            }
        }
    }

    fn new(comp_rank: Vec<usize>, top: usize) -> TopRanker {
        TopRanker {
            keys: Vec::with_capacity(comp_rank.len()),
            comp_rank,
            top,
            list: Vec::with_capacity(top),
        }
    }

    /// Append to `out` the top needs of `unit` whose rolled-up group's
    /// rows start at row `f` of `cols`; cells for which `withheld` holds
    /// are left out.
    fn rank(
        &mut self,
        unit: u32,
        f: usize,
        cols: NeedCols<'_>,
        withheld: impl Fn(usize) -> bool,
        out: &mut Vec<IndexedTopNeed>,
    ) {
        let opt = |x: f64| (!x.is_nan()).then_some(x);
        self.candidates(f, &cols, &withheld);
        for (rank, &c) in self.list.iter().enumerate() {
            let i = f + self.comp_rank[c as usize];
            out.push(IndexedTopNeed {
                unit,
                rank: rank as u32 + 1,
                competence: c,
                weighted_need: cols.weighted_need[i],
                mean_shortfall: opt(cols.mean_shortfall[i]),
                coverage: opt(cols.coverage[i]),
                people: cols.people[i],
            });
        }
    }
}

/// `f` of every element of `xs`, in order; on two threads (taking every
/// other element) where threads exist. Each result is computed by one
/// thread, so the results do not depend on the number of threads.
fn map_in_parallel<T: Sync, R: Send>(xs: &[T], f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
    #[cfg(not(target_family = "wasm"))]
    {
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
        if threads > 1 && xs.len() > 1 {
            let (mut even, odd) = std::thread::scope(|scope| {
                let h = scope.spawn(|| xs.iter().skip(1).step_by(2).map(f).collect::<Vec<R>>());
                let even: Vec<R> = xs.iter().step_by(2).map(f).collect();
                match h.join() {
                    Ok(odd) => (even, odd),
                    Err(e) => std::panic::resume_unwind(e),
                }
            });
            let mut out = Vec::with_capacity(xs.len());
            let mut odd = odd.into_iter();
            for e in even.drain(..) {
                out.push(e);
                out.extend(odd.next());
            }
            return out;
        }
    }
    xs.iter().map(f).collect()
}

/// `(a(), b())`, with `a` on a second thread when `parallel` and threads
/// exist (not on wasm).
fn both<A: Send, B>(parallel: bool, a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    #[cfg(not(target_family = "wasm"))]
    if parallel && std::thread::available_parallelism().map_or(1, |t| t.get()) > 1 {
        return std::thread::scope(|scope| {
            let h = scope.spawn(a);
            let y = b();
            match h.join() {
                Ok(x) => (x, y),
                Err(e) => std::panic::resume_unwind(e),
            }
        });
    }
    let _ = parallel;
    (a(), b())
}

/// Row order: table, unit (preorder), scope, role, item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    table: u8,
    pos: usize,
    scope: u8,
    role: usize,
    item: usize,
}

fn merge_audit(
    report: &mut AuditReport,
    a: &Analysis,
    withheld: impl Iterator<Item = Reason>,
    describe: impl Fn(usize, &super::disclosure::Finding) -> AuditFinding,
) {
    report.complete &= a.complete;
    report.consistent &= a.consistent;
    count_withheld(report, withheld);
    for f in &a.findings {
        add_finding(report, describe(f.cell, f));
    }
}

/// Add a finding to the report: a linear one recovers the cell's
/// statistics, any other only its count.
fn add_finding(report: &mut AuditReport, f: AuditFinding) {
    if f.method == Method::Linear {
        report.findings.push(f);
    } else {
        report.size_findings.push(f);
    }
    report.clean = report.findings.is_empty();
    report.sizes_clean = report.size_findings.is_empty();
}

/// Add withheld cells to the report's counts.
fn count_withheld(report: &mut AuditReport, withheld: impl Iterator<Item = Reason>) {
    for s in withheld {
        match s {
            Reason::Primary => {
                report.primary += 1;
                report.withheld += 1;
            }
            Reason::Secondary => {
                report.secondary += 1;
                report.withheld += 1;
            }
            Reason::RolledUp => {
                report.rolled_up += 1;
                report.withheld += 1;
            }
        }
    }
}

/// Withhold every area row one of whose competence rows is withheld:
/// `primary` when one of them is primary, else `secondary`. `first`: each
/// group's first row; `areas`: each area row's rank in a group with its
/// competences' ranks. Returns the area rows withheld: (group, index in
/// `areas`, reason).
///
/// So an area row tells nothing its competence rows do not: published,
/// every competence it sums is published (each 0 or at least `min_group`
/// people), so its numbers are their sums and its head count is 0 or at
/// least `min_group`; withheld, its reason follows from theirs. Its head
/// count, which would bound every competence count of its group
/// (`max_c F_c ≤ people ≤ Σ_c F_c`) and add up over the tree, is not
/// published under suppression (see [`TableColumns::people_shown`]).
fn withhold_areas(
    cols: &mut TableColumns,
    first: &[usize],
    areas: &[(usize, Vec<usize>)],
) -> Vec<(usize, usize, Reason)> {
    let mut out = Vec::new();
    for (g, &f) in first.iter().enumerate() {
        for (k, (rank, comps)) in areas.iter().enumerate() {
            let mut reason = None;
            for &c in comps {
                match cols.suppressed.get(f + c).copied().flatten() {
                    Some(Reason::Primary) => reason = Some(Reason::Primary),
                    Some(_) if reason.is_none() => reason = Some(Reason::Secondary),
                    _ => {}
                }
            }
            if let Some(r) = reason {
                cols.withhold(f + rank, r);
                out.push((g, k, r));
            }
        }
    }
    out
}

type Described = (
    Table,
    Option<String>,
    Option<Scope>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn describe(layout: &Layout, key: &GroupKey, item: Item) -> Described {
    let (area, comp) = match item {
        Item::Competence(c) => (
            layout
                .area_of
                .get(c)
                .and_then(|&a| layout.areas.get(a as usize))
                .cloned(),
            layout.competences.get(c).cloned(),
        ),
        Item::Area(a) => (layout.areas.get(a).cloned(), None),
    };
    (
        key.table,
        key.unit.map(|u| layout.tree.id(u as usize).to_string()),
        key.scope,
        key.role.and_then(|r| layout.roles.get(r as usize)).cloned(),
        area,
        comp,
    )
}

/// Finds a name in a list of distinct names, trying the entry after the
/// last one found first (rows list the competences in the same order
/// group after group).
#[derive(Default)]
struct NextGuess {
    last: usize,
}

impl NextGuess {
    fn find(&mut self, list: &[(String, Option<String>)], name: &str) -> Option<usize> {
        let guess = self.last + 1;
        let at = match list.get(guess) {
            Some(x) if x.0 == name => Some(guess),
            _ => list.iter().position(|x| x.0 == name),
        };
        if let Some(k) = at {
            self.last = k;
        } else {
            self.last = usize::MAX - 1;
        }
        at
    }
}

/// A hasher for small integer keys (the FxHash word mix of rustc): much
/// cheaper than SipHash for the row keys of [`audit_rows`], which are
/// indices, not text (no iteration order of such a map is observed).
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u8(&mut self, w: u8) {
        self.write_u64(u64::from(w));
    }
    fn write_u32(&mut self, w: u32) {
        self.write_u64(u64::from(w));
    }
    fn write_usize(&mut self, w: usize) {
        self.write_u64(w as u64);
    }
    fn write_isize(&mut self, w: isize) {
        self.write_u64(w as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// Audit published rows against the tree's additive relations.
///
/// `rows` are rows as produced by [`publish`] (any subset of tables; rows
/// may be edited). Conventions: a `role_unit` group absent from the rows
/// is an empty group (the library omits only those); a unit × scope of the
/// `unit` table with no rows at all is unpublished (unknown to the
/// adversary); a missing item of a present group is unpublished. Rows
/// marked `rolled_up` take their unit out of the tree relations (their
/// people are inside the parent's `own` row). The audited value is `rated`
/// (or `people` when `rated` is absent). A priori bounds use `min_group`.
pub fn audit_rows(tree: &OrgTree, rows: &[Row], min_group: u64) -> Result<AuditReport> {
    // Roles, competences and areas as they appear.
    let mut roles: Vec<String> = Vec::new();
    let mut comps: Vec<(String, Option<String>)> = Vec::new();
    let mut comp_finder = NextGuess::default();
    let mut area_rows: Vec<String> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if let Some(r) = &row.role {
            if !roles.contains(r) {
                roles.push(r.clone());
            }
        }
        match (&row.competence, &row.area) {
            (Some(c), a) => match comp_finder.find(&comps, c).map(|k| &comps[k]) {
                Some(x) if x.1 != *a => {
                    return Err(Error::invalid(
                        format!("rows[{i}].area"),
                        format!("competence {c:?} appears in two areas"),
                    ))
                }
                Some(_) => {}
                None => comps.push((c.clone(), a.clone())),
            },
            (None, Some(a)) => {
                if !area_rows.contains(a) {
                    area_rows.push(a.clone());
                }
            }
            (None, None) => {
                return Err(Error::MissingValue {
                    location: format!("rows[{i}]"),
                    what: "competence or area".into(),
                })
            }
        }
    }
    let mut kept = vec![true; tree.len()];
    let mut unit_scopes: [bool; 2] = [false, false];
    let mut keyed: FastMap<(GroupKey, Option<usize>, Option<usize>), &Row> =
        FastMap::with_capacity_and_hasher(rows.len(), Default::default());
    // Rows of one unit come together: the last unit looked up.
    let mut last_unit: Option<(&str, u32)> = None;
    for (i, row) in rows.iter().enumerate() {
        let unit = match &row.unit {
            Some(u) => Some(match last_unit {
                Some((id, x)) if id == u.as_str() => x,
                _ => {
                    let x = tree.index_of(u).ok_or_else(|| Error::UnknownReference {
                        location: format!("rows[{i}].unit"),
                        kind: "unit".into(),
                        id: u.clone(),
                    })? as u32;
                    last_unit = Some((u.as_str(), x));
                    x
                }
            }),
            None => None,
        };
        if row.suppressed == Some(Reason::RolledUp) {
            if let Some(u) = unit {
                kept[u as usize] = false;
            }
            continue;
        }
        let role = row
            .role
            .as_ref()
            .and_then(|r| roles.iter().position(|x| x == r))
            .map(|r| r as u32);
        let key = GroupKey {
            table: row.table,
            unit,
            scope: row.scope,
            role,
        };
        match (row.table, unit, row.scope, role) {
            (Table::Unit, Some(_), Some(s), None) => unit_scopes[s as usize] = true,
            (Table::RoleUnit, Some(_), Some(_), Some(_)) | (Table::Role, None, None, Some(_)) => {}
            _ => {
                return Err(Error::invalid(
                    format!("rows[{i}]"),
                    "table, unit, scope and role do not fit together",
                ))
            }
        }
        let comp = row
            .competence
            .as_ref()
            .and_then(|c| comp_finder.find(&comps, c));
        let area = if row.competence.is_none() {
            row.area
                .as_ref()
                .and_then(|a| area_rows.iter().position(|x| x == a))
        } else {
            None
        };
        if keyed.insert((key, comp, area), row).is_some() {
            return Err(Error::DuplicateId {
                location: format!("rows[{i}]"),
                id: format!(
                    "{:?}",
                    (
                        row.table,
                        &row.unit,
                        row.scope,
                        &row.role,
                        &row.competence,
                        &row.area
                    )
                ),
            });
        }
    }
    // Groups: present ones, plus unpublished unit scopes.
    let mut keys: Vec<GroupKey> = keyed.keys().map(|k| k.0).collect();
    for (s, present) in [Scope::Own, Scope::Rollup].into_iter().zip(unit_scopes) {
        if !present {
            for (u, _) in kept.iter().enumerate().filter(|(_, &k)| k) {
                keys.push(GroupKey::unit(u, s));
            }
        }
    }
    keys.sort();
    keys.dedup();
    let groups = GroupIndex::new(&keys, tree.len(), roles.len());
    let has_role_unit = keys.iter().any(|k| k.table == Table::RoleUnit);
    let has_role = keys.iter().any(|k| k.table == Table::Role);
    let ctx = RelContext {
        tree,
        kept: &kept,
        groups: &groups,
        n_roles: roles.len(),
        role_unit: has_role_unit,
        role_table: has_role,
    };
    // Systems: per area (those with area rows), else per competence.
    let mut sys: Vec<(Vec<usize>, Option<usize>)> = Vec::new();
    let mut done = vec![false; comps.len()];
    for (ai, a) in area_rows.iter().enumerate() {
        let members: Vec<usize> = (0..comps.len())
            .filter(|&c| comps[c].1.as_deref() == Some(a.as_str()))
            .collect();
        for &c in &members {
            done[c] = true;
        }
        sys.push((members, Some(ai)));
    }
    for (c, _) in done.iter().enumerate().filter(|(_, &d)| !d) {
        sys.push((vec![c], None));
    }
    let mut report = AuditReport {
        clean: true,
        complete: true,
        consistent: true,
        cells: 0,
        withheld: 0,
        primary: 0,
        secondary: 0,
        rolled_up: rows
            .iter()
            .filter(|r| r.suppressed == Some(Reason::RolledUp))
            .count(),
        relations: 0,
        findings: Vec::new(),
        size_findings: Vec::new(),
        sizes_clean: true,
    };
    report.withheld = report.rolled_up;
    // The cells of every system (in system order, so that the first
    // error is the same), then their audits (independent: on up to two
    // threads), merged in system order.
    struct Prepared {
        members: Vec<usize>,
        area: Option<usize>,
        n_items: usize,
        cells: Vec<AuditCell>,
        status: Vec<Status>,
    }
    let mut prepared: Vec<Prepared> = Vec::with_capacity(sys.len());
    for (members, area) in sys {
        let n_items = members.len() + usize::from(area.is_some());
        let mut cells: Vec<AuditCell> = Vec::with_capacity(keys.len() * n_items);
        let mut status: Vec<Status> = Vec::with_capacity(keys.len() * n_items);
        for key in &keys {
            for i in 0..n_items {
                let (comp, ar) = if i < members.len() {
                    (Some(members[i]), None)
                } else {
                    (None, area)
                };
                let st = match keyed.get(&(*key, comp, ar)) {
                    None => Status::Unpublished,
                    Some(row) => match row.suppressed {
                        Some(r) => Status::Withheld(r),
                        None => {
                            let v =
                                row.rated
                                    .or(row.people)
                                    .ok_or_else(|| Error::MissingValue {
                                        location: "rows".into(),
                                        what: "rated or people on a published row".into(),
                                    })?;
                            Status::Published(i64::try_from(v).unwrap_or(i64::MAX))
                        }
                    },
                };
                let m = if i < members.len() {
                    1
                } else {
                    members.len() as i64
                };
                cells.push(audit_cell(st, min_group, m));
                status.push(st);
            }
        }
        prepared.push(Prepared {
            members,
            area,
            n_items,
            cells,
            status,
        });
    }
    let group_rels = group_relations(&ctx);
    let audit_system = |p: &Prepared| -> (usize, Analysis) {
        let comp_items: Vec<usize> = (0..p.members.len()).collect();
        let area_item = p.area.map(|_| p.members.len());
        let rels = expand(&group_rels, groups.len(), p.n_items, &comp_items, area_item);
        (rels.len(), Auditor::new(p.cells.clone(), rels).audit())
    };
    let analyses = map_in_parallel(&prepared, &audit_system);
    for (p, (n_rels, analysis)) in prepared.into_iter().zip(analyses) {
        let Prepared {
            members,
            area,
            n_items,
            status,
            ..
        } = p;
        report.relations += n_rels;
        report.cells += status
            .iter()
            .filter(|s| !matches!(s, Status::Unpublished))
            .count();
        let comp_ids: Vec<&(String, Option<String>)> = members.iter().map(|&c| &comps[c]).collect();
        let withheld = status.iter().filter_map(|s| match s {
            Status::Withheld(r) => Some(*r),
            _ => None,
        });
        merge_audit(&mut report, &analysis, withheld, |cell, f| {
            let key = keys[cell / n_items];
            let i = cell % n_items;
            let (area_id, comp) = if i < comp_ids.len() {
                (comp_ids[i].1.clone(), Some(comp_ids[i].0.clone()))
            } else {
                (area.map(|a| area_rows[a].clone()), None)
            };
            AuditFinding {
                table: key.table,
                unit: key.unit.map(|u| tree.id(u as usize).to_string()),
                scope: key.scope,
                role: key.role.map(|r| roles[r as usize].clone()),
                area: area_id,
                competence: comp,
                suppressed: match status[cell] {
                    Status::Withheld(r) => Some(r),
                    _ => None,
                },
                method: f.method,
                value: f.value,
            }
        });
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The top-needs ranking against a plain sort of the candidates (by
    /// weighted need, then mean shortfall, `NaN` as 0, each largest first
    /// in `total_cmp`'s order, then the competence), on random rows with
    /// many ties, `NaN`s, zero and negative needs and withheld cells, and
    /// every list length from 0 to past the competences.
    #[test]
    fn top_needs_are_the_first_of_a_sort() {
        let mut rng = crate::demo::SplitMix64::new(0x2545_f491_4f6c_dd1d);
        let mut next = |n: u64| rng.below(n);
        let needs = [f64::NAN, 0.0, -1.0, 0.5, 1.0, 1.0, 2.0, 3.5];
        let shortfalls = [f64::NAN, -2.0, -0.5, -0.0, 0.0, 0.25, 1.0, 1.0, 2.5];
        for _ in 0..500 {
            let n_c = 1 + next(40) as usize;
            // rows of the group: competence `c` at row `f + 2c`
            let f = next(5) as usize;
            let n_rows = f + 2 * n_c;
            let comp_rank: Vec<usize> = (0..n_c).map(|c| 2 * c).collect();
            let w: Vec<f64> = (0..n_rows).map(|_| needs[next(8) as usize]).collect();
            let s: Vec<f64> = (0..n_rows).map(|_| shortfalls[next(9) as usize]).collect();
            let coverage: Vec<f64> = (0..n_rows).map(|i| i as f64 / 10.0).collect();
            let people: Vec<u64> = (0..n_rows).map(|i| i as u64 + 1).collect();
            let hidden: Vec<bool> = (0..n_rows).map(|_| next(6) == 0).collect();
            let mut expected: Vec<usize> = (0..n_c)
                .filter(|&c| {
                    let i = f + comp_rank[c];
                    !w[i].is_nan() && w[i] > 0.0 && !hidden[i]
                })
                .collect();
            let zero_nan = |x: f64| if x.is_nan() { 0.0 } else { x };
            expected.sort_by(|&a, &b| {
                let (i, j) = (f + comp_rank[a], f + comp_rank[b]);
                w[j].total_cmp(&w[i])
                    .then(zero_nan(s[j]).total_cmp(&zero_nan(s[i])))
                    .then(a.cmp(&b))
            });
            let top = next(n_c as u64 + 3) as usize;
            expected.truncate(top);
            let mut ranker = TopRanker::new(comp_rank.clone(), top);
            let mut out = Vec::new();
            let cols = NeedCols {
                weighted_need: &w,
                mean_shortfall: &s,
                coverage: &coverage,
                people: &people,
            };
            ranker.rank(7, f, cols, |i| hidden[i], &mut out);
            let got: Vec<usize> = out.iter().map(|t| t.competence as usize).collect();
            assert_eq!(got, expected, "n_c {n_c}, top {top}");
            for (k, t) in out.iter().enumerate() {
                let i = f + comp_rank[t.competence as usize];
                assert_eq!((t.unit, t.rank), (7, k as u32 + 1));
                assert_eq!(t.weighted_need, w[i]);
                assert_eq!(t.people, people[i]);
                assert_eq!(t.coverage, Some(coverage[i]));
                assert_eq!(
                    t.mean_shortfall.map(f64::to_bits),
                    (!s[i].is_nan()).then(|| s[i].to_bits())
                );
            }
        }
    }
}
