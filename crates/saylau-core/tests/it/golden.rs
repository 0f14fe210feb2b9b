//! Golden tests: real elections from `data/reference/` reproduce their official seats.
//!
//! The files are read as they are stored (JSON and CSV), with no copy in this crate, so a
//! correction to the data is tested at once. Each test prints the lists whose seats differ.

use std::fs;
use std::path::Path;

use saylau_core::seats::allocation::{Allocation, allocate};
use saylau_core::seats::contest::{Ballots, Contest, List};
use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::method::{Method, Rules, RulesConfig};
use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::seats::threshold::{Percent, Threshold, ThresholdBase};
use saylau_core::seats::tie::{TieCriterion, TieRule};
use saylau_core::seats::votes::{ListId, Seats, Votes};
use serde_json::Value;

const ELECTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/reference/elections");
const VOTELIB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/reference/peers/votelib");

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|err| panic!("reading {}: {err}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn count(value: &Value, what: &str) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("{what} is not a whole number: {value}"))
}

fn percent(value: &Value) -> Percent {
    Percent::parse(&format!("{value}%")).unwrap_or_else(|err| panic!("{err}"))
}

fn list(name: &str, votes: u64, threshold: Option<Percent>) -> List {
    List { id: ListId::new(name), name: name.to_owned(), votes: Votes(votes), threshold }
}

/// Art. 97-1 as the CEC applies it: Hare largest remainders, the percentage of valid votes,
/// ties to the list registered earlier, and from 2009 the admission of a runner-up (p. 2).
fn mazhilis_rules(percent: Percent, base: ThresholdBase, admit_at_least: u32) -> Rules {
    rules(
        Method::LargestRemainder { quota: Quota::usual(QuotaKind::Hare) },
        Some(Threshold { percent, base }),
        admit_at_least,
    )
}

fn rules(method: Method, threshold: Option<Threshold>, admit_at_least: u32) -> Rules {
    let ties = TieRule::new(&[TieCriterion::Registration]).expect("one criterion is a rule");
    Rules::new(RulesConfig {
        method,
        threshold,
        admit_at_least,
        runner_up: None,
        ties,
        lot_seed: None,
    })
    .expect("rules without a runner-up always fit together")
}

/// A Mazhilis election file as a contest, with the participants it records.
fn mazhilis_contest(election: &Value) -> Contest {
    let electorate = &election["electorate"];
    let participants = [&electorate["voters_took_part"], &electorate["ballots_received"]]
        .into_iter()
        .find_map(Value::as_u64)
        .map(Votes);
    let against_all = Votes(electorate["against_all"].as_u64().unwrap_or(0));
    let lists: Vec<List> = parties(election)
        .iter()
        .map(|party| list(party_name(party), count(&party["votes"], "votes"), None))
        .collect();
    let seats = Seats(u32::try_from(count(&election["seats"], "seats")).expect("few seats"));
    let name = election["id"].as_str().expect("an id");
    Contest::new(name, seats, lists, Ballots { participants, against_all })
        .unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn parties(election: &Value) -> &[Value] {
    election["parties"].as_array().expect("a parties array")
}

fn party_name(party: &Value) -> &str {
    party["name"].as_str().expect("a party name")
}

/// Asserts the seats of every list by name; names missing from `expect` expect none.
fn check(label: &str, contest: &Contest, res: &Allocation, expect: &[(&str, u64)]) {
    let mut differ = Vec::new();
    for (list, seats) in contest.lists().iter().zip(&res.seats) {
        let expected = expect.iter().find(|(name, _)| *name == list.name).map_or(0, |it| it.1);
        if u64::from(seats.0) != expected {
            differ.push(format!("{}: expected {expected}, got {seats}", list.name));
        }
    }
    for (name, _) in expect {
        assert!(contest.lists().iter().any(|list| list.name == *name), "{label}: no list {name}");
    }
    assert!(differ.is_empty(), "{label}: seats differ:\n{}", differ.join("\n"));
}

/// Expected seats from a JSON object of name to seats.
fn expected(object: &Value) -> Vec<(&str, u64)> {
    let object = object.as_object().expect("an object of seats by name");
    object.iter().map(|(name, seats)| (name.as_str(), count(seats, name))).collect()
}

fn mazhilis_files() -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = fs::read_dir(ELECTIONS)
        .unwrap_or_else(|err| panic!("reading {ELECTIONS}: {err}"))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or("");
            name.starts_with("kz-mazhilis-") && name.ends_with(".json")
        })
        .collect();
    paths.sort();
    paths
}

#[test]
fn mazhilis_reproduces_official_seats() {
    let paths = mazhilis_files();
    assert!(paths.len() >= 4, "expected the 2004, 2007, 2016 and 2021 files, found {paths:?}");
    for path in paths {
        let election = json(&path);
        let contest = mazhilis_contest(&election);
        // The runner-up admission of art. 97-1 p. 2 dates from the 2009 amendment.
        let admit_at_least = if count(&election["year"], "year") >= 2009 { 2 } else { 0 };
        let rules = mazhilis_rules(
            percent(&election["threshold"]["percent"]),
            ThresholdBase::Valid,
            admit_at_least,
        );
        let res = allocate(&rules, &contest).unwrap_or_else(|err| panic!("{path:?}: {err}"));
        let expect: Vec<(&str, u64)> = parties(&election)
            .iter()
            .map(|party| (party_name(party), count(&party["seats_official"], "seats_official")))
            .collect();
        check(contest.name(), &contest, &res, &expect);
        if let Some(valid) = election["electorate"]["valid_list_votes"].as_u64() {
            assert_eq!(contest.list_votes(), Votes(valid), "{}: party votes", contest.name());
        }
    }
}

/// 2004 under the words of the law: 7 % of the voters who took part shuts AIST out.
#[test]
fn mazhilis_2004_literal_law() {
    let election = json(&Path::new(ELECTIONS).join("kz-mazhilis-2004-list.json"));
    let contest = mazhilis_contest(&election);
    assert_eq!(contest.ballots().participants, Some(Votes(4_893_204)));
    let rules = mazhilis_rules(percent(&Value::from(7)), ThresholdBase::Participants, 0);
    let res = allocate(&rules, &contest).expect("the 2004 contest allocates");
    let counterfactual = &election["threshold"]["literal_law_counterfactual"];
    let expect = expected(&counterfactual["seats_if_AIST_excluded"]);
    assert_eq!(expect, [("Ak Zhol", 2), ("Asar", 1), ("Otan", 7)]);
    check("2004 literal law", &contest, &res, &expect);
}

/// 2021 with the thresholds of the May 2021 law (5 %) and a 3 % variant, as published.
#[test]
fn mazhilis_2021_counterfactuals() {
    let election = json(&Path::new(ELECTIONS).join("kz-mazhilis-2021.json"));
    let contest = mazhilis_contest(&election);
    let published = &election["counterfactuals_published"];
    for (percent_text, key, total) in [(5, "threshold_5pct", 4), (3, "threshold_3pct", 5)] {
        let rules = mazhilis_rules(percent(&Value::from(percent_text)), ThresholdBase::Valid, 2);
        let res = allocate(&rules, &contest).expect("the 2021 contest allocates");
        let expect = expected(&published[key]);
        assert_eq!(expect.len(), total, "{key}: lists with seats");
        check(key, &contest, &res, &expect);
    }
}

/// The full 2021 allocation, trace included, pins the JSON shape of [`Allocation`].
#[test]
fn mazhilis_2021_allocation_snapshot() {
    let election = json(&Path::new(ELECTIONS).join("kz-mazhilis-2021.json"));
    let contest = mazhilis_contest(&election);
    let rules = mazhilis_rules(percent(&Value::from(7)), ThresholdBase::Valid, 2);
    let res = allocate(&rules, &contest).expect("the 2021 contest allocates");
    let text = serde_json::to_string_pretty(&res).expect("an allocation serialises");
    insta::assert_snapshot!("kz_mazhilis_2021_allocation", text);
}

/// votelib's CZ European Parliament 2019: D'Hondt, 21 seats, 5 % of the list votes.
#[test]
fn cz_ep_2019() {
    let tests = json(&Path::new(VOTELIB).join("expected_from_tests.json"));
    let case = &tests["cz_ep_2019"];
    let votes = case["votes"].as_object().expect("votes by list");
    let lists: Vec<List> =
        votes.iter().map(|(name, votes)| list(name, count(votes, name), None)).collect();
    let seats = Seats(u32::try_from(count(&case["seats"], "seats")).expect("few seats"));
    let contest = Contest::new("cz-ep-2019", seats, lists, Ballots::default())
        .unwrap_or_else(|err| panic!("{err}"));
    let threshold = Threshold { percent: percent(&Value::from(5)), base: ThresholdBase::Lists };
    let rules = rules(Method::Divisor { divisor: Divisor::DHondt }, Some(threshold), 0);
    let res = allocate(&rules, &contest).expect("the CZ contest allocates");
    assert_eq!(res.seats.iter().copied().sum::<Seats>(), Seats(21));
    check("cz_ep_2019", &contest, &res, &expected(&case["expected_seats"]));
}

/// votelib's Slovak National Council 2020: 150 seats by largest remainders with the
/// republic electoral number (republikové volebné číslo) of Act No. 180/2014 Coll. § 66:
/// the votes of the admitted lists divided by 151, "zaokrúhlené na celé číslo" (rounded
/// to a whole number). Thresholds: 5 % of the valid votes for a party, 7 % for a coalition
/// of two or three parties.
#[test]
fn sk_nr_2020() {
    let text = read(&Path::new(VOTELIB).join("tests/real/data/sk_nr_2020.csv"));
    let coalition = percent(&Value::from(7));
    let mut lists = Vec::new();
    let mut expect = Vec::new();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split(';').collect();
        let [name, is_coalition, votes, seats] = fields[..] else {
            panic!("expected party;coalition;votes;seats, got {line:?}");
        };
        let number = |field: &str| -> u64 {
            field.trim().parse().unwrap_or_else(|err| panic!("{line:?}: {err}"))
        };
        let threshold = (is_coalition.trim() == "1").then_some(coalition);
        lists.push(list(name, number(votes), threshold));
        expect.push((name, number(seats)));
    }
    let contest = Contest::new("sk-nr-2020", Seats(150), lists, Ballots::default())
        .unwrap_or_else(|err| panic!("{err}"));
    let quota = Quota { kind: QuotaKind::HagenbachBischoff, rounding: QuotaRounding::Round };
    let threshold = Threshold { percent: percent(&Value::from(5)), base: ThresholdBase::Lists };
    let rules = rules(Method::LargestRemainder { quota }, Some(threshold), 0);
    let res = allocate(&rules, &contest).expect("the SK contest allocates");
    check("sk_nr_2020", &contest, &res, &expect);
    // The Statistical Office published the number as 13 650 (2 061 100 / 151 = 13 649.67).
    let quota = res.trace.quota.expect("a largest-remainder trace has a quota");
    assert_eq!((quota.admitted_votes, quota.value.to_string()), (Votes(2_061_100), "13650".into()));
}
