//! k-means segmentation: standardised indicators, k-means++ starts, many restarts from a
//! printed seed, sizes and profiles, and stability as the adjusted Rand index between the
//! full-sample partition and partitions of bootstrap resamples.
//!
//! The seed's segments came from SPSS QUICK CLUSTER, whose initial centres differ from
//! k-means++; a reproduction matches sizes and profiles, not the SPSS partition.
//! Hand-written (Lloyd's algorithm): linfa-clustering would add ndarray and its own RNG
//! plumbing for a problem of a few dozen dimensions.

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Indicators of `n` respondents, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Values, respondent after respondent.
    pub values: Vec<f64>,
    /// Indicators per respondent.
    pub n_features: usize,
}

impl Matrix {
    /// Respondents.
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.values.len() / self.n_features.max(1)
    }

    fn row(&self, idx: usize) -> &[f64] {
        &self.values[idx * self.n_features..(idx + 1) * self.n_features]
    }

    /// Each indicator minus its mean, over its standard deviation (constant ones become 0).
    #[must_use]
    pub fn standardised(&self) -> Matrix {
        let n = self.n_rows() as f64;
        let mut values = self.values.clone();
        for feature in 0..self.n_features {
            let column =
                || (0..self.n_rows()).map(|row| self.values[row * self.n_features + feature]);
            let mean = column().sum::<f64>() / n;
            let sd = (column().map(|it| (it - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            for row in 0..self.n_rows() {
                let value = &mut values[row * self.n_features + feature];
                *value = if sd > 0.0 { (*value - mean) / sd } else { 0.0 };
            }
        }
        Matrix { values, n_features: self.n_features }
    }
}

/// How to cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KMeansOptions {
    /// Clusters.
    pub k: usize,
    /// Independent k-means++ starts; the one with the least within sum of squares wins.
    pub restarts: u32,
    /// Lloyd iterations per start at most.
    pub max_iterations: u32,
    /// The seed of every random choice (printed with the result).
    pub seed: u64,
}

/// A partition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clustering {
    /// The cluster of each respondent, numbered by size (0 the largest).
    pub labels: Vec<usize>,
    /// Cluster sizes.
    pub sizes: Vec<usize>,
    /// Centroids (in the clustered, usually standardised, units).
    pub centroids: Vec<Vec<f64>>,
    /// Within-cluster sum of squares.
    pub within_ss: f64,
    /// Total sum of squares around the grand mean.
    pub total_ss: f64,
    /// The settings, with the seed.
    pub options: KMeansOptions,
}

fn distance2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum()
}

fn nearest(point: &[f64], centroids: &[Vec<f64>]) -> (usize, f64) {
    centroids
        .iter()
        .enumerate()
        .map(|(idx, it)| (idx, distance2(point, it)))
        .fold((0, f64::INFINITY), |best, it| if it.1 < best.1 { it } else { best })
}

fn plus_plus(data: &Matrix, k: usize, rng: &mut impl Rng) -> Vec<Vec<f64>> {
    let n = data.n_rows();
    let mut centroids = vec![data.row(rng.random_range(0..n)).to_vec()];
    while centroids.len() < k {
        let weights: Vec<f64> = (0..n).map(|row| nearest(data.row(row), &centroids).1).collect();
        let total: f64 = weights.iter().sum();
        let mut target = rng.random::<f64>() * total;
        let mut chosen = n - 1;
        for (row, weight) in weights.iter().enumerate() {
            if target < *weight {
                chosen = row;
                break;
            }
            target -= weight;
        }
        centroids.push(data.row(chosen).to_vec());
    }
    centroids
}

fn lloyd(
    data: &Matrix,
    mut centroids: Vec<Vec<f64>>,
    max_iterations: u32,
) -> (Vec<usize>, Vec<Vec<f64>>, f64) {
    let n = data.n_rows();
    let mut labels = vec![usize::MAX; n];
    for _ in 0..max_iterations {
        let mut changed = false;
        for (row, label) in labels.iter_mut().enumerate() {
            let (best, _) = nearest(data.row(row), &centroids);
            changed |= *label != best;
            *label = best;
        }
        let mut sums = vec![vec![0.0; data.n_features]; centroids.len()];
        let mut counts = vec![0_usize; centroids.len()];
        for (row, label) in labels.iter().enumerate() {
            counts[*label] += 1;
            for (sum, value) in sums[*label].iter_mut().zip(data.row(row)) {
                *sum += value;
            }
        }
        for ((centroid, sum), count) in centroids.iter_mut().zip(sums).zip(&counts) {
            // An emptied cluster keeps its centre.
            if *count > 0 {
                *centroid = sum.into_iter().map(|it| it / *count as f64).collect();
            }
        }
        if !changed {
            break;
        }
    }
    let within = (0..n).map(|row| distance2(data.row(row), &centroids[labels[row]])).sum();
    (labels, centroids, within)
}

/// k-means with `options.restarts` k-means++ starts from `options.seed`.
///
/// # Panics
/// If there are fewer respondents than clusters or no cluster is asked for.
#[must_use]
pub fn kmeans(data: &Matrix, options: KMeansOptions) -> Clustering {
    assert!(options.k > 0 && data.n_rows() >= options.k, "need at least k respondents");
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut best: Option<(Vec<usize>, Vec<Vec<f64>>, f64)> = None;
    for _ in 0..options.restarts.max(1) {
        let start = plus_plus(data, options.k, &mut rng);
        let run = lloyd(data, start, options.max_iterations);
        if best.as_ref().is_none_or(|it| run.2 < it.2) {
            best = Some(run);
        }
    }
    let (labels, centroids, within_ss) = best.expect("at least one start");
    relabel_by_size(data, labels, centroids, within_ss, options)
}

fn relabel_by_size(
    data: &Matrix,
    labels: Vec<usize>,
    centroids: Vec<Vec<f64>>,
    within_ss: f64,
    options: KMeansOptions,
) -> Clustering {
    let mut sizes = vec![0; options.k];
    for label in &labels {
        sizes[*label] += 1;
    }
    let mut order: Vec<usize> = (0..options.k).collect();
    order.sort_by(|a, b| sizes[*b].cmp(&sizes[*a]).then(a.cmp(b)));
    let mut new_label = vec![0; options.k];
    for (new, old) in order.iter().enumerate() {
        new_label[*old] = new;
    }
    let n = data.n_rows() as f64;
    let mean: Vec<f64> = (0..data.n_features)
        .map(|f| (0..data.n_rows()).map(|row| data.row(row)[f]).sum::<f64>() / n)
        .collect();
    let total_ss = (0..data.n_rows()).map(|row| distance2(data.row(row), &mean)).sum();
    Clustering {
        labels: labels.iter().map(|it| new_label[*it]).collect(),
        sizes: order.iter().map(|it| sizes[*it]).collect(),
        centroids: order.iter().map(|it| centroids[*it].clone()).collect(),
        within_ss,
        total_ss,
        options,
    }
}

/// The adjusted Rand index of two partitions of the same respondents (1 = identical,
/// about 0 = as by chance).
#[must_use]
pub fn adjusted_rand_index(first: &[usize], second: &[usize]) -> f64 {
    let k1 = first.iter().max().map_or(0, |it| it + 1);
    let k2 = second.iter().max().map_or(0, |it| it + 1);
    let mut table = vec![0_u64; k1 * k2];
    for (a, b) in first.iter().zip(second) {
        table[a * k2 + b] += 1;
    }
    let pairs = |count: u64| (count * count.saturating_sub(1) / 2) as f64;
    let index: f64 = table.iter().map(|it| pairs(*it)).sum();
    let rows: f64 = (0..k1).map(|a| pairs(table[a * k2..(a + 1) * k2].iter().sum())).sum();
    let cols: f64 = (0..k2).map(|b| pairs((0..k1).map(|a| table[a * k2 + b]).sum())).sum();
    let total = pairs(first.len() as u64);
    let expected = rows * cols / total;
    let max = (rows + cols) / 2.0;
    if (max - expected).abs() < f64::EPSILON { 1.0 } else { (index - expected) / (max - expected) }
}

/// Stability of a clustering over bootstrap resamples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stability {
    /// Resamples drawn.
    pub resamples: u32,
    /// The mean adjusted Rand index between the full partition and each resample's
    /// partition (every respondent assigned to the nearest resample centroid).
    pub mean_ari: f64,
    /// The smallest.
    pub min_ari: f64,
}

/// Clusters `resamples` bootstrap resamples (seeded from `options.seed`) and compares
/// each with `full`.
#[must_use]
pub fn stability(data: &Matrix, full: &Clustering, resamples: u32) -> Stability {
    let mut rng = ChaCha8Rng::seed_from_u64(full.options.seed ^ 0x5eed_b007);
    let n = data.n_rows();
    let mut scores = Vec::new();
    for _ in 0..resamples {
        let mut values = Vec::with_capacity(data.values.len());
        for _ in 0..n {
            values.extend_from_slice(data.row(rng.random_range(0..n)));
        }
        let resample = Matrix { values, n_features: data.n_features };
        let options = KMeansOptions { seed: rng.random(), ..full.options };
        let clustering = kmeans(&resample, options);
        let labels: Vec<usize> =
            (0..n).map(|row| nearest(data.row(row), &clustering.centroids).0).collect();
        scores.push(adjusted_rand_index(&full.labels, &labels));
    }
    let mean_ari = scores.iter().sum::<f64>() / scores.len().max(1) as f64;
    let min_ari = scores.iter().copied().fold(f64::INFINITY, f64::min);
    Stability { resamples, mean_ari, min_ari }
}

#[cfg(test)]
mod tests {
    use super::{KMeansOptions, Matrix, adjusted_rand_index, kmeans, stability};

    #[test]
    fn adjusted_rand_index_known_values() {
        assert!((adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]) - 1.0).abs() < 1e-12);
        // sklearn's documented example: ARI([0,0,1,1], [0,0,1,2]) = 0.5714285714285715.
        assert!(
            (adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]) - 0.571_428_571_428_571_5).abs()
                < 1e-12
        );
        // sklearn: ARI([0,0,1,2], [0,0,1,1]) is the same; ARI([0,0,0,0],[0,1,2,3]) = 0.
        assert!(adjusted_rand_index(&[0, 0, 0, 0], &[0, 1, 2, 3]).abs() < 1e-12);
    }

    #[test]
    fn three_separated_groups_are_found_and_stable() {
        let mut values = Vec::new();
        for (centre, n) in [(0.0, 50), (10.0, 30), (20.0, 20)] {
            for idx in 0..n {
                values.push(centre + f64::from(idx % 5) * 0.1);
                values.push(-centre + f64::from(idx % 3) * 0.1);
            }
        }
        let data = Matrix { values, n_features: 2 }.standardised();
        let options = KMeansOptions { k: 3, restarts: 10, max_iterations: 100, seed: 7 };
        let clustering = kmeans(&data, options);
        assert_eq!(clustering.sizes, [50, 30, 20]);
        let stable = stability(&data, &clustering, 20);
        assert!(stable.min_ari > 0.99, "{stable:?}");
    }
}
