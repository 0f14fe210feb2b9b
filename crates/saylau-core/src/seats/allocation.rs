//! `allocate`: seats for the lists of one contest under validated rules, with its trace.
//!
//! The steps follow art. 97-1: the threshold test (p. 1), admission of the next-largest
//! list when too few pass (p. 2), the first electoral quotient and whole seats (p. 1, 3),
//! then the remaining seats by largest remainders. Divisor methods replace the last two
//! steps by seat-by-seat highest quotients. Every tie goes through [`crate::seats::tie`].

use serde::Serialize;
use smallvec::SmallVec;

use crate::seats::contest::Contest;
use crate::seats::divisor::{Divisor, Quotient};
use crate::seats::fraction::Fraction;
use crate::seats::lot::LotSeed;
use crate::seats::method::{Method, Rules};
use crate::seats::quota::Quota;
use crate::seats::threshold::{Percent, Threshold, ThresholdBase};
use crate::seats::tie::{TieStage, break_tie};
use crate::seats::trace::{Admission, QuotaTrace, RemainderRow, SeatAward, ThresholdTrace, Trace};
use crate::seats::votes::{Seats, Votes};

/// The result of an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allocation {
    /// Seats per list, in registration order.
    pub seats: Vec<Seats>,
    /// Admission per list, in registration order.
    pub admission: Vec<Admission>,
    /// How the result was reached.
    pub trace: Trace,
}

/// Why seats cannot be allocated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AllocationError {
    /// The participants base without the participants count.
    #[error("the threshold base is participants, but the number of participants is not given")]
    MissingParticipants,
    /// No list with votes is admitted.
    #[error("no list with votes is admitted, so there is nobody to give seats to")]
    NothingAdmitted,
    /// The runner-up minimums (art. 97-1 p. 3, 2009) need more seats than the house has.
    #[error("the runner-up minimums need {minimums} seats, but only {seats} are distributed")]
    MinimumsExceedHouse {
        /// Seats the minimums need.
        minimums: u32,
        /// Seats in the house.
        seats: Seats,
    },
    /// A rounded quota of zero.
    #[error("the quota rounds to zero ({0} votes in all)")]
    ZeroQuota(Votes),
}

/// Row indices in the order seats go to them (or are taken back). Contests have a handful
/// of lists, so the indices stay on the stack (past 16 lists they spill to the heap), and
/// the allocation makes no heap allocation its result does not keep.
type Order = SmallVec<[usize; 16]>;

/// Mutable state shared by the steps of one allocation.
struct Work<'a> {
    rules: &'a Rules,
    contest: &'a Contest,
    trace: Trace,
}

impl Work<'_> {
    /// The votes of the list at `idx`.
    fn votes(&self, idx: usize) -> Votes {
        self.contest.lists()[idx].votes
    }

    /// The seed of the next tie's lot, recorded in the trace on first use.
    fn tie_seed(&mut self) -> LotSeed {
        let base = match (self.rules.lot_seed(), &self.trace.lot_seed) {
            (Some(seed), _) => seed.clone(),
            (None, Some(seed)) => seed.clone(),
            (None, None) => self.contest.content_seed(),
        };
        self.trace.lot_seed = Some(base.clone());
        base.derive(&format!("tie-{}", self.trace.ties.len() + 1))
    }

    /// Chooses `needed` of `tied` and records the tie.
    fn break_tie(&mut self, stage: TieStage, tied: &[usize], needed: usize) -> Vec<usize> {
        let seed = self.tie_seed();
        // Ties are rare: the vote vector is built only when one must be broken.
        let votes: Vec<Votes> = self.contest.lists().iter().map(|list| list.votes).collect();
        let res = break_tie(self.rules.ties(), stage, tied, needed, &votes, &seed);
        let winners = res.winners.clone();
        if res.lot.is_none() && self.trace.ties.iter().all(|tie| tie.lot.is_none()) {
            self.trace.lot_seed = None;
        }
        self.trace.ties.push(res);
        winners
    }
}

/// Allocates the seats of `contest` under `rules`.
pub fn allocate(rules: &Rules, contest: &Contest) -> Result<Allocation, AllocationError> {
    let trace = Trace {
        threshold: None,
        quota: None,
        remainders: Vec::new(),
        awards: Vec::new(),
        ties: Vec::new(),
        lot_seed: None,
    };
    let mut work = Work { rules, contest, trace };
    let admission = admission(&mut work)?;
    let seats = match rules.method() {
        Method::LargestRemainder { quota } => largest_remainder(&mut work, &admission, quota)?,
        Method::Divisor { divisor } => highest_quotients(&mut work, &admission, divisor),
    };
    Ok(Allocation { seats, admission, trace: work.trace })
}

/// The threshold base in votes.
fn base_votes(contest: &Contest, base: ThresholdBase) -> Result<Votes, AllocationError> {
    match base {
        ThresholdBase::Participants => {
            contest.ballots().participants.ok_or(AllocationError::MissingParticipants)
        }
        ThresholdBase::Valid => Ok(contest.valid_votes()),
        ThresholdBase::Lists => Ok(contest.list_votes()),
    }
}

/// Threshold test and art. 97-1 p. 2 admission.
fn admission(work: &mut Work<'_>) -> Result<Vec<Admission>, AllocationError> {
    let general = work.rules.threshold();
    let needs_base =
        general.is_some() || work.contest.lists().iter().any(|l| l.threshold.is_some());
    let base = general.map_or(ThresholdBase::Valid, |threshold| threshold.base);
    let base_votes = if needs_base { base_votes(work.contest, base)? } else { Votes(0) };
    if let Some(Threshold { percent, base }) = general {
        let min_votes = Fraction::new(
            percent.value().num() * u128::from(base_votes.0),
            percent.value().den() * 100,
        );
        work.trace.threshold = Some(ThresholdTrace { base, base_votes, percent, min_votes });
    }
    let mut admission: Vec<Admission> = work
        .contest
        .lists()
        .iter()
        .map(|list| {
            let percent: Option<Percent> = list.threshold.or(general.map(|t| t.percent));
            match percent {
                _ if list.votes.0 == 0 => Admission::NoVotes,
                Some(percent) if !percent.is_met(list.votes, base_votes) => {
                    Admission::BelowThreshold
                }
                _ => Admission::Passed,
            }
        })
        .collect();
    admit_runners_up(work, &mut admission);
    if !admission.iter().any(|status| status.is_admitted()) {
        return Err(AllocationError::NothingAdmitted);
    }
    Ok(admission)
}

/// Admits the next-largest lists until `admit_at_least` take part (art. 97-1 p. 2).
fn admit_runners_up(work: &mut Work<'_>, admission: &mut [Admission]) {
    let passed = admission.iter().filter(|status| status.is_admitted()).count();
    let wanted = usize::try_from(work.rules.admit_at_least()).unwrap_or(usize::MAX);
    if passed >= wanted {
        return;
    }
    let mut candidates: Vec<usize> =
        (0..admission.len()).filter(|&idx| admission[idx] == Admission::BelowThreshold).collect();
    // Stable: equal votes stay in registration order until the tie rule speaks.
    candidates.sort_by_key(|&idx| std::cmp::Reverse(work.votes(idx)));
    let needed = (wanted - passed).min(candidates.len());
    if needed == 0 {
        return;
    }
    let mut chosen: Vec<usize> = candidates[..needed].to_vec();
    if needed < candidates.len()
        && work.votes(candidates[needed - 1]) == work.votes(candidates[needed])
    {
        let boundary = work.votes(candidates[needed]);
        chosen.retain(|&idx| work.votes(idx) > boundary);
        let tied: Vec<usize> =
            candidates.iter().copied().filter(|&idx| work.votes(idx) == boundary).collect();
        let still = needed - chosen.len();
        chosen.extend(work.break_tie(TieStage::Admission, &tied, still));
    }
    for idx in chosen {
        admission[idx] = Admission::RunnerUp;
    }
}

/// Largest remainders with a quota, with the 2009 runner-up correction if configured.
fn largest_remainder(
    work: &mut Work<'_>,
    admission: &[Admission],
    quota_rule: Quota,
) -> Result<Vec<Seats>, AllocationError> {
    let house = work.contest.seats();
    let admitted_votes: Votes = (0..admission.len())
        .filter(|&idx| admission[idx].is_admitted())
        .map(|idx| work.votes(idx))
        .sum();
    let quota = quota_rule.value(admitted_votes, house);
    if quota.num() == 0 {
        return Err(AllocationError::ZeroQuota(admitted_votes));
    }
    work.trace.quota =
        Some(QuotaTrace { rule: quota_rule, admitted_votes, seats: house, value: quota });
    let runner_up = work.rules.runner_up();
    let mut rows = remainder_rows(work, admission, quota);
    // Ranked by remainder, largest first; a stable sort keeps registration order among
    // equal remainders (the tie rule, not this order, decides them).
    rows.sort_by_key(|row| std::cmp::Reverse(row.remainder));
    let given: u32 = rows.iter().map(|row| row.floor + row.minimum_added).sum();
    if given <= house.0 {
        give_remainder_seats(work, &mut rows, house.0 - given);
    } else {
        let minimums: Vec<u32> = rows
            .iter()
            .map(|row| match (runner_up, admission[row.list]) {
                (Some(rule), Admission::RunnerUp) => rule.min_seats.0,
                _ => 0,
            })
            .collect();
        let protected: u32 = minimums.iter().sum();
        if protected > house.0 {
            return Err(AllocationError::MinimumsExceedHouse { minimums: protected, seats: house });
        }
        take_back_seats(work, &mut rows, &minimums, given - house.0);
    }
    let mut seats = vec![Seats(0); admission.len()];
    for row in &rows {
        let total =
            i64::from(row.floor) + i64::from(row.minimum_added) + i64::from(row.remainder_seats);
        seats[row.list] =
            Seats(u32::try_from(total).expect("seats taken back never go below zero"));
    }
    work.trace.remainders = rows;
    Ok(seats)
}

/// Quotient, whole seats and remainder of every admitted list.
fn remainder_rows(work: &Work<'_>, admission: &[Admission], quota: Fraction) -> Vec<RemainderRow> {
    let runner_up = work.rules.runner_up();
    let mut rows: Vec<RemainderRow> = Vec::with_capacity(admission.len());
    for (idx, status) in admission.iter().enumerate().filter(|(_, status)| status.is_admitted()) {
        // votes / (a / b) = votes * b / a, times the coefficient cn / cd for a runner-up.
        let votes = work.votes(idx).0;
        let quotient = match (runner_up, status, u64::try_from(quota.den())) {
            (Some(rule), Admission::RunnerUp, _) => Fraction::new(
                u128::from(votes) * quota.den() * rule.coefficient.num(),
                quota.num() * rule.coefficient.den(),
            ),
            // The usual case: a quota over a 64-bit denominator (the seats, for an exact
            // quota), so the product of two 64-bit numbers cannot overflow 128 bits.
            (_, _, Ok(den)) => {
                Fraction::new(u128::from(votes).wrapping_mul(u128::from(den)), quota.num())
            }
            (_, _, Err(_)) => Fraction::new(u128::from(votes) * quota.den(), quota.num()),
        };
        let floor = u32::try_from(quotient.floor()).unwrap_or(u32::MAX);
        let minimum = match (runner_up, status) {
            (Some(rule), Admission::RunnerUp) => rule.min_seats.0.saturating_sub(floor),
            _ => 0,
        };
        let remainder = quotient.fract();
        rows.push(RemainderRow {
            list: idx,
            quotient,
            floor,
            remainder,
            remainder_seats: 0,
            minimum_added: minimum,
        });
    }
    rows
}

/// Gives `left` seats one by one to the largest remainders, in rounds if there are more
/// seats than lists (possible only with quotas larger than Hare's).
fn give_remainder_seats(work: &mut Work<'_>, rows: &mut [RemainderRow], mut left: u32) {
    // Rows are sorted by remainder, so the order of candidates is the row order.
    // Filled in place: a collected `SmallVec` would be copied whole on the way out.
    let mut order = Order::new();
    order.extend((0..rows.len()).filter(|&row_idx| rows[row_idx].minimum_added == 0));
    if order.is_empty() {
        order.extend(0..rows.len());
    }
    while left > 0 {
        let take = usize::try_from(left).unwrap_or(usize::MAX).min(order.len());
        let (prefix, extra) = cut(work, rows, &order, take, TieStage::Remainder);
        for &row_idx in order[..prefix].iter().chain(&extra) {
            rows[row_idx].remainder_seats += 1;
        }
        left -= u32::try_from(take).expect("take is at most left");
    }
}

/// Takes back `excess` seats from the smallest remainders (quotas smaller than Hare's
/// can give more whole seats than there are).
fn take_back_seats(
    work: &mut Work<'_>,
    rows: &mut [RemainderRow],
    minimums: &[u32],
    mut excess: u32,
) {
    while excess > 0 {
        let mut order = Order::new();
        order.extend((0..rows.len()).filter(|&row_idx| {
            let row = &rows[row_idx];
            let held = i64::from(row.floor)
                + i64::from(row.minimum_added)
                + i64::from(row.remainder_seats);
            held > i64::from(minimums[row_idx])
        }));
        // Smallest remainder first: these lose a seat (rows are sorted largest first).
        order.reverse();
        // Every list is at its minimum or at zero: the minimums fit the house (checked by
        // the caller), so nothing is left to take back.
        if order.is_empty() {
            break;
        }
        let take = usize::try_from(excess).unwrap_or(usize::MAX).min(order.len());
        let (prefix, extra) = cut(work, rows, &order, take, TieStage::Removal);
        for &row_idx in order[..prefix].iter().chain(&extra) {
            rows[row_idx].remainder_seats -= 1;
        }
        excess -= u32::try_from(take).expect("take is at most excess");
    }
}

/// The first `take` of `order` (sorted so that the first are the ones to choose), with
/// a tie at the cut broken by the tie rule: the chosen are the first `prefix` of `order`
/// plus the row indices in `extra` (empty, with no allocation, when there is no tie).
fn cut(
    work: &mut Work<'_>,
    rows: &[RemainderRow],
    order: &[usize],
    take: usize,
    stage: TieStage,
) -> (usize, Vec<usize>) {
    if take == order.len() || rows[order[take - 1]].remainder != rows[order[take]].remainder {
        return (take, Vec::new());
    }
    let boundary = rows[order[take]].remainder;
    // Rows strictly better than the boundary come first in `order`.
    let prefix =
        order[..take].iter().take_while(|&&row_idx| rows[row_idx].remainder != boundary).count();
    let tied_rows: Vec<usize> =
        order.iter().copied().filter(|&row_idx| rows[row_idx].remainder == boundary).collect();
    let tied_lists: Vec<usize> = tied_rows.iter().map(|&row_idx| rows[row_idx].list).collect();
    let needed = take - prefix;
    // The tie rule names the lists it favours: those that win a seat or, when seats are
    // taken back, those that keep theirs.
    let taking_back = stage == TieStage::Removal;
    let favoured_count = if taking_back { tied_rows.len() - needed } else { needed };
    let favoured = work.break_tie(stage, &tied_lists, favoured_count);
    let extra = tied_rows
        .iter()
        .copied()
        .filter(|&row_idx| favoured.contains(&rows[row_idx].list) != taking_back)
        .collect();
    (prefix, extra)
}

/// Divisor methods: each seat to the highest quotient.
fn highest_quotients(work: &mut Work<'_>, admission: &[Admission], divisor: Divisor) -> Vec<Seats> {
    let house = work.contest.seats().0;
    let admitted: Vec<usize> =
        (0..admission.len()).filter(|&idx| admission[idx].is_admitted()).collect();
    let votes: Vec<Votes> = work.contest.lists().iter().map(|list| list.votes).collect();
    let quotient = |held: &[u32], idx: usize| Quotient {
        votes: votes[idx],
        divisor: divisor.value(held[idx]),
    };
    let mut held = vec![0u32; admission.len()];
    let mut awarded = 0u32;
    let mut tied: Vec<usize> = Vec::with_capacity(admitted.len());
    work.trace.awards.reserve(usize::try_from(house).unwrap_or(0));
    while awarded < house {
        // One pass finds the highest quotient and every list that shares it.
        tied.clear();
        let mut best = quotient(&held, admitted[0]);
        tied.push(admitted[0]);
        for &idx in &admitted[1..] {
            let candidate = quotient(&held, idx);
            match candidate.cmp(&best) {
                std::cmp::Ordering::Greater => {
                    best = candidate;
                    tied.clear();
                    tied.push(idx);
                }
                std::cmp::Ordering::Equal => tied.push(idx),
                std::cmp::Ordering::Less => {}
            }
        }
        let left = usize::try_from(house - awarded).unwrap_or(usize::MAX);
        if tied.len() > left {
            let winners = work.break_tie(TieStage::Quotient { seat: awarded + 1 }, &tied, left);
            tied.clear();
            tied.extend(winners);
        }
        for &idx in &tied {
            awarded += 1;
            let won = quotient(&held, idx);
            work.trace.awards.push(SeatAward { seat: awarded, list: idx, quotient: won });
            held[idx] += 1;
        }
    }
    held.into_iter().map(Seats).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seats::method::RulesConfig;
    use crate::seats::quota::QuotaKind;
    use crate::seats::tie::{TieCriterion, TieRule};

    /// Allocates `seats` among lists with `votes` (ids a, b, c, ...) under `method`, ties
    /// by registration, and checks the seats and the stages of the ties.
    fn check(
        method: Method,
        threshold: Option<&str>,
        admit_at_least: u32,
        votes: &[u64],
        seats: u32,
        expect_seats: &[u32],
        expect_ties: &[TieStage],
    ) {
        let contest = crate::seats::contest::test_contest(votes, seats);
        let threshold = threshold.map(|percent| Threshold {
            percent: Percent::parse(percent).expect("a valid percentage"),
            base: ThresholdBase::Lists,
        });
        let rules = Rules::new(RulesConfig {
            method,
            threshold,
            admit_at_least,
            runner_up: None,
            ties: TieRule::new(&[TieCriterion::Registration]).expect("a valid rule"),
            lot_seed: None,
        })
        .expect("valid rules");
        let res = allocate(&rules, &contest).expect("an allocation");
        let seats: Vec<u32> = res.seats.iter().map(|seats| seats.0).collect();
        assert_eq!(seats, expect_seats);
        let stages: Vec<TieStage> = res.trace.ties.iter().map(|tie| tie.stage).collect();
        assert_eq!(stages, expect_ties);
    }

    fn quota(kind: QuotaKind) -> Method {
        Method::LargestRemainder { quota: Quota::usual(kind) }
    }

    const DHONDT: Method = Method::Divisor { divisor: Divisor::DHondt };

    #[test]
    fn imperiali_quota_gives_back_seats_with_a_tie() {
        // Quota 100 / (3 + 2) = 20: whole seats 2, 2, 1 are two too many; all remainders
        // are zero, so the earlier-registered list keeps its seats.
        check(
            quota(QuotaKind::Imperiali),
            None,
            0,
            &[40, 40, 20],
            3,
            &[2, 1, 0],
            &[TieStage::Removal],
        );
    }

    #[test]
    fn runner_up_admission_breaks_a_tie_in_votes() {
        check(
            quota(QuotaKind::Hare),
            Some("50%"),
            2,
            &[90, 5, 5],
            10,
            &[9, 1, 0],
            &[TieStage::Admission],
        );
    }

    #[test]
    fn divisor_ties_matter_only_at_the_last_seat() {
        check(DHONDT, None, 0, &[10, 10], 1, &[1, 0], &[TieStage::Quotient { seat: 1 }]);
        check(DHONDT, None, 0, &[10, 10], 2, &[1, 1], &[]);
        // 20/2 = 10/1 for the second seat: a real tie, broken for the earlier list...
        check(DHONDT, None, 0, &[20, 10], 2, &[2, 0], &[TieStage::Quotient { seat: 2 }]);
        // ...but with two seats left both tied lists get one, and nothing needs breaking.
        check(DHONDT, None, 0, &[20, 10], 3, &[2, 1], &[]);
        check(DHONDT, None, 0, &[20, 10, 10], 3, &[2, 1, 0], &[TieStage::Quotient { seat: 2 }]);
    }

    #[test]
    fn remainder_ties_at_the_cut() {
        check(quota(QuotaKind::Hare), None, 0, &[1, 1, 1], 2, &[1, 1, 0], &[TieStage::Remainder]);
        check(quota(QuotaKind::Hare), None, 0, &[1, 1, 1], 3, &[1, 1, 1], &[]);
    }
}
