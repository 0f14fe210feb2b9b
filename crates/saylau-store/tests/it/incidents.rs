//! Incidents at the level of the store (migration 0021): only an observer key signs the
//! kinds `incident` and `incident-state`, whatever path the entry takes; an observer key
//! still writes no protocol; evidence files are content-addressed and checked on read.

use saylau_store::digest::Digest;
use saylau_store::id::{CommissionId, Kind, Subject};
use saylau_store::incident::{
    Evidence, INCIDENT_KIND, INCIDENT_STATE_KIND, evidence, put_evidence,
};
use saylau_store::key::CommissionKey;
use saylau_store::ledger::{self, Appended, Submission};
use saylau_store::observe::observer_commission;
use saylau_store::registry;
use saylau_store::verify::{Verification, verify};

use crate::backend::{TestDb, conformance};
use crate::fixture::{id, setup};

conformance!(only_observer_keys_sign_incidents, evidence_is_content_addressed);

async fn only_observer_keys_sign_incidents(db: &TestDb) {
    let store = &db.store;
    let fx = setup(store).await;
    let observer = CommissionKey::generate().expect("a key");
    let commission: CommissionId = observer_commission("golos").expect("an id");
    registry::register_key(store, &commission, &observer.public_key(), &fx.cec)
        .await
        .expect("a key");
    let subject: Subject = id("golos/inc-1");
    let incident: Kind = id(INCIDENT_KIND);
    let state: Kind = id(INCIDENT_STATE_KIND);
    // Migration 0066's deployment plans are an observer kind too.
    let deployment: Kind = id(saylau_store::observe::DEPLOYMENT_KIND);
    for kind in [&incident, &state, &deployment] {
        let submission = Submission {
            election: &fx.election,
            kind,
            subject: &subject,
            payload: b"{}",
            base: None,
            reason: None,
            author: "observer",
        };
        for key in [&fx.cec, &fx.pec1] {
            let err = ledger::append(store, &submission, key).await.expect_err("refused");
            assert!(err.to_string().contains("only an observer key signs"), "{kind}: {err}");
        }
        let recorded = ledger::append(store, &submission, &observer).await.expect("accepted");
        assert!(matches!(recorded, Appended::Recorded { .. }), "{kind}");
    }
    // A subject that is not a registered station, so that the station's authority does
    // not refuse first: the trigger refuses an observer key's protocol anyway.
    let s9: Subject = id("s9");
    let protocol = fx.submit(&s9, b"v1", None, None);
    let err = ledger::append(store, &protocol, &observer).await.expect_err("no protocol");
    assert!(
        err.to_string().contains("signs only observer copies, statuses, incidents and deployments"),
        "{err}"
    );
    match verify(store, None).await.expect("verify runs") {
        Verification::Intact { entries, .. } => {
            // The registrations, the observer's key, and only the three accepted.
            assert_eq!(entries, fx.base + 1 + 3, "only the three accepted");
        }
        Verification::Broken(broken) => panic!("{broken}"),
    }
}

async fn evidence_is_content_addressed(db: &TestDb) {
    let store = &db.store;
    let files = vec![b"photo one".to_vec(), b"photo two".to_vec(), b"photo one".to_vec()];
    let hashes = put_evidence(store, files).await.expect("stored");
    assert_eq!(hashes[0], Digest::of(b"photo one"));
    assert_eq!(hashes[0], hashes[2]);
    put_evidence(store, vec![b"photo two".to_vec()]).await.expect("stored again, once");
    let absent = Digest::of(b"never stored");
    let read = evidence(store, &[hashes[1], absent]).await.expect("read");
    assert_eq!(read, [Evidence::Found(b"photo two".to_vec()), Evidence::Missing]);
}
