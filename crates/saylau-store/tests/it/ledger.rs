//! Appending to the log: first versions, corrections with reasons, idempotent
//! re-submission, conflicts on a stale base (also between two concurrent writers), and
//! which keys may sign for a station.

use saylau_store::entry::{Seq, Version};
use saylau_store::id::Subject;
use saylau_store::ledger::{self, AppendError, Appended};
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};

use crate::backend::{TestDb, conformance};
use crate::fixture::{Fixture, id, setup};

conformance!(
    first_version_is_recorded,
    correction_needs_a_reason_and_keeps_the_old_version,
    same_content_is_unchanged,
    stale_base_conflicts,
    concurrent_corrections_one_wins_and_nothing_is_lost,
    keys_must_be_registered_and_above_the_station,
);

async fn intact(store: &Store) -> u64 {
    match verify(store, None).await.expect("verify runs") {
        Verification::Intact { entries, .. } => entries,
        Verification::Broken(broken) => panic!("the log is broken: {broken}"),
    }
}

fn version(appended: Appended) -> u64 {
    match appended {
        Appended::Recorded { version, .. } => version.0,
        Appended::Unchanged { version } => panic!("unchanged at version {version}"),
    }
}

async fn first_version_is_recorded(db: &TestDb) {
    let fx = setup(&db.store).await;
    let s1: Subject = id("s1");
    let appended =
        ledger::append(&db.store, &fx.submit(&s1, b"{\"votes\":1}", None, None), &fx.pec1)
            .await
            .expect("a first version");
    let Appended::Recorded { seq, version, entry_hash } = appended else {
        panic!("recorded, not {appended:?}")
    };
    assert_eq!((seq, version), (Seq(fx.base + 1), Version(1)));
    let current = ledger::current(&db.store, &fx.election, &fx.kind, &s1).await.expect("read");
    assert_eq!(current.map(|it| (it.version, it.seq)), Some((Version(1), Seq(fx.base + 1))));
    let payload = ledger::payload(&db.store, &fx.election, &fx.kind, &s1, Version(1)).await;
    assert_eq!(payload.expect("read"), Some(b"{\"votes\":1}".to_vec()));
    let checkpoint = ledger::checkpoint(&db.store).await.expect("a checkpoint");
    assert_eq!((checkpoint.seq, checkpoint.hash), (Seq(fx.base + 1), entry_hash));
    assert_eq!(intact(&db.store).await, fx.base + 1);
}

async fn correction_needs_a_reason_and_keeps_the_old_version(db: &TestDb) {
    let fx = setup(&db.store).await;
    let s1: Subject = id("s1");
    let store = &db.store;
    let key = &fx.pec1;
    let first = ledger::append(store, &fx.submit(&s1, b"v1", None, None), key).await;
    assert_eq!(version(first.expect("v1")), 1);
    for reason in [None, Some(""), Some("  ")] {
        let res = ledger::append(store, &fx.submit(&s1, b"v2", Some(1), reason), key).await;
        let err = res.expect_err("a correction needs a reason");
        assert!(matches!(err, AppendError::ReasonRequired { version: Version(2), .. }), "{err}");
        assert_eq!(err.to_string(), "s1: version 2 corrects version 1: a reason is required");
    }
    let long = "x".repeat(5000);
    let res = ledger::append(store, &fx.submit(&s1, b"v2", Some(1), Some(&long)), key).await;
    let err = res.expect_err("too long a reason");
    assert!(matches!(err, AppendError::Text { field: "reason", .. }), "{err}");
    let res = ledger::append(store, &fx.submit(&s1, b"v2", Some(1), Some("recount")), key).await;
    assert_eq!(version(res.expect("v2")), 2);
    let versions = ledger::versions(store, &fx.election, &fx.kind, &s1).await.expect("read");
    assert_eq!(versions, [Version(1), Version(2)]);
    let first = ledger::payload(store, &fx.election, &fx.kind, &s1, Version(1)).await;
    assert_eq!(first.expect("read"), Some(b"v1".to_vec()), "nothing is updated in place");
    assert_eq!(intact(store).await, fx.base + 2);
}

async fn same_content_is_unchanged(db: &TestDb) {
    let fx = setup(&db.store).await;
    let s1: Subject = id("s1");
    let store = &db.store;
    let key = &fx.pec1;
    ledger::append(store, &fx.submit(&s1, b"v1", None, None), key).await.expect("v1");
    let again = ledger::append(store, &fx.submit(&s1, b"v1", None, None), key).await;
    assert_eq!(again.expect("a re-run"), Appended::Unchanged { version: Version(1) });
    let stale_but_same = ledger::append(store, &fx.submit(&s1, b"v1", Some(7), None), key).await;
    assert_eq!(stale_but_same.expect("same content"), Appended::Unchanged { version: Version(1) });
    ledger::append(store, &fx.submit(&s1, b"v2", Some(1), Some("typo")), key).await.expect("v2");
    let again = ledger::append(store, &fx.submit(&s1, b"v2", Some(1), Some("typo")), key).await;
    assert_eq!(again.expect("a re-run"), Appended::Unchanged { version: Version(2) });
    let back = ledger::append(store, &fx.submit(&s1, b"v1", Some(2), Some("undo")), key).await;
    assert_eq!(version(back.expect("back to v1's content")), 3, "only the current version counts");
    assert_eq!(intact(store).await, fx.base + 3);
}

async fn stale_base_conflicts(db: &TestDb) {
    let fx = setup(&db.store).await;
    let (s1, s2): (Subject, Subject) = (id("s1"), id("s2"));
    let store = &db.store;
    ledger::append(store, &fx.submit(&s1, b"v1", None, None), &fx.pec1).await.expect("v1");
    ledger::append(store, &fx.submit(&s1, b"v2", Some(1), Some("a")), &fx.pec1).await.expect("v2");
    let check = |res: Result<Appended, AppendError>,
                 base: Option<u64>,
                 current: Option<u64>,
                 text: &str| {
        let err = res.expect_err("a stale base conflicts");
        let AppendError::Conflict { base: found_base, current: found_current, .. } = &err else {
            panic!("a conflict, not {err}")
        };
        assert_eq!((*found_base, *found_current), (base.map(Version), current.map(Version)));
        assert_eq!(err.to_string(), text);
    };
    let stale = ledger::append(store, &fx.submit(&s1, b"v3", Some(1), Some("b")), &fx.pec1).await;
    check(
        stale,
        Some(1),
        Some(2),
        "s1: conflict: based on version 1, but version 2 is current; read it and submit again",
    );
    let blind = ledger::append(store, &fx.submit(&s1, b"v3", None, None), &fx.pec1).await;
    check(
        blind,
        None,
        Some(2),
        "s1: conflict: based on version none, but version 2 is current; read it and submit again",
    );
    let phantom = ledger::append(store, &fx.submit(&s2, b"v1", Some(1), Some("c")), &fx.pec2).await;
    check(
        phantom,
        Some(1),
        None,
        "s2: conflict: based on version 1, but version none is current; read it and submit again",
    );
    assert_eq!(intact(store).await, fx.base + 2);
}

/// Two writers, each with its own connection pool, correct the same station from the
/// same base at the same time: one wins, the other gets a conflict naming its base, and
/// after a retry on the new base both corrections are in the log.
async fn concurrent_corrections_one_wins_and_nothing_is_lost(db: &TestDb) {
    let fx = setup(&db.store).await;
    let writers = [
        Store::open(&db.location).await.expect("writer A"),
        Store::open(&db.location).await.expect("writer B"),
    ];
    for round in 0..6 {
        let subject: Subject = id(&format!("s-{round}"));
        ledger::append(&db.store, &fx.submit(&subject, b"v1", None, None), &fx.cec)
            .await
            .expect("v1");
        let payloads: [&[u8]; 2] = [b"writer A", b"writer B"];
        let submissions = [
            fx.submit(&subject, payloads[0], Some(1), Some("A")),
            fx.submit(&subject, payloads[1], Some(1), Some("B")),
        ];
        let (first, second) = tokio::join!(
            ledger::append(&writers[0], &submissions[0], &fx.cec),
            ledger::append(&writers[1], &submissions[1], &fx.cec),
        );
        let (won, lost) = match (first, second) {
            (Ok(won), Err(lost)) => ((won, 0), (lost, 1)),
            (Err(lost), Ok(won)) => ((won, 1), (lost, 0)),
            (first, second) => panic!("exactly one writer wins: {first:?}, {second:?}"),
        };
        assert_eq!(version(won.0), 2);
        assert!(
            matches!(
                lost.0,
                AppendError::Conflict { base: Some(Version(1)), current: Some(Version(2)), .. }
            ),
            "the loser learns its base 1 and the current 2: {}",
            lost.0
        );
        let retry = fx.submit(&subject, payloads[lost.1], Some(2), Some("retry"));
        assert_eq!(
            version(ledger::append(&writers[lost.1], &retry, &fx.cec).await.expect("retry")),
            3
        );
        for (version, payload) in [(2, payloads[won.1]), (3, payloads[lost.1])] {
            let stored =
                ledger::payload(&db.store, &fx.election, &fx.kind, &subject, Version(version))
                    .await;
            assert_eq!(stored.expect("read"), Some(payload.to_vec()), "nothing is lost");
        }
    }
    for writer in &writers {
        writer.close().await;
    }
    assert_eq!(intact(&db.store).await, fx.base + 18);
}

async fn keys_must_be_registered_and_above_the_station(db: &TestDb) {
    let fx = setup(&db.store).await;
    let store = &db.store;
    let (s1, s9): (Subject, Subject) = (id("s1"), id("s9"));
    let refused = |res: Result<Appended, AppendError>| res.expect_err("refused").to_string();
    let stranger = ledger::append(store, &fx.submit(&s1, b"v1", None, None), &fx.stranger).await;
    let stranger_id = fx.stranger.public_key().key_id();
    assert_eq!(
        refused(stranger),
        format!("key {stranger_id} is not registered in this store: run `saylau keys new`")
    );
    let neighbour = ledger::append(store, &fx.submit(&s1, b"v1", None, None), &fx.pec2).await;
    let pec2_id = fx.pec2.public_key().key_id();
    assert_eq!(
        refused(neighbour),
        format!(
            "s1: key {pec2_id} of commission s2 may not sign for this station: only its precinct commission s1 and the commissions above it may"
        )
    );
    let other_election = Fixture { election: id("e2"), ..fx };
    let unknown =
        ledger::append(store, &other_election.submit(&s1, b"v1", None, None), &other_election.cec)
            .await;
    assert_eq!(refused(unknown), "s1: election e2 is not registered");
    let fx = Fixture { election: id("e1"), ..other_election };
    for (version, key) in [(1, &fx.pec1), (2, &fx.region), (3, &fx.cec)] {
        let payload = format!("v{version}");
        let submission =
            fx.submit(&s1, payload.as_bytes(), (version > 1).then(|| version - 1), Some("check"));
        assert_eq!(version_of(ledger::append(store, &submission, key).await), version);
    }
    let unregistered_station =
        ledger::append(store, &fx.submit(&s9, b"v1", None, None), &fx.pec2).await;
    assert_eq!(
        version(unregistered_station.expect("not checked before the station is registered")),
        1
    );
    assert_eq!(intact(store).await, fx.base + 4);
}

fn version_of(res: Result<Appended, AppendError>) -> u64 {
    version(res.expect("accepted"))
}
