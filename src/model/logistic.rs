//! Logistic regression on a sparse (CSR) matrix, minimised with argmin's L-BFGS.
//!
//! Objective (scikit-learn's, up to a constant factor): `0.5·‖w‖² + C·Σᵢ sᵢ·lossᵢ`, the intercept
//! not penalised, where `sᵢ` is the class weight of row i. Binary problems use one weight
//! vector and the sigmoid (class 1 = the second class in sorted order); three or more classes
//! use one weight vector per class and the softmax (multinomial). The solver minimises the
//! objective divided by `C·Σᵢ sᵢ`, so `tol` (on the L2 norm of the gradient) does not depend on
//! the data size.

use std::cell::RefCell;

use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use super::params::{ClassWeight, LogisticValidParams};
use crate::Error;

/// A fitted linear classifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticRegression {
    /// Class labels, sorted.
    pub classes: Vec<String>,
    /// One weight vector for two classes (for `classes[1]`), else one per class.
    pub coef: Vec<Vec<f64>>,
    /// One intercept per weight vector.
    pub intercept: Vec<f64>,
    /// Calibration applied to every probability (fitted on out-of-fold predictions), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<super::Calibration>,
}

/// Why the optimiser stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The gradient norm fell below the tolerance.
    #[default]
    Converged,
    /// The iteration limit (`--max-iter`) was reached.
    MaxIter,
    /// The line search could not lower the objective any further (in floating point the
    /// optimum is reached before the tolerance), or the evaluation budget ran out.
    NoProgress,
}

/// How the optimisation went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitReport {
    /// L-BFGS iterations.
    pub iterations: u64,
    /// Why it stopped.
    #[serde(default)]
    pub stop: StopReason,
    /// Whether the gradient tolerance was reached.
    pub converged: bool,
    /// Final L2 norm of the scaled gradient.
    pub gradient_norm: f64,
    /// Final value of the scaled objective.
    pub objective: f64,
}

impl LogisticRegression {
    /// Number of features (columns) the model expects.
    pub fn n_features(&self) -> usize {
        self.coef.first().map_or(0, Vec::len)
    }

    /// Checks shapes and values after loading.
    pub fn validate(&self, n_features: usize) -> Result<(), Error> {
        let k = self.classes.len();
        let expected = if k == 2 { 1 } else { k };
        if k < 2 || self.coef.len() != expected || self.intercept.len() != expected {
            return Err(Error::inconsistent(
                "model",
                format!(
                    "{k} classes need {expected} weight vectors, found {} and {} intercepts",
                    self.coef.len(),
                    self.intercept.len()
                ),
            ));
        }
        if let Some(cal) = &self.calibration {
            cal.validate(k)?;
        }
        if let Some(bad) = self.coef.iter().find(|c| c.len() != n_features) {
            return Err(Error::inconsistent(
                "model",
                format!(
                    "a weight vector has {} entries for {n_features} features",
                    bad.len()
                ),
            ));
        }
        if self
            .coef
            .iter()
            .flatten()
            .chain(&self.intercept)
            .any(|v| !v.is_finite())
        {
            return Err(Error::inconsistent(
                "model",
                "a weight is not a finite number",
            ));
        }
        Ok(())
    }

    /// Class probabilities of one sparse row, written into `out` (resized to the classes).
    pub fn predict_proba_into(&self, indices: &[u32], values: &[f64], out: &mut Vec<f64>) {
        out.clear();
        let z = |k: usize| -> f64 {
            let w = &self.coef[k];
            self.intercept[k]
                + indices
                    .iter()
                    .zip(values)
                    .map(|(&j, &v)| w[j as usize] * v)
                    .sum::<f64>()
        };
        if let Some(cal) = &self.calibration {
            if self.classes.len() == 2 {
                out.extend([0.0, z(0)]);
            } else {
                out.extend((0..self.coef.len()).map(z));
            }
            cal.logits_to_proba(out);
        } else if self.classes.len() == 2 {
            let p1 = sigmoid(z(0));
            out.push(1.0 - p1);
            out.push(p1);
        } else {
            out.extend((0..self.coef.len()).map(z));
            softmax_in_place(out);
        }
    }

    /// Class probabilities of every row of a CSR matrix.
    pub fn predict_proba(&self, x: &CsMat<f64>) -> Vec<Vec<f64>> {
        let mut out = Vec::with_capacity(x.rows());
        let mut idx: Vec<u32> = Vec::new();
        for row in x.outer_iterator() {
            idx.clear();
            idx.extend(row.indices().iter().map(|&j| j as u32));
            let mut p = Vec::new();
            self.predict_proba_into(&idx, row.data(), &mut p);
            out.push(p);
        }
        out
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// ln(1 + e^x), stable.
fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

fn softmax_in_place(z: &mut [f64]) {
    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        s += *v;
    }
    z.iter_mut().for_each(|v| *v /= s);
}

/// A parameter vector with its objective and gradient.
type Evaluation = (Array1<f64>, f64, Array1<f64>);

/// What the solver has seen: the lowest objective, and how many evaluations it took.
#[derive(Default)]
struct Track {
    best: Option<(Array1<f64>, f64, f64)>,
    evaluations: u64,
    /// Evaluations since the best objective last improved.
    since_best: u64,
}

/// Evaluations without a lower objective after which the run counts as stuck: an L-BFGS step
/// lowers the objective within a few evaluations unless it is at the floating-point floor,
/// where argmin's line search would otherwise loop for ever.
const STALL_EVALUATIONS: u64 = 60;

/// The optimisation problem: data, targets, weights; caches the last evaluation.
struct Problem<'a> {
    x: &'a CsMat<f64>,
    y: &'a [usize],
    weights: &'a [f64],
    /// 1 / (C · Σ weights): the penalty factor of the scaled objective.
    penalty: f64,
    /// 1 / Σ weights.
    scale: f64,
    n_classes: usize,
    cache: RefCell<Option<Evaluation>>,
    /// Shared with `fit`, so it survives an aborted run.
    track: &'a RefCell<Track>,
    /// Evaluations allowed before the run is aborted (the line search has no limit of its own).
    max_evaluations: u64,
}

impl Problem<'_> {
    fn blocks(&self) -> usize {
        weight_blocks(self.n_classes)
    }

    fn evaluate(&self, p: &Array1<f64>) -> (f64, Array1<f64>) {
        if let Some((cp, c, g)) = self.cache.borrow().as_ref() {
            if cp == p {
                return (*c, g.clone());
            }
        }
        let d = self.x.cols();
        let stride = d + 1;
        let k = self.blocks();
        let mut grad = Array1::<f64>::zeros(p.len());
        let mut loss = 0.0;
        let mut z = vec![0.0; k];
        let (pv, gv) = (p.as_slice().unwrap_or(&[]), grad.as_slice_mut());
        let Some(gv) = gv else {
            return (f64::NAN, grad);
        };
        for (i, row) in self.x.outer_iterator().enumerate() {
            for (b, zb) in z.iter_mut().enumerate() {
                let w = &pv[b * stride..b * stride + d];
                *zb = pv[b * stride + d] + row.iter().map(|(j, v)| w[j] * v).sum::<f64>();
            }
            let s = self.weights[i];
            if k == 1 {
                let t = if self.y[i] == 1 { 1.0 } else { -1.0 };
                loss += s * softplus(-t * z[0]);
                // d/dz softplus(-t z) = -t σ(-t z)
                z[0] = -t * sigmoid(-t * z[0]) * s;
            } else {
                let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let lse = m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
                loss += s * (lse - z[self.y[i]]);
                for (b, zb) in z.iter_mut().enumerate() {
                    let prob = (*zb - lse).exp();
                    *zb = s * (prob - if b == self.y[i] { 1.0 } else { 0.0 });
                }
            }
            for (b, &g) in z.iter().enumerate() {
                if g == 0.0 {
                    continue;
                }
                let gw = &mut gv[b * stride..b * stride + stride];
                for (j, v) in row.iter() {
                    gw[j] += g * v;
                }
                gw[d] += g;
            }
        }
        let mut penalty = 0.0;
        for b in 0..k {
            for j in 0..d {
                let w = pv[b * stride + j];
                penalty += w * w;
                gv[b * stride + j] = gv[b * stride + j] * self.scale + w * self.penalty;
            }
            gv[b * stride + d] *= self.scale;
        }
        let cost = loss * self.scale + 0.5 * self.penalty * penalty;
        let gnorm = gv.iter().map(|g| g * g).sum::<f64>().sqrt();
        let mut track = self.track.borrow_mut();
        track.evaluations += 1;
        track.since_best += 1;
        // Better: a lower objective, or one equal to within rounding with a smaller gradient
        // (near the optimum the objective stops resolving differences; the gradient still does).
        let better = |(_, c, g): &(Array1<f64>, f64, f64)| {
            let slack = 4.0 * f64::EPSILON * c.abs().max(1e-300);
            cost < *c - slack || (cost <= *c + slack && gnorm < *g)
        };
        if cost.is_finite() && track.best.as_ref().is_none_or(better) {
            track.best = Some((p.clone(), cost, gnorm));
            track.since_best = 0;
        }
        *self.cache.borrow_mut() = Some((p.clone(), cost, grad.clone()));
        (cost, grad)
    }
}

impl Problem<'_> {
    fn check_budget(&self) -> Result<(), argmin::core::Error> {
        let t = self.track.borrow();
        if t.evaluations >= self.max_evaluations || t.since_best >= STALL_EVALUATIONS {
            return Err(argmin::core::Error::msg("no further progress"));
        }
        Ok(())
    }
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> Result<f64, argmin::core::Error> {
        self.check_budget()?;
        Ok(self.evaluate(p).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(&self, p: &Self::Param) -> Result<Array1<f64>, argmin::core::Error> {
        self.check_budget()?;
        Ok(self.evaluate(p).1)
    }
}

/// Weight vectors of a model with `n_classes` classes: one (sigmoid) for two, else one each.
fn weight_blocks(n_classes: usize) -> usize {
    if n_classes == 2 {
        1
    } else {
        n_classes
    }
}

/// Per-row weights from the class weighting.
pub fn sample_weights(y: &[usize], n_classes: usize, cw: ClassWeight) -> Vec<f64> {
    match cw {
        ClassWeight::None => vec![1.0; y.len()],
        ClassWeight::Balanced => {
            let mut counts = vec![0usize; n_classes];
            y.iter().for_each(|&c| counts[c] += 1);
            let n = y.len() as f64;
            let w: Vec<f64> = counts
                .iter()
                .map(|&c| {
                    if c == 0 {
                        0.0
                    } else {
                        n / (n_classes as f64 * c as f64)
                    }
                })
                .collect();
            y.iter().map(|&c| w[c]).collect()
        }
    }
}

impl LogisticValidParams {
    /// Fits on a CSR matrix `x` with targets `y` (indices into `classes`).
    pub fn fit(
        &self,
        x: &CsMat<f64>,
        y: &[usize],
        classes: Vec<String>,
    ) -> Result<(LogisticRegression, FitReport), Error> {
        let n_classes = classes.len();
        if n_classes < 2 {
            return Err(Error::SingleClass {
                class: classes.first().cloned().unwrap_or_default(),
            });
        }
        if x.rows() != y.len() {
            return Err(Error::inconsistent(
                "model",
                format!("{} rows but {} targets", x.rows(), y.len()),
            ));
        }
        if let Some(&bad) = y.iter().find(|&&c| c >= n_classes) {
            return Err(Error::inconsistent(
                "model",
                format!("target {bad} for {n_classes} classes"),
            ));
        }
        let weights = sample_weights(y, n_classes, self.class_weight());
        let total: f64 = weights.iter().sum();
        let track = RefCell::new(Track::default());
        let d = x.cols();
        let blocks = weight_blocks(n_classes);
        // L-BFGS needs one or two evaluations per iteration; the line search may need more.
        let base = Problem {
            x,
            y,
            weights: &weights,
            penalty: 1.0 / (self.c() * total),
            scale: 1.0 / total,
            n_classes,
            cache: RefCell::new(None),
            track: &track,
            max_evaluations: self.max_iter().saturating_mul(20).saturating_add(100),
        };
        let mut start = Array1::<f64>::zeros(blocks * (d + 1));
        let mut converged_param = None;
        let mut iterations = 0u64;
        let mut max_iter_reached = false;
        let mut last_error = None;
        // L-BFGS from zero; when its line search stalls short of the tolerance (it can near the
        // floating-point floor), restart it from the best point with a fresh memory, up to 3 times.
        for _attempt in 0..4 {
            let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
                .with_tolerance_grad(self.tol())
                .and_then(|s| s.with_tolerance_cost(0.0))
                .map_err(|e| Error::Optimizer {
                    reason: e.to_string(),
                })?;
            let remaining = self.max_iter().saturating_sub(iterations).max(1);
            let before = track.borrow().evaluations;
            track.borrow_mut().since_best = 0;
            let problem = Problem {
                cache: RefCell::new(None),
                ..base
            };
            let result = Executor::new(problem, solver)
                .configure(|s| s.param(start.clone()).max_iters(remaining))
                .run();
            match &result {
                Ok(res) => {
                    let state = res.state();
                    let status = state.get_termination_status();
                    iterations += state.get_iter();
                    if matches!(
                        status,
                        TerminationStatus::Terminated(TerminationReason::SolverConverged)
                    ) {
                        converged_param = state.get_param().cloned();
                        break;
                    }
                    if matches!(
                        status,
                        TerminationStatus::Terminated(TerminationReason::MaxItersReached)
                    ) {
                        max_iter_reached = true;
                        break;
                    }
                }
                Err(e) => {
                    // Aborted (stalled line search): count its iterations roughly.
                    iterations += (track.borrow().evaluations - before) / 2;
                    last_error = Some(e.to_string());
                }
            }
            if iterations >= self.max_iter() {
                max_iter_reached = true;
                break;
            }
            match &track.borrow().best {
                Some((p, _, g)) if *g >= self.tol() => start = p.clone(),
                _ => break,
            }
        }
        let result: Result<(), String> = match last_error {
            Some(e) if converged_param.is_none() && track.borrow().best.is_none() => Err(e),
            _ => Ok(()),
        };
        let best = track.borrow_mut().best.take();
        let param = match (converged_param, best) {
            (Some(p), _) => p,
            (None, Some((p, _, _))) => p,
            (None, None) => {
                let reason = result
                    .err()
                    .unwrap_or_else(|| "no solution returned".to_string());
                return Err(Error::Optimizer { reason });
            }
        };
        // Recompute the objective and gradient of the returned point (not budgeted).
        let unbudgeted = RefCell::new(Track::default());
        let check = Problem {
            cache: RefCell::new(None),
            track: &unbudgeted,
            max_evaluations: u64::MAX,
            ..base
        };
        let (objective, grad) = check.evaluate(&param);
        let gnorm = grad.iter().map(|g| g * g).sum::<f64>().sqrt();
        let stride = d + 1;
        let pv = param.to_vec();
        let coef = (0..blocks)
            .map(|b| pv[b * stride..b * stride + d].to_vec())
            .collect();
        let intercept = (0..blocks).map(|b| pv[b * stride + d]).collect();
        let model = LogisticRegression {
            classes,
            coef,
            intercept,
            calibration: None,
        };
        if model.coef.iter().flatten().any(|v| !v.is_finite()) {
            return Err(Error::Optimizer {
                reason: "the weights diverged (not finite)".into(),
            });
        }
        Ok((
            model,
            FitReport {
                iterations,
                stop: if gnorm < self.tol() {
                    StopReason::Converged
                } else if max_iter_reached {
                    StopReason::MaxIter
                } else {
                    StopReason::NoProgress
                },
                converged: gnorm < self.tol(),
                gradient_norm: gnorm,
                objective,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::params::LogisticParams;
    use linfa::ParamGuard;

    fn csr(rows: &[&[f64]]) -> CsMat<f64> {
        let mut tri = sprs::TriMat::new((rows.len(), rows[0].len()));
        for (i, r) in rows.iter().enumerate() {
            for (j, &v) in r.iter().enumerate() {
                if v != 0.0 {
                    tri.add_triplet(i, j, v);
                }
            }
        }
        tri.to_csr()
    }

    /// Finite-difference check of the scaled objective's gradient.
    #[test]
    fn gradient_matches_finite_differences() {
        let x = csr(&[
            &[1.0, 0.0, 2.0],
            &[0.0, 1.0, 0.5],
            &[1.5, 1.0, 0.0],
            &[0.0, 0.0, 1.0],
        ]);
        for (y, k) in [(vec![0, 1, 1, 0], 2usize), (vec![0, 1, 2, 2], 3)] {
            let problem = Problem {
                x: &x,
                y: &y,
                weights: &[1.0, 2.0, 0.5, 1.0],
                penalty: 0.3,
                scale: 0.25,
                n_classes: k,
                cache: RefCell::new(None),
                track: &RefCell::new(Track::default()),
                max_evaluations: u64::MAX,
            };
            let n = problem.blocks() * 4;
            let p = Array1::from_iter((0..n).map(|i| (i as f64 * 0.37).sin()));
            let (_, g) = problem.evaluate(&p);
            for i in 0..n {
                let h = 1e-6;
                let mut a = p.clone();
                a[i] += h;
                let mut b = p.clone();
                b[i] -= h;
                let fd = (problem.evaluate(&a).0 - problem.evaluate(&b).0) / (2.0 * h);
                assert!((fd - g[i]).abs() < 1e-7, "k={k} i={i}: {fd} vs {}", g[i]);
            }
        }
    }

    #[test]
    fn separable_data_is_learnt_and_probabilities_sum_to_one() {
        let x = csr(&[
            &[1.0, 0.0],
            &[0.9, 0.1],
            &[0.0, 1.0],
            &[0.1, 0.9],
            &[0.5, 0.5],
            &[0.0, 0.2],
        ]);
        let y = [0, 0, 1, 1, 2, 2];
        let p = LogisticParams::new().c(10.0).check().unwrap();
        let (m, r) = p
            .fit(&x, &y, vec!["a".into(), "b".into(), "c".into()])
            .unwrap();
        assert!(r.converged, "{r:?}");
        let probs = m.predict_proba(&x);
        for (row, &t) in probs.iter().zip(&y) {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            let arg = (0..3).max_by(|&a, &b| row[a].total_cmp(&row[b])).unwrap();
            assert_eq!(arg, t);
        }
    }

    #[test]
    fn balanced_weights_follow_sklearn() {
        // n / (k · count): 6 rows, 2 classes with 4 and 2 rows.
        let w = sample_weights(&[0, 0, 0, 0, 1, 1], 2, ClassWeight::Balanced);
        assert_eq!(w, [0.75, 0.75, 0.75, 0.75, 1.5, 1.5]);
    }
}
