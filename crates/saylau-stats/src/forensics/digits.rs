//! Last-digit and second-digit tests on the leader's vote counts (Beber and Scacco 2012;
//! Mebane 2013). Descriptive only: Mebane finds their verdicts implausible on Russian data.
//!
//! Last digit: over counts of at least 100, the ten digits should be about equally frequent;
//! Pearson's χ² with 9 degrees of freedom. Second digit: over counts of at least 10, the
//! mean of the second digit against Benford's second-digit law (mean 4.187), and its χ².

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::explain::{Explanation, Selection};
use super::station::StationSet;

/// The result of the digit tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digits {
    /// Definition, assumptions and artifacts.
    pub explanation: Explanation,
    /// Stations kept and dropped (for the last-digit test).
    pub selection: Selection,
    /// Counts ending in 0..9 (counts ≥ 100).
    pub last_digit: [u64; 10],
    /// χ² of the last digits against the uniform law.
    pub last_digit_chi2: f64,
    /// Its p-value (9 degrees of freedom).
    pub last_digit_p: f64,
    /// Counts with 0..9 as second digit (counts ≥ 10).
    pub second_digit: [u64; 10],
    /// Mean second digit.
    pub second_digit_mean: f64,
    /// Benford's mean second digit.
    pub second_digit_benford_mean: f64,
    /// χ² of the second digits against Benford's law.
    pub second_digit_chi2: f64,
    /// Its p-value (9 degrees of freedom).
    pub second_digit_p: f64,
}

/// Runs the digit tests on the list `leader`.
pub fn digits(set: &StationSet, leader: usize) -> Digits {
    let mut selection = Selection::default();
    let mut last = [0u64; 10];
    let mut second = [0u64; 10];
    for station in &set.stations {
        let votes = station.votes[leader];
        if votes >= 10 {
            let mut lead = votes;
            while lead >= 100 {
                lead /= 10;
            }
            second[usize::try_from(lead % 10).expect("a digit")] += 1;
        }
        if votes < 100 {
            selection.drop_for("fewer than 100 votes for the leader (last-digit test)");
            continue;
        }
        selection.kept += 1;
        last[usize::try_from(votes % 10).expect("a digit")] += 1;
    }
    let benford = benford_second_digit();
    let uniform = [0.1; 10];
    let last_digit_chi2 = chi2(&last, &uniform);
    let second_digit_chi2 = chi2(&second, &benford);
    let n_second: u64 = second.iter().sum();
    let second_digit_mean = if n_second == 0 {
        0.0
    } else {
        second.iter().zip(0u32..).map(|(&count, d)| count as f64 * f64::from(d)).sum::<f64>()
            / n_second as f64
    };
    Digits {
        explanation: explanation(),
        selection,
        last_digit: last,
        last_digit_p: p_value(last_digit_chi2),
        last_digit_chi2,
        second_digit: second,
        second_digit_mean,
        second_digit_benford_mean: benford.iter().zip(0u32..).map(|(p, d)| p * f64::from(d)).sum(),
        second_digit_p: p_value(second_digit_chi2),
        second_digit_chi2,
    }
}

/// Benford's law for the second digit: Σ over first digits d1 of log10(1 + 1/(10·d1 + d2)).
fn benford_second_digit() -> [f64; 10] {
    let mut res = [0.0; 10];
    for (d2, p) in (0u32..).zip(res.iter_mut()) {
        *p = (1..=9).map(|d1| (1.0 + 1.0 / f64::from(10 * d1 + d2)).log10()).sum();
    }
    res
}

fn chi2(counts: &[u64; 10], expected_share: &[f64; 10]) -> f64 {
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return 0.0;
    }
    counts
        .iter()
        .zip(expected_share)
        .map(|(&count, &share)| {
            let expected = share * n as f64;
            (count as f64 - expected).powi(2) / expected
        })
        .sum()
}

fn p_value(chi2: f64) -> f64 {
    let law = ChiSquared::new(9.0).expect("9 degrees of freedom is a valid χ² law");
    law.sf(chi2)
}

fn explanation() -> Explanation {
    Explanation::new(
        "last digits of the leader's counts (≥ 100) against the uniform law, and second digits (counts ≥ 10) against Benford's second-digit law",
        &[
            "invented numbers have human digit preferences; counted numbers of three digits or more have uniform last digits",
            "descriptive only: a small p-value on 80,000 stations can come from tiny deviations",
        ],
        &[
            "second-digit (2BL) deviations arise from the distribution of station sizes alone; Mebane finds the digit verdicts implausible on Russia",
            "rounding of small counts and a dominant candidate distort both tests",
        ],
    )
}
