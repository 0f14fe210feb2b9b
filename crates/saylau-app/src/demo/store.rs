//! The demo's protocol store: the synthetic country (`docs/synthetic.md`) imported into a
//! fresh SQLite store, its log verified, and its national result tabulated with seats.
//!
//! `saylau demo` runs this first, so that it shows the whole path of a protocol:
//! generated at a station, signed into the log, verified, summed up the hierarchy and
//! turned into seats (which equal the official 2021 seats, because the synthetic totals
//! equal the official totals).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use saylau_stats::synthetic::{Seed, SyntheticError, SyntheticOptions, synthetic_country};
use saylau_store::id::{CommissionId, IdError};
use saylau_store::import::{ImportError, ImportInput, ImportOptions, import_protocols};
use saylau_store::key::{CommissionKey, KeyError};
use saylau_store::location::Location;
use saylau_store::registry::{self, Election, RegistryError};
use saylau_store::store::{Store, StoreError};
use saylau_store::verify::{Verification, VerifyError, verify};
use serde::Serialize;

use crate::results::{National, ResultsError, current, national};
use crate::store::DEFAULT_ELECTION;

/// The seed of the demo's synthetic country.
const SEED: u64 = 2021;

/// Who the demo's protocols are from: with a single CEC key, what marks a demo store.
const DEMO_AUTHOR: &str = "saylau demo";

/// A station every synthetic country has.
const FIRST_STATION: &str = "01-01-0001";

/// What the demo's store holds.
#[derive(Debug, Clone, Serialize)]
pub struct DemoStore {
    /// The SQLite file, recreated by every run.
    pub store: String,
    /// Polling stations imported.
    pub stations: usize,
    /// Signed batches appended.
    pub batches: usize,
    /// Milliseconds the import took.
    pub import_ms: u128,
    /// Members of commissions registered: the synthetic country's commissions register
    /// (`docs/commissions.md`), for `saylau commissions report` and the portal's
    /// `/commissions`.
    pub commission_members: usize,
    /// Whether `saylau log verify` finds the log intact.
    pub intact: bool,
    /// The log's checkpoint.
    pub checkpoint: String,
    /// The national result with seats.
    pub national: National,
}

/// Why the demo's store could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DemoStoreError {
    /// The file exists and the demo did not make it.
    #[error(
        "{path} exists and is not a store made by `saylau demo`, which replaces only its own: \
         choose another --store, or pass --force to replace it"
    )]
    NotDemo {
        /// The file.
        path: String,
    },
    /// An old file could not be removed.
    #[error("removing {path}")]
    Remove {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The country could not be modelled.
    #[error(transparent)]
    Synthetic(#[from] SyntheticError),
    /// An id is malformed.
    #[error("the demo's ids")]
    Id(#[from] IdError),
    /// The store could not be created.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The key could not be made.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The key could not be registered.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The import failed.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The log could not be verified.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// The log is broken.
    #[error("the demo's log is broken at {0}")]
    Broken(String),
    /// The results could not be tabulated.
    #[error(transparent)]
    Results(#[from] ResultsError),
}

/// Recreates the store at `path` with the synthetic country of `stations` stations; an
/// existing file is replaced only when it is a store the demo made, or with `force`.
pub async fn demo_store(
    path: &Path,
    stations: u32,
    force: bool,
) -> Result<DemoStore, DemoStoreError> {
    if path.exists() && !force && !is_demo_store(path).await? {
        return Err(DemoStoreError::NotDemo { path: path.display().to_string() });
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match std::fs::remove_file(&file) {
            Err(source) if source.kind() != std::io::ErrorKind::NotFound => {
                return Err(DemoStoreError::Remove { path: path.display().to_string(), source });
            }
            _ => {}
        }
    }
    let country = synthetic_country(Seed(SEED), &SyntheticOptions::new(stations))?;
    let election =
        Election { id: DEFAULT_ELECTION.parse()?, name: "Mazhilis 2021 (synthetic)".to_owned() };
    let base_versions = BTreeMap::new();
    let input = ImportInput {
        election: &election,
        ballot: &country.ballot,
        hierarchy: &country.hierarchy,
        protocols: &country.protocols,
        base_versions: &base_versions,
    };
    let options =
        ImportOptions { author: DEMO_AUTHOR, reason: None, base_current: false, batch_size: 5000 };
    let (store, _) = Store::init(&Location::sqlite(path)).await?;
    let key = CommissionKey::generate()?;
    let cec: CommissionId = "CEC".parse()?;
    registry::bootstrap(&store, &cec, &key).await?;
    let started = Instant::now();
    let report = import_protocols(&store, &input, &options, &key, &mut |_| {}).await?;
    let import_ms = started.elapsed().as_millis();
    let members: Vec<_> = crate::commissions::synthetic::register(SEED, &country)
        .iter()
        .map(|member| crate::commissions::record_of(&election.id, member))
        .collect();
    registry::add_members(&store, &members, &key).await?;
    let verification = verify(&store, None).await?;
    let current = current(&store, &election.id).await?;
    store.close().await;
    let checkpoint = match verification {
        Verification::Intact { head, .. } => head,
        Verification::Broken(broken) => return Err(DemoStoreError::Broken(broken.to_string())),
    };
    Ok(DemoStore {
        store: path.display().to_string(),
        stations: report.accepted,
        batches: report.batches,
        import_ms,
        commission_members: members.len(),
        intact: true,
        checkpoint: checkpoint.to_string(),
        national: national(&current, None, DEFAULT_ELECTION)?,
    })
}

/// Whether `path` is a store that `saylau demo` made: a SQLite file in WAL mode (checked
/// in its header before anything opens it, so no other file is touched) whose only key is
/// a CEC key and whose protocols are the demo's.
async fn is_demo_store(path: &Path) -> Result<bool, DemoStoreError> {
    let mut header = [0u8; 20];
    let read = std::fs::File::open(path)
        .and_then(|mut file| std::io::Read::read_exact(&mut file, &mut header));
    // SQLite's file header: the magic string, then (bytes 18 and 19) 2 for WAL mode.
    if read.is_err() || !header.starts_with(b"SQLite format 3\0") || header[18..20] != [2, 2] {
        return Ok(false);
    }
    let election = DEFAULT_ELECTION.parse()?;
    let Ok(store) = Store::open(&Location::sqlite(path)).await else { return Ok(false) };
    let keys = registry::registered_keys(&store).await.unwrap_or_default();
    let history = saylau_store::tabulation::history(&store, &election, FIRST_STATION)
        .await
        .unwrap_or_default();
    store.close().await;
    let cec_only = keys.len() == 1 && keys[0].commission.as_str() == "CEC";
    let demo = !history.is_empty() && history.iter().all(|entry| entry.author == DEMO_AUTHOR);
    Ok(cec_only && demo)
}
