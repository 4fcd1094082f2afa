//! The one error type of the library.
//!
//! Every fallible function returns [`Result`]. Each [`Error`] variant has a
//! stable, machine-readable [`Error::code`] (snake_case; never renamed once
//! released), a [`Error::category`] used by the bindings to pick an exception
//! class, and a [`Error::location`] naming the bad input: a JSON path such as
//! `areas[2].competences[1].id`, or `line 4, column "level"` for CSV input.

use serde::Serialize;

/// Result type used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error the library can return.
///
/// Stable codes (see [`Error::code`]):
///
/// | code | meaning |
/// |---|---|
/// | `parse_error` | JSON/TOML text could not be read into the expected shape |
/// | `csv_error` | a CSV file could not be read |
/// | `unknown_builtin` | no built-in framework/model has that name |
/// | `duplicate_id` | an id occurs twice where ids must be unique |
/// | `empty` | a list that must not be empty is empty |
/// | `invalid_scale` | a proficiency/response scale is not strictly ordered or is inconsistent |
/// | `unknown_reference` | an id refers to nothing (a level, area, parent, …) |
/// | `unknown_competence` | a competence id is not in the framework |
/// | `unknown_profile` | a role profile id is not in the profile set |
/// | `level_out_of_scale` | a level lies outside the framework's scale |
/// | `inheritance_cycle` | role profiles extend each other in a cycle |
/// | `invalid_weight` | a weight is not a known name or not a positive finite number |
/// | `invalid_value` | a value is not allowed here (message says why) |
/// | `missing_value` | a required value is absent |
/// | `ambiguous_ratings` | several ratings for one competence and no reconciliation policy |
/// | `invalid_policy` | a reconciliation policy could not be understood |
/// | `shape_mismatch` | arrays or tables of incompatible shapes |
/// | `unknown_operation` | a vector/API operation name is not known |
/// | `tree_cycle` | units of an organisation tree are each other's ancestors |
/// | `corrupt_state` | serialised aggregation state bytes/JSON cannot be decoded |
/// | `incompatible_state` | aggregation states built for different layouts cannot be merged |
/// | `value_out_of_scale` | a numeric answer lies outside its item's or question's scale (for a survey response matrix: the first such value, with the respondent, the item and the count of all of them) |
/// | `insufficient_data` | too few valid observations for a statistic (e.g. α with fewer than 2 items or respondents) |
/// | `unsupported_format` | the input format is not available in this build (TOML in a build without the crate feature `toml`, such as the JS package); location `format` |
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Text could not be parsed into the expected shape.
    #[error("cannot parse {format} at {location}: {message}")]
    Parse {
        /// `json`, `toml` …
        format: String,
        /// Path or line/column of the problem.
        location: String,
        /// What the parser said.
        message: String,
    },
    /// A CSV file could not be read.
    #[error("CSV error at {location}: {message}")]
    Csv {
        /// `line N, column "name"`.
        location: String,
        /// What went wrong.
        message: String,
    },
    /// No built-in item of that kind has that name.
    #[error("unknown built-in {kind} {name:?} (available: {available})")]
    UnknownBuiltin {
        /// What was looked up (`framework`, `maturity model`, …).
        kind: String,
        /// The name asked for.
        name: String,
        /// Comma-separated list of names that exist.
        available: String,
    },
    /// An id occurs twice.
    #[error("duplicate id {id:?} at {location}")]
    DuplicateId {
        /// Path of the second occurrence.
        location: String,
        /// The repeated id.
        id: String,
    },
    /// A list that must not be empty is empty.
    #[error("{location} must not be empty")]
    Empty {
        /// Path of the empty list.
        location: String,
    },
    /// A scale is not strictly ordered or is inconsistent.
    #[error("invalid scale at {location}: {message}")]
    InvalidScale {
        /// Path of the bad level.
        location: String,
        /// Why.
        message: String,
    },
    /// An id refers to nothing.
    #[error("{location} refers to unknown {kind} {id:?}")]
    UnknownReference {
        /// Path of the reference.
        location: String,
        /// What kind of thing was referenced.
        kind: String,
        /// The id that does not exist.
        id: String,
    },
    /// A competence id is not in the framework.
    #[error("{location}: competence {id:?} is not in framework {framework:?}")]
    UnknownCompetence {
        /// Path of the reference.
        location: String,
        /// The competence id.
        id: String,
        /// The framework id.
        framework: String,
    },
    /// A role profile id is not known.
    #[error("{location}: unknown role profile {id:?}")]
    UnknownProfile {
        /// Path of the reference.
        location: String,
        /// The profile id.
        id: String,
    },
    /// A level lies outside the scale.
    #[error("{location}: level {level} is outside the scale {min}..={max}")]
    LevelOutOfScale {
        /// Path of the level.
        location: String,
        /// The level given.
        level: i64,
        /// Lowest level of the scale.
        min: i64,
        /// Highest level of the scale.
        max: i64,
    },
    /// Role profiles extend each other in a cycle.
    #[error("inheritance cycle among role profiles: {location}")]
    InheritanceCycle {
        /// The cycle, e.g. `a -> b -> a`.
        location: String,
    },
    /// A weight is not a known name or not a positive finite number.
    #[error("{location}: invalid weight: {message}")]
    InvalidWeight {
        /// Path of the weight.
        location: String,
        /// Why.
        message: String,
    },
    /// A value is not allowed.
    #[error("{location}: {message}")]
    InvalidValue {
        /// Path of the value.
        location: String,
        /// Why.
        message: String,
    },
    /// A required value is absent.
    #[error("{location}: missing {what}")]
    MissingValue {
        /// Path where it was expected.
        location: String,
        /// What is missing.
        what: String,
    },
    /// Several ratings for one competence and no policy to reconcile them.
    #[error("{location}: {count} ratings for competence {competence:?} and no reconciliation policy was given")]
    AmbiguousRatings {
        /// Path of the ratings.
        location: String,
        /// Competence id.
        competence: String,
        /// Number of ratings found.
        count: usize,
    },
    /// A reconciliation policy could not be understood.
    #[error("{location}: invalid policy: {message}")]
    InvalidPolicy {
        /// Path or argument name.
        location: String,
        /// Why.
        message: String,
    },
    /// Arrays or tables of incompatible shapes.
    #[error("{location}: shape mismatch: {message}")]
    ShapeMismatch {
        /// Which argument.
        location: String,
        /// Why.
        message: String,
    },
    /// Units of an organisation tree are each other's ancestors.
    #[error("cycle in the organisation tree: {location}")]
    TreeCycle {
        /// The cycle, e.g. `a -> b -> a`.
        location: String,
    },
    /// Serialised aggregation state cannot be decoded.
    #[error("corrupt aggregation state at {location}: {message}")]
    CorruptState {
        /// Byte offset or JSON path.
        location: String,
        /// Why.
        message: String,
    },
    /// Aggregation states of different layouts cannot be merged.
    #[error("{location}: incompatible aggregation states: {message}")]
    IncompatibleState {
        /// Which part of the layout differs.
        location: String,
        /// Why.
        message: String,
    },
    /// A numeric answer lies outside its scale.
    #[error("{location}: value {value} is outside the scale {min}..={max}")]
    ValueOutOfScale {
        /// Path of the answer, e.g. `responses.rows[3][2]`.
        location: String,
        /// The value given.
        value: f64,
        /// Lowest value of the scale.
        min: f64,
        /// Highest value of the scale.
        max: f64,
    },
    /// Unknown operation name.
    #[error("unknown operation {name:?}")]
    UnknownOperation {
        /// The operation asked for.
        name: String,
    },
    /// Survey answers outside their item's response scale (code
    /// `value_out_of_scale`, like [`Error::ValueOutOfScale`]). Names the
    /// first such value (in row-major order) and counts all of them.
    #[error("{location}: answer {value} of respondent {respondent_label} to item {item:?} is outside the scale {min}..={max} ({count} value(s) out of scale in all)")]
    AnswersOutOfScale {
        /// Where the first bad value is: `rows[r][c]` (row and column of the
        /// response matrix).
        location: String,
        /// Row index of the respondent (0-based).
        respondent: usize,
        /// The respondent's id when known, else the row index, for messages.
        respondent_label: String,
        /// Item id.
        item: String,
        /// The value given.
        value: f64,
        /// Lowest value of the item's scale.
        min: f64,
        /// Highest value of the item's scale.
        max: f64,
        /// Number of out-of-scale values in the whole matrix.
        count: usize,
        /// Every out-of-scale answer, in row-major order (respondent, item,
        /// value); also in [`ErrorInfo::details`] as `{"answers": [...]}`.
        answers: Box<Vec<OutOfScaleAnswer>>,
    },
    /// Too few valid observations for a statistic.
    #[error("{location}: insufficient data: {message}")]
    InsufficientData {
        /// Which argument.
        location: String,
        /// Why.
        message: String,
    },
    /// The input format is not available in this build: TOML when the crate
    /// is built without its `toml` feature (the JS package is).
    #[error("{format} input is not supported in this build of kompetens (it was built without the `{format}` feature); give the input as JSON")]
    UnsupportedFormat {
        /// Where the format was chosen: `format`.
        location: String,
        /// The format asked for (`toml`).
        format: String,
    },
}

/// The serialisable form of an error, identical in every language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorInfo {
    /// Stable code, see [`Error::code`].
    pub code: &'static str,
    /// Coarse category, see [`Error::category`].
    pub category: &'static str,
    /// Where the problem is.
    pub location: String,
    /// Human-readable message (not stable).
    pub message: String,
    /// Structured details when the error has more than one place to name:
    /// for `value_out_of_scale` from survey scoring, `{"answers": [{respondent,
    /// respondent_id, item, value, min, max}, …]}` with every out-of-scale
    /// answer. `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// One answer outside its item's scale (see [`Error::AnswersOutOfScale`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutOfScaleAnswer {
    /// Row index of the respondent (0-based).
    pub respondent: usize,
    /// The respondent's id, when ids were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respondent_id: Option<String>,
    /// Item id.
    pub item: String,
    /// The value given.
    pub value: f64,
    /// Lowest value of the item's scale.
    pub min: f64,
    /// Highest value of the item's scale.
    pub max: f64,
}

impl Error {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Parse { .. } => "parse_error",
            Error::Csv { .. } => "csv_error",
            Error::UnknownBuiltin { .. } => "unknown_builtin",
            Error::DuplicateId { .. } => "duplicate_id",
            Error::Empty { .. } => "empty",
            Error::InvalidScale { .. } => "invalid_scale",
            Error::UnknownReference { .. } => "unknown_reference",
            Error::UnknownCompetence { .. } => "unknown_competence",
            Error::UnknownProfile { .. } => "unknown_profile",
            Error::LevelOutOfScale { .. } => "level_out_of_scale",
            Error::InheritanceCycle { .. } => "inheritance_cycle",
            Error::InvalidWeight { .. } => "invalid_weight",
            Error::InvalidValue { .. } => "invalid_value",
            Error::MissingValue { .. } => "missing_value",
            Error::AmbiguousRatings { .. } => "ambiguous_ratings",
            Error::InvalidPolicy { .. } => "invalid_policy",
            Error::ShapeMismatch { .. } => "shape_mismatch",
            Error::UnknownOperation { .. } => "unknown_operation",
            Error::TreeCycle { .. } => "tree_cycle",
            Error::CorruptState { .. } => "corrupt_state",
            Error::IncompatibleState { .. } => "incompatible_state",
            Error::ValueOutOfScale { .. } | Error::AnswersOutOfScale { .. } => "value_out_of_scale",
            Error::InsufficientData { .. } => "insufficient_data",
            Error::UnsupportedFormat { .. } => "unsupported_format",
        }
    }

    /// Coarse category: `parse` (unreadable input), `reference` (an id that
    /// refers to nothing), or `validation` (readable but not allowed).
    /// Python maps these to `ParseError`, `UnknownIdError` and
    /// `ValidationError`, all subclasses of `KompetensError`.
    pub fn category(&self) -> &'static str {
        match self {
            Error::Parse { .. }
            | Error::Csv { .. }
            | Error::CorruptState { .. }
            | Error::UnsupportedFormat { .. } => "parse",
            Error::UnknownBuiltin { .. }
            | Error::UnknownReference { .. }
            | Error::UnknownCompetence { .. }
            | Error::UnknownProfile { .. }
            | Error::UnknownOperation { .. } => "reference",
            _ => "validation",
        }
    }

    /// Where the bad input is (a JSON path, or a CSV line and column).
    pub fn location(&self) -> String {
        match self {
            Error::Parse { location, .. }
            | Error::Csv { location, .. }
            | Error::DuplicateId { location, .. }
            | Error::Empty { location }
            | Error::InvalidScale { location, .. }
            | Error::UnknownReference { location, .. }
            | Error::UnknownCompetence { location, .. }
            | Error::UnknownProfile { location, .. }
            | Error::LevelOutOfScale { location, .. }
            | Error::InheritanceCycle { location }
            | Error::InvalidWeight { location, .. }
            | Error::InvalidValue { location, .. }
            | Error::MissingValue { location, .. }
            | Error::AmbiguousRatings { location, .. }
            | Error::InvalidPolicy { location, .. }
            | Error::ShapeMismatch { location, .. }
            | Error::TreeCycle { location }
            | Error::ValueOutOfScale { location, .. }
            | Error::AnswersOutOfScale { location, .. }
            | Error::CorruptState { location, .. }
            | Error::IncompatibleState { location, .. }
            | Error::InsufficientData { location, .. }
            | Error::UnsupportedFormat { location, .. } => location.clone(),
            Error::UnknownBuiltin { name, .. } => name.clone(),
            Error::UnknownOperation { name } => name.clone(),
        }
    }

    /// The serialisable form used by the bindings and the vectors.
    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            code: self.code(),
            category: self.category(),
            location: self.location(),
            message: self.to_string(),
            details: match self {
                Error::AnswersOutOfScale { answers, .. } => serde_json::to_value(answers)
                    .ok()
                    .map(|a| serde_json::json!({ "answers": a })),
                _ => None,
            },
        }
    }

    /// Mutable access to the location, for variants that have one.
    fn location_mut(&mut self) -> Option<&mut String> {
        match self {
            Error::Parse { location, .. }
            | Error::Csv { location, .. }
            | Error::DuplicateId { location, .. }
            | Error::Empty { location }
            | Error::InvalidScale { location, .. }
            | Error::UnknownReference { location, .. }
            | Error::UnknownCompetence { location, .. }
            | Error::UnknownProfile { location, .. }
            | Error::LevelOutOfScale { location, .. }
            | Error::InvalidWeight { location, .. }
            | Error::InvalidValue { location, .. }
            | Error::MissingValue { location, .. }
            | Error::AmbiguousRatings { location, .. }
            | Error::InvalidPolicy { location, .. }
            | Error::ShapeMismatch { location, .. }
            | Error::ValueOutOfScale { location, .. }
            | Error::AnswersOutOfScale { location, .. }
            | Error::CorruptState { location, .. }
            | Error::IncompatibleState { location, .. }
            | Error::InsufficientData { location, .. }
            | Error::UnsupportedFormat { location, .. } => Some(location),
            Error::InheritanceCycle { .. }
            | Error::TreeCycle { .. }
            | Error::UnknownBuiltin { .. }
            | Error::UnknownOperation { .. } => None,
        }
    }

    /// Prefix the location with the name of the argument or field that held
    /// the bad input: `areas[1].id` under `framework` becomes
    /// `framework.areas[1].id`. Locations that already start with the prefix,
    /// and errors without a path (cycles, unknown built-ins), are unchanged.
    pub fn within(mut self, prefix: &str) -> Self {
        if let Some(loc) = self.location_mut() {
            if loc.is_empty() || loc == "$" {
                *loc = prefix.to_string();
            } else if !(loc.starts_with(prefix) && loc[prefix.len()..].starts_with(['.', '[']))
                && loc != prefix
            {
                let sep = if loc.starts_with('[') { "" } else { "." };
                *loc = format!("{prefix}{sep}{loc}");
            }
        }
        self
    }

    /// Replace a leading `prefix` of the location by `replacement`
    /// (e.g. `profiles[0].requirements[1]` → `requirements[1]` for a profile
    /// that was validated on its own).
    pub fn relocate(mut self, prefix: &str, replacement: &str) -> Self {
        if let Some(loc) = self.location_mut() {
            if let Some(rest) = loc.strip_prefix(prefix) {
                let rest = rest.strip_prefix('.').unwrap_or(rest);
                *loc = match (replacement.is_empty(), rest.is_empty()) {
                    (true, _) => rest.to_string(),
                    (false, true) => replacement.to_string(),
                    (false, false) if rest.starts_with('[') => format!("{replacement}{rest}"),
                    (false, false) => format!("{replacement}.{rest}"),
                };
            }
        }
        self
    }

    /// Shorthand for [`Error::InvalidValue`].
    pub fn invalid(location: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidValue {
            location: location.into(),
            message: message.into(),
        }
    }

    /// Error from `serde_json`, with the JSON path when known.
    pub fn from_json(err: &serde_json::Error, prefix: &str) -> Self {
        let location = if err.line() > 0 {
            format!("{prefix}line {}, column {}", err.line(), err.column())
        } else if prefix.is_empty() {
            "$".to_string()
        } else {
            prefix.trim_end_matches(": ").to_string()
        };
        Error::Parse {
            format: "json".into(),
            location,
            message: err.to_string(),
        }
    }

    /// Error from `toml`.
    #[cfg(feature = "toml")]
    pub fn from_toml(err: &toml::de::Error) -> Self {
        let location = match err.span() {
            Some(span) => format!("byte {}..{}", span.start, span.end),
            None => "$".to_string(),
        };
        Error::Parse {
            format: "toml".into(),
            location,
            message: err.message().to_string(),
        }
    }
}
