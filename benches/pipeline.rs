//! Criterion benchmarks of the pipeline steps on the seed articles: sentence splitting,
//! term extraction (tokenise + stem + n-grams), TF-IDF vectorising and scoring with the
//! shipped stance model. Inputs are built outside the timed loops; each loop checks a count.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn

use std::sync::Arc;

use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use framelens::model::Model;
use framelens::text::{for_each_sentence, split_sentences, Analyzer, AnalyzerConfig};

const ARTICLES: [&str; 5] = [
    include_str!("../labels/seeds/guardian/000_d2160c985169bc14.txt"),
    include_str!("../labels/seeds/express/001_a595051bd30801a2.txt"),
    include_str!("../labels/seeds/inosmi/002_89fa8f4c1e8583af.txt"),
    include_str!("../labels/seeds/greatpowerrelations/003_cce356c27d1bfddf.txt"),
    include_str!("../labels/seeds/antiempire/004_7362f265dc8c698d.txt"),
];

fn corpus() -> String {
    ARTICLES.join("\n\n")
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let n_sentences = split_sentences(&text).len();
    let sentences: Vec<String> = split_sentences(&text)
        .iter()
        .map(|s| s.text.to_string())
        .collect();
    let bytes = text.len() as u64;
    let mut g = c.benchmark_group("seeds");
    g.throughput(Throughput::Bytes(bytes));

    g.bench_function(
        BenchmarkId::new("split_sentences", format!("{bytes}B")),
        |b| {
            b.iter(|| {
                let mut n = 0;
                for_each_sentence(&text, |_| n += 1);
                assert_eq!(n, n_sentences);
            })
        },
    );

    let mut analyzer = Analyzer::new(&AnalyzerConfig {
        ngram_range: (1, 2),
        ..AnalyzerConfig::default()
    })
    .expect("default analyzer");
    let n_terms: usize = sentences.iter().map(|s| analyzer.terms(s).len()).sum();
    g.bench_function(
        BenchmarkId::new("terms_word12_stem", format!("{n_sentences}sent")),
        |b| {
            b.iter(|| {
                let mut n = 0;
                for s in &sentences {
                    analyzer.for_each_term(s, |_| n += 1);
                }
                assert_eq!(n, n_terms);
            })
        },
    );

    let model =
        Arc::new(Model::load(std::path::Path::new("models/stance.json")).expect("shipped model"));
    let mut scorer = model.scorer().expect("scorer");
    let mut p = Vec::new();
    g.bench_function(
        BenchmarkId::new("score_stance_model", format!("{n_sentences}sent")),
        |b| {
            b.iter(|| {
                let mut n = 0;
                for s in &sentences {
                    scorer.proba_into(s, &mut p);
                    n += 1;
                }
                assert_eq!(n, n_sentences);
            })
        },
    );
    g.finish();

    // Issue 11, item 1: stops without white space ("a.a.a.…") split in linear time.
    let mut g = c.benchmark_group("split_no_spaces");
    for n in [25_000, 100_000] {
        let text = "a.".repeat(n);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(BenchmarkId::new("a.", format!("{}B", text.len())), |b| {
            b.iter(|| {
                let mut k = 0;
                for_each_sentence(&text, |_| k += 1);
                assert_eq!(k, 1);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);

/// `FRAMELENS_SPLIT_REPS=N` runs only the seeds split N times and exits, for a load-independent
/// instruction count: the difference of two callgrind runs (N = 0 and N = 10) divided by
/// 10 × the corpus size is the splitter's instructions per byte (BENCHMARKS.md, issue 15).
fn main() {
    if let Some(reps) = std::env::var("FRAMELENS_SPLIT_REPS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let text = corpus();
        let mut n = 0usize;
        for _ in 0..reps {
            for_each_sentence(std::hint::black_box(&text), |_| n += 1);
        }
        println!("{} bytes, {reps} runs, {n} sentences", text.len());
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
