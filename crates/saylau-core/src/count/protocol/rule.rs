//! The stable codes of the protocol rules, documented with their sources in
//! `docs/protocol.md` (a test checks the table against this enum both ways).

use serde::{Serialize, Serializer};
use strum::{AsRefStr, Display, EnumIter, IntoStaticStr};

/// A control relation of a precinct commission's protocol; [`Display`](std::fmt::Display)
/// gives its stable code (`P-1` ...), which never changes meaning once published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Display, AsRefStr, IntoStaticStr, EnumIter)]
#[non_exhaustive]
pub enum ProtocolRule {
    /// Ballots received = issued in the station + issued outside + cancelled.
    #[strum(serialize = "P-1")]
    BallotAccount,
    /// Ballots issued (in the station and outside) <= voters on the roll.
    #[strum(serialize = "P-2")]
    IssuedWithinRoll,
    /// Ballots found in the boxes <= ballots issued.
    #[strum(serialize = "P-3")]
    FoundWithinIssued,
    /// Ballots found in the boxes = invalid + valid.
    #[strum(serialize = "P-4")]
    FoundIsValidPlusInvalid,
    /// Valid ballots = "against all" + the votes of every list.
    #[strum(serialize = "P-5")]
    ValidIsVotes,
    /// One vote line per list on the ballot.
    #[strum(serialize = "P-6")]
    ListLines,
    /// No line above [`super::MAX_LINE`].
    #[strum(serialize = "P-7")]
    LineRange,
    /// Entries in the supplementary list (v2 line 1.1) <= voters on the roll (line 1).
    #[strum(serialize = "P-8")]
    SupplementaryWithinRoll,
    /// Signatures on the roll (v2 line 3.1) >= ballots issued in the station (line 3); a
    /// flag: the protocol is kept.
    #[strum(serialize = "P-9")]
    SignaturesCoverIssued,
    /// The count started at or after the polls closed (v2 times).
    #[strum(serialize = "P-10")]
    CountAfterClose,
    /// The count ended at or after it started.
    #[strum(serialize = "P-11")]
    CountEndAfterStart,
    /// The protocol was posted at or after the count ended.
    #[strum(serialize = "P-12")]
    PostedAfterCount,
    /// The protocol was handed over at or after the count ended.
    #[strum(serialize = "P-13")]
    HandedOverAfterCount,
    /// The count started within the configured minutes of the polls' close; a flag: the
    /// protocol is kept.
    #[strum(serialize = "P-14")]
    LateCount,
}

impl ProtocolRule {
    /// The code, such as `P-3`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// True for the rules whose breach flags a kept protocol instead of rejecting it
    /// (`P-9`, `P-14`).
    pub fn is_flag(self) -> bool {
        matches!(self, ProtocolRule::SignaturesCoverIssued | ProtocolRule::LateCount)
    }
}

impl Serialize for ProtocolRule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}
