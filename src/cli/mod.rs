//! Command-line definitions (clap derive) and dispatch. One file per subcommand; every rule
//! beyond the shape of an argument lives in the library.

mod agree;
mod demo;
mod eval;
mod explain;
mod inspect;
mod report;
mod score;
mod split;
mod suggest;
mod train;

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::{Args, CommandFactory, Parser, Subcommand};

use framelens::config::{GridKey, Preset, Recipe, Setting};
use framelens::data::{CsvOptions, Encoding, Filter};

/// Exit codes, shown at the end of every subcommand's help.
pub(crate) const EXIT_CODES: &str =
    "Exit status: 0 success, 1 error (bad input, bad values, failed writes), 2 usage error.";

/// Measure how news outlets frame a conflict: train a sentence classifier on hand-labelled
/// CSV, score articles sentence by sentence, and compare outlets.
#[derive(Debug, Parser)]
#[command(
    name = "framelens",
    version,
    about,
    long_about = None,
    max_term_width = 100,
    after_help = "New here? `framelens demo` scores the bundled seed articles with the bundled \
                  models and prints the report.\n\nExit status: 0 success, 1 error, 2 usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score the bundled seed articles with the bundled models and compare the outlets.
    Demo(demo::DemoArgs),
    /// Split articles into sentences for labelling (id, source, doc, index, text), exactly as
    /// `score` splits them.
    Split(split::SplitArgs),
    /// Train a model on a labelled CSV file.
    Train(train::TrainArgs),
    /// Score texts sentence by sentence with one or more models.
    Score(score::ScoreArgs),
    /// Summarise scores per source: label shares with intervals, and a test of difference.
    Report(report::ReportArgs),
    /// Cross-validate settings (or evaluate a model on held-out data): metrics, grid search,
    /// learning curve.
    Eval(eval::EvalArgs),
    /// Show a model's metadata and the n-grams that weigh most toward each class.
    Inspect(inspect::InspectArgs),
    /// Show the n-grams that pushed a sentence toward (and away from) each class.
    Explain(explain::ExplainArgs),
    /// Suggest the sentences to label next (uncertainty, diversity or random), in one pass.
    Suggest(suggest::SuggestArgs),
    /// Agreement between coders: Cohen's and Fleiss' κ, Krippendorff's α, confusion matrices.
    Agree(agree::AgreeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Example:\n  framelens completions bash > ~/.local/share/bash-completion/completions/framelens\n\n\
                            Exit status: 0 success, 2 usage error."
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on standard output.
    #[command(
        after_help = "Example:\n  framelens man > framelens.1 && man ./framelens.1\n\n\
                            Exit status: 0 success, 1 error, 2 usage error."
    )]
    Man,
}

/// `println!` that returns an error instead of panicking when standard output is closed
/// (e.g. `framelens inspect model.json | head`).
/// The error says it was standard output that failed (e.g. `> /dev/full`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
            .map_err(|e| anyhow::Error::new(e).context("writing standard output"))
    }};
}
pub(crate) use outln;

/// `eprintln!`, shaped like [`outln!`] (returns `Ok`).
macro_rules! eoutln {
    ($($arg:tt)*) => {{
        eprintln!($($arg)*);
        Ok::<(), anyhow::Error>(())
    }};
}
pub(crate) use eoutln;

/// Progress text on standard output that is not the command's result (`train`'s summary
/// lines): a closed or full standard output loses the text but never stops the work
/// (`framelens train ... | head -1` still writes the model).
macro_rules! progress {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
pub(crate) use progress;

/// Writes text to standard output; a closed pipe is an error the caller turns into exit 0.
pub(crate) fn out(text: &str) -> Result<()> {
    use std::io::Write as _;
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())
        .and_then(|()| o.flush())
        .context("writing standard output")
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let r = match cli.command {
        Command::Demo(a) => demo::run(a),
        Command::Split(a) => split::run(a),
        Command::Train(a) => train::run(a),
        Command::Score(a) => score::run(a),
        Command::Report(a) => report::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Inspect(a) => inspect::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Suggest(a) => suggest::run(a),
        Command::Agree(a) => agree::run(a),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "framelens", &mut buf);
            Ok(out(&String::from_utf8_lossy(&buf))?)
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
            Ok(out(&String::from_utf8_lossy(&buf))?)
        }
    };
    r.map_err(flag_context)
}

/// Rewrites library errors in command-line terms: a setting's name becomes its flag
/// (`invalid --min-df ...`), and encoding errors point to `--encoding lossy`. Context the
/// command added (e.g. the grid a value came from) is kept in front.
fn flag_context(err: anyhow::Error) -> anyhow::Error {
    let rewritten = |e: &framelens::Error| match e {
        framelens::Error::InvalidSetting {
            name,
            value,
            expected,
        } => Some(format!(
            "invalid --{} {value}: expected {expected}",
            name.replace(['_', ' '], "-")
        )),
        framelens::Error::Utf8 { .. } | framelens::Error::TextUtf8 { .. } => {
            Some(format!("{e} (--encoding lossy)"))
        }
        framelens::Error::Ragged { hint, .. } if !hint.is_empty() => {
            Some(format!("{e} (--delimiter)"))
        }
        _ => None,
    };
    let mut changed = false;
    let parts: Vec<String> = err
        .chain()
        .map(
            |e| match e.downcast_ref::<framelens::Error>().and_then(&rewritten) {
                Some(m) => {
                    changed = true;
                    m
                }
                None => e.to_string(),
            },
        )
        .collect();
    if changed {
        anyhow::anyhow!(parts.join(": "))
    } else {
        err
    }
}

/// True when the error is a closed pipe (e.g. `framelens score ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<framelens::Error>()
                .is_some_and(framelens::Error::is_broken_pipe)
    })
}

/// Options of the TF-IDF feature extractor and the classifier. Every value goes through the
/// library's one parser ([`GridKey::parse`]), the same as `eval --grid`; a flag given
/// explicitly wins over the preset.
#[derive(Debug, Clone, Args)]
struct RecipeArgs {
    /// Starting configuration: `default` (scikit-learn's defaults plus English stemming and
    /// word 1-2-grams), `sklearn` (exactly scikit-learn's TfidfVectorizer and
    /// LogisticRegression defaults) or `best` (the most accurate on BABE: stemming, word
    /// 1-3-grams, min-df 2, sublinear tf, char_wb 1-6-grams, naive-Bayes scaling, balanced
    /// class weights, C 0.5; see BENCHMARKS.md). Flags below override its values.
    #[arg(long, value_name = "NAME", default_value = "default", value_parser = ["default", "sklearn", "best"], help_heading = "Features")]
    preset: String,
    /// Units of the n-grams: word, char_wb or char. [preset: word]
    #[arg(long, value_parser = key(GridKey::Analyzer), value_name = "KIND", help_heading = "Features")]
    analyzer: Option<String>,
    /// Smallest and largest n, e.g. 1,2. [preset: 1,2; sklearn 1,1; best 1,3]
    #[arg(long, value_parser = key(GridKey::NgramRange), value_name = "MIN,MAX", help_heading = "Features")]
    ngram_range: Option<String>,
    /// Keep terms in at least this many documents (integer) or this fraction of them
    /// (0.0-1.0). [preset: 1; best 2]
    #[arg(long, value_parser = key(GridKey::MinDf), value_name = "N|F", help_heading = "Features")]
    min_df: Option<String>,
    /// Keep terms in at most this many documents (integer) or this fraction of them. [preset: 1.0]
    #[arg(long, value_parser = key(GridKey::MaxDf), value_name = "N|F", help_heading = "Features")]
    max_df: Option<String>,
    /// Keep only the N most frequent terms (or `none`). [preset: none]
    #[arg(long, value_parser = key(GridKey::MaxFeatures), value_name = "N", help_heading = "Features")]
    max_features: Option<String>,
    /// Use 1 + ln(tf) instead of the raw count (true/false; the bare flag means true).
    /// [preset: false; best true]
    #[arg(long, value_parser = key(GridKey::SublinearTf), value_name = "BOOL", num_args = 0..=1, default_missing_value = "true", help_heading = "Features")]
    sublinear_tf: Option<String>,
    /// Row normalisation: l2 or none. [preset: l2]
    #[arg(long, value_parser = key(GridKey::Norm), value_name = "NORM", help_heading = "Features")]
    norm: Option<String>,
    /// Snowball stemmer language (english, french, german, russian, ...) or `none`.
    /// [preset: english for the word analyzer, none for character analyzers; sklearn none]
    #[arg(long, value_parser = key(GridKey::Stem), value_name = "LANG", help_heading = "Features")]
    stem: Option<String>,
    /// Stop words: none, english (keeps not, no, never, against, without, but, cannot, nor,
    /// ...), or a file with one word per line. [preset: none]
    #[arg(long, value_parser = key(GridKey::StopWords), value_name = "none|english|FILE", help_heading = "Features")]
    stop_words: Option<String>,
    /// Do not lowercase.
    #[arg(long, help_heading = "Features")]
    no_lowercase: bool,
    /// Strip accents: unicode, ascii or none. [preset: none]
    #[arg(long, value_parser = key(GridKey::StripAccents), value_name = "HOW", help_heading = "Features")]
    strip_accents: Option<String>,
    /// Token regex (word analyzer). [preset: (?u)\b\w\w+\b, scikit-learn's]
    #[arg(long, value_parser = key(GridKey::TokenPattern), value_name = "REGEX", help_heading = "Features")]
    token_pattern: Option<String>,
    /// Scale every term by its naive-Bayes log-count ratio learnt from the training labels
    /// (Wang & Manning 2012; with 3+ classes the largest one-vs-rest ratio), before
    /// normalising (true/false; the bare flag means true). [preset: false; best true]
    #[arg(long, value_parser = key(GridKey::Nb), value_name = "BOOL", num_args = 0..=1, default_missing_value = "true", help_heading = "Features")]
    nb: Option<String>,
    /// Add char_wb n-grams of this range (e.g. 2,5) beside the main analyzer's features, each
    /// part normalised separately (as scikit-learn's FeatureUnion); `none` for no block.
    /// [preset: none; best 1,6]
    #[arg(long, value_parser = key(GridKey::CharWb), value_name = "MIN,MAX", help_heading = "Features")]
    char_wb: Option<String>,
    /// Inverse regularisation strength (scikit-learn's C). [preset: 1; best 0.5]
    #[arg(long = "c", value_parser = key(GridKey::C), value_name = "C", help_heading = "Model")]
    c: Option<String>,
    /// Class weighting: none, or balanced = n / (classes × class count). [preset: none; best balanced]
    #[arg(long, value_parser = key(GridKey::ClassWeight), value_name = "HOW", help_heading = "Model")]
    class_weight: Option<String>,
    /// Maximum L-BFGS iterations. [preset: 1000]
    #[arg(long, value_parser = key(GridKey::MaxIter), value_name = "N", help_heading = "Model")]
    max_iter: Option<String>,
    /// Stop when the gradient norm (of the objective divided by C·n) is below this. [preset: 1e-6]
    #[arg(long, value_parser = key(GridKey::Tol), value_name = "TOL", help_heading = "Model")]
    tol: Option<String>,
    /// Seed for anything random (fold assignment).
    #[arg(long, default_value_t = 0, help_heading = "Model")]
    seed: u64,
}

/// A clap value parser that checks a flag's value with the library's parser for `key` (the
/// one `eval --grid` uses) and keeps the text, so a malformed value is a usage error.
fn key(
    key: GridKey,
) -> impl Fn(&str) -> std::result::Result<String, framelens::Error> + Clone + Send + Sync + 'static
{
    move |s: &str| key.parse(s).map(|_| s.to_string())
}

impl RecipeArgs {
    /// The flags given explicitly, as settings, in a fixed order (the analyzer first, so an
    /// explicit --stem after it applies).
    fn settings(&self) -> Result<Vec<Setting>> {
        let lowercase = self.no_lowercase.then(|| "false".to_string());
        let flags: [(GridKey, &Option<String>); 19] = [
            (GridKey::Analyzer, &self.analyzer),
            (GridKey::NgramRange, &self.ngram_range),
            (GridKey::MinDf, &self.min_df),
            (GridKey::MaxDf, &self.max_df),
            (GridKey::MaxFeatures, &self.max_features),
            (GridKey::SublinearTf, &self.sublinear_tf),
            (GridKey::Norm, &self.norm),
            (GridKey::Stem, &self.stem),
            (GridKey::StopWords, &self.stop_words),
            (GridKey::Lowercase, &lowercase),
            (GridKey::StripAccents, &self.strip_accents),
            (GridKey::TokenPattern, &self.token_pattern),
            (GridKey::Nb, &self.nb),
            (GridKey::CharWb, &self.char_wb),
            (GridKey::C, &self.c),
            (GridKey::ClassWeight, &self.class_weight),
            (GridKey::MaxIter, &self.max_iter),
            (GridKey::Tol, &self.tol),
            (GridKey::Analyzer, &None),
        ];
        let mut out = Vec::new();
        for (key, value) in flags {
            if let Some(v) = value {
                out.push(key.parse(v)?);
            }
        }
        Ok(out)
    }

    fn preset(&self) -> Result<Preset> {
        Ok(self.preset.parse()?)
    }

    /// The recipe: the preset with the explicit flags over it.
    fn recipe(&self) -> Result<Recipe> {
        Ok(Recipe {
            preset: self.preset()?,
            settings: self.settings()?,
        })
    }

    /// True when --preset was left at `default` and no feature or model flag was given.
    fn is_default(&self) -> Result<bool> {
        Ok(self.preset()? == Preset::Default && self.settings()?.is_empty())
    }
}

/// Which rows of which labelled CSV to use.
#[derive(Debug, Clone, Args)]
struct DataArgs {
    /// Labelled CSV file (header row; delimiter , ; or tab).
    #[arg(long, value_name = "FILE")]
    data: PathBuf,
    /// Column holding the sentence text.
    #[arg(long, value_name = "COL")]
    text: String,
    /// Column holding the label.
    #[arg(long, value_name = "COL")]
    label: String,
    /// Skip rows with this label value (repeatable), e.g. --skip-label "No agreement".
    #[arg(long, value_name = "VALUE")]
    skip_label: Vec<String>,
    /// Keep only rows where COL equals VALUE (repeatable; all must hold): COL=VALUE,
    /// COL=A|B (any of several values) or COL!=VALUE (leave an outlet out), e.g.
    /// --filter section=body --filter 'outlet!=Fox News'.
    #[arg(long, value_name = "COL=VALUE")]
    filter: Vec<String>,
    #[command(flatten)]
    csv: CsvArgs,
}

impl DataArgs {
    fn spec(&self) -> Result<framelens::data::LabelSpec> {
        Ok(framelens::data::LabelSpec {
            text: self.text.clone(),
            label: self.label.clone(),
            skip_labels: self.skip_label.clone(),
            filters: self
                .filter
                .iter()
                .map(|f| f.parse::<Filter>())
                .collect::<Result<_, _>>()?,
        })
    }

    fn read(&self) -> Result<framelens::data::LabelledData> {
        let data =
            framelens::data::LabelledData::read(&self.data, &self.spec()?, &self.csv.options())?;
        for w in &data.warnings {
            eoutln!("framelens: warning: {w}")?;
        }
        Ok(data)
    }
}

/// How CSV input is read.
#[derive(Debug, Clone, Args)]
struct CsvArgs {
    /// CSV delimiter: , ; tab (or \t); detected from the header when omitted.
    #[arg(long, value_name = "C", value_parser = parse_delimiter, help_heading = "Input")]
    delimiter: Option<u8>,
    /// strict: stop at bytes that are not UTF-8 (naming file, line, offset); lossy: replace them.
    #[arg(long, value_name = "HOW", default_value = "strict", value_parser = ["strict", "lossy"], help_heading = "Input")]
    encoding: String,
}

fn parse_delimiter(s: &str) -> std::result::Result<u8, String> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!(
            "expected one ASCII character such as , ; or tab, got {s:?}"
        )),
    }
}

impl CsvArgs {
    fn options(&self) -> CsvOptions {
        CsvOptions {
            delimiter: self.delimiter,
            encoding: if self.encoding == "lossy" {
                Encoding::Lossy
            } else {
                Encoding::Strict
            },
        }
    }
}

/// Texts to read: files, folders, tables or standard input (shared by `score` and `split`).
#[derive(Debug, Clone, Args)]
struct InputArgs {
    /// Inputs: .txt files, directories of .txt files (source = directory name), .csv/.tsv or
    /// .jsonl files with a text column, or - for standard input.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<PathBuf>,
    /// Text column (CSV) or field (JSONL).
    #[arg(long, value_name = "COL", default_value = "text")]
    text: String,
    /// Source: the column/field holding it (CSV, JSONL), or the name to use (.txt inputs).
    #[arg(long, value_name = "COL|NAME")]
    source: Option<String>,
    /// Document id column/field (CSV, JSONL); default the row number (the file stem for .txt).
    #[arg(long, value_name = "COL")]
    doc: Option<String>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    csv: CsvArgs,
    /// Sentence splitting rules, by ISO 639 code: en (English news), ru, uk (the same rules
    /// with Russian/Ukrainian abbreviations), or any other code (Wikimedia's sentencex rules).
    #[arg(long, value_name = "CODE", default_value = "en", value_parser = parse_language)]
    language: framelens::text::SentenceLanguage,
}

/// Parses `--language` with the library's check.
fn parse_language(s: &str) -> Result<framelens::text::SentenceLanguage, String> {
    framelens::text::SentenceLanguage::parse(s).map_err(|e| e.to_string())
}

impl InputArgs {
    /// Scoring options for these inputs (the rest at their defaults).
    fn options(&self) -> framelens::score::ScoreOptions {
        framelens::score::ScoreOptions {
            text: self.text.clone(),
            source: self.source.clone(),
            doc: self.doc.clone(),
            source_name: self.source.clone(),
            csv: self.csv.options(),
            language: self.language.clone(),
            ..framelens::score::ScoreOptions::default()
        }
    }
}

/// Runs `write` on `--out` (atomically) or on standard output.
fn with_output<T>(
    out: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<T>,
) -> Result<T> {
    framelens::io::with_output(out, write)
}

/// Checks an output path before any work.
fn check_out(out: &std::path::Path, inputs: &[PathBuf]) -> Result<()> {
    let refs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    framelens::io::check_output(out, &refs).map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn value_parsers() {
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter(";;").is_err());
    }

    #[test]
    fn setting_errors_name_the_flag() {
        let e = flag_context(framelens::Error::setting("min_df", "-1", "a count").into());
        assert_eq!(e.to_string(), "invalid --min-df -1: expected a count");
        let e = flag_context(
            anyhow::Error::from(framelens::Error::setting("c", "0", "a number > 0"))
                .context("in --grid c=0,1"),
        );
        assert_eq!(
            format!("{e:#}"),
            "in --grid c=0,1: invalid --c 0: expected a number > 0"
        );
    }
}
