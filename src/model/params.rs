//! Hyper-parameters of the logistic regression, checked before fitting (linfa's `ParamGuard`).

use serde::{Deserialize, Serialize};

use crate::Error;

/// Class weighting (scikit-learn's `class_weight`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClassWeight {
    /// Every row counts once.
    #[default]
    None,
    /// Row weight `n / (k · count of its class)`.
    Balanced,
}

/// Checked hyper-parameters; only these can fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticValidParams {
    c: f64,
    class_weight: ClassWeight,
    max_iter: u64,
    tol: f64,
}

impl LogisticValidParams {
    /// Inverse regularisation strength.
    pub fn c(&self) -> f64 {
        self.c
    }
    /// Class weighting.
    pub fn class_weight(&self) -> ClassWeight {
        self.class_weight
    }
    /// Iteration limit.
    pub fn max_iter(&self) -> u64 {
        self.max_iter
    }
    /// Gradient tolerance.
    pub fn tol(&self) -> f64 {
        self.tol
    }
}

/// Unchecked hyper-parameters with consuming setters.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticParams(LogisticValidParams);

impl Default for LogisticParams {
    fn default() -> Self {
        Self::new()
    }
}

impl LogisticParams {
    /// Defaults: C = 1.0, no class weights, 1000 iterations, tolerance 1e-6.
    pub fn new() -> Self {
        LogisticParams(LogisticValidParams {
            c: 1.0,
            class_weight: ClassWeight::None,
            max_iter: 1000,
            tol: 1e-6,
        })
    }

    /// Inverse of the L2 penalty, as scikit-learn's `C` (linfa's `alpha` is `1/C`).
    /// Defaults to 1.0; must be finite and > 0.
    pub fn c(mut self, c: f64) -> Self {
        self.0.c = c;
        self
    }

    /// Class weighting. Defaults to none.
    pub fn class_weight(mut self, cw: ClassWeight) -> Self {
        self.0.class_weight = cw;
        self
    }

    /// Maximum L-BFGS iterations. Defaults to 1000; must be >= 1.
    pub fn max_iter(mut self, n: u64) -> Self {
        self.0.max_iter = n;
        self
    }

    /// Stop when the L2 norm of the gradient of the objective divided by `C·n` falls below
    /// this. Defaults to 1e-6; must be finite and > 0.
    pub fn tol(mut self, tol: f64) -> Self {
        self.0.tol = tol;
        self
    }
}

/// Back to the unchecked form, to change a setting and check again.
impl From<LogisticValidParams> for LogisticParams {
    fn from(p: LogisticValidParams) -> Self {
        LogisticParams(p)
    }
}

impl linfa::ParamGuard for LogisticParams {
    type Checked = LogisticValidParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&Self::Checked, Self::Error> {
        let p = &self.0;
        if !(p.c.is_finite() && p.c > 0.0) {
            return Err(Error::setting("c", p.c.to_string(), "a finite number > 0"));
        }
        if !(p.tol.is_finite() && p.tol > 0.0) {
            return Err(Error::setting(
                "tol",
                p.tol.to_string(),
                "a finite number > 0",
            ));
        }
        if p.max_iter == 0 {
            return Err(Error::setting("max_iter", "0", "at least 1"));
        }
        Ok(p)
    }

    fn check(self) -> Result<Self::Checked, Self::Error> {
        self.check_ref()?;
        Ok(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::ParamGuard;

    #[test]
    fn invalid_values_are_refused() {
        assert!(matches!(
            LogisticParams::new().c(0.0).check(),
            Err(Error::InvalidSetting { name: "c", .. })
        ));
        assert!(matches!(
            LogisticParams::new().tol(f64::NAN).check(),
            Err(Error::InvalidSetting { name: "tol", .. })
        ));
        assert!(matches!(
            LogisticParams::new().max_iter(0).check(),
            Err(Error::InvalidSetting {
                name: "max_iter",
                ..
            })
        ));
        assert_eq!(LogisticParams::new().c(2.0).check().unwrap().c(), 2.0);
    }
}
