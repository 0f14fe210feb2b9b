//! One observer record from the working interface's forms (`saylau-web`, `/work/o/`): a
//! copy of a station's protocol, a station's status, or an incident report, each through
//! the same path as the file it could have come in (`saylau observe import`, `saylau
//! incidents import`), signed by the organisation's observer key, and never into the
//! official totals (observer kinds of their own, `saylau_store::observe`).
//!
//! Who may file what is [`may_observe`] and [`may_move_incidents`]; the web checks them
//! before it calls these.

use saylau_core::count::commission::StationId;
use saylau_core::count::incident::IncidentType;
use saylau_core::count::protocol::{BallotLists, ProtocolLines};
use saylau_store::id::ElectionId;
use saylau_store::key::CommissionKey;
use saylau_store::observe::organisation_of;
use saylau_store::store::Store;
use saylau_store::users::{Role, User};

use super::import::{ImportView, Row, Source, record_rows, status_problem, status_reject};
use super::payload::{CopyPayload, StatusPayload};
use super::{ObserveError, observer_of_key};
use crate::incidents::file::parse_incidents;
use crate::incidents::record::{IncidentImportView, record_file};

/// What the messages of a form's record name as its file.
pub const FORM: &str = "web form";

/// The organisation an observer user works for (`observer:ORG`), if `user` is an active
/// observer or observer-group coordinator.
pub fn organisation(user: &User) -> Option<&str> {
    (user.role.is_observer() && !user.disabled).then(|| organisation_of(&user.territory)).flatten()
}

/// Whether `user`'s role may file copies, statuses and incidents about `station` at all:
/// an active observer or coordinator of an organisation, for a station id. An
/// organisation's stations are every station of the election; which of them an observer
/// files for is the deployment plan ([`super::deploy::may_file`], which the working
/// interface checks). What the user files is always its own organisation's (signed by its
/// key, under its subjects), never another's and never an official protocol.
pub fn may_observe(user: &User, station: &str) -> bool {
    organisation(user).is_some() && StationId::parse(station).is_ok()
}

/// Whether `user` may move its organisation's incidents along their workflow: an active
/// observer-group coordinator.
pub fn may_move_incidents(user: &User) -> bool {
    user.role == Role::ObserverCoordinator && organisation(user).is_some()
}

/// Files an observer's copy of `station`'s protocol, signed by the organisation's `key`: a
/// copy that breaks control relations is recorded with the rules it breaks (evidence), a
/// second, different copy of the station is rejected, as in a file import.
pub async fn file_copy(
    store: &Store,
    election: &ElectionId,
    ballot: &BallotLists,
    station: StationId,
    lines: &ProtocolLines,
    key: &CommissionKey,
    author: &str,
) -> Result<ImportView, ObserveError> {
    let observer = observer_of_key(store, election, &key.public_key().key_id()).await?;
    let mut breaks: Vec<String> =
        crate::entry::check(station, lines, ballot).into_iter().map(|it| it.rule).collect();
    breaks.dedup();
    let station = station.to_string();
    let payload = CopyPayload::new(&observer, &station, lines, ballot, breaks.clone()).bytes();
    let row = Row { station, line: None, payload, breaks };
    let source = Source { observer: &observer, file: FORM, statuses: false };
    record_rows(store, election, &source, vec![row], Vec::new(), key, author).await
}

/// Files the status of `station` (`obtained`, `refused`, `not-admitted`, `removed`) at
/// `time`, signed by the organisation's `key`, as one row of a status file.
#[expect(clippy::too_many_arguments)] // one row's fields, as the status file has them
pub async fn file_status(
    store: &Store,
    election: &ElectionId,
    station: &str,
    status: &str,
    time: &str,
    note: &str,
    key: &CommissionKey,
    author: &str,
) -> Result<ImportView, ObserveError> {
    let observer = observer_of_key(store, election, &key.public_key().key_id()).await?;
    let source = Source { observer: &observer, file: FORM, statuses: true };
    let (station, status, time) = (station.trim(), status.trim(), time.trim());
    if let Some((field, message)) = status_problem(FORM, station, status, time) {
        let rejected = vec![status_reject(Some(station.to_owned()), None, field, message)];
        return record_rows(store, election, &source, Vec::new(), rejected, key, author).await;
    }
    let payload = StatusPayload::new(&observer, station, status, time, note).bytes();
    let row = Row { station: station.to_owned(), line: None, payload, breaks: Vec::new() };
    record_rows(store, election, &source, vec![row], Vec::new(), key, author).await
}

/// An incident report as a form gives it.
#[derive(Debug, Clone)]
pub struct IncidentForm<'a> {
    /// The organisation's id of the report.
    pub id: &'a str,
    /// The station.
    pub station: &'a str,
    /// When (`YYYY-MM-DDTHH:MM`).
    pub time: &'a str,
    /// The type's code.
    pub kind: &'a str,
    /// What the observer saw.
    pub note: &'a str,
    /// Uploaded evidence: a file name and its bytes.
    pub evidence: Vec<(String, Vec<u8>)>,
}

/// Files an incident report with its evidence, signed by the organisation's `key`: the
/// form is read as one row of an incident file (the same checks: id, station, time, type
/// of `saylau_core::count::incident`, note), its evidence kept by SHA-256.
pub async fn file_incident(
    store: &Store,
    election: &ElectionId,
    form: &IncidentForm<'_>,
    key: &CommissionKey,
    author: &str,
) -> Result<IncidentImportView, ObserveError> {
    // One row of a JSON incident file (JSON, not CSV: a note may hold anything).
    let names: Vec<&str> = form.evidence.iter().map(|(name, _)| name.as_str()).collect();
    let row = serde_json::json!({
        "id": form.id, "station": form.station, "time": form.time, "type": form.kind,
        "note": form.note, "evidence": names,
    });
    let text = serde_json::json!({
        "format": crate::incidents::file::INCIDENTS_FORMAT, "version": 1, "incidents": [row],
    })
    .to_string();
    let file = parse_incidents(FORM, &text, true).map_err(ObserveError::File)?;
    let read = |name: &str| {
        form.evidence
            .iter()
            .find(|(file, _)| file == name)
            .map(|(_, bytes)| bytes.clone())
            .ok_or_else(|| format!("evidence file {name} was not uploaded"))
    };
    record_file(store, election, FORM, file, &read, key, author).await
}

/// The incident types a form offers, by code.
pub fn incident_types() -> Vec<IncidentType> {
    saylau_core::count::incident::INCIDENT_TYPES.to_vec()
}
