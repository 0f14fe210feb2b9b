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
use crate::id::ElectionId;
use crate::ledger::from_sql;
use crate::payload::{PROTOCOL_KIND, PayloadError, ProtocolEncoder, decode_protocol};
use crate::store::{Backend, Store};

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
    /// Any other database error.
    #[error("store: {0}")]
    Database(#[from] sqlx::Error),
    /// An error of the SQLite reader.
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

const LISTS: &str = "SELECT id, name FROM lists WHERE election_id = $1 ORDER BY registration";
const NAMES: &str = "SELECT id, name FROM commissions \
     WHERE election_id = $1 AND level IN ('region', 'district')";
const CURRENT_PAYLOADS: &str = "SELECT e.seq, e.subject, e.version, e.payload \
     FROM current_versions c JOIN log_entries e ON e.election_id = c.election_id \
     AND e.kind = c.kind AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = $1 AND c.kind = $2";

/// The rows the current protocols are made of: lists `(id, name)` in registration order,
/// commission names `(id, name)`, and `(seq, subject, version, payload)` of every current
/// protocol.
pub(crate) struct CurrentRows {
    pub(crate) lists: Vec<(String, String)>,
    pub(crate) names: Vec<(String, String)>,
    pub(crate) payloads: Vec<(i64, String, i64, Vec<u8>)>,
}

/// The current protocol of every station of `election`, from one snapshot of the store.
pub async fn current_protocols(
    store: &Store,
    election: &ElectionId,
) -> Result<CurrentProtocols, TabulationError> {
    let rows = match store.backend() {
        // The rows are read in this process: sqlx would hand each row across threads.
        Backend::Sqlite => {
            crate::sqlite_bulk::Reader::open(store.location())?.current_rows(election.as_str())?
        }
        Backend::Postgres => current_rows_any(store, election).await?,
    };
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
        let seq = Seq(from_sql(seq));
        let protocol = decode_protocol(&encoder, &ballot, &payload)
            .map_err(|error| TabulationError::Payload { seq, station, error })?;
        protocols.push(CurrentProtocol { protocol, version: Version(from_sql(version)), seq });
    }
    protocols.sort_by_key(|it| it.protocol.station());
    Ok(CurrentProtocols { ballot, hierarchy, protocols })
}

async fn current_rows_any(
    store: &Store,
    election: &ElectionId,
) -> Result<CurrentRows, sqlx::Error> {
    let mut tx = store.begin_snapshot().await?;
    let mut pairs = Vec::new();
    for query in [LISTS, NAMES] {
        let rows = sqlx::query(query).bind(election.as_str()).fetch_all(&mut *tx).await?;
        let rows: Result<Vec<(String, String)>, sqlx::Error> =
            rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("name")?))).collect();
        pairs.push(rows?);
    }
    let rows = sqlx::query(CURRENT_PAYLOADS)
        .bind(election.as_str())
        .bind(PROTOCOL_KIND)
        .fetch_all(&mut *tx)
        .await?;
    tx.rollback().await?;
    let payloads = rows
        .iter()
        .map(|row| {
            let seq = row.try_get("seq")?;
            Ok((seq, row.try_get("subject")?, row.try_get("version")?, row.try_get("payload")?))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let names = pairs.pop().unwrap_or_default();
    let lists = pairs.pop().unwrap_or_default();
    Ok(CurrentRows { lists, names, payloads })
}

/// The ballot of the registered lists.
fn ballot_of(
    lists: Vec<(String, String)>,
    election: &ElectionId,
) -> Result<BallotLists, TabulationError> {
    let lists = lists.into_iter().map(|(id, name)| BallotList { id: ListId::new(&id), name });
    BallotLists::new(lists.collect()).map_err(|_| TabulationError::NoLists(election.to_string()))
}

async fn ballot_in(
    conn: &mut sqlx::AnyConnection,
    election: &ElectionId,
) -> Result<BallotLists, TabulationError> {
    let rows = sqlx::query(LISTS).bind(election.as_str()).fetch_all(&mut *conn).await?;
    let lists: Result<Vec<(String, String)>, sqlx::Error> =
        rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("name")?))).collect();
    ballot_of(lists?, election)
}

const HISTORY: &str = "SELECT e.seq, e.version, e.author, k.commission_id, e.key_id, e.reason, \
     e.recorded_at, e.content_hash, e.entry_hash, e.batch_id, e.payload \
     FROM log_entries e JOIN commission_keys k ON k.id = e.key_id \
     WHERE e.election_id = $1 AND e.kind = $2 AND e.subject = $3 ORDER BY e.version";

/// Every version of one station's protocol, oldest first (empty for a station without
/// protocols).
pub async fn history(
    store: &Store,
    election: &ElectionId,
    station: &str,
) -> Result<Vec<HistoryEntry>, TabulationError> {
    let mut tx = store.begin_snapshot().await?;
    let ballot = ballot_in(&mut tx, election).await?;
    let rows = sqlx::query(HISTORY)
        .bind(election.as_str())
        .bind(PROTOCOL_KIND)
        .bind(station)
        .fetch_all(&mut *tx)
        .await?;
    tx.rollback().await?;
    let encoder = ProtocolEncoder::new(&ballot);
    let mut res = Vec::with_capacity(rows.len());
    for row in rows {
        let seq = Seq(from_sql(row.try_get("seq")?));
        let payload: Vec<u8> = row.try_get("payload")?;
        let protocol = decode_protocol(&encoder, &ballot, &payload).map_err(|error| {
            TabulationError::Payload { seq, station: station.to_owned(), error }
        })?;
        let digest = |field: &str| -> Result<Digest, sqlx::Error> {
            let bytes: Vec<u8> = row.try_get(field)?;
            Ok(Digest::from_slice(&bytes).unwrap_or(Digest::ZERO))
        };
        let batch: Option<i64> = row.try_get("batch_id")?;
        res.push(HistoryEntry {
            seq,
            version: Version(from_sql(row.try_get("version")?)),
            author: row.try_get("author")?,
            commission: row.try_get("commission_id")?,
            key_id: row.try_get("key_id")?,
            reason: row.try_get("reason")?,
            recorded_at: row.try_get("recorded_at")?,
            content_hash: digest("content_hash")?,
            entry_hash: digest("entry_hash")?,
            batch: batch.map(from_sql),
            protocol,
        });
    }
    Ok(res)
}
