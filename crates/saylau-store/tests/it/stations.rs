//! The registered polling stations of an election, on both backends: its PECs only,
//! sorted, and none of another election's; an election without stations has none.

use saylau_store::id::ElectionId;
use saylau_store::registry::{self, Commission, Election, Level};
use saylau_store::stations::registered_stations;

use crate::backend::{TestDb, conformance};
use crate::fixture::{id, setup};

conformance!(the_registered_stations_are_the_pecs_of_the_election);

async fn the_registered_stations_are_the_pecs_of_the_election(db: &TestDb) {
    let fx = setup(&db.store).await;
    let store = &db.store;
    let stations = registered_stations(store, &fx.election).await.expect("the stations");
    assert_eq!(stations, ["s1", "s2"]);
    let other: ElectionId = id("e2");
    registry::add_election(
        store,
        &Election { id: other.clone(), name: "Other".to_owned() },
        &fx.cec,
    )
    .await
    .expect("a new election");
    assert!(registered_stations(store, &other).await.expect("no stations").is_empty());
    let commission = |name: &str, parent: Option<&str>, level| Commission {
        id: id(name),
        parent: parent.map(id),
        level,
        name: String::new(),
    };
    let hierarchy = [
        commission("cec", None, Level::Cec),
        commission("r1", Some("cec"), Level::Region),
        commission("d1", Some("r1"), Level::District),
        commission("s9", Some("d1"), Level::Pec),
        commission("s0", Some("d1"), Level::Pec),
    ];
    registry::add_commissions(store, &other, &hierarchy, &fx.cec).await.expect("the hierarchy");
    let stations = registered_stations(store, &other).await.expect("the stations");
    assert_eq!(stations, ["s0", "s9"]);
    let first = registered_stations(store, &fx.election).await.expect("the stations");
    assert_eq!(first, ["s1", "s2"]);
}
