//! Key-case conversion for the JavaScript binding.
//!
//! JSON shapes are snake_case everywhere; the JS binding shows them in
//! camelCase. The conversion renames object keys only where they are field
//! names: the keys of data maps (language maps such as `name`, and the
//! `{competence_id: level}` ratings map, the `{item_id: answer}` answers of
//! `survey.score`) are user data and are left alone.
//! Converting snake → camel → snake gives back the original value.

use serde_json::{Map, Value};

/// Fields whose value, when an object, is a map keyed by data (language tags,
/// competence ids), not by field names.
pub const DATA_MAP_FIELDS: &[&str] = &[
    "name",
    "description",
    "complexity",
    "autonomy",
    "cognitive_domain",
    "descriptor",
    "text",
    "label",
    "ratings",
    "recommendations",
    "levels_by_competence",
    "answers",
    "levels",
    "unit_names",
];

/// `weighted_gap` → `weightedGap`. Only ASCII letters change case: field
/// names are ASCII, [`camel_to_snake`] splits at ASCII capitals only, and
/// the Unicode case tables would add about 16 KB to the WebAssembly module.
pub fn snake_to_camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for (i, ch) in key.chars().enumerate() {
        if ch == '_' && i > 0 {
            upper = true;
        } else if upper {
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// `weightedGap` → `weighted_gap`.
pub fn camel_to_snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for ch in key.chars() {
        if ch.is_ascii_uppercase() {
            out.push('_');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

fn convert(value: Value, f: &dyn Fn(&str) -> String, rename: bool) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let snake = camel_to_snake(&k);
                let is_data = DATA_MAP_FIELDS.contains(&snake.as_str());
                let v = if is_data && v.is_object() {
                    // keep the data keys, but convert values below them
                    match v {
                        Value::Object(inner) => Value::Object(
                            inner
                                .into_iter()
                                .map(|(ik, iv)| (ik, convert(iv, f, true)))
                                .collect(),
                        ),
                        other => other,
                    }
                } else {
                    convert(v, f, true)
                };
                let key = if rename { f(&k) } else { k };
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| convert(v, f, rename)).collect())
        }
        other => other,
    }
}

/// Rename field keys to camelCase (data-map keys untouched).
pub fn to_camel(value: Value) -> Value {
    convert(value, &snake_to_camel, true)
}

/// Rename field keys to snake_case (data-map keys untouched).
pub fn to_snake(value: Value) -> Value {
    convert(value, &camel_to_snake, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_keeps_data_keys() {
        let v = json!({"weighted_gap": 1, "ratings": {"info_lit": 3}, "name": {"en": "x"},
                       "gaps": [{"weighted_gap": 2.0}]});
        let c = to_camel(v.clone());
        assert_eq!(c["weightedGap"], json!(1));
        assert_eq!(c["ratings"]["info_lit"], json!(3));
        assert_eq!(c["gaps"][0]["weightedGap"], json!(2.0));
        assert_eq!(to_snake(c), v);
    }

    #[test]
    fn only_ascii_letters_change_case() {
        assert_eq!(snake_to_camel("min_answered"), "minAnswered");
        assert_eq!(snake_to_camel("area_method_x"), "areaMethodX");
        assert_eq!(snake_to_camel("_private"), "_private");
        assert_eq!(snake_to_camel("top_2_box"), "top2Box");
        assert_eq!(snake_to_camel("niveau_élevé"), "niveauélevé");
        assert_eq!(camel_to_snake("minAnswered"), "min_answered");
        assert_eq!(camel_to_snake("niveauÉlevé"), "niveauÉlevé");
    }
}
