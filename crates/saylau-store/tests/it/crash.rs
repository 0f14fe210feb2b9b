//! Crashes: a protocol import killed with SIGKILL at random points (24 runs) leaves a log
//! that verifies, and a re-run completes it with no duplicate versions.
//!
//! The importer runs in a child process: this test binary itself, started again with
//! `--exact crash::import_is_idempotent` and the `SAYLAU_CRASH_*` variables, which make
//! that test import into the parent's store and print a line per signed batch. The parent
//! reads a random number of lines, then kills the child with `Child::kill` (SIGKILL on
//! Unix), wherever it is: inside a transaction, between two, or still connecting.
//! The random points come from a fixed seed, so a failure can be replayed.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use saylau_formats::ProtocolFile;
use saylau_store::id::{ElectionId, Kind, Subject};
use saylau_store::import::{ImportOptions, import_protocols};
use saylau_store::key::CommissionKey;
use saylau_store::ledger;
use saylau_store::location::Location;
use saylau_store::registry::Election;
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};

use crate::backend::{TestDb, conformance};
use crate::fixture::id;
use crate::protocols::{cec_key, numbered_stations, station};

conformance!(killed_imports_leave_a_verifiable_log);

/// Stations per import.
const STATIONS: usize = 120;
/// Protocols per batch, so that an import is 18 transactions.
const BATCH: usize = 7;
/// Killed runs per import; two imports.
const KILLS_PER_IMPORT: usize = 12;

/// The protocols of import `a` (every station) or `b` (every other station corrected:
/// one vote moved from list b to list a).
fn file(import: &str) -> ProtocolFile {
    let numbers = (0..STATIONS).filter(|n| import == "a" || n.is_multiple_of(2));
    numbered_stations(numbers, |_| usize::from(import == "b"))
}

/// Imports `a` or `b` (with a reason, on the versions seen when it begins), as an
/// importer re-run after a crash would; with `report`, prints a line per batch.
async fn import(store: &Store, key: &CommissionKey, import: &str, report: bool) -> (usize, usize) {
    let file = file(import);
    let election = Election { id: id("e1"), name: "Crash".to_owned() };
    let input = crate::protocols::input(&election, &file);
    let options = ImportOptions {
        author: "importer",
        reason: (import == "b").then_some("import b corrects the count"),
        base_current: true,
        batch_size: BATCH,
    };
    let mut progress = |done: usize| {
        if report {
            println!("imported {done}");
        }
    };
    let res = import_protocols(store, &input, &options, key, &mut progress).await;
    let res = res.expect("an import");
    assert!(res.refused.is_empty() && res.conflicts.is_empty(), "{res:?}");
    (res.accepted + res.corrections.len(), res.unchanged)
}

/// The versions of every station.
async fn versions(store: &Store) -> Vec<Vec<u64>> {
    let (election, kind): (ElectionId, Kind) = (id("e1"), id("protocol"));
    let mut all = Vec::with_capacity(STATIONS);
    for number in 0..STATIONS {
        let subject: Subject = id(&station(number));
        let versions = ledger::versions(store, &election, &kind, &subject).await.expect("read");
        all.push(versions.into_iter().map(|it| it.0).collect());
    }
    all
}

async fn prepare(store: &Store, key_path: &Path) {
    let key = cec_key(store).await;
    key.write_pem(key_path).expect("the key file");
}

/// SplitMix64: the fixed-seed source of kill points.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Starts the importer child on import `batch`, reads `lines` of its progress, and kills
/// it.
fn kill_after(location: &Location, key_path: &Path, batch: &str, lines: usize) {
    let store_arg = match location {
        Location::Sqlite(path) => path.display().to_string(),
        Location::Postgres(url) => url.clone(),
    };
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", "crash::import_is_idempotent", "--nocapture", "--test-threads=1"])
        .env("SAYLAU_CRASH_STORE", store_arg)
        .env("SAYLAU_CRASH_KEY", key_path)
        .env("SAYLAU_CRASH_BATCH", batch)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the importer starts");
    let stdout = child.stdout.take().expect("a piped stdout");
    let progress = BufReader::new(stdout).lines().map_while(Result::ok);
    let read = progress.filter(|line| line.starts_with("imported ")).take(lines).count();
    child.kill().expect("SIGKILL");
    child.wait().expect("the killed importer is reaped");
    assert!(read <= lines);
}

async fn killed_imports_leave_a_verifiable_log(db: &TestDb) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let key_path = dir.path().join("importer.pem");
    prepare(&db.store, &key_path).await;
    let key = CommissionKey::read_pem(&key_path).expect("the key file");
    let mut seed = 0x5a59_4c41_5500_0001;
    for batch in ["a", "b"] {
        for _ in 0..KILLS_PER_IMPORT {
            // 0 to 20 progress lines: the first comes before any batch, the 19th after the
            // last, so some runs are killed while registering and some after the end.
            let lines = usize::try_from(next_random(&mut seed) % 21).expect("small");
            let location = db.location.clone();
            let key_path = key_path.clone();
            let batch_name = batch.to_owned();
            tokio::task::spawn_blocking(move || {
                kill_after(&location, &key_path, &batch_name, lines)
            })
            .await
            .expect("the kill run");
            let store = Store::open(&db.location).await.expect("the store opens after a kill");
            let verification = verify(&store, None).await.expect("verify runs");
            assert!(matches!(verification, Verification::Intact { .. }), "{verification:?}");
            let max = if batch == "a" { 1 } else { 2 };
            assert!(
                versions(&store).await.iter().all(|it| it.len() <= max),
                "no duplicate versions"
            );
            store.close().await;
        }
        import(&db.store, &key, batch, false).await;
    }
    let (recorded, unchanged) = import(&db.store, &key, "b", false).await;
    assert_eq!((recorded, unchanged), (0, STATIONS / 2), "a re-run records nothing");
    let expected: Vec<Vec<u64>> = (0..STATIONS)
        .map(|number| if number.is_multiple_of(2) { vec![1, 2] } else { vec![1] })
        .collect();
    assert_eq!(versions(&db.store).await, expected);
    let Verification::Intact { entries, .. } = verify(&db.store, None).await.expect("verify")
    else {
        panic!("the log verifies")
    };
    // The genesis key and the registration of the election and its commissions, then the
    // protocols and the corrections.
    assert_eq!(entries, 2 + u64::try_from(STATIONS + STATIONS / 2).expect("small"));
}

/// The importer. Run by the crash test as its child (with `SAYLAU_CRASH_STORE`), it
/// imports one batch into that store; run alone, it imports both batches twice into a new
/// SQLite store and checks that the second runs record nothing.
#[test]
fn import_is_idempotent() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        if let Ok(location) = std::env::var("SAYLAU_CRASH_STORE") {
            let store = Store::open(&Location::parse(&location)).await.expect("the store");
            let key_path = std::env::var("SAYLAU_CRASH_KEY").expect("SAYLAU_CRASH_KEY");
            let key = CommissionKey::read_pem(Path::new(&key_path)).expect("the key");
            let batch = std::env::var("SAYLAU_CRASH_BATCH").expect("SAYLAU_CRASH_BATCH");
            import(&store, &key, &batch, true).await;
            return;
        }
        let db = TestDb::sqlite().await;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let key_path = dir.path().join("importer.pem");
        prepare(&db.store, &key_path).await;
        let key = CommissionKey::read_pem(&key_path).expect("the key file");
        assert_eq!(import(&db.store, &key, "a", false).await, (STATIONS, 0));
        assert_eq!(import(&db.store, &key, "a", false).await, (0, STATIONS));
        assert_eq!(import(&db.store, &key, "b", false).await, (STATIONS / 2, 0));
        assert_eq!(import(&db.store, &key, "b", false).await, (0, STATIONS / 2));
        db.finish().await;
    });
}
