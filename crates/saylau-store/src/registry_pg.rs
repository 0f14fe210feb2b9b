//! The registration of a whole election hierarchy on PostgreSQL
//! ([`crate::registry::register_missing`]): the new commissions in one binary `COPY`.

use std::collections::HashSet;

use sqlx::PgConnection;

use crate::enrol::{ElectionRecord, ListRecord, Registrations};
use crate::error::OrDb as _;
use crate::key::CommissionKey;
use crate::pgcopy::{self, BinaryCopy};
use crate::registry::{
    INSERT_LIST, Level, Registered, Registration, RegistryError, check_cec, check_lists,
    commission_record, outside_parents, refused, unknown_parent,
};
use crate::store::pg_begin_write;

const CEC: &str = "SELECT id FROM commissions WHERE election_id = $1 AND parent_id IS NULL";
const INSERT_MISSING_ELECTION: &str =
    "INSERT INTO elections (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";
const COMMISSION_EXISTS: &str =
    "SELECT COUNT(*) FROM commissions WHERE election_id = $1 AND id = $2";
const LIST_IDS: &str = "SELECT id FROM lists WHERE election_id = $1 ORDER BY registration";
const LISTS_COUNT: &str = "SELECT COUNT(*) FROM lists WHERE election_id = $1";
/// How many of the ids are registered commissions of the election (ids are distinct).
const COMMISSIONS_AMONG: &str =
    "SELECT COUNT(*) FROM commissions WHERE election_id = $1 AND id = ANY($2)";
/// Which of the ids given are registered commissions of an election.
const COMMISSION_IDS: &str = "SELECT id FROM commissions WHERE election_id = $1 AND id = ANY($2)";
/// New commissions, streamed in PostgreSQL's binary format ([`crate::pgcopy`]).
const COPY_COMMISSIONS: &str = "COPY commissions (election_id, id, parent_id, level, name) \
     FROM STDIN (FORMAT binary)";

/// Registers what of `registration` is not registered yet, in one transaction.
pub(crate) async fn register_missing(
    pool: &sqlx::PgPool,
    registration: &Registration<'_>,
    key: &CommissionKey,
) -> Result<Registered, RegistryError> {
    let election = registration.election;
    let mut tx = pg_begin_write(pool).await.db()?;
    // Nothing new (a web entry of a registered station, an import run again): checked, but
    // nothing written.
    if registered_already(&mut tx, registration).await? {
        check_registered(&mut tx, registration).await?;
        tx.rollback().await.db()?;
        return Ok(Registered::default());
    }
    let mut logged = Registrations::new();
    let added = sqlx::query(INSERT_MISSING_ELECTION)
        .bind(election.id.as_str())
        .bind(&election.name)
        .execute(&mut *tx)
        .await
        .db()?;
    if added.rows_affected() > 0 {
        logged
            .elections
            .push(ElectionRecord { id: election.id.to_string(), name: election.name.clone() });
    }
    let registered = check_registered(&mut tx, registration).await?;
    let mut res = Registered::default();
    if registered.is_empty() {
        for list in registration.lists {
            sqlx::query(INSERT_LIST)
                .bind(election.id.as_str())
                .bind(list.id.as_str())
                .bind(&list.name)
                .bind(i64::from(list.registration))
                .execute(&mut *tx)
                .await
                .map_err(|err| refused(err.into(), "list", list.id.as_str()))?;
            res.lists += 1;
            logged.lists.push(ListRecord {
                election: election.id.to_string(),
                id: list.id.to_string(),
                name: list.name.clone(),
                registration: i64::from(list.registration),
            });
        }
    }
    insert_missing_commissions(&mut tx, registration, &mut res, &mut logged).await?;
    if !logged.is_empty() {
        crate::enrol_pg::record(&mut tx, key, &logged).await?;
    }
    tx.commit().await.db()?;
    Ok(res)
}

/// Whether the election, its lists and every commission of `registration` are registered.
async fn registered_already(
    tx: &mut PgConnection,
    registration: &Registration<'_>,
) -> Result<bool, RegistryError> {
    let election = registration.election.id.as_str();
    let lists: i64 =
        sqlx::query_scalar(LISTS_COUNT).bind(election).fetch_one(&mut *tx).await.db()?;
    if lists == 0 {
        return Ok(false);
    }
    let ids: Vec<&str> = registration.commissions.iter().map(|it| it.id.as_str()).collect();
    let found: i64 = sqlx::query_scalar(COMMISSIONS_AMONG)
        .bind(election)
        .bind(&ids)
        .fetch_one(&mut *tx)
        .await
        .db()?;
    Ok(usize::try_from(found).is_ok_and(|found| found == ids.len()))
}

/// Checks `registration` against the tables (its CEC, its lists, the parents outside it);
/// returns the lists already registered for its election.
async fn check_registered(
    tx: &mut PgConnection,
    registration: &Registration<'_>,
) -> Result<Vec<String>, RegistryError> {
    let election = registration.election.id.as_str();
    let cec: Option<String> =
        sqlx::query_scalar(CEC).bind(election).fetch_optional(&mut *tx).await.db()?;
    check_cec(registration, cec)?;
    let registered: Vec<String> =
        sqlx::query_scalar(LIST_IDS).bind(election).fetch_all(&mut *tx).await.db()?;
    check_lists(registration, &registered)?;
    check_parents_any(tx, registration).await?;
    Ok(registered)
}

/// Refuses `registration` when one of its [`outside_parents`] is not registered.
async fn check_parents_any(
    tx: &mut PgConnection,
    registration: &Registration<'_>,
) -> Result<(), RegistryError> {
    for (parent, child) in outside_parents(registration) {
        let found: i64 = sqlx::query_scalar(COMMISSION_EXISTS)
            .bind(registration.election.id.as_str())
            .bind(parent)
            .fetch_one(&mut *tx)
            .await
            .db()?;
        if found == 0 {
            return Err(unknown_parent(child));
        }
    }
    Ok(())
}

/// Inserts the commissions of `registration` that are not registered yet and counts them,
/// and the PECs among them, in `res`: which of them are registered is read once, under the
/// store's write lock (only their ids, not every commission of the election), and the
/// others streamed by one `COPY`, in which PostgreSQL checks every
/// foreign key (a parent may come in the same copy, before its children).
async fn insert_missing_commissions(
    tx: &mut PgConnection,
    registration: &Registration<'_>,
    res: &mut Registered,
    logged: &mut Registrations,
) -> Result<(), RegistryError> {
    let election = registration.election.id.as_str();
    let ids: Vec<&str> = registration.commissions.iter().map(|it| it.id.as_str()).collect();
    let registered: Vec<String> = sqlx::query_scalar(COMMISSION_IDS)
        .bind(election)
        .bind(ids)
        .fetch_all(&mut *tx)
        .await
        .db()?;
    let mut known: HashSet<&str> = registered.iter().map(String::as_str).collect();
    let mut copy = BinaryCopy::with_capacity(registration.commissions.len() * 64);
    let mut added = Registered::default();
    for commission in registration.commissions {
        if !known.insert(commission.id.as_str()) {
            continue;
        }
        copy.row(5)
            .text(election)
            .text(commission.id.as_str())
            .text_or_null(commission.parent.as_ref().map(|parent| parent.as_str()))
            .text(commission.level.as_str())
            .text(&commission.name);
        added.commissions += 1;
        added.stations += usize::from(commission.level == Level::Pec);
        logged.commissions.push(commission_record(&registration.election.id, commission));
    }
    if added.commissions > 0 {
        let commissions = registration.commissions;
        let (first, last) = (&commissions[0].id, &commissions[commissions.len() - 1].id);
        pgcopy::send(tx, COPY_COMMISSIONS, copy)
            .await
            .map_err(|err| refused(err.into(), "commission", &format!("{first} .. {last}")))?;
    }
    res.commissions += added.commissions;
    res.stations += added.stations;
    Ok(())
}

/// New members of commissions, streamed in PostgreSQL's binary format.
const COPY_MEMBERS: &str = "COPY commission_members (election_id, commission_id, person_id, \
     name, role, nominated_by, party_member, term_from, term_to) FROM STDIN (FORMAT binary)";

/// Inserts the members among `rows` by one binary `COPY`, in which PostgreSQL checks every
/// key and constraint; a refused copy names the first and last member.
pub(crate) async fn copy_members(
    tx: &mut PgConnection,
    rows: &[crate::registry::Row],
) -> Result<(), RegistryError> {
    let members: Vec<&crate::enrol::MemberRecord> = rows
        .iter()
        .filter_map(|row| match row {
            crate::registry::Row::Member(member) => Some(member),
            _ => None,
        })
        .collect();
    let (Some(first), Some(last)) = (members.first(), members.last()) else { return Ok(()) };
    let mut copy = BinaryCopy::with_capacity(members.len() * 160);
    for member in &members {
        copy.row(9)
            .text(&member.election)
            .text(&member.commission)
            .text(&member.person)
            .text(&member.name)
            .text(&member.role)
            .text(&member.nominated_by)
            .text_or_null(member.party_member.as_deref())
            .text(&member.from)
            .text(&member.to);
    }
    let span = format!("{} of commission {} .. {}", first.person, first.commission, last.person);
    pgcopy::send(tx, COPY_MEMBERS, copy)
        .await
        .map(|_| ())
        .map_err(|err| refused(err.into(), "member", &span))
}
