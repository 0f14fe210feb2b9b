//! The column-proportions test on a published table: bases and integer column
//! percentages in the shape of one entry of `data/reference/survey/seed-tables.json`
//! (`columns`, `bases`, `rows[].values`), as `saylau survey sigtest` reads it.
//!
//! Only the printed percentages are known, so each cell is taken as the nearest whole
//! count, round(p n / 100) (ties to even), over its base; a verdict near alpha may
//! change with the unpublished exact counts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::colprop::{self, Proportion, RowTest, TestOptions};

/// A published column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedColumn {
    /// Its key (`total` for the Total column, which is not tested).
    pub key: String,
    /// Russian label.
    #[serde(default)]
    pub label_ru: String,
    /// English label.
    #[serde(default)]
    pub label_en: String,
}

/// A published row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedRow {
    /// Russian label.
    #[serde(default)]
    pub label_ru: String,
    /// English label.
    #[serde(default)]
    pub label_en: String,
    /// Percent per column key.
    pub values: BTreeMap<String, f64>,
}

/// A published table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedTable {
    /// Its id, such as `T7`.
    #[serde(default)]
    pub id: String,
    /// The columns in printed order.
    pub columns: Vec<PublishedColumn>,
    /// The base per column key.
    pub bases: BTreeMap<String, f64>,
    /// The rows.
    pub rows: Vec<PublishedRow>,
}

/// A published table that cannot be tested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PublishedError {
    /// A column has no base.
    #[error("column {0} has no base")]
    MissingBase(String),
    /// A row has no value for a column.
    #[error("row {row:?} has no value for column {column}")]
    MissingValue {
        /// The row's label.
        row: String,
        /// The column.
        column: String,
    },
}

/// The letters of one published row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestedRow {
    /// Russian label.
    pub label_ru: String,
    /// English label.
    pub label_en: String,
    /// Column key -> the letters its cell gets.
    pub letters: BTreeMap<String, String>,
    /// Column keys left out by the 0 %/100 % rule.
    pub not_used: Vec<String>,
    /// The full test.
    pub test: RowTest,
}

/// A tested column and its letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnLetter {
    /// The column key.
    pub key: String,
    /// Its letter.
    pub letter: String,
}

/// The test of a published table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestedTable {
    /// The table's id.
    pub id: String,
    /// The tested columns in printed order, each with its letter.
    pub column_letters: Vec<ColumnLetter>,
    /// The settings.
    pub options: TestOptions,
    /// One entry per row.
    pub rows: Vec<TestedRow>,
}

/// Runs the column-proportions test on every row of a published table.
///
/// # Errors
/// A tested column without a base, or a row without a value for it.
pub fn test_published(
    table: &PublishedTable,
    options: TestOptions,
) -> Result<TestedTable, PublishedError> {
    let tested: Vec<&PublishedColumn> =
        table.columns.iter().filter(|it| it.key != "total").collect();
    let mut bases = Vec::new();
    for column in &tested {
        bases.push(
            *table
                .bases
                .get(&column.key)
                .ok_or_else(|| PublishedError::MissingBase(column.key.clone()))?,
        );
    }
    let column_letters = tested
        .iter()
        .enumerate()
        .map(|(idx, it)| ColumnLetter { key: it.key.clone(), letter: colprop::column_letter(idx) })
        .collect();
    let mut rows = Vec::new();
    for row in &table.rows {
        let mut proportions = Vec::new();
        for (column, base) in tested.iter().zip(&bases) {
            let value =
                row.values.get(&column.key).ok_or_else(|| PublishedError::MissingValue {
                    row: row.label_ru.clone(),
                    column: column.key.clone(),
                })?;
            let count = (value * base / 100.0).round_ties_even();
            proportions
                .push(Proportion { p: if *base > 0.0 { count / base } else { 0.0 }, n: *base });
        }
        let test = colprop::test_row(&proportions, options);
        let letters = tested
            .iter()
            .zip(&test.letters)
            .map(|(column, letters)| (column.key.clone(), letters.clone()))
            .collect();
        let not_used = test.not_used.iter().map(|idx| tested[*idx].key.clone()).collect();
        rows.push(TestedRow {
            label_ru: row.label_ru.clone(),
            label_en: row.label_en.clone(),
            letters,
            not_used,
            test,
        });
    }
    Ok(TestedTable { id: table.id.clone(), column_letters, options, rows })
}
