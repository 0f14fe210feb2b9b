//! The registered polling stations of an election: the stations whose protocols are
//! expected, against which results count the stations already in.
//!
//! A station is registered as its precinct commission (PEC, `registry`), before its first
//! protocol is appended; registration is insert-only, so a station once expected stays so.

use crate::error::DatabaseError;
use crate::id::ElectionId;
use crate::store::{Db, Store};

const STATIONS_SQLITE: &str =
    "SELECT id FROM commissions WHERE election_id = ?1 AND level = 'pec' ORDER BY id";
const STATIONS_PG: &str =
    "SELECT id FROM commissions WHERE election_id = $1 AND level = 'pec' ORDER BY id";

/// The ids of every registered polling station of `election`, sorted.
pub async fn registered_stations(
    store: &Store,
    election: &ElectionId,
) -> Result<Vec<String>, DatabaseError> {
    match store.db() {
        Db::Sqlite(sqlite) => {
            let id = election.to_string();
            sqlite
                .read(move |tx| -> Result<Vec<String>, DatabaseError> {
                    let mut query = tx.prepare(STATIONS_SQLITE)?;
                    let rows = query.query_map([id.as_str()], |row| row.get(0))?;
                    Ok(rows.collect::<Result<Vec<String>, _>>()?)
                })
                .await
        }
        Db::Postgres(pool) => {
            Ok(sqlx::query_scalar(STATIONS_PG).bind(election.as_str()).fetch_all(pool).await?)
        }
    }
}
