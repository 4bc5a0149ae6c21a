//! framelens: measure how news outlets frame a conflict.
//!
//! Data flows text → sentences → tokens → vectors → scores → report, one module a step:
//! [`text`] (sentences, tokens, n-grams), [`features`] (TF-IDF), [`model`] (logistic
//! regression, model files), [`score`] (streaming scoring), [`report`] (per-outlet summaries).
#![deny(missing_docs)]

pub mod config;
pub mod data;
pub mod error;
pub mod eval;
pub mod features;
pub mod io;
pub mod model;
pub mod report;
pub mod score;
pub mod text;

pub use error::{Error, Result};
