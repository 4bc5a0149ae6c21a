//! Reading documents to score: plain-text files, CSV tables and JSON Lines, one document at
//! a time ([`Documents`]).

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::parts::{Counting, TextParts};

use crate::data::{self, CsvOptions};
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

/// How to read documents from inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Text column (CSV) or field (JSONL). Default `text`.
    pub text: String,
    /// Source column/field; when absent, the source is the parent directory name (or
    /// [`source_name`](Self::source_name)).
    pub source: Option<String>,
    /// Document column/field; when absent, the file stem (text) or the row number.
    pub doc: Option<String>,
    /// A fixed source name for inputs without a source column (every `.txt` file).
    pub source_name: Option<String>,
    /// Format of standard input (`-`). Default text.
    pub stdin_format: InputFormat,
    /// CSV reading options (delimiter, invalid UTF-8).
    pub csv: CsvOptions,
    /// Columns (CSV) or fields (JSONL) to pass through into [`Document::keep`], in this order.
    /// Plain-text inputs have no columns, so they cannot be read with any. Default none.
    pub keep: Vec<String>,
    /// Which rules split texts into sentences. Default English.
    pub language: crate::text::SentenceLanguage,
    /// Texts are scored as one unit, not split into sentences: a plain-text input is then
    /// read whole (up to [`MAX_RECORD_BYTES`](crate::data::MAX_RECORD_BYTES)) instead of in
    /// parts of about a megabyte cut at paragraph breaks. Default false.
    pub no_split: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text: "text".into(),
            source: None,
            doc: None,
            source_name: None,
            stdin_format: InputFormat::Text,
            csv: CsvOptions::default(),
            keep: Vec::new(),
            language: crate::text::SentenceLanguage::English,
            no_split: false,
        }
    }
}

/// One document to score: a text and where it came from.
///
/// A large plain-text input comes in parts (see [`Documents`]): each part is a `Document`
/// with the same source and id, a [`part`](Self::part) number and the index of its first
/// sentence in the whole text, so the parts' sentences are numbered as the whole text's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// The source (outlet).
    pub source: String,
    /// The document's id within its source.
    pub doc: String,
    /// The text.
    pub text: String,
    /// Values of the kept input columns ([`ReadOptions::keep`]), in that order.
    pub keep: Vec<String>,
    /// 0, or the number of this part of a document read in parts (a later part continues
    /// the document before it).
    pub part: usize,
    /// The index of the first sentence of the text (non-zero for a later part).
    pub first_index: usize,
}

impl Document {
    /// A document without kept columns.
    pub fn new(
        source: impl Into<String>,
        doc: impl Into<String>,
        text: impl Into<String>,
    ) -> Document {
        Document {
            source: source.into(),
            doc: doc.into(),
            text: text.into(),
            keep: Vec::new(),
            part: 0,
            first_index: 0,
        }
    }

    /// Calls `f(index, text)` for each sentence of the text as `framelens` splits it, or once
    /// with the whole text when `no_split`. Indices start at [`first_index`](Self::first_index).
    pub fn for_each_sentence(&self, no_split: bool, f: impl FnMut(usize, &str)) {
        self.for_each_sentence_in(no_split, &crate::text::SentenceLanguage::English, f);
    }

    /// [`for_each_sentence`](Self::for_each_sentence) with the splitting rules of `language`.
    pub fn for_each_sentence_in(
        &self,
        no_split: bool,
        language: &crate::text::SentenceLanguage,
        mut f: impl FnMut(usize, &str),
    ) {
        if no_split {
            f(self.first_index, &self.text);
        } else {
            let mut i = self.first_index;
            crate::text::for_each_sentence_in(&self.text, language, |span| {
                f(i, &self.text[span]);
                i += 1;
            });
        }
    }
}

/// Expands inputs: directories become their `.txt` files (recursively, sorted). See
/// [`walk_inputs`], which also says what it skipped.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    Ok(walk_inputs(inputs)?.files)
}

/// Inputs expanded by [`walk_inputs`], with what was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputWalk {
    /// Files to read (and `-`), in order.
    pub files: Vec<PathBuf>,
    /// What was left out and why, one message each: directories reached a second time
    /// through a symbolic link (a loop such as `ln -s .. up`), and files reached a second
    /// time (the same file given twice, or through a link).
    pub skipped: Vec<String>,
}

/// Expands inputs: directories become their `.txt` files (recursively, sorted, following
/// symbolic links). Each directory is visited once and each file read once (by device and
/// inode on Unix, by canonical path elsewhere), so link loops end; what was skipped is
/// listed in [`InputWalk::skipped`]. Standard input (`-`) may be given once.
pub fn walk_inputs(inputs: &[PathBuf]) -> Result<InputWalk, Error> {
    let mut walk = Walker::default();
    let mut stdin = false;
    for p in inputs {
        if p == Path::new("-") {
            if std::mem::replace(&mut stdin, true) {
                return Err(Error::StdinTwice);
            }
            walk.out.files.push(p.clone());
            continue;
        }
        match std::fs::metadata(p) {
            Err(_) => return Err(Error::NotFound { path: p.clone() }),
            Ok(m) if m.is_dir() => {
                let before = walk.out.files.len();
                walk.dir(p, &m)?;
                if walk.out.files.len() == before {
                    return Err(Error::NoTextFiles { path: p.clone() });
                }
            }
            Ok(m) => walk.file(p, &m),
        }
    }
    Ok(walk.out)
}

/// What identifies a file or directory: device and inode (Unix), or the canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

fn file_id(p: &Path, m: &std::fs::Metadata) -> FileId {
    #[cfg(unix)]
    {
        let _ = p;
        use std::os::unix::fs::MetadataExt;
        FileId::Inode(m.dev(), m.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        FileId::Path(p.canonicalize().unwrap_or_else(|_| p.to_path_buf()))
    }
}

#[derive(Default)]
struct Walker {
    out: InputWalk,
    seen: std::collections::HashMap<FileId, PathBuf>,
}

impl Walker {
    /// Records `p`; false (with a message) when it was seen before.
    fn first_visit(&mut self, p: &Path, m: &std::fs::Metadata, what: &str) -> bool {
        match self.seen.entry(file_id(p, m)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                self.out.skipped.push(format!(
                    "{}: skipped, the same {what} as {}{}",
                    p.display(),
                    e.get().display(),
                    if what == "directory" {
                        " (a symbolic link loop or a second link to it)"
                    } else {
                        ""
                    }
                ));
                false
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(p.to_path_buf());
                true
            }
        }
    }

    fn file(&mut self, p: &Path, m: &std::fs::Metadata) {
        if self.first_visit(p, m, "file") {
            self.out.files.push(p.to_path_buf());
        }
    }

    fn dir(&mut self, dir: &Path, m: &std::fs::Metadata) -> Result<(), Error> {
        if !self.first_visit(dir, m, "directory") {
            return Ok(());
        }
        let err = |e: std::io::Error| Error::io(dir, e);
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(err)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(err)?;
        entries.sort();
        for p in entries {
            // Follows links. A .txt that cannot be looked at (a dangling link) is kept, so
            // reading it reports the problem.
            let txt = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"));
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => self.dir(&p, &m)?,
                Ok(m) if txt => self.file(&p, &m),
                Err(_) if txt => self.out.files.push(p),
                _ => {}
            }
        }
        Ok(())
    }
}

/// The documents of a list of inputs (as returned by [`expand_inputs`]), read one at a time:
/// a `.txt` file is one document; each row of a CSV file and each line of a JSON Lines file
/// is one. After an error the iteration ends.
///
/// Plain text (a file or standard input) is read in parts of about a megabyte, each ending
/// where the sentence splitter starts a new block anyway (after a blank line, or before a
/// line that does not start with a lower-case letter), so memory stays bounded however
/// large the text; a text longer than a part comes as several [`Document`]s
/// ([`Document::part`], [`Document::first_index`]) whose sentences are those of the whole
/// text. Only a stretch of a megabyte without such a place is cut elsewhere (at a line
/// break, else a sentence boundary, else white space). With [`ReadOptions::no_split`] a
/// text is read whole. [`bytes_read`](Self::bytes_read) counts the bytes read from the
/// inputs, for a progress bar.
///
/// ```
/// use framelens::score::{Documents, ReadOptions};
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("items.csv");
/// std::fs::write(&path, "id,text\nA7,Troops moved. Talks failed.\n")?;
/// let opts = ReadOptions { keep: vec!["id".into()], ..ReadOptions::default() };
/// let docs: Vec<_> = Documents::new(&[path], &opts)?.collect::<Result<_, _>>()?;
/// assert_eq!(docs[0].text, "Troops moved. Talks failed.");
/// assert_eq!((docs[0].doc.as_str(), docs[0].keep.as_slice()), ("1", &["A7".to_string()][..]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Documents {
    inputs: std::collections::VecDeque<PathBuf>,
    opts: ReadOptions,
    current: Option<Reader>,
    read: Arc<AtomicU64>,
}

enum Reader {
    Csv {
        path: PathBuf,
        table: Box<data::Table<data::TableReader>>,
        text: usize,
        source: Option<usize>,
        doc: Option<usize>,
        keep: Vec<usize>,
        row: usize,
    },
    Jsonl {
        path: PathBuf,
        reader: Box<dyn BufRead>,
        buf: Vec<u8>,
        line: u64,
        row: usize,
    },
    Text {
        parts: Box<TextParts>,
        source: String,
        doc: String,
    },
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reader::Csv { path, row, .. } => f
                .debug_struct("Csv")
                .field("path", path)
                .field("row", row)
                .finish(),
            Reader::Jsonl { path, line, .. } => f
                .debug_struct("Jsonl")
                .field("path", path)
                .field("line", line)
                .finish(),
            Reader::Text { doc, .. } => f.debug_struct("Text").field("doc", doc).finish(),
        }
    }
}

impl Documents {
    /// Reads `inputs` with `opts`. Checks first what can be checked before reading: kept
    /// columns are refused when an input is plain text (it has no columns), and every CSV
    /// file (not standard input) must have the columns asked for. Other problems (a JSON
    /// Lines record without a field, bad bytes) come from the iteration.
    pub fn new(inputs: &[PathBuf], opts: &ReadOptions) -> Result<Documents, Error> {
        if let Some(first) = opts.keep.first() {
            if let Some(p) = inputs
                .iter()
                .find(|p| format_of(p, opts) == InputFormat::Text)
            {
                return Err(Error::setting(
                    "keep",
                    first.clone(),
                    format!(
                        "columns of CSV or JSON Lines inputs, but {} is read as plain text, which has no columns",
                        if p.as_path() == Path::new("-") {
                            "standard input".to_string()
                        } else {
                            p.display().to_string()
                        }
                    ),
                ));
            }
        }
        for p in inputs {
            if p.as_path() != Path::new("-") && format_of(p, opts) == InputFormat::Csv {
                open_csv(p.clone(), opts, &Arc::default())?;
            }
        }
        Ok(Documents {
            inputs: inputs.iter().cloned().collect(),
            opts: opts.clone(),
            current: None,
            read: Arc::default(),
        })
    }

    /// Bytes read from the inputs so far (files and standard input, as read: a CSV reader
    /// reads ahead of the rows it has returned). Once every document is read, the total of
    /// the input files' sizes.
    pub fn bytes_read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }

    /// A counter that follows [`bytes_read`](Self::bytes_read) while the documents are read.
    pub fn bytes_read_counter(&self) -> Arc<AtomicU64> {
        self.read.clone()
    }

    fn next_document(&mut self) -> Result<Option<Document>, Error> {
        loop {
            match &mut self.current {
                None => {
                    let Some(path) = self.inputs.pop_front() else {
                        return Ok(None);
                    };
                    match format_of(&path, &self.opts) {
                        InputFormat::Text if self.opts.no_split => {
                            let text = read_text(&path, &self.opts, &self.read)?;
                            return Ok(Some(Document {
                                source: source_of(&path, &self.opts),
                                doc: doc_of(&path),
                                text,
                                ..Document::default()
                            }));
                        }
                        InputFormat::Text => {
                            let reader = open_counting(&path, &self.read)?;
                            self.current = Some(Reader::Text {
                                source: source_of(&path, &self.opts),
                                doc: doc_of(&path),
                                parts: Box::new(TextParts::new(
                                    path,
                                    reader,
                                    self.opts.csv.encoding,
                                    self.opts.language.clone(),
                                )),
                            });
                        }
                        InputFormat::Csv => {
                            self.current = Some(open_csv(path, &self.opts, &self.read)?)
                        }
                        InputFormat::Jsonl => self.current = Some(open_jsonl(path, &self.read)?),
                    }
                }
                Some(Reader::Text { parts, source, doc }) => match parts.next_part()? {
                    None => self.current = None,
                    Some(p) => {
                        return Ok(Some(Document {
                            source: source.clone(),
                            doc: doc.clone(),
                            text: p.text,
                            keep: Vec::new(),
                            part: p.number,
                            first_index: p.first_index,
                        }))
                    }
                },
                Some(Reader::Csv {
                    path,
                    table,
                    text,
                    source,
                    doc,
                    keep,
                    row,
                }) => {
                    if !table.next_row()? {
                        self.current = None;
                        continue;
                    }
                    *row += 1;
                    return Ok(Some(Document {
                        text: table.field(*text)?,
                        source: match source {
                            Some(i) => table.field(*i)?,
                            None => source_of(path, &self.opts),
                        },
                        doc: match doc {
                            Some(i) => table.field(*i)?,
                            None => row.to_string(),
                        },
                        keep: keep
                            .iter()
                            .map(|&i| table.field(i))
                            .collect::<Result<_, _>>()?,
                        ..Document::default()
                    }));
                }
                Some(Reader::Jsonl {
                    path,
                    reader,
                    buf,
                    line,
                    row,
                }) => {
                    *line += 1;
                    if !data::read_line_bounded(reader, buf, path, *line)? {
                        self.current = None;
                        continue;
                    }
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    *row += 1;
                    return parse_jsonl(path, *line, buf, &self.opts, *row).map(Some);
                }
            }
        }
    }
}

impl Iterator for Documents {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_document() {
            Ok(d) => d.map(Ok),
            Err(e) => {
                self.current = None;
                self.inputs.clear();
                Some(Err(e))
            }
        }
    }
}

impl Documents {
    /// Like [`Iterator::next`], but a JSON Lines record that cannot be used
    /// ([`Error::Json`]) does not end the reading: the next call reads the next line.
    pub(crate) fn next_past_bad_records(&mut self) -> Option<Result<Document, Error>> {
        match self.next_document() {
            Ok(d) => d.map(Ok),
            Err(e @ Error::Json { .. }) => Some(Err(e)),
            Err(Error::RecordTooLong { path, line, limit }) => {
                // A JSON Lines record too long to read is skipped to its line end like any
                // other bad record (a CSV record cannot be: its end depends on its quotes).
                if let Some(Reader::Jsonl { reader, buf, .. }) = &mut self.current {
                    let input: String = String::from_utf8_lossy(&buf[..buf.len().min(400)])
                        .chars()
                        .take(100)
                        .collect();
                    *buf = Vec::new();
                    match data::skip_rest_of_line(reader) {
                        Ok(true) => {
                            return Some(Err(Error::Json {
                                path,
                                line,
                                message: format!(
                                    "a record longer than {} MiB (skipped); framelens reads \
                                     records of at most {} MiB",
                                    limit >> 20,
                                    limit >> 20
                                ),
                                record: vec![("input".to_string(), input)],
                            }))
                        }
                        Ok(false) => {}
                        Err(source) => {
                            self.current = None;
                            self.inputs.clear();
                            return Some(Err(Error::io(&path, source)));
                        }
                    }
                }
                self.current = None;
                self.inputs.clear();
                Some(Err(Error::RecordTooLong { path, line, limit }))
            }
            Err(e) => {
                self.current = None;
                self.inputs.clear();
                Some(Err(e))
            }
        }
    }
}

fn format_of(path: &Path, opts: &ReadOptions) -> InputFormat {
    if path == Path::new("-") {
        opts.stdin_format
    } else {
        InputFormat::from_path(path)
    }
}

/// Opens a file (or standard input, `-`), counting the bytes read into `read`.
fn open_counting(path: &Path, read: &Arc<AtomicU64>) -> Result<Box<dyn Read>, Error> {
    if path == Path::new("-") {
        return Ok(Box::new(Counting {
            inner: std::io::stdin(),
            count: read.clone(),
        }));
    }
    data::check_input_file(path)?;
    let f = std::fs::File::open(path).map_err(|source| Error::io(path, source))?;
    Ok(Box::new(Counting {
        inner: f,
        count: read.clone(),
    }))
}

fn open_csv(path: PathBuf, opts: &ReadOptions, read: &Arc<AtomicU64>) -> Result<Reader, Error> {
    let input = open_counting(&path, read)?;
    let input: Box<dyn Read> = if path == Path::new("-") {
        input
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 16, input))
    };
    let table = data::Table::from_reader(&path, input, &opts.csv)?;
    let text = table.column(&opts.text)?;
    let source = opts
        .source
        .as_deref()
        .map(|c| table.column(c))
        .transpose()?;
    let doc = opts.doc.as_deref().map(|c| table.column(c)).transpose()?;
    let keep = opts
        .keep
        .iter()
        .map(|c| table.column(c))
        .collect::<Result<_, _>>()?;
    Ok(Reader::Csv {
        path,
        table: Box::new(table),
        text,
        source,
        doc,
        keep,
        row: 0,
    })
}

fn open_jsonl(path: PathBuf, read: &Arc<AtomicU64>) -> Result<Reader, Error> {
    let reader: Box<dyn BufRead> = Box::new(std::io::BufReader::new(open_counting(&path, read)?));
    Ok(Reader::Jsonl {
        path,
        reader,
        buf: Vec::new(),
        line: 0,
        row: 0,
    })
}

fn parse_jsonl(
    path: &Path,
    line: u64,
    bytes: &[u8],
    opts: &ReadOptions,
    row: usize,
) -> Result<Document, Error> {
    // A record that is not a JSON object: the start of its line is all there is to find it by.
    let unread = |message: String| Error::Json {
        path: path.to_path_buf(),
        line,
        message,
        record: vec![(
            "input".to_string(),
            String::from_utf8_lossy(bytes).chars().take(100).collect(),
        )],
    };
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| unread(format!("invalid JSON: {e}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| unread("expected a JSON object per line".into()))?;
    let scalar = |name: &str| match obj.get(name) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) if other.is_number() || other.is_boolean() => Some(other.to_string()),
        _ => None,
    };
    // The record's identifying fields that can be read, for the error.
    let jerr = |message: String| {
        let named = [
            ("source", opts.source.as_deref()),
            ("doc", opts.doc.as_deref()),
        ];
        let record = named
            .into_iter()
            .filter_map(|(as_name, field)| Some((as_name.to_string(), scalar(field?)?)))
            .chain(
                opts.keep
                    .iter()
                    .filter_map(|k| Some((k.clone(), scalar(k)?))),
            )
            .collect();
        Error::Json {
            path: path.to_path_buf(),
            line,
            message,
            record,
        }
    };
    let field = |name: &str| -> Result<Option<String>, Error> {
        match obj.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) if other.is_number() || other.is_boolean() => Ok(Some(other.to_string())),
            Some(_) => Err(jerr(format!("field {name:?} must be a string"))),
        }
    };
    let no_field = |name: &str| {
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        jerr(format!(
            "no field {name:?}; the fields are: {}",
            keys.join(", ")
        ))
    };
    let text = field(&opts.text)?.ok_or_else(|| no_field(&opts.text))?;
    let source = match &opts.source {
        Some(c) => field(c)?.unwrap_or_default(),
        None => source_of(path, opts),
    };
    let doc = match &opts.doc {
        Some(c) => field(c)?.unwrap_or_default(),
        None => row.to_string(),
    };
    // A kept field must be there (null is an empty value): a missing one is more likely a
    // misspelt name than a gap.
    let keep = opts
        .keep
        .iter()
        .map(|k| match obj.contains_key(k) {
            true => field(k).map(Option::unwrap_or_default),
            false => Err(no_field(k)),
        })
        .collect::<Result<_, _>>()?;
    Ok(Document {
        source,
        doc,
        text,
        keep,
        ..Document::default()
    })
}

fn read_text(path: &Path, opts: &ReadOptions, read: &Arc<AtomicU64>) -> Result<String, Error> {
    let bytes = data::read_text_bounded(&mut open_counting(path, read)?, path)?;
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

fn source_of(path: &Path, opts: &ReadOptions) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_from_text_csv_and_jsonl_with_kept_columns() {
        let dir = tempfile::tempdir().unwrap();
        let outlet = dir.path().join("wire");
        std::fs::create_dir(&outlet).unwrap();
        let txt = outlet.join("a1.txt");
        std::fs::write(&txt, "\u{feff}One. Two.").unwrap();
        let docs: Vec<Document> =
            Documents::new(std::slice::from_ref(&txt), &ReadOptions::default())
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
        assert_eq!(docs, [Document::new("wire", "a1", "One. Two.")]);

        let csv = dir.path().join("t.csv");
        std::fs::write(
            &csv,
            "gold;body;url\nanti;Troops moved.;u1\npro;Talks.;u2\n",
        )
        .unwrap();
        let jsonl = dir.path().join("t.jsonl");
        std::fs::write(
            &jsonl,
            "{\"body\":\"Troops.\",\"gold\":\"anti\",\"url\":7}\n\n{\"body\":\"Talks.\",\"gold\":null,\"url\":\"u\"}\n",
        )
        .unwrap();
        let opts = ReadOptions {
            text: "body".into(),
            keep: vec!["url".into(), "gold".into()],
            source_name: Some("x".into()),
            ..ReadOptions::default()
        };
        let docs: Vec<Document> = Documents::new(&[csv.clone(), jsonl.clone()], &opts)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let got: Vec<(&str, &str, Vec<&str>)> = docs
            .iter()
            .map(|d| {
                (
                    d.doc.as_str(),
                    d.text.as_str(),
                    d.keep.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("1", "Troops moved.", vec!["u1", "anti"]),
                ("2", "Talks.", vec!["u2", "pro"]),
                ("1", "Troops.", vec!["7", "anti"]),
                ("2", "Talks.", vec!["u", ""]),
            ]
        );
        assert!(docs.iter().all(|d| d.source == "x"));

        // Kept columns and plain text do not mix; a missing column is named with the file.
        let e = Documents::new(&[csv.clone(), txt], &opts).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidSetting { name: "keep", .. }),
            "{e}"
        );
        assert!(e.to_string().contains("a1.txt"), "{e}");
        let missing = ReadOptions {
            keep: vec!["date".into()],
            ..opts.clone()
        };
        // A CSV file is checked before any document is read.
        let e = Documents::new(&[jsonl.clone(), csv], &missing).unwrap_err();
        assert!(
            matches!(&e, Error::MissingColumn { column, path, .. } if column == "date" && path.ends_with("t.csv")),
            "{e}"
        );
        let mut it = Documents::new(&[jsonl], &missing).unwrap();
        let e = it.next().unwrap().unwrap_err();
        assert!(
            matches!(&e, Error::Json { line: 1, message, .. } if message.contains("no field \"date\"")),
            "{e}"
        );
        assert!(it.next().is_none(), "iteration ends after an error");
    }

    /// Issue 12: a text larger than a part comes in parts whose sentences, numbered on from
    /// part to part, are those of the whole text; the bytes read are counted.
    #[test]
    fn r12_a_large_text_comes_in_parts_and_the_bytes_read_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let big: String = (0..80_000)
            .map(|i| match i % 3 {
                0 => format!("Report {i}. Troops moved, officials said.\nThe talks, in Geneva, failed\nagain on Jan. 5. “Ж” 🚀 rose 1.5%.\n\n"),
                1 => format!("Headline {i}\r\nBy Wire\r\n\r\n"),
                _ => format!("Мир {i}.\n"),
            })
            .collect();
        assert!(big.len() > 3 * super::super::parts::PART_BYTES);
        let txt = dir.path().join("big.txt");
        std::fs::write(&txt, &big).unwrap();
        let csv = dir.path().join("t.csv");
        std::fs::write(&csv, "text\nOne. Two.\n").unwrap();
        let jsonl = dir.path().join("t.jsonl");
        std::fs::write(&jsonl, "{\"text\":\"Three.\"}\n").unwrap();
        let inputs = [txt.clone(), csv.clone(), jsonl.clone()];
        let mut docs = Documents::new(&inputs, &ReadOptions::default()).unwrap();
        let mut got = Vec::new();
        let mut parts = Vec::new();
        for d in docs.by_ref() {
            let d = d.unwrap();
            if d.doc == "big" {
                d.for_each_sentence(false, |i, s| got.push((i, s.to_string())));
                parts.push((d.part, d.text.len()));
            }
        }
        assert!(parts.len() > 3, "{parts:?}");
        assert!(parts
            .iter()
            .all(|&(_, n)| n <= super::super::parts::PART_BYTES));
        assert_eq!(
            parts.iter().map(|p| p.0).collect::<Vec<_>>(),
            (0..parts.len()).collect::<Vec<_>>()
        );
        let mut whole = Vec::new();
        Document::new("s", "big", big.as_str())
            .for_each_sentence(false, |i, s| whole.push((i, s.to_string())));
        assert_eq!(got.len(), whole.len());
        assert!(
            got == whole,
            "the parts' sentences differ from the whole text's"
        );
        let sizes: u64 = inputs
            .iter()
            .map(|p| std::fs::metadata(p).unwrap().len())
            .sum();
        assert_eq!(docs.bytes_read(), sizes);

        // Scored as one unit, the text is read whole.
        let opts = ReadOptions {
            no_split: true,
            ..ReadOptions::default()
        };
        let one: Vec<Document> = Documents::new(&[txt], &opts)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].text, big);
    }

    #[test]
    fn sentences_or_the_whole_text() {
        let d = Document::new("s", "d", "Mr. Putin met Gen. Smith. Troops moved.");
        let mut got = Vec::new();
        d.for_each_sentence(false, |i, s| got.push((i, s.to_string())));
        assert_eq!(
            got,
            [
                (0, "Mr. Putin met Gen. Smith.".to_string()),
                (1, "Troops moved.".to_string())
            ]
        );
        got.clear();
        d.for_each_sentence(true, |i, s| got.push((i, s.to_string())));
        assert_eq!(got, [(0, d.text.clone())]);
    }

    /// Issue 11, item 2: symbolic-link loops end; each directory is walked and each file
    /// read once, and what was skipped is said.
    #[cfg(unix)]
    #[test]
    fn r11_2_link_loops_are_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let l = dir.path().join("l");
        std::fs::create_dir_all(l.join("o")).unwrap();
        std::fs::write(l.join("o/a.txt"), "Troops invade.").unwrap();
        std::os::unix::fs::symlink("..", l.join("o/up")).unwrap();
        std::os::unix::fs::symlink(".", l.join("o/self")).unwrap();
        std::os::unix::fs::symlink("a.txt", l.join("o/b.txt")).unwrap();
        std::os::unix::fs::symlink("gone.txt", l.join("o/dangling.txt")).unwrap();
        let w = walk_inputs(&[l.clone(), l.join("o/a.txt")]).unwrap();
        assert_eq!(w.files, [l.join("o/a.txt"), l.join("o/dangling.txt")]);
        assert_eq!(w.skipped.len(), 4, "{:?}", w.skipped);
        assert!(w.skipped[0].contains("o/b.txt: skipped, the same file as"));
        assert!(w.skipped[1].contains("o/self: skipped, the same directory as"));
        assert!(w.skipped[2].contains("o/up: skipped, the same directory as"));
        let again = format!(
            "a.txt: skipped, the same file as {}",
            l.join("o/a.txt").display()
        );
        assert!(w.skipped[3].ends_with(&again), "{}", w.skipped[3]);
        assert!(matches!(
            walk_inputs(&["-".into(), "-".into()]),
            Err(Error::StdinTwice)
        ));
    }
}
