//! The quick count on synthetic countries: coverage of the true figures, detection of
//! stuffed turnout, and agreement with R's `survey` package.

use std::time::Instant;

use saylau_core::lot::LotSeed;
use saylau_stats::pvt::design::proportional;
use saylau_stats::pvt::estimate::{QuickCount, Report, StratumReports, quick_count};
use saylau_stats::pvt::verdict::{Verdict, verdict};
use saylau_stats::pvt::frame::{Figure, StationCounts, figures, strata};
use saylau_stats::pvt::sample::stratified_sample;
use saylau_stats::synthetic::{Seed, SyntheticCountry, SyntheticOptions, synthetic_country};

/// A country of 10,000 stations whose observers hold a copy (the true figures) of every
/// station, so that any sample's reports can be read from them.
fn country(seed: u64, anomaly_share: f64) -> SyntheticCountry {
    let options = SyntheticOptions { stations: 10_000, anomaly_share, observer_sample: 10_000 };
    synthetic_country(Seed(seed), &options).expect("valid options")
}

/// Each figure's national value over `counts`.
fn national(counts: impl Iterator<Item = StationCounts>, n_lists: usize) -> Vec<f64> {
    let mut sums = vec![(0u64, 0u64); n_lists + 1];
    for it in counts {
        for (idx, figure) in figures(n_lists).into_iter().enumerate() {
            let (y, x) = it.ratio_parts(figure);
            sums[idx].0 += y;
            sums[idx].1 += x;
        }
    }
    sums.into_iter().map(|(y, x)| y as f64 / x as f64).collect()
}

/// A quick count of about `size` stations stratified by region and settlement, drawn
/// with the seed `pvt/<seed>`; with `paired`, each report comes with the station's
/// published protocol.
fn pvt(country: &SyntheticCountry, size: u64, paired: bool) -> QuickCount {
    let frame = country.frame();
    let by = ["region".to_owned(), "settlement".to_owned()];
    let strata = strata(&frame, &by).expect("the frame has both attributes");
    let sizes = proportional(&strata.populations, size).expect("a feasible size");
    let seed = LotSeed::new(&format!("pvt/{}", country.seed.0));
    let sample = stratified_sample(&seed, &strata.of_station, &sizes).expect("sizes fit");
    let mut reports: Vec<StratumReports> = (0..strata.values.len())
        .map(|idx| StratumReports {
            id: strata.id(idx),
            group: strata.values[idx][0].clone(),
            population: strata.populations[idx],
            planned: sizes[idx],
            reports: Vec::new(),
        })
        .collect();
    for chosen in &sample.chosen {
        let copy = &country.observer_copies[chosen.position];
        assert_eq!(copy.station(), frame.stations()[chosen.position].station);
        let official = country.protocols[chosen.position].clone();
        let report = Report {
            observed: StationCounts::of(copy),
            official: paired.then(|| StationCounts::of(&official)),
        };
        reports[chosen.stratum].reports.push(report);
    }
    quick_count(&reports, country.ballot.len(), 0.95).expect("enough reports")
}

#[test]
fn intervals_cover_the_true_figures_and_catch_stuffed_turnout() {
    let started = Instant::now();
    let n_lists = 5;
    let mut covered = vec![0; n_lists + 1];
    let mut inconsistent = 0;
    let mut inconsistent_national = 0;
    for seed in 1..=100 {
        let clean = country(seed, 0.0);
        let truth = national(clean.observer_copies.iter().map(StationCounts::of), n_lists);
        let res = pvt(&clean, 1_000, false);
        for (idx, estimate) in res.estimates.iter().enumerate() {
            if estimate.lower <= truth[idx] && truth[idx] <= estimate.upper {
                covered[idx] += 1;
            }
        }
        let stuffed = country(seed, 0.05);
        let official = national(stuffed.protocols.iter().map(StationCounts::of), n_lists);
        let res = pvt(&stuffed, 1_000, true);
        let turnout = &res.estimates[0];
        assert_eq!(turnout.figure, Figure::Turnout);
        if verdict(turnout, official[0], None, true) == Verdict::Inconsistent {
            inconsistent += 1;
        }
        // The same sample against the national figure alone (no station results published).
        let national_only = saylau_stats::pvt::estimate::FigureEstimate { paired: None, ..*turnout };
        if verdict(&national_only, official[0], None, true) == Verdict::Inconsistent {
            inconsistent_national += 1;
        }
    }
    eprintln!(
        "coverage of 100 (turnout, lists): {covered:?}; stuffed official turnout inconsistent: \
         {inconsistent} with the published station protocols, {inconsistent_national} against \
         the national figure alone; {:?}",
        started.elapsed()
    );
    for (idx, &count) in covered.iter().enumerate() {
        assert!(count >= 93, "figure {idx} covered in {count} of 100 countries");
    }
    assert!(inconsistent >= 95, "stuffed turnout judged inconsistent in {inconsistent} of 100");
}
