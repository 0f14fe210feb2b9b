//! Two-tier district PR: whole quotas in each district, then the unused votes pooled
//! nationally for the seats left over. This is the Czech Chamber of Deputies rule since
//! 2021 (Act No. 247/1995 Coll. § 48-§ 51 as amended by Act No. 189/2021 Coll., after
//! the Constitutional Court's judgment Pl. ÚS 44/17, No. 49/2021 Coll.).
//!
//! 1. The house is apportioned among the districts (§ 48), as in [`crate::systems::district`].
//! 2. Lists below the national threshold are dropped (§ 49).
//! 3. First tier (první skrutinium, § 50): in each district the votes of the admitted lists
//!    are divided by the district's seats plus two and rounded to a whole number (the
//!    Imperiali quota, krajské volební číslo, § 50 (2)). Each list gets as many seats as
//!    whole quotas in its votes (§ 50 (3)). Seats beyond the district's magnitude are taken
//!    back, one by one, from the lists with the smallest remainder of the division; at equal
//!    remainders from the list with fewer votes, then by lot (§ 50 (4)).
//! 4. Each list carries its unused votes to the second tier: its votes minus the quota times
//!    the seats it keeps, so a list without a seat carries all its votes (§ 50, the
//!    transfer sentence). A list that gave a seat back carries the quota of that seat too.
//! 5. Second tier (druhé skrutinium, § 51): the carried votes are summed nationally and
//!    divided by the seats left over plus one, rounded (the Hagenbach-Bischoff quota,
//!    republikové volební číslo, § 51 (2)). Each list gets its whole quotas, then the
//!    largest remainders (§ 51 (3)); one seat too many is taken back from the smallest
//!    remainder (§ 51 (4)). This is one [`allocate`] call on the carried votes.
//! 6. Placement: a list's second-tier seats go to the districts where it carried the most
//!    votes, one district after another in that order, ties by the tie rule (the ČSÚ's
//!    practice, as the committee amendment was reported by ČTK in March 2021: districts
//!    ranked by the remainders of the first tier, ties by lot). If a list has more
//!    second-tier seats than districts, the ranking is walked again.
//!
//! Not modelled: the lowering of the threshold when fewer than two lists pass (§ 49 (3)-
//! (5)), and lists with fewer candidates than seats (§ 51 (3), second sentence). The law's
//! second-tier tie rule after equal remainders (larger carried sum, then more votes) is
//! approximated by the tie rule on the carried sums.

use serde::Serialize;

use crate::seats::allocation::allocate;
use crate::seats::contest::{Ballots, Contest, List};
use crate::seats::lot::LotSeed;
use crate::seats::method::{Method, Rules, RulesConfig};
use crate::seats::quota::{Quota, QuotaRounding};
use crate::seats::threshold::Percent;
use crate::seats::tie::{TieBreak, TieRule, TieStage, break_tie};
use crate::seats::trace::{Admission, QuotaTrace, ThresholdTrace, Trace};
use crate::seats::votes::{Seats, Votes};
use crate::systems::district::{
    DistrictError, Districts, Magnitudes, district_magnitudes, list_totals, national_admission,
};

/// The parts of [`TierRules`], before they are checked together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierRulesConfig {
    /// District magnitudes (§ 48).
    pub magnitudes: Magnitudes,
    /// The national threshold (§ 49: 5 %, a list's own threshold replaces it).
    pub national_threshold: Option<Percent>,
    /// The first-tier quota in each district (§ 50 (2): Imperiali, rounded). It must be
    /// rounded to whole votes, so that the carried remainders are votes.
    pub district_quota: Quota,
    /// The second-tier quota on the carried votes (§ 51 (2): Hagenbach-Bischoff, rounded).
    pub national_quota: Quota,
    /// How ties are broken, in both tiers and in the placement.
    pub ties: TieRule,
    /// The seed of lots; `None` uses the election's content seed.
    pub lot_seed: Option<LotSeed>,
}

/// Validated two-tier rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierRules {
    config: TierRulesConfig,
}

impl TierRules {
    /// Checks that the district quota is whole.
    pub fn new(config: TierRulesConfig) -> Result<TierRules, DistrictError> {
        if config.district_quota.rounding == QuotaRounding::Exact {
            return Err(DistrictError::QuotaNotWhole);
        }
        Ok(TierRules { config })
    }

    /// The checked parts.
    pub fn config(&self) -> &TierRulesConfig {
        &self.config
    }
}

/// Seats per district and per list after both tiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierAllocation {
    /// Seats apportioned to each district (§ 48). The seats finally elected there may
    /// differ: second-tier seats follow the remainders, not the magnitudes.
    pub magnitudes: Vec<Seats>,
    /// Seats of each list in each district: `seats[district][list]`.
    pub seats: Vec<Vec<Seats>>,
    /// First-tier seats: `first_tier[district][list]`.
    pub first_tier: Vec<Vec<Seats>>,
    /// Second-tier seats of each list.
    pub second_tier: Vec<Seats>,
    /// Seats of each list.
    pub totals: Vec<Seats>,
    /// National admission of each list.
    pub admission: Vec<Admission>,
    /// How the result was reached.
    pub trace: TierTrace,
}

/// The explanation of a two-tier allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierTrace {
    /// The apportionment among the districts, when computed.
    pub magnitudes: Option<Trace>,
    /// The national threshold test; the base is all national list votes.
    pub national_threshold: Option<ThresholdTrace>,
    /// The first tier, district by district.
    pub districts: Vec<FirstTierStep>,
    /// Seats left for the second tier.
    pub leftover: Seats,
    /// The second tier, when seats are left.
    pub second_tier: Option<SecondTierStep>,
    /// Where each list's second-tier seats went.
    pub placements: Vec<Placement>,
    /// The seed lots were derived from, when one was drawn.
    pub lot_seed: Option<LotSeed>,
}

/// One district's first tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirstTierStep {
    /// The district (index in order).
    pub district: usize,
    /// The quota (krajské volební číslo); absent when the district has no seats or no
    /// admitted votes.
    pub quota: Option<QuotaTrace>,
    /// One row per admitted list.
    pub rows: Vec<FirstTierRow>,
    /// Lists that gave a seat back, in order.
    pub taken_back: Vec<usize>,
    /// Ties in taking seats back.
    pub ties: Vec<TieBreak>,
}

/// One list in one district's first tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FirstTierRow {
    /// The list (index in registration order).
    pub list: usize,
    /// Its votes in the district.
    pub votes: Votes,
    /// Whole quotas in its votes.
    pub whole_seats: u32,
    /// Votes left after the whole quotas (zbytek dělení).
    pub remainder: Votes,
    /// Seats kept after any take-back.
    pub seats: u32,
    /// Votes carried to the second tier: votes minus the quota times the kept seats.
    pub carried: Votes,
}

/// The second tier: the engine on the carried votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecondTierStep {
    /// The lists of the second-tier contest (indices in registration order), numbered
    /// by position in the engine trace.
    pub lists: Vec<usize>,
    /// The engine's trace.
    pub trace: Trace,
}

/// Where one list's second-tier seats went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    /// The list (index in registration order).
    pub list: usize,
    /// The districts that received its seats, in order.
    pub districts: Vec<usize>,
    /// Ties between districts with equal carried votes (indices are districts).
    pub ties: Vec<TieBreak>,
}

/// Mutable state of one two-tier allocation.
struct Work<'a> {
    config: &'a TierRulesConfig,
    districts: &'a Districts,
    base_seed: LotSeed,
    seed_used: bool,
}

impl Work<'_> {
    /// The seed of a tie in `context`.
    fn seed(&mut self, context: &str) -> LotSeed {
        self.seed_used = true;
        self.base_seed.derive(context)
    }
}

/// Allocates the seats in two tiers: whole quotas per district, then the leftover seats
/// nationally on the unused votes, placed back in the districts.
pub fn two_tier_allocation(
    rules: &TierRules,
    districts: &Districts,
) -> Result<TierAllocation, DistrictError> {
    let config = rules.config();
    let (magnitudes, magnitude_trace) = district_magnitudes(&config.magnitudes, districts)?;
    let (admission, national_threshold) = national_admission(districts, config.national_threshold)?;
    let base_seed = config.lot_seed.clone().unwrap_or_else(|| districts.content_seed());
    let mut work = Work { config, districts, base_seed, seed_used: false };
    let n_lists = districts.lists().len();
    let mut first_tier = vec![vec![Seats(0); n_lists]; magnitudes.len()];
    let mut steps = Vec::with_capacity(magnitudes.len());
    for (district_idx, &magnitude) in magnitudes.iter().enumerate() {
        let step = first_tier_step(&mut work, district_idx, magnitude, &admission)?;
        for row in &step.rows {
            first_tier[district_idx][row.list] = Seats(row.seats);
        }
        steps.push(step);
    }
    let house: u32 = magnitudes.iter().map(|seats| seats.0).sum();
    let given: u32 = first_tier.iter().flatten().map(|seats| seats.0).sum();
    let leftover = Seats(house - given);
    let (second_tier, second_step) = second_tier(&work, &steps, &admission, leftover)?;
    let mut seats = first_tier.clone();
    let mut placements = Vec::new();
    for (list, &won) in second_tier.iter().enumerate().filter(|(_, won)| won.0 > 0) {
        let placement = placement(&mut work, &steps, list, won);
        for &district_idx in &placement.districts {
            seats[district_idx][list].0 += 1;
        }
        placements.push(placement);
    }
    let totals = list_totals(&seats, n_lists);
    let lot_seed = work.seed_used.then(|| work.base_seed.clone());
    let trace = TierTrace {
        magnitudes: magnitude_trace,
        national_threshold,
        districts: steps,
        leftover,
        second_tier: second_step,
        placements,
        lot_seed,
    };
    Ok(TierAllocation { magnitudes, seats, first_tier, second_tier, totals, admission, trace })
}

/// One district's first tier: whole quotas, then seats taken back if too many.
fn first_tier_step(
    work: &mut Work<'_>,
    district_idx: usize,
    magnitude: Seats,
    admission: &[Admission],
) -> Result<FirstTierStep, DistrictError> {
    let district = &work.districts.districts()[district_idx];
    let admitted: Vec<usize> =
        (0..admission.len()).filter(|&list| admission[list].is_admitted()).collect();
    let admitted_votes: Votes = admitted.iter().map(|&list| district.votes[list]).sum();
    let mut step = FirstTierStep {
        district: district_idx,
        quota: None,
        rows: Vec::new(),
        taken_back: Vec::new(),
        ties: Vec::new(),
    };
    if magnitude.0 == 0 || admitted_votes.0 == 0 {
        step.rows = admitted.iter().map(|&list| carry_all(list, district.votes[list])).collect();
        return Ok(step);
    }
    let rule = work.config.district_quota;
    let value = rule.value(admitted_votes, magnitude);
    let quota = u64::try_from(value.floor()).expect("a whole quota of at most the votes");
    if quota == 0 {
        return Err(DistrictError::ZeroQuota(district.name.clone()));
    }
    step.quota = Some(QuotaTrace { rule, admitted_votes, seats: magnitude, value });
    step.rows = admitted
        .iter()
        .map(|&list| {
            let votes = district.votes[list];
            let whole = u32::try_from(votes.0 / quota).expect("fewer seats than u32::MAX");
            let remainder = Votes(votes.0 % quota);
            FirstTierRow {
                list,
                votes,
                whole_seats: whole,
                remainder,
                seats: whole,
                carried: remainder,
            }
        })
        .collect();
    take_back(work, &mut step, magnitude);
    for row in &mut step.rows {
        row.carried = Votes(row.votes.0 - quota * u64::from(row.seats));
    }
    Ok(step)
}

/// A row for a list in a district without a first tier: it carries all its votes.
fn carry_all(list: usize, votes: Votes) -> FirstTierRow {
    FirstTierRow { list, votes, whole_seats: 0, remainder: votes, seats: 0, carried: votes }
}

/// Takes seats back from the smallest remainders until the district's magnitude holds
/// (§ 50 (4)); only lists that hold a seat can give one back.
fn take_back(work: &mut Work<'_>, step: &mut FirstTierStep, magnitude: Seats) {
    let votes: Vec<Votes> = work.districts.districts()[step.district].votes.clone();
    loop {
        let held: u32 = step.rows.iter().map(|row| row.seats).sum();
        if held <= magnitude.0 {
            return;
        }
        let mut order: Vec<usize> =
            (0..step.rows.len()).filter(|&row_idx| step.rows[row_idx].seats > 0).collect();
        order.sort_by_key(|&row_idx| step.rows[row_idx].remainder);
        let take = usize::try_from(held - magnitude.0).unwrap_or(usize::MAX).min(order.len());
        let remainders: Vec<Votes> = step.rows.iter().map(|row| row.remainder).collect();
        let lists: Vec<usize> = step.rows.iter().map(|row| row.list).collect();
        let context = format!("district-{}/tie-{}", step.district + 1, step.ties.len() + 1);
        let how = Cut { context, stage: TieStage::Removal, lists: &lists, votes: &votes };
        let (losers, tie) = cut(work, &order, &remainders, take, &how);
        step.ties.extend(tie);
        for row_idx in losers {
            step.rows[row_idx].seats -= 1;
            step.taken_back.push(step.rows[row_idx].list);
        }
    }
}

/// How a cut through a ranking is tied and who the tie rule favours.
struct Cut<'a> {
    /// The lot seed context of a tie.
    context: String,
    /// Removal favours the tied rows that keep their seat; the other stages favour the
    /// rows that are chosen.
    stage: TieStage,
    /// The tie rule's index of each row (a list or a district).
    lists: &'a [usize],
    /// Votes by tie-rule index, for the `votes` criterion.
    votes: &'a [Votes],
}

/// The first `take` rows of `order` (ranked so that the first are chosen, by `keys`), a
/// tie at the cut broken by the tie rule.
fn cut(
    work: &mut Work<'_>,
    order: &[usize],
    keys: &[Votes],
    take: usize,
    how: &Cut<'_>,
) -> (Vec<usize>, Option<TieBreak>) {
    if take == 0 || take == order.len() || keys[order[take - 1]] != keys[order[take]] {
        return (order[..take].to_vec(), None);
    }
    let boundary = keys[order[take]];
    let mut chosen: Vec<usize> =
        order[..take].iter().copied().filter(|&row_idx| keys[row_idx] != boundary).collect();
    let tied_rows: Vec<usize> =
        order.iter().copied().filter(|&row_idx| keys[row_idx] == boundary).collect();
    let tied: Vec<usize> = tied_rows.iter().map(|&row_idx| how.lists[row_idx]).collect();
    let needed = take - chosen.len();
    let removal = how.stage == TieStage::Removal;
    let favoured_count = if removal { tied.len() - needed } else { needed };
    let seed = work.seed(&how.context);
    let res = break_tie(&work.config.ties, how.stage, &tied, favoured_count, how.votes, &seed);
    chosen.extend(
        tied_rows
            .iter()
            .copied()
            .filter(|&row_idx| res.winners.contains(&how.lists[row_idx]) != removal),
    );
    (chosen, Some(res))
}

/// The second tier: the engine on the carried votes of the admitted lists.
fn second_tier(
    work: &Work<'_>,
    steps: &[FirstTierStep],
    admission: &[Admission],
    leftover: Seats,
) -> Result<(Vec<Seats>, Option<SecondTierStep>), DistrictError> {
    let n_lists = admission.len();
    if leftover.0 == 0 {
        return Ok((vec![Seats(0); n_lists], None));
    }
    let mut carried = vec![Votes(0); n_lists];
    for row in steps.iter().flat_map(|step| &step.rows) {
        carried[row.list] += row.carried;
    }
    let lists: Vec<usize> = (0..n_lists).filter(|&list| admission[list].is_admitted()).collect();
    let contest_lists = lists
        .iter()
        .map(|&list| {
            let info = &work.districts.lists()[list];
            List {
                id: info.id.clone(),
                name: info.name.clone(),
                votes: carried[list],
                threshold: None,
            }
        })
        .collect();
    let name = format!("{}/second-tier", work.districts.name());
    let contest = Contest::new(&name, leftover, contest_lists, Ballots::default())
        .expect("admitted lists exist, have unique ids, and seats are left");
    let rules = Rules::new(RulesConfig {
        method: Method::LargestRemainder { quota: work.config.national_quota },
        threshold: None,
        admit_at_least: 0,
        runner_up: None,
        ties: work.config.ties.clone(),
        lot_seed: Some(work.base_seed.derive("second-tier")),
    })
    .expect("a quota without a runner-up rule is always valid");
    let res = allocate(&rules, &contest)
        .map_err(|source| DistrictError::Allocation { step: "second tier".to_owned(), source })?;
    let mut seats = vec![Seats(0); n_lists];
    for (&list, &won) in lists.iter().zip(&res.seats) {
        seats[list] = won;
    }
    Ok((seats, Some(SecondTierStep { lists, trace: res.trace })))
}

/// The districts that receive `won` second-tier seats of `list`: ranked by the votes it
/// carried from each, largest first, one seat per district per pass.
fn placement(work: &mut Work<'_>, steps: &[FirstTierStep], list: usize, won: Seats) -> Placement {
    let carried: Vec<Votes> = steps
        .iter()
        .map(|step| {
            step.rows.iter().find(|row| row.list == list).map_or(Votes(0), |row| row.carried)
        })
        .collect();
    let list_votes: Vec<Votes> =
        work.districts.districts().iter().map(|district| district.votes[list]).collect();
    let mut order: Vec<usize> = (0..carried.len()).collect();
    order.sort_by_key(|&district_idx| std::cmp::Reverse(carried[district_idx]));
    // Districts are their own tie-rule index.
    let identity: Vec<usize> = (0..carried.len()).collect();
    let mut res = Placement { list, districts: Vec::new(), ties: Vec::new() };
    let mut left = usize::try_from(won.0).unwrap_or(usize::MAX);
    while left > 0 {
        let take = left.min(order.len());
        let context = format!("placement-{}/tie-{}", list + 1, res.ties.len() + 1);
        let how = Cut { context, stage: TieStage::Remainder, lists: &identity, votes: &list_votes };
        let (chosen, tie) = cut(work, &order, &carried, take, &how);
        res.ties.extend(tie);
        res.districts.extend(chosen);
        left -= take;
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seats::quota::QuotaKind;
    use crate::seats::tie::TieCriterion;

    /// Two tiers with rounded Imperiali and Hagenbach-Bischoff quotas, ties by votes then
    /// registration, on lists a, b, c, ... in districts of the given magnitudes; checks
    /// the first-tier seats, the final seats and the lists that gave seats back.
    fn check(
        rows: &[&[u64]],
        magnitudes: &[u32],
        expect_first: &[&[u32]],
        expect_seats: &[&[u32]],
        expect_taken_back: &[&[usize]],
    ) {
        let districts = crate::systems::district::test_districts(rows);
        let rules = TierRules::new(TierRulesConfig {
            magnitudes: Magnitudes::Fixed(magnitudes.iter().copied().map(Seats).collect()),
            national_threshold: None,
            district_quota: Quota { kind: QuotaKind::Imperiali, rounding: QuotaRounding::Round },
            national_quota: Quota {
                kind: QuotaKind::HagenbachBischoff,
                rounding: QuotaRounding::Round,
            },
            ties: TieRule::new(&[TieCriterion::Votes, TieCriterion::Registration])
                .expect("distinct criteria"),
            lot_seed: None,
        })
        .expect("a rounded quota");
        let res = two_tier_allocation(&rules, &districts).expect("an allocation");
        let numbers = |seats: &[Vec<Seats>]| -> Vec<Vec<u32>> {
            seats.iter().map(|row| row.iter().map(|seats| seats.0).collect()).collect()
        };
        assert_eq!(numbers(&res.first_tier), expect_first);
        assert_eq!(numbers(&res.seats), expect_seats);
        let taken_back: Vec<&[usize]> =
            res.trace.districts.iter().map(|step| step.taken_back.as_slice()).collect();
        assert_eq!(taken_back, expect_taken_back);
    }

    #[test]
    fn leftover_seats_follow_the_carried_votes() {
        // d1: quota 100 / 6 = 16.67, rounded 17: one seat each to a, b, c; one left over.
        // d2: quota 100 / 5 = 20: 2 + 1 + 1 = 4 seats for 3; c has the smallest remainder
        // (0) and gives its seat back, carrying all its 20 votes. Carried: a 12 + 10,
        // b 12 + 10, c 12 + 20, d 13; the one leftover seat goes to c's largest remainder
        // (the quota is 89 / 2, rounded 45), in d2 where c carried the most.
        check(
            &[&[29, 29, 29, 13], &[50, 30, 20, 0]],
            &[4, 3],
            &[&[1, 1, 1, 0], &[2, 1, 0, 0]],
            &[&[1, 1, 1, 0], &[2, 1, 1, 0]],
            &[&[], &[2]],
        );
    }

    #[test]
    fn equal_remainders_give_back_by_votes_then_registration() {
        // Quota 100 / 6 rounded 17: 2 + 2 + 1 = 5 seats for 4; a and b both have remainder 1
        // and 35 votes, so the later-registered b gives its seat back.
        check(&[&[35, 35, 30]], &[4], &[&[2, 1, 1]], &[&[2, 1, 1]], &[&[1]]);
        // With b ahead in votes, a gives it back.
        check(&[&[35, 52, 13]], &[4], &[&[1, 3, 0]], &[&[1, 3, 0]], &[&[0]]);
    }
}
