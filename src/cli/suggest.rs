//! `framelens suggest`: the sentences to label next.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;

use framelens::label::suggest::{self, Exclude, Strategy, SuggestOptions, Suggester};
use framelens::model::Model;
use framelens::score::{self, Documents};

use super::{check_out, eoutln, with_output, InputArgs, EXIT_CODES};

#[derive(Debug, Args)]
#[command(after_help = format!("\
Reads the inputs once, scoring each sentence, and keeps a bounded selection (n sentences,
or n × pool for diverse), so the corpus can be far larger than memory. Output: a labelling
sheet in the `split` layout (id, source, doc, index, text) plus the model's guess, its
probability and the uncertainty, then empty label columns.

Strategies: margin (smallest gap between the two most probable classes), entropy (most
spread probabilities; the same order as margin with two classes), diverse (the n × pool
most uncertain, then a weighted core-set over their TF-IDF vectors so near-identical
sentences are not all suggested), random (the control).

Examples:
  framelens suggest --model stance.json articles/ --n 200 --exclude labels.csv --out next.csv
  framelens suggest --model stance.json corpus.jsonl --strategy diverse --per-source --out next.csv

{EXIT_CODES}"))]
pub struct SuggestArgs {
    /// Model file (from `framelens train`).
    #[arg(long, value_name = "FILE")]
    model: PathBuf,
    #[command(flatten)]
    input: InputArgs,
    /// How many sentences to suggest.
    #[arg(long, default_value_t = 200)]
    n: usize,
    /// margin, entropy, diverse or random.
    #[arg(long, default_value = "margin", value_parser = ["margin", "entropy", "diverse", "random"])]
    strategy: String,
    /// Balance the sources: each source gets its own selection and the sources take turns.
    #[arg(long)]
    per_source: bool,
    /// Labelled CSV files whose sentences are never suggested (matched on lowercased text
    /// with white space collapsed); repeatable.
    #[arg(long, value_name = "FILE")]
    exclude: Vec<PathBuf>,
    /// Text column of the --exclude files.
    #[arg(long, value_name = "COL", default_value = "text")]
    exclude_text: String,
    /// Empty label columns to add for the coder (comma-separated).
    #[arg(
        long,
        value_name = "COL,COL",
        value_delimiter = ',',
        default_value = "label"
    )]
    label_columns: Vec<String>,
    /// Seed of the random strategy and of tie-breaking.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// diverse: candidates kept per suggestion (pool = n × this).
    #[arg(long, default_value_t = 10)]
    pool: usize,
    /// Skip sentences shorter than this many characters (headings, bylines).
    #[arg(long, default_value_t = 20)]
    min_chars: usize,
}

pub fn run(a: SuggestArgs) -> Result<()> {
    let inputs = score::expand_inputs(&a.input.inputs)?;
    if let Some(out) = &a.input.out {
        let mut all = inputs.clone();
        all.extend(a.exclude.iter().cloned());
        all.push(a.model.clone());
        check_out(out, &all)?;
    }
    let model = Arc::new(Model::load(&a.model)?);
    let opts = SuggestOptions {
        n: a.n,
        strategy: a.strategy.parse::<Strategy>()?,
        per_source: a.per_source,
        seed: a.seed,
        pool: a.pool,
        min_chars: a.min_chars,
    };
    let mut exclude = Exclude::default();
    let csv = a.input.csv.options();
    for p in &a.exclude {
        exclude
            .read_csv(p, &a.exclude_text, &csv)
            .with_context(|| "reading the sentences to exclude")?;
    }
    let mut s = Suggester::new(model, opts)?.exclude(exclude);
    let read = a.input.options().read_options();
    for doc in Documents::new(&inputs, &read)? {
        s.push_document_in(&doc?, &read.language);
    }
    let (seen, excluded) = (s.seen(), s.excluded());
    let picked = s.finish();
    with_output(a.input.out.as_deref(), |w| {
        Ok(suggest::write_csv(&picked, &a.label_columns, w)?)
    })?;
    eoutln!(
        "{} sentences suggested ({}) from {seen} read, {excluded} already labelled",
        picked.len(),
        a.strategy
    )?;
    Ok(())
}
