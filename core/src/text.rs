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
pub fn from_json_str<T: DeserializeOwned>(text: &str) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| path_error("json", &e))
}

/// Deserialise a JSON value, reporting the JSON path of the bad field.
pub fn from_json_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| path_error("json", &e))
}

/// Deserialise a TOML text, reporting the path of the bad field.
pub fn from_toml_str<T: DeserializeOwned>(text: &str) -> Result<T> {
    let value: serde_json::Value = toml::from_str(text).map_err(|e| Error::from_toml(&e))?;
    serde_path_to_error::deserialize(value).map_err(|e| path_error("toml", &e))
}

/// Serialise any of our types to a JSON value.
pub fn to_json_value<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::invalid("$", e.to_string()))
}

fn path_error<E: std::fmt::Display>(format: &str, err: &serde_path_to_error::Error<E>) -> Error {
    let path = err.path().to_string();
    let location = if path == "." || path.is_empty() {
        "$".to_string()
    } else {
        path
    };
    let message = err.inner().to_string();
    Error::Parse {
        format: format.to_string(),
        location,
        message,
    }
}
