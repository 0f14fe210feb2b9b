//! `saylau legitimacy`: the law of 2021 (no quorum, "against all" without effect) and the
//! seed's proposal side by side on plurality races and on the Mazhilis list contest of
//! 2021, with the repeat's calendar, winners' share of the registered and wasted votes.

use serde_json::Value;

use crate::command::saylau;

const LAW: &str = "data/kz/repeat/law-2021.toml";
const PROPOSAL: &str = "data/kz/repeat/proposal-quorum-50.toml";

/// Runs `saylau legitimacy args --json` and returns its exit code and JSON.
fn legitimacy_json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["legitimacy"];
    all.extend(args);
    all.push("--json");
    let output = saylau(&all);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!("--json prints JSON ({err}): {}", String::from_utf8_lossy(&output.stderr))
    });
    (output.status.code(), report)
}

/// `(race, outcome, wasted)` of rule set `idx`.
fn outcomes(report: &Value, idx: usize) -> Vec<(String, String, u64)> {
    let judged = report["rule_sets"][idx]["judged"].as_array().expect("judged");
    judged
        .iter()
        .map(|it| {
            (
                it["id"].as_str().expect("id").to_owned(),
                it["outcome"].as_str().expect("outcome").to_owned(),
                it["wasted_votes"].as_u64().expect("wasted"),
            )
        })
        .collect()
}

#[test]
fn against_all_ahead_of_a_sole_candidate_is_a_repeat_only_under_the_proposal() {
    let (code, report) = legitimacy_json(&[
        "data/kz/examples/plurality-synthetic.toml",
        "--rules",
        LAW,
        "--rules",
        PROPOSAL,
        "--calendar",
        "data/kz/calendar/akim-2021.toml",
    ]);
    assert_eq!(code, Some(0));
    let sole = |idx: usize| {
        outcomes(&report, idx).into_iter().find(|it| it.0 == "karatobe-002").expect("the race")
    };
    // 400 for the candidate, 420 "against all": under the law the 420 are wasted.
    assert_eq!(sole(0), ("karatobe-002".to_owned(), "elected".to_owned(), 420));
    assert_eq!(sole(1), ("karatobe-002".to_owned(), "repeat-against-all".to_owned(), 820));
    // The winner under the law has 400 of 1,500 registered voters: 26.67 %.
    let winner = &report["rule_sets"][0]["judged"][1]["winners"][0];
    assert_eq!(winner["percent_of_registered"]["exact"], "80/3");
    assert!(report["rule_sets"][0]["repeat"].is_null(), "no repeat under the law");
    let repeat = &report["rule_sets"][1]["repeat"]["schedule"];
    assert_eq!(repeat["election_day"], "2021-09-23");
    assert_eq!(repeat["events"][0]["date"], "2021-08-14", "the repeat is called 40 days ahead");
}

#[test]
fn a_turnout_below_the_quorum_fails_the_race() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("low.toml");
    let text = "[plurality]\nname = \"low turnout\"\n\n[[races]]\nid = \"r1\"\n\
        voters = 2000\nparticipants = 999\nagainst_all = 9\n\
        candidates = [ { name = \"A\", votes = 600 }, { name = \"B\", votes = 390 } ]\n\n\
        [[races]]\nid = \"r2\"\nvoters = 2000\nparticipants = 1000\n\
        candidates = [ { name = \"C\", votes = 700 }, { name = \"D\", votes = 300 } ]\n";
    std::fs::write(&path, text).expect("written");
    let (code, report) =
        legitimacy_json(&[path.to_str().expect("UTF-8"), "--rules", LAW, "--rules", PROPOSAL]);
    assert_eq!(code, Some(0));
    assert_eq!(
        outcomes(&report, 0),
        [
            ("r1".to_owned(), "elected".to_owned(), 399),
            ("r2".to_owned(), "elected".to_owned(), 300)
        ]
    );
    // 999 of 2,000 is below 50 %; exactly 1,000 of 2,000 meets it.
    assert_eq!(
        outcomes(&report, 1),
        [
            ("r1".to_owned(), "repeat-quorum".to_owned(), 999),
            ("r2".to_owned(), "elected".to_owned(), 300)
        ]
    );
    assert_eq!(report["rule_sets"][1]["totals"]["repeat_quorum"], 1);
}

#[test]
fn the_mazhilis_list_contest_of_2021_wastes_the_votes_of_auyl_and_adal() {
    // Voters on the roll are not in election files; 20,000,000 is a made-up roll that puts
    // the 7,539,280 participants below a 50 % quorum.
    let (code, report) = legitimacy_json(&[
        "data/kz/mazhilis-2021.toml",
        "--rules",
        LAW,
        "--rules",
        PROPOSAL,
        "--voters",
        "20000000",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(report["kind"], "list");
    let law = &report["rule_sets"][0]["judged"][0];
    assert_eq!(law["outcome"], "elected");
    // Auyl 383,023 (the bundled file's reading of the seed's 382,023) + Adal 258,618 win
    // no seat.
    assert_eq!(law["wasted_votes"], 641_641);
    assert_eq!(law["winners"][0]["votes"], 5_148_074);
    let proposal = &report["rule_sets"][1]["judged"][0];
    assert_eq!(proposal["outcome"], "repeat-quorum");
    assert_eq!(proposal["quorum"]["turnout"]["exact"], "94241/2500");
}

#[test]
fn bad_rules_are_rejected_with_exit_1() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("r.toml");
    std::fs::write(&path, "[repeat]\nname = \"x\"\nquorum = \"120%\"\n").expect("written");
    let output = saylau(&[
        "legitimacy",
        "data/kz/examples/plurality-synthetic.toml",
        "--rules",
        path.to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("repeat.quorum"), "{stderr}");
    assert!(stderr.contains("(rule E-9)"), "{stderr}");
}
