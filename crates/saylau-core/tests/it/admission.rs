//! Property tests of admission: a threshold is met at exactly p % of its base, too few
//! lists passing admits the next largest (art. 97-1 p. 2), and with the 2009 runner-up
//! minimum at least two lists get seats (art. 97-1 p. 2 and 3).

use proptest::prelude::*;
use saylau_core::seats::allocation::{AllocationError, allocate};
use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::fraction::Fraction;
use saylau_core::seats::method::{Method, RulesConfig};
use saylau_core::seats::threshold::{Percent, Threshold, ThresholdBase};
use saylau_core::seats::tie::TieRule;
use saylau_core::seats::trace::{Admission, Trace};
use saylau_core::seats::votes::Seats;

use crate::reach::{Reached, properties};
use crate::strategy::{
    Draft, base, boundary_percent, config_with, dominated_votes, draft, draft_with, hare, method,
    rules, runner_up, tie_rule,
};

properties! {
    cases = Some(384);

    fn threshold_boundary_is_exact(
        (num, den) in boundary_percent(),
        scale in 1u64..=2_000,
        weights in prop::collection::vec(1u64..=1_000, 1..=7),
        noise in 0u64..=1_000,
        base in base(),
        own in any::<bool>(),
    ) {
        let boundary = Boundary { num, den, scale, base, own };
        threshold_boundary_holds(&boundary, &weights, noise)
    }

    fn too_few_passing_admits_the_next_largest(
        draft in draft(),
        config in config_with(method(), tie_rule()),
    ) {
        admission_holds(&draft, &config)
    }

    fn two_lists_get_seats_under_art_97_1(
        draft in prop_oneof![draft(), draft_with(dominated_votes())],
        percent in (5u64..=10).prop_map(|num| Percent::from_ratio(num, 1)),
        base in base(),
        seats in 20u32..=400,
        ties in tie_rule(),
    ) {
        let draft = Draft { seats, own_thresholds: vec![None; draft.votes.len()], ..draft };
        let config = RulesConfig {
            method: hare(),
            threshold: Some(Threshold { percent, base }),
            admit_at_least: 2,
            runner_up: Some(runner_up()),
            ties,
            lot_seed: None,
        };
        two_lists_seated_holds(&draft, &config)
    }
}

/// A threshold of `num / den` percent of `base`, as the general one or the list's `own`,
/// met exactly by a list of `num * scale` votes.
#[derive(Debug, Clone, Copy)]
struct Boundary {
    num: u64,
    den: u64,
    scale: u64,
    base: ThresholdBase,
    own: bool,
}

impl Boundary {
    /// The admission of list 0 under this threshold, and the trace.
    fn admission(&self, draft: Draft) -> Result<(Admission, Trace), AllocationError> {
        let percent = Percent::from_ratio(self.num, self.den);
        let mut draft = draft;
        draft.own_thresholds[0] = self.own.then_some(percent);
        let general = if self.own { Percent::from_ratio(0, 1) } else { percent };
        let config = RulesConfig {
            method: Method::Divisor { divisor: Divisor::DHondt },
            threshold: Some(Threshold { percent: general, base: self.base }),
            admit_at_least: 0,
            runner_up: None,
            ties: TieRule::lot(),
            lot_seed: None,
        };
        allocate(&rules(&config), &draft.contest()).map(|res| (res.admission[0], res.trace))
    }
}

/// A list with exactly p % of the base passes and one vote fewer fails, for every base,
/// with the percentage as the general threshold or as the list's own. Votes outside the
/// base (`noise`) must not count.
fn threshold_boundary_holds(
    boundary: &Boundary,
    weights: &[u64],
    noise: u64,
) -> Result<Reached, TestCaseError> {
    let (num, den) = (boundary.num, boundary.den);
    // With p = num / den, t = num * k votes are exactly p % of 100 * den * k, so the rest
    // of the base is (100 * den - num) * k, spread in the proportions drawn.
    let target = num * boundary.scale;
    let parts = split((100 * den - num) * boundary.scale, weights);
    let (others, last) = parts.split_at(parts.len() - 1);
    let mut votes = vec![target];
    votes.extend(others);
    let (against_all, invalid) = match boundary.base {
        ThresholdBase::Lists => {
            votes.push(last[0]);
            (noise, noise)
        }
        ThresholdBase::Valid => (last[0], noise),
        // Every ballot in the box is in this base, so nothing is noise.
        ThresholdBase::Participants => (0, last[0]),
    };
    let own_thresholds = vec![None; votes.len()];
    let draft = Draft { votes, own_thresholds, seats: 10, against_all, invalid };
    let (at, trace) = boundary.admission(draft.clone()).expect("the target list is admitted");
    prop_assert_eq!(at, Admission::Passed);
    if !boundary.own {
        let trace = trace.threshold.expect("a threshold trace");
        prop_assert_eq!(trace.min_votes, Fraction::whole(u128::from(target)));
    }
    // One vote fewer: for participants the ballot stays in the box as an invalid one.
    let mut fewer = draft;
    fewer.votes[0] -= 1;
    if boundary.base == ThresholdBase::Participants {
        fewer.invalid += 1;
    }
    match boundary.admission(fewer) {
        Ok((below, _)) => prop_assert_ne!(below, Admission::Passed),
        Err(err) => prop_assert_eq!(err, AllocationError::NothingAdmitted),
    }
    Ok(Reached::Yes)
}

/// Art. 97-1 p. 2: when fewer lists pass than `admit_at_least`, the next-largest lists
/// are admitted until that many take part (or every list with votes does).
fn admission_holds(draft: &Draft, config: &RulesConfig) -> Result<Reached, TestCaseError> {
    let with_votes = draft.votes.iter().filter(|votes| **votes > 0).count();
    let res = match allocate(&rules(config), &draft.contest()) {
        Ok(res) => res,
        // Nobody admitted: nobody passed, and nobody was to be admitted in their place.
        Err(AllocationError::NothingAdmitted) => {
            prop_assert!(config.admit_at_least == 0 || with_votes == 0);
            return Ok(Reached::Yes);
        }
        // Refusals after admission: every quota is at least votes / (seats + 2), and the
        // runner-up minimums are refused only when they exceed the house.
        Err(AllocationError::ZeroQuota(votes)) => {
            prop_assert!(votes.0 < u64::from(draft.seats) + 2, "{} votes", votes.0);
            return Ok(Reached::Yes);
        }
        Err(AllocationError::MinimumsExceedHouse { minimums, seats }) => {
            prop_assert!(minimums > seats.0 && seats.0 == draft.seats);
            return Ok(Reached::Yes);
        }
        Err(err) => return Err(TestCaseError::fail(err.to_string())),
    };
    let lists_with = |wanted: Admission| -> Vec<usize> {
        (0..draft.votes.len()).filter(|&idx| res.admission[idx] == wanted).collect()
    };
    let passed = lists_with(Admission::Passed).len();
    let runners_up = lists_with(Admission::RunnerUp);
    let wanted = usize::try_from(config.admit_at_least).expect("a small number");
    prop_assert_eq!(passed + runners_up.len(), passed.max(wanted.min(with_votes)));
    let smallest_runner_up = runners_up.iter().map(|&idx| draft.votes[idx]).min();
    if let Some(smallest) = smallest_runner_up {
        for idx in lists_with(Admission::BelowThreshold) {
            prop_assert!(draft.votes[idx] <= smallest, "list {} was passed over", idx);
        }
    }
    Ok(Reached::Yes)
}

/// The Kazakh case of art. 97-1 p. 2 and 3 (2009): with a threshold of 5 % to 10 %, a
/// house of at least 20 and the runner-up minimum of two seats, at least two lists get
/// seats whenever two have votes. Each list that passes has a Hare quotient of at least
/// `p * seats / 100 >= 1`, and the runner-up is guaranteed its two.
fn two_lists_seated_holds(draft: &Draft, config: &RulesConfig) -> Result<Reached, TestCaseError> {
    let with_votes = draft.votes.iter().filter(|votes| **votes > 0).count();
    let res = match allocate(&rules(config), &draft.contest()) {
        Ok(res) => res,
        Err(err) => {
            // Only a contest without any votes has nobody to admit.
            prop_assert_eq!((err, with_votes), (AllocationError::NothingAdmitted, 0));
            return Ok(Reached::Yes);
        }
    };
    let seated = res.seats.iter().filter(|seats| seats.0 > 0).count();
    prop_assert!(seated >= with_votes.min(2), "{} lists seated: {:?}", seated, res.seats);
    for (idx, status) in res.admission.iter().enumerate() {
        if *status == Admission::RunnerUp {
            prop_assert!(res.seats[idx] >= Seats(2), "runner-up {} got {}", idx, res.seats[idx]);
        }
    }
    Ok(Reached::Yes)
}

/// `total` split in the proportions of `weights` (all of it: the last part takes what the
/// rounding leaves). With no positive weight, everything goes to the last part.
fn split(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    let mut parts: Vec<u64> =
        weights.iter().map(|&weight| (total * weight).checked_div(sum).unwrap_or(0)).collect();
    let given: u64 = parts.iter().sum();
    *parts.last_mut().expect("at least one weight") += total - given;
    parts
}
