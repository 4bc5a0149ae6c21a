//! Evaluation: stratified k-fold cross-validation, held-out evaluation, grid search and
//! learning curves.
//!
//! Inside each fold the feature extractor (vocabulary, idf) and the classifier are fitted on
//! the training part only; the held-out part is only transformed and predicted.

pub mod auto;
pub mod metrics;
mod search;
mod table;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::config::Config;
use crate::features::{FeatureExtractor, TfidfConfig};
pub use crate::model::encode;
use crate::text::AnalyzerKind;
use crate::Error;
pub use metrics::{argmax, compute, mean_std, ClassMetrics, Metrics};
pub use search::{
    baseline, class_indices, corrected_paired_t, held_out, search, write_predictions, Baseline,
    Evaluated, HeldOut, Search, SearchOptions, SearchResult,
};
pub use table::{confusion_table, per_class_table};

/// Assigns each row to one of `k` folds, stratified: each class's rows are shuffled (seeded)
/// and dealt round-robin, continuing where the previous class stopped, so every fold gets
/// ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of each class c and fold sizes differ by at most one.
pub fn stratified_folds(y: &[usize], n_classes: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut fold = vec![0usize; y.len()];
    let mut next = 0usize;
    for c in 0..n_classes {
        let mut rows: Vec<usize> = (0..y.len()).filter(|&i| y[i] == c).collect();
        rows.shuffle(&mut rng);
        for r in rows {
            fold[r] = next % k;
            next += 1;
        }
    }
    fold
}

/// A seeded stratified subsample: the first `fraction` of each class's shuffled rows.
pub fn stratified_subsample(
    rows: &[usize],
    y: &[usize],
    n_classes: usize,
    fraction: f64,
    seed: u64,
) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let mut out = Vec::new();
    for c in 0..n_classes {
        let mut rs: Vec<usize> = rows.iter().copied().filter(|&i| y[i] == c).collect();
        rs.shuffle(&mut rng);
        let take = ((rs.len() as f64 * fraction).round() as usize).clamp(rs.len().min(1), rs.len());
        out.extend_from_slice(&rs[..take]);
    }
    out.sort_unstable();
    out
}

/// Out-of-fold results of one configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CvResult {
    /// Classes, sorted.
    pub classes: Vec<String>,
    /// Folds.
    pub folds: usize,
    /// Seed.
    pub seed: u64,
    /// Fold of each row.
    pub fold_of: Vec<usize>,
    /// Out-of-fold probabilities of each row.
    pub proba: Vec<Vec<f64>>,
    /// Metrics of each fold.
    pub per_fold: Vec<Metrics>,
    /// Metrics over all out-of-fold predictions pooled.
    pub pooled: Metrics,
    /// What the cross-validation cost, counted in work rather than time (see [`Work`]).
    #[serde(default)]
    pub work: Work,
}

/// The cost of a cross-validation counted in work, not clock time, so that a search with a
/// budget makes the same choices on any machine and under any load: bytes analysed per n-gram
/// order (word and character analyzers apart) and, for the solver, L-BFGS iterations times
/// the matrix size (stored entries plus columns, per weight block).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Work {
    /// Text bytes times n-gram orders analysed by word analyzers.
    pub word_bytes: f64,
    /// Text bytes times n-gram orders analysed by character analyzers.
    pub char_bytes: f64,
    /// Sum over fits of iterations × (stored entries + columns) × weight blocks.
    pub solver: f64,
}

impl Work {
    // Nanoseconds per unit, fitted by least squares on CPU times of BABE cross-validations
    // (one thread, release build; see BENCHMARKS.md "Automatic settings").
    const NS_WORD_BYTE: f64 = 50.0;
    const NS_CHAR_BYTE: f64 = 65.0;
    const NS_SOLVER: f64 = 10.0;

    /// The work in nominal seconds: about the CPU seconds it takes on one core of the
    /// 2-core machine framelens is benchmarked on.
    pub fn seconds(&self) -> f64 {
        (self.word_bytes * Self::NS_WORD_BYTE
            + self.char_bytes * Self::NS_CHAR_BYTE
            + self.solver * Self::NS_SOLVER)
            * 1e-9
    }

    fn add(&mut self, o: &Work) {
        self.word_bytes += o.word_bytes;
        self.char_bytes += o.char_bytes;
        self.solver += o.solver;
    }

    fn features(parts: &[TfidfConfig], bytes: usize) -> Work {
        let mut w = Work::default();
        for p in parts {
            let (lo, hi) = p.analyzer.ngram_range;
            let units = (bytes * (hi + 1).saturating_sub(lo)) as f64;
            match p.analyzer.analyzer {
                AnalyzerKind::Word => w.word_bytes += units,
                AnalyzerKind::Char | AnalyzerKind::CharWb => w.char_bytes += units,
            }
        }
        w
    }

    fn solver(x: &sprs::CsMat<f64>, classes: usize, iterations: u64) -> Work {
        let blocks = if classes == 2 { 1 } else { classes };
        Work {
            solver: iterations as f64 * (x.nnz() + x.cols()) as f64 * blocks as f64,
            ..Work::default()
        }
    }
}

impl CvResult {
    /// Mean and standard deviation over folds of a metric.
    pub fn fold_stat(&self, f: impl Fn(&Metrics) -> f64) -> (f64, f64) {
        mean_std(&self.per_fold.iter().map(f).collect::<Vec<_>>())
    }
}

/// A fold's training matrix, training targets and test matrix.
type FoldMatrices = (sprs::CsMat<f64>, Vec<usize>, sprs::CsMat<f64>);

/// A fold's test rows and their predicted probabilities.
type FoldProba = (Vec<usize>, Vec<Vec<f64>>);

/// The feature matrices of one fold: features fitted on the `train` rows only.
fn fold_matrices(
    features: &[TfidfConfig],
    texts: &[String],
    y: &[usize],
    n_classes: usize,
    train: &[usize],
    test: &[usize],
) -> Result<FoldMatrices, Error> {
    let train_texts: Vec<&str> = train.iter().map(|&i| texts[i].as_str()).collect();
    let train_y: Vec<usize> = train.iter().map(|&i| y[i]).collect();
    let fx = std::sync::Arc::new(FeatureExtractor::fit_supervised(
        features,
        &train_texts,
        &train_y,
        n_classes,
    )?);
    let mut v = fx.vectorizer()?;
    let x_train = v.transform_batch(&train_texts);
    let test_texts: Vec<&str> = test.iter().map(|&i| texts[i].as_str()).collect();
    Ok((x_train, train_y, v.transform_batch(&test_texts)))
}

/// Fits on `train` rows and returns probabilities for `test` rows.
fn fit_predict(
    config: &Config,
    texts: &[String],
    y: &[usize],
    classes: &[String],
    train: &[usize],
    test: &[usize],
) -> Result<Vec<Vec<f64>>, Error> {
    let (x, train_y, x_test) = fold_matrices(
        &config.features.parts(),
        texts,
        y,
        classes.len(),
        train,
        test,
    )?;
    let (clf, _) = config.params.fit(&x, &train_y, classes.to_vec())?;
    Ok(clf.predict_proba(&x_test))
}

/// Stratified k-fold cross-validation of one configuration. Folds run in parallel; the
/// result does not depend on the number of threads.
pub fn cross_validate(
    config: &Config,
    texts: &[String],
    labels: &[String],
    folds: usize,
    seed: u64,
    f_avg: &[usize],
) -> Result<CvResult, Error> {
    let mut all = cross_validate_many(
        std::slice::from_ref(config),
        texts,
        labels,
        folds,
        seed,
        f_avg,
    )?;
    all.pop()
        .ok_or_else(|| Error::inconsistent("evaluation", "no result for the configuration"))
}

/// Cross-validates several configurations on the same folds. Configurations that share their
/// feature settings (differing only in C or class weight, as in most grids) share the feature
/// matrices of each fold, which are built once.
pub fn cross_validate_many(
    configs: &[Config],
    texts: &[String],
    labels: &[String],
    folds: usize,
    seed: u64,
    f_avg: &[usize],
) -> Result<Vec<CvResult>, Error> {
    let (classes, y) = encode(labels);
    check_folds(&classes, &y, folds)?;
    let fold_of = stratified_folds(&y, classes.len(), folds, seed);
    // Groups of configurations with equal features, in order of first appearance.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, c) in configs.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|g| configs[g[0]].features == c.features)
        {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    // probas[config][fold] = (test rows, probabilities)
    let mut probas: Vec<Vec<FoldProba>> = vec![Vec::new(); configs.len()];
    let mut works = vec![Work::default(); configs.len()];
    let bytes: usize = texts.iter().map(String::len).sum();
    for group in &groups {
        // Each fold analyses every text once (training and test rows); the shared feature
        // work is counted to the group's first configuration.
        let parts = configs[group[0]].features.parts();
        works[group[0]].add(&Work::features(&parts, bytes * folds));
        let per_fold: Vec<Vec<(FoldProba, Work)>> = (0..folds)
            .into_par_iter()
            .map(|f| {
                let train: Vec<usize> = (0..y.len()).filter(|&i| fold_of[i] != f).collect();
                let test: Vec<usize> = (0..y.len()).filter(|&i| fold_of[i] == f).collect();
                let err = |source: Error| Error::Fold {
                    fold: f + 1,
                    source: Box::new(source),
                };
                let (x, train_y, x_test) =
                    fold_matrices(&parts, texts, &y, classes.len(), &train, &test).map_err(err)?;
                group
                    .iter()
                    .map(|&ci| {
                        let (clf, report) = configs[ci]
                            .params
                            .fit(&x, &train_y, classes.clone())
                            .map_err(err)?;
                        let work = Work::solver(&x, classes.len(), report.iterations);
                        Ok(((test.clone(), clf.predict_proba(&x_test)), work))
                    })
                    .collect::<Result<Vec<_>, Error>>()
            })
            .collect::<Result<_, _>>()?;
        for fold_results in per_fold {
            for (k, (r, work)) in fold_results.into_iter().enumerate() {
                probas[group[k]].push(r);
                works[group[k]].add(&work);
            }
        }
    }
    Ok(probas
        .into_iter()
        .zip(works)
        .map(|(parts, work)| {
            let mut proba = vec![Vec::new(); y.len()];
            let mut per_fold = Vec::with_capacity(folds);
            for (test, p) in parts {
                let gold: Vec<usize> = test.iter().map(|&i| y[i]).collect();
                per_fold.push(compute(&classes, &gold, &p, f_avg));
                for (i, row) in test.into_iter().zip(p) {
                    proba[i] = row;
                }
            }
            let pooled = compute(&classes, &y, &proba, f_avg);
            CvResult {
                classes: classes.clone(),
                folds,
                seed,
                fold_of: fold_of.clone(),
                proba,
                per_fold,
                pooled,
                work,
            }
        })
        .collect())
}

fn check_folds(classes: &[String], y: &[usize], folds: usize) -> Result<(), Error> {
    if folds < 2 {
        return Err(Error::setting("folds", folds.to_string(), "at least 2"));
    }
    if y.len() < folds {
        let mut counts = vec![0usize; classes.len()];
        y.iter().for_each(|&c| counts[c] += 1);
        let detail = classes
            .iter()
            .zip(&counts)
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Error::TooFewRows { folds, detail });
    }
    Ok(())
}

/// Classes with fewer rows than folds (some folds will not see them): a warning each.
pub fn small_class_warnings(labels: &[String], folds: usize) -> Vec<String> {
    let (classes, y) = encode(labels);
    let mut counts = vec![0usize; classes.len()];
    y.iter().for_each(|&c| counts[c] += 1);
    classes
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n < folds)
        .map(|(c, n)| {
            format!("class {c:?} has {n} rows, fewer than the {folds} folds: some folds will neither train nor test on it")
        })
        .collect()
}

/// One point of a learning curve.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Fraction of each training fold used.
    pub fraction: f64,
    /// Mean training rows per fold.
    pub train_rows: f64,
    /// Macro-F1 mean and standard deviation over folds.
    pub macro_f1: (f64, f64),
    /// Accuracy mean and standard deviation over folds.
    pub accuracy: (f64, f64),
}

/// Cross-validated scores when training on 10%, 20%, … 100% of each training fold (a
/// stratified, seeded subsample), testing on the full held-out fold.
pub fn learning_curve(
    config: &Config,
    texts: &[String],
    labels: &[String],
    folds: usize,
    seed: u64,
) -> Result<Vec<CurvePoint>, Error> {
    let (classes, y) = encode(labels);
    check_folds(&classes, &y, folds)?;
    let fold_of = stratified_folds(&y, classes.len(), folds, seed);
    (1..=10)
        .map(|step| {
            let fraction = step as f64 / 10.0;
            let results: Vec<(usize, Metrics)> = (0..folds)
                .into_par_iter()
                .map(|f| {
                    let all_train: Vec<usize> = (0..y.len()).filter(|&i| fold_of[i] != f).collect();
                    let train = stratified_subsample(
                        &all_train,
                        &y,
                        classes.len(),
                        fraction,
                        seed + f as u64,
                    );
                    let test: Vec<usize> = (0..y.len()).filter(|&i| fold_of[i] == f).collect();
                    let p = fit_predict(config, texts, &y, &classes, &train, &test).map_err(
                        |source| Error::Fold {
                            fold: f + 1,
                            source: Box::new(source),
                        },
                    )?;
                    let gold: Vec<usize> = test.iter().map(|&i| y[i]).collect();
                    Ok((train.len(), compute(&classes, &gold, &p, &[])))
                })
                .collect::<Result<_, Error>>()?;
            Ok(CurvePoint {
                fraction,
                train_rows: results.iter().map(|r| r.0 as f64).sum::<f64>() / folds as f64,
                macro_f1: mean_std(&results.iter().map(|r| r.1.macro_f1).collect::<Vec<_>>()),
                accuracy: mean_std(&results.iter().map(|r| r.1.accuracy).collect::<Vec<_>>()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::ParamGuard;

    #[test]
    fn folds_are_stratified_balanced_and_seeded() {
        let y: Vec<usize> = (0..103)
            .map(|i| {
                if i % 10 < 7 {
                    0
                } else if i % 10 < 9 {
                    1
                } else {
                    2
                }
            })
            .collect();
        let f = stratified_folds(&y, 3, 5, 7);
        for c in 0..3 {
            let n_c = y.iter().filter(|&&v| v == c).count();
            for k in 0..5 {
                let in_fold = (0..y.len()).filter(|&i| y[i] == c && f[i] == k).count();
                assert!(
                    in_fold == n_c / 5 || in_fold == n_c / 5 + 1,
                    "class {c} fold {k}: {in_fold} of {n_c}"
                );
            }
        }
        let sizes: Vec<usize> = (0..5)
            .map(|k| f.iter().filter(|&&v| v == k).count())
            .collect();
        assert!(
            sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1,
            "{sizes:?}"
        );
        assert_eq!(f, stratified_folds(&y, 3, 5, 7));
        assert_ne!(f, stratified_folds(&y, 3, 5, 8));
    }

    fn data() -> (Vec<String>, Vec<String>) {
        let mut texts = Vec::new();
        let mut labels = Vec::new();
        for i in 0..30 {
            texts.push(format!("troops tanks border {i} item{}", i % 4));
            labels.push("military".to_string());
            texts.push(format!("talks summit treaty {i} item{}", i % 4));
            labels.push("diplomacy".to_string());
        }
        (texts, labels)
    }

    fn config() -> Config {
        crate::config::Preset::Sklearn.config()
    }

    #[test]
    fn cross_validation_learns_and_pools() {
        let (texts, labels) = data();
        let r = cross_validate(&config(), &texts, &labels, 5, 0, &[]).unwrap();
        assert_eq!(r.per_fold.len(), 5);
        assert_eq!(r.pooled.n, 60);
        assert!(r.pooled.accuracy > 0.95, "{}", r.pooled.accuracy);
        assert!(r.proba.iter().all(|p| p.len() == 2));
    }

    /// No held-out text can reach the vocabulary or the idf: a word that occurs only in the
    /// held-out fold must get no weight, so its presence cannot change a prediction.
    #[test]
    fn held_out_text_does_not_leak_into_features() {
        let (mut texts, labels) = data();
        let (_, y) = encode(&labels);
        let folds = stratified_folds(&y, 2, 5, 0);
        // Mark every text of fold 0 with a word unique to fold 0.
        for (i, t) in texts.iter_mut().enumerate() {
            if folds[i] == 0 {
                t.push_str(" zzleak");
            }
        }
        let train: Vec<usize> = (0..y.len()).filter(|&i| folds[i] != 0).collect();
        let train_texts: Vec<&str> = train.iter().map(|&i| texts[i].as_str()).collect();
        let fx = FeatureExtractor::fit(&config().features.parts(), &train_texts).unwrap();
        assert!(!fx.parts[0].vocabulary.iter().any(|t| t == "zzleak"));
        // And the CV probabilities are the same with and without the marker word.
        let (plain, _) = data();
        let a = cross_validate(&config(), &texts, &labels, 5, 0, &[]).unwrap();
        let b = cross_validate(&config(), &plain, &labels, 5, 0, &[]).unwrap();
        for i in (0..y.len()).filter(|&i| folds[i] == 0) {
            for (p, q) in a.proba[i].iter().zip(&b.proba[i]) {
                assert!((p - q).abs() < 1e-9, "row {i}: {p} vs {q}");
            }
        }
    }

    #[test]
    fn many_configurations_equal_one_at_a_time() {
        let (texts, labels) = data();
        let configs: Vec<Config> = [0.5, 2.0]
            .iter()
            .map(|&c| Config {
                params: crate::model::LogisticParams::new().c(c).check().unwrap(),
                ..config()
            })
            .collect();
        let many = cross_validate_many(&configs, &texts, &labels, 5, 3, &[]).unwrap();
        for (c, m) in configs.iter().zip(&many) {
            let one = cross_validate(c, &texts, &labels, 5, 3, &[]).unwrap();
            assert_eq!(one.proba, m.proba);
        }
        assert_ne!(many[0].proba, many[1].proba);
    }

    #[test]
    fn too_few_rows_and_learning_curve() {
        let (texts, labels) = data();
        assert!(matches!(
            cross_validate(&config(), &texts[..4], &labels[..4], 5, 0, &[]),
            Err(Error::TooFewRows { .. })
        ));
        let curve = learning_curve(&config(), &texts, &labels, 3, 0).unwrap();
        assert_eq!(curve.len(), 10);
        assert!(curve[0].train_rows < curve[9].train_rows);
        assert!((curve[9].train_rows - 40.0).abs() < 1e-9);
    }
}
