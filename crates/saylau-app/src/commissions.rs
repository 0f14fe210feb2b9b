//! The commissions register (`docs/commissions.md`): members of election commissions with
//! their nominating party or organisation, role and term.
//!
//! - [`load::load`] checks a register file against the law and the store's register and
//!   signs it into the log whole (`saylau commissions load`);
//! - [`report::report`] is the balance of every commission, level and the country on a day
//!   (`saylau commissions report`, the portal's `/commissions`);
//! - [`draw::draw`] makes the stratified lot of `saylau lot commission` for registered
//!   commissions and writes the drawn members as a register file (`saylau commissions draw`);
//! - [`synthetic::register`] is the synthetic country's register (`saylau generate`).

pub mod draw;
pub mod load;
pub mod report;
pub mod synthetic;

use std::collections::BTreeMap;

use saylau_core::law::composition::{Member, Nominator, Role};
use saylau_formats::Diagnostics;
use saylau_store::enrol::MemberRecord;
use saylau_store::id::ElectionId;
use saylau_store::registry::{self, RegistryError};
use saylau_store::store::Store;

pub use saylau_core::count::commission::Level;
pub use saylau_core::law::composition::balance::{Composition, Flag, Share};
pub use saylau_core::law::date::Date;
pub use saylau_store::key::CommissionKey;

use crate::Rejection;

/// A use case of the register that could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommissionsError {
    /// The file was rejected; its diagnostics say why (nothing was written).
    #[error("{0}")]
    Rejected(Diagnostics),
    /// The registry cannot be read or written.
    #[error("{0}")]
    Registry(#[from] RegistryError),
    /// A stored member cannot be read back (run `saylau log verify`).
    #[error("stored member {row}: {detail}")]
    Stored {
        /// The row.
        row: String,
        /// What is wrong.
        detail: String,
    },
    /// The lot file cannot be drawn.
    #[error("{0}")]
    Lot(#[from] crate::lot::LotError),
    /// A file could not be written.
    #[error("writing {file}")]
    Write {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
}

impl Rejection for CommissionsError {
    fn into_rejected(self) -> Result<Diagnostics, Self> {
        match self {
            CommissionsError::Rejected(diagnostics) => Ok(diagnostics),
            CommissionsError::Lot(err) => err.into_rejected().map_err(CommissionsError::Lot),
            other => Err(other),
        }
    }
}

/// The store's level name (`cec`, `region`, `district`, `pec`) of a level.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Central => "cec",
        Level::Region => "region",
        Level::District => "district",
        Level::Precinct => "pec",
    }
}

fn core_level(level: registry::Level) -> Level {
    match level {
        registry::Level::Cec => Level::Central,
        registry::Level::Region => Level::Region,
        registry::Level::District => Level::District,
        registry::Level::Pec => Level::Precinct,
    }
}

/// The register of an election as the core reads it.
pub(crate) struct Register {
    /// Every registered commission: its level and parent.
    pub(crate) commissions: BTreeMap<String, (Level, Option<String>)>,
    /// The registered members.
    pub(crate) members: Vec<Member>,
}

impl Register {
    /// The level of every registered commission.
    pub(crate) fn levels(&self) -> BTreeMap<String, Level> {
        self.commissions.iter().map(|(id, (level, _))| (id.clone(), *level)).collect()
    }
}

/// Reads the register of `election` from the store.
pub(crate) async fn read(
    store: &Store,
    election: &ElectionId,
) -> Result<Register, CommissionsError> {
    let stored = registry::register(store, election).await?;
    let commissions = stored
        .commissions
        .into_iter()
        .map(|it| {
            let parent = it.parent.map(|parent| parent.to_string());
            (it.id.to_string(), (core_level(it.level), parent))
        })
        .collect();
    let members = stored.members.iter().map(member_of).collect::<Result<_, _>>()?;
    Ok(Register { commissions, members })
}

/// The core member of a stored record.
fn member_of(record: &MemberRecord) -> Result<Member, CommissionsError> {
    let stored = |detail: String| CommissionsError::Stored {
        row: format!("{}/{}/{}", record.commission, record.person, record.from),
        detail,
    };
    let date = |text: &str| Date::parse(text).map_err(|err| stored(err.to_string()));
    Ok(Member {
        commission: record.commission.clone(),
        person: record.person.clone(),
        name: record.name.clone(),
        role: Role::parse(&record.role)
            .ok_or_else(|| stored(format!("unknown role {:?}", record.role)))?,
        nominator: Nominator::parse(&record.nominated_by)
            .ok_or_else(|| stored(format!("unknown nominator {:?}", record.nominated_by)))?,
        party_member: record.party_member.clone(),
        from: date(&record.from)?,
        to: date(&record.to)?,
    })
}

/// The stored record of a member of `election`.
pub(crate) fn record_of(election: &ElectionId, member: &Member) -> MemberRecord {
    MemberRecord {
        commission: member.commission.clone(),
        election: election.to_string(),
        from: member.from.to_string(),
        name: member.name.clone(),
        nominated_by: member.nominator.to_string(),
        party_member: member.party_member.clone(),
        person: member.person.clone(),
        role: member.role.as_str().to_owned(),
        to: member.to.to_string(),
    }
}
