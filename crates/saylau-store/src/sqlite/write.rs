//! The SQLite driver's writes, on the store's writer connection (rusqlite, prepared
//! statements cached on the connection): single appends, registrations, and batches of
//! entries in one transaction each.
//!
//! Every write begins with `BEGIN IMMEDIATE`, so that it holds the file's write lock before
//! it reads the head of the log. A bulk write ([`bulk`]) runs with `synchronous = NORMAL`,
//! which in WAL mode never corrupts the file or breaks a transaction in two, even when the
//! process is killed, and leaves only the last commits exposed to a power failure until the
//! checkpoint that ends it; SQLite's automatic checkpoints run in the writer's own commits.
//! The batches of an import are planned (decided, chained, signed) ahead of their
//! transactions ([`append_batches`]), each transaction checking that the head of the log
//! is still the one its plan assumed.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension as _, Transaction, TransactionBehavior};

use crate::batch::{BatchId, BatchedEntry, SealedBatch};
use crate::bulk::{BatchOutcome, BatchSubmission, Planned, Signer, plan};
use crate::current::{Currents, Decision};
use crate::digest::Digest;
use crate::entry::{Checkpoint, SignedEntry};
use crate::error::{At, DatabaseError, OrDb as _, to_sql};
use crate::id::{ElectionId, Subject};
use crate::key::{CommissionKey, KeyId, PublicKey};
use crate::ledger::{AppendError, Appended, Submission, decide_submission, next_entry};
use crate::registry::{Level, Registered, Registration, RegistryError};

/// Settings of a bulk write (see the module doc).
///
/// Foreign keys are checked by the writer, not by SQLite, which would look up the same
/// rows again for every inserted row, a tenth of a bulk import (`bench/import/README.md`):
/// every entry of a batch refers to the same election, key and batch row, which [`signer`]
/// finds registered and [`store_batch`] inserts first, in the batch's transaction; every
/// current version refers to the entry inserted just before it; and a registration's
/// commissions have their parents checked once per parent
/// ([`crate::registry::outside_parents`]). `saylau log verify` checks the log's references
/// over the whole log, and the other writes keep SQLite's own checks.
const BULK: &str = "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL;";
/// The writer's settings outside a bulk write.
const NOT_BULK: &str = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
/// Makes every transaction committed so far durable: the WAL is synced before it is
/// copied into the database file.
const CHECKPOINT: &str = "PRAGMA wal_checkpoint(PASSIVE)";

/// The most rows (protocols, commissions) written as an ordinary write
/// ([`bulk_unless_small`]).
const SMALL: usize = 16;

/// Runs `work`, which writes `rows` protocols or commissions, as a bulk write when more than
/// [`SMALL`], else as any other write: its commit syncs the WAL once, where a bulk write's
/// checkpoint syncs the WAL and the database file and copies the pages (two syncs of about
/// 5 ms each per web entry, `bench/web/submit.sh`).
pub(crate) fn bulk_unless_small<T, E: From<DatabaseError>>(
    conn: &mut Connection,
    rows: usize,
    work: impl FnOnce(&mut Connection) -> Result<T, E>,
) -> Result<T, E> {
    if rows <= SMALL { work(conn) } else { bulk(conn, work) }
}

/// Runs `work` as a bulk write on `conn` (see [`BULK`]), then makes it durable.
pub(crate) fn bulk<T, E: From<DatabaseError>>(
    conn: &mut Connection,
    work: impl FnOnce(&mut Connection) -> Result<T, E>,
) -> Result<T, E> {
    conn.execute_batch(BULK).db()?;
    let res = work(conn);
    let restored = conn.execute_batch(NOT_BULK).db();
    let synced = conn.query_row(CHECKPOINT, [], |_| Ok(())).db();
    let res = res?;
    restored?;
    synced?;
    Ok(res)
}

const INSERT_ENTRY: &str = "INSERT INTO log_entries (seq, election_id, kind, subject, version, \
     content_hash, prev_hash, entry_hash, author, key_id, signature, reason, recorded_at, payload) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/// The append of [`crate::ledger::append`]: one entry in one transaction.
pub(crate) fn append(
    conn: &mut Connection,
    submission: &Submission<'_>,
    key: &CommissionKey,
) -> Result<Appended, AppendError> {
    let key_id = key.public_key().key_id();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).db()?;
    let signer = signer(&tx, submission.election, submission.subject, &key_id)?;
    if !signer.is_cec {
        let mut one = HashMap::new();
        refuse_outside(&tx, submission.election, submission.subject, &signer.commission, &mut one)
            .db()?;
        if let Some(pec) = one.remove(submission.subject) {
            let (subject, commission) = (submission.subject.clone(), signer.commission);
            return Err(AppendError::NotAuthorised { subject, key_id, commission, pec });
        }
    }
    let current =
        super::read::current(&tx, submission.election, submission.kind, submission.subject)?;
    let version = match decide_submission(submission, current.as_ref())? {
        Decision::Unchanged(version) => return Ok(Appended::Unchanged { version }),
        Decision::Record(version) => version,
    };
    super::key_kind::check(&tx, &key_id, submission.kind)?;
    let head = super::read::head(&tx)?;
    let (signed, entry_hash) = next_entry(submission, head, version, key);
    insert_entry(&tx, &signed, &entry_hash, submission.payload)?;
    tx.commit().db()?;
    Ok(Appended::Recorded { seq: signed.entry.seq, version, entry_hash })
}

pub(crate) fn insert_entry(
    tx: &Transaction<'_>,
    signed: &SignedEntry,
    entry_hash: &Digest,
    payload: &[u8],
) -> Result<(), AppendError> {
    let entry = &signed.entry;
    tx.prepare_cached(INSERT_ENTRY)
        .and_then(|mut insert| {
            insert.execute(rusqlite::params![
                to_sql(entry.seq.0),
                entry.election.as_str(),
                entry.kind.as_str(),
                entry.subject.as_str(),
                to_sql(entry.version.0),
                &entry.content_hash.as_bytes()[..],
                &entry.prev_hash.as_bytes()[..],
                &entry_hash.as_bytes()[..],
                entry.author,
                entry.key_id.to_string(),
                &signed.signature[..],
                entry.reason,
                entry.recorded_at,
                payload,
            ])
        })
        .db()?;
    let current = if entry.version.0 == 1 { INSERT_FIRST_CURRENT } else { ADVANCE_CURRENT };
    let moved = tx
        .prepare_cached(current)
        .and_then(|mut query| {
            query.execute(rusqlite::params![
                entry.election.as_str(),
                entry.kind.as_str(),
                entry.subject.as_str(),
                to_sql(entry.version.0)
            ])
        })
        .db()?;
    if moved != 1 {
        let (subject, version) = (entry.subject.clone(), entry.version);
        return Err(AppendError::CurrentMoved { subject, version });
    }
    Ok(())
}

/// The batch append of [`crate::bulk::append_batch`] on the writer connection.
pub(crate) fn append_batch(
    conn: &mut Connection,
    submission: &BatchSubmission<'_>,
    key: &CommissionKey,
    currents: &mut Currents,
) -> Result<BatchOutcome, AppendError> {
    let key_id = key.public_key().key_id();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).db()?;
    let signer = signer(&tx, submission.election, submission.items[0].subject, &key_id)?;
    let head = super::read::head(&tx)?;
    if currents.head != Some(head) {
        let map = super::read::currents(&tx, &currents.election, &currents.kind)?;
        currents.reload(head, map);
    }
    // The map is changed ahead of the commit; until then it is not valid at any head.
    currents.head = None;
    let refusals = if signer.is_cec {
        HashMap::new()
    } else {
        refusals(&tx, submission, &signer.commission).db()?
    };
    let mut authority = signer.authority(&refusals, key_id);
    let planned = plan(submission, key, head, currents, &mut authority);
    let Some((entries, sealed)) = planned.sealed else {
        drop(tx);
        currents.head = Some(head);
        return Ok(BatchOutcome { batch: None, items: planned.items });
    };
    let batch_id = store_batch(&tx, submission, &entries, &sealed, &planned.recorded)?;
    tx.commit().db()?;
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
    conn: &mut Connection,
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

/// The registration of [`crate::registry::register_missing`] on the writer connection.
pub(crate) fn register(
    conn: &mut Connection,
    registration: &Registration<'_>,
    key: &CommissionKey,
) -> Result<Registered, RegistryError> {
    let rows = registration.commissions.len();
    bulk_unless_small(conn, rows, |conn| register_in(conn, registration, key))
}

fn register_in(
    conn: &mut Connection,
    registration: &Registration<'_>,
    key: &CommissionKey,
) -> Result<Registered, RegistryError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).db()?;
    let election = registration.election;
    // Nothing new (a web entry of a registered station, an import run again): checked, but
    // nothing written.
    if super::enrol::registered_already(&tx, registration)? {
        check_registration(&tx, registration)?;
        return Ok(Registered::default());
    }
    let mut logged = crate::enrol::Registrations::new();
    let added = tx
        .prepare_cached(INSERT_ELECTION)
        .db()?
        .execute(rusqlite::params![election.id.as_str(), election.name])
        .db()?;
    if added > 0 {
        logged.elections.push(crate::enrol::ElectionRecord {
            id: election.id.to_string(),
            name: election.name.clone(),
        });
    }
    let registered_lists = check_registration(&tx, registration)?;
    let mut res = Registered::default();
    if registered_lists.is_empty() {
        res.lists = insert_lists(&tx, registration, &mut logged)?;
    }
    {
        let mut insert = tx.prepare_cached(INSERT_COMMISSION).db()?;
        insert.raw_bind_parameter(1, election.id.as_str()).db()?;
        for commission in registration.commissions {
            insert.raw_bind_parameter(2, commission.id.as_str()).db()?;
            insert.raw_bind_parameter(3, commission.parent.as_ref().map(|it| it.as_str())).db()?;
            insert.raw_bind_parameter(4, commission.level.as_str()).db()?;
            insert.raw_bind_parameter(5, commission.name.as_str()).db()?;
            let added = insert.raw_execute().db()?;
            res.commissions += added;
            if commission.level == Level::Pec {
                res.stations += added;
            }
            if added > 0 {
                let record = crate::registry::commission_record(&election.id, commission);
                logged.commissions.push(record);
            }
        }
    }
    if !logged.is_empty() {
        super::enrol::record(&tx, key, &logged)?;
    }
    tx.commit().db()?;
    Ok(res)
}

/// Checks `registration` against the tables (its CEC, its lists, the parents outside it);
/// returns the lists already registered for its election.
fn check_registration(
    tx: &rusqlite::Transaction<'_>,
    registration: &Registration<'_>,
) -> Result<Vec<String>, RegistryError> {
    let election = registration.election;
    let cec: Option<String> =
        tx.query_row(CEC, [election.id.as_str()], |row| row.get(0)).optional().db()?;
    crate::registry::check_cec(registration, cec)?;
    let registered_lists = {
        let mut lists = tx.prepare_cached(LISTS).db()?;
        let rows = lists.query_map([election.id.as_str()], |row| row.get::<_, String>(0)).db()?;
        rows.collect::<Result<Vec<String>, _>>().db()?
    };
    crate::registry::check_lists(registration, &registered_lists)?;
    let mut exists = tx.prepare_cached(COMMISSION_EXISTS).db()?;
    for (parent, child) in crate::registry::outside_parents(registration) {
        if !exists.exists([election.id.as_str(), parent]).db()? {
            return Err(crate::registry::unknown_parent(child));
        }
    }
    Ok(registered_lists)
}

/// Inserts the lists of `registration`, adding them to `logged`; returns how many.
fn insert_lists(
    tx: &rusqlite::Transaction<'_>,
    registration: &Registration<'_>,
    logged: &mut crate::enrol::Registrations,
) -> Result<usize, RegistryError> {
    let election = registration.election;
    let mut insert = tx.prepare_cached(INSERT_LIST).db()?;
    for list in registration.lists {
        let number = i64::from(list.registration);
        insert
            .execute(rusqlite::params![election.id.as_str(), list.id.as_str(), list.name, number])
            .db()?;
        logged.lists.push(crate::enrol::ListRecord {
            election: election.id.to_string(),
            id: list.id.to_string(),
            name: list.name.clone(),
            registration: number,
        });
    }
    Ok(registration.lists.len())
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
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).db()?;
    match signer(&tx, submission.election, submission.items[0].subject, key_id) {
        Ok(signer) if signer.is_cec => {}
        _ => return Ok(None),
    }
    if super::read::head(&tx)? != assumed {
        return Ok(None);
    }
    let Some((entries, sealed)) = planned.sealed else {
        return Ok(Some((BatchOutcome { batch: None, items: planned.items }, assumed)));
    };
    let batch_id = store_batch(&tx, submission, &entries, &sealed, &planned.recorded)?;
    tx.commit().db()?;
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
    super::key_kind::check(tx, &sealed.key_id, submission.kind)?;
    let batch_id: i64 = tx.query_row(NEXT_BATCH, [], |row| row.get(0)).db()?;
    let key_hex = sealed.key_id.to_string();
    tx.prepare_cached(INSERT_BATCH)
        .db()?
        .execute(rusqlite::params![
            batch_id,
            to_sql(sealed.first.0),
            to_sql(sealed.last.0),
            key_hex,
            &sealed.signature[..],
        ])
        .db()?;
    let (election, kind) = (submission.election.as_str(), submission.kind.as_str());
    let mut insert = tx.prepare_cached(INSERT_BATCHED_ENTRY).db()?;
    // The columns every entry of the batch shares are bound once; a prepared statement
    // keeps its bindings from one row to the next.
    insert.raw_bind_parameter(2, election).db()?;
    insert.raw_bind_parameter(3, kind).db()?;
    insert.raw_bind_parameter(9, submission.author).db()?;
    insert.raw_bind_parameter(10, key_hex.as_str()).db()?;
    insert.raw_bind_parameter(11, batch_id).db()?;
    insert.raw_bind_parameter(13, sealed.recorded_at.as_str()).db()?;
    let mut first = tx.prepare_cached(INSERT_FIRST_CURRENT).db()?;
    let mut advance = tx.prepare_cached(ADVANCE_CURRENT).db()?;
    for current in [&mut first, &mut advance] {
        current.raw_bind_parameter(1, election).db()?;
        current.raw_bind_parameter(2, kind).db()?;
    }
    for (batched, idx) in entries.iter().zip(recorded) {
        let item = &submission.items[*idx];
        insert.raw_bind_parameter(1, to_sql(batched.seq.0)).db()?;
        insert.raw_bind_parameter(4, item.subject.as_str()).db()?;
        insert.raw_bind_parameter(5, to_sql(batched.version.0)).db()?;
        insert.raw_bind_parameter(6, &item.content_hash.as_bytes()[..]).db()?;
        insert.raw_bind_parameter(7, &batched.prev_hash.as_bytes()[..]).db()?;
        insert.raw_bind_parameter(8, &batched.entry_hash.as_bytes()[..]).db()?;
        insert.raw_bind_parameter(12, item.reason).db()?;
        insert.raw_bind_parameter(14, item.payload).db()?;
        insert.raw_execute().db()?;
        let current = if batched.version.0 == 1 { &mut first } else { &mut advance };
        current.raw_bind_parameter(3, item.subject.as_str()).db()?;
        current.raw_bind_parameter(4, to_sql(batched.version.0)).db()?;
        let moved = current.raw_execute().db()?;
        if moved != 1 {
            let (subject, version) = (item.subject.clone(), batched.version);
            return Err(AppendError::CurrentMoved { subject, version });
        }
    }
    Ok(BatchId(At { table: "batches", row: &batch_id }.count("id", batch_id).db()?))
}

const ELECTION_EXISTS: &str = "SELECT COUNT(*) FROM elections WHERE id = ?1";
/// A revoked key signs nothing more (`docs/integrity.md`): it reads as not registered.
pub(super) const KEY_COMMISSION: &str = "SELECT commission_id, public_key FROM commission_keys \
     WHERE id NOT IN (SELECT key_id FROM key_revocations) AND id = ?1";

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
    let elections: i64 =
        tx.query_row(ELECTION_EXISTS, [election.as_str()], |row| row.get(0)).db()?;
    if elections == 0 {
        let election = election.clone();
        return Err(AppendError::UnknownElection { subject: subject.clone(), election });
    }
    let key: Option<(String, Vec<u8>)> = tx
        .query_row(KEY_COMMISSION, [key_id.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
        .db()?;
    let commission = key
        .filter(|(_, bytes)| PublicKey::from_bytes(bytes).is_ok_and(|it| it.key_id() == *key_id))
        .map(|(commission, _)| commission)
        .ok_or(AppendError::UnknownKey { key_id: *key_id })?;
    let is_cec: i64 =
        tx.query_row(IS_CEC, [election.as_str(), commission.as_str()], |row| row.get(0)).db()?;
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
    let mut res = HashMap::new();
    for item in submission.items {
        refuse_outside(tx, submission.election, item.subject, commission, &mut res)?;
    }
    Ok(res)
}

/// Adds `subject` with its PEC to `refused` when it is a registered station whose PEC's
/// chain does not hold `commission`.
fn refuse_outside(
    tx: &Transaction<'_>,
    election: &ElectionId,
    subject: &Subject,
    commission: &str,
    refused: &mut HashMap<Subject, String>,
) -> Result<(), rusqlite::Error> {
    let election = election.as_str();
    let pec: Option<String> = tx
        .prepare_cached(STATION_PEC)?
        .query_row([election, subject.as_str()], |row| row.get(0))
        .optional()?;
    let Some(pec) = pec else { return Ok(()) };
    let found: i64 = tx
        .prepare_cached(IN_CHAIN)?
        .query_row([election, pec.as_str(), commission], |row| row.get(0))?;
    if found == 0 {
        refused.insert(subject.clone(), pec);
    }
    Ok(())
}

const NEXT_BATCH: &str = "SELECT COALESCE(MAX(id), 0) + 1 FROM batches";
const INSERT_BATCH: &str =
    "INSERT INTO batches (id, first_seq, last_seq, key_id, signature) VALUES (?1, ?2, ?3, ?4, ?5)";
const INSERT_BATCHED_ENTRY: &str = "INSERT INTO log_entries (seq, election_id, kind, subject, \
     version, content_hash, prev_hash, entry_hash, author, key_id, batch_id, reason, \
     recorded_at, payload) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
pub(crate) const INSERT_FIRST_CURRENT: &str =
    "INSERT INTO current_versions (election_id, kind, subject, version) VALUES (?1, ?2, ?3, ?4)";
pub(crate) const ADVANCE_CURRENT: &str = "UPDATE current_versions SET version = ?4 \
     WHERE election_id = ?1 AND kind = ?2 AND subject = ?3 AND version = ?4 - 1";

const CEC: &str = "SELECT id FROM commissions WHERE election_id = ?1 AND parent_id IS NULL";
const COMMISSION_EXISTS: &str = "SELECT 1 FROM commissions WHERE election_id = ?1 AND id = ?2";
const INSERT_ELECTION: &str =
    "INSERT INTO elections (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING";
const LISTS: &str = "SELECT id FROM lists WHERE election_id = ?1 ORDER BY registration";
pub(super) const INSERT_LIST: &str =
    "INSERT INTO lists (election_id, id, name, registration) VALUES (?1, ?2, ?3, ?4)";
const INSERT_COMMISSION: &str = "INSERT INTO commissions (election_id, id, parent_id, level, name) \
     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (election_id, id) DO NOTHING";
