//! Checked reads: the current protocols and a station's history are read only from a store
//! that verifies, in the snapshot the verification read, and only from a log that still
//! contains the known checkpoint kept outside the database. Each attack of the tamper
//! suite that changes what a reader would print is refused here, by name.

use saylau_store::checked::{self, CheckedError, Trust};
use saylau_store::digest::Digest;
use saylau_store::entry::{Checkpoint, Seq};
use saylau_store::id::ElectionId;
use saylau_store::known::{KnownCheckpoint, KnownError};
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};

use crate::backend::{Bind, Table, TestDb, conformance};
use crate::fixture::id;
use crate::tamper::two_batches;

conformance!(
    readers_refuse_a_tampered_store,
    the_known_checkpoint_finds_a_removed_tail,
    the_known_checkpoint_finds_a_rewritten_history,
);

/// The known checkpoint of a case, in a file of its own directory.
fn known_file(dir: &tempfile::TempDir) -> KnownCheckpoint {
    KnownCheckpoint::at(&dir.path().join("store.checkpoint"))
}

/// The outcome of a checked read of the current protocols: `N stations, M entries` or the
/// error.
async fn read(store: &Store, trust: &Trust) -> String {
    let e1: ElectionId = id("e1");
    match checked::current_protocols(store, &e1, trust).await {
        Ok(read) => format!("{} stations, {} entries", read.value.protocols.len(), read.entries),
        Err(err) => err.to_string(),
    }
}

/// The outcome of a checked read of a station's history.
async fn read_history(store: &Store, trust: &Trust) -> String {
    let e1: ElectionId = id("e1");
    match checked::history(store, &e1, "01-03-0034", trust).await {
        Ok(read) => format!("{} versions", read.value.0.len()),
        Err(err) => err.to_string(),
    }
}

const REFUSED: &str =
    "the store fails its checks, so nothing is read from it: the log is broken at ";

async fn readers_refuse_a_tampered_store(db: &TestDb) {
    let forged = br#"{"against_all":0,"votes":{"a":1000000}}"#.to_vec();
    let forged_hash = Digest::of(&forged).as_bytes().to_vec();
    let cases: Vec<(Table, &str, Vec<Bind>, &str)> = vec![
        (
            Table::Log,
            "UPDATE log_entries SET payload = $1 WHERE seq = 8",
            vec![Bind::Bytes(forged.clone())],
            "entry 8 (protocol 01-03-0034 of election e1): content hash mismatch",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET payload = $1, content_hash = $2 WHERE seq = 8",
            vec![Bind::Bytes(forged), Bind::Bytes(forged_hash)],
            "entry 8 (protocol 01-03-0034 of election e1): entry hash mismatch",
        ),
        (
            Table::Current,
            "UPDATE current_versions SET version = 1 WHERE subject = '01-03-0034'",
            vec![],
            "entry 8 (protocol 01-03-0034 of election e1): current-version index says 1, \
             the log's last version is 2",
        ),
    ];
    let trust = Trust::default();
    for (table, statement, binds, expect) in cases {
        let case = db.sibling().await;
        two_batches(&case.store).await;
        assert_eq!(read(&case.store, &trust).await, "4 stations, 8 entries");
        assert_eq!(read_history(&case.store, &trust).await, "2 versions");
        assert_eq!(case.tamper(table, statement, &binds).await, 1, "{statement}");
        for res in [read(&case.store, &trust).await, read_history(&case.store, &trust).await] {
            assert!(res.starts_with(&format!("{REFUSED}{expect}")), "{statement}: {res}");
        }
        case.finish().await;
    }
}

/// Removes batch 2 (entries 7 and 8) and the registration before it (entry 6, of station
/// 16-01-0001 and the commissions above it), and rolls the current versions and the
/// registry back to batch 1: a log that is consistent in itself.
async fn remove_the_last_batch(db: &TestDb) {
    let statements = [
        (Table::Current, "UPDATE current_versions SET version = 1 WHERE subject = '01-03-0034'"),
        (Table::Current, "DELETE FROM current_versions WHERE subject = '16-01-0001'"),
        (
            Table::Current,
            "DELETE FROM current_versions WHERE kind = 'registry' \
             AND subject IN (SELECT subject FROM log_entries WHERE seq = 6)",
        ),
        (Table::Log, "DELETE FROM commissions WHERE id IN ('16-01-0001', '16-01', '16')"),
        (Table::Log, "DELETE FROM log_entries WHERE seq >= 6"),
        (Table::Batches, "DELETE FROM batches WHERE id = 2"),
    ];
    for (table, statement) in statements {
        assert!(db.tamper(table, statement, &[]).await >= 1, "{statement}");
    }
}

async fn the_known_checkpoint_finds_a_removed_tail(db: &TestDb) {
    let dir = tempfile::tempdir().expect("a directory");
    let known = known_file(&dir);
    two_batches(&db.store).await;
    let head = known.advance(&db.store).await.expect("the head is recorded");
    assert_eq!(head.seq, Seq(8));
    assert_eq!(known.read().expect("the file"), Some(head));
    let trust = Trust { published: None, known: Some(known.clone()) };
    assert_eq!(read(&db.store, &trust).await, "4 stations, 8 entries");
    remove_the_last_batch(db).await;
    // The log alone proves nothing about what it lost ...
    let alone = verify(&db.store, None).await.expect("verify runs");
    assert!(matches!(alone, Verification::Intact { entries: 5, .. }), "{alone:?}");
    assert_eq!(read(&db.store, &Trust::default()).await, "3 stations, 5 entries");
    // ... but the known checkpoint does.
    let refused = read(&db.store, &trust).await;
    assert_eq!(
        refused,
        format!(
            "{REFUSED}entry 8: missing: the log ends at entry 5, before the checkpoint (`saylau log verify` says the same)"
        )
    );
    assert_eq!(read_history(&db.store, &trust).await, refused);
    // A writer refuses to go on from such a log, and the file keeps the checkpoint.
    let err = known.advance(&db.store).await.expect_err("the log lost entries");
    assert!(matches!(err, KnownError::Truncated { entries: 5, .. }), "{err}");
    assert_eq!(known.read().expect("the file"), Some(head));
}

async fn the_known_checkpoint_finds_a_rewritten_history(db: &TestDb) {
    let dir = tempfile::tempdir().expect("a directory");
    let known = known_file(&dir);
    two_batches(&db.store).await;
    let head = known.advance(&db.store).await.expect("the head is recorded");
    // Another history of the same length: the known checkpoint's hash is not the log's.
    let other = Checkpoint { seq: head.seq, hash: Digest::of(b"another history") };
    known.write(other).expect("written");
    let trust = Trust { published: None, known: Some(known.clone()) };
    let res = read(&db.store, &trust).await;
    assert!(
        res.starts_with(&format!(
            "{REFUSED}entry 8 (protocol 01-03-0034 of election e1): checkpoint mismatch: published {}",
            other.hash
        )),
        "{res}"
    );
    let err = known.check(&db.store).await.expect_err("the log diverges");
    assert!(matches!(err, KnownError::Diverged { .. }), "{err}");
    // A published checkpoint is required in the same way, beside the known one.
    let trust = Trust { published: Some(other), known: None };
    assert!(read(&db.store, &trust).await.starts_with(REFUSED));
    let trust = Trust { published: Some(head), known: None };
    assert_eq!(read(&db.store, &trust).await, "4 stations, 8 entries");
    let err = checked::verify(&db.store, &Trust { published: Some(other), known: None }).await;
    assert!(matches!(err, Err(CheckedError::Broken(_))));
}
