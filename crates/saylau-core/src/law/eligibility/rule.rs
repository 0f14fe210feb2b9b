//! Eligibility rules as data: each requirement with its value and the article behind it,
//! and named rule sets of the law or a proposal.

use serde::Serialize;

use super::candidate::{Education, Tenge};
use crate::law::date::Years;
use crate::seats::threshold::Percent;

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
    /// Passed the special check of the National Security Committee.
    SecurityCheck,
    /// The tax declarations filed; what a minor discrepancy leads to.
    TaxDeclaration {
        /// Refusal, or a correction within a deadline.
        minor: Minor,
    },
    /// The signature sheets in order (self-nominees); what a minor discrepancy leads to.
    SignatureSheets {
        /// Refusal, or a correction within a deadline.
        minor: Minor,
    },
    /// Lives in the territory where one stands.
    LocalResidence,
    /// Holds no post in the leadership of a party or political organisation.
    NoPartyPost,
    /// Only a party's nominee may stand: no self-nomination (the Mazhilis since 2007, the
    /// maslikhats since 2018).
    PartyNominee,
    /// A citizen of Kazakhstan by birth (the President).
    CitizenByBirth,
    /// Passed the examination in the state language (the President).
    StateLanguage,
    /// Permanent residence in Kazakhstan for the last years before the election.
    CountryResidence {
        /// The fewest years.
        min_years: Years,
    },
    /// Years on the civil service and in elected state offices together.
    PublicService {
        /// The fewest years.
        min_years: Years,
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
            Requirement::SecurityCheck => "security-check",
            Requirement::TaxDeclaration { .. } => "tax-declaration",
            Requirement::SignatureSheets { .. } => "signature-sheets",
            Requirement::LocalResidence => "local-residence",
            Requirement::NoPartyPost => "no-party-post",
            Requirement::PartyNominee => "party-nominee",
            Requirement::CitizenByBirth => "citizen-by-birth",
            Requirement::StateLanguage => "state-language",
            Requirement::CountryResidence { .. } => "country-residence",
            Requirement::PublicService { .. } => "public-service",
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
            Requirement::SecurityCheck => "the special check of the KNB passed".to_owned(),
            Requirement::TaxDeclaration { minor } => {
                format!("tax declarations filed; {}", minor.text())
            }
            Requirement::SignatureSheets { minor } => {
                format!("signature sheets in order; {}", minor.text())
            }
            Requirement::LocalResidence => "lives where one stands".to_owned(),
            Requirement::NoPartyPost => "no post in a party's leadership".to_owned(),
            Requirement::PartyNominee => "a party's nomination".to_owned(),
            Requirement::CitizenByBirth => "a citizen by birth".to_owned(),
            Requirement::StateLanguage => "the state-language examination passed".to_owned(),
            Requirement::CountryResidence { min_years } => {
                format!("residence in Kazakhstan for the last {min_years} years")
            }
            Requirement::PublicService { min_years } => {
                format!("{min_years} years of civil service and elected office together")
            }
            Requirement::Nominees { min_candidates } => {
                format!("{min_candidates} nominees, else the district akim nominates")
            }
        }
    }
}

/// What a minor discrepancy in a registration document leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Minor {
    /// Refusal of registration, as for a deficient document.
    Refusal,
    /// The candidate may correct it within this many days.
    Correctable {
        /// Days allowed for the correction.
        days: u32,
    },
}

impl Minor {
    fn text(self) -> String {
        match self {
            Minor::Refusal => "a minor discrepancy is a refusal".to_owned(),
            Minor::Correctable { days } => {
                format!("a minor discrepancy may be corrected within {days} days")
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

/// The office a rule set is for: candidates are checked only against sets of their own
/// office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Office {
    /// Akim of a rural district, village, settlement or town of district significance.
    #[default]
    Akim,
    /// Deputy of the Mazhilis.
    Mazhilis,
    /// Deputy of a maslikhat.
    Maslikhat,
    /// President of the Republic.
    President,
}

impl Office {
    /// The name as written in files: `akim`, `mazhilis`, `maslikhat`, `president`.
    pub fn as_str(self) -> &'static str {
        match self {
            Office::Akim => "akim",
            Office::Mazhilis => "mazhilis",
            Office::Maslikhat => "maslikhat",
            Office::President => "president",
        }
    }
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
    office: Office,
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
        Ok(RuleSet {
            id: id.to_owned(),
            name: name.to_owned(),
            office: Office::Akim,
            status,
            rules,
        })
    }

    /// The same rules for candidates for `office` (by default a rural akim).
    #[must_use]
    pub fn for_office(self, office: Office) -> RuleSet {
        RuleSet { office, ..self }
    }

    /// The office whose candidates the set is for.
    pub fn office(&self) -> Office {
        self.office
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

/// Test data: the law of 2021 as the bundled rule set has it.
#[cfg(test)]
pub(super) fn test_law() -> RuleSet {
    let rule = |requirement| EligibilityRule {
        requirement,
        article: "art.".to_owned(),
        seed: String::new(),
        note: None,
    };
    let rules = vec![
        rule(Requirement::Age { min_years: Years(25) }),
        rule(Requirement::Education { min_level: Education::Higher }),
        rule(Requirement::Experience { civil_service_years: Years(1), management_years: Years(2) }),
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
