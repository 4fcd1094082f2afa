//! The maturity model as data: dimensions → categories → capabilities →
//! items, with weights, response scales, reverse keying, an optional
//! quadrant classification, optional bands and an optional questionnaire of
//! typed questions (EU DMA).

use std::collections::{BTreeSet, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::{from_json_str, from_toml_str, Text};

const DIMIOS: &str = include_str!("../../data/maturity/dimios.json");
const DIMIOS_EXAMPLE: &str = include_str!("../../data/maturity/dimios-example-instrument.json");
const EDIH_DMA_PSO: &str = include_str!("../../data/maturity/edih-dma-pso.json");

/// Names of the built-in maturity models.
pub const BUILTIN_MODELS: &[&str] = &["dimios", "edih-dma-pso"];

fn one() -> f64 {
    1.0
}

fn is_one(w: &f64) -> bool {
    *w == 1.0
}

/// A maturity model such as DiMiOS.
///
/// Item-based scoring ([`MaturityModel::score`]) uses `dimensions` →
/// `categories` → `capabilities` → `items`; questionnaire scoring
/// ([`MaturityModel::score_dma`]) uses `questionnaire`, whose questions
/// refer to `dimensions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaturityModel {
    /// Stable id, e.g. `dimios`.
    pub id: String,
    /// Version of the model data.
    pub version: String,
    /// Name per language.
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// Where the model comes from (publication, URL-free citation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Notes: what is documented and what is an assumption.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// Default response scale of items that do not give their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ItemScale>,
    /// Dimensions, in order.
    pub dimensions: Vec<Dimension>,
    /// Where the items come from (e.g. an example instrument).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<InstrumentInfo>,
    /// Quadrant classification into types (DiMiOS A–D).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    /// Bands of the overall percentage (EU DMA: Basic … Advanced).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    /// Typed questions (EU DMA), scored by [`score_dma`](crate::maturity::score_dma).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questionnaire: Option<Questionnaire>,
}

/// A dimension (DiMiOS: Digital förmåga, Digitalt arv).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Id, unique among dimensions.
    pub id: String,
    /// Name per language.
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// Weight in the overall result (default 1: equal weights).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Categories, in order (may be empty when the model has a questionnaire).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
}

/// A category within a dimension (DiMiOS: Effektivitet, …, Teknik).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Id, unique among all categories of the model.
    pub id: String,
    /// Name per language.
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// Weight within the dimension (default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Capabilities, in order; never empty.
    pub capabilities: Vec<Capability>,
}

/// A capability within a category (DiMiOS: e.g. systemförvaltning).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    /// Id, unique among all capabilities of the model.
    pub id: String,
    /// Name per language.
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// Weight within the category (default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// The capability is reverse-scored: more agreement means less maturity
    /// (DiMiOS: shadow IT, technical debt). Its items are reverse keyed
    /// unless an item says otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reverse_scored: bool,
    /// Items (statements), in order; may be empty in a structure-only model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
}

/// One item (statement) of a capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Id, unique among all items of the model; the column name of responses.
    pub id: String,
    /// Statement per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub text: Text,
    /// Weight within the capability (default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Response scale; default the model's `scale`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ItemScale>,
    /// Reverse keyed (`min + max − x`); default the capability's
    /// `reverse_scored`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<bool>,
}

/// A numeric response scale with its nominal ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemScale {
    /// Lowest possible answer (nominal end, e.g. 1).
    pub min: f64,
    /// Highest possible answer (nominal end, e.g. 6).
    pub max: f64,
    /// Labels of the answer values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<ScaleLabel>,
}

/// The label of one answer value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleLabel {
    /// The value.
    pub value: f64,
    /// Label per language.
    pub name: Text,
}

/// Where a model's items come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentInfo {
    /// Instrument id.
    pub id: String,
    /// Name per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    /// True for an example instrument that is not the official questionnaire.
    #[serde(default)]
    pub example: bool,
    /// Note per language (licence, status).
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub note: Text,
}

/// A set of items mapped to a model's capabilities: the form in which users
/// load their own (e.g. licensed) statements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Instrument id.
    pub id: String,
    /// Name per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    /// True for an example instrument that is not the official questionnaire.
    #[serde(default)]
    pub example: bool,
    /// Note per language (licence, status).
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub note: Text,
    /// Id of the model whose capabilities the items refer to (checked when
    /// given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Default response scale of the items; default the model's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ItemScale>,
    /// The items, in order.
    pub items: Vec<InstrumentItem>,
}

/// One item of an [`Instrument`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentItem {
    /// Item id (column name of responses).
    pub id: String,
    /// Capability id the item measures.
    pub capability: String,
    /// Statement per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub text: Text,
    /// Weight within the capability (default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Response scale; default the instrument's, then the model's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ItemScale>,
    /// Reverse keyed; default the capability's `reverse_scored`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<bool>,
}

/// Low or high side of a cut point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Below the cut.
    Low,
    /// Above the cut.
    High,
}

/// Whether a text is documented by the model's owner or written by us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// From the model's public documentation.
    Documented,
    /// Written by the kompetens authors to match; not from the model's owner.
    Ours,
}

/// Quadrant classification on two dimensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// Dimension on the x axis (DiMiOS: `formaga`); its cut is the setting
    /// `quadrant_cut_x`.
    pub x: String,
    /// Dimension on the y axis (DiMiOS: `arv`); its cut is the setting
    /// `quadrant_cut_y`.
    pub y: String,
    /// One type per quadrant.
    pub types: Vec<MaturityType>,
}

/// One type of a quadrant classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaturityType {
    /// Type id, e.g. `A`.
    pub id: String,
    /// Side of the x cut.
    pub x: Side,
    /// Side of the y cut.
    pub y: Side,
    /// Name per language.
    pub name: Text,
    /// Description per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// General recommendations, each per language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<Text>,
    /// Whether the description is documented or ours.
    pub origin: Origin,
}

/// A band of percentages (EU DMA: Basic 0–25 …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Band id.
    pub id: String,
    /// Name per language.
    pub name: Text,
    /// Lowest published value of the band (inclusive).
    pub min: f64,
    /// Highest published value of the band (inclusive).
    pub max: f64,
}

/// A questionnaire of typed questions (EU DMA).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Note per language (source, status of texts).
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub note: Text,
    /// Questions, in order.
    pub questions: Vec<Question>,
}

/// Kind of a questionnaire question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Tick all options that apply; scored by the share ticked.
    Checklist,
    /// Rows × (done, planned) tick boxes.
    Grid,
    /// Rows on a numeric scale (EU DMA: 0–5 adoption).
    Scale,
    /// Rows answered no / partially / yes.
    NoPartiallyYes,
}

/// How a grid question is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GridScoring {
    /// One part: a row scores 1 when done, the planned weight when only
    /// planned, else 0.
    Combined,
    /// Two parts: the share of rows done and the share of rows planned, each
    /// scaled to 10 (EU DMA interoperability).
    Split,
}

/// Column ids of a grid question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GridColumns {
    /// Id of the "already done" column (e.g. `invested`, `implemented`).
    pub done: String,
    /// Id of the "planned" column.
    pub planned: String,
    /// Name of the done column per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub done_name: Text,
    /// Name of the planned column per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub planned_name: Text,
}

/// An option of a checklist or a row of a grid/scale question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Id, unique within the question.
    pub id: String,
    /// Text per language.
    pub text: Text,
}

/// One question of a [`Questionnaire`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Id, unique within the questionnaire.
    pub id: String,
    /// Dimension id.
    pub dimension: String,
    /// Kind of question.
    pub kind: QuestionKind,
    /// Question text per language.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub text: Text,
    /// Weight within the dimension (default 1: equal).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Options of a checklist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// Rows of a grid, scale or no/partially/yes question.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Choice>,
    /// Columns of a grid question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<GridColumns>,
    /// Scoring of a grid question (default `combined`; the setting
    /// `grid_scoring` overrides it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<GridScoring>,
    /// Scale of a scale question (default 0–5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ItemScale>,
}

/// An item with its place in the model, as yielded by
/// [`MaturityModel::items`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemRef<'a> {
    /// Index of the dimension.
    pub dimension: usize,
    /// Index of the category (over the whole model).
    pub category: usize,
    /// Index of the capability (over the whole model).
    pub capability: usize,
    /// The item.
    pub item: &'a Item,
    /// The item's effective scale.
    pub scale: &'a ItemScale,
    /// Whether the item is reverse keyed.
    pub reverse: bool,
}

impl MaturityModel {
    /// A built-in model: `"dimios"` (with the example instrument attached,
    /// see [`MaturityModel::example_instrument`]) or `"edih-dma-pso"`.
    pub fn builtin(name: &str) -> Result<MaturityModel> {
        match name {
            "dimios" | "DiMiOS" => {
                let model = MaturityModel::from_json(DIMIOS)?;
                let example: Instrument = from_json_str(DIMIOS_EXAMPLE)?;
                model.with_instrument(&example)
            }
            "edih-dma-pso" | "dma-pso" => MaturityModel::from_json(EDIH_DMA_PSO),
            _ => Err(Error::UnknownBuiltin {
                kind: "maturity model".into(),
                name: name.into(),
                available: BUILTIN_MODELS.join(", "),
            }),
        }
    }

    /// Score one measurement: `columns` names the item of each column of
    /// `values` (respondents × items, NaN = missing). See
    /// [`crate::maturity::score()`].
    pub fn score(
        &self,
        columns: &[String],
        values: ndarray::ArrayView2<'_, f64>,
        settings: &crate::maturity::MaturitySettings,
    ) -> Result<crate::maturity::MeasurementResult> {
        crate::maturity::score(self, columns, values, settings)
    }

    /// Score questionnaire answers (EU DMA). See
    /// [`crate::maturity::score_dma`].
    pub fn score_dma(
        &self,
        answers: &[crate::maturity::Answer],
        settings: &crate::maturity::DmaSettings,
    ) -> Result<crate::maturity::DmaResult> {
        crate::maturity::score_dma(self, answers, settings)
    }

    /// Load and validate a model from JSON.
    pub fn from_json(text: &str) -> Result<MaturityModel> {
        let model: MaturityModel = from_json_str(text)?;
        model.validate()?;
        Ok(model)
    }

    /// Load and validate a model from TOML.
    /// Needs the crate feature `toml` (default); without it this returns
    /// [`Error::UnsupportedFormat`](crate::Error::UnsupportedFormat).
    pub fn from_toml(text: &str) -> Result<MaturityModel> {
        let model: MaturityModel = from_toml_str(text)?;
        model.validate()?;
        Ok(model)
    }

    /// Serialise to pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::invalid("$", e.to_string()))
    }

    /// The example instrument shipped with a built-in model (DiMiOS: one
    /// statement per capability in our own words, **not** the official,
    /// licensed questionnaire).
    pub fn example_instrument(&self) -> Result<Instrument> {
        match self.id.as_str() {
            "dimios" => from_json_str(DIMIOS_EXAMPLE),
            _ => Err(Error::UnknownBuiltin {
                kind: "example instrument".into(),
                name: self.id.clone(),
                available: "dimios".into(),
            }),
        }
    }

    /// The model's current items as a flat [`Instrument`].
    pub fn instrument(&self) -> Instrument {
        let info = self.instrument.clone();
        let items = self
            .dimensions
            .iter()
            .flat_map(|d| d.categories.iter())
            .flat_map(|c| c.capabilities.iter())
            .flat_map(|cap| {
                cap.items.iter().map(move |it| InstrumentItem {
                    id: it.id.clone(),
                    capability: cap.id.clone(),
                    text: it.text.clone(),
                    weight: it.weight,
                    scale: it.scale.clone(),
                    reverse: it.reverse,
                })
            })
            .collect();
        Instrument {
            id: info
                .as_ref()
                .map(|i| i.id.clone())
                .unwrap_or_else(|| format!("{}-items", self.id)),
            name: info.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
            example: info.as_ref().is_some_and(|i| i.example),
            note: info.map(|i| i.note).unwrap_or_default(),
            model: Some(self.id.clone()),
            scale: None,
            items,
        }
    }

    /// A copy of the model whose items are exactly the instrument's (all
    /// previous items are removed). Errors name the path inside the
    /// instrument (`items[3].capability`).
    pub fn with_instrument(&self, instrument: &Instrument) -> Result<MaturityModel> {
        if let Some(m) = &instrument.model {
            if m != &self.id {
                return Err(Error::invalid(
                    "model",
                    format!("the instrument is for model {m:?}, not {:?}", self.id),
                ));
            }
        }
        if instrument.items.is_empty() {
            return Err(Error::Empty {
                location: "items".into(),
            });
        }
        let mut model = self.clone();
        let mut where_cap: HashMap<String, (usize, usize, usize)> = HashMap::new();
        for (d, dim) in model.dimensions.iter_mut().enumerate() {
            for (c, cat) in dim.categories.iter_mut().enumerate() {
                for (k, cap) in cat.capabilities.iter_mut().enumerate() {
                    cap.items.clear();
                    where_cap.insert(cap.id.clone(), (d, c, k));
                }
            }
        }
        if let Some(sc) = &instrument.scale {
            check_scale(sc, "scale")?;
        }
        let mut seen = BTreeSet::new();
        for (i, it) in instrument.items.iter().enumerate() {
            nonempty(&it.id, &format!("items[{i}].id"), "item id")?;
            check_weight(it.weight, &format!("items[{i}].weight"))?;
            match &it.scale {
                Some(sc) => check_scale(sc, &format!("items[{i}].scale"))?,
                None if instrument.scale.is_none() && self.scale.is_none() => {
                    return Err(Error::MissingValue {
                        location: format!("items[{i}].scale"),
                        what: "response scale (give the item, the instrument or the model a scale)"
                            .into(),
                    })
                }
                None => {}
            }
            if !seen.insert(it.id.as_str()) {
                return Err(Error::DuplicateId {
                    location: format!("items[{i}].id"),
                    id: it.id.clone(),
                });
            }
            let &(d, c, k) =
                where_cap
                    .get(&it.capability)
                    .ok_or_else(|| Error::UnknownReference {
                        location: format!("items[{i}].capability"),
                        kind: "capability".into(),
                        id: it.capability.clone(),
                    })?;
            let item = Item {
                id: it.id.clone(),
                text: it.text.clone(),
                weight: it.weight,
                scale: it.scale.clone().or_else(|| instrument.scale.clone()),
                reverse: it.reverse,
            };
            if let Some(cap) = model
                .dimensions
                .get_mut(d)
                .and_then(|x| x.categories.get_mut(c))
                .and_then(|x| x.capabilities.get_mut(k))
            {
                cap.items.push(item);
            }
        }
        model.instrument = Some(InstrumentInfo {
            id: instrument.id.clone(),
            name: instrument.name.clone(),
            example: instrument.example,
            note: instrument.note.clone(),
        });
        Ok(model)
    }

    /// Every item in model order, with its place and effective scale.
    pub fn items(&self) -> Vec<ItemRef<'_>> {
        let mut out = Vec::new();
        let mut c_index = 0;
        let mut k_index = 0;
        let fallback = &DEFAULT_SCALE;
        for (d, dim) in self.dimensions.iter().enumerate() {
            for cat in &dim.categories {
                for cap in &cat.capabilities {
                    for item in &cap.items {
                        let scale = item
                            .scale
                            .as_ref()
                            .or(self.scale.as_ref())
                            .unwrap_or(fallback);
                        out.push(ItemRef {
                            dimension: d,
                            category: c_index,
                            capability: k_index,
                            item,
                            scale,
                            reverse: item.reverse.unwrap_or(cap.reverse_scored),
                        });
                    }
                    k_index += 1;
                }
                c_index += 1;
            }
        }
        out
    }

    /// Categories in model order, with the index of their dimension.
    pub fn categories(&self) -> Vec<(usize, &Category)> {
        self.dimensions
            .iter()
            .enumerate()
            .flat_map(|(d, dim)| dim.categories.iter().map(move |c| (d, c)))
            .collect()
    }

    /// Capabilities in model order, with the indices of their dimension and
    /// category.
    pub fn capabilities(&self) -> Vec<(usize, usize, &Capability)> {
        let mut out = Vec::new();
        let mut c_index = 0;
        for (d, dim) in self.dimensions.iter().enumerate() {
            for cat in &dim.categories {
                for cap in &cat.capabilities {
                    out.push((d, c_index, cap));
                }
                c_index += 1;
            }
        }
        out
    }

    /// Index of a dimension by id.
    pub fn dimension_index(&self, id: &str) -> Option<usize> {
        self.dimensions.iter().position(|d| d.id == id)
    }

    /// Check every structural rule; the error names the path of the bad field.
    ///
    /// Rules: non-empty ids; at least one dimension; dimension ids unique,
    /// category ids unique over the model, capability ids unique over the
    /// model, item ids unique over the model; every dimension has a
    /// category unless the model has a questionnaire; every category has a
    /// capability; weights finite and > 0; scales finite with min < max;
    /// classification axes are two different dimensions and its types cover
    /// the four quadrants exactly once; bands ordered and not overlapping;
    /// questionnaire questions valid for their kind.
    pub fn validate(&self) -> Result<()> {
        nonempty(&self.id, "id", "model id")?;
        if self.dimensions.is_empty() {
            return Err(Error::Empty {
                location: "dimensions".into(),
            });
        }
        if let Some(s) = &self.scale {
            check_scale(s, "scale")?;
        }
        let mut dim_ids = BTreeSet::new();
        let mut cat_ids = BTreeSet::new();
        let mut cap_ids = BTreeSet::new();
        for (d, dim) in self.dimensions.iter().enumerate() {
            let loc = format!("dimensions[{d}]");
            nonempty(&dim.id, &format!("{loc}.id"), "dimension id")?;
            unique(&mut dim_ids, &dim.id, &format!("{loc}.id"))?;
            check_weight(dim.weight, &format!("{loc}.weight"))?;
            if dim.categories.is_empty() && self.questionnaire.is_none() {
                return Err(Error::Empty {
                    location: format!("{loc}.categories"),
                });
            }
            for (c, cat) in dim.categories.iter().enumerate() {
                let loc = format!("{loc}.categories[{c}]");
                nonempty(&cat.id, &format!("{loc}.id"), "category id")?;
                unique(&mut cat_ids, &cat.id, &format!("{loc}.id"))?;
                check_weight(cat.weight, &format!("{loc}.weight"))?;
                if cat.capabilities.is_empty() {
                    return Err(Error::Empty {
                        location: format!("{loc}.capabilities"),
                    });
                }
                for (k, cap) in cat.capabilities.iter().enumerate() {
                    let loc = format!("{loc}.capabilities[{k}]");
                    nonempty(&cap.id, &format!("{loc}.id"), "capability id")?;
                    unique(&mut cap_ids, &cap.id, &format!("{loc}.id"))?;
                    check_weight(cap.weight, &format!("{loc}.weight"))?;
                }
            }
        }
        self.validate_items()?;
        if let Some(cl) = &self.classification {
            self.validate_classification(cl)?;
        }
        check_bands(&self.bands, "bands")?;
        if let Some(q) = &self.questionnaire {
            self.validate_questionnaire(q)?;
        }
        Ok(())
    }

    /// Item rules: ids non-empty and unique over the model, weights
    /// positive, a valid scale on the item or the model.
    fn validate_items(&self) -> Result<()> {
        let mut item_ids = BTreeSet::new();
        for (d, dim) in self.dimensions.iter().enumerate() {
            for (c, cat) in dim.categories.iter().enumerate() {
                for (k, cap) in cat.capabilities.iter().enumerate() {
                    for (i, item) in cap.items.iter().enumerate() {
                        let loc =
                            format!("dimensions[{d}].categories[{c}].capabilities[{k}].items[{i}]");
                        nonempty(&item.id, &format!("{loc}.id"), "item id")?;
                        unique(&mut item_ids, &item.id, &format!("{loc}.id"))?;
                        check_weight(item.weight, &format!("{loc}.weight"))?;
                        match &item.scale {
                            Some(s) => check_scale(s, &format!("{loc}.scale"))?,
                            None if self.scale.is_none() => {
                                return Err(Error::MissingValue {
                                    location: format!("{loc}.scale"),
                                    what: "response scale (give the item or the model a scale)"
                                        .into(),
                                })
                            }
                            None => {}
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn validate_classification(&self, cl: &Classification) -> Result<()> {
        for (axis, id) in [("x", &cl.x), ("y", &cl.y)] {
            if self.dimension_index(id).is_none() {
                return Err(Error::UnknownReference {
                    location: format!("classification.{axis}"),
                    kind: "dimension".into(),
                    id: id.clone(),
                });
            }
        }
        if cl.x == cl.y {
            return Err(Error::invalid(
                "classification.y",
                "the two axes must be different dimensions",
            ));
        }
        let mut ids = BTreeSet::new();
        let mut quadrants = BTreeSet::new();
        for (t, ty) in cl.types.iter().enumerate() {
            nonempty(&ty.id, &format!("classification.types[{t}].id"), "type id")?;
            unique(&mut ids, &ty.id, &format!("classification.types[{t}].id"))?;
            if !quadrants.insert((ty.x == Side::High, ty.y == Side::High)) {
                return Err(Error::invalid(
                    format!("classification.types[{t}]"),
                    "two types claim the same quadrant",
                ));
            }
        }
        if quadrants.len() != 4 {
            return Err(Error::invalid(
                "classification.types",
                "the types must cover the four quadrants exactly once",
            ));
        }
        Ok(())
    }

    fn validate_questionnaire(&self, q: &Questionnaire) -> Result<()> {
        if q.questions.is_empty() {
            return Err(Error::Empty {
                location: "questionnaire.questions".into(),
            });
        }
        let mut ids = BTreeSet::new();
        let mut used = vec![false; self.dimensions.len()];
        for (i, question) in q.questions.iter().enumerate() {
            let loc = format!("questionnaire.questions[{i}]");
            nonempty(&question.id, &format!("{loc}.id"), "question id")?;
            unique(&mut ids, &question.id, &format!("{loc}.id"))?;
            check_weight(question.weight, &format!("{loc}.weight"))?;
            let d = self.dimension_index(&question.dimension).ok_or_else(|| {
                Error::UnknownReference {
                    location: format!("{loc}.dimension"),
                    kind: "dimension".into(),
                    id: question.dimension.clone(),
                }
            })?;
            if let Some(u) = used.get_mut(d) {
                *u = true;
            }
            let (list, field, other, other_field) = match question.kind {
                QuestionKind::Checklist => (&question.options, "options", &question.rows, "rows"),
                _ => (&question.rows, "rows", &question.options, "options"),
            };
            if list.is_empty() {
                return Err(Error::Empty {
                    location: format!("{loc}.{field}"),
                });
            }
            if !other.is_empty() {
                return Err(Error::invalid(
                    format!("{loc}.{other_field}"),
                    format!("a {:?} question has no {other_field}", question.kind),
                ));
            }
            let mut choice_ids = BTreeSet::new();
            for (o, choice) in list.iter().enumerate() {
                nonempty(&choice.id, &format!("{loc}.{field}[{o}].id"), "id")?;
                unique(
                    &mut choice_ids,
                    &choice.id,
                    &format!("{loc}.{field}[{o}].id"),
                )?;
            }
            match question.kind {
                QuestionKind::Grid => match &question.columns {
                    None => {
                        return Err(Error::MissingValue {
                            location: format!("{loc}.columns"),
                            what: "grid columns".into(),
                        })
                    }
                    Some(cols) if cols.done == cols.planned => {
                        return Err(Error::DuplicateId {
                            location: format!("{loc}.columns.planned"),
                            id: cols.planned.clone(),
                        })
                    }
                    Some(_) => {}
                },
                _ => {
                    if question.columns.is_some() || question.scoring.is_some() {
                        return Err(Error::invalid(
                            format!("{loc}.columns"),
                            "only grid questions have columns and a grid scoring",
                        ));
                    }
                }
            }
            if let Some(s) = &question.scale {
                if question.kind != QuestionKind::Scale {
                    return Err(Error::invalid(
                        format!("{loc}.scale"),
                        "only scale questions have a scale",
                    ));
                }
                check_scale(s, &format!("{loc}.scale"))?;
            }
        }
        if let Some(d) = used.iter().position(|u| !u) {
            return Err(Error::Empty {
                location: format!("dimensions[{d}] has no questionnaire question"),
            });
        }
        Ok(())
    }
}

/// The scale used when neither item nor model gives one (never reached by a
/// validated model; kept so lookups need no `unwrap`).
pub(crate) static DEFAULT_SCALE: ItemScale = ItemScale {
    min: 0.0,
    max: 1.0,
    labels: Vec::new(),
};

/// The default scale of scale questions (EU DMA adoption 0–5).
pub(crate) static DEFAULT_QUESTION_SCALE: ItemScale = ItemScale {
    min: 0.0,
    max: 5.0,
    labels: Vec::new(),
};

fn nonempty(id: &str, location: &str, what: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::MissingValue {
            location: location.to_string(),
            what: what.to_string(),
        });
    }
    Ok(())
}

fn unique<'a>(set: &mut BTreeSet<&'a str>, id: &'a str, location: &str) -> Result<()> {
    if !set.insert(id) {
        return Err(Error::DuplicateId {
            location: location.to_string(),
            id: id.to_string(),
        });
    }
    Ok(())
}

pub(crate) fn check_weight(w: f64, location: &str) -> Result<()> {
    if !(w.is_finite() && w > 0.0) {
        return Err(Error::InvalidWeight {
            location: location.to_string(),
            message: format!("{w} is not a finite number greater than 0"),
        });
    }
    Ok(())
}

pub(crate) fn check_scale(s: &ItemScale, location: &str) -> Result<()> {
    if !(s.min.is_finite() && s.max.is_finite() && s.min < s.max) {
        return Err(Error::InvalidScale {
            location: location.to_string(),
            message: format!("min {} must be less than max {}", s.min, s.max),
        });
    }
    for (i, l) in s.labels.iter().enumerate() {
        if !(l.value >= s.min && l.value <= s.max) {
            return Err(Error::InvalidScale {
                location: format!("{location}.labels[{i}].value"),
                message: format!("{} lies outside {}..={}", l.value, s.min, s.max),
            });
        }
    }
    Ok(())
}

pub(crate) fn check_bands(bands: &[Band], location: &str) -> Result<()> {
    let mut ids = BTreeSet::new();
    for (b, band) in bands.iter().enumerate() {
        nonempty(&band.id, &format!("{location}[{b}].id"), "band id")?;
        unique(&mut ids, &band.id, &format!("{location}[{b}].id"))?;
        if !(band.min.is_finite() && band.max.is_finite() && band.min <= band.max) {
            return Err(Error::InvalidScale {
                location: format!("{location}[{b}]"),
                message: format!("min {} must not exceed max {}", band.min, band.max),
            });
        }
        if b > 0 && band.min <= bands[b - 1].max {
            return Err(Error::InvalidScale {
                location: format!("{location}[{b}].min"),
                message: "bands must be in increasing order and must not overlap".into(),
            });
        }
    }
    Ok(())
}
