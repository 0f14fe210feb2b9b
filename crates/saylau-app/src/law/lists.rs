//! Party lists against the list quotas, and the seats they assign (`saylau lists`,
//! `docs/lists-format.md`).

use std::path::Path;

use saylau_core::law::candidate_list::lists_report;
use saylau_formats::read_lists;
use serde::Serialize;

use super::LawError;

pub use saylau_core::law::candidate_list::{Count, ListReport, ListsReport, QuotaOutcome, Share};
pub use saylau_core::law::list_seats::SeatAssignment;
pub use saylau_formats::ListsMeta;

/// The lists checked: the JSON of `saylau lists --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Lists {
    /// The file's provenance.
    pub meta: ListsMeta,
    /// Every list's quotas and seats.
    #[serde(flatten)]
    pub report: ListsReport,
    /// Women's share of the house, when the file gives it.
    pub women_in_house: Option<Share>,
}

/// Checks the lists of the file at `path`.
pub fn check(path: &Path) -> Result<Lists, LawError> {
    let file = read_lists(path).map_err(LawError::Rejected)?;
    let report = lists_report(&file.set);
    let women_in_house = file.meta.house.as_ref().map(|house| Share::new(house.women, house.seats));
    Ok(Lists { meta: file.meta, report, women_in_house })
}
