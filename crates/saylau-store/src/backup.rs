//! Backups: a consistent copy of a SQLite store, taken while others read and write, and
//! verified with the checkpoint of its last entry (`docs/ledger.md`, "Backups").
//!
//! SQLite's `VACUUM INTO` writes the snapshot of one read transaction into a new file, so a
//! copy taken during an import holds whole batches only; copying the file itself while the
//! writer appends is not a backup (pages of the file and of its write-ahead log would come
//! from different moments). A PostgreSQL store is backed up with `pg_dump`.

use std::path::{Path, PathBuf};

use crate::entry::Checkpoint;
use crate::error::DatabaseError;
use crate::location::Location;
use crate::store::{Db, Store, StoreError};
use crate::verify::{Verification, VerifyError, verify};

/// A backup that was not made, or does not verify.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The file to write exists already; a backup never overwrites one.
    #[error("{}: the file exists; a backup is written to a new file", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// PostgreSQL stores are backed up with its own tools.
    #[error("a PostgreSQL store is backed up with pg_dump (docs/ledger.md, \"Backups\")")]
    Postgres,
    /// The copy could not be written.
    #[error("writing the backup: {0}")]
    Database(#[from] DatabaseError),
    /// The copy could not be opened again.
    #[error("opening the backup: {0}")]
    Open(#[from] StoreError),
    /// The copy could not be verified.
    #[error("verifying the backup: {0}")]
    Verify(#[from] VerifyError),
}

/// A backup written and verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The checkpoint of the copy's last entry, taken with it.
    pub checkpoint: Checkpoint,
    /// What `verify` says of the copy against that checkpoint.
    pub verification: Verification,
}

/// Writes a consistent copy of `store` to the new file `out` and verifies it against the
/// checkpoint of its last entry.
pub async fn backup(store: &Store, out: &Path) -> Result<Backup, BackupError> {
    let Db::Sqlite(sqlite) = store.db() else { return Err(BackupError::Postgres) };
    if out.exists() {
        return Err(BackupError::Exists { path: out.to_owned() });
    }
    let checkpoint = sqlite.vacuum_into(out).await?;
    let copy = Store::open(&Location::sqlite(out)).await?;
    let verification = verify(&copy, Some(&checkpoint)).await;
    copy.close().await;
    Ok(Backup { checkpoint, verification: verification? })
}
