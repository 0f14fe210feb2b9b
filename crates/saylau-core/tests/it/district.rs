//! Golden tests of multi-district PR on the Czech Chamber of Deputies: 2017 (regional
//! D'Hondt, Act No. 247/1995 Coll. as amended in 2002) and 2021 (two tiers, as amended by
//! Act No. 189/2021 Coll.), with votelib's regional votes and expected seats.

use std::fs;
use std::path::Path;

use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::method::{Method, Rules, RulesConfig};
use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::seats::threshold::Percent;
use saylau_core::seats::tie::{TieCriterion, TieRule};
use saylau_core::seats::votes::{ListId, Seats, Votes};
use saylau_core::systems::district::spread::nationwide_allocation;
use saylau_core::systems::district::tier::{TierRules, TierRulesConfig, two_tier_allocation};
use saylau_core::systems::district::{
    District, DistrictList, DistrictRules, DistrictRulesConfig, Districts, Magnitudes,
    district_allocation,
};
use serde_json::Value;

const VOTELIB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/reference/peers/votelib");

/// The regions in the order of the CSV files' columns.
const REGIONS: [&str; 14] = [
    "Hlavní město Praha",
    "Středočeský kraj",
    "Jihočeský kraj",
    "Plzeňský kraj",
    "Karlovarský kraj",
    "Ústecký kraj",
    "Liberecký kraj",
    "Královéhradecký kraj",
    "Pardubický kraj",
    "Kraj Vysočina",
    "Jihomoravský kraj",
    "Olomoucký kraj",
    "Zlínský kraj",
    "Moravskoslezský kraj",
];

fn expected_cases() -> Value {
    let path = Path::new(VOTELIB).join("expected_from_tests.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path:?}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path:?}: {err}"))
}

/// A votelib CZ file: `party;region...` then one row of votes per party.
fn czech(file: &str) -> Districts {
    let path = Path::new(VOTELIB).join("tests/real/data").join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path:?}: {err}"));
    let mut lines = text.lines().filter(|line| !line.trim().is_empty());
    let header: Vec<&str> = lines.next().expect("a header").split(';').collect();
    assert_eq!(header[1..], REGIONS, "{file}: region columns");
    let mut lists = Vec::new();
    let mut rows: Vec<Vec<Votes>> = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split(';').collect();
        lists.push(DistrictList {
            id: ListId::new(fields[0]),
            name: fields[0].into(),
            threshold: None,
        });
        let votes = fields[1..].iter().map(|field| {
            Votes(field.trim().parse().unwrap_or_else(|err| panic!("{file}: {line:?}: {err}")))
        });
        rows.push(votes.collect());
    }
    let districts = REGIONS
        .iter()
        .enumerate()
        .map(|(idx, name)| District {
            name: (*name).to_owned(),
            votes: rows.iter().map(|row| row[idx]).collect(),
        })
        .collect();
    Districts::new(file, lists, districts).unwrap_or_else(|err| panic!("{file}: {err}"))
}

fn rules(method: Method, ties: &[TieCriterion]) -> Rules {
    Rules::new(RulesConfig {
        method,
        threshold: None,
        admit_at_least: 0,
        runner_up: None,
        ties: TieRule::new(ties).expect("distinct criteria"),
        lot_seed: None,
    })
    .expect("rules without a runner-up are valid")
}

/// § 48: the valid votes divided by 200 and rounded (republikové mandátové číslo), whole
/// quotas per region, then the largest remainders; a tie of remainders by lot.
fn czech_magnitudes() -> Magnitudes {
    let quota = Quota { kind: QuotaKind::Hare, rounding: QuotaRounding::Round };
    let hare = rules(Method::LargestRemainder { quota }, &[TieCriterion::Lot]);
    Magnitudes::ByVotes { house: Seats(200), rules: Box::new(hare) }
}

fn five_percent() -> Option<Percent> {
    Some(Percent::parse("5%").expect("a valid percentage"))
}

/// Asserts the seats of every list by name against a JSON object (missing names: none).
fn check(label: &str, districts: &Districts, seats: &[Seats], expect: &Value) {
    let expect = expect.as_object().unwrap_or_else(|| panic!("{label}: an object of seats"));
    let mut differ = Vec::new();
    for (list, won) in districts.lists().iter().zip(seats) {
        let expected = expect.get(list.name.as_str()).and_then(Value::as_u64).unwrap_or(0);
        if u64::from(won.0) != expected {
            differ.push(format!("{}: expected {expected}, got {won}", list.name));
        }
    }
    for name in expect.keys() {
        assert!(districts.lists().iter().any(|list| list.name == *name), "{label}: no {name}");
    }
    assert!(differ.is_empty(), "{label}: seats differ:\n{}", differ.join("\n"));
}

fn region(name: &str) -> usize {
    REGIONS.iter().position(|region| *region == name).expect("a known region")
}

fn magnitudes(seats: &[Seats]) -> Vec<u32> {
    seats.iter().map(|seats| seats.0).collect()
}

#[test]
fn cz_psp_2017_regional_dhondt() {
    let case = &expected_cases()["cz_psp_2017"];
    let districts = czech("cz_psp_2017.csv");
    let rules = DistrictRules::new(DistrictRulesConfig {
        magnitudes: czech_magnitudes(),
        national_threshold: five_percent(),
        district_threshold: None,
        rules: rules(Method::Divisor { divisor: Divisor::DHondt }, &[TieCriterion::Lot]),
    })
    .expect("valid district rules");
    let res = district_allocation(&rules, &districts).expect("the 2017 election allocates");
    // The ČSÚ's region magnitudes of 2017.
    assert_eq!(magnitudes(&res.magnitudes), [24, 26, 13, 11, 5, 13, 8, 11, 10, 10, 23, 12, 12, 22]);
    check("2017 national", &districts, &res.totals, &case["expected_national"]);
    check("2017 Praha", &districts, &res.seats[region(REGIONS[0])], &case["expected_praha"]);
    let karlovarsky = &res.seats[region("Karlovarský kraj")];
    check("2017 Karlovarský", &districts, karlovarsky, &case["expected_karlovarsky"]);
}

#[test]
fn cz_psp_2021_two_tiers() {
    let case = &expected_cases()["cz_psp_2021"];
    let districts = czech("cz_psp_2021.csv");
    let rules = TierRules::new(TierRulesConfig {
        magnitudes: czech_magnitudes(),
        national_threshold: five_percent(),
        district_quota: Quota { kind: QuotaKind::Imperiali, rounding: QuotaRounding::Round },
        national_quota: Quota {
            kind: QuotaKind::HagenbachBischoff,
            rounding: QuotaRounding::Round,
        },
        ties: TieRule::new(&[TieCriterion::Votes, TieCriterion::Lot]).expect("distinct criteria"),
        lot_seed: None,
    })
    .expect("a rounded district quota");
    let res = two_tier_allocation(&rules, &districts).expect("the 2021 election allocates");
    // 5 375 090 valid votes / 200 = 26 875 (republikové mandátové číslo, as published);
    // Praha lost a seat to Ústecký kraj compared with 2017.
    let apportionment = res.trace.magnitudes.as_ref().and_then(|trace| trace.quota);
    let quota = apportionment.expect("a quota for the magnitudes");
    assert_eq!((quota.admitted_votes, quota.value.to_string()), (Votes(5_375_090), "26875".into()));
    assert_eq!(magnitudes(&res.magnitudes), [23, 26, 13, 11, 5, 14, 8, 11, 10, 10, 23, 12, 12, 22]);
    check("2021 national", &districts, &res.totals, &case["expected_national"]);
    check("2021 Praha", &districts, &res.seats[region(REGIONS[0])], &case["expected_praha"]);
    // The first tier gives 199 seats after three take-backs; one seat is left over.
    let taken_back: Vec<usize> = res
        .trace
        .districts
        .iter()
        .filter(|step| !step.taken_back.is_empty())
        .map(|step| step.district)
        .collect();
    assert_eq!(
        taken_back,
        [region("Pardubický kraj"), region("Kraj Vysočina"), region("Olomoucký kraj")]
    );
    assert_eq!(res.trace.leftover, Seats(1));
    let first: u32 = res.first_tier.iter().flatten().map(|seats| seats.0).sum();
    assert_eq!(first + res.second_tier.iter().map(|seats| seats.0).sum::<u32>(), 200);
}

/// The national-first spread keeps every list's national total, whatever the regions.
#[test]
fn cz_psp_2021_nationwide_spread_keeps_totals() {
    let districts = czech("cz_psp_2021.csv");
    let quota = Quota::usual(QuotaKind::Hare);
    let rules = Rules::new(RulesConfig {
        method: Method::LargestRemainder { quota },
        threshold: Some(saylau_core::seats::threshold::Threshold {
            percent: Percent::parse("5%").expect("a valid percentage"),
            base: saylau_core::seats::threshold::ThresholdBase::Lists,
        }),
        admit_at_least: 0,
        runner_up: None,
        ties: TieRule::lot(),
        lot_seed: None,
    })
    .expect("valid rules");
    let res = nationwide_allocation(&rules, Seats(200), &districts).expect("an allocation");
    for (list, won) in res.national.seats.iter().enumerate() {
        let spread: u32 = res.seats.iter().map(|row| row[list].0).sum();
        assert_eq!(spread, won.0, "{}", districts.lists()[list].name);
    }
    assert_eq!(res.district_totals.iter().copied().sum::<Seats>(), Seats(200));
}
