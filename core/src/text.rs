//! Text in several languages and the JSON/TOML loading helpers shared by
//! every configuration type.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A text in several languages, keyed by language tag (`"en"`, `"sv"`).
///
/// [`Text::get`] falls back to English, then to any language, so a missing
/// translation never hides a label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    /// A text with an English and a Swedish version.
    pub fn en_sv(en: &str, sv: &str) -> Self {
        let mut map = BTreeMap::new();
        map.insert("en".to_string(), en.to_string());
        map.insert("sv".to_string(), sv.to_string());
        Text(map)
    }

    /// The text in `lang`, else English, else the first language present,
    /// else the empty string.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// True when no language has a text.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|s| s.is_empty())
    }
}

/// Deserialise a JSON text, reporting the JSON path of the bad field.
///
/// The text is read into a [`serde_json::Value`] first and the value is then
/// deserialised with [`from_json_value`], so every type has one deserialiser
/// (from a value) whether its input is text or an already parsed value: that
/// halves the generated code (the WebAssembly module is measurably smaller)
/// and gives the same error paths either way. A syntax error is located by
/// line and column (`line 3, column 7`).
pub fn from_json_str<T: DeserializeOwned>(text: &str) -> Result<T> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::from_json(&e, ""))?;
    from_json_value(value)
}

/// Deserialise a JSON value, reporting the JSON path of the bad field.
pub fn from_json_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    #[cfg(test)]
    if crate::path_de::tests::LEGACY.get() {
        return crate::path_de::tests::legacy(value)
            .map_err(|(location, e)| path_error("json", location, &e));
    }
    crate::path_de::from_value(value).map_err(|(location, e)| path_error("json", location, &e))
}

/// Deserialise a TOML text, reporting the path of the bad field.
#[cfg(feature = "toml")]
pub fn from_toml_str<T: DeserializeOwned>(text: &str) -> Result<T> {
    let value: serde_json::Value = toml::from_str(text).map_err(|e| Error::from_toml(&e))?;
    crate::path_de::from_value(value).map_err(|(location, e)| path_error("toml", location, &e))
}

/// TOML input without the crate feature `toml` (on by default): there is no
/// TOML reader, so this returns [`Error::UnsupportedFormat`] (location
/// `format`). It deserialises nothing, so no per-type code is generated.
#[cfg(not(feature = "toml"))]
pub fn from_toml_str<T: DeserializeOwned>(_text: &str) -> Result<T> {
    Err(Error::UnsupportedFormat {
        location: "format".into(),
        format: "toml".into(),
    })
}

/// Serialise any of our types to a JSON value.
pub fn to_json_value<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::invalid("$", e.to_string()))
}

fn path_error(format: &str, location: String, err: &serde_json::Error) -> Error {
    Error::Parse {
        format: format.to_string(),
        location,
        message: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Framework;
    use serde_json::json;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        level: u8,
    }

    #[test]
    fn text_and_value_give_the_same_paths() {
        let bad = r#"{"inner": [{"level": 1}, {"level": "x"}]}"#;
        let from_text = from_json_str::<Outer>(bad).unwrap_err();
        let value: serde_json::Value = serde_json::from_str(bad).unwrap();
        let from_value = from_json_value::<Outer>(value).unwrap_err();
        assert_eq!(from_text.location(), "inner[1].level");
        assert_eq!(from_value.location(), "inner[1].level");
        let unknown = from_json_str::<Outer>(r#"{"inner": [{"level": 1, "lvl": 2}]}"#).unwrap_err();
        assert_eq!(
            (unknown.code(), unknown.location().as_str()),
            ("parse_error", "inner[0].lvl")
        );
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        // the second line is ` "inner": }`: the value is missing at column 11
        let e = from_json_str::<Outer>("{\n \"inner\": }").unwrap_err();
        assert_eq!(e.code(), "parse_error");
        assert_eq!(e.location(), "line 2, column 11");
    }

    #[test]
    #[cfg(not(feature = "toml"))]
    fn toml_is_unsupported_without_the_feature() {
        let e = Framework::from_toml("id = \"x\"").unwrap_err();
        assert_eq!(
            (e.code(), e.category(), e.location().as_str()),
            ("unsupported_format", "parse", "format")
        );
        let e = crate::api::call(
            "framework.load",
            json!({"text": "id = 1", "format": "toml"}),
        )
        .unwrap_err();
        assert_eq!(e.code(), "unsupported_format");
        assert_eq!(e.location(), "format");
    }

    #[test]
    #[cfg(feature = "toml")]
    fn toml_is_read_with_the_feature() {
        let e = Framework::from_toml("id = 3").unwrap_err();
        assert_eq!((e.code(), e.location().as_str()), ("parse_error", "id"));
        let v = crate::api::call(
            "framework.load",
            json!({"text": "id = 1", "format": "toml"}),
        );
        assert_eq!(v.unwrap_err().code(), "parse_error");
    }
}
