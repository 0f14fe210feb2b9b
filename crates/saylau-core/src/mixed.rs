//! Mixed systems: single-member seats next to list seats, in parallel or compensatory.
//!
//! - Parallel (the seed's 50/50 plan; the Mazhilis since 2023 with 69 list and 29
//!   single-member seats): the list seats are allocated by [`allocate`] on the list votes
//!   alone, and each party adds the single-member seats it won.
//! - Compensatory (mixed-member proportional, New Zealand's Electoral Act 1993 s 191): a
//!   party qualifies by the list threshold or by winning enough electorates (NZ: 5 % of the
//!   party votes or one electorate). Electorates won by independents, by parties without
//!   list votes and by parties that do not qualify are kept and taken off the house; the
//!   rest is divided among the qualifying parties on their list votes (Sainte-Laguë in NZ).
//!   A party's list seats are its entitlement minus its electorates. When the electorates
//!   exceed the entitlement (overhang), [`Overhang`] decides.
//!
//! The single-member winners come from elsewhere (plurality is computed in its own module).
//! A race that "against all" wins is left vacant, as the seed proposes: vacancies are
//! input, never filled, and shown in the result. In a compensatory system the vacant
//! seats are taken off the house too, so that they stay empty rather than turn into list
//! seats.

use serde::Serialize;

use crate::allocation::allocate;
use crate::contest::{Ballots, Contest, List};
use crate::method::Rules;
use crate::mixed_compensation::compensatory;
use crate::mixed_levelling::{LevellingError, LevellingTrace};
use crate::threshold::Percent;
use crate::trace::{Admission, Trace};
use crate::votes::{ListId, Seats, Votes};

/// A party (or a group of independents) in a mixed election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MixedParty {
    /// Stable identifier.
    pub id: ListId,
    /// Display name.
    pub name: String,
    /// Votes for its list (party votes, Zweitstimmen); zero for independents.
    pub list_votes: Votes,
    /// Single-member seats it won (electorates, Direktmandate).
    pub electorate_seats: Seats,
}

/// The seats of a mixed house in law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MixedSeats {
    /// List seats (at least one).
    pub list: Seats,
    /// Single-member seats (electorates).
    pub single_member: Seats,
    /// Single-member seats left vacant because "against all" won the race.
    pub vacant: Seats,
}

/// A validated mixed election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MixedContest {
    name: String,
    seats: MixedSeats,
    parties: Vec<MixedParty>,
    ballots: Ballots,
}

/// The kind of mixed system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum MixedSystem {
    /// List seats allocated independently of the single-member seats.
    Parallel,
    /// List seats compensate for the single-member seats.
    Compensatory {
        /// What happens when a party wins more electorates than its entitlement.
        overhang: Overhang,
    },
}

/// What happens when a party wins more electorates than its proportional entitlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Overhang {
    /// The party keeps them and the house grows by the overhang; the other parties keep
    /// their entitlements (New Zealand, Electoral Act 1993 s 192).
    Keep,
    /// The house is enlarged until every qualifying party's allocation of the enlarged
    /// house covers its electorates, so every party's seats are proportional (the
    /// federal levelling of the Bundestag 2013-2020, [`crate::mixed_levelling`]).
    Level,
    /// The house stays fixed: an overhanging party keeps its electorates and gets no list
    /// seat, and the seats left are divided again among the other qualifying parties;
    /// repeated until no party overhangs. No winner is unseated.
    #[serde(rename = "none")]
    Disallow,
}

/// The parts of [`MixedRules`], before they are checked together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixedRulesConfig {
    /// Parallel or compensatory.
    pub system: MixedSystem,
    /// The list tier: method, threshold (its base included), admission and ties.
    pub list_rules: Rules,
    /// Compensatory only: a party with at least this many electorates qualifies whatever
    /// its list votes (NZ: one; the Bundestag: three Grundmandate).
    pub electorate_exemption: Option<Seats>,
}

/// Validated mixed rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixedRules {
    config: MixedRulesConfig,
}

/// Why a mixed election cannot be set up or allocated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MixedError {
    /// No parties.
    #[error("a mixed election needs at least one party")]
    NoParties,
    /// An empty party identifier.
    #[error("party {0} has an empty id")]
    EmptyId(usize),
    /// Two parties share an identifier.
    #[error("party id {0:?} is used twice")]
    DuplicateParty(String),
    /// No list seats.
    #[error("a mixed house needs at least one list seat")]
    NoListSeats,
    /// Single-member seats that are neither won nor vacant, or too many won.
    #[error(
        "{won} electorates won and {vacant} vacant, but the house has {seats} single-member seats"
    )]
    ElectorateCount {
        /// Electorates won by the parties.
        won: Seats,
        /// Vacant electorates.
        vacant: Seats,
        /// Single-member seats in law.
        seats: Seats,
    },
    /// Fewer participants than valid list votes.
    #[error("participants ({participants}) are fewer than the valid list votes ({valid})")]
    ParticipantsBelowValid {
        /// Participants as given.
        participants: Votes,
        /// List votes plus "against all".
        valid: Votes,
    },
    /// An electorate exemption in a parallel system.
    #[error("the electorate exemption applies only to compensatory systems")]
    ExemptionInParallel,
    /// An exemption of zero electorates.
    #[error("the electorate exemption must be at least one electorate")]
    ZeroExemption,
    /// The 2009 runner-up correction in a compensatory system.
    #[error("the runner-up correction (art. 97-1 p. 3, 2009) applies only to a parallel list tier")]
    RunnerUpInCompensation,
    /// The engine refused the list tier.
    #[error("list tier: {0}")]
    Allocation(#[from] crate::allocation::AllocationError),
    /// Levelling failed.
    #[error(transparent)]
    Levelling(#[from] LevellingError),
}

impl MixedContest {
    /// A mixed election from its parts, checked: at least one party and one list seat,
    /// unique non-empty ids, every single-member seat either won or vacant, and ballot
    /// totals consistent with the list votes.
    pub fn new(
        name: &str,
        seats: MixedSeats,
        parties: Vec<MixedParty>,
        ballots: Ballots,
    ) -> Result<MixedContest, MixedError> {
        if parties.is_empty() {
            return Err(MixedError::NoParties);
        }
        if seats.list.0 == 0 {
            return Err(MixedError::NoListSeats);
        }
        // One pass: a check of each against all before it is quadratic in parties.
        let mut seen = std::collections::HashSet::with_capacity(parties.len());
        for (idx, party) in parties.iter().enumerate() {
            if party.id.as_str().is_empty() {
                return Err(MixedError::EmptyId(idx + 1));
            }
            if !seen.insert(&party.id) {
                return Err(MixedError::DuplicateParty(party.id.to_string()));
            }
        }
        let won: Seats = parties.iter().map(|party| party.electorate_seats).sum();
        if won + seats.vacant != seats.single_member {
            return Err(MixedError::ElectorateCount {
                won,
                vacant: seats.vacant,
                seats: seats.single_member,
            });
        }
        let valid =
            parties.iter().map(|party| party.list_votes).sum::<Votes>() + ballots.against_all;
        if let Some(participants) = ballots.participants
            && participants < valid
        {
            return Err(MixedError::ParticipantsBelowValid { participants, valid });
        }
        Ok(MixedContest { name: name.to_owned(), seats, parties, ballots })
    }

    /// The election's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The seats in law.
    pub fn seats(&self) -> MixedSeats {
        self.seats
    }

    /// The parties in registration order.
    pub fn parties(&self) -> &[MixedParty] {
        &self.parties
    }

    /// Ballot totals of the list vote.
    pub fn ballots(&self) -> Ballots {
        self.ballots
    }

    /// The house in law: list plus single-member seats.
    pub fn house(&self) -> Seats {
        self.seats.list + self.seats.single_member
    }

    /// The list tier as an engine contest for `seats` seats, every party a list.
    /// `exempt` marks the parties whose own threshold is zero (the electorate exemption).
    pub(crate) fn list_contest(&self, seats: Seats, exempt: &[bool]) -> Contest {
        let lists = self
            .parties
            .iter()
            .zip(exempt)
            .map(|(party, &exempt)| List {
                id: party.id.clone(),
                name: party.name.clone(),
                votes: party.list_votes,
                threshold: exempt.then(|| Percent::from_ratio(0, 1)),
            })
            .collect();
        Contest::new(&format!("{}/list", self.name), seats, lists, self.ballots)
            .expect("at least one seat, and lists and ballots checked by MixedContest::new")
    }
}

impl MixedRules {
    /// Checks that the parts fit the system.
    pub fn new(config: MixedRulesConfig) -> Result<MixedRules, MixedError> {
        match (config.system, config.electorate_exemption) {
            (MixedSystem::Parallel, Some(_)) => return Err(MixedError::ExemptionInParallel),
            (_, Some(Seats(0))) => return Err(MixedError::ZeroExemption),
            _ => {}
        }
        if matches!(config.system, MixedSystem::Compensatory { .. })
            && config.list_rules.runner_up().is_some()
        {
            return Err(MixedError::RunnerUpInCompensation);
        }
        Ok(MixedRules { config })
    }

    /// The checked parts.
    pub fn config(&self) -> &MixedRulesConfig {
        &self.config
    }
}

/// Seats of every party in a mixed election, with the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MixedAllocation {
    /// Single-member seats won, per party.
    pub electorate_seats: Vec<Seats>,
    /// List seats, per party.
    pub list_seats: Vec<Seats>,
    /// All seats, per party.
    pub seats: Vec<Seats>,
    /// Electorates beyond the proportional entitlement, per party (compensatory only).
    pub overhang: Vec<Seats>,
    /// Admission of each party's list.
    pub admission: Vec<Admission>,
    /// The house in law (list plus single-member seats).
    pub house: Seats,
    /// Seats filled: the house, plus overhang or levelling seats, minus vacancies.
    pub filled: Seats,
    /// Single-member seats left vacant.
    pub vacancies: Seats,
    /// How the result was reached.
    pub trace: MixedTrace,
}

/// The explanation of a mixed allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MixedTrace {
    /// Parties admitted by their electorates that the threshold alone would not admit.
    pub electorate_qualified: Vec<usize>,
    /// Electorates won by parties without a qualifying list (independents included),
    /// kept and taken off the house.
    pub kept_electorate_seats: Seats,
    /// Seats divided proportionally in the first round.
    pub proportional_seats: Seats,
    /// The list-tier allocations in order: the first on every party; for
    /// [`Overhang::Disallow`] one more per round without the overhanging parties.
    pub rounds: Vec<MixedRound>,
    /// The levelling, for [`Overhang::Level`].
    pub levelling: Option<LevellingTrace>,
}

/// One list-tier allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MixedRound {
    /// The parties in this allocation (indices in registration order), numbered by
    /// position in the engine trace.
    pub parties: Vec<usize>,
    /// Seats divided.
    pub seats: Seats,
    /// Each party's share, by position in `parties`.
    pub shares: Vec<Seats>,
    /// Admitted parties whose electorates exceed their share here.
    pub overhanging: Vec<usize>,
    /// The engine's trace.
    pub trace: Trace,
}

/// Allocates the seats of a mixed election.
pub fn mixed_allocation(
    rules: &MixedRules,
    contest: &MixedContest,
) -> Result<MixedAllocation, MixedError> {
    match rules.config().system {
        MixedSystem::Parallel => parallel(rules, contest),
        MixedSystem::Compensatory { overhang } => compensatory(rules, contest, overhang),
    }
}

/// The parallel system: the list seats on the list votes, electorates added.
fn parallel(rules: &MixedRules, contest: &MixedContest) -> Result<MixedAllocation, MixedError> {
    let n_parties = contest.parties().len();
    let list_contest = contest.list_contest(contest.seats().list, &vec![false; n_parties]);
    let res = allocate(&rules.config().list_rules, &list_contest)?;
    let round = MixedRound {
        parties: (0..n_parties).collect(),
        seats: contest.seats().list,
        shares: res.seats.clone(),
        overhanging: Vec::new(),
        trace: res.trace,
    };
    let trace = MixedTrace {
        electorate_qualified: Vec::new(),
        kept_electorate_seats: Seats(0),
        proportional_seats: contest.seats().list,
        rounds: vec![round],
        levelling: None,
    };
    Ok(finish(contest, res.seats, res.admission, trace))
}

/// The result from each party's list seats.
fn finish(
    contest: &MixedContest,
    list_seats: Vec<Seats>,
    admission: Vec<Admission>,
    trace: MixedTrace,
) -> MixedAllocation {
    let electorate_seats: Vec<Seats> =
        contest.parties().iter().map(|party| party.electorate_seats).collect();
    let seats: Vec<Seats> =
        electorate_seats.iter().zip(&list_seats).map(|(&won, &list)| won + list).collect();
    MixedAllocation {
        overhang: vec![Seats(0); seats.len()],
        filled: seats.iter().copied().sum(),
        house: contest.house(),
        vacancies: contest.seats().vacant,
        electorate_seats,
        list_seats,
        seats,
        admission,
        trace,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::divisor::Divisor;
    use crate::method::{Method, RulesConfig};
    use crate::threshold::{Threshold, ThresholdBase};
    use crate::tie::{TieCriterion, TieRule};

    /// A (600 list votes, 5 electorates), B (300, 0), C (100, 3) and the independents D
    /// (0, 1); 2 list seats and 10 single-member seats, one of them vacant; Sainte-Laguë,
    /// 5 % of the list votes, ties by registration. Checks the seats and the seats filled.
    fn check(system: MixedSystem, expect_seats: &[u32], expect_filled: u32) {
        let parties = [("a", 600, 5), ("b", 300, 0), ("c", 100, 3), ("d", 0, 1)]
            .into_iter()
            .map(|(id, votes, won)| MixedParty {
                id: ListId::new(id),
                name: id.to_owned(),
                list_votes: Votes(votes),
                electorate_seats: Seats(won),
            })
            .collect();
        let seats = MixedSeats { list: Seats(2), single_member: Seats(10), vacant: Seats(1) };
        let contest =
            MixedContest::new("test", seats, parties, Ballots::default()).expect("a valid contest");
        let threshold = Threshold {
            percent: Percent::parse("5%").expect("a valid percentage"),
            base: ThresholdBase::Lists,
        };
        let list_rules = Rules::new(RulesConfig {
            method: Method::Divisor { divisor: Divisor::SainteLague },
            threshold: Some(threshold),
            admit_at_least: 0,
            runner_up: None,
            ties: TieRule::new(&[TieCriterion::Registration]).expect("a valid rule"),
            lot_seed: None,
        })
        .expect("valid rules");
        let rules =
            MixedRules::new(MixedRulesConfig { system, list_rules, electorate_exemption: None })
                .expect("valid mixed rules");
        let res = mixed_allocation(&rules, &contest).expect("an allocation");
        let seats: Vec<u32> = res.seats.iter().map(|seats| seats.0).collect();
        assert_eq!((seats.as_slice(), res.filled.0), (expect_seats, expect_filled));
        assert_eq!(res.vacancies, Seats(1));
    }

    fn compensatory(overhang: Overhang) -> MixedSystem {
        MixedSystem::Compensatory { overhang }
    }

    #[test]
    fn overhang_rules() {
        // 12 seats, 1 vacant, D's electorate kept: 10 divided, 6/3/1. C's 3 electorates
        // exceed its 1.
        check(compensatory(Overhang::Keep), &[6, 3, 3, 1], 13);
        // Fixed house: C keeps 3, and A and B share the 7 left, 5/2.
        check(compensatory(Overhang::Disallow), &[5, 2, 3, 1], 11);
        // Levelling: C's third seat comes at the quotient 100/5 = 20, where 25 seats are
        // above or on the cut; but B's 300/15 ties at 20 and is registered earlier, so 26.
        check(compensatory(Overhang::Level), &[15, 8, 3, 1], 27);
        // Parallel: the 2 list seats go to A and B.
        check(MixedSystem::Parallel, &[6, 1, 3, 1], 11);
    }

    #[test]
    fn rejects_unfilled_electorates_and_misplaced_exemptions() {
        let party = MixedParty {
            id: ListId::new("a"),
            name: "a".into(),
            list_votes: Votes(1),
            electorate_seats: Seats(2),
        };
        let seats = MixedSeats { list: Seats(1), single_member: Seats(3), vacant: Seats(0) };
        assert_eq!(
            MixedContest::new("x", seats, vec![party], Ballots::default())
                .map_err(|err| err.to_string()),
            Err("2 electorates won and 0 vacant, but the house has 3 single-member seats".into())
        );
        let list_rules = Rules::new(RulesConfig {
            method: Method::Divisor { divisor: Divisor::SainteLague },
            threshold: None,
            admit_at_least: 0,
            runner_up: None,
            ties: TieRule::lot(),
            lot_seed: None,
        })
        .expect("valid rules");
        let config = MixedRulesConfig {
            system: MixedSystem::Parallel,
            list_rules,
            electorate_exemption: Some(Seats(1)),
        };
        assert_eq!(MixedRules::new(config), Err(MixedError::ExemptionInParallel));
    }
}
