//! The commissions register (`docs/commissions.md`): members of commissions registered by
//! signed registration entries ([`crate::enrol`]) and read back with the commissions of an
//! election.

use super::{Commission, Level, RegistryError, Row, add_rows};
use crate::enrol::MemberRecord;
use crate::id::{CommissionId, ElectionId};
use crate::key::CommissionKey;
use crate::store::{Db, Store};

/// An election's commissions and the members registered on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    /// The commissions, in the store's order.
    pub commissions: Vec<Commission>,
    /// The members, each for one term.
    pub members: Vec<MemberRecord>,
}

/// Registers `members` in one transaction with the registration entry that records them,
/// signed with `by`: a key of the CEC, or of a commission above each member's commission.
/// All of them, or none (a member registered twice, of an unknown commission or beyond the
/// key's authority refuses the whole call).
pub async fn add_members(
    store: &Store,
    members: &[MemberRecord],
    by: &CommissionKey,
) -> Result<(), RegistryError> {
    let rows = members.iter().map(|member| Row::Member(member.clone())).collect();
    add_rows(store, rows, by).await
}

/// The commissions of `election` and their members.
pub async fn register(store: &Store, election: &ElectionId) -> Result<Register, RegistryError> {
    let election = election.to_string();
    let tables = match store.db() {
        Db::Sqlite(sqlite) => {
            sqlite.read(move |tx| crate::sqlite::enrol::tables(tx, Some(&election))).await?
        }
        Db::Postgres(pool) => {
            let mut conn = pool.acquire().await.map_err(crate::error::DatabaseError::from)?;
            crate::enrol_pg::tables(&mut conn, Some(&election)).await?
        }
    };
    let mut commissions = Vec::with_capacity(tables.commissions.len());
    for (_, id, parent, level, name) in tables.commissions {
        let level = match level.as_str() {
            "cec" => Level::Cec,
            "region" => Level::Region,
            "district" => Level::District,
            "pec" => Level::Pec,
            other => {
                let detail = format!("commission {id} has the level {other:?}");
                return Err(RegistryError::Invalid { what: "commission", detail });
            }
        };
        let id: CommissionId = id.parse()?;
        let parent = parent.map(|it| it.parse::<CommissionId>()).transpose()?;
        commissions.push(Commission { id, parent, level, name });
    }
    Ok(Register { commissions, members: tables.members })
}
