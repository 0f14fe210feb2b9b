//! Least privilege on PostgreSQL (`docs/ledger.md`, "PostgreSQL roles"): the store of every
//! case runs as the application role of `SAYLAU_TEST_POSTGRES_URL`, and that role cannot
//! change or remove what the log holds, nor switch the triggers off, whatever SQL it sends.
//! PostgreSQL itself refuses it (permission denied, must be owner), before any trigger.

use saylau_store::id::Subject;
use saylau_store::ledger;
use saylau_store::location::Location;
use saylau_store::roles::init_with_owner;
use saylau_store::verify::{Verification, verify};
use sqlx::{Executor as _, PgPool};

use crate::backend::{TestDb, postgres_owner_url, postgres_url};
use crate::fixture::{id, setup};

/// What the application role tries, and the start of PostgreSQL's refusal.
const REFUSED: [(&str, &str); 17] = [
    ("UPDATE log_entries SET payload = 'forged' WHERE seq = 1", "permission denied"),
    ("UPDATE log_entries SET author = 'someone else'", "permission denied"),
    ("DELETE FROM log_entries WHERE seq = 2", "permission denied"),
    ("DELETE FROM current_versions", "permission denied"),
    ("UPDATE current_versions SET subject = 's9'", "permission denied"),
    ("UPDATE commission_keys SET commission_id = 's1'", "permission denied"),
    ("DELETE FROM batches", "permission denied"),
    ("DELETE FROM key_revocations", "permission denied"),
    ("UPDATE key_revocations SET seq = 1", "permission denied"),
    ("UPDATE elections SET name = 'renamed'", "permission denied"),
    ("TRUNCATE log_entries CASCADE", "permission denied"),
    ("TRUNCATE current_versions", "permission denied"),
    ("ALTER TABLE log_entries DISABLE TRIGGER USER", "must be owner"),
    ("ALTER TABLE current_versions DISABLE TRIGGER ALL", "must be owner"),
    ("DROP TRIGGER log_entries_no_update_delete ON log_entries", "must be owner"),
    ("CREATE TABLE shadow (seq BIGINT)", "permission denied"),
    (
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
      VALUES (99, 'x', TRUE, '', 0)",
        "permission denied",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_role_cannot_change_the_log_or_its_triggers() {
    let Some(db) = TestDb::postgres().await else { return };
    let Some(app_url) = db.app_url.clone() else {
        eprintln!(
            "least privilege: SKIPPED (no SAYLAU_TEST_POSTGRES_OWNER_URL: one role owns all)"
        );
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI needs two roles");
        db.finish().await;
        return;
    };
    // What the application may do, it does: register, append, correct (the pointer's one
    // UPDATE), and refresh the statistics through the owner's function.
    let fx = setup(&db.store).await;
    let (s1, s2): (Subject, Subject) = (id("s1"), id("s2"));
    ledger::append(&db.store, &fx.submit(&s1, b"s1 v1", None, None), &fx.pec1).await.expect("1");
    ledger::append(&db.store, &fx.submit(&s2, b"s2 v1", None, None), &fx.pec2).await.expect("2");
    let correction = fx.submit(&s1, b"s1 v2", Some(1), Some("recount"));
    ledger::append(&db.store, &correction, &fx.pec1).await.expect("3");

    let app = PgPool::connect(&app_url).await.expect("the application role connects");
    let role: String =
        sqlx::query_scalar("SELECT current_user::text").fetch_one(&app).await.expect("role");
    assert_eq!(role, "saylau", "the application role of .ci/postgres.sh");
    for (statement, refusal) in REFUSED {
        let err = app.execute(statement).await.expect_err(statement).to_string();
        assert!(err.contains(refusal), "{statement}: {refusal}, not {err}");
    }
    let analyze = app.execute("SELECT saylau_analyze()").await;
    assert!(analyze.is_ok(), "the application refreshes statistics: {analyze:?}");
    let grant = app.execute("SELECT saylau_grant_app('saylau')").await.expect_err("owner only");
    assert!(grant.to_string().contains("permission denied"), "{grant}");
    app.close().await;
    let verified = verify(&db.store, None).await.expect("verify runs");
    let expected = fx.base + 3;
    assert!(
        matches!(verified, Verification::Intact { entries, .. } if entries == expected),
        "{verified:?}"
    );
    db.finish().await;
}

/// Migration 0070: the log's references to its election, key and batch are checked by the
/// statement-level trigger, not by foreign keys; an entry inserted by hand by the
/// application role that names an election, key or batch not stored is refused with
/// PostgreSQL's foreign-key code, whether alone or with good rows in one statement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_that_name_what_is_not_stored_are_refused() {
    let Some(db) = TestDb::postgres().await else { return };
    let Some(app_url) = db.app_url.clone() else {
        eprintln!("references: SKIPPED (no SAYLAU_TEST_POSTGRES_OWNER_URL: one role owns all)");
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI needs two roles");
        db.finish().await;
        return;
    };
    let fx = setup(&db.store).await;
    let s1: Subject = id("s1");
    ledger::append(&db.store, &fx.submit(&s1, b"s1 v1", None, None), &fx.pec1).await.expect("1");
    let app = PgPool::connect(&app_url).await.expect("the application role connects");
    // A copy of the last entry (signed alone) under a new position and subject, with one
    // reference changed; the good copy shows that nothing else refuses it.
    let copy = |election: &str, key: &str, signature: &str, batch: &str| {
        format!(
            "INSERT INTO log_entries (seq, election_id, kind, subject, version, content_hash, \
             prev_hash, entry_hash, author, key_id, signature, reason, recorded_at, payload, \
             batch_id) \
             SELECT seq + 1, {election}, kind, 'forged', version, content_hash, prev_hash, \
             entry_hash, author, {key}, {signature}, reason, recorded_at, payload, {batch} \
             FROM log_entries WHERE seq = (SELECT max(seq) FROM log_entries)"
        )
    };
    let refused = [
        copy("'e-none'", "key_id", "signature", "batch_id"),
        copy("election_id", "'k-none'", "signature", "batch_id"),
        copy("election_id", "key_id", "NULL", "999999"),
    ];
    for statement in &refused {
        let err = app.execute(statement.as_str()).await.expect_err(statement);
        let code = err.as_database_error().and_then(|it| it.code().map(|code| code.into_owned()));
        assert_eq!(code.as_deref(), Some("23503"), "{statement}: {err}");
        assert!(err.to_string().contains("that is not stored"), "{err}");
    }
    let good = copy("election_id", "key_id", "signature", "batch_id");
    let mut tx = app.begin().await.expect("a transaction");
    tx.execute(good.as_str()).await.expect("the same entry with its own references");
    tx.rollback().await.expect("rolled back");
    app.close().await;
    let verified = verify(&db.store, None).await.expect("verify runs");
    let expected = fx.base + 1;
    assert!(
        matches!(verified, Verification::Intact { entries, .. } if entries == expected),
        "{verified:?}"
    );
    db.finish().await;
}

/// The owner's role cannot be the application's: a grant to it would bind nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_is_not_the_application() {
    let (Some(_), Some(owner)) = (postgres_url(), postgres_owner_url()) else { return };
    let owner = Location::Postgres(owner);
    let sqlite = Location::Sqlite("unused.sqlite".into());
    let err = init_with_owner(&sqlite, &owner).await.expect_err("SQLite has no roles");
    assert!(err.to_string().contains("postgres:// URLs"), "{err}");
    let Some(db) = TestDb::postgres().await else { return };
    let Location::Postgres(_) = &db.location else { panic!("a PostgreSQL store") };
    let same = db.owner_location();
    let err = init_with_owner(&same, &same).await.expect_err("the same role");
    assert!(err.to_string().contains("give the application a role of its own"), "{err}");
    db.finish().await;
}

crate::backend::conformance!(observer_and_commission_keys_sign_their_own_kinds);

/// Migration 0020's rule, checked per statement on PostgreSQL since 0051: an observer's key
/// signs only observers' kinds, and only an observer's key signs them, alone or in a batch.
async fn observer_and_commission_keys_sign_their_own_kinds(db: &TestDb) {
    use saylau_store::bulk::{BatchItem, BatchSubmission, append_batch, read_all_currents};
    use saylau_store::digest::Digest;
    use saylau_store::id::Kind;
    use saylau_store::key::CommissionKey;
    let fx = setup(&db.store).await;
    let observer = CommissionKey::generate().expect("a key");
    let org = saylau_store::observe::observer_commission("kloop").expect("an observer id");
    saylau_store::registry::register_key(&db.store, &org, &observer.public_key(), &fx.cec)
        .await
        .expect("the observer's key");
    let (s1, s2): (Subject, Subject) = (id("s1"), id("s2"));
    let copy: Kind = id("observer-copy");
    let as_copy = |subject| saylau_store::ledger::Submission {
        kind: &copy,
        ..fx.submit(subject, b"copy", None, None)
    };
    let refused =
        ledger::append(&db.store, &as_copy(&s1), &fx.pec1).await.expect_err("a PEC's copy");
    assert!(format!("{refused:?}").contains("only an observer key"), "{refused:?}");
    // A subject that is not a registered station: the writer's authority check lets any
    // registered key sign it, so the trigger is what refuses.
    let x9: Subject = id("x9");
    let refused = ledger::append(&db.store, &fx.submit(&x9, b"p", None, None), &observer).await;
    let refused = refused.expect_err("an observer's protocol");
    assert!(format!("{refused:?}").contains("signs only observer"), "{refused:?}");
    ledger::append(&db.store, &as_copy(&x9), &observer).await.expect("an observer's copy");
    // A batch of observers' copies signed by a commission's key writes nothing.
    let items: Vec<BatchItem<'_>> = [(&s1, b"v1".as_slice()), (&s2, b"v2".as_slice())]
        .into_iter()
        .map(|(subject, payload)| BatchItem {
            subject,
            payload,
            content_hash: Digest::of(payload),
            base: None,
            reason: None,
        })
        .collect();
    let batch = BatchSubmission { election: &fx.election, kind: &copy, author: "x", items: &items };
    let mut currents = read_all_currents(&db.store, &fx.election, &copy).await.expect("currents");
    let res = append_batch(&db.store, &batch, &fx.cec, &mut currents).await;
    assert!(format!("{res:?}").contains("only an observer key"), "{res:?}");
    let verified = verify(&db.store, None).await.expect("verify runs");
    // The registrations, the observer's key and its one copy.
    let expected = fx.base + 1 + 1;
    assert!(
        matches!(verified, Verification::Intact { entries, .. } if entries == expected),
        "{verified:?}"
    );
}
