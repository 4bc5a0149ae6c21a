//! Text: sentences, tokens and the terms (n-grams) that become features.
//!
//! The pipeline for one sentence is fixed and documented, as in scikit-learn's
//! `TfidfVectorizer`: lowercase (on by default) → strip accents (optional) → analyzer.
//! The `word` analyzer then tokenizes with a regex (scikit-learn's `(?u)\b\w\w+\b` by default),
//! removes stop words, stems (rust-stemmers), and joins word n-grams with a space.
//! The `char_wb` and `char` analyzers emit character n-grams exactly as scikit-learn does.

mod filters;
mod sentence;

pub use filters::{Language, StopWords, ENGLISH_STOP_WORDS};
pub use sentence::{
    for_each_sentence, for_each_sentence_in, split_sentences, split_sentences_in, Sentence,
    SentenceLanguage,
};

use crate::Error;
use regex::Regex;
use serde::{Deserialize, Serialize};
use unicode_normalization::{char::canonical_combining_class, UnicodeNormalization};

/// scikit-learn's default token pattern.
pub const DEFAULT_TOKEN_PATTERN: &str = r"(?u)\b\w\w+\b";

/// Which units n-grams are made of (scikit-learn's `analyzer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalyzerKind {
    /// Word n-grams of regex tokens.
    Word,
    /// Character n-grams inside word boundaries, words padded with a space.
    CharWb,
    /// Character n-grams over the whole text.
    Char,
}

impl AnalyzerKind {
    /// The name used on the command line and in model files.
    pub fn name(self) -> &'static str {
        match self {
            AnalyzerKind::Word => "word",
            AnalyzerKind::CharWb => "char_wb",
            AnalyzerKind::Char => "char",
        }
    }
}

/// Accent stripping (scikit-learn's `strip_accents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StripAccents {
    /// NFKD, then drop combining characters.
    Unicode,
    /// NFKD, then drop every non-ASCII character.
    Ascii,
}

/// Everything that decides which terms a text produces. Stored in model files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzerConfig {
    /// Word or character n-grams.
    pub analyzer: AnalyzerKind,
    /// Smallest and largest n. Default (1, 1).
    pub ngram_range: (usize, usize),
    /// Lowercase before anything else. Default true.
    pub lowercase: bool,
    /// Accent stripping. Default none.
    pub strip_accents: Option<StripAccents>,
    /// Token regex for the word analyzer. Default [`DEFAULT_TOKEN_PATTERN`].
    pub token_pattern: String,
    /// Stop words removed before stemming (word analyzer only). Default none.
    pub stop_words: StopWords,
    /// Snowball stemmer applied to each token (word analyzer only). Default English.
    pub stem: Option<Language>,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig {
            analyzer: AnalyzerKind::Word,
            ngram_range: (1, 1),
            lowercase: true,
            strip_accents: None,
            token_pattern: DEFAULT_TOKEN_PATTERN.to_string(),
            stop_words: StopWords::None,
            stem: Some(Language::English),
        }
    }
}

/// Stem cache bound: cleared when full, so memory stays flat on endless streams.
pub(crate) const STEM_CACHE_LIMIT: usize = 200_000;

/// The id [`Analyzer::word_token_ids`] memoises for a stop word (never passed on).
pub(crate) const STOP_ID: u32 = u32::MAX - 1;

/// A built analyzer: text → terms. Cheap to clone (one per thread): a clone shares the
/// compiled pattern, stemmer and stop words, and starts with empty buffers and stem cache.
pub struct Analyzer {
    config: AnalyzerConfig,
    token_re: Regex,
    /// The pattern is scikit-learn's default: tokens are maximal runs of 2+ word characters,
    /// found without the regex engine (Unicode word boundaries are slow in a regex).
    default_pattern: bool,
    stemmer: Option<std::sync::Arc<rust_stemmers::Stemmer>>,
    stop: std::sync::Arc<rustc_hash::FxHashSet<String>>,
    stem_cache: rustc_hash::FxHashMap<String, String>,
    tokens: Vec<(usize, usize)>,
    tokbuf: String,
    spans: Vec<(usize, usize)>,
    ngram: String,
    bounds: Vec<usize>,
}

impl Clone for Analyzer {
    fn clone(&self) -> Self {
        Analyzer {
            config: self.config.clone(),
            token_re: self.token_re.clone(),
            default_pattern: self.default_pattern,
            stemmer: self.stemmer.clone(),
            stop: self.stop.clone(),
            stem_cache: rustc_hash::FxHashMap::default(),
            tokens: Vec::new(),
            tokbuf: String::new(),
            spans: Vec::new(),
            ngram: String::new(),
            bounds: Vec::new(),
        }
    }
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("config", &self.config)
            .finish()
    }
}

impl Analyzer {
    /// Builds an analyzer, checking the configuration.
    pub fn new(config: &AnalyzerConfig) -> Result<Self, Error> {
        let (min, max) = config.ngram_range;
        if min == 0 || min > max {
            return Err(Error::setting(
                "ngram_range",
                format!("{min},{max}"),
                "MIN,MAX with 1 <= MIN <= MAX",
            ));
        }
        let token_re = Regex::new(&config.token_pattern).map_err(|e| Error::TokenPattern {
            pattern: config.token_pattern.clone(),
            source: Box::new(e),
        })?;
        let stemmer = match (config.analyzer, config.stem) {
            (AnalyzerKind::Word, Some(lang)) => Some(std::sync::Arc::new(
                rust_stemmers::Stemmer::create(lang.algorithm()),
            )),
            _ => None,
        };
        let stop = std::sync::Arc::new(config.stop_words.words().into_iter().collect());
        Ok(Analyzer {
            config: config.clone(),
            default_pattern: config.token_pattern == DEFAULT_TOKEN_PATTERN,
            token_re,
            stemmer,
            stop,
            stem_cache: rustc_hash::FxHashMap::default(),
            tokens: Vec::new(),
            tokbuf: String::new(),
            spans: Vec::new(),
            ngram: String::new(),
            bounds: Vec::new(),
        })
    }

    /// The configuration this analyzer was built from.
    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// True when no word token can contain a space (the default token pattern), so a word
    /// n-gram term splits back into its tokens at its spaces.
    pub(crate) fn tokens_have_no_spaces(&self) -> bool {
        self.default_pattern
    }

    /// Calls `emit` with every term of `text`, in order, with repetitions.
    pub fn for_each_term(&mut self, text: &str, mut emit: impl FnMut(&str)) {
        let pre = preprocess(text, self.config.lowercase, self.config.strip_accents);
        match self.config.analyzer {
            AnalyzerKind::Word => self.word_terms(&pre, &mut emit),
            AnalyzerKind::CharWb => self.char_wb_terms(&pre, &mut emit),
            AnalyzerKind::Char => self.char_terms(&pre, &mut emit),
        }
    }

    /// All terms of `text` as owned strings (convenient for tests and small inputs).
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, |t| out.push(t.to_string()));
        out
    }

    /// Calls `emit` with each token of `text` as the word analyzer keeps it (after stop
    /// words and stemming), with no n-grams. `resolve` maps a kept token to an id; the ids are
    /// appended to `out` and memoised per raw token in `cache` (cleared when it reaches
    /// [`STEM_CACHE_LIMIT`] entries), so a repeated word costs one hash lookup. Stop words get
    /// no id. Only meaningful for the word analyzer.
    pub(crate) fn word_token_ids(
        &mut self,
        text: &str,
        cache: &mut rustc_hash::FxHashMap<String, u32>,
        out: &mut Vec<u32>,
        mut resolve: impl FnMut(&str) -> u32,
    ) {
        let pre = preprocess(text, self.config.lowercase, self.config.strip_accents);
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        if self.default_pattern {
            word_runs(&pre, |a, b| spans.push((a, b)));
        } else {
            spans.extend(self.token_re.find_iter(&pre).map(|m| (m.start(), m.end())));
        }
        for &(a, b) in &spans {
            let tok = &pre[a..b];
            let id = match cache.get(tok) {
                Some(&id) => id,
                None => {
                    let id = if !self.stop.is_empty() && self.stop.contains(tok) {
                        STOP_ID
                    } else {
                        match &self.stemmer {
                            None => resolve(tok),
                            Some(st) => resolve(&st.stem(tok)),
                        }
                    };
                    if cache.len() >= STEM_CACHE_LIMIT {
                        cache.clear();
                    }
                    cache.insert(tok.to_string(), id);
                    id
                }
            };
            if id != STOP_ID {
                out.push(id);
            }
        }
        self.spans = spans;
    }

    /// Writes `text` into `buf` as the `char_wb` analyzer sees it (lowercased, accents
    /// stripped, white space collapsed as scikit-learn does) and the byte spans of its
    /// white-space separated words into `spans`: the units [`Analyzer::char_wb_word_terms`]
    /// pads and cuts into n-grams.
    pub(crate) fn char_wb_words(
        &self,
        text: &str,
        buf: &mut String,
        spans: &mut Vec<(usize, usize)>,
    ) {
        let pre = preprocess(text, self.config.lowercase, self.config.strip_accents);
        buf.clear();
        buf.push_str(&collapse_whitespace(&pre));
        spans.clear();
        let base = buf.as_ptr() as usize;
        spans.extend(buf.split_whitespace().map(|w| {
            let a = w.as_ptr() as usize - base;
            (a, a + w.len())
        }));
    }

    fn word_terms(&mut self, text: &str, emit: &mut impl FnMut(&str)) {
        // Tokens (after stop words and stemming) are stored back to back in one buffer, with
        // their ranges, so a sentence costs no allocation once the buffers have grown.
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        if self.default_pattern {
            word_runs(text, |a, b| spans.push((a, b)));
        } else {
            spans.extend(self.token_re.find_iter(text).map(|m| (m.start(), m.end())));
        }
        self.tokbuf.clear();
        self.tokens.clear();
        for &(a, b) in &spans {
            let tok = &text[a..b];
            if !self.stop.is_empty() && self.stop.contains(tok) {
                continue;
            }
            let start = self.tokbuf.len();
            match &self.stemmer {
                None => self.tokbuf.push_str(tok),
                Some(st) => {
                    if let Some(s) = self.stem_cache.get(tok) {
                        self.tokbuf.push_str(s);
                    } else {
                        let s = st.stem(tok).into_owned();
                        self.tokbuf.push_str(&s);
                        if self.stem_cache.len() >= STEM_CACHE_LIMIT {
                            self.stem_cache.clear();
                        }
                        self.stem_cache.insert(tok.to_string(), s);
                    }
                }
            }
            self.tokens.push((start, self.tokbuf.len()));
        }
        self.spans = spans;
        let (min, max) = self.config.ngram_range;
        let n_tok = self.tokens.len();
        if min == 1 {
            for &(a, b) in &self.tokens {
                emit(&self.tokbuf[a..b]);
            }
        }
        for n in min.max(2)..=max.min(n_tok) {
            for i in 0..=(n_tok - n) {
                self.ngram.clear();
                for (k, &(a, b)) in self.tokens[i..i + n].iter().enumerate() {
                    if k > 0 {
                        self.ngram.push(' ');
                    }
                    self.ngram.push_str(&self.tokbuf[a..b]);
                }
                emit(&self.ngram);
            }
        }
    }

    fn char_wb_terms(&mut self, text: &str, emit: &mut impl FnMut(&str)) {
        let text = collapse_whitespace(text);
        for word in text.split_whitespace() {
            self.char_wb_word_terms(word, emit);
        }
    }

    /// The `char_wb` n-grams of one word (no white space inside), in scikit-learn's order.
    pub(crate) fn char_wb_word_terms(&mut self, word: &str, emit: &mut impl FnMut(&str)) {
        let (min, max) = self.config.ngram_range;
        // The word is padded with a space; n-grams are emitted as slices of the padded word
        // between character boundaries (`bounds`), so nothing is copied per n-gram.
        let mut bounds = std::mem::take(&mut self.bounds);
        self.ngram.clear();
        self.ngram.push(' ');
        self.ngram.push_str(word);
        self.ngram.push(' ');
        bounds.clear();
        bounds.extend(self.ngram.char_indices().map(|(i, _)| i));
        bounds.push(self.ngram.len());
        let w_len = bounds.len() - 1;
        let padded = self.ngram.as_str();
        for n in min..=max {
            // scikit-learn: the first window is always emitted, even if shorter than n;
            // a word shorter than n ends the loop over n for that word.
            let mut offset = 0;
            emit(&padded[..bounds[n.min(w_len)]]);
            while offset + n < w_len {
                offset += 1;
                emit(&padded[bounds[offset]..bounds[offset + n]]);
            }
            if offset == 0 {
                break;
            }
        }
        self.bounds = bounds;
    }

    fn char_terms(&mut self, text: &str, emit: &mut impl FnMut(&str)) {
        let (min, max) = self.config.ngram_range;
        let text = collapse_whitespace(text);
        let mut bounds = std::mem::take(&mut self.bounds);
        bounds.clear();
        bounds.extend(text.char_indices().map(|(i, _)| i));
        bounds.push(text.len());
        let len = bounds.len() - 1;
        for n in min..=max.min(len) {
            for i in 0..=(len - n) {
                emit(&text[bounds[i]..bounds[i + n]]);
            }
        }
        self.bounds = bounds;
    }
}

/// Is `c` a word character in the sense of the regex crate's Unicode `\w`?
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::try_is_word_character(c).unwrap_or(false)
    }
}

/// Byte spans of the maximal runs of two or more word characters: exactly the matches of
/// `(?u)\b\w\w+\b`. ASCII bytes are classified without decoding a character.
fn word_runs(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut len = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (word, width) = if b.is_ascii() {
            (b.is_ascii_alphanumeric() || b == b'_', 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (is_word_char(c), c.len_utf8()),
                None => break,
            }
        };
        if word {
            if len == 0 {
                start = i;
            }
            len += 1;
        } else {
            if len >= 2 {
                f(start, i);
            }
            len = 0;
        }
        i += width;
    }
    if len >= 2 {
        f(start, text.len());
    }
}

/// The straightforward `word_runs`, character by character (the reference in tests).
#[cfg(test)]
fn word_runs_by_chars(text: &str, mut f: impl FnMut(usize, usize)) {
    let mut start = 0;
    let mut len = 0usize;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if len == 0 {
                start = i;
            }
            len += 1;
        } else {
            if len >= 2 {
                f(start, i);
            }
            len = 0;
        }
    }
    if len >= 2 {
        f(start, text.len());
    }
}

/// Lowercase and accent stripping, in scikit-learn's order.
fn preprocess(
    text: &str,
    lowercase: bool,
    strip: Option<StripAccents>,
) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let mut s: Cow<'_, str> = Cow::Borrowed(text);
    if lowercase {
        if s.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
            // nothing to do
        } else if s.is_ascii() {
            s = Cow::Owned(s.to_ascii_lowercase());
        } else {
            s = Cow::Owned(to_lowercase(&s));
        }
    }
    match strip {
        None => s,
        Some(_) if s.is_ascii() => s,
        Some(StripAccents::Unicode) => Cow::Owned(
            s.nfkd()
                .filter(|c| canonical_combining_class(*c) == 0)
                .collect(),
        ),
        Some(StripAccents::Ascii) => Cow::Owned(s.nfkd().filter(char::is_ascii).collect()),
    }
}

/// `str::to_lowercase`, with runs of ASCII lowercased byte-wise (news text is mostly ASCII
/// with a few curly quotes and dashes, which sent the whole text down the per-character path).
/// Other characters map through `char::to_lowercase`, as in the standard library; a text with
/// a capital sigma (whose lowercase depends on its neighbours) is left to the standard library.
fn to_lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let at = out.len();
        out.push_str(&rest[..ascii]);
        out[at..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            if c == 'Σ' {
                return s.to_lowercase();
            }
            out.extend(c.to_lowercase());
            rest = chars.as_str();
        }
    }
    out
}

/// scikit-learn's `re.sub(r"\s\s+", " ", text)`: runs of two or more white-space characters
/// become one space; a single tab or newline is kept.
fn collapse_whitespace(text: &str) -> std::borrow::Cow<'_, str> {
    let mut prev_ws = false;
    let mut needs = false;
    for c in text.chars() {
        let ws = c.is_whitespace();
        if ws && prev_ws {
            needs = true;
            break;
        }
        prev_ws = ws;
    }
    if !needs {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        if c.is_whitespace() {
            run.push(c);
        } else {
            flush_run(&mut out, &mut run);
            out.push(c);
        }
    }
    flush_run(&mut out, &mut run);
    std::borrow::Cow::Owned(out)
}

fn flush_run(out: &mut String, run: &mut Vec<char>) {
    match run.len() {
        0 => {}
        1 => out.push(run[0]),
        _ => out.push(' '),
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_runs_equal_char_by_char_and_the_regex() {
        use rand::{Rng, SeedableRng};
        let pieces = [
            "a",
            "Z",
            "9",
            "_",
            " ",
            "'",
            "-",
            ".",
            "\u{201c}",
            "é",
            "x\u{301}",
            "Москва",
            "日本",
            "\u{10400}",
            "\u{a0}",
            "\t",
            "ǅ",
            "٣",
            "\u{200d}",
        ];
        let re = Regex::new(DEFAULT_TOKEN_PATTERN).unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..5_000 {
            let n = rng.gen_range(0..25);
            let t: String = (0..n)
                .map(|_| pieces[rng.gen_range(0..pieces.len())])
                .collect();
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            word_runs(&t, |a, b| fast.push((a, b)));
            word_runs_by_chars(&t, |a, b| slow.push((a, b)));
            let regex: Vec<_> = re.find_iter(&t).map(|m| (m.start(), m.end())).collect();
            assert_eq!(fast, slow, "{t:?}");
            assert_eq!(fast, regex, "{t:?}");
        }
    }

    #[test]
    fn fast_lowercase_equals_std() {
        use rand::{Rng, SeedableRng};
        let pieces = [
            "A",
            "b",
            "Z",
            " ",
            "\u{201c}",
            "\u{2014}",
            "É",
            "ß",
            "İ",
            "Σ",
            "ΟΔΟΣ",
            "Ǆ",
            "Ⅻ",
            "ﬁ",
            "Москва",
            "\u{10400}",
            "x\u{301}",
            "9",
            "_",
            "ǅ",
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for _ in 0..5_000 {
            let n = rng.gen_range(0..30);
            let t: String = (0..n)
                .map(|_| pieces[rng.gen_range(0..pieces.len())])
                .collect();
            assert_eq!(to_lowercase(&t), t.to_lowercase(), "{t:?}");
        }
    }

    fn cfg(analyzer: AnalyzerKind, ngram: (usize, usize)) -> AnalyzerConfig {
        AnalyzerConfig {
            analyzer,
            ngram_range: ngram,
            stem: None,
            ..AnalyzerConfig::default()
        }
    }

    #[test]
    fn word_default_pattern_drops_one_letter_tokens() {
        let mut a = Analyzer::new(&cfg(AnalyzerKind::Word, (1, 2))).unwrap();
        assert_eq!(
            a.terms("A NATO drill, Russia's I"),
            ["nato", "drill", "russia", "nato drill", "drill russia"]
        );
    }

    #[test]
    fn stemming_and_stance_safe_stop_words() {
        let mut c = AnalyzerConfig {
            stop_words: StopWords::English,
            ..AnalyzerConfig::default()
        };
        c.ngram_range = (1, 1);
        let mut a = Analyzer::new(&c).unwrap();
        assert_eq!(
            a.terms("The troops are not moving against the borders"),
            ["troop", "not", "move", "against", "border"]
        );
    }

    #[test]
    fn char_wb_matches_sklearn_rules() {
        // sklearn: TfidfVectorizer(analyzer="char_wb", ngram_range=(2,3)).build_analyzer()("ab c")
        let mut a = Analyzer::new(&cfg(AnalyzerKind::CharWb, (2, 3))).unwrap();
        assert_eq!(
            a.terms("ab c"),
            [" a", "ab", "b ", " ab", "ab ", " c", "c ", " c "]
        );
        // A word shorter than n is emitted once, padded, and ends the loop over n.
        let mut a = Analyzer::new(&cfg(AnalyzerKind::CharWb, (4, 5))).unwrap();
        assert_eq!(a.terms("a"), [" a "]);
    }

    #[test]
    fn char_analyzer_and_whitespace() {
        let mut a = Analyzer::new(&cfg(AnalyzerKind::Char, (1, 2))).unwrap();
        assert_eq!(a.terms("a  b"), ["a", " ", "b", "a ", " b"]);
        assert_eq!(collapse_whitespace("a\tb"), "a\tb");
    }

    #[test]
    fn accents() {
        let mut c = cfg(AnalyzerKind::Word, (1, 1));
        c.strip_accents = Some(StripAccents::Unicode);
        assert_eq!(
            Analyzer::new(&c).unwrap().terms("Café Zelenskyy"),
            ["cafe", "zelenskyy"]
        );
    }

    #[test]
    fn fast_tokenizer_equals_the_default_regex() {
        let re = Regex::new(DEFAULT_TOKEN_PATTERN).unwrap();
        let samples = [
            "Russia’s troops, NATO's build-up: 1.5% of 70 (2014) — a b cd_e",
            "Zelenskyy's café naïve Ωmega Москва-Киев 東京 x\u{301}y éé",
            "  \t\nword\u{200d}joiner ٣٤ arabic-٣ _x_ a_ _",
            "",
            "ab",
            "a",
        ];
        for s in samples {
            let mut fast = Vec::new();
            word_runs(s, |a, b| fast.push(&s[a..b]));
            let slow: Vec<&str> = re.find_iter(s).map(|m| m.as_str()).collect();
            assert_eq!(fast, slow, "{s:?}");
        }
    }

    #[test]
    fn bad_config() {
        let mut c = cfg(AnalyzerKind::Word, (2, 1));
        assert!(matches!(
            Analyzer::new(&c),
            Err(Error::InvalidSetting {
                name: "ngram_range",
                ..
            })
        ));
        c.ngram_range = (1, 1);
        c.token_pattern = "(".into();
        assert!(matches!(Analyzer::new(&c), Err(Error::TokenPattern { .. })));
    }
}

/// Random inputs: nothing panics, sentences are exact slices, analyzers accept anything.
#[cfg(test)]
mod robustness {
    use super::*;
    use rand::{Rng, SeedableRng};

    const PIECES: &[&str] = &[
        "a",
        "Z",
        "é",
        "Ж",
        "東",
        "1",
        "9",
        ".",
        "!",
        "?",
        "…",
        "\"",
        "“",
        "”",
        "‘",
        "’",
        "(",
        ")",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "•",
        "-",
        "–",
        "Mr.",
        "U.S.",
        "No.",
        "1.5",
        "war.Russia",
        "1. ",
        "\u{200d}",
        "\u{301}",
        "_",
    ];

    #[test]
    fn random_text_never_panics() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
        let mut analyzers: Vec<Analyzer> =
            [AnalyzerKind::Word, AnalyzerKind::CharWb, AnalyzerKind::Char]
                .into_iter()
                .map(|kind| {
                    Analyzer::new(&AnalyzerConfig {
                        analyzer: kind,
                        ngram_range: (1, 4),
                        strip_accents: Some(StripAccents::Unicode),
                        stop_words: StopWords::English,
                        ..AnalyzerConfig::default()
                    })
                    .unwrap()
                })
                .collect();
        for _ in 0..2000 {
            let len = rng.gen_range(0..40);
            let text: String = (0..len)
                .map(|_| PIECES[rng.gen_range(0..PIECES.len())])
                .collect();
            for s in split_sentences(&text) {
                assert_eq!(&text[s.span.clone()], s.text);
                assert!(
                    !s.text.is_empty() && s.text.trim() == s.text,
                    "{text:?} -> {:?}",
                    s.text
                );
            }
            for a in analyzers.iter_mut() {
                a.for_each_term(&text, |t| assert!(!t.is_empty()));
            }
        }
    }
}
