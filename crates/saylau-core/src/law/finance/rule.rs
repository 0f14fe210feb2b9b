//! Finance rules as data: each limit with its value, the article or recommendation behind
//! it and the scenario a value stands for when the seed gives none.

use serde::Serialize;

use super::ledger::Source;
use crate::law::funding::Tenge;

/// One limit with its value. Its [`Limit::code`] (`CF-1` ...) is stable: a finding names
/// it, and `docs/finance-format.md` lists every code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Limit {
    /// Money may come only from these sources; anything else is a finding (`CF-1`).
    Sources {
        /// The sources allowed.
        allowed: Vec<Source>,
    },
    /// No single donation (money or in kind, at its value) above this amount (`CF-2`).
    DonationCap {
        /// The largest donation allowed.
        max: Tenge,
    },
    /// Every in-kind donation carries a value in tenge, which counts against the caps
    /// (`CF-3`).
    InKindValued,
    /// The candidate's own funds, all together, at most this amount (`CF-4`).
    OwnFundsCap {
        /// The most a candidate may put in.
        max: Tenge,
    },
    /// All spending together at most this amount (`CF-5`).
    SpendingLimit {
        /// The most that may be spent.
        max: Tenge,
    },
    /// Membership fees and donations go to different accounts (`CF-6`).
    SeparateAccounts,
    /// Every entry is reported to the supervising body within this many days of its date
    /// (`CF-7`).
    Reports {
        /// Days allowed between an entry and its report.
        within_days: u32,
    },
    /// An audit dated on or before the admission to the election (`CF-8`).
    AuditBeforeAdmission,
}

impl Limit {
    /// The stable code of the limit.
    pub fn code(&self) -> &'static str {
        match self {
            Limit::Sources { .. } => "CF-1",
            Limit::DonationCap { .. } => "CF-2",
            Limit::InKindValued => "CF-3",
            Limit::OwnFundsCap { .. } => "CF-4",
            Limit::SpendingLimit { .. } => "CF-5",
            Limit::SeparateAccounts => "CF-6",
            Limit::Reports { .. } => "CF-7",
            Limit::AuditBeforeAdmission => "CF-8",
        }
    }

    /// The kind, as written in rule files.
    pub fn kind(&self) -> &'static str {
        match self {
            Limit::Sources { .. } => "sources",
            Limit::DonationCap { .. } => "donation-cap",
            Limit::InKindValued => "in-kind-valued",
            Limit::OwnFundsCap { .. } => "own-funds-cap",
            Limit::SpendingLimit { .. } => "spending-limit",
            Limit::SeparateAccounts => "separate-accounts",
            Limit::Reports { .. } => "reports",
            Limit::AuditBeforeAdmission => "audit-before-admission",
        }
    }

    /// What the limit requires, for people.
    pub fn value_text(&self) -> String {
        match self {
            Limit::Sources { allowed } => {
                let names: Vec<&str> = allowed.iter().map(|source| source.name()).collect();
                format!("money only from: {}", names.join(", "))
            }
            Limit::DonationCap { max } => format!("no single donation above {max} KZT"),
            Limit::InKindValued => "every in-kind donation valued in tenge".to_owned(),
            Limit::OwnFundsCap { max } => format!("own funds at most {max} KZT"),
            Limit::SpendingLimit { max } => format!("spending at most {max} KZT"),
            Limit::SeparateAccounts => {
                "membership fees and donations on separate accounts".to_owned()
            }
            Limit::Reports { within_days } => {
                format!("every entry reported within {within_days} days")
            }
            Limit::AuditBeforeAdmission => "an audit on or before admission".to_owned(),
        }
    }
}

/// A limit with what it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinanceRule {
    /// What is required.
    #[serde(flatten)]
    pub limit: Limit,
    /// The article of the law, or the recommendation of the seed.
    pub article: String,
    /// Where the seed states it (line numbers of the shared text).
    pub seed: String,
    /// When the value is not the seed's: the scenario it stands for and where it comes
    /// from. `None` when the seed or the law it cites gives the value.
    pub scenario: Option<String>,
    /// Caveats.
    pub note: Option<String>,
}

/// Whether a rule set is the law or a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RulesStatus {
    /// The law as it stood.
    Law,
    /// A proposed reform.
    Proposal,
}

/// Whose money the rules govern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// A candidate's campaign for akim.
    AkimCampaign,
    /// A political party (its finances and its list's campaign).
    Party,
}

/// A named set of finance rules, each kind at most once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinanceRules {
    id: String,
    name: String,
    status: RulesStatus,
    scope: Scope,
    rules: Vec<FinanceRule>,
}

/// Why rules do not form a set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FinanceRulesError {
    /// A kind of rule given twice.
    #[error("rule {idx} repeats the kind {kind}")]
    Repeated {
        /// The later rule's index.
        idx: usize,
        /// The kind.
        kind: &'static str,
    },
    /// A `sources` rule allowing nothing.
    #[error("rule {idx} allows no source of money")]
    NoSources {
        /// The rule's index.
        idx: usize,
    },
}

impl FinanceRules {
    /// A rule set; every kind of limit may appear once, and a `sources` rule allows at
    /// least one source. An empty set is allowed: a law that sets no such limit.
    pub fn new(
        id: &str,
        name: &str,
        status: RulesStatus,
        scope: Scope,
        rules: Vec<FinanceRule>,
    ) -> Result<FinanceRules, FinanceRulesError> {
        for (idx, rule) in rules.iter().enumerate() {
            let kind = rule.limit.kind();
            if rules[..idx].iter().any(|earlier| earlier.limit.kind() == kind) {
                return Err(FinanceRulesError::Repeated { idx, kind });
            }
            if let Limit::Sources { allowed } = &rule.limit
                && allowed.is_empty()
            {
                return Err(FinanceRulesError::NoSources { idx });
            }
        }
        Ok(FinanceRules { id: id.to_owned(), name: name.to_owned(), status, scope, rules })
    }

    /// The identifier, such as `law-2021-akim`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The name for people.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Law or proposal.
    pub fn status(&self) -> RulesStatus {
        self.status
    }

    /// Whose money.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// The rules in file order.
    pub fn rules(&self) -> &[FinanceRule] {
        &self.rules
    }
}
