//! What a generated country holds: its summary for `saylau generate --json`, and the
//! ground truth as CSV.

use saylau_core::count::commission::Level;
use saylau_core::count::protocol::ProtocolLines;
use serde::Serialize;

use super::generation::SyntheticCountry;
use super::options::Seed;

/// A summary of a synthetic country, for `saylau generate --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Always true: this is not real data.
    pub synthetic: bool,
    /// The seed.
    pub seed: Seed,
    /// Regions.
    pub regions: usize,
    /// District and city commissions.
    pub districts: usize,
    /// Polling stations.
    pub stations: usize,
    /// Voters on the rolls (line 1 summed).
    pub voters_on_roll: u64,
    /// Ballots found in the boxes (line 6 summed).
    pub participants: u64,
    /// Invalid ballots (line 7 summed).
    pub invalid: u64,
    /// Votes per list (lines 10.k summed), in ballot order.
    pub list_votes: Vec<ListVotes>,
    /// Stations manipulated.
    pub manipulated: usize,
    /// Observer copies.
    pub observer_copies: usize,
    /// Smallest and largest roll of a station.
    pub roll_range: (u64, u64),
}

/// A list's votes in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListVotes {
    /// The list's id.
    pub id: String,
    /// Its votes.
    pub votes: u64,
}

impl SyntheticCountry {
    /// The summary of the published protocols.
    pub fn summary(&self) -> Summary {
        let sum = |pick: fn(&ProtocolLines) -> u64| -> u64 {
            self.protocols.iter().map(|protocol| pick(protocol.lines())).sum()
        };
        let list_votes = self
            .ballot
            .lists()
            .iter()
            .enumerate()
            .map(|(idx, list)| {
                let votes =
                    self.protocols.iter().map(|protocol| protocol.lines().list_votes[idx].0).sum();
                ListVotes { id: list.id.to_string(), votes }
            })
            .collect();
        let rolls = self.protocols.iter().map(|protocol| protocol.lines().voters_on_roll.0);
        let roll_range = (rolls.clone().min().unwrap_or_default(), rolls.max().unwrap_or_default());
        let districts = self
            .protocols
            .iter()
            .map(|protocol| protocol.station().commission(Level::District))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        Summary {
            synthetic: true,
            seed: self.seed,
            regions: self.hierarchy.regions().count(),
            districts,
            stations: self.protocols.len(),
            voters_on_roll: sum(|lines| lines.voters_on_roll.0),
            participants: sum(|lines| lines.found_in_boxes.0),
            invalid: sum(|lines| lines.invalid.0),
            list_votes,
            manipulated: self
                .ground_truth
                .iter()
                .filter(|truth| truth.manipulation.is_some())
                .count(),
            observer_copies: self.observer_copies.len(),
            roll_range,
        }
    }

    /// The ground truth as CSV: a `# saylau-ground-truth v1` marker, the notes, then one
    /// row per station: `station,manipulated,added_ballots,beneficiary,observed`.
    pub fn ground_truth_csv(&self) -> String {
        let beneficiary = self.ballot.lists()[0].id.as_str();
        let mut res = String::from("# saylau-ground-truth v1\n");
        for note in &self.notes {
            res.push_str(&format!("# {note}\n"));
        }
        res.push_str("station,manipulated,added_ballots,beneficiary,observed\n");
        for truth in &self.ground_truth {
            let (manipulated, added, list) = match truth.manipulation {
                Some(manipulation) => ("true", manipulation.added_ballots.0, beneficiary),
                None => ("false", 0, ""),
            };
            res.push_str(&format!(
                "{},{manipulated},{added},{list},{}\n",
                truth.station, truth.observed
            ));
        }
        res
    }
}
