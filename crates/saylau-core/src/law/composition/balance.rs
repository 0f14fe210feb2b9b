//! The balance of a commission's members on a day: shares by nominator and by party
//! membership, and the flags of a majority, for the register of [`super`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::Member;
use crate::count::commission::Level;
use crate::law::date::Date;

/// A nominator's (or a party's) members on a commission or a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    /// The nominator (`party:nur-otan`) or party.
    pub name: String,
    /// Its members.
    pub members: u32,
    /// Their share of all members, in per cent with one decimal, rounded half up.
    pub percent: String,
}

/// Why a commission is flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "flag", rename_all = "kebab-case")]
pub enum Flag {
    /// One party's nominees hold a majority.
    PartyMajority {
        /// The party.
        party: String,
    },
    /// The akimat's and maslikhat's nominees together hold a majority.
    LocalAuthorityMajority,
    /// Members of one party hold a majority, whoever nominated them.
    MembershipMajority {
        /// The party.
        party: String,
    },
}

/// A commission's composition on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Composition {
    /// The commission.
    pub commission: String,
    /// Its level.
    pub level: Level,
    /// Members sitting on the day.
    pub members: u32,
    /// Members by nominator, most first.
    pub by_nominator: Vec<Share>,
    /// Members by the party they belong to, most first (members of no known party left out).
    pub by_party_member: Vec<Share>,
    /// Its flags.
    pub flags: Vec<Flag>,
}

/// `count` of `total` in per cent with one decimal, rounded half up (integers only).
pub fn percent(count: u32, total: u32) -> String {
    if total == 0 {
        return "0.0".to_owned();
    }
    let tenths = (u64::from(count) * 2000 + u64::from(total)) / (u64::from(total) * 2);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The shares of `counts`, most first, then by name.
pub fn shares(counts: &BTreeMap<String, u32>, total: u32) -> Vec<Share> {
    let mut res: Vec<Share> = counts
        .iter()
        .map(|(name, members)| Share {
            name: name.clone(),
            members: *members,
            percent: percent(*members, total),
        })
        .collect();
    res.sort_by(|a, b| b.members.cmp(&a.members).then_with(|| a.name.cmp(&b.name)));
    res
}

/// The composition of `commission` (of `level`) from the members sitting on it on `day`.
pub fn composition(commission: &str, level: Level, members: &[&Member], day: Date) -> Composition {
    let sitting: Vec<&Member> = members
        .iter()
        .copied()
        .filter(|member| member.commission == commission && member.sits_on(day))
        .collect();
    let total = u32::try_from(sitting.len()).unwrap_or(u32::MAX);
    let mut by_nominator: BTreeMap<String, u32> = BTreeMap::new();
    let mut by_party: BTreeMap<String, u32> = BTreeMap::new();
    let mut local = 0;
    for member in &sitting {
        *by_nominator.entry(member.nominator.to_string()).or_default() += 1;
        if let Some(party) = &member.party_member {
            *by_party.entry(party.clone()).or_default() += 1;
        }
        local += u32::from(member.nominator.is_local_authority());
    }
    let majority = |count: u32| count * 2 > total;
    let mut flags = Vec::new();
    for (name, count) in &by_nominator {
        if let Some(party) = name.strip_prefix("party:")
            && majority(*count)
        {
            flags.push(Flag::PartyMajority { party: party.to_owned() });
        }
    }
    if total > 0 && majority(local) {
        flags.push(Flag::LocalAuthorityMajority);
    }
    for (party, count) in &by_party {
        if majority(*count) {
            flags.push(Flag::MembershipMajority { party: party.clone() });
        }
    }
    Composition {
        commission: commission.to_owned(),
        level,
        members: total,
        by_nominator: shares(&by_nominator, total),
        by_party_member: shares(&by_party, total),
        flags,
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percentages_round_half_up_in_integers() {
        assert_eq!(percent(1, 3), "33.3");
        assert_eq!(percent(2, 3), "66.7");
        assert_eq!(percent(1, 8), "12.5");
        assert_eq!(percent(1, 16), "6.3");
        assert_eq!(percent(0, 0), "0.0");
    }
}
