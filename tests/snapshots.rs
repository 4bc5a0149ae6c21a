//! Snapshots (insta) of what a user reads: every `--help`, the Markdown report and the eval tables.
//!
//! The snapshots live in `tests/snapshots/`. After a deliberate change of the output, regenerate
//! them with `INSTA_UPDATE=always cargo test --test tests snapshots` and review the diff of every
//! `.snap` file before committing it. With `CI=true` insta never writes a snapshot, so a missing or
//! different one fails the test.

use crate::util::{Dir, LABELS};

/// Every subcommand, in the order of `framelens --help`.
const SUBCOMMANDS: [&str; 12] = [
    "demo",
    "split",
    "train",
    "score",
    "report",
    "eval",
    "inspect",
    "explain",
    "suggest",
    "agree",
    "completions",
    "man",
];

/// Runs `args` in `d` (expecting success) and returns stdout, with the temporary directory's path
/// (in case an output ever names it) replaced by `[DIR]`, so that the snapshot does not depend on it.
fn stdout(d: &Dir, args: &[&str]) -> String {
    let out = d.ok(args).stdout;
    let dir = d.path().to_string_lossy().into_owned();
    out.replace(&dir, "[DIR]")
}

/// `--help` of the top-level command and of every subcommand, at a fixed terminal width.
#[test]
fn help() {
    let d = Dir::new();
    let help = |args: &[&str]| {
        let out = d.cmd(args).env("COLUMNS", "100").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "framelens {args:?}");
        assert!(out.stderr.is_empty(), "framelens {args:?} wrote to stderr");
        String::from_utf8(out.stdout).unwrap()
    };
    insta::assert_snapshot!("help", help(&["--help"]));
    for cmd in SUBCOMMANDS {
        insta::assert_snapshot!(format!("help_{cmd}"), help(&[cmd, "--help"]));
    }
}

/// The top-level help lists exactly the subcommands snapshotted above (and `help`).
#[test]
fn help_lists_every_subcommand() {
    let d = Dir::new();
    let out = d.ok(&["--help"]).stdout;
    let listed: Vec<&str> = out
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands: section")
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut expected = SUBCOMMANDS.to_vec();
    expected.push("help");
    assert_eq!(listed, expected);
}

/// `framelens demo`: the Markdown report of the bundled seed articles scored by the shipped models.
#[test]
fn demo_report() {
    let d = Dir::new();
    insta::assert_snapshot!("demo", stdout(&d, &["demo"]));
}

/// `framelens report` (Markdown) on scores of articles built from the fixture's sentences: three
/// outlets of two articles each, scored by stance and frame models trained on the fixture.
#[test]
fn report_markdown() {
    let d = Dir::new();
    d.train_stance("stance.json");
    d.train_frame("frame.json");
    let (_, rows) = crate::util::parse_csv(&d.read_string(LABELS));
    // s01-s08 anti_kremlin, s09-s16 pro_kremlin, s17-s24 neutral: one outlet each, in two
    // articles of four sentences.
    for (outlet, first) in [("west", 0), ("east", 8), ("wire", 16)] {
        for (article, part) in [("a1", 0), ("a2", 4)] {
            let start = first + part;
            let text: Vec<&str> = rows[start..start + 4]
                .iter()
                .map(|r| r[1].as_str())
                .collect();
            d.create(&format!("articles/{outlet}/{article}.txt"), text.join(" "));
        }
    }
    d.ok(&[
        "score",
        "--model",
        "stance.json",
        "--model",
        "frame.json",
        "articles",
        "--out",
        "scores.csv",
    ]);
    let (_, scored) = crate::util::parse_csv(&d.read_string("scores.csv"));
    assert_eq!(scored.len(), 24, "every sentence scored once");
    insta::assert_snapshot!("report_md", stdout(&d, &["report", "scores.csv"]));
}

/// The `eval` arguments for `label` on the fixture.
fn eval_args<'a>(label: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["eval", "--data", LABELS, "--text", "text", "--label", label];
    if label == "stance" {
        args.extend(["--skip-label", "No agreement"]);
    }
    args.extend(more);
    args
}

/// `eval` tables: a grid search on the stance labels (ranking, noise marks, best setting,
/// metrics, baseline, per-class table, confusion matrix).
#[test]
fn eval_grid_table() {
    let d = Dir::new();
    d.labels();
    let args = eval_args("stance", &["--grid", "c=0.5,4", "--folds", "3"]);
    insta::assert_snapshot!("eval_grid", stdout(&d, &args));
}

/// `eval --learning-curve` on the stance labels, with the default settings.
#[test]
fn eval_learning_curve_table() {
    let d = Dir::new();
    d.labels();
    let args = eval_args("stance", &["--folds", "3", "--learning-curve"]);
    insta::assert_snapshot!("eval_learning_curve", stdout(&d, &args));
}

/// `eval` with a grid and a learning curve together, on the frame labels (one row has no frame).
#[test]
fn eval_grid_learning_curve_table() {
    let d = Dir::new();
    d.labels();
    let args = eval_args(
        "frame",
        &["--grid", "c=0.5,4", "--folds", "3", "--learning-curve"],
    );
    insta::assert_snapshot!("eval_frame_grid_learning_curve", stdout(&d, &args));
}

/// `eval --model`: the held-out table of a trained model.
#[test]
fn eval_held_out_table() {
    let d = Dir::new();
    d.train_stance("stance.json");
    let args = eval_args("stance", &["--model", "stance.json"]);
    insta::assert_snapshot!("eval_held_out", stdout(&d, &args));
}
