//! Why a model gave a text its probabilities: each n-gram's contribution (weight × feature
//! value) to each class's logit.

use std::sync::Arc;

use serde::Serialize;

use super::Model;
use crate::Error;

/// One n-gram's part in a class's logit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The feature's name (the term, prefixed by its analyzer when the model has several).
    pub feature: String,
    /// The feature's value in the text (TF-IDF, normalised).
    pub value: f64,
    /// The model's weight of the feature toward the class.
    pub weight: f64,
    /// `weight × value`.
    pub contribution: f64,
}

/// The logit of one class and the n-grams behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassExplanation {
    /// The class.
    pub class: String,
    /// The model's probability of the class (calibrated when the model carries a calibration).
    pub probability: f64,
    /// The class's logit before calibration: `intercept + Σ contributions` (for two classes,
    /// the first class's logit is minus the second's: both read "toward this class").
    pub logit: f64,
    /// The intercept toward the class.
    pub intercept: f64,
    /// Every feature of the text with a non-zero contribution, largest first (toward the
    /// class), then the most negative (away from it) last.
    pub contributions: Vec<Contribution>,
}

/// A text's explanation: one entry per class, in the model's class order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The text.
    pub text: String,
    /// The most probable class.
    pub predicted: String,
    /// Per class.
    pub classes: Vec<ClassExplanation>,
    /// The calibration's slope when the model is calibrated: the probability is
    /// `softmax(slope · logit + bias)` over classes (for two classes over `[0, logit₁]`).
    pub calibration_slope: Option<f64>,
}

/// Explains texts with one model: the vectorizer and the feature names are built once, so a
/// file of sentences does not rebuild them per sentence.
#[derive(Debug, Clone)]
pub struct Explainer {
    model: Arc<Model>,
    vectorizer: crate::features::Vectorizer,
    names: Vec<String>,
}

impl Model {
    /// Explains the model's probabilities for `text` (for many texts, use [`Model::explainer`]).
    pub fn explain(self: &Arc<Self>, text: &str) -> Result<Explanation, Error> {
        Ok(self.explainer()?.explain(text))
    }

    /// An [`Explainer`] for this model.
    pub fn explainer(self: &Arc<Self>) -> Result<Explainer, Error> {
        Ok(Explainer {
            model: Arc::clone(self),
            vectorizer: self.features.vectorizer()?,
            names: self.features.feature_names(),
        })
    }
}

impl Explainer {
    /// Explains the model's probabilities for `text`.
    pub fn explain(&mut self, text: &str) -> Explanation {
        let row = self.vectorizer.transform(text);
        let names = &self.names;
        let mut proba = Vec::new();
        let c = &self.model.classifier;
        c.predict_proba_into(&row.indices, &row.values, &mut proba);
        let per_vector = |k: usize, sign: f64| -> (f64, Vec<Contribution>) {
            let w = &c.coef[k];
            let mut parts: Vec<Contribution> = row
                .indices
                .iter()
                .zip(&row.values)
                .map(|(&j, &v)| Contribution {
                    feature: names.get(j as usize).cloned().unwrap_or_default(),
                    value: v,
                    weight: sign * w[j as usize],
                    contribution: sign * w[j as usize] * v,
                })
                .filter(|p| p.contribution != 0.0)
                .collect();
            parts.sort_by(|a, b| {
                b.contribution
                    .total_cmp(&a.contribution)
                    .then_with(|| a.feature.cmp(&b.feature))
            });
            (sign * c.intercept[k], parts)
        };
        let classes = self.model.classes();
        let explained: Vec<ClassExplanation> = classes
            .iter()
            .enumerate()
            .map(|(k, class)| {
                // Two classes share one weight vector, toward the second class.
                let (intercept, contributions) = if classes.len() == 2 {
                    per_vector(0, if k == 1 { 1.0 } else { -1.0 })
                } else {
                    per_vector(k, 1.0)
                };
                let logit = intercept + contributions.iter().map(|p| p.contribution).sum::<f64>();
                ClassExplanation {
                    class: class.clone(),
                    probability: proba.get(k).copied().unwrap_or(f64::NAN),
                    logit,
                    intercept,
                    contributions,
                }
            })
            .collect();
        let predicted = explained
            .iter()
            .max_by(|a, b| a.probability.total_cmp(&b.probability))
            .map(|e| e.class.clone())
            .unwrap_or_default();
        Explanation {
            text: text.to_string(),
            predicted,
            classes: explained,
            calibration_slope: c.calibration.as_ref().map(|cal| cal.slope),
        }
    }
}

impl Explanation {
    /// A readable account: per class, the probability, the logit and the `top` n-grams that
    /// pushed toward it and away from it.
    pub fn text_table(&self, top: usize) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(s, "text: {}", self.text);
        let _ = writeln!(s, "predicted: {}", self.predicted);
        for c in &self.classes {
            let _ = writeln!(
                s,
                "\n{}: probability {:.4}, logit {:.4} = intercept {:.4} + {} n-gram contributions",
                c.class,
                c.probability,
                c.logit,
                c.intercept,
                c.contributions.len()
            );
            let toward: Vec<&Contribution> = c
                .contributions
                .iter()
                .filter(|p| p.contribution > 0.0)
                .take(top)
                .collect();
            let away: Vec<&Contribution> = c
                .contributions
                .iter()
                .rev()
                .filter(|p| p.contribution < 0.0)
                .take(top)
                .collect();
            for (what, list) in [("toward", toward), ("away from", away)] {
                if list.is_empty() {
                    continue;
                }
                let _ = writeln!(s, "  {what} {}:", c.class);
                for p in list {
                    let _ = writeln!(
                        s,
                        "    {:+.4}  {:<30} (weight {:+.3} × value {:.3})",
                        p.contribution,
                        format!("{:?}", p.feature),
                        p.weight,
                        p.value
                    );
                }
            }
        }
        if let Some(a) = self.calibration_slope {
            let _ = writeln!(
                s,
                "\nprobabilities are calibrated: softmax({a:.4} × logit + bias) over the classes"
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Preset;
    use crate::data::LabelledData;
    use crate::model::{train, TrainOptions};

    fn model(labels: &[&str], calibrate: bool) -> Arc<Model> {
        let mut csv = String::from("text,label\n");
        for i in 0..12 {
            for (k, l) in labels.iter().enumerate() {
                // Overlapping words, so the classifier is unsure and calibration matters.
                let other = labels[(k + 1 + i % 2) % labels.len()];
                csv += &format!("{l} word{k} {other} shared{} extra{},{l}\n", i % 3, i % 4);
            }
        }
        let data = LabelledData::from_bytes(
            std::path::Path::new("t.csv"),
            csv.into_bytes(),
            &crate::data::LabelSpec::new("text", "label"),
            &Default::default(),
        )
        .unwrap();
        let opts = TrainOptions {
            calibrate,
            cv: calibrate.then_some(3),
            ..Default::default()
        };
        Arc::new(train(&data, &Preset::Default.config(), &opts).unwrap())
    }

    fn softmax(v: &[f64]) -> Vec<f64> {
        let m = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = v.iter().map(|x| (x - m).exp()).collect();
        let s: f64 = e.iter().sum();
        e.iter().map(|x| x / s).collect()
    }

    /// The contributions and the intercept add up to the logit, and the logits give the
    /// model's probabilities (sigmoid or softmax, uncalibrated models).
    #[test]
    fn contributions_sum_to_the_logit_that_gives_the_probability() {
        for labels in [&["pro", "anti"][..], &["a", "b", "c"][..]] {
            let m = model(labels, false);
            assert!(m.classifier.calibration.is_none());
            let e = m.explain("pro word0 shared1 anti word2 unseen").unwrap();
            let mut p = Vec::new();
            m.scorer().unwrap().proba_into(&e.text, &mut p);
            let logits: Vec<f64> = e.classes.iter().map(|c| c.logit).collect();
            for c in &e.classes {
                let sum: f64 =
                    c.intercept + c.contributions.iter().map(|x| x.contribution).sum::<f64>();
                assert!((sum - c.logit).abs() < 1e-12);
                assert!(c
                    .contributions
                    .iter()
                    .all(|x| (x.weight * x.value - x.contribution).abs() < 1e-15));
                assert!(c
                    .contributions
                    .windows(2)
                    .all(|w| w[0].contribution >= w[1].contribution));
            }
            let expected = if labels.len() == 2 {
                // One margin z toward the second class; the first class reads −z.
                assert!((logits[0] + logits[1]).abs() < 1e-12);
                let p1 = 1.0 / (1.0 + (-logits[1]).exp());
                vec![1.0 - p1, p1]
            } else {
                softmax(&logits)
            };
            for (a, b) in expected.iter().zip(&p) {
                assert!((a - b).abs() < 1e-12, "{expected:?} vs {p:?}");
            }
            let got: Vec<f64> = e.classes.iter().map(|c| c.probability).collect();
            assert_eq!(got, p);
            assert!(e
                .classes
                .iter()
                .any(|c| c.contributions.iter().any(|x| x.feature == "word0")));
        }
    }

    /// With a calibration the probability is softmax(slope · logit + bias).
    #[test]
    fn calibrated_probabilities_follow_from_the_logits() {
        let m = model(&["a", "b", "c"], true);
        let cal = m.classifier.calibration.clone().expect("calibrated");
        let e = m.explain("a word0 shared2").unwrap();
        assert_eq!(e.calibration_slope, Some(cal.slope));
        let z: Vec<f64> = e
            .classes
            .iter()
            .zip(&cal.bias)
            .map(|(c, b)| cal.slope * c.logit + b)
            .collect();
        for (a, c) in softmax(&z).iter().zip(&e.classes) {
            assert!((a - c.probability).abs() < 1e-9);
        }
        assert_eq!(e.predicted, "a");
    }
}
