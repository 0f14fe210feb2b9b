//! The explanation of an allocation: every number a reader needs to check it by hand.
//!
//! The trace records list indices (registration order) rather than names, so building it
//! costs almost nothing; [`crate::seats::report`] turns it into a readable, serialisable report.

use serde::Serialize;

use crate::seats::divisor::Quotient;
use crate::seats::fraction::Fraction;
use crate::seats::lot::LotSeed;
use crate::seats::quota::Quota;
use crate::seats::threshold::{Percent, ThresholdBase};
use crate::seats::tie::TieBreak;
use crate::seats::votes::{Seats, Votes};

/// How a list came to take part in the distribution, or why it did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Admission {
    /// Passed the threshold (or there is none).
    Passed,
    /// Below the threshold.
    BelowThreshold,
    /// Below the threshold but admitted as next-largest (art. 97-1 p. 2).
    RunnerUp,
    /// No votes at all.
    NoVotes,
}

impl Admission {
    /// True when the list takes part in the distribution of seats.
    pub fn is_admitted(self) -> bool {
        matches!(self, Admission::Passed | Admission::RunnerUp)
    }
}

/// The threshold test: the base and the percentage every list was measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ThresholdTrace {
    /// What the percentage is of.
    pub base: ThresholdBase,
    /// The base in votes.
    pub base_votes: Votes,
    /// The general percentage.
    pub percent: Percent,
    /// The smallest vote that passes, exact: `percent * base / 100`.
    pub min_votes: Fraction,
}

/// The quota of a largest-remainder allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuotaTrace {
    /// The rule.
    pub rule: Quota,
    /// The votes of the admitted lists.
    pub admitted_votes: Votes,
    /// The seats distributed.
    pub seats: Seats,
    /// The quota, exact.
    pub value: Fraction,
}

/// One admitted list in a largest-remainder allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RemainderRow {
    /// The list (index in registration order).
    pub list: usize,
    /// Its votes divided by the quota (times the runner-up coefficient, if any).
    pub quotient: Fraction,
    /// The whole part of the quotient.
    pub floor: u32,
    /// The fractional part.
    pub remainder: Fraction,
    /// Seats it received (+) or gave back (-) on its remainder.
    pub remainder_seats: i32,
    /// Seats added to reach the runner-up minimum (art. 97-1 p. 3, 2009).
    pub minimum_added: u32,
}

/// One seat of a divisor method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SeatAward {
    /// The seat number, from 1.
    pub seat: u32,
    /// The list (index in registration order).
    pub list: usize,
    /// The quotient that won the seat.
    pub quotient: Quotient,
}

/// The full explanation of an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// The threshold test, if there is a threshold.
    pub threshold: Option<ThresholdTrace>,
    /// The quota, for largest remainders.
    pub quota: Option<QuotaTrace>,
    /// Admitted lists ranked by remainder, for largest remainders.
    pub remainders: Vec<RemainderRow>,
    /// Every seat in the order awarded, for divisor methods.
    pub awards: Vec<SeatAward>,
    /// Every tie and how it was broken.
    pub ties: Vec<TieBreak>,
    /// The seed lots were drawn from, when one was drawn.
    pub lot_seed: Option<LotSeed>,
}
