//! Raking a study's respondents to population margins given in a TOML file, with the
//! convergence, trimming and Kish's summary reported.
//!
//! Targets file: one `[[margin]]` per question with `question` and `targets` (code ->
//! share or count; normalised), and an optional top-level `total` (default: the number
//! of respondents). Starting weights are the file's `weight` column (design weights)
//! or 1.

use std::collections::BTreeMap;

use saylau_survey::diagnostic::{Diagnostic, Diagnostics, Severity};
use saylau_survey::respondents::Answers;
use saylau_survey::weights::{self, Kish, Margin, RakeOptions};
use serde::{Deserialize, Serialize};

use super::{Study, SurveyError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsFile {
    total: Option<f64>,
    margin: Vec<MarginFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarginFile {
    question: String,
    targets: BTreeMap<String, f64>,
}

/// One margin after raking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarginView {
    /// The question.
    pub question: String,
    /// Code -> (target, weighted total reached).
    pub categories: BTreeMap<String, (f64, f64)>,
}

/// The outcome of raking a study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RakeView {
    /// Iterations R's `rake` would count.
    pub iterations: u32,
    /// Whether the weights converged.
    pub converged: bool,
    /// The last change of the joint table, in weighted counts.
    pub delta: f64,
    /// The largest gap between a margin and its target.
    pub max_margin_gap: f64,
    /// Trimming bounds applied after raking, if any.
    pub trim: Option<(f64, f64)>,
    /// The starting weights.
    pub before: Kish,
    /// The final weights.
    pub after: Kish,
    /// The margins.
    pub margins: Vec<MarginView>,
    /// Problems that did not stop the raking.
    pub warnings: Diagnostics,
    /// The final weights, one per respondent.
    #[serde(skip)]
    pub weights: Vec<f64>,
}

/// Rakes `study` to the margins in `targets` (TOML text named `source`).
///
/// # Errors
/// An invalid targets file, a respondent without an answer on a margin, a category with
/// a target but no respondent, margins that add up differently.
pub fn rake_study(
    study: &Study,
    source: &str,
    targets: &str,
    options: RakeOptions,
    trim: Option<(f64, f64)>,
) -> Result<RakeView, SurveyError> {
    let file: TargetsFile = toml::from_str(targets)
        .map_err(|err| SurveyError::Invalid(format!("{source}: {}", err.message())))?;
    let n = study.respondents.len();
    let total = file.total.unwrap_or(n as f64);
    let mut categories = Vec::new();
    let mut target_totals = Vec::new();
    let mut problems = Diagnostics::default();
    for margin in &file.margin {
        let (cats, totals) = margin_data(study, source, margin, total, &mut problems)?;
        categories.push(cats);
        target_totals.push(totals);
    }
    if problems.has_errors() {
        return Err(SurveyError::Rejected(problems));
    }
    let margins: Vec<Margin<'_>> = file
        .margin
        .iter()
        .zip(&categories)
        .zip(&target_totals)
        .map(|((m, c), t)| Margin { name: &m.question, categories: c, targets: t })
        .collect();
    let start = study.respondents.weights().map_or_else(|| vec![1.0; n], <[f64]>::to_vec);
    let raking = weights::rake(&start, &margins, options)
        .map_err(|err| SurveyError::Invalid(err.to_string()))?;
    let mut warnings = Diagnostics::default();
    if !raking.converged {
        warnings.0.push(Diagnostic {
            source: source.to_owned(),
            line: None,
            field: String::new(),
            rule: "W-5",
            message: format!(
                "the weights did not converge after {} iterations (last change {:.3})",
                raking.iterations, raking.delta
            ),
            severity: Severity::Warning,
        });
    }
    let final_weights = match trim {
        Some((lower, upper)) => weights::trim(&raking.weights, lower, upper, true),
        None => raking.weights.clone(),
    };
    let views = margin_views(study, &file, &margins, &final_weights);
    Ok(RakeView {
        iterations: raking.iterations,
        converged: raking.converged,
        delta: raking.delta,
        max_margin_gap: raking.max_margin_gap,
        trim,
        before: weights::kish(&start),
        after: weights::kish(&final_weights),
        margins: views,
        warnings,
        weights: final_weights,
    })
}

fn margin_data(
    study: &Study,
    source: &str,
    margin: &MarginFile,
    total: f64,
    problems: &mut Diagnostics,
) -> Result<(Vec<u16>, Vec<f64>), SurveyError> {
    let idx = study.codebook.question_index(&margin.question).ok_or_else(|| {
        SurveyError::Invalid(format!("{source}: the codebook has no question {}", margin.question))
    })?;
    let question = &study.codebook.questions()[idx];
    let Answers::Single(values) = study.respondents.answers(idx) else {
        return Err(SurveyError::Invalid(format!(
            "{source}: margin {} must be a single-response question",
            margin.question
        )));
    };
    let mut shares = vec![0.0; question.codes.len()];
    for (code, value) in &margin.targets {
        let position = code.parse::<u32>().ok().and_then(|it| question.code_index(it));
        let Some(position) = position else {
            return Err(SurveyError::Invalid(format!(
                "{source}: margin {}: {code} is not a code of the question",
                margin.question
            )));
        };
        shares[position] = *value;
    }
    let sum: f64 = shares.iter().sum();
    let targets = shares.iter().map(|it| it / sum * total).collect();
    let mut categories = Vec::with_capacity(values.len());
    for (row, value) in values.iter().enumerate() {
        match value {
            Some(code) => categories.push(*code),
            None => {
                problems.0.push(Diagnostic {
                    source: study.respondents.ids()[row].clone(),
                    line: Some(study.respondents.lines()[row]),
                    field: margin.question.clone(),
                    rule: "W-4",
                    message: format!(
                        "respondent {} has no answer to margin {}",
                        study.respondents.ids()[row],
                        margin.question
                    ),
                    severity: Severity::Error,
                });
                categories.push(0);
            }
        }
    }
    Ok((categories, targets))
}

/// Each margin's targets beside the weighted totals reached.
fn margin_views(
    study: &Study,
    file: &TargetsFile,
    margins: &[Margin<'_>],
    final_weights: &[f64],
) -> Vec<MarginView> {
    file.margin
        .iter()
        .zip(margins)
        .map(|(file_margin, margin)| {
            let question =
                study.codebook.question(&file_margin.question).expect("checked in margin_data");
            let mut reached = vec![0.0; margin.targets.len()];
            for (category, weight) in margin.categories.iter().zip(final_weights) {
                reached[usize::from(*category)] += weight;
            }
            let categories = question
                .codes
                .iter()
                .enumerate()
                .map(|(idx, code)| (code.code.to_string(), (margin.targets[idx], reached[idx])))
                .collect();
            MarginView { question: file_margin.question.clone(), categories }
        })
        .collect()
}
