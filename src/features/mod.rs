//! Features: sentences → sparse TF-IDF vectors, with scikit-learn's `TfidfVectorizer` formula.
//!
//! - term frequency: raw count, or `1 + ln(count)` with `sublinear_tf`;
//! - inverse document frequency, learnt at fit time and stored: `ln((1 + n) / (1 + df)) + 1`
//!   (`smooth_idf`, the default) or `ln(n / df) + 1`;
//! - each row scaled to unit L2 norm (`norm = l2`, the default) or left as is;
//! - vocabulary: terms with `min_df <= df <= max_df` (a count, or a fraction of the documents),
//!   then the `max_features` most frequent (total count; ties by term order), sorted, so
//!   columns are deterministic.
//!
//! A [`FeatureExtractor`] may hold several parts (for example word and char_wb n-grams), each
//! with its own vocabulary, normalised separately and laid side by side, as scikit-learn's
//! `FeatureUnion` of two vectorizers.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use crate::text::{Analyzer, AnalyzerConfig, AnalyzerKind};
use crate::Error;

/// A document-frequency bound: a count of documents, or a fraction of them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocFreq {
    /// At least / at most this many documents.
    Count(usize),
    /// At least / at most this fraction of the documents.
    Fraction(f64),
}

impl DocFreq {
    /// Parses as scikit-learn does: an integer is a count, a number with a point a fraction.
    pub fn parse(name: &'static str, s: &str) -> Result<DocFreq, Error> {
        let bad = || {
            Error::setting(
                name,
                s,
                "a whole number of documents (>= 0) or a fraction in [0, 1] such as 0.5",
            )
        };
        if let Ok(n) = s.parse::<usize>() {
            return Ok(DocFreq::Count(n));
        }
        match s.parse::<f64>() {
            Ok(f) if (0.0..=1.0).contains(&f) => Ok(DocFreq::Fraction(f)),
            _ => Err(bad()),
        }
    }

    /// The bound in documents; scikit-learn compares a fraction times n without rounding.
    fn documents(self, n_docs: usize) -> f64 {
        match self {
            DocFreq::Count(c) => c as f64,
            DocFreq::Fraction(f) => f * n_docs as f64,
        }
    }

    fn check(self, name: &'static str) -> Result<(), Error> {
        match self {
            DocFreq::Fraction(f) if !(0.0..=1.0).contains(&f) || f.is_nan() => Err(Error::setting(
                name,
                f.to_string(),
                "a whole number of documents (>= 0) or a fraction in [0, 1] such as 0.5",
            )),
            _ => Ok(()),
        }
    }
}

impl std::fmt::Display for DocFreq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocFreq::Count(c) => write!(f, "{c}"),
            DocFreq::Fraction(x) => write!(f, "{x:?}"),
        }
    }
}

/// Row normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Norm {
    /// Unit Euclidean length.
    L2,
    /// No normalisation.
    None,
}

/// Settings of one TF-IDF part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfConfig {
    /// Which terms a text produces.
    pub analyzer: AnalyzerConfig,
    /// Keep terms in at least this many documents. Default 1.
    pub min_df: DocFreq,
    /// Keep terms in at most this many documents. Default 1.0 (all).
    pub max_df: DocFreq,
    /// Keep only the most frequent terms. Default all.
    pub max_features: Option<usize>,
    /// Use `1 + ln(tf)`. Default false.
    pub sublinear_tf: bool,
    /// Smooth idf. Default true.
    pub smooth_idf: bool,
    /// Row normalisation. Default l2.
    pub norm: Norm,
    /// Scale each term by its naive-Bayes log-count ratio (Wang & Manning 2012), learnt from
    /// the training labels, before normalisation. Default false.
    #[serde(default)]
    pub nb: bool,
}

impl Default for TfidfConfig {
    fn default() -> Self {
        TfidfConfig {
            analyzer: AnalyzerConfig::default(),
            min_df: DocFreq::Count(1),
            max_df: DocFreq::Fraction(1.0),
            max_features: None,
            sublinear_tf: false,
            smooth_idf: true,
            norm: Norm::L2,
            nb: false,
        }
    }
}

/// One fitted TF-IDF part: its settings, sorted vocabulary and idf.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FittedTfidf {
    /// Settings it was fitted with.
    pub config: TfidfConfig,
    /// Sorted terms; a term's position is its column (plus the part's offset).
    pub vocabulary: Vec<String>,
    /// Document frequency of each term in the training documents.
    pub df: Vec<u32>,
    /// Inverse document frequency of each term.
    pub idf: Vec<f64>,
    /// Naive-Bayes scale of each term (with `nb`): the largest |log-count ratio| of the term
    /// over the classes, one class against the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nb_scale: Option<Vec<f64>>,
}

impl FittedTfidf {
    /// Checks the part fits together: as many idf (and nb) values as terms, a sorted unique
    /// vocabulary, finite idf, a valid n-gram range.
    fn check(&self) -> Result<(), Error> {
        let p = self;
        if p.idf.len() != p.vocabulary.len() {
            return Err(Error::inconsistent(
                "features",
                format!(
                    "{} terms but {} idf values",
                    p.vocabulary.len(),
                    p.idf.len()
                ),
            ));
        }
        if !p.vocabulary.windows(2).all(|w| w[0] < w[1]) {
            return Err(Error::inconsistent(
                "features",
                "vocabulary is not sorted and unique",
            ));
        }
        if p.nb_scale
            .as_ref()
            .is_some_and(|s| s.len() != p.vocabulary.len())
        {
            return Err(Error::inconsistent(
                "features",
                "nb_scale and vocabulary differ in length",
            ));
        }
        if p.idf.iter().any(|x| !x.is_finite()) {
            return Err(Error::inconsistent(
                "features",
                "idf has a non-finite value",
            ));
        }
        check_ngram_range(&p.config.analyzer)?;
        Ok(())
    }
}

/// A fitted feature extractor: one or more TF-IDF parts laid side by side.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeatureExtractor {
    /// Number of training documents.
    pub n_documents: usize,
    /// The parts, in column order.
    pub parts: Vec<FittedTfidf>,
}

/// A term → column index, rebuilt from a fitted extractor.
type Index = FxHashMap<String, u32>;

/// Transforms text with a fitted extractor. Holds per-thread buffers; clone one per thread.
#[derive(Debug, Clone)]
pub struct Vectorizer {
    parts: Vec<(Analyzer, Lookup, u32)>,
    extractor: std::sync::Arc<FeatureExtractor>,
    /// Term frequency per column (all zero between texts) and the columns seen.
    tf: Vec<u32>,
    touched: Vec<u32>,
    /// A bit per column and a bit per word of those (all zero between texts), for
    /// [`sort_distinct`].
    marks: Vec<u64>,
    summary: Vec<u64>,
    /// A text as the char_wb analyzer sees it, and its words' spans.
    text: String,
    spans: Vec<(usize, usize)>,
}

/// How a part finds the columns of a text's terms. All three find the same columns with the
/// same multiplicities; the last two avoid hashing and comparing a string per term.
#[derive(Debug, Clone)]
enum Lookup {
    /// Every term looked up as a string.
    Terms(std::sync::Arc<Index>),
    /// Word n-grams (n <= 3, default token pattern): each distinct raw token is mapped once to
    /// a token id (memoised in `cache`), n-grams are looked up by packed ids.
    Words {
        index: std::sync::Arc<WordIndex>,
        cache: FxHashMap<String, u32>,
        ids: Vec<u32>,
    },
    /// char_wb n-grams: the columns of each distinct word are computed once and memoised.
    CharWb {
        index: std::sync::Arc<Index>,
        cache: FxHashMap<String, (u32, u32)>,
        columns: Vec<u32>,
    },
}

/// Bound on the columns memoised for char_wb words (about 16 MB), cleared when reached.
const CHAR_WB_CACHE_COLUMNS: usize = 4_000_000;

/// A token that is in no vocabulary term.
const UNKNOWN_TOKEN: u32 = u32::MAX;
/// No column.
const NO_COLUMN: u32 = u32::MAX;
/// Bits per token id in a packed n-gram key (three ids + 1 fit in 63 bits).
const ID_BITS: u32 = 21;

/// A word part's vocabulary by token ids.
#[derive(Debug)]
struct WordIndex {
    /// Every token of every term → its id.
    tokens: FxHashMap<String, u32>,
    /// Token id → the column of that unigram, or [`NO_COLUMN`].
    unigram: Vec<u32>,
    /// Packed ids of a 2- or 3-gram → column.
    ngrams: FxHashMap<u64, u32>,
}

impl WordIndex {
    /// `None` when the vocabulary has n-grams longer than 3 or too many distinct tokens.
    fn build(vocabulary: &[String]) -> Option<WordIndex> {
        // Most terms are n-grams of tokens seen before: a token is allocated only once, and
        // the maps are sized up front (the vocabulary's size bounds both).
        let mut tokens: FxHashMap<String, u32> =
            FxHashMap::with_capacity_and_hasher(vocabulary.len(), Default::default());
        let mut unigram = Vec::new();
        let mut ngrams = FxHashMap::with_capacity_and_hasher(vocabulary.len(), Default::default());
        let mut ids = [0u32; 3];
        for (col, term) in vocabulary.iter().enumerate() {
            let mut n = 0;
            for piece in term.split(' ') {
                if n == 3 {
                    return None;
                }
                let id = match tokens.get(piece) {
                    Some(&id) => id,
                    None => {
                        let id = tokens.len() as u32;
                        tokens.insert(piece.to_string(), id);
                        unigram.push(NO_COLUMN);
                        id
                    }
                };
                ids[n] = id;
                n += 1;
            }
            if tokens.len() >= (1 << ID_BITS) - 1 {
                return None;
            }
            if n == 1 {
                unigram[ids[0] as usize] = col as u32;
            } else {
                ngrams.insert(pack(&ids[..n]), col as u32);
            }
        }
        Some(WordIndex {
            tokens,
            unigram,
            ngrams,
        })
    }
}

/// The key of a 2- or 3-gram: ids + 1 in 21-bit fields, so a bigram's key never equals a
/// trigram's.
fn pack(ids: &[u32]) -> u64 {
    ids.iter()
        .fold(0u64, |k, &id| (k << ID_BITS) | (u64::from(id) + 1))
}

/// A sparse row: sorted column indices and values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseRow {
    /// Column indices, strictly increasing.
    pub indices: Vec<u32>,
    /// Values, one per index.
    pub values: Vec<f64>,
}

impl FeatureExtractor {
    /// Fits the vocabulary and idf of every part on `docs`.
    pub fn fit<S: AsRef<str>>(
        configs: &[TfidfConfig],
        docs: &[S],
    ) -> Result<FeatureExtractor, Error> {
        Self::fit_parts(configs, docs, None)
    }

    /// Fits as [`FeatureExtractor::fit`], and learns the naive-Bayes scale of the parts that
    /// ask for it (`nb`) from the labels `y` (class indices, `n_classes` classes):
    /// with `p` = 1 + the number of documents of class k containing the term, `q` the same for
    /// the other classes, `r = ln((p/Σp) / (q/Σq))`, and the scale is `max_k |r_k|`.
    pub fn fit_supervised<S: AsRef<str>>(
        configs: &[TfidfConfig],
        docs: &[S],
        y: &[usize],
        n_classes: usize,
    ) -> Result<FeatureExtractor, Error> {
        Self::fit_parts(configs, docs, Some((y, n_classes)))
    }

    fn fit_parts<S: AsRef<str>>(
        configs: &[TfidfConfig],
        docs: &[S],
        labels: Option<(&[usize], usize)>,
    ) -> Result<FeatureExtractor, Error> {
        if docs.is_empty() {
            return Err(Error::NoDocuments);
        }
        let mut parts = Vec::with_capacity(configs.len());
        for c in configs {
            parts.push(fit_part(c, docs, labels.filter(|_| c.nb))?);
        }
        Ok(FeatureExtractor {
            n_documents: docs.len(),
            parts,
        })
    }

    /// Total number of columns.
    pub fn n_features(&self) -> usize {
        self.parts.iter().map(|p| p.vocabulary.len()).sum()
    }

    /// The name of every column, in order (a term, prefixed by its analyzer when there are
    /// several parts, e.g. `char_wb: nat`).
    pub fn feature_names(&self) -> Vec<String> {
        let multi = self.parts.len() > 1;
        self.parts
            .iter()
            .flat_map(|p| {
                p.vocabulary.iter().map(move |t| {
                    if multi {
                        format!("{}: {t}", p.config.analyzer.analyzer.name())
                    } else {
                        t.clone()
                    }
                })
            })
            .collect()
    }

    /// Checks the stored extractor is consistent: what [`FeatureExtractor::vectorizer`]
    /// checks, without building the lookup tables (a model's load check calls this; the
    /// tables are built once, by the scorer).
    pub fn check(&self) -> Result<(), Error> {
        for p in &self.parts {
            p.check()?;
            Analyzer::new(&p.config.analyzer)?;
        }
        Ok(())
    }

    /// Checks the stored extractor is consistent and builds a vectorizer for it.
    pub fn vectorizer(self: &std::sync::Arc<Self>) -> Result<Vectorizer, Error> {
        let mut parts = Vec::with_capacity(self.parts.len());
        let mut offset = 0u32;
        for p in &self.parts {
            p.check()?;
            let analyzer = Analyzer::new(&p.config.analyzer)?;
            let string_index = || -> Index {
                p.vocabulary
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.clone(), i as u32))
                    .collect()
            };
            let lookup = match p.config.analyzer.analyzer {
                AnalyzerKind::Word if analyzer.tokens_have_no_spaces() => {
                    match WordIndex::build(&p.vocabulary) {
                        Some(index) => Lookup::Words {
                            index: std::sync::Arc::new(index),
                            cache: FxHashMap::default(),
                            ids: Vec::new(),
                        },
                        None => Lookup::Terms(std::sync::Arc::new(string_index())),
                    }
                }
                AnalyzerKind::CharWb => Lookup::CharWb {
                    index: std::sync::Arc::new(string_index()),
                    cache: FxHashMap::default(),
                    columns: Vec::new(),
                },
                _ => Lookup::Terms(std::sync::Arc::new(string_index())),
            };
            parts.push((analyzer, lookup, offset));
            offset += p.vocabulary.len() as u32;
        }
        Ok(Vectorizer {
            parts,
            extractor: self.clone(),
            tf: Vec::new(),
            touched: Vec::new(),
            marks: Vec::new(),
            summary: Vec::new(),
            text: String::new(),
            spans: Vec::new(),
        })
    }
}

impl Vectorizer {
    /// The TF-IDF row of one text.
    pub fn transform(&mut self, text: &str) -> SparseRow {
        let mut row = SparseRow::default();
        self.transform_into(text, &mut row);
        row
    }

    /// The TF-IDF row of one text, written into `row` (cleared first).
    pub fn transform_into(&mut self, text: &str, row: &mut SparseRow) {
        row.indices.clear();
        row.values.clear();
        for (k, (analyzer, lookup, offset)) in self.parts.iter_mut().enumerate() {
            let part = &self.extractor.parts[k];
            // Term frequencies are counted into a dense array as the terms are found; only the
            // distinct columns are then sorted (the row must be in column order, which is also
            // the order the norm is summed in).
            let n_terms = part.vocabulary.len();
            if self.tf.len() < n_terms {
                self.tf.resize(n_terms, 0);
            }
            self.touched.clear();
            let mut counts = Counter {
                tf: &mut self.tf,
                touched: &mut self.touched,
            };
            match lookup {
                Lookup::Terms(index) => analyzer.for_each_term(text, |t| {
                    if let Some(&c) = index.get(t) {
                        counts.add(c);
                    }
                }),
                Lookup::Words { index, cache, ids } => {
                    ids.clear();
                    analyzer.word_token_ids(text, cache, ids, |t| {
                        index.tokens.get(t).copied().unwrap_or(UNKNOWN_TOKEN)
                    });
                    let (min, max) = part.config.analyzer.ngram_range;
                    if min == 1 {
                        for &id in ids.iter() {
                            if let Some(&c) = index.unigram.get(id as usize) {
                                if c != NO_COLUMN {
                                    counts.add(c);
                                }
                            }
                        }
                    }
                    for n in min.max(2)..=max.min(3).min(ids.len()) {
                        for w in ids.windows(n) {
                            if w.contains(&UNKNOWN_TOKEN) {
                                continue;
                            }
                            if let Some(&c) = index.ngrams.get(&pack(w)) {
                                counts.add(c);
                            }
                        }
                    }
                }
                Lookup::CharWb {
                    index,
                    cache,
                    columns,
                } => {
                    analyzer.char_wb_words(text, &mut self.text, &mut self.spans);
                    for &(a, b) in &self.spans {
                        let word = &self.text[a..b];
                        let (start, len) = match cache.get(word) {
                            Some(&range) => range,
                            None => {
                                if columns.len() >= CHAR_WB_CACHE_COLUMNS {
                                    columns.clear();
                                    cache.clear();
                                }
                                let start = columns.len();
                                analyzer.char_wb_word_terms(word, &mut |t: &str| {
                                    if let Some(&c) = index.get(t) {
                                        columns.push(c);
                                    }
                                });
                                let range = (start as u32, (columns.len() - start) as u32);
                                cache.insert(word.to_string(), range);
                                range
                            }
                        };
                        let (start, len) = (start as usize, len as usize);
                        for &c in &columns[start..start + len] {
                            counts.add(c);
                        }
                    }
                }
            }
            sort_distinct(&mut self.touched, &mut self.marks, &mut self.summary);
            let start = row.indices.len();
            for &col in &self.touched {
                let slot = &mut self.tf[col as usize];
                let tf = *slot;
                *slot = 0;
                let mut v = tf_weight(tf, part.config.sublinear_tf) * part.idf[col as usize];
                if let Some(scale) = &part.nb_scale {
                    v *= scale[col as usize];
                }
                row.indices.push(col + *offset);
                row.values.push(v);
            }
            normalise(&mut row.values[start..], part.config.norm);
        }
    }

    /// The TF-IDF matrix of many texts (CSR, one row per text).
    pub fn transform_batch<S: AsRef<str>>(&mut self, docs: &[S]) -> CsMat<f64> {
        let mut indptr = Vec::with_capacity(docs.len() + 1);
        let mut indices = Vec::new();
        let mut data = Vec::new();
        indptr.push(0usize);
        let mut row = SparseRow::default();
        for d in docs {
            self.transform_into(d.as_ref(), &mut row);
            indices.extend(row.indices.iter().map(|&i| i as usize));
            data.extend_from_slice(&row.values);
            indptr.push(indices.len());
        }
        CsMat::new(
            (docs.len(), self.extractor.n_features()),
            indptr,
            indices,
            data,
        )
    }

    /// The extractor this vectorizer applies.
    pub fn extractor(&self) -> &FeatureExtractor {
        &self.extractor
    }
}

/// Counts a text's terms by column: a dense count per column (zero between texts) and the
/// columns seen, in order of first sight.
struct Counter<'a> {
    tf: &'a mut [u32],
    touched: &'a mut Vec<u32>,
}

impl Counter<'_> {
    #[inline]
    fn add(&mut self, c: u32) {
        let slot = &mut self.tf[c as usize];
        if *slot == 0 {
            self.touched.push(c);
        }
        *slot += 1;
    }
}

/// Sorts distinct column indices. Many columns (char n-grams: hundreds per text; word
/// n-grams: dozens) are sorted by setting one bit per column in `marks`, and one bit per
/// non-zero word of `marks` in `summary`, then reading the bits back in order: a pass over the
/// summary words of the columns' range and over the marked words only, instead of a comparison
/// sort. Few columns, or columns spread thinly over a very large vocabulary, are sorted by
/// comparison. `marks` and `summary` are all zero before and after.
fn sort_distinct(cols: &mut [u32], marks: &mut Vec<u64>, summary: &mut Vec<u64>) {
    if cols.len() < 16 {
        cols.sort_unstable();
        return;
    }
    let (mut lo, mut hi) = (u32::MAX, 0u32);
    for &c in cols.iter() {
        lo = lo.min(c);
        hi = hi.max(c);
    }
    let (first, last) = ((lo / 4096) as usize, (hi / 4096) as usize);
    if last - first + 1 > cols.len() * 4 {
        cols.sort_unstable();
        return;
    }
    let words = hi as usize / 64 + 1;
    if marks.len() < words {
        marks.resize(words, 0);
    }
    if summary.len() <= last {
        summary.resize(last + 1, 0);
    }
    for &c in cols.iter() {
        let w = (c / 64) as usize;
        marks[w] |= 1u64 << (c % 64);
        summary[w / 64] |= 1u64 << (w % 64);
    }
    let mut out = 0;
    for (s, sword) in summary[first..=last].iter_mut().enumerate() {
        let mut sbits = std::mem::take(sword);
        while sbits != 0 {
            let w = (first + s) * 64 + sbits.trailing_zeros() as usize;
            sbits &= sbits - 1;
            let mut bits = std::mem::take(&mut marks[w]);
            while bits != 0 {
                cols[out] = w as u32 * 64 + bits.trailing_zeros();
                bits &= bits - 1;
                out += 1;
            }
        }
    }
    debug_assert_eq!(out, cols.len(), "columns must be distinct");
}

/// `1 + ln(tf)` of the small counts almost every term has, computed once (with the same
/// `f64::ln`, so the values are those computed per term before).
static SUBLINEAR_TF: std::sync::LazyLock<[f64; 64]> =
    std::sync::LazyLock::new(|| std::array::from_fn(|k| 1.0 + (k as f64).ln()));

fn tf_weight(tf: u32, sublinear: bool) -> f64 {
    if sublinear {
        match SUBLINEAR_TF.get(tf as usize) {
            Some(&w) => w,
            None => 1.0 + f64::from(tf).ln(),
        }
    } else {
        f64::from(tf)
    }
}

fn normalise(values: &mut [f64], norm: Norm) {
    if norm == Norm::L2 {
        let n = values.iter().map(|v| v * v).sum::<f64>().sqrt();
        if n > 0.0 {
            values.iter_mut().for_each(|v| *v /= n);
        }
    }
}

/// Largest n of an n-gram. Longer n-grams make time and memory grow with n for every text
/// (a range of 1 to 100,000 characters took 15 s and 2 GB for two rows).
pub const MAX_NGRAM: usize = 32;

/// Checks an analyzer's n-gram range: 1 <= MIN <= MAX <= [`MAX_NGRAM`].
pub fn check_ngram_range(config: &AnalyzerConfig) -> Result<(), Error> {
    let (min, max) = config.ngram_range;
    if min == 0 || min > max || max > MAX_NGRAM {
        return Err(Error::setting(
            "ngram_range",
            format!("{min},{max}"),
            format!("MIN,MAX with 1 <= MIN <= MAX <= {MAX_NGRAM}"),
        ));
    }
    Ok(())
}

/// Fits one part in one pass over `docs`; with `labels` (class of each document, number of
/// classes) it also counts, per class, the documents containing each term and learns the
/// naive-Bayes scale from them.
fn fit_part<S: AsRef<str>>(
    config: &TfidfConfig,
    docs: &[S],
    labels: Option<(&[usize], usize)>,
) -> Result<FittedTfidf, Error> {
    config.min_df.check("min-df")?;
    config.max_df.check("max-df")?;
    check_ngram_range(&config.analyzer)?;
    if config.max_features == Some(0) {
        return Err(Error::setting(
            "max_features",
            "0",
            "a number of terms >= 1, or none for all",
        ));
    }
    let mut analyzer = Analyzer::new(&config.analyzer)?;
    let n_docs = docs.len();
    // Provisional ids in order of first sight; per-term document and total counts.
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut df: Vec<u32> = Vec::new();
    let mut tf_total: Vec<u64> = Vec::new();
    let mut last_doc: Vec<u32> = Vec::new();
    // With labels: class_df[id * n_classes + class].
    let n_classes = labels.map_or(0, |(_, k)| k);
    let mut class_df: Vec<u32> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let class = labels.map_or(0, |(y, _)| y[d]);
        let d = d as u32 + 1;
        analyzer.for_each_term(doc.as_ref(), |t| {
            let id = match ids.get(t) {
                Some(&id) => id as usize,
                None => {
                    let id = df.len();
                    ids.insert(t.to_string(), id as u32);
                    df.push(0);
                    tf_total.push(0);
                    last_doc.push(0);
                    class_df.resize(class_df.len() + n_classes, 0);
                    id
                }
            };
            tf_total[id] += 1;
            if last_doc[id] != d {
                last_doc[id] = d;
                df[id] += 1;
                if n_classes > 0 {
                    class_df[id * n_classes + class] += 1;
                }
            }
        });
    }
    if ids.is_empty() {
        return Err(Error::EmptyVocabulary {
            hint: "; the texts may be empty or the token pattern matches nothing".into(),
        });
    }
    let max_docs = config.max_df.documents(n_docs);
    let min_docs = config.min_df.documents(n_docs);
    if max_docs < min_docs {
        return Err(Error::DfBounds {
            min_df: min_docs,
            max_df: max_docs,
            n_docs,
        });
    }
    // (term, df, total count, provisional id)
    let mut kept: Vec<(String, u32, u64, usize)> = ids
        .into_iter()
        .filter(|(_, id)| {
            let f = df[*id as usize] as f64;
            f >= min_docs && f <= max_docs
        })
        .map(|(t, id)| (t, df[id as usize], tf_total[id as usize], id as usize))
        .collect();
    kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if let Some(limit) = config.max_features {
        if kept.len() > limit {
            // Most frequent first; a stable sort keeps term order among ties.
            let mut order: Vec<usize> = (0..kept.len()).collect();
            order.sort_by(|&a, &b| kept[b].2.cmp(&kept[a].2));
            let mut keep = vec![false; kept.len()];
            order.into_iter().take(limit).for_each(|i| keep[i] = true);
            let mut i = 0;
            kept.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
    }
    if kept.is_empty() {
        return Err(Error::EmptyVocabulary {
            hint: format!(
                " after pruning (df between {min_docs} and {max_docs} of {n_docs} documents); lower min_df or raise max_df"
            ),
        });
    }
    let n = n_docs as f64;
    let idf = kept
        .iter()
        .map(|(_, d, _, _)| {
            let d = *d as f64;
            if config.smooth_idf {
                ((1.0 + n) / (1.0 + d)).ln() + 1.0
            } else {
                (n / d).ln() + 1.0
            }
        })
        .collect();
    let nb_scale = (n_classes > 0).then(|| {
        let m = kept.len();
        let present = |j: usize, c: usize| class_df[kept[j].3 * n_classes + c];
        let mut scale = vec![0.0f64; m];
        // Two classes: class 0 against class 1 is enough (class 1 gives the same |r|).
        for c in 0..(if n_classes == 2 { 1 } else { n_classes }) {
            let p: Vec<f64> = (0..m).map(|j| 1.0 + present(j, c) as f64).collect();
            let q: Vec<f64> = (0..m)
                .map(|j| 1.0 + (kept[j].1 - present(j, c)) as f64)
                .collect();
            let (sp, sq) = (p.iter().sum::<f64>(), q.iter().sum::<f64>());
            for j in 0..m {
                let r = ((p[j] / sp) / (q[j] / sq)).ln().abs();
                scale[j] = scale[j].max(r);
            }
        }
        scale
    });
    Ok(FittedTfidf {
        config: config.clone(),
        df: kept.iter().map(|k| k.1).collect(),
        vocabulary: kept.into_iter().map(|k| k.0).collect(),
        idf,
        nb_scale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{AnalyzerKind, StopWords};
    use std::sync::Arc;

    fn word(ngram: (usize, usize)) -> TfidfConfig {
        let mut c = TfidfConfig::default();
        c.analyzer.stem = None;
        c.analyzer.ngram_range = ngram;
        c
    }

    /// The same vectorizer with every part looking terms up as strings (the reference path).
    fn by_strings(v: &Vectorizer) -> Vectorizer {
        let mut r = v.clone();
        for (k, (_, lookup, _)) in r.parts.iter_mut().enumerate() {
            let index: Index = v.extractor.parts[k]
                .vocabulary
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), i as u32))
                .collect();
            *lookup = Lookup::Terms(Arc::new(index));
        }
        r
    }

    #[test]
    fn id_and_word_cache_lookups_equal_string_lookups() {
        use rand::{Rng, SeedableRng};
        let words = [
            "NATO",
            "nato",
            "troops",
            "troop",
            "Russia's",
            "the",
            "not",
            "moving",
            "Kyiv",
            "Москва",
            "ΣΟΦΟΣ",
            "café",
            "a",
            "1.5",
            "war",
            "war.",
            "build-up",
            "x\u{301}y",
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut text = |n: usize| -> String {
            (0..n)
                .map(|_| words[rng.gen_range(0..words.len())])
                .collect::<Vec<_>>()
                .join(if rng.gen_bool(0.2) { "  " } else { " " })
        };
        let train: Vec<String> = (0..60).map(|_| text(12)).collect();
        let probe: Vec<String> = (0..200).map(|_| text(20)).collect();
        let mut stemmed = TfidfConfig::default();
        stemmed.analyzer.ngram_range = (1, 3);
        stemmed.analyzer.stop_words = StopWords::English;
        let mut char_wb = word((1, 5));
        char_wb.analyzer.analyzer = AnalyzerKind::CharWb;
        let mut four = word((2, 4));
        four.analyzer.strip_accents = Some(crate::text::StripAccents::Unicode);
        for configs in [vec![stemmed], vec![word((1, 2)), char_wb], vec![four]] {
            let fx = Arc::new(FeatureExtractor::fit(&configs, &train).unwrap());
            let mut fast = fx.vectorizer().unwrap();
            let kinds: Vec<&str> = fast
                .parts
                .iter()
                .map(|(_, l, _)| match l {
                    Lookup::Terms(_) => "terms",
                    Lookup::Words { .. } => "words",
                    Lookup::CharWb { .. } => "char_wb",
                })
                .collect();
            assert!(
                [&["words"][..], &["words", "char_wb"], &["terms"]].contains(&&kinds[..]),
                "{kinds:?}"
            );
            let mut slow = by_strings(&fast);
            // Twice, so the second pass runs on warm caches.
            for t in probe.iter().chain(&probe) {
                assert_eq!(fast.transform(t), slow.transform(t), "{t:?}");
            }
        }
    }

    #[test]
    fn sublinear_tf_table_equals_ln() {
        for tf in 1..200u32 {
            let x = std::hint::black_box(f64::from(tf));
            assert_eq!(
                tf_weight(tf, true).to_bits(),
                (1.0 + x.ln()).to_bits(),
                "{tf}"
            );
            assert_eq!(tf_weight(tf, false), x);
        }
    }

    #[test]
    fn sort_distinct_equals_a_comparison_sort() {
        use rand::{seq::SliceRandom, Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        let (mut marks, mut summary) = (Vec::new(), Vec::new());
        for _ in 0..3_000 {
            // Dense and sparse sets, small and large, near 0 and far from it.
            let n = rng.gen_range(0..600);
            let base = rng.gen_range(0..3u32) * rng.gen_range(0..100_000);
            let span = [100, 5_000, 70_000, 3_000_000][rng.gen_range(0..4)];
            let span = rng.gen_range(1..span);
            let mut set: Vec<u32> = (0..n).map(|_| base + rng.gen_range(0..span)).collect();
            set.sort_unstable();
            set.dedup();
            let expected = set.clone();
            set.shuffle(&mut rng);
            sort_distinct(&mut set, &mut marks, &mut summary);
            assert_eq!(set, expected);
            assert!(marks.iter().chain(&summary).all(|&m| m == 0));
        }
    }

    #[test]
    fn word_index_packs_bigrams_and_trigrams_apart() {
        let vocab: Vec<String> = ["a", "a a", "a a a", "a b", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let wi = WordIndex::build(&vocab).unwrap();
        assert_eq!(wi.unigram, [0, 4]);
        assert_eq!(wi.ngrams.len(), 3);
        assert_eq!(wi.ngrams[&pack(&[0, 0, 0])], 2);
        assert_eq!(wi.ngrams[&pack(&[0, 1])], 3);
        assert!(WordIndex::build(&["a b c d".to_string()]).is_none());
    }

    #[test]
    fn idf_and_l2_norm_by_hand() {
        let docs = ["nato troops", "troops troops moved"];
        let fx = Arc::new(FeatureExtractor::fit(&[word((1, 1))], &docs).unwrap());
        assert_eq!(fx.parts[0].vocabulary, ["moved", "nato", "troops"]);
        let idf_rare = (3.0f64 / 2.0).ln() + 1.0;
        assert!((fx.parts[0].idf[0] - idf_rare).abs() < 1e-15);
        assert!((fx.parts[0].idf[2] - 1.0).abs() < 1e-15);
        let row = fx.vectorizer().unwrap().transform("troops troops moved");
        let (a, b) = (idf_rare, 2.0);
        let n = (a * a + b * b).sqrt();
        assert_eq!(row.indices, [0, 2]);
        assert!((row.values[0] - a / n).abs() < 1e-15 && (row.values[1] - b / n).abs() < 1e-15);
    }

    #[test]
    fn min_max_df_and_max_features() {
        let docs = ["a1 b1 c1", "a1 b1", "a1 zz zz zz"];
        let mut c = word((1, 1));
        c.min_df = DocFreq::Count(2);
        c.max_df = DocFreq::Fraction(0.9);
        let fx = FeatureExtractor::fit(&[c.clone()], &docs).unwrap();
        assert_eq!(fx.parts[0].vocabulary, ["b1"]);
        let mut c = word((1, 1));
        c.max_features = Some(2);
        let fx = FeatureExtractor::fit(&[c], &docs).unwrap();
        // zz (3) and a1 (3) tie on count with more than the others; sorted afterwards.
        assert_eq!(fx.parts[0].vocabulary, ["a1", "zz"]);
    }

    #[test]
    fn errors() {
        let docs = ["one two", "three"];
        let mut c = word((1, 1));
        c.min_df = DocFreq::Count(3);
        assert!(matches!(
            FeatureExtractor::fit(&[c], &docs),
            Err(Error::DfBounds { n_docs: 2, .. })
        ));
        assert!(matches!(
            FeatureExtractor::fit(&[word((1, 1))], &["!", "?"]),
            Err(Error::EmptyVocabulary { .. })
        ));
        assert!(DocFreq::parse("min-df", "1.5").is_err());
        assert_eq!(DocFreq::parse("min-df", "2").unwrap(), DocFreq::Count(2));
        assert_eq!(
            DocFreq::parse("max-df", "0.5").unwrap(),
            DocFreq::Fraction(0.5)
        );
    }

    #[test]
    fn nb_scale_weights_discriminative_terms() {
        // "war" only in class 1, "the" in every document: ratio ln((3/5)/(1/5)) ≈ 1.10 vs 0.
        let docs = ["the war", "the war", "the talks", "the talks"];
        let y = [1, 1, 0, 0];
        let mut c = word((1, 1));
        c.nb = true;
        let fx = FeatureExtractor::fit_supervised(&[c], &docs, &y, 2).unwrap();
        let p = &fx.parts[0];
        assert_eq!(p.vocabulary, ["talks", "the", "war"]);
        let s = p.nb_scale.as_ref().unwrap();
        // p = 1 + presence in class 1 = [1, 3, 3] (sum 7); q = [3, 3, 1] (sum 7).
        assert!((s[2] - 3f64.ln()).abs() < 1e-12, "{s:?}");
        assert!((s[0] - 3f64.ln()).abs() < 1e-12);
        assert!(s[1].abs() < 1e-12);
        // Without `nb` nothing is learnt; with it, the common word gets no weight.
        let plain = FeatureExtractor::fit_supervised(&[word((1, 1))], &docs, &y, 2).unwrap();
        assert!(plain.parts[0].nb_scale.is_none());
        let row = Arc::new(fx).vectorizer().unwrap().transform("the war");
        assert_eq!(row.values.len(), 2);
        assert!(
            row.values[0].abs() < 1e-12 && (row.values[1] - 1.0).abs() < 1e-12,
            "{row:?}"
        );
    }

    #[test]
    fn parts_are_side_by_side_and_each_normalised() {
        let mut ch = word((3, 3));
        ch.analyzer.analyzer = AnalyzerKind::CharWb;
        let docs = ["nato drill", "drill"];
        let fx = Arc::new(FeatureExtractor::fit(&[word((1, 1)), ch], &docs).unwrap());
        let n_word = fx.parts[0].vocabulary.len() as u32;
        let row = fx.vectorizer().unwrap().transform("nato drill");
        let (w, c): (Vec<_>, Vec<_>) = row
            .indices
            .iter()
            .zip(&row.values)
            .partition(|(i, _)| **i < n_word);
        for part in [w, c] {
            let norm: f64 = part.iter().map(|(_, v)| *v * *v).sum();
            assert!((norm - 1.0).abs() < 1e-12);
        }
        assert_eq!(fx.feature_names()[0], "word: drill");
    }
}
