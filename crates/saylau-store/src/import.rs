//! Importing protocols: the election's commission hierarchy is registered where it is
//! missing, then every protocol becomes a version of its station in the log, appended in
//! signed batches of [`ImportOptions::batch_size`] protocols, one transaction each.
//!
//! Each protocol is decided against the version of its station that the import saw when
//! it began (`docs/protocol.md`, "Importing"): no version yet makes a first version; the
//! same content is unchanged, so running an import again adds nothing; other content is
//! a correction, which needs a reason and names the version it corrects, either from the
//! file (`base_version`) or, with [`ImportOptions::base_current`], the version the import
//! saw. A correction whose base is no longer current when its batch is written is a
//! conflict, and nothing is recorded for it.

use std::collections::{BTreeMap, BTreeSet};

use saylau_core::count::commission::{CommissionId as CoreCommissionId, Hierarchy, StationId};
use saylau_core::count::protocol::{BallotLists, Protocol};

use crate::bulk::{self, BatchItem, BatchOutcome, BatchSubmission};
use crate::current::Currents;
use crate::digest::Digest;
use crate::entry::Version;
use crate::id::{CommissionId, ElectionId, Kind, ListId, Subject};
use crate::key::CommissionKey;
use crate::ledger::{AppendError, Appended};
use crate::payload::{PROTOCOL_KIND, ProtocolEncoder};
use crate::registry::{
    self, Commission, Election, Level, OwnedRegistration, PartyList, Registered, RegistryError,
};
use crate::sqlite::write as sqlite_write;
use crate::store::{Db, Store};

/// Protocols to import, with what the registry needs besides them.
#[derive(Debug, Clone, Copy)]
pub struct ImportInput<'a> {
    /// The election; registered if missing.
    pub election: &'a Election,
    /// The lists on the ballot, in ballot order; they become the election's lists, or
    /// must be its registered lists in the same order.
    pub ballot: &'a BallotLists,
    /// The names of region and district commissions.
    pub hierarchy: &'a Hierarchy,
    /// The protocols, one per station.
    pub protocols: &'a [Protocol],
    /// The version each correction replaces, by station, as the file names it.
    pub base_versions: &'a BTreeMap<StationId, u64>,
}

/// How to import.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions<'a> {
    /// Who submits the protocols; recorded in every entry.
    pub author: &'a str,
    /// Why protocols that differ from their station's current version replace it.
    pub reason: Option<&'a str>,
    /// A correction without a base version in the file replaces the version the import
    /// saw when it began.
    pub base_current: bool,
    /// Protocols per batch (and per transaction), at least 1.
    pub batch_size: usize,
}

/// A protocol recorded as a correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The station.
    pub station: String,
    /// The new version.
    pub version: u64,
}

/// A protocol that was not recorded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The station.
    pub station: String,
    /// Its current version, when it has one.
    pub current: Option<u64>,
    /// The version the protocol was based on, when it names one.
    pub base: Option<u64>,
    /// A stable code: `reason_required`, `base_required`, `conflict`, `not_authorised` or
    /// `invalid_text`.
    pub code: &'static str,
    /// What happened, naming the station and its versions.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// What the registry gained.
    pub registered: Registered,
    /// First versions recorded.
    pub accepted: usize,
    /// Corrections recorded.
    pub corrections: Vec<Correction>,
    /// Protocols equal to their station's current version.
    pub unchanged: usize,
    /// Protocols refused before their batch: corrections without a reason or a base.
    pub refused: Vec<Refusal>,
    /// Protocols whose base was not current when their batch was written.
    pub conflicts: Vec<Refusal>,
    /// Signed batches appended.
    pub batches: usize,
}

/// An import that stopped; the batches committed before it stay in the log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The election, its lists or its hierarchy cannot be registered.
    #[error("registering the election: {0}")]
    Registry(#[from] RegistryError),
    /// A batch could not be appended.
    #[error("appending protocols: {0}")]
    Append(#[from] AppendError),
    /// The writer failed.
    #[error("appending protocols: {0}")]
    Database(#[from] crate::error::DatabaseError),
}

/// One protocol, ready for its batch.
struct Planned {
    subject: Subject,
    payload: Vec<u8>,
    content_hash: Digest,
    base: Option<Version>,
}

/// What planning an import needs, owned, so that it runs on the blocking pool.
struct Job {
    protocols: Vec<Protocol>,
    ballot: BallotLists,
    base_versions: BTreeMap<StationId, u64>,
    reason: Option<String>,
    base_current: bool,
    batch_size: usize,
    author: String,
    election: ElectionId,
    kind: Kind,
}

impl Job {
    /// The items of `planned`'s batches of [`ImportOptions::batch_size`].
    fn items<'a>(&'a self, planned: &'a [Planned]) -> Vec<Vec<BatchItem<'a>>> {
        planned
            .chunks(self.batch_size)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|it| BatchItem {
                        subject: &it.subject,
                        payload: &it.payload,
                        content_hash: it.content_hash,
                        base: it.base,
                        reason: self.reason.as_deref(),
                    })
                    .collect()
            })
            .collect()
    }

    /// The batches of `items`.
    fn submissions<'a>(&'a self, items: &'a [Vec<BatchItem<'a>>]) -> Vec<BatchSubmission<'a>> {
        let (election, kind, author) = (&self.election, &self.kind, self.author.as_str());
        items.iter().map(|items| BatchSubmission { election, kind, author, items }).collect()
    }
}

/// The most protocols encoded and planned at a time: an import runs in chunks of about
/// this many (a whole number of batches), so that its memory holds the payloads and
/// planned batches of one chunk, not of the whole import (issue 10: 1,000,000 protocols
/// under 500 MB).
const CHUNK: usize = 25_000;

/// Imports `input` signed with `key`; `progress` is told how many protocols are done.
///
/// The protocols are imported in chunks of about 25,000 (whole batches): each chunk
/// registers the commissions it names, reads the current versions of its stations and
/// appends its batches. A chunk's protocols are decided against the versions current when
/// the chunk begins; as every station is in an import once, that is what the import saw
/// when it began unless another writer changed the station meanwhile.
pub async fn import_protocols(
    store: &Store,
    input: &ImportInput<'_>,
    options: &ImportOptions<'_>,
    key: &CommissionKey,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<ImportReport, ImportError> {
    let batch = options.batch_size.max(1);
    let chunk = (CHUNK / batch).max(1).saturating_mul(batch);
    let mut report = ImportReport::default();
    let mut offset = 0;
    // An empty import still registers the election and its lists.
    let chunks: Vec<&[Protocol]> = match input.protocols.len() {
        0 => vec![input.protocols],
        _ => input.protocols.chunks(chunk).collect(),
    };
    for protocols in chunks {
        let part = ImportInput { protocols, ..*input };
        let mut tick = |done: usize| progress(offset + done);
        let done = import_chunk(store, &part, options, key, &mut tick).await?;
        report.registered.lists += done.registered.lists;
        report.registered.commissions += done.registered.commissions;
        report.registered.stations += done.registered.stations;
        report.accepted += done.accepted;
        report.corrections.extend(done.corrections);
        report.unchanged += done.unchanged;
        report.refused.extend(done.refused);
        report.conflicts.extend(done.conflicts);
        report.batches += done.batches;
        offset += protocols.len();
    }
    Ok(report)
}

/// Registers what `input` names (its election, lists and commissions, each station as its
/// PEC) where missing, in one transaction recorded by one entry signed with `key`, and
/// appends none of its protocols: the stations are expected before their first protocol
/// (`saylau import --register-only`). Running it again adds nothing.
pub async fn register_only(
    store: &Store,
    input: &ImportInput<'_>,
    key: &CommissionKey,
) -> Result<Registered, ImportError> {
    let registration = OwnedRegistration {
        election: input.election.clone(),
        lists: party_lists(input.ballot)?,
        commissions: hierarchy(input),
    };
    Ok(registry::register_missing(store, &registration.get(), key).await?)
}

/// Imports one chunk of protocols.
async fn import_chunk(
    store: &Store,
    input: &ImportInput<'_>,
    options: &ImportOptions<'_>,
    key: &CommissionKey,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<ImportReport, ImportError> {
    let lists = party_lists(input.ballot)?;
    let kind: Kind = PROTOCOL_KIND.parse().expect("the protocol kind is an id");
    let registration = OwnedRegistration {
        election: input.election.clone(),
        lists,
        commissions: hierarchy(input),
    };
    // The registration's entry comes first in the log, so the batches are planned from the
    // head after it.
    let registered = registry::register_missing(store, &registration.get(), key).await;
    // Only this chunk's stations: a million stations' current versions would cost about
    // 200 MB by the last chunk.
    let subjects = input.protocols.iter().map(|it| station_subject(it.station())).collect();
    let currents = bulk::read_currents_of(store, &input.election.id, &kind, subjects).await?;
    let job = Job {
        protocols: input.protocols.to_vec(),
        ballot: input.ballot.clone(),
        base_versions: input.base_versions.clone(),
        reason: options.reason.map(str::to_owned),
        base_current: options.base_current,
        batch_size: options.batch_size.max(1),
        author: options.author.to_owned(),
        election: input.election.id.clone(),
        kind,
    };
    // Encoding and hashing the protocols, and on SQLite deciding, chaining and signing
    // their batches ahead (the writer checks before each batch that the log's head and the
    // key's authority are still what they assume), run on the blocking pool beside the
    // registration.
    let ahead = matches!(store.db(), Db::Sqlite(_));
    let planner =
        tokio::task::spawn_blocking(Planning::make(job, currents, key.duplicate(), ahead));
    let (planning, refused) = crate::sqlite::joined(planner).await?;
    let report = ImportReport { registered: registered?, refused, ..ImportReport::default() };
    // The protocols refused before their batch are done.
    let done = input.protocols.len() - planning.planned.len();
    progress(done);
    match store.db() {
        Db::Sqlite(sqlite) => append_sqlite(sqlite, planning, key, report, done, progress).await,
        Db::Postgres(_) => {
            let (Planning { job, planned, mut currents, .. }, mut report) = (planning, report);
            let items = job.items(&planned);
            let mut done = done;
            for (submission, chunk) in
                job.submissions(&items).iter().zip(planned.chunks(job.batch_size))
            {
                let outcome = bulk::append_batch(store, submission, key, &mut currents).await?;
                tally_batch(&mut report, chunk, outcome);
                done += chunk.len();
                progress(done);
            }
            store.refresh_statistics().await.map_err(AppendError::from)?;
            Ok(report)
        }
    }
}

/// An import's protocols, encoded and decided, with their batches planned ahead on SQLite.
struct Planning {
    job: Job,
    planned: Vec<Planned>,
    currents: Currents,
    ahead: Option<sqlite_write::Ahead>,
}

impl Planning {
    /// The planning of `job` from `currents`, to run on the blocking pool; returns it with
    /// the protocols refused before their batch.
    fn make(
        job: Job,
        mut currents: Currents,
        key: CommissionKey,
        ahead: bool,
    ) -> impl FnOnce() -> (Planning, Vec<Refusal>) + Send + 'static {
        move || {
            let (planned, refused) = plan(&job, &currents);
            let ahead = if ahead {
                let items = job.items(&planned);
                bulk::plan_ahead(&job.submissions(&items), &key, &mut currents)
            } else {
                None
            };
            (Planning { job, planned, currents, ahead }, refused)
        }
    }
}

/// The append phase of an import on SQLite, on the writer connection; `progress` is told
/// after each batch while the writer waits, as on PostgreSQL.
async fn append_sqlite(
    sqlite: &crate::sqlite::Sqlite,
    planning: Planning,
    key: &CommissionKey,
    report: ImportReport,
    mut done: usize,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<ImportReport, ImportError> {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let (told, wait) = std::sync::mpsc::channel();
    let key = key.duplicate();
    let rows = planning.planned.len();
    let writer = sqlite.spawn_write(move |conn| {
        let tell = Progress { sender, wait: std::sync::Mutex::new(wait) };
        let work = |conn: &mut _| write_batches(conn, planning, &key, report, &tell);
        sqlite_write::bulk_unless_small(conn, rows, work)
    });
    while let Some(count) = receiver.recv().await {
        done += count;
        progress(done);
        // The writer only stops waiting when it failed.
        let _ = told.send(());
    }
    crate::sqlite::joined(writer).await?
}

/// The batches of an import on the SQLite writer connection: those planned ahead as long
/// as they hold, the rest one by one; `tell` is told how many protocols each one decided.
fn write_batches(
    conn: &mut rusqlite::Connection,
    planning: Planning,
    key: &CommissionKey,
    mut report: ImportReport,
    tell: &Progress,
) -> Result<ImportReport, ImportError> {
    let Planning { job, planned, mut currents, ahead } = planning;
    let items = job.items(&planned);
    let submissions = job.submissions(&items);
    let chunks: Vec<&[Planned]> = planned.chunks(job.batch_size).collect();
    let mut on_outcome = |idx: usize, outcome: BatchOutcome| {
        tally_batch(&mut report, chunks[idx], outcome);
        tell.batch(chunks[idx].len());
    };
    let done = sqlite_write::append_batches(
        conn,
        &submissions,
        key,
        &mut currents,
        ahead,
        &mut on_outcome,
    )?;
    for (idx, submission) in submissions.iter().enumerate().skip(done) {
        let outcome = sqlite_write::append_batch(conn, submission, key, &mut currents)?;
        on_outcome(idx, outcome);
    }
    Ok(report)
}

/// The writer's side of an import's progress.
struct Progress {
    sender: tokio::sync::mpsc::UnboundedSender<usize>,
    wait: std::sync::Mutex<std::sync::mpsc::Receiver<()>>,
}

impl Progress {
    /// Tells that `count` more protocols are done, and waits until they were reported (or
    /// the import was dropped).
    fn batch(&self, count: usize) {
        if self.sender.send(count).is_ok() {
            let wait = self.wait.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let _ = wait.recv();
        }
    }
}

/// Counts the outcome of one batch of `chunk`.
fn tally_batch(report: &mut ImportReport, chunk: &[Planned], outcome: BatchOutcome) {
    report.batches += usize::from(outcome.batch.is_some());
    for (item, res) in chunk.iter().zip(outcome.items) {
        tally(report, item, res);
    }
}

/// Encodes every protocol and decides its base against `currents`, the versions seen
/// when the import began; corrections without a reason or a base are refused here.
fn plan(job: &Job, currents: &Currents) -> (Vec<Planned>, Vec<Refusal>) {
    let encoder = ProtocolEncoder::new(&job.ballot);
    let mut res = Vec::with_capacity(job.protocols.len());
    let mut refused = Vec::new();
    for protocol in &job.protocols {
        let station = protocol.station();
        let subject = station_subject(station);
        let payload = encoder.payload(protocol);
        let content_hash = Digest::of(&payload);
        let file_base = job.base_versions.get(&station).copied().map(Version);
        let current = currents.get(&subject);
        let base = match current {
            Some(current) if current.content_hash == content_hash => Some(current.version),
            Some(current) => {
                let refusal = |code, message: String| Refusal {
                    station: station.to_string(),
                    current: Some(current.version.0),
                    base: file_base.map(|it| it.0),
                    code,
                    message,
                };
                let version = current.version;
                if job.reason.as_deref().is_none_or(|reason| reason.trim().is_empty()) {
                    refused.push(refusal(
                        "reason_required",
                        format!(
                            "station {station}: version {version} is current and this protocol \
                             differs from it: a correction needs --reason"
                        ),
                    ));
                    continue;
                }
                match file_base {
                    Some(base) => Some(base),
                    None if job.base_current => Some(version),
                    None => {
                        refused.push(refusal(
                            "base_required",
                            format!(
                                "station {station}: version {version} is current and this \
                                 protocol differs from it: a correction names the version it \
                                 corrects (a base_version column, or --base-current)"
                            ),
                        ));
                        continue;
                    }
                }
            }
            None => file_base,
        };
        res.push(Planned { subject, payload, content_hash, base });
    }
    (res, refused)
}

/// The log's subject of a station's protocol: its id.
fn station_subject(station: StationId) -> Subject {
    station.to_string().parse().expect("a station id is an id")
}

/// Counts one protocol's outcome.
fn tally(report: &mut ImportReport, item: &Planned, res: Result<Appended, AppendError>) {
    let station = item.subject.to_string();
    match res {
        Ok(Appended::Recorded { version, .. }) if version.0 == 1 => report.accepted += 1,
        Ok(Appended::Recorded { version, .. }) => {
            report.corrections.push(Correction { station, version: version.0 });
        }
        Ok(Appended::Unchanged { .. }) => report.unchanged += 1,
        Err(AppendError::Conflict { base, current, .. }) => {
            let show =
                |it: Option<Version>| it.map_or_else(|| "none".to_owned(), |v| v.to_string());
            let message = format!(
                "station {station}: conflict: based on version {}, but version {} is current",
                show(base),
                show(current)
            );
            let (base, current) = (base.map(|it| it.0), current.map(|it| it.0));
            report.conflicts.push(Refusal { station, current, base, code: "conflict", message });
        }
        Err(err) => {
            let code = match err {
                AppendError::NotAuthorised { .. } => "not_authorised",
                AppendError::ReasonRequired { .. } => "reason_required",
                _ => "invalid_text",
            };
            let base = item.base.map(|it| it.0);
            let message = format!("station {err}");
            report.refused.push(Refusal { station, current: None, base, code, message });
        }
    }
}

/// The ballot's lists in ballot order, registered in that order.
fn party_lists(ballot: &BallotLists) -> Result<Vec<PartyList>, RegistryError> {
    let mut res = Vec::with_capacity(ballot.len());
    for (list, registration) in ballot.lists().iter().zip(1u32..) {
        let id = ListId::new(list.id.as_str())?;
        res.push(PartyList { id, name: list.name.clone(), registration });
    }
    Ok(res)
}

/// The commissions the protocols name, parents first; a station is its PEC.
fn hierarchy(input: &ImportInput<'_>) -> Vec<Commission> {
    let names = input.hierarchy;
    let id = |commission: CoreCommissionId| -> CommissionId {
        commission.to_string().parse().expect("a commission id is an id")
    };
    let name = |commission: CoreCommissionId| {
        names.name(commission).unwrap_or_else(|| format!("commission {commission}"))
    };
    let regions: BTreeSet<_> = input.protocols.iter().map(|it| it.station().region()).collect();
    let districts: BTreeSet<_> = input.protocols.iter().map(|it| it.station().district()).collect();
    let central = CoreCommissionId::Central;
    let mut commissions =
        Vec::with_capacity(1 + regions.len() + districts.len() + input.protocols.len());
    commissions.push(Commission {
        id: id(central),
        parent: None,
        level: Level::Cec,
        name: name(central),
    });
    for region in regions {
        let commission = CoreCommissionId::Region(region);
        let parent = Some(id(central));
        commissions.push(Commission {
            id: id(commission),
            parent,
            level: Level::Region,
            name: name(commission),
        });
    }
    for district in districts {
        let commission = CoreCommissionId::District(district);
        let parent = Some(id(CoreCommissionId::Region(district.region())));
        commissions.push(Commission {
            id: id(commission),
            parent,
            level: Level::District,
            name: name(commission),
        });
    }
    let mut district_ids = std::collections::HashMap::new();
    for protocol in input.protocols {
        let station = protocol.station();
        // The station's id is formatted once: it is the PEC's id and, in "polling station
        // RR-DD-SSSS", its name (`Hierarchy::name`).
        let text = station.to_string();
        let district = station.district();
        let parent = district_ids
            .entry(district)
            .or_insert_with(|| id(CoreCommissionId::District(district)))
            .clone();
        let name = format!("polling station {text}");
        let pec = text.parse().expect("a station id is an id");
        commissions.push(Commission { id: pec, parent: Some(parent), level: Level::Pec, name });
    }
    commissions
}
