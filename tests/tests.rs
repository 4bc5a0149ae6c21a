//! All integration tests, compiled into one binary.

mod sklearn_tfidf;
