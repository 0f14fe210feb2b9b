//! Plurality races (система относительного большинства): rural akims, single-member
//! districts and the maslikhat districts the seed proposes.
//!
//! In a rural akim election the candidate with the most votes wins (chapter 10-2 of the
//! Constitutional Law «On Elections», added on 24 May 2021; the seed's section
//! «Избирательная система»). "Against all" (против всех, art. 37 as amended in 2021) is
//! counted and published but, under the law, has no legal effect: the seed's proposal is
//! that an uncontested race in which "against all" outpolls the only candidate stays vacant
//! for a repeat election. [`AgainstAllRule`] models the law and both readings of the
//! proposal. A tie for a seat is decided by a second round between the tied candidates or
//! by a saylau-lot-v1 lot whose seed is derived from the race id ([`RaceTie`]).
//!
//! A [`Round`] holds many races at once (730 rural akims on 25 July 2021);
//! [`round_result`] decides each and sums the round up per party and per region.
//!
//! The races and their validation are in `race`, the rules and the decision of one race
//! in `decision`, and the round with its summaries in `round`.

mod decision;
mod race;
mod round;

pub use decision::{
    AgainstAllRule, CandidateResult, PluralityRules, RaceLot, RaceResult, RaceStatus, RaceTie,
    Runoff, race_result, race_seed,
};
pub use race::{Candidate, Race, RaceConfig, RaceError, RaceId, Turnout};
pub use round::{
    PartySummary, RegionSummary, Round, RoundResult, RoundSummary, TurnoutSummary, round_result,
};
