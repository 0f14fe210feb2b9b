//! The control relations `P-1` to `P-7` of `docs/protocol.md`, the violations that break
//! them, and the [`Protocol`] whose numbers satisfy every one.

use std::fmt;

use serde::Serialize;

use super::ballot::BallotLists;
use super::extra::{ExtraLine, ProtocolExtra, StationTime, extra_violations};
use super::lines::{BallotCount, Line, MAX_LINE, ProtocolLines, VoterCount};
use super::rule::ProtocolRule;
use crate::count::commission::StationId;
use crate::seats::votes::Votes;

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
    /// `P-8`: line 1.1 exceeds line 1.
    #[error(
        "line 1.1 (entries in the supplementary list) {} exceeds line 1 (voters on the roll) {}",
        Grouped(.supplementary.0),
        Grouped(.voters_on_roll.0)
    )]
    SupplementaryAboveRoll {
        /// Line 1.1.
        supplementary: VoterCount,
        /// Line 1.
        voters_on_roll: VoterCount,
    },
    /// `P-9`: line 3.1 below line 3 (a flag).
    #[error(
        "line 3.1 (signatures on the roll) {} is below line 3 (issued in the station) {}: {} ballots without a signature",
        Grouped(.signatures.0),
        Grouped(.issued_in_station.0),
        Grouped(.issued_in_station.0 - .signatures.0)
    )]
    SignaturesBelowIssued {
        /// Line 3.1.
        signatures: BallotCount,
        /// Line 3.
        issued_in_station: BallotCount,
    },
    /// `P-10`: the count started before the polls closed.
    #[error("the count started at {started}, before the polls closed at {polls_close}")]
    CountBeforeClose {
        /// When the count started.
        started: StationTime,
        /// When the polls closed.
        polls_close: StationTime,
    },
    /// `P-11` to `P-13`: a time before the one it must follow.
    #[error("{} at {at} is before {} at {then}", .line.label(), .before.label())]
    TimeOutOfOrder {
        /// The later time's line.
        line: ExtraLine,
        /// Its time.
        at: StationTime,
        /// The line it must follow.
        before: ExtraLine,
        /// That line's time.
        then: StationTime,
    },
    /// `P-14`: the count started more than the limit after the close (a flag).
    #[error(
        "the count started at {started}, {minutes} minutes after the polls closed at {polls_close} (limit {limit} minutes)"
    )]
    LateCount {
        /// When the count started.
        started: StationTime,
        /// When the polls closed.
        polls_close: StationTime,
        /// Minutes between them.
        minutes: i64,
        /// The configured limit.
        limit: u32,
    },
}

impl ViolationKind {
    /// The rule's stable code, such as `P-3`.
    pub fn rule(&self) -> ProtocolRule {
        match self {
            ViolationKind::BallotAccount { .. } => ProtocolRule::BallotAccount,
            ViolationKind::IssuedAboveRoll { .. } => ProtocolRule::IssuedWithinRoll,
            ViolationKind::FoundAboveIssued { .. } => ProtocolRule::FoundWithinIssued,
            ViolationKind::FoundNotCounted { .. } => ProtocolRule::FoundIsValidPlusInvalid,
            ViolationKind::ValidNotVotes { .. } => ProtocolRule::ValidIsVotes,
            ViolationKind::ListLines { .. } => ProtocolRule::ListLines,
            ViolationKind::LineRange { .. } => ProtocolRule::LineRange,
            ViolationKind::SupplementaryAboveRoll { .. } => ProtocolRule::SupplementaryWithinRoll,
            ViolationKind::SignaturesBelowIssued { .. } => ProtocolRule::SignaturesCoverIssued,
            ViolationKind::CountBeforeClose { .. } => ProtocolRule::CountAfterClose,
            ViolationKind::TimeOutOfOrder { line: ExtraLine::CountEnded, .. } => {
                ProtocolRule::CountEndAfterStart
            }
            ViolationKind::TimeOutOfOrder { line: ExtraLine::Posted, .. } => {
                ProtocolRule::PostedAfterCount
            }
            ViolationKind::TimeOutOfOrder { .. } => ProtocolRule::HandedOverAfterCount,
            ViolationKind::LateCount { .. } => ProtocolRule::LateCount,
        }
    }

    /// The v2 line or time the relation is written about, for the v2 rules (`P-8` ...).
    pub fn extra_line(&self) -> Option<ExtraLine> {
        match self {
            ViolationKind::SupplementaryAboveRoll { .. } => Some(ExtraLine::Supplementary),
            ViolationKind::SignaturesBelowIssued { .. } => Some(ExtraLine::Signatures),
            ViolationKind::CountBeforeClose { .. } | ViolationKind::LateCount { .. } => {
                Some(ExtraLine::CountStarted)
            }
            ViolationKind::TimeOutOfOrder { line, .. } => Some(*line),
            _ => None,
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
            ViolationKind::SupplementaryAboveRoll { .. } => Line::VotersOnRoll,
            ViolationKind::SignaturesBelowIssued { .. }
            | ViolationKind::CountBeforeClose { .. }
            | ViolationKind::TimeOutOfOrder { .. }
            | ViolationKind::LateCount { .. } => Line::IssuedInStation,
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
    /// The v2 lines and times; absent from the JSON of a v1 protocol.
    #[serde(skip_serializing_if = "ProtocolExtra::is_empty")]
    extra: ProtocolExtra,
}

impl Protocol {
    /// The protocol of `station`, or every rule its lines break for `ballot`.
    pub fn new(
        station: StationId,
        lines: ProtocolLines,
        ballot: &BallotLists,
    ) -> Result<Protocol, Vec<Violation>> {
        Protocol::with_extra(station, lines, ProtocolExtra::default(), ballot)
    }

    /// A protocol of format v2: [`Protocol::new`] with the v2 lines and times `extra`,
    /// whose relations `P-8` and `P-10` to `P-13` must hold too. The flags `P-9` and
    /// `P-14` do not reject it ([`Protocol::flags`]).
    pub fn with_extra(
        station: StationId,
        lines: ProtocolLines,
        extra: ProtocolExtra,
        ballot: &BallotLists,
    ) -> Result<Protocol, Vec<Violation>> {
        let mut found = violations(station, &lines, ballot.len());
        if found.is_empty() {
            let kinds = extra_violations(&lines, &extra);
            found.extend(kinds.into_iter().map(|kind| Violation { station, kind }));
        }
        if found.is_empty() { Ok(Protocol { station, lines, extra }) } else { Err(found) }
    }

    /// The v2 lines and times (all absent in a v1 protocol).
    pub fn extra(&self) -> &ProtocolExtra {
        &self.extra
    }

    /// What the v2 lines flag on this kept protocol (`P-9`, and `P-14` for a count
    /// started more than `late_after_minutes` after the polls closed).
    pub fn flags(&self, late_after_minutes: u32) -> Vec<Violation> {
        super::extra::flags(self.station, &self.lines, &self.extra, late_after_minutes)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::protocol::lines::{TEST_GOOD_LINES, test_lines};

    fn check(changes: &str, expect: &str) {
        let station = StationId::parse("01-03-0034").expect("a valid id");
        let text = format!("{TEST_GOOD_LINES} {changes}");
        let found = violations(station, &test_lines(&text), 2);
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
}
