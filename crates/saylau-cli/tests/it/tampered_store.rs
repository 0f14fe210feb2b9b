//! `results`, `export` and `log verify` on a tampered SQLite store: each refuses it with
//! exit code 1 and says what is wrong, and the known checkpoint that `import` keeps beside
//! the store catches the removal of the last batch, which leaves a log consistent in
//! itself.

use std::path::Path;
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;
use serde_json::Value;

fn saylau(dir: &Path, args: &[&str]) -> Output {
    Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(dir)
        .env_remove("SAYLAU_DB")
        .env_remove("SAYLAU_KEY")
        .env_remove("SAYLAU_KNOWN_CHECKPOINT")
        .output()
        .expect("saylau runs")
}

fn json(output: &Output, code: i32) -> Value {
    assert_eq!(output.status.code(), Some(code), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

/// A store of 120 synthetic stations imported in batches of 40 (entries 3 to 122, after
/// the CEC key's genesis entry and the import's registration entry).
fn prepare(dir: &Path) {
    let generate = ["generate", "--seed", "3", "--stations", "120", "--out", "country", "--json"];
    json(&saylau(dir, &generate), 0);
    json(&saylau(dir, &["db", "init", "--json"]), 0);
    let key =
        json(&saylau(dir, &["keys", "new", "--commission", "CEC", "--out", "keys", "--json"]), 0);
    let key = key["private_key"].as_str().expect("a key path").to_owned();
    let import = ["import", "--key", &key, "--batch-size", "40", "--json", "country/protocols.csv"];
    let report = json(&saylau(dir, &import), 0);
    assert_eq!(report["counts"]["accepted"], 120);
}

/// Runs `statements` on the store as its owner would: with the append-only triggers
/// dropped and the foreign keys off.
fn tamper(dir: &Path, statements: &str) {
    let conn = rusqlite::Connection::open(dir.join("saylau.sqlite")).expect("the store");
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF; \
         DROP TRIGGER log_entries_no_update; DROP TRIGGER log_entries_no_delete; \
         DROP TRIGGER current_versions_forward; DROP TRIGGER current_versions_no_delete; \
         DROP TRIGGER batches_no_update; DROP TRIGGER batches_no_delete; {statements}"
    ))
    .expect("the tampering");
}

/// Each reader's exit code and what it printed on stderr.
fn readers(dir: &Path) -> Vec<(&'static str, Option<i32>, String)> {
    [
        ("results", &["results", "--json"][..]),
        ("results --level region", &["results", "--level", "region"][..]),
        ("export", &["export", "--format", "csv"][..]),
        ("log verify", &["log", "verify"][..]),
    ]
    .into_iter()
    .map(|(name, args)| {
        let output = saylau(dir, args);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (name, output.status.code(), said)
    })
    .collect()
}

fn assert_refused(dir: &Path, expect: &str) {
    for (name, code, said) in readers(dir) {
        assert_eq!(code, Some(1), "{name}: {said}");
        assert!(said.contains(expect), "{name}: {said}");
        assert!(!said.contains("nur-otan"), "{name} prints no results: {said}");
    }
}

#[test]
fn readers_refuse_a_changed_payload_and_a_rolled_back_version() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    prepare(dir.path());
    for (name, code, said) in readers(dir.path()) {
        assert_eq!(code, Some(0), "{name}: {said}");
    }
    tamper(dir.path(), "UPDATE log_entries SET payload = CAST('{}' AS BLOB) WHERE seq = 7");
    assert_refused(dir.path(), "entry 7 (protocol ");
    assert_refused(dir.path(), "content hash mismatch");
    let dir = tempfile::tempdir().expect("a temporary directory");
    prepare(dir.path());
    // A station's current version moved back below its first (the store-level suite rolls a
    // correction back to its first version).
    tamper(
        dir.path(),
        "INSERT INTO current_versions SELECT election_id, kind, subject, 0 FROM log_entries \
         WHERE seq = 3 ON CONFLICT DO UPDATE SET version = 0",
    );
    assert_refused(dir.path(), "current-version index says 0, the log's last version is 1");
}

#[test]
fn the_known_checkpoint_beside_the_store_catches_a_removed_tail() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    prepare(dir.path());
    let known = std::fs::read_to_string(dir.path().join("saylau.sqlite.checkpoint"))
        .expect("import keeps the known checkpoint beside the store");
    assert!(known.trim_end().ends_with("@122"), "{known}");
    // The last batch removed with its current versions: consistent in itself.
    tamper(
        dir.path(),
        "DELETE FROM current_versions WHERE (election_id, kind, subject) IN \
           (SELECT election_id, kind, subject FROM log_entries WHERE seq > 82); \
         DELETE FROM log_entries WHERE seq > 82; DELETE FROM batches WHERE first_seq > 82;",
    );
    let (file, aside) =
        (dir.path().join("saylau.sqlite.checkpoint"), dir.path().join("moved-aside"));
    std::fs::rename(&file, &aside).expect("moved aside");
    let without = saylau(dir.path(), &["log", "verify", "--json"]);
    assert_eq!(json(&without, 0)["entries"], 82, "the log alone verifies");
    std::fs::rename(&aside, &file).expect("moved back");
    assert_refused(dir.path(), "the log ends at entry 82, before the checkpoint");
    // An import refuses to write to it and leaves the known checkpoint as it was.
    let key = std::fs::read_dir(dir.path().join("keys"))
        .expect("keys")
        .map(|it| it.expect("an entry").path())
        .find(|it| !it.to_string_lossy().ends_with(".pub.pem"))
        .expect("the private key");
    let import = saylau(
        dir.path(),
        &["import", "--key", key.to_str().expect("a path"), "country/protocols.csv"],
    );
    let stderr = String::from_utf8_lossy(&import.stderr);
    assert_eq!(import.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the log ends at entry 82, before the known checkpoint"), "{stderr}");
    let after = std::fs::read_to_string(dir.path().join("saylau.sqlite.checkpoint")).expect("it");
    assert_eq!(after, known);
}
