//! The rule of migration 0021's row triggers, checked by the SQLite writer since 0052.

use rusqlite::{OptionalExtension as _, Transaction};

use crate::error::OrDb as _;
use crate::id::Kind;
use crate::key::KeyId;
use crate::ledger::AppendError;

use super::write::KEY_COMMISSION;

/// The kinds only an observer's key signs (migration 0066's list).
const OBSERVER_KINDS: [&str; 5] = [
    crate::observe::COPY_KIND,
    crate::observe::STATUS_KIND,
    crate::incident::INCIDENT_KIND,
    crate::incident::INCIDENT_STATE_KIND,
    crate::observe::DEPLOYMENT_KIND,
];
/// Checks, where migration 0021's row triggers fired (just before an entry is inserted),
/// that an observer's key signs observers' kinds only and only an observer's key signs them;
/// PostgreSQL checks it in a statement trigger, SQLite here since 0052 (see that file).
pub(super) fn check(tx: &Transaction<'_>, key_id: &KeyId, kind: &Kind) -> Result<(), AppendError> {
    let commission: Option<String> =
        tx.query_row(KEY_COMMISSION, [key_id.to_string()], |row| row.get(0)).optional().db()?;
    let observer_key = commission.is_some_and(|it| it.starts_with(crate::observe::OBSERVER_PREFIX));
    if observer_key != OBSERVER_KINDS.contains(&kind.as_str()) {
        let rule = if observer_key { OBSERVER_KEY_OFFICIAL } else { COMMISSION_KEY_COPY };
        return Err(AppendError::KeyKind { key_id: *key_id, kind: kind.clone(), rule });
    }
    Ok(())
}

/// Migration 0066's messages, kept word for word.
const OBSERVER_KEY_OFFICIAL: &str =
    "an observer key signs only observer copies, statuses, incidents and deployments";
const COMMISSION_KEY_COPY: &str =
    "only an observer key signs observer copies, statuses, incidents and deployments";
