//! Electoral thresholds (заградительный барьер), exact.
//!
//! A list passes when its votes are at least the threshold percentage of the chosen base:
//! `votes * 100 >= percent * base`, compared in integers, so a list at exactly 5 % passes.
//! Art. 97-1 p. 1 says the base is the voters who took part in the voting; the CEC has
//! always applied valid votes (2004: AIST 7.07 % of valid votes, 6.87 % of participants,
//! seated). Both readings are a [`ThresholdBase`].

use std::cmp::Ordering;
use std::fmt;
use std::num::NonZeroU64;

use num_bigint::BigUint;
use num_traits::ToPrimitive;
use serde::{Serialize, Serializer};

use crate::seats::fraction::Fraction;
use crate::seats::rational::Rational;
use crate::seats::votes::Votes;

/// An exact percentage between 0 and 100, such as `5%` or `1.5%`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Percent {
    // 64 bits each and a denominator that is never zero, so that `Option<Percent>` takes
    // 16 bytes and a contest's `List` fits one cache line (the allocation loop reads every
    // list's votes and threshold).
    num: u64,
    den: NonZeroU64,
}

/// Why a percentage is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PercentError {
    /// Not of the form `5%`.
    #[error("{0:?} is not a percentage (expected a number followed by %, like 5% or 1.5%)")]
    NotAPercent(String),
    /// Below 0 or above 100.
    #[error("{0:?} is outside 0%..100%")]
    OutOfRange(String),
    /// More decimal places than a 64-bit fraction holds (about 18).
    #[error("{0:?} has too many decimal places (at most 18)")]
    TooPrecise(String),
}

impl Percent {
    /// Parses `5%`, `1.5%` or `7/2%`. The `%` sign is required, so that `0.05` is never
    /// mistaken for five percent.
    pub fn parse(text: &str) -> Result<Percent, PercentError> {
        let number = text
            .trim()
            .strip_suffix('%')
            .ok_or_else(|| PercentError::NotAPercent(text.to_owned()))?;
        let value = Rational::parse_decimal(number)
            .map_err(|_| PercentError::NotAPercent(text.to_owned()))?;
        if value.compare(&Rational::zero()) == Ordering::Less
            || value.compare(&Rational::from_integer(100)) == Ordering::Greater
        {
            return Err(PercentError::OutOfRange(text.to_owned()));
        }
        let num = value.numer().to_u64();
        let den = value.denom().to_u64().and_then(NonZeroU64::new);
        match (num, den) {
            (Some(num), Some(den)) => Ok(Percent { num, den }),
            _ => Err(PercentError::TooPrecise(text.to_owned())),
        }
    }

    /// `num / den` percent.
    pub fn from_ratio(num: u64, den: u64) -> Percent {
        let den = NonZeroU64::new(den).expect("a percentage with a non-zero denominator");
        assert!(u128::from(num) <= u128::from(den.get()) * 100, "a percentage between 0 and 100");
        Percent { num, den }
    }

    /// The percentage as an exact fraction of 100 (5 % is `5`).
    pub fn value(&self) -> Fraction {
        Fraction::new(u128::from(self.num), u128::from(self.den.get()))
    }

    /// True when `votes` reach this percentage of `base` (a tie passes).
    pub fn is_met(&self, votes: Votes, base: Votes) -> bool {
        let left = u128::from(votes.0) * 100;
        let den = self.den.get();
        if let Ok(den) = u32::try_from(den) {
            // num <= 100 den, so both products stay below 2^104: they cannot wrap, and the
            // release build's overflow checks are skipped here, in every list's test.
            let right = u128::from(self.num).wrapping_mul(u128::from(base.0));
            return left.wrapping_mul(u128::from(den)) >= right;
        }
        let right = BigUint::from(self.num) * BigUint::from(base.0);
        BigUint::from(left) * BigUint::from(den) >= right
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.value();
        if value.is_whole() {
            write!(f, "{}%", value.floor())
        } else {
            // Shortest exact decimal when there is one (1.5%), else the fraction.
            let rational = value.to_rational();
            for places in 1..=6 {
                let text = rational.to_decimal(places);
                if Rational::parse_decimal(&text).is_ok_and(|back| back == rational) {
                    return write!(f, "{text}%");
                }
            }
            write!(f, "{value}%")
        }
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The number a threshold percentage is taken of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThresholdBase {
    /// Voters who took part: ballots found in the boxes, including invalid ones
    /// (the words of art. 97-1 p. 1).
    Participants,
    /// Valid ballots: list votes plus "against all" (the CEC's practice).
    Valid,
    /// The sum of the list votes.
    Lists,
}

/// A threshold: a percentage of a base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Threshold {
    /// The percentage a list needs.
    pub percent: Percent,
    /// What the percentage is of.
    pub base: ThresholdBase,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(percent: &str, votes: u64, base: u64, expect: bool) {
        let percent = Percent::parse(percent).expect("a valid percentage");
        assert_eq!(percent.is_met(Votes(votes), Votes(base)), expect, "{votes} of {base}");
    }

    #[test]
    fn exactly_at_the_threshold_passes() {
        check("5%", 5, 100, true);
        check("5%", 4, 100, false);
        check("5%", 49_999, 1_000_000, false);
        check("5%", 50_000, 1_000_000, true);
        check("1.5%", 15, 1000, true);
        check("1.5%", 14, 1000, false);
        // A denominator too wide for the fast path is still exact.
        check("1/8589934592%", 1, 858_993_459_200, true);
        check("1/8589934592%", 1, 858_993_459_201, false);
        // 2004: AIST 336,177 of 4,757,773 valid (7.07 %) and of 4,893,204 participants (6.87 %).
        check("7%", 336_177, 4_757_773, true);
        check("7%", 336_177, 4_893_204, false);
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!(Percent::parse("1.5%").map(|p| p.to_string()), Ok("1.5%".to_owned()));
        assert_eq!(Percent::parse(" 7% ").map(|p| p.to_string()), Ok("7%".to_owned()));
        assert_eq!(Percent::parse("100/3%").map(|p| p.to_string()), Ok("100/3%".to_owned()));
        assert!(matches!(Percent::parse("0.05"), Err(PercentError::NotAPercent(_))));
        assert!(matches!(Percent::parse("101%"), Err(PercentError::OutOfRange(_))));
        assert!(matches!(Percent::parse("-1%"), Err(PercentError::OutOfRange(_))));
        // Eighteen decimal places fit a 64-bit denominator; twenty do not.
        assert_eq!(
            Percent::parse("0.000000000000000001%").map(|p| p.value().to_rational()),
            Ok(Fraction::new(1, 1_000_000_000_000_000_000).to_rational())
        );
        assert!(matches!(
            Percent::parse("0.00000000000000000001%"),
            Err(PercentError::TooPrecise(_))
        ));
    }
}
