//! Open lists: preference votes reorder a party list (преференциальное голосование).
//!
//! The seed's survey recommends that voters mark candidates within the list they vote
//! for. Two variants are modelled, as [`OpenListRule`]:
//! - a preference threshold: candidates whose preference votes reach a share of the
//!   list's votes move to the top in order of their preference votes, the others keep
//!   their list order after them (the Czech Chamber since 2021: 5 % of the list's votes
//!   in the region, § 50 of Act 247/1995 Coll.);
//! - pure order by preference votes.
//!
//! Ties in preference votes go to the candidate higher on the list. The list's seats go
//! to the first candidates of the new order, and a deputy who leaves is replaced by the
//! next candidate of the new order, a woman by the next woman (the seed's recommendation
//! 22, as in [`crate::law::list_seats`]). Shares and the threshold are exact rationals.

use serde::Serialize;

use crate::law::candidate_list::{ListCandidate, Members, PartyList};
use crate::law::list_seats::{Replacement, replaced};
use crate::seats::rational::Rational;

/// How preference votes reorder a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenListRule {
    /// Candidates with preference votes of at least `percent` % of the list's votes move
    /// to the top in order of preference votes; the rest keep list order.
    Threshold {
        /// The threshold in percent of the list's votes.
        percent: Rational,
    },
    /// Every candidate in order of preference votes.
    Preferences,
    /// Candidates with at least `percent` % more votes than the average per candidate of
    /// the list (the list's votes over its candidates) move to the top in order of votes;
    /// the rest keep list order (Czech municipal councils, § 45 (4) of Act 491/2001 Coll.:
    /// 5 % above the average).
    AboveAverage {
        /// How far above the average, in percent.
        percent: Rational,
    },
}

/// The votes a list won and each candidate's preference votes, in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPreferences {
    /// The list's id.
    pub list: String,
    /// Votes cast for the list.
    pub votes: u64,
    /// Preference votes per candidate, in list order.
    pub preferences: Vec<u64>,
}

/// Why preferences cannot be applied to a list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenListError {
    /// A list of published counts only, without named candidates.
    #[error("list {0}: preference votes need named candidates")]
    NotNamed(String),
    /// Not one count per candidate.
    #[error("list {list}: {given} preference counts for {candidates} candidates")]
    Count {
        /// The list.
        list: String,
        /// Counts given.
        given: usize,
        /// Candidates on the list.
        candidates: usize,
    },
}

/// One candidate's preference votes, threshold test and final rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenListRow {
    /// The candidate.
    pub name: String,
    /// The place on the list as filed, from 1.
    pub position: usize,
    /// Preference votes.
    pub preferences: u64,
    /// Preference votes as a percentage of the list's votes, two decimals.
    pub share_percent: String,
    /// Whether the threshold is reached; `None` under pure order by preferences.
    pub reaches: Option<bool>,
    /// The place in the final order, from 1.
    pub rank: usize,
    /// Whether the candidate takes one of the list's seats.
    pub elected: bool,
}

/// A list reordered by preference votes, its seats and replacements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenListReport {
    /// The list's id.
    pub list: String,
    /// `threshold`, `above-average` or `preferences`.
    pub rule: &'static str,
    /// The threshold in percent (of the list's votes, or above the average), when there is one.
    pub threshold_percent: Option<String>,
    /// The preference votes needed to reach it (exact, two decimals).
    pub threshold_votes: Option<String>,
    /// Votes for the list.
    pub votes: u64,
    /// Seats the list won.
    pub seats: u32,
    /// Candidates in final order.
    pub rows: Vec<OpenListRow>,
    /// Each leaving deputy and the successor (a woman by the next woman).
    pub replacements: Vec<Replacement>,
    /// The deputies after the replacements.
    pub after: Vec<String>,
}

/// Reorders `list` by `prefs` under `rule` and seats its candidates.
pub fn open_list(
    list: &PartyList,
    prefs: &ListPreferences,
    rule: &OpenListRule,
) -> Result<OpenListReport, OpenListError> {
    let Members::Named(named) = &list.members else {
        return Err(OpenListError::NotNamed(list.id.clone()));
    };
    if named.len() != prefs.preferences.len() {
        return Err(OpenListError::Count {
            list: list.id.clone(),
            given: prefs.preferences.len(),
            candidates: named.len(),
        });
    }
    let needed = needed_votes(rule, prefs.votes, named.len());
    let order = final_order(&prefs.preferences, needed.as_ref());
    let seats = list.seats.unwrap_or(0);
    let n_seats = usize::try_from(seats).unwrap_or(usize::MAX);
    let rows = order
        .iter()
        .enumerate()
        .map(|(rank, &idx)| OpenListRow {
            name: named[idx].name.clone(),
            position: idx + 1,
            preferences: prefs.preferences[idx],
            share_percent: share_percent(prefs.preferences[idx], prefs.votes),
            reaches: reaches(prefs.preferences[idx], needed.as_ref()),
            rank: rank + 1,
            elected: rank < n_seats,
        })
        .collect::<Vec<_>>();
    let reordered: Vec<ListCandidate> = order.iter().map(|&idx| named[idx].clone()).collect();
    let seated: Vec<String> = reordered.iter().take(n_seats).map(|it| it.name.clone()).collect();
    let (after, replacements) = replaced(&seated, list, &reordered, true);
    Ok(OpenListReport {
        list: list.id.clone(),
        rule: match rule {
            OpenListRule::Threshold { .. } => "threshold",
            OpenListRule::AboveAverage { .. } => "above-average",
            OpenListRule::Preferences => "preferences",
        },
        threshold_percent: match rule {
            OpenListRule::Threshold { percent } | OpenListRule::AboveAverage { percent } => {
                Some(percent.to_decimal(2))
            }
            OpenListRule::Preferences => None,
        },
        threshold_votes: needed.map(|it| it.to_decimal(2)),
        votes: prefs.votes,
        seats,
        rows,
        replacements,
        after,
    })
}

/// The preference votes a candidate needs to move up under `rule`, exactly; `None` under
/// pure order.
fn needed_votes(rule: &OpenListRule, votes: u64, candidates_on_list: usize) -> Option<Rational> {
    match rule {
        OpenListRule::Threshold { percent } => Some(
            percent
                .mul(&Rational::from_integer(i128::from(votes)))
                .div(&Rational::from_integer(100)),
        ),
        OpenListRule::AboveAverage { percent } => {
            let candidates = i128::try_from(candidates_on_list).unwrap_or(i128::MAX).max(1);
            Some(
                Rational::from_integer(100)
                    .add(percent)
                    .mul(&Rational::from_integer(i128::from(votes)))
                    .div(&Rational::from_integer(candidates.saturating_mul(100))),
            )
        }
        OpenListRule::Preferences => None,
    }
}

/// Whether `count` preference votes reach `needed`; `None` without a threshold.
fn reaches(count: u64, needed: Option<&Rational>) -> Option<bool> {
    needed.map(|needed| Rational::from_integer(i128::from(count)).compare(needed).is_ge())
}

/// `count` of `votes` in percent, two decimals (0 of no votes is 0).
fn share_percent(count: u64, votes: u64) -> String {
    if votes == 0 {
        return "0.00".to_owned();
    }
    Rational::from_ratio(u128::from(count) * 100, u128::from(votes)).to_decimal(2)
}

/// Candidate indices in final order: those who move up (all of them without a threshold,
/// those reaching it otherwise) by preference votes, ties by list position (a stable
/// sort), then the rest in list order.
fn final_order(preferences: &[u64], needed: Option<&Rational>) -> Vec<usize> {
    let mut up: Vec<usize> = (0..preferences.len())
        .filter(|&idx| reaches(preferences[idx], needed) != Some(false))
        .collect();
    up.sort_by(|&a, &b| preferences[b].cmp(&preferences[a]));
    let rest: Vec<usize> = (0..preferences.len()).filter(|idx| !up.contains(idx)).collect();
    up.into_iter().chain(rest).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::candidate_list::Sex;

    fn list(spec: &str, seats: u32, leaving: &[&str]) -> PartyList {
        let named = spec
            .split_whitespace()
            .enumerate()
            .map(|(idx, word)| ListCandidate {
                name: format!("c{}", idx + 1),
                sex: if word == "F" { Sex::Female } else { Sex::Male },
                age: None,
                disability: None,
            })
            .collect();
        PartyList {
            id: "p".to_owned(),
            name: "p".to_owned(),
            members: Members::Named(named),
            seats: Some(seats),
            women_seats: None,
            chosen: None,
            leaving: leaving.iter().map(|it| (*it).to_owned()).collect(),
        }
    }

    fn order(report: &OpenListReport) -> Vec<&str> {
        report.rows.iter().map(|it| it.name.as_str()).collect()
    }

    #[test]
    fn the_threshold_moves_only_those_who_reach_it_and_ties_keep_list_order() {
        let party = list("M M F M F", 2, &[]);
        let prefs = ListPreferences {
            list: "p".to_owned(),
            votes: 1000,
            preferences: vec![60, 10, 50, 49, 50],
        };
        let five = OpenListRule::Threshold { percent: Rational::from_integer(5) };
        let report = open_list(&party, &prefs, &five).expect("named");
        // 50 of 1000 is exactly 5 %: reaches; 49 does not.
        assert_eq!(order(&report), ["c1", "c3", "c5", "c2", "c4"]);
        assert_eq!(report.threshold_votes.as_deref(), Some("50.00"));
        assert_eq!(report.rows[2].reaches, Some(true));
        assert_eq!(report.rows[4].reaches, Some(false));
        let pure = open_list(&party, &prefs, &OpenListRule::Preferences).expect("named");
        assert_eq!(order(&pure), ["c1", "c3", "c5", "c4", "c2"]);
    }

    #[test]
    fn a_woman_who_leaves_is_replaced_by_the_next_woman_of_the_new_order() {
        let party = list("M F M M F", 2, &["c2"]);
        let prefs =
            ListPreferences { list: "p".to_owned(), votes: 100, preferences: vec![9, 8, 7, 6, 1] };
        let report = open_list(&party, &prefs, &OpenListRule::Preferences).expect("named");
        assert_eq!(report.after, ["c1", "c5"]);
        let wrong = ListPreferences { preferences: vec![1], ..prefs };
        assert!(matches!(
            open_list(&party, &wrong, &OpenListRule::Preferences),
            Err(OpenListError::Count { given: 1, candidates: 5, .. })
        ));
    }
}
