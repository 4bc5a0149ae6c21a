//! Partial reports merge exactly (issue 14): the partials of any split of a scores file,
//! merged in any order, give the report of the whole file byte for byte, in every format.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use framelens::model::Model;
use framelens::report::{self, partial, Partial, Report, ReportFormat, ReportOptions};
use framelens::score::{ScoreColumns, ScoredSentence, ScoresReader};

use crate::util::Dir;

/// The shipped models' scores of the bundled seed articles, read back from the scores file.
fn seed_scores(d: &Dir) -> (ScoreColumns, Vec<ScoredSentence>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let models = |name: &str| root.join("models").join(name).display().to_string();
    let seeds = root.join("labels/seeds").display().to_string();
    let out = d.join("scores.jsonl").display().to_string();
    d.ok(&[
        "score",
        "--model",
        &models("stance.json"),
        "--model",
        &models("frame.json"),
        &seeds,
        "--format",
        "jsonl",
        "--out",
        &out,
    ]);
    let reader = ScoresReader::open(Path::new(&out), &Default::default()).expect("scores");
    let columns = reader.columns().clone();
    let rows = reader.collect::<Result<Vec<_>, _>>().expect("rows");
    (columns, rows)
}

fn shipped(name: &str) -> Arc<Model> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models")
        .join(format!("{name}.json"));
    Arc::new(Model::load(&p).expect("shipped model"))
}

const FORMATS: [ReportFormat; 4] = [
    ReportFormat::Markdown,
    ReportFormat::Csv,
    ReportFormat::Json,
    ReportFormat::Html,
];

fn rendered(r: &Report) -> Vec<String> {
    FORMATS.iter().map(|&f| report::render(r, f)).collect()
}

/// The partial of `rows`, written and read back as a file would be.
fn partial_of(columns: &ScoreColumns, rows: &[&ScoredSentence], opts: &ReportOptions) -> Partial {
    let p = Partial::try_from_rows(columns, rows.iter().copied().map(Ok), opts).expect("partial");
    let json = p.to_json().expect("json");
    assert_eq!(json.matches('\n').count(), 1, "one line");
    let back = Partial::parse(&json, Path::new("part.json")).expect("reads back");
    assert_eq!(back, p);
    back
}

/// Splits `rows` into parts at random: contiguous pieces, or rows dealt to parts at random
/// (each part keeps the rows' order), and the parts in random order half the time.
fn random_split<'a>(
    rows: &'a [ScoredSentence],
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<&'a ScoredSentence>> {
    let n_parts = rng.gen_range(1..=7);
    let mut parts: Vec<Vec<&ScoredSentence>> = vec![Vec::new(); n_parts];
    if rng.gen_bool(0.5) {
        let mut cuts: Vec<usize> = (0..n_parts - 1)
            .map(|_| rng.gen_range(0..=rows.len()))
            .collect();
        cuts.sort_unstable();
        cuts.push(rows.len());
        let mut start = 0;
        for (p, &end) in cuts.iter().enumerate() {
            parts[p].extend(&rows[start..end]);
            start = end;
        }
    } else {
        for r in rows {
            parts[rng.gen_range(0..n_parts)].push(r);
        }
    }
    if rng.gen_bool(0.5) {
        parts.shuffle(rng);
    }
    // A part with no rows is a partition that happened to be empty: it must merge too.
    parts
}

#[test]
fn partials_of_random_splits_merge_to_the_whole_report_in_every_format() {
    let d = Dir::new();
    let (columns, rows) = seed_scores(&d);
    assert!(rows.len() > 300, "{} rows", rows.len());
    let mut models = BTreeMap::new();
    models.insert("stance".to_string(), shipped("stance"));
    models.insert("frame".to_string(), shipped("frame"));
    let settings = [
        ReportOptions {
            models: models.clone(),
            stance_index: Some(("pro_kremlin".into(), "anti_kremlin".into())),
            ..ReportOptions::default()
        },
        ReportOptions {
            by: "doc".into(),
            examples: 5,
            seed: 7,
            min_sentences: 40,
            models: BTreeMap::new(),
            ..ReportOptions::default()
        },
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    for opts in &settings {
        let whole =
            rendered(&Report::try_from_rows(&columns, rows.iter().map(Ok), opts).expect("whole"));
        for round in 0..3 {
            let parts = random_split(&rows, &mut rng);
            let partials: Vec<(String, Partial)> = parts
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("part {i}"), partial_of(&columns, p, opts)))
                .collect();
            let merged = rendered(&partial::merge(partials, opts).expect("merge"));
            for (f, (a, b)) in FORMATS.iter().zip(whole.iter().zip(&merged)) {
                assert!(
                    a == b,
                    "round {round}, by {}, {f:?}: the merged report differs from the whole (parts of {:?} rows)",
                    opts.by,
                    parts.iter().map(Vec::len).collect::<Vec<_>>()
                );
            }
        }
    }
}

#[test]
fn the_report_does_not_depend_on_the_order_of_the_rows() {
    let d = Dir::new();
    let (columns, rows) = seed_scores(&d);
    let opts = ReportOptions::default();
    let whole =
        rendered(&Report::try_from_rows(&columns, rows.iter().map(Ok), &opts).expect("whole"));
    let mut shuffled: Vec<&ScoredSentence> = rows.iter().collect();
    shuffled.shuffle(&mut ChaCha8Rng::seed_from_u64(3));
    let again = rendered(
        &Report::try_from_rows(&columns, shuffled.into_iter().map(Ok), &opts).expect("shuffled"),
    );
    assert_eq!(whole, again);
}

/// A document scored as several records (paragraphs of one article, as on Spark with
/// `--doc article`) numbers each record's sentences from 0, so sentences of one document share
/// indices. The report must still not depend on the order of the rows or on the split.
#[test]
fn sentences_that_share_an_index_give_the_same_report_in_any_order_or_split() {
    let d = Dir::new();
    let (columns, mut rows) = seed_scores(&d);
    for r in &mut rows {
        // Documents of 8 sentences, as two records of 4: indices 0..3 twice.
        r.doc = format!("{}-{}", r.doc, r.index / 8);
        r.index %= 4;
    }
    let opts = ReportOptions {
        models: [("stance".to_string(), shipped("stance"))].into(),
        ..ReportOptions::default()
    };
    let whole =
        rendered(&Report::try_from_rows(&columns, rows.iter().map(Ok), &opts).expect("whole"));
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    for round in 0..2 {
        let mut shuffled: Vec<&ScoredSentence> = rows.iter().collect();
        shuffled.shuffle(&mut rng);
        let again = rendered(
            &Report::try_from_rows(&columns, shuffled.iter().copied().map(Ok), &opts)
                .expect("shuffled"),
        );
        assert!(
            whole == again,
            "round {round}: the order of the rows changed the report"
        );
        let partials: Vec<(String, Partial)> = random_split(&rows, &mut rng)
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("part {i}"), partial_of(&columns, p, &opts)))
            .collect();
        let merged = rendered(&partial::merge(partials, &opts).expect("merge"));
        assert!(whole == merged, "round {round}: the merged report differs");
    }
}

#[test]
fn partials_that_do_not_fit_together_are_refused_with_the_file_named() {
    let d = Dir::new();
    let (columns, rows) = seed_scores(&d);
    let half: Vec<&ScoredSentence> = rows.iter().take(100).collect();
    let base = ReportOptions::default();
    let by_doc = ReportOptions {
        by: "doc".into(),
        ..ReportOptions::default()
    };
    let a = partial_of(&columns, &half, &base);
    let b = partial_of(&columns, &half, &by_doc);
    let e = partial::merge(
        vec![("a.json".into(), a.clone()), ("b.json".into(), b)],
        &base,
    )
    .expect_err("different grouping")
    .to_string();
    assert!(e.contains("b.json") && e.contains("\"doc\""), "{e}");
    // Merging asks for other options than the partials were made with.
    let e = partial::merge(vec![("a.json".into(), a.clone())], &by_doc)
        .expect_err("asks for another grouping")
        .to_string();
    assert!(e.contains("a.json") && e.contains("groups by"), "{e}");
    // Made with a trained model, merged without it.
    let mut models = BTreeMap::new();
    models.insert("stance".to_string(), shipped("stance"));
    let with_model = ReportOptions {
        models,
        ..ReportOptions::default()
    };
    let c = partial_of(&columns, &half, &with_model);
    let e = partial::merge(vec![("c.json".into(), c)], &base)
        .expect_err("model missing")
        .to_string();
    assert!(
        e.contains("c.json") && e.contains("give the same model"),
        "{e}"
    );
    // Another model's columns.
    let stance_only = ReportOptions {
        model_name: Some("stance".into()),
        ..ReportOptions::default()
    };
    let s = partial_of(&columns, &half, &stance_only);
    let e = partial::merge(vec![("a.json".into(), a), ("s.json".into(), s)], &base)
        .expect_err("other models")
        .to_string();
    assert!(e.contains("s.json"), "{e}");
    assert!(partial::merge(Vec::new(), &base).is_err());
}

#[test]
fn damaged_partials_are_errors_that_name_the_file() {
    let d = Dir::new();
    let (columns, rows) = seed_scores(&d);
    let few: Vec<&ScoredSentence> = rows.iter().take(20).collect();
    let json = partial_of(&columns, &few, &ReportOptions::default())
        .to_json()
        .expect("json");
    let cases = [
        ("{\"not\": 1}".to_string(), "not a framelens partial report"),
        (json[..json.len() / 2].to_string(), "part.json"),
        (
            json.replace("framelens-report-partial", "framelens-model"),
            "is not a partial report",
        ),
        (
            json.replace("\"format_version\":1", "\"format_version\":99"),
            "version 99",
        ),
        (json.replacen(" 0.", " x.", 1), "is not a probability"),
    ];
    for (text, want) in cases {
        let e = Partial::parse(&text, Path::new("part.json"))
            .expect_err(want)
            .to_string();
        assert!(e.contains("part.json") && e.contains(want), "{want}: {e}");
    }
}
