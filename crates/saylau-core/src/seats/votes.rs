//! Newtypes for the numbers of an election: votes, seats, and list and race identifiers.
//!
//! A bare `u64` never means votes in saylau: it is wrapped here so that votes, seats and
//! positions cannot be mixed up.

use std::collections::HashSet;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::Serialize;

/// A number of votes (голоса), always a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Votes(pub u64);

/// A number of seats (депутатские мандаты).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Seats(pub u32);

/// Defines a text identifier: a newtype over an immutable `Box<str>` (16 bytes, where a
/// `String` takes 24: a contest's `List` then fits one cache line), serialised as its
/// text, made by a format reader that has checked it is not empty.
macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(Box<str>);

        impl $name {
            /// Wraps an identifier; the caller (a format reader) has checked it is not empty.
            pub fn new(id: &str) -> $name {
                $name(id.into())
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_id! {
    /// The identifier of a party list, stable across files (`nur-otan`).
    ListId
}

text_id! {
    /// The identifier of a race, unique in a round or an election: a single-member district,
    /// or the rural district (сельский округ), town or village of an akim election.
    RaceId
}

/// Why a set of list identifiers is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListIdError {
    /// The list at this position (from 1) has an empty id.
    Empty(usize),
    /// This id is used a second time.
    Duplicate(ListId),
}

/// Checks list identifiers in registration (or ballot) order: none empty, none used twice.
/// The first problem in that order is returned. Every container of lists (a contest, a
/// multi-district or mixed election, a vote matrix, a ballot) checks its ids here.
pub fn check_list_ids<'a>(ids: impl IntoIterator<Item = &'a ListId>) -> Result<(), ListIdError> {
    let mut seen = HashSet::new();
    for (idx, id) in ids.into_iter().enumerate() {
        if id.as_str().is_empty() {
            return Err(ListIdError::Empty(idx + 1));
        }
        if !seen.insert(id) {
            return Err(ListIdError::Duplicate(id.clone()));
        }
    }
    Ok(())
}

impl Add for Votes {
    type Output = Votes;
    fn add(self, rhs: Votes) -> Votes {
        Votes(self.0 + rhs.0)
    }
}

impl AddAssign for Votes {
    fn add_assign(&mut self, rhs: Votes) {
        self.0 += rhs.0;
    }
}

impl Sum for Votes {
    fn sum<I: Iterator<Item = Votes>>(iter: I) -> Votes {
        Votes(iter.map(|votes| votes.0).sum())
    }
}

impl Add for Seats {
    type Output = Seats;
    fn add(self, rhs: Seats) -> Seats {
        Seats(self.0 + rhs.0)
    }
}

impl Sum for Seats {
    fn sum<I: Iterator<Item = Seats>>(iter: I) -> Seats {
        Seats(iter.map(|seats| seats.0).sum())
    }
}

impl fmt::Display for Votes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for Seats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(ids: &[&str], expect: Result<(), ListIdError>) {
        let ids: Vec<ListId> = ids.iter().map(|id| ListId::new(id)).collect();
        assert_eq!(check_list_ids(&ids), expect, "{ids:?}");
    }

    #[test]
    fn list_ids_are_checked_in_order() {
        check(&["a", "b", "c"], Ok(()));
        check(&["a", "", "a"], Err(ListIdError::Empty(2)));
        check(&["a", "b", "a", ""], Err(ListIdError::Duplicate(ListId::new("a"))));
        check(&["a", "b", "b", "a"], Err(ListIdError::Duplicate(ListId::new("b"))));
    }
}
