//! Campaign and party finance beyond the state subsidy (финансирование избирательных
//! кампаний и партий), as data.
//!
//! A [`FinanceRules`] set is a list of [`FinanceRule`]s, each a [`Limit`] with its value,
//! the article of the law or the seed's recommendation it rests on, and, where the seed
//! gives no number, the scenario the value stands for. A campaign's or a party's
//! [`Ledger`] (donations, own funds, state money, membership fees, spending, the audit and
//! the admission to the election) is checked by [`check`] against every rule, so that the
//! law of 2021 and a proposal are set side by side on the same money. Amounts are whole
//! tenge and sums are checked for overflow; nothing is rounded.
//!
//! The rules are in `rule`, the ledger in `ledger`, the check in `check`.

mod check;
mod ledger;
mod rule;

pub use check::{FinanceReport, Finding, RuleOutcome, SourceTotal, Totals, Verdict, check};
pub use ledger::{Entry, EntryKind, Ledger, LedgerError, Source};
pub use rule::{FinanceRule, FinanceRules, FinanceRulesError, Limit, RulesStatus, Scope};
