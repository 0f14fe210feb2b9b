//! Sums of protocols up the commission hierarchy: a territorial commission's or the CEC's
//! totals, and the contest they decide.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ballot::BallotLists;
use super::control::Protocol;
use super::lines::ProtocolLines;
use crate::count::commission::{CommissionId, Level};
use crate::seats::contest::{Ballots, Contest, ContestError, List};
use crate::seats::votes::{Seats, Votes};

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

/// Why protocol totals cannot decide an election's contest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TotalsContestError {
    /// The election's lists are not the lists on the ballot (the same ids, as many).
    #[error("the election's lists are not the lists on the ballot")]
    ListsDiffer,
    /// The contest is not valid.
    #[error(transparent)]
    Contest(#[from] ContestError),
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

    /// The totals of `protocols`, taken by reference (a country is 10,000 protocols and
    /// more: they are summed where they are, never copied).
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

    /// The ballot totals of the contest these totals decide. Art. 97-1 p. 1 measures the
    /// threshold against "the voters who took part in the voting" (принявшие участие в
    /// голосовании): the ballots found in the stationary and mobile boxes, valid and
    /// invalid (line 6, art. 44 p. 5; `docs/protocol.md`). The valid "against all" votes
    /// (против всех, art. 43 p. 1) are line 9: they count in the valid votes and never win
    /// a seat.
    pub fn ballots(&self) -> Ballots {
        Ballots {
            participants: Some(Votes(self.lines.found_in_boxes.0)),
            against_all: self.lines.against_all,
        }
    }

    /// The contest these totals decide (art. 97-1): each list on the ballot with its votes
    /// (line 10.k), and the [`ballots`](ProtocolTotals::ballots) totals.
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
        Contest::new(name, seats, lists, self.ballots())
    }

    /// The contest of an election (`template`: its name, seats and lists in its order of
    /// registration, with their names and own thresholds) with the votes of these totals.
    /// Its lists must be the lists on `ballot`: the same ids, as many; each takes the votes
    /// of its line 10.k.
    pub fn contest_for(
        &self,
        template: &Contest,
        ballot: &BallotLists,
    ) -> Result<Contest, TotalsContestError> {
        if template.lists().len() != ballot.len() {
            return Err(TotalsContestError::ListsDiffer);
        }
        let mut lists = Vec::with_capacity(template.lists().len());
        for list in template.lists() {
            let position = ballot.lists().iter().position(|it| it.id == list.id);
            let position = position.ok_or(TotalsContestError::ListsDiffer)?;
            lists.push(List { votes: self.lines.list_votes[position], ..list.clone() });
        }
        Ok(Contest::new(template.name(), template.seats(), lists, self.ballots())?)
    }
}

/// The totals of every commission at `level` that has stations among `protocols`, by id:
/// one step of the tabulation up the hierarchy.
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
    use crate::count::commission::StationId;
    use crate::count::protocol::ballot::BallotList;
    use crate::count::protocol::control::violations;
    use crate::count::protocol::lines::{TEST_GOOD_LINES, test_lines};
    use crate::seats::threshold::Percent;
    use crate::seats::votes::ListId;

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

    #[test]
    fn totals_decide_an_election_of_the_same_lists() {
        let ballot = BallotLists::new(vec![
            BallotList { id: ListId::new("a"), name: "A".to_owned() },
            BallotList { id: ListId::new("b"), name: "B".to_owned() },
        ])
        .expect("a valid ballot");
        let station = StationId::parse("01-03-0034").expect("a valid id");
        let protocol =
            Protocol::new(station, test_lines(TEST_GOOD_LINES), &ballot).expect("consistent");
        let totals = ProtocolTotals::of([&protocol], 2).expect("same ballot");
        let template_list = |id: &str, threshold: Option<Percent>| List {
            id: ListId::new(id),
            name: format!("{id} in the election file"),
            votes: Votes(0),
            threshold,
        };
        let coalition = Some(Percent::parse("10%").expect("a percentage"));
        // The election registers b before a, and gives b a threshold of its own.
        let template = Contest::new(
            "file",
            Seats(7),
            vec![template_list("b", coalition), template_list("a", None)],
            Ballots::default(),
        )
        .expect("a valid contest");
        let contest = totals.contest_for(&template, &ballot).expect("the same lists");
        let by_ballot = totals.contest("ballot", Seats(7), &ballot).expect("a valid contest");
        assert_eq!(contest.lists()[0].votes, by_ballot.lists()[1].votes);
        assert_eq!(contest.lists()[1].votes, by_ballot.lists()[0].votes);
        assert_eq!(contest.lists()[0].threshold, coalition);
        assert_eq!(contest.lists()[0].name, "b in the election file");
        assert_eq!((contest.name(), contest.seats()), ("file", Seats(7)));
        assert_eq!(contest.ballots(), by_ballot.ballots());
        let other = Contest::new(
            "file",
            Seats(7),
            vec![template_list("a", None), template_list("c", None)],
            Ballots::default(),
        )
        .expect("a valid contest");
        assert_eq!(totals.contest_for(&other, &ballot), Err(TotalsContestError::ListsDiffer));
        let fewer =
            Contest::new("file", Seats(7), vec![template_list("a", None)], Ballots::default())
                .expect("a valid contest");
        assert_eq!(totals.contest_for(&fewer, &ballot), Err(TotalsContestError::ListsDiffer));
    }
}
