//! `framelens split`: articles → a sentence table to label (id, source, doc, index, text).

use anyhow::Result;
use clap::Args;

use framelens::score;

use super::{check_out, eoutln, with_output, InputArgs};

const AFTER_HELP: &str = "\
Output columns: id (<source>_<doc>_<index>), source, doc, index, text, then the --keep
columns. The sentences are exactly those `framelens score` scores, with the same source,
doc and index, so labels and scores can be joined on those three columns.

Examples:
  # articles/<outlet>/<article>.txt → a labelling sheet
  framelens split articles/ --out to_label.csv
  framelens split items.csv --text body --source outlet --doc id --keep url --out to_label.csv
  # Russian-language articles, split with the Russian abbreviation rules
  framelens split --language ru articles_ru/ --out to_label.csv

Exit status: 0 success, 1 error (unreadable input, missing column, ...),
2 usage error (unknown option, bad value).";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct SplitArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Input columns (CSV) or fields (JSON Lines) to copy to the output after `text`
    /// (comma-separated or repeated). Not for .txt inputs, which have no columns.
    #[arg(long, value_name = "COL,COL", value_delimiter = ',')]
    keep: Vec<String>,
}

pub fn run(a: SplitArgs) -> Result<()> {
    let walk = score::walk_inputs(&a.input.inputs)?;
    for skipped in &walk.skipped {
        eoutln!("framelens: warning: {skipped}")?;
    }
    let inputs = walk.files;
    if let Some(out) = &a.input.out {
        check_out(out, &inputs)?;
    }
    let mut opts = a.input.options().read_options();
    opts.keep = a.keep.iter().map(|c| c.trim().to_string()).collect();
    let summary = with_output(a.input.out.as_deref(), |w| {
        Ok(score::split(&inputs, &opts, w)?)
    })?;
    if a.input.out.is_some() {
        eoutln!(
            "{} sentences from {} documents",
            summary.sentences,
            summary.documents
        )?;
    }
    Ok(())
}
