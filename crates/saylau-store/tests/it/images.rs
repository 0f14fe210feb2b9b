//! Protocol images: kept by SHA-256, insert-only, named by signed entries of their station
//! that only its commissions may sign; a file changed or removed in the database (past the
//! triggers, as the tables' owner could) makes `verify` fail and name the entry.

use saylau_store::digest::Digest;
use saylau_store::id::{Kind, Subject};
use saylau_store::images::{
    IMAGE_FORMAT, IMAGE_KIND, ImagePayload, StoredImage, image, named, put_image,
};
use saylau_store::ledger::{self, AppendError, Submission};
use saylau_store::location::Location;
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};

use crate::backend::{Bind, Table, TestDb, conformance};
use crate::fixture::{Fixture, id, setup};

conformance!(images_are_signed_by_their_stations_commission, changed_images_are_found_and_named);

/// A scan's bytes (a PDF's header and some text).
const SCAN: &[u8] = b"%PDF-1.4\n% protocol of station s1, signed by the commission\n";

fn payload(station: &str, bytes: &[u8]) -> Vec<u8> {
    ImagePayload {
        format: IMAGE_FORMAT.to_owned(),
        media_type: "application/pdf".to_owned(),
        operator: "secretary".to_owned(),
        sha256: Digest::of(bytes).to_hex(),
        size: bytes.len() as u64,
        station: station.to_owned(),
    }
    .bytes()
}

/// Stores `SCAN` and records it as entry 7, the image of `s1` signed by PEC 1.
async fn one_image(store: &Store) -> Fixture {
    let fx = setup(store).await;
    assert_eq!(put_image(store, SCAN.to_vec()).await.expect("stored"), Digest::of(SCAN));
    let kind: Kind = IMAGE_KIND.parse().expect("a kind");
    let s1: Subject = id("s1");
    let bytes = payload("s1", SCAN);
    let submission = Submission {
        election: &fx.election,
        kind: &kind,
        subject: &s1,
        payload: &bytes,
        base: None,
        reason: None,
        author: "web:secretary (pec-operator s1)",
    };
    ledger::append(store, &submission, &fx.pec1).await.expect("recorded");
    fx
}

async fn verdict(store: &Store) -> String {
    match verify(store, None).await.expect("verify runs") {
        Verification::Intact { entries, .. } => format!("intact {entries}"),
        Verification::Broken(broken) => broken.to_string(),
    }
}

async fn images_are_signed_by_their_stations_commission(db: &TestDb) {
    let fx = one_image(&db.store).await;
    assert_eq!(verdict(&db.store).await, format!("intact {}", fx.base + 1));
    assert_eq!(
        image(&db.store, &Digest::of(SCAN)).await.expect("read"),
        StoredImage::Found(SCAN.to_vec())
    );
    // Stored once, however often it is put.
    put_image(&db.store, SCAN.to_vec()).await.expect("again");
    // Named by a signed entry of the election; a file that none names, or another
    // election, is not.
    let orphan = put_image(&db.store, b"%PDF-1.4 refused".to_vec()).await.expect("stored");
    assert!(named(&db.store, &fx.election, &Digest::of(SCAN)).await.expect("read"));
    assert!(!named(&db.store, &fx.election, &orphan).await.expect("read"));
    assert!(!named(&db.store, &id("e2"), &Digest::of(SCAN)).await.expect("read"));
    // PEC 2's key may not sign station s1's image.
    let kind: Kind = IMAGE_KIND.parse().expect("a kind");
    let s1: Subject = id("s1");
    let other = b"%PDF-1.4 another".to_vec();
    let bytes = payload("s1", &other);
    let submission = Submission {
        election: &fx.election,
        kind: &kind,
        subject: &s1,
        payload: &bytes,
        base: Some(saylau_store::entry::Version(1)),
        reason: Some("a sharper scan"),
        author: "someone",
    };
    let err = ledger::append(&db.store, &submission, &fx.pec2).await.expect_err("not s1's");
    assert!(matches!(err, AppendError::NotAuthorised { .. }), "{err}");
    // The triggers refuse changing or removing a stored file.
    let raw = db.raw().await;
    for statement in ["UPDATE protocol_images SET stored_at = 'x'", "DELETE FROM protocol_images"] {
        let err = raw.execute(statement).await.expect_err(statement);
        assert!(err.contains("refused"), "{statement}: {err}");
    }
    if matches!(db.location, Location::Postgres(_)) {
        let err = raw.execute("TRUNCATE protocol_images").await.expect_err("truncate");
        assert!(err.contains("refused"), "{err}");
    }
}

async fn changed_images_are_found_and_named(db: &TestDb) {
    let hash = Digest::of(SCAN);
    let forged = b"%PDF-1.4\n% protocol of station s1, with other numbers\n".to_vec();
    let cases = [
        (
            "UPDATE protocol_images SET bytes = $1 WHERE sha256 = $2",
            vec![Bind::Bytes(forged.clone()), Bind::Bytes(hash.as_bytes().to_vec())],
            format!(
                "the stored image {hash} was changed: its bytes hash to {}",
                Digest::of(&forged)
            ),
        ),
        (
            "DELETE FROM protocol_images WHERE sha256 = $1",
            vec![Bind::Bytes(hash.as_bytes().to_vec())],
            format!("the image {hash} is not stored"),
        ),
    ];
    for (statement, binds, problem) in cases {
        let case = db.sibling().await;
        let fx = one_image(&case.store).await;
        assert_eq!(case.tamper(Table::Images, statement, &binds).await, 1, "{statement}");
        assert_eq!(
            verdict(&case.store).await,
            format!(
                "entry {} (protocol-image s1 of election e1): protocol image: {problem}",
                fx.base + 1
            ),
            "{statement}"
        );
        let read = image(&case.store, &hash).await.expect("read");
        assert_ne!(read, StoredImage::Found(SCAN.to_vec()), "never shown as the image");
        case.finish().await;
    }
}
