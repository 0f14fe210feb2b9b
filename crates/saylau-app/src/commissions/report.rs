//! `saylau commissions report`: the balance of the register on a day: every commission's
//! members by nominator and by party membership with its flags, then each level and the
//! country (`docs/commissions.md`, "The balance report").

use std::collections::BTreeMap;

use saylau_core::law::composition::balance::{Composition, Flag, Share, composition, shares};
use saylau_core::law::composition::{CompositionLaw, Member, Nominator, NominatorKind};
use saylau_core::law::date::Date;
use saylau_store::id::ElectionId;
use saylau_store::store::Store;
use serde::Serialize;

use super::{CommissionsError, Level, read};

/// The balance report: the JSON of `saylau commissions report --json` and of the API.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The election.
    pub election: String,
    /// The day of the composition; `None` when the register has no members.
    pub on: Option<Date>,
    /// Whether the day was given, or is the latest first day of a term in the register.
    pub on_given: bool,
    /// The law whose rules the register keeps.
    pub law: &'static str,
    /// The level the commissions are limited to, if any.
    pub level: Option<Level>,
    /// The commissions with members on the day (of the level, if given), in id order.
    pub commissions: Vec<Composition>,
    /// Each level, from the CEC down.
    pub levels: Vec<Summary>,
    /// The country.
    pub national: Summary,
}

/// The members of a level or of the country on the day.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The level, or `None` for the country.
    pub level: Option<Level>,
    /// Commissions registered.
    pub registered: usize,
    /// Commissions with members on the day.
    pub with_members: usize,
    /// Members on the day.
    pub members: u32,
    /// Members by nominator: each party by name, the other nominators by kind (`ngo`,
    /// `akimat`, `maslikhat`, `commission`, `appointed`, `lot`, `self`), most first.
    pub by_nominator: Vec<Share>,
    /// Members by the party they belong to, where known, most first.
    pub by_party_member: Vec<Share>,
    /// Commissions where one party's nominees hold a majority.
    pub party_majority: usize,
    /// Commissions where the akimat's and maslikhat's nominees hold a majority.
    pub local_authority_majority: usize,
    /// Commissions where members of one party hold a majority.
    pub membership_majority: usize,
}

/// The group of a nominator in a summary: a party by name, any other by its kind.
fn group(nominator: &Nominator) -> String {
    match nominator.kind() {
        NominatorKind::Party => nominator.to_string(),
        NominatorKind::Ngo => "ngo".to_owned(),
        NominatorKind::Akimat => "akimat".to_owned(),
        NominatorKind::Maslikhat => "maslikhat".to_owned(),
        NominatorKind::Commission => "commission".to_owned(),
        NominatorKind::Appointed => "appointed".to_owned(),
        NominatorKind::SelfNominated => "self".to_owned(),
        NominatorKind::Lot => "lot".to_owned(),
    }
}

/// The report of `election`'s register on `on` (by default the latest first day of a term),
/// listing the commissions of `level` (all when `None`).
pub async fn report(
    store: &Store,
    election: &ElectionId,
    level: Option<Level>,
    on: Option<Date>,
) -> Result<Report, CommissionsError> {
    let register = read(store, election).await?;
    let levels = register.levels();
    Ok(balance(election, &levels, &register.members, level, on))
}

/// The report of `members` on commissions of `levels` (pure, for the portal and tests).
pub fn balance(
    election: &ElectionId,
    levels: &BTreeMap<String, Level>,
    members: &[Member],
    level: Option<Level>,
    on: Option<Date>,
) -> Report {
    let day = on.or_else(|| members.iter().map(|member| member.from).max());
    let mut by_commission: BTreeMap<&str, Vec<&Member>> = BTreeMap::new();
    if let Some(day) = day {
        for member in members.iter().filter(|member| member.sits_on(day)) {
            by_commission.entry(member.commission.as_str()).or_default().push(member);
        }
    }
    let compositions: Vec<Composition> = match day {
        Some(day) => by_commission
            .iter()
            .filter_map(|(id, group)| {
                let of = *levels.get(*id)?;
                Some(composition(id, of, group, day))
            })
            .collect(),
        None => Vec::new(),
    };
    let all = [Level::Central, Level::Region, Level::District, Level::Precinct];
    let summaries =
        all.iter().map(|it| summary(Some(*it), levels, &by_commission, &compositions)).collect();
    Report {
        election: election.to_string(),
        on: day,
        on_given: on.is_some(),
        law: CompositionLaw::law_2021().name,
        level,
        national: summary(None, levels, &by_commission, &compositions),
        levels: summaries,
        commissions: compositions
            .into_iter()
            .filter(|it| level.is_none_or(|level| it.level == level))
            .collect(),
    }
}

fn summary(
    level: Option<Level>,
    levels: &BTreeMap<String, Level>,
    by_commission: &BTreeMap<&str, Vec<&Member>>,
    compositions: &[Composition],
) -> Summary {
    let of_level =
        |id: &str| levels.get(id).is_some_and(|found| level.is_none_or(|level| *found == level));
    let mut nominators: BTreeMap<String, u32> = BTreeMap::new();
    let mut parties: BTreeMap<String, u32> = BTreeMap::new();
    let mut members = 0;
    for member in by_commission.iter().filter(|(id, _)| of_level(id)).flat_map(|(_, it)| it) {
        members += 1;
        *nominators.entry(group(&member.nominator)).or_default() += 1;
        if let Some(party) = &member.party_member {
            *parties.entry(party.clone()).or_default() += 1;
        }
    }
    let counted: Vec<&Composition> =
        compositions.iter().filter(|it| level.is_none_or(|level| it.level == level)).collect();
    let flagged =
        |test: fn(&Flag) -> bool| counted.iter().filter(|it| it.flags.iter().any(test)).count();
    Summary {
        level,
        registered: levels.keys().filter(|id| of_level(id)).count(),
        with_members: counted.len(),
        members,
        by_nominator: shares(&nominators, members),
        by_party_member: shares(&parties, members),
        party_majority: flagged(|flag| matches!(flag, Flag::PartyMajority { .. })),
        local_authority_majority: flagged(|flag| matches!(flag, Flag::LocalAuthorityMajority)),
        membership_majority: flagged(|flag| matches!(flag, Flag::MembershipMajority { .. })),
    }
}
