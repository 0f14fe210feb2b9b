//! What the synthetic country is built on: the official national totals of the 2021
//! Mazhilis party-list election, and a model of each of the 17 regions.
//!
//! The totals are real (CEC, 12 January 2021; vendored as
//! `data/reference/elections/kz-mazhilis-2021.json`). The populations are real (Bureau of
//! National Statistics, 1 January 2021; vendored as
//! `data/reference/kazakhstan/population-by-region.json`). Everything else in
//! [`REGION_MODELS`] (adult shares, urban shares, numbers of districts, turnout, party
//! leanings) is a plausible assumption of the model, not a published figure
//! (`docs/synthetic.md`).

/// A party list on the 2021 ballot with its official votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficialList {
    /// The list's id in saylau's data files (`data/kz/mazhilis-2021.toml`).
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Its official votes.
    pub votes: u64,
}

/// The official national totals of the 10 January 2021 Mazhilis party-list election.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficialTotals {
    /// Voters on the rolls.
    pub registered: u64,
    /// Voters who received ballots (participants): 63.25 % turnout.
    pub participants: u64,
    /// Ballots not counted for any list: participants minus the list votes.
    pub invalid: u64,
    /// "Against all": not on the January 2021 ballot (restored in May 2021), so zero.
    pub against_all: u64,
    /// The five lists with their votes, in the order of the official table.
    pub lists: [OfficialList; 5],
}

/// The official totals the synthetic country reproduces exactly.
pub const OFFICIAL_2021: OfficialTotals = OfficialTotals {
    registered: 11_919_241,
    participants: 7_539_280,
    invalid: 297_718,
    against_all: 0,
    lists: [
        OfficialList { id: "nur-otan", name: "Nur Otan", votes: 5_148_074 },
        OfficialList { id: "ak-zhol", name: "Ak Zhol", votes: 792_828 },
        OfficialList { id: "peoples-party", name: "People's Party of Kazakhstan", votes: 659_019 },
        OfficialList { id: "auyl", name: "Auyl", votes: 383_023 },
        OfficialList { id: "adal", name: "Adal", votes: 258_618 },
    ],
};

/// The model of one region: real population, assumed everything else.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionModel {
    /// The saylau region code (`saylau_core::count::commission::REGIONS_2021`).
    pub code: u8,
    /// Resident population on 1 January 2021 (real).
    pub population: u64,
    /// Assumed share of the population of voting age.
    pub adult_share: f64,
    /// Assumed share of the region's voters who live in towns.
    pub urban_share: f64,
    /// Assumed number of town territorial commissions (cities of regional or district
    /// significance; for a city of republican significance, its city districts).
    pub towns: u8,
    /// Assumed number of rural district territorial commissions.
    pub rural_districts: u8,
    /// Assumed mean turnout before the national correction.
    pub turnout: f64,
    /// Assumed strength of the ruling list relative to the national mean (1 = average).
    pub ruling_lean: f64,
}

const fn region(
    code: u8,
    population: u64,
    (adult_share, urban_share): (f64, f64),
    (towns, rural_districts): (u8, u8),
    turnout: f64,
    ruling_lean: f64,
) -> RegionModel {
    RegionModel {
        code,
        population,
        adult_share,
        urban_share,
        towns,
        rural_districts,
        turnout,
        ruling_lean,
    }
}

/// The 17 regions of 2021, by code.
pub const REGION_MODELS: [RegionModel; 17] = [
    region(1, 735_566, (0.70, 0.48), (2, 17), 0.71, 1.00),
    region(2, 894_333, (0.64, 0.66), (1, 12), 0.68, 1.00),
    region(3, 2_077_967, (0.62, 0.22), (3, 16), 0.73, 1.05),
    region(4, 657_110, (0.60, 0.55), (1, 7), 0.74, 1.03),
    region(5, 661_316, (0.66, 0.52), (1, 12), 0.72, 1.00),
    region(6, 1_139_192, (0.60, 0.42), (1, 10), 0.76, 1.06),
    region(7, 1_375_938, (0.72, 0.80), (5, 7), 0.64, 0.96),
    region(8, 864_550, (0.73, 0.53), (4, 16), 0.70, 0.98),
    region(9, 814_588, (0.58, 0.45), (1, 7), 0.78, 1.07),
    region(10, 719_571, (0.57, 0.40), (2, 5), 0.66, 0.97),
    region(11, 751_012, (0.72, 0.71), (3, 10), 0.69, 0.97),
    region(12, 543_735, (0.74, 0.41), (1, 13), 0.75, 1.00),
    region(13, 2_044_742, (0.55, 0.20), (3, 14), 0.77, 1.08),
    region(14, 1_363_797, (0.71, 0.62), (5, 15), 0.66, 0.98),
    region(15, 1_184_411, (0.64, 1.00), (4, 0), 0.52, 0.92),
    region(16, 1_977_258, (0.68, 1.00), (8, 0), 0.34, 0.88),
    region(17, 1_074_466, (0.57, 1.00), (4, 0), 0.62, 1.00),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, actual: u64, expect: u64) {
        assert_eq!(actual, expect, "{name}");
    }

    #[test]
    fn totals_add_up() {
        let lists: u64 = OFFICIAL_2021.lists.iter().map(|list| list.votes).sum();
        check("valid votes", lists + OFFICIAL_2021.against_all, 7_241_562);
        check("participants", lists + OFFICIAL_2021.invalid, OFFICIAL_2021.participants);
        let population: u64 = REGION_MODELS.iter().map(|region| region.population).sum();
        check("population on 1 January 2021", population, 18_879_552);
        for (idx, model) in REGION_MODELS.iter().enumerate() {
            check(
                "region codes in order",
                u64::from(model.code),
                u64::try_from(idx + 1).unwrap_or(0),
            );
        }
    }
}
