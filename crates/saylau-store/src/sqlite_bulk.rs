//! The bulk paths on SQLite: batches of entries and registrations written, and the whole
//! log or every current protocol read, with prepared statements inside this process
//! (rusqlite), one transaction each.
//!
//! sqlx's SQLite driver runs every statement on a worker thread and answers through a
//! channel, which costs more per row than the insert itself; a bulk import of 100,000
//! protocols would spend seconds in those round trips. This writer opens its own
//! connection to the same file, reuses one prepared statement per query, and runs the
//! same checks and decisions as the sqlx path in [`crate::bulk`].
//!
//! Settings (`docs/ledger.md`, "Writing in batches"): WAL, which the store keeps on the
//! file; `synchronous = NORMAL`, which in WAL mode never corrupts the file or breaks a
//! transaction in two, even when the process is killed, and leaves only the last commits
//! exposed to a power failure until the next checkpoint, which [`Writer::checkpoint`]
//! runs when an import ends; a 64 MiB page cache; and `BEGIN IMMEDIATE`, so that a batch
//! takes the write lock before it reads the head of the log. During an import the
//! checkpoints run on a second connection and thread ([`Writer::checkpoint_in_background`])
//! while the writer goes on with the next batch, and the batches are planned (decided,
//! chained, signed) ahead of their transactions on another thread
//! ([`Writer::append_batches`]), each transaction checking that the head of the log is
//! still the one its plan assumed.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension as _, Transaction, TransactionBehavior};

use crate::batch::{BatchId, BatchedEntry, SealedBatch};
use crate::bulk::{BatchOutcome, BatchSubmission, Planned, Signer, plan};
use crate::current::Currents;
use crate::digest::Digest;
use crate::entry::{Checkpoint, Seq, Version};
use crate::id::{ElectionId, Subject};
use crate::key::{CommissionKey, KeyId, PublicKey};
use crate::ledger::{AppendError, Current, from_sql, to_sql};
use crate::location::Location;

mod reader;
use crate::registry::{Level, Registered, Registration, RegistryError};
pub(crate) use reader::Reader;

/// A connection of the bulk writer.
pub(crate) struct Writer {
    /// Declared first, so that it stops before `conn` closes.
    checkpointer: Option<Checkpointer>,
    conn: Connection,
    location: Location,
}

/// A second connection, on a thread of its own, that copies the write-ahead log into the
/// database file while the writer goes on: SQLite's passive checkpoint never blocks a
/// writer, and the writer's own automatic checkpoints are off while this one runs.
struct Checkpointer {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Pause between two passive checkpoints.
    const PAUSE: Duration = Duration::from_millis(5);

    fn start(location: &Location) -> Result<Checkpointer, rusqlite::Error> {
        use std::sync::atomic::Ordering;
        let conn = connect(location, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.execute_batch("PRAGMA synchronous = NORMAL;")?;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::Acquire) {
                // A failed or partial checkpoint leaves the rest of the log to the next
                // one, or to the writer's final checkpoint.
                let _ = conn.query_row(CHECKPOINT, [], |_| Ok(()));
                std::thread::sleep(Checkpointer::PAUSE);
            }
        });
        Ok(Checkpointer { stop, thread: Some(thread) })
    }

    fn stop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Settings of the bulk writer's connection (see the module doc).
///
/// Foreign keys are checked by the writer, not by SQLite, which would look up the same
/// rows again for every inserted row, a tenth of a bulk import (`bench/import/README.md`):
/// every entry of a batch refers to the same election, key and batch row, which [`signer`]
/// finds registered and [`store_batch`] inserts first, in the batch's transaction; every
/// current version refers to the entry inserted just before it; and a registration's
/// commissions have their parents checked once per parent
/// ([`crate::registry::outside_parents`]). `saylau log verify` checks the log's references
/// over the whole log, and the sqlx paths keep SQLite's own checks.
const PRAGMAS: &str =
    "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;";
/// Makes every transaction committed so far durable: the WAL is synced before it is
/// copied into the database file.
const CHECKPOINT: &str = "PRAGMA wal_checkpoint(PASSIVE)";

/// Opens the store's SQLite file with `flags`; the store must exist and be migrated.
fn connect(location: &Location, flags: OpenFlags) -> Result<Connection, rusqlite::Error> {
    let path = match location {
        Location::Sqlite(path) => path.as_path(),
        Location::Postgres(_) => Path::new(""),
    };
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::from_secs(60))?;
    Ok(conn)
}

impl Writer {
    /// Opens the store's SQLite file for writing.
    pub(crate) fn open(location: &Location) -> Result<Writer, rusqlite::Error> {
        let conn = connect(location, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.execute_batch(PRAGMAS)?;
        Ok(Writer { checkpointer: None, conn, location: location.clone() })
    }

    /// Moves the checkpoints of this writer to a second connection on a thread of its own
    /// (see [`Checkpointer`]) until [`Writer::checkpoint`].
    pub(crate) fn checkpoint_in_background(&mut self) -> Result<(), rusqlite::Error> {
        if self.checkpointer.is_none() {
            self.checkpointer = Some(Checkpointer::start(&self.location)?);
            self.conn.query_row("PRAGMA wal_autocheckpoint = 0", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Syncs everything this writer committed (see [`CHECKPOINT`]).
    pub(crate) fn checkpoint(&mut self) -> Result<(), rusqlite::Error> {
        if let Some(mut checkpointer) = self.checkpointer.take() {
            checkpointer.stop();
            self.conn.query_row("PRAGMA wal_autocheckpoint = 1000", [], |_| Ok(()))?;
        }
        self.conn.query_row(CHECKPOINT, [], |_| Ok(()))
    }

    /// The batch append of [`crate::bulk::append_batch`] on this connection.
    pub(crate) fn append_batch(
        &mut self,
        submission: &BatchSubmission<'_>,
        key: &CommissionKey,
        currents: &mut Currents,
    ) -> Result<BatchOutcome, AppendError> {
        let key_id = key.public_key().key_id();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let signer = signer(&tx, submission.election, submission.items[0].subject, &key_id)?;
        let head = head(&tx)?;
        if currents.head != Some(head) {
            let map = read_currents(&tx, currents)?;
            currents.reload(head, map);
        }
        // The map is changed ahead of the commit; until then it is not valid at any head.
        currents.head = None;
        let refusals = if signer.is_cec {
            HashMap::new()
        } else {
            refusals(&tx, submission, &signer.commission)?
        };
        let mut authority = signer.authority(&refusals, key_id);
        let planned = plan(submission, key, head, currents, &mut authority);
        let Some((entries, sealed)) = planned.sealed else {
            drop(tx);
            currents.head = Some(head);
            return Ok(BatchOutcome { batch: None, items: planned.items });
        };
        let batch_id = store_batch(&tx, submission, &entries, &sealed, &planned.recorded)?;
        tx.commit()?;
        let last = entries.last().map(|it| Checkpoint { seq: it.seq, hash: it.entry_hash });
        currents.head = last;
        Ok(BatchOutcome { batch: Some(batch_id), items: planned.items })
    }

    /// Appends `submissions` in order as [`Writer::append_batch`] would, from plans made
    /// ahead of their transactions by [`crate::bulk::plan_ahead`] (the import makes them on
    /// a second core during the registration); `on_outcome` is told each batch's outcome
    /// with its index. Returns how many submissions it committed or decided; the caller
    /// appends the rest one by one, and all of them without plans.
    ///
    /// The chain of batch *k + 1* starts at the last entry of batch *k*, known once batch
    /// *k* is planned, so the plans run ahead of the inserts from the head at which
    /// `currents` was valid. Each batch's transaction (`BEGIN IMMEDIATE`) checks that the
    /// head of the log is still exactly the one its plan assumed and that the key is the
    /// election's CEC, the authority the plans assume; when not (another writer appended),
    /// nothing of that batch is written, `currents` must be read again, and the rest falls
    /// back to the serial path, which decides and chains them anew.
    pub(crate) fn append_batches(
        &mut self,
        submissions: &[BatchSubmission<'_>],
        key: &CommissionKey,
        currents: &mut Currents,
        ahead: Option<Ahead>,
        on_outcome: &mut (dyn FnMut(usize, BatchOutcome) + Send),
    ) -> Result<usize, AppendError> {
        let pipelinable = submissions.iter().all(|it| {
            it.items.first().is_some_and(|first| {
                crate::current::check_text(first.subject, "author", Some(it.author)).is_ok()
            }) && *it.election == currents.election
                && *it.kind == currents.kind
        });
        let key_id = key.public_key().key_id();
        let conn = &mut self.conn;
        let (done, committed, res) = match ahead {
            Some(ahead) if pipelinable && ahead.plans.len() == submissions.len() => {
                let plans = ahead.plans.into_iter();
                commit_all(conn, submissions, &key_id, ahead.start, plans, on_outcome)
            }
            _ => return Ok(0),
        };
        if done == submissions.len() {
            currents.head = Some(committed);
        }
        res.map(|()| done)
    }

    /// The registration of [`crate::registry::register_missing`] on this connection.
    pub(crate) fn register(
        &mut self,
        registration: &Registration<'_>,
    ) -> Result<Registered, RegistryError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let election = registration.election;
        tx.prepare_cached(INSERT_ELECTION)?
            .execute(rusqlite::params![election.id.as_str(), election.name])?;
        let cec: Option<String> =
            tx.query_row(CEC, [election.id.as_str()], |row| row.get(0)).optional()?;
        crate::registry::check_cec(registration, cec)?;
        let registered_lists = {
            let mut lists = tx.prepare_cached(LISTS)?;
            let rows = lists.query_map([election.id.as_str()], |row| row.get::<_, String>(0))?;
            rows.collect::<Result<Vec<String>, _>>()?
        };
        crate::registry::check_lists(registration, &registered_lists)?;
        {
            let mut exists = tx.prepare_cached(COMMISSION_EXISTS)?;
            for (parent, child) in crate::registry::outside_parents(registration) {
                if !exists.exists([election.id.as_str(), parent])? {
                    return Err(crate::registry::unknown_parent(child));
                }
            }
        }
        let mut res = Registered::default();
        if registered_lists.is_empty() {
            let mut insert = tx.prepare_cached(INSERT_LIST)?;
            for list in registration.lists {
                let registration = i64::from(list.registration);
                insert.execute(rusqlite::params![
                    election.id.as_str(),
                    list.id.as_str(),
                    list.name,
                    registration
                ])?;
                res.lists += 1;
            }
        }
        {
            let mut insert = tx.prepare_cached(INSERT_COMMISSION)?;
            insert.raw_bind_parameter(1, election.id.as_str())?;
            for commission in registration.commissions {
                insert.raw_bind_parameter(2, commission.id.as_str())?;
                insert.raw_bind_parameter(3, commission.parent.as_ref().map(|it| it.as_str()))?;
                insert.raw_bind_parameter(4, commission.level.as_str())?;
                insert.raw_bind_parameter(5, commission.name.as_str())?;
                let added = insert.raw_execute()?;
                res.commissions += added;
                if commission.level == Level::Pec {
                    res.stations += added;
                }
            }
        }
        tx.commit()?;
        Ok(res)
    }
}

/// Plans submitted batches made ahead of their transactions: where the log's head was when
/// they were planned, and the plans, one per submission.
pub(crate) struct Ahead {
    pub(crate) start: Checkpoint,
    pub(crate) plans: Vec<(Checkpoint, Planned)>,
}

/// Plans `submissions` one after the other from `start` with the authority of a CEC,
/// chaining each batch to the last entry of the one before, and hands each plan with the
/// head it assumes to `sink` until it returns `false`.
pub(crate) fn plan_each(
    submissions: &[BatchSubmission<'_>],
    key: &CommissionKey,
    start: Checkpoint,
    currents: &mut Currents,
    sink: &mut dyn FnMut((Checkpoint, Planned)) -> bool,
) {
    let mut head = start;
    for submission in submissions {
        let planned = plan(submission, key, head, currents, &mut |_| Ok(()));
        let assumed = head;
        if let Some((entries, _)) = &planned.sealed
            && let Some(last) = entries.last()
        {
            head = Checkpoint { seq: last.seq, hash: last.entry_hash };
        }
        if !sink((assumed, planned)) {
            break;
        }
    }
}

/// Commits `plans` in order (see [`commit_planned`]) until one no longer holds; returns how
/// many were committed or decided, the head after them, and the error that stopped them.
fn commit_all(
    conn: &mut Connection,
    submissions: &[BatchSubmission<'_>],
    key_id: &KeyId,
    start: Checkpoint,
    plans: impl Iterator<Item = (Checkpoint, Planned)>,
    on_outcome: &mut (dyn FnMut(usize, BatchOutcome) + Send),
) -> (usize, Checkpoint, Result<(), AppendError>) {
    let mut done = 0;
    let mut committed = start;
    for ((assumed, planned), submission) in plans.zip(submissions) {
        match commit_planned(conn, submission, key_id, assumed, planned) {
            Ok(Some((outcome, head))) => {
                on_outcome(done, outcome);
                committed = head;
                done += 1;
            }
            Ok(None) => break,
            Err(err) => return (done, committed, Err(err)),
        }
    }
    (done, committed, Ok(()))
}

/// Commits a batch planned ahead at `assumed`, when the log's head is still `assumed` and
/// the key is the election's CEC; `None`, with nothing written, when not. Returns the
/// outcome and the head after the batch.
fn commit_planned(
    conn: &mut Connection,
    submission: &BatchSubmission<'_>,
    key_id: &KeyId,
    assumed: Checkpoint,
    planned: Planned,
) -> Result<Option<(BatchOutcome, Checkpoint)>, AppendError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    match signer(&tx, submission.election, submission.items[0].subject, key_id) {
        Ok(signer) if signer.is_cec => {}
        _ => return Ok(None),
    }
    if head(&tx)? != assumed {
        return Ok(None);
    }
    let Some((entries, sealed)) = planned.sealed else {
        return Ok(Some((BatchOutcome { batch: None, items: planned.items }, assumed)));
    };
    let batch_id = store_batch(&tx, submission, &entries, &sealed, &planned.recorded)?;
    tx.commit()?;
    let last = entries.last().map_or(assumed, |it| Checkpoint { seq: it.seq, hash: it.entry_hash });
    Ok(Some((BatchOutcome { batch: Some(batch_id), items: planned.items }, last)))
}

/// Inserts a sealed batch, its entries and their current versions; returns its id.
fn store_batch(
    tx: &Transaction<'_>,
    submission: &BatchSubmission<'_>,
    entries: &[BatchedEntry],
    sealed: &SealedBatch,
    recorded: &[usize],
) -> Result<BatchId, AppendError> {
    let batch_id: i64 = tx.query_row(NEXT_BATCH, [], |row| row.get(0))?;
    let key_hex = sealed.key_id.to_string();
    tx.prepare_cached(INSERT_BATCH)?.execute(rusqlite::params![
        batch_id,
        to_sql(sealed.first.0),
        to_sql(sealed.last.0),
        key_hex,
        &sealed.signature[..],
    ])?;
    let (election, kind) = (submission.election.as_str(), submission.kind.as_str());
    let mut insert = tx.prepare_cached(INSERT_BATCHED_ENTRY)?;
    // The columns every entry of the batch shares are bound once; a prepared statement
    // keeps its bindings from one row to the next.
    insert.raw_bind_parameter(2, election)?;
    insert.raw_bind_parameter(3, kind)?;
    insert.raw_bind_parameter(9, submission.author)?;
    insert.raw_bind_parameter(10, key_hex.as_str())?;
    insert.raw_bind_parameter(11, batch_id)?;
    insert.raw_bind_parameter(13, sealed.recorded_at.as_str())?;
    let mut first = tx.prepare_cached(INSERT_FIRST_CURRENT)?;
    let mut advance = tx.prepare_cached(ADVANCE_CURRENT)?;
    for current in [&mut first, &mut advance] {
        current.raw_bind_parameter(1, election)?;
        current.raw_bind_parameter(2, kind)?;
    }
    for (batched, idx) in entries.iter().zip(recorded) {
        let item = &submission.items[*idx];
        insert.raw_bind_parameter(1, to_sql(batched.seq.0))?;
        insert.raw_bind_parameter(4, item.subject.as_str())?;
        insert.raw_bind_parameter(5, to_sql(batched.version.0))?;
        insert.raw_bind_parameter(6, &item.content_hash.as_bytes()[..])?;
        insert.raw_bind_parameter(7, &batched.prev_hash.as_bytes()[..])?;
        insert.raw_bind_parameter(8, &batched.entry_hash.as_bytes()[..])?;
        insert.raw_bind_parameter(12, item.reason)?;
        insert.raw_bind_parameter(14, item.payload)?;
        insert.raw_execute()?;
        let current = if batched.version.0 == 1 { &mut first } else { &mut advance };
        current.raw_bind_parameter(3, item.subject.as_str())?;
        current.raw_bind_parameter(4, to_sql(batched.version.0))?;
        let moved = current.raw_execute()?;
        if moved != 1 {
            return Err(AppendError::Sqlite(rusqlite::Error::StatementChangedRows(moved)));
        }
    }
    Ok(BatchId(from_sql(batch_id)))
}

const ELECTION_EXISTS: &str = "SELECT COUNT(*) FROM elections WHERE id = ?1";
const KEY_COMMISSION: &str = "SELECT commission_id, public_key FROM commission_keys WHERE id = ?1";
/// Whether a commission is the election's CEC; the index `commissions_one_cec` keeps one
/// CEC per election, so it is then above every station.
const IS_CEC: &str =
    "SELECT COUNT(*) FROM commissions WHERE election_id = ?1 AND id = ?2 AND parent_id IS NULL";

/// The signer of a batch: its election and key must be registered.
fn signer(
    tx: &Transaction<'_>,
    election: &ElectionId,
    subject: &Subject,
    key_id: &KeyId,
) -> Result<Signer, AppendError> {
    let elections: i64 = tx.query_row(ELECTION_EXISTS, [election.as_str()], |row| row.get(0))?;
    if elections == 0 {
        let election = election.clone();
        return Err(AppendError::UnknownElection { subject: subject.clone(), election });
    }
    let key: Option<(String, Vec<u8>)> = tx
        .query_row(KEY_COMMISSION, [key_id.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let commission = key
        .filter(|(_, bytes)| PublicKey::from_bytes(bytes).is_ok_and(|it| it.key_id() == *key_id))
        .map(|(commission, _)| commission)
        .ok_or(AppendError::UnknownKey { key_id: *key_id })?;
    let is_cec: i64 =
        tx.query_row(IS_CEC, [election.as_str(), commission.as_str()], |row| row.get(0))?;
    Ok(Signer { commission, is_cec: is_cec == 1 })
}

/// The PEC of a station is the station (`crate::registry`).
const STATION_PEC: &str =
    "SELECT id FROM commissions WHERE election_id = ?1 AND id = ?2 AND level = 'pec'";
const IN_CHAIN: &str = "WITH RECURSIVE chain (id, parent_id) AS ( \
         SELECT id, parent_id FROM commissions WHERE election_id = ?1 AND id = ?2 \
         UNION ALL \
         SELECT c.id, c.parent_id FROM commissions c \
         JOIN chain ON c.id = chain.parent_id WHERE c.election_id = ?1 \
     ) SELECT COUNT(*) FROM chain WHERE id = ?3";

/// The registered stations of the batch whose PEC's chain does not hold `commission`,
/// with their PEC.
fn refusals(
    tx: &Transaction<'_>,
    submission: &BatchSubmission<'_>,
    commission: &str,
) -> Result<HashMap<Subject, String>, rusqlite::Error> {
    let election = submission.election.as_str();
    let mut pec_of = tx.prepare_cached(STATION_PEC)?;
    let mut in_chain = tx.prepare_cached(IN_CHAIN)?;
    let mut res = HashMap::new();
    for item in submission.items {
        let pec: Option<String> =
            pec_of.query_row([election, item.subject.as_str()], |row| row.get(0)).optional()?;
        let Some(pec) = pec else { continue };
        let found: i64 =
            in_chain.query_row([election, pec.as_str(), commission], |row| row.get(0))?;
        if found == 0 {
            res.insert(item.subject.clone(), pec);
        }
    }
    Ok(res)
}

const HEAD: &str = "SELECT seq, entry_hash FROM log_entries ORDER BY seq DESC LIMIT 1";

fn head(tx: &Transaction<'_>) -> Result<Checkpoint, rusqlite::Error> {
    let row: Option<(i64, Vec<u8>)> =
        tx.query_row(HEAD, [], |row| Ok((row.get(0)?, row.get(1)?))).optional()?;
    Ok(row.map_or(Checkpoint { seq: Seq(0), hash: Digest::ZERO }, |(seq, hash)| Checkpoint {
        seq: Seq(from_sql(seq)),
        hash: Digest::from_slice(&hash).unwrap_or(Digest::ZERO),
    }))
}

const CURRENTS: &str = "SELECT c.subject, c.version, e.seq, e.content_hash \
     FROM current_versions c JOIN log_entries e ON e.election_id = c.election_id \
     AND e.kind = c.kind AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = ?1 AND c.kind = ?2";

fn read_currents(
    tx: &Transaction<'_>,
    currents: &Currents,
) -> Result<HashMap<Subject, Current>, rusqlite::Error> {
    let mut query = tx.prepare_cached(CURRENTS)?;
    let mut rows = query.query([currents.election.as_str(), currents.kind.as_str()])?;
    let mut map = HashMap::new();
    while let Some(row) = rows.next()? {
        let subject: String = row.get(0)?;
        let Ok(subject) = subject.parse::<Subject>() else { continue };
        let hash: Vec<u8> = row.get(3)?;
        map.insert(
            subject,
            Current {
                version: Version(from_sql(row.get(1)?)),
                seq: Seq(from_sql(row.get(2)?)),
                content_hash: Digest::from_slice(&hash).unwrap_or(Digest::ZERO),
            },
        );
    }
    Ok(map)
}

const NEXT_BATCH: &str = "SELECT COALESCE(MAX(id), 0) + 1 FROM batches";
const INSERT_BATCH: &str =
    "INSERT INTO batches (id, first_seq, last_seq, key_id, signature) VALUES (?1, ?2, ?3, ?4, ?5)";
const INSERT_BATCHED_ENTRY: &str = "INSERT INTO log_entries (seq, election_id, kind, subject, \
     version, content_hash, prev_hash, entry_hash, author, key_id, batch_id, reason, \
     recorded_at, payload) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
const INSERT_FIRST_CURRENT: &str =
    "INSERT INTO current_versions (election_id, kind, subject, version) VALUES (?1, ?2, ?3, ?4)";
const ADVANCE_CURRENT: &str = "UPDATE current_versions SET version = ?4 \
     WHERE election_id = ?1 AND kind = ?2 AND subject = ?3 AND version = ?4 - 1";

const CEC: &str = "SELECT id FROM commissions WHERE election_id = ?1 AND parent_id IS NULL";
const COMMISSION_EXISTS: &str = "SELECT 1 FROM commissions WHERE election_id = ?1 AND id = ?2";
const INSERT_ELECTION: &str =
    "INSERT INTO elections (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING";
const LISTS: &str = "SELECT id FROM lists WHERE election_id = ?1 ORDER BY registration";
const INSERT_LIST: &str =
    "INSERT INTO lists (election_id, id, name, registration) VALUES (?1, ?2, ?3, ?4)";
const INSERT_COMMISSION: &str = "INSERT INTO commissions (election_id, id, parent_id, level, name) \
     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (election_id, id) DO NOTHING";
