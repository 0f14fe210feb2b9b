//! The commissions register (`docs/commissions.md`), on SQLite and on PostgreSQL (when
//! `SAYLAU_TEST_POSTGRES_URL` is set; `.ci/run` sets it): the synthetic country's register
//! loads whole, its balance report agrees with the file counted here independently, a
//! file with bad rows is rejected whole with file, line, field and rule, a region's key
//! registers members only below it, and the lot of `saylau lot commission` draws members
//! for the register's commissions into a file that loads.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::fixture::{arg, observed_country, ok, private_key, refused};

/// The register file's data rows, as fields.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("a register file");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("commission,"))
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect()
}

/// Per commission: members, the most members of one party, and the akimat's and
/// maslikhat's nominees, counted from the file's rows.
fn counted(rows: &[Vec<String>]) -> BTreeMap<String, (u32, u32, u32)> {
    let mut members: BTreeMap<String, (u32, BTreeMap<String, u32>, u32)> = BTreeMap::new();
    for row in rows {
        let entry = members.entry(row[0].clone()).or_default();
        entry.0 += 1;
        if !row[5].is_empty() {
            *entry.1.entry(row[5].clone()).or_default() += 1;
        }
        entry.2 += u32::from(row[4].starts_with("akimat:") || row[4].starts_with("maslikhat:"));
    }
    members
        .into_iter()
        .map(|(id, (all, parties, local))| {
            (id, (all, parties.values().copied().max().unwrap_or(0), local))
        })
        .collect()
}

fn scenario(db: &str, dir: &Path) {
    let imported = observed_country(db, dir);
    let register = imported.country.join("commissions.csv");
    let file_rows = rows(&register);
    // A bad file is rejected whole: each bad row named by line, field and rule.
    let bad = dir.join("bad.csv");
    let mut text = std::fs::read_to_string(&register).expect("the register");
    let header_lines = text.lines().count();
    // A PEC with a Nur Otan nominee, and another PEC.
    let pec = &file_rows
        .iter()
        .find(|it| it[0].len() == 10 && it[4] == "party:nur-otan")
        .expect("a PEC with a Nur Otan nominee")[0];
    let other_pec =
        &file_rows.iter().find(|it| it[0].len() == 10 && it[0] != *pec).expect("another PEC")[0];
    for line in [
        "99-99-9999,x-1,Ghost,member,self,,2019-06-01,2024-05-31".to_owned(),
        format!("{pec},x-2,Late,member,self,,2024-05-31,2019-06-01"),
        format!("{other_pec},syn-{pec}-1,Twice,member,self,,2020-01-01,2020-12-31"),
        format!("{pec},x-3,Second,member,party:nur-otan,nur-otan,2020-01-01,2020-12-31"),
        format!("{pec},x-4,Second chair,chair,ngo:x,,2020-01-01,2020-12-31"),
        format!("{pec},x-5,Nobody,boss,ngo:x,,2020-01-01,2020-12-31"),
    ] {
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(&bad, text).expect("the bad file");
    let (_, err) = refused(db, &["commissions", "load", &arg(&bad), "--key", &imported.cec], "C-3");
    let source = arg(&bad);
    for (offset, rule) in [(1, "C-3"), (2, "C-4"), (3, "C-5"), (6, "C-2")] {
        let at = format!("{source}:{}: ", header_lines + offset);
        assert!(err.contains(&at) && err.contains(rule), "{at} {rule}: {err}");
    }
    assert!(
        err.contains("nominated_by: party nur-otan already has a nominee") && err.contains("C-8"),
        "{err}"
    );
    assert!(
        err.contains("role: the commission already has a chair") && err.contains("C-9"),
        "{err}"
    );
    let empty = ok(db, &["commissions", "report", "--json"]);
    assert_eq!(empty["national"]["members"], 0, "nothing of a rejected file is written");
    // The synthetic register loads whole, signed by the CEC.
    let loaded =
        ok(db, &["commissions", "load", &arg(&register), "--key", &imported.cec, "--json"]);
    assert_eq!(loaded["members"].as_u64(), Some(file_rows.len() as u64));
    // Loading it again is refused: every member would sit twice.
    refused(db, &["commissions", "load", &arg(&register), "--key", &imported.cec], "C-6");
    check_report(db, &file_rows);
    let verified = ok(db, &["log", "verify", "--json"]);
    assert_eq!(verified["intact"], true, "{verified}");
    authority(db, dir, &imported.keys, &imported.cec, &file_rows);
    lot(db, dir, &imported.cec, &file_rows);
}

/// The report against the file counted here.
fn check_report(db: &str, file_rows: &[Vec<String>]) {
    let report = ok(db, &["commissions", "report", "--json"]);
    assert_eq!(report["on"], "2019-06-01", "the latest first day of a term");
    let counted = counted(file_rows);
    assert_eq!(report["national"]["members"].as_u64(), Some(file_rows.len() as u64));
    assert_eq!(report["national"]["with_members"].as_u64(), Some(counted.len() as u64));
    let majority =
        |test: fn(&(u32, u32, u32)) -> bool| counted.values().filter(|it| test(it)).count() as u64;
    let membership = majority(|(all, party, _)| party * 2 > *all);
    let local = majority(|(all, _, local)| local * 2 > *all);
    assert_eq!(report["national"]["membership_majority"].as_u64(), Some(membership));
    assert_eq!(report["national"]["local_authority_majority"].as_u64(), Some(local));
    // One nominee per party (art. 10 p. 3): no party majority anywhere.
    assert_eq!(report["national"]["party_majority"], 0);
    // The seed's finding shows: most commissions have a majority of one party's members.
    assert!(membership * 2 > counted.len() as u64, "{membership} of {}", counted.len());
    let levels = report["levels"].as_array().expect("levels");
    let sum: u64 = levels.iter().map(|it| it["members"].as_u64().expect("members")).sum();
    assert_eq!(sum, file_rows.len() as u64);
    let pecs = ok(db, &["commissions", "report", "--level", "pec", "--json"]);
    let listed = pecs["commissions"].as_array().expect("commissions");
    assert!(listed.iter().all(|it| it["level"] == "precinct"));
    assert_eq!(listed.len() as u64, levels[3]["with_members"].as_u64().expect("PECs"));
    // A commission's own flags agree with the file.
    let first = &listed[0];
    let (all, party, _) = counted[first["commission"].as_str().expect("an id")];
    let flagged = first["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .any(|it| it["flag"] == "membership-majority");
    assert_eq!(flagged, party * 2 > all, "{first}");
}

/// A region's key registers the members of a PEC under it, not of one elsewhere.
fn authority(db: &str, dir: &Path, keys: &str, cec: &str, file_rows: &[Vec<String>]) {
    let region = private_key(&ok(
        db,
        &["keys", "new", "--commission", "01", "--key", cec, "--out", keys, "--json"],
    ));
    let pecs: BTreeSet<&str> =
        file_rows.iter().map(|it| it[0].as_str()).filter(|it| it.len() == 10).collect();
    let own = pecs.iter().find(|it| it.starts_with("01-")).expect("a PEC of region 01");
    let other = pecs.iter().find(|it| !it.starts_with("01-")).expect("a PEC elsewhere");
    let file = |name: &str, commission: &str| {
        let path = dir.join(name);
        let text = format!(
            "# saylau-commissions v1\ncommission,person,name,role,nominated_by,party_member,from,to\n\
             {commission},new-{commission},Replacement,member,ngo:x,,2024-06-01,2029-05-31\n"
        );
        std::fs::write(&path, text).expect("a file");
        arg(&path)
    };
    ok(db, &["commissions", "load", &file("own.csv", own), "--key", &region, "--json"]);
    refused(db, &["commissions", "load", &file("other.csv", other), "--key", &region], "C-10");
}

/// `saylau commissions draw`: the lot for registered commissions, written and loaded.
fn lot(db: &str, dir: &Path, cec: &str, file_rows: &[Vec<String>]) {
    let pecs: BTreeSet<&str> =
        file_rows.iter().map(|it| it[0].as_str()).filter(|it| it.len() == 10).collect();
    let pecs: Vec<&str> = pecs.into_iter().take(2).collect();
    let lot_file = |commissions: &str| {
        let path = dir.join("lot.toml");
        let text = format!(
            "[commission]\nname = \"precinct commissions by lot\"\nseed = \"draw-2024\"\n\
             commissions = [{commissions}]\n\n[[strata]]\nid = \"lawyers\"\nseats = 1\n\
             pool = [\"L0\", \"L1\", \"L2\"]\n\n[[strata]]\nid = \"volunteers\"\nseats = 2\n\
             pool = [\"V0\", \"V1\", \"V2\", \"V3\", \"V4\"]\n"
        );
        std::fs::write(&path, text).expect("a lot file");
        arg(&path)
    };
    let term = ["--from", "2024-06-01", "--to", "2029-05-31"];
    let unknown = lot_file(&format!("\"{}\", \"99-99-9999\"", pecs[0]));
    let mut args = vec!["commissions", "draw", &unknown];
    args.extend(term);
    refused(db, &args, "C-3");
    let known = lot_file(&format!("\"{}\", \"{}\"", pecs[0], pecs[1]));
    let out = arg(&dir.join("drawn.csv"));
    let mut args = vec!["commissions", "draw", &known, "--out", &out, "--json"];
    args.extend(term);
    let drawn: Value = ok(db, &args);
    let members = drawn["members"].as_array().expect("members");
    assert_eq!(members.len(), 6);
    assert!(
        members.iter().all(|it| it["nominator"].as_str().is_some_and(|by| by.starts_with("lot:")))
    );
    let loaded = ok(db, &["commissions", "load", &out, "--key", cec, "--json"]);
    assert_eq!(loaded["members"], 6);
}

#[test]
fn the_register_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = arg(&dir.path().join("store.sqlite"));
    scenario(&db, dir.path());
}

#[test]
fn the_register_on_postgres() {
    crate::pg::with_database("commissions", |db| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        scenario(&db.url, dir.path());
    });
}
