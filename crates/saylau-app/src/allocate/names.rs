//! The names of methods, quotas and tie rules for people, as the terminal views and the
//! portal print them.

use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::method::Method;
use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::seats::tie::{TieCriterion, TieRule};

/// A method's name for people.
pub fn method_name(method: Method) -> String {
    match method {
        Method::LargestRemainder { quota } => {
            format!("largest remainder ({} quota)", quota_name(quota))
        }
        Method::Divisor { divisor } => match divisor {
            Divisor::DHondt => "D'Hondt".to_owned(),
            Divisor::SainteLague => "Sainte-Laguë".to_owned(),
            Divisor::ModifiedSainteLague { first } => {
                format!("modified Sainte-Laguë (first divisor {})", first.to_decimal(2))
            }
            Divisor::HuntingtonHill => "Huntington-Hill".to_owned(),
            Divisor::Adams => "Adams".to_owned(),
            Divisor::Dean => "Dean".to_owned(),
            Divisor::Danish => "Danish".to_owned(),
            Divisor::Imperiali => "Imperiali divisors".to_owned(),
        },
    }
}

/// A quota's name for people.
pub fn quota_name(quota: Quota) -> String {
    let kind = match quota.kind {
        QuotaKind::Hare => "Hare",
        QuotaKind::Droop => "Droop",
        QuotaKind::HagenbachBischoff => "Hagenbach-Bischoff",
        QuotaKind::Imperiali => "Imperiali",
    };
    if quota == Quota::usual(quota.kind) {
        return kind.to_owned();
    }
    let rounding = match quota.rounding {
        QuotaRounding::Exact => "exact",
        QuotaRounding::Floor => "rounded down",
        QuotaRounding::Round => "rounded",
        QuotaRounding::Ceil => "rounded up",
        QuotaRounding::FloorPlusOne => "rounded down plus one",
    };
    format!("{kind}, {rounding}")
}

/// A tie rule's name for people.
pub fn tie_rule_name(rule: &TieRule) -> String {
    let names: Vec<&str> = rule
        .criteria()
        .iter()
        .map(|criterion| match criterion {
            TieCriterion::Registration => "earlier registration",
            TieCriterion::Votes => "more votes",
            TieCriterion::Lot => "lot",
        })
        .collect();
    names.join(", then ")
}
