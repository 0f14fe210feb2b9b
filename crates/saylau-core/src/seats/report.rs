//! A readable, serialisable report of an allocation: the trace with list identifiers,
//! exact fractions and their decimals side by side.
//!
//! The CLI prints it as tables or as JSON; the web portal will render the same report.
//! Its JSON shape is a public contract (`lists[].id`, `votes`, `qualified`, `seats`).

use serde::Serialize;

use crate::seats::allocation::Allocation;
use crate::seats::contest::Contest;
use crate::seats::fraction::Fraction;
use crate::seats::lot::LotSeed;
use crate::seats::method::{Method, Rules};
use crate::seats::rational::Rational;
use crate::seats::threshold::{Percent, ThresholdBase};
use crate::seats::tie::{TieCriterion, TieStage};
use crate::seats::trace::Admission;
use crate::seats::votes::{ListId, Seats, Votes};

/// Decimal places shown beside exact fractions.
const PLACES: u32 = 4;

/// An exact value with its decimal rendering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exact {
    /// The exact value, `a/b` in lowest terms or a whole number.
    pub exact: String,
    /// The value rounded half up to four places.
    pub decimal: String,
}

impl Exact {
    fn of(value: Fraction) -> Exact {
        Exact { exact: value.to_string(), decimal: value.to_decimal(PLACES) }
    }

    fn of_rational(value: &Rational) -> Exact {
        Exact { exact: value.to_string(), decimal: value.to_decimal(PLACES) }
    }

    /// `part` as a percentage of `whole`, exact; zero when the whole is zero.
    pub fn percent(part: Votes, whole: Votes) -> Exact {
        if whole.0 == 0 {
            return Exact::of_rational(&Rational::zero());
        }
        Exact::of(Fraction::new(u128::from(part.0) * 100, u128::from(whole.0)))
    }
}

/// One list in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListReport {
    /// Identifier.
    pub id: ListId,
    /// Name.
    pub name: String,
    /// Votes.
    pub votes: Votes,
    /// Percent of the threshold base (of valid votes when there is no threshold).
    pub percent: Exact,
    /// The list's own threshold, when it differs from the general one.
    pub own_threshold: Option<Percent>,
    /// Whether it took part in the distribution.
    pub qualified: bool,
    /// How it was admitted, or why not.
    pub admission: Admission,
    /// Seats won.
    pub seats: Seats,
}

/// The threshold test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThresholdReport {
    /// What the percentage is of.
    pub base: ThresholdBase,
    /// The base in votes.
    pub base_votes: Votes,
    /// The percentage.
    pub percent: Percent,
    /// The threshold in votes, exact: `percent * base / 100`.
    pub min_votes: Exact,
    /// The smallest whole number of votes that passes (the threshold rounded up).
    pub min_whole_votes: Votes,
}

/// The quota of a largest-remainder allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotaReport {
    /// The quota's rule (kind and rounding).
    pub rule: crate::seats::quota::Quota,
    /// The votes of the admitted lists.
    pub admitted_votes: Votes,
    /// Seats distributed.
    pub seats: Seats,
    /// The quota.
    pub value: Exact,
}

/// One admitted list ranked by remainder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemainderReport {
    /// Rank by remainder, from 1.
    pub rank: usize,
    /// The list.
    pub id: ListId,
    /// Votes over the quota (with the runner-up coefficient, if any).
    pub quotient: Exact,
    /// Whole seats.
    pub floor: u32,
    /// The remainder.
    pub remainder: Exact,
    /// Seats won (+) or given back (-) on the remainder.
    pub remainder_seats: i32,
    /// Seats added to reach the runner-up minimum.
    pub minimum_added: u32,
}

/// One seat of a divisor method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardReport {
    /// Seat number from 1.
    pub seat: u32,
    /// The list that won it.
    pub id: ListId,
    /// The winning quotient, exact (`sqrt(..)` for Huntington-Hill, `infinite` for a zero
    /// divisor).
    pub quotient: String,
    /// The quotient as a decimal.
    pub decimal: String,
}

/// One broken tie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TieReport {
    /// Where it happened.
    pub stage: TieStage,
    /// The tied lists.
    pub tied: Vec<ListId>,
    /// How many of them won.
    pub needed: usize,
    /// The winners.
    pub winners: Vec<ListId>,
    /// The deciding criterion.
    pub decided_by: TieCriterion,
    /// The lot's seed, when a lot decided.
    pub lot_seed: Option<LotSeed>,
    /// The lot's draw order, when a lot decided.
    pub lot_order: Option<Vec<ListId>>,
}

/// The full report of one allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllocationReport {
    /// The contest's name.
    pub election: String,
    /// Seats distributed.
    pub seats: Seats,
    /// The rules applied.
    pub rules: Rules,
    /// Every list, in registration order.
    pub lists: Vec<ListReport>,
    /// "Against all" votes: in the valid-vote base, never seated.
    pub against_all: Votes,
    /// The threshold test.
    pub threshold: Option<ThresholdReport>,
    /// The quota (largest remainders).
    pub quota: Option<QuotaReport>,
    /// Admitted lists ranked by remainder (largest remainders).
    pub remainders: Vec<RemainderReport>,
    /// Each seat with its quotient (divisor methods).
    pub awards: Vec<AwardReport>,
    /// Every tie and how it was broken.
    pub ties: Vec<TieReport>,
    /// The lot seed: the configured one, or the SHA-256 of the contest's canonical text.
    pub lot_seed: LotSeed,
}

/// Builds the report of `allocation`, which must come from `rules` and `contest`.
pub fn allocation_report(
    contest: &Contest,
    rules: &Rules,
    allocation: &Allocation,
) -> AllocationReport {
    let trace = &allocation.trace;
    let lot_seed = match (rules.lot_seed(), &trace.lot_seed) {
        (Some(seed), _) | (None, Some(seed)) => seed.clone(),
        (None, None) => contest.content_seed(),
    };
    AllocationReport {
        election: contest.name().to_owned(),
        seats: contest.seats(),
        rules: rules.clone(),
        lists: list_reports(contest, rules, allocation),
        against_all: contest.ballots().against_all,
        threshold: trace.threshold.map(|threshold| ThresholdReport {
            base: threshold.base,
            base_votes: threshold.base_votes,
            percent: threshold.percent,
            min_votes: Exact::of(threshold.min_votes),
            min_whole_votes: Votes(whole_votes_at_least(threshold.min_votes)),
        }),
        quota: trace.quota.map(|quota| QuotaReport {
            rule: quota.rule,
            admitted_votes: quota.admitted_votes,
            seats: quota.seats,
            value: Exact::of(quota.value),
        }),
        remainders: remainder_reports(contest, allocation),
        awards: award_reports(contest, allocation),
        ties: tie_reports(contest, allocation),
        lot_seed,
    }
}

fn list_reports(contest: &Contest, rules: &Rules, allocation: &Allocation) -> Vec<ListReport> {
    let base_votes =
        allocation.trace.threshold.map_or(contest.valid_votes(), |threshold| threshold.base_votes);
    let general = rules.threshold().map(|threshold| threshold.percent);
    contest
        .lists()
        .iter()
        .enumerate()
        .map(|(idx, list)| ListReport {
            id: list.id.clone(),
            name: list.name.clone(),
            votes: list.votes,
            percent: Exact::percent(list.votes, base_votes),
            own_threshold: list.threshold.filter(|own| Some(*own) != general),
            qualified: allocation.admission[idx].is_admitted(),
            admission: allocation.admission[idx],
            seats: allocation.seats[idx],
        })
        .collect()
}

fn remainder_reports(contest: &Contest, allocation: &Allocation) -> Vec<RemainderReport> {
    let rows = allocation.trace.remainders.iter().enumerate();
    rows.map(|(rank, row)| RemainderReport {
        rank: rank + 1,
        id: contest.lists()[row.list].id.clone(),
        quotient: Exact::of(row.quotient),
        floor: row.floor,
        remainder: Exact::of(row.remainder),
        remainder_seats: row.remainder_seats,
        minimum_added: row.minimum_added,
    })
    .collect()
}

fn award_reports(contest: &Contest, allocation: &Allocation) -> Vec<AwardReport> {
    let awards = allocation.trace.awards.iter();
    awards
        .map(|award| AwardReport {
            seat: award.seat,
            id: contest.lists()[award.list].id.clone(),
            quotient: award.quotient.to_string(),
            decimal: award.quotient.to_decimal(PLACES),
        })
        .collect()
}

fn tie_reports(contest: &Contest, allocation: &Allocation) -> Vec<TieReport> {
    let ids = |list: &[usize]| {
        list.iter().map(|&idx| contest.lists()[idx].id.clone()).collect::<Vec<ListId>>()
    };
    let ties = allocation.trace.ties.iter();
    ties.map(|tie| TieReport {
        stage: tie.stage,
        tied: ids(&tie.tied),
        needed: tie.needed,
        winners: ids(&tie.winners),
        decided_by: tie.decided_by,
        lot_seed: tie.lot.as_ref().map(|lot| lot.seed.clone()),
        lot_order: tie.lot.as_ref().map(|lot| ids(&lot.order)),
    })
    .collect()
}

/// The smallest whole number not below `value`.
fn whole_votes_at_least(value: Fraction) -> u64 {
    let ceil = value.floor() + u128::from(!value.is_whole());
    u64::try_from(ceil).expect("a threshold is at most the base, which is a vote count")
}

impl AllocationReport {
    /// True when the method is a divisor method (the report has awards, not remainders).
    pub fn is_divisor_method(&self) -> bool {
        matches!(self.rules.method(), Method::Divisor { .. })
    }
}
