//! Report: per-source (outlet) framing summaries of scored sentences.
//!
//! For each model and each source: documents, sentences, and for each label its count, share
//! and 95% Wilson interval, and the mean probability of each class; then a chi-square test of
//! independence of source × label. [`Report::from_rows`] builds it from
//! [`ScoredSentence`] values in memory; [`Report::from_file`] reads a scores file (CSV or
//! JSON Lines) row by row into the same code. Only the per-source tallies are kept.

pub mod distinctive;
pub mod estimate;
pub mod html;
pub mod index;
pub mod pairwise;
pub mod partial;
mod render;

pub use estimate::{
    adjust, classify_count, em, estimate_all, headline_interval, headline_rule,
    probability_average, Shares, ESTIMATORS,
};

pub use partial::Partial;
pub use render::{render, ReportFormat};

use std::borrow::{Borrow, Cow};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::data::CsvOptions;
use crate::model::quantify::QuantifyStats;
use crate::model::Model;
use crate::score::{Column, ModelColumns, ScoreColumns, ScoredSentence, ScoresReader};
use crate::Error;

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// What to summarise.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Column to group by. Default `source`.
    pub by: String,
    /// Only this model (column prefix); default every model in the file.
    pub model_name: Option<String>,
    /// CSV options.
    pub csv: CsvOptions,
    /// Trained models whose statistics correct the shares, by model name (the column prefix of
    /// the scores, e.g. `stance` for `stance_label`). Models not named here get uncorrected
    /// shares of predicted labels.
    pub models: BTreeMap<String, Arc<Model>>,
    /// Seed of the bootstrap intervals.
    pub seed: u64,
    /// Example sentences per group and label: the most confident predictions. Default 3.
    pub examples: usize,
    /// Distinctive terms per group (with the model of the scores, whose analyzer counts
    /// them); 0 for none. Default 10.
    pub distinctive: usize,
    /// Groups with fewer sentences are left out of the per-group tables and comparisons (they
    /// still count in "all"). Default 0 (none left out).
    pub min_sentences: usize,
    /// Order of the groups. Default by name.
    pub sort: GroupSort,
    /// The date column behind the `month` key of `by`. Default `date`.
    pub date: String,
    /// The labels of a stance index, (pro, anti): per group the mean of P(pro) − P(anti), for
    /// the models that have both labels. Default none.
    pub stance_index: Option<(String, String)>,
    /// Read the scores file as JSON Lines whatever its name (standard input, `-`, included).
    /// Default false: JSON Lines when it ends in `.jsonl` or `.ndjson`, else CSV.
    pub jsonl: bool,
}

/// How to order the groups of a report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum GroupSort {
    /// By group name.
    #[default]
    Name,
    /// Most sentences first.
    Sentences,
    /// Largest headline share of this label first.
    Share(String),
}

impl std::str::FromStr for GroupSort {
    type Err = Error;
    fn from_str(s: &str) -> Result<GroupSort, Error> {
        match s {
            "name" => Ok(GroupSort::Name),
            "sentences" => Ok(GroupSort::Sentences),
            _ => match s.strip_prefix("share:") {
                Some(label) if !label.is_empty() => Ok(GroupSort::Share(label.to_string())),
                _ => Err(Error::setting(
                    "sort",
                    s.to_string(),
                    "name, sentences or share:LABEL",
                )),
            },
        }
    }
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            by: "source".into(),
            model_name: None,
            csv: CsvOptions::default(),
            models: BTreeMap::new(),
            seed: 0,
            examples: 3,
            distinctive: distinctive::TOP_TERMS,
            min_sentences: 0,
            sort: GroupSort::Name,
            date: "date".into(),
            stance_index: None,
            jsonl: false,
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// What was reported on: the scores file, or "in memory".
    pub input: String,
    /// Grouping column.
    pub by: String,
    /// One section per model.
    pub models: Vec<ModelReport>,
    /// What a reader must know before trusting the shares (every model and group).
    pub warnings: Vec<Warning>,
}

/// A caveat about a model's shares, or one group's.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    /// Model name.
    pub model: String,
    /// The group concerned; `None` for the whole model.
    pub group: Option<String>,
    /// Stable key: `uncorrected`, `no_cross_validation`, `classifier_error`, `small_group`,
    /// `in_sample`, `left_out`.
    pub kind: &'static str,
    /// The caveat, in words.
    pub message: String,
}

/// One model's summary across groups.
#[derive(Debug, Clone, Serialize)]
pub struct ModelReport {
    /// Model name (column prefix).
    pub name: String,
    /// Class labels (from the probability columns).
    pub classes: Vec<String>,
    /// Per group, sorted by name.
    pub groups: Vec<GroupSummary>,
    /// All groups together.
    pub overall: GroupSummary,
    /// Test that label shares differ between groups.
    pub chi_square: Option<ChiSquare>,
    /// The same question with documents as the units: Pearson's X² against whole documents
    /// shuffled between groups. `None` with fewer than 2 groups or a group of 1 document.
    pub document_test: Option<pairwise::DocumentPermutationTest>,
    /// Per group, the terms most over-represented against the other groups (weighted log-odds
    /// with an informative Dirichlet prior); empty without the model.
    pub distinctive: Vec<distinctive::Distinctive>,
    /// Groups left out of the tables for having fewer sentences than asked (`min_sentences`),
    /// with their sentences; they still count in `overall`.
    pub left_out: Vec<(String, usize)>,
    /// Every pair of groups with at least 3 documents, per label: the difference of their
    /// headline shares with a bootstrap interval and Holm-adjusted p-values.
    pub pairwise: Vec<pairwise::PairDifference>,
    /// Whether the model's training statistics were given to correct the shares.
    pub corrected: bool,
    /// The model's cross-validated macro-F1, when known.
    pub cv_macro_f1: Option<f64>,
    /// The class with the largest cross-validated error (1 − recall) and that error.
    pub largest_class_error: Option<(String, f64)>,
}

impl ModelReport {
    /// Whether any group has example sentences.
    pub fn has_examples(&self) -> bool {
        self.groups
            .iter()
            .any(|g| g.labels.iter().any(|l| !l.examples.is_empty()))
    }

    /// Whether any group has distinctive terms.
    pub fn has_distinctive(&self) -> bool {
        self.distinctive.iter().any(|d| !d.terms.is_empty())
    }
}

/// One group's (source's) summary.
#[derive(Debug, Clone, Serialize)]
pub struct GroupSummary {
    /// Group value (source name).
    pub group: String,
    /// Distinct documents.
    pub documents: usize,
    /// Sentences (rows).
    pub sentences: usize,
    /// One entry per class.
    pub labels: Vec<LabelShare>,
    /// Sentences that were in the model's training data (normalised text); `None` without
    /// the model's statistics.
    pub in_sample: Option<usize>,
    /// Mean P(pro) − P(anti) with its interval, when a stance index was asked for and the
    /// model has both labels.
    pub stance_index: Option<index::StanceIndex>,
}

/// A label's share in a group.
#[derive(Debug, Clone, Serialize)]
pub struct LabelShare {
    /// The label.
    pub label: String,
    /// Sentences with this predicted label.
    pub count: usize,
    /// count / sentences.
    pub share: f64,
    /// Lower bound of the 95% Wilson interval.
    pub ci_low: f64,
    /// Upper bound of the 95% Wilson interval.
    pub ci_high: f64,
    /// Lower bound of the 95% interval that treats documents (articles) as the sampled units:
    /// sentences of one article are not independent. `None` with fewer than 2 documents.
    pub cluster_ci_low: Option<f64>,
    /// Upper bound of that interval.
    pub cluster_ci_high: Option<f64>,
    /// Mean predicted probability of this class.
    pub mean_probability: f64,
    /// The share by each estimator; `None` where the model lacks what it needs.
    pub estimates: Estimates,
    /// Estimators whose unconstrained solution left [0, 1] and was clipped.
    pub clipped: Vec<&'static str>,
    /// Key of the estimate the report leads with (one of [`ESTIMATORS`]).
    pub headline: &'static str,
    /// Lower bound of the headline's 95% bootstrap interval (documents and, for adjusted
    /// estimates, the cross-validation rows resampled); `None` with fewer than 3 documents.
    pub headline_ci_low: Option<f64>,
    /// Upper bound of that interval.
    pub headline_ci_high: Option<f64>,
    /// The group's most confident sentences predicted as this label (most confident first).
    pub examples: Vec<Example>,
}

/// A label's share by each estimator (see [`estimate`](crate::report::estimate_all)).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Estimates {
    /// Share of sentences predicted as the label.
    pub classify_count: Option<f64>,
    /// Mean predicted probability of the label.
    pub probability_average: Option<f64>,
    /// Classify-and-count adjusted with the cross-validated confusion rates.
    pub adjusted_count: Option<f64>,
    /// Probability average adjusted with the cross-validated expected rates.
    pub probability_adjusted: Option<f64>,
    /// EM prior adjustment (Saerens, Latinne & Decaestecker 2002).
    pub em: Option<f64>,
}

impl Estimates {
    /// The estimate of estimator `which` (index into [`ESTIMATORS`]).
    pub fn get(&self, which: usize) -> Option<f64> {
        [
            self.classify_count,
            self.probability_average,
            self.adjusted_count,
            self.probability_adjusted,
            self.em,
        ]
        .get(which)
        .copied()
        .flatten()
    }

    /// The estimate the label's [`headline`](LabelShare::headline) names.
    pub fn by_key(&self, key: &str) -> Option<f64> {
        ESTIMATORS
            .iter()
            .position(|k| *k == key)
            .and_then(|w| self.get(w))
    }
}

/// Pearson's chi-square test of independence of group × predicted label.
#[derive(Debug, Clone, Serialize)]
pub struct ChiSquare {
    /// The statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// p-value.
    pub p_value: f64,
    /// Share of cells with an expected count below 5 (the test is unreliable above 0.2).
    pub low_expected_share: f64,
}

/// The 95% Wilson score interval for `x` successes in `n` trials.
pub fn wilson(x: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (x, n) = (x as f64, n as f64);
    let p = x / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At x = 0 or x = n the exact bound is 0 or 1; rounding would leave it a hair inside.
    let lo = if x == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if x == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

/// A 95% interval for a share of sentences when sentences come in documents: the share is the
/// ratio estimator p = Σxⱼ / Σnⱼ over documents j (xⱼ of nⱼ sentences have the label), its
/// cluster-robust standard error is √(m/(m−1) · Σ(xⱼ − p·nⱼ)²) / Σnⱼ for m documents, and the
/// interval is p ± t(m−1, 0.975)·se, clipped to [0, 1]. `None` with fewer than 2 documents.
pub fn clustered_interval(per_doc: &[(usize, usize)]) -> Option<(f64, f64)> {
    use statrs::distribution::StudentsT;
    let m = per_doc.iter().filter(|(_, n)| *n > 0).count();
    let n: f64 = per_doc.iter().map(|(_, n)| *n as f64).sum();
    if m < 2 || n == 0.0 {
        return None;
    }
    let x: f64 = per_doc.iter().map(|(x, _)| *x as f64).sum();
    let p = x / n;
    let ss: f64 = per_doc
        .iter()
        .map(|(xj, nj)| (*xj as f64 - p * *nj as f64).powi(2))
        .sum();
    let mf = m as f64;
    let se = (mf / (mf - 1.0) * ss).sqrt() / n;
    let t = StudentsT::new(0.0, 1.0, mf - 1.0).ok()?.inverse_cdf(0.975);
    Some(((p - t * se).max(0.0), (p + t * se).min(1.0)))
}

/// Pearson's chi-square test on a contingency table (rows × columns of counts). Rows and
/// columns that are all zero are dropped; `None` when fewer than 2 remain either way.
pub fn chi_square(table: &[Vec<usize>]) -> Option<ChiSquare> {
    let rows: Vec<&Vec<usize>> = table
        .iter()
        .filter(|r| r.iter().sum::<usize>() > 0)
        .collect();
    let ncol = rows.first()?.len();
    let cols: Vec<usize> = (0..ncol)
        .filter(|&j| rows.iter().map(|r| r[j]).sum::<usize>() > 0)
        .collect();
    if rows.len() < 2 || cols.len() < 2 {
        return None;
    }
    let n: f64 = rows
        .iter()
        .flat_map(|r| cols.iter().map(|&j| r[j] as f64))
        .sum();
    let row_tot: Vec<f64> = rows
        .iter()
        .map(|r| cols.iter().map(|&j| r[j] as f64).sum())
        .collect();
    let col_tot: Vec<f64> = cols
        .iter()
        .map(|&j| rows.iter().map(|r| r[j] as f64).sum())
        .collect();
    let mut stat = 0.0;
    let mut low = 0usize;
    for (i, r) in rows.iter().enumerate() {
        for (k, &j) in cols.iter().enumerate() {
            let e = row_tot[i] * col_tot[k] / n;
            if e < 5.0 {
                low += 1;
            }
            stat += (r[j] as f64 - e).powi(2) / e;
        }
    }
    let df = (rows.len() - 1) * (cols.len() - 1);
    let p_value = ChiSquared::new(df as f64)
        .map(|d| d.sf(stat))
        .unwrap_or(f64::NAN);
    Some(ChiSquare {
        statistic: stat,
        df,
        p_value,
        low_expected_share: low as f64 / (rows.len() * cols.len()) as f64,
    })
}

/// One group's tally of one model's scored rows: everything its summary, the comparisons and
/// a partial report need. The order rows come in does not matter once
/// [`canonical`](Tally::canonical) has run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    /// Per document: sentences, then the count of each label.
    pub(crate) docs: BTreeMap<String, (usize, Vec<usize>)>,
    pub(crate) sentences: usize,
    pub(crate) counts: Vec<usize>,
    /// Per class, the sum of the probabilities (set by [`canonical`](Tally::canonical)).
    prob_sums: Vec<f64>,
    /// Per document, each sentence's index and probabilities.
    pub(crate) probs: BTreeMap<String, Vec<(usize, Vec<f64>)>>,
    /// Sentences found in the model's training data.
    pub(crate) in_sample: usize,
    /// Per class, the most confident sentences predicted as the class, most confident first.
    pub(crate) examples: Vec<Vec<Example>>,
    /// Occurrences of each vocabulary term of the model's analyzer (with `--model`).
    pub(crate) terms: distinctive::TermCounts,
}

impl Tally {
    /// An empty tally of `k` classes.
    pub(crate) fn new(k: usize) -> Tally {
        Tally {
            counts: vec![0; k],
            prob_sums: vec![0.0; k],
            examples: vec![Vec::new(); k],
            ..Tally::default()
        }
    }

    /// Puts each document's sentences in index order and sums the probabilities in that
    /// order, so that the same rows give the same numbers in any order or split. Sentences
    /// with the same index (a document scored as several records, each numbered from 0) are
    /// ordered by their probabilities, so their order does not depend on the split either.
    fn canonical(&mut self) {
        for v in self.probs.values_mut() {
            v.sort_by(|(i, p), (j, q)| {
                i.cmp(j).then_with(|| {
                    p.iter()
                        .zip(q)
                        .map(|(x, y)| x.total_cmp(y))
                        .find(|o| o.is_ne())
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
            });
        }
        let k = self.counts.len();
        self.prob_sums = vec![0.0; k];
        for (_, p) in self.probs.values().flatten() {
            for (sum, x) in self.prob_sums.iter_mut().zip(p) {
                *sum += x;
            }
        }
    }

    /// Each document's probabilities, sentences in order.
    fn documents(&self) -> Vec<Vec<Vec<f64>>> {
        self.probs
            .values()
            .map(|v| v.iter().map(|(_, p)| p.clone()).collect())
            .collect()
    }

    /// Adds `other`'s rows (from another part of the same scores).
    pub(crate) fn merge(&mut self, other: Tally, examples: usize) {
        for (doc, (n, counts)) in other.docs {
            let d = self
                .docs
                .entry(doc)
                .or_insert_with(|| (0, vec![0; counts.len()]));
            d.0 += n;
            for (a, b) in d.1.iter_mut().zip(&counts) {
                *a += b;
            }
        }
        self.sentences += other.sentences;
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (doc, v) in other.probs {
            self.probs.entry(doc).or_default().extend(v);
        }
        self.in_sample += other.in_sample;
        for (list, more) in self.examples.iter_mut().zip(other.examples) {
            for e in more {
                if wants_example(list, examples, example_key(&e)) {
                    keep_example(list, examples, e);
                }
            }
        }
        for (term, n) in other.terms.counts {
            *self.terms.counts.entry(term).or_default() += n;
        }
    }
}

/// An example sentence: one of the most confident predictions of a label in a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// Document id.
    pub doc: String,
    /// Sentence index in the document.
    pub index: usize,
    /// The sentence.
    pub text: String,
    /// The model's probability of the label.
    pub probability: f64,
}

/// The order of examples: most confident first; ties by document, sentence index, then text
/// (a document scored as several records repeats sentence indices), so that the examples kept
/// do not depend on the order the rows come in.
fn example_order(a: (f64, &str, usize, &str), b: (f64, &str, usize, &str)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0)
        .then_with(|| a.1.cmp(b.1))
        .then_with(|| a.2.cmp(&b.2))
        .then_with(|| a.3.cmp(b.3))
}

fn example_key(e: &Example) -> (f64, &str, usize, &str) {
    (e.probability, &e.doc, e.index, &e.text)
}

/// Whether an example of `probability` (document `doc`, sentence `index`, `text`) enters the
/// `n` most confident of `list`.
fn wants_example(list: &[Example], n: usize, candidate: (f64, &str, usize, &str)) -> bool {
    n > 0
        && (list.len() < n
            || list
                .last()
                .is_some_and(|l| example_order(candidate, example_key(l)).is_lt()))
}

/// Keeps `list` as the `n` most confident examples, in [`example_order`].
fn keep_example(list: &mut Vec<Example>, n: usize, e: Example) {
    let at = list.partition_point(|x| example_order(example_key(x), example_key(&e)).is_le());
    list.insert(at, e);
    list.truncate(n);
}

/// One part of the grouping key.
#[derive(Debug, Clone, Copy)]
enum GroupKey {
    /// A column's value.
    Column(Column),
    /// The year and month (`YYYY-MM`) of a date column's value.
    Month(Column),
}

/// The grouping keys of `opts.by`: comma-separated column names, and `month` for the month of
/// the `opts.date` column.
fn group_keys(columns: &ScoreColumns, opts: &ReportOptions) -> Result<Vec<GroupKey>, Error> {
    by_keys(opts, |c| columns.find(c).is_some())
        .into_iter()
        .map(|(column, month)| {
            let found = columns.find(column).ok_or_else(|| {
                Error::setting(
                    "by",
                    opts.by.clone(),
                    if month {
                        format!(
                            "a date column {:?} for month (the scores have: {})",
                            opts.date,
                            columns.header().join(", ")
                        )
                    } else {
                        format!(
                            "column names (or month) separated by commas, from: {}",
                            columns.header().join(", ")
                        )
                    },
                )
            })?;
            Ok(if month {
                GroupKey::Month(found)
            } else {
                GroupKey::Column(found)
            })
        })
        .collect()
}

/// The columns the keys of `opts.by` read, each with whether it is read for its month: `month`
/// stands for the `opts.date` column unless the scores have a column named `month`.
fn by_keys(opts: &ReportOptions, has: impl Fn(&str) -> bool) -> Vec<(&str, bool)> {
    opts.by
        .split(',')
        .map(str::trim)
        .map(|key| {
            if key == "month" && !has("month") {
                (opts.date.as_str(), true)
            } else {
                (key, false)
            }
        })
        .collect()
}

/// The group of `row` (row `n`, 0-based): the keys' values joined by " / ".
fn group_by_keys<'a>(
    row: &'a ScoredSentence,
    keys: &[GroupKey],
    n: usize,
) -> Result<Cow<'a, str>, Error> {
    let value = |k: &GroupKey| -> Result<Cow<'a, str>, Error> {
        match *k {
            GroupKey::Column(c) => Ok(group_of(row, c)),
            GroupKey::Month(c) => {
                let v = group_of(row, c);
                let t = v.trim();
                let b = t.as_bytes();
                let ok = b.len() >= 7
                    && b[..4].iter().all(u8::is_ascii_digit)
                    && b[4] == b'-'
                    && b[5..7].iter().all(u8::is_ascii_digit);
                if ok {
                    Ok(Cow::Owned(t[..7].to_string()))
                } else {
                    Err(Error::inconsistent(
                        "rows",
                        format!(
                            "row {}: {:?} is not a date (YYYY-MM-DD or YYYY-MM…) to group by month",
                            n + 1,
                            t
                        ),
                    ))
                }
            }
        }
    };
    match keys {
        [one] => value(one),
        _ => Ok(Cow::Owned(
            keys.iter()
                .map(value)
                .collect::<Result<Vec<_>, _>>()?
                .join(" / "),
        )),
    }
}

/// The value of `column` in `row`, as the group it belongs to.
fn group_of(row: &ScoredSentence, column: Column) -> Cow<'_, str> {
    match column {
        Column::Id => Cow::Owned(row.id()),
        Column::Source => Cow::Borrowed(&row.source),
        Column::Doc => Cow::Borrowed(&row.doc),
        Column::Index => Cow::Owned(row.index.to_string()),
        Column::Text => Cow::Borrowed(&row.text),
        Column::Keep(k) => Cow::Borrowed(row.keep.get(k).map_or("", String::as_str)),
        Column::Label(m) => Cow::Borrowed(row.predictions.get(m).map_or("", |p| p.label.as_str())),
        Column::Probability(m, c) => Cow::Owned(
            row.predictions
                .get(m)
                .and_then(|p| p.probabilities.get(c))
                .map_or(String::new(), |p| format!("{p:.6}")),
        ),
    }
}

impl Report {
    /// Builds the report from scored sentences in memory, whose columns are `columns`
    /// (e.g. [`Scorer::columns`](crate::score::Scorer::columns)). `opts.by` names the column
    /// to group by, one of `columns` (`source`, `doc`, a kept column, another model's
    /// label, ...); `opts.csv` is not used. The report's [`input`](Report::input) says "in
    /// memory"; set it to describe the rows.
    ///
    /// ```
    /// use framelens::report::{Report, ReportOptions};
    /// use framelens::score::{ModelColumns, Prediction, ScoreColumns, ScoredSentence};
    /// let columns = ScoreColumns::new(vec![ModelColumns { name: "m".into(), classes: vec!["a".into(), "b".into()] }]);
    /// let row = |source: &str, label: &str| ScoredSentence {
    ///     source: source.into(), doc: "1".into(), text: "...".into(),
    ///     predictions: vec![Prediction { label: label.into(), probabilities: vec![0.5, 0.5] }],
    ///     ..ScoredSentence::default()
    /// };
    /// let rows = [row("x", "a"), row("x", "b"), row("y", "b")];
    /// let r = Report::from_rows(&columns, &rows, &ReportOptions::default())?;
    /// assert_eq!(r.models[0].groups[0].labels[0].count, 1);
    /// assert_eq!(r.models[0].overall.sentences, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_rows<I>(
        columns: &ScoreColumns,
        rows: I,
        opts: &ReportOptions,
    ) -> Result<Report, Error>
    where
        I: IntoIterator,
        I::Item: Borrow<ScoredSentence> + Sync,
    {
        Report::try_from_rows(columns, rows.into_iter().map(Ok), opts)
    }

    /// [`from_rows`](Report::from_rows) over rows that may fail to read (such as a
    /// [`ScoresReader`]); the first error stops it.
    pub fn try_from_rows<I, R>(
        columns: &ScoreColumns,
        rows: I,
        opts: &ReportOptions,
    ) -> Result<Report, Error>
    where
        I: IntoIterator<Item = Result<R, Error>>,
        R: Borrow<ScoredSentence> + Sync,
    {
        let tallies = Tallies::from_rows(columns, rows, opts)?;
        tallies.report(opts)
    }

    /// Builds the report from a scores file: CSV as written by `framelens score` (or `-`,
    /// standard input), or JSON Lines (`.jsonl`, `.ndjson`), read row by row with a
    /// [`ScoresReader`] into [`from_rows`](Report::from_rows).
    pub fn from_file(path: &Path, opts: &ReportOptions) -> Result<Report, Error> {
        let reader = open_scores(path, opts)?;
        let columns = reader.columns().clone();
        let mut report = Report::try_from_rows(&columns, reader, opts)?;
        report.input = path.display().to_string();
        Ok(report)
    }
}

/// Each selected model's columns and per-group tallies of scored rows: what a report is
/// computed from, and what a partial report stores.
#[derive(Debug, Clone)]
pub(crate) struct Tallies {
    /// The models reported on.
    pub(crate) models: Vec<ModelColumns>,
    /// Per model, the tally of each group.
    pub(crate) groups: Vec<BTreeMap<String, Tally>>,
}

impl Tallies {
    /// Tallies scored rows (see [`Report::try_from_rows`]).
    pub(crate) fn from_rows<I, R>(
        columns: &ScoreColumns,
        rows: I,
        opts: &ReportOptions,
    ) -> Result<Tallies, Error>
    where
        I: IntoIterator<Item = Result<R, Error>>,
        R: Borrow<ScoredSentence> + Sync,
    {
        let keys = group_keys(columns, opts)?;
        let selected: Vec<usize> = match &opts.model_name {
            None => (0..columns.models.len()).collect(),
            Some(want) => {
                let m = columns
                    .models
                    .iter()
                    .position(|m| &m.name == want)
                    .ok_or_else(|| {
                        Error::setting(
                            "model_name",
                            want.clone(),
                            format!("one of the models: {}", model_names(&columns.models)),
                        )
                    })?;
                vec![m]
            }
        };
        check_models(&columns.models, opts)?;
        let stats: Vec<Option<&QuantifyStats>> = selected
            .iter()
            .map(|&m| {
                opts.models
                    .get(&columns.models[m].name)
                    .and_then(|model| model.quantify.as_ref())
            })
            .collect();
        // The model's own analyzer (its first feature part) and vocabulary, to count each
        // group's terms for the distinctive-language lists.
        let analyzers: Vec<Option<(crate::text::Analyzer, HashMap<String, u32>)>> = selected
            .iter()
            .map(|&m| {
                let model = opts.models.get(&columns.models[m].name)?;
                let part = model.features.parts.first()?;
                if opts.distinctive == 0 {
                    return None;
                }
                let analyzer = crate::text::Analyzer::new(&part.config.analyzer).ok()?;
                let index = part
                    .vocabulary
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.clone(), i as u32))
                    .collect();
                Some((analyzer, index))
            })
            .collect();
        // Per row and model, what depends on the text alone (whether the model trained on it,
        // and its vocabulary terms) is worked out in parallel a chunk of rows at a time; the
        // rows are then tallied in order, as in one pass over them.
        let text_facts = |own: &mut Vec<Option<crate::text::Analyzer>>, text: &str| {
            stats
                .iter()
                .zip(own.iter_mut())
                .zip(&analyzers)
                .map(|((stats, analyzer), shared)| {
                    let in_sample = stats.is_some_and(|s| s.in_training(text));
                    let mut terms = Vec::new();
                    if let (Some(analyzer), Some((_, index))) = (analyzer, shared) {
                        analyzer.for_each_term(text, |term| {
                            if let Some(&w) = index.get(term) {
                                terms.push(w);
                            }
                        });
                    }
                    (in_sample, terms)
                })
                .collect::<Vec<(bool, Vec<u32>)>>()
        };
        let own_analyzers = || {
            analyzers
                .iter()
                .map(|a| a.as_ref().map(|(a, _)| a.clone()))
                .collect::<Vec<_>>()
        };
        let mut tallies: Vec<BTreeMap<String, Tally>> =
            selected.iter().map(|_| BTreeMap::new()).collect();
        let mut rows = rows.into_iter().enumerate();
        loop {
            let mut chunk: Vec<(usize, R)> = Vec::with_capacity(TALLY_CHUNK);
            for (n, row) in rows.by_ref().take(TALLY_CHUNK) {
                chunk.push((n, row?));
            }
            if chunk.is_empty() {
                break;
            }
            let facts: Vec<Vec<(bool, Vec<u32>)>> = chunk
                .par_iter()
                .map_init(own_analyzers, |own, (_, row)| {
                    text_facts(own, &row.borrow().text)
                })
                .collect();
            for ((n, row), facts) in chunk.iter().zip(facts) {
                let (n, row): (usize, &ScoredSentence) = (*n, row.borrow());
                let group = group_by_keys(row, &keys, n)?;
                for ((&m, tally), (in_sample, terms)) in
                    selected.iter().zip(tallies.iter_mut()).zip(facts)
                {
                    let classes = &columns.models[m].classes;
                    let k = classes.len();
                    let p = row
                        .predictions
                        .get(m)
                        .filter(|p| p.probabilities.len() == k)
                        .ok_or_else(|| {
                            Error::inconsistent(
                                "rows",
                                format!(
                                    "row {} has no prediction of model {:?} with {k} probabilities",
                                    n + 1,
                                    columns.models[m].name
                                ),
                            )
                        })?;
                    let t = tally
                        .entry(group.to_string())
                        .or_insert_with(|| Tally::new(k));
                    let per_doc = t
                        .docs
                        .entry(row.doc.clone())
                        .or_insert_with(|| (0, vec![0; k]));
                    per_doc.0 += 1;
                    t.sentences += 1;
                    if let Some(c) = classes.iter().position(|cls| *cls == p.label) {
                        t.counts[c] += 1;
                        per_doc.1[c] += 1;
                        // The precision of a scores file, so that a report from rows in memory
                        // equals the report of the written scores.
                        let probability = (p.probabilities[c] * 1e6).round() / 1e6;
                        if wants_example(
                            &t.examples[c],
                            opts.examples,
                            (probability, &row.doc, row.index, &row.text),
                        ) {
                            keep_example(
                                &mut t.examples[c],
                                opts.examples,
                                Example {
                                    doc: row.doc.clone(),
                                    index: row.index,
                                    text: row.text.clone(),
                                    probability,
                                },
                            );
                        }
                    }
                    t.probs
                        .entry(row.doc.clone())
                        .or_default()
                        .push((row.index, p.probabilities.clone()));
                    if in_sample {
                        t.in_sample += 1;
                    }
                    for w in terms {
                        *t.terms.counts.entry(w).or_default() += 1;
                    }
                }
            }
        }
        Ok(Tallies {
            models: selected
                .iter()
                .map(|&m| columns.models[m].clone())
                .collect(),
            groups: tallies,
        })
    }

    /// The report of the tallies.
    pub(crate) fn report(self, opts: &ReportOptions) -> Result<Report, Error> {
        check_models(&self.models, opts)?;
        // Models, and below the parts of each model's summary, run in parallel: each seeds its
        // own random numbers, so the report does not depend on the threads.
        let reports: Vec<ModelReport> = self
            .models
            .par_iter()
            .zip(self.groups.into_par_iter())
            .map(|(columns, mut tally)| {
                tally.values_mut().for_each(Tally::canonical);
                let model = opts.models.get(&columns.name).map(Arc::as_ref);
                let mut r = summarise_model(columns, &tally, model, opts);
                sort_groups(&mut r, &opts.sort);
                r
            })
            .collect();
        if let Some((pro, anti)) = &opts.stance_index {
            if !reports
                .iter()
                .any(|m| m.classes.contains(pro) && m.classes.contains(anti))
            {
                return Err(Error::setting(
                    "stance index",
                    format!("{pro},{anti}"),
                    "two labels of one model",
                ));
            }
        }
        if let GroupSort::Share(label) = &opts.sort {
            if !reports.iter().any(|m| m.classes.contains(label)) {
                let labels: Vec<&str> = reports
                    .iter()
                    .flat_map(|m| m.classes.iter().map(String::as_str))
                    .collect();
                return Err(Error::setting(
                    "sort",
                    format!("share:{label}"),
                    format!("share:LABEL with one of the labels {}", labels.join(", ")),
                ));
            }
        }
        let warnings = reports.iter().flat_map(warnings).collect();
        Ok(Report {
            input: "in memory".into(),
            by: opts.by.clone(),
            models: reports,
            warnings,
        })
    }
}

/// Checks that every model of `opts.models` has scores among `models`, with the same classes.
fn check_models(models: &[ModelColumns], opts: &ReportOptions) -> Result<(), Error> {
    for (name, model) in &opts.models {
        let cols = models.iter().find(|m| &m.name == name).ok_or_else(|| {
            Error::setting(
                "models",
                name.clone(),
                format!("one of the models in the scores: {}", model_names(models)),
            )
        })?;
        if cols.classes != model.classes() {
            return Err(Error::inconsistent(
                "model",
                format!(
                    "model {name:?} has classes {} but its scores have {}",
                    model.classes().join(", "),
                    cols.classes.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Opens a scores file for a report and checks it has the columns `opts` asks for.
fn open_scores(path: &Path, opts: &ReportOptions) -> Result<ScoresReader, Error> {
    let reader = if opts.jsonl {
        ScoresReader::open_jsonl(path)?
    } else {
        ScoresReader::open(path, &opts.csv)?
    };
    let header = reader.header();
    for (column, _) in by_keys(opts, |c| header.iter().any(|h| h == c)) {
        if !header.iter().any(|h| h == column) {
            return Err(Error::MissingColumn {
                path: path.to_path_buf(),
                column: column.to_string(),
                available: header.to_vec(),
            });
        }
    }
    let columns = reader.columns();
    if columns.models.is_empty() {
        return Err(Error::NoModels {
            path: path.to_path_buf(),
            columns: header.join(", "),
        });
    }
    if let Some(want) = &opts.model_name {
        if !columns.models.iter().any(|m| &m.name == want) {
            return Err(Error::UnknownModel {
                path: path.to_path_buf(),
                name: want.clone(),
                available: model_names(&columns.models),
            });
        }
    }
    Ok(reader)
}

fn model_names(models: &[ModelColumns]) -> String {
    models
        .iter()
        .map(|m| m.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows read before their texts are analysed in parallel (see `Tallies::from_rows`).
const TALLY_CHUNK: usize = 8192;

/// Small groups: fewer sentences or documents than this get a warning.
pub const SMALL_SENTENCES: usize = 30;

/// One model's summary from its per-group tallies; `model` (with its training statistics)
/// corrects the shares.
fn summarise_model(
    columns: &ModelColumns,
    tally: &BTreeMap<String, Tally>,
    model: Option<&Model>,
    opts: &ReportOptions,
) -> ModelReport {
    let seed = opts.seed;
    let shown = |t: &Tally| t.sentences >= opts.min_sentences;
    let left_out: Vec<(String, usize)> = tally
        .iter()
        .filter(|(_, t)| !shown(t))
        .map(|(g, t)| (g.clone(), t.sentences))
        .collect();
    let classes = columns.classes.clone();
    let k = classes.len();
    let stats = model.and_then(|m| m.quantify.as_ref());
    let rates = stats.and_then(QuantifyStats::rates);
    let cv = model.and_then(|m| m.training.cross_validation.as_ref());
    let recalls: Vec<f64> = cv.map_or_else(Vec::new, |cv| {
        cv.confusion
            .iter()
            .enumerate()
            .map(|(g, row)| row[g] as f64 / row.iter().sum::<usize>().max(1) as f64)
            .collect()
    });
    let headline = headline_rule(stats, &recalls);
    let summarise = |group: &str, t: &Tally, docs: &[Vec<Vec<f64>>]| {
        let est = estimate_all(docs, k, stats, rates.as_ref());
        // Fall back to classify-and-count when the chosen estimator is unavailable here.
        let lead = if est[headline].is_some() { headline } else { 0 };
        let interval = if t.sentences > 0 {
            headline_interval(docs, k, stats, lead, seed)
        } else {
            None
        };
        let stance_index = opts.stance_index.as_ref().and_then(|(pro, anti)| {
            let p = classes.iter().position(|c| c == pro)?;
            let a = classes.iter().position(|c| c == anti)?;
            (t.sentences > 0).then(|| index::stance_index(docs, (p, pro), (a, anti), seed))
        });
        GroupSummary {
            stance_index,
            group: group.to_string(),
            documents: t.docs.len(),
            sentences: t.sentences,
            in_sample: stats.map(|_| t.in_sample),
            labels: classes
                .iter()
                .enumerate()
                .map(|(c, label)| {
                    let (lo, hi) = wilson(t.counts[c], t.sentences);
                    let per_doc: Vec<(usize, usize)> =
                        t.docs.values().map(|(n, x)| (x[c], *n)).collect();
                    let clustered = clustered_interval(&per_doc);
                    let share = |w: usize| {
                        est[w]
                            .as_ref()
                            .filter(|_| t.sentences > 0)
                            .map(|e| e.shares[c])
                    };
                    LabelShare {
                        cluster_ci_low: clustered.map(|c| c.0),
                        cluster_ci_high: clustered.map(|c| c.1),
                        label: label.clone(),
                        count: t.counts[c],
                        share: if t.sentences == 0 {
                            0.0
                        } else {
                            t.counts[c] as f64 / t.sentences as f64
                        },
                        ci_low: lo,
                        ci_high: hi,
                        mean_probability: if t.sentences == 0 {
                            0.0
                        } else {
                            t.prob_sums[c] / t.sentences as f64
                        },
                        estimates: Estimates {
                            classify_count: share(0),
                            probability_average: share(1),
                            adjusted_count: share(2),
                            probability_adjusted: share(3),
                            em: share(4),
                        },
                        clipped: ESTIMATORS
                            .iter()
                            .zip(&est)
                            .filter(|(_, e)| e.as_ref().is_some_and(|e| e.clipped))
                            .map(|(k, _)| *k)
                            .collect(),
                        headline: ESTIMATORS[lead],
                        headline_ci_low: interval.as_ref().map(|i| i[c].0),
                        headline_ci_high: interval.as_ref().map(|i| i[c].1),
                        examples: t.examples.get(c).cloned().unwrap_or_default(),
                    }
                })
                .collect(),
        }
    };
    let mut all = Tally::new(k);
    for (g, t) in tally {
        all.docs.extend(
            t.docs
                .iter()
                .map(|(d, v)| (format!("{g}\u{1f}{d}"), v.clone())),
        );
        all.probs.extend(
            t.probs
                .iter()
                .map(|(d, v)| (format!("{g}\u{1f}{d}"), v.clone())),
        );
        all.sentences += t.sentences;
        all.in_sample += t.in_sample;
        for c in 0..k {
            all.counts[c] += t.counts[c];
            all.prob_sums[c] += t.prob_sums[c];
        }
    }
    let table: Vec<Vec<usize>> = tally.values().map(|t| t.counts.clone()).collect();
    let largest_class_error = cv.and_then(|cv| {
        cv.confusion
            .iter()
            .enumerate()
            .filter_map(|(g, row)| {
                let n: usize = row.iter().sum();
                (n > 0).then(|| {
                    (
                        classes.get(g).cloned().unwrap_or_default(),
                        1.0 - row[g] as f64 / n as f64,
                    )
                })
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
    });
    // Each shown group's documents, built once for its summary and the comparisons.
    let group_docs: Vec<(String, Vec<Vec<Vec<f64>>>)> = tally
        .iter()
        .filter(|(_, t)| shown(t))
        .map(|(g, t)| (g.clone(), t.documents()))
        .collect();
    let refs: Vec<(&str, &[Vec<Vec<f64>>])> = group_docs
        .iter()
        .map(|(g, d)| (g.as_str(), d.as_slice()))
        .collect();
    let compare = || {
        let pairwise = pairwise::pairwise(&refs, &classes, stats, headline, seed);
        if pairwise.is_empty() && headline != 0 {
            // The headline estimator is unavailable in some group: compare classify-and-count.
            pairwise::pairwise(&refs, &classes, stats, 0, seed)
        } else {
            pairwise
        }
    };
    let distinctive = match model.and_then(|m| m.features.parts.first()) {
        Some(part) if opts.distinctive > 0 => {
            let shown_groups: Vec<(&str, &distinctive::TermCounts)> = tally
                .iter()
                .filter(|(_, t)| shown(t))
                .map(|(g, t)| (g.as_str(), &t.terms))
                .collect();
            distinctive::fightin_words(
                &shown_groups,
                &part.vocabulary,
                distinctive::PRIOR_STRENGTH,
                opts.distinctive,
            )
        }
        _ => Vec::new(),
    };
    let shown_tallies: Vec<&Tally> = tally.values().filter(|t| shown(t)).collect();
    let perm_docs: Vec<(usize, Vec<usize>)> = shown_tallies
        .iter()
        .enumerate()
        .flat_map(|(g, t)| t.docs.values().map(move |(_, counts)| (g, counts.clone())))
        .collect();
    let permute = || {
        pairwise::document_permutation_test(
            &perm_docs,
            shown_tallies.len(),
            pairwise::PERMUTATIONS,
            seed,
        )
    };
    let shown_groups: Vec<(&String, &Tally)> = tally.iter().filter(|(_, t)| shown(t)).collect();
    let summarise_groups = || {
        shown_groups
            .par_iter()
            .zip(&group_docs)
            .map(|((g, t), (_, docs))| summarise(g, t, docs))
            .collect::<Vec<GroupSummary>>()
    };
    let ((pairwise, document_test), (groups, overall)) = rayon::join(
        || rayon::join(compare, permute),
        || {
            rayon::join(summarise_groups, || {
                summarise("(all)", &all, &all.documents())
            })
        },
    );
    ModelReport {
        name: columns.name.clone(),
        pairwise,
        distinctive,
        document_test,
        groups,
        left_out,
        overall,
        chi_square: chi_square(&table),
        corrected: stats.is_some(),
        cv_macro_f1: cv.map(|cv| cv.macro_f1),
        largest_class_error,
        classes,
    }
}

/// Orders the groups (the pairwise comparisons keep their order).
fn sort_groups(m: &mut ModelReport, sort: &GroupSort) {
    match sort {
        GroupSort::Name => {}
        GroupSort::Sentences => m
            .groups
            .sort_by(|a, b| b.sentences.cmp(&a.sentences).then(a.group.cmp(&b.group))),
        GroupSort::Share(label) => {
            let share = |g: &GroupSummary| {
                g.labels
                    .iter()
                    .find(|l| &l.label == label)
                    .map_or(f64::NEG_INFINITY, |l| {
                        l.estimates.by_key(l.headline).unwrap_or(l.share)
                    })
            };
            m.groups
                .sort_by(|a, b| share(b).total_cmp(&share(a)).then(a.group.cmp(&b.group)));
        }
    }
}

/// The warnings of one model's summary.
fn warnings(m: &ModelReport) -> Vec<Warning> {
    let mut w = Vec::new();
    let mut add = |group: Option<&str>, kind, message: String| {
        w.push(Warning {
            model: m.name.clone(),
            group: group.map(str::to_string),
            kind,
            message,
        })
    };
    if !m.left_out.is_empty() {
        add(
            None,
            "left_out",
            format!(
                "{} group(s) with fewer sentences than the minimum asked are left out of the tables and comparisons (they count in \"all\"): {}",
                m.left_out.len(),
                m.left_out
                    .iter()
                    .map(|(g, n)| format!("{g} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if !m.corrected {
        add(
            None,
            "uncorrected",
            "no trained model given: the shares are of predicted labels, uncorrected for the \
             classifier's errors"
                .into(),
        );
    } else if m.cv_macro_f1.is_none() {
        add(
            None,
            "no_cross_validation",
            "the model was trained without cross-validation: its error rates are unknown, so \
             the shares cannot be adjusted and the intervals cover sampling only"
                .into(),
        );
    }
    if let (Some(f1), Some((class, err))) = (m.cv_macro_f1, &m.largest_class_error) {
        add(
            None,
            "classifier_error",
            format!(
                "the classifier's cross-validated macro-F1 is {f1:.3}; it misses {:.1}% of \
                 {class} sentences; corrected shares assume its errors are the same in every \
                 group, which a new outlet can break",
                100.0 * err
            ),
        );
    }
    for g in &m.groups {
        if g.sentences < SMALL_SENTENCES || g.documents < estimate::MIN_DOCUMENTS {
            add(
                Some(&g.group),
                "small_group",
                format!(
                    "{} sentences in {} documents (fewer than {SMALL_SENTENCES} sentences or {} \
                     documents): shares are unstable{}",
                    g.sentences,
                    g.documents,
                    estimate::MIN_DOCUMENTS,
                    if g.documents < estimate::MIN_DOCUMENTS {
                        "; the interval cannot be estimated"
                    } else {
                        ""
                    }
                ),
            );
        }
        if let Some(n) = g.in_sample.filter(|n| *n > 0) {
            add(
                Some(&g.group),
                "in_sample",
                format!(
                    "{n} of {} sentences were in the model's training data (in-sample): these \
                     shares flatter the model",
                    g.sentences
                ),
            );
        }
    }
    w
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_by_several_columns_and_by_month_of_a_date_column() {
        use crate::score::{ModelColumns, Prediction, ScoreColumns, ScoredSentence};
        let mut columns = ScoreColumns::new(vec![ModelColumns {
            name: "m".into(),
            classes: vec!["a".into(), "b".into()],
        }]);
        columns.keep = vec!["published".into()];
        let row = |source: &str, date: &str| ScoredSentence {
            source: source.into(),
            doc: date.into(),
            text: "t".into(),
            keep: vec![date.to_string()],
            predictions: vec![Prediction {
                label: "a".into(),
                probabilities: vec![0.9, 0.1],
            }],
            ..ScoredSentence::default()
        };
        let rows = [
            row("x", "2022-01-03"),
            row("x", "2022-01-30T10:00"),
            row("x", "2022-02-01"),
            row("y", "2022-02-11"),
        ];
        let opts = ReportOptions {
            by: "source, month".into(),
            date: "published".into(),
            ..ReportOptions::default()
        };
        let r = Report::from_rows(&columns, &rows, &opts).unwrap();
        let groups: Vec<(String, usize)> = r.models[0]
            .groups
            .iter()
            .map(|g| (g.group.clone(), g.sentences))
            .collect();
        assert_eq!(
            groups,
            [
                ("x / 2022-01".to_string(), 2),
                ("x / 2022-02".to_string(), 1),
                ("y / 2022-02".to_string(), 1)
            ]
        );
        let bad = [row("x", "2022-01-03"), row("x", "last week")];
        let e = Report::from_rows(&columns, &bad, &opts)
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 2") && e.contains("last week"), "{e}");
        let no_date = ReportOptions {
            by: "month".into(),
            ..ReportOptions::default()
        };
        let e = Report::from_rows(&columns, &rows, &no_date)
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"date\"") && e.contains("published"), "{e}");
    }

    #[test]
    fn groups_sort_and_small_groups_are_left_out_with_a_warning() {
        use crate::score::{ModelColumns, Prediction, ScoreColumns, ScoredSentence};
        let columns = ScoreColumns::new(vec![ModelColumns {
            name: "m".into(),
            classes: vec!["a".into(), "b".into()],
        }]);
        let row = |source: &str, label: &str| ScoredSentence {
            source: source.into(),
            doc: "1".into(),
            text: "t".into(),
            predictions: vec![Prediction {
                label: label.into(),
                probabilities: if label == "b" {
                    vec![0.2, 0.8]
                } else {
                    vec![0.8, 0.2]
                },
            }],
            ..ScoredSentence::default()
        };
        // x: 4 sentences, 1 b; y: 3, 3 b; z: 1, 1 b.
        let mut rows = vec![row("x", "a"), row("x", "a"), row("x", "a"), row("x", "b")];
        rows.extend([row("y", "b"), row("y", "b"), row("y", "b"), row("z", "b")]);
        let names = |r: &Report| -> Vec<String> {
            r.models[0].groups.iter().map(|g| g.group.clone()).collect()
        };
        let report = |sort: &str, min: usize| {
            let opts = ReportOptions {
                sort: sort.parse().unwrap(),
                min_sentences: min,
                ..ReportOptions::default()
            };
            Report::from_rows(&columns, &rows, &opts).unwrap()
        };
        assert_eq!(names(&report("name", 0)), ["x", "y", "z"]);
        assert_eq!(names(&report("sentences", 0)), ["x", "y", "z"]);
        // share of b: z 1.0, y 1.0 (ties by name), x 0.25.
        assert_eq!(names(&report("share:b", 0)), ["y", "z", "x"]);
        let r = report("share:a", 2);
        assert_eq!(names(&r), ["x", "y"]);
        assert_eq!(r.models[0].left_out, [("z".to_string(), 1)]);
        assert_eq!(
            r.models[0].overall.sentences, 8,
            "left-out groups count in all"
        );
        assert!(r
            .warnings
            .iter()
            .any(|w| w.kind == "left_out" && w.message.contains("z (1)")));
        assert!("share:".parse::<GroupSort>().is_err() && "size".parse::<GroupSort>().is_err());
        let bad = ReportOptions {
            sort: GroupSort::Share("c".into()),
            ..ReportOptions::default()
        };
        let e = Report::from_rows(&columns, &rows, &bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("share:c") && e.contains("a, b"), "{e}");
    }

    #[test]
    fn examples_are_the_most_confident_predictions_per_group_and_label() {
        use crate::score::{ModelColumns, Prediction, ScoreColumns, ScoredSentence};
        let columns = ScoreColumns::new(vec![ModelColumns {
            name: "m".into(),
            classes: vec!["a".into(), "b".into()],
        }]);
        let row = |source: &str, index: usize, p_b: f64| ScoredSentence {
            source: source.into(),
            doc: format!("d{index}"),
            index,
            text: format!("{source} {index}"),
            predictions: vec![Prediction {
                label: if p_b > 0.5 { "b" } else { "a" }.into(),
                probabilities: vec![1.0 - p_b, p_b],
            }],
            ..ScoredSentence::default()
        };
        let p = [0.9, 0.2, 0.97, 0.6, 0.05, 0.9, 0.4];
        let rows: Vec<ScoredSentence> = p
            .iter()
            .enumerate()
            .map(|(i, &x)| row("x", i, x))
            .chain([row("y", 0, 0.7)])
            .collect();
        let opts = ReportOptions {
            examples: 2,
            ..ReportOptions::default()
        };
        let r = Report::from_rows(&columns, &rows, &opts).unwrap();
        let x = &r.models[0].groups[0];
        let texts = |c: usize| -> Vec<(String, f64)> {
            x.labels[c]
                .examples
                .iter()
                .map(|e| (e.text.clone(), e.probability))
                .collect()
        };
        // b: 0.97, then the first of the two 0.9s; a: 0.95 (p_b 0.05), then 0.8.
        assert_eq!(
            texts(1),
            [("x 2".to_string(), 0.97), ("x 0".to_string(), 0.9)]
        );
        assert_eq!(texts(0)[0].0, "x 4");
        assert!((texts(0)[1].1 - 0.8).abs() < 1e-12);
        assert_eq!(x.labels[1].examples[0].doc, "d2");
        assert_eq!(r.models[0].groups[1].labels[1].examples.len(), 1);
        assert!(r.models[0].overall.labels[0].examples.is_empty());
        let none = Report::from_rows(
            &columns,
            &rows,
            &ReportOptions {
                examples: 0,
                ..opts
            },
        )
        .unwrap();
        assert!(none.models[0].groups[0]
            .labels
            .iter()
            .all(|l| l.examples.is_empty()));
    }

    use super::*;

    /// Two sentences alike in probability, document and index (one document scored as several
    /// records) are kept in the same way whichever comes first.
    #[test]
    fn examples_kept_do_not_depend_on_arrival_order() {
        let e = |text: &str| Example {
            doc: "a1".into(),
            index: 0,
            text: text.into(),
            probability: 0.9,
        };
        let keep = |first: Example, second: Example| {
            let mut list = Vec::new();
            for x in [first, second] {
                if wants_example(&list, 1, example_key(&x)) {
                    keep_example(&mut list, 1, x);
                }
            }
            list
        };
        assert_eq!(keep(e("b"), e("a")), keep(e("a"), e("b")));
        assert_eq!(keep(e("b"), e("a"))[0].text, "a");
    }

    // Expected values: scipy 1.17.1, `python3 scripts/report_reference.py`.

    #[test]
    fn csv_and_jsonl_scores_give_the_same_report() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("s.csv");
        std::fs::write(
            &csv,
            "source,doc,index,text,m_label,m_p_a,m_p_b\nx,1,0,t,a,0.9,0.1\nx,1,1,t,b,0.2,0.8\nx,2,0,t,a,0.6,0.4\ny,3,0,t,b,0.3,0.7\n",
        )
        .unwrap();
        let jsonl = dir.path().join("s.jsonl");
        std::fs::write(
            &jsonl,
            concat!(
                r#"{"source":"x","doc":"1","index":0,"text":"t","m_label":"a","m_p_a":0.9,"m_p_b":0.1}"#, "\n",
                r#"{"source":"x","doc":"1","index":1,"text":"t","m_label":"b","m_p_a":0.2,"m_p_b":0.8}"#, "\n",
                r#"{"source":"x","doc":"2","index":0,"text":"t","m_label":"a","m_p_a":0.6,"m_p_b":0.4}"#, "\n",
                r#"{"source":"y","doc":"3","index":0,"text":"t","m_label":"b","m_p_a":0.3,"m_p_b":0.7}"#, "\n",
            ),
        )
        .unwrap();
        let a = Report::from_file(&csv, &ReportOptions::default()).unwrap();
        let b = Report::from_file(&jsonl, &ReportOptions::default()).unwrap();
        for r in [&a, &b] {
            let m = &r.models[0];
            assert_eq!(m.name, "m");
            assert_eq!(m.classes, ["a", "b"]);
            let x = &m.groups[0];
            assert_eq!((x.group.as_str(), x.documents, x.sentences), ("x", 2, 3));
            assert_eq!((x.labels[0].count, x.labels[1].count), (2, 1));
            assert!((x.labels[0].mean_probability - (0.9 + 0.2 + 0.6) / 3.0).abs() < 1e-12);
            assert_eq!(m.overall.sentences, 4);
            assert_eq!(m.overall.documents, 3);
        }
        let missing = ReportOptions {
            by: "outlet".into(),
            ..ReportOptions::default()
        };
        assert!(matches!(
            Report::from_file(&csv, &missing),
            Err(Error::MissingColumn { .. })
        ));
        let named = ReportOptions {
            model_name: Some("zz".into()),
            ..ReportOptions::default()
        };
        assert!(matches!(
            Report::from_file(&csv, &named),
            Err(Error::UnknownModel { .. })
        ));
    }

    /// Asserts two JSON values are equal, numbers within `tol`.
    fn assert_close(a: &serde_json::Value, b: &serde_json::Value, tol: f64, at: &str) {
        use serde_json::Value;
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                assert!((x - y).abs() <= tol, "{at}: {x} != {y}");
            }
            (Value::Array(x), Value::Array(y)) => {
                assert_eq!(x.len(), y.len(), "{at}");
                for (i, (x, y)) in x.iter().zip(y).enumerate() {
                    assert_close(x, y, tol, &format!("{at}[{i}]"));
                }
            }
            (Value::Object(x), Value::Object(y)) => {
                assert_eq!(
                    x.keys().collect::<Vec<_>>(),
                    y.keys().collect::<Vec<_>>(),
                    "{at}"
                );
                for (k, x) in x {
                    assert_close(x, &y[k], tol, &format!("{at}.{k}"));
                }
            }
            _ => assert_eq!(a, b, "{at}"),
        }
    }

    #[test]
    fn report_from_rows_equals_the_report_of_the_written_scores() {
        use crate::score::testutil::tiny_model;
        use crate::score::{CsvSink, Document, JsonlSink, NamedModel, Scorer, Sink};
        let mut scorer = Scorer::new(&[NamedModel::new("m", tiny_model())]).unwrap();
        let docs = [
            (
                "x",
                "1",
                "Russian aggression grows. NATO provocation grows.",
                "news",
            ),
            ("x", "2", "The aggression continues. It does.", "op-ed"),
            (
                "y",
                "3",
                "NATO provocation on the border. Aggression again.",
                "news",
            ),
            ("y", "4", "Provocation.", "news"),
        ];
        let mut rows = Vec::new();
        for (source, doc, text, kind) in docs {
            let mut d = Document::new(source, doc, text);
            d.keep = vec![kind.to_string()];
            rows.extend(scorer.score_document(&d));
        }
        assert_eq!(rows.len(), 7);
        let columns = scorer.columns().with_keep(vec!["kind".into()]);
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("s.csv");
        let mut sink = CsvSink::new(std::fs::File::create(&csv).unwrap(), &columns);
        for r in &rows {
            sink.write(r).unwrap();
        }
        sink.finish().unwrap();
        let jsonl = dir.path().join("s.jsonl");
        let mut sink = JsonlSink::new(std::fs::File::create(&jsonl).unwrap(), &columns);
        for r in &rows {
            sink.write(r).unwrap();
        }
        sink.finish().unwrap();
        for by in ["source", "doc", "kind", "m_label"] {
            let opts = ReportOptions {
                by: by.into(),
                ..ReportOptions::default()
            };
            let mut mem = Report::from_rows(&columns, &rows, &opts).unwrap();
            assert_eq!(mem.input, "in memory");
            let m = &mem.models[0];
            assert_eq!(m.overall.sentences, 7);
            if by != "m_label" {
                // (By label, a document with both labels counts once in each group.)
                assert_eq!(m.overall.documents, 4, "{by}");
            }
            // Both classes are predicted, so the comparison covers counts of each.
            assert!(m.overall.labels.iter().all(|l| l.count > 0), "{m:?}");
            for path in [&csv, &jsonl] {
                let file = Report::from_file(path, &opts).unwrap();
                assert_eq!(file.input, path.display().to_string());
                mem.input = file.input.clone();
                // The file holds probabilities to six decimals; everything else is exact.
                let (a, b) = (
                    serde_json::to_value(&mem).unwrap(),
                    serde_json::to_value(&file).unwrap(),
                );
                assert_close(&a, &b, 1e-6, by);
                let exact = |r: &Report| {
                    let mut r = r.clone();
                    let m = &mut r.models[0];
                    for g in m.groups.iter_mut().chain([&mut m.overall]) {
                        for l in &mut g.labels {
                            l.mean_probability = 0.0;
                            l.estimates.probability_average = None;
                        }
                    }
                    serde_json::to_string(&r).unwrap()
                };
                assert_eq!(exact(&mem), exact(&file), "{by}");
            }
        }
        // Errors name the setting at fault.
        let bad_by = ReportOptions {
            by: "outlet".into(),
            ..ReportOptions::default()
        };
        assert!(matches!(
            Report::from_rows(&columns, &rows, &bad_by),
            Err(Error::InvalidSetting { name: "by", .. })
        ));
        let bad_model = ReportOptions {
            model_name: Some("zz".into()),
            ..ReportOptions::default()
        };
        assert!(matches!(
            Report::from_rows(&columns, &rows, &bad_model),
            Err(Error::InvalidSetting {
                name: "model_name",
                ..
            })
        ));
        let mut short = rows[0].clone();
        short.predictions.clear();
        assert!(matches!(
            Report::from_rows(&columns, [short], &ReportOptions::default()),
            Err(Error::Inconsistent { .. })
        ));
    }

    #[test]
    fn clustered_interval_matches_hand_computation() {
        // Documents (x of n): 2/10, 3/10, 4/10, 1/10; p = 0.25; residuals -0.5, 0.5, 1.5, -1.5
        // (Σ² = 5); se = sqrt(4/3 · 5) / 40; t(3, 0.975) = 3.1824463052837078 (scipy.stats.t.ppf).
        // Expected (scipy, scripts/report_reference.py): 0.04457..., 0.45542...
        let (lo, hi) = clustered_interval(&[(2, 10), (3, 10), (4, 10), (1, 10)]).unwrap();
        let half = 3.182_446_305_283_707_8 * (4.0f64 / 3.0 * 5.0).sqrt() / 40.0;
        assert!(
            (lo - (0.25 - half)).abs() < 1e-9 && (hi - (0.25 + half)).abs() < 1e-9,
            "{lo} {hi}"
        );
        assert!(lo > 0.04 && hi < 0.46);
        // Wider than the Wilson interval for 10 of 40 independent sentences.
        let (wl, wh) = wilson(10, 40);
        assert!(lo < wl && hi > wh);
        // Identical documents: no between-document spread, a zero-width interval.
        let (lo, hi) = clustered_interval(&[(2, 4), (2, 4), (2, 4)]).unwrap();
        assert!((lo - 0.5).abs() < 1e-12 && (hi - 0.5).abs() < 1e-12);
        assert!(clustered_interval(&[(2, 4)]).is_none());
    }

    #[test]
    fn wilson_matches_scipy() {
        let (lo, hi) = wilson(12, 50);
        assert!(
            (lo - 0.1429739139699173).abs() < 1e-12 && (hi - 0.3741268375794292).abs() < 1e-12,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 10);
        assert!(lo == 0.0 && (hi - 0.27753279986288926).abs() < 1e-12);
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    #[test]
    fn chi_square_matches_scipy() {
        let c = chi_square(&[vec![10, 20], vec![30, 15]]).unwrap();
        assert!((c.statistic - 8.035714285714285).abs() < 1e-9);
        assert!(
            (c.p_value - 0.0045863920802535025).abs() < 1e-12,
            "{}",
            c.p_value
        );
        assert_eq!(c.df, 1);
        let t = [
            vec![60, 26],
            vec![11, 19],
            vec![54, 62],
            vec![8, 27],
            vec![27, 27],
        ];
        let c = chi_square(&t).unwrap();
        assert!((c.statistic - 26.438344966695574).abs() < 1e-9);
        assert!(
            (c.p_value - 2.5814318108601174e-05).abs() < 1e-12,
            "{}",
            c.p_value
        );
        assert_eq!(c.df, 4);
        assert!(chi_square(&[vec![1, 2]]).is_none());
        assert!(chi_square(&[vec![1, 0], vec![3, 0]]).is_none());
    }
}
