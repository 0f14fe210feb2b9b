//! Many readers while one import writes: 8 readers each read the results 50 times (every
//! current protocol, summed by region and nationally) while 100,000 protocols are imported
//! in batches. Every read must see a prefix of the log, whole batches only, and its
//! national totals must equal the sum of the stations it saw; no read may fail.

use std::sync::Arc;

use saylau_core::count::commission::Level;
use saylau_core::count::protocol::{ProtocolTotals, tabulate};
use saylau_formats::{ProtocolFile, parse_protocols_csv};
use saylau_store::id::ElectionId;
use saylau_store::import::{ImportOptions, import_protocols};
use saylau_store::registry::Election;
use saylau_store::store::Store;
use saylau_store::tabulation::current_protocols;

use crate::backend::{TestDb, conformance};
use crate::fixture::id;
use crate::protocols::cec_key;

conformance!(readers_see_whole_batches_while_an_import_writes);

/// The stations imported: 100,000 (the target of the store's issue), or
/// `SAYLAU_TEST_CONCURRENCY_STATIONS` (a multiple of the batch size) for a quicker run.
fn stations() -> usize {
    std::env::var("SAYLAU_TEST_CONCURRENCY_STATIONS")
        .ok()
        .and_then(|it| it.parse().ok())
        .unwrap_or(100_000)
}
const BATCH: usize = 5_000;
const READERS: usize = 8;
const READS: usize = 50;

/// `count` stations (up to 100,000) over 17 regions and 99 districts each, with votes that
/// differ by station, so that a station read in place of another changes a total.
pub(crate) fn country(count: usize) -> ProtocolFile {
    let mut text = String::from(
        "# saylau-protocols v1\n# list a: List A\n# list b: List B\n\
         station,region,region_name,district,district_name,voters_on_roll,ballots_received,\
         issued_in_station,issued_outside,cancelled,found_in_boxes,invalid,valid,against_all,\
         list:a,list:b\n",
    );
    for n in 0..count {
        let (region, district, number) = (n % 17 + 1, (n / 17) % 99 + 1, n / (17 * 99) + 1);
        let (a, b) = (300 + n % 97, 300 - n % 89);
        let valid = a + b;
        let found = valid + 10;
        text.push_str(&format!(
            "{region:02}-{district:02}-{number:04},{region:02},,{region:02}-{district:02},,\
             1000,1010,{found},0,{},{found},10,{valid},0,{a},{b}\n",
            1010 - found
        ));
    }
    let file = parse_protocols_csv("country.csv", text.as_bytes()).expect("a protocol file");
    assert!(file.rejected.is_empty(), "{}", file.diagnostics());
    assert_eq!(file.protocols.len(), count);
    file
}

/// The national totals of the first `n` protocols of `file`, for every `n` that is a
/// whole number of batches.
fn prefix_totals(file: &ProtocolFile) -> Vec<ProtocolTotals> {
    let mut res = vec![ProtocolTotals::new(2)];
    for batch in file.protocols.chunks(BATCH) {
        let mut next = res[res.len() - 1].clone();
        for protocol in batch {
            next.add(protocol).expect("one ballot");
        }
        res.push(next);
    }
    res
}

/// One read of the results: checks that it saw whole batches and that its national totals,
/// summed region by region, are the sum of exactly the stations of those batches; returns
/// how many stations it saw and the last entry among them (the test checks after the import
/// that they are the first protocols of the log: each chunk of the import registers its
/// commissions in an entry between the batches).
async fn read_results(
    store: &Store,
    election: &ElectionId,
    expected: &[ProtocolTotals],
) -> (usize, u64) {
    let current = current_protocols(store, election).await.expect("a read of the results");
    let seen = current.protocols.len();
    assert!(seen % BATCH == 0 || seen == stations(), "{seen} stations: not whole batches");
    let last = current.protocols.iter().map(|it| it.seq.0).max().unwrap_or(0);
    let protocols = current.protocols.iter().map(|it| &it.protocol);
    let mut national = ProtocolTotals::new(2);
    for region in tabulate(protocols, 2, Level::Region).expect("region totals").values() {
        national.merge(region).expect("a sum of regions");
    }
    let batches = seen.div_ceil(BATCH);
    assert_eq!(national.stations(), seen as u64);
    assert_eq!(
        national.lines(),
        expected[batches].lines(),
        "the national totals are not those of the stations seen"
    );
    (seen, last)
}

async fn readers_see_whole_batches_while_an_import_writes(db: &TestDb) {
    let store = db.store.clone();
    let key = cec_key(&store).await;
    let file = country(stations());
    let expected = Arc::new(prefix_totals(&file));
    let election: ElectionId = id("e1");
    // The readers start once the import has registered the election and its lists.
    let (registered, started) = tokio::sync::watch::channel(false);
    let mut readers = Vec::new();
    for _ in 0..READERS {
        let (store, expected, election) = (store.clone(), Arc::clone(&expected), election.clone());
        let mut started = started.clone();
        readers.push(tokio::spawn(async move {
            started.wait_for(|started| *started).await.expect("the import starts");
            let mut seen = Vec::with_capacity(READS);
            for _ in 0..READS {
                seen.push(read_results(&store, &election, &expected).await);
            }
            seen
        }));
    }
    let meta = Election { id: election.clone(), name: "Test".to_owned() };
    let input = crate::protocols::input(&meta, &file);
    let options =
        ImportOptions { author: "importer", reason: None, base_current: false, batch_size: BATCH };
    let mut progress = |_done: usize| {
        registered.send_replace(true);
    };
    let report =
        import_protocols(&store, &input, &options, &key, &mut progress).await.expect("the import");
    assert_eq!(report.accepted, stations());
    let current = current_protocols(&store, &election).await.expect("the results");
    let mut all: Vec<u64> = current.protocols.iter().map(|it| it.seq.0).collect();
    all.sort_unstable();
    let mut during = 0;
    for reader in readers {
        let reads = reader.await.expect("a reader that did not fail");
        assert_eq!(reads.len(), READS);
        let seen: Vec<usize> = reads.iter().map(|it| it.0).collect();
        assert!(seen.windows(2).all(|pair| pair[0] <= pair[1]), "a read went back: {seen:?}");
        // A read of n distinct protocol entries whose last is the log's n-th protocol
        // entry saw exactly the first n.
        for (seen, last) in reads.iter().filter(|it| it.0 > 0) {
            assert_eq!(all[seen - 1], *last, "the entries read are not a prefix of the log");
        }
        during += seen.iter().filter(|seen| **seen < stations()).count();
    }
    // The readers ran beside the import, not only after it.
    assert!(during > 0, "no read saw the import in progress");
    assert_eq!(read_results(&store, &election, &expected).await.0, stations());
}
