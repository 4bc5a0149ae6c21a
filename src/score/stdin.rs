//! Scoring that goes on past JSON Lines records that cannot be used (invalid JSON, no text
//! field, a field of the wrong type): each such record becomes one error record in the
//! JSON Lines output, `{"error": "<file>, line <n>: <what is wrong>", "source": ..., "doc": ...,
//! <kept fields>}` (those of the record's identifying fields that could be read), in input
//! order, instead of failing the whole run. Meant for a stage of a distributed job (a Spark partition piped
//! through the binary), where one bad record should not fail the job.

use std::io::Write;

use super::{
    score_documents, Document, Documents, OutputFormat, ScoreColumns, ScoreSummary, Scorer,
    BATCH_BYTES, BATCH_DOCS,
};
use crate::Error;

/// Scores `docs` like [`score_documents`] as JSON Lines, writing an error record for each
/// record that cannot be used. Memory stays bounded by one batch. Returns the summary of
/// the documents scored and the number of error records written.
pub(crate) fn score_recording_errors(
    scorer: &Scorer,
    columns: &ScoreColumns,
    mut docs: Documents,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<(ScoreSummary, usize), Error> {
    let mut summary = ScoreSummary::default();
    let mut errors = 0usize;
    let mut batch: Vec<Document> = Vec::new();
    let mut batch_bytes = 0usize;
    let mut flush = |batch: &mut Vec<Document>,
                     summary: &mut ScoreSummary,
                     out: &mut dyn Write|
     -> Result<(), Error> {
        if batch.is_empty() {
            return Ok(());
        }
        let done = summary.bytes;
        let s = score_documents(
            scorer,
            columns,
            batch.drain(..).map(Ok),
            OutputFormat::Jsonl,
            out,
            &mut |b| progress(done + b),
        )?;
        summary.documents += s.documents;
        summary.sentences += s.sentences;
        summary.bytes += s.bytes;
        Ok(())
    };
    while let Some(doc) = docs.next_past_bad_records() {
        match doc {
            Ok(doc) => {
                batch_bytes += doc.text.len();
                batch.push(doc);
                if batch_bytes >= BATCH_BYTES || batch.len() >= BATCH_DOCS {
                    batch_bytes = 0;
                    flush(&mut batch, &mut summary, out)?;
                }
            }
            Err(e @ Error::Json { .. }) => {
                // Rows stay in input order: the documents read so far go out first.
                batch_bytes = 0;
                flush(&mut batch, &mut summary, out)?;
                let mut record = serde_json::Map::new();
                record.insert("error".into(), e.to_string().into());
                if let Error::Json { record: ids, .. } = e {
                    for (name, value) in ids {
                        record.entry(name).or_insert(value.into());
                    }
                }
                let mut line =
                    serde_json::to_vec(&record).map_err(|e| Error::Write { source: e.into() })?;
                line.push(b'\n');
                out.write_all(&line)
                    .map_err(|source| Error::Write { source })?;
                errors += 1;
            }
            Err(e) => return Err(e),
        }
    }
    flush(&mut batch, &mut summary, out)?;
    out.flush().map_err(|source| Error::Write { source })?;
    Ok((summary, errors))
}
