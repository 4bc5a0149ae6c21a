//! Scoring: articles → sentences → class probabilities from one or more models, streamed.
//!
//! Inputs are read one document (or one CSV/JSONL record) at a time and scored in bounded
//! batches (in parallel), and each row is written as soon as its batch is done, so memory
//! does not grow with the corpus.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::data::{self, CsvOptions};
use crate::model::{Model, Scorer};
use crate::text::for_each_sentence;
use crate::Error;

/// Input format of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Plain text: one article per file.
    Text,
    /// CSV (or TSV) with a text column.
    Csv,
    /// JSON Lines with a text field.
    Jsonl,
}

impl InputFormat {
    /// Guesses from the file extension (`.csv`, `.tsv`, `.jsonl`, `.ndjson`; anything else is text).
    pub fn from_path(p: &Path) -> InputFormat {
        match p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv" | "tsv") => InputFormat::Csv,
            Some("jsonl" | "ndjson") => InputFormat::Jsonl,
            _ => InputFormat::Text,
        }
    }
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// CSV with a header.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// How to read and score inputs.
#[derive(Debug, Clone)]
pub struct ScoreOptions {
    /// Text column (CSV) or field (JSONL). Default `text`.
    pub text: String,
    /// Source column/field; when absent, the source is the parent directory name.
    pub source: Option<String>,
    /// Document column/field; when absent, the file stem (text) or the row number.
    pub doc: Option<String>,
    /// A fixed source name for every input.
    pub source_name: Option<String>,
    /// Score each text as one unit instead of splitting it into sentences.
    pub no_split: bool,
    /// Format of standard input.
    pub stdin_format: InputFormat,
    /// CSV reading options.
    pub csv: CsvOptions,
    /// Output format.
    pub format: OutputFormat,
    /// Start each row with an `id` column, `<source>_<doc>_<index>` (for labelling sheets).
    pub with_id: bool,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions {
            text: "text".into(),
            source: None,
            doc: None,
            source_name: None,
            no_split: false,
            stdin_format: InputFormat::Text,
            csv: CsvOptions::default(),
            format: OutputFormat::Csv,
            with_id: false,
        }
    }
}

/// A named model: its columns are `<name>_label` and `<name>_p_<class>`.
#[derive(Debug, Clone)]
pub struct NamedModel {
    /// Column prefix.
    pub name: String,
    /// The model.
    pub model: Arc<Model>,
}

/// Totals of a scoring run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreSummary {
    /// Documents read.
    pub documents: usize,
    /// Rows written.
    pub sentences: usize,
    /// Bytes of text scored.
    pub bytes: u64,
}

/// One document to score.
#[derive(Debug, Clone)]
struct Doc {
    source: String,
    doc: String,
    text: String,
}

/// Texts per batch before scoring; bounds memory.
const BATCH_BYTES: usize = 4 << 20;

/// Expands inputs: directories become their `.txt` files (recursively, sorted).
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in inputs {
        if p == Path::new("-") {
            out.push(p.clone());
            continue;
        }
        match std::fs::metadata(p) {
            Err(_) => return Err(Error::NotFound { path: p.clone() }.into()),
            Ok(m) if m.is_dir() => {
                let before = out.len();
                walk_txt(p, &mut out)?;
                if out.len() == before {
                    return Err(Error::NoTextFiles { path: p.clone() });
                }
            }
            Ok(_) => out.push(p.clone()),
        }
    }
    Ok(out)
}

fn walk_txt(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let err = |e: std::io::Error| Error::Io {
        path: dir.to_path_buf(),
        source: e,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(err)?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk_txt(&p, out)?;
        } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")) {
            out.push(p);
        }
    }
    Ok(())
}

/// Names models by file stem, refusing duplicates.
pub fn name_models(models: Vec<(PathBuf, Model)>) -> Result<Vec<NamedModel>, Error> {
    let mut named: Vec<NamedModel> = Vec::new();
    for (path, model) in models {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        if named.iter().any(|m| m.name == name) {
            return Err(Error::DuplicateModel { name });
        }
        named.push(NamedModel {
            name,
            model: Arc::new(model),
        });
    }
    Ok(named)
}

/// The output header: `source, doc, index, text`, then each model's label and probabilities.
pub fn header(models: &[NamedModel]) -> Vec<String> {
    let mut h: Vec<String> = ["source", "doc", "index", "text"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for m in models {
        h.push(format!("{}_label", m.name));
        for c in m.model.classes() {
            h.push(format!("{}_p_{c}", m.name));
        }
    }
    h
}

/// Scores inputs and writes one row per sentence to `out`. `progress` is called with the
/// bytes of text scored so far.
pub fn score(
    models: &[NamedModel],
    inputs: &[PathBuf],
    opts: &ScoreOptions,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<ScoreSummary, Error> {
    let scorers: Vec<Scorer> = models
        .iter()
        .map(|m| m.model.scorer())
        .collect::<Result<_, _>>()?;
    let mut header = header(models);
    if opts.with_id {
        header.insert(0, "id".to_string());
    }
    let header = Arc::new(header);
    let write_err = |source: std::io::Error| Error::Write { source };
    if opts.format == OutputFormat::Csv {
        let mut enc = Encoder::new(OutputFormat::Csv, &header);
        enc.row(&header).map_err(write_err)?;
        out.write_all(&enc.take().map_err(write_err)?)
            .map_err(write_err)?;
    }
    let mut writer = out;
    let mut summary = ScoreSummary::default();
    let mut batch: Vec<Doc> = Vec::new();
    let mut batch_bytes = 0usize;
    // One persistent worker per thread, so stem caches and buffers stay warm across batches;
    // each takes a contiguous slice of the batch, so the output keeps the input order.
    let threads = rayon::current_num_threads().max(1);
    let mut workers: Vec<Worker> = (0..threads)
        .map(|_| Worker {
            scorers: scorers.clone(),
            probs: Vec::new(),
            cells: Vec::new(),
            enc: Encoder::new(opts.format, &header),
        })
        .collect();
    let mut flush = |batch: &mut Vec<Doc>,
                     summary: &mut ScoreSummary,
                     writer: &mut &mut dyn Write|
     -> Result<(), Error> {
        let chunk = batch.len().div_ceil(threads).max(1);
        let results: Vec<std::io::Result<(Vec<u8>, usize)>> = workers
            .par_iter_mut()
            .zip(batch.par_chunks(chunk))
            .map(|(w, docs)| {
                let mut bytes = Vec::new();
                let mut rows = 0;
                for d in docs {
                    let (b, n) = score_doc(d, w, opts)?;
                    bytes.extend_from_slice(&b);
                    rows += n;
                }
                Ok((bytes, rows))
            })
            .collect();
        for r in results {
            let (bytes, rows) = r.map_err(write_err)?;
            writer.write_all(&bytes).map_err(write_err)?;
            summary.sentences += rows;
        }
        summary.documents += batch.len();
        summary.bytes += batch.iter().map(|d| d.text.len() as u64).sum::<u64>();
        progress(summary.bytes);
        batch.clear();
        Ok(())
    };
    for path in inputs {
        let format = if path == Path::new("-") {
            opts.stdin_format
        } else {
            InputFormat::from_path(path)
        };
        let mut push = |d: Doc,
                        batch: &mut Vec<Doc>,
                        summary: &mut ScoreSummary,
                        writer: &mut &mut dyn Write| {
            batch_bytes += d.text.len();
            batch.push(d);
            if batch_bytes >= BATCH_BYTES || batch.len() >= 4096 {
                batch_bytes = 0;
                flush(batch, summary, writer)
            } else {
                Ok(())
            }
        };
        match format {
            InputFormat::Text => {
                let text = read_text(path, opts)?;
                let d = Doc {
                    source: source_of(path, opts),
                    doc: doc_of(path),
                    text,
                };
                push(d, &mut batch, &mut summary, &mut writer)?;
            }
            InputFormat::Csv => {
                let mut t = data::open_table(path, &opts.csv)?;
                let ti = t.column(&opts.text)?;
                let si = opts.source.as_deref().map(|c| t.column(c)).transpose()?;
                let di = opts.doc.as_deref().map(|c| t.column(c)).transpose()?;
                let mut row = 0usize;
                while t.next_row()? {
                    row += 1;
                    let d = Doc {
                        text: t.field(ti)?,
                        source: match si {
                            Some(i) => t.field(i)?,
                            None => source_of(path, opts),
                        },
                        doc: match di {
                            Some(i) => t.field(i)?,
                            None => row.to_string(),
                        },
                    };
                    push(d, &mut batch, &mut summary, &mut writer)?;
                }
            }
            InputFormat::Jsonl => {
                let reader: Box<dyn BufRead> = if path == Path::new("-") {
                    Box::new(std::io::BufReader::new(std::io::stdin()))
                } else {
                    data::check_input_file(path)?;
                    let f = std::fs::File::open(path).map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
                    Box::new(std::io::BufReader::new(f))
                };
                let mut row = 0usize;
                for (i, line) in reader.split(b'\n').enumerate() {
                    let line_no = i as u64 + 1;
                    let bytes = line.map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    row += 1;
                    let d = parse_jsonl(path, line_no, &bytes, opts, row)?;
                    push(d, &mut batch, &mut summary, &mut writer)?;
                }
            }
        }
    }
    flush(&mut batch, &mut summary, &mut writer)?;
    writer.flush().map_err(write_err)?;
    Ok(summary)
}

fn parse_jsonl(
    path: &Path,
    line: u64,
    bytes: &[u8],
    opts: &ScoreOptions,
    row: usize,
) -> Result<Doc, Error> {
    let jerr = |message: String| Error::Json {
        path: path.to_path_buf(),
        line,
        message,
    };
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| jerr(format!("invalid JSON: {e}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| jerr("expected a JSON object per line".into()))?;
    let field = |name: &str| -> Result<Option<String>, Error> {
        match obj.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) if other.is_number() || other.is_boolean() => Ok(Some(other.to_string())),
            Some(_) => Err(jerr(format!("field {name:?} must be a string"))),
        }
    };
    let text = field(&opts.text)?.ok_or_else(|| {
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        jerr(format!(
            "no field {:?}; the fields are: {}",
            opts.text,
            keys.join(", ")
        ))
    })?;
    let source = match &opts.source {
        Some(c) => field(c)?.unwrap_or_default(),
        None => source_of(path, opts),
    };
    let doc = match &opts.doc {
        Some(c) => field(c)?.unwrap_or_default(),
        None => row.to_string(),
    };
    Ok(Doc { source, doc, text })
}

fn read_text(path: &Path, opts: &ScoreOptions) -> Result<String, Error> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
    } else {
        data::check_input_file(path)?;
        bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => match opts.csv.encoding {
            data::Encoding::Lossy => Ok(String::from_utf8_lossy(bytes).into_owned()),
            data::Encoding::Strict => {
                let off = e.valid_up_to();
                let line = bytes[..off].iter().filter(|&&b| b == b'\n').count() + 1;
                Err(Error::TextUtf8 {
                    path: path.to_path_buf(),
                    line: line as u64,
                    offset: off,
                })
            }
        },
    }
}

fn source_of(path: &Path, opts: &ScoreOptions) -> String {
    if let Some(s) = &opts.source_name {
        return s.clone();
    }
    if path == Path::new("-") {
        return "stdin".into();
    }
    path.canonicalize()
        .ok()
        .and_then(|p| {
            p.parent()
                .and_then(|d| d.file_name())
                .map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_default()
}

fn doc_of(path: &Path) -> String {
    if path == Path::new("-") {
        return "stdin".into();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Per-thread scoring state: scorers, buffers, and the encoder of output rows.
struct Worker {
    scorers: Vec<Scorer>,
    probs: Vec<f64>,
    cells: Vec<String>,
    enc: Encoder,
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .buffer_capacity(4096)
        .from_writer(Vec::new())
}

/// Encodes rows as CSV or JSON Lines into a byte buffer.
enum Encoder {
    Csv(Box<csv::Writer<Vec<u8>>>),
    Json(Vec<u8>, Arc<Vec<String>>),
}

impl Encoder {
    fn new(format: OutputFormat, header: &Arc<Vec<String>>) -> Encoder {
        match format {
            OutputFormat::Csv => Encoder::Csv(Box::new(csv_writer())),
            OutputFormat::Jsonl => Encoder::Json(Vec::new(), header.clone()),
        }
    }

    fn row(&mut self, cells: &[String]) -> std::io::Result<()> {
        match self {
            Encoder::Csv(w) => w.write_record(cells).map_err(std::io::Error::from),
            Encoder::Json(buf, header) => {
                let mut obj = serde_json::Map::new();
                for (k, v) in header.iter().zip(cells) {
                    let value = if k == "index" {
                        v.parse::<u64>().map_or_else(
                            |_| serde_json::Value::String(v.clone()),
                            serde_json::Value::from,
                        )
                    } else if k.contains("_p_") {
                        v.parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map_or_else(
                                || serde_json::Value::String(v.clone()),
                                serde_json::Value::Number,
                            )
                    } else {
                        serde_json::Value::String(v.clone())
                    };
                    obj.insert(k.clone(), value);
                }
                serde_json::to_writer(&mut *buf, &obj).map_err(std::io::Error::from)?;
                buf.push(b'\n');
                Ok(())
            }
        }
    }

    /// Takes the bytes encoded so far.
    fn take(&mut self) -> std::io::Result<Vec<u8>> {
        match self {
            Encoder::Csv(w) => {
                let full = std::mem::replace(w.as_mut(), csv_writer());
                full.into_inner().map_err(|e| e.into_error())
            }
            Encoder::Json(buf, _) => Ok(std::mem::take(buf)),
        }
    }
}

/// Scores one document; returns its encoded rows and their number.
fn score_doc(d: &Doc, w: &mut Worker, opts: &ScoreOptions) -> std::io::Result<(Vec<u8>, usize)> {
    use std::fmt::Write as _;
    let mut rows = 0usize;
    let mut result = Ok(());
    let mut emit = |index: usize, text: &str| {
        if result.is_err() {
            return;
        }
        let first = usize::from(opts.with_id);
        let ncells = first
            + 4
            + w.scorers
                .iter()
                .map(|s| 1 + s.model().classes().len())
                .sum::<usize>();
        w.cells.resize_with(ncells, String::new);
        for c in w.cells.iter_mut() {
            c.clear();
        }
        if opts.with_id {
            let _ = write!(w.cells[0], "{}_{}_{index:03}", d.source, d.doc);
        }
        w.cells[first].push_str(&d.source);
        w.cells[first + 1].push_str(&d.doc);
        let _ = write!(w.cells[first + 2], "{index}");
        w.cells[first + 3].push_str(text);
        let mut k = first + 4;
        for s in w.scorers.iter_mut() {
            s.proba_into(text, &mut w.probs);
            let best = (0..w.probs.len())
                .max_by(|&a, &b| w.probs[a].total_cmp(&w.probs[b]).then(b.cmp(&a)))
                .unwrap_or(0);
            w.cells[k].push_str(&s.model().classes()[best]);
            k += 1;
            for p in &w.probs {
                let _ = write!(w.cells[k], "{p:.6}");
                k += 1;
            }
        }
        result = w.enc.row(&w.cells);
        rows += 1;
    };
    if opts.no_split {
        emit(0, &d.text);
    } else {
        let mut i = 0;
        for_each_sentence(&d.text, |span| {
            emit(i, &d.text[span]);
            i += 1;
        });
    }
    result?;
    Ok((w.enc.take()?, rows))
}
