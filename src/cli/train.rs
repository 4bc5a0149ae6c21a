//! `framelens train`: labelled CSV → model file.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use framelens::data::{LabelSpec, LabelledData};
use framelens::model::{self, Model, TrainingInfo};

use super::{check_out, CsvArgs, FeatureArgs, ModelArgs};

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labelled CSV file (header row; delimiter , ; or tab).
    #[arg(long, value_name = "FILE")]
    data: PathBuf,
    /// Column holding the sentence text.
    #[arg(long, value_name = "COL")]
    text: String,
    /// Column holding the label.
    #[arg(long, value_name = "COL")]
    label: String,
    /// Skip rows with this label value (repeatable), e.g. --skip-label "No agreement".
    #[arg(long, value_name = "VALUE")]
    skip_label: Vec<String>,
    /// Where to write the model (JSON).
    #[arg(long, value_name = "MODEL")]
    out: PathBuf,
    #[command(flatten)]
    csv: CsvArgs,
    #[command(flatten)]
    features: FeatureArgs,
    #[command(flatten)]
    model: ModelArgs,
}

pub fn run(a: TrainArgs) -> Result<()> {
    // Parse and check everything before reading data.
    let config = a.features.config()?;
    let params = a.model.params()?;
    check_out(&a.out, std::slice::from_ref(&a.data))?;
    let spec = LabelSpec {
        text: a.text.clone(),
        label: a.label.clone(),
        skip_labels: a.skip_label.clone(),
    };
    let data = LabelledData::read(&a.data, &spec, &a.csv.options())?;
    for w in &data.warnings {
        eprintln!("framelens: warning: {w}");
    }
    let skipped: usize = data.rows.skipped.values().sum();
    println!(
        "{}: {} rows read, {} used, {} skipped{}",
        a.data.display(),
        data.rows.read,
        data.rows.used,
        skipped,
        if skipped == 0 {
            String::new()
        } else {
            format!(
                " ({})",
                data.rows
                    .skipped
                    .iter()
                    .map(|(k, v)| format!("{v} {k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    println!(
        "classes: {}",
        data.class_counts
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let started = std::time::Instant::now();
    let (features, classifier, fit) = model::fit(&[config], &params, &data.texts, &data.labels)
        .with_context(|| format!("training on {}", a.data.display()))?;
    println!(
        "features: {} terms; fit: {} iterations, {} (gradient norm {:.2e}) in {:.2}s",
        features.n_features(),
        fit.iterations,
        if fit.converged { "converged" } else { "NOT converged" },
        fit.gradient_norm,
        started.elapsed().as_secs_f64()
    );
    if !fit.converged {
        eprintln!(
            "framelens: warning: the optimiser stopped after {} iterations before reaching --tol {}; raise --max-iter",
            fit.iterations,
            params.tol()
        );
    }
    let training = TrainingInfo {
        data_file: a
            .data
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        data_sha256: data.sha256.clone(),
        text_column: a.text,
        label_column: a.label,
        skip_labels: a.skip_label,
        rows: data.rows.clone(),
        class_counts: data.class_counts.clone(),
        params,
        seed: a.model.seed,
        fit,
        date: model::training_date(),
        cross_validation: None,
    };
    let m = Model::new(features, classifier, training);
    m.save(&a.out)?;
    println!("wrote {}", a.out.display());
    Ok(())
}
