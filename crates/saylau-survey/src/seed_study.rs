//! The seed's 2021 opinion study as a worked example: its codebook, its published tables
//! (`data/reference/survey/seed-tables.json`, bundled at compile time) and a synthetic
//! respondent file whose cross-tables reproduce the published ones.
//!
//! The synthetic file is labelled synthetic everywhere (ids `synthetic-0001`, the study
//! flag, every report). It is built in four documented steps (`docs/survey.md`):
//! 1. a segment x macro-region table near proportional to the published 280/297/623 and
//!    182/238/243/229/83/115/110 (a flow with floor/ceiling bounds);
//! 2. per question, whole counts by segment and by macro-region inside the rounding
//!    intervals of every printed cell, with one total per code (a flow, `counts`);
//! 3. per code, those counts spread over the segment x macro-region cells without
//!    exceeding what is left in a cell (a flow again);
//! 4. inside a cell, answers dealt to respondents in an order shuffled per question from
//!    the printed seed, so that questions are independent within a cell.

pub(crate) mod counts;
pub(crate) mod flow;
mod generate;

use serde::Serialize;

use crate::codebook::Codebook;
use crate::published::PublishedTable;

pub use generate::{GenerationError, Synthetic, synthetic_respondents};

/// The codebook of the seed's questionnaire.
pub const CODEBOOK_TOML: &str = include_str!("../../../data/survey/seed-2021/codebook.toml");

/// The seed's published tables, figures and methodology.
pub const SEED_TABLES_JSON: &str = include_str!("../../../data/reference/survey/seed-tables.json");

/// The seed's sample size and its published maximum margin of error at 99 %.
pub const SAMPLE_SIZE: usize = 1200;

/// The turnout the seed's respondents reported (presidential election 2019, T7 "Yes").
pub const SELF_REPORTED_TURNOUT: f64 = 0.60;

/// How a published table maps onto the codebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TableSpec {
    /// The table by segment.
    pub by_segment: &'static str,
    /// Its twin by macro-region, if published.
    pub by_region: Option<&'static str>,
    /// The question.
    pub question: &'static str,
    /// Whether the printed rows are the question's nets (the collapsed 1-5 scale).
    pub nets: bool,
}

/// Every published cross-table of the seed and the question it shows.
pub const TABLES: [TableSpec; 16] = [
    TableSpec { by_segment: "T1", by_region: Some("T2"), question: "activity", nets: true },
    TableSpec { by_segment: "T3", by_region: Some("T4"), question: "party", nets: false },
    TableSpec { by_segment: "T5", by_region: Some("T6"), question: "actions", nets: false },
    TableSpec { by_segment: "T7", by_region: Some("T8"), question: "vote_president", nets: false },
    TableSpec {
        by_segment: "T9",
        by_region: Some("T10"),
        question: "vote_parliament",
        nets: false,
    },
    TableSpec { by_segment: "T11", by_region: Some("T12"), question: "sources", nets: false },
    TableSpec { by_segment: "T13", by_region: Some("T14"), question: "aware", nets: false },
    TableSpec { by_segment: "T15", by_region: None, question: "when_self_nomination", nets: false },
    TableSpec { by_segment: "T16", by_region: None, question: "when_quota", nets: false },
    TableSpec { by_segment: "T17", by_region: None, question: "when_akims", nets: false },
    TableSpec { by_segment: "T18", by_region: None, question: "when_against_all", nets: false },
    TableSpec { by_segment: "T19", by_region: None, question: "when_threshold", nets: false },
    TableSpec { by_segment: "T20", by_region: Some("T21"), question: "involved", nets: false },
    TableSpec { by_segment: "T22", by_region: Some("T23"), question: "should", nets: false },
    TableSpec { by_segment: "T24", by_region: Some("T25"), question: "ways", nets: false },
    TableSpec { by_segment: "T26", by_region: Some("T27"), question: "wanted", nets: false },
];

/// The seed's codebook.
///
/// # Panics
/// Never: the bundled codebook is checked by the tests.
#[must_use]
pub fn codebook() -> Codebook {
    Codebook::from_toml("data/survey/seed-2021/codebook.toml", CODEBOOK_TOML)
        .expect("the bundled codebook is valid")
}

/// The seed's published tables with their claims and computed letters, as JSON.
///
/// # Panics
/// Never: the bundled JSON is checked by the tests.
#[must_use]
pub fn seed_tables() -> serde_json::Value {
    serde_json::from_str(SEED_TABLES_JSON).expect("the bundled seed tables are valid JSON")
}

/// One published table by id.
///
/// # Panics
/// If the id is not one of the seed's tables.
#[must_use]
pub fn published_table(tables: &serde_json::Value, id: &str) -> PublishedTable {
    let entry = tables["tables"]
        .as_array()
        .and_then(|all| all.iter().find(|it| it["id"] == id))
        .unwrap_or_else(|| panic!("no table {id}"));
    serde_json::from_value(entry.clone()).expect("a published table")
}

/// The published cells that `computed` does not print as (count over base rounding to
/// the published integer percent, and the same bases); empty when it reproduces.
#[must_use]
pub fn mismatches(table: &PublishedTable, computed: &crate::crosstab::Crosstab) -> Vec<String> {
    let mut found = Vec::new();
    for (col_idx, (column, ours)) in table.columns.iter().zip(&computed.columns).enumerate() {
        let base = ours.base as f64;
        if table.bases.get(&column.key) != Some(&base) {
            found.push(format!("{}: base {base}", column.key));
        }
        for row in &table.rows {
            let cell = computed
                .rows
                .iter()
                .find(|it| it.label.ru == row.label_ru)
                .and_then(|it| it.cells.get(col_idx));
            let published = row.values.get(&column.key).copied().unwrap_or(f64::NAN);
            match cell {
                Some(cell)
                    if (100.0 * cell.count as f64 - published * base).abs() <= base / 2.0 => {}
                _ => {
                    found.push(format!("{} {}: published {published} %", row.label_ru, column.key))
                }
            }
        }
    }
    found
}
