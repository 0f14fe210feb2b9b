//! A campaign's or a party's ledger: what came in, from whom, what went out, and the
//! dates of its audit and its admission to the election.

use serde::Serialize;

use crate::law::date::Date;
use crate::law::funding::Tenge;

/// Where money comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// State money for the campaign (государственное финансирование).
    State,
    /// The candidate's own funds (собственные средства кандидата).
    OwnFunds,
    /// A donation from a citizen (физическое лицо).
    Individual,
    /// A donation from an organisation (юридическое лицо).
    LegalEntity,
    /// A donation from abroad (иностранный источник).
    Foreign,
    /// A donation whose donor is not known (анонимное пожертвование).
    Anonymous,
    /// A party member's fee (членский взнос).
    MembershipFee,
}

impl Source {
    /// The name written in files.
    pub fn name(self) -> &'static str {
        match self {
            Source::State => "state",
            Source::OwnFunds => "own-funds",
            Source::Individual => "individual",
            Source::LegalEntity => "legal-entity",
            Source::Foreign => "foreign",
            Source::Anonymous => "anonymous",
            Source::MembershipFee => "membership-fee",
        }
    }

    /// Whether money from this source is a donation (counts against the donation cap).
    pub fn is_donation(self) -> bool {
        matches!(
            self,
            Source::Individual | Source::LegalEntity | Source::Foreign | Source::Anonymous
        )
    }
}

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "source", rename_all = "kebab-case")]
pub enum EntryKind {
    /// Money or goods received.
    Income(Source),
    /// Money spent.
    Spending,
    /// The auditor's report on the finances (аудиторская проверка).
    Audit,
    /// The commission's admission of the party or candidate to the election.
    Admission,
}

/// One entry of a ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The entry's line in its file, for explanations (0 when made in code).
    pub line: u32,
    /// The date of the payment, receipt or event.
    pub date: Date,
    /// What it records.
    pub kind: EntryKind,
    /// Who gave or was paid (name or an identifier), when known.
    pub counterparty: Option<String>,
    /// The amount; for an in-kind donation its value, `None` when not valued.
    pub amount: Option<Tenge>,
    /// True for goods or services given instead of money.
    pub in_kind: bool,
    /// The bank account the money went to or came from.
    pub account: Option<String>,
    /// When the entry was reported to the supervising body.
    pub reported_on: Option<Date>,
}

/// A ledger, validated by [`Ledger::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ledger {
    entries: Vec<Entry>,
}

/// Why entries do not form a ledger.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// Income or spending in money without an amount.
    #[error("entry {idx} (line {line}) has no amount")]
    NoAmount {
        /// The entry's index.
        idx: usize,
        /// Its line.
        line: u32,
    },
    /// An amount, an in-kind mark or an account on an audit or admission.
    #[error("entry {idx} (line {line}) is an event and carries no money")]
    EventWithMoney {
        /// The entry's index.
        idx: usize,
        /// Its line.
        line: u32,
    },
    /// Something other than a donation in kind.
    #[error("entry {idx} (line {line}) is in kind but not a donation")]
    InKindNotDonation {
        /// The entry's index.
        idx: usize,
        /// Its line.
        line: u32,
    },
    /// A report dated before the entry.
    #[error("entry {idx} (line {line}) is reported on {reported}, before its date {date}")]
    ReportedBefore {
        /// The entry's index.
        idx: usize,
        /// Its line.
        line: u32,
        /// The entry's date.
        date: Date,
        /// The report's date.
        reported: Date,
    },
    /// A second admission.
    #[error("entry {idx} (line {line}) is a second admission")]
    SecondAdmission {
        /// The entry's index.
        idx: usize,
        /// Its line.
        line: u32,
    },
}

impl Ledger {
    /// Checks that money entries carry amounts (in-kind donations may lack their value:
    /// that is what rule `CF-3` finds), that only donations are in kind, that events carry
    /// no money, that reports do not precede their entries and that there is at most one
    /// admission.
    pub fn new(entries: Vec<Entry>) -> Result<Ledger, LedgerError> {
        let mut admissions = 0;
        for (idx, entry) in entries.iter().enumerate() {
            let line = entry.line;
            match entry.kind {
                EntryKind::Audit | EntryKind::Admission => {
                    if entry.amount.is_some() || entry.in_kind || entry.account.is_some() {
                        return Err(LedgerError::EventWithMoney { idx, line });
                    }
                    if entry.kind == EntryKind::Admission {
                        admissions += 1;
                        if admissions > 1 {
                            return Err(LedgerError::SecondAdmission { idx, line });
                        }
                    }
                }
                EntryKind::Income(source) => {
                    if entry.in_kind && !source.is_donation() {
                        return Err(LedgerError::InKindNotDonation { idx, line });
                    }
                    if !entry.in_kind && entry.amount.is_none() {
                        return Err(LedgerError::NoAmount { idx, line });
                    }
                }
                EntryKind::Spending => {
                    if entry.in_kind {
                        return Err(LedgerError::InKindNotDonation { idx, line });
                    }
                    if entry.amount.is_none() {
                        return Err(LedgerError::NoAmount { idx, line });
                    }
                }
            }
            if let Some(reported) = entry.reported_on
                && reported < entry.date
            {
                let date = entry.date;
                return Err(LedgerError::ReportedBefore { idx, line, date, reported });
            }
        }
        Ok(Ledger { entries })
    }

    /// The entries in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}
