//! The commission hierarchy and its identifiers: CEC → region TEC → district TEC → PEC.
//!
//! Protocols flow up this tree (Constitutional Law "On Elections" No. 2464, art. 94 p. 1-2:
//! a precinct commission (участковая избирательная комиссия, PEC) sends its protocol to the
//! territorial commission (территориальная избирательная комиссия, TEC) above it, and the
//! Central Election Commission (Центральная избирательная комиссия, CEC) decides the
//! party-list result from the protocols of the territorial commissions).
//!
//! Identifiers are readable and hierarchical, so that a parent's id is a prefix of its
//! children's ids (`docs/protocol.md`, "Identifiers"):
//!
//! | commission | id | example |
//! |---|---|---|
//! | CEC | `CEC` | `CEC` |
//! | region TEC (oblast or city of republican significance) | `RR` | `15` |
//! | district or city TEC | `RR-DD` | `15-02` |
//! | PEC (one per polling station) | `RR-DD-SSSS` | `15-02-0034` |
//!
//! `RR` is the region code of [`REGIONS_2021`], `DD` the district's number within its
//! region, `SSSS` the station's number within its district. The codes are saylau's own,
//! not the KATO classifier's.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

/// How many regions there are: region codes are 1 to this.
pub const REGION_COUNT: u8 = 17;

/// The 14 oblasts and 3 cities of republican significance of 2021 (before the three
/// oblasts created in June 2022), with their saylau region codes: the order of the
/// Bureau of National Statistics' table of 1 January 2021 (`population-by-region.json`).
pub const REGIONS_2021: [(u8, &str); REGION_COUNT as usize] = [
    (1, "Akmola"),
    (2, "Aktobe"),
    (3, "Almaty Region"),
    (4, "Atyrau"),
    (5, "West Kazakhstan"),
    (6, "Zhambyl"),
    (7, "Karaganda"),
    (8, "Kostanay"),
    (9, "Kyzylorda"),
    (10, "Mangystau"),
    (11, "Pavlodar"),
    (12, "North Kazakhstan"),
    (13, "Turkistan"),
    (14, "East Kazakhstan"),
    (15, "Nur-Sultan (Astana) city"),
    (16, "Almaty city"),
    (17, "Shymkent city"),
];

/// The code of a region (область or город республиканского значения) and of its
/// territorial commission: 1 to 17, the codes of [`REGIONS_2021`], written with two digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionCode(u8);

/// A district or city territorial commission (районная, городская избирательная
/// комиссия): its region and its number in the region, 1 to 99.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DistrictId {
    region: RegionCode,
    number: u8,
}

/// A polling station (избирательный участок) and its precinct commission: its district
/// and its number in the district, 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StationId {
    district: DistrictId,
    number: u16,
}

/// The level of a commission in the hierarchy, from the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// The Central Election Commission (art. 11).
    Central,
    /// A region's territorial commission (oblast, city of republican significance, the
    /// capital), art. 13.
    Region,
    /// A district or city territorial commission, art. 13.
    District,
    /// A precinct commission of one polling station, art. 15.
    Precinct,
}

/// Any commission of the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CommissionId {
    /// The CEC, `CEC`.
    Central,
    /// A region TEC, `RR`.
    Region(RegionCode),
    /// A district or city TEC, `RR-DD`.
    District(DistrictId),
    /// A PEC, `RR-DD-SSSS`.
    Precinct(StationId),
}

/// Why an identifier is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// Not of the documented shape.
    #[error(
        "{0:?} is not a commission id (expected CEC, RR, RR-DD or RR-DD-SSSS with digits, such as 15-02-0034)"
    )]
    Shape(String),
    /// A part is zero: codes and numbers start at 1.
    #[error("{0:?} has a zero part: region codes, district and station numbers start at 1")]
    Zero(String),
    /// The region code is not one of the 17 regions of [`REGIONS_2021`].
    #[error("{0:?} names region {1:02}, but region codes are 01 to 17")]
    Region(String, u8),
    /// The id is of another level than the one expected.
    #[error("{id:?} is not the id of a {expected}")]
    Level {
        /// The id as written.
        id: String,
        /// What was expected, such as "polling station".
        expected: &'static str,
    },
}

/// Why a commission's name cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// A blank name.
    #[error("the name of commission {0} is empty")]
    Empty(CommissionId),
    /// A second, different name for the same commission.
    #[error("commission {id} is named {existing:?} already, not {new:?}")]
    Conflict {
        /// The commission.
        id: CommissionId,
        /// The name recorded first.
        existing: String,
        /// The other name.
        new: String,
    },
    /// The central commission has a fixed name.
    #[error("the central commission's name is fixed")]
    Central,
}

impl RegionCode {
    /// A region code from 1 to 17 (`docs/protocol.md`, "Identifiers").
    pub fn new(code: u8) -> Option<RegionCode> {
        (1..=REGION_COUNT).contains(&code).then_some(RegionCode(code))
    }

    /// The code as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl DistrictId {
    /// A district number from 1 to 99 in `region`.
    pub fn new(region: RegionCode, number: u8) -> Option<DistrictId> {
        (1..=99).contains(&number).then_some(DistrictId { region, number })
    }

    /// The region the district belongs to.
    pub fn region(self) -> RegionCode {
        self.region
    }

    /// The district's number in its region.
    pub fn number(self) -> u8 {
        self.number
    }
}

impl StationId {
    /// A station number from 1 to 9999 in `district`.
    pub fn new(district: DistrictId, number: u16) -> Option<StationId> {
        (1..=9999).contains(&number).then_some(StationId { district, number })
    }

    /// Parses `RR-DD-SSSS`, exactly two, two and four digits.
    pub fn parse(text: &str) -> Result<StationId, IdError> {
        match CommissionId::parse(text)? {
            CommissionId::Precinct(station) => Ok(station),
            _ => Err(IdError::Level { id: text.to_owned(), expected: "polling station" }),
        }
    }

    /// The station's district.
    pub fn district(self) -> DistrictId {
        self.district
    }

    /// The station's region.
    pub fn region(self) -> RegionCode {
        self.district.region
    }

    /// The station's number in its district.
    pub fn number(self) -> u16 {
        self.number
    }

    /// The commission above (or at) this station at `level`.
    pub fn commission(self, level: Level) -> CommissionId {
        match level {
            Level::Central => CommissionId::Central,
            Level::Region => CommissionId::Region(self.region()),
            Level::District => CommissionId::District(self.district),
            Level::Precinct => CommissionId::Precinct(self),
        }
    }
}

impl CommissionId {
    /// Parses `CEC`, `RR`, `RR-DD` or `RR-DD-SSSS`: fixed widths, digits only, no part zero.
    pub fn parse(text: &str) -> Result<CommissionId, IdError> {
        if text == "CEC" {
            return Ok(CommissionId::Central);
        }
        let shape = || IdError::Shape(text.to_owned());
        let zero = || IdError::Zero(text.to_owned());
        let bytes = text.as_bytes();
        let region = || -> Result<RegionCode, IdError> {
            match two_digits(&bytes[0..2]).ok_or_else(shape)? {
                0 => Err(zero()),
                code => RegionCode::new(code).ok_or(IdError::Region(text.to_owned(), code)),
            }
        };
        let district = || -> Result<DistrictId, IdError> {
            let number = two_digits(&bytes[3..5]).ok_or_else(shape)?;
            DistrictId::new(region()?, number).ok_or_else(zero)
        };
        match bytes.len() {
            2 => Ok(CommissionId::Region(region()?)),
            5 if bytes[2] == b'-' => Ok(CommissionId::District(district()?)),
            10 if bytes[2] == b'-' && bytes[5] == b'-' => {
                let number = four_digits(&bytes[6..10]).ok_or_else(shape)?;
                StationId::new(district()?, number).map(CommissionId::Precinct).ok_or_else(zero)
            }
            _ => Err(shape()),
        }
    }

    /// The commission's level.
    pub fn level(self) -> Level {
        match self {
            CommissionId::Central => Level::Central,
            CommissionId::Region(_) => Level::Region,
            CommissionId::District(_) => Level::District,
            CommissionId::Precinct(_) => Level::Precinct,
        }
    }

    /// The commission this one sends its protocol to; the CEC has none.
    pub fn parent(self) -> Option<CommissionId> {
        match self {
            CommissionId::Central => None,
            CommissionId::Region(_) => Some(CommissionId::Central),
            CommissionId::District(district) => Some(CommissionId::Region(district.region)),
            CommissionId::Precinct(station) => Some(CommissionId::District(station.district)),
        }
    }

    /// True when `station`'s protocol is tabulated by this commission (or is its own).
    pub fn contains(self, station: StationId) -> bool {
        station.commission(self.level()) == self
    }
}

fn digit(byte: u8) -> Option<u8> {
    byte.is_ascii_digit().then(|| byte - b'0')
}

fn two_digits(bytes: &[u8]) -> Option<u8> {
    Some(digit(bytes[0])? * 10 + digit(bytes[1])?)
}

fn four_digits(bytes: &[u8]) -> Option<u16> {
    let mut res = 0u16;
    for &byte in bytes {
        res = res * 10 + u16::from(digit(byte)?);
    }
    Some(res)
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

impl fmt::Display for DistrictId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.region, self.number)
    }
}

impl fmt::Display for StationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}", self.district, self.number)
    }
}

impl fmt::Display for CommissionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommissionId::Central => f.write_str("CEC"),
            CommissionId::Region(region) => region.fmt(f),
            CommissionId::District(district) => district.fmt(f),
            CommissionId::Precinct(station) => station.fmt(f),
        }
    }
}

macro_rules! serialize_as_text {
    ($($name:ty),*) => {$(
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    )*};
}

serialize_as_text!(RegionCode, DistrictId, StationId, CommissionId);

/// The names of the territorial commissions, by id: the regions' and the districts'.
///
/// A precinct commission is named by its station id, and the CEC's name is fixed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Hierarchy {
    regions: BTreeMap<RegionCode, String>,
    districts: BTreeMap<DistrictId, String>,
}

impl Hierarchy {
    /// No names yet.
    pub fn new() -> Hierarchy {
        Hierarchy::default()
    }

    /// The 17 region commissions of 2021 ([`REGIONS_2021`]), without districts.
    pub fn regions_2021() -> Hierarchy {
        let mut res = Hierarchy::new();
        for (code, name) in REGIONS_2021 {
            let code = RegionCode::new(code).expect("the 2021 codes are 1 to 17");
            res.regions.insert(code, name.to_owned());
        }
        res
    }

    /// Records the name of a region or district commission. Recording the same name
    /// again is allowed; a different one is a [`NameError::Conflict`].
    pub fn name_commission(&mut self, id: CommissionId, name: &str) -> Result<(), NameError> {
        if name.trim().is_empty() {
            return Err(NameError::Empty(id));
        }
        match id {
            CommissionId::Central => Err(NameError::Central),
            CommissionId::Precinct(_) => Ok(()),
            CommissionId::Region(region) => name_in(&mut self.regions, region, id, name),
            CommissionId::District(district) => name_in(&mut self.districts, district, id, name),
        }
    }

    /// The name of a commission: the CEC's fixed name, a recorded region or district
    /// name, or a PEC's "polling station RR-DD-SSSS".
    pub fn name(&self, id: CommissionId) -> Option<String> {
        match id {
            CommissionId::Central => Some("Central Election Commission".to_owned()),
            CommissionId::Region(region) => self.regions.get(&region).cloned(),
            CommissionId::District(district) => self.districts.get(&district).cloned(),
            CommissionId::Precinct(station) => Some(format!("polling station {station}")),
        }
    }

    /// A region's recorded name.
    pub fn region_name(&self, region: RegionCode) -> Option<&str> {
        self.regions.get(&region).map(String::as_str)
    }

    /// A district's recorded name.
    pub fn district_name(&self, district: DistrictId) -> Option<&str> {
        self.districts.get(&district).map(String::as_str)
    }

    /// The named regions, by code.
    pub fn regions(&self) -> impl Iterator<Item = (RegionCode, &str)> {
        self.regions.iter().map(|(code, name)| (*code, name.as_str()))
    }

    /// The named districts, by id.
    pub fn districts(&self) -> impl Iterator<Item = (DistrictId, &str)> {
        self.districts.iter().map(|(id, name)| (*id, name.as_str()))
    }
}

fn name_in<K: Ord>(
    names: &mut BTreeMap<K, String>,
    key: K,
    id: CommissionId,
    name: &str,
) -> Result<(), NameError> {
    match names.get(&key) {
        Some(existing) => check_same(id, existing, name),
        None => {
            names.insert(key, name.to_owned());
            Ok(())
        }
    }
}

fn check_same(id: CommissionId, existing: &str, name: &str) -> Result<(), NameError> {
    if existing == name {
        Ok(())
    } else {
        Err(NameError::Conflict { id, existing: existing.to_owned(), new: name.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `text` and shows the id, its level and its parent chain, or the error.
    fn check(text: &str, expect: &str) {
        let actual = match CommissionId::parse(text) {
            Ok(id) => {
                let mut chain = vec![format!("{id} {:?}", id.level())];
                let mut current = id;
                while let Some(parent) = current.parent() {
                    chain.push(parent.to_string());
                    current = parent;
                }
                chain.join(" < ")
            }
            Err(err) => format!("error: {err}"),
        };
        assert_eq!(actual, expect, "{text}");
    }

    #[test]
    fn parses_ids_at_every_level() {
        check("CEC", "CEC Central");
        check("15", "15 Region < CEC");
        check("15-02", "15-02 District < 15 < CEC");
        check("15-02-0034", "15-02-0034 Precinct < 15-02 < 15 < CEC");
        check("17-99-9999", "17-99-9999 Precinct < 17-99 < 17 < CEC");
        check("01-01-0001", "01-01-0001 Precinct < 01-01 < 01 < CEC");
    }

    #[test]
    fn rejects_regions_past_17() {
        for (text, code) in [("18", 18), ("18-01", 18), ("18-01-0001", 18), ("99-99-9999", 99)] {
            let expect =
                format!("error: {text:?} names region {code}, but region codes are 01 to 17");
            check(text, &expect);
        }
        assert_eq!(RegionCode::new(17).map(RegionCode::get), Some(17));
        assert_eq!(RegionCode::new(18), None);
    }

    #[test]
    fn rejects_malformed_ids() {
        let shape = |text: &str| {
            format!(
                "error: {text:?} is not a commission id (expected CEC, RR, RR-DD or RR-DD-SSSS with digits, such as 15-02-0034)"
            )
        };
        for text in [
            "",
            "1",
            "1-02-0034",
            "15-2-0034",
            "15-02-034",
            "15_02_0034",
            "aa",
            "15-02-003x",
            "cec",
        ] {
            check(text, &shape(text));
        }
        check(
            "00",
            "error: \"00\" has a zero part: region codes, district and station numbers start at 1",
        );
        check(
            "15-00",
            "error: \"15-00\" has a zero part: region codes, district and station numbers start at 1",
        );
        check(
            "15-02-0000",
            "error: \"15-02-0000\" has a zero part: region codes, district and station numbers start at 1",
        );
    }

    #[test]
    fn a_station_belongs_to_its_commissions() {
        let station = StationId::parse("15-02-0034").expect("a valid id");
        for text in ["CEC", "15", "15-02", "15-02-0034"] {
            let id = CommissionId::parse(text).expect("a valid id");
            assert!(id.contains(station), "{text}");
        }
        for text in ["16", "15-03", "15-02-0035"] {
            let id = CommissionId::parse(text).expect("a valid id");
            assert!(!id.contains(station), "{text}");
        }
        assert_eq!(
            StationId::parse("15-02").map_err(|err| err.to_string()),
            Err("\"15-02\" is not the id of a polling station".to_owned())
        );
    }

    #[test]
    fn names_are_recorded_once() {
        let mut hierarchy = Hierarchy::regions_2021();
        let district = CommissionId::parse("15-02").expect("a valid id");
        assert_eq!(hierarchy.name_commission(district, "Yesil district"), Ok(()));
        assert_eq!(hierarchy.name_commission(district, "Yesil district"), Ok(()));
        let conflict = hierarchy.name_commission(district, "Saryarka district");
        assert_eq!(
            conflict.map_err(|err| err.to_string()),
            Err("commission 15-02 is named \"Yesil district\" already, not \"Saryarka district\""
                .to_owned())
        );
        let region = CommissionId::parse("15").expect("a valid id");
        assert_eq!(hierarchy.name(region).as_deref(), Some("Nur-Sultan (Astana) city"));
        assert_eq!(
            hierarchy.name_commission(region, " ").map_err(|err| err.to_string()),
            Err("the name of commission 15 is empty".to_owned())
        );
        assert_eq!(hierarchy.regions().count(), 17);
    }
}
