//! The bundled data under `data/`: every file reads, reproduces the seats it records, and
//! (for Kazakhstan) carries exactly the votes of the shared reference data.

use std::path::Path;

use saylau_core::seats::votes::Seats;
use saylau_core::systems::system::{System, SystemAllocation, SystemDetail, system_allocation};
use saylau_formats::{ElectionFile, Override, read_election};
use serde_json::Value;

use crate::{data_dir, shared_dir, toml_files};

/// Reads a bundled file, failing with its diagnostics.
fn read(path: &Path) -> ElectionFile {
    read_election(path, &[]).unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

/// Allocates a bundled file's seats.
fn seats_of(file: &ElectionFile) -> SystemAllocation {
    system_allocation(&file.system).unwrap_or_else(|err| panic!("{}: {err}", file.meta.name))
}

/// The file name relative to `data/`.
fn short_name(path: &Path) -> String {
    path.strip_prefix(data_dir()).unwrap_or(path).display().to_string()
}

#[test]
fn every_bundled_file_reads() {
    let files = toml_files(&data_dir());
    assert!(files.len() >= 9, "the bundled files are found: {files:?}");
    for path in files {
        let file = read(&path);
        assert!(
            file.meta.source.is_some(),
            "{}: every bundled file cites its source",
            path.display()
        );
    }
}

#[test]
fn bundled_files_reproduce_their_recorded_seats() {
    let mut checked = 0;
    for path in toml_files(&data_dir()) {
        let file = read(&path);
        let allocation = seats_of(&file);
        let computed: Vec<Option<Seats>> = allocation.seats.iter().copied().map(Some).collect();
        for recorded in [&file.meta.official_seats, &file.meta.expected_seats] {
            if recorded.iter().any(Option::is_some) {
                assert_eq!(&computed, recorded, "{}", short_name(&path));
                checked += 1;
            }
        }
        // Seats recorded by district: list by list, each district in order.
        let by_district = allocation.districts.as_ref().map(|table| {
            (0..computed.len())
                .map(|list| Some(table.seats.iter().map(|row| row[list]).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        });
        for recorded in [&file.meta.official_district_seats, &file.meta.expected_district_seats] {
            if recorded.iter().any(Option::is_some) {
                assert_eq!(by_district.as_ref(), Some(recorded), "{}", short_name(&path));
            }
        }
    }
    assert!(checked >= 7, "official or expected seats are checked in {checked} files");
}

#[test]
fn computed_seats_of_every_bundled_file() {
    let mut report = String::new();
    for path in toml_files(&data_dir()) {
        let file = read(&path);
        let allocation = seats_of(&file);
        if let SystemDetail::List(list) = &allocation.detail {
            assert!(
                list.trace.ties.is_empty(),
                "{}: no tie, so list order does not matter",
                short_name(&path)
            );
        }
        let seats: Vec<String> = file
            .system
            .lists()
            .iter()
            .zip(&allocation.seats)
            .filter(|(_, seats)| seats.0 > 0)
            .map(|(list, seats)| format!("{} {seats}", list.id))
            .collect();
        report.push_str(&format!("{}: {}\n", short_name(&path), seats.join(", ")));
    }
    insta::assert_snapshot!("computed_seats", report);
}

/// The shared JSON a Kazakh file takes its votes from.
fn shared_json(path: &Path) -> Value {
    let stem = path.file_stem().and_then(|stem| stem.to_str()).expect("a UTF-8 file name");
    let year = stem.trim_start_matches("mazhilis-").split('-').next().expect("a year");
    let name = if year == "2004" {
        "kz-mazhilis-2004-list.json".to_owned()
    } else {
        format!("kz-mazhilis-{year}.json")
    };
    let json_path = shared_dir().join("elections").join(name);
    let text = std::fs::read_to_string(&json_path)
        .unwrap_or_else(|err| panic!("{}: {err}", json_path.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn kazakh_files_carry_the_shared_votes() {
    let files = toml_files(&data_dir().join("kz"));
    let mut compared = 0;
    let mut modelled = 0;
    for path in &files {
        let file = read(path);
        if file.meta.scenario.as_ref().is_some_and(|scenario| scenario.modelled) {
            modelled += 1;
            continue;
        }
        let System::List { contest, .. } = &file.system else {
            panic!("{}: the real Kazakh files are nationwide list contests", short_name(path));
        };
        let json = shared_json(path);
        let parties = json["parties"].as_array().expect("parties");
        let from_json: Vec<(String, u64)> = parties
            .iter()
            .map(|party| {
                (
                    party["name"].as_str().expect("a name").to_owned(),
                    party["votes"].as_u64().expect("votes"),
                )
            })
            .collect();
        let from_toml: Vec<(String, u64)> =
            contest.lists().iter().map(|list| (list.name.clone(), list.votes.0)).collect();
        assert_eq!(from_toml, from_json, "{}", short_name(path));
        let electorate = &json["electorate"];
        let participants =
            electorate["voters_took_part"].as_u64().or(electorate["ballots_received"].as_u64());
        assert_eq!(
            contest.ballots().participants.map(|votes| votes.0),
            participants,
            "{}",
            short_name(path)
        );
        if file.meta.official_seats.iter().any(Option::is_some) {
            let official: Vec<Option<Seats>> = parties
                .iter()
                .map(|party| {
                    party["seats_official"]
                        .as_u64()
                        .map(|seats| Seats(u32::try_from(seats).expect("few seats")))
                })
                .collect();
            assert_eq!(file.meta.official_seats, official, "{}", short_name(path));
        }
        compared += 1;
    }
    assert_eq!(compared + modelled, files.len(), "every file is compared or modelled");
    assert!(compared >= 8, "the real files are compared: {compared}");
}

#[test]
fn published_counterfactuals_match_the_shared_data() {
    let counterfactuals = [
        ("mazhilis-2021-5pct.toml", "/counterfactuals_published/threshold_5pct"),
        ("mazhilis-2021-3pct.toml", "/counterfactuals_published/threshold_3pct"),
        (
            "mazhilis-2004-literal-law.toml",
            "/threshold/literal_law_counterfactual/seats_if_AIST_excluded",
        ),
    ];
    for (name, pointer) in counterfactuals {
        let path = data_dir().join("kz").join(name);
        let file = read(&path);
        let published =
            shared_json(&path).pointer(pointer).cloned().expect("a published counterfactual");
        let expected: Vec<Option<Seats>> = file
            .system
            .lists()
            .iter()
            .map(|list| {
                let seats = published.get(&list.name).and_then(Value::as_u64).unwrap_or(0);
                Some(Seats(u32::try_from(seats).expect("few seats")))
            })
            .collect();
        assert_eq!(file.meta.expected_seats, expected, "{name}");
    }
}

#[test]
fn the_observer_scenario_says_it_is_modelled() {
    let file = read(&data_dir().join("kz/mazhilis-2021-observers.toml"));
    let scenario = file.meta.scenario.expect("a [scenario] table");
    assert!(scenario.modelled);
    assert!(scenario.note.contains("36.2 %"), "{}", scenario.note);
    assert!(file.meta.official_seats.iter().all(Option::is_none));
}

#[test]
fn an_override_turns_the_2021_election_into_its_counterfactuals() {
    for (threshold, counterfactual) in
        [("5%", "mazhilis-2021-5pct.toml"), ("3%", "mazhilis-2021-3pct.toml")]
    {
        let set =
            Override::parse(&format!("rules.threshold={threshold}")).expect("a valid override");
        let file = read_election(&data_dir().join("kz/mazhilis-2021.toml"), &[set])
            .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
        let computed: Vec<Option<Seats>> = seats_of(&file).seats.into_iter().map(Some).collect();
        let published = read(&data_dir().join("kz").join(counterfactual)).meta.expected_seats;
        assert_eq!(computed, published, "{threshold}");
    }
}
