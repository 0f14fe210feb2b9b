//! The results protocol of a precinct commission for the Mazhilis party-list vote, its
//! control relations, and totals up the commission hierarchy.
//!
//! After the count (Constitutional Law "On Elections" No. 2464, art. 43) a precinct
//! commission writes a protocol (протокол об итогах голосования) and sends it to the
//! territorial commission above it (art. 94 p. 1). saylau numbers its lines as in
//! [`Line`] and checks the arithmetic every such protocol must satisfy, the control
//! relations `P-1` to `P-5` of `docs/protocol.md`; a protocol that fails one is not a
//! [`Protocol`]. [`ProtocolTotals`] sums protocols for a territorial commission or the
//! CEC and becomes the [`Contest`] that seats are allocated from (art. 97-1).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::commission::{CommissionId, Level, StationId};
use crate::contest::{Ballots, Contest, ContestError, List};
use crate::votes::{ListId, Seats, Votes};

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

/// The stable codes of the protocol rules, documented with their sources in
/// `docs/protocol.md`.
pub mod rule {
    /// Ballots received = issued in the station + issued outside + cancelled.
    pub const BALLOT_ACCOUNT: &str = "P-1";
    /// Ballots issued (in the station and outside) <= voters on the roll.
    pub const ISSUED_WITHIN_ROLL: &str = "P-2";
    /// Ballots found in the boxes <= ballots issued.
    pub const FOUND_WITHIN_ISSUED: &str = "P-3";
    /// Ballots found in the boxes = invalid + valid.
    pub const FOUND_IS_VALID_PLUS_INVALID: &str = "P-4";
    /// Valid ballots = "against all" + the votes of every list.
    pub const VALID_IS_VOTES: &str = "P-5";
    /// One vote line per list on the ballot.
    pub const LIST_LINES: &str = "P-6";
    /// No line above [`super::MAX_LINE`].
    pub const LINE_RANGE: &str = "P-7";

    /// Every protocol rule code, in order.
    pub const ALL: [&str; 7] = [
        BALLOT_ACCOUNT,
        ISSUED_WITHIN_ROLL,
        FOUND_WITHIN_ISSUED,
        FOUND_IS_VALID_PLUS_INVALID,
        VALID_IS_VOTES,
        LIST_LINES,
        LINE_RANGE,
    ];
}

/// A list on the party ballot (избирательный бюллетень для голосования за политические
/// партии), in ballot order, which the CEC decides by lot (art. 37 p. 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BallotList {
    /// Stable identifier.
    pub id: ListId,
    /// Display name.
    pub name: String,
}

/// The lists on the ballot, in ballot order: protocol line `10.k` is the `k`-th.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct BallotLists(Vec<BallotList>);

/// Why a ballot's lists are not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BallotError {
    /// No list at all.
    #[error("a ballot needs at least one list")]
    Empty,
    /// An empty identifier.
    #[error("list {0} on the ballot has an empty id")]
    EmptyId(usize),
    /// Two lists share an identifier.
    #[error("list id {0:?} is on the ballot twice")]
    Duplicate(String),
}

impl BallotLists {
    /// The lists, checked: at least one, ids not empty and unique.
    pub fn new(lists: Vec<BallotList>) -> Result<BallotLists, BallotError> {
        if lists.is_empty() {
            return Err(BallotError::Empty);
        }
        for (idx, list) in lists.iter().enumerate() {
            if list.id.as_str().is_empty() {
                return Err(BallotError::EmptyId(idx + 1));
            }
            if lists[..idx].iter().any(|earlier| earlier.id == list.id) {
                return Err(BallotError::Duplicate(list.id.to_string()));
            }
        }
        Ok(BallotLists(lists))
    }

    /// The lists in ballot order.
    pub fn lists(&self) -> &[BallotList] {
        &self.0
    }

    /// How many lists.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a ballot has at least one list.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

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

/// One broken rule of one protocol.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("station {station}: {kind} (rule {})", kind.rule())]
pub struct Violation {
    /// The polling station whose protocol it is.
    pub station: StationId,
    /// What is broken, with the numbers on both sides.
    pub kind: ViolationKind,
}

/// What a [`Violation`] breaks, with the numbers on both sides of the relation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ViolationKind {
    /// `P-1`: line 2 differs from lines 3 + 4 + 5.
    #[error(
        "line 2 (ballots received) {} differs from lines 3+4+5 (issued in the station, issued outside, cancelled) {}",
        Grouped(.received.0),
        Grouped(.accounted.0)
    )]
    BallotAccount {
        /// Line 2.
        received: BallotCount,
        /// Lines 3 + 4 + 5.
        accounted: BallotCount,
    },
    /// `P-2`: lines 3 + 4 exceed line 1.
    #[error(
        "lines 3+4 (ballots issued) {} exceed line 1 (voters on the roll) {}",
        Grouped(.issued.0),
        Grouped(.voters_on_roll.0)
    )]
    IssuedAboveRoll {
        /// Lines 3 + 4.
        issued: BallotCount,
        /// Line 1.
        voters_on_roll: VoterCount,
    },
    /// `P-3`: line 6 exceeds lines 3 + 4.
    #[error(
        "line 6 (found in boxes) {} exceeds lines 3+4 (ballots issued) {}",
        Grouped(.found.0),
        Grouped(.issued.0)
    )]
    FoundAboveIssued {
        /// Line 6.
        found: BallotCount,
        /// Lines 3 + 4.
        issued: BallotCount,
    },
    /// `P-4`: line 6 differs from lines 7 + 8.
    #[error(
        "line 6 (found in boxes) {} differs from lines 7+8 (invalid and valid) {}",
        Grouped(.found.0),
        Grouped(.counted.0)
    )]
    FoundNotCounted {
        /// Line 6.
        found: BallotCount,
        /// Lines 7 + 8.
        counted: BallotCount,
    },
    /// `P-5`: line 8 differs from line 9 plus lines 10.k.
    #[error(
        "line 8 (valid) {} differs from lines 9+10.1..10.{} (against all and list votes) {}",
        Grouped(.valid.0),
        .lists,
        Grouped(.votes.0)
    )]
    ValidNotVotes {
        /// Line 8.
        valid: BallotCount,
        /// Line 9 plus lines 10.k.
        votes: Votes,
        /// How many list lines.
        lists: usize,
    },
    /// `P-6`: not one vote line per list.
    #[error("the protocol has {found} list lines (10.k), the ballot has {expected} lists")]
    ListLines {
        /// Lists on the ballot.
        expected: usize,
        /// List lines on the protocol.
        found: usize,
    },
    /// `P-7`: a line above [`MAX_LINE`].
    #[error(
        "line {} ({}) {} exceeds the largest count a station can record, 4,294,967,295",
        .line.number(),
        .line.label(),
        Grouped(*.value)
    )]
    LineRange {
        /// The line.
        line: Line,
        /// Its value.
        value: u64,
    },
}

impl ViolationKind {
    /// The rule's stable code, such as `P-3`.
    pub fn rule(&self) -> &'static str {
        match self {
            ViolationKind::BallotAccount { .. } => rule::BALLOT_ACCOUNT,
            ViolationKind::IssuedAboveRoll { .. } => rule::ISSUED_WITHIN_ROLL,
            ViolationKind::FoundAboveIssued { .. } => rule::FOUND_WITHIN_ISSUED,
            ViolationKind::FoundNotCounted { .. } => rule::FOUND_IS_VALID_PLUS_INVALID,
            ViolationKind::ValidNotVotes { .. } => rule::VALID_IS_VOTES,
            ViolationKind::ListLines { .. } => rule::LIST_LINES,
            ViolationKind::LineRange { .. } => rule::LINE_RANGE,
        }
    }

    /// The line the relation is written about: its left-hand side.
    pub fn line(&self) -> Line {
        match self {
            ViolationKind::BallotAccount { .. } => Line::BallotsReceived,
            ViolationKind::IssuedAboveRoll { .. } => Line::IssuedInStation,
            ViolationKind::FoundAboveIssued { .. } | ViolationKind::FoundNotCounted { .. } => {
                Line::FoundInBoxes
            }
            ViolationKind::ValidNotVotes { .. } => Line::Valid,
            ViolationKind::ListLines { .. } => Line::List(0),
            ViolationKind::LineRange { line, .. } => *line,
        }
    }
}

/// Digits grouped by thousands with commas, for messages: `1,212`.
struct Grouped(u64);

impl fmt::Display for Grouped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        for (idx, digit) in digits.chars().enumerate() {
            if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
                f.write_str(",")?;
            }
            write!(f, "{digit}")?;
        }
        Ok(())
    }
}

/// Every rule `lines` breaks for a ballot of `n_lists` lists, in rule order.
///
/// A line above [`MAX_LINE`] or a wrong number of list lines (`P-6`, `P-7`) is reported
/// alone: the relations between numbers that cannot be right are not checked.
pub fn violations(station: StationId, lines: &ProtocolLines, n_lists: usize) -> Vec<Violation> {
    let mut kinds = Vec::new();
    if lines.list_votes.len() != n_lists {
        kinds.push(ViolationKind::ListLines { expected: n_lists, found: lines.list_votes.len() });
    }
    for (line, value) in lines.iter() {
        if value > MAX_LINE {
            kinds.push(ViolationKind::LineRange { line, value });
        }
    }
    if kinds.is_empty() {
        kinds = relation_violations(lines);
    }
    kinds.into_iter().map(|kind| Violation { station, kind }).collect()
}

/// The control relations `P-1` to `P-5`, on lines that are all within [`MAX_LINE`], so
/// that no sum overflows.
fn relation_violations(lines: &ProtocolLines) -> Vec<ViolationKind> {
    let mut res = Vec::new();
    let issued = lines.issued();
    let accounted = BallotCount(issued.0 + lines.cancelled.0);
    if lines.ballots_received != accounted {
        res.push(ViolationKind::BallotAccount { received: lines.ballots_received, accounted });
    }
    if issued.0 > lines.voters_on_roll.0 {
        res.push(ViolationKind::IssuedAboveRoll { issued, voters_on_roll: lines.voters_on_roll });
    }
    if lines.found_in_boxes > issued {
        res.push(ViolationKind::FoundAboveIssued { found: lines.found_in_boxes, issued });
    }
    let counted = BallotCount(lines.invalid.0 + lines.valid.0);
    if lines.found_in_boxes != counted {
        res.push(ViolationKind::FoundNotCounted { found: lines.found_in_boxes, counted });
    }
    let votes = lines.against_all + lines.list_total();
    if lines.valid.0 != votes.0 {
        res.push(ViolationKind::ValidNotVotes {
            valid: lines.valid,
            votes,
            lists: lines.list_votes.len(),
        });
    }
    res
}

/// A precinct commission's protocol whose numbers satisfy every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Protocol {
    station: StationId,
    lines: ProtocolLines,
}

impl Protocol {
    /// The protocol of `station`, or every rule its lines break for `ballot`.
    pub fn new(
        station: StationId,
        lines: ProtocolLines,
        ballot: &BallotLists,
    ) -> Result<Protocol, Vec<Violation>> {
        let found = violations(station, &lines, ballot.len());
        if found.is_empty() { Ok(Protocol { station, lines }) } else { Err(found) }
    }

    /// The polling station.
    pub fn station(&self) -> StationId {
        self.station
    }

    /// The numbers.
    pub fn lines(&self) -> &ProtocolLines {
        &self.lines
    }
}

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

    /// The totals of `protocols`.
    pub fn of(protocols: &[Protocol], n_lists: usize) -> Result<ProtocolTotals, TotalsError> {
        let mut res = ProtocolTotals::new(n_lists);
        for protocol in protocols {
            res.add(protocol)?;
        }
        Ok(res)
    }

    /// Adds one protocol.
    pub fn add(&mut self, protocol: &Protocol) -> Result<(), TotalsError> {
        self.add_lines(&protocol.lines, 1)
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

/// The totals of every commission at `level` that has stations among `protocols`, by id:
/// one step of the tabulation up the hierarchy.
pub fn tabulate(
    protocols: &[Protocol],
    n_lists: usize,
    level: Level,
) -> Result<BTreeMap<CommissionId, ProtocolTotals>, TotalsError> {
    let mut res: BTreeMap<CommissionId, ProtocolTotals> = BTreeMap::new();
    for protocol in protocols {
        let commission = protocol.station.commission(level);
        res.entry(commission).or_insert_with(|| ProtocolTotals::new(n_lists)).add(protocol)?;
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines from `key=value` pairs: `roll`, `received`, `in`, `out`, `cancelled`,
    /// `found`, `invalid`, `valid`, `against` and `lists=600,400`.
    fn lines(text: &str) -> ProtocolLines {
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

    /// A consistent protocol of two lists; each case changes some lines of it.
    const GOOD: &str = "roll=1500 received=1515 in=1180 out=30 cancelled=305 found=1210 \
                        invalid=12 valid=1198 against=8 lists=790,400";

    fn check(changes: &str, expect: &str) {
        let station = StationId::parse("01-03-0034").expect("a valid id");
        let text = format!("{GOOD} {changes}");
        let found = violations(station, &lines(&text), 2);
        let actual: Vec<String> = found.iter().map(ToString::to_string).collect();
        let actual = if actual.is_empty() { "ok".to_owned() } else { actual.join("\n") };
        assert_eq!(actual, expect, "{changes}");
    }

    #[test]
    fn a_consistent_protocol_breaks_no_rule() {
        check("", "ok");
        check("roll=1210 received=1210 cancelled=0", "ok");
        check("found=1200 valid=1188 lists=780,400", "ok");
        check("against=0 lists=798,400", "ok");
    }

    #[test]
    fn p1_ballots_received_are_accounted_for() {
        check(
            "received=1516",
            "station 01-03-0034: line 2 (ballots received) 1,516 differs from lines 3+4+5 (issued in the station, issued outside, cancelled) 1,515 (rule P-1)",
        );
        check(
            "cancelled=300",
            "station 01-03-0034: line 2 (ballots received) 1,515 differs from lines 3+4+5 (issued in the station, issued outside, cancelled) 1,510 (rule P-1)",
        );
    }

    #[test]
    fn p2_ballots_issued_stay_within_the_roll() {
        check(
            "roll=1209",
            "station 01-03-0034: lines 3+4 (ballots issued) 1,210 exceed line 1 (voters on the roll) 1,209 (rule P-2)",
        );
    }

    #[test]
    fn p3_ballots_found_stay_within_those_issued() {
        check(
            "found=1212 valid=1200 lists=792,400",
            "station 01-03-0034: line 6 (found in boxes) 1,212 exceeds lines 3+4 (ballots issued) 1,210 (rule P-3)",
        );
    }

    #[test]
    fn p4_ballots_found_are_valid_or_invalid() {
        check(
            "invalid=13",
            "station 01-03-0034: line 6 (found in boxes) 1,210 differs from lines 7+8 (invalid and valid) 1,211 (rule P-4)",
        );
    }

    #[test]
    fn p5_valid_ballots_are_the_votes() {
        check(
            "lists=791,400",
            "station 01-03-0034: line 8 (valid) 1,198 differs from lines 9+10.1..10.2 (against all and list votes) 1,199 (rule P-5)",
        );
        check(
            "against=0",
            "station 01-03-0034: line 8 (valid) 1,198 differs from lines 9+10.1..10.2 (against all and list votes) 1,190 (rule P-5)",
        );
    }

    #[test]
    fn p6_one_line_per_list() {
        check(
            "lists=790,400,0",
            "station 01-03-0034: the protocol has 3 list lines (10.k), the ballot has 2 lists (rule P-6)",
        );
    }

    #[test]
    fn p7_lines_fit_a_station() {
        check(
            "in=4294967296",
            "station 01-03-0034: line 3 (issued in the station) 4,294,967,296 exceeds the largest count a station can record, 4,294,967,295 (rule P-7)",
        );
        check(
            "lists=790,18446744073709551615",
            "station 01-03-0034: line 10.2 (list votes) 18,446,744,073,709,551,615 exceeds the largest count a station can record, 4,294,967,295 (rule P-7)",
        );
    }

    #[test]
    fn several_broken_rules_are_all_reported() {
        check(
            "roll=1000 found=1300",
            "station 01-03-0034: lines 3+4 (ballots issued) 1,210 exceed line 1 (voters on the roll) 1,000 (rule P-2)\n\
             station 01-03-0034: line 6 (found in boxes) 1,300 exceeds lines 3+4 (ballots issued) 1,210 (rule P-3)\n\
             station 01-03-0034: line 6 (found in boxes) 1,300 differs from lines 7+8 (invalid and valid) 1,210 (rule P-4)",
        );
    }

    #[test]
    fn lines_are_numbered_as_documented() {
        let numbered: Vec<String> = lines(GOOD)
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
            Protocol::new(station, lines(GOOD), &ballot).expect("consistent"),
            Protocol::new(other, lines(GOOD), &ballot).expect("consistent"),
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
