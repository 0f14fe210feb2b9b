//! The race-level nomination rule of rural akim elections: with fewer than two candidates
//! nominated by parties or by themselves when nomination ends, the district akim
//! nominates (art. 113-3 p. 6 of the Constitutional Law «On Elections»).
//!
//! [`crate::law::eligibility::eligibility`] applies it to every race of a candidate set and
//! fails each akim nominee in a race where the akim was not entitled to nominate.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::law::eligibility::{
    CandidateCheck, CandidateSet, EligibilityRule, Failure, Nomination, RaceId, Requirement,
    RuleSet, Voters,
};

/// What the nomination rule says of a race.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum RaceOutcome {
    /// Enough candidates were nominated by parties and themselves.
    Contested,
    /// Too few were nominated, and the district akim nominated the rest.
    AkimNominated,
    /// Too few were nominated: the district akim must nominate this many more.
    AkimMustNominate {
        /// Candidates still missing.
        missing: u32,
    },
    /// The district akim nominated although enough candidates were nominated.
    AkimNotEntitled,
    /// The rule set has no nomination rule.
    NoRule,
}

/// One race under the nomination rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaceCheck {
    /// The race.
    pub race: RaceId,
    /// Voters on its roll.
    pub voters: Voters,
    /// Candidates nominated by parties or themselves.
    pub nominated: u32,
    /// Candidates nominated by the district akim.
    pub akim_nominated: u32,
    /// Candidates eligible under the rule set.
    pub eligible: u32,
    /// What the nomination rule says.
    #[serde(flatten)]
    pub outcome: RaceOutcome,
}

/// Every race under the nomination rule; an akim nominee in a race where the akim may
/// not nominate fails the rule.
pub(crate) fn race_checks(
    rules: &RuleSet,
    candidates: &CandidateSet,
    checks: &mut [CandidateCheck],
) -> Vec<RaceCheck> {
    let rule = rules.rules().iter().find_map(|rule| match rule.requirement {
        Requirement::Nominees { min_candidates } => Some((rule, min_candidates)),
        _ => None,
    });
    let mut races: BTreeMap<&RaceId, RaceCheck> = BTreeMap::new();
    for candidate in candidates.candidates() {
        let race = races.entry(&candidate.race).or_insert_with(|| RaceCheck {
            race: candidate.race.clone(),
            voters: candidate.race_voters,
            nominated: 0,
            akim_nominated: 0,
            eligible: 0,
            outcome: RaceOutcome::NoRule,
        });
        match candidate.nomination {
            Nomination::Akim => race.akim_nominated += 1,
            Nomination::Party | Nomination::SelfNominated => race.nominated += 1,
        }
    }
    for race in races.values_mut() {
        race.outcome = match rule {
            None => RaceOutcome::NoRule,
            Some((_, min)) if race.nominated >= min && race.akim_nominated > 0 => {
                RaceOutcome::AkimNotEntitled
            }
            Some((_, min)) if race.nominated >= min => RaceOutcome::Contested,
            Some((_, min)) if race.nominated + race.akim_nominated >= min => {
                RaceOutcome::AkimNominated
            }
            Some((_, min)) => RaceOutcome::AkimMustNominate {
                missing: min - race.nominated - race.akim_nominated,
            },
        };
    }
    akim_failures(rule, &races, checks);
    for check in checks.iter().filter(|check| check.eligible) {
        if let Some(race) = races.get_mut(&check.race) {
            race.eligible += 1;
        }
    }
    races.into_values().collect()
}

/// Fails every akim nominee in a race where the district akim may not nominate.
fn akim_failures(
    rule: Option<(&EligibilityRule, u32)>,
    races: &BTreeMap<&RaceId, RaceCheck>,
    checks: &mut [CandidateCheck],
) {
    for check in checks.iter_mut().filter(|check| check.nomination == Nomination::Akim) {
        let race = &races[&check.race];
        let failure = match rule {
            None => Some(Failure {
                rule: "nominees",
                article: String::new(),
                required: "no rule lets the district akim nominate".to_owned(),
                found: "nominated by the district akim".to_owned(),
            }),
            Some((rule, min)) if race.outcome == RaceOutcome::AkimNotEntitled => Some(Failure {
                rule: "nominees",
                article: rule.article.clone(),
                required: format!(
                    "nomination by the district akim only when fewer than {min} were nominated"
                ),
                found: format!(
                    "nominated by the district akim with {} others nominated",
                    race.nominated
                ),
            }),
            Some(_) => None,
        };
        if let Some(failure) = failure {
            check.failures.push(failure);
            check.eligible = false;
        }
    }
}
