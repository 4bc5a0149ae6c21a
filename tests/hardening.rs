//! Regressions of issue 11 ("Hardening"): bad input a hostile user tried, each with its
//! fix. Named `r11_<item>_<what>` after the numbered items.

use crate::util::Dir;

/// Item 4: a stray quote in an unquoted field (`5" screen`) is valid CSV for `score`.
#[test]
fn r11_4_stray_quote_in_score_input() {
    let d = Dir::new();
    d.train_stance("m.json");
    d.create(
        "s.csv",
        "id,text\n1,The 5\" screen broke.\n2,Talks resume.\n",
    );
    let out = d.ok(&["score", "--model", "m.json", "s.csv"]);
    let (_, rows) = crate::util::parse_csv(&out.stdout);
    assert_eq!(rows.len(), 2, "{}", out.stdout);
    assert!(
        out.stdout.contains("The 5\"\" screen broke."),
        "{}",
        out.stdout
    );
}

/// Item 4: a real unterminated quote after a stray one is refused by `train`, at its line.
#[test]
fn r11_4_unterminated_quote_hidden_by_a_stray_one() {
    let d = Dir::new();
    d.create(
        "l.csv",
        "text,label\nThe 12\" gun fired,mil\ntanks roll,\"mil\ntalks resume,dip\nmore talks,dip\n",
    );
    d.err(&[
        "train", "--data", "l.csv", "--text", "text", "--label", "label", "--out", "m.json",
    ])
    .stderr_has(&["l.csv, line 3", "never closed"]);
    assert!(!d.join("m.json").exists());
}

/// Items 5 to 8 through the binary: with two models, the bad one is named; its numbers,
/// n-gram range and classes are checked; nothing is written.
#[test]
fn r11_5_to_8_model_errors_name_the_file() {
    let d = Dir::new();
    d.train_stance("good.json");
    d.create("a.txt", "Troops crossed the border. Talks failed.\n");
    let good: serde_json::Value = serde_json::from_str(&d.read_string("good.json")).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit, &str); 4] = [
        (
            "nan.json",
            |v| v["features"]["parts"][0]["idf"][0] = 1e308.into(),
            "idf of term",
        ),
        (
            "ngram.json",
            |v| {
                v["features"]["parts"][0]["config"]["analyzer"]["ngram_range"] =
                    serde_json::json!([1, 1_000_000_000])
            },
            "invalid ngram_range \"1,1000000000\"",
        ),
        (
            "dup.json",
            |v| v["classifier"]["classes"][1] = v["classifier"]["classes"][0].clone(),
            "is listed twice",
        ),
        (
            "short.json",
            |v| {
                v["classifier"]["coef"][0].as_array_mut().unwrap().pop();
            },
            "a weight vector has",
        ),
    ];
    for (name, edit, says) in cases {
        let mut v = good.clone();
        edit(&mut v);
        d.create(name, v.to_string());
        let o = d.err(&[
            "score",
            "--model",
            "good.json",
            "--model",
            name,
            "a.txt",
            "--out",
            "s.csv",
        ]);
        o.stderr_has(&[&format!("{name}: unusable model file"), says]);
        assert!(!o.stderr.contains("--ngram-range"), "{}", o.stderr);
        assert!(!d.join("s.csv").exists());
    }
}

/// Item 6: `train` refuses an n-gram range above the bound before fitting anything.
#[test]
fn r11_6_train_refuses_huge_ngram_range() {
    let d = Dir::new();
    d.labels();
    let o = d.run(&[
        "train",
        "--data",
        crate::util::LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--analyzer",
        "char",
        "--ngram-range",
        "1,100000",
        "--out",
        "m.json",
    ]);
    assert_ne!(o.code, Some(0));
    o.stderr_has(&["--ngram-range", "1,100000", "<= 32"]);
    assert!(!d.join("m.json").exists());
}

/// Item 11: `report` refuses probabilities outside [0, 1] and labels that are not a class,
/// naming the file and line.
#[test]
fn r11_11_report_checks_its_cells() {
    let d = Dir::new();
    let header = "source,doc,index,text,m_label,m_p_a,m_p_b\n";
    for (row, says) in [
        ("x,1,0,t,a,5,0.5", "should be a probability, found \"5\""),
        ("x,1,0,t,a,NaN,0.5", "found \"NaN\""),
        ("x,1,0,t,zzz,0.5,0.5", "found \"zzz\""),
    ] {
        d.create("s.csv", format!("{header}x,0,0,t,a,0.9,0.1\n{row}\n"));
        d.err(&["report", "s.csv"])
            .stderr_has(&["s.csv, line 3", says]);
    }
}

/// Runs framelens in `d` with `args` and standard output redirected to `stdout`; returns
/// the exit code and stderr.
fn run_with_stdout(
    d: &Dir,
    args: &[&str],
    stdout: std::process::Stdio,
    close: bool,
) -> (Option<i32>, String) {
    use std::io::Read as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_framelens"))
        .current_dir(d.path())
        .args(args)
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if close {
        drop(child.stdout.take()); // close the read end before anything is written
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    (status.code(), stderr)
}

/// Item 9: `eval` with a full standard output (`> /dev/full`) is an error that says so,
/// exit 1, not a panic (exit 101).
#[cfg(target_os = "linux")]
#[test]
fn r11_9_eval_to_a_full_stdout() {
    let d = Dir::new();
    d.labels();
    let args = [
        "eval",
        "--data",
        crate::util::LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--folds",
        "3",
    ];
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let (code, stderr) = run_with_stdout(&d, &args, full.into(), false);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("writing standard output: No space left on device"),
        "{stderr}"
    );
}

/// Item 10: a closed or full standard output loses `train`'s progress text, never the
/// model: `train --out m.json | head -1` writes m.json and exits 0.
#[test]
fn r11_10_train_with_closed_stdout_still_writes_the_model() {
    let d = Dir::new();
    d.labels();
    let args = [
        "train",
        "--data",
        crate::util::LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--cv",
        "3",
        "--out",
        "m.json",
    ];
    let (code, stderr) = run_with_stdout(&d, &args, std::process::Stdio::piped(), true);
    assert_eq!(code, Some(0), "{stderr}");
    framelens::Model::load(&d.join("m.json")).unwrap();
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let args = [
            "train",
            "--data",
            crate::util::LABELS,
            "--text",
            "text",
            "--label",
            "stance",
            "--out",
            "m2.json",
        ];
        let (code, stderr) = run_with_stdout(&d, &args, full.into(), false);
        assert_eq!(code, Some(0), "{stderr}");
        framelens::Model::load(&d.join("m2.json")).unwrap();
    }
}

/// Item 3: `--out` writes through a symbolic link (the link stays) and into a FIFO (which
/// stays a FIFO), as `cp` and shells do, instead of renaming a regular file over them.
#[cfg(unix)]
#[test]
fn r11_3_out_writes_through_links_and_fifos() {
    use std::os::unix::fs::FileTypeExt;
    let d = Dir::new();
    d.train_stance("m.json");
    d.create("a.txt", "Troops crossed the border. Talks failed.\n");
    d.create("real.csv", "old");
    std::os::unix::fs::symlink("real.csv", d.join("link.csv")).unwrap();
    d.ok(&["score", "--model", "m.json", "a.txt", "--out", "link.csv"]);
    assert!(std::fs::symlink_metadata(d.join("link.csv"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(d
        .read_string("real.csv")
        .starts_with("source,doc,index,text,m_label"));

    let fifo = d.join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    d.ok(&["score", "--model", "m.json", "a.txt", "--out", "fifo"]);
    let got = reader.join().unwrap();
    assert_eq!(got.lines().count(), 3, "{got}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    // /dev/stdout, a link to a pipe that has no path: written through.
    #[cfg(target_os = "linux")]
    {
        let o = d.ok(&[
            "score",
            "--model",
            "m.json",
            "a.txt",
            "--out",
            "/dev/stdout",
        ]);
        assert_eq!(o.stdout.lines().count(), 3, "{}", o.stdout);
        assert!(std::fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink());
    }
}

/// Item 2: `split` on a folder with symbolic-link loops reads each file once, ends, and
/// names the links it skipped; `- -` is refused.
#[cfg(unix)]
#[test]
fn r11_2_split_link_loops() {
    let d = Dir::new();
    d.create("l/o/a.txt", "Troops invade.\n");
    std::os::unix::fs::symlink("..", d.join("l/o/up")).unwrap();
    std::os::unix::fs::symlink(".", d.join("l/o/self")).unwrap();
    let o = d.ok(&["split", "l"]);
    assert_eq!(o.stdout.lines().count(), 2, "{}", o.stdout);
    o.stderr_has(&[
        "l/o/self: skipped, the same directory as l/o",
        "l/o/up: skipped",
    ]);
    d.err(&["split", "-", "-"])
        .stderr_has(&["standard input (-) is given twice"]);
}

/// Debatable, decided: an endless input (`/dev/zero` as a .txt, .csv or .jsonl file, or on
/// standard input) stops at the first record or article over 16 MiB with an error, instead
/// of growing memory without bound.
#[cfg(target_os = "linux")]
#[test]
fn r11_endless_inputs_stop_at_the_record_limit() {
    let d = Dir::new();
    for (name, says) in [
        ("z.txt", "z.txt: larger than 16 MiB"),
        ("z.csv", "z.csv, line 1: a record longer than 16 MiB"),
        ("z.jsonl", "z.jsonl, line 1: a record longer than 16 MiB"),
    ] {
        std::os::unix::fs::symlink("/dev/zero", d.join(name)).unwrap();
        d.err(&["split", name]).stderr_has(&[says]);
    }
    d.err(&[
        "train", "--data", "z.csv", "--text", "a", "--label", "b", "--out", "m.json",
    ])
    .stderr_has(&["z.csv, line 1: a record longer than 16 MiB"]);
    d.err(&["report", "z.csv"])
        .stderr_has(&["a record longer than 16 MiB"]);
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_framelens"))
        .current_dir(d.path())
        .args(["split", "-"])
        .stdin(zero)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("-: larger than 16 MiB"), "{stderr}");
}

/// Debatable, decided: a model file with a UTF-8 byte-order mark loads (as CSV inputs do)
/// and scores exactly as without it.
#[test]
fn r11_model_with_bom_loads() {
    let d = Dir::new();
    d.train_stance("m.json");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(d.read("m.json"));
    d.create("bom/m.json", bom);
    d.create("a.txt", "Troops crossed the border. Talks failed.\n");
    let plain = d.ok(&["score", "--model", "m.json", "a.txt"]).stdout;
    let with_bom = d.ok(&["score", "--model", "bom/m.json", "a.txt"]).stdout;
    assert_eq!(plain, with_bom);
}

/// Debatable, decided: `--max-features 0` is refused as itself (it blamed `--min-df`).
#[test]
fn r11_max_features_zero_names_itself() {
    let d = Dir::new();
    d.labels();
    let o = d.err(&[
        "train",
        "--data",
        crate::util::LABELS,
        "--text",
        "text",
        "--label",
        "stance",
        "--max-features",
        "0",
        "--out",
        "m.json",
    ]);
    o.stderr_has(&["invalid --max-features 0"]);
    assert!(!o.stderr.contains("min-df"), "{}", o.stderr);
}

/// Debatable, decided and documented: a value clap cannot parse (`--stem klingon`) is a usage
/// error, exit 2; a value that parses but the recipe refuses (`--c 0`) is exit 1 with
/// "invalid --c 0: expected ...", found before any data is read.
#[test]
fn r11_bad_values_exit_codes() {
    let d = Dir::new();
    let o = d.run(&[
        "train", "--data", "none.csv", "--text", "t", "--label", "l", "--out", "m.json", "--stem",
        "klingon",
    ]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    o.stderr_has(&["klingon"]);
    d.err(&[
        "train", "--data", "none.csv", "--text", "t", "--label", "l", "--out", "m.json", "--c", "0",
    ])
    .stderr_has(&["invalid --c 0: expected a finite number > 0"]);
}
