//! Writing incidents: `saylau incidents import FILE --key K` and `saylau incidents status
//! ID --to STATE --note TEXT --key K`, both signed by an observer organisation's key.

use std::collections::BTreeSet;
use std::path::Path;

use saylau_core::count::incident::{IncidentState, UnknownState};
use saylau_formats::rule::ObservationRule;
use saylau_store::bulk::{self, BatchItem, BatchSubmission};
use saylau_store::current::Currents;
use saylau_store::id::{ElectionId, Kind, Subject};
use saylau_store::incident::{INCIDENT_KIND, INCIDENT_STATE_KIND, put_evidence};
use saylau_store::key::CommissionKey;
use saylau_store::ledger::{self, AppendError, Appended, Submission};
use saylau_store::observe::{self, station_subject};
use saylau_store::store::Store;
use serde::Serialize;

use super::file::{IncidentRow, is_incident_id, read_incidents};
use super::payload::{EvidenceRef, IncidentPayload, StatePayload};
use crate::observe::import::{Reason, RejectedRow};
use crate::observe::{ObserveError, observer_of_key, refused};

/// What `saylau incidents import` did.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentImportView {
    /// The election.
    pub election: String,
    /// The organisation whose key signed.
    pub observer: String,
    /// The file.
    pub file: String,
    /// Reports recorded.
    pub accepted: usize,
    /// Reports the organisation holds already, unchanged.
    pub unchanged: usize,
    /// Evidence files named by the recorded reports.
    pub evidence_files: usize,
    /// Rows rejected, each with every reason.
    pub rejected: Vec<RejectedRow>,
}

fn kind(text: &str) -> Kind {
    text.parse().expect("the incident kinds are ids")
}

/// A checked row ready to record: its subject, payload and evidence bytes.
struct Ready {
    row: IncidentRow,
    subject: Subject,
    payload: Vec<u8>,
    files: Vec<Vec<u8>>,
}

fn reject(
    source: &str,
    row: &IncidentRow,
    field: &str,
    rule: ObservationRule,
    message: &str,
) -> RejectedRow {
    RejectedRow {
        station: Some(row.station.clone()),
        line: row.line,
        reasons: vec![Reason {
            rule: rule.to_string(),
            field: Some(field.to_owned()),
            message: format!("{source}:{}: {field}: {message}", row.line.unwrap_or(0)),
        }],
    }
}

/// Imports the incident file `path`, signed by the observer `key`, as `author`. Each row
/// is recorded whole with its evidence or rejected whole; the good rows are kept.
pub async fn import_incidents(
    store: &Store,
    election: &ElectionId,
    path: &Path,
    key: &CommissionKey,
    author: &str,
) -> Result<IncidentImportView, ObserveError> {
    let file = read_incidents(path).map_err(ObserveError::File)?;
    let source = path.display().to_string();
    let folder = path.parent().unwrap_or(Path::new("."));
    let read = |name: &str| {
        std::fs::read(folder.join(name))
            .map_err(|err| format!("evidence file {name} cannot be read: {err}"))
    };
    record_file(store, election, &source, file, &read, key, author).await
}

/// Records the incidents of `file`, read from `source`, signed by the observer `key`, as
/// `author`; `read` gives the bytes of an evidence file a row names. Each row is recorded
/// whole with its evidence or rejected whole; the good rows are kept.
pub async fn record_file(
    store: &Store,
    election: &ElectionId,
    source: &str,
    file: super::file::IncidentFile,
    read: &(dyn Fn(&str) -> Result<Vec<u8>, String> + Sync),
    key: &CommissionKey,
    author: &str,
) -> Result<IncidentImportView, ObserveError> {
    let observer = observer_of_key(store, election, &key.public_key().key_id()).await?;
    let source = source.to_owned();
    let stations: BTreeSet<String> =
        observe::stations(store, election).await?.into_iter().collect();
    let mut rejected = file_rejections(&file.rejected);
    let mut ready = Vec::new();
    for row in file.rows {
        match prepare(&row, &observer, read, &stations, election) {
            Ok((subject, payload, files)) => ready.push(Ready { row, subject, payload, files }),
            Err((field, rule, message)) => {
                rejected.push(reject(&source, &row, field, rule, &message));
            }
        }
    }
    // The evidence first, so that no recorded report names a file the store lacks.
    let files: Vec<Vec<u8>> = ready.iter().flat_map(|it| it.files.iter().cloned()).collect();
    put_evidence(store, files).await?;
    let mut view = IncidentImportView {
        election: election.to_string(),
        observer: observer.clone(),
        file: source.clone(),
        accepted: 0,
        unchanged: 0,
        evidence_files: 0,
        rejected: Vec::new(),
    };
    record(store, election, &ready, key, author, &mut view, &mut rejected).await?;
    rejected.sort_by_key(|it| it.line);
    view.rejected = rejected;
    Ok(view)
}

/// A row's subject, payload and evidence files.
type Prepared = (Subject, Vec<u8>, Vec<Vec<u8>>);

/// Why a row is rejected: the field, the rule and a message.
type Refusal = (&'static str, ObservationRule, String);

/// A row's subject, payload and evidence files, or the field, rule and message of why it
/// is rejected.
fn prepare(
    row: &IncidentRow,
    observer: &str,
    read: &(dyn Fn(&str) -> Result<Vec<u8>, String> + Sync),
    stations: &BTreeSet<String>,
    election: &ElectionId,
) -> Result<Prepared, Refusal> {
    if !stations.contains(&row.station) {
        let message = format!("station {} is not registered in election {election}", row.station);
        return Err(("station", ObservationRule::UnknownStation, message));
    }
    let (refs, files) = read_evidence(read, &row.evidence)
        .map_err(|message| ("evidence", ObservationRule::Evidence, message))?;
    let subject = station_subject(observer, &row.id)
        .map_err(|err| ("id", ObservationRule::IncidentRow, err.to_string()))?;
    let kind = row.kind.code();
    let payload =
        IncidentPayload::new(observer, &row.id, &row.station, &row.time, kind, &row.note, refs);
    Ok((subject, payload.bytes(), files))
}

/// The rejected rows of the file, with every diagnostic.
fn file_rejections(bad: &[super::file::RejectedIncident]) -> Vec<RejectedRow> {
    bad.iter()
        .map(|bad| RejectedRow {
            station: bad.station.clone(),
            line: bad.line,
            reasons: bad
                .diagnostics
                .iter()
                .map(|it| Reason {
                    rule: it.rule.code().to_owned(),
                    field: Some(it.field.clone()).filter(|field| !field.is_empty()),
                    message: it.to_string(),
                })
                .collect(),
        })
        .collect()
}

/// The evidence files `names`, by `read`: their references and bytes, or why one cannot
/// be read.
fn read_evidence(
    read: &(dyn Fn(&str) -> Result<Vec<u8>, String> + Sync),
    names: &[String],
) -> Result<(Vec<EvidenceRef>, Vec<Vec<u8>>), String> {
    let mut refs = Vec::with_capacity(names.len());
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        let bytes = read(name)?;
        let sha256 = saylau_store::digest::Digest::of(&bytes).to_hex();
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        refs.push(EvidenceRef { file: name.clone(), sha256, size });
        files.push(bytes);
    }
    Ok((refs, files))
}

/// Appends the `ready` reports as one signed batch, counting them into `view` and
/// `rejected`.
async fn record(
    store: &Store,
    election: &ElectionId,
    ready: &[Ready],
    key: &CommissionKey,
    author: &str,
    view: &mut IncidentImportView,
    rejected: &mut Vec<RejectedRow>,
) -> Result<(), ObserveError> {
    let (source, observer) = (view.file.clone(), view.observer.clone());
    let kind = kind(INCIDENT_KIND);
    let mut currents = Currents::new(election, &kind);
    let items: Vec<BatchItem<'_>> =
        ready.iter().map(|it| BatchItem::new(&it.subject, &it.payload, None, None)).collect();
    if !items.is_empty() {
        let submission = BatchSubmission { election, kind: &kind, author, items: &items };
        let outcome = bulk::append_batch(store, &submission, key, &mut currents).await?;
        for (it, res) in ready.iter().zip(outcome.items) {
            match res {
                Ok(Appended::Recorded { .. }) => {
                    view.accepted += 1;
                    view.evidence_files += it.files.len();
                }
                Ok(Appended::Unchanged { .. }) => view.unchanged += 1,
                Err(AppendError::Conflict { .. }) => {
                    let message = format!(
                        "observer {observer} already holds a different report {}; a report \
                         is recorded once, its follow-up with `saylau incidents status`",
                        it.row.id
                    );
                    rejected.push(reject(
                        &source,
                        &it.row,
                        "id",
                        ObservationRule::DuplicateIncident,
                        &message,
                    ));
                }
                Err(err) => {
                    let message = err.to_string();
                    rejected.push(reject(
                        &source,
                        &it.row,
                        "id",
                        ObservationRule::NotObserverKey,
                        &message,
                    ));
                }
            }
        }
    }
    Ok(())
}

/// What `saylau incidents status` did.
#[derive(Debug, Clone, Serialize)]
pub struct StateChangeView {
    /// The organisation.
    pub observer: String,
    /// The report.
    pub id: String,
    /// The state it left.
    pub from: IncidentState,
    /// The state it entered.
    pub to: IncidentState,
    /// The note.
    pub note: String,
    /// The log entry that recorded the change.
    pub seq: u64,
}

/// Moves report `id` of the key's organisation to `to`, with `note`, as a signed entry.
pub async fn change_state(
    store: &Store,
    election: &ElectionId,
    id: &str,
    to: IncidentState,
    note: &str,
    key: &CommissionKey,
    author: &str,
) -> Result<StateChangeView, ObserveError> {
    let observer = observer_of_key(store, election, &key.public_key().key_id()).await?;
    let id = own_id(id, &observer)?;
    let unknown = || {
        refused(
            ObservationRule::UnknownIncident,
            format!("observer {observer} has no incident {id} in election {election}"),
        )
    };
    if !is_incident_id(id) {
        return Err(unknown());
    }
    if note.trim().is_empty() {
        let message = "every change of an incident's state needs a note (--note)".to_owned();
        return Err(refused(ObservationRule::Workflow, message));
    }
    let subject = station_subject(&observer, id).map_err(|_| unknown())?;
    if ledger::current(store, election, &kind(INCIDENT_KIND), &subject).await?.is_none() {
        return Err(unknown());
    }
    let state_kind = kind(INCIDENT_STATE_KIND);
    let (from, current) = current_state(store, election, &state_kind, &subject).await?;
    if !from.can_move_to(to) {
        let next: Vec<&str> = from.next_states().into_iter().map(IncidentState::code).collect();
        let allowed = if next.is_empty() { "none".to_owned() } else { next.join(", ") };
        let message = format!(
            "incident {observer}/{id} is {from}; it cannot move to {to} (from {from}: {allowed})"
        );
        return Err(refused(ObservationRule::Workflow, message));
    }
    let payload = StatePayload::new(&observer, id, from.code(), to.code(), note).bytes();
    let base = current;
    let submission = Submission {
        election,
        kind: &state_kind,
        subject: &subject,
        payload: &payload,
        base,
        reason: base.map(|_| note),
        author,
    };
    match ledger::append(store, &submission, key).await? {
        Appended::Recorded { seq, .. } => Ok(StateChangeView {
            observer,
            id: id.to_owned(),
            from,
            to,
            note: note.to_owned(),
            seq: seq.0,
        }),
        Appended::Unchanged { .. } => Err(refused(
            ObservationRule::Workflow,
            format!("incident {observer}/{id} is {to} already"),
        )),
    }
}

/// The id of `id` (`ID` or `ORG/ID`) within the key's organisation `observer`.
fn own_id<'a>(id: &'a str, observer: &str) -> Result<&'a str, ObserveError> {
    match id.split_once('/') {
        Some((org, _)) if org != observer => {
            let message =
                format!("incident {id} is not observer {observer}'s: its key changes only its own");
            Err(refused(ObservationRule::UnknownIncident, message))
        }
        Some((_, id)) => Ok(id),
        None => Ok(id),
    }
}

/// The report's current state and the version of its state entry (`None` before the
/// first change: the state is `reported`).
async fn current_state(
    store: &Store,
    election: &ElectionId,
    state_kind: &Kind,
    subject: &Subject,
) -> Result<(IncidentState, Option<saylau_store::entry::Version>), ObserveError> {
    let Some(current) = ledger::current(store, election, state_kind, subject).await? else {
        return Ok((IncidentState::Reported, None));
    };
    let stored = |detail: String| ObserveError::Stored { subject: subject.to_string(), detail };
    let bytes = ledger::payload(store, election, state_kind, subject, current.version)
        .await?
        .unwrap_or_default();
    let change = StatePayload::read(&bytes).map_err(stored)?;
    let state = change.to.parse().map_err(|err: UnknownState| stored(err.to_string()))?;
    Ok((state, Some(current.version)))
}
