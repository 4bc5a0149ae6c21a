//! Probability calibration fitted on out-of-fold predictions, and its measure (expected
//! calibration error with a reliability table).
//!
//! The calibration rescales the classifier's log-probabilities: `p'ₖ ∝ exp(a · ln pₖ + bₖ)`
//! with `b₀ = 0`. With two classes this is Platt scaling of the margin
//! (`p'₁ = σ(a · z + b₁)`, z the linear model's logit); with three or more it is temperature
//! scaling (`a = 1/T`) plus a bias per class. `a` and `b` minimise the log-loss of the
//! out-of-fold probabilities (Newton's method; the problem is convex), so class weights or
//! naive-Bayes scaling that push probabilities away from the observed frequencies are undone.

use serde::{Deserialize, Serialize};

use crate::Error;

/// A fitted calibration: `p'ₖ ∝ exp(slope · ln pₖ + bias[k])`, `bias[0] = 0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Multiplier of every log-probability (1/temperature).
    pub slope: f64,
    /// Added to each class's scaled log-probability, in class order; the first is 0.
    pub bias: Vec<f64>,
}

/// Log-probabilities are floored at this before scaling (a probability of exactly 0).
const LN_FLOOR: f64 = -700.0;

impl Calibration {
    /// The identity calibration for `k` classes.
    pub fn identity(k: usize) -> Calibration {
        Calibration {
            slope: 1.0,
            bias: vec![0.0; k],
        }
    }

    /// Calibrates logits in place and turns them into probabilities: `l` are any numbers whose
    /// softmax is the uncalibrated probability (log-probabilities, or `[0, z]` for a binary
    /// margin z).
    pub fn logits_to_proba(&self, l: &mut [f64]) {
        for (v, b) in l.iter_mut().zip(&self.bias) {
            *v = self.slope * v.max(LN_FLOOR) + b;
        }
        softmax(l);
    }

    /// Calibrates one probability vector in place.
    pub fn apply(&self, p: &mut [f64]) {
        for v in p.iter_mut() {
            *v = if *v > 0.0 { v.ln() } else { LN_FLOOR };
        }
        self.logits_to_proba(p);
    }

    /// Checks the calibration against the number of classes.
    pub fn validate(&self, k: usize) -> Result<(), Error> {
        if self.bias.len() != k {
            return Err(Error::inconsistent(
                "model",
                format!(
                    "the calibration has {} biases for {k} classes",
                    self.bias.len()
                ),
            ));
        }
        if !self.slope.is_finite() || self.bias.iter().any(|b| !b.is_finite()) {
            return Err(Error::inconsistent(
                "model",
                "a calibration parameter is not a finite number",
            ));
        }
        Ok(())
    }

    /// Fits the calibration to probabilities `proba` (rows) and gold class indices `gold` by
    /// minimising the log-loss. Needs at least two classes; a class absent from `gold` gets a
    /// large negative bias (kept finite by a tiny ridge penalty on the biases). With
    /// `with_bias = false` only the slope is fitted (temperature scaling), which never changes
    /// which class is most probable.
    pub fn fit(proba: &[Vec<f64>], gold: &[usize], with_bias: bool) -> Result<Calibration, Error> {
        let k = proba.first().map_or(0, Vec::len);
        if k < 2 || proba.len() != gold.len() || gold.iter().any(|&g| g >= k) {
            return Err(Error::inconsistent(
                "calibration",
                format!(
                    "{} probability rows of {k} classes for {} gold labels",
                    proba.len(),
                    gold.len()
                ),
            ));
        }
        let logp: Vec<Vec<f64>> = proba
            .iter()
            .map(|p| {
                p.iter()
                    .map(|&v| if v > 0.0 { v.ln() } else { LN_FLOOR })
                    .collect()
            })
            .collect();
        // θ = (a, b₁ … b_{k−1}); the row's logit of class c is a·lₖ + b_c.
        let dim = if with_bias { k } else { 1 };
        const RIDGE: f64 = 1e-8;
        let n = gold.len() as f64;
        let eval = |theta: &[f64], want_hess: bool| -> (f64, Vec<f64>, Vec<f64>) {
            let mut f = 0.0;
            let mut g = vec![0.0; dim];
            let mut h = vec![0.0; if want_hess { dim * dim } else { 0 }];
            let mut z = vec![0.0; k];
            let mut x = vec![vec![0.0; dim]; k];
            for (l, &y) in logp.iter().zip(gold) {
                for c in 0..k {
                    x[c].iter_mut().for_each(|v| *v = 0.0);
                    x[c][0] = l[c];
                    if c > 0 && c < dim {
                        x[c][c] = 1.0;
                    }
                    z[c] = theta[0] * l[c] + if c > 0 && c < dim { theta[c] } else { 0.0 };
                }
                let lse = log_sum_exp(&z);
                f += lse - z[y];
                let p: Vec<f64> = z.iter().map(|v| (v - lse).exp()).collect();
                let mut mean = vec![0.0; dim];
                for c in 0..k {
                    for j in 0..dim {
                        mean[j] += p[c] * x[c][j];
                    }
                }
                for j in 0..dim {
                    g[j] += mean[j] - x[y][j];
                }
                if want_hess {
                    for c in 0..k {
                        for i in 0..dim {
                            for j in 0..dim {
                                h[i * dim + j] += p[c] * x[c][i] * x[c][j];
                            }
                        }
                    }
                    for i in 0..dim {
                        for j in 0..dim {
                            h[i * dim + j] -= mean[i] * mean[j];
                        }
                    }
                }
            }
            f /= n;
            g.iter_mut().for_each(|v| *v /= n);
            h.iter_mut().for_each(|v| *v /= n);
            for j in 1..dim {
                f += 0.5 * RIDGE * theta[j] * theta[j];
                g[j] += RIDGE * theta[j];
                if want_hess {
                    h[j * dim + j] += RIDGE;
                }
            }
            (f, g, h)
        };
        let mut theta = vec![0.0; dim];
        theta[0] = 1.0;
        let (mut f, mut g, mut h) = eval(&theta, true);
        for _ in 0..100 {
            let gnorm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
            if gnorm < 1e-10 {
                break;
            }
            // Newton step, falling back to the gradient if the Hessian is singular.
            let step = solve(&h, &g, dim).unwrap_or_else(|| g.clone());
            let mut t = 1.0;
            let mut improved = false;
            for _ in 0..60 {
                let cand: Vec<f64> = theta.iter().zip(&step).map(|(a, s)| a - t * s).collect();
                let (fc, gc, hc) = eval(&cand, true);
                if fc.is_finite() && fc <= f {
                    theta = cand;
                    (f, g, h) = (fc, gc, hc);
                    improved = true;
                    break;
                }
                t *= 0.5;
            }
            if !improved {
                break;
            }
        }
        let mut bias = vec![0.0; k];
        bias[1..dim].copy_from_slice(&theta[1..]);
        let cal = Calibration {
            slope: theta[0],
            bias,
        };
        cal.validate(k)?;
        Ok(cal)
    }
}

fn log_sum_exp(z: &[f64]) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}

fn softmax(z: &mut [f64]) {
    let lse = log_sum_exp(z);
    z.iter_mut().for_each(|v| *v = (*v - lse).exp());
}

/// Solves `h · x = g` (h row-major, `dim × dim`) by Gaussian elimination with partial
/// pivoting; `None` when h is singular.
fn solve(h: &[f64], g: &[f64], dim: usize) -> Option<Vec<f64>> {
    let mut a: Vec<Vec<f64>> = (0..dim)
        .map(|i| {
            let mut row = h[i * dim..(i + 1) * dim].to_vec();
            row.push(g[i]);
            row
        })
        .collect();
    for col in 0..dim {
        let piv = (col..dim).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-14 {
            return None;
        }
        a.swap(col, piv);
        for r in 0..dim {
            if r != col {
                let f = a[r][col] / a[col][col];
                let pivot_row = a[col].clone();
                for (x, p) in a[r].iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    Some((0..dim).map(|i| a[i][dim] / a[i][i]).collect())
}

/// One bin of a reliability table: rows whose top probability falls in `(lower, upper]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lower edge of the bin (exclusive, except 0 for the first).
    pub lower: f64,
    /// Upper edge (inclusive).
    pub upper: f64,
    /// Rows in the bin.
    pub n: usize,
    /// Mean top probability of those rows.
    pub confidence: f64,
    /// Share of those rows whose top class is the gold class.
    pub accuracy: f64,
}

/// Expected calibration error of the top-class probability, with its reliability table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationError {
    /// `Σ_bins n_b/N · |accuracy_b − confidence_b|` over equal-width bins.
    pub ece: f64,
    /// The non-empty bins, in order.
    pub bins: Vec<ReliabilityBin>,
}

/// Number of equal-width bins of [`expected_calibration_error`].
pub const ECE_BINS: usize = 10;

/// Expected calibration error (Guo et al. 2017) of the top-class probability over
/// [`ECE_BINS`] equal-width bins of `(0, 1]`, and the reliability table.
pub fn expected_calibration_error(proba: &[Vec<f64>], gold: &[usize]) -> CalibrationError {
    let mut n = [0usize; ECE_BINS];
    let mut conf = [0.0f64; ECE_BINS];
    let mut hits = [0usize; ECE_BINS];
    for (p, &g) in proba.iter().zip(gold) {
        let top = crate::eval::argmax(p);
        let c = p.get(top).copied().unwrap_or(0.0);
        let b = ((c * ECE_BINS as f64).ceil() as usize).clamp(1, ECE_BINS) - 1;
        n[b] += 1;
        conf[b] += c;
        hits[b] += usize::from(top == g);
    }
    let total = gold.len().max(1) as f64;
    let mut ece = 0.0;
    let mut bins = Vec::new();
    for b in 0..ECE_BINS {
        if n[b] == 0 {
            continue;
        }
        let m = n[b] as f64;
        let (confidence, accuracy) = (conf[b] / m, hits[b] as f64 / m);
        ece += m / total * (accuracy - confidence).abs();
        bins.push(ReliabilityBin {
            lower: b as f64 / ECE_BINS as f64,
            upper: (b + 1) as f64 / ECE_BINS as f64,
            n: n[b],
            confidence,
            accuracy,
        });
    }
    CalibrationError { ece, bins }
}

/// Out-of-fold probabilities calibrated by cross-fitting: each fold's rows are calibrated by a
/// calibration fitted on the other folds' rows, so the result measures the calibration on rows
/// it was not fitted on. Folds whose complement has fewer than two classes are left as they are.
pub fn cross_fit(
    proba: &[Vec<f64>],
    gold: &[usize],
    fold_of: &[usize],
    with_bias: bool,
) -> Vec<Vec<f64>> {
    let folds = fold_of.iter().copied().max().map_or(0, |m| m + 1);
    let mut out = proba.to_vec();
    for f in 0..folds {
        let rows: Vec<usize> = (0..proba.len()).filter(|&i| fold_of[i] != f).collect();
        let p: Vec<Vec<f64>> = rows.iter().map(|&i| proba[i].clone()).collect();
        let g: Vec<usize> = rows.iter().map(|&i| gold[i]).collect();
        if let Ok(cal) = Calibration::fit(&p, &g, with_bias) {
            for (i, row) in out.iter_mut().enumerate() {
                if fold_of[i] == f {
                    cal.apply(row);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// A known miscalibrated case: the true probability of class 1 is σ(z), but the model
    /// reports σ(3z + 1) (overconfident and shifted, as class weights and naive-Bayes scaling
    /// do). The fitted calibration must recover slope 1/3 and bias −1/3, and bring the ECE
    /// down to sampling noise.
    #[test]
    fn recovers_a_known_distortion() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
        let mut proba = Vec::new();
        let mut gold = Vec::new();
        for _ in 0..3000 {
            let z: f64 = rng.gen_range(-3.0..3.0);
            let y = usize::from(rng.gen::<f64>() < sigmoid(z));
            let q = sigmoid(3.0 * z + 1.0);
            proba.push(vec![1.0 - q, q]);
            gold.push(y);
        }
        let before = expected_calibration_error(&proba, &gold).ece;
        let cal = Calibration::fit(&proba, &gold, true).unwrap();
        assert!((cal.slope - 1.0 / 3.0).abs() < 0.05, "{cal:?}");
        assert!((cal.bias[1] + 1.0 / 3.0).abs() < 0.08, "{cal:?}");
        let after: Vec<Vec<f64>> = proba
            .iter()
            .map(|p| {
                let mut p = p.clone();
                cal.apply(&mut p);
                p
            })
            .collect();
        let after = expected_calibration_error(&after, &gold).ece;
        assert!(before > 0.08, "{before}");
        assert!(after < 0.03, "{after}");
        // Already calibrated probabilities are left (almost) as they are.
        let honest: Vec<Vec<f64>> = proba
            .iter()
            .map(|p| {
                let z = ((p[1] / p[0]).ln() - 1.0) / 3.0;
                vec![1.0 - sigmoid(z), sigmoid(z)]
            })
            .collect();
        let id = Calibration::fit(&honest, &gold, true).unwrap();
        assert!(
            (id.slope - 1.0).abs() < 0.12 && id.bias[1].abs() < 0.12,
            "{id:?}"
        );
    }

    /// Temperature only: probabilities reported as softmax(2.5·l) of the true logits l of three
    /// classes are scaled back by a slope of 1/2.5, and no prediction changes.
    #[test]
    fn temperature_scaling_recovers_an_overconfident_model() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let mut proba = Vec::new();
        let mut gold = Vec::new();
        for _ in 0..3000 {
            let l: Vec<f64> = (0..3).map(|_| rng.gen_range(-2.0..2.0)).collect();
            let mut truth = l.clone();
            softmax(&mut truth);
            let u: f64 = rng.gen();
            let y = if u < truth[0] {
                0
            } else if u < truth[0] + truth[1] {
                1
            } else {
                2
            };
            let mut q: Vec<f64> = l.iter().map(|v| 2.5 * v).collect();
            softmax(&mut q);
            proba.push(q);
            gold.push(y);
        }
        let cal = Calibration::fit(&proba, &gold, false).unwrap();
        assert!((cal.slope - 0.4).abs() < 0.05, "{cal:?}");
        assert_eq!(cal.bias, vec![0.0; 3]);
        let before = expected_calibration_error(&proba, &gold).ece;
        let after: Vec<Vec<f64>> = proba
            .iter()
            .map(|p| {
                let mut c = p.clone();
                cal.apply(&mut c);
                assert_eq!(crate::eval::argmax(&c), crate::eval::argmax(p));
                c
            })
            .collect();
        let after = expected_calibration_error(&after, &gold).ece;
        assert!(before > 0.1 && after < 0.03, "{before} -> {after}");
    }

    #[test]
    fn binary_margin_and_probabilities_agree() {
        let cal = Calibration {
            slope: 0.5,
            bias: vec![0.0, 0.3],
        };
        let z: f64 = 1.7;
        let p1 = 1.0 / (1.0 + (-z).exp());
        let mut p = vec![1.0 - p1, p1];
        cal.apply(&mut p);
        let mut l = vec![0.0, z];
        cal.logits_to_proba(&mut l);
        let want = 1.0 / (1.0 + (-(0.5 * z + 0.3)).exp());
        assert!((p[1] - want).abs() < 1e-12 && (l[1] - want).abs() < 1e-12);
    }

    /// scikit-learn `LogisticRegression(penalty=None)` on the feature ln(p₁/p₀) (binary) and
    /// scipy's BFGS on the same log-loss (3 classes): `scripts/calibration_reference.py`.
    #[test]
    fn matches_the_reference_fits() {
        let fx: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/calibration.json")).unwrap();
        for case in fx["cases"].as_array().unwrap() {
            let proba: Vec<Vec<f64>> = serde_json::from_value(case["proba"].clone()).unwrap();
            let gold: Vec<usize> = serde_json::from_value(case["gold"].clone()).unwrap();
            let cal = Calibration::fit(&proba, &gold, true).unwrap();
            let slope = case["slope"].as_f64().unwrap();
            let bias: Vec<f64> = serde_json::from_value(case["bias"].clone()).unwrap();
            assert!((cal.slope - slope).abs() < 1e-4, "{cal:?} vs {slope}");
            for (a, b) in cal.bias.iter().zip(&bias) {
                assert!((a - b).abs() < 1e-4, "{cal:?} vs {bias:?}");
            }
            let ece = expected_calibration_error(&proba, &gold).ece;
            assert!((ece - case["ece"].as_f64().unwrap()).abs() < 1e-12, "{ece}");
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(Calibration::fit(&[vec![1.0]], &[0], true).is_err());
        assert!(Calibration::fit(&[vec![0.5, 0.5]], &[2], false).is_err());
        assert!(Calibration::identity(3).validate(2).is_err());
    }
}
