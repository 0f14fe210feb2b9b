//! `saylau import` streams its files (issue 10, item 5): a chunk of 25,000 rows is read,
//! checked and imported at a time. A file that stops part way (here a quote left open, which
//! makes the rest of the file one row past the limit of a row) rejects the import with exit
//! code 1 after the protocols of the chunks before it were imported, each whole; the known
//! checkpoint moves to them, the log verifies, and importing the fixed file records only
//! what is missing.

use std::path::Path;
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;
use serde_json::Value;

/// More stations than one chunk of the import holds.
const STATIONS: u64 = 30_000;
/// The rows of a chunk.
const CHUNK: u64 = 25_000;

fn saylau(dir: &Path, args: &[&str]) -> Output {
    Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(dir)
        .env_remove("SAYLAU_DB")
        .env_remove("SAYLAU_KEY")
        .env_remove("SAYLAU_CHECKPOINT_FILE")
        .output()
        .expect("saylau runs")
}

fn json(output: &Output, code: i32) -> Value {
    assert_eq!(output.status.code(), Some(code), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

/// The position of the known checkpoint kept beside the store.
fn known_seq(dir: &Path) -> u64 {
    let known = std::fs::read_to_string(dir.join("saylau.sqlite.checkpoint")).expect("a file");
    let line = known.lines().find(|line| line.contains('@')).expect("HASH@SEQ");
    line.rsplit('@').next().and_then(|seq| seq.trim().parse().ok()).expect("a position")
}

#[test]
fn a_file_that_stops_part_way_keeps_the_chunks_before_and_a_second_import_completes_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dir = dir.path();
    let stations = STATIONS.to_string();
    let generated =
        saylau(dir, &["generate", "--seed", "3", "--stations", &stations, "--out", "c", "--json"]);
    json(&generated, 0);
    json(&saylau(dir, &["db", "init", "--json"]), 0);
    let key =
        json(&saylau(dir, &["keys", "new", "--commission", "CEC", "--out", "k", "--json"]), 0);
    let key = key["private_key"].as_str().expect("a key path").to_owned();
    let mut text = std::fs::read_to_string(dir.join("c/protocols.csv")).expect("a file");
    let lines = text.lines().count();
    text.push_str("\"open");
    text.push_str(&"x".repeat((1 << 20) + 10));
    std::fs::write(dir.join("cut.csv"), text).expect("written");

    let stopped = saylau(dir, &["import", "--key", &key, "--json", "cut.csv"]);
    assert_eq!(stopped.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stopped.stderr);
    assert!(stderr.contains("F-12"), "{stderr}");
    assert!(stderr.contains(&format!("{}", lines + 1)), "the line of the open quote: {stderr}");
    assert!(stderr.contains(&format!("the {CHUNK} protocols of the rows before")), "{stderr}");
    // The CEC key's genesis entry, the first chunk's registration entry, its protocols.
    assert_eq!(known_seq(dir), CHUNK + 2, "the first chunk is imported and known");
    json(&saylau(dir, &["log", "verify", "--json"]), 0);

    let report = json(&saylau(dir, &["import", "--key", &key, "--json", "c/protocols.csv"]), 0);
    let counts = ["accepted", "unchanged", "rejected"].map(|it| report["counts"][it].as_u64());
    assert_eq!(counts, [Some(STATIONS - CHUNK), Some(CHUNK), Some(0)]);
    // And one registration entry for the second chunk's new stations (the first chunk
    // registers nothing again).
    assert_eq!(known_seq(dir), STATIONS + 3);
    json(&saylau(dir, &["log", "verify", "--json"]), 0);
}
