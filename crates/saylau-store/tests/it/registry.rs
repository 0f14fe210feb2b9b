//! Registering elections, commissions, stations, lists and keys: each batch is checked
//! whole by the database's constraints, and refusals name the row.

use saylau_store::bulk::{BatchItem, BatchSubmission, append_batch};
use saylau_store::current::Currents;
use saylau_store::id::{CommissionId, ElectionId};
use saylau_store::id::{Kind, Subject};
use saylau_store::key::CommissionKey;
use saylau_store::registry::{
    self, Commission, Election, Level, PartyList, Registered, Registration, RegistryError,
    register_missing, registered_keys,
};
use saylau_store::verify::{Verification, verify};

use crate::backend::{TestDb, conformance};
use crate::fixture::{id, setup};

conformance!(
    registrations_are_checked,
    a_refused_batch_leaves_nothing_behind,
    a_station_is_its_pec,
    missing_registrations_check_every_parent,
    batches_need_a_registered_election_and_key,
);

fn check(res: Result<(), RegistryError>, expect: &str) {
    assert_eq!(res.expect_err("refused").to_string(), expect);
}

async fn registrations_are_checked(db: &TestDb) {
    let fx = setup(&db.store).await;
    let store = &db.store;
    let e1 = &fx.election;
    let election = Election { id: id("e1"), name: "again".to_owned() };
    check(
        registry::add_election(store, &election, &fx.cec).await,
        "election e1 is already registered",
    );
    let orphan =
        Commission { id: id("p9"), parent: Some(id("d9")), level: Level::Pec, name: String::new() };
    check(
        registry::add_commissions(store, e1, &[orphan], &fx.cec).await,
        "commission p9 refers to an unregistered election or commission",
    );
    let second_cec =
        Commission { id: id("p9"), parent: None, level: Level::Pec, name: String::new() };
    check(
        registry::add_commissions(store, e1, &[second_cec], &fx.cec).await,
        "commission p9: only the CEC has no parent commission",
    );
    let lists = [
        PartyList { id: id("a"), name: "A".to_owned(), registration: 1 },
        PartyList { id: id("b"), name: "B".to_owned(), registration: 1 },
    ];
    check(registry::add_lists(store, e1, &lists, &fx.cec).await, "list b is already registered");
    let cec: CommissionId = id("cec");
    let again =
        registry::register_key(store, &cec, &fx.cec.public_key(), &fx.cec).await.map(|_| ());
    check(again, &format!("key {} is already registered", fx.cec.public_key().key_id()));
    let keys = registered_keys(store).await.expect("the keys");
    assert_eq!(keys.len(), 4);
    assert!(
        keys.iter()
            .any(|key| key.id == fx.pec1.public_key().key_id() && key.commission.as_str() == "s1")
    );
}

async fn a_refused_batch_leaves_nothing_behind(db: &TestDb) {
    let store = &db.store;
    let e1: ElectionId = id("e1");
    let genesis = CommissionKey::generate().expect("a key");
    registry::bootstrap(store, &id("cec"), &genesis).await.expect("the genesis key");
    registry::add_election(store, &Election { id: e1.clone(), name: "E".to_owned() }, &genesis)
        .await
        .expect("e1");
    let cec = Commission { id: id("cec"), parent: None, level: Level::Cec, name: String::new() };
    let orphan = Commission {
        id: id("p1"),
        parent: Some(id("nowhere")),
        level: Level::Pec,
        name: String::new(),
    };
    assert!(registry::add_commissions(store, &e1, &[cec.clone(), orphan], &genesis).await.is_err());
    registry::add_commissions(store, &e1, &[cec], &genesis)
        .await
        .expect("the CEC was not kept from the refused batch");
    let key = CommissionKey::generate().expect("a key");
    registry::register_key(store, &id("cec"), &key.public_key(), &genesis).await.expect("a key");
}

async fn a_station_is_its_pec(db: &TestDb) {
    let fx = setup(&db.store).await;
    let raw = db.raw().await;
    let query = "SELECT id, commission_id, name FROM stations WHERE election_id = $1 ORDER BY id";
    let rows = raw.texts(query, fx.election.as_str()).await;
    let expect = |id: &str| (id.to_owned(), id.to_owned(), format!("commission {id}"));
    assert_eq!(rows, vec![expect("s1"), expect("s2")]);
    let insert = "INSERT INTO stations (election_id, id, commission_id, name) \
                  VALUES ('e1', 's3', 'd1', 'not a PEC')";
    assert!(raw.execute(insert).await.is_err(), "a station is only a PEC");
}

fn under(id_text: &str, parent: Option<&str>, level: Level) -> Commission {
    Commission { id: id(id_text), parent: parent.map(id), level, name: id_text.to_owned() }
}

/// `register_missing` (the bulk writer on SQLite, which checks the foreign keys itself)
/// refuses a commission whose parent is neither before it nor registered, names it, and
/// keeps nothing of the refused registration; a parent registered earlier is enough.
async fn missing_registrations_check_every_parent(db: &TestDb) {
    let store = &db.store;
    let key = crate::protocols::cec_key(store).await;
    let election = Election { id: id("e2"), name: "E2".to_owned() };
    let lists = [PartyList { id: id("a"), name: "A".to_owned(), registration: 1 }];
    let register = |commissions: &'static [(&'static str, Option<&'static str>, Level)]| {
        let election = &election;
        let lists = &lists;
        let key = &key;
        async move {
            let commissions: Vec<Commission> =
                commissions.iter().map(|(id, parent, level)| under(id, *parent, *level)).collect();
            let registration = Registration { election, lists, commissions: &commissions };
            register_missing(store, &registration, key).await
        }
    };
    let orphan = register(&[
        ("cec", None, Level::Cec),
        ("r1", Some("cec"), Level::Region),
        ("p9", Some("d9"), Level::Pec),
    ]);
    let refused = "commission p9 refers to an unregistered election or commission";
    assert_eq!(orphan.await.expect_err("refused").to_string(), refused);
    let child_first = register(&[
        ("cec", None, Level::Cec),
        ("d1", Some("r1"), Level::District),
        ("r1", Some("cec"), Level::Region),
    ]);
    let refused = "commission d1 refers to an unregistered election or commission";
    assert_eq!(child_first.await.expect_err("refused").to_string(), refused);
    let top = register(&[("cec", None, Level::Cec), ("r1", Some("cec"), Level::Region)]);
    let nothing_was_kept = Registered { lists: 1, commissions: 2, stations: 0 };
    assert_eq!(top.await.expect("the top"), nothing_was_kept);
    let below = register(&[("d1", Some("r1"), Level::District), ("s1", Some("d1"), Level::Pec)]);
    assert_eq!(below.await.expect("below"), Registered { lists: 0, commissions: 2, stations: 1 });
    // A registered parent may come after its child, as SQLite's foreign key allows.
    let again =
        register(&[("d2", Some("r1"), Level::District), ("r1", Some("cec"), Level::Region)]);
    assert_eq!(again.await.expect("again"), Registered { lists: 0, commissions: 1, stations: 0 });
}

/// A signed batch (the bulk writer on SQLite checks its references once per batch) is
/// refused whole for an unregistered election or key, and nothing reaches the log.
async fn batches_need_a_registered_election_and_key(db: &TestDb) {
    let fx = setup(&db.store).await;
    let store = &db.store;
    let (kind, s1): (Kind, Subject) = (id("protocol"), id("s1"));
    let items = [BatchItem::new(&s1, b"v1", None, None)];
    let e9: ElectionId = id("e9");
    for (election, key, expect) in [
        (&e9, &fx.cec, "s1: election e9 is not registered".to_owned()),
        (
            &fx.election,
            &fx.stranger,
            format!(
                "key {} is not registered in this store: run `saylau keys new`",
                fx.stranger.public_key().key_id()
            ),
        ),
    ] {
        let submission =
            BatchSubmission { election, kind: &kind, author: "importer", items: &items };
        let mut currents = Currents::new(election, &kind);
        let res = append_batch(store, &submission, key, &mut currents).await;
        assert_eq!(res.expect_err("refused").to_string(), expect);
    }
    match verify(store, None).await.expect("verify runs") {
        Verification::Intact { entries, .. } => assert_eq!(entries, fx.base, "no batch"),
        Verification::Broken(broken) => panic!("the log is broken: {broken}"),
    }
}
