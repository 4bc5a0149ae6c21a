//! What to label next: the sentences whose labels should improve a model most, chosen in
//! one streaming pass with bounded memory.
//!
//! Every sentence is scored once and offered to a bounded selection:
//!
//! - **margin** / **entropy** (uncertainty sampling): keep the `n` sentences the model is
//!   least sure of (smallest gap between its two most probable classes, or largest entropy of
//!   its class probabilities) in a min-heap of size `n`. With two classes both orders are
//!   the same.
//! - **diverse** (uncertainty with diversity): keep the `pool × n` most uncertain sentences
//!   with their TF-IDF vectors, then pick `n` of them greedily, each maximising
//!   uncertainty × (1 − cosine similarity to the closest sentence already picked) — a
//!   weighted core-set (farthest-first) rule, so the coder does not get 200 near-identical
//!   sentences.
//! - **random** (the control): a uniform sample without replacement of size `n` (each
//!   sentence gets a seeded random key; the `n` largest keys are kept).
//!
//! Memory is O(`n`) sentences (O(`pool × n`) with vectors for diverse), times the number of
//! sources with per-source balancing, whatever the size of the corpus. Sentences whose
//! normalised text ([`normalise`]) is excluded (already labelled) or already held are skipped.
//!
//! ```
//! use std::sync::Arc;
//! use framelens::label::suggest::{Strategy, SuggestOptions, Suggester};
//! use framelens::model::Model;
//! use framelens::score::Document;
//! let json = include_str!("../../models/stance.json");
//! let model = Arc::new(Model::from_slice("stance.json".as_ref(), json.as_bytes())?);
//! let opts = SuggestOptions { n: 2, strategy: Strategy::Margin, ..SuggestOptions::default() };
//! let mut s = Suggester::new(model, opts)?;
//! s.push_document(&Document::new("wire", "a1",
//!     "NATO provocation is growing. Talks resume today. Russian aggression continued."));
//! let picked = s.finish();
//! assert_eq!(picked.len(), 2);
//! assert!(picked[0].uncertainty >= picked[1].uncertainty);
//! # Ok::<(), framelens::Error>(())
//! ```

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::data::{open_table, CsvOptions};
use crate::error::{Error, Result};
use crate::features::{SparseRow, Vectorizer};
use crate::model::{self, Model};
use crate::score::{Document, ScoredSentence};

/// How to choose the sentences to label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// Smallest margin between the two most probable classes.
    #[default]
    Margin,
    /// Largest entropy of the class probabilities.
    Entropy,
    /// Margin uncertainty with diversity over the TF-IDF vectors (weighted core-set).
    Diverse,
    /// Uniform random sample (the control).
    Random,
}

impl Strategy {
    /// The strategy's name, as parsed.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Margin => "margin",
            Strategy::Entropy => "entropy",
            Strategy::Diverse => "diverse",
            Strategy::Random => "random",
        }
    }
}

impl FromStr for Strategy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Strategy> {
        match s {
            "margin" => Ok(Strategy::Margin),
            "entropy" => Ok(Strategy::Entropy),
            "diverse" => Ok(Strategy::Diverse),
            "random" => Ok(Strategy::Random),
            _ => Err(Error::setting(
                "strategy",
                s,
                "margin, entropy, diverse or random",
            )),
        }
    }
}

/// Options of a [`Suggester`].
#[derive(Debug, Clone)]
pub struct SuggestOptions {
    /// How many sentences to suggest. Defaults to 200.
    pub n: usize,
    /// How to choose them. Defaults to margin.
    pub strategy: Strategy,
    /// Balance the sources: each source gets its own bounded selection and the sources take
    /// turns (in name order) until `n` are chosen. Defaults to false.
    pub per_source: bool,
    /// Seed of the random strategy and of tie-breaking. Defaults to 0.
    pub seed: u64,
    /// For diverse: candidates kept per suggestion (the pool is `pool × n`). Defaults to 10.
    pub pool: usize,
    /// Skip sentences shorter than this many characters (headings, bylines). Defaults to 20.
    pub min_chars: usize,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            n: 200,
            strategy: Strategy::Margin,
            per_source: false,
            seed: 0,
            pool: 10,
            min_chars: 20,
        }
    }
}

/// One suggested sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Source, doc, index and text, as `framelens split` writes them.
    pub row: ScoredSentence,
    /// The model's most probable class.
    pub guess: String,
    /// Its probability.
    pub probability: f64,
    /// The uncertainty score (1 − margin, or entropy / ln k; random keys are not
    /// uncertainties, so this is still the margin uncertainty for random picks).
    pub uncertainty: f64,
}

/// Normalised text for matching labelled sentences: lowercase, white space collapsed,
/// surrounding quotes and spaces trimmed.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out.trim_matches(|c: char| c == '"' || c == '\'' || c == '“' || c == '”' || c == ' ')
        .to_string()
}

/// A stable 64-bit hash of the normalised text.
fn text_key(text: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    normalise(text).hash(&mut h);
    h.finish()
}

/// Normalised texts not to suggest (already labelled), as hashes.
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    keys: HashSet<u64>,
}

impl Exclude {
    /// Adds a text.
    pub fn insert(&mut self, text: &str) {
        self.keys.insert(text_key(text));
    }

    /// True when this text (normalised) was added.
    pub fn contains(&self, text: &str) -> bool {
        self.keys.contains(&text_key(text))
    }

    /// Texts held.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds every text of a labelled CSV file's `column`.
    pub fn read_csv(&mut self, path: &Path, column: &str, csv: &CsvOptions) -> Result<usize> {
        let mut t = open_table(path, csv)?;
        let c = t.column(column)?;
        let mut n = 0;
        while t.next_row()? {
            self.insert(&t.field(c)?);
            n += 1;
        }
        Ok(n)
    }
}

#[derive(Debug, Clone)]
struct Candidate {
    key: f64,
    tie: u64,
    text_key: u64,
    suggestion: Suggestion,
    vector: Option<SparseRow>,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then(self.tie.cmp(&other.tie))
    }
}

/// A bounded top-k (largest keys) with no two entries of the same text.
#[derive(Debug, Default)]
struct TopK {
    heap: BinaryHeap<Reverse<Candidate>>,
    members: HashSet<u64>,
}

impl TopK {
    fn would_take(&self, cap: usize, key: f64, tie: u64) -> bool {
        self.heap.len() < cap
            || self.heap.peek().is_some_and(|Reverse(min)| {
                key.total_cmp(&min.key).then(tie.cmp(&min.tie)) == Ordering::Greater
            })
    }

    fn push(&mut self, cap: usize, c: Candidate) {
        if cap == 0 || self.members.contains(&c.text_key) {
            return;
        }
        self.members.insert(c.text_key);
        self.heap.push(Reverse(c));
        if self.heap.len() > cap {
            if let Some(Reverse(out)) = self.heap.pop() {
                self.members.remove(&out.text_key);
            }
        }
    }

    /// Entries, largest key first.
    fn into_sorted(self) -> Vec<Candidate> {
        let mut v: Vec<Candidate> = self.heap.into_iter().map(|Reverse(c)| c).collect();
        v.sort_by(|a, b| b.cmp(a));
        v
    }
}

/// Chooses sentences to label from a stream of documents; see the [module docs](self).
#[derive(Debug)]
pub struct Suggester {
    opts: SuggestOptions,
    scorer: model::Scorer,
    vectorizer: Option<Vectorizer>,
    exclude: Exclude,
    rng: ChaCha8Rng,
    selections: BTreeMap<String, TopK>,
    proba: Vec<f64>,
    seen: usize,
    excluded: usize,
}

impl Suggester {
    /// A suggester for this model. Fails when `n` is 0 or the model cannot build its
    /// vectorizer.
    pub fn new(model: Arc<Model>, opts: SuggestOptions) -> Result<Suggester> {
        if opts.n == 0 {
            return Err(Error::setting("n", "0", "a number of sentences >= 1"));
        }
        if opts.pool == 0 {
            return Err(Error::setting("pool", "0", "a pool factor >= 1"));
        }
        let vectorizer = match opts.strategy {
            Strategy::Diverse => Some(model.features.vectorizer()?),
            _ => None,
        };
        Ok(Suggester {
            rng: ChaCha8Rng::seed_from_u64(opts.seed),
            scorer: model.scorer()?,
            vectorizer,
            opts,
            exclude: Exclude::default(),
            selections: BTreeMap::new(),
            proba: Vec::new(),
            seen: 0,
            excluded: 0,
        })
    }

    /// Never suggest these texts.
    pub fn exclude(mut self, exclude: Exclude) -> Suggester {
        self.exclude = exclude;
        self
    }

    /// Sentences offered so far (after the length filter).
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// Sentences skipped because their text was excluded.
    pub fn excluded(&self) -> usize {
        self.excluded
    }

    fn capacity(&self) -> usize {
        match self.opts.strategy {
            Strategy::Diverse => self.opts.n.saturating_mul(self.opts.pool),
            _ => self.opts.n,
        }
    }

    /// Offers every sentence of a document.
    pub fn push_document(&mut self, doc: &Document) {
        self.push_document_in(doc, &crate::text::SentenceLanguage::English);
    }

    /// Offers every sentence of a document, split with the rules of `language`.
    pub fn push_document_in(&mut self, doc: &Document, language: &crate::text::SentenceLanguage) {
        doc.for_each_sentence_in(false, language, |index, text| {
            self.push_sentence(&doc.source, &doc.doc, index, text);
        });
    }

    /// Offers one sentence.
    pub fn push_sentence(&mut self, source: &str, doc: &str, index: usize, text: &str) {
        if text.chars().count() < self.opts.min_chars {
            return;
        }
        self.seen += 1;
        let tkey = text_key(text);
        if self.exclude.keys.contains(&tkey) {
            self.excluded += 1;
            return;
        }
        let tie: u64 = self.rng.gen();
        let random_key: f64 = self.rng.gen();
        self.scorer.proba_into(text, &mut self.proba);
        let (best, p1, p2) = top_two(&self.proba);
        let margin_unc = 1.0 - (p1 - p2);
        let uncertainty = match self.opts.strategy {
            Strategy::Entropy => entropy(&self.proba),
            _ => margin_unc,
        };
        let key = match self.opts.strategy {
            Strategy::Random => random_key,
            _ => uncertainty,
        };
        let cap = self.capacity();
        let group = if self.opts.per_source { source } else { "" };
        let sel = self.selections.entry(group.to_string()).or_default();
        if !sel.would_take(cap, key, tie) || sel.members.contains(&tkey) {
            return;
        }
        let vector = self.vectorizer.as_mut().map(|v| v.transform(text));
        let classes = self.scorer.model().classes();
        let suggestion = Suggestion {
            row: ScoredSentence {
                source: source.to_string(),
                doc: doc.to_string(),
                index,
                text: text.to_string(),
                ..ScoredSentence::default()
            },
            guess: classes.get(best).cloned().unwrap_or_default(),
            probability: p1,
            uncertainty,
        };
        sel.push(
            cap,
            Candidate {
                key,
                tie,
                text_key: tkey,
                suggestion,
                vector,
            },
        );
    }

    /// The suggestions, in the order to label them (most useful first).
    pub fn finish(self) -> Vec<Suggestion> {
        let n = self.opts.n;
        let diverse = self.opts.strategy == Strategy::Diverse;
        let mut lists: Vec<std::vec::IntoIter<Candidate>> = self
            .selections
            .into_values()
            .map(|sel| {
                let sorted = sel.into_sorted();
                let ranked = if diverse { core_set(sorted, n) } else { sorted };
                ranked.into_iter()
            })
            .collect();
        // Sources take turns (a single list without per-source balancing).
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let mut any = false;
            for l in lists.iter_mut() {
                if out.len() == n {
                    break;
                }
                if let Some(c) = l.next() {
                    out.push(c.suggestion);
                    any = true;
                }
            }
            if !any {
                break;
            }
        }
        out
    }
}

/// Index of the most probable class, its probability and the second largest probability.
fn top_two(p: &[f64]) -> (usize, f64, f64) {
    let mut best = 0;
    let (mut p1, mut p2) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for (i, &v) in p.iter().enumerate() {
        if v > p1 {
            p2 = p1;
            p1 = v;
            best = i;
        } else if v > p2 {
            p2 = v;
        }
    }
    if p2 == f64::NEG_INFINITY {
        p2 = 0.0;
    }
    if p1 == f64::NEG_INFINITY {
        p1 = 0.0;
    }
    (best, p1, p2)
}

/// Entropy of the probabilities divided by ln k (0 = certain, 1 = uniform).
fn entropy(p: &[f64]) -> f64 {
    if p.len() < 2 {
        return 0.0;
    }
    let h: f64 = p.iter().filter(|&&x| x > 0.0).map(|&x| -x * x.ln()).sum();
    h / (p.len() as f64).ln()
}

fn dot(a: &SparseRow, b: &SparseRow) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.indices.len() && j < b.indices.len() {
        match a.indices[i].cmp(&b.indices[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                s += a.values[i] * b.values[j];
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Greedy weighted core-set: the most uncertain first, then each time the candidate with the
/// largest uncertainty × distance (1 − cosine) to its closest already-picked sentence.
fn core_set(pool: Vec<Candidate>, n: usize) -> Vec<Candidate> {
    let norms: Vec<f64> = pool
        .iter()
        .map(|c| c.vector.as_ref().map_or(0.0, |v| dot(v, v).sqrt()))
        .collect();
    let mut dist = vec![1.0f64; pool.len()];
    let mut taken = vec![false; pool.len()];
    let mut order = Vec::with_capacity(n.min(pool.len()));
    for _ in 0..n.min(pool.len()) {
        let mut best: Option<usize> = None;
        let mut best_score = f64::NEG_INFINITY;
        for i in 0..pool.len() {
            if taken[i] {
                continue;
            }
            let score = pool[i].suggestion.uncertainty * dist[i];
            if score > best_score {
                best_score = score;
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        taken[b] = true;
        order.push(b);
        if let Some(vb) = &pool[b].vector {
            for i in 0..pool.len() {
                if taken[i] {
                    continue;
                }
                if let Some(vi) = &pool[i].vector {
                    let denom = norms[i] * norms[b];
                    let cos = if denom > 0.0 {
                        dot(vi, vb) / denom
                    } else {
                        0.0
                    };
                    dist[i] = dist[i].min((1.0 - cos).max(0.0));
                }
            }
        }
    }
    let mut slots: Vec<Option<Candidate>> = pool.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Writes suggestions as a labelling sheet: `id, source, doc, index, text, guess,
/// probability, uncertainty`, then one empty column per name in `label_columns`.
pub fn write_csv(
    suggestions: &[Suggestion],
    label_columns: &[String],
    out: &mut dyn Write,
) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Write { source },
        other => Error::Write {
            source: std::io::Error::other(format!("{other:?}")),
        },
    };
    let mut header: Vec<String> = [
        "id",
        "source",
        "doc",
        "index",
        "text",
        "guess",
        "probability",
        "uncertainty",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(label_columns.iter().cloned());
    w.write_record(&header).map_err(err)?;
    for s in suggestions {
        let mut rec = vec![
            s.row.id(),
            s.row.source.clone(),
            s.row.doc.clone(),
            s.row.index.to_string(),
            s.row.text.clone(),
            s.guess.clone(),
            format!("{:.4}", s.probability),
            format!("{:.4}", s.uncertainty),
        ];
        rec.extend(label_columns.iter().map(|_| String::new()));
        w.write_record(&rec).map_err(err)?;
    }
    w.flush().map_err(|source| Error::Write { source })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Arc<Model> {
        let json = include_str!("../../models/stance.json");
        Arc::new(Model::from_slice("stance.json".as_ref(), json.as_bytes()).unwrap())
    }

    fn corpus() -> Vec<Document> {
        let sents = [
            "NATO provocation is growing along the western border.",
            "Russian aggression continued with shelling of the city overnight.",
            "Talks between the delegations resume in Istanbul today.",
            "The ministry said the convoy carried humanitarian aid only.",
            "Officials in Kyiv reported new strikes on power stations.",
            "Moscow accused the West of prolonging the conflict.",
            "Grain exports through the Black Sea corridor resumed.",
            "The Kremlin denied that its troops had targeted civilians.",
        ];
        (0..40)
            .map(|d| {
                let text: Vec<String> = (0..4)
                    .map(|i| {
                        format!(
                            "{} Report {d}.{i} adds detail.",
                            sents[(d + i) % sents.len()]
                        )
                    })
                    .collect();
                Document::new(
                    if d % 2 == 0 { "a" } else { "b" },
                    d.to_string(),
                    text.join(" "),
                )
            })
            .collect()
    }

    fn run(opts: SuggestOptions, exclude: Exclude) -> Vec<Suggestion> {
        let mut s = Suggester::new(model(), opts).unwrap().exclude(exclude);
        for d in corpus() {
            s.push_document(&d);
        }
        s.finish()
    }

    /// The streamed top-k equals sorting every sentence by uncertainty.
    #[test]
    fn margin_is_the_exact_top_k_of_a_full_sort() {
        let opts = SuggestOptions {
            n: 7,
            min_chars: 0,
            ..SuggestOptions::default()
        };
        let got = run(opts, Exclude::default());
        let mut scorer = model().scorer().unwrap();
        let mut all = Vec::new();
        let mut seen = HashSet::new();
        for d in corpus() {
            d.for_each_sentence(false, |_, t| {
                let mut p = Vec::new();
                scorer.proba_into(t, &mut p);
                let (_, p1, p2) = top_two(&p);
                if seen.insert(normalise(t)) {
                    all.push(1.0 - (p1 - p2));
                }
            });
        }
        all.sort_by(|a, b| b.total_cmp(a));
        let got_u: Vec<f64> = got.iter().map(|s| s.uncertainty).collect();
        assert_eq!(got_u, all[..7].to_vec());
    }

    #[test]
    fn exclusion_matches_normalised_text_and_nothing_repeats() {
        let mut ex = Exclude::default();
        let first = run(
            SuggestOptions {
                n: 5,
                ..SuggestOptions::default()
            },
            Exclude::default(),
        );
        ex.insert(&format!("  {}  ", first[0].row.text.to_uppercase()));
        let second = run(
            SuggestOptions {
                n: 5,
                ..SuggestOptions::default()
            },
            ex,
        );
        assert!(second.iter().all(|s| s.row.text != first[0].row.text));
        let texts: HashSet<String> = second.iter().map(|s| normalise(&s.row.text)).collect();
        assert_eq!(texts.len(), second.len());
    }

    #[test]
    fn per_source_balances_and_random_is_seeded() {
        let got = run(
            SuggestOptions {
                n: 10,
                per_source: true,
                ..SuggestOptions::default()
            },
            Exclude::default(),
        );
        let a = got.iter().filter(|s| s.row.source == "a").count();
        assert_eq!((a, got.len() - a), (5, 5));
        let r = |seed| {
            run(
                SuggestOptions {
                    n: 10,
                    strategy: Strategy::Random,
                    seed,
                    ..SuggestOptions::default()
                },
                Exclude::default(),
            )
        };
        assert_eq!(r(1), r(1));
        assert_ne!(r(1), r(2));
    }

    /// Near-duplicates: plain margin would take the three most uncertain (identical)
    /// sentences; the core-set takes one of them and then the distinct ones.
    #[test]
    fn core_set_skips_near_duplicates() {
        let cand = |i: u64, u: f64, idx: u32| Candidate {
            key: u,
            tie: i,
            text_key: i,
            suggestion: Suggestion {
                row: ScoredSentence {
                    index: i as usize,
                    ..ScoredSentence::default()
                },
                guess: String::new(),
                probability: 0.5,
                uncertainty: u,
            },
            vector: Some(SparseRow {
                indices: vec![idx],
                values: vec![1.0],
            }),
        };
        let pool = vec![
            cand(0, 0.99, 7),
            cand(1, 0.98, 7),
            cand(2, 0.97, 7),
            cand(3, 0.80, 1),
            cand(4, 0.70, 2),
        ];
        let picked: Vec<usize> = core_set(pool, 3)
            .iter()
            .map(|c| c.suggestion.row.index)
            .collect();
        assert_eq!(picked, [0, 3, 4]);
    }

    #[test]
    fn diverse_returns_n_distinct_sentences() {
        let got = run(
            SuggestOptions {
                n: 8,
                strategy: Strategy::Diverse,
                ..SuggestOptions::default()
            },
            Exclude::default(),
        );
        assert_eq!(got.len(), 8);
        let texts: HashSet<&str> = got.iter().map(|s| s.row.text.as_str()).collect();
        assert_eq!(texts.len(), 8);
    }

    /// Memory stays bounded: after 30,000 distinct sentences the selection holds n
    /// (n × pool for diverse) candidates, and the result is still the top n.
    #[test]
    fn selection_is_bounded_on_a_long_stream() {
        for (strategy, cap) in [
            (Strategy::Margin, 5),
            (Strategy::Random, 5),
            (Strategy::Diverse, 15),
        ] {
            let mut s = Suggester::new(
                model(),
                SuggestOptions {
                    n: 5,
                    pool: 3,
                    strategy,
                    min_chars: 0,
                    ..SuggestOptions::default()
                },
            )
            .unwrap();
            for i in 0..30_000 {
                s.push_sentence(
                    "x",
                    "d",
                    i,
                    &format!("Talks number {i} on troops and aggression"),
                );
                let held: usize = s.selections.values().map(|t| t.heap.len()).sum();
                assert!(held <= cap, "{strategy:?}: {held} held");
            }
            assert_eq!(s.seen(), 30_000);
            assert_eq!(s.finish().len(), 5);
        }
    }

    #[test]
    fn bad_options_are_errors() {
        let e = Suggester::new(
            model(),
            SuggestOptions {
                n: 0,
                ..SuggestOptions::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("n"), "{e}");
        assert!("nope".parse::<Strategy>().is_err());
        assert!((entropy(&[0.5, 0.5]) - 1.0).abs() < 1e-12);
    }
}
