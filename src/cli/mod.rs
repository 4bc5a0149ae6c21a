//! Command-line definitions (clap derive) and dispatch. One file per subcommand.

mod demo;
pub(crate) mod eval;
mod inspect;
mod report;
mod score;
mod split;
mod train;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use framelens::data::{CsvOptions, Encoding};
use framelens::eval::Config;
use framelens::features::{DocFreq, Norm, TfidfConfig};
use framelens::model::{ClassWeight, LogisticParams, LogisticValidParams};
use framelens::text::{
    AnalyzerConfig, AnalyzerKind, Language, StopWords, StripAccents, DEFAULT_TOKEN_PATTERN,
};

/// Measure how news outlets frame a conflict: train a sentence classifier on hand-labelled
/// CSV, score articles sentence by sentence, and compare outlets.
#[derive(Debug, Parser)]
#[command(name = "framelens", version, about, long_about = None, max_term_width = 100)]
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
    /// Summarise a scores file per source: label shares with intervals, and a test of difference.
    Report(report::ReportArgs),
    /// Cross-validate settings (or evaluate a model on held-out data): metrics, grid search,
    /// learning curve.
    Eval(eval::EvalArgs),
    /// Show a model's metadata and its most heavily weighted n-grams.
    Inspect(inspect::InspectArgs),
}

/// `println!` that returns an error instead of panicking when standard output is closed
/// (e.g. `framelens inspect model.json | head`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}
pub(crate) use outln;

/// `eprintln!`, shaped like [`outln!`] (returns `Ok`).
macro_rules! eoutln {
    ($($arg:tt)*) => {{
        eprintln!($($arg)*);
        Ok::<(), std::io::Error>(())
    }};
}
pub(crate) use eoutln;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Demo(a) => demo::run(a),
        Command::Split(a) => split::run(a),
        Command::Train(a) => train::run(a),
        Command::Score(a) => score::run(a),
        Command::Report(a) => report::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Inspect(a) => inspect::run(a),
    }
}

/// True when the error is a closed pipe (e.g. `framelens score ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.to_string().contains("Broken pipe")
    })
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AnalyzerArg {
    Word,
    #[value(name = "char_wb")]
    CharWb,
    Char,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum NormArg {
    L2,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AccentsArg {
    Unicode,
    Ascii,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ClassWeightArg {
    None,
    Balanced,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EncodingArg {
    Strict,
    Lossy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PresetArg {
    /// The most accurate configuration measured on BABE (BENCHMARKS.md): English stemming,
    /// word 1-3-grams, min-df 2, sublinear tf, char_wb 1-6-grams, naive-Bayes scaling,
    /// balanced class weights, C = 0.5.
    Best,
}

/// The `best` preset (BENCHMARKS.md: 0.752 macro-F1 on BABE label_bias against 0.732 for the
/// best scikit-learn-equivalent setting on the same folds).
fn best_preset() -> Result<Config> {
    use linfa::ParamGuard;
    let mut word = TfidfConfig::default();
    word.analyzer.stem = Some(Language::English);
    word.analyzer.ngram_range = (1, 3);
    word.min_df = DocFreq::Count(2);
    word.sublinear_tf = true;
    word.nb = true;
    let chars = char_wb_part(&word, (1, 6));
    Ok(Config {
        features: vec![word, chars],
        params: LogisticParams::new()
            .c(0.5)
            .class_weight(ClassWeight::Balanced)
            .check()?,
    })
}

/// Options of the TF-IDF feature extractor (scikit-learn's TfidfVectorizer names).
#[derive(Debug, Clone, Args)]
struct FeatureArgs {
    /// A named configuration that replaces the feature options and --c/--class-weight:
    /// `best` (see BENCHMARKS.md). Without it, the defaults below are scikit-learn's where
    /// scikit-learn has the option (except stemming and 1-2-grams).
    #[arg(long, value_enum, help_heading = "Features")]
    preset: Option<PresetArg>,
    /// Units of the n-grams.
    #[arg(long, value_enum, default_value = "word", help_heading = "Features")]
    analyzer: AnalyzerArg,
    /// Smallest and largest n, e.g. 1,2.
    #[arg(long, value_name = "MIN,MAX", default_value = "1,2", value_parser = parse_range, help_heading = "Features")]
    ngram_range: (usize, usize),
    /// Keep terms in at least this many documents (integer) or this fraction of them (0.0-1.0).
    #[arg(long, default_value = "1", help_heading = "Features")]
    min_df: String,
    /// Keep terms in at most this many documents (integer) or this fraction of them.
    #[arg(long, default_value = "1.0", help_heading = "Features")]
    max_df: String,
    /// Keep only the N most frequent terms.
    #[arg(long, value_name = "N", help_heading = "Features")]
    max_features: Option<usize>,
    /// Use 1 + ln(tf) instead of the raw count.
    #[arg(long, help_heading = "Features")]
    sublinear_tf: bool,
    /// Row normalisation.
    #[arg(long, value_enum, default_value = "l2", help_heading = "Features")]
    norm: NormArg,
    /// Snowball stemmer language (english, french, german, russian, ...) or `none`.
    /// Default: english for the word analyzer, none for character analyzers.
    #[arg(long, value_name = "LANG", help_heading = "Features")]
    stem: Option<String>,
    /// Stop words: none, english (keeps not, no, never, against, without, but, cannot, nor, ...),
    /// or a file with one word per line.
    #[arg(
        long,
        default_value = "none",
        value_name = "none|english|FILE",
        help_heading = "Features"
    )]
    stop_words: String,
    /// Do not lowercase.
    #[arg(long, help_heading = "Features")]
    no_lowercase: bool,
    /// Strip accents.
    #[arg(long, value_enum, help_heading = "Features")]
    strip_accents: Option<AccentsArg>,
    /// Token regex (word analyzer).
    #[arg(long, default_value = DEFAULT_TOKEN_PATTERN, help_heading = "Features")]
    token_pattern: String,
    /// Scale every term by its naive-Bayes log-count ratio learnt from the training labels
    /// (Wang & Manning 2012; with 3+ classes the largest one-vs-rest ratio), before normalising.
    #[arg(long, help_heading = "Features")]
    nb: bool,
    /// Add char_wb n-grams of this range (e.g. 2,5) beside the main analyzer's features,
    /// each part normalised separately (as scikit-learn's FeatureUnion).
    #[arg(long, value_name = "MIN,MAX", value_parser = parse_range, help_heading = "Features")]
    char_wb: Option<(usize, usize)>,
}

fn parse_range(s: &str) -> std::result::Result<(usize, usize), String> {
    let (a, b) = s
        .split_once([',', ':', '-'])
        .ok_or_else(|| format!("expected MIN,MAX such as 1,2, got {s:?}"))?;
    let a: usize = a
        .trim()
        .parse()
        .map_err(|_| format!("MIN must be a whole number, got {a:?}"))?;
    let b: usize = b
        .trim()
        .parse()
        .map_err(|_| format!("MAX must be a whole number, got {b:?}"))?;
    if a == 0 || a > b {
        return Err(format!("need 1 <= MIN <= MAX, got {a},{b}"));
    }
    Ok((a, b))
}

impl FeatureArgs {
    /// The feature parts: the main analyzer, plus char_wb n-grams with `--char-wb`.
    fn configs(&self) -> Result<Vec<TfidfConfig>> {
        let main = self.config()?;
        let mut parts = vec![main.clone()];
        if let Some(range) = self.char_wb {
            parts.push(char_wb_part(&main, range));
        }
        Ok(parts)
    }

    fn config(&self) -> Result<TfidfConfig> {
        let analyzer = match self.analyzer {
            AnalyzerArg::Word => AnalyzerKind::Word,
            AnalyzerArg::CharWb => AnalyzerKind::CharWb,
            AnalyzerArg::Char => AnalyzerKind::Char,
        };
        let stem = match self.stem.as_deref() {
            None if analyzer == AnalyzerKind::Word => Some(Language::English),
            None | Some("none") => None,
            Some(name) => match Language::from_name(&name.to_ascii_lowercase()) {
                Some(l) => Some(l),
                None => bail!(
                    "invalid --stem {name:?}: expected none or one of {}",
                    Language::ALL.map(|l| l.name()).join(", ")
                ),
            },
        };
        let stop_words = match self.stop_words.as_str() {
            "none" => StopWords::None,
            "english" => StopWords::English,
            file => {
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("reading --stop-words file {file}"))?;
                StopWords::List(
                    text.lines()
                        .map(|l| l.trim().to_lowercase())
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .collect(),
                )
            }
        };
        Ok(TfidfConfig {
            analyzer: AnalyzerConfig {
                analyzer,
                ngram_range: self.ngram_range,
                lowercase: !self.no_lowercase,
                strip_accents: self.strip_accents.map(|a| match a {
                    AccentsArg::Unicode => StripAccents::Unicode,
                    AccentsArg::Ascii => StripAccents::Ascii,
                }),
                token_pattern: self.token_pattern.clone(),
                stop_words,
                stem,
            },
            min_df: DocFreq::parse("min-df", &self.min_df)?,
            max_df: DocFreq::parse("max-df", &self.max_df)?,
            max_features: self.max_features,
            sublinear_tf: self.sublinear_tf,
            smooth_idf: true,
            norm: match self.norm {
                NormArg::L2 => Norm::L2,
                NormArg::None => Norm::None,
            },
            nb: self.nb,
        })
    }
}

/// A char_wb part that shares the main part's document-frequency and tf settings.
fn char_wb_part(main: &TfidfConfig, range: (usize, usize)) -> TfidfConfig {
    let mut c = main.clone();
    c.analyzer.analyzer = AnalyzerKind::CharWb;
    c.analyzer.ngram_range = range;
    c.analyzer.stem = None;
    c.analyzer.stop_words = StopWords::None;
    c.max_features = None;
    c
}

/// The configuration to train or evaluate: a preset, or the feature and model options.
fn configure(features: &FeatureArgs, model: &ModelArgs) -> Result<Config> {
    match features.preset {
        Some(PresetArg::Best) => best_preset(),
        None => Ok(Config {
            features: features.configs()?,
            params: model.params()?,
        }),
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
    /// Keep only rows where COL equals VALUE (repeatable), e.g. --filter section=body.
    #[arg(long, value_name = "COL=VALUE", value_parser = parse_filter)]
    filter: Vec<(String, String)>,
    #[command(flatten)]
    csv: CsvArgs,
}

fn parse_filter(s: &str) -> std::result::Result<(String, String), String> {
    s.split_once('=')
        .map(|(c, v)| (c.trim().to_string(), v.trim().to_string()))
        .filter(|(c, _)| !c.is_empty())
        .ok_or_else(|| format!("expected COL=VALUE, got {s:?}"))
}

impl DataArgs {
    fn read(&self) -> Result<framelens::data::LabelledData> {
        let spec = framelens::data::LabelSpec {
            text: self.text.clone(),
            label: self.label.clone(),
            skip_labels: self.skip_label.clone(),
            filters: self.filter.clone(),
        };
        let data = framelens::data::LabelledData::read(&self.data, &spec, &self.csv.options())?;
        for w in &data.warnings {
            eoutln!("framelens: warning: {w}")?;
        }
        Ok(data)
    }

    /// One line: rows read, used, skipped by reason; then the class counts.
    fn describe(&self, data: &framelens::data::LabelledData) -> String {
        let skipped: usize = data.rows.skipped.values().sum();
        let reasons = data
            .rows
            .skipped
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "{}: {} rows read, {} used, {} skipped{}\nclasses: {}",
            self.data.display(),
            data.rows.read,
            data.rows.used,
            skipped,
            if skipped == 0 {
                String::new()
            } else {
                format!(" ({reasons})")
            },
            data.class_counts
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Options of the logistic regression.
#[derive(Debug, Clone, Args)]
struct ModelArgs {
    /// Inverse regularisation strength (scikit-learn's C).
    #[arg(long = "c", default_value_t = 1.0, help_heading = "Model")]
    c: f64,
    /// Class weighting: none, or balanced = n / (classes × class count).
    #[arg(long, value_enum, default_value = "none", help_heading = "Model")]
    class_weight: ClassWeightArg,
    /// Maximum L-BFGS iterations.
    #[arg(long, default_value_t = 1000, help_heading = "Model")]
    max_iter: u64,
    /// Stop when the gradient norm (of the objective divided by C·n) is below this.
    #[arg(long, default_value_t = 1e-6, help_heading = "Model")]
    tol: f64,
    /// Seed for anything random (fold assignment).
    #[arg(long, default_value_t = 0, help_heading = "Model")]
    seed: u64,
}

impl ModelArgs {
    fn params(&self) -> Result<LogisticValidParams> {
        use linfa::ParamGuard;
        Ok(LogisticParams::new()
            .c(self.c)
            .class_weight(match self.class_weight {
                ClassWeightArg::None => ClassWeight::None,
                ClassWeightArg::Balanced => ClassWeight::Balanced,
            })
            .max_iter(self.max_iter)
            .tol(self.tol)
            .check()?)
    }
}

/// How CSV input is read.
#[derive(Debug, Clone, Args)]
struct CsvArgs {
    /// CSV delimiter: , ; tab (or \t); detected from the header when omitted.
    #[arg(long, value_name = "C", value_parser = parse_delimiter, help_heading = "Input")]
    delimiter: Option<u8>,
    /// strict: stop at bytes that are not UTF-8 (naming file, line, offset); lossy: replace them.
    #[arg(long, value_enum, default_value = "strict", help_heading = "Input")]
    encoding: EncodingArg,
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
            encoding: match self.encoding {
                EncodingArg::Strict => Encoding::Strict,
                EncodingArg::Lossy => Encoding::Lossy,
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
            ..framelens::score::ScoreOptions::default()
        }
    }
}

/// Runs `write` on `--out` (a temporary file renamed into place when `write` succeeds) or on
/// standard output.
fn with_output<T>(
    out: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<T>,
) -> Result<T> {
    use std::io::Write as _;
    match out {
        Some(out) => {
            let mut file = framelens::io::AtomicFile::create(out)
                .with_context(|| format!("creating {}", out.display()))?;
            let t = {
                let mut w = std::io::BufWriter::new(&mut file);
                let t = write(&mut w)?;
                w.flush()?;
                t
            };
            file.commit()
                .with_context(|| format!("writing {}", out.display()))?;
            Ok(t)
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            let t = write(&mut w)?;
            w.flush()?;
            Ok(t)
        }
    }
}

/// Checks an output path before any work.
fn check_out(out: &std::path::Path, inputs: &[PathBuf]) -> Result<()> {
    let refs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    framelens::io::check_output(out, &refs).map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn value_parsers() {
        assert_eq!(parse_range("1,3"), Ok((1, 3)));
        assert!(parse_range("3,1").is_err());
        assert!(parse_range("x").is_err());
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter(";;").is_err());
    }
}
