//! `framelens demo`: the main job on the bundled data. The five seed articles and the two
//! shipped models are compiled into the binary, so this works after `cargo install` too.

use super::outln;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use framelens::model::Model;
use framelens::report::{self, ReportFormat, ReportOptions};
use framelens::score::{self, ScoreOptions};

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

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Also keep the per-sentence scores and the models in this (existing) directory.
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
}

pub fn run(a: DemoArgs) -> Result<()> {
    let tmp = tempfile::tempdir().context("creating a temporary directory")?;
    let dir = match &a.keep {
        Some(d) => {
            anyhow::ensure!(
                d.is_dir(),
                "--keep {}: not an existing directory",
                d.display()
            );
            d.clone()
        }
        None => tmp.path().to_path_buf(),
    };
    let mut inputs = Vec::new();
    for (source, stem, text) in SEEDS {
        let d = dir.join("seeds").join(source);
        std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
        let p = d.join(format!("{stem}.txt"));
        framelens::io::write_atomic(&p, text.as_bytes())
            .with_context(|| format!("writing {}", p.display()))?;
        inputs.push(p);
    }
    let mut models = Vec::new();
    for (name, json) in MODELS {
        let p = dir.join(format!("{name}.json"));
        let m = Model::from_slice(&p, json.as_bytes())?;
        framelens::io::write_atomic(&p, json.as_bytes())
            .with_context(|| format!("writing {}", p.display()))?;
        models.push((p, m));
    }
    let models = score::name_models(models)?;
    let scores = dir.join("scores.csv");
    let mut out = Vec::new();
    let summary = score::score(
        &models,
        &inputs,
        &ScoreOptions::default(),
        &mut out,
        &mut |_| {},
    )?;
    framelens::io::write_atomic(&scores, &out)
        .with_context(|| format!("writing {}", scores.display()))?;
    let mut r = report::build(&scores, &ReportOptions::default())?;
    r.input = "the five seed articles (bundled)".into();
    outln!(
        "# framelens demo: {} sentences of {} articles on the Russia–NATO–Ukraine crisis, one per outlet,\n\
         scored with the shipped stance and frame models (trained on 275 hand-labelled sentences of the same\n\
         articles: see models/README.md for what they can and cannot be trusted for). The models have seen\n\
         these sentences in training, so this shows the pipeline at work, not the models' accuracy.\n",
        summary.sentences, summary.documents
    )?;
    print!("{}", report::render(&r, ReportFormat::Markdown));
    if a.keep.is_some() {
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
