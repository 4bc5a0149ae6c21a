//! Checks a loaded model before it scores anything: its parts fit together, its numbers are
//! in ranges a trained model can have (so no probability can overflow into NaN), its n-gram
//! sizes are bounded, and its classes are distinct. Every error names the model file.

use std::path::Path;

use super::Model;
use crate::Error;

/// Largest idf or naive-Bayes scale accepted. A trained model's idf is at most
/// 1 + ln(documents + 1) (about 24 for ten billion documents) and its naive-Bayes scale a
/// log-count ratio of similar size.
pub const MAX_FEATURE_SCALE: f64 = 1e6;

/// Largest absolute weight or intercept accepted (trained weights are of order 1 to 100).
/// With the bounds above, a score sums at most ~10^40 and cannot overflow.
pub const MAX_WEIGHT: f64 = 1e9;

/// Checks `model`, read from `path`.
pub(crate) fn check(path: &Path, model: &Model) -> Result<(), Error> {
    let bad = |reason: String| Error::InvalidModel {
        path: path.to_path_buf(),
        reason,
    };
    let classes = &model.classifier.classes;
    if let Some(c) = classes.iter().find(|c| c.trim().is_empty()) {
        return Err(bad(format!("a class name is empty ({c:?})")));
    }
    let mut sorted: Vec<&String> = classes.iter().collect();
    sorted.sort();
    if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(bad(format!(
            "the class {:?} is listed twice; classes: {}",
            w[0],
            classes.join(", ")
        )));
    }
    for (i, part) in model.features.parts.iter().enumerate() {
        let what = format!("feature part {}", i + 1);
        crate::features::check_ngram_range(&part.config.analyzer)
            .map_err(|e| bad(format!("{what}: {e}")))?;
        let scale = |name: &str, xs: &[f64]| -> Result<(), Error> {
            match xs
                .iter()
                .enumerate()
                .find(|(_, x)| !(x.is_finite() && **x >= 0.0 && **x <= MAX_FEATURE_SCALE))
            {
                Some((j, x)) => Err(bad(format!(
                    "{what}: {name} of term {:?} is {x}, expected a number in [0, {MAX_FEATURE_SCALE:e}]",
                    part.vocabulary.get(j).map_or("?", String::as_str)
                ))),
                None => Ok(()),
            }
        };
        scale("idf", &part.idf)?;
        if let Some(nb) = &part.nb_scale {
            scale("nb_scale", nb)?;
        }
    }
    model.features.check().map_err(|e| bad(e.to_string()))?;
    model
        .classifier
        .validate(model.features.n_features())
        .map_err(|e| bad(e.to_string()))?;
    let weights = model.classifier.coef.iter().flatten();
    if let Some(w) = weights
        .chain(&model.classifier.intercept)
        .find(|w| w.abs() > MAX_WEIGHT)
    {
        return Err(bad(format!(
            "a weight is {w}, expected at most {MAX_WEIGHT:e} in absolute value"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A small trained model as JSON.
    fn model_json(column: &str) -> serde_json::Value {
        let spec = crate::LabelSpec::new("text", column).skip_label("No agreement");
        let data = crate::LabelledData::read(
            "tests/fixtures/labels_small.csv".as_ref(),
            &spec,
            &crate::CsvOptions::default(),
        )
        .unwrap();
        let m = crate::model::train(&data, &crate::Config::default(), &Default::default()).unwrap();
        serde_json::from_str(&m.to_json().unwrap()).unwrap()
    }

    fn load(v: &serde_json::Value) -> Result<Model, Error> {
        Model::from_slice(Path::new("edited.json"), v.to_string().as_bytes())
    }

    fn message(v: &serde_json::Value) -> String {
        let e = load(v).unwrap_err();
        let m = e.to_string();
        assert!(m.starts_with("edited.json: "), "{m}");
        assert!(!m.contains("--"), "names a flag: {m}");
        m
    }

    /// Issue 11, item 5: finite but huge numbers are refused (they gave NaN probabilities);
    /// the bounds still admit every model training makes (the shipped ones load).
    #[test]
    fn r11_5_huge_numbers_are_refused() {
        let base = model_json("frame"); // three classes
        let mut v = base.clone();
        v["features"]["parts"][0]["idf"][0] = 1e308.into();
        assert!(message(&v).contains("idf of term"));
        let mut v = base.clone();
        v["features"]["parts"][0]["idf"][1] = (-1.0).into();
        assert!(message(&v).contains("idf of term"));
        let mut v = base.clone();
        let n = v["features"]["parts"][0]["idf"].as_array().unwrap().len();
        v["features"]["parts"][0]["nb_scale"] = serde_json::json!(vec![1e308; n]);
        assert!(message(&v).contains("nb_scale"));
        let mut v = base.clone();
        v["classifier"]["coef"][0][0] = 1.7e308.into();
        v["classifier"]["coef"][1][0] = (-1.7e308).into();
        assert!(message(&v).contains("a weight is"));
        let mut v = base.clone();
        v["classifier"]["intercept"][2] = 1e10.into();
        assert!(message(&v).contains("a weight is"));
        // At the bounds, probabilities stay finite.
        let mut v = base.clone();
        let coef = v["classifier"]["coef"].as_array_mut().unwrap();
        for (k, row) in coef.iter_mut().enumerate() {
            for w in row.as_array_mut().unwrap() {
                *w = (if k == 0 { MAX_WEIGHT } else { -MAX_WEIGHT }).into();
            }
        }
        for x in v["features"]["parts"][0]["idf"].as_array_mut().unwrap() {
            *x = MAX_FEATURE_SCALE.into();
        }
        let m = Arc::new(load(&v).unwrap());
        let mut s = m.scorer().unwrap();
        let mut p = Vec::new();
        s.proba_into(&"Russia NATO troops talks ".repeat(1000), &mut p);
        assert!(p.iter().all(|x| x.is_finite()), "{p:?}");
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for shipped in ["models/stance.json", "models/frame.json"] {
            Model::load(Path::new(shipped)).unwrap();
        }
    }

    /// Issue 11, item 6: n-gram sizes are bounded in model files, and the message names the
    /// file and the setting, not a flag.
    #[test]
    fn r11_6_ngram_range_is_bounded() {
        let mut v = model_json("stance");
        v["features"]["parts"][0]["config"]["analyzer"]["ngram_range"] =
            serde_json::json!([1, 1_000_000_000]);
        let m = message(&v);
        assert!(m.contains("ngram_range") && m.contains("<= 32"), "{m}");
        v["features"]["parts"][0]["config"]["analyzer"]["ngram_range"] = serde_json::json!([0, 0]);
        assert!(message(&v).contains("ngram_range"));
    }

    /// Issue 11, item 7: duplicate (or empty) classes are refused.
    #[test]
    fn r11_7_duplicate_classes_are_refused() {
        let mut v = model_json("frame");
        v["classifier"]["classes"][1] = v["classifier"]["classes"][0].clone();
        assert!(message(&v).contains("listed twice"));
        let mut v = model_json("frame");
        v["classifier"]["classes"][2] = "".into();
        assert!(message(&v).contains("class name is empty"));
    }

    /// Issue 11, item 8: inconsistencies name the file.
    #[test]
    fn r11_8_inconsistent_model_names_the_file() {
        let mut v = model_json("stance");
        v["classifier"]["coef"][0].as_array_mut().unwrap().pop();
        let m = message(&v);
        assert!(m.contains("a weight vector has"), "{m}");
    }
}
