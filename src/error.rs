//! The crate's one error type.
//!
//! Every variant carries its context in named fields: the file, the line, the column, the
//! value that was wrong and what was expected. Messages are lowercase and name no
//! command-line flags (the command line adds its own context around them). I/O errors keep
//! the [`std::io::Error`] and the path it happened on.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in framelens.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- reading input ----
    /// The file does not exist.
    #[error("{path}: no such file")]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// A directory where a file is needed.
    #[error("{path}: is a directory, expected a file")]
    IsDirectory {
        /// The path given.
        path: PathBuf,
    },
    /// Any other I/O failure on a named file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing to an output stream failed (the caller knows which file or stream it was).
    #[error("writing output: {source}")]
    Write {
        /// The cause.
        source: std::io::Error,
    },
    /// The file has no bytes (or only white space).
    #[error("{path}: the file is empty, expected a header row and data rows")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// Only a header.
    #[error("{path}: the file has a header row but no data rows")]
    HeaderOnly {
        /// The file.
        path: PathBuf,
    },
    /// A column asked for is not in the header.
    #[error("{path}: no column {column:?}; the columns are: {}", available.join(", "))]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column asked for.
        column: String,
        /// The header's columns.
        available: Vec<String>,
    },
    /// A row with the wrong number of fields.
    #[error(
        "{path}, line {line}: expected {expected} fields (as in the header), found {found}{hint}"
    )]
    Ragged {
        /// The file.
        path: PathBuf,
        /// 1-based line where the row starts.
        line: u64,
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
        /// A hint (wrong delimiter, unterminated quote).
        hint: String,
    },
    /// A quoted field that never closes.
    #[error(
        "{path}, line {line}: a quoted field starts here and is never closed (unterminated quote)"
    )]
    UnterminatedQuote {
        /// The file.
        path: PathBuf,
        /// 1-based line where the field starts.
        line: u64,
    },
    /// Bytes that are not UTF-8 in a table.
    #[error("{path}, line {line}, column {column:?}: invalid UTF-8 at byte {byte} of the field (file byte offset {offset}); save the file as UTF-8, or read it with lossy encoding to replace invalid bytes")]
    Utf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Column name.
        column: String,
        /// Byte offset inside the field.
        byte: usize,
        /// Approximate byte offset in the file.
        offset: u64,
    },
    /// Bytes that are not UTF-8 in a text file.
    #[error("{path}, line {line}: invalid UTF-8 at byte offset {offset}; save the file as UTF-8, or read it with lossy encoding to replace invalid bytes")]
    TextUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Byte offset in the file.
        offset: usize,
    },
    /// Another CSV parse error.
    #[error("{path}, line {line}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What the parser said.
        message: String,
    },
    /// A JSON Lines record that cannot be used.
    #[error("{path}, line {line}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
        /// What identifies the record, when it could be read: its source, document id and
        /// kept fields, named as in the scores (`source`, `doc`, the kept names). An error
        /// record of `score --on-error record` carries them, so that it can be traced back
        /// to its record where the line number cannot (a Spark partition's line).
        record: Vec<(String, String)>,
    },
    /// A CSV record or JSON Lines line longer than the limit (an endless input such as
    /// `/dev/zero`, or a quote left open in a huge file).
    #[error("{path}, line {line}: a record longer than {} MiB without a line end; is the input endless (like /dev/zero), or a quote left open here? framelens reads records of at most {} MiB", limit >> 20, limit >> 20)]
    RecordTooLong {
        /// The file.
        path: PathBuf,
        /// 1-based line where the record starts.
        line: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// An input read whole (a plain-text article, a labelled file) larger than the limit.
    #[error("{path}: larger than {} MiB, the most framelens reads as {what} (is the input endless, like /dev/zero?)", limit >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// What the file was read as, e.g. `one plain-text article`.
        what: &'static str,
        /// The limit in bytes.
        limit: u64,
    },
    /// Standard input given twice as an input.
    #[error("standard input (-) is given twice as an input; it can be read only once")]
    StdinTwice,
    /// A folder given as input holds no text files.
    #[error("{path}: directory has no .txt files")]
    NoTextFiles {
        /// The folder.
        path: PathBuf,
    },
    /// Every row was skipped.
    #[error("{path}: no usable rows ({read} read; skipped: {})", describe(skipped))]
    NoUsableRows {
        /// The file.
        path: PathBuf,
        /// Rows read.
        read: usize,
        /// Skipped rows by reason.
        skipped: BTreeMap<crate::data::SkipReason, usize>,
    },
    /// One class only in a labelled file.
    #[error("{path}: every usable row has the label {class:?} in column {column:?}; a classifier needs at least two classes")]
    SingleClassInFile {
        /// The file.
        path: PathBuf,
        /// Label column.
        column: String,
        /// The one class.
        class: String,
    },
    /// A label cell that holds a line break (usually a quote left open, which swallowed the
    /// rows after it).
    #[error("{path}, line {line}: the label {label:?} spans several lines; a label is one line (is a quote left open in this row?)")]
    MultilineLabel {
        /// The file.
        path: PathBuf,
        /// 1-based line where the row starts.
        line: u64,
        /// The label as read.
        label: String,
    },
    /// A row filter that cannot be parsed.
    #[error("invalid filter {spec:?}: expected COLUMN=VALUE, COLUMN=A|B or COLUMN!=VALUE")]
    InvalidFilter {
        /// The filter as given.
        spec: String,
    },

    // ---- settings ----
    /// A setting's value cannot be parsed or is out of range.
    #[error("invalid {name} {value:?}: expected {expected}")]
    InvalidSetting {
        /// The setting (scikit-learn's option name where there is one, e.g. `min_df`).
        name: &'static str,
        /// The value given.
        value: String,
        /// What is allowed.
        expected: String,
    },
    /// A grid key that does not exist.
    #[error("unknown setting {key:?}; the settings are: {}", crate::config::GridKey::NAMES.join(", "))]
    UnknownGridKey {
        /// The key given.
        key: String,
    },
    /// A grid specification without `=`.
    #[error("invalid grid {spec:?}: expected KEY=V1,V2,...")]
    InvalidGrid {
        /// The specification given.
        spec: String,
    },
    /// The token pattern is not a valid regular expression.
    #[error("invalid token pattern {pattern:?}: {source}")]
    TokenPattern {
        /// The pattern given.
        pattern: String,
        /// The regex error.
        source: Box<regex::Error>,
    },
    /// min_df and max_df leave no room.
    #[error(
        "max_df ({max_df} documents) is below min_df ({min_df} documents) for {n_docs} documents"
    )]
    DfBounds {
        /// min_df in documents.
        min_df: f64,
        /// max_df in documents.
        max_df: f64,
        /// Documents seen.
        n_docs: usize,
    },
    /// A class named in the options is not one of the data's classes.
    #[error("no class {class:?}; the classes are: {}", classes.join(", "))]
    UnknownClass {
        /// The class asked for.
        class: String,
        /// The classes there are.
        classes: Vec<String>,
    },

    // ---- training and evaluation ----
    /// Nothing survived pruning, or the documents had no terms at all.
    #[error("no terms left: the texts produced no terms{hint}")]
    EmptyVocabulary {
        /// What to try.
        hint: String,
    },
    /// No documents to fit on.
    #[error("no documents to fit the vocabulary on")]
    NoDocuments,
    /// Only one class in the training data.
    #[error("the training data has a single class ({class:?}); a classifier needs at least two")]
    SingleClass {
        /// The class.
        class: String,
    },
    /// The optimiser failed.
    #[error("optimisation failed: {reason}")]
    Optimizer {
        /// What the optimiser reported.
        reason: String,
    },
    /// Training inside a cross-validation fold failed.
    #[error("fold {fold}: {source}")]
    Fold {
        /// 1-based fold.
        fold: usize,
        /// The cause.
        source: Box<Error>,
    },
    /// Too few rows for the folds.
    #[error("{folds} folds need at least {folds} rows; {detail}")]
    TooFewRows {
        /// Folds asked for.
        folds: usize,
        /// Class counts.
        detail: String,
    },
    /// No row of a held-out set has a label the model knows.
    #[error("{path}: no row has a label the model knows ({})", classes.join(", "))]
    NoKnownLabels {
        /// The file.
        path: PathBuf,
        /// The model's classes.
        classes: Vec<String>,
    },
    /// A search result file that cannot be read back.
    #[error("{path}: not a result saved by an evaluation ({reason})")]
    NotAnEvalResult {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// An error raised through linfa's traits.
    #[error(transparent)]
    Linfa(#[from] linfa::Error),

    // ---- models ----
    /// A model's or extractor's parts do not fit together.
    #[error("inconsistent {what}: {reason}")]
    Inconsistent {
        /// `model` or `features`.
        what: &'static str,
        /// What does not fit.
        reason: String,
    },
    /// The file is not a framelens model.
    #[error("{path}: not a framelens model file ({reason})")]
    NotAModel {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The model was written by an incompatible format version.
    #[error("{path}: model format version {found}, this framelens ({}) reads version {expected}; retrain the model with this version", env!("CARGO_PKG_VERSION"))]
    Version {
        /// The file.
        path: PathBuf,
        /// Version in the file.
        found: u64,
        /// Version supported.
        expected: u32,
    },
    /// The file is a model but cannot be decoded (truncated or edited).
    #[error("{path}: damaged model file: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file decodes as a model but cannot be used: its parts do not fit together, a
    /// number is out of range, an n-gram size is unbounded, or a class is listed twice.
    #[error("{path}: unusable model file: {reason}")]
    InvalidModel {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Two models would produce the same column names.
    #[error("two models are named {name:?} (a model is named by its file stem); rename one file")]
    DuplicateModel {
        /// The name.
        name: String,
    },

    // ---- reports ----
    /// The scores have no model columns.
    #[error("{path}: no model columns found (expected `<model>_label` and `<model>_p_<class>` columns, as written by `framelens score`); the columns are: {columns}")]
    NoModels {
        /// The file.
        path: PathBuf,
        /// Its columns.
        columns: String,
    },
    /// A model name asked for is not in the scores.
    #[error("{path}: no model named {name:?}; the models are: {available}")]
    UnknownModel {
        /// The file.
        path: PathBuf,
        /// Name asked for.
        name: String,
        /// Names found.
        available: String,
    },
    /// A probability cell is not a number from 0 to 1.
    #[error("{path}, line {line}: column {column:?} should be a probability, found {value:?}")]
    BadNumber {
        /// The file.
        path: PathBuf,
        /// Line.
        line: u64,
        /// Column.
        column: String,
        /// Value.
        value: String,
    },
    // ---- the labelling loop (suggest, agree) ----
    /// Agreement needs at least two coders' files.
    #[error("agreement needs the labels of at least 2 coders, got {found} file(s)")]
    TooFewCoders {
        /// Files given.
        found: usize,
    },
    /// The same id twice in one coder's file.
    #[error("{path}, line {line}: id {id:?} appears twice (first on line {first})")]
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// Line of the repeat.
        line: u64,
        /// Line of the first occurrence.
        first: u64,
        /// The id.
        id: String,
    },
    /// Coders' files that cannot be compared: ids that do not match, labels spelt differently.
    #[error("{path}: {problem}")]
    Coding {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong, with examples.
        problem: String,
    },
}

impl Error {
    /// An [`Error::Io`] on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An [`Error::InvalidSetting`].
    pub fn setting(
        name: &'static str,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> Error {
        Error::InvalidSetting {
            name,
            value: value.into(),
            expected: expected.into(),
        }
    }

    pub(crate) fn inconsistent(what: &'static str, reason: impl Into<String>) -> Error {
        Error::Inconsistent {
            what,
            reason: reason.into(),
        }
    }

    /// True when the error, or the I/O error inside it, is a closed pipe.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Io { source, .. } | Error::Write { source } => {
                source.kind() == std::io::ErrorKind::BrokenPipe
            }
            Error::Fold { source, .. } => source.is_broken_pipe(),
            _ => false,
        }
    }
}

fn describe(skipped: &BTreeMap<crate::data::SkipReason, usize>) -> String {
    if skipped.is_empty() {
        return "none".into();
    }
    skipped
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_and_static() {
        fn check<T: Send + Sync + 'static + std::error::Error>() {}
        check::<Error>();
    }

    #[test]
    fn messages_name_the_file_and_line_and_no_flag() {
        let e = Error::Ragged {
            path: "a.csv".into(),
            line: 7,
            expected: 3,
            found: 2,
            hint: String::new(),
        };
        assert_eq!(
            e.to_string(),
            "a.csv, line 7: expected 3 fields (as in the header), found 2"
        );
        let e = Error::setting("min_df", "-1", "a count >= 0 or a fraction in [0, 1]");
        assert!(!e.to_string().contains("--"), "{e}");
    }

    #[test]
    fn broken_pipe_is_recognised_through_folds() {
        let pipe = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(Error::Write { source: pipe() }.is_broken_pipe());
        let e = Error::Fold {
            fold: 1,
            source: Box::new(Error::io("x", pipe())),
        };
        assert!(e.is_broken_pipe());
        assert!(!Error::NoDocuments.is_broken_pipe());
    }
}
