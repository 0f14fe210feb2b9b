//! The registry in the log on SQLite ([`crate::enrol`]): the registry's tables as read, the
//! registration entry written in the registration's transaction (checked against the
//! rows it needs, `crate::enrol::wanted`), and the registrations of single rows
//! ([`add_rows`]).

use rusqlite::{
    Connection, OptionalExtension as _, Params, Row as SqlRow, Transaction, TransactionBehavior,
};

use crate::enrol::{
    COMMISSION, COMMISSIONS, COMMISSIONS_OF, ELECTIONS, INSERT_MEMBER, INSERT_REVOCATION, KEY,
    KEYS, LISTS, LISTS_OF, MEMBERS, MEMBERS_OF, MEMBERS_OF_COMMISSION, MemberRecord, REVOCATION,
    REVOCATIONS, ROOT, Registrations, Tables, entry_for, wanted,
};
use crate::error::{DatabaseError, OrDb as _, to_sql};
use crate::key::CommissionKey;
use crate::registry::{RegistryError, Row, refused};

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
    let (commissions, lists, members) = match election {
        Some(election) => (
            all(conn, COMMISSIONS_OF, [election], commission)?,
            all(conn, LISTS_OF, [election], list)?,
            all(conn, MEMBERS_OF, [election], member)?,
        ),
        None => (
            all(conn, COMMISSIONS, [], commission)?,
            all(conn, LISTS, [], list)?,
            all(conn, MEMBERS, [], member)?,
        ),
    };
    Ok(Tables {
        elections: all(conn, ELECTIONS, [], |row| Ok((row.get(0)?, row.get(1)?)))?,
        commissions,
        lists,
        keys: all(conn, KEYS, [], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?,
        revocations: all(conn, REVOCATIONS, [], |row| Ok((row.get(0)?, row.get(1)?)))?,
        members,
    })
}

/// A row of `commission_members`.
fn member(row: &SqlRow<'_>) -> rusqlite::Result<MemberRecord> {
    Ok(MemberRecord {
        election: row.get(0)?,
        commission: row.get(1)?,
        person: row.get(2)?,
        name: row.get(3)?,
        role: row.get(4)?,
        nominated_by: row.get(5)?,
        party_member: row.get(6)?,
        from: row.get(7)?,
        to: row.get(8)?,
    })
}

/// The commission of the genesis key.
pub(crate) fn root(conn: &Connection) -> Result<Option<String>, DatabaseError> {
    Ok(conn.query_row(ROOT, [], |row| row.get(0)).optional()?)
}

/// The rows of the registry that the check of `reg`, signed by the key `signer`, reads
/// (`crate::enrol::wanted`), as they were before `reg`'s rows, which `conn`'s transaction
/// has inserted already.
fn slice(conn: &Connection, reg: &Registrations, signer: &str) -> Result<Tables, DatabaseError> {
    let wanted = wanted(reg, signer);
    let mut res = Tables {
        elections: all(conn, ELECTIONS, [], |row| Ok((row.get(0)?, row.get(1)?)))?,
        ..Tables::default()
    };
    let key = |row: &SqlRow<'_>| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?));
    let commission =
        |row: &SqlRow<'_>| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?));
    for id in &wanted.keys {
        res.keys.extend(all(conn, KEY, [id], key)?);
        res.revocations.extend(all(conn, REVOCATION, [id], |row| Ok((row.get(0)?, row.get(1)?)))?);
    }
    for election in &wanted.lists_of {
        let list = |row: &SqlRow<'_>| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?));
        res.lists.extend(all(conn, LISTS_OF, [election], list)?);
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
        res.members.extend(all(conn, MEMBERS_OF_COMMISSION, [election, commission], member)?);
    }
    while !next.is_empty() {
        for (election, id) in &next {
            res.commissions.extend(all(conn, COMMISSION, [election, id], commission)?);
        }
        next = res.missing_parents(&mut tried);
    }
    Ok(res.without(reg))
}

/// Appends the registration entry of `reg`, signed with `key`, in `tx`, whose rows are
/// inserted already, when the registry as it was before them lets the key register them.
pub(crate) fn record(
    tx: &Transaction<'_>,
    key: &CommissionKey,
    reg: &Registrations,
) -> Result<(), RegistryError> {
    let before = slice(tx, reg, &key.public_key().key_id().to_string())?;
    let root = root(tx)?;
    let head = super::read::head(tx)?;
    let (signed, entry_hash, payload) = entry_for(&before, root, head, key, reg)?;
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

const INSERT_ELECTION_ROW: &str = "INSERT INTO elections (id, name) VALUES (?1, ?2)";
const INSERT_COMMISSION_ROW: &str = "INSERT INTO commissions \
     (election_id, id, parent_id, level, name) VALUES (?1, ?2, ?3, ?4, ?5)";
const INSERT_KEY: &str = "INSERT INTO commission_keys (id, commission_id, public_key, \
     registered_at) VALUES (?1, ?2, ?3, ?4)";

/// The registration of [`crate::registry`]'s single rows, in one transaction.
pub(crate) fn add_rows(
    conn: &mut Connection,
    rows: &[Row],
    key: &CommissionKey,
) -> Result<(), RegistryError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).db()?;
    for row in rows {
        let res = match row {
            Row::Election(election) => tx.execute(
                INSERT_ELECTION_ROW,
                rusqlite::params![election.id.as_str(), election.name],
            ),
            Row::Commission(election, commission) => tx.execute(
                INSERT_COMMISSION_ROW,
                rusqlite::params![
                    election.as_str(),
                    commission.id.as_str(),
                    commission.parent.as_ref().map(|it| it.as_str()),
                    commission.level.as_str(),
                    commission.name
                ],
            ),
            Row::List(election, list) => tx.execute(
                super::write::INSERT_LIST,
                rusqlite::params![
                    election.as_str(),
                    list.id.as_str(),
                    list.name,
                    i64::from(list.registration)
                ],
            ),
            Row::Key(key) => tx.execute(
                INSERT_KEY,
                rusqlite::params![
                    key.id.to_string(),
                    key.commission.as_str(),
                    &key.public_key.as_bytes()[..],
                    key.registered_at
                ],
            ),
            Row::Member(member) => insert_member(&tx, member),
            Row::Revocation(..) => continue,
        };
        if let Err(err) = res {
            let (what, id) = row.what();
            return Err(refused(err.into(), what, &id));
        }
    }
    let registrations = crate::registry::registrations(rows);
    record(&tx, key, &registrations)?;
    tx.commit().db()?;
    Ok(())
}

/// Inserts a row of `commission_members`.
fn insert_member(tx: &Transaction<'_>, member: &MemberRecord) -> rusqlite::Result<usize> {
    tx.execute(
        INSERT_MEMBER,
        rusqlite::params![
            member.election,
            member.commission,
            member.person,
            member.name,
            member.role,
            member.nominated_by,
            member.party_member,
            member.from,
            member.to
        ],
    )
}

const HAS_ELECTION: &str = "SELECT COUNT(*) FROM elections WHERE id = ?1";
const HAS_LISTS: &str = "SELECT 1 FROM lists WHERE election_id = ?1";
const HAS_COMMISSION: &str = "SELECT 1 FROM commissions WHERE election_id = ?1 AND id = ?2";

/// Whether the election, its lists and every commission of `registration` are registered.
pub(crate) fn registered_already(
    tx: &rusqlite::Transaction<'_>,
    reg: &crate::registry::Registration<'_>,
) -> Result<bool, crate::registry::RegistryError> {
    let id = reg.election.id.as_str();
    let elections: i64 = tx.query_row(HAS_ELECTION, [id], |row| row.get(0)).db()?;
    if elections == 0 || !tx.prepare_cached(HAS_LISTS).db()?.exists([id]).db()? {
        return Ok(false);
    }
    let mut exists = tx.prepare_cached(HAS_COMMISSION).db()?;
    for commission in reg.commissions {
        if !exists.exists([id, commission.id.as_str()]).db()? {
            return Ok(false);
        }
    }
    Ok(true)
}
