//! Classification metrics, with scikit-learn's definitions.

use serde::{Deserialize, Serialize};

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// The class.
    pub class: String,
    /// TP / (TP + FP); 0 when nothing was predicted as this class (scikit-learn's zero_division=0).
    pub precision: f64,
    /// TP / (TP + FN).
    pub recall: f64,
    /// Harmonic mean of precision and recall; 0 when both are 0.
    pub f1: f64,
    /// Gold rows of this class.
    pub support: usize,
}

/// Metrics of a set of predictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Rows evaluated.
    pub n: usize,
    /// Share of rows predicted correctly.
    pub accuracy: f64,
    /// Unweighted mean of the per-class F1 (scikit-learn's `f1_score(average="macro")`).
    pub macro_f1: f64,
    /// Support-weighted mean of the per-class F1.
    pub weighted_f1: f64,
    /// Mean F1 over the classes named with `--f-avg` (the SemEval stance metric), if any.
    pub f_avg: Option<f64>,
    /// Mean negative log-probability of the gold class (probabilities clipped to 1e-15).
    pub log_loss: f64,
    /// Mean over rows of Σₖ (pₖ − yₖ)² (for two classes, twice scikit-learn's `brier_score_loss`).
    pub brier: f64,
    /// Per class, in class order.
    pub per_class: Vec<ClassMetrics>,
    /// `confusion[gold][predicted]`.
    pub confusion: Vec<Vec<usize>>,
}

/// Index of the largest probability (the first on ties).
pub fn argmax(p: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in p.iter().enumerate() {
        if *v > p[best] {
            best = i;
        }
    }
    best
}

/// Computes metrics from gold class indices and predicted probabilities.
/// `f_avg` lists class indices to average F1 over.
pub fn compute(classes: &[String], gold: &[usize], proba: &[Vec<f64>], f_avg: &[usize]) -> Metrics {
    let k = classes.len();
    let mut confusion = vec![vec![0usize; k]; k];
    let mut log_loss = 0.0;
    let mut brier = 0.0;
    for (g, p) in gold.iter().zip(proba) {
        confusion[*g][argmax(p)] += 1;
        log_loss -= p[*g].clamp(1e-15, 1.0).ln();
        brier += p
            .iter()
            .enumerate()
            .map(|(c, v)| (v - if c == *g { 1.0 } else { 0.0 }).powi(2))
            .sum::<f64>();
    }
    let n = gold.len();
    let per_class: Vec<ClassMetrics> = (0..k)
        .map(|c| {
            let tp = confusion[c][c] as f64;
            let predicted: usize = (0..k).map(|g| confusion[g][c]).sum();
            let support: usize = confusion[c].iter().sum();
            let precision = if predicted == 0 {
                0.0
            } else {
                tp / predicted as f64
            };
            let recall = if support == 0 {
                0.0
            } else {
                tp / support as f64
            };
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            ClassMetrics {
                class: classes[c].clone(),
                precision,
                recall,
                f1,
                support,
            }
        })
        .collect();
    let correct: usize = (0..k).map(|c| confusion[c][c]).sum();
    let nf = n.max(1) as f64;
    Metrics {
        n,
        accuracy: correct as f64 / nf,
        macro_f1: per_class.iter().map(|m| m.f1).sum::<f64>() / k.max(1) as f64,
        weighted_f1: per_class
            .iter()
            .map(|m| m.f1 * m.support as f64)
            .sum::<f64>()
            / nf,
        f_avg: if f_avg.is_empty() {
            None
        } else {
            Some(f_avg.iter().map(|&c| per_class[c].f1).sum::<f64>() / f_avg.len() as f64)
        },
        log_loss: log_loss / nf,
        brier: brier / nf,
        per_class,
        confusion,
    }
}

/// Mean and standard deviation (population, ddof = 0, as `numpy.std`).
pub fn mean_std(xs: &[f64]) -> (f64, f64) {
    if xs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64;
    (m, v.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scikit_learn() {
        // y_true = [0,0,0,1,1,2], y_pred = [0,1,0,1,2,2]
        // sklearn: f1_score(average=None) = [0.8, 0.5, 0.6667]; macro 0.65556; weighted 0.67778
        let classes: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let gold = [0, 0, 0, 1, 1, 2];
        let pred = [0, 1, 0, 1, 2, 2];
        let proba: Vec<Vec<f64>> = pred
            .iter()
            .map(|&p| (0..3).map(|c| if c == p { 0.8 } else { 0.1 }).collect())
            .collect();
        let m = compute(&classes, &gold, &proba, &[0, 2]);
        let f1: Vec<f64> = m.per_class.iter().map(|c| c.f1).collect();
        assert!(
            (f1[0] - 0.8).abs() < 1e-12
                && (f1[1] - 0.5).abs() < 1e-12
                && (f1[2] - 2.0 / 3.0).abs() < 1e-12
        );
        assert!((m.macro_f1 - 0.655_555_555_555_555_6).abs() < 1e-12);
        assert!((m.weighted_f1 - 0.677_777_777_777_777_8).abs() < 1e-12);
        assert!((m.accuracy - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!(m.f_avg, Some((0.8 + 2.0 / 3.0) / 2.0));
        assert_eq!(
            m.confusion,
            vec![vec![2, 1, 0], vec![0, 1, 1], vec![0, 0, 1]]
        );
        // log loss: sklearn log_loss(gold, proba) = -(4 ln 0.8 + 2 ln 0.1) / 6
        assert!((m.log_loss - (-(4.0 * 0.8f64.ln() + 2.0 * 0.1f64.ln()) / 6.0)).abs() < 1e-12);
        // Brier: correct rows 0.04+0.01+0.01, wrong rows 0.64+0.81+0.01
        assert!((m.brier - (4.0 * 0.06 + 2.0 * 1.46) / 6.0).abs() < 1e-12);
    }

    #[test]
    fn mean_std_population() {
        assert_eq!(mean_std(&[1.0, 3.0]), (2.0, 1.0));
    }
}
