//! The synthetic country: reproducible, exact to the official 2021 totals, consistent,
//! and honest about its manipulations.

use crate::reach::{Reached, properties};
use saylau_core::count::protocol::{ProtocolTotals, violations};
use saylau_stats::synthetic::{Seed, SyntheticCountry, SyntheticOptions, synthetic_country};

fn country(seed: u64, stations: u32, anomaly_share: f64, observer_sample: u32) -> SyntheticCountry {
    let options = SyntheticOptions { stations, anomaly_share, observer_sample };
    synthetic_country(Seed(seed), &options).expect("valid options")
}

/// The national totals as `line=value` text, from the published protocols.
fn totals_text(country: &SyntheticCountry) -> String {
    let totals = ProtocolTotals::of(&country.protocols, country.ballot.len()).expect("one ballot");
    let mut parts = vec![format!("stations={}", totals.stations())];
    for (line, value) in totals.lines().iter() {
        parts.push(format!("{}={value}", line.number()));
    }
    parts.join(" ")
}

const OFFICIAL: &str = "1=11919241 6=7539280 7=297718 8=7241562 9=0 10.1=5148074 10.2=792828 \
                        10.3=659019 10.4=383023 10.5=258618";

fn check_official(country: &SyntheticCountry) {
    let text = totals_text(country);
    for expected in OFFICIAL.split_whitespace() {
        assert!(text.split_whitespace().any(|part| part == expected), "{expected} in {text}");
    }
}

#[test]
fn national_totals_are_the_official_2021_totals() {
    for (seed, stations, share) in [(1, 10_000, 0.0), (2, 10_000, 0.1), (3, 500, 0.3), (4, 17, 0.0)]
    {
        let country = country(seed, stations, share, 0);
        assert_eq!(country.protocols.len(), usize::try_from(stations).expect("fits"));
        check_official(&country);
    }
}

#[test]
fn every_protocol_passes_every_rule() {
    let country = country(5, 10_000, 0.2, 2_000);
    for protocol in country.protocols.iter().chain(&country.observer_copies) {
        let found = violations(protocol.station(), protocol.lines(), country.ballot.len());
        assert!(found.is_empty(), "{found:?}");
    }
}

#[test]
fn the_same_seed_gives_the_same_country() {
    let first = country(42, 2_000, 0.1, 100);
    let second = country(42, 2_000, 0.1, 100);
    assert_eq!(first, second);
    assert_eq!(first.ground_truth_csv(), second.ground_truth_csv());
    let other = country(43, 2_000, 0.1, 100);
    assert_ne!(first.protocols, other.protocols);
}

#[test]
fn manipulations_are_as_requested_and_observers_see_them() {
    let country = country(7, 10_000, 0.15, 3_000);
    let manipulated: Vec<_> =
        country.ground_truth.iter().filter(|truth| truth.manipulation.is_some()).collect();
    assert_eq!(manipulated.len(), 1_500);
    assert_eq!(country.observer_copies.len(), 3_000);
    let mut differing = 0;
    for copy in &country.observer_copies {
        let idx = country
            .protocols
            .binary_search_by_key(&copy.station(), |protocol| protocol.station())
            .expect("an observed station is published");
        let truth = &country.ground_truth[idx];
        assert!(truth.observed);
        let differs = copy != &country.protocols[idx];
        assert_eq!(differs, truth.manipulation.is_some(), "{}", copy.station());
        if let Some(manipulation) = truth.manipulation {
            let published = country.protocols[idx].lines();
            let added = manipulation.added_ballots.0;
            assert_eq!(published.found_in_boxes.0 - copy.lines().found_in_boxes.0, added);
            assert_eq!(published.list_votes[0].0 - copy.lines().list_votes[0].0, added);
            assert_eq!(published.list_votes[1..], copy.lines().list_votes[1..]);
            differing += 1;
        }
    }
    assert!(differing > 300, "about 15% of 3,000 observed stations differ, not {differing}");
}

#[test]
fn options_are_checked() {
    let check = |options: SyntheticOptions, expect: &str| {
        let err = synthetic_country(Seed(1), &options).expect_err("invalid options");
        assert_eq!(err.to_string(), expect);
    };
    check(
        SyntheticOptions::new(16),
        "the number of stations must be between 17 and 200000, not 16",
    );
    check(
        SyntheticOptions { anomaly_share: 0.6, ..SyntheticOptions::new(100) },
        "the anomaly share must be between 0 and 0.5, not 0.6",
    );
    check(
        SyntheticOptions { observer_sample: 101, ..SyntheticOptions::new(100) },
        "the observer sample (101) is larger than the number of stations (100)",
    );
    assert!(matches!(
        synthetic_country(Seed(1), &SyntheticOptions::new(17)),
        Ok(SyntheticCountry { .. })
    ));
}

properties! {
    cases = Some(24);

    fn any_seed_and_size_meets_the_totals_consistently(
        seed in 0u64..u64::MAX,
        stations in 17u32..600,
        permille in 0u32..300,
    ) {
        let share = f64::from(permille) / 1000.0;
        let country = country(seed, stations, share, stations / 3);
        check_official(&country);
        for protocol in country.protocols.iter().chain(&country.observer_copies) {
            let found = violations(protocol.station(), protocol.lines(), country.ballot.len());
            proptest::prop_assert!(found.is_empty(), "{:?}", found);
        }
        Ok(Reached::Yes)
    }
}

/// The v2 lines show the injected anomalies: `P-9` flags exactly the stuffed stations,
/// by exactly the ballots stuffed, and no observer's copy; counts at stuffed stations start
/// later than at honest ones (`P-14` at 60 minutes flags stuffed stations only).
#[test]
fn stuffed_stations_have_fewer_signatures_than_ballots_issued() {
    use saylau_core::count::protocol::DEFAULT_LATE_MINUTES;
    use saylau_core::count::protocol::rule::ProtocolRule;
    let country = country(7, 3_000, 0.1, 300);
    let mut stuffed = 0;
    for (protocol, truth) in country.protocols.iter().zip(&country.ground_truth) {
        let flags = protocol.flags(DEFAULT_LATE_MINUTES);
        let signatures =
            flags.iter().find(|it| it.kind.rule() == ProtocolRule::SignaturesCoverIssued);
        let late = flags.iter().any(|it| it.kind.rule() == ProtocolRule::LateCount);
        let extra = protocol.extra();
        match truth.manipulation {
            Some(manipulation) => {
                stuffed += 1;
                assert!(signatures.is_some(), "{}", protocol.station());
                let unsigned = protocol.lines().issued_in_station.0
                    - extra.signatures_on_roll.expect("signatures").0;
                assert_eq!(unsigned, manipulation.added_ballots.0);
            }
            None => {
                assert!(signatures.is_none() && !late, "{flags:?}");
            }
        }
        let supplementary = extra.supplementary_list.expect("a supplementary list");
        assert!(supplementary <= protocol.lines().voters_on_roll);
    }
    assert!(stuffed > 200, "{stuffed} stuffed stations");
    for copy in &country.observer_copies {
        let flags = copy.flags(DEFAULT_LATE_MINUTES);
        assert!(flags.iter().all(|it| it.kind.rule() != ProtocolRule::SignaturesCoverIssued));
    }
}
