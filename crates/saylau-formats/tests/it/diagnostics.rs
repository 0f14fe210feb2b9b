//! Diagnostics of bad election files: every problem, with its line, field and rule.

use saylau_formats::rule::FileRule;
use saylau_formats::{Override, parse_election, read_election};

/// A small valid file that the checks below break one way at a time.
const VALID: &str = r#"[election]
name = "Mazhilis 2021, party lists"
seats = 98

[rules]
method = "largest-remainder"
quota = "hare"
threshold = "7%"
ties = "registration"

[ballots]
participants = 7539280

[[lists]]
id = "nur-otan"
votes = 5148074

[[lists]]
id = "ak-zhol"
votes = 792828
"#;

/// Reads `text` with `overrides` and shows the result: the list votes, or the diagnostics.
fn check(text: &str, overrides: &[&str], expect: &str) {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|text| Override::parse(text).unwrap_or_else(|err| panic!("{err}")))
        .collect();
    let res = match parse_election("data/x.toml", text, &overrides) {
        Ok(file) => {
            let lists =
                file.system.lists().into_iter().map(|list| format!("{} {}", list.id, list.votes));
            format!("ok: {}", lists.collect::<Vec<_>>().join(", "))
        }
        Err(diagnostics) => diagnostics.to_string(),
    };
    assert_eq!(res, expect);
}

#[test]
fn every_problem_of_a_bad_file_is_reported() {
    let text = r#"[election]
name = "Mazhilis 2021, party lists"
seats = 0

[rules]
method = "largest-remainder"
quota = "hare"
threshold = 7
ties = ["votes", "coin"]
colour = "blue"

[[lists]]
id = "nur-otan"
votes = 5148074

[[lists]]
id = "ak-zhol"
votes = 792828.0

[[lists]]
id = "nur-otan"
votes = 659019

[[lists]]
id = "auyl"
votes = -5
"#;
    let diagnostics = parse_election("data/x.toml", text, &[]).expect_err("a bad file");
    insta::assert_snapshot!(diagnostics, @r#"
    data/x.toml:3: election.seats: expected a whole number of seats of at least 1, found 0 (rule E-11)
    data/x.toml:8: rules.threshold: expected a percentage such as "7%", found the integer 7: write threshold = "7%" (rule E-5)
    data/x.toml:9: rules.ties[1]: unknown tie criterion "coin" (expected one of registration, votes, lot) (rule E-8)
    data/x.toml:10: rules.colour: unknown key colour (expected one of: method, quota, quota_rounding, first_divisor, threshold, threshold_base, admit_at_least, ties, lot_seed, runner_up_coefficient, runner_up_min_seats, system, electorate_exemption, overhang, voter_numbers, tier, apportionment, apportionment_base, minimum_seats, minimum_rule) (rule E-3)
    data/x.toml:18: lists[1].votes: expected a whole number of votes, found the float 792828.0; floats are inexact: write digits only (rule E-6)
    data/x.toml:21: lists[2].id: list id "nur-otan" is used twice (first by lists[0]) (rule E-13)
    data/x.toml:26: lists[3].votes: expected a whole number of votes, found -5 (rule E-12)
    "#);
}

#[test]
fn a_valid_file_reads() {
    check(VALID, &[], "ok: nur-otan 5148074, ak-zhol 792828");
}

#[test]
fn a_float_gets_the_quoted_form_suggested() {
    check(
        &VALID.replace(
            "method = \"largest-remainder\"\nquota = \"hare\"",
            "method = \"modified-sainte-lague\"\nfirst_divisor = 1.4",
        ),
        &[],
        "data/x.toml:7: rules.first_divisor: expected an exact number such as \"1.4\", found the float 1.4; floats are inexact: write first_divisor = \"1.4\" (rule E-6)",
    );
    check(
        &VALID.replace("\"7%\"", "7.0"),
        &[],
        "data/x.toml:8: rules.threshold: expected a percentage such as \"7%\", found the float 7.0; floats are inexact: write threshold = \"7.0%\" (rule E-6)",
    );
}

#[test]
fn unknown_keys_are_reported_where_written() {
    check(
        &VALID.replace("seats = 98", "seats = 98\nseat = 98"),
        &[],
        "data/x.toml:4: election.seat: unknown key seat (expected one of: format, name, description, seats, single_member_seats, vacant) (rule E-3)",
    );
    check(
        &format!("turnout = \"63%\"\n{VALID}"),
        &[],
        "data/x.toml:1: turnout: unknown key turnout (expected one of: election, rules, ballots, districts, lists, model, source, scenario) (rule E-3)",
    );
}

#[test]
fn overridden_fields_name_their_set() {
    check(
        VALID,
        &["rules.threshold=5%", "lists.ak-zhol.votes=1"],
        "ok: nur-otan 5148074, ak-zhol 1",
    );
    check(
        VALID,
        &["rules.threshold=5"],
        "--set rules.threshold: rules.threshold: expected a percentage such as \"7%\", found the integer 5: write threshold = \"5%\" (rule E-5)",
    );
    check(
        VALID,
        &["rules.thresold=5%", "lists.nur-otn.votes=1", "rules.method.name=x"],
        "--set rules.thresold: rules.thresold: unknown key thresold (expected one of: method, quota, quota_rounding, first_divisor, threshold, threshold_base, admit_at_least, ties, lot_seed, runner_up_coefficient, runner_up_min_seats, system, electorate_exemption, overhang, voter_numbers, tier, apportionment, apportionment_base, minimum_seats, minimum_rule) (rule E-3)\n\
         --set lists.nur-otn.votes: lists.nur-otn.votes: no list has the id \"nur-otn\" (rule E-24)\n\
         --set rules.method.name: rules.method.name: method is not a table, so it has no fields to set (rule E-24)",
    );
}

#[test]
fn repeated_list_ids_are_reported() {
    check(
        &VALID.replace("\"ak-zhol\"", "\"nur-otan\""),
        &[],
        "data/x.toml:19: lists[1].id: list id \"nur-otan\" is used twice (first by lists[0]) (rule E-13)",
    );
}

#[test]
fn participants_below_valid_votes_are_reported() {
    check(
        &VALID.replace("7539280", "5000000"),
        &[],
        "data/x.toml:12: ballots.participants: participants (5000000) are fewer than the valid votes (5940902: list votes plus against all) (rule E-16)",
    );
}

#[test]
fn rules_that_need_other_parts_are_reported() {
    check(
        &VALID
            .replace("participants = 7539280", "")
            .replace("ties", "threshold_base = \"participants\"\nties"),
        &[],
        "data/x.toml:9: rules.threshold_base: the threshold base is participants, but [ballots] participants is not given (rule E-20)",
    );
    check(
        VALID,
        &["election.format=2"],
        "--set election.format: election.format: unsupported format 2 (this reader knows format 1) (rule E-7)",
    );
    check(
        VALID,
        &["scenario.modelled=true"],
        "--set scenario.modelled: scenario.note: missing key note (rule E-4)",
    );
}

#[test]
fn recorded_seats_must_add_up_and_stay_out_of_scenarios() {
    let official = VALID.replace("votes = 5148074", "votes = 5148074\nofficial_seats = 90");
    check(
        &official,
        &[],
        "data/x.toml:20: lists[1].official_seats: official_seats is given for other lists but not for this one (rule E-22)",
    );
    check(
        &official,
        &["lists.ak-zhol.official_seats=7"],
        "data/x.toml:17: lists[0].official_seats: official_seats add up to 97, but the election has 98 seats (rule E-22)",
    );
    check(
        &official,
        &["lists.ak-zhol.official_seats=8", "scenario.modelled=false", "scenario.note=what if"],
        "data/x.toml:17: lists[0].official_seats: a [scenario] file has no official result: use expected_seats for a published counterfactual (rule E-21)\n\
         --set lists.ak-zhol.official_seats: lists[1].official_seats: a [scenario] file has no official result: use expected_seats for a published counterfactual (rule E-21)",
    );
}

#[test]
fn syntax_and_io_errors_are_diagnostics() {
    check(
        &VALID.replace("seats = 98", "seats = 98\nname = \"again\""),
        &[],
        "data/x.toml:4: duplicate key (rule E-1)",
    );
    let missing = std::path::Path::new("no/such/file.toml");
    let diagnostics = read_election(missing, &[]).expect_err("a missing file");
    assert_eq!(diagnostics.0.len(), 1);
    assert_eq!(diagnostics.0[0].rule, FileRule::Unreadable.into());
    assert_eq!(diagnostics.0[0].source, "no/such/file.toml");
}
