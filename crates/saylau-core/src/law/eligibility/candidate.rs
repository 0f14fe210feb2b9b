//! Candidates as data: who they are, what they have and who nominated them, and the set
//! of candidates of one election, validated by [`CandidateSet::new`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::law::date::{Date, Years};

pub use crate::seats::votes::RaceId;

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

/// The state of a registration document (a tax declaration, the signature sheets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paperwork {
    /// Filed and correct.
    #[default]
    Complete,
    /// Filed with a minor discrepancy, such as the 38 tiyn or a wrong date the seed cites.
    MinorDiscrepancy,
    /// Not filed, or wrong in substance.
    Deficient,
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
    /// Passed the special check of the National Security Committee (КНБ).
    pub security_check: bool,
    /// The tax declarations (налоговые декларации) of the candidate and spouse.
    pub tax_declaration: Paperwork,
    /// The signature sheets (подписные листы), for those who collect signatures.
    pub signature_sheets: Paperwork,
    /// Lives in the territory of the race, when known.
    pub lives_in_race: Option<bool>,
    /// Holds a post in the leadership of a party or another political organisation.
    pub party_post: bool,
    /// A citizen of Kazakhstan by birth (гражданин по рождению), when known.
    pub citizen_by_birth: Option<bool>,
    /// Passed the examination in the state language (экзамен на знание государственного
    /// языка), when known.
    pub state_language: Option<bool>,
    /// Completed years of permanent residence in Kazakhstan up to election day, when
    /// known.
    pub years_in_country: Option<Years>,
    /// Completed years in elected state offices (выборные государственные должности).
    pub elected_office: Years,
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

/// Test data: a self-nominee who meets every rule of the law, in race `a` of 1,000 voters.
#[cfg(test)]
pub(super) fn test_candidate(name: &str) -> Candidate {
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
        security_check: true,
        tax_declaration: Paperwork::Complete,
        signature_sheets: Paperwork::Complete,
        lives_in_race: Some(true),
        party_post: false,
        citizen_by_birth: None,
        state_language: None,
        years_in_country: None,
        elected_office: Years(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::eligibility::rule::{RuleSet, RuleSetStatus, test_law};

    #[test]
    fn sets_reject_contradictions() {
        let day = Date::parse("2021-07-25").expect("a date");
        let mut late = test_candidate("late");
        late.age = AgeGiven::BirthDate(Date::parse("2021-07-26").expect("a date"));
        let err = CandidateSet::new(day, vec![late]).expect_err("born after election day");
        assert_eq!(
            err.to_string(),
            "candidate 0 (late) is born on 2021-07-26, after election day 2021-07-25"
        );
        let mut other = test_candidate("other");
        other.race_voters = Voters(999);
        let err =
            CandidateSet::new(day, vec![test_candidate("one"), other]).expect_err("two rolls");
        assert_eq!(
            err.to_string(),
            "candidate 1 gives race a 999 voters, an earlier candidate 1000"
        );
        let twice = vec![test_law().rules()[0].clone(), test_law().rules()[0].clone()];
        let err = RuleSet::new("x", "x", RuleSetStatus::Law, twice).expect_err("a repeated kind");
        assert_eq!(err.to_string(), "rule 1 repeats the kind age");
    }
}
