//! Protocol entry by an operator of the working interface (`docs/portal.md`): the numbers
//! of one station's protocol, checked against the control relations of `saylau-core`
//! (each failure names its rule), then appended by the import path of [`crate::import`]
//! as a new version signed by the commission's key on behalf of the operator, whose name
//! the entry records as its author. A correction needs a reason and the version it
//! corrects, as on import.

use std::collections::BTreeMap;

use saylau_core::count::commission::{Hierarchy, StationId};
use saylau_core::count::protocol::{BallotLists, Protocol, ProtocolLines, ViolationKind};
use saylau_store::key::CommissionKey;
use serde::Serialize;

use crate::import::files::{Omitted, ReadFiles};
use crate::import::{ImportError, Imported, Request, import};
use crate::store::{ElectionId, Store};
use crate::users::User;

/// One broken rule, as the entry form shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Broken {
    /// The rule's code (`P-1`, ... of `docs/protocol.md`, or the store's).
    pub rule: String,
    /// What is wrong, with the numbers (English).
    pub message: String,
    /// The numbers and names of the message, by name, for a front end that says it in
    /// another language (the web's Fluent message `broken-CODE`): counts as decimal digits,
    /// times as `YYYY-MM-DDTHH:MM`, a v2 line by its key in an argument ending in `_line`.
    /// Empty when the message has no translation (the store's refusals).
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

impl Broken {
    /// A broken rule whose message is said in English only.
    pub fn new(rule: impl Into<String>, message: impl Into<String>) -> Broken {
        Broken { rule: rule.into(), message: message.into(), args: Vec::new() }
    }
}

/// The numbers and names of a control relation's breach, by the names its messages use.
pub fn violation_args(kind: &ViolationKind) -> Vec<(&'static str, String)> {
    let n = |value: u64| value.to_string();
    match kind {
        ViolationKind::BallotAccount { received, accounted } => {
            vec![("received", n(received.0)), ("accounted", n(accounted.0))]
        }
        ViolationKind::IssuedAboveRoll { issued, voters_on_roll } => {
            vec![("issued", n(issued.0)), ("roll", n(voters_on_roll.0))]
        }
        ViolationKind::FoundAboveIssued { found, issued } => {
            vec![("found", n(found.0)), ("issued", n(issued.0))]
        }
        ViolationKind::FoundNotCounted { found, counted } => {
            vec![("found", n(found.0)), ("counted", n(counted.0))]
        }
        ViolationKind::ValidNotVotes { valid, votes, lists } => {
            vec![("valid", n(valid.0)), ("votes", n(votes.0)), ("lists", lists.to_string())]
        }
        ViolationKind::ListLines { expected, found } => {
            vec![("expected", expected.to_string()), ("found", found.to_string())]
        }
        ViolationKind::LineRange { line, value } => {
            vec![("line", line.number()), ("label", line.label().to_string()), ("value", n(*value))]
        }
        ViolationKind::SupplementaryAboveRoll { supplementary, voters_on_roll } => {
            vec![("supplementary", n(supplementary.0)), ("roll", n(voters_on_roll.0))]
        }
        ViolationKind::SignaturesBelowIssued { signatures, issued_in_station } => vec![
            ("signatures", n(signatures.0)),
            ("issued", n(issued_in_station.0)),
            ("missing", n(issued_in_station.0.saturating_sub(signatures.0))),
        ],
        ViolationKind::CountBeforeClose { started, polls_close } => {
            vec![("started", started.to_string()), ("close", polls_close.to_string())]
        }
        ViolationKind::TimeOutOfOrder { line, at, before, then } => vec![
            ("this_line", line.key().to_owned()),
            ("at", at.to_string()),
            ("before_line", before.key().to_owned()),
            ("then", then.to_string()),
        ],
        ViolationKind::LateCount { started, polls_close, minutes, limit } => vec![
            ("started", started.to_string()),
            ("close", polls_close.to_string()),
            ("minutes", minutes.to_string()),
            ("limit", limit.to_string()),
        ],
        // A breach added to the core later is said in English until it has its message.
        _ => Vec::new(),
    }
}

/// What an entry did.
#[derive(Debug, Clone, Serialize)]
pub struct Entered {
    /// The station.
    pub station: String,
    /// Whether a new version was recorded (`false`: it equals the current one).
    pub recorded: bool,
    /// The import's summary (its checkpoint is the log's new head).
    pub import: Imported,
}

/// An entry that was not recorded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// The numbers break rules, or the store refused the version; each says its rule.
    #[error("the protocol was not accepted: {}", .0.iter().map(|b| format!("{} ({})", b.message, b.rule)).collect::<Vec<_>>().join("; "))]
    Refused(Vec<Broken>),
    /// The store failed.
    #[error(transparent)]
    Import(#[from] ImportError),
}

/// The entry of one protocol.
#[derive(Debug, Clone, Copy)]
pub struct EntryRequest<'a> {
    /// The election.
    pub election: &'a ElectionId,
    /// The lists on the ballot.
    pub ballot: &'a BallotLists,
    /// Names of the regions and districts (for a station not yet registered).
    pub hierarchy: &'a Hierarchy,
    /// The station.
    pub station: StationId,
    /// The numbers as entered.
    pub lines: &'a ProtocolLines,
    /// The version this one corrects, if any.
    pub base: Option<u64>,
    /// Why, for a correction.
    pub reason: Option<&'a str>,
}

/// The rules `lines` break for `ballot`, each with its code; empty when none.
pub fn check(station: StationId, lines: &ProtocolLines, ballot: &BallotLists) -> Vec<Broken> {
    match Protocol::new(station, lines.clone(), ballot) {
        Ok(_) => Vec::new(),
        Err(violations) => violations
            .iter()
            .map(|it| Broken {
                rule: it.kind.rule().to_string(),
                message: it.to_string(),
                args: violation_args(&it.kind),
            })
            .collect(),
    }
}

/// The author recorded in the log for entries of the operators `names` signed for
/// `user`'s commission: `web:NAMES (ROLE TERRITORY)`.
pub fn author(user: &User, names: &str) -> String {
    format!("web:{names} ({} {})", user.role.as_str(), user.territory)
}

/// Checks `request` and appends it signed by `key` on behalf of `user`.
pub async fn enter(
    store: &Store,
    request: &EntryRequest<'_>,
    user: &User,
    key: &CommissionKey,
) -> Result<Entered, EntryError> {
    enter_as(store, request, user, &user.name, key).await
}

/// Checks `request` and appends it signed by `key` of `user`'s commission on behalf of
/// the operators `names` (double entry names both, and the supervisor who resolved it).
pub async fn enter_as(
    store: &Store,
    request: &EntryRequest<'_>,
    user: &User,
    names: &str,
    key: &CommissionKey,
) -> Result<Entered, EntryError> {
    let protocol = Protocol::new(request.station, request.lines.clone(), request.ballot)
        .map_err(|_| EntryError::Refused(check(request.station, request.lines, request.ballot)))?;
    let base_versions: BTreeMap<StationId, u64> =
        request.base.map(|base| (request.station, base)).into_iter().collect();
    let files = ReadFiles {
        ballot: request.ballot.clone(),
        hierarchy: request.hierarchy.clone(),
        protocols: vec![protocol],
        base_versions,
        rejected: Vec::new(),
        omitted: Omitted::default(),
        flags: Vec::new(),
        flags_omitted: 0,
    };
    let author = author(user, names);
    let reason = request.reason.map(str::trim).filter(|it| !it.is_empty());
    let import_request = Request {
        election: request.election,
        files: vec![format!("web entry of {}", request.station)],
        author: &author,
        reason,
        base_current: false,
        batch_size: 1,
    };
    let imported = import(store, files, key, &import_request, &mut |_| {}).await?;
    let refused: Vec<Broken> = imported
        .rejected
        .iter()
        .flat_map(|row| &row.reasons)
        .map(|it| Broken::new(it.rule, it.message.clone()))
        .chain(imported.conflicts.iter().map(|it| Broken::new("conflict", it.message.clone())))
        .collect();
    if !refused.is_empty() {
        return Err(EntryError::Refused(refused));
    }
    Ok(Entered {
        station: request.station.to_string(),
        recorded: imported.counts.accepted + imported.counts.corrections > 0,
        import: imported,
    })
}
