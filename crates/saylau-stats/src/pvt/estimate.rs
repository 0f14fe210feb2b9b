//! The quick-count estimate: a combined ratio estimator over strata, its linearisation
//! (Taylor) variance with the finite-population correction, intervals, the rule for
//! strata with missing reports, and the paired check of official protocols.
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
    let (estimate, x_total) = ratio_and_total(strata);
    let mut variance = 0.0;
    for (population, pairs) in strata {
        let residuals: Vec<f64> = pairs.iter().map(|(y, x)| y - estimate * x).collect();
        variance += stratum_variance(*population, &residuals);
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
    pub reports: Vec<Report>,
}

/// The report of one sampled station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The figures the observers counted.
    pub observed: StationCounts,
    /// The station's official protocol, when the official results are published station
    /// by station.
    pub official: Option<StationCounts>,
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
    /// The official protocols of the same stations against the reports, when every
    /// reporting station's official protocol is known.
    pub paired: Option<PairedDifference>,
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
/// reports are pooled into one; if that pool is still short, every stratum is pooled.
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
            .map(|(stratum, reports)| {
                let pairs = reports.iter().map(|it| parts(&it.observed, figure)).collect();
                (stratum.population, pairs)
            })
            .collect();
        let ratio = combined_ratio(&pairs);
        let paired = paired_difference(&merged, figure, z);
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
            paired,
        });
    }
    let strata = merged.into_iter().map(|(it, _)| it).collect();
    Ok(QuickCount { confidence, z, strata, estimates })
}

fn parts(counts: &StationCounts, figure: Figure) -> (f64, f64) {
    let (y, x) = counts.ratio_parts(figure);
    (count(y), count(x))
}

/// The official protocols of the reporting stations against their reports.
///
/// When the official results are published station by station, the official figure can
/// be checked on the sampled stations themselves: `D̂ = R̂(official) - R̂(reports)`, both
/// combined ratio estimates over the same sample, with the linearisation variance of the
/// difference (residual `u = (y_o - R̂_o x_o) / X̂_o - (y_r - R̂_r x_r) / X̂_r`). The true
/// national figure is then estimated by the official one minus `D̂` (a difference
/// estimator with the official results as the auxiliary variable), far more precisely
/// than by the reports alone, because the two agree wherever the count was honest.
fn paired_difference(
    merged: &[(EstimationStratum, Vec<Report>)],
    figure: Figure,
    z: f64,
) -> Option<PairedDifference> {
    let mut strata = Vec::with_capacity(merged.len());
    for (stratum, reports) in merged {
        let mut pairs = Vec::with_capacity(reports.len());
        for it in reports {
            pairs.push((parts(it.official.as_ref()?, figure), parts(&it.observed, figure)));
        }
        strata.push((stratum.population, pairs));
    }
    let official: Vec<(u64, Vec<(f64, f64)>)> =
        strata.iter().map(|(n, pairs)| (*n, pairs.iter().map(|pair| pair.0).collect())).collect();
    let observed: Vec<(u64, Vec<(f64, f64)>)> =
        strata.iter().map(|(n, pairs)| (*n, pairs.iter().map(|pair| pair.1).collect())).collect();
    let (r_official, x_official) = ratio_and_total(&official);
    let (r_observed, x_observed) = ratio_and_total(&observed);
    let mut variance = 0.0;
    for (population, pairs) in &strata {
        let residuals: Vec<f64> = pairs
            .iter()
            .map(|((yo, xo), (yr, xr))| {
                (yo - r_official * xo) / x_official - (yr - r_observed * xr) / x_observed
            })
            .collect();
        variance += stratum_variance(*population, &residuals);
    }
    let difference = r_official - r_observed;
    let std_error = variance.sqrt();
    Some(PairedDifference { difference, std_error, margin: z * std_error })
}

/// The combined ratio and the estimated total of its denominator.
fn ratio_and_total(strata: &[(u64, Vec<(f64, f64)>)]) -> (f64, f64) {
    let mut y_total = 0.0;
    let mut x_total = 0.0;
    for (population, pairs) in strata {
        let weight = count(*population) / count(pairs.len());
        y_total += weight * pairs.iter().map(|pair| pair.0).sum::<f64>();
        x_total += weight * pairs.iter().map(|pair| pair.1).sum::<f64>();
    }
    (y_total / x_total, x_total)
}

/// `N_h² (1 - n_h/N_h) s²_h / n_h` of one stratum's values (zero with fewer than two).
fn stratum_variance(population: u64, values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let n = count(values.len());
    let big_n = count(population);
    let mean = values.iter().sum::<f64>() / n;
    let s2 = values.iter().map(|value| (value - mean).powi(2)).sum::<f64>() / (n - 1.0);
    big_n * big_n * (1.0 - n / big_n) * s2 / n
}

/// The difference between the official protocols and the reports of the same stations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedDifference {
    /// `D̂`: official minus observed, as a proportion.
    pub difference: f64,
    /// Its standard error.
    pub std_error: f64,
    /// `z` times the standard error.
    pub margin: f64,
}

/// The strata of the estimate, each with its reports, after merging short strata.
fn merge_short(strata: &[StratumReports]) -> Vec<(EstimationStratum, Vec<Report>)> {
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
    let mut res: Vec<(EstimationStratum, Vec<Report>)> = Vec::new();
    let mut groups: Vec<(EstimationStratum, Vec<Report>)> = Vec::new();
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
    pool_short_groups(res, groups)
}

/// Groups with two reports or more join `res`; the others are pooled into one, and a pool
/// still short pools every stratum.
fn pool_short_groups(
    mut res: Vec<(EstimationStratum, Vec<Report>)>,
    groups: Vec<(EstimationStratum, Vec<Report>)>,
) -> Vec<(EstimationStratum, Vec<Report>)> {
    let mut pooled: Option<(EstimationStratum, Vec<Report>)> = None;
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
    match pooled {
        // A pool still short of two reports cannot carry a variance either: then every
        // stratum is pooled, and the sample is treated as unstratified.
        Some((mut pool, mut pool_counts)) if pool.reports < 2 => {
            for (other, counts) in res {
                absorb(&mut pool, &mut pool_counts, other, counts);
            }
            vec![(pool, pool_counts)]
        }
        Some(pool) => {
            res.push(pool);
            res
        }
        None => res,
    }
}

/// The reports that make a stratum complete: all its stations.
fn full(it: &StratumReports) -> usize {
    usize::try_from(it.population).unwrap_or(usize::MAX)
}

fn absorb(
    into: &mut EstimationStratum,
    into_counts: &mut Vec<Report>,
    other: EstimationStratum,
    counts: Vec<Report>,
) {
    into.members.extend(other.members);
    into.population += other.population;
    into.planned += other.planned;
    into.reports += other.reports;
    into_counts.extend(counts);
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

    fn stratum(id: &str, group: &str, population: u64, reports: &[(u64, u64)]) -> StratumReports {
        let reports = reports
            .iter()
            .map(|&(y, x)| Report {
                observed: StationCounts {
                    voters_on_roll: x,
                    participants: y,
                    valid: y,
                    lists: vec![y],
                },
                official: None,
            })
            .collect();
        StratumReports {
            id: id.to_owned(),
            group: group.to_owned(),
            population,
            planned: 3,
            reports,
        }
    }

    fn merged(strata: &[StratumReports]) -> String {
        let res = quick_count(strata, 1, 0.95).expect("enough reports");
        let parts: Vec<String> = res
            .strata
            .iter()
            .map(|it| {
                format!("{}:{}:{}:{:?}", it.members.join("+"), it.population, it.reports, it.merged)
            })
            .collect();
        parts.join(" ")
    }

    #[test]
    fn short_strata_merge_within_their_group_then_pool() {
        let two = [(50, 100), (60, 100)];
        let strata = [
            stratum("01/town", "01", 10, &two),
            stratum("01/rural", "01", 10, &[(30, 50)]),
            stratum("02/town", "02", 10, &two),
            stratum("03/rural", "03", 5, &[(20, 40)]),
            stratum("04/rural", "04", 5, &[]),
            stratum("05/rural", "05", 1, &[(9, 10)]),
            stratum("06/rural", "06", 5, &[(8, 20)]),
        ];
        assert_eq!(
            merged(&strata),
            "02/town:10:2:None 05/rural:1:1:None 01/town+01/rural:20:3:Some(Group) \
             03/rural+04/rural+06/rural:15:2:Some(Pooled)"
        );
        assert_eq!(
            merged(&strata[..5]),
            "03/rural+04/rural+02/town+01/town+01/rural:40:6:Some(Pooled)"
        );
    }
}
