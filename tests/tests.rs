//! All integration tests, compiled into one binary.

/// Helpers: a temporary work directory that runs the binary.
mod util;

/// Bad input and bad usage: exit codes and messages.
mod cli_errors;
/// train → inspect → score → report through the binary.
mod cli_end_to_end;
/// The logistic regression against linfa-logistic.
mod linfa_reference;
/// TF-IDF against scikit-learn.
mod sklearn_tfidf;
mod probe;
