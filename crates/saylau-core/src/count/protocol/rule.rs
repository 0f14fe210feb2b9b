//! The stable codes of the protocol rules, documented with their sources in
//! `docs/protocol.md`.

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
