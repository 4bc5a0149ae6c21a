//! `framelens train`: labelled CSV → model file.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use framelens::eval::SearchResult;
use framelens::model::{self, StopReason, TrainOptions};

use super::{check_out, eoutln, progress, DataArgs, RecipeArgs, EXIT_CODES};

#[derive(Debug, Args)]
#[command(after_help = format!("Examples:
  framelens train --data labels/seed_sentences.csv --text text --label stance --out stance.json
  framelens train --data labels.csv --text text --label frame --preset best --c 1 --cv 5 --out frame.json
  framelens train --data babe.csv --text text --label label_bias --filter 'outlet!=Fox News' --out no-fox.json
  framelens train --data labels.csv --text text --label stance --from-eval result.json --out stance.json

{EXIT_CODES}"))]
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
    /// Use the best settings of a `framelens eval --save RESULT.json` run (instead of the
    /// feature and model options, which cannot be combined with it).
    #[arg(long, value_name = "RESULT.json")]
    from_eval: Option<PathBuf>,
    #[command(flatten)]
    recipe: RecipeArgs,
}

pub fn run(a: TrainArgs) -> Result<()> {
    // Parse and check everything before reading data.
    let (config, preset) = match &a.from_eval {
        Some(p) => {
            anyhow::ensure!(
                a.recipe.is_default()?,
                "--from-eval takes every feature and model setting from {}; leave out --preset and the feature and model options",
                p.display()
            );
            (SearchResult::load(p)?.best, None)
        }
        None => {
            let recipe = a.recipe.recipe()?;
            let preset = (a.recipe.preset != "default").then_some(recipe.preset);
            (recipe.build()?, preset)
        }
    };
    check_out(&a.out, std::slice::from_ref(&a.data.data))?;
    let data = a.data.read()?;
    progress!("{}", data.summary());
    let started = std::time::Instant::now();
    let opts = TrainOptions {
        cv: a.cv,
        seed: a.recipe.seed,
        preset,
    };
    let (m, cv) = model::train_cv(&data, &config, &opts)
        .with_context(|| format!("training on {}", a.data.data.display()))?;
    let fit = &m.training.fit;
    progress!(
        "features: {} terms; fit: {} iterations, {} (gradient norm {:.2e}) in {:.2}s",
        m.features.n_features(),
        fit.iterations,
        if fit.converged {
            "converged"
        } else {
            "NOT converged"
        },
        fit.gradient_norm,
        started.elapsed().as_secs_f64()
    );
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
    if let Some(r) = cv {
        // The same figure as `eval`: macro-F1 as the mean over folds (the pooled out-of-fold
        // figures, which the model stores beside its confusion matrix, follow).
        let k = r.folds;
        let (mean, sd) = r.fold_stat(|m| m.macro_f1);
        progress!(
            "cross-validation ({k} folds): macro-F1 {mean:.3} ± {sd:.3} (mean ± sd over folds); pooled out-of-fold accuracy {:.3}, macro-F1 {:.3}",
            r.pooled.accuracy,
            r.pooled.macro_f1
        );
    }
    m.save(&a.out)?;
    progress!("wrote {}", a.out.display());
    Ok(())
}
