//! The write path of the log: appending a version of a subject's payload, signed by a
//! commission key, and reading current versions, history and checkpoints.
//!
//! Each append is one transaction under the store's write lock ([`Store`]): it checks the
//! key and its authority, compares the payload with the subject's current version, and
//! either records nothing (the same content: [`Appended::Unchanged`]), refuses a stale
//! base ([`AppendError::Conflict`]), or appends the next entry of the chain and moves the
//! current-version index forward. The code issues no UPDATE or DELETE on the log; triggers
//! on both backends refuse them anyway.

use sqlx::{PgConnection, Row as _};

use crate::current::{Decision, check_text, decide};
use crate::digest::Digest;
use crate::entry::{Checkpoint, Entry, Seq, SignedEntry, Version, now_rfc3339};
use crate::error::{At, DatabaseError, to_sql};
use crate::id::{ElectionId, Kind, Subject};
use crate::key::{CommissionKey, KeyId};
use crate::registry::{self, Authority};
use crate::store::{Db, Store, pg_begin_write};

/// The longest author or reason, in bytes.
pub const MAX_TEXT_BYTES: usize = 4096;

/// A version of a subject's payload offered to the log.
#[derive(Debug, Clone, Copy)]
pub struct Submission<'a> {
    /// The election.
    pub election: &'a ElectionId,
    /// What the payload is.
    pub kind: &'a Kind,
    /// What it is about (a station).
    pub subject: &'a Subject,
    /// The canonical bytes; the content hash is their SHA-256.
    pub payload: &'a [u8],
    /// The version this one replaces: `None` for a first version.
    pub base: Option<Version>,
    /// Why it replaces the base; required for a correction.
    pub reason: Option<&'a str>,
    /// Who submits it.
    pub author: &'a str,
}

/// What an append did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    /// A new entry was recorded.
    Recorded {
        /// Its position in the log.
        seq: Seq,
        /// The subject's new version.
        version: Version,
        /// Its entry hash.
        entry_hash: Digest,
    },
    /// The payload is the subject's current version; nothing was recorded.
    Unchanged {
        /// The current version.
        version: Version,
    },
}

/// An append that was refused; nothing was recorded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppendError {
    /// The submission is based on a version that is no longer current.
    #[error("{subject}: conflict: based on version {}, but version {} is current; \
             read it and submit again", show(*base), show(*current))]
    Conflict {
        /// The subject.
        subject: Subject,
        /// The version the submission named.
        base: Option<Version>,
        /// The current version.
        current: Option<Version>,
    },
    /// A correction without a reason.
    #[error("{subject}: version {version} corrects version {}: a reason is required", version.0 - 1)]
    ReasonRequired {
        /// The subject.
        subject: Subject,
        /// The version it would have been.
        version: Version,
    },
    /// The author or the reason is empty or too long.
    #[error("{subject}: the {field} must be 1 to 4096 bytes of text")]
    Text {
        /// The subject.
        subject: Subject,
        /// `author` or `reason`.
        field: &'static str,
    },
    /// The election is not registered.
    #[error("{subject}: election {election} is not registered")]
    UnknownElection {
        /// The subject.
        subject: Subject,
        /// The election.
        election: ElectionId,
    },
    /// The signing key is not registered in this store.
    #[error("key {key_id} is not registered in this store: run `saylau keys new`")]
    UnknownKey {
        /// The key.
        key_id: KeyId,
    },
    /// The key's commission is neither the station's PEC nor above it.
    #[error(
        "{subject}: key {key_id} of commission {commission} may not sign for this \
             station: only its precinct commission {pec} and the commissions above it may"
    )]
    NotAuthorised {
        /// The subject.
        subject: Subject,
        /// The key.
        key_id: KeyId,
        /// The key's commission.
        commission: String,
        /// The station's PEC.
        pec: String,
    },
    /// The subject's current version did not move to the new one: the current-version
    /// index disagrees with the log (run `saylau log verify`); nothing was recorded.
    #[error("{subject}: the current version did not move to version {version}")]
    CurrentMoved {
        /// The subject.
        subject: Subject,
        /// The version it should have moved to.
        version: Version,
    },
    /// An observer's key signing an official kind, or another key an observer's kind.
    #[error("key {key_id} may not sign {kind}: {rule}")]
    KeyKind {
        /// The key.
        key_id: KeyId,
        /// The kind of the entry.
        kind: Kind,
        /// The rule broken, in the words of migration 0021.
        rule: &'static str,
    },
    /// Any other database error.
    #[error("store: {0}")]
    Database(#[from] DatabaseError),
}

fn show(version: Option<Version>) -> String {
    version.map_or_else(|| "none".to_owned(), |version| version.to_string())
}

/// The current version of a subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    /// The version.
    pub version: Version,
    /// The entry that recorded it.
    pub seq: Seq,
    /// Its content hash.
    pub content_hash: Digest,
}

/// Appends `submission` as the subject's next version, signed with `key`.
pub async fn append(
    store: &Store,
    submission: &Submission<'_>,
    key: &CommissionKey,
) -> Result<Appended, AppendError> {
    check_text(submission.subject, "author", Some(submission.author))?;
    match store.db() {
        Db::Sqlite(sqlite) => {
            let owned = OwnedSubmission::of(submission);
            let key = key.duplicate();
            sqlite.write(move |conn| crate::sqlite::write::append(conn, &owned.get(), &key)).await
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_write(pool).await?;
            let key_id = key.public_key().key_id();
            check_signer(&mut tx, submission, &key_id).await?;
            let current =
                current_in(&mut tx, submission.election, submission.kind, submission.subject)
                    .await?;
            let version = match decide_submission(submission, current.as_ref())? {
                Decision::Unchanged(version) => return Ok(Appended::Unchanged { version }),
                Decision::Record(version) => version,
            };
            let head = head_in(&mut tx).await?;
            let (signed, entry_hash) = next_entry(submission, head, version, key);
            insert(&mut tx, &signed, &entry_hash, submission.payload).await?;
            tx.commit().await.map_err(DatabaseError::from)?;
            Ok(Appended::Recorded { seq: signed.entry.seq, version, entry_hash })
        }
    }
}

/// A [`Submission`] that owns its parts, to cross into a blocking task.
pub(crate) struct OwnedSubmission {
    election: ElectionId,
    kind: Kind,
    subject: Subject,
    payload: Vec<u8>,
    base: Option<Version>,
    reason: Option<String>,
    author: String,
}

impl OwnedSubmission {
    fn of(submission: &Submission<'_>) -> OwnedSubmission {
        OwnedSubmission {
            election: submission.election.clone(),
            kind: submission.kind.clone(),
            subject: submission.subject.clone(),
            payload: submission.payload.to_vec(),
            base: submission.base,
            reason: submission.reason.map(str::to_owned),
            author: submission.author.to_owned(),
        }
    }

    fn get(&self) -> Submission<'_> {
        Submission {
            election: &self.election,
            kind: &self.kind,
            subject: &self.subject,
            payload: &self.payload,
            base: self.base,
            reason: self.reason.as_deref(),
            author: &self.author,
        }
    }
}

/// The decision on `submission` against its subject's `current` version.
pub(crate) fn decide_submission(
    submission: &Submission<'_>,
    current: Option<&Current>,
) -> Result<Decision, AppendError> {
    let content_hash = Digest::of(submission.payload);
    decide(submission.subject, &content_hash, submission.base, submission.reason, current)
}

/// The entry that records `submission` as `version` after `head`, signed with `key`, and
/// its entry hash.
pub(crate) fn next_entry(
    submission: &Submission<'_>,
    head: Checkpoint,
    version: Version,
    key: &CommissionKey,
) -> (SignedEntry, Digest) {
    let entry = Entry {
        seq: Seq(head.seq.0 + 1),
        election: submission.election.clone(),
        kind: submission.kind.clone(),
        subject: submission.subject.clone(),
        version,
        content_hash: Digest::of(submission.payload),
        prev_hash: head.hash,
        author: submission.author.to_owned(),
        key_id: key.public_key().key_id(),
        reason: submission.reason.map(str::to_owned),
        recorded_at: now_rfc3339(),
    };
    let signature = key.sign(&entry.signed_bytes());
    let signed = SignedEntry { entry, signature };
    let entry_hash = signed.entry_hash();
    (signed, entry_hash)
}

pub(crate) const ELECTION_EXISTS: &str = "SELECT COUNT(*) FROM elections WHERE id = $1";

/// The commission of `key_id`, when `election` and the key are registered; `subject`
/// names the entry in the error.
pub(crate) async fn registered_signer(
    conn: &mut PgConnection,
    election: &ElectionId,
    subject: &Subject,
    key_id: &KeyId,
) -> Result<String, AppendError> {
    let elections: i64 = sqlx::query_scalar(ELECTION_EXISTS)
        .bind(election.as_str())
        .fetch_one(&mut *conn)
        .await
        .map_err(DatabaseError::from)?;
    if elections == 0 {
        let election = election.clone();
        return Err(AppendError::UnknownElection { subject: subject.clone(), election });
    }
    registry::key_commission(conn, key_id).await?.ok_or(AppendError::UnknownKey { key_id: *key_id })
}

/// Checks the election, the key's registration and its authority over the station.
async fn check_signer(
    conn: &mut PgConnection,
    submission: &Submission<'_>,
    key_id: &KeyId,
) -> Result<(), AppendError> {
    let election = submission.election;
    let subject = submission.subject;
    let commission = registered_signer(conn, election, subject, key_id).await?;
    match registry::authority(conn, election.as_str(), subject.as_str(), &commission).await? {
        Authority::Unchecked | Authority::Granted => Ok(()),
        Authority::Refused { pec } => Err(AppendError::NotAuthorised {
            subject: subject.clone(),
            key_id: *key_id,
            commission,
            pec,
        }),
    }
}

const INSERT_ENTRY: &str = "INSERT INTO log_entries (seq, election_id, kind, subject, version, \
     content_hash, prev_hash, entry_hash, author, key_id, signature, reason, recorded_at, payload) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
pub(crate) const INSERT_FIRST_CURRENT: &str =
    "INSERT INTO current_versions (election_id, kind, subject, version) VALUES ($1, $2, $3, $4)";
pub(crate) const ADVANCE_CURRENT: &str = "UPDATE current_versions SET version = $4 \
     WHERE election_id = $1 AND kind = $2 AND subject = $3 AND version = $4 - 1";

/// Inserts the entry and moves the subject's current version to it.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    signed: &SignedEntry,
    entry_hash: &Digest,
    payload: &[u8],
) -> Result<(), AppendError> {
    let entry = &signed.entry;
    sqlx::query(INSERT_ENTRY)
        .bind(to_sql(entry.seq.0))
        .bind(entry.election.as_str())
        .bind(entry.kind.as_str())
        .bind(entry.subject.as_str())
        .bind(to_sql(entry.version.0))
        .bind(entry.content_hash.as_bytes().to_vec())
        .bind(entry.prev_hash.as_bytes().to_vec())
        .bind(entry_hash.as_bytes().to_vec())
        .bind(&entry.author)
        .bind(entry.key_id.to_string())
        .bind(signed.signature.to_vec())
        .bind(entry.reason.clone())
        .bind(&entry.recorded_at)
        .bind(payload)
        .execute(&mut *conn)
        .await
        .map_err(DatabaseError::from)?;
    let current = if entry.version.0 == 1 { INSERT_FIRST_CURRENT } else { ADVANCE_CURRENT };
    let moved = sqlx::query(current)
        .bind(entry.election.as_str())
        .bind(entry.kind.as_str())
        .bind(entry.subject.as_str())
        .bind(to_sql(entry.version.0))
        .execute(&mut *conn)
        .await
        .map_err(DatabaseError::from)?;
    if moved.rows_affected() != 1 {
        let (subject, version) = (entry.subject.clone(), entry.version);
        return Err(AppendError::CurrentMoved { subject, version });
    }
    Ok(())
}

const CURRENT: &str = "SELECT c.version, e.seq, e.content_hash FROM current_versions c \
     JOIN log_entries e ON e.election_id = c.election_id AND e.kind = c.kind \
     AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = $1 AND c.kind = $2 AND c.subject = $3";

async fn current_in(
    conn: &mut PgConnection,
    election: &ElectionId,
    kind: &Kind,
    subject: &Subject,
) -> Result<Option<Current>, DatabaseError> {
    let row = sqlx::query(CURRENT)
        .bind(election.as_str())
        .bind(kind.as_str())
        .bind(subject.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let at = At { table: "current_versions", row: subject };
    let content_hash: Vec<u8> = row.try_get("content_hash")?;
    Ok(Some(Current {
        version: Version(at.count("version", row.try_get("version")?)?),
        seq: Seq(at.count("seq", row.try_get("seq")?)?),
        content_hash: at.digest("content_hash", &content_hash)?,
    }))
}

/// The current version of a subject, if it has one.
pub async fn current(
    store: &Store,
    election: &ElectionId,
    kind: &Kind,
    subject: &Subject,
) -> Result<Option<Current>, DatabaseError> {
    match store.db() {
        Db::Sqlite(sqlite) => {
            let key = (election.clone(), kind.clone(), subject.clone());
            sqlite.read(move |tx| crate::sqlite::read::current(tx, &key.0, &key.1, &key.2)).await
        }
        Db::Postgres(pool) => {
            let mut conn = pool.acquire().await?;
            current_in(&mut conn, election, kind, subject).await
        }
    }
}

const HEAD: &str = "SELECT seq, entry_hash FROM log_entries ORDER BY seq DESC LIMIT 1";

pub(crate) async fn head_in(conn: &mut PgConnection) -> Result<Checkpoint, DatabaseError> {
    let row = sqlx::query(HEAD).fetch_optional(&mut *conn).await?;
    let Some(row) = row else { return Ok(Checkpoint { seq: Seq(0), hash: Digest::ZERO }) };
    let seq: i64 = row.try_get("seq")?;
    let hash: Vec<u8> = row.try_get("entry_hash")?;
    let at = At { table: "log_entries", row: &seq };
    Ok(Checkpoint { seq: Seq(at.count("seq", seq)?), hash: at.digest("entry_hash", &hash)? })
}

/// The checkpoint to publish: the stored hash and position of the last entry. Publish it
/// after `verify` has found the log intact.
pub async fn checkpoint(store: &Store) -> Result<Checkpoint, DatabaseError> {
    match store.db() {
        Db::Sqlite(sqlite) => sqlite.read(|tx| crate::sqlite::read::head(tx)).await,
        Db::Postgres(pool) => head_in(&mut *pool.acquire().await?).await,
    }
}

const PAYLOAD: &str = "SELECT payload FROM log_entries \
     WHERE election_id = $1 AND kind = $2 AND subject = $3 AND version = $4";

/// The payload of one version of a subject.
pub async fn payload(
    store: &Store,
    election: &ElectionId,
    kind: &Kind,
    subject: &Subject,
    version: Version,
) -> Result<Option<Vec<u8>>, DatabaseError> {
    match store.db() {
        Db::Sqlite(sqlite) => {
            let key = (election.clone(), kind.clone(), subject.clone());
            sqlite
                .read(move |tx| crate::sqlite::read::payload(tx, &key.0, &key.1, &key.2, version))
                .await
        }
        Db::Postgres(pool) => Ok(sqlx::query_scalar(PAYLOAD)
            .bind(election.as_str())
            .bind(kind.as_str())
            .bind(subject.as_str())
            .bind(to_sql(version.0))
            .fetch_optional(pool)
            .await?),
    }
}

const VERSIONS: &str = "SELECT version FROM log_entries \
     WHERE election_id = $1 AND kind = $2 AND subject = $3 ORDER BY version";

/// Every recorded version of a subject, oldest first.
pub async fn versions(
    store: &Store,
    election: &ElectionId,
    kind: &Kind,
    subject: &Subject,
) -> Result<Vec<Version>, DatabaseError> {
    let versions: Vec<i64> = match store.db() {
        Db::Sqlite(sqlite) => {
            let key = (election.clone(), kind.clone(), subject.clone());
            sqlite.read(move |tx| crate::sqlite::read::versions(tx, &key.0, &key.1, &key.2)).await?
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar(VERSIONS)
                .bind(election.as_str())
                .bind(kind.as_str())
                .bind(subject.as_str())
                .fetch_all(pool)
                .await?
        }
    };
    let at = At { table: "log_entries", row: subject };
    let versions = versions.into_iter().map(|version| at.count("version", version).map(Version));
    Ok(versions.collect::<Result<_, _>>()?)
}
