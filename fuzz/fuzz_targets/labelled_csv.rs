//! The labelled-CSV reader: a clear error naming the file, or data whose parts agree (every
//! kept row has a non-empty text and a one-line, trimmed label; the counts add up).
#![no_main]
use framelens::data::{CsvOptions, Encoding, LabelSpec, LabelledData};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let opts = CsvOptions {
        delimiter: [None, Some(b','), Some(b';'), Some(b'\t')][usize::from(sel & 3)],
        encoding: if sel & 4 == 0 {
            Encoding::Strict
        } else {
            Encoding::Lossy
        },
    };
    let spec = LabelSpec::new("text", "label").skip_label("No agreement");
    let path = std::path::Path::new("fuzz.csv");
    match LabelledData::from_bytes(path, rest.to_vec(), &spec, &opts) {
        Err(e) => assert!(
            e.to_string().contains("fuzz.csv"),
            "error without the file: {e}"
        ),
        Ok(d) => {
            assert_eq!(d.texts.len(), d.labels.len());
            assert_eq!(d.texts.len(), d.lines.len());
            assert_eq!(d.rows.used, d.texts.len());
            assert_eq!(d.rows.read, d.rows.used + d.rows.skipped_total());
            assert_eq!(d.class_counts.values().sum::<usize>(), d.texts.len());
            assert!(d.class_counts.len() >= 2);
            for (t, l) in d.texts.iter().zip(&d.labels) {
                assert!(!t.trim().is_empty());
                assert!(
                    !l.is_empty() && l.trim() == l && !l.contains(['\n', '\r']),
                    "{l:?}"
                );
            }
            assert!(
                d.lines.windows(2).all(|w| w[0] < w[1]),
                "lines not increasing"
            );
        }
    }
});
