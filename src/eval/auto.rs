//! Automatic settings: a coordinate search over a built-in space by stratified
//! cross-validation, within a work budget, and its honest evaluation by nested
//! cross-validation.
//!
//! The search starts from a configuration (normally [`Preset::Best`](crate::config::Preset)
//! with the user's explicit settings) and repeatedly cross-validates every one-key change of
//! the current configuration, moving to the best one found, until no change helps or the
//! budget is spent. Changes that keep the features (C, class weight) reuse each fold's feature
//! matrices. The winner is then picked by the one-standard-error rule: the cheapest setting
//! whose mean macro-F1 over folds is within one standard error of the best mean.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{compute, cross_validate_many, encode, stratified_folds, CvResult, Metrics};
use crate::config::{Config, GridKey, Setting};
use crate::features::TfidfConfig;
use crate::model::{self, Calibration, ClassWeight};
use crate::text::{AnalyzerKind, Language};
use crate::Error;

/// One axis of the space: a key and the changes it can make (each a bundle of settings).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The key this axis varies (fixed by an explicit setting of the same key).
    pub key: GridKey,
    /// The values, each one or more settings applied together.
    pub moves: Vec<Vec<Setting>>,
}

/// The space an automatic search covers.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchSpace {
    /// The axes, searched in this order.
    pub axes: Vec<Axis>,
}

impl Default for SearchSpace {
    /// Word n-grams 1–1, 1–2, 1–3; stemming english/none; char_wb blocks none, 2–5, 1–6;
    /// the `char` analyzer (2–5-grams across word boundaries) instead of words; naive-Bayes
    /// scaling on/off; class weights none/balanced; C in 0.125 … 8 (factors of 2).
    fn default() -> Self {
        let one = |s: Setting| vec![s];
        SearchSpace {
            axes: vec![
                Axis {
                    key: GridKey::C,
                    moves: [0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0]
                        .into_iter()
                        .map(|c| one(Setting::C(c)))
                        .collect(),
                },
                Axis {
                    key: GridKey::ClassWeight,
                    moves: vec![
                        one(Setting::ClassWeight(ClassWeight::None)),
                        one(Setting::ClassWeight(ClassWeight::Balanced)),
                    ],
                },
                Axis {
                    key: GridKey::Nb,
                    moves: vec![one(Setting::Nb(false)), one(Setting::Nb(true))],
                },
                Axis {
                    key: GridKey::CharWb,
                    moves: vec![
                        one(Setting::CharWb(None)),
                        one(Setting::CharWb(Some((2, 5)))),
                        one(Setting::CharWb(Some((1, 6)))),
                    ],
                },
                Axis {
                    key: GridKey::NgramRange,
                    moves: [(1, 1), (1, 2), (1, 3)]
                        .into_iter()
                        .map(|r| one(Setting::NgramRange(r)))
                        .collect(),
                },
                Axis {
                    key: GridKey::Stem,
                    moves: vec![
                        one(Setting::Stem(Some(Language::English))),
                        one(Setting::Stem(None)),
                    ],
                },
                Axis {
                    key: GridKey::Analyzer,
                    moves: vec![
                        vec![
                            Setting::Analyzer(AnalyzerKind::Word),
                            Setting::NgramRange((1, 2)),
                            Setting::Stem(Some(Language::English)),
                        ],
                        vec![
                            Setting::Analyzer(AnalyzerKind::Char),
                            Setting::NgramRange((2, 5)),
                            Setting::CharWb(None),
                        ],
                    ],
                },
            ],
        }
    }
}

impl SearchSpace {
    /// The space without the axes of `fixed` keys (the user set them). Fixing the n-gram
    /// range or stemming also fixes the analyzer axis, whose moves set them.
    pub fn without(mut self, fixed: &[GridKey]) -> SearchSpace {
        let fixes_analyzer = fixed
            .iter()
            .any(|k| matches!(k, GridKey::NgramRange | GridKey::Stem | GridKey::CharWb));
        self.axes
            .retain(|a| !(fixed.contains(&a.key) || a.key == GridKey::Analyzer && fixes_analyzer));
        self
    }

    /// One line per axis, `key=v1|v2|...` (bundles joined by `+`).
    pub fn describe(&self) -> Vec<String> {
        self.axes
            .iter()
            .map(|a| {
                let values: Vec<String> = a
                    .moves
                    .iter()
                    .map(|m| {
                        m.iter()
                            .map(|s| s.to_string())
                            .collect::<Vec<_>>()
                            .join("+")
                    })
                    .collect();
                format!("{}: {}", a.key, values.join(" | "))
            })
            .collect()
    }
}

/// How to search.
#[derive(Debug, Clone)]
pub struct AutoOptions {
    /// Stratified folds. Default 5.
    pub folds: usize,
    /// Seed of the fold assignment. Default 0.
    pub seed: u64,
    /// Stop starting new evaluations after this much work, in nominal seconds (see
    /// [`Work::seconds`](super::Work::seconds)); `None` for [`default_budget`].
    pub budget: Option<Duration>,
}

impl Default for AutoOptions {
    fn default() -> Self {
        AutoOptions {
            folds: 5,
            seed: 0,
            budget: None,
        }
    }
}

/// The default budget for `rows` labelled rows, in nominal seconds of work: 5 plus 1 per 100
/// rows, between 6 and 45 (about 8 for 275 rows, 42 for 3,700). The work is counted, not
/// timed ([`Work`](super::Work)), so the search makes the same choices on every machine; a
/// nominal second is about a CPU second on one core of the benchmark machine, and
/// cross-validation runs its folds on all cores.
pub fn default_budget(rows: usize) -> Duration {
    Duration::from_secs_f64((5.0 + rows as f64 / 100.0).clamp(6.0, 45.0))
}

/// One cross-validated setting of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tried {
    /// The changes from the start, `key=value`.
    pub settings: Vec<String>,
    /// Macro-F1 mean and standard deviation over folds.
    pub macro_f1: (f64, f64),
    /// The cost used to break ties (larger = more features or less regularisation).
    pub cost: f64,
}

/// What an automatic search did, as recorded in a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoSummary {
    /// The space, one line per axis.
    pub space: Vec<String>,
    /// Keys the user fixed (not searched).
    pub fixed: Vec<String>,
    /// Folds and seed of the search.
    pub folds: usize,
    /// Seed.
    pub seed: u64,
    /// The budget in nominal seconds of work (counted, not timed: the same data and options
    /// give the same search and the same file on every machine).
    pub budget_seconds: f64,
    /// The work the search did, in nominal seconds.
    #[serde(default)]
    pub work_seconds: f64,
    /// True when the budget stopped the search before it converged.
    pub stopped_by_budget: bool,
    /// Settings cross-validated.
    pub evaluated: usize,
    /// How the winner was picked.
    pub rule: String,
    /// The winner's changes from the start.
    pub winner: Vec<String>,
    /// The best ten settings by mean macro-F1.
    pub top: Vec<Tried>,
}

/// An automatic search's winner and its out-of-fold results.
#[derive(Debug, Clone)]
pub struct Auto {
    /// The winning configuration.
    pub config: Config,
    /// Its cross-validation on the search's folds.
    pub cv: CvResult,
    /// What was done.
    pub summary: AutoSummary,
}

struct Entry {
    settings: Vec<Setting>,
    config: Config,
    mean: f64,
    sd: f64,
    cv: CvResult,
}

/// The cost of a configuration: feature blocks and n-gram spans, naive-Bayes scaling, class
/// weights, and (least) a larger C. The selection rule prefers the cheaper of near-ties.
pub fn cost(c: &Config) -> f64 {
    let span = |p: &TfidfConfig| (p.analyzer.ngram_range.1 - p.analyzer.ngram_range.0 + 1) as f64;
    let main = &c.features.main;
    let mut k = span(main);
    if main.analyzer.analyzer != AnalyzerKind::Word {
        k += 3.0;
    }
    if let Some((a, b)) = c.features.char_wb {
        k += (b - a + 1) as f64;
    }
    if main.nb {
        k += 0.5;
    }
    if c.params.class_weight() == ClassWeight::Balanced {
        k += 0.25;
    }
    k + 0.05 * c.params.c().log2()
}

/// The index of the one-standard-error winner among `(mean, sd, cost)`: the cheapest whose
/// mean is at least the best mean minus the best's standard error over `folds` folds (ties
/// in cost go to the higher mean).
pub fn one_se_pick(scores: &[(f64, f64, f64)], folds: usize) -> Option<usize> {
    let best = (0..scores.len()).max_by(|&a, &b| scores[a].0.total_cmp(&scores[b].0))?;
    let threshold = scores[best].0 - scores[best].1 / (folds.max(1) as f64).sqrt();
    (0..scores.len())
        .filter(|&i| scores[i].0 >= threshold)
        .min_by(|&a, &b| {
            scores[a]
                .2
                .total_cmp(&scores[b].2)
                .then(scores[b].0.total_cmp(&scores[a].0))
        })
}

/// Searches `space` from `start` on `texts`/`labels`. `progress` is called after each batch
/// with the number of settings evaluated and the best mean macro-F1 so far.
pub fn auto_search(
    start: &Config,
    space: &SearchSpace,
    fixed: &[GridKey],
    texts: &[String],
    labels: &[String],
    opts: &AutoOptions,
    progress: &mut dyn FnMut(usize, f64),
) -> Result<Auto, Error> {
    let budget = opts.budget.unwrap_or_else(|| default_budget(texts.len()));
    // Work done so far in nominal seconds: counted, not timed, so that the search stops at
    // the same setting on every machine and under any load.
    let mut spent = 0.0f64;
    let mut tried: Vec<Entry> = Vec::new();
    let run = |batch: Vec<(Vec<Setting>, Config)>, tried: &mut Vec<Entry>, spent: &mut f64| {
        let configs: Vec<Config> = batch.iter().map(|b| b.1.clone()).collect();
        let cvs = cross_validate_many(&configs, texts, labels, opts.folds, opts.seed, &[])?;
        for ((settings, config), cv) in batch.into_iter().zip(cvs) {
            *spent += cv.work.seconds();
            let (mean, sd) = cv.fold_stat(|m| m.macro_f1);
            tried.push(Entry {
                settings,
                config,
                mean,
                sd,
                cv,
            });
        }
        Ok::<(), Error>(())
    };
    run(vec![(Vec::new(), start.clone())], &mut tried, &mut spent)?;
    let best_of = |t: &[Entry]| {
        (0..t.len())
            .max_by(|&a, &b| t[a].mean.total_cmp(&t[b].mean).then(b.cmp(&a)))
            .unwrap_or(0)
    };
    progress(tried.len(), tried[0].mean);
    let mut current = 0usize;
    let mut stopped_by_budget = false;
    'rounds: loop {
        // Every one-key change of the current configuration not tried yet.
        let mut neighbours: Vec<(Vec<Setting>, Config)> = Vec::new();
        for axis in &space.axes {
            for mv in &axis.moves {
                let mut config = tried[current].config.clone();
                for s in mv {
                    config.apply(s)?;
                }
                if tried.iter().any(|t| t.config == config)
                    || neighbours.iter().any(|n| n.1 == config)
                {
                    continue;
                }
                let mut settings: Vec<Setting> = tried[current]
                    .settings
                    .iter()
                    .filter(|s| !mv.iter().any(|m| m.key() == s.key()))
                    .cloned()
                    .collect();
                settings.extend(mv.iter().cloned());
                neighbours.push((settings, config));
            }
        }
        // Batches of equal features (they share fold matrices); the current features first.
        let mut batches: Vec<Vec<(Vec<Setting>, Config)>> = Vec::new();
        for n in neighbours {
            match batches.iter_mut().find(|b| b[0].1.features == n.1.features) {
                Some(b) => b.push(n),
                None => batches.push(vec![n]),
            }
        }
        let here = tried[current].config.features.clone();
        batches.sort_by_key(|b| b[0].1.features != here);
        if batches.is_empty() {
            break;
        }
        for batch in batches {
            // Chunks of at most 3 settings, each started only if, at the mean time per
            // setting so far, it should end within the budget.
            let mut rest = batch;
            while !rest.is_empty() {
                let chunk: Vec<_> = rest.drain(..rest.len().min(3)).collect();
                let per = spent / tried.len() as f64;
                if spent + per * chunk.len() as f64 > budget.as_secs_f64() {
                    stopped_by_budget = true;
                    break 'rounds;
                }
                run(chunk, &mut tried, &mut spent)?;
                progress(tried.len(), tried[best_of(&tried)].mean);
            }
        }
        let best = best_of(&tried);
        if best == current {
            break;
        }
        current = best;
    }
    let scores: Vec<(f64, f64, f64)> = tried
        .iter()
        .map(|t| (t.mean, t.sd, cost(&t.config)))
        .collect();
    let pick = one_se_pick(&scores, opts.folds)
        .ok_or_else(|| Error::inconsistent("search", "no setting was evaluated"))?;
    let mut order: Vec<usize> = (0..tried.len()).collect();
    order.sort_by(|&a, &b| tried[b].mean.total_cmp(&tried[a].mean).then(a.cmp(&b)));
    let label = |s: &[Setting]| -> Vec<String> { s.iter().map(ToString::to_string).collect() };
    let summary = AutoSummary {
        space: space.describe(),
        fixed: fixed.iter().map(|k| k.name().to_string()).collect(),
        folds: opts.folds,
        seed: opts.seed,
        budget_seconds: budget.as_secs_f64(),
        work_seconds: spent,
        stopped_by_budget,
        evaluated: tried.len(),
        rule: "one standard error: the cheapest setting whose mean macro-F1 over folds is within one standard error (sd/sqrt(folds)) of the best mean".into(),
        winner: label(&tried[pick].settings),
        top: order
            .iter()
            .take(10)
            .map(|&i| Tried {
                settings: label(&tried[i].settings),
                macro_f1: (tried[i].mean, tried[i].sd),
                cost: scores[i].2,
            })
            .collect(),
    };
    let win = tried.swap_remove(pick);
    Ok(Auto {
        config: win.config,
        cv: win.cv,
        summary,
    })
}

/// One outer fold of a nested cross-validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OuterFold {
    /// The settings the inner search picked (changes from the start).
    pub winner: Vec<String>,
    /// The winner's inner cross-validated macro-F1 (mean over inner folds).
    pub inner_macro_f1: f64,
    /// Metrics on the outer test fold, with the calibrated probabilities.
    pub metrics: Metrics,
}

/// The result of [`nested`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Nested {
    /// Classes.
    pub classes: Vec<String>,
    /// Outer folds and seed.
    pub folds: usize,
    /// Seed.
    pub seed: u64,
    /// Each outer fold.
    pub outer: Vec<OuterFold>,
    /// Outer macro-F1, mean and sd over outer folds.
    pub macro_f1: (f64, f64),
    /// Outer accuracy, mean and sd.
    pub accuracy: (f64, f64),
    /// Pooled outer-fold predictions with calibrated probabilities.
    pub pooled: Metrics,
    /// Calibration error of the outer-fold probabilities before calibration.
    pub ece_uncalibrated: model::CalibrationError,
    /// … and after (each outer fold calibrated by its inner cross-validation only).
    pub ece: model::CalibrationError,
}

/// Nested cross-validation of the whole automatic procedure: for each of `opts.folds` outer
/// folds, [`auto_search`] runs on the outer training rows only (its own inner folds), the
/// winner is trained on them, calibrated on its inner out-of-fold predictions, and scored on
/// the outer test rows. The outer score is what the procedure delivers on new data.
pub fn nested(
    start: &Config,
    space: &SearchSpace,
    fixed: &[GridKey],
    texts: &[String],
    labels: &[String],
    opts: &AutoOptions,
    progress: &mut dyn FnMut(usize, &OuterFold),
) -> Result<Nested, Error> {
    let (classes, y) = encode(labels);
    let fold_of = stratified_folds(&y, classes.len(), opts.folds, opts.seed);
    let mut outer = Vec::new();
    let mut gold_all = Vec::new();
    let mut raw_all = Vec::new();
    let mut cal_all = Vec::new();
    for f in 0..opts.folds {
        let train: Vec<usize> = (0..y.len()).filter(|&i| fold_of[i] != f).collect();
        let test: Vec<usize> = (0..y.len()).filter(|&i| fold_of[i] == f).collect();
        let tr_texts: Vec<String> = train.iter().map(|&i| texts[i].clone()).collect();
        let tr_labels: Vec<String> = train.iter().map(|&i| labels[i].clone()).collect();
        let inner_opts = AutoOptions {
            budget: opts.budget.or_else(|| Some(default_budget(tr_texts.len()))),
            ..opts.clone()
        };
        let err = |source: Error| Error::Fold {
            fold: f + 1,
            source: Box::new(source),
        };
        let auto = auto_search(
            start,
            space,
            fixed,
            &tr_texts,
            &tr_labels,
            &inner_opts,
            &mut |_, _| {},
        )
        .map_err(err)?;
        let (inner_classes, inner_y) = encode(&tr_labels);
        let cal = Calibration::fit(&auto.cv.proba, &inner_y, false).map_err(err)?;
        let (fx, clf, _) = model::fit(
            &auto.config.features.parts(),
            &auto.config.params,
            &tr_texts,
            &tr_labels,
        )
        .map_err(err)?;
        let test_texts: Vec<&str> = test.iter().map(|&i| texts[i].as_str()).collect();
        let x = fx.vectorizer().map_err(err)?.transform_batch(&test_texts);
        let raw = clf.predict_proba(&x);
        // Classes absent from the outer training rows get probability 0.
        let widen = |p: &[f64]| -> Vec<f64> {
            classes
                .iter()
                .map(|c| {
                    inner_classes
                        .iter()
                        .position(|ic| ic == c)
                        .map_or(0.0, |j| p[j])
                })
                .collect()
        };
        let mut calibrated = Vec::with_capacity(raw.len());
        for p in &raw {
            let mut c = p.clone();
            cal.apply(&mut c);
            calibrated.push(widen(&c));
        }
        let gold: Vec<usize> = test.iter().map(|&i| y[i]).collect();
        let fold = OuterFold {
            winner: auto.summary.winner.clone(),
            inner_macro_f1: auto.cv.fold_stat(|m| m.macro_f1).0,
            metrics: compute(&classes, &gold, &calibrated, &[]),
        };
        progress(f + 1, &fold);
        outer.push(fold);
        raw_all.extend(raw.iter().map(|p| widen(p)));
        cal_all.extend(calibrated);
        gold_all.extend(gold);
    }
    let stat = |g: &dyn Fn(&Metrics) -> f64| {
        super::mean_std(&outer.iter().map(|o| g(&o.metrics)).collect::<Vec<_>>())
    };
    Ok(Nested {
        macro_f1: stat(&|m| m.macro_f1),
        accuracy: stat(&|m| m.accuracy),
        pooled: compute(&classes, &gold_all, &cal_all, &[]),
        ece_uncalibrated: model::expected_calibration_error(&raw_all, &gold_all),
        ece: model::expected_calibration_error(&cal_all, &gold_all),
        classes,
        folds: opts.folds,
        seed: opts.seed,
        outer,
    })
}

impl Nested {
    /// A text table: each outer fold's winner and scores, the mean, and the calibration.
    pub fn table(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "nested cross-validation of the automatic settings ({} outer folds, seed {}):",
            self.folds, self.seed
        );
        for (i, o) in self.outer.iter().enumerate() {
            let _ = writeln!(
                s,
                "  fold {}: macro-F1 {:.4} (inner {:.4}), accuracy {:.4}; picked {}",
                i + 1,
                o.metrics.macro_f1,
                o.inner_macro_f1,
                o.metrics.accuracy,
                if o.winner.is_empty() {
                    "(start)".to_string()
                } else {
                    o.winner.join(" ")
                }
            );
        }
        let _ = writeln!(
            s,
            "macro-F1 {:.4} ± {:.4}, accuracy {:.4} ± {:.4} (mean ± sd over outer folds)",
            self.macro_f1.0, self.macro_f1.1, self.accuracy.0, self.accuracy.1
        );
        let _ = writeln!(
            s,
            "expected calibration error of the outer-fold probabilities: {:.4} calibrated ({:.4} before calibration)",
            self.ece.ece, self.ece_uncalibrated.ece
        );
        s.push_str(&reliability_table(&self.ece));
        s
    }
}

/// A reliability table: per bin of top-class probability, rows, mean probability, accuracy.
pub fn reliability_table(e: &model::CalibrationError) -> String {
    use std::fmt::Write as _;
    let mut s = String::from(
        "reliability (top-class probability):\n  bin          rows  mean p  accuracy\n",
    );
    for b in &e.bins {
        let _ = writeln!(
            s,
            "  {:.1}-{:.1}  {:>8}  {:>6.3}  {:>8.3}",
            b.lower, b.upper, b.n, b.confidence, b.accuracy
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Preset;

    #[test]
    fn one_se_prefers_the_cheaper_of_near_ties() {
        // Best mean 0.80 ± 0.05 over 5 folds: SE 0.0224, threshold 0.7776.
        let scores = [(0.80, 0.05, 5.0), (0.78, 0.01, 2.0), (0.77, 0.0, 1.0)];
        assert_eq!(one_se_pick(&scores, 5), Some(1));
        // With a tight best the cheaper ones are out.
        let tight = [(0.80, 0.001, 5.0), (0.78, 0.01, 2.0)];
        assert_eq!(one_se_pick(&tight, 5), Some(0));
        // Equal cost: the higher mean.
        let tie = [(0.79, 0.05, 2.0), (0.80, 0.05, 2.0)];
        assert_eq!(one_se_pick(&tie, 5), Some(1));
        assert_eq!(one_se_pick(&[], 5), None);
    }

    #[test]
    fn fixed_keys_are_not_searched() {
        let s = SearchSpace::default().without(&[GridKey::C, GridKey::NgramRange]);
        assert!(s
            .axes
            .iter()
            .all(|a| !matches!(a.key, GridKey::C | GridKey::NgramRange | GridKey::Analyzer)));
        assert!(s.axes.iter().any(|a| a.key == GridKey::Nb));
    }

    fn data() -> (Vec<String>, Vec<String>) {
        let mut texts = Vec::new();
        let mut labels = Vec::new();
        for i in 0..24 {
            texts.push(format!(
                "troops tanks border shelling {} item{}",
                i % 5,
                i % 3
            ));
            labels.push("military".to_string());
            texts.push(format!(
                "talks summit treaty envoys {} item{}",
                i % 5,
                i % 3
            ));
            labels.push("diplomacy".to_string());
        }
        (texts, labels)
    }

    #[test]
    fn search_moves_and_records_what_it_did() {
        let (texts, labels) = data();
        let start = Preset::Best.config();
        let space = SearchSpace::default().without(&[GridKey::CharWb]);
        let opts = AutoOptions {
            folds: 3,
            seed: 0,
            budget: Some(Duration::from_secs(600)),
        };
        let mut calls = 0;
        let a = auto_search(
            &start,
            &space,
            &[GridKey::CharWb],
            &texts,
            &labels,
            &opts,
            &mut |_, _| calls += 1,
        )
        .unwrap();
        assert!(calls >= 2);
        // Every one-key change of the start was tried: 7 C + 2 + 2 + 3 + 2 (analyzer fixed by
        // char-wb) minus the start's own values, plus the start.
        assert!(
            a.summary.evaluated > 1 + 6 + 1 + 1 + 2,
            "{}",
            a.summary.evaluated
        );
        assert!(!a.summary.stopped_by_budget);
        assert_eq!(a.summary.fixed, ["char-wb"]);
        assert_eq!(a.config.features.char_wb, start.features.char_wb);
        // The winner is within one SE of the best and its CV is on the search's folds.
        let best = &a.summary.top[0];
        let (m, _) = a.cv.fold_stat(|m| m.macro_f1);
        assert!(m >= best.macro_f1.0 - best.macro_f1.1 / 3f64.sqrt() - 1e-12);
        assert_eq!(a.cv.folds, 3);
        // A zero budget evaluates the start only.
        let none = auto_search(
            &start,
            &space,
            &[],
            &texts,
            &labels,
            &AutoOptions {
                budget: Some(Duration::ZERO),
                ..opts
            },
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(none.summary.evaluated, 1);
        assert!(none.summary.stopped_by_budget);
        assert_eq!(none.config, start);
    }

    #[test]
    fn a_budget_counts_work_so_a_stopped_search_is_reproducible() {
        let (texts, labels) = data();
        let start = Preset::Best.config();
        let space = SearchSpace::default();
        let run = |budget: f64| {
            auto_search(
                &start,
                &space,
                &[],
                &texts,
                &labels,
                &AutoOptions {
                    folds: 3,
                    seed: 0,
                    budget: Some(Duration::from_secs_f64(budget)),
                },
                &mut |_, _| {},
            )
            .unwrap()
        };
        let full = run(1e6);
        assert!(!full.summary.stopped_by_budget);
        assert!(full.summary.work_seconds > 0.0);
        // Half the work the full search did: it stops part-way, within the budget, and at the
        // same place every time (the budget is counted, not timed).
        let half = full.summary.work_seconds / 2.0;
        let a = run(half);
        assert!(a.summary.stopped_by_budget);
        assert!(a.summary.evaluated > 1 && a.summary.evaluated < full.summary.evaluated);
        assert!(a.summary.work_seconds <= half * 1.5);
        for _ in 0..3 {
            let b = run(half);
            assert_eq!(a.summary, b.summary);
            assert_eq!(a.config, b.config);
        }
    }

    #[test]
    fn work_grows_with_features_and_solver_iterations() {
        let (texts, labels) = data();
        let word = Preset::Default.config();
        let mut both = word.clone();
        both.apply(&Setting::CharWb(Some((1, 6)))).unwrap();
        let cv = |c: &Config| super::super::cross_validate(c, &texts, &labels, 3, 0, &[]).unwrap();
        let (w, b) = (cv(&word).work, cv(&both).work);
        assert_eq!(w.char_bytes, 0.0);
        let bytes: usize = texts.iter().map(String::len).sum();
        // Word 1-2-grams: 2 orders over every text, once per fold.
        assert_eq!(w.word_bytes, (3 * 2 * bytes) as f64);
        assert_eq!(b.char_bytes, (3 * 6 * bytes) as f64);
        assert!(w.solver > 0.0 && b.seconds() > w.seconds());
    }
}
