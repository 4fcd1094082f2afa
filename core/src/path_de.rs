//! Deserialisation of a [`serde_json::Value`] that records where an error
//! happened (`areas[2].competences[0].id`).
//!
//! It replaces `serde_path_to_error` over `serde_json::Value` and gives the
//! same paths and the same messages: the crate wraps a deserializer and
//! every visitor generically, so each configuration type was compiled twice
//! over (the WebAssembly module shrank by about 23 KB gzipped without it).
//! Here one concrete deserializer walks the value itself, so each type's
//! `Deserialize` is instantiated once.
//!
//! Behaviour kept from `serde_path_to_error` 0.1 over `serde_json` 1.0's
//! `Value` deserializer:
//! - the path is the innermost place the error passed through: the field,
//!   element or variant being deserialised; for an unknown field, the field
//!   itself (`inner[0].lvl`); for a missing field or a value buffered by an
//!   untagged or internally tagged enum, the enclosing object;
//! - segments: object keys joined by `.`, array indices as `[i]`, the name
//!   of an enum variant that carries data; an empty path is `$`;
//! - messages are `serde_json`'s (the error type is `serde_json::Error`,
//!   the type checks are those of its `Value` deserializer);
//! - a struct is read from an object, or, with the crate feature
//!   `struct_arrays` (on by default), from an array of its fields in
//!   declaration order, as `serde_json` reads it. Without the feature an
//!   array is refused (`invalid type: sequence, expected struct …`), as the
//!   JSON Schemas say, and the derived code for arrays is left out.
//!
//! Map keys are read as strings (every map we read has string keys).

use std::cell::RefCell;

use serde::de::value::StringDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, Error as _, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde::Deserialize;
use serde_json::{Error, Map, Value};

/// Deserialise `value`; on error, the path where it happened (`$` at the
/// top) and `serde_json`'s error.
pub(crate) fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, (String, Error)> {
    let track = Track::default();
    let de = De {
        value,
        chain: &Chain::Root,
        track: &track,
    };
    T::deserialize(de).map_err(|e| {
        let path = track.path.into_inner().unwrap_or_default();
        (if path.is_empty() { "$".into() } else { path }, e)
    })
}

/// Where the first (innermost) error happened.
#[derive(Default)]
struct Track {
    path: RefCell<Option<String>>,
}

impl Track {
    /// Record `chain` as the error's place unless an inner place already
    /// has been; hand the error on.
    fn trigger(&self, chain: &Chain, err: Error) -> Error {
        let mut path = self.path.borrow_mut();
        if path.is_none() {
            *path = Some(chain.render());
        }
        err
    }
}

/// The place being deserialised, as a linked list up to the root.
enum Chain<'a> {
    Root,
    Seq { parent: &'a Chain<'a>, index: usize },
    Key { parent: &'a Chain<'a>, key: &'a str },
}

impl Chain<'_> {
    /// `a.b[2].c`; empty at the root.
    fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut chain = self;
        loop {
            match chain {
                Chain::Root => break,
                Chain::Seq { parent, index } => {
                    segments.push(Err(*index));
                    chain = parent;
                }
                Chain::Key { parent, key } => {
                    segments.push(Ok(*key));
                    chain = parent;
                }
            }
        }
        // as `serde_path_to_error::Path` displays: `.` between segments,
        // none before an index
        let mut out = String::new();
        let mut separator = "";
        for segment in segments.into_iter().rev() {
            match segment {
                Err(index) => {
                    out.push('[');
                    out.push_str(&index.to_string());
                    out.push(']');
                }
                Ok(key) => {
                    out.push_str(separator);
                    out.push_str(key);
                }
            }
            separator = ".";
        }
        out
    }
}

/// How `serde_json` names a value in type errors.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Unexpected::Unsigned(u)
            } else if let Some(i) = n.as_i64() {
                Unexpected::Signed(i)
            } else {
                Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A value at a place.
struct De<'a> {
    value: Value,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'a> De<'a> {
    fn fail(&self, err: Error) -> Error {
        self.track.trigger(self.chain, err)
    }

    fn invalid_type(&self, exp: &dyn de::Expected) -> Error {
        Error::invalid_type(unexpected(&self.value), exp)
    }

    fn seq<'de, V: Visitor<'de>>(self, array: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
        visit_array(array, visitor, self.chain, self.track).map_err(|e| self.fail(e))
    }

    fn map<'de, V: Visitor<'de>>(
        self,
        object: Map<String, Value>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visit_object(object, visitor, self.chain, self.track).map_err(|e| self.fail(e))
    }
}

/// `serde_json`'s `visit_array`, elements tracked.
fn visit_array<'de, V: Visitor<'de>>(
    array: Vec<Value>,
    visitor: V,
    chain: &Chain,
    track: &Track,
) -> Result<V::Value, Error> {
    let len = array.len();
    let mut seq = Seq {
        iter: array.into_iter(),
        index: 0,
        chain,
        track,
    };
    let out = visitor.visit_seq(&mut seq)?;
    if seq.iter.len() == 0 {
        Ok(out)
    } else {
        Err(Error::invalid_length(len, &"fewer elements in array"))
    }
}

/// `serde_json`'s `visit_object`, keys and values tracked.
fn visit_object<'de, V: Visitor<'de>>(
    object: Map<String, Value>,
    visitor: V,
    chain: &Chain,
    track: &Track,
) -> Result<V::Value, Error> {
    let len = object.len();
    let mut map = Entries {
        iter: object.into_iter(),
        next: None,
        chain,
        track,
    };
    let out = visitor.visit_map(&mut map)?;
    if map.iter.len() == 0 {
        Ok(out)
    } else {
        Err(Error::invalid_length(len, &"fewer elements in map"))
    }
}

/// Deserialize the value of a type that takes part in the path (a compound)
/// or hand a scalar to `serde_json`'s own deserializer.
macro_rules! scalar {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let (track, chain) = (self.track, self.chain);
            self.value.$method(visitor).map_err(|e| track.trigger(chain, e))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for De<'_> {
    type Error = Error;

    scalar! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_identifier deserialize_unit deserialize_ignored_any
    }

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        match std::mem::take(&mut self.value) {
            Value::Array(a) => self.seq(a, visitor),
            Value::Object(o) => self.map(o, visitor),
            other => {
                let (track, chain) = (self.track, self.chain);
                other
                    .deserialize_any(visitor)
                    .map_err(|e| track.trigger(chain, e))
            }
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        match std::mem::take(&mut self.value) {
            Value::Array(a) => self.seq(a, visitor),
            other => {
                let (track, chain) = (self.track, self.chain);
                other
                    .deserialize_byte_buf(visitor)
                    .map_err(|e| track.trigger(chain, e))
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (track, chain) = (self.track, self.chain);
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| track.trigger(chain, e))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (track, chain) = (self.track, self.chain);
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| track.trigger(chain, e))
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        match std::mem::take(&mut self.value) {
            Value::Array(a) => self.seq(a, visitor),
            other => {
                self.value = other;
                Err(self.fail(self.invalid_type(&visitor)))
            }
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        match std::mem::take(&mut self.value) {
            Value::Object(o) => self.map(o, visitor),
            other => {
                self.value = other;
                Err(self.fail(self.invalid_type(&visitor)))
            }
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match std::mem::take(&mut self.value) {
            // serde_json reads a struct from an array too (fields in
            // declaration order); without the feature the derived
            // `visit_seq` of every struct is never called, and dropped
            #[cfg(feature = "struct_arrays")]
            Value::Array(a) => self.seq(a, visitor),
            Value::Object(o) => self.map(o, visitor),
            other => {
                self.value = other;
                Err(self.fail(self.invalid_type(&visitor)))
            }
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (variant, value) = match std::mem::take(&mut self.value) {
            Value::Object(o) => {
                let mut iter = o.into_iter();
                match (iter.next(), iter.next()) {
                    (Some((variant, value)), None) => (variant, Some(value)),
                    _ => {
                        let e = Error::invalid_value(Unexpected::Map, &"map with a single key");
                        return Err(self.fail(e));
                    }
                }
            }
            Value::String(variant) => (variant, None),
            other => {
                let e = Error::invalid_type(unexpected(&other), &"string or map");
                return Err(self.fail(e));
            }
        };
        let (track, chain) = (self.track, self.chain);
        visitor
            .visit_enum(Enum {
                variant,
                value,
                chain,
                track,
            })
            .map_err(|e| track.trigger(chain, e))
    }
}

/// The elements of an array.
struct Seq<'a> {
    iter: std::vec::IntoIter<Value>,
    index: usize,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de> SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.iter.next() else {
            return Ok(None);
        };
        let chain = Chain::Seq {
            parent: self.chain,
            index: self.index,
        };
        self.index += 1;
        let de = De {
            value,
            chain: &chain,
            track: self.track,
        };
        seed.deserialize(de)
            .map(Some)
            .map_err(|e| self.track.trigger(&chain, e))
    }

    fn size_hint(&self) -> Option<usize> {
        match self.iter.size_hint() {
            (lower, Some(upper)) if lower == upper => Some(upper),
            _ => None,
        }
    }
}

/// The entries of an object.
struct Entries<'a> {
    iter: <Map<String, Value> as IntoIterator>::IntoIter,
    next: Option<(String, Value)>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        let de: StringDeserializer<Error> = key.clone().into_deserializer();
        match seed.deserialize(de) {
            Ok(k) => {
                self.next = Some((key, value));
                Ok(Some(k))
            }
            Err(e) => {
                let chain = Chain::Key {
                    parent: self.chain,
                    key: &key,
                };
                Err(self.track.trigger(&chain, e))
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.next.take() else {
            return Err(Error::custom("value is missing"));
        };
        let chain = Chain::Key {
            parent: self.chain,
            key: &key,
        };
        let de = De {
            value,
            chain: &chain,
            track: self.track,
        };
        seed.deserialize(de)
            .map_err(|e| self.track.trigger(&chain, e))
    }

    fn size_hint(&self) -> Option<usize> {
        match self.iter.size_hint() {
            (lower, Some(upper)) if lower == upper => Some(upper),
            _ => None,
        }
    }
}

/// An enum: a variant name, with its content when it carries data.
struct Enum<'a> {
    variant: String,
    value: Option<Value>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de, 'a> EnumAccess<'de> for Enum<'a> {
    type Error = Error;
    type Variant = Variant<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Variant<'a>), Error> {
        let de: StringDeserializer<Error> = self.variant.clone().into_deserializer();
        let v = seed
            .deserialize(de)
            .map_err(|e| self.track.trigger(self.chain, e))?;
        Ok((
            v,
            Variant {
                variant: self.variant,
                value: self.value,
                chain: self.chain,
                track: self.track,
            },
        ))
    }
}

/// The content of an enum variant; its place is the variant's name.
struct Variant<'a> {
    variant: String,
    value: Option<Value>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de> VariantAccess<'de> for Variant<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        let chain = Chain::Key {
            parent: self.chain,
            key: &self.variant,
        };
        match self.value {
            Some(value) => <()>::deserialize(value).map_err(|e| self.track.trigger(&chain, e)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let chain = Chain::Key {
            parent: self.chain,
            key: &self.variant,
        };
        let result = match self.value {
            Some(value) => seed.deserialize(De {
                value,
                chain: &chain,
                track: self.track,
            }),
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        };
        result.map_err(|e| self.track.trigger(&chain, e))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let chain = Chain::Key {
            parent: self.chain,
            key: &self.variant,
        };
        let result = match self.value {
            Some(Value::Array(v)) if v.is_empty() => visitor.visit_unit(),
            Some(Value::Array(v)) => visit_array(v, visitor, &chain, self.track),
            Some(other) => Err(Error::invalid_type(unexpected(&other), &"tuple variant")),
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        };
        result.map_err(|e| self.track.trigger(&chain, e))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let chain = Chain::Key {
            parent: self.chain,
            key: &self.variant,
        };
        let result = match self.value {
            Some(Value::Object(o)) => visit_object(o, visitor, &chain, self.track),
            Some(other) => Err(Error::invalid_type(unexpected(&other), &"struct variant")),
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        };
        result.map_err(|e| self.track.trigger(&chain, e))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Differential test against `serde_path_to_error` (the deserialiser
    //! this module replaces): every operation of the shared vectors, with
    //! its input mutated at random places, must give the same result, or
    //! the same error code, location and message, either way.
    use std::cell::Cell;

    use serde::de::DeserializeOwned;
    use serde_json::{json, Value};

    thread_local! {
        /// Deserialise through `serde_path_to_error` (the reference).
        pub(crate) static LEGACY: Cell<bool> = const { Cell::new(false) };
    }

    /// `serde_path_to_error` over `serde_json::Value`, as `text.rs` used it.
    pub(crate) fn legacy<T: DeserializeOwned>(
        value: Value,
    ) -> Result<T, (String, serde_json::Error)> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." || path.is_empty() {
                "$".to_string()
            } else {
                path
            };
            (path, e.into_inner())
        })
    }

    /// The reference reads a struct from an array too: the comparison
    /// needs the crate feature `struct_arrays`.
    #[cfg(feature = "struct_arrays")]
    mod differential {
        use std::path::Path;

        use serde_json::{json, Value};

        use super::LEGACY;
        use crate::api;

        type Outcome = Result<Value, (String, String, String)>;

        fn run(op: &str, input: &Value, legacy: bool) -> Outcome {
            LEGACY.set(legacy);
            let out = api::call(op, input.clone())
                .map_err(|e| (e.code().to_string(), e.location(), e.to_string()));
            LEGACY.set(false);
            out
        }

        /// xorshift64*: deterministic, no dependency.
        struct Rng(u64);

        impl Rng {
            fn next(&mut self) -> u64 {
                self.0 ^= self.0 >> 12;
                self.0 ^= self.0 << 25;
                self.0 ^= self.0 >> 27;
                self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
            }
            fn below(&mut self, n: usize) -> usize {
                (self.next() % n as u64) as usize
            }
        }

        /// Paths (as index/key steps) of every node of `v`.
        fn nodes(
            v: &Value,
            here: &mut Vec<Result<usize, String>>,
            out: &mut Vec<Vec<Result<usize, String>>>,
        ) {
            out.push(here.clone());
            match v {
                Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        here.push(Ok(i));
                        nodes(x, here, out);
                        here.pop();
                    }
                }
                Value::Object(o) => {
                    for (k, x) in o {
                        here.push(Err(k.clone()));
                        nodes(x, here, out);
                        here.pop();
                    }
                }
                _ => {}
            }
        }

        fn at<'v>(v: &'v mut Value, path: &[Result<usize, String>]) -> &'v mut Value {
            let mut v = v;
            for step in path {
                v = match step {
                    Ok(i) => &mut v[*i],
                    Err(k) => &mut v[k.as_str()],
                };
            }
            v
        }

        fn mutate(input: &Value, rng: &mut Rng) -> Value {
            let mut v = input.clone();
            for _ in 0..=rng.below(2) {
                let mut all = Vec::new();
                nodes(&v, &mut Vec::new(), &mut all);
                // below the top level where there is anything below it
                let path = if all.len() > 1 {
                    &all[1 + rng.below(all.len() - 1)]
                } else {
                    &all[0]
                };
                let node = at(&mut v, path);
                let replacements = [
                    json!(null),
                    json!(true),
                    json!(-1),
                    json!(0),
                    json!(2),
                    json!(1.5),
                    json!("x"),
                    json!(""),
                    json!([]),
                    json!({}),
                    json!([1]),
                    json!({"zz": 1}),
                    json!("self"),
                    json!({"kind": "thresholds"}),
                ];
                match (rng.below(4), &mut *node) {
                    (0, Value::Object(o)) => {
                        o.insert("zz_unknown".into(), json!(1));
                    }
                    (1, Value::Object(o)) if !o.is_empty() => {
                        let k = o
                            .keys()
                            .nth(rng.below(o.len()))
                            .cloned()
                            .unwrap_or_default();
                        o.remove(&k);
                    }
                    (1, Value::Array(a)) if !a.is_empty() => {
                        let i = rng.below(a.len());
                        a.remove(i);
                    }
                    _ => *node = replacements[rng.below(replacements.len())].clone(),
                }
            }
            v
        }

        /// The inputs of the shared vectors, with built-in names also given as
        /// objects (so the framework and model types are walked too).
        fn seeds() -> Vec<(String, Value)> {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
            let mut out = Vec::new();
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            let digcomp =
                crate::text::to_json_value(&crate::Framework::builtin("digcomp-2.2").unwrap())
                    .unwrap();
            for file in files {
                let doc: Value =
                    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
                let Some(cases) = doc["cases"].as_array() else {
                    continue;
                };
                for case in cases {
                    let (Some(op), Some(input)) = (case["op"].as_str(), case.get("input")) else {
                        continue;
                    };
                    if !api::OPERATIONS.contains(&op) || !input.is_object() {
                        continue;
                    }
                    out.push((op.to_string(), input.clone()));
                    if input["framework"] == json!("digcomp-2.2") {
                        let mut with = input.clone();
                        with["framework"] = digcomp.clone();
                        out.push((op.to_string(), with));
                    }
                    #[cfg(feature = "maturity")]
                    if let Some(name) = input["model"].as_str() {
                        if let Ok(m) = crate::maturity::MaturityModel::builtin(name) {
                            let mut with = input.clone();
                            with["model"] = crate::text::to_json_value(&m).unwrap();
                            out.push((op.to_string(), with));
                        }
                    }
                }
            }
            out
        }

        #[test]
        fn same_results_and_errors_as_serde_path_to_error() {
            let seeds = seeds();
            assert!(seeds.len() > 50, "{} seeds", seeds.len());
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
            let (mut errors, mut total) = (0, 0);
            for (op, input) in &seeds {
                let mutations = if input.to_string().len() > 20_000 {
                    8
                } else {
                    40
                };
                for i in 0..=mutations {
                    let v = if i == 0 {
                        input.clone()
                    } else {
                        mutate(input, &mut rng)
                    };
                    let new = run(op, &v, false);
                    let old = run(op, &v, true);
                    assert_eq!(new, old, "{op} with {v}");
                    total += 1;
                    errors += usize::from(new.is_err());
                }
            }
            // the mutations must reach the deserialiser's error paths
            assert!(errors * 3 > total, "{errors} errors in {total} runs");
        }
    }

    #[test]
    fn paths_of_each_kind() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "snake_case")]
        #[allow(dead_code)]
        enum E {
            Unit,
            New(u8),
            Tup(u8, u8),
            Rec { a: u8 },
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            e: Vec<E>,
            o: Option<Box<S>>,
            t: Option<(u8, String)>,
        }
        for bad in [
            json!({"e": ["unit", {"new": 300}]}),
            json!({"e": [{"tup": [1, "x"]}]}),
            json!({"e": [{"tup": [1]}]}),
            json!({"e": [{"rec": {"a": 1, "b": 2}}]}),
            json!({"e": [{"rec": {}}]}),
            json!({"e": [{"rec": 3}]}),
            json!({"e": ["rec"]}),
            json!({"e": ["new"]}),
            json!({"e": [{"unit": 1}]}),
            json!({"e": [{"nope": 1}]}),
            json!({"e": [{"unit": null, "new": 1}]}),
            json!({"e": [7]}),
            json!({"e": [], "o": {"e": [], "o": {"e": {}}}}),
            json!({"e": [], "t": [1, 2, 3]}),
            json!({"e": [], "t": [1]}),
            json!({"e": [], "t": {"a": 1}}),
            #[cfg(feature = "struct_arrays")]
            json!([[]]),
            #[cfg(feature = "struct_arrays")]
            json!([[], null, null, 4]),
            json!({"": 1}),
            json!(4),
        ] {
            let new = super::from_value::<S>(bad.clone()).map_err(|(p, e)| (p, e.to_string()));
            let old = legacy::<S>(bad.clone()).map_err(|(p, e)| (p, e.to_string()));
            assert_eq!(new.map(|_| ()), old.map(|_| ()), "{bad}");
        }
    }

    #[test]
    #[cfg(not(feature = "struct_arrays"))]
    fn structs_are_objects_without_struct_arrays() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct P {
            min: f64,
            max: f64,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Q {
            scale: P,
        }
        let (path, e) = super::from_value::<Q>(json!({"scale": [1, 5]})).unwrap_err();
        assert_eq!(path, "scale");
        assert_eq!(e.to_string(), "invalid type: sequence, expected struct P");
        assert!(super::from_value::<Q>(json!({"scale": {"min": 1, "max": 5}})).is_ok());
    }
}
