//! `framelens inspect`: a model's metadata and top-weighted n-grams.

use super::outln;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use framelens::model::Model;

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Model file.
    model: PathBuf,
    /// How many n-grams to show per class.
    #[arg(long, default_value_t = 15)]
    top: usize,
}

pub fn run(a: InspectArgs) -> Result<()> {
    let m = Model::load(&a.model)?;
    let t = &m.training;
    outln!("model: {}", a.model.display())?;
    outln!(
        "format: {} v{}, written by framelens {}",
        m.format,
        m.format_version,
        m.framelens_version
    )?;
    outln!(
        "trained: {} on {} (sha256 {})",
        t.date,
        t.data_file,
        t.data_sha256
    )?;
    outln!(
        "columns: text {:?}, label {:?}; skipped labels: {:?}; filters: {:?}",
        t.text_column,
        t.label_column,
        t.skip_labels,
        t.filters
    )?;
    outln!(
        "rows: {} read, {} used, skipped {:?}",
        t.rows.read,
        t.rows.used,
        t.rows.skipped
    )?;
    outln!(
        "classes: {}",
        t.class_counts
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    for p in &m.features.parts {
        let c = &p.config;
        outln!(
            "features: {} {}-{}-grams, {} terms, stem {}, stop words {}, min_df {}, max_df {}, sublinear_tf {}, norm {:?}",
            c.analyzer.analyzer.name(),
            c.analyzer.ngram_range.0,
            c.analyzer.ngram_range.1,
            p.vocabulary.len(),
            c.analyzer.stem.map_or("none", |l| l.name()),
            match &c.analyzer.stop_words {
                framelens::text::StopWords::None => "none".to_string(),
                framelens::text::StopWords::English => "english".to_string(),
                framelens::text::StopWords::List(w) => format!("{} words from a file", w.len()),
            },
            c.min_df,
            c.max_df,
            c.sublinear_tf,
            c.norm
        )?;
    }
    outln!(
        "model: logistic regression, C {}, class weight {:?}, {} iterations, converged {}",
        t.params.c(),
        t.params.class_weight(),
        t.fit.iterations,
        t.fit.converged
    )?;
    if let Some(cv) = &t.cross_validation {
        outln!(
            "cross-validation ({} folds, seed {}): accuracy {:.3}, macro-F1 {:.3}",
            cv.folds,
            cv.seed,
            cv.accuracy,
            cv.macro_f1
        )?;
        outln!(
            "confusion (rows gold, columns predicted, order {:?}):",
            m.classes()
        )?;
        for row in &cv.confusion {
            outln!("  {row:?}")?;
        }
    }
    for (class, feats) in m.top_features(a.top) {
        outln!("\ntop {} n-grams for {class}:", a.top)?;
        for (name, w) in feats {
            outln!("  {w:+.3}  {name}")?;
        }
    }
    Ok(())
}
