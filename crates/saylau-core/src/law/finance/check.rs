//! Checking a ledger against a rule set: every rule's verdict with the entries that breach
//! it, and the ledger's totals by source.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::ledger::{Entry, EntryKind, Ledger, Source};
use super::rule::{FinanceRule, FinanceRules, Limit, RulesStatus, Scope};
use crate::law::date::Date;
use crate::law::funding::Tenge;

/// One entry that breaches a rule, or why a rule cannot be judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's code (`CF-1` ...).
    pub code: &'static str,
    /// The entry's line in its file; `None` for a finding about the whole ledger.
    pub line: Option<u32>,
    /// The entry's date.
    pub date: Option<Date>,
    /// What the ledger shows.
    pub found: String,
}

/// Whether a rule holds for the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No entry breaches it.
    Holds,
    /// At least one entry breaches it.
    Breached,
}

/// One rule applied to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    /// The rule's code.
    pub code: &'static str,
    /// The rule, with its article, seed lines and scenario.
    pub rule: FinanceRule,
    /// What it requires, for people.
    pub required: String,
    /// Holds or breached.
    pub verdict: Verdict,
    /// Every breach, in ledger order.
    pub findings: Vec<Finding>,
}

/// Money in from one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceTotal {
    /// The source.
    pub source: Source,
    /// Entries from it.
    pub entries: u32,
    /// Their amounts (in-kind donations at their value), exact.
    pub amount: u128,
}

/// The ledger's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Income by source, in the order of [`Source`].
    pub income: Vec<SourceTotal>,
    /// All income.
    pub income_total: u128,
    /// All spending.
    pub spending: u128,
    /// In-kind donations without a value (counted as 0 above).
    pub unvalued_in_kind: u32,
}

/// A ledger under one rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinanceReport {
    /// The rule set's identifier.
    pub rules_id: String,
    /// Its name.
    pub name: String,
    /// Law or proposal.
    pub status: RulesStatus,
    /// Whose money.
    pub scope: Scope,
    /// The ledger's totals.
    pub totals: Totals,
    /// Every rule, in the rule set's order.
    pub outcomes: Vec<RuleOutcome>,
    /// How many findings in all.
    pub findings: u32,
}

/// Checks `ledger` against every rule of `rules`.
pub fn check(rules: &FinanceRules, ledger: &Ledger) -> FinanceReport {
    let outcomes: Vec<RuleOutcome> = rules
        .rules()
        .iter()
        .map(|rule| {
            let code = rule.limit.code();
            let findings: Vec<Finding> = breaches(&rule.limit, ledger.entries())
                .into_iter()
                .map(|(entry, found)| Finding {
                    code,
                    line: entry.map(|it| it.line),
                    date: entry.map(|it| it.date),
                    found,
                })
                .collect();
            let verdict = if findings.is_empty() { Verdict::Holds } else { Verdict::Breached };
            RuleOutcome {
                code,
                rule: rule.clone(),
                required: rule.limit.value_text(),
                verdict,
                findings,
            }
        })
        .collect();
    let findings = outcomes.iter().map(|outcome| outcome.findings.len()).sum::<usize>();
    FinanceReport {
        rules_id: rules.id().to_owned(),
        name: rules.name().to_owned(),
        status: rules.status(),
        scope: rules.scope(),
        totals: totals(ledger.entries()),
        outcomes,
        findings: u32::try_from(findings).unwrap_or(u32::MAX),
    }
}

/// The amount of an entry, 0 for an unvalued in-kind donation or an event.
fn amount(entry: &Entry) -> u128 {
    u128::from(entry.amount.unwrap_or(Tenge(0)).0)
}

/// An income entry's amount for people: `60000 KZT`, `an unvalued in-kind donation`.
fn what(entry: &Entry) -> String {
    match (entry.amount, entry.in_kind) {
        (None, _) => "an unvalued in-kind donation".to_owned(),
        (Some(value), true) => format!("{value} KZT in kind"),
        (Some(value), false) => format!("{value} KZT"),
    }
}

/// A donation's donor for people: `from legal-entity "Name"`.
fn from(entry: &Entry, source: Source) -> String {
    match &entry.counterparty {
        Some(name) => format!("from {} {name:?}", source.name()),
        None => format!("from {}", source.name()),
    }
}

type Breach<'e> = (Option<&'e Entry>, String);

/// Every entry that breaches `limit`, with what it shows.
fn breaches<'e>(limit: &Limit, entries: &'e [Entry]) -> Vec<Breach<'e>> {
    let income = entries.iter().filter_map(|entry| match entry.kind {
        EntryKind::Income(source) => Some((entry, source)),
        _ => None,
    });
    match limit {
        Limit::Sources { allowed } => income
            .filter(|(_, source)| !allowed.contains(source))
            .map(|(entry, source)| {
                (Some(entry), format!("{} {}", what(entry), from(entry, source)))
            })
            .collect(),
        Limit::DonationCap { max } => income
            .filter(|(entry, source)| source.is_donation() && amount(entry) > u128::from(max.0))
            .map(|(entry, source)| {
                let what = if entry.in_kind { "in kind, valued at" } else { "of" };
                (
                    Some(entry),
                    format!("a donation {what} {} KZT {}", amount(entry), from(entry, source)),
                )
            })
            .collect(),
        Limit::InKindValued => income
            .filter(|(entry, _)| entry.in_kind && entry.amount.is_none())
            .map(|(entry, source)| {
                (
                    Some(entry),
                    format!("an in-kind donation {} without a value", from(entry, source)),
                )
            })
            .collect(),
        Limit::OwnFundsCap { max } => running(
            income.filter(|(_, source)| *source == Source::OwnFunds).map(|(entry, _)| entry),
            max.0,
            "own funds",
        ),
        Limit::SpendingLimit { max } => running(
            entries.iter().filter(|entry| entry.kind == EntryKind::Spending),
            max.0,
            "spent",
        ),
        Limit::SeparateAccounts => separate_accounts(entries),
        Limit::Reports { within_days } => reports(entries, *within_days),
        Limit::AuditBeforeAdmission => audit(entries),
    }
}

/// Every entry of `entries` at which their running total is above `max`.
fn running<'e>(entries: impl Iterator<Item = &'e Entry>, max: u64, what: &str) -> Vec<Breach<'e>> {
    let mut total = 0u128;
    let mut res = Vec::new();
    for entry in entries {
        total += amount(entry);
        if total > u128::from(max) {
            let over = total - u128::from(max);
            res.push((Some(entry), format!("{what} reach {total} KZT, {over} over the limit")));
        }
    }
    res
}

/// Membership fees and donations on one account, or either without an account.
fn separate_accounts(entries: &[Entry]) -> Vec<Breach<'_>> {
    let on = |fees: bool| -> BTreeSet<&str> {
        entries
            .iter()
            .filter_map(|entry| match entry.kind {
                EntryKind::Income(source)
                    if (source == Source::MembershipFee) == fees
                        && (fees || source.is_donation()) =>
                {
                    entry.account.as_deref()
                }
                _ => None,
            })
            .collect()
    };
    let (fee_accounts, donation_accounts) = (on(true), on(false));
    let mut res = Vec::new();
    for entry in entries {
        let EntryKind::Income(source) = entry.kind else { continue };
        let fee = source == Source::MembershipFee;
        if !fee && !source.is_donation() {
            continue;
        }
        let what = if fee { "a membership fee" } else { "a donation" };
        match entry.account.as_deref() {
            None => res.push((Some(entry), format!("{what} without an account"))),
            Some(account) if fee && donation_accounts.contains(account) => res.push((
                Some(entry),
                format!("{what} to account {account}, which also receives donations"),
            )),
            Some(account) if !fee && fee_accounts.contains(account) => res.push((
                Some(entry),
                format!("{what} to account {account}, which also receives membership fees"),
            )),
            Some(_) => {}
        }
    }
    res
}

/// Money entries not reported, or reported late.
fn reports(entries: &[Entry], within_days: u32) -> Vec<Breach<'_>> {
    entries
        .iter()
        .filter(|entry| matches!(entry.kind, EntryKind::Income(_) | EntryKind::Spending))
        .filter_map(|entry| match entry.reported_on {
            None => Some((Some(entry), "not reported".to_owned())),
            Some(reported) => {
                let days = reported.days_since(entry.date);
                (days > i64::from(within_days))
                    .then(|| (Some(entry), format!("reported on {reported}, {days} days later")))
            }
        })
        .collect()
}

/// No audit on or before the admission, or no admission to judge by.
fn audit(entries: &[Entry]) -> Vec<Breach<'_>> {
    let admission = entries.iter().find(|entry| entry.kind == EntryKind::Admission);
    let first_audit = entries
        .iter()
        .filter(|entry| entry.kind == EntryKind::Audit)
        .min_by_key(|entry| entry.date);
    match (admission, first_audit) {
        (None, _) => {
            vec![(None, "no admission in the ledger: the rule cannot be judged".to_owned())]
        }
        (Some(admission), None) => {
            vec![(Some(admission), format!("admitted on {} with no audit", admission.date))]
        }
        (Some(admission), Some(audit)) if audit.date > admission.date => vec![(
            Some(admission),
            format!("admitted on {}, audited only on {}", admission.date, audit.date),
        )],
        _ => Vec::new(),
    }
}

/// Income by source, all income and all spending.
fn totals(entries: &[Entry]) -> Totals {
    let mut by_source: BTreeMap<Source, (u32, u128)> = BTreeMap::new();
    let mut spending = 0u128;
    let mut unvalued = 0u32;
    for entry in entries {
        match entry.kind {
            EntryKind::Income(source) => {
                let it = by_source.entry(source).or_default();
                it.0 = it.0.saturating_add(1);
                it.1 += amount(entry);
                if entry.in_kind && entry.amount.is_none() {
                    unvalued = unvalued.saturating_add(1);
                }
            }
            EntryKind::Spending => spending += amount(entry),
            EntryKind::Audit | EntryKind::Admission => {}
        }
    }
    let income: Vec<SourceTotal> = by_source
        .into_iter()
        .map(|(source, (entries, amount))| SourceTotal { source, entries, amount })
        .collect();
    let income_total = income.iter().map(|it| it.amount).sum();
    Totals { income, income_total, spending, unvalued_in_kind: unvalued }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::finance::rule::FinanceRule;

    fn entry(line: u32, date: &str, kind: EntryKind, amount: Option<u64>) -> Entry {
        Entry {
            line,
            date: Date::parse(date).expect("a date"),
            kind,
            counterparty: None,
            amount: amount.map(Tenge),
            in_kind: false,
            account: None,
            reported_on: None,
        }
    }

    fn findings(limit: Limit, entries: Vec<Entry>) -> Vec<String> {
        let rule = FinanceRule {
            limit,
            article: "art.".to_owned(),
            seed: "line 1".to_owned(),
            scenario: None,
            note: None,
        };
        let rules = FinanceRules::new("x", "x", RulesStatus::Proposal, Scope::Party, vec![rule])
            .expect("a rule set");
        let ledger = Ledger::new(entries).expect("a ledger");
        check(&rules, &ledger).outcomes[0]
            .findings
            .iter()
            .map(|it| format!("{:?}: {}", it.line, it.found))
            .collect()
    }

    #[test]
    fn limits_are_reached_exactly_and_passed_by_one() {
        let spend = |line, amount| entry(line, "2021-01-01", EntryKind::Spending, Some(amount));
        let limit = || Limit::SpendingLimit { max: Tenge(100) };
        assert!(findings(limit(), vec![spend(2, 60), spend(3, 40)]).is_empty());
        assert_eq!(
            findings(limit(), vec![spend(2, 60), spend(3, 41)]),
            ["Some(3): spent reach 101 KZT, 1 over the limit"]
        );
        let gift =
            |amount| entry(2, "2021-01-01", EntryKind::Income(Source::Individual), Some(amount));
        assert!(findings(Limit::DonationCap { max: Tenge(100) }, vec![gift(100)]).is_empty());
        assert_eq!(
            findings(Limit::DonationCap { max: Tenge(100) }, vec![gift(101)]),
            ["Some(2): a donation of 101 KZT from individual"]
        );
    }

    #[test]
    fn reports_and_audits_by_the_day() {
        let mut on_time = entry(2, "2021-01-01", EntryKind::Spending, Some(1));
        on_time.reported_on = Some(Date::parse("2021-01-11").expect("a date"));
        let mut late = on_time.clone();
        late.line = 3;
        late.reported_on = Some(Date::parse("2021-01-12").expect("a date"));
        assert_eq!(
            findings(Limit::Reports { within_days: 10 }, vec![on_time, late]),
            ["Some(3): reported on 2021-01-12, 11 days later"]
        );
        let audit = |date| entry(2, date, EntryKind::Audit, None);
        let admission = entry(3, "2021-02-01", EntryKind::Admission, None);
        assert!(
            findings(Limit::AuditBeforeAdmission, vec![audit("2021-02-01"), admission.clone()])
                .is_empty()
        );
        assert_eq!(
            findings(Limit::AuditBeforeAdmission, vec![audit("2021-02-02"), admission]),
            ["Some(3): admitted on 2021-02-01, audited only on 2021-02-02"]
        );
        assert_eq!(
            findings(Limit::AuditBeforeAdmission, vec![audit("2021-02-02")]),
            ["None: no admission in the ledger: the rule cannot be judged"]
        );
    }
}
