//! train → score → report in memory, from Rust, without the binary (issue 7).

use framelens::config::{Preset, Recipe};
use framelens::data::{CsvOptions, LabelSpec, LabelledData};
use framelens::model::{self, TrainOptions};
use framelens::report::{self, Report, ReportFormat, ReportOptions};
use framelens::score::{CsvSink, Document, NamedModel, Scorer, Sink};

use crate::util::{fixture, parse_csv, Dir, LABELS};

#[test]
fn train_score_report_in_memory() -> Result<(), framelens::Error> {
    let spec = LabelSpec {
        text: "text".into(),
        label: "stance".into(),
        skip_labels: vec!["No agreement".into()],
        filters: vec![],
    };
    let data = LabelledData::read(&fixture(LABELS), &spec, &CsvOptions::default())?;
    let config = Recipe::new(Preset::Default).build()?;
    let stance = model::train(&data, &config, &TrainOptions::default())?;
    let mut scorer = Scorer::new(&[NamedModel::new("stance", stance)])?;
    let docs = [
        Document::new(
            "guardian",
            "a1",
            "Russian aggression continued. The aggression goes on.",
        ),
        Document::new(
            "inosmi",
            "b1",
            "NATO provocation is growing! A provocation again.",
        ),
    ];
    let rows: Vec<_> = docs.iter().flat_map(|d| scorer.score_document(d)).collect();
    let report = Report::from_rows(&scorer.columns(), &rows, &ReportOptions::default())?;
    let markdown = report::render(&report, ReportFormat::Markdown);

    // The fixture marks anti_kremlin rows with "aggression" and pro_kremlin ones with
    // "provocation" (tests/cli_end_to_end.rs).
    let labels: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.text.as_str(), r.predictions[0].label.as_str()))
        .collect();
    assert_eq!(labels.len(), 4);
    assert_eq!(labels[0], ("Russian aggression continued.", "anti_kremlin"));
    assert_eq!(labels[1].1, "anti_kremlin");
    assert_eq!(labels[2], ("NATO provocation is growing!", "pro_kremlin"));
    assert_eq!(labels[3].1, "pro_kremlin");
    let m = &report.models[0];
    assert_eq!(m.classes, ["anti_kremlin", "neutral", "pro_kremlin"]);
    let groups: Vec<(&str, usize, usize)> = m
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.labels[0].count, g.labels[2].count))
        .collect();
    // (group, anti_kremlin sentences, pro_kremlin sentences)
    assert_eq!(groups, [("guardian", 2, 0), ("inosmi", 0, 2)]);
    assert!(markdown.contains("| inosmi | 1 | 2 |"), "{markdown}");

    // The binary reports the same counts on the same rows written as a scores file.
    let d = Dir::new();
    let mut sink = CsvSink::new(Vec::new(), &scorer.columns());
    for r in &rows {
        sink.write(r)?;
    }
    d.create("scores.csv", sink.into_inner()?);
    assert_eq!(parse_csv(&d.read_string("scores.csv")).1.len(), 4);
    let cli: serde_json::Value =
        serde_json::from_str(&d.ok(&["report", "scores.csv", "--format", "json"]).stdout)
            .expect("JSON report");
    for (g, want) in cli["models"][0]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .zip(&m.groups)
    {
        assert_eq!(g["group"], want.group.as_str());
        assert_eq!(g["sentences"], want.sentences);
        let counts: Vec<u64> = g["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .map(|l| l["count"].as_u64().expect("count"))
            .collect();
        let want: Vec<u64> = want.labels.iter().map(|l| l.count as u64).collect();
        assert_eq!(counts, want);
    }
    Ok(())
}
