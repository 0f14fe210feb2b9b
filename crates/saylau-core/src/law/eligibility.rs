//! Candidate eligibility as data: rural akims (выборы сельских акимов), deputies of the
//! Mazhilis and the maslikhats, and the President, each [`Office`] with its rule sets.
//!
//! A [`RuleSet`] is a list of [`EligibilityRule`]s, each a [`Requirement`] with its value
//! and the article of the law it comes from, so that the law of 2021 and a proposal can
//! be checked side by side on the same candidates. [`eligibility`] names every rule a
//! candidate fails (it does not stop at the first) and checks each race for the rule of
//! art. 113-3 p. 6 of the Constitutional Law «On Elections»: the district akim nominates
//! when fewer than two candidates were nominated by the deadline. Readers of rule sets
//! and candidate files live in `saylau-formats`.
//!
//! The candidates and their validation are in `candidate`, the requirements and rule sets
//! in `rule`, and the check of candidates against a rule set in `check`.

mod candidate;
mod check;
mod rule;

pub use candidate::{
    AgeGiven, Candidate, CandidateSet, CandidateSetError, Education, Nomination, Paperwork, RaceId,
    Signatures, Tenge, Voters,
};
pub use check::{CandidateCheck, Correction, EligibilityReport, Failure, eligibility};
pub use rule::{
    EligibilityRule, Minor, Office, Requirement, RuleSet, RuleSetError, RuleSetStatus,
    education_name,
};
