//! Electoral quotas (избирательная квота) for largest-remainder methods.
//!
//! Art. 97-1 p. 1 calls the Hare quota "the first electoral quotient" (первое
//! избирательное частное): the votes of the admitted lists divided by the seats.

use serde::Serialize;

use crate::seats::fraction::Fraction;
use crate::seats::votes::{Seats, Votes};

/// The family of a quota: how many seats are added to the divisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuotaKind {
    /// Hare: votes / seats (art. 97-1 p. 1).
    Hare,
    /// Droop: votes / (seats + 1), rounded down, plus one.
    Droop,
    /// Hagenbach-Bischoff: votes / (seats + 1), exact unless rounded (Slovakia rounds).
    HagenbachBischoff,
    /// Imperiali: votes / (seats + 2).
    Imperiali,
}

/// How the exact quota is made whole, where a law says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuotaRounding {
    /// Kept exact.
    Exact,
    /// Rounded down.
    Floor,
    /// Rounded to the nearest whole number, halves up.
    Round,
    /// Rounded up.
    Ceil,
    /// Rounded down, plus one (the whole Droop quota).
    FloorPlusOne,
}

/// A quota rule: its kind and rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quota {
    /// The family.
    pub kind: QuotaKind,
    /// The rounding.
    pub rounding: QuotaRounding,
}

impl Quota {
    /// The kind with the rounding laws usually give it: Droop whole (floor plus one), the
    /// others exact.
    pub fn usual(kind: QuotaKind) -> Quota {
        let rounding = match kind {
            QuotaKind::Droop => QuotaRounding::FloorPlusOne,
            QuotaKind::Hare | QuotaKind::HagenbachBischoff | QuotaKind::Imperiali => {
                QuotaRounding::Exact
            }
        };
        Quota { kind, rounding }
    }

    /// The quota for `total` votes and `seats` seats, exact. It can be zero only when
    /// rounding down a quota below one.
    pub fn value(&self, total: Votes, seats: Seats) -> Fraction {
        let added = match self.kind {
            QuotaKind::Hare => 0,
            QuotaKind::Droop | QuotaKind::HagenbachBischoff => 1,
            QuotaKind::Imperiali => 2,
        };
        let exact = Fraction::new(u128::from(total.0), u128::from(seats.0) + added);
        match self.rounding {
            QuotaRounding::Exact => exact,
            QuotaRounding::Floor => Fraction::whole(exact.floor()),
            QuotaRounding::FloorPlusOne => Fraction::whole(exact.floor() + 1),
            QuotaRounding::Ceil => Fraction::whole(exact.floor() + u128::from(!exact.is_whole())),
            QuotaRounding::Round => {
                // Halves up: floor(x + 1/2) = floor((2 num + den) / (2 den)).
                Fraction::whole((2 * exact.num() + exact.den()) / (2 * exact.den()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(kind: QuotaKind, rounding: QuotaRounding, total: u64, seats: u32, expect: &str) {
        let quota = Quota { kind, rounding }.value(Votes(total), Seats(seats));
        assert_eq!(quota.to_string(), expect);
    }

    #[test]
    fn quotas_of_the_2021_mazhilis() {
        check(QuotaKind::Hare, QuotaRounding::Exact, 6_599_921, 98, "6599921/98");
        check(QuotaKind::Droop, QuotaRounding::FloorPlusOne, 6_599_921, 98, "66666");
        check(QuotaKind::HagenbachBischoff, QuotaRounding::Exact, 6_599_921, 98, "6599921/99");
        check(QuotaKind::HagenbachBischoff, QuotaRounding::Round, 6_599_921, 98, "66666");
        check(QuotaKind::Imperiali, QuotaRounding::Exact, 6_599_921, 98, "6599921/100");
        check(QuotaKind::Hare, QuotaRounding::Ceil, 10, 4, "3");
        check(QuotaKind::Hare, QuotaRounding::Round, 10, 4, "3");
        check(QuotaKind::Hare, QuotaRounding::Round, 9, 4, "2");
        check(QuotaKind::Hare, QuotaRounding::Floor, 10, 4, "2");
        check(QuotaKind::Hare, QuotaRounding::Ceil, 8, 4, "2");
    }
}
