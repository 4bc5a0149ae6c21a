//! `framelens agree`: agreement between coders.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use framelens::label::agree::{self, AgreeOptions};

use super::{check_out, eoutln, out, CsvArgs, EXIT_CODES};

#[derive(Debug, Args)]
#[command(after_help = format!("\
One CSV file per coder, rows matched on the id column; an empty cell is a missing label.
Per column: observed agreement, Cohen's κ (two coders), Fleiss' κ (items every coder
labelled), Krippendorff's α (nominal, missing labels allowed), per-class (specific)
agreement and the coder × coder confusion matrices, as Markdown on standard output.

Examples:
  framelens agree coder_a.csv coder_b.csv --columns stance,frame
  framelens agree a.csv b.csv c.csv --columns stance --partial --out disagreements.csv

{EXIT_CODES}"))]
pub struct AgreeArgs {
    /// The coders' CSV files (two or more).
    #[arg(value_name = "CODER.csv", required = true)]
    files: Vec<PathBuf>,
    /// Coded columns to compare (comma-separated or repeated).
    #[arg(long, value_name = "COL,COL", value_delimiter = ',', required = true)]
    columns: Vec<String>,
    /// Column the rows are matched on.
    #[arg(long, value_name = "COL", default_value = "id")]
    id: String,
    /// Text column copied into the disagreements table (when a file has it).
    #[arg(long, value_name = "COL", default_value = "text")]
    text: String,
    /// Accept ids missing from some files (their labels count as missing) instead of failing.
    #[arg(long)]
    partial: bool,
    /// Write the rows to adjudicate (every coder's label side by side) to this CSV file.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    csv: CsvArgs,
}

pub fn run(a: AgreeArgs) -> Result<()> {
    if let Some(o) = &a.out {
        check_out(o, &a.files)?;
    }
    let opts = AgreeOptions {
        id: a.id.clone(),
        columns: a.columns.iter().map(|c| c.trim().to_string()).collect(),
        text: a.text.clone(),
        partial: a.partial,
        csv: a.csv.options(),
    };
    let (coding, results) = agree::agree_files(&a.files, &opts)?;
    for w in &coding.warnings {
        eoutln!("framelens: warning: {w}")?;
    }
    out(&agree::render_markdown(&coding, &results))?;
    if let Some(o) = &a.out {
        let n = framelens::io::with_output(Some(o), |w| agree::write_disagreements(&coding, w))?;
        eoutln!("{n} rows to adjudicate written to {}", o.display())?;
    }
    Ok(())
}
