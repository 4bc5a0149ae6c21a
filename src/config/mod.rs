//! The recipe: which features and which classifier settings to train with.
//!
//! A [`Config`] is what training needs: a [`FeatureSpec`] (the main analyzer, plus an optional
//! block of `char_wb` n-grams that shares its document-frequency and tf settings) and the
//! classifier's checked parameters. It is built from a [`Preset`] and a list of explicit
//! [`Setting`]s by a [`Recipe`]: explicit settings always win over the preset's values.
//!
//! Every setting has a [`GridKey`], and every value — from a command-line flag, from a grid
//! (`c=0.5,1,2`), from Rust — goes through the same parser, [`GridKey::parse`]. A [`Grid`] is
//! a list of axes, each a key with several values; [`Grid::expand`] gives the cartesian product
//! over a base configuration.
//!
//! ```
//! use framelens::config::{Grid, Preset, Recipe};
//!
//! let config = Recipe::new(Preset::Best).set("c", "2")?.set("char-wb", "none")?.build()?;
//! assert_eq!(config.params.c(), 2.0);
//! assert!(config.features.char_wb.is_none());
//!
//! let grid: Grid = ["c=0.5,1", "ngram-range=1,1:1,2"].iter().map(|s| s.parse()).collect::<Result<_, _>>()?;
//! assert_eq!(grid.expand(&config)?.len(), 4);
//! # Ok::<(), framelens::Error>(())
//! ```

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use linfa::ParamGuard;
use serde::{Deserialize, Serialize};

use crate::features::{DocFreq, Norm, TfidfConfig};
use crate::model::{ClassWeight, LogisticParams, LogisticValidParams};
use crate::text::{AnalyzerKind, Language, StopWords, StripAccents};
use crate::Error;

/// The feature parts: the main analyzer and an optional block of `char_wb` n-grams.
///
/// The `char_wb` block copies the main part's lowercasing, accent stripping, document
/// frequency bounds, tf, idf, norm and naive-Bayes settings, and never stems, removes stop
/// words or limits its vocabulary size. Each part is normalised on its own and the parts are
/// concatenated (as scikit-learn's `FeatureUnion`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureSpec {
    /// The main analyzer's settings.
    pub main: TfidfConfig,
    /// The `(min, max)` n-gram range of the `char_wb` block, if there is one.
    pub char_wb: Option<(usize, usize)>,
}

impl FeatureSpec {
    /// The parts to fit, in column order: the main part, then the `char_wb` block.
    pub fn parts(&self) -> Vec<TfidfConfig> {
        let mut parts = vec![self.main.clone()];
        if let Some(range) = self.char_wb {
            parts.push(char_wb_part(&self.main, range));
        }
        parts
    }

    /// Recovers the spec from fitted parts (as stored in a model file). Fails when the parts
    /// are not a main part plus an optional `char_wb` block derived from it.
    pub fn from_parts(parts: &[TfidfConfig]) -> Result<FeatureSpec, Error> {
        let spec = match parts {
            [main] => FeatureSpec {
                main: main.clone(),
                char_wb: None,
            },
            [main, chars] => FeatureSpec {
                main: main.clone(),
                char_wb: Some(chars.analyzer.ngram_range),
            },
            _ => {
                return Err(Error::inconsistent(
                    "features",
                    format!("expected 1 or 2 feature parts, found {}", parts.len()),
                ))
            }
        };
        if spec.parts() != parts {
            return Err(Error::inconsistent(
                "features",
                "the second part is not a char_wb block of the first",
            ));
        }
        Ok(spec)
    }

    /// One line per part, e.g. `word 1-2-grams, stem english, stop words none, min_df 1, ...`.
    pub fn describe(&self) -> Vec<String> {
        self.parts().iter().map(describe_part).collect()
    }
}

/// Reads both the current layout (`{"main": …, "char_wb": [1, 6]}`) and the older list of
/// parts written by framelens 0.1 (`[main, char_wb]`).
impl<'de> Deserialize<'de> for FeatureSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Named {
            main: TfidfConfig,
            char_wb: Option<(usize, usize)>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Named(Named),
            Parts(Vec<TfidfConfig>),
        }
        match Either::deserialize(d)? {
            Either::Named(n) => Ok(FeatureSpec {
                main: n.main,
                char_wb: n.char_wb,
            }),
            Either::Parts(p) => FeatureSpec::from_parts(&p).map_err(serde::de::Error::custom),
        }
    }
}

/// A `char_wb` part that shares the main part's document-frequency and tf settings.
fn char_wb_part(main: &TfidfConfig, range: (usize, usize)) -> TfidfConfig {
    let mut c = main.clone();
    c.analyzer.analyzer = AnalyzerKind::CharWb;
    c.analyzer.ngram_range = range;
    c.analyzer.stem = None;
    c.analyzer.stop_words = StopWords::None;
    c.max_features = None;
    c
}

/// One part's settings in a line, e.g. `word 1-2-grams, stem english, ..., l2 norm`.
pub fn describe_part(c: &TfidfConfig) -> String {
    let a = &c.analyzer;
    let mut s = format!(
        "{} {}-{}-grams",
        a.analyzer.name(),
        a.ngram_range.0,
        a.ngram_range.1
    );
    if a.analyzer == AnalyzerKind::Word {
        s += &format!(
            ", stem {}, stop words {}",
            a.stem.map_or("none", |l| l.name()),
            match &a.stop_words {
                StopWords::None => "none".to_string(),
                StopWords::English => "english".to_string(),
                StopWords::List(w) => format!("a list of {} words", w.len()),
            }
        );
        if a.token_pattern != crate::text::DEFAULT_TOKEN_PATTERN {
            s += &format!(", token pattern {:?}", a.token_pattern);
        }
    }
    if !a.lowercase {
        s += ", not lowercased";
    }
    if let Some(sa) = a.strip_accents {
        s += match sa {
            StripAccents::Unicode => ", accents stripped (unicode)",
            StripAccents::Ascii => ", accents stripped (ascii)",
        };
    }
    s += &format!(", min_df {}, max_df {}", c.min_df, c.max_df);
    if let Some(n) = c.max_features {
        s += &format!(", max_features {n}");
    }
    s += &format!(
        ", {} tf, {} norm",
        if c.sublinear_tf { "sublinear" } else { "raw" },
        match c.norm {
            Norm::L2 => "l2",
            Norm::None => "no",
        }
    );
    if c.nb {
        s += ", naive-Bayes scaled";
    }
    s
}

/// What to train: feature parts and classifier parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Feature extractor parts.
    pub features: FeatureSpec,
    /// Classifier parameters.
    pub params: LogisticValidParams,
}

impl Default for Config {
    /// [`Preset::Default`].
    fn default() -> Self {
        Preset::Default.config()
    }
}

impl Config {
    /// Applies one setting; checks the classifier parameters again.
    pub fn apply(&mut self, setting: &Setting) -> Result<(), Error> {
        let main = &mut self.features.main;
        let params = || LogisticParams::from(self.params.clone());
        match setting {
            Setting::C(x) => self.params = params().c(*x).check()?,
            Setting::ClassWeight(cw) => self.params = params().class_weight(*cw).check()?,
            Setting::MaxIter(n) => self.params = params().max_iter(*n).check()?,
            Setting::Tol(x) => self.params = params().tol(*x).check()?,
            Setting::Analyzer(kind) => {
                main.analyzer.analyzer = *kind;
                // Stemming applies to word tokens only.
                if *kind != AnalyzerKind::Word {
                    main.analyzer.stem = None;
                }
            }
            Setting::NgramRange(r) => main.analyzer.ngram_range = *r,
            Setting::CharWb(r) => self.features.char_wb = *r,
            Setting::MinDf(d) => main.min_df = *d,
            Setting::MaxDf(d) => main.max_df = *d,
            Setting::MaxFeatures(n) => main.max_features = *n,
            Setting::SublinearTf(b) => main.sublinear_tf = *b,
            Setting::Norm(n) => main.norm = *n,
            Setting::Nb(b) => main.nb = *b,
            Setting::Stem(l) => main.analyzer.stem = *l,
            Setting::StopWords(s) => main.analyzer.stop_words = s.load()?,
            Setting::Lowercase(b) => main.analyzer.lowercase = *b,
            Setting::StripAccents(s) => main.analyzer.strip_accents = *s,
            Setting::TokenPattern(p) => main.analyzer.token_pattern = p.clone(),
        }
        Ok(())
    }
}

/// A named starting configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// scikit-learn's `TfidfVectorizer()` and `LogisticRegression()` defaults plus English
    /// stemming and word 1-2-grams: the defaults of `framelens train`.
    Default,
    /// Exactly scikit-learn's defaults (`TfidfVectorizer()`: word unigrams, no stemming;
    /// `LogisticRegression()`: C = 1), to compare against scikit-learn.
    Sklearn,
    /// The most accurate setting measured on BABE (BENCHMARKS.md): English stemming, word
    /// 1-3-grams, min_df 2, sublinear tf, char_wb 1-6-grams, naive-Bayes scaling, balanced
    /// class weights, C = 0.5.
    Best,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 3] = [Preset::Default, Preset::Sklearn, Preset::Best];

    /// Its name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Default => "default",
            Preset::Sklearn => "sklearn",
            Preset::Best => "best",
        }
    }

    /// The configuration it stands for.
    pub fn config(self) -> Config {
        let mut main = TfidfConfig::default();
        let mut params = LogisticParams::new();
        match self {
            Preset::Default => main.analyzer.ngram_range = (1, 2),
            Preset::Sklearn => main.analyzer.stem = None,
            Preset::Best => {
                main.analyzer.ngram_range = (1, 3);
                main.min_df = DocFreq::Count(2);
                main.sublinear_tf = true;
                main.nb = true;
                params = params.c(0.5).class_weight(ClassWeight::Balanced);
            }
        }
        Config {
            features: FeatureSpec {
                main,
                char_wb: (self == Preset::Best).then_some((1, 6)),
            },
            params: params
                .check()
                .expect("the presets' parameters are within range (tested)"), // ok: constants, no input reaches them
        }
    }
}

impl FromStr for Preset {
    type Err = Error;
    fn from_str(s: &str) -> Result<Preset, Error> {
        Preset::ALL
            .into_iter()
            .find(|p| p.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                Error::setting(
                    "preset",
                    s,
                    format!("one of {}", Preset::ALL.map(|p| p.name()).join(", ")),
                )
            })
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where stop words come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopWordsSource {
    /// No stop words.
    None,
    /// The built-in English list.
    English,
    /// A file with one word per line (`#` starts a comment line).
    File(PathBuf),
}

impl StopWordsSource {
    /// Reads the list (only a file needs reading).
    pub fn load(&self) -> Result<StopWords, Error> {
        Ok(match self {
            StopWordsSource::None => StopWords::None,
            StopWordsSource::English => StopWords::English,
            StopWordsSource::File(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
                StopWords::List(
                    text.lines()
                        .map(|l| l.trim().to_lowercase())
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .collect(),
                )
            }
        })
    }
}

/// One setting with its value.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)] // each variant is its key's setting; see GridKey
pub enum Setting {
    C(f64),
    ClassWeight(ClassWeight),
    MaxIter(u64),
    Tol(f64),
    Analyzer(AnalyzerKind),
    NgramRange((usize, usize)),
    CharWb(Option<(usize, usize)>),
    MinDf(DocFreq),
    MaxDf(DocFreq),
    MaxFeatures(Option<usize>),
    SublinearTf(bool),
    Norm(Norm),
    Nb(bool),
    Stem(Option<Language>),
    StopWords(StopWordsSource),
    Lowercase(bool),
    StripAccents(Option<StripAccents>),
    TokenPattern(String),
}

impl Setting {
    /// The setting's key.
    pub fn key(&self) -> GridKey {
        use Setting as S;
        match self {
            S::C(_) => GridKey::C,
            S::ClassWeight(_) => GridKey::ClassWeight,
            S::MaxIter(_) => GridKey::MaxIter,
            S::Tol(_) => GridKey::Tol,
            S::Analyzer(_) => GridKey::Analyzer,
            S::NgramRange(_) => GridKey::NgramRange,
            S::CharWb(_) => GridKey::CharWb,
            S::MinDf(_) => GridKey::MinDf,
            S::MaxDf(_) => GridKey::MaxDf,
            S::MaxFeatures(_) => GridKey::MaxFeatures,
            S::SublinearTf(_) => GridKey::SublinearTf,
            S::Norm(_) => GridKey::Norm,
            S::Nb(_) => GridKey::Nb,
            S::Stem(_) => GridKey::Stem,
            S::StopWords(_) => GridKey::StopWords,
            S::Lowercase(_) => GridKey::Lowercase,
            S::StripAccents(_) => GridKey::StripAccents,
            S::TokenPattern(_) => GridKey::TokenPattern,
        }
    }
}

/// `key=value`, the form a grid and the results of a search use.
impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Setting as S;
        let range = |r: &(usize, usize)| format!("{},{}", r.0, r.1);
        let value = match self {
            S::C(x) | S::Tol(x) => x.to_string(),
            S::ClassWeight(ClassWeight::None) => "none".into(),
            S::ClassWeight(ClassWeight::Balanced) => "balanced".into(),
            S::MaxIter(n) => n.to_string(),
            S::Analyzer(k) => k.name().into(),
            S::NgramRange(r) | S::CharWb(Some(r)) => range(r),
            S::CharWb(None) | S::MaxFeatures(None) | S::Stem(None) | S::StripAccents(None) => {
                "none".into()
            }
            S::MinDf(d) | S::MaxDf(d) => d.to_string(),
            S::MaxFeatures(Some(n)) => n.to_string(),
            S::SublinearTf(b) | S::Nb(b) | S::Lowercase(b) => b.to_string(),
            S::Norm(Norm::L2) => "l2".into(),
            S::Norm(Norm::None) => "none".into(),
            S::Stem(Some(l)) => l.name().into(),
            S::StopWords(StopWordsSource::None) => "none".into(),
            S::StopWords(StopWordsSource::English) => "english".into(),
            S::StopWords(StopWordsSource::File(p)) => p.display().to_string(),
            S::StripAccents(Some(StripAccents::Unicode)) => "unicode".into(),
            S::StripAccents(Some(StripAccents::Ascii)) => "ascii".into(),
            S::TokenPattern(p) => p.clone(),
        };
        write!(f, "{}={value}", self.key().name())
    }
}

/// Parses `key=value` (one value).
impl FromStr for Setting {
    type Err = Error;
    fn from_str(s: &str) -> Result<Setting, Error> {
        let (key, value) = s.split_once('=').ok_or_else(|| Error::InvalidGrid {
            spec: s.to_string(),
        })?;
        key.parse::<GridKey>()?.parse(value)
    }
}

macro_rules! grid_keys {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// A setting's name: the keys of a grid and of [`Recipe::set`]. Names are the
        /// command-line flags without the dashes (scikit-learn's option names with `-`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum GridKey {
            $(#[doc = $doc] $variant,)*
        }

        impl GridKey {
            /// Every key, in this order.
            pub const ALL: &'static [GridKey] = &[$(GridKey::$variant,)*];
            /// Every key's name, in the order of [`GridKey::ALL`].
            pub const NAMES: &'static [&'static str] = &[$($name,)*];

            /// The key's name, e.g. `ngram-range`.
            pub fn name(self) -> &'static str {
                match self {
                    $(GridKey::$variant => $name,)*
                }
            }
        }
    };
}

grid_keys! {
    C => "c", "Inverse regularisation strength, a number > 0.";
    ClassWeight => "class-weight", "`none` or `balanced`.";
    MaxIter => "max-iter", "L-BFGS iteration limit, a whole number >= 1.";
    Tol => "tol", "Gradient tolerance, a number > 0.";
    Analyzer => "analyzer", "`word`, `char_wb` or `char`.";
    NgramRange => "ngram-range", "`MIN,MAX`, e.g. `1,2`.";
    CharWb => "char-wb", "A char_wb block's `MIN,MAX`, or `none`.";
    MinDf => "min-df", "A count of documents or a fraction in [0, 1].";
    MaxDf => "max-df", "A count of documents or a fraction in [0, 1].";
    MaxFeatures => "max-features", "Keep this many terms, or `none`.";
    SublinearTf => "sublinear-tf", "`true` or `false`.";
    Norm => "norm", "`l2` or `none`.";
    Nb => "nb", "Naive-Bayes scaling, `true` or `false`.";
    Stem => "stem", "A Snowball language (`english`, ...) or `none`.";
    StopWords => "stop-words", "`none`, `english` or a file with one word per line.";
    Lowercase => "lowercase", "`true` or `false`.";
    StripAccents => "strip-accents", "`unicode`, `ascii` or `none`.";
    TokenPattern => "token-pattern", "A regular expression (word analyzer).";
}

impl FromStr for GridKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<GridKey, Error> {
        let k = s.trim().to_ascii_lowercase().replace('_', "-");
        GridKey::ALL
            .iter()
            .copied()
            .find(|g| g.name() == k)
            .ok_or_else(|| Error::UnknownGridKey { key: s.to_string() })
    }
}

impl fmt::Display for GridKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses `MIN,MAX` (also `MIN:MAX` or `MIN-MAX`) with 1 <= MIN <= MAX.
pub fn parse_range(s: &str) -> Result<(usize, usize), Error> {
    let bad = || {
        Error::setting(
            "ngram range",
            s,
            "MIN,MAX with 1 <= MIN <= MAX, such as 1,2",
        )
    };
    let (a, b) = s.split_once([',', ':', '-']).ok_or_else(bad)?;
    let a: usize = a.trim().parse().map_err(|_| bad())?;
    let b: usize = b.trim().parse().map_err(|_| bad())?;
    if a == 0 || a > b {
        return Err(bad());
    }
    Ok((a, b))
}

/// Parses `true`/`false` (also `yes`/`no`, `1`/`0`, `on`/`off`).
pub fn parse_bool(name: &'static str, s: &str) -> Result<bool, Error> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        _ => Err(Error::setting(name, s, "true or false")),
    }
}

impl GridKey {
    /// Parses one value of this key — the one parser for flags, grids and [`Recipe::set`].
    /// Checks the value's form; ranges that depend on other settings (C > 0, min_df <= max_df)
    /// are checked when the configuration is built or fitted.
    pub fn parse(self, value: &str) -> Result<Setting, Error> {
        let v = value.trim();
        let lower = v.to_ascii_lowercase();
        let name = self.name();
        let bad = |expected: &str| Error::setting(name, v, expected);
        let number = |expected: &str| v.parse::<f64>().map_err(|_| bad(expected));
        Ok(match self {
            GridKey::C => Setting::C(number("a number > 0")?),
            GridKey::Tol => Setting::Tol(number("a number > 0")?),
            GridKey::MaxIter => {
                Setting::MaxIter(v.parse().map_err(|_| bad("a whole number >= 1"))?)
            }
            GridKey::ClassWeight => Setting::ClassWeight(match lower.as_str() {
                "none" => ClassWeight::None,
                "balanced" => ClassWeight::Balanced,
                _ => return Err(bad("none or balanced")),
            }),
            GridKey::Analyzer => Setting::Analyzer(match lower.as_str() {
                "word" => AnalyzerKind::Word,
                "char_wb" | "char-wb" => AnalyzerKind::CharWb,
                "char" => AnalyzerKind::Char,
                _ => return Err(bad("word, char_wb or char")),
            }),
            GridKey::NgramRange => Setting::NgramRange(
                parse_range(v).map_err(|_| bad("MIN,MAX with 1 <= MIN <= MAX, such as 1,2"))?,
            ),
            GridKey::CharWb => Setting::CharWb(if lower == "none" {
                None
            } else {
                Some(
                    parse_range(v)
                        .map_err(|_| bad("none, or MIN,MAX with 1 <= MIN <= MAX, such as 2,5"))?,
                )
            }),
            GridKey::MinDf => Setting::MinDf(DocFreq::parse("min_df", v)?),
            GridKey::MaxDf => Setting::MaxDf(DocFreq::parse("max_df", v)?),
            GridKey::MaxFeatures => Setting::MaxFeatures(if lower == "none" {
                None
            } else {
                Some(v.parse().map_err(|_| bad("a whole number, or none"))?)
            }),
            GridKey::SublinearTf => Setting::SublinearTf(parse_bool("sublinear_tf", v)?),
            GridKey::Nb => Setting::Nb(parse_bool("nb", v)?),
            GridKey::Lowercase => Setting::Lowercase(parse_bool("lowercase", v)?),
            GridKey::Norm => Setting::Norm(match lower.as_str() {
                "l2" => Norm::L2,
                "none" => Norm::None,
                _ => return Err(bad("l2 or none")),
            }),
            GridKey::Stem => Setting::Stem(if lower == "none" {
                None
            } else {
                Some(Language::from_name(&lower).ok_or_else(|| {
                    bad(&format!(
                        "none or one of {}",
                        Language::ALL.map(|l| l.name()).join(", ")
                    ))
                })?)
            }),
            GridKey::StopWords => Setting::StopWords(match lower.as_str() {
                "none" => StopWordsSource::None,
                "english" => StopWordsSource::English,
                _ if v.is_empty() => return Err(bad("none, english or a file")),
                _ => StopWordsSource::File(PathBuf::from(v)),
            }),
            GridKey::StripAccents => Setting::StripAccents(match lower.as_str() {
                "none" => None,
                "unicode" => Some(StripAccents::Unicode),
                "ascii" => Some(StripAccents::Ascii),
                _ => return Err(bad("unicode, ascii or none")),
            }),
            // Not trimmed: white space can matter in a pattern.
            GridKey::TokenPattern => Setting::TokenPattern(value.to_string()),
        })
    }

    /// Splits a grid's value list: ranges (`ngram-range`, `char-wb`) and any list with a `:`
    /// are separated by `:`, other lists by `,`.
    fn split_values(self, values: &str) -> Vec<&str> {
        if matches!(self, GridKey::NgramRange | GridKey::CharWb) || values.contains(':') {
            values.split(':').collect()
        } else {
            values.split(',').collect()
        }
    }
}

/// A preset plus explicit settings; explicit settings win.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipe {
    /// The starting point.
    pub preset: Preset,
    /// Applied in order over the preset.
    pub settings: Vec<Setting>,
}

impl Default for Recipe {
    fn default() -> Self {
        Recipe::new(Preset::Default)
    }
}

impl Recipe {
    /// Starts from a preset.
    pub fn new(preset: Preset) -> Recipe {
        Recipe {
            preset,
            settings: Vec::new(),
        }
    }

    /// Adds a setting parsed from `key` and `value` (consuming builder).
    pub fn set(mut self, key: &str, value: &str) -> Result<Recipe, Error> {
        self.settings.push(key.parse::<GridKey>()?.parse(value)?);
        Ok(self)
    }

    /// Adds a parsed setting.
    pub fn with(mut self, setting: Setting) -> Recipe {
        self.settings.push(setting);
        self
    }

    /// The configuration: the preset's, with every setting applied in order. Reads a
    /// stop-word file if a setting names one.
    pub fn build(&self) -> Result<Config, Error> {
        let mut c = self.preset.config();
        for s in &self.settings {
            c.apply(s)?;
        }
        Ok(c)
    }

    /// Where the automatic settings search starts: preset best with this recipe's explicit
    /// settings applied over it, and the keys those settings fix (the search leaves them as
    /// given).
    pub fn search_start(&self) -> Result<(Config, Vec<GridKey>), Error> {
        let start = Recipe {
            preset: Preset::Best,
            settings: self.settings.clone(),
        };
        Ok((start.build()?, self.fixed_keys()))
    }

    /// The keys this recipe's explicit settings fix.
    pub fn fixed_keys(&self) -> Vec<GridKey> {
        self.settings.iter().map(Setting::key).collect()
    }
}

/// A grid of settings to search: one axis per key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    /// The axes, in order.
    pub axes: Vec<Vec<Setting>>,
}

/// One point of a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The settings that differ from the base (empty for the base itself).
    pub settings: Vec<Setting>,
    /// The configuration.
    pub config: Config,
}

impl Grid {
    /// True when the grid has no axis (the base is the only candidate).
    pub fn is_empty(&self) -> bool {
        self.axes.is_empty()
    }

    /// The cartesian product of the axes over `base`, in axis order (the last axis varies
    /// fastest).
    pub fn expand(&self, base: &Config) -> Result<Vec<Candidate>, Error> {
        let mut out = vec![Candidate {
            settings: Vec::new(),
            config: base.clone(),
        }];
        for axis in &self.axes {
            let mut next = Vec::with_capacity(out.len() * axis.len());
            for c in &out {
                for s in axis {
                    let mut config = c.config.clone();
                    config.apply(s)?;
                    let mut settings = c.settings.clone();
                    settings.push(s.clone());
                    next.push(Candidate { settings, config });
                }
            }
            out = next;
        }
        Ok(out)
    }
}

/// Parses one axis, `KEY=V1,V2,...` (ranges separated by `:`: `ngram-range=1,1:1,2`).
impl FromStr for Grid {
    type Err = Error;
    fn from_str(spec: &str) -> Result<Grid, Error> {
        let (key, values) = spec.split_once('=').ok_or_else(|| Error::InvalidGrid {
            spec: spec.to_string(),
        })?;
        let key: GridKey = key.parse()?;
        let axis = key
            .split_values(values)
            .into_iter()
            .map(|v| key.parse(v))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Grid { axes: vec![axis] })
    }
}

impl FromIterator<Grid> for Grid {
    fn from_iter<I: IntoIterator<Item = Grid>>(iter: I) -> Grid {
        Grid {
            axes: iter.into_iter().flat_map(|g| g.axes).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_build_and_best_matches_the_benchmark() {
        let best = Preset::Best.config();
        assert_eq!(best.params.c(), 0.5);
        assert_eq!(best.params.class_weight(), ClassWeight::Balanced);
        assert_eq!(best.features.char_wb, Some((1, 6)));
        let parts = best.features.parts();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].min_df, DocFreq::Count(2));
        assert!(parts[1].nb && parts[1].sublinear_tf);
        assert_eq!(parts[1].analyzer.stem, None);
        let sk = Preset::Sklearn.config();
        assert_eq!(sk.features.main.analyzer.ngram_range, (1, 1));
        assert_eq!(sk.features.main.analyzer.stem, None);
        assert_eq!(Config::default().features.main.analyzer.ngram_range, (1, 2));
        assert_eq!("BEST".parse::<Preset>().unwrap(), Preset::Best);
        assert!(matches!(
            "fast".parse::<Preset>(),
            Err(Error::InvalidSetting { name: "preset", .. })
        ));
    }

    /// Regression: `--preset best` dropped `--max-iter`/`--tol` and ignored an explicit `--c 1`.
    #[test]
    fn explicit_settings_win_over_the_preset() {
        let c = Recipe::new(Preset::Best)
            .set("c", "1")
            .unwrap()
            .set("max-iter", "7")
            .unwrap()
            .set("tol", "1e-3")
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.params.c(), 1.0);
        assert_eq!(c.params.max_iter(), 7);
        assert_eq!(c.params.tol(), 1e-3);
        assert_eq!(
            c.features.char_wb,
            Some((1, 6)),
            "the rest of the preset stays"
        );
    }

    /// Regression: grid values parsed differently from flags (stem not lowercased, stop-words
    /// refusing a file). There is one parser now.
    #[test]
    fn grid_values_parse_like_flags() {
        assert_eq!(
            GridKey::Stem.parse("English").unwrap(),
            Setting::Stem(Some(Language::English))
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("stop.txt");
        std::fs::write(&p, "# mine\nThe\n\nand\n").unwrap();
        let grid: Grid = format!("stop-words=none:{}", p.display()).parse().unwrap();
        let cs = grid.expand(&Config::default()).unwrap();
        assert_eq!(
            cs[1].config.features.main.analyzer.stop_words,
            StopWords::List(vec!["the".into(), "and".into()])
        );
        let missing = Recipe::default()
            .set("stop-words", "no-such-file.txt")
            .unwrap();
        assert!(matches!(missing.build(), Err(Error::Io { .. })));
        assert!(matches!(
            GridKey::Stem.parse("klingon"),
            Err(Error::InvalidSetting { name: "stem", .. })
        ));
        assert!(matches!(
            "colour=1".parse::<Grid>(),
            Err(Error::UnknownGridKey { .. })
        ));
        assert!(matches!(
            "c".parse::<Grid>(),
            Err(Error::InvalidGrid { .. })
        ));
    }

    #[test]
    fn grid_expands_in_order_and_char_wb_follows_the_main_part() {
        let grid: Grid = ["char-wb=none:2,5", "min-df=1,2"]
            .iter()
            .map(|s| s.parse())
            .collect::<Result<_, _>>()
            .unwrap();
        let cs = grid.expand(&Config::default()).unwrap();
        let names: Vec<String> = cs
            .iter()
            .map(|c| {
                c.settings
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(
            names,
            [
                "char-wb=none min-df=1",
                "char-wb=none min-df=2",
                "char-wb=2,5 min-df=1",
                "char-wb=2,5 min-df=2"
            ]
        );
        // The char_wb block shares min_df with the main part, whatever the order of the axes.
        let parts = cs[3].config.features.parts();
        assert_eq!(parts[1].min_df, DocFreq::Count(2));
        assert_eq!(parts[1].analyzer.ngram_range, (2, 5));
    }

    #[test]
    fn every_key_round_trips_through_display() {
        let values = [
            "c=0.5",
            "class-weight=balanced",
            "max-iter=10",
            "tol=0.001",
            "analyzer=char_wb",
            "ngram-range=1,3",
            "char-wb=none",
            "min-df=2",
            "max-df=0.9",
            "max-features=100",
            "sublinear-tf=true",
            "norm=none",
            "nb=false",
            "stem=russian",
            "stop-words=english",
            "lowercase=false",
            "strip-accents=unicode",
            "token-pattern=\\w+",
        ];
        assert_eq!(values.len(), GridKey::ALL.len());
        for v in values {
            let s: Setting = v.parse().unwrap();
            assert_eq!(s.to_string(), v);
        }
    }

    #[test]
    fn feature_spec_reads_the_old_list_of_parts() {
        let spec = Preset::Best.config().features;
        let old = serde_json::to_string(&spec.parts()).unwrap();
        let back: FeatureSpec = serde_json::from_str(&old).unwrap();
        assert_eq!(back, spec);
        let new = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<FeatureSpec>(&new).unwrap(), spec);
        let mut bad = spec.parts();
        bad[1].min_df = DocFreq::Count(9);
        assert!(FeatureSpec::from_parts(&bad).is_err());
    }
}
