//! The model loader, seeded with small trained models: an error names the file; a model that
//! loads scores every text with finite probabilities that sum to 1, one per class, and its
//! classes are distinct.
#![no_main]
use framelens::Model;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    // The model, then (after a NUL byte, if any) a text to score.
    let (bytes, text) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], String::from_utf8_lossy(&data[i + 1..])),
        None => (
            data,
            "Troops crossed the border. NATO said the talks failed.".into(),
        ),
    };
    let path = std::path::Path::new("fuzz-model.json");
    let model = match Model::from_slice(path, bytes) {
        Ok(m) => Arc::new(m),
        Err(e) => {
            assert!(
                e.to_string().contains("fuzz-model.json"),
                "error without the file: {e}"
            );
            return;
        }
    };
    let classes = model.classes().to_vec();
    let mut sorted = classes.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), classes.len(), "duplicate classes loaded");
    let mut scorer = model.scorer().expect("a loaded model gives a scorer");
    let mut p = Vec::new();
    for t in [text.as_ref(), "", "the the the", "Troops."] {
        scorer.proba_into(t, &mut p);
        assert_eq!(p.len(), classes.len());
        assert!(
            p.iter().all(|x| x.is_finite() && (0.0..=1.0).contains(x)),
            "{p:?}"
        );
        let s: f64 = p.iter().sum();
        assert!((s - 1.0).abs() < 1e-9, "probabilities sum to {s}");
    }
});
