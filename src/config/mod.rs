//! The recipe: feature parts, classifier parameters, presets, and typed grid keys.

/// A setting that can be searched in a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridKey {}

impl GridKey {
    /// Every key's name.
    pub const NAMES: [&'static str; 0] = [];
}
