//! Candidate eligibility for rural akim elections (выборы сельских акимов), as data.
//!
//! A [`RuleSet`] is a list of [`EligibilityRule`]s, each a [`Requirement`] with its value
//! and the article of the law it comes from, so that the law of 2021 and a proposal can
//! be checked side by side on the same candidates. [`eligibility`] names every rule a
//! candidate fails (it does not stop at the first) and checks each race for the rule of
//! art. 113-3 p. 6 of the Constitutional Law «On Elections»: the district akim nominates
//! when fewer than two candidates were nominated by the deadline. Readers of rule sets
//! and candidate files live in `saylau-formats`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::date::{Date, Years};
use crate::nomination::RaceCheck;
use crate::threshold::Percent;
use crate::votes::Votes;

/// The identifier of a race: a rural district (сельский округ), town or village.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RaceId(String);

impl RaceId {
    /// Wraps an identifier; the reader has checked it is not empty.
    pub fn new(id: &str) -> RaceId {
        RaceId(id.to_owned())
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An amount in tenge (KZT), such as the election deposit (избирательный взнос).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Tenge(pub u64);

/// A number of supporting signatures (подписи избирателей).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Signatures(pub u64);

/// A number of voters on a race's roll (избиратели округа).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Voters(pub u64);

/// A level of education (образование), in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Education {
    /// Below general secondary education.
    Basic,
    /// General secondary education (среднее образование).
    Secondary,
    /// Technical and vocational education (среднее специальное, техническое и
    /// профессиональное образование).
    Vocational,
    /// Higher education (высшее образование).
    Higher,
}

/// Who nominated a candidate (выдвижение), art. 113-3 of the Constitutional Law «On
/// Elections».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Nomination {
    /// A political party.
    Party,
    /// The candidate (самовыдвижение).
    SelfNominated,
    /// The district akim, when fewer than two candidates were nominated (art. 113-3 p. 6).
    Akim,
}

/// How a candidate's age is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgeGiven {
    /// The date of birth; the age is computed on election day.
    BirthDate(Date),
    /// The age on election day, as stated.
    AgeOnElectionDay(Years),
}

/// A candidate with everything the rules look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The candidate's name.
    pub name: String,
    /// The race the candidate runs in.
    pub race: RaceId,
    /// The date of birth or the age on election day.
    pub age: AgeGiven,
    /// The highest level of education.
    pub education: Education,
    /// Completed years on the civil service (стаж государственной службы).
    pub civil_service: Years,
    /// Completed years in management posts (стаж на руководящих должностях).
    pub management: Years,
    /// An unexpunged or unlifted criminal record (непогашенная или неснятая судимость).
    pub criminal_record: bool,
    /// A corruption crime or offence established by a court (коррупционное
    /// преступление или правонарушение).
    pub corruption_offence: bool,
    /// Who nominated the candidate.
    pub nomination: Nomination,
    /// The nominating party, for party nominees.
    pub party: Option<String>,
    /// Signatures collected.
    pub signatures: Signatures,
    /// Deposit paid.
    pub deposit: Tenge,
    /// Voters on the roll of the candidate's race.
    pub race_voters: Voters,
}

/// The candidates of one election, checked against each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateSet {
    election_day: Date,
    candidates: Vec<Candidate>,
}

/// Why candidates do not form a set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CandidateSetError {
    /// A birth date after election day.
    #[error("candidate {idx} ({name}) is born on {birth}, after election day {election_day}")]
    BornAfterElection {
        /// The candidate's index.
        idx: usize,
        /// The candidate's name.
        name: String,
        /// The date of birth.
        birth: Date,
        /// Election day.
        election_day: Date,
    },
    /// Two candidates of one race disagree on its voters.
    #[error("candidate {idx} gives race {race} {voters} voters, an earlier candidate {first}")]
    RaceVoters {
        /// The later candidate's index.
        idx: usize,
        /// The race.
        race: RaceId,
        /// The later candidate's number.
        voters: u64,
        /// The first candidate's number.
        first: u64,
    },
}

impl CandidateSet {
    /// Checks that every birth date is on or before election day and that the candidates
    /// of a race agree on its voters.
    pub fn new(
        election_day: Date,
        candidates: Vec<Candidate>,
    ) -> Result<CandidateSet, CandidateSetError> {
        let mut voters: BTreeMap<&RaceId, Voters> = BTreeMap::new();
        for (idx, candidate) in candidates.iter().enumerate() {
            if let AgeGiven::BirthDate(birth) = candidate.age
                && birth > election_day
            {
                let name = candidate.name.clone();
                return Err(CandidateSetError::BornAfterElection {
                    idx,
                    name,
                    birth,
                    election_day,
                });
            }
            let first = *voters.entry(&candidate.race).or_insert(candidate.race_voters);
            if first != candidate.race_voters {
                return Err(CandidateSetError::RaceVoters {
                    idx,
                    race: candidate.race.clone(),
                    voters: candidate.race_voters.0,
                    first: first.0,
                });
            }
        }
        Ok(CandidateSet { election_day, candidates })
    }

    /// Election day.
    pub fn election_day(&self) -> Date {
        self.election_day
    }

    /// The candidates, in the order given.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// A candidate's age on election day.
    pub fn age_of(&self, candidate: &Candidate) -> Years {
        match candidate.age {
            AgeGiven::BirthDate(birth) => {
                birth.age_on(self.election_day).expect("birth dates were checked in new")
            }
            AgeGiven::AgeOnElectionDay(age) => age,
        }
    }
}

/// One requirement with its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Requirement {
    /// A minimum age on election day.
    Age {
        /// The youngest age allowed.
        min_years: Years,
    },
    /// A minimum level of education.
    Education {
        /// The lowest level allowed.
        min_level: Education,
    },
    /// Experience on the civil service or in management; either one suffices.
    Experience {
        /// Years of civil service that suffice.
        civil_service_years: Years,
        /// Years in management posts that suffice.
        management_years: Years,
    },
    /// No unexpunged or unlifted criminal record.
    CriminalRecord,
    /// No corruption crime or offence established by a court.
    Corruption,
    /// Self-nominees collect signatures of a share of the race's voters; party and akim
    /// nominees are exempt.
    Signatures {
        /// The share of the race's voters.
        self_nominee_share: Percent,
    },
    /// Every candidate pays a deposit.
    Deposit {
        /// The amount due.
        amount: Tenge,
    },
    /// A race needs this many candidates nominated by parties or themselves; with fewer,
    /// the district akim nominates (a race-level rule).
    Nominees {
        /// The number of candidates.
        min_candidates: u32,
    },
}

impl Requirement {
    /// The stable name of the requirement's kind, as written in rule-set files.
    pub fn kind(&self) -> &'static str {
        match self {
            Requirement::Age { .. } => "age",
            Requirement::Education { .. } => "education",
            Requirement::Experience { .. } => "experience",
            Requirement::CriminalRecord => "criminal-record",
            Requirement::Corruption => "corruption",
            Requirement::Signatures { .. } => "signatures",
            Requirement::Deposit { .. } => "deposit",
            Requirement::Nominees { .. } => "nominees",
        }
    }

    /// The value, for people: `25 years`, `higher`, `1% of the race's voters`.
    pub fn value_text(&self) -> String {
        match self {
            Requirement::Age { min_years } => format!("at least {min_years} years"),
            Requirement::Education { min_level } => {
                format!("{} or above", education_name(*min_level))
            }
            Requirement::Experience { civil_service_years, management_years } => format!(
                "{civil_service_years} years of civil service or {management_years} in management"
            ),
            Requirement::CriminalRecord => "no unexpunged criminal record".to_owned(),
            Requirement::Corruption => "no corruption offence".to_owned(),
            Requirement::Signatures { self_nominee_share } => {
                format!("self-nominees: {self_nominee_share} of the race's voters")
            }
            Requirement::Deposit { amount } => format!("{} KZT", amount.0),
            Requirement::Nominees { min_candidates } => {
                format!("{min_candidates} nominees, else the district akim nominates")
            }
        }
    }
}

/// The name of an education level, as written in files.
pub fn education_name(level: Education) -> &'static str {
    match level {
        Education::Basic => "basic",
        Education::Secondary => "secondary",
        Education::Vocational => "vocational",
        Education::Higher => "higher",
    }
}

/// A requirement with the law behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EligibilityRule {
    /// What is required.
    #[serde(flatten)]
    pub requirement: Requirement,
    /// The article of the law, or for a proposal where it is made.
    pub article: String,
    /// Where the seed report states the rule (line numbers of the shared text).
    pub seed: String,
    /// Caveats, such as a value the seed states two ways.
    pub note: Option<String>,
}

/// Whether a rule set is the law or a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleSetStatus {
    /// The law as applied.
    Law,
    /// A proposed reform.
    Proposal,
}

/// A named set of eligibility rules, each kind at most once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    id: String,
    name: String,
    status: RuleSetStatus,
    rules: Vec<EligibilityRule>,
}

/// Why rules do not form a set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleSetError {
    /// A kind of rule given twice.
    #[error("rule {idx} repeats the kind {kind}")]
    Repeated {
        /// The later rule's index.
        idx: usize,
        /// The kind.
        kind: &'static str,
    },
}

impl RuleSet {
    /// A rule set; every kind of requirement may appear once.
    pub fn new(
        id: &str,
        name: &str,
        status: RuleSetStatus,
        rules: Vec<EligibilityRule>,
    ) -> Result<RuleSet, RuleSetError> {
        for (idx, rule) in rules.iter().enumerate() {
            let kind = rule.requirement.kind();
            if rules[..idx].iter().any(|earlier| earlier.requirement.kind() == kind) {
                return Err(RuleSetError::Repeated { idx, kind });
            }
        }
        Ok(RuleSet { id: id.to_owned(), name: name.to_owned(), status, rules })
    }

    /// The identifier, such as `law-2021`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The name for people.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Law or proposal.
    pub fn status(&self) -> RuleSetStatus {
        self.status
    }

    /// The rules in file order.
    pub fn rules(&self) -> &[EligibilityRule] {
        &self.rules
    }
}

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
    let races = crate::nomination::race_checks(rules, candidates, &mut checks);
    let eligible = checks.iter().filter(|check| check.eligible).count();
    let eligible = u32::try_from(eligible).unwrap_or(u32::MAX);
    let total = u32::try_from(checks.len()).unwrap_or(u32::MAX);
    EligibilityReport {
        rule_set: rules.id.clone(),
        name: rules.name.clone(),
        status: rules.status,
        election_day: candidates.election_day(),
        rules: rules.rules.clone(),
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
    let failures: Vec<Failure> = rules
        .rules
        .iter()
        .filter_map(|rule| {
            let found = unmet(&rule.requirement, candidate, age)?;
            Some(Failure {
                rule: rule.requirement.kind(),
                article: rule.article.clone(),
                required: rule.requirement.value_text(),
                found,
            })
        })
        .collect();
    CandidateCheck {
        name: candidate.name.clone(),
        race: candidate.race.clone(),
        age,
        nomination: candidate.nomination,
        eligible: failures.is_empty(),
        failures,
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
        Requirement::Nominees { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The law of 2021 as the bundled rule set has it.
    fn law() -> RuleSet {
        let rule = |requirement| EligibilityRule {
            requirement,
            article: "art.".to_owned(),
            seed: String::new(),
            note: None,
        };
        let rules = vec![
            rule(Requirement::Age { min_years: Years(25) }),
            rule(Requirement::Education { min_level: Education::Higher }),
            rule(Requirement::Experience {
                civil_service_years: Years(1),
                management_years: Years(2),
            }),
            rule(Requirement::CriminalRecord),
            rule(Requirement::Corruption),
            rule(Requirement::Signatures {
                self_nominee_share: Percent::parse("1%").expect("a percentage"),
            }),
            rule(Requirement::Deposit { amount: Tenge(42_500) }),
            rule(Requirement::Nominees { min_candidates: 2 }),
        ];
        RuleSet::new("law-2021", "law", RuleSetStatus::Law, rules).expect("distinct kinds")
    }

    /// A self-nominee who meets every rule of the law, in race `a` of 1,000 voters.
    fn good(name: &str) -> Candidate {
        Candidate {
            name: name.to_owned(),
            race: RaceId::new("a"),
            age: AgeGiven::BirthDate(Date::parse("1990-01-01").expect("a date")),
            education: Education::Higher,
            civil_service: Years(1),
            management: Years(0),
            criminal_record: false,
            corruption_offence: false,
            nomination: Nomination::SelfNominated,
            party: None,
            signatures: Signatures(10),
            deposit: Tenge(42_500),
            race_voters: Voters(1_000),
        }
    }

    /// Changes a good candidate with `change`, adds a second good one in the same race,
    /// and shows the first one's failures under the law.
    fn check(change: fn(&mut Candidate), expect: &str) {
        let mut first = good("first");
        change(&mut first);
        let set = CandidateSet::new(
            Date::parse("2021-07-25").expect("a date"),
            vec![first, good("second")],
        )
        .expect("a valid set");
        let report = eligibility(&law(), &set);
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
        let mut alone = good("alone");
        alone.race = RaceId::new("b");
        let mut akim = good("akim's");
        akim.race = RaceId::new("c");
        akim.nomination = Nomination::Akim;
        let mut lone = good("lone");
        lone.race = RaceId::new("c");
        let mut extra = good("extra");
        extra.nomination = Nomination::Akim;
        let set = CandidateSet::new(day, vec![good("x"), good("y"), alone, akim, lone, extra])
            .expect("a set");
        let report = eligibility(&law(), &set);
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

    #[test]
    fn sets_reject_contradictions() {
        let day = Date::parse("2021-07-25").expect("a date");
        let mut late = good("late");
        late.age = AgeGiven::BirthDate(Date::parse("2021-07-26").expect("a date"));
        let err = CandidateSet::new(day, vec![late]).expect_err("born after election day");
        assert_eq!(
            err.to_string(),
            "candidate 0 (late) is born on 2021-07-26, after election day 2021-07-25"
        );
        let mut other = good("other");
        other.race_voters = Voters(999);
        let err = CandidateSet::new(day, vec![good("one"), other]).expect_err("two rolls");
        assert_eq!(
            err.to_string(),
            "candidate 1 gives race a 999 voters, an earlier candidate 1000"
        );
        let twice = vec![law().rules()[0].clone(), law().rules()[0].clone()];
        let err = RuleSet::new("x", "x", RuleSetStatus::Law, twice).expect_err("a repeated kind");
        assert_eq!(err.to_string(), "rule 1 repeats the kind age");
    }
}
