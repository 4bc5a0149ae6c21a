//! The report as one self-contained HTML page: inline CSS and SVG charts, no scripts, no
//! network requests, readable on a laptop screen and printable.

use std::fmt::Write as _;

use super::{GroupSummary, LabelShare, ModelReport, Report};

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Colours for up to ten labels (Okabe–Ito, then Tableau), readable in grey print.
const PALETTE: [&str; 10] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
    "#8C564B", "#17BECF",
];

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #ccc}
h3{font-size:1.05rem;margin-top:1.4rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}
.matrices{display:flex;flex-wrap:wrap;gap:1.5rem}.matrix caption{font-size:.85rem;text-align:left}
.note{color:#555;font-size:.9rem}.warn{background:#fff6e0;border-left:4px solid #E69F00;padding:.5rem 1rem;margin:.8rem 0}
.warn li{margin:.2rem 0}.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px}
svg{max-width:100%;height:auto}svg text{font-family:inherit}
@media print{body{margin:0;max-width:none}h2{page-break-before:auto}.chart{page-break-inside:avoid}}
";

fn pct(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

/// The share the report leads with for one label.
fn headline(l: &LabelShare) -> f64 {
    l.estimates.by_key(l.headline).unwrap_or(l.share)
}

/// Renders the report as a standalone HTML page.
pub fn html(r: &Report) -> String {
    let mut s = String::new();
    let title = format!(
        "framelens report: {} by {}",
        r.models
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        r.by
    );
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n\
         <p class=\"note\">Input: <code>{}</code>. framelens {}.</p>\n",
        escape(&title),
        escape(&title),
        escape(&r.input),
        env!("CARGO_PKG_VERSION")
    );
    if !r.warnings.is_empty() {
        s.push_str("<div class=\"warn\"><strong>Warnings</strong><ul>\n");
        for w in &r.warnings {
            let _ = writeln!(
                s,
                "<li><code>{}</code>{}: {}</li>",
                escape(&w.kind.replace('_', " ")),
                w.group
                    .as_deref()
                    .map(|g| format!(" ({} {})", escape(&w.model), escape(g)))
                    .unwrap_or_else(|| format!(" ({})", escape(&w.model))),
                escape(&w.message)
            );
        }
        s.push_str("</ul></div>\n");
    }
    for m in &r.models {
        model_section(r, m, &mut s);
    }
    s.push_str("</body>\n</html>\n");
    s
}

fn model_section(r: &Report, m: &ModelReport, s: &mut String) {
    let _ = writeln!(s, "<h2>{} by {}</h2>", escape(&m.name), escape(&r.by));
    let lead = m
        .overall
        .labels
        .first()
        .map_or("classify_count", |l| l.headline);
    let _ = writeln!(
        s,
        "<p class=\"note\">{} estimated by <code>{}</code>{}, with 95% bootstrap intervals \
         (documents resampled).{}</p>",
        if m.corrected {
            "Shares"
        } else {
            "Shares of predicted labels"
        },
        escape(lead),
        if m.corrected {
            " (corrected for the classifier's errors)"
        } else {
            " (uncorrected: no model was given)"
        },
        m.cv_macro_f1
            .map(|f| format!(" The classifier's cross-validated macro-F1 is {f:.3}."))
            .unwrap_or_default()
    );
    legend(&m.classes, s);
    s.push_str("<h3>Label shares per group</h3>\n<div class=\"chart\">");
    stacked_bars(m, s);
    s.push_str(
        "</div>\n<h3>Each label's share per group, with its interval</h3>\n<div class=\"chart\">",
    );
    dot_plot(m, s);
    s.push_str("</div>\n");
    headline_table(r, m, s);
    stance_index_table(r, m, s);
    pairwise_table(r, m, s);
    distinctive(r, m, s);
    examples(r, m, s);
    if let Some(t) = &m.document_test {
        let _ = writeln!(
            s,
            "<p class=\"note\">Do the label shares differ between the groups? With documents as \
             the units (whole documents shuffled between groups, {} permutations, {} documents): \
             <strong>p = {:.4}</strong>.</p>",
            t.permutations, t.documents, t.p_value
        );
    }
    if let Some(c) = &m.chi_square {
        let _ = writeln!(
            s,
            "<p class=\"note\">Chi-square test of {} × label over sentences: χ² = {:.2}, df = {}, \
             p = {:.3e} (sentences are counted as independent, which overstates the evidence \
             when groups have few documents).</p>",
            escape(&r.by),
            c.statistic,
            c.df,
            c.p_value
        );
    }
}

fn legend(classes: &[String], s: &mut String) {
    s.push_str("<p class=\"legend\">");
    for (k, c) in classes.iter().enumerate() {
        let _ = write!(
            s,
            "<span><i style=\"background:{}\"></i>{}</span>",
            PALETTE[k % PALETTE.len()],
            escape(c)
        );
    }
    s.push_str("</p>\n");
}

fn groups_and_all(m: &ModelReport) -> Vec<&GroupSummary> {
    m.groups.iter().chain(std::iter::once(&m.overall)).collect()
}

fn group_name(g: &GroupSummary) -> &str {
    if g.group == "(all)" {
        "all groups"
    } else {
        &g.group
    }
}

/// One horizontal bar per group: the headline shares of the labels side by side, scaled to
/// their sum (corrected shares are estimated label by label and need not add to 100%). Each
/// segment but the last carries its label's 95% interval as a whisker around its end.
fn stacked_bars(m: &ModelReport, s: &mut String) {
    let rows = groups_and_all(m);
    let (label_w, bar_w, row_h) = (190.0, 760.0, 26.0);
    let height = 20.0 + row_h * rows.len() as f64 + 20.0;
    let _ = write!(
        s,
        "<svg viewBox=\"0 0 {w} {height}\" width=\"{w}\" \
         height=\"{height}\" role=\"img\" aria-label=\"label shares per group\">",
        w = label_w + bar_w + 20.0
    );
    for (i, g) in rows.iter().enumerate() {
        let y = 10.0 + row_h * i as f64;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}</text>",
            label_w - 8.0,
            y + row_h * 0.62,
            escape(group_name(g))
        );
        let total: f64 = g.labels.iter().map(headline).sum();
        let mut x = label_w;
        for (k, l) in g.labels.iter().enumerate() {
            let w = if total > 0.0 {
                bar_w * headline(l) / total
            } else {
                0.0
            };
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\">\
                 <title>{}: {}%</title></rect>",
                y + 3.0,
                row_h - 6.0,
                PALETTE[k % PALETTE.len()],
                escape(&l.label),
                pct(headline(l))
            );
            // The label's own 95% interval as a whisker around the segment's end (where the
            // next segment starts); the last segment's is read from the others and the dot plot.
            let last = k + 1 == g.labels.len();
            if let (Some(lo), Some(hi), false) = (l.headline_ci_low, l.headline_ci_high, last) {
                if total > 0.0 {
                    let x0 = (x + bar_w * lo / total).clamp(label_w, label_w + bar_w);
                    let x1 = (x + bar_w * hi / total).clamp(label_w, label_w + bar_w);
                    let yc = y + row_h - 5.0;
                    let _ = write!(
                        s,
                        "<line x1=\"{x0:.1}\" x2=\"{x1:.1}\" y1=\"{yc:.1}\" y2=\"{yc:.1}\" stroke=\"#222\" stroke-width=\"1.2\"/>\
                         <line x1=\"{x0:.1}\" x2=\"{x0:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#222\"/>\
                         <line x1=\"{x1:.1}\" x2=\"{x1:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#222\"/>",
                        yc - 3.0,
                        yc + 3.0,
                        yc - 3.0,
                        yc + 3.0
                    );
                }
            }
            if w > 34.0 {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#fff\" text-anchor=\"middle\">{}</text>",
                    x + w / 2.0,
                    y + row_h * 0.62,
                    pct(headline(l))
                );
            }
            x += w;
        }
    }
    s.push_str("</svg>");
}

/// Small multiples, one per label: each group's headline share as a dot with its 95% interval
/// as a whisker, on a 0–100% axis.
fn dot_plot(m: &ModelReport, s: &mut String) {
    let rows = groups_and_all(m);
    let (label_w, plot_w, row_h) = (170.0, 300.0, 22.0);
    let panel_h = 28.0 + row_h * rows.len() as f64 + 24.0;
    let per_row = 2usize;
    let panels = m.classes.len();
    let lines = panels.div_ceil(per_row);
    let panel_w = label_w + plot_w + 30.0;
    let width = panel_w * per_row.min(panels) as f64;
    let height = panel_h * lines as f64;
    let _ = write!(
        s,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"share per label with intervals\">"
    );
    for (k, class) in m.classes.iter().enumerate() {
        let ox = panel_w * (k % per_row) as f64;
        let oy = panel_h * (k / per_row) as f64;
        let colour = PALETTE[k % PALETTE.len()];
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\">{}</text>",
            ox + label_w,
            oy + 16.0,
            escape(class)
        );
        let x_of = |v: f64| ox + label_w + plot_w * v.clamp(0.0, 1.0);
        let axis_y = oy + 24.0 + row_h * rows.len() as f64;
        for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let _ = write!(
                s,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{axis_y:.1}\" stroke=\"#e4e4e4\"/>\
                 <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">{}%</text>",
                oy + 22.0,
                axis_y + 12.0,
                (t * 100.0) as u32,
                x = x_of(t)
            );
        }
        for (i, g) in rows.iter().enumerate() {
            let y = oy + 24.0 + row_h * i as f64 + row_h / 2.0;
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
                ox + label_w - 8.0,
                y + 4.0,
                escape(group_name(g))
            );
            let Some(l) = g.labels.get(k) else { continue };
            let v = headline(l);
            if let (Some(lo), Some(hi)) = (l.headline_ci_low, l.headline_ci_high) {
                let _ = write!(
                    s,
                    "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                    x_of(lo),
                    x_of(hi)
                );
            }
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4.5\" fill=\"{colour}\"><title>{} {}: {}%{}</title></circle>",
                x_of(v),
                escape(group_name(g)),
                escape(class),
                pct(v),
                match (l.headline_ci_low, l.headline_ci_high) {
                    (Some(lo), Some(hi)) => format!(" [{}–{}]", pct(lo), pct(hi)),
                    _ => " (interval cannot be estimated)".to_string(),
                }
            );
        }
    }
    s.push_str("</svg>");
}

fn stance_index_table(r: &Report, m: &ModelReport, s: &mut String) {
    let rows: Vec<(&GroupSummary, &super::index::StanceIndex)> = groups_and_all(m)
        .into_iter()
        .filter_map(|g| g.stance_index.as_ref().map(|x| (g, x)))
        .collect();
    let Some((_, first)) = rows.first() else {
        return;
    };
    let _ = writeln!(
        s,
        "<h3>Stance index</h3>\n<p class=\"note\">Mean of P({}) − P({}) over the sentences \
         (−1 to 1), with 95% bootstrap intervals (documents resampled).</p>\n<table>\n\
         <tr><th>{}</th><th>index</th><th>95% interval</th></tr>",
        escape(&first.pro),
        escape(&first.anti),
        escape(&r.by)
    );
    for (g, x) in rows {
        let ci = match (x.ci_low, x.ci_high) {
            (Some(lo), Some(hi)) => format!("{lo:+.3} to {hi:+.3}"),
            _ => "cannot be estimated".to_string(),
        };
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{:+.3}</td><td>{ci}</td></tr>",
            escape(group_name(g)),
            x.value
        );
    }
    s.push_str("</table>\n");
}

fn distinctive(r: &Report, m: &ModelReport, s: &mut String) {
    if !m.has_distinctive() {
        return;
    }
    let _ = writeln!(
        s,
        "<h3>Distinctive terms</h3>\n<p class=\"note\">Terms of each {} most over-represented \
         against the others (weighted log-odds ratio with an informative Dirichlet prior, Monroe, \
         Colaresi &amp; Quinn 2008), with z-scores; the model's own analyzer (stemmed).</p>\n\
         <table>\n<tr><th>{}</th><th style=\"text-align:left\">terms (z)</th></tr>",
        escape(&r.by),
        escape(&r.by)
    );
    for d in &m.distinctive {
        let terms: Vec<String> = d
            .terms
            .iter()
            .map(|t| {
                format!(
                    "{} ({:.1})",
                    escape(&super::distinctive::shown_term(&t.term)),
                    t.z
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td style=\"text-align:left\">{}</td></tr>",
            escape(&d.group),
            terms.join(", ")
        );
    }
    s.push_str("</table>\n");
}

fn examples(r: &Report, m: &ModelReport, s: &mut String) {
    if !m.has_examples() {
        return;
    }
    let _ = writeln!(
        s,
        "<h3>Example sentences</h3>\n<p class=\"note\">The most confident predictions of each \
         label per {} (probability, document, sentence index).</p>\n<table>\n<tr><th>{}</th>\
         <th>label</th><th>probability</th><th>document</th><th>sentence</th></tr>",
        escape(&r.by),
        escape(&r.by)
    );
    for g in &m.groups {
        for l in &g.labels {
            for e in &l.examples {
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td>{:.2}</td><td>{} #{}</td><td style=\"text-align:left\">{}</td></tr>",
                    escape(&g.group),
                    escape(&l.label),
                    e.probability,
                    escape(&e.doc),
                    e.index,
                    escape(&e.text)
                );
            }
        }
    }
    s.push_str("</table>\n");
}

/// Per label, a matrix of the pairwise differences (row group − column group, percentage
/// points), shaded by size and sign; bold where the Holm-adjusted p < 0.05.
fn pairwise_matrix(m: &ModelReport, s: &mut String) {
    let mut names: Vec<&str> = Vec::new();
    for d in &m.pairwise {
        for g in [d.a.as_str(), d.b.as_str()] {
            if !names.contains(&g) {
                names.push(g);
            }
        }
    }
    for label in &m.classes {
        let cells: Vec<&super::pairwise::PairDifference> =
            m.pairwise.iter().filter(|d| &d.label == label).collect();
        if cells.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            "<table class=\"matrix\"><caption>{}: row − column, points</caption><tr><th></th>",
            escape(label)
        );
        for n in &names {
            let _ = write!(s, "<th>{}</th>", escape(n));
        }
        s.push_str("</tr>\n");
        for a in &names {
            let _ = write!(s, "<tr><th>{}</th>", escape(a));
            for b in &names {
                let found = cells.iter().find_map(|d| {
                    if d.a == *a && d.b == *b {
                        Some((d.difference, d.p_holm))
                    } else if d.a == *b && d.b == *a {
                        Some((-d.difference, d.p_holm))
                    } else {
                        None
                    }
                });
                match found {
                    Some((diff, p)) => {
                        let alpha = (diff.abs() * 2.0).min(0.8);
                        let colour = if diff >= 0.0 { "0,114,178" } else { "213,94,0" };
                        let (o, c) = if p < 0.05 {
                            ("<strong>", "</strong>")
                        } else {
                            ("", "")
                        };
                        let _ = write!(
                            s,
                            "<td style=\"background:rgba({colour},{alpha:.2})\">{o}{:+.1}{c}</td>",
                            100.0 * diff
                        );
                    }
                    None => s.push_str("<td>–</td>"),
                }
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</table>\n");
    }
}

fn pairwise_table(r: &Report, m: &ModelReport, s: &mut String) {
    let Some(first) = m.pairwise.first() else {
        return;
    };
    let _ = writeln!(
        s,
        "<h3>Pairwise differences</h3>\n<p class=\"note\">Difference of the <code>{}</code> shares \
         ({} a − b), percentage points, with 95% bootstrap intervals; p-values Holm-adjusted over \
         the pairs of each label; <strong>bold</strong>: adjusted p &lt; 0.05. Groups with fewer \
         than 3 documents are left out.</p>",
        escape(first.estimator),
        escape(&r.by)
    );
    let mut matrix = String::new();
    pairwise_matrix(m, &mut matrix);
    s.push_str("<div class=\"matrices\">");
    s.push_str(&matrix);
    s.push_str(
        "</div>\n<table>\n<tr><th>label</th><th>a</th><th>b</th><th>difference</th>\
                <th>95% interval</th><th>p</th><th>p (Holm)</th></tr>\n",
    );
    for d in &m.pairwise {
        let (o, c) = if d.p_holm < 0.05 {
            ("<strong>", "</strong>")
        } else {
            ("", "")
        };
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{o}{:+.1}{c}</td><td>{:+.1} to {:+.1}</td>\
             <td>{:.3}</td><td>{o}{:.3}{c}</td></tr>",
            escape(&d.label),
            escape(&d.a),
            escape(&d.b),
            100.0 * d.difference,
            100.0 * d.ci_low,
            100.0 * d.ci_high,
            d.p_value,
            d.p_holm
        );
    }
    s.push_str("</table>\n");
}

fn headline_table(r: &Report, m: &ModelReport, s: &mut String) {
    s.push_str("<h3>Shares, %, with 95% intervals</h3>\n<table>\n<tr>");
    let _ = write!(
        s,
        "<th>{}</th><th>documents</th><th>sentences</th>",
        escape(&r.by)
    );
    for c in &m.classes {
        let _ = write!(s, "<th>{}</th>", escape(c));
    }
    s.push_str("</tr>\n");
    for g in groups_and_all(m) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            escape(group_name(g)),
            g.documents,
            g.sentences
        );
        for l in &g.labels {
            match (l.headline_ci_low, l.headline_ci_high) {
                (Some(lo), Some(hi)) => {
                    let _ = write!(s, "<td>{} [{}–{}]</td>", pct(headline(l)), pct(lo), pct(hi));
                }
                _ => {
                    let _ = write!(
                        s,
                        "<td>{} (interval cannot be estimated)</td>",
                        pct(headline(l))
                    );
                }
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table>\n");
    if m.corrected {
        s.push_str(
            "<h3>Every estimator, %</h3>\n<p class=\"note\">* clipped to [0, 1]; – not available.</p>\n<table>\n\
             <tr><th>group</th><th>label</th><th>classify_count</th><th>probability_average</th>\
             <th>adjusted_count</th><th>probability_adjusted</th><th>em</th></tr>\n",
        );
        for g in groups_and_all(m) {
            for l in &g.labels {
                let _ = write!(
                    s,
                    "<tr><td>{}</td><td>{}</td>",
                    escape(group_name(g)),
                    escape(&l.label)
                );
                for key in super::ESTIMATORS {
                    let cell = match l.estimates.by_key(key) {
                        Some(v) => format!(
                            "{}{}",
                            pct(v),
                            if l.clipped.contains(&key) { "*" } else { "" }
                        ),
                        None => "–".into(),
                    };
                    let _ = write!(s, "<td>{cell}</td>");
                }
                s.push_str("</tr>\n");
            }
        }
        s.push_str("</table>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportOptions;
    use crate::score::{ModelColumns, Prediction, ScoreColumns, ScoredSentence};

    fn report() -> Report {
        let columns = ScoreColumns::new(vec![ModelColumns {
            name: "stance".into(),
            classes: vec!["anti".into(), "<pro>".into()],
        }]);
        let row = |source: &str, doc: &str, label: &str, p: f64| ScoredSentence {
            source: source.into(),
            doc: doc.into(),
            text: "...".into(),
            predictions: vec![Prediction {
                label: label.into(),
                probabilities: vec![1.0 - p, p],
            }],
            ..ScoredSentence::default()
        };
        let mut rows = Vec::new();
        for d in 0..4 {
            rows.push(row("Fox & Friends", &d.to_string(), "anti", 0.2));
            rows.push(row("Fox & Friends", &d.to_string(), "<pro>", 0.7));
            rows.push(row(
                "<script>alert(1)</script>",
                &d.to_string(),
                "<pro>",
                0.9,
            ));
        }
        rows.push(row("one doc", "x", "anti", 0.1));
        Report::from_rows(&columns, &rows, &ReportOptions::default()).unwrap()
    }

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            escape(r#"<a href="x">Tom's & Jerry</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&lt;/a&gt;"
        );
    }

    #[test]
    fn page_is_self_contained_escaped_and_carries_groups_shares_and_warnings() {
        let r = report();
        let page = html(&r);
        assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
        // Nothing is fetched: no scripts, no external sources, links or fonts.
        for bad in [
            "<script", "http:", "https:", " src=", "href=", "@import", "url(",
        ] {
            assert!(!page.contains(bad), "{bad} in the page");
        }
        // User text is escaped: the group name cannot inject markup.
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("Fox &amp; Friends") && page.contains("&lt;pro&gt;"));
        // Every group, the headline shares with their intervals, the charts and the warnings.
        for g in &r.models[0].groups {
            let l = &g.labels[1];
            let cell = match (l.headline_ci_low, l.headline_ci_high) {
                (Some(lo), Some(hi)) => {
                    format!("<td>{} [{}–{}]</td>", pct(headline(l)), pct(lo), pct(hi))
                }
                _ => format!(
                    "<td>{} (interval cannot be estimated)</td>",
                    pct(headline(l))
                ),
            };
            assert!(page.contains(&cell), "{cell}");
        }
        assert!(page.contains("(interval cannot be estimated)"));
        assert_eq!(page.matches("<svg").count(), 2);
        assert!(!r.warnings.is_empty());
        for w in &r.warnings {
            assert!(page.contains(&escape(&w.message)), "{}", w.message);
        }
        // Balanced markup for the elements the page opens.
        for tag in ["svg", "table", "ul", "div", "h2", "text", "title"] {
            assert_eq!(
                page.matches(&format!("<{tag}")).count(),
                page.matches(&format!("</{tag}>")).count(),
                "{tag}"
            );
        }
    }
}
