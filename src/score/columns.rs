//! The columns of a scores table: the one place that names them, for writers and readers.
//!
//! A scores table (CSV header or JSON Lines keys) is, in this order:
//!
//! 1. `id` (optional: `<source>_<doc>_<index>` with the index padded to three digits, for
//!    labelling sheets);
//! 2. `source`, `doc`, `index`, `text`;
//! 3. the kept input columns, in the order asked for;
//! 4. for each model, `<model>_label` (the most probable class), then `<model>_p_<class>` for
//!    each class in the model's order.
//!
//! [`ScoreColumns::header`] writes these names; [`ScoreColumns::parse`] reads a header back
//! into the same description, knowing where each column is. `id` is derived from the row, so
//! a reader treats an `id` column as a kept column and keeps its values as they are.

use std::borrow::Cow;

/// Suffix of a model's label column: `<model>_label`.
const LABEL_SUFFIX: &str = "_label";
/// Infix of a model's probability columns: `<model>_p_<class>`.
const PROBABILITY_INFIX: &str = "_p_";

/// The fixed columns, after the optional `id`.
pub const FIXED_COLUMNS: [&str; 4] = ["source", "doc", "index", "text"];

/// One model's columns: its name and its classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelColumns {
    /// The model's name, the prefix of its columns.
    pub name: String,
    /// Its classes, in the order of the probability columns.
    pub classes: Vec<String>,
}

impl ModelColumns {
    /// `<name>_label`.
    pub fn label_column(&self) -> String {
        format!("{}{LABEL_SUFFIX}", self.name)
    }

    /// `<name>_p_<class>`.
    pub fn probability_column(&self, class: &str) -> String {
        format!("{}{PROBABILITY_INFIX}{class}", self.name)
    }
}

/// What one column of a scores table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `id`: `<source>_<doc>_<index:03>`.
    Id,
    /// `source`.
    Source,
    /// `doc`.
    Doc,
    /// `index`: the sentence's position in its document, from 0.
    Index,
    /// `text`.
    Text,
    /// The kept input column with this position in [`ScoreColumns::keep`].
    Keep(usize),
    /// The label column of the model with this position in [`ScoreColumns::models`].
    Label(usize),
    /// The probability column of (model, class), positions as in [`ScoreColumns::models`].
    Probability(usize, usize),
}

/// The columns of a scores table, in this order:
///
/// 1. `id` (optional: `<source>_<doc>_<index>` with the index padded to three digits, for
///    labelling sheets);
/// 2. `source`, `doc`, `index`, `text`;
/// 3. the kept input columns, in the order asked for;
/// 4. for each model, `<model>_label` (the most probable class), then `<model>_p_<class>`
///    for each class in the model's order.
///
/// [`header`](Self::header) writes these names; [`parse`](Self::parse) reads a header back.
/// `id` is derived from the row, so a reader treats an `id` column as a kept column.
///
/// ```
/// use framelens::score::{Column, ModelColumns, ScoreColumns};
/// let columns = ScoreColumns::new(vec![ModelColumns { name: "stance".into(), classes: vec!["anti".into(), "pro".into()] }])
///     .with_keep(vec!["url".into()]);
/// let header = columns.header();
/// assert_eq!(header, ["source", "doc", "index", "text", "url", "stance_label", "stance_p_anti", "stance_p_pro"]);
/// let parsed = ScoreColumns::parse(&header);
/// assert_eq!(parsed.columns, columns);
/// assert_eq!(parsed.layout[7], Some(Column::Probability(0, 1)));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreColumns {
    /// Start with an `id` column.
    pub id: bool,
    /// Input columns passed through, after `text`.
    pub keep: Vec<String>,
    /// One block of columns per model.
    pub models: Vec<ModelColumns>,
}

/// A header read back by [`ScoreColumns::parse`]: the columns it describes, and what each
/// position of the header holds (`None` for a column that is none of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedHeader {
    /// The columns found. Every column that is neither fixed nor a model's is a kept column,
    /// `id` included.
    pub columns: ScoreColumns,
    /// For each position of the header, the column it holds.
    pub layout: Vec<Option<Column>>,
}

impl ParsedHeader {
    /// Position in the header of `column`.
    pub fn position(&self, column: Column) -> Option<usize> {
        self.layout.iter().position(|c| *c == Some(column))
    }
}

impl ScoreColumns {
    /// The columns of these models, without `id` and kept columns.
    pub fn new(models: Vec<ModelColumns>) -> ScoreColumns {
        ScoreColumns {
            id: false,
            keep: Vec::new(),
            models,
        }
    }

    /// The same columns with (or without) the leading `id` column.
    pub fn with_id(mut self, yes: bool) -> ScoreColumns {
        self.id = yes;
        self
    }

    /// The same columns with these kept input columns.
    pub fn with_keep(mut self, keep: Vec<String>) -> ScoreColumns {
        self.keep = keep;
        self
    }

    /// The columns in order.
    pub fn layout(&self) -> Vec<Column> {
        let mut out = Vec::with_capacity(self.len());
        if self.id {
            out.push(Column::Id);
        }
        out.extend([Column::Source, Column::Doc, Column::Index, Column::Text]);
        out.extend((0..self.keep.len()).map(Column::Keep));
        for (m, model) in self.models.iter().enumerate() {
            out.push(Column::Label(m));
            out.extend((0..model.classes.len()).map(|c| Column::Probability(m, c)));
        }
        out
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        usize::from(self.id)
            + FIXED_COLUMNS.len()
            + self.keep.len()
            + self
                .models
                .iter()
                .map(|m| 1 + m.classes.len())
                .sum::<usize>()
    }

    /// Always false: the fixed columns are always there.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The name of a column. Panics on a position outside these columns.
    pub fn name(&self, column: Column) -> Cow<'_, str> {
        match column {
            Column::Id => Cow::Borrowed("id"),
            Column::Source => Cow::Borrowed(FIXED_COLUMNS[0]),
            Column::Doc => Cow::Borrowed(FIXED_COLUMNS[1]),
            Column::Index => Cow::Borrowed(FIXED_COLUMNS[2]),
            Column::Text => Cow::Borrowed(FIXED_COLUMNS[3]),
            Column::Keep(k) => Cow::Borrowed(&self.keep[k]),
            Column::Label(m) => Cow::Owned(self.models[m].label_column()),
            Column::Probability(m, c) => {
                let model = &self.models[m];
                Cow::Owned(model.probability_column(&model.classes[c]))
            }
        }
    }

    /// The header: the names of [`layout`](Self::layout), in order.
    pub fn header(&self) -> Vec<String> {
        self.layout()
            .into_iter()
            .map(|c| self.name(c).into_owned())
            .collect()
    }

    /// The column called `name`, if there is one.
    pub fn find(&self, name: &str) -> Option<Column> {
        self.layout().into_iter().find(|&c| self.name(c) == name)
    }

    /// The first column name that occurs twice in the header, if any (a kept column named
    /// like a fixed or model column, or a column kept twice).
    pub fn duplicate(&self) -> Option<String> {
        let header = self.header();
        let mut seen = std::collections::BTreeSet::new();
        header.into_iter().find(|h| !seen.insert(h.clone()))
    }

    /// Reads a header: `source`, `doc`, `index`, `text` by name; a model for each
    /// `<name>_label` column with at least one `<name>_p_<class>` column anywhere in the
    /// header (its classes in header order); every other column, `id` included, is kept.
    /// The order of the columns does not matter.
    pub fn parse(header: &[String]) -> ParsedHeader {
        let mut layout: Vec<Option<Column>> = vec![None; header.len()];
        let mut models = Vec::new();
        for (i, h) in header.iter().enumerate() {
            let Some(name) = h.strip_suffix(LABEL_SUFFIX) else {
                continue;
            };
            let prefix = format!("{name}{PROBABILITY_INFIX}");
            let probs: Vec<(usize, &str)> = header
                .iter()
                .enumerate()
                .filter_map(|(j, c)| c.strip_prefix(prefix.as_str()).map(|cls| (j, cls)))
                .collect();
            if probs.is_empty() {
                continue;
            }
            let m = models.len();
            layout[i] = Some(Column::Label(m));
            for (c, (j, _)) in probs.iter().enumerate() {
                layout[*j].get_or_insert(Column::Probability(m, c));
            }
            models.push(ModelColumns {
                name: name.to_string(),
                classes: probs.iter().map(|(_, cls)| cls.to_string()).collect(),
            });
        }
        let mut keep = Vec::new();
        for (i, h) in header.iter().enumerate() {
            if layout[i].is_some() {
                continue;
            }
            let fixed = match h.as_str() {
                "source" => Some(Column::Source),
                "doc" => Some(Column::Doc),
                "index" => Some(Column::Index),
                "text" => Some(Column::Text),
                _ => None,
            };
            // A fixed name seen twice: the second is kept as it is.
            let fixed = fixed.filter(|f| !layout.contains(&Some(*f)));
            layout[i] = Some(fixed.unwrap_or_else(|| {
                keep.push(h.clone());
                Column::Keep(keep.len() - 1)
            }));
        }
        ParsedHeader {
            columns: ScoreColumns {
                id: false,
                keep,
                models,
            },
            layout,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_models() -> ScoreColumns {
        ScoreColumns::new(vec![
            ModelColumns {
                name: "stance".into(),
                classes: vec!["anti".into(), "neutral".into(), "pro".into()],
            },
            ModelColumns {
                name: "frame".into(),
                classes: vec!["military".into(), "talks".into()],
            },
        ])
    }

    #[test]
    fn header_is_fixed_columns_then_kept_then_models() {
        let c = two_models()
            .with_keep(vec!["gold".into(), "url".into()])
            .with_id(true);
        assert_eq!(
            c.header(),
            [
                "id",
                "source",
                "doc",
                "index",
                "text",
                "gold",
                "url",
                "stance_label",
                "stance_p_anti",
                "stance_p_neutral",
                "stance_p_pro",
                "frame_label",
                "frame_p_military",
                "frame_p_talks"
            ]
        );
        assert_eq!(c.len(), c.header().len());
        assert_eq!(c.find("frame_p_talks"), Some(Column::Probability(1, 1)));
        assert_eq!(c.find("url"), Some(Column::Keep(1)));
        assert_eq!(c.find("nope"), None);
    }

    #[test]
    fn header_round_trips_through_parse() {
        for c in [
            two_models(),
            two_models().with_keep(vec!["gold".into(), "id".into()]),
            ScoreColumns::default(),
        ] {
            let header = c.header();
            let parsed = ScoreColumns::parse(&header);
            assert_eq!(parsed.columns, c, "{header:?}");
            let layout: Vec<Column> = parsed.layout.iter().map(|x| x.unwrap()).collect();
            assert_eq!(layout, c.layout(), "{header:?}");
            assert_eq!(parsed.columns.header(), header);
        }
        // `id` is read back as a kept column, its values as they are.
        let c = two_models().with_id(true).with_keep(vec!["gold".into()]);
        let parsed = ScoreColumns::parse(&c.header());
        assert_eq!(
            parsed.columns,
            two_models().with_keep(vec!["id".into(), "gold".into()])
        );
        assert_eq!(parsed.layout[0], Some(Column::Keep(0)));
    }

    #[test]
    fn parse_reads_any_order_and_keeps_unknown_columns() {
        let header: Vec<String> = [
            "m_p_b",
            "outlet",
            "m_label",
            "text",
            "id",
            "m_p_a",
            "lonely_label",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let p = ScoreColumns::parse(&header);
        assert_eq!(
            p.columns.models,
            [ModelColumns {
                name: "m".into(),
                classes: vec!["b".into(), "a".into()],
            }]
        );
        // `id`, and a label column without probabilities, are kept.
        assert_eq!(p.columns.keep, ["outlet", "id", "lonely_label"]);
        assert_eq!(p.position(Column::Text), Some(3));
        assert_eq!(p.position(Column::Source), None);
        assert_eq!(p.position(Column::Probability(0, 1)), Some(5));
    }

    #[test]
    fn duplicates_are_found() {
        assert_eq!(two_models().duplicate(), None);
        let c = two_models().with_keep(vec!["text".into()]);
        assert_eq!(c.duplicate().as_deref(), Some("text"));
        let c = two_models().with_keep(vec!["a".into(), "a".into()]);
        assert_eq!(c.duplicate().as_deref(), Some("a"));
        let c = two_models().with_keep(vec!["frame_label".into()]);
        assert_eq!(c.duplicate().as_deref(), Some("frame_label"));
    }
}
