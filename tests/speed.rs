//! Issue 12: compact and gzip-compressed model files.

use crate::util::Dir;

#[test]
fn gzip_model_scores_like_the_plain_one_and_is_named_without_extensions() {
    let d = Dir::new();
    d.train_stance("stance.json");
    d.create_dir("gz");
    d.train_stance("gz/stance.json.gz");
    let plain = d.read("stance.json");
    let gz = d.read("gz/stance.json.gz");
    // Compact JSON: one line; gzip by name, much smaller.
    assert_eq!(plain.iter().filter(|&&b| b == b'\n').count(), 1);
    assert_eq!(&gz[..2], &[0x1f, 0x8b]);
    assert!(
        gz.len() * 2 < plain.len(),
        "{} vs {}",
        gz.len(),
        plain.len()
    );
    d.create(
        "a.txt",
        "Russian troops shelled the city. NATO sent more weapons to Kyiv.",
    );
    let a = d.ok(&["score", "--model", "stance.json", "a.txt"]).stdout;
    let b = d
        .ok(&["score", "--model", "gz/stance.json.gz", "a.txt"])
        .stdout;
    assert!(a.starts_with("source,doc,index,text,stance_label,"), "{a}");
    assert_eq!(a, b);
    // gzip is recognised by content, whatever the name.
    d.create("renamed.json", &gz);
    let c = d.ok(&["score", "--model", "renamed.json", "a.txt"]).stdout;
    assert_eq!(c.replace("renamed_", "stance_"), a);
    // A cut gzip file is a clear error naming the file.
    d.create("cut.json.gz", &gz[..gz.len() / 2]);
    d.err(&["score", "--model", "cut.json.gz", "a.txt"])
        .stderr_has(&["cut.json.gz", "gzip"]);
}
