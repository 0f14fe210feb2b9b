//! Respondent-level data read from CSV against a codebook, stored by question.
//!
//! The file has a header row with `id`, one column per question that is not recoded and
//! an optional `weight`. A single-response cell holds one code, a multiple-response cell
//! codes separated by `;`; an empty cell is "not asked or no answer". A row with any
//! error is rejected whole (with every diagnostic it has) and the good rows are kept.

use std::collections::BTreeSet;

use crate::codebook::{Codebook, Kind, Question};
use crate::diagnostic::Diagnostics;

/// The answers to one question, one entry per respondent.
#[derive(Debug, Clone, PartialEq)]
pub enum Answers {
    /// Index of the code in the question's `codes`, or `None`.
    Single(Vec<Option<u16>>),
    /// Bit set of code indices, or `None` when not asked or not answered.
    Multiple(Vec<Option<u64>>),
}

impl Answers {
    /// Whether respondent `row` has code index `code_idx`.
    #[must_use]
    pub fn has(&self, row: usize, code_idx: usize) -> bool {
        match self {
            Answers::Single(values) => values[row] == u16::try_from(code_idx).ok(),
            Answers::Multiple(values) => values[row].is_some_and(|bits| bits >> code_idx & 1 == 1),
        }
    }

    /// Whether respondent `row` answered at all.
    #[must_use]
    pub fn answered(&self, row: usize) -> bool {
        match self {
            Answers::Single(values) => values[row].is_some(),
            Answers::Multiple(values) => values[row].is_some(),
        }
    }
}

/// The accepted respondents.
#[derive(Debug, Clone, PartialEq)]
pub struct Respondents {
    ids: Vec<String>,
    lines: Vec<u64>,
    answers: Vec<Answers>,
    weights: Option<Vec<f64>>,
}

/// What a read produced: the good rows and every diagnostic.
#[derive(Debug, Clone)]
pub struct Read {
    /// The accepted respondents.
    pub respondents: Respondents,
    /// Errors (each rejected a row, or the file) and warnings.
    pub diagnostics: Diagnostics,
    /// How many data rows were rejected.
    pub rejected: usize,
}

impl Respondents {
    /// Builds respondents from answers already validated by the caller (the synthetic
    /// generator); recoded questions are derived here.
    ///
    /// # Panics
    /// If `answers` does not have one column per question, each as long as `ids`.
    #[must_use]
    pub fn from_answers(
        codebook: &Codebook,
        ids: Vec<String>,
        mut answers: Vec<Answers>,
    ) -> Respondents {
        assert_eq!(answers.len(), codebook.questions().len(), "one answer column per question");
        derive_recodes(codebook, &mut answers);
        let lines = (2..).take(ids.len()).collect();
        Respondents { ids, lines, answers, weights: None }
    }

    /// Reads a respondent CSV; `source` names it in diagnostics.
    ///
    /// # Errors
    /// File-level problems (a missing header column): nothing is read.
    pub fn from_csv(codebook: &Codebook, source: &str, text: &str) -> Result<Read, Diagnostics> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let mut diagnostics = Diagnostics::default();
        let header: Vec<String> = match reader.headers() {
            Ok(header) => header.iter().map(|it| it.trim().to_owned()).collect(),
            Err(err) => {
                diagnostics.push(source, Some(1), "", "R-1", format!("unreadable header: {err}"));
                return Err(diagnostics);
            }
        };
        let layout = layout(codebook, source, &header, &mut diagnostics)?;
        let mut respondents = Respondents {
            ids: Vec::new(),
            lines: Vec::new(),
            answers: codebook
                .questions()
                .iter()
                .map(|it| match it.kind {
                    Kind::Single => Answers::Single(Vec::new()),
                    Kind::Multiple => Answers::Multiple(Vec::new()),
                })
                .collect(),
            weights: layout.weight.map(|_| Vec::new()),
        };
        let mut seen_ids = BTreeSet::new();
        let mut rejected = 0;
        for record in reader.records() {
            let record = match record {
                Ok(record) => record,
                Err(err) => {
                    let line = err.position().map(csv::Position::line);
                    diagnostics.push(source, line, "", "R-1", format!("unreadable row: {err}"));
                    rejected += 1;
                    continue;
                }
            };
            let line = record.position().map_or(0, csv::Position::line);
            let mut row = RowCheck { source, line, diagnostics: Diagnostics::default() };
            let parsed = parse_row(codebook, &layout, &record, header.len(), &mut row);
            if let Some(id) = record.get(layout.id)
                && !seen_ids.insert(id.trim().to_owned())
            {
                row.error("id", "R-6", format!("respondent {} appears twice", id.trim()));
            }
            let ok = !row.diagnostics.has_errors();
            diagnostics.0.extend(row.diagnostics.0);
            match parsed {
                Some(parsed) if ok => respondents.push(parsed, line),
                _ => rejected += 1,
            }
        }
        derive_recodes(codebook, &mut respondents.answers);
        Ok(Read { respondents, diagnostics, rejected })
    }

    /// The number of respondents.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The respondent ids.
    #[must_use]
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The line each respondent was read from.
    #[must_use]
    pub fn lines(&self) -> &[u64] {
        &self.lines
    }

    /// The answers to question `idx` of the codebook.
    #[must_use]
    pub fn answers(&self, idx: usize) -> &Answers {
        &self.answers[idx]
    }

    /// The weights read from the file's `weight` column, if it has one.
    #[must_use]
    pub fn weights(&self) -> Option<&[f64]> {
        self.weights.as_deref()
    }

    /// The respondents as a CSV file in the reader's format, with a `weight` column when
    /// `weights` are given.
    ///
    /// # Panics
    /// If `weights` does not have one weight per respondent.
    #[must_use]
    pub fn to_csv(&self, codebook: &Codebook, weights: Option<&[f64]>) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let stored: Vec<(usize, &Question)> =
            codebook.questions().iter().enumerate().filter(|(_, it)| it.recode.is_none()).collect();
        let mut header = vec!["id".to_owned()];
        header.extend(stored.iter().map(|(_, it)| it.key.clone()));
        if weights.is_some() {
            header.push("weight".to_owned());
        }
        writer.write_record(&header).expect("writing to memory");
        for row in 0..self.len() {
            let mut record = vec![self.ids[row].clone()];
            for (idx, question) in &stored {
                let codes: Vec<String> = (0..question.codes.len())
                    .filter(|code| self.answers[*idx].has(row, *code))
                    .map(|code| question.codes[code].code.to_string())
                    .collect();
                record.push(codes.join(";"));
            }
            if let Some(weights) = weights {
                record.push(format!("{}", weights[row]));
            }
            writer.write_record(&record).expect("writing to memory");
        }
        String::from_utf8(writer.into_inner().expect("writing to memory"))
            .expect("CSV of UTF-8 text")
    }

    fn push(&mut self, parsed: ParsedRow, line: u64) {
        self.ids.push(parsed.id);
        self.lines.push(line);
        for (column, value) in self.answers.iter_mut().zip(parsed.values) {
            match (column, value) {
                (Answers::Single(values), Value::Single(value)) => values.push(value),
                (Answers::Multiple(values), Value::Multiple(value)) => values.push(value),
                _ => unreachable!("values are parsed by the question's kind"),
            }
        }
        if let (Some(weights), Some(weight)) = (&mut self.weights, parsed.weight) {
            weights.push(weight);
        }
    }
}

struct Layout {
    id: usize,
    weight: Option<usize>,
    /// The column of each question, `None` for recoded ones.
    columns: Vec<Option<usize>>,
}

fn layout(
    codebook: &Codebook,
    source: &str,
    header: &[String],
    diagnostics: &mut Diagnostics,
) -> Result<Layout, Diagnostics> {
    let find = |name: &str| header.iter().position(|it| it == name);
    let id = find("id");
    if id.is_none() {
        diagnostics.push(source, Some(1), "id", "R-1", "the header has no id column".to_owned());
    }
    let mut columns = Vec::new();
    for question in codebook.questions() {
        let column = find(&question.key);
        if question.recode.is_some() {
            if column.is_some() {
                let message = format!(
                    "{} is derived by the codebook's recode; the file's column is ignored",
                    question.key
                );
                diagnostics.warn(source, Some(1), &question.key, "R-1", message);
            }
            columns.push(None);
        } else if column.is_none() {
            let message = format!("the header has no column for question {}", question.key);
            diagnostics.push(source, Some(1), &question.key, "R-1", message);
            columns.push(None);
        } else {
            columns.push(column);
        }
    }
    for name in header {
        if name != "id" && name != "weight" && codebook.question(name).is_none() {
            let message = format!("column {name} is not in the codebook and is ignored");
            diagnostics.warn(source, Some(1), name, "R-1", message);
        }
    }
    match id {
        Some(id) if !diagnostics.has_errors() => Ok(Layout { id, weight: find("weight"), columns }),
        _ => Err(std::mem::take(diagnostics)),
    }
}

enum Value {
    Single(Option<u16>),
    Multiple(Option<u64>),
}

struct ParsedRow {
    id: String,
    values: Vec<Value>,
    weight: Option<f64>,
}

struct RowCheck<'a> {
    source: &'a str,
    line: u64,
    diagnostics: Diagnostics,
}

impl RowCheck<'_> {
    fn error(&mut self, field: &str, rule: &'static str, message: String) {
        self.diagnostics.push(self.source, Some(self.line), field, rule, message);
    }
}

fn parse_row(
    codebook: &Codebook,
    layout: &Layout,
    record: &csv::StringRecord,
    width: usize,
    row: &mut RowCheck<'_>,
) -> Option<ParsedRow> {
    if record.len() != width {
        row.error("", "R-1", format!("the row has {} fields, the header {width}", record.len()));
        return None;
    }
    let id = record.get(layout.id).unwrap_or("").trim().to_owned();
    if id.is_empty() {
        row.error("id", "R-6", "the respondent id is empty".to_owned());
    }
    let mut values = Vec::new();
    for (question, column) in codebook.questions().iter().zip(&layout.columns) {
        let cell = column.and_then(|it| record.get(it)).unwrap_or("").trim();
        values.push(parse_cell(question, cell, row));
    }
    check_filters(codebook, &values, row);
    let weight = layout.weight.and_then(|idx| {
        let cell = record.get(idx).unwrap_or("").trim();
        match cell.parse::<f64>() {
            Ok(weight) if weight.is_finite() && weight > 0.0 => Some(weight),
            _ => {
                row.error("weight", "R-7", format!("weight {cell:?} is not a positive number"));
                None
            }
        }
    });
    Some(ParsedRow { id, values, weight })
}

fn parse_cell(question: &Question, cell: &str, row: &mut RowCheck<'_>) -> Value {
    let key = &question.key;
    let mut indices = Vec::new();
    if !cell.is_empty() {
        for part in cell.split(';') {
            let part = part.trim();
            match part.parse::<u32>().ok().and_then(|code| question.code_index(code)) {
                Some(idx) if indices.contains(&idx) => {
                    row.error(key, "R-4", format!("code {part} is given twice"))
                }
                Some(idx) => indices.push(idx),
                None => row.error(
                    key,
                    "R-2",
                    format!("{part:?} is not a code of {key} in the codebook"),
                ),
            }
        }
    }
    match question.kind {
        Kind::Single => {
            if indices.len() > 1 {
                row.error(
                    key,
                    "R-3",
                    format!("{cell:?} gives several codes to single-response question {key}"),
                );
            }
            Value::Single(indices.first().and_then(|it| u16::try_from(*it).ok()))
        }
        Kind::Multiple => {
            if indices.len() > 1 {
                for idx in &indices {
                    if question.codes[*idx].exclusive {
                        let code = question.codes[*idx].code;
                        row.error(
                            key,
                            "R-4",
                            format!("exclusive code {code} is combined with other codes"),
                        );
                    }
                }
            }
            let bits = indices.iter().fold(0_u64, |acc, idx| acc | 1 << idx);
            Value::Multiple((!indices.is_empty()).then_some(bits))
        }
    }
}

fn has_code(value: &Value, code_idx: usize) -> bool {
    match value {
        Value::Single(value) => value.is_some_and(|it| usize::from(it) == code_idx),
        Value::Multiple(value) => value.is_some_and(|bits| bits >> code_idx & 1 == 1),
    }
}

fn check_filters(codebook: &Codebook, values: &[Value], row: &mut RowCheck<'_>) {
    for (question, value) in codebook.questions().iter().zip(values) {
        let Some(filter) = &question.filter else { continue };
        let answered = !matches!(value, Value::Single(None) | Value::Multiple(None));
        let Some(filter_idx) = codebook.question_index(&filter.question) else { continue };
        let filter_question = &codebook.questions()[filter_idx];
        let open = filter
            .codes
            .iter()
            .filter_map(|code| filter_question.code_index(*code))
            .any(|idx| has_code(&values[filter_idx], idx));
        if answered && !open {
            let message = format!(
                "{} is answered although its filter ({} in {:?}) excludes the respondent",
                question.key, filter.question, filter.codes
            );
            row.error(&question.key, "R-5", message);
        }
    }
}

fn derive_recodes(codebook: &Codebook, answers: &mut [Answers]) {
    for (idx, question) in codebook.questions().iter().enumerate() {
        let Some(source_key) = &question.recode else { continue };
        let Some(source_idx) = codebook.question_index(source_key) else { continue };
        let source_question = &codebook.questions()[source_idx];
        let map: Vec<Option<u16>> = source_question
            .codes
            .iter()
            .map(|code| {
                question
                    .codes
                    .iter()
                    .position(|it| it.from.contains(&code.code))
                    .and_then(|it| u16::try_from(it).ok())
            })
            .collect();
        let derived = match &answers[source_idx] {
            Answers::Single(values) => {
                values.iter().map(|value| value.and_then(|it| map[usize::from(it)])).collect()
            }
            Answers::Multiple(_) => continue,
        };
        answers[idx] = Answers::Single(derived);
    }
}
