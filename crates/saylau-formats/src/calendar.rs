//! Calendar files, format v1 (TOML): an election's deadlines as days before or after
//! election day and the periods between them, read into a core [`Calendar`].
//!
//! `[calendar]` names the file and gives `election_day`; each `[[events]]` entry has
//! `days_before` or `days_after` (exactly one), an optional `time` and the `article` it
//! rests on; each `[[periods]]` entry runs `from` one event `to` another and may ask for
//! `minimum_days` with its `minimum_source`. The format is specified in
//! `docs/calendar-format.md`.

use std::path::Path;

use saylau_core::law::calendar::{Calendar, CalendarError, Event, Minimum, Period};
use saylau_core::law::date::Date;
use serde::Serialize;

use crate::diagnostic::{Diagnostics, Sink};
use crate::document::{Node, Origin, Table, Value};
use crate::election::{DataSource, Scenario};
use crate::eligibility::date;
use crate::field::{Fields, count, filled_text, id_text, if_present};
use crate::header::{self, entries, entry_fields, report_duplicates, root_fields};
use crate::rule::FileRule;

/// The top-level keys of a calendar file.
const KEYS: &[&str] = &["calendar", "events", "periods", "source", "scenario"];

const EVENT_KEYS: &[&str] = &["id", "name", "days_before", "days_after", "time", "article"];

const PERIOD_KEYS: &[&str] =
    &["id", "name", "from", "to", "article", "minimum_days", "minimum_source"];

/// The most days an event may lie from election day: ten years, past any deadline of law.
const MAX_OFFSET_DAYS: u32 = 3653;

/// A calendar file, read and validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarFile {
    /// The calendar.
    pub calendar: Calendar,
    /// `[calendar] election_day`.
    pub election_day: Date,
    /// Name, description and provenance.
    pub meta: CalendarMeta,
}

/// What a calendar file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarMeta {
    /// `[calendar] name`.
    pub name: String,
    /// `[calendar] description`.
    pub description: Option<String>,
    /// `[source]`.
    pub source: Option<DataSource>,
    /// `[scenario]`: set for a proposal, whose deadlines are not the law's.
    pub scenario: Option<Scenario>,
}

/// Reads a calendar file from `text`; `source` names it in diagnostics.
pub fn parse_calendar(source: &str, text: &str) -> Result<CalendarFile, Diagnostics> {
    header::parse_with(source, text, &[], calendar_file)
}

/// Reads the calendar file at `path`.
pub fn read_calendar(path: &Path) -> Result<CalendarFile, Diagnostics> {
    let (source, text) = header::read_text(path)?;
    parse_calendar(&source, &text)
}

fn calendar_file(sink: &mut Sink<'_>, root: &Table) -> Option<CalendarFile> {
    let fields = root_fields(sink, root, KEYS);
    let header = header::header(sink, fields, "calendar", &["election_day"]);
    let election_day = root.get("calendar").and_then(|node| match &node.value {
        Value::Table(table) => {
            let fields = Fields { table, path: "calendar", origin: node.origin };
            fields
                .required(sink, "election_day")
                .and_then(|node| date(sink, node, "calendar.election_day"))
        }
        _ => None,
    });
    let events = events(sink, root.get("events"));
    let periods = if_present(root.get("periods"), |node| periods(sink, node));
    let provenance = header::provenance(sink, root);
    let (header, election_day, events, periods) = (header?, election_day?, events?, periods?);
    let (source, scenario) = provenance?;
    let events: Vec<Event> = events.into_iter().map(|(_, event)| event).collect();
    let periods = periods.unwrap_or_default();
    let located: Vec<(Origin, String)> =
        periods.iter().map(|(origin, period)| (*origin, period.id.clone())).collect();
    let periods: Vec<Period> = periods.into_iter().map(|(_, period)| period).collect();
    if !sink.is_empty() {
        return None;
    }
    let calendar = Calendar::new(events, periods)
        .map_err(|err| report_calendar_error(sink, &err, &located))
        .ok()?;
    let meta =
        CalendarMeta { name: header.name, description: header.description, source, scenario };
    Some(CalendarFile { calendar, election_day, meta })
}

/// Reports a problem the core found at the period it concerns (`periods` gives each
/// period's origin and id, in order).
fn report_calendar_error(sink: &mut Sink<'_>, err: &CalendarError, periods: &[(Origin, String)]) {
    let at = |id: &str, key: &str| {
        periods
            .iter()
            .enumerate()
            .find(|(_, (_, period))| period == id)
            .map_or((Origin::Whole, "periods".to_owned()), |(idx, (origin, _))| {
                (*origin, format!("periods[{idx}].{key}"))
            })
    };
    // Ids are unique and non-empty here (rules E-33, E-14), so only a period's events can
    // be wrong; the message names the unknown event, whether in `from` or in `to`.
    let ((origin, field), rule) = match err {
        CalendarError::UnknownEvent { period, .. } => {
            (at(period, "from"), FileRule::UnknownReference)
        }
        CalendarError::Backwards { period, .. } => (at(period, "to"), FileRule::Calendar),
        _ => ((Origin::Whole, "events".to_owned()), FileRule::Calendar),
    };
    sink.error(&origin, &field, rule, err.to_string());
}

/// `[[events]]`, each with the origin of its table.
fn events(sink: &mut Sink<'_>, node: Option<&Node>) -> Option<Vec<(Origin, Event)>> {
    let items = entries(sink, node, "events", "at least one [[events]] entry")?;
    report_duplicates(sink, items, "events", "id");
    let read: Vec<Option<(Origin, Event)>> =
        items.iter().enumerate().map(|(idx, item)| event(sink, item, idx)).collect();
    read.into_iter().collect()
}

fn event(sink: &mut Sink<'_>, item: &Node, idx: usize) -> Option<(Origin, Event)> {
    let path = format!("events[{idx}]");
    let fields = entry_fields(sink, item, &path)?;
    fields.check_keys(sink, EVENT_KEYS);
    let id = fields.required(sink, "id").and_then(|node| id_text(sink, node, &fields.field("id")));
    let name = required_text(sink, fields, "name");
    let article = required_text(sink, fields, "article");
    let days = |sink: &mut Sink<'_>, key: &str| {
        if_present(fields.optional(key), |node| {
            let days = count(sink, node, &fields.field(key), "days", 0)?;
            if days > MAX_OFFSET_DAYS {
                let message = format!("{days} days is more than ten years ({MAX_OFFSET_DAYS})");
                sink.error(&node.origin, &fields.field(key), FileRule::Calendar, message);
                return None;
            }
            Some(i32::try_from(days).expect("at most MAX_OFFSET_DAYS"))
        })
    };
    let before = days(sink, "days_before");
    let after = days(sink, "days_after");
    let offset = match (before?, after?) {
        (Some(before), None) => Some(-before),
        (None, Some(after)) => Some(after),
        (both_or_neither_before, _) => {
            let what = if both_or_neither_before.is_some() { "both" } else { "neither" };
            let message = format!(
                "{what} of days_before and days_after given: write exactly one (0 for election day)"
            );
            sink.error(&fields.origin, &fields.field("days_before"), FileRule::Calendar, message);
            None
        }
    };
    let time = if_present(fields.optional("time"), |node| {
        let text = filled_text(sink, node, &fields.field("time"))?;
        if !is_time_of_day(&text) {
            let message = format!("{text:?} is not a time of day written HH:MM, such as 18:00");
            sink.error(&node.origin, &fields.field("time"), FileRule::Calendar, message);
            return None;
        }
        Some(text)
    });
    let event = Event { id: id?, name: name?, offset: offset?, time: time?, article: article? };
    Some((fields.origin, event))
}

/// `HH:MM` from 00:00 to 24:00.
fn is_time_of_day(text: &str) -> bool {
    let Some((hours, minutes)) = text.split_once(':') else { return false };
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return false;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().unwrap_or(99), minutes.parse().unwrap_or(99));
    (hours < 24 && minutes < 60) || (hours == 24 && minutes == 0)
}

/// `[[periods]]`, each with the origin of its table.
fn periods(sink: &mut Sink<'_>, node: &Node) -> Option<Vec<(Origin, Period)>> {
    let items = entries(sink, Some(node), "periods", "at least one [[periods]] entry")?;
    report_duplicates(sink, items, "periods", "id");
    let read: Vec<Option<(Origin, Period)>> =
        items.iter().enumerate().map(|(idx, item)| period(sink, item, idx)).collect();
    read.into_iter().collect()
}

fn period(sink: &mut Sink<'_>, item: &Node, idx: usize) -> Option<(Origin, Period)> {
    let path = format!("periods[{idx}]");
    let fields = entry_fields(sink, item, &path)?;
    fields.check_keys(sink, PERIOD_KEYS);
    let id = fields.required(sink, "id").and_then(|node| id_text(sink, node, &fields.field("id")));
    let name = required_text(sink, fields, "name");
    let from = required_text(sink, fields, "from");
    let to = required_text(sink, fields, "to");
    let article = required_text(sink, fields, "article");
    let minimum_days = if_present(fields.optional("minimum_days"), |node| {
        count(sink, node, &fields.field("minimum_days"), "days", 1)
    });
    let minimum_source = if_present(fields.optional("minimum_source"), |node| {
        filled_text(sink, node, &fields.field("minimum_source"))
    });
    let minimum = match (minimum_days?, minimum_source?) {
        (Some(days), Some(source)) => Some(Minimum { days, source }),
        (None, None) => None,
        (days, _) => {
            let (given, missing) = if days.is_some() {
                ("minimum_days", "minimum_source")
            } else {
                ("minimum_source", "minimum_days")
            };
            let message = format!("{given} needs {missing}: a minimum says where it comes from");
            sink.error(&fields.origin, &fields.field(missing), FileRule::MissingKey, message);
            return None;
        }
    };
    let period = Period { id: id?, name: name?, from: from?, to: to?, article: article?, minimum };
    Some((fields.origin, period))
}

fn required_text(sink: &mut Sink<'_>, fields: Fields<'_>, key: &str) -> Option<String> {
    fields.required(sink, key).and_then(|node| filled_text(sink, node, &fields.field(key)))
}
