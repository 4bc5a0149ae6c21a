//! Model: a fitted feature extractor plus a logistic regression, with the metadata of its
//! training, saved as one self-describing, versioned JSON file.

mod logistic;
mod params;

pub use logistic::{sample_weights, FitReport, LogisticRegression, StopReason};
pub use params::{ClassWeight, LogisticParams, LogisticValidParams};

use crate::Error;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::features::{FeatureExtractor, SparseRow, TfidfConfig, Vectorizer};

/// The `format` field of every model file.
pub const MODEL_FORMAT: &str = "framelens-model";
/// The model-file format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Rows of the training file that were used or skipped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RowCounts {
    /// Data rows read (header excluded).
    pub read: usize,
    /// Rows used for training.
    pub used: usize,
    /// Rows skipped, by reason (`empty text`, `empty label`, `skipped label`).
    pub skipped: BTreeMap<String, usize>,
}

/// Cross-validated performance stored with a model (see `framelens eval`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    /// Number of folds.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// Out-of-fold accuracy.
    pub accuracy: f64,
    /// Out-of-fold macro-F1.
    pub macro_f1: f64,
    /// Confusion matrix: `confusion[gold][predicted]`, classes in model order.
    pub confusion: Vec<Vec<usize>>,
}

/// Where a model came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// File name of the training data (no directory).
    pub data_file: String,
    /// SHA-256 of the training file's bytes.
    pub data_sha256: String,
    /// Text column.
    pub text_column: String,
    /// Label column.
    pub label_column: String,
    /// Label values that were skipped.
    pub skip_labels: Vec<String>,
    /// Row filters (`COL=VALUE`): only rows matching all of them were used.
    #[serde(default)]
    pub filters: Vec<String>,
    /// Rows used and skipped.
    pub rows: RowCounts,
    /// Training rows per class.
    pub class_counts: BTreeMap<String, usize>,
    /// Hyper-parameters.
    pub params: LogisticValidParams,
    /// Seed (fold assignment for `--cv`).
    pub seed: u64,
    /// Optimiser outcome.
    pub fit: FitReport,
    /// UTC date of training (`SOURCE_DATE_EPOCH` overrides the clock, for reproducible files).
    pub date: String,
    /// Cross-validated performance, when trained with `--cv`.
    pub cross_validation: Option<CrossValidation>,
}

/// A trained model, as stored on disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    /// Always [`MODEL_FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// framelens version that trained it.
    pub framelens_version: String,
    /// Feature extractor: configuration, vocabulary, idf.
    pub features: Arc<FeatureExtractor>,
    /// The classifier.
    pub classifier: LogisticRegression,
    /// Training metadata.
    pub training: TrainingInfo,
}

/// A model ready to score text: one per thread (clone it).
#[derive(Debug, Clone)]
pub struct Scorer {
    vectorizer: Vectorizer,
    model: Arc<Model>,
    row: SparseRow,
}

impl Scorer {
    /// Class probabilities of one text, in the order of [`Model::classes`].
    pub fn proba_into(&mut self, text: &str, out: &mut Vec<f64>) {
        self.vectorizer.transform_into(text, &mut self.row);
        self.model
            .classifier
            .predict_proba_into(&self.row.indices, &self.row.values, out);
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }
}

/// Classes (sorted) and the class index of each label.
pub fn encode(labels: &[String]) -> (Vec<String>, Vec<usize>) {
    let classes: Vec<String> = labels
        .iter()
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let y = labels
        .iter()
        .map(|l| classes.binary_search(l).unwrap_or(0))
        .collect();
    (classes, y)
}

/// Fits features and classifier on texts and labels; returns the classifier parts.
pub fn fit(
    configs: &[TfidfConfig],
    params: &LogisticValidParams,
    texts: &[String],
    labels: &[String],
) -> Result<(Arc<FeatureExtractor>, LogisticRegression, FitReport), Error> {
    let (classes, y) = encode(labels);
    if classes.len() < 2 {
        return Err(Error::SingleClass {
            class: classes.into_iter().next().unwrap_or_default(),
        });
    }
    let fx = Arc::new(FeatureExtractor::fit_supervised(
        configs,
        texts,
        &y,
        classes.len(),
    )?);
    let x = fx.vectorizer()?.transform_batch(texts);
    let (clf, report) = params.fit(&x, &y, classes)?;
    Ok((fx, clf, report))
}

impl Model {
    /// Assembles a model from its parts.
    pub fn new(
        features: Arc<FeatureExtractor>,
        classifier: LogisticRegression,
        training: TrainingInfo,
    ) -> Model {
        Model {
            format: MODEL_FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            framelens_version: env!("CARGO_PKG_VERSION").to_string(),
            features,
            classifier,
            training,
        }
    }

    /// The class labels, sorted.
    pub fn classes(&self) -> &[String] {
        &self.classifier.classes
    }

    /// A scorer for this model.
    pub fn scorer(self: &Arc<Self>) -> Result<Scorer, Error> {
        Ok(Scorer {
            vectorizer: self.features.vectorizer()?,
            model: self.clone(),
            row: SparseRow::default(),
        })
    }

    /// The `n` highest-weighted features for each class, as (feature, weight).
    /// For two classes the second class gets the largest weights and the first the most
    /// negative ones (with their sign).
    pub fn top_features(&self, n: usize) -> Vec<(String, Vec<(String, f64)>)> {
        let names = self.features.feature_names();
        let classes = self.classes();
        let top = |w: &[f64], sign: f64| -> Vec<(String, f64)> {
            let mut idx: Vec<usize> = (0..w.len()).collect();
            idx.sort_by(|&a, &b| (sign * w[b]).total_cmp(&(sign * w[a])).then(a.cmp(&b)));
            idx.into_iter()
                .take(n)
                .map(|i| (names[i].clone(), w[i]))
                .collect()
        };
        if classes.len() == 2 {
            vec![
                (classes[0].clone(), top(&self.classifier.coef[0], -1.0)),
                (classes[1].clone(), top(&self.classifier.coef[0], 1.0)),
            ]
        } else {
            classes
                .iter()
                .zip(&self.classifier.coef)
                .map(|(c, w)| (c.clone(), top(w, 1.0)))
                .collect()
        }
    }

    /// Serialises to pretty JSON (deterministic: fields in declaration order).
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string_pretty(self).map_err(|e| Error::inconsistent("model", e.to_string()))
    }

    /// Writes the model atomically: a temporary file in the same directory, then a rename.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let mut json = self.to_json()?;
        json.push('\n');
        crate::io::write_atomic(path, json.as_bytes()).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads and checks a model file.
    pub fn load(path: &Path) -> Result<Model, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_slice(path, &bytes)
    }

    /// Decodes and checks a model from bytes (`path` is used in messages).
    pub fn from_slice(path: &Path, bytes: &[u8]) -> Result<Model, Error> {
        let not_model = |reason: String| Error::NotAModel {
            path: path.to_path_buf(),
            reason,
        };
        let head = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if head != Some(&b'{') {
            return Err(not_model(if bytes.is_empty() {
                "the file is empty".into()
            } else {
                "it is not a JSON object".into()
            }));
        }
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
            if e.is_eof() {
                Error::Corrupt {
                    path: path.to_path_buf(),
                    reason: format!("the file ends early (truncated?): {e}"),
                }
            } else {
                Error::Corrupt {
                    path: path.to_path_buf(),
                    reason: format!("invalid JSON: {e}"),
                }
            }
        })?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(MODEL_FORMAT) => {}
            Some(other) => return Err(not_model(format!("its format is {other:?}"))),
            None => return Err(not_model("it has no \"format\" field".into())),
        }
        let version = value.get("format_version").and_then(|v| v.as_u64());
        match version {
            Some(v) if v == u64::from(FORMAT_VERSION) => {}
            Some(found) => {
                return Err(Error::Version {
                    path: path.to_path_buf(),
                    found,
                    expected: FORMAT_VERSION,
                })
            }
            None => return Err(not_model("it has no \"format_version\" number".into())),
        }
        let model: Model = serde_json::from_value(value).map_err(|e| Error::Corrupt {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        model.features.vectorizer()?;
        model.classifier.validate(model.features.n_features())?;
        Ok(model)
    }
}

/// Today's UTC date (`YYYY-MM-DD`), or the date of `SOURCE_DATE_EPOCH` when it is set.
pub fn training_date() -> String {
    let t = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(|s| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s))
        .unwrap_or_else(std::time::SystemTime::now);
    humantime::format_rfc3339_seconds(t).to_string()[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::ParamGuard;

    fn tiny() -> Model {
        let texts: Vec<String> = [
            "troops invade",
            "talks resume",
            "troops mass",
            "talks stall",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let labels: Vec<String> = ["military", "diplomacy", "military", "diplomacy"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let params = LogisticParams::new().check().unwrap();
        let (fx, clf, fit) = fit(&[TfidfConfig::default()], &params, &texts, &labels).unwrap();
        Model::new(
            fx,
            clf,
            TrainingInfo {
                data_file: "t.csv".into(),
                data_sha256: "00".into(),
                text_column: "text".into(),
                label_column: "frame".into(),
                skip_labels: vec![],
                filters: vec![],
                rows: RowCounts::default(),
                class_counts: BTreeMap::new(),
                params,
                seed: 0,
                fit,
                date: "2026-01-01".into(),
                cross_validation: None,
            },
        )
    }

    #[test]
    fn round_trip_and_scores() {
        let m = tiny();
        let json = m.to_json().unwrap();
        let back = Arc::new(Model::from_slice(Path::new("m.json"), json.as_bytes()).unwrap());
        assert_eq!(back.to_json().unwrap(), json);
        let mut s = back.scorer().unwrap();
        let mut p = Vec::new();
        s.proba_into("more troops", &mut p);
        assert_eq!(back.classes(), ["diplomacy", "military"]);
        assert!(p[1] > p[0]);
        let top = back.top_features(1);
        assert_eq!(top[0].1[0].0, "talk");
        assert_eq!(top[1].1[0].0, "troop");
    }

    #[test]
    fn bad_files_are_named() {
        let json = tiny().to_json().unwrap();
        let p = Path::new("m.json");
        assert!(matches!(
            Model::from_slice(p, b""),
            Err(Error::NotAModel { .. })
        ));
        assert!(matches!(
            Model::from_slice(p, b"a,b\n1,2"),
            Err(Error::NotAModel { .. })
        ));
        assert!(matches!(
            Model::from_slice(p, b"{\"x\": 1}"),
            Err(Error::NotAModel { .. })
        ));
        let truncated = &json.as_bytes()[..json.len() / 2];
        match Model::from_slice(p, truncated) {
            Err(Error::Corrupt { reason, .. }) => {
                assert!(reason.contains("truncated"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        let v2 = json.replacen("\"format_version\": 1", "\"format_version\": 2", 1);
        assert!(matches!(
            Model::from_slice(p, v2.as_bytes()),
            Err(Error::Version { found: 2, .. })
        ));
        let broken = json.replacen("\"intercept\": [", "\"intercept\": [1.0, ", 1);
        assert!(matches!(
            Model::from_slice(p, broken.as_bytes()),
            Err(Error::Inconsistent { .. })
        ));
    }
}
