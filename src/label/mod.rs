//! The labelling loop: what to label next ([`suggest`]) and how much coders agree
//! ([`agree`]).
//!
//! The loop: split articles into sentences → label a first sample (two coders) → measure
//! their agreement → train → suggest the sentences to label next → label → retrain.

pub mod agree;
pub mod suggest;

pub use agree::{AgreeOptions, Coding, ColumnAgreement};
pub use suggest::{Exclude, Strategy, SuggestOptions, Suggester, Suggestion};
