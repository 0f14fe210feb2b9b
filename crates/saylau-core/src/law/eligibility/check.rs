//! Checking candidates against a rule set: every rule each candidate fails, the races
//! under the nomination rule, and the report.

use serde::Serialize;

use super::candidate::{Candidate, CandidateSet, Nomination, Paperwork, RaceId};
use super::rule::{
    EligibilityRule, Minor, Office, Requirement, RuleSet, RuleSetStatus, education_name,
};
use crate::law::date::{Date, Years};
use crate::law::nomination::RaceCheck;
use crate::seats::votes::Votes;

/// A rule a candidate fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The kind of the rule.
    pub rule: &'static str,
    /// The article behind it.
    pub article: String,
    /// What is required.
    pub required: String,
    /// What the candidate has.
    pub found: String,
}

/// A minor discrepancy the candidate may correct instead of being refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The kind of the rule.
    pub rule: &'static str,
    /// The article or recommendation behind it.
    pub article: String,
    /// What is wrong.
    pub found: String,
    /// Days allowed for the correction.
    pub within_days: u32,
}

/// One candidate under one rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateCheck {
    /// The candidate's name.
    pub name: String,
    /// The race.
    pub race: RaceId,
    /// The age on election day.
    pub age: Years,
    /// Who nominated the candidate.
    pub nomination: Nomination,
    /// True when no rule fails.
    pub eligible: bool,
    /// Every rule the candidate fails, in the rule set's order.
    pub failures: Vec<Failure>,
    /// Minor discrepancies to correct within a deadline (the candidate stays eligible
    /// once they are corrected).
    pub corrections: Vec<Correction>,
}

/// The candidates of a file under one rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EligibilityReport {
    /// The rule set's identifier.
    pub rule_set: String,
    /// Its name.
    pub name: String,
    /// Law or proposal.
    pub status: RuleSetStatus,
    /// The office the candidates stand for.
    pub office: Office,
    /// Election day.
    pub election_day: Date,
    /// The rules applied.
    pub rules: Vec<EligibilityRule>,
    /// Every candidate, in file order.
    pub candidates: Vec<CandidateCheck>,
    /// Every race, by identifier.
    pub races: Vec<RaceCheck>,
    /// How many candidates are eligible.
    pub eligible: u32,
    /// How many are not.
    pub ineligible: u32,
}

/// Checks every candidate against every rule of `rules`, and every race against the
/// nomination rule.
pub fn eligibility(rules: &RuleSet, candidates: &CandidateSet) -> EligibilityReport {
    let mut checks: Vec<CandidateCheck> = candidates
        .candidates()
        .iter()
        .map(|candidate| candidate_check(rules, candidates, candidate))
        .collect();
    let races = crate::law::nomination::race_checks(rules, candidates, &mut checks);
    let eligible = checks.iter().filter(|check| check.eligible).count();
    let eligible = u32::try_from(eligible).unwrap_or(u32::MAX);
    let total = u32::try_from(checks.len()).unwrap_or(u32::MAX);
    EligibilityReport {
        rule_set: rules.id().to_owned(),
        name: rules.name().to_owned(),
        status: rules.status(),
        office: rules.office(),
        election_day: candidates.election_day(),
        rules: rules.rules().to_vec(),
        candidates: checks,
        races,
        eligible,
        ineligible: total - eligible,
    }
}

/// One candidate under every candidate-level rule.
fn candidate_check(
    rules: &RuleSet,
    candidates: &CandidateSet,
    candidate: &Candidate,
) -> CandidateCheck {
    let age = candidates.age_of(candidate);
    let mut failures = Vec::new();
    let mut corrections = Vec::new();
    for rule in rules.rules() {
        let (found, minor) = match &rule.requirement {
            Requirement::TaxDeclaration { minor } => {
                (paperwork(candidate.tax_declaration, "the tax declaration"), *minor)
            }
            Requirement::SignatureSheets { minor }
                if candidate.nomination == Nomination::SelfNominated =>
            {
                (paperwork(candidate.signature_sheets, "the signature sheets"), *minor)
            }
            requirement => {
                (unmet(requirement, candidate, age).map(|it| (it, false)), Minor::Refusal)
            }
        };
        let Some((found, is_minor)) = found else { continue };
        match minor {
            Minor::Correctable { days } if is_minor => corrections.push(Correction {
                rule: rule.requirement.kind(),
                article: rule.article.clone(),
                found,
                within_days: days,
            }),
            _ => failures.push(Failure {
                rule: rule.requirement.kind(),
                article: rule.article.clone(),
                required: rule.requirement.value_text(),
                found,
            }),
        }
    }
    CandidateCheck {
        name: candidate.name.clone(),
        race: candidate.race.clone(),
        age,
        nomination: candidate.nomination,
        eligible: failures.is_empty(),
        failures,
        corrections,
    }
}

/// A document's problem and whether it is minor; `None` when it is complete.
fn paperwork(state: Paperwork, what: &str) -> Option<(String, bool)> {
    match state {
        Paperwork::Complete => None,
        Paperwork::MinorDiscrepancy => Some((format!("a minor discrepancy in {what}"), true)),
        Paperwork::Deficient => Some((format!("{what} missing or wrong in substance"), false)),
    }
}

/// What the candidate has, when it does not meet `requirement`; `None` when it does.
fn unmet(requirement: &Requirement, candidate: &Candidate, age: Years) -> Option<String> {
    match requirement {
        Requirement::Age { min_years } => (age < *min_years).then(|| format!("{age} years")),
        Requirement::Education { min_level } => (candidate.education < *min_level)
            .then(|| education_name(candidate.education).to_owned()),
        Requirement::Experience { civil_service_years, management_years } => {
            let met = candidate.civil_service >= *civil_service_years
                || candidate.management >= *management_years;
            (!met).then(|| {
                format!(
                    "{} years of civil service, {} in management",
                    candidate.civil_service, candidate.management
                )
            })
        }
        Requirement::CriminalRecord => {
            candidate.criminal_record.then(|| "an unexpunged criminal record".to_owned())
        }
        Requirement::Corruption => {
            candidate.corruption_offence.then(|| "a corruption offence".to_owned())
        }
        Requirement::Signatures { self_nominee_share } => {
            if candidate.nomination != Nomination::SelfNominated {
                return None;
            }
            // A share of voters is a share of people: the exact test of thresholds applies.
            let met = self_nominee_share
                .is_met(Votes(candidate.signatures.0), Votes(candidate.race_voters.0));
            (!met).then(|| {
                format!(
                    "{} signatures of {} voters",
                    candidate.signatures.0, candidate.race_voters.0
                )
            })
        }
        Requirement::Deposit { amount } => {
            (candidate.deposit < *amount).then(|| format!("{} KZT paid", candidate.deposit.0))
        }
        Requirement::SecurityCheck => (!candidate.security_check)
            .then(|| "the special check of the KNB not passed".to_owned()),
        Requirement::LocalResidence => match candidate.lives_in_race {
            // A file that does not state residence is not judged on it.
            Some(true) | None => None,
            Some(false) => Some("lives outside the race's territory".to_owned()),
        },
        Requirement::NoPartyPost => {
            candidate.party_post.then(|| "holds a post in a party's leadership".to_owned())
        }
        Requirement::PartyNominee
        | Requirement::CitizenByBirth
        | Requirement::StateLanguage
        | Requirement::CountryResidence { .. }
        | Requirement::PublicService { .. } => unmet_standing(requirement, candidate),
        Requirement::Nominees { .. }
        | Requirement::TaxDeclaration { .. }
        | Requirement::SignatureSheets { .. } => None,
    }
}

/// [`unmet`] for the rules of national and maslikhat offices: nomination, citizenship,
/// the language examination, residence in the country and years of public service.
fn unmet_standing(requirement: &Requirement, candidate: &Candidate) -> Option<String> {
    match requirement {
        Requirement::PartyNominee => match candidate.nomination {
            Nomination::Party => None,
            Nomination::SelfNominated => Some("self-nominated".to_owned()),
            Nomination::Akim => Some("nominated by the akim".to_owned()),
        },
        // A file that does not state citizenship, the examination or residence is not
        // judged on it, as for `LocalResidence`.
        Requirement::CitizenByBirth => (candidate.citizen_by_birth == Some(false))
            .then(|| "a citizen, not by birth".to_owned()),
        Requirement::StateLanguage => (candidate.state_language == Some(false))
            .then(|| "the state-language examination not passed".to_owned()),
        Requirement::CountryResidence { min_years } => candidate
            .years_in_country
            .filter(|years| years < min_years)
            .map(|years| format!("{years} years in Kazakhstan")),
        Requirement::PublicService { min_years } => {
            let total = Years(candidate.civil_service.0.saturating_add(candidate.elected_office.0));
            (total < *min_years).then(|| {
                format!(
                    "{} years of civil service, {} in elected office",
                    candidate.civil_service, candidate.elected_office
                )
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::eligibility::candidate::{
        AgeGiven, Education, Signatures, Tenge, Voters, test_candidate,
    };
    use crate::law::eligibility::rule::test_law;

    /// Changes a good candidate with `change`, adds a second good one in the same race,
    /// and shows the first one's failures under the law.
    fn check(change: fn(&mut Candidate), expect: &str) {
        let mut first = test_candidate("first");
        change(&mut first);
        let set = CandidateSet::new(
            Date::parse("2021-07-25").expect("a date"),
            vec![first, test_candidate("second")],
        )
        .expect("a valid set");
        let report = eligibility(&test_law(), &set);
        let failures: Vec<String> = report.candidates[0]
            .failures
            .iter()
            .map(|failure| format!("{}: {}", failure.rule, failure.found))
            .collect();
        let res = if failures.is_empty() { "eligible".to_owned() } else { failures.join("; ") };
        assert_eq!(res, expect);
    }

    #[test]
    fn every_failed_rule_is_named() {
        check(|_| {}, "eligible");
        check(
            |it| {
                it.education = Education::Secondary;
                it.criminal_record = true;
                it.deposit = Tenge(42_499);
            },
            "education: secondary; criminal-record: an unexpunged criminal record; deposit: 42499 KZT paid",
        );
        check(
            |it| {
                it.civil_service = Years(0);
                it.management = Years(1);
                it.corruption_offence = true;
            },
            "experience: 0 years of civil service, 1 in management; corruption: a corruption offence",
        );
        check(|it| it.management = Years(2), "eligible");
    }

    #[test]
    fn age_is_reached_on_the_birthday() {
        check(
            |it| it.age = AgeGiven::BirthDate(Date::parse("1996-07-25").expect("a date")),
            "eligible",
        );
        check(
            |it| it.age = AgeGiven::BirthDate(Date::parse("1996-07-26").expect("a date")),
            "age: 24 years",
        );
        check(|it| it.age = AgeGiven::AgeOnElectionDay(Years(24)), "age: 24 years");
    }

    #[test]
    fn only_self_nominees_need_one_percent_of_voters() {
        check(|it| it.signatures = Signatures(9), "signatures: 9 signatures of 1000 voters");
        check(
            |it| {
                it.signatures = Signatures(0);
                it.nomination = Nomination::Party;
            },
            "eligible",
        );
        check(
            |it| {
                it.race_voters = Voters(1_001);
                it.race = RaceId::new("b");
            },
            "signatures: 10 signatures of 1001 voters",
        );
    }

    #[test]
    fn the_akim_nominates_only_when_fewer_than_two_were_nominated() {
        // One self-nominee and an akim nominee in race a: the akim filled the race.
        check(|it| it.nomination = Nomination::Akim, "eligible");
        let day = Date::parse("2021-07-25").expect("a date");
        let mut alone = test_candidate("alone");
        alone.race = RaceId::new("b");
        let mut akim = test_candidate("akim's");
        akim.race = RaceId::new("c");
        akim.nomination = Nomination::Akim;
        let mut lone = test_candidate("lone");
        lone.race = RaceId::new("c");
        let mut extra = test_candidate("extra");
        extra.nomination = Nomination::Akim;
        let set = CandidateSet::new(
            day,
            vec![test_candidate("x"), test_candidate("y"), alone, akim, lone, extra],
        )
        .expect("a set");
        let report = eligibility(&test_law(), &set);
        let extra = &report.candidates[5].failures[0];
        assert_eq!(
            (extra.rule, extra.found.as_str()),
            ("nominees", "nominated by the district akim with 2 others nominated")
        );
        let outcomes: Vec<String> =
            report.races.iter().map(|race| format!("{} {:?}", race.race, race.outcome)).collect();
        assert_eq!(
            outcomes,
            ["a AkimNotEntitled", "b AkimMustNominate { missing: 1 }", "c AkimNominated"]
        );
        assert_eq!((report.eligible, report.ineligible), (5, 1));
        assert_eq!(report.races[0].eligible, 2);
    }

    /// The failures of `candidate` under the presidential rules of the constitution.
    fn president(candidate: Candidate) -> Vec<String> {
        let rule = |requirement| EligibilityRule {
            requirement,
            article: "art.".to_owned(),
            seed: String::new(),
            note: None,
        };
        let rules = vec![
            rule(Requirement::Age { min_years: Years(40) }),
            rule(Requirement::CitizenByBirth),
            rule(Requirement::StateLanguage),
            rule(Requirement::CountryResidence { min_years: Years(15) }),
            rule(Requirement::PublicService { min_years: Years(5) }),
            rule(Requirement::PartyNominee),
        ];
        let rules = RuleSet::new("p", "p", RuleSetStatus::Law, rules)
            .expect("distinct kinds")
            .for_office(Office::President);
        let day = Date::parse("2019-06-09").expect("a date");
        let set = CandidateSet::new(day, vec![candidate]).expect("a valid set");
        let report = eligibility(&rules, &set);
        assert_eq!(report.office, Office::President);
        report.candidates[0]
            .failures
            .iter()
            .map(|failure| format!("{}: {}", failure.rule, failure.found))
            .collect()
    }

    #[test]
    fn the_presidents_rules_count_birth_citizenship_language_residence_and_service() {
        let mut good = test_candidate("good");
        good.age = AgeGiven::AgeOnElectionDay(Years(40));
        good.nomination = Nomination::Party;
        good.citizen_by_birth = Some(true);
        good.state_language = Some(true);
        good.years_in_country = Some(Years(15));
        good.civil_service = Years(3);
        good.elected_office = Years(2);
        assert!(president(good.clone()).is_empty(), "{:?}", president(good.clone()));
        // Unknown facts are not judged; a stated shortfall is, and every one is named.
        let mut unknown = good.clone();
        unknown.citizen_by_birth = None;
        unknown.state_language = None;
        unknown.years_in_country = None;
        assert!(president(unknown).is_empty());
        let mut short = good.clone();
        short.age = AgeGiven::AgeOnElectionDay(Years(39));
        short.citizen_by_birth = Some(false);
        short.state_language = Some(false);
        short.years_in_country = Some(Years(14));
        short.elected_office = Years(1);
        short.nomination = Nomination::SelfNominated;
        assert_eq!(
            president(short),
            [
                "age: 39 years",
                "citizen-by-birth: a citizen, not by birth",
                "state-language: the state-language examination not passed",
                "country-residence: 14 years in Kazakhstan",
                "public-service: 3 years of civil service, 1 in elected office",
                "party-nominee: self-nominated",
            ]
        );
    }
}
