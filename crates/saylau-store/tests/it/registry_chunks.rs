//! The registrations of an import's chunks (`register_missing`), whose check reads only the
//! rows it needs (`enrol::wanted`): entries made chunk after chunk verify; a key below the
//! CEC registers stations under its own commission only, found through parents registered
//! by earlier chunks; and a registration entry forged past the writer, signed by a key
//! that may not register it, is refused by `verify` as the writer refuses it.

use ed25519_dalek::Signer as _;
use saylau_store::digest::Digest;
use saylau_store::enrol::{AUTHOR, CommissionRecord, REGISTRY_KIND, Registrations, STORE_ELECTION};
use saylau_store::entry::{Entry, Seq, SignedEntry, Version};
use saylau_store::id::{CommissionId, ElectionId, Kind, Subject};
use saylau_store::key::CommissionKey;
use saylau_store::ledger;
use saylau_store::registry::{
    self, Commission, Election, Level, PartyList, Registration, RegistryError,
};
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};

use crate::backend::{Bind, Table, TestDb, conformance};
use crate::fixture::id;
use crate::protocols::{FIRST, cec_key, import, numbered_stations};

conformance!(chunk_registrations_verify, a_forged_chunk_registration_is_refused);

/// The secret of the key of region 01.
const REGION: [u8; 32] = [0x01; 32];

/// A station of election `e1` under `district`.
fn station(id_: &str, district: &str) -> Commission {
    Commission {
        id: id(id_),
        parent: Some(id(district)),
        level: Level::Pec,
        name: format!("polling station {id_}"),
    }
}

/// Registers `commissions` of election `e1` (lists a and b) signed with `key`.
async fn register(
    store: &Store,
    commissions: &[Commission],
    key: &CommissionKey,
) -> Result<registry::Registered, RegistryError> {
    let election = Election { id: id("e1"), name: "Test".to_owned() };
    let lists = [
        PartyList { id: id("a"), name: "List A".to_owned(), registration: 1 },
        PartyList { id: id("b"), name: "List B".to_owned(), registration: 2 },
    ];
    let registration = Registration { election: &election, lists: &lists, commissions };
    registry::register_missing(store, &registration, key).await
}

/// Three imports (three chunks' registrations: districts 01-01 and 01-02, then 01-02 again
/// and 01-03, then nothing new), and the region's key registering stations under a
/// district registered by an earlier chunk.
async fn chunks(store: &Store) {
    let cec = cec_key(store).await;
    let first = import(store, &cec, &numbered_stations(0..60, |_| 0), FIRST).await;
    assert_eq!(first.registered.stations, 60);
    let second = import(store, &cec, &numbered_stations(60..130, |_| 0), FIRST).await;
    assert_eq!((second.registered.stations, second.registered.commissions), (70, 71));
    let again = import(store, &cec, &numbered_stations(0..130, |_| 0), FIRST).await;
    assert_eq!((again.registered.commissions, again.unchanged), (0, 130));
    let region = CommissionKey::from_secret(&REGION);
    let commission: CommissionId = id("01");
    registry::register_key(store, &commission, &region.public_key(), &cec).await.expect("a key");
    let added = register(store, &[station("01-03-0041", "01-03")], &region).await;
    assert_eq!(added.expect("the region registers under its district").stations, 1);
}

async fn chunk_registrations_verify(db: &TestDb) {
    let store = &db.store;
    chunks(store).await;
    assert!(matches!(verify(store, None).await, Ok(Verification::Intact { .. })));
    // Another region's district, or a station under it, is not the region's to register,
    // nor may a registration name a parent that nothing registered.
    let region = CommissionKey::from_secret(&REGION);
    let cec = cec_key(store).await;
    let other = Commission {
        id: id("16-01"),
        parent: Some(id("16")),
        level: Level::District,
        name: "District 1".to_owned(),
    };
    let region16 = Commission {
        id: id("16"),
        parent: Some(id("CEC")),
        level: Level::Region,
        name: "16".into(),
    };
    register(store, &[region16, other], &cec).await.expect("the CEC registers region 16");
    let refused = register(store, &[station("16-01-0001", "16-01")], &region).await;
    assert!(matches!(refused, Err(RegistryError::NotAuthorised { .. })), "{refused:?}");
    let unknown = register(store, &[station("01-09-0001", "01-09")], &cec).await;
    assert!(matches!(unknown, Err(RegistryError::Unknown { .. })), "{unknown:?}");
    assert!(matches!(verify(store, None).await, Ok(Verification::Intact { .. })));
}

/// Appends, past the writer, the registration entry of station 16-01-0001 under district
/// 16-01 signed by region 01's key, exactly as the writer would have signed it, with its
/// table row.
async fn forge(db: &TestDb) -> u64 {
    let store = &db.store;
    let head = ledger::checkpoint(store).await.expect("the head");
    let mut reg = Registrations::new();
    reg.commissions.push(CommissionRecord {
        election: "e1".to_owned(),
        id: "16-01-0001".to_owned(),
        level: "pec".to_owned(),
        name: "forged".to_owned(),
        parent: Some("16-01".to_owned()),
    });
    let payload = reg.to_bytes();
    let content_hash = Digest::of(&payload);
    let (election, kind): (ElectionId, Kind) = (id(STORE_ELECTION), id(REGISTRY_KIND));
    let subject: Subject = id(&content_hash.to_hex()[..32]);
    let entry = Entry {
        seq: Seq(head.seq.0 + 1),
        election,
        kind,
        subject: subject.clone(),
        version: Version(1),
        content_hash,
        prev_hash: head.hash,
        author: AUTHOR.to_owned(),
        key_id: CommissionKey::from_secret(&REGION).public_key().key_id(),
        reason: None,
        recorded_at: "2026-03-20T00:00:00.000Z".to_owned(),
    };
    let signature =
        ed25519_dalek::SigningKey::from_bytes(&REGION).sign(&entry.signed_bytes()).to_bytes();
    let signed = SignedEntry { entry, signature };
    let insert = format!(
        "INSERT INTO log_entries (seq, election_id, kind, subject, version, content_hash, \
         prev_hash, entry_hash, author, key_id, signature, reason, recorded_at, payload) \
         VALUES ($1, '{STORE_ELECTION}', '{REGISTRY_KIND}', '{subject}', 1, $2, $3, $4, \
         '{AUTHOR}', '{}', $5, NULL, '2026-03-20T00:00:00.000Z', $6)",
        signed.entry.key_id
    );
    let seq = signed.entry.seq.0;
    let binds = [
        Bind::Int(i64::try_from(seq).expect("a position")),
        Bind::Bytes(signed.entry.content_hash.as_bytes().to_vec()),
        Bind::Bytes(signed.entry.prev_hash.as_bytes().to_vec()),
        Bind::Bytes(signed.entry_hash().as_bytes().to_vec()),
        Bind::Bytes(signature.to_vec()),
        Bind::Bytes(payload),
    ];
    assert_eq!(db.tamper(Table::Log, &insert, &binds).await, 1);
    let current = format!(
        "INSERT INTO current_versions (election_id, kind, subject, version) \
         VALUES ('{STORE_ELECTION}', '{REGISTRY_KIND}', '{subject}', 1)"
    );
    assert_eq!(db.tamper(Table::Current, &current, &[]).await, 1);
    let row = "INSERT INTO commissions (election_id, id, parent_id, level, name) \
               VALUES ('e1', '16-01-0001', '16-01', 'pec', 'forged')";
    assert_eq!(db.tamper(Table::Log, row, &[]).await, 1);
    seq
}

async fn a_forged_chunk_registration_is_refused(db: &TestDb) {
    let store = &db.store;
    chunks(store).await;
    let cec = cec_key(store).await;
    let region16 = Commission {
        id: id("16"),
        parent: Some(id("CEC")),
        level: Level::Region,
        name: "16".into(),
    };
    let district = Commission {
        id: id("16-01"),
        parent: Some(id("16")),
        level: Level::District,
        name: "District 1".to_owned(),
    };
    register(store, &[region16, district], &cec).await.expect("the CEC registers region 16");
    assert!(matches!(verify(store, None).await, Ok(Verification::Intact { .. })));
    let seq = forge(db).await;
    let Verification::Broken(broken) = verify(store, None).await.expect("verify runs") else {
        panic!("a registration signed outside the signer's region verifies")
    };
    assert_eq!(broken.problem.code(), "not_authorised", "{broken}");
    assert!(broken.to_string().contains(&format!("entry {seq}")), "{broken}");
    assert!(broken.to_string().contains("not under the signer's"), "{broken}");
}
