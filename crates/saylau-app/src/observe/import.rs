//! `saylau observe import FILE --key K`: an observer organisation's copies of protocols
//! (a protocol file, CSV or JSON, the format `saylau generate --observer-sample` writes)
//! or its stations' statuses (a CSV `station,status,time,note`), into the log.
//!
//! Every row is accepted whole or rejected whole with its reasons, and the good rows are
//! kept. A copy that breaks a control relation is evidence, not an error: it is recorded
//! with the rules it breaks (`flagged`). A copy of a station that is not registered, or a
//! second, different copy of a station the organisation already holds, is rejected.

use std::collections::BTreeSet;
use std::path::Path;

use saylau_core::count::protocol::{BallotLists, ProtocolLines};
use saylau_formats::read_protocols;
use saylau_formats::rule::ObservationRule;
use saylau_store::bulk::{self, BatchItem, BatchSubmission};
use saylau_store::current::Currents;
use saylau_store::id::{ElectionId, Kind, Subject};
use saylau_store::key::CommissionKey;
use saylau_store::ledger::{AppendError, Appended};
use saylau_store::observe::{self, COPY_KIND, STATUS_KIND, station_subject};
use saylau_store::store::Store;
use serde::Serialize;

use super::payload::{CopyPayload, STATUSES, StatusPayload, is_time};
use super::{ObserveError, observer_of_key, refused};

/// What an observer import did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportView {
    /// The election.
    pub election: String,
    /// The organisation whose key signed.
    pub observer: String,
    /// The file.
    pub file: String,
    /// `copies` or `statuses`.
    pub content: &'static str,
    /// Counts of rows.
    pub counts: Counts,
    /// Copies recorded although they break control relations.
    pub flagged: Vec<Flagged>,
    /// Rows rejected, each with every reason.
    pub rejected: Vec<RejectedRow>,
}

/// Counts of an import's rows.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    /// New versions recorded.
    pub accepted: usize,
    /// Rows equal to what the organisation holds already.
    pub unchanged: usize,
    /// Accepted copies that break control relations.
    pub flagged: usize,
    /// Rows rejected.
    pub rejected: usize,
}

/// A copy kept as evidence although it breaks control relations.
#[derive(Debug, Clone, Serialize)]
pub struct Flagged {
    /// The station.
    pub station: String,
    /// The file's line.
    pub line: Option<u32>,
    /// The `P-` codes it breaks.
    pub rules: Vec<String>,
}

/// A rejected row.
#[derive(Debug, Clone, Serialize)]
pub struct RejectedRow {
    /// The station, when it could be read.
    pub station: Option<String>,
    /// The file's line.
    pub line: Option<u32>,
    /// Every reason.
    pub reasons: Vec<Reason>,
}

/// One reason: a rule code and a message naming file, line and field.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// The rule (`F-`, `P-`, `O-`).
    pub rule: String,
    /// The field, when one.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// One row to record.
pub(crate) struct Row {
    pub(crate) station: String,
    pub(crate) line: Option<u32>,
    pub(crate) payload: Vec<u8>,
    pub(crate) breaks: Vec<String>,
}

/// Imports `path` signed by the observer `key`, as `author`.
pub async fn import_file(
    store: &Store,
    election: &ElectionId,
    path: &Path,
    key: &CommissionKey,
    author: &str,
) -> Result<ImportView, ObserveError> {
    let observer = observer_of_key(store, election, &key.public_key().key_id()).await?;
    let file = path.display().to_string();
    let statuses = is_status_file(path);
    let mut rejected = Vec::new();
    let rows = if statuses {
        status_rows(path, &observer, &mut rejected)?
    } else {
        let ballot = saylau_store::tabulation::current_protocols(store, election).await?.ballot;
        copy_rows(path, &observer, &ballot, &mut rejected)?
    };
    let source = Source { observer: &observer, file: &file, statuses };
    record_rows(store, election, &source, rows, rejected, key, author).await
}

/// Where rows come from: the organisation whose key signs, the file (or form) named in
/// messages, and whether they are statuses or copies.
pub(crate) struct Source<'a> {
    pub(crate) observer: &'a str,
    pub(crate) file: &'a str,
    pub(crate) statuses: bool,
}

/// Records `rows` read from `source` (the rows already rejected in `rejected`): a row of
/// a station that is not registered is rejected, the others appended in signed batches.
pub(crate) async fn record_rows(
    store: &Store,
    election: &ElectionId,
    source: &Source<'_>,
    rows: Vec<Row>,
    mut rejected: Vec<RejectedRow>,
    key: &CommissionKey,
    author: &str,
) -> Result<ImportView, ObserveError> {
    let Source { observer, file, statuses } = *source;
    let stations: BTreeSet<String> =
        observe::stations(store, election).await?.into_iter().collect();
    let kind: Kind = if statuses { STATUS_KIND } else { COPY_KIND }.parse().expect("an id");
    let mut view = ImportView {
        election: election.to_string(),
        observer: observer.to_owned(),
        file: file.to_owned(),
        content: if statuses { "statuses" } else { "copies" },
        counts: Counts::default(),
        flagged: Vec::new(),
        rejected: Vec::new(),
    };
    let mut known = Vec::with_capacity(rows.len());
    for row in rows {
        if stations.contains(&row.station) {
            let subject = station_subject(observer, &row.station)
                .map_err(|err| refused(ObservationRule::UnknownStation, err.to_string()))?;
            known.push((subject, row));
            continue;
        }
        let message = format!(
            "{file}:{}: station {} is not registered in election {election}",
            row.line.unwrap_or(0),
            row.station
        );
        rejected.push(reject(&row, ObservationRule::UnknownStation, message));
    }
    append_rows(store, election, &kind, &known, key, author, &mut view, &mut rejected).await?;
    view.counts.flagged = view.flagged.len();
    view.counts.rejected = rejected.len();
    view.rejected = rejected;
    Ok(view)
}

/// Appends `known` rows in signed batches, counting them into `view` and `rejected`.
#[expect(clippy::too_many_arguments)] // the import's state, passed down once
async fn append_rows(
    store: &Store,
    election: &ElectionId,
    kind: &Kind,
    known: &[(Subject, Row)],
    key: &CommissionKey,
    author: &str,
    view: &mut ImportView,
    rejected: &mut Vec<RejectedRow>,
) -> Result<(), ObserveError> {
    let (file, observer) = (view.file.clone(), view.observer.clone());
    let statuses = view.content == "statuses";
    let mut currents = Currents::new(election, kind);
    for chunk in known.chunks(BATCH) {
        let items: Vec<BatchItem<'_>> = chunk
            .iter()
            .map(|(subject, row)| BatchItem::new(subject, &row.payload, None, None))
            .collect();
        let submission = BatchSubmission { election, kind, author, items: &items };
        let outcome = bulk::append_batch(store, &submission, key, &mut currents).await?;
        for ((_, row), res) in chunk.iter().zip(outcome.items) {
            match res {
                Ok(Appended::Recorded { .. }) => {
                    view.counts.accepted += 1;
                    if !row.breaks.is_empty() {
                        view.flagged.push(Flagged {
                            station: row.station.clone(),
                            line: row.line,
                            rules: row.breaks.clone(),
                        });
                    }
                }
                Ok(Appended::Unchanged { .. }) => view.counts.unchanged += 1,
                Err(AppendError::Conflict { current, .. }) => {
                    let what = if statuses { "status" } else { "copy" };
                    let message = format!(
                        "{file}:{}: observer {observer} already holds a different {what} of \
                         station {} (version {}); a copy is recorded once",
                        row.line.unwrap_or(0),
                        row.station,
                        current.map_or(0, |it| it.0)
                    );
                    rejected.push(reject(row, ObservationRule::DuplicateCopy, message));
                }
                Err(err) => {
                    rejected.push(reject(row, ObservationRule::NotObserverKey, err.to_string()));
                }
            }
        }
    }
    Ok(())
}

/// Rows per signed batch (one transaction each).
const BATCH: usize = 5000;

/// The rejection of `row` for `rule`.
fn reject(row: &Row, rule: ObservationRule, message: String) -> RejectedRow {
    RejectedRow {
        station: Some(row.station.clone()),
        line: row.line,
        reasons: vec![Reason {
            rule: rule.to_string(),
            field: Some("station".to_owned()),
            message,
        }],
    }
}

/// True when the file's first line that is not a `#` comment starts `station,status`.
fn is_status_file(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else { return false };
    text.lines()
        .find(|line| !line.starts_with('#') && !line.trim().is_empty())
        .is_some_and(|line| line.trim_start_matches('\u{feff}').starts_with("station,status"))
}

/// The copies of a protocol file: good protocols, and rows that only broke control
/// relations (flagged); the other rejected rows go to `rejected`.
fn copy_rows(
    path: &Path,
    observer: &str,
    ballot: &BallotLists,
    rejected: &mut Vec<RejectedRow>,
) -> Result<Vec<Row>, ObserveError> {
    let file = read_protocols(path).map_err(ObserveError::File)?;
    let ids = |ballot: &BallotLists| -> Vec<String> {
        ballot.lists().iter().map(|list| list.id.to_string()).collect()
    };
    if ids(&file.ballot) != ids(ballot) {
        return Err(ObserveError::File(saylau_formats::Diagnostics(vec![
            saylau_formats::Diagnostic {
                source: path.display().to_string(),
                line: None,
                field: String::new(),
                rule: saylau_formats::rule::ProtocolFileRule::Header.into(),
                message: format!(
                    "the lists {} are not the election's lists {}",
                    ids(&file.ballot).join(", "),
                    ids(ballot).join(", ")
                ),
                severity: saylau_formats::Severity::Error,
            },
        ])));
    }
    let row = |station: String, line: Option<u32>, lines: &ProtocolLines, breaks: Vec<String>| {
        let payload = CopyPayload::new(observer, &station, lines, ballot, breaks.clone());
        (Row { station, line, payload: payload.bytes(), breaks }, payload)
    };
    let mut rows: Vec<Row> = file
        .protocols
        .iter()
        .map(|protocol| {
            let station = protocol.station().to_string();
            let (mut row, payload) = row(station, None, protocol.lines(), Vec::new());
            if !protocol.extra().is_empty() {
                row.payload = payload.with_extra(protocol.extra()).bytes();
            }
            row
        })
        .collect();
    for bad in file.rejected {
        match (&bad.lines, bad.station) {
            (Some(lines), Some(station)) => {
                let mut breaks: Vec<String> =
                    bad.diagnostics.iter().map(|it| it.rule.code().to_owned()).collect();
                breaks.dedup();
                rows.push(row(station.to_string(), Some(bad.line), lines, breaks).0);
            }
            _ => rejected.push(RejectedRow {
                station: bad.station.map(|it| it.to_string()),
                line: Some(bad.line),
                reasons: bad
                    .diagnostics
                    .iter()
                    .map(|it| Reason {
                        rule: it.rule.code().to_owned(),
                        field: Some(it.field.clone()).filter(|field| !field.is_empty()),
                        message: it.to_string(),
                    })
                    .collect(),
            }),
        }
    }
    Ok(rows)
}

/// The rows of a status CSV: `station,status,time,note`, one station once.
fn status_rows(
    path: &Path,
    observer: &str,
    rejected: &mut Vec<RejectedRow>,
) -> Result<Vec<Row>, ObserveError> {
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| {
        refused(ObservationRule::StatusRow, format!("{source}: cannot read the file: {err}"))
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut seen = BTreeSet::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let (record, line) = match record {
            Ok(record) => {
                let line = record.position().map(|it| u32::try_from(it.line()).unwrap_or(0));
                (record, line)
            }
            Err(err) => {
                let message = format!("{source}: {err}");
                rejected.push(status_reject(None, None, "row", message));
                continue;
            }
        };
        let field = |idx: usize| record.get(idx).unwrap_or("").trim().to_owned();
        let (station, status, time, note) = (field(0), field(1), field(2), field(3));
        let at = format!("{source}:{}", line.unwrap_or(0));
        let problem = if record.len() < 3 || record.len() > 4 {
            Some(("row", format!("{at}: {} fields, not station,status,time[,note]", record.len())))
        } else if let Some(problem) = status_problem(&at, &station, &status, &time) {
            Some(problem)
        } else if !seen.insert(station.clone()) {
            Some(("station", format!("{at}: station {station} is on an earlier row too")))
        } else {
            None
        };
        if let Some((field, message)) = problem {
            let station = Some(station).filter(|it| !it.is_empty());
            rejected.push(status_reject(station, line, field, message));
            continue;
        }
        let payload = StatusPayload::new(observer, &station, &status, &time, &note).bytes();
        rows.push(Row { station, line, payload, breaks: Vec::new() });
    }
    Ok(rows)
}

/// The field and message of what is wrong with a station's status, if anything; `at`
/// names where it was read.
pub(crate) fn status_problem(
    at: &str,
    station: &str,
    status: &str,
    time: &str,
) -> Option<(&'static str, String)> {
    if saylau_core::count::commission::StationId::parse(station).is_err() {
        Some(("station", format!("{at}: station {station:?} is not RR-DD-SSSS")))
    } else if !STATUSES.contains(&status) {
        Some(("status", format!("{at}: status {status:?} is not one of {}", STATUSES.join(", "))))
    } else if !is_time(time) {
        Some(("time", format!("{at}: time {time:?} is not YYYY-MM-DDTHH:MM[:SS][zone]")))
    } else {
        None
    }
}

pub(crate) fn status_reject(
    station: Option<String>,
    line: Option<u32>,
    field: &str,
    message: String,
) -> RejectedRow {
    RejectedRow {
        station,
        line,
        reasons: vec![Reason {
            rule: ObservationRule::StatusRow.to_string(),
            field: Some(field.to_owned()),
            message,
        }],
    }
}
