//! A submitted protocol, from the entry form or the write API: one entry, or a step of
//! double entry, through `saylau_app::entry` and `saylau_app::double`.

use std::collections::HashMap;

use saylau_app::double::{self, DoubleError, Outcome};
use saylau_app::entry::{self, Broken, EntryError, EntryRequest};
use saylau_app::users::User;
use saylau_core::count::commission::StationId;

use super::{hierarchy, parse_lines};
use crate::results::Snapshot;
use crate::state::AppState;

/// What a submitted protocol came to, for the form and the API alike.
#[derive(Debug)]
pub(crate) enum Submitted {
    /// A new version was signed and recorded.
    Recorded,
    /// A first entry waits for its blind second entry.
    Pending,
    /// The second entry differs on these lines.
    Disputed(Vec<String>),
    /// Broken rules (control relations, form, store).
    Refused(Vec<Broken>),
    /// The double entry does not allow this step now.
    Conflict(String),
    /// The server holds no key of the user's commission.
    NoKey(String),
    /// The store failed.
    Failed(String),
}

/// Checks and submits `form` (line keys to numbers, `base`, `reason`) for `station` on
/// behalf of `user`, whose territory was checked: one entry, or a step of double entry. A
/// recorded version drops the cached log head, so that this instance shows it at once.
pub(crate) async fn submit_protocol(
    state: &AppState,
    user: &User,
    snapshot: &Snapshot,
    station: StationId,
    form: &HashMap<String, String>,
) -> Submitted {
    let submitted = submit(state, user, snapshot, station, form).await;
    if matches!(submitted, Submitted::Recorded) {
        state.forget_head();
    }
    submitted
}

async fn submit(
    state: &AppState,
    user: &User,
    snapshot: &Snapshot,
    station: StationId,
    form: &HashMap<String, String>,
) -> Submitted {
    let lines = match parse_lines(snapshot, form) {
        Ok(lines) => lines,
        Err(broken) => return Submitted::Refused(broken),
    };
    let Some(key) = state.work().key(&user.territory) else {
        return Submitted::NoKey(user.territory.clone());
    };
    let hierarchy = hierarchy(snapshot);
    let base = form.get("base").and_then(|it| it.trim().parse::<u64>().ok());
    let request = EntryRequest {
        election: &snapshot.election,
        ballot: &snapshot.ballot,
        hierarchy: &hierarchy,
        station,
        lines: &lines,
        base,
        reason: form.get("reason").map(String::as_str),
    };
    if state.work().double_entry {
        return match double::submit(state.store(), &request, user, key).await {
            Ok(Outcome::Recorded { .. }) => Submitted::Recorded,
            Ok(Outcome::Pending) => Submitted::Pending,
            Ok(Outcome::Disputed { lines }) => Submitted::Disputed(lines),
            Err(DoubleError::Entry(EntryError::Refused(broken))) => Submitted::Refused(broken),
            Err(DoubleError::Store(err)) => Submitted::Failed(err.to_string()),
            Err(DoubleError::Entry(err)) => Submitted::Failed(err.to_string()),
            Err(err) => Submitted::Conflict(err.to_string()),
        };
    }
    match entry::enter(state.store(), &request, user, key).await {
        Ok(_) => Submitted::Recorded,
        Err(EntryError::Refused(broken)) => Submitted::Refused(broken),
        Err(err) => Submitted::Failed(err.to_string()),
    }
}
