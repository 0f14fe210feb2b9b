//! Sums of protocols up the commission hierarchy: a territorial commission's or the CEC's
//! totals, and the contest they decide.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ballot::BallotLists;
use super::control::Protocol;
use super::lines::ProtocolLines;
use crate::commission::{CommissionId, Level};
use crate::contest::{Ballots, Contest, ContestError, List};
use crate::votes::{Seats, Votes};

/// Why protocols cannot be summed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TotalsError {
    /// Protocols or totals of ballots with different numbers of lists.
    #[error("totals of {expected} lists cannot take protocols of {found} lists")]
    ListCount {
        /// Lists in the totals.
        expected: usize,
        /// Lists in what was added.
        found: usize,
    },
    /// A sum does not fit in 64 bits.
    #[error("a total does not fit in 64 bits")]
    Overflow,
}

/// The sums of the protocols of some stations: a territorial commission's or the CEC's
/// tabulation (art. 94 p. 2). Sums of consistent protocols satisfy the same relations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtocolTotals {
    stations: u64,
    lines: ProtocolLines,
}

impl ProtocolTotals {
    /// Zero stations, for a ballot of `n_lists` lists.
    pub fn new(n_lists: usize) -> ProtocolTotals {
        let lines =
            ProtocolLines { list_votes: vec![Votes(0); n_lists], ..ProtocolLines::default() };
        ProtocolTotals { stations: 0, lines }
    }

    /// The totals of `protocols` (a slice, or references into the caller's own records).
    pub fn of<'a>(
        protocols: impl IntoIterator<Item = &'a Protocol>,
        n_lists: usize,
    ) -> Result<ProtocolTotals, TotalsError> {
        let mut res = ProtocolTotals::new(n_lists);
        for protocol in protocols {
            res.add(protocol)?;
        }
        Ok(res)
    }

    /// Adds one protocol.
    pub fn add(&mut self, protocol: &Protocol) -> Result<(), TotalsError> {
        self.add_lines(protocol.lines(), 1)
    }

    /// Adds other totals: a district's to its region's, for example.
    pub fn merge(&mut self, other: &ProtocolTotals) -> Result<(), TotalsError> {
        self.add_lines(&other.lines, other.stations)
    }

    fn add_lines(&mut self, lines: &ProtocolLines, stations: u64) -> Result<(), TotalsError> {
        let expected = self.lines.list_votes.len();
        if lines.list_votes.len() != expected {
            return Err(TotalsError::ListCount { expected, found: lines.list_votes.len() });
        }
        let mut sum = self.clone();
        let add = |total: &mut u64, value: u64| -> Result<(), TotalsError> {
            *total = total.checked_add(value).ok_or(TotalsError::Overflow)?;
            Ok(())
        };
        add(&mut sum.stations, stations)?;
        let totals = &mut sum.lines;
        add(&mut totals.voters_on_roll.0, lines.voters_on_roll.0)?;
        add(&mut totals.ballots_received.0, lines.ballots_received.0)?;
        add(&mut totals.issued_in_station.0, lines.issued_in_station.0)?;
        add(&mut totals.issued_outside.0, lines.issued_outside.0)?;
        add(&mut totals.cancelled.0, lines.cancelled.0)?;
        add(&mut totals.found_in_boxes.0, lines.found_in_boxes.0)?;
        add(&mut totals.invalid.0, lines.invalid.0)?;
        add(&mut totals.valid.0, lines.valid.0)?;
        add(&mut totals.against_all.0, lines.against_all.0)?;
        for (total, votes) in totals.list_votes.iter_mut().zip(&lines.list_votes) {
            add(&mut total.0, votes.0)?;
        }
        *self = sum;
        Ok(())
    }

    /// How many station protocols were summed.
    pub fn stations(&self) -> u64 {
        self.stations
    }

    /// The summed lines.
    pub fn lines(&self) -> &ProtocolLines {
        &self.lines
    }

    /// The contest these totals decide (art. 97-1): each list's votes, participants =
    /// ballots found in the boxes (line 6), and "against all" (line 9).
    pub fn contest(
        &self,
        name: &str,
        seats: Seats,
        ballot: &BallotLists,
    ) -> Result<Contest, ContestError> {
        let lists = ballot
            .lists()
            .iter()
            .zip(&self.lines.list_votes)
            .map(|(list, votes)| List {
                id: list.id.clone(),
                name: list.name.clone(),
                votes: *votes,
                threshold: None,
            })
            .collect();
        let ballots = Ballots {
            participants: Some(Votes(self.lines.found_in_boxes.0)),
            against_all: self.lines.against_all,
        };
        Contest::new(name, seats, lists, ballots)
    }
}

/// The totals of every commission at `level` that has stations among `protocols` (a slice,
/// or references into the caller's own records), by id: one step of the tabulation up the
/// hierarchy.
pub fn tabulate<'a>(
    protocols: impl IntoIterator<Item = &'a Protocol>,
    n_lists: usize,
    level: Level,
) -> Result<BTreeMap<CommissionId, ProtocolTotals>, TotalsError> {
    let mut res: BTreeMap<CommissionId, ProtocolTotals> = BTreeMap::new();
    for protocol in protocols {
        let commission = protocol.station().commission(level);
        res.entry(commission).or_insert_with(|| ProtocolTotals::new(n_lists)).add(protocol)?;
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commission::StationId;
    use crate::protocol::ballot::BallotList;
    use crate::protocol::control::violations;
    use crate::protocol::lines::{TEST_GOOD_LINES, test_lines};
    use crate::votes::ListId;

    #[test]
    fn totals_become_a_contest() {
        let ballot = BallotLists::new(vec![
            BallotList { id: ListId::new("a"), name: "A".to_owned() },
            BallotList { id: ListId::new("b"), name: "B".to_owned() },
        ])
        .expect("a valid ballot");
        let station = StationId::parse("01-03-0034").expect("a valid id");
        let other = StationId::parse("01-04-0001").expect("a valid id");
        let protocols = [
            Protocol::new(station, test_lines(TEST_GOOD_LINES), &ballot).expect("consistent"),
            Protocol::new(other, test_lines(TEST_GOOD_LINES), &ballot).expect("consistent"),
        ];
        let totals = ProtocolTotals::of(&protocols, 2).expect("same ballot");
        assert_eq!(totals.stations(), 2);
        assert!(violations(station, totals.lines(), 2).is_empty());
        let contest = totals.contest("test", Seats(10), &ballot).expect("a valid contest");
        assert_eq!(contest.ballots().participants, Some(Votes(2420)));
        assert_eq!(contest.ballots().against_all, Votes(16));
        assert_eq!(contest.list_votes(), Votes(2380));
        let by_district = tabulate(&protocols, 2, Level::District).expect("same ballot");
        let ids: Vec<String> = by_district.keys().map(ToString::to_string).collect();
        assert_eq!(ids, ["01-03", "01-04"]);
        let mut wrong = ProtocolTotals::new(3);
        assert_eq!(wrong.add(&protocols[0]), Err(TotalsError::ListCount { expected: 3, found: 2 }));
    }
}
