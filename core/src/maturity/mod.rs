//! Digital maturity: a generic maturity-model engine, with DiMiOS (Digital
//! mognad i offentlig sektor) and the EU Digital Maturity Assessment for
//! public sector organisations built in.
//!
//! # The model is data
//!
//! A [`MaturityModel`] has dimensions → categories → capabilities → items,
//! each with a weight (default 1, i.e. equal weights), every item with a
//! response scale (`min`, `max`: nominal ends) and reverse keying. Models
//! load from JSON or TOML ([`MaturityModel::from_json`],
//! [`MaturityModel::from_toml`]; JSON Schema `core/schemas/maturity-model.schema.json`)
//! and are validated with the path of the bad field. Users who hold a
//! licensed questionnaire load it as an [`Instrument`] (items mapped to
//! capability ids) and attach it with [`MaturityModel::with_instrument`].
//!
//! # Scoring one measurement ([`score()`], [`score_table`], [`MaturityModel::score`])
//!
//! Responses are respondents × items (NaN / `null` = missing).
//!
//! 1. Each answer `x` on scale `[min, max]` is reverse keyed first when the
//!    item is (`x' = min + max − x`, with the nominal ends), then rescaled
//!    to 0–100 % (`rescale`, default linear `100 · (x' − min)/(max − min)`).
//! 2. Respondents are combined per item (`combine`, default mean).
//! 3. Capability = weighted mean of its items' percentages; category =
//!    weighted mean of its capabilities; dimension = weighted mean of its
//!    categories; overall = weighted mean of the dimensions. Parts without
//!    any answer are left out and the weights of the others renormalised;
//!    each figure reports `n_respondents` (respondents with at least one
//!    answer behind it) and `n_items` (items with at least one answer).
//! 4. Agreement per capability and category: each respondent's own
//!    percentage for it (the weighted mean of their answered items /
//!    capabilities); `sd` across respondents (`sd_ddof`), the median, and
//!    the share of respondents within one scale step of the median
//!    (`agreement_step`; one step is 20 points on a 1–6 scale); `low` when
//!    that share is below `agreement_threshold`.
//! 5. Reliability per category: raw Cronbach's α of the category's item
//!    percentages over the respondents, with the pairwise-complete
//!    covariance matrix (as R `psych::alpha` and pingouin).
//! 6. Relative strengths and weaknesses: categories and capabilities ranked
//!    by percentage (`weakness_rank` 1 = lowest, `strength_rank` 1 =
//!    highest) and the `extremes_count` weakest and strongest listed — always,
//!    even for a highly mature organisation. **Tie rule**: percentages equal
//!    after rounding to `tie_decimals` decimals are ties, and ties are
//!    ordered by model order (the earlier category/capability first) in
//!    *both* lists.
//! 7. Type: the quadrant of (x, y) dimension percentages (DiMiOS: x = Digital
//!    förmåga, y = Digitalt arv) against `quadrant_cut_x` / `quadrant_cut_y`;
//!    a value exactly at a cut is on the `at_cut` side.
//! 8. Band of the overall figure, for models with bands (`band_boundaries`).
//!
//! # Organisation tree ([`score_units`])
//!
//! Each row may name a unit; units have parents ([`Unit`]). Unknown parents
//! (`unknown_reference`), cycles (`tree_cycle`) and duplicate ids
//! (`duplicate_id`) are errors. Every unit gets the result of its own
//! respondents and the rolled-up result of the unit and all descendants; a
//! result with fewer than `min_respondents` respondents is withheld with
//! the reason `fewer_than_min_respondents`. Only primary suppression is
//! applied (see [`units`]).
//!
//! # Change and peer benchmark ([`compare()`], [`benchmark`])
//!
//! Change = current − previous in percentage points, overall and per
//! dimension, category and capability. The benchmark compares with peers of
//! the same organisation type: the peer mean, the difference, and the
//! **percentile rank** `100 · (peers strictly below + ½ · peers equal) /
//! n_peers` (values within 1e-9 are equal) — the "mid-rank" definition, so
//! an organisation equal to every peer is at 50.
//!
//! # DiMiOS (`MaturityModel::builtin("dimios")`)
//!
//! Two dimensions, Digital förmåga (`formaga`: Effektivitet, Innovation,
//! Balansering) and Digitalt arv (`arv`: Organisation, Användare, Teknik),
//! 26 capabilities (sv/en names), six-point scale 1–6; the capabilities
//! shadow IT (`shadow_it`) and technical debt (`technical_debt`) are
//! reverse-scored. The official 30 statements are licensed and not shipped:
//! the built-in model carries an **example** instrument
//! ([`MaturityModel::example_instrument`], id `dimios-example`, `example:
//! true`) with one statement per capability in our own words. Types A–D by
//! quadrant; type A (low förmåga, limiting arv) as documented, B–D written
//! by us to match (`origin: "ours"`). The overall figure is the mean of the
//! two dimensions; [`overall_from_dimensions`] reproduces published figures
//! (arv 59 %, förmåga 47 % → 53 %).
//!
//! # EU DMA for public sector organisations ([`score_dma`])
//!
//! Six dimensions of two questions each (interoperability: one grid whose
//! two shares are its two parts); question kinds checklist, grid
//! (done/planned), 0–5 scale and no/partially/yes; each question 0–10,
//! dimension 0–100, overall the mean; bands Basic 0–25, Average 26–50,
//! Moderately advanced 51–75, Advanced 76–100. See [`dma`].
//!
//! # Every assumption is a setting
//!
//! Item scoring ([`MaturitySettings`], JSON `settings` of `maturity.*`):
//!
//! | setting | default | meaning |
//! |---|---|---|
//! | `rescale` | `linear` | `100·(x−min)/(max−min)` (DiMiOS `(x−1)/5`); `ratio` = `100·x/max` |
//! | `combine` | `mean` | respondents per item: `mean` or `median` |
//! | model `weight` fields | 1 | equal weights of items, capabilities, categories, dimensions |
//! | item `reverse` / capability `reverse_scored` | false (DiMiOS: true for shadow IT, technical debt) | reverse keying `min + max − x` |
//! | `out_of_range` | `error` | an answer outside the scale: `error` or `missing` |
//! | `unknown_items` | `error` | a response column that is not an item: `error` or `ignore` |
//! | `agreement_step` | `null` = one scale step | band around the median, percentage points |
//! | `agreement_threshold` | 0.5 | low agreement below this share within one step |
//! | `sd_ddof` | 1 | sample standard deviation |
//! | `extremes_count` | 3 | weakest / strongest listed |
//! | `tie_decimals` | 9 | decimals compared for ties |
//! | `min_respondents` | 5 | units below this are withheld |
//! | `quadrant_cut_x` | 50 | DiMiOS: cut on Digital förmåga |
//! | `quadrant_cut_y` | 50 | DiMiOS: cut on Digitalt arv |
//! | `at_cut` | `high` | side of a value exactly at a cut |
//! | `band_boundaries` | `upper_inclusive` | 25.2 → Average; `round_first`: 25.4 → Basic, 25.5 → Average |
//!
//! Questionnaire scoring ([`DmaSettings`], `settings` of `dma.score`):
//!
//! | setting | default | meaning |
//! |---|---|---|
//! | `planned_weight` | 0.5 | a "planned" tick in a combined grid row (done = 1; both ticks = done) |
//! | `partially_value` | 0.5 | "partially" (no = 0, yes = 1) |
//! | `grid_scoring` | `[]` (model: `combined`; interoperability `split`) | per-question grid scoring |
//! | question `weight` fields | 1 | equal question weights within a dimension |
//! | `unanswered` | `lowest` | unanswered rows/questions: `lowest`, `skip` or `error` |
//! | `band_boundaries` | `upper_inclusive` | as above |
//!
//! ```
//! use kompetens::maturity::{score, MaturityModel, MaturitySettings};
//! let model = MaturityModel::builtin("dimios")?;
//! let items: Vec<String> = model.items().iter().map(|i| i.item.id.clone()).collect();
//! // two respondents answering 4 everywhere (shadow IT and technical debt
//! // are reverse keyed: 1 + 6 − 4 = 3)
//! let values = ndarray::Array2::from_elem((2, items.len()), 4.0);
//! let result = score(&model, &items, values.view(), &MaturitySettings::default())?;
//! let teknik = result.categories.iter().find(|c| c.id == "teknik").unwrap(); // ok: doc example
//! // technology support 60 %, shadow IT 40 %, technical debt 40 %, IT governance 60 %
//! assert!((teknik.percentage.unwrap() - 50.0).abs() < 1e-9); // ok: doc example
//! assert_eq!(result.n_respondents, 2);
//! # Ok::<(), kompetens::Error>(())
//! ```

pub mod classify;
pub mod compare;
pub mod dma;
pub mod model;
pub mod score;
pub mod settings;
pub mod units;

#[cfg(test)]
mod tests;

pub use classify::{
    band_of, classify, overall_from_dimensions, Axis, BandRef, DimensionValue, Interval,
    OverallFromDimensions, TypeResult,
};
pub use compare::{
    benchmark, compare, Benchmark, BenchmarkLine, Change, Comparison, OverallChange, Peer,
    Percentage, ResultSummary,
};
pub use dma::{
    score_dma, Answer, DmaDimension, DmaResult, QuestionPart, QuestionResult, RowAnswer, RowValue,
};
pub use model::{
    Band, Capability, Category, Choice, Classification, Dimension, GridColumns, GridScoring,
    Instrument, InstrumentInfo, InstrumentItem, Item, ItemRef, ItemScale, MaturityModel,
    MaturityType, Origin, Question, QuestionKind, Questionnaire, ScaleLabel, Side, BUILTIN_MODELS,
};
pub use score::{
    score, score_table, Agreement, InstrumentRef, ItemResult, LevelResult, MeasurementResult,
    Ranked, Reliability, ResponseTable,
};
pub use settings::{
    BandBoundaries, Combine, DmaSettings, GridScoringOverride, MaturitySettings, OutOfRange,
    Rescale, Unanswered, UnknownItems,
};
pub use units::{score_units, OrgTree, Unit, UnitResult, UnitScore, WithheldReason};
