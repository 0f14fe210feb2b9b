//! Forensics on the synthetic country (`docs/synthetic.md`): with 5 % of stations stuffed
//! the tests find them, without stuffing they do not flag the country.

use std::collections::HashSet;

use saylau_app::forensics::input::from_protocols;
use saylau_app::forensics::report::{ForensicsOptions, ForensicsReport, Test, forensics_report};
use saylau_stats::forensics::integer::Boundary;
use saylau_stats::forensics::shpilkin::MAX_STATION_VOTERS;
use saylau_stats::synthetic::{Seed, SyntheticOptions, synthetic_country};

/// The report on a synthetic country of 10,000 stations, and the ballots stuffed into it.
fn run(seed: u64, anomaly_share: f64) -> (ForensicsReport, u64) {
    let options = SyntheticOptions { stations: 10_000, anomaly_share, observer_sample: 0 };
    let country = synthetic_country(Seed(seed), &options).expect("a synthetic country");
    let truth: HashSet<String> = country
        .ground_truth
        .iter()
        .filter(|it| it.manipulation.is_some())
        .map(|it| it.station.to_string())
        .collect();
    let injected = country
        .ground_truth
        .iter()
        .filter_map(|it| it.manipulation)
        .map(|it| it.added_ballots.0)
        .sum();
    let (set, input) =
        from_protocols("synthetic", &country.ballot, &country.hierarchy, &country.protocols, &[]);
    let options = ForensicsOptions {
        tests: vec![Test::Integer, Test::Shpilkin, Test::Outliers],
        leader: None,
        draws: 200,
        seed: 42,
        bin_width: 1.0,
        noise: false,
        boundary: Boundary::Exact,
        max_station_voters: Some(MAX_STATION_VOTERS),
        truth: Some(truth),
        corrections: None,
    };
    (forensics_report(&set, input, &options).expect("a report"), injected)
}

/// Seeds tried: every one is checked for the outlier AUC, the interval and the clean country.
const SEEDS: std::ops::RangeInclusive<u64> = 1..=20;

#[test]
fn stuffing_is_found_and_a_clean_country_is_not_flagged() {
    let mut within_15_percent = Vec::new();
    let mut outside_interval = Vec::new();
    let mut aucs = Vec::new();
    for seed in SEEDS {
        let (stuffed, injected) = run(seed, 0.05);
        let outliers = stuffed.outliers.as_ref().expect("outliers ran");
        let auc = outliers.auc.expect("a truth was given");
        assert!(auc >= 0.9, "seed {seed}: AUC {auc}");
        aucs.push(auc);
        assert!(!stuffed.flags.is_empty(), "seed {seed}: stuffing not flagged");
        let within = &stuffed.shpilkin.as_ref().expect("shpilkin ran").within_commissions;
        let [low, high] = within.interval95;
        // The estimate's own noise: its standard error is about 14 % of the injected ballots
        // at this size, so the honest check is the interval; 15 % is about one standard error.
        if !(low <= injected as f64 && injected as f64 <= high) {
            outside_interval.push(seed);
        }
        assert!(low > 0.0, "seed {seed}: {within:?}");
        let error = (within.excess_votes - injected as f64) / injected as f64;
        if error.abs() <= 0.15 {
            within_15_percent.push(seed);
        }
        let (clean, nothing) = run(seed, 0.0);
        assert_eq!(nothing, 0);
        assert!(clean.flags.is_empty(), "seed {seed}: {:?}", clean.flags);
        assert_eq!(clean.outliers.as_ref().expect("outliers ran").auc, None);
        let clean_within = &clean.shpilkin.as_ref().expect("shpilkin ran").within_commissions;
        assert!(clean_within.interval95[0] <= 0.0, "seed {seed}: {clean_within:?}");
    }
    println!("AUC over seeds {SEEDS:?}: {aucs:.3?}");
    // A 95 % interval misses about one seed in 20: here seed 7 (z = −2.4), whose clean
    // country already shows −28,000, a chance turnout–share association inside districts.
    assert!(
        outside_interval.len() <= 1,
        "injected ballots outside the interval on seeds {outside_interval:?}"
    );
    // Within 15 % on 16 of the 20 seeds; outside it seeds 5 (+15.04 %), 7 (−33 %), 8 (−18 %)
    // and 19 (−16 %) (docs/forensics.md).
    assert!(within_15_percent.len() >= 16, "within 15 % on seeds {within_15_percent:?} only");
}
