//! train → inspect → score → report through the binary, on `tests/fixtures/labels_small.csv`.
//!
//! The fixture has 26 rows: 8 `anti_kremlin` sentences that all say "aggression", 8
//! `pro_kremlin` ones that all say "provocation", 8 `neutral` ones that all say "reported"
//! (plus one more neutral row without a frame), and one row labelled "No agreement". The
//! frames are marked the same way: every `military` row says "troops", every `diplomacy` row
//! "talks", every `economy` row "sanctions". Expected outputs below follow from that design.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::util::{parse_csv, Dir, LABELS};

const STANCE_CLASSES: [&str; 3] = ["anti_kremlin", "neutral", "pro_kremlin"];
const FRAME_CLASSES: [&str; 3] = ["diplomacy", "economy", "military"];

/// Two outlets, one article each; sentences as the splitter should cut them.
const GUARDIAN: &str =
    "Russian aggression continued on Monday. Gen. Gerasimov sent more troops.\nTalks are frozen.\n";
const GUARDIAN_SENTENCES: [&str; 3] = [
    "Russian aggression continued on Monday.",
    "Gen. Gerasimov sent more troops.",
    "Talks are frozen.",
];
const INOSMI: &str = "NATO provocation is growing! Moscow still wants talks.";
const INOSMI_SENTENCES: [&str; 2] = ["NATO provocation is growing!", "Moscow still wants talks."];

/// A directory with the fixture, both models, and the two articles under `articles/`.
fn setup() -> Dir {
    let d = Dir::new();
    d.train_stance("stance.json");
    d.train_frame("frame.json");
    d.create("articles/guardian/2022-01-10.txt", GUARDIAN);
    d.create("articles/inosmi/b1.txt", INOSMI);
    d
}

fn header_for(models: &[(&str, &[&str])]) -> Vec<String> {
    let mut h: Vec<String> = ["source", "doc", "index", "text"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (name, classes) in models {
        h.push(format!("{name}_label"));
        h.extend(classes.iter().map(|c| format!("{name}_p_{c}")));
    }
    h
}

/// Checks one model's columns in a row: probabilities parse, sum to 1, and the label is the
/// most probable class. Returns the probabilities.
fn check_probs(row: &[String], label_col: usize, classes: &[&str]) -> Vec<f64> {
    let p: Vec<f64> = row[label_col + 1..label_col + 1 + classes.len()]
        .iter()
        .map(|v| {
            v.parse::<f64>()
                .unwrap_or_else(|_| panic!("not a number: {v:?} in {row:?}"))
        })
        .collect();
    assert!(p.iter().all(|&x| (0.0..=1.0).contains(&x)), "{row:?}");
    let sum: f64 = p.iter().sum();
    assert!(
        (sum - 1.0).abs() < 1e-5,
        "probabilities sum to {sum}: {row:?}"
    );
    let best = (0..p.len())
        .max_by(|&a, &b| p[a].total_cmp(&p[b]))
        .expect("classes");
    assert_eq!(
        row[label_col], classes[best],
        "label is not the most probable class: {row:?}"
    );
    p
}

/// The first `n` cells of each row.
fn cells(rows: &[Vec<String>], n: usize) -> Vec<Vec<&str>> {
    rows.iter()
        .map(|r| r[..n].iter().map(String::as_str).collect())
        .collect()
}

// ---------------------------------------------------------------- train

#[test]
fn train_reports_rows_used_skipped_and_classes_for_both_label_columns() {
    let d = Dir::new();
    d.labels();
    let o = d.ok(&[
        "train",
        "--data",
        LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--skip-label",
        "No agreement",
        "--search",
        "none",
        "--out",
        "stance.json",
    ]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "labels_small.csv: 26 rows read, 25 used, 1 skipped (1 skipped label)"
    );
    assert_eq!(
        lines[1],
        "classes: anti_kremlin 8, neutral 9, pro_kremlin 8"
    );
    assert!(
        lines[2].starts_with("features: ") && lines[2].contains("converged"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.last(), Some(&"wrote stance.json"));
    assert!(o.stderr.is_empty(), "unexpected warnings: {}", o.stderr);

    // The frame column: the "No agreement" row is used, the row without a frame is skipped.
    let o = d.ok(&[
        "train",
        "--data",
        LABELS,
        "--text",
        "text",
        "--label",
        "frame",
        "--out",
        "frame.json",
    ]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "labels_small.csv: 26 rows read, 25 used, 1 skipped (1 empty label)"
    );
    assert_eq!(lines[1], "classes: diplomacy 10, economy 6, military 9");

    // Without --skip-label, "No agreement" is a fourth class with one example.
    let o = d.ok(&[
        "train", "--data", LABELS, "--text", "text", "--label", "stance", "--out", "all.json",
    ]);
    o.stdout_has(&[
        "26 rows read, 26 used, 0 skipped\n",
        "classes: No agreement 1, anti_kremlin 8, neutral 9, pro_kremlin 8",
    ]);
    o.stderr_has(&["warning: class \"No agreement\" has only 1 example"]);

    let m: Value = serde_json::from_slice(&d.read("stance.json")).expect("model JSON");
    let t = &m["training"];
    assert_eq!(t["rows"]["read"], 26);
    assert_eq!(t["rows"]["used"], 25);
    assert_eq!(t["rows"]["skipped"]["skipped label"], 1);
    assert_eq!(t["class_counts"]["neutral"], 9);
    assert_eq!(t["label_column"], "stance");
    assert_eq!(t["skip_labels"][0], "No agreement");
    assert_eq!(
        m["classifier"]["classes"],
        serde_json::json!(STANCE_CLASSES)
    );
    // Three classes: one weight vector per class.
    assert_eq!(m["classifier"]["coef"].as_array().map(Vec::len), Some(3));
}

#[test]
fn train_reads_semicolon_and_tab_files_alike() {
    let d = Dir::new();
    d.labels();
    // Same data with another delimiter (text fields hold commas, so rewrite through csv).
    let (header, rows) = parse_csv(&d.read_string(LABELS));
    for (name, delim) in [("semi.csv", b';'), ("tabs.tsv", b'\t')] {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delim)
            .from_writer(Vec::new());
        w.write_record(&header).expect("write");
        for r in &rows {
            w.write_record(r).expect("write");
        }
        d.create(name, w.into_inner().expect("flush"));
        let o = d.ok(&[
            "train", "--data", name, "--text", "text", "--label", "frame", "--out", "m.json",
        ]);
        o.stdout_has(&[
            "26 rows read, 25 used",
            "classes: diplomacy 10, economy 6, military 9",
        ]);
    }
}

// ---------------------------------------------------------------- inspect

/// Parses `inspect` output into class → [(weight, n-gram)].
fn top_sections(stdout: &str) -> BTreeMap<String, Vec<(f64, String)>> {
    let mut out: BTreeMap<String, Vec<(f64, String)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("top ") {
            let class = rest
                .split_once(" n-grams toward ")
                .expect("section title")
                .1
                .trim_end_matches(" (weight):");
            current = Some(class.to_string());
            out.insert(class.to_string(), Vec::new());
        } else if let (Some(c), Some((w, name))) = (&current, line.trim().split_once("  ")) {
            let w: f64 = w.parse().unwrap_or_else(|_| panic!("weight in {line:?}"));
            out.get_mut(c).expect("section").push((w, name.to_string()));
        }
    }
    out
}

#[test]
fn inspect_shows_the_top_ngrams_of_each_class() {
    let d = Dir::new();
    d.labels();
    d.ok(&[
        "train",
        "--data",
        LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--skip-label",
        "No agreement",
        "--stem",
        "none",
        "--ngram-range",
        "1,1",
        "--search",
        "none",
        "--out",
        "words.json",
    ]);
    let o = d.ok(&["inspect", "words.json", "--top", "3"]);
    o.stdout_has(&[
        "model: words.json",
        "format: framelens-model version 1",
        "classes: anti_kremlin 8, neutral 9, pro_kremlin 8",
        "word 1-1-grams, stem none",
        "classifier: logistic regression, C 1, class weight none",
    ]);
    let top = top_sections(&o.stdout);
    assert_eq!(
        top.keys().collect::<Vec<_>>(),
        STANCE_CLASSES.iter().collect::<Vec<_>>()
    );
    // The marker word of each class is in all its rows and no other: the largest weight.
    for (class, marker) in [
        ("anti_kremlin", "aggression"),
        ("neutral", "reported"),
        ("pro_kremlin", "provocation"),
    ] {
        let t = &top[class];
        assert_eq!(t.len(), 3, "{class}: {t:?}");
        assert_eq!(t[0].1, marker, "{class}: {t:?}");
        assert!(
            t[0].0 > 0.0 && t.windows(2).all(|w| w[0].0 >= w[1].0),
            "{class}: not sorted: {t:?}"
        );
    }

    // Default features: English stems and bigrams.
    d.train_stance("stance.json");
    let top = top_sections(&d.ok(&["inspect", "stance.json", "--top", "5"]).stdout);
    assert_eq!(top["anti_kremlin"][0].1, "aggress");
    assert_eq!(top["pro_kremlin"][0].1, "provoc");
    assert_eq!(top["neutral"][0].1, "report");
    assert!(top.values().all(|t| t.len() == 5));

    // Two classes: one weight vector; the first class gets its most negative weights with
    // the sign flipped, so a positive number means "toward this class" under every heading
    // (regression: the first class's n-grams were shown with negative weights).
    d.create(
        "two.csv",
        "text,side\nTroops shelled the port,war\nTroops massed at the border,war\nTroops moved south,war\n\
         Talks resumed in Minsk,peace\nTalks ended with a statement,peace\nEnvoys held talks,peace\n",
    );
    d.ok(&[
        "train", "--data", "two.csv", "--text", "text", "--label", "side", "--stem", "none",
        "--out", "two.json",
    ]);
    let top = top_sections(&d.ok(&["inspect", "two.json", "--top", "1"]).stdout);
    assert_eq!(top["peace"], [(top["peace"][0].0, "talks".to_string())]);
    assert_eq!(top["war"], [(top["war"][0].0, "troops".to_string())]);
    assert!(top["peace"][0].0 > 0.0 && top["war"][0].0 > 0.0, "{top:?}");
}

// ---------------------------------------------------------------- score

#[test]
fn score_a_directory_of_articles() {
    let d = setup();
    let o = d.ok(&["score", "--model", "stance.json", "articles"]);
    let (header, rows) = parse_csv(&o.stdout);
    assert_eq!(
        o.stdout.lines().next(),
        Some("source,doc,index,text,stance_label,stance_p_anti_kremlin,stance_p_neutral,stance_p_pro_kremlin")
    );
    assert_eq!(header, header_for(&[("stance", &STANCE_CLASSES)]));
    let mut want: Vec<[String; 4]> = Vec::new();
    for (i, s) in GUARDIAN_SENTENCES.iter().enumerate() {
        want.push([
            "guardian".into(),
            "2022-01-10".into(),
            i.to_string(),
            s.to_string(),
        ]);
    }
    for (i, s) in INOSMI_SENTENCES.iter().enumerate() {
        want.push(["inosmi".into(), "b1".into(), i.to_string(), s.to_string()]);
    }
    let got: Vec<[String; 4]> = rows
        .iter()
        .map(|r| [r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone()])
        .collect();
    assert_eq!(got, want);
    for r in &rows {
        assert_eq!(r.len(), header.len());
        check_probs(r, 4, &STANCE_CLASSES);
    }
    // Sentences with only one class's marker word get that class.
    assert_eq!(rows[0][4], "anti_kremlin", "{:?}", rows[0]);
    assert_eq!(rows[3][4], "pro_kremlin", "{:?}", rows[3]);
    // Nothing on stderr when writing to a pipe.
    assert!(o.stderr.is_empty(), "{}", o.stderr);

    // The same article given as a file: same rows for it.
    let o = d.ok(&["score", "--model", "stance.json", "articles/inosmi/b1.txt"]);
    let (_, single) = parse_csv(&o.stdout);
    assert_eq!(single, rows[3..]);
}

#[test]
fn score_with_two_models_writes_the_columns_of_both() {
    let d = setup();
    let (_, stance_rows) = parse_csv(
        &d.ok(&["score", "--model", "stance.json", "articles"])
            .stdout,
    );
    let o = d.ok(&[
        "score",
        "--model",
        "stance.json",
        "--model",
        "frame.json",
        "articles",
    ]);
    let (header, rows) = parse_csv(&o.stdout);
    assert_eq!(
        header,
        header_for(&[("stance", &STANCE_CLASSES), ("frame", &FRAME_CLASSES)])
    );
    assert_eq!(rows.len(), 5);
    for (r, alone) in rows.iter().zip(&stance_rows) {
        // The stance columns do not depend on the other model.
        assert_eq!(r[..8], alone[..]);
        check_probs(r, 4, &STANCE_CLASSES);
        check_probs(r, 8, &FRAME_CLASSES);
    }
    // "Gen. Gerasimov sent more troops." has the military marker only.
    assert_eq!(rows[1][3], "Gen. Gerasimov sent more troops.");
    assert_eq!(rows[1][8], "military", "{:?}", rows[1]);
}

#[test]
fn score_a_csv_with_named_columns_with_and_without_splitting() {
    let d = setup();
    d.create(
        "items.csv",
        "outlet,id,body\n\
         guardian,g-1,\"Russian aggression again.  Troops shelled the port.\"\n\
         inosmi,i-7,\"NATO provocation, again. Talks are off.\"\n\
         inosmi,i-8,Sanctions were reported.\n",
    );
    let args = [
        "score",
        "--model",
        "stance.json",
        "--text",
        "body",
        "--source",
        "outlet",
        "--doc",
        "id",
        "items.csv",
    ];
    let mut no_split = args.to_vec();
    no_split.push("--no-split");
    let (header, rows) = parse_csv(&d.ok(&no_split).stdout);
    assert_eq!(header, header_for(&[("stance", &STANCE_CLASSES)]));
    let got = cells(&rows, 4);
    let want = [
        [
            "guardian",
            "g-1",
            "0",
            "Russian aggression again.  Troops shelled the port.",
        ],
        [
            "inosmi",
            "i-7",
            "0",
            "NATO provocation, again. Talks are off.",
        ],
        ["inosmi", "i-8", "0", "Sanctions were reported."],
    ];
    assert_eq!(got, want);
    for r in &rows {
        check_probs(r, 4, &STANCE_CLASSES);
    }

    let (_, rows) = parse_csv(&d.ok(&args).stdout);
    let got = cells(&rows, 4);
    let want = [
        ["guardian", "g-1", "0", "Russian aggression again."],
        ["guardian", "g-1", "1", "Troops shelled the port."],
        ["inosmi", "i-7", "0", "NATO provocation, again."],
        ["inosmi", "i-7", "1", "Talks are off."],
        ["inosmi", "i-8", "0", "Sanctions were reported."],
    ];
    assert_eq!(got, want);

    // Without --source and --doc: the directory name and the row number (from 1).
    d.create("feed/wire.csv", "text\nTroops moved in.\nTalks stalled.\n");
    let (_, rows) = parse_csv(
        &d.ok(&[
            "score",
            "--model",
            "stance.json",
            "--no-split",
            "feed/wire.csv",
        ])
        .stdout,
    );
    let got = cells(&rows, 3);
    assert_eq!(got, [["feed", "1", "0"], ["feed", "2", "0"]]);

    // A missing --text column lists the columns.
    d.err(&["score", "--model", "stance.json", "items.csv"])
        .stderr_has(&["items.csv: no column \"text\"; the columns are: outlet, id, body"]);
}

#[test]
fn score_jsonl_output_has_the_csv_columns_as_keys() {
    let d = setup();
    let (header, csv_rows) = parse_csv(
        &d.ok(&[
            "score",
            "--model",
            "stance.json",
            "--model",
            "frame.json",
            "articles",
        ])
        .stdout,
    );
    let o = d.ok(&[
        "score",
        "--model",
        "stance.json",
        "--model",
        "frame.json",
        "--format",
        "jsonl",
        "articles",
    ]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), csv_rows.len());
    for (line, row) in lines.iter().zip(&csv_rows) {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let obj = v.as_object().expect("one object per line");
        assert_eq!(
            obj.keys().collect::<Vec<_>>(),
            header.iter().collect::<Vec<_>>()
        );
        for (k, cell) in header.iter().zip(row) {
            let value = &obj[k];
            if k == "index" {
                assert_eq!(
                    value.as_u64().map(|i| i.to_string()).as_ref(),
                    Some(cell),
                    "{k}"
                );
            } else if k.contains("_p_") {
                let p = value
                    .as_f64()
                    .unwrap_or_else(|| panic!("{k} is not a number: {value}"));
                let want: f64 = cell.parse().expect("CSV probability");
                assert!((p - want).abs() < 1e-12, "{k}: {p} vs {want}");
            } else {
                assert_eq!(value.as_str(), Some(cell.as_str()), "{k}");
            }
        }
        let p: f64 = STANCE_CLASSES
            .iter()
            .map(|c| obj[&format!("stance_p_{c}")].as_f64().unwrap_or(f64::NAN))
            .sum();
        assert!((p - 1.0).abs() < 1e-5);
    }
}

#[test]
fn score_reads_standard_input() {
    let d = setup();
    let o = d
        .cmd(&["score", "--model", "stance.json", "-"])
        .write_stdin(INOSMI)
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (header, rows) = parse_csv(&String::from_utf8(o.stdout).expect("UTF-8"));
    assert_eq!(header, header_for(&[("stance", &STANCE_CLASSES)]));
    let got = cells(&rows, 4);
    assert_eq!(
        got,
        [
            ["stdin", "stdin", "0", INOSMI_SENTENCES[0]],
            ["stdin", "stdin", "1", INOSMI_SENTENCES[1]]
        ]
    );

    // The same text from a file gives the same probabilities.
    let (_, from_file) = parse_csv(
        &d.ok(&["score", "--model", "stance.json", "articles/inosmi/b1.txt"])
            .stdout,
    );
    for (a, b) in rows.iter().zip(&from_file) {
        assert_eq!(a[3..], b[3..]);
    }

    // --source names the source of text input; CSV on standard input.
    let o = d
        .cmd(&["score", "--model", "stance.json", "--source", "wire", "-"])
        .write_stdin("Troops moved in.")
        .assert()
        .success();
    let (_, rows) = parse_csv(&String::from_utf8_lossy(&o.get_output().stdout));
    assert_eq!(rows[0][..4], ["wire", "stdin", "0", "Troops moved in."]);
    let o = d
        .cmd(&[
            "score",
            "--model",
            "stance.json",
            "--stdin-format",
            "csv",
            "--no-split",
            "-",
        ])
        .write_stdin("text\nTroops moved in. Talks stalled.\nSanctions bite.\n")
        .assert()
        .success();
    let (_, rows) = parse_csv(&String::from_utf8_lossy(&o.get_output().stdout));
    let got = cells(&rows, 4);
    assert_eq!(
        got,
        [
            ["stdin", "1", "0", "Troops moved in. Talks stalled."],
            ["stdin", "2", "0", "Sanctions bite."]
        ]
    );
}

#[test]
fn score_out_writes_the_file_and_nothing_to_stdout() {
    let d = setup();
    let piped = d
        .ok(&["score", "--model", "stance.json", "articles"])
        .stdout;
    let o = d.ok(&[
        "score",
        "--model",
        "stance.json",
        "--out",
        "scores.csv",
        "articles",
    ]);
    assert!(o.stdout.is_empty());
    o.stderr_has(&["scored 5 sentences from 2 documents", "wrote scores.csv"]);
    assert_eq!(d.read_string("scores.csv"), piped);
    assert!(
        !d.listing().iter().any(|f| f.ends_with(".tmp")),
        "{:?}",
        d.listing()
    );
}

// ---------------------------------------------------------------- report

#[test]
fn report_counts_match_the_scores_in_every_format() {
    let d = setup();
    d.create(
        "articles/inosmi/b2.txt",
        "Sanctions were reported. Troops were reported near Kursk.",
    );
    d.ok(&[
        "score",
        "--model",
        "stance.json",
        "--model",
        "frame.json",
        "--out",
        "scores.csv",
        "articles",
    ]);
    let (header, rows) = parse_csv(&d.read_string("scores.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");

    let json = d.ok(&["report", "scores.csv", "--format", "json"]).stdout;
    let r: Value = serde_json::from_str(&json).expect("report JSON");
    assert_eq!(r["by"], "source");
    let models = r["models"].as_array().expect("models");
    assert_eq!(
        models
            .iter()
            .map(|m| m["name"].as_str())
            .collect::<Vec<_>>(),
        [Some("stance"), Some("frame")]
    );
    for m in models {
        let name = m["name"].as_str().expect("name");
        let classes: Vec<&str> = m["classes"]
            .as_array()
            .expect("classes")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let want_classes: &[&str] = if name == "stance" {
            &STANCE_CLASSES
        } else {
            &FRAME_CLASSES
        };
        assert_eq!(classes, want_classes);
        let label = col(&format!("{name}_label"));
        let groups = m["groups"].as_array().expect("groups");
        assert_eq!(
            groups
                .iter()
                .map(|g| g["group"].as_str())
                .collect::<Vec<_>>(),
            [Some("guardian"), Some("inosmi")]
        );
        for g in groups.iter().chain(std::iter::once(&m["overall"])) {
            let group = g["group"].as_str().expect("group");
            let mine: Vec<&Vec<String>> = rows
                .iter()
                .filter(|r| group == "(all)" || r[0] == group)
                .collect();
            assert_eq!(
                g["sentences"].as_u64(),
                Some(mine.len() as u64),
                "{name}/{group}"
            );
            let docs: BTreeSet<(&str, &str)> = mine
                .iter()
                .map(|r| (r[0].as_str(), r[1].as_str()))
                .collect();
            assert_eq!(
                g["documents"].as_u64(),
                Some(docs.len() as u64),
                "{name}/{group}"
            );
            let mut share_sum = 0.0;
            let mut mean_sum = 0.0;
            for l in g["labels"].as_array().expect("labels") {
                let class = l["label"].as_str().expect("label");
                let count = mine.iter().filter(|r| r[label] == class).count();
                assert_eq!(
                    l["count"].as_u64(),
                    Some(count as u64),
                    "{name}/{group}/{class}"
                );
                let share = l["share"].as_f64().expect("share");
                assert!((share - count as f64 / mine.len() as f64).abs() < 1e-12);
                let (lo, hi) = (
                    l["ci_low"].as_f64().expect("lo"),
                    l["ci_high"].as_f64().expect("hi"),
                );
                // (Rounding can put a bound a few 1e-17 past the share; see report_wilson_bounds.)
                assert!(
                    lo <= share + 1e-12 && share <= hi + 1e-12 && 0.0 <= lo && hi <= 1.0,
                    "{l}"
                );
                let pcol = col(&format!("{name}_p_{class}"));
                let mean = mine
                    .iter()
                    .map(|r| r[pcol].parse::<f64>().expect("p"))
                    .sum::<f64>()
                    / mine.len() as f64;
                assert!((l["mean_probability"].as_f64().expect("mean") - mean).abs() < 1e-9);
                share_sum += share;
                mean_sum += mean;
            }
            assert!(
                (share_sum - 1.0).abs() < 1e-9,
                "{name}/{group}: shares sum to {share_sum}"
            );
            assert!(
                (mean_sum - 1.0).abs() < 1e-5,
                "{name}/{group}: mean probabilities sum to {mean_sum}"
            );
        }
    }
    assert_eq!(models[0]["overall"]["sentences"], 7);
    assert_eq!(models[0]["overall"]["documents"], 3);

    // CSV: one row per model × group (and overall) × label, with the same counts.
    let (h, long) = parse_csv(&d.ok(&["report", "scores.csv", "--format", "csv"]).stdout);
    assert_eq!(
        h[..7],
        [
            "model",
            "by",
            "group",
            "documents",
            "sentences",
            "label",
            "count"
        ]
    );
    assert_eq!(long.len(), 2 * 3 * 3);
    for m in models {
        for g in m["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .chain(std::iter::once(&m["overall"]))
        {
            for l in g["labels"].as_array().expect("labels") {
                let hit: Vec<&Vec<String>> = long
                    .iter()
                    .filter(|r| {
                        Some(r[0].as_str()) == m["name"].as_str()
                            && Some(r[2].as_str()) == g["group"].as_str()
                            && Some(r[5].as_str()) == l["label"].as_str()
                    })
                    .collect();
                assert_eq!(hit.len(), 1);
                assert_eq!(hit[0][4], g["sentences"].to_string());
                assert_eq!(hit[0][6], l["count"].to_string());
            }
        }
    }

    // Markdown: a section per model with a row per source.
    let md = d.ok(&["report", "scores.csv"]).stdout;
    assert!(
        md.contains("## stance by source") && md.contains("## frame by source"),
        "{md}"
    );
    assert!(
        md.contains("| source | documents | sentences | anti_kremlin | neutral | pro_kremlin |"),
        "{md}"
    );
    assert!(md.contains("\n| guardian | 1 | 3 |"), "{md}");
    assert!(md.contains("\n| inosmi | 2 | 4 |"), "{md}");
    assert!(md.contains("\n| **all** | 3 | 7 |"), "{md}");

    // --model-name keeps one model; --out writes the same text as stdout.
    let only: Value = serde_json::from_str(
        &d.ok(&[
            "report",
            "scores.csv",
            "--format",
            "json",
            "--model-name",
            "frame",
        ])
        .stdout,
    )
    .expect("JSON");
    assert_eq!(only["models"].as_array().map(Vec::len), Some(1));
    assert_eq!(only["models"][0]["name"], "frame");
    let o = d.ok(&["report", "scores.csv", "--out", "report.md"]);
    assert!(o.stdout.is_empty());
    assert_eq!(d.read_string("report.md"), md);
}

/// A scores file written by hand, small enough to work out the report on paper.
#[test]
fn report_on_handmade_scores() {
    let d = Dir::new();
    d.create(
        "s.csv",
        "source,doc,index,text,m_label,m_p_x,m_p_y\n\
         A,a1,0,one,x,0.9,0.1\n\
         A,a1,1,two,x,0.6,0.4\n\
         A,a2,0,three,y,0.2,0.8\n\
         B,b1,0,four,y,0.3,0.7\n\
         B,b1,1,five,y,0.1,0.9\n\
         B,b1,2,six,y,0.4,0.6\n",
    );
    let r: Value =
        serde_json::from_str(&d.ok(&["report", "s.csv", "--format", "json"]).stdout).expect("JSON");
    let m = &r["models"][0];
    assert_eq!(m["name"], "m");
    let a = &m["groups"][0];
    assert_eq!(
        (
            a["group"].as_str(),
            a["documents"].as_u64(),
            a["sentences"].as_u64()
        ),
        (Some("A"), Some(2), Some(3))
    );
    assert_eq!(a["labels"][0]["count"], 2);
    assert!((a["labels"][0]["share"].as_f64().expect("share") - 2.0 / 3.0).abs() < 1e-12);
    assert!((a["labels"][0]["mean_probability"].as_f64().expect("mean") - 1.7 / 3.0).abs() < 1e-12);
    let b = &m["groups"][1];
    assert_eq!(
        (b["documents"].as_u64(), b["sentences"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(b["labels"][0]["count"], 0);
    assert_eq!(b["labels"][1]["share"], 1.0);
    // Table [[2, 1], [0, 3]]: expected counts [[1, 2], [1, 2]], so
    // χ² = 1/1 + 1/2 + 1/1 + 1/2 = 3 with 1 df; P(χ²₁ > 3) = erfc(√1.5) = 0.0832645...
    let c = &m["chi_square"];
    assert!(
        (c["statistic"].as_f64().expect("stat") - 3.0).abs() < 1e-12,
        "{c}"
    );
    assert_eq!(c["df"], 1);
    assert!(
        (c["p_value"].as_f64().expect("p") - 0.083_264_516_663_550_4).abs() < 1e-9,
        "{c}"
    );
    assert_eq!(c["low_expected_share"], 1.0);
    // Group by another column: documents.
    let r: Value = serde_json::from_str(
        &d.ok(&["report", "s.csv", "--by", "doc", "--format", "json"])
            .stdout,
    )
    .expect("JSON");
    let groups: Vec<(&str, u64)> = r["models"][0]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap_or(""),
                g["sentences"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(groups, [("a1", 2), ("a2", 1), ("b1", 3)]);
}

// ---------------------------------------------------------------- model files

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn training_is_deterministic_with_source_date_epoch() {
    let d = Dir::new();
    d.labels();
    let train = |out: &str| {
        d.cmd(&[
            "train",
            "--data",
            LABELS,
            "--text",
            "text",
            "--label",
            "stance",
            "--skip-label",
            "No agreement",
            "--search",
            "none",
            "--out",
            out,
        ])
        .env("SOURCE_DATE_EPOCH", "0")
        .assert()
        .success();
    };
    train("a.json");
    train("b.json");
    let (a, b) = (d.read("a.json"), d.read("b.json"));
    assert!(a == b, "two trainings differ");
    let m: Value = serde_json::from_slice(&a).expect("JSON");
    assert_eq!(m["training"]["date"], "1970-01-01");
    // A day later, only the date changes.
    d.cmd(&[
        "train",
        "--data",
        LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--skip-label",
        "No agreement",
        "--search",
        "none",
        "--out",
        "c.json",
    ])
    .env("SOURCE_DATE_EPOCH", "86400")
    .assert()
    .success();
    let c = d.read_string("c.json");
    assert_eq!(
        c.replacen("\"date\":\"1970-01-02\"", "\"date\":\"1970-01-01\"", 1)
            .as_bytes(),
        a
    );
}

#[test]
fn the_model_file_is_self_describing_and_round_trips() {
    let d = Dir::new();
    d.train_stance("stance.json");
    let bytes = d.read("stance.json");
    assert!(bytes.ends_with(b"}\n"));
    let m: Value = serde_json::from_slice(&bytes).expect("model JSON");
    let keys: Vec<&String> = m.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "format",
            "format_version",
            "framelens_version",
            "features",
            "classifier",
            "training",
            "quantify"
        ]
    );
    // What report --model needs: the training prior and a hash per distinct training text.
    let q = &m["quantify"];
    let prior: f64 = q["train_prior"]
        .as_array()
        .expect("train_prior")
        .iter()
        .filter_map(Value::as_f64)
        .sum();
    assert!((prior - 1.0).abs() < 1e-9, "{q}");
    assert!(!q["text_hashes"].as_array().expect("text_hashes").is_empty());
    assert_eq!(m["format"], "framelens-model");
    assert_eq!(m["format_version"], 1);
    assert_eq!(m["framelens_version"], env!("CARGO_PKG_VERSION"));
    let t = &m["training"];
    let sha = sha256_hex(&d.read(LABELS));
    assert_eq!(t["data_sha256"].as_str(), Some(sha.as_str()));
    assert_eq!(t["data_file"], "labels_small.csv");
    assert_eq!(t["text_column"], "text");
    assert_eq!(t["params"]["c"], 1.0);
    // Weight vectors match the vocabulary.
    let n_terms = m["features"]["parts"][0]["vocabulary"]
        .as_array()
        .map(Vec::len)
        .expect("vocabulary");
    assert!(n_terms > 0);
    for w in m["classifier"]["coef"].as_array().expect("coef") {
        assert_eq!(w.as_array().map(Vec::len), Some(n_terms));
    }

    let o = d.ok(&["inspect", "stance.json"]);
    o.stdout_has(&[
        &format!("sha256 {sha}"),
        "on labels_small.csv",
        &format!("written by framelens {}", env!("CARGO_PKG_VERSION")),
        &format!("{n_terms} terms"),
    ]);

    // Re-indented JSON is still a model and scores the same.
    let compact = serde_json::to_string(&m).expect("serialise");
    d.create("compact.json", compact);
    d.create("a.txt", GUARDIAN);
    let (_, x) = parse_csv(&d.ok(&["score", "--model", "stance.json", "a.txt"]).stdout);
    let (_, y) = parse_csv(&d.ok(&["score", "--model", "compact.json", "a.txt"]).stdout);
    assert_eq!(x, y);
}

#[test]
fn report_wilson_bounds_contain_zero_and_full_shares() {
    for n in 1..=50 {
        assert_eq!(framelens::report::wilson(0, n).0, 0.0, "n = {n}");
        assert_eq!(framelens::report::wilson(n, n).1, 1.0, "n = {n}");
    }
}

// ---------------------------------------------------------------- split

#[test]
fn split_writes_the_sentences_score_will_see_with_ids() {
    let d = Dir::new();
    d.create_dir("articles/paper");
    d.create(
        "articles/paper/a1.txt",
        "Talks collapse\n\nMr. Putin met Gen. Smith. Troops moved.\n",
    );
    let o = d.ok(&["split", "articles", "--out", "units.csv"]);
    assert!(
        o.stderr.contains("3 sentences from 1 documents"),
        "{}",
        o.stderr
    );
    let (header, rows) = parse_csv(&d.read_string("units.csv"));
    assert_eq!(header, ["id", "source", "doc", "index", "text"]);
    let texts: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
    assert_eq!(
        texts,
        [
            "Talks collapse",
            "Mr. Putin met Gen. Smith.",
            "Troops moved."
        ]
    );
    assert_eq!(rows[2][0], "paper_a1_002");
    assert_eq!(
        (
            rows[2][1].as_str(),
            rows[2][2].as_str(),
            rows[2][3].as_str()
        ),
        ("paper", "a1", "2")
    );
    // The same input refused as output.
    d.err(&[
        "split",
        "articles/paper/a1.txt",
        "--out",
        "articles/paper/a1.txt",
    ])
    .stderr_has(&["also an input"]);
}

// ---------------------------------------------------------------- eval

#[test]
fn eval_grid_save_out_learning_curve_then_train_from_eval_and_held_out() {
    let d = Dir::new();
    d.labels();
    let data = "labels_small.csv";
    let common = [
        "--data",
        data,
        "--text",
        "text",
        "--label",
        "stance",
        "--skip-label",
        "No agreement",
    ];
    let mut args = vec!["eval"];
    args.extend(common);
    args.extend([
        "--stem",
        "none",
        "--grid",
        "c=0.5,4",
        "--grid",
        "class-weight=none:balanced",
        "--learning-curve",
        "--save",
        "r.json",
        "--out",
        "oof.csv",
        "--format",
        "json",
    ]);
    let o = d.ok(&args);
    let printed: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&d.read_string("r.json")).unwrap();
    assert_eq!(printed, saved);
    assert_eq!(saved["results"].as_array().unwrap().len(), 4);
    assert_eq!(saved["rows"], 25);
    assert_eq!(saved["learning_curve"].as_array().unwrap().len(), 10);
    // The best setting is the one with the highest mean macro-F1.
    let best_f1 = saved["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["macro_f1"][0].as_f64().unwrap())
        .fold(f64::MIN, f64::max);
    let best = saved["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["config"] == saved["best"])
        .unwrap();
    assert_eq!(best["macro_f1"][0].as_f64().unwrap(), best_f1);
    // Out-of-fold predictions: every used row once, 5 folds, stratified (8/9/8 rows → 1-2 per fold).
    let (header, rows) = parse_csv(&d.read_string("oof.csv"));
    assert_eq!(&header[..5], ["row", "line", "fold", "gold", "predicted"]);
    assert_eq!(rows.len(), 25);
    for fold in 1..=5 {
        for class in ["anti_kremlin", "neutral", "pro_kremlin"] {
            let n = rows
                .iter()
                .filter(|r| r[2] == fold.to_string() && r[3] == class)
                .count();
            assert!((1..=2).contains(&n), "fold {fold} {class}: {n}");
        }
    }
    // train --from-eval uses the best settings and stores the CV confusion matrix.
    let mut args = vec!["train"];
    args.extend(common);
    args.extend(["--from-eval", "r.json", "--cv", "3", "--out", "m.json"]);
    d.ok(&args);
    let model: serde_json::Value = serde_json::from_str(&d.read_string("m.json")).unwrap();
    assert_eq!(model["training"]["params"], saved["best"]["params"]);
    assert_eq!(model["training"]["cross_validation"]["folds"], 3);
    let confusion = model["training"]["cross_validation"]["confusion"]
        .as_array()
        .unwrap();
    let total: u64 = confusion
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total, 25);
    // Held-out evaluation of that model on its own training data: high accuracy, all rows.
    let mut args = vec!["eval", "--model", "m.json", "--format", "json"];
    args.extend(common);
    let o = d.ok(&args);
    let m: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(m["metrics"]["n"], 25);
    assert!(m["metrics"]["accuracy"].as_f64().unwrap() > 0.9, "{m}");
    assert_eq!(m["classes"], serde_json::json!(STANCE_CLASSES));
    // --preset best and --nb run on the fixture too.
    let mut args = vec!["eval"];
    args.extend(common);
    args.extend(["--preset", "best", "--folds", "3"]);
    d.ok(&args).stdout_has(&["macro-F1", "confusion matrix"]);
}

/// Issue 9: `report --model` adds the five estimates, a headline with its interval, and
/// warnings; training sentences scored back are flagged in-sample; without --model the report
/// says its shares are uncorrected.
#[test]
fn report_with_the_model_corrects_and_warns() {
    let d = Dir::new();
    d.labels();
    d.ok(&[
        "train",
        "--data",
        LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--skip-label",
        "No agreement",
        "--cv",
        "3",
        "--out",
        "stance.json",
    ]);
    // The training sentences themselves, one document each.
    d.ok(&[
        "score",
        "--model",
        "stance.json",
        "--no-split",
        "--source",
        "frame",
        "--out",
        "scores.csv",
        LABELS,
    ]);
    let r: Value = serde_json::from_str(
        &d.ok(&[
            "report",
            "scores.csv",
            "--model",
            "stance.json",
            "--format",
            "json",
        ])
        .stdout,
    )
    .expect("report JSON");
    let m = &r["models"][0];
    assert_eq!(m["corrected"], true);
    let label = &m["overall"]["labels"][0];
    for key in [
        "classify_count",
        "probability_average",
        "adjusted_count",
        "probability_adjusted",
        "em",
    ] {
        let v = label["estimates"][key].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&v), "{key}: {label}");
    }
    let lead = label["headline"].as_str().expect("headline");
    let (lo, hi) = (
        label["headline_ci_low"].as_f64().expect("interval"),
        label["headline_ci_high"].as_f64().expect("interval"),
    );
    let est = label["estimates"][lead]
        .as_f64()
        .expect("headline estimate");
    assert!(lo <= est && est <= hi && lo < hi, "{label}");
    let kinds: Vec<&str> = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"in_sample"), "{kinds:?}");
    assert!(kinds.contains(&"classifier_error"), "{kinds:?}");
    let n = m["overall"]["sentences"].as_u64().expect("sentences");
    // Every scored sentence but the skipped "No agreement" rows was a training sentence.
    let skipped = d
        .read_string(LABELS)
        .lines()
        .filter(|l| l.contains("No agreement"))
        .count() as u64;
    assert!(skipped > 0);
    assert_eq!(m["overall"]["in_sample"].as_u64(), Some(n - skipped));
    // Without the model: uncorrected, and only the estimates that need no model.
    let plain: Value =
        serde_json::from_str(&d.ok(&["report", "scores.csv", "--format", "json"]).stdout)
            .expect("report JSON");
    assert_eq!(plain["warnings"][0]["kind"], "uncorrected");
    assert!(plain["models"][0]["overall"]["labels"][0]["estimates"]["em"].is_null());
    // A model whose classes differ from the scores' is refused.
    d.ok(&[
        "train",
        "--data",
        LABELS,
        "--text",
        "text",
        "--label",
        "frame",
        "--out",
        "frame.json",
    ]);
    std::fs::create_dir_all(d.join("other")).expect("dir");
    std::fs::copy(d.join("frame.json"), d.join("other/stance.json")).expect("copy");
    let e = d.err(&["report", "scores.csv", "--model", "other/stance.json"]);
    assert!(e.stderr.contains("classes"), "{}", e.stderr);
}

// ---------------------------------------------------------------- automatic settings

/// Default `train` searches, and the model file records what it did: the space, the winner,
/// the top settings with their cross-validated scores, the work done against the budget, the
/// out-of-fold error and calibration, and the statistics the report's corrections need. The
/// budget is counted, not timed, so a search stopped by it gives the same file twice.
#[test]
fn default_train_records_search_error_and_calibration_and_is_reproducible() {
    let d = Dir::new();
    d.labels();
    let train = |out: &str, budget: &str| {
        d.ok(&[
            "train",
            "--data",
            LABELS,
            "--text",
            "text",
            "--label",
            "stance",
            "--skip-label",
            "No agreement",
            "--budget",
            budget,
            "--out",
            out,
        ])
    };
    let o = train("a.json", "1000");
    assert!(o.stdout.contains("search: "), "{}", o.stdout);
    let m: Value = serde_json::from_str(&d.read_string("a.json")).unwrap();
    let s = &m["training"]["search"];
    assert!(s["space"].as_array().unwrap().len() >= 5, "{s}");
    assert!(s["evaluated"].as_u64().unwrap() > 1, "{s}");
    assert_eq!(s["stopped_by_budget"], false);
    assert!(s["work_seconds"].as_f64().unwrap() > 0.0);
    assert!(s["work_seconds"].as_f64().unwrap() <= s["budget_seconds"].as_f64().unwrap());
    assert!(s["winner"].is_array() && s["rule"].as_str().unwrap().contains("standard error"));
    let top = s["top"].as_array().unwrap();
    assert!(!top.is_empty() && top.len() <= 10);
    let means: Vec<f64> = top
        .iter()
        .map(|t| t["macro_f1"][0].as_f64().unwrap())
        .collect();
    assert!(means.windows(2).all(|w| w[0] >= w[1]), "{means:?}");
    let cv = &m["training"]["cross_validation"];
    let confusion: u64 = cv["confusion"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()))
        .sum();
    assert_eq!(confusion, 25);
    assert_eq!(cv["per_class"].as_array().unwrap().len(), 3);
    assert!(cv["calibration_error"]["ece"].as_f64().is_some());
    assert!(m["quantify"].is_object(), "no statistics for the report");

    // A budget that stops the search part-way: the same model twice.
    let half = format!("{}", s["work_seconds"].as_f64().unwrap() / 2.0);
    train("b.json", &half);
    train("c.json", &half);
    let strip = |f: &str| {
        let mut v: Value = serde_json::from_str(&d.read_string(f)).unwrap();
        v["training"]["date"] = Value::Null;
        v
    };
    let (b, c) = (strip("b.json"), strip("c.json"));
    assert_eq!(b["training"]["search"]["stopped_by_budget"], true);
    assert_eq!(b, c);
}

// ---------------------------------------------------------------- explain

/// `explain` as JSON: per class, the intercept plus the contributions give the logit, and the
/// logits give the probabilities `score` writes for the same sentence.
#[test]
fn explain_contributions_add_up_to_the_scored_probabilities() {
    let d = setup();
    let sentence = "Russian aggression continued on Monday.";
    let o = d.ok(&[
        "explain",
        "--model",
        "stance.json",
        "--format",
        "json",
        sentence,
    ]);
    let e: Value = serde_json::from_str(o.stdout.trim()).unwrap();
    assert_eq!(e["text"], sentence);
    assert_eq!(e["predicted"], "anti_kremlin");
    let classes = e["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 3);
    let mut logits = Vec::new();
    for c in classes {
        let sum: f64 = c["intercept"].as_f64().unwrap()
            + c["contributions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["contribution"].as_f64().unwrap())
                .sum::<f64>();
        assert!((sum - c["logit"].as_f64().unwrap()).abs() < 1e-9);
        logits.push(c["logit"].as_f64().unwrap());
    }
    // The fixture's model is uncalibrated: softmax of the logits.
    assert!(e["calibration_slope"].is_null());
    let m = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let z: f64 = logits.iter().map(|l| (l - m).exp()).sum();
    d.create("one.txt", sentence);
    let scores = d.ok(&["score", "--model", "stance.json", "one.txt"]).stdout;
    let (header, rows) = parse_csv(&scores);
    for (k, class) in STANCE_CLASSES.iter().enumerate() {
        let col = header
            .iter()
            .position(|h| h == &format!("stance_p_{class}"))
            .unwrap();
        let p: f64 = rows[0][col].parse().unwrap();
        let from_logits = (logits[k] - m).exp() / z;
        assert!(
            (p - from_logits).abs() < 1e-6,
            "{class}: {p} vs {from_logits}"
        );
        assert!((classes[k]["probability"].as_f64().unwrap() - p).abs() < 1e-6);
    }
    // The word that marks anti_kremlin rows pushes toward anti_kremlin, in the text format too.
    let text = d
        .ok(&["explain", "--model", "stance.json", sentence, "--top", "3"])
        .stdout;
    assert!(
        text.contains("toward anti_kremlin:\n") && text.contains("\"aggress"),
        "{text}"
    );
    // Standard input and a file, one sentence per line.
    d.create("s.txt", format!("{sentence}\n\nTalks are frozen.\n"));
    let o = d.ok(&[
        "explain",
        "--model",
        "stance.json",
        "--format",
        "json",
        "--file",
        "s.txt",
    ]);
    assert_eq!(o.stdout.lines().count(), 2);
    // Nothing to explain, or no model: a clear error.
    d.err(&["explain", "--model", "stance.json"])
        .stderr_has(&["nothing to explain"]);
    d.err(&["explain", "--model", "missing.json", "x"])
        .stderr_has(&["missing.json"]);
}

/// `report --model` lists each outlet's distinctive terms with the model's own analyzer
/// (stemmed): the word only one outlet uses comes first for it.
#[test]
fn report_lists_distinctive_terms_with_the_models_analyzer() {
    let d = setup();
    d.ok(&[
        "score",
        "--model",
        "stance.json",
        "articles",
        "--out",
        "s.csv",
    ]);
    let o = d.ok(&[
        "report",
        "s.csv",
        "--model",
        "stance.json",
        "--format",
        "json",
    ]);
    let r: Value = serde_json::from_str(&o.stdout).unwrap();
    let dist = r["models"][0]["distinctive"].as_array().unwrap();
    assert_eq!(dist.len(), 2);
    let terms = |g: &str| -> Vec<String> {
        dist.iter().find(|x| x["group"] == g).unwrap()["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["term"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        terms("guardian").contains(&"aggress".to_string()),
        "{:?}",
        terms("guardian")
    );
    assert!(
        terms("inosmi").contains(&"provoc".to_string()),
        "{:?}",
        terms("inosmi")
    );
    assert!(!terms("guardian").contains(&"provoc".to_string()));
    // Without the model there is no analyzer: no list.
    let o = d.ok(&["report", "s.csv", "--format", "json"]);
    let r: Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(r["models"][0]["distinctive"].as_array().unwrap().is_empty());
}

/// Several --out write several formats from one report, each named by its extension, and
/// each the same bytes as a run with that --format alone; a file whose extension names no
/// format, or the same file twice, is refused before any work.
#[test]
fn report_writes_several_formats_from_one_run() {
    let d = setup();
    d.ok(&[
        "score",
        "--model",
        "stance.json",
        "--out",
        "scores.csv",
        "articles",
    ]);
    d.ok(&[
        "report",
        "scores.csv",
        "--model",
        "stance.json",
        "--out",
        "all.md",
        "--out",
        "all.json",
        "--out",
        "all.HTML",
        "--out",
        "all.csv",
    ]);
    for (file, format) in [
        ("all.md", "md"),
        ("all.json", "json"),
        ("all.HTML", "html"),
        ("all.csv", "csv"),
    ] {
        let alone = d
            .ok(&[
                "report",
                "scores.csv",
                "--model",
                "stance.json",
                "--format",
                format,
            ])
            .stdout;
        assert!(
            d.read_string(file) == alone,
            "{file} differs from --format {format}"
        );
    }
    let e = d.err(&["report", "scores.csv", "--out", "a.md", "--out", "b.txt"]);
    assert!(
        e.stderr.contains("b.txt") && e.stderr.contains(".md, .csv, .json or .html"),
        "{}",
        e.stderr
    );
    let e = d.err(&["report", "scores.csv", "--out", "a.md", "--out", "a.md"]);
    assert!(e.stderr.contains("given twice"), "{}", e.stderr);
    assert!(!d.join("a.md").exists());
}
