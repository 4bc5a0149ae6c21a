//! The analyzers (word with and without stemming and stop words, char_wb, char): every term
//! is non-empty, character n-grams have between MIN and MAX characters, word n-grams have
//! between MIN and MAX words, and a clone gives the same terms.
#![no_main]
use framelens::text::{Analyzer, AnalyzerConfig, AnalyzerKind, Language, StopWords, StripAccents};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let analyzer = match sel % 3 {
        0 => AnalyzerKind::Word,
        1 => AnalyzerKind::CharWb,
        _ => AnalyzerKind::Char,
    };
    let min = 1 + usize::from((sel >> 2) & 1);
    let max = min + usize::from((sel >> 3) & 3);
    let config = AnalyzerConfig {
        analyzer,
        ngram_range: (min, max),
        lowercase: sel & 0x20 == 0,
        strip_accents: match (sel >> 6) & 3 {
            1 => Some(StripAccents::Unicode),
            2 => Some(StripAccents::Ascii),
            _ => None,
        },
        stop_words: if sel & 0x10 != 0 {
            StopWords::English
        } else {
            StopWords::None
        },
        stem: [Some(Language::English), None, Some(Language::Russian)][usize::from(sel >> 6) % 3],
        ..AnalyzerConfig::default()
    };
    // Building an analyzer compiles its token regex; build each configuration once.
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<u8, Analyzer>> =
            Default::default();
    }
    let mut a = CACHE.with(|c| {
        c.borrow_mut()
            .entry(sel)
            .or_insert_with(|| Analyzer::new(&config).expect("a valid configuration builds"))
            .clone()
    });
    let terms = a.terms(&text);
    for t in &terms {
        assert!(!t.is_empty(), "empty term");
        match analyzer {
            AnalyzerKind::Word => {
                let n = t.split(' ').count();
                assert!(
                    (min..=max).contains(&n),
                    "{n}-gram {t:?} outside {min}..={max}"
                );
            }
            _ => {
                let n = t.chars().count();
                assert!(
                    (min..=max).contains(&n),
                    "{n}-char gram {t:?} outside {min}..={max}"
                );
            }
        }
    }
    assert_eq!(a.clone().terms(&text), terms, "a clone gives other terms");
});
