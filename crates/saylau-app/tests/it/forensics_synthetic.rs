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

#[test]
fn stuffing_is_found_and_a_clean_country_is_not_flagged() {
    let mut within_15_percent = 0;
    for seed in 1..=5 {
        let (stuffed, injected) = run(seed, 0.05);
        let outliers = stuffed.outliers.as_ref().expect("outliers ran");
        let auc = outliers.auc.expect("a truth was given");
        assert!(auc >= 0.9, "seed {seed}: AUC {auc}");
        assert!(!stuffed.flags.is_empty(), "seed {seed}: stuffing not flagged");
        let estimate =
            stuffed.shpilkin.as_ref().expect("shpilkin ran").within_commissions.excess_votes;
        let error = (estimate - injected as f64) / injected as f64;
        assert!(error.abs() < 0.35, "seed {seed}: {estimate} vs {injected}");
        if error.abs() <= 0.15 {
            within_15_percent += 1;
        }
        let (clean, nothing) = run(seed, 0.0);
        assert_eq!(nothing, 0);
        assert!(clean.flags.is_empty(), "seed {seed}: {:?}", clean.flags);
        assert_eq!(clean.outliers.as_ref().expect("outliers ran").auc, None);
    }
    // The estimate's error over seeds 1–5 is −8, +1, −9, −7 and +15.0 % (docs/forensics.md).
    assert!(within_15_percent >= 4, "{within_15_percent} of 5 seeds within 15 %");
}
