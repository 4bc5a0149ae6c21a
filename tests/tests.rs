//! All integration tests, compiled into one binary.
#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a test failure

/// Helpers: a temporary work directory that runs the binary.
mod util;

/// Tests on BABE (need ../shared).
mod babe;
/// train → inspect → score → report through the binary.
mod cli_end_to_end;
/// Bad input and bad usage: exit codes and messages.
mod cli_errors;
/// Regressions of issue 11: hostile input, each with its fix.
mod hardening;
/// The labelling loop: agree against its references, suggest end to end.
mod label_loop;
/// train → score → report in memory, from Rust.
mod library_pipeline;
/// The logistic regression against linfa-logistic.
mod linfa_reference;
/// Issue 14: partial reports merge exactly (random splits, any order, mismatches refused).
mod partial_report;
/// Regressions of issue 7 and the command-line additions it asked for.
mod regression;
/// score/split/demo --keep, reports from JSON Lines, help of score/report/split/demo.
mod score_report;
/// The sentence splitter: Golden Rules, exact reconstruction, languages, linear work.
mod sentences;
/// The shipped labels, codebook and models fit together.
mod shipped;
/// TF-IDF against scikit-learn.
mod sklearn_tfidf;
/// insta snapshots: every --help, the Markdown report, the eval tables.
mod snapshots;
/// Issue 14: score - as a streaming stage (Spark): JSON Lines in and out, error records.
mod spark_stage;
/// Issue 12: compact and gzip model files.
mod speed;
/// Issue 12: one large plain text is read in parts and gives the rows of the whole text.
mod streaming;
