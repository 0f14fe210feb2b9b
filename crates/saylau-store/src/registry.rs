//! The registry of an election: its commissions and party lists, and the public keys of
//! the commissions that sign log entries.
//!
//! A polling station is its precinct commission (PEC): one PEC runs the voting at one
//! station, counts it and draws up its protocol (art. 10 p. 2, art. 43 and art. 94 p. 1 of
//! the Constitutional Law "On Elections"), so a station is registered as its PEC and a
//! station's protocol has the PEC's id as its log subject (migration 0004).
//!
//! Registration is insert-only: nothing here updates or deletes a row, and keys are
//! append-only by trigger as well. Each call is one transaction, so a bad batch (a
//! duplicate id, an unknown parent) is rejected whole.

use std::collections::HashSet;

use sqlx::{PgConnection, Row as _};

use crate::enrol::{
    CommissionRecord, ElectionRecord, KeyRecord, ListRecord, MemberRecord, Registrations,
    RevocationRecord,
};
use crate::error::{Constraint, DatabaseError};
use crate::id::{CommissionId, ElectionId, IdError, ListId};
use crate::key::{CommissionKey, KeyId, PublicKey};
use crate::store::{Db, Store, pg_begin_write};

mod keys;
mod members;

pub(crate) use keys::KeyRow;
pub use keys::{bootstrap, register_key, registered_keys, revoke_key, rotate_key};
pub use members::{Register, add_members, register};

/// An election.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Election {
    /// Its id.
    pub id: ElectionId,
    /// Its name for people.
    pub name: String,
}

/// The level of a commission in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The Central Election Commission (ЦИК).
    Cec,
    /// A territorial commission of a region or city of republican significance (ТИК).
    Region,
    /// A territorial commission of a district or city (районная, городская ТИК).
    District,
    /// A precinct commission (участковая избирательная комиссия, УИК) of a station.
    Pec,
}

/// A commission of an election's hierarchy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commission {
    /// Its id.
    pub id: CommissionId,
    /// The commission above it; only the CEC has none.
    pub parent: Option<CommissionId>,
    /// Its level.
    pub level: Level,
    /// Its name for people.
    pub name: String,
}

/// A party list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyList {
    /// Its id.
    pub id: ListId,
    /// Its name for people.
    pub name: String,
    /// Its place in the order of registration, from 1.
    pub registration: u32,
}

/// A public key registered for a commission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredKey {
    /// The key's id.
    pub id: KeyId,
    /// The commission it belongs to.
    pub commission: CommissionId,
    /// The key.
    pub public_key: PublicKey,
    /// When it was registered (UTC, RFC 3339).
    pub registered_at: String,
}

/// A registration that was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The id is taken.
    #[error("{what} {id} is already registered")]
    Duplicate {
        /// What kind of thing.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// A row refers to an election or commission that is not registered (register
    /// parents before children).
    #[error("{what} {id} refers to an unregistered election or commission")]
    Unknown {
        /// What kind of thing.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// The CEC must have no parent and every other commission one.
    #[error("commission {id}: only the CEC has no parent commission")]
    Parent {
        /// The commission.
        id: String,
    },
    /// A stored row is not valid (changed outside saylau).
    #[error("stored {what} is invalid: {detail}")]
    Invalid {
        /// What was read.
        what: &'static str,
        /// Why it is invalid.
        detail: String,
    },
    /// The lists given are not the election's registered lists, in order.
    #[error(
        "election {election} has the lists {registered} registered, in this order; \
         the protocols have {given}"
    )]
    Lists {
        /// The election.
        election: String,
        /// The registered list ids, comma-separated.
        registered: String,
        /// The given list ids, comma-separated.
        given: String,
    },
    /// The election has a CEC of another id.
    #[error("election {election} has the CEC {registered}, not {given}")]
    Cec {
        /// The election.
        election: String,
        /// The registered CEC.
        registered: String,
        /// The CEC given.
        given: String,
    },
    /// The signing key may not register this (see `docs/integrity.md`): it is not
    /// registered, revoked, or not at or above what it registers.
    #[error("not authorised: {detail}")]
    NotAuthorised {
        /// The signer's commission (empty when the key is not registered).
        commission: String,
        /// What is wrong.
        detail: String,
    },
    /// Any other database error.
    #[error("store: {0}")]
    Database(#[from] DatabaseError),
}

impl From<IdError> for RegistryError {
    fn from(err: IdError) -> RegistryError {
        RegistryError::Invalid { what: err.what, detail: err.to_string() }
    }
}

impl Level {
    /// The level's name in the database: `cec`, `region`, `district`, `pec`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Cec => "cec",
            Level::Region => "region",
            Level::District => "district",
            Level::Pec => "pec",
        }
    }
}

/// Maps a constraint violation of one row to a registry error.
pub(crate) fn refused(err: DatabaseError, what: &'static str, id: &str) -> RegistryError {
    let id = id.to_owned();
    match err.constraint() {
        Some(Constraint::Unique) => RegistryError::Duplicate { what, id },
        Some(Constraint::ForeignKey) => RegistryError::Unknown { what, id },
        Some(Constraint::Check) if what == "commission" => RegistryError::Parent { id },
        _ => RegistryError::Database(err),
    }
}

/// A row to register, as one write of [`add_rows`].
#[derive(Debug, Clone)]
pub(crate) enum Row {
    Election(Election),
    Commission(ElectionId, Commission),
    List(ElectionId, PartyList),
    Key(RegisteredKey),
    /// A key revoked, and when: a row of `key_revocations`, written with its entry.
    Revocation(KeyId, String),
    /// A member of a commission for one term (`docs/commissions.md`).
    Member(MemberRecord),
}

impl Row {
    /// What the row is and its id, for a refusal.
    pub(crate) fn what(&self) -> (&'static str, String) {
        match self {
            Row::Election(election) => ("election", election.id.to_string()),
            Row::Commission(_, commission) => ("commission", commission.id.to_string()),
            Row::List(_, list) => ("list", list.id.to_string()),
            Row::Key(key) => ("key", key.id.to_string()),
            Row::Revocation(key, _) => ("revocation", key.to_string()),
            Row::Member(member) => {
                ("member", format!("{} of commission {}", member.person, member.commission))
            }
        }
    }
}

/// The registration payload of `rows` ([`crate::enrol`]).
pub(crate) fn registrations(rows: &[Row]) -> Registrations {
    let mut reg = Registrations::new();
    for row in rows {
        match row {
            Row::Election(election) => reg
                .elections
                .push(ElectionRecord { id: election.id.to_string(), name: election.name.clone() }),
            Row::Commission(election, commission) => {
                reg.commissions.push(commission_record(election, commission))
            }
            Row::List(election, list) => reg.lists.push(ListRecord {
                election: election.to_string(),
                id: list.id.to_string(),
                name: list.name.clone(),
                registration: i64::from(list.registration),
            }),
            Row::Key(key) => reg.keys.push(KeyRecord {
                commission: key.commission.to_string(),
                id: key.id.to_string(),
                public_key: hex::encode(key.public_key.as_bytes()),
                registered_at: key.registered_at.clone(),
            }),
            Row::Revocation(key, at) => reg
                .revocations
                .push(RevocationRecord { key: key.to_string(), revoked_at: at.clone() }),
            Row::Member(member) => reg.members.push(member.clone()),
        }
    }
    reg
}

/// The payload record of a commission.
pub(crate) fn commission_record(
    election: &ElectionId,
    commission: &Commission,
) -> CommissionRecord {
    CommissionRecord {
        election: election.to_string(),
        id: commission.id.to_string(),
        level: commission.level.as_str().to_owned(),
        name: commission.name.clone(),
        parent: commission.parent.as_ref().map(|it| it.to_string()),
    }
}

const INSERT_ELECTION: &str = "INSERT INTO elections (id, name) VALUES ($1, $2)";
const INSERT_COMMISSION: &str = "INSERT INTO commissions (election_id, id, parent_id, level, name) \
     VALUES ($1, $2, $3, $4, $5)";
pub(crate) const INSERT_LIST: &str =
    "INSERT INTO lists (election_id, id, name, registration) VALUES ($1, $2, $3, $4)";
const INSERT_KEY: &str = "INSERT INTO commission_keys (id, commission_id, public_key, registered_at) \
     VALUES ($1, $2, $3, $4)";

/// Inserts `rows` in one transaction with the registration entry that records them, signed
/// with `key`: all of them, or none.
async fn add_rows(store: &Store, rows: Vec<Row>, key: &CommissionKey) -> Result<(), RegistryError> {
    match store.db() {
        Db::Sqlite(sqlite) => {
            let key = key.duplicate();
            sqlite.write(move |conn| crate::sqlite::enrol::add_rows(conn, &rows, &key)).await
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_write(pool).await?;
            for row in &rows {
                let query = match row {
                    Row::Election(election) => {
                        sqlx::query(INSERT_ELECTION).bind(election.id.as_str()).bind(&election.name)
                    }
                    Row::Commission(election, commission) => sqlx::query(INSERT_COMMISSION)
                        .bind(election.as_str())
                        .bind(commission.id.as_str())
                        .bind(commission.parent.as_ref().map(CommissionId::as_str))
                        .bind(commission.level.as_str())
                        .bind(&commission.name),
                    Row::List(election, list) => sqlx::query(INSERT_LIST)
                        .bind(election.as_str())
                        .bind(list.id.as_str())
                        .bind(&list.name)
                        .bind(i64::from(list.registration)),
                    Row::Key(key) => sqlx::query(INSERT_KEY)
                        .bind(key.id.to_string())
                        .bind(key.commission.as_str())
                        .bind(key.public_key.as_bytes().as_slice())
                        .bind(&key.registered_at),
                    // Members are streamed by one COPY below (a register has thousands).
                    Row::Member(..) | Row::Revocation(..) => continue,
                };
                if let Err(err) = query.execute(&mut *tx).await {
                    let (what, id) = row.what();
                    return Err(refused(err.into(), what, &id));
                }
            }
            crate::registry_pg::copy_members(&mut tx, &rows).await?;
            crate::enrol_pg::record(&mut tx, key, &registrations(&rows)).await?;
            tx.commit().await.map_err(DatabaseError::from)?;
            Ok(())
        }
    }
}

/// Registers an election, signed with `by` (a CEC key).
pub async fn add_election(
    store: &Store,
    election: &Election,
    by: &CommissionKey,
) -> Result<(), RegistryError> {
    add_rows(store, vec![Row::Election(election.clone())], by).await
}

/// Registers commissions of an election in one transaction, parents before children,
/// signed with `by` (a CEC key, or a key at or above every new commission's parent).
pub async fn add_commissions(
    store: &Store,
    election: &ElectionId,
    commissions: &[Commission],
    by: &CommissionKey,
) -> Result<(), RegistryError> {
    let rows = commissions.iter().map(|it| Row::Commission(election.clone(), it.clone()));
    add_rows(store, rows.collect(), by).await
}

/// Registers party lists of an election in one transaction, signed with `by` (a CEC key).
pub async fn add_lists(
    store: &Store,
    election: &ElectionId,
    lists: &[PartyList],
    by: &CommissionKey,
) -> Result<(), RegistryError> {
    let rows = lists.iter().map(|it| Row::List(election.clone(), it.clone())).collect();
    add_rows(store, rows, by).await
}

const COMMISSION_REGISTERED: &str = "SELECT EXISTS (SELECT 1 FROM commissions WHERE id = $1)";

/// Whether a commission of this id is registered in any election.
pub async fn commission_registered(
    store: &Store,
    commission: &CommissionId,
) -> Result<bool, RegistryError> {
    let id = commission.to_string();
    Ok(match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite.read(move |tx| crate::sqlite::read::commission_registered(tx, &id)).await?
        }
        Db::Postgres(pool) => sqlx::query_scalar(COMMISSION_REGISTERED)
            .bind(id)
            .fetch_one(pool)
            .await
            .map_err(DatabaseError::from)?,
    })
}

/// A revoked key signs nothing more (`docs/integrity.md`): it reads as not registered.
const KEY_COMMISSION: &str = "SELECT commission_id, public_key FROM commission_keys \
     WHERE id NOT IN (SELECT key_id FROM key_revocations) AND id = $1";

/// The commission of a registered key whose stored bytes hash to its id.
pub(crate) async fn key_commission(
    conn: &mut PgConnection,
    key: &KeyId,
) -> Result<Option<String>, DatabaseError> {
    let row = sqlx::query(KEY_COMMISSION).bind(key.to_string()).fetch_optional(conn).await?;
    let Some(row) = row else { return Ok(None) };
    let public_key: Vec<u8> = row.try_get("public_key")?;
    let matches = PublicKey::from_bytes(&public_key).is_ok_and(|stored| stored.key_id() == *key);
    Ok(if matches { Some(row.try_get("commission_id")?) } else { None })
}

/// Whether a commission may sign a station's entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Authority {
    /// The station is not registered, so the hierarchy cannot be checked yet.
    Unchecked,
    /// The commission is the station's PEC or above it.
    Granted,
    /// The commission is not in the station's chain; here is its PEC.
    Refused { pec: String },
}

/// The PEC of a station is the station (see the module doc).
const STATION_PEC: &str =
    "SELECT id FROM commissions WHERE election_id = $1 AND id = $2 AND level = 'pec'";
const IN_CHAIN: &str = "WITH RECURSIVE chain (id, parent_id) AS ( \
         SELECT id, parent_id FROM commissions WHERE election_id = $1 AND id = $2 \
         UNION ALL \
         SELECT c.id, c.parent_id FROM commissions c \
         JOIN chain ON c.id = chain.parent_id WHERE c.election_id = $1 \
     ) SELECT COUNT(*) FROM chain WHERE id = $3";

/// Checks that `commission` is the PEC of station `subject` or one of its ancestors.
pub(crate) async fn authority(
    conn: &mut PgConnection,
    election: &str,
    subject: &str,
    commission: &str,
) -> Result<Authority, DatabaseError> {
    let pec: Option<String> = sqlx::query_scalar(STATION_PEC)
        .bind(election)
        .bind(subject)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(pec) = pec else { return Ok(Authority::Unchecked) };
    let found: i64 = sqlx::query_scalar(IN_CHAIN)
        .bind(election)
        .bind(&pec)
        .bind(commission)
        .fetch_one(&mut *conn)
        .await?;
    Ok(if found > 0 { Authority::Granted } else { Authority::Refused { pec } })
}

/// An election with everything below it, to register where missing: a bulk import
/// registers the hierarchy its protocols name before it appends them.
#[derive(Debug, Clone, Copy)]
pub struct Registration<'a> {
    /// The election.
    pub election: &'a Election,
    /// Its party lists, in ballot order; registered when the election has none yet, and
    /// otherwise they must be the registered lists in the same order.
    pub lists: &'a [PartyList],
    /// Commissions, parents before their children; each PEC is a polling station.
    pub commissions: &'a [Commission],
}

/// What [`register_missing`] added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Registered {
    /// Lists added.
    pub lists: usize,
    /// Commissions added.
    pub commissions: usize,
    /// Polling stations added: the PECs among the commissions added.
    pub stations: usize,
}

/// Registers what of `registration` is not registered yet, in one transaction, and
/// leaves what is (an existing row keeps its name). Running it again adds nothing.
///
/// What it adds is recorded by one registration entry signed with `key` (a CEC key, or a
/// key at or above the parents of the new commissions), in the same transaction.
pub async fn register_missing(
    store: &Store,
    registration: &Registration<'_>,
    key: &CommissionKey,
) -> Result<Registered, RegistryError> {
    match store.db() {
        Db::Sqlite(sqlite) => {
            let owned = OwnedRegistration::of(registration);
            let key = key.duplicate();
            sqlite.write(move |conn| crate::sqlite::write::register(conn, &owned.get(), &key)).await
        }
        Db::Postgres(pool) => crate::registry_pg::register_missing(pool, registration, key).await,
    }
}

/// A [`Registration`] that owns its parts, to cross into a blocking task.
pub(crate) struct OwnedRegistration {
    pub(crate) election: Election,
    pub(crate) lists: Vec<PartyList>,
    pub(crate) commissions: Vec<Commission>,
}

impl OwnedRegistration {
    fn of(registration: &Registration<'_>) -> OwnedRegistration {
        OwnedRegistration {
            election: registration.election.clone(),
            lists: registration.lists.to_vec(),
            commissions: registration.commissions.to_vec(),
        }
    }

    pub(crate) fn get(&self) -> Registration<'_> {
        Registration {
            election: &self.election,
            lists: &self.lists,
            commissions: &self.commissions,
        }
    }
}

/// The parents that do not come before their children in `registration`, each once with
/// the first child that names it, in the registration's order: they must be registered
/// already. This is the foreign key of `commissions`, checked once per parent instead of
/// once per row; [`unknown_parent`] is the refusal when one is not registered.
pub(crate) fn outside_parents<'a>(
    registration: &Registration<'a>,
) -> Vec<(&'a str, &'a CommissionId)> {
    let mut before: HashSet<&str> = HashSet::with_capacity(registration.commissions.len());
    let mut outside = Vec::new();
    for commission in registration.commissions {
        if let Some(parent) = &commission.parent
            && before.insert(parent.as_str())
        {
            outside.push((parent.as_str(), &commission.id));
        }
        before.insert(commission.id.as_str());
    }
    outside
}

/// The refusal of a registration in which `child`'s parent is neither before it nor
/// registered.
pub(crate) fn unknown_parent(child: &CommissionId) -> RegistryError {
    RegistryError::Unknown { what: "commission", id: child.to_string() }
}

/// Refuses a registration whose CEC is not the election's registered CEC (`registered`).
pub(crate) fn check_cec(
    registration: &Registration<'_>,
    registered: Option<String>,
) -> Result<(), RegistryError> {
    let given = registration.commissions.iter().find(|it| it.parent.is_none());
    if let (Some(registered), Some(given)) = (registered, given)
        && registered != given.id.as_str()
    {
        let election = registration.election.id.to_string();
        return Err(RegistryError::Cec { election, registered, given: given.id.to_string() });
    }
    Ok(())
}

/// Refuses lists that differ from the registered ones (when there are any).
pub(crate) fn check_lists(
    registration: &Registration<'_>,
    registered: &[String],
) -> Result<(), RegistryError> {
    let given: Vec<&str> = registration.lists.iter().map(|list| list.id.as_str()).collect();
    if registered.is_empty() || registered.iter().map(String::as_str).eq(given.iter().copied()) {
        return Ok(());
    }
    Err(RegistryError::Lists {
        election: registration.election.id.to_string(),
        registered: registered.join(", "),
        given: given.join(", "),
    })
}
