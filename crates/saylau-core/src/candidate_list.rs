//! Party lists of candidates (партийные списки): quotas, zipper order and seats.
//!
//! Since 2020 a Mazhilis or maslikhat list must hold at least 30 % women and persons under
//! 29 combined (art. 89 p. 4 of the Constitutional Law «On Elections», art. 15-1 of the
//! Law «On Political Parties»); a 2021 draft adds persons with disabilities to the same
//! 30 %. A person in several groups counts once. The quota binds the list, not the
//! mandates: the party leadership chooses who takes its seats (art. 97-1 p. 5). The seed
//! proposes a separate gender quota, a zipper order, seats strictly in list order, and a
//! woman who leaves replaced only by the next woman. [`lists_report`] checks every list
//! under every [`Quota`] and assigns seats under the law and under the proposal.
//!
//! Lists are named (every candidate known) or summaries (published counts only, like the
//! 2021 lists in the seed); a check that the numbers cannot decide is
//! [`QuotaOutcome::Undetermined`], never a guess.

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::ToPrimitive;
use serde::Serialize;

use crate::date::{Date, Years};
use crate::eligibility::AgeGiven;
use crate::list_seats::SeatAssignment;
use crate::rational::Rational;
use crate::threshold::Percent;

/// The youngest age outside the youth group: persons who have not reached 29 (лица, не
/// достигшие двадцатидевятилетнего возраста), art. 89 p. 4.
pub const YOUTH_AGE: Years = Years(29);

/// A candidate's sex, as the gender quota and the zipper read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sex {
    /// A woman.
    Female,
    /// A man.
    Male,
}

/// A group a combined quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// Women.
    Women,
    /// Persons who have not reached 29 on the reference day.
    Under29,
    /// Persons with disabilities (лица с инвалидностью), the 2021 draft.
    Disability,
}

/// One named candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListCandidate {
    /// The name, unique on the list.
    pub name: String,
    /// The candidate's sex.
    pub sex: Sex,
    /// The birth date or age, when known.
    pub age: Option<AgeGiven>,
    /// Whether the candidate has a disability, when known.
    pub disability: Option<bool>,
}

/// A number that is known only within bounds, such as women from a rounded percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The smallest possible value.
    pub min: u32,
    /// The largest possible value.
    pub max: u32,
}

impl Count {
    /// A number known exactly.
    pub fn exact(value: u32) -> Count {
        Count { min: value, max: value }
    }

    /// True when the bounds meet.
    pub fn is_exact(&self) -> bool {
        self.min == self.max
    }
}

/// The published counts of a list whose candidates are not published by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListSummary {
    /// Candidates on the list.
    pub candidates: u32,
    /// Women on the list, exact or bounded by a rounded percentage.
    pub women: Count,
    /// Persons under 29, when published.
    pub under_29: Option<u32>,
    /// Persons with disabilities, when published.
    pub disability: Option<u32>,
}

/// The candidates of a list: by name, in list order, or a published summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Members {
    /// Every candidate, in list order.
    Named(Vec<ListCandidate>),
    /// Counts only.
    Summary(ListSummary),
}

/// A party's list and what it won.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyList {
    /// A stable identifier, such as `nur-otan`.
    pub id: String,
    /// The name for people.
    pub name: String,
    /// The candidates.
    pub members: Members,
    /// Seats the list won, when known.
    pub seats: Option<u32>,
    /// Women among them, when published (summaries).
    pub women_seats: Option<u32>,
    /// The deputies the party leadership chose, by name (art. 97-1 p. 5).
    pub chosen: Option<Vec<String>>,
    /// Deputies who leave their seats, by name, in order; they are never successors.
    pub leaving: Vec<String>,
}

/// What a quota requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum QuotaRule {
    /// At least `share` of the list are in one of `groups`, each person counted once.
    Combined {
        /// The share of the list.
        share: Percent,
        /// The groups counted.
        groups: Vec<Group>,
    },
    /// Women and men alternate: no two neighbours on the list have the same sex.
    Zipper,
    /// Every block of `size` consecutive places, counted from the top, holds a woman and
    /// a man; a shorter last block is not checked.
    Blocks {
        /// The size of a block.
        size: u32,
    },
}

/// A quota with the law or proposal behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quota {
    /// A stable identifier, such as `law-2020`.
    pub id: String,
    /// The name for people.
    pub name: String,
    /// The rule.
    #[serde(flatten)]
    pub rule: QuotaRule,
    /// The article, or where the proposal is made.
    pub article: String,
}

/// The lists of one election and the quotas to check them against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSet {
    reference_day: Option<Date>,
    quotas: Vec<Quota>,
    lists: Vec<PartyList>,
}

/// Why lists do not form a set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ListSetError {
    /// A name twice on one list.
    #[error("list {list}: {name} is on the list twice")]
    DuplicateName {
        /// The list.
        list: String,
        /// The name.
        name: String,
    },
    /// A chosen or leaving deputy who is not on the list, or chosen twice.
    #[error(
        "list {list}: {field} names {name}, who is not a candidate of the list or is named twice"
    )]
    UnknownName {
        /// The list.
        list: String,
        /// `chosen` or `leaving`.
        field: &'static str,
        /// The name.
        name: String,
    },
    /// Chosen deputies that are not as many as the seats.
    #[error("list {list}: {chosen} deputies chosen for {seats} seats")]
    ChosenCount {
        /// The list.
        list: String,
        /// Names chosen.
        chosen: usize,
        /// Seats won.
        seats: u32,
    },
    /// More seats, women or groups than candidates.
    #[error("list {list}: {what} is {value}, more than its {candidates} candidates")]
    TooMany {
        /// The list.
        list: String,
        /// What is too large.
        what: &'static str,
        /// Its value.
        value: u32,
        /// The candidates.
        candidates: u32,
    },
    /// Ages given by birth date without a reference day.
    #[error("list {list}: {name} has a birth date, but the file gives no election day")]
    NoReferenceDay {
        /// The list.
        list: String,
        /// The candidate.
        name: String,
    },
    /// A birth date after the reference day.
    #[error("list {list}: {name} is born after election day")]
    BornAfter {
        /// The list.
        list: String,
        /// The candidate.
        name: String,
    },
}

impl ListSet {
    /// Checks names, chosen deputies, seats and counts against each list.
    pub fn new(
        reference_day: Option<Date>,
        quotas: Vec<Quota>,
        lists: Vec<PartyList>,
    ) -> Result<ListSet, ListSetError> {
        for list in &lists {
            check_list(reference_day, list)?;
        }
        Ok(ListSet { reference_day, quotas, lists })
    }

    /// The lists.
    pub fn lists(&self) -> &[PartyList] {
        &self.lists
    }

    /// The quotas.
    pub fn quotas(&self) -> &[Quota] {
        &self.quotas
    }
}

fn check_list(reference_day: Option<Date>, list: &PartyList) -> Result<(), ListSetError> {
    let id = || list.id.clone();
    let too_many = |what, value: u32, candidates: u32| {
        if value > candidates {
            return Err(ListSetError::TooMany { list: id(), what, value, candidates });
        }
        Ok(())
    };
    let n_candidates = candidate_count(&list.members);
    too_many("seats", list.seats.unwrap_or(0), n_candidates)?;
    too_many("women_seats", list.women_seats.unwrap_or(0), list.seats.unwrap_or(n_candidates))?;
    let candidates = match &list.members {
        Members::Summary(summary) => {
            too_many("women", summary.women.max, summary.candidates)?;
            too_many("under_29", summary.under_29.unwrap_or(0), summary.candidates)?;
            return too_many("disability", summary.disability.unwrap_or(0), summary.candidates);
        }
        Members::Named(candidates) => candidates,
    };
    for (idx, candidate) in candidates.iter().enumerate() {
        if candidates[..idx].iter().any(|earlier| earlier.name == candidate.name) {
            return Err(ListSetError::DuplicateName { list: id(), name: candidate.name.clone() });
        }
        if let Some(AgeGiven::BirthDate(birth)) = candidate.age {
            let name = candidate.name.clone();
            let day = reference_day.ok_or(ListSetError::NoReferenceDay { list: id(), name })?;
            if birth > day {
                return Err(ListSetError::BornAfter { list: id(), name: candidate.name.clone() });
            }
        }
    }
    let on_list = |name: &String| candidates.iter().any(|candidate| &candidate.name == name);
    let named = [("chosen", list.chosen.as_deref().unwrap_or(&[])), ("leaving", &list.leaving)];
    for (field, names) in named {
        for (idx, name) in names.iter().enumerate() {
            if !on_list(name) || names[..idx].contains(name) {
                return Err(ListSetError::UnknownName { list: id(), field, name: name.clone() });
            }
        }
    }
    if let (Some(chosen), Some(seats)) = (&list.chosen, list.seats)
        && chosen.len() != usize::try_from(seats).unwrap_or(usize::MAX)
    {
        return Err(ListSetError::ChosenCount { list: id(), chosen: chosen.len(), seats });
    }
    Ok(())
}

fn candidate_count(members: &Members) -> u32 {
    match members {
        Members::Named(candidates) => u32::try_from(candidates.len()).unwrap_or(u32::MAX),
        Members::Summary(summary) => summary.candidates,
    }
}

/// The women a whole percentage of `total` can stand for: rounded to the nearest whole
/// percent (halves up) or cut down to it. `None` when no count fits either reading.
pub fn women_from_percent(percent: u32, total: u32) -> Option<Count> {
    let fits = |count: u32| {
        let hundredfold = u64::from(count) * 100;
        let total = u64::from(total);
        let nearest = (hundredfold * 2 + total) / (total * 2);
        let down = hundredfold / total;
        nearest == u64::from(percent) || down == u64::from(percent)
    };
    if total == 0 {
        return None;
    }
    let min = (0..=total).find(|count| fits(*count))?;
    let max = (0..=total).rev().find(|count| fits(*count)).unwrap_or(min);
    Some(Count { min, max })
}

/// Whether a list meets a quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuotaOutcome {
    /// Met.
    Met,
    /// Not met.
    NotMet,
    /// The published numbers cannot tell.
    Undetermined,
}

/// One list under one quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotaCheck {
    /// The quota's identifier.
    pub quota: String,
    /// The outcome.
    pub outcome: QuotaOutcome,
    /// For a combined quota: persons needed, the exact ceiling of share × candidates.
    pub needed: Option<u32>,
    /// For a combined quota: persons in the groups, each once (bounds when unknown).
    pub counted: Option<Count>,
    /// Why, in words.
    pub detail: String,
}

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
    let lists: Vec<ListReport> = set.lists.iter().map(|list| list_report(set, list)).collect();
    let women_on_lists = Count {
        min: lists.iter().map(|list| list.women.min).sum(),
        max: lists.iter().map(|list| list.women.max).sum(),
    };
    let candidates = lists.iter().map(|list| list.candidates).sum();
    ListsReport { quotas: set.quotas.clone(), lists, women_on_lists, candidates }
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
    let quotas = set.quotas.iter().map(|quota| quota_check(set, list, quota)).collect();
    let assignments = match &list.members {
        Members::Named(named) if list.seats.is_some() => {
            crate::list_seats::assignments(list, named)
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

/// The smallest whole number of persons that is at least `share` of `total`.
pub fn needed(share: Percent, total: u32) -> u32 {
    let value = share.value();
    let numer = BigUint::from(value.num()) * BigUint::from(total);
    let denom = BigUint::from(value.den()) * BigUint::from(100u32);
    numer.div_ceil(&denom).to_u32().expect("at most the total, which is a u32")
}

fn quota_check(set: &ListSet, list: &PartyList, quota: &Quota) -> QuotaCheck {
    let undetermined = |detail: &str| QuotaCheck {
        quota: quota.id.clone(),
        outcome: QuotaOutcome::Undetermined,
        needed: None,
        counted: None,
        detail: detail.to_owned(),
    };
    match (&quota.rule, &list.members) {
        (QuotaRule::Combined { share, groups }, members) => {
            let total = candidate_count(members);
            let needed = needed(*share, total);
            let counted = match members {
                Members::Named(named) => named_union(set.reference_day, named, groups),
                Members::Summary(summary) => summary_union(summary, groups),
            };
            let (outcome, detail) = if counted.min >= needed {
                (
                    QuotaOutcome::Met,
                    format!("{} of {total} in the groups, {needed} needed", counted.min),
                )
            } else if counted.max < needed {
                (
                    QuotaOutcome::NotMet,
                    format!("{} of {total} in the groups, {needed} needed", counted.max),
                )
            } else {
                let detail = format!(
                    "{needed} of {total} needed; between {} and {} are in the groups: \
                     the published numbers do not say",
                    counted.min, counted.max
                );
                (QuotaOutcome::Undetermined, detail)
            };
            QuotaCheck {
                quota: quota.id.clone(),
                outcome,
                needed: Some(needed),
                counted: Some(counted),
                detail,
            }
        }
        (QuotaRule::Zipper, Members::Named(named)) => order_check(quota, named, 2, true),
        (QuotaRule::Blocks { size }, Members::Named(named)) => {
            order_check(quota, named, usize::try_from(*size).unwrap_or(usize::MAX), false)
        }
        (QuotaRule::Zipper | QuotaRule::Blocks { .. }, Members::Summary(_)) => {
            undetermined("the order of the list is not published")
        }
    }
}

/// Persons in any of `groups`, each once: exact when every fact is known, else bounds.
fn named_union(reference_day: Option<Date>, named: &[ListCandidate], groups: &[Group]) -> Count {
    let mut count = Count::exact(0);
    for candidate in named {
        let member: Vec<Option<bool>> =
            groups.iter().map(|group| in_group(reference_day, candidate, *group)).collect();
        // In some group for sure, unknown when a fact is missing, or in none.
        let status = if member.contains(&Some(true)) {
            Some(true)
        } else if member.contains(&None) {
            None
        } else {
            Some(false)
        };
        match status {
            Some(true) => {
                count.min += 1;
                count.max += 1;
            }
            None => count.max += 1,
            Some(false) => {}
        }
    }
    count
}

fn in_group(reference_day: Option<Date>, candidate: &ListCandidate, group: Group) -> Option<bool> {
    match group {
        Group::Women => Some(candidate.sex == Sex::Female),
        Group::Disability => candidate.disability,
        Group::Under29 => {
            let age = match candidate.age? {
                AgeGiven::AgeOnElectionDay(age) => age,
                AgeGiven::BirthDate(birth) => birth.age_on(reference_day?)?,
            };
            Some(age < YOUTH_AGE)
        }
    }
}

/// Bounds on persons in any of `groups` from counts: at least the largest group, at
/// most the sum of the groups (or everyone, when a group is not published).
fn summary_union(summary: &ListSummary, groups: &[Group]) -> Count {
    let bounds = groups.iter().map(|group| match group {
        Group::Women => summary.women,
        Group::Under29 => {
            summary.under_29.map_or(Count { min: 0, max: summary.candidates }, Count::exact)
        }
        Group::Disability => {
            summary.disability.map_or(Count { min: 0, max: summary.candidates }, Count::exact)
        }
    });
    let (min, max) = bounds.fold((0, 0), |(min, max), it: Count| (min.max(it.min), max + it.max));
    Count { min, max: max.min(summary.candidates) }
}

/// Zipper (`sliding`, windows of two) or fixed blocks of `size`: every window holds both
/// sexes.
fn order_check(quota: &Quota, named: &[ListCandidate], size: usize, sliding: bool) -> QuotaCheck {
    let size = size.max(2);
    let both = |window: &[ListCandidate]| {
        window.iter().any(|it| it.sex == Sex::Female) && window.iter().any(|it| it.sex == Sex::Male)
    };
    let failing: Vec<String> = if sliding {
        named
            .windows(size)
            .enumerate()
            .filter(|(_, window)| !both(window))
            .map(|(idx, _)| format!("{}-{}", idx + 1, idx + size))
            .collect()
    } else {
        named
            .chunks_exact(size)
            .enumerate()
            .filter(|(_, block)| !both(block))
            .map(|(idx, _)| format!("{}-{}", idx * size + 1, idx * size + size))
            .collect()
    };
    let (outcome, detail) = if failing.is_empty() {
        (QuotaOutcome::Met, "every window holds a woman and a man".to_owned())
    } else {
        (QuotaOutcome::NotMet, format!("places with one sex only: {}", failing.join(", ")))
    };
    QuotaCheck { quota: quota.id.clone(), outcome, needed: None, counted: None, detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A named list from `spec`: one word per candidate, `F` or `M`, then an age or `?`,
    /// then `d` for a disability: `F30 M24 M?d`. Names are `c1`, `c2`, ...
    fn named(spec: &str) -> Vec<ListCandidate> {
        spec.split_whitespace()
            .enumerate()
            .map(|(idx, word)| {
                let sex = if word.starts_with('F') { Sex::Female } else { Sex::Male };
                let rest = word[1..].trim_end_matches('d');
                let age = rest.parse().ok().map(|age| AgeGiven::AgeOnElectionDay(Years(age)));
                ListCandidate {
                    name: format!("c{}", idx + 1),
                    sex,
                    age,
                    disability: Some(word.ends_with('d')),
                }
            })
            .collect()
    }

    fn list(members: Members) -> PartyList {
        PartyList {
            id: "p".to_owned(),
            name: "p".to_owned(),
            members,
            seats: None,
            women_seats: None,
            chosen: None,
            leaving: Vec::new(),
        }
    }

    fn quota(rule: &str) -> Quota {
        let share = Percent::parse("30%").expect("a percentage");
        let rule = match rule {
            "law" => QuotaRule::Combined { share, groups: vec![Group::Women, Group::Under29] },
            "draft" => QuotaRule::Combined {
                share,
                groups: vec![Group::Women, Group::Under29, Group::Disability],
            },
            "zipper" => QuotaRule::Zipper,
            blocks => QuotaRule::Blocks { size: blocks.parse().expect("a block size") },
        };
        Quota { id: "q".to_owned(), name: "q".to_owned(), rule, article: String::new() }
    }

    /// The outcome and detail of `rule` on `members`.
    fn check(rule: &str, members: Members, expect: &str) {
        let set = ListSet::new(None, vec![quota(rule)], vec![list(members)]).expect("a valid set");
        let report = lists_report(&set);
        let check = &report.lists[0].quotas[0];
        assert_eq!(format!("{:?}: {}", check.outcome, check.detail), expect);
    }

    fn summary(candidates: u32, women: Count) -> Members {
        Members::Summary(ListSummary { candidates, women, under_29: None, disability: None })
    }

    #[test]
    fn the_combined_quota_counts_each_person_once() {
        // 3 of 10 is exactly 30 %: met.
        check(
            "law",
            Members::Named(named("F40 M28 F50 M40 M40 M40 M40 M40 M40 M40")),
            "Met: 3 of 10 in the groups, 3 needed",
        );
        // The woman of 28 is in two groups but counts once: 2 of 10.
        check(
            "law",
            Members::Named(named("F28 M40 F50 M40 M40 M40 M40 M40 M40 M40")),
            "NotMet: 2 of 10 in the groups, 3 needed",
        );
        // 29 is no longer under 29.
        check(
            "law",
            Members::Named(named("F40 M29 F50 M40 M40 M40 M40 M40 M40 M40")),
            "NotMet: 2 of 10 in the groups, 3 needed",
        );
        // Persons with disabilities count only in the draft.
        check(
            "law",
            Members::Named(named("F40 M40d F50 M40 M40 M40 M40 M40 M40 M40")),
            "NotMet: 2 of 10 in the groups, 3 needed",
        );
        check(
            "draft",
            Members::Named(named("F40 M40d F50 M40 M40 M40 M40 M40 M40 M40")),
            "Met: 3 of 10 in the groups, 3 needed",
        );
        // An unknown age leaves it open.
        check(
            "law",
            Members::Named(named("F40 M? F50 M40 M40 M40 M40 M40 M40 M40")),
            "Undetermined: 3 of 10 needed; between 2 and 3 are in the groups: the published numbers do not say",
        );
    }

    #[test]
    fn summaries_of_2021_are_decided_only_when_the_women_suffice() {
        let women = |percent, total| women_from_percent(percent, total).expect("a fitting count");
        // Nur Otan: 126 candidates, 29 % women, 38 needed.
        check(
            "law",
            summary(126, women(29, 126)),
            "Undetermined: 38 of 126 needed; between 36 and 126 are in the groups: the published numbers do not say",
        );
        // Ak Zhol: 38 candidates, 31 %: only 12 women fit (cut down), enough alone.
        check("law", summary(38, women(31, 38)), "Met: 12 of 38 in the groups, 12 needed");
        check(
            "zipper",
            summary(38, women(31, 38)),
            "Undetermined: the order of the list is not published",
        );
        assert_eq!(women_from_percent(29, 126), Some(Count { min: 36, max: 37 }));
        assert_eq!(women_from_percent(29, 113), Some(Count::exact(33)));
        assert_eq!(women_from_percent(31, 38), Some(Count::exact(12)));
        assert_eq!(women_from_percent(21, 19), Some(Count::exact(4)));
        assert_eq!(women_from_percent(25, 16), Some(Count::exact(4)));
        assert_eq!(women_from_percent(1, 3), None);
        // With every group published, the union is at least the largest group.
        let full = Members::Summary(ListSummary {
            candidates: 10,
            women: Count::exact(2),
            under_29: Some(0),
            disability: Some(0),
        });
        check("draft", full, "NotMet: 2 of 10 in the groups, 3 needed");
    }

    #[test]
    fn zipper_and_blocks_need_both_sexes() {
        check(
            "zipper",
            Members::Named(named("F40 M40 F40 M40 F40")),
            "Met: every window holds a woman and a man",
        );
        check(
            "zipper",
            Members::Named(named("F40 M40 M40 F40 F40")),
            "NotMet: places with one sex only: 2-3, 4-5",
        );
        check(
            "2",
            Members::Named(named("F40 M40 M40 F40 F40")),
            "Met: every window holds a woman and a man",
        );
        check(
            "3",
            Members::Named(named("M40 M40 M40 F40 M40 M40 M40")),
            "NotMet: places with one sex only: 1-3",
        );
    }

    #[test]
    fn sets_reject_inconsistent_lists() {
        let mut party = list(Members::Named(named("M40 F40")));
        party.seats = Some(2);
        party.chosen = Some(vec!["c1".to_owned()]);
        let err = ListSet::new(None, Vec::new(), vec![party.clone()])
            .expect_err("one chosen for two seats");
        assert_eq!(err.to_string(), "list p: 1 deputies chosen for 2 seats");
        party.chosen = Some(vec!["c1".to_owned(), "x".to_owned()]);
        let err = ListSet::new(None, Vec::new(), vec![party]).expect_err("an unknown name");
        assert_eq!(
            err.to_string(),
            "list p: chosen names x, who is not a candidate of the list or is named twice"
        );
        assert_eq!(needed(Percent::parse("30%").expect("a percentage"), 126), 38);
        assert_eq!(needed(Percent::parse("30%").expect("a percentage"), 10), 3);
    }
}
