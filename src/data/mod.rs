//! Data: labelled CSV files for training, and tables of texts for scoring.
//!
//! CSV files have a header row; the delimiter is detected among `,` `;` and tab unless given;
//! UTF-8 with or without a byte-order mark; CRLF or LF line ends. Every error names the file,
//! and where it can the line and column.

use crate::Error;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How to treat bytes that are not UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Refuse them, naming file, line and byte.
    #[default]
    Strict,
    /// Replace them with U+FFFD.
    Lossy,
}

/// Options for reading a CSV file.
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    /// The delimiter; detected from the header line when `None`.
    pub delimiter: Option<u8>,
    /// Invalid UTF-8 handling.
    pub encoding: Encoding,
}

/// Picks the delimiter among `,` `;` and tab: the one that occurs most often, outside
/// quotes, in the first line. Comma when none occurs.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let (best, n) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, 3 - *i))
        .unwrap_or((0, &0));
    if *n == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// Checks that `path` is an existing file (not a directory).
pub fn check_input_file(path: &Path) -> Result<(), Error> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NotFound {
            path: path.to_path_buf(),
        }),
        Err(source) => Err(Error::Io {
            path: path.to_path_buf(),
            source,
        }),
        Ok(m) if m.is_dir() => Err(Error::IsDirectory {
            path: path.to_path_buf(),
        }),
        Ok(_) => Ok(()),
    }
}

/// Where a field stands with respect to double quotes, as the csv crate's parser sees it
/// (RFC 4180 with the crate's defaults: a quote opens a quoted field only as the field's
/// first byte; inside, `""` is a quote and a lone `"` closes it; a quote inside an unquoted
/// field, as in `5" screen`, is an ordinary character).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// At the start of a field.
    #[default]
    Start,
    /// Inside an unquoted field.
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: `""` or the closing quote.
    QuoteInQuoted,
}

/// Longest CSV record, JSON Lines line or plain-text document read (16 MiB). Without a bound
/// an endless input (`/dev/zero`) grows memory until the machine runs out; a news article is
/// far shorter.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// Where the input stands, seen from the raw bytes: a quoted field still open at the end of
/// the input is an unterminated quoted field.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct QuoteState {
    field: Field,
    delimiter: u8,
    line: u64,
    opened_at: u64,
    eof: bool,
    /// Bytes since the current record started, and the line it started on.
    record_bytes: usize,
    record_line: u64,
    /// The current record passed [`MAX_RECORD_BYTES`].
    too_long: bool,
}

impl QuoteState {
    fn inside(&self) -> bool {
        self.field == Field::Quoted
    }

    /// As [`QuoteState::push`] on each byte, with runs of bytes that are neither a quote, a
    /// newline nor the delimiter taken in one step (they only move the start of a field to an
    /// unquoted field and count toward the record's length).
    fn push_all(&mut self, bytes: &[u8]) {
        let d = self.delimiter;
        let mut rest = bytes;
        while !rest.is_empty() && !self.too_long {
            let run = find_special(rest, d);
            if run > 0 {
                if self.field != Field::Quoted {
                    self.field = Field::Unquoted;
                }
                self.record_bytes += run;
                if self.record_bytes > MAX_RECORD_BYTES {
                    // Byte by byte, counting stops at the first byte over the bound.
                    self.record_bytes = MAX_RECORD_BYTES + 1;
                    self.too_long = true;
                    return;
                }
            }
            match rest.get(run) {
                Some(&b) => {
                    self.push(b);
                    rest = &rest[run + 1..];
                }
                None => break,
            }
        }
    }

    fn push(&mut self, b: u8) {
        if self.too_long {
            return; // keeps the line of the record at fault
        }
        self.field = match (self.field, b) {
            (_, b'\n') if self.field != Field::Quoted => Field::Start,
            (Field::Start | Field::QuoteInQuoted, d) if d == self.delimiter => Field::Start,
            (Field::Unquoted, d) if d == self.delimiter => Field::Start,
            (Field::Start, b'"') => {
                self.opened_at = self.line;
                Field::Quoted
            }
            (Field::Start | Field::Unquoted, _) => Field::Unquoted,
            (Field::Quoted, b'"') => Field::QuoteInQuoted,
            (Field::Quoted, _) => Field::Quoted,
            (Field::QuoteInQuoted, b'"') => Field::Quoted,
            (Field::QuoteInQuoted, _) => Field::Unquoted,
        };
        if b == b'\n' {
            self.line += 1;
        }
        if b == b'\n' && self.field == Field::Start {
            self.record_bytes = 0;
            self.record_line = self.line;
        } else {
            self.record_bytes += 1;
            self.too_long |= self.record_bytes > MAX_RECORD_BYTES;
        }
    }
}

/// Index of the first quote, newline or `delimiter` in `s` (`s.len()` if none), eight bytes
/// at a time: a word with none of the three bytes is skipped with a few integer operations.
fn find_special(s: &[u8], delimiter: u8) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // Non-zero exactly when some byte of `v` is zero.
    let has_zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let (q, n, d) = (
        LO * u64::from(b'"'),
        LO * u64::from(b'\n'),
        LO * u64::from(delimiter),
    );
    let mut i = 0;
    for chunk in s.chunks_exact(8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        let w = u64::from_le_bytes(b);
        if has_zero(w ^ q) | has_zero(w ^ n) | has_zero(w ^ d) != 0 {
            break;
        }
        i += 8;
    }
    i + s[i..]
        .iter()
        .position(|&b| b == b'"' || b == b'\n' || b == delimiter)
        .unwrap_or(s.len() - i)
}

/// Passes bytes through, tracking quoted fields and lines (the reader under a [`Table`]).
#[derive(Debug)]
pub struct QuoteTracker<R> {
    inner: R,
    state: std::rc::Rc<std::cell::Cell<QuoteState>>,
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut st = self.state.get();
        if n == 0 {
            st.eof = true;
        }
        st.push_all(&buf[..n]);
        self.state.set(st);
        if st.too_long {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "record too long",
            ));
        }
        Ok(n)
    }
}

/// The reader under a [`Table`].
pub type TableReader = QuoteTracker<std::io::Chain<std::io::Cursor<Vec<u8>>, Box<dyn Read>>>;

/// A CSV table read record by record, with named-column access and precise errors.
pub struct Table<R: Read> {
    path: PathBuf,
    reader: csv::Reader<R>,
    quotes: std::rc::Rc<std::cell::Cell<QuoteState>>,
    headers: Vec<String>,
    encoding: Encoding,
    record: csv::ByteRecord,
    line: u64,
    rows: usize,
}

impl<R: Read> std::fmt::Debug for Table<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("path", &self.path)
            .field("headers", &self.headers)
            .finish()
    }
}

/// Removes a UTF-8 byte-order mark.
fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

impl Table<TableReader> {
    /// Opens a CSV stream: reads the header, detects the delimiter, and checks there is one.
    pub fn from_reader(
        path: &Path,
        mut input: Box<dyn Read>,
        opts: &CsvOptions,
    ) -> Result<Self, Error> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        // Read enough to see the header line (up to 64 KiB).
        let mut head = Vec::new();
        let mut buf = [0u8; 8192];
        while head.len() < 65536 && !head.contains(&b'\n') {
            let n = input.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let head = strip_bom(&head).to_vec();
        if head.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::Empty {
                path: path.to_path_buf(),
            });
        }
        let delimiter = opts.delimiter.unwrap_or_else(|| sniff_delimiter(&head));
        let quotes = std::rc::Rc::new(std::cell::Cell::new(QuoteState {
            line: 1,
            record_line: 1,
            delimiter,
            ..QuoteState::default()
        }));
        let tracked = QuoteTracker {
            inner: std::io::Cursor::new(head).chain(input),
            state: quotes.clone(),
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(false)
            // LF as the terminator keeps the csv crate's line numbers right for CRLF files;
            // the CR left at the end of the last field is removed in `decode`.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(tracked);
        let mut t = Table {
            path: path.to_path_buf(),
            reader,
            quotes,
            headers: Vec::new(),
            encoding: opts.encoding,
            record: csv::ByteRecord::new(),
            line: 1,
            rows: 0,
        };
        let h = match t.reader.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => return Err(t.csv_error(e)),
        };
        t.headers = (0..h.len())
            .map(|i| t.decode(&h, i, 1, "header"))
            .collect::<Result<Vec<String>, Error>>()?
            .into_iter()
            .map(|s| s.trim().to_string())
            .collect();
        Ok(t)
    }
}

impl<R: Read> Table<R> {
    /// The header's column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Index of a column, or an error naming the columns that exist.
    pub fn column(&self, name: &str) -> Result<usize, Error> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::MissingColumn {
                path: self.path.clone(),
                column: name.to_string(),
                available: self.headers.clone(),
            })
    }

    /// Reads the next row; `Ok(false)` at the end.
    pub fn next_row(&mut self) -> Result<bool, Error> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {
                self.line = self.record.position().map_or(self.line + 1, |p| p.line());
                self.rows += 1;
                Ok(true)
            }
            Ok(false) => {
                if let Some(e) = self.unterminated_quote() {
                    return Err(e);
                }
                if self.rows == 0 {
                    return Err(Error::HeaderOnly {
                        path: self.path.clone(),
                    });
                }
                Ok(false)
            }
            Err(e) => Err(self.csv_error(e)),
        }
    }

    /// 1-based line where the current row starts.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Field `i` of the current row as text (UTF-8 checked, or repaired with `--encoding lossy`).
    pub fn field(&self, i: usize) -> Result<String, Error> {
        let name = self.headers.get(i).map_or("?", String::as_str);
        self.decode(&self.record, i, self.line, name)
    }

    fn decode(
        &self,
        rec: &csv::ByteRecord,
        i: usize,
        line: u64,
        column: &str,
    ) -> Result<String, Error> {
        let mut bytes = rec.get(i).unwrap_or(b"");
        if i + 1 == rec.len() {
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => match self.encoding {
                Encoding::Lossy => Ok(String::from_utf8_lossy(bytes).into_owned()),
                Encoding::Strict => Err(Error::Utf8 {
                    path: self.path.clone(),
                    line,
                    column: column.to_string(),
                    byte: e.valid_up_to(),
                    offset: rec.position().map_or(0, |p| p.byte())
                        + rec.range(i).map_or(0, |r| r.start as u64)
                        + e.valid_up_to() as u64,
                }),
            },
        }
    }

    /// An error when the input ended inside a quoted field.
    fn unterminated_quote(&self) -> Option<Error> {
        let q = self.quotes.get();
        (q.eof && q.inside()).then(|| Error::UnterminatedQuote {
            path: self.path.clone(),
            line: q.opened_at,
        })
    }

    fn csv_error(&self, e: csv::Error) -> Error {
        let q = self.quotes.get();
        if q.too_long {
            return Error::RecordTooLong {
                path: self.path.clone(),
                line: q.record_line,
                limit: MAX_RECORD_BYTES,
            };
        }
        if let Some(q) = self.unterminated_quote() {
            return q;
        }
        let path = self.path.clone();
        match e.kind() {
            csv::ErrorKind::UnequalLengths {
                pos,
                expected_len,
                len,
            } => {
                let line = pos.as_ref().map_or(self.line + 1, |p| p.line());
                let hint = if *len == 1 {
                    " (is the delimiter right? set it explicitly)".to_string()
                } else {
                    String::new()
                };
                Error::Ragged {
                    path,
                    line,
                    expected: *expected_len as usize,
                    found: *len as usize,
                    hint,
                }
            }
            csv::ErrorKind::Io(err) => Error::Io {
                path,
                source: std::io::Error::new(err.kind(), err.to_string()),
            },
            _ => Error::Csv {
                path,
                line: e.position().map_or(self.line, |p| p.line()),
                message: e.to_string(),
            },
        }
    }
}

/// Passes bytes through, hashing them.
struct HashingReader<R> {
    inner: R,
    hasher: std::rc::Rc<std::cell::RefCell<Sha256>>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.borrow_mut().update(&buf[..n]);
        Ok(n)
    }
}

/// Lower-case hex of bytes.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads the next line (without its `\n`) into `buf`; `Ok(false)` at the end. A line
/// longer than [`MAX_RECORD_BYTES`] is an [`Error::RecordTooLong`] at `line` (1-based line
/// of the line being read), found without reading more than the limit.
pub(crate) fn read_line_bounded(
    r: &mut dyn std::io::BufRead,
    buf: &mut Vec<u8>,
    path: &Path,
    line: u64,
) -> Result<bool, Error> {
    buf.clear();
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        };
        if chunk.is_empty() {
            return Ok(!buf.is_empty());
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        buf.extend_from_slice(&chunk[..take]);
        r.consume(take);
        if done {
            buf.pop();
            return Ok(true);
        }
        if buf.len() > MAX_RECORD_BYTES {
            return Err(Error::RecordTooLong {
                path: path.to_path_buf(),
                line,
                limit: MAX_RECORD_BYTES,
            });
        }
    }
}

/// Most bytes [`skip_rest_of_line`] passes over before it gives up: an endless input without
/// a line end (like `/dev/zero`) stops instead of being read for ever.
pub(crate) const MAX_SKIP_BYTES: u64 = 1 << 30;

/// Consumes `r` up to and including the next `\n` (or to its end). `Ok(false)` when no line
/// end came within [`MAX_SKIP_BYTES`].
pub(crate) fn skip_rest_of_line(r: &mut dyn std::io::BufRead) -> std::io::Result<bool> {
    let mut skipped = 0u64;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(true);
        }
        if let Some(i) = chunk.iter().position(|&b| b == b'\n') {
            r.consume(i + 1);
            return Ok(true);
        }
        let n = chunk.len();
        r.consume(n);
        skipped += n as u64;
        if skipped > MAX_SKIP_BYTES {
            return Ok(false);
        }
    }
}

/// Reads a whole plain-text input of at most [`MAX_RECORD_BYTES`].
pub(crate) fn read_text_bounded(r: &mut dyn Read, path: &Path) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    r.take(MAX_RECORD_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            what:
                "one plain-text article (split it into articles, or use a CSV or JSON Lines table)",
            limit: MAX_RECORD_BYTES as u64,
        });
    }
    Ok(bytes)
}

/// Opens a CSV file (or `-` for standard input) as a [`Table`].
pub fn open_table(path: &Path, opts: &CsvOptions) -> Result<Table<TableReader>, Error> {
    let input: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        check_input_file(path)?;
        let f = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Box::new(std::io::BufReader::with_capacity(1 << 16, f))
    };
    Table::from_reader(path, input, opts)
}

/// Why a row of a labelled file was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SkipReason {
    /// The label cell is empty.
    #[serde(rename = "empty label")]
    EmptyLabel,
    /// The text cell is empty or white space.
    #[serde(rename = "empty text")]
    EmptyText,
    /// A [`Filter`] did not match.
    #[serde(rename = "filtered out")]
    FilteredOut,
    /// The label is one of [`LabelSpec::skip_labels`].
    #[serde(rename = "skipped label")]
    SkippedLabel,
}

impl SkipReason {
    /// Every reason.
    pub const ALL: [SkipReason; 4] = [
        SkipReason::EmptyLabel,
        SkipReason::EmptyText,
        SkipReason::FilteredOut,
        SkipReason::SkippedLabel,
    ];

    /// How it reads in messages and model files, e.g. `empty text`.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::EmptyLabel => "empty label",
            SkipReason::EmptyText => "empty text",
            SkipReason::FilteredOut => "filtered out",
            SkipReason::SkippedLabel => "skipped label",
        }
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rows of a labelled file that were used or skipped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RowCounts {
    /// Data rows read.
    pub read: usize,
    /// Rows used.
    pub used: usize,
    /// Rows skipped, by reason.
    pub skipped: BTreeMap<SkipReason, usize>,
}

impl RowCounts {
    /// Rows skipped for any reason.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// Keeps the rows whose column has one of the values (`COL=A|B`), or none of them (`COL!=A|B`).
/// Cells and values are compared after trimming white space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The column.
    pub column: String,
    /// The values.
    pub values: Vec<String>,
    /// Keep rows whose value is *not* one of `values`.
    pub negate: bool,
}

impl Filter {
    /// True when a cell passes.
    pub fn keeps(&self, cell: &str) -> bool {
        let cell = cell.trim();
        self.values.iter().any(|v| v == cell) != self.negate
    }
}

/// `COL=VALUE`, `COL=A|B` or `COL!=VALUE`.
impl std::str::FromStr for Filter {
    type Err = Error;
    fn from_str(s: &str) -> Result<Filter, Error> {
        let bad = || Error::InvalidFilter {
            spec: s.to_string(),
        };
        let (column, values, negate) = match s.split_once("!=") {
            Some((c, v)) => (c, v, true),
            None => {
                let (c, v) = s.split_once('=').ok_or_else(bad)?;
                (c, v, false)
            }
        };
        let column = column.trim();
        if column.is_empty() {
            return Err(bad());
        }
        Ok(Filter {
            column: column.to_string(),
            values: values.split('|').map(|v| v.trim().to_string()).collect(),
            negate,
        })
    }
}

/// The form it was parsed from (`section=body`), as recorded in model files.
impl std::fmt::Display for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = if self.negate { "!=" } else { "=" };
        write!(f, "{}{op}{}", self.column, self.values.join("|"))
    }
}

/// What to read from a labelled CSV.
#[derive(Debug, Clone)]
pub struct LabelSpec {
    /// Text column.
    pub text: String,
    /// Label column.
    pub label: String,
    /// Label values whose rows are skipped (e.g. `No agreement`).
    pub skip_labels: Vec<String>,
    /// Keep only rows that pass every filter, e.g. `section=body`.
    pub filters: Vec<Filter>,
}

impl LabelSpec {
    /// Reads `label` for each row's `text`; no skipped labels, no filters.
    pub fn new(text: &str, label: &str) -> LabelSpec {
        LabelSpec {
            text: text.to_string(),
            label: label.to_string(),
            skip_labels: Vec::new(),
            filters: Vec::new(),
        }
    }

    /// Also skips rows with this label value (consuming builder).
    pub fn skip_label(mut self, value: &str) -> LabelSpec {
        self.skip_labels.push(value.to_string());
        self
    }

    /// Also keeps only the rows that pass `filter` (consuming builder).
    pub fn filter(mut self, filter: Filter) -> LabelSpec {
        self.filters.push(filter);
        self
    }
}

/// Labelled sentences read from a CSV, with what was skipped and why.
#[derive(Debug, Clone)]
pub struct LabelledData {
    /// The file.
    pub path: PathBuf,
    /// What was read from it.
    pub spec: LabelSpec,
    /// SHA-256 of the file's bytes (hex).
    pub sha256: String,
    /// Texts of the usable rows.
    pub texts: Vec<String>,
    /// Labels of the usable rows (trimmed).
    pub labels: Vec<String>,
    /// 1-based line of each usable row.
    pub lines: Vec<u64>,
    /// Rows read and skipped.
    pub rows: RowCounts,
    /// Rows per class.
    pub class_counts: BTreeMap<String, usize>,
    /// Problems that do not stop training (a class with fewer than 2 examples).
    pub warnings: Vec<String>,
}

impl LabelledData {
    /// Two lines: `<file>: N rows read, N used, N skipped (by reason)`, then the class counts.
    pub fn summary(&self) -> String {
        let skipped = self.rows.skipped_total();
        let reasons = self
            .rows
            .skipped
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "{}: {} rows read, {} used, {} skipped{}\nclasses: {}",
            self.path.display(),
            self.rows.read,
            self.rows.used,
            skipped,
            if skipped == 0 {
                String::new()
            } else {
                format!(" ({reasons})")
            },
            self.class_counts
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// Reads a labelled CSV. Rows with empty text, empty label or a skipped label value are
    /// counted and left out; labels are trimmed of surrounding white space.
    pub fn read(path: &Path, spec: &LabelSpec, opts: &CsvOptions) -> Result<LabelledData, Error> {
        check_input_file(path)?;
        let f = std::fs::File::open(path).map_err(|source| Error::io(path, source))?;
        // Streamed through the CSV reader (so a record's length is bounded, and an endless
        // input such as /dev/zero stops at the first overlong record), hashed on the way.
        let hasher = std::rc::Rc::new(std::cell::RefCell::new(Sha256::new()));
        let reader = HashingReader {
            inner: std::io::BufReader::with_capacity(1 << 16, f),
            hasher: hasher.clone(),
        };
        let table = Table::from_reader(path, Box::new(reader), opts)?;
        Self::from_table(path, table, spec, || {
            let digest = std::mem::take(&mut *hasher.borrow_mut()).finalize();
            hex(&digest)
        })
    }

    /// Reads a labelled CSV from its bytes, as [`LabelledData::read`] does (`path` is used in
    /// messages and recorded in the data).
    pub fn from_bytes(
        path: &Path,
        bytes: Vec<u8>,
        spec: &LabelSpec,
        opts: &CsvOptions,
    ) -> Result<LabelledData, Error> {
        let sha256 = hex(&Sha256::digest(&bytes));
        let table = Table::from_reader(path, Box::new(std::io::Cursor::new(bytes)), opts)?;
        Self::from_table(path, table, spec, || sha256)
    }

    /// Reads the rows of `table`; `sha256` gives the file's hash once every byte was read.
    fn from_table(
        path: &Path,
        mut table: Table<TableReader>,
        spec: &LabelSpec,
        sha256: impl FnOnce() -> String,
    ) -> Result<LabelledData, Error> {
        let ti = table.column(&spec.text)?;
        let li = table.column(&spec.label)?;
        let filters = spec
            .filters
            .iter()
            .map(|f| Ok((table.column(&f.column)?, f)))
            .collect::<Result<Vec<_>, Error>>()?;
        let mut data = LabelledData {
            path: path.to_path_buf(),
            spec: spec.clone(),
            sha256: String::new(),
            texts: Vec::new(),
            labels: Vec::new(),
            lines: Vec::new(),
            rows: Default::default(),
            class_counts: BTreeMap::new(),
            warnings: Vec::new(),
        };
        let skip = |reason: SkipReason, rows: &mut RowCounts| {
            *rows.skipped.entry(reason).or_insert(0) += 1;
        };
        while table.next_row()? {
            data.rows.read += 1;
            let text = table.field(ti)?;
            let label = table.field(li)?.trim().to_string();
            if label.contains(['\n', '\r']) {
                if let Some(e) = table.unterminated_quote() {
                    return Err(e);
                }
                return Err(Error::MultilineLabel {
                    path: path.to_path_buf(),
                    line: table.line(),
                    label,
                });
            }
            let mut kept = true;
            for (i, f) in &filters {
                kept &= f.keeps(&table.field(*i)?);
            }
            if !kept {
                skip(SkipReason::FilteredOut, &mut data.rows);
            } else if text.trim().is_empty() {
                skip(SkipReason::EmptyText, &mut data.rows);
            } else if label.is_empty() {
                skip(SkipReason::EmptyLabel, &mut data.rows);
            } else if spec.skip_labels.iter().any(|s| s.trim() == label) {
                skip(SkipReason::SkippedLabel, &mut data.rows);
            } else {
                *data.class_counts.entry(label.clone()).or_insert(0) += 1;
                data.texts.push(text);
                data.labels.push(label);
                data.lines.push(table.line());
            }
        }
        data.sha256 = sha256();
        data.rows.used = data.texts.len();
        if data.texts.is_empty() {
            return Err(Error::NoUsableRows {
                path: path.to_path_buf(),
                read: data.rows.read,
                skipped: data.rows.skipped,
            });
        }
        if data.class_counts.len() == 1 {
            return Err(Error::SingleClassInFile {
                path: path.to_path_buf(),
                column: spec.label.clone(),
                class: data.labels[0].clone(),
            });
        }
        for (class, n) in &data.class_counts {
            if *n < 2 {
                data.warnings.push(format!(
                    "class {class:?} has only {n} example in {}; its probabilities will be unreliable",
                    path.display()
                ));
            }
        }
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_special_equals_a_byte_scan() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(8);
        for _ in 0..20_000 {
            let n = rng.gen_range(0..70);
            let mut s: Vec<u8> = (0..n).map(|_| rng.gen_range(0..=255u8)).collect();
            // Mostly ordinary bytes, with a special byte or two anywhere (or none).
            for _ in 0..rng.gen_range(0..3) {
                if n > 0 {
                    let k = rng.gen_range(0..n);
                    s[k] = [b'"', b'\n', b',', b';'][rng.gen_range(0..4)];
                }
            }
            let d = if rng.gen_bool(0.5) { b',' } else { b';' };
            let expected = s
                .iter()
                .position(|&b| b == b'"' || b == b'\n' || b == d)
                .unwrap_or(s.len());
            assert_eq!(find_special(&s, d), expected, "{s:?}");
        }
    }

    #[test]
    fn quote_state_runs_equal_byte_by_byte() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let alphabet = b"ab,;\"\n\r x\xc3\xa9";
        for case in 0..3_000 {
            let n = rng.gen_range(0..200);
            let bytes: Vec<u8> = (0..n)
                .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
                .collect();
            let start = QuoteState {
                line: 1,
                record_line: 1,
                delimiter: if case % 2 == 0 { b',' } else { b';' },
                // Near the record bound now and then, to cross it inside a run.
                record_bytes: if case % 5 == 0 {
                    MAX_RECORD_BYTES - rng.gen_range(0..50)
                } else {
                    0
                },
                ..QuoteState::default()
            };
            let mut one = start;
            bytes.iter().for_each(|&b| one.push(b));
            // In random chunks, as reads return them.
            let mut runs = start;
            let mut rest = &bytes[..];
            while !rest.is_empty() {
                let k = rng.gen_range(1..=rest.len());
                runs.push_all(&rest[..k]);
                rest = &rest[k..];
            }
            assert_eq!(one, runs, "{:?}", String::from_utf8_lossy(&bytes));
        }
    }

    fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn spec() -> LabelSpec {
        LabelSpec {
            text: "text".into(),
            label: "stance".into(),
            skip_labels: vec!["No agreement".into()],
            filters: vec![],
        }
    }

    /// Random bytes built from CSV-ish pieces: a clear error or data, never a panic.
    #[test]
    fn random_csv_never_panics() {
        use rand::{Rng, SeedableRng};
        let pieces: &[&[u8]] = &[
            b"text",
            b"stance",
            b",",
            b";",
            b"\t",
            b"\"",
            b"\"\"",
            b"\n",
            b"\r\n",
            b"a",
            b"b",
            b" ",
            b"\xff",
            b"\xef\xbb\xbf",
            "é".as_bytes(),
            b"No agreement",
        ];
        let dir = tempfile::tempdir().unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for i in 0..300 {
            let mut bytes = b"text,stance\n".to_vec();
            for _ in 0..rng.gen_range(0..60) {
                bytes.extend_from_slice(pieces[rng.gen_range(0..pieces.len())]);
            }
            let p = write(&dir, &format!("r{i}.csv"), &bytes);
            for enc in [Encoding::Strict, Encoding::Lossy] {
                let opts = CsvOptions {
                    delimiter: None,
                    encoding: enc,
                };
                if let Err(e) = LabelledData::read(&p, &spec(), &opts) {
                    // Every error names the file.
                    assert!(e.to_string().contains(&format!("r{i}.csv")), "{e}");
                }
            }
        }
    }

    /// Issue 11, item 4: a quote inside an unquoted field is an ordinary character (as in
    /// Python's csv and the csv crate), so it neither breaks a valid file nor hides a real
    /// unterminated quote; a label with a line break is refused.
    #[test]
    fn r11_stray_quotes_follow_the_csv_parser() {
        let dir = tempfile::tempdir().unwrap();
        let o = CsvOptions::default();
        let spec = LabelSpec::new("text", "label");
        // One stray quote: valid CSV (Python's csv reads 2 rows).
        let p = write(
            &dir,
            "s.csv",
            b"text,label\nThe 5\" screen broke.,a\nTalks resume.,b\n",
        );
        let d = LabelledData::read(&p, &spec, &o).unwrap();
        assert_eq!(d.texts, ["The 5\" screen broke.", "Talks resume."]);
        // A stray quote, then a real unterminated one: refused at the line it opens.
        let p = write(
            &dir,
            "u.csv",
            b"text,label\nThe 12\" gun fired,mil\ntanks roll,\"mil\ntalks resume,dip\nx,y\n",
        );
        match LabelledData::read(&p, &spec, &o) {
            Err(Error::UnterminatedQuote { line: 3, .. }) => {}
            other => panic!("{other:?}"),
        }
        // A quoted label that holds a line break.
        let p = write(&dir, "n.csv", b"text,label\na,\"mil\ndip\"\nb,dip\nc,mil\n");
        match LabelledData::read(&p, &spec, &o) {
            Err(e @ Error::MultilineLabel { line: 2, .. }) => {
                assert!(e.to_string().contains("n.csv, line 2"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        // Quoted fields after a delimiter other than a comma, `""` inside, and text after a
        // closing quote (the csv crate keeps it).
        let p = write(&dir, "t.csv", b"text;label\n\"a;\"\"b\"\"\";x\n\"c\"d;y\n");
        let d = LabelledData::read(&p, &spec, &o).unwrap();
        assert_eq!(d.texts, ["a;\"b\"", "cd"]);
    }

    /// Issue 11 (endless inputs): a CSV record, a line or an article over
    /// [`MAX_RECORD_BYTES`] is an error at the line it starts on; a record just under the
    /// limit, with its line ends inside quotes, is read.
    #[test]
    fn r11_record_length_is_bounded() {
        let path = Path::new("big.csv");
        let mut bytes = b"text,label\nshort,a\n\"".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES - 100));
        bytes.extend_from_slice(b"\n\",b\nz,a\n");
        let d = LabelledData::from_bytes(
            path,
            bytes.clone(),
            &LabelSpec::new("text", "label"),
            &CsvOptions::default(),
        )
        .unwrap();
        assert_eq!(d.texts.len(), 3);
        bytes.splice(30..30, std::iter::repeat_n(b'y', 200));
        match LabelledData::from_bytes(
            path,
            bytes,
            &LabelSpec::new("text", "label"),
            &CsvOptions::default(),
        ) {
            Err(e @ Error::RecordTooLong { line: 3, .. }) => {
                assert!(
                    e.to_string()
                        .starts_with("big.csv, line 3: a record longer than 16 MiB"),
                    "{e}"
                )
            }
            Err(other) => panic!("{other}"),
            Ok(d) => panic!("read {} rows", d.texts.len()),
        }
        let mut lines = std::io::Cursor::new(b"a\r\nbb\nccc".to_vec());
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while read_line_bounded(&mut lines, &mut buf, path, 1).unwrap() {
            got.push(String::from_utf8(buf.clone()).unwrap());
        }
        assert_eq!(got, ["a\r", "bb", "ccc"]);
        let mut endless = std::io::repeat(b'{');
        let mut endless = std::io::BufReader::new(&mut endless);
        assert!(matches!(
            read_line_bounded(&mut endless, &mut buf, path, 7),
            Err(Error::RecordTooLong { line: 7, .. })
        ));
        assert!(matches!(
            read_text_bounded(&mut std::io::repeat(0), path),
            Err(Error::TooLarge { .. })
        ));
    }

    /// Issue 11, item 4: the quote tracker agrees with the csv crate's own parser on where
    /// every record starts, on random CSV-like bytes (quotes at field starts, inside fields,
    /// doubled, after closing quotes; CR, LF, delimiters), for each delimiter.
    #[test]
    fn r11_quote_tracker_agrees_with_the_csv_crate() {
        use rand::{Rng, SeedableRng};
        let pieces: &[&[u8]] = &[
            b"\"", b"\"\"", b"a", b"5\" x", b"\n", b"\r\n", b",", b";", b"\t", b" ",
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..3000 {
            let mut bytes = Vec::new();
            for _ in 0..rng.gen_range(0..40) {
                bytes.extend_from_slice(pieces[rng.gen_range(0..pieces.len())]);
            }
            for delimiter in [b',', b';', b'\t'] {
                // Where the tracker says records start: the line after a line end outside
                // quotes. The csv crate skips empty lines and reports the record that follows
                // at the line where the skipping began.
                let mut st = QuoteState {
                    line: 1,
                    record_line: 1,
                    delimiter,
                    ..QuoteState::default()
                };
                let mut starts = vec![];
                let mut pending = Some(1);
                for &b in &bytes {
                    if b != b'\n' {
                        if let Some(line) = pending.take() {
                            starts.push(line);
                        }
                    }
                    st.push(b);
                    if b == b'\n' && st.field == Field::Start && pending.is_none() {
                        pending = Some(st.line);
                    }
                }
                let mut rdr = csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .has_headers(false)
                    .flexible(true)
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_reader(&bytes[..]);
                let got: Vec<u64> = rdr
                    .byte_records()
                    .map(|r| r.unwrap().position().unwrap().line())
                    .collect();
                assert_eq!(
                    got,
                    starts,
                    "{:?} with {:?}",
                    String::from_utf8_lossy(&bytes),
                    delimiter as char
                );
            }
        }
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"x;y\",b\n"), b',');
        assert_eq!(sniff_delimiter(b"text\n"), b',');
    }

    #[test]
    fn bom_crlf_semicolon_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "l.csv",
            "\u{feff}text;stance\r\n\"a; b\";pro\r\n;anti\r\nc; \r\nd;No agreement\r\ne;anti\r\nf; pro \r\n".as_bytes(),
        );
        let d = LabelledData::read(&p, &spec(), &CsvOptions::default()).unwrap();
        assert_eq!(d.texts, ["a; b", "e", "f"]);
        assert_eq!(d.labels, ["pro", "anti", "pro"]);
        assert_eq!(d.lines, [2, 6, 7]);
        assert_eq!(d.rows.read, 6);
        assert_eq!(d.rows.skipped[&SkipReason::EmptyText], 1);
        assert_eq!(d.rows.skipped[&SkipReason::EmptyLabel], 1);
        assert_eq!(d.rows.skipped[&SkipReason::SkippedLabel], 1);
        assert!(d.warnings.iter().any(|w| w.contains("\"anti\" has only 1")));
        assert_eq!(d.sha256.len(), 64);
    }

    #[test]
    fn filters_keep_matching_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "f.csv",
            b"text,stance,section
a,x,body
b,y,comment
c,y,body
",
        );
        let mut s = spec();
        s.filters = vec!["section=body".parse().unwrap()];
        let d = LabelledData::read(&p, &s, &CsvOptions::default()).unwrap();
        assert_eq!(d.texts, ["a", "c"]);
        assert_eq!(d.rows.skipped[&SkipReason::FilteredOut], 1);
        s.filters = vec!["nope=body".parse().unwrap()];
        assert!(matches!(
            LabelledData::read(&p, &s, &CsvOptions::default()),
            Err(Error::MissingColumn { .. })
        ));
    }

    #[test]
    fn errors_name_file_line_and_columns() {
        let dir = tempfile::tempdir().unwrap();
        let o = CsvOptions::default();
        let p = write(&dir, "m.csv", b"sentence,label\nx,y\n");
        match LabelledData::read(&p, &spec(), &o) {
            Err(e @ Error::MissingColumn { .. }) => {
                assert!(e.to_string().contains("sentence, label"))
            }
            other => panic!("{other:?}"),
        }
        let p = write(&dir, "r.csv", b"text,stance\nx,y\nz,w,v\n");
        assert!(matches!(
            LabelledData::read(&p, &spec(), &o),
            Err(Error::Ragged { line: 3, .. })
        ));
        let p = write(&dir, "e.csv", b"  \n");
        assert!(matches!(
            LabelledData::read(&p, &spec(), &o),
            Err(Error::Empty { .. })
        ));
        let p = write(&dir, "h.csv", b"text,stance\n");
        assert!(matches!(
            LabelledData::read(&p, &spec(), &o),
            Err(Error::HeaderOnly { .. })
        ));
        let p = write(&dir, "u.csv", b"text,stance\nok,a\nbad \xff byte,b\n");
        assert!(matches!(
            LabelledData::read(&p, &spec(), &o),
            Err(Error::Utf8 {
                line: 3,
                byte: 4,
                ..
            })
        ));
        let lossy = CsvOptions {
            encoding: Encoding::Lossy,
            ..o.clone()
        };
        assert_eq!(
            LabelledData::read(&p, &spec(), &lossy).unwrap().texts[1],
            "bad \u{fffd} byte"
        );
        let p = write(&dir, "s.csv", b"text,stance\nx,a\ny,a\n");
        assert!(matches!(
            LabelledData::read(&p, &spec(), &o),
            Err(Error::SingleClassInFile { .. })
        ));
        let p = write(&dir, "n.csv", b"text,stance\n,a\ny,\n");
        assert!(matches!(
            LabelledData::read(&p, &spec(), &o),
            Err(Error::NoUsableRows { read: 2, .. })
        ));
        let p = write(&dir, "q.csv", b"text,stance\nx,a\n\"never closed,b\ny,a\n");
        assert!(matches!(
            LabelledData::read(&p, &spec(), &o),
            Err(Error::UnterminatedQuote { line: 3, .. })
        ));
        let p = write(&dir, "q2.csv", b"text,stance\nx,a\ny,\"b\nz,a\n");
        assert!(matches!(
            LabelledData::read(&p, &spec(), &o),
            Err(Error::UnterminatedQuote { line: 3, .. })
        ));
        // Doubled quotes inside a quoted field and stray quotes in unquoted fields are fine.
        let p = write(
            &dir,
            "ok.csv",
            b"text,stance\n\"say \"\"hi\"\"\nthere\",a\n5\" screen,b\n7\" screen,b\n",
        );
        assert_eq!(LabelledData::read(&p, &spec(), &o).unwrap().texts.len(), 3);
        assert!(matches!(
            LabelledData::read(&dir.path().join("none.csv"), &spec(), &o),
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            LabelledData::read(dir.path(), &spec(), &o),
            Err(Error::IsDirectory { .. })
        ));
    }
}
