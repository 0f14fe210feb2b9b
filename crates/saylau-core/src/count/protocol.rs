//! The results protocol of a precinct commission for the Mazhilis party-list vote, its
//! control relations, and totals up the commission hierarchy.
//!
//! After the count (Constitutional Law "On Elections" No. 2464, art. 43) a precinct
//! commission writes a protocol (протокол об итогах голосования) and sends it to the
//! territorial commission above it (art. 94 p. 1). saylau numbers its lines as in
//! [`Line`] and checks the arithmetic every such protocol must satisfy, the control
//! relations `P-1` to `P-5` of `docs/protocol.md`; a protocol that fails one is not a
//! [`Protocol`]. [`ProtocolTotals`] sums protocols for a territorial commission or the
//! CEC and becomes the [`Contest`](crate::seats::contest::Contest) that seats are allocated from
//! (art. 97-1).
//!
//! The lines of the form are in `lines`, the lists on the ballot in `ballot`, the control
//! relations and the checked [`Protocol`] in `control`, the optional lines and times of
//! format v2 (supplementary list, signatures, the count's times, the video) with their
//! relations `P-8` to `P-14` in `extra`, and the sums up the hierarchy in `totals`;
//! [`rule`] names the rules.

mod ballot;
mod control;
mod extra;
mod lines;
pub mod rule;
mod totals;

pub use ballot::{BallotError, BallotList, BallotLists};
pub use control::{Protocol, Violation, ViolationKind, violations};
pub use extra::{
    DEFAULT_LATE_MINUTES, ExtraLine, ProtocolExtra, Sha256Hex, StationTime, StationTimeError,
    VideoRecord, flags,
};
pub use lines::{BallotCount, Line, MAX_LINE, ProtocolLines, VoterCount};
pub use totals::{ProtocolTotals, TotalsContestError, TotalsError, tabulate};
