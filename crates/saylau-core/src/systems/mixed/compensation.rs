//! The compensatory (mixed-member proportional) allocation of [`crate::systems::mixed`]: the
//! entitlement on the list votes of the qualifying parties, list seats on top of their
//! electorates, and the three ways of handling overhang ([`Overhang`]).
//!
//! New Zealand's Electoral Act 1993 s 191-192 is the model: the electorates of parties
//! without a qualifying list are kept and taken off the house, the rest is divided by
//! Sainte-Laguë among the parties with 5 % of the party votes or one electorate, and a
//! party's list seats are its entitlement minus its electorates.

use crate::seats::allocation::{Allocation, allocate};
use crate::seats::contest::{Ballots, Contest, List};
use crate::seats::fraction::Fraction;
use crate::seats::method::{Rules, RulesConfig};
use crate::seats::trace::Admission;
use crate::seats::votes::Seats;
use crate::systems::mixed::levelling::levelled_allocation;
use crate::systems::mixed::{
    MixedAllocation, MixedContest, MixedError, MixedRound, MixedRules, MixedRulesConfig,
    MixedTrace, Overhang,
};

/// The compensatory system: entitlement on the list votes, list seats on top of the
/// electorates, overhang as configured.
pub(crate) fn compensatory(
    rules: &MixedRules,
    contest: &MixedContest,
    overhang: Overhang,
) -> Result<MixedAllocation, MixedError> {
    let config = rules.config();
    let exempt: Vec<bool> = contest
        .parties()
        .iter()
        .map(|party| config.electorate_exemption.is_some_and(|min| party.electorate_seats >= min))
        .collect();
    let open_seats = Seats(contest.house().0 - contest.seats().vacant.0);
    // Admission does not depend on the number of seats, so a first run on the open seats
    // tells which electorates are kept; the run is repeated only if some are.
    let mut first = allocate(&config.list_rules, &contest.list_contest(open_seats, &exempt))?;
    let kept: Seats = contest
        .parties()
        .iter()
        .zip(&first.admission)
        .filter(|(_, status)| !status.is_admitted())
        .map(|(party, _)| party.electorate_seats)
        .sum();
    let proportional_seats = Seats(open_seats.0 - kept.0);
    if kept.0 > 0 {
        first = allocate(&config.list_rules, &contest.list_contest(proportional_seats, &exempt))?;
    }
    let admission = first.admission.clone();
    let electorate_qualified = below_threshold(contest, &first, &exempt);
    let mut trace = MixedTrace {
        electorate_qualified,
        kept_electorate_seats: kept,
        proportional_seats,
        rounds: Vec::new(),
        levelling: None,
    };
    let all: Vec<usize> = (0..contest.parties().len()).collect();
    let totals = match overhang {
        Overhang::Keep => {
            trace.rounds.push(round(contest, &all, proportional_seats, first));
            kept_overhang(contest, &trace.rounds[0])
        }
        Overhang::Level => levelled(config, contest, first, &mut trace)?,
        Overhang::Disallow => disallowed(config, contest, first, &mut trace)?,
    };
    Ok(compensated(contest, totals, admission, trace))
}

/// The exempt parties that the threshold alone would not admit.
fn below_threshold(contest: &MixedContest, first: &Allocation, exempt: &[bool]) -> Vec<usize> {
    let min_votes = first.trace.threshold.map(|threshold| threshold.min_votes);
    (0..exempt.len())
        .filter(|&idx| {
            let votes = Fraction::whole(u128::from(contest.parties()[idx].list_votes.0));
            exempt[idx]
                && first.admission[idx].is_admitted()
                && min_votes.is_some_and(|min| votes < min)
        })
        .collect()
}

/// A round record: the allocation of `seats` among `parties`, with the admitted parties
/// whose electorates exceed their share.
fn round(contest: &MixedContest, parties: &[usize], seats: Seats, res: Allocation) -> MixedRound {
    let overhanging = parties
        .iter()
        .zip(res.seats.iter().zip(&res.admission))
        .filter(|&(&party, (&share, status))| {
            status.is_admitted() && contest.parties()[party].electorate_seats > share
        })
        .map(|(&party, _)| party)
        .collect();
    MixedRound {
        parties: parties.to_vec(),
        seats,
        shares: res.seats,
        overhanging,
        trace: res.trace,
    }
}

/// Seats of the admitted parties under [`Overhang::Keep`]: the larger of entitlement and
/// electorates. The entitlements are the first round's shares.
fn kept_overhang(contest: &MixedContest, first: &MixedRound) -> Vec<Seats> {
    let mut totals = vec![Seats(0); contest.parties().len()];
    for (&party, &share) in first.parties.iter().zip(&first.shares) {
        totals[party] = share.max(contest.parties()[party].electorate_seats);
    }
    totals
}

/// The admitted parties and a contest of only them, with the threshold already applied.
fn qualified_contest(
    config: &MixedRulesConfig,
    contest: &MixedContest,
    parties: &[usize],
    seats: Seats,
) -> (Rules, Contest) {
    let lists = parties
        .iter()
        .map(|&idx| {
            let party = &contest.parties()[idx];
            List {
                id: party.id.clone(),
                name: party.name.clone(),
                votes: party.list_votes,
                threshold: None,
            }
        })
        .collect();
    let name = format!("{}/qualified", contest.name());
    let rules = Rules::new(RulesConfig {
        method: config.list_rules.method(),
        threshold: None,
        admit_at_least: 0,
        runner_up: None,
        ties: config.list_rules.ties().clone(),
        lot_seed: config.list_rules.lot_seed().cloned(),
    })
    .expect("the list rules without threshold and runner-up stay valid");
    let contest = Contest::new(&name, seats, lists, Ballots::default())
        .expect("admitted parties exist, with unique ids, and seats are positive");
    (rules, contest)
}

/// Seats of the admitted parties under [`Overhang::Level`].
fn levelled(
    config: &MixedRulesConfig,
    contest: &MixedContest,
    first: Allocation,
    trace: &mut MixedTrace,
) -> Result<Vec<Seats>, MixedError> {
    let all: Vec<usize> = (0..contest.parties().len()).collect();
    let admitted: Vec<usize> =
        all.iter().copied().filter(|&idx| first.admission[idx].is_admitted()).collect();
    trace.rounds.push(round(contest, &all, trace.proportional_seats, first));
    let (rules, qualified) =
        qualified_contest(config, contest, &admitted, trace.proportional_seats);
    let minimums: Vec<Seats> =
        admitted.iter().map(|&idx| contest.parties()[idx].electorate_seats).collect();
    let levelled = levelled_allocation(&rules, &qualified, &minimums)?;
    let mut totals = vec![Seats(0); contest.parties().len()];
    for (&party, &won) in admitted.iter().zip(&levelled.allocation.seats) {
        totals[party] = won;
    }
    trace.levelling = Some(levelled.trace(admitted));
    Ok(totals)
}

/// Seats of the admitted parties under [`Overhang::Disallow`].
fn disallowed(
    config: &MixedRulesConfig,
    contest: &MixedContest,
    first: Allocation,
    trace: &mut MixedTrace,
) -> Result<Vec<Seats>, MixedError> {
    let all: Vec<usize> = (0..contest.parties().len()).collect();
    let mut eligible: Vec<usize> =
        all.iter().copied().filter(|&idx| first.admission[idx].is_admitted()).collect();
    let mut totals = vec![Seats(0); contest.parties().len()];
    let mut seats_left = trace.proportional_seats;
    let mut current = round(contest, &all, seats_left, first);
    loop {
        let shares: Vec<(usize, Seats)> =
            current.parties.iter().copied().zip(current.shares.iter().copied()).collect();
        let overhanging = current.overhanging.clone();
        trace.rounds.push(current);
        if overhanging.is_empty() {
            for (party, share) in shares.into_iter().filter(|(party, _)| eligible.contains(party)) {
                totals[party] = share;
            }
            return Ok(totals);
        }
        for &party in &overhanging {
            totals[party] = contest.parties()[party].electorate_seats;
            seats_left = Seats(seats_left.0 - totals[party].0);
        }
        eligible.retain(|party| !overhanging.contains(party));
        // The remaining parties' electorates fit in the seats left (every electorate is
        // within the house), so some party remains unless no seat is left.
        if eligible.is_empty() || seats_left.0 == 0 {
            return Ok(totals);
        }
        let (rules, qualified) = qualified_contest(config, contest, &eligible, seats_left);
        let res = allocate(&rules, &qualified)?;
        current = round(contest, &eligible, seats_left, res);
    }
}

/// The result of a compensatory allocation from the admitted parties' totals.
fn compensated(
    contest: &MixedContest,
    totals: Vec<Seats>,
    admission: Vec<Admission>,
    trace: MixedTrace,
) -> MixedAllocation {
    let mut list_seats = vec![Seats(0); totals.len()];
    let mut overhang = vec![Seats(0); totals.len()];
    let mut seats = vec![Seats(0); totals.len()];
    for (idx, party) in contest.parties().iter().enumerate() {
        let won = party.electorate_seats;
        if !admission[idx].is_admitted() {
            seats[idx] = won;
            continue;
        }
        seats[idx] = totals[idx].max(won);
        list_seats[idx] = Seats(seats[idx].0 - won.0);
        let share = proportional_share(&trace, idx);
        overhang[idx] = Seats(won.0.saturating_sub(share.0));
    }
    MixedAllocation {
        electorate_seats: contest.parties().iter().map(|party| party.electorate_seats).collect(),
        filled: seats.iter().copied().sum(),
        house: contest.house(),
        vacancies: contest.seats().vacant,
        list_seats,
        seats,
        overhang,
        admission,
        trace,
    }
}

/// A party's proportional share in the first round (its entitlement before overhang).
fn proportional_share(trace: &MixedTrace, party: usize) -> Seats {
    let first = &trace.rounds[0];
    first.parties.iter().position(|&it| it == party).map_or(Seats(0), |pos| first.shares[pos])
}
