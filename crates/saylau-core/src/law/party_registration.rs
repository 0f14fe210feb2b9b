//! Registration of political parties (государственная регистрация политических партий).
//!
//! A [`Regime`] is one set of registration conditions, as the Law «On Political Parties»
//! had them in a period (50,000 members until 2009, 40,000 until 2020, 20,000 since, with
//! a minimum in every region and a founding congress representing 2/3 of the regions,
//! arts. 6 and 10) or as a reform proposes them (1,000-3,000 members, no regional rule).
//! [`registration_check`] says whether a party's membership satisfies a regime and, when
//! it does not, lists every failed condition with its numbers. A condition the membership
//! does not document is reported as undetermined, never as met.

use serde::Serialize;

use crate::seats::fraction::Fraction;

/// The identifier of a region: an oblast or a city of republican significance.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RegionId(String);

impl RegionId {
    /// Wraps an identifier; the reader has checked it is not empty.
    pub fn new(id: &str) -> RegionId {
        RegionId(id.to_owned())
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A region with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// The identifier, such as `akmola`.
    pub id: RegionId,
    /// The name, such as `Akmola`.
    pub name: String,
}

/// The regions of the country in a period, such as the 14 oblasts and 3 cities of 2021.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionSet {
    /// The identifier, such as `14+3`.
    pub id: String,
    /// The name for people.
    pub name: String,
    /// The regions.
    pub regions: Vec<Region>,
}

/// A number of people: party members, congress delegates, founders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct People(pub u64);

/// Whether a regime is, or was, the law, or is a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegimeStatus {
    /// The law in force now.
    Law,
    /// The law of an earlier period.
    FormerLaw,
    /// A proposed reform.
    Proposal,
}

/// One set of registration conditions; a condition left out does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Regime {
    /// The identifier, such as `law-2020`.
    pub id: String,
    /// The name for people.
    pub name: String,
    /// Law, former law or proposal.
    pub status: RegimeStatus,
    /// When it applied, in words.
    pub period: String,
    /// Members in all.
    pub min_members: Option<People>,
    /// Members in every region.
    pub min_members_per_region: Option<People>,
    /// Citizens in the initiative group (инициативная группа).
    pub min_initiative_group: Option<People>,
    /// Members of the organising committee (организационный комитет).
    pub min_organising_committee: Option<People>,
    /// Delegates at the founding congress (учредительный съезд).
    pub min_congress_delegates: Option<People>,
    /// The share of the regions the congress delegates must come from.
    pub congress_region_share: Option<Fraction>,
    /// The article of the law, or where the proposal is made.
    pub article: String,
    /// Where the numbers come from: the seed's lines or another source.
    pub source: String,
}

/// A party's membership and founding documents, region by region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Membership {
    /// The party's name.
    pub party: String,
    /// The regions the counts are given for.
    pub region_set: RegionSet,
    /// Members in each region, in the order of the region set.
    pub members: Vec<People>,
    /// Founding-congress delegates in each region, in the order of the region set.
    pub congress: Option<Vec<People>>,
    /// Citizens in the initiative group.
    pub initiative_group: Option<People>,
    /// Members of the organising committee.
    pub organising_committee: Option<People>,
}

/// Whether a party satisfies a regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationOutcome {
    /// Every condition is met.
    Satisfied,
    /// At least one condition fails.
    NotSatisfied,
    /// None fails, but the membership does not document every condition.
    Undetermined,
}

/// A region below the per-region minimum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionShortfall {
    /// The region.
    pub id: RegionId,
    /// Its name.
    pub name: String,
    /// Its members.
    pub members: People,
    /// Members missing to reach the minimum.
    pub missing: u64,
}

/// One condition of a regime for a party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionCheck {
    /// The condition: `members`, `members-per-region`, `initiative-group`,
    /// `organising-committee`, `congress-delegates` or `congress-regions`.
    pub condition: &'static str,
    /// What the regime requires.
    pub required: String,
    /// What the party has, or `not given`.
    pub found: String,
    /// `Some(true)` met, `Some(false)` failed, `None` not documented.
    pub met: Option<bool>,
    /// For the per-region rule: every region below the minimum.
    pub short_regions: Vec<RegionShortfall>,
}

/// A party under one regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegimeCheck {
    /// The regime's identifier.
    pub regime: String,
    /// Its name.
    pub name: String,
    /// Law, former law or proposal.
    pub status: RegimeStatus,
    /// When it applied.
    pub period: String,
    /// The article behind it.
    pub article: String,
    /// The outcome.
    pub outcome: RegistrationOutcome,
    /// Every condition of the regime, in a fixed order.
    pub conditions: Vec<ConditionCheck>,
}

/// Checks `membership` against every condition of `regime`.
pub fn registration_check(regime: &Regime, membership: &Membership) -> RegimeCheck {
    let regions = &membership.region_set.regions;
    let total = People(membership.members.iter().map(|people| people.0).sum());
    let mut conditions = Vec::new();
    if let Some(min) = regime.min_members {
        conditions.push(at_least("members", min, Some(total)));
    }
    if let Some(min) = regime.min_members_per_region {
        let short_regions: Vec<RegionShortfall> = regions
            .iter()
            .zip(&membership.members)
            .filter(|(_, members)| **members < min)
            .map(|(region, members)| RegionShortfall {
                id: region.id.clone(),
                name: region.name.clone(),
                members: *members,
                missing: min.0 - members.0,
            })
            .collect();
        let found = format!("{} of {} regions below", short_regions.len(), regions.len());
        conditions.push(ConditionCheck {
            condition: "members-per-region",
            required: format!("{} in each of {} regions", min.0, regions.len()),
            found,
            met: Some(short_regions.is_empty()),
            short_regions,
        });
    }
    if let Some(min) = regime.min_initiative_group {
        conditions.push(at_least("initiative-group", min, membership.initiative_group));
    }
    if let Some(min) = regime.min_organising_committee {
        conditions.push(at_least("organising-committee", min, membership.organising_committee));
    }
    let delegates = membership.congress.as_ref().map(|it| People(it.iter().map(|p| p.0).sum()));
    if let Some(min) = regime.min_congress_delegates {
        conditions.push(at_least("congress-delegates", min, delegates));
    }
    if let Some(share) = regime.congress_region_share {
        conditions.push(congress_regions(share, membership));
    }
    let outcome = if conditions.iter().any(|it| it.met == Some(false)) {
        RegistrationOutcome::NotSatisfied
    } else if conditions.iter().any(|it| it.met.is_none()) {
        RegistrationOutcome::Undetermined
    } else {
        RegistrationOutcome::Satisfied
    };
    RegimeCheck {
        regime: regime.id.clone(),
        name: regime.name.clone(),
        status: regime.status,
        period: regime.period.clone(),
        article: regime.article.clone(),
        outcome,
        conditions,
    }
}

/// A count of at least `min`; `None` when the membership does not give it.
fn at_least(condition: &'static str, min: People, found: Option<People>) -> ConditionCheck {
    let (found, met) = match found {
        Some(people) if people >= min => (people.0.to_string(), Some(true)),
        Some(people) => (format!("{} ({} short)", people.0, min.0 - people.0), Some(false)),
        None => ("not given".to_owned(), None),
    };
    ConditionCheck {
        condition,
        required: format!("at least {}", min.0),
        found,
        met,
        short_regions: Vec::new(),
    }
}

/// The congress's delegates come from at least `share` of the regions: `represented *
/// den >= num * regions`, in integers.
fn congress_regions(share: Fraction, membership: &Membership) -> ConditionCheck {
    let n_regions = membership.region_set.regions.len();
    let n_regions_u128 = u128::try_from(n_regions).unwrap_or(u128::MAX);
    // The smallest whole number of regions that is at least the share.
    let needed = (share.num() * n_regions_u128).div_ceil(share.den());
    let required = format!("delegates from {share} of {n_regions} regions: at least {needed}");
    let Some(congress) = &membership.congress else {
        let found = "not given".to_owned();
        return ConditionCheck {
            condition: "congress-regions",
            required,
            found,
            met: None,
            short_regions: Vec::new(),
        };
    };
    let represented = congress.iter().filter(|delegates| delegates.0 > 0).count();
    let represented_u128 = u128::try_from(represented).unwrap_or(u128::MAX);
    ConditionCheck {
        condition: "congress-regions",
        required,
        found: format!("{represented} regions"),
        met: Some(represented_u128 >= needed),
        short_regions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regime(per_region: Option<u64>) -> Regime {
        Regime {
            id: "law-2020".to_owned(),
            name: "law".to_owned(),
            status: RegimeStatus::Law,
            period: "since 2020".to_owned(),
            min_members: Some(People(20_000)),
            min_members_per_region: per_region.map(People),
            min_initiative_group: Some(People(1_000)),
            min_organising_committee: Some(People(10)),
            min_congress_delegates: Some(People(1_000)),
            congress_region_share: Some(Fraction::new(2, 3)),
            article: String::new(),
            source: String::new(),
        }
    }

    /// A party of `members` per region (3 regions) and `congress` delegates per region.
    fn membership(members: [u64; 3], congress: Option<[u64; 3]>) -> Membership {
        let region = |id: &str| Region { id: RegionId::new(id), name: id.to_uppercase() };
        Membership {
            party: "p".to_owned(),
            region_set: RegionSet {
                id: "3".to_owned(),
                name: "three".to_owned(),
                regions: vec![region("a"), region("b"), region("c")],
            },
            members: members.map(People).to_vec(),
            congress: congress.map(|it| it.map(People).to_vec()),
            initiative_group: Some(People(1_000)),
            organising_committee: Some(People(10)),
        }
    }

    /// The outcome and each condition as `name: found (met)`.
    fn check(regime: &Regime, membership: &Membership, expect: &str) {
        let res = registration_check(regime, membership);
        let conditions: Vec<String> = res
            .conditions
            .iter()
            .map(|it| format!("{}: {} ({:?})", it.condition, it.found, it.met))
            .collect();
        assert_eq!(format!("{:?}; {}", res.outcome, conditions.join("; ")), expect);
    }

    #[test]
    fn every_failed_condition_is_listed_with_numbers() {
        check(
            &regime(Some(600)),
            &membership([19_000, 600, 400], Some([500, 500, 0])),
            "Satisfied; members: 20000 (Some(true)); members-per-region: 1 of 3 regions below (Some(false)); initiative-group: 1000 (Some(true)); organising-committee: 10 (Some(true)); congress-delegates: 1000 (Some(true)); congress-regions: 2 regions (Some(true))"
                .replace("Satisfied", "NotSatisfied")
                .as_str(),
        );
        check(
            &regime(None),
            &membership([10_000, 5_000, 4_999], Some([999, 0, 0])),
            "NotSatisfied; members: 19999 (1 short) (Some(false)); initiative-group: 1000 (Some(true)); organising-committee: 10 (Some(true)); congress-delegates: 999 (1 short) (Some(false)); congress-regions: 1 regions (Some(false))",
        );
    }

    #[test]
    fn an_undocumented_condition_is_undetermined() {
        check(
            &regime(Some(600)),
            &membership([18_800, 600, 600], None),
            "Undetermined; members: 20000 (Some(true)); members-per-region: 0 of 3 regions below (Some(true)); initiative-group: 1000 (Some(true)); organising-committee: 10 (Some(true)); congress-delegates: not given (None); congress-regions: not given (None)",
        );
    }

    #[test]
    fn two_thirds_of_seventeen_regions_is_twelve() {
        let needed = |regions: u128| (2 * regions).div_ceil(3);
        assert_eq!(needed(17), 12);
        assert_eq!(needed(20), 14);
        assert_eq!(needed(3), 2);
    }
}
