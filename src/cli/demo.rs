//! `framelens demo`: the main job on the bundled data. The five seed articles and the two
//! shipped models are compiled into the binary, so this works after `cargo install` too;
//! they are scored and reported on in memory.

use super::outln;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use framelens::model::Model;
use framelens::report::{self, Report, ReportFormat, ReportOptions};
use framelens::score::{CsvSink, Document, NamedModel, ScoreColumns, ScoredSentence, Scorer, Sink};

/// (source, file stem, text) of the seed articles.
const SEEDS: [(&str, &str, &str); 5] = [
    (
        "guardian",
        "000_d2160c985169bc14",
        include_str!("../../labels/seeds/guardian/000_d2160c985169bc14.txt"),
    ),
    (
        "express",
        "001_a595051bd30801a2",
        include_str!("../../labels/seeds/express/001_a595051bd30801a2.txt"),
    ),
    (
        "inosmi",
        "002_89fa8f4c1e8583af",
        include_str!("../../labels/seeds/inosmi/002_89fa8f4c1e8583af.txt"),
    ),
    (
        "greatpowerrelations",
        "003_cce356c27d1bfddf",
        include_str!("../../labels/seeds/greatpowerrelations/003_cce356c27d1bfddf.txt"),
    ),
    (
        "antiempire",
        "004_7362f265dc8c698d",
        include_str!("../../labels/seeds/antiempire/004_7362f265dc8c698d.txt"),
    ),
];

const MODELS: [(&str, &str); 2] = [
    ("stance", include_str!("../../models/stance.json")),
    ("frame", include_str!("../../models/frame.json")),
];

const AFTER_HELP: &str = "\
Examples:
  framelens demo
  # also write the seed articles, the two models and the per-sentence scores to demo/
  framelens demo --keep demo
  framelens report demo/scores.csv --by doc --model-name frame

Exit status: 0 success, 1 error (e.g. --keep directory not writable),
2 usage error (unknown option).";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct DemoArgs {
    /// Also keep the seed articles, the per-sentence scores and the models in this directory
    /// (created when it does not exist).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Also write the report as one self-contained HTML page with charts to FILE (atomically)
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

pub fn run(a: DemoArgs) -> Result<()> {
    if let Some(p) = &a.html {
        super::check_out(p, &[])?;
    }
    let mut models = Vec::new();
    for (name, json) in MODELS {
        let path = PathBuf::from(format!("{name}.json"));
        models.push(NamedModel::new(
            name,
            Model::from_slice(&path, json.as_bytes())?,
        ));
    }
    let docs: Vec<Document> = SEEDS
        .iter()
        .map(|(source, stem, text)| Document::new(*source, *stem, *text))
        .collect();
    let mut scorer = Scorer::new(&models)?;
    let rows: Vec<ScoredSentence> = docs.iter().flat_map(|d| scorer.score_document(d)).collect();
    let columns = scorer.columns();
    let opts = ReportOptions {
        examples: 1,
        ..ReportOptions::default()
    };
    let mut r = Report::from_rows(&columns, &rows, &opts)?;
    r.input = "the five seed articles (bundled)".into();
    let kept = a
        .keep
        .as_deref()
        .map(|dir| keep(dir, &columns, &rows))
        .transpose()?;
    outln!(
        "# framelens demo: {} sentences of {} articles on the Russia–NATO–Ukraine crisis, one per outlet,\n\
         scored with the shipped stance and frame models (trained on 275 hand-labelled sentences of the same\n\
         articles with `framelens train`'s automatic settings search, models/train.sh; see models/README.md\n\
         for what they can and cannot be trusted for). The models have seen\n\
         these sentences in training, so this shows the pipeline at work, not the models' accuracy.\n",
        rows.len(), docs.len()
    )?;
    std::io::stdout()
        .lock()
        .write_all(report::render(&r, ReportFormat::Markdown).as_bytes())?;
    if let Some(p) = &a.html {
        framelens::io::write_atomic(p, report::render(&r, ReportFormat::Html).as_bytes())
            .with_context(|| format!("writing {}", p.display()))?;
        outln!("HTML report: {}", p.display())?;
    }
    if let (Some(dir), Some(scores)) = (&a.keep, kept) {
        outln!(
            "Scores: {}; models: {}/stance.json, {}/frame.json.",
            scores.display(),
            dir.display(),
            dir.display()
        )?;
    }
    outln!(
        "\nTo do the same with your own labels and articles:\n\
         \x20 framelens train --data my_labels.csv --text text --label stance --out stance.json\n\
         \x20 framelens score --model stance.json articles/ --out scores.csv   # articles/<outlet>/<article>.txt\n\
         \x20 framelens report scores.csv\n\
         See labels/CODEBOOK.md for how the seed sentences were labelled."
    )?;
    Ok(())
}

/// Writes the seed articles (`seeds/<source>/<stem>.txt`), the models and the scores
/// (`scores.csv`) into `dir`, creating it; returns the path of the scores.
fn keep(dir: &Path, columns: &ScoreColumns, rows: &[ScoredSentence]) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    anyhow::ensure!(dir.is_dir(), "{}: not a directory", dir.display());
    let write = |p: &Path, bytes: &[u8]| {
        framelens::io::write_atomic(p, bytes).with_context(|| format!("writing {}", p.display()))
    };
    for (source, stem, text) in SEEDS {
        let d = dir.join("seeds").join(source);
        std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
        write(&d.join(format!("{stem}.txt")), text.as_bytes())?;
    }
    for (name, json) in MODELS {
        write(&dir.join(format!("{name}.json")), json.as_bytes())?;
    }
    let mut sink = CsvSink::new(Vec::new(), columns);
    for row in rows {
        sink.write(row)?;
    }
    let scores = dir.join("scores.csv");
    write(&scores, &sink.into_inner()?)?;
    Ok(scores)
}
