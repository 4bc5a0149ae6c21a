//! Outlet against outlet: for each label, the difference of two groups' headline shares with a
//! 95% bootstrap interval and a bootstrap p-value, Holm-adjusted over the pairs of the label.
//!
//! Each replicate resamples every group's documents with replacement (groups have disjoint
//! documents) and, for the adjusted estimators, the cross-validation rows behind the confusion
//! rates once for all groups: the same classifier scored them all, so its error is shared.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::estimate::{
    estimate, quantile, DocSums, Documents, Replicate, BOOTSTRAP, ESTIMATORS, MIN_DOCUMENTS,
};
use crate::model::quantify::QuantifyStats;

/// One label's difference between two groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairDifference {
    /// The label.
    pub label: String,
    /// First group.
    pub a: String,
    /// Second group.
    pub b: String,
    /// The estimator compared (the headline's).
    pub estimator: &'static str,
    /// Share in `a` minus share in `b`.
    pub difference: f64,
    /// Lower bound of the 95% percentile bootstrap interval of the difference.
    pub ci_low: f64,
    /// Upper bound.
    pub ci_high: f64,
    /// Two-sided bootstrap p-value of "no difference": twice the smaller share of replicates on
    /// either side of 0, with the +1 correction (Davison & Hinkley 1997), at most 1.
    pub p_value: f64,
    /// The p-value adjusted by Holm's step-down method over the pairs of this label.
    pub p_holm: f64,
}

/// Holm's step-down adjustment of `p` (in the given order), as statsmodels'
/// `multipletests(p, method="holm")`.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut out = vec![0.0; m];
    let mut running = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        let adj = ((m - rank) as f64 * p[i]).min(1.0);
        running = running.max(adj);
        out[i] = running;
    }
    out
}

/// Two-sided bootstrap p-value of a zero difference from replicates of the difference.
pub fn bootstrap_p(diffs: &[f64]) -> f64 {
    let n = diffs.len() as f64;
    let below = diffs.iter().filter(|d| **d <= 0.0).count() as f64;
    let above = diffs.iter().filter(|d| **d >= 0.0).count() as f64;
    (2.0 * (below.min(above) + 1.0) / (n + 1.0)).min(1.0)
}

/// A group with enough documents: its name, all its documents, and the non-empty ones.
type Usable<'a> = (&'a str, &'a Documents, Vec<&'a Vec<Vec<f64>>>);

/// Every pair of `groups` (name, documents) with at least [`MIN_DOCUMENTS`] documents each,
/// for every class, by estimator `which` (index into [`ESTIMATORS`]). Seeded.
pub fn pairwise(
    groups: &[(&str, &Documents)],
    classes: &[String],
    stats: Option<&QuantifyStats>,
    which: usize,
    seed: u64,
) -> Vec<PairDifference> {
    let k = classes.len();
    let rates = stats.and_then(QuantifyStats::rates);
    let usable: Vec<Usable> = groups
        .iter()
        .map(|(g, d)| {
            (
                *g,
                *d,
                d.iter().filter(|d| !d.is_empty()).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, _, d)| d.len() >= MIN_DOCUMENTS)
        .collect();
    if usable.len() < 2 {
        return Vec::new();
    }
    let point: Vec<Option<Vec<f64>>> = usable
        .iter()
        .map(|(_, all, _)| estimate(which, all, k, stats, rates.as_ref()).map(|s| s.shares))
        .collect();
    if point.iter().any(Option::is_none) {
        return Vec::new();
    }
    let has_rates = stats.is_some_and(QuantifyStats::has_rates);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // reps[group][replicate][class]
    let mut reps: Vec<Vec<Vec<f64>>> = vec![Vec::with_capacity(BOOTSTRAP); usable.len()];
    let sums: Vec<DocSums> = usable
        .iter()
        .map(|(_, _, d)| DocSums::of_all(d, k))
        .collect();
    for _ in 0..BOOTSTRAP {
        let rates = match stats {
            Some(s) if has_rates => s.rates_with(|g, _| rng.gen_range(0..s.oof[g].len())),
            _ => None,
        };
        for (((_, _, d), sums), r) in usable.iter().zip(&sums).zip(reps.iter_mut()) {
            let sample = Replicate::draw(d, sums, k, which == 4, &mut rng);
            match sample.estimate(which, k, stats, rates.as_ref()) {
                Some(s) => r.push(s.shares),
                None => return Vec::new(),
            }
        }
    }
    let mut out = Vec::new();
    for (c, label) in classes.iter().enumerate() {
        let first = out.len();
        for i in 0..usable.len() {
            for j in i + 1..usable.len() {
                let (Some(pa), Some(pb)) = (&point[i], &point[j]) else {
                    continue;
                };
                let mut diffs: Vec<f64> = reps[i]
                    .iter()
                    .zip(&reps[j])
                    .map(|(a, b)| a[c] - b[c])
                    .collect();
                diffs.sort_by(f64::total_cmp);
                out.push(PairDifference {
                    label: label.clone(),
                    a: usable[i].0.to_string(),
                    b: usable[j].0.to_string(),
                    estimator: ESTIMATORS[which],
                    difference: pa[c] - pb[c],
                    ci_low: quantile(&diffs, 0.025),
                    ci_high: quantile(&diffs, 0.975),
                    p_value: bootstrap_p(&diffs),
                    p_holm: f64::NAN,
                });
            }
        }
        let p: Vec<f64> = out[first..].iter().map(|d| d.p_value).collect();
        for (d, adj) in out[first..].iter_mut().zip(holm(&p)) {
            d.p_holm = adj;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Holm against statsmodels 0.15.0 `multipletests(method="holm")`: expected values in
    /// `tests/fixtures/holm.json`, written by `scripts/pairwise_reference.py`.
    #[test]
    fn holm_matches_statsmodels() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let f: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root.join("tests/fixtures/holm.json")).unwrap(),
        )
        .unwrap();
        let cases = f["cases"].as_array().unwrap();
        assert!(cases.len() >= 3);
        for case in cases {
            let p: Vec<f64> = serde_json::from_value(case["p"].clone()).unwrap();
            let want: Vec<f64> = serde_json::from_value(case["holm"].clone()).unwrap();
            let got = holm(&p);
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 1e-12, "{p:?}: {got:?} vs {want:?}");
            }
        }
    }

    fn doc(labels: &[usize]) -> Vec<Vec<f64>> {
        labels
            .iter()
            .map(|&l| {
                if l == 1 {
                    vec![0.1, 0.9]
                } else {
                    vec![0.9, 0.1]
                }
            })
            .collect()
    }

    /// Two groups whose documents differ a lot: a significant difference whose interval
    /// excludes 0; two groups drawn alike: p large, interval around 0. Same seed, same result.
    #[test]
    fn differences_intervals_and_p_values() {
        let classes = vec!["no".to_string(), "yes".to_string()];
        let high: Vec<Vec<Vec<f64>>> = (0..8).map(|i| doc(&[1, 1, 1, (i % 2)])).collect();
        let low: Vec<Vec<Vec<f64>>> = (0..8).map(|i| doc(&[0, 0, 0, (i % 2)])).collect();
        let high2: Vec<Vec<Vec<f64>>> = (0..8).map(|i| doc(&[1, 1, (i % 2), 1])).collect();
        let groups = [
            ("high", &high[..]),
            ("low", &low[..]),
            ("high2", &high2[..]),
        ];
        let d = pairwise(&groups, &classes, None, 0, 7);
        assert_eq!(d.len(), 6, "3 pairs × 2 labels");
        let get = |a: &str, b: &str| {
            d.iter()
                .find(|x| x.label == "yes" && x.a == a && x.b == b)
                .unwrap()
        };
        let hl = get("high", "low");
        assert!((hl.difference - 0.75).abs() < 1e-12);
        assert!(hl.ci_low > 0.5 && hl.ci_high <= 1.0, "{hl:?}");
        assert!(hl.p_value < 0.01 && hl.p_holm >= hl.p_value);
        let hh = get("high", "high2");
        assert!(hh.ci_low < 0.0 && hh.ci_high > 0.0, "{hh:?}");
        assert!(hh.p_value > 0.2);
        // The "no" label mirrors "yes".
        let no = d
            .iter()
            .find(|x| x.label == "no" && x.a == "high" && x.b == "low")
            .unwrap();
        assert!((no.difference + 0.75).abs() < 1e-12);
        assert_eq!(d, pairwise(&groups, &classes, None, 0, 7));
        // Fewer than 3 documents: the group is left out.
        let two = &high[..2];
        assert!(pairwise(&[("a", two), ("b", &low[..])], &classes, None, 0, 7).is_empty());
    }

    #[test]
    fn bootstrap_p_is_two_sided_and_never_zero() {
        assert!((bootstrap_p(&[1.0; 999]) - 2.0 / 1000.0).abs() < 1e-15);
        let half: Vec<f64> = (0..1000).map(|i| i as f64 - 499.5).collect();
        assert_eq!(bootstrap_p(&half), 1.0);
    }
}

/// The overall test that the groups' label shares differ, with documents as the units: Pearson's
/// X² of the group × label table of sentence counts, compared with its distribution when whole
/// documents are shuffled between the groups (group sizes in documents kept). Sentences of one
/// document stay together, so the test does not count them as independent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentPermutationTest {
    /// Pearson's X² of the observed table.
    pub statistic: f64,
    /// Permutations drawn.
    pub permutations: usize,
    /// (1 + permutations with X² at least the observed) / (permutations + 1).
    pub p_value: f64,
    /// Documents permuted.
    pub documents: usize,
}

/// Permutations of [`document_permutation_test`].
pub const PERMUTATIONS: usize = 2000;

fn pearson(table: &[Vec<f64>]) -> f64 {
    let k = table.first().map_or(0, Vec::len);
    let n: f64 = table.iter().flatten().sum();
    let rows: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let cols: Vec<f64> = (0..k).map(|j| table.iter().map(|r| r[j]).sum()).collect();
    let mut x2 = 0.0;
    for (i, r) in table.iter().enumerate() {
        for (j, &o) in r.iter().enumerate() {
            let e = rows[i] * cols[j] / n;
            if e > 0.0 {
                x2 += (o - e).powi(2) / e;
            }
        }
    }
    x2
}

/// The observed statistic and how many of `permutations` shuffles of the documents' groups
/// give one at least as large. The shuffles do not depend on `T`.
fn count_at_least<T>(
    docs: &[(usize, Vec<usize>)],
    counts: &[(u32, u32, usize)],
    groups: usize,
    k: usize,
    permutations: usize,
    seed: u64,
) -> Option<(f64, usize)>
where
    T: Copy + TryFrom<usize> + Into<u64>,
{
    use rand::seq::SliceRandom;
    let mut t = vec![0usize; groups * k];
    let mut table = |assign: &[T]| {
        t.fill(0);
        for &(d, c, n) in counts {
            let g = assign[d as usize].into() as usize;
            t[g * k + c as usize] += n;
        }
        let rows: Vec<Vec<f64>> = t
            .chunks_exact(k.max(1))
            .map(|r| r.iter().map(|&n| n as f64).collect())
            .collect();
        pearson(&rows)
    };
    let mut assign: Vec<T> = docs
        .iter()
        .map(|d| T::try_from(d.0).ok())
        .collect::<Option<_>>()?;
    let observed = table(&assign);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut at_least = 0usize;
    for _ in 0..permutations {
        assign.shuffle(&mut rng);
        if table(&assign) >= observed - 1e-9 * observed.abs().max(1.0) {
            at_least += 1;
        }
    }
    Some((observed, at_least))
}

/// The test for `docs`: each document's group index and its sentence count per label.
/// `None` with fewer than 2 groups, or a group with fewer than 2 documents.
pub fn document_permutation_test(
    docs: &[(usize, Vec<usize>)],
    groups: usize,
    permutations: usize,
    seed: u64,
) -> Option<DocumentPermutationTest> {
    let k = docs.first()?.1.len();
    let mut per_group = vec![0usize; groups];
    for d in docs {
        *per_group.get_mut(d.0)? += 1;
    }
    // With one document in a group, shuffling documents cannot tell groups apart.
    if groups < 2 || per_group.iter().any(|&n| n < 2) {
        return None;
    }
    // Only the non-zero counts, as (document, class, count), and group indices as small as
    // they fit: each of the thousands of shuffles and tables goes over them all, and for a
    // million documents that is the report's largest cost unless they stay compact.
    let mut counts: Vec<(u32, u32, usize)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if d.1.len() != k {
            return None;
        }
        for (c, &n) in d.1.iter().enumerate() {
            if n > 0 {
                counts.push((u32::try_from(i).ok()?, u32::try_from(c).ok()?, n));
            }
        }
    }
    let at_least = if groups <= usize::from(u8::MAX) + 1 {
        count_at_least::<u8>(docs, &counts, groups, k, permutations, seed)
    } else {
        count_at_least::<u32>(docs, &counts, groups, k, permutations, seed)
    };
    let (observed, at_least) = at_least?;
    Some(DocumentPermutationTest {
        statistic: observed,
        permutations,
        p_value: (1 + at_least) as f64 / (permutations + 1) as f64,
        documents: docs.len(),
    })
}

#[cfg(test)]
mod permutation_tests {
    use super::*;

    /// Against the independent numpy implementation in `scripts/pairwise_reference.py`
    /// (100,000 permutations, `tests/fixtures/document_permutation.json`): the p-values agree
    /// within Monte Carlo error (2,000 permutations here: sd ≤ 0.011).
    #[test]
    fn matches_the_numpy_reference_within_monte_carlo_error() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let f: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root.join("tests/fixtures/document_permutation.json"))
                .unwrap(),
        )
        .unwrap();
        let cases = f["cases"].as_array().unwrap();
        assert!(cases.len() >= 2);
        for case in cases {
            let docs: Vec<(usize, Vec<usize>)> =
                serde_json::from_value(case["docs"].clone()).unwrap();
            let groups = case["groups"].as_u64().unwrap() as usize;
            let t = document_permutation_test(&docs, groups, PERMUTATIONS, 0).unwrap();
            let x2 = case["statistic"].as_f64().unwrap();
            let p = case["p_value"].as_f64().unwrap();
            assert!(
                (t.statistic - x2).abs() < 1e-9 * x2.max(1.0),
                "{t:?} vs {x2}"
            );
            assert!((t.p_value - p).abs() < 0.035, "{t:?} vs p {p}");
        }
    }

    #[test]
    fn too_few_documents_or_groups_give_none() {
        let docs = vec![(0, vec![1, 2]), (1, vec![2, 1]), (0, vec![3, 0])];
        assert!(document_permutation_test(&docs, 2, 100, 0).is_none());
        let mut two = docs.clone();
        two.push((1, vec![0, 4]));
        assert!(document_permutation_test(&two, 2, 100, 0).is_some());
        let one = vec![(0, vec![1, 2]); 5];
        assert!(document_permutation_test(&one, 1, 100, 0).is_none());
    }
}
