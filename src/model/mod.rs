//! Model: a fitted feature extractor plus a logistic regression, with the metadata of its
//! training, saved as one self-describing, versioned JSON file.

mod calibrate;
pub mod explain;
mod file;
mod linfa_traits;
mod logistic;
mod params;
pub mod quantify;
mod validate;

pub use calibrate::{
    cross_fit, expected_calibration_error, Calibration, CalibrationError, ReliabilityBin, ECE_BINS,
};
pub use linfa::ParamGuard;
pub use linfa_traits::SparseRecords;
pub use logistic::{sample_weights, FitReport, LogisticRegression, StopReason};
pub use params::{ClassWeight, LogisticParams, LogisticValidParams};

use crate::config::{Config, Preset};
use crate::data::{LabelledData, RowCounts};
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
    /// Out-of-fold precision, recall, F1 and support per class, in model order.
    #[serde(default)]
    pub per_class: Vec<crate::eval::ClassMetrics>,
    /// Calibration error of the out-of-fold probabilities before calibration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ece_uncalibrated: Option<f64>,
    /// Calibration error and reliability table of the out-of-fold probabilities after
    /// calibration, cross-fitted (each fold calibrated on the other folds' rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration_error: Option<CalibrationError>,
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
    /// Cross-validated performance, when trained with cross-validation.
    pub cross_validation: Option<CrossValidation>,
    /// The preset the configuration started from, when one was named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<Preset>,
    /// The automatic search that chose the settings, when one ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<crate::eval::auto::AutoSummary>,
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
    /// What reports need to correct shares for the classifier's errors (absent in older models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantify: Option<quantify::QuantifyStats>,
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

/// Fewest rows of every class for [`TrainOptions::calibrate`] to fit a calibration.
pub const MIN_CALIBRATION_ROWS: usize = 10;

/// How to train a model beyond its [`Config`].
#[derive(Debug, Clone, Default)]
pub struct TrainOptions {
    /// Also cross-validate with this many stratified folds and store the out-of-fold
    /// confusion matrix and metrics in the model.
    pub cv: Option<usize>,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// The preset the configuration came from, recorded in the model.
    pub preset: Option<Preset>,
    /// Fit a calibration (temperature scaling) on the out-of-fold probabilities and apply it
    /// to every probability the model gives. Needs `cv`, and at least
    /// [`MIN_CALIBRATION_ROWS`] rows of every class (else no calibration is fitted).
    pub calibrate: bool,
}

/// Trains a model on labelled data: features and classifier on every row, plus
/// cross-validation when asked. The model records where it came from ([`TrainingInfo`]).
pub fn train(data: &LabelledData, config: &Config, opts: &TrainOptions) -> Result<Model, Error> {
    Ok(train_cv(data, config, opts)?.0)
}

/// [`train`], also returning the cross-validation's out-of-fold results when
/// [`TrainOptions::cv`] asks for them (their per-fold metrics are not stored in the model).
pub fn train_cv(
    data: &LabelledData,
    config: &Config,
    opts: &TrainOptions,
) -> Result<(Model, Option<crate::eval::CvResult>), Error> {
    if let Some(k) = opts.cv {
        if k < 2 {
            return Err(Error::setting("cv", k.to_string(), "at least 2 folds"));
        }
    }
    let cv = opts
        .cv
        .map(|k| crate::eval::cross_validate(config, &data.texts, &data.labels, k, opts.seed, &[]))
        .transpose()?;
    train_with(data, config, opts, cv, None)
}

/// [`train_cv`] with the cross-validation already done (`cv`, on `data` with `config`, as an
/// automatic search returns it) and the search's summary to record. When
/// [`TrainOptions::calibrate`] is set and `cv` is given, the model's probabilities are
/// calibrated, and the returned out-of-fold probabilities are the cross-fitted calibrated ones.
pub fn train_with(
    data: &LabelledData,
    config: &Config,
    opts: &TrainOptions,
    mut cv: Option<crate::eval::CvResult>,
    search: Option<crate::eval::auto::AutoSummary>,
) -> Result<(Model, Option<crate::eval::CvResult>), Error> {
    let (features, mut classifier, fit) = fit(
        &config.features.parts(),
        &config.params,
        &data.texts,
        &data.labels,
    )?;
    let mut ece_uncalibrated = None;
    let mut calibration_error = None;
    if let Some(r) = cv.as_mut() {
        let (_, y) = encode(&data.labels);
        // Calibration needs enough out-of-fold rows of every class: with a handful, perfectly
        // separated folds would make the fitted slope (and the probabilities) extreme.
        let enough = (0..r.classes.len())
            .all(|c| y.iter().filter(|&&g| g == c).count() >= MIN_CALIBRATION_ROWS);
        if opts.calibrate && enough {
            let cal = Calibration::fit(&r.proba, &y, false)?;
            ece_uncalibrated = Some(expected_calibration_error(&r.proba, &y).ece);
            r.proba = cross_fit(&r.proba, &y, &r.fold_of, false);
            r.pooled = crate::eval::compute(&r.classes, &y, &r.proba, &[]);
            classifier.calibration = Some(cal);
        }
        calibration_error = Some(expected_calibration_error(&r.proba, &y));
    }
    let cross_validation = cv.as_ref().map(|r| CrossValidation {
        folds: r.folds,
        seed: r.seed,
        accuracy: r.pooled.accuracy,
        macro_f1: r.pooled.macro_f1,
        confusion: r.pooled.confusion.clone(),
        per_class: r.pooled.per_class.clone(),
        ece_uncalibrated,
        calibration_error: calibration_error.clone(),
    });
    let training = TrainingInfo {
        data_file: data
            .path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        data_sha256: data.sha256.clone(),
        text_column: data.spec.text.clone(),
        label_column: data.spec.label.clone(),
        skip_labels: data.spec.skip_labels.clone(),
        filters: data.spec.filters.iter().map(ToString::to_string).collect(),
        rows: data.rows.clone(),
        class_counts: data.class_counts.clone(),
        params: config.params.clone(),
        seed: opts.seed,
        fit,
        date: training_date(),
        cross_validation,
        preset: opts.preset,
        search,
    };
    let mut model = Model::new(features, classifier, training);
    let y = encode(&data.labels).1;
    model.quantify = Some(quantify::QuantifyStats::new(
        &data.texts,
        &y,
        model.classes().len(),
        cv.as_ref().map(|r| r.proba.as_slice()),
    ));
    Ok((model, cv))
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
            quantify: None,
        }
    }

    /// A short identity of the model (16 hex digits of a SHA-256 over its classes, its
    /// training data's hash and date, its hyper-parameters and its vocabulary): two files with
    /// the same fingerprint are the same model for a report.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        for c in self.classes() {
            field(c.as_bytes());
        }
        field(self.training.data_sha256.as_bytes());
        field(self.training.date.as_bytes());
        field(format!("{:?}", self.training.params).as_bytes());
        for part in &self.features.parts {
            for t in &part.vocabulary {
                field(t.as_bytes());
            }
        }
        let d = h.finalize();
        d[..8].iter().map(|b| format!("{b:02x}")).collect()
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

    /// The `n` n-grams that push hardest toward each class, as (n-gram, weight toward that
    /// class). With two classes the model has one weight vector, for the second class; the
    /// first class gets the most negative weights with their sign flipped, so a positive
    /// number always means "toward this class".
    pub fn top_features(&self, n: usize) -> Vec<(String, Vec<(String, f64)>)> {
        let names = self.features.feature_names();
        let classes = self.classes();
        let top = |w: &[f64], sign: f64| -> Vec<(String, f64)> {
            let mut idx: Vec<usize> = (0..w.len()).collect();
            idx.sort_by(|&a, &b| (sign * w[b]).total_cmp(&(sign * w[a])).then(a.cmp(&b)));
            idx.into_iter()
                .take(n)
                .map(|i| (names[i].clone(), sign * w[i]))
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

    /// A readable description: provenance, data, features, classifier, cross-validation,
    /// and the `top` n-grams pushing toward each class.
    pub fn describe(&self, top: usize) -> String {
        use std::fmt::Write as _;
        let t = &self.training;
        let mut s = String::new();
        let list = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            s,
            "format: {} version {}, written by framelens {}",
            self.format, self.format_version, self.framelens_version
        );
        let _ = writeln!(
            s,
            "trained: {} on {} (sha256 {})",
            t.date, t.data_file, t.data_sha256
        );
        let _ = writeln!(
            s,
            "text column: {}; label column: {}",
            t.text_column, t.label_column
        );
        if !t.skip_labels.is_empty() {
            let _ = writeln!(s, "skipped labels: {}", t.skip_labels.join(", "));
        }
        if !t.filters.is_empty() {
            let _ = writeln!(s, "row filters: {}", t.filters.join(", "));
        }
        let skipped = t
            .rows
            .skipped
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>();
        let _ = writeln!(
            s,
            "rows: {} read, {} used{}",
            t.rows.read,
            t.rows.used,
            if skipped.is_empty() {
                String::new()
            } else {
                format!(", skipped {}", skipped.join(", "))
            }
        );
        let _ = writeln!(s, "classes: {}", list(&t.class_counts));
        if let Some(p) = t.preset {
            let _ = writeln!(s, "preset: {p}");
        }
        for (i, p) in self.features.parts.iter().enumerate() {
            let _ = writeln!(
                s,
                "features{}: {} terms; {}",
                if self.features.parts.len() > 1 {
                    format!(" (part {})", i + 1)
                } else {
                    String::new()
                },
                p.vocabulary.len(),
                crate::config::describe_part(&p.config)
            );
        }
        let _ = writeln!(
            s,
            "classifier: logistic regression, C {}, class weight {}, {} L-BFGS iterations, {}",
            t.params.c(),
            match t.params.class_weight() {
                ClassWeight::None => "none",
                ClassWeight::Balanced => "balanced",
            },
            t.fit.iterations,
            if t.fit.converged {
                "converged"
            } else {
                "not converged"
            }
        );
        if let Some(cv) = &t.cross_validation {
            let _ = writeln!(
                s,
                "cross-validation: {} folds (seed {}), out-of-fold pooled accuracy {:.3}, macro-F1 {:.3}",
                cv.folds, cv.seed, cv.accuracy, cv.macro_f1
            );
            s.push_str(&crate::eval::confusion_table(self.classes(), &cv.confusion));
        }
        for (class, feats) in self.top_features(top) {
            let _ = writeln!(s, "\ntop {} n-grams toward {class} (weight):", feats.len());
            for (name, w) in feats {
                let _ = writeln!(s, "  {w:+.3}  {name}");
            }
        }
        s
    }

    /// Serialises to compact JSON (deterministic: fields in declaration order).
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string(self).map_err(|e| Error::inconsistent("model", e.to_string()))
    }

    /// Writes the model atomically: a temporary file in the same directory, then a rename.
    /// Compact JSON, gzip-compressed when the file name ends in `.gz` ([`Model::load`]
    /// recognises gzip by its content).
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let mut json = self.to_json()?;
        json.push('\n');
        let bytes = file::encode(path, &json)?;
        crate::io::write_atomic(path, &bytes).map_err(|source| Error::Io {
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

    /// Decodes and checks a model from bytes, plain or gzip-compressed JSON (`path` is used in
    /// messages).
    pub fn from_slice(path: &Path, bytes: &[u8]) -> Result<Model, Error> {
        let bytes = &*file::decode(path, bytes)?;
        // A byte-order mark (some Windows editors add one) is not part of the JSON.
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
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
        // The whole model in one pass; the format and version are checked on the result. Only
        // when that fails is the file read again for its header alone, so that a file of another
        // format or version is named as such rather than by its first unexpected field (a second
        // full pass on every load cost about a third of loading a large model).
        let model = match serde_json::from_slice::<Model>(bytes) {
            Ok(model) => model,
            Err(e) => {
                check_header(path, bytes)?;
                return Err(Error::Corrupt {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                });
            }
        };
        if model.format != MODEL_FORMAT {
            return Err(not_model(format!("its format is {:?}", model.format)));
        }
        if model.format_version != FORMAT_VERSION {
            return Err(Error::Version {
                path: path.to_path_buf(),
                found: u64::from(model.format_version),
                expected: FORMAT_VERSION,
            });
        }
        validate::check(path, &model)?;
        Ok(model)
    }
}

/// Reads only the `format` and `format_version` of a model file (the rest is skipped without
/// building values) and names what is wrong with them; `Ok` when both are as expected.
fn check_header(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let not_model = |reason: String| Error::NotAModel {
        path: path.to_path_buf(),
        reason,
    };
    #[derive(Deserialize)]
    struct Header {
        format: Option<serde_json::Value>,
        format_version: Option<serde_json::Value>,
    }
    let value: Header = serde_json::from_slice(bytes).map_err(|e| {
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
    match value.format.as_ref().and_then(|f| f.as_str()) {
        Some(MODEL_FORMAT) => {}
        Some(other) => return Err(not_model(format!("its format is {other:?}"))),
        None => return Err(not_model("it has no \"format\" field".into())),
    }
    let version = value.format_version.as_ref().and_then(|v| v.as_u64());
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
    Ok(())
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
                preset: None,
                search: None,
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
        assert!(json.contains("\"format_version\":1,") && json.contains("\"intercept\":["));
        let v2 = json.replacen("\"format_version\":1", "\"format_version\":2", 1);
        assert!(matches!(
            Model::from_slice(p, v2.as_bytes()),
            Err(Error::Version { found: 2, .. })
        ));
        let broken = json.replacen("\"intercept\":[", "\"intercept\":[1.0,", 1);
        // Issue 11, item 8: an inconsistent model names its file.
        assert!(matches!(
            Model::from_slice(p, broken.as_bytes()),
            Err(Error::InvalidModel { reason, .. }) if reason.starts_with("inconsistent model")
        ));
    }

    /// The fields issue 8 adds: a calibration applied in the model's own probabilities, the
    /// out-of-fold per-class rates and calibration error, and the search summary; all survive a
    /// save/load round trip.
    #[test]
    fn calibration_and_cv_fields_are_stored_and_applied() {
        let mut csv = String::from("text,label\n");
        for i in 0..40 {
            // Overlapping vocabularies, so the classifier is unsure and calibration matters.
            csv += &format!("troops tanks talks item{} w{}, military\n", i % 7, i % 3);
            csv += &format!("talks summit tanks item{} w{}, diplomacy\n", i % 5, i % 4);
        }
        let data = LabelledData::from_bytes(
            Path::new("t.csv"),
            csv.into_bytes(),
            &crate::data::LabelSpec::new("text", "label"),
            &Default::default(),
        )
        .unwrap();
        let config = Preset::Best.config();
        let opts = TrainOptions {
            cv: Some(5),
            calibrate: true,
            ..Default::default()
        };
        let (m, cv) = train_cv(&data, &config, &opts).unwrap();
        let cal = m.classifier.calibration.clone().expect("calibrated");
        assert!(cal.slope > 0.0 && cal.slope != 1.0, "{cal:?}");
        let stored = m.training.cross_validation.clone().unwrap();
        assert_eq!(stored.per_class.len(), 2);
        assert_eq!(
            stored.per_class[0].support + stored.per_class[1].support,
            80
        );
        assert!(stored.ece_uncalibrated.is_some());
        let ece = stored.calibration_error.clone().unwrap();
        assert_eq!(ece.bins.iter().map(|b| b.n).sum::<usize>(), 80);
        assert_eq!(cv.unwrap().proba.len(), 80);
        // The scorer applies the calibration: equal to calibrating the raw probability.
        let json = m.to_json().unwrap();
        let back = Arc::new(Model::from_slice(Path::new("m.json"), json.as_bytes()).unwrap());
        assert_eq!(back.classifier.calibration, Some(cal.clone()));
        assert_eq!(
            back.training
                .cross_validation
                .as_ref()
                .map(|c| c.per_class.len()),
            Some(2)
        );
        let mut raw_model = (*back).clone();
        raw_model.classifier.calibration = None;
        let raw_model = Arc::new(raw_model);
        let (mut p, mut q) = (Vec::new(), Vec::new());
        back.scorer().unwrap().proba_into("troops talks", &mut p);
        raw_model
            .scorer()
            .unwrap()
            .proba_into("troops talks", &mut q);
        cal.apply(&mut q);
        assert!(
            (p[0] - q[0]).abs() < 1e-12 && (p[1] - q[1]).abs() < 1e-12,
            "{p:?} {q:?}"
        );
        // Without calibration asked for, none is fitted.
        let (plain, _) = train_cv(
            &data,
            &config,
            &TrainOptions {
                cv: Some(5),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(plain.classifier.calibration.is_none());
    }
}
