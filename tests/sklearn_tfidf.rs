//! TF-IDF values against scikit-learn's TfidfVectorizer.
//!
//! Expected values: `tests/fixtures/sklearn_tfidf.json`, produced by
//! `python3 scripts/sklearn_tfidf_fixture.py` (scikit-learn 1.5.2) from
//! `tests/fixtures/tfidf_corpus.txt`, one document per line.

use std::sync::Arc;

use framelens::features::{DocFreq, FeatureExtractor, Norm, TfidfConfig};
use framelens::text::{AnalyzerKind, StripAccents};
use serde_json::Value;

fn config_from_sklearn(params: &Value) -> TfidfConfig {
    let mut c = TfidfConfig::default();
    c.analyzer.stem = None; // scikit-learn does not stem
    let p = params.as_object().expect("params object");
    for (k, v) in p {
        match k.as_str() {
            "ngram_range" => {
                c.analyzer.ngram_range = (
                    v[0].as_u64().unwrap() as usize,
                    v[1].as_u64().unwrap() as usize,
                )
            }
            "min_df" => c.min_df = doc_freq(v),
            "max_df" => c.max_df = doc_freq(v),
            "max_features" => c.max_features = Some(v.as_u64().unwrap() as usize),
            "sublinear_tf" => c.sublinear_tf = v.as_bool().unwrap(),
            "smooth_idf" => c.smooth_idf = v.as_bool().unwrap(),
            "lowercase" => c.analyzer.lowercase = v.as_bool().unwrap(),
            "norm" => {
                assert!(v.is_null());
                c.norm = Norm::None
            }
            "strip_accents" => {
                assert_eq!(v, "unicode");
                c.analyzer.strip_accents = Some(StripAccents::Unicode)
            }
            "analyzer" => {
                c.analyzer.analyzer = match v.as_str().unwrap() {
                    "char_wb" => AnalyzerKind::CharWb,
                    "char" => AnalyzerKind::Char,
                    "word" => AnalyzerKind::Word,
                    other => panic!("unknown analyzer {other}"),
                }
            }
            other => panic!("fixture uses an option this test does not map: {other}"),
        }
    }
    c
}

fn doc_freq(v: &Value) -> DocFreq {
    if v.is_u64() {
        DocFreq::Count(v.as_u64().unwrap() as usize)
    } else {
        DocFreq::Fraction(v.as_f64().unwrap())
    }
}

#[test]
fn tfidf_matches_scikit_learn() {
    let root = env!("CARGO_MANIFEST_DIR");
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/tests/fixtures/sklearn_tfidf.json")).unwrap(),
    )
    .unwrap();
    let corpus =
        std::fs::read_to_string(format!("{root}/tests/fixtures/tfidf_corpus.txt")).unwrap();
    let docs: Vec<&str> = corpus.lines().collect();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    let mut checked_values = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let config = config_from_sklearn(&case["params"]);
        let fx = Arc::new(FeatureExtractor::fit(&[config], &docs).unwrap());
        let vocab: Vec<&str> = case["vocabulary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(fx.parts[0].vocabulary, vocab, "{name}: vocabulary");
        for (i, want) in case["idf"].as_array().unwrap().iter().enumerate() {
            let got = fx.parts[0].idf[i];
            assert!(
                (got - want.as_f64().unwrap()).abs() < 1e-12,
                "{name}: idf[{i}] {got} vs {want}"
            );
        }
        let mut v = fx.vectorizer().unwrap();
        for (d, row) in case["rows"].as_array().unwrap().iter().enumerate() {
            let got = v.transform(docs[d]);
            let want = row.as_array().unwrap();
            assert_eq!(got.indices.len(), want.len(), "{name}: doc {d} non-zeros");
            for (k, pair) in want.iter().enumerate() {
                assert_eq!(
                    got.indices[k] as u64,
                    pair[0].as_u64().unwrap(),
                    "{name}: doc {d} column"
                );
                let (g, w) = (got.values[k], pair[1].as_f64().unwrap());
                assert!(
                    (g - w).abs() < 1e-9,
                    "{name}: doc {d} col {}: {g} vs {w}",
                    pair[0]
                );
                checked_values += 1;
            }
        }
    }
    assert!(
        checked_values > 1000,
        "only {checked_values} values compared"
    );
}
