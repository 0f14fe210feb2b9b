//! The canonical payloads of observers' log entries: JSON objects with their keys in
//! sorted order and no whitespace (serde_json writes a struct's fields in declaration
//! order, so each struct declares them sorted, and maps are `BTreeMap`s), each with a
//! `format` key naming its encoding (`docs/observation.md`, "Payloads").

use std::collections::BTreeMap;

use saylau_core::count::protocol::{
    BallotCount, BallotLists, ExtraLine, Line, ProtocolExtra, ProtocolLines, VoterCount,
};
use saylau_core::seats::votes::Votes;
use serde::{Deserialize, Serialize};

/// `format` of an organisation's registration.
pub const ORGANISATION_FORMAT: &str = "saylau-observer-v1";
/// `format` of a key's revocation.
pub const REVOCATION_FORMAT: &str = "saylau-observer-key-revocation-v1";
/// `format` of an observer's copy.
pub const COPY_FORMAT: &str = "saylau-observer-copy-v1";
/// `format` of a station's status.
pub const STATUS_FORMAT: &str = "saylau-observer-status-v1";

fn canonical(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("a payload of strings and integers always encodes")
}

/// An organisation's registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPayload {
    format: String,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

impl OrganisationPayload {
    /// The registration of `id` named `name`.
    pub fn new(id: &str, name: &str) -> OrganisationPayload {
        OrganisationPayload {
            format: ORGANISATION_FORMAT.to_owned(),
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    /// The canonical bytes.
    pub fn bytes(&self) -> Vec<u8> {
        canonical(self)
    }
}

/// A key's revocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationPayload {
    format: String,
    /// The key.
    pub key_id: String,
    /// Why.
    pub note: String,
    /// Its organisation.
    pub observer: String,
}

impl RevocationPayload {
    /// The revocation of `key_id` of `observer`.
    pub fn new(key_id: &str, observer: &str, note: &str) -> RevocationPayload {
        RevocationPayload {
            format: REVOCATION_FORMAT.to_owned(),
            key_id: key_id.to_owned(),
            note: note.to_owned(),
            observer: observer.to_owned(),
        }
    }

    /// The canonical bytes.
    pub fn bytes(&self) -> Vec<u8> {
        canonical(self)
    }
}

/// An observer's copy of a station's protocol: every line as written on the copy, and
/// the control relations it breaks (`P-` codes; empty for a consistent copy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyPayload {
    /// The rules the copy breaks.
    pub breaks: Vec<String>,
    /// The v2 lines and times the copy has (`docs/protocol.md`, "Format v2"), by key, as
    /// files write them; absent from a copy without any, whose bytes stay as before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    format: String,
    /// Line key (`found_in_boxes`, `list:nur-otan`) to value.
    pub lines: BTreeMap<String, u64>,
    /// The organisation.
    pub observer: String,
    /// The station.
    pub station: String,
}

/// The key of a line in a copy and in `reconcile`'s output: `found_in_boxes`, or
/// `list:ID` for a list's line.
pub fn line_key(line: Line, ballot: &BallotLists) -> String {
    match line {
        Line::List(idx) => {
            let id = ballot.lists().get(idx).map_or("?", |list| list.id.as_str());
            format!("list:{id}")
        }
        fixed => fixed.key().to_owned(),
    }
}

impl CopyPayload {
    /// The copy of `lines` on `ballot`.
    pub fn new(
        observer: &str,
        station: &str,
        lines: &ProtocolLines,
        ballot: &BallotLists,
        breaks: Vec<String>,
    ) -> CopyPayload {
        let lines = lines.iter().map(|(line, value)| (line_key(line, ballot), value)).collect();
        CopyPayload {
            breaks,
            extra: BTreeMap::new(),
            format: COPY_FORMAT.to_owned(),
            lines,
            observer: observer.to_owned(),
            station: station.to_owned(),
        }
    }

    /// The copy with the v2 lines and times of `extra`.
    pub fn with_extra(mut self, extra: &ProtocolExtra) -> CopyPayload {
        self.extra = ExtraLine::ALL
            .iter()
            .filter_map(|line| Some((line.key().to_owned(), extra.text(*line)?)))
            .collect();
        self
    }

    /// The canonical bytes.
    pub fn bytes(&self) -> Vec<u8> {
        canonical(self)
    }

    /// Reads a stored copy.
    pub fn read(bytes: &[u8]) -> Result<CopyPayload, String> {
        let copy: CopyPayload = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
        if copy.format != COPY_FORMAT {
            return Err(format!("format {:?} is not {COPY_FORMAT}", copy.format));
        }
        Ok(copy)
    }

    /// The copy's lines on `ballot` (a line it lacks is zero).
    pub fn protocol_lines(&self, ballot: &BallotLists) -> ProtocolLines {
        protocol_lines(ballot.len(), |line| {
            self.lines.get(&line_key(line, ballot)).copied().unwrap_or(0)
        })
    }
}

/// The protocol of `lists` party lists whose every line's value is `get(line)`: how a copy,
/// a form's fields or any other map of lines becomes [`ProtocolLines`].
pub fn protocol_lines(lists: usize, get: impl Fn(Line) -> u64) -> ProtocolLines {
    ProtocolLines {
        voters_on_roll: VoterCount(get(Line::VotersOnRoll)),
        ballots_received: BallotCount(get(Line::BallotsReceived)),
        issued_in_station: BallotCount(get(Line::IssuedInStation)),
        issued_outside: BallotCount(get(Line::IssuedOutside)),
        cancelled: BallotCount(get(Line::Cancelled)),
        found_in_boxes: BallotCount(get(Line::FoundInBoxes)),
        invalid: BallotCount(get(Line::Invalid)),
        valid: BallotCount(get(Line::Valid)),
        against_all: Votes(get(Line::AgainstAll)),
        list_votes: (0..lists).map(|idx| Votes(get(Line::List(idx)))).collect(),
    }
}

/// A station's status for an observer organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusPayload {
    format: String,
    /// What the observer wrote.
    pub note: String,
    /// The organisation.
    pub observer: String,
    /// The station.
    pub station: String,
    /// `obtained`, `refused`, `not-admitted` or `removed`.
    pub status: String,
    /// When (as written, `YYYY-MM-DDTHH:MM`, optionally seconds and a zone).
    pub time: String,
}

/// The statuses a station can have for an organisation.
pub const STATUSES: [&str; 4] = ["obtained", "refused", "not-admitted", "removed"];

impl StatusPayload {
    /// The status of `station`.
    pub fn new(observer: &str, station: &str, status: &str, time: &str, note: &str) -> Self {
        StatusPayload {
            format: STATUS_FORMAT.to_owned(),
            note: note.to_owned(),
            observer: observer.to_owned(),
            station: station.to_owned(),
            status: status.to_owned(),
            time: time.to_owned(),
        }
    }

    /// The canonical bytes.
    pub fn bytes(&self) -> Vec<u8> {
        canonical(self)
    }

    /// Reads a stored status.
    pub fn read(bytes: &[u8]) -> Result<StatusPayload, String> {
        let status: StatusPayload = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
        if status.format != STATUS_FORMAT {
            return Err(format!("format {:?} is not {STATUS_FORMAT}", status.format));
        }
        Ok(status)
    }
}

/// True for `YYYY-MM-DDTHH:MM`, optionally followed by `:SS`, fractions and a zone.
pub fn is_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digit = |idx: usize| bytes.get(idx).is_some_and(u8::is_ascii_digit);
    let at = |idx: usize, byte: u8| bytes.get(idx) == Some(&byte);
    [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15].into_iter().all(digit)
        && at(4, b'-')
        && at(7, b'-')
        && (at(10, b'T') || at(10, b' '))
        && at(13, b':')
        && text[16..].chars().all(|it| it.is_ascii_digit() || ":.+-Z".contains(it))
}

#[cfg(test)]
mod tests {
    use super::{CopyPayload, is_time};

    #[test]
    fn times_are_checked() {
        assert!(is_time("2021-01-10T20:15"));
        assert!(is_time("2021-01-10T20:15:07+06:00"));
        assert!(!is_time("2021-01-10"));
        assert!(!is_time("10.01.2021 20:15"));
        assert!(!is_time("2021-01-10T20:15 evening"));
    }

    #[test]
    fn copies_are_canonical_json_with_sorted_keys() {
        let bytes = br#"{"breaks":[],"format":"saylau-observer-copy-v1","lines":{"a":1,"b":2},"observer":"o","station":"s"}"#;
        let copy = CopyPayload::read(bytes).expect("a copy");
        assert_eq!(copy.bytes(), bytes.to_vec());
        assert!(CopyPayload::read(br#"{"format":"x"}"#).is_err());
    }
}
