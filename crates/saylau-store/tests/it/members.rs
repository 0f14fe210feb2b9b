//! The commissions register in the log (`docs/commissions.md`): members are registered by
//! signed entries of the CEC or of a commission above theirs, read back with their
//! commissions, and a member row changed or added with plain SQL, without its signed entry,
//! is named by `verify` as a `registry_mismatch` of `commission_members`.

use saylau_store::enrol::MemberRecord;
use saylau_store::id::{CommissionId, ElectionId};
use saylau_store::key::CommissionKey;
use saylau_store::registry::{self, RegistryError};
use saylau_store::store::Store;
use saylau_store::verify::{Verification, verify};

use crate::backend::{Table, TestDb, conformance};
use crate::fixture::id;
use crate::protocols::cec_key;
use crate::tamper::two_batches;

conformance!(
    members_are_registered_by_the_commissions_above_them,
    a_member_changed_without_an_entry_is_named,
);

/// A member row: `commission,person,name,role,nominated_by,party_member,from,to`.
fn member(line: &str) -> MemberRecord {
    let parts: Vec<&str> = line.split(',').collect();
    MemberRecord {
        election: "e1".to_owned(),
        commission: parts[0].to_owned(),
        person: parts[1].to_owned(),
        name: parts[2].to_owned(),
        role: parts[3].to_owned(),
        nominated_by: parts[4].to_owned(),
        party_member: (!parts[5].is_empty()).then(|| parts[5].to_owned()),
        from: parts[6].to_owned(),
        to: parts[7].to_owned(),
    }
}

/// The CEC's seven and the region TEC of Akmola with two members, as registered.
const CEC_ROWS: [&str; 3] = [
    "CEC,kz-0001,Abenova Aigul,chair,appointed:president,,2021-01-01,2025-12-31",
    "01,kz-0101,Seitkali Nurlan,chair,party:nur-otan,nur-otan,2021-01-01,2025-12-31",
    "01,kz-0102,Ivanova Olga,secretary,ngo:zhariya,nur-otan,2021-01-01,2025-12-31",
];

async fn registered(store: &Store) -> (CommissionKey, CommissionKey) {
    two_batches(store).await;
    let cec = cec_key(store).await;
    let rows: Vec<MemberRecord> = CEC_ROWS.iter().map(|it| member(it)).collect();
    registry::add_members(store, &rows, &cec).await.expect("the CEC registers members");
    let region = CommissionKey::from_secret(&[1; 32]);
    let akmola: CommissionId = id("01");
    registry::register_key(store, &akmola, &region.public_key(), &cec).await.expect("a key");
    (cec, region)
}

async fn members_are_registered_by_the_commissions_above_them(db: &TestDb) {
    let store = &db.store;
    let (_, region) = registered(store).await;
    // The region's TEC registers the members of a station under it.
    let pec = member("01-03-0034,kz-3401,Omarov Yerlan,chair,akimat:01-03,,2021-01-01,2025-12-31");
    registry::add_members(store, std::slice::from_ref(&pec), &region)
        .await
        .expect("a superior registers the members of a PEC under it");
    // It may not register its own members, nor the CEC's.
    for row in [
        "01,kz-0103,Kim Sergei,member,ngo:adal-kogam,,2021-01-01,2025-12-31",
        "CEC,kz-0002,Nurpeisov Asan,member,appointed:senate,,2021-01-01,2025-12-31",
    ] {
        let refused = registry::add_members(store, &[member(row)], &region).await;
        assert!(matches!(refused, Err(RegistryError::NotAuthorised { .. })), "{row}: {refused:?}");
    }
    // A member of an unknown commission, or the same row twice, is refused, and nothing of
    // the call is written.
    let unknown = member("01-03-0099,kz-9901,Ghost,member,self,,2021-01-01,2025-12-31");
    let refused = registry::add_members(store, &[member(CEC_ROWS[1]).clone(), unknown], &region)
        .await
        .expect_err("refused");
    assert!(!matches!(refused, RegistryError::NotAuthorised { .. }), "{refused}");
    let e1: ElectionId = id("e1");
    let register = registry::register(store, &e1).await.expect("the register");
    let mut people: Vec<&str> = register.members.iter().map(|it| it.person.as_str()).collect();
    people.sort_unstable();
    assert_eq!(people, ["kz-0001", "kz-0101", "kz-0102", "kz-3401"]);
    assert!(register.commissions.iter().any(|it| it.id.as_str() == "01-03-0034"));
    let got = register.members.iter().find(|it| it.person == "kz-3401").expect("the PEC chair");
    assert_eq!(*got, pec);
    let verdict = verify(store, None).await.expect("verify runs");
    assert!(matches!(verdict, Verification::Intact { .. }), "{verdict:?}");
}

async fn a_member_changed_without_an_entry_is_named(db: &TestDb) {
    let attacks: [(&str, &str); 3] = [
        (
            "UPDATE commission_members SET nominated_by = 'ngo:independent' \
             WHERE person_id = 'kz-0101'",
            "registry mismatch: table commission_members, row e1/01/kz-0101/2021-01-01, \
             field nominated_by: the log registered `party:nur-otan`, the table has \
             `ngo:independent`",
        ),
        (
            "UPDATE commission_members SET party_member = NULL WHERE person_id = 'kz-0102'",
            "registry mismatch: table commission_members, row e1/01/kz-0102/2021-01-01, \
             field party_member: the log registered `nur-otan`, the table has `none`",
        ),
        (
            "INSERT INTO commission_members (election_id, commission_id, person_id, name, role, \
             nominated_by, party_member, term_from, term_to) VALUES ('e1', '01', 'kz-0199', \
             'Planted', 'member', 'party:auyl', NULL, '2021-01-01', '2025-12-31')",
            "registry mismatch: table commission_members, row e1/01/kz-0199/2021-01-01, \
             field row: in the table, but registered by no log entry",
        ),
    ];
    for (statement, expect) in attacks {
        let case = db.sibling().await;
        registered(&case.store).await;
        let before = verify(&case.store, None).await.expect("verify runs");
        assert!(matches!(before, Verification::Intact { .. }), "{before:?}");
        case.tamper(Table::Members, statement, &[]).await;
        let Verification::Broken(broken) = verify(&case.store, None).await.expect("verify runs")
        else {
            panic!("{statement}: verifies as intact")
        };
        assert_eq!(broken.problem.code(), "registry_mismatch", "{broken}");
        assert_eq!(broken.problem.to_string(), expect);
        case.finish().await;
    }
}
