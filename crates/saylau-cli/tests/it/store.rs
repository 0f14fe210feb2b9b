//! The store commands of the `saylau` binary on a SQLite store in a temporary directory:
//! `db init`, `keys new`, `log verify` and `log checkpoint`, with their exit codes, and
//! the global `--db` option that the other commands ignore.

use std::path::Path;
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;
use saylau_store::entry::Checkpoint;
use saylau_store::id::{ElectionId, Kind, Subject};
use saylau_store::key::CommissionKey;
use saylau_store::ledger::{self, Submission};
use saylau_store::location::Location;
use saylau_store::registry::{self, Election};
use saylau_store::store::Store;
use serde_json::Value;

fn saylau(dir: &Path, args: &[&str]) -> Output {
    Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(dir)
        .env_remove("SAYLAU_DB")
        .output()
        .expect("saylau runs")
}

fn json(output: &Output, code: i32) -> Value {
    assert_eq!(output.status.code(), Some(code), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

#[test]
fn store_commands_need_an_initialised_store() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let verify = saylau(dir.path(), &["log", "verify"]);
    assert_eq!(verify.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&verify.stderr);
    assert!(stderr.contains("no store at saylau.sqlite: run `saylau db init` first"), "{stderr}");
    let keys = saylau(dir.path(), &["keys", "new", "--commission", "CEC", "--out", "keys"]);
    assert_eq!(keys.status.code(), Some(2));
    assert!(!dir.path().join("keys").exists(), "no key is written without a store");
    assert!(!dir.path().join("saylau.sqlite").exists(), "only `db init` creates a store");
}

#[test]
fn keys_new_refuses_commissions_that_are_not_valid_or_not_registered() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    json(&saylau(dir.path(), &["db", "init", "--json"]), 0);
    for (commission, why) in [
        ("cec", "is not a commission id"),
        ("not a commission", "is not a commission id"),
        ("18", "names region 18"),
        ("15-02-0034", "commission 15-02-0034 is not registered in the store"),
        ("15", "commission 15 is not registered in the store"),
    ] {
        let args = ["keys", "new", "--commission", commission, "--out", "keys", "--json"];
        let output = saylau(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{commission}: {stderr}");
        assert!(stderr.contains(why), "{commission}: {stderr}");
        let written = std::fs::read_dir(dir.path().join("keys")).map_or(0, Iterator::count);
        assert_eq!(written, 0, "{commission}: no key file");
    }
    let cec = json(
        &saylau(dir.path(), &["keys", "new", "--commission", "CEC", "--out", "keys", "--json"]),
        0,
    );
    // The store has its first key: a second one needs a key above it to sign it.
    let again = saylau(dir.path(), &["keys", "new", "--commission", "CEC", "--out", "keys"]);
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("with --key PARENT"), "{stderr}");
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("keys"))
        .expect("the key folder")
        .map(|it| it.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let stem = format!("CEC-{}", &cec["key_id"].as_str().expect("a key id")[..16]);
    assert_eq!(names, [format!("{stem}.pem"), format!("{stem}.pub.pem")], "no temporary file");
}

#[test]
fn db_init_creates_then_finds_the_store_up_to_date() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let first = json(&saylau(dir.path(), &["db", "init", "--json", "--db", "new/a.sqlite"]), 0);
    assert_eq!(first["backend"], "sqlite");
    assert_eq!(first["location"], "new/a.sqlite");
    // Every migration of the SQLite set, by the number its file name starts with.
    let dir_of_migrations =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../saylau-store/migrations/sqlite");
    let mut versions: Vec<u64> = std::fs::read_dir(dir_of_migrations)
        .expect("the migrations folder")
        .map(|it| {
            let name = it.expect("an entry").file_name().to_string_lossy().into_owned();
            name.split('_').next().and_then(|n| n.parse().ok()).expect("a numbered migration")
        })
        .collect();
    versions.sort_unstable();
    assert!(versions.starts_with(&[1, 2, 3, 4]), "{versions:?}");
    assert_eq!(first["schema_version"], *versions.last().expect("a migration"));
    assert_eq!(first["applied"], serde_json::json!(versions));
    let again = json(&saylau(dir.path(), &["--db", "new/a.sqlite", "db", "init", "--json"]), 0);
    assert_eq!(again["applied"], serde_json::json!([]));
}

/// Registers election `e1` and appends two versions of station `s1`, signed by `key`.
fn two_entries(db: &Path, key: &CommissionKey) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    runtime.expect("a runtime").block_on(async {
        let store = Store::open(&Location::sqlite(db)).await.expect("the store");
        let election: ElectionId = "e1".parse().expect("an id");
        let e1 = Election { id: election.clone(), name: "Test".to_owned() };
        registry::add_election(&store, &e1, key).await.expect("the election");
        let (kind, subject): (Kind, Subject) =
            ("protocol".parse().expect("an id"), "s1".parse().expect("an id"));
        for (payload, base, reason) in [(&b"v1"[..], None, None), (b"v2", Some(1), Some("recount"))]
        {
            let submission = Submission {
                election: &election,
                kind: &kind,
                subject: &subject,
                payload,
                base: base.map(saylau_store::entry::Version),
                reason,
                author: "secretary",
            };
            ledger::append(&store, &submission, key).await.expect("an entry");
        }
        store.close().await;
    });
}

#[test]
fn keys_sign_entries_that_log_verify_accepts() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    json(&saylau(dir.path(), &["db", "init", "--json"]), 0);
    let new = json(
        &saylau(dir.path(), &["keys", "new", "--commission", "CEC", "--out", "keys", "--json"]),
        0,
    );
    assert_eq!(new["commission"], "CEC");
    let key_id = new["key_id"].as_str().expect("a key id");
    assert_eq!(new["private_key"], format!("keys/CEC-{}.pem", &key_id[..16]));
    let private = dir.path().join(new["private_key"].as_str().expect("a path"));
    let key = CommissionKey::read_pem(&private).expect("a private key only its owner reads");
    assert_eq!(key.public_key().key_id().to_string(), key_id);
    two_entries(&dir.path().join("saylau.sqlite"), &key);

    let checkpoint = json(&saylau(dir.path(), &["log", "checkpoint", "--json"]), 0);
    // The genesis key, the election's registration and the two versions.
    assert_eq!(checkpoint["seq"], 4);
    let published = checkpoint["checkpoint"].as_str().expect("HASH@SEQ");
    let verified =
        json(&saylau(dir.path(), &["log", "verify", "--checkpoint", published, "--json"]), 0);
    assert_eq!(
        (verified["intact"].clone(), verified["entries"].clone()),
        (Value::Bool(true), Value::from(4))
    );

    let forged = Checkpoint {
        hash: saylau_store::digest::Digest::of(b"forged"),
        ..published.parse().expect("a checkpoint")
    };
    let broken = json(
        &saylau(dir.path(), &["log", "verify", "--checkpoint", &forged.to_string(), "--json"]),
        1,
    );
    assert_eq!(broken["intact"], false);
    assert_eq!(broken["broken"]["seq"], 4);
    assert_eq!(broken["broken"]["subject"], "s1");
    assert_eq!(broken["broken"]["problem"], "checkpoint");
    let text = saylau(dir.path(), &["log", "verify", "--checkpoint", &forged.to_string()]);
    assert_eq!(text.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.starts_with("The log is broken at entry 4 (protocol s1 of election e1): checkpoint mismatch: published "),
        "{stdout}"
    );
}

#[test]
fn other_commands_ignore_the_store_option() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = Command::new(get_cargo_bin("saylau"))
        .args(["allocate", "data/kz/mazhilis-2021.toml", "--json", "--db", "nowhere/x.sqlite"])
        .env("SAYLAU_DB", "postgres://nobody@127.0.0.1:1/none")
        .current_dir(root)
        .output()
        .expect("saylau runs");
    let report = json(&output, 0);
    assert_eq!(report["lists"][0]["seats"], 76);
}

/// `db init` and `keys new` leave the whole store in its file (no write-ahead log), and
/// `db backup` writes a copy that verifies, once: it never overwrites a file.
#[test]
fn the_store_is_in_its_file_and_backs_up() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    json(&saylau(dir.path(), &["db", "init", "--json"]), 0);
    let key = ["keys", "new", "--commission", "CEC", "--out", "keys", "--json"];
    json(&saylau(dir.path(), &key), 0);
    let wal = dir.path().join("saylau.sqlite-wal");
    assert!(std::fs::metadata(&wal).map_or(true, |it| it.len() == 0), "state left in the WAL");
    let backup = json(&saylau(dir.path(), &["db", "backup", "--out", "copy.sqlite", "--json"]), 0);
    assert_eq!(backup["verified"], true);
    assert_eq!(backup["entries"], 1, "the genesis key's registration");
    let copy = json(&saylau(dir.path(), &["--db", "copy.sqlite", "log", "verify", "--json"]), 0);
    assert_eq!(copy["entries"], 1, "the genesis: {copy}");
    let again = saylau(dir.path(), &["db", "backup", "--out", "copy.sqlite"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("the file exists"));
}

/// `keys rotate` replaces the CEC's key (the old one can sign no new key), `keys new --key`
/// registers a key signed by a registered key, `keys revoke` revokes it, and the log
/// verifies after each step.
#[test]
fn keys_rotate_and_revoke() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    json(&saylau(dir.path(), &["db", "init", "--json"]), 0);
    let first = json(&saylau(dir.path(), &["keys", "bootstrap", "--out", "keys", "--json"]), 0);
    let old = first["private_key"].as_str().expect("a path").to_owned();
    let rotated = ["keys", "rotate", "--key", &old, "--out", "keys", "--json"];
    let rotated = json(&saylau(dir.path(), &rotated), 0);
    assert_eq!(rotated["commission"], "CEC");
    let new = rotated["private_key"].as_str().expect("a path").to_owned();
    let refused = saylau(dir.path(), &["keys", "new", "--commission", "CEC", "--key", &old]);
    assert_eq!(refused.status.code(), Some(1), "the revoked key signs no new key");
    let second = ["keys", "new", "--commission", "CEC", "--key", &new, "--out", "k2", "--json"];
    let second = json(&saylau(dir.path(), &second), 0);
    let id = second["key_id"].as_str().expect("a key id").to_owned();
    json(&saylau(dir.path(), &["keys", "revoke", &id, "--key", &new, "--json"]), 0);
    let verified = json(&saylau(dir.path(), &["log", "verify", "--json"]), 0);
    assert_eq!(
        (verified["intact"].clone(), verified["entries"].clone()),
        (Value::Bool(true), Value::from(4))
    );
}
