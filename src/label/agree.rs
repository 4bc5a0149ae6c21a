//! Agreement between coders: observed agreement, Cohen's κ, Fleiss' κ, Krippendorff's α
//! (nominal, missing labels allowed), per-class agreement, coder × coder confusion matrices,
//! and the rows to adjudicate.
//!
//! Each coder's labels are one CSV file with an id column and one column per coded variable;
//! rows are matched on the id. An empty cell is a missing label.
//!
//! The expected values below are those of scikit-learn's `cohen_kappa_score`, statsmodels'
//! `fleiss_kappa` and `krippendorff.alpha` on the same data.
//!
//! ```
//! use framelens::label::agree::{cohen_kappa, fleiss_kappa, krippendorff_alpha};
//! // two coders, three items, classes 0/1
//! assert!((cohen_kappa(&[0, 1, 1], &[0, 1, 0], 2) - 0.4).abs() < 1e-12);
//! // items × classes counts, three coders each
//! let k = fleiss_kappa(&[vec![3, 0], vec![0, 3], vec![2, 1]]);
//! assert!((k - 0.55).abs() < 1e-12);
//! // units with the values of the coders who labelled them (missing ones left out)
//! let a = krippendorff_alpha(&[vec![0, 0], vec![1, 1, 1], vec![0, 1]], 2);
//! assert!((a - 0.5).abs() < 1e-12);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::PathBuf;

use crate::data::{open_table, CsvOptions};
use crate::error::{Error, Result};

/// What to read from the coders' files.
#[derive(Debug, Clone)]
pub struct AgreeOptions {
    /// The id column rows are matched on. Defaults to `id`.
    pub id: String,
    /// The coded columns to compare (at least one).
    pub columns: Vec<String>,
    /// A text column copied (from the first file that has it) into the disagreements table.
    /// Defaults to `text`; ignored when no file has it.
    pub text: String,
    /// Accept ids that are not in every file (their labels count as missing). Defaults to
    /// false: an id missing from a file is an error, since it is usually a wrong file.
    pub partial: bool,
    /// How the CSV files are read.
    pub csv: CsvOptions,
}

impl Default for AgreeOptions {
    fn default() -> Self {
        AgreeOptions {
            id: "id".into(),
            columns: Vec::new(),
            text: "text".into(),
            partial: false,
            csv: CsvOptions::default(),
        }
    }
}

/// The coders' labels, matched on id.
#[derive(Debug, Clone)]
pub struct Coding {
    /// One name per coder (the file stem, or the path when stems repeat).
    pub coders: Vec<String>,
    /// The files.
    pub paths: Vec<PathBuf>,
    /// The ids, in the first file's order (then ids only later files have).
    pub ids: Vec<String>,
    /// The text of each id (empty when no file has the text column).
    pub texts: Vec<String>,
    /// The coded columns.
    pub columns: Vec<String>,
    /// `labels[column][item][coder]`, `None` when missing.
    pub labels: Vec<Vec<Vec<Option<String>>>>,
    /// Problems that do not stop the computation (a label only one coder used).
    pub warnings: Vec<String>,
}

/// Confusion matrix of two coders on the items both labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct PairMatrix {
    /// First coder (row), index into [`Coding::coders`].
    pub a: usize,
    /// Second coder (column).
    pub b: usize,
    /// Items both labelled.
    pub n: usize,
    /// `matrix[class of a][class of b]`, classes as in [`ColumnAgreement::classes`].
    pub matrix: Vec<Vec<usize>>,
}

/// Agreement on one coded column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnAgreement {
    /// The column.
    pub column: String,
    /// Items with at least one label.
    pub items: usize,
    /// Items with at least two labels (those agreement is computed on).
    pub pairable: usize,
    /// Items every coder labelled (those Fleiss' κ is computed on).
    pub complete: usize,
    /// Mean over pairable items of the share of coder pairs that agree (percent agreement
    /// with two coders).
    pub observed: f64,
    /// Cohen's κ, with exactly two coders (on the items both labelled); NaN when undefined.
    pub cohen: Option<f64>,
    /// Fleiss' κ on the complete items (NaN when undefined or there are none).
    pub fleiss: f64,
    /// Krippendorff's α, nominal, on all pairable items (NaN when undefined).
    pub alpha: f64,
    /// The labels used, sorted.
    pub classes: Vec<String>,
    /// Times each class was used (all coders, all items).
    pub uses: Vec<usize>,
    /// Per class, the specific agreement: of the pairable values of that class, the share
    /// whose partner value (another coder on the same item) is the same class. With two
    /// coders, 2·n₍cc₎ / (n₍c·₎ + n₍·c₎). NaN when the class was never used on a pairable item.
    pub per_class: Vec<f64>,
    /// One confusion matrix per pair of coders.
    pub pairs: Vec<PairMatrix>,
}

/// Reads the coders' files and matches their rows on the id.
///
/// Errors: fewer than two files, a missing id or coded column, an empty or duplicate id,
/// ids that are not in every file (unless [`AgreeOptions::partial`]), and the same label
/// spelt differently by different coders (`Pro` / `pro`).
pub fn read(paths: &[PathBuf], opts: &AgreeOptions) -> Result<Coding> {
    if paths.len() < 2 {
        return Err(Error::TooFewCoders { found: paths.len() });
    }
    if opts.columns.is_empty() {
        return Err(Error::Coding {
            path: paths[0].clone(),
            problem: "no coded column to compare was named".into(),
        });
    }
    let mut ids: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut texts: Vec<String> = Vec::new();
    let ncol = opts.columns.len();
    let ncod = paths.len();
    let mut labels: Vec<Vec<Vec<Option<String>>>> = vec![Vec::new(); ncol];
    let mut seen_per_file: Vec<usize> = Vec::with_capacity(ncod);
    for (coder, path) in paths.iter().enumerate() {
        let mut t = open_table(path, &opts.csv)?;
        let id_col = t.column(&opts.id)?;
        let cols: Vec<usize> = opts
            .columns
            .iter()
            .map(|c| t.column(c))
            .collect::<Result<_>>()?;
        let text_col = t.headers().iter().position(|h| h == &opts.text);
        let mut first_line: HashMap<String, u64> = HashMap::new();
        let mut new_ids: Vec<String> = Vec::new();
        while t.next_row()? {
            let id = t.field(id_col)?.trim().to_string();
            if id.is_empty() {
                return Err(Error::Coding {
                    path: path.clone(),
                    problem: format!("line {}: the {:?} cell is empty", t.line(), opts.id),
                });
            }
            if let Some(first) = first_line.get(&id) {
                return Err(Error::DuplicateId {
                    path: path.clone(),
                    line: t.line(),
                    first: *first,
                    id,
                });
            }
            first_line.insert(id.clone(), t.line());
            let item = match index.get(&id) {
                Some(i) => *i,
                None => {
                    if coder > 0 {
                        new_ids.push(id.clone());
                    }
                    let i = ids.len();
                    index.insert(id.clone(), i);
                    ids.push(id.clone());
                    texts.push(String::new());
                    for col in labels.iter_mut() {
                        col.push(vec![None; ncod]);
                    }
                    i
                }
            };
            if let Some(tc) = text_col {
                if texts[item].is_empty() {
                    texts[item] = t.field(tc)?;
                }
            }
            for (c, &fc) in cols.iter().enumerate() {
                let v = t.field(fc)?.trim().to_string();
                labels[c][item][coder] = (!v.is_empty()).then_some(v);
            }
        }
        if first_line.is_empty() {
            return Err(Error::HeaderOnly { path: path.clone() });
        }
        if !opts.partial && coder > 0 && !new_ids.is_empty() {
            return Err(Error::Coding {
                path: path.clone(),
                problem: format!(
                    "{} id(s) are not in {} (e.g. {}); the files must label the same rows \
                     (or accept missing rows explicitly)",
                    new_ids.len(),
                    paths[0].display(),
                    examples(&new_ids)
                ),
            });
        }
        seen_per_file.push(first_line.len());
        if !opts.partial && first_line.len() < ids.len() {
            let missing: Vec<String> = ids
                .iter()
                .filter(|i| !first_line.contains_key(*i))
                .cloned()
                .collect();
            return Err(Error::Coding {
                path: path.clone(),
                problem: format!(
                    "{} id(s) of {} are missing (e.g. {}); the files must label the same rows \
                     (or accept missing rows explicitly)",
                    missing.len(),
                    paths[0].display(),
                    examples(&missing)
                ),
            });
        }
    }
    let coders = coder_names(paths);
    let mut warnings = Vec::new();
    for (c, column) in opts.columns.iter().enumerate() {
        check_labels(column, &labels[c], paths, &coders, &mut warnings)?;
    }
    if opts.partial {
        for (coder, n) in seen_per_file.iter().enumerate() {
            if *n < ids.len() {
                warnings.push(format!(
                    "{}: {} of {} ids missing (counted as missing labels)",
                    paths[coder].display(),
                    ids.len() - n,
                    ids.len()
                ));
            }
        }
    }
    Ok(Coding {
        coders,
        paths: paths.to_vec(),
        ids,
        texts,
        columns: opts.columns.clone(),
        labels,
        warnings,
    })
}

fn examples(ids: &[String]) -> String {
    let mut s: Vec<String> = ids.iter().take(3).map(|i| format!("{i:?}")).collect();
    if ids.len() > 3 {
        s.push("...".into());
    }
    s.join(", ")
}

/// Coder names: file stems, or whole paths when two stems are the same.
fn coder_names(paths: &[PathBuf]) -> Vec<String> {
    let stems: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_stem()
                .map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into())
        })
        .collect();
    let unique: BTreeSet<&String> = stems.iter().collect();
    if unique.len() == stems.len() {
        stems
    } else {
        paths.iter().map(|p| p.display().to_string()).collect()
    }
}

/// Lowercase, no white space, `-` or `_`: the key two spellings of one label share.
fn label_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Fails when two coders spell one label differently; warns about labels only one coder used.
fn check_labels(
    column: &str,
    items: &[Vec<Option<String>>],
    paths: &[PathBuf],
    coders: &[String],
    warnings: &mut Vec<String>,
) -> Result<()> {
    // label → coders who used it (and how often)
    let mut used: BTreeMap<&str, BTreeMap<usize, usize>> = BTreeMap::new();
    for item in items {
        for (coder, v) in item.iter().enumerate() {
            if let Some(v) = v {
                *used.entry(v).or_default().entry(coder).or_default() += 1;
            }
        }
    }
    let mut by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for label in used.keys() {
        by_key.entry(label_key(label)).or_default().push(label);
    }
    if let Some(spellings) = by_key.values().find(|v| v.len() > 1) {
        // Blame the least used spelling, in the first file that uses it.
        let total = |l: &str| used[l].values().sum::<usize>();
        let rare = spellings
            .iter()
            .min_by_key(|l| total(l))
            .copied()
            .unwrap_or("");
        let common = spellings
            .iter()
            .max_by_key(|l| total(l))
            .copied()
            .unwrap_or("");
        let coder = used[rare].keys().next().copied().unwrap_or(0);
        return Err(Error::Coding {
            path: paths[coder].clone(),
            problem: format!(
                "column {column:?}: label {rare:?} and {common:?} (used {} times) look like the \
                 same label spelt differently; the coders' label sets must match",
                total(common)
            ),
        });
    }
    if coders.len() > 1 {
        for (label, who) in &used {
            if who.len() == 1 {
                let (coder, n) = who.iter().next().map_or((0, 0), |(c, n)| (*c, *n));
                warnings.push(format!(
                    "column {column:?}: only {} used label {label:?} ({n} times)",
                    coders[coder]
                ));
            }
        }
    }
    Ok(())
}

/// Computes the agreement statistics of every column.
pub fn agreement(coding: &Coding) -> Vec<ColumnAgreement> {
    coding
        .columns
        .iter()
        .zip(&coding.labels)
        .map(|(column, items)| column_agreement(column, items, coding.coders.len()))
        .collect()
}

fn column_agreement(column: &str, items: &[Vec<Option<String>>], ncod: usize) -> ColumnAgreement {
    let classes: Vec<String> = items
        .iter()
        .flatten()
        .flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let k = classes.len();
    let code = |v: &Option<String>| v.as_ref().and_then(|v| classes.binary_search(v).ok());
    let coded: Vec<Vec<Option<usize>>> = items
        .iter()
        .map(|item| item.iter().map(code).collect())
        .collect();
    let mut uses = vec![0usize; k];
    for v in coded.iter().flatten().flatten() {
        uses[*v] += 1;
    }
    let units: Vec<Vec<usize>> = coded
        .iter()
        .map(|item| item.iter().flatten().copied().collect::<Vec<_>>())
        .filter(|u: &Vec<usize>| !u.is_empty())
        .collect();
    let items_n = units.len();
    let pairable: Vec<&Vec<usize>> = units.iter().filter(|u| u.len() >= 2).collect();
    // observed agreement: mean share of agreeing ordered pairs per pairable unit
    let mut observed = 0.0;
    let mut same = vec![0.0f64; k];
    let mut pairs_of = vec![0.0f64; k];
    for u in &pairable {
        let m = u.len();
        let mut counts = vec![0usize; k];
        for v in u.iter() {
            counts[*v] += 1;
        }
        let agree: usize = counts.iter().map(|c| c * c.saturating_sub(1)).sum();
        observed += agree as f64 / (m * (m - 1)) as f64;
        for (c, n) in counts.iter().enumerate() {
            same[c] += (n * n.saturating_sub(1)) as f64;
            pairs_of[c] += (n * (m - 1)) as f64;
        }
    }
    let observed = if pairable.is_empty() {
        f64::NAN
    } else {
        observed / pairable.len() as f64
    };
    let per_class = same
        .iter()
        .zip(&pairs_of)
        .map(|(s, p)| if *p > 0.0 { s / p } else { f64::NAN })
        .collect();
    // pairwise confusion matrices and Cohen's kappa
    let mut pairs = Vec::new();
    for a in 0..ncod {
        for b in a + 1..ncod {
            let mut matrix = vec![vec![0usize; k]; k];
            let mut n = 0;
            for item in &coded {
                if let (Some(x), Some(y)) = (item[a], item[b]) {
                    matrix[x][y] += 1;
                    n += 1;
                }
            }
            pairs.push(PairMatrix { a, b, n, matrix });
        }
    }
    let cohen = (ncod == 2).then(|| kappa_from_matrix(&pairs[0].matrix));
    let complete: Vec<Vec<usize>> = coded
        .iter()
        .filter(|item| item.iter().all(Option::is_some))
        .map(|item| {
            let mut counts = vec![0usize; k];
            for v in item.iter().flatten() {
                counts[*v] += 1;
            }
            counts
        })
        .collect();
    ColumnAgreement {
        column: column.to_string(),
        items: items_n,
        pairable: pairable.len(),
        complete: complete.len(),
        observed,
        cohen,
        fleiss: fleiss_kappa(&complete),
        alpha: krippendorff_alpha(&units, k),
        classes,
        uses,
        per_class,
        pairs,
    }
}

/// Cohen's κ of two coders' class indices (`0..k`), on the items both labelled.
/// NaN when chance agreement is 1 (both coders used one and the same class), as
/// scikit-learn's `cohen_kappa_score`.
pub fn cohen_kappa(a: &[usize], b: &[usize], k: usize) -> f64 {
    let mut m = vec![vec![0usize; k]; k];
    for (x, y) in a.iter().zip(b) {
        if *x < k && *y < k {
            m[*x][*y] += 1;
        }
    }
    kappa_from_matrix(&m)
}

fn kappa_from_matrix(m: &[Vec<usize>]) -> f64 {
    let k = m.len();
    let n: usize = m.iter().flatten().sum();
    if n == 0 {
        return f64::NAN;
    }
    let n = n as f64;
    let po = (0..k).map(|i| m[i][i] as f64).sum::<f64>() / n;
    let pe = (0..k)
        .map(|i| {
            let row: usize = m[i].iter().sum();
            let col: usize = m.iter().map(|r| r[i]).sum();
            row as f64 * col as f64
        })
        .sum::<f64>()
        / (n * n);
    if pe >= 1.0 {
        return f64::NAN;
    }
    (po - pe) / (1.0 - pe)
}

/// Fleiss' κ from an items × classes table of counts, every item rated by the same number
/// of coders (statsmodels' `fleiss_kappa`, method `fleiss`). NaN when there are no items,
/// fewer than two coders, or chance agreement is 1.
pub fn fleiss_kappa(table: &[Vec<usize>]) -> f64 {
    let Some(first) = table.first() else {
        return f64::NAN;
    };
    let raters: usize = first.iter().sum();
    if raters < 2 || table.iter().any(|r| r.iter().sum::<usize>() != raters) {
        return f64::NAN;
    }
    let k = first.len();
    let n_items = table.len() as f64;
    let r = raters as f64;
    let mut p_cat = vec![0.0f64; k];
    let mut p_mean = 0.0;
    for row in table {
        let sq: usize = row.iter().map(|c| c * c).sum();
        p_mean += (sq as f64 - r) / (r * (r - 1.0));
        for (j, c) in row.iter().enumerate() {
            p_cat[j] += *c as f64;
        }
    }
    p_mean /= n_items;
    let p_exp: f64 = p_cat.iter().map(|c| (c / (n_items * r)).powi(2)).sum();
    if p_exp >= 1.0 {
        return f64::NAN;
    }
    (p_mean - p_exp) / (1.0 - p_exp)
}

/// Krippendorff's α for nominal data. `units` holds, per item, the class indices (`0..k`)
/// of the coders who labelled it (missing labels left out); items with fewer than two values
/// are not pairable and are ignored. NaN when fewer than two values are pairable or
/// expected disagreement is 0 (a single class).
pub fn krippendorff_alpha(units: &[Vec<usize>], k: usize) -> f64 {
    // coincidence matrix
    let mut o = vec![vec![0.0f64; k]; k];
    for u in units.iter().filter(|u| u.len() >= 2) {
        let m = u.len() as f64;
        let mut counts = vec![0usize; k];
        for v in u {
            if *v < k {
                counts[*v] += 1;
            }
        }
        for c in 0..k {
            for d in 0..k {
                let pairs = if c == d {
                    counts[c] * counts[c].saturating_sub(1)
                } else {
                    counts[c] * counts[d]
                };
                o[c][d] += pairs as f64 / (m - 1.0);
            }
        }
    }
    let n_c: Vec<f64> = o.iter().map(|r| r.iter().sum()).collect();
    let n: f64 = n_c.iter().sum();
    if n < 2.0 {
        return f64::NAN;
    }
    let mut d_o = 0.0;
    let mut d_e = 0.0;
    for c in 0..k {
        for d in 0..k {
            if c != d {
                d_o += o[c][d];
                d_e += n_c[c] * n_c[d];
            }
        }
    }
    if d_e == 0.0 {
        return f64::NAN;
    }
    1.0 - (n - 1.0) * d_o / d_e
}

fn num(x: f64) -> String {
    if x.is_nan() {
        "n/a".into()
    } else {
        format!("{x:.3}")
    }
}

/// The agreement report as Markdown: a summary table, then per column the per-class
/// agreement and every coder × coder confusion matrix.
pub fn render_markdown(coding: &Coding, results: &[ColumnAgreement]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} items, {} coders: {}\n",
        coding.ids.len(),
        coding.coders.len(),
        coding.coders.join(", ")
    );
    let _ = writeln!(
        s,
        "| column | items | pairable | observed | Cohen's κ | Fleiss' κ (complete items) | Krippendorff's α |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|");
    for r in results {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.1}% | {} | {} ({}) | {} |",
            r.column,
            r.items,
            r.pairable,
            100.0 * r.observed,
            r.cohen.map_or_else(|| "—".to_string(), num),
            num(r.fleiss),
            r.complete,
            num(r.alpha)
        );
    }
    for r in results {
        let _ = writeln!(s, "\n## {}: per-class agreement\n", r.column);
        let _ = writeln!(s, "| class | uses | specific agreement |");
        let _ = writeln!(s, "|---|---:|---:|");
        for ((c, u), a) in r.classes.iter().zip(&r.uses).zip(&r.per_class) {
            let _ = writeln!(s, "| {c} | {u} | {} |", num(*a));
        }
        for p in &r.pairs {
            let _ = writeln!(
                s,
                "\n{}: {} (rows) × {} (columns), {} items\n",
                r.column, coding.coders[p.a], coding.coders[p.b], p.n
            );
            let _ = writeln!(s, "| | {} |", r.classes.join(" | "));
            let _ = writeln!(s, "|---|{}", "---:|".repeat(r.classes.len()));
            for (c, row) in r.classes.iter().zip(&p.matrix) {
                let cells: Vec<String> = row.iter().map(usize::to_string).collect();
                let _ = writeln!(s, "| **{c}** | {} |", cells.join(" | "));
            }
        }
    }
    s
}

/// Writes the rows where the coders disagree on any column, as CSV: `id`, `text`, then per
/// column every coder's label (`<column>_<coder>`) and an empty `<column>` to fill in when
/// adjudicating. Returns the number of rows written.
pub fn write_disagreements(coding: &Coding, out: &mut dyn Write) -> Result<usize> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["id".to_string(), "text".to_string()];
    for c in &coding.columns {
        for coder in &coding.coders {
            header.push(format!("{c}_{coder}"));
        }
        header.push(c.clone());
    }
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Write { source },
        other => Error::Write {
            source: std::io::Error::other(format!("{other:?}")),
        },
    };
    w.write_record(&header).map_err(csv_err)?;
    let mut n = 0;
    for (i, id) in coding.ids.iter().enumerate() {
        let disagree = coding.labels.iter().any(|col| {
            let vals: BTreeSet<&String> = col[i].iter().flatten().collect();
            vals.len() > 1
        });
        if !disagree {
            continue;
        }
        let mut rec = vec![id.clone(), coding.texts[i].clone()];
        for col in &coding.labels {
            for v in &col[i] {
                rec.push(v.clone().unwrap_or_default());
            }
            rec.push(String::new());
        }
        w.write_record(&rec).map_err(csv_err)?;
        n += 1;
    }
    w.flush().map_err(|source| Error::Write { source })?;
    Ok(n)
}

/// Reads, computes and returns the agreement of the files (the library form of
/// `framelens agree`).
pub fn agree_files(
    paths: &[PathBuf],
    opts: &AgreeOptions,
) -> Result<(Coding, Vec<ColumnAgreement>)> {
    let coding = read(paths, opts)?;
    let results = agreement(&coding);
    Ok((coding, results))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cohen_on_a_textbook_table() {
        // Cohen (1960)-style 2x2: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → κ = 0.4
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (x, y, n) in [(0, 0, 20), (0, 1, 5), (1, 0, 10), (1, 1, 15)] {
            for _ in 0..n {
                a.push(x);
                b.push(y);
            }
        }
        assert!((cohen_kappa(&a, &b, 2) - 0.4).abs() < 1e-12);
        assert!(cohen_kappa(&[0, 0], &[0, 0], 1).is_nan());
    }

    #[test]
    fn alpha_equals_one_on_perfect_agreement_and_ignores_lone_values() {
        let units = vec![vec![0, 0, 0], vec![1, 1], vec![2]];
        assert!((krippendorff_alpha(&units, 3) - 1.0).abs() < 1e-12);
        assert!(krippendorff_alpha(&[vec![0, 0]], 1).is_nan());
    }

    #[test]
    fn spelling_variants_are_an_error_and_one_coder_labels_a_warning() {
        let items = vec![
            vec![Some("pro".to_string()), Some("Pro".to_string())],
            vec![Some("pro".to_string()), Some("pro".to_string())],
        ];
        let paths = vec![PathBuf::from("a.csv"), PathBuf::from("b.csv")];
        let coders = coder_names(&paths);
        let mut w = Vec::new();
        let e = check_labels("stance", &items, &paths, &coders, &mut w).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("b.csv: column \"stance\": label \"Pro\""),
            "{e}"
        );
        let items = vec![vec![Some("pro".to_string()), Some("anti".to_string())]];
        check_labels("stance", &items, &paths, &coders, &mut w).unwrap();
        assert_eq!(w.len(), 2, "{w:?}");
    }
}
