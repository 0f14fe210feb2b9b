//! `saylau funding`: the 2021 subsidies reproduce the seed's published amounts exactly, the
//! JSON contract holds, and what-ifs (the seed's 1 %, a 3 % qualification, conditional
//! shares) are computed in whole tenge.

use serde_json::Value;

use crate::command::{json, saylau};

/// `(id, amount)` of every party of a funding report.
fn amounts(report: &Value) -> Vec<(String, u64)> {
    let parties = report["parties"].as_array().expect("parties is an array");
    parties
        .iter()
        .map(|party| {
            let id = party["id"].as_str().expect("a party has an id").to_owned();
            (id, party["amount"].as_u64().expect("amount is an integer in KZT"))
        })
        .collect()
}

fn check(report: &Value, expect: &[(&str, u64)]) {
    let expect: Vec<(String, u64)> =
        expect.iter().map(|(id, amount)| ((*id).to_owned(), *amount)).collect();
    assert_eq!(amounts(report), expect);
}

#[test]
fn the_2021_subsidies_are_reproduced_exactly() {
    let report = json(&["funding", "data/kz/funding-2021.toml", "--json"]);
    check(
        &report,
        &[
            ("nur-otan", 6_563_794_350),
            ("ak-zhol", 1_010_855_700),
            ("peoples-party", 840_249_225),
            ("auyl", 0),
            ("adal", 0),
        ],
    );
    assert_eq!(report["per_vote"]["exact"], "1275");
    assert_eq!(report["rate"], "3%");
    assert_eq!(report["total"], 8_414_899_275_u64);
    // Nur Otan takes 78 % of all subsidies.
    assert_eq!(report["parties"][0]["share"]["decimal"], "78.00");
    let matches: Vec<&Value> = report["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .map(|it| &it["matches_published"])
        .collect();
    assert_eq!(
        matches,
        [&Value::Bool(true), &Value::Bool(true), &Value::Bool(true), &Value::Null, &Value::Null]
    );
    // The seed's cited 1 % is shown beside: a third of each amount.
    assert_eq!(report["parties"][0]["at_compare_rates"][0]["amount"], 2_187_931_450_u64);
    assert_eq!(report["compare_rates"][0]["per_vote"]["exact"], "425");
    assert_eq!(report["campaign"][0]["per_candidate"], 220_000);
    assert_eq!(report["campaign"][1]["per_candidate"], 230_000);
}

#[test]
fn a_three_percent_qualification_funds_parties_without_seats() {
    let report = json(&[
        "funding",
        "data/kz/funding-2021.toml",
        "--set",
        "rules.qualification=threshold",
        "--set",
        "rules.threshold=3%",
        "--json",
    ]);
    check(
        &report,
        &[
            ("nur-otan", 6_563_794_350),
            ("ak-zhol", 1_010_855_700),
            ("peoples-party", 840_249_225),
            ("auyl", 488_354_325),
            ("adal", 329_737_950),
        ],
    );
}

#[test]
fn conditional_shares_are_withheld_in_whole_tenge() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("conditional.toml");
    let text = "[funding]\nname = \"conditional\"\n\
                [rules]\nminimum_wage = 42500\nrate = \"1.5%\"\n\
                [[conditions]]\nid = \"women\"\nshare = \"10%\"\ndescription = \"a third of the list are women\"\n\
                [[conditions]]\nid = \"youth\"\nshare = \"5%\"\ndescription = \"a fifth of the list are under 29\"\n\
                [[parties]]\nid = \"a\"\nvotes = 101\nseats = 1\nmeets = [\"women\", \"youth\"]\n\
                [[parties]]\nid = \"b\"\nvotes = 101\nseats = 1\nmeets = [\"women\"]\n";
    std::fs::write(&path, text).expect("writing the funding file");
    let path = path.to_str().expect("a UTF-8 path");
    let report = json(&["funding", path, "--json"]);
    // 101 votes at 637.5 KZT = 64,387.5; without youth, 95 % = 61,168.125: rounded down.
    check(&report, &[("a", 64_387), ("b", 61_168)]);
    assert_eq!(report["parties"][1]["withheld"], 3_219);
    let output = saylau(&["funding", path]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("61,168 (3,219 withheld)"), "{text}");
}

#[test]
fn terminal_view_shows_votes_rate_amount_and_share() {
    let output = saylau(&["funding", "data/kz/funding-2021.toml"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    insta::assert_snapshot!("funding_2021", String::from_utf8_lossy(&output.stdout));
}
