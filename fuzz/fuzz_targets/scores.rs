//! The scores reader of `report` (CSV or JSON Lines, chosen by the first byte): an error
//! names the file; every row it accepts has finite probabilities in [0, 1] and a label that is
//! one of its model's classes; a report built from the file has shares that add up.
#![no_main]
use framelens::report::{render, Report, ReportFormat, ReportOptions};
use framelens::score::ScoresReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let ext = ["csv", "jsonl"][usize::from(sel & 1)];
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("scores.{ext}"));
    std::fs::write(&path, rest).expect("write input");
    let opts = ReportOptions::default();
    let reader = match ScoresReader::open(&path, &opts.csv) {
        Ok(r) => r,
        Err(e) => {
            assert!(
                e.to_string().contains("scores."),
                "error without the file: {e}"
            );
            return;
        }
    };
    let models = reader.columns().models.clone();
    let mut ok = true;
    for row in reader.take(10_000) {
        match row {
            Ok(row) => {
                for (m, p) in models.iter().zip(&row.predictions) {
                    assert!(
                        m.classes.contains(&p.label),
                        "label {:?} not a class",
                        p.label
                    );
                    for x in &p.probabilities {
                        assert!(x.is_finite() && (0.0..=1.0).contains(x), "probability {x}");
                    }
                }
            }
            Err(e) => {
                assert!(
                    e.to_string().contains("scores."),
                    "error without the file: {e}"
                );
                ok = false;
                break;
            }
        }
    }
    if ok {
        if let Ok(report) = Report::from_file(&path, &opts) {
            let text = render(&report, ReportFormat::Markdown);
            let words = text.split(|c: char| !c.is_alphanumeric());
            assert!(
                !words.into_iter().any(|w| w == "NaN" || w == "inf"),
                "{text}"
            );
        }
    }
});
