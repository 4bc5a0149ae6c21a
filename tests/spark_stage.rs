//! `framelens score -` as a streaming stage (issue #14): JSON Lines on standard input, JSON
//! Lines out, ids and kept fields passed through, bad records written as error records.

use std::io::Write;
use std::process::{Command, Stdio};

const INPUT: &str =
    "{\"id\":\"a\",\"text\":\"Russian aggression grows. NATO responds.\",\"g\":\"x\"}\n\
not json\n\
{\"id\":\"b\",\"body\":\"no text here\",\"g\":\"y\"}\n\
{\"id\":\"c\",\"text\":\"The provocation continues.\",\"g\":\"z\"}\n";

fn score(args: &[&str], stdin: &str) -> (bool, String, String) {
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/models/stance.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_framelens"))
        .arg("score")
        .args(args)
        .args([
            "--model", model, "--format", "jsonl", "--doc", "id", "--keep", "g",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A run that stops early (a bad record without --on-error record) closes its input.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn bad_records_fail_by_default_naming_the_line() {
    let (ok, _, err) = score(&["-", "--stdin-format", "jsonl"], INPUT);
    assert!(!ok);
    assert!(err.contains("line 2: invalid JSON"), "{err}");
}

#[test]
fn on_error_record_writes_error_records_in_order_and_keeps_ids() {
    let (ok, out, err) = score(
        &["-", "--stdin-format", "jsonl", "--on-error", "record"],
        INPUT,
    );
    assert!(ok, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let docs: Vec<&str> = lines
        .iter()
        .map(|v| match v.get("error") {
            Some(_) => "ERR",
            None => v["doc"].as_str().unwrap(),
        })
        .collect();
    assert_eq!(docs, ["a", "a", "ERR", "ERR", "c"]);
    assert_eq!(lines[0]["g"], "x");
    assert_eq!(lines[4]["g"], "z");
    // An error record carries what identifies its record, as far as it could be read (on
    // Spark the line is the line within the partition): the id and kept fields of a readable
    // record, the start of the line of an unreadable one.
    assert_eq!(
        (&lines[3]["doc"], &lines[3]["g"]),
        (&"b".into(), &"y".into())
    );
    assert_eq!(lines[2]["input"], "not json");
    assert!(lines[2].get("doc").is_none());
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("line 2: invalid JSON"));
    assert!(lines[3]["error"]
        .as_str()
        .unwrap()
        .contains("line 3: no field \"text\""));
}

#[test]
fn stdin_output_equals_file_output_for_the_good_records() {
    let good: String = INPUT
        .lines()
        .filter(|l| l.contains("\"text\""))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = std::env::temp_dir().join(format!("framelens-spark-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("in.jsonl");
    std::fs::write(&file, &good).unwrap();
    let (ok, from_file, err) = score(&[file.to_str().unwrap()], "");
    assert!(ok, "{err}");
    let (ok, from_stdin, err) = score(
        &["-", "--stdin-format", "jsonl", "--on-error", "record"],
        INPUT,
    );
    assert!(ok, "{err}");
    // Equal parsed records but for the source, which is the file's folder or "stdin".
    let records = |text: &str| -> Vec<serde_json::Value> {
        text.lines()
            .filter(|l| !l.starts_with("{\"error\""))
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("source");
                v
            })
            .collect()
    };
    assert_eq!(records(&from_stdin).len(), 3);
    assert_eq!(records(&from_stdin), records(&from_file));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn on_error_record_needs_jsonl_output() {
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/models/stance.json");
    let out = Command::new(env!("CARGO_BIN_EXE_framelens"))
        .args([
            "score",
            "-",
            "--stdin-format",
            "jsonl",
            "--on-error",
            "record",
        ])
        .args(["--model", model])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// A record too long to read (over 16 MiB) is one bad record like any other with
/// `--on-error record`: an error record in its place, and the records after it are scored.
/// Without it, scoring stops at that line.
#[test]
fn a_record_too_long_is_skipped_to_its_line_end_with_on_error_record() {
    let long = format!(
        "{{\"id\":\"big\",\"text\":\"{}\"}}\n",
        "word ".repeat((17 << 20) / 5)
    );
    let input = format!(
        "{{\"id\":\"a\",\"text\":\"NATO responds.\",\"g\":\"x\"}}\n{long}{{\"id\":\"c\",\"text\":\"The provocation continues.\",\"g\":\"z\"}}\n"
    );
    let (ok, out, err) = score(
        &["-", "--stdin-format", "jsonl", "--on-error", "record"],
        &input,
    );
    assert!(ok, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{out:.300}");
    assert_eq!(lines[0]["doc"], "a");
    let e = lines[1]["error"].as_str().unwrap();
    assert!(e.contains("line 2: a record longer than 16 MiB"), "{e}");
    assert!(lines[1]["input"]
        .as_str()
        .unwrap()
        .starts_with("{\"id\":\"big\""));
    assert_eq!(lines[2]["doc"], "c");
    let (ok, _, err) = score(&["-", "--stdin-format", "jsonl"], &input);
    assert!(!ok);
    assert!(err.contains("line 2") && err.contains("16 MiB"), "{err}");
}
