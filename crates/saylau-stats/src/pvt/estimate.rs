//! The quick-count estimate: a combined ratio estimator over strata, its linearisation
//! (Taylor) variance with the finite-population correction, intervals, the rule for
//! strata with missing reports, and the three-way verdicts.
//!
//! For a figure `R = Y / X` (turnout: ballots found over voters on the roll; a list's
//! share: its votes over valid ballots) the estimate is `R̂ = Ŷ / X̂` with
//! `Ŷ = Σ_h N_h / n_h Σ_i y_hi`, and its variance
//! `V̂(R̂) = Σ_h N_h² (1 - n_h/N_h) s²_h / n_h / X̂²`, where `s²_h` is the sample variance
//! of the residuals `z = y - R̂ x` in stratum `h`. This is what R's `survey` package
//! computes for `svyratio` on `svydesign(ids = ~1, strata = ~stratum, fpc = ~N)`.

use statrs::distribution::{ContinuousCDF, Normal};

use super::frame::{Figure, StationCounts, figures};
use crate::rounding::to_f64;

/// A ratio estimate and its variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// `R̂`.
    pub estimate: f64,
    /// `V̂(R̂)`.
    pub variance: f64,
}

/// The combined ratio estimator over strata: each stratum is its number of stations `N_h`
/// and the `(y, x)` of its reporting stations (at least two each, or one when all
/// `N_h` report, whose variance is then zero).
pub fn combined_ratio(strata: &[(u64, Vec<(f64, f64)>)]) -> Ratio {
    let mut y_total = 0.0;
    let mut x_total = 0.0;
    for (population, pairs) in strata {
        let weight = count(*population) / count(pairs.len());
        y_total += weight * pairs.iter().map(|pair| pair.0).sum::<f64>();
        x_total += weight * pairs.iter().map(|pair| pair.1).sum::<f64>();
    }
    let estimate = y_total / x_total;
    let mut variance = 0.0;
    for (population, pairs) in strata {
        let n = count(pairs.len());
        let big_n = count(*population);
        if pairs.len() < 2 {
            continue;
        }
        let residuals: Vec<f64> = pairs.iter().map(|(y, x)| y - estimate * x).collect();
        let mean = residuals.iter().sum::<f64>() / n;
        let s2 = residuals.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / (n - 1.0);
        variance += big_n * big_n * (1.0 - n / big_n) * s2 / n;
    }
    Ratio { estimate, variance: variance / (x_total * x_total) }
}

/// A count as a float (exact below 2^53, far above any count of stations or votes).
fn count(value: impl TryInto<u64>) -> f64 {
    to_f64(value.try_into().unwrap_or(u64::MAX))
}

/// One stratum of the plan with the reports received from its sampled stations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StratumReports {
    /// The stratum's id.
    pub id: String,
    /// The value of the first stratifying attribute (such as the region): strata short of
    /// reports are merged within it.
    pub group: String,
    /// Stations in the stratum, `N_h`.
    pub population: u64,
    /// Stations sampled.
    pub planned: u64,
    /// The reports of sampled stations received.
    pub reports: Vec<StationCounts>,
}

/// A stratum of the estimate: one stratum of the plan, or several merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstimationStratum {
    /// The plan's strata in it, by id.
    pub members: Vec<String>,
    /// Stations, `N_h`.
    pub population: u64,
    /// Stations sampled.
    pub planned: u64,
    /// Reports received, `n_h`.
    pub reports: u64,
    /// Why it was merged, if it was.
    pub merged: Option<Merge>,
}

/// Why strata of the plan were merged for the estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// A stratum with fewer than two reports, merged with the other strata of its group.
    Group,
    /// Groups still short of two reports, pooled together.
    Pooled,
}

/// One figure's estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureEstimate {
    /// What is estimated.
    pub figure: Figure,
    /// The estimate, as a proportion.
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// The lower end of the interval.
    pub lower: f64,
    /// The upper end of the interval.
    pub upper: f64,
}

/// A quick-count estimate of turnout and every list's share.
#[derive(Debug, Clone, PartialEq)]
pub struct QuickCount {
    /// The confidence of the intervals.
    pub confidence: f64,
    /// The normal quantile used, `z`.
    pub z: f64,
    /// The strata of the estimate after merging.
    pub strata: Vec<EstimationStratum>,
    /// Turnout, then each list in ballot order.
    pub estimates: Vec<FigureEstimate>,
}

/// Why an estimate cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EstimateError {
    /// Fewer than two reports in all, after pooling.
    #[error("only {0} report(s) received: at least two are needed for an interval")]
    TooFewReports(u64),
    /// A confidence level outside (0, 1).
    #[error("the confidence must be between 0 and 1, not {0}")]
    Confidence(f64),
    /// No voters or no valid ballots in the reports.
    #[error("the reports have no {0}, so the ratio is undefined")]
    ZeroDenominator(&'static str),
}

/// The normal quantile of a two-sided interval at `confidence`.
pub fn z_value(confidence: f64) -> Result<f64, EstimateError> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(EstimateError::Confidence(confidence));
    }
    let normal = Normal::standard();
    Ok(normal.inverse_cdf(1.0 - (1.0 - confidence) / 2.0))
}

/// Estimates turnout and the share of each of `n_lists` lists from the reports.
///
/// Missing reports: a stratum's reporting stations stand for all its stations (its weight
/// is `N_h / n_h` with `n_h` the reports received), which assumes that reports are missing
/// at random within the stratum. A stratum with fewer than two reports cannot carry a
/// variance; it is merged with every other stratum of its group (the first stratifying
/// attribute, such as the region) into one stratum, and groups still short of two
/// reports are pooled into one.
pub fn quick_count(
    strata: &[StratumReports],
    n_lists: usize,
    confidence: f64,
) -> Result<QuickCount, EstimateError> {
    let z = z_value(confidence)?;
    let merged = merge_short(strata);
    let reports: u64 = merged.iter().map(|(it, _)| it.reports).sum();
    if reports < 2 {
        return Err(EstimateError::TooFewReports(reports));
    }
    let mut estimates = Vec::new();
    for figure in figures(n_lists) {
        let pairs: Vec<(u64, Vec<(f64, f64)>)> = merged
            .iter()
            .map(|(stratum, counts)| {
                let pairs = counts
                    .iter()
                    .map(|it| {
                        let (y, x) = it.ratio_parts(figure);
                        (count(y), count(x))
                    })
                    .collect();
                (stratum.population, pairs)
            })
            .collect();
        let ratio = combined_ratio(&pairs);
        if !ratio.estimate.is_finite() {
            let what =
                if figure == Figure::Turnout { "voters on the roll" } else { "valid ballots" };
            return Err(EstimateError::ZeroDenominator(what));
        }
        let std_error = ratio.variance.sqrt();
        estimates.push(FigureEstimate {
            figure,
            estimate: ratio.estimate,
            std_error,
            lower: ratio.estimate - z * std_error,
            upper: ratio.estimate + z * std_error,
        });
    }
    let strata = merged.into_iter().map(|(it, _)| it).collect();
    Ok(QuickCount { confidence, z, strata, estimates })
}

/// The strata of the estimate, each with its reports, after merging short strata.
fn merge_short(strata: &[StratumReports]) -> Vec<(EstimationStratum, Vec<StationCounts>)> {
    let single = |it: &StratumReports| {
        let stratum = EstimationStratum {
            members: vec![it.id.clone()],
            population: it.population,
            planned: it.planned,
            reports: u64::try_from(it.reports.len()).unwrap_or(u64::MAX),
            merged: None,
        };
        (stratum, it.reports.clone())
    };
    let short_groups: Vec<&str> = strata
        .iter()
        .filter(|it| it.reports.len() < 2 && it.reports.len() < full(it))
        .map(|it| it.group.as_str())
        .collect();
    let mut res: Vec<(EstimationStratum, Vec<StationCounts>)> = Vec::new();
    let mut groups: Vec<(EstimationStratum, Vec<StationCounts>)> = Vec::new();
    for it in strata {
        if !short_groups.contains(&it.group.as_str()) {
            res.push(single(it));
            continue;
        }
        let (stratum, counts) = single(it);
        match groups.iter_mut().find(|(group, _)| group.members[0] == it.group) {
            Some((group, group_counts)) => absorb(group, group_counts, stratum, counts),
            None => {
                let mut group = stratum;
                group.members.insert(0, it.group.clone());
                group.merged = Some(Merge::Group);
                groups.push((group, counts));
            }
        }
    }
    let mut pooled: Option<(EstimationStratum, Vec<StationCounts>)> = None;
    for (mut group, counts) in groups {
        group.members.remove(0);
        if group.reports >= 2 {
            res.push((group, counts));
            continue;
        }
        match &mut pooled {
            Some((pool, pool_counts)) => absorb(pool, pool_counts, group, counts),
            None => {
                group.merged = Some(Merge::Pooled);
                pooled = Some((group, counts));
            }
        }
    }
    res.extend(pooled);
    res
}

/// The reports that make a stratum complete: all its stations.
fn full(it: &StratumReports) -> usize {
    usize::try_from(it.population).unwrap_or(usize::MAX)
}

fn absorb(
    into: &mut EstimationStratum,
    into_counts: &mut Vec<StationCounts>,
    other: EstimationStratum,
    counts: Vec<StationCounts>,
) {
    into.members.extend(other.members);
    into.population += other.population;
    into.planned += other.planned;
    into.reports += other.reports;
    into_counts.extend(counts);
}

/// The answer of a quick count to one decisive question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The official figure is inside the interval and the interval decides the question
    /// the same way as the official figure.
    Consistent,
    /// The official figure is outside the interval.
    Inconsistent,
    /// The official figure is inside the interval, but the interval also holds the other
    /// answer (it straddles the threshold), or too few reports arrived to judge.
    Inconclusive,
}

/// Where an interval lies against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Wholly at or above it.
    Above,
    /// Wholly below it.
    Below,
    /// Across it.
    Straddles,
}

/// Where `estimate`'s interval lies against `threshold`.
pub fn side(estimate: &FigureEstimate, threshold: f64) -> Side {
    if estimate.lower >= threshold {
        Side::Above
    } else if estimate.upper < threshold {
        Side::Below
    } else {
        Side::Straddles
    }
}

/// The verdict on an official figure: inconsistent when it lies outside the interval;
/// otherwise inconclusive when the interval straddles the `threshold` the figure decides
/// (a list's passing), or when `enough_reports` is false; else consistent.
pub fn verdict(
    estimate: &FigureEstimate,
    official: f64,
    threshold: Option<f64>,
    enough_reports: bool,
) -> Verdict {
    if !enough_reports {
        return Verdict::Inconclusive;
    }
    if official < estimate.lower || official > estimate.upper {
        return Verdict::Inconsistent;
    }
    match threshold.map(|threshold| side(estimate, threshold)) {
        Some(Side::Straddles) => Verdict::Inconclusive,
        _ => Verdict::Consistent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_of_one_stratum_is_the_ratio_of_sums() {
        let res = combined_ratio(&[(10, vec![(1.0, 2.0), (3.0, 4.0)])]);
        assert_eq!(res.estimate, 4.0 / 6.0);
        // z = y - R x = -1/3, 1/3: s² = 2/9; V = 10² (1 - 2/10) (2/9) / 2 / (10/2·6)².
        let expect = 100.0 * 0.8 * (2.0 / 9.0) / 2.0 / 900.0;
        assert!((res.variance - expect).abs() < 1e-15, "{} vs {expect}", res.variance);
    }

    #[test]
    fn a_complete_stratum_has_no_variance() {
        let res = combined_ratio(&[(2, vec![(1.0, 2.0), (3.0, 4.0)])]);
        assert_eq!(res.variance, 0.0);
    }

    #[test]
    fn verdicts() {
        let est = FigureEstimate {
            figure: Figure::List(0),
            estimate: 0.07,
            std_error: 0.005,
            lower: 0.06,
            upper: 0.08,
        };
        assert_eq!(verdict(&est, 0.09, Some(0.07), true), Verdict::Inconsistent);
        assert_eq!(verdict(&est, 0.075, Some(0.07), true), Verdict::Inconclusive);
        assert_eq!(verdict(&est, 0.075, None, true), Verdict::Consistent);
        assert_eq!(verdict(&est, 0.075, Some(0.05), true), Verdict::Consistent);
        assert_eq!(verdict(&est, 0.075, None, false), Verdict::Inconclusive);
        assert_eq!(side(&est, 0.05), Side::Above);
        assert_eq!(side(&est, 0.09), Side::Below);
    }
}
