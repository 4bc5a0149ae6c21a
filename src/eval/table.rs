//! Plain-text tables of evaluation results (what `framelens eval` prints).

use std::fmt::Write as _;

use super::search::{Evaluated, HeldOut, SearchResult};
use super::Metrics;

fn pm(x: (f64, f64)) -> String {
    format!("{:.4} ± {:.4}", x.0, x.1)
}

impl SearchResult {
    /// The result as text: the ranked settings (a grid), the best setting's metrics, the
    /// majority-class baseline, per-class metrics and confusion matrix, the learning curve.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let e = self.best();
        let _ = writeln!(
            s,
            "{} rows, {} classes, {}-fold stratified cross-validation (seed {}); figures are mean ± sd over folds",
            self.rows,
            self.classes.len(),
            self.folds,
            self.seed
        );
        if self.results.len() > 1 {
            let _ = writeln!(
                s,
                "\ngrid: {} settings, ranked by {} (mean over folds); * best, ≈ within noise of the best (corrected paired t-test over folds, p >= 0.05)",
                self.results.len(),
                self.selected_by
            );
            let mut order: Vec<usize> = (0..self.results.len()).collect();
            order.sort_by(|&a, &b| {
                self.results[b]
                    .score()
                    .total_cmp(&self.results[a].score())
                    .then(a.cmp(&b))
            });
            for i in order {
                let x = &self.results[i];
                let mark = if i == self.best_index {
                    "*"
                } else if x.within_noise {
                    "≈"
                } else {
                    " "
                };
                let _ = writeln!(
                    s,
                    "  {mark} macro-F1 {}  accuracy {}  {}",
                    pm(x.macro_f1),
                    pm(x.accuracy),
                    x.label()
                );
            }
            let _ = writeln!(s, "\nbest: {}", e.label());
        }
        s.push_str(&metrics_block(e));
        if let Some(b) = &self.baseline {
            let _ = writeln!(
                s,
                "baseline     macro-F1 {}  accuracy {}  (always {:?}, the majority class)",
                pm(b.macro_f1),
                pm(b.accuracy),
                b.class
            );
        }
        s.push_str(&per_class_table(
            &self.classes,
            &e.pooled,
            "out-of-fold, pooled",
        ));
        if let Some(c) = &self.calibration {
            match &c.calibrated {
                Some(cal) => {
                    let _ = writeln!(
                        s,
                        "\ncalibration (best setting): out-of-fold expected calibration error {:.4} after temperature scaling as `train` fits it (cross-fitted), {:.4} before",
                        cal.ece, c.uncalibrated.ece
                    );
                    s.push_str(&super::auto::reliability_table(cal));
                }
                None => {
                    let _ = writeln!(
                        s,
                        "\ncalibration (best setting): out-of-fold expected calibration error {:.4} (not calibrated: a class has fewer than {} rows)",
                        c.uncalibrated.ece,
                        crate::model::MIN_CALIBRATION_ROWS
                    );
                    s.push_str(&super::auto::reliability_table(&c.uncalibrated));
                }
            }
        }
        if let Some(curve) = &self.learning_curve {
            let _ = writeln!(
                s,
                "\nlearning curve (best setting): training rows per fold → macro-F1 on the held-out fold"
            );
            for p in curve {
                let _ = writeln!(
                    s,
                    "  {:>4.0}%  {:>6} rows  macro-F1 {}  accuracy {}",
                    100.0 * p.fraction,
                    p.train_rows.round() as u64,
                    pm(p.macro_f1),
                    pm(p.accuracy)
                );
            }
        }
        s
    }
}

fn metrics_block(e: &Evaluated) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\naccuracy     {}", pm(e.accuracy));
    let _ = writeln!(s, "macro-F1     {}", pm(e.macro_f1));
    let _ = writeln!(s, "weighted-F1  {}", pm(e.weighted_f1));
    if let Some(f) = e.f_avg {
        let _ = writeln!(s, "F-avg        {}", pm(f));
    }
    let _ = writeln!(s, "log-loss     {}", pm(e.log_loss));
    let _ = writeln!(s, "Brier        {}", pm(e.brier));
    s
}

impl HeldOut {
    /// The metrics as text.
    pub fn table(&self) -> String {
        let m = &self.metrics;
        let mut s = String::new();
        let _ = writeln!(s, "{} rows of {}", m.n, self.data_file);
        let _ = writeln!(s, "\naccuracy     {:.4}", m.accuracy);
        let _ = writeln!(s, "macro-F1     {:.4}", m.macro_f1);
        let _ = writeln!(s, "weighted-F1  {:.4}", m.weighted_f1);
        if let Some(f) = m.f_avg {
            let _ = writeln!(s, "F-avg        {f:.4}");
        }
        let _ = writeln!(s, "log-loss     {:.4}", m.log_loss);
        let _ = writeln!(s, "Brier        {:.4}", m.brier);
        s.push_str(&per_class_table(&self.classes, m, "held-out"));
        if let Some(c) = &self.calibration {
            let _ = writeln!(
                s,
                "\ncalibration: expected calibration error {:.4} of the model's probabilities on these rows",
                c.ece
            );
            s.push_str(&super::auto::reliability_table(c));
        }
        s
    }
}

/// Precision, recall, F1 and support per class, then the confusion matrix.
pub fn per_class_table(classes: &[String], m: &Metrics, what: &str) -> String {
    let mut s = String::new();
    let w = classes
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(5)
        .max(9);
    let _ = writeln!(s, "\nper class ({what}):");
    let _ = writeln!(s, "  {:<w$}  precision  recall     F1  support", "class");
    for c in &m.per_class {
        let _ = writeln!(
            s,
            "  {:<w$}  {:>9.3}  {:>6.3}  {:>5.3}  {:>7}",
            c.class, c.precision, c.recall, c.f1, c.support
        );
    }
    s.push('\n');
    s.push_str(&confusion_table(classes, &m.confusion));
    s
}

/// The confusion matrix with a title line: rows gold, columns predicted.
pub fn confusion_table(classes: &[String], confusion: &[Vec<usize>]) -> String {
    let mut s = String::new();
    let w = classes
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(5)
        .max(9);
    let _ = writeln!(s, "confusion matrix (rows: gold, columns: predicted):");
    let _ = write!(s, "  {:<w$}", "");
    for c in classes {
        let _ = write!(s, " {c:>w$}");
    }
    s.push('\n');
    for (c, row) in classes.iter().zip(confusion) {
        let _ = write!(s, "  {c:<w$}");
        for v in row {
            let _ = write!(s, " {v:>w$}");
        }
        s.push('\n');
    }
    s
}
