//! `framelens report`: scores file → per-source summary.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};

use framelens::report::{self, ReportFormat, ReportOptions};

use super::{check_out, CsvArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Md,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Scores file written by `framelens score` (CSV), or - for standard input.
    scores: PathBuf,
    /// Column to compare groups by.
    #[arg(long, default_value = "source")]
    by: String,
    /// Report only this model (its column prefix); default every model in the file.
    #[arg(long, value_name = "NAME")]
    model_name: Option<String>,
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
    let opts = ReportOptions {
        by: a.by,
        model_name: a.model_name,
        csv: a.csv.options(),
    };
    let r = report::build(&a.scores, &opts)?;
    let text = report::render(
        &r,
        match a.format {
            FormatArg::Md => ReportFormat::Markdown,
            FormatArg::Csv => ReportFormat::Csv,
            FormatArg::Json => ReportFormat::Json,
        },
    );
    match &a.out {
        Some(out) => framelens::io::write_atomic(out, text.as_bytes())
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", out.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(())
}
