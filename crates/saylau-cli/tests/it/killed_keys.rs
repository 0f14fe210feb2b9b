//! `saylau keys new` killed (SIGKILL) at random moments, on a SQLite store: a final key file
//! name only ever holds a whole private key (mode 0600) whose key is registered, the log
//! verifies after every kill, and the next `keys new` in that directory settles what the
//! killed runs left, so that the registered keys and the private key files are the same set
//! (`docs/integrity.md`, "Key files").

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use insta_cmd::get_cargo_bin;
use saylau_store::key::CommissionKey;
use serde_json::Value;

/// Killed runs per test.
const ROUNDS: u32 = 80;

fn saylau(dir: &Path) -> Command {
    let mut command = Command::new(get_cargo_bin("saylau"));
    command.current_dir(dir).env_remove("SAYLAU_DB");
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    saylau(dir).args(args).output().expect("saylau runs")
}

fn json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

/// The ids of the keys registered in the store (its table, read directly).
fn registered(dir: &Path) -> BTreeSet<String> {
    let db = rusqlite::Connection::open(dir.join("saylau.sqlite")).expect("the store");
    let mut query = db.prepare("SELECT id FROM commission_keys").expect("a query");
    let ids = query.query_map([], |row| row.get(0)).expect("rows");
    ids.collect::<Result<_, _>>().expect("key ids")
}

/// What `keys/` holds: the key ids of the final private key files (each checked whole,
/// private and registered in `registered`), the key ids of the public key files, and the
/// hidden names.
fn files(keys: &Path, registered: &BTreeSet<String>) -> (BTreeSet<String>, usize, Vec<String>) {
    let (mut private, mut public, mut hidden) = (BTreeSet::new(), 0, Vec::new());
    for entry in std::fs::read_dir(keys).expect("the key directory") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().expect("a name").to_string_lossy().into_owned();
        if name.starts_with('.') {
            hidden.push(name);
        } else if name.ends_with(".pub.pem") {
            let text = std::fs::read_to_string(&path).expect("a public key file");
            assert!(text.ends_with("-----END PUBLIC KEY-----\n"), "{name} is whole: {text:?}");
            public += 1;
        } else {
            // read_pem refuses a torn file and a file that others may read.
            let key = CommissionKey::read_pem(&path).unwrap_or_else(|err| panic!("{name}: {err}"));
            let id = key.public_key().key_id().to_string();
            assert!(name.contains(&id[..16]), "{name} is named after its key {id}");
            assert!(registered.contains(&id), "{name}: key {id} has a file but no registration");
            private.insert(id);
        }
    }
    (private, public, hidden)
}

/// A seed for the delays, printed so that a failure can be replayed.
fn seed() -> u64 {
    let seed = std::env::var("SAYLAU_KILL_SEED").ok().and_then(|it| it.parse().ok());
    seed.unwrap_or_else(|| {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        nanos.map_or(1, |it| u64::from(it.subsec_nanos()) | 1)
    })
}

/// xorshift64: the kill delays need no more than a reproducible spread.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn keys_new_killed_at_any_moment_leaves_keys_and_files_in_step() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    json(&run(dir.path(), &["db", "init", "--json"]));
    let cec = json(&run(dir.path(), &["keys", "bootstrap", "--out", "keys", "--json"]));
    let cec = cec["private_key"].as_str().expect("a path").to_owned();
    let args = ["keys", "new", "--commission", "CEC", "--key", &cec, "--out", "keys", "--json"];
    let started = Instant::now();
    json(&run(dir.path(), &args));
    // The kills spread over a whole run and a little past it.
    let span = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX) * 6 / 5;
    let mut state = seed();
    eprintln!("SAYLAU_KILL_SEED={state}, runs of {span} µs");

    let keys = dir.path().join("keys");
    let (mut ended, mut staged_left) = (0, 0);
    for round in 0..ROUNDS {
        let mut child = saylau(dir.path())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("saylau starts");
        std::thread::sleep(Duration::from_micros(next(&mut state) % span.max(1)));
        child.kill().expect("SIGKILL");
        if child.wait().expect("the run ends").success() {
            ended += 1;
        }
        let verify = run(dir.path(), &["log", "verify", "--json"]);
        assert_eq!(json(&verify)["intact"], true, "round {round}: the log verifies");
        let known = registered(dir.path());
        let (_, _, hidden) = files(&keys, &known);
        if hidden.iter().any(|name| name.ends_with(".staged")) {
            staged_left += 1;
        }
        for name in hidden {
            let staged = name.ends_with(".staged") && name.contains(".pem.");
            let public_temp = name.contains(".pub.pem.") && name.ends_with(".tmp");
            assert!(staged || public_temp, "round {round}: {name} is a staged or temporary file");
        }
    }

    // One run to its end settles what the killed ones left.
    json(&run(dir.path(), &args));
    let known = registered(dir.path());
    let (private, public, hidden) = files(&keys, &known);
    assert_eq!(private, known, "every registered key has its private key file");
    assert_eq!(public, known.len(), "and its public key file");
    assert!(hidden.is_empty(), "nothing staged is left: {hidden:?}");
    let verify = json(&run(dir.path(), &["log", "verify", "--json"]));
    assert_eq!(verify["intact"], true);
    eprintln!(
        "{ROUNDS} runs killed ({ended} had ended first, {staged_left} left a staged file); {} \
         keys registered",
        known.len()
    );
}
