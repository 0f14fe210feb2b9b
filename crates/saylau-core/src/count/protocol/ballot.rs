//! The lists on the party ballot, in ballot order: protocol line `10.k` counts the votes
//! of the `k`-th.

use serde::Serialize;

use crate::seats::votes::{ListId, ListIdError, check_list_ids};

/// A list on the party ballot (избирательный бюллетень для голосования за политические
/// партии), in ballot order, which the CEC decides by lot (art. 37 p. 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BallotList {
    /// Stable identifier.
    pub id: ListId,
    /// Display name.
    pub name: String,
}

/// The lists on the ballot, in ballot order: protocol line `10.k` is the `k`-th.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct BallotLists(Vec<BallotList>);

/// Why a ballot's lists are not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BallotError {
    /// No list at all.
    #[error("a ballot needs at least one list")]
    Empty,
    /// An empty identifier.
    #[error("list {0} on the ballot has an empty id")]
    EmptyId(usize),
    /// Two lists share an identifier.
    #[error("list id {0:?} is on the ballot twice")]
    Duplicate(String),
}

impl BallotLists {
    /// The lists, checked: at least one, ids not empty and unique.
    pub fn new(lists: Vec<BallotList>) -> Result<BallotLists, BallotError> {
        if lists.is_empty() {
            return Err(BallotError::Empty);
        }
        check_list_ids(lists.iter().map(|list| &list.id)).map_err(|err| match err {
            ListIdError::Empty(position) => BallotError::EmptyId(position),
            ListIdError::Duplicate(id) => BallotError::Duplicate(id.to_string()),
        })?;
        Ok(BallotLists(lists))
    }

    /// The lists in ballot order.
    pub fn lists(&self) -> &[BallotList] {
        &self.0
    }

    /// How many lists.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a ballot has at least one list.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
