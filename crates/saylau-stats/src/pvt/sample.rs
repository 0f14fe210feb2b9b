//! Drawing a stratified sample of stations with the verifiable lot (saylau-lot-v1,
//! `docs/lot.md`), so that anyone can recompute it from the public seed.
//!
//! One draw order is made over the whole frame, in the order of the station ids, with the
//! published seed; each stratum's sample is its first `n_h` stations in that order. The
//! order restricted to one stratum is a uniformly random order of that stratum, so each
//! stratum gets a simple random sample without replacement, independently of its size,
//! and the whole sample is fixed by the seed and the frame (as in Rivest's consistent
//! sampler, where every unit's ticket number comes from a public seed). Publishing the
//! seed, the frame and the draw order up to the last station taken lets `saylau lot
//! verify` confirm the draw.

use saylau_core::seats::lot::{LotSeed, draw_order};

/// A station taken into the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen {
    /// Its position in the frame.
    pub position: usize,
    /// Its place in the draw order, from 0.
    pub rank: usize,
    /// Its stratum.
    pub stratum: usize,
}

/// A drawn sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StratifiedSample {
    /// Frame positions in the draw order, up to and including the last station taken.
    pub order: Vec<usize>,
    /// The stations taken, in frame order.
    pub chosen: Vec<Chosen>,
}

/// Why a sample cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SampleError {
    /// A stratum's sample size exceeds its stations.
    #[error("stratum {stratum} is to sample {size} stations but has {population}")]
    TooLarge {
        /// The stratum's position.
        stratum: usize,
        /// Its sample size.
        size: u64,
        /// Its stations.
        population: u64,
    },
    /// A station is in a stratum the sizes do not name.
    #[error("a station is in stratum {0}, which has no sample size")]
    UnknownStratum(usize),
}

/// Draws `sizes[h]` stations from each stratum `h`, where `strata_of[i]` is the stratum of
/// the frame's station `i`.
pub fn stratified_sample(
    seed: &LotSeed,
    strata_of: &[usize],
    sizes: &[u64],
) -> Result<StratifiedSample, SampleError> {
    let mut population = vec![0u64; sizes.len()];
    for &stratum in strata_of {
        *population.get_mut(stratum).ok_or(SampleError::UnknownStratum(stratum))? += 1;
    }
    for (stratum, (&size, &count)) in sizes.iter().zip(&population).enumerate() {
        if size > count {
            return Err(SampleError::TooLarge { stratum, size, population: count });
        }
    }
    let mut left: Vec<u64> = sizes.to_vec();
    let mut wanted: u64 = sizes.iter().sum();
    let mut order = Vec::new();
    let mut chosen = Vec::new();
    for (rank, position) in draw_order(seed, strata_of.len()).into_iter().enumerate() {
        if wanted == 0 {
            break;
        }
        order.push(position);
        let stratum = strata_of[position];
        if left[stratum] > 0 {
            left[stratum] -= 1;
            wanted -= 1;
            chosen.push(Chosen { position, rank, stratum });
        }
    }
    chosen.sort_by_key(|it| it.position);
    Ok(StratifiedSample { order, chosen })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(strata_of: &[usize], sizes: &[u64], expect: &str) {
        let res = match stratified_sample(&LotSeed::new("saylau"), strata_of, sizes) {
            Ok(sample) => {
                let chosen: Vec<String> =
                    sample.chosen.iter().map(|it| format!("{}@{}", it.position, it.rank)).collect();
                format!("order {:?} chosen {}", sample.order, chosen.join(" "))
            }
            Err(err) => err.to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn takes_the_first_stations_of_each_stratum_in_the_draw_order() {
        // The draw order of the seed `saylau` over 10 items is 9, 8, 1, 5, 7, 4, 3, 2, 6, 0
        // (docs/lot.md).
        check(
            &[0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
            &[2, 1],
            "order [9, 8, 1, 5, 7, 4] chosen 1@2 4@5 9@0",
        );
        check(&[0; 10], &[3], "order [9, 8, 1] chosen 1@2 8@1 9@0");
        check(&[0, 0, 1], &[1, 2], "stratum 1 is to sample 2 stations but has 1");
        check(&[0, 2], &[1, 1], "a station is in stratum 2, which has no sample size");
    }
}
