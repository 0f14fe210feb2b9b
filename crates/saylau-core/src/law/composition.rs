//! The composition of election commissions (состав избирательных комиссий): who sits on
//! which commission, nominated by whom, in which role and for which term, the rules a
//! register of members must keep, and the balance of nominators per commission.
//!
//! The law (Constitutional Law "On Elections", art. 10 p. 3): territorial and precinct
//! commissions are elected by the maslikhats for five years on the proposals of political
//! parties, each party proposing at most one candidate to a commission; without party
//! proposals, on those of other public associations and of the superior commissions; the
//! chair, deputy chair and secretary are elected by the commission at its first meeting.
//! The CEC has seven members: the President appoints the chair and two members, each
//! chamber of Parliament two (the seed, "Избирательные комиссии").
//!
//! The seed finds the lower commissions formed de facto by the akimats through the
//! maslikhats, their party composition unpublished, and experts saying commissions are
//! 80 % members of Nur Otan: so a member records both the organisation that nominated them
//! and, where known, the party they belong to, and [`balance::composition`] flags a commission
//! where one party's nominees, one party's members, or the akimat's and maslikhat's
//! nominees hold a majority. `docs/commissions.md` has the file format and the rules.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::count::commission::Level;
use crate::law::date::Date;

pub mod balance;

/// A member's role in the commission (art. 10 p. 3: elected at its first meeting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Председатель.
    Chair,
    /// Заместитель председателя.
    Deputy,
    /// Секретарь.
    Secretary,
    /// Член комиссии.
    Member,
}

impl Role {
    /// The role of its name in a register file: `chair`, `deputy`, `secretary`, `member`.
    pub fn parse(text: &str) -> Option<Role> {
        Some(match text {
            "chair" => Role::Chair,
            "deputy" => Role::Deputy,
            "secretary" => Role::Secretary,
            "member" => Role::Member,
            _ => return None,
        })
    }

    /// Its name in a register file.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::Deputy => "deputy",
            Role::Secretary => "secretary",
            Role::Member => "member",
        }
    }
}

/// Who proposed a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NominatorKind {
    /// A political party (art. 10 p. 3: one candidate per party and commission).
    Party,
    /// A public association other than a party (NGO).
    Ngo,
    /// An akimat (the local executive).
    Akimat,
    /// A maslikhat (the local council that elects the commission).
    Maslikhat,
    /// The superior election commission.
    Commission,
    /// An appointing authority of the CEC: the President or a chamber of Parliament.
    Appointed,
    /// The member proposed themselves (a citizen's application).
    SelfNominated,
    /// Drawn by lot from an open list (the seed's recommendation 7, `saylau lot commission`).
    Lot,
}

/// The nominating party or organisation, written `KIND:NAME` (`party:nur-otan`,
/// `ngo:zhariya`, `akimat:15`, `appointed:president`, `lot:lawyers`) or `self`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nominator {
    kind: NominatorKind,
    name: String,
}

impl Nominator {
    /// Parses `KIND:NAME` or `self`; `None` for an unknown kind or an empty name.
    pub fn parse(text: &str) -> Option<Nominator> {
        if text == "self" {
            return Some(Nominator { kind: NominatorKind::SelfNominated, name: String::new() });
        }
        let (kind, name) = text.split_once(':')?;
        let kind = match kind {
            "party" => NominatorKind::Party,
            "ngo" => NominatorKind::Ngo,
            "akimat" => NominatorKind::Akimat,
            "maslikhat" => NominatorKind::Maslikhat,
            "commission" => NominatorKind::Commission,
            "appointed" => NominatorKind::Appointed,
            "lot" => NominatorKind::Lot,
            _ => return None,
        };
        let name = name.trim();
        (!name.is_empty() && !name.contains(':')).then(|| Nominator { kind, name: name.to_owned() })
    }

    /// The kind of nominator.
    pub fn kind(&self) -> NominatorKind {
        self.kind
    }

    /// The party's or organisation's name (empty for `self`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the akimat or the maslikhat proposed the member: the local authorities that
    /// the seed finds form the commissions de facto.
    pub fn is_local_authority(&self) -> bool {
        matches!(self.kind, NominatorKind::Akimat | NominatorKind::Maslikhat)
    }
}

impl fmt::Display for Nominator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            NominatorKind::SelfNominated => return f.write_str("self"),
            NominatorKind::Party => "party",
            NominatorKind::Ngo => "ngo",
            NominatorKind::Akimat => "akimat",
            NominatorKind::Maslikhat => "maslikhat",
            NominatorKind::Commission => "commission",
            NominatorKind::Appointed => "appointed",
            NominatorKind::Lot => "lot",
        };
        write!(f, "{kind}:{}", self.name)
    }
}

impl Serialize for Nominator {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A member of a commission for one term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// The commission's register id.
    pub commission: String,
    /// The person's id, stable across commissions and terms (a register number, never a
    /// national identity number).
    pub person: String,
    /// The name.
    pub name: String,
    /// The role.
    pub role: Role,
    /// Who nominated the member.
    pub nominator: Nominator,
    /// The party the member belongs to, where known (`None`: unknown or none).
    pub party_member: Option<String>,
    /// The first day of the term.
    pub from: Date,
    /// The last day of the term.
    pub to: Date,
}

impl Member {
    /// Whether the terms of `self` and `other` share a day.
    pub fn overlaps(&self, other: &Member) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    /// Whether `day` is in the term.
    pub fn sits_on(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The size of a level's commissions under a law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SizeRule {
    /// The level.
    pub level: Level,
    /// At most this many members at once.
    pub max: u32,
    /// Where the rule comes from.
    pub source: &'static str,
}

/// The composition rules of a law.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompositionLaw {
    /// Its name.
    pub name: &'static str,
    /// The sizes the law fixes; a level without one has no size check.
    pub sizes: Vec<SizeRule>,
    /// Whether a party may have at most one nominee on a commission at once (art. 10 p. 3),
    /// and at which levels.
    pub one_per_party: Vec<Level>,
}

impl CompositionLaw {
    /// The law as it stood in 2021: the CEC's seven members (the seed; the CEC's own
    /// description of its structure) and one nominee per party on a territorial or precinct
    /// commission (art. 10 p. 3). The sizes of territorial and precinct commissions are not
    /// bundled: saylau has no confirmed text of them (`docs/commissions.md`).
    pub fn law_2021() -> CompositionLaw {
        CompositionLaw {
            name: "Constitutional Law \"On Elections\" as of 2021",
            sizes: vec![SizeRule {
                level: Level::Central,
                max: 7,
                source: "the CEC: the chair and two members appointed by the President, two by \
                         each chamber of Parliament",
            }],
            one_per_party: vec![Level::Region, Level::District, Level::Precinct],
        }
    }

    /// The size rule of `level`, if the law has one.
    pub fn size(&self, level: Level) -> Option<&SizeRule> {
        self.sizes.iter().find(|rule| rule.level == level)
    }
}

/// A rule a register row breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Breach {
    /// The commission is not registered.
    UnknownCommission,
    /// The term ends before it begins.
    TermOrder,
    /// The person sits on another commission of the same level during the term.
    TwoCommissions {
        /// The other commission.
        other: String,
    },
    /// The person is on this commission twice during the term.
    Twice,
    /// More members at once than the law allows.
    OverSize {
        /// The members on `on`.
        members: u32,
        /// The law's limit.
        max: u32,
        /// The first day with too many members.
        on: Date,
    },
    /// A second nominee of the same party during the term (art. 10 p. 3).
    PartyTwice {
        /// The party.
        party: String,
        /// The other nominee.
        other: String,
    },
    /// A second chair, deputy or secretary during the term.
    RoleTwice {
        /// The role.
        role: Role,
        /// The other holder.
        other: String,
    },
}

impl fmt::Display for Breach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Breach::UnknownCommission => f.write_str("no commission of this id is registered"),
            Breach::TermOrder => f.write_str("the term ends before it begins"),
            Breach::TwoCommissions { other } => write!(
                f,
                "the person sits on commission {other} of the same level during this term"
            ),
            Breach::Twice => f.write_str("the person is on this commission twice in this term"),
            Breach::OverSize { members, max, on } => write!(
                f,
                "the commission would have {members} members on {on}, more than the law's {max}"
            ),
            Breach::PartyTwice { party, other } => write!(
                f,
                "party {party} already has a nominee on this commission in this term ({other}); \
                 a party proposes one candidate to a commission (art. 10 p. 3)"
            ),
            Breach::RoleTwice { role, other } => {
                write!(f, "the commission already has a {} in this term ({other})", role.as_str())
            }
        }
    }
}

/// The breaches of `new` rows (by index) against each other and against `registered`
/// members, given the level of every registered commission.
pub fn check_register(
    law: &CompositionLaw,
    commissions: &BTreeMap<String, Level>,
    registered: &[Member],
    new: &[Member],
) -> Vec<(usize, Breach)> {
    let mut res = Vec::new();
    for (idx, member) in new.iter().enumerate() {
        if !commissions.contains_key(&member.commission) {
            res.push((idx, Breach::UnknownCommission));
        }
        if member.to < member.from {
            res.push((idx, Breach::TermOrder));
        }
    }
    let broken: Vec<bool> = {
        let mut it = vec![false; new.len()];
        for (idx, _) in &res {
            it[*idx] = true;
        }
        it
    };
    // Every member, registered first, then the new rows that are well formed.
    let all: Vec<(Option<usize>, &Member)> = registered
        .iter()
        .map(|it| (None, it))
        .chain(
            new.iter()
                .enumerate()
                .filter(|(idx, _)| !broken[*idx])
                .map(|(idx, it)| (Some(idx), it)),
        )
        .collect();
    overlaps(law, commissions, &all, &mut res);
    over_size(law, commissions, &all, &mut res);
    res.sort_by_key(|(idx, _)| *idx);
    res
}

/// The breaches of terms that overlap: a person on two commissions of a level or twice on
/// one, two nominees of a party, two holders of an office.
fn overlaps(
    law: &CompositionLaw,
    commissions: &BTreeMap<String, Level>,
    all: &[(Option<usize>, &Member)],
    res: &mut Vec<(usize, Breach)>,
) {
    let level = |member: &Member| commissions.get(&member.commission).copied();
    pairs(
        all,
        |member| member.person.clone(),
        res,
        |one, two| {
            if !one.overlaps(two) {
                return None;
            }
            if one.commission == two.commission {
                return Some(Breach::Twice);
            }
            (level(one) == level(two))
                .then(|| Breach::TwoCommissions { other: two.commission.clone() })
        },
    );
    pairs(
        all,
        |member| member.commission.clone(),
        res,
        |one, two| {
            let party_checked = level(one).is_some_and(|it| law.one_per_party.contains(&it));
            let same_party =
                one.nominator.kind() == NominatorKind::Party && one.nominator == two.nominator;
            if party_checked && same_party && one.person != two.person && one.overlaps(two) {
                let party = one.nominator.name().to_owned();
                return Some(Breach::PartyTwice { party, other: two.person.clone() });
            }
            None
        },
    );
    pairs(
        all,
        |member| member.commission.clone(),
        res,
        |one, two| {
            let officer = one.role != Role::Member && one.role == two.role;
            (officer && one.person != two.person && one.overlaps(two))
                .then(|| Breach::RoleTwice { role: one.role, other: two.person.clone() })
        },
    );
}

/// For each group of `all` by `key`, the breach `of(new, other)` of every new row against
/// another member of its group (registered, or a new row before it), once per new row.
fn pairs(
    all: &[(Option<usize>, &Member)],
    key: impl Fn(&Member) -> String,
    res: &mut Vec<(usize, Breach)>,
    of: impl Fn(&Member, &Member) -> Option<Breach>,
) {
    let mut groups: BTreeMap<String, Vec<(Option<usize>, &Member)>> = BTreeMap::new();
    for (idx, member) in all {
        groups.entry(key(member)).or_default().push((*idx, member));
    }
    for group in groups.values() {
        for (at, (idx, member)) in group.iter().enumerate() {
            let Some(idx) = idx else { continue };
            if let Some(breach) = group[..at].iter().find_map(|(_, other)| of(member, other)) {
                res.push((*idx, breach));
            }
        }
    }
}

/// A breach on the first new row of every commission that has more members at once than
/// the law's size of its level.
fn over_size(
    law: &CompositionLaw,
    commissions: &BTreeMap<String, Level>,
    all: &[(Option<usize>, &Member)],
    res: &mut Vec<(usize, Breach)>,
) {
    let mut groups: BTreeMap<&str, Vec<(Option<usize>, &Member)>> = BTreeMap::new();
    for (idx, member) in all {
        groups.entry(member.commission.as_str()).or_default().push((*idx, member));
    }
    for (commission, group) in groups {
        let Some(rule) = commissions.get(commission).and_then(|level| law.size(*level)) else {
            continue;
        };
        let Some(first_new) = group.iter().find_map(|(idx, _)| *idx) else { continue };
        // The count can only rise on a day a term begins.
        let mut starts: Vec<Date> = group.iter().map(|(_, member)| member.from).collect();
        starts.sort();
        starts.dedup();
        for day in starts {
            let members = group.iter().filter(|(_, member)| member.sits_on(day)).count();
            let members = u32::try_from(members).unwrap_or(u32::MAX);
            if members > rule.max {
                res.push((first_new, Breach::OverSize { members, max: rule.max, on: day }));
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{Breach, CompositionLaw, Level, Member, Nominator, Role, check_register};
    use crate::law::date::Date;

    fn member(line: &str) -> Member {
        let parts: Vec<&str> = line.split(',').collect();
        Member {
            commission: parts[0].to_owned(),
            person: parts[1].to_owned(),
            name: parts[1].to_owned(),
            role: Role::parse(parts[2]).expect("a role"),
            nominator: Nominator::parse(parts[3]).expect("a nominator"),
            party_member: None,
            from: Date::parse(parts[4]).expect("a date"),
            to: Date::parse(parts[5]).expect("a date"),
        }
    }

    fn check(registered: &[&str], new: &[&str], expect: &[(usize, &str)]) {
        let commissions: BTreeMap<String, Level> = [
            ("CEC", Level::Central),
            ("01", Level::Region),
            ("02", Level::Region),
            ("01-01", Level::District),
        ]
        .into_iter()
        .map(|(id, level)| (id.to_owned(), level))
        .collect();
        let registered: Vec<Member> = registered.iter().map(|it| member(it)).collect();
        let new: Vec<Member> = new.iter().map(|it| member(it)).collect();
        let found = check_register(&CompositionLaw::law_2021(), &commissions, &registered, &new);
        let found: Vec<(usize, String)> =
            found.iter().map(|(idx, breach)| (*idx, breach.to_string())).collect();
        let expect: Vec<(usize, String)> =
            expect.iter().map(|(idx, text)| (*idx, (*text).to_owned())).collect();
        assert_eq!(found, expect);
    }

    #[test]
    fn a_clean_register_breaks_nothing() {
        check(
            &["01,p1,chair,party:a,2021-01-01,2025-12-31"],
            &[
                "01,p2,member,party:b,2021-01-01,2025-12-31",
                "02,p1,member,party:a,2026-01-01,2030-12-31",
                "01-01,p1,member,party:a,2021-01-01,2025-12-31",
            ],
            &[],
        );
    }

    #[test]
    fn each_rule_names_its_row() {
        check(
            &["01,p1,chair,party:a,2021-01-01,2025-12-31"],
            &[
                "09,p9,member,self,2021-01-01,2025-12-31",
                "02,p8,member,self,2025-01-01,2021-12-31",
                "02,p1,member,ngo:x,2025-06-01,2026-12-31",
                "01,p3,member,party:a,2024-01-01,2025-12-31",
                "01,p4,chair,ngo:y,2021-01-01,2021-06-30",
                "01,p1,member,party:a,2025-01-01,2025-02-01",
            ],
            &[
                (0, "no commission of this id is registered"),
                (1, "the term ends before it begins"),
                (2, "the person sits on commission 01 of the same level during this term"),
                (
                    3,
                    "party a already has a nominee on this commission in this term (p1); a party \
                     proposes one candidate to a commission (art. 10 p. 3)",
                ),
                (4, "the commission already has a chair in this term (p1)"),
                (5, "the person is on this commission twice in this term"),
                // The new row of p3 counts against a later row of the same file too.
                (
                    5,
                    "party a already has a nominee on this commission in this term (p3); a party \
                     proposes one candidate to a commission (art. 10 p. 3)",
                ),
            ],
        );
    }

    #[test]
    fn the_cec_has_seven_members_at_once() {
        let seven: Vec<String> = (1..=7)
            .map(|n| format!("CEC,c{n},member,appointed:president,2021-01-01,2025-12-31"))
            .collect();
        let seven: Vec<&str> = seven.iter().map(String::as_str).collect();
        check(&seven, &["CEC,c8,member,appointed:senate,2026-01-01,2030-12-31"], &[]);
        let eighth = "CEC,c8,member,appointed:senate,2025-06-01,2030-12-31";
        let over =
            Breach::OverSize { members: 8, max: 7, on: Date::parse("2025-06-01").expect("a date") };
        check(&seven, &[eighth], &[(0, &over.to_string())]);
    }
}
