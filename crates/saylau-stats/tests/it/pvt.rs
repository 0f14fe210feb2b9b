//! The quick count on synthetic countries: coverage of the true figures, detection of
//! stuffed turnout, and agreement with R's `survey` package.

use std::time::Instant;

use saylau_core::seats::lot::LotSeed;
use saylau_stats::pvt::design::proportional;
use saylau_stats::pvt::estimate::{QuickCount, Report, StratumReports, quick_count};
use saylau_stats::pvt::frame::{Figure, StationCounts, figures, strata};
use saylau_stats::pvt::sample::stratified_sample;
use saylau_stats::pvt::verdict::{Verdict, verdict};
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

/// The reports of a sample of about `size` stations stratified by region and settlement,
/// drawn with `seed`: the observers' copies, with the station's published protocol when
/// `paired`.
fn sample_reports(
    country: &SyntheticCountry,
    size: u64,
    seed: &str,
    paired: bool,
) -> Vec<StratumReports> {
    let frame = country.frame();
    let by = ["region".to_owned(), "settlement".to_owned()];
    let strata = strata(&frame, &by).expect("the frame has both attributes");
    let sizes = proportional(&strata.populations, size).expect("a feasible size");
    let sample =
        stratified_sample(&LotSeed::new(seed), &strata.of_station, &sizes).expect("sizes fit");
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
        let official = &country.protocols[chosen.position];
        let copy = country
            .observer_copies
            .binary_search_by_key(&official.station(), |copy| copy.station())
            .map_or(official, |idx| &country.observer_copies[idx]);
        let report = Report {
            observed: StationCounts::of(copy),
            official: paired.then(|| StationCounts::of(official)),
        };
        reports[chosen.stratum].reports.push(report);
    }
    reports
}

/// A quick count of about `size` stations, drawn with the seed `pvt/<seed>`.
fn pvt(country: &SyntheticCountry, size: u64, paired: bool) -> QuickCount {
    let reports = sample_reports(country, size, &format!("pvt/{}", country.seed.0), paired);
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
        let national_only =
            saylau_stats::pvt::estimate::FigureEstimate { paired: None, ..*turnout };
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

/// The R script that estimates every figure of `sample.csv` with `survey` and prints, one
/// line per figure, the ratio and its variance.
const SURVEY_SCRIPT: &str = r#"
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "certainty")
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
design <- svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, data = d)
for (k in 0:(as.integer(args[2]) - 1)) {
  r <- svyratio(as.formula(paste0("~y", k)), as.formula(paste0("~x", k)), design)
  cat(sprintf("%.17g %.17g\n", coef(r), vcov(r)))
}
"#;

/// The estimate and variance of each figure from R's `survey`, or `None` when Rscript is
/// not installed outside CI (under `CI=true` a missing Rscript fails the test).
fn survey_estimates(dir: &std::path::Path, csv: &str, n_figures: usize) -> Option<Vec<(f64, f64)>> {
    let data = dir.join("sample.csv");
    let script = dir.join("ratio.R");
    std::fs::write(&data, csv).expect("writing the sample");
    std::fs::write(&script, SURVEY_SCRIPT).expect("writing the script");
    let output = match std::process::Command::new("Rscript")
        .arg(&script)
        .arg(&data)
        .arg(n_figures.to_string())
        .output()
    {
        Ok(output) => output,
        Err(err) => {
            assert!(std::env::var("CI").is_err(), "Rscript is needed under CI: {err}");
            eprintln!("Rscript not found ({err}): install r-base-core and r-cran-survey");
            return None;
        }
    };
    assert!(output.status.success(), "R failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("R prints text");
    Some(
        text.lines()
            .map(|line| {
                let (ratio, variance) = line.split_once(' ').expect("two numbers a line");
                (ratio.parse().expect("a number"), variance.parse().expect("a number"))
            })
            .collect(),
    )
}

/// The sample as R reads it: the estimate's stratum, its stations and each figure's
/// numerator and denominator.
fn survey_csv(res: &QuickCount, reports: &[StratumReports], n_lists: usize) -> String {
    let mut csv = String::from("stratum,fpc");
    for k in 0..=n_lists {
        csv.push_str(&format!(",y{k},x{k}"));
    }
    csv.push('\n');
    for (idx, stratum) in res.strata.iter().enumerate() {
        for plan_stratum in reports.iter().filter(|it| stratum.members.contains(&it.id)) {
            for report in &plan_stratum.reports {
                csv.push_str(&format!("{idx},{}", stratum.population));
                for figure in figures(n_lists) {
                    let (y, x) = report.observed.ratio_parts(figure);
                    csv.push_str(&format!(",{y},{x}"));
                }
                csv.push('\n');
            }
        }
    }
    csv
}

#[test]
fn estimates_and_variances_agree_with_r_survey() {
    let options = SyntheticOptions { stations: 3_000, anomaly_share: 0.0, observer_sample: 0 };
    let country = synthetic_country(Seed(7), &options).expect("valid options");
    let mut reports = sample_reports(&country, 300, "survey", false);
    // Missing reports: one stratum keeps one report, so that it is merged with its region
    // (the rule of the estimate), and another loses a third of its reports.
    let short = reports.iter().position(|it| it.reports.len() >= 3).expect("a stratum of 3");
    reports[short].reports.truncate(1);
    let big = reports.iter().enumerate().max_by_key(|(_, it)| it.reports.len()).expect("strata").0;
    let keep = reports[big].reports.len() * 2 / 3;
    reports[big].reports.truncate(keep);
    let n_lists = country.ballot.len();
    let res = quick_count(&reports, n_lists, 0.95).expect("enough reports");
    assert!(res.strata.iter().any(|it| it.merged.is_some()), "a stratum was merged");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let csv = survey_csv(&res, &reports, n_lists);
    let Some(expected) = survey_estimates(dir.path(), &csv, n_lists + 1) else {
        return;
    };
    assert_eq!(expected.len(), n_lists + 1);
    for (estimate, (ratio, variance)) in res.estimates.iter().zip(expected) {
        let ours = estimate.std_error * estimate.std_error;
        assert!(
            (estimate.estimate - ratio).abs() <= 1e-9,
            "{:?}: ratio {} vs R {ratio}",
            estimate.figure,
            estimate.estimate
        );
        assert!(
            (ours - variance).abs() <= 1e-9 * variance,
            "{:?}: variance {ours} vs R {variance}",
            estimate.figure
        );
    }
}
