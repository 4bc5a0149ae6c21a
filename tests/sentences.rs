//! The sentence splitter against the standard: pragmatic_segmenter's 48 English Golden Rules,
//! exact reconstruction of the text, other languages, and linear work on pathological input.

use framelens::text::split_sentences;

use serde::Deserialize;

#[derive(Deserialize)]
struct GoldenRules {
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
struct Rule {
    rule: usize,
    text: String,
    expected: Vec<String>,
}

fn golden_rules() -> Vec<Rule> {
    let raw = include_str!("fixtures/golden_rules_en.json");
    serde_json::from_str::<GoldenRules>(raw).unwrap().rules
}

#[test]
fn golden_rules_all_48_pass() {
    let rules = golden_rules();
    assert_eq!(rules.len(), 48);
    let mut failed = Vec::new();
    for r in &rules {
        let got: Vec<&str> = split_sentences(&r.text).iter().map(|s| s.text).collect();
        if got != r.expected {
            failed.push(format!(
                "rule {}: {:?}\n  expected {:?}\n  got      {:?}",
                r.rule, r.text, r.expected, got
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of 48 Golden Rules fail:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// Checks that the sentences of `text` are in order, trimmed, and that only white space lies
/// between them: concatenating sentences and gaps gives back the text.
fn assert_reconstructs(text: &str) {
    let sentences = split_sentences(text);
    let mut rebuilt = String::with_capacity(text.len());
    let mut pos = 0;
    for s in &sentences {
        assert!(
            s.span.start >= pos,
            "overlap at {} in {text:?}",
            s.span.start
        );
        let gap = &text[pos..s.span.start];
        assert!(
            gap.chars().all(char::is_whitespace),
            "dropped {gap:?} in {text:?}"
        );
        assert_eq!(&text[s.span.clone()], s.text);
        assert!(
            !s.text.is_empty() && s.text.trim() == s.text,
            "{:?}",
            s.text
        );
        rebuilt.push_str(gap);
        rebuilt.push_str(s.text);
        pos = s.span.end;
    }
    let tail = &text[pos..];
    assert!(tail.chars().all(char::is_whitespace), "dropped {tail:?}");
    rebuilt.push_str(tail);
    assert_eq!(rebuilt, text);
}

#[test]
fn reconstruction_on_golden_rules_and_seed_articles() {
    for r in golden_rules() {
        assert_reconstructs(&r.text);
    }
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("labels/seeds");
    let mut n = 0;
    for source in std::fs::read_dir(seeds).unwrap() {
        let dir = source.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                assert_reconstructs(&std::fs::read_to_string(&path).unwrap());
                n += 1;
            }
        }
    }
    assert_eq!(n, 5, "seed articles");
}

#[test]
fn reconstruction_on_random_texts() {
    use rand::{Rng, SeedableRng};
    // Pieces chosen to hit every rule: stops, ellipses, list markers, quotes, brackets,
    // abbreviations, numbers, e-mail addresses, line breaks and multi-byte characters.
    const PIECES: &[&str] = &[
        "a",
        "The",
        "U.S.",
        "Mr.",
        "Co.",
        "I",
        "1.",
        "2)",
        "3.)",
        "a.",
        "b)",
        "• ",
        "⁃",
        "-",
        ".",
        ". . .",
        "...",
        "…",
        "!",
        "?",
        "?!",
        "\"",
        "“",
        "”",
        "'",
        "’",
        "(",
        ")",
        "[...]",
        "[",
        "]",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\n\n",
        "\t",
        "war.Russia",
        "Jane.Doe@x.com",
        "N°.",
        "1026.253.553",
        "P.M.",
        "a.m.",
        "Россия.",
        "Київ",
        "é",
        "\u{2029}",
        "say",
        "7",
    ];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(15);
    for _ in 0..3000 {
        let len = rng.gen_range(0..40);
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(PIECES[rng.gen_range(0..PIECES.len())]);
            if rng.gen_bool(0.5) {
                text.push(' ');
            }
        }
        assert_reconstructs(&text);
    }
}

#[test]
fn text_without_spaces_splits_in_one_pass() {
    // 200 KB of "a." used to take seconds (a look-back over the whole line at every stop);
    // the splitter now looks at most a few dozen bytes around a stop. Speed itself is
    // measured in benches/pipeline.rs ("pathological"); here the result is checked.
    let text = "a.".repeat(100_000);
    let got = split_sentences(&text);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].text.len(), text.len());
    let text = "Ab. ".repeat(50_000);
    assert_reconstructs(&text);
}
