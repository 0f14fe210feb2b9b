//! Apportionment of seats to districts by population (распределение мандатов по округам).
//!
//! The seed's first reform splits the single Mazhilis district into 17 districts (14
//! oblasts and 3 cities of republican significance) with seats in proportion to
//! population, and sizes the house by the cube-root law (Taagepera 1972: seats ≈
//! population^(1/3), "about 265" for Kazakhstan). The same step fixes the Bundestag's
//! Land quotas (BWahlG 2013-2020 § 6 (2): Sainte-Laguë on the German population) and the
//! Czech regions' magnitudes (Act 247/1995 § 48: Hare largest remainders on valid votes).
//!
//! A district is treated like a list whose votes are its population, so every method of
//! [`crate::seats::allocation::allocate`] applies with its tie rules and trace, and no threshold.
//! A minimum per district is applied in one of two documented ways ([`MinimumRule`]).
//! [`DivisorChoice`] gives the divisor of a divisor-method result, as official tables show
//! it; it is shared with [`crate::systems::biproportional`].

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::One;
use serde::Serialize;

use crate::seats::allocation::{Allocation, AllocationError, allocate};
use crate::seats::contest::{Ballots, Contest, List};
use crate::seats::divisor::{Divisor, DivisorValue};
use crate::seats::lot::LotSeed;
use crate::seats::method::{Method, Rules, RulesConfig, RulesError};
use crate::seats::rational::Rational;
use crate::seats::tie::TieRule;
use crate::seats::votes::{ListId, Seats, Votes};

/// The population (or the registered voters) of a district: the weight its seats follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Population(pub u64);

/// A district and its population, before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictPopulation {
    /// The district's name, unique among the districts.
    pub name: String,
    /// Its population (or registered voters).
    pub population: Population,
}

/// The districts to give seats to and their populations, validated: at least one district,
/// with unique non-empty names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Populations {
    districts: Vec<DistrictPopulation>,
}

/// Why a list of districts is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PopulationsError {
    /// No districts at all.
    #[error("at least one district is needed")]
    Empty,
    /// A district without a name.
    #[error("district {0} has an empty name")]
    EmptyName(usize),
    /// Two districts with the same name.
    #[error("district name {0:?} is used twice")]
    DuplicateName(String),
    /// The populations add up to more than 2^64.
    #[error("the populations add up to more than 2^64")]
    TotalTooLarge,
}

impl Populations {
    /// Checks the districts: at least one, names non-empty and unique, total below 2^64.
    pub fn new(districts: Vec<DistrictPopulation>) -> Result<Populations, PopulationsError> {
        if districts.is_empty() {
            return Err(PopulationsError::Empty);
        }
        // One pass: a check of each against all before it is quadratic in districts.
        let mut seen = std::collections::HashSet::with_capacity(districts.len());
        for (idx, district) in districts.iter().enumerate() {
            if district.name.is_empty() {
                return Err(PopulationsError::EmptyName(idx + 1));
            }
            if !seen.insert(&district.name) {
                return Err(PopulationsError::DuplicateName(district.name.clone()));
            }
        }
        districts
            .iter()
            .try_fold(0u64, |total, district| total.checked_add(district.population.0))
            .ok_or(PopulationsError::TotalTooLarge)?;
        Ok(Populations { districts })
    }

    /// The districts in input order.
    pub fn districts(&self) -> &[DistrictPopulation] {
        &self.districts
    }

    /// The total population.
    pub fn total(&self) -> Population {
        Population(self.districts.iter().map(|district| district.population.0).sum())
    }
}

/// How many seats the house has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "seats")]
pub enum HouseSize {
    /// A fixed number (98 party-list seats in the 2021 Mazhilis).
    Seats(Seats),
    /// The cube-root law: the whole number nearest to the total population's cube root
    /// (Taagepera 1972), see [`cube_root_house_size`].
    CubeRoot,
}

/// How a minimum number of seats per district is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MinimumRule {
    /// Minimum first: every district receives the minimum, and the remaining seats are
    /// apportioned among all districts by the method, as if the minimum did not exist.
    /// A district ends with the minimum plus its share of the rest.
    Added,
    /// Minimum as a floor: the method runs on all seats; every district given fewer than
    /// the minimum is held at the minimum and leaves the distribution, and the rest is
    /// distributed again among the others, until none falls below. For divisor methods
    /// this is the divisor method with a minimum: each district gets the larger of the
    /// minimum and its rounded quotient, for one common divisor. The Swiss National
    /// Council's rule (BPR art. 17) is a largest-remainder relative: there a canton is held
    /// at one seat when its population is below the quota, before any remainder counts.
    Floor,
}

/// A minimum number of seats per district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Minimum {
    /// The seats every district receives at least.
    pub seats: Seats,
    /// How the minimum is applied.
    pub rule: MinimumRule,
}

/// The parts of [`ApportionmentRules`], before they are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApportionmentConfig {
    /// The method: largest remainders with any quota, or any divisor.
    pub method: Method,
    /// The house size.
    pub house: HouseSize,
    /// A minimum per district, if any.
    pub minimum: Option<Minimum>,
    /// How ties are broken.
    pub ties: TieRule,
    /// The seed of lots; `None` uses each round's content seed.
    pub lot_seed: Option<LotSeed>,
}

/// Validated apportionment rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApportionmentRules {
    rules: Rules,
    house: HouseSize,
    minimum: Option<Minimum>,
}

impl ApportionmentRules {
    /// Checks the method (a modified Sainte-Laguë first divisor must be positive).
    pub fn new(config: ApportionmentConfig) -> Result<ApportionmentRules, RulesError> {
        let rules = Rules::new(RulesConfig {
            method: config.method,
            threshold: None,
            admit_at_least: 0,
            runner_up: None,
            ties: config.ties,
            lot_seed: config.lot_seed,
        })?;
        Ok(ApportionmentRules { rules, house: config.house, minimum: config.minimum })
    }

    /// The allocation rules the districts are apportioned with.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The house size rule.
    pub fn house(&self) -> HouseSize {
        self.house
    }

    /// The minimum per district.
    pub fn minimum(&self) -> Option<Minimum> {
        self.minimum
    }
}

/// One run of the method: the districts taking part and the seats they shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApportionmentRound {
    /// The districts taking part, in input order; the list indices of `allocation` refer
    /// to this vector.
    pub districts: Vec<usize>,
    /// The seats distributed in this round.
    pub seats: Seats,
    /// The allocation, with its trace.
    pub allocation: Allocation,
    /// Districts given fewer than the minimum, held at the minimum from the next round on
    /// (indices in input order; [`MinimumRule::Floor`] only).
    pub below_minimum: Vec<usize>,
}

/// The result of an apportionment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Apportionment {
    /// The house size.
    pub house: Seats,
    /// Seats per district, in input order.
    pub seats: Vec<Seats>,
    /// Per district: true when its seats are the minimum the method alone would not give.
    pub at_minimum: Vec<bool>,
    /// The runs of the method (none when the minimums fill the house).
    pub rounds: Vec<ApportionmentRound>,
    /// For divisor methods: the divisor of the last round, as official tables show it.
    pub divisor: Option<DivisorChoice>,
}

/// Why seats cannot be apportioned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApportionmentError {
    /// The house has no seats.
    #[error("the house has no seats")]
    NoSeats,
    /// The minimums need more seats than the house has.
    #[error(
        "{districts} districts at {minimum} seats each need {needed} seats, but the house has {house}"
    )]
    MinimumExceedsHouse {
        /// Number of districts.
        districts: usize,
        /// The minimum per district.
        minimum: Seats,
        /// Seats the minimums need.
        needed: u64,
        /// The house size.
        house: Seats,
    },
    /// The method could not allocate (every population is zero, for example).
    #[error("allocating the seats: {0}")]
    Allocation(#[from] AllocationError),
}

/// The house size by the cube-root law (Taagepera 1972, "The size of national
/// assemblies"): the whole number nearest to the real cube root of the population,
/// computed exactly. With `k` the integer cube root, the nearest whole number is `k + 1`
/// exactly when `n > (k + 1/2)^3`, that is `8 n > (2 k + 1)^3`; the two sides are never
/// equal (one is even, the other odd), so no halfway case exists.
pub fn cube_root_house_size(population: Population) -> Seats {
    let n = u128::from(population.0);
    let root = integer_cube_root(n);
    let next_half_cubed = (2 * root + 1).pow(3);
    let nearest = if 8 * n > next_half_cubed { root + 1 } else { root };
    Seats(u32::try_from(nearest).expect("the cube root of a u64 is below 2^22"))
}

/// The largest `k` with `k^3 <= n`, by bisection on integers.
fn integer_cube_root(n: u128) -> u128 {
    // The cube root of a number below 2^128 is below 2^43.
    let (mut low, mut high) = (0u128, 1u128 << 43);
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        match middle.checked_pow(3) {
            Some(cube) if cube <= n => low = middle,
            _ => high = middle,
        }
    }
    low
}

/// Apportions the house among the districts under the rules, with a trace per round.
pub fn apportionment(
    rules: &ApportionmentRules,
    districts: &Populations,
) -> Result<Apportionment, ApportionmentError> {
    let house = match rules.house {
        HouseSize::Seats(seats) => seats,
        HouseSize::CubeRoot => cube_root_house_size(districts.total()),
    };
    if house.0 == 0 {
        return Err(ApportionmentError::NoSeats);
    }
    let count = districts.districts().len();
    let minimum = rules.minimum.filter(|minimum| minimum.seats.0 > 0);
    if let Some(minimum) = minimum {
        let needed = u64::try_from(count).unwrap_or(u64::MAX) * u64::from(minimum.seats.0);
        if needed > u64::from(house.0) {
            return Err(ApportionmentError::MinimumExceedsHouse {
                districts: count,
                minimum: minimum.seats,
                needed,
                house,
            });
        }
    }
    let mut res = match minimum {
        None => floor_rounds(rules, districts, house, Seats(0))?,
        Some(Minimum { seats, rule: MinimumRule::Floor }) => {
            floor_rounds(rules, districts, house, seats)?
        }
        Some(Minimum { seats, rule: MinimumRule::Added }) => {
            added_round(rules, districts, house, seats)?
        }
    };
    res.divisor = last_round_divisor(rules, districts, &res.rounds);
    Ok(res)
}

/// [`MinimumRule::Added`]: the minimum to all, the rest by the method.
fn added_round(
    rules: &ApportionmentRules,
    districts: &Populations,
    house: Seats,
    minimum: Seats,
) -> Result<Apportionment, ApportionmentError> {
    let count = districts.districts().len();
    let reserved = u32::try_from(count).expect("fewer districts than seats") * minimum.0;
    let mut seats = vec![minimum; count];
    let mut rounds = Vec::new();
    let rest = Seats(house.0 - reserved);
    if rest.0 > 0 {
        let taking_part: Vec<usize> = (0..count).collect();
        let allocation = round_allocation(rules, districts, &taking_part, rest, 1)?;
        for (seats, won) in seats.iter_mut().zip(&allocation.seats) {
            seats.0 += won.0;
        }
        rounds.push(ApportionmentRound {
            districts: taking_part,
            seats: rest,
            allocation,
            below_minimum: Vec::new(),
        });
    }
    Ok(Apportionment { house, seats, at_minimum: vec![false; count], rounds, divisor: None })
}

/// [`MinimumRule::Floor`] (and no minimum, with `minimum` zero): rounds of the method,
/// each holding the districts that fall below the minimum at the minimum. Every round
/// holds at least one more district, so there are at most as many rounds as districts.
fn floor_rounds(
    rules: &ApportionmentRules,
    districts: &Populations,
    house: Seats,
    minimum: Seats,
) -> Result<Apportionment, ApportionmentError> {
    let count = districts.districts().len();
    let mut seats = vec![Seats(0); count];
    let mut at_minimum = vec![false; count];
    let mut rounds: Vec<ApportionmentRound> = Vec::new();
    let mut taking_part: Vec<usize> = (0..count).collect();
    let mut left = house;
    while !taking_part.is_empty() && left.0 > 0 {
        let number = rounds.len() + 1;
        let allocation = round_allocation(rules, districts, &taking_part, left, number)?;
        let round_districts = taking_part.clone();
        let below: Vec<usize> = taking_part
            .iter()
            .zip(&allocation.seats)
            .filter(|(_, won)| **won < minimum)
            .map(|(&district, _)| district)
            .collect();
        if below.is_empty() {
            for (&district, won) in taking_part.iter().zip(&allocation.seats) {
                seats[district] = *won;
            }
        }
        for &district in &below {
            seats[district] = minimum;
            at_minimum[district] = true;
            left.0 -= minimum.0;
        }
        taking_part.retain(|district| !below.contains(district));
        let done = below.is_empty();
        rounds.push(ApportionmentRound {
            districts: round_districts,
            seats: allocation.seats.iter().copied().sum(),
            allocation,
            below_minimum: below,
        });
        if done {
            break;
        }
    }
    Ok(Apportionment { house, seats, at_minimum, rounds, divisor: None })
}

/// One run of the method among `taking_part` for `seats` seats.
fn round_allocation(
    rules: &ApportionmentRules,
    districts: &Populations,
    taking_part: &[usize],
    seats: Seats,
    number: usize,
) -> Result<Allocation, ApportionmentError> {
    let lists = taking_part
        .iter()
        .map(|&idx| {
            let district = &districts.districts()[idx];
            List {
                id: ListId::new(&district.name),
                name: district.name.clone(),
                votes: Votes(district.population.0),
                threshold: None,
            }
        })
        .collect();
    let name = format!("apportionment round {number}");
    let contest = Contest::new(&name, seats, lists, Ballots::default())
        .expect("validated districts make a valid contest");
    Ok(allocate(&rules.rules, &contest)?)
}

/// The divisor of the last round, for divisor methods.
fn last_round_divisor(
    rules: &ApportionmentRules,
    districts: &Populations,
    rounds: &[ApportionmentRound],
) -> Option<DivisorChoice> {
    let Method::Divisor { divisor } = rules.rules.method() else {
        return None;
    };
    let round = rounds.last()?;
    let weights: Vec<Rational> = round
        .districts
        .iter()
        .map(|&idx| Rational::from_integer(i128::from(districts.districts()[idx].population.0)))
        .collect();
    divisor_choice(&weights, &round.allocation.seats, divisor)
}

/// The divisors that reproduce a divisor-method result, and the one a table would print.
///
/// On the method's natural scale a list's seats are its weight divided by the divisor,
/// rounded by the method's rule (Sainte-Laguë rounds to the nearest whole number, so the
/// Bundestag's 2017 Land quotas use "Divisor 122 650"). Every divisor from `lowest` to
/// `highest` gives the same seats; at either end a quotient sits exactly on a rounding
/// boundary, which is a tie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DivisorChoice {
    /// The smallest divisor that gives these seats.
    pub lowest: Rational,
    /// The largest divisor that gives these seats.
    pub highest: Rational,
    /// The divisor with the fewest significant digits strictly between the two (a final 5
    /// preferred, then nearest to their middle), or the only divisor when they are equal.
    pub chosen: Rational,
}

/// The divisor range of `seats` for `weights` under a divisor method, on its natural
/// scale; `None` for Huntington-Hill (its boundaries are irrational) and when no divisor
/// bounds the result from above (no list has a seat past a zero divisor).
pub fn divisor_choice(
    weights: &[Rational],
    seats: &[Seats],
    divisor: Divisor,
) -> Option<DivisorChoice> {
    let scale = Rational::from_integer(match divisor {
        Divisor::SainteLague | Divisor::ModifiedSainteLague { .. } => 2,
        Divisor::Danish => 3,
        _ => 1,
    });
    let linear = |held: u32| match divisor.value(held) {
        DivisorValue::Linear(value) => Some(value.to_rational()),
        DivisorValue::Square(_) => None,
    };
    let mut lowest = Rational::zero();
    let mut highest: Option<Rational> = None;
    for (weight, won) in weights.iter().zip(seats) {
        let next = linear(won.0)?;
        if next.is_zero() {
            // A zero divisor makes any positive weight win a seat whatever the divisor.
            if !weight.is_zero() {
                return None;
            }
        } else {
            let candidate = weight.div(&next);
            if candidate > lowest {
                lowest = candidate;
            }
        }
        if won.0 > 0 {
            let last = linear(won.0 - 1)?;
            if !last.is_zero() {
                let bound = weight.div(&last);
                highest = Some(match highest {
                    Some(high) => high.min(bound),
                    None => bound,
                });
            }
        }
    }
    let (lowest, highest) = (lowest.mul(&scale), highest?.mul(&scale));
    let chosen = match lowest.compare(&highest) {
        Ordering::Less => simplest_between(&lowest, Some(&highest)),
        _ => lowest.clone(),
    };
    Some(DivisorChoice { lowest, highest, chosen })
}

/// The number with the fewest significant digits strictly between `low` (at least zero)
/// and `high` (above `low`; `None` for no upper end), a final 5 preferred to other final
/// digits, and nearest to the middle among those: `122 650` between 122 609.8 and
/// 122 653.6 (the Bundestag's 2017 divisor).
///
/// It is a multiple of the largest step `10^e` or `5 × 10^(e-1)` that has a multiple
/// strictly inside; such a step exists because the interval has positive width, so the
/// loop ends once the step is below the width.
pub(crate) fn simplest_between(low: &Rational, high: Option<&Rational>) -> Rational {
    let ten = BigRational::from_integer(BigInt::from(10));
    let Some(high) = high else {
        // Unbounded above: the next power of ten above `low`.
        let mut power = BigRational::one();
        while power <= *low.as_big() {
            power *= &ten;
        }
        return Rational::from_big(power);
    };
    let mut power = BigRational::one();
    while power <= *high.as_big() {
        power *= &ten;
    }
    let two = BigRational::from_integer(BigInt::from(2));
    loop {
        for step in [power.clone(), &power / &two] {
            if let Some(multiple) = multiple_between(low.as_big(), high.as_big(), &step) {
                return Rational::from_big(multiple);
            }
        }
        power /= &ten;
    }
}

/// The multiple of `step` strictly between `low` and `high` nearest to their middle
/// (halves down), if there is one.
fn multiple_between(
    low: &BigRational,
    high: &BigRational,
    step: &BigRational,
) -> Option<BigRational> {
    let first = (low / step).floor() + BigRational::one();
    let last = (high / step).ceil() - BigRational::one();
    if first > last {
        return None;
    }
    let middle = (low + high) / (step * BigRational::from_integer(BigInt::from(2)));
    let nearest = (middle - BigRational::new(BigInt::from(1), BigInt::from(2))).ceil();
    Some(nearest.max(first).min(last) * step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(population: u64, expect: u32) {
        assert_eq!(cube_root_house_size(Population(population)), Seats(expect), "{population}");
    }

    #[test]
    fn cube_root_rounds_to_the_nearest_seat() {
        check(0, 0);
        check(1, 1);
        check(7, 2);
        check(8, 2);
        // (264.5)^3 = 18,504,486.125 and (265.5)^3 = 18,715,161.375.
        check(18_504_486, 264);
        check(18_504_487, 265);
        check(18_715_161, 265);
        check(18_715_162, 266);
        check(u64::MAX, 2_642_246);
    }

    #[test]
    fn simplest_numbers_between() {
        let show = |low: (u128, u128), high: (u128, u128)| {
            let low = Rational::from_ratio(low.0, low.1);
            let high = Rational::from_ratio(high.0, high.1);
            simplest_between(&low, Some(&high)).to_string()
        };
        assert_eq!(show((1505, 1), (1520, 1)), "1510");
        assert_eq!(show((122_600, 1), (122_700, 1)), "122650");
        assert_eq!(show((1, 3), (1, 2)), "2/5");
        assert_eq!(show((0, 1), (7, 1)), "5");
        assert_eq!(show((1_226_097, 10), (1_226_536, 10)), "122650");
        assert_eq!(show((99, 1), (101, 1)), "100");
        let above = simplest_between(&Rational::from_integer(320), None);
        assert_eq!(above.to_string(), "1000");
    }
}
