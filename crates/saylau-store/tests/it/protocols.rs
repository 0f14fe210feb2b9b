//! Protocol files as the importer reads them, and the import's outcome as text: shared by
//! the import, tabulation, tamper and crash cases.

use saylau_formats::{ProtocolFile, parse_protocols_csv};
use saylau_store::id::CommissionId;
use saylau_store::import::{ImportInput, ImportOptions, ImportReport, import_protocols};
use saylau_store::key::CommissionKey;
use saylau_store::registry::{self, Election};
use saylau_store::store::Store;

use crate::fixture::id;

/// The header of the protocol files of these cases (lists `a` and `b`).
const HEADER: &str = "station,region,region_name,district,district_name,voters_on_roll,\
ballots_received,issued_in_station,issued_outside,cancelled,found_in_boxes,invalid,valid,\
against_all,list:a,list:b";

/// Good protocols of five stations in two regions and three districts.
pub(crate) const ROWS: [&str; 5] = [
    "01-03-0034,01,Akmola,01-03,Town 3,1500,1515,1180,30,305,1210,12,1198,8,790,400",
    "01-03-0035,01,Akmola,01-03,Town 3,900,909,600,20,289,620,20,600,0,300,300",
    "01-04-0001,01,Akmola,01-04,Village 4,300,303,200,10,93,210,10,200,0,150,50",
    "16-01-0001,16,Almaty city,16-01,District 1,2000,2020,700,0,1320,700,0,700,0,350,350",
    "16-01-0002,16,Almaty city,16-01,District 1,1000,1010,500,0,510,500,5,495,5,245,245",
];

/// A CSV protocol file of `rows`; with `base`, a `base_version` column after the names
/// holds it on every row.
pub(crate) fn csv(rows: &[&str], base: Option<&str>) -> ProtocolFile {
    let mut text = String::from("# saylau-protocols v1\n# list a: List A\n# list b: List B\n");
    let header = match base {
        Some(_) => HEADER.replace("district_name,", "district_name,base_version,"),
        None => HEADER.to_owned(),
    };
    text.push_str(&header);
    text.push('\n');
    for row in rows {
        match base {
            Some(base) => {
                let fields: Vec<&str> = row.splitn(6, ',').collect();
                text.push_str(&format!("{},{base},{}\n", fields[..5].join(","), fields[5]));
            }
            None => text.push_str(&format!("{row}\n")),
        }
    }
    let file = parse_protocols_csv("p.csv", text.as_bytes()).expect("a protocol file");
    assert!(file.rejected.is_empty(), "{}", file.diagnostics());
    file
}

/// The station of number `n`: fifty stations per district of region 01.
pub(crate) fn station(n: usize) -> String {
    format!("01-{:02}-{:04}", n / 50 + 1, n % 50 + 1)
}

/// A CSV protocol file of the stations `numbers` (see [`station`]), each with 600 votes
/// split between lists a and b by its number, and `shift(n)` votes moved from b to a.
pub(crate) fn numbered_stations(
    numbers: impl Iterator<Item = usize>,
    shift: impl Fn(usize) -> usize,
) -> ProtocolFile {
    let rows: Vec<String> = numbers
        .map(|n| {
            let (a, b) = (300 + n % 7 + shift(n), 300 - n % 7 - shift(n));
            let station = station(n);
            let district = &station[..5];
            format!("{station},01,Akmola,{district},,1000,1010,600,0,410,600,0,600,0,{a},{b}")
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    csv(&rows, None)
}

/// The key of the CEC, the commission an import registers at the top: the store's genesis
/// key, registered by itself when the store has no key yet (always the same key, so that a
/// case can sign further registrations with it).
pub(crate) async fn cec_key(store: &Store) -> CommissionKey {
    let key = CommissionKey::from_secret(&[0xce; 32]);
    let keys = registry::registered_keys(store).await.expect("the keys");
    if !keys.iter().any(|it| it.id == key.public_key().key_id()) {
        let cec: CommissionId = id("CEC");
        registry::bootstrap(store, &cec, &key).await.expect("the CEC's key");
    }
    key
}

/// How to import in a case.
#[derive(Clone, Copy)]
pub(crate) struct How<'a> {
    pub(crate) reason: Option<&'a str>,
    pub(crate) base_current: bool,
    pub(crate) batch_size: usize,
}

/// A first import: no reason, batches of two.
pub(crate) const FIRST: How<'static> = How { reason: None, base_current: false, batch_size: 2 };

/// What importing `file` into `election` reads.
pub(crate) fn input<'a>(election: &'a Election, file: &'a ProtocolFile) -> ImportInput<'a> {
    ImportInput {
        election,
        ballot: &file.ballot,
        hierarchy: &file.hierarchy,
        protocols: &file.protocols,
        base_versions: &file.base_versions,
    }
}

/// Imports `file` into election `e1` with `key`.
pub(crate) async fn import(
    store: &Store,
    key: &CommissionKey,
    file: &ProtocolFile,
    how: How<'_>,
) -> ImportReport {
    let election = Election { id: id("e1"), name: "Test".to_owned() };
    let input = input(&election, file);
    let options = ImportOptions {
        author: "importer",
        reason: how.reason,
        base_current: how.base_current,
        batch_size: how.batch_size,
    };
    import_protocols(store, &input, &options, key, &mut |_| {}).await.expect("an import")
}

/// The report as text: counts, then every correction, refusal and conflict.
pub(crate) fn summary(report: &ImportReport) -> String {
    let mut res = format!(
        "accepted {}, corrections {}, unchanged {}, refused {}, conflicts {}, batches {}",
        report.accepted,
        report.corrections.len(),
        report.unchanged,
        report.refused.len(),
        report.conflicts.len(),
        report.batches
    );
    for correction in &report.corrections {
        res.push_str(&format!(
            "\ncorrected {} to version {}",
            correction.station, correction.version
        ));
    }
    for refusal in report.refused.iter().chain(&report.conflicts) {
        res.push_str(&format!("\n{}: {}", refusal.code, refusal.message));
    }
    res
}
