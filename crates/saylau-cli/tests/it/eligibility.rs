//! `saylau eligibility` on the bundled synthetic candidates: every failed rule with its
//! article, the law and the proposal side by side, races and exit codes.

use serde_json::Value;

use crate::command::{json, saylau};

/// `name: failed rules` of every candidate of a rule set's report.
fn failures(report: &Value) -> Vec<String> {
    let candidates = report["candidates"].as_array().expect("candidates is an array");
    candidates
        .iter()
        .map(|candidate| {
            let rules: Vec<&str> = candidate["failures"]
                .as_array()
                .expect("failures is an array")
                .iter()
                .filter_map(|failure| failure["rule"].as_str())
                .collect();
            format!("{}: {}", candidate["name"].as_str().unwrap_or_default(), rules.join(" "))
        })
        .collect()
}

#[test]
fn law_and_proposal_side_by_side() {
    let res = json(&["eligibility", "data/kz/examples/akim-candidates-synthetic.toml", "--json"]);
    assert_eq!(res["election"]["synthetic"], true);
    let sets = res["rule_sets"].as_array().expect("rule_sets is an array");
    let ids: Vec<&str> = sets.iter().filter_map(|set| set["rule_set"].as_str()).collect();
    assert_eq!(ids, ["law-2021", "proposed"]);
    assert_eq!(
        failures(&sets[0]),
        [
            "Askarov Nurlan: ",
            "Bekova Aigerim: ",
            "Dosanov Erlan: age education signatures",
            "Zhumabayeva Saule: education experience",
            "Karimov Timur: criminal-record",
            "Omarova Dana: deposit",
            "Sadykov Marat: ",
            "Tulegenov Arman: nominees",
            "Utepova Gulnar: ",
            "Yermekov Bolat: corruption",
            "Zhaksylykova Madina: ",
        ]
    );
    assert_eq!((&sets[0]["eligible"], &sets[1]["eligible"]), (&Value::from(5), &Value::from(7)));
    // Bekova turns 25 on election day itself.
    assert_eq!(sets[0]["candidates"][1]["age"], 25);
    assert_eq!(sets[0]["candidates"][2]["age"], 24);
    let age = &sets[0]["candidates"][2]["failures"][0];
    assert_eq!(
        age["article"],
        "Law «On local state administration and self-government», art. 36 p. 1"
    );
    assert_eq!(age["found"], "24 years");
    let races: Vec<String> = sets[0]["races"]
        .as_array()
        .expect("races is an array")
        .iter()
        .map(|race| {
            format!(
                "{} {}",
                race["race"].as_str().unwrap_or_default(),
                race["outcome"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        races,
        [
            "aksu akim-not-entitled",
            "birlik akim-must-nominate",
            "karaoi contested",
            "kokterek akim-nominated",
            "zhanatalap contested"
        ]
    );
    assert_eq!(sets[0]["races"][1]["missing"], 1);
}

#[test]
fn csv_gives_the_same_result_as_toml() {
    let toml = json(&["eligibility", "data/kz/examples/akim-candidates-synthetic.toml", "--json"]);
    let csv = json(&[
        "eligibility",
        "data/kz/examples/akim-candidates-synthetic.csv",
        "--election-day",
        "2021-07-25",
        "--json",
    ]);
    assert_eq!(toml["rule_sets"], csv["rule_sets"]);
}

#[test]
fn one_rule_set_on_request_and_a_readable_table() {
    let res = json(&[
        "eligibility",
        "data/kz/examples/akim-candidates-synthetic.toml",
        "--rules",
        "data/kz/eligibility-proposed.toml",
        "--json",
    ]);
    assert_eq!(res["rule_sets"].as_array().map(Vec::len), Some(1));
    let output = saylau(&["eligibility", "data/kz/examples/akim-candidates-synthetic.toml"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("✗ age, education, signatures"), "{text}");
    assert!(text.contains("art. 113-3 p. 6"), "{text}");
}

#[test]
fn a_csv_without_election_day_is_rejected() {
    let output = saylau(&["eligibility", "data/kz/examples/akim-candidates-synthetic.csv"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--election-day"), "{stderr}");
}

#[test]
fn minor_discrepancies_become_corrections_under_the_proposal() {
    let res = json(&[
        "eligibility",
        "data/kz/examples/akim-candidates-registration-synthetic.csv",
        "--election-day",
        "2021-07-25",
        "--json",
    ]);
    let law = &res["rule_sets"][0]["candidates"][1];
    let proposed = &res["rule_sets"][1]["candidates"][1];
    assert_eq!(
        (law["name"].as_str(), law["eligible"].as_bool()),
        (Some("Baimukhanova Zhanar"), Some(false))
    );
    assert_eq!(law["failures"][0]["rule"], "tax-declaration");
    assert_eq!(proposed["eligible"], true);
    assert_eq!(proposed["corrections"][0]["within_days"], 5);
    let out = saylau(&[
        "eligibility",
        "data/kz/examples/akim-candidates-registration-synthetic.csv",
        "--election-day",
        "2021-07-25",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("eligible once corrected: tax-declaration"), "{text}");
}

/// A candidates file of one office, the rule sets it gets by default, and each
/// candidate's failures under the law (`name: rules`) and under the proposal (rules).
struct OfficeCase {
    file: &'static str,
    extra: &'static [&'static str],
    ids: [&'static str; 2],
    law: &'static [&'static str],
    proposed: &'static [&'static str],
}

// The synthetic files are made so that each law refuses a candidate for a rule its
// proposal drops, and both refuse the last one.
const OFFICE_CASES: [OfficeCase; 3] = [
    OfficeCase {
        file: "data/kz/examples/mazhilis-candidates-synthetic.toml",
        extra: &[],
        ids: ["mazhilis-law-2021", "mazhilis-proposed"],
        law: &[
            "Candidate A (party list): ",
            "Candidate B (self-nominee): party-nominee",
            "Candidate C (23 years old on election day): age",
            "Candidate D (back after studies abroad): country-residence",
            "Candidate E (unexpunged criminal record): criminal-record",
        ],
        proposed: &["", "", "", "", "criminal-record"],
    },
    OfficeCase {
        file: "data/kz/examples/president-candidates-synthetic.toml",
        extra: &[],
        ids: ["president-law-2019", "president-proposed"],
        law: &[
            "Candidate A (career civil servant): ",
            "Candidate B (diplomat, years abroad): country-residence",
            "Candidate C (entrepreneur, no public service): public-service",
            "Candidate D (refused by the KNB check): security-check",
            "Candidate E (failed the language examination, naturalised): age citizen-by-birth state-language",
        ],
        proposed: &["", "", "", "", "age citizen-by-birth state-language"],
    },
    OfficeCase {
        file: "data/kz/examples/maslikhat-candidates-synthetic.csv",
        extra: &["--election-day", "2021-01-10", "--office", "maslikhat"],
        ids: ["maslikhat-law-2021", "maslikhat-proposed"],
        law: &[
            "Candidate A (party list): ",
            "Candidate B (self-nominee aged 19): age party-nominee",
            "Candidate C (corruption offence): corruption",
        ],
        proposed: &["", "", "corruption"],
    },
];

#[test]
fn every_office_has_its_law_and_proposal_side_by_side() {
    for case in &OFFICE_CASES {
        let mut args = vec!["eligibility", case.file, "--json"];
        args.extend_from_slice(case.extra);
        let res = json(&args);
        let sets = res["rule_sets"].as_array().expect("rule_sets is an array");
        let got: Vec<&str> = sets.iter().filter_map(|set| set["rule_set"].as_str()).collect();
        assert_eq!(got, case.ids, "{}", case.file);
        assert_eq!(failures(&sets[0]), case.law, "{}", case.file);
        let proposed: Vec<String> = failures(&sets[1])
            .iter()
            .map(|line| line.split_once(": ").map_or("", |(_, rules)| rules).to_owned())
            .collect();
        assert_eq!(proposed, case.proposed, "{}", case.file);
        assert_eq!((&sets[0]["status"], &sets[1]["status"]), (&"law".into(), &"proposal".into()));
        assert_eq!(sets[0]["office"], res["election"]["office"]);
        // Every failure names its article.
        for set in sets {
            for candidate in set["candidates"].as_array().expect("candidates") {
                for failure in candidate["failures"].as_array().expect("failures") {
                    assert!(failure["article"].as_str().is_some_and(|it| !it.is_empty()));
                }
            }
        }
    }
}

#[test]
fn a_rule_set_for_another_office_or_an_unknown_office_is_refused() {
    let output = saylau(&[
        "eligibility",
        "data/kz/examples/mazhilis-candidates-synthetic.toml",
        "--rules",
        "data/kz/eligibility/president-law-2019.toml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("president-law-2019.toml: rule_set.office: the rule set president-law-2019 is for candidates for president, the candidates stand for mazhilis"),
        "{stderr}"
    );
    let output = saylau(&[
        "eligibility",
        "data/kz/examples/maslikhat-candidates-synthetic.csv",
        "--election-day",
        "2021-01-10",
        "--office",
        "senate",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown office \"senate\""), "{stderr}");
    // Without --office a CSV file is a rural akim's: the akim rules refuse these people
    // on other grounds (education, experience), never on the maslikhat's party rule.
    let res = json(&[
        "eligibility",
        "data/kz/examples/maslikhat-candidates-synthetic.csv",
        "--election-day",
        "2021-01-10",
        "--json",
    ]);
    assert_eq!(res["election"]["office"], "akim");
    assert_eq!(res["rule_sets"][0]["rule_set"], "law-2021");
}
