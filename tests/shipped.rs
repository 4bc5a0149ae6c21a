//! The shipped data: seed labels, codebook and models fit together.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use framelens::model::Model;
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
        assert_eq!(&r[4], text, "row {}", &r[0]);
    }
}

#[test]
fn shipped_models_load_and_score() {
    for (name, classes) in [
        ("stance", vec!["anti_kremlin", "neutral", "pro_kremlin"]),
        (
            "frame",
            vec![
                "diplomacy",
                "domestic_politics",
                "economic",
                "human_cost",
                "military",
                "other",
                "responsibility",
                "security_order",
            ],
        ),
    ] {
        let m = Arc::new(Model::load(&root().join(format!("models/{name}.json"))).unwrap());
        assert_eq!(m.classes(), classes, "{name}");
        assert_eq!(m.training.data_file, "seed_sentences.csv");
        assert_eq!(m.training.filters, ["section=body"]);
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
        let cv = m
            .training
            .cross_validation
            .as_ref()
            .expect("trained with --cv");
        assert_eq!(cv.confusion.len(), classes.len());
        let mut p = Vec::new();
        m.scorer()
            .unwrap()
            .proba_into("NATO must stop its expansion to Russia's borders.", &mut p);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
}
