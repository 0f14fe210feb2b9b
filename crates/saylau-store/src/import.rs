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

mod plan;

use plan::{Encoded, Encoding, Job, Planned, Planning, encode};

use std::collections::{BTreeMap, BTreeSet};

use saylau_core::count::commission::{CommissionId as CoreCommissionId, Hierarchy, StationId};
use saylau_core::count::protocol::{BallotLists, Protocol};

use crate::bulk::{self, BatchOutcome};
use crate::entry::Version;
use crate::id::{CommissionId, Kind, ListId};
use crate::key::CommissionKey;
use crate::ledger::{AppendError, Appended};
use crate::payload::PROTOCOL_KIND;
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
    import_prepared(store, input, None, options, key, progress).await
}

/// Protocols encoded for the log ahead of their import: each one's canonical payload and
/// its hash. A reader of files makes them for the next chunk on its own thread while the
/// store writes the chunk before ([`import_prepared`]); encoding is the same work
/// [`import_protocols`] does itself, moved off the writer's path.
pub struct Prepared {
    ballot: BallotLists,
    encoded: Vec<Encoded>,
}

impl Prepared {
    /// Encodes and hashes `protocols` on the lists of `ballot`.
    pub fn new(ballot: &BallotLists, protocols: &[Protocol]) -> Prepared {
        Prepared { ballot: ballot.clone(), encoded: encode(ballot, protocols) }
    }
}

/// [`import_protocols`] with the protocols of `input` encoded already (`prepared`), or
/// encoded here when `None`.
///
/// # Panics
///
/// When `prepared` was made of other protocols or another ballot than `input`'s: that is
/// a mistake of the caller, which would otherwise sign payloads that are not the file's.
pub async fn import_prepared(
    store: &Store,
    input: &ImportInput<'_>,
    prepared: Option<Prepared>,
    options: &ImportOptions<'_>,
    key: &CommissionKey,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<ImportReport, ImportError> {
    let mut prepared = prepared.map(|Prepared { ballot, encoded }| {
        let same = ballot == *input.ballot
            && encoded.len() == input.protocols.len()
            && encoded
                .iter()
                .zip(input.protocols)
                .all(|(it, protocol)| it.station == protocol.station());
        assert!(same, "the prepared protocols are not the import's");
        encoded.into_iter()
    });
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
        let encoded = prepared.as_mut().map(|it| it.by_ref().take(protocols.len()).collect());
        let done = import_chunk(store, &part, encoded, options, key, &mut tick).await?;
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
    encoded: Option<Vec<Encoded>>,
    options: &ImportOptions<'_>,
    key: &CommissionKey,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<ImportReport, ImportError> {
    let lists = party_lists(input.ballot)?;
    let kind: Kind = PROTOCOL_KIND.parse().expect("the protocol kind is an id");
    // Encoding and hashing the protocols needs nothing from the store: unless it was done
    // ahead, it runs on the blocking pool while the writer registers the chunk's commissions.
    let encoding = match encoded {
        Some(encoded) => Encoding::Done(encoded),
        None => Encoding::Running(tokio::task::spawn_blocking({
            let (protocols, ballot) = (input.protocols.to_vec(), input.ballot.clone());
            move || encode(&ballot, &protocols)
        })),
    };
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
    let encoded = match encoding {
        Encoding::Done(encoded) => encoded,
        Encoding::Running(task) => crate::sqlite::joined(task).await?,
    };
    let subjects = encoded.iter().map(|it| it.subject.clone()).collect();
    let currents = bulk::read_currents_of(store, &input.election.id, &kind, subjects).await?;
    let logged_before = currents.head.map_or(0, |head| head.seq.0);
    let job = Job {
        base_versions: input.base_versions.clone(),
        reason: options.reason.map(str::to_owned),
        base_current: options.base_current,
        batch_size: options.batch_size.max(1),
        author: options.author.to_owned(),
        election: input.election.id.clone(),
        kind,
    };
    // Deciding each protocol against its station's current version, and on SQLite
    // chaining and signing the batches ahead (the writer checks before each batch that the
    // log's head and the key's authority are still what they assume), on the blocking pool.
    let ahead = matches!(store.db(), Db::Sqlite(_));
    let planner =
        tokio::task::spawn_blocking(Planning::make(job, encoded, currents, key.duplicate(), ahead));
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
            // The planner's statistics are refreshed when the chunk more than doubled the log
            // (the first chunk of a new store, above all): PostgreSQL scales the row counts of
            // older statistics by the tables' sizes, and an ANALYZE after every chunk took
            // about a sixth of an import's time.
            if u64::try_from(planned.len()).unwrap_or(u64::MAX) > logged_before {
                store.refresh_statistics().await.map_err(AppendError::from)?;
            }
            Ok(report)
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
