//! A contest: one district's seats, its lists in registration order and its ballots.
//!
//! Built only through [`Contest::new`], which checks the invariants every method relies
//! on: at least one seat and one list, unique list identifiers, and ballot totals that are
//! consistent with the list votes.

use serde::Serialize;

use crate::seats::lot::LotSeed;
use crate::seats::threshold::Percent;
use crate::seats::votes::{ListId, ListIdError, Seats, Votes, check_list_ids};

/// A party list (партийный список) or other competitor for seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct List {
    /// Stable identifier.
    pub id: ListId,
    /// Display name.
    pub name: String,
    /// Votes cast for the list.
    pub votes: Votes,
    /// A threshold that replaces the general one for this list (a coalition's higher
    /// threshold, for example).
    pub threshold: Option<Percent>,
}

/// Ballot totals beyond the list votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Ballots {
    /// Voters who took part (принявшие участие в голосовании): ballots found in the boxes,
    /// valid and invalid. Needed for the `participants` threshold base.
    pub participants: Option<Votes>,
    /// Valid "against all" (против всех) votes: in the valid-vote base, never seated.
    pub against_all: Votes,
}

/// One district's contest, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contest {
    name: String,
    seats: Seats,
    lists: Vec<List>,
    ballots: Ballots,
    /// The sum of the list votes, computed once (every allocation needs it).
    #[serde(skip)]
    list_votes: Votes,
}

/// Why a contest is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContestError {
    /// No seats to fill.
    #[error("the number of seats must be at least 1")]
    NoSeats,
    /// No lists.
    #[error("a contest needs at least one list")]
    NoLists,
    /// Two lists share an identifier.
    #[error("list id {0:?} is used twice")]
    DuplicateList(String),
    /// An empty identifier.
    #[error("list {0} has an empty id")]
    EmptyId(usize),
    /// Fewer participants than valid votes.
    #[error(
        "participants ({participants}) are fewer than the valid votes ({valid}: list votes plus against all)"
    )]
    ParticipantsBelowValid {
        /// Participants as given.
        participants: Votes,
        /// List votes plus "against all".
        valid: Votes,
    },
}

impl Contest {
    /// A contest from its parts, checked.
    pub fn new(
        name: &str,
        seats: Seats,
        lists: Vec<List>,
        ballots: Ballots,
    ) -> Result<Contest, ContestError> {
        if seats.0 == 0 {
            return Err(ContestError::NoSeats);
        }
        if lists.is_empty() {
            return Err(ContestError::NoLists);
        }
        check_list_ids(lists.iter().map(|list| &list.id)).map_err(|err| match err {
            ListIdError::Empty(position) => ContestError::EmptyId(position),
            ListIdError::Duplicate(id) => ContestError::DuplicateList(id.to_string()),
        })?;
        let list_votes = lists.iter().map(|list| list.votes).sum::<Votes>();
        let valid = list_votes + ballots.against_all;
        if let Some(participants) = ballots.participants
            && participants < valid
        {
            return Err(ContestError::ParticipantsBelowValid { participants, valid });
        }
        Ok(Contest { name: name.to_owned(), seats, lists, ballots, list_votes })
    }

    /// The contest's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Seats to fill.
    pub fn seats(&self) -> Seats {
        self.seats
    }

    /// The lists in registration order.
    pub fn lists(&self) -> &[List] {
        &self.lists
    }

    /// Ballot totals.
    pub fn ballots(&self) -> Ballots {
        self.ballots
    }

    /// The sum of the list votes.
    pub fn list_votes(&self) -> Votes {
        self.list_votes
    }

    /// Valid votes: list votes plus "against all".
    pub fn valid_votes(&self) -> Votes {
        self.list_votes() + self.ballots.against_all
    }

    /// The default lot seed of this contest: the SHA-256 of its canonical text (name,
    /// seats, then each list's id and votes, and the ballot totals), so the same data
    /// always gives the same lot and nobody chooses it.
    pub fn content_seed(&self) -> LotSeed {
        let mut text = format!("saylau-contest-v1\n{}\n{}\n", self.name, self.seats);
        for list in &self.lists {
            text.push_str(&format!("{}\t{}\n", list.id, list.votes));
        }
        let participants = self.ballots.participants.map(|votes| votes.0.to_string());
        text.push_str(&format!(
            "participants\t{}\nagainst_all\t{}\n",
            participants.as_deref().unwrap_or("-"),
            self.ballots.against_all
        ));
        LotSeed::from_content(text.as_bytes())
    }
}

/// Test data: lists a, b, c, ... with `votes`, for `seats` seats, no ballot totals.
#[cfg(test)]
pub(crate) fn test_contest(votes: &[u64], seats: u32) -> Contest {
    let lists = votes
        .iter()
        .zip('a'..)
        .map(|(&votes, id)| List {
            id: ListId::new(&id.to_string()),
            name: id.to_string(),
            votes: Votes(votes),
            threshold: None,
        })
        .collect();
    Contest::new("test", Seats(seats), lists, Ballots::default()).expect("a valid contest")
}
