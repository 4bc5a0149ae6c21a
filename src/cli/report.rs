//! `framelens report`: scores file → per-source summary.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use framelens::report::{self, Report, ReportFormat, ReportOptions};

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

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct ReportArgs {
    /// Scores written by `framelens score`: a CSV file, a JSON Lines file (.jsonl, .ndjson),
    /// or - for CSV on standard input.
    scores: PathBuf,
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
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    csv: CsvArgs,
}

pub fn run(a: ReportArgs) -> Result<()> {
    if let Some(out) = &a.out {
        check_out(out, std::slice::from_ref(&a.scores))?;
    }
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
    };
    let r = Report::from_file(&a.scores, &opts)?;
    let text = report::render(
        &r,
        match a.format {
            FormatArg::Md => ReportFormat::Markdown,
            FormatArg::Csv => ReportFormat::Csv,
            FormatArg::Json => ReportFormat::Json,
            FormatArg::Html => ReportFormat::Html,
        },
    );
    match &a.out {
        Some(out) => framelens::io::write_atomic(out, text.as_bytes())
            .with_context(|| format!("writing {}", out.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(())
}
