//! A small exact fraction of two `u128`s, for the hot paths of seat allocation.
//!
//! Quotas, quotients and remainders of real elections fit in `u128` many times over, so
//! the allocation loop compares them by cross-multiplication without allocating. When a
//! product would overflow, the comparison falls back to big integers, so it stays exact
//! whatever the input. [`crate::seats::rational::Rational`] is the general big rational used
//! where speed does not matter.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::BigUint;
use num_integer::Integer;
use serde::{Serialize, Serializer};

use crate::seats::rational::Rational;

/// A non-negative exact fraction `num / den` with `den > 0`, not necessarily reduced.
#[derive(Debug, Clone, Copy)]
pub struct Fraction {
    num: u128,
    den: u128,
}

impl Fraction {
    /// `num / den`. The denominator must not be zero: callers build fractions from quotas
    /// and divisors that they have checked are positive.
    pub fn new(num: u128, den: u128) -> Fraction {
        assert!(den != 0, "fraction with a zero denominator");
        Fraction { num, den }
    }

    /// A whole number as a fraction.
    pub fn whole(value: u128) -> Fraction {
        Fraction { num: value, den: 1 }
    }

    /// The numerator as stored.
    pub fn num(&self) -> u128 {
        self.num
    }

    /// The denominator as stored (never zero).
    pub fn den(&self) -> u128 {
        self.den
    }

    /// The integer part.
    pub fn floor(&self) -> u128 {
        // A 128-bit division is a slow library call; real vote counts fit in 64 bits.
        match (u64::try_from(self.num), u64::try_from(self.den)) {
            (Ok(num), Ok(den)) => u128::from(num / den),
            _ => self.num / self.den,
        }
    }

    /// The fractional part, over the same denominator.
    pub fn fract(&self) -> Fraction {
        let num = match (u64::try_from(self.num), u64::try_from(self.den)) {
            (Ok(num), Ok(den)) => u128::from(num % den),
            _ => self.num % self.den,
        };
        Fraction { num, den: self.den }
    }

    /// True when the fraction is a whole number.
    pub fn is_whole(&self) -> bool {
        self.num.is_multiple_of(self.den)
    }

    /// The same value in lowest terms.
    pub fn reduced(&self) -> Fraction {
        let gcd = self.num.gcd(&self.den);
        if gcd <= 1 {
            return *self;
        }
        Fraction { num: self.num / gcd, den: self.den / gcd }
    }

    /// The value as a big rational.
    pub fn to_rational(&self) -> Rational {
        Rational::from_ratio(self.num, self.den)
    }

    /// Decimal notation with `places` digits after the point, rounded half up.
    pub fn to_decimal(&self, places: u32) -> String {
        self.to_rational().to_decimal(places)
    }
}

/// Compares `a_num * b_den` with `b_num * a_den` exactly, in `u128` when the products fit
/// and in big integers when they do not.
pub fn cross_cmp(a_num: u128, a_den: u128, b_num: u128, b_den: u128) -> Ordering {
    match (a_num.checked_mul(b_den), b_num.checked_mul(a_den)) {
        (Some(left), Some(right)) => left.cmp(&right),
        _ => (BigUint::from(a_num) * BigUint::from(b_den))
            .cmp(&(BigUint::from(b_num) * BigUint::from(a_den))),
    }
}

impl PartialEq for Fraction {
    fn eq(&self, other: &Fraction) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Fraction {}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Fraction) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fraction {
    fn cmp(&self, other: &Fraction) -> Ordering {
        if self.den == other.den {
            return self.num.cmp(&other.num);
        }
        cross_cmp(self.num, self.den, other.num, other.den)
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reduced = self.reduced();
        if reduced.den == 1 {
            write!(f, "{}", reduced.num)
        } else {
            write!(f, "{}/{}", reduced.num, reduced.den)
        }
    }
}

impl Serialize for Fraction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(a: (u128, u128), b: (u128, u128), expect: Ordering) {
        let left = Fraction::new(a.0, a.1);
        let right = Fraction::new(b.0, b.1);
        assert_eq!(left.cmp(&right), expect, "{left} vs {right}");
    }

    #[test]
    fn compares_exactly() {
        check((1, 3), (2, 6), Ordering::Equal);
        check((6599921, 98), (67346, 1), Ordering::Greater);
        check((u128::MAX, u128::MAX - 1), (u128::MAX - 1, u128::MAX - 2), Ordering::Less);
        check((u128::MAX, 3), (u128::MAX, 3), Ordering::Equal);
    }

    #[test]
    fn displays_reduced_and_decimal() {
        let quota = Fraction::new(6599921, 98);
        assert_eq!(quota.to_string(), "6599921/98");
        assert_eq!(quota.to_decimal(4), "67346.1327");
        assert_eq!(Fraction::new(10, 4).to_string(), "5/2");
        assert_eq!(Fraction::new(8, 4).to_string(), "2");
        assert_eq!(quota.floor(), 67346);
        assert_eq!(quota.fract().to_string(), "13/98");
    }
}
