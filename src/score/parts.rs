//! Plain text read in bounded parts, so one huge document (a 1 GB file on standard input)
//! is scored in constant memory.
//!
//! A part ends where the sentence splitter would start a new block anyway, so splitting the
//! parts one by one gives the sentences of the whole text: after a blank line (the splitter
//! never joins lines across one; with CRLF line ends every line end is one), or before a
//! line that does not start with a lower-case letter (the splitter joins a line to the one
//! before only when it starts with one). Only when a part's worth of text has no such place
//! does a part end at another line break, then at a sentence boundary, then after white
//! space; a run without white space is kept whole up to [`MAX_RECORD_BYTES`]. The sentence
//! indices go on from part to part ([`Document::first_index`](super::Document::first_index)).

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::data::{Encoding, MAX_RECORD_BYTES};
use crate::text::SentenceLanguage;
use crate::Error;

/// Bytes of text per part (about; a part ends at a boundary at or before this).
pub(crate) const PART_BYTES: usize = 1 << 20;

/// A reader that adds the bytes it reads to a shared counter.
pub(crate) struct Counting<R> {
    pub(crate) inner: R,
    pub(crate) count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// One part of a plain-text input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The text.
    pub(crate) text: String,
    /// 0 for the first part of the input.
    pub(crate) number: usize,
    /// The index of the part's first sentence in the whole text.
    pub(crate) first_index: usize,
}

/// Reads a plain-text input part by part.
pub(crate) struct TextParts {
    path: PathBuf,
    reader: Box<dyn Read>,
    /// Bytes read and not yet handed out.
    buf: Vec<u8>,
    eof: bool,
    started: bool,
    done: bool,
    /// Parts handed out so far.
    parts: usize,
    /// Sentences in the parts handed out so far.
    next_index: usize,
    /// Bytes (after any byte-order mark) and line feeds before `buf[0]`.
    offset: u64,
    lines: u64,
    /// Whether `buf[0]` starts a line.
    at_line_start: bool,
    part_bytes: usize,
    max_run: usize,
    encoding: Encoding,
    language: SentenceLanguage,
}

impl TextParts {
    pub(crate) fn new(
        path: PathBuf,
        reader: Box<dyn Read>,
        encoding: Encoding,
        language: SentenceLanguage,
    ) -> TextParts {
        TextParts {
            path,
            reader,
            buf: Vec::new(),
            eof: false,
            started: false,
            done: false,
            parts: 0,
            next_index: 0,
            offset: 0,
            lines: 0,
            at_line_start: true,
            part_bytes: PART_BYTES,
            max_run: MAX_RECORD_BYTES,
            encoding,
            language,
        }
    }

    /// Sets the part size (tests use small ones) and the longest run without white space.
    #[cfg(test)]
    pub(crate) fn sizes(mut self, part_bytes: usize, max_run: usize) -> TextParts {
        self.part_bytes = part_bytes.max(1);
        self.max_run = max_run;
        self
    }

    /// Reads until `buf` holds `target` bytes or the input ends.
    fn fill(&mut self, target: usize) -> Result<(), Error> {
        while !self.eof && self.buf.len() < target {
            let want = (target - self.buf.len()) as u64;
            let n = (&mut self.reader)
                .take(want)
                .read_to_end(&mut self.buf)
                .map_err(|e| Error::io(&self.path, e))?;
            if (n as u64) < want {
                self.eof = true;
            }
        }
        if !self.started && (self.eof || self.buf.len() >= 3) {
            self.started = true;
            if self.buf.starts_with(b"\xEF\xBB\xBF") {
                self.buf.drain(..3);
            }
        }
        Ok(())
    }

    /// The next part, or `None` after the last one. The first part of an empty input is
    /// empty; no later part is.
    pub(crate) fn next_part(&mut self) -> Result<Option<Part>, Error> {
        if self.done {
            return Ok(None);
        }
        let mut target = self.part_bytes;
        let cut = loop {
            self.fill(target)?;
            if self.eof {
                break self.buf.len();
            }
            if let Some(c) = find_cut(&self.buf, self.at_line_start, &self.language) {
                break c;
            }
            // No white space at all: not text a reader would cut; keep it whole, up to a limit.
            if self.buf.len() > self.max_run {
                return Err(Error::TooLarge {
                    path: self.path.clone(),
                    what: "a run of plain text without white space",
                    limit: self.max_run as u64,
                });
            }
            target = self.buf.len() + self.part_bytes;
        };
        let last = self.eof && cut == self.buf.len();
        if last {
            self.done = true;
            if self.buf.is_empty() && self.parts > 0 {
                return Ok(None);
            }
        }
        let text = self.decode(cut)?;
        self.lines += self.buf[..cut].iter().filter(|&&b| b == b'\n').count() as u64;
        self.offset += cut as u64;
        self.at_line_start = cut > 0 && matches!(self.buf[cut - 1], b'\n' | b'\r');
        self.buf.drain(..cut);
        let part = Part {
            text,
            number: self.parts,
            first_index: self.next_index,
        };
        self.parts += 1;
        if !last {
            crate::text::for_each_sentence_in(&part.text, &self.language, |_| self.next_index += 1);
        }
        Ok(Some(part))
    }

    /// `buf[..cut]` as text, as the whole input would be decoded: cuts fall on characters.
    fn decode(&self, cut: usize) -> Result<String, Error> {
        let bytes = &self.buf[..cut];
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => match self.encoding {
                Encoding::Lossy => Ok(String::from_utf8_lossy(bytes).into_owned()),
                Encoding::Strict => {
                    let off = e.valid_up_to();
                    let line = bytes[..off].iter().filter(|&&b| b == b'\n').count() as u64;
                    Err(Error::TextUtf8 {
                        path: self.path.clone(),
                        line: self.lines + line + 1,
                        offset: (self.offset + off as u64) as usize,
                    })
                }
            },
        }
    }
}

/// Where to end a part of `buf` (more text follows it): a position in `1..=buf.len()` on a
/// character boundary, or `None` when `buf` has no white space to cut at. `at_line_start`
/// says whether `buf[0]` starts a line.
///
/// In order of preference: the last place where the splitter starts a new block anyway
/// (after a blank line, or before a line that does not start with a lower-case letter);
/// the last line break; the last sentence boundary the splitter finds at least 256 bytes
/// before the end; the last ASCII white space.
pub(crate) fn find_cut(
    buf: &[u8],
    at_line_start: bool,
    language: &SentenceLanguage,
) -> Option<usize> {
    let n = buf.len();
    let mut exact: Option<usize> = None;
    let mut any_line: Option<usize> = None;
    let mut space: Option<usize> = None;
    // The current line: where it starts, whether that start is known, and whether it is
    // blank (ASCII white space only) so far.
    let mut known = at_line_start;
    let mut blank = true;
    for (i, &b) in buf.iter().enumerate() {
        match b {
            b'\n' | b'\r' => {
                let p = i + 1;
                if (known && blank) || (p < n && starts_new_block(&buf[p..])) {
                    exact = Some(p);
                }
                if p < n || b == b'\n' {
                    any_line = Some(p);
                }
                known = true;
                blank = true;
            }
            b' ' | b'\t' | b'\x0B' | b'\x0C' => space = Some(i + 1),
            _ => blank = false,
        }
    }
    if let Some(c) = exact.or(any_line) {
        return Some(c);
    }
    // One long line: the last sentence boundary with enough text after it that the splitter
    // decided it as in the whole text.
    let valid = match std::str::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&buf[..e.valid_up_to()]).unwrap_or_default(),
    };
    let mut sentence = None;
    crate::text::for_each_sentence_in(valid, language, |span| {
        if span.start > 0 && span.start + 256 <= n {
            sentence = Some(span.start);
        }
    });
    sentence.or(space)
}

/// Whether a line starting with `rest` starts a new block of the splitter whatever came
/// before: it is blank, or its first character is not a lower-case letter. Unknown (false)
/// when `rest` ends first.
fn starts_new_block(rest: &[u8]) -> bool {
    let end = rest.len().min(64);
    let s = match std::str::from_utf8(&rest[..end]) {
        Ok(s) => s,
        Err(e) => match std::str::from_utf8(&rest[..e.valid_up_to()]) {
            Ok(s) => s,
            Err(_) => return false,
        },
    };
    for c in s.chars() {
        if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
            return true;
        }
        if !c.is_whitespace() {
            return !c.is_lowercase();
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Document;

    fn reader(parts: usize, max_run: usize, bytes: &[u8], encoding: Encoding) -> TextParts {
        TextParts::new(
            "t.txt".into(),
            Box::new(std::io::Cursor::new(bytes.to_vec())),
            encoding,
            SentenceLanguage::English,
        )
        .sizes(parts, max_run)
    }

    fn parts_of(bytes: &[u8], part_bytes: usize) -> Vec<Part> {
        let mut r = reader(part_bytes, 1 << 20, bytes, Encoding::Strict);
        let mut out = Vec::new();
        while let Some(p) = r.next_part().unwrap() {
            out.push(p);
        }
        out
    }

    /// The rows of the text split part by part, as the scorer numbers them.
    fn rows_by_parts(bytes: &[u8], part_bytes: usize) -> Vec<(usize, String)> {
        let mut rows = Vec::new();
        for p in parts_of(bytes, part_bytes) {
            let mut d = Document::new("s", "d", p.text);
            d.first_index = p.first_index;
            d.part = p.number;
            d.for_each_sentence(false, |i, s| rows.push((i, s.to_string())));
        }
        rows
    }

    fn rows_whole(text: &str) -> Vec<(usize, String)> {
        let mut rows = Vec::new();
        Document::new("s", "d", text)
            .for_each_sentence(false, |i, s| rows.push((i, s.to_string())));
        rows
    }

    /// News copy: headlines, hard-wrapped lines (continued by a lower-case word), list
    /// items, abbreviations, paragraphs split by blank lines, multibyte characters.
    const NEWS: &str = "Talks stall in Geneva\n\
        By Anna Petrova\n\
        \n\
        Mr. Putin met Gen. Smith on Jan. 5. Prices rose 1.5% in the U.S. The talks failed,\n\
        officials said, and “nobody” expected more.\n\
        \n\
        • First, troops moved.\n\
        • Second, talks resumed.\n\
        \n\
        Москва заявила о провокации. Киев ответил, что\n\
        переговоры продолжатся… Emoji 🚀 launched!\n\
        \t \n\
        The end.";

    #[test]
    fn parts_give_the_rows_of_the_whole_text_lf_and_crlf() {
        let crlf = NEWS.replace('\n', "\r\n");
        let mixed = format!("\u{feff}{NEWS}\n\n{crlf}\n{NEWS}");
        for text in [NEWS, crlf.as_str(), mixed.as_str()] {
            let whole = rows_whole(text.trim_start_matches('\u{feff}'));
            assert!(whole.len() > 10);
            // Every paragraph is shorter than these parts, so each part ends where a block
            // ends; many sizes put the cut at many places, inside multibyte characters too.
            for part_bytes in 160..400 {
                let parts = parts_of(text.as_bytes(), part_bytes);
                let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
                assert_eq!(joined, text.trim_start_matches('\u{feff}'), "{part_bytes}");
                assert!(
                    parts.iter().all(|p| p.text.len() <= part_bytes),
                    "{part_bytes}"
                );
                if text.len() > part_bytes {
                    assert!(parts.len() > 1, "{part_bytes}");
                }
                assert_eq!(
                    rows_by_parts(text.as_bytes(), part_bytes),
                    whole,
                    "part size {part_bytes}"
                );
            }
        }
    }

    #[test]
    fn a_paragraph_longer_than_a_part_is_cut_at_sentence_boundaries() {
        let para: String = (0..300)
            .map(|i| format!("Troops moved at dawn near Kharkiv, unit {i} said. "))
            .collect();
        let text = format!("Headline\n\n{}\n\nLast one.", para.trim_end());
        let whole = rows_whole(&text);
        assert_eq!(whole.len(), 302);
        for part_bytes in [1000, 1024, 1500, 4096] {
            let parts = parts_of(text.as_bytes(), part_bytes);
            assert!(parts.len() > text.len() / part_bytes, "{part_bytes}");
            assert_eq!(rows_by_parts(text.as_bytes(), part_bytes), whole);
        }
        // Without a sentence boundary far enough from the end, white space; the text and
        // the continuous numbering survive.
        let words = "word ".repeat(400);
        let parts = parts_of(words.as_bytes(), 100);
        assert!(parts.len() >= 20);
        assert!(parts.iter().all(|p| p.text.ends_with(' ')));
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, words);
        let rows = rows_by_parts(words.as_bytes(), 100);
        let idx: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(idx, (0..parts.len()).collect::<Vec<_>>());
    }

    #[test]
    fn multibyte_characters_at_the_cut_stay_whole() {
        // One long line of two- to four-byte characters and no line break: cuts fall after
        // white space, never inside a character.
        let line = "Ж€🚀 ".repeat(300);
        for part_bytes in 1..40 {
            let parts = parts_of(line.as_bytes(), part_bytes);
            let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(joined, line, "{part_bytes}");
        }
        // Cyrillic paragraphs: the same rows as the whole text at every part size that
        // holds a paragraph.
        let ru = "Войска вошли в город.\nПереговоры сорваны.\n\nЦены выросли на 5%.\n".repeat(20);
        let whole = rows_whole(&ru);
        for part_bytes in 60..200 {
            assert_eq!(
                rows_by_parts(ru.as_bytes(), part_bytes),
                whole,
                "{part_bytes}"
            );
        }
    }

    #[test]
    fn a_run_without_white_space_is_kept_whole_up_to_the_limit() {
        let text = format!("{} tail{}", "x".repeat(50), " more".repeat(4));
        let mut r = reader(16, 100, text.as_bytes(), Encoding::Strict);
        let first = r.next_part().unwrap().unwrap().text;
        assert!(
            first.starts_with(&format!("{} ", "x".repeat(50))),
            "{first}"
        );
        let mut rest = String::new();
        while let Some(p) = r.next_part().unwrap() {
            rest.push_str(&p.text);
        }
        assert!(!rest.is_empty());
        assert_eq!(first + &rest, text);
        let endless = vec![0u8; 1000];
        let mut r = reader(16, 100, &endless, Encoding::Strict);
        let e = r.next_part().unwrap_err();
        assert!(matches!(e, Error::TooLarge { limit: 100, .. }), "{e}");
        assert!(e.to_string().starts_with("t.txt: larger than"), "{e}");
    }

    #[test]
    fn empty_input_is_one_empty_part_and_bad_utf8_is_found_where_the_whole_read_finds_it() {
        assert_eq!(
            parts_of(b"", 16),
            [Part {
                text: String::new(),
                number: 0,
                first_index: 0
            }]
        );
        assert_eq!(parts_of(b"\xEF\xBB\xBF", 16)[0].text, "");
        // An invalid byte on line 7, in the third part.
        let mut bytes = b"One.\n\nTwo.\n\nThree.\n\nFour \xFF here.\n".to_vec();
        bytes.splice(0..0, b"\xEF\xBB\xBF".iter().copied());
        let mut r = reader(8, 100, &bytes, Encoding::Strict);
        let e = loop {
            match r.next_part() {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("no error"),
                Err(e) => break e,
            }
        };
        assert!(
            matches!(
                e,
                Error::TextUtf8 {
                    line: 7,
                    offset: 25,
                    ..
                }
            ),
            "{e:?}"
        );
        let mut r = reader(8, 100, &bytes, Encoding::Lossy);
        let mut joined = String::new();
        while let Some(p) = r.next_part().unwrap() {
            joined.push_str(&p.text);
        }
        assert_eq!(joined, String::from_utf8_lossy(&bytes[3..]));
    }

    /// Random text from pieces that matter to the cut (line ends, blank lines, white space,
    /// lower- and upper-case starts, stops, multibyte characters) at random part sizes:
    /// valid UTF-8 is never cut inside a character, the parts give back the text, and the
    /// sentence indices run on without a gap.
    #[test]
    fn random_text_at_random_part_sizes_comes_back_whole() {
        use rand::{Rng, SeedableRng};
        let pieces = [
            "\n", "\r\n", "\n\n", " ", "\t", "word", "Word", ". ", "! ", "Ж", "ж", "€", "🚀",
            "\u{2028}", "\u{a0}", "Mr. ", "U.S. ", "1.5", "“", "”", "• ", "1. ",
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        for _ in 0..300 {
            let len = rng.gen_range(0..400);
            let text: String = (0..len)
                .map(|_| pieces[rng.gen_range(0..pieces.len())])
                .collect();
            let part_bytes = rng.gen_range(1..200);
            let parts = parts_of(text.as_bytes(), part_bytes);
            let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(joined, text, "part size {part_bytes}");
            let rows = rows_by_parts(text.as_bytes(), part_bytes);
            assert!(rows.iter().enumerate().all(|(i, r)| r.0 == i), "{rows:?}");
            if part_bytes > text.len() {
                assert_eq!(parts.len(), 1);
            }
        }
    }

    #[test]
    fn the_counter_counts_the_bytes_read() {
        let count = Arc::new(AtomicU64::new(0));
        let bytes = NEWS.repeat(10);
        let mut r = TextParts::new(
            "t.txt".into(),
            Box::new(Counting {
                inner: std::io::Cursor::new(bytes.clone()),
                count: count.clone(),
            }),
            Encoding::Strict,
            SentenceLanguage::English,
        )
        .sizes(100, 1000);
        let mut n = 0;
        while r.next_part().unwrap().is_some() {
            n += 1;
            assert!(count.load(Ordering::Relaxed) <= (100 * n) as u64 + 100);
        }
        assert_eq!(count.load(Ordering::Relaxed), bytes.len() as u64);
    }
}
