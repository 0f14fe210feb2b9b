//! Forensics on the bundled Russian station files against the published figures of the
//! research note (`docs/forensics.md`): Kobak, Shpilkin and Pshenichnikov's integer test,
//! the official aggregates, Klimek's first stage and Shpilkin's estimate.

use std::path::PathBuf;

use saylau_app::forensics::input::from_table;
use saylau_formats::{StationColumns, read_station_table};
use saylau_stats::forensics::digits::digits;
use saylau_stats::forensics::identical::identical;
use saylau_stats::forensics::integer::{Boundary, Counts, IntegerOptions, integer_test};
use saylau_stats::forensics::klimek::klimek;
use saylau_stats::forensics::shpilkin::{MAX_STATION_VOTERS, ShpilkinOptions, shpilkin};
use saylau_stats::forensics::station::StationSet;

fn load(year: u32) -> StationSet {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../data/reference/forensics/russia-federal-elections/russia-{year}.csv.gz"
    ));
    let table =
        read_station_table(&path, &StationColumns::default()).expect("the bundled file reads");
    from_table(&path.display().to_string(), table).0
}

fn leader(set: &StationSet, year: u32) -> usize {
    let name = if year % 2 == 1 || year == 2016 { "v_united_russia" } else { "v_putin" };
    set.list_index(name).expect("the leader's column")
}

/// Published: stations kept, observed (either, leader, turnout), excess (either, leader,
/// turnout) from the authors' plotted numbers (Significance 2018 figure, their notebooks).
struct Published {
    year: u32,
    kept: usize,
    observed: [u64; 3],
    excess: [f64; 3],
}

const PUBLISHED: [Published; 4] = [
    Published {
        year: 2011,
        kept: 86_718,
        observed: [17_803, 9_708, 9_216],
        excess: [1003.477, 767.136, 449.325],
    },
    Published {
        year: 2012,
        kept: 87_623,
        observed: [18_025, 9_662, 9_476],
        excess: [1159.585, 734.556, 634.567],
    },
    Published {
        year: 2016,
        kept: 90_357,
        observed: [19_068, 10_195, 10_313],
        excess: [1502.391, 837.195, 1151.623],
    },
    Published {
        year: 2018,
        kept: 91_152,
        observed: [19_271, 10_116, 10_543],
        excess: [1708.839, 859.010, 1296.186],
    },
];

fn triple<T: Copy>(counts: &Counts<T>) -> [T; 3] {
    [counts.either, counts.leader, counts.turnout]
}

#[test]
fn integer_test_reproduces_the_published_counts_and_excess() {
    for published in &PUBLISHED {
        let set = load(published.year);
        let options = IntegerOptions {
            leader: leader(&set, published.year),
            draws: 1000,
            seed: 42,
            min_voters: 100,
            boundary: Boundary::Float,
        };
        let res = integer_test(&set, &options);
        assert_eq!(res.stations_kept, published.kept, "{}", published.year);
        assert_eq!(triple(&res.observed), published.observed, "{}", published.year);
        // The exact expectation differs from the authors' Monte Carlo mean by MC noise
        // (sd/√1000 ≈ 3.7 stations): the research note's tolerance is 15 stations.
        for (ours, theirs) in triple(&res.excess).iter().zip(published.excess) {
            assert!((ours - theirs).abs() <= 15.0, "{}: {ours} vs {theirs}", published.year);
        }
        for (ours, theirs) in triple(&res.excess_monte_carlo).iter().zip(published.excess) {
            assert!((ours - theirs).abs() <= 15.0, "{} MC: {ours} vs {theirs}", published.year);
        }
        assert!(res.significant && res.monte_carlo.either.p_value < 0.01, "{}", published.year);
    }
}

#[test]
fn exact_boundary_rule_differs_from_the_float_rule_on_one_station_in_2016() {
    let set = load(2016);
    let options = |boundary| IntegerOptions {
        leader: leader(&set, 2016),
        draws: 0,
        seed: 42,
        min_voters: 100,
        boundary,
    };
    let exact = integer_test(&set, &options(Boundary::Exact));
    let float = integer_test(&set, &options(Boundary::Float));
    assert_eq!(exact.float_rule_disagreements, 1);
    assert_eq!(exact.observed.turnout, float.observed.turnout + 1);
    assert_eq!(exact.observed.leader, float.observed.leader);
}

#[test]
fn official_aggregates_of_2011_match_the_cec() {
    let set = load(2011);
    let official = set.official(leader(&set, 2011));
    assert_eq!(official.leader_votes, 32_371_737);
    assert_eq!(format!("{:.2} {:.2}", official.turnout, official.leader_share), "60.21 49.31");
}

#[test]
fn klimek_first_stage_matches_the_note_for_2011_and_2012() {
    for (year, expect) in [
        (2011, [0.529, 0.324, 0.08138, 0.06972, 0.5590]),
        (2012, [0.605, 0.600, 0.06941, 0.09197, 0.4189]),
    ] {
        let set = load(year);
        let res = klimek(&set, leader(&set, year));
        let ours = [res.tau, res.nu, res.sigma_tau, res.sigma_nu, res.theta];
        // τ and ν sit on a 0.001 grid; the spreads are printed to 4 or 5 digits.
        for (idx, (value, want)) in ours.iter().zip(expect).enumerate() {
            let tolerance = if idx < 2 { 1e-9 } else { 6e-5 };
            assert!((value - want).abs() <= tolerance, "{year} parameter {idx}: {value} vs {want}");
        }
    }
}

#[test]
fn shpilkin_lands_near_the_published_estimates_and_states_the_peak() {
    // Published: Duma 2021 about 13.8 M anomalous votes, real turnout about 38 %;
    // President 2018 9.947 M. The note: results move by about ±1 M with the bin width and
    // the peak choice, which is the tolerance used here.
    for (year, published, turnout) in [(2021, 13.8e6, Some(38.0)), (2018, 9.947e6, None)] {
        let set = load(year);
        let res = shpilkin(
            &set,
            &ShpilkinOptions {
                leader: leader(&set, year),
                max_station_voters: Some(MAX_STATION_VOTERS),
            },
        );
        assert!((res.excess_votes - published).abs() <= 1.0e6, "{year}: {}", res.excess_votes);
        assert!(
            res.excess_range[0] - 1.0e6 <= published && published <= res.excess_range[1] + 1.0e6
        );
        if let Some(turnout) = turnout {
            assert!((res.turnout - turnout).abs() <= 1.0, "{year}: {}", res.turnout);
        }
        assert!(res.peak_choice.contains("most ballots issued"), "{}", res.peak_choice);
        if year == 2018 {
            // Shpilkin's own 2018 figures beside the 9.947 M: real turnout "close to 62 %"
            // (Radio Svoboda, 19 March 2018): the clean peak is the 61-62 % bin.
            assert_eq!(res.variants[0].peak_bin, 61);
        }
    }
    // Duma 2021 inside the published figures themselves: "≈ 13.8 M" (Shpilkin's text) and
    // "14 M" (Novaya Gazeta). President 2018 is 5.4 % above its 9.947 M (docs/forensics.md).
    let set = load(2021);
    let res = shpilkin(
        &set,
        &ShpilkinOptions {
            leader: leader(&set, 2021),
            max_station_voters: Some(MAX_STATION_VOTERS),
        },
    );
    assert!((13.8e6..=14.0e6).contains(&res.excess_votes), "{}", res.excess_votes);
    // The variants of the note's section 4 over every station: 14.46–15.29 M in 2021.
    let set = load(2021);
    let all =
        shpilkin(&set, &ShpilkinOptions { leader: leader(&set, 2021), max_station_voters: None });
    assert_eq!(
        [(all.excess_range[0] / 1e4).round(), (all.excess_range[1] / 1e4).round()],
        [1446.0, 1529.0]
    );
    assert_eq!(
        format!("{:.2} {:.2}", all.official_turnout, all.official_leader_share),
        "51.72 49.82"
    );
}

#[test]
fn digits_and_identical_protocols_match_the_note_baselines() {
    // Internal baselines of the research note (no published comparator): last-digit χ² of
    // the leader's counts ≥ 100 and its n, second-digit mean, identical protocols in a TIK.
    for (year, chi2, n, second, groups, stations) in
        [(2011, 23.1, 76_887, 4.237, 15, 31), (2018, 17.4, 87_859, 4.017, 24, 67)]
    {
        let set = load(year);
        let res = digits(&set, leader(&set, year));
        assert_eq!(format!("{:.1}", res.last_digit_chi2), format!("{chi2:.1}"), "{year}");
        assert_eq!(res.last_digit.iter().sum::<u64>(), n, "{year}");
        assert_eq!(format!("{:.3}", res.second_digit_mean), format!("{second:.3}"), "{year}");
        let same = identical(&set);
        assert_eq!((same.groups.len(), same.stations_in_groups), (groups, stations), "{year}");
    }
}
