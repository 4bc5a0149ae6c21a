//! linfa's `Fit` and `Predict` for the sparse logistic regression.
//!
//! linfa implements its `Records` trait for dense `ndarray` arrays and datasets only, not for
//! `sprs::CsMat`, and the orphan rule forbids implementing it here for a foreign type. So the
//! sparse TF-IDF matrix goes into linfa through the newtype [`SparseRecords`]; with it,
//! [`LogisticValidParams`] implements `Fit` (targets: class labels as strings) and
//! [`LogisticRegression`] implements `PredictInplace` for labels (`Array1<String>`) and class
//! probabilities (`Array2<f64>`), so `predict` works on records and on datasets. linfa's
//! dense-only helpers (`fold`, `cross_validate`, `split_with_ratio`, …) need `ArrayBase`
//! records and do not apply; framelens' own [`crate::eval`] does that work on sparse rows.
//!
//! ```
//! use framelens::features::FeatureExtractor;
//! use framelens::model::{LogisticParams, LogisticRegression, SparseRecords};
//! use linfa::prelude::*;
//! use ndarray::Array1;
//!
//! let texts = ["troops invade", "talks resume", "troops mass", "talks stall"];
//! let labels = Array1::from(vec!["war", "peace", "war", "peace"].iter().map(|s| s.to_string()).collect::<Vec<_>>());
//! let fx = std::sync::Arc::new(FeatureExtractor::fit(&[Default::default()], &texts)?);
//! let x = SparseRecords(fx.vectorizer()?.transform_batch(&texts));
//! let dataset = DatasetBase::new(x, labels);
//! let model: LogisticRegression = LogisticParams::new().fit(&dataset)?;
//! let predicted: Array1<String> = model.predict(&dataset.records);
//! assert_eq!(predicted[0], "war");
//! # Ok::<(), framelens::Error>(())
//! ```

use linfa::dataset::{AsSingleTargets, DatasetBase, Records};
use linfa::traits::{Fit, Predict, PredictInplace};
use ndarray::{Array1, Array2};
use sprs::CsMat;

use super::{encode, LogisticRegression, LogisticValidParams};
use crate::Error;

/// A sparse matrix (rows = documents) as linfa records.
#[derive(Debug, Clone, PartialEq)]
pub struct SparseRecords(pub CsMat<f64>);

impl Records for SparseRecords {
    type Elem = f64;

    fn nsamples(&self) -> usize {
        self.0.rows()
    }

    fn nfeatures(&self) -> usize {
        self.0.cols()
    }
}

impl<T: AsSingleTargets<Elem = String>> Fit<SparseRecords, T, Error> for LogisticValidParams {
    type Object = LogisticRegression;

    /// Fits on the dataset's rows; the classes are the sorted distinct target labels.
    fn fit(&self, dataset: &DatasetBase<SparseRecords, T>) -> Result<LogisticRegression, Error> {
        let labels: Vec<String> = dataset.as_single_targets().to_vec();
        if labels.len() != dataset.records.nsamples() {
            return Err(Error::inconsistent(
                "dataset",
                format!(
                    "{} rows but {} targets",
                    dataset.records.nsamples(),
                    labels.len()
                ),
            ));
        }
        let (classes, y) = encode(&labels);
        if classes.len() < 2 {
            return Err(Error::SingleClass {
                class: classes.into_iter().next().unwrap_or_default(),
            });
        }
        Ok(LogisticValidParams::fit(self, &dataset.records.0, &y, classes)?.0)
    }
}

impl PredictInplace<SparseRecords, Array1<String>> for LogisticRegression {
    /// The most probable class of each row (the first on ties).
    fn predict_inplace(&self, x: &SparseRecords, y: &mut Array1<String>) {
        for (out, p) in y.iter_mut().zip(self.predict_proba(&x.0)) {
            *out = self.classes[crate::eval::argmax(&p)].clone();
        }
    }

    fn default_target(&self, x: &SparseRecords) -> Array1<String> {
        Array1::default(x.nsamples())
    }
}

impl PredictInplace<SparseRecords, Array2<f64>> for LogisticRegression {
    /// Class probabilities, one row per document, classes in model order.
    fn predict_inplace(&self, x: &SparseRecords, y: &mut Array2<f64>) {
        for (mut out, p) in y.rows_mut().into_iter().zip(self.predict_proba(&x.0)) {
            out.iter_mut().zip(p).for_each(|(o, v)| *o = v);
        }
    }

    fn default_target(&self, x: &SparseRecords) -> Array2<f64> {
        Array2::zeros((x.nsamples(), self.classes.len()))
    }
}

/// linfa's blanket `Predict` covers datasets and dense arrays; this covers `&SparseRecords`.
impl<'a, T> Predict<&'a SparseRecords, T> for LogisticRegression
where
    LogisticRegression: PredictInplace<SparseRecords, T>,
{
    fn predict(&self, x: &'a SparseRecords) -> T {
        let mut y = self.default_target(x);
        self.predict_inplace(x, &mut y);
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::FeatureExtractor;
    use crate::model::LogisticParams;
    use linfa::ParamGuard;

    fn dataset() -> DatasetBase<SparseRecords, Array1<String>> {
        let texts = [
            "troops invade the border",
            "talks resume in geneva",
            "troops mass near the border",
            "talks stall in geneva",
            "tanks and troops",
            "diplomats resume talks",
        ];
        let labels = ["war", "peace", "war", "peace", "war", "peace"];
        let fx = std::sync::Arc::new(FeatureExtractor::fit(&[Default::default()], &texts).unwrap());
        let x = fx.vectorizer().unwrap().transform_batch(&texts);
        DatasetBase::new(
            SparseRecords(x),
            Array1::from(labels.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        )
    }

    #[test]
    fn fit_through_linfa_equals_the_direct_fit() {
        let ds = dataset();
        let valid = LogisticParams::new().c(2.0).check().unwrap();
        let via_linfa = Fit::fit(&valid, &ds).unwrap();
        let (_, y) = encode(&ds.targets.to_vec());
        let (direct, _) = valid
            .fit(&ds.records.0, &y, vec!["peace".into(), "war".into()])
            .unwrap();
        assert_eq!(via_linfa, direct);
        // ParamGuard's blanket Fit checks the parameters first.
        assert!(matches!(
            LogisticParams::new().c(-1.0).fit(&ds),
            Err(Error::InvalidSetting { name: "c", .. })
        ));
    }

    #[test]
    fn predict_labels_and_probabilities() {
        let ds = dataset();
        let model = LogisticParams::new().c(10.0).fit(&ds).unwrap();
        let labels: Array1<String> = model.predict(&ds.records);
        assert_eq!(labels, ds.targets);
        let p: Array2<f64> = model.predict(&ds.records);
        assert_eq!(p.dim(), (6, 2));
        for row in p.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-12);
        }
        assert!(p[[0, 1]] > 0.5, "row 0 is war (class 1): {p}");
        let via_dataset: Array1<String> = model.predict(&ds);
        assert_eq!(via_dataset, labels);
    }

    #[test]
    fn one_class_is_refused() {
        let mut ds = dataset();
        ds.targets.fill("war".to_string());
        assert!(matches!(
            LogisticParams::new().fit(&ds),
            Err(Error::SingleClass { .. })
        ));
    }
}
