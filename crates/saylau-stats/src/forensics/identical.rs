//! Identical protocols within a commission: stations of the same region and commission whose
//! whole protocol (roll, every ballot line, invalid, valid and every list's votes) is the
//! same. Copying one protocol for several stations is a known shortcut of falsifiers; no
//! published comparator exists, so the counts are a baseline, not a verdict.

use std::collections::HashMap;

use serde::Serialize;

use super::explain::{Explanation, Selection};
use super::station::StationSet;

/// A group of identical protocols.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The region.
    pub region: String,
    /// The commission.
    pub commission: String,
    /// The stations' ids, in input order.
    pub stations: Vec<String>,
    /// The shared roll.
    pub voters: u64,
}

/// The result of the identical-protocol test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identical {
    /// Definition, assumptions and artifacts.
    pub explanation: Explanation,
    /// Stations kept and dropped.
    pub selection: Selection,
    /// Groups of two or more identical protocols, largest first.
    pub groups: Vec<Group>,
    /// Stations in those groups.
    pub stations_in_groups: usize,
}

/// Finds identical protocols within each (region, commission).
pub fn identical(set: &StationSet) -> Identical {
    let mut selection = Selection::default();
    let mut by_key: HashMap<(&str, &str, Vec<u64>), Vec<usize>> = HashMap::new();
    for (idx, station) in set.stations.iter().enumerate() {
        if station.voters == 0 && station.cast() == 0 {
            selection.drop_for("an empty protocol (no voters, no ballots)");
            continue;
        }
        selection.kept += 1;
        let mut key = vec![station.voters, station.given, station.valid, station.invalid];
        key.extend(&station.votes);
        key.extend(&station.other_lines);
        by_key.entry((&station.region, &station.commission, key)).or_default().push(idx);
    }
    let mut groups: Vec<Group> = by_key
        .into_values()
        .filter(|members| members.len() > 1)
        .map(|members| {
            let first = &set.stations[members[0]];
            Group {
                region: first.region.clone(),
                commission: first.commission.clone(),
                voters: first.voters,
                stations: members.iter().map(|&idx| set.stations[idx].id.clone()).collect(),
            }
        })
        .collect();
    groups
        .sort_by(|a, b| b.stations.len().cmp(&a.stations.len()).then(a.stations.cmp(&b.stations)));
    let stations_in_groups = groups.iter().map(|group| group.stations.len()).sum();
    Identical { explanation: explanation(), selection, groups, stations_in_groups }
}

fn explanation() -> Explanation {
    Explanation::new(
        "groups of stations in the same region and commission whose full protocols are identical",
        &[
            "stations kept: all but empty protocols (no voters and no ballots)",
            "two honest counts of hundreds of voters rarely agree on every line",
        ],
        &[
            "tiny stations (a few voters, a ship, a hospital) can agree by chance",
            "a source that duplicated rows when scraping produces the same pattern",
        ],
    )
}
