//! Regressions of issue 11 ("Hardening"): bad input a hostile user tried, each with its
//! fix. Named `r11_<item>_<what>` after the numbered items.

use crate::util::Dir;

/// Item 4: a stray quote in an unquoted field (`5" screen`) is valid CSV for `score`.
#[test]
fn r11_4_stray_quote_in_score_input() {
    let d = Dir::new();
    d.train_stance("m.json");
    d.create(
        "s.csv",
        "id,text\n1,The 5\" screen broke.\n2,Talks resume.\n",
    );
    let out = d.ok(&["score", "--model", "m.json", "s.csv"]);
    let (_, rows) = crate::util::parse_csv(&out.stdout);
    assert_eq!(rows.len(), 2, "{}", out.stdout);
    assert!(
        out.stdout.contains("The 5\"\" screen broke."),
        "{}",
        out.stdout
    );
}

/// Item 4: a real unterminated quote after a stray one is refused by `train`, at its line.
#[test]
fn r11_4_unterminated_quote_hidden_by_a_stray_one() {
    let d = Dir::new();
    d.create(
        "l.csv",
        "text,label\nThe 12\" gun fired,mil\ntanks roll,\"mil\ntalks resume,dip\nmore talks,dip\n",
    );
    d.err(&[
        "train", "--data", "l.csv", "--text", "text", "--label", "label", "--out", "m.json",
    ])
    .stderr_has(&["l.csv, line 3", "never closed"]);
    assert!(!d.join("m.json").exists());
}
