//! framelens: measure how news outlets frame a conflict.
//!
//! Hand-label sentences in a CSV, train a classifier on them, score articles sentence by
//! sentence, and compare outlets — from the command line (`framelens`) or from Rust. The
//! command line is a thin layer over this library: everything it does is callable here.
//!
//! # Train → score → report in memory
//!
//! ```
//! use framelens::{CsvOptions, Document, LabelSpec, LabelledData, NamedModel, Preset, Recipe};
//! use framelens::{Report, ReportFormat, ReportOptions, Scorer, TrainOptions};
//!
//! let spec = LabelSpec::new("text", "stance").skip_label("No agreement");
//! let data = LabelledData::read("tests/fixtures/labels_small.csv".as_ref(), &spec, &CsvOptions::default())?;
//! let config = Recipe::new(Preset::Default).set("c", "2")?.build()?;
//! let stance = framelens::model::train(&data, &config, &TrainOptions::default())?;
//!
//! let mut scorer = Scorer::new(&[NamedModel::new("stance", stance)])?;
//! let docs = [Document::new("guardian", "a1", "Russian aggression continued. Talks are frozen."),
//!             Document::new("inosmi", "b1", "NATO provocation is growing!")];
//! let rows: Vec<_> = docs.iter().flat_map(|d| scorer.score_document(d)).collect();
//! assert_eq!(rows[2].predictions[0].label, "pro_kremlin");
//!
//! let report = Report::from_rows(&scorer.columns(), &rows, &ReportOptions::default())?;
//! print!("{}", framelens::report::render(&report, ReportFormat::Markdown));
//! # Ok::<(), framelens::Error>(())
//! ```
//!
//! # Module map
//!
//! Data flows text → sentences → tokens → vectors → scores → report, one module a step:
//!
//! | module | role |
//! |---|---|
//! | [`data`] | labelled CSV files ([`LabelledData`], [`LabelSpec`], [`data::Filter`]) and tables of texts |
//! | [`text`] | sentences (the splitter), tokens, stop words, Snowball stemming, n-grams |
//! | [`features`] | TF-IDF parts with scikit-learn's formulas, naive-Bayes scaling, sparse rows |
//! | [`config`] | the recipe: [`Config`], [`FeatureSpec`](config::FeatureSpec), [`Preset`], [`Recipe`], typed grid keys and [`Grid`] |
//! | [`model`] | the sparse logistic regression, [`model::train`], model files, linfa's `Fit`/`Predict` |
//! | [`eval`] | stratified cross-validation, grid [`eval::search`], held-out evaluation, learning curves, metrics |
//! | [`score`] | [`Scorer`] → [`ScoredSentence`] values in memory; the scores-table columns ([`ScoreColumns`]); CSV/JSONL sinks and streaming over files |
//! | [`report`] | per-outlet shares with intervals and a test of difference ([`Report`]); Markdown, CSV, JSON |
//! | [`label`] | the labelling loop: what to label next ([`label::suggest`]), coder agreement ([`label::agree`]) |
//! | [`io`] | atomic output files |
//! | [`error`] | the crate's one [`Error`] |
#![deny(missing_docs)]

pub mod config;
pub mod data;
pub mod error;
pub mod eval;
pub mod features;
pub mod io;
pub mod label;
pub mod model;
pub mod report;
pub mod score;
pub mod text;

pub use config::{Config, Grid, Preset, Recipe};
pub use data::{CsvOptions, LabelSpec, LabelledData};
pub use error::{Error, Result};
pub use eval::{Search, SearchOptions, SearchResult};
pub use model::{Model, TrainOptions};
pub use report::{Report, ReportFormat, ReportOptions};
pub use score::{Document, NamedModel, ScoreColumns, ScoredSentence, Scorer};
