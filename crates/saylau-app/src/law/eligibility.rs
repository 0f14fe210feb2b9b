//! Candidates for rural akim against the law of 2021 and the seed's proposal (`saylau
//! eligibility`, `docs/candidates-format.md`): every rule set's verdict per candidate,
//! the failures with their articles, and the races that follow.

use std::path::{Path, PathBuf};

use saylau_core::law::date::Date;
use saylau_core::law::eligibility::{RuleSet, eligibility};
use saylau_formats::{Diagnostics, parse_rule_set, read_candidates, read_rule_set};
use serde::Serialize;

use super::LawError;

pub use saylau_core::law::eligibility::{EligibilityReport, Nomination};
pub use saylau_core::law::nomination::RaceOutcome;
pub use saylau_formats::CandidatesMeta;

/// The bundled rule sets, so the command runs anywhere with no rule-set file.
const BUNDLED: [(&str, &str); 2] = [
    (
        "data/kz/eligibility-law-2021.toml",
        include_str!("../../../../data/kz/eligibility-law-2021.toml"),
    ),
    (
        "data/kz/eligibility-proposed.toml",
        include_str!("../../../../data/kz/eligibility-proposed.toml"),
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
/// the bundled law of 2021 and the proposal); `election_day` (`YYYY-MM-DD`) is needed for
/// a CSV file.
pub fn check(
    path: &Path,
    rules: &[PathBuf],
    election_day: Option<&str>,
) -> Result<Eligibility, LawError> {
    let rule_sets = rule_sets(rules)?;
    let day = match election_day {
        Some(text) => Some(Date::parse(text).map_err(|err| LawError::Failed {
            context: "reading --election-day".to_owned(),
            source: Box::new(err),
        })?),
        None => None,
    };
    let file = read_candidates(path, day).map_err(LawError::Rejected)?;
    let reports = rule_sets.iter().map(|rules| eligibility(rules, &file.candidates)).collect();
    Ok(Eligibility { election: file.meta, rule_sets: reports })
}

/// The rule sets of `paths`, or the bundled ones; every bad file is rejected.
fn rule_sets(paths: &[PathBuf]) -> Result<Vec<RuleSet>, LawError> {
    let read: Vec<Result<RuleSet, Diagnostics>> = if paths.is_empty() {
        BUNDLED.iter().map(|(source, text)| parse_rule_set(source, text)).collect()
    } else {
        paths.iter().map(|path| read_rule_set(path)).collect()
    };
    let mut problems = Vec::new();
    let mut res = Vec::new();
    for it in read {
        match it {
            Ok(rules) => res.push(rules),
            Err(diagnostics) => problems.extend(diagnostics.0),
        }
    }
    if !problems.is_empty() {
        return Err(LawError::Rejected(Diagnostics(problems)));
    }
    Ok(res)
}
