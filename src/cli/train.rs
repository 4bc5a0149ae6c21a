//! `framelens train`: labelled CSV → model file.

use super::{eoutln, outln};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use framelens::eval;
use framelens::model::{self, CrossValidation, Model, StopReason, TrainingInfo};

use super::{check_out, DataArgs, FeatureArgs, ModelArgs};

#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Where to write the model (JSON).
    #[arg(long, value_name = "MODEL")]
    out: PathBuf,
    /// Also cross-validate with K folds and store the out-of-fold confusion matrix and
    /// metrics in the model (for error-corrected prevalence in reports).
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    /// Use the best settings of a `framelens eval --save RESULT.json` run (replaces the
    /// feature and model options).
    #[arg(long, value_name = "RESULT.json")]
    from_eval: Option<PathBuf>,
    #[command(flatten)]
    features: FeatureArgs,
    #[command(flatten)]
    model: ModelArgs,
}

pub fn run(a: TrainArgs) -> Result<()> {
    // Parse and check everything before reading data.
    let config = match &a.from_eval {
        Some(p) => super::eval::best_config(p)?,
        None => super::configure(&a.features, &a.model)?,
    };
    check_out(&a.out, std::slice::from_ref(&a.data.data))?;
    if let Some(k) = a.cv {
        anyhow::ensure!(k >= 2, "invalid --cv {k}: expected at least 2 folds");
    }
    let data = a.data.read()?;
    outln!("{}", a.data.describe(&data))?;
    let started = std::time::Instant::now();
    let (features, classifier, fit) =
        model::fit(&config.features, &config.params, &data.texts, &data.labels)
            .with_context(|| format!("training on {}", a.data.data.display()))?;
    outln!(
        "features: {} terms; fit: {} iterations, {} (gradient norm {:.2e}) in {:.2}s",
        features.n_features(),
        fit.iterations,
        if fit.converged {
            "converged"
        } else {
            "NOT converged"
        },
        fit.gradient_norm,
        started.elapsed().as_secs_f64()
    )?;
    match fit.stop {
        StopReason::Converged => {}
        StopReason::MaxIter => eoutln!(
            "framelens: warning: the optimiser reached --max-iter {} with gradient norm {:.2e} > --tol {}; raise --max-iter",
            config.params.max_iter(),
            fit.gradient_norm,
            config.params.tol()
        )?,
        StopReason::NoProgress => eoutln!(
            "framelens: warning: the optimiser could not lower the objective further after {} iterations (gradient norm {:.2e}, --tol {}): the weights are as close to the optimum as floating point allows; a --tol this small cannot be reached",
            fit.iterations,
            fit.gradient_norm,
            config.params.tol()
        )?,
    }
    let cross_validation = match a.cv {
        None => None,
        Some(k) => {
            let r = eval::cross_validate(&config, &data.texts, &data.labels, k, a.model.seed, &[])?;
            outln!(
                "cross-validation ({k} folds): accuracy {:.3}, macro-F1 {:.3} (pooled out-of-fold)",
                r.pooled.accuracy,
                r.pooled.macro_f1
            )?;
            Some(CrossValidation {
                folds: k,
                seed: a.model.seed,
                accuracy: r.pooled.accuracy,
                macro_f1: r.pooled.macro_f1,
                confusion: r.pooled.confusion,
            })
        }
    };
    let training = TrainingInfo {
        data_file: a
            .data
            .data
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        data_sha256: data.sha256.clone(),
        text_column: a.data.text.clone(),
        label_column: a.data.label.clone(),
        skip_labels: a.data.skip_label.clone(),
        filters: a
            .data
            .filter
            .iter()
            .map(|(c, v)| format!("{c}={v}"))
            .collect(),
        rows: data.rows.clone(),
        class_counts: data.class_counts.clone(),
        params: config.params,
        seed: a.model.seed,
        fit,
        date: model::training_date(),
        cross_validation,
    };
    let m = Model::new(features, classifier, training);
    m.save(&a.out)?;
    outln!("wrote {}", a.out.display())?;
    Ok(())
}
