//! `framelens eval`: cross-validation, grid search, learning curve, held-out evaluation.

use super::{eoutln, outln};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use serde::{Deserialize, Serialize};

use framelens::eval::{self, Config, CurvePoint, CvResult, Metrics};
use framelens::features::DocFreq;
use framelens::model::{ClassWeight, LogisticParams, Model};
use framelens::text::{AnalyzerKind, Language, StopWords};

use super::{char_wb_part, check_out, parse_range, DataArgs, FeatureArgs, ModelArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Evaluate this trained model on --data (held-out evaluation) instead of cross-validating.
    #[arg(long, value_name = "MODEL")]
    model: Option<PathBuf>,
    /// Number of stratified folds.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Grid search: KEY=V1,V2,... (repeatable). Keys: c, ngram-range, char-wb, analyzer,
    /// min-df, max-df, sublinear-tf, nb, class-weight, stem, stop-words. Separate range values
    /// with ':' (ngram-range=1,1:1,2; char-wb=none:2,5).
    #[arg(long, value_name = "KEY=VALUES")]
    grid: Vec<String>,
    /// Also report the CV score at 10%, 20%, ... 100% of the training data.
    #[arg(long)]
    learning_curve: bool,
    /// Average F1 over these classes (the SemEval stance metric), e.g. FAVOR,AGAINST;
    /// a grid search then picks the best setting by it instead of macro-F1.
    #[arg(long, value_name = "CLASS,CLASS", value_delimiter = ',')]
    f_avg: Vec<String>,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value = "table")]
    format: FormatArg,
    /// Write the out-of-fold predictions (row, line, fold, gold, predicted, probabilities) to
    /// this CSV.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write the full result as JSON (usable with `framelens train --from-eval`).
    #[arg(long, value_name = "RESULT.json")]
    save: Option<PathBuf>,
    #[command(flatten)]
    features: FeatureArgs,
    #[command(flatten)]
    model_args: ModelArgs,
}

/// One evaluated configuration.
#[derive(Debug, Serialize, Deserialize)]
struct Evaluated {
    /// `key=value` settings that differ from the base (empty for the base).
    settings: Vec<String>,
    config: Config,
    /// Mean and standard deviation over folds.
    macro_f1: (f64, f64),
    accuracy: (f64, f64),
    weighted_f1: (f64, f64),
    f_avg: Option<(f64, f64)>,
    log_loss: (f64, f64),
    brier: (f64, f64),
    /// Macro-F1 of each fold, in fold order (for paired comparisons between settings).
    #[serde(default)]
    macro_f1_per_fold: Vec<f64>,
    /// Out-of-fold predictions pooled.
    pooled: Metrics,
}

/// What `--save` writes.
#[derive(Debug, Serialize, Deserialize)]
struct EvalResult {
    framelens_version: String,
    data_file: String,
    data_sha256: String,
    label_column: String,
    classes: Vec<String>,
    folds: usize,
    seed: u64,
    rows: usize,
    /// Selection metric.
    selected_by: String,
    results: Vec<Evaluated>,
    best: Config,
    learning_curve: Option<Vec<CurvePoint>>,
}

/// Reads the best configuration from a saved eval result.
pub fn best_config(path: &Path) -> Result<Config> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let r: EvalResult = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not a result saved by `framelens eval --save`",
            path.display()
        )
    })?;
    Ok(r.best)
}

pub fn run(a: EvalArgs) -> Result<()> {
    let f_avg_names = a.f_avg.clone();
    if let Some(out) = &a.out {
        check_out(out, std::slice::from_ref(&a.data.data))?;
    }
    if let Some(save) = &a.save {
        check_out(save, std::slice::from_ref(&a.data.data))?;
    }
    if let Some(model) = &a.model {
        return held_out(&a, model);
    }
    let base = super::configure(&a.features, &a.model_args)?;
    let grid = expand_grid(&base, &a.grid)?;
    let data = a.data.read()?;
    eoutln!("{}", a.data.describe(&data))?;
    for w in eval::small_class_warnings(&data.labels, a.folds) {
        eoutln!("framelens: warning: {w}")?;
    }
    let (classes, _) = eval::encode(&data.labels);
    let f_avg = class_indices(&classes, &f_avg_names)?;
    let seed = a.model_args.seed;
    let started = std::time::Instant::now();
    let (settings, configs): (Vec<Vec<String>>, Vec<Config>) = grid.into_iter().unzip();
    let cvs =
        eval::cross_validate_many(&configs, &data.texts, &data.labels, a.folds, seed, &f_avg)?;
    if !a.grid.is_empty() {
        eoutln!(
            "  {} settings cross-validated in {:.1}s",
            configs.len(),
            started.elapsed().as_secs_f64()
        )?;
    }
    let mut results = Vec::new();
    let mut best: Option<(f64, usize, CvResult)> = None;
    for (i, ((settings, config), r)) in settings.into_iter().zip(configs).zip(cvs).enumerate() {
        let e = summarise(settings, config, &r);
        let score = e.f_avg.map_or(e.macro_f1.0, |f| f.0);
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, i, r));
        }
        results.push(e);
    }
    let Some((_, best_i, best_cv)) = best else {
        bail!("the grid produced no configuration");
    };
    let curve = if a.learning_curve {
        Some(eval::learning_curve(
            &results[best_i].config,
            &data.texts,
            &data.labels,
            a.folds,
            seed,
        )?)
    } else {
        None
    };
    let result = EvalResult {
        framelens_version: env!("CARGO_PKG_VERSION").into(),
        data_file: a.data.data.display().to_string(),
        data_sha256: data.sha256.clone(),
        label_column: a.data.label.clone(),
        classes: classes.clone(),
        folds: a.folds,
        seed,
        rows: data.texts.len(),
        selected_by: if f_avg.is_empty() {
            "macro_f1".into()
        } else {
            format!("f_avg({})", f_avg_names.join(","))
        },
        best: results[best_i].config.clone(),
        results,
        learning_curve: curve,
    };
    if let Some(out) = &a.out {
        write_predictions(out, &data, &best_cv)?;
    }
    if let Some(save) = &a.save {
        let json = serde_json::to_string_pretty(&result)? + "\n";
        framelens::io::write_atomic(save, json.as_bytes())
            .with_context(|| format!("writing {}", save.display()))?;
    }
    match a.format {
        FormatArg::Json => outln!("{}", serde_json::to_string_pretty(&result)?)?,
        FormatArg::Table => print!("{}", table(&result, best_i)),
    }
    Ok(())
}

fn summarise(settings: Vec<String>, config: Config, r: &CvResult) -> Evaluated {
    Evaluated {
        settings,
        config,
        macro_f1: r.fold_stat(|m| m.macro_f1),
        accuracy: r.fold_stat(|m| m.accuracy),
        weighted_f1: r.fold_stat(|m| m.weighted_f1),
        f_avg: r
            .pooled
            .f_avg
            .map(|_| r.fold_stat(|m| m.f_avg.unwrap_or(f64::NAN))),
        log_loss: r.fold_stat(|m| m.log_loss),
        brier: r.fold_stat(|m| m.brier),
        macro_f1_per_fold: r.per_fold.iter().map(|m| m.macro_f1).collect(),
        pooled: r.pooled.clone(),
    }
}

fn class_indices(classes: &[String], names: &[String]) -> Result<Vec<usize>> {
    names
        .iter()
        .map(|n| {
            classes.iter().position(|c| c == n.trim()).ok_or_else(|| {
                anyhow::anyhow!(
                    "--f-avg: no class {n:?}; the classes are: {}",
                    classes.join(", ")
                )
            })
        })
        .collect()
}

/// The cartesian product of the grid over the base configuration.
fn expand_grid(base: &Config, grid: &[String]) -> Result<Vec<(Vec<String>, Config)>> {
    let mut out = vec![(Vec::new(), base.clone())];
    for spec in grid {
        let (key, values) = spec
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("invalid --grid {spec:?}: expected KEY=V1,V2,..."))?;
        let key = key.trim();
        let values: Vec<&str> = if matches!(key, "ngram-range" | "char-wb") || values.contains(':')
        {
            values.split(':').collect()
        } else {
            values.split(',').collect()
        };
        let mut next = Vec::new();
        for (settings, config) in &out {
            for v in &values {
                let mut c = config.clone();
                apply(&mut c, key, v.trim()).with_context(|| format!("in --grid {spec:?}"))?;
                let mut s = settings.clone();
                s.push(format!("{key}={}", v.trim()));
                next.push((s, c));
            }
        }
        out = next;
    }
    Ok(out)
}

fn apply(c: &mut Config, key: &str, v: &str) -> Result<()> {
    use linfa::ParamGuard;
    let main = &mut c.features[0];
    match key {
        "c" => {
            let x: f64 = v.parse().with_context(|| format!("c must be a number, got {v:?}"))?;
            c.params = LogisticParams::from(c.params.clone()).c(x).check()?;
        }
        "class-weight" => {
            let cw = match v {
                "none" => ClassWeight::None,
                "balanced" => ClassWeight::Balanced,
                _ => bail!("class-weight must be none or balanced, got {v:?}"),
            };
            c.params = LogisticParams::from(c.params.clone())
                .class_weight(cw)
                .check()?;
        }
        "ngram-range" => main.analyzer.ngram_range = parse_range(v).map_err(anyhow::Error::msg)?,
        "analyzer" => {
            main.analyzer.analyzer = match v {
                "word" => AnalyzerKind::Word,
                "char_wb" => AnalyzerKind::CharWb,
                "char" => AnalyzerKind::Char,
                _ => bail!("analyzer must be word, char_wb or char, got {v:?}"),
            };
            if main.analyzer.analyzer != AnalyzerKind::Word {
                main.analyzer.stem = None;
            }
        }
        "min-df" => main.min_df = DocFreq::parse("min-df", v)?,
        "max-df" => main.max_df = DocFreq::parse("max-df", v)?,
        "sublinear-tf" => main.sublinear_tf = parse_bool(v)?,
        "nb" => {
            let on = parse_bool(v)?;
            c.features.iter_mut().for_each(|p| p.nb = on);
        }
        "stem" => {
            main.analyzer.stem = match v {
                "none" => None,
                l => Some(Language::from_name(l).ok_or_else(|| anyhow::anyhow!("unknown stemmer language {l:?}"))?),
            }
        }
        "stop-words" => {
            main.analyzer.stop_words = match v {
                "none" => StopWords::None,
                "english" => StopWords::English,
                _ => bail!("stop-words in a grid must be none or english, got {v:?}"),
            }
        }
        "char-wb" => {
            c.features.truncate(1);
            if v != "none" {
                let range = parse_range(v).map_err(anyhow::Error::msg)?;
                let part = char_wb_part(&c.features[0], range);
                c.features.push(part);
            }
        }
        _ => bail!(
            "unknown grid key {key:?}; keys: c, ngram-range, char-wb, analyzer, min-df, max-df, sublinear-tf, nb, class-weight, stem, stop-words"
        ),
    }
    // Keep the char_wb part's shared settings in step with the main part.
    if c.features.len() > 1 && matches!(key, "min-df" | "max-df" | "sublinear-tf" | "nb") {
        let range = c.features[1].analyzer.ngram_range;
        c.features[1] = char_wb_part(&c.features[0], range);
    }
    Ok(())
}

fn parse_bool(v: &str) -> Result<bool> {
    match v {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => bail!("expected true or false, got {v:?}"),
    }
}

fn write_predictions(out: &Path, data: &framelens::data::LabelledData, r: &CvResult) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "row".to_string(),
        "line".into(),
        "fold".into(),
        "gold".into(),
        "predicted".into(),
    ];
    header.extend(r.classes.iter().map(|c| format!("p_{c}")));
    header.push("text".into());
    w.write_record(&header)?;
    for (i, p) in r.proba.iter().enumerate() {
        let mut rec = vec![
            (i + 1).to_string(),
            data.lines[i].to_string(),
            (r.fold_of[i] + 1).to_string(),
            data.labels[i].clone(),
            r.classes[eval::argmax(p)].clone(),
        ];
        rec.extend(p.iter().map(|v| format!("{v:.6}")));
        rec.push(data.texts[i].clone());
        w.write_record(&rec)?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    framelens::io::write_atomic(out, &bytes).with_context(|| format!("writing {}", out.display()))
}

fn pm(x: (f64, f64)) -> String {
    format!("{:.4} ± {:.4}", x.0, x.1)
}

fn table(r: &EvalResult, best: usize) -> String {
    let mut s = String::new();
    let e = &r.results[best];
    let _ = writeln!(
        s,
        "{} rows, {} classes, {}-fold stratified cross-validation (seed {}); mean ± sd over folds",
        r.rows,
        r.classes.len(),
        r.folds,
        r.seed
    );
    if r.results.len() > 1 {
        let _ = writeln!(
            s,
            "\ngrid: {} settings, ranked by {}",
            r.results.len(),
            r.selected_by
        );
        let mut order: Vec<usize> = (0..r.results.len()).collect();
        let key = |x: &Evaluated| x.f_avg.map_or(x.macro_f1.0, |f| f.0);
        order.sort_by(|&a, &b| key(&r.results[b]).total_cmp(&key(&r.results[a])));
        for i in order {
            let x = &r.results[i];
            let _ = writeln!(
                s,
                "  {} macro-F1 {}  accuracy {}  {}",
                if i == best { "*" } else { " " },
                pm(x.macro_f1),
                pm(x.accuracy),
                if x.settings.is_empty() {
                    "(base)".into()
                } else {
                    x.settings.join(" ")
                }
            );
        }
        let _ = writeln!(
            s,
            "\nbest: {}",
            if e.settings.is_empty() {
                "(base)".into()
            } else {
                e.settings.join(" ")
            }
        );
    }
    s.push_str(&metrics_table(&r.classes, e));
    if let Some(curve) = &r.learning_curve {
        let _ = writeln!(
            s,
            "\nlearning curve (best setting): share of training data → macro-F1"
        );
        for p in curve {
            let _ = writeln!(
                s,
                "  {:>4.0}%  {:>7.1} rows  macro-F1 {}  accuracy {}",
                100.0 * p.fraction,
                p.train_rows,
                pm(p.macro_f1),
                pm(p.accuracy)
            );
        }
    }
    s
}

fn metrics_table(classes: &[String], e: &Evaluated) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\naccuracy     {}", pm(e.accuracy));
    let _ = writeln!(s, "macro-F1     {}", pm(e.macro_f1));
    let _ = writeln!(s, "weighted-F1  {}", pm(e.weighted_f1));
    if let Some(f) = e.f_avg {
        let _ = writeln!(s, "F-avg        {}", pm(f));
    }
    let _ = writeln!(s, "log-loss     {}", pm(e.log_loss));
    let _ = writeln!(s, "Brier        {}", pm(e.brier));
    s.push_str(&per_class_table(classes, &e.pooled, "out-of-fold, pooled"));
    s
}

fn per_class_table(classes: &[String], m: &Metrics, what: &str) -> String {
    let mut s = String::new();
    let w = classes.iter().map(String::len).max().unwrap_or(5).max(9);
    let _ = writeln!(s, "\nper class ({what}):");
    let _ = writeln!(s, "  {:<w$}  precision  recall     F1  support", "class");
    for c in &m.per_class {
        let _ = writeln!(
            s,
            "  {:<w$}  {:>9.3}  {:>6.3}  {:>5.3}  {:>7}",
            c.class, c.precision, c.recall, c.f1, c.support
        );
    }
    let _ = writeln!(s, "\nconfusion matrix (rows: gold, columns: predicted):");
    let _ = write!(s, "  {:<w$}", "");
    for c in classes {
        let _ = write!(s, " {:>w$}", c);
    }
    s.push('\n');
    for (g, row) in m.confusion.iter().enumerate() {
        let _ = write!(s, "  {:<w$}", classes[g]);
        for v in row {
            let _ = write!(s, " {v:>w$}");
        }
        s.push('\n');
    }
    s
}

fn held_out(a: &EvalArgs, model_path: &Path) -> Result<()> {
    let model = Arc::new(Model::load(model_path)?);
    let data = a.data.read()?;
    eoutln!("{}", a.data.describe(&data))?;
    let classes = model.classes().to_vec();
    let f_avg = class_indices(&classes, &a.f_avg)?;
    let mut scorer = model.scorer()?;
    let mut gold = Vec::new();
    let mut proba = Vec::new();
    let mut unknown = std::collections::BTreeMap::<String, usize>::new();
    let mut p = Vec::new();
    for (text, label) in data.texts.iter().zip(&data.labels) {
        match classes.iter().position(|c| c == label) {
            Some(g) => {
                scorer.proba_into(text, &mut p);
                gold.push(g);
                proba.push(p.clone());
            }
            None => *unknown.entry(label.clone()).or_insert(0) += 1,
        }
    }
    for (l, n) in &unknown {
        eoutln!("framelens: warning: {n} rows have the label {l:?}, which the model does not know; they are left out")?;
    }
    if gold.is_empty() {
        bail!(
            "{}: no row has a label the model knows ({})",
            a.data.data.display(),
            classes.join(", ")
        );
    }
    let m = eval::compute(&classes, &gold, &proba, &f_avg);
    match a.format {
        FormatArg::Json => outln!("{}", serde_json::to_string_pretty(&m)?)?,
        FormatArg::Table => {
            outln!("{} rows, model {}", m.n, model_path.display())?;
            outln!("\naccuracy     {:.4}", m.accuracy)?;
            outln!("macro-F1     {:.4}", m.macro_f1)?;
            outln!("weighted-F1  {:.4}", m.weighted_f1)?;
            if let Some(f) = m.f_avg {
                outln!("F-avg        {f:.4}")?;
            }
            outln!("log-loss     {:.4}", m.log_loss)?;
            outln!("Brier        {:.4}", m.brier)?;
            print!("{}", per_class_table(&classes, &m, "held-out"));
        }
    }
    Ok(())
}
