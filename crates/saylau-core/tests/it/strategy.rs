//! Strategies for the property tests of allocation: random contests (drafts) of 1 to 12
//! lists with up to 10^7 votes each and 1 to 400 seats, and rules that draw every quota
//! kind and rounding, every divisor (modified Sainte-Laguë with 1.4 and 1.2), thresholds on
//! every base, the art. 97-1 p. 2 admission and every tie rule.

use proptest::prelude::*;
use proptest::sample::select;
use saylau_core::seats::contest::{Ballots, Contest, List};
use saylau_core::seats::divisor::Divisor;
use saylau_core::seats::fraction::Fraction;
use saylau_core::seats::lot::LotSeed;
use saylau_core::seats::method::{Method, Rules, RulesConfig, RunnerUpRule};
use saylau_core::seats::quota::{Quota, QuotaKind, QuotaRounding};
use saylau_core::seats::threshold::{Percent, Threshold, ThresholdBase};
use saylau_core::seats::tie::{TieCriterion, TieRule};
use saylau_core::seats::votes::{ListId, Seats, Votes};

const MAX_VOTES: u64 = 10_000_000;

/// Lists in registration order, with optional per-list thresholds.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub(crate) votes: Vec<u64>,
    pub(crate) own_thresholds: Vec<Option<Percent>>,
    pub(crate) seats: u32,
    pub(crate) against_all: u64,
    pub(crate) invalid: u64,
}

impl Draft {
    pub(crate) fn contest(&self) -> Contest {
        let lists = self
            .votes
            .iter()
            .zip(&self.own_thresholds)
            .enumerate()
            .map(|(idx, (&votes, &threshold))| List {
                id: ListId::new(&format!("list-{idx}")),
                name: format!("List {idx}"),
                votes: Votes(votes),
                threshold,
            })
            .collect();
        let valid = self.votes.iter().sum::<u64>() + self.against_all;
        let ballots = Ballots {
            participants: Some(Votes(valid + self.invalid)),
            against_all: Votes(self.against_all),
        };
        Contest::new("proptest", Seats(self.seats), lists, ballots).expect("a valid draft")
    }

    /// The same lists in the order `perm`: position `i` holds the list that was at `perm[i]`.
    pub(crate) fn permuted(&self, perm: &[usize]) -> Draft {
        Draft {
            votes: perm.iter().map(|&idx| self.votes[idx]).collect(),
            own_thresholds: perm.iter().map(|&idx| self.own_thresholds[idx]).collect(),
            ..self.clone()
        }
    }
}

fn percent() -> impl Strategy<Value = Percent> {
    // Whole and fractional percentages up to 40 %: 5, 7/2, 13/4 ...
    (1u64..=4)
        .prop_flat_map(|den| (0..=40 * den).prop_map(move |num| Percent::from_ratio(num, den)))
}

pub(crate) fn base() -> impl Strategy<Value = ThresholdBase> {
    select(vec![ThresholdBase::Participants, ThresholdBase::Valid, ThresholdBase::Lists])
}

pub(crate) fn draft_with(votes: impl Strategy<Value = Vec<u64>>) -> impl Strategy<Value = Draft> {
    votes.prop_flat_map(|votes| {
        let n_lists = votes.len();
        (
            Just(votes),
            prop::collection::vec(prop::option::weighted(0.15, percent()), n_lists),
            1u32..=400,
            prop_oneof![Just(0u64), 0..MAX_VOTES / 10],
            0..MAX_VOTES / 10,
        )
            .prop_map(|(votes, own_thresholds, seats, against_all, invalid)| Draft {
                votes,
                own_thresholds,
                seats,
                against_all,
                invalid,
            })
    })
}

/// Votes with many common factors, so that equal remainders and quotients are common.
const TIE_PRONE: [u64; 10] = [0, 6, 12, 18, 24, 30, 36, 48, 60, 120];

/// Votes of any size up to 10^7, of at most 40, or from [`TIE_PRONE`].
fn votes() -> impl Strategy<Value = Vec<u64>> {
    let n_lists = 1..=12usize;
    prop_oneof![
        prop::collection::vec(0..MAX_VOTES, n_lists.clone()),
        prop::collection::vec(0u64..=40, n_lists.clone()),
        prop::collection::vec(select(TIE_PRONE.to_vec()), n_lists),
    ]
}

/// Votes of any size up to 10^7: ties are rare.
pub(crate) fn large_votes() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0..MAX_VOTES, 1..=12usize)
}

pub(crate) fn draft() -> impl Strategy<Value = Draft> {
    draft_with(votes())
}

/// Pairwise distinct votes in random order, so every tie can be decided by votes.
pub(crate) fn distinct_votes() -> impl Strategy<Value = Vec<u64>> {
    prop_oneof![
        prop::collection::btree_set(0..MAX_VOTES, 1..=12),
        prop::collection::btree_set(select(TIE_PRONE.to_vec()), 1..=TIE_PRONE.len()),
    ]
    .prop_map(|votes| votes.into_iter().collect::<Vec<_>>())
    .prop_shuffle()
}

/// One dominant list and small ones, so that often only one list passes 5 %.
pub(crate) fn dominated_votes() -> impl Strategy<Value = Vec<u64>> {
    (MAX_VOTES / 2..MAX_VOTES, prop::collection::vec(0..MAX_VOTES / 40, 0..=11))
        .prop_map(|(dominant, mut small)| {
            small.push(dominant);
            small
        })
        .prop_shuffle()
}

pub(crate) fn divisor_method() -> impl Strategy<Value = Method> {
    let divisors = vec![
        Divisor::DHondt,
        Divisor::SainteLague,
        Divisor::ModifiedSainteLague { first: Fraction::new(7, 5) },
        Divisor::ModifiedSainteLague { first: Fraction::new(6, 5) },
        Divisor::HuntingtonHill,
        Divisor::Adams,
        Divisor::Dean,
        Divisor::Danish,
        Divisor::Imperiali,
    ];
    select(divisors).prop_map(|divisor| Method::Divisor { divisor })
}

pub(crate) fn method() -> impl Strategy<Value = Method> {
    let kinds =
        vec![QuotaKind::Hare, QuotaKind::Droop, QuotaKind::HagenbachBischoff, QuotaKind::Imperiali];
    let roundings = vec![
        QuotaRounding::Exact,
        QuotaRounding::Floor,
        QuotaRounding::Round,
        QuotaRounding::Ceil,
        QuotaRounding::FloorPlusOne,
    ];
    let quota = (select(kinds), select(roundings))
        .prop_map(|(kind, rounding)| Method::LargestRemainder { quota: Quota { kind, rounding } });
    prop_oneof![quota, divisor_method()]
}

/// Every tie rule: each non-empty ordered selection of the three criteria.
pub(crate) fn tie_rule() -> impl Strategy<Value = TieRule> {
    use TieCriterion::{Lot, Registration, Votes};
    let mut rules = Vec::new();
    for first in [Registration, Votes, Lot] {
        rules.push(vec![first]);
        for second in [Registration, Votes, Lot].into_iter().filter(|it| *it != first) {
            rules.push(vec![first, second]);
            let third =
                [Registration, Votes, Lot].into_iter().find(|it| ![first, second].contains(it));
            rules.push(vec![first, second, third.expect("three criteria")]);
        }
    }
    select(rules).prop_map(|criteria| TieRule::new(&criteria).expect("distinct criteria"))
}

pub(crate) fn votes_rule() -> TieRule {
    TieRule::new(&[TieCriterion::Votes]).expect("one criterion")
}

pub(crate) fn runner_up() -> RunnerUpRule {
    RunnerUpRule { coefficient: Fraction::new(7, 10), min_seats: Seats(2) }
}

/// Rules with `method` and `ties`; the runner-up correction only where it is allowed.
pub(crate) fn config_with(
    method: impl Strategy<Value = Method>,
    ties: impl Strategy<Value = TieRule>,
) -> impl Strategy<Value = RulesConfig> {
    let threshold = prop::option::weighted(0.8, (percent(), base()))
        .prop_map(|it| it.map(|(percent, base)| Threshold { percent, base }));
    let seed = prop::option::of(Just(LotSeed::new("2026-01-01/proptest")));
    (method, threshold, 0u32..=4, any::<bool>(), ties, seed).prop_map(
        |(method, threshold, admit_at_least, with_runner_up, ties, lot_seed)| {
            let allowed = matches!(method, Method::LargestRemainder { .. }) && admit_at_least >= 2;
            RulesConfig {
                method,
                threshold,
                admit_at_least,
                runner_up: (allowed && with_runner_up).then(runner_up),
                ties,
                lot_seed,
            }
        },
    )
}

pub(crate) fn rules(config: &RulesConfig) -> Rules {
    Rules::new(config.clone()).expect("the strategies build consistent rules")
}

/// A draft and a random permutation of its lists.
pub(crate) fn permuted(
    draft: impl Strategy<Value = Draft>,
) -> impl Strategy<Value = (Draft, Vec<usize>)> {
    draft.prop_flat_map(|draft| {
        let perm = Just((0..draft.votes.len()).collect::<Vec<_>>()).prop_shuffle();
        (Just(draft), perm)
    })
}

pub(crate) fn hare() -> Method {
    Method::LargestRemainder { quota: Quota::usual(QuotaKind::Hare) }
}

/// `num / den` percent with `den` in 1..=4, up to 50 %.
pub(crate) fn boundary_percent() -> impl Strategy<Value = (u64, u64)> {
    (1u64..=4).prop_flat_map(|den| (1..=50 * den, Just(den)))
}
