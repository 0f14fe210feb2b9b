//! Reading the registry back for publication: every commission of an election with its
//! parent, level and name, so that a portal can say which stations are expected at every
//! level and list the ones whose protocol has not arrived (a missing station is data, never
//! silently absent), and the election's name.

use sqlx::Row as _;

use crate::error::DatabaseError;
use crate::id::{CommissionId, ElectionId};
use crate::registry::{Commission, Election, Level, RegistryError};
use crate::store::{Db, Store};

const COMMISSIONS: &str = "SELECT id, parent_id, level, name FROM commissions \
     WHERE election_id = $1 ORDER BY id";
const COMMISSIONS_SQLITE: &str = "SELECT id, parent_id, level, name FROM commissions \
     WHERE election_id = ?1 ORDER BY id";
const ELECTION: &str = "SELECT id, name FROM elections WHERE id = $1";
const ELECTION_SQLITE: &str = "SELECT id, name FROM elections WHERE id = ?1";

/// A stored commission row: `(id, parent_id, level, name)`.
type CommissionRow = (String, Option<String>, String, String);

/// Every registered commission of `election` (the CEC, regions, districts and the PECs of
/// the polling stations), ordered by id.
pub async fn commissions(
    store: &Store,
    election: &ElectionId,
) -> Result<Vec<Commission>, RegistryError> {
    let rows: Vec<CommissionRow> = match store.db() {
        Db::Sqlite(sqlite) => {
            let id = election.to_string();
            sqlite
                .read(move |tx| -> Result<Vec<CommissionRow>, DatabaseError> {
                    let mut stmt = tx.prepare(COMMISSIONS_SQLITE)?;
                    let rows = stmt.query_map([id.as_str()], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                    })?;
                    Ok(rows.collect::<Result<Vec<_>, rusqlite::Error>>()?)
                })
                .await?
        }
        Db::Postgres(pool) => {
            let rows = sqlx::query(COMMISSIONS)
                .bind(election.as_str())
                .fetch_all(pool)
                .await
                .map_err(DatabaseError::from)?;
            rows.iter()
                .map(|row| {
                    Ok((
                        row.try_get("id")?,
                        row.try_get("parent_id")?,
                        row.try_get("level")?,
                        row.try_get("name")?,
                    ))
                })
                .collect::<Result<_, sqlx::Error>>()
                .map_err(DatabaseError::from)?
        }
    };
    rows.into_iter().map(commission).collect()
}

fn commission((id, parent, level, name): CommissionRow) -> Result<Commission, RegistryError> {
    let level = match level.as_str() {
        "cec" => Level::Cec,
        "region" => Level::Region,
        "district" => Level::District,
        "pec" => Level::Pec,
        other => {
            return Err(RegistryError::Invalid {
                what: "commission level",
                detail: format!("commission {id} has level {other:?}"),
            });
        }
    };
    let parent = parent.map(|parent| CommissionId::new(&parent)).transpose()?;
    Ok(Commission { id: CommissionId::new(&id)?, parent, level, name })
}

/// The registered election `election`, if there is one.
pub async fn election(
    store: &Store,
    election: &ElectionId,
) -> Result<Option<Election>, RegistryError> {
    let row: Option<(String, String)> = match store.db() {
        Db::Sqlite(sqlite) => {
            let id = election.to_string();
            sqlite
                .read(move |tx| -> Result<Option<(String, String)>, DatabaseError> {
                    use rusqlite::OptionalExtension as _;
                    Ok(tx
                        .query_row(ELECTION_SQLITE, [id.as_str()], |row| {
                            Ok((row.get(0)?, row.get(1)?))
                        })
                        .optional()?)
                })
                .await?
        }
        Db::Postgres(pool) => {
            let row = sqlx::query(ELECTION)
                .bind(election.as_str())
                .fetch_optional(pool)
                .await
                .map_err(DatabaseError::from)?;
            row.map(|row| Ok::<_, sqlx::Error>((row.try_get("id")?, row.try_get("name")?)))
                .transpose()
                .map_err(DatabaseError::from)?
        }
    };
    row.map(|(id, name)| Ok(Election { id: ElectionId::new(&id)?, name })).transpose()
}
