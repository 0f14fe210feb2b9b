//! `saylau finance check` on the bundled sample ledgers: the law and the proposal side by
//! side, every finding with its line and article, scenario values marked, and exit codes.

use serde_json::Value;

use crate::command::{json, saylau};

/// `code: verdict findings` per rule set, in the side-by-side order.
fn side_by_side(res: &Value) -> Vec<String> {
    res["side_by_side"]
        .as_array()
        .expect("side_by_side is an array")
        .iter()
        .map(|row| {
            let cells: Vec<String> = row["outcomes"]
                .as_array()
                .expect("outcomes is an array")
                .iter()
                .map(|cell| match cell {
                    Value::Null => "-".to_owned(),
                    cell => {
                        format!("{}/{}", cell["verdict"].as_str().unwrap_or("?"), cell["findings"])
                    }
                })
                .collect();
            format!("{} {}", row["code"].as_str().unwrap_or("?"), cells.join(" "))
        })
        .collect()
}

#[test]
fn akim_campaign_under_law_and_proposal() {
    let res =
        json(&["finance", "check", "data/kz/examples/finance-ledger-akim-synthetic.csv", "--json"]);
    let ids: Vec<&str> = res["rule_sets"]
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|set| set["rules_id"].as_str())
        .collect();
    assert_eq!(ids, ["law-2021-akim", "proposal-akim-rec19"]);
    assert_eq!(
        side_by_side(&res),
        [
            "CF-1 breached/8 holds/0",
            "CF-2 - breached/1",
            "CF-3 - breached/1",
            "CF-4 - breached/1",
            "CF-5 breached/3 holds/0",
            "CF-7 - breached/3",
        ]
    );
    let law = &res["rule_sets"][0];
    assert_eq!(law["totals"]["income_total"], 730_000);
    assert_eq!(law["outcomes"][1]["findings"][0]["line"], 15);
    assert!(law["outcomes"][1]["rule"]["article"].as_str().unwrap_or_default().contains("220,000"));
    let cap = &res["rule_sets"][1]["outcomes"][1];
    assert_eq!((cap["code"].as_str(), cap["rule"]["max"].as_u64()), (Some("CF-2"), Some(85_000)));
    assert!(cap["rule"]["scenario"].as_str().unwrap_or_default().contains("no amount"));
}

#[test]
fn party_rules_by_id_and_the_terminal_view() {
    let out = saylau(&[
        "finance",
        "check",
        "data/kz/examples/finance-ledger-party-synthetic.csv",
        "--scope",
        "party",
        "--rules",
        "law-2021",
        "--rules",
        "proposal-party-rec16-23",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("law-2021-party"), "{text}");
    assert!(text.contains("sets no limit"), "{text}");
    assert!(
        text.contains("✗ line 8, 2020-11-20: admitted on 2020-11-20, audited only on 2020-12-15"),
        "{text}"
    );
    assert!(text.contains("Recommendation 23"), "{text}");
    assert!(text.contains("scenario parameter: The seed gives no amount"), "{text}");
}

#[test]
fn bad_ledgers_and_rules_are_rejected() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let ledger = dir.path().join("bad.csv");
    std::fs::write(&ledger, "date,kind,amount_kzt\n2021-07-01,donation,100\n").expect("written");
    let out = saylau(&["finance", "check", ledger.to_str().expect("UTF-8"), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:2: entries[0].donor_type") && err.contains("E-4"), "{err}");
    let out = saylau(&[
        "finance",
        "check",
        "data/kz/examples/finance-ledger-akim-synthetic.csv",
        "--rules",
        "no-such-rules.toml",
    ]);
    assert_eq!(out.status.code(), Some(1));
}
