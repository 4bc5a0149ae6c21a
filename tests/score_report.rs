//! score --keep, split --keep, demo --keep, reports from JSON Lines, and the help of
//! score/report/split/demo, through the binary (issue 7).

use std::path::Path;

use serde_json::Value;

use crate::util::{parse_csv, Dir};

/// Copies the shipped models into `d` as `stance.json` and `frame.json`.
fn shipped_models(d: &Dir) {
    for name in ["stance.json", "frame.json"] {
        let bytes = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("models")
                .join(name),
        )
        .expect("shipped model");
        d.create(name, bytes);
    }
}

/// Copies the seed articles into `d` under `seeds/<outlet>/`.
fn seeds(d: &Dir) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("labels/seeds");
    for outlet in std::fs::read_dir(&root).expect("seeds") {
        let outlet = outlet.expect("entry").path();
        if !outlet.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&outlet).expect("outlet") {
            let f = f.expect("entry").path();
            let rel = f.strip_prefix(&root).expect("inside");
            d.create(
                &format!("seeds/{}", rel.display()),
                std::fs::read(&f).expect("seed"),
            );
        }
    }
}

const ITEMS: &str = "row_id,outlet,body,gold,url\n\
r1,wire,\"Troops moved in. Talks failed.\",anti,http://a/1\n\
r2,paper,\"NATO provocation, again.\",pro,http://b/2\n";

#[test]
fn score_keep_copies_csv_columns_after_text() {
    let d = Dir::new();
    shipped_models(&d);
    d.create("items.csv", ITEMS);
    let o = d.ok(&[
        "score",
        "--model",
        "stance.json",
        "items.csv",
        "--text",
        "body",
        "--source",
        "outlet",
        "--keep",
        "row_id,gold",
        "--keep",
        "url",
    ]);
    let (header, rows) = parse_csv(&o.stdout);
    assert_eq!(
        header[..8],
        [
            "source",
            "doc",
            "index",
            "text",
            "row_id",
            "gold",
            "url",
            "stance_label"
        ]
    );
    let got: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r[..7].iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        got,
        [
            [
                "wire",
                "1",
                "0",
                "Troops moved in.",
                "r1",
                "anti",
                "http://a/1"
            ],
            [
                "wire",
                "1",
                "1",
                "Talks failed.",
                "r1",
                "anti",
                "http://a/1"
            ],
            [
                "paper",
                "2",
                "0",
                "NATO provocation, again.",
                "r2",
                "pro",
                "http://b/2"
            ],
        ]
    );
    // Without --keep the columns are the fixed ones and the model's, as before.
    let (plain, _) = parse_csv(
        &d.ok(&[
            "score",
            "--model",
            "stance.json",
            "items.csv",
            "--text",
            "body",
        ])
        .stdout,
    );
    assert_eq!(plain[4], "stance_label");
    assert_eq!(plain.len(), header.len() - 3);
}

#[test]
fn score_keep_copies_jsonl_fields_into_jsonl_output() {
    let d = Dir::new();
    shipped_models(&d);
    d.create(
        "items.jsonl",
        "{\"text\":\"Talks resume.\",\"id\":17,\"gold\":\"neutral\"}\n{\"text\":\"NATO provocation.\",\"id\":18,\"gold\":null}\n",
    );
    let o = d.ok(&[
        "score",
        "--model",
        "stance.json",
        "items.jsonl",
        "--keep",
        "id,gold",
        "--format",
        "jsonl",
    ]);
    let lines: Vec<serde_json::Map<String, Value>> = o
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON object"))
        .collect();
    assert_eq!(lines.len(), 2);
    let keys: Vec<&str> = lines[0].keys().map(String::as_str).collect();
    assert_eq!(
        keys[..7],
        [
            "source",
            "doc",
            "index",
            "text",
            "id",
            "gold",
            "stance_label"
        ]
    );
    // Kept values are text (numbers as they were written; null is empty).
    assert_eq!(lines[0]["id"], "17");
    assert_eq!(lines[0]["gold"], "neutral");
    assert_eq!(lines[1]["id"], "18");
    assert_eq!(lines[1]["gold"], "");
    assert!(lines[0]["stance_p_neutral"].is_f64());
}

#[test]
fn score_keep_errors_name_the_file_and_column() {
    let d = Dir::new();
    shipped_models(&d);
    d.create("items.csv", ITEMS);
    // A missing column: the file and the columns that exist, before any output.
    let o = d.err(&[
        "score",
        "--model",
        "stance.json",
        "items.csv",
        "--text",
        "body",
        "--keep",
        "date",
    ]);
    o.stderr_has(&[
        "items.csv: no column \"date\"",
        "the columns are: row_id, outlet, body, gold, url",
    ]);
    assert_eq!(o.stdout, "", "nothing is written before the check");
    // A missing JSON Lines field: the file and line.
    d.create(
        "items.jsonl",
        "{\"text\":\"A.\",\"id\":1}\n{\"text\":\"B.\"}\n",
    );
    d.err(&[
        "score",
        "--model",
        "stance.json",
        "items.jsonl",
        "--keep",
        "id",
    ])
    .stderr_has(&["items.jsonl, line 2: no field \"id\"; the fields are: text"]);
    // Plain text has no columns to keep.
    d.create("articles/wire/a.txt", "Troops moved.");
    d.err(&[
        "score",
        "--model",
        "stance.json",
        "articles",
        "--keep",
        "id",
    ])
    .stderr_has(&["keep", "a.txt", "plain text"]);
    // A column the output has already.
    d.err(&[
        "score",
        "--model",
        "stance.json",
        "items.csv",
        "--text",
        "body",
        "--keep",
        "text",
    ])
    .stderr_has(&["keep", "text", "already in the output"]);
    d.err(&[
        "score",
        "--model",
        "stance.json",
        "items.csv",
        "--text",
        "body",
        "--keep",
        "gold,gold",
    ])
    .stderr_has(&["keep", "gold", "kept once"]);
}

#[test]
fn split_keep_copies_columns_into_the_labelling_sheet() {
    let d = Dir::new();
    d.create("items.csv", ITEMS);
    let o = d.ok(&[
        "split",
        "items.csv",
        "--text",
        "body",
        "--source",
        "outlet",
        "--doc",
        "row_id",
        "--keep",
        "url",
    ]);
    let (header, rows) = parse_csv(&o.stdout);
    assert_eq!(header, ["id", "source", "doc", "index", "text", "url"]);
    assert_eq!(
        rows[1],
        [
            "wire_r1_001",
            "wire",
            "r1",
            "1",
            "Talks failed.",
            "http://a/1"
        ]
    );
    assert_eq!(rows.len(), 3);
}

#[test]
fn demo_html_writes_the_report_page_and_report_format_html_gives_the_same() {
    let d = Dir::new();
    let o = d.ok(&["demo", "--keep", "k", "--html", "demo.html"]);
    assert!(o.stdout.contains("HTML report: demo.html"), "{}", o.stdout);
    let page = d.read_string("demo.html");
    assert!(page.starts_with("<!DOCTYPE html>"));
    for source in [
        "antiempire",
        "express",
        "greatpowerrelations",
        "guardian",
        "inosmi",
    ] {
        assert!(page.contains(source), "{source}");
    }
    assert!(!page.contains("<script") && !page.contains("http"));
    // `report --format html` on the kept scores gives the same page, but for its input line.
    let page2 = d
        .ok(&[
            "report",
            "k/scores.csv",
            "--format",
            "html",
            "--examples",
            "1",
        ])
        .stdout
        .replace(
            "<code>k/scores.csv</code>",
            "<code>the five seed articles (bundled)</code>",
        );
    assert_eq!(page2, page);
    // A directory where the page should go is refused before any work.
    d.create_dir("adir");
    d.err(&["demo", "--html", "adir"]).stderr_has(&["adir"]);
}

#[test]
fn demo_keep_creates_the_directory_and_its_scores_give_the_same_report() {
    let d = Dir::new();
    let plain = d.ok(&["demo"]).stdout;
    let kept = d.ok(&["demo", "--keep", "new/demo"]).stdout;
    let listing = d.listing();
    for f in [
        "new/demo/scores.csv",
        "new/demo/stance.json",
        "new/demo/frame.json",
        "new/demo/seeds/guardian/000_d2160c985169bc14.txt",
    ] {
        assert!(listing.iter().any(|p| p == f), "{f} missing: {listing:?}");
    }
    // The same output, plus the line that says where the files are.
    let scores_line = kept
        .lines()
        .find(|l| l.starts_with("Scores: "))
        .expect("a Scores: line");
    assert!(scores_line.contains("new/demo/scores.csv"), "{scores_line}");
    assert_eq!(kept.replace(&format!("{scores_line}\n"), ""), plain);
    // The kept scores: 321 sentences, and `report` on them prints the demo's tables.
    let (header, rows) = parse_csv(&d.read_string("new/demo/scores.csv"));
    assert_eq!(rows.len(), 321);
    assert_eq!(header[4], "stance_label");
    let report = d
        .ok(&["report", "new/demo/scores.csv", "--examples", "1"])
        .stdout;
    let report = report.replace(
        "`new/demo/scores.csv`",
        "`the five seed articles (bundled)`",
    );
    assert!(!report.is_empty());
    assert!(
        plain.contains(&report),
        "the demo's report differs from `report` on its scores:\n{report}"
    );
    // An existing directory is fine too; a file is not.
    d.ok(&["demo", "--keep", "new/demo"]);
    d.create("afile", "x");
    d.err(&["demo", "--keep", "afile"]).stderr_has(&["afile"]);
}

#[test]
fn report_from_jsonl_scores_equals_report_from_csv_scores() {
    let d = Dir::new();
    shipped_models(&d);
    seeds(&d);
    let score = |format: &str, out: &str| {
        d.ok(&[
            "score",
            "--model",
            "stance.json",
            "--model",
            "frame.json",
            "seeds",
            "--format",
            format,
            "--out",
            out,
        ]);
    };
    score("csv", "s.csv");
    score("jsonl", "s.jsonl");
    for args in [
        &["--format", "md"][..],
        &["--format", "csv"],
        &["--format", "json"],
        &["--by", "doc", "--model-name", "frame"],
        &[
            "--by",
            "stance_label",
            "--model-name",
            "frame",
            "--format",
            "csv",
        ],
    ] {
        let run = |file: &str| {
            let mut a = vec!["report", file];
            a.extend_from_slice(args);
            d.ok(&a).stdout.replace(file, "SCORES")
        };
        let (csv, jsonl) = (run("s.csv"), run("s.jsonl"));
        assert!(csv.lines().count() > 5, "{csv}");
        assert_eq!(csv, jsonl, "report {args:?}");
    }
}

#[test]
fn help_of_score_report_split_demo_has_examples_and_exit_codes() {
    let d = Dir::new();
    for cmd in ["score", "report", "split", "demo"] {
        for flag in ["-h", "--help"] {
            let o = d.ok(&[cmd, flag]);
            o.stdout_has(&[
                "Examples:",
                &format!("framelens {cmd}"),
                "Exit status: 0 success, 1 error",
                "2 usage error",
            ]);
        }
    }
    d.ok(&["report", "--help"])
        .stdout_has(&["JSON Lines", ".jsonl"]);
    d.ok(&["score", "--help"])
        .stdout_has(&["--keep <COL,COL>", "joined back"]);
    d.ok(&["demo", "--help"])
        .stdout_has(&["created when it does not exist"]);
}
