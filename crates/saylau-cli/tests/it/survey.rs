//! `saylau survey`: the interface scripts rely on (`moe --json`, `sigtest --json`), the
//! seed's synthetic file through `table`, raking and bad input rejected with the line and
//! question named.

use crate::command::{json, root, saylau};

#[test]
fn moe_of_the_seed_and_of_the_west() {
    let seed = json(&["survey", "moe", "--n", "1200", "--confidence", "0.99", "--json"]);
    assert!((seed["moe"].as_f64().expect("moe") - 3.7179).abs() < 1e-4, "{seed}");
    let west = json(&["survey", "moe", "--n", "83", "--confidence", "0.95", "--json"]);
    assert!((west["moe"].as_f64().expect("moe") - 10.76).abs() < 5e-3, "{west}");
}

#[test]
fn sigtest_on_a_published_table() {
    let tables: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("data/reference/survey/seed-tables.json"))
            .expect("the seed tables"),
    )
    .expect("JSON");
    let t22 = tables["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|it| it["id"] == "T22")
        .expect("T22");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("t22.json");
    std::fs::write(&path, t22.to_string()).expect("written");
    let tested = json(&["survey", "sigtest", path.to_str().expect("UTF-8 path"), "--json"]);
    let first = &tested["rows"][0];
    assert_eq!(first["label_ru"], "Должны быть активно вовлечены");
    assert_eq!(first["letters"]["active"], "BC");
    assert_eq!(first["letters"]["informed"], "C");
    assert_eq!(first["letters"]["inactive"], "");
}

/// A directory with the seed's synthetic file, written by `saylau survey synthetic`.
fn synthetic_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().to_str().expect("UTF-8 path");
    let written = saylau(&["survey", "synthetic", "--out", out]);
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    dir
}

fn path(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).to_str().expect("UTF-8 path").to_owned()
}

#[test]
fn the_synthetic_file_through_table() {
    let dir = synthetic_dir();
    let (codebook, data) = (&path(&dir, "codebook.toml"), &path(&dir, "synthetic-respondents.csv"));
    let table = json(&[
        "survey",
        "table",
        "--codebook",
        codebook,
        "--data",
        data,
        "--question",
        "when_threshold",
        "--banner",
        "segment",
        "--json",
    ]);
    let bases: Vec<u64> = table["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|it| it["base"].as_u64().expect("base"))
        .collect();
    assert_eq!(bases, [375, 184, 169, 22]);
    assert_eq!(table["columns"][3]["small_base"], true);
    let sav = dir.path().join("synthetic-respondents.sav");
    let from_sav = json(&[
        "survey",
        "table",
        "--codebook",
        codebook,
        "--data",
        sav.to_str().expect("UTF-8"),
        "--question",
        "when_threshold",
        "--banner",
        "segment",
        "--json",
    ]);
    assert_eq!(from_sav, table);
    let html = dir.path().join("table.html");
    let shown = saylau(&[
        "survey",
        "table",
        "--codebook",
        codebook,
        "--data",
        data,
        "--question",
        "actions",
        "--banner",
        "macro_region",
        "--html",
        html.to_str().expect("UTF-8"),
    ]);
    assert!(shown.status.success());
    let page = std::fs::read_to_string(&html).expect("the HTML page");
    assert!(page.contains("SYNTHETIC DATA") && page.contains("<svg"), "{page}");
}

#[test]
fn the_synthetic_file_raked_to_population_shares() {
    let dir = synthetic_dir();
    let (codebook, data) = (&path(&dir, "codebook.toml"), &path(&dir, "synthetic-respondents.csv"));
    let targets = dir.path().join("targets.toml");
    std::fs::write(&targets, "[[margin]]\nquestion = \"macro_region\"\ntargets = { 1 = 10.6, 2 = 6.3, 3 = 15.2, 4 = 37.9, 5 = 15.5, 6 = 7.1, 7 = 7.4 }\n").expect("written");
    let raked = json(&[
        "survey",
        "rake",
        "--codebook",
        codebook,
        "--data",
        data,
        "--targets",
        targets.to_str().expect("UTF-8"),
        "--json",
    ]);
    assert_eq!(raked["converged"], true);
    // Post-stratifying the seed's 7 units to these shares: deff = sum W^2 / s (research note: 1.42).
    let deff = raked["after"]["deff"].as_f64().expect("deff");
    assert!((deff - 1.42).abs() < 0.01, "{deff}");
}

#[test]
fn bad_rows_are_rejected_with_line_and_question() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let codebook = dir.path().join("codebook.toml");
    std::fs::write(&codebook, "[study]\nkey = \"t\"\ntitle = { ru = \"т\", en = \"t\" }\n[[question]]\nkey = \"q\"\nkind = \"single\"\ntext = { ru = \"в\", en = \"q\" }\ncodes = [{ code = 1, label = { ru = \"да\", en = \"yes\" } }]\n[[question]]\nkey = \"b\"\nkind = \"single\"\ntext = { ru = \"б\", en = \"b\" }\ncodes = [{ code = 1, label = { ru = \"а\", en = \"a\" } }, { code = 2, label = { ru = \"б\", en = \"b\" } }]\n").expect("written");
    let data = dir.path().join("data.csv");
    std::fs::write(&data, "id,q,b\nr1,1,1\nr2,3,2\nr3,1,\n").expect("written");
    let output = saylau(&[
        "survey",
        "table",
        "--codebook",
        codebook.to_str().expect("UTF-8"),
        "--data",
        data.to_str().expect("UTF-8"),
        "--question",
        "q",
        "--banner",
        "b",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("data.csv:3: q: \"3\" is not a code of q in the codebook (rule R-2)"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("counted in Total only"), "{stdout}");
    assert!(stdout.contains("column 2 (b) has no respondents"), "{stdout}");
}
