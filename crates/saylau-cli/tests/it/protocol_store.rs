//! `saylau import`, `results` and `export` on a SQLite store in a temporary directory: a
//! synthetic country imported, re-imported unchanged, tabulated up the hierarchy with the
//! official 2021 seats, exported and imported back, corrected with a reason and a base
//! version, and bad protocols rejected with their diagnostics.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;
use serde_json::Value;

/// Stations of the synthetic country of these tests.
const STATIONS: u64 = 300;

fn saylau(dir: &Path, args: &[&str]) -> Output {
    Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(dir)
        .env_remove("SAYLAU_DB")
        .env_remove("SAYLAU_KEY")
        .output()
        .expect("saylau runs")
}

fn json(output: &Output, code: i32) -> Value {
    assert_eq!(output.status.code(), Some(code), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

/// A store with a CEC key and a synthetic country of 300 stations; returns the key's path.
fn prepare(dir: &Path) -> String {
    let generated = saylau(
        dir,
        &["generate", "--seed", "7", "--stations", "300", "--out", "country", "--json"],
    );
    json(&generated, 0);
    json(&saylau(dir, &["db", "init", "--json"]), 0);
    let key =
        json(&saylau(dir, &["keys", "new", "--commission", "CEC", "--out", "keys", "--json"]), 0);
    key["private_key"].as_str().expect("a key path").to_owned()
}

fn import(dir: &Path, key: &str, extra: &[&str], code: i32) -> Value {
    let mut args = vec!["import", "--key", key, "--json"];
    args.extend(extra);
    json(&saylau(dir, &args), code)
}

fn counts(report: &Value) -> [u64; 5] {
    ["accepted", "corrections", "unchanged", "rejected", "conflicts"]
        .map(|count| report["counts"][count].as_u64().expect("a count"))
}

/// `(id, votes)` of every list of a totals object.
fn list_votes(totals: &Value) -> Vec<(String, u64)> {
    totals["lists"]
        .as_array()
        .expect("lists")
        .iter()
        .map(|list| {
            let id = list["id"].as_str().expect("an id").to_owned();
            (id, list["votes"].as_u64().expect("votes"))
        })
        .collect()
}

#[test]
fn imported_protocols_give_the_official_seats_at_every_level() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let key = prepare(dir.path());
    let first = import(dir.path(), &key, &["country/protocols.csv"], 0);
    assert_eq!(counts(&first), [STATIONS, 0, 0, 0, 0]);
    assert_eq!(first["registered"]["stations"], STATIONS);
    assert_eq!(first["registered"]["lists"], 5);
    let again = import(dir.path(), &key, &["country/protocols.csv"], 0);
    assert_eq!(counts(&again), [0, 0, STATIONS, 0, 0], "a re-import adds no version");
    let verified = json(&saylau(dir.path(), &["log", "verify", "--json"]), 0);
    assert_eq!(
        (verified["intact"].clone(), verified["entries"].clone()),
        // The CEC key's genesis entry, the import's registration entry, the protocols.
        (Value::Bool(true), Value::from(STATIONS + 2))
    );

    let national = json(&saylau(dir.path(), &["results", "--json"]), 0);
    let seats: Vec<(String, u64)> = national["lists"]
        .as_array()
        .expect("lists")
        .iter()
        .map(|list| (list["id"].as_str().unwrap().to_owned(), list["seats"].as_u64().unwrap()))
        .collect();
    let expect =
        [("nur-otan", 76), ("ak-zhol", 12), ("peoples-party", 10), ("auyl", 0), ("adal", 0)];
    assert_eq!(seats, expect.map(|(id, seats)| (id.to_owned(), seats)));
    assert_eq!(national["lists"][0]["votes"], 5_148_074);
    assert_eq!(national["stations"], STATIONS);
    for level in ["region", "district", "station"] {
        let totals = json(&saylau(dir.path(), &["results", "--level", level, "--json"]), 0);
        let commissions = totals["commissions"].as_array().expect("commissions");
        let mut sum = vec![0u64; 5];
        let mut stations = 0;
        for commission in commissions {
            for (idx, (_, votes)) in list_votes(commission).into_iter().enumerate() {
                sum[idx] += votes;
            }
            stations += commission["stations"].as_u64().expect("stations");
        }
        let national_votes: Vec<u64> = list_votes(&national).into_iter().map(|it| it.1).collect();
        assert_eq!(sum, national_votes, "the {level} totals add up to the national totals");
        assert_eq!(stations, STATIONS);
    }
    let regions = json(&saylau(dir.path(), &["results", "--level", "region", "--json"]), 0);
    assert_eq!(regions["commissions"].as_array().map(Vec::len), Some(17));
    assert_eq!(regions["commissions"][0]["id"], "01");
    assert_eq!(regions["commissions"][0]["name"], "Akmola");
}

/// The first data row of a CSV protocol file, split into fields, and its line index.
fn first_row(text: &str) -> (usize, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|line| line.starts_with("station,")).expect("a header");
    (header + 1, lines[header + 1].split(',').map(str::to_owned).collect())
}

/// `text` with the first data row replaced by `fields`.
fn with_first_row(text: &str, fields: &[String]) -> String {
    let (row, _) = first_row(text);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[row] = fields.join(",");
    lines.join("\n") + "\n"
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a file");
    path
}

#[test]
fn exported_protocols_round_trip_and_corrections_name_their_base() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let key = prepare(dir.path());
    import(dir.path(), &key, &["country/protocols.csv"], 0);
    for (format, file) in [("csv", "exported.csv"), ("json", "exported.json")] {
        let args = ["export", "--format", format, "--out", file, "--json"];
        let exported = json(&saylau(dir.path(), &args), 0);
        assert_eq!(exported["protocols"], STATIONS);
        let back = import(dir.path(), &key, &[file], 0);
        assert_eq!(counts(&back), [0, 0, STATIONS, 0, 0], "{format} imports as unchanged");
    }
    let text = std::fs::read_to_string(dir.path().join("exported.csv")).expect("the export");
    let (_, mut fields) = first_row(&text);
    let station = fields[0].clone();
    assert_eq!(fields[5], "1", "base_version is the current version");
    // One vote moves from the last list to the first (columns 15 and 19).
    let (first, last): (u64, u64) = (fields[15].parse().unwrap(), fields[19].parse().unwrap());
    let moved = if last > 0 { (first + 1, last - 1) } else { (first - 1, last + 1) };
    fields[15] = moved.0.to_string();
    fields[19] = moved.1.to_string();
    write(dir.path(), "corrected.csv", &with_first_row(&text, &fields));
    let refused = import(dir.path(), &key, &["corrected.csv"], 1);
    assert_eq!(counts(&refused), [0, 0, STATIONS - 1, 1, 0]);
    assert_eq!(refused["rejected"][0]["station"], station.as_str());
    assert_eq!(refused["rejected"][0]["current"], 1);
    assert_eq!(refused["rejected"][0]["reasons"][0]["rule"], "reason_required");
    assert_eq!(
        refused["rejected"][0]["reasons"][0]["message"],
        format!(
            "station {station}: version 1 is current and this protocol differs from it: a correction needs --reason"
        )
    );
    let reason = ["--reason", "recount at the PEC", "corrected.csv"];
    let corrected = import(dir.path(), &key, &reason, 0);
    assert_eq!(counts(&corrected), [0, 1, STATIONS - 1, 0, 0]);
    assert_eq!(corrected["corrections"][0]["version"], 2);
    let stale = import(dir.path(), &key, &["--reason", "again", "exported.csv"], 1);
    assert_eq!(counts(&stale), [0, 0, STATIONS - 1, 0, 1], "the export is based on version 1");
    assert_eq!(stale["conflicts"][0]["base"], 1);
    assert_eq!(stale["conflicts"][0]["current"], 2);

    let args = ["results", "--station", station.as_str(), "--history", "--json"];
    let history = json(&saylau(dir.path(), &args), 0);
    assert_eq!(history["version"], 2);
    let versions = history["history"].as_array().expect("the history");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["reason"], Value::Null);
    assert_eq!(versions[1]["reason"], "recount at the PEC");
    assert_eq!(versions[1]["author"], "saylau import");
    assert_eq!(versions[1]["commission"], "CEC");
    assert_eq!(versions[1]["lists"][0]["votes"], moved.0);
    assert_eq!(versions[1]["entry_hash"].as_str().map(str::len), Some(64));
}

#[test]
fn bad_protocols_are_rejected_whole_with_their_diagnostics() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let key = prepare(dir.path());
    let text = std::fs::read_to_string(dir.path().join("country/protocols.csv")).expect("a file");
    let (row, mut fields) = first_row(&text);
    let station = fields[0].clone();
    // Line 6 (found in boxes) above lines 3 + 4 breaks P-3 and, with line 8 unchanged, P-4.
    let issued: u64 = fields[7].parse::<u64>().unwrap() + fields[8].parse::<u64>().unwrap();
    fields[10] = (issued + 1).to_string();
    write(dir.path(), "bad.csv", &with_first_row(&text, &fields));
    let report = import(dir.path(), &key, &["bad.csv"], 1);
    assert_eq!(counts(&report), [STATIONS - 1, 0, 0, 1, 0], "the good protocols are kept");
    let rejected = &report["rejected"][0];
    assert_eq!(rejected["station"], station.as_str());
    assert_eq!(rejected["file"], "bad.csv");
    assert_eq!(rejected["line"], row + 1);
    let rules: Vec<&str> = rejected["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|reason| reason["rule"].as_str().expect("a rule"))
        .collect();
    assert_eq!(rules, ["P-3", "P-4"]);
    assert_eq!(rejected["reasons"][0]["field"], "found_in_boxes");
    let text_output = saylau(dir.path(), &["import", "--key", &key, "bad.csv"]);
    assert_eq!(text_output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&text_output.stdout);
    assert!(stdout.contains(&format!("rejected {station} (bad.csv:{})", row + 1)), "{stdout}");
    assert!(stdout.contains("(rule P-3)"), "{stdout}");
}
