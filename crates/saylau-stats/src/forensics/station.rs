//! The input of every forensic test: polling stations with their roll, ballots and votes.

use serde::Serialize;

/// One polling station's results (the numbers of its protocol that the tests use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Station {
    /// The station's id as in the source.
    pub id: String,
    /// The region (federal subject, oblast), as text.
    pub region: String,
    /// The commission one level up (TIK, district TEC) that groups stations.
    pub commission: String,
    /// Voters on the roll.
    pub voters: u64,
    /// Ballots issued (the turnout numerator).
    pub given: u64,
    /// Valid ballots.
    pub valid: u64,
    /// Invalid ballots.
    pub invalid: u64,
    /// Votes per list or candidate, in the order of [`StationSet::lists`].
    pub votes: Vec<u64>,
    /// Other protocol lines (ballots received, cancelled, ...), compared only by the
    /// identical-protocol test.
    pub other_lines: Vec<u64>,
}

impl Station {
    /// Ballots found in the boxes: valid + invalid (the leader-share denominator).
    pub fn cast(&self) -> u64 {
        self.valid + self.invalid
    }
}

/// Stations of one election, and the names of its lists or candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationSet {
    /// List or candidate names, in column order.
    pub lists: Vec<String>,
    /// The stations.
    pub stations: Vec<Station>,
}

impl StationSet {
    /// Total votes per list.
    pub fn list_totals(&self) -> Vec<u64> {
        let mut totals = vec![0u64; self.lists.len()];
        for station in &self.stations {
            for (total, votes) in totals.iter_mut().zip(&station.votes) {
                *total += votes;
            }
        }
        totals
    }

    /// The list with the most votes (the first one on a tie), or `None` without lists.
    pub fn largest_list(&self) -> Option<usize> {
        let totals = self.list_totals();
        (0..totals.len()).max_by(|&a, &b| totals[a].cmp(&totals[b]).then(b.cmp(&a)))
    }

    /// The index of the list named `name`.
    pub fn list_index(&self, name: &str) -> Option<usize> {
        self.lists.iter().position(|list| list == name)
    }

    /// Official aggregates over all stations, with `leader` as the leading list.
    pub fn official(&self, leader: usize) -> Official {
        let mut res = Official::default();
        for station in &self.stations {
            res.voters += station.voters;
            res.given += station.given;
            res.cast += station.cast();
            res.valid += station.valid;
            res.leader_votes += station.votes[leader];
        }
        res.turnout = percent(res.given, res.voters);
        res.leader_share = percent(res.leader_votes, res.cast);
        res.leader_share_of_valid = percent(res.leader_votes, res.valid);
        res
    }
}

/// Sums over all stations, as the election commission would print them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Official {
    /// Voters on the rolls.
    pub voters: u64,
    /// Ballots issued.
    pub given: u64,
    /// Ballots found in the boxes (valid + invalid).
    pub cast: u64,
    /// Valid ballots.
    pub valid: u64,
    /// The leader's votes.
    pub leader_votes: u64,
    /// Turnout: ballots issued / voters, in percent.
    pub turnout: f64,
    /// The leader's share of ballots cast (valid + invalid), in percent (the CEC convention).
    pub leader_share: f64,
    /// The leader's share of valid ballots, in percent.
    pub leader_share_of_valid: f64,
}

/// `100 · part / whole`, 0 for an empty whole.
pub fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 }
}

/// `part / whole` as a float, 0 for an empty whole.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}
