//! Incidents in the store (`saylau incidents`), on SQLite and on PostgreSQL (when
//! `SAYLAU_TEST_POSTGRES_URL` is set; `.ci/run` sets it): import with evidence (bad rows
//! named and rejected whole, good rows kept), keys that may not file them (a commission's,
//! an unregistered one, a revoked one), unknown stations, the follow-up workflow with its
//! invalid moves refused, the summary against the file, evidence changed in the database
//! found on read, and `log verify` naming a changed report.

use std::path::Path;

use serde_json::Value;

use crate::fixture::{Imported, arg, observed_country, ok, private_key, refused};

/// The number of entries of an intact log.
fn entries(db: &str) -> u64 {
    let verified = ok(db, &["log", "verify", "--json"]);
    assert_eq!(verified["intact"], true, "{verified}");
    verified["entries"].as_u64().expect("a count")
}

/// Data rows of an incident file (no comments, no header).
fn rows(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("an incident file");
    text.lines().filter(|line| !line.starts_with('#')).skip(1).map(str::to_owned).collect()
}

/// A country with protocols, golos registered with a key and its copies imported.
/// Returns (CEC key, golos key, keys folder).
fn prepare(db: &str, dir: &Path) -> (String, String, String) {
    let Imported { country, keys, cec } = observed_country(db, dir);
    let country = arg(&country);
    ok(db, &["observers", "add", "--id", "golos", "--name", "Golos", "--key", &cec, "--json"]);
    let golos = private_key(&ok(
        db,
        &["keys", "new", "--observer", "golos", "--key", &cec, "--out", &keys, "--json"],
    ));
    ok(
        db,
        &[
            "observe",
            "import",
            &format!("{country}/observer-copies.csv"),
            "--key",
            &golos,
            "--json",
        ],
    );
    (cec, golos, keys)
}

/// A hand-written file with evidence: two good rows, four bad ones.
fn hand_file(dir: &Path, station: &str) -> String {
    std::fs::create_dir_all(dir.join("photos")).expect("a folder");
    std::fs::write(dir.join("photos/box.jpg"), b"\xff\xd8 a photo of box 2").expect("evidence");
    std::fs::write(dir.join("photos/roll.jpg"), b"\xff\xd8 the extra list").expect("evidence");
    let path = dir.join("hand.csv");
    std::fs::write(
        &path,
        format!(
            "# saylau-incidents v1\nid,station,time,type,note,evidence\n\
             h-1,{station},2021-01-10T14:05,ballot-stuffing,pack of ballots,photos/box.jpg;photos/roll.jpg\n\
             h-2,{station},2021-01-10T20:30,copy-refused,,\n\
             h-3,17-99-0999,2021-01-10T10:00,carousel,,\n\
             h-4,{station},2021-01-10T10:00,carousel,,photos/missing.jpg\n\
             h-5,{station},2021-01-10T10:00,stuffing,,\n\
             h-6,{station},2021-01-10T10:00,other,,\n"
        ),
    )
    .expect("an incident file");
    arg(&path)
}

/// Import: keys refused, rows named, good rows kept, nothing else written.
#[expect(clippy::too_many_lines, reason = "one scenario, read top to bottom")]
fn imports(db: &str, dir: &Path, cec: &str, golos: &str) -> String {
    let country = dir.join("country");
    let synthetic = arg(&country.join("observer-incidents.csv"));
    let station =
        rows(&country.join("observer-incidents.csv"))[0].split(',').nth(1).unwrap().to_owned();
    let before = entries(db);
    // A commission key may not file incidents; a key of another store is not registered.
    refused(db, &["incidents", "import", &synthetic, "--key", cec], "O-2");
    let other_db = arg(&dir.join("other.sqlite"));
    ok(&other_db, &["db", "init", "--json"]);
    let stranger = private_key(&ok(
        &other_db,
        &["keys", "new", "--commission", "CEC", "--out", &arg(&dir.join("stranger")), "--json"],
    ));
    refused(db, &["incidents", "import", &synthetic, "--key", &stranger], "O-2");
    assert_eq!(entries(db), before, "a refused import writes nothing");

    let hand = hand_file(dir, &station);
    let (out, _) = refused(db, &["incidents", "import", &hand, "--key", golos, "--json"], "O-1");
    let view: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        (view["accepted"].as_u64(), view["evidence_files"].as_u64()),
        (Some(2), Some(2)),
        "{view}"
    );
    let rejected: Vec<(u64, &str, &str)> = view["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|it| {
            let reason = &it["reasons"][0];
            (
                it["line"].as_u64().unwrap(),
                reason["rule"].as_str().unwrap(),
                reason["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        [(5, "O-1", "station"), (6, "O-10", "evidence"), (7, "O-9", "type"), (8, "O-9", "note")],
        "{view}"
    );
    assert!(
        view["rejected"][0]["reasons"][0]["message"].as_str().unwrap().contains("hand.csv:5"),
        "{view}"
    );
    assert_eq!(entries(db), before + 2, "only the good rows are written");
    // The same file again: the good rows unchanged, nothing new.
    let (out, _) = refused(db, &["incidents", "import", &hand, "--key", golos, "--json"], "O-10");
    let again: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        (again["accepted"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(2)),
        "{again}"
    );
    // Another report under a used id.
    let changed = dir.join("changed.csv");
    let text =
        std::fs::read_to_string(&hand).unwrap().replace("copy-refused", "protocol-not-posted");
    std::fs::write(&changed, text).unwrap();
    refused(db, &["incidents", "import", &arg(&changed), "--key", golos], "O-13");

    let imported = ok(db, &["incidents", "import", &synthetic, "--key", golos, "--json"]);
    let synthetic_rows = rows(&country.join("observer-incidents.csv")).len();
    assert_eq!(imported["accepted"].as_u64(), Some(synthetic_rows as u64), "{imported}");
    station
}

/// The workflow: valid moves recorded with their notes, invalid ones refused.
fn workflow(db: &str, golos: &str) {
    let args = |id: &'static str, to: &'static str, note: &'static str| {
        ["incidents", "status", id, "--to", to, "--note", note, "--key", golos, "--json"]
    };
    refused(db, &args("h-1", "answered", "too early"), "O-11");
    refused(db, &args("h-1", "filed", " "), "O-11");
    refused(db, &args("nobody-1", "filed", "x"), "O-12");
    refused(db, &args("kloop/h-1", "filed", "x"), "O-12");
    let moved = ok(db, &args("h-1", "filed", "complaint no. 12 to the TEC"));
    assert_eq!((moved["from"].as_str(), moved["to"].as_str()), (Some("reported"), Some("filed")));
    ok(db, &args("golos/h-1", "answered", "TEC: no violation found"));
    refused(db, &args("h-1", "filed", "again"), "O-11");
    ok(db, &args("h-1", "in-court", "appeal to the district court"));
    ok(db, &args("h-1", "closed", "court dismissed the appeal"));
    refused(db, &args("h-1", "in-court", "once more"), "O-11");
    ok(db, &args("h-2", "closed", "copy given the next morning"));
}

/// Summary and export against what was imported.
fn reads(db: &str, dir: &Path, station: &str) {
    let summary = ok(db, &["incidents", "summary", "--json"]);
    let synthetic = rows(&dir.join("country/observer-incidents.csv"));
    assert_eq!(summary["violations"].as_u64(), Some(synthetic.len() as u64 + 2), "{summary}");
    let stuffing = synthetic.iter().filter(|it| it.contains(",ballot-stuffing,")).count() + 1;
    let by_type = summary["by_type"].as_array().unwrap();
    let row = by_type.iter().find(|it| it["type"] == "ballot-stuffing").unwrap();
    assert_eq!(row["violations"].as_u64(), Some(stuffing as u64), "{row}");
    assert_eq!(row["labels"]["ru"], "Вброс бюллетеней");
    let total: u64 = summary["by_hour"]
        .as_array()
        .unwrap()
        .iter()
        .map(|it| it["violations"].as_u64().unwrap())
        .sum();
    assert_eq!(total, summary["violations"].as_u64().unwrap());
    assert_eq!(summary["observed_stations"], 300, "every incident is at an observed station");
    let closed =
        summary["by_state"].as_array().unwrap().iter().find(|it| it["state"] == "closed").unwrap();
    assert_eq!(closed["violations"], 2);
    assert_eq!(summary["published"]["violations"], 294);

    let export = ok(db, &["incidents", "export", "--json"]);
    let h1 = export["incidents"].as_array().unwrap().iter().find(|it| it["id"] == "h-1").unwrap();
    assert_eq!(h1["station"], station);
    assert_eq!(h1["state"], "closed");
    let notes: Vec<&str> =
        h1["history"].as_array().unwrap().iter().map(|it| it["to"].as_str().unwrap()).collect();
    assert_eq!(notes, ["filed", "answered", "in-court", "closed"]);
    let checks: Vec<&str> =
        h1["evidence"].as_array().unwrap().iter().map(|it| it["check"].as_str().unwrap()).collect();
    assert_eq!(checks, ["ok", "ok"]);
}

/// Everything but the tampering, on one store.
fn scenario(db: &str, dir: &Path) -> String {
    let (cec, golos, keys) = prepare(db, dir);
    let station = imports(db, dir, &cec, &golos);
    workflow(db, &golos);
    reads(db, dir, &station);
    // A revoked key files nothing more.
    ok(db, &["observers", "add", "--id", "kloop", "--name", "Kloop", "--key", &cec, "--json"]);
    let kloop =
        ok(db, &["keys", "new", "--observer", "kloop", "--key", &cec, "--out", &keys, "--json"]);
    let kloop_id = kloop["key_id"].as_str().unwrap().to_owned();
    ok(
        db,
        &["observers", "revoke", "--key-id", &kloop_id, "--note", "lost", "--key", &cec, "--json"],
    );
    let hand = arg(&dir.join("hand.csv"));
    refused(db, &["incidents", "import", &hand, "--key", &private_key(&kloop)], "O-3");
    assert!(entries(db) > 0);
    golos
}

/// Changes the stored evidence and then an incident's payload with `tamper`, checking
/// that export and `log verify` find each.
fn tampered(db: &str, tamper: &dyn Fn(&str)) {
    tamper("UPDATE incident_evidence SET bytes = CAST('forged' AS BLOB) WHERE length(bytes) = 19");
    let (_, err) = refused(db, &["incidents", "export", "--json"], "O-10");
    assert!(err.contains("golos/h-1: evidence photos/box.jpg"), "{err}");
    tamper(
        "UPDATE log_entries SET payload = CAST('{}' AS BLOB) WHERE kind = 'incident' AND subject = 'golos/h-2'",
    );
    let (out, err) = refused(db, &["log", "verify"], "content hash");
    assert!(
        format!("{out}{err}").contains("(incident golos/h-2 of election mazhilis-2021)"),
        "{out}{err}"
    );
}

#[test]
fn incidents_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("store.sqlite");
    scenario(&arg(&path), dir.path());
    tampered(&arg(&path), &|sql| {
        let conn = rusqlite::Connection::open(&path).expect("the store");
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS incident_evidence_no_update; \
             DROP TRIGGER IF EXISTS log_entries_no_update; {sql}"
        ))
        .expect("the tampering");
    });
}

#[test]
fn incidents_on_postgres() {
    crate::pg::with_database("incidents", |db| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        scenario(&db.url, dir.path());
        // The tampering of an attacker with the owner's rights (the application role may
        // not switch triggers off).
        tampered(&db.url, &|sql| {
            crate::pg::psql(
                &db.admin,
                &format!(
                    "ALTER TABLE incident_evidence DISABLE TRIGGER USER; \
                     ALTER TABLE log_entries DISABLE TRIGGER USER; {}",
                    sql.replace("AS BLOB", "AS BYTEA")
                ),
            );
        });
    });
}
