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

use crate::blobs::{self, Blobs};
use crate::digest::Digest;
use crate::error::{At, DatabaseError, OrDb as _};
use crate::store::{Db, Store};

/// The kind of an incident report.
pub const INCIDENT_KIND: &str = "incident";
/// The kind of a change of a report's follow-up state.
pub const INCIDENT_STATE_KIND: &str = "incident-state";

pub use crate::blobs::Evidence;

/// Stores `files` (in one transaction), each under its SHA-256; a file stored already is
/// left as it is. Returns the hashes, in order.
pub async fn put_evidence(
    store: &Store,
    files: Vec<Vec<u8>>,
) -> Result<Vec<Digest>, DatabaseError> {
    blobs::put(store, Blobs::Evidence, files).await
}

/// Reads the evidence files of `hashes` in one snapshot, checking each file's SHA-256.
pub async fn evidence(store: &Store, hashes: &[Digest]) -> Result<Vec<Evidence>, DatabaseError> {
    blobs::get(store, Blobs::Evidence, hashes).await
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
