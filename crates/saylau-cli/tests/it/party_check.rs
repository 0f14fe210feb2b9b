//! `saylau party-check` on the synthetic memberships: regimes satisfied or failed, with
//! the regions short of members.

use serde_json::Value;

use crate::command::{json, saylau};

fn outcomes(report: &Value) -> Vec<String> {
    let regimes = report["regimes"].as_array().expect("regimes is an array");
    regimes
        .iter()
        .map(|regime| {
            format!(
                "{} {}",
                regime["regime"].as_str().unwrap_or_default(),
                regime["outcome"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn a_party_of_twenty_thousand_short_in_two_regions() {
    let report =
        json(&["party-check", "data/kz/examples/party-membership-synthetic.toml", "--json"]);
    assert_eq!(report["members"], 20_690);
    assert_eq!(report["region_set"], "14+3");
    assert_eq!(
        outcomes(&report),
        [
            "law-2002 not-satisfied",
            "law-2009 not-satisfied",
            "law-2020 not-satisfied",
            "law-2023 satisfied",
            "proposed-1000 satisfied",
            "proposed-3000 satisfied",
        ]
    );
    let law_2020 = &report["regimes"][2]["conditions"];
    let short: Vec<(&str, u64)> = law_2020[1]["short_regions"]
        .as_array()
        .expect("short_regions is an array")
        .iter()
        .map(|region| {
            (
                region["id"].as_str().unwrap_or_default(),
                region["missing"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(short, [("mangystau", 60), ("north-kazakhstan", 20)]);
    assert_eq!(law_2020[5]["condition"], "congress-regions");
    assert_eq!(law_2020[5]["found"], "11 regions");
    assert_eq!(law_2020[5]["met"], false);
}

#[test]
fn a_city_party_meets_only_the_smallest_proposal() {
    let report =
        json(&["party-check", "data/kz/examples/party-membership-cities-synthetic.toml", "--json"]);
    assert_eq!(report["region_set"], "17+3");
    let satisfied: Vec<String> = outcomes(&report)
        .into_iter()
        .filter(|line| line.ends_with(" satisfied") && !line.contains("not-"))
        .collect();
    assert_eq!(satisfied, ["proposed-1000 satisfied"]);
    let output =
        saylau(&["party-check", "data/kz/examples/party-membership-cities-synthetic.toml"]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("✗ not satisfied"));
}
