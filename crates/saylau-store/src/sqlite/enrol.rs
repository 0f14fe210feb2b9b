//! The registry in the log on SQLite ([`crate::enrol`]): the registry's tables as read, and
//! the registration entry written in the registration's transaction.

use rusqlite::{Connection, OptionalExtension as _, Params, Row as SqlRow, Transaction};

use crate::enrol::{
    COMMISSIONS, COMMISSIONS_OF, ELECTIONS, INSERT_REVOCATION, KEYS, LISTS, LISTS_OF, REVOCATIONS,
    ROOT, Registrations, Tables, entry_for,
};
use crate::error::{DatabaseError, OrDb as _, to_sql};
use crate::key::CommissionKey;
use crate::registry::RegistryError;

fn all<T, P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    row: impl FnMut(&SqlRow<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, DatabaseError> {
    let mut query = conn.prepare_cached(sql)?;
    let rows = query.query_map(params, row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The registry's tables; with `election`, only that election's commissions and lists.
pub(crate) fn tables(conn: &Connection, election: Option<&str>) -> Result<Tables, DatabaseError> {
    let commission =
        |row: &SqlRow<'_>| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?));
    let list = |row: &SqlRow<'_>| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?));
    let (commissions, lists) = match election {
        Some(election) => (
            all(conn, COMMISSIONS_OF, [election], commission)?,
            all(conn, LISTS_OF, [election], list)?,
        ),
        None => (all(conn, COMMISSIONS, [], commission)?, all(conn, LISTS, [], list)?),
    };
    Ok(Tables {
        elections: all(conn, ELECTIONS, [], |row| Ok((row.get(0)?, row.get(1)?)))?,
        commissions,
        lists,
        keys: all(conn, KEYS, [], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?,
        revocations: all(conn, REVOCATIONS, [], |row| Ok((row.get(0)?, row.get(1)?)))?,
    })
}

/// The commission of the genesis key.
pub(crate) fn root(conn: &Connection) -> Result<Option<String>, DatabaseError> {
    Ok(conn.query_row(ROOT, [], |row| row.get(0)).optional()?)
}

/// Appends the registration entry of `reg`, signed with `key`, in `tx`, whose rows are
/// inserted already; `before` and `root` are the registry as it was before them.
pub(crate) fn record(
    tx: &Transaction<'_>,
    key: &CommissionKey,
    reg: &Registrations,
    before: &Tables,
    root: Option<String>,
) -> Result<(), RegistryError> {
    let head = super::read::head(tx)?;
    let (signed, entry_hash, payload) = entry_for(before, root, head, key, reg)?;
    super::write::insert_entry(tx, &signed, &entry_hash, &payload).map_err(|err| {
        RegistryError::Invalid { what: "registration entry", detail: err.to_string() }
    })?;
    for revocation in &reg.revocations {
        let params =
            rusqlite::params![revocation.key, to_sql(signed.entry.seq.0), revocation.revoked_at];
        tx.execute(INSERT_REVOCATION, params).db()?;
    }
    Ok(())
}
