//! Scoring: documents → sentences → class probabilities from one or more models.
//!
//! The pieces, each usable on its own:
//!
//! - [`Documents`] reads documents ([`Document`]) from `.txt` files, CSV tables and JSON
//!   Lines, one at a time, with any input columns to pass through ([`ReadOptions::keep`]);
//! - [`Scorer`] scores a document in memory and yields one [`ScoredSentence`] per sentence,
//!   with each model's [`Prediction`];
//! - [`ScoreColumns`] names the columns of a scores table (`source`, `doc`, `index`, `text`,
//!   kept columns, `<model>_label`, `<model>_p_<class>`) for writers and readers alike;
//! - [`CsvSink`] and [`JsonlSink`] write rows out ([`Sink`]); [`ScoresReader`] reads a scores
//!   file back.
//!
//! [`score`] puts them together for files: inputs are read one document (or one CSV/JSONL
//! record) at a time and scored in bounded batches on every core (one persistent scorer per
//! thread, rows encoded in the threads), and each row is written as soon as its batch is
//! done, so memory does not grow with the corpus. [`split`] writes the sentences alone.

mod columns;
mod input;
mod parts;
mod read;
mod scorer;
mod sink;
mod stdin;

pub use columns::{Column, ModelColumns, ParsedHeader, ScoreColumns, FIXED_COLUMNS};
pub use input::{
    expand_inputs, walk_inputs, Document, Documents, InputFormat, InputWalk, ReadOptions,
};
pub use read::ScoresReader;
pub use scorer::{name_models, NamedModel, Prediction, ScoredSentence, Scorer};
pub use sink::{CsvSink, JsonlSink, Sink};

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::data::CsvOptions;
use crate::Error;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// CSV with a header.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// How to read, score and write inputs (see [`score`]).
#[derive(Debug, Clone)]
pub struct ScoreOptions {
    /// Text column (CSV) or field (JSONL). Default `text`.
    pub text: String,
    /// Source column/field; when absent, the source is the parent directory name.
    pub source: Option<String>,
    /// Document column/field; when absent, the file stem (text) or the row number.
    pub doc: Option<String>,
    /// A fixed source name for inputs without a source column (every `.txt` file).
    pub source_name: Option<String>,
    /// Score each text as one unit instead of splitting it into sentences. Default false.
    pub no_split: bool,
    /// Which rules split texts into sentences. Default English.
    pub language: crate::text::SentenceLanguage,
    /// Format of standard input. Default text.
    pub stdin_format: InputFormat,
    /// CSV reading options.
    pub csv: CsvOptions,
    /// Output format. Default CSV.
    pub format: OutputFormat,
    /// Start each row with an `id` column, `<source>_<doc>_<index>` (for labelling sheets).
    /// Default false.
    pub with_id: bool,
    /// Input columns (CSV) or fields (JSONL) to pass through to the output, after `text`.
    /// Default none.
    pub keep: Vec<String>,
    /// Write a JSON Lines record that cannot be used as an error record,
    /// `{"error": "<file>, line <n>: ...", "source": ..., "doc": ..., <kept fields>}` (the
    /// identifying fields that could be read; `input`, the start of the line, when the record
    /// is not a JSON object), and go on, instead of failing. Needs JSON Lines output.
    /// Default false.
    pub record_errors: bool,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        let read = ReadOptions::default();
        ScoreOptions {
            text: read.text,
            source: read.source,
            doc: read.doc,
            source_name: read.source_name,
            no_split: false,
            language: read.language,
            stdin_format: read.stdin_format,
            csv: read.csv,
            format: OutputFormat::Csv,
            with_id: false,
            keep: read.keep,
            record_errors: false,
        }
    }
}

impl ScoreOptions {
    /// The options that say how to read the inputs.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            text: self.text.clone(),
            source: self.source.clone(),
            doc: self.doc.clone(),
            source_name: self.source_name.clone(),
            stdin_format: self.stdin_format,
            csv: self.csv.clone(),
            keep: self.keep.clone(),
            language: self.language.clone(),
            no_split: self.no_split,
        }
    }
}

/// Totals of a scoring run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreSummary {
    /// Documents read (a document read in parts counts once).
    pub documents: usize,
    /// Rows written.
    pub sentences: usize,
    /// Bytes of text scored.
    pub bytes: u64,
}

/// Texts per batch before scoring; bounds memory.
const BATCH_BYTES: usize = 4 << 20;
/// Documents per batch at most.
const BATCH_DOCS: usize = 4096;

/// Refuses columns whose header would name a column twice (a kept column named like a
/// fixed or model column, or kept twice).
fn check_columns(columns: &ScoreColumns) -> Result<(), Error> {
    match columns.duplicate() {
        None => Ok(()),
        Some(name) => Err(Error::setting(
            "keep",
            name,
            "a column that is not already in the output (source, doc, index, text, id or a model's columns) and is kept once",
        )),
    }
}

/// Scores inputs and writes one row per sentence to `out`. `progress` is called with the
/// bytes read from the inputs so far ([`Documents::bytes_read`]) after each batch, and once
/// at the end with the total.
pub fn score(
    models: &[NamedModel],
    inputs: &[PathBuf],
    opts: &ScoreOptions,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<ScoreSummary, Error> {
    let scorer = Scorer::new(models)?
        .no_split(opts.no_split)
        .language(opts.language.clone());
    let columns = scorer
        .columns()
        .with_id(opts.with_id)
        .with_keep(opts.keep.clone());
    check_columns(&columns)?;
    let docs = Documents::new(inputs, &opts.read_options())?;
    let read = docs.bytes_read_counter();
    let read_so_far = move || read.load(std::sync::atomic::Ordering::Relaxed);
    let progress = &mut |_text: u64| progress(read_so_far());
    if opts.record_errors {
        if opts.format != OutputFormat::Jsonl {
            return Err(Error::setting(
                "format",
                "csv",
                "JSON Lines output when records that cannot be used are written as error records",
            ));
        }
        let (summary, _errors) =
            stdin::score_recording_errors(&scorer, &columns, docs, out, progress)?;
        progress(0);
        return Ok(summary);
    }
    let summary = score_documents(&scorer, &columns, docs, opts.format, out, progress)?;
    progress(0);
    Ok(summary)
}

/// Scores documents in parallel and writes their rows, in order, to `out` as `format` with
/// `columns` (the scorer's columns, plus any `id` and kept columns). Documents are taken in
/// batches of a few megabytes; each thread keeps its own clone of `scorer` and encodes its
/// rows itself. `progress` is called with the bytes of text scored so far.
pub fn score_documents(
    scorer: &Scorer,
    columns: &ScoreColumns,
    docs: impl IntoIterator<Item = Result<Document, Error>>,
    format: OutputFormat,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<ScoreSummary, Error> {
    let write_err = |source: std::io::Error| Error::Write { source };
    // The header (CSV), written before any document is read.
    let mut head = Encoder::new(format, columns, true);
    head.finish()?;
    out.write_all(&head.take()?).map_err(write_err)?;
    // One persistent worker per thread, so stem caches and buffers stay warm across batches;
    // each takes a contiguous slice of the batch, so the output keeps the input order.
    let threads = rayon::current_num_threads().max(1);
    let mut workers: Vec<(Scorer, Encoder)> = (0..threads)
        .map(|_| (scorer.clone(), Encoder::new(format, columns, false)))
        .collect();
    let mut summary = ScoreSummary::default();
    let mut batch: Vec<Document> = Vec::new();
    let mut batch_bytes = 0usize;
    let mut flush = |batch: &mut Vec<Document>, summary: &mut ScoreSummary| {
        let chunk = batch.len().div_ceil(threads).max(1);
        let results: Vec<Result<(Vec<u8>, usize), Error>> = workers
            .par_iter_mut()
            .zip(batch.par_chunks(chunk))
            .map(|((scorer, enc), docs)| {
                let mut rows = 0;
                for d in docs {
                    rows += scorer.for_each_scored(d, |row| enc.write(row))?;
                }
                Ok((enc.take()?, rows))
            })
            .collect();
        for r in results {
            let (bytes, rows) = r?;
            out.write_all(&bytes).map_err(write_err)?;
            summary.sentences += rows;
        }
        summary.documents += batch.iter().filter(|d| d.part == 0).count();
        summary.bytes += batch.iter().map(|d| d.text.len() as u64).sum::<u64>();
        progress(summary.bytes);
        batch.clear();
        Ok::<(), Error>(())
    };
    for doc in docs {
        let doc = doc?;
        batch_bytes += doc.text.len();
        batch.push(doc);
        if batch_bytes >= BATCH_BYTES || batch.len() >= BATCH_DOCS {
            batch_bytes = 0;
            flush(&mut batch, &mut summary)?;
        }
    }
    flush(&mut batch, &mut summary)?;
    out.flush().map_err(write_err)?;
    Ok(summary)
}

/// Writes the sentences of the inputs, as [`score`] splits them, as a CSV table to label:
/// `id`, `source`, `doc`, `index`, `text`, then the kept columns.
pub fn split(
    inputs: &[PathBuf],
    opts: &ReadOptions,
    out: &mut dyn Write,
) -> Result<ScoreSummary, Error> {
    let columns = ScoreColumns::default()
        .with_id(true)
        .with_keep(opts.keep.clone());
    check_columns(&columns)?;
    let mut sink = CsvSink::new(out, &columns);
    let mut summary = ScoreSummary::default();
    let mut row = ScoredSentence::default();
    for doc in Documents::new(inputs, opts)? {
        let doc = doc?;
        row.source.clone_from(&doc.source);
        row.doc.clone_from(&doc.doc);
        row.keep.clone_from(&doc.keep);
        let mut result = Ok(());
        doc.for_each_sentence_in(false, &opts.language, |index, text| {
            if result.is_ok() {
                row.index = index;
                row.text.clear();
                row.text.push_str(text);
                result = sink.write(&row);
                summary.sentences += 1;
            }
        });
        result?;
        summary.documents += usize::from(doc.part == 0);
        summary.bytes += doc.text.len() as u64;
    }
    sink.finish()?;
    Ok(summary)
}

/// Encodes rows into a byte buffer, in either format.
enum Encoder {
    Csv(Box<CsvSink<Vec<u8>>>),
    Jsonl(JsonlSink<Vec<u8>>),
}

impl Encoder {
    fn new(format: OutputFormat, columns: &ScoreColumns, header: bool) -> Encoder {
        match format {
            OutputFormat::Csv => {
                let sink = CsvSink::new(Vec::new(), columns);
                Encoder::Csv(Box::new(if header { sink } else { sink.without_header() }))
            }
            OutputFormat::Jsonl => Encoder::Jsonl(JsonlSink::new(Vec::new(), columns)),
        }
    }

    fn write(&mut self, row: &ScoredSentence) -> Result<(), Error> {
        match self {
            Encoder::Csv(s) => s.write(row),
            Encoder::Jsonl(s) => s.write(row),
        }
    }

    fn finish(&mut self) -> Result<(), Error> {
        match self {
            Encoder::Csv(s) => s.finish(),
            Encoder::Jsonl(s) => s.finish(),
        }
    }

    /// The bytes encoded so far.
    fn take(&mut self) -> Result<Vec<u8>, Error> {
        match self {
            Encoder::Csv(s) => s.take(),
            Encoder::Jsonl(s) => Ok(s.take()),
        }
    }
}

/// Helpers for the tests of `score` and `report`.
#[cfg(test)]
pub(crate) mod testutil {
    use crate::model::{self, LogisticParams, Model};

    /// A word model with two classes: sentences that say "aggression" are `anti`, those that
    /// say "provocation" are `pro`.
    pub(crate) fn tiny_model() -> Model {
        use linfa::ParamGuard;
        let texts: Vec<String> = [
            "Russian aggression grows",
            "the aggression continues",
            "aggression on the border",
            "NATO provocation grows",
            "the provocation continues",
            "provocation on the border",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let labels: Vec<String> = ["anti", "anti", "anti", "pro", "pro", "pro"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let params = LogisticParams::new().c(10.0).check().unwrap();
        let (features, classifier, _) = model::fit(
            &[crate::features::TfidfConfig::default()],
            &params,
            &texts,
            &labels,
        )
        .unwrap();
        // Training metadata does not matter here: borrow the shipped model's.
        let shipped = Model::from_slice(
            std::path::Path::new("stance.json"),
            include_bytes!("../../models/stance.json"),
        )
        .unwrap();
        Model::new(features, classifier, shipped.training)
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::tiny_model;
    use super::*;

    #[test]
    fn score_writes_kept_columns_and_the_same_rows_as_the_scorer() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("items.csv");
        std::fs::write(
            &csv,
            "url,text,gold\nu1,Russian aggression grows. NATO provocation grows.,anti\nu2,Talks.,pro\n",
        )
        .unwrap();
        let models = [NamedModel::new("m", tiny_model())];
        let opts = ScoreOptions {
            keep: vec!["gold".into(), "url".into()],
            ..ScoreOptions::default()
        };
        let mut out = Vec::new();
        let mut seen = 0;
        let summary = score(
            &models,
            std::slice::from_ref(&csv),
            &opts,
            &mut out,
            &mut |b| seen = b,
        )
        .unwrap();
        assert_eq!(
            summary,
            ScoreSummary {
                documents: 2,
                sentences: 3,
                bytes: 55,
            }
        );
        // Progress counts the bytes read from the file, not the bytes of text.
        assert_eq!(seen, std::fs::metadata(&csv).unwrap().len());
        assert_eq!(seen, 86);
        let got = String::from_utf8(out).unwrap();
        // The same rows as the in-memory scorer writes through a sink.
        let mut scorer = Scorer::new(&models).unwrap();
        let columns = scorer.columns().with_keep(opts.keep.clone());
        let mut sink = CsvSink::new(Vec::new(), &columns);
        for d in Documents::new(std::slice::from_ref(&csv), &opts.read_options()).unwrap() {
            for r in scorer.score_document(&d.unwrap()) {
                sink.write(&r).unwrap();
            }
        }
        assert_eq!(got, String::from_utf8(sink.into_inner().unwrap()).unwrap());
        let mut lines = got.lines();
        assert_eq!(
            lines.next(),
            Some("source,doc,index,text,gold,url,m_label,m_p_anti,m_p_pro")
        );
        assert!(lines.next().unwrap().contains(",anti,u1,anti,"), "{got}");

        // A kept column that the output already has is refused before anything is written.
        for bad in [vec!["text".to_string()], vec!["url".into(), "url".into()]] {
            let mut out = Vec::new();
            let e = score(
                &models,
                std::slice::from_ref(&csv),
                &ScoreOptions {
                    keep: bad,
                    ..ScoreOptions::default()
                },
                &mut out,
                &mut |_| {},
            )
            .unwrap_err();
            assert!(
                matches!(e, Error::InvalidSetting { name: "keep", .. }),
                "{e}"
            );
            assert!(out.is_empty());
        }
    }

    /// Issue 12: a text read in parts is one document, its rows numbered as the whole
    /// text's, and progress ends at the file's size.
    #[test]
    fn r12_a_text_read_in_parts_is_one_document() {
        let dir = tempfile::tempdir().unwrap();
        let txt = dir.path().join("big.txt");
        let text =
            "Russian aggression grows.\nNATO provocation grows, they said.\n\n".repeat(40_000);
        std::fs::write(&txt, &text).unwrap();
        let models = [NamedModel::new("m", tiny_model())];
        let mut out = Vec::new();
        let mut seen = Vec::new();
        let summary = score(
            &models,
            std::slice::from_ref(&txt),
            &ScoreOptions::default(),
            &mut out,
            &mut |b| seen.push(b),
        )
        .unwrap();
        assert_eq!(summary.documents, 1);
        assert_eq!(summary.sentences, 80_000);
        assert_eq!(summary.bytes, text.len() as u64);
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert_eq!(seen.last(), Some(&(text.len() as u64)));
        let out = String::from_utf8(out).unwrap();
        for (i, line) in out.lines().skip(1).enumerate() {
            let index = line.split(',').nth(2).unwrap();
            assert_eq!(index, i.to_string(), "{line}");
        }
    }

    #[test]
    fn split_writes_ids_and_sentences() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("items.csv");
        std::fs::write(&csv, "text,url\nOne here. Two here.,u1\n").unwrap();
        let mut out = Vec::new();
        let opts = ReadOptions {
            source_name: Some("w".into()),
            keep: vec!["url".into()],
            ..ReadOptions::default()
        };
        let s = split(&[csv], &opts, &mut out).unwrap();
        assert_eq!((s.documents, s.sentences), (1, 2));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id,source,doc,index,text,url\nw_1_000,w,1,0,One here.,u1\nw_1_001,w,1,1,Two here.,u1\n"
        );
    }
}
