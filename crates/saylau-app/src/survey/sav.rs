//! SPSS `.sav` interchange through the `ambers` crate (pure Rust; pinned): a study's
//! respondents written with variable and value labels and multiple-response sets, and a
//! `.sav` file read back into the respondent CSV format, so that the same codebook
//! checks and diagnostics apply to it.
//!
//! A single-response question is a numeric variable named by its key; a multiple-response
//! question is one 0/1 variable per code, `KEY_CODE`, grouped into a dichotomy set `$KEY`
//! counting 1; `id` is a string and `weight` a number.

use std::io::Cursor;
use std::sync::Arc;

use ambers::{Compression, MrSet, MrType, SpssMetadata, Value};
use arrow::array::{Array, ArrayRef, Float64Array, StringArray, StringViewArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use saylau_survey::codebook::{Codebook, Kind, Question};
use saylau_survey::respondents::{Answers, Read, Respondents};

use super::SurveyError;

fn sav_error(err: impl std::fmt::Display) -> SurveyError {
    SurveyError::Invalid(format!("SPSS file: {err}"))
}

/// Writes the respondents (and `weights`) as an SPSS `.sav` file, labels in `lang`.
///
/// # Errors
/// If ambers refuses the data.
pub fn to_sav(
    codebook: &Codebook,
    respondents: &Respondents,
    weights: Option<&[f64]>,
    lang: &str,
) -> Result<Vec<u8>, SurveyError> {
    let mut sav = Variables {
        fields: vec![Field::new("id", DataType::Utf8, false)],
        columns: vec![Arc::new(StringArray::from_iter_values(respondents.ids()))],
        metadata: SpssMetadata {
            file_label: codebook.study().title.get(lang).to_owned(),
            ..SpssMetadata::default()
        },
    };
    sav.metadata.variable_names.push("id".to_owned());
    for (idx, question) in codebook.questions().iter().enumerate() {
        let answers = respondents.answers(idx);
        match question.kind {
            Kind::Single => {
                let column: Float64Array = (0..respondents.len())
                    .map(|row| {
                        (0..question.codes.len())
                            .find(|code| answers.has(row, *code))
                            .map(|code| f64::from(question.codes[code].code))
                    })
                    .collect();
                sav.push(&question.key, question.text.get(lang), column);
                let labels = question
                    .codes
                    .iter()
                    .map(|code| {
                        (Value::Numeric(f64::from(code.code)), code.label.get(lang).to_owned())
                    })
                    .collect();
                sav.metadata.variable_value_labels.insert(question.key.clone(), labels);
            }
            Kind::Multiple => sav.push_multiple(question, answers, respondents.len(), lang),
        }
    }
    if let Some(weights) = weights {
        sav.push("weight", "weight", Float64Array::from(weights.to_vec()));
        sav.metadata.weight_variable = Some("weight".to_owned());
    }
    let batch =
        RecordBatch::try_new(Arc::new(Schema::new(sav.fields)), sav.columns).map_err(sav_error)?;
    let mut out = Cursor::new(Vec::new());
    ambers::write_sav_to_writer(&mut out, &batch, &sav.metadata, Compression::Bytecode, None)
        .map_err(sav_error)?;
    Ok(out.into_inner())
}

/// The variables of a file being written.
struct Variables {
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
    metadata: SpssMetadata,
}

impl Variables {
    /// One 0/1 variable per code and a dichotomy set counting 1.
    fn push_multiple(&mut self, question: &Question, answers: &Answers, n: usize, lang: &str) {
        let mut names = Vec::new();
        for (code_idx, code) in question.codes.iter().enumerate() {
            let name = format!("{}_{}", question.key, code.code);
            let column: Float64Array = (0..n)
                .map(|row| {
                    answers.answered(row).then(|| f64::from(u8::from(answers.has(row, code_idx))))
                })
                .collect();
            self.push(&name, code.label.get(lang), column);
            names.push(name);
        }
        let set = MrSet {
            name: question.key.clone(),
            label: question.text.get(lang).to_owned(),
            mr_type: MrType::MultipleDichotomy,
            counted_value: Some("1".to_owned()),
            variables: names,
        };
        self.metadata.mr_sets.insert(question.key.clone(), set);
    }

    fn push(&mut self, name: &str, label: &str, column: Float64Array) {
        self.fields.push(Field::new(name, DataType::Float64, true));
        self.columns.push(Arc::new(column));
        self.metadata.variable_names.push(name.to_owned());
        self.metadata.variable_labels.insert(name.to_owned(), label.to_owned());
    }
}

fn numbers(batch: &RecordBatch, name: &str) -> Option<Vec<Option<f64>>> {
    let column = batch.column_by_name(name)?;
    let array = column.as_any().downcast_ref::<Float64Array>()?;
    Some((0..array.len()).map(|row| array.is_valid(row).then(|| array.value(row))).collect())
}

fn strings(batch: &RecordBatch, name: &str) -> Option<Vec<String>> {
    let column = batch.column_by_name(name)?;
    if let Some(array) = column.as_any().downcast_ref::<StringViewArray>() {
        return Some((0..array.len()).map(|row| array.value(row).trim_end().to_owned()).collect());
    }
    let array = column.as_any().downcast_ref::<StringArray>()?;
    Some((0..array.len()).map(|row| array.value(row).trim_end().to_owned()).collect())
}

fn code_text(value: Option<f64>) -> String {
    // SPSS stores codes as doubles; a whole number prints as one, anything else as is so
    // that the codebook check names it.
    match value {
        Some(value) if value.fract() == 0.0 && value.abs() < 1e15 => format!("{value:.0}"),
        Some(value) => value.to_string(),
        None => String::new(),
    }
}

/// Reads a `.sav` file's respondents against `codebook`, with the CSV reader's checks.
///
/// # Errors
/// An unreadable file, a missing variable, or the reader's file-level diagnostics.
pub fn from_sav(codebook: &Codebook, source: &str, bytes: &[u8]) -> Result<Read, SurveyError> {
    let (batch, _metadata) = ambers::read_sav_from_reader(Cursor::new(bytes)).map_err(sav_error)?;
    let missing = |name: &str| SurveyError::Invalid(format!("{source}: no variable {name}"));
    let mut header = vec!["id".to_owned()];
    let mut columns = vec![strings(&batch, "id").ok_or_else(|| missing("id"))?];
    for question in codebook.questions().iter().filter(|it| it.recode.is_none()) {
        header.push(question.key.clone());
        let cells = match question.kind {
            Kind::Single => numbers(&batch, &question.key)
                .ok_or_else(|| missing(&question.key))?
                .into_iter()
                .map(code_text)
                .collect(),
            Kind::Multiple => {
                let mut cells = vec![Vec::new(); batch.num_rows()];
                for code in &question.codes {
                    let name = format!("{}_{}", question.key, code.code);
                    for (cell, value) in
                        cells.iter_mut().zip(numbers(&batch, &name).ok_or_else(|| missing(&name))?)
                    {
                        if value == Some(1.0) {
                            cell.push(code.code.to_string());
                        }
                    }
                }
                cells.into_iter().map(|it| it.join(";")).collect()
            }
        };
        columns.push(cells);
    }
    if let Some(weights) = numbers(&batch, "weight") {
        header.push("weight".to_owned());
        columns.push(
            weights.into_iter().map(|it| it.map(|w| w.to_string()).unwrap_or_default()).collect(),
        );
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).map_err(sav_error)?;
    for row in 0..batch.num_rows() {
        writer
            .write_record(columns.iter().map(|column| column[row].as_str()))
            .map_err(sav_error)?;
    }
    let text = String::from_utf8(writer.into_inner().map_err(sav_error)?).map_err(sav_error)?;
    Respondents::from_csv(codebook, source, &text).map_err(SurveyError::Rejected)
}
