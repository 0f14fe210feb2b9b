//! Divisor (highest-averages) methods and their exact quotients.
//!
//! A list holding `k` seats has the quotient `votes / d(k)`; each seat goes to the highest
//! quotient. Quotients are compared by cross-multiplication in integers, and
//! Huntington-Hill's `sqrt(k (k + 1))` by comparing squares, so no epsilon is ever needed.
//! A zero divisor (Adams, Dean and Huntington-Hill at `k = 0`) gives an infinite quotient;
//! infinite quotients are ranked by votes, the limit of `votes / d` as `d` goes to zero.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::BigUint;
use serde::{Serialize, Serializer};

use crate::seats::fraction::{Fraction, cross_cmp};
use crate::seats::votes::Votes;

/// A divisor method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "name")]
pub enum Divisor {
    /// D'Hondt / Jefferson: 1, 2, 3, ...
    DHondt,
    /// Sainte-Laguë / Webster: 1, 3, 5, ...
    SainteLague,
    /// Modified Sainte-Laguë: `first`, 3, 5, ... (Norway 1.4, Sweden 1.2).
    ModifiedSainteLague {
        /// The first divisor, on the 1, 3, 5 scale.
        first: Fraction,
    },
    /// Huntington-Hill: sqrt(k (k + 1)): 0, 1.41, 2.45, ...
    HuntingtonHill,
    /// Adams: 0, 1, 2, ...
    Adams,
    /// Dean: the harmonic mean 2 k (k + 1) / (2 k + 1): 0, 4/3, 12/5, ...
    Dean,
    /// Danish: 1, 4, 7, ...
    Danish,
    /// Imperiali: 2, 3, 4, ...
    Imperiali,
}

/// The divisor of a list holding some seats: a fraction, or for Huntington-Hill the square
/// of the divisor (the divisor itself is irrational).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DivisorValue {
    /// `d(k)` itself.
    Linear(Fraction),
    /// `d(k)^2`; the quotient is compared as `votes^2 / d(k)^2`.
    Square(Fraction),
}

impl Divisor {
    /// The divisor for a list that already holds `held` seats.
    pub fn value(&self, held: u32) -> DivisorValue {
        let k = u128::from(held);
        match self {
            Divisor::DHondt => DivisorValue::Linear(Fraction::whole(k + 1)),
            Divisor::SainteLague => DivisorValue::Linear(Fraction::whole(2 * k + 1)),
            Divisor::ModifiedSainteLague { first } => {
                DivisorValue::Linear(if k == 0 { *first } else { Fraction::whole(2 * k + 1) })
            }
            Divisor::HuntingtonHill => DivisorValue::Square(Fraction::whole(k * (k + 1))),
            Divisor::Adams => DivisorValue::Linear(Fraction::whole(k)),
            Divisor::Dean => DivisorValue::Linear(Fraction::new(2 * k * (k + 1), 2 * k + 1)),
            Divisor::Danish => DivisorValue::Linear(Fraction::whole(3 * k + 1)),
            Divisor::Imperiali => DivisorValue::Linear(Fraction::whole(k + 2)),
        }
    }
}

/// The quotient of a list: its votes over its current divisor. Equality is by value, as
/// the ordering is: `10 / 1` equals `20 / 2`, so such lists are tied.
#[derive(Debug, Clone, Copy)]
pub struct Quotient {
    /// The list's votes.
    pub votes: Votes,
    /// The divisor it is divided by.
    pub divisor: DivisorValue,
}

impl Quotient {
    fn parts(&self) -> (bool, Fraction) {
        match self.divisor {
            DivisorValue::Linear(divisor) => (false, divisor),
            DivisorValue::Square(divisor) => (true, divisor),
        }
    }

    /// True when the divisor is zero.
    pub fn is_infinite(&self) -> bool {
        self.parts().1.num() == 0
    }

    /// The exact value (`votes / d`), or for Huntington-Hill the exact square
    /// (`votes^2 / d^2`); `None` when infinite.
    pub fn exact(&self) -> Option<Fraction> {
        let (squared, divisor) = self.parts();
        if divisor.num() == 0 {
            return None;
        }
        let votes = u128::from(self.votes.0);
        let numerator = if squared { votes.checked_mul(votes)? } else { votes };
        Some(Fraction::new(numerator.checked_mul(divisor.den())?, divisor.num()))
    }
}

impl Quotient {
    /// The comparison for whole, non-zero divisors (D'Hondt, Sainte-Laguë, Danish,
    /// Imperiali, Adams after the first seat): a u64 times a u64 always fits in a u128, so
    /// it needs no overflow checks. `None` for any other pair.
    #[inline]
    fn whole_divisor_cmp(&self, other: &Quotient) -> Option<Ordering> {
        let (DivisorValue::Linear(left), DivisorValue::Linear(right)) =
            (self.divisor, other.divisor)
        else {
            return None;
        };
        if left.den() != 1 || right.den() != 1 {
            return None;
        }
        let left_div = u64::try_from(left.num()).ok().filter(|&div| div != 0)?;
        let right_div = u64::try_from(right.num()).ok().filter(|&div| div != 0)?;
        let left_value = u128::from(self.votes.0) * u128::from(right_div);
        let right_value = u128::from(other.votes.0) * u128::from(left_div);
        Some(left_value.cmp(&right_value))
    }
}

impl Ord for Quotient {
    #[inline]
    fn cmp(&self, other: &Quotient) -> Ordering {
        // Whole divisors (D'Hondt, Sainte-Laguë, Danish, Imperiali, Adams): a u64 times a
        // u64 always fits in a u128, so the exact comparison needs no overflow checks.
        match self.whole_divisor_cmp(other) {
            Some(order) => order,
            None => self.general_cmp(other),
        }
    }
}

impl Quotient {
    /// The exact comparison for any divisors: infinite quotients, fractions, squares.
    #[inline(never)]
    fn general_cmp(&self, other: &Quotient) -> Ordering {
        match (self.is_infinite(), other.is_infinite()) {
            (true, true) => return self.votes.cmp(&other.votes),
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            (false, false) => {}
        }
        let (squared, left_div) = self.parts();
        let (_, right_div) = other.parts();
        let (left_votes, right_votes) = (u128::from(self.votes.0), u128::from(other.votes.0));
        let power = |votes: u128| if squared { votes.checked_mul(votes) } else { Some(votes) };
        let left = power(left_votes).and_then(|value| value.checked_mul(left_div.den()));
        let right = power(right_votes).and_then(|value| value.checked_mul(right_div.den()));
        if let (Some(left), Some(right)) = (left, right) {
            return cross_cmp(left, left_div.num(), right, right_div.num());
        }
        let exponent = if squared { 2 } else { 1 };
        let left = BigUint::from(left_votes).pow(exponent)
            * BigUint::from(left_div.den())
            * BigUint::from(right_div.num());
        let right = BigUint::from(right_votes).pow(exponent)
            * BigUint::from(right_div.den())
            * BigUint::from(left_div.num());
        left.cmp(&right)
    }
}

impl PartialEq for Quotient {
    fn eq(&self, other: &Quotient) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quotient {}

impl PartialOrd for Quotient {
    fn partial_cmp(&self, other: &Quotient) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Quotient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.exact(), self.parts().0) {
            (None, _) => f.write_str("infinite"),
            (Some(value), false) => write!(f, "{value}"),
            (Some(square), true) => write!(f, "sqrt({square})"),
        }
    }
}

impl Serialize for Quotient {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Quotient {
    /// Decimal text of the quotient (the square root taken for Huntington-Hill).
    pub fn to_decimal(&self, places: u32) -> String {
        match (self.exact(), self.parts().0) {
            (None, _) => "inf".to_owned(),
            (Some(value), false) => value.to_decimal(places),
            (Some(square), true) => square.to_rational().sqrt_decimal(places),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotient(votes: u64, divisor: Divisor, held: u32) -> Quotient {
        Quotient { votes: Votes(votes), divisor: divisor.value(held) }
    }

    #[test]
    fn divisor_sequences() {
        let show = |divisor: Divisor| {
            (0..4).map(|held| quotient(12, divisor, held).to_string()).collect::<Vec<_>>()
        };
        assert_eq!(show(Divisor::DHondt), ["12", "6", "4", "3"]);
        assert_eq!(show(Divisor::SainteLague), ["12", "4", "12/5", "12/7"]);
        let first = Fraction::new(7, 5);
        assert_eq!(show(Divisor::ModifiedSainteLague { first }), ["60/7", "4", "12/5", "12/7"]);
        assert_eq!(show(Divisor::Adams), ["infinite", "12", "6", "4"]);
        assert_eq!(show(Divisor::Dean), ["infinite", "9", "5", "7/2"]);
        assert_eq!(show(Divisor::Danish), ["12", "3", "12/7", "6/5"]);
        assert_eq!(show(Divisor::Imperiali), ["6", "4", "3", "12/5"]);
        assert_eq!(show(Divisor::HuntingtonHill), ["infinite", "sqrt(72)", "sqrt(24)", "sqrt(12)"]);
    }

    #[test]
    fn huntington_hill_compares_squares_exactly() {
        // 10 / sqrt(2) = 7.0711 against 7 / 1: strictly greater, no epsilon involved.
        let left = quotient(10, Divisor::HuntingtonHill, 1);
        let right = Quotient { votes: Votes(7), divisor: DivisorValue::Square(Fraction::whole(1)) };
        assert_eq!(left.cmp(&right), Ordering::Greater);
        assert_eq!(left.to_decimal(4), "7.0710");
        // Infinite quotients rank by votes.
        assert_eq!(
            quotient(5, Divisor::Adams, 0).cmp(&quotient(9, Divisor::Adams, 0)),
            Ordering::Less
        );
    }

    #[test]
    fn equal_values_are_equal_quotients() {
        // D'Hondt: 20 votes with one seat and 10 with none both divide to 10.
        assert_eq!(quotient(20, Divisor::DHondt, 1), quotient(10, Divisor::DHondt, 0));
        assert_eq!(quotient(35, Divisor::SainteLague, 2), quotient(7, Divisor::SainteLague, 0));
        assert_ne!(quotient(21, Divisor::DHondt, 1), quotient(10, Divisor::DHondt, 0));
    }

    #[test]
    fn huge_votes_fall_back_to_big_integers() {
        let big = u64::MAX;
        let left = quotient(big, Divisor::HuntingtonHill, 2);
        let right = quotient(big - 1, Divisor::HuntingtonHill, 2);
        assert_eq!(left.cmp(&right), Ordering::Greater);
    }
}
