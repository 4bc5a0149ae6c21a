//! Tests on BABE (`../shared/data/babe/babe_sg2.csv`, not in this repository; CI has it).

use std::path::PathBuf;

use framelens::config::{Preset, Recipe};
use framelens::data::SkipReason;
use framelens::data::{CsvOptions, LabelSpec, LabelledData};
use framelens::eval::cross_validate;

fn babe() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/babe/babe_sg2.csv")
}

fn read(label: &str) -> LabelledData {
    let spec = LabelSpec {
        text: "text".into(),
        label: label.into(),
        skip_labels: vec!["No agreement".into()],
        filters: vec![],
    };
    LabelledData::read(&babe(), &spec, &CsvOptions::default())
        .expect("BABE under ../shared/data/babe")
}

#[test]
#[ignore = "needs ../shared"]
fn babe_is_read_as_documented() {
    let d = read("label_bias");
    // 3,674 rows; one `No agreement` (README of the data set); BOM and `;` detected.
    assert_eq!(d.rows.read, 3674);
    assert_eq!(d.rows.used, 3673);
    assert_eq!(d.class_counts["Biased"], 1810);
    assert_eq!(d.class_counts["Non-biased"], 1863);
    let o = read("label_opinion");
    assert_eq!(o.class_counts.len(), 3);
    assert_eq!(o.rows.skipped[&SkipReason::SkippedLabel], 216);
}

/// The scikit-learn-equivalent configuration reaches the published accuracy range
/// (BENCHMARKS.md: 0.731 macro-F1 for framelens, scikit-learn 0.724 ± 0.011 in the issue).
#[test]
#[ignore = "needs ../shared"]
fn babe_bias_cross_validated_macro_f1() {
    let d = read("label_bias");
    let config = Recipe::new(Preset::Sklearn)
        .set("ngram-range", "1,2")
        .unwrap()
        .set("min-df", "2")
        .unwrap()
        .set("sublinear-tf", "true")
        .unwrap()
        .build()
        .unwrap();
    let r = cross_validate(&config, &d.texts, &d.labels, 5, 0, &[]).unwrap();
    let (mean, sd) = r.fold_stat(|m| m.macro_f1);
    eprintln!("BABE label_bias macro-F1 {mean} ± {sd}");
    // Measured 0.731148 ± 0.014264 (2026-11-28; BENCHMARKS.md: 0.731). The folds are seeded
    // and the fit deterministic; the tolerance only allows for floating-point differences
    // between machines — any change to features, folds or the optimiser moves it more.
    assert!((mean - 0.731148).abs() < 0.001, "macro-F1 {mean} ± {sd}");
    assert!((sd - 0.014264).abs() < 0.001, "sd {sd}");
    // Pooled out-of-fold predictions cover every row once.
    assert_eq!(r.pooled.n, 3673);
    assert_eq!(r.pooled.confusion.iter().flatten().sum::<usize>(), 3673);
}
