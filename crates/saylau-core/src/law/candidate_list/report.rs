//! The report on a set of lists: each list's shares and quota outcomes, and its seats
//! assigned under the law and under the proposal.

use serde::Serialize;

use super::party_list::{Count, ListCandidate, ListSet, Members, PartyList, Sex, candidate_count};
use super::quota::{Quota, QuotaCheck, quota_check};
use crate::law::list_seats::SeatAssignment;
use crate::seats::rational::Rational;

/// An exact share with its decimal percentage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    /// The part.
    pub count: u32,
    /// The whole.
    pub of: u32,
    /// `count / of` in percent, one decimal place, rounded half up.
    pub percent: String,
}

impl Share {
    /// `count` of `of`; an empty whole is 0 %.
    pub fn new(count: u32, of: u32) -> Share {
        let percent = if of == 0 {
            "0.0".to_owned()
        } else {
            Rational::from_ratio(u128::from(count) * 100, u128::from(of)).to_decimal(1)
        };
        Share { count, of, percent }
    }
}

/// One list: shares, quotas and seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListReport {
    /// The list's identifier.
    pub id: String,
    /// Its name.
    pub name: String,
    /// True when the candidates are named; false for a published summary.
    pub named: bool,
    /// Candidates on the list.
    pub candidates: u32,
    /// Women on the list.
    pub women: Count,
    /// Their share, bounds in percent with one decimal.
    pub women_percent: PercentRange,
    /// Every quota's outcome.
    pub quotas: Vec<QuotaCheck>,
    /// Seats won, when known.
    pub seats: Option<u32>,
    /// Women among the seats, when known.
    pub women_seats: Option<Share>,
    /// Seat assignments under the law and the proposal (named lists with seats).
    pub assignments: Vec<SeatAssignment>,
}

/// Two decimal percentages: the bounds of a share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PercentRange {
    /// The lower bound.
    pub min: String,
    /// The upper bound.
    pub max: String,
}

/// Every list of a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListsReport {
    /// The quotas checked.
    pub quotas: Vec<Quota>,
    /// Every list.
    pub lists: Vec<ListReport>,
    /// Women on all lists together.
    pub women_on_lists: Count,
    /// Candidates on all lists together.
    pub candidates: u32,
}

/// Checks every list of `set` under every quota and assigns its seats.
pub fn lists_report(set: &ListSet) -> ListsReport {
    let lists: Vec<ListReport> = set.lists().iter().map(|list| list_report(set, list)).collect();
    let women_on_lists = Count {
        min: lists.iter().map(|list| list.women.min).sum(),
        max: lists.iter().map(|list| list.women.max).sum(),
    };
    let candidates = lists.iter().map(|list| list.candidates).sum();
    ListsReport { quotas: set.quotas().to_vec(), lists, women_on_lists, candidates }
}

fn list_report(set: &ListSet, list: &PartyList) -> ListReport {
    let candidates = candidate_count(&list.members);
    let women = match &list.members {
        Members::Named(named) => Count::exact(count_of(named, |it| it.sex == Sex::Female)),
        Members::Summary(summary) => summary.women,
    };
    let women_percent = PercentRange {
        min: Share::new(women.min, candidates).percent,
        max: Share::new(women.max, candidates).percent,
    };
    let quotas = set.quotas().iter().map(|quota| quota_check(set, list, quota)).collect();
    let assignments = match &list.members {
        Members::Named(named) if list.seats.is_some() => {
            crate::law::list_seats::assignments(list, named)
        }
        _ => Vec::new(),
    };
    ListReport {
        id: list.id.clone(),
        name: list.name.clone(),
        named: matches!(list.members, Members::Named(_)),
        candidates,
        women,
        women_percent,
        quotas,
        seats: list.seats,
        women_seats: list
            .women_seats
            .zip(list.seats)
            .map(|(women, seats)| Share::new(women, seats)),
        assignments,
    }
}

fn count_of(candidates: &[ListCandidate], test: impl Fn(&ListCandidate) -> bool) -> u32 {
    u32::try_from(candidates.iter().filter(|it| test(it)).count()).unwrap_or(u32::MAX)
}
