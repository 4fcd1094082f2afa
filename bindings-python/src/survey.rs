//! Survey scoring on numpy arrays, without JSON.
//!
//! [`SurveyScorer`] compiles an instrument once (the core's
//! [`Scorer`]) with its framework, level strategy and scoring options, read
//! exactly as the JSON operation `survey.score` reads the fields of the same
//! names. [`SurveyScorer::score`] borrows a float64 respondents × items
//! array (zero-copy when its columns are already in the instrument's item
//! order) and scores it with the GIL released; the result stays native
//! ([`ScoredSurvey`]) and hands out numpy arrays, the JSON report or
//! assessments on request.

use std::collections::BTreeMap;
use std::sync::Arc;

use kompetens::api::framework_from_value;
use kompetens::survey::{
    answers_to_matrix, column_sources, locate_answer_error, Instrument, LevelStrategy,
    MissingBasis, ResponseTable, Scorer, Scores, ScoringOptions, StrategySpec,
};
use kompetens::text::from_json_value;
use kompetens::{Error, Framework, Source};
use ndarray::Axis;
use numpy::{AllowTypeChange, IntoPyArray, PyArrayLike2, ToPyArray};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::Value;

use crate::stats::{typed_arg, value_arg};
use crate::{raise_error, to_value};

/// Rows per block of [`score_blocks`]: a block of answers (copied to row
/// order and item order) stays in the second-level cache.
const BLOCK_ROWS: usize = 4096;
/// Inputs of at least this many answers are scored in blocks on threads.
const BLOCKED_MIN: usize = 1_000_000;

/// Score a large matrix in row blocks on up to 4 threads and concatenate
/// the blocks' scores (rows are scored independently, so the result is the
/// same as one call). `source` reorders columns into item order. `None`
/// for small inputs or when any block fails: the caller then scores the
/// whole matrix in one call, so that errors are exactly the core's.
fn score_blocks(
    scorer: &Scorer,
    view: ndarray::ArrayView2<'_, f64>,
    source: Option<&[usize]>,
) -> Option<Scores> {
    let n = view.nrows();
    if n * view.ncols() < BLOCKED_MIN {
        return None;
    }
    let threads = std::thread::available_parallelism()
        .map(|t| t.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let per_thread = n.div_ceil(threads);
    let run = |a: usize, b: usize| -> Option<Vec<Scores>> {
        let mut out = Vec::new();
        let mut start = a;
        while start < b {
            let end = (start + BLOCK_ROWS).min(b);
            let rows = view.slice(ndarray::s![start..end, ..]);
            let block = match source {
                Some(cols) => ndarray::CowArray::from(rows.select(Axis(1), cols)),
                None => rows.as_standard_layout(),
            };
            out.push(scorer.score(block.view(), None).ok()?);
            start = end;
        }
        Some(out)
    };
    let ranges: Vec<(usize, usize)> = (0..threads)
        .map(|t| (t * per_thread, ((t + 1) * per_thread).min(n)))
        .filter(|(a, b)| a < b)
        .collect();
    let parts: Vec<Option<Vec<Scores>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|&(a, b)| scope.spawn(move || run(a, b)))
            .collect();
        handles
            .into_iter()
            .zip(&ranges)
            .map(|(h, &(a, b))| h.join().unwrap_or_else(|_| run(a, b)))
            .collect()
    });
    let mut blocks = Vec::new();
    for part in parts {
        blocks.extend(part?);
    }
    concat_scores(blocks)
}

/// Stack the scores of consecutive row blocks.
fn concat_scores(blocks: Vec<Scores>) -> Option<Scores> {
    fn stack<T: Clone>(parts: Vec<ndarray::ArrayView2<'_, T>>) -> Option<ndarray::Array2<T>> {
        ndarray::concatenate(Axis(0), &parts).ok()
    }
    let first = blocks.first()?;
    Some(Scores {
        targets: first.targets.clone(),
        areas: first.areas.clone(),
        competence_targets: first.competence_targets,
        scores: stack(blocks.iter().map(|b| b.scores.view()).collect())?,
        answered: stack(blocks.iter().map(|b| b.answered.view()).collect())?,
        status: stack(blocks.iter().map(|b| b.status.view()).collect())?,
        area_scores: stack(blocks.iter().map(|b| b.area_scores.view()).collect())?,
        area_answered: stack(blocks.iter().map(|b| b.area_answered.view()).collect())?,
        area_status: stack(blocks.iter().map(|b| b.area_status.view()).collect())?,
    })
}

/// A compiled survey instrument (see the module docs).
#[pyclass(frozen, module = "kompetens._native")]
pub struct SurveyScorer {
    instrument: Instrument,
    framework: Option<Arc<Framework>>,
    strategy: LevelStrategy,
    options: ScoringOptions,
    scorer: Scorer,
}

fn build(
    instrument: Value,
    framework: Option<Value>,
    strategy: Option<StrategySpec>,
    options: ScoringOptions,
) -> kompetens::Result<SurveyScorer> {
    let instrument: Instrument = from_json_value(instrument).map_err(|e| e.within("instrument"))?;
    instrument.validate().map_err(|e| e.within("instrument"))?;
    let framework = match framework {
        Some(v) => Some(framework_from_value(v).map_err(|e| e.within("framework"))?),
        None => None,
    };
    let framework = kompetens::survey::scoring_framework(&instrument, framework)?;
    let strategy = match strategy {
        Some(s) => s.into_strategy()?,
        None => LevelStrategy::default(),
    };
    options.validate()?;
    let scorer = Scorer::new(&instrument, framework.as_ref(), &options)
        .map_err(|e| e.within("instrument"))?;
    Ok(SurveyScorer {
        instrument,
        framework: framework.map(Arc::new),
        strategy,
        options,
        scorer,
    })
}

impl SurveyScorer {
    fn scored(&self, scores: Scores, ids: Option<Vec<String>>) -> ScoredSurvey {
        ScoredSurvey {
            scores,
            ids,
            instrument_id: self.instrument.id.clone(),
            framework: self.framework.clone(),
            strategy: self.strategy.clone(),
            options: self.options,
        }
    }
}

#[pymethods]
impl SurveyScorer {
    /// Item ids in column order.
    #[getter]
    fn item_ids(&self) -> Vec<String> {
        self.scorer.item_ids().to_vec()
    }

    /// Target ids in score column order.
    #[getter]
    fn targets(&self) -> Vec<String> {
        self.scorer.targets().to_vec()
    }

    /// Area ids (empty without a framework).
    #[getter]
    fn areas(&self) -> Vec<String> {
        self.scorer.areas().to_vec()
    }

    /// Id of the framework used, if any.
    #[getter]
    fn framework_id(&self) -> Option<String> {
        self.framework.as_ref().map(|f| f.id.clone())
    }

    /// The level strategy in its JSON shape.
    #[getter]
    fn strategy(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(pythonize::pythonize(py, &self.strategy)?.unbind())
    }

    /// Score a respondents × items array (`NaN` = missing). `columns` names
    /// the item of each column (any order; default: the instrument's item
    /// order); `ids` (one per row) name respondents in errors and
    /// assessments.
    #[pyo3(signature = (data, columns=None, ids=None))]
    fn score(
        &self,
        py: Python<'_>,
        data: PyArrayLike2<'_, f64, AllowTypeChange>,
        columns: Option<Vec<String>>,
        ids: Option<Vec<String>>,
    ) -> PyResult<ScoredSurvey> {
        let view = data.as_array();
        let result = py.detach(|| {
            let source = match &columns {
                Some(cols) => column_sources(cols, view.nrows(), ids.as_deref(), &self.instrument)?,
                None => (0..view.ncols()).collect(),
            };
            let identity =
                source.len() == view.ncols() && source.iter().enumerate().all(|(i, &s)| i == s);
            let items = self.scorer.item_ids().len();
            let blocked = if identity && view.ncols() == items {
                score_blocks(&self.scorer, view, None)
            } else if !identity && source.len() == items {
                score_blocks(&self.scorer, view, Some(&source))
            } else {
                None
            };
            let scored = match blocked {
                Some(scores) => Ok(scores),
                // Small inputs, shape errors and answers off the scale: one
                // call on the whole matrix (errors name the global row and
                // count every bad value).
                None if identity => self.scorer.score(view, ids.as_deref()),
                None => {
                    let reordered = view.select(Axis(1), &source);
                    self.scorer.score(reordered.view(), ids.as_deref())
                }
            };
            scored.map_err(|e| locate_answer_error(e, &source, false))
        });
        match result {
            Ok(scores) => Ok(self.scored(scores, ids)),
            Err(err) => Err(raise_error(py, &err)),
        }
    }

    /// Score responses in the JSON table form `{items, rows, ids?}`
    /// (`None` = missing), as `survey.score` does.
    fn score_table(&self, py: Python<'_>, table: &Bound<'_, PyAny>) -> PyResult<ScoredSurvey> {
        let value = to_value(py, table)?;
        let result = (|| {
            let table: ResponseTable = from_json_value(value).map_err(|e| e.within("responses"))?;
            let matrix = table.to_matrix(&self.instrument)?;
            let scores = self
                .scorer
                .score(matrix.data.view(), matrix.ids.as_deref())
                .map_err(|e| matrix.locate(e, false))?;
            Ok((scores, matrix.ids))
        })();
        match result {
            Ok((scores, ids)) => Ok(self.scored(scores, ids)),
            Err(err) => Err(raise_error(py, &err)),
        }
    }

    /// Score one respondent's answers `{item: answer}` (items left out and
    /// `None` are missing), as `survey.score` with `answers` does.
    fn score_answers(&self, py: Python<'_>, answers: &Bound<'_, PyAny>) -> PyResult<ScoredSurvey> {
        let value = to_value(py, answers)?;
        let result = (|| {
            let answers: BTreeMap<String, Option<f64>> =
                from_json_value(value).map_err(|e| e.within("answers"))?;
            let matrix = answers_to_matrix(&answers, &self.instrument)?;
            self.scorer
                .score(matrix.data.view(), None)
                .map_err(|e| matrix.locate(e, true))
        })();
        match result {
            Ok(scores) => Ok(self.scored(scores, None)),
            Err(err) => Err(raise_error(py, &err)),
        }
    }
}

/// Compile `instrument` (the JSON shape, validated) with an optional
/// `framework` (built-in name or object; default: the instrument's own
/// `framework`), level `strategy` and scoring options.
#[pyfunction]
#[pyo3(signature = (instrument, *, framework=None, strategy=None, min_answered=None, basis=None, area_method=None))]
pub fn survey_scorer(
    py: Python<'_>,
    instrument: &Bound<'_, PyAny>,
    framework: Option<&Bound<'_, PyAny>>,
    strategy: Option<&Bound<'_, PyAny>>,
    min_answered: Option<&Bound<'_, PyAny>>,
    basis: Option<&Bound<'_, PyAny>>,
    area_method: Option<&Bound<'_, PyAny>>,
) -> PyResult<SurveyScorer> {
    let instrument = to_value(py, instrument)?;
    let framework = value_arg(py, framework)?;
    let strategy: Option<StrategySpec> = typed_arg(py, strategy, "strategy")?;
    let d = ScoringOptions::default();
    let options = ScoringOptions {
        min_answered: typed_arg(py, min_answered, "min_answered")?.unwrap_or(d.min_answered),
        basis: typed_arg::<MissingBasis>(py, basis, "basis")?.unwrap_or(d.basis),
        area_method: typed_arg(py, area_method, "area_method")?.unwrap_or(d.area_method),
    };
    build(instrument, framework, strategy, options).map_err(|e| raise_error(py, &e))
}

/// Scores of every respondent, kept native (see the module docs).
#[pyclass(frozen, module = "kompetens._native")]
pub struct ScoredSurvey {
    scores: Scores,
    ids: Option<Vec<String>>,
    instrument_id: String,
    framework: Option<Arc<Framework>>,
    strategy: LevelStrategy,
    options: ScoringOptions,
}

impl ScoredSurvey {
    fn framework(&self) -> kompetens::Result<&Framework> {
        self.framework
            .as_deref()
            .ok_or_else(|| Error::MissingValue {
                location: "framework".into(),
                what: "framework (assessments need competence targets)".into(),
            })
    }
}

#[pymethods]
impl ScoredSurvey {
    /// Number of respondents.
    fn __len__(&self) -> usize {
        self.scores.len()
    }

    /// Target ids (score columns).
    #[getter]
    fn targets(&self) -> Vec<String> {
        self.scores.targets.clone()
    }

    /// Area ids (area columns).
    #[getter]
    fn areas(&self) -> Vec<String> {
        self.scores.areas.clone()
    }

    /// Respondent ids, when given.
    #[getter]
    fn ids(&self) -> Option<Vec<String>> {
        self.ids.clone()
    }

    /// One result matrix as a new numpy array: `scores`, `levels`,
    /// `answered`, `status` (uint8: 0 scored, 1 no answers, 2 too few
    /// answers), `area_scores`, `area_levels`, `area_answered`,
    /// `area_status`. Missing scores and levels are `NaN`.
    fn array<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let s = &self.scores;
        Ok(match name {
            "scores" => s.scores.to_pyarray(py).into_any(),
            "levels" => s.level_matrix(&self.strategy).into_pyarray(py).into_any(),
            "answered" => s.answered.to_pyarray(py).into_any(),
            "status" => s.status.to_pyarray(py).into_any(),
            "area_scores" => s.area_scores.to_pyarray(py).into_any(),
            "area_levels" => s
                .area_level_matrix(&self.strategy)
                .into_pyarray(py)
                .into_any(),
            "area_answered" => s.area_answered.to_pyarray(py).into_any(),
            "area_status" => s.area_status.to_pyarray(py).into_any(),
            other => return Err(PyValueError::new_err(format!("no result array {other:?}"))),
        })
    }

    /// The JSON report of `survey.score`.
    fn report(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let report = self.scores.report(
            &self.instrument_id,
            self.framework.as_ref().map(|f| f.id.as_str()),
            &self.strategy,
            &self.options,
            self.ids.as_deref(),
        );
        Ok(pythonize::pythonize(py, &report)?.unbind())
    }

    /// One assessment per respondent (JSON shape of `survey.assessments`),
    /// with `source` (`"self"` default, or `"test"` …).
    #[pyo3(signature = (source=None))]
    fn to_assessments(
        &self,
        py: Python<'_>,
        source: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let source: Option<Source> = typed_arg(py, source, "source")?;
        let result = self.framework().and_then(|fw| {
            self.scores.to_assessments(
                fw,
                &self.strategy,
                source.unwrap_or(Source::SelfAssessed),
                self.ids.as_deref(),
            )
        });
        match result {
            Ok(list) => Ok(pythonize::pythonize(py, &list)?.unbind()),
            Err(err) => Err(raise_error(py, &err)),
        }
    }

    /// One respondent's (row `row`) ratings `[{competence, level, source}]`
    /// for `gap_report`.
    #[pyo3(signature = (row, source=None))]
    fn ratings(
        &self,
        py: Python<'_>,
        row: usize,
        source: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let source: Option<Source> = typed_arg(py, source, "source")?;
        let result = self.framework().and_then(|fw| {
            self.scores.ratings(
                fw,
                row,
                &self.strategy,
                source.unwrap_or(Source::SelfAssessed),
            )
        });
        match result {
            Ok(r) => Ok(pythonize::pythonize(py, &r)?.unbind()),
            Err(err) => Err(raise_error(py, &err)),
        }
    }
}
