//! Scoring in memory: documents → [`ScoredSentence`] values, with one or more models.

use crate::text::SentenceLanguage;
use std::path::PathBuf;
use std::sync::Arc;

use super::columns::{ModelColumns, ScoreColumns};
use super::input::Document;
use crate::model::{self, Model};
use crate::Error;

/// A named model: its columns are `<name>_label` and `<name>_p_<class>`.
#[derive(Debug, Clone)]
pub struct NamedModel {
    /// Column prefix.
    pub name: String,
    /// The model.
    pub model: Arc<Model>,
}

impl NamedModel {
    /// Names a model.
    pub fn new(name: impl Into<String>, model: impl Into<Arc<Model>>) -> NamedModel {
        NamedModel {
            name: name.into(),
            model: model.into(),
        }
    }
}

/// Names models by file stem (`bias.json` and `bias.json.gz` are both `bias`), refusing
/// duplicates.
pub fn name_models(models: Vec<(PathBuf, Model)>) -> Result<Vec<NamedModel>, Error> {
    let mut named: Vec<NamedModel> = Vec::new();
    for (path, model) in models {
        let gz = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let stem = path.file_stem().map(std::path::Path::new);
        let stem = if gz {
            stem.and_then(|s| s.file_stem())
        } else {
            stem.map(|s| s.as_os_str())
        };
        let name = stem
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        if named.iter().any(|m| m.name == name) {
            return Err(Error::DuplicateModel { name });
        }
        named.push(NamedModel::new(name, model));
    }
    Ok(named)
}

/// One model's verdict on a sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prediction {
    /// The most probable class (the first of them on a tie).
    pub label: String,
    /// The probability of each class, in the model's class order ([`Model::classes`]).
    pub probabilities: Vec<f64>,
}

/// A sentence (or a whole text, without splitting) with the scores of every model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoredSentence {
    /// The document's source (outlet).
    pub source: String,
    /// The document's id.
    pub doc: String,
    /// Position of the sentence in its document, from 0.
    pub index: usize,
    /// The sentence.
    pub text: String,
    /// The document's kept input columns ([`Document::keep`]).
    pub keep: Vec<String>,
    /// One prediction per model, in the scorer's model order.
    pub predictions: Vec<Prediction>,
}

impl ScoredSentence {
    /// The row id used by labelling sheets: `<source>_<doc>_<index>`, the index padded to
    /// three digits.
    pub fn id(&self) -> String {
        format!("{}_{}_{:03}", self.source, self.doc, self.index)
    }
}

/// Scores documents with one or more models, sentence by sentence, in memory.
///
/// A scorer keeps per-model buffers (and stem caches) between calls, so it takes `&mut self`;
/// clone it to score on several threads.
///
/// ```
/// use std::sync::Arc;
/// use framelens::model::Model;
/// use framelens::score::{Document, NamedModel, Scorer};
/// let json = include_str!("../../models/stance.json");
/// let model = Model::from_slice("stance.json".as_ref(), json.as_bytes())?;
/// let mut scorer = Scorer::new(&[NamedModel::new("stance", model)])?;
/// let doc = Document::new("wire", "a1", "NATO provocation is growing. Talks resume today.");
/// let rows = scorer.score_document(&doc);
/// assert_eq!(rows.len(), 2);
/// assert_eq!(rows[1].text, "Talks resume today.");
/// let p = &rows[0].predictions[0];
/// assert!((p.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-9);
/// assert_eq!(scorer.columns().header()[4..6], ["stance_label", "stance_p_anti_kremlin"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scorer {
    names: Vec<String>,
    scorers: Vec<model::Scorer>,
    no_split: bool,
    language: SentenceLanguage,
    row: ScoredSentence,
}

impl Scorer {
    /// A scorer for these models (none is allowed: rows then have no predictions).
    /// Fails when two models share a name, or a model cannot build its vectorizer.
    pub fn new(models: &[NamedModel]) -> Result<Scorer, Error> {
        let mut names: Vec<String> = Vec::with_capacity(models.len());
        for m in models {
            if names.contains(&m.name) {
                return Err(Error::DuplicateModel {
                    name: m.name.clone(),
                });
            }
            names.push(m.name.clone());
        }
        Ok(Scorer {
            names,
            scorers: models
                .iter()
                .map(|m| m.model.scorer())
                .collect::<Result<_, _>>()?,
            no_split: false,
            language: SentenceLanguage::English,
            row: ScoredSentence::default(),
        })
    }

    /// Score each document's text as one unit instead of splitting it into sentences.
    /// Defaults to false (split).
    pub fn no_split(mut self, yes: bool) -> Scorer {
        self.no_split = yes;
        self
    }

    /// Which rules split texts into sentences. Defaults to English.
    pub fn language(mut self, language: SentenceLanguage) -> Scorer {
        self.language = language;
        self
    }

    /// The columns of this scorer's rows (without `id` and kept columns; add them with
    /// [`ScoreColumns::with_id`] and [`ScoreColumns::with_keep`]).
    pub fn columns(&self) -> ScoreColumns {
        ScoreColumns::new(
            self.names
                .iter()
                .zip(&self.scorers)
                .map(|(name, s)| ModelColumns {
                    name: name.clone(),
                    classes: s.model().classes().to_vec(),
                })
                .collect(),
        )
    }

    /// Scores one text with every model.
    pub fn predict(&mut self, text: &str) -> Vec<Prediction> {
        let mut out = vec![Prediction::default(); self.scorers.len()];
        predict_into(&mut self.scorers, text, &mut out);
        out
    }

    /// Scores a document: one row per sentence (one row without splitting).
    pub fn score_document(&mut self, doc: &Document) -> Vec<ScoredSentence> {
        let mut rows = Vec::new();
        let _ = self.for_each_scored(doc, |row| {
            rows.push(row.clone());
            Ok::<(), std::convert::Infallible>(())
        });
        rows
    }

    /// Scores a document and calls `f` with each row, reusing one row's buffers (faster
    /// than [`score_document`](Self::score_document) when the rows are written out and
    /// dropped). Stops at the first error of `f`. Returns the number of rows.
    pub fn for_each_scored<E>(
        &mut self,
        doc: &Document,
        mut f: impl FnMut(&ScoredSentence) -> Result<(), E>,
    ) -> Result<usize, E> {
        let Scorer {
            scorers,
            no_split,
            language,
            row,
            ..
        } = self;
        row.source.clone_from(&doc.source);
        row.doc.clone_from(&doc.doc);
        row.keep.clone_from(&doc.keep);
        row.predictions
            .resize_with(scorers.len(), Prediction::default);
        let mut result = Ok(());
        let mut n = 0;
        doc.for_each_sentence_in(*no_split, language, |index, text| {
            if result.is_err() {
                return;
            }
            row.index = index;
            row.text.clear();
            row.text.push_str(text);
            predict_into(scorers, text, &mut row.predictions);
            result = f(row);
            n += 1;
        });
        result.map(|()| n)
    }
}

fn predict_into(scorers: &mut [model::Scorer], text: &str, out: &mut [Prediction]) {
    for (s, p) in scorers.iter_mut().zip(out) {
        s.proba_into(text, &mut p.probabilities);
        let probs = &p.probabilities;
        let best = (0..probs.len())
            .max_by(|&a, &b| probs[a].total_cmp(&probs[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        p.label.clear();
        if let Some(class) = s.model().classes().get(best) {
            p.label.push_str(class);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testutil::tiny_model;

    #[test]
    fn scored_sentences_of_a_tiny_model() {
        let model = NamedModel::new("stance", tiny_model());
        let mut scorer = Scorer::new(std::slice::from_ref(&model)).unwrap();
        assert_eq!(
            scorer.columns().models,
            [ModelColumns {
                name: "stance".into(),
                classes: vec!["anti".into(), "pro".into()],
            }]
        );
        let mut doc = Document::new(
            "wire",
            "a1",
            "Russian aggression grows. NATO provocation grows.",
        );
        doc.keep = vec!["gold".into()];
        let rows = scorer.score_document(&doc);
        assert_eq!(rows.len(), 2);
        let texts: Vec<(usize, &str)> = rows.iter().map(|r| (r.index, r.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                (0, "Russian aggression grows."),
                (1, "NATO provocation grows.")
            ]
        );
        for r in &rows {
            assert_eq!((r.source.as_str(), r.doc.as_str()), ("wire", "a1"));
            assert_eq!(r.keep, ["gold"]);
            assert_eq!(r.predictions.len(), 1);
            let p = &r.predictions[0].probabilities;
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{p:?}");
        }
        // The words that mark each class in training decide the label.
        assert_eq!(rows[0].predictions[0].label, "anti");
        assert!(rows[0].predictions[0].probabilities[0] > 0.5);
        assert_eq!(rows[1].predictions[0].label, "pro");
        assert!(rows[1].predictions[0].probabilities[1] > 0.5);
        assert_eq!(rows[1].id(), "wire_a1_001");
        // The same probabilities as the model on its own.
        let mut alone = model.model.scorer().unwrap();
        let mut p = Vec::new();
        alone.proba_into("NATO provocation grows.", &mut p);
        assert_eq!(rows[1].predictions[0].probabilities, p);
        assert_eq!(
            scorer.predict("NATO provocation grows.")[0],
            rows[1].predictions[0]
        );

        // Without splitting: one row with the whole text.
        let mut whole = scorer.clone().no_split(true);
        let rows = whole.score_document(&doc);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].index, rows[0].text.as_str()),
            (0, doc.text.as_str())
        );

        // The callback form gives the same rows and stops at the first error.
        let mut seen = Vec::new();
        let n = scorer
            .for_each_scored(&doc, |r| {
                seen.push(r.clone());
                Ok::<(), ()>(())
            })
            .unwrap();
        assert_eq!((n, seen), (2, scorer.score_document(&doc)));
        let mut calls = 0;
        assert_eq!(
            scorer.for_each_scored(&doc, |_| {
                calls += 1;
                Err("full")
            }),
            Err("full")
        );
        assert_eq!(calls, 1);
    }

    #[test]
    fn models_need_distinct_names() {
        let m = NamedModel::new("m", tiny_model());
        assert!(matches!(
            Scorer::new(&[m.clone(), m]),
            Err(Error::DuplicateModel { name }) if name == "m"
        ));
        let mut none = Scorer::new(&[]).unwrap();
        let rows = none.score_document(&Document::new("s", "d", "One. Two."));
        assert_eq!(rows.len(), 2);
        assert!(rows[0].predictions.is_empty());
    }
}
