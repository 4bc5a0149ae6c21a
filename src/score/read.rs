//! Reading a scores file back: CSV as written by `framelens score`, or JSON Lines, into
//! [`ScoredSentence`] values ([`ScoresReader`]).

use std::path::{Path, PathBuf};

use super::columns::{Column, ParsedHeader, ScoreColumns};
use super::scorer::{Prediction, ScoredSentence};
use crate::data::{self, CsvOptions};
use crate::Error;

/// The rows of a scores file as [`ScoredSentence`] values, read one at a time.
///
/// The file is CSV (or `-`, standard input, as CSV), or JSON Lines when its extension is
/// `.jsonl` or `.ndjson` (the keys of the first object are the columns). Its header is read
/// with [`ScoreColumns::parse`]: the columns may come in any order, and columns that are
/// missing are empty (`index` 0). Every column that is neither fixed nor a model's, `id`
/// included, is a kept column. After an error the iteration ends.
#[derive(Debug)]
pub struct ScoresReader {
    rows: Rows,
    parsed: ParsedHeader,
}

impl ScoresReader {
    /// Opens a scores file and reads its header.
    pub fn open(path: &Path, csv: &CsvOptions) -> Result<ScoresReader, Error> {
        let rows = Rows::open(path, csv, false)?;
        let parsed = ScoreColumns::parse(&rows.headers);
        Ok(ScoresReader { rows, parsed })
    }

    /// Opens a scores file as JSON Lines whatever its name; `-` is standard input.
    pub fn open_jsonl(path: &Path) -> Result<ScoresReader, Error> {
        let rows = Rows::open(path, &crate::data::CsvOptions::default(), true)?;
        let parsed = ScoreColumns::parse(&rows.headers);
        Ok(ScoresReader { rows, parsed })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.rows.path
    }

    /// The header as it is in the file.
    pub fn header(&self) -> &[String] {
        &self.rows.headers
    }

    /// The columns the header describes.
    pub fn columns(&self) -> &ScoreColumns {
        &self.parsed.columns
    }

    /// The header with what each of its columns holds.
    pub fn parsed_header(&self) -> &ParsedHeader {
        &self.parsed
    }

    fn next_sentence(&mut self) -> Result<Option<ScoredSentence>, Error> {
        let Some(cells) = self.rows.next_row()? else {
            return Ok(None);
        };
        let columns = &self.parsed.columns;
        let mut row = ScoredSentence {
            keep: vec![String::new(); columns.keep.len()],
            predictions: columns
                .models
                .iter()
                .map(|m| Prediction {
                    label: String::new(),
                    probabilities: vec![0.0; m.classes.len()],
                })
                .collect(),
            ..ScoredSentence::default()
        };
        for (i, (cell, column)) in cells.into_iter().zip(&self.parsed.layout).enumerate() {
            match column {
                None | Some(Column::Id) => {}
                Some(Column::Source) => row.source = cell,
                Some(Column::Doc) => row.doc = cell,
                Some(Column::Text) => row.text = cell,
                Some(Column::Index) => {
                    row.index = cell.trim().parse().map_err(|_| {
                        self.rows.error(format!(
                            "column {:?} should be a whole number, found {cell:?}",
                            self.rows.headers[i]
                        ))
                    })?
                }
                Some(Column::Keep(k)) => row.keep[*k] = cell,
                Some(Column::Label(m)) => {
                    let classes = &columns.models[*m].classes;
                    if !classes.contains(&cell) {
                        return Err(self.rows.error(format!(
                            "column {:?} should be one of the model's classes ({}), found {cell:?}",
                            self.rows.headers[i],
                            classes.join(", ")
                        )));
                    }
                    row.predictions[*m].label = cell
                }
                Some(Column::Probability(m, c)) => {
                    row.predictions[*m].probabilities[*c] = cell
                        .trim()
                        .parse()
                        .ok()
                        .filter(|p: &f64| (0.0..=1.0).contains(p))
                        .ok_or_else(|| Error::BadNumber {
                            path: self.rows.path.clone(),
                            line: self.rows.line,
                            column: self.rows.headers[i].clone(),
                            value: cell.clone(),
                        })?
                }
            }
        }
        self.check_sums(&row)?;
        Ok(Some(row))
    }

    /// Each model's probabilities add up to 1, within 0.01 per class (scores files round
    /// them; a hand-edited file may round to two decimals).
    fn check_sums(&self, row: &ScoredSentence) -> Result<(), Error> {
        for (m, p) in self.parsed.columns.models.iter().zip(&row.predictions) {
            let sum: f64 = p.probabilities.iter().sum();
            if (sum - 1.0).abs() > 0.01 * p.probabilities.len() as f64 {
                return Err(self.rows.error(format!(
                    "the probabilities of model {:?} add up to {sum}, expected 1",
                    m.name
                )));
            }
        }
        Ok(())
    }
}

impl Iterator for ScoresReader {
    type Item = Result<ScoredSentence, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_sentence() {
            Ok(row) => row.map(Ok),
            Err(e) => {
                self.rows.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Rows of a scores file as text cells: CSV, or JSON Lines (`.jsonl`, `.ndjson`; the keys of
/// the first object are the columns).
struct Rows {
    path: PathBuf,
    headers: Vec<String>,
    line: u64,
    json: bool,
    done: bool,
    csv: Option<Box<data::Table<data::TableReader>>>,
    jsonl: Option<(Box<dyn std::io::BufRead>, Vec<u8>)>,
    first: Option<Vec<String>>,
}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("path", &self.path)
            .field("headers", &self.headers)
            .field("line", &self.line)
            .finish()
    }
}

impl Rows {
    fn open(path: &Path, opts: &CsvOptions, jsonl: bool) -> Result<Rows, Error> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !jsonl && !matches!(ext.as_deref(), Some("jsonl" | "ndjson")) {
            let t = data::open_table(path, opts)?;
            return Ok(Rows {
                path: path.to_path_buf(),
                headers: t.headers().to_vec(),
                line: 1,
                json: false,
                done: false,
                csv: Some(Box::new(t)),
                jsonl: None,
                first: None,
            });
        }
        let input: Box<dyn std::io::BufRead> = if path == Path::new("-") {
            Box::new(std::io::BufReader::new(std::io::stdin()))
        } else {
            data::check_input_file(path)?;
            let f = std::fs::File::open(path).map_err(|source| Error::io(path, source))?;
            Box::new(std::io::BufReader::new(f))
        };
        let mut rows = Rows {
            path: path.to_path_buf(),
            headers: Vec::new(),
            line: 0,
            json: true,
            done: false,
            csv: None,
            jsonl: Some((input, Vec::new())),
            first: None,
        };
        match rows.next_json(true)? {
            Some(first) => rows.first = Some(first),
            None => {
                return Err(Error::Empty {
                    path: path.to_path_buf(),
                })
            }
        }
        Ok(rows)
    }

    /// An error at the current line.
    fn error(&self, message: String) -> Error {
        let (path, line) = (self.path.clone(), self.line);
        if self.json {
            Error::Json {
                path,
                line,
                message,
                record: Vec::new(),
            }
        } else {
            Error::Csv {
                path,
                line,
                message,
            }
        }
    }

    fn next_row(&mut self) -> Result<Option<Vec<String>>, Error> {
        if self.done {
            return Ok(None);
        }
        if let Some(t) = &mut self.csv {
            if !t.next_row()? {
                return Ok(None);
            }
            self.line = t.line();
            return Ok(Some(
                (0..self.headers.len())
                    .map(|i| t.field(i))
                    .collect::<Result<_, _>>()?,
            ));
        }
        if let Some(first) = self.first.take() {
            return Ok(Some(first));
        }
        self.next_json(false)
    }

    fn next_json(&mut self, set_headers: bool) -> Result<Option<Vec<String>>, Error> {
        let Some((reader, buf)) = &mut self.jsonl else {
            return Ok(None);
        };
        loop {
            self.line += 1;
            if !data::read_line_bounded(reader, buf, &self.path, self.line)? {
                break;
            }
            let err = |message: String| Error::Json {
                path: self.path.clone(),
                line: self.line,
                message,
                record: Vec::new(),
            };
            let bytes = buf.strip_suffix(b"\r").unwrap_or(buf);
            let line = std::str::from_utf8(bytes)
                .map_err(|_| err("stream did not contain valid UTF-8".into()))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| err(format!("invalid JSON: {e}")))?;
            let obj = v
                .as_object()
                .ok_or_else(|| err("expected a JSON object per line".into()))?;
            // An error record: `error` and what identifies the record, but no sentence (a
            // scored row may have a kept field called `error`, but it has `text`).
            if let (Some(e), false) = (obj.get("error"), obj.contains_key("text")) {
                return Err(err(format!(
                    "this is an error record of `score --on-error record` ({e}), not a scored \
                     sentence; leave error records out of the report, e.g. with \
                     `grep -v '^{{\"error\"'`"
                )));
            }
            if set_headers {
                self.headers = obj.keys().cloned().collect();
            }
            return Ok(Some(
                self.headers
                    .iter()
                    .map(|h| match obj.get(h) {
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(serde_json::Value::Null) | None => String::new(),
                        Some(other) => other.to_string(),
                    })
                    .collect(),
            ));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{CsvSink, JsonlSink, ModelColumns, Sink};

    fn rows() -> (ScoreColumns, Vec<ScoredSentence>) {
        let columns = ScoreColumns::new(vec![ModelColumns {
            name: "m".into(),
            classes: vec!["a".into(), "b".into()],
        }])
        .with_keep(vec!["gold".into()]);
        let rows = (0..3)
            .map(|i| ScoredSentence {
                source: "wire".into(),
                doc: format!("d{i}"),
                index: i,
                text: format!("Sentence, \"{i}\"\nend"),
                keep: vec![format!("g{i}")],
                predictions: vec![Prediction {
                    label: "b".into(),
                    probabilities: vec![0.25, 0.75],
                }],
            })
            .collect();
        (columns, rows)
    }

    #[test]
    fn rows_written_as_csv_or_jsonl_read_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let (columns, rows) = rows();
        for name in ["s.csv", "s.jsonl"] {
            let path = dir.path().join(name);
            let f = std::fs::File::create(&path).unwrap();
            let mut sink: Box<dyn Sink> = if name.ends_with("csv") {
                Box::new(CsvSink::new(f, &columns.clone().with_id(true)))
            } else {
                Box::new(JsonlSink::new(f, &columns.clone().with_id(true)))
            };
            for r in &rows {
                sink.write(r).unwrap();
            }
            sink.finish().unwrap();
            drop(sink);
            let reader = ScoresReader::open(&path, &CsvOptions::default()).unwrap();
            // The id column comes back as a kept column, with its values.
            let mut keep = vec!["id".to_string()];
            keep.extend(columns.keep.iter().cloned());
            assert_eq!(reader.columns(), &columns.clone().with_keep(keep), "{name}");
            let back: Vec<ScoredSentence> = reader.collect::<Result<_, _>>().unwrap();
            let want: Vec<ScoredSentence> = rows
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    r.keep.insert(0, r.id());
                    r
                })
                .collect();
            assert_eq!(back, want, "{name}");
        }
    }

    #[test]
    fn bad_cells_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(
            &path,
            "source,index,m_label,m_p_a,m_p_b\nw,0,a,0.9,0.1\nw,x,a,0.9,0.1\n",
        )
        .unwrap();
        let mut r = ScoresReader::open(&path, &CsvOptions::default()).unwrap();
        assert_eq!(
            r.next().unwrap().unwrap().doc,
            "",
            "a missing column is empty"
        );
        let e = r.next().unwrap().unwrap_err();
        assert!(
            matches!(&e, Error::Csv { line: 3, message, .. } if message.contains("\"index\" should be a whole number, found \"x\"")),
            "{e}"
        );
        assert!(r.next().is_none());
        std::fs::write(&path, "source,index,m_label,m_p_a,m_p_b\nw,0,a,,0.1\n").unwrap();
        let e = ScoresReader::open(&path, &CsvOptions::default())
            .unwrap()
            .next()
            .unwrap()
            .unwrap_err();
        assert!(
            matches!(&e, Error::BadNumber { line: 2, column, .. } if column == "m_p_a"),
            "{e}"
        );
    }

    /// Issue 11, item 11: probabilities outside [0, 1], NaN, infinities, probabilities that
    /// do not add up to 1 and labels that are not a class are refused with file and line.
    #[test]
    fn r11_11_out_of_range_cells_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let header = "source,doc,index,m_label,m_p_a,m_p_b\n";
        let first = |rows: &str, ext: &str| {
            let path = dir.path().join(format!("s.{ext}"));
            std::fs::write(&path, rows).unwrap();
            let r: Result<Vec<_>, _> = ScoresReader::open(&path, &CsvOptions::default())
                .unwrap()
                .collect();
            r.map(|v| v.len()).map_err(|e| e.to_string())
        };
        let csv = |row: &str| first(&format!("{header}w,d,0,a,0.5,0.5\n{row}\n"), "csv");
        assert_eq!(csv("w,d,1,b,0.25,0.75"), Ok(2));
        assert_eq!(csv("w,d,1,b,0.333,0.667"), Ok(2));
        for (row, says) in [
            (
                "w,d,1,a,5,-4",
                "column \"m_p_a\" should be a probability, found \"5\"",
            ),
            ("w,d,1,a,-3,0.5", "found \"-3\""),
            ("w,d,1,a,NaN,0.5", "found \"NaN\""),
            ("w,d,1,a,inf,0.5", "found \"inf\""),
            ("w,d,1,a,0.5,0.2", "add up to 0.7"),
            (
                "w,d,1,c,0.5,0.5",
                "should be one of the model's classes (a, b), found \"c\"",
            ),
            ("w,d,1,,0.5,0.5", "found \"\""),
        ] {
            let e = csv(row).unwrap_err();
            assert!(
                e.contains("s.csv, line 3") && e.contains(says),
                "{row}: {e}"
            );
        }
        let json = |row: &str| {
            first(
                &format!(
                    "{{\"source\":\"w\",\"m_label\":\"a\",\"m_p_a\":0.5,\"m_p_b\":0.5}}\n{row}\n"
                ),
                "jsonl",
            )
        };
        let e = json(r#"{"source":"w","m_label":"x","m_p_a":0.5,"m_p_b":0.5}"#).unwrap_err();
        assert!(
            e.contains("s.jsonl, line 2") && e.contains("found \"x\""),
            "{e}"
        );
        let e = json(r#"{"source":"w","m_label":"a","m_p_a":1e300,"m_p_b":0.5}"#).unwrap_err();
        assert!(e.contains("s.jsonl, line 2") && e.contains("1e+300"), "{e}");
    }

    /// Issue 14: an error record of `score --on-error record` is not read as an empty row.
    #[test]
    fn error_records_are_refused_with_a_way_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.jsonl");
        let row = r#"{"source":"w","m_label":"a","m_p_a":0.5,"m_p_b":0.5}"#;
        let error = r#"{"error":"-, line 3: invalid JSON"}"#;
        let with_ids = r#"{"error":"-, line 4: no field \"text\"","source":"w","doc":"d7"}"#;
        for rows in [
            format!("{row}\n{error}\n"),
            format!("{error}\n{row}\n"),
            format!("{row}\n{with_ids}\n"),
        ] {
            std::fs::write(&path, rows).unwrap();
            let e = ScoresReader::open(&path, &CsvOptions::default())
                .and_then(|r| r.collect::<Result<Vec<_>, _>>())
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("s.jsonl, line") && e.contains("error record") && e.contains("grep -v"),
                "{e}"
            );
        }
        // A scored row may keep an input field called `error`: it is a row, not an error record.
        let kept =
            r#"{"source":"w","text":"t","error":"none","m_label":"a","m_p_a":0.5,"m_p_b":0.5}"#;
        std::fs::write(&path, format!("{kept}\n")).unwrap();
        let rows = ScoresReader::open(&path, &CsvOptions::default())
            .and_then(|r| r.collect::<Result<Vec<_>, _>>())
            .unwrap();
        assert_eq!(rows.len(), 1);
    }
}
