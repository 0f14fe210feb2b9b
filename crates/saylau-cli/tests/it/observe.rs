//! Observers in the store and `saylau reconcile`, on SQLite and on PostgreSQL (when
//! `SAYLAU_TEST_POSTGRES_URL` is set; `.ci/run` sets it): on a synthetic country with
//! stuffed stations and observers' copies of the true figures, reconciliation finds
//! exactly the observed stuffed stations, each with the added ballots of the ground truth;
//! and bad input (unknown stations, unregistered, commission or revoked keys, an observer
//! key writing an official protocol, a second copy) is refused with its rule.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::fixture::{Imported, arg, observed_country, ok, private_key, refused};

/// The protocol file `from` with `edit` applied to each data row (`None` drops it).
fn edit_rows(from: &Path, to: &Path, edit: &mut dyn FnMut(Vec<String>) -> Option<Vec<String>>) {
    let text = std::fs::read_to_string(from).expect("a protocol file");
    let mut header_seen = false;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with('#') || !header_seen {
            header_seen |= !line.starts_with('#');
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let fields = line.split(',').map(str::to_owned).collect();
        if let Some(fields) = edit(fields) {
            out.push_str(&fields.join(","));
            out.push('\n');
        }
    }
    std::fs::write(to, out).expect("a protocol file written");
}

/// Station to added ballots of the stuffed stations that observers saw.
fn observed_stuffing(ground_truth: &Path) -> BTreeMap<String, i64> {
    let text = std::fs::read_to_string(ground_truth).expect("the ground truth");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("station,"))
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[1] == "true" && fields[4] == "true")
                .then(|| (fields[0].to_owned(), fields[2].parse().expect("added ballots")))
        })
        .collect()
}

fn by_observer<'a>(report: &'a Value, station: &str, observer: &str) -> &'a Value {
    report["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .find(|row| row["station"] == station && row["observer"] == observer)
        .unwrap_or_else(|| panic!("{station} of {observer} in the reconciliation"))
}

/// Registration and refusals of keys; returns golos's key.
fn refusals(db: &str, dir: &Path, protocols: &str, copies: &str, cec: &str, keys: &str) -> String {
    // Organisations: only the CEC's key registers one; a key needs a registered one.
    ok(db, &["observers", "add", "--id", "golos", "--name", "Golos", "--key", cec, "--json"]);
    refused(db, &["observers", "add", "--id", "golos", "--name", "Golos", "--key", cec], "O-6");
    refused(db, &["keys", "new", "--observer", "nobody", "--out", keys, "--key", cec], "O-6");
    let golos = ["keys", "new", "--observer", "golos", "--out", keys, "--key", cec, "--json"];
    let golos = private_key(&ok(db, &golos));
    refused(db, &["observers", "add", "--id", "x", "--name", "X", "--key", &golos], "O-7");

    // Copies need an observer's registered key, never a commission's.
    refused(db, &["observe", "import", copies, "--key", cec], "O-2");
    let stranger = dir.join("stranger");
    let other_db = arg(&dir.join("other.sqlite"));
    ok(&other_db, &["db", "init", "--json"]);
    let stranger_key = private_key(&ok(
        &other_db,
        &["keys", "new", "--commission", "CEC", "--out", &arg(&stranger), "--json"],
    ));
    refused(db, &["observe", "import", copies, "--key", &stranger_key], "O-2");
    // An observer key never writes an official protocol.
    refused(
        db,
        &["import", protocols, "--key", &golos, "--reason", "x", "--base-current"],
        "not_authorised",
    );

    golos
}

/// The reconciliation finds exactly the observed stuffed stations with their ballots.
fn stuffing_found(db: &str, country: &Path) -> (Value, BTreeMap<String, i64>) {
    // Exactly the observed stuffed stations mismatch, by the ground truth's ballots.
    let report = ok(db, &["reconcile", "--json"]);
    let truth = observed_stuffing(&country.join("ground-truth.csv"));
    assert!(!truth.is_empty(), "the sample holds stuffed stations");
    let mut found = BTreeMap::new();
    for row in report["stations"].as_array().expect("stations") {
        if row["status"] == "mismatch" {
            let lines = row["lines"].as_array().expect("lines");
            let found_in_boxes = lines.iter().find(|it| it["line"] == "found_in_boxes");
            let added = found_in_boxes.expect("line 6 differs")["difference"].as_i64();
            found.insert(
                row["station"].as_str().expect("an id").to_owned(),
                added.expect("a number"),
            );
            let ruling =
                lines.iter().find(|it| it["line"] == "list:nur-otan").expect("10.1 differs");
            assert_eq!(
                ruling["official"].as_i64().unwrap() - ruling["copy"].as_i64().unwrap(),
                added.unwrap()
            );
        }
    }
    assert_eq!(found, truth, "mismatches are the observed stuffed stations with their ballots");
    let totals = &report["totals"];
    assert_eq!(totals["stations_compared"], 300);
    assert_eq!(report["findings"]["by_status"]["missing-copy"], 1200);
    let turnout = |side: &str| totals[side]["turnout"].as_str().unwrap().parse::<f64>().unwrap();
    assert!(
        turnout("official") > turnout("copy"),
        "stuffing raises the official turnout: {totals}"
    );
    assert_eq!(
        totals["seats"].as_array().map(Vec::len),
        Some(10),
        "5 lists at 7 % and 5 %: {totals}"
    );

    (report, truth)
}

/// A second, different copy, and a copy of an unknown station, are refused.
fn second_copies_refused(db: &str, dir: &Path, country: &Path, golos: &str) {
    // A second, different copy of a station, and a copy of an unknown station: refused;
    // the file's other rows are unchanged.
    let again = dir.join("again.csv");
    let mut row = 0;
    edit_rows(&country.join("observer-copies.csv"), &again, &mut |mut fields| {
        row += 1;
        match row {
            1 => fields[17] = (fields[17].parse::<u64>().unwrap() + 1).to_string(),
            2 => fields[0] = format!("{}-0999", fields[3]),
            _ => {}
        }
        Some(fields)
    });
    let (out, _) =
        refused(db, &["observe", "import", &arg(&again), "--key", golos, "--json"], "O-4");
    let view: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(view["counts"]["unchanged"], 298, "{view}");
    let mut rules: Vec<&str> = view["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|it| it["reasons"][0]["rule"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    assert_eq!(rules, ["O-1", "O-4"], "{view}");
}

/// The whole story of one store, in the order an election night has it.
#[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
fn scenario(db: &str, dir: &Path) {
    let Imported { country, keys, cec } = observed_country(db, dir);
    let protocols = arg(&country.join("protocols.csv"));
    let copies = arg(&country.join("observer-copies.csv"));

    let golos = refusals(db, dir, &protocols, &copies, &cec, &keys);
    let imported = ok(db, &["observe", "import", &copies, "--key", &golos, "--json"]);
    assert_eq!(imported["counts"]["accepted"], 300, "{imported}");
    assert_eq!(imported["counts"]["rejected"], 0, "{imported}");

    let (report, truth) = stuffing_found(db, &country);
    second_copies_refused(db, dir, &country, &golos);
    // A second organisation: a copy that breaks a control relation is kept and flagged;
    // statuses; its key revoked.
    ok(db, &["observers", "add", "--id", "kloop", "--name", "Kloop", "--key", &cec, "--json"]);
    let kloop = ["keys", "new", "--observer", "kloop", "--out", &keys, "--key", &cec, "--json"];
    let kloop = ok(db, &kloop);
    let kloop_key = private_key(&kloop);
    let bad = dir.join("bad.csv");
    let mut first = None;
    edit_rows(&country.join("observer-copies.csv"), &bad, &mut |mut fields| {
        if first.is_some() {
            return None;
        }
        first = Some(fields[0].clone());
        fields[10] = (fields[10].parse::<u64>().unwrap() + 1).to_string();
        Some(fields)
    });
    let flagged_station = first.expect("a row");
    let view = ok(db, &["observe", "import", &arg(&bad), "--key", &kloop_key, "--json"]);
    assert_eq!(view["counts"]["flagged"], 1, "{view}");
    // A copy whose only difference is a v2 time (format v2: `count_started` is column 23,
    // after 5 ids, 9 lines and 5 lists, the supplementary list, signatures, polls closed).
    let timed = dir.join("timed.csv");
    let mut rows = 0;
    let mut timed_station = None;
    edit_rows(&country.join("observer-copies.csv"), &timed, &mut |mut fields| {
        rows += 1;
        if rows != 2 {
            return None;
        }
        assert!(fields[22].starts_with("2021-01-10T2"), "{fields:?}");
        fields[22] = "2021-01-10T20:00".to_owned();
        timed_station = Some(fields[0].clone());
        Some(fields)
    });
    let timed_station = timed_station.expect("a second row");
    ok(db, &["observe", "import", &arg(&timed), "--key", &kloop_key, "--json"]);
    let statuses = dir.join("statuses.csv");
    let unobserved = report["stations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["status"] == "missing-copy")
        .map(|row| row["station"].as_str().unwrap().to_owned())
        .take(2)
        .collect::<Vec<_>>();
    std::fs::write(
        &statuses,
        format!(
            "station,status,time,note\n{},refused,2021-01-10T20:40,no paper\n{},not-admitted,2021-01-10T07:55,\n{},lost,2021-01-10T08:00,\n",
            unobserved[0], unobserved[1], unobserved[1]
        ),
    )
    .expect("statuses written");
    let (out, _) =
        refused(db, &["observe", "import", &arg(&statuses), "--key", &kloop_key, "--json"], "O-5");
    let view: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(view["counts"]["accepted"], 2, "{view}");

    // The official protocol of an observed station corrected after the copy was taken.
    let corrected_station = truth.keys().next().expect("a stuffed station").clone();
    let correction = dir.join("correction.csv");
    edit_rows(&country.join("protocols.csv"), &correction, &mut |mut fields| {
        (fields[0] == corrected_station).then(|| {
            fields[16] = (fields[16].parse::<u64>().unwrap() + 5).to_string();
            fields[18] = (fields[18].parse::<u64>().unwrap() - 5).to_string();
            fields
        })
    });
    ok(
        db,
        &[
            "import",
            &arg(&correction),
            "--key",
            &cec,
            "--reason",
            "recount",
            "--base-current",
            "--json",
        ],
    );

    let report = ok(db, &["reconcile", "--json"]);
    let row = by_observer(&report, &timed_station, "kloop");
    assert_eq!(row["status"], "mismatch", "{row}");
    assert_eq!(row["extra_lines"].as_array().map(Vec::len), Some(1), "{row}");
    assert_eq!(row["extra_lines"][0]["line"], "count_started", "{row}");
    assert_eq!(row["extra_lines"][0]["copy"], "2021-01-10T20:00", "{row}");
    let row = by_observer(&report, &timed_station, "golos");
    assert!(row.get("extra_lines").is_none(), "the same v2 lines: {row}");
    let row = by_observer(&report, &flagged_station, "kloop");
    assert_eq!(row["status"], "mismatch", "{row}");
    assert!(!row["copy_breaks"].as_array().unwrap().is_empty(), "{row}");
    assert_eq!(by_observer(&report, &unobserved[0], "kloop")["status"], "refused");
    assert_eq!(by_observer(&report, &unobserved[1], "kloop")["status"], "not-admitted");
    let row = by_observer(&report, &corrected_station, "golos");
    assert_eq!(row["official_version"], 2, "{row}");
    assert_eq!(row["matches_version"], Value::Null, "the copy is the truth, not version 1: {row}");

    let kloop_id = kloop["key_id"].as_str().unwrap();
    ok(
        db,
        &["observers", "revoke", "--key-id", kloop_id, "--note", "lost", "--key", &cec, "--json"],
    );
    refused(db, &["observe", "import", &arg(&bad), "--key", &kloop_key], "O-3");

    let verified = ok(db, &["log", "verify", "--json"]);
    assert_eq!(verified["intact"], true, "{verified}");
}

#[test]
fn reconciliation_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    scenario(&arg(&dir.path().join("store.sqlite")), dir.path());
}

/// A new database on the server of `SAYLAU_TEST_POSTGRES_URL`, made and dropped by psql;
/// the scenario runs as the application role.
#[test]
fn reconciliation_on_postgres() {
    crate::pg::with_database("observe", |db| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        scenario(&db.url, dir.path());
    });
}
