//! The registry in the log (`docs/integrity.md`): each change an attacker with access to
//! the database makes to the registry's tables with plain SQL (names, list order, parents,
//! a key's commission, a row added without its entry) is named by `verify` as a
//! `registry_mismatch` with its table, row and field, and the checked readers refuse the
//! store. Keys are registered by signed entries, and a revoked key's later entries are not
//! authorised.

use saylau_core::count::protocol::Line;
use saylau_store::checked::{self, Trust};
use saylau_store::id::{CommissionId, ElectionId};
use saylau_store::key::CommissionKey;
use saylau_store::registry::{self, RegistryError};
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};

use crate::authority::forge;
use crate::backend::{Bind, Table, TestDb, conformance};
use crate::fixture::id;
use crate::protocols::cec_key;
use crate::tamper::two_batches;

conformance!(
    registry_tampering_is_named,
    keys_are_registered_by_keys_above_them,
    a_revoked_key_signs_nothing_after_its_revocation,
);

/// List a's votes in the checked national totals, or the refusal.
async fn list_a(store: &Store) -> Result<u64, String> {
    let e1: ElectionId = id("e1");
    let read = checked::current_protocols(store, &e1, &Trust::default()).await;
    let read = read.map_err(|err| err.to_string())?;
    Ok(read.value.protocols.iter().map(|it| it.protocol.lines().get(Line::List(0))).sum())
}

/// An attack: plain SQL statements, the table whose triggers they pass, and the start of
/// what verify says.
struct Attack {
    name: &'static str,
    table: Table,
    statements: Vec<&'static str>,
    binds: Vec<Bind>,
    expect: String,
}

#[expect(clippy::too_many_lines, reason = "a table of attacks, read top to bottom")]
fn attacks() -> Vec<Attack> {
    let stranger = CommissionKey::from_secret(&[77; 32]).public_key();
    let stranger_id = stranger.key_id().to_string();
    let mismatch = |table: &str, row: &str, field: &str, detail: &str| {
        format!("registry mismatch: table {table}, row {row}, field {field}: {detail}")
    };
    vec![
        Attack {
            name: "two party names swapped",
            table: Table::Log,
            statements: vec![
                "UPDATE lists SET name = 'List B' WHERE election_id = 'e1' AND id = 'a'",
                "UPDATE lists SET name = 'List A' WHERE election_id = 'e1' AND id = 'b'",
            ],
            binds: vec![],
            expect: mismatch(
                "lists",
                "e1/a",
                "name",
                "the log registered `List A`, the table has `List B` (and 1 more differences)",
            ),
        },
        Attack {
            name: "a region renamed",
            table: Table::Log,
            statements: vec!["UPDATE commissions SET name = 'Renamed' WHERE id = '01'"],
            binds: vec![],
            expect: mismatch(
                "commissions",
                "e1/01",
                "name",
                "the log registered `Akmola`, the table has `Renamed`",
            ),
        },
        Attack {
            name: "lists reordered",
            table: Table::Log,
            statements: vec![
                "UPDATE lists SET registration = 3 WHERE election_id = 'e1' AND id = 'a'",
                "UPDATE lists SET registration = 1 WHERE election_id = 'e1' AND id = 'b'",
                "UPDATE lists SET registration = 2 WHERE election_id = 'e1' AND id = 'a'",
            ],
            binds: vec![],
            expect: mismatch(
                "lists",
                "e1/a",
                "registration",
                "the log registered `1`, the table has `2` (and 1 more differences)",
            ),
        },
        Attack {
            name: "a station moved under another district",
            table: Table::Log,
            // District 01-04 is registered (station 01-04-0001 is under it).
            statements: vec!["UPDATE commissions SET parent_id = '01-04' WHERE id = '01-03-0034'"],
            binds: vec![],
            expect: mismatch(
                "commissions",
                "e1/01-03-0034",
                "parent_id",
                "the log registered `01-03`, the table has `01-04`",
            ),
        },
        Attack {
            name: "a key's commission changed",
            table: Table::Keys,
            statements: vec![
                "UPDATE commission_keys SET commission_id = '01' WHERE commission_id = 'CEC'",
            ],
            binds: vec![],
            expect: "registry mismatch: table commission_keys, row ".to_owned(),
        },
        Attack {
            name: "a commission added without an entry",
            table: Table::Log,
            statements: vec![
                "INSERT INTO commissions (election_id, id, parent_id, level, name) \
                 VALUES ('e1', '01-03-0099', '01-03', 'pec', 'ghost')",
            ],
            binds: vec![],
            expect: mismatch(
                "commissions",
                "e1/01-03-0099",
                "row",
                "in the table, but registered by no log entry",
            ),
        },
        Attack {
            name: "a key added without an entry",
            table: Table::Keys,
            statements: vec![
                "INSERT INTO commission_keys (id, commission_id, public_key, registered_at) \
                 VALUES ($1, 'CEC', $2, '2026-03-20T00:00:00.000Z')",
            ],
            binds: vec![Bind::Text(stranger_id.clone()), Bind::Bytes(stranger.as_bytes().to_vec())],
            expect: mismatch(
                "commission_keys",
                &stranger_id,
                "row",
                "in the table, but registered by no log entry",
            ),
        },
    ]
}

async fn registry_tampering_is_named(db: &TestDb) {
    for attack in attacks() {
        let case = db.sibling().await;
        two_batches(&case.store).await;
        assert!(list_a(&case.store).await.is_ok(), "{}: an intact store reads", attack.name);
        for statement in &attack.statements {
            case.tamper(attack.table, statement, &attack.binds).await;
        }
        let Verification::Broken(broken) = verify(&case.store, None).await.expect("verify runs")
        else {
            panic!("{}: verifies as intact", attack.name)
        };
        assert_eq!(broken.problem.code(), "registry_mismatch", "{}: {broken}", attack.name);
        let text = broken.problem.to_string();
        assert!(text.starts_with(&attack.expect), "{}: {text}", attack.name);
        let read = list_a(&case.store).await.expect_err("the readers refuse a tampered registry");
        assert!(read.contains("registry mismatch"), "{}: {read}", attack.name);
        case.finish().await;
    }
}

async fn keys_are_registered_by_keys_above_them(db: &TestDb) {
    let store = &db.store;
    two_batches(store).await;
    let cec = cec_key(store).await;
    let region = CommissionKey::from_secret(&[1; 32]);
    let station = CommissionKey::from_secret(&[2; 32]);
    let other = CommissionKey::from_secret(&[3; 32]);
    let commission = |text: &str| -> CommissionId { id(text) };
    // A second first key is refused: the log has its genesis.
    let again = registry::bootstrap(store, &commission("CEC"), &other).await;
    assert!(matches!(again, Err(RegistryError::NotAuthorised { .. })), "{again:?}");
    registry::register_key(store, &commission("01"), &region.public_key(), &cec)
        .await
        .expect("the CEC registers a region's key");
    registry::register_key(store, &commission("01-03-0034"), &station.public_key(), &region)
        .await
        .expect("a region registers a key of a station under it");
    // A station's key registers no key of its region, nor of another station.
    for target in ["01", "01-03-0035", "CEC"] {
        let refused =
            registry::register_key(store, &commission(target), &other.public_key(), &station).await;
        let err = refused.expect_err("refused");
        assert!(matches!(err, RegistryError::NotAuthorised { .. }), "{target}: {err}");
    }
    // An unregistered key registers nothing.
    let unregistered =
        registry::register_key(store, &commission("01"), &other.public_key(), &other).await;
    assert!(matches!(unregistered, Err(RegistryError::NotAuthorised { .. })), "{unregistered:?}");
    assert!(matches!(verify(store, None).await, Ok(Verification::Intact { .. })));
}

async fn a_revoked_key_signs_nothing_after_its_revocation(db: &TestDb) {
    let store = &db.store;
    two_batches(store).await;
    let cec = cec_key(store).await;
    // The district's key signs a correction, verified; once revoked, its next one is not.
    let district = CommissionKey::from_secret(&[13; 32]);
    registry::register_key(store, &id("01-03"), &district.public_key(), &cec)
        .await
        .expect("the district's key");
    registry::revoke_key(store, &district.public_key().key_id(), &cec).await.expect("revoked");
    assert!(matches!(verify(store, None).await, Ok(Verification::Intact { .. })));
    forge(db, [13; 32]).await;
    let Verification::Broken(broken) = verify(store, None).await.expect("verify runs") else {
        panic!("an entry of a revoked key verifies")
    };
    assert_eq!(broken.problem.code(), "not_authorised");
    assert!(broken.to_string().contains("was revoked by entry 10"), "{broken}");
    let read = list_a(store).await.expect_err("the readers refuse it");
    assert!(read.contains("revoked"), "{read}");

    // A rotated key: the new one registers keys, the old one no longer can.
    let case = db.sibling().await;
    two_batches(&case.store).await;
    let cec = cec_key(&case.store).await;
    let rotated = CommissionKey::from_secret(&[5; 32]);
    registry::rotate_key(&case.store, &rotated.public_key(), &cec).await.expect("rotated");
    let next = CommissionKey::from_secret(&[6; 32]).public_key();
    let refused = registry::register_key(&case.store, &id("01"), &next, &cec).await;
    assert!(matches!(refused, Err(RegistryError::NotAuthorised { .. })), "{refused:?}");
    registry::register_key(&case.store, &id("01"), &next, &rotated).await.expect("the new key");
    assert!(matches!(verify(&case.store, None).await, Ok(Verification::Intact { .. })));
    case.finish().await;
}
