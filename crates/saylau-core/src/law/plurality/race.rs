//! One plurality race as data: its candidates, "against all" and turnout, validated by
//! [`Race::new`].

use serde::Serialize;

use super::decision::CandidateResult;
use crate::seats::votes::{ListId, Seats, Votes};

pub use crate::seats::votes::RaceId;

/// A registered candidate (зарегистрированный кандидат) and the votes cast for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The name on the ballot.
    pub name: String,
    /// The nominating party, or `None` for a self-nominated candidate (самовыдвиженец,
    /// art. 113-4 of the Constitutional Law «On Elections»).
    pub party: Option<ListId>,
    /// Votes cast for the candidate.
    pub votes: Votes,
}

/// Voters on the roll and voters who took part, for turnout (явка).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Turnout {
    /// Voters on the roll (включённые в списки избирателей).
    pub voters: Votes,
    /// Voters who took part (принявшие участие в голосовании).
    pub participants: Votes,
}

/// The parts of a race, before [`Race::new`] checks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaceConfig {
    /// Identifier, unique in the round.
    pub id: RaceId,
    /// Display name (the rural district), if any.
    pub name: Option<String>,
    /// The region the race belongs to (an oblast), for summaries.
    pub region: Option<String>,
    /// Seats to fill: 1 for an akim; more for a plurality block vote.
    pub seats: Seats,
    /// The candidates in ballot order.
    pub candidates: Vec<Candidate>,
    /// Valid "against all" votes.
    pub against_all: Votes,
    /// Voters on the roll, when published.
    pub voters: Option<Votes>,
    /// Voters who took part, when published.
    pub participants: Option<Votes>,
}

/// One plurality race, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Race {
    id: RaceId,
    name: Option<String>,
    region: Option<String>,
    seats: Seats,
    candidates: Vec<Candidate>,
    against_all: Votes,
    voters: Option<Votes>,
    participants: Option<Votes>,
}

/// Why a race or a round is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RaceError {
    /// No seats to fill.
    #[error("race {0}: the number of seats must be at least 1")]
    NoSeats(RaceId),
    /// No candidates.
    #[error("race {0}: a race needs at least one candidate")]
    NoCandidates(RaceId),
    /// The votes do not fit in 64 bits.
    #[error("race {0}: the votes add up to more than 2^64 - 1")]
    VotesOverflow(RaceId),
    /// Fewer participants than valid votes.
    #[error("race {race}: participants ({participants}) are fewer than the valid votes ({valid})")]
    ParticipantsBelowValid {
        /// The race.
        race: RaceId,
        /// Participants as given.
        participants: Votes,
        /// Candidate votes plus "against all".
        valid: Votes,
    },
    /// More participants than voters on the roll.
    #[error("race {race}: participants ({participants}) exceed the voters on the roll ({voters})")]
    VotersBelowParticipants {
        /// The race.
        race: RaceId,
        /// Voters on the roll.
        voters: Votes,
        /// Participants.
        participants: Votes,
    },
    /// Two races share an identifier.
    #[error("race id {0} is used twice")]
    DuplicateRace(RaceId),
    /// A round without races.
    #[error("a round needs at least one race")]
    NoRaces,
    /// The votes of the whole round do not fit in 64 bits.
    #[error("the votes of the round add up to more than 2^64 - 1")]
    RoundOverflow,
}

impl Race {
    /// A race from its parts, checked.
    pub fn new(config: RaceConfig) -> Result<Race, RaceError> {
        let RaceConfig { id, name, region, seats, candidates, against_all, voters, participants } =
            config;
        if seats.0 == 0 {
            return Err(RaceError::NoSeats(id));
        }
        if candidates.is_empty() {
            return Err(RaceError::NoCandidates(id));
        }
        let valid = candidates
            .iter()
            .try_fold(against_all.0, |sum, candidate| sum.checked_add(candidate.votes.0))
            .ok_or_else(|| RaceError::VotesOverflow(id.clone()))?;
        if let Some(participants) = participants
            && participants.0 < valid
        {
            return Err(RaceError::ParticipantsBelowValid {
                race: id,
                participants,
                valid: Votes(valid),
            });
        }
        if let (Some(voters), Some(participants)) = (voters, participants)
            && voters < participants
        {
            return Err(RaceError::VotersBelowParticipants { race: id, voters, participants });
        }
        Ok(Race { id, name, region, seats, candidates, against_all, voters, participants })
    }

    /// The identifier.
    pub fn id(&self) -> &RaceId {
        &self.id
    }

    /// The display name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The region, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Seats to fill.
    pub fn seats(&self) -> Seats {
        self.seats
    }

    /// The candidates in ballot order.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// "Against all" votes.
    pub fn against_all(&self) -> Votes {
        self.against_all
    }

    /// Candidate votes plus "against all" (fits: checked by [`Race::new`]).
    pub fn valid_votes(&self) -> Votes {
        self.candidates.iter().map(|candidate| candidate.votes).sum::<Votes>() + self.against_all
    }

    /// Voters on the roll and participants, when both are published.
    pub fn turnout(&self) -> Option<Turnout> {
        Some(Turnout { voters: self.voters?, participants: self.participants? })
    }

    /// Voters who took part, when published.
    pub fn participants(&self) -> Option<Votes> {
        self.participants
    }

    /// True when no more candidates stand than there are seats (безальтернативные выборы).
    pub fn is_uncontested(&self) -> bool {
        self.candidates.len() <= self.seat_count()
    }

    /// The candidate at `idx`, for a result.
    pub(super) fn candidate_result(&self, idx: usize) -> CandidateResult {
        let candidate = &self.candidates[idx];
        CandidateResult {
            name: candidate.name.clone(),
            party: candidate.party.clone(),
            votes: candidate.votes,
        }
    }

    pub(super) fn seat_count(&self) -> usize {
        usize::try_from(self.seats.0).expect("a seat count fits in usize")
    }
}

/// Test data: a race from `(name, party, votes)` with `seats` and "against all" votes, in
/// region `r`. Four in five voters on the roll take part, and every ballot is valid.
#[cfg(test)]
pub(super) fn test_race(
    id: &str,
    seats: u32,
    against_all: u64,
    candidates: &[(&str, &str, u64)],
) -> Race {
    let valid = against_all + candidates.iter().map(|(_, _, votes)| votes).sum::<u64>();
    let candidates = candidates
        .iter()
        .map(|&(name, party, votes)| Candidate {
            name: name.to_owned(),
            party: (!party.is_empty()).then(|| ListId::new(party)),
            votes: Votes(votes),
        })
        .collect();
    Race::new(RaceConfig {
        id: RaceId::new(id),
        name: None,
        region: Some("r".to_owned()),
        seats: Seats(seats),
        candidates,
        against_all: Votes(against_all),
        voters: Some(Votes(valid * 5 / 4)),
        participants: Some(Votes(valid)),
    })
    .expect("a valid race")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::plurality::round::Round;

    #[test]
    fn invalid_races_and_rounds_are_refused() {
        let config =
            |seats: u32, candidates: Vec<Candidate>, participants: Option<u64>| RaceConfig {
                id: RaceId::new("x"),
                name: None,
                region: None,
                seats: Seats(seats),
                candidates,
                against_all: Votes(5),
                voters: Some(Votes(20)),
                participants: participants.map(Votes),
            };
        let one = vec![Candidate { name: "A".to_owned(), party: None, votes: Votes(10) }];
        let err = |config| Race::new(config).map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            err(config(0, one.clone(), None)),
            "race x: the number of seats must be at least 1"
        );
        assert_eq!(err(config(1, Vec::new(), None)), "race x: a race needs at least one candidate");
        assert_eq!(
            err(config(1, one.clone(), Some(14))),
            "race x: participants (14) are fewer than the valid votes (15)"
        );
        assert_eq!(
            err(config(1, one.clone(), Some(21))),
            "race x: participants (21) exceed the voters on the roll (20)"
        );
        let race = Race::new(config(1, one, Some(15))).expect("a valid race");
        assert_eq!(
            Round::new(vec![race.clone(), race]),
            Err(RaceError::DuplicateRace(RaceId::new("x")))
        );
        assert_eq!(Round::new(Vec::new()), Err(RaceError::NoRaces));
    }
}
