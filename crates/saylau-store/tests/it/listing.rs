//! Reading the registry back for publication: every commission with its parent, level and
//! name, and the election's name.

use saylau_store::id::ElectionId;
use saylau_store::listing;
use saylau_store::registry::Level;

use crate::backend::{TestDb, conformance};
use crate::fixture::{id, setup};

conformance!(commissions_and_the_election_read_back,);

async fn commissions_and_the_election_read_back(db: &TestDb) {
    let fx = setup(&db.store).await;
    let commissions = listing::commissions(&db.store, &fx.election).await.expect("the listing");
    let rows: Vec<(String, Option<String>, Level)> = commissions
        .iter()
        .map(|it| (it.id.to_string(), it.parent.as_ref().map(ToString::to_string), it.level))
        .collect();
    let expect =
        |id: &str, parent: Option<&str>, level| (id.to_owned(), parent.map(str::to_owned), level);
    assert_eq!(
        rows,
        [
            expect("cec", None, Level::Cec),
            expect("d1", Some("r1"), Level::District),
            expect("r1", Some("cec"), Level::Region),
            expect("s1", Some("d1"), Level::Pec),
            expect("s2", Some("d1"), Level::Pec),
        ]
    );
    let election = listing::election(&db.store, &fx.election).await.expect("read");
    assert_eq!(election.map(|it| it.name).as_deref(), Some("Test"));
    let other: ElectionId = id("e2");
    assert!(listing::election(&db.store, &other).await.expect("read").is_none());
    assert!(listing::commissions(&db.store, &other).await.expect("read").is_empty());
}
