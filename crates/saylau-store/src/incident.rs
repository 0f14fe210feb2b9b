//! Observers' incident reports in the store (`docs/observation.md`, "Incidents").
//!
//! A report and each change of its follow-up state are log entries of the kinds
//! [`INCIDENT_KIND`] and [`INCIDENT_STATE_KIND`] (subject: `ORG/INCIDENT`), signed by an
//! observer organisation's key; migration 0021 lets only such a key sign them. The
//! evidence files a report names by SHA-256 are kept in the table `incident_evidence`,
//! content-addressed and insert-only; [`evidence`] recomputes each file's hash on every
//! read, so a file changed in the database is reported, never shown as evidence.
//!
//! Evidence is written ([`put_evidence`]) before the entries that name it: a crash in
//! between leaves a file that no signed report names, which nothing reads, and importing
//! the report again stores nothing twice (the table is keyed by the hash).

use crate::digest::Digest;
use crate::entry::now_rfc3339;
use crate::error::{At, DatabaseError, OrDb as _};
use crate::store::{Db, Store, pg_begin_snapshot, pg_begin_write};

/// The kind of an incident report.
pub const INCIDENT_KIND: &str = "incident";
/// The kind of a change of a report's follow-up state.
pub const INCIDENT_STATE_KIND: &str = "incident-state";

/// What reading one evidence file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// The file, whose SHA-256 is the one asked for.
    Found(Vec<u8>),
    /// No file with that hash is stored.
    Missing,
    /// A file is stored under the hash, but its bytes hash to another value: it was
    /// changed in the database.
    Mismatch {
        /// The SHA-256 of the stored bytes.
        computed: Digest,
    },
}

const INSERT_PG: &str = "INSERT INTO incident_evidence (sha256, bytes, stored_at) \
     VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING";
const INSERT_SQLITE: &str = "INSERT INTO incident_evidence (sha256, bytes, stored_at) \
     VALUES (?1, ?2, ?3) ON CONFLICT (sha256) DO NOTHING";
const SELECT_PG: &str = "SELECT bytes FROM incident_evidence WHERE sha256 = $1";
const SELECT_SQLITE: &str = "SELECT bytes FROM incident_evidence WHERE sha256 = ?1";

/// Stores `files` (in one transaction), each under its SHA-256; a file stored already is
/// left as it is. Returns the hashes, in order.
pub async fn put_evidence(
    store: &Store,
    files: Vec<Vec<u8>>,
) -> Result<Vec<Digest>, DatabaseError> {
    let hashes: Vec<Digest> = files.iter().map(|it| Digest::of(it)).collect();
    let at = now_rfc3339();
    match store.db() {
        Db::Sqlite(sqlite) => {
            let rows: Vec<(Digest, Vec<u8>)> = hashes.iter().copied().zip(files).collect();
            sqlite
                .write(move |conn| -> Result<(), DatabaseError> {
                    let tx = conn.transaction().db()?;
                    {
                        let mut insert = tx.prepare(INSERT_SQLITE).db()?;
                        for (hash, bytes) in &rows {
                            insert
                                .execute(rusqlite::params![
                                    hash.as_bytes().as_slice(),
                                    bytes,
                                    at.as_str()
                                ])
                                .db()?;
                        }
                    }
                    tx.commit().db()
                })
                .await?;
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_write(pool).await?;
            for (hash, bytes) in hashes.iter().zip(&files) {
                sqlx::query(INSERT_PG)
                    .bind(hash.as_bytes().to_vec())
                    .bind(bytes)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
    }
    Ok(hashes)
}

/// Reads the evidence files of `hashes` in one snapshot, checking each file's SHA-256.
pub async fn evidence(store: &Store, hashes: &[Digest]) -> Result<Vec<Evidence>, DatabaseError> {
    let stored: Vec<Option<Vec<u8>>> = match store.db() {
        Db::Sqlite(sqlite) => {
            let hashes = hashes.to_vec();
            sqlite
                .read(move |tx| -> Result<Vec<Option<Vec<u8>>>, DatabaseError> {
                    let mut select = tx.prepare(SELECT_SQLITE).db()?;
                    let mut out = Vec::with_capacity(hashes.len());
                    for hash in &hashes {
                        let mut rows = select.query([hash.as_bytes().as_slice()]).db()?;
                        let bytes = match rows.next().db()? {
                            Some(row) => Some(row.get::<_, Vec<u8>>(0).db()?),
                            None => None,
                        };
                        out.push(bytes);
                    }
                    Ok(out)
                })
                .await?
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_snapshot(pool).await?;
            let mut out = Vec::with_capacity(hashes.len());
            for hash in hashes {
                let bytes: Option<Vec<u8>> = sqlx::query_scalar(SELECT_PG)
                    .bind(hash.as_bytes().to_vec())
                    .fetch_optional(&mut *tx)
                    .await?;
                out.push(bytes);
            }
            tx.rollback().await?;
            out
        }
    };
    Ok(hashes
        .iter()
        .zip(stored)
        .map(|(hash, bytes)| match bytes {
            None => Evidence::Missing,
            Some(bytes) => {
                let computed = Digest::of(&bytes);
                if computed == *hash {
                    Evidence::Found(bytes)
                } else {
                    Evidence::Mismatch { computed }
                }
            }
        })
        .collect())
}

/// One stored change of a report's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChange {
    /// The report's subject, `ORG/ID`.
    pub subject: String,
    /// The version of its state (1 for the first change).
    pub version: u64,
    /// The log entry.
    pub seq: u64,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
    /// The payload.
    pub payload: Vec<u8>,
}

const CHANGES_PG: &str = "SELECT subject, version, seq, recorded_at, payload FROM log_entries \
     WHERE election_id = $1 AND kind = 'incident-state' ORDER BY seq";
const CHANGES_SQLITE: &str = "SELECT subject, version, seq, recorded_at, payload FROM log_entries \
     WHERE election_id = ?1 AND kind = 'incident-state' ORDER BY seq";

type ChangeRow = (String, i64, i64, String, Vec<u8>);

/// Every change of every report's state in `election`, in log order.
pub async fn state_changes(
    store: &Store,
    election: &crate::id::ElectionId,
) -> Result<Vec<StoredChange>, DatabaseError> {
    let rows: Vec<ChangeRow> = match store.db() {
        Db::Sqlite(sqlite) => {
            let election = election.to_string();
            sqlite
                .read(move |tx| -> Result<Vec<ChangeRow>, DatabaseError> {
                    let mut query = tx.prepare(CHANGES_SQLITE).db()?;
                    let rows = query
                        .query_map([election.as_str()], |row| {
                            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
                        })
                        .db()?;
                    rows.collect::<Result<_, _>>().db()
                })
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(CHANGES_PG).bind(election.as_str()).fetch_all(pool).await?
        }
    };
    rows.into_iter()
        .map(|(subject, version, seq, recorded_at, payload)| {
            let at = At { table: "log_entries", row: &seq };
            Ok(StoredChange {
                version: at.count("version", version)?,
                seq: at.count("seq", seq)?,
                subject,
                recorded_at,
                payload,
            })
        })
        .collect()
}
