//! `saylau plurality`: a whole national round of 730 rural akim races in one run, from
//! TOML and from CSV, and the law against the seed's "against all" proposal.
//!
//! The per-race results of 25 July 2021 are not published in the seed (only the regional
//! totals of its table 3), so the round here is SYNTHETIC: generated deterministically
//! below so that each region has table 3's seats, candidates and winners per party. The
//! votes are made up. Table 3 lists 37 winners for Zhambyl's 38 seats; the generator makes
//! the 38th Zhambyl race an exact tie, one possible reason for a missing winner and
//! nothing more.

use std::fmt::Write as _;

use serde_json::Value;

use crate::command::{json, saylau};

/// Winners per party, in this order (the columns of table 3).
const PARTIES: [&str; 7] = ["nur-otan", "ak-zhol", "peoples-party", "auyl", "adal", "osdp", ""];

/// Per region: id, seats, candidates, winners per party of [`PARTIES`], turnout in tenths
/// of a percent (data/kz/akim-2021-results.toml).
const REGIONS: [(&str, u32, u32, [u32; 7], u64); 14] = [
    ("akmola", 95, 303, [74, 2, 3, 1, 1, 0, 14], 758),
    ("aktobe", 35, 107, [28, 1, 1, 2, 1, 0, 2], 791),
    ("almaty", 71, 235, [57, 0, 0, 3, 0, 0, 11], 677),
    ("atyrau", 18, 62, [15, 0, 0, 1, 0, 0, 2], 744),
    ("east-kazakhstan", 77, 232, [60, 1, 1, 11, 2, 0, 2], 909),
    ("zhambyl", 38, 116, [31, 1, 0, 1, 1, 0, 3], 906),
    ("west-kazakhstan", 31, 81, [22, 0, 0, 0, 1, 1, 7], 814),
    ("karaganda", 75, 268, [56, 1, 0, 3, 1, 0, 14], 759),
    ("kostanay", 65, 147, [52, 2, 0, 2, 2, 0, 7], 844),
    ("kyzylorda", 40, 122, [30, 0, 1, 2, 2, 0, 5], 836),
    ("mangystau", 10, 34, [8, 0, 0, 0, 1, 0, 1], 842),
    ("pavlodar", 44, 142, [34, 0, 1, 2, 1, 0, 6], 770),
    ("north-kazakhstan", 71, 218, [55, 2, 3, 3, 1, 0, 7], 871),
    ("turkestan", 60, 214, [41, 0, 0, 1, 1, 0, 17], 789),
];

/// A small deterministic generator (PCG's LCG constants), so the round never changes.
struct Numbers(u64);

impl Numbers {
    fn below(&mut self, n: u64) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// One synthetic race: id, region, "against all", voters, participants and candidates
/// `(name, party, votes)`, the winner first.
struct SyntheticRace {
    id: String,
    region: &'static str,
    against_all: u64,
    voters: u64,
    participants: u64,
    candidates: Vec<(String, &'static str, u64)>,
}

/// The 730 races, region by region.
fn synthetic_round() -> Vec<SyntheticRace> {
    let mut numbers = Numbers(20_210_725);
    let mut races = Vec::new();
    for (region, seats, candidates, winners, turnout) in REGIONS {
        let winner_parties: Vec<&str> = PARTIES
            .iter()
            .zip(winners)
            .flat_map(|(party, count)| {
                std::iter::repeat_n(*party, usize::try_from(count).expect("a small count"))
            })
            .collect();
        for idx in 0..seats {
            let count = candidates / seats + u32::from(idx < candidates % seats);
            let top = 300 + numbers.below(900);
            // A race without a winner in table 3 is made an exact tie of the first two.
            let winner = winner_parties.get(usize::try_from(idx).expect("a small index"));
            let tie = winner.is_none();
            let mut list = vec![(format!("{region}-{idx}-a"), *winner.unwrap_or(&""), top)];
            for other in 1..count {
                let votes = if tie && other == 1 { top } else { 1 + numbers.below(top - 1) };
                list.push((format!("{region}-{idx}-{other}"), "", votes));
            }
            let against_all = numbers.below(40);
            let valid: u64 = against_all + list.iter().map(|(_, _, votes)| votes).sum::<u64>();
            let participants = valid + numbers.below(15);
            races.push(SyntheticRace {
                id: format!("{region}-{idx:03}"),
                region,
                against_all,
                voters: participants * 1000 / turnout,
                participants,
                candidates: list,
            });
        }
    }
    races
}

fn synthetic_toml(races: &[SyntheticRace]) -> String {
    let mut text = String::from(
        "[plurality]\nname = \"Rural akims, 25 July 2021 (SYNTHETIC votes)\"\n\
         [scenario]\nmodelled = true\nnote = \"Synthetic: each region has table 3's seats, candidates and winners per party; every vote is made up.\"\n\
         [parties]\nnur-otan = \"Nur Otan\"\nak-zhol = \"Ak Zhol\"\npeoples-party = \"People's Party\"\n\
         auyl = \"Auyl\"\nadal = \"Adal\"\nosdp = \"OSDP\"\n",
    );
    for race in races {
        let candidates: Vec<String> = race
            .candidates
            .iter()
            .map(|(name, party, votes)| {
                let party =
                    if party.is_empty() { String::new() } else { format!(", party = \"{party}\"") };
                format!("{{ name = \"{name}\"{party}, votes = {votes} }}")
            })
            .collect();
        let _ = write!(
            text,
            "[[races]]\nid = \"{}\"\nregion = \"{}\"\nagainst_all = {}\nvoters = {}\nparticipants = {}\ncandidates = [{}]\n",
            race.id,
            race.region,
            race.against_all,
            race.voters,
            race.participants,
            candidates.join(", ")
        );
    }
    text
}

fn synthetic_csv(races: &[SyntheticRace]) -> String {
    let mut text =
        String::from("race,region,against_all,voters,participants,candidate,party,votes\n");
    for race in races {
        for (idx, (name, party, votes)) in race.candidates.iter().enumerate() {
            if idx == 0 {
                let _ = writeln!(
                    text,
                    "{},{},{},{},{},{name},{party},{votes}",
                    race.id, race.region, race.against_all, race.voters, race.participants
                );
            } else {
                let _ = writeln!(text, "{},,,,,{name},{party},{votes}", race.id);
            }
        }
    }
    text
}

/// Winners per party of a report, party `null` as `self-nominated`.
fn winners(report: &Value) -> Vec<(String, u64)> {
    let parties = report["summary"]["parties"].as_array().expect("parties is an array");
    let mut res: Vec<(String, u64)> = parties
        .iter()
        .map(|party| {
            let id = party["party"].as_str().unwrap_or("self-nominated").to_owned();
            (id, party["winners"].as_u64().expect("winners is a number"))
        })
        .collect();
    // Parties with as many winners are ordered by votes, which are synthetic here.
    res.sort_by(|left, right| right.1.cmp(&left.1).then(left.0.cmp(&right.0)));
    res
}

#[test]
fn a_national_round_of_730_races_runs_at_once_from_toml_and_csv() {
    let races = synthetic_round();
    assert_eq!(races.len(), 730);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let toml_path = dir.path().join("akims-2021-synthetic.toml");
    let csv_path = dir.path().join("akims-2021-synthetic.csv");
    std::fs::write(&toml_path, synthetic_toml(&races)).expect("writing the TOML round");
    std::fs::write(&csv_path, synthetic_csv(&races)).expect("writing the CSV round");
    let toml_path = toml_path.to_str().expect("a UTF-8 path");
    let report = json(&["plurality", toml_path, "--json"]);
    let summary = &report["summary"];
    assert_eq!((summary["races"].as_u64(), summary["seats"].as_u64()), (Some(730), Some(730)));
    assert_eq!((summary["elected"].as_u64(), summary["runoffs"].as_u64()), (Some(729), Some(1)));
    assert_eq!(summary["candidates"], 2281);
    let expect: Vec<(String, u64)> = [
        ("nur-otan", 563),
        ("self-nominated", 98),
        ("auyl", 32),
        ("adal", 15),
        ("ak-zhol", 10),
        ("peoples-party", 10),
        ("osdp", 1),
    ]
    .iter()
    .map(|(id, count)| ((*id).to_owned(), *count))
    .collect();
    assert_eq!(winners(&report), expect);
    let zhambyl = summary["regions"]
        .as_array()
        .expect("regions is an array")
        .iter()
        .find(|region| region["region"] == "zhambyl")
        .expect("zhambyl is a region");
    assert_eq!((zhambyl["seats"].as_u64(), zhambyl["elected"].as_u64()), (Some(38), Some(37)));
    assert_eq!(report["races"].as_array().map(Vec::len), Some(730));
    let csv = json(&["plurality", csv_path.to_str().expect("a UTF-8 path"), "--json"]);
    assert_eq!(csv["summary"], report["summary"], "CSV and TOML give the same round");
}

#[test]
fn a_long_round_shows_the_races_that_need_attention() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("round.toml");
    std::fs::write(&path, synthetic_toml(&synthetic_round())).expect("writing the round");
    let path = path.to_str().expect("a UTF-8 path");
    let output = saylau(&["plurality", path]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("MODELLED SCENARIO"), "the synthetic round is labelled: {text}");
    assert!(text.contains("zhambyl-037") && text.contains("runoff for 1 seat(s)"), "{text}");
    assert!(text.contains("729 races that elected their winner are not shown"), "{text}");
    let every =
        String::from_utf8_lossy(&saylau(&["plurality", path, "--races"]).stdout).into_owned();
    assert!(every.contains("akmola-000") && every.contains("turkestan-059"), "--races lists all");
    let lot = json(&["plurality", path, "--set", "rules.ties=lot", "--json"]);
    assert_eq!(
        (lot["summary"]["elected"].as_u64(), lot["summary"]["lots"].as_u64()),
        (Some(730), Some(1))
    );
    let race =
        lot["races"].as_array().expect("races").iter().find(|race| race["id"] == "zhambyl-037");
    let seed = &race.expect("the tied race")["lot"]["seed"];
    assert!(seed.as_str().is_some_and(|seed| seed.ends_with("/race-zhambyl-037")), "{seed}");
}

/// A small round: a contested race, an uncontested one lost to "against all", and a race
/// where "against all" beats both candidates.
const SMALL: &str = "[plurality]\nname = \"small\"\n[rules]\nties = \"runoff\"\n\
    [[races]]\nid = \"a\"\nagainst_all = 10\ncandidates = [{ name = \"A1\", party = \"nur-otan\", votes = 60 }, { name = \"A2\", votes = 40 }]\n\
    [[races]]\nid = \"b\"\nagainst_all = 70\ncandidates = [{ name = \"B1\", party = \"nur-otan\", votes = 50 }]\n\
    [[races]]\nid = \"c\"\nagainst_all = 90\ncandidates = [{ name = \"C1\", votes = 50 }, { name = \"C2\", votes = 30 }]\n";

/// The status of each race under `sets`.
fn statuses(path: &str, sets: &[&str]) -> Vec<String> {
    let mut args = vec!["plurality", path, "--json"];
    for set in sets {
        args.extend(["--set", set]);
    }
    let report = json(&args);
    report["races"]
        .as_array()
        .expect("races is an array")
        .iter()
        .map(|race| {
            format!(
                "{} {}",
                race["id"].as_str().unwrap_or("?"),
                race["status"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn against_all_leaves_seats_vacant_only_under_the_proposal() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("small.toml");
    std::fs::write(&path, SMALL).expect("writing the round");
    let path = path.to_str().expect("a UTF-8 path");
    assert_eq!(statuses(path, &[]), ["a elected", "b elected", "c elected"]);
    assert_eq!(
        statuses(path, &["rules.against_all=vacates-uncontested"]),
        ["a elected", "b vacant", "c elected"]
    );
    assert_eq!(
        statuses(path, &["rules.against_all=vacates-when-beaten"]),
        ["a elected", "b vacant", "c vacant"]
    );
}

#[test]
fn a_bad_round_is_rejected_with_lines() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bad.toml");
    let bad =
        SMALL.replace("votes = 40", "votes = -4").replace("ties = \"runoff\"", "ties = \"coin\"");
    std::fs::write(&path, bad).expect("writing the round");
    let output = saylau(&["plurality", path.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    let stderr =
        String::from_utf8_lossy(&output.stderr).replace(&path.display().to_string(), "bad.toml");
    insta::assert_snapshot!("plurality_rejected", stderr);
}
