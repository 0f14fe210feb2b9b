//! The sampling frame of a quick count: every polling station with its voters on the roll
//! and its attributes (region, district, and any others such as town or village), and the
//! figures a station's protocol contributes to the estimates.

use std::collections::BTreeMap;

use saylau_core::count::commission::{CommissionId, Level, StationId};
use saylau_core::count::protocol::Protocol;

/// The attribute every station has from its id: its region, such as `01`.
pub const REGION: &str = "region";
/// The attribute every station has from its id: its district, such as `01-03`.
pub const DISTRICT: &str = "district";

/// One station of the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameStation {
    /// The station.
    pub station: StationId,
    /// Voters on its roll (line 1 of its last protocol, or the register).
    pub voters_on_roll: u64,
    /// The values of the frame's extra attributes, in the order of
    /// [`Frame::attribute_names`].
    pub attributes: Vec<String>,
}

/// Every station that can be sampled, in the order of their ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    attribute_names: Vec<String>,
    stations: Vec<FrameStation>,
    index: BTreeMap<StationId, usize>,
}

/// Why a frame or a stratification cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The frame has no station.
    #[error("the frame has no station")]
    Empty,
    /// A station is in the frame twice.
    #[error("station {0} is in the frame twice")]
    DuplicateStation(StationId),
    /// A station has a different number of attribute values than the frame has names.
    #[error("station {station} has {found} attribute values, the frame names {expected}")]
    AttributeCount {
        /// The station.
        station: StationId,
        /// Values found.
        found: usize,
        /// Names in the frame.
        expected: usize,
    },
    /// An attribute name is used twice, or is `region` or `district`.
    #[error("attribute {0:?} is named twice (region and district come from the station id)")]
    DuplicateAttribute(String),
    /// Strata by an attribute the frame does not have.
    #[error("the frame has no attribute {name:?} (it has: {known})")]
    UnknownAttribute {
        /// The attribute asked for.
        name: String,
        /// The attributes it has.
        known: String,
    },
}

impl Frame {
    /// A frame of `stations` with extra attributes `attribute_names`; the stations are
    /// sorted by id.
    pub fn new(
        attribute_names: Vec<String>,
        mut stations: Vec<FrameStation>,
    ) -> Result<Frame, FrameError> {
        for (idx, name) in attribute_names.iter().enumerate() {
            if name == REGION || name == DISTRICT || attribute_names[..idx].contains(name) {
                return Err(FrameError::DuplicateAttribute(name.clone()));
            }
        }
        if stations.is_empty() {
            return Err(FrameError::Empty);
        }
        stations.sort_by_key(|it| it.station);
        let mut index = BTreeMap::new();
        for (idx, it) in stations.iter().enumerate() {
            if it.attributes.len() != attribute_names.len() {
                return Err(FrameError::AttributeCount {
                    station: it.station,
                    found: it.attributes.len(),
                    expected: attribute_names.len(),
                });
            }
            if index.insert(it.station, idx).is_some() {
                return Err(FrameError::DuplicateStation(it.station));
            }
        }
        Ok(Frame { attribute_names, stations, index })
    }

    /// The names of the extra attributes (besides `region` and `district`).
    pub fn attribute_names(&self) -> &[String] {
        &self.attribute_names
    }

    /// The stations, by id.
    pub fn stations(&self) -> &[FrameStation] {
        &self.stations
    }

    /// The position of `station` in [`Frame::stations`].
    pub fn position(&self, station: StationId) -> Option<usize> {
        self.index.get(&station).copied()
    }

    /// Checks that every name in `by` is an attribute of the frame.
    pub fn check_attributes(&self, by: &[String]) -> Result<(), FrameError> {
        for name in by {
            if name != REGION && name != DISTRICT && !self.attribute_names.contains(name) {
                let mut known = vec![REGION.to_owned(), DISTRICT.to_owned()];
                known.extend(self.attribute_names.iter().cloned());
                return Err(FrameError::UnknownAttribute {
                    name: name.clone(),
                    known: known.join(", "),
                });
            }
        }
        Ok(())
    }

    /// The values of the attributes `by` at the station in position `idx` (names checked
    /// with [`Frame::check_attributes`]; an unknown name gives an empty value).
    pub fn values(&self, idx: usize, by: &[String]) -> Vec<String> {
        let it = &self.stations[idx];
        by.iter()
            .map(|name| match name.as_str() {
                REGION => it.station.commission(Level::Region).to_string(),
                DISTRICT => CommissionId::District(it.station.district()).to_string(),
                _ => self
                    .attribute_names
                    .iter()
                    .position(|known| known == name)
                    .map_or_else(String::new, |pos| it.attributes[pos].clone()),
            })
            .collect()
    }
}

/// What a quick count estimates: turnout, or one list's share of the valid ballots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Figure {
    /// Ballots found in the boxes (line 6) over voters on the roll (line 1).
    Turnout,
    /// Votes for the list at this position on the ballot (line 10.k) over valid ballots
    /// (line 8), the base of the threshold in 2021 (art. 97-1).
    List(usize),
}

/// The lines of one station's protocol that the estimates use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationCounts {
    /// Line 1.
    pub voters_on_roll: u64,
    /// Line 6.
    pub participants: u64,
    /// Line 8.
    pub valid: u64,
    /// Lines 10.k in ballot order.
    pub lists: Vec<u64>,
}

impl StationCounts {
    /// The counts of a checked protocol.
    pub fn of(protocol: &Protocol) -> StationCounts {
        let lines = protocol.lines();
        StationCounts {
            voters_on_roll: lines.voters_on_roll.0,
            participants: lines.found_in_boxes.0,
            valid: lines.valid.0,
            lists: lines.list_votes.iter().map(|votes| votes.0).collect(),
        }
    }

    /// The numerator and denominator of `figure` at this station.
    pub fn ratio_parts(&self, figure: Figure) -> (u64, u64) {
        match figure {
            Figure::Turnout => (self.participants, self.voters_on_roll),
            Figure::List(idx) => (self.lists.get(idx).copied().unwrap_or(0), self.valid),
        }
    }
}

/// Turnout, then every list in ballot order.
pub fn figures(n_lists: usize) -> Vec<Figure> {
    std::iter::once(Figure::Turnout).chain((0..n_lists).map(Figure::List)).collect()
}

/// The frame split into strata by the values of some attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strata {
    /// The attributes, in order.
    pub by: Vec<String>,
    /// Each stratum's values of the attributes, sorted.
    pub values: Vec<Vec<String>>,
    /// The stratum of each station of the frame.
    pub of_station: Vec<usize>,
    /// Each stratum's number of stations.
    pub populations: Vec<u64>,
}

impl Strata {
    /// The id of stratum `idx`: its values joined by `/`, such as `01/town`.
    pub fn id(&self, idx: usize) -> String {
        self.values[idx].join("/")
    }
}

/// Splits the frame into strata by the attributes `by` (at least one).
pub fn strata(frame: &Frame, by: &[String]) -> Result<Strata, FrameError> {
    frame.check_attributes(by)?;
    let keys: Vec<Vec<String>> =
        (0..frame.stations().len()).map(|idx| frame.values(idx, by)).collect();
    let values: Vec<Vec<String>> =
        keys.iter().cloned().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut populations = vec![0u64; values.len()];
    let of_station: Vec<usize> = keys
        .iter()
        .map(|key| {
            let idx = values.binary_search(key).expect("every key is among the values");
            populations[idx] += 1;
            idx
        })
        .collect();
    Ok(Strata { by: by.to_vec(), values, of_station, populations })
}
