//! The demo's protocol store: the synthetic country (`docs/synthetic.md`) imported into a
//! fresh SQLite store, its log verified, and its national result tabulated with seats.
//!
//! `saylau demo` runs this first, so that its main command shows the whole path of a
//! protocol: generated at a station, signed into the log, verified, summed up the
//! hierarchy and turned into seats (which equal the official 2021 seats, because the
//! synthetic totals equal the official totals).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context as _;
use saylau_app::results::{National, national};
use saylau_stats::synthetic::{Seed, SyntheticOptions, synthetic_country};
use saylau_store::id::CommissionId;
use saylau_store::import::{ImportInput, ImportOptions, import_protocols};
use saylau_store::key::CommissionKey;
use saylau_store::location::Location;
use saylau_store::registry::{self, Election};
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};
use serde::Serialize;

use crate::cmd::db;
use crate::cmd::import::DEFAULT_ELECTION;
use crate::cmd::results::{cli_error, render_national};
use crate::table::grouped;

/// The seed of the demo's synthetic country.
const SEED: u64 = 2021;

/// What the demo's store holds.
#[derive(Serialize)]
pub(crate) struct DemoStore {
    /// The SQLite file, recreated by every run.
    store: String,
    /// Polling stations imported.
    stations: usize,
    /// Signed batches appended.
    batches: usize,
    /// Milliseconds the import took.
    import_ms: u128,
    /// Whether `saylau log verify` finds the log intact.
    intact: bool,
    /// The log's checkpoint.
    checkpoint: String,
    /// The national result with seats.
    national: National,
}

/// Who the demo's protocols are from: with a single CEC key, what marks a demo store.
const DEMO_AUTHOR: &str = "saylau demo";

/// A station every synthetic country has.
const FIRST_STATION: &str = "01-01-0001";

/// Recreates the store at `path` with the synthetic country of `stations` stations; an
/// existing file is replaced only when it is a store the demo made, or with `force`.
pub(crate) fn demo_store(path: &Path, stations: u32, force: bool) -> anyhow::Result<DemoStore> {
    if path.exists() && !force && !is_demo_store(path)? {
        anyhow::bail!(
            "{} exists and is not a store made by `saylau demo`, which replaces only its own: \
             choose another --store, or pass --force to replace it",
            path.display()
        );
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match std::fs::remove_file(&file) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                return Err(err).with_context(|| format!("removing {}", path.display()));
            }
            _ => {}
        }
    }
    let country = synthetic_country(Seed(SEED), &SyntheticOptions::new(stations))?;
    let election_id = DEFAULT_ELECTION.parse().context("the demo's election id")?;
    let election = Election { id: election_id, name: "Mazhilis 2021 (synthetic)".to_owned() };
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
    let (report, millis, verification, current) = db::block_on(async {
        let (store, _) = Store::init(&Location::sqlite(path)).await?;
        let key = CommissionKey::generate()?;
        let cec: CommissionId = "CEC".parse()?;
        registry::register_key(&store, &cec, &key.public_key()).await?;
        let started = Instant::now();
        let report = import_protocols(&store, &input, &options, &key, &mut |_| {}).await?;
        let millis = started.elapsed().as_millis();
        let verification = verify(&store, None).await?;
        let current =
            saylau_app::results::current(&store, &election.id).await.map_err(cli_error)?;
        store.close().await;
        anyhow::Ok((report, millis, verification, current))
    })??;
    let checkpoint = match verification {
        Verification::Intact { head, .. } => head,
        Verification::Broken(broken) => anyhow::bail!("the demo's log is broken at {broken}"),
    };
    Ok(DemoStore {
        store: path.display().to_string(),
        stations: report.accepted,
        batches: report.batches,
        import_ms: millis,
        intact: true,
        checkpoint: checkpoint.to_string(),
        national: national(&current, None, DEFAULT_ELECTION).map_err(cli_error)?,
    })
}

/// Whether `path` is a store that `saylau demo` made: a SQLite file in WAL mode (checked
/// in its header before anything opens it, so no other file is touched) whose only key is
/// a CEC key and whose protocols are the demo's.
fn is_demo_store(path: &Path) -> anyhow::Result<bool> {
    let mut header = [0u8; 20];
    let read = std::fs::File::open(path)
        .and_then(|mut file| std::io::Read::read_exact(&mut file, &mut header));
    // SQLite's file header: the magic string, then (bytes 18 and 19) 2 for WAL mode.
    if read.is_err() || !header.starts_with(b"SQLite format 3\0") || header[18..20] != [2, 2] {
        return Ok(false);
    }
    let election = DEFAULT_ELECTION.parse().context("the demo's election id")?;
    db::block_on(async {
        let Ok(store) = Store::open(&Location::sqlite(path)).await else { return Ok(false) };
        let keys = registry::registered_keys(&store).await.unwrap_or_default();
        let history = saylau_store::tabulation::history(&store, &election, FIRST_STATION)
            .await
            .unwrap_or_default();
        store.close().await;
        let cec_only = keys.len() == 1 && keys[0].commission.as_str() == "CEC";
        let demo = !history.is_empty() && history.iter().all(|entry| entry.author == DEMO_AUTHOR);
        anyhow::Ok(cec_only && demo)
    })?
}

/// The demo's store as text.
pub(crate) fn render_demo_store(demo: &DemoStore) -> String {
    let stations = grouped(u64::try_from(demo.stations).unwrap_or(u64::MAX));
    let verified = if demo.intact { "intact" } else { "BROKEN" };
    format!(
        "SYNTHETIC DATA: {stations} modelled polling stations with the official 2021 totals, imported into {} \
         in {} ms ({} signed batches); the log is {verified}, checkpoint {}\n\n{}",
        demo.store,
        demo.import_ms,
        demo.batches,
        demo.checkpoint,
        render_national(&demo.national)
    )
}
