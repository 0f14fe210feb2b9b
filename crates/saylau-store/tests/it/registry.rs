//! Registering elections, commissions, stations, lists and keys: each batch is checked
//! whole by the database's constraints, and refusals name the row.

use saylau_store::id::{CommissionId, ElectionId};
use saylau_store::key::CommissionKey;
use saylau_store::registry::{
    self, Commission, Election, Level, PartyList, RegistryError, Station, registered_keys,
};

use crate::backend::{TestDb, conformance};
use crate::fixture::{id, setup};

conformance!(registrations_are_checked, a_refused_batch_leaves_nothing_behind);

fn check(res: Result<(), RegistryError>, expect: &str) {
    assert_eq!(res.expect_err("refused").to_string(), expect);
}

async fn registrations_are_checked(db: &TestDb) {
    let fx = setup(&db.store).await;
    let store = &db.store;
    let e1 = &fx.election;
    let election = Election { id: id("e1"), name: "again".to_owned() };
    check(registry::add_election(store, &election).await, "election e1 is already registered");
    let orphan =
        Commission { id: id("p9"), parent: Some(id("d9")), level: Level::Pec, name: String::new() };
    check(
        registry::add_commissions(store, e1, &[orphan]).await,
        "commission p9 refers to an unregistered election or commission",
    );
    let second_cec =
        Commission { id: id("p9"), parent: None, level: Level::Pec, name: String::new() };
    check(
        registry::add_commissions(store, e1, &[second_cec]).await,
        "commission p9: only the CEC has no parent commission",
    );
    let misplaced = Station { id: id("s9"), commission: id("d1"), name: String::new() };
    check(
        registry::add_stations(store, e1, &[misplaced]).await,
        "station s9: commission d1 is not a precinct commission (PEC)",
    );
    let lists = [
        PartyList { id: id("a"), name: "A".to_owned(), registration: 1 },
        PartyList { id: id("b"), name: "B".to_owned(), registration: 1 },
    ];
    check(registry::add_lists(store, e1, &lists).await, "list b is already registered");
    let cec: CommissionId = id("cec");
    let again = registry::register_key(store, &cec, &fx.cec.public_key()).await.map(|_| ());
    check(again, &format!("key {} is already registered", fx.cec.public_key().key_id()));
    let keys = registered_keys(store).await.expect("the keys");
    assert_eq!(keys.len(), 4);
    assert!(
        keys.iter()
            .any(|key| key.id == fx.pec1.public_key().key_id() && key.commission.as_str() == "p1")
    );
}

async fn a_refused_batch_leaves_nothing_behind(db: &TestDb) {
    let store = &db.store;
    let e1: ElectionId = id("e1");
    registry::add_election(store, &Election { id: e1.clone(), name: "E".to_owned() })
        .await
        .expect("e1");
    let cec = Commission { id: id("cec"), parent: None, level: Level::Cec, name: String::new() };
    let orphan = Commission {
        id: id("p1"),
        parent: Some(id("nowhere")),
        level: Level::Pec,
        name: String::new(),
    };
    assert!(registry::add_commissions(store, &e1, &[cec.clone(), orphan]).await.is_err());
    registry::add_commissions(store, &e1, &[cec])
        .await
        .expect("the CEC was not kept from the refused batch");
    let key = CommissionKey::generate().expect("a key");
    registry::register_key(store, &id("cec"), &key.public_key()).await.expect("a key");
}
