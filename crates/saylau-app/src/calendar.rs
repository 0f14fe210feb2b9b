//! `calendar`: an election's schedule from its day and the law's deadlines, and several
//! calendars (the law and a proposal) side by side.
//!
//! Each calendar file (`docs/calendar-format.md`) is read, dated for its own election day
//! or for the day the caller gives (a repeat election, another year), and returned as a
//! [`Schedule`] with the file's provenance. With more than one file, [`compare`] lines up
//! the periods the files share by id (the campaign under the law of 2021 and under
//! recommendation 19), with their lengths in days.

use std::path::Path;

use saylau_core::law::calendar::{OutOfCalendar, Schedule, schedule};
pub use saylau_core::law::date::Date;
use saylau_formats::{CalendarMeta, Diagnostics, read_calendar};
use serde::Serialize;

use crate::Rejection;

/// Why no schedule was made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A file was rejected, with every problem found.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// The election day puts an event outside the calendar years 1 to 9999.
    #[error("{file}: {source}")]
    OutOfCalendar {
        /// The file.
        file: String,
        /// The event and offset.
        source: OutOfCalendar,
    },
}

impl Rejection for CalendarError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            CalendarError::Rejected(diagnostics) => Ok(diagnostics),
            other => Err(other),
        }
    }
}

/// One calendar file dated.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    /// The file as given.
    pub file: String,
    /// Name, description, source, and `[scenario]` for a proposal.
    pub meta: CalendarMeta,
    /// True when the election day is the caller's, not the file's.
    pub day_given: bool,
    /// The dated events and periods.
    pub schedule: Schedule,
    /// The ids of the periods shorter than their minimum.
    pub short_periods: Vec<String>,
}

/// One period across the calendars compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodComparison {
    /// The period's id.
    pub id: String,
    /// Its name in the first calendar that has it.
    pub name: String,
    /// Its length in each calendar, in the order of the files (`None` where absent).
    pub days: Vec<Option<u32>>,
}

/// The report of `saylau calendar`.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarReport {
    /// Each file dated, in the order given.
    pub calendars: Vec<CalendarView>,
    /// The periods side by side (empty for one file).
    pub comparison: Vec<PeriodComparison>,
}

/// Reads and dates each of `files`, on `day` when given, else on each file's own day.
pub fn calendar_report(
    files: &[&Path],
    day: Option<Date>,
) -> Result<CalendarReport, CalendarError> {
    let mut calendars = Vec::with_capacity(files.len());
    let mut rejected = Vec::new();
    for path in files {
        let file = match read_calendar(path) {
            Ok(file) => file,
            Err(diagnostics) => {
                rejected.extend(diagnostics.0);
                continue;
            }
        };
        let election_day = day.unwrap_or(file.election_day);
        let name = path.display().to_string();
        let dated = schedule(&file.calendar, election_day)
            .map_err(|source| CalendarError::OutOfCalendar { file: name.clone(), source })?;
        let short_periods = dated
            .periods
            .iter()
            .filter(|period| period.short_by.is_some())
            .map(|period| period.period.id.clone())
            .collect();
        calendars.push(CalendarView {
            file: name,
            meta: file.meta,
            day_given: day.is_some(),
            schedule: dated,
            short_periods,
        });
    }
    if !rejected.is_empty() {
        return Err(CalendarError::Rejected(Diagnostics(rejected)));
    }
    let comparison = if calendars.len() > 1 { compare(&calendars) } else { Vec::new() };
    Ok(CalendarReport { calendars, comparison })
}

/// The periods of `calendars` by id, in order of first appearance.
pub fn compare(calendars: &[CalendarView]) -> Vec<PeriodComparison> {
    let mut res: Vec<PeriodComparison> = Vec::new();
    for view in calendars {
        for dated in &view.schedule.periods {
            if res.iter().any(|row| row.id == dated.period.id) {
                continue;
            }
            let days = calendars
                .iter()
                .map(|other| {
                    other
                        .schedule
                        .periods
                        .iter()
                        .find(|it| it.period.id == dated.period.id)
                        .map(|it| it.days)
                })
                .collect();
            res.push(PeriodComparison {
                id: dated.period.id.clone(),
                name: dated.period.name.clone(),
                days,
            });
        }
    }
    res
}
