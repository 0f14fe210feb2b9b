//! `allocate`: seats for the lists of one contest under validated rules, with its trace.
//!
//! The steps follow art. 97-1: the threshold test (p. 1), admission of the next-largest
//! list when too few pass (p. 2), the first electoral quotient and whole seats (p. 1, 3),
//! then the remaining seats by largest remainders. Divisor methods replace the last two
//! steps by seat-by-seat highest quotients. Every tie goes through [`crate::tie`].

use serde::Serialize;

use crate::contest::Contest;
use crate::divisor::{Divisor, Quotient};
use crate::fraction::Fraction;
use crate::lot::LotSeed;
use crate::method::{Method, Rules};
use crate::quota::Quota;
use crate::threshold::{Percent, Threshold, ThresholdBase};
use crate::tie::{TieStage, break_tie};
use crate::trace::{Admission, QuotaTrace, RemainderRow, SeatAward, ThresholdTrace, Trace};
use crate::votes::{Seats, Votes};

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

/// Mutable state shared by the steps of one allocation.
struct Work<'a> {
    rules: &'a Rules,
    contest: &'a Contest,
    votes: Vec<Votes>,
    trace: Trace,
}

impl Work<'_> {
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
        let res = break_tie(self.rules.ties(), stage, tied, needed, &self.votes, &seed);
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
    let votes: Vec<Votes> = contest.lists().iter().map(|list| list.votes).collect();
    let trace = Trace {
        threshold: None,
        quota: None,
        remainders: Vec::new(),
        awards: Vec::new(),
        ties: Vec::new(),
        lot_seed: None,
    };
    let mut work = Work { rules, contest, votes, trace };
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
    candidates.sort_by(|&left, &right| work.votes[right].cmp(&work.votes[left]));
    let needed = (wanted - passed).min(candidates.len());
    if needed == 0 {
        return;
    }
    let mut chosen: Vec<usize> = candidates[..needed].to_vec();
    if needed < candidates.len()
        && work.votes[candidates[needed - 1]] == work.votes[candidates[needed]]
    {
        let boundary = work.votes[candidates[needed]];
        chosen.retain(|&idx| work.votes[idx] > boundary);
        let tied: Vec<usize> =
            candidates.iter().copied().filter(|&idx| work.votes[idx] == boundary).collect();
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
        .map(|idx| work.votes[idx])
        .sum();
    let quota = quota_rule.value(admitted_votes, house);
    if quota.num() == 0 {
        return Err(AllocationError::ZeroQuota(admitted_votes));
    }
    work.trace.quota =
        Some(QuotaTrace { rule: quota_rule, admitted_votes, seats: house, value: quota });
    let runner_up = work.rules.runner_up();
    let mut rows = remainder_rows(work, admission, quota);
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
    // Rank rows by remainder for the reader, largest first, registration order on ties.
    rows.sort_by_key(|row| std::cmp::Reverse(row.remainder));
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
        let (coef_num, coef_den) = match (runner_up, status) {
            (Some(rule), Admission::RunnerUp) => (rule.coefficient.num(), rule.coefficient.den()),
            _ => (1, 1),
        };
        let quotient = Fraction::new(
            u128::from(work.votes[idx].0) * quota.den() * coef_num,
            quota.num() * coef_den,
        );
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
    let mut order: Vec<usize> =
        (0..rows.len()).filter(|&row_idx| rows[row_idx].minimum_added == 0).collect();
    if order.is_empty() {
        order = (0..rows.len()).collect();
    }
    order.sort_by(|&left_idx, &right_idx| rows[right_idx].remainder.cmp(&rows[left_idx].remainder));
    while left > 0 {
        let take = usize::try_from(left).unwrap_or(usize::MAX).min(order.len());
        let winners = cut(work, rows, &order, take, TieStage::Remainder);
        for row_idx in winners {
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
        let mut order: Vec<usize> = (0..rows.len())
            .filter(|&row_idx| {
                let row = &rows[row_idx];
                let held = i64::from(row.floor)
                    + i64::from(row.minimum_added)
                    + i64::from(row.remainder_seats);
                held > i64::from(minimums[row_idx])
            })
            .collect();
        // Smallest remainder first: these lose a seat.
        order.sort_by_key(|&row_idx| rows[row_idx].remainder);
        // Every list is at its minimum or at zero: the minimums fit the house (checked by
        // the caller), so nothing is left to take back.
        if order.is_empty() {
            break;
        }
        let take = usize::try_from(excess).unwrap_or(usize::MAX).min(order.len());
        let losers = cut_smallest(work, rows, &order, take);
        for row_idx in losers {
            rows[row_idx].remainder_seats -= 1;
        }
        excess -= u32::try_from(take).expect("take is at most excess");
    }
}

/// The first `take` of `order` (sorted by remainder, best first), with a tie at the cut
/// broken by the tie rule. Returns row indices.
fn cut(
    work: &mut Work<'_>,
    rows: &[RemainderRow],
    order: &[usize],
    take: usize,
    stage: TieStage,
) -> Vec<usize> {
    if take == order.len() || rows[order[take - 1]].remainder != rows[order[take]].remainder {
        return order[..take].to_vec();
    }
    let boundary = rows[order[take]].remainder;
    let mut chosen: Vec<usize> = order[..take]
        .iter()
        .copied()
        .filter(|&row_idx| rows[row_idx].remainder != boundary)
        .collect();
    let tied_rows: Vec<usize> =
        order.iter().copied().filter(|&row_idx| rows[row_idx].remainder == boundary).collect();
    let tied_lists: Vec<usize> = tied_rows.iter().map(|&row_idx| rows[row_idx].list).collect();
    let winners = work.break_tie(stage, &tied_lists, take - chosen.len());
    chosen
        .extend(tied_rows.iter().copied().filter(|&row_idx| winners.contains(&rows[row_idx].list)));
    chosen
}

/// Like [`cut`] for losers: the tie rule chooses who keeps a seat among the tied.
fn cut_smallest(
    work: &mut Work<'_>,
    rows: &[RemainderRow],
    order: &[usize],
    take: usize,
) -> Vec<usize> {
    if take == order.len() || rows[order[take - 1]].remainder != rows[order[take]].remainder {
        return order[..take].to_vec();
    }
    let boundary = rows[order[take]].remainder;
    let mut losers: Vec<usize> = order[..take]
        .iter()
        .copied()
        .filter(|&row_idx| rows[row_idx].remainder != boundary)
        .collect();
    let tied_rows: Vec<usize> =
        order.iter().copied().filter(|&row_idx| rows[row_idx].remainder == boundary).collect();
    let tied_lists: Vec<usize> = tied_rows.iter().map(|&row_idx| rows[row_idx].list).collect();
    let keep = tied_rows.len() - (take - losers.len());
    let keepers = work.break_tie(TieStage::Removal, &tied_lists, keep);
    losers.extend(
        tied_rows.iter().copied().filter(|&row_idx| !keepers.contains(&rows[row_idx].list)),
    );
    losers
}

/// Divisor methods: each seat to the highest quotient.
fn highest_quotients(work: &mut Work<'_>, admission: &[Admission], divisor: Divisor) -> Vec<Seats> {
    let house = work.contest.seats().0;
    let admitted: Vec<usize> =
        (0..admission.len()).filter(|&idx| admission[idx].is_admitted()).collect();
    let votes = work.votes.clone();
    let quotient = |held: &[u32], idx: usize| Quotient {
        votes: votes[idx],
        divisor: divisor.value(held[idx]),
    };
    let mut held = vec![0u32; admission.len()];
    let mut awarded = 0u32;
    let mut tied: Vec<usize> = Vec::with_capacity(admitted.len());
    work.trace.awards.reserve(usize::try_from(house).unwrap_or(0));
    while awarded < house {
        let best = admitted
            .iter()
            .map(|&idx| quotient(&held, idx))
            .max()
            .expect("at least one list is admitted");
        tied.clear();
        tied.extend(admitted.iter().copied().filter(|&idx| quotient(&held, idx) == best));
        let left = usize::try_from(house - awarded).unwrap_or(usize::MAX);
        let winners = if tied.len() <= left {
            tied.clone()
        } else {
            work.break_tie(TieStage::Quotient { seat: awarded + 1 }, &tied, left)
        };
        for idx in winners {
            awarded += 1;
            work.trace.awards.push(SeatAward {
                seat: awarded,
                list: idx,
                quotient: quotient(&held, idx),
            });
            held[idx] += 1;
        }
    }
    held.into_iter().map(Seats).collect()
}
