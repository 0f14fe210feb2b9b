//! What several command tests set up the same way: running `saylau --db DB` and reading its
//! JSON or its refusal, a generated country imported into a store with a CEC key, protocol
//! files cut down to some stations, and a quick count's plan and draw.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::command::{json, saylau};

/// A path as an argument.
pub(crate) fn arg(path: &Path) -> String {
    path.display().to_string()
}

/// Runs `saylau --db DB args`.
pub(crate) fn run(db: &str, args: &[&str]) -> Output {
    let mut all = vec!["--db", db];
    all.extend_from_slice(args);
    saylau(&all)
}

/// Runs `saylau --db DB args`, which must succeed, and reads its JSON.
pub(crate) fn ok(db: &str, args: &[&str]) -> Value {
    let output = run(db, args);
    assert!(
        output.status.success(),
        "saylau {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

/// Runs `saylau --db DB args`, which must exit 1 naming `rule`; returns its stdout and
/// stderr.
pub(crate) fn refused(db: &str, args: &[&str], rule: &str) -> (String, String) {
    let output = run(db, args);
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    );
    assert_eq!(output.status.code(), Some(1), "saylau {args:?} exits 1: {out}{err}");
    assert!(format!("{out}{err}").contains(rule), "saylau {args:?} names {rule}: {out}{err}");
    (out, err)
}

/// The private key's path of `keys new --json`.
pub(crate) fn private_key(value: &Value) -> String {
    value["private_key"].as_str().expect("a key path").to_owned()
}

/// The rows of protocol file `from` whose station is in `stations`, as a protocol file.
pub(crate) fn keep_rows(from: &Path, stations: &[String]) -> String {
    let text = std::fs::read_to_string(from).expect("a protocol file");
    let mut header_seen = false;
    let mut res = String::new();
    for line in text.lines() {
        let keep = if line.starts_with('#') || !header_seen {
            header_seen |= !line.starts_with('#');
            true
        } else {
            stations.iter().any(|station| line.split(',').next() == Some(station.as_str()))
        };
        if keep {
            res.push_str(line);
            res.push('\n');
        }
    }
    res
}

/// `saylau generate --seed SEED --stations N --anomalies A --observer-sample S --out OUT`.
pub(crate) fn generate(seed: &str, stations: &str, anomalies: &str, sample: &str, out: &Path) {
    let out = arg(out);
    json(&[
        "generate",
        "--seed",
        seed,
        "--stations",
        stations,
        "--anomalies",
        anomalies,
        "--observer-sample",
        sample,
        "--out",
        &out,
        "--json",
    ]);
}

/// A store with a CEC key and the official protocols of a generated country imported.
pub(crate) struct Imported {
    /// The generated country's folder.
    pub(crate) country: PathBuf,
    /// The folder of the keys.
    pub(crate) keys: String,
    /// The CEC's private key.
    pub(crate) cec: String,
}

/// The observers' scenario of the incident and reconciliation tests: a country of 1,500
/// stations (seed 21, 5 % stuffed, 300 observed) in `dir/country`, imported into a new
/// store `db` signed by a new CEC key in `dir/keys`.
pub(crate) fn observed_country(db: &str, dir: &Path) -> Imported {
    let country = dir.join("country");
    generate("21", "1500", "0.05", "300", &country);
    let keys = arg(&dir.join("keys"));
    ok(db, &["db", "init", "--json"]);
    let cec =
        private_key(&ok(db, &["keys", "new", "--commission", "CEC", "--out", &keys, "--json"]));
    let protocols = arg(&country.join("protocols.csv"));
    ok(db, &["import", &protocols, "--key", &cec, "--json"]);
    Imported { country, keys, cec }
}

/// A quick count's design: its plan from a frame and a past election, and its draw.
pub(crate) struct QuickCount<'a> {
    /// The frame of stations.
    pub(crate) frame: &'a Path,
    /// The past election's protocols.
    pub(crate) past: &'a Path,
    /// `--strata`, or the default.
    pub(crate) strata: Option<&'a str>,
    /// `--size`.
    pub(crate) size: &'a str,
    /// The seed of the draw.
    pub(crate) seed: &'a str,
    /// Where `plan.toml` and `draw.toml` are written.
    pub(crate) dir: &'a Path,
}

impl QuickCount<'_> {
    /// Runs `pvt plan` and `pvt draw`; returns their JSON.
    pub(crate) fn plan_and_draw(&self) -> (Value, Value) {
        let (frame, plan) = (arg(self.frame), arg(&self.dir.join("plan.toml")));
        let mut args = vec!["pvt", "plan", "--frame", &frame];
        let past = arg(self.past);
        args.extend(["--past", &past]);
        if let Some(strata) = self.strata {
            args.extend(["--strata", strata]);
        }
        args.extend(["--size", self.size, "--out", &plan, "--json"]);
        let planned = json(&args);
        let draw = arg(&self.dir.join("draw.toml"));
        let drawn = json(&[
            "pvt", "draw", &plan, "--frame", &frame, "--seed", self.seed, "--out", &draw, "--json",
        ]);
        (planned, drawn)
    }
}

/// The stations of a draw's sample.
pub(crate) fn sampled(draw: &Value) -> Vec<String> {
    let sample = draw["sample"].as_array().expect("a sample");
    sample.iter().map(|it| it["station"].as_str().expect("an id").to_owned()).collect()
}
