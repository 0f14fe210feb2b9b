//! The national-first pattern of multi-district PR: seats allocated to the lists on their
//! national totals, then each list's seats spread over the districts where its votes are.
//!
//! This keeps every list's national total exact and puts its members where its voters
//! are, but the seats a district receives are not fixed in advance. When district
//! magnitudes are fixed, the two constraints together need biproportional apportionment,
//! which lives in its own module.

use serde::Serialize;

use crate::seats::allocation::{Allocation, allocate};
use crate::seats::contest::{Ballots, Contest, List};
use crate::seats::method::{Method, Rules, RulesConfig};
use crate::seats::quota::{Quota, QuotaKind};
use crate::seats::trace::Trace;
use crate::seats::votes::{ListId, Seats};
use crate::systems::district::{DistrictError, Districts, districts_as_lists, engine_list};

/// The national-first pattern: one national allocation, then each list's seats spread
/// over the districts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NationwideAllocation {
    /// The national allocation on the lists' national votes.
    pub national: Allocation,
    /// Seats of each list in each district: `seats[district][list]`.
    pub seats: Vec<Vec<Seats>>,
    /// Seats of each district: whatever the spreads give, not a fixed magnitude.
    pub district_totals: Vec<Seats>,
    /// One spread per list with seats.
    pub spreads: Vec<ListSpread>,
}

/// How one list's seats were spread over the districts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListSpread {
    /// The list (index in registration order).
    pub list: usize,
    /// The engine's trace, with the districts as its "lists" in district order.
    pub trace: Trace,
}

/// Allocates `house` seats on national totals under `rules` (a nationwide single
/// district, as art. 97-1 does), then spreads each list's seats over the districts by
/// Hare largest remainders of its district votes, ties under `rules`' tie rule.
///
/// This is the simplest way back to the districts: it keeps every list's national total
/// and puts its members where its voters are, but district totals are not fixed in
/// advance. Fixed district magnitudes need biproportional apportionment instead.
pub fn nationwide_allocation(
    rules: &Rules,
    house: Seats,
    districts: &Districts,
) -> Result<NationwideAllocation, DistrictError> {
    let lists: Vec<List> = (0..districts.lists().len())
        .map(|list| engine_list(&districts.lists()[list], districts.list_votes(list)))
        .collect();
    if house.0 == 0 {
        return Err(DistrictError::NoSeats);
    }
    let error = |source| DistrictError::Allocation { step: "national".to_owned(), source };
    let contest = Contest::new(districts.name(), house, lists, Ballots::default())
        .expect("at least one list with a unique, non-empty id");
    let national = allocate(rules, &contest).map_err(error)?;
    let spread_rules = Rules::new(RulesConfig {
        method: Method::LargestRemainder { quota: Quota::usual(QuotaKind::Hare) },
        threshold: None,
        admit_at_least: 0,
        runner_up: None,
        ties: rules.ties().clone(),
        lot_seed: rules.lot_seed().cloned(),
    })
    .expect("Hare without a runner-up rule is always valid");
    let mut seats = vec![vec![Seats(0); districts.lists().len()]; districts.districts().len()];
    let mut spreads = Vec::new();
    for (list, &won) in national.seats.iter().enumerate().filter(|(_, won)| won.0 > 0) {
        let district_lists = (0..districts.districts().len())
            .map(|idx| {
                let name = &districts.districts()[idx].name;
                let votes = districts.districts()[idx].votes[list];
                List { id: ListId::new(name), name: name.clone(), votes, threshold: None }
            })
            .collect();
        let step = districts.lists()[list].id.to_string();
        let res = districts_as_lists(districts, &step, won, district_lists, &spread_rules)?;
        for (district_idx, district_seats) in res.seats.iter().enumerate() {
            seats[district_idx][list] = *district_seats;
        }
        spreads.push(ListSpread { list, trace: res.trace });
    }
    let district_totals = seats.iter().map(|row| row.iter().copied().sum()).collect();
    Ok(NationwideAllocation { national, seats, district_totals, spreads })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hare on national totals for `house` seats, ties by registration, lists a, b, ...
    /// in districts d1, d2, ...; checks the seats per district.
    fn check(rows: &[&[u64]], house: u32, expect_national: &[u32], expect: &[&[u32]]) {
        let districts = crate::systems::district::test_districts(rows);
        let hare = Method::LargestRemainder { quota: Quota::usual(QuotaKind::Hare) };
        let rules = crate::seats::method::test_rules(hare);
        let res = nationwide_allocation(&rules, Seats(house), &districts).expect("an allocation");
        let national: Vec<u32> = res.national.seats.iter().map(|seats| seats.0).collect();
        let seats: Vec<Vec<u32>> =
            res.seats.iter().map(|row| row.iter().map(|seats| seats.0).collect()).collect();
        assert_eq!(national, expect_national);
        assert_eq!(seats, expect);
    }

    #[test]
    fn seats_are_spread_where_the_votes_are() {
        // National: 700, 400, 900 of 2000 for 10 seats are 3.5, 2 and 4.5 quotas; the tie of
        // halves goes to a, registered first. b's 300 and 100 votes for 2 seats are 1.5
        // and 0.5 quotas: the tie goes to the district listed first.
        check(&[&[600, 300, 100], &[100, 100, 800]], 10, &[4, 2, 4], &[&[3, 2, 0], &[1, 0, 4]]);
    }
}
