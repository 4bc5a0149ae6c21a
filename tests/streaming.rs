//! Issue 12: one large plain text (on standard input or in a file) is read in parts and
//! gives the rows of the whole text.

use crate::util::{fixture, Dir};

/// The seed articles, some with CRLF line ends, repeated past two parts (a part is about
/// 1 MiB), with multibyte characters throughout.
fn big_text() -> String {
    let mut seeds: Vec<String> = std::fs::read_dir(fixture("news_sentences"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    seeds.sort();
    let mut text = String::new();
    let mut i = 0;
    while text.len() < (2 << 20) + 1000 {
        let s = &seeds[i % seeds.len()];
        if i % 3 == 1 {
            text.push_str(&s.replace('\n', "\r\n"));
        } else {
            text.push_str(s);
        }
        text.push_str(&format!("\n\nЖурнал №{i}: “итог” 🚀.\n\n"));
        i += 1;
    }
    text
}

fn model() -> String {
    format!("{}/models/stance.json", env!("CARGO_MANIFEST_DIR"))
}

fn jsonl(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn r12_one_large_text_on_stdin_gives_the_rows_of_the_whole_text() {
    let d = Dir::new();
    let text = big_text();
    let whole: Vec<&str> = framelens::text::split_sentences(&text)
        .iter()
        .map(|s| s.text)
        .collect();
    let m = model();
    let o = d
        .cmd(&["score", "--model", &m, "--format", "jsonl", "-"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = jsonl(&String::from_utf8(o.stdout).unwrap());
    assert_eq!(rows.len(), whole.len());
    for (i, (r, s)) in rows.iter().zip(&whole).enumerate() {
        assert_eq!(r["index"], i, "{r}");
        assert_eq!(r["text"], *s, "row {i}");
        assert_eq!(
            (&r["source"], &r["doc"]),
            (&"stdin".into(), &"stdin".into())
        );
    }

    // Each sentence scored on its own gives the same label and probabilities.
    let sentences: String = whole
        .iter()
        .map(|s| format!("{}\n", serde_json::json!({ "text": s })))
        .collect();
    d.create("sentences.jsonl", sentences);
    let alone = jsonl(
        &d.ok(&[
            "score",
            "--model",
            &m,
            "--no-split",
            "--format",
            "jsonl",
            "sentences.jsonl",
        ])
        .stdout,
    );
    assert_eq!(alone.len(), rows.len());
    for (a, r) in alone.iter().zip(&rows) {
        let scores = |v: &serde_json::Value| {
            v.as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| k.starts_with("stance_"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(scores(a), scores(r), "{r}");
    }

    // The same text as a file: the same rows; split numbers them the same way.
    d.create("wire/big.txt", &text);
    let from_file = jsonl(
        &d.ok(&["score", "--model", &m, "--format", "jsonl", "wire"])
            .stdout,
    );
    assert_eq!(from_file.len(), rows.len());
    for (f, r) in from_file.iter().zip(&rows) {
        assert_eq!((&f["source"], &f["doc"]), (&"wire".into(), &"big".into()));
        let rest = |v: &serde_json::Value| {
            let mut o = v.as_object().unwrap().clone();
            o.remove("source");
            o.remove("doc");
            o
        };
        assert_eq!(rest(f), rest(r));
    }
    let split = d.ok(&["split", "wire/big.txt"]).stdout;
    assert_eq!(split.lines().count(), whole.len() + 1);
    assert!(split.contains(&format!(
        "\nwire_big_{:03},wire,big,{},",
        whole.len() - 1,
        whole.len() - 1
    )));
}

#[test]
fn r12_a_run_longer_than_a_part_without_white_space_is_kept_whole() {
    let d = Dir::new();
    // Past a part without white space: kept whole, and scored as the whole text is.
    let long = format!("{} tail. Next one.\n", "x".repeat((1 << 20) + 10));
    d.create("long.txt", &long);
    let o = d.ok(&["split", "long.txt"]).stdout;
    assert_eq!(o.lines().count(), 3, "{}", &o[..200]);
    assert!(o.ends_with(",1,Next one.\n"));
}
