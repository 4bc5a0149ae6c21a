//! `framelens score`: texts → one row of class probabilities per sentence, streamed.

use super::eoutln;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use framelens::model::Model;
use framelens::score::{self, InputFormat, OutputFormat, ScoreOptions};

use super::{check_out, CsvArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StdinFormat {
    Text,
    Csv,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Model file (repeatable); columns are named after the file stem, e.g. stance.json →
    /// stance_label, stance_p_<class>.
    #[arg(long = "model", value_name = "MODEL", required = true)]
    models: Vec<PathBuf>,
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
    /// Score each text as one unit instead of splitting it into sentences.
    #[arg(long)]
    no_split: bool,
    /// Format of standard input when INPUT is -.
    #[arg(long, value_enum, default_value = "text")]
    stdin_format: StdinFormat,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    csv: CsvArgs,
}

pub fn run(a: ScoreArgs) -> Result<()> {
    let inputs = score::expand_inputs(&a.inputs)?;
    if let Some(out) = &a.out {
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
        text: a.text,
        source: a.source.clone(),
        doc: a.doc,
        source_name: a.source,
        no_split: a.no_split,
        stdin_format: match a.stdin_format {
            StdinFormat::Text => InputFormat::Text,
            StdinFormat::Csv => InputFormat::Csv,
            StdinFormat::Jsonl => InputFormat::Jsonl,
        },
        csv: a.csv.options(),
        format: match a.format {
            FormatArg::Csv => OutputFormat::Csv,
            FormatArg::Jsonl => OutputFormat::Jsonl,
        },
        with_id: false,
    };
    let total: u64 = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(total);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let mut progress = |bytes: u64| {
        if let Some(b) = &bar {
            b.set_position(bytes.min(total));
        }
    };
    let started = std::time::Instant::now();
    let summary = match &a.out {
        Some(out) => {
            let mut file = framelens::io::AtomicFile::create(out)
                .with_context(|| format!("creating {}", out.display()))?;
            let s = {
                let mut w = std::io::BufWriter::new(&mut file);
                let s = score::score(&models, &inputs, &opts, &mut w, &mut progress)?;
                w.flush()?;
                s
            };
            file.commit()
                .with_context(|| format!("writing {}", out.display()))?;
            s
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let s = score::score(&models, &inputs, &opts, &mut w, &mut progress)?;
            w.flush()?;
            s
        }
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    if a.out.is_some() || std::io::stderr().is_terminal() {
        eoutln!(
            "scored {} sentences from {} documents ({:.1} MB) in {:.2}s{}",
            summary.sentences,
            summary.documents,
            summary.bytes as f64 / 1e6,
            secs,
            a.out
                .as_ref()
                .map_or(String::new(), |o| format!("; wrote {}", o.display()))
        )?;
    }
    Ok(())
}
