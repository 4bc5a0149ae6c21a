//! What a report needs from training to correct label shares for the classifier's errors.
//!
//! [`QuantifyStats`] is stored in the model (field `quantify`, absent in older models): the
//! training prior, the out-of-fold probabilities of the cross-validation grouped by gold class
//! (from which the report computes the confusion rates of adjusted count and its probabilistic
//! version, and resamples them for its intervals), and compact hashes of the normalised
//! training texts (to warn when scored sentences were in the training data).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Decimals kept of each stored out-of-fold probability.
const DECIMALS: f64 = 1e4;

/// Confusion rates `(hard, soft)`, each `[gold][pred]`; see [`QuantifyStats::rates_with`].
pub type Rates = (Vec<Vec<f64>>, Vec<Vec<f64>>);

/// Training statistics for quantification, stored in the model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuantifyStats {
    /// Share of each class in the training rows, in model class order.
    pub train_prior: Vec<f64>,
    /// Out-of-fold class probabilities of the cross-validation, `oof[gold][row][class]`,
    /// rounded to 4 decimals; empty when the model was trained without cross-validation.
    #[serde(default)]
    pub oof: Vec<Vec<Vec<f64>>>,
    /// [`text_hash`] of every training text, sorted and deduplicated.
    #[serde(default)]
    pub text_hashes: Vec<u32>,
}

/// A 32-bit hash of a text after normalisation (lowercase, whitespace runs collapsed, trimmed):
/// the first 4 bytes of its SHA-256, big-endian. Collisions are rare (about 1 in 4 billion per
/// pair), enough for a warning.
pub fn text_hash(text: &str) -> u32 {
    let norm = text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    let d = Sha256::digest(norm.as_bytes());
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

impl QuantifyStats {
    /// Builds the statistics from the training texts, their class indices `y` (of `k`
    /// classes) and, when cross-validated, the out-of-fold probabilities of each row.
    pub fn new(texts: &[String], y: &[usize], k: usize, oof: Option<&[Vec<f64>]>) -> Self {
        let n = y.len().max(1) as f64;
        let mut train_prior = vec![0.0; k];
        for &c in y {
            if c < k {
                train_prior[c] += 1.0 / n;
            }
        }
        let oof = oof.map_or_else(Vec::new, |p| {
            let mut by_class = vec![Vec::new(); k];
            for (&c, row) in y.iter().zip(p) {
                if c < k && row.len() == k {
                    by_class[c].push(
                        row.iter()
                            .map(|v| (v * DECIMALS).round() / DECIMALS)
                            .collect(),
                    );
                }
            }
            by_class
        });
        let mut text_hashes: Vec<u32> = texts.iter().map(|t| text_hash(t)).collect();
        text_hashes.sort_unstable();
        text_hashes.dedup();
        QuantifyStats {
            train_prior,
            oof,
            text_hashes,
        }
    }

    /// Whether `text` (after normalisation) was a training text.
    pub fn in_training(&self, text: &str) -> bool {
        self.text_hashes.binary_search(&text_hash(text)).is_ok()
    }

    /// Whether the out-of-fold probabilities cover every class.
    pub fn has_rates(&self) -> bool {
        !self.oof.is_empty() && self.oof.iter().all(|rows| !rows.is_empty())
    }

    /// Confusion rates from the out-of-fold rows (all of them, or the rows `pick` selects per
    /// class): `hard[gold][pred]` is the share of gold rows predicted `pred` (highest
    /// probability), `soft[gold][pred]` their mean probability of `pred`. `None` without rates.
    pub fn rates_with(&self, mut pick: impl FnMut(usize, usize) -> usize) -> Option<Rates> {
        if !self.has_rates() {
            return None;
        }
        let k = self.oof.len();
        let mut hard = vec![vec![0.0; k]; k];
        let mut soft = vec![vec![0.0; k]; k];
        for (g, rows) in self.oof.iter().enumerate() {
            let m = rows.len();
            for i in 0..m {
                let row = &rows[pick(g, i) % m];
                hard[g][argmax(row)] += 1.0 / m as f64;
                for (s, p) in soft[g].iter_mut().zip(row) {
                    *s += p / m as f64;
                }
            }
        }
        Some((hard, soft))
    }

    /// [`rates_with`](QuantifyStats::rates_with) over every row once.
    pub fn rates(&self) -> Option<Rates> {
        self.rates_with(|_, i| i)
    }
}

/// Index of the largest value (the first on ties), as the classifier predicts.
pub fn argmax(p: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in p.iter().enumerate() {
        if *v > p[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_from_training_rows() {
        let texts: Vec<String> = ["A  b", "c", "a b"].iter().map(|s| s.to_string()).collect();
        let y = [0, 1, 0];
        let oof = vec![vec![0.8, 0.2], vec![0.3, 0.7], vec![0.4, 0.6]];
        let q = QuantifyStats::new(&texts, &y, 2, Some(&oof));
        assert!((q.train_prior[0] - 2.0 / 3.0).abs() < 1e-12);
        // "A  b" and "a b" normalise to the same text.
        assert_eq!(q.text_hashes.len(), 2);
        assert!(q.in_training(" a   B "));
        assert!(!q.in_training("d"));
        let (hard, soft) = q.rates().unwrap();
        assert_eq!(hard, vec![vec![0.5, 0.5], vec![0.0, 1.0]]);
        assert!((soft[0][0] - 0.6).abs() < 1e-12 && (soft[1][1] - 0.7).abs() < 1e-12);
        let q = QuantifyStats::new(&texts, &y, 2, None);
        assert!(q.rates().is_none());
    }
}
