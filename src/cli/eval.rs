//! `framelens eval`: cross-validation, grid search, learning curve, held-out evaluation.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{ArgGroup, Args};

use framelens::config::Grid;
use framelens::eval::{self, SearchOptions};
use framelens::model::Model;

use super::{check_out, eoutln, out, outln, with_output, DataArgs, RecipeArgs, EXIT_CODES};

#[derive(Debug, Args)]
#[command(
    group(ArgGroup::new("cv_run").multiple(true).args(["grid", "learning_curve", "out", "save", "folds"])),
    after_help = format!("Examples:
  framelens eval --data labels/seed_sentences.csv --text text --label stance
  framelens eval --data labels.csv --text text --label stance --search none
  framelens eval --data labels.csv --text text --label stance --grid c=0.25,1,4 --grid char-wb=none:2,5 --save result.json
  framelens eval --data babe.csv --text text --label label_bias --preset best --learning-curve
  framelens eval --data held_out.csv --text text --label stance --model stance.json

With no feature, model or grid options, eval runs nested cross-validation of what `train`
does by default (the automatic search runs inside each outer training fold), so its score is
what the default delivers on new data. The figure per setting is the mean (± sd) over the
folds; `train --cv` reports the same.
{EXIT_CODES}")
)]
pub struct EvalArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Evaluate this trained model on --data (held-out evaluation) instead of cross-validating.
    #[arg(long, value_name = "MODEL", conflicts_with = "cv_run")]
    model: Option<PathBuf>,
    /// Number of stratified folds.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Grid search: KEY=V1,V2,... (repeatable). Keys are the feature and model flags without
    /// dashes: c, class-weight, max-iter, tol, analyzer, ngram-range, char-wb, min-df, max-df,
    /// max-features, sublinear-tf, norm, nb, stem, stop-words, lowercase, strip-accents,
    /// token-pattern. Values are parsed as the flags are. Separate range values with ':'
    /// (ngram-range=1,1:1,2; char-wb=none:2,5).
    #[arg(long, value_name = "KEY=VALUES")]
    grid: Vec<String>,
    /// Also report the CV score when training on 10%, 20%, ... 100% of each training fold.
    #[arg(long)]
    learning_curve: bool,
    /// Average F1 over these classes (the SemEval stance metric), e.g. FAVOR,AGAINST;
    /// a grid search then picks the best setting by it instead of macro-F1.
    #[arg(long, value_name = "CLASS,CLASS", value_delimiter = ',')]
    f_avg: Vec<String>,
    /// Output format on standard output: table or json.
    #[arg(long, value_name = "FORMAT", default_value = "table", value_parser = ["table", "json"])]
    format: String,
    /// Write the out-of-fold predictions of the best setting (row, line, fold, gold,
    /// predicted, probabilities, text) to this CSV.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write the full result as JSON (usable with `framelens train --from-eval`).
    #[arg(long, value_name = "RESULT.json")]
    save: Option<PathBuf>,
    /// `auto` (the default when no feature, model or grid option is given): nested
    /// cross-validation of the automatic settings search; `none`: cross-validate the options
    /// as given.
    #[arg(long, value_name = "MODE", value_parser = ["auto", "none"])]
    search: Option<String>,
    /// Work budget of each inner search, in nominal seconds (counted, not timed: results do not depend on the machine). [default: 5 + rows/100, between 6 and 45]
    #[arg(long, value_name = "SECONDS")]
    budget: Option<f64>,
    #[command(flatten)]
    recipe: RecipeArgs,
}

pub fn run(a: EvalArgs) -> Result<()> {
    for p in [&a.out, &a.save].into_iter().flatten() {
        check_out(p, std::slice::from_ref(&a.data.data))?;
    }
    if let Some(model) = &a.model {
        anyhow::ensure!(
            a.recipe.is_default()?,
            "--model evaluates a trained model as it is; leave out --preset and the feature and model options"
        );
        return held_out(&a, model);
    }
    let plain = !a.grid.is_empty() || a.learning_curve || a.out.is_some() || a.save.is_some();
    let auto = match a.search.as_deref() {
        Some("auto") => {
            anyhow::ensure!(
                !plain,
                "--search auto runs nested cross-validation; leave out --grid, --learning-curve, --out and --save"
            );
            anyhow::ensure!(
                a.recipe.preset == "default",
                "--search auto starts from its own preset; leave out --preset"
            );
            true
        }
        Some(_) => false,
        None => !plain && a.recipe.is_default()?,
    };
    if let Some(b) = a.budget {
        anyhow::ensure!(
            b.is_finite() && b >= 0.0,
            "--budget must be a number of seconds >= 0, got {b}"
        );
        anyhow::ensure!(auto, "--budget applies to --search auto only");
    }
    if auto {
        return nested(&a);
    }
    let base = a.recipe.recipe()?.build()?;
    let grid = a
        .grid
        .iter()
        .map(|g| {
            g.parse::<Grid>()
                .with_context(|| format!("in --grid {g:?}"))
        })
        .collect::<Result<Grid>>()?;
    let data = a.data.read()?;
    eoutln!("{}", data.summary())?;
    for w in eval::small_class_warnings(&data.labels, a.folds) {
        eoutln!("framelens: warning: {w}")?;
    }
    let started = std::time::Instant::now();
    let opts = SearchOptions {
        folds: a.folds,
        seed: a.recipe.seed,
        f_avg: a.f_avg.clone(),
        learning_curve: a.learning_curve,
    };
    let search = eval::search(&base, &grid, &data, &opts)?;
    if !grid.is_empty() {
        eoutln!(
            "  {} settings cross-validated in {:.1}s",
            search.result.results.len(),
            started.elapsed().as_secs_f64()
        )?;
    }
    if let Some(p) = &a.out {
        with_output(Some(p), |w| {
            Ok(eval::write_predictions(w, &data, &search.best_cv)?)
        })?;
    }
    if let Some(p) = &a.save {
        search.result.save(p)?;
    }
    match a.format.as_str() {
        "json" => out(&search.result.to_json()?)?,
        _ => out(&search.result.table())?,
    }
    Ok(())
}

fn nested(a: &EvalArgs) -> Result<()> {
    use framelens::eval::auto::{self, AutoOptions, SearchSpace};
    let (start, fixed) = a.recipe.recipe()?.search_start()?;
    let data = a.data.read()?;
    eoutln!("{}", data.summary())?;
    for w in eval::small_class_warnings(&data.labels, a.folds) {
        eoutln!("framelens: warning: {w}")?;
    }
    let started = std::time::Instant::now();
    let opts = AutoOptions {
        folds: a.folds,
        seed: a.recipe.seed,
        budget: a.budget.map(std::time::Duration::from_secs_f64),
    };
    let space = SearchSpace::default().without(&fixed);
    let r = auto::nested(
        &start,
        &space,
        &fixed,
        &data.texts,
        &data.labels,
        &opts,
        &mut |f, fold| {
            let _ = eoutln!(
                "  outer fold {f}/{}: macro-F1 {:.4} ({:.0}s)",
                opts.folds,
                fold.metrics.macro_f1,
                started.elapsed().as_secs_f64()
            );
        },
    )?;
    match a.format.as_str() {
        "json" => outln!("{}", serde_json::to_string_pretty(&r)?)?,
        _ => out(&r.table())?,
    }
    Ok(())
}

fn held_out(a: &EvalArgs, model_path: &std::path::Path) -> Result<()> {
    let model = Model::load(model_path)?;
    let data = a.data.read()?;
    eoutln!("{}", data.summary())?;
    let h = eval::held_out(&model, &data, &a.f_avg)?;
    for (l, n) in &h.unknown_labels {
        eoutln!("framelens: warning: {n} rows have the label {l:?}, which the model does not know; they are left out")?;
    }
    match a.format.as_str() {
        "json" => outln!("{}", serde_json::to_string_pretty(&h)?)?,
        _ => {
            outln!("model {}", model_path.display())?;
            out(&h.table())?
        }
    }
    Ok(())
}
