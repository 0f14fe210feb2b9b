//! `saylau import --register-only`: the stations of a protocol file registered before
//! their protocols (the portal's entry and `bench/web/submit.sh` start from such a store).
//! Every good row's station is expected and none counted; a bad row is rejected whole
//! (exit 1) and its station not registered; running it again registers nothing; the
//! protocols imported afterwards are first versions; the log verifies throughout.

use serde_json::Value;

use crate::fixture::{arg, generate, ok, private_key, run};

/// The regions' totals: (stations counted, stations expected), summed.
fn counted_and_expected(db: &str) -> (u64, u64) {
    let regions = ok(db, &["results", "--level", "region", "--json"]);
    let rows = regions["commissions"].as_array().cloned().unwrap_or_default();
    let sum = |field: &str| rows.iter().map(|it| it[field].as_u64().unwrap_or(0)).sum::<u64>();
    (sum("stations"), sum("stations_expected"))
}

#[test]
fn register_only_expects_the_stations_and_appends_no_protocol() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    generate("5", "200", "0", "0", &dir.path().join("c"));
    let db = arg(&dir.path().join("register.sqlite"));
    ok(&db, &["db", "init", "--json"]);
    let keys = arg(&dir.path().join("k"));
    let key =
        private_key(&ok(&db, &["keys", "new", "--commission", "CEC", "--out", &keys, "--json"]));
    let good = dir.path().join("c/protocols.csv");
    // One more row, for a station whose protocol breaks a control relation (P-1): its
    // row is rejected whole, so its station is not registered.
    let text = std::fs::read_to_string(&good).expect("a protocol file");
    let last = text.lines().last().expect("a row").to_owned();
    let mut cells: Vec<String> = last.split(',').map(str::to_owned).collect();
    cells[0] = format!("{}-9999", &cells[0][..5]);
    cells[9] = (cells[9].parse::<u64>().expect("found in boxes") + 1).to_string();
    let bad = dir.path().join("with-bad-row.csv");
    std::fs::write(&bad, format!("{text}{}\n", cells.join(","))).expect("written");

    let output = run(&db, &["import", "--register-only", "--key", &key, "--json", &arg(&bad)]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["registered"]["stations"], 200, "{report}");
    assert_eq!(report["counts"]["accepted"], 0);
    assert_eq!(report["counts"]["rejected"], 1);
    assert_eq!(counted_and_expected(&db), (0, 200));
    ok(&db, &["log", "verify", "--json"]);

    let again = ok(&db, &["import", "--register-only", "--key", &key, "--json", &arg(&good)]);
    assert_eq!(again["registered"]["stations"], 0);
    assert_eq!(again["registered"]["commissions"], 0);
    let text = String::from_utf8(
        run(&db, &["import", "--register-only", "--key", &key, &arg(&good)]).stdout,
    )
    .expect("text");
    assert!(text.contains("no protocol appended") && text.contains("polling stations"), "{text}");

    let imported = ok(&db, &["import", "--key", &key, "--json", &arg(&good)]);
    assert_eq!(imported["counts"]["accepted"], 200);
    assert_eq!(imported["registered"]["stations"], 0, "registered before");
    assert_eq!(counted_and_expected(&db), (200, 200));
    let verified = ok(&db, &["log", "verify", "--json"]);
    assert_eq!(verified["intact"], true);
}
