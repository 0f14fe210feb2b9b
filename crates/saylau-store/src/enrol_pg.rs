//! The registry in the log on PostgreSQL ([`crate::enrol`]): the registry's tables as
//! read, and the registration entry written in the registration's transaction (checked
//! against the rows it needs, `crate::enrol::wanted`).

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row as _};

use crate::enrol::{
    COMMISSION, COMMISSIONS, COMMISSIONS_OF, ELECTIONS, INSERT_REVOCATION, KEY, KEYS, LISTS,
    LISTS_OF, MEMBERS, MEMBERS_OF, MEMBERS_OF_COMMISSION, MemberRecord, REVOCATION, REVOCATIONS,
    ROOT, Registrations, Tables, entry_for, wanted,
};
use crate::error::{DatabaseError, to_sql};
use crate::key::CommissionKey;
use crate::registry::RegistryError;

/// The rows of `sql`, bound to `params` in order.
async fn all<T>(
    conn: &mut PgConnection,
    sql: &'static str,
    params: &[&str],
    row: impl Fn(&PgRow) -> Result<T, sqlx::Error>,
) -> Result<Vec<T>, DatabaseError> {
    let mut query = sqlx::query(sql);
    for param in params {
        query = query.bind(param.to_owned());
    }
    let rows = query.fetch_all(conn).await?;
    Ok(rows.iter().map(row).collect::<Result<_, _>>()?)
}

fn election_row(row: &PgRow) -> Result<(String, String), sqlx::Error> {
    Ok((row.try_get("id")?, row.try_get("name")?))
}

type CommissionRow = (String, String, Option<String>, String, String);

fn commission(row: &PgRow) -> Result<CommissionRow, sqlx::Error> {
    Ok((
        row.try_get("election_id")?,
        row.try_get("id")?,
        row.try_get("parent_id")?,
        row.try_get("level")?,
        row.try_get("name")?,
    ))
}

fn list(row: &PgRow) -> Result<(String, String, String, i64), sqlx::Error> {
    let registration: i64 = row.try_get("registration")?;
    Ok((row.try_get("election_id")?, row.try_get("id")?, row.try_get("name")?, registration))
}

fn key(row: &PgRow) -> Result<(String, String, Vec<u8>, String), sqlx::Error> {
    Ok((
        row.try_get("id")?,
        row.try_get("commission_id")?,
        row.try_get("public_key")?,
        row.try_get("registered_at")?,
    ))
}

fn revocation(row: &PgRow) -> Result<(String, i64), sqlx::Error> {
    Ok((row.try_get("key_id")?, row.try_get("seq")?))
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

/// The registry's tables; with `election`, only that election's commissions, lists and
/// members.
pub(crate) async fn tables(
    conn: &mut PgConnection,
    election: Option<&str>,
) -> Result<Tables, DatabaseError> {
    let (commissions, lists, members) = match election {
        Some(election) => (
            all(&mut *conn, COMMISSIONS_OF, &[election], commission).await?,
            all(&mut *conn, LISTS_OF, &[election], list).await?,
            all(&mut *conn, MEMBERS_OF, &[election], member).await?,
        ),
        None => (
            all(&mut *conn, COMMISSIONS, &[], commission).await?,
            all(&mut *conn, LISTS, &[], list).await?,
            all(&mut *conn, MEMBERS, &[], member).await?,
        ),
    };
    Ok(Tables {
        elections: all(&mut *conn, ELECTIONS, &[], election_row).await?,
        commissions,
        lists,
        keys: all(&mut *conn, KEYS, &[], key).await?,
        revocations: all(&mut *conn, REVOCATIONS, &[], revocation).await?,
        members,
    })
}

/// The rows of the registry that the check of `reg`, signed by the key `signer`, reads
/// (`crate::enrol::wanted`), as they were before `reg`'s rows, which `conn`'s transaction
/// has inserted already.
async fn slice(
    conn: &mut PgConnection,
    reg: &Registrations,
    signer: &str,
) -> Result<Tables, DatabaseError> {
    let wanted = wanted(reg, signer);
    let mut res = Tables {
        elections: all(&mut *conn, ELECTIONS, &[], election_row).await?,
        ..Tables::default()
    };
    for id in &wanted.keys {
        res.keys.extend(all(&mut *conn, KEY, &[id], key).await?);
        res.revocations.extend(all(&mut *conn, REVOCATION, &[id], revocation).await?);
    }
    for election in &wanted.lists_of {
        res.lists.extend(all(&mut *conn, LISTS_OF, &[election], list).await?);
    }
    let mut tried = wanted.commissions.clone();
    let mut next: Vec<(String, String)> = wanted.commissions.into_iter().collect();
    for id in wanted.in_any_election.iter().chain(&res.revoked_commissions(reg)) {
        for (election, _) in &res.elections {
            if tried.insert((election.clone(), id.clone())) {
                next.push((election.clone(), id.clone()));
            }
        }
    }
    for (election, commission) in &wanted.members_of {
        let params: &[&str] = &[election, commission];
        res.members.extend(all(&mut *conn, MEMBERS_OF_COMMISSION, params, member).await?);
    }
    while !next.is_empty() {
        for (election, id) in &next {
            res.commissions.extend(all(&mut *conn, COMMISSION, &[election, id], commission).await?);
        }
        next = res.missing_parents(&mut tried);
    }
    Ok(res.without(reg))
}

/// The commission of the genesis key.
pub(crate) async fn root(conn: &mut PgConnection) -> Result<Option<String>, DatabaseError> {
    Ok(sqlx::query_scalar(ROOT).fetch_optional(conn).await?)
}

/// Appends the registration entry of `reg`, signed with `key`, in `conn`'s transaction,
/// whose rows are inserted already, when the registry as it was before them lets the key
/// register them.
pub(crate) async fn record(
    conn: &mut PgConnection,
    key: &CommissionKey,
    reg: &Registrations,
) -> Result<(), RegistryError> {
    let before = slice(&mut *conn, reg, &key.public_key().key_id().to_string()).await?;
    let root = root(&mut *conn).await?;
    let head = crate::ledger::head_in(&mut *conn).await?;
    let (signed, entry_hash, payload) = entry_for(&before, root, head, key, reg)?;
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
