//! Survey use cases: margins of error, the column-proportions test on a published table,
//! a study (codebook + respondents) loaded with its diagnostics, cross-tables, raking,
//! k-means segments, a poll against an official figure, and the seed's study report.
//!
//! Front ends read the files and pass their text; every result is a `Serialize` view.

mod report;
mod sav;
mod segment;
pub mod synthetic;
mod weighting;

use saylau_survey::codebook::Codebook;
use saylau_survey::crosstab::{self, CrosstabError};
use saylau_survey::diagnostic::Diagnostics;
use saylau_survey::moe::{worst_case_margin, z_two_sided};
use saylau_survey::published::{PublishedError, PublishedTable, test_published};
use saylau_survey::respondents::Respondents;
use serde::Serialize;

pub use report::{
    OFFICIAL_TURNOUT_2021, ReportTable, SeedReport, report_html, seed_report, table_html,
};
pub use sav::{from_sav, to_sav};
pub use segment::{SegmentView, segment};
pub use weighting::{RakeView, rake_study};

// The domain types of the survey views and options, for front ends.
pub use saylau_survey::claims::ClaimVerdict;
pub use saylau_survey::colprop::{Adjust, TestOptions};
pub use saylau_survey::crosstab::{Crosstab, TableOptions};
pub use saylau_survey::kmeans::KMeansOptions;
pub use saylau_survey::poll::{PollComparison, compare as poll};
pub use saylau_survey::published::TestedTable;
pub use saylau_survey::weights::RakeOptions;

/// A survey use case that failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SurveyError {
    /// The input was rejected, with every reason.
    #[error("{0}")]
    Rejected(Diagnostics),
    /// A table could not be made.
    #[error(transparent)]
    Table(#[from] CrosstabError),
    /// A published table could not be tested.
    #[error(transparent)]
    Published(#[from] PublishedError),
    /// A file is not what it should be.
    #[error("{0}")]
    Invalid(String),
}

/// The margin of error of a proportion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoeView {
    /// Respondents.
    pub n: f64,
    /// Confidence level.
    pub confidence: f64,
    /// The proportion (0.5 is the worst case).
    pub p: f64,
    /// Design effect (1 for a simple random sample).
    pub deff: f64,
    /// Effective sample size n / deff.
    pub effective_n: f64,
    /// The normal quantile.
    pub z: f64,
    /// The margin of error in percent.
    pub moe: f64,
    /// What it assumes.
    pub note: String,
}

/// The margin of error for `n` respondents at `confidence`.
#[must_use]
pub fn moe(n: f64, confidence: f64, p: f64, deff: f64) -> MoeView {
    let effective_n = n / deff;
    let moe = 100.0 * saylau_survey::moe::margin_of_error(effective_n, confidence, p);
    let note = if deff == 1.0 && p == 0.5 {
        "worst case p = 0.5, for a simple random sample of this size".to_owned()
    } else {
        "for a simple random sample of the effective size n / deff".to_owned()
    };
    MoeView { n, confidence, p, deff, effective_n, z: z_two_sided(confidence), moe, note }
}

/// The worst-case margin of error, in percent, of a column of `n` respondents.
#[must_use]
pub fn column_moe(n: f64, confidence: f64) -> f64 {
    100.0 * worst_case_margin(n, confidence)
}

/// The column-proportions test on a published table given as JSON (one entry of
/// `seed-tables.json`: `columns`, `bases`, `rows[].values`).
///
/// # Errors
/// Invalid JSON, a column without a base, a row without a value.
pub fn sigtest(json: &str, options: TestOptions) -> Result<TestedTable, SurveyError> {
    let table: PublishedTable = serde_json::from_str(json)
        .map_err(|err| SurveyError::Invalid(format!("not a published table: {err}")))?;
    Ok(test_published(&table, options)?)
}

/// A codebook and its respondents, with the problems found reading them.
#[derive(Debug, Clone)]
pub struct Study {
    /// The codebook.
    pub codebook: Codebook,
    /// The accepted respondents.
    pub respondents: Respondents,
    /// Rejected rows and warnings.
    pub diagnostics: Diagnostics,
    /// How many rows were rejected.
    pub rejected: usize,
}

/// Reads a codebook (TOML) and a respondent file (CSV); each is named for diagnostics.
///
/// # Errors
/// A codebook that is not valid, or a respondent file whose header does not fit it.
pub fn load_study(
    codebook_source: &str,
    codebook_text: &str,
    data_source: &str,
    data_text: &str,
) -> Result<Study, SurveyError> {
    let codebook =
        Codebook::from_toml(codebook_source, codebook_text).map_err(SurveyError::Rejected)?;
    let read =
        Respondents::from_csv(&codebook, data_source, data_text).map_err(SurveyError::Rejected)?;
    Ok(Study {
        codebook,
        respondents: read.respondents,
        diagnostics: read.diagnostics,
        rejected: read.rejected,
    })
}

/// Reads a codebook (TOML) and an SPSS `.sav` respondent file.
///
/// # Errors
/// As [`load_study`], and an unreadable SPSS file.
pub fn load_sav_study(
    codebook_source: &str,
    codebook_text: &str,
    data_source: &str,
    bytes: &[u8],
) -> Result<Study, SurveyError> {
    let codebook =
        Codebook::from_toml(codebook_source, codebook_text).map_err(SurveyError::Rejected)?;
    let read = from_sav(&codebook, data_source, bytes)?;
    Ok(Study {
        codebook,
        respondents: read.respondents,
        diagnostics: read.diagnostics,
        rejected: read.rejected,
    })
}

/// The cross-table of `question` by `banner`, weighted by the file's `weight` column when
/// `weighted`.
///
/// # Errors
/// Unknown questions, a multiple-response banner, `weighted` without a weight column.
pub fn table(
    study: &Study,
    question: &str,
    banner: &str,
    weighted: bool,
    options: TableOptions,
) -> Result<Crosstab, SurveyError> {
    let weights = if weighted {
        Some(study.respondents.weights().ok_or_else(|| {
            SurveyError::Invalid(
                "--weighted needs a weight column in the respondent file".to_owned(),
            )
        })?)
    } else {
        None
    };
    Ok(crosstab::crosstab(&study.codebook, &study.respondents, question, banner, weights, options)?)
}

/// A table as CSV: one row per code or net, per column the percent, the letters and the
/// base, labels in `lang`.
#[must_use]
pub fn table_csv(table: &Crosstab, lang: &str) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["row".to_owned()];
    for column in &table.columns {
        let name = column.label.get(lang);
        let letter = column.letter.as_deref().map(|it| format!(" ({it})")).unwrap_or_default();
        header.push(format!("{name}{letter} %"));
        header.push(format!("{name} letters"));
    }
    let _ = writer.write_record(&header);
    let mut base = vec!["base (N)".to_owned()];
    for column in &table.columns {
        base.push(column.base.to_string());
        base.push(if column.small_base { "small base".to_owned() } else { String::new() });
    }
    let _ = writer.write_record(&base);
    for row in &table.rows {
        let mut record = vec![row.label.get(lang).to_owned()];
        for cell in &row.cells {
            record.push(format!("{:.1}", cell.percent));
            record.push(cell.letters.clone());
        }
        let _ = writer.write_record(&record);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}
