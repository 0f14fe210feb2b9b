//! Tampering: the triggers refuse plain UPDATE and DELETE on the log and its batches, and
//! every change made past them (as the tables' owner, with the triggers dropped or
//! disabled inside the tampering transaction, see `TestDb::tamper`) makes `verify` fail
//! and name the entry, for entries signed alone and entries of signed batches alike.

use saylau_store::digest::Digest;
use saylau_store::entry::{Checkpoint, Seq};
use saylau_store::error::{DatabaseError, DecodeError};
use saylau_store::id::Subject;
use saylau_store::ledger;
use saylau_store::location::Location;
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};

use crate::backend::{Bind, Table, TestDb, conformance};
use crate::fixture::{Fixture, id, setup};
use crate::protocols::{FIRST, How, ROWS, cec_key, csv, import};

conformance!(
    triggers_refuse_update_and_delete,
    tampering_is_found_and_named,
    checkpoints_pin_the_history,
    tampering_with_batches_is_found_and_named,
);

/// Records s1 v1 (PEC 1), s2 v1 (PEC 2), s1 v2 (PEC 1) as entries 7 to 9 (after the
/// fixture's six registrations).
async fn three_entries(store: &Store) -> Fixture {
    let fx = setup(store).await;
    let (s1, s2): (Subject, Subject) = (id("s1"), id("s2"));
    ledger::append(store, &fx.submit(&s1, b"s1 v1", None, None), &fx.pec1).await.expect("1");
    ledger::append(store, &fx.submit(&s2, b"s2 v1", None, None), &fx.pec2).await.expect("2");
    let correction = fx.submit(&s1, b"s1 v2", Some(1), Some("recount"));
    ledger::append(store, &correction, &fx.pec1).await.expect("3");
    fx
}

/// The verdict of `verify` as text: `intact N` or the break.
async fn verdict(store: &Store, published: Option<&Checkpoint>) -> String {
    match verify(store, published).await.expect("verify runs") {
        Verification::Intact { entries, .. } => format!("intact {entries}"),
        Verification::Broken(broken) => broken.to_string(),
    }
}

const REFUSED: [&str; 7] = [
    "UPDATE log_entries SET author = 'someone else' WHERE seq = 7",
    "DELETE FROM log_entries WHERE seq = 8",
    "UPDATE commission_keys SET commission_id = 's1'",
    "DELETE FROM current_versions",
    "UPDATE current_versions SET version = 1 WHERE subject = '01-03-0034'",
    "UPDATE batches SET last_seq = 1",
    "DELETE FROM batches",
];

async fn triggers_refuse_update_and_delete(db: &TestDb) {
    two_batches(&db.store).await;
    let raw = db.raw().await;
    let mut statements = REFUSED.to_vec();
    if matches!(db.location, Location::Postgres(_)) {
        statements.extend([
            "TRUNCATE log_entries CASCADE",
            "TRUNCATE commission_keys CASCADE",
            "TRUNCATE batches CASCADE",
        ]);
    }
    for statement in statements {
        let err = raw.execute(statement).await.expect_err(statement);
        assert!(err.contains("refused"), "{statement}: refused by the trigger, not by {err}");
    }
    drop(raw);
    assert_eq!(verdict(&db.store, None).await, "intact 8");
}

/// A tampering case: `(table, statement, binds, the start of the verdict's problem)`.
type Case = (Table, &'static str, Vec<Bind>, &'static str);

/// Cases that each change entry 8, or the key that signed it.
fn cases() -> Vec<Case> {
    let forged = b"s2 v1, 1000 more votes".to_vec();
    let forged_hash = Digest::of(&forged).as_bytes().to_vec();
    vec![
        (
            Table::Log,
            "UPDATE log_entries SET payload = $1 WHERE seq = 8",
            vec![Bind::Bytes(forged.clone())],
            "content hash mismatch",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET payload = $1, content_hash = $2 WHERE seq = 8",
            vec![Bind::Bytes(forged), Bind::Bytes(forged_hash)],
            "bad signature",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET author = 'the TEC chair' WHERE seq = 8",
            vec![],
            "bad signature",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET recorded_at = '2026-03-20T00:00:00.000Z' WHERE seq = 8",
            vec![],
            "bad signature",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET signature = $1 WHERE seq = 8",
            vec![Bind::Bytes(vec![7; 64])],
            "bad signature",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET prev_hash = $1 WHERE seq = 8",
            vec![Bind::Bytes(vec![0; 32])],
            "chain mismatch",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET entry_hash = $1 WHERE seq = 8",
            vec![Bind::Bytes(vec![1; 32])],
            "entry hash mismatch",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET seq = $1 WHERE seq = 8",
            vec![Bind::Int(20)],
            "sequence gap",
        ),
        (
            Table::Keys,
            "UPDATE commission_keys SET public_key = $1 WHERE commission_id = 's2'",
            vec![Bind::Bytes(vec![9; 32])],
            "unknown key",
        ),
    ]
}

async fn tampering_is_found_and_named(db: &TestDb) {
    for (table, statement, binds, problem) in cases() {
        let case = db.sibling().await;
        three_entries(&case.store).await;
        assert_eq!(case.tamper(table, statement, &binds).await, 1, "{statement}");
        let verdict = verdict(&case.store, None).await;
        let expect = if problem == "sequence gap" {
            "entry 9 (protocol s1 of election e1): sequence gap: expected entry 8".to_owned()
        } else {
            format!("entry 8 (protocol s2 of election e1): {problem}")
        };
        assert!(verdict.starts_with(&expect), "{statement}: {verdict}");
        case.finish().await;
    }
    three_entries(&db.store).await;
    let rolled_back = "UPDATE current_versions SET version = 1 WHERE subject = 's1'";
    assert_eq!(db.tamper(Table::Current, rolled_back, &[]).await, 1);
    assert_eq!(
        verdict(&db.store, None).await,
        "entry 9 (protocol s1 of election e1): current-version index says 1, the log's last version is 2"
    );
}

async fn checkpoints_pin_the_history(db: &TestDb) {
    let empty = ledger::checkpoint(&db.store).await.expect("a checkpoint");
    assert_eq!(empty, Checkpoint { seq: Seq(0), hash: Digest::ZERO });
    let fx = three_entries(&db.store).await;
    let published = ledger::checkpoint(&db.store).await.expect("a checkpoint");
    assert_eq!(published.seq, Seq(9));
    let s2: Subject = id("s2");
    let correction = fx.submit(&s2, b"s2 v2", Some(1), Some("recount"));
    ledger::append(&db.store, &correction, &fx.pec2).await.expect("4");
    assert_eq!(verdict(&db.store, Some(&published)).await, "intact 10");
    assert_eq!(verdict(&db.store, Some(&empty)).await, "intact 10");
    let wrong = Checkpoint { seq: Seq(9), hash: Digest::of(b"another history") };
    let verdict_wrong = verdict(&db.store, Some(&wrong)).await;
    assert!(
        verdict_wrong
            .starts_with("entry 9 (protocol s1 of election e1): checkpoint mismatch: published "),
        "{verdict_wrong}"
    );
    let ahead = Checkpoint { seq: Seq(15), hash: published.hash };
    assert_eq!(
        verdict(&db.store, Some(&ahead)).await,
        "entry 15: missing: the log ends at entry 10, before the checkpoint"
    );
    // Removing the last entry (and rolling the index back with it) leaves a log that is
    // consistent in itself; only a published checkpoint shows that an entry is missing.
    let later = ledger::checkpoint(&db.store).await.expect("a checkpoint");
    assert_eq!(
        db.tamper(
            Table::Current,
            "UPDATE current_versions SET version = 1 WHERE subject = 's2'",
            &[]
        )
        .await,
        1
    );
    assert_eq!(db.tamper(Table::Log, "DELETE FROM log_entries WHERE seq = 10", &[]).await, 1);
    assert_eq!(verdict(&db.store, None).await, "intact 9");
    assert_eq!(verdict(&db.store, Some(&published)).await, "intact 9");
    assert_eq!(
        verdict(&db.store, Some(&later)).await,
        "entry 10: missing: the log ends at entry 9, before the checkpoint"
    );
}

/// Imports `ROWS[..3]` as batch 1 (entries 3 to 5, after the genesis key and the
/// registration of entry 2), then `ROWS[3]` and a correction of `ROWS[0]` as batch 2
/// (entries 7 and 8, after the registration of `ROWS[3]`'s commissions, entry 6).
pub(crate) async fn two_batches(store: &Store) {
    let key = cec_key(store).await;
    import(store, &key, &csv(&ROWS[..3], None), How { batch_size: 3, ..FIRST }).await;
    let corrected =
        "01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,780,410";
    let how = How { reason: Some("recount"), base_current: true, batch_size: 3 };
    let report = import(store, &key, &csv(&[ROWS[3], corrected], None), how).await;
    assert_eq!((report.accepted, report.corrections.len(), report.batches), (1, 1, 1));
}

/// Cases that each change batch 1 or its entry 4, or batch 2; the verdict's start.
fn batch_cases() -> Vec<Case> {
    let forged = br#"{"against_all":0,"votes":{"a":1000000}}"#.to_vec();
    let forged_hash = Digest::of(&forged).as_bytes().to_vec();
    vec![
        (
            Table::Log,
            "UPDATE log_entries SET payload = $1 WHERE seq = 4",
            vec![Bind::Bytes(forged.clone())],
            "entry 4 (protocol 01-03-0035 of election e1): content hash mismatch",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET payload = $1, content_hash = $2 WHERE seq = 4",
            vec![Bind::Bytes(forged), Bind::Bytes(forged_hash)],
            "entry 4 (protocol 01-03-0035 of election e1): entry hash mismatch",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET author = 'the TEC chair' WHERE seq = 4",
            vec![],
            "entry 4 (protocol 01-03-0035 of election e1): entry hash mismatch",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET reason = 'typo' WHERE seq = 8",
            vec![],
            "entry 8 (protocol 01-03-0034 of election e1): entry hash mismatch",
        ),
        (
            Table::Batches,
            "UPDATE batches SET signature = $1 WHERE id = 1",
            vec![Bind::Bytes(vec![7; 64])],
            "entry 3 (protocol 01-03-0034 of election e1): bad signature of batch 1 of entries 3..5",
        ),
        (
            Table::Batches,
            "UPDATE batches SET last_seq = 4 WHERE id = 1",
            vec![],
            "entry 3 (protocol 01-03-0034 of election e1): bad signature of batch 1 of entries 3..4",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET batch_id = 2 WHERE seq = 5",
            vec![],
            "entry 5 (protocol 01-04-0001 of election e1): batch 1 of entries 3..5: its entries stop before its last",
        ),
        (
            Table::Log,
            "UPDATE log_entries SET signature = $1, batch_id = NULL WHERE seq = 7",
            vec![Bind::Bytes(vec![7; 64])],
            "entry 7 (protocol 16-01-0001 of election e1): bad signature",
        ),
    ]
}

async fn tampering_with_batches_is_found_and_named(db: &TestDb) {
    for (table, statement, binds, expect) in batch_cases() {
        let case = db.sibling().await;
        two_batches(&case.store).await;
        assert_eq!(verdict(&case.store, None).await, "intact 8");
        assert_eq!(case.tamper(table, statement, &binds).await, 1, "{statement}");
        let verdict = verdict(&case.store, None).await;
        assert!(verdict.starts_with(expect), "{statement}: {verdict}");
        case.finish().await;
    }
    // Removing the last entry of batch 2 (and rolling its station's index back) leaves a
    // chain that is consistent in itself, but batch 2 then lacks an entry it signed.
    two_batches(&db.store).await;
    let rolled_back = "UPDATE current_versions SET version = 1 WHERE subject = '01-03-0034'";
    assert_eq!(db.tamper(Table::Current, rolled_back, &[]).await, 1);
    assert_eq!(db.tamper(Table::Log, "DELETE FROM log_entries WHERE seq = 8", &[]).await, 1);
    assert_eq!(
        verdict(&db.store, None).await,
        "entry 7 (protocol 16-01-0001 of election e1): batch 2 of entries 7..8: its entries stop before its last"
    );
}

/// A stored hash that is not 32 bytes, or a negative version, is an error that names its
/// table, row and column when it is read back, never a default (SQLite, where the owner
/// can switch the CHECK constraints off).
#[tokio::test]
async fn malformed_stored_values_are_named_errors() {
    let db = TestDb::sqlite().await;
    let fx = three_entries(&db.store).await;
    let short = "UPDATE log_entries SET entry_hash = X'0102' WHERE seq = 9";
    assert_eq!(db.tamper(Table::Log, short, &[]).await, 1);
    let Err(DatabaseError::Decode(err)) = ledger::checkpoint(&db.store).await else {
        panic!("the head's hash is read as a hash")
    };
    let expect = |row: &str, column: &'static str, problem: &str| DecodeError {
        table: "log_entries",
        row: row.to_owned(),
        column,
        problem: problem.to_owned(),
    };
    assert_eq!(err, expect("9", "entry_hash", "is 2 bytes, not a 32-byte hash"));
    let (s1, s2): (Subject, Subject) = (id("s1"), id("s2"));
    let negative = "UPDATE log_entries SET version = -1 WHERE seq = 8";
    assert_eq!(db.tamper(Table::Log, negative, &[]).await, 1);
    let versions = ledger::versions(&db.store, &fx.election, &fx.kind, &s2).await;
    let Err(DatabaseError::Decode(err)) = versions else { panic!("a negative version is read") };
    assert_eq!(err, expect("s2", "version", "is negative (-1)"));
    // The other subjects read as before.
    let versions = ledger::versions(&db.store, &fx.election, &fx.kind, &s1).await;
    assert_eq!(versions.expect("s1's versions").len(), 2);
    db.finish().await;
}
