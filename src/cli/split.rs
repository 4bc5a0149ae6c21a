//! `framelens split`: articles → a sentence table to label (id, source, doc, index, text).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use framelens::score::{self, ScoreOptions};

use super::{check_out, eoutln, CsvArgs};

#[derive(Debug, Args)]
pub struct SplitArgs {
    /// Inputs, as for `score`: .txt files, directories of them (source = directory name),
    /// .csv/.jsonl files with a text column, or - for standard input.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<PathBuf>,
    /// Text column (CSV) or field (JSONL).
    #[arg(long, value_name = "COL", default_value = "text")]
    text: String,
    /// Source: the column/field holding it (CSV, JSONL), or the name to use (.txt inputs).
    #[arg(long, value_name = "COL|NAME")]
    source: Option<String>,
    /// Document id column/field (CSV, JSONL).
    #[arg(long, value_name = "COL")]
    doc: Option<String>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    csv: CsvArgs,
}

pub fn run(a: SplitArgs) -> Result<()> {
    let inputs = score::expand_inputs(&a.inputs)?;
    if let Some(out) = &a.out {
        check_out(out, &inputs)?;
    }
    let opts = ScoreOptions {
        text: a.text,
        source: a.source.clone(),
        doc: a.doc,
        source_name: a.source,
        csv: a.csv.options(),
        with_id: true,
        ..ScoreOptions::default()
    };
    let summary = match &a.out {
        Some(out) => {
            let mut file = framelens::io::AtomicFile::create(out)
                .with_context(|| format!("creating {}", out.display()))?;
            let s = {
                let mut w = std::io::BufWriter::new(&mut file);
                let s = score::score(&[], &inputs, &opts, &mut w, &mut |_| {})?;
                w.flush()?;
                s
            };
            file.commit()
                .with_context(|| format!("writing {}", out.display()))?;
            s
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            let s = score::score(&[], &inputs, &opts, &mut w, &mut |_| {})?;
            w.flush()?;
            s
        }
    };
    if a.out.is_some() {
        eoutln!(
            "{} sentences from {} documents",
            summary.sentences,
            summary.documents
        )?;
    }
    Ok(())
}
