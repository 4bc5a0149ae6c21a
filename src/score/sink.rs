//! Writing scored sentences out: CSV ([`CsvSink`]) or JSON Lines ([`JsonlSink`]), with the
//! columns of a [`ScoreColumns`].

use std::fmt::Write as _;
use std::io::Write;

use super::columns::{Column, ScoreColumns};
use super::scorer::ScoredSentence;
use crate::Error;

/// Where scored sentences go.
pub trait Sink {
    /// Writes one row.
    fn write(&mut self, row: &ScoredSentence) -> Result<(), Error>;
    /// Writes what is left (a CSV header when no row was written) and flushes.
    fn finish(&mut self) -> Result<(), Error>;
}

fn write_err(source: std::io::Error) -> Error {
    Error::Write { source }
}

/// A CSV writer's error, with the I/O error inside kept as it is (so that a closed pipe is
/// still recognised as one).
fn csv_err(e: csv::Error) -> Error {
    let source = if e.is_io_error() {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            other => std::io::Error::other(format!("{other:?}")),
        }
    } else {
        std::io::Error::other(e)
    };
    write_err(source)
}

/// The text of one cell of `row` (empty for a kept column or a model the row lacks).
fn cell(row: &ScoredSentence, column: Column, out: &mut String) {
    out.clear();
    match column {
        Column::Id => {
            let _ = write!(out, "{}_{}_{:03}", row.source, row.doc, row.index);
        }
        Column::Source => out.push_str(&row.source),
        Column::Doc => out.push_str(&row.doc),
        Column::Index => {
            let _ = write!(out, "{}", row.index);
        }
        Column::Text => out.push_str(&row.text),
        Column::Keep(k) => out.push_str(row.keep.get(k).map_or("", String::as_str)),
        Column::Label(m) => out.push_str(row.predictions.get(m).map_or("", |p| p.label.as_str())),
        Column::Probability(m, c) => {
            if let Some(p) = row.predictions.get(m).and_then(|p| p.probabilities.get(c)) {
                push_six_decimals(*p, out);
            }
        }
    }
}

/// Appends `p` as `format!("{p:.6}")` does. A probability (0 to 1) is rounded here with exact
/// integer arithmetic (the value times 10^6, ties to even, as the standard library's exact
/// mode); anything else goes through the formatter, which costs about twenty times more.
fn push_six_decimals(p: f64, out: &mut String) {
    if !(0.0..=1.0).contains(&p) || p.is_sign_negative() {
        let _ = write!(out, "{p:.6}");
        return;
    }
    // p = m · 2^-shift exactly, with m < 2^53.
    let bits = p.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, shift) = if exp == 0 {
        (frac, 1074)
    } else {
        (frac | (1u64 << 52), 1075 - exp)
    };
    const SCALE: u128 = 1_000_000;
    // p ≤ 1, so shift ≥ 52; m · 10^6 < 2^73, and past a shift of 100 the value is below 2^-27.
    let q = if shift > 100 {
        0
    } else {
        let n = u128::from(m) * SCALE;
        let q = n >> shift;
        let r = n & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        if r > half || (r == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    let (int, dec) = (q / SCALE, q % SCALE);
    out.push(if int == 1 { '1' } else { '0' });
    out.push('.');
    let mut digits = [b'0'; 6];
    let mut d = dec;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (d % 10) as u8;
        d /= 10;
    }
    out.extend(digits.iter().map(|&b| char::from(b)));
}

/// Writes rows as CSV: a header row, then one row per sentence; probabilities with six
/// decimals.
///
/// ```
/// use framelens::score::{CsvSink, ModelColumns, Prediction, ScoreColumns, ScoredSentence, Sink};
/// let columns = ScoreColumns::new(vec![ModelColumns { name: "m".into(), classes: vec!["a".into(), "b".into()] }]);
/// let mut sink = CsvSink::new(Vec::new(), &columns);
/// sink.write(&ScoredSentence {
///     source: "wire".into(), doc: "1".into(), index: 0, text: "Hi, there.".into(), keep: vec![],
///     predictions: vec![Prediction { label: "b".into(), probabilities: vec![0.25, 0.75] }],
/// })?;
/// let bytes = sink.into_inner()?;
/// assert_eq!(String::from_utf8(bytes)?, "source,doc,index,text,m_label,m_p_a,m_p_b\nwire,1,0,\"Hi, there.\",b,0.250000,0.750000\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CsvSink<W: Write> {
    w: csv::Writer<W>,
    header: Option<Vec<String>>,
    layout: Vec<Column>,
    cell: String,
}

fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(w)
}

impl<W: Write> CsvSink<W> {
    /// A sink writing `columns` to `w`; the header is written with the first row (or by
    /// [`Sink::finish`]).
    pub fn new(w: W, columns: &ScoreColumns) -> CsvSink<W> {
        CsvSink {
            w: csv_writer(w),
            header: Some(columns.header()),
            layout: columns.layout(),
            cell: String::new(),
        }
    }

    /// Do not write the header (to append rows to a table that has one).
    pub fn without_header(mut self) -> CsvSink<W> {
        self.header = None;
        self
    }

    fn write_header(&mut self) -> Result<(), Error> {
        if let Some(h) = self.header.take() {
            self.w.write_record(&h).map_err(csv_err)?;
        }
        Ok(())
    }

    /// Finishes and returns the writer.
    pub fn into_inner(mut self) -> Result<W, Error> {
        self.finish()?;
        self.w.into_inner().map_err(|e| write_err(e.into_error()))
    }
}

impl CsvSink<Vec<u8>> {
    /// The bytes written so far, leaving the sink empty.
    pub(crate) fn take(&mut self) -> Result<Vec<u8>, Error> {
        self.w.flush().map_err(write_err)?;
        let full = std::mem::replace(&mut self.w, csv_writer(Vec::new()));
        full.into_inner().map_err(|e| write_err(e.into_error()))
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn write(&mut self, row: &ScoredSentence) -> Result<(), Error> {
        self.write_header()?;
        for &c in &self.layout {
            cell(row, c, &mut self.cell);
            self.w.write_field(&self.cell).map_err(csv_err)?;
        }
        self.w.write_record(None::<&[u8]>).map_err(csv_err)
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.write_header()?;
        self.w.flush().map_err(write_err)
    }
}

/// Writes rows as JSON Lines: one object per sentence with the CSV columns as keys, in the
/// same order; `index` and the probabilities are numbers (the probabilities rounded to six
/// decimals, as in CSV), everything else is a string.
#[derive(Debug)]
pub struct JsonlSink<W: Write> {
    w: W,
    /// `"name":` of each column, encoded.
    keys: Vec<Vec<u8>>,
    layout: Vec<Column>,
    line: Vec<u8>,
    cell: String,
}

impl<W: Write> JsonlSink<W> {
    /// A sink writing `columns` to `w`, one line per row.
    pub fn new(w: W, columns: &ScoreColumns) -> JsonlSink<W> {
        let layout = columns.layout();
        let keys = layout
            .iter()
            .map(|&c| {
                let mut k = serde_json::to_vec(columns.name(c).as_ref())
                    .expect("a string always serializes"); // ok: serializing a &str cannot fail
                k.push(b':');
                k
            })
            .collect();
        JsonlSink {
            w,
            keys,
            layout,
            line: Vec::new(),
            cell: String::new(),
        }
    }

    /// Finishes and returns the writer.
    pub fn into_inner(mut self) -> Result<W, Error> {
        self.finish()?;
        Ok(self.w)
    }
}

impl JsonlSink<Vec<u8>> {
    /// The bytes written so far, leaving the sink empty.
    pub(crate) fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.w)
    }
}

impl<W: Write> Sink for JsonlSink<W> {
    fn write(&mut self, row: &ScoredSentence) -> Result<(), Error> {
        let line = &mut self.line;
        line.clear();
        line.push(b'{');
        for (i, (&c, key)) in self.layout.iter().zip(&self.keys).enumerate() {
            if i > 0 {
                line.push(b',');
            }
            line.extend_from_slice(key);
            cell(row, c, &mut self.cell);
            let r = match c {
                Column::Index => serde_json::to_writer(&mut *line, &row.index),
                // The six-decimal value of the CSV cell, as a JSON number.
                Column::Probability(..) => match self.cell.parse::<f64>() {
                    Ok(x) if x.is_finite() => serde_json::to_writer(&mut *line, &x),
                    _ => serde_json::to_writer(&mut *line, self.cell.as_str()),
                },
                _ => serde_json::to_writer(&mut *line, self.cell.as_str()),
            };
            r.map_err(|e| write_err(e.into()))?;
        }
        line.extend_from_slice(b"}\n");
        self.w.write_all(line).map_err(write_err)
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.w.flush().map_err(write_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{ModelColumns, Prediction};

    #[test]
    fn six_decimals_equal_the_formatter() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(6);
        let mut values: Vec<f64> = vec![
            0.0,
            -0.0,
            1.0,
            0.5,
            0.0078125, // 2^-7: an exact tie at six decimals
            0.0234375,
            0.9999995,
            0.0000005,
            1e-300,
            f64::MIN_POSITIVE / 4.0,
            1.5,
            -0.25,
            f64::NAN,
            f64::INFINITY,
        ];
        // Exact ties k/2^7 and k/2^6, the neighbours of every rounding boundary near them,
        // random probabilities and random bit patterns in [0, 1].
        for k in 0..=128 {
            let t = f64::from(k) / 128.0;
            values.extend([t, f64::from_bits(t.to_bits() + 1)]);
            if k > 0 {
                values.push(f64::from_bits(t.to_bits() - 1));
            }
        }
        for _ in 0..200_000 {
            values.push(rng.gen::<f64>());
            let b = rng.gen_range(0..=1.0f64.to_bits());
            values.push(f64::from_bits(b));
            // Near a six-decimal boundary.
            let k = rng.gen_range(0..1_000_000u32);
            let x = (f64::from(k) + 0.5) / 1e6;
            values.extend([
                x,
                f64::from_bits(x.to_bits() + 1),
                f64::from_bits(x.to_bits() - 1),
            ]);
        }
        let mut out = String::new();
        for p in values {
            out.clear();
            push_six_decimals(p, &mut out);
            assert_eq!(out, format!("{p:.6}"), "{p:e} ({:#x})", p.to_bits());
        }
    }

    fn columns() -> ScoreColumns {
        ScoreColumns::new(vec![ModelColumns {
            name: "m".into(),
            classes: vec!["a".into(), "b".into()],
        }])
        .with_keep(vec!["gold".into()])
    }

    fn row(index: usize, text: &str, p: f64) -> ScoredSentence {
        ScoredSentence {
            source: "wire".into(),
            doc: "d\"1".into(),
            index,
            text: text.into(),
            keep: vec!["a".into()],
            predictions: vec![Prediction {
                label: if p >= 0.5 { "a" } else { "b" }.into(),
                probabilities: vec![p, 1.0 - p],
            }],
        }
    }

    #[test]
    fn csv_quotes_and_rounds() {
        let mut s = CsvSink::new(Vec::new(), &columns().with_id(true));
        s.write(&row(3, "Say \"no\",\nthen", 1.0 / 3.0)).unwrap();
        s.write(&row(4, "x", 1.0)).unwrap();
        let got = String::from_utf8(s.into_inner().unwrap()).unwrap();
        assert_eq!(
            got,
            "id,source,doc,index,text,gold,m_label,m_p_a,m_p_b\n\
             \"wire_d\"\"1_003\",wire,\"d\"\"1\",3,\"Say \"\"no\"\",\nthen\",a,b,0.333333,0.666667\n\
             \"wire_d\"\"1_004\",wire,\"d\"\"1\",4,x,a,a,1.000000,0.000000\n"
        );
        // No rows: the header alone. Without header: the rows alone.
        let mut s = CsvSink::new(Vec::new(), &columns());
        s.finish().unwrap();
        assert_eq!(
            s.into_inner().unwrap(),
            b"source,doc,index,text,gold,m_label,m_p_a,m_p_b\n"
        );
        let mut s = CsvSink::new(Vec::new(), &columns()).without_header();
        s.write(&row(0, "x", 0.5)).unwrap();
        assert_eq!(
            s.take().unwrap(),
            b"wire,\"d\"\"1\",0,x,a,a,0.500000,0.500000\n"
        );
        assert_eq!(s.take().unwrap(), b"");
    }

    /// A reader that has gone away.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_stays_a_closed_pipe() {
        let mut csv = CsvSink::new(ClosedPipe, &columns());
        let e = csv
            .write(&row(0, "x", 0.5))
            .and_then(|()| csv.finish())
            .unwrap_err();
        assert!(e.is_broken_pipe(), "{e:?}");
        // When the buffer fills up while rows are written.
        let mut csv = CsvSink::new(ClosedPipe, &columns());
        let long = row(0, &"x".repeat(1000), 0.5);
        let e = (0..1000).find_map(|_| csv.write(&long).err()).unwrap();
        assert!(e.is_broken_pipe(), "{e:?}");
        let mut jsonl = JsonlSink::new(ClosedPipe, &columns());
        assert!(jsonl.write(&row(0, "x", 0.5)).unwrap_err().is_broken_pipe());
    }

    #[test]
    fn jsonl_has_numbers_for_index_and_probabilities() {
        let mut s = JsonlSink::new(Vec::new(), &columns().with_id(true));
        s.write(&row(3, "Say \"no\"\n", 1.0 / 3.0)).unwrap();
        s.write(&row(4, "x", 1.0)).unwrap();
        let got = String::from_utf8(s.into_inner().unwrap()).unwrap();
        assert_eq!(
            got,
            concat!(
                r#"{"id":"wire_d\"1_003","source":"wire","doc":"d\"1","index":3,"text":"Say \"no\"\n","gold":"a","m_label":"b","m_p_a":0.333333,"m_p_b":0.666667}"#,
                "\n",
                r#"{"id":"wire_d\"1_004","source":"wire","doc":"d\"1","index":4,"text":"x","gold":"a","m_label":"a","m_p_a":1.0,"m_p_b":0.0}"#,
                "\n"
            )
        );
    }
}
