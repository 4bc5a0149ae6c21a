//! Simulates the labelling loop on BABE `label_bias`, with the gold labels as the coder.
//!
//! A fixed random fifth is held out. For each seed and strategy: start from 100 random
//! labels of the rest, retrain (the `default` preset: scikit-learn's TfidfVectorizer and
//! LogisticRegression defaults plus English stemming and word 1-2-grams), score the held-out
//! fifth, let the strategy pick the next 100 among the unlabelled sentences
//! (`framelens::label::suggest`, the code behind `framelens suggest`), until `--max` labels.
//! Prints, as Markdown: the macro-F1 of the model trained on all the training labels, the
//! labels each strategy needs to come within 0.01 of it (mean ± sd over seeds), the
//! learning curves, and the per-outlet prevalence error (classify-and-count on the held-out
//! fifth: mean over outlets of |predicted share of Biased − gold share|).
//!
//! ```text
//! cargo run --release --example label_loop -- ../shared/data/babe/babe_sg2.csv [--seeds 5] [--max 1500]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use framelens::data::{open_table, CsvOptions, LabelSpec, LabelledData, RowCounts};
use framelens::eval::metrics;
use framelens::label::suggest::{Strategy, SuggestOptions, Suggester};
use framelens::model::{self, Model, TrainOptions};
use framelens::{Config, Preset, Recipe};

const START: usize = 100;
const BATCH: usize = 100;

struct Row {
    text: String,
    label: String,
    outlet: String,
}

fn read(path: &std::path::Path) -> Result<Vec<Row>, Box<dyn std::error::Error>> {
    let mut t = open_table(path, &CsvOptions::default())?;
    let (tc, lc, oc) = (
        t.column("text")?,
        t.column("label_bias")?,
        t.column("outlet")?,
    );
    let mut rows = Vec::new();
    while t.next_row()? {
        let label = t.field(lc)?.trim().to_string();
        if label == "Biased" || label == "Non-biased" {
            rows.push(Row {
                text: t.field(tc)?,
                label,
                outlet: t.field(oc)?,
            });
        }
    }
    Ok(rows)
}

fn train(rows: &[Row], idx: &[usize], config: &Config) -> Result<Arc<Model>, framelens::Error> {
    let texts: Vec<String> = idx.iter().map(|&i| rows[i].text.clone()).collect();
    let labels: Vec<String> = idx.iter().map(|&i| rows[i].label.clone()).collect();
    let mut class_counts = BTreeMap::new();
    for l in &labels {
        *class_counts.entry(l.clone()).or_insert(0) += 1;
    }
    let data = LabelledData {
        path: "babe".into(),
        spec: LabelSpec::new("text", "label_bias"),
        sha256: String::new(),
        lines: (1..=texts.len() as u64).collect(),
        rows: RowCounts::default(),
        texts,
        labels,
        class_counts,
        warnings: Vec::new(),
    };
    Ok(Arc::new(model::train(
        &data,
        config,
        &TrainOptions::default(),
    )?))
}

/// Macro-F1 on the held-out rows and the mean absolute per-outlet prevalence error.
fn evaluate(m: &Arc<Model>, rows: &[Row], test: &[usize]) -> (f64, f64) {
    let mut scorer = m.scorer().expect("scorer");
    let classes = m.classes().to_vec();
    let biased = classes.iter().position(|c| c == "Biased").unwrap_or(0);
    let mut gold = Vec::new();
    let mut probs = Vec::new();
    let mut per: BTreeMap<&str, (f64, f64, f64)> = BTreeMap::new();
    for &i in test {
        let mut p = Vec::new();
        scorer.proba_into(&rows[i].text, &mut p);
        let g = classes
            .iter()
            .position(|c| *c == rows[i].label)
            .unwrap_or(0);
        let e = per.entry(&rows[i].outlet).or_default();
        e.0 += 1.0;
        e.1 += f64::from(u8::from(metrics::argmax(&p) == biased));
        e.2 += f64::from(u8::from(g == biased));
        gold.push(g);
        probs.push(p);
    }
    let f1 = metrics::compute(&classes, &gold, &probs, &[]).macro_f1;
    let mae = per.values().map(|(n, p, g)| (p - g).abs() / n).sum::<f64>() / per.len() as f64;
    (f1, mae)
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let v = if xs.len() > 1 {
        xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (m, v.sqrt())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = PathBuf::from(
        args.first()
            .ok_or("usage: label_loop BABE.csv [--seeds N] [--max N]")?,
    );
    let opt = |name: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (seeds, max) = (opt("--seeds", 5), opt("--max", 1500));
    let rows = read(&path)?;
    let config = Recipe::new(Preset::Default).build()?;
    let mut all: Vec<usize> = (0..rows.len()).collect();
    all.shuffle(&mut ChaCha8Rng::seed_from_u64(2026));
    let n_test = rows.len() / 5;
    let test: Vec<usize> = all[..n_test].to_vec();
    let pool: Vec<usize> = all[n_test..].to_vec();
    let full = train(&rows, &pool, &config)?;
    let (f1_full, mae_full) = evaluate(&full, &rows, &test);
    println!(
        "BABE label_bias: {} sentences, {} held out, {} to label from; preset default\n",
        rows.len(),
        test.len(),
        pool.len()
    );
    println!("Model on all {} training labels: macro-F1 {f1_full:.4}, per-outlet prevalence error {mae_full:.4}\n", pool.len());
    let strategies = [Strategy::Random, Strategy::Margin, Strategy::Diverse];
    let budgets: Vec<usize> = (START..=max).step_by(BATCH).collect();
    // curves[strategy][seed][step] = (f1, mae)
    let mut curves: Vec<Vec<Vec<(f64, f64)>>> = vec![Vec::new(); strategies.len()];
    for seed in 0..seeds as u64 {
        let mut order = pool.clone();
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        for (si, &strategy) in strategies.iter().enumerate() {
            let mut labelled: Vec<usize> = order[..START].to_vec();
            let mut is_labelled = vec![false; rows.len()];
            for &i in &labelled {
                is_labelled[i] = true;
            }
            let mut curve = Vec::new();
            loop {
                let m = train(&rows, &labelled, &config)?;
                curve.push(evaluate(&m, &rows, &test));
                if labelled.len() + BATCH > max {
                    break;
                }
                let opts = SuggestOptions {
                    n: BATCH,
                    strategy,
                    seed: seed * 1000 + labelled.len() as u64,
                    min_chars: 0,
                    ..SuggestOptions::default()
                };
                let mut s = Suggester::new(m.clone(), opts)?;
                for &i in &pool {
                    if !is_labelled[i] {
                        s.push_sentence("babe", &i.to_string(), 0, &rows[i].text);
                    }
                }
                let picked = s.finish();
                for p in &picked {
                    let i: usize = p.row.doc.parse()?;
                    is_labelled[i] = true;
                    labelled.push(i);
                }
                if picked.is_empty() {
                    break;
                }
            }
            eprintln!(
                "seed {seed} {}: final macro-F1 {:.4}",
                strategy.name(),
                curve.last().map_or(0.0, |c| c.0)
            );
            curves[si].push(curve);
        }
    }
    println!("| strategy | labels to reach macro-F1 ≥ {:.4} (full − 0.01), mean ± sd | seeds that got there | share of random's labels |", f1_full - 0.01);
    println!("|---|---:|---:|---:|");
    let reach = |c: &Vec<(f64, f64)>| {
        c.iter()
            .position(|(f, _)| *f >= f1_full - 0.01)
            .map(|i| budgets[i] as f64)
    };
    let mut random_mean = None;
    for (si, s) in strategies.iter().enumerate() {
        let got: Vec<f64> = curves[si].iter().filter_map(reach).collect();
        let (m, sd) = mean_sd(&got);
        if si == 0 && got.len() == seeds {
            random_mean = Some(m);
        }
        let share = match (random_mean, got.len() == seeds) {
            (Some(r), true) => format!("{:.0}%", 100.0 * m / r),
            _ => "—".into(),
        };
        let cell = if got.is_empty() {
            format!("> {max}")
        } else if got.len() < seeds {
            format!("{m:.0} ± {sd:.0} (of those that got there; the rest > {max})")
        } else {
            format!("{m:.0} ± {sd:.0}")
        };
        println!(
            "| {} | {cell} | {}/{seeds} | {share} |",
            s.name(),
            got.len()
        );
    }
    println!("\nMacro-F1 on the held-out fifth (mean ± sd over {seeds} seeds):\n");
    let header: Vec<String> = strategies.iter().map(|s| s.name().to_string()).collect();
    println!("| labels | {} |", header.join(" | "));
    println!("|---:|{}", "---:|".repeat(strategies.len()));
    for (step, b) in budgets.iter().enumerate() {
        let cells: Vec<String> = curves
            .iter()
            .map(|cs| {
                let xs: Vec<f64> = cs.iter().filter_map(|c| c.get(step).map(|x| x.0)).collect();
                let (m, sd) = mean_sd(&xs);
                format!("{m:.4} ± {sd:.4}")
            })
            .collect();
        println!("| {b} | {} |", cells.join(" | "));
    }
    println!("\nPer-outlet prevalence error of Biased (classify-and-count on the held-out fifth, mean over outlets of |predicted − gold share|; mean ± sd over seeds; full model {mae_full:.4}):\n");
    println!("| labels | {} |", header.join(" | "));
    println!("|---:|{}", "---:|".repeat(strategies.len()));
    for (step, b) in budgets.iter().enumerate() {
        if !(b - START).is_multiple_of(300) && *b != max {
            continue;
        }
        let cells: Vec<String> = curves
            .iter()
            .map(|cs| {
                let xs: Vec<f64> = cs.iter().filter_map(|c| c.get(step).map(|x| x.1)).collect();
                let (m, sd) = mean_sd(&xs);
                format!("{m:.4} ± {sd:.4}")
            })
            .collect();
        println!("| {b} | {} |", cells.join(" | "));
    }
    Ok(())
}
