//! The first-stage parameters of Klimek, Yegorov, Hanel and Thurner ("Statistical detection
//! of systematic election irregularities", PNAS 109(41), 2012), computed as in Kobak's
//! `meduza2018` notebook.
//!
//! τ and ν are the first local maxima above 0.3 of a Gaussian kernel density estimate of the
//! turnout (ballots issued / voters) and of the leader share (leader / cast), on a 0.001 grid,
//! with SciPy's default (Scott) bandwidth `sd · n^(−1/5)`. σ_τ is the root mean square of
//! `t − τ` over stations with `t < τ` and `v < ν`; σ_ν that of `v − ν` over `v < ν`; θ the
//! square root of the root mean square of `v − ν` over `v > ν`. The fitted fraud fractions
//! (f_i, f_e) depend on the estimator (Klimek's and Kalinin–Mebane's differ fivefold on the
//! same data) and are not computed.
//!
//! The density is evaluated on the data binned to 1e-4 (each bin at the mean of its points),
//! which moves no maximum on a 0.001 grid by more than a grid step; this keeps the cost at
//! about a million kernel terms instead of one per station and grid point.

use serde::Serialize;

use super::explain::{Explanation, Selection};
use super::station::StationSet;

/// The first-stage parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Klimek {
    /// Definition, assumptions and artifacts.
    pub explanation: Explanation,
    /// Stations kept and dropped.
    pub selection: Selection,
    /// Turnout peak τ (fraction).
    pub tau: f64,
    /// Leader-share peak ν (fraction).
    pub nu: f64,
    /// Turnout spread below the peaks.
    pub sigma_tau: f64,
    /// Share spread below the share peak.
    pub sigma_nu: f64,
    /// θ: the square root of the share spread above the peak.
    pub theta: f64,
}

/// Computes the first-stage parameters of the list `leader`.
pub fn klimek(set: &StationSet, leader: usize) -> Klimek {
    let mut selection = Selection::default();
    let mut turnout = Vec::new();
    let mut share = Vec::new();
    for station in &set.stations {
        if station.cast() == 0 || station.voters == 0 {
            selection.drop_for("no ballots cast or no voters");
            continue;
        }
        selection.kept += 1;
        turnout.push(station.given as f64 / station.voters as f64);
        share.push(station.votes[leader] as f64 / station.cast() as f64);
    }
    let tau = first_peak(&turnout);
    let nu = first_peak(&share);
    let below: Vec<f64> = turnout
        .iter()
        .zip(&share)
        .filter(|&(&t, &v)| t < tau && v < nu)
        .map(|(&t, _)| t - tau)
        .collect();
    let share_below: Vec<f64> = share.iter().filter(|&&v| v < nu).map(|&v| v - nu).collect();
    let share_above: Vec<f64> = share.iter().filter(|&&v| v > nu).map(|&v| v - nu).collect();
    Klimek {
        explanation: explanation(),
        selection,
        tau,
        nu,
        sigma_tau: rms(&below),
        sigma_nu: rms(&share_below),
        theta: rms(&share_above).sqrt(),
    }
}

fn rms(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    (values.iter().map(|it| it * it).sum::<f64>() / values.len() as f64).sqrt()
}

/// Width of the pre-binning of the data.
const BIN: f64 = 1e-4;

/// The first local maximum above 0.3 of the density on the grid 0, 0.001, ..., 1.
fn first_peak(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    if values.len() < 2 {
        return values.first().copied().unwrap_or(0.0);
    }
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|it| (it - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let bandwidth = var.sqrt() * n.powf(-0.2);
    let reach = 8.0 * bandwidth;
    // Bins over [−reach, 1 + reach]: (count, sum of values).
    let offset = -reach;
    let n_bins = ((1.0 + 2.0 * reach) / BIN).ceil() as usize + 1;
    let mut bins = vec![(0u64, 0.0f64); n_bins];
    for &value in values {
        let pos = (value - offset) / BIN;
        if pos >= 0.0 && pos < n_bins as f64 {
            let bin = &mut bins[pos as usize];
            bin.0 += 1;
            bin.1 += value;
        }
    }
    let points: Vec<(f64, f64)> = bins
        .iter()
        .filter(|bin| bin.0 > 0)
        .map(|&(count, sum)| (sum / count as f64, count as f64))
        .collect();
    let density: Vec<f64> = (0..=1000)
        .map(|step| {
            let x = f64::from(step) / 1000.0;
            let from = points.partition_point(|&(at, _)| at < x - reach);
            let to = points.partition_point(|&(at, _)| at <= x + reach);
            points[from..to]
                .iter()
                .map(|&(at, weight)| weight * (-0.5 * ((x - at) / bandwidth).powi(2)).exp())
                .sum()
        })
        .collect();
    for step in 301..1000 {
        if density[step] > density[step - 1] && density[step] >= density[step + 1] {
            return step as f64 / 1000.0;
        }
    }
    let best = (301..=1000).max_by(|&a, &b| density[a].total_cmp(&density[b])).unwrap_or(0);
    best as f64 / 1000.0
}

fn explanation() -> Explanation {
    Explanation::new(
        "the fair part of Klimek et al.'s model: turnout and leader-share peaks (τ, ν) and spreads (σ_τ, σ_ν) and the tail parameter θ",
        &[
            "stations kept: ballots cast > 0 and voters > 0",
            "a fair election's stations form one Gaussian cloud around (τ, ν); the spreads below the peaks measure it untouched by stuffing, which only moves stations upwards",
        ],
        &[
            "the fraud fractions f_i and f_e fitted on top of these parameters depend on the estimator and are not pass/fail numbers (not computed)",
            "an urban/rural mix gives a wide or two-humped cloud without fraud; the first peak above 0.3 is then only one of them",
        ],
    )
}
