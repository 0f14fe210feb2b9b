//! `Rational`: the exact big rational of saylau, for thresholds, indices and display.
//!
//! It wraps num-rational's `BigRational` so that nothing in the domain touches floating
//! point. Decimal text is produced by integer arithmetic and rounded half up.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::{BigInt, BigUint};
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use serde::{Serialize, Serializer};

/// An exact rational number of any size.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rational(BigRational);

/// Why a decimal text is not a rational.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseRationalError {
    /// Not a decimal number or fraction.
    #[error("{text:?} is not a number (expected digits like 5, 1.5 or 7/5)")]
    NotANumber {
        /// The rejected text.
        text: String,
    },
    /// A fraction whose denominator is zero.
    #[error("{text:?} divides by zero")]
    ZeroDenominator {
        /// The rejected text.
        text: String,
    },
}

impl Rational {
    /// `num / den`; `den` must not be zero.
    pub fn from_ratio(num: u128, den: u128) -> Rational {
        assert!(den != 0, "rational with a zero denominator");
        Rational(BigRational::new(BigInt::from(num), BigInt::from(den)))
    }

    /// A whole number.
    pub fn from_integer(value: i128) -> Rational {
        Rational(BigRational::from_integer(BigInt::from(value)))
    }

    /// Zero.
    pub fn zero() -> Rational {
        Rational(BigRational::zero())
    }

    /// Parses `5`, `1.5`, `-0.25` or `7/5` exactly (no floating point on the way).
    pub fn parse_decimal(text: &str) -> Result<Rational, ParseRationalError> {
        let trimmed = text.trim();
        let not_a_number = || ParseRationalError::NotANumber { text: text.to_owned() };
        if let Some((num, den)) = trimmed.split_once('/') {
            let num: BigInt = num.trim().parse().map_err(|_| not_a_number())?;
            let den: BigInt = den.trim().parse().map_err(|_| not_a_number())?;
            if den.is_zero() {
                return Err(ParseRationalError::ZeroDenominator { text: text.to_owned() });
            }
            return Ok(Rational(BigRational::new(num, den)));
        }
        let (negative, unsigned) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits_ok = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits_ok(whole) || !digits_ok(fraction) {
            return Err(not_a_number());
        }
        let digits = format!("{whole}{fraction}");
        let mantissa: BigInt = if digits.is_empty() {
            BigInt::zero()
        } else {
            digits.parse().map_err(|_| not_a_number())?
        };
        let scale =
            BigInt::from(10u32).pow(u32::try_from(fraction.len()).map_err(|_| not_a_number())?);
        let value = BigRational::new(mantissa, scale);
        Ok(Rational(if negative { -value } else { value }))
    }

    /// The wrapped big rational.
    pub fn as_big(&self) -> &BigRational {
        &self.0
    }

    /// Wraps a big rational.
    pub fn from_big(value: BigRational) -> Rational {
        Rational(value)
    }

    /// The numerator in lowest terms.
    pub fn numer(&self) -> &BigInt {
        self.0.numer()
    }

    /// The denominator in lowest terms (positive).
    pub fn denom(&self) -> &BigInt {
        self.0.denom()
    }

    /// Sum.
    pub fn add(&self, other: &Rational) -> Rational {
        Rational(&self.0 + &other.0)
    }

    /// Difference.
    pub fn sub(&self, other: &Rational) -> Rational {
        Rational(&self.0 - &other.0)
    }

    /// Product.
    pub fn mul(&self, other: &Rational) -> Rational {
        Rational(&self.0 * &other.0)
    }

    /// Quotient; `other` must not be zero.
    pub fn div(&self, other: &Rational) -> Rational {
        assert!(!other.0.is_zero(), "division of a rational by zero");
        Rational(&self.0 / &other.0)
    }

    /// Absolute value.
    pub fn abs(&self) -> Rational {
        Rational(self.0.abs())
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// Decimal text with `places` digits after the point, rounded half away from zero.
    pub fn to_decimal(&self, places: u32) -> String {
        let scale = BigInt::from(10u32).pow(places);
        let scaled = (self.0.abs() * BigRational::from_integer(scale.clone())).round();
        let digits = scaled.to_integer().to_string();
        let negative = self.0.is_negative() && scaled.to_integer() != BigInt::zero();
        let sign = if negative { "-" } else { "" };
        if places == 0 {
            return format!("{sign}{digits}");
        }
        let width = usize::try_from(places).expect("a small number of decimal places") + 1;
        let padded = format!("{digits:0>width$}");
        let (whole, fraction) = padded.split_at(padded.len() - (width - 1));
        format!("{sign}{whole}.{fraction}")
    }

    /// The square root of a non-negative value, truncated (not rounded) to `places`
    /// decimal places, computed with integer square roots so it stays exact to the digit.
    pub fn sqrt_decimal(&self, places: u32) -> String {
        assert!(!self.0.is_negative(), "square root of a negative rational");
        let scale = BigUint::from(10u32).pow(places * 2);
        let numer = self.0.numer().magnitude() * scale;
        let root = (numer / self.0.denom().magnitude()).sqrt();
        let digits = root.to_string();
        if places == 0 {
            return digits;
        }
        let width = usize::try_from(places).expect("a small number of decimal places") + 1;
        let padded = format!("{digits:0>width$}");
        let (whole, fraction) = padded.split_at(padded.len() - (width - 1));
        format!("{whole}.{fraction}")
    }

    /// Compares with another rational.
    pub fn compare(&self, other: &Rational) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl fmt::Display for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Rational {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &str) {
        let value = Rational::parse_decimal(text).map(|value| value.to_string());
        assert_eq!(value.as_deref().unwrap_or_else(|err| panic!("{err}")), expect);
    }

    #[test]
    fn parses_decimals_exactly() {
        check("5", "5");
        check("1.5", "3/2");
        check("0.7", "7/10");
        check("7/5", "7/5");
        check("-0.25", "-1/4");
        check(".5", "1/2");
        assert!(Rational::parse_decimal("1e3").is_err());
        assert!(Rational::parse_decimal("").is_err());
        assert!(Rational::parse_decimal("1/0").is_err());
        assert!(Rational::parse_decimal("abc").is_err());
    }

    #[test]
    fn prints_decimals_rounded_half_up() {
        assert_eq!(Rational::from_ratio(6599921, 98).to_decimal(4), "67346.1327");
        assert_eq!(Rational::from_ratio(1, 8).to_decimal(2), "0.13");
        assert_eq!(Rational::from_ratio(1, 200).to_decimal(1), "0.0");
        assert_eq!(Rational::from_ratio(7, 1).to_decimal(0), "7");
        assert_eq!(Rational::from_ratio(2, 1).sqrt_decimal(5), "1.41421");
        assert_eq!(Rational::from_ratio(1, 4).sqrt_decimal(2), "0.50");
    }
}
