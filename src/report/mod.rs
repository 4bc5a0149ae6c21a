//! Report: per-source (outlet) framing summaries from a scores file.
//!
//! For each model in the scores file and each source: documents, sentences, and for each
//! label its count, share and 95% Wilson interval, and the mean probability of each class;
//! then a chi-square test of independence of source × label. The scores file is read row by
//! row; only the per-source tallies are kept.

mod render;

pub use render::{render, ReportFormat};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::data::{self, CsvOptions};
use crate::Error;

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// What to summarise.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Column to group by. Default `source`.
    pub by: String,
    /// Only this model (column prefix); default every model in the file.
    pub model_name: Option<String>,
    /// CSV options.
    pub csv: CsvOptions,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            by: "source".into(),
            model_name: None,
            csv: CsvOptions::default(),
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The scores file.
    pub input: String,
    /// Grouping column.
    pub by: String,
    /// One section per model.
    pub models: Vec<ModelReport>,
}

/// One model's summary across groups.
#[derive(Debug, Clone, Serialize)]
pub struct ModelReport {
    /// Model name (column prefix).
    pub name: String,
    /// Class labels (from the probability columns).
    pub classes: Vec<String>,
    /// Per group, sorted by name.
    pub groups: Vec<GroupSummary>,
    /// All groups together.
    pub overall: GroupSummary,
    /// Test that label shares differ between groups.
    pub chi_square: Option<ChiSquare>,
}

/// One group's (source's) summary.
#[derive(Debug, Clone, Serialize)]
pub struct GroupSummary {
    /// Group value (source name).
    pub group: String,
    /// Distinct documents.
    pub documents: usize,
    /// Sentences (rows).
    pub sentences: usize,
    /// One entry per class.
    pub labels: Vec<LabelShare>,
}

/// A label's share in a group.
#[derive(Debug, Clone, Serialize)]
pub struct LabelShare {
    /// The label.
    pub label: String,
    /// Sentences with this predicted label.
    pub count: usize,
    /// count / sentences.
    pub share: f64,
    /// Lower bound of the 95% Wilson interval.
    pub ci_low: f64,
    /// Upper bound of the 95% Wilson interval.
    pub ci_high: f64,
    /// Lower bound of the 95% interval that treats documents (articles) as the sampled units:
    /// sentences of one article are not independent. `None` with fewer than 2 documents.
    pub cluster_ci_low: Option<f64>,
    /// Upper bound of that interval.
    pub cluster_ci_high: Option<f64>,
    /// Mean predicted probability of this class.
    pub mean_probability: f64,
}

/// Pearson's chi-square test of independence of group × predicted label.
#[derive(Debug, Clone, Serialize)]
pub struct ChiSquare {
    /// The statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// p-value.
    pub p_value: f64,
    /// Share of cells with an expected count below 5 (the test is unreliable above 0.2).
    pub low_expected_share: f64,
}

/// The 95% Wilson score interval for `x` successes in `n` trials.
pub fn wilson(x: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (x, n) = (x as f64, n as f64);
    let p = x / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At x = 0 or x = n the exact bound is 0 or 1; rounding would leave it a hair inside.
    let lo = if x == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if x == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

/// A 95% interval for a share of sentences when sentences come in documents: the share is the
/// ratio estimator p = Σxⱼ / Σnⱼ over documents j (xⱼ of nⱼ sentences have the label), its
/// cluster-robust standard error is √(m/(m−1) · Σ(xⱼ − p·nⱼ)²) / Σnⱼ for m documents, and the
/// interval is p ± t(m−1, 0.975)·se, clipped to [0, 1]. `None` with fewer than 2 documents.
pub fn clustered_interval(per_doc: &[(usize, usize)]) -> Option<(f64, f64)> {
    use statrs::distribution::StudentsT;
    let m = per_doc.iter().filter(|(_, n)| *n > 0).count();
    let n: f64 = per_doc.iter().map(|(_, n)| *n as f64).sum();
    if m < 2 || n == 0.0 {
        return None;
    }
    let x: f64 = per_doc.iter().map(|(x, _)| *x as f64).sum();
    let p = x / n;
    let ss: f64 = per_doc
        .iter()
        .map(|(xj, nj)| (*xj as f64 - p * *nj as f64).powi(2))
        .sum();
    let mf = m as f64;
    let se = (mf / (mf - 1.0) * ss).sqrt() / n;
    let t = StudentsT::new(0.0, 1.0, mf - 1.0).ok()?.inverse_cdf(0.975);
    Some(((p - t * se).max(0.0), (p + t * se).min(1.0)))
}

/// Pearson's chi-square test on a contingency table (rows × columns of counts). Rows and
/// columns that are all zero are dropped; `None` when fewer than 2 remain either way.
pub fn chi_square(table: &[Vec<usize>]) -> Option<ChiSquare> {
    let rows: Vec<&Vec<usize>> = table
        .iter()
        .filter(|r| r.iter().sum::<usize>() > 0)
        .collect();
    let ncol = rows.first()?.len();
    let cols: Vec<usize> = (0..ncol)
        .filter(|&j| rows.iter().map(|r| r[j]).sum::<usize>() > 0)
        .collect();
    if rows.len() < 2 || cols.len() < 2 {
        return None;
    }
    let n: f64 = rows
        .iter()
        .flat_map(|r| cols.iter().map(|&j| r[j] as f64))
        .sum();
    let row_tot: Vec<f64> = rows
        .iter()
        .map(|r| cols.iter().map(|&j| r[j] as f64).sum())
        .collect();
    let col_tot: Vec<f64> = cols
        .iter()
        .map(|&j| rows.iter().map(|r| r[j] as f64).sum())
        .collect();
    let mut stat = 0.0;
    let mut low = 0usize;
    for (i, r) in rows.iter().enumerate() {
        for (k, &j) in cols.iter().enumerate() {
            let e = row_tot[i] * col_tot[k] / n;
            if e < 5.0 {
                low += 1;
            }
            stat += (r[j] as f64 - e).powi(2) / e;
        }
    }
    let df = (rows.len() - 1) * (cols.len() - 1);
    let p_value = ChiSquared::new(df as f64)
        .map(|d| d.sf(stat))
        .unwrap_or(f64::NAN);
    Some(ChiSquare {
        statistic: stat,
        df,
        p_value,
        low_expected_share: low as f64 / (rows.len() * cols.len()) as f64,
    })
}

#[derive(Default)]
struct Tally {
    /// Per document: sentences, then the count of each label.
    docs: BTreeMap<String, (usize, Vec<usize>)>,
    sentences: usize,
    counts: Vec<usize>,
    prob_sums: Vec<f64>,
}

struct ModelColumns {
    name: String,
    label: usize,
    probs: Vec<(String, usize)>,
}

/// Builds the report from a scores file (CSV as written by `framelens score`).
pub fn build(path: &Path, opts: &ReportOptions) -> Result<Report, Error> {
    let mut table = Rows::open(path, &opts.csv)?;
    let headers = table.headers.clone();
    let gi = headers
        .iter()
        .position(|h| *h == opts.by)
        .ok_or_else(|| Error::MissingColumn {
            path: path.to_path_buf(),
            column: opts.by.clone(),
            available: headers.clone(),
        })?;
    let di = headers.iter().position(|h| h == "doc");
    let mut models: Vec<ModelColumns> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some(name) = h.strip_suffix("_label") {
            let prefix = format!("{name}_p_");
            let probs: Vec<(String, usize)> = headers
                .iter()
                .enumerate()
                .filter_map(|(j, c)| c.strip_prefix(&prefix).map(|cls| (cls.to_string(), j)))
                .collect();
            if !probs.is_empty() {
                models.push(ModelColumns {
                    name: name.to_string(),
                    label: i,
                    probs,
                });
            }
        }
    }
    if models.is_empty() {
        return Err(Error::NoModels {
            path: path.to_path_buf(),
            columns: headers.join(", "),
        });
    }
    if let Some(want) = &opts.model_name {
        let available = models
            .iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(", ");
        models.retain(|m| &m.name == want);
        if models.is_empty() {
            return Err(Error::UnknownModel {
                path: path.to_path_buf(),
                name: want.clone(),
                available,
            });
        }
    }
    let mut tallies: Vec<BTreeMap<String, Tally>> =
        models.iter().map(|_| BTreeMap::new()).collect();
    while let Some(row) = table.next_row()? {
        let field = |i: usize| row.get(i).cloned().unwrap_or_default();
        let group = field(gi);
        let doc = di.map(field).unwrap_or_default();
        for (m, tally) in models.iter().zip(tallies.iter_mut()) {
            let k = m.probs.len();
            let t = tally.entry(group.clone()).or_insert_with(|| Tally {
                counts: vec![0; k],
                prob_sums: vec![0.0; k],
                ..Tally::default()
            });
            let per_doc = t.docs.entry(doc.clone()).or_insert_with(|| (0, vec![0; k]));
            per_doc.0 += 1;
            t.sentences += 1;
            let label = field(m.label);
            if let Some(c) = m.probs.iter().position(|(cls, _)| *cls == label) {
                t.counts[c] += 1;
                per_doc.1[c] += 1;
            }
            for (c, (_, j)) in m.probs.iter().enumerate() {
                let v = field(*j);
                let p: f64 = v.trim().parse().map_err(|_| Error::BadNumber {
                    path: path.to_path_buf(),
                    line: table.line,
                    column: headers[*j].clone(),
                    value: v.clone(),
                })?;
                t.prob_sums[c] += p;
            }
        }
    }
    let reports = models
        .into_iter()
        .zip(tallies)
        .map(|(m, tally)| {
            let classes: Vec<String> = m.probs.iter().map(|(c, _)| c.clone()).collect();
            let summarise = |group: &str, t: &Tally| GroupSummary {
                group: group.to_string(),
                documents: t.docs.len(),
                sentences: t.sentences,
                labels: classes
                    .iter()
                    .enumerate()
                    .map(|(c, label)| {
                        let (lo, hi) = wilson(t.counts[c], t.sentences);
                        let per_doc: Vec<(usize, usize)> =
                            t.docs.values().map(|(n, x)| (x[c], *n)).collect();
                        let clustered = clustered_interval(&per_doc);
                        LabelShare {
                            cluster_ci_low: clustered.map(|c| c.0),
                            cluster_ci_high: clustered.map(|c| c.1),
                            label: label.clone(),
                            count: t.counts[c],
                            share: if t.sentences == 0 {
                                0.0
                            } else {
                                t.counts[c] as f64 / t.sentences as f64
                            },
                            ci_low: lo,
                            ci_high: hi,
                            mean_probability: if t.sentences == 0 {
                                0.0
                            } else {
                                t.prob_sums[c] / t.sentences as f64
                            },
                        }
                    })
                    .collect(),
            };
            let mut all = Tally {
                counts: vec![0; classes.len()],
                prob_sums: vec![0.0; classes.len()],
                ..Tally::default()
            };
            for (g, t) in &tally {
                all.docs.extend(
                    t.docs
                        .iter()
                        .map(|(d, v)| (format!("{g}\u{1f}{d}"), v.clone())),
                );
                all.sentences += t.sentences;
                for c in 0..classes.len() {
                    all.counts[c] += t.counts[c];
                    all.prob_sums[c] += t.prob_sums[c];
                }
            }
            let table: Vec<Vec<usize>> = tally.values().map(|t| t.counts.clone()).collect();
            ModelReport {
                name: m.name.clone(),
                groups: tally.iter().map(|(g, t)| summarise(g, t)).collect(),
                overall: summarise("(all)", &all),
                chi_square: chi_square(&table),
                classes,
            }
        })
        .collect();
    Ok(Report {
        input: path.display().to_string(),
        by: opts.by.clone(),
        models: reports,
    })
}

/// Rows of a scores file: CSV, or JSON Lines (`.jsonl`, `.ndjson`; the keys of the first
/// object are the columns).
struct Rows {
    path: PathBuf,
    headers: Vec<String>,
    line: u64,
    csv: Option<data::Table<data::TableReader>>,
    jsonl: Option<std::io::Lines<std::io::BufReader<std::fs::File>>>,
    first: Option<Vec<String>>,
}

impl Rows {
    fn open(path: &Path, opts: &CsvOptions) -> Result<Rows, Error> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("jsonl" | "ndjson")) {
            let t = data::open_table(path, opts)?;
            return Ok(Rows {
                path: path.to_path_buf(),
                headers: t.headers().to_vec(),
                line: 1,
                csv: Some(t),
                jsonl: None,
                first: None,
            });
        }
        data::check_input_file(path)?;
        let f = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        use std::io::BufRead;
        let mut rows = Rows {
            path: path.to_path_buf(),
            headers: Vec::new(),
            line: 0,
            csv: None,
            jsonl: Some(std::io::BufReader::new(f).lines()),
            first: None,
        };
        match rows.next_json(true)? {
            Some(first) => rows.first = Some(first),
            None => {
                return Err(Error::Empty {
                    path: path.to_path_buf(),
                }
                .into())
            }
        }
        Ok(rows)
    }

    fn next_row(&mut self) -> Result<Option<Vec<String>>, Error> {
        if let Some(t) = &mut self.csv {
            if !t.next_row()? {
                return Ok(None);
            }
            self.line = t.line();
            return Ok(Some(
                (0..self.headers.len())
                    .map(|i| t.field(i))
                    .collect::<Result<_, _>>()?,
            ));
        }
        if let Some(first) = self.first.take() {
            return Ok(Some(first));
        }
        self.next_json(false)
    }

    fn next_json(&mut self, set_headers: bool) -> Result<Option<Vec<String>>, Error> {
        let Some(lines) = &mut self.jsonl else {
            return Ok(None);
        };
        for line in lines.by_ref() {
            self.line += 1;
            let err = |message: String| Error::Json {
                path: self.path.clone(),
                line: self.line,
                message,
            };
            let line = line.map_err(|e| err(e.to_string()))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| err(format!("invalid JSON: {e}")))?;
            let obj = v
                .as_object()
                .ok_or_else(|| err("expected a JSON object per line".into()))?;
            if set_headers {
                self.headers = obj.keys().cloned().collect();
            }
            return Ok(Some(
                self.headers
                    .iter()
                    .map(|h| match obj.get(h) {
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(serde_json::Value::Null) | None => String::new(),
                        Some(other) => other.to_string(),
                    })
                    .collect(),
            ));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values: scipy 1.17.1, `python3 scripts/report_reference.py`.

    #[test]
    fn csv_and_jsonl_scores_give_the_same_report() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("s.csv");
        std::fs::write(
            &csv,
            "source,doc,index,text,m_label,m_p_a,m_p_b\nx,1,0,t,a,0.9,0.1\nx,1,1,t,b,0.2,0.8\nx,2,0,t,a,0.6,0.4\ny,3,0,t,b,0.3,0.7\n",
        )
        .unwrap();
        let jsonl = dir.path().join("s.jsonl");
        std::fs::write(
            &jsonl,
            concat!(
                r#"{"source":"x","doc":"1","index":0,"text":"t","m_label":"a","m_p_a":0.9,"m_p_b":0.1}"#, "\n",
                r#"{"source":"x","doc":"1","index":1,"text":"t","m_label":"b","m_p_a":0.2,"m_p_b":0.8}"#, "\n",
                r#"{"source":"x","doc":"2","index":0,"text":"t","m_label":"a","m_p_a":0.6,"m_p_b":0.4}"#, "\n",
                r#"{"source":"y","doc":"3","index":0,"text":"t","m_label":"b","m_p_a":0.3,"m_p_b":0.7}"#, "\n",
            ),
        )
        .unwrap();
        let a = build(&csv, &ReportOptions::default()).unwrap();
        let b = build(&jsonl, &ReportOptions::default()).unwrap();
        for r in [&a, &b] {
            let m = &r.models[0];
            assert_eq!(m.name, "m");
            assert_eq!(m.classes, ["a", "b"]);
            let x = &m.groups[0];
            assert_eq!((x.group.as_str(), x.documents, x.sentences), ("x", 2, 3));
            assert_eq!((x.labels[0].count, x.labels[1].count), (2, 1));
            assert!((x.labels[0].mean_probability - (0.9 + 0.2 + 0.6) / 3.0).abs() < 1e-12);
            assert_eq!(m.overall.sentences, 4);
            assert_eq!(m.overall.documents, 3);
        }
        let missing = ReportOptions {
            by: "outlet".into(),
            ..ReportOptions::default()
        };
        assert!(matches!(
            build(&csv, &missing),
            Err(Error::MissingColumn { .. })
        ));
        let named = ReportOptions {
            model_name: Some("zz".into()),
            ..ReportOptions::default()
        };
        assert!(matches!(
            build(&csv, &named),
            Err(Error::UnknownModel { .. })
        ));
    }

    #[test]
    fn clustered_interval_matches_hand_computation() {
        // Documents (x of n): 2/10, 3/10, 4/10, 1/10; p = 0.25; residuals -0.5, 0.5, 1.5, -1.5
        // (Σ² = 5); se = sqrt(4/3 · 5) / 40; t(3, 0.975) = 3.1824463052837078 (scipy.stats.t.ppf).
        // Expected (scipy, scripts/report_reference.py): 0.04457..., 0.45542...
        let (lo, hi) = clustered_interval(&[(2, 10), (3, 10), (4, 10), (1, 10)]).unwrap();
        let half = 3.182_446_305_283_707_8 * (4.0f64 / 3.0 * 5.0).sqrt() / 40.0;
        assert!(
            (lo - (0.25 - half)).abs() < 1e-9 && (hi - (0.25 + half)).abs() < 1e-9,
            "{lo} {hi}"
        );
        assert!(lo > 0.04 && hi < 0.46);
        // Wider than the Wilson interval for 10 of 40 independent sentences.
        let (wl, wh) = wilson(10, 40);
        assert!(lo < wl && hi > wh);
        // Identical documents: no between-document spread, a zero-width interval.
        let (lo, hi) = clustered_interval(&[(2, 4), (2, 4), (2, 4)]).unwrap();
        assert!((lo - 0.5).abs() < 1e-12 && (hi - 0.5).abs() < 1e-12);
        assert!(clustered_interval(&[(2, 4)]).is_none());
    }

    #[test]
    fn wilson_matches_scipy() {
        let (lo, hi) = wilson(12, 50);
        assert!(
            (lo - 0.1429739139699173).abs() < 1e-12 && (hi - 0.3741268375794292).abs() < 1e-12,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 10);
        assert!(lo == 0.0 && (hi - 0.27753279986288926).abs() < 1e-12);
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    #[test]
    fn chi_square_matches_scipy() {
        let c = chi_square(&[vec![10, 20], vec![30, 15]]).unwrap();
        assert!((c.statistic - 8.035714285714285).abs() < 1e-9);
        assert!(
            (c.p_value - 0.0045863920802535025).abs() < 1e-12,
            "{}",
            c.p_value
        );
        assert_eq!(c.df, 1);
        let t = [
            vec![60, 26],
            vec![11, 19],
            vec![54, 62],
            vec![8, 27],
            vec![27, 27],
        ];
        let c = chi_square(&t).unwrap();
        assert!((c.statistic - 26.438344966695574).abs() < 1e-9);
        assert!(
            (c.p_value - 2.5814318108601174e-05).abs() < 1e-12,
            "{}",
            c.p_value
        );
        assert_eq!(c.df, 4);
        assert!(chi_square(&[vec![1, 2]]).is_none());
        assert!(chi_square(&[vec![1, 0], vec![3, 0]]).is_none());
    }
}
