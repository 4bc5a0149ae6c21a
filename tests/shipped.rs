//! The shipped data: seed labels, codebook and models fit together.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use framelens::model::{Model, Scorer};
use framelens::text::split_sentences;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Values defined in a codebook section: table rows starting with `` | `value` | `` or
/// paragraphs starting with `` **`value`** ``, between the heading and the next heading of the
/// same or a higher level.
fn codebook_values(codebook: &str, heading: &str) -> BTreeSet<String> {
    let start = codebook
        .find(heading)
        .unwrap_or_else(|| panic!("codebook has no heading {heading:?}"));
    let level = heading.chars().take_while(|&c| c == '#').count();
    let body = &codebook[start + heading.len()..];
    let end = body
        .lines()
        .scan(0usize, |off, l| {
            let here = *off;
            *off += l.len() + 1;
            Some((here, l))
        })
        .find(|(_, l)| {
            let hashes = l.chars().take_while(|&c| c == '#').count();
            hashes > 0 && hashes <= level && l.chars().nth(hashes) == Some(' ')
        })
        .map_or(body.len(), |(o, _)| o);
    let mut out = BTreeSet::new();
    for line in body[..end].lines() {
        let rest = line
            .strip_prefix("| `")
            .or_else(|| line.strip_prefix("**`"));
        if let Some(rest) = rest {
            if let Some(v) = rest.split('`').next() {
                out.insert(v.to_string());
            }
        }
    }
    out
}

fn seed_rows() -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(root().join("labels/seed_sentences.csv")).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "source", "doc", "index", "text", "stance", "frame", "section", "notes"]
    );
    r.records().map(|x| x.unwrap()).collect()
}

#[test]
fn label_values_are_exactly_the_codebooks() {
    let codebook = std::fs::read_to_string(root().join("labels/CODEBOOK.md")).unwrap();
    let rows = seed_rows();
    for (col, heading) in [
        (5, "### 5.1 Values"),
        (6, "### 6.1 Values"),
        (7, "## 4. `section`"),
    ] {
        let allowed = codebook_values(&codebook, heading);
        assert!(allowed.len() >= 3, "{heading}: found {allowed:?}");
        let used: BTreeSet<String> = rows.iter().map(|r| r[col].to_string()).collect();
        assert_eq!(
            used, allowed,
            "column {col}: values used vs defined under {heading}"
        );
    }
}

#[test]
fn seed_sentences_are_what_the_splitter_produces() {
    let rows = seed_rows();
    let mut expected = Vec::new();
    let seeds = root().join("labels/seeds");
    for source in [
        "guardian",
        "express",
        "inosmi",
        "greatpowerrelations",
        "antiempire",
    ] {
        let mut files: Vec<_> = std::fs::read_dir(seeds.join(source))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        assert_eq!(files.len(), 1, "{source}: one article");
        let text = std::fs::read_to_string(&files[0]).unwrap();
        let doc = files[0].file_stem().unwrap().to_string_lossy().into_owned();
        for (i, s) in split_sentences(&text).iter().enumerate() {
            expected.push((
                source.to_string(),
                doc.clone(),
                i.to_string(),
                s.text.to_string(),
            ));
        }
    }
    assert_eq!(
        rows.len(),
        expected.len(),
        "rows in seed_sentences.csv vs sentences split"
    );
    for (r, (source, doc, index, text)) in rows.iter().zip(&expected) {
        assert_eq!(
            (&r[1], &r[2], &r[3]),
            (source.as_str(), doc.as_str(), index.as_str())
        );
        // The labels were cut when the splitter still dropped list markers ("• ", "1. ");
        // issue 15 keeps them, so a labelled sentence may lack exactly a leading marker.
        let same = &r[4] == text
            || text
                .strip_suffix(&r[4])
                .is_some_and(|m| is_list_marker(m.trim_end()));
        assert!(same, "row {}: {:?} vs split {:?}", &r[0], &r[4], text);
    }
}

/// A bullet or a list number such as `1.`: what the old splitter dropped.
fn is_list_marker(m: &str) -> bool {
    let digits = m.trim_end_matches(['.', ')']);
    ["•", "-", "*", "–"].contains(&m)
        || (!digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// The classes of the shipped stance model, in model order.
const STANCE_CLASSES: [&str; 3] = ["anti_kremlin", "neutral", "pro_kremlin"];
/// The classes of the shipped frame model, in model order.
const FRAME_CLASSES: [&str; 8] = [
    "diplomacy",
    "domestic_politics",
    "economic",
    "human_cost",
    "military",
    "other",
    "responsibility",
    "security_order",
];

/// `models/<name>.json`.
fn shipped(name: &str) -> Arc<Model> {
    Arc::new(Model::load(&root().join(format!("models/{name}.json"))).unwrap())
}

/// The rows the shipped models were trained on (`section=body`), as (id, text, stance, frame).
fn training_rows() -> Vec<(String, String, String, String)> {
    seed_rows()
        .iter()
        .filter(|r| &r[7] == "body")
        .map(|r| (r[0].into(), r[4].into(), r[5].into(), r[6].into()))
        .collect()
}

/// The most probable class of `text`, its probability, and its lead over the runner-up.
fn predict(scorer: &mut Scorer, text: &str) -> (String, f64, f64) {
    let mut p = Vec::new();
    scorer.proba_into(text, &mut p);
    let classes = scorer.model().classes();
    assert_eq!(p.len(), classes.len());
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{p:?}");
    let best = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
    let runner_up = (0..p.len())
        .filter(|&k| k != best)
        .map(|k| p[k])
        .fold(f64::MIN, f64::max);
    (classes[best].clone(), p[best], p[best] - runner_up)
}

#[test]
fn shipped_models_load_and_score() {
    let rows = training_rows();
    assert_eq!(rows.len(), 275, "body rows of seed_sentences.csv");
    // Correct predictions on their own training rows, measured when the models were pinned
    // (stance: 265 of 275, frame: 269 of 275). The models are regularised, so not 275.
    for (name, classes, correct) in [
        ("stance", &STANCE_CLASSES[..], 265),
        ("frame", &FRAME_CLASSES[..], 269),
    ] {
        let m = shipped(name);
        assert_eq!(m.classes(), classes, "{name}");
        assert_eq!(m.training.data_file, "seed_sentences.csv");
        assert_eq!(m.training.filters, ["section=body"]);
        assert_eq!(m.training.rows.read, 321, "{name}");
        assert_eq!(m.training.rows.used, rows.len(), "{name}");
        // The models are current: trained on the committed labels (retrain: bash models/train.sh).
        use sha2::Digest;
        let bytes = std::fs::read(root().join("labels/seed_sentences.csv")).unwrap();
        let sha: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            m.training.data_sha256, sha,
            "{name}.json was trained on other labels"
        );
        let mut scorer = m.scorer().unwrap();
        let mut hits = 0;
        for (_, text, stance, frame) in &rows {
            let gold = if name == "stance" { stance } else { frame };
            if predict(&mut scorer, text).0 == *gold {
                hits += 1;
            }
        }
        assert_eq!(
            hits,
            correct,
            "{name}: training rows predicted correctly (of {})",
            rows.len()
        );
    }
}

#[test]
fn shipped_models_store_a_consistent_cross_validation() {
    for (name, folds, correct) in [("stance", 5, 164), ("frame", 5, 131)] {
        let m = shipped(name);
        let cv = m
            .training
            .cross_validation
            .as_ref()
            .expect("trained with --cv");
        assert_eq!((cv.folds, cv.seed), (folds, 0), "{name}");
        let k = m.classes().len();
        assert_eq!(cv.confusion.len(), k, "{name}");
        assert!(cv.confusion.iter().all(|r| r.len() == k), "{name}");
        // Every training row is predicted once, out of fold: the rows sum to the class counts.
        let total: usize = cv.confusion.iter().flatten().sum();
        assert_eq!(total, m.training.rows.used, "{name}");
        for (class, row) in m.classes().iter().zip(&cv.confusion) {
            assert_eq!(
                row.iter().sum::<usize>(),
                m.training.class_counts[class],
                "{name}: {class}"
            );
        }
        // Accuracy and macro-F1 are those of the matrix (F1 = 0 for a class never predicted
        // correctly, as scikit-learn's zero_division=0).
        let diagonal: usize = (0..k).map(|i| cv.confusion[i][i]).sum();
        assert_eq!(diagonal, correct, "{name}: out-of-fold correct predictions");
        assert!(
            (cv.accuracy - diagonal as f64 / total as f64).abs() < 1e-12,
            "{name}: stored accuracy {} vs matrix {diagonal}/{total}",
            cv.accuracy
        );
        let f1 = (0..k)
            .map(|i| {
                let tp = cv.confusion[i][i] as f64;
                let gold: usize = cv.confusion[i].iter().sum();
                let predicted: usize = cv.confusion.iter().map(|r| r[i]).sum();
                if tp == 0.0 {
                    0.0
                } else {
                    2.0 * tp / (gold + predicted) as f64
                }
            })
            .sum::<f64>()
            / k as f64;
        assert!(
            (cv.macro_f1 - f1).abs() < 1e-12,
            "{name}: stored macro-F1 {} vs matrix {f1}",
            cv.macro_f1
        );
    }
}

#[test]
fn shipped_models_predict_clear_sentences() {
    let rows = training_rows();
    let text_of = |id: &str| -> &(String, String, String, String) {
        rows.iter()
            .find(|r| r.0 == id)
            .unwrap_or_else(|| panic!("no body row {id}"))
    };
    // Seed sentences that the models give their gold label with their highest probabilities
    // (the models are strongly regularised: 0.6 is high for 3 classes, 0.2 for 8).
    // (model, row id, gold = predicted class, probability at least)
    for (name, id, class, at_least) in [
        ("stance", "guardian_001", "anti_kremlin", 0.59),
        ("stance", "greatpowerrelations_059", "neutral", 0.59),
        ("stance", "greatpowerrelations_092", "pro_kremlin", 0.55),
        ("frame", "inosmi_031", "human_cost", 0.49),
        ("frame", "greatpowerrelations_058", "economic", 0.33),
        ("frame", "antiempire_055", "domestic_politics", 0.25),
        ("frame", "greatpowerrelations_088", "security_order", 0.19),
        ("frame", "greatpowerrelations_059", "diplomacy", 0.17),
        ("frame", "guardian_002", "military", 0.17),
    ] {
        let (_, text, stance, frame) = text_of(id);
        let gold = if name == "stance" { stance } else { frame };
        assert_eq!(gold, class, "{id}: gold {name}");
        let (got, p, _) = predict(&mut shipped(name).scorer().unwrap(), text);
        assert_eq!(got, class, "{name} on {id}: {text}");
        assert!(p >= at_least, "{name} on {id}: p({class}) = {p:.3}");
    }
    // Sentences written for this test, not in the training data, whose framing is plain. Each
    // gets its class by a clear lead over the runner-up.
    for (name, text, class) in [
        (
            "stance",
            "The West ignored Russia's proposals on security guarantees and keeps pushing NATO eastward.",
            "pro_kremlin",
        ),
        (
            "stance",
            "NATO expansion to Russia's borders provoked this crisis, and Washington ignored Russia's legitimate security concerns.",
            "pro_kremlin",
        ),
        (
            "stance",
            "Putin's unprovoked invasion of Ukraine is a brutal act of aggression that must be punished.",
            "anti_kremlin",
        ),
        (
            "stance",
            "The meeting in Geneva is scheduled for Monday.",
            "neutral",
        ),
        (
            "frame",
            "New sanctions on Russian banks would hit the ruble and the economy.",
            "economic",
        ),
        (
            "frame",
            "The war will cost the lives of people in Ukraine for generations.",
            "human_cost",
        ),
        (
            "frame",
            "Biden faces pressure from Congress and domestic politics.",
            "domestic_politics",
        ),
    ] {
        let (got, p, lead) = predict(&mut shipped(name).scorer().unwrap(), text);
        assert_eq!(got, class, "{name}: {text} (p = {p:.3})");
        assert!(lead >= 0.05, "{name}: {text}: {class} leads by {lead:.3} only");
    }
}
