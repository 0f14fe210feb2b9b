//! Seats of a party list given to its candidates (распределение мандатов внутри списка).
//!
//! Under the law the party leadership chooses which of its candidates take the list's
//! seats (art. 97-1 p. 5 of the Constitutional Law «On Elections»), and a deputy who
//! leaves is replaced by another candidate; the seed proposes seats strictly in list
//! order and a woman who leaves replaced only by the next woman on the list
//! (recommendations 10 and 22). [`crate::law::candidate_list::lists_report`] reports both for
//! every named list that won seats.

use serde::Serialize;

use crate::law::candidate_list::{ListCandidate, PartyList, Sex, Share};

/// Who sits for a list under one way of assigning seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatAssignment {
    /// `law` (the party chooses, any next candidate replaces) or `proposal` (list order,
    /// a woman replaced by the next woman).
    pub regime: &'static str,
    /// The deputies first seated, or `None` when the file does not say whom the party
    /// chose.
    pub seated: Option<Vec<String>>,
    /// Women among them.
    pub women: Option<Share>,
    /// Each leaving deputy and the successor, if any candidate qualifies.
    pub replacements: Vec<Replacement>,
    /// The deputies after the replacements.
    pub after: Option<Vec<String>>,
    /// Women among them.
    pub women_after: Option<Share>,
}

/// A deputy who leaves and who takes the seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    /// The deputy who leaves.
    pub left: String,
    /// The successor; `None` when nobody qualifies or the deputy was not seated.
    pub by: Option<String>,
    /// Why, when there is no successor.
    pub note: Option<String>,
}

/// The deputies after everyone in `leaving` has left, and who replaced whom: the first
/// candidate in list order who is not seated and not leaving, or with `woman_for_woman`
/// the first such woman when a woman leaves.
pub(crate) fn replaced(
    seated: &[String],
    list: &PartyList,
    named: &[ListCandidate],
    woman_for_woman: bool,
) -> (Vec<String>, Vec<Replacement>) {
    let sex_of = |name: &str| named.iter().find(|it| it.name == name).map(|it| it.sex);
    let mut current = seated.to_vec();
    // Whoever leaves is out of the list too: never a successor.
    let mut used: Vec<String> = seated.iter().chain(&list.leaving).cloned().collect();
    let mut replacements = Vec::new();
    for left in &list.leaving {
        let replacement = |by: Option<&str>, note: Option<&str>| Replacement {
            left: left.clone(),
            by: by.map(str::to_owned),
            note: note.map(str::to_owned),
        };
        let Some(place) = current.iter().position(|name| name == left) else {
            replacements.push(replacement(None, Some("not seated under this regime")));
            continue;
        };
        let must_be_woman = woman_for_woman && sex_of(left) == Some(Sex::Female);
        let successor = named
            .iter()
            .find(|it| !used.contains(&it.name) && (!must_be_woman || it.sex == Sex::Female));
        match successor {
            Some(successor) => {
                current[place] = successor.name.clone();
                used.push(successor.name.clone());
                replacements.push(replacement(Some(&successor.name), None));
            }
            None => {
                current.remove(place);
                let note = if must_be_woman {
                    "no woman left on the list"
                } else {
                    "nobody left on the list"
                };
                replacements.push(replacement(None, Some(note)));
            }
        }
    }
    (current, replacements)
}

/// Seats under the law (the party's choice, any next candidate replaces) and the proposal
/// (list order, a woman replaced by the next woman).
pub(crate) fn assignments(list: &PartyList, named: &[ListCandidate]) -> Vec<SeatAssignment> {
    let seats = usize::try_from(list.seats.unwrap_or(0)).unwrap_or(usize::MAX);
    let in_order: Vec<String> = named.iter().take(seats).map(|it| it.name.clone()).collect();
    vec![
        assignment("law", list.chosen.clone(), list, named, false),
        assignment("proposal", Some(in_order), list, named, true),
    ]
}

fn assignment(
    regime: &'static str,
    seated: Option<Vec<String>>,
    list: &PartyList,
    named: &[ListCandidate],
    woman_for_woman: bool,
) -> SeatAssignment {
    let sex_of = |name: &str| named.iter().find(|it| it.name == name).map(|it| it.sex);
    let women = |names: &[String]| {
        let count = names.iter().filter(|name| sex_of(name) == Some(Sex::Female)).count();
        let of = u32::try_from(names.len()).unwrap_or(u32::MAX);
        Share::new(u32::try_from(count).unwrap_or(u32::MAX), of)
    };
    let Some(seated) = seated else {
        let replacements = list
            .leaving
            .iter()
            .map(|left| Replacement {
                left: left.clone(),
                by: None,
                note: Some("the file does not say whom the party chose".to_owned()),
            })
            .collect();
        return SeatAssignment {
            regime,
            seated: None,
            women: None,
            replacements,
            after: None,
            women_after: None,
        };
    };
    let (current, replacements) = replaced(&seated, list, named, woman_for_woman);
    SeatAssignment {
        regime,
        women: Some(women(&seated)),
        seated: Some(seated),
        replacements,
        women_after: Some(women(&current)),
        after: Some(current),
    }
}

#[cfg(test)]
mod tests {
    use crate::law::candidate_list::{ListSet, Members, lists_report};
    use crate::law::date::Years;
    use crate::law::eligibility::AgeGiven;

    use super::*;

    /// A named list from `spec`: `F` or `M` per candidate, named `c1`, `c2`, ...
    fn named(spec: &str) -> Vec<ListCandidate> {
        spec.split_whitespace()
            .enumerate()
            .map(|(idx, word)| ListCandidate {
                name: format!("c{}", idx + 1),
                sex: if word.starts_with('F') { Sex::Female } else { Sex::Male },
                age: Some(AgeGiven::AgeOnElectionDay(Years(40))),
                disability: Some(false),
            })
            .collect()
    }

    /// Seats for a named list of `spec` with `seats`, `chosen` and `leaving` (names), as
    /// `regime: seated -> after (women after)`.
    fn check(spec: &str, seats: u32, chosen: Option<&[&str]>, leaving: &[&str], expect: &[&str]) {
        let mut party = PartyList {
            id: "p".to_owned(),
            name: "p".to_owned(),
            members: Members::Named(named(spec)),
            seats: None,
            women_seats: None,
            chosen: None,
            leaving: Vec::new(),
        };
        party.seats = Some(seats);
        party.chosen = chosen.map(|names| names.iter().map(|name| (*name).to_owned()).collect());
        party.leaving = leaving.iter().map(|name| (*name).to_owned()).collect();
        let set = ListSet::new(None, Vec::new(), vec![party]).expect("a valid set");
        let report = lists_report(&set);
        let shown: Vec<String> = report.lists[0]
            .assignments
            .iter()
            .map(|it| match (&it.seated, &it.after, &it.women_after) {
                (Some(seated), Some(after), Some(women)) => {
                    format!(
                        "{}: {} -> {} ({}%)",
                        it.regime,
                        seated.join(","),
                        after.join(","),
                        women.percent
                    )
                }
                _ => format!("{}: undetermined", it.regime),
            })
            .collect();
        assert_eq!(shown, expect);
    }

    #[test]
    fn seats_by_choice_or_list_order_and_replacement_by_the_next_woman() {
        check(
            "M40 F40 M40 M40 F40",
            2,
            Some(&["c1", "c3"]),
            &["c2"],
            &["law: c1,c3 -> c1,c3 (0.0%)", "proposal: c1,c2 -> c1,c5 (50.0%)"],
        );
        check(
            "M40 F40 M40 M40 F40",
            2,
            Some(&["c1", "c2"]),
            &["c2"],
            &["law: c1,c2 -> c1,c3 (0.0%)", "proposal: c1,c2 -> c1,c5 (50.0%)"],
        );
        check(
            "M40 F40 M40",
            2,
            None,
            &["c2"],
            &["law: undetermined", "proposal: c1,c2 -> c1 (0.0%)"],
        );
    }
}
