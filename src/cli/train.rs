//! `framelens train`: labelled CSV → model file.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use std::io::IsTerminal;

use framelens::eval::auto::{auto_search, AutoOptions, SearchSpace};
use framelens::eval::SearchResult;
use framelens::model::{self, StopReason, TrainOptions};

use super::{check_out, eoutln, progress, DataArgs, RecipeArgs, EXIT_CODES};

#[derive(Debug, Args)]
#[command(after_help = format!("Examples:
  framelens train --data labels/seed_sentences.csv --text text --label stance --out stance.json
  framelens train --data labels.csv --text text --label stance --ngram-range 1,2 --budget 60 --out stance.json
  framelens train --data labels.csv --text text --label stance --search none --cv 0 --out plain.json
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
    /// Cross-validate with K folds and store the out-of-fold confusion matrix, per-class
    /// rates and calibration error in the model, and calibrate its probabilities on the
    /// out-of-fold predictions; 0 turns this off (no calibration). [default: 5]
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    /// How to choose the settings: `auto` searches word n-grams, stemming, char_wb blocks, the
    /// char analyzer, naive-Bayes scaling, class weights and C by cross-validation (options
    /// you give are kept fixed); `none` trains with exactly the options given.
    /// [default: auto with --preset default, else none]
    #[arg(long, value_name = "MODE", value_parser = ["auto", "none"])]
    search: Option<String>,
    /// Work budget of --search auto, in nominal seconds (counted, not timed: the same data give the same model on any machine; about CPU seconds on one core). [default: 5 + rows/100, between 6 and 45]
    #[arg(long, value_name = "SECONDS")]
    budget: Option<f64>,
    /// Use the best settings of a `framelens eval --save RESULT.json` run (instead of the
    /// feature and model options, which cannot be combined with it).
    #[arg(long, value_name = "RESULT.json")]
    from_eval: Option<PathBuf>,
    #[command(flatten)]
    recipe: RecipeArgs,
}

pub fn run(a: TrainArgs) -> Result<()> {
    // Parse and check everything before reading data.
    let auto = match a.search.as_deref() {
        Some("auto") => true,
        Some(_) => false,
        None => a.from_eval.is_none() && a.recipe.preset == "default",
    };
    if let Some(b) = a.budget {
        anyhow::ensure!(
            b.is_finite() && b >= 0.0,
            "--budget must be a number of seconds >= 0, got {b}"
        );
        anyhow::ensure!(auto, "--budget applies to --search auto only");
    }
    let cv = match a.cv {
        Some(0) => None,
        Some(k) => Some(k),
        None => Some(5),
    };
    anyhow::ensure!(
        !auto || cv.is_some(),
        "--search auto chooses settings by cross-validation; --cv 0 needs --search none"
    );
    let (config, plain, preset, fixed) = match &a.from_eval {
        Some(p) => {
            anyhow::ensure!(
                a.recipe.is_default()?,
                "--from-eval takes every feature and model setting from {}; leave out --preset and the feature and model options",
                p.display()
            );
            anyhow::ensure!(
                !auto,
                "--from-eval takes its settings from {}; leave out --search auto",
                p.display()
            );
            let best = SearchResult::load(p)?.best;
            (best.clone(), best, None, Vec::new())
        }
        None => {
            let recipe = a.recipe.recipe()?;
            let preset = (a.recipe.preset != "default").then_some(recipe.preset);
            let plain = recipe.build()?;
            if auto && preset.is_none() {
                let (start, fixed) = recipe.search_start()?;
                (start, plain, preset, fixed)
            } else {
                (plain.clone(), plain, preset, recipe.fixed_keys())
            }
        }
    };
    check_out(&a.out, std::slice::from_ref(&a.data.data))?;
    let data = a.data.read()?;
    progress!("{}", data.summary());
    let started = std::time::Instant::now();
    // Tiny data: fewer folds, or no cross-validation (and so no search) at all.
    let cv = cv.map(|k| k.min(data.texts.len())).filter(|&k| k >= 2);
    let auto = if auto && cv.is_none() {
        eoutln!("framelens: warning: too few rows to cross-validate; training with the search's starting settings (preset best and the options given), without search or calibration")?;
        false
    } else {
        auto
    };
    let opts = TrainOptions {
        cv,
        seed: a.recipe.seed,
        preset,
        calibrate: cv.is_some(),
    };
    let (m, cv) = if auto {
        let space = SearchSpace::default().without(&fixed);
        let aopts = AutoOptions {
            folds: cv.unwrap_or(5),
            seed: a.recipe.seed,
            budget: a.budget.map(std::time::Duration::from_secs_f64),
        };
        let tty = std::io::stderr().is_terminal();
        let found = match auto_search(
            &config,
            &space,
            &fixed,
            &data.texts,
            &data.labels,
            &aopts,
            &mut |n, best| {
                if tty {
                    eprint!(
                    "\r  searching settings: {n} cross-validated, best macro-F1 {best:.4} ({:.0}s)",
                    started.elapsed().as_secs_f64()
                );
                }
            },
        ) {
            Ok(found) => found,
            Err(e) => {
                // Typically data too small for the search's settings (min_df 2 on a handful
                // of rows): train with the options as given instead.
                if tty {
                    eprintln!();
                }
                eoutln!("framelens: warning: the settings search failed ({e}); training with the options as given, without cross-validation")?;
                let plain_opts = TrainOptions {
                    cv: None,
                    calibrate: false,
                    ..opts
                };
                let (m, cv) = model::train_cv(&data, &plain, &plain_opts)
                    .with_context(|| format!("training on {}", a.data.data.display()))?;
                return finish(&a, m, cv, started);
            }
        };
        if tty {
            eprintln!();
        }
        let s = &found.summary;
        progress!(
            "search: {} settings cross-validated in {:.1}s ({:.1} of {:.1} nominal seconds of work{}); picked {} (one-standard-error rule)",
            s.evaluated,
            started.elapsed().as_secs_f64(),
            s.work_seconds,
            s.budget_seconds,
            if s.stopped_by_budget {
                ", stopped by the budget"
            } else {
                ""
            },
            if s.winner.is_empty() {
                "the start (preset best)".to_string()
            } else {
                s.winner.join(" ")
            }
        );
        model::train_with(
            &data,
            &found.config,
            &opts,
            Some(found.cv),
            Some(found.summary),
        )
        .with_context(|| format!("training on {}", a.data.data.display()))?
    } else {
        model::train_cv(&data, &config, &opts)
            .with_context(|| format!("training on {}", a.data.data.display()))?
    };
    finish(&a, m, cv, started)
}

fn finish(
    a: &TrainArgs,
    m: framelens::model::Model,
    cv: Option<framelens::eval::CvResult>,
    started: std::time::Instant,
) -> Result<()> {
    let config = framelens::config::Config {
        features: framelens::config::FeatureSpec::from_parts(
            &m.features
                .parts
                .iter()
                .map(|p| p.config.clone())
                .collect::<Vec<_>>(),
        )?,
        params: m.training.params.clone(),
    };
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
        if let Some(cal) = m
            .training
            .cross_validation
            .as_ref()
            .and_then(|c| c.calibration_error.as_ref())
        {
            progress!(
                "calibration: out-of-fold expected calibration error {:.4}{}",
                cal.ece,
                m.training
                    .cross_validation
                    .as_ref()
                    .and_then(|c| c.ece_uncalibrated)
                    .map_or(String::new(), |u| format!(
                        " (cross-fitted; {u:.4} before calibration)"
                    ))
            );
        }
    }
    m.save(&a.out)?;
    progress!("wrote {}", a.out.display());
    Ok(())
}
