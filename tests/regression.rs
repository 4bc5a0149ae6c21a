//! Regression tests for the bugs listed in issue 7 ("framelens as a library"), named `r7_*`,
//! and the command-line additions it asked for.

use std::io::Read as _;
use std::process::Stdio;

use crate::util::{Dir, LABELS};

fn train_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "train",
        "--data",
        LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--skip-label",
        "No agreement",
    ];
    a.extend_from_slice(extra);
    a
}

fn model_json(d: &Dir, name: &str) -> serde_json::Value {
    serde_json::from_str(&d.read_string(name)).unwrap()
}

/// `--preset best` dropped `--max-iter` and `--tol`, and an explicit `--c 1` was ignored.
#[test]
fn r7_explicit_flags_win_over_the_preset_and_the_model_records_it() {
    let d = Dir::new();
    d.labels();
    d.ok(&train_args(&[
        "--preset",
        "best",
        "--c",
        "1",
        "--max-iter",
        "300",
        "--tol",
        "0.0001",
        "--out",
        "m.json",
    ]));
    let m = model_json(&d, "m.json");
    let p = &m["training"]["params"];
    assert_eq!(p["c"], 1.0);
    assert_eq!(p["max_iter"], 300);
    assert_eq!(p["tol"], 0.0001);
    assert_eq!(
        p["class_weight"], "balanced",
        "the rest of the preset stays"
    );
    assert_eq!(m["training"]["preset"], "best");
    let parts = m["features"]["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[1]["config"]["analyzer"]["analyzer"], "char_wb");
    // Without a preset the file has no preset field (the shipped models stay byte-identical).
    d.ok(&train_args(&["--out", "plain.json"]));
    assert!(model_json(&d, "plain.json")["training"]
        .get("preset")
        .is_none());
}

/// Grid values were parsed differently from flags: `stem` was not lowercased and
/// `stop-words` refused a file.
#[test]
fn r7_grid_values_parse_like_the_flags() {
    let d = Dir::new();
    d.labels();
    d.create("stop.txt", "# my list\nthe\nand\n");
    let mut args = vec![
        "eval",
        "--data",
        LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--skip-label",
        "No agreement",
        "--folds",
        "3",
        "--grid",
        "stem=English:none",
        "--grid",
        "stop-words=none:stop.txt",
        "--format",
        "json",
    ];
    let o = d.ok(&args);
    let r: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let settings: Vec<String> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            x["settings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        settings,
        [
            "stem=english stop-words=none",
            "stem=english stop-words=stop.txt",
            "stem=none stop-words=none",
            "stem=none stop-words=stop.txt",
        ]
    );
    let list = &r["results"][1]["config"]["features"]["main"]["analyzer"]["stop_words"];
    assert_eq!(list, &serde_json::json!({"list": ["the", "and"]}));
    // A bad value in a grid is refused with the same message as the flag's.
    args.truncate(args.len() - 2);
    args.extend(["--grid", "stem=klingon"]);
    d.err(&args).stderr_has(&[
        "in --grid \"stem=klingon\"",
        "expected none or one of arabic",
    ]);
    d.cmd(&train_args(&["--stem", "klingon", "--out", "m.json"]))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected none or one of arabic"));
}

/// `eval --model` silently ignored `--out`, `--save`, `--grid` and `--learning-curve`.
#[test]
fn r7_eval_model_refuses_the_options_it_cannot_use() {
    let d = Dir::new();
    d.train_stance("m.json");
    let base = [
        "eval", "--data", LABELS, "--text", "text", "--label", "stance", "--model", "m.json",
    ];
    for extra in [
        &["--out", "p.csv"][..],
        &["--save", "r.json"],
        &["--grid", "c=1,2"],
        &["--learning-curve"],
        &["--folds", "3"],
    ] {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        d.cmd(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("cannot be used with"));
    }
    let mut args = base.to_vec();
    args.extend(["--c", "2"]);
    d.err(&args)
        .stderr_has(&["--model evaluates a trained model as it is"]);
    assert!(!d.join("p.csv").exists() && !d.join("r.json").exists());
}

/// `train --from-eval` replaces the recipe; combining it with recipe flags is an error, not
/// a silent choice.
#[test]
fn r7_from_eval_refuses_recipe_flags() {
    let d = Dir::new();
    d.labels();
    d.ok(&[
        "eval", "--data", LABELS, "--text", "text", "--label", "stance", "--folds", "3", "--grid",
        "c=0.5,2", "--save", "r.json",
    ]);
    d.err(&train_args(&[
        "--from-eval",
        "r.json",
        "--c",
        "4",
        "--out",
        "m.json",
    ]))
    .stderr_has(&["--from-eval takes every feature and model setting from r.json"]);
    d.ok(&train_args(&["--from-eval", "r.json", "--out", "m.json"]));
    let saved: serde_json::Value = serde_json::from_str(&d.read_string("r.json")).unwrap();
    assert_eq!(
        model_json(&d, "m.json")["training"]["params"],
        saved["best"]["params"]
    );
}

/// Three `print!` calls bypassed the broken-pipe guard: a closed standard output must end
/// the command quietly with exit 0, never a panic.
#[test]
fn r7_closed_stdout_is_not_a_panic() {
    let d = Dir::new();
    d.train_stance("m.json");
    for args in [
        &["inspect", "m.json", "--top", "500"][..],
        &[
            "eval", "--data", LABELS, "--text", "text", "--label", "stance", "--folds", "3",
        ],
        &[
            "eval", "--data", LABELS, "--text", "text", "--label", "stance", "--model", "m.json",
        ],
        &["demo"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_framelens"))
            .current_dir(d.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // close the read end before anything is written
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
    }
}

/// `--filter COL!=VALUE` (leave one outlet out) and `COL=A|B`.
#[test]
fn filters_exclude_and_alternate() {
    let d = Dir::new();
    d.labels();
    d.ok(&train_args(&[
        "--filter",
        "frame!=military",
        "--out",
        "a.json",
    ]));
    d.ok(&train_args(&[
        "--filter",
        "frame=military|diplomacy",
        "--out",
        "b.json",
    ]));
    let rows = |m: &serde_json::Value| m["training"]["rows"]["used"].as_u64().unwrap();
    let (a, b) = (model_json(&d, "a.json"), model_json(&d, "b.json"));
    assert_eq!(a["training"]["filters"][0], "frame!=military");
    assert_eq!(b["training"]["filters"][0], "frame=military|diplomacy");
    // Count what the filters should keep straight from the fixture.
    let text = d.read_string(LABELS);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let (mut not_mil, mut mil_or_dip) = (0, 0);
    for r in rdr.records() {
        let r = r.unwrap();
        if &r[2] == "No agreement" || r[2].is_empty() || r[1].trim().is_empty() {
            continue;
        }
        not_mil += usize::from(&r[3] != "military");
        mil_or_dip += usize::from(&r[3] == "military" || &r[3] == "diplomacy");
    }
    assert_eq!(rows(&a) as usize, not_mil);
    assert_eq!(rows(&b) as usize, mil_or_dip);
    assert!(not_mil > 0 && mil_or_dip > 0);
    d.cmd(&train_args(&["--filter", "=x", "--out", "c.json"]))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("expected COLUMN=VALUE"));
}

#[test]
fn completions_and_man_page() {
    let d = Dir::new();
    let o = d.ok(&["completions", "bash"]);
    assert!(o.stdout.contains("_framelens()"), "{}", &o.stdout[..200]);
    assert!(o.stdout.contains("--ngram-range"));
    let o = d.ok(&["completions", "fish"]);
    assert!(o.stdout.contains("complete -c framelens"));
    let o = d.ok(&["man"]);
    assert!(
        o.stdout.starts_with(".ie") || o.stdout.contains(".TH framelens"),
        "{}",
        &o.stdout[..200]
    );
    assert!(o.stdout.contains("demo"));
    d.cmd(&["completions", "tcsh"]).assert().code(2);
}

/// The top-level help points to `demo`; every subcommand's help has examples and exit codes.
#[test]
fn help_points_to_demo_and_shows_examples() {
    let d = Dir::new();
    d.ok(&["--help"])
        .stdout_has(&["framelens demo", "Exit status"]);
    for cmd in [
        "train", "eval", "inspect", "score", "report", "split", "demo",
    ] {
        d.ok(&[cmd, "--help"])
            .stdout_has(&["Example", "Exit status"]);
    }
}

/// `eval` prints the majority-class baseline and marks settings within noise of the best;
/// the learning curve shows whole row counts.
#[test]
fn eval_table_has_baseline_noise_marks_and_whole_rows() {
    let d = Dir::new();
    d.labels();
    let o = d.ok(&[
        "eval",
        "--data",
        LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--skip-label",
        "No agreement",
        "--folds",
        "3",
        "--grid",
        "c=0.5,1,64",
        "--learning-curve",
    ]);
    o.stdout_has(&[
        "figures are mean ± sd over folds",
        "baseline     macro-F1",
        "the majority class",
        "within noise of the best",
    ]);
    let ranked: Vec<&str> = o
        .stdout
        .lines()
        .filter(|l| l.trim_start().contains("macro-F1") && l.contains("c="))
        .collect();
    assert_eq!(ranked.len(), 3, "{}", o.stdout);
    assert!(ranked[0].trim_start().starts_with('*'), "{ranked:?}");
    for l in o.stdout.lines().filter(|l| l.contains(" rows  macro-F1")) {
        let n = l.split_whitespace().nth(1).unwrap();
        assert!(n.parse::<u64>().is_ok(), "not a whole row count: {l}");
    }
}
