//! Apportionment of seats to districts: golden tests on official magnitudes (Bundestag
//! 2017 Land quotas, Czech regions 2017 and 2021), the seed's Kazakh reform scenarios and
//! the cube-root law, and property tests (house size, minimums, house monotonicity).
//!
//! The Kazakh expectations are hypothetical (no law apportions Mazhilis seats by region);
//! they were recomputed by an independent script with exact fractions.

use crate::reach::{Reached, properties};
use std::fs;

use proptest::prelude::*;
use proptest::sample::select;
use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::method::Method;
use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::seats::rational::Rational;
use saylau_core::seats::tie::{TieCriterion, TieRule};
use saylau_core::seats::votes::Seats;
use saylau_core::systems::apportionment::{
    Apportionment, ApportionmentConfig, ApportionmentError, ApportionmentRules, DistrictPopulation,
    HouseSize, Minimum, MinimumRule, Population, Populations, apportionment, cube_root_house_size,
};
use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/reference");

fn json(relative: &str) -> Value {
    let path = format!("{SHARED}/{relative}");
    let text = fs::read_to_string(&path).unwrap_or_else(|err| panic!("reading {path}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// Districts from a JSON object of name → population, in file order.
fn populations(object: &Value) -> Populations {
    let districts = object
        .as_object()
        .expect("an object of populations")
        .iter()
        .map(|(name, population)| DistrictPopulation {
            name: name.clone(),
            population: Population(population.as_u64().expect("a whole population")),
        })
        .collect();
    Populations::new(districts).expect("valid districts")
}

fn rules(method: Method, house: HouseSize, minimum: Option<Minimum>) -> ApportionmentRules {
    ApportionmentRules::new(ApportionmentConfig {
        method,
        house,
        minimum,
        ties: TieRule::new(&[TieCriterion::Registration]).expect("one criterion"),
        lot_seed: None,
    })
    .expect("valid rules")
}

const SAINTE_LAGUE: Method = Method::Divisor { divisor: Divisor::SainteLague };
const HARE: Method = Method::LargestRemainder {
    quota: Quota { kind: QuotaKind::Hare, rounding: QuotaRounding::Exact },
};

/// The districts' own names, in order.
fn names_of(districts: &Populations) -> Vec<&str> {
    districts.districts().iter().map(|district| district.name.as_str()).collect()
}

/// Apportions `districts` and checks the seats, expected in `names` order (JSON objects
/// are read with their keys sorted, so the districts are matched by name).
fn check(
    rules: &ApportionmentRules,
    districts: &Populations,
    names: &[&str],
    expect: &[u32],
) -> Apportionment {
    let position = |name: &&str| {
        districts
            .districts()
            .iter()
            .position(|district| district.name == *name)
            .unwrap_or_else(|| panic!("no district {name}"))
    };
    let order: Vec<usize> = names.iter().map(position).collect();
    assert_eq!(order.len(), districts.districts().len());
    let res = apportionment(rules, districts).unwrap_or_else(|err| panic!("{err}"));
    let seats: Vec<u32> = order.iter().map(|&idx| res.seats[idx].0).collect();
    assert_eq!(seats, expect);
    res
}

/// The 2021 regions in the file's order.
const REGIONS_2021: [&str; 17] = [
    "Akmola",
    "Aktobe",
    "Almaty Region",
    "Atyrau",
    "West Kazakhstan",
    "Zhambyl",
    "Karaganda",
    "Kostanay",
    "Kyzylorda",
    "Mangystau",
    "Pavlodar",
    "North Kazakhstan",
    "Turkistan",
    "East Kazakhstan",
    "Nur-Sultan (Astana) city",
    "Almaty city",
    "Shymkent city",
];

/// The 2023 regions in the file's order.
const REGIONS_2023: [&str; 20] = [
    "Abai",
    "Akmola",
    "Aktobe",
    "Almaty Region",
    "Atyrau",
    "West Kazakhstan",
    "Zhambyl",
    "Zhetysu",
    "Karaganda",
    "Kostanay",
    "Kyzylorda",
    "Mangystau",
    "Pavlodar",
    "North Kazakhstan",
    "Turkistan",
    "Ulytau",
    "East Kazakhstan",
    "Astana city",
    "Almaty city",
    "Shymkent city",
];

/// The Länder in the order of the Bundeswahlleiter's table.
const LAENDER: [&str; 16] = [
    "Schleswig-Holstein",
    "Mecklenburg-Vorpommern",
    "Hamburg",
    "Niedersachsen",
    "Bremen",
    "Brandenburg",
    "Sachsen-Anhalt",
    "Berlin",
    "Nordrhein-Westfalen",
    "Sachsen",
    "Hessen",
    "Thüringen",
    "Rheinland-Pfalz",
    "Bayern",
    "Baden-Württemberg",
    "Saarland",
];

#[test]
fn bundestag_2017_land_quotas() {
    // Bundeswahlleiter, press release 28/17 of 22 September 2017: German population at
    // 30 June 2016, Sainte-Laguë, "Divisor 122.650".
    let data = json("peers/votelib/expected_from_tests.json");
    let districts = populations(&data["de_bdt_2017"]["land_population_for_598_seat_base"]);
    let official = [22, 13, 12, 59, 5, 20, 17, 24, 128, 32, 43, 17, 30, 93, 76, 7];
    let rules = rules(SAINTE_LAGUE, HouseSize::Seats(Seats(598)), None);
    let res = check(&rules, &districts, &LAENDER, &official);
    let divisor = res.divisor.expect("a divisor method has a divisor");
    let official_divisor = Rational::from_integer(122_650);
    assert!(divisor.lowest <= official_divisor && official_divisor <= divisor.highest);
    assert_eq!(divisor.chosen.to_string(), "122650");
}

/// The regions' valid votes from votelib's CSV (one row per party, one column per region).
fn czech_regions(year: u32) -> Populations {
    let path = format!("{SHARED}/peers/votelib/tests/real/data/cz_psp_{year}.csv");
    let text = fs::read_to_string(&path).unwrap_or_else(|err| panic!("reading {path}: {err}"));
    let mut lines = text.lines();
    let names: Vec<&str> = lines.next().expect("a header").split(';').skip(1).collect();
    let mut totals = vec![0u64; names.len()];
    for line in lines.filter(|line| !line.is_empty()) {
        for (total, votes) in totals.iter_mut().zip(line.split(';').skip(1)) {
            *total += if votes.is_empty() { 0 } else { votes.parse::<u64>().expect("votes") };
        }
    }
    let districts = names
        .iter()
        .zip(totals)
        .map(|(name, total)| DistrictPopulation {
            name: (*name).to_owned(),
            population: Population(total),
        })
        .collect();
    Populations::new(districts).expect("valid regions")
}

#[test]
fn czech_region_magnitudes() {
    // Act 247/1995 § 48: valid votes / 200 is the republic mandate number (rounded, as we
    // read the text; the exact quota gives the same seats), whole seats and then the
    // largest remainders. Praha 24 (2017) and 23 (2021) and Karlovarský 5 (2017) match the
    // party breakdowns votelib checks; the other regions are as computed.
    let cases = [
        (2017, [24, 26, 13, 11, 5, 13, 8, 11, 10, 10, 23, 12, 12, 22]),
        (2021, [23, 26, 13, 11, 5, 14, 8, 11, 10, 10, 23, 12, 12, 22]),
    ];
    for (year, expect) in cases {
        let regions = czech_regions(year);
        for rounding in [QuotaRounding::Round, QuotaRounding::Exact] {
            let method =
                Method::LargestRemainder { quota: Quota { kind: QuotaKind::Hare, rounding } };
            let rules = rules(method, HouseSize::Seats(Seats(200)), None);
            check(&rules, &regions, &names_of(&regions), &expect);
        }
    }
}

#[test]
fn kazakhstan_cube_root_law() {
    // data/reference/kazakhstan/cube-root-law.json: 265 with the 1 January 2020 population.
    let law = json("kazakhstan/cube-root-law.json");
    assert_eq!(law["check"]["265_cubed"].as_u64(), Some(265 * 265 * 265));
    let regions = json("kazakhstan/population-by-region.json");
    let cases = [
        ("as_of_2020_01_01_14plus3", 265),
        ("as_of_2021_01_01_14plus3", 266),
        ("as_of_2022_01_01_17plus3", 269),
        ("as_of_2023_01_01_17plus3", 270),
    ];
    for (key, expect) in cases {
        let total = regions[key]["total"].as_u64().expect("a total");
        assert_eq!(populations(&regions[key]["regions"]).total(), Population(total), "{key}");
        assert_eq!(cube_root_house_size(Population(total)), Seats(expect), "{key}");
    }
    let range = &law["check"]["population_range_that_rounds_to_265"];
    for bound in [&range[0], &range[1]] {
        let population = Population(bound.as_u64().expect("a population"));
        assert_eq!(cube_root_house_size(population), Seats(265));
    }
    assert_eq!(cube_root_house_size(Population(19_000_000)), Seats(267));
}

#[test]
fn kazakhstan_seventeen_districts_2021() {
    let regions = json("kazakhstan/population-by-region.json");
    let districts = populations(&regions["as_of_2021_01_01_14plus3"]["regions"]);
    // Per house size: the seats with the minimum of one as a floor (it never binds, so
    // these are the seats without a minimum) and with the minimum added first.
    let cases = [
        (
            HouseSize::Seats(Seats(98)),
            [4, 5, 11, 3, 3, 6, 7, 4, 4, 4, 4, 3, 11, 7, 6, 10, 6],
            [4, 5, 10, 4, 4, 6, 7, 5, 4, 4, 4, 3, 10, 7, 6, 9, 6],
        ),
        (
            HouseSize::Seats(Seats(107)),
            [4, 5, 12, 4, 4, 6, 8, 5, 5, 4, 4, 3, 11, 8, 7, 11, 6],
            [5, 5, 11, 4, 4, 6, 8, 5, 5, 4, 5, 4, 11, 7, 7, 10, 6],
        ),
        (
            HouseSize::CubeRoot,
            [10, 13, 29, 9, 9, 16, 19, 12, 12, 10, 11, 8, 29, 19, 17, 28, 15],
            [11, 13, 28, 10, 10, 16, 19, 12, 12, 10, 11, 8, 28, 19, 17, 27, 15],
        ),
    ];
    // Hare and Sainte-Laguë agree on every case.
    for (house, floor, added) in cases {
        for method in [HARE, SAINTE_LAGUE] {
            let minimum = |rule| Some(Minimum { seats: Seats(1), rule });
            let res = check(
                &rules(method, house, minimum(MinimumRule::Floor)),
                &districts,
                &REGIONS_2021,
                &floor,
            );
            assert!(res.at_minimum.iter().all(|&held| !held));
            check(&rules(method, house, None), &districts, &REGIONS_2021, &floor);
            let rules = rules(method, house, minimum(MinimumRule::Added));
            let res = check(&rules, &districts, &REGIONS_2021, &added);
            if house == HouseSize::CubeRoot {
                assert_eq!(res.house, Seats(266));
            }
        }
    }
}

#[test]
fn kazakhstan_twenty_districts_2023_with_a_minimum_of_two() {
    // Ulytau (221,395 people) earns one seat of 98; the minimum of two binds.
    let regions = json("kazakhstan/population-by-region.json");
    let districts = populations(&regions["as_of_2023_01_01_17plus3"]["regions"]);
    let house = HouseSize::Seats(Seats(98));
    let cases = [
        (HARE, MinimumRule::Added, [4, 4, 5, 6, 4, 4, 6, 4, 5, 4, 5, 4, 4, 4, 8, 3, 4, 6, 8, 6]),
        (HARE, MinimumRule::Floor, [3, 4, 4, 7, 3, 3, 6, 3, 6, 4, 4, 4, 4, 3, 10, 2, 4, 7, 11, 6]),
        (
            SAINTE_LAGUE,
            MinimumRule::Added,
            [4, 4, 5, 7, 4, 4, 6, 4, 5, 4, 4, 4, 4, 4, 8, 3, 4, 6, 8, 6],
        ),
        (
            SAINTE_LAGUE,
            MinimumRule::Floor,
            [3, 4, 5, 7, 3, 3, 6, 3, 6, 4, 4, 4, 4, 3, 10, 2, 4, 7, 10, 6],
        ),
    ];
    for (method, rule, expect) in cases {
        let minimum = Some(Minimum { seats: Seats(2), rule });
        let res = check(&rules(method, house, minimum), &districts, &REGIONS_2023, &expect);
        if rule == MinimumRule::Floor {
            let ulytau = districts
                .districts()
                .iter()
                .position(|district| district.name == "Ulytau")
                .expect("Ulytau");
            assert_eq!(res.rounds.len(), 2);
            assert_eq!(res.rounds[0].below_minimum, [ulytau]);
            assert!(res.at_minimum[ulytau]);
        }
    }
}

#[test]
fn minimum_rules_differ_on_small_districts() {
    let districts = Populations::new(
        [("big", 1000), ("small", 10), ("tiny", 10)]
            .into_iter()
            .map(|(name, people)| DistrictPopulation {
                name: name.to_owned(),
                population: Population(people),
            })
            .collect(),
    )
    .expect("valid districts");
    let house = HouseSize::Seats(Seats(5));
    let minimum = |rule| Some(Minimum { seats: Seats(1), rule });
    let names = names_of(&districts);
    // Added: one each, then two more by Sainte-Laguë to the big district.
    let added = rules(SAINTE_LAGUE, house, minimum(MinimumRule::Added));
    check(&added, &districts, &names, &[3, 1, 1]);
    // Floor: all five to the big district at first; the others are held at one.
    let floor = rules(SAINTE_LAGUE, house, minimum(MinimumRule::Floor));
    check(&floor, &districts, &names, &[3, 1, 1]);
    check(&rules(SAINTE_LAGUE, house, None), &districts, &names, &[5, 0, 0]);
    let too_small = HouseSize::Seats(Seats(2));
    let err =
        apportionment(&rules(SAINTE_LAGUE, too_small, minimum(MinimumRule::Floor)), &districts);
    assert!(matches!(err, Err(ApportionmentError::MinimumExceedsHouse { needed: 3, .. })));
    // Exactly the minimums: no round is needed.
    let exact = check(
        &rules(HARE, HouseSize::Seats(Seats(3)), minimum(MinimumRule::Added)),
        &districts,
        &names,
        &[1, 1, 1],
    );
    assert!(exact.rounds.is_empty());
}

#[test]
fn rejects_bad_district_lists() {
    let district =
        |name: &str| DistrictPopulation { name: name.to_owned(), population: Population(1) };
    assert!(Populations::new(Vec::new()).is_err());
    assert!(Populations::new(vec![district("")]).is_err());
    assert!(Populations::new(vec![district("a"), district("a")]).is_err());
}

/// A random apportionment problem.
fn problem() -> impl Strategy<Value = (Vec<u64>, u32, Method, u32)> {
    let method = select(vec![
        SAINTE_LAGUE,
        HARE,
        Method::Divisor { divisor: Divisor::DHondt },
        Method::Divisor { divisor: Divisor::Adams },
        Method::Divisor { divisor: Divisor::HuntingtonHill },
        Method::LargestRemainder { quota: Quota::usual(QuotaKind::Droop) },
    ]);
    (prop::collection::vec(1u64..2_000_000, 1..10), 0u32..60, method, 0u32..3)
}

fn districts_of(populations: &[u64]) -> Populations {
    let districts = populations
        .iter()
        .enumerate()
        .map(|(idx, &people)| DistrictPopulation {
            name: format!("d{idx}"),
            population: Population(people),
        })
        .collect();
    Populations::new(districts).expect("valid districts")
}

properties! {
    cases = None;

    fn seats_sum_to_the_house_and_respect_the_minimum(
        (people, extra, method, minimum) in problem(),
        floor in any::<bool>(),
    ) {
        let districts = districts_of(&people);
        let count = u32::try_from(people.len()).expect("few districts");
        let house = count * minimum + extra + 1;
        let rule = if floor { MinimumRule::Floor } else { MinimumRule::Added };
        let rules = rules(method, HouseSize::Seats(Seats(house)), Some(Minimum { seats: Seats(minimum), rule }));
        let res = apportionment(&rules, &districts).expect("an apportionment");
        prop_assert_eq!(res.seats.iter().map(|seats| seats.0).sum::<u32>(), house);
        prop_assert!(res.seats.iter().all(|seats| seats.0 >= minimum));
        Ok(Reached::Yes)
    }

    fn divisor_methods_are_house_monotone(
        (people, extra, _method, minimum) in problem(),
        divisor in select(vec![Divisor::SainteLague, Divisor::DHondt, Divisor::Adams, Divisor::Dean]),
        rule in select(vec![None, Some(MinimumRule::Added), Some(MinimumRule::Floor)]),
    ) {
        let districts = districts_of(&people);
        let count = u32::try_from(people.len()).expect("few districts");
        let house = count * minimum + extra + 1;
        let minimum = rule.map(|rule| Minimum { seats: Seats(minimum), rule });
        let method = Method::Divisor { divisor };
        let smaller = apportionment(&rules(method, HouseSize::Seats(Seats(house)), minimum), &districts)
            .expect("an apportionment");
        let larger = apportionment(&rules(method, HouseSize::Seats(Seats(house + 1)), minimum), &districts)
            .expect("an apportionment");
        for (before, after) in smaller.seats.iter().zip(&larger.seats) {
            prop_assert!(before <= after, "{:?} then {:?}", smaller.seats, larger.seats);
        }
        Ok(Reached::Yes)
    }
}
