//! Reads that refuse a broken store: the read API of every reader that shows results to
//! people (`saylau results`, `saylau export`, the web portal).
//!
//! Each read verifies the whole log ([`crate::verify`]: every payload's hash against its
//! entry, the chain, the signatures and batches, the current-version pointers) and reads
//! what it returns from the same snapshot, so that what it returns is exactly what the
//! verification covered, even while an import writes. The log must also contain the
//! checkpoints of a [`Trust`] unchanged: one the user publishes (`--checkpoint`) and the
//! one kept outside the database ([`crate::known`]), which catches the removal of the last
//! entries. A store that fails is an error that says what is wrong; nothing is read from
//! it.

use crate::entry::Checkpoint;
use crate::error::DatabaseError;
use crate::id::ElectionId;
use crate::known::{KnownCheckpoint, KnownError};
use crate::store::{Db, Store, pg_begin_snapshot};
use crate::tabulation::{
    CurrentProtocols, HistoryEntry, TabulationError, decode_current, decode_history,
};
use crate::verify::{Break, Verification, VerifyError};
use saylau_core::count::protocol::BallotLists;

/// The checkpoints a checked read requires the log to contain.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// A published checkpoint (`--checkpoint HASH@SEQ`).
    pub published: Option<Checkpoint>,
    /// The file of the known checkpoint, if any (a missing file requires nothing).
    pub known: Option<KnownCheckpoint>,
}

/// What a checked read returns with its value: what the verification covered.
#[derive(Debug, Clone)]
pub struct Verified<T> {
    /// The value read.
    pub value: T,
    /// The number of entries verified.
    pub entries: u64,
    /// The checkpoint of the last entry.
    pub head: Checkpoint,
    /// The checkpoints the log was found to contain (published, then known).
    pub contains: Vec<Checkpoint>,
}

/// A checked read that refused the store or could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckedError {
    /// The store fails its checks; nothing was read from it.
    #[error(
        "the store fails its checks, so nothing is read from it: the log is broken at {0} \
         (`saylau log verify` says the same)"
    )]
    Broken(Box<Break>),
    /// The known checkpoint's file cannot be read.
    #[error(transparent)]
    Known(#[from] KnownError),
    /// The verification could not run.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// The payloads cannot be read back as protocols.
    #[error(transparent)]
    Tabulation(#[from] TabulationError),
}

impl Verified<()> {
    /// The same verification with `value`.
    fn with<T>(self, value: T) -> Verified<T> {
        Verified { value, entries: self.entries, head: self.head, contains: self.contains }
    }
}

impl From<DatabaseError> for CheckedError {
    fn from(err: DatabaseError) -> CheckedError {
        CheckedError::Verify(VerifyError::Database(err))
    }
}

impl Trust {
    /// The checkpoints to require: the published one and the known one.
    fn checkpoints(&self) -> Result<Vec<Checkpoint>, KnownError> {
        let known = match &self.known {
            Some(known) => known.read()?,
            None => None,
        };
        Ok(self.published.into_iter().chain(known).collect())
    }
}

/// The verdict on a verification of `checkpoints`.
fn verified<T>(
    verification: Verification,
    checkpoints: Vec<Checkpoint>,
    value: T,
) -> Result<Verified<T>, CheckedError> {
    match verification {
        Verification::Intact { entries, head } => {
            Ok(Verified { value, entries, head, contains: checkpoints })
        }
        Verification::Broken(broken) => Err(CheckedError::Broken(Box::new(broken))),
    }
}

/// Verifies the log against `trust` and returns its verification and checkpoints.
pub async fn verify(store: &Store, trust: &Trust) -> Result<Verified<()>, CheckedError> {
    let checkpoints = trust.checkpoints()?;
    let verification = crate::verify::verify_against(store, checkpoints.clone()).await?;
    verified(verification, checkpoints, ())
}

/// The current protocol of every station of `election`, from a store that verifies, read
/// in the same snapshot as the verification.
pub async fn current_protocols(
    store: &Store,
    election: &ElectionId,
    trust: &Trust,
) -> Result<Verified<CurrentProtocols>, CheckedError> {
    let checkpoints = trust.checkpoints()?;
    let published = checkpoints.clone();
    let (verification, rows) = match store.db() {
        Db::Sqlite(sqlite) => {
            let id = election.to_string();
            sqlite
                .read(move |tx| {
                    let verification = crate::sqlite::read::verify(tx, published)?;
                    let rows = crate::sqlite::read::current_rows(tx, &id)?;
                    Ok::<_, CheckedError>((verification, rows))
                })
                .await?
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_snapshot(pool).await?;
            let verification = crate::verify::verify_pg(&mut tx, published).await?;
            let rows = crate::tabulation::current_rows_in(&mut tx, election).await?;
            tx.rollback().await.map_err(DatabaseError::from)?;
            (verification, rows)
        }
    };
    let verified = verified(verification, checkpoints, ())?;
    Ok(verified.with(decode_current(rows, election)?))
}

/// Every version of one station's protocol, oldest first, and the election's ballot, from a
/// store that verifies, read in the same snapshot as the verification.
pub async fn history(
    store: &Store,
    election: &ElectionId,
    station: &str,
    trust: &Trust,
) -> Result<Verified<(Vec<HistoryEntry>, BallotLists)>, CheckedError> {
    let checkpoints = trust.checkpoints()?;
    let published = checkpoints.clone();
    let (verification, (lists, rows)) = match store.db() {
        Db::Sqlite(sqlite) => {
            let (id, station) = (election.to_string(), station.to_owned());
            sqlite
                .read(move |tx| {
                    let verification = crate::sqlite::read::verify(tx, published)?;
                    let rows = crate::sqlite::read::history(tx, &id, &station)?;
                    Ok::<_, CheckedError>((verification, rows))
                })
                .await?
        }
        Db::Postgres(pool) => {
            let mut tx = pg_begin_snapshot(pool).await?;
            let verification = crate::verify::verify_pg(&mut tx, published).await?;
            let rows = crate::tabulation::history_rows_in(&mut tx, election, station).await?;
            tx.rollback().await.map_err(DatabaseError::from)?;
            (verification, rows)
        }
    };
    let verified = verified(verification, checkpoints, ())?;
    Ok(verified.with(decode_history(lists, rows, election, station)?))
}
