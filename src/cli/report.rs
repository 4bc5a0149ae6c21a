//! `framelens report`: scores file → per-source summary.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use framelens::report::{self, Partial, Report, ReportFormat, ReportOptions};

use super::{check_out, CsvArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Md,
    Csv,
    Json,
    /// One self-contained HTML page with charts (inline SVG; no scripts, no network requests)
    Html,
}

const AFTER_HELP: &str = "\
For each model and each group: documents, sentences, the share of each predicted label with
95% Wilson intervals (and document-level intervals with 2+ documents per group), the mean
probability of each class, and a chi-square test of group × label.

With --model (the model file that scored, trained with --cv), each label's share is also
estimated correcting for the classifier's errors (adjusted count, adjusted probability
average, EM), the report leads with one of them (the headline) and gives it a 95% bootstrap
interval that resamples documents and the cross-validation behind the correction (none with
fewer than 3 documents). Warnings: classifier error, small groups, sentences that were in the
training data. Without --model the shares are of predicted labels, uncorrected.

Examples:
  framelens report scores.csv
  framelens report scores.csv --model stance.json --format json --out report.json
  framelens report scores.csv --model stance.json --format html --out report.html
  framelens report scores.jsonl --model-name stance --format csv --out stance_by_source.csv
  # frames within each predicted stance
  framelens report scores.csv --by stance_label --model-name frame
  framelens score --model stance.json articles/ | framelens report -

Exit status: 0 success, 1 error (unreadable scores, no model columns, ...),
2 usage error (unknown option, bad value).";

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ScoresFormat {
    /// JSON Lines for .jsonl and .ndjson, CSV otherwise (standard input: CSV)
    Auto,
    /// JSON Lines whatever the name (standard input included)
    Jsonl,
}

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct ReportArgs {
    /// Scores written by `framelens score`: a CSV file, a JSON Lines file (.jsonl, .ndjson),
    /// or - for standard input (CSV, or JSON Lines with --scores-format jsonl).
    #[arg(required_unless_present = "merge")]
    scores: Option<PathBuf>,
    /// How to read the scores.
    #[arg(long, value_enum, default_value = "auto")]
    scores_format: ScoresFormat,
    /// Write the report's sufficient statistics (one line of JSON) instead of the report, to
    /// merge later with --merge: one partial per part of the scores (a Spark partition, a day).
    #[arg(long, conflicts_with_all = ["merge", "format"])]
    partial: bool,
    /// Report on these partial reports (written by --partial, with the same --by, --model,
    /// --model-name, --examples, --distinctive and --date): the same report, byte for byte, as
    /// on all their scores at once.
    #[arg(long, value_name = "PARTIAL", num_args = 1.., conflicts_with = "scores")]
    merge: Vec<PathBuf>,
    /// What the report calls its input (default the scores file, or the partials' input).
    #[arg(long, value_name = "NAME")]
    input_name: Option<String>,
    /// Column(s) to compare groups by, comma-separated: source, doc, a kept column, another
    /// model's label, ..., and `month` (the YYYY-MM of --date), e.g. `source,month`.
    #[arg(long, default_value = "source")]
    by: String,
    /// Report only this model (its column prefix); default every model in the file.
    #[arg(long, value_name = "NAME")]
    model_name: Option<String>,
    /// Model file that scored (repeatable; matched to the scores by file stem, as in
    /// `framelens score`): its cross-validation corrects the shares.
    #[arg(long = "model", value_name = "MODEL")]
    models: Vec<PathBuf>,
    /// Seed of the bootstrap intervals.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Example sentences per group and label (the most confident predictions); 0 for none.
    #[arg(long, value_name = "N", default_value_t = 3)]
    examples: usize,
    /// Distinctive terms per group (Fightin' Words, with --model: the model's analyzer); 0 for none.
    #[arg(long, value_name = "N", default_value_t = 10)]
    distinctive: usize,
    /// The date column (YYYY-MM-DD…) behind the `month` key of --by, e.g. `--by source,month`
    /// on scores written with `score --keep date`.
    #[arg(long, value_name = "COL", default_value = "date")]
    date: String,
    /// A stance index per group: the mean of P(PRO) − P(ANTI) over its sentences, with a
    /// 95% interval (documents resampled), for models with both labels.
    #[arg(long, value_name = "PRO,ANTI")]
    stance_index: Option<String>,
    /// Order of the groups: name, sentences (most first) or share:LABEL (largest headline share
    /// of LABEL first).
    #[arg(long, value_name = "ORDER", default_value = "name")]
    sort: String,
    /// Leave groups with fewer sentences out of the tables and comparisons (they still count
    /// in "all"; a warning lists them).
    #[arg(long, value_name = "N", default_value_t = 0)]
    min_sentences: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    format: FormatArg,
    /// Write to this file (atomically) instead of standard output. Repeat it to write several
    /// formats from one computation of the report, each named by its extension (.md, .csv,
    /// .json, .html), e.g. `--out report.md --out report.json --out report.html`.
    #[arg(long, value_name = "FILE")]
    out: Vec<PathBuf>,
    #[command(flatten)]
    csv: CsvArgs,
}

pub fn run(a: ReportArgs) -> Result<()> {
    let inputs: Vec<PathBuf> = a.scores.iter().chain(&a.merge).cloned().collect();
    for (i, out) in a.out.iter().enumerate() {
        check_out(out, &inputs)?;
        if a.out[..i].contains(out) {
            anyhow::bail!("--out {} is given twice", out.display());
        }
    }
    // One output: --format. Several: each file's extension.
    let outputs: Vec<(&PathBuf, ReportFormat)> = match a.out.as_slice() {
        [one] => vec![(one, a.format.into())],
        many => {
            if a.partial && !many.is_empty() {
                anyhow::bail!("--partial writes one file: give one --out");
            }
            many.iter()
                .map(|p| match ReportFormat::from_extension(p) {
                    Some(f) => Ok((p, f)),
                    None => anyhow::bail!(
                        "--out {}: with several --out, each file's extension names its format: \
                         .md, .csv, .json or .html",
                        p.display()
                    ),
                })
                .collect::<Result<_>>()?
        }
    };
    let mut models = std::collections::BTreeMap::new();
    for p in &a.models {
        let model = framelens::model::Model::load(p)?;
        let named = framelens::score::name_models(vec![(p.clone(), model)])?;
        for n in named {
            if models.insert(n.name.clone(), n.model).is_some() {
                anyhow::bail!("two --model files are named {:?}", n.name);
            }
        }
    }
    let opts = ReportOptions {
        by: a.by,
        model_name: a.model_name,
        csv: a.csv.options(),
        models,
        seed: a.seed,
        examples: a.examples,
        distinctive: a.distinctive,
        min_sentences: a.min_sentences,
        sort: a.sort.parse()?,
        date: a.date,
        stance_index: a
            .stance_index
            .as_deref()
            .map(framelens::report::index::parse_labels)
            .transpose()?,
        jsonl: matches!(a.scores_format, ScoresFormat::Jsonl),
    };
    let report = match &a.scores {
        Some(scores) if a.partial => {
            let mut p = Partial::from_file(scores, &opts)?;
            if let Some(name) = a.input_name {
                p.input = name;
            }
            let text = p.to_json()?;
            return write(a.out.first(), &text);
        }
        _ => {
            let mut r = match &a.scores {
                Some(scores) => Report::from_file(scores, &opts)?,
                None => {
                    let parts = a
                        .merge
                        .iter()
                        .map(|p| Ok((p.display().to_string(), Partial::read(p)?)))
                        .collect::<Result<Vec<_>>>()?;
                    report::partial::merge(parts, &opts)?
                }
            };
            if let Some(name) = a.input_name {
                r.input = name;
            }
            r
        }
    };
    if outputs.is_empty() {
        return write(None, &report::render(&report, a.format.into()));
    }
    for (out, format) in outputs {
        write(Some(out), &report::render(&report, format))?;
    }
    Ok(())
}

/// Writes `text` to `out` (atomically) or to standard output.
fn write(out: Option<&PathBuf>, text: &str) -> Result<()> {
    match out {
        Some(out) => framelens::io::write_atomic(out, text.as_bytes())
            .with_context(|| format!("writing {}", out.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(())
}

impl From<FormatArg> for ReportFormat {
    fn from(f: FormatArg) -> ReportFormat {
        match f {
            FormatArg::Md => ReportFormat::Markdown,
            FormatArg::Csv => ReportFormat::Csv,
            FormatArg::Json => ReportFormat::Json,
            FormatArg::Html => ReportFormat::Html,
        }
    }
}
