//! Property tests: the axioms every method claims, over random contests and rules (see
//! `strategy`): the seats sum to the house, anonymity, house monotonicity of divisor
//! methods, the quota rule of Hare and determinism.

use proptest::prelude::*;
use saylau_core::seats::allocation::{AllocationError, allocate};
use saylau_core::seats::fraction::Fraction;
use saylau_core::seats::lot::{LotSeed, draw_order};
use saylau_core::seats::method::RulesConfig;
use saylau_core::seats::threshold::{Percent, ThresholdBase};
use saylau_core::seats::trace::Admission;
use saylau_core::seats::votes::Seats;

use crate::reach::{Reached, properties};
use crate::strategy::{
    Draft, config_with, distinct_votes, divisor_method, draft, draft_with, hare, large_votes,
    method, permuted, rules, tie_rule, votes_rule,
};

properties! {
    cases = Some(384);

    fn seats_sum_to_the_house(draft in draft(), config in config_with(method(), tie_rule())) {
        seats_sum_to_the_house_holds(&draft, &config)
    }

    fn anonymous_with_a_votes_tie_rule(
        (draft, perm) in permuted(draft_with(distinct_votes())),
        config in config_with(method(), Just(votes_rule())),
    ) {
        check_anonymous(&draft, &perm, &config, true)
    }

    // Large votes: a tie (which any rule but votes may decide by position) is rare.
    fn anonymous_without_ties(
        (draft, perm) in permuted(draft_with(large_votes())),
        config in config_with(method(), tie_rule()),
    ) {
        check_anonymous(&draft, &perm, &config, false)
    }

    fn divisor_methods_are_house_monotone(
        draft in draft(),
        config in config_with(divisor_method(), tie_rule()),
    ) {
        house_monotone_holds(&draft, config)
    }

    // At least one list admitted: a contest with nobody to seat has no quota rule.
    fn hare_meets_the_quota_rule(
        draft in draft(),
        config in config_with(Just(hare()), tie_rule())
            .prop_map(|config| RulesConfig { admit_at_least: config.admit_at_least.max(1), ..config }),
    ) {
        quota_rule_holds(&draft, config)
    }

    fn same_input_same_trace(
        draft in draft_with(prop::collection::vec(0u64..=30, 1..=12)),
        config in config_with(method(), tie_rule()),
    ) {
        determinism_holds(&draft, config)
    }
}

/// The seats sum to the house size; lists that are not admitted (below the threshold or
/// without votes) get none; each list is admitted exactly as the threshold says.
fn seats_sum_to_the_house_holds(
    draft: &Draft,
    config: &RulesConfig,
) -> Result<Reached, TestCaseError> {
    let res = match allocate(&rules(config), &draft.contest()) {
        Ok(res) => res,
        // Nobody passes and nobody is admitted in their place.
        Err(AllocationError::NothingAdmitted) => {
            let base =
                base_votes(draft, config.threshold.map_or(ThresholdBase::Valid, |it| it.base));
            for (idx, &votes) in draft.votes.iter().enumerate() {
                let percent = draft.own_thresholds[idx].or(config.threshold.map(|it| it.percent));
                let passes = percent.is_none_or(|percent| meets(percent, votes, base));
                prop_assert!(votes == 0 || (!passes && config.admit_at_least == 0), "list {}", idx);
            }
            return Ok(Reached::Yes);
        }
        // Every quota is at least votes / (seats + 2) (Imperiali's), so it rounds to zero
        // only below one.
        Err(AllocationError::ZeroQuota(votes)) => {
            prop_assert!(votes.0 < u64::from(draft.seats) + 2, "{} votes", votes.0);
            return Ok(Reached::Yes);
        }
        // The 2009 minimum can demand more seats than a tiny house has: refused, not
        // over-filled.
        Err(AllocationError::MinimumsExceedHouse { minimums, seats }) => {
            prop_assert!(minimums > seats.0 && seats.0 == draft.seats);
            return Ok(Reached::Yes);
        }
        Err(err) => return Err(TestCaseError::fail(err.to_string())),
    };
    prop_assert_eq!(total(&res.seats), draft.seats);
    let base = base_votes(draft, config.threshold.map_or(ThresholdBase::Valid, |it| it.base));
    for (idx, (&status, seats)) in res.admission.iter().zip(&res.seats).enumerate() {
        if !status.is_admitted() {
            prop_assert_eq!(seats.0, 0, "list {} is {:?}", idx, status);
        }
        let percent = draft.own_thresholds[idx].or(config.threshold.map(|it| it.percent));
        let passes = percent.is_none_or(|percent| meets(percent, draft.votes[idx], base));
        let expect = match status {
            _ if draft.votes[idx] == 0 => Admission::NoVotes,
            _ if passes => Admission::Passed,
            Admission::RunnerUp => Admission::RunnerUp,
            _ => Admission::BelowThreshold,
        };
        prop_assert_eq!(status, expect, "list {}", idx);
    }
    Ok(Reached::Yes)
}

/// House monotonicity of divisor methods: one more seat takes no seat from any list.
/// The lot seed is fixed, so both runs break their common ties with the same seeds, and
/// every tie rule picks nested winners when one more is needed. (With the default seed it
/// holds only without ties: the content seed covers the house size.)
fn house_monotone_holds(draft: &Draft, config: RulesConfig) -> Result<Reached, TestCaseError> {
    let config = RulesConfig { lot_seed: Some(LotSeed::new("house")), ..config };
    let rules = rules(&config);
    let larger = Draft { seats: draft.seats + 1, ..draft.clone() };
    let (smaller, larger) =
        match (allocate(&rules, &draft.contest()), allocate(&rules, &larger.contest())) {
            (Ok(smaller), Ok(larger)) => (smaller, larger),
            // Admission does not depend on the house: nobody admitted in both.
            (Err(smaller), larger) => {
                prop_assert_eq!(Err(smaller), larger.map(|_| ()));
                return Ok(Reached::Yes);
            }
            (Ok(_), Err(err)) => {
                return Err(TestCaseError::fail(format!("one seat more fails: {err}")));
            }
        };
    for (idx, (before, after)) in smaller.seats.iter().zip(&larger.seats).enumerate() {
        prop_assert!(after >= before, "list {}: {} seats became {}", idx, before, after);
    }
    prop_assert_eq!(total(&larger.seats), draft.seats + 1);
    Ok(Reached::Yes)
}

/// The quota rule of Hare largest remainders: each admitted list gets its exact quota
/// share `votes * seats / admitted votes`, rounded down or up.
fn quota_rule_holds(draft: &Draft, config: RulesConfig) -> Result<Reached, TestCaseError> {
    let config = RulesConfig { runner_up: None, ..config };
    let Ok(res) = allocate(&rules(&config), &draft.contest()) else { return Ok(Reached::No) };
    let admitted_lists: Vec<usize> =
        (0..draft.votes.len()).filter(|&idx| res.admission[idx].is_admitted()).collect();
    let admitted: u128 = admitted_lists.iter().map(|&idx| u128::from(draft.votes[idx])).sum();
    for idx in admitted_lists {
        let votes = u128::from(draft.votes[idx]);
        let share = Fraction::new(votes * u128::from(draft.seats), admitted);
        let floor = share.floor();
        let ceil = floor + u128::from(!share.is_whole());
        let seats = u128::from(res.seats[idx].0);
        prop_assert!(
            floor <= seats && seats <= ceil,
            "list {}: {} seats for {}",
            idx,
            seats,
            share
        );
    }
    Ok(Reached::Yes)
}

/// Determinism: the same input gives the same allocation and trace, lots included. The
/// default seed is the contest's content seed, and every recorded draw can be redone from
/// its seed. Small vote counts make ties and lots common.
fn determinism_holds(draft: &Draft, config: RulesConfig) -> Result<Reached, TestCaseError> {
    let contest = draft.contest();
    let first = allocate(&rules(&config), &contest);
    let again = allocate(&rules(&config.clone()), &contest.clone());
    prop_assert_eq!(&first, &again);
    // A refusal is as deterministic as a result, and asserted above.
    let Ok(res) = first else { return Ok(Reached::Yes) };
    let seed = config.lot_seed.clone().unwrap_or_else(|| contest.content_seed());
    let seeded = RulesConfig { lot_seed: Some(seed), ..config };
    let reseeded = allocate(&rules(&seeded), &contest).expect("the same lists are admitted");
    prop_assert_eq!(&reseeded, &res);
    let lots = res.trace.ties.iter().filter(|tie| tie.lot.is_some()).count();
    prop_assert_eq!(res.trace.lot_seed.is_some(), lots > 0);
    for (number, tie) in res.trace.ties.iter().enumerate() {
        let Some(lot) = &tie.lot else { continue };
        let base = res.trace.lot_seed.as_ref().expect("a lot was drawn");
        prop_assert_eq!(&lot.seed, &base.derive(&format!("tie-{}", number + 1)));
        let order: Vec<usize> = draw_order(&lot.seed, lot.among.len())
            .into_iter()
            .map(|position| lot.among[position])
            .collect();
        prop_assert_eq!(&lot.order, &order);
        // Winners decided before the lot (by more votes) are not among the drawn lists.
        let drawn: Vec<usize> =
            tie.winners.iter().copied().filter(|idx| lot.among.contains(idx)).collect();
        prop_assert_eq!(&drawn[..], &order[..drawn.len()]);
    }
    Ok(Reached::Yes)
}

/// Runs `draft` and its permutation; with `always`, the seats must permute, otherwise only
/// when the original allocation met no tie (and then the permuted one must meet none).
fn check_anonymous(
    draft: &Draft,
    perm: &[usize],
    config: &RulesConfig,
    always: bool,
) -> Result<Reached, TestCaseError> {
    let rules = rules(config);
    let original = allocate(&rules, &draft.contest());
    let permuted = allocate(&rules, &draft.permuted(perm).contest());
    let (original, permuted) = match (original, permuted) {
        (Ok(original), Ok(permuted)) => (original, permuted),
        (Err(left), Err(right)) => {
            prop_assert_eq!(left, right);
            return Ok(Reached::Yes);
        }
        (left, right) => {
            return Err(TestCaseError::fail(format!("one order fails: {left:?} / {right:?}")));
        }
    };
    if !always && !original.trace.ties.is_empty() {
        return Ok(Reached::No);
    }
    if !always {
        prop_assert!(permuted.trace.ties.is_empty(), "a tie appeared in the permuted order");
    }
    for (position, &idx) in perm.iter().enumerate() {
        prop_assert_eq!(permuted.seats[position], original.seats[idx], "list {}", idx);
        prop_assert_eq!(permuted.admission[position], original.admission[idx], "list {}", idx);
    }
    Ok(Reached::Yes)
}

fn total(seats: &[Seats]) -> u32 {
    seats.iter().map(|seats| seats.0).sum()
}

/// An independent reading of the threshold: `votes * 100 >= percent * base`, in integers.
fn meets(percent: Percent, votes: u64, base: u64) -> bool {
    let value = percent.value();
    u128::from(votes) * 100 * value.den() >= value.num() * u128::from(base)
}

fn base_votes(draft: &Draft, base: ThresholdBase) -> u64 {
    let lists: u64 = draft.votes.iter().sum();
    match base {
        ThresholdBase::Participants => lists + draft.against_all + draft.invalid,
        ThresholdBase::Valid => lists + draft.against_all,
        ThresholdBase::Lists => lists,
    }
}
