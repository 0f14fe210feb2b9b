//! The protocol store as the front ends reach it: open the store at a location (a SQLite
//! file or a `postgres://` URL), and the types the use cases over it take.
//!
//! The use cases that read or write the store take an open [`Store`], so that a server
//! opens it once and a command once per run. [`init`] creates or migrates a store, and
//! [`backup`] writes a verified copy of a SQLite store (`saylau db`, `docs/ledger.md`).

use std::path::Path;

use saylau_store::backup::BackupError;
use saylau_store::verify::Verification;
use serde::Serialize;

pub use saylau_store::checked::CheckedError;
pub use saylau_store::id::ElectionId;
pub use saylau_store::location::Location;
pub use saylau_store::store::{Backend, Store, StoreError};

/// What a reader requires of `store`: the known checkpoint kept beside a SQLite store
/// (`docs/ledger.md`, "Readers refuse a broken store").
pub fn trust(store: &Store) -> saylau_store::checked::Trust {
    saylau_store::checked::Trust { published: None, known: known_checkpoint(store) }
}

/// The environment variable that names the known checkpoint's file instead of the default.
pub const CHECKPOINT_FILE_VAR: &str = "SAYLAU_CHECKPOINT_FILE";

/// The file of `store`'s known checkpoint: the file `SAYLAU_CHECKPOINT_FILE` names, or by
/// default `<file>.checkpoint` beside a SQLite store and, for PostgreSQL, a file named after
/// the server and the database in the user's state directory (`docs/ledger.md`, "The known
/// checkpoint").
pub fn known_checkpoint(store: &Store) -> Option<saylau_store::known::KnownCheckpoint> {
    match std::env::var_os(CHECKPOINT_FILE_VAR).filter(|path| !path.is_empty()) {
        Some(path) => Some(saylau_store::known::KnownCheckpoint::at(Path::new(&path))),
        None => saylau_store::known::KnownCheckpoint::beside(store.location()),
    }
}

/// The election of the store commands when none is given.
pub const DEFAULT_ELECTION: &str = "mazhilis-2021";

/// Opens the existing store at `db`: a SQLite file or a `postgres://` URL.
pub async fn open(db: &str) -> Result<Store, StoreError> {
    Store::open(&Location::parse(db)).await
}

/// The backend's name in output: `sqlite` or `postgres`.
pub fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// A store created or migrated: the JSON of `saylau db init --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Initialised {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// Where (without password).
    pub location: String,
    /// The newest migration applied.
    pub schema_version: i64,
    /// The migrations this run applied.
    pub applied: Vec<i64>,
}

/// Creates the store at `db`, or applies the migrations it lacks; safe to run again. With
/// `owner` (a PostgreSQL URL of the same database), the migrations run as that owner role,
/// which then grants the role of `db` SELECT and INSERT only (`docs/ledger.md`,
/// "PostgreSQL roles").
pub async fn init(db: &str, owner: Option<&str>) -> Result<Initialised, StoreError> {
    let location = Location::parse(db);
    let (store, done) = match owner {
        None => Store::init(&location).await?,
        Some(owner) => {
            saylau_store::roles::init_with_owner(&location, &Location::parse(owner)).await?
        }
    };
    store.close().await;
    Ok(Initialised {
        backend: backend_name(store.backend()),
        location: location.to_string(),
        schema_version: done.schema_version,
        applied: done.applied,
    })
}

/// A backup written: the JSON of `saylau db backup --json`.
#[derive(Debug, Clone, Serialize)]
pub struct BackedUp {
    /// The new file.
    pub backup: String,
    /// The checkpoint of its last entry, taken with it.
    pub checkpoint: String,
    /// Its entries.
    pub entries: u64,
    /// Whether the copy verifies against the checkpoint.
    pub verified: bool,
    /// Why it does not verify (for people; not in JSON).
    #[serde(skip)]
    pub broken: Option<String>,
}

/// Writes a consistent copy of a SQLite store to the new file `out`, even during an
/// import, and verifies it against the checkpoint taken with it.
pub async fn backup(store: &Store, out: &Path) -> Result<BackedUp, BackupError> {
    let done = saylau_store::backup::backup(store, out).await?;
    let broken = match &done.verification {
        Verification::Intact { .. } => None,
        Verification::Broken(broken) => Some(broken.to_string()),
    };
    Ok(BackedUp {
        backup: out.display().to_string(),
        checkpoint: done.checkpoint.to_string(),
        entries: done.checkpoint.seq.0,
        verified: broken.is_none(),
        broken,
    })
}
