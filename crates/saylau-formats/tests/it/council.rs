//! Council-vote and council rule files: the bundled ones read and decide as documented,
//! bad ones are named by file, line, field and rule.

use saylau_core::law::council::{CouncilOutcome, decide};
use saylau_core::seats::lot::LotSeed;
use saylau_formats::{parse_council_vote, read_council_rules, read_council_vote};

use crate::data_dir;

#[test]
fn the_synthetic_vote_under_both_scenarios_of_recommendation_12() {
    let dir = data_dir().join("kz/council");
    let vote = read_council_vote(&dir.join("vote-synthetic-oblast.toml")).expect("a vote");
    let seed = LotSeed::new(vote.lot_seed.as_deref().expect("a seed"));
    let a = read_council_rules(&dir.join("proposal-rec12-members-runoff.toml")).expect("rules");
    let b = read_council_rules(&dir.join("proposal-rec12-present-eliminate.toml")).expect("rules");
    let under_a = decide(&vote.vote, &a.rules, &seed).expect("decided");
    let under_b = decide(&vote.vote, &b.rules, &seed).expect("decided");
    // A: 17 of 39 members is short of 20; the run-off gives A 20 of 39.
    assert_eq!(under_a.rounds[0].needed, 20);
    let elected =
        |candidate: &str, round| CouncilOutcome::Elected { candidate: candidate.to_owned(), round };
    assert_eq!(under_a.outcome, elected("Candidate A (synthetic)", 2));
    // B: 17 of 33 present is a majority of those present; the run-off is not counted.
    assert_eq!(under_b.rounds[0].needed, 17);
    assert_eq!(under_b.outcome, elected("Candidate A (synthetic)", 1));
    assert_eq!(under_b.not_counted.map(|it| it.from_round), Some(2));
    assert!(a.scenario.is_some() && b.scenario.is_some(), "the seed gives no rule: scenarios");
}

#[test]
fn bad_votes_are_named_by_file_line_field_and_rule() {
    let text = "[council]\nformat = 1\nname = \"x\"\nmembers = 39\n\n\
        [[candidates]]\nid = \"a\"\nname = \"A\"\n\n[[candidates]]\nid = \"b\"\nname = \"B\"\n\n\
        [[rounds]]\npresent = 41\nvotes = { a = 20, b = 22 }\n\n\
        [[rounds]]\npresent = 30\nvotes = { a = 12, d = 3, b = 20 }\n";
    let err = parse_council_vote("v.toml", text).expect_err("bad rounds");
    assert_eq!(
        err.to_string(),
        "v.toml:15: rounds[0].present: 41 present, more than the council's 39 members (rule E-51)\n\
         v.toml:16: rounds[0].votes: 42 votes cast by 41 members present (rule E-51)\n\
         v.toml:20: rounds[1].votes.d: d is not a candidate of [[candidates]] (rule E-34)\n\
         v.toml:20: rounds[1].votes: 32 votes cast by 30 members present (rule E-51)"
    );
}
