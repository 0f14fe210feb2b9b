//! What observers put in the log: their organisations, their copies of protocols and the
//! status of each station they observe (`docs/observation.md`).
//!
//! Observers share the one hash-chained log with the commissions, under kinds of their
//! own, so `saylau log verify` checks their entries like any other and the official
//! tabulation (kind `protocol`) never reads them:
//!
//! - [`OBSERVER_KIND`] (subject: the organisation's id), signed by the CEC's key: the
//!   organisation's registration;
//! - [`OBSERVER_KEY_KIND`] (subject: a key id), signed by the CEC's key: a revocation;
//! - [`COPY_KIND`] and [`STATUS_KIND`] (subject: `ORG/STATION`), signed by one of the
//!   organisation's keys: its copy of the station's protocol, and whether it got one.
//!
//! - [`DEPLOYMENT_KIND`] (subject: `ORG/USER`), signed by one of the organisation's keys:
//!   the stations its coordinator deployed one of its observers to (migration 0066).
//!
//! An observer key is registered like a commission's, under the commission id
//! `observer:ORG` ([`observer_commission`]); migration 0020 lets such a key sign only
//! copies and statuses, and only such a key sign them.

use crate::error::{At, DatabaseError};
use crate::id::{CommissionId, ElectionId, IdError, Subject};
use crate::rows::{PgRead, Query, rows};
use crate::store::{Db, Store};

/// The kind of an organisation's registration.
pub const OBSERVER_KIND: &str = "observer";
/// The kind of an observer key's revocation.
pub const OBSERVER_KEY_KIND: &str = "observer-key";
/// The kind of an observer's copy of a station's protocol.
pub const COPY_KIND: &str = "observer-copy";
/// The kind of a station's status for an observer organisation.
pub const STATUS_KIND: &str = "observer-status";
/// The kind of an observer's deployment: the stations a coordinator sent them to
/// (subject `ORG/USER`).
pub const DEPLOYMENT_KIND: &str = "observer-deployment";
/// What an observer key's commission id starts with.
pub const OBSERVER_PREFIX: &str = "observer:";

/// The commission id under which an organisation's keys are registered: `observer:ORG`.
pub fn observer_commission(organisation: &str) -> Result<CommissionId, IdError> {
    CommissionId::new(&format!("{OBSERVER_PREFIX}{organisation}"))
}

/// The organisation of an observer key's commission id, or `None` for a commission's.
pub fn organisation_of(commission: &str) -> Option<&str> {
    commission.strip_prefix(OBSERVER_PREFIX)
}

/// The subject of an organisation's entry about a station: `ORG/STATION`.
pub fn station_subject(organisation: &str, station: &str) -> Result<Subject, IdError> {
    Subject::new(&format!("{organisation}/{station}"))
}

/// The current version of one subject of a kind, with who signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentEntry {
    /// The subject.
    pub subject: String,
    /// Its current version.
    pub version: u64,
    /// The entry that recorded it.
    pub seq: u64,
    /// The key that signed it.
    pub key_id: String,
    /// The commission id the key is registered under.
    pub commission: String,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
    /// The payload.
    pub payload: Vec<u8>,
}

const CURRENT_ENTRIES_PG: &str = "SELECT e.subject, e.version, e.seq, e.key_id, k.commission_id, \
     e.recorded_at, e.payload FROM current_versions c JOIN log_entries e \
     ON e.election_id = c.election_id AND e.kind = c.kind AND e.subject = c.subject \
     AND e.version = c.version JOIN commission_keys k ON k.id = e.key_id \
     WHERE c.election_id = $1 AND c.kind = $2 ORDER BY c.subject";
const CURRENT_ENTRIES_SQLITE: &str = "SELECT e.subject, e.version, e.seq, e.key_id, \
     k.commission_id, e.recorded_at, e.payload FROM current_versions c JOIN log_entries e \
     ON e.election_id = c.election_id AND e.kind = c.kind AND e.subject = c.subject \
     AND e.version = c.version JOIN commission_keys k ON k.id = e.key_id \
     WHERE c.election_id = ?1 AND c.kind = ?2 ORDER BY c.subject";

type Raw = (String, i64, i64, String, String, String, Vec<u8>);

/// The current version of every subject of `kind` in `election`, by subject.
pub async fn current_entries(
    store: &Store,
    election: &ElectionId,
    kind: &str,
) -> Result<Vec<CurrentEntry>, DatabaseError> {
    let query = Query { sqlite: CURRENT_ENTRIES_SQLITE, pg: CURRENT_ENTRIES_PG };
    let params = [election.as_str(), kind];
    let rows: Vec<Raw> = rows(store, query, &params, PgRead::Snapshot).await?;
    rows.into_iter()
        .map(|(subject, version, seq, key_id, commission, recorded_at, payload)| {
            let at = At { table: "log_entries", row: &seq };
            Ok(CurrentEntry {
                version: at.count("version", version)?,
                seq: at.count("seq", seq)?,
                subject,
                key_id,
                commission,
                recorded_at,
                payload,
            })
        })
        .collect()
}

const STATIONS_PG: &str =
    "SELECT id FROM commissions WHERE election_id = $1 AND level = 'pec' ORDER BY id";
const STATIONS_SQLITE: &str =
    "SELECT id FROM commissions WHERE election_id = ?1 AND level = 'pec' ORDER BY id";

/// The ids of the election's registered polling stations, sorted.
pub async fn stations(store: &Store, election: &ElectionId) -> Result<Vec<String>, DatabaseError> {
    match store.db() {
        Db::Sqlite(sqlite) => {
            let election = election.to_string();
            sqlite
                .read(move |tx| -> Result<Vec<String>, DatabaseError> {
                    let mut query = tx.prepare(STATIONS_SQLITE)?;
                    let rows = query.query_map([election.as_str()], |row| row.get(0))?;
                    Ok(rows.collect::<Result<_, _>>()?)
                })
                .await
        }
        Db::Postgres(pool) => {
            Ok(sqlx::query_scalar(STATIONS_PG).bind(election.as_str()).fetch_all(pool).await?)
        }
    }
}
