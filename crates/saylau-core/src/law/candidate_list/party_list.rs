//! Party lists as data: their candidates by name or as published counts, and the set of
//! lists of one election, validated by [`ListSet::new`].

use serde::Serialize;

use super::quota::Quota;
use crate::law::date::{Date, Years};
use crate::law::eligibility::AgeGiven;

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

    /// The day ages are computed on, when the file gives one.
    pub(super) fn reference_day(&self) -> Option<Date> {
        self.reference_day
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

pub(super) fn candidate_count(members: &Members) -> u32 {
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

/// Test data: a named list from `spec`: one word per candidate, `F` or `M`, then an age or `?`,
/// then `d` for a disability: `F30 M24 M?d`. Names are `c1`, `c2`, ...
#[cfg(test)]
pub(super) fn test_named(spec: &str) -> Vec<ListCandidate> {
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

/// Test data: the list `p` of `members`, without seats.
#[cfg(test)]
pub(super) fn test_list(members: Members) -> PartyList {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::candidate_list::quota::needed;
    use crate::seats::threshold::Percent;

    #[test]
    fn sets_reject_inconsistent_lists() {
        let mut party = test_list(Members::Named(test_named("M40 F40")));
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
