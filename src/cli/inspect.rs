//! `framelens inspect`: a model's metadata and the n-grams that weigh most toward each class.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use framelens::model::Model;

use super::{out, outln, EXIT_CODES};

#[derive(Debug, Args)]
#[command(after_help = format!("Examples:
  framelens inspect models/stance.json
  framelens inspect models/frame.json --top 5

{EXIT_CODES}"))]
pub struct InspectArgs {
    /// Model file.
    model: PathBuf,
    /// How many n-grams to show per class.
    #[arg(long, default_value_t = 15)]
    top: usize,
}

pub fn run(a: InspectArgs) -> Result<()> {
    let m = Model::load(&a.model)?;
    outln!("model: {}", a.model.display())?;
    out(&m.describe(a.top))?;
    Ok(())
}
