//! `framelens score`: texts → one row of class probabilities per sentence, streamed.

use super::eoutln;
use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};

use framelens::model::Model;
use framelens::score::{self, InputFormat, OutputFormat, ScoreOptions};

use super::{check_out, with_output, InputArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OnError {
    Fail,
    Record,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StdinFormat {
    Text,
    Csv,
    Jsonl,
}

const AFTER_HELP: &str = "\
Output columns: source, doc, index, text, the --keep columns, then for each model
<model>_label (the most probable class) and <model>_p_<class> (probabilities, 6 decimals).

Examples:
  # articles/<outlet>/<article>.txt: source = folder name, doc = file stem
  framelens score --model stance.json articles/ --out scores.csv
  # a table of texts, two models, the row id and gold label copied through for joining back
  framelens score --model stance.json --model frame.json items.csv \\
      --text body --source outlet --doc id --keep id,gold --out scores.csv
  # one sentence per JSON line, scored as is, JSON Lines out
  framelens score --model stance.json --no-split --format jsonl sentences.jsonl > scores.jsonl
  cat article.txt | framelens score --model stance.json --source wire -

Exit status: 0 success, 1 error (unreadable input or model, missing column, ...),
2 usage error (unknown option, bad value).";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct ScoreArgs {
    /// Model file (repeatable); columns are named after the file stem, e.g. stance.json →
    /// stance_label, stance_p_<class>.
    #[arg(long = "model", value_name = "MODEL", required = true)]
    models: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Input columns (CSV) or fields (JSON Lines) to copy to the output after `text`, e.g. a
    /// row id, gold label, date or URL, so that scores can be joined back to the input.
    /// Comma-separated or repeated. Not for .txt inputs, which have no columns.
    #[arg(long, value_name = "COL,COL", value_delimiter = ',')]
    keep: Vec<String>,
    /// Score each text as one unit instead of splitting it into sentences.
    #[arg(long)]
    no_split: bool,
    /// Format of standard input when INPUT is -.
    #[arg(long, value_enum, default_value = "text")]
    stdin_format: StdinFormat,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    /// What a JSON Lines record that cannot be used does: fail (name its file and line) or
    /// record (write `{"error": "<file>, line <n>: ...", "doc": ..., ...}` in its place, with
    /// the record's source, doc and --keep fields as far as they can be read, or the start
    /// of the line as `input`, and go on; needs --format jsonl).
    #[arg(long, value_enum, default_value = "fail")]
    on_error: OnError,
}

pub fn run(a: ScoreArgs) -> Result<()> {
    let walk = score::walk_inputs(&a.input.inputs)?;
    for skipped in &walk.skipped {
        eoutln!("framelens: warning: {skipped}")?;
    }
    let inputs = walk.files;
    if let Some(out) = &a.input.out {
        let mut all = inputs.clone();
        all.extend(a.models.iter().cloned());
        check_out(out, &all)?;
    }
    let mut models = Vec::new();
    for p in &a.models {
        models.push((p.clone(), Model::load(p)?));
    }
    let models = score::name_models(models)?;
    let opts = ScoreOptions {
        no_split: a.no_split,
        stdin_format: match a.stdin_format {
            StdinFormat::Text => InputFormat::Text,
            StdinFormat::Csv => InputFormat::Csv,
            StdinFormat::Jsonl => InputFormat::Jsonl,
        },
        format: match a.format {
            FormatArg::Csv => OutputFormat::Csv,
            FormatArg::Jsonl => OutputFormat::Jsonl,
        },
        keep: a.keep.iter().map(|c| c.trim().to_string()).collect(),
        record_errors: matches!(a.on_error, OnError::Record),
        ..a.input.options()
    };
    // Progress is the bytes read from the inputs against their sizes; standard input has no
    // size, so with it the bar shows the bytes read and the rate only.
    let stdin = inputs
        .iter()
        .any(|p| p.as_path() == std::path::Path::new("-"));
    let total: u64 = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = if std::io::stderr().is_terminal() {
        let (b, template) = if stdin {
            (
                indicatif::ProgressBar::no_length(),
                "{spinner} {bytes} read, {bytes_per_sec}",
            )
        } else {
            (
                indicatif::ProgressBar::new(total),
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
        };
        b.set_style(
            indicatif::ProgressStyle::with_template(template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let mut progress = |bytes: u64| {
        if let Some(b) = &bar {
            b.set_position(if stdin { bytes } else { bytes.min(total) });
        }
    };
    let started = std::time::Instant::now();
    let summary = with_output(a.input.out.as_deref(), |w| {
        Ok(score::score(&models, &inputs, &opts, w, &mut progress)?)
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    if a.input.out.is_some() || std::io::stderr().is_terminal() {
        eoutln!(
            "scored {} sentences from {} documents ({:.1} MB) in {:.2}s{}",
            summary.sentences,
            summary.documents,
            summary.bytes as f64 / 1e6,
            secs,
            a.input
                .out
                .as_ref()
                .map_or(String::new(), |o| format!("; wrote {}", o.display()))
        )?;
    }
    Ok(())
}
