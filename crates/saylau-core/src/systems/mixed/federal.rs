//! The Bundestag's seat allocation of 2013-2020: per-Land minimum seat numbers, federal
//! levelling, and each party's seats distributed back to its Land lists.
//!
//! § 6 of the Federal Elections Act (BWahlG) as amended on 3 May 2013 (BGBl. I S. 1082),
//! used for the elections of 2013 and 2017:
//! 1. Constituency seats won by independents, or by parties that do not qualify, are kept
//!    and taken off the house (§ 6 (1)); here they are given per Land.
//! 2. A party qualifies with 5 % of the valid second votes in the federal territory or
//!    three constituency seats (§ 6 (3)).
//! 3. First distribution (§ 6 (2)): the house is apportioned among the Länder by their
//!    German population (an input here, [`Land::seats`]; by Sainte-Laguë on the
//!    population), and each Land's seats, less its kept seats, among the qualifying
//!    parties' Land lists by Sainte-Laguë on their second votes.
//! 4. A party's minimum seat number (Mindestsitzzahl) is the sum over the Länder of the
//!    larger of its constituency seats and its first-distribution seats (§ 6 (4)-(5)).
//! 5. Second distribution (§ 6 (5)-(6)): the house is increased until the allocation on the
//!    federal second votes gives every party at least its minimum ([`crate::systems::mixed::levelling`]).
//! 6. Each party's seats go to its Land lists by Sainte-Laguë on their second votes, each
//!    Land list getting at least its constituency seats (§ 6 (6)): every Land starts at its
//!    constituency seats and the remaining seats go to the highest quotients. With a
//!    divisor `D`, a Land holds `max(constituency seats, round(votes / D))`, and lowering
//!    `D` raises a Land above its floor exactly at the quotient `votes / d(held)`.
//!
//! Not modelled: leaving out the second votes of voters whose first vote elected an
//! independent (§ 6 (1) sentence 2; give the second votes net of them), and the
//! national-minority exemption from the threshold (§ 6 (3) sentence 2).

use serde::Serialize;

use crate::seats::allocation::{AllocationError, allocate};
use crate::seats::contest::{Ballots, Contest, List};
use crate::seats::divisor::{Divisor, Quotient};
use crate::seats::lot::LotSeed;
use crate::seats::method::{Method, Rules, RulesConfig};
use crate::seats::threshold::Percent;
use crate::seats::tie::{TieBreak, TieRule, TieStage, break_tie};
use crate::seats::trace::{Admission, SeatAward, ThresholdTrace, Trace};
use crate::seats::votes::{ListId, Seats, Votes};
use crate::systems::district::threshold_trace;
use crate::systems::mixed::levelling::{LevellingError, LevellingTrace, levelled_allocation};

/// A party with Land lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FederalParty {
    /// Stable identifier.
    pub id: ListId,
    /// Display name.
    pub name: String,
}

/// One Land's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Land {
    /// Name, unique.
    pub name: String,
    /// Its seats in the first distribution (its share of the house by population).
    pub seats: Seats,
    /// Second votes of each party's Land list, in party order.
    pub second_votes: Vec<Votes>,
    /// Constituency seats won by each party, in party order.
    pub constituency_seats: Vec<Seats>,
    /// Constituency seats won by independents and by parties not listed.
    pub other_constituency_seats: Seats,
}

/// A validated federal election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FederalContest {
    name: String,
    parties: Vec<FederalParty>,
    lands: Vec<Land>,
}

/// The federal rules: method, threshold, exemption and ties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederalRules {
    /// The divisor of every distribution (§ 6 (2): Sainte-Laguë/Schepers).
    pub divisor: Divisor,
    /// The share of the federal second votes a party needs (§ 6 (3): 5 %).
    pub threshold: Percent,
    /// Constituency seats that qualify a party whatever its votes (§ 6 (3): three).
    pub constituency_exemption: Seats,
    /// How ties are broken (the law: a lot drawn by the Federal Returning Officer).
    pub ties: TieRule,
    /// The seed of lots; `None` uses each contest's content seed.
    pub lot_seed: Option<LotSeed>,
}

/// Why a federal election cannot be set up or allocated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FederalError {
    /// No parties or no Länder.
    #[error("a federal election needs at least one party and one Land")]
    Empty,
    /// An empty or repeated party id or Land name.
    #[error("{0:?} is empty or used twice")]
    Duplicate(String),
    /// A Land row without one count per party.
    #[error("Land {0}: one second-vote count and one constituency count per party are needed")]
    Counts(String),
    /// More kept constituency seats than a Land has seats.
    #[error("Land {0}: more kept constituency seats than seats")]
    KeptExceedLand(String),
    /// No party qualifies.
    #[error("no party passes the threshold or wins enough constituencies")]
    NothingAdmitted,
    /// The engine refused a distribution.
    #[error("{step}: {source}")]
    Allocation {
        /// The step: a Land's name or `federal`.
        step: String,
        /// The engine's reason.
        source: AllocationError,
    },
    /// Levelling failed.
    #[error(transparent)]
    Levelling(#[from] LevellingError),
}

impl FederalContest {
    /// A federal election from its parts, checked: parties and Länder present, ids and
    /// names unique and non-empty, one count per party in every Land.
    pub fn new(
        name: &str,
        parties: Vec<FederalParty>,
        lands: Vec<Land>,
    ) -> Result<FederalContest, FederalError> {
        if parties.is_empty() || lands.is_empty() {
            return Err(FederalError::Empty);
        }
        // One pass: a check of each against all before it is quadratic in parties.
        let mut seen = std::collections::HashSet::with_capacity(parties.len());
        for party in &parties {
            if party.id.as_str().is_empty() || !seen.insert(&party.id) {
                return Err(FederalError::Duplicate(party.id.to_string()));
            }
        }
        // One pass: a check of each against all before it is quadratic in lands.
        let mut seen_names = std::collections::HashSet::with_capacity(lands.len());
        for land in &lands {
            if land.name.is_empty() || !seen_names.insert(&land.name) {
                return Err(FederalError::Duplicate(land.name.clone()));
            }
            if land.second_votes.len() != parties.len()
                || land.constituency_seats.len() != parties.len()
            {
                return Err(FederalError::Counts(land.name.clone()));
            }
        }
        Ok(FederalContest { name: name.to_owned(), parties, lands })
    }

    /// The parties in order.
    pub fn parties(&self) -> &[FederalParty] {
        &self.parties
    }

    /// The Länder in order.
    pub fn lands(&self) -> &[Land] {
        &self.lands
    }

    /// Federal second votes of the party at `party`.
    pub fn second_votes(&self, party: usize) -> Votes {
        self.lands.iter().map(|land| land.second_votes[party]).sum()
    }

    /// Constituency seats of the party at `party`.
    pub fn constituency_seats(&self, party: usize) -> Seats {
        self.lands.iter().map(|land| land.constituency_seats[party]).sum()
    }
}

/// Seats per Land and party after levelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FederalAllocation {
    /// Seats of each party in each Land: `seats[land][party]`.
    pub seats: Vec<Vec<Seats>>,
    /// Seats of each party (kept constituency seats of parties that do not qualify
    /// included).
    pub totals: Vec<Seats>,
    /// Constituency seats of each party.
    pub constituency_seats: Vec<Seats>,
    /// Minimum seat number of each qualifying party (zero for the others).
    pub minimums: Vec<Seats>,
    /// Admission of each party.
    pub admission: Vec<Admission>,
    /// The final size of the house, kept seats of independents included.
    pub house: Seats,
    /// How the result was reached.
    pub trace: FederalTrace,
}

/// The explanation of a federal allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FederalTrace {
    /// The threshold test on the federal second votes.
    pub threshold: ThresholdTrace,
    /// Parties that qualify by constituency seats but not by votes.
    pub exempted: Vec<usize>,
    /// Constituency seats kept outside the distribution.
    pub kept_constituency_seats: Seats,
    /// The first distribution, Land by Land.
    pub first_distribution: Vec<LandStep>,
    /// The second distribution: levelling on the federal second votes.
    pub levelling: LevellingTrace,
    /// Each qualifying party's seats distributed to its Land lists.
    pub land_lists: Vec<LandListStep>,
}

/// One Land's first distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LandStep {
    /// The Land (index in order).
    pub land: usize,
    /// The parties of the Land's contest, numbered by position in the engine trace.
    pub parties: Vec<usize>,
    /// The engine's trace, absent when the Land has no seats to distribute.
    pub trace: Option<Trace>,
}

/// One party's seats distributed to its Land lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LandListStep {
    /// The party (index in order).
    pub party: usize,
    /// Seats above the constituency floors, in order; `list` is the Land.
    pub awards: Vec<SeatAward>,
    /// Ties between Länder (indices are Länder).
    pub ties: Vec<TieBreak>,
}

/// Allocates the Bundestag's seats under the 2013 law.
pub fn federal_allocation(
    rules: &FederalRules,
    contest: &FederalContest,
) -> Result<FederalAllocation, FederalError> {
    let n_parties = contest.parties().len();
    let (admission, threshold, exempted) = federal_admission(rules, contest)?;
    let kept_by_land: Vec<Seats> = contest
        .lands()
        .iter()
        .map(|land| {
            let failed = (0..n_parties).filter(|&party| !admission[party].is_admitted());
            land.other_constituency_seats + failed.map(|party| land.constituency_seats[party]).sum()
        })
        .collect();
    let qualified: Vec<usize> =
        (0..n_parties).filter(|&party| admission[party].is_admitted()).collect();
    let engine_rules = divisor_rules(rules);
    let (first_distribution, minimums) =
        minimum_seats(&engine_rules, contest, &qualified, &kept_by_land)?;
    let kept: Seats = kept_by_land.iter().copied().sum();
    let base: Seats = contest.lands().iter().map(|land| land.seats).sum();
    let federal_lists = qualified
        .iter()
        .map(|&party| party_list(contest, party, contest.second_votes(party)))
        .collect();
    let federal =
        engine_contest(&contest.name, Seats(base.0.saturating_sub(kept.0)), federal_lists)
            .ok_or(FederalError::NothingAdmitted)?;
    let qualified_minimums: Vec<Seats> = qualified.iter().map(|&party| minimums[party]).collect();
    let levelled = levelled_allocation(&engine_rules, &federal, &qualified_minimums)?;
    let mut seats = vec![vec![Seats(0); n_parties]; contest.lands().len()];
    let mut land_lists = Vec::new();
    for (&party, &won) in qualified.iter().zip(&levelled.allocation.seats) {
        let step = land_list_seats(rules, contest, party, won, &mut seats);
        land_lists.push(step);
    }
    for (land_idx, land) in contest.lands().iter().enumerate() {
        for party in (0..n_parties).filter(|&party| !admission[party].is_admitted()) {
            seats[land_idx][party] = land.constituency_seats[party];
        }
    }
    let totals: Vec<Seats> =
        (0..n_parties).map(|party| seats.iter().map(|row| row[party]).sum()).collect();
    let house = totals.iter().copied().sum::<Seats>()
        + contest.lands().iter().map(|land| land.other_constituency_seats).sum();
    let constituency_seats =
        (0..n_parties).map(|party| contest.constituency_seats(party)).collect();
    let trace = FederalTrace {
        threshold,
        exempted,
        kept_constituency_seats: kept,
        first_distribution,
        levelling: levelled.trace(qualified),
        land_lists,
    };
    Ok(FederalAllocation { seats, totals, constituency_seats, minimums, admission, house, trace })
}

/// § 6 (2), (4): the first distribution in every Land, and each party's minimum seat
/// number (zero for parties that do not qualify).
fn minimum_seats(
    rules: &Rules,
    contest: &FederalContest,
    qualified: &[usize],
    kept_by_land: &[Seats],
) -> Result<(Vec<LandStep>, Vec<Seats>), FederalError> {
    let mut minimums = vec![Seats(0); contest.parties().len()];
    let mut steps = Vec::with_capacity(contest.lands().len());
    for (land_idx, land) in contest.lands().iter().enumerate() {
        let (step, shares) =
            first_distribution_step(rules, contest, land_idx, qualified, kept_by_land[land_idx])?;
        for (&party, share) in qualified.iter().zip(shares) {
            minimums[party].0 += share.max(land.constituency_seats[party]).0;
        }
        steps.push(step);
    }
    Ok((steps, minimums))
}

/// § 6 (3): 5 % of the federal second votes, or three constituency seats.
fn federal_admission(
    rules: &FederalRules,
    contest: &FederalContest,
) -> Result<(Vec<Admission>, ThresholdTrace, Vec<usize>), FederalError> {
    let n_parties = contest.parties().len();
    let base: Votes = (0..n_parties).map(|party| contest.second_votes(party)).sum();
    let mut exempted = Vec::new();
    let admission: Vec<Admission> = (0..n_parties)
        .map(|party| {
            let votes = contest.second_votes(party);
            if votes.0 == 0 {
                Admission::NoVotes
            } else if rules.threshold.is_met(votes, base) {
                Admission::Passed
            } else if contest.constituency_seats(party) >= rules.constituency_exemption {
                exempted.push(party);
                Admission::Passed
            } else {
                Admission::BelowThreshold
            }
        })
        .collect();
    if !admission.iter().any(|status| status.is_admitted()) {
        return Err(FederalError::NothingAdmitted);
    }
    Ok((admission, threshold_trace(rules.threshold, base), exempted))
}

/// Engine rules for the divisor, without threshold.
fn divisor_rules(rules: &FederalRules) -> Rules {
    Rules::new(RulesConfig {
        method: Method::Divisor { divisor: rules.divisor },
        threshold: None,
        admit_at_least: 0,
        runner_up: None,
        ties: rules.ties.clone(),
        lot_seed: rules.lot_seed.clone(),
    })
    .expect("a divisor without threshold or runner-up is valid")
}

/// A party as an engine list with `votes`.
fn party_list(contest: &FederalContest, party: usize, votes: Votes) -> List {
    let info = &contest.parties()[party];
    List { id: info.id.clone(), name: info.name.clone(), votes, threshold: None }
}

/// An engine contest, or `None` without seats or lists.
fn engine_contest(name: &str, seats: Seats, lists: Vec<List>) -> Option<Contest> {
    if seats.0 == 0 || lists.is_empty() {
        return None;
    }
    Some(Contest::new(name, seats, lists, Ballots::default()).expect("unique party ids"))
}

/// One Land's first distribution among the qualifying parties; their shares in order.
fn first_distribution_step(
    rules: &Rules,
    contest: &FederalContest,
    land_idx: usize,
    qualified: &[usize],
    kept: Seats,
) -> Result<(LandStep, Vec<Seats>), FederalError> {
    let land = &contest.lands()[land_idx];
    let seats = land
        .seats
        .0
        .checked_sub(kept.0)
        .ok_or_else(|| FederalError::KeptExceedLand(land.name.clone()))?;
    let lists = qualified
        .iter()
        .map(|&party| party_list(contest, party, land.second_votes[party]))
        .collect();
    let mut step = LandStep { land: land_idx, parties: qualified.to_vec(), trace: None };
    let name = format!("{}/{}", contest.name, land.name);
    let Some(land_contest) = engine_contest(&name, Seats(seats), lists) else {
        return Ok((step, vec![Seats(0); qualified.len()]));
    };
    let res = allocate(rules, &land_contest)
        .map_err(|source| FederalError::Allocation { step: land.name.clone(), source })?;
    step.trace = Some(res.trace);
    Ok((step, res.seats))
}

/// § 6 (6): a party's `won` seats to its Land lists, each at least its constituency seats,
/// the rest by the highest quotients of the divisor; written into `seats[land][party]`.
fn land_list_seats(
    rules: &FederalRules,
    contest: &FederalContest,
    party: usize,
    won: Seats,
    seats: &mut [Vec<Seats>],
) -> LandListStep {
    let votes: Vec<Votes> = contest.lands().iter().map(|land| land.second_votes[party]).collect();
    let mut held: Vec<u32> =
        contest.lands().iter().map(|land| land.constituency_seats[party].0).collect();
    let mut awarded: u32 = held.iter().sum();
    let mut step = LandListStep { party, awards: Vec::new(), ties: Vec::new() };
    let quotient = |held: &[u32], land: usize| Quotient {
        votes: votes[land],
        divisor: rules.divisor.value(held[land]),
    };
    let candidates: Vec<usize> = (0..votes.len()).filter(|&land| votes[land].0 > 0).collect();
    while awarded < won.0 && !candidates.is_empty() {
        let best = candidates.iter().map(|&land| quotient(&held, land)).max().expect("candidates");
        let tied: Vec<usize> =
            candidates.iter().copied().filter(|&land| quotient(&held, land) == best).collect();
        let left = usize::try_from(won.0 - awarded).unwrap_or(usize::MAX);
        let winners = if tied.len() <= left {
            tied
        } else {
            let seed = rules.lot_seed.clone().unwrap_or_else(|| LotSeed::new(&contest.name));
            let seed = seed.derive(&format!(
                "{}/tie-{}",
                contest.parties()[party].id,
                step.ties.len() + 1
            ));
            let res = break_tie(
                &rules.ties,
                TieStage::Quotient { seat: awarded + 1 },
                &tied,
                left,
                &votes,
                &seed,
            );
            let winners = res.winners.clone();
            step.ties.push(res);
            winners
        };
        for land in winners {
            awarded += 1;
            step.awards.push(SeatAward {
                seat: awarded,
                list: land,
                quotient: quotient(&held, land),
            });
            held[land] += 1;
        }
    }
    for (land, &count) in held.iter().enumerate() {
        seats[land][party] = Seats(count);
    }
    step
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seats::tie::TieCriterion;

    /// Parties x and y in two Länder of 4 seats each, Sainte-Laguë, 5 % or three
    /// constituencies, ties by registration; rows are `(second votes, constituencies)` per
    /// party. Checks the seats per Land and the minimums.
    fn check(rows: &[&[(u64, u32)]], expect_seats: &[&[u32]], expect_minimums: &[u32]) {
        let parties = ["x", "y"]
            .iter()
            .map(|id| FederalParty { id: ListId::new(id), name: (*id).to_owned() })
            .collect();
        let lands = rows
            .iter()
            .enumerate()
            .map(|(idx, row)| Land {
                name: format!("l{}", idx + 1),
                seats: Seats(4),
                second_votes: row.iter().map(|&(votes, _)| Votes(votes)).collect(),
                constituency_seats: row.iter().map(|&(_, won)| Seats(won)).collect(),
                other_constituency_seats: Seats(0),
            })
            .collect();
        let contest = FederalContest::new("test", parties, lands).expect("a valid contest");
        let rules = FederalRules {
            divisor: Divisor::SainteLague,
            threshold: Percent::parse("5%").expect("a valid percentage"),
            constituency_exemption: Seats(3),
            ties: TieRule::new(&[TieCriterion::Registration]).expect("a valid rule"),
            lot_seed: None,
        };
        let res = federal_allocation(&rules, &contest).expect("an allocation");
        let seats: Vec<Vec<u32>> =
            res.seats.iter().map(|row| row.iter().map(|seats| seats.0).collect()).collect();
        let minimums: Vec<u32> = res.minimums.iter().map(|seats| seats.0).collect();
        assert_eq!(seats, expect_seats);
        assert_eq!(minimums, expect_minimums);
    }

    #[test]
    fn overhang_in_one_land_is_levelled_federally() {
        // l1: 60/40 give 2/2, but x won 3 constituencies: x's minimum is 3 + 2, y's 2 + 2.
        // Federally 100/100 need 9 seats for x's 5 (the tie at 100/9 goes to x, registered
        // first). x: 3 constituencies in l1, then 40/1 and 40/3 in l2. y: 1 in l2, then
        // 40/1 in l1, 60/3 in l2, 40/3 in l1.
        check(&[&[(60, 3), (40, 0)], &[(40, 0), (60, 1)]], &[&[3, 2], &[2, 2]], &[5, 4]);
        // Without overhang nothing is levelled.
        check(&[&[(60, 2), (40, 0)], &[(40, 0), (60, 1)]], &[&[2, 2], &[2, 2]], &[4, 4]);
    }
}
