//! Criterion benchmarks of each scoring stage (issue 12), on the hand-labelled seed sentences
//! (`labels/seed_sentences.csv`, repeated to a fixed size): sentence splitting, term extraction
//! (analyze), TF-IDF vectorising, class probabilities (predict) and the whole `score` command
//! path (read CSV, vectorise, predict, write CSV). Each stage runs with the `train` default
//! features (stemmed word 1-2-grams) and with `--preset best`'s (stemmed word 1-3-grams +
//! char_wb 1-6-grams), fitted on the seed sentences. Sizes are in the benchmark ids; inputs are
//! built outside the timed loops and each loop checks a count.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use framelens::features::{FeatureExtractor, SparseRow, TfidfConfig};
use framelens::model::{LogisticParams, Model, ParamGuard};
use framelens::score::{score, NamedModel, ScoreOptions};
use framelens::text::{for_each_sentence, Analyzer, AnalyzerKind};

/// The seed sentences and their frame labels, in file order.
fn sentences() -> (Vec<String>, Vec<String>) {
    let mut r = csv::Reader::from_path("labels/seed_sentences.csv").expect("seed sentences");
    let headers = r.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (text, frame) = (col("text"), col("frame"));
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            (rec[text].to_string(), rec[frame].to_string())
        })
        .unzip()
}

/// `base` repeated until it holds at least `bytes` bytes of text.
fn repeat_to(base: &[String], bytes: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut n = 0;
    while n < bytes {
        for s in base {
            n += s.len();
            out.push(s.clone());
        }
    }
    out
}

/// The `train` default (stemmed word 1-2-grams) and `--preset best`'s features.
fn configs() -> Vec<(&'static str, Vec<TfidfConfig>)> {
    let mut word12 = TfidfConfig::default();
    word12.analyzer.ngram_range = (1, 2);
    let mut word13 = TfidfConfig::default();
    word13.analyzer.ngram_range = (1, 3);
    word13.sublinear_tf = true;
    let mut char_wb = word13.clone();
    char_wb.analyzer.analyzer = AnalyzerKind::CharWb;
    char_wb.analyzer.ngram_range = (1, 6);
    char_wb.analyzer.stem = None;
    vec![
        ("word12_stem", vec![word12]),
        ("best", vec![word13, char_wb]),
    ]
}

fn bench(c: &mut Criterion) {
    let (base, labels) = sentences();
    let texts = repeat_to(&base, 1 << 20);
    let bytes: usize = texts.iter().map(String::len).sum();
    let n = texts.len();
    let size = format!("{n}sent_{bytes}B");

    let mut g = c.benchmark_group("split");
    g.throughput(Throughput::Bytes(bytes as u64));
    let joined = texts.join(" ");
    let n_split = {
        let mut k = 0;
        for_each_sentence(&joined, |_| k += 1);
        k
    };
    g.bench_function(
        BenchmarkId::new("english", format!("{}B", joined.len())),
        |b| {
            b.iter(|| {
                let mut k = 0;
                for_each_sentence(&joined, |_| k += 1);
                assert_eq!(k, n_split);
            })
        },
    );
    g.finish();

    let mut g = c.benchmark_group("analyze");
    g.throughput(Throughput::Bytes(bytes as u64));
    for (name, parts) in configs() {
        for part in &parts {
            let mut analyzer = Analyzer::new(&part.analyzer).expect("analyzer");
            let expected: usize = texts.iter().map(|t| analyzer.terms(t).len()).sum();
            let (lo, hi) = part.analyzer.ngram_range;
            let id = format!("{name}_{}{lo}-{hi}", part.analyzer.analyzer.name());
            g.bench_function(BenchmarkId::new(id, &size), |b| {
                b.iter(|| {
                    let mut k = 0;
                    for t in &texts {
                        analyzer.for_each_term(t, |_| k += 1);
                    }
                    assert_eq!(k, expected);
                })
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("vectorize");
    g.throughput(Throughput::Bytes(bytes as u64));
    for (name, parts) in configs() {
        let fx = Arc::new(FeatureExtractor::fit(&parts, &base).expect("fit"));
        let mut v = fx.vectorizer().expect("vectorizer");
        let mut row = SparseRow::default();
        let expected: usize = texts
            .iter()
            .map(|t| {
                v.transform_into(t, &mut row);
                row.indices.len()
            })
            .sum();
        let id = format!("{name}_{}terms", fx.n_features());
        g.bench_function(BenchmarkId::new(id, &size), |b| {
            b.iter(|| {
                let mut k = 0;
                for t in &texts {
                    v.transform_into(t, &mut row);
                    k += row.indices.len();
                }
                assert_eq!(k, expected);
            })
        });
    }
    g.finish();

    // The shipped models: frame (word 1-2 + char_wb 2-5) and stance (char 2-5).
    let models: Vec<(&str, Arc<Model>)> = ["frame", "stance"]
        .iter()
        .map(|m| {
            let path = PathBuf::from(format!("models/{m}.json"));
            (*m, Arc::new(Model::load(&path).expect("shipped model")))
        })
        .collect();

    let mut g = c.benchmark_group("predict");
    for (name, model) in &models {
        let mut v = model.features.vectorizer().expect("vectorizer");
        let rows: Vec<SparseRow> = texts.iter().map(|t| v.transform(t)).collect();
        let nnz: usize = rows.iter().map(|r| r.indices.len()).sum();
        g.throughput(Throughput::Elements(rows.len() as u64));
        let mut p = Vec::new();
        g.bench_function(
            BenchmarkId::new(*name, format!("{}rows_{nnz}nnz", rows.len())),
            |b| {
                b.iter(|| {
                    let mut k = 0;
                    for r in &rows {
                        model
                            .classifier
                            .predict_proba_into(&r.indices, &r.values, &mut p);
                        k += p.len();
                    }
                    assert_eq!(k, rows.len() * model.classes().len());
                })
            },
        );
    }
    g.finish();

    // End to end: `framelens score --no-split corpus.csv` through the library (read the CSV,
    // vectorise, predict, write CSV to memory), one row per text.
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus.csv");
    {
        let mut w = csv::Writer::from_path(&corpus).expect("corpus");
        w.write_record(["text"]).expect("header");
        for t in &texts {
            w.write_record([t]).expect("row");
        }
        w.flush().expect("flush");
    }
    let mut g = c.benchmark_group("end_to_end");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    for (name, parts) in configs() {
        let model = Arc::new(train(&parts, &base, &labels));
        end_to_end(&mut g, name, &size, &corpus, model, n);
    }
    for (name, model) in &models {
        end_to_end(&mut g, name, &size, &corpus, model.clone(), n);
    }
    g.finish();
}

/// A model of `parts` trained on the seed sentences' frame labels.
fn train(parts: &[TfidfConfig], base: &[String], labels: &[String]) -> Model {
    let params = LogisticParams::default();
    let params = params.check_ref().expect("default parameters");
    let (fx, clf, _) = framelens::model::fit(parts, params, base, labels).expect("fit");
    let training = Model::load(Path::new("models/frame.json"))
        .expect("shipped model")
        .training;
    Model::new(fx, clf, training)
}

fn end_to_end(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    size: &str,
    corpus: &Path,
    model: Arc<Model>,
    n: usize,
) {
    let models = [NamedModel::new(name, model)];
    let opts = ScoreOptions {
        no_split: true,
        ..ScoreOptions::default()
    };
    let inputs = [corpus.to_path_buf()];
    let mut out = Vec::new();
    g.bench_function(BenchmarkId::new(name, size), |b| {
        b.iter(|| {
            out.clear();
            let summary = score(&models, &inputs, &opts, &mut out, &mut |_| {}).expect("score");
            assert_eq!(summary.sentences, n);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
