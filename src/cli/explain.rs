//! `framelens explain`: the n-grams that pushed a sentence toward each class.

use std::io::BufRead as _;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use framelens::model::Model;

use super::{out, EXIT_CODES};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Readable text
    Text,
    /// One JSON object per sentence (JSON Lines): every contribution, per class
    Json,
}

#[derive(Debug, Args)]
#[command(after_help = format!("Each class's logit is its intercept plus the sum over the sentence's n-grams of
weight × feature value (TF-IDF); the probability is the sigmoid/softmax of the logits, after the
model's calibration when it has one. Positive contributions push toward the class.

Examples:
  framelens explain --model models/stance.json \"NATO provocation is growing.\"
  framelens explain --model models/stance.json --file sentences.txt --format json
  echo \"Moscow still wants talks.\" | framelens explain --model models/frame.json -

{EXIT_CODES}"))]
pub struct ExplainArgs {
    /// The model file.
    #[arg(long, value_name = "MODEL")]
    model: PathBuf,
    /// Sentences to explain; `-` reads one sentence per line from standard input.
    #[arg(value_name = "SENTENCE")]
    sentences: Vec<String>,
    /// Also explain every non-empty line of this file.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// How many n-grams to show toward and away from each class (text format).
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
}

pub fn run(a: ExplainArgs) -> Result<()> {
    let model = Arc::new(Model::load(&a.model)?);
    let mut sentences = Vec::new();
    for s in &a.sentences {
        if s == "-" {
            for line in std::io::stdin().lock().lines() {
                let line = line.context("reading standard input")?;
                if !line.trim().is_empty() {
                    sentences.push(line);
                }
            }
        } else {
            sentences.push(s.clone());
        }
    }
    if let Some(f) = &a.file {
        let file = std::fs::File::open(f).with_context(|| format!("opening {}", f.display()))?;
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{}: line {}", f.display(), i + 1))?;
            if !line.trim().is_empty() {
                sentences.push(line);
            }
        }
    }
    anyhow::ensure!(
        !sentences.is_empty(),
        "nothing to explain: give a sentence, `-` for standard input, or --file FILE"
    );
    let mut explainer = model.explainer()?;
    for (i, s) in sentences.iter().enumerate() {
        let e = explainer.explain(s);
        match a.format {
            FormatArg::Text => {
                if i > 0 {
                    out("\n")?;
                }
                out(&e.text_table(a.top))?;
            }
            FormatArg::Json => out(&format!("{}\n", serde_json::to_string(&e)?))?,
        }
    }
    Ok(())
}
