//! The synthetic country's commissions register (`saylau generate`, written to
//! `commissions.csv`; `docs/commissions.md`, "The synthetic register"): the CEC's seven and
//! seven members on every region TEC, district TEC and PEC of the country, for the term of
//! the commissions formed in 2019 (2019-06-01 to 2024-05-31), which ran the 2021 election.
//!
//! Each TEC and PEC has at most one nominee of each of the five parties of 2021 (art. 10
//! p. 3), each party nominating to a commission with its own probability (Nur Otan nearly
//! everywhere, the small parties at a third of the precincts or fewer); the other seats go to
//! NGOs, the akimat, the maslikhat or the superior commission; and most members belong to
//! Nur Otan whoever nominated them, as the seed's experts say. Every draw is SHA-256 of the
//! seed and the commission's id, so the same seed writes the same bytes. Every file says it
//! is synthetic.

use saylau_core::count::commission::{CommissionId, Level};
use saylau_core::law::composition::{Member, Nominator, Role};
use saylau_core::law::date::Date;
use saylau_formats::write_register;
use saylau_stats::synthetic::SyntheticCountry;
use sha2::{Digest, Sha256};

/// The name of the file `saylau generate` writes.
pub const COMMISSIONS_FILE: &str = "commissions.csv";

/// The parties of 2021, with the per-mille chance that each nominates a member to a TEC and
/// to a PEC.
const PARTIES: [(&str, u32, u32); 5] = [
    ("nur-otan", 980, 950),
    ("ak-zhol", 700, 420),
    ("peoples-party", 650, 380),
    ("auyl", 450, 250),
    ("adal", 400, 150),
];

/// The other nominators of a seat, with per-mille weights.
const OTHERS: [(&str, u32); 4] =
    [("ngo", 450), ("akimat", 300), ("maslikhat", 150), ("commission", 100)];

/// The per-mille chance that a member not nominated by a party belongs to Nur Otan.
const NUR_OTAN_MEMBERSHIP: u32 = 950;

/// Members of every commission.
const SEATS: usize = 7;

const SURNAMES: [&str; 16] = [
    "Abenov",
    "Akhmetov",
    "Bekov",
    "Dzhaksybekov",
    "Ibraev",
    "Ivanov",
    "Kairatov",
    "Kim",
    "Mukanov",
    "Nurlanov",
    "Omarov",
    "Petrov",
    "Sadykov",
    "Serikbaev",
    "Tokayev",
    "Zhunusov",
];
const GIVEN: [&str; 16] = [
    "Aigul", "Aliya", "Asan", "Askar", "Bolat", "Dana", "Dinara", "Yerlan", "Gulnara", "Marat",
    "Nurlan", "Olga", "Saule", "Sergei", "Timur", "Zhanna",
];

/// A stream of pseudo-random numbers of `seed` and a commission.
struct Draws {
    bytes: [u8; 32],
    at: usize,
    seed: u64,
    id: String,
    round: u32,
}

impl Draws {
    fn new(seed: u64, id: &str) -> Draws {
        let mut it = Draws { bytes: [0; 32], at: 32, seed, id: id.to_owned(), round: 0 };
        it.refill();
        it
    }

    fn refill(&mut self) {
        let mut hash = Sha256::new();
        hash.update(b"saylau-synthetic-commissions-v1");
        hash.update(self.seed.to_be_bytes());
        hash.update(self.id.as_bytes());
        hash.update(self.round.to_be_bytes());
        self.bytes = hash.finalize().into();
        self.round += 1;
        self.at = 0;
    }

    /// A number below 1000.
    fn per_mille(&mut self) -> u32 {
        if self.at + 2 > self.bytes.len() {
            self.refill();
        }
        let value = u32::from(u16::from_be_bytes([self.bytes[self.at], self.bytes[self.at + 1]]));
        self.at += 2;
        value % 1000
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let count = u32::try_from(items.len()).expect("a short list");
        items[usize::try_from(self.per_mille() % count).expect("an index")]
    }
}

fn day(text: &str) -> Date {
    Date::parse(text).expect("a fixed date")
}

fn nominator(text: &str) -> Nominator {
    Nominator::parse(text).expect("a fixed nominator")
}

/// The register of `country` made from `seed`.
pub fn register(seed: u64, country: &SyntheticCountry) -> Vec<Member> {
    let (from, to) = (day("2019-06-01"), day("2024-05-31"));
    let mut res = cec(from, to);
    let mut ids: Vec<CommissionId> = country
        .hierarchy
        .regions()
        .map(|(region, _)| CommissionId::Region(region))
        .chain(country.hierarchy.districts().map(|(district, _)| CommissionId::District(district)))
        .chain(country.protocols.iter().map(|it| CommissionId::Precinct(it.station())))
        .collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        res.extend(commission(seed, id, from, to));
    }
    res
}

/// The CEC's seven: the chair and two members appointed by the President, two by each
/// chamber of Parliament.
fn cec(from: Date, to: Date) -> Vec<Member> {
    let appointed =
        ["president", "president", "president", "senate", "senate", "mazhilis", "mazhilis"];
    let roles = [
        Role::Chair,
        Role::Member,
        Role::Member,
        Role::Deputy,
        Role::Member,
        Role::Secretary,
        Role::Member,
    ];
    appointed
        .iter()
        .zip(roles)
        .enumerate()
        .map(|(idx, (by, role))| Member {
            commission: "CEC".to_owned(),
            person: format!("syn-CEC-{}", idx + 1),
            name: format!("{} {} (synthetic)", GIVEN[idx], SURNAMES[idx]),
            role,
            nominator: nominator(&format!("appointed:{by}")),
            party_member: None,
            from,
            to,
        })
        .collect()
}

/// The seven members of a TEC or PEC.
fn commission(seed: u64, id: CommissionId, from: Date, to: Date) -> Vec<Member> {
    let text = id.to_string();
    let mut draws = Draws::new(seed, &text);
    let precinct = id.level() == Level::Precinct;
    let mut seats: Vec<(Nominator, Option<String>)> = Vec::with_capacity(SEATS);
    for (party, tec, pec) in PARTIES {
        let chance = if precinct { pec } else { tec };
        if draws.per_mille() < chance {
            let member = (draws.per_mille() < 900).then(|| party.to_owned());
            seats.push((nominator(&format!("party:{party}")), member));
        }
    }
    let local = match id.parent() {
        Some(CommissionId::Central) | None => text.clone(),
        Some(parent) if precinct => parent.to_string(),
        Some(_) => text.clone(),
    };
    while seats.len() < SEATS {
        let mut roll = draws.per_mille();
        let kind = OTHERS
            .iter()
            .find(|(_, weight)| {
                let hit = roll < *weight;
                roll = roll.saturating_sub(*weight);
                hit
            })
            .map_or("ngo", |(kind, _)| *kind);
        let name = match kind {
            "ngo" => draws
                .pick(&[
                    "veterans-council",
                    "youth-wing",
                    "school-staff",
                    "womens-union",
                    "trade-union",
                ])
                .to_owned(),
            "commission" => id.parent().map_or_else(|| "CEC".to_owned(), |it| it.to_string()),
            _ => local.clone(),
        };
        let member = (draws.per_mille() < NUR_OTAN_MEMBERSHIP).then(|| "nur-otan".to_owned());
        seats.push((nominator(&format!("{kind}:{name}")), member));
    }
    let roles = roles(&seats, &mut draws);
    seats
        .into_iter()
        .enumerate()
        .map(|(idx, (nominator, party_member))| Member {
            commission: text.clone(),
            person: format!("syn-{text}-{}", idx + 1),
            name: format!("{} {}", draws.pick(&GIVEN), draws.pick(&SURNAMES)),
            role: roles[idx],
            nominator,
            party_member,
            from,
            to,
        })
        .collect()
}

/// The roles of `seats`: the chair, deputy and secretary are elected at the first meeting,
/// here the first three of a drawn order, the chair most often a member of Nur Otan.
fn roles(seats: &[(Nominator, Option<String>)], draws: &mut Draws) -> [Role; SEATS] {
    // Each key is drawn once, before the sort, so that the order is a total one.
    let keys: Vec<u32> = seats
        .iter()
        .map(|(_, party)| u32::from(party.as_deref() != Some("nur-otan")) * 500 + draws.per_mille())
        .collect();
    let mut order: Vec<usize> = (0..SEATS).collect();
    order.sort_by_key(|idx| (keys[*idx], *idx));
    let mut roles = [Role::Member; SEATS];
    for (role, idx) in [Role::Chair, Role::Deputy, Role::Secretary].into_iter().zip(&order) {
        roles[*idx] = role;
    }
    roles
}

/// The register file of `country` made from `seed`.
pub fn register_csv(seed: u64, country: &SyntheticCountry) -> String {
    let mut notes = country.notes.clone();
    notes.push(
        "commissions: a synthetic register of every commission's members, nominators and \
         party membership (docs/commissions.md)"
            .to_owned(),
    );
    write_register(&register(seed, country), &notes)
}
