//! The bulk write path: many versions appended in one transaction as one signed batch
//! ([`crate::batch`]), and the registration of a whole election hierarchy at once.
//!
//! Each item of a batch is decided alone against its subject's current version, as
//! [`crate::ledger::append`] decides one submission: the same content is unchanged, a
//! stale base is a conflict, a correction needs a reason; the items that are recorded
//! become consecutive entries signed once. A refused item records nothing and does not
//! stop the others.
//!
//! On PostgreSQL this module runs the queries through sqlx's pool, a thousand rows to a
//! statement. On SQLite it hands the work to the writer connection
//! (`sqlite::write`), which runs it with prepared statements on the blocking pool.

use std::collections::HashMap;

use sqlx::{PgConnection, Row as _};

use crate::batch::{BatchBuilder, BatchId, BatchedEntry, NewEntry, SealedBatch};
use crate::current::{Currents, Decision, check_text, decide, recorded};
use crate::digest::Digest;
use crate::entry::{Checkpoint, Seq, Version};
use crate::error::{At, DatabaseError, OrDb as _, to_sql};
use crate::id::{ElectionId, Kind, Subject};
use crate::key::{CommissionKey, KeyId};
use crate::ledger::{ADVANCE_CURRENT, AppendError, Appended, Current, head_in, registered_signer};
use crate::pgcopy::{self, BinaryCopy};
use crate::registry::{self, Authority};
use crate::store::{Db, Store, pg_begin_snapshot, pg_begin_write};

/// One version offered in a batch.
#[derive(Debug, Clone, Copy)]
pub struct BatchItem<'a> {
    /// What it is about (a station).
    pub subject: &'a Subject,
    /// The canonical bytes.
    pub payload: &'a [u8],
    /// Their SHA-256.
    pub content_hash: Digest,
    /// The version this one replaces: `None` for a first version.
    pub base: Option<Version>,
    /// Why it replaces the base; required for a correction.
    pub reason: Option<&'a str>,
}

impl<'a> BatchItem<'a> {
    /// An item of `payload`, hashing it.
    pub fn new(
        subject: &'a Subject,
        payload: &'a [u8],
        base: Option<Version>,
        reason: Option<&'a str>,
    ) -> BatchItem<'a> {
        BatchItem { subject, payload, content_hash: Digest::of(payload), base, reason }
    }
}

/// Versions of one election's subjects of one kind, offered as one batch.
#[derive(Debug, Clone, Copy)]
pub struct BatchSubmission<'a> {
    /// The election.
    pub election: &'a ElectionId,
    /// What the payloads are.
    pub kind: &'a Kind,
    /// Who submits them.
    pub author: &'a str,
    /// The versions, in the order their entries take.
    pub items: &'a [BatchItem<'a>],
}

/// What a batch append did.
#[derive(Debug)]
pub struct BatchOutcome {
    /// The stored batch, when at least one entry was recorded.
    pub batch: Option<BatchId>,
    /// The outcome of every item, in order: recorded, unchanged, or refused.
    pub items: Vec<Result<Appended, AppendError>>,
}

/// Appends the items of `submission` as one batch signed with `key`, in one transaction.
/// `currents` is the writer's map of current versions (see [`Currents`]); it is read again
/// when another writer appended since it was read, and kept up to date.
///
/// An error of the whole call (an unknown election or key, an author that is not text, a
/// database error) records nothing.
pub async fn append_batch(
    store: &Store,
    submission: &BatchSubmission<'_>,
    key: &CommissionKey,
    currents: &mut Currents,
) -> Result<BatchOutcome, AppendError> {
    let Some(first) = submission.items.first() else {
        return Ok(BatchOutcome { batch: None, items: Vec::new() });
    };
    check_text(first.subject, "author", Some(submission.author))?;
    if currents.election != *submission.election || currents.kind != *submission.kind {
        *currents = Currents::new(submission.election, submission.kind);
    }
    match store.db() {
        Db::Sqlite(sqlite) => {
            let owned = OwnedBatch::of(submission);
            let key = key.duplicate();
            let mut moved =
                std::mem::replace(currents, Currents::new(submission.election, submission.kind));
            let (res, moved) = sqlite
                .write(move |conn| {
                    let items = owned.items();
                    let res = crate::sqlite::write::bulk(conn, |conn| {
                        crate::sqlite::write::append_batch(
                            conn,
                            &owned.get(&items),
                            &key,
                            &mut moved,
                        )
                    });
                    Ok::<_, AppendError>((res, moved))
                })
                .await?;
            *currents = moved;
            res
        }
        Db::Postgres(pool) => append_batch_pg(pool, submission, key, currents).await,
    }
}

/// A [`BatchSubmission`] that owns its parts, to cross into a blocking task.
struct OwnedBatch {
    election: ElectionId,
    kind: Kind,
    author: String,
    items: Vec<OwnedItem>,
}

/// A [`BatchItem`]'s subject, payload, content hash, base and reason, owned.
type OwnedItem = (Subject, Vec<u8>, Digest, Option<Version>, Option<String>);

impl OwnedBatch {
    fn of(submission: &BatchSubmission<'_>) -> OwnedBatch {
        let items = submission.items.iter().map(|it| {
            let reason = it.reason.map(str::to_owned);
            (it.subject.clone(), it.payload.to_vec(), it.content_hash, it.base, reason)
        });
        OwnedBatch {
            election: submission.election.clone(),
            kind: submission.kind.clone(),
            author: submission.author.to_owned(),
            items: items.collect(),
        }
    }

    fn items(&self) -> Vec<BatchItem<'_>> {
        self.items
            .iter()
            .map(|(subject, payload, content_hash, base, reason)| BatchItem {
                subject,
                payload,
                content_hash: *content_hash,
                base: *base,
                reason: reason.as_deref(),
            })
            .collect()
    }

    fn get<'a>(&'a self, items: &'a [BatchItem<'a>]) -> BatchSubmission<'a> {
        BatchSubmission { election: &self.election, kind: &self.kind, author: &self.author, items }
    }
}

/// The decisions of a batch's items, and the entries of those recorded.
pub(crate) struct Planned {
    /// The outcome of every item.
    pub(crate) items: Vec<Result<Appended, AppendError>>,
    /// The indices of the recorded items, in entry order.
    pub(crate) recorded: Vec<usize>,
    /// The entries to store, signed.
    pub(crate) sealed: Option<(Vec<BatchedEntry>, SealedBatch)>,
}

/// Decides every item against `currents` (already valid at `head`), chains and signs the
/// entries of the recorded ones, and moves `currents` forward as if they were stored.
/// `authority` says whether the key may sign for a subject.
pub(crate) fn plan(
    submission: &BatchSubmission<'_>,
    key: &CommissionKey,
    head: Checkpoint,
    currents: &mut Currents,
    authority: &mut dyn FnMut(&Subject) -> Result<(), AppendError>,
) -> Planned {
    let items = submission.items;
    currents.map.reserve(items.len());
    let mut builder = BatchBuilder::new(head, key.public_key().key_id(), items.len());
    let mut outcomes = Vec::with_capacity(items.len());
    let mut recorded_items = Vec::with_capacity(items.len());
    for (idx, item) in items.iter().enumerate() {
        let decided = authority(item.subject).and_then(|()| {
            let current = currents.map.get(item.subject);
            decide(item.subject, &item.content_hash, item.base, item.reason, current)
        });
        let outcome = match decided {
            Ok(Decision::Unchanged(version)) => Ok(Appended::Unchanged { version }),
            Ok(Decision::Record(version)) => {
                let (seq, entry_hash) = builder.push(&NewEntry {
                    election: submission.election,
                    kind: submission.kind,
                    subject: item.subject,
                    version,
                    content_hash: item.content_hash,
                    author: submission.author,
                    reason: item.reason,
                });
                let current = recorded(version, seq, item.content_hash);
                currents.map.insert(item.subject.clone(), current);
                recorded_items.push(idx);
                Ok(Appended::Recorded { seq, version, entry_hash })
            }
            Err(err) => Err(err),
        };
        outcomes.push(outcome);
    }
    Planned { items: outcomes, recorded: recorded_items, sealed: builder.seal(key) }
}

/// Plans every one of `submissions` ahead of the transactions that will store them, from
/// the head at which `currents` is valid and with the authority of a CEC (the writer checks
/// both before each batch); `None` when `currents` is not valid at a known head. The
/// import runs this on the second core during the registration.
pub(crate) fn plan_ahead(
    submissions: &[BatchSubmission<'_>],
    key: &CommissionKey,
    currents: &mut Currents,
) -> Option<crate::sqlite::write::Ahead> {
    let start = currents.head?;
    // The map runs ahead of the commits; until the last one it is not valid at any head.
    currents.head = None;
    let mut plans = Vec::with_capacity(submissions.len());
    crate::sqlite::write::plan_each(submissions, key, start, currents, &mut |plan| {
        plans.push(plan);
        true
    });
    Some(crate::sqlite::write::Ahead { start, plans })
}

/// The commission of a batch's registered key, and whether it is the election's CEC (and so
/// above every station).
pub(crate) struct Signer {
    pub(crate) commission: String,
    pub(crate) is_cec: bool,
}

impl Signer {
    /// The authority check of a batch: a subject in `refusals` (registered stations whose
    /// PEC's chain does not hold the signer's commission, with their PEC) is refused.
    pub(crate) fn authority<'a>(
        &'a self,
        refusals: &'a HashMap<Subject, String>,
        key_id: KeyId,
    ) -> impl FnMut(&Subject) -> Result<(), AppendError> + 'a {
        move |subject: &Subject| match refusals.get(subject) {
            Some(pec) => Err(AppendError::NotAuthorised {
                subject: subject.clone(),
                key_id,
                commission: self.commission.clone(),
                pec: pec.clone(),
            }),
            None => Ok(()),
        }
    }
}

/// Whether a commission is the election's CEC; the index `commissions_one_cec` keeps one
/// CEC per election, so it is then above every station.
const IS_CEC: &str =
    "SELECT COUNT(*) FROM commissions WHERE election_id = $1 AND id = $2 AND parent_id IS NULL";

async fn signer_pg(
    conn: &mut PgConnection,
    election: &ElectionId,
    subject: &Subject,
    key_id: &KeyId,
) -> Result<Signer, AppendError> {
    let commission = registered_signer(conn, election, subject, key_id).await?;
    let is_cec: i64 = sqlx::query_scalar(IS_CEC)
        .bind(election.as_str())
        .bind(&commission)
        .fetch_one(&mut *conn)
        .await
        .db()?;
    Ok(Signer { commission, is_cec: is_cec == 1 })
}

pub(crate) const CURRENTS: &str = "SELECT c.subject, c.version, e.seq, e.content_hash \
     FROM current_versions c JOIN log_entries e ON e.election_id = c.election_id \
     AND e.kind = c.kind AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = $1 AND c.kind = $2";

/// Reads every current version of `election` and `kind`.
async fn read_currents(
    conn: &mut PgConnection,
    election: &ElectionId,
    kind: &Kind,
) -> Result<HashMap<Subject, Current>, DatabaseError> {
    let rows = sqlx::query(CURRENTS)
        .bind(election.as_str())
        .bind(kind.as_str())
        .fetch_all(&mut *conn)
        .await?;
    decode_currents(rows)
}

/// The current versions of rows of [`CURRENTS`] or [`CURRENTS_OF`].
fn decode_currents(
    rows: Vec<sqlx::postgres::PgRow>,
) -> Result<HashMap<Subject, Current>, DatabaseError> {
    let mut map = HashMap::with_capacity(rows.len());
    for row in rows {
        let subject: String = row.try_get("subject")?;
        let hash: Vec<u8> = row.try_get("content_hash")?;
        let at = At { table: "current_versions", row: &subject };
        let current = Current {
            version: Version(at.count("version", row.try_get("version")?)?),
            seq: Seq(at.count("seq", row.try_get("seq")?)?),
            content_hash: at.digest("content_hash", &hash)?,
        };
        // A subject that is not an id is named by `saylau log verify`; no append names it.
        let Ok(subject) = subject.parse::<Subject>() else { continue };
        map.insert(subject, current);
    }
    Ok(map)
}

const CURRENTS_OF: &str = "SELECT c.subject, c.version, e.seq, e.content_hash \
     FROM current_versions c JOIN log_entries e ON e.election_id = c.election_id \
     AND e.kind = c.kind AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = $1 AND c.kind = $2 AND c.subject = ANY($3)";

/// Reads the current versions of `subjects` (those that have one) into a new map, valid at
/// the head read with them for batches of those subjects only: an import's chunk reads its
/// own stations, so that its memory does not grow with the stations of the chunks before.
/// A batch that finds the head moved reads every current version again.
pub async fn read_currents_of(
    store: &Store,
    election: &ElectionId,
    kind: &Kind,
    subjects: Vec<Subject>,
) -> Result<Currents, AppendError> {
    let mut currents = Currents::new(election, kind);
    let (head, map) = match store.db() {
        Db::Sqlite(sqlite) => {
            let (election, kind) = (election.clone(), kind.clone());
            sqlite
                .read(move |tx| {
                    let head = crate::sqlite::read::head(tx)?;
                    let map = crate::sqlite::read::currents_of(tx, &election, &kind, &subjects)?;
                    Ok::<_, DatabaseError>((head, map))
                })
                .await?
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_snapshot(pool).await?;
            let head = head_in(&mut tx).await?;
            let texts: Vec<&str> = subjects.iter().map(Subject::as_str).collect();
            let rows = sqlx::query(CURRENTS_OF)
                .bind(election.as_str())
                .bind(kind.as_str())
                .bind(&texts)
                .fetch_all(&mut *tx)
                .await
                .db()?;
            tx.rollback().await.db()?;
            (head, decode_currents(rows)?)
        }
    };
    currents.reload(head, map);
    Ok(currents)
}

/// Reads the current versions of the store into a new map.
pub async fn read_all_currents(
    store: &Store,
    election: &ElectionId,
    kind: &Kind,
) -> Result<Currents, AppendError> {
    let mut currents = Currents::new(election, kind);
    let (head, map) = match store.db() {
        Db::Sqlite(sqlite) => {
            let (election, kind) = (election.clone(), kind.clone());
            sqlite
                .read(move |tx| {
                    let head = crate::sqlite::read::head(tx)?;
                    Ok::<_, DatabaseError>((
                        head,
                        crate::sqlite::read::currents(tx, &election, &kind)?,
                    ))
                })
                .await?
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_snapshot(pool).await?;
            let head = head_in(&mut tx).await?;
            let map = read_currents(&mut tx, election, kind).await?;
            tx.rollback().await.db()?;
            (head, map)
        }
    };
    currents.reload(head, map);
    Ok(currents)
}

const NEXT_BATCH: &str = "SELECT COALESCE(MAX(id), 0) + 1 FROM batches";
const INSERT_BATCH: &str =
    "INSERT INTO batches (id, first_seq, last_seq, key_id, signature) VALUES ($1, $2, $3, $4, $5)";
/// The entries of a batch, streamed in PostgreSQL's binary format ([`crate::pgcopy`]).
const COPY_ENTRIES: &str = "COPY log_entries (seq, election_id, kind, subject, version, \
     content_hash, prev_hash, entry_hash, author, key_id, batch_id, reason, recorded_at, \
     payload) FROM STDIN (FORMAT binary)";
/// The first versions of a batch's subjects.
const COPY_FIRST_CURRENTS: &str = "COPY current_versions (election_id, kind, subject, version) \
     FROM STDIN (FORMAT binary)";

/// The batch append on PostgreSQL.
async fn append_batch_pg(
    pool: &sqlx::PgPool,
    submission: &BatchSubmission<'_>,
    key: &CommissionKey,
    currents: &mut Currents,
) -> Result<BatchOutcome, AppendError> {
    let key_id = key.public_key().key_id();
    let mut tx = pg_begin_write(pool).await?;
    let signer =
        signer_pg(&mut tx, submission.election, submission.items[0].subject, &key_id).await?;
    let head = head_in(&mut tx).await?;
    if currents.head != Some(head) {
        let map = read_currents(&mut tx, &currents.election, &currents.kind).await?;
        currents.reload(head, map);
    }
    // The map is changed ahead of the commit; until then it is not valid at any head.
    currents.head = None;
    let refusals = if signer.is_cec {
        HashMap::new()
    } else {
        refusals_pg(&mut tx, submission, &signer.commission).await?
    };
    let mut authority = signer.authority(&refusals, key_id);
    let planned = plan(submission, key, head, currents, &mut authority);
    let Some((entries, sealed)) = planned.sealed else {
        tx.rollback().await.db()?;
        currents.head = Some(head);
        return Ok(BatchOutcome { batch: None, items: planned.items });
    };
    let batch_id =
        store_batch_pg(&mut tx, submission, &entries, &sealed, &planned.recorded).await?;
    tx.commit().await.db()?;
    let last = entries.last().map(|it| (it.seq, it.entry_hash));
    currents.head = last.map(|(seq, hash)| Checkpoint { seq, hash });
    Ok(BatchOutcome { batch: Some(batch_id), items: planned.items })
}

/// The registered stations of the batch whose PEC's chain does not hold `commission`,
/// with their PEC.
async fn refusals_pg(
    conn: &mut PgConnection,
    submission: &BatchSubmission<'_>,
    commission: &str,
) -> Result<HashMap<Subject, String>, AppendError> {
    let mut res = HashMap::new();
    for item in submission.items {
        let election = submission.election.as_str();
        let authority =
            registry::authority(&mut *conn, election, item.subject.as_str(), commission).await?;
        if let Authority::Refused { pec } = authority {
            res.insert(item.subject.clone(), pec);
        }
    }
    Ok(res)
}

/// Inserts a sealed batch, its entries and their current versions; returns its id. The
/// entries and the first versions are streamed by a binary `COPY` each ([`crate::pgcopy`]);
/// a correction moves its current version with a statement of its own.
async fn store_batch_pg(
    tx: &mut PgConnection,
    submission: &BatchSubmission<'_>,
    entries: &[BatchedEntry],
    sealed: &SealedBatch,
    recorded: &[usize],
) -> Result<BatchId, AppendError> {
    let batch_id: i64 = sqlx::query_scalar(NEXT_BATCH).fetch_one(&mut *tx).await.db()?;
    sqlx::query(INSERT_BATCH)
        .bind(batch_id)
        .bind(to_sql(sealed.first.0))
        .bind(to_sql(sealed.last.0))
        .bind(sealed.key_id.to_string())
        .bind(sealed.signature.as_slice())
        .execute(&mut *tx)
        .await
        .db()?;
    let (election, kind) = (submission.election.as_str(), submission.kind.as_str());
    let key_id = sealed.key_id.to_string();
    let rows: Vec<(&BatchedEntry, &BatchItem<'_>)> = entries
        .iter()
        .zip(recorded)
        .map(|(batched, idx)| (batched, &submission.items[*idx]))
        .collect();
    let mut copy = BinaryCopy::with_capacity(rows.len() * 400);
    for (batched, item) in &rows {
        copy.row(14)
            .int8(to_sql(batched.seq.0))
            .text(election)
            .text(kind)
            .text(item.subject.as_str())
            .int8(to_sql(batched.version.0))
            .bytes(item.content_hash.as_bytes())
            .bytes(batched.prev_hash.as_bytes())
            .bytes(batched.entry_hash.as_bytes())
            .text(submission.author)
            .text(&key_id)
            .int8(batch_id)
            .text_or_null(item.reason)
            .text(&sealed.recorded_at)
            .bytes(item.payload);
    }
    pgcopy::send(tx, COPY_ENTRIES, copy).await.db()?;
    move_currents_pg(tx, election, kind, &rows).await?;
    Ok(BatchId(At { table: "batches", row: &batch_id }.count("id", batch_id).db()?))
}

/// Moves the current version of every entry of `rows` of `election` and `kind` to it: the
/// first versions inserted a thousand to a statement, each correction on its own.
async fn move_currents_pg(
    tx: &mut PgConnection,
    election: &str,
    kind: &str,
    rows: &[(&BatchedEntry, &BatchItem<'_>)],
) -> Result<(), AppendError> {
    let (first, corrections): (Vec<_>, Vec<_>) =
        rows.iter().partition(|(batched, _)| batched.version.0 == 1);
    if !first.is_empty() {
        let mut copy = BinaryCopy::with_capacity(first.len() * 64);
        for (batched, item) in &first {
            copy.row(4)
                .text(election)
                .text(kind)
                .text(item.subject.as_str())
                .int8(to_sql(batched.version.0));
        }
        pgcopy::send(tx, COPY_FIRST_CURRENTS, copy).await.db()?;
    }
    for (batched, item) in corrections {
        let moved = sqlx::query(ADVANCE_CURRENT)
            .bind(election)
            .bind(kind)
            .bind(item.subject.as_str())
            .bind(to_sql(batched.version.0))
            .execute(&mut *tx)
            .await
            .db()?;
        if moved.rows_affected() != 1 {
            let (subject, version) = (item.subject.clone(), batched.version);
            return Err(AppendError::CurrentMoved { subject, version });
        }
    }
    Ok(())
}
