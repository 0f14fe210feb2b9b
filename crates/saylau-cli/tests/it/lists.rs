//! `saylau lists` on the 2021 summary and the synthetic lists: quotas met, failed or
//! undetermined, women's shares, seats by choice and in list order.

use serde_json::Value;

use crate::command::{json, saylau};

/// `list: outcome per quota` for every list.
fn outcomes(report: &Value) -> Vec<String> {
    let lists = report["lists"].as_array().expect("lists is an array");
    lists
        .iter()
        .map(|list| {
            let quotas: Vec<&str> = list["quotas"]
                .as_array()
                .expect("quotas is an array")
                .iter()
                .filter_map(|check| check["outcome"].as_str())
                .collect();
            format!("{}: {}", list["id"].as_str().unwrap_or_default(), quotas.join(" "))
        })
        .collect()
}

#[test]
fn the_2021_lists_are_undetermined_where_ages_are_unknown() {
    let report = json(&["lists", "data/kz/lists-2021-summary.toml", "--json"]);
    assert_eq!(
        outcomes(&report),
        [
            "nur-otan: undetermined undetermined undetermined",
            "peoples-party: undetermined undetermined undetermined",
            "ak-zhol: met met undetermined",
            "auyl: undetermined undetermined undetermined",
            "adal: undetermined undetermined undetermined",
        ]
    );
    let nur_otan = &report["lists"][0];
    assert_eq!(
        (&nur_otan["women"]["min"], &nur_otan["women"]["max"]),
        (&Value::from(36), &Value::from(37))
    );
    assert_eq!(nur_otan["quotas"][0]["needed"], 38);
    assert_eq!(report["women_in_house"]["percent"], "27.1");
    assert_eq!(report["women_in_house"]["count"], 29);
    assert_eq!(report["candidates"], 312);
}

#[test]
fn synthetic_lists_exercise_zipper_and_replacement() {
    let report = json(&["lists", "data/kz/examples/lists-synthetic.toml", "--json"]);
    assert_eq!(
        outcomes(&report),
        [
            "alpha: met met met met",
            "beta: not-met met not-met not-met",
            "gamma: undetermined undetermined not-met not-met"
        ]
    );
    let alpha = &report["lists"][0]["assignments"];
    assert_eq!(alpha[0]["regime"], "law");
    assert_eq!(alpha[0]["women"]["count"], 0);
    assert_eq!(alpha[1]["regime"], "proposal");
    assert_eq!(alpha[1]["replacements"][0]["left"], "Abenova Zhanna");
    assert_eq!(alpha[1]["replacements"][0]["by"], "Amirova Leila");
    assert_eq!(alpha[0]["replacements"][1]["by"], "Amirova Leila");
    let output = saylau(&["lists", "data/kz/examples/lists-synthetic.toml"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("SYNTHETIC"), "{text}");
}

#[test]
fn open_lists_show_each_candidates_threshold_test_and_rank() {
    let file = "data/reference/cz-2021-preferences/usti-pirstan.toml";
    let report = json(&["lists", file, "--open", "--json"]);
    let rows = report["lists"][0]["rows"].as_array().expect("rows");
    let shown: Vec<String> = rows
        .iter()
        .map(|row| {
            format!(
                "{} {} {} {}",
                row["rank"],
                row["name"].as_str().unwrap_or_default(),
                row["reaches"],
                row["elected"]
            )
        })
        .collect();
    assert_eq!(
        shown,
        ["1 Ivan Bartoš true true", "2 Petr Liška true true", "3 Lukáš Blažej true false"]
    );
    let pure = json(&["lists", file, "--open", "--pure", "--json"]);
    assert_eq!(pure["lists"][0]["rule"], "preferences");
    assert_eq!(pure["lists"][0]["rows"][2]["reaches"], Value::Null);
}
