//! Station sets for forensics: from a station table (`saylau_formats::read_station_table`),
//! from protocols (a protocol file, the store's current protocols, the synthetic country),
//! and the store's corrected stations (first and current version).

use std::collections::BTreeMap;

use saylau_core::count::commission::{Hierarchy, Level};
use saylau_core::count::protocol::{BallotLists, Protocol};
use saylau_formats::{Diagnostic, StationTable};
use saylau_stats::forensics::station::{Station, StationSet};
use saylau_stats::forensics::versions::Correction;
use serde::Serialize;

/// Where the stations came from and what was left out on reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputSummary {
    /// The file or store the stations come from.
    pub source: String,
    /// Rows or protocols read as good stations.
    pub stations: usize,
    /// Rows rejected on reading (kept out of every test).
    pub rejected: usize,
    /// Rejected rows by rule code.
    pub rejected_by_rule: BTreeMap<String, usize>,
    /// The first diagnostics, each naming file, line, field and rule.
    pub diagnostics: Vec<String>,
}

/// How many diagnostics the summary shows.
const SHOWN_DIAGNOSTICS: usize = 20;

impl InputSummary {
    fn new(source: &str, stations: usize, rejected: &[Vec<Diagnostic>]) -> InputSummary {
        let mut rejected_by_rule = BTreeMap::new();
        for row in rejected {
            if let Some(first) = row.first() {
                *rejected_by_rule.entry(first.rule.to_string()).or_default() += 1;
            }
        }
        InputSummary {
            source: source.to_owned(),
            stations,
            rejected: rejected.len(),
            rejected_by_rule,
            diagnostics: rejected
                .iter()
                .flatten()
                .take(SHOWN_DIAGNOSTICS)
                .map(ToString::to_string)
                .collect(),
        }
    }
}

/// The stations of a station table.
pub fn from_table(source: &str, table: StationTable) -> (StationSet, InputSummary) {
    let rejected: Vec<Vec<Diagnostic>> =
        table.rejected.into_iter().map(|row| row.diagnostics).collect();
    let summary = InputSummary::new(source, table.rows.len(), &rejected);
    let stations = table
        .rows
        .into_iter()
        .map(|row| Station {
            id: row.id,
            region: row.region,
            commission: row.commission,
            voters: row.voters,
            given: row.given,
            valid: row.valid,
            invalid: row.invalid,
            votes: row.votes,
            other_lines: row.other_lines,
        })
        .collect();
    (StationSet { lists: table.lists, stations }, summary)
}

/// The stations of validated protocols: the region and district commission group them,
/// ballots issued are lines 3 + 4 (in and outside the station).
pub fn from_protocols(
    source: &str,
    ballot: &BallotLists,
    hierarchy: &Hierarchy,
    protocols: &[Protocol],
    rejected: &[Vec<Diagnostic>],
) -> (StationSet, InputSummary) {
    let stations = protocols.iter().map(|protocol| station_of(hierarchy, protocol)).collect();
    let lists = ballot.lists().iter().map(|list| list.name.clone()).collect();
    (StationSet { lists, stations }, InputSummary::new(source, protocols.len(), rejected))
}

/// A protocol as a station: the region and district commission group it, ballots issued are
/// lines 3 + 4, and lines 2, 5, 6 and "against all" are the other lines.
pub fn station_of(hierarchy: &Hierarchy, protocol: &Protocol) -> Station {
    let lines = protocol.lines();
    let station = protocol.station();
    let region = station.commission(Level::Region);
    let district = station.commission(Level::District);
    Station {
        id: station.to_string(),
        region: hierarchy.name(region).unwrap_or_else(|| region.to_string()),
        commission: district.to_string(),
        voters: lines.voters_on_roll.0,
        given: lines.issued().0,
        valid: lines.valid.0,
        invalid: lines.invalid.0,
        votes: lines.list_votes.iter().map(|votes| votes.0).collect(),
        other_lines: vec![
            lines.ballots_received.0,
            lines.cancelled.0,
            lines.found_in_boxes.0,
            lines.against_all.0,
        ],
    }
}

/// A corrected station from its first and current protocol versions.
pub fn correction(
    hierarchy: &Hierarchy,
    first: &Protocol,
    current: &Protocol,
    versions: u64,
) -> Correction {
    Correction {
        first: station_of(hierarchy, first),
        current: station_of(hierarchy, current),
        versions,
    }
}
