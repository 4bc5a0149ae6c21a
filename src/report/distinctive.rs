//! Distinctive language: for each group against the rest, the terms most over-represented by
//! the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn
//! 2008, "Fightin' Words", section 3.5), using a model's own analyzer on the scored texts.
//!
//! With counts `y_gw` of term `w` in group `g` (`n_g` terms in all), the rest's counts `y_rw`
//! (`n_r`), and prior pseudo-counts `α_w = α₀ · y_w / n` (the term's share of the whole corpus,
//! `α₀` = [`PRIOR_STRENGTH`]):
//!
//! δ_w = ln((y_gw + α_w) / (n_g + α₀ − y_gw − α_w)) − ln((y_rw + α_w) / (n_r + α₀ − y_rw − α_w)),
//! σ²(δ_w) ≈ 1 / (y_gw + α_w) + 1 / (y_rw + α_w), and z_w = δ_w / σ(δ_w).

use std::collections::HashMap;

use serde::Serialize;

/// Prior pseudo-counts in all (α₀).
pub const PRIOR_STRENGTH: f64 = 1000.0;
/// Terms listed per group.
pub const TOP_TERMS: usize = 10;

/// One over-represented term of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistinctiveTerm {
    /// The term, as the model's analyzer produces it (stemmed, n-grams joined by a space).
    pub term: String,
    /// z-score of the log-odds ratio, group against the rest.
    pub z: f64,
    /// The log-odds ratio δ.
    pub delta: f64,
    /// Occurrences in the group.
    pub count: u64,
    /// Occurrences in the other groups.
    pub count_rest: u64,
}

/// A group's distinctive terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distinctive {
    /// The group.
    pub group: String,
    /// The terms with the largest z (at most [`TOP_TERMS`], only z > 0), largest first.
    pub terms: Vec<DistinctiveTerm>,
}

/// A term as shown in a table: quoted when it starts or ends with a space (character
/// n-grams), so the space is visible.
pub fn shown_term(term: &str) -> String {
    if term.starts_with(' ') || term.ends_with(' ') {
        format!("\"{term}\"")
    } else {
        term.to_string()
    }
}

/// Term counts per group.
#[derive(Debug, Clone, Default)]
pub struct TermCounts {
    /// Per term index: count in the group.
    pub counts: HashMap<u32, u64>,
}

/// Weighted log-odds with an informative Dirichlet prior for every group against the rest.
/// `groups` are (name, counts by term index); `terms` names the indices.
pub fn fightin_words(
    groups: &[(&str, &TermCounts)],
    terms: &[String],
    prior_strength: f64,
    top: usize,
) -> Vec<Distinctive> {
    let mut total: HashMap<u32, u64> = HashMap::new();
    for (_, c) in groups {
        for (&w, &n) in &c.counts {
            *total.entry(w).or_default() += n;
        }
    }
    let n: u64 = total.values().sum();
    if n == 0 || groups.len() < 2 {
        return Vec::new();
    }
    groups
        .iter()
        .map(|(name, c)| {
            let n_g: u64 = c.counts.values().sum();
            let n_r = n - n_g;
            let mut scored: Vec<DistinctiveTerm> = c
                .counts
                .iter()
                .map(|(&w, &y_g)| {
                    let y = total[&w];
                    let y_r = y - y_g;
                    let a = prior_strength * y as f64 / n as f64;
                    let (yg, yr) = (y_g as f64 + a, y_r as f64 + a);
                    let delta = (yg / (n_g as f64 + prior_strength - yg)).ln()
                        - (yr / (n_r as f64 + prior_strength - yr)).ln();
                    let z = delta / (1.0 / yg + 1.0 / yr).sqrt();
                    DistinctiveTerm {
                        term: terms.get(w as usize).cloned().unwrap_or_default(),
                        z,
                        delta,
                        count: y_g,
                        count_rest: y_r,
                    }
                })
                .filter(|t| t.z > 0.0 && t.z.is_finite())
                .collect();
            scored.sort_by(|a, b| b.z.total_cmp(&a.z).then_with(|| a.term.cmp(&b.term)));
            scored.truncate(top);
            Distinctive {
                group: name.to_string(),
                terms: scored,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(u32, u64)]) -> TermCounts {
        TermCounts {
            counts: pairs.iter().copied().collect(),
        }
    }

    /// A hand-computed example of the paper's formula (section 3.5, eqs. 16, 18–20) with the
    /// informative prior α_w = α₀ · y_w / n. Group A: war 10, talks 2, the 8 (n_A = 20);
    /// group B: war 2, talks 10, the 8 (n_B = 20); n = 40, α₀ = 40, so α_war = α_talks = 12,
    /// α_the = 16. For "war" in A: y_A + α = 22, n_A + α₀ − 22 = 38; y_B + α = 14,
    /// n_B + α₀ − 14 = 46. δ = ln(22/38) − ln(14/46) = −0.546 544 + 1.189 584 = 0.643 040 …;
    /// σ² = 1/22 + 1/14 = 0.116 883 …; z = 0.643 040 / 0.341 882 = 1.880 89 …
    /// "the" is equally frequent: δ = 0, not listed (only z > 0).
    #[test]
    fn matches_a_hand_computed_example() {
        let terms = vec!["war".to_string(), "talks".to_string(), "the".to_string()];
        let a = counts(&[(0, 10), (1, 2), (2, 8)]);
        let b = counts(&[(0, 2), (1, 10), (2, 8)]);
        let d = fightin_words(&[("A", &a), ("B", &b)], &terms, 40.0, 10);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].group, "A");
        assert_eq!(d[0].terms.len(), 1, "{:?}", d[0].terms);
        let war = &d[0].terms[0];
        assert_eq!(
            (war.term.as_str(), war.count, war.count_rest),
            ("war", 10, 2)
        );
        let delta = (22.0f64 / 38.0).ln() - (14.0f64 / 46.0).ln();
        assert!((war.delta - delta).abs() < 1e-12);
        assert!((war.delta - 0.643_040_4).abs() < 1e-6, "{}", war.delta);
        assert!((war.z - 1.880_89).abs() < 1e-4, "{}", war.z);
        // B mirrors A.
        assert_eq!(d[1].terms[0].term, "talks");
        assert!((d[1].terms[0].z - war.z).abs() < 1e-12);
    }

    #[test]
    fn one_group_or_no_terms_gives_nothing_and_top_limits() {
        let terms: Vec<String> = (0..30).map(|i| format!("t{i}")).collect();
        let a = counts(&(0..30).map(|i| (i, u64::from(i) + 1)).collect::<Vec<_>>());
        let b = counts(&(0..30).map(|i| (i, 31 - u64::from(i))).collect::<Vec<_>>());
        assert!(fightin_words(&[("A", &a)], &terms, 1000.0, 10).is_empty());
        let d = fightin_words(&[("A", &a), ("B", &b)], &terms, 1000.0, 5);
        assert_eq!(d[0].terms.len(), 5);
        assert_eq!(d[0].terms[0].term, "t29");
        assert!(d[0].terms.windows(2).all(|w| w[0].z >= w[1].z));
        let empty = TermCounts::default();
        assert!(fightin_words(&[("A", &empty), ("B", &empty)], &terms, 1000.0, 5).is_empty());
    }
}
