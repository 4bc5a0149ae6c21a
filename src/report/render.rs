//! Report output: Markdown tables, a long-format CSV, JSON, or an HTML page.

use std::fmt::Write as _;

use super::{GroupSummary, ModelReport, Report, Warning};

/// Report output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Markdown tables (readable in a terminal, pastes into a paper or an issue).
    Markdown,
    /// One row per model × group × label.
    Csv,
    /// The full report as JSON.
    Json,
    /// One self-contained HTML page with charts (inline SVG, no network requests).
    Html,
}

impl ReportFormat {
    /// The format a file's extension names (`.md`/`.markdown`, `.csv`, `.json`, `.html`/`.htm`,
    /// any case); `None` for any other.
    pub fn from_extension(path: &std::path::Path) -> Option<ReportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "md" | "markdown" => ReportFormat::Markdown,
            "csv" => ReportFormat::Csv,
            "json" => ReportFormat::Json,
            "html" | "htm" => ReportFormat::Html,
            _ => return None,
        })
    }
}

/// Renders a report.
pub fn render(report: &Report, format: ReportFormat) -> String {
    match format {
        ReportFormat::Markdown => markdown(report),
        ReportFormat::Csv => csv_long(report),
        ReportFormat::Html => super::html::html(report),
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(report)
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
            s.push('\n');
            s
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

fn markdown(r: &Report) -> String {
    let mut s = String::new();
    for m in &r.models {
        let _ = writeln!(s, "## {} by {}\n", m.name, r.by);
        headline_table(r, m, &mut s);
        let _ = writeln!(
            s,
            "Share of sentences per predicted label, % with 95% Wilson interval (count). Input: `{}`.\n",
            r.input
        );
        table_head(&r.by, &m.classes, &mut s);
        let row = |g: &GroupSummary, s: &mut String| {
            let _ = write!(s, "| {} | {} | {} |", g.group, g.documents, g.sentences);
            for l in &g.labels {
                let _ = write!(
                    s,
                    " {} [{}–{}] ({}) |",
                    pct(l.share),
                    pct(l.ci_low),
                    pct(l.ci_high),
                    l.count
                );
            }
            s.push('\n');
        };
        for g in &m.groups {
            row(g, &mut s);
        }
        let mut all = m.overall.clone();
        all.group = "**all**".into();
        row(&all, &mut s);
        if m.groups.iter().any(|g| g.documents >= 2) {
            let _ = writeln!(
                s,
                "\nShare %, 95% interval with documents as the sampled units (sentences of one article are not independent; cluster-robust, t with documents − 1 df):\n"
            );
            let mut head = format!("| {} | documents |", r.by);
            let mut rule = "|---|---:|".to_string();
            for c in &m.classes {
                let _ = write!(head, " {c} |");
                rule.push_str("---:|");
            }
            let _ = writeln!(s, "{head}\n{rule}");
            for g in m.groups.iter().chain(std::iter::once(&m.overall)) {
                let _ = write!(s, "| {} | {} |", g.group, g.documents);
                for l in &g.labels {
                    match (l.cluster_ci_low, l.cluster_ci_high) {
                        (Some(lo), Some(hi)) => {
                            let _ = write!(s, " {} [{}–{}] |", pct(l.share), pct(lo), pct(hi));
                        }
                        _ => {
                            let _ = write!(s, " {} (1 document) |", pct(l.share));
                        }
                    }
                }
                s.push('\n');
            }
        }
        let _ = writeln!(s, "\nMean predicted probability per class, %:\n");
        let mut head = format!("| {} |", r.by);
        let mut rule = "|---|".to_string();
        for c in &m.classes {
            let _ = write!(head, " {c} |");
            rule.push_str("---:|");
        }
        let _ = writeln!(s, "{head}\n{rule}");
        for g in m.groups.iter().chain(std::iter::once(&m.overall)) {
            let _ = write!(s, "| {} |", g.group);
            for l in &g.labels {
                let _ = write!(s, " {} |", pct(l.mean_probability));
            }
            s.push('\n');
        }
        stance_index_table(r, m, &mut s);
        pairwise_table(r, m, &mut s);
        distinctive_table(r, m, &mut s);
        examples_section(r, m, &mut s);
        match &m.chi_square {
            Some(c) => {
                let verdict = if c.p_value < 0.05 {
                    "the label shares differ between groups (p < 0.05)"
                } else {
                    "no evidence that the label shares differ between groups (p ≥ 0.05)"
                };
                let _ = writeln!(
                    s,
                    "\nChi-square test of {} × {} label: χ² = {:.2}, df = {}, p = {:.3e}: {verdict}.",
                    r.by, m.name, c.statistic, c.df, c.p_value
                );
                if c.low_expected_share > 0.2 {
                    let _ = writeln!(
                        s,
                        "Caution: {:.0}% of cells have an expected count below 5, so the p-value is approximate.",
                        100.0 * c.low_expected_share
                    );
                }
            }
            None => {
                let _ = writeln!(s, "\nChi-square test: not applicable (needs at least two groups and two labels observed).");
            }
        }
        if m.document_test.is_none() && m.groups.len() >= 2 {
            let _ = writeln!(
                s,
                "Documents as the units: not tested (every group needs at least 2 documents)."
            );
        }
        if let Some(t) = &m.document_test {
            let _ = writeln!(
                s,
                "Documents as the units (whole documents shuffled between groups, {} permutations, {} documents): p = {:.4}{}.",
                t.permutations,
                t.documents,
                t.p_value,
                if t.p_value < 0.05 {
                    ": the label shares differ between groups (p < 0.05)"
                } else {
                    ": no evidence that the label shares differ between groups (p ≥ 0.05)"
                }
            );
        }
        let _ = writeln!(
            s,
            "Wilson intervals treat sentences as independent; sentences of one article are not, so they are too narrow when articles are few{}.\n",
            if m.groups.iter().any(|g| g.documents >= 2) {
                " (see the document-level intervals above)"
            } else {
                " (document-level intervals need at least 2 documents per group)"
            }
        );
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(s, "## Warnings\n");
        for w in &r.warnings {
            let _ = writeln!(
                s,
                "- {}{}: {}",
                w.model,
                w.group
                    .as_ref()
                    .map_or(String::new(), |g| format!(" / {g}")),
                w.message
            );
        }
        s.push('\n');
    }
    s
}

/// The stance index of each group, when asked for.
fn stance_index_table(r: &Report, m: &ModelReport, s: &mut String) {
    let Some(first) = m
        .groups
        .iter()
        .chain(std::iter::once(&m.overall))
        .find_map(|g| g.stance_index.as_ref())
    else {
        return;
    };
    let _ = writeln!(
        s,
        "\nStance index: mean of P({}) − P({}) over the sentences (−1 to 1), with a 95% bootstrap interval (documents resampled):\n",
        first.pro, first.anti
    );
    let _ = writeln!(s, "| {} | index | 95% interval |\n|---|---:|---|", r.by);
    for g in m.groups.iter().chain(std::iter::once(&m.overall)) {
        if let Some(x) = &g.stance_index {
            let ci = match (x.ci_low, x.ci_high) {
                (Some(lo), Some(hi)) => format!("{lo:+.3} to {hi:+.3}"),
                _ => "cannot be estimated (fewer than 3 documents)".to_string(),
            };
            let _ = writeln!(s, "| {} | {:+.3} | {ci} |", g.group, x.value);
        }
    }
}

/// The distinctive terms of each group.
fn distinctive_table(r: &Report, m: &ModelReport, s: &mut String) {
    if !m.has_distinctive() {
        return;
    }
    let _ = writeln!(
        s,
        "\nDistinctive terms of each {} against the others (weighted log-odds with an informative Dirichlet prior, Monroe et al. 2008; z-score, occurrences in the group / in the rest):\n",
        r.by
    );
    let _ = writeln!(s, "| {} | terms |\n|---|---|", r.by);
    for d in &m.distinctive {
        let terms: Vec<String> = d
            .terms
            .iter()
            .map(|t| {
                format!(
                    "{} (z {:.1}, {}/{})",
                    super::distinctive::shown_term(&t.term),
                    t.z,
                    t.count,
                    t.count_rest
                )
            })
            .collect();
        let _ = writeln!(s, "| {} | {} |", d.group, terms.join(", "));
    }
}

/// The most confident example sentences per group and label.
fn examples_section(r: &Report, m: &ModelReport, s: &mut String) {
    if !m.has_examples() {
        return;
    }
    let _ = writeln!(
        s,
        "\nExample sentences: the most confident predictions of each label per {} (probability, document, sentence index):\n",
        r.by
    );
    for g in &m.groups {
        for l in &g.labels {
            for e in &l.examples {
                let _ = writeln!(
                    s,
                    "- {} / {} ({:.2}, {} #{}): {}",
                    g.group,
                    l.label,
                    e.probability,
                    e.doc,
                    e.index,
                    e.text.replace('\n', " ")
                );
            }
        }
    }
}

/// Pairwise differences of the headline shares, per label.
fn pairwise_table(r: &Report, m: &ModelReport, s: &mut String) {
    let Some(first) = m.pairwise.first() else {
        if m.groups.len() >= 2 {
            let _ = writeln!(
                s,
                "\nPairwise comparisons: none (they need at least two groups with 3 or more documents each)."
            );
        }
        return;
    };
    let _ = writeln!(
        s,
        "\nPairwise differences of the `{}` shares, percentage points ({} a − b), with 95% bootstrap intervals (documents resampled) and p-values Holm-adjusted over the pairs of each label{}:\n",
        first.estimator,
        r.by,
        if m.groups.iter().any(|g| g.documents < super::estimate::MIN_DOCUMENTS) {
            "; groups with fewer than 3 documents are left out"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "| label | a | b | difference | 95% interval | p | p (Holm) |\n|---|---|---|---:|---|---:|---:|"
    );
    for d in &m.pairwise {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:+.1} | {:+.1} to {:+.1} | {:.3} | {:.3}{} |",
            d.label,
            d.a,
            d.b,
            100.0 * d.difference,
            100.0 * d.ci_low,
            100.0 * d.ci_high,
            d.p_value,
            d.p_holm,
            if d.p_holm < 0.05 { " *" } else { "" }
        );
    }
    let _ = writeln!(s, "\n`*` Holm-adjusted p < 0.05.");
}

/// The estimates the report leads with, and every estimator's value.
fn headline_table(r: &Report, m: &ModelReport, s: &mut String) {
    let Some(first) = m.overall.labels.first() else {
        return;
    };
    let _ = writeln!(
        s,
        "{} %, estimated by `{}`{}, with its 95% bootstrap interval (documents{} resampled). Input: `{}`.\n",
        if m.corrected { "Share" } else { "Share of predicted labels" },
        first.headline,
        if m.corrected { " (corrected for the classifier's errors)" } else { " (uncorrected)" },
        if first.headline == "adjusted_count" || first.headline == "probability_adjusted" {
            " and the model's cross-validation"
        } else {
            ""
        },
        r.input
    );
    table_head(&r.by, &m.classes, s);
    for g in m.groups.iter().chain(std::iter::once(&m.overall)) {
        let name = if g.group == "(all)" {
            "**all**"
        } else {
            &g.group
        };
        let _ = write!(s, "| {} | {} | {} |", name, g.documents, g.sentences);
        for l in &g.labels {
            let est = l.estimates.by_key(l.headline).unwrap_or(l.share);
            match (l.headline_ci_low, l.headline_ci_high) {
                (Some(lo), Some(hi)) => {
                    let _ = write!(s, " {} [{}–{}] |", pct(est), pct(lo), pct(hi));
                }
                _ => {
                    let _ = write!(s, " {} (interval cannot be estimated) |", pct(est));
                }
            }
        }
        s.push('\n');
    }
    if m.corrected {
        let _ = writeln!(
            s,
            "\nEvery estimator, % (`*` clipped to [0, 1]; `–` not available):\n"
        );
        let _ = writeln!(
            s,
            "| {} | label | classify_count | probability_average | adjusted_count | probability_adjusted | em |\n|---|---|---:|---:|---:|---:|---:|",
            r.by
        );
        for g in m.groups.iter().chain(std::iter::once(&m.overall)) {
            for l in &g.labels {
                let _ = write!(s, "| {} | {} |", g.group, l.label);
                for (w, key) in super::ESTIMATORS.iter().enumerate() {
                    let mark = if l.clipped.contains(key) { "*" } else { "" };
                    match l.estimates.get(w) {
                        Some(v) => {
                            let _ = write!(s, " {}{mark} |", pct(v));
                        }
                        None => s.push_str(" – |"),
                    }
                }
                s.push('\n');
            }
        }
    }
    s.push('\n');
}

fn opt(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| format!("{v:.6}"))
}

/// The warnings about a group's row: the model-wide ones and the group's own.
fn row_warnings(ws: &[Warning], model: &str, group: &str) -> String {
    ws.iter()
        .filter(|w| w.model == model && w.group.as_deref().is_none_or(|g| g == group))
        .map(|w| w.kind)
        .collect::<Vec<_>>()
        .join(";")
}

fn csv_long(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "model",
        "by",
        "group",
        "documents",
        "sentences",
        "label",
        "count",
        "share",
        "ci_low",
        "ci_high",
        "mean_probability",
        "cluster_ci_low",
        "cluster_ci_high",
        "chi_square",
        "df",
        "p_value",
        "classify_count",
        "probability_average",
        "adjusted_count",
        "probability_adjusted",
        "em",
        "clipped",
        "headline",
        "headline_estimate",
        "headline_ci_low",
        "headline_ci_high",
        "in_sample",
        "warnings",
        "row_kind",
        "stance_index",
        "stance_index_ci_low",
        "stance_index_ci_high",
        "document_test_p",
        "distinctive_terms",
        "examples",
        "difference",
        "difference_ci_low",
        "difference_ci_high",
        "pair_p_value",
        "pair_p_holm",
    ]);
    for m in &r.models {
        let (chi, df, p) =
            m.chi_square
                .as_ref()
                .map_or((String::new(), String::new(), String::new()), |c| {
                    (
                        format!("{:.6}", c.statistic),
                        c.df.to_string(),
                        format!("{:.6e}", c.p_value),
                    )
                });
        for g in m.groups.iter().chain(std::iter::once(&m.overall)) {
            for l in &g.labels {
                let _ = w.write_record([
                    m.name.as_str(),
                    r.by.as_str(),
                    g.group.as_str(),
                    &g.documents.to_string(),
                    &g.sentences.to_string(),
                    &l.label,
                    &l.count.to_string(),
                    &format!("{:.6}", l.share),
                    &format!("{:.6}", l.ci_low),
                    &format!("{:.6}", l.ci_high),
                    &format!("{:.6}", l.mean_probability),
                    &l.cluster_ci_low
                        .map_or(String::new(), |v| format!("{v:.6}")),
                    &l.cluster_ci_high
                        .map_or(String::new(), |v| format!("{v:.6}")),
                    &chi,
                    &df,
                    &p,
                    &opt(l.estimates.classify_count),
                    &opt(l.estimates.probability_average),
                    &opt(l.estimates.adjusted_count),
                    &opt(l.estimates.probability_adjusted),
                    &opt(l.estimates.em),
                    &l.clipped.join(";"),
                    l.headline,
                    &opt(l.estimates.by_key(l.headline)),
                    &opt(l.headline_ci_low),
                    &opt(l.headline_ci_high),
                    &g.in_sample.map_or(String::new(), |n| n.to_string()),
                    &row_warnings(&r.warnings, &m.name, &g.group),
                    "share",
                    &opt(g.stance_index.as_ref().map(|x| x.value)),
                    &opt(g.stance_index.as_ref().and_then(|x| x.ci_low)),
                    &opt(g.stance_index.as_ref().and_then(|x| x.ci_high)),
                    &opt(m.document_test.as_ref().map(|t| t.p_value)),
                    &m.distinctive
                        .iter()
                        .find(|d| d.group == g.group)
                        .map(|d| {
                            d.terms
                                .iter()
                                .map(|t| format!("{} ({:.2})", t.term, t.z))
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                        .unwrap_or_default(),
                    &l.examples
                        .iter()
                        .map(|e| {
                            format!("{} #{} ({:.2}): {}", e.doc, e.index, e.probability, e.text)
                        })
                        .collect::<Vec<_>>()
                        .join(" | "),
                    "",
                    "",
                    "",
                    "",
                    "",
                ]);
            }
        }
        for d in &m.pairwise {
            let empty = String::new();
            let group = format!("{} − {}", d.a, d.b);
            let mut rec: Vec<&str> = vec![m.name.as_str(), r.by.as_str(), &group, "", "", &d.label];
            rec.extend(std::iter::repeat_n(empty.as_str(), 16));
            rec.push(d.estimator);
            rec.extend(std::iter::repeat_n(empty.as_str(), 5));
            let diff = [
                format!("{:.6}", d.difference),
                format!("{:.6}", d.ci_low),
                format!("{:.6}", d.ci_high),
                format!("{:.6}", d.p_value),
                format!("{:.6}", d.p_holm),
            ];
            rec.push("pairwise");
            rec.extend(std::iter::repeat_n(empty.as_str(), 6));
            rec.extend(diff.iter().map(String::as_str));
            let _ = w.write_record(&rec);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The Markdown header of a per-group table: the grouping column, documents, sentences, one
/// column per class.
fn table_head(by: &str, classes: &[String], s: &mut String) {
    let mut head = format!("| {by} | documents | sentences |");
    let mut rule = "|---|---:|---:|".to_string();
    for c in classes {
        let _ = write!(head, " {c} |");
        rule.push_str("---:|");
    }
    let _ = writeln!(s, "{head}\n{rule}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportOptions;
    use crate::score::{ModelColumns, Prediction, ScoreColumns, ScoredSentence};

    /// The CSV: a rectangular table, one share row per group × label (all included) and one
    /// pairwise row per label × pair of groups with 3+ documents, matching the report's values.
    #[test]
    fn csv_has_share_and_pairwise_rows() {
        let columns = ScoreColumns::new(vec![ModelColumns {
            name: "m".into(),
            classes: vec!["a".into(), "b".into()],
        }]);
        let mut rows = Vec::new();
        for (g, p) in [("x", 0.9), ("y", 0.2), ("z", 0.5)] {
            for d in 0..4 {
                for i in 0..3 {
                    let b = (d + i) % 3 == 0 || p > 0.8;
                    rows.push(ScoredSentence {
                        source: g.into(),
                        doc: format!("{g}{d}"),
                        index: i,
                        text: format!("{g} {d} {i}"),
                        predictions: vec![Prediction {
                            label: if b { "b" } else { "a" }.into(),
                            probabilities: if b { vec![0.3, 0.7] } else { vec![0.7, 0.3] },
                        }],
                        ..ScoredSentence::default()
                    });
                }
            }
        }
        let r = Report::from_rows(&columns, &rows, &ReportOptions::default()).unwrap();
        let text = render(&r, ReportFormat::Csv);
        let mut rd = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
        let recs: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        assert!(recs.iter().all(|r| r.len() == header.len()));
        let col = |n: &str| header.iter().position(|h| h == n).unwrap();
        let kind = |k: &str| recs.iter().filter(|r| &r[col("row_kind")] == k).count();
        assert_eq!(kind("share"), 4 * 2, "3 groups and all, 2 labels");
        assert_eq!(kind("pairwise"), 3 * 2, "3 pairs, 2 labels");
        let d = &r.models[0].pairwise[0];
        let rec = recs
            .iter()
            .find(|r| &r[col("row_kind")] == "pairwise")
            .unwrap();
        assert_eq!(&rec[col("group")], format!("{} − {}", d.a, d.b));
        let diff: f64 = rec[col("difference")].parse().unwrap();
        assert!((diff - d.difference).abs() < 1e-6);
        let holm: f64 = rec[col("pair_p_holm")].parse().unwrap();
        assert!((holm - d.p_holm).abs() < 1e-6);
        assert!(
            recs[0][col("examples")].is_empty(),
            "x has no sentence predicted a"
        );
        assert!(recs[1][col("examples")].starts_with("x"));
    }
}
