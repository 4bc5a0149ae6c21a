//! A stance index per group: the mean over sentences of P(pro) − P(anti), in [−1, 1], with a
//! seeded cluster-bootstrap interval (documents resampled).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::estimate::{quantile, Documents, BOOTSTRAP, MIN_DOCUMENTS};

/// A group's stance index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StanceIndex {
    /// The label counted positively.
    pub pro: String,
    /// The label counted negatively.
    pub anti: String,
    /// Mean of P(pro) − P(anti) over the group's sentences.
    pub value: f64,
    /// Lower bound of the 95% percentile interval; `None` with fewer than 3 documents.
    pub ci_low: Option<f64>,
    /// Upper bound.
    pub ci_high: Option<f64>,
}

/// Parses the labels of a stance index, `PRO,ANTI`.
pub fn parse_labels(s: &str) -> Result<(String, String), crate::Error> {
    match s.split_once(',') {
        Some((p, n)) if !p.trim().is_empty() && !n.trim().is_empty() && !n.contains(',') => {
            Ok((p.trim().to_string(), n.trim().to_string()))
        }
        _ => Err(crate::Error::setting(
            "stance index",
            s.to_string(),
            "two labels, PRO,ANTI",
        )),
    }
}

fn mean_index(docs: &[&Vec<Vec<f64>>], pro: usize, anti: usize) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for d in docs {
        for p in d.iter() {
            sum += p[pro] - p[anti];
            n += 1;
        }
    }
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// The index of `docs` for classes `pro` and `anti` (indices into each probability vector).
pub fn stance_index(
    docs: &Documents,
    pro: (usize, &str),
    anti: (usize, &str),
    seed: u64,
) -> StanceIndex {
    let docs: Vec<&Vec<Vec<f64>>> = docs.iter().filter(|d| !d.is_empty()).collect();
    let value = mean_index(&docs, pro.0, anti.0);
    let m = docs.len();
    let interval = (m >= MIN_DOCUMENTS).then(|| {
        // Each document's (sum of pro − anti, sentences): a replicate adds them up.
        let sums: Vec<(f64, usize)> = docs
            .iter()
            .map(|d| {
                let s = d.iter().map(|p| p[pro.0] - p[anti.0]).sum::<f64>();
                (s, d.len())
            })
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut reps: Vec<f64> = (0..BOOTSTRAP)
            .map(|_| {
                let (mut sum, mut n) = (0.0, 0usize);
                for _ in 0..m {
                    let (s, k) = sums[rng.gen_range(0..m)];
                    sum += s;
                    n += k;
                }
                sum / n.max(1) as f64
            })
            .collect();
        reps.sort_by(f64::total_cmp);
        (quantile(&reps, 0.025), quantile(&reps, 0.975))
    });
    StanceIndex {
        pro: pro.1.to_string(),
        anti: anti.1.to_string(),
        value,
        ci_low: interval.map(|i| i.0),
        ci_high: interval.map(|i| i.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_as_two_names() {
        assert_eq!(
            parse_labels(" pro , anti").unwrap(),
            ("pro".to_string(), "anti".to_string())
        );
        for bad in ["pro", "pro,", ",anti", "a,b,c"] {
            assert!(parse_labels(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn index_is_the_mean_difference_with_a_seeded_interval() {
        // Three classes: anti, neutral, pro.
        let doc = |rows: &[[f64; 3]]| rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>();
        let docs = vec![
            doc(&[[0.1, 0.2, 0.7], [0.2, 0.2, 0.6]]),
            doc(&[[0.6, 0.3, 0.1]]),
            doc(&[[0.3, 0.3, 0.4], [0.1, 0.1, 0.8]]),
            doc(&[[0.5, 0.4, 0.1]]),
        ];
        let s = stance_index(&docs, (2, "pro"), (0, "anti"), 3);
        // (0.6 + 0.4 − 0.5 + 0.1 + 0.7 − 0.4) / 6
        assert!((s.value - 0.15).abs() < 1e-12, "{s:?}");
        let (lo, hi) = (s.ci_low.unwrap(), s.ci_high.unwrap());
        assert!(
            lo < s.value && s.value < hi && lo >= -1.0 && hi <= 1.0,
            "{s:?}"
        );
        assert_eq!(s, stance_index(&docs, (2, "pro"), (0, "anti"), 3));
        let two = stance_index(&docs[..2], (2, "pro"), (0, "anti"), 3);
        assert!(two.ci_low.is_none() && two.ci_high.is_none());
    }
}
