//! `framelens split`: articles → a sentence table to label (id, source, doc, index, text).

use anyhow::Result;
use clap::Args;

use framelens::score::{self, ScoreOptions};

use super::{check_out, eoutln, with_output, InputArgs};

#[derive(Debug, Args)]
pub struct SplitArgs {
    #[command(flatten)]
    input: InputArgs,
}

pub fn run(a: SplitArgs) -> Result<()> {
    let inputs = score::expand_inputs(&a.input.inputs)?;
    if let Some(out) = &a.input.out {
        check_out(out, &inputs)?;
    }
    let opts = ScoreOptions {
        with_id: true,
        ..a.input.options()
    };
    let summary = with_output(a.input.out.as_deref(), |w| {
        Ok(score::score(&[], &inputs, &opts, w, &mut |_| {})?)
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
