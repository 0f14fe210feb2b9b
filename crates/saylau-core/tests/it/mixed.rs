//! Mixed systems: golden tests on New Zealand (2008, 2014, 2020: MMP with overhang kept)
//! and the Bundestag 2017 (levelling, per Land), the seed's parallel 50/50 plan on the
//! 2021 Mazhilis votes, and property tests of the three overhang rules.

use crate::reach::{Reached, properties};
use std::fs;
use std::path::Path;

use proptest::prelude::*;
use saylau_core::seats::allocation::allocate;
use saylau_core::seats::contest::{Ballots, Contest, List};
use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::method::{Method, Rules, RulesConfig};
use saylau_core::seats::quota::{Quota, QuotaKind};
use saylau_core::seats::threshold::{Percent, Threshold, ThresholdBase};
use saylau_core::seats::tie::{TieCriterion, TieRule};
use saylau_core::seats::votes::{ListId, Seats, Votes};
use saylau_core::systems::mixed::federal::{
    FederalContest, FederalParty, FederalRules, Land, federal_allocation,
};
use saylau_core::systems::mixed::{
    MixedAllocation, MixedContest, MixedParty, MixedRules, MixedRulesConfig, MixedSeats,
    MixedSystem, Overhang, mixed_allocation,
};
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/reference");

fn read(relative: &str) -> String {
    let path = Path::new(DATA).join(relative);
    fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path:?}: {err}"))
}

fn json(relative: &str) -> Value {
    serde_json::from_str(&read(relative)).unwrap_or_else(|err| panic!("{relative}: {err}"))
}

fn percent(text: &str) -> Percent {
    Percent::parse(text).expect("a valid percentage")
}

fn count(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("{value} is not a whole number"))
}

fn party(name: &str, list_votes: u64, electorate_seats: u32) -> MixedParty {
    MixedParty {
        id: ListId::new(name),
        name: name.to_owned(),
        list_votes: Votes(list_votes),
        electorate_seats: Seats(electorate_seats),
    }
}

fn list_rules(method: Method, threshold: Option<Threshold>, admit_at_least: u32) -> Rules {
    Rules::new(RulesConfig {
        method,
        threshold,
        admit_at_least,
        runner_up: None,
        ties: TieRule::new(&[TieCriterion::Registration]).expect("one criterion"),
        lot_seed: None,
    })
    .expect("rules without a runner-up are valid")
}

const SAINTE_LAGUE: Method = Method::Divisor { divisor: Divisor::SainteLague };

/// New Zealand's MMP (Electoral Act 1993 s 191-192): Sainte-Laguë on the party votes of
/// parties with 5 % of all party votes or one electorate; overhang kept.
fn nz_rules() -> MixedRules {
    let threshold = Threshold { percent: percent("5%"), base: ThresholdBase::Lists };
    MixedRules::new(MixedRulesConfig {
        system: MixedSystem::Compensatory { overhang: Overhang::Keep },
        list_rules: list_rules(SAINTE_LAGUE, Some(threshold), 0),
        electorate_exemption: Some(Seats(1)),
    })
    .expect("valid NZ rules")
}

/// Asserts each party's seats by name (missing names: none), and the house filled.
fn check(
    label: &str,
    contest: &MixedContest,
    res: &MixedAllocation,
    expect: &[(&str, u32)],
    filled: u32,
) {
    let mut differ = Vec::new();
    for (party, seats) in contest.parties().iter().zip(&res.seats) {
        let expected = expect.iter().find(|(name, _)| *name == party.name).map_or(0, |it| it.1);
        if seats.0 != expected {
            differ.push(format!("{}: expected {expected}, got {seats}", party.name));
        }
    }
    assert!(differ.is_empty(), "{label}: seats differ:\n{}", differ.join("\n"));
    assert_eq!(res.filled, Seats(filled), "{label}: seats filled");
}

fn expected(object: &Value) -> Vec<(&str, u32)> {
    let object = object.as_object().expect("an object of seats by name");
    object
        .iter()
        .map(|(name, seats)| (name.as_str(), u32::try_from(count(seats)).expect("few")))
        .collect()
}

/// NZ 2020: official 65/33/10/10/2 of 120, no overhang. The file records the Māori
/// Party's electorate (Waiariki); the other electorates are from the Electoral
/// Commission's official results: Labour 46, National 23, Green 1 (Auckland Central),
/// ACT 1 (Epsom), 72 in all. The file omits sub-5 % parties without electorates, so the
/// threshold base is a little smaller than all party votes; no party is near 5 %.
#[test]
fn nz_2020() {
    let election = json("elections/nz-2020.json");
    let electorates =
        [("Labour", 46), ("National", 23), ("Green", 1), ("ACT", 1), ("Māori Party", 1)];
    let parties: Vec<MixedParty> = election["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .map(|it| {
            let name = it["name"].as_str().expect("a name");
            let won = electorates.iter().find(|(party, _)| *party == name).map_or(0, |it| it.1);
            party(name, count(&it["votes"]), won)
        })
        .collect();
    let maori = &election["parties"][4];
    assert_eq!(
        (maori["name"].as_str(), count(&maori["electorates_won"])),
        (Some("Māori Party"), 1)
    );
    let seats = MixedSeats { list: Seats(48), single_member: Seats(72), vacant: Seats(0) };
    let contest = MixedContest::new("nz-2020", seats, parties, Ballots::default()).expect("valid");
    let res = mixed_allocation(&nz_rules(), &contest).expect("an allocation");
    let official: Vec<(&str, u32)> = election["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .map(|it| {
            (
                it["name"].as_str().expect("a name"),
                u32::try_from(count(&it["seats_official"])).expect("few"),
            )
        })
        .collect();
    check("nz-2020", &contest, &res, &official, 120);
    assert!(res.overhang.iter().all(|seats| seats.0 == 0), "no overhang in 2020");
    assert_eq!(res.trace.electorate_qualified, [4], "the Māori Party qualifies by Waiariki");
}

/// NZ 2014: electorate winners by plurality in each electorate, 71 electorates and 49
/// list seats; United Future's electorate is an overhang seat, so the house has 121.
#[test]
fn nz_2014() {
    let case = &json("peers/votelib/expected_from_tests.json")["nz_leg_2014"];
    let text = read("peers/votelib/tests/real/data/nz_leg_2014_electorate.csv");
    let mut lines = text.lines().filter(|line| !line.trim().is_empty());
    let header: Vec<&str> = lines.next().expect("a header").split(';').skip(1).collect();
    let mut won = vec![0u32; header.len()];
    for line in lines {
        let votes: Vec<u64> =
            line.split(';').skip(1).map(|field| field.trim().parse().expect("votes")).collect();
        let best = votes.iter().max().expect("candidates");
        let winners: Vec<usize> = (0..votes.len()).filter(|&idx| votes[idx] == *best).collect();
        assert_eq!(winners.len(), 1, "a tie in {line}");
        won[winners[0]] += 1;
    }
    let electorates: Vec<(&str, u32)> =
        header.iter().copied().zip(won).filter(|(_, won)| *won > 0).collect();
    let expect_electorates = expected(&case["expected_electorate_seats"]);
    assert_eq!(sorted(&electorates), sorted(&expect_electorates));
    let res = nz(&case["party_votes"], &electorates, 49, 71);
    let (contest, res) = res;
    check(
        "nz-2014",
        &contest,
        &res,
        &expected(&case["expected_total_seats_base_120_overhang_allowed"]),
        121,
    );
    let united_future =
        contest.parties().iter().position(|it| it.name == "United Future").expect("UF");
    assert_eq!(res.overhang[united_future], Seats(1));
}

/// NZ 2008: electorates as given (70), 50 list seats; the Māori Party's two overhang
/// seats make a house of 122.
#[test]
fn nz_2008() {
    let case = &json("peers/votelib/expected_from_tests.json")["nz_leg_2008"];
    let electorates = expected(&case["electorate_seats_given"]);
    let (contest, res) = nz(&case["party_votes"], &electorates, 50, 70);
    check(
        "nz-2008",
        &contest,
        &res,
        &expected(&case["expected_total_seats_base_120_overhang_allowed"]),
        122,
    );
    let overhang: u32 = res.overhang.iter().map(|seats| seats.0).sum();
    assert_eq!(overhang, 2);
}

fn sorted<'a>(pairs: &[(&'a str, u32)]) -> Vec<(&'a str, u32)> {
    let mut pairs = pairs.to_vec();
    pairs.sort_unstable();
    pairs
}

/// An NZ election from the party votes and the electorates won, under [`nz_rules`].
fn nz(
    votes: &Value,
    electorates: &[(&str, u32)],
    list: u32,
    single: u32,
) -> (MixedContest, MixedAllocation) {
    let votes = votes.as_object().expect("party votes by name");
    let parties = votes
        .iter()
        .map(|(name, votes)| {
            let won = electorates.iter().find(|(party, _)| party == name).map_or(0, |it| it.1);
            party(name, count(votes), won)
        })
        .collect();
    let seats = MixedSeats { list: Seats(list), single_member: Seats(single), vacant: Seats(0) };
    let contest = MixedContest::new("nz", seats, parties, Ballots::default()).expect("valid");
    let res = mixed_allocation(&nz_rules(), &contest).expect("an allocation");
    (contest, res)
}

/// The Bundestag 2017 under § 6 BWahlG (2013): Land seats by Sainte-Laguë on the German
/// population, constituency winners by plurality of first votes, 5 % or three
/// constituencies, levelling to 709 seats, and the Mecklenburg-Vorpommern Land lists.
#[test]
fn bundestag_2017() {
    let case = &json("peers/votelib/expected_from_tests.json")["de_bdt_2017"];
    let population = case["land_population_for_598_seat_base"].as_object().expect("Länder");
    let land_seats = land_seats(population);
    let text = read("peers/votelib/tests/real/data/de_bdt_2017.csv");
    let (names, lands) = bundestag_lands(&text, population, &land_seats);
    let parties = names
        .iter()
        .map(|name| FederalParty { id: ListId::new(name), name: (*name).into() })
        .collect();
    let contest =
        FederalContest::new("de-bdt-2017", parties, lands).expect("a valid federal contest");
    let rules = FederalRules {
        divisor: Divisor::SainteLague,
        threshold: percent("5%"),
        constituency_exemption: Seats(3),
        ties: TieRule::lot(),
        lot_seed: None,
    };
    let res = federal_allocation(&rules, &contest).expect("the 2017 Bundestag allocates");
    let seats_by_name = |seats: &[Seats]| -> Vec<(String, u32)> {
        let mut pairs: Vec<(String, u32)> = names
            .iter()
            .map(|name| (*name).to_owned())
            .zip(seats.iter().map(|it| it.0))
            .filter(|(_, it)| *it > 0)
            .collect();
        pairs.sort_unstable();
        pairs
    };
    let want = |object: &Value| -> Vec<(String, u32)> {
        let mut pairs: Vec<(String, u32)> =
            expected(object).into_iter().map(|(name, it)| (name.to_owned(), it)).collect();
        pairs.sort_unstable();
        pairs
    };
    assert_eq!(seats_by_name(&res.totals), want(&case["expected_bund_seats"]));
    assert_eq!(res.house, Seats(709));
    let mv =
        contest.lands().iter().position(|land| land.name == "Mecklenburg-Vorpommern").expect("M-V");
    assert_eq!(seats_by_name(&res.seats[mv]), want(&case["expected_mecklenburg_vorpommern"]));
    // 46 overhang seats at the first distribution: the minimums sum to 644, not 598.
    assert_eq!(res.minimums.iter().copied().sum::<Seats>(), Seats(644));
}

/// The Länder of the votelib file: second votes summed by Land, and each Wahlkreis won
/// by the party with the most first votes (no constituency has a tie).
fn bundestag_lands<'a>(
    text: &'a str,
    population: &serde_json::Map<String, Value>,
    land_seats: &[Seats],
) -> (Vec<&'a str>, Vec<Land>) {
    let mut lines = text.lines().filter(|line| !line.trim().is_empty());
    let header = lines.next().expect("a header");
    let names: Vec<&str> = header.split(';').skip(2).filter(|name| !name.is_empty()).collect();
    lines.next().expect("the Erststimmen/Zweitstimmen row");
    let mut lands: Vec<Land> = population
        .keys()
        .zip(land_seats)
        .map(|(name, &seats)| Land {
            name: name.clone(),
            seats,
            second_votes: vec![Votes(0); names.len()],
            constituency_seats: vec![Seats(0); names.len()],
            other_constituency_seats: Seats(0),
        })
        .collect();
    for line in lines {
        let fields: Vec<&str> = line.split(';').collect();
        let land = lands.iter_mut().find(|land| land.name == fields[1]).expect("a known Land");
        let numbers: Vec<u64> = fields[2..]
            .iter()
            .map(|field| if field.is_empty() { 0 } else { field.parse().expect("votes") })
            .collect();
        let first: Vec<u64> = numbers.iter().step_by(2).copied().collect();
        for (party, second) in numbers.iter().skip(1).step_by(2).enumerate() {
            land.second_votes[party].0 += second;
        }
        let best = first.iter().max().expect("candidates");
        let winners: Vec<usize> = (0..first.len()).filter(|&idx| first[idx] == *best).collect();
        assert_eq!(winners.len(), 1, "a tie in {}", fields[0]);
        land.constituency_seats[winners[0]].0 += 1;
    }
    (names, lands)
}

/// § 6 (2) first sentence: 598 seats to the Länder by Sainte-Laguë on their German
/// population, each Land a "list" of the engine.
fn land_seats(population: &serde_json::Map<String, Value>) -> Vec<Seats> {
    let lists = population
        .iter()
        .map(|(name, people)| List {
            id: ListId::new(name),
            name: name.clone(),
            votes: Votes(count(people)),
            threshold: None,
        })
        .collect();
    let contest =
        Contest::new("de-2017-länder", Seats(598), lists, Ballots::default()).expect("valid");
    allocate(&list_rules(SAINTE_LAGUE, None, 0), &contest).expect("an apportionment").seats
}

/// The seed's 50/50 plan on the 2021 Mazhilis votes: 49 list seats by art. 97-1 (Hare,
/// 5 % of the valid votes, two lists at least) and 49 single-member seats, of which the
/// self-nominated win 2 and "against all" 2 (left vacant). The list tier equals a plain
/// list allocation of 49 seats, whatever the single-member results.
#[test]
fn parallel_fifty_fifty_on_mazhilis_2021() {
    let election = json("elections/kz-mazhilis-2021.json");
    let votes: Vec<(&str, u64)> = election["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .map(|it| (it["name"].as_str().expect("a name"), count(&it["votes"])))
        .collect();
    let won = [40, 3, 2, 0, 0];
    let mut parties: Vec<MixedParty> =
        votes.iter().zip(won).map(|(&(name, votes), won)| party(name, votes, won)).collect();
    parties.push(party("self-nominated", 0, 2));
    let threshold = Threshold { percent: percent("5%"), base: ThresholdBase::Valid };
    let hare = Method::LargestRemainder { quota: Quota::usual(QuotaKind::Hare) };
    let rules = list_rules(hare, Some(threshold), 2);
    let mixed_rules = MixedRules::new(MixedRulesConfig {
        system: MixedSystem::Parallel,
        list_rules: rules.clone(),
        electorate_exemption: None,
    })
    .expect("valid parallel rules");
    for (list, single, vacant) in [(49, 49, 2), (69, 29, 0)] {
        let mut parties = parties.clone();
        if single == 29 {
            parties[0].electorate_seats = Seats(22);
        }
        let seats =
            MixedSeats { list: Seats(list), single_member: Seats(single), vacant: Seats(vacant) };
        let contest = MixedContest::new("kz-50-50", seats, parties.clone(), Ballots::default())
            .expect("valid");
        let res = mixed_allocation(&mixed_rules, &contest).expect("an allocation");
        let lists = parties
            .iter()
            .map(|it| List {
                id: it.id.clone(),
                name: it.name.clone(),
                votes: it.list_votes,
                threshold: None,
            })
            .collect();
        let plain = Contest::new("plain", Seats(list), lists, Ballots::default()).expect("valid");
        assert_eq!(res.list_seats, allocate(&rules, &plain).expect("an allocation").seats);
        for ((total, list), won) in res.seats.iter().zip(&res.list_seats).zip(&res.electorate_seats)
        {
            assert_eq!(*total, *list + *won);
        }
        assert_eq!((res.filled, res.vacancies), (Seats(list + single - vacant), Seats(vacant)));
    }
}

/// A random compensatory election: the first party dominates so that someone passes.
#[derive(Debug, Clone)]
struct Draft {
    votes: Vec<u64>,
    electorates: Vec<u32>,
    list_seats: u32,
    vacant: u32,
    threshold: Percent,
    exemption: Option<u32>,
}

fn draft() -> impl Strategy<Value = Draft> {
    (1usize..=7).prop_flat_map(|n_parties| {
        (
            500_000u64..1_000_000,
            prop::collection::vec(prop_oneof![Just(0u64), 20_000u64..400_000], n_parties),
            prop::collection::vec(prop_oneof![3 => Just(0u32), 2 => 0u32..12], n_parties + 1),
            1u32..60,
            0u32..3,
            (0u64..=10).prop_map(|num| Percent::from_ratio(num, 1)),
            prop::option::of(1u32..3),
        )
            .prop_map(
                |(dominant, mut votes, electorates, list_seats, vacant, threshold, exemption)| {
                    votes[0] = dominant;
                    // The last entry stands for independents: electorates without list votes.
                    votes.push(0);
                    Draft { votes, electorates, list_seats, vacant, threshold, exemption }
                },
            )
    })
}

impl Draft {
    fn contest(&self) -> MixedContest {
        let parties: Vec<MixedParty> = self
            .votes
            .iter()
            .zip(&self.electorates)
            .enumerate()
            .map(|(idx, (&votes, &won))| party(&format!("p{idx}"), votes, won))
            .collect();
        let won: u32 = self.electorates.iter().sum();
        let seats = MixedSeats {
            list: Seats(self.list_seats),
            single_member: Seats(won + self.vacant),
            vacant: Seats(self.vacant),
        };
        MixedContest::new("proptest", seats, parties, Ballots::default()).expect("a valid draft")
    }

    fn rules(&self, overhang: Overhang) -> MixedRules {
        let threshold = Threshold { percent: self.threshold, base: ThresholdBase::Lists };
        MixedRules::new(MixedRulesConfig {
            system: MixedSystem::Compensatory { overhang },
            list_rules: list_rules(SAINTE_LAGUE, Some(threshold), 0),
            electorate_exemption: self.exemption.map(Seats),
        })
        .expect("valid rules")
    }
}

/// Every party holds at least its electorates; parties without a qualifying list hold
/// exactly them.
fn assert_electorates_held(res: &MixedAllocation) {
    for (idx, (seats, won)) in res.seats.iter().zip(&res.electorate_seats).enumerate() {
        assert!(seats >= won, "party {idx}: {seats} seats below {won} electorates");
        if !res.admission[idx].is_admitted() {
            assert_eq!(seats, won, "party {idx} is not admitted");
        }
    }
}

properties! {
    cases = None;

    fn keep_holds_every_electorate(draft in draft()) {
        let contest = draft.contest();
        let res = mixed_allocation(&draft.rules(Overhang::Keep), &contest).expect("an allocation");
        assert_electorates_held(&res);
        let overhang: u32 = res.overhang.iter().map(|seats| seats.0).sum();
        prop_assert_eq!(res.filled.0, contest.house().0 - draft.vacant + overhang);
        Ok(Reached::Yes)
    }

    fn level_is_proportional_in_the_enlarged_house(draft in draft()) {
        let contest = draft.contest();
        let res = mixed_allocation(&draft.rules(Overhang::Level), &contest).expect("an allocation");
        assert_electorates_held(&res);
        let levelling = res.trace.levelling.as_ref().expect("a levelling trace");
        let admitted: Vec<usize> = (0..res.seats.len()).filter(|&idx| res.admission[idx].is_admitted()).collect();
        prop_assert_eq!(&levelling.lists, &admitted);
        let house: Seats = admitted.iter().map(|&idx| res.seats[idx]).sum();
        prop_assert_eq!(house, levelling.house);
        prop_assert!(house >= res.trace.proportional_seats);
        let lists = admitted
            .iter()
            .map(|&idx| {
                let party = &contest.parties()[idx];
                List { id: party.id.clone(), name: party.name.clone(), votes: party.list_votes, threshold: None }
            })
            .collect();
        let enlarged = Contest::new("enlarged", house, lists, Ballots::default()).expect("valid");
        let plain = allocate(&list_rules(SAINTE_LAGUE, None, 0), &enlarged).expect("an allocation");
        let levelled: Vec<Seats> = admitted.iter().map(|&idx| res.seats[idx]).collect();
        prop_assert_eq!(levelled, plain.seats);
        // And it is the smallest such house: one seat fewer leaves a party short.
        if house > res.trace.proportional_seats {
            let smaller = Contest::new("smaller", Seats(house.0 - 1), enlarged.lists().to_vec(), Ballots::default())
                .expect("valid");
            let fewer = allocate(&list_rules(SAINTE_LAGUE, None, 0), &smaller).expect("an allocation");
            let short = admitted
                .iter()
                .zip(&fewer.seats)
                .any(|(&idx, seats)| *seats < contest.parties()[idx].electorate_seats);
            prop_assert!(short, "{} seats would do", house.0 - 1);
        }
        Ok(Reached::Yes)
    }

    fn none_keeps_the_house(draft in draft()) {
        let contest = draft.contest();
        let res = mixed_allocation(&draft.rules(Overhang::Disallow), &contest).expect("an allocation");
        assert_electorates_held(&res);
        prop_assert_eq!(res.filled.0, contest.house().0 - draft.vacant);
        Ok(Reached::Yes)
    }
}
