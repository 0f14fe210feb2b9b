//! k-means segments of a study's respondents on chosen questions: each code of each
//! question becomes a 0/1 indicator, standardised, clustered with many k-means++
//! restarts from a printed seed; sizes, profiles (the share with each code per segment),
//! the explained share of variance and the stability over bootstrap resamples.

use saylau_survey::kmeans::{self, KMeansOptions, Matrix, Stability};
use saylau_survey::respondents::Answers;
use serde::Serialize;

use super::{Study, SurveyError};

/// The segments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentView {
    /// The indicators, `question=code`.
    pub indicators: Vec<String>,
    /// The settings, with the seed.
    pub options: KMeansOptions,
    /// Respondents per segment, largest first.
    pub sizes: Vec<usize>,
    /// Per segment, the share (0-1) of its respondents with each indicator.
    pub profiles: Vec<Vec<f64>>,
    /// Between-segment sum of squares over the total (standardised units).
    pub between_over_total: f64,
    /// Bootstrap stability.
    pub stability: Stability,
    /// The adjusted Rand index against a question of the file (such as a published segment).
    pub agreement: Option<(String, f64)>,
    /// The segment of each respondent (0 the largest).
    #[serde(skip)]
    pub labels: Vec<usize>,
}

/// Segments `study` on `questions`.
///
/// # Errors
/// An unknown question, or fewer respondents than segments.
pub fn segment(
    study: &Study,
    questions: &[String],
    options: KMeansOptions,
    resamples: u32,
    compare: Option<&str>,
) -> Result<SegmentView, SurveyError> {
    let mut indicators = Vec::new();
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for key in questions {
        let idx = study
            .codebook
            .question_index(key)
            .ok_or_else(|| SurveyError::Invalid(format!("the codebook has no question {key}")))?;
        let question = &study.codebook.questions()[idx];
        for (code_idx, code) in question.codes.iter().enumerate() {
            indicators.push(format!("{key}={}", code.code));
            let answers = study.respondents.answers(idx);
            columns.push(
                (0..study.respondents.len())
                    .map(|row| f64::from(u8::from(answers.has(row, code_idx))))
                    .collect(),
            );
        }
    }
    let n = study.respondents.len();
    if n < options.k || options.k == 0 {
        return Err(SurveyError::Invalid(format!(
            "{n} respondents cannot make {} segments",
            options.k
        )));
    }
    let values = (0..n).flat_map(|row| columns.iter().map(move |column| column[row])).collect();
    let raw = Matrix { values, n_features: columns.len() };
    let data = raw.standardised();
    let clustering = kmeans::kmeans(&data, options);
    let stability = kmeans::stability(&data, &clustering, resamples);
    let profiles = (0..options.k)
        .map(|segment| {
            let members: Vec<usize> =
                (0..n).filter(|row| clustering.labels[*row] == segment).collect();
            columns
                .iter()
                .map(|column| {
                    members.iter().map(|row| column[*row]).sum::<f64>()
                        / members.len().max(1) as f64
                })
                .collect()
        })
        .collect();
    let agreement = agreement(study, &clustering.labels, compare)?;
    Ok(SegmentView {
        indicators,
        options,
        sizes: clustering.sizes.clone(),
        profiles,
        between_over_total: 1.0 - clustering.within_ss / clustering.total_ss,
        stability,
        agreement,
        labels: clustering.labels,
    })
}

/// The adjusted Rand index between the segments and a single-response question.
fn agreement(
    study: &Study,
    labels: &[usize],
    compare: Option<&str>,
) -> Result<Option<(String, f64)>, SurveyError> {
    Ok(match compare {
        Some(key) => {
            let idx = study.codebook.question_index(key).ok_or_else(|| {
                SurveyError::Invalid(format!("the codebook has no question {key}"))
            })?;
            let Answers::Single(values) = study.respondents.answers(idx) else {
                return Err(SurveyError::Invalid(format!(
                    "{key} must be single response to compare segments"
                )));
            };
            let reference: Vec<usize> =
                values.iter().map(|it| it.map_or(usize::from(u16::MAX), usize::from)).collect();
            Some((key.to_owned(), kmeans::adjusted_rand_index(labels, &reference)))
        }
        None => None,
    })
}
