//! Bad input: every case exits 1 (runtime error) or 2 (usage error, from clap) with a message
//! that names the file, line and column where it can, and never panics.

use predicates::prelude::*;

use crate::util::{Dir, LABELS};

/// `train` arguments for a file with `text` and `stance` columns.
fn train_args<'a>(data: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "train", "--data", data, "--text", "text", "--label", "stance", "--out", out,
    ]
}

// ---------------------------------------------------------------- CSV structure

#[test]
fn missing_column_lists_the_columns_that_exist() {
    let d = Dir::new();
    d.labels();
    let o = d.err(&[
        "train", "--data", LABELS, "--text", "sentence", "--label", "stance", "--out", "m.json",
    ]);
    o.stderr_has(&[
        "labels_small.csv",
        "no column \"sentence\"",
        "the columns are: id, text, stance, frame",
    ]);
    let o = d.err(&[
        "train", "--data", LABELS, "--text", "text", "--label", "Stance", "--out", "m.json",
    ]);
    o.stderr_has(&["no column \"Stance\"", "id, text, stance, frame"]);
    assert!(!d.join("m.json").exists());
}

#[test]
fn ragged_row_names_file_and_line() {
    let d = Dir::new();
    d.create(
        "r.csv",
        "text,stance\nTroops moved in,anti\nTalks resumed,neutral,extra\nMore talks,neutral\n",
    );
    d.err(&train_args("r.csv", "m.json")).stderr_has(&[
        "r.csv, line 3:",
        "expected 2 fields (as in the header), found 3",
    ]);
    // A row with a field too few, in a CRLF file with a quoted multi-line field before it: the
    // line number is where the bad row starts (line 5), not the record number (4).
    d.create(
        "crlf.csv",
        "text,stance\r\nTroops moved in,anti\r\n\"Talks resumed\r\nin Minsk\",neutral\r\nonly one field\r\nMore talks,neutral\r\n",
    );
    d.err(&train_args("crlf.csv", "m.json")).stderr_has(&[
        "crlf.csv, line 5:",
        "expected 2 fields (as in the header), found 1",
    ]);
    assert!(!d.join("m.json").exists());
}

#[test]
fn unterminated_quote_is_an_error_naming_file_and_line() {
    let d = Dir::new();
    // The quote opened on line 3 swallows the rest of the file into one field.
    d.create(
        "q.csv",
        "text,stance\nTroops moved in,anti\n\"Talks never closed,neutral\nMore talks,neutral\n",
    );
    d.err(&train_args("q.csv", "m.json"))
        .stderr_has(&["q.csv, line 3:"]);
    assert!(!d.join("m.json").exists());
}

#[test]
fn unterminated_quote_is_named_as_such() {
    let d = Dir::new();
    d.create(
        "q.csv",
        "text,stance\nTroops moved in,anti\n\"Talks never closed,neutral\nMore talks,neutral\n",
    );
    let o = d.err(&train_args("q.csv", "m.json"));
    o.stderr_has(&["q.csv, line 3:", "unterminated quote"]);
    assert!(!o.stderr.contains("delimiter"), "{}", o.stderr);
}

#[test]
fn unterminated_quote_in_the_last_column_is_an_error() {
    let d = Dir::new();
    d.create(
        "q.csv",
        "text,stance\nTroops moved in,anti\nTalks resumed,\"neutral\nTroops shelled the port,anti\nTalks stalled,neutral\n",
    );
    d.err(&train_args("q.csv", "m.json"))
        .stderr_has(&["q.csv, line 3", "unterminated quote"]);
    assert!(!d.join("m.json").exists());
}

#[test]
fn invalid_utf8_names_file_line_and_column_and_lossy_reads_it() {
    let d = Dir::new();
    let mut bytes =
        b"text,stance\nTroops moved in,anti\nTroops moved out,anti\nTalks in Min".to_vec();
    bytes.extend_from_slice(b"\xffsk resumed,neutral\nTalks stalled,neutral\n");
    d.create("u.csv", &bytes);
    let o = d.err(&train_args("u.csv", "m.json"));
    o.stderr_has(&[
        "u.csv, line 4, column \"text\"",
        "invalid UTF-8 at byte 12 of the field",
        "--encoding lossy",
    ]);
    assert!(!d.join("m.json").exists());

    let mut args = train_args("u.csv", "m.json");
    args.extend(["--encoding", "lossy"]);
    d.ok(&args)
        .stdout_has(&["4 rows read, 4 used", "classes: anti 2, neutral 2"]);
    assert!(d.join("m.json").exists());

    // A text article with a bad byte on its second line.
    d.create(
        "arts/wire/a.txt",
        b"Troops moved in.\nTalks \xfe stalled.\n",
    );
    let o = d.err(&["score", "--model", "m.json", "arts"]);
    o.stderr_has(&["a.txt", "line 2", "invalid UTF-8"]);
    let o = d.ok(&["score", "--model", "m.json", "--encoding", "lossy", "arts"]);
    assert!(o.stdout.contains("Talks \u{fffd} stalled."), "{}", o.stdout);
}

#[test]
fn empty_file_is_refused() {
    let d = Dir::new();
    d.create("e.csv", "");
    d.err(&train_args("e.csv", "m.json"))
        .stderr_has(&["e.csv: the file is empty"]);
    d.create("w.csv", "  \n\n");
    d.err(&train_args("w.csv", "m.json"))
        .stderr_has(&["w.csv: the file is empty"]);
    d.err(&["report", "e.csv"])
        .stderr_has(&["e.csv: the file is empty"]);
    assert!(!d.join("m.json").exists());
}

#[test]
fn header_only_is_refused() {
    let d = Dir::new();
    d.create("h.csv", "text,stance\n");
    d.err(&train_args("h.csv", "m.json"))
        .stderr_has(&["h.csv: the file has a header row but no data rows"]);
    d.create("s.csv", "source,doc,index,text,m_label,m_p_a,m_p_b\n");
    d.err(&["report", "s.csv"])
        .stderr_has(&["s.csv: the file has a header row but no data rows"]);
}

#[test]
fn no_usable_rows_says_why_rows_were_skipped() {
    let d = Dir::new();
    d.create(
        "n.csv",
        "text,stance\n,anti\nTroops moved in,\nTalks,No agreement\n  ,neutral\n",
    );
    let mut args = train_args("n.csv", "m.json");
    args.extend(["--skip-label", "No agreement"]);
    d.err(&args).stderr_has(&[
        "n.csv: no usable rows (4 read; skipped: 1 empty label, 2 empty text, 1 skipped label)",
    ]);
    assert!(!d.join("m.json").exists());
}

#[test]
fn a_single_class_is_refused() {
    let d = Dir::new();
    d.create(
        "s.csv",
        "text,stance\nTroops moved in,anti\nTalks stalled,anti\nTalks resumed, anti \n",
    );
    d.err(&train_args("s.csv", "m.json")).stderr_has(&[
        "s.csv: every usable row has the label \"anti\" in column \"stance\"",
        "at least two classes",
    ]);
    assert!(!d.join("m.json").exists());
}

#[test]
fn a_class_with_one_example_trains_with_a_warning() {
    let d = Dir::new();
    d.create(
        "one.csv",
        "text,stance\nTroops moved in,anti\nTroops shelled the port,anti\nTalks resumed,neutral\n",
    );
    let o = d.ok(&train_args("one.csv", "m.json"));
    o.stderr_has(&["framelens: warning: class \"neutral\" has only 1 example in one.csv"]);
    assert!(!o.stderr.contains("\"anti\" has only"), "{}", o.stderr);
    o.stdout_has(&["classes: anti 2, neutral 1"]);
    assert!(d.join("m.json").exists());
}

// ---------------------------------------------------------------- paths

#[test]
fn input_that_does_not_exist_is_named() {
    let d = Dir::new();
    d.err(&train_args("nope.csv", "m.json"))
        .stderr_has(&["nope.csv: no such file"]);
    d.train_stance("stance.json");
    d.err(&["score", "--model", "stance.json", "nope.txt"])
        .stderr_has(&["nope.txt: no such file"]);
    d.err(&["score", "--model", "nope.json", "-"])
        .stderr_has(&["nope.json"]);
    d.err(&["inspect", "nope.json"]).stderr_has(&["nope.json"]);
    d.err(&["report", "nope.csv"])
        .stderr_has(&["nope.csv: no such file"]);
}

#[test]
fn a_directory_where_a_file_is_needed_is_named() {
    let d = Dir::new();
    d.create_dir("somedir");
    d.err(&train_args("somedir", "m.json"))
        .stderr_has(&["somedir: is a directory, expected a file"]);
    d.err(&["report", "somedir"])
        .stderr_has(&["somedir: is a directory, expected a file"]);
    d.err(&["inspect", "somedir"]).stderr_has(&["somedir"]);
    d.train_stance("stance.json");
    d.err(&["score", "--model", "somedir", "-"])
        .stderr_has(&["somedir"]);
    // A directory to score must hold .txt files.
    d.create("empty/notes.md", "Troops moved in.");
    d.err(&["score", "--model", "stance.json", "empty"])
        .stderr_has(&["empty: directory has no .txt files"]);
    assert!(!d.join("m.json").exists());
}

#[test]
fn output_in_a_missing_directory_fails_before_any_work() {
    let d = Dir::new();
    // Inputs that would fail later prove the output is checked first.
    d.create("bad.csv", "text,stance\nTroops moved in,anti,extra\n");
    d.create("article.txt", "Troops moved in.");
    d.create("scores.csv", "source,doc,text\nwire,1,Troops moved in.\n");
    let before = d.listing();

    let o = d.err(&train_args("bad.csv", "nodir/m.json"));
    o.stderr_has(&["cannot write nodir/m.json: directory nodir does not exist"]);
    assert!(
        !o.stderr.contains("bad.csv"),
        "read the data first:\n{}",
        o.stderr
    );

    let o = d.err(&[
        "score",
        "--model",
        "bad.csv",
        "--out",
        "nodir/s.csv",
        "article.txt",
    ]);
    o.stderr_has(&["cannot write nodir/s.csv: directory nodir does not exist"]);
    assert!(
        !o.stderr.contains("bad.csv"),
        "loaded the model first:\n{}",
        o.stderr
    );

    let o = d.err(&["report", "scores.csv", "--out", "nodir/r.md"]);
    o.stderr_has(&["cannot write nodir/r.md: directory nodir does not exist"]);
    assert!(
        !o.stderr.contains("model columns"),
        "read the scores first:\n{}",
        o.stderr
    );

    assert!(o.stdout.is_empty());
    assert_eq!(d.listing(), before, "a file was created");
}

#[test]
fn output_that_is_a_directory_is_refused() {
    let d = Dir::new();
    d.labels();
    d.create_dir("models");
    d.err(&[
        "train", "--data", LABELS, "--text", "text", "--label", "stance", "--out", "models",
    ])
    .stderr_has(&["cannot write models: it is a directory"]);
    assert_eq!(d.listing(), ["labels_small.csv", "models"]);
}

#[test]
fn output_that_is_also_an_input_is_refused_and_the_input_kept() {
    let d = Dir::new();
    d.train_stance("stance.json");
    let article = "Troops moved in on Monday. Talks stalled.\n";
    d.create("x.txt", article);
    let labels = d.read(LABELS);
    let model = d.read("stance.json");

    d.err(&["score", "--model", "stance.json", "--out", "x.txt", "x.txt"])
        .stderr_has(&["refusing to write x.txt: it is also an input"]);
    assert_eq!(d.read("x.txt"), article.as_bytes());

    // The same file under another spelling of its path.
    d.err(&[
        "score",
        "--model",
        "stance.json",
        "--out",
        "./x.txt",
        "x.txt",
    ])
    .stderr_has(&["also an input"]);
    assert_eq!(d.read("x.txt"), article.as_bytes());

    // A model is an input too.
    d.err(&[
        "score",
        "--model",
        "stance.json",
        "--out",
        "stance.json",
        "x.txt",
    ])
    .stderr_has(&["also an input"]);
    assert_eq!(d.read("stance.json"), model);

    d.err(&[
        "train", "--data", LABELS, "--text", "text", "--label", "stance", "--out", LABELS,
    ])
    .stderr_has(&["refusing to write labels_small.csv: it is also an input"]);
    assert_eq!(d.read(LABELS), labels);

    d.ok(&[
        "score",
        "--model",
        "stance.json",
        "--out",
        "scores.csv",
        "x.txt",
    ]);
    let scores = d.read("scores.csv");
    d.err(&["report", "scores.csv", "--out", "scores.csv"])
        .stderr_has(&["also an input"]);
    assert_eq!(d.read("scores.csv"), scores);
}

// ---------------------------------------------------------------- model files

#[test]
fn score_refuses_a_file_that_is_not_a_model() {
    let d = Dir::new();
    d.labels();
    d.create("a.txt", "Troops moved in.");
    d.err(&["score", "--model", LABELS, "a.txt"])
        .stderr_has(&["labels_small.csv: not a framelens model file (it is not a JSON object)"]);
    d.create(
        "other.json",
        r#"{"format": "something-else", "format_version": 1}"#,
    );
    d.err(&["score", "--model", "other.json", "a.txt"])
        .stderr_has(&["other.json: not a framelens model file (its format is \"something-else\")"]);
    d.create("empty.json", "");
    d.err(&["inspect", "empty.json"])
        .stderr_has(&["empty.json: not a framelens model file (the file is empty)"]);
}

#[test]
fn score_refuses_a_truncated_model() {
    let d = Dir::new();
    d.train_stance("stance.json");
    let json = d.read("stance.json");
    d.create("cut.json", &json[..json.len() / 2]);
    d.create("a.txt", "Troops moved in.");
    let o = d.err(&["score", "--model", "cut.json", "a.txt"]);
    o.stderr_has(&["cut.json: damaged model file", "truncated"]);
    assert!(
        o.stdout.is_empty(),
        "wrote rows before failing: {}",
        o.stdout
    );
}

#[test]
fn score_refuses_a_model_from_another_format_version() {
    let d = Dir::new();
    d.train_stance("stance.json");
    let json = d.read_string("stance.json");
    assert!(json.contains("\"format_version\":1,"));
    d.create(
        "v99.json",
        json.replacen("\"format_version\":1,", "\"format_version\":99,", 1),
    );
    d.create("a.txt", "Troops moved in.");
    d.err(&["score", "--model", "v99.json", "a.txt"])
        .stderr_has(&[
            "v99.json: model format version 99",
            "reads version 1",
            "retrain",
        ]);
    d.err(&["inspect", "v99.json"])
        .stderr_has(&["v99.json: model format version 99"]);
}

#[test]
fn two_models_with_the_same_name_are_refused() {
    let d = Dir::new();
    d.train_stance("stance.json");
    d.create_dir("other");
    std::fs::copy(d.join("stance.json"), d.join("other/stance.json")).expect("copy");
    d.create("a.txt", "Troops moved in.");
    d.err(&[
        "score",
        "--model",
        "stance.json",
        "--model",
        "other/stance.json",
        "a.txt",
    ])
    .stderr_has(&["two models are named \"stance\""]);
}

// ---------------------------------------------------------------- report

#[test]
fn report_on_a_file_without_model_columns() {
    let d = Dir::new();
    d.create("plain.csv", "source,doc,text\nwire,1,Troops moved in.\n");
    d.err(&["report", "plain.csv"]).stderr_has(&[
        "plain.csv: no model columns found",
        "the columns are: source, doc, text",
    ]);
    // A `_label` column without probability columns is not a model either.
    d.create("half.csv", "source,doc,stance_label\nwire,1,anti\n");
    d.err(&["report", "half.csv"])
        .stderr_has(&["half.csv: no model columns found"]);
    // Without the grouping column, that column is named.
    d.labels();
    d.err(&["report", LABELS])
        .stderr_has(&["no column \"source\"", "id, text, stance, frame"]);
}

#[test]
fn report_names_a_cell_that_is_not_a_probability() {
    let d = Dir::new();
    d.create(
        "s.csv",
        "source,doc,index,text,m_label,m_p_a,m_p_b\nw,1,0,x,a,0.9,0.1\nw,1,1,y,b,zero,1.0\n",
    );
    d.err(&["report", "s.csv"])
        .stderr_has(&["s.csv, line 3: column \"m_p_a\" should be a probability, found \"zero\""]);
    d.err(&["report", "s.csv", "--model-name", "n"])
        .stderr_has(&["no model named \"n\"; the models are: m"]);
}

// ---------------------------------------------------------------- usage

#[test]
fn usage_errors_exit_2() {
    let d = Dir::new();
    d.labels();
    let base = [
        "train", "--data", LABELS, "--text", "text", "--label", "stance", "--out", "m.json",
    ];
    let usage = |extra: &[&str], want: &str| {
        let mut args = base.to_vec();
        args.extend(extra);
        d.cmd(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(want).and(predicate::str::contains("panicked").not()));
    };
    usage(&["--bogus"], "unexpected argument '--bogus'");
    usage(
        &["--ngram-range", "3,1"],
        "invalid value '3,1' for '--ngram-range <MIN,MAX>'",
    );
    usage(
        &["--ngram-range", "1"],
        "expected MIN,MAX with 1 <= MIN <= MAX",
    );
    // Flag values go through the library's parser, the one `eval --grid` uses.
    usage(&["--stem", "klingon"], "expected none or one of arabic");
    usage(&["--sublinear-tf=maybe"], "expected true or false");
    usage(&["--delimiter", ";;"], "expected one ASCII character");
    usage(&["--analyzer", "sentence"], "invalid value 'sentence'");
    usage(&["--c", "big"], "invalid value 'big'");
    // Missing required arguments.
    d.cmd(&[
        "train", "--data", LABELS, "--text", "text", "--out", "m.json",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("--label <COL>"));
    d.cmd(&["score", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--model <MODEL>"));
    d.cmd(&["score", "--model", "m.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<INPUT>"));
    d.cmd(&["frobnicate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unrecognized subcommand"));
    assert!(!d.join("m.json").exists());
}

#[test]
fn bad_option_values_checked_after_parsing_exit_1() {
    let d = Dir::new();
    d.labels();
    let base = [
        "train", "--data", LABELS, "--text", "text", "--label", "stance", "--out", "m.json",
    ];
    let runtime = |extra: &[&str], want: &[&str]| {
        let mut args = base.to_vec();
        args.extend(extra);
        d.err(&args).stderr_has(want);
    };
    // Values of the right form but out of range are checked by the library: exit 1, and
    // the message names the flag.
    runtime(&["--c", "0"], &["invalid --c 0"]);
    runtime(&["--c=-1"], &["invalid --c -1"]);
    runtime(&["--max-iter", "0"], &["invalid --max-iter 0"]);
    runtime(&["--stop-words", "missing-list.txt"], &["missing-list.txt"]);
    assert!(!d.join("m.json").exists());
}
