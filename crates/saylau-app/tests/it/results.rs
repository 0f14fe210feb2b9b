//! Results from current protocols: the totals up the hierarchy add up to the national
//! totals, every registered station is expected, a commission whose stations have not
//! reported yet is shown with zero counted, and the national seats of the synthetic
//! country (official 2021 totals) are the official 2021 seats.

use saylau_app::results::{Current, Level, level_totals, national};
use saylau_core::count::commission::StationId;
use saylau_stats::synthetic::{Seed, SyntheticOptions, synthetic_country};
use saylau_store::entry::{Seq, Version};
use saylau_store::tabulation::{CurrentProtocol, CurrentProtocols};

/// The synthetic country of `stations` stations, of which the last `missing` have not
/// reported: registered (expected) but without a protocol.
fn country(stations: u32, missing: usize) -> Current {
    let country = synthetic_country(Seed(2021), &SyntheticOptions::new(stations)).unwrap();
    let expected: Vec<StationId> = country.protocols.iter().map(|it| it.station()).collect();
    let reported = country.protocols.len() - missing;
    let protocols = country.protocols[..reported]
        .iter()
        .zip(1..)
        .map(|(protocol, seq)| CurrentProtocol {
            protocol: protocol.clone(),
            version: Version(1),
            seq: Seq(seq),
        })
        .collect();
    Current {
        protocols: CurrentProtocols {
            ballot: country.ballot,
            hierarchy: country.hierarchy,
            protocols,
        },
        expected,
    }
}

#[test]
fn every_level_adds_up_to_the_national_totals_and_counts_every_station() {
    let current = country(60, 0);
    let national = national(&current, None, "mazhilis-2021").unwrap();
    assert_eq!((national.stations, national.stations_expected), (60, 60));
    for level in [Level::Region, Level::District, Level::Station] {
        let totals = level_totals(&current, level, "mazhilis-2021").unwrap();
        assert_eq!(totals.level, level.name());
        let sum = |f: fn(&saylau_app::results::Totals) -> u64| -> u64 {
            totals.commissions.iter().map(f).sum()
        };
        assert_eq!(sum(|it| it.stations), 60, "{level:?}");
        assert_eq!(sum(|it| it.stations_expected), 60, "{level:?}");
        assert_eq!(sum(|it| it.lines.valid), national.lines.valid, "{level:?}");
        assert_eq!(sum(|it| it.lines.found_in_boxes), national.lines.found_in_boxes);
        for (idx, list) in national.lists.iter().enumerate() {
            assert_eq!(sum_list(&totals, idx), list.votes, "{level:?} {}", list.id);
        }
    }
    let regions = level_totals(&current, Level::Region, "mazhilis-2021").unwrap();
    assert_eq!(regions.commissions.len(), 17);
    assert_eq!(regions.list_ids.len(), national.lists.len());
}

fn sum_list(totals: &saylau_app::results::LevelTotals, idx: usize) -> u64 {
    totals.commissions.iter().map(|it| it.lists[idx].votes).sum()
}

#[test]
fn the_synthetic_country_gives_the_official_2021_seats() {
    let national = national(&country(40, 0), None, "mazhilis-2021").unwrap();
    let seats: Vec<(&str, u32)> =
        national.lists.iter().map(|it| (it.id.as_str(), it.seats)).collect();
    // The CEC's resolution of 19 January 2021: 76, 12 and 10 of 98 seats.
    assert_eq!(seats.iter().map(|it| it.1).sum::<u32>(), 98);
    assert_eq!(seats.iter().filter(|it| it.1 > 0).map(|it| it.1).collect::<Vec<_>>(), [76, 12, 10]);
}

#[test]
fn stations_that_have_not_reported_are_expected_with_nothing_counted() {
    let current = country(60, 5);
    let national = national(&current, None, "mazhilis-2021").unwrap();
    assert_eq!((national.stations, national.stations_expected), (55, 60));
    let stations = level_totals(&current, Level::Station, "mazhilis-2021").unwrap();
    assert_eq!(stations.commissions.len(), 60);
    let silent: Vec<_> = stations.commissions.iter().filter(|it| it.stations == 0).collect();
    assert_eq!(silent.len(), 5);
    for row in silent {
        assert_eq!(row.stations_expected, 1, "{}", row.id);
        assert_eq!(row.lines.found_in_boxes, 0, "{}", row.id);
        assert!(row.lists.iter().all(|it| it.votes == 0), "{}", row.id);
        assert_eq!(row.lists.len(), national.lists.len());
    }
    let json = serde_json::to_value(&stations).unwrap();
    assert!(json.get("list_ids").is_none(), "list_ids is for tables, not JSON");
}
