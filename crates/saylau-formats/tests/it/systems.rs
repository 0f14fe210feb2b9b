//! Golden tests of the systems through their bundled files: New Zealand 2020 (mmp),
//! Zurich 2015 (biproportional, every party × district seat), the Czech Chamber of
//! Deputies 2017 and 2021 (districts, one and two tiers), and the Kazakh reform
//! scenarios, whose official parts must be the shared data's and whose modelled parts
//! must be what their notes say.

use saylau_core::seats::votes::{Seats, Votes};
use saylau_core::systems::system::{MagnitudeRule, System, SystemAllocation, system_allocation};
use saylau_formats::{ElectionFile, SystemName, read_election};
use serde_json::Value;

use crate::{data_dir, shared_dir};

fn read(relative: &str) -> ElectionFile {
    read_election(&data_dir().join(relative), &[]).unwrap_or_else(|err| panic!("{err}"))
}

fn allocate(file: &ElectionFile) -> SystemAllocation {
    system_allocation(&file.system).unwrap_or_else(|err| panic!("{}: {err}", file.meta.name))
}

fn shared_json(relative: &str) -> Value {
    let path = shared_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path:?}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path:?}: {err}"))
}

fn whole(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("{value} is not a whole number"))
}

fn count(value: &Value) -> u32 {
    u32::try_from(whole(value)).expect("a count of seats")
}

fn seats(values: &[Seats]) -> Vec<u32> {
    values.iter().map(|seats| seats.0).collect()
}

/// The district × list votes of a district system: `[district][list]`.
fn vote_rows(file: &ElectionFile) -> Vec<Vec<u64>> {
    match &file.system {
        System::Districts { districts, .. } | System::Biproportional { districts, .. } => districts
            .districts()
            .iter()
            .map(|district| district.votes.iter().map(|votes| votes.0).collect())
            .collect(),
        _ => panic!("{}: not a district system", file.meta.name),
    }
}

/// Checks a file's national seats by list id against `expect` (absent ids: none).
fn check(file: &ElectionFile, got: &[Seats], expect: &[(&str, u32)]) {
    let lists = file.system.lists();
    for (list, won) in lists.iter().zip(got) {
        let want = expect.iter().find(|(id, _)| *id == list.id.as_str()).map_or(0, |it| it.1);
        assert_eq!(won.0, want, "{}: {}", file.meta.name, list.id);
    }
    for (id, _) in expect {
        assert!(lists.iter().any(|list| list.id.as_str() == *id), "{}: no {id}", file.meta.name);
    }
}

#[test]
fn nz_2020_as_an_mmp_file() {
    let file = read("nz/nz-2020.toml");
    assert_eq!(file.meta.system, SystemName::Mmp);
    let json = shared_json("elections/nz-2020.json");
    let parties = json["parties"].as_array().expect("parties");
    let lists = file.system.lists();
    assert_eq!(lists.len(), parties.len());
    for (list, party) in lists.iter().zip(parties) {
        assert_eq!(Some(list.name.as_str()), party["name"].as_str());
        assert_eq!(list.votes.0, whole(&party["votes"]), "{}", list.name);
    }
    let official: Vec<Option<Seats>> = parties
        .iter()
        .map(|party| Some(Seats(u32::try_from(whole(&party["seats_official"])).expect("few"))))
        .collect();
    assert_eq!(file.meta.official_seats, official);
    let res = allocate(&file);
    assert_eq!(res.seats.iter().map(|it| Some(*it)).collect::<Vec<_>>(), official);
    let System::Mixed { contest, .. } = &file.system else { panic!("a mixed system") };
    assert_eq!((contest.seats().list, contest.seats().single_member), (Seats(48), Seats(72)));
}

#[test]
fn zurich_2015_reproduces_every_party_and_district_seat() {
    let file = read("ch/zh-kantonsrat-2015.toml");
    let json = shared_json("elections/ch-zh-kantonsrat-2015.json");
    let matrix = json["party_votes_matrix"]["rows_in_district_order"].as_array().expect("rows");
    let from_json: Vec<Vec<u64>> = matrix
        .iter()
        .map(|row| row.as_array().expect("a row").iter().map(whole).collect())
        .collect();
    assert_eq!(vote_rows(&file), from_json, "the votes are the shared file's");
    let official =
        json["lower_apportionment_official"]["rows_in_district_order"].as_array().expect("rows");
    let official: Vec<Vec<u32>> = official
        .iter()
        .map(|row| row.as_array().expect("a row").iter().map(count).collect())
        .collect();
    // The file records the official lower apportionment list by list.
    let recorded: Vec<Vec<u32>> = (0..official.len())
        .map(|district| {
            file.meta
                .official_district_seats
                .iter()
                .map(|row| row.as_ref().expect("every list by district")[district].0)
                .collect()
        })
        .collect();
    assert_eq!(recorded, official);
    let res = allocate(&file);
    let table = res.districts.expect("districts");
    let computed: Vec<Vec<u32>> = table.seats.iter().map(|row| seats(row)).collect();
    assert_eq!(computed, official, "the lower apportionment is the official one");
    let upper = &json["upper_apportionment_official"];
    let names = json["party_votes_matrix"]["columns"].as_array().expect("names");
    let expect: Vec<u32> =
        names.iter().map(|name| count(&upper[name.as_str().expect("a name")])).collect();
    assert_eq!(seats(&res.seats), expect, "the upper apportionment is the official one");
}

/// votelib's CSV as `[district][list]` votes, the lists in the file's order.
fn votelib_rows(year: u32) -> Vec<Vec<u64>> {
    let path = shared_dir().join(format!("peers/votelib/tests/real/data/cz_psp_{year}.csv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path:?}: {err}"));
    let lists: Vec<Vec<u64>> = text
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            line.split(';').skip(1).map(|votes| votes.trim().parse().unwrap_or(0)).collect()
        })
        .collect();
    (0..lists[0].len()).map(|district| lists.iter().map(|row| row[district]).collect()).collect()
}

#[test]
fn czech_2017_and_2021_as_district_files() {
    let expected = shared_json("peers/votelib/expected_from_tests.json");
    let magnitudes = [
        (2017, [24, 26, 13, 11, 5, 13, 8, 11, 10, 10, 23, 12, 12, 22]),
        (2021, [23, 26, 13, 11, 5, 14, 8, 11, 10, 10, 23, 12, 12, 22]),
    ];
    for (year, want) in magnitudes {
        let file = read(&format!("cz/psp-{year}.toml"));
        assert_eq!(vote_rows(&file), votelib_rows(year), "{year}: votelib's votes");
        let case = &expected[format!("cz_psp_{year}")];
        let res = allocate(&file);
        let table = res.districts.as_ref().expect("districts");
        assert_eq!(seats(&table.magnitudes), want, "{year}: the ČSÚ's magnitudes");
        let names: Vec<String> = file.system.lists().into_iter().map(|list| list.name).collect();
        let by_name = |row: &[Seats], object: &Value| {
            let object = object.as_object().expect("seats by name");
            for (name, won) in names.iter().zip(row) {
                let want = object.get(name).map_or(0, whole);
                assert_eq!(u64::from(won.0), want, "{year}: {name}");
            }
        };
        by_name(&res.seats, &case["expected_national"]);
        by_name(&table.seats[0], &case["expected_praha"]);
        if year == 2017 {
            by_name(&table.seats[4], &case["expected_karlovarsky"]);
        }
        let official: Vec<Option<Seats>> = res.seats.iter().map(|it| Some(*it)).collect();
        assert_eq!(file.meta.official_seats, official, "{year}");
    }
}

/// The population of each district of a reform file, by the shared data's region names.
const REGIONS: [(&str, &str); 17] = [
    ("akmola", "Akmola"),
    ("aktobe", "Aktobe"),
    ("almaty-region", "Almaty Region"),
    ("atyrau", "Atyrau"),
    ("west-kazakhstan", "West Kazakhstan"),
    ("zhambyl", "Zhambyl"),
    ("karaganda", "Karaganda"),
    ("kostanay", "Kostanay"),
    ("kyzylorda", "Kyzylorda"),
    ("mangystau", "Mangystau"),
    ("pavlodar", "Pavlodar"),
    ("north-kazakhstan", "North Kazakhstan"),
    ("turkistan", "Turkistan"),
    ("east-kazakhstan", "East Kazakhstan"),
    ("nur-sultan", "Nur-Sultan (Astana) city"),
    ("almaty", "Almaty city"),
    ("shymkent", "Shymkent city"),
];

/// Districts made of several regions: `(district, member regions)`.
type Groups<'a> = &'a [(&'a str, &'a [&'a str])];

/// The seed's macro-regions (its survey, part 2) as the 7-region file groups them.
const MACRO_REGIONS: [(&str, &[&str]); 7] = [
    ("almaty", &["almaty"]),
    ("nur-sultan", &["nur-sultan"]),
    ("north", &["akmola", "kostanay", "pavlodar", "north-kazakhstan"]),
    ("south", &["shymkent", "almaty-region", "zhambyl", "kyzylorda", "turkistan"]),
    ("west", &["mangystau", "aktobe", "atyrau", "west-kazakhstan"]),
    ("east", &["east-kazakhstan"]),
    ("centre", &["karaganda"]),
];

fn population(key: &str, id: &str) -> u64 {
    let regions = &shared_json("kazakhstan/population-by-region.json")[key]["regions"];
    let name = REGIONS.iter().find(|(region, _)| *region == id).expect("a known region").1;
    whole(&regions[name])
}

/// The official 2021 list votes, by id, as the law's file has them.
fn official_votes() -> Vec<(String, Votes)> {
    let law = read("kz/mazhilis-2021.toml");
    law.system.lists().into_iter().map(|list| (list.id.to_string(), list.votes)).collect()
}

#[test]
fn reform_files_carry_the_official_votes_and_population() {
    let cases: [(&str, &str, Groups); 3] = [
        ("reform-17-districts.toml", "as_of_2021_01_01_14plus3", &[]),
        ("reform-7-regions.toml", "as_of_2021_01_01_14plus3", &MACRO_REGIONS),
        ("reform-265-cube-root.toml", "as_of_2020_01_01_14plus3", &[]),
    ];
    for (name, key, groups) in cases {
        let file = read(&format!("kz/{name}"));
        let scenario = file.meta.scenario.as_ref().expect("a [scenario]");
        assert!(scenario.modelled && scenario.note.contains("not published"), "{name}");
        assert!(file.meta.model.is_some(), "{name}: the district votes are modelled");
        let national: Vec<(String, Votes)> =
            file.system.lists().into_iter().map(|list| (list.id.to_string(), list.votes)).collect();
        assert_eq!(national, official_votes(), "{name}: the official national votes");
        for district in &file.meta.districts {
            let members: Vec<&str> = match groups.iter().find(|(id, _)| *id == district.id) {
                Some((_, members)) => members.to_vec(),
                None => vec![district.id.as_str()],
            };
            let want: u64 = members.iter().map(|id| population(key, id)).sum();
            assert_eq!(district.population, Some(want), "{name}: {}", district.id);
        }
        check_uniform_shares(&file);
    }
    let cube_root = allocate(&read("kz/reform-265-cube-root.toml"));
    assert_eq!(cube_root.seats.iter().copied().sum::<Seats>(), Seats(265), "the seed's 265");
}

/// Every district has each list's national share of its population, to within one vote.
fn check_uniform_shares(file: &ElectionFile) {
    let System::Districts { districts, magnitudes, .. } = &file.system else {
        panic!("{}: a district system", file.meta.name)
    };
    assert!(matches!(magnitudes, MagnitudeRule::Apportioned { .. }), "by population");
    let total: u128 =
        file.meta.districts.iter().filter_map(|it| it.population).map(u128::from).sum();
    for (meta, district) in file.meta.districts.iter().zip(districts.districts()) {
        let population = u128::from(meta.population.expect("a population"));
        for (idx, votes) in district.votes.iter().enumerate() {
            let national = u128::from(districts.list_votes(idx).0);
            let exact_times_total = national * population;
            let got_times_total = u128::from(votes.0) * total;
            assert!(got_times_total.abs_diff(exact_times_total) < total, "{}", meta.id);
        }
    }
}

#[test]
fn the_mixed_plan_models_its_single_member_winners() {
    let file = read("kz/reform-mixed-50-50.toml");
    let scenario = file.meta.scenario.as_ref().expect("a [scenario]");
    assert!(scenario.modelled && scenario.note.contains("wins all 49"), "{}", scenario.note);
    let System::Mixed { contest, .. } = &file.system else { panic!("a mixed system") };
    let won: Vec<(String, u32)> = contest
        .parties()
        .iter()
        .map(|party| (party.id.to_string(), party.electorate_seats.0))
        .collect();
    assert_eq!(won[0], ("nur-otan".to_owned(), 49));
    assert!(won[1..].iter().all(|(_, seats)| *seats == 0));
    let national: Vec<(String, Votes)> =
        file.system.lists().into_iter().map(|list| (list.id.to_string(), list.votes)).collect();
    assert_eq!(national, official_votes());
    let res = allocate(&file);
    check(&file, &res.seats, &[("nur-otan", 87), ("ak-zhol", 6), ("peoples-party", 5)]);
}
