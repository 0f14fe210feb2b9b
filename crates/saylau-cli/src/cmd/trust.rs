//! What the readers of the store (`results`, `export`, `log verify`) require of it: the
//! options `--checkpoint HASH@SEQ` (a published checkpoint) and `--known-checkpoint FILE`
//! (the checkpoint kept outside the database, `<store>.checkpoint` beside a SQLite store
//! by default; `saylau import` updates it), and the refusal of a store that fails.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};

use saylau_store::checked::{CheckedError, Trust, Verified};
use saylau_store::entry::Checkpoint;
use saylau_store::id::ElectionId;
use saylau_store::known::{KnownCheckpoint, KnownError};
use saylau_store::location::Location;
use saylau_store::store::Store;
use saylau_store::tabulation::CurrentProtocols;

use crate::cmd::db;

/// The checkpoints a reader requires the log to contain.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct TrustArgs {
    /// A published checkpoint the log must still contain unchanged.
    #[arg(long, value_name = "HASH@SEQ")]
    pub(crate) checkpoint: Option<Checkpoint>,
    /// The file of the last known checkpoint, which the log must contain unchanged and
    /// `saylau import` advances (default: `<store>.checkpoint` beside a SQLite store; none
    /// for PostgreSQL).
    #[arg(long, value_name = "FILE", env = "SAYLAU_KNOWN_CHECKPOINT")]
    pub(crate) known_checkpoint: Option<PathBuf>,
}

/// The known checkpoint's file: `path`, or else the default for the store at `--db`.
pub(crate) fn known_file(path: Option<&Path>, db: &str) -> Option<KnownCheckpoint> {
    match path {
        Some(path) => Some(KnownCheckpoint::at(path)),
        None => KnownCheckpoint::beside(&Location::parse(db)),
    }
}

/// A log that lacks its known checkpoint is [`Refused`] (exit 1); an unreadable file is an
/// error (exit 2).
pub(crate) fn known_refused(err: KnownError) -> anyhow::Error {
    refused(CheckedError::Known(err))
}

impl TrustArgs {
    /// The known checkpoint's file for the store at `--db`, if there is one.
    pub(crate) fn known(&self, db: &str) -> Option<KnownCheckpoint> {
        known_file(self.known_checkpoint.as_deref(), db)
    }

    /// What the store must contain; a known checkpoint's file named by the user must exist
    /// (the default file does not until the first import).
    pub(crate) fn trust(&self, db: &str) -> anyhow::Result<Trust> {
        if let Some(path) = self.known_checkpoint.as_ref().filter(|it| !it.exists()) {
            anyhow::bail!("--known-checkpoint {}: no such file", path.display());
        }
        Ok(Trust { published: self.checkpoint, known: self.known(db) })
    }
}

/// A store refused because it fails its checks: printed as it is, exit code 1.
#[derive(Debug)]
pub(crate) struct Refused(pub(crate) String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// A checked read's error as the command's error: a broken store or a log that lacks its
/// known checkpoint is [`Refused`] (exit 1), anything else an error (exit 2).
pub(crate) fn refused(err: CheckedError) -> anyhow::Error {
    match err {
        CheckedError::Broken(_)
        | CheckedError::Known(KnownError::Truncated { .. } | KnownError::Diverged { .. }) => {
            Refused(format!("error: {err}")).into()
        }
        err => anyhow::Error::new(err).context("reading the protocol store"),
    }
}

/// The current protocols of `election` in the store at `--db`, from a store that verifies.
pub(crate) fn current_protocols(
    db: &str,
    election: &ElectionId,
    trust: &TrustArgs,
) -> anyhow::Result<Verified<CurrentProtocols>> {
    let trust = trust.trust(db)?;
    db::block_on(async {
        let store = db::open(db).await?;
        let res = saylau_store::checked::current_protocols(&store, election, &trust).await;
        store.close().await;
        res.map_err(refused)
    })?
}

/// Runs `write` on a store whose log contains its known checkpoint, then records the new
/// head of the log there; returns what `write` returned and the head. A log that lost
/// entries since the known checkpoint is [`Refused`] before anything is written.
pub(crate) async fn guarded_write<T>(
    store: &Store,
    known: Option<&KnownCheckpoint>,
    write: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<(T, Checkpoint)> {
    if let Some(known) = known {
        known.check(store).await.map_err(known_refused)?;
    }
    let done = write.await?;
    let head = match known {
        Some(known) => known.advance(store).await.map_err(known_refused)?,
        None => saylau_store::ledger::checkpoint(store).await?,
    };
    Ok((done, head))
}
