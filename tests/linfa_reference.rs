//! framelens's logistic regression against linfa-logistic as the reference.
//!
//! Both minimise the same objective up to a constant factor: linfa
//! `Σᵢ lossᵢ + α/2·‖W‖²` (intercepts not penalised), framelens `C·Σᵢ lossᵢ + 1/2·‖W‖²`, so with
//! `α = 1/C` they have the same minimiser, which the L2 penalty makes unique for the weights.
//!
//! Conventions (read from linfa-logistic 0.8.1, `src/lib.rs`):
//! - binary: `label_classes` gives the target +1 to the class with MORE rows (the first one
//!   seen on a tie), and `predict_probabilities` is P(that class); framelens's single weight
//!   vector is for `classes[1]`, so the two agree up to a sign that depends on the data;
//! - multinomial: one column of `params()` per class (sorted), as framelens's `coef[k]`.
//!   The softmax intercepts are not penalised, so they are identified only up to a common
//!   constant; they are compared after subtracting their mean.

use std::time::Duration;

use approx::assert_abs_diff_eq;
use linfa::prelude::*;
use linfa_logistic::{LogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2};
use sprs::{CsMat, TriMat};

use framelens::model::{FitReport, LogisticParams, LogisticRegression as FlModel};

const CS: [f64; 3] = [0.5, 1.0, 10.0];
const TOL: f64 = 1e-6;

/// A small deterministic generator (64-bit LCG, top bits), uniform in [0, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `n × d` features in [-1, 1) with about a fifth of them zero (so the CSR is really
/// sparse), and labels drawn from a softmax of a random linear model (not separable).
fn problem(n: usize, d: usize, k: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut r = Lcg(seed);
    let w: Vec<Vec<f64>> = (0..k)
        .map(|_| (0..d).map(|_| 3.0 * (r.next() - 0.5)).collect())
        .collect();
    let mut x = Array2::<f64>::zeros((n, d));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        for j in 0..d {
            let v = 2.0 * r.next() - 1.0;
            x[[i, j]] = if r.next() < 0.2 { 0.0 } else { v };
        }
        let z: Vec<f64> = w
            .iter()
            .map(|wk| (0..d).map(|j| wk[j] * x[[i, j]]).sum::<f64>().exp())
            .collect();
        let total: f64 = z.iter().sum();
        let u = r.next() * total;
        let mut acc = 0.0;
        let mut class = k - 1;
        for (c, zc) in z.iter().enumerate() {
            acc += zc;
            if u < acc {
                class = c;
                break;
            }
        }
        y.push(class);
    }
    for c in 0..k {
        assert!(y.contains(&c), "seed {seed}: class {c} has no rows");
    }
    (x, y)
}

/// Asserts `a ≈ b` elementwise within [`TOL`].
fn close(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    let worst = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    assert!(
        worst <= TOL,
        "{what}: max difference {worst:e}\nframelens {a:?}\nlinfa     {b:?}"
    );
}

fn to_csr(x: &Array2<f64>) -> CsMat<f64> {
    let mut tri = TriMat::new(x.dim());
    for ((i, j), &v) in x.indexed_iter() {
        if v != 0.0 {
            tri.add_triplet(i, j, v);
        }
    }
    tri.to_csr()
}

fn class_names(k: usize) -> Vec<String> {
    (0..k).map(|c| format!("c{c}")).collect()
}

/// Fits framelens's model in a thread, failing (instead of hanging the test run) when the
/// fit takes more than 10 s; a fit of these sizes takes milliseconds.
fn fit_with(
    x: &Array2<f64>,
    y: &[usize],
    k: usize,
    params: LogisticParams,
) -> (FlModel, FitReport) {
    let params = params.check().expect("valid params");
    let csr = to_csr(x);
    assert!(csr.nnz() < x.len(), "the matrix should have zeros");
    let y = y.to_vec();
    let (tx, rx) = std::sync::mpsc::channel();
    let shown = format!("{params:?}");
    std::thread::spawn(move || {
        let _ = tx.send(params.fit(&csr, &y, class_names(k)));
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(r) => r.expect("framelens fit"),
        Err(_) => panic!("{shown}: the fit did not finish in 10 s"),
    }
}

fn fit_framelens(x: &Array2<f64>, y: &[usize], k: usize, c: f64) -> FlModel {
    let (model, report) = fit_with(
        x,
        y,
        k,
        LogisticParams::new().c(c).tol(1e-10).max_iter(10_000),
    );
    assert!(report.gradient_norm < 1e-8, "C={c}: {report:?}");
    model
}

/// Binary problems: one weight vector, compared with linfa's up to its label convention.
fn check_binary(x: &Array2<f64>, y: &[usize], want_linfa_positive: usize) {
    let counts = [
        y.iter().filter(|&&c| c == 0).count(),
        y.iter().filter(|&&c| c == 1).count(),
    ];
    assert_ne!(
        counts[0], counts[1],
        "a tie would make linfa's choice depend on row order"
    );
    for c in CS {
        let ours = fit_framelens(x, y, 2, c);
        assert_eq!(ours.coef.len(), 1);
        assert_eq!(ours.intercept.len(), 1);

        let data = Dataset::new(x.clone(), Array1::from(y.to_vec()));
        let reference = LogisticRegression::default()
            .alpha(1.0 / c)
            .max_iterations(10_000)
            .gradient_tolerance(1e-12)
            .fit(&data)
            .expect("linfa fit");
        // linfa's positive class is the larger one.
        let positive = reference.labels().pos.class;
        assert_eq!(positive, want_linfa_positive, "counts {counts:?}");
        let sign = if positive == 1 { 1.0 } else { -1.0 };

        let w: Vec<f64> = ours.coef[0].iter().map(|v| v * sign).collect();
        close(&w, &reference.params().to_vec(), &format!("C={c}: weights"));
        assert_abs_diff_eq!(
            ours.intercept[0] * sign,
            reference.intercept(),
            epsilon = TOL
        );

        let p_ref = reference.predict_probabilities(x);
        let p_ours = ours.predict_proba(&to_csr(x));
        for (row, &pr) in p_ours.iter().zip(p_ref.iter()) {
            assert_abs_diff_eq!(row.iter().sum::<f64>(), 1.0, epsilon = 1e-12);
            assert_abs_diff_eq!(row[positive], pr, epsilon = TOL);
        }
    }
}

#[test]
fn binary_agrees_with_linfa_when_the_second_class_is_larger() {
    let (x, y) = problem(30, 5, 2, 7);
    let ones = y.iter().filter(|&&c| c == 1).count();
    let (x, y) = if ones > 15 {
        (x, y)
    } else {
        (x, y.iter().map(|&c| 1 - c).collect())
    };
    check_binary(&x, &y, 1);
}

#[test]
fn binary_agrees_with_linfa_when_the_first_class_is_larger() {
    // linfa then models the first class: its weights are framelens's with the sign flipped.
    let (x, y) = problem(30, 5, 2, 11);
    let ones = y.iter().filter(|&&c| c == 1).count();
    let (x, y) = if ones < 15 {
        (x, y)
    } else {
        (x, y.iter().map(|&c| 1 - c).collect())
    };
    check_binary(&x, &y, 0);
}

#[test]
fn multinomial_agrees_with_linfa() {
    // Seed 5: seed 3 makes framelens hang at C = 10 (see `fit_stops_within_max_iter`).
    let (x, y) = problem(40, 6, 3, 5);
    for c in CS {
        let ours = fit_framelens(&x, &y, 3, c);
        assert_eq!(ours.coef.len(), 3);

        let data = Dataset::new(x.clone(), Array1::from(y.clone()));
        let reference = MultiLogisticRegression::default()
            .alpha(1.0 / c)
            .max_iterations(10_000)
            .gradient_tolerance(1e-12)
            .fit(&data)
            .expect("linfa fit");
        assert_eq!(reference.classes(), [0, 1, 2]);
        let w_ref = reference.params();
        assert_eq!(w_ref.dim(), (6, 3));
        for k in 0..3 {
            close(
                &ours.coef[k],
                &w_ref.column(k).to_vec(),
                &format!("C={c}: weights of class {k}"),
            );
        }
        let centre = |b: Vec<f64>| {
            let m = b.iter().sum::<f64>() / b.len() as f64;
            b.into_iter().map(|v| v - m).collect::<Vec<f64>>()
        };
        close(
            &centre(ours.intercept.clone()),
            &centre(reference.intercept().to_vec()),
            &format!("C={c}: centred intercepts"),
        );

        let p_ref = reference.predict_probabilities(&x);
        let p_ours = ours.predict_proba(&to_csr(&x));
        for (i, row) in p_ours.iter().enumerate() {
            assert_abs_diff_eq!(row.iter().sum::<f64>(), 1.0, epsilon = 1e-12);
            close(
                row,
                &p_ref.row(i).to_vec(),
                &format!("C={c}: probabilities of row {i}"),
            );
        }
    }
}

/// A stronger penalty shrinks the weights: the fits above are not trivially zero.
#[test]
fn weights_grow_with_c() {
    let (x, y) = problem(40, 6, 3, 5);
    let norms: Vec<f64> = CS
        .iter()
        .map(|&c| {
            fit_framelens(&x, &y, 3, c)
                .coef
                .iter()
                .flatten()
                .map(|w| w * w)
                .sum::<f64>()
                .sqrt()
        })
        .collect();
    assert!(norms[0] > 0.05, "{norms:?}");
    assert!(norms.windows(2).all(|w| w[0] < w[1]), "{norms:?}");
}

// ---------------------------------------------------------------- termination and fit report

#[test]
fn fit_stops_within_max_iter() {
    // Multinomial, C = 10, tol 1e-10: the optimiser reaches the noise floor of the objective
    // and the line search then loops for ever. `framelens train --tol 1e-12` on
    // tests/fixtures/labels_small.csv (stance) hangs the same way.
    let (x, y) = problem(40, 6, 3, 3);
    let (_, report) = fit_with(
        &x,
        &y,
        3,
        LogisticParams::new().c(10.0).tol(1e-10).max_iter(10_000),
    );
    // It stops: converged, at the iteration limit, or because the line search can make no
    // more progress at the floating-point floor (then the gradient is within 10x of tol).
    use framelens::model::StopReason;
    match report.stop {
        StopReason::Converged => assert!(
            report.converged && report.gradient_norm < 1e-10,
            "{report:?}"
        ),
        StopReason::MaxIter => assert_eq!(report.iterations, 10_000, "{report:?}"),
        StopReason::NoProgress => assert!(
            !report.converged && report.gradient_norm < 1e-9,
            "{report:?}"
        ),
    }
}

#[test]
fn fit_report_is_finite_when_the_line_search_gives_up() {
    let (x, y) = problem(40, 6, 3, 9);
    let (model, report) = fit_with(
        &x,
        &y,
        3,
        LogisticParams::new().c(1.0).tol(1e-10).max_iter(10_000),
    );
    assert!(model.coef.iter().flatten().all(|w| w.is_finite()));
    assert!(
        report.gradient_norm.is_finite() && report.objective.is_finite(),
        "{report:?}"
    );
    // Stopping before the iteration limit without converging is reported as such, not as
    // converged, and the point returned is at the optimum to within the floating-point floor.
    use framelens::model::StopReason;
    assert!(
        report.converged == (report.stop == StopReason::Converged),
        "{report:?}"
    );
    if report.stop != StopReason::Converged {
        assert!(report.gradient_norm < 1e-9, "{report:?}");
    }
}

#[test]
fn a_converged_fit_reports_a_gradient_below_tol() {
    for (seed, c) in [(3, 0.5), (5, 1.0), (9, 10.0)] {
        let (x, y) = problem(40, 6, 3, seed);
        let (_, report) = fit_with(
            &x,
            &y,
            3,
            LogisticParams::new().c(c).tol(1e-10).max_iter(10_000),
        );
        assert!(report.converged, "seed {seed}, C={c}: {report:?}");
        assert!(
            report.gradient_norm < 1e-10,
            "seed {seed}, C={c}: converged with {report:?}"
        );
    }
}
