//! The current versions of one election's subjects of one kind, as a writer last saw them,
//! and the decision a submission gets against its subject's current version.
//!
//! A bulk writer reads every current version once ([`Currents`]) and keeps the map up to
//! date with what it appends itself. The map is valid while the head of the log is the
//! one it was read at or last advanced to: every change of a current version appends an
//! entry, so a head that moved means another writer appended, and the map is read again
//! inside the write transaction before anything is decided.

use std::collections::HashMap;

use crate::digest::Digest;
use crate::entry::{Checkpoint, Seq, Version};
use crate::id::{ElectionId, Kind, Subject};
use crate::ledger::{AppendError, Current, MAX_TEXT_BYTES};

/// The current version of every subject of one election and kind, at one head of the log.
#[derive(Debug, Clone)]
pub struct Currents {
    pub(crate) election: ElectionId,
    pub(crate) kind: Kind,
    /// The head at which `map` is complete; `None` when it must be read again.
    pub(crate) head: Option<Checkpoint>,
    pub(crate) map: HashMap<Subject, Current>,
}

impl Currents {
    /// An empty map that the first batch will read.
    pub fn new(election: &ElectionId, kind: &Kind) -> Currents {
        Currents { election: election.clone(), kind: kind.clone(), head: None, map: HashMap::new() }
    }

    /// The current version of `subject`, as last read or written.
    pub fn get(&self, subject: &Subject) -> Option<&Current> {
        self.map.get(subject)
    }

    /// How many subjects have a current version.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no subject has a version yet.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The head of the log at which the map is complete, if it is.
    pub fn head(&self) -> Option<Checkpoint> {
        self.head
    }

    /// Replaces the map with `rows` read at `head`.
    pub(crate) fn reload(&mut self, head: Checkpoint, rows: HashMap<Subject, Current>) {
        self.map = rows;
        self.head = Some(head);
    }
}

/// What a submission comes to against its subject's current version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The same content is current already.
    Unchanged(Version),
    /// The next version is to be recorded.
    Record(Version),
}

/// Decides a submission of `content_hash` based on `base` with `reason` against `current`:
/// the same content is unchanged; a base that is not current is a conflict; a correction
/// needs a reason of 1 to 4096 bytes.
pub(crate) fn decide(
    subject: &Subject,
    content_hash: &Digest,
    base: Option<Version>,
    reason: Option<&str>,
    current: Option<&Current>,
) -> Result<Decision, AppendError> {
    if let Some(current) = current.filter(|current| current.content_hash == *content_hash) {
        return Ok(Decision::Unchanged(current.version));
    }
    let current_version = current.map(|current| current.version);
    if base != current_version {
        return Err(AppendError::Conflict {
            subject: subject.clone(),
            base,
            current: current_version,
        });
    }
    let version = Version(current_version.map_or(1, |version| version.0 + 1));
    if version.0 > 1 && reason.is_none_or(|reason| reason.trim().is_empty()) {
        return Err(AppendError::ReasonRequired { subject: subject.clone(), version });
    }
    check_text(subject, "reason", reason)?;
    Ok(Decision::Record(version))
}

/// Refuses an author or reason that is blank or longer than [`MAX_TEXT_BYTES`].
pub(crate) fn check_text(
    subject: &Subject,
    field: &'static str,
    text: Option<&str>,
) -> Result<(), AppendError> {
    match text {
        Some(text) if text.trim().is_empty() || text.len() > MAX_TEXT_BYTES => {
            Err(AppendError::Text { subject: subject.clone(), field })
        }
        _ => Ok(()),
    }
}

/// A current version recorded by this writer at `seq`.
pub(crate) fn recorded(version: Version, seq: Seq, content_hash: Digest) -> Current {
    Current { version, seq, content_hash }
}

#[cfg(test)]
mod tests {
    use super::{Decision, decide};
    use crate::digest::Digest;
    use crate::entry::{Seq, Version};
    use crate::ledger::Current;

    fn check(
        payload: &[u8],
        base: Option<u64>,
        reason: Option<&str>,
        current: Option<(u64, &[u8])>,
        expect: &str,
    ) {
        let subject = "s1".parse().expect("an id");
        let current = current.map(|(version, payload)| Current {
            version: Version(version),
            seq: Seq(1),
            content_hash: Digest::of(payload),
        });
        let res =
            decide(&subject, &Digest::of(payload), base.map(Version), reason, current.as_ref());
        let res = match res {
            Ok(Decision::Unchanged(version)) => format!("unchanged {version}"),
            Ok(Decision::Record(version)) => format!("record {version}"),
            Err(err) => err.to_string(),
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn submissions_are_decided_against_the_current_version() {
        check(b"a", None, None, None, "record 1");
        check(b"a", None, None, Some((1, b"a")), "unchanged 1");
        check(b"a", Some(3), None, Some((4, b"a")), "unchanged 4");
        check(b"b", Some(1), Some("recount"), Some((1, b"a")), "record 2");
        check(
            b"b",
            Some(1),
            None,
            Some((1, b"a")),
            "s1: version 2 corrects version 1: a reason is required",
        );
        check(
            b"b",
            None,
            Some("recount"),
            Some((2, b"a")),
            "s1: conflict: based on version none, but version 2 is current; read it and submit again",
        );
        check(
            b"b",
            Some(1),
            None,
            None,
            "s1: conflict: based on version 1, but version none is current; read it and submit again",
        );
    }
}
