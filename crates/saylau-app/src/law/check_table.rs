//! A published table of totals against its declared relations (`saylau check-table`,
//! `docs/table-format.md`): every row whose parts do not add up, and notes on blank
//! (unpublished) cells, which are never guessed.

use std::path::Path;

use saylau_core::count::consistency::{TableCheck, check_table};
use saylau_formats::{PublishedTableFile, PublishedTableMeta, read_published_table};
use serde::Serialize;

use super::LawError;

pub use saylau_core::count::consistency::Figure;

/// A table checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The table as read.
    pub file: PublishedTableFile,
    /// The problems and notes.
    pub check: TableCheck,
}

/// The JSON of `saylau check-table --json`.
#[derive(Debug, Serialize)]
pub struct CheckJson<'a> {
    name: &'a str,
    meta: &'a PublishedTableMeta,
    consistent: bool,
    #[serde(flatten)]
    check: &'a TableCheck,
}

impl Checked {
    /// Whether every relation holds.
    pub fn consistent(&self) -> bool {
        self.check.problems.is_empty()
    }

    /// As a serialisable value.
    pub fn json(&self) -> CheckJson<'_> {
        CheckJson {
            name: &self.file.meta.name,
            meta: &self.file.meta,
            consistent: self.consistent(),
            check: &self.check,
        }
    }
}

/// Checks the table file at `path`.
pub fn check(path: &Path) -> Result<Checked, LawError> {
    let file = read_published_table(path, &[]).map_err(LawError::Rejected)?;
    let check = check_table(&file.table);
    Ok(Checked { file, check })
}
