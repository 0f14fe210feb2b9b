//! Turnout and leader-share histograms (unweighted and voter-weighted) and the turnout ×
//! leader-share fingerprint of Klimek et al.
//!
//! Percentages of small whole numbers crowd on simple fractions (1/2, 2/3, ...): a histogram
//! with fine bins shows division artifacts. As the anchors do, a uniform U(−0.5, 0.5) noise
//! can be added to each numerator before dividing (seeded, printed); without noise the bins
//! are exact.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::explain::{Explanation, Selection};
use super::station::StationSet;

/// How to bin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistogramOptions {
    /// Bin width in percentage points (0.1, 0.25, 1, ...).
    pub bin_width: f64,
    /// The seed of the numerator noise, or `None` for none.
    pub noise_seed: Option<u64>,
}

/// One histogram over 0–100 %.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    /// Bin width, percentage points.
    pub bin_width: f64,
    /// Stations per bin (unweighted).
    pub stations: Vec<u64>,
    /// Voters on the roll per bin (voter-weighted).
    pub voters: Vec<u64>,
}

/// The two histograms and the fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distributions {
    /// Definition, assumptions and artifacts.
    pub explanation: Explanation,
    /// Stations kept and dropped.
    pub selection: Selection,
    /// The noise seed, if noise was added.
    pub noise_seed: Option<u64>,
    /// Turnout: ballots issued / voters.
    pub turnout: Histogram,
    /// Leader share: leader votes / ballots cast.
    pub leader_share: Histogram,
    /// Fingerprint: stations by 1 % turnout (rows) × 1 % leader share (columns).
    pub fingerprint: Vec<Vec<u64>>,
}

/// Bins of the fingerprint per axis.
pub const FINGERPRINT_BINS: usize = 100;

/// Computes the histograms and the fingerprint of the list `leader`.
pub fn distributions(set: &StationSet, leader: usize, options: &HistogramOptions) -> Distributions {
    let n_bins = (100.0 / options.bin_width).ceil().max(1.0) as usize;
    let empty = || Histogram {
        bin_width: options.bin_width,
        stations: vec![0; n_bins],
        voters: vec![0; n_bins],
    };
    let (mut turnout, mut share) = (empty(), empty());
    let mut fingerprint = vec![vec![0u64; FINGERPRINT_BINS]; FINGERPRINT_BINS];
    let mut selection = Selection::default();
    let mut rng = options.noise_seed.map(ChaCha8Rng::seed_from_u64);
    let mut noisy = |x: u64| match rng.as_mut() {
        Some(rng) => x as f64 + rng.random_range(-0.5..0.5),
        None => x as f64,
    };
    for station in &set.stations {
        if station.voters == 0 || station.cast() == 0 {
            selection.drop_for("no voters or no ballots cast");
            continue;
        }
        selection.kept += 1;
        let t = 100.0 * noisy(station.given) / station.voters as f64;
        let s = 100.0 * noisy(station.votes[leader]) / station.cast() as f64;
        for (hist, value) in [(&mut turnout, t), (&mut share, s)] {
            let idx = bin_index(value, options.bin_width, n_bins);
            hist.stations[idx] += 1;
            hist.voters[idx] += station.voters;
        }
        fingerprint[bin_index(t, 1.0, FINGERPRINT_BINS)][bin_index(s, 1.0, FINGERPRINT_BINS)] += 1;
    }
    Distributions {
        explanation: explanation(),
        selection,
        noise_seed: options.noise_seed,
        turnout,
        leader_share: share,
        fingerprint,
    }
}

fn bin_index(value: f64, width: f64, n_bins: usize) -> usize {
    let idx = (value / width).floor();
    if idx <= 0.0 { 0 } else { (idx as usize).min(n_bins - 1) }
}

fn explanation() -> Explanation {
    Explanation::new(
        "stations (unweighted) and voters on the roll (weighted) by turnout and by leader share; the fingerprint counts stations by 1 % turnout × 1 % leader share",
        &[
            "stations kept: voters > 0 and ballots cast > 0",
            "a clean election gives one roughly bell-shaped cloud; a tail or a second cloud towards 100 % turnout and 100 % share is the pattern of stuffing",
            "values above 100 % fall into the last bin",
        ],
        &[
            "without numerator noise, fine bins show spikes at simple fractions (division artifacts), strongest for small stations",
            "regions with different politics (urban/rural mix) give several clouds without fraud",
        ],
    )
}
