//! Reading protocols back for tabulation: the current version of every station's protocol,
//! decoded from its signed payload, with the election's ballot and commission names, and
//! the full version history of one station.
//!
//! Totals are never stored: a caller sums the current protocols up the hierarchy with
//! `saylau_core::count::protocol::tabulate`, so every total is derived from signed payloads.

use saylau_core::count::commission::{CommissionId as CoreCommissionId, Hierarchy};
use saylau_core::count::protocol::{BallotList, BallotLists, Protocol};
use saylau_core::seats::votes::ListId;
use sqlx::Row as _;

use crate::digest::Digest;
use crate::entry::{Seq, Version};
use crate::error::{At, DatabaseError, OrDb as _};
use crate::id::ElectionId;
use crate::payload::{PROTOCOL_KIND, PayloadError, ProtocolEncoder, decode_protocol};
use crate::store::{Db, Store, pg_begin_snapshot};

/// The current protocols of an election.
#[derive(Debug, Clone)]
pub struct CurrentProtocols {
    /// The election's lists in registration order, which an import makes the ballot order.
    pub ballot: BallotLists,
    /// The names of the region and district commissions.
    pub hierarchy: Hierarchy,
    /// The current version of every station's protocol, by station id.
    pub protocols: Vec<CurrentProtocol>,
}

/// The current version of one station's protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentProtocol {
    /// The protocol.
    pub protocol: Protocol,
    /// Its version.
    pub version: Version,
    /// The entry that recorded it.
    pub seq: Seq,
}

/// One version of a station's protocol, as the log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The entry's position in the log.
    pub seq: Seq,
    /// The version.
    pub version: Version,
    /// Who submitted it.
    pub author: String,
    /// The commission whose key signed it.
    pub commission: String,
    /// The key's id.
    pub key_id: String,
    /// Why it corrected the version before it.
    pub reason: Option<String>,
    /// When it was accepted (UTC, RFC 3339).
    pub recorded_at: String,
    /// SHA-256 of the payload.
    pub content_hash: Digest,
    /// The entry hash.
    pub entry_hash: Digest,
    /// The signed batch it belongs to, if it was signed in a batch.
    pub batch: Option<u64>,
    /// The protocol of this version.
    pub protocol: Protocol,
}

/// Protocols that cannot be read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TabulationError {
    /// The election is not registered, or has no lists.
    #[error("election {0} has no registered lists: import its protocols first")]
    NoLists(String),
    /// A stored payload is not a protocol of the election's ballot (run `saylau log verify`).
    #[error("entry {seq} (station {station}): {error}")]
    Payload {
        /// The entry.
        seq: Seq,
        /// Its subject.
        station: String,
        /// What is wrong.
        error: PayloadError,
    },
    /// Any other database error, or a stored value that cannot be read back.
    #[error("store: {0}")]
    Database(#[from] DatabaseError),
}

const LISTS: &str = "SELECT id, name FROM lists WHERE election_id = $1 ORDER BY registration";
const NAMES: &str = "SELECT id, name FROM commissions \
     WHERE election_id = $1 AND level IN ('region', 'district')";
const CURRENT_PAYLOADS: &str = "SELECT e.seq, e.subject, e.version, e.payload \
     FROM current_versions c JOIN log_entries e ON e.election_id = c.election_id \
     AND e.kind = c.kind AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = $1 AND c.kind = $2";

/// For the rest of the read transaction: no nested-loop joins (see [`current_rows_in`]).
const POSTGRES_NO_NESTED_LOOP: &str = "SET LOCAL enable_nestloop = off";

/// The rows the current protocols are made of: lists `(id, name)` in registration order,
/// commission names `(id, name)`, and `(seq, subject, version, payload)` of every current
/// protocol.
pub(crate) struct CurrentRows {
    pub(crate) lists: Vec<(String, String)>,
    pub(crate) names: Vec<(String, String)>,
    pub(crate) payloads: Vec<(i64, String, i64, Vec<u8>)>,
}

/// The current protocol of every station of `election`, from one snapshot of the store.
///
/// This read checks nothing but that the payloads decode: a reader that shows results to
/// people uses [`crate::checked::current_protocols`], which verifies the log in the same
/// snapshot and refuses a broken store.
pub async fn current_protocols(
    store: &Store,
    election: &ElectionId,
) -> Result<CurrentProtocols, TabulationError> {
    let rows = match store.db() {
        Db::Sqlite(sqlite) => {
            let id = election.to_string();
            sqlite.read(move |tx| crate::sqlite::read::current_rows(tx, &id)).await?
        }
        Db::Postgres(pool) => current_rows_pg(pool, election).await?,
    };
    decode_current(rows, election)
}

/// The current protocols of `rows`, decoded against the election's lists.
pub(crate) fn decode_current(
    rows: CurrentRows,
    election: &ElectionId,
) -> Result<CurrentProtocols, TabulationError> {
    let ballot = ballot_of(rows.lists, election)?;
    let mut hierarchy = Hierarchy::new();
    for (id, name) in rows.names {
        if let Ok(id) = CoreCommissionId::parse(&id) {
            // A name that cannot be recorded (blank) leaves the commission unnamed.
            let _ = hierarchy.name_commission(id, &name);
        }
    }
    let encoder = ProtocolEncoder::new(&ballot);
    let mut protocols = Vec::with_capacity(rows.payloads.len());
    for (seq, station, version, payload) in rows.payloads {
        let at = At { table: "log_entries", row: &seq };
        let seq = Seq(at.count("seq", seq).map_err(DatabaseError::from)?);
        let version = Version(at.count("version", version).map_err(DatabaseError::from)?);
        let protocol = decode_protocol(&encoder, &ballot, &payload)
            .map_err(|error| TabulationError::Payload { seq, station, error })?;
        protocols.push(CurrentProtocol { protocol, version, seq });
    }
    protocols.sort_by_key(|it| it.protocol.station());
    Ok(CurrentProtocols { ballot, hierarchy, protocols })
}

async fn current_rows_pg(
    pool: &sqlx::PgPool,
    election: &ElectionId,
) -> Result<CurrentRows, DatabaseError> {
    let mut tx = pg_begin_snapshot(pool).await?;
    let rows = current_rows_in(&mut tx, election).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// What [`current_protocols`] reads, inside a PostgreSQL snapshot transaction.
pub(crate) async fn current_rows_in(
    tx: &mut sqlx::PgConnection,
    election: &ElectionId,
) -> Result<CurrentRows, DatabaseError> {
    let lists = pairs_pg(&mut *tx, LISTS, election).await?;
    let names = pairs_pg(&mut *tx, NAMES, election).await?;
    // A whole election's current versions joined to their entries: a hash join is always
    // right. During an import the statistics lag behind the tables, and the planner, taking
    // them for nearly empty, chose a nested loop over both (minutes at 100,000 stations).
    sqlx::query(POSTGRES_NO_NESTED_LOOP).execute(&mut *tx).await?;
    let rows = sqlx::query(CURRENT_PAYLOADS)
        .bind(election.as_str())
        .bind(PROTOCOL_KIND)
        .fetch_all(&mut *tx)
        .await?;
    let payloads = rows
        .iter()
        .map(|row| {
            let seq = row.try_get("seq")?;
            Ok((seq, row.try_get("subject")?, row.try_get("version")?, row.try_get("payload")?))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(CurrentRows { lists, names, payloads })
}

/// `(id, name)` rows of `query` for `election`.
async fn pairs_pg(
    conn: &mut sqlx::PgConnection,
    query: &'static str,
    election: &ElectionId,
) -> Result<Vec<(String, String)>, DatabaseError> {
    let rows = sqlx::query(query).bind(election.as_str()).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("name")?)))
        .collect::<Result<_, sqlx::Error>>()
        .db()
}

/// The ballot of the registered lists.
fn ballot_of(
    lists: Vec<(String, String)>,
    election: &ElectionId,
) -> Result<BallotLists, TabulationError> {
    let lists = lists.into_iter().map(|(id, name)| BallotList { id: ListId::new(&id), name });
    BallotLists::new(lists.collect()).map_err(|_| TabulationError::NoLists(election.to_string()))
}

const HISTORY: &str = "SELECT e.seq, e.version, e.author, k.commission_id, e.key_id, e.reason, \
     e.recorded_at, e.content_hash, e.entry_hash, e.batch_id, e.payload \
     FROM log_entries e JOIN commission_keys k ON k.id = e.key_id \
     WHERE e.election_id = $1 AND e.kind = $2 AND e.subject = $3 ORDER BY e.version";

/// The lists `(id, name)` of an election and the stored rows of a station's history.
pub(crate) type HistoryRows = (Vec<(String, String)>, Vec<HistoryRow>);

/// A stored row of a station's history, as either backend reads it.
pub(crate) struct HistoryRow {
    pub(crate) seq: i64,
    pub(crate) version: i64,
    pub(crate) author: String,
    pub(crate) commission: String,
    pub(crate) key_id: String,
    pub(crate) reason: Option<String>,
    pub(crate) recorded_at: String,
    pub(crate) content_hash: Vec<u8>,
    pub(crate) entry_hash: Vec<u8>,
    pub(crate) batch: Option<i64>,
    pub(crate) payload: Vec<u8>,
}

/// Every version of one station's protocol, oldest first (empty for a station without
/// protocols). Like [`current_protocols`], it checks only that the payloads decode; see
/// [`crate::checked::history`].
pub async fn history(
    store: &Store,
    election: &ElectionId,
    station: &str,
) -> Result<Vec<HistoryEntry>, TabulationError> {
    let (lists, rows) = match store.db() {
        Db::Sqlite(sqlite) => {
            let (election, station) = (election.to_string(), station.to_owned());
            sqlite.read(move |tx| crate::sqlite::read::history(tx, &election, &station)).await?
        }
        Db::Postgres(pool) => history_pg(pool, election, station).await?,
    };
    Ok(decode_history(lists, rows, election, station)?.0)
}

/// The versions of `rows` and the ballot of `lists`.
pub(crate) fn decode_history(
    lists: Vec<(String, String)>,
    rows: Vec<HistoryRow>,
    election: &ElectionId,
    station: &str,
) -> Result<(Vec<HistoryEntry>, BallotLists), TabulationError> {
    let ballot = ballot_of(lists, election)?;
    let encoder = ProtocolEncoder::new(&ballot);
    let mut res = Vec::with_capacity(rows.len());
    for row in rows {
        let at = At { table: "log_entries", row: &row.seq };
        let decoded = || -> Result<(Seq, Version, Digest, Digest, Option<u64>), DatabaseError> {
            Ok((
                Seq(at.count("seq", row.seq)?),
                Version(at.count("version", row.version)?),
                at.digest("content_hash", &row.content_hash)?,
                at.digest("entry_hash", &row.entry_hash)?,
                row.batch.map(|batch| at.count("batch_id", batch)).transpose()?,
            ))
        };
        let (seq, version, content_hash, entry_hash, batch) = decoded()?;
        let protocol = decode_protocol(&encoder, &ballot, &row.payload).map_err(|error| {
            TabulationError::Payload { seq, station: station.to_owned(), error }
        })?;
        res.push(HistoryEntry {
            seq,
            version,
            author: row.author,
            commission: row.commission,
            key_id: row.key_id,
            reason: row.reason,
            recorded_at: row.recorded_at,
            content_hash,
            entry_hash,
            batch,
            protocol,
        });
    }
    Ok((res, ballot))
}

async fn history_pg(
    pool: &sqlx::PgPool,
    election: &ElectionId,
    station: &str,
) -> Result<HistoryRows, DatabaseError> {
    let mut tx = pg_begin_snapshot(pool).await?;
    let rows = history_rows_in(&mut tx, election, station).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// What [`history`] reads, inside a PostgreSQL snapshot transaction.
pub(crate) async fn history_rows_in(
    tx: &mut sqlx::PgConnection,
    election: &ElectionId,
    station: &str,
) -> Result<HistoryRows, DatabaseError> {
    let lists = pairs_pg(&mut *tx, LISTS, election).await?;
    let rows = sqlx::query(HISTORY)
        .bind(election.as_str())
        .bind(PROTOCOL_KIND)
        .bind(station)
        .fetch_all(&mut *tx)
        .await?;
    let row = |row: &sqlx::postgres::PgRow| -> Result<HistoryRow, sqlx::Error> {
        Ok(HistoryRow {
            seq: row.try_get("seq")?,
            version: row.try_get("version")?,
            author: row.try_get("author")?,
            commission: row.try_get("commission_id")?,
            key_id: row.try_get("key_id")?,
            reason: row.try_get("reason")?,
            recorded_at: row.try_get("recorded_at")?,
            content_hash: row.try_get("content_hash")?,
            entry_hash: row.try_get("entry_hash")?,
            batch: row.try_get("batch_id")?,
            payload: row.try_get("payload")?,
        })
    };
    let rows = rows.iter().map(row).collect::<Result<_, _>>()?;
    Ok((lists, rows))
}
