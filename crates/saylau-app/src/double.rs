//! Double entry of a station's protocol (`docs/portal.md`), a state machine kept in the
//! store's entry drafts:
//!
//! - **empty** --first entry--> **pending** (the first entry is kept, not a version);
//! - **pending** --blind second entry by another user, equal--> a signed version, **empty**;
//! - **pending** --second entry, different--> **disputed**;
//! - **disputed** --a third user (a TEC operator above the station or the CEC's
//!   administrator) resolves it line by line--> a signed version, **empty**.
//!
//! Every entry is checked against the control relations first (a protocol that breaks one
//! is refused with its rule and kept nowhere). The version's author names every operator
//! whose entry made it. The second operator never sees the first entry.

use saylau_core::count::protocol::{BallotCount, Line, ProtocolLines, VoterCount};
use saylau_core::seats::votes::Votes;
use saylau_store::key::CommissionKey;
use saylau_store::users::{self, Draft};
use serde::Serialize;

use crate::entry::{self, Broken, Entered, EntryError, EntryRequest};
use crate::store::Store;
use crate::users::{User, may_resolve_station};

/// Where a station's double entry stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum State {
    /// No entry waits.
    Empty,
    /// A first entry waits for its blind second entry.
    Pending {
        /// Who entered it.
        first: String,
    },
    /// Two entries differ; a third user resolves them.
    Disputed {
        /// Who entered the first.
        first: String,
        /// Who entered the second.
        second: String,
        /// The numbers of the lines (`6`, `10.2`) where they differ.
        lines: Vec<String>,
    },
}

/// What a submission did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// The first entry is kept; another user enters the protocol again.
    Pending,
    /// The second entry differs; a supervisor resolves the lines named.
    Disputed {
        /// The lines that differ.
        lines: Vec<String>,
    },
    /// The version was made.
    Recorded {
        /// What the log recorded.
        entered: Box<Entered>,
    },
}

/// A double-entry step that was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DoubleError {
    /// The same user may not enter both rounds, nor resolve their own entries.
    #[error("{0} entered this protocol already: another user must (rule double-entry)")]
    SameUser(String),
    /// Two entries differ already: a supervisor resolves them.
    #[error("the two entries differ: a TEC operator above the station or the CEC resolves them")]
    AwaitingResolution,
    /// Nothing to resolve.
    #[error("there is no disputed entry of this station to resolve")]
    NothingToResolve,
    /// Only a TEC operator above the station or the CEC's administrator resolves.
    #[error("only a TEC operator above the station or the CEC's administrator resolves entries")]
    NotSupervisor,
    /// The entry was refused (rules) or failed.
    #[error(transparent)]
    Entry(#[from] EntryError),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] saylau_store::error::DatabaseError),
}

/// The lines of `lines` as stored in a draft: every value in form order, comma-separated.
pub fn encode(lines: &ProtocolLines) -> String {
    let fixed = Line::FIXED.iter().map(|line| lines.get(*line));
    let lists = lines.list_votes.iter().map(|it| it.0);
    fixed.chain(lists).map(|it| it.to_string()).collect::<Vec<_>>().join(",")
}

/// The lines of a draft, or `None` when it is not one of `n_lists` lists.
pub fn decode(text: &str, n_lists: usize) -> Option<ProtocolLines> {
    let values: Vec<u64> = text.split(',').map(|it| it.parse().ok()).collect::<Option<_>>()?;
    if values.len() != Line::FIXED.len() + n_lists {
        return None;
    }
    Some(ProtocolLines {
        voters_on_roll: VoterCount(values[0]),
        ballots_received: BallotCount(values[1]),
        issued_in_station: BallotCount(values[2]),
        issued_outside: BallotCount(values[3]),
        cancelled: BallotCount(values[4]),
        found_in_boxes: BallotCount(values[5]),
        invalid: BallotCount(values[6]),
        valid: BallotCount(values[7]),
        against_all: Votes(values[8]),
        list_votes: values[9..].iter().map(|it| Votes(*it)).collect(),
    })
}

/// The numbers (`6`, `10.2`) of the lines where `a` and `b` differ.
pub fn differing(a: &ProtocolLines, b: &ProtocolLines) -> Vec<String> {
    let n = a.list_votes.len().max(b.list_votes.len());
    Line::FIXED
        .iter()
        .copied()
        .chain((0..n).map(Line::List))
        .filter(|line| a.get(*line) != b.get(*line))
        .map(Line::number)
        .collect()
}

/// The state of `station`'s double entry.
pub async fn state(
    store: &Store,
    request: &EntryRequest<'_>,
) -> Result<(State, Vec<Draft>), DoubleError> {
    let drafts =
        users::drafts(store, request.election.as_str(), &request.station.to_string()).await?;
    let n = request.ballot.len();
    let state = match drafts.as_slice() {
        [] => State::Empty,
        [first] => State::Pending { first: first.entered_by.clone() },
        [first, second, ..] => State::Disputed {
            first: first.entered_by.clone(),
            second: second.entered_by.clone(),
            lines: match (decode(&first.lines, n), decode(&second.lines, n)) {
                (Some(a), Some(b)) => differing(&a, &b),
                _ => Vec::new(),
            },
        },
    };
    Ok((state, drafts))
}

/// Submits `user`'s entry of `request` (first or blind second); a matching second entry
/// is signed by `key`.
pub async fn submit(
    store: &Store,
    request: &EntryRequest<'_>,
    user: &User,
    key: &CommissionKey,
) -> Result<Outcome, DoubleError> {
    let broken = entry::check(request.station, request.lines, request.ballot);
    if !broken.is_empty() {
        return Err(EntryError::Refused(broken).into());
    }
    let (election, station) = (request.election.as_str(), request.station.to_string());
    let (state, drafts) = state(store, request).await?;
    let draft = |round| Draft {
        round,
        entered_by: user.name.clone(),
        lines: encode(request.lines),
        base_version: request.base,
        reason: request.reason.unwrap_or_default().trim().to_owned(),
        created_at: String::new(),
    };
    match state {
        State::Empty => {
            if !users::put_draft(store, election, &station, &draft(1)).await? {
                return Err(DoubleError::AwaitingResolution);
            }
            Ok(Outcome::Pending)
        }
        State::Pending { first } if first == user.name => Err(DoubleError::SameUser(first)),
        State::Pending { first } => {
            let first_draft = &drafts[0];
            let first_lines = decode(&first_draft.lines, request.ballot.len());
            if first_lines.as_ref() == Some(request.lines) {
                let reason = pick_reason(&first_draft.reason, request.reason);
                let made = EntryRequest {
                    base: first_draft.base_version.or(request.base),
                    reason: reason.as_deref(),
                    ..*request
                };
                let author = format!("{} + {}", first, user.name);
                let entered = entry::enter_as(store, &made, user, &author, key).await?;
                users::clear_drafts(store, election, &station).await?;
                return Ok(Outcome::Recorded { entered: Box::new(entered) });
            }
            if !users::put_draft(store, election, &station, &draft(2)).await? {
                return Err(DoubleError::AwaitingResolution);
            }
            let lines = first_lines.map(|it| differing(&it, request.lines)).unwrap_or_default();
            Ok(Outcome::Disputed { lines })
        }
        State::Disputed { .. } => Err(DoubleError::AwaitingResolution),
    }
}

fn pick_reason(first: &str, second: Option<&str>) -> Option<String> {
    let second = second.map(str::trim).filter(|it| !it.is_empty());
    match (first.is_empty(), second) {
        (false, _) => Some(first.to_owned()),
        (true, Some(second)) => Some(second.to_owned()),
        (true, None) => None,
    }
}

/// Resolves a disputed double entry with the lines `request` names (the supervisor's
/// choice, line by line), signed by `key` of the supervisor's commission.
pub async fn resolve(
    store: &Store,
    request: &EntryRequest<'_>,
    user: &User,
    key: &CommissionKey,
) -> Result<Entered, DoubleError> {
    if !may_resolve_station(user, &request.station.to_string()) {
        return Err(DoubleError::NotSupervisor);
    }
    let (state, drafts) = state(store, request).await?;
    let State::Disputed { first, second, .. } = state else {
        return Err(DoubleError::NothingToResolve);
    };
    if user.name == first || user.name == second {
        return Err(DoubleError::SameUser(user.name.clone()));
    }
    let reason = pick_reason(&drafts[0].reason, request.reason);
    let made = EntryRequest {
        base: drafts[0].base_version.or(request.base),
        reason: reason.as_deref(),
        ..*request
    };
    let author = format!("{first} + {second}, resolved by {}", user.name);
    let entered = entry::enter_as(store, &made, user, &author, key).await?;
    users::clear_drafts(store, request.election.as_str(), &request.station.to_string()).await?;
    Ok(entered)
}

/// The refusal of a broken protocol, for front ends that show rules.
pub fn broken(err: &DoubleError) -> Vec<Broken> {
    match err {
        DoubleError::Entry(EntryError::Refused(broken)) => broken.clone(),
        other => vec![Broken::new("double-entry", other.to_string())],
    }
}
