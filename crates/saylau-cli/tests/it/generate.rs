//! `saylau generate`: the synthetic country's files, their labels and their reproducibility.

use std::path::Path;
use std::process::Command;

use insta_cmd::get_cargo_bin;
use saylau_formats::read_protocols;
use serde_json::Value;

/// Runs `saylau generate` into `out` with `extra` options and returns its JSON summary.
fn generate(out: &Path, extra: &[&str]) -> Value {
    let out_text = out.display().to_string();
    let mut args = vec!["generate", "--out", out_text.as_str(), "--json"];
    args.extend_from_slice(extra);
    let output = Command::new(get_cargo_bin("saylau")).args(&args).output().expect("saylau runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "no progress bar with --json");
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

fn bytes(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).expect("the file was written")
}

#[test]
fn writes_labelled_files_with_the_official_totals() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let options =
        ["--seed", "3", "--stations", "300", "--anomalies", "0.1", "--observer-sample", "40"];
    let summary = generate(dir.path(), &options);
    assert_eq!(summary["synthetic"], true);
    assert_eq!(summary["stations"], 300);
    assert_eq!(summary["voters_on_roll"], 11_919_241);
    assert_eq!(summary["participants"], 7_539_280);
    assert_eq!(summary["invalid"], 297_718);
    assert_eq!(summary["list_votes"][0], serde_json::json!({"id": "nur-otan", "votes": 5_148_074}));
    assert_eq!(summary["manipulated"], 30);
    assert_eq!(summary["observer_copies"], 40);
    for name in [
        "protocols.csv",
        "observer-copies.csv",
        "ground-truth.csv",
        "stations.csv",
        "observer-incidents.csv",
        "commissions.csv",
    ] {
        let text = String::from_utf8(bytes(dir.path(), name)).expect("UTF-8");
        assert!(
            text.contains("SYNTHETIC DATA, NOT REAL ELECTION RESULTS"),
            "{name} says it is synthetic"
        );
    }
    let published = read_protocols(&dir.path().join("protocols.csv")).expect("a good file");
    assert_eq!((published.protocols.len(), published.rejected.len()), (300, 0));
    let observed = read_protocols(&dir.path().join("observer-copies.csv")).expect("a good file");
    assert_eq!((observed.protocols.len(), observed.rejected.len()), (40, 0));
    let truth = String::from_utf8(bytes(dir.path(), "ground-truth.csv")).expect("UTF-8");
    assert!(truth.contains("\nstation,manipulated,added_ballots,beneficiary,observed\n"));
    let field = |line: &str, idx: usize| line.split(',').nth(idx).map(str::to_owned);
    let rows: Vec<&str> = truth.lines().filter(|line| !line.starts_with('#')).skip(1).collect();
    assert_eq!(rows.len(), 300);
    let count =
        |idx: usize| rows.iter().filter(|row| field(row, idx).as_deref() == Some("true")).count();
    assert_eq!((count(1), count(4)), (30, 40), "manipulated and observed stations");
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let first = tempfile::tempdir().expect("a temporary directory");
    let second = tempfile::tempdir().expect("a temporary directory");
    let options =
        ["--seed", "11", "--stations", "500", "--anomalies", "0.05", "--observer-sample", "25"];
    generate(first.path(), &options);
    generate(second.path(), &options);
    for name in [
        "protocols.csv",
        "observer-copies.csv",
        "ground-truth.csv",
        "stations.csv",
        "observer-incidents.csv",
        "commissions.csv",
    ] {
        assert_eq!(bytes(first.path(), name), bytes(second.path(), name), "{name}");
    }
}

#[test]
fn bad_options_are_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().display().to_string();
    let output = Command::new(get_cargo_bin("saylau"))
        .args(["generate", "--seed", "1", "--out", &out, "--anomalies", "0.7"])
        .output()
        .expect("saylau runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: the anomaly share must be between 0 and 0.5, not 0.7\n"
    );
}
