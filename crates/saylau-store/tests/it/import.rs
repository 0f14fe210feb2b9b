//! Importing protocols: registration on first use, signed batches, idempotent re-import,
//! corrections with a reason and a base version, conflicts between two importers, and
//! totals up the hierarchy equal to the sum of the current protocols.

use std::collections::BTreeMap;

use saylau_core::count::commission::{CommissionId, Level};
use saylau_core::count::protocol::{Protocol, ProtocolTotals, tabulate};
use saylau_store::id::{ElectionId, Kind, Subject};
use saylau_store::import::{ImportOptions, import_protocols};
use saylau_store::ledger::{self, Submission};
use saylau_store::payload::PROTOCOL_KIND;
use saylau_store::registry::Election;
use saylau_store::registry::Registered;
use saylau_store::store::Store;
use saylau_store::tabulation::{current_protocols, history};
use saylau_store::verify::{Verification, verify};

use crate::backend::{TestDb, conformance};
use crate::fixture::id;
use crate::protocols::{
    FIRST, How, ROWS, cec_key, csv, import, numbered_stations, station, summary,
};

conformance!(
    imports_are_batched_and_idempotent,
    corrections_need_a_reason_and_a_base,
    totals_are_the_sum_of_the_current_protocols,
    two_importers_correcting_one_station,
    another_writer_between_two_batches,
    batches_larger_than_one_statement,
);

/// The entries before an import's protocols: the genesis (the CEC's key) and the import's
/// registration of its election, lists and commissions.
const REGISTERED: u64 = 2;

async fn intact(store: &Store) -> u64 {
    match verify(store, None).await.expect("verify runs") {
        Verification::Intact { entries, .. } => entries,
        Verification::Broken(broken) => panic!("the log is broken: {broken}"),
    }
}

async fn imports_are_batched_and_idempotent(db: &TestDb) {
    let key = cec_key(&db.store).await;
    let file = csv(&ROWS, None);
    let report = import(&db.store, &key, &file, FIRST).await;
    assert_eq!(
        summary(&report),
        "accepted 5, corrections 0, unchanged 0, refused 0, conflicts 0, batches 3"
    );
    // The CEC, 2 regions, 3 districts and 5 PECs; 5 stations; 2 lists.
    assert_eq!(report.registered, Registered { lists: 2, commissions: 11, stations: 5 });
    assert_eq!(intact(&db.store).await, REGISTERED + 5);
    let again = import(&db.store, &key, &file, How { batch_size: 5000, ..FIRST }).await;
    assert_eq!(
        summary(&again),
        "accepted 0, corrections 0, unchanged 5, refused 0, conflicts 0, batches 0"
    );
    assert_eq!(again.registered, Registered::default());
    assert_eq!(intact(&db.store).await, REGISTERED + 5, "a re-import adds no version");
}

/// `ROWS[0]` with 10 votes moved from list a to list b.
const CORRECTED: &str =
    "01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,780,410";
/// `ROWS[0]` with 20 votes moved from list a to list b.
const CORRECTED_AGAIN: &str =
    "01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,770,420";

async fn corrections_need_a_reason_and_a_base(db: &TestDb) {
    let store = &db.store;
    let key = cec_key(store).await;
    import(store, &key, &csv(&ROWS[..2], None), FIRST).await;
    let changed = csv(&[CORRECTED, ROWS[1]], None);
    assert_eq!(
        summary(&import(store, &key, &changed, FIRST).await),
        "accepted 0, corrections 0, unchanged 1, refused 1, conflicts 0, batches 0\n\
         reason_required: station 01-03-0034: version 1 is current and this protocol differs \
         from it: a correction needs --reason"
    );
    let recount = How { reason: Some("recount at the PEC"), ..FIRST };
    assert_eq!(
        summary(&import(store, &key, &changed, recount).await),
        "accepted 0, corrections 0, unchanged 1, refused 1, conflicts 0, batches 0\n\
         base_required: station 01-03-0034: version 1 is current and this protocol differs \
         from it: a correction names the version it corrects (a base_version column, or \
         --base-current)"
    );
    let base_current = How { base_current: true, ..recount };
    assert_eq!(
        summary(&import(store, &key, &changed, base_current).await),
        "accepted 0, corrections 1, unchanged 1, refused 0, conflicts 0, batches 1\n\
         corrected 01-03-0034 to version 2"
    );
    let stale = csv(&[CORRECTED_AGAIN], Some("1"));
    assert_eq!(
        summary(&import(store, &key, &stale, recount).await),
        "accepted 0, corrections 0, unchanged 0, refused 0, conflicts 1, batches 0\n\
         conflict: station 01-03-0034: conflict: based on version 1, but version 2 is current"
    );
    let fresh = csv(&[CORRECTED_AGAIN], Some("2"));
    assert_eq!(
        summary(
            &import(store, &key, &fresh, How { reason: Some("second recount"), ..FIRST }).await
        ),
        "accepted 0, corrections 1, unchanged 0, refused 0, conflicts 0, batches 1\n\
         corrected 01-03-0034 to version 3"
    );
    assert_eq!(
        shown_history(store).await,
        [
            "v1 3 None a=790 by importer with CEC's key",
            "v2 5 Some(\"recount at the PEC\") a=780 by importer with CEC's key",
            "v3 6 Some(\"second recount\") a=770 by importer with CEC's key",
        ]
    );
    assert_eq!(intact(store).await, REGISTERED + 4);
}

/// The versions of station 01-03-0034: version, entry, reason, list a, author and signer.
async fn shown_history(store: &Store) -> Vec<String> {
    let e1: ElectionId = id("e1");
    let versions = history(store, &e1, "01-03-0034").await.expect("the history");
    versions
        .iter()
        .map(|it| {
            let votes = &it.protocol.lines().list_votes;
            format!(
                "v{} {} {:?} a={} by {} with {}'s key",
                it.version, it.seq, it.reason, votes[0].0, it.author, it.commission
            )
        })
        .collect()
}

async fn totals_are_the_sum_of_the_current_protocols(db: &TestDb) {
    let store = &db.store;
    let key = cec_key(store).await;
    import(store, &key, &csv(&ROWS, None), FIRST).await;
    let recount = How { reason: Some("recount"), base_current: true, ..FIRST };
    import(store, &key, &csv(&[CORRECTED], None), recount).await;
    let e1: ElectionId = id("e1");
    let current = current_protocols(store, &e1).await.expect("the current protocols");
    let mut expected_rows = ROWS.to_vec();
    expected_rows[0] = CORRECTED;
    let expected: Vec<Protocol> = csv(&expected_rows, None).protocols;
    let protocols: Vec<Protocol> = current.protocols.iter().map(|it| it.protocol.clone()).collect();
    assert_eq!(protocols, expected, "the current version of every station");
    let versions: Vec<u64> = current.protocols.iter().map(|it| it.version.0).collect();
    assert_eq!(versions, [2, 1, 1, 1, 1]);
    assert_eq!(
        current.hierarchy.name(CommissionId::parse("16").unwrap()).as_deref(),
        Some("Almaty city")
    );
    let national = ProtocolTotals::of(&protocols, 2).expect("totals");
    assert_eq!(national.lines().list_votes.iter().map(|it| it.0).collect::<Vec<_>>(), [1825, 1355]);
    for level in [Level::Region, Level::District, Level::Precinct] {
        let totals = tabulate(&protocols, 2, level).expect("totals");
        let mut sum = ProtocolTotals::new(2);
        for part in totals.values() {
            sum.merge(part).expect("same ballot");
        }
        assert_eq!(sum, national, "{level:?} totals add up to the national totals");
        let mut by_hand: BTreeMap<CommissionId, ProtocolTotals> = BTreeMap::new();
        for protocol in &protocols {
            let commission = protocol.station().commission(level);
            by_hand
                .entry(commission)
                .or_insert_with(|| ProtocolTotals::new(2))
                .add(protocol)
                .unwrap();
        }
        assert_eq!(totals, by_hand, "{level:?} totals are the sums of their stations");
    }
    let regions = tabulate(&protocols, 2, Level::Region).expect("totals");
    let akmola = &regions[&CommissionId::parse("01").unwrap()];
    assert_eq!((akmola.stations(), akmola.lines().valid.0), (3, 1998));
}

async fn two_importers_correcting_one_station(db: &TestDb) {
    let key = std::sync::Arc::new(cec_key(&db.store).await);
    import(&db.store, &key, &csv(&ROWS[..1], None), FIRST).await;
    let files = [csv(&[CORRECTED], Some("1")), csv(&[CORRECTED_AGAIN], Some("1"))];
    let mut tasks = Vec::new();
    for (writer, file) in files.iter().cloned().enumerate() {
        let location = db.location.clone();
        let key = std::sync::Arc::clone(&key);
        tasks.push(tokio::spawn(async move {
            let store = Store::open(&location).await.expect("a second connection");
            let how = How { reason: Some(["writer A", "writer B"][writer]), ..FIRST };
            let report = import(&store, &key, &file, how).await;
            store.close().await;
            summary(&report)
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("the importer finishes"));
    }
    let won = "accepted 0, corrections 1, unchanged 0, refused 0, conflicts 0, batches 1\n\
               corrected 01-03-0034 to version 2";
    let lost = "accepted 0, corrections 0, unchanged 0, refused 0, conflicts 1, batches 0\n\
                conflict: station 01-03-0034: conflict: based on version 1, but version 2 is current";
    let loser = match (outcomes[0].as_str(), outcomes[1].as_str()) {
        (first, second) if first == won && second == lost => 1,
        (first, second) if first == lost && second == won => 0,
        _ => panic!("exactly one importer wins: {outcomes:#?}"),
    };
    let retry = csv(&[[CORRECTED, CORRECTED_AGAIN][loser]], Some("2"));
    let report = import(&db.store, &key, &retry, How { reason: Some("retry"), ..FIRST }).await;
    assert_eq!(report.corrections.len(), 1);
    let e1: ElectionId = id("e1");
    let versions = history(&db.store, &e1, "01-03-0034").await.expect("the history");
    let list_a: Vec<u64> = versions.iter().map(|it| it.protocol.lines().list_votes[0].0).collect();
    let (winner_votes, loser_votes) = if loser == 1 { (780, 770) } else { (770, 780) };
    assert_eq!(list_a, [790, winner_votes, loser_votes], "nothing is lost");
    assert_eq!(intact(&db.store).await, REGISTERED + 3);
}

/// Another writer appends between two batches of an import, after the import planned its
/// batches ahead: the next batch's plan no longer holds, so that batch and the rest are
/// decided again against the new head (the last batch records nothing: its one station is
/// the other writer's now), and the chain stays whole.
async fn another_writer_between_two_batches(db: &TestDb) {
    let key = std::sync::Arc::new(cec_key(&db.store).await);
    let file = csv(&ROWS, None);
    let station: Subject = id(&file.protocols[4].station().to_string());
    let election = Election { id: id("e1"), name: "Test".to_owned() };
    let input = crate::protocols::input(&election, &file);
    let options =
        ImportOptions { author: "importer", reason: None, base_current: false, batch_size: 2 };
    let mut appended = false;
    let mut progress = |done: usize| {
        if done == 2 && !appended {
            appended = true;
            let (location, key, station) =
                (db.location.clone(), std::sync::Arc::clone(&key), station.clone());
            // The other writer has a connection and a runtime of its own.
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async {
                    let store = Store::open(&location).await.expect("a second connection");
                    let (election, kind): (ElectionId, Kind) = (id("e1"), id(PROTOCOL_KIND));
                    let submission = Submission {
                        election: &election,
                        kind: &kind,
                        subject: &station,
                        payload: b"another writer",
                        base: None,
                        reason: None,
                        author: "other",
                    };
                    ledger::append(&store, &submission, &key).await.expect("appended");
                    store.close().await;
                });
            })
            .join()
            .expect("the other writer finishes");
        }
    };
    let report = import_protocols(&db.store, &input, &options, &key, &mut progress)
        .await
        .expect("an import");
    assert!(appended);
    assert_eq!(
        summary(&report),
        "accepted 4, corrections 0, unchanged 0, refused 0, conflicts 1, batches 2\n\
         conflict: station 16-01-0002: conflict: based on version none, but version 1 is current"
    );
    assert_eq!(intact(&db.store).await, REGISTERED + 5);
}

/// Batches and registrations of thousands of rows, which the PostgreSQL path writes a
/// thousand rows to a statement: every protocol is stored once and read back as imported,
/// and a batch that mixes new stations with corrections moves exactly the corrected ones.
async fn batches_larger_than_one_statement(db: &TestDb) {
    let store = &db.store;
    let key = cec_key(store).await;
    let whole = How { batch_size: 5000, ..FIRST };
    let first = import(store, &key, &numbered_stations(0..2600, |_| 0), whole).await;
    assert_eq!(
        summary(&first),
        "accepted 2600, corrections 0, unchanged 0, refused 0, conflicts 0, batches 1"
    );
    // The CEC, region 01, 52 districts of 50 stations, and the 2,600 PECs.
    assert_eq!(first.registered, Registered { lists: 2, commissions: 2654, stations: 2600 });
    let moved = |n: usize| usize::from(n.is_multiple_of(3));
    let again = How { reason: Some("recount"), base_current: true, batch_size: 5000 };
    let second = import(store, &key, &numbered_stations(0..3100, moved), again).await;
    let counts = summary(&second);
    assert!(
        counts.starts_with(
            "accepted 500, corrections 867, unchanged 1733, refused 0, conflicts 0, batches 1\n"
        ),
        "{counts}"
    );
    assert_eq!(second.registered, Registered { lists: 0, commissions: 510, stations: 500 });
    // The second import registers its 510 new commissions in an entry of its own.
    assert_eq!(intact(store).await, REGISTERED + 1 + 2600 + 500 + 867);
    let election: ElectionId = id("e1");
    let current = current_protocols(store, &election).await.expect("the current protocols");
    let expected = numbered_stations(0..3100, moved);
    let read: Vec<&Protocol> = current.protocols.iter().map(|it| &it.protocol).collect();
    assert_eq!(read, expected.protocols.iter().collect::<Vec<_>>());
    let versions: Vec<u64> = current.protocols.iter().map(|it| it.version.0).collect();
    let expect: Vec<u64> = (0..3100).map(|n| if n < 2600 && n % 3 == 0 { 2 } else { 1 }).collect();
    assert_eq!(versions, expect);
    let subject: Subject = id(&station(2598));
    let kind: Kind = id(PROTOCOL_KIND);
    let shown = ledger::versions(store, &election, &kind, &subject).await.expect("versions");
    assert_eq!(shown.len(), 2, "station 2598 was corrected once");
}
