//! The design of a quick count: how many stations to sample in each stratum so that every
//! figure's interval is at most a target margin wide, from the between-station variance
//! of a past or synthetic election.
//!
//! A quick count samples stations, not voters, so the variance that matters is that of
//! the station residuals `z = y - R x` of the ratio estimator within each stratum
//! (`estimate`). With `n_h` of `N_h` stations sampled, the ratio's variance is
//! `Σ_h N_h² (1 - n_h/N_h) S²_h / n_h / X²`; `S²_h` and `X` come from the past election.
//! The sample is spread over the strata in proportion to their stations (at least two
//! each, so that each stratum carries a variance), and the total is the smallest whose
//! expected margin meets the target for turnout and every list.

use super::frame::{Figure, StationCounts};
use crate::rounding::{apportion, to_f64};

/// The fewest stations sampled in a stratum: two, for a variance.
pub const MIN_PER_STRATUM: u64 = 2;

/// One stratum's stations and the past results of those that have them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StratumHistory {
    /// Stations in the stratum, `N_h`.
    pub population: u64,
    /// The past protocols of its stations (any number of them).
    pub past: Vec<StationCounts>,
}

/// The between-station spread of one figure in the past election.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// The figure.
    pub figure: Figure,
    /// Its national value in the past election.
    pub ratio: f64,
    /// The denominator's national total, estimated from the strata (`Σ N_h x̄_h`).
    pub total: f64,
    /// The residual variance `S²_h` per stratum.
    pub variances: Vec<f64>,
    /// Strata with fewer than two past stations, given the pooled variance.
    pub pooled: Vec<usize>,
}

/// Why no design can be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DesignError {
    /// The past election has fewer than two stations in the frame.
    #[error("the past election has {0} station(s) in the frame; at least two are needed")]
    TooLittleHistory(usize),
    /// The target margin is not positive.
    #[error("the target margin must be positive, not {0}")]
    Margin(f64),
    /// Even the whole frame would not meet the target (it always does: a census has no
    /// sampling error; kept for a sample size asked for).
    #[error("a sample of {asked} stations is more than the frame's {stations}")]
    TooLarge {
        /// Stations asked for.
        asked: u64,
        /// Stations in the frame.
        stations: u64,
    },
    /// Fewer stations asked for than two per stratum.
    #[error("a sample of {asked} stations is fewer than {needed} (two per stratum)")]
    TooSmall {
        /// Stations asked for.
        asked: u64,
        /// Two per stratum (or all of a smaller stratum).
        needed: u64,
    },
}

/// The spread of `figure` in each stratum.
pub fn spread(strata: &[StratumHistory], figure: Figure) -> Result<Spread, DesignError> {
    let all: Vec<(f64, f64)> =
        strata.iter().flat_map(|it| it.past.iter().map(|counts| parts(counts, figure))).collect();
    if all.len() < 2 {
        return Err(DesignError::TooLittleHistory(all.len()));
    }
    let ratio =
        all.iter().map(|pair| pair.0).sum::<f64>() / all.iter().map(|pair| pair.1).sum::<f64>();
    let pooled_variance = variance(&all, ratio);
    let pooled_mean = all.iter().map(|pair| pair.1).sum::<f64>() / to_f64(len(all.len()));
    let mut total = 0.0;
    let mut variances = Vec::with_capacity(strata.len());
    let mut pooled = Vec::new();
    for (idx, stratum) in strata.iter().enumerate() {
        let pairs: Vec<(f64, f64)> = stratum.past.iter().map(|it| parts(it, figure)).collect();
        if pairs.len() < 2 {
            pooled.push(idx);
            variances.push(pooled_variance);
            total += to_f64(stratum.population) * pooled_mean;
        } else {
            variances.push(variance(&pairs, ratio));
            let mean = pairs.iter().map(|pair| pair.1).sum::<f64>() / to_f64(len(pairs.len()));
            total += to_f64(stratum.population) * mean;
        }
    }
    Ok(Spread { figure, ratio, total, variances, pooled })
}

fn parts(counts: &StationCounts, figure: Figure) -> (f64, f64) {
    let (y, x) = counts.ratio_parts(figure);
    (to_f64(y), to_f64(x))
}

fn len(value: usize) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

/// The sample variance of the residuals `y - ratio · x`.
fn variance(pairs: &[(f64, f64)], ratio: f64) -> f64 {
    let n = to_f64(len(pairs.len()));
    let residuals: Vec<f64> = pairs.iter().map(|(y, x)| y - ratio * x).collect();
    let mean = residuals.iter().sum::<f64>() / n;
    residuals.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

/// The expected half-width of the interval of `spread`'s figure with `sizes[h]` stations
/// sampled of `populations[h]`, at the normal quantile `z`, as a proportion.
pub fn expected_margin(spread: &Spread, populations: &[u64], sizes: &[u64], z: f64) -> f64 {
    let mut variance = 0.0;
    for ((&population, &size), s2) in populations.iter().zip(sizes).zip(&spread.variances) {
        if size == 0 {
            continue;
        }
        let (big_n, n) = (to_f64(population), to_f64(size));
        variance += big_n * big_n * (1.0 - n / big_n) * s2 / n;
    }
    z * variance.sqrt() / spread.total
}

/// `total` stations spread over strata in proportion to their stations, by largest
/// remainders, with at least [`MIN_PER_STRATUM`] each (all of a smaller stratum).
pub fn proportional(populations: &[u64], total: u64) -> Result<Vec<u64>, DesignError> {
    let stations: u64 = populations.iter().sum();
    if total > stations {
        return Err(DesignError::TooLarge { asked: total, stations });
    }
    let floors: Vec<u64> = populations.iter().map(|&it| it.min(MIN_PER_STRATUM)).collect();
    let needed: u64 = floors.iter().sum();
    if total < needed {
        return Err(DesignError::TooSmall { asked: total, needed });
    }
    // Give each stratum its proportional share, then raise the ones below their floor and
    // take the difference from the others, again in proportion: repeat until stable.
    let mut fixed: Vec<Option<u64>> = vec![None; populations.len()];
    loop {
        let rest = total - fixed.iter().flatten().sum::<u64>();
        let weights: Vec<f64> = populations
            .iter()
            .zip(&fixed)
            .map(|(&it, fixed)| if fixed.is_some() { 0.0 } else { to_f64(it) })
            .collect();
        let caps: Vec<u64> = populations
            .iter()
            .zip(&fixed)
            .map(|(&it, fixed)| if fixed.is_some() { 0 } else { it })
            .collect();
        let shares = apportion(rest, &weights, &caps).expect("the rest fits under the caps");
        let mut changed = false;
        for (idx, share) in shares.iter().enumerate() {
            if fixed[idx].is_none() && *share < floors[idx] {
                fixed[idx] = Some(floors[idx]);
                changed = true;
            }
        }
        if !changed {
            return Ok(shares
                .iter()
                .zip(&fixed)
                .map(|(share, fixed)| fixed.unwrap_or(*share))
                .collect());
        }
    }
}

/// The smallest proportional sample whose expected margin is at most `target` (a
/// proportion) for every spread, at the normal quantile `z`.
pub fn smallest_for_margin(
    spreads: &[Spread],
    populations: &[u64],
    target: f64,
    z: f64,
) -> Result<Vec<u64>, DesignError> {
    if target.is_nan() || target <= 0.0 {
        return Err(DesignError::Margin(target));
    }
    let meets = |sizes: &[u64]| {
        spreads.iter().all(|spread| expected_margin(spread, populations, sizes, z) <= target)
    };
    let mut low: u64 = populations.iter().map(|&it| it.min(MIN_PER_STRATUM)).sum();
    let mut high: u64 = populations.iter().sum();
    if meets(&proportional(populations, low)?) {
        return proportional(populations, low);
    }
    // The margin falls as the sample grows (up to rounding): bisect for the smallest total.
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if meets(&proportional(populations, mid)?) {
            high = mid;
        } else {
            low = mid;
        }
    }
    proportional(populations, high)
}

/// The stations that the voter-level formula `n = z² p (1 - p) / e²` (for voters, with no
/// finite-population correction) asks for, at `mean_roll` voters a station: the figure
/// that NDI's handbook warns understates a quick count, because voters come in stations.
pub fn voter_level_stations(p: f64, target: f64, z: f64, mean_roll: f64) -> f64 {
    z * z * p * (1.0 - p) / (target * target) / mean_roll
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportional_gives_every_stratum_two() {
        assert_eq!(proportional(&[1000, 10, 1], 100), Ok(vec![97, 2, 1]));
        assert_eq!(proportional(&[500, 500], 10), Ok(vec![5, 5]));
        assert!(matches!(proportional(&[5, 5], 3), Err(DesignError::TooSmall { needed: 4, .. })));
        assert!(matches!(proportional(&[5, 5], 11), Err(DesignError::TooLarge { .. })));
    }

    #[test]
    fn margin_shrinks_to_zero_for_a_census() {
        let counts =
            |y, x| StationCounts { voters_on_roll: x, participants: y, valid: y, lists: vec![y] };
        let history = vec![StratumHistory {
            population: 4,
            past: vec![counts(50, 100), counts(70, 100), counts(30, 60), counts(90, 120)],
        }];
        let spread = spread(&history, Figure::Turnout).expect("enough history");
        assert_eq!(expected_margin(&spread, &[4], &[4], 1.96), 0.0);
        let two = expected_margin(&spread, &[4], &[2], 1.96);
        let three = expected_margin(&spread, &[4], &[3], 1.96);
        assert!(two > three && three > 0.0, "{two} {three}");
        let sizes = smallest_for_margin(&[spread], &[4], three, 1.96).expect("a design");
        assert_eq!(sizes, vec![3]);
    }
}
