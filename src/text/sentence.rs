//! Article text → sentences, tuned for news copy.
//!
//! The splitter is rule based and works on byte offsets, so every sentence is an exact slice
//! of the article (trimmed of surrounding white space and of a leading list marker).
//!
//! Rules, in order:
//! - every line break ends a sentence (news copy puts headlines, bylines, list items and
//!   paragraphs on lines of their own), except a line that ends without terminal punctuation
//!   followed by a line that starts with a lower-case letter (hard-wrapped text);
//! - a leading bullet (`•`, `-`, `*`, `–`, `▪`, `◦`) or list number (`1.`, `2)`) is not part of
//!   the sentence;
//! - inside a line, `.`, `!`, `?` or `…` (possibly repeated, possibly followed by closing
//!   quotes or brackets) end a sentence when the next word starts like a sentence: an
//!   upper-case letter, a digit or an opening quote after white space, or an upper-case letter
//!   followed by a lower-case one with no space at all (`war.Russia`);
//! - a full stop does not end a sentence after a known abbreviation (`Mr.`, `Gen.`, `Jan.`,
//!   `No.` before a number, …), after a single capital letter (initials, `R.Politik`), inside
//!   a number (`1.5`), or after a dotted abbreviation such as `U.S.` unless the next word is a
//!   typical sentence opener (`The`, `He`, `But`, …).

use std::ops::Range;

/// A sentence: its byte range in the article and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// Byte range of the sentence in the article.
    pub span: Range<usize>,
    /// The sentence text, an exact slice of the article.
    pub text: &'a str,
}

/// Abbreviations (without the full stop) after which a full stop does not end a sentence.
/// Matched case-sensitively against the word before the stop.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Sgt", "Cpl",
    "Pvt", "Adm", "Brig", "Cmdr", "Gov", "Sen", "Rep", "Pres", "Rev", "Hon", "Amb", "Sec", "Supt",
    "Insp", "Det", "St", "Mt", "Ft", "Jr", "Sr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "Inc", "Corp", "Ltd", "Co", "Bros", "vs", "v", "cf",
    "approx", "Approx", "est", "Est", "al", "e.g", "i.e", "Fig", "fig", "ca", "Vol", "vol", "pp",
    "Ph.D", "Ave", "Blvd", "Rd", "Univ", "Dept", "Gov't", "Mme", "Mlle",
];

/// Abbreviations that only hold before a number (`No. 5`, `Art. 5`).
const NUMBER_ABBREVIATIONS: &[&str] = &["No", "Nos", "Art", "Para", "Nr", "p"];

/// Words that, after a dotted abbreviation such as `U.S.`, show a new sentence has begun.
const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "Yet",
    "So",
    "However",
    "Meanwhile",
    "Still",
    "Some",
    "Many",
    "Most",
];

const BULLETS: &[char] = &[
    '•', '-', '*', '–', '—', '▪', '◦', '‣', '·', '●', '○', '■', '□',
];
const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '›'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '«', '(', '[', '‹'];
const TERMINALS: &[char] = &['.', '!', '?', '…'];

/// Splits an article into sentences.
///
/// ```
/// use framelens::text::split_sentences;
/// let text = "Mr. Putin met Gen. Smith on Jan. 5. Prices rose 1.5% in the U.S. The talks failed.";
/// let got: Vec<&str> = split_sentences(text).iter().map(|s| s.text).collect();
/// assert_eq!(got, ["Mr. Putin met Gen. Smith on Jan. 5.", "Prices rose 1.5% in the U.S.", "The talks failed."]);
/// ```
pub fn split_sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    for_each_sentence(text, |span| {
        out.push(Sentence {
            text: &text[span.clone()],
            span,
        })
    });
    out
}

/// Calls `f` with the byte range of each sentence of `text`, in order, without allocating.
pub fn for_each_sentence(text: &str, mut f: impl FnMut(Range<usize>)) {
    for block in blocks(text) {
        split_block(text, block, &mut f);
    }
}

/// Lines, merged when a line is hard-wrapped, with list markers removed.
fn blocks(text: &str) -> Vec<Range<usize>> {
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' || c == '\r' || c == '\u{2029}' || c == '\u{2028}' {
            lines.push(start..i);
            start = i + c.len_utf8();
        }
    }
    lines.push(start..text.len());

    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut prev_blank = true;
    for line in lines {
        let Some(trimmed) = trim(text, line) else {
            prev_blank = true;
            continue;
        };
        let (marker, body) = strip_marker(text, trimmed);
        if body.is_empty() {
            prev_blank = true;
            continue;
        }
        if let Some(last) = blocks.last_mut() {
            let prev = &text[last.clone()];
            let first = text[body.clone()].chars().next();
            let continues = !prev_blank
                && !marker
                && !prev.ends_with(|c: char| {
                    TERMINALS.contains(&c) || CLOSERS.contains(&c) || c == ':'
                })
                && first.is_some_and(|c| c.is_lowercase());
            if continues {
                last.end = body.end;
                prev_blank = false;
                continue;
            }
        }
        blocks.push(body);
        prev_blank = false;
    }
    blocks
}

/// Trims white space; `None` if nothing is left.
fn trim(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(r.start + lead..r.start + lead + t.len())
    }
}

/// Removes a leading bullet or list number; tells whether there was one.
fn strip_marker(text: &str, r: Range<usize>) -> (bool, Range<usize>) {
    let s = &text[r.clone()];
    let mut chars = s.char_indices();
    if let Some((_, c)) = chars.next() {
        if BULLETS.contains(&c) {
            let rest = &s[c.len_utf8()..];
            if rest.starts_with(char::is_whitespace) {
                let trimmed = rest.trim_start();
                let start = r.end - trimmed.len();
                return (true, start..r.end);
            }
        }
        if c.is_ascii_digit() {
            let digits = s.bytes().take_while(u8::is_ascii_digit).count();
            let after = &s[digits..];
            if digits <= 3 && (after.starts_with(". ") || after.starts_with(") ")) {
                let trimmed = after[1..].trim_start();
                // "1. " followed by a capital or a quote is a list item; "2014. " would not be.
                if trimmed.starts_with(|c: char| c.is_uppercase() || OPENERS.contains(&c)) {
                    let start = r.end - trimmed.len();
                    return (true, start..r.end);
                }
            }
        }
    }
    (false, r)
}

fn split_block(text: &str, block: Range<usize>, f: &mut impl FnMut(Range<usize>)) {
    let s = &text[block.clone()];
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !TERMINALS.contains(&c) {
            continue;
        }
        // Extend over repeated terminals ("?!", "...") and closing quotes or brackets.
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if TERMINALS.contains(&d) || CLOSERS.contains(&d) {
                end = j + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        if end >= s.len() {
            break;
        }
        let rest = &s[end..];
        let after_space = rest.trim_start();
        let spaced = after_space.len() < rest.len();
        let next_word = word_after(after_space);
        let first = after_space.chars().next();
        let starts_sentence = if spaced {
            first.is_some_and(|ch| {
                ch.is_uppercase() || ch.is_ascii_digit() || OPENERS.contains(&ch) || ch == '•'
            })
        } else {
            // "war.Russia": a capital then a lower-case letter, straight after the stop
            // (but not "USA/UK?NATO" or "R.Politik").
            let mut cs = rest.chars();
            let cap_then_lower = matches!((cs.next(), cs.next()),
                (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase());
            cap_then_lower && word_before(s, i).chars().count() > 1
        };
        if !starts_sentence {
            continue;
        }
        if c == '.' && end == i + 1 && !is_sentence_stop(s, i, next_word) {
            continue;
        }
        if let Some(r) = trim(text, block.start + start..block.start + end) {
            f(r);
        }
        start = end;
    }
    if let Some(r) = trim(text, block.start + start..block.end) {
        f(r);
    }
}

/// How far (in bytes) the rules look for the word before and after a stop. A "word" longer
/// than this (no white space for 64 bytes) is cut to about its 64 bytes nearest the stop,
/// so each stop costs bounded time.
const WORD_LIMIT: usize = 64;

/// The largest char boundary of `s` at or below `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The word (run of non-space characters) at the start of `s`, at most [`WORD_LIMIT`] bytes
/// long. Bounded: without the bound, text with many stops and no white space ("a.a.a.…")
/// costs time quadratic in its length.
fn word_after(s: &str) -> &str {
    s[..floor_boundary(s, WORD_LIMIT)]
        .split(|ch: char| ch.is_whitespace())
        .next()
        .unwrap_or("")
}

/// The word (run of non-space characters) that ends just before byte `i`, at most
/// [`WORD_LIMIT`] + 3 bytes long (bounded for the same reason).
fn word_before(s: &str, i: usize) -> &str {
    let from = floor_boundary(s, i.saturating_sub(WORD_LIMIT));
    let head = &s[from..i];
    let start = head
        .rfind(|c: char| c.is_whitespace() || OPENERS.contains(&c))
        .map_or(0, |p| {
            p + head[p..].chars().next().map_or(1, char::len_utf8)
        });
    &head[start..]
}

/// Decides whether the full stop at byte `i` ends a sentence, given the next word.
fn is_sentence_stop(s: &str, i: usize, next_word: &str) -> bool {
    let word = word_before(s, i);
    if word.is_empty() {
        return true;
    }
    if ABBREVIATIONS.contains(&word) {
        return false;
    }
    let next_is_number = next_word.starts_with(|c: char| c.is_ascii_digit());
    if NUMBER_ABBREVIATIONS.contains(&word) && next_is_number {
        return false;
    }
    let mut chars = word.chars();
    if let (Some(a), None) = (chars.next(), chars.next()) {
        // A lone capital: an initial ("J. K. Rowling"), unless a sentence opener follows.
        if a.is_uppercase() {
            return SENTENCE_OPENERS.contains(&trim_punct(next_word));
        }
    }
    // Dotted abbreviations: "U.S", "U.K", "a.m" (the last stop is the one at i).
    if word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic))
    {
        return SENTENCE_OPENERS.contains(&trim_punct(next_word));
    }
    true
}

fn trim_punct(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<&str> {
        split_sentences(t).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn abbreviations_initials_and_numbers() {
        assert_eq!(
            split("Dr. Jones and Gen. Milley met on Jan. 5 at No. 10. It rained. J. K. Rowling wrote 1.5 books."),
            [
                "Dr. Jones and Gen. Milley met on Jan. 5 at No. 10.",
                "It rained.",
                "J. K. Rowling wrote 1.5 books."
            ]
        );
    }

    #[test]
    fn us_abbreviation_and_opener() {
        assert_eq!(
            split("The U.S. Army moved. Troops left the U.S. The talks ended."),
            [
                "The U.S. Army moved.",
                "Troops left the U.S.",
                "The talks ended."
            ]
        );
    }

    #[test]
    fn quotes_after_stop_stay_with_sentence() {
        assert_eq!(
            split("They wrote: “It continues.” He added: \"Never.\" ‘Fine.’ Next one."),
            [
                "They wrote: “It continues.”",
                "He added: \"Never.\"",
                "‘Fine.’",
                "Next one."
            ]
        );
    }

    #[test]
    fn missing_space_after_stop() {
        assert_eq!(
            split("It was war.Russia denied it."),
            ["It was war.", "Russia denied it."]
        );
        // ...but not after an initial.
        assert_eq!(
            split("The firm R.Politik said so."),
            ["The firm R.Politik said so."]
        );
    }

    #[test]
    fn dash_after_stop_and_question_mark_without_space() {
        // InoSMI's inserted note and a reader's "USA/UK?NATO" stay inside one sentence.
        assert_eq!(
            split("Troops moved (not confirmed by official sources. — Approx. InoSMI), he said. An aggressive USA/UK?NATO. Next."),
            [
                "Troops moved (not confirmed by official sources. — Approx. InoSMI), he said.",
                "An aggressive USA/UK?NATO.",
                "Next."
            ]
        );
    }

    #[test]
    fn headlines_bullets_and_paragraphs() {
        let t = "Talks collapse in Geneva\n\n  • does Russia attack or not\n  • sanctions follow\n1. Victor says\nFirst line. Second line!\n";
        assert_eq!(
            split(t),
            [
                "Talks collapse in Geneva",
                "does Russia attack or not",
                "sanctions follow",
                "Victor says",
                "First line.",
                "Second line!"
            ]
        );
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        assert_eq!(
            split("The troops moved towards\nthe border last week. Then\nThey stopped."),
            [
                "The troops moved towards\nthe border last week.",
                "Then",
                "They stopped."
            ]
        );
    }

    #[test]
    fn percent_decimal_questions_and_ellipsis() {
        assert_eq!(
            split("Support fell to 70%. Is that enough? Maybe… Nobody knows...no one."),
            [
                "Support fell to 70%.",
                "Is that enough?",
                "Maybe…",
                "Nobody knows...no one."
            ]
        );
    }

    #[test]
    fn spans_are_exact_slices() {
        let t = "  Héllo wörld. Second “quote.”\r\nThird";
        for s in split_sentences(t) {
            assert_eq!(&t[s.span.clone()], s.text);
        }
        assert_eq!(split(t), ["Héllo wörld.", "Second “quote.”", "Third"]);
    }

    /// Issue 11, item 1: the look-ahead and look-behind around a stop are bounded, so text
    /// with many stops and no white space splits in linear time (measured in
    /// `benches/pipeline.rs`, `split/no_spaces`); the result is unchanged.
    #[test]
    fn r11_word_look_around_is_bounded() {
        let long = "a.".repeat(10_000);
        assert!(word_after(&long).len() <= WORD_LIMIT);
        assert!(word_before(&long, long.len() - 1).len() <= WORD_LIMIT + 3);
        let wide = "é.".repeat(10_000);
        assert!(word_after(&wide).len() <= WORD_LIMIT);
        assert!(word_before(&wide, wide.len() - 1).len() <= WORD_LIMIT + 3);
        assert_eq!(split(&long), [long.as_str()]);
        // Stops followed by a capital and no space: "war.Russia" splits, long or not.
        let caps = "war.Russia".repeat(2_000);
        let got = split(&caps);
        assert_eq!(got.concat(), caps, "sentences cover the text");
        assert_eq!(got.len(), 2_001);
        // Short words are not affected: the rules still see whole words.
        assert_eq!(word_after("Meanwhile, the"), "Meanwhile,");
        assert_eq!(word_before("the U.S.", 7), "U.S");
    }

    #[test]
    fn empty_and_whitespace() {
        assert!(split("").is_empty());
        assert!(split(" \n\n\t ").is_empty());
        assert_eq!(split("."), ["."]);
    }
}
