//! The numbered lines of the protocol form and the numbers written on them.

use serde::Serialize;

use crate::seats::votes::Votes;

/// A number of voters (избиратели), such as those on the roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct VoterCount(pub u64);

/// A number of ballot papers (избирательные бюллетени).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct BallotCount(pub u64);

/// The largest number a single protocol line may hold, 4,294,967,295 (rule `P-7`): far
/// above any station, and small enough that totals of billions of protocols stay exact
/// in 64 bits.
pub const MAX_LINE: u64 = 4_294_967_295;

/// A numbered line of the protocol (`docs/protocol.md`, "Lines").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Line {
    /// 1: voters on the roll, the additional list included (art. 43).
    VotersOnRoll,
    /// 2: ballots the commission received (art. 37 p. 3).
    BallotsReceived,
    /// 3: ballots issued to voters in the polling station.
    IssuedInStation,
    /// 4: ballots issued to voters outside it, into the mobile box (art. 41).
    IssuedOutside,
    /// 5: unused ballots, counted and cancelled (погашенные) before the boxes are opened.
    Cancelled,
    /// 6: ballots found in the boxes: the voters who took part (art. 97-1 p. 1).
    FoundInBoxes,
    /// 7: invalid ballots (недействительные), art. 43.
    Invalid,
    /// 8: valid ballots.
    Valid,
    /// 9: votes "against all" (против всех), on the ballot since May 2021.
    AgainstAll,
    /// 10.k: votes for the `k`-th list on the ballot, from 0 here (line 10.1 is `List(0)`).
    List(usize),
}

impl Line {
    /// The lines before the list lines, in order.
    pub const FIXED: [Line; 9] = [
        Line::VotersOnRoll,
        Line::BallotsReceived,
        Line::IssuedInStation,
        Line::IssuedOutside,
        Line::Cancelled,
        Line::FoundInBoxes,
        Line::Invalid,
        Line::Valid,
        Line::AgainstAll,
    ];

    /// The line's number on the form: `6`, or `10.2` for the second list.
    pub fn number(self) -> String {
        match self {
            Line::List(idx) => format!("10.{}", idx + 1),
            fixed => {
                let position = Line::FIXED.iter().position(|line| *line == fixed);
                (position.map_or(0, |idx| idx + 1)).to_string()
            }
        }
    }

    /// What the line counts, for messages: `found in boxes`.
    pub fn label(self) -> &'static str {
        match self {
            Line::VotersOnRoll => "voters on the roll",
            Line::BallotsReceived => "ballots received",
            Line::IssuedInStation => "issued in the station",
            Line::IssuedOutside => "issued outside",
            Line::Cancelled => "cancelled",
            Line::FoundInBoxes => "found in boxes",
            Line::Invalid => "invalid",
            Line::Valid => "valid",
            Line::AgainstAll => "against all",
            Line::List(_) => "list votes",
        }
    }

    /// The line's key in files: `found_in_boxes`; list lines are keyed by the list's id.
    pub fn key(self) -> &'static str {
        match self {
            Line::VotersOnRoll => "voters_on_roll",
            Line::BallotsReceived => "ballots_received",
            Line::IssuedInStation => "issued_in_station",
            Line::IssuedOutside => "issued_outside",
            Line::Cancelled => "cancelled",
            Line::FoundInBoxes => "found_in_boxes",
            Line::Invalid => "invalid",
            Line::Valid => "valid",
            Line::AgainstAll => "against_all",
            Line::List(_) => "list",
        }
    }
}

/// The numbers of a protocol as written, before any check.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ProtocolLines {
    /// Line 1.
    pub voters_on_roll: VoterCount,
    /// Line 2.
    pub ballots_received: BallotCount,
    /// Line 3.
    pub issued_in_station: BallotCount,
    /// Line 4.
    pub issued_outside: BallotCount,
    /// Line 5.
    pub cancelled: BallotCount,
    /// Line 6.
    pub found_in_boxes: BallotCount,
    /// Line 7.
    pub invalid: BallotCount,
    /// Line 8.
    pub valid: BallotCount,
    /// Line 9.
    pub against_all: Votes,
    /// Lines 10.1, 10.2, ...: one per list, in ballot order.
    pub list_votes: Vec<Votes>,
}

impl ProtocolLines {
    /// The value of `line`; zero for a list line the protocol does not have.
    pub fn get(&self, line: Line) -> u64 {
        match line {
            Line::VotersOnRoll => self.voters_on_roll.0,
            Line::BallotsReceived => self.ballots_received.0,
            Line::IssuedInStation => self.issued_in_station.0,
            Line::IssuedOutside => self.issued_outside.0,
            Line::Cancelled => self.cancelled.0,
            Line::FoundInBoxes => self.found_in_boxes.0,
            Line::Invalid => self.invalid.0,
            Line::Valid => self.valid.0,
            Line::AgainstAll => self.against_all.0,
            Line::List(idx) => self.list_votes.get(idx).map_or(0, |votes| votes.0),
        }
    }

    /// Every line in form order with its value.
    pub fn iter(&self) -> impl Iterator<Item = (Line, u64)> + '_ {
        let lists = (0..self.list_votes.len()).map(Line::List);
        Line::FIXED.into_iter().chain(lists).map(|line| (line, self.get(line)))
    }

    /// Lines 3 + 4: all ballots issued to voters (saturating at `u64::MAX` on lines that
    /// were never checked).
    pub fn issued(&self) -> BallotCount {
        BallotCount(self.issued_in_station.0.saturating_add(self.issued_outside.0))
    }

    /// Lines 10.k summed (saturating, as [`ProtocolLines::issued`]).
    pub fn list_total(&self) -> Votes {
        Votes(self.list_votes.iter().fold(0u64, |sum, votes| sum.saturating_add(votes.0)))
    }
}

/// Test data: lines from `key=value` pairs: `roll`, `received`, `in`, `out`, `cancelled`,
/// `found`, `invalid`, `valid`, `against` and `lists=600,400`.
#[cfg(test)]
pub(super) fn test_lines(text: &str) -> ProtocolLines {
    let mut res = ProtocolLines::default();
    for pair in text.split_whitespace() {
        let (key, value) = pair.split_once('=').expect("key=value");
        if key == "lists" {
            res.list_votes =
                value.split(',').map(|votes| Votes(votes.parse().expect("a number"))).collect();
            continue;
        }
        let value: u64 = value.parse().expect("a number");
        match key {
            "roll" => res.voters_on_roll = VoterCount(value),
            "received" => res.ballots_received = BallotCount(value),
            "in" => res.issued_in_station = BallotCount(value),
            "out" => res.issued_outside = BallotCount(value),
            "cancelled" => res.cancelled = BallotCount(value),
            "found" => res.found_in_boxes = BallotCount(value),
            "invalid" => res.invalid = BallotCount(value),
            "valid" => res.valid = BallotCount(value),
            "against" => res.against_all = Votes(value),
            _ => panic!("unknown key {key}"),
        }
    }
    res
}

/// Test data: a consistent protocol of two lists; each case changes some lines of it.
#[cfg(test)]
pub(super) const TEST_GOOD_LINES: &str = "roll=1500 received=1515 in=1180 out=30 \
    cancelled=305 found=1210 invalid=12 valid=1198 against=8 lists=790,400";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_as_documented() {
        let numbered: Vec<String> = test_lines(TEST_GOOD_LINES)
            .iter()
            .map(|(line, value)| format!("{} {} {value}", line.number(), line.key()))
            .collect();
        assert_eq!(
            numbered.join("; "),
            "1 voters_on_roll 1500; 2 ballots_received 1515; 3 issued_in_station 1180; \
             4 issued_outside 30; 5 cancelled 305; 6 found_in_boxes 1210; 7 invalid 12; \
             8 valid 1198; 9 against_all 8; 10.1 list 790; 10.2 list 400"
        );
    }
}
