//! The SQLite driver's reads, each inside one read transaction of a pooled read-only
//! connection ([`super::Sqlite::read`]), so that it sees one snapshot of the store: the
//! whole log for verification, every current protocol for tabulation, a station's history,
//! current versions, the head of the log, keys.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension as _};

use crate::digest::Digest;
use crate::entry::{Checkpoint, Seq, Version};
use crate::error::{At, DatabaseError};
use crate::id::{ElectionId, Kind, Subject};
use crate::ledger::Current;
use crate::registry::KeyRow;
use crate::verify::{Verification, VerifyError};
use crate::walk::{IndexRow, StoredBatch, StoredRow, Walk, keys};

const HEAD: &str = "SELECT seq, entry_hash FROM log_entries ORDER BY seq DESC LIMIT 1";

/// The head of the log: its last entry, or entry 0 with the zero hash when it is empty.
pub(crate) fn head(conn: &Connection) -> Result<Checkpoint, DatabaseError> {
    let row: Option<(i64, Vec<u8>)> =
        conn.query_row(HEAD, [], |row| Ok((row.get(0)?, row.get(1)?))).optional()?;
    let Some((seq, hash)) = row else { return Ok(Checkpoint { seq: Seq(0), hash: Digest::ZERO }) };
    let at = At { table: "log_entries", row: &seq };
    Ok(Checkpoint { seq: Seq(at.count("seq", seq)?), hash: at.digest("entry_hash", &hash)? })
}

const CURRENT: &str = "SELECT c.version, e.seq, e.content_hash FROM current_versions c \
     JOIN log_entries e ON e.election_id = c.election_id AND e.kind = c.kind \
     AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = ?1 AND c.kind = ?2 AND c.subject = ?3";

/// The current version of one subject.
pub(crate) fn current(
    conn: &Connection,
    election: &ElectionId,
    kind: &Kind,
    subject: &Subject,
) -> Result<Option<Current>, DatabaseError> {
    let mut query = conn.prepare_cached(CURRENT)?;
    let row: Option<(i64, i64, Vec<u8>)> = query
        .query_row([election.as_str(), kind.as_str(), subject.as_str()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    let Some((version, seq, hash)) = row else { return Ok(None) };
    Ok(Some(decode_current(subject, version, seq, &hash)?))
}

fn decode_current(
    subject: &dyn std::fmt::Display,
    version: i64,
    seq: i64,
    hash: &[u8],
) -> Result<Current, DatabaseError> {
    let at = At { table: "current_versions", row: subject };
    Ok(Current {
        version: Version(at.count("version", version)?),
        seq: Seq(at.count("seq", seq)?),
        content_hash: at.digest("content_hash", hash)?,
    })
}

const CURRENTS: &str = "SELECT c.subject, c.version, e.seq, e.content_hash \
     FROM current_versions c JOIN log_entries e ON e.election_id = c.election_id \
     AND e.kind = c.kind AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = ?1 AND c.kind = ?2";

/// The current version of every subject of `election` and `kind`.
pub(crate) fn currents(
    conn: &Connection,
    election: &ElectionId,
    kind: &Kind,
) -> Result<HashMap<Subject, Current>, DatabaseError> {
    let mut query = conn.prepare_cached(CURRENTS)?;
    let mut rows = query.query([election.as_str(), kind.as_str()])?;
    let mut map = HashMap::new();
    while let Some(row) = rows.next()? {
        let subject: String = row.get(0)?;
        // A subject that is not an id is named by `saylau log verify`; no append names it.
        let Ok(parsed) = subject.parse::<Subject>() else { continue };
        let hash: Vec<u8> = row.get(3)?;
        map.insert(parsed, decode_current(&subject, row.get(1)?, row.get(2)?, &hash)?);
    }
    Ok(map)
}

const CURRENT_OF: &str = "SELECT c.subject, c.version, e.seq, e.content_hash \
     FROM current_versions c JOIN log_entries e ON e.election_id = c.election_id \
     AND e.kind = c.kind AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = ?1 AND c.kind = ?2 AND c.subject = ?3";

/// The current versions of `subjects` of `election` and `kind` (those that have one): an
/// import's chunk reads only its own stations, so that its memory does not grow with the
/// stations imported before it.
pub(crate) fn currents_of(
    conn: &Connection,
    election: &ElectionId,
    kind: &Kind,
    subjects: &[Subject],
) -> Result<HashMap<Subject, Current>, DatabaseError> {
    let mut query = conn.prepare_cached(CURRENT_OF)?;
    let mut map = HashMap::with_capacity(subjects.len());
    for subject in subjects {
        let mut rows = query.query([election.as_str(), kind.as_str(), subject.as_str()])?;
        if let Some(row) = rows.next()? {
            let hash: Vec<u8> = row.get(3)?;
            let current = decode_current(subject, row.get(1)?, row.get(2)?, &hash)?;
            map.insert(subject.clone(), current);
        }
    }
    Ok(map)
}

const PAYLOAD: &str = "SELECT payload FROM log_entries \
     WHERE election_id = ?1 AND kind = ?2 AND subject = ?3 AND version = ?4";

/// The payload of one version of a subject.
pub(crate) fn payload(
    conn: &Connection,
    election: &ElectionId,
    kind: &Kind,
    subject: &Subject,
    version: Version,
) -> Result<Option<Vec<u8>>, DatabaseError> {
    let version = crate::error::to_sql(version.0);
    let params = rusqlite::params![election.as_str(), kind.as_str(), subject.as_str(), version];
    Ok(conn.query_row(PAYLOAD, params, |row| row.get(0)).optional()?)
}

const VERSIONS: &str = "SELECT version FROM log_entries \
     WHERE election_id = ?1 AND kind = ?2 AND subject = ?3 ORDER BY version";

/// Every stored version number of a subject, oldest first.
pub(crate) fn versions(
    conn: &Connection,
    election: &ElectionId,
    kind: &Kind,
    subject: &Subject,
) -> Result<Vec<i64>, DatabaseError> {
    let mut query = conn.prepare(VERSIONS)?;
    let rows =
        query.query_map([election.as_str(), kind.as_str(), subject.as_str()], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

const ALL_KEYS: &str =
    "SELECT id, commission_id, public_key, registered_at FROM commission_keys ORDER BY id";

/// Every key row.
pub(crate) fn keys_registered(conn: &Connection) -> Result<Vec<KeyRow>, DatabaseError> {
    let mut query = conn.prepare(ALL_KEYS)?;
    let rows =
        query.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

const COMMISSION_REGISTERED: &str = "SELECT EXISTS (SELECT 1 FROM commissions WHERE id = ?1)";

/// Whether a commission of this id is registered in any election.
pub(crate) fn commission_registered(conn: &Connection, id: &str) -> Result<bool, DatabaseError> {
    Ok(conn.query_row(COMMISSION_REGISTERED, [id], |row| row.get(0))?)
}

/// The verification of [`crate::verify::verify`], from one snapshot.
pub(crate) fn verify(
    tx: &Connection,
    published: Vec<Checkpoint>,
) -> Result<Verification, VerifyError> {
    let key_rows = {
        let mut query = tx.prepare(KEYS).map_err(DatabaseError::from)?;
        let rows = query
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(Iterator::collect::<Result<Vec<(String, Vec<u8>)>, _>>);
        rows.map_err(DatabaseError::from)?
    };
    let mut batches = HashMap::new();
    {
        let mut query = tx.prepare(BATCHES).map_err(DatabaseError::from)?;
        let mut rows = query.query([]).map_err(DatabaseError::from)?;
        while let Some(row) = rows.next().map_err(DatabaseError::from)? {
            let id: i64 = row.get(0).map_err(DatabaseError::from)?;
            let at = At { table: "batches", row: &id };
            let first: i64 = row.get(1).map_err(DatabaseError::from)?;
            let last: i64 = row.get(2).map_err(DatabaseError::from)?;
            let batch = StoredBatch {
                first: Seq(at.count("first_seq", first).map_err(DatabaseError::from)?),
                last: Seq(at.count("last_seq", last).map_err(DatabaseError::from)?),
                key_id: row.get(3).map_err(DatabaseError::from)?,
                signature: row.get(4).map_err(DatabaseError::from)?,
            };
            batches.insert(at.count("id", id).map_err(DatabaseError::from)?, batch);
        }
    }
    let mut walk = Walk::new(keys(key_rows), batches, published);
    {
        let mut query = tx.prepare(ENTRIES).map_err(DatabaseError::from)?;
        let mut rows = query.query([]).map_err(DatabaseError::from)?;
        while let Some(row) = rows.next().map_err(DatabaseError::from)? {
            if let Err(broken) = walk.step(&stored_row(row)) {
                return Ok(Verification::Broken(*broken));
            }
        }
    }
    let index = {
        let mut query = tx.prepare(INDEX).map_err(DatabaseError::from)?;
        let rows = query
            .query_map([], |row| Ok(((row.get(0)?, row.get(1)?, row.get(2)?), row.get(3)?)))
            .and_then(Iterator::collect::<Result<Vec<IndexRow>, _>>);
        rows.map_err(DatabaseError::from)?
    };
    let tables = super::enrol::tables(tx, None)?;
    Ok(walk.finish(&index, &tables))
}

/// What [`crate::tabulation::current_protocols`] reads, from one snapshot.
pub(crate) fn current_rows(
    tx: &Connection,
    election: &str,
) -> Result<crate::tabulation::CurrentRows, DatabaseError> {
    let pairs = |query: &str| -> Result<Vec<(String, String)>, rusqlite::Error> {
        let mut query = tx.prepare(query)?;
        let rows = query.query_map([election], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect()
    };
    let lists = pairs(LISTS_NAMED)?;
    let names = pairs(NAMES)?;
    let mut query = tx.prepare(CURRENT_PAYLOADS)?;
    let rows = query.query_map([election, crate::payload::PROTOCOL_KIND], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })?;
    let payloads = rows.collect::<Result<Vec<_>, _>>()?;
    Ok(crate::tabulation::CurrentRows { lists, names, payloads })
}

const LISTS_NAMED: &str = "SELECT id, name FROM lists WHERE election_id = ?1 ORDER BY registration";
const NAMES: &str = "SELECT id, name FROM commissions \
     WHERE election_id = ?1 AND level IN ('region', 'district')";
const CURRENT_PAYLOADS: &str = "SELECT e.seq, e.subject, e.version, e.payload \
     FROM current_versions c JOIN log_entries e ON e.election_id = c.election_id \
     AND e.kind = c.kind AND e.subject = c.subject AND e.version = c.version \
     WHERE c.election_id = ?1 AND c.kind = ?2";

const KEYS: &str = "SELECT id, public_key FROM commission_keys";
const BATCHES: &str = "SELECT id, first_seq, last_seq, key_id, signature FROM batches";
const ENTRIES: &str = "SELECT seq, election_id, kind, subject, version, content_hash, prev_hash, \
     entry_hash, author, key_id, signature, batch_id, reason, recorded_at, payload \
     FROM log_entries ORDER BY seq";
const INDEX: &str = "SELECT election_id, kind, subject, version FROM current_versions";

/// A row of `ENTRIES` as a [`StoredRow`]: a value of another type is `None`.
fn stored_row(row: &rusqlite::Row<'_>) -> StoredRow {
    StoredRow {
        seq: row.get(0).ok(),
        election: row.get(1).ok(),
        kind: row.get(2).ok(),
        subject: row.get(3).ok(),
        version: row.get(4).ok(),
        content_hash: row.get(5).ok(),
        prev_hash: row.get(6).ok(),
        entry_hash: row.get(7).ok(),
        author: row.get(8).ok(),
        key_id: row.get(9).ok(),
        signature: row.get(10).ok(),
        batch_id: row.get(11).ok(),
        reason: row.get(12).ok(),
        recorded_at: row.get(13).ok(),
        payload: row.get(14).ok(),
    }
}

const HISTORY: &str = "SELECT e.seq, e.version, e.author, k.commission_id, e.key_id, e.reason, \
     e.recorded_at, e.content_hash, e.entry_hash, e.batch_id, e.payload \
     FROM log_entries e JOIN commission_keys k ON k.id = e.key_id \
     WHERE e.election_id = ?1 AND e.kind = ?2 AND e.subject = ?3 ORDER BY e.version";

/// The lists `(id, name)` of `election` and every stored version of `station`'s protocol.
pub(crate) fn history(
    tx: &Connection,
    election: &str,
    station: &str,
) -> Result<crate::tabulation::HistoryRows, DatabaseError> {
    let lists = {
        let mut query = tx.prepare(LISTS_NAMED)?;
        let rows = query.query_map([election], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let mut query = tx.prepare(HISTORY)?;
    let rows = query.query_map([election, crate::payload::PROTOCOL_KIND, station], |row| {
        Ok(crate::tabulation::HistoryRow {
            seq: row.get(0)?,
            version: row.get(1)?,
            author: row.get(2)?,
            commission: row.get(3)?,
            key_id: row.get(4)?,
            reason: row.get(5)?,
            recorded_at: row.get(6)?,
            content_hash: row.get(7)?,
            entry_hash: row.get(8)?,
            batch: row.get(9)?,
            payload: row.get(10)?,
        })
    })?;
    Ok((lists, rows.collect::<Result<_, _>>()?))
}
