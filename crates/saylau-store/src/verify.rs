//! Verification of the whole log: every sequence number, content hash, chain link,
//! signature and entry hash, every signed batch, the version order of every subject, the
//! current-version index, and optionally a published checkpoint.
//!
//! Verification reads one snapshot of the store and stops at the first broken entry,
//! naming its sequence number, its subject and the reason. An entry of a signed batch is
//! checked like any other (content hash, chain, entry hash), and the batch's signature is
//! checked when its last entry has been read: a bad batch signature is reported at the
//! batch's first entry, the first entry it no longer vouches for.

use std::collections::HashMap;
use std::fmt;

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row as _};

use crate::digest::Digest;
use crate::entry::{Checkpoint, Seq, Version};
use crate::error::{At, DatabaseError, OrDb as _, to_sql};
use crate::store::{Db, Store, pg_begin_snapshot};
use crate::walk::{IndexRow, StoredBatch, StoredRow, Walk, keys};

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every entry checked out.
    Intact {
        /// The number of entries.
        entries: u64,
        /// The recomputed checkpoint of the last entry.
        head: Checkpoint,
    },
    /// The first broken entry.
    Broken(Break),
}

/// Where and why the log is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The entry's position (for a truncated log, the published position that is missing).
    pub seq: Seq,
    /// The entry's election, kind and subject as stored, when there is an entry.
    pub subject: Option<StoredSubject>,
    /// What is wrong.
    pub problem: Problem,
}

/// The election, kind and subject of a stored entry, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSubject {
    /// The election.
    pub election: String,
    /// The kind.
    pub kind: String,
    /// The subject (station).
    pub subject: String,
}

/// Why an entry is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The entry is not the next position: one is missing or out of place.
    Sequence {
        /// The position that should come next.
        expected: Seq,
    },
    /// A stored field is not valid at all.
    Malformed {
        /// The field.
        field: &'static str,
    },
    /// The payload's SHA-256 is not the stored content hash.
    ContentHash {
        /// Stored in the entry.
        stored: Digest,
        /// Of the stored payload.
        computed: Digest,
    },
    /// The previous hash is not the previous entry's hash.
    Chain {
        /// Stored in the entry.
        stored: Digest,
        /// The previous entry's recomputed hash.
        expected: Digest,
    },
    /// The subject's versions do not go 1, 2, 3, ...
    VersionOrder {
        /// The version that should come next.
        expected: Version,
        /// The version stored.
        found: Version,
    },
    /// No registered key has the entry's key id.
    UnknownKey {
        /// The key id as stored.
        key_id: String,
    },
    /// The signature does not verify with the key.
    Signature,
    /// The stored entry hash is not the hash of the entry and signature.
    EntryHash {
        /// Stored.
        stored: Digest,
        /// Recomputed.
        computed: Digest,
    },
    /// The entry at the published checkpoint's position has another hash.
    Checkpoint {
        /// Published.
        published: Digest,
        /// Recomputed.
        computed: Digest,
    },
    /// The log ends before the published checkpoint's position: entries were removed.
    Truncated {
        /// The number of entries in the log.
        entries: u64,
    },
    /// A batched entry is not where its batch says, names an unknown batch or another
    /// key, or its batch has entries missing.
    Batch {
        /// The batch's id.
        batch: u64,
        /// The batch's first entry, as the batch records it (0 for an unknown batch).
        first: Seq,
        /// The batch's last entry, as the batch records it (0 for an unknown batch).
        last: Seq,
        /// What is wrong.
        detail: &'static str,
    },
    /// The batch's signature does not verify over its entries' hashes.
    BatchSignature {
        /// The batch's id.
        batch: u64,
        /// Its first entry.
        first: Seq,
        /// Its last entry.
        last: Seq,
    },
    /// The entry's key belongs to a commission that may not sign its subject: neither the
    /// station's PEC nor a commission above it.
    NotAuthorised {
        /// The key's commission.
        commission: String,
        /// The station (its PEC).
        pec: String,
    },
    /// A registered commission is not where its id places it in the hierarchy (or the
    /// commissions above it run in a cycle), so no one's authority over it can be checked.
    Hierarchy {
        /// The commission.
        commission: String,
        /// What is wrong.
        detail: String,
    },
    /// The entry's key was not registered by an earlier entry, was revoked before it, or
    /// may not register what the entry registers (code `not_authorised`).
    NotAuthorisedSigner {
        /// The key's commission as the log registered it (empty when it did not).
        commission: String,
        /// What is wrong.
        detail: String,
    },
    /// A registration entry cannot apply: not a registration, a duplicate, an unknown
    /// election or parent.
    Registration {
        /// What is wrong.
        detail: String,
    },
    /// A row of the registry's tables differs from the registry recomputed from the log.
    RegistryMismatch {
        /// The table.
        table: &'static str,
        /// The row's id (`ELECTION/ID` for commissions and lists).
        id: String,
        /// The field that differs, or `row` for a row on one side only.
        field: &'static str,
        /// What differs.
        detail: String,
        /// How many other rows differ.
        more: usize,
    },
    /// A protocol image the entry names is not stored, or its stored bytes no longer hash
    /// to the SHA-256 the signed entry names (`crate::images`).
    Image {
        /// What is wrong.
        detail: String,
    },
    /// The current-version index does not point at the subject's last entry.
    Index {
        /// The version in the index.
        indexed: Option<Version>,
        /// The last version in the log.
        logged: Version,
    },
}

/// A store that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A database error, or a stored batch that cannot be read back.
    #[error("verifying the log: {0}")]
    Database(#[from] DatabaseError),
    /// The known checkpoint's file cannot be read.
    #[error("verifying the log: {0}")]
    Known(#[from] crate::known::KnownError),
}

/// The number of entries read per query.
const PAGE_SIZE: i64 = 512;

const PAGE: &str = "SELECT seq, election_id, kind, subject, version, content_hash, prev_hash, \
     entry_hash, author, key_id, signature, batch_id, reason, recorded_at, payload \
     FROM log_entries WHERE seq > $1 ORDER BY seq LIMIT $2";

/// Recomputes the log; with `published`, also checks that the log contains that entry
/// unchanged.
pub async fn verify(
    store: &Store,
    published: Option<&Checkpoint>,
) -> Result<Verification, VerifyError> {
    verify_against(store, published.into_iter().copied().collect()).await
}

/// Recomputes the log and checks that it contains every checkpoint of `published`
/// unchanged (a published one and the one kept outside the store, see [`crate::known`]);
/// then hashes every protocol image the log names again ([`crate::images`]), in the same
/// snapshot.
pub async fn verify_against(
    store: &Store,
    published: Vec<Checkpoint>,
) -> Result<Verification, VerifyError> {
    let pool = match store.db() {
        Db::Sqlite(sqlite) => {
            return sqlite
                .read(move |tx| -> Result<Verification, VerifyError> {
                    let res = crate::sqlite::read::verify(tx, published)?;
                    if !matches!(res, Verification::Intact { .. }) {
                        return Ok(res);
                    }
                    Ok(crate::images::verify_sqlite(tx)?.map_or(res, Verification::Broken))
                })
                .await;
        }
        Db::Postgres(pool) => pool,
    };
    let mut tx = pg_begin_snapshot(pool).await?;
    let mut res = verify_pg(&mut tx, published).await?;
    if matches!(res, Verification::Intact { .. })
        && let Some(broken) = crate::images::verify_images_pg(&mut tx).await?
    {
        res = Verification::Broken(broken);
    }
    tx.rollback().await.db()?;
    Ok(res)
}

/// The verification of [`verify_against`] inside a PostgreSQL snapshot transaction.
pub(crate) async fn verify_pg(
    tx: &mut PgConnection,
    published: Vec<Checkpoint>,
) -> Result<Verification, DatabaseError> {
    let keys = keys(sqlx_pairs(&mut *tx, KEYS, "id", "public_key").await?);
    let mut walk = Walk::new(keys, batches(&mut *tx).await?, published);
    loop {
        let rows = sqlx::query(PAGE)
            .bind(to_sql(walk.next.0 - 1))
            .bind(PAGE_SIZE)
            .fetch_all(&mut *tx)
            .await
            .db()?;
        let Some(last) = rows.last() else { break };
        let last_seq: i64 = last.try_get("seq").db()?;
        for row in &rows {
            if let Err(broken) = walk.step(&stored_row(row)) {
                return Ok(Verification::Broken(*broken));
            }
        }
        if u64::try_from(last_seq).ok().is_none_or(|last| last + 1 != walk.next.0) {
            break;
        }
    }
    let index = index_rows(&mut *tx).await?;
    let tables = crate::enrol_pg::tables(&mut *tx, None).await?;
    Ok(walk.finish(&index, &tables))
}

/// A sqlx row of `PAGE` as a [`StoredRow`].
fn stored_row(row: &PgRow) -> StoredRow {
    StoredRow {
        seq: row.try_get("seq").ok(),
        election: row.try_get("election_id").ok(),
        kind: row.try_get("kind").ok(),
        subject: row.try_get("subject").ok(),
        version: row.try_get("version").ok(),
        content_hash: row.try_get("content_hash").ok(),
        prev_hash: row.try_get("prev_hash").ok(),
        entry_hash: row.try_get("entry_hash").ok(),
        author: row.try_get("author").ok(),
        key_id: row.try_get("key_id").ok(),
        signature: row.try_get("signature").ok(),
        batch_id: row.try_get("batch_id").ok(),
        reason: row.try_get("reason").ok(),
        recorded_at: row.try_get("recorded_at").ok(),
        payload: row.try_get("payload").ok(),
    }
}

const KEYS: &str = "SELECT id, public_key FROM commission_keys";
/// `(text, bytes)` pairs of the columns `first` and `second` of `query`.
async fn sqlx_pairs(
    conn: &mut PgConnection,
    query: &'static str,
    first: &str,
    second: &str,
) -> Result<Vec<(String, Vec<u8>)>, DatabaseError> {
    let rows = sqlx::query(query).fetch_all(conn).await?;
    rows.iter()
        .map(|row| Ok((row.try_get(first)?, row.try_get(second)?)))
        .collect::<Result<_, sqlx::Error>>()
        .db()
}

const BATCHES: &str = "SELECT id, first_seq, last_seq, key_id, signature FROM batches";

/// Every stored batch, by id.
async fn batches(conn: &mut PgConnection) -> Result<HashMap<u64, StoredBatch>, DatabaseError> {
    let rows = sqlx::query(BATCHES).fetch_all(conn).await?;
    let mut res = HashMap::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let at = At { table: "batches", row: &id };
        let batch = StoredBatch {
            first: Seq(at.count("first_seq", row.try_get("first_seq")?)?),
            last: Seq(at.count("last_seq", row.try_get("last_seq")?)?),
            key_id: row.try_get("key_id")?,
            signature: row.try_get("signature")?,
        };
        res.insert(at.count("id", id)?, batch);
    }
    Ok(res)
}

const INDEX: &str = "SELECT election_id, kind, subject, version FROM current_versions";

async fn index_rows(conn: &mut PgConnection) -> Result<Vec<IndexRow>, DatabaseError> {
    let rows = sqlx::query(INDEX).fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            let key = (row.try_get("election_id")?, row.try_get("kind")?, row.try_get("subject")?);
            Ok((key, row.try_get("version")?))
        })
        .collect::<Result<_, sqlx::Error>>()
        .db()
}

impl Problem {
    /// A stable code for scripts: `sequence`, `malformed`, `content_hash`, `chain`,
    /// `version_order`, `unknown_key`, `signature`, `entry_hash`, `batch`,
    /// `batch_signature`, `not_authorised`, `registration`, `registry_mismatch`,
    /// `hierarchy`, `checkpoint`, `truncated`, `index` or `image`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Sequence { .. } => "sequence",
            Problem::Malformed { .. } => "malformed",
            Problem::ContentHash { .. } => "content_hash",
            Problem::Chain { .. } => "chain",
            Problem::VersionOrder { .. } => "version_order",
            Problem::UnknownKey { .. } => "unknown_key",
            Problem::Signature => "signature",
            Problem::EntryHash { .. } => "entry_hash",
            Problem::Batch { .. } => "batch",
            Problem::BatchSignature { .. } => "batch_signature",
            Problem::NotAuthorised { .. } | Problem::NotAuthorisedSigner { .. } => "not_authorised",
            Problem::Registration { .. } => "registration",
            Problem::RegistryMismatch { .. } => "registry_mismatch",
            Problem::Hierarchy { .. } => "hierarchy",
            Problem::Checkpoint { .. } => "checkpoint",
            Problem::Truncated { .. } => "truncated",
            Problem::Index { .. } => "index",
            Problem::Image { .. } => "image",
        }
    }
}

impl fmt::Display for Problem {
    #[expect(clippy::too_many_lines, reason = "one arm per problem, each its sentence")]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Sequence { expected } => write!(f, "sequence gap: expected entry {expected}"),
            Problem::Malformed { field } => write!(f, "malformed {field}"),
            Problem::ContentHash { stored, computed } => {
                write!(f, "content hash mismatch: stored {stored}, payload hashes to {computed}")
            }
            Problem::Chain { stored, expected } => write!(
                f,
                "chain mismatch: previous hash {stored}, but the previous entry hashes to {expected}"
            ),
            Problem::VersionOrder { expected, found } => {
                write!(f, "version {found} where version {expected} comes next")
            }
            Problem::UnknownKey { key_id } => write!(f, "unknown key {key_id}"),
            Problem::Signature => f.write_str("bad signature"),
            Problem::EntryHash { stored, computed } => {
                write!(f, "entry hash mismatch: stored {stored}, entry hashes to {computed}")
            }
            Problem::Batch { batch, first, last, detail } => {
                write!(f, "batch {batch} of entries {first}..{last}: {detail}")
            }
            Problem::BatchSignature { batch, first, last } => {
                write!(f, "bad signature of batch {batch} of entries {first}..{last}")
            }
            Problem::NotAuthorised { commission, pec } => write!(
                f,
                "not authorised: signed with a key of commission {commission}, but only station \
                 {pec}'s precinct commission and the commissions above it may sign it"
            ),
            Problem::NotAuthorisedSigner { commission, detail } if commission.is_empty() => {
                write!(f, "not authorised: {detail}")
            }
            Problem::NotAuthorisedSigner { commission, detail } => {
                write!(f, "not authorised: signed with a key of commission {commission}: {detail}")
            }
            Problem::Registration { detail } => write!(f, "registration: {detail}"),
            Problem::RegistryMismatch { table, id, field, detail, more } => {
                write!(f, "registry mismatch: table {table}, row {id}, field {field}: {detail}")?;
                if *more > 0 {
                    write!(f, " (and {more} more differences)")?;
                }
                Ok(())
            }
            Problem::Hierarchy { commission, detail } => {
                write!(f, "registry: commission {commission} is {detail}")
            }
            Problem::Checkpoint { published, computed } => {
                write!(f, "checkpoint mismatch: published {published}, the log has {computed}")
            }
            Problem::Truncated { entries } => {
                write!(f, "missing: the log ends at entry {entries}, before the checkpoint")
            }
            Problem::Image { detail } => write!(f, "protocol image: {detail}"),
            Problem::Index { indexed, logged } => {
                let indexed = indexed.map_or_else(|| "none".to_owned(), |it| it.to_string());
                write!(
                    f,
                    "current-version index says {indexed}, the log's last version is {logged}"
                )
            }
        }
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry {}", self.seq)?;
        if let Some(at) = &self.subject {
            write!(f, " ({} {} of election {})", at.kind, at.subject, at.election)?;
        }
        write!(f, ": {}", self.problem)
    }
}
