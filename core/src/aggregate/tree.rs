//! The organisation tree: units with parent ids (a forest is allowed).

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One unit as written by the user: `{"id": "lib-north", "parent": "libraries"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitSpec {
    /// Stable unit id.
    pub id: String,
    /// Id of the parent unit; `null` or absent for a root.
    #[serde(default)]
    pub parent: Option<String>,
}

/// Accepted JSON shapes of a tree: a list of `{id, parent}` or a map
/// `{unit: parent}` (parent `null` for roots; map order is the key order).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TreeSpec {
    /// `[{"id": "a", "parent": null}, {"id": "b", "parent": "a"}]`
    List(Vec<UnitSpec>),
    /// `{"a": null, "b": "a"}`
    Map(std::collections::BTreeMap<String, Option<String>>),
}

impl TreeSpec {
    /// The units in order.
    pub fn into_units(self) -> Vec<UnitSpec> {
        match self {
            TreeSpec::List(v) => v,
            TreeSpec::Map(m) => m
                .into_iter()
                .map(|(id, parent)| UnitSpec { id, parent })
                .collect(),
        }
    }
}

/// The number an id spells in plain decimal (`"0"`, `"17"`; not `"017"`,
/// `"+1"` or `" 1"`), if it does.
fn as_index(id: &str) -> Option<usize> {
    let b = id.as_bytes();
    let plain = !b.is_empty() && b.iter().all(u8::is_ascii_digit) && (b[0] != b'0' || b.len() == 1);
    if plain {
        id.parse().ok()
    } else {
        None
    }
}

/// A validated organisation tree (or forest).
///
/// Units keep their input order (their *index*); `preorder` lists every unit
/// after its parent, children in input order, so that a reverse pass rolls
/// values up bottom-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgTree {
    ids: Vec<String>,
    parent: Vec<Option<u32>>,
    child_start: Vec<u32>,
    child_list: Vec<u32>,
    preorder: Vec<u32>,
    roots: Vec<u32>,
    depth: Vec<u32>,
    /// Each id's index; `None` when the ids are `"0"`, `"1"`, … in order
    /// (each id its index: no map to build for a generated or parent-array
    /// tree).
    index: Option<HashMap<String, u32>>,
}

impl Serialize for OrgTree {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_specs().serialize(s)
    }
}

impl<'de> Deserialize<'de> for OrgTree {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let spec = TreeSpec::deserialize(d)?;
        OrgTree::new(spec.into_units()).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for OrgTree {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OrgTree".into()
    }
    fn json_schema(gen: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TreeSpec::json_schema(gen)
    }
}

impl OrgTree {
    /// Validate units: ids must be non-empty and unique, parents must exist,
    /// and parent links must not form a cycle. Errors name the unit
    /// (`tree.<id>`).
    pub fn new(units: Vec<UnitSpec>) -> Result<OrgTree> {
        let index = Self::id_index(units.iter().map(|u| &u.id))?;
        let mut parent = Vec::with_capacity(units.len());
        for u in &units {
            match &u.parent {
                None => parent.push(None),
                Some(p) => match Self::lookup(index.as_ref(), units.len(), p) {
                    Some(pi) => parent.push(Some(pi as u32)),
                    None => {
                        return Err(Error::UnknownReference {
                            location: format!("tree.{}.parent", u.id),
                            kind: "unit".into(),
                            id: p.clone(),
                        })
                    }
                },
            }
        }
        let ids: Vec<String> = units.into_iter().map(|u| u.id).collect();
        Self::build(ids, parent, index)
    }

    /// A tree from a parent array: `parents[i]` is the index of unit `i`'s
    /// parent, or a negative number for a root. Unit ids are `ids` when
    /// given, else the indices as text (`"0"`, `"1"`, …).
    pub fn from_parents(parents: &[i64], ids: Option<Vec<String>>) -> Result<OrgTree> {
        let ids: Vec<String> = match ids {
            Some(ids) => {
                if ids.len() != parents.len() {
                    return Err(Error::ShapeMismatch {
                        location: "tree".into(),
                        message: format!("{} ids for {} parents", ids.len(), parents.len()),
                    });
                }
                ids
            }
            None => (0..parents.len()).map(|i| i.to_string()).collect(),
        };
        // (indices straight from the array: no id lookups)
        let mut parent = Vec::with_capacity(parents.len());
        for (i, &p) in parents.iter().enumerate() {
            parent.push(if p < 0 {
                None
            } else {
                match u32::try_from(p) {
                    Ok(pi) if (pi as usize) < ids.len() => Some(pi),
                    _ => {
                        return Err(Error::UnknownReference {
                            location: format!("tree.{}.parent", ids.get(i).map_or("?", |s| s)),
                            kind: "unit".into(),
                            id: p.to_string(),
                        })
                    }
                }
            });
        }
        let index = Self::id_index(ids.iter())?;
        Self::build(ids, parent, index)
    }

    /// Each unit id's index (`None` when every id is its index in
    /// decimal); an empty or duplicate id is an error.
    fn id_index<'a>(
        ids: impl ExactSizeIterator<Item = &'a String> + Clone,
    ) -> Result<Option<HashMap<String, u32>>> {
        if u32::try_from(ids.len()).is_err() {
            return Err(Error::invalid("tree", "too many units"));
        }
        if ids
            .clone()
            .enumerate()
            .all(|(i, id)| as_index(id) == Some(i))
        {
            return Ok(None);
        }
        let mut index = HashMap::with_capacity(ids.len());
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                return Err(Error::MissingValue {
                    location: format!("tree[{i}].id"),
                    what: "unit id".into(),
                });
            }
            if index.insert(id.clone(), i as u32).is_some() {
                return Err(Error::DuplicateId {
                    location: format!("tree.{id}"),
                    id: id.clone(),
                });
            }
        }
        Ok(Some(index))
    }

    /// Index of `id` among `n` units with the given index.
    fn lookup(index: Option<&HashMap<String, u32>>, n: usize, id: &str) -> Option<usize> {
        match index {
            Some(map) => map.get(id).map(|&i| i as usize),
            None => as_index(id).filter(|&i| i < n),
        }
    }

    fn build(
        ids: Vec<String>,
        parent: Vec<Option<u32>>,
        index: Option<HashMap<String, u32>>,
    ) -> Result<OrgTree> {
        let n = ids.len();
        // Cycle detection: colour 0 = unvisited, 1 = on the current path, 2 = done.
        let mut colour = vec![0u8; n];
        let mut path: Vec<usize> = Vec::new();
        for start in 0..n {
            path.clear();
            let mut cur = Some(start);
            while let Some(c) = cur {
                match colour[c] {
                    2 => break,
                    1 => {
                        let pos = path.iter().position(|&p| p == c).unwrap_or(0);
                        let mut cycle: Vec<&str> =
                            path[pos..].iter().map(|&p| ids[p].as_str()).collect();
                        cycle.push(ids[c].as_str());
                        return Err(Error::TreeCycle {
                            location: cycle.join(" -> "),
                        });
                    }
                    _ => {
                        colour[c] = 1;
                        path.push(c);
                        cur = parent[c].map(|p| p as usize);
                    }
                }
            }
            for &p in &path {
                colour[p] = 2;
            }
        }
        let mut counts = vec![0u32; n + 1];
        for p in parent.iter().flatten() {
            counts[*p as usize + 1] += 1;
        }
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let child_start = counts.clone();
        let mut fill = counts;
        let mut child_list = vec![0u32; child_start[n] as usize];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                let slot = &mut fill[*p as usize];
                child_list[*slot as usize] = i as u32;
                *slot += 1;
            }
        }
        let roots: Vec<u32> = (0..n as u32)
            .filter(|&i| parent[i as usize].is_none())
            .collect();
        let mut preorder = Vec::with_capacity(n);
        let mut depth = vec![0u32; n];
        let mut stack: Vec<u32> = roots.iter().rev().copied().collect();
        while let Some(u) = stack.pop() {
            preorder.push(u);
            let (a, b) = (
                child_start[u as usize] as usize,
                child_start[u as usize + 1] as usize,
            );
            for &c in child_list[a..b].iter().rev() {
                depth[c as usize] = depth[u as usize] + 1;
                stack.push(c);
            }
        }
        Ok(OrgTree {
            ids,
            parent,
            child_start,
            child_list,
            preorder,
            roots,
            depth,
            index,
        })
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no units.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Unit ids in input order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The id of unit `i`.
    pub fn id(&self, i: usize) -> &str {
        self.ids.get(i).map_or("", |s| s.as_str())
    }

    /// Index of a unit id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        Self::lookup(self.index.as_ref(), self.ids.len(), id)
    }

    /// Parent index of unit `i`.
    pub fn parent(&self, i: usize) -> Option<usize> {
        self.parent.get(i).copied().flatten().map(|p| p as usize)
    }

    /// Children of unit `i`, in input order.
    pub fn children(&self, i: usize) -> &[u32] {
        match (self.child_start.get(i), self.child_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.child_list[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Root units, in input order.
    pub fn roots(&self) -> &[u32] {
        &self.roots
    }

    /// Every unit after its parent (depth-first, children in input order).
    pub fn preorder(&self) -> &[u32] {
        &self.preorder
    }

    /// Depth of unit `i` (roots have depth 0).
    pub fn depth(&self, i: usize) -> usize {
        self.depth.get(i).copied().unwrap_or(0) as usize
    }

    /// The units as `{id, parent}` specs, in input order.
    pub fn to_specs(&self) -> Vec<UnitSpec> {
        (0..self.len())
            .map(|i| UnitSpec {
                id: self.ids[i].clone(),
                parent: self.parent(i).map(|p| self.ids[p].clone()),
            })
            .collect()
    }

    /// Parent indices (`-1` for roots), the array form used by Python.
    pub fn parent_indices(&self) -> Vec<i64> {
        (0..self.len())
            .map(|i| self.parent(i).map_or(-1, |p| p as i64))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(list: &[(&str, Option<&str>)]) -> Vec<UnitSpec> {
        list.iter()
            .map(|(id, p)| UnitSpec {
                id: id.to_string(),
                parent: p.map(|s| s.to_string()),
            })
            .collect()
    }

    #[test]
    fn ids_that_are_their_indices_are_looked_up_without_a_map() {
        // generated ids "0", "1", "2" (and the same ids given): an id is
        // its index in plain decimal, nothing else is one
        let t = OrgTree::from_parents(&[-1, 0, 0], None).unwrap();
        assert!(t.index.is_none());
        for (id, want) in [("0", Some(0)), ("2", Some(2)), ("3", None), ("02", None)] {
            assert_eq!(t.index_of(id), want, "{id}");
        }
        for id in ["+1", " 1", "1 ", "", "-0", "1.0", "99999999999999999999999"] {
            assert_eq!(t.index_of(id), None, "{id:?}");
        }
        let given = ["0", "1", "2"].map(String::from).to_vec();
        let same = OrgTree::from_parents(&[-1, 0, 0], Some(given)).unwrap();
        assert_eq!(same, t);
        // the same tree from specs, parents named by id
        let specs = OrgTree::new(spec(&[("0", None), ("1", Some("0")), ("2", Some("0"))])).unwrap();
        assert_eq!(specs, t);
        // other ids: a map (and "01" is an id like any other)
        let t = OrgTree::new(spec(&[("01", None), ("1", Some("01")), ("0", Some("1"))])).unwrap();
        assert!(t.index.is_some());
        assert_eq!(t.index_of("01"), Some(0));
        assert_eq!(t.index_of("0"), Some(2));
        assert_eq!(t.parent(2), Some(1));
        // a parent id past the units is unknown, as with a map
        let err = OrgTree::new(spec(&[("0", None), ("1", Some("2"))])).unwrap_err();
        assert_eq!(err.code(), "unknown_reference");
    }

    #[test]
    fn preorder_and_children() {
        let t = OrgTree::new(spec(&[
            ("b", Some("root")),
            ("root", None),
            ("a", Some("root")),
            ("a1", Some("a")),
            ("other", None),
        ]))
        .unwrap();
        let order: Vec<&str> = t.preorder().iter().map(|&i| t.id(i as usize)).collect();
        assert_eq!(order, ["root", "b", "a", "a1", "other"]);
        assert_eq!(t.children(1), &[0, 2]);
        assert_eq!(t.depth(3), 2);
        assert_eq!(t.parent_indices(), vec![1, -1, 1, 2, -1]);
    }

    #[test]
    fn errors_name_the_unit() {
        let e = OrgTree::new(spec(&[("a", None), ("a", None)])).unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("duplicate_id", "tree.a")
        );
        let e = OrgTree::new(spec(&[("a", Some("zz"))])).unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("unknown_reference", "tree.a.parent")
        );
        let e = OrgTree::new(spec(&[("r", None), ("a", Some("b")), ("b", Some("a"))])).unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("tree_cycle", "a -> b -> a")
        );
        let e = OrgTree::new(spec(&[("s", Some("s"))])).unwrap_err();
        assert_eq!((e.code(), e.location().as_str()), ("tree_cycle", "s -> s"));
        let e = OrgTree::from_parents(&[-1, 5], None).unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("unknown_reference", "tree.1.parent")
        );
        // a parent array builds the same tree as the same units by id,
        // with the same errors
        let ids = || Some(vec!["r".to_string(), "a".into(), "b".into(), "c".into()]);
        let t = OrgTree::from_parents(&[-1, 0, 0, 2], ids()).unwrap();
        let u = OrgTree::new(spec(&[
            ("r", None),
            ("a", Some("r")),
            ("b", Some("r")),
            ("c", Some("b")),
        ]))
        .unwrap();
        assert_eq!(t, u);
        assert_eq!(t.preorder(), &[0, 1, 2, 3]);
        assert_eq!(t.children(2), &[3]);
        let e = OrgTree::from_parents(&[-1, 2, 1], ids().map(|v| v[..3].to_vec())).unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("tree_cycle", "a -> b -> a")
        );
        let e = OrgTree::from_parents(&[-1, 0], Some(vec!["x".into(), "x".into()])).unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("duplicate_id", "tree.x")
        );
        let e = OrgTree::from_parents(&[-1, 0], Some(vec!["x".into(), " ".into()])).unwrap_err();
        assert_eq!(
            (e.code(), e.location().as_str()),
            ("missing_value", "tree[1].id")
        );
        let e = OrgTree::from_parents(&[-1], ids()).unwrap_err();
        assert_eq!(e.code(), "shape_mismatch");
    }
}
