//! `saylau lot`: the published test vectors of docs/lot.md through the binary, verifying a
//! published draw, and stratified commission draws that meet their strata exactly.

use serde_json::Value;

use crate::command::{json, saylau};

/// The draw order of `n` items named `0`, `1`, ... under `seed`, as positions.
fn positions(seed: &str, n: usize) -> Vec<u64> {
    let items: Vec<String> = (0..n).map(|idx| idx.to_string()).collect();
    let report = json(&["lot", "draw", "--seed", seed, "--items", &items.join(","), "--json"]);
    assert_eq!(report["algorithm"], "saylau-lot-v1");
    let order: Vec<String> = report["order"]
        .as_array()
        .expect("order is an array")
        .iter()
        .map(|it| it.as_str().expect("a name").to_owned())
        .collect();
    let positions: Vec<u64> = report["positions"]
        .as_array()
        .expect("positions is an array")
        .iter()
        .map(|it| it.as_u64().expect("a position"))
        .collect();
    let named: Vec<String> = positions.iter().map(u64::to_string).collect();
    assert_eq!(order, named, "items named by their position");
    positions
}

#[test]
fn draws_match_the_published_vectors() {
    let vectors: &[(&str, usize, &[u64])] = &[
        ("saylau", 10, &[9, 8, 1, 5, 7, 4, 3, 2, 6, 0]),
        ("2021-01-10/mazhilis/ballot-order", 5, &[3, 1, 0, 4, 2]),
        ("kz-2021/tie-1", 2, &[1, 0]),
        ("Қазақстан", 7, &[0, 4, 6, 1, 5, 3, 2]),
        (
            "commission-draw-2026",
            20,
            &[13, 5, 3, 16, 15, 8, 7, 12, 9, 18, 4, 17, 19, 14, 10, 2, 6, 11, 0, 1],
        ),
    ];
    for (seed, n, expect) in vectors {
        assert_eq!(positions(seed, *n), *expect, "seed {seed:?}");
    }
}

#[test]
fn items_come_from_a_file_and_count_takes_the_first() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("parties.txt");
    std::fs::write(&path, "nur-otan\nak-zhol\n\npeoples-party\nauyl\nadal\n")
        .expect("writing items");
    let path = path.to_str().expect("a UTF-8 path");
    let seed = "2021-01-10/mazhilis/ballot-order";
    let report = json(&["lot", "draw", "--seed", seed, "--items", path, "--count", "2", "--json"]);
    // docs/lot.md: this seed over 5 items draws 3, 1, 0, 4, 2.
    assert_eq!(report["order"], serde_json::json!(["auyl", "ak-zhol"]));
    let same = json(&["lot", "draw", "--seed", seed, "--items", path, "--count", "2", "--json"]);
    assert_eq!(same, report, "the same seed gives the same draw");
    let too_many = saylau(&["lot", "draw", "--seed", seed, "--items", "a,b", "--count", "3"]);
    assert_eq!(too_many.status.code(), Some(2));
}

/// Writes a `[lot]` file claiming `order` and verifies it.
fn verify(order: &str) -> (Option<i32>, Value) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("draw.toml");
    let text = format!(
        "[lot]\nname = \"ballot order\"\nseed = \"2021-01-10/mazhilis/ballot-order\"\n\
         items = [\"nur-otan\", \"ak-zhol\", \"peoples-party\", \"auyl\", \"adal\"]\norder = {order}\n"
    );
    std::fs::write(&path, text).expect("writing the draw");
    let output = saylau(&["lot", "verify", path.to_str().expect("a UTF-8 path"), "--json"]);
    let report = serde_json::from_slice(&output.stdout).expect("--json prints JSON");
    (output.status.code(), report)
}

#[test]
fn verify_recomputes_a_published_draw() {
    let (code, report) = verify(r#"["auyl", "ak-zhol", "nur-otan", "adal", "peoples-party"]"#);
    assert_eq!((code, report["matches"].clone()), (Some(0), Value::Bool(true)));
    let (code, report) = verify(r#"["auyl", "ak-zhol"]"#);
    assert_eq!(code, Some(0), "a claim of the first items only is checked as far as it goes");
    assert_eq!(report["computed"], serde_json::json!(["auyl", "ak-zhol"]));
    let (code, report) = verify(r#"["auyl", "ak-zhol", "adal"]"#);
    assert_eq!(code, Some(1), "a draw that differs exits 1");
    assert_eq!(
        report["first_difference"],
        serde_json::json!({"position": 3, "claimed": "adal", "computed": "nur-otan"})
    );
}

/// A commission file: two commissions, lawyers, women and men.
const COMMISSIONS: &str = "[commission]\nname = \"PECs\"\nseed = \"commission-draw-2026\"\n\
    commissions = [\"pec-1\", \"pec-2\"]\n\
    [[strata]]\nid = \"lawyers\"\nseats = 1\npool = [\"L0\", \"L1\", \"L2\"]\n\
    [[strata]]\nid = \"women\"\nseats = 2\npool = [\"W0\", \"W1\", \"W2\", \"W3\", \"W4\"]\n\
    [[strata]]\nid = \"men\"\nseats = 2\npool = [\"M0\", \"M1\", \"M2\", \"M3\"]\n";

#[test]
fn a_stratified_draw_meets_its_strata_exactly_and_is_reproducible() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("commission.toml");
    std::fs::write(&path, COMMISSIONS).expect("writing the commission file");
    let path = path.to_str().expect("a UTF-8 path");
    let report = json(&["lot", "commission", path, "--json"]);
    let members = |idx: usize| -> Vec<(String, String)> {
        report["commissions"][idx]["members"]
            .as_array()
            .expect("members is an array")
            .iter()
            .map(|it| {
                let text = |key: &str| it[key].as_str().expect("a string").to_owned();
                (text("name"), text("stratum"))
            })
            .collect()
    };
    for idx in 0..2 {
        let strata: Vec<String> = members(idx).into_iter().map(|(_, stratum)| stratum).collect();
        assert_eq!(strata, ["lawyers", "women", "women", "men", "men"]);
    }
    // docs/lot.md, "Stratified draws": the published vector.
    let names = |idx: usize| members(idx).into_iter().map(|(name, _)| name).collect::<Vec<_>>();
    assert_eq!(names(0), ["L0", "W3", "W0", "M1", "M2"]);
    assert_eq!(names(1), ["L2", "W4", "W2", "M3", "M0"]);
    assert_eq!(report["strata"][0]["seed"], "commission-draw-2026/stratum-lawyers");
    assert_eq!(report["strata"][1]["reserves"], serde_json::json!(["W1"]));
    assert_eq!(json(&["lot", "commission", path, "--json"]), report, "same seed, same draw");
}

#[test]
fn too_few_volunteers_are_rejected() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("commission.toml");
    std::fs::write(
        &path,
        COMMISSIONS.replace("seats = 2\npool = [\"M0\"", "seats = 3\npool = [\"M0\""),
    )
    .expect("writing the commission file");
    let output = saylau(&["lot", "commission", path.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("4 on the list for 6 seats (3 in each of 2 commissions) (rule E-39)"),
        "{stderr}"
    );
}
