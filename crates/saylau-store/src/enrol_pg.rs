//! The registry in the log on PostgreSQL ([`crate::enrol`]): the registry's tables as
//! read, and the registration entry written in the registration's transaction.

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row as _};

use crate::enrol::{
    COMMISSIONS, COMMISSIONS_OF, ELECTIONS, INSERT_REVOCATION, KEYS, LISTS, LISTS_OF, MEMBERS,
    MEMBERS_OF, MemberRecord, REVOCATIONS, ROOT, Registrations, Tables, entry_for,
};
use crate::error::{DatabaseError, to_sql};
use crate::key::CommissionKey;
use crate::registry::RegistryError;

async fn all<T>(
    conn: &mut PgConnection,
    sql: &'static str,
    election: Option<&str>,
    row: impl Fn(&PgRow) -> Result<T, sqlx::Error>,
) -> Result<Vec<T>, DatabaseError> {
    let mut query = sqlx::query(sql);
    if let Some(election) = election {
        query = query.bind(election.to_owned());
    }
    let rows = query.fetch_all(conn).await?;
    Ok(rows.iter().map(row).collect::<Result<_, _>>()?)
}

/// The registry's tables; with `election`, only that election's commissions and lists.
pub(crate) async fn tables(
    conn: &mut PgConnection,
    election: Option<&str>,
) -> Result<Tables, DatabaseError> {
    let commission = |row: &PgRow| {
        Ok((
            row.try_get("election_id")?,
            row.try_get("id")?,
            row.try_get("parent_id")?,
            row.try_get("level")?,
            row.try_get("name")?,
        ))
    };
    let list = |row: &PgRow| {
        let registration: i64 = row.try_get("registration")?;
        Ok((row.try_get("election_id")?, row.try_get("id")?, row.try_get("name")?, registration))
    };
    let (commissions, lists, members) = match election {
        Some(_) => (
            all(&mut *conn, COMMISSIONS_OF, election, commission).await?,
            all(&mut *conn, LISTS_OF, election, list).await?,
            all(&mut *conn, MEMBERS_OF, election, member).await?,
        ),
        None => (
            all(&mut *conn, COMMISSIONS, None, commission).await?,
            all(&mut *conn, LISTS, None, list).await?,
            all(&mut *conn, MEMBERS, None, member).await?,
        ),
    };
    let elections =
        all(&mut *conn, ELECTIONS, None, |row| Ok((row.try_get("id")?, row.try_get("name")?)))
            .await?;
    let keys = all(&mut *conn, KEYS, None, |row| {
        Ok((
            row.try_get("id")?,
            row.try_get("commission_id")?,
            row.try_get("public_key")?,
            row.try_get("registered_at")?,
        ))
    })
    .await?;
    let revocations =
        all(&mut *conn, REVOCATIONS, None, |row| Ok((row.try_get("key_id")?, row.try_get("seq")?)))
            .await?;
    Ok(Tables { elections, commissions, lists, keys, revocations, members })
}

/// A row of `commission_members`.
fn member(row: &PgRow) -> Result<MemberRecord, sqlx::Error> {
    Ok(MemberRecord {
        election: row.try_get("election_id")?,
        commission: row.try_get("commission_id")?,
        person: row.try_get("person_id")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        nominated_by: row.try_get("nominated_by")?,
        party_member: row.try_get("party_member")?,
        from: row.try_get("term_from")?,
        to: row.try_get("term_to")?,
    })
}

/// The commission of the genesis key.
pub(crate) async fn root(conn: &mut PgConnection) -> Result<Option<String>, DatabaseError> {
    Ok(sqlx::query_scalar(ROOT).fetch_optional(conn).await?)
}

/// Appends the registration entry of `reg`, signed with `key`, in `conn`'s transaction,
/// whose rows are inserted already; `before` and `root` are the registry before them.
pub(crate) async fn record(
    conn: &mut PgConnection,
    key: &CommissionKey,
    reg: &Registrations,
    before: &Tables,
    root: Option<String>,
) -> Result<(), RegistryError> {
    let head = crate::ledger::head_in(&mut *conn).await?;
    let (signed, entry_hash, payload) = entry_for(before, root, head, key, reg)?;
    crate::ledger::insert(&mut *conn, &signed, &entry_hash, &payload).await.map_err(|err| {
        RegistryError::Invalid { what: "registration entry", detail: err.to_string() }
    })?;
    for revocation in &reg.revocations {
        sqlx::query(INSERT_REVOCATION)
            .bind(&revocation.key)
            .bind(to_sql(signed.entry.seq.0))
            .bind(&revocation.revoked_at)
            .execute(&mut *conn)
            .await
            .map_err(DatabaseError::from)?;
    }
    Ok(())
}
