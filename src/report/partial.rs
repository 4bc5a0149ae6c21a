//! Partial reports: the sufficient statistics of a report, written per part of a scores file
//! (a Spark partition, a day of an archive) and merged into the report of the whole.
//!
//! A [`Partial`] holds, per model and group, every document's label counts and each
//! sentence's index and probabilities (the corrected estimators, the bootstrap intervals and
//! the tests resample documents and re-weight sentences, so nothing coarser is enough), the
//! sentences found in the training data, the example candidates and the term counts of the
//! distinctive-terms lists. It holds no sentence text but the examples'. Probabilities are
//! written as the shortest decimal that reads back to the same number, so the merge of the
//! partials of any split of a scores file — in any order — gives the report of the whole file,
//! byte for byte: the report puts each document's sentences in index order and breaks ties
//! between examples by document and index, whatever the order the rows came in.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Example, ReportOptions, Tallies, Tally};
use crate::score::{ModelColumns, ScoreColumns, ScoredSentence, ScoresReader};
use crate::Error;

/// The `format` of a partial report file.
pub const PARTIAL_FORMAT: &str = "framelens-report-partial";
/// Its version.
pub const PARTIAL_VERSION: u32 = 1;

/// The sufficient statistics of a report on some scored rows (see the module's text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Always [`PARTIAL_FORMAT`].
    pub format: String,
    /// [`PARTIAL_VERSION`].
    pub format_version: u32,
    /// The framelens version that wrote it.
    pub framelens_version: String,
    /// What it was made from: the scores file, or "in memory".
    pub input: String,
    /// The report options that shaped it; the merge must ask for the same.
    pub options: PartialOptions,
    /// Per model, its statistics.
    pub models: Vec<PartialModel>,
}

/// The report options a partial depends on (the others — seed, order, minimum, stance index —
/// apply when merging).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialOptions {
    /// Grouping keys.
    pub by: String,
    /// The one model reported on, if one was chosen.
    pub model_name: Option<String>,
    /// Examples kept per group and label.
    pub examples: usize,
    /// Distinctive terms asked for (0: terms not counted).
    pub distinctive: usize,
    /// Date column behind `month`.
    pub date: String,
}

impl PartialOptions {
    fn of(opts: &ReportOptions) -> PartialOptions {
        PartialOptions {
            by: opts.by.clone(),
            model_name: opts.model_name.clone(),
            examples: opts.examples,
            distinctive: opts.distinctive,
            date: opts.date.clone(),
        }
    }
}

/// One model's statistics in a partial report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialModel {
    /// The model's name (column prefix).
    pub name: String,
    /// Its classes.
    pub classes: Vec<String>,
    /// The [fingerprint](crate::model::Model::fingerprint) of the trained model given for it,
    /// if one was (it counted the training sentences and the terms).
    pub model: Option<String>,
    /// Per group, its statistics.
    pub groups: BTreeMap<String, PartialGroup>,
}

/// One group's statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialGroup {
    /// Sentences found in the model's training data.
    pub in_sample: usize,
    /// Per document, its statistics.
    pub docs: BTreeMap<String, PartialDoc>,
    /// Per class, the example candidates (the most confident predictions).
    pub examples: Vec<Vec<PartialExample>>,
    /// (term index, count) of the model's vocabulary, by term index.
    pub terms: Vec<(u32, u64)>,
}

/// One document's statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialDoc {
    /// Sentences predicted as each class.
    pub counts: Vec<usize>,
    /// Each sentence: its index, then its probabilities, separated by spaces.
    pub sentences: Vec<String>,
}

/// An example candidate; the probability as text, so that it reads back exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialExample {
    /// Document id.
    pub doc: String,
    /// Sentence index.
    pub index: usize,
    /// The sentence.
    pub text: String,
    /// The probability of the label.
    pub probability: String,
}

impl Partial {
    /// The partial report of scored rows (see [`Report::try_from_rows`](super::Report::try_from_rows)).
    pub fn try_from_rows<I, R>(
        columns: &ScoreColumns,
        rows: I,
        opts: &ReportOptions,
    ) -> Result<Partial, Error>
    where
        I: IntoIterator<Item = Result<R, Error>>,
        R: std::borrow::Borrow<ScoredSentence> + Sync,
    {
        let tallies = Tallies::from_rows(columns, rows, opts)?;
        Ok(Partial::of(tallies, opts, "in memory".into()))
    }

    /// The partial report of a scores file (read as [`Report::from_file`](super::Report::from_file) does).
    pub fn from_file(path: &Path, opts: &ReportOptions) -> Result<Partial, Error> {
        let reader = super::open_scores(path, opts)?;
        let columns = reader.columns().clone();
        let tallies = Tallies::from_rows(&columns, reader, opts)?;
        Ok(Partial::of(tallies, opts, path.display().to_string()))
    }

    /// [`from_file`](Partial::from_file) with the scores already open.
    pub fn from_reader(reader: ScoresReader, opts: &ReportOptions) -> Result<Partial, Error> {
        let input = reader.path().display().to_string();
        let columns = reader.columns().clone();
        let tallies = Tallies::from_rows(&columns, reader, opts)?;
        Ok(Partial::of(tallies, opts, input))
    }

    fn of(tallies: Tallies, opts: &ReportOptions, input: String) -> Partial {
        let models = tallies
            .models
            .into_iter()
            .zip(tallies.groups)
            .map(|(columns, groups)| PartialModel {
                model: opts.models.get(&columns.name).map(|m| m.fingerprint()),
                groups: groups
                    .into_iter()
                    .map(|(g, t)| (g, PartialGroup::of(t)))
                    .collect(),
                name: columns.name,
                classes: columns.classes,
            })
            .collect();
        Partial {
            format: PARTIAL_FORMAT.into(),
            format_version: PARTIAL_VERSION,
            framelens_version: env!("CARGO_PKG_VERSION").into(),
            input,
            options: PartialOptions::of(opts),
            models,
        }
    }

    /// The partial as JSON on one line, ending with a newline.
    pub fn to_json(&self) -> Result<String, Error> {
        let mut s = serde_json::to_string(self).map_err(|e| Error::Write { source: e.into() })?;
        s.push('\n');
        Ok(s)
    }

    /// Reads a partial report written by [`to_json`](Partial::to_json).
    pub fn read(path: &Path) -> Result<Partial, Error> {
        crate::data::check_input_file(path)?;
        let text = std::fs::read_to_string(path).map_err(|source| Error::io(path, source))?;
        Partial::parse(&text, path)
    }

    /// Parses a partial report; errors name `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Partial, Error> {
        let error = |line: u64, message: String| Error::Json {
            path: path.to_path_buf(),
            line,
            message,
            record: Vec::new(),
        };
        #[derive(Deserialize)]
        struct Head {
            format: String,
            format_version: u32,
        }
        let head: Head = serde_json::from_str(text).map_err(|e| {
            error(
                e.line() as u64,
                format!("not a framelens partial report ({PARTIAL_FORMAT} JSON): {e}"),
            )
        })?;
        if head.format != PARTIAL_FORMAT {
            return Err(error(
                1,
                format!(
                    "format {:?} is not a partial report (expected {PARTIAL_FORMAT:?}, written by a partial report)",
                    head.format
                ),
            ));
        }
        if head.format_version != PARTIAL_VERSION {
            return Err(error(
                1,
                format!(
                    "partial report version {} is not the version this framelens reads ({PARTIAL_VERSION}); write the partials again with this version",
                    head.format_version
                ),
            ));
        }
        let p: Partial = serde_json::from_str(text)
            .map_err(|e| error(e.line() as u64, format!("a partial report: {e}")))?;
        // Check what the merge relies on, so that a damaged file is named, not a panic.
        for m in &p.models {
            let k = m.classes.len();
            for (g, group) in &m.groups {
                if group.examples.len() != k {
                    return Err(error(
                        1,
                        format!(
                            "model {:?}, group {g:?}: examples for {} classes, expected {k}",
                            m.name,
                            group.examples.len()
                        ),
                    ));
                }
                for (d, doc) in &group.docs {
                    let bad = |what: String| {
                        error(
                            1,
                            format!("model {:?}, group {g:?}, document {d:?}: {what}", m.name),
                        )
                    };
                    if doc.counts.len() != k {
                        return Err(bad(format!(
                            "{} label counts, expected {k}",
                            doc.counts.len()
                        )));
                    }
                    if doc.counts.iter().sum::<usize>() > doc.sentences.len() {
                        return Err(bad("more labels counted than sentences".into()));
                    }
                    for s in &doc.sentences {
                        parse_sentence(s, k).map_err(&bad)?;
                    }
                }
                for list in &group.examples {
                    for e in list {
                        parse_probability(&e.probability).map_err(|e| {
                            error(1, format!("model {:?}, group {g:?}: {e}", m.name))
                        })?;
                    }
                }
            }
        }
        Ok(p)
    }

    /// Checks that `self` (read from `name`) can merge with `first` and with `opts`.
    fn check(&self, name: &str, first: &Partial, opts: &ReportOptions) -> Result<(), Error> {
        let fail = |message: String| Err(Error::inconsistent("partial reports", message));
        let want = PartialOptions::of(opts);
        if self.options != want {
            return fail(format!(
                "{name} was made with {} but the report asks for {}",
                describe(&self.options),
                describe(&want)
            ));
        }
        let names = |p: &Partial| -> Vec<(String, Vec<String>)> {
            p.models
                .iter()
                .map(|m| (m.name.clone(), m.classes.clone()))
                .collect()
        };
        if names(self) != names(first) {
            return fail(format!(
                "{name} has the models {} but the first partial has {}",
                describe_models(self),
                describe_models(first)
            ));
        }
        for m in &self.models {
            let given = opts.models.get(&m.name).map(|model| model.fingerprint());
            if given != m.model {
                return fail(match (&m.model, &given) {
                    (Some(made), Some(now)) => format!(
                        "{name} was made with another trained model {:?} (fingerprint {made}) than the one given (fingerprint {now})",
                        m.name
                    ),
                    (Some(made), None) => format!(
                        "{name} was made with the trained model {:?} (fingerprint {made}); give the same model to merge it",
                        m.name
                    ),
                    _ => format!(
                        "{name} was made without a trained model {:?}; merge it without one, or make the partials with it",
                        m.name
                    ),
                });
            }
        }
        Ok(())
    }
}

fn describe(o: &PartialOptions) -> String {
    format!(
        "groups by {:?}{}, {} example(s), {} distinctive term(s), date column {:?}",
        o.by,
        o.model_name
            .as_ref()
            .map_or(String::new(), |m| format!(", model {m:?} only")),
        o.examples,
        o.distinctive,
        o.date
    )
}

fn describe_models(p: &Partial) -> String {
    p.models
        .iter()
        .map(|m| format!("{} ({})", m.name, m.classes.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The shortest text that reads back to `x`.
fn exact(x: f64) -> String {
    format!("{x}")
}

fn parse_probability(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{s:?} is not a probability"))
}

/// A sentence written as "index p1 p2 ...".
fn parse_sentence(s: &str, k: usize) -> Result<(usize, Vec<f64>), String> {
    let mut parts = s.split(' ');
    let index = parts
        .next()
        .and_then(|i| i.parse::<usize>().ok())
        .ok_or_else(|| format!("sentence {s:?} does not start with its index"))?;
    let p: Vec<f64> = parts
        .map(parse_probability)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("sentence {s:?}: {e}"))?;
    if p.len() != k {
        return Err(format!(
            "sentence {s:?} has {} probabilities, expected {k}",
            p.len()
        ));
    }
    Ok((index, p))
}

impl PartialGroup {
    fn of(t: Tally) -> PartialGroup {
        let mut terms: Vec<(u32, u64)> = t.terms.counts.into_iter().collect();
        terms.sort_unstable();
        let mut probs = t.probs;
        PartialGroup {
            in_sample: t.in_sample,
            docs: t
                .docs
                .into_iter()
                .map(|(d, (_, counts))| {
                    let sentences = probs
                        .remove(&d)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(index, p)| {
                            let mut s = index.to_string();
                            for x in p {
                                s.push(' ');
                                s.push_str(&exact(x));
                            }
                            s
                        })
                        .collect();
                    (d, PartialDoc { counts, sentences })
                })
                .collect(),
            examples: t
                .examples
                .into_iter()
                .map(|list| {
                    list.into_iter()
                        .map(|e| PartialExample {
                            probability: exact(e.probability),
                            doc: e.doc,
                            index: e.index,
                            text: e.text,
                        })
                        .collect()
                })
                .collect(),
            terms,
        }
    }

    /// The tally back; the partial was checked by [`Partial::parse`].
    fn tally(self, k: usize) -> Tally {
        let mut t = Tally::new(k);
        for (d, doc) in self.docs {
            let sentences: Vec<(usize, Vec<f64>)> = doc
                .sentences
                .iter()
                .filter_map(|s| parse_sentence(s, k).ok())
                .collect();
            t.sentences += sentences.len();
            for (a, b) in t.counts.iter_mut().zip(&doc.counts) {
                *a += b;
            }
            t.docs.insert(d.clone(), (sentences.len(), doc.counts));
            t.probs.insert(d, sentences);
        }
        t.in_sample = self.in_sample;
        for (list, more) in t.examples.iter_mut().zip(self.examples) {
            *list = more
                .into_iter()
                .filter_map(|e| {
                    Some(Example {
                        probability: parse_probability(&e.probability).ok()?,
                        doc: e.doc,
                        index: e.index,
                        text: e.text,
                    })
                })
                .collect();
        }
        t.terms.counts = self.terms.into_iter().collect();
        t
    }
}

/// Merges partial reports, each with the name its errors use (its file), into the report of
/// all their rows: the same report, byte for byte, as [`Report::try_from_rows`](super::Report::try_from_rows)
/// on all the rows, with `opts` the options the partials were made with (and any seed, order,
/// minimum and stance index). The report's input is the partials' input when they share one.
pub fn merge(parts: Vec<(String, Partial)>, opts: &ReportOptions) -> Result<super::Report, Error> {
    let Some((first_name, first)) = parts.first() else {
        return Err(Error::setting(
            "partial reports",
            "none",
            "at least one partial report",
        ));
    };
    let first = first.clone();
    let _ = first_name;
    for (name, p) in &parts {
        p.check(name, &first, opts)?;
    }
    let mut inputs: Vec<String> = Vec::new();
    let mut groups: Vec<BTreeMap<String, Tally>> =
        first.models.iter().map(|_| BTreeMap::new()).collect();
    for (_, p) in parts {
        if !inputs.contains(&p.input) {
            inputs.push(p.input.clone());
        }
        for (m, model) in p.models.into_iter().enumerate() {
            let k = model.classes.len();
            for (g, group) in model.groups {
                let t = group.tally(k);
                match groups[m].get_mut(&g) {
                    Some(have) => have.merge(t, opts.examples),
                    None => {
                        groups[m].insert(g, t);
                    }
                }
            }
        }
    }
    let tallies = Tallies {
        models: first
            .models
            .iter()
            .map(|m| ModelColumns {
                name: m.name.clone(),
                classes: m.classes.clone(),
            })
            .collect(),
        groups,
    };
    let mut report = tallies.report(opts)?;
    report.input = match inputs.as_slice() {
        [one] => one.clone(),
        many => format!("partial reports of {}", many.join(", ")),
    };
    Ok(report)
}
