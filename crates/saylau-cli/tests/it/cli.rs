//! Tests of the built `saylau` binary on the bundled data: JSON contracts, terminal
//! views, exit codes and diagnostics.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn saylau(args: &[&str]) -> Output {
    Command::new(get_cargo_bin("saylau"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("saylau runs")
}

fn json(args: &[&str]) -> Value {
    let output = saylau(args);
    assert!(
        output.status.success(),
        "saylau {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

/// `(id, seats)` of every list in a report.
fn seats(report: &Value) -> Vec<(String, u64)> {
    let lists = report["lists"].as_array().expect("lists is an array");
    lists
        .iter()
        .map(|list| {
            let id = list["id"].as_str().expect("a list has an id").to_owned();
            (id, list["seats"].as_u64().expect("seats is a number"))
        })
        .collect()
}

fn check_seats(report: &Value, expect: &[(&str, u64)]) {
    let expect: Vec<(String, u64)> =
        expect.iter().map(|(id, seats)| ((*id).to_owned(), *seats)).collect();
    assert_eq!(seats(report), expect);
}

#[test]
fn allocate_json_keeps_the_contract() {
    let report = json(&["allocate", "data/kz/mazhilis-2021.toml", "--json"]);
    check_seats(
        &report,
        &[("nur-otan", 76), ("ak-zhol", 12), ("peoples-party", 10), ("auyl", 0), ("adal", 0)],
    );
    let first = &report["lists"][0];
    assert_eq!(first["votes"], 5_148_074);
    assert_eq!(first["qualified"], true);
    assert_eq!(report["lists"][3]["qualified"], false);
    assert_eq!(report["quota"]["value"]["exact"], "6599921/98");
    assert_eq!(report["quota"]["value"]["decimal"], "67346.1327");
    assert_eq!(report["remainders"][0]["id"], "peoples-party");
    assert_eq!(report["threshold"]["min_whole_votes"], 506_910);
    assert_eq!(report["indices"]["effective_parties_seats"]["exact"], "343/215");
}

#[test]
fn set_overrides_a_field_for_a_what_if() {
    let literal = json(&[
        "allocate",
        "data/kz/mazhilis-2004.toml",
        "--set",
        "rules.threshold_base=participants",
        "--json",
    ]);
    let seated: Vec<(String, u64)> =
        seats(&literal).into_iter().filter(|(_, seats)| *seats > 0).collect();
    assert_eq!(seated, [("otan".to_owned(), 7), ("ak-zhol".to_owned(), 2), ("asar".to_owned(), 1)]);
}

#[test]
fn compare_prints_the_law_and_each_variant() {
    let comparison = json(&[
        "compare",
        "data/kz/mazhilis-2021.toml",
        "--set",
        "rules.threshold=5%",
        "--set",
        "rules.threshold=3%",
        "--json",
    ]);
    let variants = comparison["variants"].as_array().expect("variants is an array");
    let labels: Vec<&str> =
        variants.iter().filter_map(|variant| variant["label"].as_str()).collect();
    assert_eq!(labels, ["law", "threshold=5%", "threshold=3%"]);
    let by_seats =
        |variant: &Value| seats(variant).into_iter().map(|(_, seats)| seats).collect::<Vec<_>>();
    assert_eq!(by_seats(&variants[0]), [76, 12, 10, 0, 0]);
    assert_eq!(by_seats(&variants[1]), [72, 11, 9, 6, 0]);
    assert_eq!(by_seats(&variants[2]), [70, 11, 9, 5, 3]);
    assert!(variants[2]["indices"]["gallagher"]["decimal"].is_string());
}

#[test]
fn terminal_view_explains_the_allocation() {
    let output = saylau(&["allocate", "data/kz/mazhilis-2021.toml"]);
    assert!(output.status.success());
    insta::assert_snapshot!("allocate_mazhilis_2021", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn divisor_view_lists_every_seat_on_request() {
    let output = saylau(&[
        "allocate",
        "data/kz/mazhilis-2021.toml",
        "--set",
        "rules.method=dhondt",
        "--seats",
    ]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("D'Hondt"), "{text}");
    // Seat 98 of D'Hondt goes to Nur Otan at 5148074 / 77.
    assert!(text.contains("66,858.1039"), "{text}");
}

#[test]
fn bad_input_is_rejected_with_file_line_field_and_rule() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bad.toml");
    let bad = "[election]\nname = \"x\"\nseats = 0\n[rules]\nmethod = \"dhondt\"\nthreshold = 0.05\n\
               [[lists]]\nid = \"a\"\nvotes = -3\n[[lists]]\nid = \"a\"\nvotes = 5\n";
    std::fs::write(&path, bad).expect("writing the bad file");
    let output = saylau(&["allocate", path.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr =
        String::from_utf8_lossy(&output.stderr).replace(&path.display().to_string(), "bad.toml");
    insta::assert_snapshot!("rejected_bad_file", stderr);
}

#[test]
fn bad_override_is_rejected() {
    let output = saylau(&[
        "allocate",
        "data/kz/mazhilis-2021.toml",
        "--set",
        "rules.threshold=5",
        "--set",
        "nonsense.key=1",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--set rules.threshold"), "{stderr}");
    assert!(stderr.lines().count() >= 2, "both problems are reported: {stderr}");
}

#[test]
fn a_tie_is_broken_by_a_printed_reproducible_lot() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("tie.toml");
    let tie = "[election]\nname = \"tie\"\nseats = 1\n[rules]\nmethod = \"largest-remainder\"\n\
               quota = \"hare\"\nties = \"lot\"\nlot_seed = \"kz-2021\"\n\
               [[lists]]\nid = \"a\"\nvotes = 100\n[[lists]]\nid = \"b\"\nvotes = 100\n";
    std::fs::write(&path, tie).expect("writing the tie file");
    let path = path.to_str().expect("a UTF-8 path");
    let report = json(&["allocate", path, "--json"]);
    // docs/lot.md: the seed "kz-2021/tie-1" over two items draws [1, 0], so b wins.
    check_seats(&report, &[("a", 0), ("b", 1)]);
    assert_eq!(report["ties"][0]["lot_seed"], "kz-2021/tie-1");
    assert_eq!(report["ties"][0]["decided_by"], "lot");
    let text = String::from_utf8_lossy(&saylau(&["allocate", path]).stdout).into_owned();
    assert!(text.contains("lot seed \"kz-2021/tie-1\", drawn order b, a"), "{text}");
    let votes_rule = json(&["allocate", path, "--set", "rules.ties=registration", "--json"]);
    check_seats(&votes_rule, &[("a", 1), ("b", 0)]);
}

#[test]
fn demo_runs_on_bundled_data() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = dir.path().join("demo.sqlite");
    let store = store.to_str().expect("a UTF-8 path");
    let output = saylau(&["demo", "--store", store, "--stations", "500"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("MODELLED SCENARIO"), "the observer scenario is labelled: {text}");
    assert!(text.contains("SYNTHETIC DATA: 500 modelled polling stations"), "{text}");
    let demo = json(&["demo", "--json", "--store", store, "--stations", "500"]);
    let law = &demo["mazhilis_2021"]["variants"][0];
    assert_eq!(seats(law).iter().map(|(_, seats)| *seats).collect::<Vec<_>>(), [76, 12, 10, 0, 0]);
    let imported = &demo["protocol_store"];
    assert_eq!(
        (imported["stations"].as_u64(), imported["intact"].as_bool()),
        (Some(500), Some(true))
    );
    let national = &imported["national"];
    assert_eq!(
        seats(national).iter().map(|(_, seats)| *seats).collect::<Vec<_>>(),
        [76, 12, 10, 0, 0]
    );
}

#[test]
fn compare_draws_a_chart() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let svg = dir.path().join("chart.svg");
    let svg_arg = svg.to_str().expect("a UTF-8 path");
    let args = [
        "compare",
        "data/kz/mazhilis-2021.toml",
        "--set",
        "rules.threshold=3%",
        "--chart",
        svg_arg,
    ];
    let output = saylau(&args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = std::fs::read_to_string(&svg).expect("the chart was written");
    // 98 seats in each of the two hemicycles, and a legend dot per seated list (3 + 5).
    assert_eq!(text.matches("<circle").count(), 98 * 2 + 3 + 5);
    assert!(text.contains("threshold=3%"));
    let bad = saylau(&["allocate", "data/kz/mazhilis-2021.toml", "--chart", "chart.gif"]);
    assert_eq!(bad.status.code(), Some(2));
}
