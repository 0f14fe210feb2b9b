//! Candidates against the law and the seed's proposal for their office (`saylau
//! eligibility`, `docs/candidates-format.md`): rural akims, deputies of the Mazhilis and
//! the maslikhats, and the President. Every rule set's verdict per candidate, the failures
//! with their articles, and the races that follow.

use std::path::{Path, PathBuf};

use saylau_core::law::date::Date;
use saylau_core::law::eligibility::{RuleSet, eligibility};
use saylau_formats::rule::FileRule;
use saylau_formats::{
    Diagnostic, Diagnostics, OFFICES, Severity, parse_rule_set, read_candidates, read_rule_set,
};
use serde::Serialize;

use super::LawError;

pub use saylau_core::law::eligibility::{EligibilityReport, Nomination, Office};
pub use saylau_core::law::nomination::RaceOutcome;
pub use saylau_formats::CandidatesMeta;

/// The bundled rule sets, the law and the proposal for each office, so the command runs
/// anywhere with no rule-set file; a candidates file is checked against its office's.
const BUNDLED: [(&str, &str); 8] = [
    (
        "data/kz/eligibility-law-2021.toml",
        include_str!("../../../../data/kz/eligibility-law-2021.toml"),
    ),
    (
        "data/kz/eligibility-proposed.toml",
        include_str!("../../../../data/kz/eligibility-proposed.toml"),
    ),
    (
        "data/kz/eligibility/mazhilis-law-2021.toml",
        include_str!("../../../../data/kz/eligibility/mazhilis-law-2021.toml"),
    ),
    (
        "data/kz/eligibility/mazhilis-proposed.toml",
        include_str!("../../../../data/kz/eligibility/mazhilis-proposed.toml"),
    ),
    (
        "data/kz/eligibility/maslikhat-law-2021.toml",
        include_str!("../../../../data/kz/eligibility/maslikhat-law-2021.toml"),
    ),
    (
        "data/kz/eligibility/maslikhat-proposed.toml",
        include_str!("../../../../data/kz/eligibility/maslikhat-proposed.toml"),
    ),
    (
        "data/kz/eligibility/president-law-2019.toml",
        include_str!("../../../../data/kz/eligibility/president-law-2019.toml"),
    ),
    (
        "data/kz/eligibility/president-proposed.toml",
        include_str!("../../../../data/kz/eligibility/president-proposed.toml"),
    ),
];

/// The candidates under every rule set: the JSON of `saylau eligibility --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Eligibility {
    /// The candidates file's provenance.
    pub election: CandidatesMeta,
    /// The report under each rule set.
    pub rule_sets: Vec<EligibilityReport>,
}

/// Checks the candidates of the file at `path` under the rule sets of `rules` (by default
/// the bundled law and proposal for the candidates' office); `election_day`
/// (`YYYY-MM-DD`) is needed for a CSV file, and `office` (`akim`, `mazhilis`, `maslikhat`,
/// `president`; by default `akim`) names a CSV file's office. A rule set for another
/// office than the candidates' is refused.
pub fn check(
    path: &Path,
    rules: &[PathBuf],
    election_day: Option<&str>,
    office: Option<&str>,
) -> Result<Eligibility, LawError> {
    let office = office.map(office_named).transpose()?;
    let day = match election_day {
        Some(text) => Some(Date::parse(text).map_err(|err| LawError::Failed {
            context: "reading --election-day".to_owned(),
            source: Box::new(err),
        })?),
        None => None,
    };
    let file = read_candidates(path, day, office).map_err(LawError::Rejected)?;
    let rule_sets = rule_sets(rules, file.meta.office)?;
    let reports = rule_sets.iter().map(|rules| eligibility(rules, &file.candidates)).collect();
    Ok(Eligibility { election: file.meta, rule_sets: reports })
}

/// The office named `name`, or a diagnostic listing the offices.
fn office_named(name: &str) -> Result<Office, LawError> {
    OFFICES.iter().find(|(it, _)| *it == name).map(|(_, office)| *office).ok_or_else(|| {
        let names: Vec<&str> = OFFICES.iter().map(|(it, _)| *it).collect();
        LawError::Rejected(Diagnostics(vec![Diagnostic {
            source: "--office".to_owned(),
            line: None,
            field: "office".to_owned(),
            rule: FileRule::WrongType.into(),
            message: format!("unknown office {name:?}; expected one of {}", names.join(", ")),
            severity: Severity::Error,
        }]))
    })
}

/// The rule sets of `paths`, or the bundled ones for `office`; every bad file, and every
/// set for another office, is rejected.
fn rule_sets(paths: &[PathBuf], office: Office) -> Result<Vec<RuleSet>, LawError> {
    let read: Vec<(String, Result<RuleSet, Diagnostics>)> = if paths.is_empty() {
        BUNDLED
            .iter()
            .map(|(source, text)| ((*source).to_owned(), parse_rule_set(source, text)))
            .filter(|(_, set)| set.as_ref().map_or(true, |set| set.office() == office))
            .collect()
    } else {
        paths.iter().map(|path| (path.display().to_string(), read_rule_set(path))).collect()
    };
    let mut problems = Vec::new();
    let mut res = Vec::new();
    for (source, it) in read {
        match it {
            Ok(rules) if rules.office() != office => problems.push(Diagnostic {
                source,
                line: None,
                field: "rule_set.office".to_owned(),
                rule: FileRule::NotApplicable.into(),
                message: format!(
                    "the rule set {} is for candidates for {}, the candidates stand for {}",
                    rules.id(),
                    rules.office().as_str(),
                    office.as_str()
                ),
                severity: Severity::Error,
            }),
            Ok(rules) => res.push(rules),
            Err(diagnostics) => problems.extend(diagnostics.0),
        }
    }
    if !problems.is_empty() {
        return Err(LawError::Rejected(Diagnostics(problems)));
    }
    Ok(res)
}
