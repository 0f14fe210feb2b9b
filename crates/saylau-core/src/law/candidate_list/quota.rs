//! Quotas on party lists: the combined 30 % of art. 89 p. 4, the gender quota, the zipper
//! and blocks the seed proposes, and the check of one list under one quota.

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::ToPrimitive;
use serde::Serialize;

use super::party_list::{
    Count, Group, ListCandidate, ListSet, ListSummary, Members, PartyList, Sex, YOUTH_AGE,
    candidate_count,
};
use crate::law::date::Date;
use crate::law::eligibility::AgeGiven;
use crate::seats::threshold::Percent;

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

/// The smallest whole number of persons that is at least `share` of `total`.
pub fn needed(share: Percent, total: u32) -> u32 {
    let value = share.value();
    let numer = BigUint::from(value.num()) * BigUint::from(total);
    let denom = BigUint::from(value.den()) * BigUint::from(100u32);
    numer.div_ceil(&denom).to_u32().expect("at most the total, which is a u32")
}

pub(super) fn quota_check(set: &ListSet, list: &PartyList, quota: &Quota) -> QuotaCheck {
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
                Members::Named(named) => named_union(set.reference_day(), named, groups),
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
    use crate::law::candidate_list::party_list::{test_list, test_named, women_from_percent};
    use crate::law::candidate_list::report::lists_report;

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
        let set =
            ListSet::new(None, vec![quota(rule)], vec![test_list(members)]).expect("a valid set");
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
            Members::Named(test_named("F40 M28 F50 M40 M40 M40 M40 M40 M40 M40")),
            "Met: 3 of 10 in the groups, 3 needed",
        );
        // The woman of 28 is in two groups but counts once: 2 of 10.
        check(
            "law",
            Members::Named(test_named("F28 M40 F50 M40 M40 M40 M40 M40 M40 M40")),
            "NotMet: 2 of 10 in the groups, 3 needed",
        );
        // 29 is no longer under 29.
        check(
            "law",
            Members::Named(test_named("F40 M29 F50 M40 M40 M40 M40 M40 M40 M40")),
            "NotMet: 2 of 10 in the groups, 3 needed",
        );
        // Persons with disabilities count only in the draft.
        check(
            "law",
            Members::Named(test_named("F40 M40d F50 M40 M40 M40 M40 M40 M40 M40")),
            "NotMet: 2 of 10 in the groups, 3 needed",
        );
        check(
            "draft",
            Members::Named(test_named("F40 M40d F50 M40 M40 M40 M40 M40 M40 M40")),
            "Met: 3 of 10 in the groups, 3 needed",
        );
        // An unknown age leaves it open.
        check(
            "law",
            Members::Named(test_named("F40 M? F50 M40 M40 M40 M40 M40 M40 M40")),
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
            Members::Named(test_named("F40 M40 F40 M40 F40")),
            "Met: every window holds a woman and a man",
        );
        check(
            "zipper",
            Members::Named(test_named("F40 M40 M40 F40 F40")),
            "NotMet: places with one sex only: 2-3, 4-5",
        );
        check(
            "2",
            Members::Named(test_named("F40 M40 M40 F40 F40")),
            "Met: every window holds a woman and a man",
        );
        check(
            "3",
            Members::Named(test_named("M40 M40 M40 F40 M40 M40 M40")),
            "NotMet: places with one sex only: 1-3",
        );
    }
}
