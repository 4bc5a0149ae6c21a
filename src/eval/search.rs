//! Grid search by cross-validation, held-out evaluation, and their result files.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{compute, cross_validate_many, encode, learning_curve, stratified_folds};
use super::{CurvePoint, CvResult, Metrics};
use crate::config::{Config, Grid};
use crate::data::LabelledData;
use crate::model::{self, Model};
use crate::Error;

/// How to search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Stratified folds. Default 5.
    pub folds: usize,
    /// Seed of the fold assignment. Default 0.
    pub seed: u64,
    /// Select by the mean F1 over these classes (the SemEval stance metric) instead of
    /// macro-F1. Default none.
    pub f_avg: Vec<String>,
    /// Also compute a learning curve of the best setting. Default false.
    pub learning_curve: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            folds: 5,
            seed: 0,
            f_avg: Vec::new(),
            learning_curve: false,
        }
    }
}

/// One evaluated setting. Every figure is the mean and standard deviation over the folds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evaluated {
    /// `key=value` settings that differ from the base (empty for the base).
    pub settings: Vec<String>,
    /// The configuration.
    pub config: Config,
    /// Macro-F1, mean and standard deviation over folds.
    pub macro_f1: (f64, f64),
    /// Accuracy.
    pub accuracy: (f64, f64),
    /// Support-weighted F1.
    pub weighted_f1: (f64, f64),
    /// Mean F1 over the `f_avg` classes, if any.
    pub f_avg: Option<(f64, f64)>,
    /// Log-loss.
    pub log_loss: (f64, f64),
    /// Brier score.
    pub brier: (f64, f64),
    /// The selection metric of each fold, in fold order (for paired comparisons).
    #[serde(default)]
    pub macro_f1_per_fold: Vec<f64>,
    /// Two-sided p-value of the corrected paired t-test against the best setting over the
    /// folds ([`corrected_paired_t`]); `None` for the best itself.
    #[serde(default)]
    pub p_vs_best: Option<f64>,
    /// True when this setting is the best or not significantly worse (p >= 0.05).
    #[serde(default)]
    pub within_noise: bool,
    /// Out-of-fold predictions pooled.
    pub pooled: Metrics,
}

impl Evaluated {
    /// The selection score: mean over folds of F-avg if asked for, else of macro-F1.
    pub fn score(&self) -> f64 {
        self.f_avg.map_or(self.macro_f1.0, |f| f.0)
    }

    /// The settings as one string, `(base)` for the base.
    pub fn label(&self) -> String {
        if self.settings.is_empty() {
            "(base)".into()
        } else {
            self.settings.join(" ")
        }
    }
}

/// Always predicting the training fold's most frequent class.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    /// The most frequent class over all rows.
    pub class: String,
    /// Macro-F1, mean and standard deviation over folds.
    pub macro_f1: (f64, f64),
    /// Accuracy, mean and standard deviation over folds.
    pub accuracy: (f64, f64),
}

/// What a search finds; saved as JSON and read back by [`SearchResult::load`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchResult {
    /// framelens version.
    pub framelens_version: String,
    /// The labelled file.
    pub data_file: String,
    /// Its SHA-256.
    pub data_sha256: String,
    /// Label column.
    pub label_column: String,
    /// Classes, sorted.
    pub classes: Vec<String>,
    /// Folds.
    pub folds: usize,
    /// Seed.
    pub seed: u64,
    /// Rows used.
    pub rows: usize,
    /// Selection metric.
    pub selected_by: String,
    /// The majority-class baseline on the same folds.
    #[serde(default)]
    pub baseline: Option<Baseline>,
    /// Every setting, in grid order.
    pub results: Vec<Evaluated>,
    /// Index of the best setting in `results`.
    #[serde(default)]
    pub best_index: usize,
    /// The best setting's configuration.
    pub best: Config,
    /// Learning curve of the best setting.
    pub learning_curve: Option<Vec<CurvePoint>>,
    /// Calibration of the best setting's out-of-fold probabilities.
    #[serde(default)]
    pub calibration: Option<OutOfFoldCalibration>,
}

/// How well out-of-fold probabilities are calibrated, before and after the temperature scaling
/// `train` fits on them (cross-fitted: each fold calibrated on the other folds' rows).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutOfFoldCalibration {
    /// Expected calibration error of the probabilities as the classifier gives them.
    pub uncalibrated: model::CalibrationError,
    /// The same after cross-fitted temperature scaling; `None` when a class has fewer rows
    /// than calibration needs (`train` then stores no calibration either).
    pub calibrated: Option<model::CalibrationError>,
}

impl OutOfFoldCalibration {
    /// Measures `cv`'s out-of-fold probabilities.
    pub fn of(cv: &CvResult, labels: &[String]) -> OutOfFoldCalibration {
        let (_, y) = encode(labels);
        let enough = (0..cv.classes.len())
            .all(|c| y.iter().filter(|&&g| g == c).count() >= model::MIN_CALIBRATION_ROWS);
        OutOfFoldCalibration {
            uncalibrated: model::expected_calibration_error(&cv.proba, &y),
            calibrated: enough.then(|| {
                let p = model::cross_fit(&cv.proba, &y, &cv.fold_of, false);
                model::expected_calibration_error(&p, &y)
            }),
        }
    }
}

/// A search's result and the out-of-fold predictions of its best setting.
#[derive(Debug, Clone)]
pub struct Search {
    /// The result.
    pub result: SearchResult,
    /// Out-of-fold predictions of the best setting.
    pub best_cv: CvResult,
}

/// Class indices of `names`, or an error naming the unknown class.
pub fn class_indices(classes: &[String], names: &[String]) -> Result<Vec<usize>, Error> {
    names
        .iter()
        .map(|n| {
            classes
                .iter()
                .position(|c| c == n.trim())
                .ok_or_else(|| Error::UnknownClass {
                    class: n.clone(),
                    classes: classes.to_vec(),
                })
        })
        .collect()
}

/// Cross-validates every point of `grid` over `base` on the same stratified folds and picks
/// the best by the mean over folds of macro-F1 (or F-avg). Settings that share their feature
/// settings share each fold's feature matrices.
pub fn search(
    base: &Config,
    grid: &Grid,
    data: &LabelledData,
    opts: &SearchOptions,
) -> Result<Search, Error> {
    let candidates = grid.expand(base)?;
    let (classes, _) = encode(&data.labels);
    let f_avg = class_indices(&classes, &opts.f_avg)?;
    let configs: Vec<Config> = candidates.iter().map(|c| c.config.clone()).collect();
    let cvs = cross_validate_many(
        &configs,
        &data.texts,
        &data.labels,
        opts.folds,
        opts.seed,
        &f_avg,
    )?;
    let mut results: Vec<Evaluated> = candidates
        .into_iter()
        .zip(&cvs)
        .map(|(c, r)| {
            summarise(
                c.settings.iter().map(ToString::to_string).collect(),
                c.config,
                r,
            )
        })
        .collect();
    let best_index = (0..results.len())
        .fold(None, |best: Option<usize>, i| match best {
            Some(b) if results[b].score() >= results[i].score() => Some(b),
            _ => Some(i),
        })
        .ok_or_else(|| Error::inconsistent("evaluation", "the grid produced no setting"))?;
    mark_noise(&mut results, best_index, opts.folds);
    let curve = if opts.learning_curve {
        Some(learning_curve(
            &results[best_index].config,
            &data.texts,
            &data.labels,
            opts.folds,
            opts.seed,
        )?)
    } else {
        None
    };
    let result = SearchResult {
        framelens_version: env!("CARGO_PKG_VERSION").into(),
        data_file: data.path.display().to_string(),
        data_sha256: data.sha256.clone(),
        label_column: data.spec.label.clone(),
        classes: classes.clone(),
        folds: opts.folds,
        seed: opts.seed,
        rows: data.texts.len(),
        selected_by: if f_avg.is_empty() {
            "macro_f1".into()
        } else {
            format!("f_avg({})", opts.f_avg.join(","))
        },
        baseline: Some(baseline(&data.labels, opts.folds, opts.seed)),
        best: results[best_index].config.clone(),
        best_index,
        results,
        learning_curve: curve,
        calibration: None,
    };
    let best_cv = cvs
        .into_iter()
        .nth(best_index)
        .ok_or_else(|| Error::inconsistent("evaluation", "no result for the best setting"))?;
    let result = SearchResult {
        calibration: Some(OutOfFoldCalibration::of(&best_cv, &data.labels)),
        ..result
    };
    Ok(Search { result, best_cv })
}

fn summarise(settings: Vec<String>, config: Config, r: &CvResult) -> Evaluated {
    let f_avg = r
        .pooled
        .f_avg
        .map(|_| r.fold_stat(|m| m.f_avg.unwrap_or(f64::NAN)));
    Evaluated {
        settings,
        config,
        macro_f1: r.fold_stat(|m| m.macro_f1),
        accuracy: r.fold_stat(|m| m.accuracy),
        weighted_f1: r.fold_stat(|m| m.weighted_f1),
        f_avg,
        log_loss: r.fold_stat(|m| m.log_loss),
        brier: r.fold_stat(|m| m.brier),
        macro_f1_per_fold: r
            .per_fold
            .iter()
            .map(|m| {
                if f_avg.is_some() {
                    m.f_avg.unwrap_or(f64::NAN)
                } else {
                    m.macro_f1
                }
            })
            .collect(),
        p_vs_best: None,
        within_noise: false,
        pooled: r.pooled.clone(),
    }
}

/// Marks the settings whose per-fold scores are not significantly below the best's.
fn mark_noise(results: &mut [Evaluated], best: usize, folds: usize) {
    let best_scores = results[best].macro_f1_per_fold.clone();
    // Each fold tests on 1/k of the rows and trains on the rest.
    let ratio = 1.0 / (folds.max(2) - 1) as f64;
    for (i, r) in results.iter_mut().enumerate() {
        if i == best {
            r.p_vs_best = None;
            r.within_noise = true;
            continue;
        }
        let p = corrected_paired_t(&best_scores, &r.macro_f1_per_fold, ratio).1;
        r.p_vs_best = Some(p);
        r.within_noise = p >= 0.05;
    }
}

/// The paired t-test of `a` against `b` over cross-validation folds, with Nadeau and Bengio's
/// (2003) correction for the overlap of the training sets: the variance of the mean
/// difference is `(1/k + test_train_ratio) · s²` instead of `s²/k`. `test_train_ratio = 0`
/// gives the ordinary paired t-test (scipy's `ttest_rel`). Returns `(t, two-sided p)` with
/// k − 1 degrees of freedom. Equal folds give `(0, 1)`; a constant non-zero difference gives
/// an infinite t and p = 0.
pub fn corrected_paired_t(a: &[f64], b: &[f64], test_train_ratio: f64) -> (f64, f64) {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let k = d.len();
    if k < 2 {
        return (0.0, 1.0);
    }
    let kf = k as f64;
    let mean = d.iter().sum::<f64>() / kf;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (kf - 1.0);
    let se = ((1.0 / kf + test_train_ratio) * var).sqrt();
    if se == 0.0 || !se.is_finite() {
        return if mean == 0.0 {
            (0.0, 1.0)
        } else {
            (mean.signum() * f64::INFINITY, 0.0)
        };
    }
    let t = mean / se;
    let p = match StudentsT::new(0.0, 1.0, kf - 1.0) {
        Ok(dist) => 2.0 * (1.0 - dist.cdf(t.abs())),
        Err(_) => f64::NAN,
    };
    (t, p.clamp(0.0, 1.0))
}

/// The majority-class baseline on the folds a search uses.
pub fn baseline(labels: &[String], folds: usize, seed: u64) -> Baseline {
    let (classes, y) = encode(labels);
    let k = classes.len();
    let fold_of = stratified_folds(&y, k, folds, seed);
    let mut per_fold = Vec::new();
    for f in 0..folds {
        let mut counts = vec![0usize; k];
        for (i, &c) in y.iter().enumerate() {
            if fold_of[i] != f {
                counts[c] += 1;
            }
        }
        let major = super::argmax(&counts.iter().map(|&n| n as f64).collect::<Vec<_>>());
        let gold: Vec<usize> = (0..y.len())
            .filter(|&i| fold_of[i] == f)
            .map(|i| y[i])
            .collect();
        if gold.is_empty() {
            continue;
        }
        let mut one_hot = vec![0.0; k];
        one_hot[major] = 1.0;
        per_fold.push(compute(&classes, &gold, &vec![one_hot; gold.len()], &[]));
    }
    let mut counts = vec![0usize; k];
    y.iter().for_each(|&c| counts[c] += 1);
    let major = super::argmax(&counts.iter().map(|&n| n as f64).collect::<Vec<_>>());
    Baseline {
        class: classes.get(major).cloned().unwrap_or_default(),
        macro_f1: super::mean_std(&per_fold.iter().map(|m| m.macro_f1).collect::<Vec<_>>()),
        accuracy: super::mean_std(&per_fold.iter().map(|m| m.accuracy).collect::<Vec<_>>()),
    }
}

impl SearchResult {
    /// The best setting.
    pub fn best(&self) -> &Evaluated {
        &self.results[self.best_index.min(self.results.len().saturating_sub(1))]
    }

    /// Pretty JSON, ending in a newline.
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string_pretty(self)
            .map(|s| s + "\n")
            .map_err(|e| Error::inconsistent("evaluation", e.to_string()))
    }

    /// Writes the result atomically.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        crate::io::write_atomic(path, self.to_json()?.as_bytes()).map_err(|e| Error::io(path, e))
    }

    /// Reads a saved result.
    pub fn load(path: &Path) -> Result<SearchResult, Error> {
        crate::data::check_input_file(path)?;
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        serde_json::from_str(&text).map_err(|e| Error::NotAnEvalResult {
            path: PathBuf::from(path),
            reason: e.to_string(),
        })
    }
}

/// A model's metrics on labelled data it was not trained on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeldOut {
    /// The labelled file.
    pub data_file: String,
    /// The model's classes.
    pub classes: Vec<String>,
    /// Metrics over the rows whose label the model knows.
    pub metrics: Metrics,
    /// Rows left out because the model does not know their label, by label.
    pub unknown_labels: std::collections::BTreeMap<String, usize>,
    /// Calibration of the model's probabilities (calibrated if the model carries a
    /// calibration) on these rows.
    #[serde(default)]
    pub calibration: Option<model::CalibrationError>,
    /// Gold class index of each evaluated row.
    #[serde(skip)]
    pub gold: Vec<usize>,
    /// Index into the data of each evaluated row.
    #[serde(skip)]
    pub rows: Vec<usize>,
    /// Probabilities of each evaluated row.
    #[serde(skip)]
    pub proba: Vec<Vec<f64>>,
}

/// Scores every row of `data` whose label the model knows and computes the metrics.
pub fn held_out(model: &Model, data: &LabelledData, f_avg: &[String]) -> Result<HeldOut, Error> {
    let model = std::sync::Arc::new(model.clone());
    let classes = model.classes().to_vec();
    let f_avg = class_indices(&classes, f_avg)?;
    let mut scorer = model.scorer()?;
    let mut out = HeldOut {
        data_file: data.path.display().to_string(),
        classes: classes.clone(),
        metrics: compute(&classes, &[], &[], &f_avg),
        unknown_labels: Default::default(),
        calibration: None,
        gold: Vec::new(),
        rows: Vec::new(),
        proba: Vec::new(),
    };
    let mut p = Vec::new();
    for (i, (text, label)) in data.texts.iter().zip(&data.labels).enumerate() {
        match classes.iter().position(|c| c == label) {
            Some(g) => {
                scorer.proba_into(text, &mut p);
                out.gold.push(g);
                out.rows.push(i);
                out.proba.push(p.clone());
            }
            None => *out.unknown_labels.entry(label.clone()).or_insert(0) += 1,
        }
    }
    if out.gold.is_empty() {
        return Err(Error::NoKnownLabels {
            path: data.path.clone(),
            classes,
        });
    }
    out.metrics = compute(&classes, &out.gold, &out.proba, &f_avg);
    out.calibration = Some(model::expected_calibration_error(&out.proba, &out.gold));
    Ok(out)
}

/// Writes out-of-fold predictions as CSV: `row, line, fold, gold, predicted, p_<class>…, text`.
pub fn write_predictions(
    w: &mut dyn std::io::Write,
    data: &LabelledData,
    r: &CvResult,
) -> Result<(), Error> {
    let mut out = csv::Writer::from_writer(w);
    let werr = |e: csv::Error| Error::Write { source: e.into() };
    let mut header = vec![
        "row".to_string(),
        "line".into(),
        "fold".into(),
        "gold".into(),
        "predicted".into(),
    ];
    header.extend(r.classes.iter().map(|c| format!("p_{c}")));
    header.push("text".into());
    out.write_record(&header).map_err(werr)?;
    for (i, p) in r.proba.iter().enumerate() {
        let mut rec = vec![
            (i + 1).to_string(),
            data.lines[i].to_string(),
            (r.fold_of[i] + 1).to_string(),
            data.labels[i].clone(),
            r.classes[super::argmax(p)].clone(),
        ];
        rec.extend(p.iter().map(|v| format!("{v:.6}")));
        rec.push(data.texts[i].clone());
        out.write_record(&rec).map_err(werr)?;
    }
    out.flush().map_err(|source| Error::Write { source })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from scipy 1.17.1 (`scripts/paired_t_reference.py`):
    /// `scipy.stats.ttest_rel(a, b)` for the plain test, and for the corrected test the
    /// statistic scaled by sqrt((1/k) / (1/k + 1/(k-1))) with `scipy.stats.t.sf` for p.
    #[test]
    fn paired_t_matches_scipy() {
        let a = [0.71, 0.74, 0.69, 0.75, 0.72];
        let b = [0.70, 0.71, 0.70, 0.72, 0.69];
        let want: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/paired_t.json")).unwrap();
        let (t, p) = corrected_paired_t(&a, &b, 0.0);
        assert!(
            (t - want["plain"]["t"].as_f64().unwrap()).abs() < 1e-10,
            "{t}"
        );
        assert!(
            (p - want["plain"]["p"].as_f64().unwrap()).abs() < 1e-8,
            "{p}"
        );
        let (t, p) = corrected_paired_t(&a, &b, 0.25);
        assert!(
            (t - want["corrected"]["t"].as_f64().unwrap()).abs() < 1e-10,
            "{t}"
        );
        assert!(
            (p - want["corrected"]["p"].as_f64().unwrap()).abs() < 1e-8,
            "{p}"
        );
        assert_eq!(corrected_paired_t(&a, &a, 0.25), (0.0, 1.0));
    }

    #[test]
    fn baseline_predicts_the_majority() {
        let labels: Vec<String> = (0..20)
            .map(|i| if i < 15 { "a" } else { "b" }.to_string())
            .collect();
        let b = baseline(&labels, 5, 0);
        assert_eq!(b.class, "a");
        assert!((b.accuracy.0 - 0.75).abs() < 1e-12, "{:?}", b.accuracy);
        // F1 of a = 2·0.75/(1+0.75), of b = 0; macro = their mean.
        assert!(
            (b.macro_f1.0 - (1.5 / 1.75) / 2.0).abs() < 1e-12,
            "{:?}",
            b.macro_f1
        );
    }
}
