//! The document readers (JSON Lines, CSV and plain text, chosen by the first byte): every
//! error names the file; every document splits into sentences that are slices of its text.
#![no_main]
use framelens::score::{Documents, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let ext = ["jsonl", "csv", "txt"][usize::from(sel % 3)];
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("fuzz.{ext}"));
    std::fs::write(&path, rest).expect("write input");
    let opts = ReadOptions {
        source: (sel & 8 != 0).then(|| "source".to_string()),
        doc: (sel & 16 != 0).then(|| "id".to_string()),
        keep: if sel & 32 != 0 && ext != "txt" {
            vec!["id".into()]
        } else {
            vec![]
        },
        ..ReadOptions::default()
    };
    let docs = match Documents::new(&[path], &opts) {
        Ok(d) => d,
        Err(e) => {
            assert!(
                e.to_string().contains("fuzz."),
                "error without the file: {e}"
            );
            return;
        }
    };
    for d in docs.take(10_000) {
        match d {
            Ok(d) => {
                assert_eq!(d.keep.len(), opts.keep.len());
                d.for_each_sentence(false, |_, s| {
                    let (p, q) = (s.as_ptr() as usize, d.text.as_ptr() as usize);
                    assert!(p >= q && p + s.len() <= q + d.text.len(), "not a slice");
                });
            }
            Err(e) => {
                assert!(
                    e.to_string().contains("fuzz."),
                    "error without the file: {e}"
                );
                break;
            }
        }
    }
});
