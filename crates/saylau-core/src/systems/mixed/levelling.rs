//! Levelling: the smallest enlarged house in which every list's proportional allocation
//! reaches a minimum number of seats.
//!
//! This is the compensation of overhang by levelling seats (Ausgleichsmandate) of the
//! German Federal Elections Act, § 6 (5) BWahlG as amended on 3 May 2013 (BGBl. I S. 1082,
//! in force for the elections of 2013 and 2017): "the number of seats is increased until
//! every party receives, in the second distribution, at least" its minimum. The minimum is
//! a party's electorates in [`crate::systems::mixed`], and the sum of its per-Land minimum seat
//! numbers (Mindestsitzzahlen) in [`crate::systems::mixed::federal`].
//!
//! The first try is the contest's own house. For divisor methods the levelled house is
//! then computed directly: the cut is the smallest quotient at which a list reaches its
//! minimum (`votes / d(minimum - 1)`, the divisor the Federal Returning Officer reports),
//! and the house is the number of quotients above the cut plus one seat for each list
//! whose minimum sits on it. House monotonicity makes this the smallest house that works;
//! [`allocate`] on it confirms, one seat more at a time when a tie at the cut went the
//! other way. Largest-remainder methods are not house-monotone, so for them the house
//! grows one seat at a time. A levelled house above [`MAX_LEVELLED_HOUSE`] is refused.

use serde::Serialize;

use crate::seats::allocation::{Allocation, AllocationError, allocate};
use crate::seats::contest::Contest;
use crate::seats::divisor::{Divisor, Quotient};
use crate::seats::method::{Method, Rules};
use crate::seats::trace::{Admission, Trace};
use crate::seats::votes::Seats;

/// The result of levelling: the allocation of the enlarged house, and the houses tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Levelled {
    /// The allocation of the levelled house; its trace is the engine's.
    pub allocation: Allocation,
    /// The levelled house.
    pub house: Seats,
    /// The smaller houses tried, with the lists that fell short in each.
    pub tried: Vec<LevelTry>,
    /// The minimum of each list.
    pub minimums: Vec<Seats>,
}

/// One house that fell short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelTry {
    /// The house size tried.
    pub house: Seats,
    /// The lists below their minimum in it.
    pub short: Vec<Shortfall>,
}

/// A list below its minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    /// The list (position in the levelled contest).
    pub list: usize,
    /// Its seats in the house tried.
    pub seats: Seats,
    /// Its minimum.
    pub minimum: Seats,
}

/// The levelling as recorded in a mixed trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevellingTrace {
    /// The lists of the levelled contest (indices in the caller's order), numbered by
    /// position in `tried` and in the engine trace.
    pub lists: Vec<usize>,
    /// The minimum of each list, by position.
    pub minimums: Vec<Seats>,
    /// The smaller houses tried.
    pub tried: Vec<LevelTry>,
    /// The levelled house.
    pub house: Seats,
    /// The engine's trace of the levelled house.
    pub trace: Trace,
}

/// Why a house cannot be levelled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LevellingError {
    /// Not one minimum per list.
    #[error("{found} minimums for {expected} lists")]
    MinimumCount {
        /// Lists in the contest.
        expected: usize,
        /// Minimums given.
        found: usize,
    },
    /// A list with a minimum that can never get a seat.
    #[error("list {0} needs seats but is not admitted, so no house can level it")]
    Unreachable(String),
    /// The levelled house would pass [`MAX_LEVELLED_HOUSE`].
    #[error("levelling would need more than {0} seats")]
    TooLarge(Seats),
    /// The engine refused a house.
    #[error("levelling: {0}")]
    Allocation(#[from] AllocationError),
}

impl Levelled {
    /// The trace for a mixed result, with `lists` naming the levelled contest's lists.
    pub fn trace(self, lists: Vec<usize>) -> LevellingTrace {
        LevellingTrace {
            lists,
            minimums: self.minimums,
            tried: self.tried,
            house: self.house,
            trace: self.allocation.trace,
        }
    }
}

/// The largest house levelling may reach: no parliament comes near it, and a search past
/// it would only mean a list with almost no votes and a large minimum.
pub const MAX_LEVELLED_HOUSE: Seats = Seats(100_000);

/// The smallest house, from `contest.seats()` up, in which the allocation under `rules`
/// gives every list at least its minimum. The rules should carry no threshold: a list
/// they exclude cannot be levelled.
pub fn levelled_allocation(
    rules: &Rules,
    contest: &Contest,
    minimums: &[Seats],
) -> Result<Levelled, LevellingError> {
    if minimums.len() != contest.lists().len() {
        return Err(LevellingError::MinimumCount {
            expected: contest.lists().len(),
            found: minimums.len(),
        });
    }
    let mut house = contest.seats();
    let mut tried = Vec::new();
    loop {
        let sized =
            Contest::new(contest.name(), house, contest.lists().to_vec(), contest.ballots())
                .expect("a larger house of a valid contest is valid");
        let allocation = allocate(rules, &sized)?;
        let short: Vec<Shortfall> = (0..minimums.len())
            .filter(|&list| allocation.seats[list] < minimums[list])
            .map(|list| Shortfall { list, seats: allocation.seats[list], minimum: minimums[list] })
            .collect();
        if let Some(gap) = short.iter().find(|gap| !allocation.admission[gap.list].is_admitted()) {
            return Err(LevellingError::Unreachable(contest.lists()[gap.list].id.to_string()));
        }
        if short.is_empty() {
            let minimums = minimums.to_vec();
            return Ok(Levelled { allocation, house, tried, minimums });
        }
        let first_try = tried.is_empty();
        tried.push(LevelTry { house, short });
        house = Seats(house.0 + 1);
        if let (true, Method::Divisor { divisor }) = (first_try, rules.method()) {
            house = house.max(divisor_house(divisor, contest, minimums, &allocation.admission));
        }
        if house > MAX_LEVELLED_HOUSE {
            return Err(LevellingError::TooLarge(MAX_LEVELLED_HOUSE));
        }
    }
}

/// The smallest house in which a divisor method reaches every minimum, ties at the cut
/// going to the lists that need them; above [`MAX_LEVELLED_HOUSE`] when that is larger.
fn divisor_house(
    divisor: Divisor,
    contest: &Contest,
    minimums: &[Seats],
    admission: &[Admission],
) -> Seats {
    let admitted: Vec<usize> =
        (0..minimums.len()).filter(|&list| admission[list].is_admitted()).collect();
    let needed = |list: usize| Quotient {
        votes: contest.lists()[list].votes,
        divisor: divisor.value(minimums[list].0 - 1),
    };
    let Some(cut) =
        admitted.iter().filter(|&&list| minimums[list].0 > 0).map(|&list| needed(list)).min()
    else {
        return contest.seats();
    };
    let mut house: u32 = 0;
    for &list in &admitted {
        let votes = contest.lists()[list].votes;
        let mut above = 0;
        while (Quotient { votes, divisor: divisor.value(above) }) > cut {
            above += 1;
            if house + above > MAX_LEVELLED_HOUSE.0 {
                return Seats(MAX_LEVELLED_HOUSE.0 + 1);
            }
        }
        let on_cut = minimums[list].0 > 0 && needed(list) == cut;
        house += above + u32::from(on_cut);
    }
    Seats(house)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seats::quota::{Quota, QuotaKind};

    /// Levels lists with `votes` from `seats` under `method`, ties by registration; checks
    /// the levelled seats and the houses tried.
    fn check(
        method: Method,
        votes: &[u64],
        seats: u32,
        minimums: &[u32],
        expect: &[u32],
        expect_tried: &[u32],
    ) {
        let contest = crate::seats::contest::test_contest(votes, seats);
        let rules = crate::seats::method::test_rules(method);
        let minimums: Vec<Seats> = minimums.iter().copied().map(Seats).collect();
        let res = levelled_allocation(&rules, &contest, &minimums).expect("a levelled house");
        let seats: Vec<u32> = res.allocation.seats.iter().map(|seats| seats.0).collect();
        let tried: Vec<u32> = res.tried.iter().map(|it| it.house.0).collect();
        assert_eq!((seats.as_slice(), tried.as_slice()), (expect, expect_tried));
    }

    #[test]
    fn divisor_methods_jump_to_the_cut() {
        let sainte_lague = Method::Divisor { divisor: Divisor::SainteLague };
        // c's third seat is at 100/5 = 20; b's eighth (300/15) ties there and wins it by
        // registration, so 25 falls short and 26 levels.
        check(sainte_lague, &[600, 300, 100], 10, &[0, 0, 3], &[15, 8, 3], &[10, 25]);
        check(sainte_lague, &[600, 300, 100], 10, &[6, 3, 1], &[6, 3, 1], &[]);
        let dhondt = Method::Divisor { divisor: Divisor::DHondt };
        // D'Hondt: c's second seat is at 100/2 = 50, where a's twelfth (600/12) and b's
        // sixth (300/6) tie with it. The cut gives 18; registration serves a and b first,
        // so 18 and 19 fall short and 20 levels.
        check(dhondt, &[600, 300, 100], 4, &[0, 0, 2], &[12, 6, 2], &[4, 18, 19]);
    }

    #[test]
    fn largest_remainders_step_one_seat_at_a_time() {
        let hare = Method::LargestRemainder { quota: Quota::usual(QuotaKind::Hare) };
        let tried: Vec<u32> = (10..27).collect();
        check(hare, &[600, 300, 100], 10, &[0, 0, 3], &[16, 8, 3], &tried);
    }
}
