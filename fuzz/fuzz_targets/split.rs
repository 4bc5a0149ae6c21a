//! The sentence splitter: every sentence is an exact, trimmed, non-empty slice of the input;
//! sentences come in order without overlapping; what lies between them is only white space
//! and list markers (bullets, `1.`, `2)`).
#![no_main]
use libfuzzer_sys::fuzz_target;

const MARKER_CHARS: &[char] = &[
    '•', '-', '*', '–', '—', '▪', '◦', '‣', '·', '●', '○', '■', '□', '.', ')',
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sentences = framelens::text::split_sentences(&text);
    let mut end = 0;
    for s in &sentences {
        assert!(s.span.start >= end, "sentences overlap or go backwards");
        assert!(!s.text.is_empty(), "empty sentence");
        assert_eq!(&text[s.span.clone()], s.text, "not an exact slice");
        assert_eq!(s.text.trim(), s.text, "sentence not trimmed");
        let gap = &text[end..s.span.start];
        assert!(
            gap.chars()
                .all(|c| c.is_whitespace() || c.is_ascii_digit() || MARKER_CHARS.contains(&c)),
            "text lost between sentences: {gap:?}"
        );
        end = s.span.end;
    }
    assert!(
        text[end..].chars().all(char::is_whitespace),
        "text lost after the last sentence"
    );
    // The allocation-free walk yields the same spans.
    let mut spans = Vec::new();
    framelens::text::for_each_sentence(&text, |r| spans.push(r));
    assert_eq!(spans.len(), sentences.len());
});
