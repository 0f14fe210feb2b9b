//! Backups taken while an import writes: each copy holds whole batches, verifies against
//! the checkpoint taken with it, and restores (opens as a store whose results are those of
//! its entries); a backup never overwrites a file, and PostgreSQL is left to pg_dump.

use saylau_store::backup::{BackupError, backup};
use saylau_store::id::ElectionId;
use saylau_store::import::{ImportOptions, import_protocols};
use saylau_store::location::Location;
use saylau_store::registry::Election;
use saylau_store::store::Store;
use saylau_store::tabulation::current_protocols;
use saylau_store::verify::Verification;

use crate::backend::TestDb;
use crate::concurrency::country;
use crate::fixture::id;
use crate::protocols::cec_key;

const STATIONS: usize = 20_000;
const BATCH: usize = 1_000;
const BACKUPS: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_during_an_import_verify_and_restore() {
    let db = TestDb::sqlite().await;
    let store = db.store.clone();
    let key = cec_key(&store).await;
    let file = country(STATIONS);
    let dir = tempfile::tempdir().expect("a directory");
    let (started, mut wait) = tokio::sync::watch::channel(false);
    let (taker, backups) = (store.clone(), dir.path().to_owned());
    let backups = tokio::spawn(async move {
        wait.wait_for(|started| *started).await.expect("the import starts");
        let mut made = Vec::new();
        for n in 0..BACKUPS {
            let out = backups.join(format!("backup-{n}.sqlite"));
            let done = backup(&taker, &out).await.expect("a backup");
            made.push((out, done));
        }
        made
    });
    let election = Election { id: id("e1"), name: "Test".to_owned() };
    let input = crate::protocols::input(&election, &file);
    let options =
        ImportOptions { author: "importer", reason: None, base_current: false, batch_size: BATCH };
    let mut progress = |_done: usize| {
        started.send_replace(true);
    };
    import_protocols(&store, &input, &options, &key, &mut progress).await.expect("the import");
    let election: ElectionId = id("e1");
    for (out, done) in backups.await.expect("the backups") {
        let entries = done.checkpoint.seq.0;
        assert_eq!(done.verification, Verification::Intact { entries, head: done.checkpoint });
        // The genesis key and the election's registration come before the batches.
        let entries = entries.saturating_sub(2);
        assert_eq!(entries % BATCH as u64, 0, "{}: not whole batches", out.display());
        let restored = Store::open(&Location::sqlite(&out)).await.expect("a restored store");
        if entries > 0 {
            let current = current_protocols(&restored, &election).await.expect("its results");
            assert_eq!(current.protocols.len() as u64, entries);
        }
        restored.close().await;
        let again = backup(&store, &out).await;
        assert!(matches!(again, Err(BackupError::Exists { .. })), "{again:?}");
    }
    db.finish().await;
}

#[tokio::test]
async fn postgres_is_backed_up_with_pg_dump() {
    let Some(db) = TestDb::postgres().await else { return };
    let dir = tempfile::tempdir().expect("a directory");
    let res = backup(&db.store, &dir.path().join("copy.sqlite")).await;
    assert!(matches!(res, Err(BackupError::Postgres)), "{res:?}");
    db.finish().await;
}
