//! Authority in verification: an entry appended past the writer (plain SQL) with a valid
//! signature of a registered key whose commission may not sign its station (another
//! station's PEC, another region's TEC) is named `not_authorised` by `verify`, and the
//! checked readers refuse the store; a key of a commission above the station verifies. A
//! station moved under another district in the tables is named too.

use ed25519_dalek::Signer as _;
use saylau_core::count::protocol::Line;
use saylau_store::checked::{self, Trust};
use saylau_store::digest::Digest;
use saylau_store::entry::{Entry, Seq, SignedEntry, Version};
use saylau_store::id::{CommissionId, ElectionId, Kind, Subject};
use saylau_store::key::CommissionKey;
use saylau_store::ledger;
use saylau_store::registry;
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};

use crate::backend::{Bind, Table, TestDb, conformance};
use crate::fixture::id;
use crate::tamper::two_batches;

conformance!(entries_signed_outside_their_station_are_not_authorised, a_moved_station_is_named);

/// The station every forged entry corrects: entry 5 made it version 2 (list a 780, b 410).
const STATION: &str = "01-03-0034";

/// Registers a key of `commission` made from `secret`.
async fn key_of(store: &Store, commission: &str, secret: [u8; 32]) {
    let key = CommissionKey::from_secret(&secret);
    let commission: CommissionId = id(commission);
    let cec = crate::protocols::cec_key(store).await;
    registry::register_key(store, &commission, &key.public_key(), &cec).await.expect("a new key");
}

/// Appends, with plain SQL past the writer, version 3 of [`STATION`] with the votes of its
/// lists swapped, signed alone by the key of `secret` exactly as the writer would sign it.
pub(crate) async fn forge(db: &TestDb, secret: [u8; 32]) {
    let (e1, kind, station): (ElectionId, Kind, Subject) = (id("e1"), id("protocol"), id(STATION));
    let head = ledger::checkpoint(&db.store).await.expect("the head");
    let current = ledger::current(&db.store, &e1, &kind, &station).await.expect("a read");
    assert_eq!(current.map(|it| it.version), Some(Version(2)));
    let payload = ledger::payload(&db.store, &e1, &kind, &station, Version(2))
        .await
        .expect("a read")
        .expect("version 2");
    let text = String::from_utf8(payload).expect("JSON");
    let swapped = text.replace("\"a\":780,\"b\":410", "\"a\":410,\"b\":780");
    assert_ne!(swapped, text, "{text}");
    let entry = Entry {
        seq: Seq(head.seq.0 + 1),
        election: e1,
        kind,
        subject: station,
        version: Version(3),
        content_hash: Digest::of(swapped.as_bytes()),
        prev_hash: head.hash,
        author: "intruder".to_owned(),
        key_id: CommissionKey::from_secret(&secret).public_key().key_id(),
        reason: Some("recount".to_owned()),
        recorded_at: "2026-03-20T00:00:00.000Z".to_owned(),
    };
    let signature =
        ed25519_dalek::SigningKey::from_bytes(&secret).sign(&entry.signed_bytes()).to_bytes();
    let signed = SignedEntry { entry, signature };
    let insert = format!(
        "INSERT INTO log_entries (seq, election_id, kind, subject, version, content_hash, \
         prev_hash, entry_hash, author, key_id, signature, reason, recorded_at, payload) \
         VALUES ($1, 'e1', 'protocol', '{STATION}', 3, $2, $3, $4, 'intruder', '{}', $5, \
         'recount', '2026-03-20T00:00:00.000Z', $6)",
        signed.entry.key_id
    );
    let binds = [
        Bind::Int(i64::try_from(signed.entry.seq.0).expect("a position")),
        Bind::Bytes(signed.entry.content_hash.as_bytes().to_vec()),
        Bind::Bytes(signed.entry.prev_hash.as_bytes().to_vec()),
        Bind::Bytes(signed.entry_hash().as_bytes().to_vec()),
        Bind::Bytes(signature.to_vec()),
        Bind::Bytes(swapped.into_bytes()),
    ];
    assert_eq!(db.tamper(Table::Log, &insert, &binds).await, 1);
    let moved = format!("UPDATE current_versions SET version = 3 WHERE subject = '{STATION}'");
    assert_eq!(db.tamper(Table::Current, &moved, &[]).await, 1);
}

/// List a's votes in the checked national totals, or the refusal.
async fn list_a(store: &Store) -> Result<u64, String> {
    let e1: ElectionId = id("e1");
    let read = checked::current_protocols(store, &e1, &Trust::default()).await;
    let read = read.map_err(|err| err.to_string())?;
    Ok(read.value.protocols.iter().map(|it| it.protocol.lines().get(Line::List(0))).sum())
}

async fn entries_signed_outside_their_station_are_not_authorised(db: &TestDb) {
    // (the key's commission, its secret, the verdict)
    let cases = [
        ("01-03-0035", [35; 32], Some("a key of commission 01-03-0035")),
        ("16", [16; 32], Some("a key of commission 16")),
        ("01-04", [14; 32], Some("a key of commission 01-04")),
        ("01", [1; 32], None),
        ("01-03", [13; 32], None),
    ];
    for (commission, secret, refused) in cases {
        let case = db.sibling().await;
        two_batches(&case.store).await;
        let honest = list_a(&case.store).await.expect("an intact store");
        key_of(&case.store, commission, secret).await;
        forge(&case, secret).await;
        let verdict = verify(&case.store, None).await.expect("verify runs");
        match refused {
            Some(signer) => {
                let Verification::Broken(broken) = verdict else { panic!("{commission}: intact") };
                assert_eq!(broken.seq, Seq(10), "{commission}");
                assert_eq!(broken.problem.code(), "not_authorised", "{commission}");
                let text = broken.to_string();
                assert!(
                    text.starts_with(&format!(
                        "entry 10 (protocol {STATION} of election e1): not authorised: signed with {signer}, but only station {STATION}'s"
                    )),
                    "{text}"
                );
                let read = list_a(&case.store).await.expect_err("the readers refuse it");
                assert!(read.contains("not authorised"), "{read}");
            }
            None => {
                assert!(matches!(verdict, Verification::Intact { entries: 10, .. }), "{verdict:?}");
                // The TEC above the station may correct it: list a lost 370 votes.
                assert_eq!(list_a(&case.store).await, Ok(honest - 370), "{commission}");
            }
        }
        case.finish().await;
    }
}

async fn a_moved_station_is_named(db: &TestDb) {
    two_batches(&db.store).await;
    let raw = db.raw().await;
    let moved = format!("UPDATE commissions SET parent_id = '16-01' WHERE id = '{STATION}'");
    assert_eq!(raw.execute(&moved).await, Ok(1));
    let Verification::Broken(broken) = verify(&db.store, None).await.expect("verify runs") else {
        panic!("a moved station verifies")
    };
    assert_eq!(
        broken.to_string(),
        format!(
            "entry 2: registry mismatch: table commissions, row e1/{STATION}, field parent_id: \
             the log registered `01-03`, the table has `16-01`"
        )
    );
    assert_eq!(broken.problem.code(), "registry_mismatch");
}
