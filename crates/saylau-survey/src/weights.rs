//! Weights: design weights, raking to known margins, trimming, Kish's effective sample
//! size and design effect, and design-based means with linearised standard errors.
//!
//! Raking is iterative proportional fitting done exactly as R's `survey::rake`: each
//! iteration post-stratifies on every margin in turn, and convergence is the largest
//! change of a cell of the joint table of all margin variables between two iterations,
//! in weighted counts (`epsilon`; below 1 it is a fraction of the weight total). The
//! standard error of a mean after raking uses R's calibration residuals (ten back-fitting
//! passes over the margins), so that results agree with `svymean` to rounding.
//! Hand-written: no maintained Rust crate rakes (`docs/survey.md`).

use std::collections::HashMap;

use serde::Serialize;

/// One margin: every respondent's category (an index) and the target total per category.
#[derive(Debug, Clone, Copy)]
pub struct Margin<'a> {
    /// The margin's name (a question key), for messages.
    pub name: &'a str,
    /// The category index of each respondent.
    pub categories: &'a [u16],
    /// The population total of each category.
    pub targets: &'a [f64],
}

/// How long to rake.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RakeOptions {
    /// The most iterations (R: `maxit`, default 10).
    pub max_iterations: u32,
    /// The convergence bound in weighted counts; below 1 a fraction of the weight total
    /// (R: `epsilon`, default 1).
    pub epsilon: f64,
}

/// Weights that could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WeightError {
    /// A target category has no respondent, so no weight can reach it.
    #[error(
        "margin {margin}: category {category} has a target of {target} but no respondent (rule W-2)"
    )]
    EmptyCategory {
        /// The margin.
        margin: String,
        /// The category index.
        category: usize,
        /// Its target.
        target: f64,
    },
    /// The margins' targets add up to different totals.
    #[error("margin {margin} totals {total}, the first margin {first} (rule W-1)")]
    TotalsDiffer {
        /// The margin.
        margin: String,
        /// Its total.
        total: f64,
        /// The first margin's total.
        first: f64,
    },
    /// A respondent's category is outside the targets, or the lengths disagree.
    #[error(
        "margin {margin}: respondent {row} has category {category}, but only {n_targets} targets are given (rule W-3)"
    )]
    BadCategory {
        /// The margin.
        margin: String,
        /// The respondent's row (from 0).
        row: usize,
        /// The category.
        category: usize,
        /// How many targets there are.
        n_targets: usize,
    },
}

/// The outcome of raking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Raking {
    /// The final weights.
    pub weights: Vec<f64>,
    /// Full iterations made before convergence was seen (R's count).
    pub iterations: u32,
    /// Whether the joint table stopped moving by less than the bound.
    pub converged: bool,
    /// The last change of the joint table, in weighted counts.
    pub delta: f64,
    /// The largest gap between a weighted margin and its target after raking.
    pub max_margin_gap: f64,
    /// The weights after each margin's step in the last iteration (for the variance).
    #[serde(skip)]
    pub steps: Vec<Vec<f64>>,
    /// The categories of each margin (for the variance).
    #[serde(skip)]
    pub categories: Vec<Vec<u16>>,
}

/// Design weights of a stratified sample: N_h / n_h for each respondent's stratum `h`.
///
/// # Errors
/// A stratum with a population but no respondent, or a category out of range.
pub fn design_weights(margin: &Margin<'_>) -> Result<Vec<f64>, WeightError> {
    let counts = category_totals(margin, &vec![1.0; margin.categories.len()])?;
    check_nonempty(margin, &counts)?;
    Ok(margin
        .categories
        .iter()
        .map(|it| margin.targets[usize::from(*it)] / counts[usize::from(*it)])
        .collect())
}

fn category_totals(margin: &Margin<'_>, weights: &[f64]) -> Result<Vec<f64>, WeightError> {
    let mut totals = vec![0.0; margin.targets.len()];
    for (row, (category, weight)) in margin.categories.iter().zip(weights).enumerate() {
        let Some(total) = totals.get_mut(usize::from(*category)) else {
            return Err(WeightError::BadCategory {
                margin: margin.name.to_owned(),
                row,
                category: usize::from(*category),
                n_targets: margin.targets.len(),
            });
        };
        *total += weight;
    }
    Ok(totals)
}

fn check_nonempty(margin: &Margin<'_>, totals: &[f64]) -> Result<(), WeightError> {
    for (category, (total, target)) in totals.iter().zip(margin.targets).enumerate() {
        if *total <= 0.0 && *target > 0.0 {
            return Err(WeightError::EmptyCategory {
                margin: margin.name.to_owned(),
                category,
                target: *target,
            });
        }
    }
    Ok(())
}

/// Rakes `start` weights to the margins, as R's `rake(design, sample.margins,
/// population.margins, control = list(maxit, epsilon))`.
///
/// # Errors
/// Empty target categories, margins with different totals, categories out of range.
pub fn rake(
    start: &[f64],
    margins: &[Margin<'_>],
    options: RakeOptions,
) -> Result<Raking, WeightError> {
    let first_total: f64 = margins.first().map_or(0.0, |it| it.targets.iter().sum());
    for margin in margins {
        let total: f64 = margin.targets.iter().sum();
        if (total - first_total).abs() > 1e-9 * first_total.abs().max(1.0) {
            return Err(WeightError::TotalsDiffer {
                margin: margin.name.to_owned(),
                total,
                first: first_total,
            });
        }
        check_nonempty(margin, &category_totals(margin, start)?)?;
    }
    let epsilon = if options.epsilon < 1.0 {
        options.epsilon * start.iter().sum::<f64>()
    } else {
        options.epsilon
    };
    let cells = joint_cells(margins);
    let n_cells = cells.iter().max().map_or(0, |it| it + 1);
    let mut weights = start.to_vec();
    let mut old_table = joint_table(&cells, n_cells, &weights);
    let mut steps = Vec::new();
    let mut iterations = 0;
    let mut converged = false;
    let mut delta = f64::INFINITY;
    while iterations < options.max_iterations {
        steps.clear();
        for margin in margins {
            let totals = category_totals(margin, &weights)?;
            for (weight, category) in weights.iter_mut().zip(margin.categories) {
                let category = usize::from(*category);
                *weight *= margin.targets[category] / totals[category];
            }
            steps.push(weights.clone());
        }
        let new_table = joint_table(&cells, n_cells, &weights);
        delta = old_table
            .iter()
            .zip(&new_table)
            .map(|(old, new)| (old - new).abs())
            .fold(0.0, f64::max);
        if delta < epsilon {
            converged = true;
            break;
        }
        old_table = new_table;
        iterations += 1;
    }
    let mut max_margin_gap = 0.0_f64;
    for margin in margins {
        let totals = category_totals(margin, &weights)?;
        for (total, target) in totals.iter().zip(margin.targets) {
            max_margin_gap = max_margin_gap.max((total - target).abs());
        }
    }
    let categories = margins.iter().map(|it| it.categories.to_vec()).collect();
    Ok(Raking { weights, iterations, converged, delta, max_margin_gap, steps, categories })
}

fn joint_cells(margins: &[Margin<'_>]) -> Vec<usize> {
    let n_rows = margins.first().map_or(0, |it| it.categories.len());
    let mut index: HashMap<Vec<u16>, usize> = HashMap::new();
    (0..n_rows)
        .map(|row| {
            let key: Vec<u16> = margins.iter().map(|it| it.categories[row]).collect();
            let next = index.len();
            *index.entry(key).or_insert(next)
        })
        .collect()
}

fn joint_table(cells: &[usize], n_cells: usize, weights: &[f64]) -> Vec<f64> {
    let mut table = vec![0.0; n_cells];
    for (cell, weight) in cells.iter().zip(weights) {
        table[*cell] += weight;
    }
    table
}

/// Trims weights to `[lower, upper]` and spreads what was cut evenly over the weights
/// that were inside, as R's `trimWeights`; `strict` repeats until none is outside.
#[must_use]
pub fn trim(weights: &[f64], lower: f64, upper: f64, strict: bool) -> Vec<f64> {
    let mut weights = weights.to_vec();
    // Each pass moves every outside weight to a bound; 100 passes is far beyond what a
    // strict trim needs in practice, and it guarantees termination.
    for _ in 0..100 {
        let outside: Vec<bool> = weights.iter().map(|it| *it < lower || *it > upper).collect();
        let n_inside = outside.iter().filter(|it| !**it).count();
        if n_inside == weights.len() || n_inside == 0 {
            break;
        }
        let mut trimmed = 0.0;
        for weight in &mut weights {
            let new = weight.clamp(lower, upper);
            trimmed += *weight - new;
            *weight = new;
        }
        let share = trimmed / n_inside as f64;
        for (weight, out) in weights.iter_mut().zip(&outside) {
            if !out {
                *weight += share;
            }
        }
        if !strict {
            break;
        }
    }
    weights
}

/// Kish's summary of a set of weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Kish {
    /// Respondents.
    pub n: usize,
    /// Sum of the weights.
    pub weighted_n: f64,
    /// Effective sample size (sum w)^2 / sum w^2.
    pub effective_n: f64,
    /// Design effect of weighting n sum w^2 / (sum w)^2 = 1 + CV^2.
    pub deff: f64,
    /// The smallest weight.
    pub min: f64,
    /// The largest weight.
    pub max: f64,
}

/// Kish's effective sample size and design effect of weighting.
#[must_use]
pub fn kish(weights: &[f64]) -> Kish {
    let sum: f64 = weights.iter().sum();
    let squares: f64 = weights.iter().map(|it| it * it).sum();
    let effective_n = if squares > 0.0 { sum * sum / squares } else { 0.0 };
    Kish {
        n: weights.len(),
        weighted_n: sum,
        effective_n,
        deff: if effective_n > 0.0 { weights.len() as f64 / effective_n } else { f64::NAN },
        min: weights.iter().copied().fold(f64::INFINITY, f64::min),
        max: weights.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}

/// A design-based mean (a proportion for a 0/1 variable).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The weighted mean.
    pub mean: f64,
    /// Its linearised standard error (with-replacement, one stage, as `svymean`).
    pub se: f64,
    /// The design effect against simple random sampling without replacement of the same
    /// size from a population of the weighted total (`svymean(..., deff = TRUE)`).
    pub deff: f64,
}

/// The weighted mean of `values` with its standard error and design effect, for an
/// unclustered design `svydesign(ids = ~1, weights = ~w)`, raked when `raking` is given.
#[must_use]
pub fn weighted_mean(values: &[f64], weights: &[f64], raking: Option<&Raking>) -> Estimate {
    let n = values.len() as f64;
    let sum_w: f64 = weights.iter().sum();
    let mean = values.iter().zip(weights).map(|(y, w)| y * w).sum::<f64>() / sum_w;
    let mut scores: Vec<f64> =
        values.iter().zip(weights).map(|(y, w)| (y - mean) * w / sum_w).collect();
    if let Some(raking) = raking {
        calibration_residuals(&mut scores, raking);
    }
    let score_mean = scores.iter().sum::<f64>() / n;
    let variance = scores.iter().map(|it| (it - score_mean).powi(2)).sum::<f64>() * n / (n - 1.0);
    let population_variance =
        values.iter().zip(weights).map(|(y, w)| (y - mean).powi(2) * w).sum::<f64>() / sum_w * n
            / (n - 1.0);
    let srs_variance = population_variance * (sum_w - n) / (sum_w * n);
    Estimate { mean, se: variance.sqrt(), deff: variance / srs_variance }
}

/// R's `svyrecvar` for a raked design: ten back-fitting passes that remove, margin by
/// margin, the part of the scores the margins explain.
fn calibration_residuals(scores: &mut [f64], raking: &Raking) {
    for _ in 0..10 {
        for (categories, step_weights) in raking.categories.iter().zip(&raking.steps) {
            let n_categories = categories.iter().map(|it| usize::from(*it) + 1).max().unwrap_or(0);
            let mut sums = vec![0.0; n_categories];
            let mut counts = vec![0.0; n_categories];
            for ((score, weight), category) in scores.iter().zip(step_weights).zip(categories) {
                sums[usize::from(*category)] += score / weight;
                counts[usize::from(*category)] += 1.0;
            }
            for ((score, weight), category) in scores.iter_mut().zip(step_weights).zip(categories) {
                let category = usize::from(*category);
                *score -= weight * sums[category] / counts[category];
            }
        }
    }
}

/// How `proportion_interval` makes its interval (R's `svyciprop` methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntervalMethod {
    /// p ± t se (`method = "mean"`).
    Mean,
    /// On the log-odds scale by the delta method, then back (`method = "xlogit"`, which
    /// R's documentation says SUDAAN and SPSS Complex Samples use; R's default `"logit"`
    /// gives the same interval for a proportion, as the R test checks).
    Xlogit,
}

/// The confidence interval of a design-based proportion, with R's degrees of freedom
/// (respondents - 1 for an unclustered design), as `svyciprop`.
#[must_use]
pub fn proportion_interval(
    estimate: &Estimate,
    n: usize,
    level: f64,
    method: IntervalMethod,
) -> (f64, f64) {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let degrees = (n as f64 - 1.0).max(1.0);
    let t = StudentsT::new(0.0, 1.0, degrees)
        .expect("positive degrees of freedom")
        .inverse_cdf(0.5 + level / 2.0);
    let p = estimate.mean;
    match method {
        IntervalMethod::Mean => (p - t * estimate.se, p + t * estimate.se),
        IntervalMethod::Xlogit => {
            let eta = (p / (1.0 - p)).ln();
            let se = estimate.se / (p * (1.0 - p));
            let expit = |x: f64| 1.0 / (1.0 + (-x).exp());
            (expit(eta - t * se), expit(eta + t * se))
        }
    }
}
