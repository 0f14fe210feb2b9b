//! Protocol format v2 through `saylau import`: a synthetic country with stuffed stations
//! is imported whole (flags keep the protocol), `P-9` flags exactly the stuffed stations
//! of the ground truth, and `--late-count-minutes` moves the `P-14` flags.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::command::saylau;

fn ok(args: &[&str]) -> Value {
    let output = saylau(args);
    assert!(
        output.status.success(),
        "saylau {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

/// The stations flagged by `rule` in an import's JSON.
fn flagged(imported: &Value, rule: &str) -> BTreeSet<String> {
    let flags = imported["flags"].as_array().map(Vec::as_slice).unwrap_or_default();
    flags
        .iter()
        .filter(|flag| flag["rule"] == rule)
        .map(|flag| flag["station"].as_str().expect("a station").to_owned())
        .collect()
}

/// The stations the ground truth says were stuffed.
fn stuffed(country: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(country.join("ground-truth.csv")).expect("ground truth");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("station,"))
        .filter(|line| line.split(',').nth(1) == Some("true"))
        .map(|line| line.split(',').next().expect("a station").to_owned())
        .collect()
}

#[test]
fn stuffed_stations_are_flagged_and_kept() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let country = dir.path().join("country");
    let out = country.display().to_string();
    ok(&[
        "generate",
        "--seed",
        "5",
        "--stations",
        "800",
        "--anomalies",
        "0.05",
        "--out",
        &out,
        "--json",
    ]);
    let protocols = country.join("protocols.csv").display().to_string();
    let keys = dir.path().join("keys").display().to_string();
    let run = |db: &str, late: &str| {
        let db = dir.path().join(db).display().to_string();
        ok(&["--db", &db, "db", "init", "--json"]);
        let key =
            ok(&["--db", &db, "keys", "new", "--commission", "CEC", "--out", &keys, "--json"]);
        let key = key["private_key"].as_str().expect("a key path").to_owned();
        ok(&[
            "--db",
            &db,
            "import",
            &protocols,
            "--key",
            &key,
            "--late-count-minutes",
            late,
            "--json",
        ])
    };
    let imported = run("a.sqlite", "60");
    assert_eq!(imported["counts"]["accepted"], 800, "flagged protocols are kept");
    let truth = stuffed(&country);
    assert_eq!(truth.len(), 40);
    assert_eq!(flagged(&imported, "P-9"), truth);
    let late = flagged(&imported, "P-14");
    assert!(!late.is_empty() && late.is_subset(&truth), "{late:?}");
    // Stuffed stations start 40 to 130 minutes after the close: none past 130.
    let lenient = run("b.sqlite", "130");
    assert!(flagged(&lenient, "P-14").is_empty());
    assert_eq!(flagged(&lenient, "P-9"), truth);
}
