//! Incidents (`docs/observation.md`, "Incidents"): observers' structured violation
//! reports tied to a station and a time, their evidence files, their follow-up, and the
//! summaries an observer group publishes.
//!
//! - [`file`](mod@file) reads incident files (CSV or JSON), row by row;
//! - [`record::import_incidents`] records a file's reports, signed by an observer key,
//!   with their evidence; [`record::change_state`] moves one along the workflow of
//!   [`IncidentState`];
//! - [`summary::summary`] builds [`summary::IncidentSummary`], the view model of
//!   `saylau incidents summary`, the observer report and the portal;
//! - [`incidents`] reads every report with its state, and [`export`] adds each one's
//!   history and checks its evidence files against their SHA-256.

pub mod file;
pub mod payload;
pub mod record;
pub mod summary;
pub mod synthetic;

use saylau_core::count::incident::{IncidentState, IncidentType, Labels, hour_of};
use saylau_formats::rule::ObservationRule;
use saylau_store::digest::Digest;
use saylau_store::id::ElectionId;
use saylau_store::incident::{
    Evidence, INCIDENT_KIND, INCIDENT_STATE_KIND, evidence, state_changes,
};
use saylau_store::observe::current_entries;
use saylau_store::store::Store;
use serde::Serialize;

use crate::observe::ObserveError;
use payload::{IncidentPayload, StatePayload};

pub use saylau_core::count::incident::IncidentState as State;
pub use summary::{IncidentSummary, summary};

/// One incident report as the store holds it now.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    /// The organisation that reported it.
    pub observer: String,
    /// Its id within the organisation.
    pub id: String,
    /// The polling station.
    pub station: String,
    /// The station's region (`RR`).
    pub region: String,
    /// When, as reported.
    pub time: String,
    /// The hour of `time` (0-23).
    pub hour: u8,
    /// The type's code.
    #[serde(rename = "type")]
    pub kind: IncidentType,
    /// The type's labels.
    pub labels: Labels,
    /// What the observer wrote.
    pub note: String,
    /// Where it is in its follow-up.
    pub state: IncidentState,
    /// Its evidence files.
    pub evidence: Vec<EvidenceView>,
    /// The log entry of the report.
    pub seq: u64,
    /// When the report was recorded (UTC).
    pub recorded_at: String,
    /// Every change of its state, oldest first (filled by [`export`] only).
    pub history: Vec<StateChange>,
}

/// An evidence file of a report.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    /// Its name as given.
    pub file: String,
    /// Its SHA-256, as the signed report names it.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// `ok`, `missing` or `mismatch` when [`export`] read the stored file; `unchecked`
    /// otherwise.
    pub check: &'static str,
}

/// A change of a report's state.
#[derive(Debug, Clone, Serialize)]
pub struct StateChange {
    /// The state it left.
    pub from: String,
    /// The state it entered.
    pub to: String,
    /// The note.
    pub note: String,
    /// The log entry.
    pub seq: u64,
    /// When (UTC).
    pub recorded_at: String,
}

fn stored(subject: &str, detail: impl ToString) -> ObserveError {
    ObserveError::Stored { subject: subject.to_owned(), detail: detail.to_string() }
}

/// Every incident report of `election` with its current state, by observer and id.
pub async fn incidents(
    store: &Store,
    election: &ElectionId,
) -> Result<Vec<IncidentView>, ObserveError> {
    let states = current_entries(store, election, INCIDENT_STATE_KIND).await?;
    let states: std::collections::BTreeMap<String, Vec<u8>> =
        states.into_iter().map(|it| (it.subject, it.payload)).collect();
    let mut out = Vec::new();
    for entry in current_entries(store, election, INCIDENT_KIND).await? {
        let report =
            IncidentPayload::read(&entry.payload).map_err(|err| stored(&entry.subject, err))?;
        let kind: IncidentType = report.kind.parse().map_err(|err| stored(&entry.subject, err))?;
        let state = match states.get(&entry.subject) {
            None => IncidentState::Reported,
            Some(bytes) => {
                let change =
                    StatePayload::read(bytes).map_err(|err| stored(&entry.subject, err))?;
                change.to.parse().map_err(|err| stored(&entry.subject, err))?
            }
        };
        let hour = hour_of(&report.time).ok_or_else(|| stored(&entry.subject, "a bad time"))?;
        out.push(IncidentView {
            region: report.station.get(..2).unwrap_or("").to_owned(),
            observer: report.observer,
            id: report.id,
            station: report.station,
            time: report.time,
            hour,
            kind,
            labels: kind.labels(),
            note: report.note,
            state,
            evidence: report
                .evidence
                .into_iter()
                .map(|it| EvidenceView {
                    file: it.file,
                    sha256: it.sha256,
                    size: it.size,
                    check: "unchecked",
                })
                .collect(),
            seq: entry.seq,
            recorded_at: entry.recorded_at,
            history: Vec::new(),
        });
    }
    Ok(out)
}

/// What `saylau incidents export` prints.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentsExport {
    /// The election.
    pub election: String,
    /// Every report with its history and checked evidence.
    pub incidents: Vec<IncidentView>,
    /// Evidence files whose stored bytes are missing or do not hash to what the signed
    /// report names (each `OBSERVER/ID: FILE: problem`); empty when all are intact.
    pub evidence_problems: Vec<String>,
}

/// Every report with its history, each evidence file read and checked against its hash.
pub async fn export(store: &Store, election: &ElectionId) -> Result<IncidentsExport, ObserveError> {
    let mut all = incidents(store, election).await?;
    let mut changes: std::collections::BTreeMap<String, Vec<StateChange>> = Default::default();
    for change in state_changes(store, election).await? {
        let payload =
            StatePayload::read(&change.payload).map_err(|err| stored(&change.subject, err))?;
        changes.entry(change.subject).or_default().push(StateChange {
            from: payload.from,
            to: payload.to,
            note: payload.note,
            seq: change.seq,
            recorded_at: change.recorded_at,
        });
    }
    let mut problems = Vec::new();
    for incident in &mut all {
        let name = format!("{}/{}", incident.observer, incident.id);
        incident.history = changes.remove(&name).unwrap_or_default();
        let hashes: Vec<Digest> = incident
            .evidence
            .iter()
            .map(|it| it.sha256.parse().map_err(|err| stored(&name, err)))
            .collect::<Result<_, _>>()?;
        for (view, found) in incident.evidence.iter_mut().zip(evidence(store, &hashes).await?) {
            view.check = match found {
                Evidence::Found(_) => "ok",
                Evidence::Missing => "missing",
                Evidence::Mismatch { .. } => "mismatch",
            };
            if view.check != "ok" {
                problems.push(format!(
                    "{name}: evidence {} ({}) is {} in the store (rule {})",
                    view.file,
                    view.sha256,
                    if view.check == "missing" {
                        "missing"
                    } else {
                        "changed: its bytes do not hash to it"
                    },
                    ObservationRule::Evidence
                ));
            }
        }
    }
    Ok(IncidentsExport {
        election: election.to_string(),
        incidents: all,
        evidence_problems: problems,
    })
}

impl IncidentsExport {
    /// The reports as CSV: `observer,id,station,region,time,type,state,note,evidence,seq`,
    /// each evidence file as `FILE=SHA256:CHECK`, `;` between files.
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record([
            "observer", "id", "station", "region", "time", "type", "state", "note", "evidence",
            "seq",
        ])?;
        for it in &self.incidents {
            let evidence: Vec<String> = it
                .evidence
                .iter()
                .map(|ev| format!("{}={}:{}", ev.file, ev.sha256, ev.check))
                .collect();
            writer.write_record([
                it.observer.as_str(),
                &it.id,
                &it.station,
                &it.region,
                &it.time,
                it.kind.code(),
                it.state.code(),
                &it.note,
                &evidence.join(";"),
                &it.seq.to_string(),
            ])?;
        }
        let bytes = writer.into_inner().map_err(|err| csv::Error::from(err.into_error()))?;
        Ok(String::from_utf8(bytes).unwrap_or_default())
    }
}
